//! The frame of pages that need a signed-in user: waits for the session check, sends signed-out
//! visitors to sign-in (or setup), and wraps the page in the [`Shell`].

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use leptos_router::hooks::use_navigate;

use super::session::use_session;
use super::shell::{Loading, Shell};
use protocol::ServerState;

/// Renders `children` in the shell once a user is signed in.
#[component]
pub fn Protected(children: ChildrenFn) -> impl IntoView {
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
    let children = StoredValue::new(children);
    view! {
        <Show when=ready fallback=move || match session.error.get() {
            Some(e) => view! {
                <main class="center-page">
                    <div class="card" data-testid="unreachable">
                        <h1>{move_tr!("guard-unreachable")}</h1>
                        <p>{e}</p>
                        <button class="btn btn-primary" on:click=move |_| session.refresh()>{move_tr!("guard-try-again")}</button>
                    </div>
                </main>
            }.into_any(),
            None => view! { <main class="center-page"><Loading/></main> }.into_any(),
        }>
            <Shell>{children.with_value(|c| c())}</Shell>
        </Show>
    }
}

/// A status badge (`running`, `stopped`, ...).
#[component]
pub fn StatusBadge(#[prop(into)] status: Signal<ServerState>) -> impl IntoView {
    view! {
        <span class=move || format!("status status-{}", status.get()) data-testid="status">
            <span class="status-dot" aria-hidden="true"></span>
            {move || status_label(status.get())}
        </span>
    }
}

/// The word for a server's state, for people (`running`, `stopped`, ... in English).
pub fn status_label(status: ServerState) -> String {
    match status {
        ServerState::Installing => tr!("guard-status-installing"),
        ServerState::Starting => tr!("guard-status-starting"),
        ServerState::Running => tr!("guard-status-running"),
        ServerState::Stopping => tr!("guard-status-stopping"),
        ServerState::Stopped => tr!("guard-status-stopped"),
        ServerState::Crashed => tr!("guard-status-crashed"),
        ServerState::Error => tr!("guard-status-error"),
    }
}
