//! ANSI colours of console lines to styled runs of text (parsed with `vte`, the parser of
//! Alacritty): SGR colours (16, 256 and true colour), bold, dim, italic, underline, inverse.
//! Other escape sequences (cursor moves, titles) are dropped.

use vte::{Params, Parser, Perform};

/// A colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// One of the 16 named colours (0-7 normal, 8-15 bright), styled by the theme.
    Named(u8),
    /// The 256-colour palette.
    Indexed(u8),
    /// True colour.
    Rgb(u8, u8, u8),
}

/// How a run of text looks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Foreground.
    pub fg: Option<Colour>,
    /// Background.
    pub bg: Option<Colour>,
    /// Bold.
    pub bold: bool,
    /// Dim.
    pub dim: bool,
    /// Italic.
    pub italic: bool,
    /// Underlined.
    pub underline: bool,
    /// Foreground and background swapped.
    pub inverse: bool,
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text.
    pub text: String,
    /// Its style.
    pub style: Style,
}

impl Colour {
    /// CSS for the colour: a class for named colours (so themes choose them), else a value.
    pub fn css(self) -> Result<u8, String> {
        match self {
            Colour::Named(n) => Ok(n),
            Colour::Indexed(n) if n < 16 => Ok(n),
            Colour::Indexed(n) if n < 232 => {
                let n = n - 16;
                let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
                Err(format!(
                    "rgb({},{},{})",
                    level(n / 36),
                    level((n / 6) % 6),
                    level(n % 6)
                ))
            }
            Colour::Indexed(n) => {
                let g = 8 + (n - 232) * 10;
                Err(format!("rgb({g},{g},{g})"))
            }
            Colour::Rgb(r, g, b) => Err(format!("rgb({r},{g},{b})")),
        }
    }
}

impl Style {
    /// The CSS classes and inline style of a span in this style.
    pub fn css(&self) -> (String, String) {
        let (mut fg, mut bg) = (self.fg, self.bg);
        if self.inverse {
            std::mem::swap(&mut fg, &mut bg);
        }
        let mut classes = Vec::new();
        let mut style = String::new();
        if let Some(c) = fg {
            match c.css() {
                Ok(n) => classes.push(format!("fg{n}")),
                Err(v) => style.push_str(&format!("color:{v};")),
            }
        } else if self.inverse {
            classes.push("fg-inverse".into());
        }
        if let Some(c) = bg {
            match c.css() {
                Ok(n) => classes.push(format!("bg{n}")),
                Err(v) => style.push_str(&format!("background:{v};")),
            }
        } else if self.inverse {
            classes.push("bg-inverse".into());
        }
        for (on, class) in [
            (self.bold, "b"),
            (self.dim, "dim"),
            (self.italic, "i"),
            (self.underline, "u"),
        ] {
            if on {
                classes.push(class.into());
            }
        }
        (classes.join(" "), style)
    }
}

struct Builder {
    spans: Vec<Span>,
    text: String,
    style: Style,
}

impl Builder {
    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.spans.push(Span {
                text: std::mem::take(&mut self.text),
                style: self.style,
            });
        }
    }

    fn extended(iter: &mut dyn Iterator<Item = &[u16]>, first: &[u16]) -> Option<Colour> {
        // Both `38;5;n` and `38:5:n` forms.
        let mut rest: Vec<u16> = first[1..].to_vec();
        if rest.is_empty() {
            let kind = iter.next()?.first().copied()?;
            rest.push(kind);
            let need = if kind == 5 { 1 } else { 3 };
            for _ in 0..need {
                rest.push(iter.next()?.first().copied()?);
            }
        }
        match rest.as_slice() {
            [5, n, ..] => Some(Colour::Indexed(*n as u8)),
            [2, r, g, b, ..] => Some(Colour::Rgb(*r as u8, *g as u8, *b as u8)),
            _ => None,
        }
    }

    fn sgr(&mut self, params: &Params) {
        self.flush();
        let mut iter = params.iter();
        let mut any = false;
        while let Some(p) = iter.next() {
            any = true;
            let s = &mut self.style;
            match p[0] {
                0 => *s = Style::default(),
                1 => s.bold = true,
                2 => s.dim = true,
                3 => s.italic = true,
                4 => s.underline = true,
                7 => s.inverse = true,
                22 => {
                    s.bold = false;
                    s.dim = false
                }
                23 => s.italic = false,
                24 => s.underline = false,
                27 => s.inverse = false,
                n @ 30..=37 => s.fg = Some(Colour::Named((n - 30) as u8)),
                38 => s.fg = Self::extended(&mut iter, p),
                39 => s.fg = None,
                n @ 40..=47 => s.bg = Some(Colour::Named((n - 40) as u8)),
                48 => s.bg = Self::extended(&mut iter, p),
                49 => s.bg = None,
                n @ 90..=97 => s.fg = Some(Colour::Named((n - 90 + 8) as u8)),
                n @ 100..=107 => s.bg = Some(Colour::Named((n - 100 + 8) as u8)),
                _ => {}
            }
        }
        if !any {
            self.style = Style::default();
        }
    }
}

impl Perform for Builder {
    fn print(&mut self, c: char) {
        self.text.push(c);
    }

    fn execute(&mut self, byte: u8) {
        if byte == b'\t' {
            self.text.push('\t');
        }
    }

    fn csi_dispatch(&mut self, params: &Params, _: &[u8], ignore: bool, action: char) {
        if action == 'm' && !ignore {
            self.sgr(params);
        }
    }
}

/// Splits a console line into styled runs.
pub fn spans(line: &str) -> Vec<Span> {
    let mut b = Builder {
        spans: Vec::new(),
        text: String::new(),
        style: Style::default(),
    };
    let mut parser = Parser::new();
    parser.advance(&mut b, line.as_bytes());
    b.flush();
    b.spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_one_span() {
        assert_eq!(
            spans("hello <b>"),
            vec![Span {
                text: "hello <b>".into(),
                style: Style::default()
            }]
        );
    }

    #[test]
    fn colours_and_resets() {
        let s = spans("\x1b[33mwarn\x1b[0m ok \x1b[1;91mbad\x1b[m");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].style.fg, Some(Colour::Named(3)));
        assert_eq!(s[1].text, " ok ");
        assert_eq!(s[1].style, Style::default());
        assert!(s[2].style.bold);
        assert_eq!(s[2].style.fg, Some(Colour::Named(9)));
        assert_eq!(s[2].style.css().0, "fg9 b");
    }

    #[test]
    fn extended_colours_and_other_sequences() {
        let s = spans("\x1b[38;5;196mred\x1b[48;2;1;2;3mbg\x1b[2K\x1b]0;title\x07end");
        assert_eq!(s[0].style.fg, Some(Colour::Indexed(196)));
        assert_eq!(s[0].style.css().1, "color:rgb(255,0,0);");
        assert_eq!(s[1].style.bg, Some(Colour::Rgb(1, 2, 3)));
        assert_eq!(s.len(), 2, "erase line and title are dropped: {s:?}");
        assert_eq!(
            s.iter().map(|s| s.text.as_str()).collect::<String>(),
            "redbgend"
        );
    }
}
