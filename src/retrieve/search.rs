//! [`Retriever::search_parsed`]: filters decide which items may be returned; dense, lexical,
//! anchor-similarity and any extra lists are fused; add-ons go after base items unless the
//! query asks for add-ons; a small popularity prior breaks near-ties.

use super::{
    anchor, dense, filters,
    fusion::{self, Signal, Source},
    Filters, Hit, ParsedQuery, Retriever, SearchOptions, SearchResult,
};
use crate::{embed::normalize, Error, Result};

/// Weight of the similarity to anchor items ("like Portal").
const ANCHOR_WEIGHT: f32 = 0.8;
/// Weight of the min-max-normalised popularity prior among the fused candidates.
const POPULARITY_WEIGHT: f32 = 0.05;

impl Retriever {
    /// Search with a parsed query and (for dense and fused modes) its vector.
    pub fn search_parsed(
        &self,
        parsed: ParsedQuery,
        query_vector: Option<&[f32]>,
        opts: &SearchOptions,
    ) -> Result<SearchResult> {
        let f = if opts.filters {
            parsed.filters.clone()
        } else {
            Filters::default()
        };
        let (mut keep, labels_relaxed, want_ids) = self.admitted(&f, opts);
        for &a in &opts.anchors {
            if let Some(k) = keep.get_mut(a) {
                *k = false;
            }
        }
        let anchors: Vec<usize> = opts
            .anchors
            .iter()
            .copied()
            .filter(|&a| a < self.items.len())
            .collect();
        let blended = match query_vector {
            Some(q) if !anchors.is_empty() && self.has_vectors() => {
                Some(anchor::blend(self, q, &anchors, &parsed.text))
            }
            Some(q) => Some(q.to_vec()),
            None => None,
        };
        let dense = match (opts.mode.uses_dense(), blended.as_deref()) {
            (false, _) => Vec::new(),
            (true, Some(q)) if self.has_vectors() => {
                dense::search(&self.vectors, q, fusion::DEPTH, &|i| keep[i])
            }
            (true, _) => {
                return Err(Error::Retrieve(format!(
                    "catalog `{}` has no vectors: run `reco catalog index {}`",
                    self.catalog(),
                    self.catalog()
                )))
            }
        };
        let lexical = if opts.mode.uses_lexical() {
            let text = if labels_relaxed || f.labels.is_empty() {
                std::borrow::Cow::Borrowed(parsed.text.as_str())
            } else {
                std::borrow::Cow::Owned(filters::without_label_words(
                    &parsed.text,
                    &f.labels,
                    &self.vocab,
                ))
            };
            let s = self.lexical.scores(&text);
            dense::top_k(&s, fusion::DEPTH, |i| keep[i] && s[i] > 0.0)
        } else {
            Vec::new()
        };
        let anchored = if anchors.is_empty() || opts.mode != super::Mode::Fused {
            Vec::new()
        } else {
            anchor::label_overlap(self, &anchors, fusion::DEPTH, &|i| keep[i])
        };
        let mut signals = vec![
            Signal {
                weight: opts.weights.dense * opts.content,
                list: &dense,
                source: Source::Dense,
            },
            Signal {
                weight: opts.weights.lexical * opts.content,
                list: &lexical,
                source: Source::Lexical,
            },
            Signal {
                weight: ANCHOR_WEIGHT * opts.content,
                list: &anchored,
                source: Source::Other,
            },
        ];
        // Extra lists obey the same filters and exclusions as the others.
        let extra: Vec<(f32, Vec<(usize, f32)>)> = opts
            .extra
            .iter()
            .map(|(w, list)| {
                let kept = list
                    .iter()
                    .copied()
                    .filter(|&(i, _)| keep.get(i).copied().unwrap_or(false))
                    .collect();
                (*w, kept)
            })
            .collect();
        for (w, list) in &extra {
            signals.push(Signal {
                weight: *w,
                list,
                source: Source::Other,
            });
        }
        let boost = |i: usize| {
            if labels_relaxed {
                want_ids
                    .iter()
                    .flatten()
                    .filter(|w| self.item_labels[i].contains(w))
                    .count()
            } else {
                0
            }
        };
        let depth = fusion::DEPTH.max(opts.k);
        let mut hits = fusion::fuse(opts.mode, &signals, depth, boost);
        if opts.mode == super::Mode::Fused {
            self.add_popularity(&mut hits);
        }
        // Stable: base items keep their order, add-ons follow in theirs (unless asked for),
        // and so does software that is no game where the query asks for games ("games like
        // skyrim" found game makers); an item the query names by its title (typos allowed)
        // stays where it ranked.
        let query = crate::text::fold(&parsed.text);
        let games = parsed.wants_games && !parsed.wants_software;
        hits.sort_by_cached_key(|h| {
            let later =
                (!parsed.wants_addons && self.addon[h.index]) || (games && self.software[h.index]);
            later && !names_title(&query, &self.items[h.index].title)
        });
        hits.truncate(opts.k);
        Ok(SearchResult {
            hits,
            parsed,
            labels_relaxed,
        })
    }

    /// Which items the filters and exclusions admit; whether positive labels had to be
    /// relaxed to a boost; the interned ids of the positive labels.
    fn admitted(&self, f: &Filters, opts: &SearchOptions) -> (Vec<bool>, bool, Vec<Option<u32>>) {
        let ids = |ls: &[String]| -> Vec<Option<u32>> {
            ls.iter().map(|l| self.label_ids.get(l).copied()).collect()
        };
        let (not_ids, want_ids) = (ids(&f.not_labels), ids(&f.labels));
        // Makers are checked against the names folded once per catalog, not folded per item.
        let values = Filters {
            makers: Vec::new(),
            ..f.clone()
        };
        let made = |i: usize| {
            f.makers.is_empty() || self.item_makers()[i].iter().any(|m| f.makers.contains(m))
        };
        let mut keep: Vec<bool> = self
            .items
            .iter()
            .zip(&self.item_labels)
            .enumerate()
            .map(|(i, (it, ls))| {
                values.admits_values(it)
                    && made(i)
                    && !not_ids.iter().flatten().any(|l| ls.contains(l))
                    && (opts.exclude.is_empty() || !opts.exclude.contains(&it.id))
            })
            .collect();
        if !f.avoid_labels.is_empty() {
            // Avoided labels leave the results while enough items remain that carry every
            // wanted label; where the wanted labels will be relaxed anyway, while enough
            // items remain at all.
            let avoid = ids(&f.avoid_labels);
            let has_all = |ls: &[u32]| want_ids.iter().all(|w| w.is_some_and(|w| ls.contains(&w)));
            let without: Vec<bool> = self
                .item_labels
                .iter()
                .zip(&keep)
                .map(|(ls, k)| *k && !avoid.iter().flatten().any(|a| ls.contains(a)))
                .collect();
            let with_all = |mask: &[bool]| {
                self.item_labels
                    .iter()
                    .zip(mask)
                    .filter(|(ls, k)| **k && has_all(ls))
                    .count()
            };
            let relaxed_anyway = with_all(&keep) < opts.k;
            let enough = with_all(&without) >= opts.k
                || (relaxed_anyway && without.iter().filter(|k| **k).count() >= opts.k);
            if enough {
                keep = without;
            }
        }
        if f.well_rated {
            // Poorly rated items leave while enough well rated ones remain that carry every
            // wanted label (or at all, where those labels will be relaxed anyway); items
            // without a rating count as neither.
            let has_all = |ls: &[u32]| want_ids.iter().all(|w| w.is_some_and(|w| ls.contains(&w)));
            let (mut well, mut well_all, mut all) = (0, 0, 0);
            let mut rated = keep.clone();
            for ((it, ls), k) in self
                .items
                .iter()
                .zip(&self.item_labels)
                .zip(rated.iter_mut())
            {
                if !*k {
                    continue;
                }
                let wanted = has_all(ls);
                all += usize::from(wanted);
                match it.well_rated() {
                    Some(true) => {
                        well += 1;
                        well_all += usize::from(wanted);
                    }
                    Some(false) => *k = false,
                    None => {}
                }
            }
            if well_all >= opts.k || (all < opts.k && well >= opts.k) {
                keep = rated;
            }
        }
        let mut labels_relaxed = false;
        if !f.labels.is_empty() {
            let has_all = |ls: &[u32]| want_ids.iter().all(|w| w.is_some_and(|w| ls.contains(&w)));
            let with: Vec<bool> = self
                .item_labels
                .iter()
                .zip(&keep)
                .map(|(ls, k)| *k && has_all(ls))
                .collect();
            if with.iter().filter(|x| **x).count() >= opts.k {
                keep = with;
            } else {
                // Relaxed a label at a time: items that carry all but one of the wanted
                // labels, else all but two, …, while enough remain ("cozy farming games under
                // $10" keeps cozy or farming games, not every game under $10).
                labels_relaxed = true;
                // Per admitted item, how many wanted labels it carries (0 for the others),
                // counted once for every level tried.
                let carried: Vec<usize> = self
                    .item_labels
                    .iter()
                    .zip(&keep)
                    .map(|(ls, k)| {
                        if *k {
                            want_ids.iter().flatten().filter(|w| ls.contains(w)).count()
                        } else {
                            0
                        }
                    })
                    .collect();
                if let Some(need) = (1..want_ids.len())
                    .rev()
                    .find(|&need| carried.iter().filter(|&&c| c >= need).count() >= opts.k)
                {
                    keep = carried.iter().map(|&c| c >= need).collect();
                }
            }
        }
        (keep, labels_relaxed, want_ids)
    }

    /// Add the popularity prior (min-max normalised over the hits) and re-sort.
    fn add_popularity(&self, hits: &mut [Hit]) {
        let (lo, hi) = hits.iter().fold((f32::MAX, f32::MIN), |(lo, hi), h| {
            let p = self.popularity[h.index];
            (lo.min(p), hi.max(p))
        });
        if hi - lo > 1e-6 {
            for h in hits.iter_mut() {
                h.score += POPULARITY_WEIGHT * (self.popularity[h.index] - lo) / (hi - lo);
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    }
}

/// Unit vector `a·x + b·y`.
pub(super) fn mix(x: &[f32], a: f32, y: &[f32], b: f32) -> Vec<f32> {
    let mut v: Vec<f32> = x.iter().zip(y).map(|(p, q)| a * p + b * q).collect();
    normalize(&mut v);
    v
}

/// Whether the folded query is the item's title, give or take a few typos (normalised
/// Levenshtein similarity of the folded texts ≥ 0.85, so "-The" for " - The" or one
/// dropped letter in a long title still counts).
fn names_title(folded_query: &str, title: &str) -> bool {
    const SIMILAR: f64 = 0.85;
    let t = crate::text::fold(title);
    !t.is_empty()
        && (t == folded_query || strsim::normalized_levenshtein(&t, folded_query) >= SIMILAR)
}

#[cfg(test)]
mod tests {
    use super::names_title;
    use crate::{
        catalog::{Item, Price},
        retrieve::{Filters, Retriever, SearchOptions},
        text::fold,
    };

    /// Too few items carry every wanted label: those that carry all but one stay, not every
    /// item the other filters admit.
    #[test]
    fn labels_relax_one_at_a_time() {
        let item = |id: &str, tags: &[&str]| Item {
            id: id.into(),
            title: id.into(),
            tags: tags.iter().map(|t| (*t).to_string()).collect(),
            price: Some(Price::Paid(5.0)),
            ..Item::default()
        };
        let items = vec![
            item("both", &["Cozy", "Farming"]),
            item("cozy", &["Cozy"]),
            item("farming", &["Farming"]),
            item("horror", &["Horror"]),
            item("shooter", &["Shooter"]),
        ];
        let r = Retriever::from_parts("c", items, Default::default());
        let f = Filters {
            labels: vec!["cozy".into(), "farming".into()],
            ..Filters::default()
        };
        let admitted = |k: usize| {
            let opts = SearchOptions {
                k,
                ..SearchOptions::default()
            };
            let (keep, relaxed, _) = r.admitted(&f, &opts);
            let ids: Vec<&str> = keep
                .iter()
                .enumerate()
                .filter(|(_, k)| **k)
                .map(|(i, _)| r.items()[i].id.as_str())
                .collect();
            (ids, relaxed)
        };
        assert_eq!(admitted(1), (vec!["both"], false));
        assert_eq!(admitted(3), (vec!["both", "cozy", "farming"], true));
        // Asked for more than carry even one: everything admitted, labels a boost.
        assert_eq!(admitted(5).0.len(), 5);
    }

    #[test]
    fn a_query_names_a_title_despite_punctuation_and_one_typo() {
        let t = "Stealth Bastard Deluxe - The Teleporter Chambers";
        assert!(names_title(
            &fold("Stealth Bastard Deluxe -The Teleporter Chambers"),
            t
        ));
        assert!(names_title(
            &fold("stealth bastard deluxe the teleportr chambers"),
            t
        ));
        assert!(!names_title(&fold("stealth games with teleporters"), t));
        assert!(!names_title(&fold("soundtrack"), "Portal 2 Soundtrack"));
    }
}
