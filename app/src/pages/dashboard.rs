//! The dashboard: the user's servers with their live status.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::servers::list_servers;
use crate::components::guard::{Protected, StatusBadge};
use crate::components::shell::Loading;

/// How often open pages refresh server status.
pub const REFRESH: Duration = Duration::from_secs(2);

/// A counter that ticks every [`REFRESH`] while the component lives.
pub fn ticker() -> ReadSignal<u64> {
    let (tick, set_tick) = signal(0u64);
    if let Ok(handle) = set_interval_with_handle(move || set_tick.update(|n| *n += 1), REFRESH) {
        on_cleanup(move || handle.clear());
    }
    tick
}

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
    let tick = ticker();
    let servers = LocalResource::new(move || {
        tick.get();
        list_servers()
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
                                let status = s.status.clone();
                                view! {
                                    <li>
                                        <a class="server-card" href=href data-testid="server-card">
                                            <div class="server-card-head">
                                                <span class="server-name">{s.name.clone()}</span>
                                                <StatusBadge status=Signal::derive(move || status.clone())/>
                                            </div>
                                            <div class="muted small">{format!("{} · {}", s.template, s.plan)}</div>
                                            {s.status_reason.clone().map(|r| view! { <div class="reason small">{r}</div> })}
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
