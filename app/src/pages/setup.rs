//! First-run setup: creates the administrator. Exists only while the panel has no user.

use leptos::prelude::*;
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
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (u, p) = (username.get_untracked(), password.get_untracked());
        let problem = validate::username(&u)
            .and_then(|_| validate::new_password(&p))
            .err()
            .or_else(|| {
                (p != confirm.get_untracked()).then(|| "The passwords do not match.".to_string())
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
                    <h1>"Welcome"</h1>
                    <p class="muted">"Create the administrator account to finish setting up the panel."</p>
                    <ErrorBanner message=error/>
                    <Show when=needs_code>
                        <Field label="Setup code" id="setup_code" value=code
                            hint="Printed in the panel's log when it started (look for \"setup code\"), or run `panel setup-code` where it runs"/>
                    </Show>
                    <Field label="Username" id="username" value=username autocomplete="username"
                        hint="3 to 32 letters, digits, dots, dashes or underscores"/>
                    <Field label="Password" id="password" value=password kind="password" autocomplete="new-password"
                        hint="At least 10 characters"/>
                    <Field label="Repeat the password" id="confirm" value=confirm kind="password" autocomplete="new-password"/>
                    <button class="btn btn-primary btn-block" type="submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Creating…" } else { "Create administrator" }}
                    </button>
                </form>
            </Show>
        </main>
    }
}
