//! The two target-less types: VC2I (a vague wish, maybe with a price or era) and NA2I (a label
//! wanted and a label not wanted). A query is kept only when at least [`MIN_MATCHES`] catalog
//! items meet all of it (and, for NA2I, when the negation removes at least that many), so that
//! every query has relevant items and every negation matters.

use std::collections::HashSet;

use super::build::Gen;
use super::context::intersection;
use super::data::fill;
use super::phrase::{natural, say};
use super::{Condition, Query, QueryType};
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
        let Some(v) = rng.pick(&g.data.vague) else {
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
                    .pick(g.data.templates("VC2I.extra.price"))
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
                    .pick(g.data.templates("VC2I.extra.year"))
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
            &g.data,
            rng,
            "VC2I",
            &[("vague", v.phrase), ("extra", &extra)],
        );
        if !seen.insert(text.clone()) {
            continue;
        }
        let first: Vec<&str> = v.groups.first().cloned().unwrap_or_default();
        let q = target_less(g, QueryType::VC2I, text, conditions);
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
        if !seen.insert((pos.to_lowercase(), neg.to_lowercase())) {
            continue;
        }
        let both = intersection(with_pos, g.ctx.items_with(neg));
        if both < MIN_MATCHES || with_pos.len() - both < MIN_MATCHES {
            continue;
        }
        let text = say(
            &g.data,
            rng,
            "NA2I",
            &[("pos", &natural(pos)), ("neg", &natural(neg))],
        );
        let conditions = vec![
            Condition::Label(pos.to_string()),
            Condition::NotLabel(neg.to_string()),
        ];
        out.push(target_less(g, QueryType::NA2I, text, conditions));
    }
    out
}

fn target_less(
    g: &Gen<'_, '_>,
    kind: QueryType,
    text: String,
    conditions: Vec<Condition>,
) -> Query {
    Query {
        kind,
        split: g.split_of(&text),
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
