//! Languages: every string the app shows comes from the Fluent catalogue in `app/locales/<lang>/`
//! through `leptos-fluent`'s `tr!` and `move_tr!`, and every date and number is formatted by the
//! browser's `Intl` in the chosen language (no locale tables in the wasm).
//!
//! The language is the one chosen on the Account page (kept in the browser's local storage, and
//! in the `panel-language` cookie, so the panel's own messages follow), else the browser's own
//! (`navigator.languages`, which the browser also sends as `Accept-Language`), else English;
//! `?lang=de` picks one for a link.
//! `en-XA` is a pseudo-locale: the English catalogue (it has none of its own, so it falls back
//! to English) with every letter accented and each piece of catalogue text between `⟦` and `⟧`,
//! so a test can see any text that did not come from the catalogue. It is not offered on the
//! Account page.
//!
//! The build checks the catalogue against the code: a key used by `tr!` that some language
//! lacks, or a catalogue entry no code uses, fails to compile (`check_translations`).

use std::borrow::Cow;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

use leptos::prelude::*;
pub use leptos_fluent::{I18n, Language};

fluent_templates::static_loader! {
    static TRANSLATIONS = {
        locales: "./locales",
        fallback_language: "en",
        // no Unicode isolation marks around arguments: the app sets no mixed-direction text yet,
        // and the marks would be in every copied name. English text passes through the
        // pseudo-locale's transform, which changes it only while `en-XA` is the language.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            if bundle.locales.first().is_some_and(|l| *l == ENGLISH) {
                bundle.set_transform(Some(pseudo_when_chosen));
            }
        },
    };
}

/// English, the catalogue the pseudo-locale is made from.
const ENGLISH: fluent_templates::LanguageIdentifier = fluent_templates::langid!("en");

/// Whether the pseudo-locale is the language (it has no catalogue of its own: its messages are
/// English's, through [`pseudo`]).
static PSEUDO_ON: AtomicBool = AtomicBool::new(false);

/// The pseudo-locale's code.
pub const PSEUDO: &str = "en-XA";

thread_local! {
    /// The context, for code that runs outside the component tree (event handlers, helpers).
    static CURRENT: Cell<Option<I18n>> = const { Cell::new(None) };
}

/// Provides the languages to `children`: the chosen or the browser's language, kept in sync
/// with `<html lang>`.
#[component]
pub fn I18nProvider(children: Children) -> impl IntoView {
    leptos_fluent::leptos_fluent! {
        children: children(),
        translations: [TRANSLATIONS],
        locales: "./locales",
        languages: "./locales/languages.json",
        default_language: "en",
        check_translations: "./src/**/*.rs",
        sync_html_tag_lang: true,
        sync_html_tag_dir: true,
        url_param: "lang",
        initial_language_from_url_param: true,
        local_storage_key: "panel-language",
        initial_language_from_local_storage: true,
        set_language_to_local_storage: true,
        initial_language_from_navigator: true,
        // the panel answers in the chosen language too: its messages come from its own
        // catalogue, in the language of this cookie (else of the browser's Accept-Language)
        cookie_name: "panel-language",
        cookie_attrs: "SameSite=Lax; Path=/; Max-Age=31536000",
        set_language_to_cookie: true,
        initial_language_from_local_storage_to_cookie: true,
    }
}

/// Keeps the context for code outside the component tree, and turns the pseudo-locale's
/// transform on and off with the language; rendered first inside [`I18nProvider`].
#[component]
pub fn RememberLanguage() -> impl IntoView {
    if let Some(i18n) = use_context::<I18n>() {
        CURRENT.set(Some(i18n));
        let pseudo_now = move || i18n.language.get().id == PSEUDO;
        PSEUDO_ON.store(pseudo_now(), Ordering::Relaxed);
        Effect::new(move |_| PSEUDO_ON.store(pseudo_now(), Ordering::Relaxed));
    }
}

/// The languages context (from anywhere in the app, event handlers included).
pub fn i18n() -> I18n {
    use_context::<I18n>()
        .or_else(|| CURRENT.get())
        .expect("the app runs inside I18nProvider")
}

/// The current language's BCP 47 tag (`en`, `de`), for `Intl`; tracked when read in a
/// reactive scope, so formatted text follows a change of language.
pub fn tag() -> &'static str {
    match use_context::<I18n>().or_else(|| CURRENT.get()) {
        Some(i18n) => i18n.language.get().id,
        None => "en",
    }
}

/// The languages a person can choose on the Account page (not the pseudo-locale).
pub fn choices() -> Vec<&'static Language> {
    i18n()
        .languages
        .iter()
        .copied()
        .filter(|l| l.id != PSEUDO)
        .collect()
}

/// Chooses `lang`; the choice is kept in the browser's local storage.
pub fn choose(lang: &'static Language) {
    i18n().language.set(lang);
}

/// English text as it is, or through [`pseudo`] while the pseudo-locale is the language.
fn pseudo_when_chosen(text: &str) -> Cow<'_, str> {
    if PSEUDO_ON.load(Ordering::Relaxed) {
        pseudo(text)
    } else {
        Cow::Borrowed(text)
    }
}

/// The pseudo-locale's transform of one piece of catalogue text: letters accented, between
/// `⟦` and `⟧` (white space alone is left as it is).
fn pseudo(text: &str) -> Cow<'_, str> {
    if text.trim().is_empty() {
        return Cow::Borrowed(text);
    }
    const SMALL: &str = "ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑ";
    const CAPS: &str = "ȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ";
    let small: Vec<char> = SMALL.chars().collect();
    let caps: Vec<char> = CAPS.chars().collect();
    let mut out = String::with_capacity(text.len() * 2 + 6);
    out.push('⟦');
    for c in text.chars() {
        out.push(match c {
            'a'..='z' => small[(c as u8 - b'a') as usize],
            'A'..='Z' => caps[(c as u8 - b'A') as usize],
            other => other,
        });
    }
    out.push('⟧');
    Cow::Owned(out)
}

/// `rfc3339` as a date and time in the browser's zone and the current language
/// (`Intl.DateTimeFormat`, medium date, short time); the text itself when it is not a date.
pub fn date_time(rfc3339: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if d.get_time().is_nan() {
        return rfc3339.to_string();
    }
    format_date(&d, &[("dateStyle", "medium"), ("timeStyle", "short")])
}

/// Unix seconds as [`date_time`] does.
pub fn date_time_secs(secs: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
    format_date(&d, &[("dateStyle", "medium"), ("timeStyle", "short")])
}

/// `rfc3339` as a time of day (`Intl`, short), for events of today.
pub fn time(rfc3339: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if d.get_time().is_nan() {
        return rfc3339.to_string();
    }
    format_date(&d, &[("timeStyle", "short")])
}

fn format_date(d: &js_sys::Date, options: &[(&str, &str)]) -> String {
    let opts = js_sys::Object::new();
    for (k, v) in options {
        let _ = js_sys::Reflect::set(&opts, &(*k).into(), &(*v).into());
    }
    let locales = js_sys::Array::of1(&intl_tag().into());
    let f = js_sys::Intl::DateTimeFormat::new(&locales, &opts);
    f.format()
        .call1(&wasm_bindgen::JsValue::UNDEFINED, d)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// A number in the current language (`Intl.NumberFormat`: `1,234.5`, `1.234,5`), with at
/// most `fraction` decimals.
pub fn number(n: f64, fraction: u32) -> String {
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &opts,
        &"maximumFractionDigits".into(),
        &f64::from(fraction).into(),
    );
    format_number(n, &opts)
}

/// A size in bytes, in the largest unit under which it is at least 1 (`Intl`'s units: `1.5 GB`,
/// `1,5 GB`).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"style".into(), &"unit".into());
    let _ = js_sys::Reflect::set(&opts, &"unit".into(), &UNITS[unit].into());
    let _ = js_sys::Reflect::set(&opts, &"unitDisplay".into(), &"short".into());
    let digits = if unit == 0 || value >= 100.0 {
        0.0
    } else {
        1.0
    };
    let _ = js_sys::Reflect::set(&opts, &"maximumFractionDigits".into(), &digits.into());
    format_number(value, &opts)
}

fn format_number(n: f64, opts: &js_sys::Object) -> String {
    let locales = js_sys::Array::of1(&intl_tag().into());
    let f = js_sys::Intl::NumberFormat::new(&locales, opts);
    f.format()
        .call1(&wasm_bindgen::JsValue::UNDEFINED, &n.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| n.to_string())
}

/// The tag for `Intl` (the pseudo-locale formats as English).
fn intl_tag() -> &'static str {
    match tag() {
        PSEUDO => "en",
        t => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pseudo_locale_marks_and_accents_text_but_not_white_space() {
        assert_eq!(pseudo("Sign in"), "⟦Şīɠƞ īƞ⟧");
        assert_eq!(pseudo(" "), " ");
        assert_eq!(pseudo("3 servers."), "⟦3 şḗřṽḗřş.⟧");
    }
}
