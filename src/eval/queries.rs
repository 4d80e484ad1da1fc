//! Retrieval-evaluation queries generated from a catalog's metadata alone.
//!
//! In: any catalog's `&[Item]`, a count per query type and a seed. Out: a [`QuerySet`] of the
//! ten item-retrieval tasks of RecLM-emb (Lei et al., "Aligning Language Models for Versatile
//! Text-based Item Retrieval", arXiv 2402.18899), each query carrying its conditions as data so
//! that [`Query::grade`] can give any item the multi-graded relevance of GR2 (arXiv 2409.18409):
//!
//! | grade | meaning |
//! |---|---|
//! | 3 | the query's target item |
//! | 2 | satisfies every stated condition |
//! | 1 | satisfies some condition (or only partly) |
//! | 0 | satisfies none, has a negated label, or is excluded (history items, the I2I anchor) |
//!
//! A negated label ([`Condition::NotLabel`]) is a veto, not a condition that earns credit.
//! [`Condition::SimilarTo`] is met fully by an item with the anchor's developer or a Jaccard
//! similarity ≥ 0.5 on lowercased genres ∪ tags, and partly by one sharing any genre or tag.
//!
//! **Histories.** Catalogs have no users, so the history behind UH2I, US2I, UQ2I and I2I is
//! built from item similarity: the candidates for target T are the other items that share T's
//! developer or at least 2 of its labels, whose title is not T's and does not contain T's title;
//! the 20 most similar (Jaccard on labels, +0.5 for the same developer; ties by catalog order)
//! form a pool, the PRNG draws 3–5 of them, and they are listed least → most similar.
//!
//! **Per type.** UH2I: the history's titles → T; relevance `SimilarTo(T)`. I2I: the anchor is
//! T's most similar history item; relevance `SimilarTo(anchor)`, T graded 3, and the anchor is
//! excluded from ranking and graded 0. US2I: labels found in ≥ 2 history items (and a developer
//! shared by ≥ 2) → T; relevance `SimilarTo(T)`. FA2I: all of T's genres, up to 5 tags,
//! developer, year and price. SA2I: 2–3 sampled attributes. AS2I: 1–2 kind labels and maybe a
//! feature ("with co-op"), phrased as users write. NM2I: T's title with 1–2 character edits
//! (swap, drop, double, replace; titles of ≥ 4 letters, unique in the catalog); only T is
//! relevant. VC2I: a vague phrase from `vague.txt` mapped to groups of labels (any label of a
//! group meets it), no target. NA2I: a positive and a negated label, no target. UQ2I: the
//! history plus 1–2 explicit requests T meets (price, feature, label, year) and `SimilarTo(T)`.
//!
//! **Splits, honestly held out.** [`Split`] comes from a hash of (target id, seed) — 20 % test,
//! 10 % validation (for early stopping), 70 % train — so no two splits share a target. Test
//! queries are also *worded* differently: a share of the phrasings is reserved for them —
//! templates (`[X.test]` sections of `templates.txt`), vague phrases (`[vague.test]`), one typo
//! kind (doubled letters) and two history lengths (2 and 5; train and validation use 3–4) — so
//! a gain on the test split cannot come from sentences seen in training. Held-out items (test
//! and validation targets) never appear in the history or as the anchor of a query of another
//! split. VC2I is test when its vague phrase is held out; NA2I splits by its label pair. Texts
//! never contain the target's title, except NM2I's misspelling. Generation is deterministic for
//! a given input and seed; item sets that offer fewer candidates than asked give fewer queries.

mod build;
mod context;
mod data;
mod describe;
mod history;
mod phrase;

#[cfg(test)]
mod split_tests;
mod targetless;
#[cfg(test)]
mod tests;
mod typo;

use serde::{Deserialize, Serialize};

use crate::catalog::item::{Item, Price};
use crate::error::{Error, Result};

pub use crate::rng::SplitMix64;
pub use context::{GradeContext, Similarity};
pub use typo::edit_distance;

/// The ten query types of RecLM-emb, named as in the paper.
#[allow(clippy::upper_case_acronyms)] // the paper's names
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum QueryType {
    /// User history (3–5 liked items) → next item.
    UH2I,
    /// One item → similar items.
    I2I,
    /// Summary of a user's tastes → item.
    US2I,
    /// All attributes of the target → item.
    FA2I,
    /// 2–3 sampled attributes → item.
    SA2I,
    /// Short user-style description → item.
    AS2I,
    /// Misspelled name → item.
    NM2I,
    /// Vague condition → items (no target).
    VC2I,
    /// Positive and negated attributes → items (no target).
    NA2I,
    /// History plus an explicit request → item.
    UQ2I,
}

impl QueryType {
    /// Every type, in the paper's order.
    pub const ALL: [QueryType; 10] = [
        Self::UH2I,
        Self::I2I,
        Self::US2I,
        Self::FA2I,
        Self::SA2I,
        Self::AS2I,
        Self::NM2I,
        Self::VC2I,
        Self::NA2I,
        Self::UQ2I,
    ];

    /// The paper's name ("UH2I", ...).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UH2I => "UH2I",
            Self::I2I => "I2I",
            Self::US2I => "US2I",
            Self::FA2I => "FA2I",
            Self::SA2I => "SA2I",
            Self::AS2I => "AS2I",
            Self::NM2I => "NM2I",
            Self::VC2I => "VC2I",
            Self::NA2I => "NA2I",
            Self::UQ2I => "UQ2I",
        }
    }

    /// Whether queries of this type have a single target item.
    #[must_use]
    pub fn has_target(self) -> bool {
        !matches!(self, Self::VC2I | Self::NA2I)
    }
}

impl std::fmt::Display for QueryType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One stated condition of a query; labels compare case-insensitively.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Carries this genre or tag.
    Label(String),
    /// Carries at least one of these genres or tags (a vague wish such as "relaxing").
    AnyLabel(Vec<String>),
    /// Must not carry this genre or tag: a veto (grade 0), never a source of credit.
    NotLabel(String),
    /// Made by this developer.
    Developer(String),
    /// Costs at most this much (free items included); items without a price fail.
    PriceAtMost(f64),
    /// Costs nothing.
    Free,
    /// Released in this year or later.
    YearFrom(i32),
    /// Released in this year or earlier.
    YearTo(i32),
    /// Similar to the item with this id: fully when it has the same developer or Jaccard
    /// ≥ 0.5 on genres ∪ tags, partly when it shares any genre or tag.
    SimilarTo(String),
}

/// How well an item meets one condition.
enum Met {
    Full,
    Partly,
    No,
    Veto,
    Neutral,
}

impl Condition {
    fn check(&self, item: &Item, ctx: &GradeContext<'_>) -> Met {
        let yes = |b: bool| if b { Met::Full } else { Met::No };
        match self {
            Self::Label(l) => yes(item.has_label(l)),
            Self::AnyLabel(ls) => yes(ls.iter().any(|l| item.has_label(l))),
            Self::NotLabel(l) => {
                if item.has_label(l) {
                    Met::Veto
                } else {
                    Met::Neutral
                }
            }
            Self::Developer(d) => yes(item
                .developer
                .as_deref()
                .is_some_and(|x| x.trim().eq_ignore_ascii_case(d.trim()))),
            Self::PriceAtMost(p) => yes(item.price.is_some_and(|x| x.amount() <= p + 1e-9)),
            Self::Free => yes(matches!(item.price, Some(Price::Free))
                || item.price.is_some_and(|x| x.amount() == 0.0)),
            Self::YearFrom(y) => yes(item.year.is_some_and(|x| x >= *y)),
            Self::YearTo(y) => yes(item.year.is_some_and(|x| x <= *y)),
            Self::SimilarTo(id) => match ctx.get(id) {
                None => Met::No,
                Some(anchor) => match ctx.similarity(anchor, item) {
                    Similarity::Strong => Met::Full,
                    Similarity::Weak => Met::Partly,
                    Similarity::None => Met::No,
                },
            },
        }
    }
}

/// Train, validation or test: disjoint by target item (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// For adapter training.
    Train,
    /// Held out from training, for early stopping and model choice.
    Validation,
    /// Held out for evaluation, with held-out phrasings.
    Test,
}

impl Split {
    /// Lowercase name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Train => "train",
            Self::Validation => "validation",
            Self::Test => "test",
        }
    }

    /// Parse `train`, `validation` or `test`.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the value.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "train" => Ok(Self::Train),
            "validation" | "valid" | "val" => Ok(Self::Validation),
            "test" => Ok(Self::Test),
            o => Err(Error::Invalid(format!(
                "split `{o}`: expected train, validation or test"
            ))),
        }
    }
}

/// One generated query: its text, its target, and the conditions that grade every item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Query {
    /// Which task.
    pub kind: QueryType,
    /// What the user types.
    pub text: String,
    /// The item the query was made from (none for VC2I and NA2I).
    pub target: Option<String>,
    /// The stated conditions.
    pub conditions: Vec<Condition>,
    /// Items named by the query (history, anchor): not to be ranked, graded 0.
    pub exclude: Vec<String>,
    /// Train or test.
    pub split: Split,
}

impl Query {
    /// The relevance of `item`, 0–3 (see the module doc). Computed, never stored.
    #[must_use]
    pub fn grade(&self, item: &Item, ctx: &GradeContext<'_>) -> u8 {
        if self.target.as_deref() == Some(item.id.as_str()) {
            return 3;
        }
        if self.exclude.contains(&item.id) {
            return 0;
        }
        let (mut total, mut full, mut some) = (0usize, 0usize, false);
        for c in &self.conditions {
            match c.check(item, ctx) {
                Met::Veto => return 0,
                Met::Neutral => {}
                Met::Full => {
                    total += 1;
                    full += 1;
                }
                Met::Partly => {
                    total += 1;
                    some = true;
                }
                Met::No => total += 1,
            }
        }
        if total == 0 {
            0
        } else if full == total {
            2
        } else {
            u8::from(full > 0 || some)
        }
    }
}

/// All queries generated from one catalog.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QuerySet {
    /// Grouped by type in [`QueryType::ALL`] order.
    pub queries: Vec<Query>,
}

impl QuerySet {
    /// The queries of one type.
    pub fn of_kind(&self, kind: QueryType) -> impl Iterator<Item = &Query> {
        self.queries.iter().filter(move |q| q.kind == kind)
    }

    /// The queries of one split.
    pub fn in_split(&self, split: Split) -> impl Iterator<Item = &Query> {
        self.queries.iter().filter(move |q| q.split == split)
    }

    /// One JSON object per line.
    ///
    /// # Errors
    /// [`Error::Invalid`] if a query cannot be serialised (it always can).
    pub fn to_jsonl(&self) -> Result<String> {
        let mut out = String::new();
        for q in &self.queries {
            out.push_str(&serde_json::to_string(q).map_err(|e| Error::Invalid(e.to_string()))?);
            out.push('\n');
        }
        Ok(out)
    }

    /// Reads what [`QuerySet::to_jsonl`] wrote; `path` only names the source in errors.
    ///
    /// # Errors
    /// [`Error::Parse`] naming the line that is not a query.
    pub fn from_jsonl(text: &str, path: &std::path::Path) -> Result<Self> {
        let mut queries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let q = serde_json::from_str(line).map_err(|e| Error::Parse {
                path: path.to_path_buf(),
                line: n + 1,
                field: "-".into(),
                message: e.to_string(),
            })?;
            queries.push(q);
        }
        Ok(Self { queries })
    }
}

/// Up to `per_type` queries of each type from `items`, of every split mixed; same input and
/// seed → same output.
#[must_use]
pub fn generate(items: &[Item], per_type: usize, seed: u64) -> QuerySet {
    generate_with(items, per_type, seed, None)
}

/// Up to `per_type` queries of each type from `items`, all of `split`.
#[must_use]
pub fn generate_split(items: &[Item], per_type: usize, seed: u64, split: Split) -> QuerySet {
    generate_with(items, per_type, seed, Some(split))
}

/// The split an item belongs to as a target under `seed`: training code uses it to keep
/// held-out items (validation and test targets) out of everything it learns from.
#[must_use]
pub fn item_split(id: &str, seed: u64) -> Split {
    build::split_of(id, seed)
}

fn generate_with(items: &[Item], per_type: usize, seed: u64, want: Option<Split>) -> QuerySet {
    let ctx = GradeContext::new(items);
    let generator = build::Gen::new(&ctx, seed, want);
    let mut queries = Vec::new();
    for kind in QueryType::ALL {
        queries.extend(generator.run(kind, per_type));
    }
    QuerySet { queries }
}
