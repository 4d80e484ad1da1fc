//! Dialogue sessions: the turns of a conversation and what the user liked, rejected, has seen
//! and stated as preferences, plus the dialogue layer's own state (the cards last shown and
//! the active constraints), which this layer stores without reading.
//!
//! Writes that belong together are one sled transaction: [`Store::commit`] writes the session
//! record and appends the turn's records together, then flushes to disk, so a process killed
//! at any moment loses at most the turn in flight and never leaves a turn without its session
//! update (or the reverse).

use serde::{Deserialize, Serialize};
use sled::Transactional;

use super::{from_json, to_json, Store};
use crate::{Error, Result};

/// Who said a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The person.
    User,
    /// reco.
    Assistant,
}

/// One turn of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// Who said it.
    pub role: Role,
    /// What was said (for the assistant: the answer as shown).
    pub text: String,
    /// Items shown as cards (assistant) or named (user), ids in the session's catalog.
    #[serde(default)]
    pub items: Vec<String>,
    /// Unix time.
    pub at: u64,
    /// The intent the turn was classified as (user turns), e.g. "AskForRec/IQU".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<String>,
    /// Confidence of that intent, 0–1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
    /// One reason per entry of `items` (assistant turns; "" where there is none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

impl Turn {
    /// A turn with no items or metadata.
    #[must_use]
    pub fn new(role: Role, text: impl Into<String>) -> Self {
        Self {
            role,
            text: text.into(),
            items: Vec::new(),
            at: now(),
            intent: None,
            confidence: None,
            reasons: Vec::new(),
        }
    }
}

/// Feedback on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Feedback {
    /// The user accepted or liked it.
    Liked,
    /// The user rejected it.
    Rejected,
    /// The user has already seen / played it.
    Seen,
}

/// A conversation's memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Session {
    /// Session id.
    pub id: String,
    /// Catalog the session recommends from.
    pub catalog: String,
    /// Unix time of creation.
    pub created_at: u64,
    /// Unix time of the last change.
    #[serde(default)]
    pub updated_at: u64,
    /// A short title (the first request), for listings.
    #[serde(default)]
    pub title: String,
    /// Liked item ids, in order.
    pub liked: Vec<String>,
    /// Rejected item ids, in order.
    pub rejected: Vec<String>,
    /// Seen item ids, in order.
    pub seen: Vec<String>,
    /// Preferences the user stated ("co-op", "under $20").
    pub preferences: Vec<String>,
    /// Number of turns stored.
    pub turns: u64,
    /// The dialogue layer's state (cards last shown, active constraints), opaque here.
    #[serde(default)]
    pub state: serde_json::Value,
}

impl Session {
    /// Record feedback on an item; an item is in at most one of liked / rejected. Returns
    /// whether anything changed.
    pub fn mark(&mut self, item: &str, feedback: Feedback) -> bool {
        let add = |v: &mut Vec<String>| {
            if v.iter().any(|x| x == item) {
                false
            } else {
                v.push(item.to_string());
                true
            }
        };
        match feedback {
            Feedback::Liked => {
                let moved = self.rejected.iter().any(|x| x == item);
                self.rejected.retain(|x| x != item);
                add(&mut self.liked) || moved
            }
            Feedback::Rejected => {
                let moved = self.liked.iter().any(|x| x == item);
                self.liked.retain(|x| x != item);
                add(&mut self.rejected) || moved
            }
            Feedback::Seen => add(&mut self.seen),
        }
    }

    /// Forget everything recorded about an item. Returns whether it was remembered.
    pub fn forget(&mut self, item: &str) -> bool {
        let before = self.liked.len() + self.rejected.len() + self.seen.len();
        for v in [&mut self.liked, &mut self.rejected, &mut self.seen] {
            v.retain(|x| x != item);
        }
        before != self.liked.len() + self.rejected.len() + self.seen.len()
    }

    /// Record a stated preference (once).
    pub fn prefer(&mut self, preference: &str) {
        let p = preference.trim();
        if !p.is_empty() && !self.preferences.iter().any(|x| x.eq_ignore_ascii_case(p)) {
            self.preferences.push(p.to_string());
        }
    }
}

/// Seconds since the Unix epoch.
#[must_use]
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A new session id: the time in base 36 and a short random suffix ("m3k9x2-7f3a").
#[must_use]
pub fn new_session_id() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let secs = (t / 1_000_000_000) as u64;
    let mut s = String::new();
    let mut n = secs;
    while n > 0 {
        let d = (n % 36) as u32;
        s.insert(0, char::from_digit(d, 36).unwrap_or('0'));
        n /= 36;
    }
    // Mixed so that every bit of the time, the process id and a per-process counter reaches
    // the 16 bits kept.
    static DRAWS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let draw = DRAWS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let seed = (t as u64) ^ (u64::from(std::process::id()) << 32) ^ draw.rotate_left(48);
    let salt = crate::rng::SplitMix64::new(seed).next_u64() & 0xffff;
    format!("{s}-{salt:04x}")
}

impl Store {
    /// Create a session with a new id ([`new_session_id`]) on `catalog`. The id's random part
    /// is short, so two sessions started in the same second may draw the same one: a taken id
    /// is drawn again.
    pub fn create_new_session(&self, catalog: &str) -> Result<Session> {
        for _ in 0..16 {
            if let Some(s) = self.insert_session(&new_session_id(), catalog)? {
                return Ok(s);
            }
        }
        Err(Error::Invalid(
            "could not find a free session id in 16 draws".into(),
        ))
    }

    /// Create a new session on `catalog` and return it.
    pub fn create_session(&self, id: &str, catalog: &str) -> Result<Session> {
        self.insert_session(id, catalog)?
            .ok_or_else(|| Error::Invalid(format!("session `{id}` already exists")))
    }

    /// The new session, or None when `id` is taken.
    fn insert_session(&self, id: &str, catalog: &str) -> Result<Option<Session>> {
        if id.is_empty() || id.len() > 128 || id.chars().any(char::is_control) {
            return Err(Error::Invalid(
                "session id must be 1-128 printable characters".into(),
            ));
        }
        let s = Session {
            id: id.into(),
            catalog: catalog.into(),
            created_at: now(),
            updated_at: now(),
            ..Session::default()
        };
        let prior =
            self.sessions
                .compare_and_swap(id.as_bytes(), None::<&[u8]>, Some(to_json(&s)?))?;
        if prior.is_err() {
            return Ok(None);
        }
        self.db.flush()?;
        Ok(Some(s))
    }

    /// A session by id.
    pub fn session(&self, id: &str) -> Result<Option<Session>> {
        self.sessions
            .get(id.as_bytes())?
            .map(|v| from_json("session", &v))
            .transpose()
    }

    /// A session by id, or a not-found error naming it.
    pub fn require_session(&self, id: &str) -> Result<Session> {
        self.session(id)?.ok_or_else(|| {
            Error::NotFound(format!(
                "session `{id}` (list them with `reco sessions list`)"
            ))
        })
    }

    /// All session ids.
    pub fn session_ids(&self) -> Result<Vec<String>> {
        self.sessions
            .iter()
            .keys()
            .map(|k| Ok(String::from_utf8_lossy(&k?).into_owned()))
            .collect()
    }

    /// All sessions, most recently changed first.
    pub fn sessions(&self) -> Result<Vec<Session>> {
        let mut v: Vec<Session> = self
            .sessions
            .iter()
            .values()
            .map(|v| from_json("session", &v?))
            .collect::<Result<_>>()?;
        v.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(b.id.cmp(&a.id)));
        Ok(v)
    }

    /// Write `session` and append `turns` to it in one transaction, then flush to disk. The
    /// session's turn count is advanced by `turns.len()`; the stored session is returned.
    pub fn commit(&self, session: &mut Session, turns: &[Turn]) -> Result<()> {
        let tree = self.tree("turns", &session.id)?;
        let first = session.turns;
        session.turns += turns.len() as u64;
        session.updated_at = now();
        let record = to_json(session)?;
        let encoded: Vec<Vec<u8>> = turns.iter().map(to_json).collect::<Result<_>>()?;
        let id = session.id.clone();
        let outcome = (&self.sessions, &tree).transaction(|(sessions, turns_tree)| {
            let Some(stored) = sessions.get(id.as_bytes())? else {
                return sled::transaction::abort(Error::NotFound(format!("session `{id}`")));
            };
            // The stored turn count must be where this writer thinks it is.
            let stored_turns = serde_json::from_slice::<Session>(&stored)
                .map(|s| s.turns)
                .unwrap_or(first);
            if stored_turns != first {
                return sled::transaction::abort(Error::Store(format!(
                    "session `{id}` was changed by another writer"
                )));
            }
            sessions.insert(id.as_bytes(), record.as_slice())?;
            for (k, t) in encoded.iter().enumerate() {
                turns_tree.insert(&(first + k as u64).to_be_bytes(), t.as_slice())?;
            }
            Ok(())
        });
        if let Err(e) = outcome {
            session.turns = first;
            return Err(e.into());
        }
        self.db.flush()?;
        Ok(())
    }

    /// The last `n` turns of a session, oldest first.
    pub fn turns(&self, id: &str, n: usize) -> Result<Vec<Turn>> {
        let turns = self.tree("turns", id)?;
        let mut out: Vec<Turn> = turns
            .iter()
            .rev()
            .take(n)
            .map(|kv| from_json("turn", &kv?.1))
            .collect::<Result<_>>()?;
        out.reverse();
        Ok(out)
    }

    /// Delete a session and its turns. Returns whether it existed.
    pub fn remove_session(&self, id: &str) -> Result<bool> {
        let existed = self.sessions.remove(id.as_bytes())?.is_some();
        self.db.drop_tree(format!("turns/{id}").as_bytes())?;
        self.db.flush()?;
        Ok(existed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_memory_and_atomic_turns() {
        let s = Store::temporary().expect("store");
        let mut sess = s.create_session("s1", "games").expect("create");
        assert!(s.create_session("s1", "games").is_err());
        assert!(sess.mark("portal", Feedback::Liked));
        assert!(sess.mark("portal", Feedback::Rejected));
        assert!(sess.liked.is_empty());
        assert_eq!(sess.rejected, vec!["portal".to_string()]);
        sess.prefer("co-op");
        sess.prefer("Co-op");
        assert_eq!(sess.preferences.len(), 1);
        for i in 0..3 {
            let t = Turn::new(Role::User, format!("t{i}"));
            s.commit(&mut sess, &[t]).expect("commit");
        }
        assert_eq!(sess.turns, 3);
        let stored = s.require_session("s1").expect("stored");
        assert_eq!(stored.turns, 3);
        assert_eq!(stored.rejected, vec!["portal".to_string()]);
        let last = s.turns("s1", 2).expect("turns");
        assert_eq!(
            last.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
            ["t1", "t2"]
        );
        // A stale writer is refused and changes nothing.
        let mut stale = sess.clone();
        stale.turns = 1;
        assert!(s.commit(&mut stale, &[Turn::new(Role::User, "x")]).is_err());
        assert_eq!(s.turns("s1", 10).expect("turns").len(), 3);
        assert!(s.remove_session("s1").expect("remove"));
        assert!(s.session("s1").expect("get").is_none());
        assert!(s.turns("s1", 10).expect("turns").is_empty());
        let mut ghost = Session {
            id: "nope".into(),
            ..Session::default()
        };
        assert!(s.commit(&mut ghost, &[]).is_err());
    }

    #[test]
    fn session_ids_are_unique_and_printable() {
        let a = new_session_id();
        assert!(a.len() >= 8 && a.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        // 300 sessions within a second or two: draws that collide (likely at this count) are
        // drawn again, and no session is refused.
        let dir = tempfile::tempdir().expect("tempdir");
        let s = Store::open(dir.path()).expect("store");
        let ids: std::collections::BTreeSet<String> = (0..300)
            .map(|_| s.create_new_session("games").expect("created").id)
            .collect();
        assert_eq!(ids.len(), 300);
    }
}
