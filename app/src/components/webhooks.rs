//! Webhooks: a server's (on its page, with the `settings` right) or the panel's (the Users
//! page, administrators): each with its address, events and on/off switch, "send a test", its
//! delivery log (how each went, when the next try is), and a form to add one. The signing
//! secret is shown once, when the webhook is made.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
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
            <h2 class="h2">{move || if server.is_some() { tr!("webhooks-title") } else { tr!("webhooks-panel-title") }}</h2>
            <p class="muted small">{move || if server.is_some() {
                tr!("webhooks-intro")
            } else {
                tr!("webhooks-panel-intro")
            }}</p>
            {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            {move || secret.get().map(|s| view! {
                <div class="banner banner-ok" role="status" data-testid="webhook-secret">
                    <p>{move_tr!("webhooks-secret-before")}<code>"X-Panel-Signature"</code>{move_tr!("webhooks-secret-after")}</p>
                    <code class="secret">{s}</code>
                </div>
            })}
            <Suspense fallback=|| view! { <p class="muted small">{move_tr!("webhooks-loading")}</p> }>
                {move || hooks.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                    Ok(v) if v.is_empty() => view! { <p class="muted small">{move_tr!("webhooks-empty")}</p> }.into_any(),
                    Ok(v) => view! {
                        <ul class="webhook-list">
                            {v.into_iter().map(|h| view! { <Hook hook=h refresh error/> }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
            <form class="webhook-form" on:submit=submit data-testid="webhook-form">
                <h3 class="h3">{move_tr!("webhooks-add-title")}</h3>
                <label class="field"><span class="field-label small">{move_tr!("webhooks-name")}</span>
                    <input bind:value=name maxlength="64" placeholder=move_tr!("webhooks-name-placeholder") data-testid="webhook-name"/></label>
                <label class="field"><span class="field-label small">{move_tr!("webhooks-address")}</span>
                    <input type="url" bind:value=url placeholder="https://discord.com/api/webhooks/…" data-testid="webhook-url"/></label>
                <label class="check"><input type="checkbox" bind:checked=discord/>" "{move_tr!("webhooks-discord")}</label>
                <fieldset class="webhook-events">
                    <legend class="field-label small">{move_tr!("webhooks-events")}</legend>
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
                            " "{move || crate::labels::webhook_event(e)}
                        </label>
                    }).collect_view()}
                </fieldset>
                <button class="btn btn-primary btn-small" type="submit" disabled=move || add.pending().get()>
                    {move || if add.pending().get() { tr!("webhooks-adding") } else { tr!("webhooks-add") }}
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
    let kind = hook.format;
    let format = move || match kind {
        WebhookFormat::Discord => "Discord".to_string(),
        WebhookFormat::Json => tr!("webhooks-format-json"),
    };
    let events = hook.events.clone();
    view! {
        <li class="webhook" data-testid="webhook" data-name=hook.name.clone()>
            <div class="server-head">
                <strong>{hook.name.clone()}</strong>
                <span class="chip">{format}</span>
                {(!active).then(|| view! { <span class="chip">{move_tr!("webhooks-off")}</span> })}
            </div>
            <p class="muted small webhook-url" title=hook.url.clone()>{host}</p>
            <p class="small">{move || events.iter().map(|e| crate::labels::webhook_event(*e)).collect::<Vec<_>>().join(" · ")}</p>
            <div class="button-row">
                <button class="btn btn-ghost btn-small" data-testid="webhook-test"
                    on:click=move |_| { test.dispatch(()); }>{move_tr!("webhooks-test")}</button>
                <button class="btn btn-ghost btn-small" data-testid="webhook-log"
                    on:click=move |_| show_log.update(|s| *s = !*s)>
                    {move || if show_log.get() { tr!("webhooks-hide-deliveries") } else { tr!("webhooks-deliveries") }}</button>
                <button class="btn btn-ghost btn-small" on:click=move |_| { toggle.dispatch(!active); }>
                    {move || if active { tr!("webhooks-turn-off") } else { tr!("webhooks-turn-on") }}</button>
                <button class="btn btn-danger-outline btn-small" on:click=move |_| { remove.dispatch(()); }>{move_tr!("webhooks-delete")}</button>
            </div>
            <Show when=move || show_log.get()>
                <div class="webhook-log" data-testid="webhook-deliveries">
                    <button class="btn btn-ghost btn-small" on:click=move |_| log.refetch()>{move_tr!("webhooks-refresh")}</button>
                    {move || log.get().flatten().map(|r| match r {
                        Err(e) => view! { <p class="banner banner-error">{e.to_string()}</p> }.into_any(),
                        Ok(v) if v.is_empty() => view! { <p class="muted small">{move_tr!("webhooks-nothing-sent")}</p> }.into_any(),
                        Ok(v) => view! {
                            <ul class="backup-list">
                                {v.into_iter().map(|d| {
                                    // the state's word, and its name for the tests
                                    let (class, word, state) = match d.state {
                                        DeliveryState::Delivered => ("chip chip-ok", tr!("webhooks-state-delivered"), "delivered"),
                                        DeliveryState::Pending => ("chip", tr!("webhooks-state-pending"), "to try again"),
                                        DeliveryState::Failed => ("chip chip-error", tr!("webhooks-state-failed"), "failed"),
                                    };
                                    let detail = match (d.last_status, &d.last_error) {
                                        (_, Some(e)) => e.clone(),
                                        (Some(s), None) => tr!("webhooks-answered", {"status" => s}),
                                        _ => String::new(),
                                    };
                                    view! {
                                        <li class="backup" data-testid="delivery" data-state=state>
                                            <span class=class>{word}</span>" "
                                            <strong>{crate::labels::webhook_event(d.event)}</strong>" "
                                            <span class="muted small">{format!(
                                                "{} · {} · {detail}",
                                                crate::i18n::date_time(&d.created_at),
                                                tr!("webhooks-attempts", {"count" => d.attempts}),
                                            )}</span>
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
