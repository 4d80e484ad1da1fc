//! Generic JSON Lines catalogs: one JSON object per line, its keys mapped to `Item` fields by a
//! [`FieldMap`]. A line goes in, an `Item` comes out, or the reason to skip the line (serde's
//! message for invalid JSON). Lines in `Item`'s own serde layout round-trip unchanged.

use serde_json::Value;

use super::fieldmap::FieldMap;
use super::steam::kind;
use crate::catalog::item::Item;

/// Maps one line to an `Item`; `Err` is the reason to skip it.
pub fn item(line: &str, map: &FieldMap) -> std::result::Result<Item, String> {
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(rec)) => map.item(&rec),
        Ok(other) => Err(format!("expected a JSON object, found {}", kind(&other))),
        Err(e) => Err(format!("invalid JSON: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::item::Price;

    #[test]
    fn lines() -> std::result::Result<(), String> {
        let map = FieldMap::default();
        let it = item(
            r#"{"id": "a1", "title": "Alpha", "year": 2001, "price": {"paid": 9.99},
               "genres": ["Sci-Fi"], "tags": "space; ai", "attributes": {"mentions": 3}}"#,
            &map,
        )?;
        assert_eq!(it.year, Some(2001));
        assert_eq!(it.price, Some(Price::Paid(9.99)));
        assert_eq!(it.tags, ["space", "ai"]);
        assert_eq!(it.attributes["mentions"], "3");
        let free = item(r#"{"id": "b", "title": "B", "price": "free"}"#, &map)?;
        assert_eq!(free.price, Some(Price::Free));
        let plain = item(r#"{"id": "c", "title": "C", "price": 12}"#, &map)?;
        assert_eq!(plain.price, Some(Price::Paid(12.0)));
        assert!(item("[1]", &map).is_err_and(|e| e.contains("found a list")));
        assert!(item("{\"id\": 1,", &map).is_err_and(|e| e.starts_with("invalid JSON")));
        assert!(item(r#"{"title": "No id"}"#, &map).is_err_and(|e| e == "missing field `id`"));
        Ok(())
    }
}
