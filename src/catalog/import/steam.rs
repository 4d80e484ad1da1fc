//! The Steam games catalog (UCSD / McAuley lab dump): one record per line, either a Python
//! dict literal (the original `.json.gz`) or JSON (its `.jsonl` twin). A line goes in, an
//! `Item` comes out, or the reason the line was skipped. Junk values (dates such as "Coming
//! Soon", prices such as "Install Now") never skip a record: they are left out or kept as notes.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::pylit;
use super::values::{self, PriceOf};
use crate::catalog::item::Item;

/// Release years Steam can plausibly hold.
const YEARS: std::ops::RangeInclusive<i32> = 1970..=2030;

/// Parses one line (JSON first, then Python literal syntax) into a dict.
pub fn parse_line(line: &str) -> std::result::Result<Map<String, Value>, String> {
    // JSON keys start with `"`; Python's with `u'`, `'` or `"`. Try JSON only when it can fit.
    let after_brace = line.trim_start().strip_prefix('{').map(str::trim_start);
    let maybe_json = after_brace.is_none_or(|r| r.starts_with(['"', '}']));
    let json = maybe_json
        .then(|| serde_json::from_str::<Value>(line).ok())
        .flatten();
    let value = match json {
        Some(v) => v,
        None => pylit::parse(line).map_err(|e| format!("not a Python dict or JSON object: {e}"))?,
    };
    match value {
        Value::Object(m) => Ok(m),
        other => Err(format!("expected a dict, found {}", kind(&other))),
    }
}

/// Whether a record looks like a Steam game (for format detection).
pub fn looks_like_steam(rec: &Map<String, Value>) -> bool {
    rec.contains_key("app_name") && (rec.contains_key("id") || rec.contains_key("url"))
}

/// The JSON kind of a value, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a dict",
    }
}

/// Maps one Steam record to an `Item`; `Err` is the reason to skip it.
pub fn item(rec: &Map<String, Value>) -> std::result::Result<Item, String> {
    let get = |k: &str| rec.get(k).filter(|v| !v.is_null());
    let id = get("id")
        .and_then(values::text)
        .or_else(|| get("url").and_then(Value::as_str).and_then(app_id))
        .ok_or("missing field `id` (and no /app/NNN/ in `url`)")?;
    let title = get("app_name")
        .and_then(values::text)
        .or_else(|| get("title").and_then(values::text))
        .ok_or("missing field `title` (keys `app_name`, `title`)")?;
    let mut attributes = BTreeMap::new();
    let price = match get("price").map_or(PriceOf::Absent, values::price) {
        PriceOf::Known(p) => Some(p),
        PriceOf::Note(n) => {
            attributes.insert("price_note".to_string(), n);
            None
        }
        PriceOf::Absent => None,
    };
    for key in [
        "sentiment",
        "metascore",
        "early_access",
        "url",
        "discount_price",
    ] {
        if let Some(t) = get(key).and_then(values::text) {
            attributes.insert(key.to_string(), t);
        }
    }
    let specs = get("specs").map(values::labels).unwrap_or_default();
    if !specs.is_empty() {
        attributes.insert("specs".to_string(), specs.join("; "));
    }
    let mut tags = Vec::new();
    values::merge_labels(
        &mut tags,
        get("tags").map(values::labels).unwrap_or_default(),
    );
    values::merge_labels(&mut tags, specs);
    let mut genres = Vec::new();
    values::merge_labels(
        &mut genres,
        get("genres").map(values::labels).unwrap_or_default(),
    );
    Ok(Item {
        id,
        title,
        year: get("release_date").and_then(|v| values::year(v, &YEARS)),
        price,
        genres,
        tags,
        developer: get("developer").and_then(values::text),
        publisher: get("publisher").and_then(values::text),
        description: get("description").and_then(values::text),
        attributes,
    })
}

/// The app id in a store URL such as `http://store.steampowered.com/app/761140/Name/`.
fn app_id(url: &str) -> Option<String> {
    let rest = &url[url.find("/app/")? + 5..];
    let (digits, _) = rest.split_once('/')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::item::Price;

    fn one(line: &str) -> std::result::Result<Item, String> {
        item(&parse_line(line)?)
    }

    #[test]
    fn python_line() -> std::result::Result<(), String> {
        let it = one(
            "{u'publisher': u'Kotoshiro', u'genres': [u'Action', u'Indie'], u'app_name': \
             u'Lost Summoner Kitty', u'url': u'http://store.steampowered.com/app/761140/L/', \
             u'release_date': u'2018-01-04', u'tags': [u'Strategy', u'Action'], \
             u'discount_price': 4.49, u'specs': [u'Single-player', u'action'], u'price': 4.99, \
             u'early_access': False, u'id': u'761140', u'developer': u'Kotoshiro', \
             u'sentiment': u'Mostly Positive', u'metascore': 91}",
        )?;
        assert_eq!(it.id, "761140");
        assert_eq!(it.title, "Lost Summoner Kitty");
        assert_eq!(it.year, Some(2018));
        assert_eq!(it.price, Some(Price::Paid(4.99)));
        assert_eq!(it.genres, ["Action", "Indie"]);
        assert_eq!(it.tags, ["Strategy", "Action", "Single-player"]);
        assert_eq!(it.developer.as_deref(), Some("Kotoshiro"));
        assert_eq!(it.attributes["specs"], "Single-player; action");
        assert_eq!(it.attributes["early_access"], "false");
        assert_eq!(it.attributes["discount_price"], "4.49");
        assert_eq!(it.attributes["metascore"], "91");
        assert_eq!(it.attributes["sentiment"], "Mostly Positive");
        Ok(())
    }

    #[test]
    fn json_line_and_junk_values() -> std::result::Result<(), String> {
        let it = one(
            r#"{"title": "T", "url": "http://store.steampowered.com/app/42/T/", "price": "Install Now", "release_date": "Coming Soon"}"#,
        )?;
        assert_eq!((it.id.as_str(), it.title.as_str()), ("42", "T"));
        assert_eq!(it.price, None);
        assert_eq!(it.attributes["price_note"], "Install Now");
        assert_eq!(it.year, None);
        let free = one("{'id': '1', 'app_name': 'F', 'price': u'Free to Play'}")?;
        assert_eq!(free.price, Some(Price::Free));
        let zero = one("{'id': 1, 'app_name': 'Z', 'price': 0.0, 'release_date': '1901'}")?;
        assert_eq!((zero.price, zero.year), (Some(Price::Free), None));
        Ok(())
    }

    #[test]
    fn skips_name_the_field() {
        let no_id = one(r#"{"url": "http://store.steampowered.com/", "price": 19.99}"#);
        assert!(no_id.is_err_and(|e| e.contains("missing field `id`")));
        let bare = one(r#"{"app_name": "B", "url": "http://store.steampowered.com/app/200260"}"#);
        assert!(bare.is_err_and(|e| e.contains("missing field `id`")));
        let no_title = one("{'id': '5'}");
        assert!(no_title.is_err_and(|e| e.contains("missing field `title`")));
        assert!(parse_line("[1, 2]").is_err_and(|e| e.contains("expected a dict")));
        assert!(parse_line("{u'a': }").is_err());
    }
}
