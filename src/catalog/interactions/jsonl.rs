//! Generic interaction lines: `{"user": …, "items": [...]}` or `{"session": …, "items":
//! [...]}`, optionally with `"liked"` and `"disliked"` lists. Ids may be strings or integers.
//! A line goes in; an [`Interaction`] or the reason to skip the line comes out.

use serde_json::Value;

use super::{id_of, push_once, Interaction};

/// Parse one line.
pub fn interaction(line: &str) -> std::result::Result<Interaction, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let Value::Object(rec) = v else {
        return Err("expected a JSON object".into());
    };
    let key = match (rec.get("user"), rec.get("session")) {
        (Some(u), _) => format!(
            "user:{}",
            id_of(u).ok_or("field `user`: expected a non-empty string or an integer")?
        ),
        (None, Some(s)) => format!(
            "session:{}",
            id_of(s).ok_or("field `session`: expected a non-empty string or an integer")?
        ),
        (None, None) => return Err("missing field `user` or `session`".into()),
    };
    let items = ids(rec.get("items"), "items")?.ok_or("missing field `items`")?;
    if items.is_empty() {
        return Err("field `items`: the list is empty".into());
    }
    let liked = ids(rec.get("liked"), "liked")?.unwrap_or_default();
    let disliked = ids(rec.get("disliked"), "disliked")?.unwrap_or_default();
    let mut all = items;
    for id in liked.iter().chain(&disliked) {
        push_once(&mut all, id);
    }
    Ok(Interaction {
        key,
        items: all,
        liked,
        disliked,
        turns: Vec::new(),
    })
}

fn ids(v: Option<&Value>, field: &str) -> std::result::Result<Option<Vec<String>>, String> {
    let Some(v) = v else { return Ok(None) };
    let Value::Array(xs) = v else {
        return Err(format!("field `{field}`: expected a list of ids"));
    };
    let mut out = Vec::new();
    for (n, x) in xs.iter().enumerate() {
        let id = id_of(x).ok_or_else(|| {
            format!(
                "field `{field}`: entry {} is not a string or integer id",
                n + 1
            )
        })?;
        push_once(&mut out, &id);
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let i =
            interaction(r#"{"user": 7, "items": ["a", 2, "a"], "liked": ["c"]}"#).expect("parses");
        assert_eq!(i.key, "user:7");
        assert_eq!(i.items, ["a", "2", "c"]);
        assert_eq!(i.liked, ["c"]);
        let s = interaction(r#"{"session": "s1", "items": [1]}"#).expect("parses");
        assert_eq!(s.key, "session:s1");
        for (line, why) in [
            ("[1]", "JSON object"),
            ("{", "invalid JSON"),
            (r#"{"items": [1]}"#, "`user` or `session`"),
            (r#"{"user": "u"}"#, "missing field `items`"),
            (r#"{"user": "u", "items": []}"#, "empty"),
            (r#"{"user": "u", "items": [{"x": 1}]}"#, "entry 1"),
            (r#"{"user": "u", "items": "a"}"#, "list of ids"),
            (r#"{"user": "", "items": [1]}"#, "`user`"),
        ] {
            let e = interaction(line).expect_err(line);
            assert!(e.contains(why), "{line}: {e}");
        }
    }
}
