//! `server.properties` as a form: the well-known settings with their types and descriptions,
//! read from and written back into the file's text so that comments, blank lines, unknown keys
//! and the order of lines are kept; only changed values are rewritten.

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The key in the file.
    pub key: &'static str,
    /// Its label.
    pub label: &'static str,
    /// What it does.
    pub help: &'static str,
    /// Its type.
    pub kind: Kind,
    /// Minecraft's default.
    pub default: &'static str,
}

/// The settings the form shows, in order.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "motd",
        label: "Message of the day",
        help: "Shown under the server's name in the multiplayer list.",
        kind: Kind::Text,
        default: "A Minecraft Server",
    },
    Setting {
        key: "max-players",
        label: "Max players",
        help: "How many players can be online at once.",
        kind: Kind::Int(0, 1000),
        default: "20",
    },
    Setting {
        key: "gamemode",
        label: "Game mode",
        help: "The mode new players start in.",
        kind: Kind::Choice(&["survival", "creative", "adventure", "spectator"]),
        default: "survival",
    },
    Setting {
        key: "difficulty",
        label: "Difficulty",
        help: "How hard the world is.",
        kind: Kind::Choice(&["peaceful", "easy", "normal", "hard"]),
        default: "easy",
    },
    Setting {
        key: "hardcore",
        label: "Hardcore",
        help: "Players are banned when they die; difficulty is locked to hard.",
        kind: Kind::Bool,
        default: "false",
    },
    Setting {
        key: "pvp",
        label: "PvP",
        help: "Players can hurt each other.",
        kind: Kind::Bool,
        default: "true",
    },
    Setting {
        key: "online-mode",
        label: "Online mode",
        help: "Check accounts with Mojang. Turn off only behind a proxy that does it.",
        kind: Kind::Bool,
        default: "true",
    },
    Setting {
        key: "white-list",
        label: "Whitelist",
        help: "Only players on the whitelist can join.",
        kind: Kind::Bool,
        default: "false",
    },
    Setting {
        key: "enforce-whitelist",
        label: "Enforce whitelist",
        help: "Kick online players who are not on a reloaded whitelist.",
        kind: Kind::Bool,
        default: "false",
    },
    Setting {
        key: "view-distance",
        label: "View distance",
        help: "Chunks sent to players in each direction (3 to 32). Lower saves memory and CPU.",
        kind: Kind::Int(3, 32),
        default: "10",
    },
    Setting {
        key: "simulation-distance",
        label: "Simulation distance",
        help: "Chunks around players that tick (3 to 32).",
        kind: Kind::Int(3, 32),
        default: "10",
    },
    Setting {
        key: "spawn-protection",
        label: "Spawn protection",
        help: "Radius around spawn only operators can build in (0 turns it off).",
        kind: Kind::Int(0, 1000),
        default: "16",
    },
    Setting {
        key: "allow-flight",
        label: "Allow flight",
        help: "Do not kick players who fly (needed by some mods and plugins).",
        kind: Kind::Bool,
        default: "false",
    },
    Setting {
        key: "allow-nether",
        label: "Allow the Nether",
        help: "Players can travel to the Nether.",
        kind: Kind::Bool,
        default: "true",
    },
    Setting {
        key: "spawn-monsters",
        label: "Monsters",
        help: "Hostile mobs spawn.",
        kind: Kind::Bool,
        default: "true",
    },
    Setting {
        key: "level-seed",
        label: "World seed",
        help: "The seed of a new world (empty: random). Changing it does not change an existing world.",
        kind: Kind::Text,
        default: "",
    },
    Setting {
        key: "level-name",
        label: "World folder",
        help: "The folder of the world to load.",
        kind: Kind::Text,
        default: "world",
    },
    Setting {
        key: "enable-command-block",
        label: "Command blocks",
        help: "Command blocks work.",
        kind: Kind::Bool,
        default: "false",
    },
    Setting {
        key: "player-idle-timeout",
        label: "Idle kick (minutes)",
        help: "Kick players idle this long (0: never).",
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

/// Checks a value for a setting; returns the message to show when it is not valid.
pub fn check(setting: &Setting, value: &str) -> Result<(), String> {
    match setting.kind {
        Kind::Bool if value != "true" && value != "false" => {
            Err(format!("{} is on or off.", setting.label))
        }
        Kind::Int(min, max) => match value.trim().parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Ok(()),
            _ => Err(format!(
                "{} is a whole number from {min} to {max}.",
                setting.label
            )),
        },
        Kind::Choice(options) if !options.contains(&value) => Err(format!(
            "{} is one of: {}.",
            setting.label,
            options.join(", ")
        )),
        Kind::Text if value.contains(['\n', '\r']) => {
            Err(format!("{} is one line.", setting.label))
        }
        _ => Ok(()),
    }
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
        assert!(check(find("max-players"), "50").is_ok());
        assert!(check(find("max-players"), "-1").is_err());
        assert!(check(find("view-distance"), "64").is_err());
        assert!(check(find("difficulty"), "insane").is_err());
        assert!(check(find("pvp"), "maybe").is_err());
        assert!(check(find("motd"), "two\nlines").is_err());
    }
}
