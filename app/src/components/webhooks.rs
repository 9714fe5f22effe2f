//! Webhooks: a server's (on its page, with the `settings` right) or the panel's (the Users
//! page, administrators): each with its address, events and on/off switch, "send a test", its
//! delivery log (how each went, when the next try is), and a form to add one. The signing
//! secret is shown once, when the webhook is made.

use leptos::prelude::*;
use uuid::Uuid;

use api::webhooks::{
    create_panel_webhook, create_webhook, delete_webhook, list_panel_webhooks, list_webhooks,
    test_webhook, update_webhook, webhook_deliveries,
};
use protocol::AppError;
use protocol::webhooks::{
    DeliveryState, NewWebhookDto, WebhookChangesDto, WebhookDto, WebhookEvent, WebhookFormat,
};

async fn list(server: Option<Uuid>) -> Result<Vec<WebhookDto>, AppError> {
    match server {
        Some(id) => list_webhooks(id).await,
        None => list_panel_webhooks().await,
    }
}

/// The webhooks of `server` (None: the panel's own).
#[component]
pub fn Webhooks(server: Option<Uuid>) -> impl IntoView {
    let hooks = LocalResource::new(move || list(server));
    let error = RwSignal::new(None::<String>);
    let secret = RwSignal::new(None::<String>);
    let name = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let discord = RwSignal::new(true);
    let chosen = RwSignal::new(vec![
        WebhookEvent::ServerStarted,
        WebhookEvent::ServerStopped,
        WebhookEvent::ServerCrashed,
    ]);
    let add = Action::new_local(
        move |(n, u, f, e): &(String, String, WebhookFormat, Vec<WebhookEvent>)| {
            let (n, u, f, e) = (n.clone(), u.clone(), *f, e.clone());
            async move {
                match server {
                    Some(id) => create_webhook(id, n, u, f, e).await,
                    None => create_panel_webhook(n, u, f, e).await,
                }
            }
        },
    );
    Effect::new(move |_| match add.value().get() {
        Some(Ok(NewWebhookDto { secret: s, .. })) => {
            secret.set(Some(s));
            error.set(None);
            name.set(String::new());
            url.set(String::new());
            hooks.refetch();
        }
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let format = if discord.get_untracked() {
            WebhookFormat::Discord
        } else {
            WebhookFormat::Json
        };
        add.dispatch((
            name.get_untracked(),
            url.get_untracked(),
            format,
            chosen.get_untracked(),
        ));
    };
    let refresh = Callback::new(move |()| hooks.refetch());
    view! {
        <div class="webhooks" data-testid="webhooks">
            <h2 class="h2">{if server.is_some() { "Webhooks" } else { "The panel's webhooks" }}</h2>
            <p class="muted small">{if server.is_some() {
                "Tell Discord or any service when this server starts, stops, crashes, backs up or a player joins."
            } else {
                "Told of every server. A server's owner adds its own on its page."
            }}</p>
            {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            {move || secret.get().map(|s| view! {
                <div class="banner banner-ok" role="status" data-testid="webhook-secret">
                    <p>"JSON deliveries are signed with this secret (the "<code>"X-Panel-Signature"</code>" header); copy it now, it is not shown again:"</p>
                    <code class="secret">{s}</code>
                </div>
            })}
            <Suspense fallback=|| view! { <p class="muted small">"Loading webhooks…"</p> }>
                {move || hooks.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                    Ok(v) if v.is_empty() => view! { <p class="muted small">"No webhooks yet."</p> }.into_any(),
                    Ok(v) => view! {
                        <ul class="webhook-list">
                            {v.into_iter().map(|h| view! { <Hook hook=h refresh error/> }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
            <form class="webhook-form" on:submit=submit data-testid="webhook-form">
                <h3 class="h3">"Add a webhook"</h3>
                <label class="field"><span class="field-label small">"Name"</span>
                    <input bind:value=name maxlength="64" placeholder="Discord #status" data-testid="webhook-name"/></label>
                <label class="field"><span class="field-label small">"Address"</span>
                    <input type="url" bind:value=url placeholder="https://discord.com/api/webhooks/…" data-testid="webhook-url"/></label>
                <label class="check"><input type="checkbox" bind:checked=discord/>" A Discord channel's webhook (otherwise signed JSON)"</label>
                <fieldset class="webhook-events">
                    <legend class="field-label small">"Tell it when"</legend>
                    {WebhookEvent::CHOSEN.into_iter().map(|e| view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&e))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| {
                                        c.retain(|x| *x != e);
                                        if on { c.push(e); }
                                    });
                                }/>
                            " "{e.label()}
                        </label>
                    }).collect_view()}
                </fieldset>
                <button class="btn btn-primary btn-small" type="submit" disabled=move || add.pending().get()>
                    {move || if add.pending().get() { "Adding…" } else { "Add webhook" }}
                </button>
            </form>
        </div>
    }
}

/// One webhook: its switch, test, log and delete.
#[component]
fn Hook(hook: WebhookDto, refresh: Callback<()>, error: RwSignal<Option<String>>) -> impl IntoView {
    let id = hook.id;
    let active = hook.active;
    let show_log = RwSignal::new(false);
    let log = LocalResource::new(move || async move {
        if show_log.get() {
            Some(webhook_deliveries(id).await)
        } else {
            None
        }
    });
    let done = move |r: Result<(), AppError>| match r {
        Ok(()) => {
            error.set(None);
            refresh.run(());
        }
        Err(e) => error.set(Some(e.to_string())),
    };
    let toggle = Action::new_local(move |on: &bool| {
        let changes = WebhookChangesDto {
            active: Some(*on),
            ..Default::default()
        };
        async move { update_webhook(id, changes).await.map(|_| ()) }
    });
    let test = Action::new_local(move |_: &()| test_webhook(id));
    let remove = Action::new_local(move |_: &()| delete_webhook(id));
    Effect::new(move |_| {
        if let Some(r) = toggle.value().get() {
            done(r);
        }
    });
    Effect::new(move |_| {
        if let Some(r) = remove.value().get() {
            done(r);
        }
    });
    Effect::new(move |_| match test.value().get() {
        Some(Ok(())) => {
            show_log.set(true);
            log.refetch();
        }
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });
    let host = hook
        .url
        .split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_default()
        .to_string();
    let format = match hook.format {
        WebhookFormat::Discord => "Discord",
        WebhookFormat::Json => "signed JSON",
    };
    view! {
        <li class="webhook" data-testid="webhook" data-name=hook.name.clone()>
            <div class="server-head">
                <strong>{hook.name.clone()}</strong>
                <span class="chip">{format}</span>
                {(!active).then(|| view! { <span class="chip">"off"</span> })}
            </div>
            <p class="muted small webhook-url" title=hook.url.clone()>{host}</p>
            <p class="small">{hook.events.iter().map(|e| e.label()).collect::<Vec<_>>().join(" · ")}</p>
            <div class="button-row">
                <button class="btn btn-ghost btn-small" data-testid="webhook-test"
                    on:click=move |_| { test.dispatch(()); }>"Send a test"</button>
                <button class="btn btn-ghost btn-small" data-testid="webhook-log"
                    on:click=move |_| show_log.update(|s| *s = !*s)>
                    {move || if show_log.get() { "Hide deliveries" } else { "Deliveries" }}</button>
                <button class="btn btn-ghost btn-small" on:click=move |_| { toggle.dispatch(!active); }>
                    {if active { "Turn off" } else { "Turn on" }}</button>
                <button class="btn btn-danger-outline btn-small" on:click=move |_| { remove.dispatch(()); }>"Delete"</button>
            </div>
            <Show when=move || show_log.get()>
                <div class="webhook-log" data-testid="webhook-deliveries">
                    <button class="btn btn-ghost btn-small" on:click=move |_| log.refetch()>"Refresh"</button>
                    {move || log.get().flatten().map(|r| match r {
                        Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                        Ok(v) if v.is_empty() => view! { <p class="muted small">"Nothing sent yet."</p> }.into_any(),
                        Ok(v) => view! {
                            <ul class="backup-list">
                                {v.into_iter().map(|d| {
                                    let (class, word) = match d.state {
                                        DeliveryState::Delivered => ("chip chip-ok", "delivered"),
                                        DeliveryState::Pending => ("chip", "to try again"),
                                        DeliveryState::Failed => ("chip chip-error", "failed"),
                                    };
                                    let detail = match (d.last_status, &d.last_error) {
                                        (_, Some(e)) => e.clone(),
                                        (Some(s), None) => format!("answered {s}"),
                                        _ => String::new(),
                                    };
                                    view! {
                                        <li class="backup" data-testid="delivery" data-state=word>
                                            <span class=class>{word}</span>" "
                                            <strong>{d.event.label()}</strong>" "
                                            <span class="muted small">{format!("{} · {} {} · {detail}", short_time(&d.created_at), d.attempts, if d.attempts == 1 { "try" } else { "tries" })}</span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    })}
                </div>
            </Show>
        </li>
    }
}

/// `2026-12-06T20:00:00+00:00` as `2026-12-06 20:00`.
fn short_time(rfc3339: &str) -> String {
    rfc3339.get(..16).unwrap_or(rfc3339).replace('T', " ")
}
