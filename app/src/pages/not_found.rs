//! The page for unknown addresses.

use leptos::prelude::*;
use leptos_fluent::move_tr;

/// "Not found", with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="center-page">
            <div class="card">
                <h1>{move_tr!("not-found-title")}</h1>
                <p>{move_tr!("not-found-text")}</p>
                <a class="btn btn-primary" href="/">{move_tr!("not-found-back")}</a>
            </div>
        </main>
    }
}
