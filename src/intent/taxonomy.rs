//! The IARD seeker taxonomy: four top-level intents and sixteen sub-intents, each sub-intent
//! belonging to one top level.

use serde::Serialize;

/// Top-level seeker intents.
pub const TOP_LEVELS: [&str; 4] = ["AskForRec", "AddDetails", "GiveFeedback", "OTH"];

/// Seeker sub-intents: ask for recommendations (initial query, continue, reformulate, start
/// over), add details (provide preference, answer, ask the recommender), give feedback
/// (accept, reject, seen, not seen, inquire, critique a feature, critique by adding a
/// constraint, critique by comparison), and other.
pub const SUB_INTENTS: [&str; 16] = [
    "IQU", "CON", "REF", "STO", "PRO", "ANS", "ASK", "ACC", "REJ", "SEE", "NRE", "INQ", "CRI-F",
    "CRI-A", "CRI-C", "OTH",
];

/// The top level a sub-intent belongs to (None for an unknown label).
#[must_use]
pub fn top_of(sub: &str) -> Option<&'static str> {
    Some(match sub {
        "IQU" | "CON" | "REF" | "STO" => "AskForRec",
        "PRO" | "ANS" | "ASK" => "AddDetails",
        "ACC" | "REJ" | "SEE" | "NRE" | "INQ" | "CRI-F" | "CRI-A" | "CRI-C" => "GiveFeedback",
        "OTH" => "OTH",
        _ => return None,
    })
}

/// Index of a sub-intent label.
#[must_use]
pub fn sub_index(label: &str) -> Option<usize> {
    SUB_INTENTS.iter().position(|s| *s == label)
}

/// Index of a top-level label.
#[must_use]
pub fn top_index(label: &str) -> Option<usize> {
    TOP_LEVELS.iter().position(|s| *s == label)
}

/// What a turn does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Intent {
    /// Top-level intents that apply (at least one).
    pub top: Vec<&'static str>,
    /// Sub-intents that apply (at least one).
    pub sub: Vec<&'static str>,
    /// The most probable sub-intent.
    pub primary: &'static str,
    /// Its probability, 0–1.
    pub confidence: f32,
    /// Probability of each top-level intent, in [`TOP_LEVELS`] order.
    #[serde(skip)]
    pub top_probs: [f32; 4],
    /// Probability of each sub-intent, in [`SUB_INTENTS`] order.
    #[serde(skip)]
    pub sub_probs: [f32; 16],
}

impl Intent {
    /// Decide labels from probabilities: every label at or above 0.5, and always the most
    /// probable one.
    #[must_use]
    pub fn from_probs(top_probs: [f32; 4], sub_probs: [f32; 16]) -> Self {
        let pick = |p: &[f32], names: &[&'static str]| -> Vec<&'static str> {
            let best = argmax(p);
            let mut v: Vec<(usize, f32)> = p
                .iter()
                .copied()
                .enumerate()
                .filter(|&(i, x)| x >= 0.5 || i == best)
                .collect();
            v.sort_by(|a, b| b.1.total_cmp(&a.1));
            v.into_iter().map(|(i, _)| names[i]).collect()
        };
        let best = argmax(&sub_probs);
        Self {
            top: pick(&top_probs, &TOP_LEVELS),
            sub: pick(&sub_probs, &SUB_INTENTS),
            primary: SUB_INTENTS[best],
            confidence: sub_probs[best],
            top_probs,
            sub_probs,
        }
    }

    /// Probability of a sub-intent.
    #[must_use]
    pub fn prob(&self, sub: &str) -> f32 {
        sub_index(sub).map_or(0.0, |i| self.sub_probs[i])
    }

    /// Whether a sub-intent was chosen.
    #[must_use]
    pub fn has(&self, sub: &str) -> bool {
        self.sub.contains(&sub)
    }

    /// "GiveFeedback/REJ".
    #[must_use]
    pub fn label(&self) -> String {
        format!("{}/{}", top_of(self.primary).unwrap_or("OTH"), self.primary)
    }
}

fn argmax(p: &[f32]) -> usize {
    p.iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map_or(0, |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sub_intent_has_a_top_level() {
        for s in SUB_INTENTS {
            assert!(top_of(s).is_some(), "{s}");
        }
        assert_eq!(top_of("CRI-A"), Some("GiveFeedback"));
        assert_eq!(top_of("nope"), None);
    }

    #[test]
    fn labels_from_probabilities() {
        let mut sub = [0.01; 16];
        sub[9] = 0.8; // SEE
        sub[4] = 0.55; // PRO
        let i = Intent::from_probs([0.1, 0.6, 0.7, 0.1], sub);
        assert_eq!(i.primary, "SEE");
        assert_eq!(i.sub, ["SEE", "PRO"]);
        assert_eq!(i.top, ["GiveFeedback", "AddDetails"]);
        assert_eq!(i.label(), "GiveFeedback/SEE");
        let none = Intent::from_probs([0.2, 0.1, 0.1, 0.3], [0.1; 16]);
        assert_eq!(none.top, ["OTH"]);
        assert_eq!(none.sub.len(), 1);
    }
}
