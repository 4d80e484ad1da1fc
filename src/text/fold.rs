//! Folding for matching: "Pokémon™: Let's Go!" and "pokemon lets go" fold to the same key.
//! Compatibility decomposition (NFKD) splits ligatures, full-width forms and accented
//! letters; combining marks are dropped; letters are lowercased; apostrophes vanish (so
//! "let's" = "lets"); every other non-alphanumeric character becomes one space. Letters of
//! any script are kept, so a Japanese or Cyrillic title folds to itself, not to "".

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// A folded text with, for each byte of the folded text, the byte offset in the original
/// text it came from (so a match in the folded text maps back to a span of the original).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folded {
    /// The folded text: lowercase words separated by single spaces, no leading/trailing space.
    pub text: String,
    /// `origin[i]` = byte offset in the original of the character that produced folded byte i.
    origin: Vec<usize>,
    /// Length of the original text in bytes.
    original_len: usize,
}

impl Folded {
    /// Fold `text`, keeping the offset map.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let mut out = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len());
        let mut pending_space = false;
        for (at, c) in text.char_indices() {
            if matches!(
                c,
                '\'' | '’' | '‘' | 'ʼ' | '`' | '´' | '™' | '®' | '©' | '℠'
            ) {
                continue;
            }
            for d in c.nfkd() {
                if is_combining_mark(d) {
                    continue;
                }
                if d.is_alphanumeric() {
                    if pending_space && !out.is_empty() {
                        out.push(' ');
                        origin.push(at);
                    }
                    pending_space = false;
                    for l in d.to_lowercase() {
                        let start = out.len();
                        out.push(l);
                        origin.extend(std::iter::repeat_n(at, out.len() - start));
                    }
                } else {
                    pending_space = true;
                }
            }
        }
        Self {
            text: out,
            origin,
            original_len: text.len(),
        }
    }

    /// The original byte span of folded bytes `start..end`.
    #[must_use]
    pub fn original_span(&self, start: usize, end: usize, original: &str) -> (usize, usize) {
        let s = self.origin.get(start).copied().unwrap_or(self.original_len);
        let e = if end == 0 {
            s
        } else {
            let last = self
                .origin
                .get(end - 1)
                .copied()
                .unwrap_or(self.original_len);
            // Extend to the end of the original character at `last`.
            original[last..]
                .chars()
                .next()
                .map_or(self.original_len, |c| last + c.len_utf8())
        };
        (s, e.max(s))
    }
}

/// The folded key of `text` (see the module docs).
#[must_use]
pub fn fold(text: &str) -> String {
    Folded::new(text).text
}

/// One whitespace-separated token as a lowercase word for keyword tables: a curly apostrophe
/// reads as a straight one, punctuation around it is trimmed, apostrophes inside are kept
/// ("I’ve," → "i've").
#[must_use]
pub fn word_key(token: &str) -> String {
    token
        .replace('\u{2019}', "'")
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'')
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_unicode_and_punctuation() {
        assert_eq!(fold("Pokémon™: Let's Go!"), "pokemon lets go");
        assert_eq!(word_key("“I\u{2019}ve,"), "i've");
        assert_eq!(
            fold("  The Witcher 3: Wild Hunt "),
            "the witcher 3 wild hunt"
        );
        assert_eq!(fold("ＦＩＮＡＬ　ＦＡＮＴＡＳＹ"), "final fantasy");
        assert_eq!(fold("Ōkami HD"), "okami hd");
        assert_eq!(fold("東方紅魔郷"), "東方紅魔郷");
        assert_eq!(fold("S.T.A.L.K.E.R."), "s t a l k e r");
        assert_eq!(fold("Counter-Strike"), "counter strike");
        assert_eq!(fold("!!!"), "");
    }

    #[test]
    fn maps_back_to_the_original() {
        let original = "I loved Pokémon Go, really";
        let f = Folded::new(original);
        let start = f.text.find("pokemon go").expect("found");
        let (s, e) = f.original_span(start, start + "pokemon go".len(), original);
        assert_eq!(&original[s..e], "Pokémon Go");
    }
}
