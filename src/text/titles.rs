//! Which catalog items a text names. All titles are folded ([`super::fold`]) and compiled
//! into one aho-corasick automaton (leftmost-longest), searched over the folded text padded
//! with spaces so that matches fall on word boundaries: "The Witcher 3: Wild Hunt" is one
//! mention, not "The Witcher" plus noise, and "Dark Souls" inside a tag list is not matched
//! unless the text really says it.
//!
//! Titles made only of everyday words ("Journey", "Inside", "Home") or of one word of three
//! letters or fewer are *weak*: a weak match counts only when the text shows it is a name —
//! written with a capital letter away from the start of a sentence, or right after a cue word
//! ("played", "like", "about", …) — so "a journey through space" does not name Journey.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

use super::fold::Folded;
use crate::catalog::Item;

const COMMON: &str = include_str!("common_words.txt");

/// Words after which a weak title is taken as a name even in lower case.
const CUES: &[&str] = &[
    "like",
    "played",
    "play",
    "playing",
    "loved",
    "love",
    "liked",
    "enjoyed",
    "about",
    "seen",
    "watched",
    "watch",
    "try",
    "tried",
    "than",
    "and",
    "or",
    "vs",
    "versus",
    "recommend",
    "finished",
    "beat",
    "own",
    "bought",
    "called",
    "titled",
    "named",
    "as",
];

/// One title found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct TitleMatch {
    /// Byte span in the original text.
    pub start: usize,
    /// End of the byte span (exclusive).
    pub end: usize,
    /// The folded title that matched.
    pub key: String,
    /// Items with that title, best first (base items before add-ons, then popularity).
    pub items: Vec<usize>,
}

/// The matcher over one catalog's titles.
#[derive(Debug, Clone)]
pub struct TitleMatcher {
    ac: Option<AhoCorasick>,
    keys: Vec<String>,
    items: Vec<Vec<usize>>,
    weak: Vec<bool>,
    /// Whether a title of the group has a comma, semicolon or line break of its own (else a
    /// match may not run across one: "Dark, Souls-like" does not name "Dark Souls").
    separators: Vec<bool>,
    by_key: HashMap<String, usize>,
}

fn has_separator(s: &str) -> bool {
    s.contains([',', ';', '\n', '|'])
}

/// Whether `word` (folded) is an everyday English word (`common_words.txt`).
#[must_use]
pub fn is_common_word(word: &str) -> bool {
    static S: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    S.get_or_init(common_words).contains(word)
}

fn common_words() -> HashSet<&'static str> {
    COMMON
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect()
}

impl TitleMatcher {
    /// Build from a catalog's items (indices are positions in `items`).
    #[must_use]
    pub fn build(items: &[Item]) -> Self {
        let mut common: HashSet<String> = common_words().into_iter().map(str::to_string).collect();
        // Words of the catalog's own labels ("racing", "puzzle") are everyday words here too.
        let mut label_words: HashMap<String, usize> = HashMap::new();
        for it in items {
            for l in it.labels() {
                for w in crate::text::fold(l).split(' ') {
                    *label_words.entry(w.to_string()).or_default() += 1;
                }
            }
        }
        common.extend(
            label_words
                .into_iter()
                .filter(|(_, n)| *n >= 3)
                .map(|(w, _)| w),
        );
        // So are the cue words themselves: "I loved The Notebook" names no film "Loved".
        common.extend(CUES.iter().map(|c| (*c).to_string()));
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut keys: Vec<String> = Vec::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, it) in items.iter().enumerate() {
            let key = crate::text::fold(&it.title);
            if key.is_empty() {
                continue;
            }
            let slot = *by_key.entry(key.clone()).or_insert_with(|| {
                keys.push(key);
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[slot].push(i);
        }
        for g in &mut groups {
            g.sort_by(|&a, &b| {
                (items[a].is_addon(), -items[a].popularity(), a)
                    .partial_cmp(&(items[b].is_addon(), -items[b].popularity(), b))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        let weak: Vec<bool> = keys
            .iter()
            .map(|k| {
                let words: Vec<&str> = k.split(' ').collect();
                (words.len() == 1 && k.chars().count() <= 3)
                    || words
                        .iter()
                        .all(|w| common.contains(*w) || w.chars().all(|c| c.is_ascii_digit()))
            })
            .collect();
        let separators: Vec<bool> = groups
            .iter()
            .map(|g| g.iter().any(|&i| has_separator(&items[i].title)))
            .collect();
        let patterns: Vec<String> = keys.iter().map(|k| format!(" {k} ")).collect();
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .ok();
        Self {
            ac,
            keys,
            items: groups,
            weak,
            separators,
            by_key,
        }
    }

    /// Items whose folded title is exactly the folded `phrase`, best first.
    #[must_use]
    pub fn exact(&self, phrase: &str) -> Option<&[usize]> {
        self.by_key
            .get(&crate::text::fold(phrase))
            .map(|&k| self.items[k].as_slice())
    }

    /// Whether the folded title `key` is weak (see the module docs).
    #[must_use]
    pub fn is_weak(&self, key: &str) -> bool {
        self.by_key.get(key).is_some_and(|&k| self.weak[k])
    }

    /// Titles named in `text`, left to right, longest first, not overlapping.
    #[must_use]
    pub fn find(&self, text: &str) -> Vec<TitleMatch> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        let folded = Folded::new(text);
        let hay = format!(" {} ", folded.text);
        let mut out = Vec::new();
        let mut at = 0;
        while at < hay.len() {
            let Some(m) = ac.find(Input::new(&hay).span(at..hay.len())) else {
                break;
            };
            let k = m.pattern().as_usize();
            // Folded positions: the pattern is " key ", the haystack " text ".
            let fs = m.start();
            let fe = m.end() - 2;
            let (start, end) = folded.original_span(fs, fe, text);
            let crosses = !self.separators[k] && has_separator(&text[start..end]);
            if !crosses && (!self.weak[k] || names_weak_title(text, start, end)) {
                out.push(TitleMatch {
                    start,
                    end,
                    key: self.keys[k].clone(),
                    items: self.items[k].clone(),
                });
                at = m.end() - 1;
            } else {
                // Try again one word further on (a shorter title may start inside this one).
                at = hay[m.start() + 1..]
                    .find(' ')
                    .map_or(hay.len(), |p| m.start() + 1 + p);
            }
        }
        out
    }
}

/// Whether the weak title at `start..end` of `text` is written as a name.
fn names_weak_title(text: &str, start: usize, end: usize) -> bool {
    let span = &text[start..end];
    let before = text[..start].trim_end();
    let prev_word = before
        .rsplit(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    // A title of several words with a number in it ("left 4 dead 2"), or of several words
    // that make the whole turn ("the long dark"), is written as a name.
    let words: Vec<&str> = span.split_whitespace().collect();
    let numbered = words.len() >= 2 && words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()));
    // (Fewer words stay weak: "horror" and "anything else?" as a whole turn are no titles.)
    let whole = words.len() >= 3 && text.trim_matches(|c: char| !c.is_alphanumeric()) == span;
    if numbered || whole {
        return true;
    }
    let sentence_start = before.is_empty() || before.ends_with(['.', '!', '?', ':', '\n']);
    let capitalised = span.chars().next().is_some_and(char::is_uppercase);
    // A pronoun after a cue is a pronoun ("I loved it" names no film "It"), unless it is
    // written as a name.
    let pronoun = matches!(
        span.to_lowercase().as_str(),
        "it" | "that" | "this" | "them" | "those" | "these" | "her" | "him" | "us" | "you" | "me"
    );
    // "About" is a cue only as "tell me about", "what about", "how about": "a movie about
    // war" names no film *War*.
    // The word before the previous one.
    let prev2 = before
        .trim_end_matches(|c: char| c.is_alphanumeric())
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .map(str::to_lowercase)
        .unwrap_or_default();
    let about_topic = prev_word == "about"
        && !matches!(
            prev2.as_str(),
            "me" | "what" | "how" | "talk" | "more" | "us"
        );
    let quoted = before.ends_with(['"', '“', '\'']);
    let lower = span.to_lowercase();
    // An article or "I" is a name only in quotes ("can you recommend a comedy" names no film
    // *A*); a cue word after a cue only written as a name ("get out and loved it" names no
    // *Loved*).
    if matches!(lower.as_str(), "a" | "an" | "the" | "i") {
        return quoted;
    }
    let verb = CUES.contains(&lower.as_str());
    // "Like" as filler after a preposition ("something from like the last 5 years") is no cue.
    let filler_like = prev_word == "like"
        && matches!(
            prev2.as_str(),
            "from" | "around" | "at" | "for" | "with" | "in" | "of" | "about"
        );
    let cue = CUES.contains(&prev_word.as_str()) && !filler_like;
    if ((capitalised || !(pronoun || verb)) && !about_topic && cue) || quoted {
        return true;
    }
    capitalised && !sentence_start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(titles: &[&str]) -> Vec<Item> {
        titles
            .iter()
            .enumerate()
            .map(|(i, t)| Item {
                id: i.to_string(),
                title: (*t).to_string(),
                ..Item::default()
            })
            .collect()
    }

    #[test]
    fn finds_whole_titles_on_word_boundaries() {
        let it = items(&[
            "The Witcher 3: Wild Hunt",
            "The Witcher",
            "Dark Souls",
            "Portal",
            "Portal 2",
            "Journey",
            "Pokémon Go",
        ]);
        let m = TitleMatcher::build(&it);
        let text = "I loved the witcher 3 wild hunt and Portal 2, also pokemon go.";
        let found: Vec<&str> = m.find(text).iter().map(|x| &text[x.start..x.end]).collect();
        assert_eq!(found, ["the witcher 3 wild hunt", "Portal 2", "pokemon go"]);
        assert!(m.find("tags: Dark, Souls-like").is_empty());
        assert!(m.find("a portal2 clone").is_empty());
        assert_eq!(m.exact("DARK souls").map(<[usize]>::to_vec), Some(vec![2]));
    }

    #[test]
    fn weak_titles_need_a_sign_of_being_a_name() {
        let it = items(&["Journey", "Inside", "Hades"]);
        let m = TitleMatcher::build(&it);
        assert!(m.find("a journey through the desert").is_empty());
        assert_eq!(m.find("I really liked Journey a lot").len(), 1);
        assert_eq!(m.find("have you played inside?").len(), 1);
        assert_eq!(
            m.find("hades is great").len(),
            1,
            "not weak: not an everyday word"
        );
        assert!(m.find("Inside the castle you fight.").is_empty());
        // Cue words, genre words and pronouns are weak titles too: "I loved The Notebook"
        // names no film "Loved", "not a romance" no "Romance", "I loved it" no "It".
        let it = items(&["Loved", "Romance", "It", "The Notebook"]);
        let m = TitleMatcher::build(&it);
        let keys = |t: &str| -> Vec<String> { m.find(t).into_iter().map(|x| x.key).collect() };
        assert_eq!(keys("I loved The Notebook"), ["the notebook"]);
        assert!(keys("not a romance this time").is_empty());
        assert!(keys("have you seen it? I loved it").is_empty());
        assert_eq!(keys("I loved It, the clown one"), ["it"]);
        let it = items(&["Left 4 Dead 2", "The Long Dark", "Inside"]);
        let m = TitleMatcher::build(&it);
        assert_eq!(m.find("left 4 dead 2 with friends").len(), 1);
        assert_eq!(m.find("the long dark?").len(), 1);
        let it = items(&["War", "Anything Else"]);
        let m = TitleMatcher::build(&it);
        assert!(m.find("a movie about war").is_empty());
        assert_eq!(m.find("tell me about war").len(), 1);
        assert!(m.find("anything else?").is_empty());
        assert!(m.find("inside").is_empty());
        assert!(m.find("a long dark night").is_empty());
        // An article is a title only in quotes; a cue word after a cue only as a name.
        let it = items(&["A", "Loved", "Get Out"]);
        let m = TitleMatcher::build(&it);
        let keys = |t: &str| -> Vec<String> { m.find(t).into_iter().map(|x| x.key).collect() };
        assert!(keys("can you recommend a comedy").is_empty());
        assert_eq!(keys("i just watched get out and loved it"), ["get out"]);
        assert_eq!(keys("have you seen \"A\"?"), ["a"]);
        let it = items(&["The Last"]);
        let m = TitleMatcher::build(&it);
        assert!(m.find("a story rpg from like the last 5 years").is_empty());
        assert_eq!(m.find("something like the last").len(), 1);
    }

    #[test]
    fn same_title_prefers_the_base_item() {
        let mut it = items(&["Doom", "Doom"]);
        it[0].tags = vec!["Downloadable Content".into()];
        let m = TitleMatcher::build(&it);
        assert_eq!(m.exact("doom").map(<[usize]>::to_vec), Some(vec![1, 0]));
    }
}
