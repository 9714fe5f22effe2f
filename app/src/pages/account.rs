//! The account page: the password (a change signs out other browsers and revokes API tokens),
//! the sessions (sign any out), and API tokens for scripts (create with a scope, an expiry and
//! the password, see the secret once, revoke); and this device's language and notifications.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};

use crate::components::guard::Protected;
use crate::components::notifier::{ask_permission, permission};
use crate::components::session::use_session;
use api::account::{change_password, list_sessions, revoke_session};
use api::tokens::{create_token, list_tokens, revoke_token};
use api::two_factor::{totp_disable, totp_enable, totp_setup, totp_status};
use protocol::permission::GRANTABLE;

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    view! {
        <Protected>
            <section class="section account-page" data-testid="account">
                <h1>{move_tr!("account-title")}</h1>
                <p><a href="/audit" data-testid="account-audit">{move_tr!("account-audit-link")}</a></p>
                <LanguageChoice/>
                <Notifications/>
                <PasswordForm/>
                <TwoFactorCard/>
                <SessionList/>
                <Tokens/>
            </section>
        </Protected>
    }
}

/// System notifications on this device (the in-page notices need no permission).
#[component]
fn Notifications() -> impl IntoView {
    let state = RwSignal::new(permission());
    let ask = move |_| {
        leptos::task::spawn_local(async move { state.set(ask_permission().await) });
    };
    view! {
        <div class="card settings" data-testid="notifications">
            <h2>{move_tr!("account-notify-title")}</h2>
            <p class="muted small">{move_tr!("account-notify-text")}</p>
            {move || match state.get().as_deref() {
                None => view! { <p class="small" data-testid="notify-state">{move_tr!("account-notify-none")}</p> }.into_any(),
                Some("granted") => view! { <p class="small ok" data-testid="notify-state">{move_tr!("account-notify-on")}</p> }.into_any(),
                Some("denied") => view! { <p class="small" data-testid="notify-state">{move_tr!("account-notify-blocked")}</p> }.into_any(),
                Some(_) => view! {
                    <button class="btn" data-testid="notify-enable" on:click=ask>{move_tr!("account-notify-enable")}</button>
                }.into_any(),
            }}
        </div>
    }
}

/// The language of the app on this device (kept in the browser's local storage; by default the
/// browser's own).
#[component]
fn LanguageChoice() -> impl IntoView {
    let i18n = crate::i18n::i18n();
    let change = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        if let Some(lang) = crate::i18n::choices().into_iter().find(|l| l.id == id) {
            crate::i18n::choose(lang);
        }
    };
    view! {
        <div class="card settings" data-testid="language-card">
            <h2>{move_tr!("account-language-title")}</h2>
            <p class="muted small">{move_tr!("account-language-help")}</p>
            <select data-testid="language" aria-label=move_tr!("account-language-title") on:change=change>
                {crate::i18n::choices().into_iter().map(|l| view! {
                    <option value=l.id lang=l.id prop:selected=move || i18n.language.get().id == l.id>{l.name}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn Tokens() -> impl IntoView {
    let is_admin = use_session()
        .user
        .get_untracked()
        .is_some_and(|u| u.is_admin);
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        list_tokens()
    });
    let name = RwSignal::new(String::new());
    let scopes = RwSignal::new(vec!["console.read".to_string()]);
    let days = RwSignal::new("90".to_string());
    let password = RwSignal::new(String::new());
    let made = RwSignal::new(None::<String>);
    let create = Action::new_local(move |_: &()| {
        let (n, s, d, p) = (
            name.get_untracked(),
            scopes.get_untracked(),
            days.get_untracked(),
            password.get_untracked(),
        );
        async move { create_token(n, s, d.parse().ok(), p).await }
    });
    let revoke = Action::new_local(move |id: &uuid::Uuid| revoke_token(*id));
    let error = RwSignal::new(None::<String>);
    Effect::new(move |_| match create.value().get() {
        Some(Ok(t)) => {
            made.set(Some(t.token));
            name.set(String::new());
            password.set(String::new());
            error.set(None);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });
    Effect::new(move |_| {
        if let Some(r) = revoke.value().get() {
            if let Err(e) = r {
                error.set(Some(e.to_string()));
            }
            reload.update(|n| *n += 1);
        }
    });
    let mut options: Vec<(&'static str, Signal<String>)> = GRANTABLE
        .iter()
        .map(|&p| {
            (
                p.name(),
                Signal::derive(move || crate::labels::permission(p)),
            )
        })
        .collect();
    if is_admin {
        options.push(("admin", move_tr!("account-scope-admin")));
    }
    view! {
        <div class="card" data-testid="tokens">
                <h2 class="h2">{move_tr!("account-tokens-title")}</h2>
                <p class="muted small">{move_tr!("account-tokens-help-before")}" "<code>"Authorization: Bearer mcp_…"</code>{move_tr!("account-tokens-help-after")}" "
                    <a href="/api-reference" data-testid="api-reference-link">{move_tr!("account-api-reference")}</a></p>
                {move || made.get().map(|t| view! {
                    <div class="banner banner-ok" role="status" data-testid="new-token">
                        <p>{move_tr!("account-token-copy")}</p>
                        <code class="secret">{t}</code>
                    </div>
                })}
                <Suspense fallback=|| view! { <p class="muted small">{move_tr!("account-tokens-loading")}</p> }>
                    {move || list.get().map(|r| match r {
                        Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                        Ok(v) if v.is_empty() => view! { <p class="muted small">{move_tr!("account-tokens-none")}</p> }.into_any(),
                        Ok(v) => view! {
                            <ul class="member-list">
                                {v.into_iter().map(|t| {
                                    let id = t.id;
                                    view! {
                                        <li class="member" data-testid="token">
                                            <strong>{t.name}</strong>
                                            <code class="small">{format!("{}…", t.prefix)}</code>
                                            <span class="chips">{t.scopes.into_iter().map(|s| view! { <span class="chip"><code>{s}</code></span> }).collect_view()}</span>
                                            <span class="small muted">{match t.expires_at {
                                                Some(e) => tr!("account-token-expires", {"when" => crate::i18n::date_time(&e)}),
                                                None => tr!("account-token-never"),
                                            }}</span>
                                            <button class="btn btn-danger-outline btn-small" on:click=move |_| { revoke.dispatch(id); }>{move_tr!("account-token-revoke")}</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    })}
                </Suspense>
                <form class="settings" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); create.dispatch(()); }>
                    <label class="field">
                        <span class="field-label small">{move_tr!("account-token-name")}</span>
                        <input type="text" bind:value=name required data-testid="token-name" placeholder=move_tr!("account-token-name-placeholder")/>
                    </label>
                    <div class="perm-grid">
                        {options.into_iter().map(|(p, label)| view! {
                            <label class="check small" title=label>
                                <input type="checkbox" prop:checked=move || scopes.with(|c| c.iter().any(|x| x == p))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        scopes.update(|c| { c.retain(|x| x != p); if on { c.push(p.to_string()); } });
                                    }/>
                                <span><code>{p}</code>" "<span class="muted">{label}</span></span>
                            </label>
                        }).collect_view()}
                    </div>
                    <label class="field">
                        <span class="field-label small">{move_tr!("account-token-expiry")}</span>
                        <select on:change=move |ev| days.set(event_target_value(&ev))>
                            <option value="7">{move || tr!("account-token-in-days", {"count" => 7})}</option>
                            <option value="30">{move || tr!("account-token-in-days", {"count" => 30})}</option>
                            <option value="90" selected>{move || tr!("account-token-in-days", {"count" => 90})}</option>
                            <option value="365">{move_tr!("account-token-in-a-year")}</option>
                            <option value="never">{move_tr!("account-token-never-expires")}</option>
                        </select>
                    </label>
                    <label class="field">
                        <span class="field-label small">{move_tr!("account-your-password")}</span>
                        <input type="password" autocomplete="current-password" bind:value=password required data-testid="token-password"/>
                    </label>
                    {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
                    <button class="btn btn-primary" type="submit" data-testid="token-create" disabled=move || create.pending().get()>{move_tr!("account-token-create")}</button>
                </form>
        </div>
    }
}

/// The password form: a change signs out every other session.
#[component]
fn PasswordForm() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<String, String>>);
    let i18n = crate::i18n::i18n();
    let change = Action::new_local(move |_: &()| {
        let (c, n) = (current.get_untracked(), new.get_untracked());
        async move { change_password(c, n).await }
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok(done)) => {
            result.set(Some(Ok(tr!("account-password-changed", {
                "sessions" => done.sessions_signed_out,
                "tokens" => done.tokens_revoked,
            }))));
            current.set(String::new());
            new.set(String::new());
            confirm.set(String::new());
        }
        Some(Err(e)) => result.set(Some(Err(e.to_string()))),
        None => {}
    });
    view! {
        <form class="card settings" data-testid="password-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if new.get_untracked() != confirm.get_untracked() {
                result.set(Some(Err(tr!(i18n, "account-passwords-differ"))));
                return;
            }
            if let Some(e) = crate::pages::setup::password_problem(&new.get_untracked()) {
                result.set(Some(Err(e)));
                return;
            }
            change.dispatch(());
        }>
            <h2 class="h2">{move_tr!("account-password-title")}</h2>
            <label class="field"><span class="field-label small">{move_tr!("account-current-password")}</span>
                <input type="password" autocomplete="current-password" bind:value=current required/></label>
            <label class="field"><span class="field-label small">{move_tr!("account-new-password")}</span>
                <input type="password" autocomplete="new-password" bind:value=new required/></label>
            <label class="field"><span class="field-label small">{move_tr!("account-new-password-again")}</span>
                <input type="password" autocomplete="new-password" bind:value=confirm required/></label>
            {move || result.get().map(|r| match r {
                Ok(m) => view! { <p class="banner banner-ok" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="banner banner-error" role="alert">{m}</p> }.into_any(),
            })}
            <button class="btn btn-primary" type="submit" disabled=move || change.pending().get()>{move_tr!("account-change-password")}</button>
        </form>
    }
}

/// The browsers signed in as you; sign any of them out.
#[component]
fn SessionList() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        list_sessions()
    });
    let revoke = Action::new_local(move |id: &uuid::Uuid| revoke_session(*id));
    Effect::new(move |_| {
        if revoke.value().get().is_some() {
            reload.update(|n| *n += 1);
        }
    });
    view! {
        <div class="card" data-testid="sessions">
            <h2 class="h2">{move_tr!("account-sessions-title")}</h2>
            <Suspense fallback=|| view! { <p class="muted small">{move_tr!("account-sessions-loading")}</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                    Ok(v) => view! {
                        <ul class="member-list">
                            {v.into_iter().map(|s| {
                                let id = s.id;
                                view! {
                                    <li class="member">
                                        {match s.user_agent {
                                            Some(agent) => view! { <code class="small">{agent.chars().take(60).collect::<String>()}</code> }.into_any(),
                                            None => view! { <span class="small">{move_tr!("account-unknown-browser")}</span> }.into_any(),
                                        }}
                                        <span class="small muted">{tr!("account-session-line", {
                                            "ip" => s.ip.unwrap_or_default(),
                                            "when" => crate::i18n::date_time(&s.last_seen_at),
                                        })}</span>
                                        {if s.current {
                                            view! { <span class="chip">{move_tr!("account-this-browser")}</span> }.into_any()
                                        } else {
                                            view! { <button class="btn btn-danger-outline btn-small" on:click=move |_| { revoke.dispatch(id); }>{move_tr!("account-session-sign-out")}</button> }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </div>
    }
}

/// Two-factor sign-in: set up (secret, app link, first code, recovery codes) or turn off.
#[component]
fn TwoFactorCard() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let status = LocalResource::new(move || {
        reload.track();
        totp_status()
    });
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let setup = Action::new_local(move |_: &()| {
        let p = password.get_untracked();
        async move { totp_setup(p).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = setup.value().get() {
            password.set(String::new());
        }
    });
    let codes = RwSignal::new(None::<Vec<String>>);
    let error = RwSignal::new(None::<String>);
    let enable = Action::new_local(move |_: &()| {
        let c = code.get_untracked();
        async move { totp_enable(c).await }
    });
    let disable = Action::new_local(move |_: &()| {
        let (p, c) = (password.get_untracked(), code.get_untracked());
        async move { totp_disable(p, c).await }
    });
    Effect::new(move |_| match enable.value().get() {
        Some(Ok(v)) => {
            codes.set(Some(v));
            code.set(String::new());
            error.set(None);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });
    Effect::new(move |_| match disable.value().get() {
        Some(Ok(())) => {
            code.set(String::new());
            password.set(String::new());
            error.set(None);
            codes.set(None);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });
    view! {
        <div class="card" data-testid="two-factor">
            <h2 class="h2">{move_tr!("account-2fa-title")}</h2>
            {move || codes.get().map(|v| view! {
                <div class="banner banner-ok" role="status">
                    <p>{move_tr!("account-2fa-codes")}</p>
                    <code class="secret">{v.join("  ")}</code>
                </div>
            })}
            {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            <Suspense fallback=|| view! { <p class="muted small">{move_tr!("account-loading")}</p> }>
                {move || status.get().and_then(Result::ok).map(|s| if s.enabled {
                    view! {
                        <p class="small">{tr!("account-2fa-on", {"count" => s.recovery_codes_left})}</p>
                        <form class="quota-row" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); disable.dispatch(()); }>
                            <label class="field"><span class="field-label small">{move_tr!("account-2fa-password")}</span><input type="password" bind:value=password autocomplete="current-password"/></label>
                            <label class="field"><span class="field-label small">{move_tr!("account-2fa-code")}</span><input type="text" inputmode="numeric" bind:value=code autocomplete="one-time-code"/></label>
                            <button class="btn btn-danger-outline btn-small" type="submit">{move_tr!("account-2fa-turn-off")}</button>
                        </form>
                    }.into_any()
                } else {
                    view! {
                        <p class="muted small">{move_tr!("account-2fa-ask")}</p>
                        {move || match setup.value().get() {
                            Some(Ok(s)) => view! {
                                <p class="small">{move_tr!("account-2fa-add-before")}<a href=s.url.clone()>{move_tr!("account-2fa-open-app")}</a>{move_tr!("account-2fa-add-after")}</p>
                                <code class="secret" data-testid="totp-secret">{s.secret}</code>
                                <form class="quota-row" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); enable.dispatch(()); }>
                                    <label class="field"><span class="field-label small">{move_tr!("account-2fa-code")}</span><input type="text" inputmode="numeric" bind:value=code autocomplete="one-time-code" data-testid="totp-code"/></label>
                                    <button class="btn btn-primary btn-small" type="submit" data-testid="totp-enable">{move_tr!("account-2fa-turn-on")}</button>
                                </form>
                            }.into_any(),
                            other => view! {
                                {other.and_then(Result::err).map(|e| view! { <p class="banner banner-error" role="alert">{e.to_string()}</p> })}
                                <form class="quota-row" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); setup.dispatch(()); }>
                                    <label class="field"><span class="field-label small">{move_tr!("account-your-password")}</span>
                                        <input type="password" bind:value=password autocomplete="current-password" required data-testid="totp-password"/></label>
                                    <button class="btn btn-ghost" type="submit" data-testid="totp-setup" disabled=move || setup.pending().get()>{move_tr!("account-2fa-set-up")}</button>
                                </form>
                            }.into_any(),
                        }}
                    }.into_any()
                })}
            </Suspense>
        </div>
    }
}
