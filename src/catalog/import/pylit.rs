//! A small parser for Python literals (what `repr()` of a dict prints, as in the original Steam
//! dump): text in, a `serde_json::Value` out. It reads dicts, lists, tuples, strings with
//! `u`/`b`/`r` prefixes and backslash escapes (`\xNN`, `\uNNNN`, `\UNNNNNNNN`, octal, `\n`, ...),
//! ints (with Python 2's `L`), floats, `True`/`False`/`None` and JSON's `true`/`false`/`null`
//! (sets are not read: `repr()` of catalog records does not contain them).
//! It never panics; errors carry the byte offset where parsing stopped.

use serde_json::{Map, Number, Value};

/// How deep lists and dicts may nest before the input is rejected (keeps the stack bounded).
const MAX_DEPTH: usize = 128;

/// Parses one complete Python literal; trailing text other than whitespace is an error.
pub fn parse(text: &str) -> std::result::Result<Value, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
    };
    let v = p.value(0)?;
    p.ws();
    if p.pos < p.s.len() {
        return Err(p.err("unexpected text after the literal"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> String {
        format!("{what} at column {}", self.pos + 1)
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> std::result::Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        self.ws();
        match self.peek() {
            None => Err(self.err("unexpected end of input")),
            Some(b'{') => self.dict(depth),
            Some(b'[') => self.seq(b']', depth),
            Some(b'(') => self.seq(b')', depth),
            Some(b'\'' | b'"') => self.strings(),
            Some(b'-' | b'+' | b'.' | b'0'..=b'9') => self.number(),
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => self.word(),
            Some(_) => Err(self.err("unexpected character")),
        }
    }

    fn dict(&mut self, depth: usize) -> std::result::Result<Value, String> {
        self.pos += 1; // '{'
        let mut map = Map::new();
        loop {
            self.ws();
            if self.eat(b'}') {
                return Ok(Value::Object(map));
            }
            let key = key_string(self.value(depth + 1)?)?;
            self.ws();
            if !self.eat(b':') {
                return Err(self.err("expected `:` after a dict key"));
            }
            map.insert(key, self.value(depth + 1)?);
            self.ws();
            if self.eat(b'}') {
                return Ok(Value::Object(map));
            }
            if !self.eat(b',') {
                return Err(self.err("expected `,` or `}`"));
            }
        }
    }

    fn seq(&mut self, close: u8, depth: usize) -> std::result::Result<Value, String> {
        self.pos += 1; // '[' or '('
        let mut items = Vec::new();
        loop {
            self.ws();
            if self.eat(close) {
                break;
            }
            items.push(self.value(depth + 1)?);
            self.ws();
            if self.eat(close) {
                break;
            }
            if !self.eat(b',') {
                return Err(self.err(&format!("expected `,` or `{}`", char::from(close))));
            }
        }
        Ok(Value::Array(items))
    }

    fn word(&mut self) -> std::result::Result<Value, String> {
        let start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
            self.pos += 1;
        }
        let w = &self.text[start..self.pos];
        match w {
            "True" | "true" => Ok(Value::Bool(true)),
            "False" | "false" => Ok(Value::Bool(false)),
            "None" | "null" => Ok(Value::Null),
            _ if matches!(self.peek(), Some(b'\'' | b'"'))
                && w.len() <= 2
                && w.bytes().all(|c| b"uUbBrR".contains(&c)) =>
            {
                self.pos = start;
                self.strings()
            }
            _ => {
                self.pos = start;
                Err(self.err(&format!("unknown name `{w}`")))
            }
        }
    }

    fn number(&mut self) -> std::result::Result<Value, String> {
        let start = self.pos;
        let neg = self.peek() == Some(b'-');
        if matches!(self.peek(), Some(b'-' | b'+')) {
            self.pos += 1;
        }
        let body = self.pos;
        let mut float = false;
        while let Some(c) = self.peek() {
            match c {
                b'0'..=b'9' | b'_' => {}
                b'.' | b'e' | b'E' => float = true,
                b'+' | b'-' if matches!(self.s.get(self.pos - 1), Some(b'e' | b'E')) => {}
                _ => break,
            }
            self.pos += 1;
        }
        let digits: String = self.text[body..self.pos]
            .chars()
            .filter(|&c| c != '_')
            .collect();
        if !float && matches!(self.peek(), Some(b'L' | b'l')) {
            self.pos += 1;
        }
        let bad = |p: &Self| {
            let shown = p.text.get(start..p.pos).unwrap_or("");
            Err(p.err(&format!("invalid number `{shown}`")))
        };
        if digits.is_empty() || !digits.bytes().any(|c| c.is_ascii_digit()) {
            return bad(self);
        }
        if !float {
            if let Ok(u) = digits.parse::<u64>() {
                if !neg {
                    return Ok(Value::Number(u.into()));
                }
                if let Ok(i) = i64::try_from(u) {
                    return Ok(Value::Number((-i).into()));
                }
            }
        }
        match digits.parse::<f64>() {
            Ok(f) => {
                let f = if neg { -f } else { f };
                Number::from_f64(f)
                    .map(Value::Number)
                    .map_or_else(|| bad(self), Ok)
            }
            Err(_) => bad(self),
        }
    }

    /// One or more adjacent string literals, concatenated as Python does.
    fn strings(&mut self) -> std::result::Result<Value, String> {
        let mut out = String::new();
        loop {
            self.one_string(&mut out)?;
            let save = self.pos;
            self.ws();
            let mut look = self.pos;
            while matches!(self.s.get(look), Some(c) if b"uUbBrR".contains(c))
                && look - self.pos < 2
            {
                look += 1;
            }
            if !matches!(self.s.get(look), Some(b'\'' | b'"')) {
                self.pos = save;
                return Ok(Value::String(out));
            }
        }
    }

    fn one_string(&mut self, out: &mut String) -> std::result::Result<(), String> {
        let mut raw = false;
        while let Some(c) = self.peek() {
            match c {
                b'r' | b'R' => raw = true,
                b'u' | b'U' | b'b' | b'B' => {}
                _ => break,
            }
            self.pos += 1;
        }
        let Some(q) = self.peek().filter(|c| matches!(c, b'\'' | b'"')) else {
            return Err(self.err("expected a quote"));
        };
        let triple = self.s.get(self.pos..self.pos + 3) == Some(&[q, q, q][..]);
        self.pos += if triple { 3 } else { 1 };
        let mut pending_high: Option<u32> = None;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.err("unterminated string"));
            };
            if c == q && (!triple || self.s.get(self.pos..self.pos + 3) == Some(&[q, q, q][..])) {
                self.pos += if triple { 3 } else { 1 };
                flush_high(out, &mut pending_high);
                return Ok(());
            }
            if c == b'\n' && !triple {
                return Err(self.err("newline inside a string"));
            }
            if c != b'\\' || raw {
                // Copy one whole UTF-8 character (the input is a valid &str).
                let len = utf8_len(c);
                let end = (self.pos + len).min(self.s.len());
                flush_high(out, &mut pending_high);
                out.push_str(self.text.get(self.pos..end).unwrap_or("\u{fffd}"));
                self.pos = end;
                if raw && c == b'\\' && self.peek().is_some() {
                    let len = utf8_len(self.s[self.pos]);
                    let end = (self.pos + len).min(self.s.len());
                    out.push_str(self.text.get(self.pos..end).unwrap_or("\u{fffd}"));
                    self.pos = end;
                }
                continue;
            }
            self.pos += 1; // backslash
            let Some(e) = self.peek() else {
                return Err(self.err("unterminated string"));
            };
            self.pos += 1;
            let code = match e {
                b'\n' => continue,
                b'\\' => u32::from('\\'),
                b'\'' => u32::from('\''),
                b'"' => u32::from('"'),
                b'n' => u32::from('\n'),
                b'r' => u32::from('\r'),
                b't' => u32::from('\t'),
                b'b' => 8,
                b'f' => 12,
                b'v' => 11,
                b'a' => 7,
                b'/' => u32::from('/'),
                b'x' => self.hex(2)?,
                b'u' => self.hex(4)?,
                b'U' => self.hex(8)?,
                b'0'..=b'7' => {
                    let mut v = u32::from(e - b'0');
                    for _ in 0..2 {
                        match self.peek() {
                            Some(d @ b'0'..=b'7') => {
                                v = v * 8 + u32::from(d - b'0');
                                self.pos += 1;
                            }
                            _ => break,
                        }
                    }
                    v
                }
                _ => {
                    // Unknown escape: Python keeps the backslash.
                    self.pos -= 1;
                    flush_high(out, &mut pending_high);
                    out.push('\\');
                    continue;
                }
            };
            push_code(out, &mut pending_high, code);
        }
    }

    fn hex(&mut self, n: usize) -> std::result::Result<u32, String> {
        let digits = self
            .text
            .get(self.pos..self.pos + n)
            .filter(|d| d.bytes().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| self.err(&format!("expected {n} hex digits")))?;
        self.pos += n;
        u32::from_str_radix(digits, 16).map_err(|e| self.err(&e.to_string()))
    }
}

/// Appends a code point, pairing UTF-16 surrogates (`\ud83d\ude00`) and replacing lone ones.
fn push_code(out: &mut String, pending_high: &mut Option<u32>, code: u32) {
    if (0xDC00..0xE000).contains(&code) {
        if let Some(high) = pending_high.take() {
            let c = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00);
            out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
            return;
        }
    }
    flush_high(out, pending_high);
    if (0xD800..0xDC00).contains(&code) {
        *pending_high = Some(code);
    } else {
        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
    }
}

fn flush_high(out: &mut String, pending_high: &mut Option<u32>) {
    if pending_high.take().is_some() {
        out.push('\u{fffd}');
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Dict keys become strings: strings as they are, other scalars as their text.
fn key_string(key: Value) -> std::result::Result<String, String> {
    match key {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(if b { "True" } else { "False" }.to_string()),
        Value::Null => Ok("None".to_string()),
        _ => Err("unsupported dict key (list or dict)".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde_json::json;

    #[test]
    fn steam_like_dict() {
        let v = parse(
            "{u'id': u'761140', u'price': 4.99, u'early_access': False, 'n': None, \
             \"tags\": [u'Co-op', u'Beat \\'em up'], 'm': 91, 'x': -3L, 'd': {'a': (1, 2)}}",
        );
        assert_eq!(
            v,
            Ok(
                json!({"id": "761140", "price": 4.99, "early_access": false, "n": null,
                      "tags": ["Co-op", "Beat 'em up"], "m": 91, "x": -3, "d": {"a": [1, 2]}})
            )
        );
    }

    #[test]
    fn escapes() {
        assert_eq!(parse(r"u'caf\xe9'"), Ok(json!("café")));
        assert_eq!(parse(r"u'\u2122 \U0001F600'"), Ok(json!("™ 😀")));
        assert_eq!(parse(r"u'\ud83d\ude00'"), Ok(json!("😀")));
        assert_eq!(parse(r"u'\ud83d!'"), Ok(json!("\u{fffd}!")));
        assert_eq!(
            parse(r#"'a\nb\tc\\d\'e\"f\101\0'"#),
            Ok(json!("a\nb\tc\\d'e\"fA\0"))
        );
        assert_eq!(parse(r"'keep \q'"), Ok(json!("keep \\q")));
        assert_eq!(parse(r"r'raw \n \''"), Ok(json!("raw \\n \\'")));
        assert_eq!(parse("'ünï' \"cödé\""), Ok(json!("ünïcödé")));
        assert_eq!(parse("'''tri'ple'''"), Ok(json!("tri'ple")));
    }

    #[test]
    fn scalars_and_json() {
        assert_eq!(parse("True"), Ok(json!(true)));
        assert_eq!(parse("null"), Ok(json!(null)));
        assert_eq!(parse("1e3"), Ok(json!(1000.0)));
        assert_eq!(parse("-0.5"), Ok(json!(-0.5)));
        assert_eq!(
            parse("18446744073709551616"),
            Ok(json!(18_446_744_073_709_551_616.0))
        );
        assert_eq!(parse("{1: 'a', }"), Ok(json!({"1": "a"})));
        assert_eq!(
            parse(r#"{"a": [true, null, "x\/y"]}"#),
            Ok(json!({"a": [true, null, "x/y"]}))
        );
    }

    #[test]
    fn errors_do_not_panic() {
        for bad in [
            "",
            "{",
            "{'a'",
            "{'a':",
            "{'a': 1",
            "{'a' 1}",
            "[1 2]",
            "'abc",
            "u'\\x4'",
            "'\\",
            "-",
            ".",
            "1e",
            "nope",
            "{'a': 1} x",
            "{[1]: 2}",
            "'a\nb'",
            "é",
            "u",
            "--1",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should fail");
        }
        let deep = "[".repeat(10_000);
        assert!(parse(&deep).is_err());
    }
}
