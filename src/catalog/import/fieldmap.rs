//! Where each normalised `Item` field comes from in a generic JSONL or CSV catalog: a key or
//! column name per field, written on the command line as `title=name,id=sku`. Fields not
//! named keep their own name (`title` comes from `title`). Also turns one flat record (JSON
//! object or CSV row, as JSON values) into an `Item`, or the reason it cannot be one.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::values::{self, PriceOf};
use crate::catalog::item::Item;
use crate::error::{Error, Result};

/// The `Item` fields a map can name, in `Item`'s order.
pub const FIELDS: [&str; 9] = [
    "id",
    "title",
    "year",
    "price",
    "genres",
    "tags",
    "developer",
    "publisher",
    "description",
];

/// Source key (JSONL) or column (CSV) for each `Item` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMap {
    /// Source name per field, indexed like [`FIELDS`].
    sources: [String; 9],
    /// Which fields the user named explicitly (a CSV must then have that column).
    explicit: [bool; 9],
}

impl Default for FieldMap {
    fn default() -> Self {
        Self {
            sources: FIELDS.map(str::to_string),
            explicit: [false; 9],
        }
    }
}

impl FieldMap {
    /// Parses `field=source` pairs separated by commas, e.g. `title=name,id=sku,genres=category`.
    /// An empty spec is the default map.
    ///
    /// # Errors
    /// `Error::Invalid` for a pair without `=`, an unknown field or an empty source name.
    pub fn parse(spec: &str) -> Result<FieldMap> {
        let mut map = FieldMap::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((field, source)) = pair.split_once('=') else {
                return Err(Error::Invalid(format!(
                    "field map: `{pair}` is not `field=source` (e.g. `title=name`)"
                )));
            };
            let (field, source) = (field.trim(), source.trim());
            let Some(i) = FIELDS.iter().position(|f| *f == field) else {
                return Err(Error::Invalid(format!(
                    "field map: unknown field `{field}`; expected one of {}",
                    FIELDS.join(", ")
                )));
            };
            if source.is_empty() {
                return Err(Error::Invalid(format!(
                    "field map: `{field}` has an empty source name"
                )));
            }
            map.sources[i] = source.to_string();
            map.explicit[i] = true;
        }
        Ok(map)
    }

    /// The source key or column for `field` (one of [`FIELDS`]); `None` for other names.
    #[must_use]
    pub fn source(&self, field: &str) -> Option<&str> {
        let i = FIELDS.iter().position(|f| *f == field)?;
        Some(&self.sources[i])
    }

    /// The columns a CSV header must have: `id`, `title`, and every explicitly mapped field.
    pub(crate) fn required(&self) -> impl Iterator<Item = &str> {
        (0..FIELDS.len())
            .filter(|&i| i < 2 || self.explicit[i])
            .map(|i| self.sources[i].as_str())
    }

    /// Whether `key` is the source of some field.
    pub(crate) fn is_source(&self, key: &str) -> bool {
        self.sources.iter().any(|s| s == key)
    }

    /// The reason text for a missing required field.
    fn missing(&self, i: usize) -> String {
        if self.sources[i] == FIELDS[i] {
            format!("missing field `{}`", FIELDS[i])
        } else {
            format!("missing field `{}` (key `{}`)", FIELDS[i], self.sources[i])
        }
    }

    /// Builds an `Item` from one flat record. Unmapped keys become attributes, and an
    /// `attributes` object (Item's own layout) is merged in. `Err` is the reason to skip.
    pub(crate) fn item(&self, rec: &Map<String, Value>) -> std::result::Result<Item, String> {
        let get = |i: usize| rec.get(&self.sources[i]).filter(|v| !v.is_null());
        let id = get(0)
            .and_then(values::text)
            .ok_or_else(|| self.missing(0))?;
        let title = get(1)
            .and_then(values::text)
            .ok_or_else(|| self.missing(1))?;
        let mut attributes = BTreeMap::new();
        let price = match get(3).map_or(PriceOf::Absent, values::price) {
            PriceOf::Known(p) => Some(p),
            PriceOf::Note(n) => {
                attributes.insert("price_note".to_string(), n);
                None
            }
            PriceOf::Absent => None,
        };
        if let Some(Value::Object(attrs)) = rec.get("attributes") {
            if !self.is_source("attributes") {
                for (k, v) in attrs {
                    if let Some(t) = values::attribute(v) {
                        attributes.insert(k.clone(), t);
                    }
                }
            }
        }
        for (k, v) in rec {
            if self.is_source(k) || (k == "attributes" && v.is_object()) {
                continue;
            }
            if let Some(t) = values::attribute(v) {
                attributes.insert(k.clone(), t);
            }
        }
        Ok(Item {
            id,
            title,
            year: get(2).and_then(|v| values::year(v, &values::YEARS)),
            price,
            genres: get(4).map(values::labels).unwrap_or_default(),
            tags: get(5).map(values::labels).unwrap_or_default(),
            developer: get(6).and_then(values::text),
            publisher: get(7).and_then(values::text),
            description: get(8).and_then(values::text),
            attributes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::item::Price;
    use serde_json::json;

    #[test]
    fn parse_specs() -> Result<()> {
        let m = FieldMap::parse("title=name, id=sku,genres=category")?;
        assert_eq!(m.source("title"), Some("name"));
        assert_eq!(m.source("id"), Some("sku"));
        assert_eq!(m.source("year"), Some("year"));
        assert_eq!(
            m.required().collect::<Vec<_>>(),
            ["sku", "name", "category"]
        );
        assert_eq!(FieldMap::parse("")?, FieldMap::default());
        assert!(FieldMap::parse("colour=x").is_err());
        assert!(FieldMap::parse("title").is_err());
        assert!(FieldMap::parse("title=").is_err());
        Ok(())
    }

    #[test]
    fn item_shaped_record_round_trips() -> std::result::Result<(), String> {
        let item = Item {
            id: "7".into(),
            title: "Seven".into(),
            year: Some(1995),
            price: Some(Price::Paid(9.99)),
            genres: vec!["Crime".into()],
            tags: vec!["Dark".into(), "Twist".into()],
            developer: Some("Fincher".into()),
            publisher: None,
            description: Some("Seven sins.".into()),
            attributes: [("mentions".to_string(), "3".to_string())].into(),
        };
        let v = serde_json::to_value(&item).map_err(|e| e.to_string())?;
        let Value::Object(rec) = v else {
            return Err("not an object".into());
        };
        assert_eq!(FieldMap::default().item(&rec)?, item);
        Ok(())
    }

    #[test]
    fn mapped_and_unmapped_keys() -> std::result::Result<(), String> {
        let m = FieldMap::parse("title=name,id=sku").map_err(|e| e.to_string())?;
        let rec = json!({"sku": 12, "name": "Widget", "price": "free", "colour": "red",
                         "sizes": [1, 2], "genres": "a|b"});
        let Value::Object(rec) = rec else {
            return Err("not an object".into());
        };
        let item = m.item(&rec)?;
        assert_eq!(item.id, "12");
        assert_eq!(item.price, Some(Price::Free));
        assert_eq!(item.genres, ["a", "b"]);
        assert_eq!(item.attributes["colour"], "red");
        assert_eq!(item.attributes["sizes"], "1, 2");
        let mut no_title = rec.clone();
        no_title.remove("name");
        assert_eq!(
            m.item(&no_title),
            Err("missing field `title` (key `name`)".into())
        );
        Ok(())
    }
}
