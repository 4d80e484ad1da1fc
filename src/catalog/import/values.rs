//! Turning the loose values that real catalogs hold (JSON values or CSV cells) into the typed
//! fields of an `Item`: text, years, prices and label lists. Pure functions, shared by every
//! format; none of them fails, they answer `None` (or empty) for junk.

use serde_json::Value;

use crate::catalog::item::Price;

/// Years a generic catalog may plausibly hold.
pub const YEARS: std::ops::RangeInclusive<i32> = 1800..=2100;

/// A scalar as text: strings trimmed (empty → `None`), numbers and booleans printed,
/// lists of scalars joined with ", "; `null`, objects and empty values give `None`.
pub fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => non_empty(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().filter_map(text).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Value::Null | Value::Object(_) => None,
    }
}

/// Any value as attribute text: like [`text`], but objects and nested lists become JSON.
pub fn attribute(v: &Value) -> Option<String> {
    match v {
        Value::Object(o) if o.is_empty() => None,
        Value::Object(_) => Some(v.to_string()),
        Value::Array(a) if a.iter().any(|x| x.is_array() || x.is_object()) => Some(v.to_string()),
        _ => text(v),
    }
}

/// A trimmed copy of `s`, or `None` when it is blank.
pub fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The first run of exactly four digits in `s`, as a year, when it lies in `range`.
pub fn year_in(s: &str, range: &std::ops::RangeInclusive<i32>) -> Option<i32> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                let y: i32 = s[start..i].parse().ok()?;
                return range.contains(&y).then_some(y);
            }
        } else {
            i += 1;
        }
    }
    None
}

/// A year from a JSON value: an integer, or the first four-digit year in a string.
pub fn year(v: &Value, range: &std::ops::RangeInclusive<i32>) -> Option<i32> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .and_then(|y| i32::try_from(y).ok())
            .filter(|y| range.contains(y)),
        Value::String(s) => year_in(s, range),
        _ => None,
    }
}

/// What a price value means: a price, or `None` plus the raw text worth keeping as a note.
pub enum PriceOf {
    /// A usable price.
    Known(Price),
    /// Not a price ("Third-party", "Install Now"); keep the text as a note.
    Note(String),
    /// No value at all.
    Absent,
}

/// Reads a price: numbers (0 → free), numeric strings ("9.99", "$9.99"), strings mentioning
/// "free", Item's own layout (`"free"`, `{"paid": 9.99}`, `{"free": null}`).
pub fn price(v: &Value) -> PriceOf {
    match v {
        Value::Null => PriceOf::Absent,
        Value::Number(n) => n
            .as_f64()
            .map_or(PriceOf::Absent, |f| amount(f, &n.to_string())),
        Value::String(s) => price_text(s),
        Value::Object(o) if o.len() == 1 => {
            if let Some(p) = o.get("paid") {
                return match p {
                    Value::Number(_) | Value::String(_) => price(p),
                    _ => PriceOf::Note(v.to_string()),
                };
            }
            if o.contains_key("free") {
                return PriceOf::Known(Price::Free);
            }
            PriceOf::Note(v.to_string())
        }
        _ => PriceOf::Note(v.to_string()),
    }
}

/// Reads a price from text (see [`price`]).
pub fn price_text(s: &str) -> PriceOf {
    let t = s.trim();
    if t.is_empty() {
        return PriceOf::Absent;
    }
    if t.to_ascii_lowercase().contains("free") {
        return PriceOf::Known(Price::Free);
    }
    let digits = t.strip_prefix('$').unwrap_or(t).trim();
    match digits.parse::<f64>() {
        Ok(f) => amount(f, t),
        Err(_) => PriceOf::Note(t.to_string()),
    }
}

fn amount(f: f64, raw: &str) -> PriceOf {
    if f == 0.0 {
        PriceOf::Known(Price::Free)
    } else if f.is_finite() && f > 0.0 {
        PriceOf::Known(Price::Paid(f))
    } else {
        PriceOf::Note(raw.to_string())
    }
}

/// A list of labels: a JSON array (scalars as text) or a string split on `,` `;` `|`.
pub fn labels(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().filter_map(text).collect(),
        Value::String(s) => split_labels(s),
        Value::Number(_) | Value::Bool(_) => text(v).into_iter().collect(),
        Value::Null | Value::Object(_) => Vec::new(),
    }
}

/// Splits `s` on `,` `;` `|`, trimming and dropping empty parts.
pub fn split_labels(s: &str) -> Vec<String> {
    s.split([',', ';', '|']).filter_map(non_empty).collect()
}

/// Appends the labels in `more` to `into`, skipping ones already there (case-insensitive).
pub fn merge_labels(into: &mut Vec<String>, more: Vec<String>) {
    for l in more {
        if !into.iter().any(|x| x.eq_ignore_ascii_case(&l)) {
            into.push(l);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn years() {
        assert_eq!(year_in("2018-01-04", &YEARS), Some(2018));
        assert_eq!(year_in("Q1 2018", &YEARS), Some(2018));
        assert_eq!(year_in("12345 then 1999", &YEARS), Some(1999));
        assert_eq!(year_in("Coming Soon", &YEARS), None);
        assert_eq!(year_in("0001", &YEARS), None);
        assert_eq!(year(&json!(1994), &YEARS), Some(1994));
        assert_eq!(year(&json!(99_999_999_999_i64), &YEARS), None);
    }

    #[test]
    fn prices() {
        let p = |v: Value| match price(&v) {
            PriceOf::Known(p) => Some(Ok(p)),
            PriceOf::Note(n) => Some(Err(n)),
            PriceOf::Absent => None,
        };
        assert_eq!(p(json!(4.99)), Some(Ok(Price::Paid(4.99))));
        assert_eq!(p(json!(0.0)), Some(Ok(Price::Free)));
        assert_eq!(p(json!("Free To Play")), Some(Ok(Price::Free)));
        assert_eq!(p(json!("Play for Free!")), Some(Ok(Price::Free)));
        assert_eq!(p(json!("free")), Some(Ok(Price::Free)));
        assert_eq!(p(json!({"paid": 9.99})), Some(Ok(Price::Paid(9.99))));
        assert_eq!(p(json!("$1.50")), Some(Ok(Price::Paid(1.5))));
        assert_eq!(p(json!("Third-party")), Some(Err("Third-party".into())));
        assert_eq!(p(json!(-1)), Some(Err("-1".into())));
        assert_eq!(p(json!(null)), None);
    }

    #[test]
    fn label_lists() {
        assert_eq!(labels(&json!("a, b;c| |d")), vec!["a", "b", "c", "d"]);
        assert_eq!(labels(&json!(["x", 1, null])), vec!["x", "1"]);
        let mut l = vec!["Co-op".to_string()];
        merge_labels(&mut l, vec!["co-op".into(), "Puzzle".into()]);
        assert_eq!(l, vec!["Co-op", "Puzzle"]);
    }
}
