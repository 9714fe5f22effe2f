//! Reading console lines: the timestamp Kubernetes prefixes, colours stripped for matching,
//! and the player count as the server reports it.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

static ANSI: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]").expect("ansi"));
static LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"There are (\d+) (?:of a max of|/) ?\d+ players online").expect("list")
});

/// The line without its colour and cursor sequences.
pub fn strip_ansi(line: &str) -> Cow<'_, str> {
    if line.contains('\x1b') {
        ANSI.replace_all(line, "")
    } else {
        Cow::Borrowed(line)
    }
}

/// Splits `2026-11-26T15:00:00.123456789Z text` into the timestamp and the text.
pub fn split_timestamp(line: &str) -> (Option<&str>, &str) {
    match line.split_once(' ') {
        Some((ts, rest)) if ts.len() >= 20 && ts.as_bytes()[4] == b'-' && ts.ends_with('Z') => {
            (Some(ts), rest)
        }
        _ => (None, line),
    }
}

/// The new player count after `line`, if it tells: `list`'s answer, or a join or leave.
pub fn players_change(line: &str, now: Option<u32>) -> Option<u32> {
    if !line.contains("players online")
        && !line.contains("joined the game")
        && !line.contains("left the game")
    {
        return None;
    }
    let plain = strip_ansi(line);
    if let Some(c) = LIST.captures(&plain) {
        return c[1].parse().ok();
    }
    if plain.ends_with("joined the game") {
        return Some(now.unwrap_or(0) + 1);
    }
    if plain.ends_with("left the game") {
        return Some(now.unwrap_or(1).saturating_sub(1));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_lines() {
        assert_eq!(strip_ansi("\x1b[33mwarn\x1b[0m ok"), "warn ok");
        assert_eq!(
            split_timestamp("2026-11-26T15:00:00.123456789Z [Server] hi there"),
            (Some("2026-11-26T15:00:00.123456789Z"), "[Server] hi there")
        );
        assert_eq!(split_timestamp("no stamp here"), (None, "no stamp here"));
        let j = "[12:00:00] [Server thread/INFO]: Steve joined the game";
        assert_eq!(players_change(j, None), Some(1));
        assert_eq!(players_change(j, Some(2)), Some(3));
        let l = "[12:00:00] [Server thread/INFO]: Steve left the game";
        assert_eq!(players_change(l, Some(3)), Some(2));
        let list = "[12:00:00] [Server thread/INFO]: There are 4 of a max of 20 players online: a";
        assert_eq!(players_change(list, None), Some(4));
        assert_eq!(players_change("[x]: hello", Some(1)), None);
    }
}
