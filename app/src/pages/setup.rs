//! First-run setup: creates the administrator. Exists only while the panel has no user.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use leptos_router::hooks::use_navigate;

use crate::components::form::{ErrorBanner, Field};
use crate::components::session::use_session;
use crate::components::shell::Loading;
use api::auth::setup;
use protocol::validate;

/// The first-run form.
#[component]
pub fn SetupPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let username = RwSignal::new(String::from("admin"));
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let local_error = RwSignal::new(None::<String>);
    let action = Action::new_local(|(u, p, c): &(String, String, String)| {
        setup(
            u.clone(),
            p.clone(),
            (!c.trim().is_empty()).then(|| c.clone()),
        )
    });
    let needs_code = move || {
        session
            .info
            .with(|i| i.as_ref().is_some_and(|i| i.setup_code_required))
    };

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
                .with(|i| i.as_ref().is_some_and(|i| !i.needs_setup))
            {
                navigate("/login", Default::default());
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(user)) = action.value().get() {
            session.info.update(|i| {
                if let Some(i) = i {
                    i.needs_setup = false;
                }
            });
            session.user.set(Some(user));
        }
    });

    let error = Signal::derive(move || {
        local_error.get().or_else(|| match action.value().get() {
            Some(Err(e)) => Some(e.to_string()),
            _ => session.error.get(),
        })
    });
    let i18n = crate::i18n::i18n();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (u, p) = (username.get_untracked(), password.get_untracked());
        let problem = username_problem(&u)
            .or_else(|| password_problem(&p))
            .or_else(|| {
                (p != confirm.get_untracked()).then(|| tr!(i18n, "setup-passwords-differ"))
            });
        local_error.set(problem.clone());
        if problem.is_none() {
            action.dispatch((u, p, code.get_untracked()));
        }
    };

    view! {
        <main class="center-page">
            <Show when=move || session.checked.get() fallback=|| view! { <Loading/> }>
                <form class="card auth-card" on:submit=submit data-testid="setup-form">
                    <h1>{move_tr!("setup-title")}</h1>
                    <p class="muted">{move_tr!("setup-intro")}</p>
                    <ErrorBanner message=error/>
                    <Show when=needs_code>
                        <Field label=move_tr!("setup-code") id="setup_code" value=code
                            hint=move_tr!("setup-code-hint")/>
                    </Show>
                    <Field label=move_tr!("setup-username") id="username" value=username autocomplete="username"
                        hint=move_tr!("setup-username-hint")/>
                    <Field label=move_tr!("setup-password") id="password" value=password kind="password" autocomplete="new-password"
                        hint=move_tr!("setup-password-hint")/>
                    <Field label=move_tr!("setup-confirm") id="confirm" value=confirm kind="password" autocomplete="new-password"/>
                    <button class="btn btn-primary btn-block" type="submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { tr!("setup-creating") } else { tr!("setup-create") }}
                    </button>
                </form>
            </Show>
        </main>
    }
}

/// What is wrong with `name` as a username ([`validate::username`]'s rules), in the current
/// language; None when it is fine.
pub(crate) fn username_problem(name: &str) -> Option<String> {
    validate::username(name).err()?;
    let i18n = crate::i18n::i18n();
    Some(
        if !(3..=validate::USERNAME_MAX).contains(&name.chars().count()) {
            tr!(i18n, "setup-username-length", {"max" => validate::USERNAME_MAX})
        } else if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            tr!(i18n, "setup-username-start")
        } else {
            tr!(i18n, "setup-username-chars")
        },
    )
}

/// What is wrong with `password` as a new password ([`validate::new_password`]'s rules), in
/// the current language; None when it is fine.
pub(crate) fn password_problem(password: &str) -> Option<String> {
    validate::new_password(password).err()?;
    let i18n = crate::i18n::i18n();
    Some(if password.chars().count() < validate::PASSWORD_MIN {
        tr!(i18n, "setup-password-short", {"min" => validate::PASSWORD_MIN})
    } else {
        tr!(i18n, "setup-password-long", {"max" => validate::PASSWORD_MAX_BYTES})
    })
}
