//! The phrasing data of query generation, read from plain-text files beside this module:
//! `templates.txt` (sentence templates per query type and per slot), `vague.txt` (vague
//! wishes mapped to label groups) and `labels.txt` (labels too technical to say, and feature
//! labels with the words users put after a noun: "with co-op").
//!
//! Format: `[section]` headers, one entry per line, `#` comments, blank lines ignored.
//!
//! Held-out phrasings: a section `[X.test]` (templates) or `[vague.test]` replaces `[X]` in
//! the test view of the data ([`Data::load`] with `held_out = true`) and is never seen by the
//! train view, so test-split queries are worded in ways no training query was.

use std::collections::HashMap;

use super::phrase::mentions;

const TEMPLATES: &str = include_str!("../templates.txt");
const VAGUE: &str = include_str!("../vague.txt");
const LABELS: &str = include_str!("../labels.txt");

/// A vague wish: its words and the label groups that meet it (any label of each group).
#[derive(Debug, Clone)]
pub(crate) struct Vague {
    pub(crate) phrase: &'static str,
    pub(crate) groups: Vec<Vec<&'static str>>,
}

/// Everything the generator says, parsed once per [`crate::eval::queries::generate`] call.
#[derive(Debug)]
pub(crate) struct Data {
    templates: HashMap<&'static str, Vec<&'static str>>,
    pub(crate) vague: Vec<Vague>,
    skip: Vec<String>,
    features: Vec<(String, &'static str)>,
    addon: Vec<&'static str>,
}

impl Data {
    /// The phrasing data; `held_out` selects the test view (see the module doc).
    pub(crate) fn load(held_out: bool) -> Self {
        let mut templates = sections(TEMPLATES);
        let test: Vec<&str> = templates
            .keys()
            .copied()
            .filter_map(|k: &'static str| k.strip_suffix(".test"))
            .collect();
        for base in test {
            let key = format!("{base}.test");
            let own = templates.remove(key.as_str()).unwrap_or_default();
            if held_out {
                templates.insert(base, own);
            }
        }
        let mut vague_sections = sections(VAGUE);
        let section = if held_out { "vague.test" } else { "vague" };
        let vague = vague_sections
            .remove(section)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|line| {
                let (phrase, groups) = line.split_once('|')?;
                let groups: Vec<Vec<&str>> = groups
                    .split(';')
                    .map(|g| {
                        g.split(',')
                            .map(str::trim)
                            .filter(|l| !l.is_empty())
                            .collect()
                    })
                    .filter(|g: &Vec<&str>| !g.is_empty())
                    .collect();
                (!groups.is_empty()).then(|| Vague {
                    phrase: phrase.trim(),
                    groups,
                })
            })
            .collect();
        let mut labels = sections(LABELS);
        let skip = labels
            .remove("skip")
            .unwrap_or_default()
            .into_iter()
            .map(str::to_lowercase)
            .collect();
        let features = labels
            .remove("feature")
            .unwrap_or_default()
            .into_iter()
            .filter_map(|line| {
                let (label, words) = line.split_once('|')?;
                Some((label.trim().to_lowercase(), words.trim()))
            })
            .collect();
        let addon = labels.remove("addon").unwrap_or_default();
        Self {
            templates,
            vague,
            skip,
            features,
            addon,
        }
    }

    /// The templates of a section (empty when the file lacks it).
    pub(crate) fn templates(&self, section: &str) -> &[&'static str] {
        self.templates.get(section).map_or(&[], Vec::as_slice)
    }

    /// Whether a label is worth saying (not a store feature like "Steam Achievements").
    pub(crate) fn is_descriptive(&self, label: &str) -> bool {
        let l = label.trim().to_lowercase();
        !l.is_empty() && !self.skip.contains(&l)
    }

    /// Whether a title names an add-on (soundtrack, DLC, skin pack) rather than a game.
    pub(crate) fn is_addon(&self, title: &str) -> bool {
        self.addon.iter().any(|w| mentions(title, w))
    }

    /// The words for a feature label ("with co-op"), when it is one.
    pub(crate) fn feature_words(&self, label: &str) -> Option<&'static str> {
        let l = label.trim().to_lowercase();
        self.features.iter().find(|(f, _)| *f == l).map(|(_, w)| *w)
    }
}

/// `[section]` → its non-comment lines.
fn sections(text: &'static str) -> HashMap<&'static str, Vec<&'static str>> {
    let mut out: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut current = "";
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.trim();
            continue;
        }
        out.entry(current).or_default().push(line);
    }
    out
}

/// Replaces each `{key}` in `template` by its value; unknown keys become empty.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let key = &after[..end];
        if let Some((_, v)) = values.iter().find(|(k, _)| *k == key) {
            out.push_str(v);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    tidy(&out)
}

/// Collapses doubled spaces and spaces before punctuation left by empty slots.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        let glue = word.starts_with([',', '.', '?', '!', ';', ':']);
        if !out.is_empty() && !glue {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.replace(",,", ",")
        .replace(", .", ".")
        .replace(",?", "?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_files_parse() {
        let d = Data::load(false);
        let t = Data::load(true);
        assert!(d.vague.len() >= 20 && t.vague.len() >= 10);
        assert!(!d.templates("UH2I").is_empty());
        for kind in super::super::QueryType::ALL {
            let (a, b) = (d.templates(kind.as_str()), t.templates(kind.as_str()));
            assert!(!b.is_empty(), "{kind} has held-out templates");
            assert!(a.iter().all(|x| !b.contains(x)), "{kind}: shared template");
        }
        assert!(d
            .vague
            .iter()
            .all(|v| t.vague.iter().all(|w| w.phrase != v.phrase)));
        assert!(!d.is_descriptive("Steam Achievements"));
        assert_eq!(d.feature_words("co-op"), Some("with co-op"));
        assert!(d.is_addon("Portal 2 - Soundtrack") && !d.is_addon("Portal 2"));
    }

    #[test]
    fn fill_replaces_and_tidies() {
        assert_eq!(fill("a {x} b {y} , c", &[("x", "1")]), "a 1 b, c");
    }
}
