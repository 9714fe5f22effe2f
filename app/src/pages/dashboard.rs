//! The dashboard: the user's servers with their live status, pushed over `/api/events` (the
//! app's one status socket, [`EventsFeed`](crate::components::events::EventsFeed)).

use std::collections::HashMap;

use leptos::prelude::*;
use leptos_fluent::{move_tr, tr};
use uuid::Uuid;

use crate::components::events::use_events;
use crate::components::graphs::Graphs;
use crate::components::guard::{Protected, StatusBadge};
use crate::components::join::{Asleep, JoinAddress};
use crate::components::live_socket::Conn;
use crate::components::players::PlayerBadge;
use crate::components::session::use_session;
use crate::components::shell::Loading;
use api::servers::list_servers;
use protocol::Phase;
use protocol::live::{PlayerCount, ServerMsg, StatusUpdate};

/// The signed-in home page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <Protected>
            <ServerList/>
            <KeptWorlds/>
            <PanelGraphs/>
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
    let counts = RwSignal::new(HashMap::<Uuid, Option<PlayerCount>>::new());
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
        ServerMsg::Status(u) if u.status != Phase::Deleted && known(u.id) => {
            overlay.update(|m| {
                m.insert(u.id, u.clone());
            });
        }
        ServerMsg::Players(u) if known(u.id) => counts.update(|m| {
            m.insert(u.id, u.players);
        }),
        ServerMsg::Status(_) | ServerMsg::Throttled { .. } => {
            overlay.update(HashMap::clear);
            counts.update(HashMap::clear);
            reload.update(|n| *n += 1);
        }
        _ => {}
    });
    view! {
        <section class="section" data-testid="dashboard">
            <div class="section-head">
                <h1>{move_tr!("dashboard-title")}</h1>
                <a class="btn btn-primary" href="/servers/new" data-testid="new-server">{move_tr!("dashboard-new-server")}</a>
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
                            <h2>{move_tr!("dashboard-empty-title")}</h2>
                            <p class="muted">{move_tr!("dashboard-empty-text")}</p>
                        </div>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="server-grid">
                            {list.into_iter().map(|s| {
                                let href = format!("/servers/{}", s.id);
                                let (id, status, reason) = (s.id, s.status, s.status_reason.clone());
                                let status = Signal::derive(move || overlay.with(|m| m.get(&id).and_then(|u| u.status.state())).unwrap_or(status));
                                let reason = move || overlay.with(|m| m.get(&id).map(|u| u.reason.clone())).unwrap_or_else(|| reason.clone());
                                let listed = s.players;
                                let players = Signal::derive(move || counts.with(|m| m.get(&id).copied()).unwrap_or(listed));
                                view! {
                                    <li>
                                        <a class="server-card" href=href data-testid="server-card">
                                            <div class="server-card-head">
                                                <span class="server-name">{s.name.clone()}</span>
                                                <StatusBadge status/>
                                            </div>
                                            <div class="muted small">{format!("{} · {}", s.template, s.plan)}</div>
                                            <JoinAddress join=s.join.clone()/>
                                            <PlayerBadge count=players/>
                                            <Asleep wakes=s.wakes_on_join status/>
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

/// The worlds kept when their servers were deleted: how to get one back, and deleting one for
/// good (asked twice: its files are gone). Shown only when there are some.
#[component]
fn KeptWorlds() -> impl IntoView {
    use api::worlds::{world_delete, worlds_kept};
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        worlds_kept()
    });
    let confirm = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let delete = Action::new_local(move |name: &String| world_delete(name.clone()));
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            confirm.set(None);
            error.set(None);
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) => error.set(Some(e.to_string())),
        None => {}
    });
    view! {
        <Suspense fallback=|| ()>
            {move || list.get().and_then(Result::ok).filter(|v| !v.is_empty()).map(|v| view! {
                <section class="section" data-testid="kept-worlds">
                    <h2 class="h2">{move_tr!("dashboard-kept-title")}</h2>
                    <p class="muted small">{move_tr!("dashboard-kept-text")}</p>
                    {move || error.get().map(|e| view! { <p class="banner banner-error" role="alert">{e}</p> })}
                    <ul class="member-list">
                        {v.into_iter().map(|w| {
                            let name = w.object_name.clone();
                            let asked = name.clone();
                            view! {
                                <li class="member" data-testid="kept-world" data-name=w.server_name.clone()>
                                    <strong>{w.server_name.clone()}</strong>
                                    <span class="small muted">{tr!("dashboard-kept-line", {
                                        "disk" => crate::i18n::number(f64::from(w.disk_gib), 0),
                                        "when" => crate::i18n::date_time(&w.kept_at),
                                        "owner" => w.owner.clone(),
                                    })}</span>
                                    {w.expires_at.as_ref().map(|e| view! {
                                        <span class="small muted" data-testid="kept-world-expires">{tr!("dashboard-kept-expires", {"when" => crate::i18n::date_time(e)})}</span>
                                    })}
                                    {move || if confirm.get().as_deref() == Some(asked.as_str()) {
                                        let n = asked.clone();
                                        view! {
                                            <span class="button-row">
                                                <button class="btn btn-danger btn-small" data-testid="kept-world-delete-confirm"
                                                    disabled=move || delete.pending().get()
                                                    on:click=move |_| { delete.dispatch(n.clone()); }>{move_tr!("dashboard-delete-confirm")}</button>
                                                <button class="btn btn-ghost btn-small" on:click=move |_| confirm.set(None)>{move_tr!("dashboard-keep")}</button>
                                            </span>
                                        }.into_any()
                                    } else {
                                        let n = name.clone();
                                        view! {
                                            <button class="btn btn-danger-outline btn-small" data-testid="kept-world-delete"
                                                on:click=move |_| confirm.set(Some(n.clone()))>{move_tr!("dashboard-delete")}</button>
                                        }.into_any()
                                    }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            })}
        </Suspense>
    }
}

/// For administrators: every server's use, summed.
#[component]
fn PanelGraphs() -> impl IntoView {
    let session = use_session();
    let admin = move || {
        session
            .user
            .with(|u| u.as_ref().is_some_and(|u| u.is_admin))
    };
    view! {
        <Show when=admin>
            <section class="section">
                <div class="card"><Graphs server=None/></div>
            </section>
        </Show>
    }
}
