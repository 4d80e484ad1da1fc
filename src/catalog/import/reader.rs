//! Byte sources for the importers: a file, counted as it is read (for progress bars), and
//! transparently decompressed when it starts with the gzip magic; a peek at its first bytes
//! (for format detection and the binary check); and a line reader that hands out raw lines
//! with their 1-based numbers, leaving UTF-8 checks to the caller.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;

use crate::error::{Error, Result};

/// How many decoded bytes [`sniff`] looks at.
pub const SNIFF_BYTES: usize = 8 * 1024;

/// A reader that adds every byte it hands out to a shared counter.
pub struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An opened input: the decoded byte stream, its raw size and a counter of raw bytes read.
pub struct Source {
    /// Decoded bytes (gunzipped when the file is gzip).
    pub reader: Box<dyn Read + Send>,
    /// Raw bytes consumed so far.
    pub count: Arc<AtomicU64>,
    /// Size of the file in bytes.
    pub total: u64,
}

/// Opens `path`, decompressing it when it starts with the gzip magic.
pub fn open_source(path: &Path) -> Result<Source> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let total = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let gzip = is_gzip(path)?;
    let count = Arc::new(AtomicU64::new(0));
    let counted = Counting {
        inner: file,
        count: Arc::clone(&count),
    };
    let reader: Box<dyn Read + Send> = if gzip {
        Box::new(MultiGzDecoder::new(BufReader::with_capacity(
            64 * 1024,
            counted,
        )))
    } else {
        Box::new(counted)
    };
    Ok(Source {
        reader,
        count,
        total,
    })
}

fn is_gzip(path: &Path) -> Result<bool> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut magic = [0u8; 2];
    let n = read_full(&mut file, &mut magic).map_err(|e| Error::io(path, e))?;
    Ok(n == 2 && magic == [0x1f, 0x8b])
}

/// The first decoded bytes of a file.
pub struct Sniff {
    /// Whether the file is gzip-compressed.
    pub gzip: bool,
    /// Up to [`SNIFF_BYTES`] decoded bytes (fewer when the file is shorter or corrupt).
    pub head: Vec<u8>,
    /// Whether `head` holds the whole decoded file.
    pub complete: bool,
}

impl Sniff {
    /// The 1-based line and byte offset of the first NUL byte, if any (a sign of binary data).
    pub fn first_nul(&self) -> Option<(usize, usize)> {
        let at = self.head.iter().position(|&b| b == 0)?;
        let line = 1 + self.head[..at].iter().filter(|&&b| b == b'\n').count();
        Some((line, at))
    }

    /// Whether the whole file decodes to nothing but whitespace.
    pub fn is_empty(&self) -> bool {
        self.complete && self.head.iter().all(u8::is_ascii_whitespace)
    }

    /// The first line that is not blank, without its line ending (lossy UTF-8).
    pub fn first_line(&self) -> String {
        let text = String::from_utf8_lossy(&self.head);
        let text = text.trim_start_matches('\u{feff}');
        text.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .to_string()
    }
}

/// Reads the first decoded bytes of `path`. Decoding errors just end the sample early: the
/// importer reports them, with a line number, when it reaches them.
pub fn sniff(path: &Path) -> Result<Sniff> {
    let gzip = is_gzip(path)?;
    let mut src = open_source(path)?;
    let mut head = vec![0u8; SNIFF_BYTES + 1];
    let (n, failed) = match read_full(&mut src.reader, &mut head) {
        Ok(n) => (n, false),
        Err(_) => (0, true),
    };
    head.truncate(n);
    // A decoding error ends the sample early; the sample is then not the whole file.
    let complete = n <= SNIFF_BYTES && !failed && src.reader.read(&mut [0u8; 1]).ok() == Some(0);
    head.truncate(SNIFF_BYTES);
    Ok(Sniff {
        gzip,
        head,
        complete,
    })
}

/// Reads until `buf` is full or the input ends; returns how many bytes were read.
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                if n == 0 {
                    return Err(e);
                }
                break;
            }
        }
    }
    Ok(n)
}

/// A line and its number, `None` at the end, or the line number where the stream failed.
pub type LineResult<'a> = std::result::Result<Option<(usize, &'a [u8])>, (usize, std::io::Error)>;

/// Raw lines with their 1-based numbers.
pub struct Lines {
    reader: BufReader<Box<dyn Read + Send>>,
    line: usize,
    buf: Vec<u8>,
}

impl Lines {
    /// Reads lines from `reader`.
    pub fn new(reader: Box<dyn Read + Send>) -> Self {
        Self {
            reader: BufReader::with_capacity(64 * 1024, reader),
            line: 0,
            buf: Vec::new(),
        }
    }

    /// The next line without its `\n` / `\r\n` (and without a leading byte-order mark on line
    /// 1): `Ok(None)` at the end, `Err((line, error))` when the stream fails mid-way.
    pub fn next_line(&mut self) -> LineResult<'_> {
        self.buf.clear();
        self.line += 1;
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => Ok(None),
            Ok(_) => {
                let mut s: &[u8] = &self.buf;
                if self.line == 1 {
                    s = s.strip_prefix(b"\xef\xbb\xbf").unwrap_or(s);
                }
                s = s.strip_suffix(b"\n").unwrap_or(s);
                s = s.strip_suffix(b"\r").unwrap_or(s);
                Ok(Some((self.line, s)))
            }
            Err(e) => Err((self.line, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn lines_are_numbered_and_trimmed() {
        let data = b"\xef\xbb\xbfone\r\ntwo\n\nlast".to_vec();
        let mut lines = Lines::new(Box::new(std::io::Cursor::new(data)));
        let mut got = Vec::new();
        while let Ok(Some((n, l))) = lines.next_line() {
            got.push((n, l.to_vec()));
        }
        let want: Vec<(usize, Vec<u8>)> = vec![
            (1, b"one".to_vec()),
            (2, b"two".to_vec()),
            (3, b"".to_vec()),
            (4, b"last".to_vec()),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn gzip_is_decoded_and_counted() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("x.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"hello\n")?;
        std::fs::write(&path, enc.finish()?)?;
        let s = sniff(&path).map_err(std::io::Error::other)?;
        assert!(s.gzip && s.complete);
        assert_eq!(s.head, b"hello\n");
        let mut src = open_source(&path).map_err(std::io::Error::other)?;
        let mut out = String::new();
        src.reader.read_to_string(&mut out)?;
        assert_eq!(out, "hello\n");
        assert_eq!(src.count.load(Ordering::Relaxed), src.total);
        Ok(())
    }
}
