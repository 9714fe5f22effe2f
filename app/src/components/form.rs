//! Form helpers: labelled inputs and the error banner.

use leptos::prelude::*;

/// A labelled text input bound to `value`.
#[component]
pub fn Field(
    /// The visible label.
    #[prop(into)]
    label: Signal<String>,
    /// The element id (also the name).
    id: &'static str,
    /// Bound value.
    value: RwSignal<String>,
    /// Input type (`text`, `password`).
    #[prop(default = "text")]
    kind: &'static str,
    /// Browser autocomplete hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Help text under the field.
    #[prop(optional, into)]
    hint: Option<Signal<String>>,
) -> impl IntoView {
    view! {
        <label class="field" for=id>
            <span class="field-label">{label}</span>
            <input id=id name=id type=kind autocomplete=autocomplete required bind:value=value/>
            {hint.map(|h| view! { <span class="field-hint">{h}</span> })}
        </label>
    }
}

/// A red banner with `message`, shown while it is `Some`.
#[component]
pub fn ErrorBanner(message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.get().is_some()>
            <p class="banner banner-error" role="alert">{move || message.get()}</p>
        </Show>
    }
}
