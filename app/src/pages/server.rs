//! A server's page: live status, power buttons, delete.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::api::servers::{delete_server, get_server, power_server};
use crate::components::guard::{Protected, StatusBadge};
use crate::components::shell::Loading;
use crate::dto::{PowerAction, ServerDto};
use crate::pages::dashboard::ticker;

/// The server page.
#[component]
pub fn ServerPage() -> impl IntoView {
    view! { <Protected><ServerView/></Protected> }
}

#[component]
fn ServerView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|s| s.parse::<Uuid>().ok()));
    let tick = ticker();
    let server = LocalResource::new(move || {
        tick.get();
        let id = id();
        async move {
            match id {
                Some(id) => get_server(id).await,
                None => Err(crate::AppError::not_found("No such server.")),
            }
        }
    });
    view! {
        <section class="section narrow">
            <a class="back" href="/">"← Servers"</a>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || server.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(s) => view! { <Details server=s/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Details(server: ServerDto) -> impl IntoView {
    let navigate = use_navigate();
    let id = server.id;
    let status = server.status.clone();
    let stopped = server.desired == "stopped";
    let power = Action::new_local(move |a: &PowerAction| power_server(id, *a));
    let remove = Action::new_local(move |keep: &bool| delete_server(id, *keep));
    let confirm_delete = RwSignal::new(false);
    let keep_world = RwSignal::new(true);
    Effect::new(move |_| {
        if let Some(Ok(())) = remove.value().get() {
            navigate("/", Default::default());
        }
    });
    let error = move || match (power.value().get(), remove.value().get()) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => Some(e.to_string()),
        _ => None,
    };
    let busy = move || power.pending().get() || remove.pending().get();
    let button =
        move |label: &'static str, action: PowerAction, class: &'static str, enabled: bool| {
            view! {
                <button class=format!("btn {class}") data-testid=format!("power-{label}")
                    disabled=move || busy() || !enabled
                    on:click=move |_| { power.dispatch(action); }>
                    {label}
                </button>
            }
        };
    view! {
        <div class="card" data-testid="server">
            <div class="server-head">
                <h1 class="server-title">{server.name.clone()}</h1>
                <StatusBadge status=Signal::derive(move || status.clone())/>
            </div>
            {server.status_reason.clone().map(|r| view! { <p class="reason">{r}</p> })}
            <p class="muted">{format!("{} · {} · wanted {}", server.template, server.plan, server.desired)}</p>
            <div class="power-bar">
                {button("start", PowerAction::Start, "btn-primary", stopped)}
                {button("stop", PowerAction::Stop, "btn-ghost", !stopped)}
                {button("restart", PowerAction::Restart, "btn-ghost", !stopped)}
                {button("kill", PowerAction::Kill, "btn-danger", true)}
            </div>
            {move || error().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            <dl class="vars">
                {server.variables.iter().map(|(k, v)| view! { <dt>{k.clone()}</dt><dd>{v.clone()}</dd> }).collect_view()}
            </dl>
            <div class="danger-zone">
                <Show when=move || confirm_delete.get() fallback=move || view! {
                    <button class="btn btn-danger-outline" on:click=move |_| confirm_delete.set(true)>"Delete server…"</button>
                }>
                    <p><strong>"Delete this server?"</strong></p>
                    <label class="check">
                        <input type="checkbox" prop:checked=move || keep_world.get() on:change=move |ev| keep_world.set(event_target_checked(&ev))/>
                        " Keep the world (its volume) for a later server with the same name"
                    </label>
                    <div class="power-bar">
                        <button class="btn btn-danger" data-testid="confirm-delete" disabled=busy
                            on:click=move |_| { remove.dispatch(keep_world.get_untracked()); }>"Delete"</button>
                        <button class="btn btn-ghost" on:click=move |_| confirm_delete.set(false)>"Cancel"</button>
                    </div>
                </Show>
            </div>
        </div>
    }
}
