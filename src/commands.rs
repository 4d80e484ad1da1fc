//! Command implementations behind the CLI. Each takes parsed arguments and the [`Engine`],
//! prints for humans (or JSON with `--json`), and returns `crate::Result`.
//!
//! [`Engine`]: crate::engine::Engine

pub mod ask;
pub mod bench;
mod bench_generate;
pub mod catalog;
pub mod eval;
pub mod models;

use crate::catalog::Item;

/// One line describing an item: title, year, price, genres, id.
#[must_use]
pub fn card(it: &Item) -> String {
    let mut s = it.title.clone();
    if let Some(y) = it.year {
        s.push_str(&format!(" ({y})"));
    }
    if let Some(p) = it.price {
        s.push_str(&format!(" · {p}"));
    }
    if !it.genres.is_empty() {
        s.push_str(&format!(" · {}", it.genres.join(", ")));
    }
    s.push_str(&format!(" [{}]", it.id));
    s
}
