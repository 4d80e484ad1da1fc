//! The input box's editor: keystrokes and pastes in, the text and the cursor out. Multi-line
//! (a newline is inserted with Alt+Enter, Shift+Enter or Ctrl+J), with a history of sent
//! turns walked with ↑/↓ when the cursor is on the first or last line. Pasted text is made
//! terminal-safe before it is inserted; typed characters are printable by construction.

use unicode_width::UnicodeWidthStr;

/// Longest input kept (a turn is cut to [`crate::dialogue::MAX_TURN_BYTES`] anyway).
const MAX_BYTES: usize = 8192;

/// Text being typed, with a cursor and the history of what was sent.
#[derive(Debug, Clone, Default)]
pub struct Input {
    text: String,
    /// Byte offset of the cursor in `text`.
    cursor: usize,
    history: Vec<String>,
    /// Position in `history` while walking it.
    walking: Option<usize>,
    /// What was typed before walking the history.
    draft: String,
}

impl Input {
    /// The text.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether nothing is typed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Replace the text (cursor at the end).
    pub fn set(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = self.text.len();
    }

    /// Replace the history (oldest first), e.g. with the user turns of a reopened session.
    pub fn set_history(&mut self, history: Vec<String>) {
        self.history = history;
        self.walking = None;
    }

    /// Insert a character at the cursor.
    pub fn insert(&mut self, c: char) {
        if self.text.len() + c.len_utf8() > MAX_BYTES || (c.is_control() && c != '\n') {
            return;
        }
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    /// Insert pasted text (controls removed; newlines kept).
    pub fn paste(&mut self, s: &str) {
        for c in crate::text::terminal(s).chars() {
            self.insert(c);
        }
    }

    /// Delete the character before the cursor.
    pub fn backspace(&mut self) {
        if let Some(c) = self.text[..self.cursor].chars().next_back() {
            self.cursor -= c.len_utf8();
            self.text.remove(self.cursor);
        }
    }

    /// Delete the character at the cursor.
    pub fn delete(&mut self) {
        if self.cursor < self.text.len() {
            self.text.remove(self.cursor);
        }
    }

    /// Delete the word before the cursor.
    pub fn delete_word(&mut self) {
        let before = &self.text[..self.cursor];
        let start = before
            .trim_end()
            .rfind(char::is_whitespace)
            .map_or(0, |i| i + 1);
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Move left one character.
    pub fn left(&mut self) {
        if let Some(c) = self.text[..self.cursor].chars().next_back() {
            self.cursor -= c.len_utf8();
        }
    }

    /// Move right one character.
    pub fn right(&mut self) {
        if let Some(c) = self.text[self.cursor..].chars().next() {
            self.cursor += c.len_utf8();
        }
    }

    /// Start of the line.
    pub fn home(&mut self) {
        self.cursor = self.text[..self.cursor].rfind('\n').map_or(0, |i| i + 1);
    }

    /// End of the line.
    pub fn end(&mut self) {
        self.cursor += self.text[self.cursor..]
            .find('\n')
            .unwrap_or(self.text.len() - self.cursor);
    }

    /// Lines of the text.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.text.split('\n')
    }

    /// Number of lines.
    #[must_use]
    pub fn line_count(&self) -> usize {
        self.text.matches('\n').count() + 1
    }

    /// Cursor as (line, display column).
    #[must_use]
    pub fn cursor(&self) -> (usize, usize) {
        let before = &self.text[..self.cursor];
        let row = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (row, before[line_start..].width())
    }

    /// Move to the same column of the line above or below (`delta` = -1 or 1); false at the
    /// first or last line.
    fn vertical(&mut self, delta: isize) -> bool {
        let (row, _) = self.cursor();
        let target = row as isize + delta;
        if target < 0 || target as usize >= self.line_count() {
            return false;
        }
        let col_chars = {
            let before = &self.text[..self.cursor];
            before[before.rfind('\n').map_or(0, |i| i + 1)..]
                .chars()
                .count()
        };
        let mut offset = 0;
        for (i, line) in self.text.split('\n').enumerate() {
            if i == target as usize {
                let within: usize = line.chars().take(col_chars).map(char::len_utf8).sum();
                self.cursor = offset + within;
                return true;
            }
            offset += line.len() + 1;
        }
        false
    }

    /// ↑: the line above, else the previous history entry.
    pub fn up(&mut self) {
        if self.vertical(-1) || self.history.is_empty() {
            return;
        }
        let at = match self.walking {
            None => {
                self.draft = self.text.clone();
                self.history.len() - 1
            }
            Some(0) => 0,
            Some(i) => i - 1,
        };
        self.walking = Some(at);
        let entry = self.history[at].clone();
        self.set(&entry);
    }

    /// ↓: the line below, else the next history entry (then back to the draft).
    pub fn down(&mut self) {
        if self.vertical(1) {
            return;
        }
        match self.walking {
            None => {}
            Some(i) if i + 1 < self.history.len() => {
                self.walking = Some(i + 1);
                let entry = self.history[i + 1].clone();
                self.set(&entry);
            }
            Some(_) => {
                self.walking = None;
                let draft = std::mem::take(&mut self.draft);
                self.set(&draft);
            }
        }
    }

    /// Take the text out (it joins the history) and clear the box.
    pub fn take(&mut self) -> String {
        let text = std::mem::take(&mut self.text);
        self.cursor = 0;
        self.walking = None;
        if !text.trim().is_empty() && self.history.last() != Some(&text) {
            self.history.push(text.clone());
        }
        text
    }

    /// Clear the box.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
        self.walking = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> Input {
        let mut i = Input::default();
        for c in s.chars() {
            i.insert(c);
        }
        i
    }

    #[test]
    fn editing_and_multiple_lines() {
        let mut i = typed("héllo");
        i.left();
        i.backspace();
        assert_eq!(i.text(), "hélo");
        i.insert('\n');
        i.insert('x');
        assert_eq!(i.cursor(), (1, 1));
        i.up();
        assert_eq!(i.cursor(), (0, 1));
        i.end();
        i.delete();
        assert_eq!(
            i.text(),
            "hélxo",
            "Delete at the end of a line joins the next"
        );
        i.home();
        assert_eq!(i.cursor(), (0, 0));
        let mut w = typed("one two  ");
        w.delete_word();
        assert_eq!(w.text(), "one ");
        let mut p = Input::default();
        p.paste("a\u{1b}[2Jb\nc\u{7}");
        assert_eq!(p.text(), "ab\nc");
    }

    #[test]
    fn history_walks_back_and_returns_to_the_draft() {
        let mut i = Input::default();
        i.set_history(vec!["first".into(), "second".into()]);
        i.set("dra");
        i.up();
        assert_eq!(i.text(), "second");
        i.up();
        i.up();
        assert_eq!(i.text(), "first");
        i.down();
        assert_eq!(i.text(), "second");
        i.down();
        assert_eq!(i.text(), "dra");
        assert_eq!(i.take(), "dra");
        i.up();
        assert_eq!(i.text(), "dra");
    }
}
