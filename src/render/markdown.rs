//! A session as Markdown (`/export` in the chat, `reco sessions export`): a header with the
//! session's facts, the transcript (each assistant turn followed by a table of the cards it
//! showed, with the reason given for each), and the profile (liked, rejected, seen, stated
//! preferences). Text from the catalog or the model is made terminal-safe and its Markdown
//! punctuation escaped, so an export is safe to `cat` and renders as written.

use crate::{
    catalog::Item,
    store::{Role, Session, Turn},
    text::terminal_line,
};

/// Markdown punctuation escaped, controls removed, one line.
#[must_use]
pub fn inline(text: &str) -> String {
    let mut out = String::new();
    for c in terminal_line(text).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `2024-11-27 21:03 UTC` for a Unix time.
#[must_use]
pub fn utc(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60
    )
}

/// An item reference: `Title (`id`)`, or the bare id when the catalog no longer has it.
fn item_ref(id: &str, item: &dyn Fn(&str) -> Option<Item>) -> String {
    match item(id) {
        Some(it) => format!("{} (`{}`)", inline(&it.title), terminal_line(id)),
        None => format!("`{}`", terminal_line(id)),
    }
}

fn cards_table(t: &Turn, item: &dyn Fn(&str) -> Option<Item>) -> String {
    let mut s =
        String::from("\n| # | Title | Year | Price | Why | Id |\n|---:|---|---|---|---|---|\n");
    for (n, id) in t.items.iter().enumerate() {
        let it = item(id);
        let why = t.reasons.get(n).map_or_else(String::new, |r| inline(r));
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | `{}` |\n",
            n + 1,
            it.as_ref().map_or_else(|| "?".into(), |i| inline(&i.title)),
            it.as_ref()
                .and_then(|i| i.year)
                .map_or_else(String::new, |y| y.to_string()),
            it.as_ref()
                .and_then(|i| i.price)
                .map_or_else(String::new, |p| p.to_string()),
            why,
            terminal_line(id).replace('`', "'"),
        ));
    }
    s
}

/// The whole session as Markdown. `item` looks an id up in the session's catalog.
#[must_use]
pub fn session(s: &Session, turns: &[Turn], item: &dyn Fn(&str) -> Option<Item>) -> String {
    let title = if s.title.is_empty() {
        format!("Session {}", terminal_line(&s.id))
    } else {
        inline(&s.title)
    };
    let mut out = format!("# {title}\n\n");
    out.push_str(&format!(
        "- session: `{}` on catalog `{}`\n- started {}, last changed {}\n- {} turns\n\n## Transcript\n\n",
        terminal_line(&s.id),
        terminal_line(&s.catalog),
        utc(s.created_at),
        utc(s.updated_at),
        s.turns
    ));
    for t in turns {
        let who = match t.role {
            Role::User => "You",
            Role::Assistant => "reco",
        };
        out.push_str(&format!("**{who}:**"));
        let lines: Vec<String> = crate::text::terminal(&t.text)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| match l.strip_prefix("• ") {
                Some(rest) => format!("- {}", inline(rest)),
                None => inline(l),
            })
            .collect();
        match lines.as_slice() {
            [] => out.push_str(" _(no text)_\n"),
            [one] if !one.starts_with("- ") => out.push_str(&format!(" {one}\n")),
            many => {
                out.push('\n');
                for l in many {
                    out.push_str(&format!("{l}\n"));
                }
            }
        }
        if t.role == Role::Assistant && !t.reasons.is_empty() && !t.items.is_empty() {
            out.push_str(&cards_table(t, item));
        }
        out.push('\n');
    }
    out.push_str("## Profile\n\n");
    for (name, ids) in [
        ("Liked", &s.liked),
        ("Rejected", &s.rejected),
        ("Seen", &s.seen),
    ] {
        let refs: Vec<String> = ids.iter().map(|id| item_ref(id, item)).collect();
        out.push_str(&format!(
            "- {name}: {}\n",
            if refs.is_empty() {
                "none".into()
            } else {
                refs.join(", ")
            }
        ));
    }
    let prefs: Vec<String> = s.preferences.iter().map(|p| inline(p)).collect();
    out.push_str(&format!(
        "- Preferences: {}\n",
        if prefs.is_empty() {
            "none".into()
        } else {
            prefs.join("; ")
        }
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_escapes() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(1_732_741_380), "2024-11-27 21:03 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(inline("a|b *c* \u{1b}[2J#1"), r"a\|b \*c\* \#1");
    }

    #[test]
    fn a_session_with_cards_and_profile() {
        let portal = Item {
            id: "p2".into(),
            title: "Portal 2".into(),
            year: Some(2011),
            price: Some(crate::catalog::Price::Paid(9.99)),
            ..Item::default()
        };
        let lookup = |id: &str| (id == "p2").then(|| portal.clone());
        let s = Session {
            id: "s1".into(),
            catalog: "games".into(),
            title: "co-op puzzles".into(),
            liked: vec!["p2".into()],
            seen: vec!["gone".into()],
            turns: 2,
            ..Session::default()
        };
        let mut reply = Turn::new(Role::Assistant, "• Portal 2 — because it is co-op\n");
        reply.items = vec!["p2".into()];
        reply.reasons = vec!["because it is co-op".into()];
        let md = session(
            &s,
            &[Turn::new(Role::User, "co-op puzzles"), reply],
            &lookup,
        );
        assert!(md.starts_with("# co-op puzzles\n"), "{md}");
        assert!(md.contains("**You:** co-op puzzles\n"), "{md}");
        assert!(
            md.contains("**reco:**\n- Portal 2 — because it is co-op\n"),
            "{md}"
        );
        assert!(
            md.contains("| 1 | Portal 2 | 2011 | $9.99 | because it is co-op | `p2` |"),
            "{md}"
        );
        assert!(md.contains("- Liked: Portal 2 (`p2`)\n- Rejected: none\n- Seen: `gone`\n"));
    }
}
