//! Text that crosses a trust boundary. Catalog fields and model output are hostile: they can
//! hold escape sequences, forged prompt lines, `{placeholders}` and any Unicode. This module
//! is the one place that knows how to make text safe for each destination:
//!
//! - [`fold`]: Unicode-folded matching keys (NFKD, marks dropped, lowercase, punctuation as
//!   spaces), with a map back to the original text ([`Folded`]), and one token as a
//!   lowercase word for keyword tables ([`word_key`]).
//! - [`sanitize`]: text for a terminal (no control characters or escape sequences) and for a
//!   prompt (one line, no brackets that could forge a candidate line).
//! - [`titles`]: a multi-pattern matcher (aho-corasick) over folded catalog titles that finds
//!   which items a text names.

pub mod fold;
pub mod sanitize;
pub mod titles;

pub use fold::{fold, word_key, Folded};
pub use sanitize::{prompt_field, strip_controls, terminal, terminal_line};
pub use titles::{is_common_word, TitleMatch, TitleMatcher};
