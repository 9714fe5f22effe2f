//! Syntax highlighting for the file editor: a small line-based tokenizer for the formats server
//! owners edit (properties, YAML, JSON, TOML). It splits each line into classed pieces whose
//! text, joined, is exactly the line, so the highlighted layer lines up with the text area.

use protocol::paths::Syntax;

/// What a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// Plain text.
    Text,
    /// A comment.
    Comment,
    /// A key (properties, YAML, TOML) or an object key (JSON).
    Key,
    /// A quoted string.
    Str,
    /// A number.
    Num,
    /// `true`, `false`, `null`, `yes`, `no`...
    Word,
    /// `=`, `:`, brackets, a YAML list dash, a TOML section.
    Punct,
}

impl Token {
    /// The CSS class of the token.
    pub fn class(self) -> &'static str {
        match self {
            Token::Text => "",
            Token::Comment => "hl-c",
            Token::Key => "hl-k",
            Token::Str => "hl-s",
            Token::Num => "hl-n",
            Token::Word => "hl-w",
            Token::Punct => "hl-p",
        }
    }
}

/// The pieces of one line.
pub fn line(syntax: Syntax, text: &str) -> Vec<(Token, String)> {
    let mut out = Vec::new();
    match syntax {
        Syntax::Plain => push(&mut out, Token::Text, text),
        Syntax::Properties => properties(&mut out, text),
        Syntax::Yaml => yaml(&mut out, text),
        Syntax::Toml => toml(&mut out, text),
        Syntax::Json => values(&mut out, text, true),
    }
    out
}

fn push(out: &mut Vec<(Token, String)>, t: Token, s: &str) {
    if s.is_empty() {
        return;
    }
    match out.last_mut() {
        Some((last, text)) if *last == t => text.push_str(s),
        _ => out.push((t, s.to_string())),
    }
}

fn leading(text: &str) -> (&str, &str) {
    let n = text.len() - text.trim_start().len();
    text.split_at(n)
}

fn properties(out: &mut Vec<(Token, String)>, text: &str) {
    let (ws, rest) = leading(text);
    push(out, Token::Text, ws);
    if rest.starts_with('#') || rest.starts_with('!') {
        return push(out, Token::Comment, rest);
    }
    match rest.find(['=', ':']) {
        Some(i) => {
            push(out, Token::Key, &rest[..i]);
            push(out, Token::Punct, &rest[i..i + 1]);
            scalar(out, &rest[i + 1..]);
        }
        None => push(out, Token::Key, rest),
    }
}

/// A value without structure: a number, a known word, or text.
fn scalar(out: &mut Vec<(Token, String)>, v: &str) {
    let (ws, core) = leading(v);
    push(out, Token::Text, ws);
    let t = core.trim_end();
    let tok = if t.parse::<f64>().is_ok() {
        Token::Num
    } else if matches!(
        t.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
    ) {
        Token::Word
    } else if t.len() >= 2
        && (t.starts_with('"') && t.ends_with('"') || t.starts_with('\'') && t.ends_with('\''))
    {
        Token::Str
    } else {
        Token::Text
    };
    push(out, tok, t);
    push(out, Token::Text, &core[t.len()..]);
}

fn yaml(out: &mut Vec<(Token, String)>, text: &str) {
    let (ws, mut rest) = leading(text);
    push(out, Token::Text, ws);
    if rest.starts_with('#') {
        return push(out, Token::Comment, rest);
    }
    while let Some(r) = rest.strip_prefix("- ") {
        push(out, Token::Punct, "-");
        push(out, Token::Text, " ");
        rest = r;
    }
    let (body, comment) = split_comment(rest);
    match key_end(body) {
        Some(i) => {
            push(out, Token::Key, &body[..i]);
            push(out, Token::Punct, ":");
            scalar(out, &body[i + 1..]);
        }
        None => scalar(out, body),
    }
    push(out, Token::Comment, comment);
}

/// Where a YAML `key:` ends (a colon followed by a space or the end), outside quotes.
fn key_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ':') if s[i + 1..].is_empty() || s[i + 1..].starts_with(' ') => {
                return Some(i);
            }
            _ => {}
        }
    }
    None
}

/// Splits a ` # comment` off the end, outside quotes.
fn split_comment(s: &str) -> (&str, &str) {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev.is_whitespace() => return s.split_at(i),
            _ => {}
        }
        prev = c;
    }
    (s, "")
}

fn toml(out: &mut Vec<(Token, String)>, text: &str) {
    let (ws, rest) = leading(text);
    push(out, Token::Text, ws);
    if rest.starts_with('#') || rest.starts_with(';') {
        return push(out, Token::Comment, rest);
    }
    if rest.starts_with('[') {
        let (body, comment) = split_comment(rest);
        push(out, Token::Punct, body);
        return push(out, Token::Comment, comment);
    }
    match rest.find('=') {
        Some(i) => {
            push(out, Token::Key, &rest[..i]);
            push(out, Token::Punct, "=");
            let (body, comment) = split_comment(&rest[i + 1..]);
            values(out, body, false);
            push(out, Token::Comment, comment);
        }
        None => push(out, Token::Text, rest),
    }
}

/// JSON-like values: strings (a string followed by `:` is a key when `keys`), numbers, words,
/// punctuation.
fn values(out: &mut Vec<(Token, String)>, text: &str, keys: bool) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\'' && !keys {
            let mut j = i + 1;
            while j < b.len() && b[j] != c {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(b.len());
            let after = text[end..].trim_start();
            let tok = if keys && after.starts_with(':') {
                Token::Key
            } else {
                Token::Str
            };
            push(out, tok, &text[i..end]);
            i = end;
        } else if c == b'-' || c.is_ascii_digit() {
            let mut j = i + 1;
            while j < b.len()
                && (b[j].is_ascii_alphanumeric() || matches!(b[j], b'.' | b'+' | b'-' | b'_'))
            {
                j += 1;
            }
            push(out, Token::Num, &text[i..j]);
            i = j;
        } else if c.is_ascii_alphabetic() {
            let mut j = i + 1;
            while j < b.len() && b[j].is_ascii_alphanumeric() {
                j += 1;
            }
            push(out, Token::Word, &text[i..j]);
            i = j;
        } else if b"{}[],:".contains(&c) {
            push(out, Token::Punct, &text[i..i + 1]);
            i += 1;
        } else {
            let ch = text[i..].chars().next().map_or(1, char::len_utf8);
            push(out, Token::Text, &text[i..i + ch]);
            i += ch;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(p: &[(Token, String)]) -> String {
        p.iter().map(|(_, s)| s.as_str()).collect()
    }

    fn kinds(p: &[(Token, String)]) -> Vec<Token> {
        p.iter().map(|(t, _)| *t).collect()
    }

    #[test]
    fn pieces_always_join_back_to_the_line() {
        for (syntax, line_text) in [
            (Syntax::Properties, "motd=A \\u00e9 server # not a comment"),
            (Syntax::Properties, "  # a comment"),
            (Syntax::Yaml, "  - name: \"a: b\" # note"),
            (Syntax::Yaml, "enabled: true"),
            (
                Syntax::Json,
                r#"  {"ops": [1, -2.5e3, true, null], "n\"x": "y"}, é"#,
            ),
            (Syntax::Toml, "[server] # section"),
            (Syntax::Toml, "port = 25565 # the port"),
            (Syntax::Plain, "anything"),
        ] {
            assert_eq!(joined(&line(syntax, line_text)), line_text);
        }
    }

    #[test]
    fn tokens_are_what_they_look_like() {
        let p = line(Syntax::Properties, "max-players=20");
        assert_eq!(kinds(&p), [Token::Key, Token::Punct, Token::Num]);
        let p = line(Syntax::Properties, "# comment");
        assert_eq!(kinds(&p), [Token::Comment]);
        let p = line(Syntax::Yaml, "enabled: true # on");
        assert_eq!(
            kinds(&p),
            [
                Token::Key,
                Token::Punct,
                Token::Text,
                Token::Word,
                Token::Text,
                Token::Comment
            ]
        );
        let p = line(Syntax::Json, r#""name": "x""#);
        assert_eq!(p[0], (Token::Key, "\"name\"".into()));
        assert_eq!(p.last().unwrap(), &(Token::Str, "\"x\"".into()));
    }
}
