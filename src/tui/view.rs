//! Drawing: `&App` in, a frame out, nothing changed ([`render`] is pure). The screen is a
//! transcript (left) beside the cards (right; below it on narrow terminals), the input box,
//! and a status line with the catalog, adapter, model, the last turn's intent and the
//! latency of each stage. Every string drawn was made terminal-safe when the app took it in.

mod cards;
mod transcript;

use ratatui::{
    layout::{Constraint, Layout, Position, Rect},
    style::{Color, Modifier, Style, Stylize},
    text::{Line, Span},
    widgets::{Block, Clear, Paragraph},
    Frame,
};
use unicode_width::UnicodeWidthStr;

use super::{
    app::{App, Stage},
    events::ModelStatus,
    slash,
};

pub use transcript::lines as transcript_lines;

/// Most lines the input box grows to.
const INPUT_LINES: usize = 5;
/// Spinner frames.
const SPINNER: &[&str] = &["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/// The key list shown by `?`.
const KEYS: &str = include_str!("keys.txt");

/// Where each part of the screen goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Transcript (with its border).
    pub transcript: Rect,
    /// Cards (with its border; empty when there is no room).
    pub cards: Rect,
    /// Input box (with its border).
    pub input: Rect,
    /// Status line.
    pub status: Rect,
}

/// The layout for a screen of `area`.
#[must_use]
pub fn areas(app: &App, area: Rect) -> Areas {
    let input_h = app.input.line_count().min(INPUT_LINES) as u16 + 2;
    let status_h = status_lines(app, area.width).len() as u16;
    let [main, input, status] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(input_h),
        Constraint::Length(status_h),
    ])
    .areas(area);
    let (transcript, cards) = if main.width >= 72 {
        let w = (main.width * 2 / 5).clamp(30, 48);
        let [t, c] = Layout::horizontal([Constraint::Min(20), Constraint::Length(w)]).areas(main);
        (t, c)
    } else {
        let want = if app.cards.is_empty() {
            0
        } else {
            app.cards.len() as u16 + 2
        };
        let [t, c] = Layout::vertical([
            Constraint::Min(3),
            Constraint::Length(want.min(main.height / 2)),
        ])
        .areas(main);
        (t, c)
    };
    Areas {
        transcript,
        cards,
        input,
        status,
    }
}

fn screen(app: &App) -> Rect {
    Rect::new(0, 0, app.size.0, app.size.1)
}

/// Lines the transcript can be scrolled up.
#[must_use]
pub fn max_scroll(app: &App) -> usize {
    let t = areas(app, screen(app)).transcript;
    let inner = Block::bordered().inner(t);
    transcript::lines(app, inner.width)
        .len()
        .saturating_sub(inner.height as usize)
}

/// Lines of one page of transcript.
#[must_use]
pub fn page(app: &App) -> usize {
    let t = areas(app, screen(app)).transcript;
    Block::bordered().inner(t).height.saturating_sub(1) as usize
}

/// The spinner frame now.
#[must_use]
pub fn spinner(app: &App) -> &'static str {
    SPINNER[app.tick % SPINNER.len()]
}

/// Draw the whole screen.
pub fn render(app: &App, f: &mut Frame<'_>) {
    let a = areas(app, f.area());
    transcript::render(app, f, a.transcript);
    cards::render(app, f, a.cards);
    input(app, f, a.input);
    status(app, f, a.status);
    if let Some(h) = slash::hint(app.input.text()) {
        let t = Block::bordered().inner(a.transcript);
        if t.height > 0 {
            let r = Rect::new(t.x, t.y + t.height - 1, t.width, 1);
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(Line::from(h).style(Style::new().fg(Color::Yellow))),
                r,
            );
        }
    }
    if app.help {
        help(f, f.area());
    }
}

fn input(app: &App, f: &mut Frame<'_>, area: Rect) {
    let title = match app.busy {
        Some(Stage::Stopping) => " stopping… ".to_string(),
        Some(_) => " reco is answering · Esc stops ".to_string(),
        None => " you · Enter sends · Alt+Enter new line · ? help ".to_string(),
    };
    let block = Block::bordered()
        .title(Span::styled(title, Style::new().fg(Color::Cyan)))
        .border_style(Style::new().fg(if app.busy.is_some() {
            Color::DarkGray
        } else {
            Color::Cyan
        }));
    let inner = block.inner(area);
    let (row, col) = app.input.cursor();
    let top = row.saturating_sub(inner.height.saturating_sub(1) as usize);
    let left = col.saturating_sub(inner.width.saturating_sub(1) as usize);
    let lines: Vec<Line<'_>> = if app.input.is_empty() && app.busy.is_none() {
        vec![Line::from(Span::styled(
            "Ask for something, e.g. a relaxing farming game under $20",
            Style::new().fg(Color::DarkGray),
        ))]
    } else {
        app.input.lines().map(Line::from).collect()
    };
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((top as u16, left as u16)),
        area,
    );
    if !app.help && inner.width > 0 && inner.height > 0 {
        f.set_cursor_position(Position::new(
            inner.x + (col - left) as u16,
            inner.y + (row - top) as u16,
        ));
    }
}

fn fmt_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{ms:.0} ms")
    }
}

/// The status line's segments: what is in use, then what the last turn was and took.
fn status_parts(app: &App) -> (Vec<String>, Vec<String>) {
    let model = match &app.model {
        ModelStatus::Off => "no model (catalog facts)".to_string(),
        ModelStatus::Loading(n) => format!("{} loading {n}", spinner(app)),
        ModelStatus::Ready(n, _) => n.clone(),
        ModelStatus::Failed(_) => "model failed to load".to_string(),
    };
    let setup = vec![
        app.catalog.clone(),
        format!("adapter {}", app.adapter),
        model,
    ];
    let mut turn = Vec::new();
    let t = &app.turn;
    if !t.intent.is_empty() {
        turn.push(format!("{} {:.2} → {}", t.intent, t.confidence, t.action));
    }
    if let Some(ms) = &t.timings {
        let mut s = Vec::new();
        if let Some(c) = ms.first_card {
            s.push(format!("cards {}", fmt_ms(c)));
        }
        if let Some(tok) = ms.first_token {
            s.push(format!("1st token {}", fmt_ms(tok)));
        }
        s.push(format!("total {}", fmt_ms(ms.total)));
        turn.push(s.join(" · "));
        // Last, so a narrow terminal drops it first.
        turn.push(format!("understand {}", fmt_ms(ms.understand)));
    }
    (setup, turn)
}

/// Segments joined into lines of at most `width` cells: one line when all fit, else the
/// setup on the first and the turn on the second (a segment that does not fit is left out).
fn status_lines(app: &App, width: u16) -> Vec<String> {
    let width = usize::from(width);
    let join = |parts: &[String]| {
        let mut text = String::new();
        for p in parts {
            let sep = if text.is_empty() { " " } else { " │ " };
            if text.width() + sep.width() + p.width() > width {
                continue;
            }
            text.push_str(sep);
            text.push_str(p);
        }
        text
    };
    let (setup, turn) = status_parts(app);
    let all: Vec<String> = setup.iter().chain(&turn).cloned().collect();
    let full = 1 + all.iter().map(|p| p.width()).sum::<usize>() + 3 * (all.len() - 1);
    if turn.is_empty() || full <= width {
        return vec![join(&all)];
    }
    vec![join(&setup), join(&turn)]
}

fn status(app: &App, f: &mut Frame<'_>, area: Rect) {
    let lines: Vec<Line<'_>> = status_lines(app, area.width)
        .into_iter()
        .map(Line::from)
        .collect();
    f.render_widget(
        Paragraph::new(lines).style(Style::new().bg(Color::DarkGray).fg(Color::White)),
        area,
    );
}

fn help(f: &mut Frame<'_>, area: Rect) {
    let mut lines: Vec<Line<'_>> = KEYS.lines().map(Line::from).collect();
    lines.push(Line::from(""));
    for c in slash::commands() {
        let name = format!("/{} {}", c.name, c.args);
        lines.push(Line::from(vec![
            Span::styled(
                format!("{name:<16}"),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw(c.help),
        ]));
    }
    let w = (lines.iter().map(Line::width).max().unwrap_or(40) as u16 + 4).min(area.width);
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" keys and commands · Esc closes ".bold())
                .border_style(Style::new().fg(Color::Yellow)),
        ),
        r,
    );
}
