//! The language of what the panel itself says to people: its error messages, in the Fluent
//! catalogue `crates/core/locales/<lang>/*.ftl` (English, German, Spanish; the app has its
//! own catalogue in `app/locales`, the same mechanism).
//!
//! A request's language is the one the app chose (the `panel-language` cookie it sets when a
//! person picks a language), else the browser's (`Accept-Language`), else English; the API's
//! route runs each call inside [`scope`], and [`msg!`](crate::msg) looks messages up in it.
//! Work outside a request (background tasks, logs) is in English.
//!
//! A test reads every `msg!` of the crate and fails on a key some language lacks, a message no
//! code uses, or languages that disagree on a message's arguments.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use protocol::AppError;

fluent_templates::static_loader! {
    static MESSAGES = {
        locales: "./locales",
        fallback_language: "en",
        // plain text: the app shows these in the page, where isolation marks would be noise
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The name of the cookie the app keeps the chosen language in.
pub const COOKIE: &str = "panel-language";

/// A language the panel speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// German.
    De,
    /// Spanish.
    Es,
}

static LANGS: [(Lang, LanguageIdentifier); 3] = [
    (Lang::En, langid!("en")),
    (Lang::De, langid!("de")),
    (Lang::Es, langid!("es")),
];

impl Lang {
    fn id(self) -> &'static LanguageIdentifier {
        &LANGS
            .iter()
            .find(|(l, _)| *l == self)
            .expect("every language has an identifier")
            .1
    }

    /// The language of a tag (`de`, `de-AT`, `es-419`); None for one the panel does not speak.
    pub fn of_tag(tag: &str) -> Option<Lang> {
        let id: LanguageIdentifier = tag.trim().parse().ok()?;
        LANGS
            .iter()
            .find(|(_, l)| l.language == id.language)
            .map(|(lang, _)| *lang)
    }

    /// The language of a request: its `panel-language` cookie, else the first language of its
    /// `Accept-Language` the panel speaks, else English.
    pub fn of_request(headers: &http::HeaderMap) -> Lang {
        let chosen = headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(cookie::Cookie::split_parse)
            .flatten()
            .find(|c| c.name() == COOKIE)
            .and_then(|c| Lang::of_tag(c.value()));
        chosen
            .or_else(|| {
                let header = headers.get(http::header::ACCEPT_LANGUAGE)?.to_str().ok()?;
                let requested = fluent_langneg::parse_accepted_languages(header);
                let available: Vec<&LanguageIdentifier> = LANGS.iter().map(|(_, l)| l).collect();
                let found = fluent_langneg::negotiate_languages(
                    &requested,
                    &available,
                    None,
                    fluent_langneg::NegotiationStrategy::Filtering,
                );
                let first = found.first()?;
                LANGS
                    .iter()
                    .find(|(_, l)| l == **first)
                    .map(|(lang, _)| *lang)
            })
            .unwrap_or_default()
    }
}

tokio::task_local! {
    static LANG: Lang;
}

/// Runs `work` with `lang` as the language of its messages.
pub async fn scope<F: Future>(lang: Lang, work: F) -> F::Output {
    LANG.scope(lang, work).await
}

/// The language of the request being answered (English outside one).
pub fn current() -> Lang {
    LANG.try_with(|l| *l).unwrap_or_default()
}

/// Message `key` in the current language, with `args`. A key the catalogue lacks (the test
/// makes that a build failure) gives the key itself, logged.
pub fn message(key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    let lang = current().id();
    let found = if args.is_empty() {
        MESSAGES.try_lookup(lang, key)
    } else {
        let args: HashMap<Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect();
        MESSAGES.try_lookup_with_args(lang, key, &args)
    };
    found.unwrap_or_else(|| {
        tracing::error!(key, "a message the catalogue lacks");
        key.to_owned()
    })
}

/// A message of the catalogue in the language of the request: `msg!("files-not-found")`,
/// `msg!("files-too-large", "max" => 4)`. Arguments are anything a Fluent value is made from
/// (strings, numbers).
#[macro_export]
macro_rules! msg {
    ($key:literal) => {
        $crate::i18n::message($key, &[])
    };
    ($key:literal, $($name:literal => $value:expr),+ $(,)?) => {
        $crate::i18n::message(
            $key,
            &[$(($name, $crate::i18n::value($value))),+],
        )
    };
}

/// The message of `e` in the current language when it carries its kind's standard English
/// message ([`AppError::internal`], [`AppError::unauthenticated`], [`AppError::unavailable`],
/// [`AppError::files_need_running`]), which crates without the catalogue write; None
/// otherwise. The API's edge puts it in place of the English.
pub fn standard(e: &AppError) -> Option<AppError> {
    let (english, message) = match e {
        AppError::Internal { .. } => (AppError::internal(), crate::msg!("errors-internal")),
        AppError::Unauthenticated { .. } => (
            AppError::unauthenticated(),
            crate::msg!("errors-unauthenticated"),
        ),
        AppError::Unavailable { .. } => {
            (AppError::unavailable(), crate::msg!("errors-unavailable"))
        }
        AppError::NotRunning { .. } => (
            AppError::files_need_running(),
            crate::msg!("errors-files-need-running"),
        ),
        _ => return None,
    };
    if e.to_string() != english.to_string() {
        return None;
    }
    let mut out = e.clone();
    if let AppError::Internal { message: m }
    | AppError::Unauthenticated { message: m }
    | AppError::Unavailable { message: m, .. }
    | AppError::NotRunning { message: m } = &mut out
    {
        *m = message;
    }
    Some(out)
}

/// A Fluent argument of `v` (owned: the message outlives nothing of the caller's).
pub fn value(v: impl ToOwnedValue) -> FluentValue<'static> {
    v.to_owned_value()
}

/// Turns a message argument into an owned Fluent value.
pub trait ToOwnedValue {
    /// The owned value.
    fn to_owned_value(self) -> FluentValue<'static>;
}

impl ToOwnedValue for &str {
    fn to_owned_value(self) -> FluentValue<'static> {
        FluentValue::from(self.to_owned())
    }
}

impl ToOwnedValue for String {
    fn to_owned_value(self) -> FluentValue<'static> {
        FluentValue::from(self)
    }
}

impl ToOwnedValue for &String {
    fn to_owned_value(self) -> FluentValue<'static> {
        FluentValue::from(self.clone())
    }
}

impl ToOwnedValue for &&str {
    fn to_owned_value(self) -> FluentValue<'static> {
        FluentValue::from((*self).to_owned())
    }
}

impl ToOwnedValue for std::borrow::Cow<'_, str> {
    fn to_owned_value(self) -> FluentValue<'static> {
        FluentValue::from(self.into_owned())
    }
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl ToOwnedValue for $t {
            fn to_owned_value(self) -> FluentValue<'static> {
                FluentValue::from(self)
            }
        }
    )*};
}
numbers!(u8, u16, u32, u64, usize, i32, i64, f64);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    fn headers(pairs: &[(&str, &str)]) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn the_cookie_then_the_browser_then_english() {
        assert_eq!(Lang::of_request(&headers(&[])), Lang::En);
        assert_eq!(
            Lang::of_request(&headers(&[("accept-language", "fr-FR,de;q=0.8,en;q=0.5")])),
            Lang::De
        );
        assert_eq!(
            Lang::of_request(&headers(&[
                ("accept-language", "de"),
                ("cookie", "a=1; panel-language=es")
            ])),
            Lang::Es
        );
        // a language the panel does not speak in the cookie: the browser's
        assert_eq!(
            Lang::of_request(&headers(&[
                ("accept-language", "es-419"),
                ("cookie", "panel-language=en-XA")
            ])),
            Lang::En,
            "the pseudo-locale is English"
        );
        assert_eq!(
            Lang::of_request(&headers(&[("accept-language", "ja, zh")])),
            Lang::En
        );
    }

    /// Every `msg!("key"…)` of the crate's source, with the argument names it passes.
    fn used() -> BTreeMap<String, BTreeSet<String>> {
        fn walk(dir: &Path, out: &mut BTreeMap<String, BTreeSet<String>>) {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (i, _) in text.match_indices("msg!(") {
                        let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
                        if text[line_start..i].trim_start().starts_with("//") {
                            continue; // documentation
                        }
                        // the key, after any white space rustfmt put before it
                        let after = text[i + 5..].trim_start();
                        let Some(rest) = after.strip_prefix('"') else {
                            continue; // the macro's own definition
                        };
                        let key = &rest[..rest.find('"').unwrap()];
                        if key.is_empty()
                            || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        {
                            continue; // not a key: this test's own text
                        }
                        // the arguments: `"name" =>` up to the call's closing parenthesis
                        let mut depth = 1;
                        let end = rest
                            .char_indices()
                            .find(|(_, c)| {
                                match c {
                                    '(' => depth += 1,
                                    ')' => depth -= 1,
                                    _ => {}
                                }
                                depth == 0
                            })
                            .map(|(j, _)| j)
                            .unwrap_or(rest.len());
                        let call = &rest[key.len() + 1..end];
                        let args = call
                            .match_indices("\" =>")
                            .map(|(j, _)| {
                                let before = &call[..j];
                                before[before.rfind('"').unwrap() + 1..].to_owned()
                            })
                            .collect::<BTreeSet<_>>();
                        out.entry(key.to_owned()).or_default().extend(args);
                    }
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
        out
    }

    /// Each language's messages and the variables each one uses.
    fn catalogue(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut out = BTreeMap::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for line in text.lines() {
                if let Some((key, _)) = line.split_once(" =")
                    && !key.starts_with([' ', '#'])
                    && !key.is_empty()
                {
                    assert!(
                        out.insert(key.to_owned(), BTreeSet::new()).is_none(),
                        "{lang}: {key} twice"
                    );
                }
            }
            // variables: `{ $name` anywhere in the message's lines
            let mut current = None;
            for line in text.lines() {
                if let Some((key, _)) = line.split_once(" =")
                    && !key.starts_with([' ', '#'])
                {
                    current = Some(key.to_owned());
                }
                if let Some(key) = &current {
                    for (i, _) in line.match_indices('$') {
                        let name: String = line[i + 1..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                            .collect();
                        out.get_mut(key).unwrap().insert(name);
                    }
                }
            }
        }
        out
    }

    #[test]
    fn every_message_is_in_every_language_and_used() {
        let used = used();
        for lang in ["en", "de", "es"] {
            let messages = catalogue(lang);
            for (key, args) in &used {
                let vars = messages
                    .get(key)
                    .unwrap_or_else(|| panic!("{lang} lacks {key}"));
                assert!(
                    vars.is_subset(args),
                    "{lang}: {key} uses {vars:?}, the code passes {args:?}"
                );
            }
            for key in messages.keys() {
                assert!(used.contains_key(key), "{lang}: {key} is used by no code");
            }
        }
    }

    #[tokio::test]
    async fn standard_messages_are_said_in_the_language() {
        let german = scope(Lang::De, async { standard(&AppError::unauthenticated()) }).await;
        assert!(
            matches!(german, Some(AppError::Unauthenticated { ref message }) if message.starts_with("Nicht angemeldet")),
            "{german:?}"
        );
        let unavailable = scope(Lang::Es, async { standard(&AppError::unavailable()) }).await;
        assert!(matches!(
            unavailable,
            Some(AppError::Unavailable {
                retry_after_secs: 2,
                ..
            })
        ));
        // a message of its own is left as it is
        assert_eq!(
            standard(&AppError::NotRunning {
                message: "other".into()
            }),
            None
        );
        assert_eq!(standard(&AppError::bad_request("x")), None);
    }

    #[tokio::test]
    async fn messages_follow_the_scope() {
        assert_eq!(crate::msg!("i18n-example"), "The panel speaks English.");
        let german = scope(Lang::De, async { crate::msg!("i18n-example") }).await;
        assert_eq!(german, "Das Panel spricht Deutsch.");
        let spanish = scope(Lang::Es, async {
            crate::msg!("i18n-example-count", "count" => 3)
        })
        .await;
        assert_eq!(spanish, "3 idiomas");
    }
}
