//! The page frame: top bar with the panel's name, the sandbox badge and the user menu.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use super::session::use_session;
use crate::api::auth::logout;

/// The frame of signed-in pages.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let signing_out = RwSignal::new(false);
    let sign_out = move |_| {
        let navigate = navigate.clone();
        signing_out.set(true);
        spawn_local(async move {
            // Whatever the answer, the local state is signed out; the server revokes the session.
            let _ = logout().await;
            session.user.set(None);
            signing_out.set(false);
            navigate("/login", Default::default());
        });
    };
    let sandbox = move || session.info.get().map(|i| i.sandbox).unwrap_or(false);
    view! {
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"▣"</span>
                <span class="brand-name">"Panel"</span>
            </a>
            <Show when=sandbox>
                <span class="badge badge-sandbox" title="Servers run in the embedded sandbox cluster, not on Kubernetes">
                    "Sandbox"
                </span>
            </Show>
            <div class="topbar-spacer"></div>
            <Show when=move || session.user.get().is_some_and(|u| u.is_admin)>
                <a class="topbar-link" href="/users" data-testid="nav-users">"Users"</a>
                <a class="topbar-link wide-only" href="/templates" data-testid="nav-templates">"Templates"</a>
            </Show>
            <a class="topbar-user" href="/account" data-testid="nav-account" title=move || session.user.get().map(|u| format!("{}: account and API tokens", u.username)).unwrap_or_default()>
                <span class="avatar" aria-hidden="true">
                    {move || {
                        session
                            .user
                            .get()
                            .and_then(|u| u.username.chars().next())
                            .map(|c| c.to_ascii_uppercase().to_string())
                            .unwrap_or_default()
                    }}
                </span>
                <span class="topbar-username" data-testid="current-user">
                    {move || session.user.get().map(|u| u.username).unwrap_or_default()}
                </span>
            </a>
            <button class="btn btn-ghost" data-testid="logout" on:click=sign_out disabled=move || signing_out.get()>
                {move || if signing_out.get() { "Signing out…" } else { "Sign out" }}
            </button>
        </header>
        <main class="page">{children()}</main>
    }
}

/// A full-page loading state.
#[component]
pub fn Loading(#[prop(default = "Loading…")] label: &'static str) -> impl IntoView {
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{label}</span>
        </div>
    }
}
