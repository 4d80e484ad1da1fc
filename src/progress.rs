//! Progress bars for long jobs (imports, indexing, evaluation), drawn on stderr, or hidden
//! when progress is off (`--quiet`, JSON output, tests).

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `len` steps with `template` (indicatif syntax; `{msg}` shows `msg`).
#[must_use]
pub fn bar(show: bool, len: u64, template: &str, msg: &str) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(msg.to_string());
    bar
}
