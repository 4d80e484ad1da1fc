//! Catalog importers: a file in one of the supported formats (Steam's Python-literal dump,
//! generic JSON Lines, generic CSV, the ReDial movie list; gzip or plain) goes in, and
//! normalised [`Item`]s come out one by one with their line numbers. A bad record becomes a
//! [`Skip`] (line and reason) and reading goes on; a file that cannot be read further (corrupt
//! gzip, binary data, a CSV header without a required column) gives one `Err` and ends.
//! Control characters and escape sequences are removed from every text field (`clean.rs`);
//! each item says which of its fields were cleaned, so the line is reported, not hidden.

mod clean;
mod delimited;
mod fieldmap;
mod jsonl;
mod pylit;
pub(crate) mod reader;
mod redial;
mod steam;
mod values;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub use fieldmap::FieldMap;

use crate::catalog::item::Item;
use crate::error::{Error, Result};

/// The catalog formats reco can import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The Steam games dump: one Python dict literal (or JSON object) per line.
    Steam,
    /// One JSON object per line, keys mapped by a [`FieldMap`].
    Jsonl,
    /// Comma-separated values with a header row, columns mapped by a [`FieldMap`].
    Csv,
    /// The ReDial movie list (`movieId,movieName,nbMentions`).
    Redial,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Steam => "steam",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Redial => "redial",
        })
    }
}

impl Format {
    /// From a user string: "steam" | "jsonl" | "csv" | "redial" (any case; "json" means jsonl).
    ///
    /// # Errors
    /// `Error::Invalid` for any other name.
    pub fn parse(s: &str) -> Result<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "steam" => Ok(Format::Steam),
            "jsonl" | "json" => Ok(Format::Jsonl),
            "csv" => Ok(Format::Csv),
            "redial" => Ok(Format::Redial),
            _ => Err(Error::Invalid(format!(
                "unknown catalog format `{s}`; expected steam, jsonl, csv or redial"
            ))),
        }
    }

    /// Guesses the format from the file name and its first bytes: gzip → Steam (unless the
    /// name ends in `.csv.gz`); `.csv` → Redial when the header is ReDial's, else Csv;
    /// `.json`/`.jsonl` → Steam when the first record has Steam's keys (or is not JSON but a
    /// Python literal), else Jsonl. Other names are judged by the content alone.
    ///
    /// # Errors
    /// `Error::Io` when the file cannot be read; `Error::Parse` (line 0) when nothing fits.
    pub fn detect(path: &Path) -> Result<Format> {
        let sniff = reader::sniff(path)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        let first = sniff.first_line();
        let csv_format = || {
            let header: Vec<&str> = first.split(',').map(str::trim).collect();
            if header == redial::COLUMNS {
                Format::Redial
            } else {
                Format::Csv
            }
        };
        let json_format = || match (
            serde_json::from_str::<serde_json::Value>(&first),
            steam::parse_line(&first),
        ) {
            (_, Ok(rec)) if steam::looks_like_steam(&rec) => Some(Format::Steam),
            (Ok(_), _) => Some(Format::Jsonl),
            (Err(_), Ok(_)) => Some(Format::Steam),
            (Err(_), Err(_)) => None,
        };
        if ext == "csv" || ext == "tsv" {
            return Ok(csv_format());
        }
        if sniff.gzip {
            return Ok(Format::Steam);
        }
        if ext == "json" || ext == "jsonl" || ext == "ndjson" {
            return Ok(json_format().unwrap_or(Format::Jsonl));
        }
        if let Some(f) = first
            .trim_start()
            .starts_with('{')
            .then(json_format)
            .flatten()
        {
            return Ok(f);
        }
        if first.contains(',') && sniff.first_nul().is_none() {
            return Ok(csv_format());
        }
        Err(parse_error(
            path,
            0,
            "-",
            "cannot tell the catalog format; name it (steam, jsonl, csv or redial)",
        ))
    }
}

/// A record that was not imported: its 1-based line (for CSV, the line the record starts on)
/// and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong, e.g. "missing field `id`".
    pub reason: String,
}

/// One step of an import: an item, or a record skipped.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A record that became an item, with its 1-based line.
    Item {
        /// 1-based line number.
        line: usize,
        /// The normalised item (boxed: a skip is small).
        item: Box<Item>,
        /// Fields from which control characters were removed (empty for most lines).
        cleaned: Vec<&'static str>,
    },
    /// A record that was skipped.
    Skip(Skip),
}

/// The records of one catalog file, read lazily. Yields `Ok(Record)` per record; on a fatal
/// problem yields one `Err(Error::Parse{..})` and then ends.
pub struct Records {
    path: PathBuf,
    count: Arc<AtomicU64>,
    total: u64,
    gzip: bool,
    state: State,
}

enum State {
    /// A line-per-record format.
    Lines(Box<reader::Lines>, LineFormat),
    /// A CSV format.
    Rows(Box<delimited::Rows>),
    /// Report this error next, then stop.
    Fatal(Error),
    /// Nothing more.
    Done,
}

enum LineFormat {
    Steam,
    Jsonl(Box<FieldMap>),
}

impl Records {
    /// Raw (compressed) bytes consumed so far, for a progress bar.
    #[must_use]
    pub fn bytes_read(&self) -> u64 {
        self.count.load(Ordering::Relaxed).min(self.total)
    }

    /// The size of the file in bytes.
    #[must_use]
    pub fn total_bytes(&self) -> u64 {
        self.total
    }

    fn fatal(&mut self, line: usize, field: &str, message: String) -> Option<Result<Record>> {
        self.state = State::Done;
        Some(Err(parse_error(&self.path, line, field, message)))
    }

    fn stream_error(&mut self, line: usize, e: &dyn std::fmt::Display) -> Option<Result<Record>> {
        let what = if self.gzip {
            "the gzip stream is truncated or corrupt"
        } else {
            "the file could not be read"
        };
        self.fatal(line, "-", format!("{what}: {e}"))
    }
}

impl Iterator for Records {
    type Item = Result<Record>;

    fn next(&mut self) -> Option<Result<Record>> {
        match &mut self.state {
            State::Done => None,
            State::Fatal(_) => match std::mem::replace(&mut self.state, State::Done) {
                State::Fatal(e) => Some(Err(e)),
                _ => None,
            },
            State::Rows(rows) => match rows.next_row() {
                None => {
                    self.state = State::Done;
                    None
                }
                Some(delimited::Row::Item(line, item)) => Some(Ok(record(line, Ok(item)))),
                Some(delimited::Row::Skip(line, reason)) => {
                    Some(Ok(Record::Skip(Skip { line, reason })))
                }
                Some(delimited::Row::Fatal(line, message)) => self.stream_error(line, &message),
            },
            State::Lines(lines, format) => loop {
                let (line, raw) = match lines.next_line() {
                    Ok(Some(l)) => l,
                    Ok(None) => {
                        self.state = State::Done;
                        return None;
                    }
                    Err((line, e)) => return self.stream_error(line, &e),
                };
                let text = match std::str::from_utf8(raw) {
                    Ok(t) => t,
                    Err(e) => {
                        let reason = format!("the line is not valid UTF-8: {e}");
                        return Some(Ok(Record::Skip(Skip { line, reason })));
                    }
                };
                if text.trim().is_empty() {
                    continue;
                }
                let result = match format {
                    LineFormat::Steam => steam::parse_line(text).and_then(|rec| steam::item(&rec)),
                    LineFormat::Jsonl(map) => jsonl::item(text, map),
                };
                return Some(Ok(record(line, result)));
            },
        }
    }
}

/// The record of one parsed line: its item with control characters removed, or a skip.
fn record(line: usize, parsed: std::result::Result<Item, String>) -> Record {
    match parsed.and_then(|mut item| clean::clean(&mut item).map(|cleaned| (item, cleaned))) {
        Ok((item, cleaned)) => Record::Item {
            line,
            item: Box::new(item),
            cleaned,
        },
        Err(reason) => Record::Skip(Skip { line, reason }),
    }
}

/// Opens a catalog file for import. Fails at once when the file is missing or unreadable
/// (`Error::Io`) or empty (`Error::Parse`, line 0, "file is empty"); every later problem comes
/// out of the returned iterator.
///
/// # Errors
/// `Error::Io` for a missing or unreadable file, `Error::Parse` for an empty one.
pub fn open(path: &Path, format: Format, map: &FieldMap) -> Result<Records> {
    let sniff = reader::sniff(path)?;
    if sniff.is_empty() {
        return Err(parse_error(path, 0, "-", "file is empty"));
    }
    let src = reader::open_source(path)?;
    let mut records = Records {
        path: path.to_path_buf(),
        count: src.count,
        total: src.total,
        gzip: sniff.gzip,
        state: State::Done,
    };
    records.state = if let Some(why) = looks_binary(&sniff) {
        State::Fatal(parse_error(path, why.0, "-", why.1))
    } else {
        match format {
            Format::Steam => {
                State::Lines(Box::new(reader::Lines::new(src.reader)), LineFormat::Steam)
            }
            Format::Jsonl => State::Lines(
                Box::new(reader::Lines::new(src.reader)),
                LineFormat::Jsonl(Box::new(map.clone())),
            ),
            Format::Csv | Format::Redial => {
                match delimited::open(src.reader, format == Format::Redial, map) {
                    Ok(rows) => State::Rows(Box::new(rows)),
                    Err((line, field, message)) => {
                        State::Fatal(parse_error(path, line, &field, message))
                    }
                }
            }
        }
    };
    Ok(records)
}

/// Whether the first bytes look like binary data: a NUL byte, or many control characters.
/// Gives the line and message to report.
fn looks_binary(sniff: &reader::Sniff) -> Option<(usize, String)> {
    if let Some((line, offset)) = sniff.first_nul() {
        return Some((
            line,
            format!("the file looks binary (NUL byte at offset {offset}), not a text catalog"),
        ));
    }
    let controls = sniff
        .head
        .iter()
        .filter(|&&b| (b < 0x20 && !b"\t\n\r\x0c".contains(&b)) || b == 0x7f)
        .count();
    (controls * 10 > sniff.head.len() && sniff.head.len() >= 16).then(|| {
        (
            1,
            format!("the file looks binary ({controls} control bytes in its first {} bytes), not a text catalog", sniff.head.len()),
        )
    })
}

fn parse_error(path: &Path, line: usize, field: &str, message: impl Into<String>) -> Error {
    Error::Parse {
        path: path.to_path_buf(),
        line,
        field: field.to_string(),
        message: message.into(),
    }
}
