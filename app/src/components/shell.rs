//! The page frame: the top bar (the panel's name, the sandbox badge, sign out) and the
//! navigation, which sits in the top bar on wide screens and becomes a bottom tab bar on
//! phones (within the thumb's reach; hidden while typing, when the on-screen keyboard is up).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};

use super::session::use_session;
use api::auth::logout;
use leptos_fluent::{move_tr, tr};

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
                <span class="brand-name">{move_tr!("shell-brand")}</span>
            </a>
            <Show when=sandbox>
                <span class="badge badge-sandbox" title=move_tr!("shell-sandbox-title")>
                    {move_tr!("shell-sandbox")}
                </span>
            </Show>
            <div class="topbar-spacer"></div>
            <Nav/>
            <button class="btn btn-ghost" data-testid="logout" on:click=sign_out disabled=move || signing_out.get()>
                {move || if signing_out.get() { tr!("shell-signing-out") } else { tr!("shell-sign-out") }}
            </button>
        </header>
        <main class="page">{children()}</main>
    }
}

/// A place of the navigation: path, label (from the catalogue), icon (an SVG path), test id,
/// admins only.
type Place = (
    &'static str,
    fn() -> String,
    &'static str,
    &'static str,
    bool,
);

/// Where the navigation leads.
const PLACES: [Place; 4] = [
    (
        "/",
        || tr!("shell-nav-servers"),
        "M4 4h16v7H4zM4 13h16v7H4zM7.5 7.5h2M7.5 16.5h2",
        "nav-servers",
        false,
    ),
    (
        "/audit",
        || tr!("shell-nav-activity"),
        "M3 12h4l3-8 4 16 3-8h4",
        "nav-audit",
        false,
    ),
    (
        "/users",
        || tr!("shell-nav-users"),
        "M9 11.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6M16 4.5a3.5 3.5 0 0 1 0 7M18 14c2 .6 3.5 2.6 3.5 6",
        "nav-users",
        true,
    ),
    (
        "/templates",
        || tr!("shell-nav-templates"),
        "M4 4h16v5H4zM4 13h7v7H4zM15 13h5v7h-5z",
        "nav-templates",
        true,
    ),
];

/// The icon of the account place.
const ACCOUNT_ICON: &str = "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4.4 3.6-7 8-7s8 2.6 8 7";

/// Whether `place` is where `path` is (the servers list owns every server page).
fn is_current(place: &str, path: &str) -> bool {
    match place {
        "/" => path == "/" || path.starts_with("/servers"),
        _ => path == place || path.starts_with(&format!("{place}/")),
    }
}

/// The navigation: links in the top bar, or the bottom tab bar on phones.
#[component]
fn Nav() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let current = move |place: &'static str| {
        let path = location.pathname.get();
        is_current(place, &path).then_some("page")
    };
    let is_admin = move || session.user.get().is_some_and(|u| u.is_admin);
    let places = PLACES
        .into_iter()
        .map(|(href, label, icon, testid, admin)| {
            view! {
                <Show when=move || !admin || is_admin()>
                    <a class="nav-item" href=href data-testid=testid aria-current=move || current(href)>
                        <NavIcon d=icon/>
                        <span class="nav-label">{move || label()}</span>
                    </a>
                </Show>
            }
        })
        .collect_view();
    let initial = move || {
        session
            .user
            .get()
            .and_then(|u| u.username.chars().next())
            .map(|c| c.to_ascii_uppercase().to_string())
            .unwrap_or_default()
    };
    view! {
        <nav class="nav" aria-label=move_tr!("shell-nav-main")>
            {places}
            <a
                class="nav-item nav-account"
                href="/account"
                data-testid="nav-account"
                aria-current=move || current("/account")
                title=move || session.user.get().map(|u| tr!("shell-account-title", {"username" => u.username})).unwrap_or_default()
            >
                <NavIcon d=ACCOUNT_ICON/>
                <span class="avatar" aria-hidden="true">{initial}</span>
                <span class="nav-label nav-label-phone">{move_tr!("shell-nav-account")}</span>
                <span class="topbar-username" data-testid="current-user">
                    {move || session.user.get().map(|u| u.username).unwrap_or_default()}
                </span>
            </a>
        </nav>
    }
}

/// A 24×24 line icon.
#[component]
fn NavIcon(d: &'static str) -> impl IntoView {
    view! {
        <svg class="nav-icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d=d/>
        </svg>
    }
}

/// A full-page loading state (saying `label`, else "Loading…").
#[component]
pub fn Loading(#[prop(optional, into)] label: Option<Signal<String>>) -> impl IntoView {
    let label = label.unwrap_or_else(|| move_tr!("shell-loading"));
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            <span>{label}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::is_current;

    #[test]
    fn server_pages_belong_to_the_servers_place() {
        assert!(is_current("/", "/"));
        assert!(is_current("/", "/servers/abc/files"));
        assert!(!is_current("/", "/users"));
        assert!(is_current("/users", "/users"));
        assert!(!is_current("/users", "/users-x"));
        assert!(is_current("/audit", "/audit"));
    }
}
