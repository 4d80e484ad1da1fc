//! Dialogue sessions: the turns of a conversation and what the user liked, rejected, has seen
//! and stated as preferences. The dialogue and TUI stages build on this API.

use serde::{Deserialize, Serialize};

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
    /// What was said.
    pub text: String,
    /// Items shown or named in this turn (ids in the session's catalog).
    #[serde(default)]
    pub items: Vec<String>,
    /// Unix time.
    pub at: u64,
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
}

/// Seconds since the Unix epoch.
#[must_use]
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Store {
    /// Create a new session on `catalog` and return it.
    pub fn create_session(&self, id: &str, catalog: &str) -> Result<Session> {
        if id.is_empty() || id.len() > 128 {
            return Err(Error::Invalid("session id must be 1-128 characters".into()));
        }
        let s = Session {
            id: id.into(),
            catalog: catalog.into(),
            created_at: now(),
            ..Session::default()
        };
        let prior =
            self.sessions
                .compare_and_swap(id.as_bytes(), None::<&[u8]>, Some(to_json(&s)?))?;
        if prior.is_err() {
            return Err(Error::Invalid(format!("session `{id}` already exists")));
        }
        Ok(s)
    }

    /// A session by id.
    pub fn session(&self, id: &str) -> Result<Option<Session>> {
        self.sessions
            .get(id.as_bytes())?
            .map(|v| from_json("session", &v))
            .transpose()
    }

    /// All session ids.
    pub fn session_ids(&self) -> Result<Vec<String>> {
        self.sessions
            .iter()
            .keys()
            .map(|k| Ok(String::from_utf8_lossy(&k?).into_owned()))
            .collect()
    }

    /// Apply `f` to a session atomically (retried on concurrent change).
    fn update_session(&self, id: &str, f: impl Fn(&mut Session)) -> Result<Session> {
        let mut out = None;
        let mut failure = None;
        self.sessions.update_and_fetch(id.as_bytes(), |old| {
            let old = old?;
            match from_json::<Session>("session", old) {
                Ok(mut s) => {
                    f(&mut s);
                    let bytes = to_json(&s).ok();
                    out = Some(s);
                    bytes
                }
                Err(e) => {
                    failure = Some(e);
                    Some(old.to_vec())
                }
            }
        })?;
        if let Some(e) = failure {
            return Err(e);
        }
        out.ok_or_else(|| Error::NotFound(format!("session `{id}`")))
    }

    /// Record feedback on an item; an item is in at most one of liked / rejected.
    pub fn mark(&self, id: &str, item: &str, feedback: Feedback) -> Result<Session> {
        self.update_session(id, |s| {
            let add = |v: &mut Vec<String>| {
                if !v.iter().any(|x| x == item) {
                    v.push(item.to_string());
                }
            };
            match feedback {
                Feedback::Liked => {
                    s.rejected.retain(|x| x != item);
                    add(&mut s.liked);
                }
                Feedback::Rejected => {
                    s.liked.retain(|x| x != item);
                    add(&mut s.rejected);
                }
                Feedback::Seen => add(&mut s.seen),
            }
        })
    }

    /// Record a stated preference.
    pub fn add_preference(&self, id: &str, preference: &str) -> Result<Session> {
        self.update_session(id, |s| {
            if !s.preferences.iter().any(|p| p == preference) {
                s.preferences.push(preference.to_string());
            }
        })
    }

    /// Append a turn; the turn and the session's turn count change together.
    pub fn add_turn(&self, id: &str, turn: &Turn) -> Result<u64> {
        let turns = self.tree("turns", id)?;
        let session = self.update_session(id, |s| s.turns += 1)?;
        let seq = session.turns - 1;
        turns.insert(seq.to_be_bytes(), to_json(turn)?)?;
        Ok(seq)
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_memory() {
        let s = Store::temporary().expect("store");
        s.create_session("s1", "games").expect("create");
        assert!(s.create_session("s1", "games").is_err());
        s.mark("s1", "portal", Feedback::Liked).expect("like");
        let after = s.mark("s1", "portal", Feedback::Rejected).expect("reject");
        assert!(after.liked.is_empty());
        assert_eq!(after.rejected, vec!["portal".to_string()]);
        s.add_preference("s1", "co-op").expect("pref");
        for i in 0..3 {
            let t = Turn {
                role: Role::User,
                text: format!("t{i}"),
                items: vec![],
                at: 0,
            };
            assert_eq!(s.add_turn("s1", &t).expect("turn"), i);
        }
        let last = s.turns("s1", 2).expect("turns");
        assert_eq!(
            last.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
            ["t1", "t2"]
        );
        assert!(s.mark("nope", "x", Feedback::Seen).is_err());
    }
}
