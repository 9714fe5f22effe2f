//! The audit log page: who did what, when, on which server, how it ended; filtered by server
//! and action, 100 entries at a time. Administrators see everything, owners their servers.

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

use crate::components::guard::Protected;
use api::audit::audit_log;
use api::servers::list_servers;
use protocol::dto::AuditEntryDto;

/// The audit page.
#[component]
pub fn AuditPage() -> impl IntoView {
    view! { <Protected><Audit/></Protected> }
}

#[component]
fn Audit() -> impl IntoView {
    let query = use_query_map();
    let server = RwSignal::new(
        query
            .with_untracked(|q| q.get("server"))
            .and_then(|s| s.parse::<Uuid>().ok()),
    );
    let action = RwSignal::new(String::new());
    let applied = RwSignal::new(String::new());
    let entries = RwSignal::new(Vec::<AuditEntryDto>::new());
    let more = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let servers = LocalResource::new(list_servers);
    let load = Action::new_local(move |before: &Option<i64>| {
        let (s, a, b) = (server.get_untracked(), applied.get_untracked(), *before);
        async move {
            (
                b.is_some(),
                audit_log(s, (!a.is_empty()).then_some(a), b).await,
            )
        }
    });
    Effect::new(move |_| {
        server.track();
        applied.track();
        load.dispatch(None);
    });
    Effect::new(move |_| match load.value().get() {
        Some((append, Ok(v))) => {
            more.set(v.len() as i64 >= 100);
            error.set(None);
            if append {
                entries.update(|e| e.extend(v));
            } else {
                entries.set(v);
            }
        }
        Some((_, Err(e))) => error.set(Some(e.to_string())),
        None => {}
    });
    view! {
        <section class="section audit-page" data-testid="audit">
            <h1>{move_tr!("audit-title")}</h1>
            <form class="file-toolbar" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); applied.set(action.get_untracked().trim().to_string()); }>
                <select class="sort" aria-label=move_tr!("audit-server") on:change=move |ev| server.set(event_target_value(&ev).parse().ok())>
                    <option value="">{move_tr!("audit-all-servers")}</option>
                    {move || servers.get().and_then(Result::ok).map(|v| v.into_iter().map(|s| {
                        let id = s.id;
                        view! { <option value=id.to_string() selected=move || server.get() == Some(id)>{s.name}</option> }
                    }).collect_view())}
                </select>
                <input class="audit-filter" type="search" placeholder=move_tr!("audit-action-placeholder") bind:value=action aria-label=move_tr!("audit-action")/>
                <button class="btn btn-ghost btn-small" type="submit">{move_tr!("audit-filter")}</button>
            </form>
            {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
            <ul class="audit-list">
                {move || entries.get().into_iter().map(|e| {
                    let ok = e.outcome == "ok";
                    view! {
                        <li class="audit-entry" data-testid="audit-entry">
                            <span class="small muted" data-testid="audit-when">{crate::i18n::date_time(&e.at)}</span>
                            <span><strong>{e.actor.unwrap_or_else(|| tr!("audit-system"))}</strong>" "<code>{e.action}</code>
                                {e.server.map(|s| view! { <span class="muted">" "{tr!("audit-on-server", {"server" => s})}</span> })}</span>
                            {e.target.map(|t| view! { <span class="small audit-target">{t}</span> })}
                            <span class=if ok { "small ok" } else { "small error" }>{if ok { tr!("audit-ok") } else { e.outcome }}</span>
                            <span class="small muted">{e.ip.unwrap_or_default()}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || (entries.with(Vec::is_empty) && !load.pending().get()).then(|| view! { <p class="muted">{move_tr!("audit-empty")}</p> })}
            <Show when=move || more.get()>
                <button class="btn btn-ghost" disabled=move || load.pending().get()
                    on:click=move |_| { load.dispatch(entries.with_untracked(|e| e.last().map(|l| l.id))); }>{move_tr!("audit-older")}</button>
            </Show>
        </section>
    }
}
