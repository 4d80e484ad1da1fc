//! Qualities said as comparisons or complaints ("shorter", "less complicated", "too hard"),
//! read into labels by the query parser ([`super::parse`]).

use super::{
    parse::{matches_at, Tok, FILLERS, NEGATORS},
    Filters, LabelVocab,
};

/// Qualities said as comparisons or complaints, and the label each stands for (negated:
/// the label is avoided, `Filters::avoid_labels`, a soft refusal). "Something shorter" is Short, "less complicated" Casual, "too
/// hard" not Difficult. A catalog without the label ignores the phrase, and its words are
/// never searched for ("faster", which names no label, would find *FTL: Faster Than
/// Light*).
const QUALITIES: &[(&[&str], &str, bool)] = &[
    (&["shorter"], "short", false),
    (&["too", "long"], "short", false),
    (&["less", "long"], "short", false),
    (&["short", "game"], "short", false),
    (&["short", "games"], "short", false),
    (&["simpler"], "casual", false),
    (&["uncomplicated"], "casual", false),
    (&["less", "complicated"], "casual", false),
    (&["less", "complex"], "casual", false),
    (&["too", "complicated"], "casual", false),
    (&["too", "complex"], "casual", false),
    (&["easier"], "difficult", true),
    (&["too", "hard"], "difficult", true),
    (&["too", "difficult"], "difficult", true),
    (&["too", "challenging"], "difficult", true),
    (&["less", "difficult"], "difficult", true),
    (&["less", "challenging"], "difficult", true),
    (&["harder"], "difficult", false),
    (&["hardest"], "difficult", false),
    (&["really", "hard"], "difficult", false),
    (&["very", "hard"], "difficult", false),
    (&["super", "hard"], "difficult", false),
    (&["hard", "game"], "difficult", false),
    (&["hard", "games"], "difficult", false),
    (&["too", "easy"], "difficult", false),
    (&["more", "challenging"], "difficult", false),
    (&["more", "difficult"], "difficult", false),
    // Faster play means shorter matches as often as a fast pace: no label, but not
    // searched for either.
    (&["faster"], "", false),
    (&["quicker"], "", false),
    (&["too", "slow"], "", false),
    (&["calmer"], "relaxing", false),
    (&["more", "relaxing"], "relaxing", false),
    (&["less", "stressful"], "relaxing", false),
    (&["too", "stressful"], "relaxing", false),
    (&["too", "intense"], "relaxing", false),
    (&["more", "story"], "storyrich", false),
];

pub(super) fn qualities(toks: &[Tok], used: &mut [bool], f: &mut Filters, vocab: &LabelVocab) {
    let mut i = 0;
    while i < toks.len() {
        let found = QUALITIES
            .iter()
            .filter(|(p, _, _)| matches_at(toks, i, p) && !used[i..i + p.len()].iter().any(|u| *u))
            .max_by_key(|(p, _, _)| p.len());
        let Some(&(p, label, mut negated)) = found else {
            i += 1;
            continue;
        };
        // "nothing harder", "no more story": a negated comparison turns round ("not too hard"
        // keeps its complaint). A label to want becomes one to avoid; one to avoid, nothing.
        let before = toks[..i]
            .iter()
            .rev()
            .find(|t| !FILLERS.contains(&t.low.as_str()) || NEGATORS.contains(&t.low.as_str()));
        let turned = p[0] != "too" && before.is_some_and(|t| NEGATORS.contains(&t.low.as_str()));
        let keep = !(turned && negated);
        negated |= turned;
        if keep && !label.is_empty() && vocab.has(label) {
            let (to, other) = if negated {
                (&mut f.avoid_labels, &f.labels)
            } else {
                (&mut f.labels, &f.avoid_labels)
            };
            if !to.iter().any(|l| l == label) && !other.iter().any(|l| l == label) {
                to.push(label.to_string());
            }
        }
        used[i..i + p.len()].iter_mut().for_each(|u| *u = true);
        i += p.len();
    }
}
