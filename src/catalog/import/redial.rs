//! The ReDial movie list (`movieId,movieName,nbMentions`): a CSV row goes in, an `Item` comes
//! out with the trailing "(YYYY)" of the name split off into the year and the mention count
//! kept as the `mentions` attribute.

use std::collections::BTreeMap;

use crate::catalog::item::Item;

/// The header columns, in order.
pub const COLUMNS: [&str; 3] = ["movieId", "movieName", "nbMentions"];

/// Release years a film can plausibly have.
const YEARS: std::ops::RangeInclusive<i32> = 1870..=2030;

/// Maps one row (id, name and mention count cells) to an `Item`; `Err` is the reason to skip.
pub fn item(
    id: Option<&str>,
    name: Option<&str>,
    mentions: Option<&str>,
) -> std::result::Result<Item, String> {
    let id = id.map(str::trim).filter(|s| !s.is_empty());
    let id = id.ok_or("missing field `id` (column `movieId`)")?;
    let (title, year) = split_year(name.unwrap_or(""));
    if title.is_empty() {
        return Err("missing field `title` (column `movieName`)".to_string());
    }
    let mut attributes = BTreeMap::new();
    if let Some(m) = mentions.map(str::trim).filter(|s| !s.is_empty()) {
        attributes.insert("mentions".to_string(), m.to_string());
    }
    Ok(Item {
        id: id.to_string(),
        title,
        year,
        attributes,
        ..Item::default()
    })
}

/// Splits "Star Wars  (1977) " into ("Star Wars", Some(1977)); spacing is normalised and a
/// name without a trailing year is kept whole.
pub fn split_year(name: &str) -> (String, Option<i32>) {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(body) = name.strip_suffix(')') {
        if let Some(open) = body.rfind('(') {
            let inner = body[open + 1..].trim();
            let title = body[..open].trim();
            if inner.len() == 4 && inner.bytes().all(|b| b.is_ascii_digit()) && !title.is_empty() {
                if let Ok(y) = inner.parse::<i32>() {
                    if YEARS.contains(&y) {
                        return (title.to_string(), Some(y));
                    }
                }
            }
        }
    }
    (name, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            split_year("Headhunter  (2009)"),
            ("Headhunter".into(), Some(2009))
        );
        assert_eq!(split_year("The Mummy "), ("The Mummy".into(), None));
        assert_eq!(
            split_year("(500) Days of Summer (2009)"),
            ("(500) Days of Summer".into(), Some(2009))
        );
        assert_eq!(split_year("(2009)"), ("(2009)".into(), None));
        assert_eq!(split_year("Film ( 1999 )"), ("Film".into(), Some(1999)));
        assert_eq!(split_year("Odd (abcd)"), ("Odd (abcd)".into(), None));
        assert_eq!(
            split_year("Ünïcode (1234)"),
            ("Ünïcode (1234)".into(), None)
        );
    }

    #[test]
    fn rows() {
        let it = item(Some("75881"), Some("Toy Story 2 (1999)"), Some("26"));
        assert!(it
            .as_ref()
            .is_ok_and(|i| i.id == "75881" && i.year == Some(1999)));
        assert!(it.is_ok_and(|i| i.attributes["mentions"] == "26"));
        assert!(item(Some(" "), Some("X"), None).is_err_and(|e| e.contains("`id`")));
        assert!(item(Some("1"), Some("  "), None).is_err_and(|e| e.contains("`title`")));
    }
}
