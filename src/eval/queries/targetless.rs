//! The two target-less types: VC2I (a vague wish, maybe with a price or era) and NA2I (a label
//! wanted and a label not wanted). A query is kept only when at least [`MIN_MATCHES`] catalog
//! items meet all of it (and, for NA2I, when the negation removes at least that many), so that
//! every query has relevant items and every negation matters.
//!
//! Splits: a VC2I query is test when its vague phrase is one of the held-out ones (drawn with
//! probability 1/5 when all splits are wanted), else train or validation by a hash of its
//! text; an NA2I query's split comes from a hash of its (wanted, unwanted) label pair, and a
//! test pair is phrased with the held-out templates.

use std::collections::HashSet;

use super::build::Gen;
use super::context::intersection;
use super::data::fill;
use super::phrase::{natural, say};
use super::{Condition, Query, QueryType, Split};
use crate::rng::SplitMix64;

/// Fewest catalog items that must fully meet a target-less query.
const MIN_MATCHES: usize = 3;

/// How many draws per wanted query before giving up.
const TRIES: usize = 30;

/// VC2I: a phrase from `vague.txt`, sometimes with a price or era tail.
pub(crate) fn vague(g: &Gen<'_, '_>, per_type: usize, rng: &mut SplitMix64) -> Vec<Query> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for _ in 0..per_type.saturating_mul(TRIES) {
        if out.len() == per_type {
            break;
        }
        let held_out = match g.want {
            Some(s) => s == Split::Test,
            None => rng.chance(0.2),
        };
        g.phrase_for(if held_out { Split::Test } else { Split::Train });
        let Some(v) = rng.pick(&g.data().vague).cloned() else {
            break;
        };
        let mut conditions: Vec<Condition> = v
            .groups
            .iter()
            .map(|grp| Condition::AnyLabel(grp.iter().map(|l| (*l).to_string()).collect()))
            .collect();
        let extra = match rng.below(4) {
            2 => {
                let amount = [5u32, 10, 15, 20][rng.below(4)];
                let t = rng
                    .pick(g.data().templates("VC2I.extra.price"))
                    .copied()
                    .unwrap_or("");
                if t.contains("free") {
                    conditions.push(Condition::Free);
                } else {
                    conditions.push(Condition::PriceAtMost(f64::from(amount)));
                }
                fill(t, &[("amount", &amount.to_string())])
            }
            3 => {
                let decade = [1990, 2000, 2010][rng.below(3)];
                let after = [2010, 2012, 2014, 2015][rng.below(4)];
                let t = rng
                    .pick(g.data().templates("VC2I.extra.year"))
                    .copied()
                    .unwrap_or("");
                if t.contains("{decade}") {
                    conditions.push(Condition::YearFrom(decade));
                    conditions.push(Condition::YearTo(decade + 9));
                } else {
                    conditions.push(Condition::YearFrom(after + 1));
                }
                fill(
                    t,
                    &[
                        ("decade", &decade.to_string()),
                        ("year", &after.to_string()),
                    ],
                )
            }
            _ => String::new(),
        };
        let text = say(
            g.data(),
            rng,
            "VC2I",
            &[("vague", v.phrase), ("extra", &extra)],
        );
        let split = if held_out {
            Split::Test
        } else if g.split_of(&text) == Split::Validation {
            Split::Validation
        } else {
            Split::Train
        };
        if !g.wants(split) || !seen.insert(text.clone()) {
            continue;
        }
        let first: Vec<&str> = v.groups.first().cloned().unwrap_or_default();
        let q = target_less(split, QueryType::VC2I, text, conditions);
        if enough(g, &q, &first) {
            out.push(q);
        }
    }
    out
}

/// NA2I: a label of a random item, and a label that co-occurs with it but is not wanted.
pub(crate) fn negative(g: &Gen<'_, '_>, per_type: usize, rng: &mut SplitMix64) -> Vec<Query> {
    let items = g.ctx.items();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for _ in 0..per_type.saturating_mul(TRIES) {
        if out.len() == per_type || items.is_empty() {
            break;
        }
        let x = &items[rng.below(items.len())];
        let labels: Vec<&str> = g.descriptive(x).into_iter().take(5).collect();
        let Some(&pos) = rng.pick(&labels) else {
            continue;
        };
        let with_pos = g.ctx.items_with(pos);
        let Some(&y) = rng.pick(with_pos) else {
            continue;
        };
        let others: Vec<&str> = g
            .descriptive(&items[y as usize])
            .into_iter()
            .filter(|l| !l.eq_ignore_ascii_case(pos))
            .collect();
        let Some(&neg) = rng.pick(&others) else {
            continue;
        };
        let pair = (pos.to_lowercase(), neg.to_lowercase());
        let split = g.split_of(&format!("{}\u{1f}{}", pair.0, pair.1));
        if !g.wants(split) || !seen.insert(pair) {
            continue;
        }
        let both = intersection(with_pos, g.ctx.items_with(neg));
        if both < MIN_MATCHES || with_pos.len() - both < MIN_MATCHES {
            continue;
        }
        g.phrase_for(split);
        let text = say(
            g.data(),
            rng,
            "NA2I",
            &[("pos", &natural(pos)), ("neg", &natural(neg))],
        );
        let conditions = vec![
            Condition::Label(pos.to_string()),
            Condition::NotLabel(neg.to_string()),
        ];
        out.push(target_less(split, QueryType::NA2I, text, conditions));
    }
    out
}

fn target_less(split: Split, kind: QueryType, text: String, conditions: Vec<Condition>) -> Query {
    Query {
        kind,
        split,
        text,
        target: None,
        conditions,
        exclude: Vec::new(),
    }
}

/// Whether at least [`MIN_MATCHES`] items grade 2, looking only at items with a `first` label.
fn enough(g: &Gen<'_, '_>, q: &Query, first: &[&str]) -> bool {
    let items = g.ctx.items();
    let mut candidates: Vec<u32> = first
        .iter()
        .flat_map(|l| g.ctx.items_with(l).iter().copied())
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    candidates
        .into_iter()
        .filter(|&i| q.grade(&items[i as usize], g.ctx) >= 2)
        .take(MIN_MATCHES)
        .count()
        >= MIN_MATCHES
}
