//! The cards panel: one numbered card per recommendation — title (and what the user said
//! about it), year · price · genres and tags, the one-line reason, the id — fitted to the
//! panel's height: when cards do not fit, the id goes first, then the reason is shortened,
//! then the facts.

use ratatui::{
    layout::Rect,
    style::{Color, Modifier, Style},
    text::{Line, Span},
    widgets::{Block, Paragraph},
    Frame,
};

use crate::{
    store::Feedback,
    tui::{
        app::App,
        cards::{mark_word, CardView},
        wrap::wrap,
    },
};

/// Indent of a card's lines under its number.
const INDENT: usize = 3;

/// A card's parts, each already wrapped.
struct Parts {
    title: Vec<Line<'static>>,
    facts: Vec<Line<'static>>,
    why: Vec<Line<'static>>,
    id: String,
}

fn parts(n: usize, c: &CardView, width: usize) -> Parts {
    let pad = " ".repeat(INDENT);
    let muted = c.mark.is_some_and(|m| m != Feedback::Liked);
    let title_style = if muted {
        Style::new()
            .fg(Color::DarkGray)
            .add_modifier(Modifier::CROSSED_OUT)
    } else {
        Style::new().add_modifier(Modifier::BOLD)
    };
    let mut title = vec![
        Span::styled(
            format!("{n:<INDENT$}"),
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        ),
        Span::styled(c.title.clone(), title_style),
    ];
    if let Some(m) = c.mark {
        let color = match m {
            Feedback::Liked => Color::Green,
            Feedback::Rejected => Color::Red,
            Feedback::Seen => Color::Blue,
        };
        title.push(Span::styled(
            format!(" ({})", mark_word(m)),
            Style::new().fg(color),
        ));
    }
    let mut facts = c.facts();
    if !c.labels.is_empty() {
        if !facts.is_empty() {
            facts.push_str(" · ");
        }
        facts.push_str(&c.labels);
    }
    let dim = Style::new().fg(Color::Gray);
    Parts {
        title: wrap(&title, width, INDENT),
        facts: if facts.is_empty() {
            Vec::new()
        } else {
            wrap(
                &[Span::raw(pad.clone()), Span::styled(facts, dim)],
                width,
                INDENT,
            )
        },
        why: if c.why.is_empty() {
            Vec::new()
        } else {
            wrap(
                &[
                    Span::raw(pad.clone()),
                    Span::styled(c.why.clone(), Style::new().add_modifier(Modifier::ITALIC)),
                ],
                width,
                INDENT,
            )
        },
        id: c.id.clone(),
    }
}

/// Cut `lines` to `n`, marking the cut with "…".
fn cut(mut lines: Vec<Line<'static>>, n: usize) -> Vec<Line<'static>> {
    if lines.len() > n {
        lines.truncate(n);
        if let Some(last) = lines.last_mut() {
            last.spans.push(Span::raw("…"));
        }
    }
    lines
}

/// A card's lines within `budget` lines of `width` cells.
fn fit(p: Parts, budget: usize, width: usize) -> Vec<Line<'static>> {
    let budget = budget.max(1);
    let id = Span::styled(p.id.clone(), Style::new().fg(Color::DarkGray));
    let title = cut(p.title, budget.min(2));
    let mut left = budget - title.len();
    let mut out = title;
    let full = p.facts.len() + p.why.len() + 1;
    if full <= left {
        out.extend(p.facts);
        out.extend(p.why);
        out.push(Line::from(vec![Span::raw(" ".repeat(INDENT)), id]));
        return out;
    }
    // No line for the id: after the title, when it fits there.
    if let [only] = out.as_mut_slice() {
        if only.width() + 1 + id.width() <= width {
            only.spans.push(Span::raw(" "));
            only.spans.push(id);
        }
    }
    // No id; the reason gets what the facts (one line at least) leave.
    let facts = cut(p.facts, left.min(1).max(left.saturating_sub(p.why.len())));
    left -= facts.len();
    out.extend(facts);
    out.extend(cut(p.why, left));
    out
}

/// Every line of the panel for `width` × `height` cells.
#[must_use]
pub fn lines(cards: &[CardView], width: u16, height: u16) -> Vec<Line<'static>> {
    let width = usize::from(width).max(INDENT + 4);
    let height = usize::from(height);
    if cards.is_empty() {
        return wrap(
            &[Span::styled(
                "Cards appear here as soon as reco has searched the catalog.",
                Style::new().fg(Color::DarkGray),
            )],
            width,
            0,
        );
    }
    let n = cards.len();
    // One blank line between cards when every card still gets three lines.
    let gap = usize::from(height >= n * 4);
    let parts: Vec<Parts> = cards
        .iter()
        .enumerate()
        .map(|(i, c)| parts(i + 1, c, width))
        .collect();
    let full: Vec<usize> = parts
        .iter()
        .map(|p| p.title.len() + p.facts.len() + p.why.len() + 1)
        .collect();
    let budgets = share(&full, height.saturating_sub(gap * (n - 1)));
    let mut out = Vec::new();
    for (i, (p, b)) in parts.into_iter().zip(budgets).enumerate() {
        if i > 0 && gap == 1 {
            out.push(Line::from(""));
        }
        out.extend(fit(p, b, width));
    }
    out
}

/// Lines for each card out of `height`: a card that needs less than an even share gets what
/// it needs, and the rest is shared again among the others (at least one line each).
fn share(full: &[usize], height: usize) -> Vec<usize> {
    let mut budget = vec![0; full.len()];
    let mut left = height;
    let mut open: Vec<usize> = (0..full.len()).collect();
    while !open.is_empty() {
        let even = (left / open.len()).max(1);
        let (fits, rest): (Vec<usize>, Vec<usize>) = open.iter().partition(|&&i| full[i] <= even);
        if fits.is_empty() {
            // What the even share leaves over goes to the first cards, a line each.
            let extra = left.saturating_sub(even * open.len());
            for (k, i) in open.into_iter().enumerate() {
                budget[i] = (even + usize::from(k < extra)).min(full[i]);
            }
            break;
        }
        for i in fits {
            budget[i] = full[i];
            left = left.saturating_sub(full[i]);
        }
        open = rest;
    }
    budget
}

/// Draw the cards panel.
pub fn render(app: &App, f: &mut Frame<'_>, area: Rect) {
    if area.height < 3 || area.width < 8 {
        return;
    }
    let block = Block::bordered().title(if app.cards.is_empty() {
        " cards ".to_string()
    } else {
        format!(" {} cards · /why N ", app.cards.len())
    });
    let inner = block.inner(area);
    f.render_widget(
        Paragraph::new(lines(&app.cards, inner.width, inner.height)).block(block),
        area,
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_cards_leave_lines_to_long_ones() {
        assert_eq!(super::share(&[5, 3, 4, 3, 3], 20), [5, 3, 4, 3, 3]);
        assert_eq!(super::share(&[6, 3, 6, 3], 14), [4, 3, 4, 3]);
        assert_eq!(super::share(&[6, 4, 5, 4, 4], 18), [4, 4, 4, 3, 3]);
        assert_eq!(super::share(&[6, 6, 6], 2), [1, 1, 1]);
    }
}
