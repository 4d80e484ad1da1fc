//! From the model's stream to the shown answer, one checked unit at a time. [`Composer`] is
//! fed the model's tokens and returns what may be shown now:
//!
//! - **picks** (recommendations): a line `[n] because it …` becomes `• Title — ` as soon as
//!   its number is read (the title comes from the catalog), then the reason once its line is
//!   complete and checked ([`super::support::check`] against that item's facts). A reason
//!   keeps its supported leading clauses; it then must name a fact that sets the item apart
//!   from the other cards (else one is appended: ", with Local Co-op"); a reason that is
//!   unsupported from its first clause or repeats an earlier pick's is replaced by one built
//!   from the item's distinguishing facts.
//! - **prose** (answers about items, comparisons): each sentence is shown once complete and
//!   checked against the subjects' facts; an unsupported tail is cut, an unsupported
//!   sentence dropped; a sentence cut off by the token limit, or one said before, is dropped.
//!   With nothing left, the answer is the items' facts.
//! - **small talk**: sentences naming items or numbers the user did not give are dropped.
//!
//! Everything cut is counted in [`Grounding`] and listed with the words that failed.

mod pieces;

use serde::Serialize;

pub use pieces::summary;
use pieces::{fact_reason, same_reason, sentence_end};

use super::{
    facts::{distinguishing, Facts},
    support::{check, check_small_talk, Context, Verdict},
    Pick,
};
use crate::{catalog::Item, text::terminal_line};

/// What the support check did to an answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Grounding {
    /// Sentences and reasons shown as the model wrote them.
    pub kept: usize,
    /// Shown with an unsupported tail cut off.
    pub trimmed: usize,
    /// Removed as unsupported (or unfinished, or repeating another pick's reason).
    pub dropped: usize,
    /// Pick reasons (or whole answers) built from the catalog's facts instead.
    pub replaced: usize,
    /// Pick reasons given a fact that sets the item apart.
    pub appended: usize,
    /// What was cut, with the words that were not supported.
    pub cut: Vec<Cut>,
}

/// One removed piece of model text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cut {
    /// The text removed.
    pub text: String,
    /// Why: the unsupported words, or "unfinished" / "repeats another reason".
    pub why: Vec<String>,
}

/// What kind of answer is being composed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `[n] because it …` lines, one per pick.
    Picks,
    /// Sentences about the subjects.
    Prose,
    /// Small talk: no items.
    SmallTalk,
}

/// Streams a checked answer.
#[derive(Debug)]
pub struct Composer<'a> {
    ctx: &'a Context<'a>,
    mode: Mode,
    /// The items the model may name, with the number it knows each by.
    numbered: Vec<(usize, Facts<'a>)>,
    buf: String,
    raw: String,
    shown: String,
    /// The answer in the model's own format, as shown (for the conversation's transcript).
    echo: String,
    open: Option<usize>,
    junk_line: bool,
    picks: Vec<Pick>,
    /// The model's part of each pick's reason (before a fact was added), for repeats.
    written: Vec<String>,
    picked: Vec<usize>,
    /// Space owed before the next shown sentence.
    owed: &'static str,
    /// Prose sentences shown so far (folded), so that a repeated one is dropped.
    said: Vec<String>,
    grounding: Grounding,
    fallback: String,
}

/// The finished answer.
#[derive(Debug, Clone, Default)]
pub struct Composed {
    /// The answer as shown.
    pub text: String,
    /// The model's raw output.
    pub raw: String,
    /// The answer in the model's format (numbers, not titles), as shown.
    pub echo: String,
    /// Picks, with their shown reasons.
    pub picks: Vec<Pick>,
    /// What the check did.
    pub grounding: Grounding,
}

impl<'a> Composer<'a> {
    /// A composer for `mode` over `numbered` items (the model's number of each, and the
    /// item), with `fallback` shown when small talk keeps nothing.
    #[must_use]
    pub fn new(
        ctx: &'a Context<'a>,
        mode: Mode,
        numbered: Vec<(usize, &'a Item)>,
        fallback: &str,
    ) -> Self {
        Self {
            ctx,
            mode,
            numbered: numbered
                .into_iter()
                .map(|(n, it)| (n, Facts::of(it)))
                .collect(),
            buf: String::new(),
            raw: String::new(),
            shown: String::new(),
            echo: String::new(),
            open: None,
            junk_line: false,
            picks: Vec::new(),
            written: Vec::new(),
            picked: Vec::new(),
            owed: "",
            said: Vec::new(),
            grounding: Grounding::default(),
            fallback: fallback.to_string(),
        }
    }

    fn emit(&mut self, text: &str, out: &mut String) {
        self.shown.push_str(text);
        out.push_str(text);
    }

    fn cut(&mut self, text: &str, why: Vec<String>) {
        let text = text.trim();
        if !text.is_empty() {
            self.grounding.cut.push(Cut {
                text: text.to_string(),
                why,
            });
        }
    }

    /// Feed a token; returns what can be shown now.
    pub fn push(&mut self, token: &str) -> String {
        self.raw.push_str(token);
        self.buf.push_str(token);
        let mut out = String::new();
        match self.mode {
            Mode::Picks => self.drain_picks(false, &mut out),
            Mode::Prose | Mode::SmallTalk => self.drain_prose(false, &mut out),
        }
        out
    }

    fn drain_picks(&mut self, at_end: bool, out: &mut String) {
        loop {
            if self.junk_line || self.open.is_some() {
                let Some(nl) = self.buf.find('\n').or(at_end.then_some(self.buf.len())) else {
                    return;
                };
                let line: String = self.buf.drain(..nl).collect();
                if self.buf.starts_with('\n') {
                    self.buf.remove(0);
                }
                if self.junk_line {
                    self.junk_line = false;
                    if !line.trim().is_empty() {
                        self.grounding.dropped += 1;
                        self.cut(&line, vec!["not a pick".into()]);
                    }
                } else if let Some(k) = self.open.take() {
                    let reason = self.reason(k, line.trim());
                    self.emit(&format!("{reason}\n"), out);
                    let n = self.numbered[k].0;
                    self.echo.push_str(&format!("[{n}] {reason}\n"));
                }
                if self.buf.is_empty() {
                    return;
                }
                continue;
            }
            let trimmed = self.buf.trim_start();
            if trimmed.is_empty() {
                self.buf.clear();
                return;
            }
            if !trimmed.starts_with('[') {
                self.junk_line = true;
                continue;
            }
            let Some(close) = trimmed.find(']') else {
                if trimmed.len() > 8 || at_end {
                    self.junk_line = true;
                    continue;
                }
                return;
            };
            let skip = self.buf.len() - trimmed.len();
            let n = trimmed[1..close].trim().parse::<usize>().ok();
            let k = n.and_then(|n| self.numbered.iter().position(|(m, _)| *m == n));
            match k {
                Some(k) if !self.picked.contains(&k) => {
                    self.buf.drain(..skip + close + 1);
                    let title = terminal_line(&self.numbered[k].1.item.title);
                    self.emit(&format!("• {title} — "), out);
                    self.picked.push(k);
                    self.open = Some(k);
                }
                _ => self.junk_line = true,
            }
        }
    }

    /// The shown reason of the pick of item `k`, from the model's `line`.
    fn reason(&mut self, k: usize, line: &str) -> String {
        let item = self.numbered[k].1.item;
        let mut text = if line.is_empty() {
            None
        } else {
            let verdict = check(line, &[&self.numbered[k].1], self.ctx, true);
            self.keep(line, &verdict, false)
        };
        let others: Vec<&Item> = self
            .numbered
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, (_, f))| f.item)
            .collect();
        let mut apart = distinguishing(item, &others, &self.ctx.user_stems);
        if apart.is_empty() {
            let earlier: Vec<&Item> = self
                .picks
                .iter()
                .filter_map(|p| self.numbered.iter().find(|(_, f)| f.item.id == p.id))
                .map(|(_, f)| f.item)
                .collect();
            apart = distinguishing(item, &earlier, &self.ctx.user_stems);
        }
        if let Some(t) = &text {
            if self.written.iter().any(|w| same_reason(w, t, self.ctx)) {
                self.grounding.dropped += 1;
                self.cut(t, vec!["repeats another pick's reason".into()]);
                text = None;
            } else {
                self.written.push(t.clone());
            }
        }
        let by_model = text.is_some();
        let reason = match text {
            Some(t) if !apart.is_empty() && !apart.iter().any(|f| f.named_in(&t)) => {
                self.grounding.appended += 1;
                format!("{t}, {}", terminal_line(&apart[0].phrase()))
            }
            Some(t) => t,
            None => {
                self.grounding.replaced += 1;
                fact_reason(item, &apart)
            }
        };
        self.picks.push(Pick {
            id: item.id.clone(),
            title: item.title.clone(),
            reason: reason.clone(),
            by_model,
        });
        reason
    }

    /// What to show of a checked `text` (None: nothing), counting it.
    fn keep(&mut self, text: &str, v: &Verdict, sentence: bool) -> Option<String> {
        if v.keep >= text.len() {
            self.grounding.kept += 1;
            return Some(terminal_line(text));
        }
        self.cut(&text[v.keep..], v.unsupported.clone());
        if v.keep == 0 {
            self.grounding.dropped += 1;
            return None;
        }
        self.grounding.trimmed += 1;
        let mut t = terminal_line(text[..v.keep].trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '—' | '–')
        }));
        if sentence && !t.ends_with(['.', '!', '?']) {
            t.push('.');
        }
        Some(t)
    }

    fn drain_prose(&mut self, at_end: bool, out: &mut String) {
        while let Some(end) = sentence_end(&self.buf, at_end) {
            let unit: String = self.buf.drain(..end).collect();
            let unit = self.titles_for_numbers(&unit);
            let sentence = unit.trim();
            if sentence.is_empty() {
                continue;
            }
            let key = crate::text::fold(sentence);
            if self.said.contains(&key) {
                self.grounding.dropped += 1;
                self.cut(sentence, vec!["repeats an earlier sentence".into()]);
                continue;
            }
            let tail = &unit[unit.trim_end().len()..];
            let sep = if tail.contains('\n') { "\n" } else { " " };
            let v = match self.mode {
                Mode::SmallTalk => check_small_talk(sentence, self.ctx),
                _ => {
                    let subjects: Vec<&Facts> = self.numbered.iter().map(|(_, f)| f).collect();
                    check(sentence, &subjects, self.ctx, false)
                }
            };
            if let Some(t) = self.keep(sentence, &v, true) {
                self.said.push(key);
                let owed = if self.shown.is_empty() { "" } else { self.owed };
                self.echo.push_str(&format!("{owed}{t}"));
                self.emit(&format!("{owed}{t}"), out);
                self.owed = if sep == "\n" { "\n" } else { " " };
            }
        }
    }

    /// `text` with each `[n]` of an item of the answer written as its title (the model may
    /// refer to items by the numbers the prompt gave them).
    fn titles_for_numbers(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('[') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let item = after.split_once(']').and_then(|(n, _)| {
                let n = n.trim().parse::<usize>().ok()?;
                let (_, f) = self.numbered.iter().find(|(m, _)| *m == n)?;
                Some((f.item, after.find(']')?))
            });
            match item {
                Some((it, close)) => {
                    out.push_str(&terminal_line(&it.title));
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('[');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The generation ended (`cut`: by the token limit); returns what is left to show.
    pub fn finish(&mut self, cut: bool) -> String {
        let mut out = String::new();
        match self.mode {
            Mode::Picks => self.drain_picks(true, &mut out),
            Mode::Prose | Mode::SmallTalk => {
                let rest = self.buf.trim().to_string();
                if cut && !rest.is_empty() && !rest.ends_with(['.', '!', '?']) {
                    self.buf.clear();
                    self.grounding.dropped += 1;
                    self.cut(&rest, vec!["unfinished".into()]);
                } else {
                    self.drain_prose(true, &mut out);
                }
            }
        }
        if self.shown.trim().is_empty() {
            let text = match self.mode {
                Mode::Picks => String::new(),
                Mode::Prose => {
                    self.grounding.replaced += 1;
                    self.numbered
                        .iter()
                        .map(|(_, f)| summary(f.item))
                        .collect::<Vec<_>>()
                        .join("\n")
                }
                Mode::SmallTalk => self.fallback.trim().to_string(),
            };
            if !text.is_empty() {
                self.echo = format!("{text}\n");
                self.emit(&format!("{text}\n"), &mut out);
            }
        }
        if !self.shown.is_empty() && !self.shown.ends_with('\n') {
            self.emit("\n", &mut out);
        }
        out
    }

    /// The finished answer.
    #[must_use]
    pub fn into_composed(self) -> Composed {
        Composed {
            text: self.shown,
            raw: self.raw,
            echo: self.echo,
            picks: self.picks,
            grounding: self.grounding,
        }
    }
}
