//! The dashboard: the user's servers (none yet: servers arrive with the cluster work).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::session::use_session;
use crate::components::shell::{Loading, Shell};

/// The signed-in home page; sends signed-out visitors to sign-in (or setup).
#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if session.checked.get()
            && session.user.with(Option::is_none)
            && session.error.with(Option::is_none)
        {
            let needs_setup = session
                .info
                .with(|i| i.as_ref().is_some_and(|i| i.needs_setup));
            navigate(
                if needs_setup { "/setup" } else { "/login" },
                Default::default(),
            );
        }
    });
    let ready = move || session.checked.get() && session.user.with(Option::is_some);
    view! {
        <Show when=ready fallback=move || match session.error.get() {
            Some(e) => view! {
                <main class="center-page"><div class="card"><h1>"Cannot reach the panel"</h1><p>{e}</p></div></main>
            }.into_any(),
            None => view! { <main class="center-page"><Loading/></main> }.into_any(),
        }>
            <Shell>
                <section class="section" data-testid="dashboard">
                    <div class="section-head">
                        <h1>"Servers"</h1>
                    </div>
                    <div class="empty-state">
                        <svg class="empty-icon" viewBox="0 0 48 48" aria-hidden="true">
                            <path d="M24 4 42 14v20L24 44 6 34V14z" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round"/>
                            <path d="M6 14l18 10 18-10M24 24v20" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round"/>
                        </svg>
                        <h2>"No servers yet"</h2>
                        <p class="muted">
                            "Your Minecraft servers will appear here with their live status, "
                            "console and files."
                        </p>
                    </div>
                </section>
            </Shell>
        </Show>
    }
}
