//! The transcript panel: entries wrapped to the panel's width with a speaker column, answers
//! lightly formatted (a `• Title — reason` line shows its title in bold), a spinner line for
//! the turn in flight, scrolled from the bottom.

use ratatui::{
    layout::Rect,
    style::{Color, Modifier, Style},
    text::{Line, Span},
    widgets::{Block, Paragraph},
    Frame,
};

use super::spinner;
use crate::tui::{
    app::{App, Stage, Who},
    events::ModelStatus,
    wrap::wrap,
};

/// Width of the speaker column.
const GUTTER: usize = 5;

fn speaker(who: Who) -> (&'static str, Style) {
    match who {
        Who::User => (
            "you",
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        ),
        Who::Reco => (
            "reco",
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        ),
        Who::Command => ("›", Style::new().fg(Color::DarkGray)),
        Who::Note => ("", Style::new().fg(Color::Yellow)),
        Who::Error => (
            "!",
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        ),
    }
}

/// One line of text as spans: bullets get their title in bold.
fn styled(line: &str, who: Who) -> Vec<Span<'static>> {
    let base = match who {
        Who::User | Who::Reco => Style::new(),
        Who::Command => Style::new().fg(Color::DarkGray),
        Who::Note => Style::new().fg(Color::Yellow),
        Who::Error => Style::new().fg(Color::Red),
    };
    if who == Who::Reco {
        if let Some(rest) = line.strip_prefix("• ") {
            if let Some((title, reason)) = rest.split_once(" — ") {
                return vec![
                    Span::styled("• ", base),
                    Span::styled(title.to_string(), base.add_modifier(Modifier::BOLD)),
                    Span::styled(format!(" — {reason}"), base),
                ];
            }
        }
    }
    vec![Span::styled(line.to_string(), base)]
}

/// What the turn in flight is doing, for its spinner line.
fn doing(app: &App) -> &'static str {
    match app.busy {
        Some(Stage::Understanding) => "understanding",
        Some(Stage::Searching) => "searching the catalog",
        Some(Stage::Writing) if matches!(app.model, ModelStatus::Loading(_)) => {
            "waiting for the model to load"
        }
        Some(Stage::Writing) => "writing",
        Some(Stage::Stopping) => "stopping",
        None => "",
    }
}

/// Every display line of the transcript at `width` cells.
#[must_use]
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width).max(GUTTER + 8);
    let mut out: Vec<Line<'static>> = Vec::new();
    if app.transcript.is_empty() {
        let dim = Style::new().fg(Color::DarkGray);
        let intro = "Tell reco what you are looking for: a mood, a genre, a price, a game you \
            loved. Then refine it (\"cheaper\", \"not horror\"), react to a card (\"not the second \
            one\", /like 2) or ask about one (\"tell me about the first one\"). ? shows the keys.";
        return wrap(&[Span::styled(intro, dim)], width, 0);
    }
    for (i, e) in app.transcript.iter().enumerate() {
        let answers_command =
            e.who == Who::Note && i > 0 && app.transcript[i - 1].who == Who::Command;
        if i > 0 && !answers_command {
            out.push(Line::from(""));
        }
        let (name, style) = speaker(e.who);
        let mut text = e.text.clone();
        if text.is_empty() && app.pending == Some(i) {
            text = format!("{} {}…", spinner(app), doing(app));
        } else if app.pending == Some(i) && app.busy.is_some() {
            text.push_str(&format!(" {}", spinner(app)));
        }
        for (n, l) in text.split('\n').enumerate() {
            let gutter = if n == 0 {
                format!("{name:<GUTTER$}")
            } else {
                " ".repeat(GUTTER)
            };
            let mut spans = vec![Span::styled(gutter, style)];
            spans.extend(styled(l, e.who));
            let indent = if l.starts_with("• ") {
                GUTTER + 2
            } else {
                GUTTER
            };
            out.extend(wrap(&spans, width, indent));
        }
    }
    out
}

/// Draw the transcript.
pub fn render(app: &App, f: &mut Frame<'_>, area: Rect) {
    let mut title = format!(" reco · {} ", app.catalog);
    if !app.title.is_empty() {
        title = format!(" {} · {} ", app.title, app.session);
    } else if !app.session.is_empty() {
        title.push_str(&format!("· {} ", app.session));
    }
    let block = Block::bordered().title(title);
    let inner = block.inner(area);
    let all = lines(app, inner.width);
    let height = inner.height as usize;
    let max = all.len().saturating_sub(height);
    let scroll = app.scroll.min(max);
    let start = max - scroll;
    let shown: Vec<Line<'static>> = all.into_iter().skip(start).take(height).collect();
    let block = if scroll > 0 {
        block
            .title_bottom(Line::from(format!(" ↓ {scroll} more lines · Ctrl+End ")).right_aligned())
    } else {
        block
    };
    f.render_widget(Paragraph::new(shown).block(block), area);
}
