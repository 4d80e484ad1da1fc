//! Control characters out of imported text. Every text field of an item (id, title, genres,
//! tags, developer, publisher, description, attribute names and values) goes in; the same
//! item comes out with escape sequences, C0/C1 controls and bidirectional overrides removed,
//! plus the names of the fields that changed, so the importer reports the line instead of
//! changing data silently. Newlines and tabs are not controls here (the terminal and prompt
//! layers fold them); an id or title left empty makes the line a skip.

use crate::{
    catalog::item::Item,
    text::{sanitize::is_bidi_control, strip_controls, terminal},
};

/// Whether `s` holds a character that could act on a terminal.
fn dirty(s: &str) -> bool {
    s.chars()
        .any(|c| (c.is_control() && !matches!(c, '\n' | '\t' | '\r')) || is_bidi_control(c))
}

/// Clean one single-line field in place; whether it changed.
fn line(s: &mut String) -> bool {
    if !dirty(s) {
        return false;
    }
    *s = strip_controls(s).0;
    true
}

/// Clean every text field of `item`. Returns the names of the fields that held control
/// characters, or the reason to skip the record when its id or title is left empty.
pub fn clean(item: &mut Item) -> Result<Vec<&'static str>, String> {
    let mut fields = Vec::new();
    if line(&mut item.id) {
        fields.push("id");
    }
    if line(&mut item.title) {
        fields.push("title");
    }
    for (name, list) in [("genres", &mut item.genres), ("tags", &mut item.tags)] {
        let mut changed = false;
        for v in list.iter_mut() {
            changed |= line(v);
        }
        if changed {
            list.retain(|v| !v.is_empty());
            fields.push(name);
        }
    }
    for (name, field) in [
        ("developer", &mut item.developer),
        ("publisher", &mut item.publisher),
    ] {
        if field.as_mut().is_some_and(line) {
            fields.push(name);
        }
    }
    if let Some(d) = item.description.as_mut().filter(|d| dirty(d)) {
        *d = terminal(d).trim().to_string();
        fields.push("description");
    }
    if item.attributes.iter().any(|(k, v)| dirty(k) || dirty(v)) {
        item.attributes = std::mem::take(&mut item.attributes)
            .into_iter()
            .map(|(k, v)| (strip_controls(&k).0, strip_controls(&v).0))
            .filter(|(k, _)| !k.is_empty())
            .collect();
        fields.push("attributes");
    }
    if item.id.is_empty() {
        return Err("the id is empty once control characters are removed".into());
    }
    if item.title.is_empty() {
        return Err("the title is empty once control characters are removed".into());
    }
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_removed_and_named() {
        let mut it = Item {
            id: "42".into(),
            title: "Evil\u{1b}]0;pwned\u{7} Game\u{1b}[2J".into(),
            genres: vec!["Action\u{9b}2J".into(), "\u{202e}".into()],
            developer: Some("Studio\u{99}".into()),
            description: Some("Line one\nline two\u{85}".into()),
            ..Item::default()
        };
        it.attributes.insert("url".into(), "http://x\u{7}".into());
        let fields = clean(&mut it).expect("clean");
        assert_eq!(
            fields,
            ["title", "genres", "developer", "description", "attributes"]
        );
        assert_eq!(it.title, "Evil Game");
        assert_eq!(it.genres, ["Action"]);
        assert_eq!(it.developer.as_deref(), Some("Studio"));
        assert_eq!(it.description.as_deref(), Some("Line one\nline two"));
        assert_eq!(it.attributes["url"], "http://x");
        let mut fine = Item {
            id: "1".into(),
            title: "Fine\ttitle".into(),
            description: Some("a\nb".into()),
            ..Item::default()
        };
        assert_eq!(clean(&mut fine), Ok(vec![]));
        assert_eq!(fine.title, "Fine\ttitle");
        let mut empty = Item {
            id: "1".into(),
            title: "\u{1b}[2J".into(),
            ..Item::default()
        };
        assert!(clean(&mut empty).is_err_and(|e| e.contains("title is empty")));
    }
}
