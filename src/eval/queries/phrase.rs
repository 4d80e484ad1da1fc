//! Turning attributes into the words users type, each phrase paired with the [`Condition`]s it
//! states: prices ("under $10", "free"), years ("from the 2010s", "released after 2015") and
//! noun phrases ("a puzzle game with co-op by Valve").

use crate::catalog::item::Price;

use super::data::{fill, Data};
use super::Condition;
use crate::rng::SplitMix64;

/// Price bounds a user would say, in dollars.
const BOUNDS: [u32; 13] = [1, 2, 3, 5, 10, 15, 20, 25, 30, 40, 50, 60, 100];

/// A label as typed: acronyms kept ("RPG", "2D"), other words lowercased, a trailing "game"
/// dropped so that "Card Game" reads "card" in "card games".
pub(crate) fn natural(label: &str) -> String {
    let words: Vec<String> = label
        .split_whitespace()
        .map(|w| {
            let upper = w.chars().filter(char::is_ascii_uppercase).count();
            if upper >= 2 && !w.chars().any(|c| c.is_ascii_lowercase()) {
                w.to_string()
            } else {
                w.to_lowercase()
            }
        })
        .collect();
    let mut s = words.join(" ");
    for suffix in [" games", " game"] {
        if s.len() > suffix.len() && s.ends_with(suffix) {
            s.truncate(s.len() - suffix.len());
        }
    }
    s
}

/// "A", "A and B", "A, B and C".
pub(crate) fn join_list<S: AsRef<str>>(xs: &[S]) -> String {
    match xs {
        [] => String::new(),
        [a] => a.as_ref().to_string(),
        [init @ .., last] => {
            let head: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", head.join(", "), last.as_ref())
        }
    }
}

/// Whether `text` contains `title` as whole words (case-insensitive).
pub(crate) fn mentions(text: &str, title: &str) -> bool {
    let (text, title) = (text.to_lowercase(), title.trim().to_lowercase());
    if title.is_empty() {
        return false;
    }
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(&title).any(|(i, m)| {
        boundary(text[..i].chars().next_back()) && boundary(text[i + m.len()..].chars().next())
    })
}

/// Picks a template of `section` and fills it.
pub(crate) fn say(
    data: &Data,
    rng: &mut SplitMix64,
    section: &str,
    values: &[(&str, &str)],
) -> String {
    let t = rng.pick(data.templates(section)).copied().unwrap_or("");
    fill(t, values)
}

/// A price as said, with its condition; `None` above $100 (nobody asks "under $150").
pub(crate) fn price(data: &Data, rng: &mut SplitMix64, p: Price) -> Option<(String, Condition)> {
    match p {
        Price::Free => Some((say(data, rng, "price.free", &[]), Condition::Free)),
        Price::Paid(x) if x <= 0.0 => Some((say(data, rng, "price.free", &[]), Condition::Free)),
        Price::Paid(x) => {
            let b = BOUNDS.iter().copied().find(|&b| f64::from(b) > x + 0.005)?;
            let amount = b.to_string();
            let text = say(data, rng, "price.under", &[("amount", &amount)]);
            Some((text, Condition::PriceAtMost(f64::from(b))))
        }
    }
}

/// The ways a year can be stated about an item released in `y`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum YearForm {
    Exact,
    Decade,
    After,
    Before,
}

/// A year as said about an item released in `y`, with its conditions.
pub(crate) fn year(
    data: &Data,
    rng: &mut SplitMix64,
    y: i32,
    form: YearForm,
) -> (String, Vec<Condition>) {
    let slack = i32::try_from(rng.range(1, 3)).unwrap_or(1);
    match form {
        YearForm::Exact => (
            say(data, rng, "year.in", &[("year", &y.to_string())]),
            vec![Condition::YearFrom(y), Condition::YearTo(y)],
        ),
        YearForm::Decade => {
            let d = y - y.rem_euclid(10);
            (
                say(data, rng, "year.decade", &[("decade", &d.to_string())]),
                vec![Condition::YearFrom(d), Condition::YearTo(d + 9)],
            )
        }
        YearForm::After => {
            let c = y - slack;
            (
                say(data, rng, "year.after", &[("year", &c.to_string())]),
                vec![Condition::YearFrom(c + 1)],
            )
        }
        YearForm::Before => {
            let c = y + slack;
            (
                say(data, rng, "year.before", &[("year", &c.to_string())]),
                vec![Condition::YearTo(c - 1)],
            )
        }
    }
}

/// What a noun phrase says; each part comes with its conditions.
#[derive(Debug, Default)]
pub(crate) struct Spec {
    /// Labels said as adjectives ("puzzle platformer").
    pub(crate) kinds: Vec<String>,
    /// Labels said in a "with ..." list.
    pub(crate) with: Vec<String>,
    /// Phrases that follow the noun ("with co-op", "by Valve", "under $10"), in order.
    pub(crate) tails: Vec<String>,
    /// Everything stated.
    pub(crate) conditions: Vec<Condition>,
}

impl Spec {
    /// Adds a label said as an adjective.
    pub(crate) fn kind(&mut self, label: &str) {
        self.kinds.push(natural(label));
        self.conditions.push(Condition::Label(label.to_string()));
    }

    /// Adds a label: a feature ("with co-op") as a tail, anything else as an adjective.
    pub(crate) fn label(&mut self, data: &Data, label: &str) {
        match data.feature_words(label) {
            Some(words) => self.tail(words.to_string(), vec![Condition::Label(label.to_string())]),
            None => self.kind(label),
        }
    }

    /// Adds a tail phrase with its conditions.
    pub(crate) fn tail(&mut self, text: String, conditions: Vec<Condition>) {
        self.tails.push(text);
        self.conditions.extend(conditions);
    }

    /// (plural, singular): "puzzle games with co-op", "a puzzle game with co-op".
    pub(crate) fn render(&self, data: &Data, rng: &mut SplitMix64) -> (String, String) {
        let kinds = self.kinds.join(" ");
        let mut tail = String::new();
        if !self.with.is_empty() {
            let labels: Vec<String> = self.with.iter().map(|l| natural(l)).collect();
            tail.push(' ');
            tail.push_str(&say(data, rng, "with", &[("labels", &join_list(&labels))]));
        }
        for t in &self.tails {
            tail.push(' ');
            tail.push_str(t);
        }
        let plural = format!("{kinds} games{tail}").trim().to_string();
        let article = if an(&kinds) { "an" } else { "a" };
        let single = format!("{article} {kinds} game{tail}").replace("  ", " ");
        (plural, single)
    }
}

/// Whether `words` takes "an": a vowel, or an acronym said with a vowel sound ("an RPG").
fn an(words: &str) -> bool {
    let first = words.split_whitespace().next().unwrap_or("");
    let acronym = first.len() >= 2 && !first.chars().any(|c| c.is_ascii_lowercase());
    match first.chars().next() {
        Some(c) if acronym => "AEFHILMNORSX".contains(c),
        Some(c) => "aeiouAEIOU".contains(c),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_labels() {
        assert_eq!(natural("Turn-Based Strategy"), "turn-based strategy");
        assert_eq!(natural("Action RPG"), "action RPG");
        assert_eq!(natural("Card Game"), "card");
        assert!(an("RPG adventure") && an("indie") && an("FPS") && !an("puzzle") && !an("JRPG"));
    }

    #[test]
    fn lists_and_mentions() {
        assert_eq!(join_list(&["a", "b", "c"]), "a, b and c");
        assert!(mentions("I loved Portal 2!", "portal 2"));
        assert!(mentions("I loved Portal 2", "Portal"));
        assert!(!mentions("Portals", "Portal"));
    }
}
