//! The sign-in page.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use leptos_router::hooks::{use_navigate, use_query_map};
use protocol::sso::SsoFailure;

use crate::components::form::{ErrorBanner, Field};
use crate::components::session::use_session;
use crate::components::shell::Loading;
use api::auth::login;

/// Username and password form, and the sign-in provider's button when the panel has one (only
/// the button when it takes no passwords); sends to the dashboard when signed in, to setup when
/// the panel has no user yet. Says why when the provider's sign-in failed (`?sso=<failure>`).
#[component]
pub fn LoginPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let action = Action::new_local(|(u, p, c): &(String, String, String)| {
        login(
            u.clone(),
            p.clone(),
            (!c.trim().is_empty()).then(|| c.clone()),
        )
    });
    // The account has two-factor sign-in: ask for the code (and keep asking while it is wrong).
    // Also when sign-in is limited: the owner of a locked account gets in with the password and
    // a code together.
    let needs_code = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Err(
            protocol::AppError::SecondFactor { .. } | protocol::AppError::RateLimited { .. },
        )) = action.value().get()
        {
            needs_code.set(true);
        }
    });

    Effect::new({
        let navigate = navigate.clone();
        move |_| {
            if !session.checked.get() {
                return;
            }
            if session.user.with(Option::is_some) {
                navigate("/", Default::default());
            } else if session
                .info
                .with(|i| i.as_ref().is_some_and(|i| i.needs_setup))
            {
                navigate("/setup", Default::default());
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(user)) = action.value().get() {
            password.set(String::new());
            code.set(String::new());
            session.user.set(Some(user));
        }
    });

    let query = use_query_map();
    let sso_failure = move || {
        query
            .with(|q| q.get("sso"))
            .and_then(|code| SsoFailure::from_code(&code))
    };
    let error = Signal::derive(move || match action.value().get() {
        Some(Err(e)) => Some(e.to_string()),
        _ => session
            .error
            .get()
            .or_else(|| sso_failure().map(sso_message)),
    });
    let provider = move || {
        session
            .info
            .with(|i| i.as_ref().and_then(|i| i.sso.clone()))
    };
    let passwords = move || {
        session
            .info
            .with(|i| i.as_ref().is_none_or(|i| i.passwords))
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch((
            username.get_untracked(),
            password.get_untracked(),
            code.get_untracked(),
        ));
    };

    view! {
        <main class="center-page">
            <Show when=move || session.checked.get() fallback=|| view! { <Loading/> }>
                <form class="card auth-card" on:submit=submit data-testid="login-form">
                    <h1>{move_tr!("login-sign-in")}</h1>
                    <p class="muted">{move_tr!("login-subtitle")}</p>
                    <ErrorBanner message=error/>
                    {move || provider().map(|name| view! {
                        // a full navigation: the panel sends the browser on to the provider
                        <a class="btn btn-primary btn-block" href="/auth/sso/start" rel="external"
                            data-testid="sso-button">{tr!("login-sso-button", {"name" => name})}</a>
                        <Show when=passwords>
                            <p class="auth-or muted">{move_tr!("login-or-password")}</p>
                        </Show>
                    })}
                    <Show when=passwords>
                    <Field label=move_tr!("login-username") id="username" value=username autocomplete="username"/>
                    <Field label=move_tr!("login-password") id="password" value=password kind="password" autocomplete="current-password"/>
                    <Show when=move || needs_code.get()>
                        <label class="field" for="code">
                            <span class="field-label">{move_tr!("login-code")}</span>
                            <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"
                                bind:value=code autofocus data-testid="login-code"/>
                            <span class="field-hint">{move_tr!("login-code-hint")}</span>
                        </label>
                    </Show>
                    <button class=move || if provider().is_some() { "btn btn-block" } else { "btn btn-primary btn-block" } type="submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { tr!("login-signing-in") } else { tr!("login-sign-in") }}
                    </button>
                    </Show>
                </form>
            </Show>
        </main>
    }
}

/// What the sign-in page says when the provider's sign-in failed (the words of
/// [`SsoFailure::message`], in the current language).
fn sso_message(failure: SsoFailure) -> String {
    let i18n = crate::i18n::i18n();
    match failure {
        SsoFailure::Unreachable => tr!(i18n, "login-sso-unreachable"),
        SsoFailure::Untrusted => tr!(i18n, "login-sso-untrusted"),
        SsoFailure::Refused => tr!(i18n, "login-sso-refused"),
        SsoFailure::Stale => tr!(i18n, "login-sso-stale"),
        SsoFailure::OtherBrowser => tr!(i18n, "login-sso-other-browser"),
        SsoFailure::BadToken => tr!(i18n, "login-sso-bad-token"),
        SsoFailure::NoAccount => tr!(i18n, "login-sso-no-account"),
        SsoFailure::AlreadyLinked => tr!(i18n, "login-sso-already-linked"),
        SsoFailure::Disabled => tr!(i18n, "login-sso-disabled"),
        SsoFailure::Internal => tr!(i18n, "login-sso-internal"),
    }
}
