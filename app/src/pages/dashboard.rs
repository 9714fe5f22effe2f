//! The dashboard: the user's servers with their live status, pushed over `/api/events` (the
//! app's one status socket, [`EventsFeed`](crate::components::events::EventsFeed)).

use std::collections::HashMap;

use leptos::prelude::*;
use uuid::Uuid;

use crate::api::servers::list_servers;
use crate::components::events::use_events;
use crate::components::guard::{Protected, StatusBadge};
use crate::components::live_socket::Conn;
use crate::components::shell::Loading;
use crate::live::{ServerMsg, StatusUpdate};

/// The signed-in home page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Protected>
            <ServerList/>
        </Protected>
    }
}

#[component]
fn ServerList() -> impl IntoView {
    // The list loads once; pushed statuses overlay it. A server the list does not know (just
    // created elsewhere), a deletion, missed pushes or a reconnect reload it.
    let reload = RwSignal::new(0u64);
    let servers = LocalResource::new(move || {
        reload.get();
        list_servers()
    });
    let overlay = RwSignal::new(HashMap::<Uuid, StatusUpdate>::new());
    // the app's status feed (one socket, also behind the notices)
    let feed = use_events();
    let conn = feed.conn;
    let known = move |id: Uuid| {
        servers.with_untracked(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().ok())
                .is_some_and(|l| l.iter().any(|s| s.id == id))
        })
    };
    let was_down = StoredValue::new(false);
    Effect::new(move |_| match conn.get() {
        Conn::Open if was_down.get_value() => reload.update(|n| *n += 1),
        Conn::Reconnecting(_) => was_down.set_value(true),
        _ => {}
    });
    feed.subscribe(move |msg| match msg {
        ServerMsg::Status(u) if u.status != "deleted" && known(u.id) => {
            overlay.update(|m| {
                m.insert(u.id, u.clone());
            });
        }
        ServerMsg::Status(_) | ServerMsg::Throttled { .. } => {
            overlay.update(HashMap::clear);
            reload.update(|n| *n += 1);
        }
        _ => {}
    });
    view! {
        <section class="section" data-testid="dashboard">
            <div class="section-head">
                <h1>"Servers"</h1>
                <a class="btn btn-primary" href="/servers/new" data-testid="new-server">"New server"</a>
            </div>
            <Suspense fallback=|| view! { <Loading/> }>
                {move || servers.get().map(|r| match r {
                    Err(e) => view! { <p class="banner banner-error" role="alert">{e.to_string()}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <div class="empty-state">
                            <svg class="empty-icon" viewBox="0 0 48 48" aria-hidden="true">
                                <path d="M24 4 42 14v20L24 44 6 34V14z" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round"/>
                                <path d="M6 14l18 10 18-10M24 24v20" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linejoin="round"/>
                            </svg>
                            <h2>"No servers yet"</h2>
                            <p class="muted">"Create one: pick a template and a plan, and it starts on the cluster."</p>
                        </div>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="server-grid">
                            {list.into_iter().map(|s| {
                                let href = format!("/servers/{}", s.id);
                                let (id, status, reason) = (s.id, s.status.clone(), s.status_reason.clone());
                                let status = Signal::derive(move || overlay.with(|m| m.get(&id).map(|u| u.status.clone())).unwrap_or_else(|| status.clone()));
                                let reason = move || overlay.with(|m| m.get(&id).map(|u| u.reason.clone())).unwrap_or_else(|| reason.clone());
                                view! {
                                    <li>
                                        <a class="server-card" href=href data-testid="server-card">
                                            <div class="server-card-head">
                                                <span class="server-name">{s.name.clone()}</span>
                                                <StatusBadge status/>
                                            </div>
                                            <div class="muted small">{format!("{} · {}", s.template, s.plan)}</div>
                                            {move || reason().map(|r| view! { <div class="reason small">{r}</div> })}
                                        </a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
