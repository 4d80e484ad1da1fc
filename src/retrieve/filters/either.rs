//! Labels offered as alternatives: "single player or co-op", "a horror or a thriller". Each
//! side alone names one label, so the parser would require both; the person asked for either.
//! Both leave the required labels and their words stay in the text, where dense and lexical
//! matching favour items with either (the filters have no either-or).

use super::{parse::Tok, Filters, LabelVocab};

/// Words of one side of an "or": up to this many.
const SIDE: usize = 3;

/// Drop label pairs joined by "or" from `f.labels` and give their words back to the text
/// (`used` false). `one_label` parses a phrase alone and names its only label, if it names
/// exactly one and nothing else.
pub(super) fn alternatives(
    toks: &[Tok],
    used: &mut [bool],
    f: &mut Filters,
    one_label: &dyn Fn(&str) -> Option<String>,
) {
    for k in 1..toks.len().saturating_sub(1) {
        if toks[k].low != "or" {
            continue;
        }
        let phrase = |from: usize, to: usize| -> String {
            toks[from..to]
                .iter()
                .map(|t| t.raw.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let left = (1..=SIDE.min(k))
            .rev()
            .find_map(|n| one_label(&phrase(k - n, k)).map(|l| (l, k - n)));
        let right = (1..=SIDE.min(toks.len() - k - 1))
            .rev()
            .find_map(|n| one_label(&phrase(k + 1, k + 1 + n)).map(|l| (l, k + 1 + n)));
        let (Some((a, from)), Some((b, to))) = (left, right) else {
            continue;
        };
        if a == b || !f.labels.contains(&a) || !f.labels.contains(&b) {
            continue;
        }
        f.labels.retain(|l| *l != a && *l != b);
        used[from..to].iter_mut().for_each(|u| *u = false);
    }
}

/// The only label `phrase` names when parsed alone, if it names one and nothing else.
pub(super) fn only_label(phrase: &str, vocab: &LabelVocab) -> Option<String> {
    let p = super::parse::parse_without_alternatives(phrase, vocab);
    let f = &p.filters;
    let nothing_else = f.not_labels.is_empty()
        && f.avoid_labels.is_empty()
        && f.price_max.is_none()
        && f.price_min.is_none()
        && !f.free
        && f.year_min.is_none()
        && f.year_max.is_none()
        && p.count.is_none();
    (nothing_else && f.labels.len() == 1).then(|| f.labels[0].clone())
}

#[cfg(test)]
mod tests {
    use crate::retrieve::filters::{parse, LabelVocab};

    #[test]
    fn labels_joined_by_or_are_alternatives() {
        let v = LabelVocab::from_labels(&["Puzzle", "Co-op", "Singleplayer", "Horror", "Strategy"]);
        let p = parse("a single player or co-op puzzle game", &v);
        assert_eq!(p.filters.labels, vec!["puzzle".to_string()]);
        assert!(
            p.text.contains("single player or co-op"),
            "the alternatives stay in the text: {}",
            p.text
        );
        let p = parse("horror or strategy", &v);
        assert!(p.filters.labels.is_empty(), "{:?}", p.filters.labels);
        // "and" still asks for both; a refusal of either is still a refusal of both.
        assert_eq!(parse("horror and strategy", &v).filters.labels.len(), 2);
        let p = parse("puzzle games, no horror or strategy", &v);
        assert_eq!(p.filters.labels, vec!["puzzle".to_string()]);
        assert_eq!(p.filters.not_labels.len(), 2);
        // Something that is no label on one side changes nothing.
        let p = parse("co-op or something relaxing", &v);
        assert_eq!(p.filters.labels, vec!["coop".to_string()]);
    }

    #[test]
    fn comparatives_name_the_catalogs_own_label() {
        let cozy = LabelVocab::from_labels(&["Cozy", "Relaxing"]);
        assert_eq!(parse("something cozier", &cozy).filters.labels, ["cozy"]);
        let relaxing = LabelVocab::from_labels(&["Relaxing", "Horror"]);
        assert_eq!(
            parse("something cozier", &relaxing).filters.labels,
            ["relaxing"]
        );
        assert_eq!(
            parse("scarier please", &relaxing).filters.labels,
            ["horror"]
        );
    }

    #[test]
    fn decades_in_words_and_compound_adjectives_in_a_refusal() {
        let v = LabelVocab::from_labels(&["Clicker", "Relaxing"]);
        let p = parse("any good movies from the nineties", &v);
        assert_eq!(
            (p.filters.year_min, p.filters.year_max),
            (Some(1990), Some(1999))
        );
        let p = parse("something relaxing, not a mobile-style clicker thing", &v);
        assert_eq!(p.filters.not_labels, ["clicker"]);
        assert_eq!(p.filters.labels, ["relaxing"]);
    }
}
