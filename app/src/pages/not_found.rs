//! The page for unknown addresses.

use leptos::prelude::*;

/// "Not found", with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="center-page">
            <div class="card">
                <h1>"Page not found"</h1>
                <p>"There is nothing at this address."</p>
                <a class="btn btn-primary" href="/">"Back to the dashboard"</a>
            </div>
        </main>
    }
}
