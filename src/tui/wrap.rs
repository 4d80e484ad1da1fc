//! Word wrapping of styled text: spans of one logical line and a width in, display lines out,
//! measured in terminal cells (unicode-width), with a hanging indent for continuation lines.
//! The chat wraps text itself (rather than letting `Paragraph` do it) so that it knows how
//! many lines the transcript takes, which scrolling needs.

use ratatui::{
    style::Style,
    text::{Line, Span},
};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Wrap `spans` (one logical line) to `width` cells; continuation lines start with `indent`
/// spaces. Always returns at least one line.
#[must_use]
pub fn wrap(spans: &[Span<'_>], width: usize, indent: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let indent = indent.min(width / 2);
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut used = 0usize;
    let push = |lines: &mut Vec<Vec<Span<'static>>>, s: &str, style: Style| {
        if let Some(line) = lines.last_mut() {
            match line.last_mut() {
                Some(last) if last.style == style => last.content.to_mut().push_str(s),
                _ => line.push(Span::styled(s.to_string(), style)),
            }
        }
    };
    let new_line = |lines: &mut Vec<Vec<Span<'static>>>, used: &mut usize| {
        lines.push(vec![Span::raw(" ".repeat(indent))]);
        *used = indent;
    };
    // Cells taken by the indent of the current line (nothing typed yet when used == start).
    let mut start = 0usize;
    for span in spans {
        let style = span.style;
        for token in tokens(&span.content) {
            let w = token.width();
            if token.starts_with(' ') {
                // Spaces never start a continuation line or overflow a line.
                if (used > start || lines.len() == 1) && used + w <= width {
                    push(&mut lines, token, style);
                    used += w;
                }
                continue;
            }
            if used + w > width && used > start {
                trim_end(&mut lines);
                new_line(&mut lines, &mut used);
                start = indent;
            }
            if used + w <= width {
                push(&mut lines, token, style);
                used += w;
                continue;
            }
            // A word longer than a line: break it at the width.
            for c in token.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > width && used > start {
                    new_line(&mut lines, &mut used);
                    start = indent;
                }
                let mut b = [0u8; 4];
                push(&mut lines, c.encode_utf8(&mut b), style);
                used += cw;
            }
        }
    }
    trim_end(&mut lines);
    lines.into_iter().map(Line::from).collect()
}

/// Plain text (may hold newlines) wrapped with one style.
#[must_use]
pub fn wrap_text(text: &str, style: Style, width: usize, indent: usize) -> Vec<Line<'static>> {
    text.split('\n')
        .flat_map(|l| wrap(&[Span::styled(l.to_string(), style)], width, indent))
        .collect()
}

fn trim_end(lines: &mut [Vec<Span<'static>>]) {
    if let Some(last) = lines.last_mut().and_then(|l| l.last_mut()) {
        let trimmed = last.content.trim_end().len();
        if trimmed < last.content.len() && !last.content.trim().is_empty() {
            last.content.to_mut().truncate(trimmed);
        }
    }
}

/// Runs of spaces and runs of non-spaces.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut space = None;
    for (i, c) in s.char_indices() {
        let is = c == ' ';
        if space.is_some_and(|sp| sp != is) {
            out.push(&s[start..i]);
            start = i;
        }
        space = Some(is);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn wraps_words_with_a_hanging_indent() {
        let l = wrap(&[Span::raw("the quick brown fox jumps")], 10, 2);
        assert_eq!(plain(&l), ["the quick", "  brown", "  fox", "  jumps"]);
        let long = wrap(&[Span::raw("abcdefghijkl")], 5, 0);
        assert_eq!(plain(&long), ["abcde", "fghij", "kl"]);
        assert_eq!(plain(&wrap(&[Span::raw("")], 5, 0)), [""]);
        let wide = wrap(&[Span::raw("日本語のテキスト")], 6, 0);
        assert!(wide.iter().all(|l| l.width() <= 6), "{wide:?}");
        let styled = wrap(
            &[
                Span::raw("• "),
                Span::styled("Portal 2", Style::new()),
                Span::raw(" — fun"),
            ],
            40,
            2,
        );
        assert_eq!(plain(&styled), ["• Portal 2 — fun"]);
    }
}
