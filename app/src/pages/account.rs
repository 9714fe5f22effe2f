//! The account page: the password (a change signs out other browsers and revokes API tokens),
//! the sessions (sign any out), and API tokens for scripts (create with a scope, an expiry and
//! the password, see the secret once, revoke).

use leptos::prelude::*;

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
                <h1>"Account"</h1>
                <p><a href="/audit" data-testid="account-audit">"Activity log of your servers →"</a></p>
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
            <h2>"Notifications"</h2>
            <p class="muted small">
                "While the panel is open, it tells you when one of your servers finishes starting, crashes or cannot run. "
                "On this device it can also show a system notification when the panel is in the background."
            </p>
            {move || match state.get().as_deref() {
                None => view! { <p class="small" data-testid="notify-state">"This browser shows no notifications."</p> }.into_any(),
                Some("granted") => view! { <p class="small ok" data-testid="notify-state">"On for this device."</p> }.into_any(),
                Some("denied") => view! { <p class="small" data-testid="notify-state">"Blocked for this site: allow them in the browser's site settings."</p> }.into_any(),
                Some(_) => view! {
                    <button class="btn" data-testid="notify-enable" on:click=ask>"Notify me on this device"</button>
                }.into_any(),
            }}
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
    let mut options: Vec<(&'static str, &'static str)> =
        GRANTABLE.iter().map(|p| (p.name(), p.label())).collect();
    if is_admin {
        options.push(("admin", "Administration (templates, every server)"));
    }
    view! {
        <div class="card" data-testid="tokens">
                <h2 class="h2">"API tokens"</h2>
                <p class="muted small">"Scripts call the JSON API with "<code>"Authorization: Bearer mcp_…"</code>". A token acts as you, limited to the rights you give it; it is shown once. "
                    <a href="/api-reference" data-testid="api-reference-link">"The API reference →"</a></p>
                {move || made.get().map(|t| view! {
                    <div class="banner banner-ok" role="status" data-testid="new-token">
                        <p>"Copy this token now; it will not be shown again:"</p>
                        <code class="secret">{t}</code>
                    </div>
                })}
                <Suspense fallback=|| view! { <p class="muted small">"Loading tokens…"</p> }>
                    {move || list.get().map(|r| match r {
                        Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                        Ok(v) if v.is_empty() => view! { <p class="muted small">"No tokens yet."</p> }.into_any(),
                        Ok(v) => view! {
                            <ul class="member-list">
                                {v.into_iter().map(|t| {
                                    let id = t.id;
                                    view! {
                                        <li class="member" data-testid="token">
                                            <strong>{t.name}</strong>
                                            <code class="small">{format!("{}…", t.prefix)}</code>
                                            <span class="chips">{t.scopes.into_iter().map(|s| view! { <span class="chip">{s}</span> }).collect_view()}</span>
                                            <span class="small muted">{t.expires_at.map(|e| format!("expires {}", &e[..10])).unwrap_or_else(|| "never expires".into())}</span>
                                            <button class="btn btn-danger-outline btn-small" on:click=move |_| { revoke.dispatch(id); }>"Revoke"</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    })}
                </Suspense>
                <form class="settings" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); create.dispatch(()); }>
                    <label class="field">
                        <span class="field-label small">"Name"</span>
                        <input type="text" bind:value=name required data-testid="token-name" placeholder="backup script"/>
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
                        <span class="field-label small">"Expires"</span>
                        <select on:change=move |ev| days.set(event_target_value(&ev))>
                            <option value="7">"in 7 days"</option>
                            <option value="30">"in 30 days"</option>
                            <option value="90" selected>"in 90 days"</option>
                            <option value="365">"in a year"</option>
                            <option value="never">"never"</option>
                        </select>
                    </label>
                    <label class="field">
                        <span class="field-label small">"Your password"</span>
                        <input type="password" autocomplete="current-password" bind:value=password required data-testid="token-password"/>
                    </label>
                    {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
                    <button class="btn btn-primary" type="submit" data-testid="token-create" disabled=move || create.pending().get()>"Create token"</button>
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
    let change = Action::new_local(move |_: &()| {
        let (c, n) = (current.get_untracked(), new.get_untracked());
        async move { change_password(c, n).await }
    });
    Effect::new(move |_| match change.value().get() {
        Some(Ok(done)) => {
            result.set(Some(Ok(format!(
                "Password changed; {} other session(s) signed out, {} API token(s) revoked.",
                done.sessions_signed_out, done.tokens_revoked
            ))));
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
                result.set(Some(Err("The new passwords do not match.".into())));
                return;
            }
            if let Err(e) = protocol::validate::new_password(&new.get_untracked()) {
                result.set(Some(Err(e)));
                return;
            }
            change.dispatch(());
        }>
            <h2 class="h2">"Password"</h2>
            <label class="field"><span class="field-label small">"Current password"</span>
                <input type="password" autocomplete="current-password" bind:value=current required/></label>
            <label class="field"><span class="field-label small">"New password"</span>
                <input type="password" autocomplete="new-password" bind:value=new required/></label>
            <label class="field"><span class="field-label small">"New password again"</span>
                <input type="password" autocomplete="new-password" bind:value=confirm required/></label>
            {move || result.get().map(|r| match r {
                Ok(m) => view! { <p class="banner banner-ok" role="status">{m}</p> }.into_any(),
                Err(m) => view! { <p class="banner banner-error" role="alert">{m}</p> }.into_any(),
            })}
            <button class="btn btn-primary" type="submit" disabled=move || change.pending().get()>"Change password"</button>
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
            <h2 class="h2">"Sessions"</h2>
            <Suspense fallback=|| view! { <p class="muted small">"Loading sessions…"</p> }>
                {move || list.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                    Ok(v) => view! {
                        <ul class="member-list">
                            {v.into_iter().map(|s| {
                                let id = s.id;
                                view! {
                                    <li class="member">
                                        <span class="small">{s.user_agent.unwrap_or_else(|| "Unknown browser".into()).chars().take(60).collect::<String>()}</span>
                                        <span class="small muted">{format!("{} · last used {}", s.ip.unwrap_or_default(), s.last_seen_at.get(..16).unwrap_or_default().replace('T', " "))}</span>
                                        {if s.current {
                                            view! { <span class="chip">"this browser"</span> }.into_any()
                                        } else {
                                            view! { <button class="btn btn-danger-outline btn-small" on:click=move |_| { revoke.dispatch(id); }>"Sign out"</button> }.into_any()
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
            <h2 class="h2">"Two-factor sign-in"</h2>
            {move || codes.get().map(|v| view! {
                <div class="banner banner-ok" role="status">
                    <p>"Two-factor sign-in is on. Keep these recovery codes somewhere safe; each works once if you lose your phone:"</p>
                    <code class="secret">{v.join("  ")}</code>
                </div>
            })}
            {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            <Suspense fallback=|| view! { <p class="muted small">"Loading…"</p> }>
                {move || status.get().and_then(Result::ok).map(|s| if s.enabled {
                    view! {
                        <p class="small">{format!("On. {} recovery codes left.", s.recovery_codes_left)}</p>
                        <form class="quota-row" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); disable.dispatch(()); }>
                            <label class="field"><span class="field-label small">"Password"</span><input type="password" bind:value=password autocomplete="current-password"/></label>
                            <label class="field"><span class="field-label small">"Code"</span><input type="text" inputmode="numeric" bind:value=code autocomplete="one-time-code"/></label>
                            <button class="btn btn-danger-outline btn-small" type="submit">"Turn off"</button>
                        </form>
                    }.into_any()
                } else {
                    view! {
                        <p class="muted small">"Ask for a code from an authenticator app at every sign-in."</p>
                        {move || match setup.value().get() {
                            Some(Ok(s)) => view! {
                                <p class="small">"Add this secret to your authenticator app ("<a href=s.url.clone()>"open it in the app"</a>"), then type the code it shows:"</p>
                                <code class="secret" data-testid="totp-secret">{s.secret}</code>
                                <form class="quota-row" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); enable.dispatch(()); }>
                                    <label class="field"><span class="field-label small">"Code"</span><input type="text" inputmode="numeric" bind:value=code autocomplete="one-time-code" data-testid="totp-code"/></label>
                                    <button class="btn btn-primary btn-small" type="submit" data-testid="totp-enable">"Turn on"</button>
                                </form>
                            }.into_any(),
                            other => view! {
                                {other.and_then(Result::err).map(|e| view! { <p class="banner banner-error" role="alert">{e.to_string()}</p> })}
                                <form class="quota-row" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); setup.dispatch(()); }>
                                    <label class="field"><span class="field-label small">"Your password"</span>
                                        <input type="password" bind:value=password autocomplete="current-password" required data-testid="totp-password"/></label>
                                    <button class="btn btn-ghost" type="submit" data-testid="totp-setup" disabled=move || setup.pending().get()>"Set up"</button>
                                </form>
                            }.into_any(),
                        }}
                    }.into_any()
                })}
            </Suspense>
        </div>
    }
}
