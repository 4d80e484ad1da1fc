//! Synthetic user histories: catalogs have no users, so the items a user "liked" before target
//! T are drawn from T's neighbours (rule in the parent module's doc): candidates share T's
//! developer or ≥ 2 labels, the 20 most similar form a pool, a length is drawn from the
//! lengths allowed (train 3–4, test 2 or 5: held-out lengths) and that many items are drawn and
//! listed least → most similar.

use std::collections::HashSet;

use crate::catalog::item::Item;

use super::context::GradeContext;
use super::phrase::mentions;
use crate::rng::SplitMix64;

/// How many of the most similar candidates the PRNG draws from.
const POOL: usize = 20;

/// Indices of the items T's "user" liked (one of `lengths` many), least → most similar; `None`
/// if T has too few neighbours for the length drawn. `counts` is scratch space of the
/// catalog's length, all zero on entry and exit; `keep` rejects candidates (add-ons, items
/// held out for another split).
pub(crate) fn history(
    ctx: &GradeContext<'_>,
    t: usize,
    rng: &mut SplitMix64,
    counts: &mut [u16],
    keep: &dyn Fn(&Item) -> bool,
    lengths: &[usize],
) -> Option<Vec<usize>> {
    let items = ctx.items();
    let title = items[t].title.trim();
    if title.is_empty() {
        return None;
    }
    let mut touched: Vec<u32> = Vec::new();
    for &l in ctx.labels_at(t) {
        for &j in ctx.items_with_id(l) {
            let c = &mut counts[j as usize];
            if *c == 0 {
                touched.push(j);
            }
            *c = c.saturating_add(1);
        }
    }
    let mut scored: Vec<(f64, usize)> = Vec::new();
    let mut consider = |j: usize, counts: &[u16]| {
        let dev = ctx.same_dev_at(t, j);
        if j != t && (dev || counts[j] >= 2) {
            let s = ctx.jaccard_at(t, j) + if dev { 0.5 } else { 0.0 };
            scored.push((s, j));
        }
    };
    for &j in &touched {
        consider(j as usize, counts);
    }
    for &j in ctx.same_developer(t) {
        if counts[j as usize] == 0 {
            consider(j as usize, counts);
        }
    }
    for &j in &touched {
        counts[j as usize] = 0;
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut seen: HashSet<String> = HashSet::new();
    seen.insert(title.to_lowercase());
    let mut pool: Vec<(f64, usize)> = Vec::with_capacity(POOL);
    for (s, j) in scored {
        let other = items[j].title.trim();
        if other.is_empty()
            || mentions(other, title)
            || !keep(&items[j])
            || !seen.insert(other.to_lowercase())
        {
            continue;
        }
        pool.push((s, j));
        if pool.len() == POOL {
            break;
        }
    }
    let k = *rng.pick(lengths)?;
    if pool.len() < k.max(2) {
        return None;
    }
    rng.shuffle(&mut pool);
    pool.truncate(k);
    pool.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    Some(pool.into_iter().map(|(_, j)| j).collect())
}
