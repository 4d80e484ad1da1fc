//! Slash commands: a line starting with `/` in, a [`Slash`] (or a message saying what is
//! wrong) out, plus Tab completion of command names and of their arguments (catalog names,
//! session ids). [`commands`] (`commands.txt`) is the one list: parsing, completion and
//! `/help` read it.

/// A command the chat understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slash {
    /// Show commands and keys.
    Help,
    /// List catalogs, or switch to one (a new session on it).
    Catalog(Option<String>),
    /// List the current catalog's adapters, or pick one.
    Adapter(Option<String>),
    /// Start a new session on the current catalog.
    New,
    /// List sessions.
    Sessions,
    /// Reopen a session.
    Open(String),
    /// Write the session as Markdown.
    Export(Option<String>),
    /// What reco remembers.
    Profile,
    /// Forget what was said about an item (card number, id or title).
    Forget(String),
    /// Why card N was shown.
    Why(usize),
    /// Like card N.
    Like(usize),
    /// Reject card N.
    Reject(usize),
    /// Card N was already seen / played.
    Seen(usize),
    /// Leave.
    Quit,
}

/// One entry of the command list.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Name without the slash.
    pub name: &'static str,
    /// Argument synopsis.
    pub args: &'static str,
    /// One line of help.
    pub help: &'static str,
}

/// Every command, in the order `/help` lists them (read from `commands.txt`).
#[must_use]
pub fn commands() -> &'static [Spec] {
    static SPECS: std::sync::OnceLock<Vec<Spec>> = std::sync::OnceLock::new();
    SPECS.get_or_init(|| {
        include_str!("commands.txt")
            .lines()
            .filter_map(|l| {
                let mut f = l.split('|').map(str::trim);
                Some(Spec {
                    name: f.next().filter(|n| !n.is_empty())?,
                    args: f.next()?,
                    help: f.next()?,
                })
            })
            .collect()
    })
}

fn card_number(name: &str, arg: &str) -> Result<usize, String> {
    match arg.parse::<usize>() {
        Ok(n) if (1..=9).contains(&n) => Ok(n),
        _ => Err(format!("/{name} needs a card number, e.g. /{name} 2")),
    }
}

/// Parse a line that starts with `/`.
pub fn parse(line: &str) -> Result<Slash, String> {
    let line = line.trim();
    let body = line.strip_prefix('/').unwrap_or(line);
    let (name, arg) = body
        .split_once(char::is_whitespace)
        .map_or((body, ""), |(n, a)| (n, a.trim()));
    let name = name.to_lowercase();
    let opt = || (!arg.is_empty()).then(|| arg.to_string());
    let need = |what: &str| {
        if arg.is_empty() {
            Err(format!("/{name} needs {what}"))
        } else {
            Ok(arg.to_string())
        }
    };
    Ok(match name.as_str() {
        "help" | "h" | "?" => Slash::Help,
        "catalog" | "catalogs" => Slash::Catalog(opt()),
        "adapter" | "adapters" => Slash::Adapter(opt()),
        "new" => Slash::New,
        "sessions" => Slash::Sessions,
        "open" | "resume" => Slash::Open(need("a session id (see /sessions)")?),
        "export" => Slash::Export(opt()),
        "profile" => Slash::Profile,
        "forget" => Slash::Forget(need("an item: a card number, an id or a title")?),
        "why" => Slash::Why(card_number(&name, arg)?),
        "like" => Slash::Like(card_number(&name, arg)?),
        "reject" => Slash::Reject(card_number(&name, arg)?),
        "seen" => Slash::Seen(card_number(&name, arg)?),
        "quit" | "q" | "exit" => Slash::Quit,
        "" => return Err("type a command after /, e.g. /help".into()),
        other => {
            let close: Vec<String> = commands()
                .iter()
                .filter(|c| c.name.starts_with(&other[..1]))
                .map(|c| format!("/{}", c.name))
                .collect();
            return Err(format!(
                "unknown command /{other}{} (/help lists them)",
                if close.is_empty() {
                    String::new()
                } else {
                    format!("; did you mean {}?", close.join(" or "))
                }
            ));
        }
    })
}

/// Completions of `line` (which starts with `/`): whole lines to put in the input box.
#[must_use]
pub fn complete(line: &str, catalogs: &[String], sessions: &[String]) -> Vec<String> {
    let Some(body) = line.strip_prefix('/') else {
        return Vec::new();
    };
    match body.split_once(' ') {
        None => commands()
            .iter()
            .filter(|c| c.name.starts_with(&body.to_lowercase()))
            .map(|c| {
                if c.args.is_empty() {
                    format!("/{}", c.name)
                } else {
                    format!("/{} ", c.name)
                }
            })
            .collect(),
        Some((name, arg)) => {
            let pool = match name {
                "catalog" => catalogs,
                "open" => sessions,
                _ => return Vec::new(),
            };
            pool.iter()
                .filter(|v| v.starts_with(arg.trim_start()))
                .map(|v| format!("/{name} {v}"))
                .collect()
        }
    }
}

/// The hint shown while a command is typed: matching commands with their help.
#[must_use]
pub fn hint(line: &str) -> Option<String> {
    let body = line.strip_prefix('/')?;
    let name = body.split_whitespace().next().unwrap_or("").to_lowercase();
    let typed_args = body.contains(' ');
    let matching: Vec<&Spec> = commands()
        .iter()
        .filter(|c| {
            if typed_args {
                c.name == name
            } else {
                c.name.starts_with(&name)
            }
        })
        .collect();
    match matching.as_slice() {
        [] => Some("no such command (Tab completes, /help lists them)".into()),
        [one] => Some(format!("/{} {} — {}", one.name, one.args, one.help)),
        many => Some(
            many.iter()
                .map(|c| format!("/{}", c.name))
                .collect::<Vec<_>>()
                .join("  "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_and_explains_mistakes() {
        assert_eq!(parse("/why 2"), Ok(Slash::Why(2)));
        assert_eq!(parse("/REJECT 1"), Ok(Slash::Reject(1)));
        assert_eq!(parse("/export"), Ok(Slash::Export(None)));
        assert_eq!(
            parse("/export a b.md"),
            Ok(Slash::Export(Some("a b.md".into())))
        );
        assert_eq!(
            parse("/forget Portal 2"),
            Ok(Slash::Forget("Portal 2".into()))
        );
        assert!(parse("/why").is_err_and(|e| e.contains("card number")));
        assert!(parse("/like 12").is_err());
        assert!(parse("/open").is_err_and(|e| e.contains("session id")));
        assert!(parse("/quti").is_err_and(|e| e.contains("/quit")));
    }

    #[test]
    fn every_listed_command_parses() {
        assert_eq!(commands().len(), 14);
        for c in commands() {
            let arg = match c.args {
                "N" => " 1",
                "ID" | "ITEM" => " x",
                _ => "",
            };
            assert!(parse(&format!("/{}{arg}", c.name)).is_ok(), "{}", c.name);
        }
    }

    #[test]
    fn completes_names_and_arguments() {
        assert_eq!(complete("/re", &[], &[]), ["/reject "]);
        assert_eq!(complete("/s", &[], &[]), ["/seen ", "/sessions"]);
        let cats = vec!["games".to_string(), "steam".to_string()];
        assert_eq!(complete("/catalog st", &cats, &[]), ["/catalog steam"]);
        assert_eq!(complete("/open ", &[], &["a1".into()]), ["/open a1"]);
        assert!(complete("hello", &cats, &[]).is_empty());
        assert_eq!(
            hint("/wh").as_deref(),
            Some("/why N — why card N was shown")
        );
        assert_eq!(
            hint("/why 2").as_deref(),
            Some("/why N — why card N was shown")
        );
    }
}
