//! The evaluator's reading of a recommendation's picks (repeated reasons, reasons that name
//! nothing the other picks lack) and its sentence splitter.

use std::collections::HashSet;

use super::{has_phrase, norm, Checker, Findings};
use crate::{catalog::Item, dialogue::Answer};

impl Checker<'_> {
    pub(super) fn check_picks(&self, a: &Answer, f: &mut Findings) {
        let picks: Vec<(&str, &Item)> = a
            .picks
            .iter()
            .filter_map(|p| self.catalog.by_id(&p.id).map(|it| (p.reason.as_str(), it)))
            .collect();
        let words = |s: &str| -> HashSet<String> {
            norm(s)
                .split(' ')
                .filter(|w| w.len() >= 3)
                .map(str::to_string)
                .collect()
        };
        for i in 0..picks.len() {
            for j in i + 1..picks.len() {
                let (x, y) = (words(picks[i].0), words(picks[j].0));
                let inter = x.intersection(&y).count() as f64;
                let union = x.union(&y).count().max(1) as f64;
                if norm(picks[i].0) == norm(picks[j].0) || inter / union >= 0.8 {
                    f.duplicate_reasons += 1;
                }
            }
        }
        for (i, (reason, it)) in picks.iter().enumerate() {
            let others: Vec<&Item> = picks
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, p)| p.1)
                .collect();
            if others.is_empty() {
                continue;
            }
            let r = norm(reason);
            let mut facts: Vec<String> = it
                .labels()
                .map(norm)
                .filter(|l| !others.iter().any(|o| o.labels().any(|m| norm(m) == *l)))
                .collect();
            if let Some(d) = &it.developer {
                if !others.iter().any(|o| o.developer.as_ref() == Some(d)) {
                    facts.push(norm(d));
                }
            }
            if let Some(y) = it.year {
                if !others.iter().any(|o| o.year == Some(y)) {
                    facts.push(y.to_string());
                }
            }
            if let Some(p) = it.price {
                if !others.iter().any(|o| o.price == Some(p)) {
                    facts.push(norm(&p.to_string()));
                }
            }
            if !facts.iter().any(|x| has_phrase(&r, x)) {
                f.undistinguished += 1;
            }
        }
    }
}

/// The evaluator's sentence splitter: after `.`, `!` or `?` followed by a space.
pub(crate) fn split_sentences(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = line.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        cur.push(*c);
        if matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|n| *n == ' ') {
            let prev_digit = i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if !prev_digit && !cur.trim().is_empty() {
                out.push(cur.trim().to_string());
                cur.clear();
            }
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}
