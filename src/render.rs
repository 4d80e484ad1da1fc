//! Rendering for people: one-line item cards and the CLI's printing sinks. Every string that
//! comes from a catalog or a model passes through [`crate::text::terminal`] or
//! [`crate::text::terminal_line`] here, so escape sequences in data never reach a terminal.

use std::io::Write;

use crate::{
    catalog::Item,
    dialogue::{Answer, Sink, Understood},
    ground::Grounding,
    text::{terminal, terminal_line},
};

/// One line describing an item: title, year, price, genres, id — safe for a terminal.
#[must_use]
pub fn card(it: &Item) -> String {
    let mut s = terminal_line(&it.title);
    if let Some(y) = it.year {
        s.push_str(&format!(" ({y})"));
    }
    if let Some(p) = it.price {
        s.push_str(&format!(" · {p}"));
    }
    if !it.genres.is_empty() {
        let g: Vec<String> = it.genres.iter().map(|g| terminal_line(g)).collect();
        s.push_str(&format!(" · {}", g.join(", ")));
    }
    if it.is_addon() {
        s.push_str(" · add-on");
    }
    s.push_str(&format!(" [{}]", terminal_line(&it.id)));
    s
}

/// What the grounding check did to the model's text, for `--verbose`: one line of counts, then
/// one line per removed piece with the words nothing backed.
#[must_use]
pub fn grounding_lines(g: &Grounding) -> Vec<String> {
    let mut out = vec![format!(
        "[grounding: kept {}, trimmed {}, dropped {}, replaced by facts {}, fact appended {}]",
        g.kept, g.trimmed, g.dropped, g.replaced, g.appended
    )];
    for c in &g.cut {
        let why: Vec<String> = c.why.iter().map(|w| terminal_line(w)).collect();
        out.push(format!(
            "  cut: {} ({})",
            terminal_line(&c.text),
            why.join(", ")
        ));
    }
    out
}

/// Streams a turn to stdout for a person.
#[derive(Debug, Default)]
pub struct StdoutSink {
    /// Whether the last text written ended a line.
    at_line_start: bool,
    /// Print the intent and action of each turn.
    pub verbose: bool,
}

impl StdoutSink {
    /// A sink that prints the intent of each turn on stderr when `verbose`.
    #[must_use]
    pub fn new(verbose: bool) -> Self {
        Self {
            at_line_start: true,
            verbose,
        }
    }
}

impl Sink for StdoutSink {
    fn understood(&mut self, u: &Understood) {
        if self.verbose {
            eprintln!(
                "[intent {} ({:.2}) → {}]",
                u.intent.label(),
                u.intent.confidence,
                u.route.action.name()
            );
        }
    }

    fn cards(&mut self, items: &[&Item]) {
        let mut out = std::io::stdout().lock();
        for (i, it) in items.iter().enumerate() {
            let _ = writeln!(out, "  {}. {}", i + 1, card(it));
        }
        let _ = writeln!(out);
        let _ = out.flush();
        self.at_line_start = true;
    }

    fn token(&mut self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(terminal(text).as_bytes());
        let _ = out.flush();
        self.at_line_start = text.ends_with('\n');
    }

    fn done(&mut self, answer: &Answer) {
        if !self.at_line_start {
            println!();
        }
        let unknown: Vec<String> = answer
            .mentions
            .iter()
            .filter(|m| m.id.is_none())
            .map(|m| terminal_line(&m.text))
            .collect();
        if !unknown.is_empty() {
            println!(
                "(not in the catalog, so not recommended: {})",
                unknown.join(", ")
            );
        }
        if self.verbose {
            for line in grounding_lines(&answer.grounding) {
                eprintln!("{line}");
            }
        }
    }
}

/// Collects the answer and prints it as one JSON object.
#[derive(Debug, Default)]
pub struct JsonSink;

impl Sink for JsonSink {
    fn cards(&mut self, _items: &[&Item]) {}
    fn token(&mut self, _text: &str) {}
    fn done(&mut self, answer: &Answer) {
        println!(
            "{}",
            serde_json::to_string(answer).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_are_terminal_safe() {
        let it = Item {
            id: "x\u{1b}[2J".into(),
            title: "Evil\u{1b}]0;pwned\u{7} Game\u{1b}[2J".into(),
            ..Item::default()
        };
        let c = card(&it);
        assert!(!c.contains('\u{1b}') && !c.contains('\u{7}'), "{c:?}");
        assert!(c.starts_with("Evil Game"), "{c}");
    }

    #[test]
    fn verbose_lists_every_cut_with_its_reason_safely() {
        let g = Grounding {
            kept: 1,
            dropped: 2,
            cut: vec![
                crate::ground::Cut {
                    text: "set in ancient \u{1b}[31mEgypt".into(),
                    why: vec!["egypt".into()],
                },
                crate::ground::Cut {
                    text: "because it is fun".into(),
                    why: vec!["repeats another reason".into()],
                },
            ],
            ..Grounding::default()
        };
        let lines = grounding_lines(&g);
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines[0].contains("kept 1") && lines[0].contains("dropped 2"));
        assert!(lines[1].contains("Egypt") && lines[1].ends_with("(egypt)"));
        assert!(!lines[1].contains('\u{1b}'), "{:?}", lines[1]);
        assert!(lines[2].contains("repeats another reason"));
    }
}
