//! Qualities said as comparisons or complaints ("shorter", "less complicated", "too hard"),
//! read into labels by the query parser ([`super::parse`]).

use super::{
    parse::{ends_clause, matches_at, Tok, FILLERS, LEAD_INS, NEGATORS},
    Filters, LabelVocab,
};

/// Qualities said as comparisons or complaints, and the label each stands for (negated:
/// the label is avoided, `Filters::avoid_labels`, a soft refusal). "Something shorter" is Short, "less complicated" Casual, "too
/// hard" not Difficult. A catalog without the label reads the phrase as its own name for it
/// where it has one ("cozier" is Relaxing where nothing is tagged Cozy), else ignores it; its
/// words are never searched for ("faster", which names no label, would find *FTL: Faster Than
/// Light*).
const QUALITIES: &[(&[&str], &str, bool)] = &[
    (&["shorter"], "short", false),
    (&["too", "long"], "short", false),
    (&["not", "that", "long"], "short", false),
    (&["not", "too", "long"], "short", false),
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
    (&["less", "punishing"], "difficult", true),
    (&["too", "punishing"], "difficult", true),
    (&["less", "brutal"], "difficult", true),
    (&["too", "brutal"], "difficult", true),
    (&["less", "frustrating"], "difficult", true),
    (&["too", "frustrating"], "difficult", true),
    (&["too", "gory"], "gore", true),
    (&["less", "gory"], "gore", true),
    (&["too", "bloody"], "gore", true),
    (&["less", "bloody"], "gore", true),
    (&["too", "violent"], "violent", true),
    (&["less", "violent"], "violent", true),
    (&["harder"], "difficult", false),
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
    (&["cozier"], "cozy", false),
    (&["comfier"], "cozy", false),
    (&["more", "cozy"], "cozy", false),
    (&["scarier"], "horror", false),
    (&["funnier"], "funny", false),
    (&["more", "relaxing"], "relaxing", false),
    (&["less", "stressful"], "relaxing", false),
    (&["too", "stressful"], "relaxing", false),
    (&["too", "intense"], "relaxing", false),
    (&["single", "player"], "singleplayer", false),
    (&["single-player"], "singleplayer", false),
    (&["singleplayer"], "singleplayer", false),
    (&["solo"], "singleplayer", false),
    (&["less", "competitive"], "competitive", true),
    (&["too", "competitive"], "competitive", true),
    (&["more", "competitive"], "competitive", false),
    (&["more", "story"], "storyrich", false),
    (&["great", "story"], "storyrich", false),
    (&["good", "story"], "storyrich", false),
    (&["strong", "story"], "storyrich", false),
    (&["deep", "story"], "storyrich", false),
    (&["rich", "story"], "storyrich", false),
    (&["amazing", "story"], "storyrich", false),
    (&["story", "heavy"], "storyrich", false),
    (&["story", "focused"], "storyrich", false),
    (&["narrative", "driven"], "storyrich", false),
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
        // The nearest word before it that is no filler or lead-in, within the clause.
        let mut before = None;
        for t in toks[..i].iter().rev() {
            if ends_clause(t) {
                break;
            }
            let w = t.low.as_str();
            if NEGATORS.contains(&w) || !(FILLERS.contains(&w) || LEAD_INS.contains(&w)) {
                before = Some(w);
                break;
            }
        }
        let turned = p[0] != "too" && before.is_some_and(|w| NEGATORS.contains(&w));
        // "A really hard day" is no hard game: "hard" names Difficult only before a game word
        // or a label ("a really hard platformer").
        let after = toks.get(i + p.len()).map(|t| t.low.as_str());
        let everyday_hard = p[0] != "too"
            && p.last() == Some(&"hard")
            && !after.is_some_and(|w| {
                matches!(w, "game" | "games" | "one" | "ones") || vocab.lookup(w).is_some()
            });
        if everyday_hard {
            i += 1;
            continue;
        }
        let keep = !(turned && negated);
        negated |= turned;
        // The label, or the catalog's own name for it ("cozier" is Relaxing where no item
        // is tagged Cozy, "funnier" Comedy where none is tagged Funny).
        let resolved = if label.is_empty() {
            None
        } else if vocab.has(label) {
            Some((*label).to_string())
        } else {
            vocab.lookup(label)
        };
        if let Some(label) = resolved.filter(|_| keep) {
            let label = label.as_str();
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

/// The labels the complaint phrases of a text name ("too long" → Short, "too hard" →
/// Difficult): in a question ("is it too long?") they frame no condition to check.
pub(super) fn complaint_labels(toks: &[Tok], vocab: &LabelVocab) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..toks.len() {
        for (p, label, _) in QUALITIES {
            if p[0] == "too" && matches_at(toks, i, p) && !label.is_empty() && vocab.has(label) {
                out.push((*label).to_string());
            }
        }
    }
    out
}

/// Phrases that ask for items people rate well.
const WELL_RATED: &[&[&str]] = &[
    &["good", "reviews"],
    &["great", "reviews"],
    &["positive", "reviews"],
    &["good", "ratings"],
    &["high", "ratings"],
    &["good", "rating"],
    &["well", "reviewed"],
    &["well-reviewed"],
    &["well", "rated"],
    &["well-rated"],
    &["highly", "rated"],
    &["highly-rated"],
    &["top", "rated"],
    &["top-rated"],
    &["best", "rated"],
    &["best-rated"],
    &["critically", "acclaimed"],
    &["acclaimed"],
];

/// "With good reviews", "highly rated": [`Filters::well_rated`].
pub(super) fn ratings(toks: &[Tok], used: &mut [bool], f: &mut Filters) {
    for i in 0..toks.len() {
        for p in WELL_RATED {
            if matches_at(toks, i, p) && !used[i..i + p.len()].iter().any(|u| *u) {
                f.well_rated = true;
                used[i..i + p.len()].iter_mut().for_each(|u| *u = true);
            }
        }
    }
}
