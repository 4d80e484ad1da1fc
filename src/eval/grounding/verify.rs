//! The evaluator's own reading of a shown answer, written apart from the runtime support
//! check (`crate::ground`) so that the evaluation does not measure agreement with itself: no
//! folding, no stemming, no title automaton. It works on the shown text line by line and
//! sentence by sentence, finds the item each part is about (a pick line's title; else the
//! last subject title written before it; else all subjects), and looks for:
//!
//! - **off-catalog**: a pick that is not one of the turn's cards or not in the catalog, a pick
//!   line whose title is not the catalog's, a probe title (one the catalog lacks) shown
//!   outside its own item's text;
//! - **wrong facts**: a dollar amount that is not the item's price (or a bound the user gave
//!   that the price meets), "free" for an item that costs money, a year that is not the
//!   item's, "by/made by/developed by/published by Name" naming someone other than its
//!   developer or publisher (a description that names a company does not make it the
//!   maker), "from Name" naming what the item's text does not, a catalog label
//!   (any genre or tag of any item) that the item does not have;
//! - **unsupported**: a capitalised name or a content word (four letters or more) found in
//!   neither the item's fields, the user's words, nor the shipped policy lists (generic words
//!   and paraphrases — data shared with the runtime, matched here by 5-letter prefixes);
//! - **duplicate reasons** (two picks with the same reason, or 80% the same words) and
//!   **undistinguished** picks (a reason naming no fact that the other picks lack).

mod picks;

use std::collections::HashSet;

use picks::split_sentences;

use crate::{
    catalog::{Item, Price},
    dialogue::Answer,
    retrieve::Retriever,
};

const GENERIC: &str = include_str!("../../ground/generic.txt");
const PARAPHRASES: &str = include_str!("../../ground/paraphrases.txt");

/// Words of no weight, the evaluator's own list (`#` lines are comments).
const SMALL: &str = include_str!("small.txt");

fn small(w: &str) -> bool {
    SMALL
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .any(|s| s == w)
}

/// What the evaluator found in one answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Findings {
    /// Items presented that are not the catalog's (or not the turn's cards).
    pub off_catalog: Vec<String>,
    /// Stated facts that contradict the item.
    pub wrong_facts: Vec<String>,
    /// Shown words or names that nothing backs.
    pub unsupported: Vec<String>,
    /// Pairs of picks with the same reason.
    pub duplicate_reasons: usize,
    /// Picks whose reason names nothing that sets the item apart from the other picks.
    pub undistinguished: usize,
    /// Control characters in the shown text.
    pub unsafe_text: usize,
}

fn norm(s: &str) -> String {
    s.to_lowercase()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '$' || c == '.' {
                c
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        // A sentence's full stop is no part of its last word ("… try Minecraft.").
        .map(|t| t.trim_end_matches('.'))
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn has_phrase(hay: &str, phrase: &str) -> bool {
    !phrase.is_empty() && format!(" {hay} ").contains(&format!(" {phrase} "))
}

fn raw_text(it: &Item) -> String {
    let mut s = it.title.clone();
    for x in it.labels() {
        s.push_str(" | ");
        s.push_str(x);
    }
    for x in [&it.developer, &it.publisher, &it.description]
        .into_iter()
        .flatten()
    {
        s.push_str(" | ");
        s.push_str(x);
    }
    for v in it.attributes.values() {
        s.push_str(" | ");
        s.push_str(v);
    }
    s
}

/// The first 5 letters, after an adverb's `-ly` when 4 letters stay (`richly` is backed by
/// `rich`, as in the tag "Story Rich").
fn prefix(w: &str) -> String {
    let w = w
        .strip_suffix("ly")
        .filter(|s| s.chars().count() >= 4)
        .unwrap_or(w);
    w.chars().take(5).collect()
}

/// The policy lists (generic words, paraphrases), matched by prefix.
#[derive(Debug)]
pub struct Policy {
    generic: HashSet<String>,
    paraphrases: Vec<(String, Vec<String>)>,
}

impl Default for Policy {
    fn default() -> Self {
        let data = |s: &'static str| {
            s.lines()
                .filter(|l| !l.starts_with('#'))
                .flat_map(str::split_whitespace)
                .map(prefix)
                .collect::<HashSet<_>>()
        };
        let paraphrases = PARAPHRASES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(':'))
            .map(|(w, fs)| {
                (
                    prefix(w.trim()),
                    fs.split('|').map(|f| f.trim().to_string()).collect(),
                )
            })
            .collect();
        Self {
            generic: data(GENERIC),
            paraphrases,
        }
    }
}

/// Everything known about the catalog for checking.
#[derive(Debug)]
pub struct Checker<'a> {
    /// The catalog.
    pub catalog: &'a Retriever,
    /// Every label of the catalog, normalised.
    labels: Vec<String>,
    policy: Policy,
    /// Titles the catalog lacks, looked for in answers.
    pub probes: Vec<String>,
}

/// One part of an answer and the items it is about.
struct Part<'b> {
    text: String,
    about: Vec<&'b Item>,
}

impl<'a> Checker<'a> {
    /// A checker for `catalog`, looking out for `probes`.
    #[must_use]
    pub fn new(catalog: &'a Retriever, probes: Vec<String>) -> Self {
        let mut labels: Vec<String> = catalog
            .items()
            .iter()
            .flat_map(Item::labels)
            .map(norm)
            .filter(|l| l.len() >= 3)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        labels.sort();
        Self {
            catalog,
            labels,
            policy: Policy::default(),
            probes,
        }
    }

    /// Check one answer to `user` (what the user said lately).
    #[must_use]
    pub fn check(&self, a: &Answer, user: &str) -> Findings {
        let mut f = Findings {
            unsafe_text: a
                .text
                .chars()
                .filter(|c| c.is_control() && *c != '\n')
                .count(),
            ..Findings::default()
        };
        let by_id = |id: &str| self.catalog.by_id(id);
        for p in &a.picks {
            if by_id(&p.id).is_none() || !a.candidates.iter().any(|c| c.id == p.id) {
                f.off_catalog.push(format!("pick {} is not a card", p.id));
            }
        }
        let subjects: Vec<&Item> = a.about.iter().filter_map(|r| by_id(&r.id)).collect();
        let mut parts: Vec<Part> = Vec::new();
        for line in a.text.lines() {
            if let Some(rest) = line.strip_prefix("• ") {
                let (title, reason) = rest.split_once(" — ").unwrap_or((rest, ""));
                match a
                    .picks
                    .iter()
                    .find(|p| crate::text::terminal_line(&p.title) == title)
                {
                    Some(p) => parts.push(Part {
                        text: reason.to_string(),
                        about: by_id(&p.id).into_iter().collect(),
                    }),
                    None => f
                        .off_catalog
                        .push(format!("listed title `{title}` is no pick")),
                }
                continue;
            }
            for s in split_sentences(line) {
                let about = self.about(&s, &subjects);
                parts.push(Part { text: s, about });
            }
        }
        let user_n = norm(user);
        if !a.raw.is_empty() {
            // Model text (a template answer is reco's own fixed wording).
            for part in &parts {
                if part.about.is_empty() {
                    Self::check_small_talk(part, &user_n, &self.policy, &mut f);
                } else {
                    self.check_part(part, &user_n, &mut f);
                }
            }
        }
        for probe in &self.probes {
            let p = norm(probe);
            let shown = norm(&a.text);
            let own = subjects
                .iter()
                .chain(
                    a.picks
                        .iter()
                        .filter_map(|p| by_id(&p.id))
                        .collect::<Vec<_>>()
                        .iter(),
                )
                .any(|it| has_phrase(&norm(&raw_text(it)), &p));
            if has_phrase(&shown, &p)
                && !own
                && !a.text.contains(&format!("{probe} (not in the catalog)"))
            {
                f.off_catalog.push(format!("`{probe}` shown"));
            }
        }
        self.check_picks(a, &mut f);
        f
    }

    /// The subjects a sentence is about: those whose title it writes, else all.
    fn about<'b>(&self, s: &str, subjects: &[&'b Item]) -> Vec<&'b Item> {
        let low = norm(s);
        let named: Vec<&Item> = subjects
            .iter()
            .copied()
            .filter(|it| has_phrase(&low, &norm(&it.title)))
            .collect();
        if named.is_empty() {
            subjects.to_vec()
        } else {
            named
        }
    }

    fn check_part(&self, part: &Part, user: &str, f: &mut Findings) {
        let text = &part.text;
        let low = norm(text);
        let own: String = part
            .about
            .iter()
            .map(|it| norm(&raw_text(it)))
            .collect::<Vec<_>>()
            .join(" | ");
        let toks: Vec<&str> = low.split(' ').collect();
        // Money and years.
        for (i, t) in toks.iter().enumerate() {
            let money =
                t.starts_with('$') || toks.get(i + 1).is_some_and(|n| n.starts_with("dollar"));
            let digits = t.trim_start_matches('$').trim_end_matches('.');
            let Ok(v) = digits.parse::<f64>() else {
                continue;
            };
            let before: Vec<&str> = toks[i.saturating_sub(3)..i].to_vec();
            let upper = before.iter().any(|w| {
                [
                    "under", "below", "less", "cheaper", "within", "up", "before",
                ]
                .contains(w)
            });
            let lower = before
                .iter()
                .any(|w| ["over", "above", "more", "after", "since"].contains(w));
            let given = user.split(' ').any(|u| {
                u.trim_start_matches('$')
                    .parse::<f64>()
                    .is_ok_and(|x| (x - v).abs() < 0.01)
            });
            if money {
                let ok = part.about.iter().any(|it| {
                    let p = it.price.map_or(-1.0, Price::amount);
                    (p - v).abs() < 0.01 || (given && ((upper && p <= v) || (lower && p >= v)))
                });
                if !ok {
                    f.wrong_facts.push(format!("price {t} in `{text}`"));
                }
            } else if (1950.0..2050.0).contains(&v) && v.fract() == 0.0 {
                let ok = part.about.iter().any(|it| {
                    let y = f64::from(it.year.unwrap_or(0));
                    y == v
                        || has_phrase(&own, digits)
                        || (given && ((upper && y <= v) || (lower && y >= v)))
                });
                if !ok {
                    f.wrong_facts.push(format!("year {digits} in `{text}`"));
                }
            } else if !has_phrase(&own, digits) && !has_phrase(user, digits) {
                let is_price = part
                    .about
                    .iter()
                    .any(|it| it.price.is_some_and(|p| (p.amount() - v).abs() < 0.01));
                if !is_price {
                    f.unsupported.push(format!("number {digits} in `{text}`"));
                }
            }
        }
        // "free".
        if toks.contains(&"free") {
            let ok = part.about.iter().any(|it| {
                matches!(it.price, Some(Price::Free))
                    || it.price.is_some_and(|p| p.amount() == 0.0)
                    || own.contains("free")
            }) || user.contains("free");
            if !ok {
                f.wrong_facts.push(format!("`free` in `{text}`"));
            }
        }
        // Who made it.
        let makers: String = part
            .about
            .iter()
            .flat_map(|it| [&it.developer, &it.publisher].into_iter().flatten())
            .map(|m| norm(m))
            .collect::<Vec<_>>()
            .join(" | ");
        let words: Vec<&str> = text.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            let w = w.to_lowercase();
            if !["by", "from"].contains(&w.as_str()) {
                continue;
            }
            let name: Vec<&str> = words[i + 1..]
                .iter()
                .take_while(|x| x.chars().next().is_some_and(char::is_uppercase))
                .copied()
                .collect();
            if name.is_empty() {
                continue;
            }
            let name = norm(&name.join(" "));
            // "by Name" names the maker: its developer or publisher. "from Name" may also
            // be a place or a source the item's text gives ("from Greek myth").
            let known = if w == "by" { &makers } else { &own };
            if !has_phrase(known, &name) && !has_phrase(user, &name) {
                f.wrong_facts.push(format!("maker `{name}` in `{text}`"));
            }
        }
        // Labels.
        for l in &self.labels {
            if has_phrase(&low, l)
                && !has_phrase(&own, l)
                && !has_phrase(user, l)
                && !self.paraphrase_ok(l, &own)
            {
                f.wrong_facts.push(format!("label `{l}` in `{text}`"));
            }
        }
        // Names and content words.
        let first = words.first().copied().unwrap_or("");
        for w in &words {
            let clean: String = w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
            let lw = norm(&clean);
            if lw.len() < 4 || lw.chars().any(|c| c.is_ascii_digit()) || small(&lw) {
                continue;
            }
            let pieces: Vec<&str> = lw.split(' ').filter(|p| p.len() >= 3).collect();
            let backed = |p: &str| {
                own.split(|c: char| !c.is_alphanumeric())
                    .any(|o| prefix(o) == prefix(p))
                    || user
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|o| prefix(o) == prefix(p))
                    || self.policy.generic.contains(&prefix(p))
                    || self.paraphrase_ok(p, &own)
                    || self.paraphrase_ok(p, user)
            };
            let name = clean.chars().next().is_some_and(char::is_uppercase) && *w != first;
            let ok = if name {
                pieces.iter().all(|p| {
                    own.split(|c: char| !c.is_alphanumeric())
                        .any(|o| prefix(o) == prefix(p))
                        || self.policy.generic.contains(&prefix(p))
                })
            } else {
                pieces.iter().all(|p| backed(p))
            };
            if !ok {
                f.unsupported.push(format!("`{clean}` in `{text}`"));
            }
        }
    }

    /// Text about no item: no numbers or names the user did not give.
    fn check_small_talk(part: &Part, user: &str, policy: &Policy, f: &mut Findings) {
        let words: Vec<&str> = part.text.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            let clean = w.trim_matches(|c: char| !c.is_alphanumeric());
            let lw = norm(clean);
            if lw.is_empty() || has_phrase(user, &lw) {
                continue;
            }
            let number = lw.chars().any(|c| c.is_ascii_digit());
            let name = i > 0
                && clean.chars().next().is_some_and(char::is_uppercase)
                && clean != "I"
                && !policy.generic.contains(&prefix(&lw));
            if number || name {
                f.unsupported
                    .push(format!("`{clean}` in small talk `{}`", part.text));
            }
        }
    }

    fn paraphrase_ok(&self, word: &str, own: &str) -> bool {
        let p = prefix(word);
        self.policy
            .paraphrases
            .iter()
            .any(|(w, facts)| *w == p && facts.iter().any(|x| has_phrase(own, &norm(x))))
    }
}
