//! Minecraft's `§` formatting codes (colours `§0`–`§f`, `§k` obfuscated, `§l` bold, `§m`
//! strikethrough, `§n` underline, `§o` italic, `§r` reset) to styled runs, for the live preview
//! of a message of the day as the players' server list shows it.

/// How a run looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Format {
    /// One of the 16 colours (`0`–`f`), or the list's default grey.
    pub colour: Option<u8>,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Underlined.
    pub underline: bool,
    /// Struck through.
    pub strike: bool,
    /// Obfuscated (the game scrambles it; the preview blurs it).
    pub obfuscated: bool,
}

/// Splits `text` into runs of one format. A colour code resets the formats before it, as the
/// game does; an unknown code and a `§` at the end are shown as they are.
pub fn parse(text: &str) -> Vec<(String, Format)> {
    let mut runs: Vec<(String, Format)> = Vec::new();
    let mut format = Format::default();
    let mut chars = text.chars().peekable();
    let push = |c: &str, f: Format, runs: &mut Vec<(String, Format)>| match runs.last_mut() {
        Some((t, last)) if *last == f => t.push_str(c),
        _ => runs.push((c.to_string(), f)),
    };
    while let Some(c) = chars.next() {
        if c == '§'
            && let Some(&code) = chars.peek()
        {
            let code = code.to_ascii_lowercase();
            let next = match code {
                '0'..='9' | 'a'..='f' => Some(Format {
                    colour: code.to_digit(16).map(|d| d as u8),
                    ..Format::default()
                }),
                'k' => Some(Format {
                    obfuscated: true,
                    ..format
                }),
                'l' => Some(Format {
                    bold: true,
                    ..format
                }),
                'm' => Some(Format {
                    strike: true,
                    ..format
                }),
                'n' => Some(Format {
                    underline: true,
                    ..format
                }),
                'o' => Some(Format {
                    italic: true,
                    ..format
                }),
                'r' => Some(Format::default()),
                _ => None,
            };
            if let Some(f) = next {
                format = f;
                chars.next();
                continue;
            }
        }
        let mut buf = [0u8; 4];
        push(c.encode_utf8(&mut buf), format, &mut runs);
    }
    runs
}

/// The classes of a run (`mc-c6 mc-l`): the panel's CSP allows no inline styles, so the 16
/// colours and the formats are rules of the stylesheet.
pub fn classes(f: &Format) -> String {
    let mut out = Vec::new();
    if let Some(c) = f.colour {
        out.push(format!("mc-c{:x}", c & 15));
    }
    for (on, class) in [
        (f.bold, "mc-l"),
        (f.italic, "mc-o"),
        (f.underline, "mc-n"),
        (f.strike, "mc-m"),
        (f.obfuscated, "mc-k"),
    ] {
        if on {
            out.push(class.to_string());
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_runs() {
        let runs = parse("§6§lGold §rplain §cred§ntail");
        let texts: Vec<_> = runs.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts, ["Gold ", "plain ", "red", "tail"]);
        assert_eq!(runs[0].1.colour, Some(6));
        assert!(runs[0].1.bold);
        assert_eq!(runs[1].1, Format::default());
        assert_eq!(runs[2].1.colour, Some(12));
        assert!(runs[3].1.underline && runs[3].1.colour == Some(12));
    }

    #[test]
    fn a_colour_resets_formats_and_unknown_codes_show() {
        let runs = parse("§lbold§agreen §z§");
        assert!(runs[0].1.bold);
        assert!(!runs[1].1.bold);
        assert_eq!(runs[1].0, "green §z§");
        assert_eq!(parse("§A")[..], []);
    }

    #[test]
    fn classes_are_made_of_known_parts_only() {
        let f = Format {
            colour: Some(15),
            bold: true,
            underline: true,
            strike: true,
            ..Format::default()
        };
        assert_eq!(classes(&f), "mc-cf mc-l mc-n mc-m");
        assert_eq!(classes(&Format::default()), "");
    }
}
