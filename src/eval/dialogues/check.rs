//! Checking one scripted turn: the [`ScriptTurn`]'s expectations and the [`Answer`] the
//! pipeline gave go in; one [`Check`] per expectation comes out, saying what was expected and
//! what was found (so a failure reads as a bug report, not a boolean).

use serde::{Deserialize, Serialize};

use super::ScriptTurn;
use crate::{
    catalog::Item,
    dialogue::Answer,
    retrieve::{filters::norm_label, Filters, Retriever},
};

/// Filters every card must satisfy (`every = {...}` in a script).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Every {
    /// Highest price.
    pub price_max: Option<f64>,
    /// Lowest price.
    pub price_min: Option<f64>,
    /// Free only.
    #[serde(default)]
    pub free: bool,
    /// Earliest year.
    pub year_min: Option<i32>,
    /// Latest year.
    pub year_max: Option<i32>,
    /// Labels every card carries.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Labels no card carries.
    #[serde(default)]
    pub not_labels: Vec<String>,
    /// A maker (developer or publisher) of every card.
    pub maker: Option<String>,
}

impl Every {
    fn filters(&self) -> Filters {
        Filters {
            price_max: self.price_max,
            price_min: self.price_min,
            free: self.free,
            year_min: self.year_min,
            year_max: self.year_max,
            labels: self.labels.iter().map(|l| norm_label(l)).collect(),
            not_labels: self.not_labels.iter().map(|l| norm_label(l)).collect(),
            avoid_labels: Vec::new(),
            well_rated: false,
            makers: self.maker.iter().map(|m| crate::text::fold(m)).collect(),
        }
    }
}

/// One expectation's outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// The dialogue's name.
    pub dialogue: String,
    /// 1-based turn.
    pub turn: usize,
    /// What the user said.
    pub say: String,
    /// The expectation ("intent", "must", "every", ...).
    pub what: String,
    /// Whether it held.
    pub passed: bool,
    /// Expected and found.
    pub detail: String,
}

/// Where a check belongs.
pub struct Where<'a> {
    /// Dialogue name.
    pub dialogue: &'a str,
    /// 1-based turn.
    pub turn: usize,
    /// The user's words.
    pub say: &'a str,
}

fn check(at: &Where<'_>, what: &str, passed: bool, detail: String) -> Check {
    Check {
        dialogue: at.dialogue.to_string(),
        turn: at.turn,
        say: at.say.to_string(),
        what: what.to_string(),
        passed,
        detail,
    }
}

/// A failed check (the turn itself failed, or the script is wrong).
#[must_use]
pub fn failed(at: &Where<'_>, what: &str, detail: String) -> Check {
    check(at, what, false, detail)
}

/// The catalog item a script names: an id, else a title (folded).
fn resolve<'a>(r: &'a Retriever, name: &str) -> Option<&'a Item> {
    r.by_id(name).or_else(|| r.by_title(name))
}

fn titles(items: &[&Item]) -> String {
    let t: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
    format!("[{}]", t.join(", "))
}

/// Check every expectation of turn `t` against its answer `a`; `before` are the ids of the
/// cards shown before the turn.
#[must_use]
pub fn turn(
    r: &Retriever,
    at: &Where<'_>,
    t: &ScriptTurn,
    a: &Answer,
    before: &[String],
) -> Vec<Check> {
    let mut out = Vec::new();
    let cards: Vec<&Item> = a.candidates.iter().filter_map(|c| r.by_id(&c.id)).collect();
    if let Some(want) = &t.intent {
        let vals = want.values();
        let ok = vals
            .iter()
            .any(|v| *v == a.intent.label || a.intent.top.contains(v) || a.intent.sub.contains(v));
        let found = format!(
            "{} (top {:?}, sub {:?})",
            a.intent.label, a.intent.top, a.intent.sub
        );
        out.push(check(
            at,
            "intent",
            ok,
            format!("expected {vals:?}, got {found}"),
        ));
    }
    if let Some(want) = &t.action {
        let vals = want.values();
        let ok = vals.contains(&a.action);
        out.push(check(
            at,
            "action",
            ok,
            format!("expected {vals:?}, got {}", a.action),
        ));
    }
    let k = t.top.unwrap_or(cards.len()).min(cards.len());
    let top = &cards[..k];
    for (names, must) in [(&t.must, true), (&t.must_not, false)] {
        for name in names {
            let what = if must { "must" } else { "must_not" };
            let Some(item) = resolve(r, name) else {
                out.push(failed(
                    at,
                    what,
                    format!(
                        "`{name}` is not an id or title in catalog `{}`",
                        r.catalog()
                    ),
                ));
                continue;
            };
            let at_rank = top.iter().position(|c| c.id == item.id);
            let ok = at_rank.is_some() == must;
            let found = match at_rank {
                Some(p) => format!("at card {}", p + 1),
                None => "absent".into(),
            };
            out.push(check(
                at,
                what,
                ok,
                format!(
                    "{} in the top {k}: {found}; cards {}",
                    item.title,
                    titles(top)
                ),
            ));
        }
    }
    if let Some(every) = &t.every {
        let f = every.filters();
        let bad: Vec<&Item> = cards
            .iter()
            .copied()
            .filter(|c| !(f.admits_hard(c) && f.admits_labels(c)))
            .collect();
        let ok = !cards.is_empty() && bad.is_empty();
        let detail = if cards.is_empty() {
            "no cards were shown".to_string()
        } else if bad.is_empty() {
            format!("all {} cards satisfy {every:?}", cards.len())
        } else {
            format!(
                "{} of {} cards do not satisfy {every:?}: {}",
                bad.len(),
                cards.len(),
                titles(&bad)
            )
        };
        out.push(check(at, "every", ok, detail));
    }
    if let Some(n) = t.about {
        let want = n.checked_sub(1).and_then(|i| before.get(i));
        let got: Vec<&str> = a.about.iter().map(|x| x.title.as_str()).collect();
        let (ok, detail) = match want.and_then(|id| r.by_id(id)) {
            Some(item) => (
                a.about.iter().any(|x| x.id == item.id),
                format!(
                    "expected card {n} ({}), the answer is about {got:?}",
                    item.title
                ),
            ),
            None => (
                false,
                format!(
                    "card {n} was not on screen ({} cards before this turn)",
                    before.len()
                ),
            ),
        };
        out.push(check(at, "about", ok, detail));
    }
    if let Some(n) = t.cards {
        let detail = format!(
            "expected {n} cards, {} shown: {}",
            cards.len(),
            titles(&cards)
        );
        out.push(check(at, "cards", cards.len() == n, detail));
    }
    if let Some(want) = &t.says {
        let ok = a.text.to_lowercase().contains(&want.to_lowercase());
        let detail = format!(
            "expected the answer to contain {want:?}, it says {:?}",
            a.text.trim()
        );
        out.push(check(at, "says", ok, detail));
    }
    out
}
