//! `server.properties` as a form: the well-known settings with their types and descriptions,
//! read from and written back into the file's text so that comments, blank lines, unknown keys
//! and the order of lines are kept; only changed values are rewritten.

use leptos_fluent::tr;

/// What kind of value a setting holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `true` or `false`.
    Bool,
    /// A whole number within bounds.
    Int(i64, i64),
    /// One of a few words.
    Choice(&'static [&'static str]),
    /// Free text.
    Text,
}

/// A well-known setting.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// The key in the file.
    pub key: &'static str,
    /// Its label, from the catalogue (a function, so that `{s.label}` in a view follows the
    /// language).
    pub label: fn() -> String,
    /// What it does, from the catalogue.
    pub help: fn() -> String,
    /// Its type.
    pub kind: Kind,
    /// Minecraft's default.
    pub default: &'static str,
}

/// The settings the form shows, in order.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "motd",
        label: || tr!("properties-motd"),
        help: || tr!("properties-motd-help"),
        kind: Kind::Text,
        default: "A Minecraft Server",
    },
    Setting {
        key: "max-players",
        label: || tr!("properties-max-players"),
        help: || tr!("properties-max-players-help"),
        kind: Kind::Int(0, 1000),
        default: "20",
    },
    Setting {
        key: "gamemode",
        label: || tr!("properties-gamemode"),
        help: || tr!("properties-gamemode-help"),
        kind: Kind::Choice(&["survival", "creative", "adventure", "spectator"]),
        default: "survival",
    },
    Setting {
        key: "difficulty",
        label: || tr!("properties-difficulty"),
        help: || tr!("properties-difficulty-help"),
        kind: Kind::Choice(&["peaceful", "easy", "normal", "hard"]),
        default: "easy",
    },
    Setting {
        key: "hardcore",
        label: || tr!("properties-hardcore"),
        help: || tr!("properties-hardcore-help"),
        kind: Kind::Bool,
        default: "false",
    },
    Setting {
        key: "pvp",
        label: || tr!("properties-pvp"),
        help: || tr!("properties-pvp-help"),
        kind: Kind::Bool,
        default: "true",
    },
    Setting {
        key: "online-mode",
        label: || tr!("properties-online-mode"),
        help: || tr!("properties-online-mode-help"),
        kind: Kind::Bool,
        default: "true",
    },
    Setting {
        key: "white-list",
        label: || tr!("properties-white-list"),
        help: || tr!("properties-white-list-help"),
        kind: Kind::Bool,
        default: "false",
    },
    Setting {
        key: "enforce-whitelist",
        label: || tr!("properties-enforce-whitelist"),
        help: || tr!("properties-enforce-whitelist-help"),
        kind: Kind::Bool,
        default: "false",
    },
    Setting {
        key: "view-distance",
        label: || tr!("properties-view-distance"),
        help: || tr!("properties-view-distance-help"),
        kind: Kind::Int(3, 32),
        default: "10",
    },
    Setting {
        key: "simulation-distance",
        label: || tr!("properties-simulation-distance"),
        help: || tr!("properties-simulation-distance-help"),
        kind: Kind::Int(3, 32),
        default: "10",
    },
    Setting {
        key: "spawn-protection",
        label: || tr!("properties-spawn-protection"),
        help: || tr!("properties-spawn-protection-help"),
        kind: Kind::Int(0, 1000),
        default: "16",
    },
    Setting {
        key: "allow-flight",
        label: || tr!("properties-allow-flight"),
        help: || tr!("properties-allow-flight-help"),
        kind: Kind::Bool,
        default: "false",
    },
    Setting {
        key: "allow-nether",
        label: || tr!("properties-allow-nether"),
        help: || tr!("properties-allow-nether-help"),
        kind: Kind::Bool,
        default: "true",
    },
    Setting {
        key: "spawn-monsters",
        label: || tr!("properties-spawn-monsters"),
        help: || tr!("properties-spawn-monsters-help"),
        kind: Kind::Bool,
        default: "true",
    },
    Setting {
        key: "level-seed",
        label: || tr!("properties-level-seed"),
        help: || tr!("properties-level-seed-help"),
        kind: Kind::Text,
        default: "",
    },
    Setting {
        key: "level-name",
        label: || tr!("properties-level-name"),
        help: || tr!("properties-level-name-help"),
        kind: Kind::Text,
        default: "world",
    },
    Setting {
        key: "enable-command-block",
        label: || tr!("properties-enable-command-block"),
        help: || tr!("properties-enable-command-block-help"),
        kind: Kind::Bool,
        default: "false",
    },
    Setting {
        key: "player-idle-timeout",
        label: || tr!("properties-player-idle-timeout"),
        help: || tr!("properties-player-idle-timeout-help"),
        kind: Kind::Int(0, 100000),
        default: "0",
    },
];

/// One line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    /// A comment, a blank or anything kept as is.
    Raw(String),
    /// `key=value`: the key, the value (unescaped), and the original line.
    Pair(String, String, String),
}

/// A `server.properties` file, line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Properties {
    lines: Vec<Line>,
    crlf: bool,
}

impl Properties {
    /// Reads the file's text.
    pub fn parse(text: &str) -> Properties {
        let crlf = text.contains("\r\n");
        let lines = text
            .lines()
            .map(|l| {
                let t = l.trim_start();
                if t.is_empty() || t.starts_with('#') || t.starts_with('!') {
                    return Line::Raw(l.to_string());
                }
                match split_pair(t) {
                    Some((k, v)) => Line::Pair(unescape(k), unescape(v), l.to_string()),
                    None => Line::Raw(l.to_string()),
                }
            })
            .collect();
        Properties { lines, crlf }
    }

    /// The value of `key`, if the file sets it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.lines.iter().find_map(|l| match l {
            Line::Pair(k, v, _) if k == key => Some(v.as_str()),
            _ => None,
        })
    }

    /// Sets `key` to `value`: its line is rewritten if the value changes, or a line is added at
    /// the end.
    pub fn set(&mut self, key: &str, value: &str) {
        for l in &mut self.lines {
            if let Line::Pair(k, v, raw) = l
                && k == key
            {
                if v != value {
                    *v = value.to_string();
                    *raw = format!("{}={}", escape_key(key), escape_value(value));
                }
                return;
            }
        }
        self.lines.push(Line::Pair(
            key.to_string(),
            value.to_string(),
            format!("{}={}", escape_key(key), escape_value(value)),
        ));
    }

    /// The file's text: untouched lines exactly as read.
    pub fn to_text(&self) -> String {
        let nl = if self.crlf { "\r\n" } else { "\n" };
        let mut s = String::new();
        for l in &self.lines {
            match l {
                Line::Raw(r) | Line::Pair(_, _, r) => s.push_str(r),
            }
            s.push_str(nl);
        }
        s
    }
}

/// Why a value does not fit its setting.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    /// Not `true` or `false` (a switch).
    Switch,
    /// Not a whole number within the range.
    Range(i64, i64),
    /// Not one of the choices.
    Choice(&'static [&'static str]),
    /// More than one line (the value is one line).
    Line,
}

/// What is wrong with `value` for `setting`, if anything.
fn problem(setting: &Setting, value: &str) -> Option<Problem> {
    match setting.kind {
        Kind::Bool if value != "true" && value != "false" => Some(Problem::Switch),
        Kind::Int(min, max) => match value.trim().parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => None,
            _ => Some(Problem::Range(min, max)),
        },
        Kind::Choice(options) if !options.contains(&value) => Some(Problem::Choice(options)),
        Kind::Text if value.contains(['\n', '\r']) => Some(Problem::Line),
        _ => None,
    }
}

/// Checks a value for a setting; returns the message to show when it is not valid.
pub fn check(setting: &Setting, value: &str) -> Result<(), String> {
    let Some(p) = problem(setting, value) else {
        return Ok(());
    };
    let i18n = crate::i18n::i18n();
    let label = (setting.label)();
    Err(match p {
        Problem::Switch => tr!(i18n, "properties-not-bool", {"label" => label}),
        Problem::Range(min, max) => tr!(i18n, "properties-not-in-range", {
            "label" => label,
            "min" => min.to_string(),
            "max" => max.to_string(),
        }),
        Problem::Choice(options) => tr!(i18n, "properties-not-a-choice", {
            "label" => label,
            "options" => options.join(", "),
        }),
        Problem::Line => tr!(i18n, "properties-not-one-line", {"label" => label}),
    })
}

/// Splits `key=value` / `key:value` / `key value` at the first unescaped separator.
fn split_pair(t: &str) -> Option<(&str, &str)> {
    let mut escaped = false;
    for (i, c) in t.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '=' | ':' | ' ' | '\t' => {
                let rest = t[i..].trim_start_matches([' ', '\t']);
                let rest = rest
                    .strip_prefix(['=', ':'])
                    .unwrap_or(rest)
                    .trim_start_matches([' ', '\t']);
                return Some((&t[..i], rest));
            }
            _ => {}
        }
    }
    Some((t, ""))
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = it.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => out.push_str(&hex),
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn escape_key(k: &str) -> String {
    k.replace('\\', "\\\\")
        .replace('=', "\\=")
        .replace(':', "\\:")
        .replace(' ', "\\ ")
}

fn escape_value(v: &str) -> String {
    let mut out = String::new();
    for (i, c) in v.chars().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' ' if i == 0 => out.push_str("\\ "),
            '=' | ':' => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) > 0x7e => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "#Minecraft server properties\n#Thu Nov 26 2026\nmotd=Hello \\u00e9t\\u00e9\\: welcome\nmax-players=20\n\n# my note\ncustom-plugin-key=keep me\npvp=true\n";

    #[test]
    fn unchanged_files_come_back_byte_for_byte() {
        let p = Properties::parse(FILE);
        assert_eq!(p.to_text(), FILE);
        assert_eq!(p.get("motd"), Some("Hello été: welcome"));
        assert_eq!(p.get("custom-plugin-key"), Some("keep me"));
        let crlf = FILE.replace('\n', "\r\n");
        assert_eq!(Properties::parse(&crlf).to_text(), crlf);
    }

    #[test]
    fn setting_values_keeps_comments_unknown_keys_and_order() {
        let mut p = Properties::parse(FILE);
        p.set("max-players", "50");
        p.set("motd", "Été = fun");
        p.set("pvp", "true"); // unchanged: its line stays as written
        p.set("difficulty", "hard");
        let text = p.to_text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "#Minecraft server properties");
        assert_eq!(lines[2], "motd=\\u00c9t\\u00e9 \\= fun");
        assert_eq!(lines[3], "max-players=50");
        assert_eq!(lines[5], "# my note");
        assert_eq!(lines[6], "custom-plugin-key=keep me");
        assert_eq!(lines.last().unwrap(), &"difficulty=hard");
        let again = Properties::parse(&text);
        assert_eq!(again.get("motd"), Some("Été = fun"));
    }

    #[test]
    fn values_are_checked_by_type() {
        let find = |k: &str| SETTINGS.iter().find(|s| s.key == k).unwrap();
        // (the messages come from the catalogue, in the browser)
        assert_eq!(problem(find("max-players"), "50"), None);
        assert_eq!(
            problem(find("max-players"), "-1"),
            Some(Problem::Range(0, 1000))
        );
        assert_eq!(
            problem(find("view-distance"), "64"),
            Some(Problem::Range(3, 32))
        );
        assert!(matches!(
            problem(find("difficulty"), "insane"),
            Some(Problem::Choice(_))
        ));
        assert_eq!(problem(find("pvp"), "maybe"), Some(Problem::Switch));
        assert_eq!(problem(find("motd"), "two\nlines"), Some(Problem::Line));
    }
}
