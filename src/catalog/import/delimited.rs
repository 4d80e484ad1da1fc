//! Comma-separated catalogs (generic CSV and ReDial) read with the `csv` crate: a header row
//! names the columns, each later row becomes an `Item` or a skip with the file line it starts
//! on. A header without a required column is fatal, reported on line 1 with the column's name.

use std::collections::VecDeque;
use std::io::Read;

use serde_json::{Map, Value};

use super::fieldmap::FieldMap;
use super::redial;
use crate::catalog::item::Item;

/// How rows become items.
pub enum Mapping {
    /// Generic CSV: columns named by a field map.
    Generic(FieldMap),
    /// ReDial: indices of movieId, movieName and (when present) nbMentions.
    Redial([Option<usize>; 3]),
}

/// What one step of reading gives.
pub enum Row {
    /// A row that became an item, with its line.
    Item(usize, Item),
    /// A row skipped, with its line and the reason.
    Skip(usize, String),
    /// The stream failed: line and message.
    Fatal(usize, String),
}

/// Rows of a CSV file after its header.
pub struct Rows {
    reader: csv::Reader<NewlineIndex>,
    header: Vec<String>,
    mapping: Mapping,
    record: csv::ByteRecord,
}

/// Reads the header of `input` and checks it has the columns `mapping` needs.
/// `Err((line, column, message))` when it cannot be used.
pub fn open(
    input: Box<dyn Read + Send>,
    redial: bool,
    map: &FieldMap,
) -> std::result::Result<Rows, (usize, String, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(NewlineIndex {
            inner: input,
            offset: 0,
            passed: 0,
            newlines: VecDeque::new(),
        });
    let mut record = csv::ByteRecord::new();
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => return Err((0, "-".into(), "file is empty".into())),
        Err(e) => return Err((1, "-".into(), format!("cannot read the header: {e}"))),
    }
    let mut header = Vec::with_capacity(record.len());
    for (i, cell) in record.iter().enumerate() {
        let cell = if i == 0 {
            cell.strip_prefix(b"\xef\xbb\xbf").unwrap_or(cell)
        } else {
            cell
        };
        let Ok(name) = std::str::from_utf8(cell) else {
            return Err((
                1,
                "-".into(),
                format!("header column {} is not valid UTF-8", i + 1),
            ));
        };
        header.push(name.trim().to_string());
    }
    let find = |name: &str| header.iter().position(|h| h == name);
    let mapping = if redial {
        let cols = redial::COLUMNS.map(find);
        for (i, col) in redial::COLUMNS.iter().enumerate().take(2) {
            if cols[i].is_none() {
                return Err(missing(col));
            }
        }
        Mapping::Redial(cols)
    } else {
        if let Some(col) = map.required().find(|c| find(c).is_none()) {
            return Err(missing(col));
        }
        Mapping::Generic(map.clone())
    };
    Ok(Rows {
        reader,
        header,
        mapping,
        record,
    })
}

/// A reader that notes where its newlines are, so that records get true line numbers.
pub struct NewlineIndex {
    inner: Box<dyn Read + Send>,
    /// Bytes read so far.
    offset: u64,
    /// Newlines already behind the last record asked about.
    passed: usize,
    /// Offsets of the newlines read but not yet passed.
    newlines: VecDeque<u64>,
}

impl Read for NewlineIndex {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, _) in buf[..n].iter().enumerate().filter(|(_, &b)| b == b'\n') {
            self.newlines.push_back(self.offset + i as u64);
        }
        self.offset += n as u64;
        Ok(n)
    }
}

fn missing(col: &str) -> (usize, String, String) {
    (
        1,
        col.to_string(),
        format!("the header has no column `{col}`"),
    )
}

impl Rows {
    /// The next row, or `None` at the end of the file.
    pub fn next_row(&mut self) -> Option<Row> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return None,
                Err(e) => {
                    let line = e.position().map_or(0, |p| self.line_at(p.byte()));
                    return Some(Row::Fatal(line, format!("cannot read the file: {e}")));
                }
                Ok(true) => {
                    // The csv crate's record positions and line counts go wrong after `\r\n`
                    // and blank lines, so count back from the end of the record instead.
                    let end = self.reader.position().byte();
                    let inner: usize = self
                        .record
                        .iter()
                        .map(|c| c.iter().filter(|&&b| b == b'\n').count())
                        .sum();
                    let line = self.line_at(end.saturating_sub(1)).saturating_sub(inner);
                    if self.record.len() == 1 && self.record[0].iter().all(u8::is_ascii_whitespace)
                    {
                        continue; // a blank line
                    }
                    return Some(match self.row() {
                        Ok(item) => Row::Item(line, item),
                        Err(reason) => Row::Skip(line, reason),
                    });
                }
            }
        }
    }

    /// The 1-based line of the byte at `offset`; offsets must not decrease between calls.
    fn line_at(&mut self, offset: u64) -> usize {
        let index = self.reader.get_mut();
        while index.newlines.front().is_some_and(|&n| n < offset) {
            index.newlines.pop_front();
            index.passed += 1;
        }
        index.passed + 1
    }

    fn row(&self) -> std::result::Result<Item, String> {
        if self.record.len() != self.header.len() {
            return Err(format!(
                "expected {} fields (as in the header), found {}",
                self.header.len(),
                self.record.len()
            ));
        }
        let mut texts = Vec::with_capacity(self.record.len());
        for (i, cell) in self.record.iter().enumerate() {
            let text = std::str::from_utf8(cell).map_err(|e| {
                format!(
                    "column `{}` is not valid UTF-8: {e}",
                    self.header.get(i).map_or("?", String::as_str)
                )
            })?;
            texts.push(text);
        }
        match &self.mapping {
            Mapping::Redial(cols) => {
                let cell = |c: Option<usize>| c.and_then(|i| texts.get(i).copied());
                redial::item(cell(cols[0]), cell(cols[1]), cell(cols[2]))
            }
            Mapping::Generic(map) => {
                let mut rec = Map::new();
                for (name, cell) in self.header.iter().zip(&texts) {
                    if !cell.trim().is_empty() && !name.is_empty() {
                        rec.insert(name.clone(), Value::String((*cell).to_string()));
                    }
                }
                map.item(&rec)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::item::Price;

    fn rows(text: &str, redial: bool, map: &FieldMap) -> Vec<String> {
        let input: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(text.as_bytes().to_vec()));
        let mut rows = match open(input, redial, map) {
            Ok(r) => r,
            Err((line, col, msg)) => return vec![format!("fatal {line} {col}: {msg}")],
        };
        let mut out = Vec::new();
        while let Some(row) = rows.next_row() {
            out.push(match row {
                Row::Item(l, it) => {
                    format!("{l} {} {} {:?} {:?}", it.id, it.title, it.year, it.price)
                }
                Row::Skip(l, r) => format!("{l} skip {r}"),
                Row::Fatal(l, m) => format!("{l} fatal {m}"),
            });
        }
        out
    }

    #[test]
    fn generic_csv() -> crate::error::Result<()> {
        let map = FieldMap::parse("title=name")?;
        let got = rows(
            "id,name,price,year\r\n1,One,9.99,2001\n\n2,\"Two, too\",free,\n3,Three\n4,,1,2\r\n\r\n7,\"multi\r\nline\",,\n8,After,,",
            false,
            &map,
        );
        assert_eq!(
            got,
            [
                format!("2 1 One Some(2001) {:?}", Some(Price::Paid(9.99))),
                format!("4 2 Two, too None {:?}", Some(Price::Free)),
                "5 skip expected 4 fields (as in the header), found 2".to_string(),
                "6 skip missing field `title` (key `name`)".to_string(),
                "8 7 multi\r\nline None None".to_string(),
                "10 8 After None None".to_string(),
            ]
        );
        let missing = rows("id,title\n1,x\n", false, &FieldMap::parse("genres=cat")?);
        assert_eq!(missing, ["fatal 1 cat: the header has no column `cat`"]);
        Ok(())
    }

    #[test]
    fn redial_rows() {
        let got = rows(
            "movieId,movieName,nbMentions\n7,\"Good Morning, Vietnam (1987)\",15\n8,Okja,1\n",
            true,
            &FieldMap::default(),
        );
        assert_eq!(
            got,
            [
                "2 7 Good Morning, Vietnam Some(1987) None",
                "3 8 Okja None None"
            ]
        );
        let bad = rows("id,name\n", true, &FieldMap::default());
        assert_eq!(bad, ["fatal 1 movieId: the header has no column `movieId`"]);
    }
}
