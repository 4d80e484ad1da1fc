//! Pieces the composer builds answers from: content words and reason comparison, the
//! one-line fact summary of an item, reasons built from facts, and sentence ends.

use std::collections::HashSet;

use crate::{
    catalog::Item,
    ground::{facts::Fact, support::Context, words::words},
    text::terminal_line,
};

/// Words of `text` that carry meaning (folded, function words left out).
fn content(text: &str, ctx: &Context) -> HashSet<String> {
    words(text)
        .into_iter()
        .filter(|w| !ctx.lexicon.is_function(&w.folded))
        .map(|w| w.stem)
        .collect()
}

/// Whether two reasons say the same thing (same content words, or nearly).
pub(super) fn same_reason(a: &str, b: &str, ctx: &Context) -> bool {
    let (x, y) = (content(a, ctx), content(b, ctx));
    if x.is_empty() || y.is_empty() {
        return x == y;
    }
    let inter = x.intersection(&y).count() as f64;
    let union = x.union(&y).count() as f64;
    inter / union >= 0.7
}

/// "Hades (2020, $24.99): Roguelike, Action, Indie, by Supergiant Games. Zagreus fights …"
#[must_use]
pub fn summary(it: &Item) -> String {
    let mut s = terminal_line(&it.title);
    let mut paren: Vec<String> = Vec::new();
    if let Some(y) = it.year {
        paren.push(y.to_string());
    }
    if let Some(p) = it.price {
        paren.push(p.to_string());
    }
    if !paren.is_empty() {
        s.push_str(&format!(" ({})", paren.join(", ")));
    }
    // Genres and tags often repeat each other ("Indie" as both): each label once.
    let mut labels: Vec<String> = Vec::new();
    for l in it.labels().map(terminal_line) {
        if labels.len() < 6 && !labels.iter().any(|x| x.eq_ignore_ascii_case(&l)) {
            labels.push(l);
        }
    }
    if !labels.is_empty() {
        s.push_str(&format!(": {}", labels.join(", ")));
    }
    if let Some(d) = &it.developer {
        s.push_str(&format!(", by {}", terminal_line(d)));
    }
    if !s.ends_with(['.', '!', '?']) {
        s.push('.');
    }
    if let Some(d) = &it.description {
        let d = terminal_line(d);
        let first = d
            .split_inclusive(". ")
            .next()
            .unwrap_or(&d)
            .trim()
            .to_string();
        if !first.is_empty() {
            s.push(' ');
            s.push_str(&first);
        }
    }
    s
}

/// A reason built from facts: "because it is tagged Gore and Survival Horror, by Red Barrels".
pub(super) fn fact_reason(item: &Item, apart: &[Fact]) -> String {
    let mut labels: Vec<String> = apart
        .iter()
        .filter_map(|f| match f {
            Fact::Label(l) => Some(terminal_line(l)),
            _ => None,
        })
        .take(2)
        .collect();
    for l in item.labels() {
        if labels.len() >= 2 {
            break;
        }
        let l = terminal_line(l);
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    let other = apart
        .iter()
        .find(|f| !matches!(f, Fact::Label(_)))
        .map(|f| terminal_line(&f.phrase()));
    let mut s = crate::ground::LEAD.to_string();
    match labels.as_slice() {
        [] => {}
        [a] => s.push_str(&format!(" is tagged {a}")),
        [a, b, ..] => s.push_str(&format!(" is tagged {a} and {b}")),
    }
    match (labels.is_empty(), other) {
        (true, Some(o)) => s.push_str(&format!(" is {o}")),
        (false, Some(o)) => s.push_str(&format!(", {o}")),
        (true, None) => s.push_str(" is in the catalog"),
        (false, None) => {}
    }
    s
}

/// Where the first complete sentence of `buf` ends (after its trailing spaces), if known.
pub(super) fn sentence_end(buf: &str, at_end: bool) -> Option<usize> {
    let b = buf.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'\n' {
            return Some(i + 1);
        }
        if !matches!(c, b'.' | b'!' | b'?') {
            continue;
        }
        match b.get(i + 1) {
            None if at_end => return Some(i + 1),
            None => return None,
            Some(n) if !n.is_ascii_whitespace() => continue,
            Some(_) => {}
        }
        if c == b'.' {
            let word = buf[..i]
                .rsplit(|ch: char| !ch.is_alphanumeric())
                .next()
                .unwrap_or("");
            let abbrev = matches!(
                word.to_lowercase().as_str(),
                "inc"
                    | "ltd"
                    | "co"
                    | "corp"
                    | "vs"
                    | "etc"
                    | "mr"
                    | "mrs"
                    | "dr"
                    | "st"
                    | "jr"
                    | "e"
                    | "i"
            ) || (word.len() == 1 && word.chars().all(char::is_uppercase));
            if abbrev {
                continue;
            }
        }
        let mut j = i + 1;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if j == b.len() && !at_end {
            return None; // a newline may follow; wait for it
        }
        if b.get(j) == Some(&b'\n') {
            j += 1;
        }
        return Some(j);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::summary;
    use crate::catalog::{Item, Price};

    #[test]
    fn a_summary_names_each_label_once_and_ends_once() {
        let it = Item {
            id: "1".into(),
            title: "Synergy".into(),
            year: Some(2005),
            price: Some(Price::Free),
            genres: vec!["Action".into(), "Free to Play".into()],
            tags: vec!["free to play".into(), "Co-op".into(), "Action".into()],
            developer: Some("Synergy Team Ltd.".into()),
            ..Item::default()
        };
        assert_eq!(
            summary(&it),
            "Synergy (2005, free): Action, Free to Play, Co-op, by Synergy Team Ltd."
        );
    }
}
