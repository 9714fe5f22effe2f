//! Notices of servers that finish starting, crash or fail, on every signed-in page: a toast in
//! the page (not on that server's own pages, which show its state), and a system notification (shown by the service worker, so it also works when the
//! panel is installed on a phone) when the panel is in the background and the person allowed
//! notifications on this device (the Account page asks). Nothing is pushed while the panel is
//! closed: that would need Web Push and a push service.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_fluent::{move_tr, tr};
use uuid::Uuid;

use super::events::use_events;
use super::live_socket::LiveSocket;
use super::session::use_session;
use api::servers::{get_server, list_servers};
use protocol::ServerState;
use protocol::live::{EVENTS_PATH, Notice, ServerMsg, StatusUpdate, notice};

/// How long a toast stays, in milliseconds.
const TOAST_MS: u64 = 8000;

#[derive(Debug, Clone, PartialEq)]
struct Toast {
    key: u64,
    server: Uuid,
    kind: Notice,
    text: String,
}

/// Watches the signed-in person's servers and tells them about starts, crashes and failures.
#[component]
pub fn Notifier() -> impl IntoView {
    let session = use_session();
    view! {
        <Show when=move || session.user.with(Option::is_some)>
            <Watcher/>
        </Show>
    }
}

#[component]
fn Watcher() -> impl IntoView {
    let toasts = RwSignal::new(Vec::<Toast>::new());
    // each server's name and last known state (the baseline: the list when the page opened)
    let known = StoredValue::new(HashMap::<Uuid, (String, ServerState)>::new());
    spawn_local(async move {
        if let Ok(list) = list_servers().await {
            known.update_value(|m| {
                for s in list {
                    m.entry(s.id).or_insert((s.name, s.status));
                }
            });
        }
    });
    let next = StoredValue::new(0u64);
    let location = leptos_router::hooks::use_location();
    let i18n = crate::i18n::i18n();
    let on_status = move |u: StatusUpdate| {
        spawn_local(async move {
            let Some(after) = u.status.state() else {
                // deleted: nothing to tell
                known.update_value(|m| {
                    m.remove(&u.id);
                });
                return;
            };
            let before = known.with_value(|m| m.get(&u.id).cloned());
            let (name, before) = match before {
                Some((name, status)) => (name, Some(status)),
                // created since the page opened
                None => match get_server(u.id).await {
                    Ok(s) => (s.name, None),
                    Err(_) => return,
                },
            };
            known.update_value(|m| {
                m.insert(u.id, (name.clone(), after));
            });
            let Some(kind) = notice(before, after) else {
                return;
            };
            let text = match (kind, u.reason.clone()) {
                (Notice::Started, _) => tr!(i18n, "notifier-started", {"name" => name}),
                (Notice::Crashed, Some(r)) => {
                    tr!(i18n, "notifier-crashed-because", {"name" => name, "reason" => r})
                }
                (Notice::Crashed, None) => tr!(i18n, "notifier-crashed", {"name" => name}),
                (Notice::Failed, Some(r)) => {
                    tr!(i18n, "notifier-failed-because", {"name" => name, "reason" => r})
                }
                (Notice::Failed, None) => tr!(i18n, "notifier-failed", {"name" => name}),
            };
            system_notification(&tr!(i18n, "notifier-title"), &text, u.id);
            // on the server's own pages its state is in sight already
            let here = location.pathname.get_untracked();
            if here.starts_with(&format!("/servers/{}", u.id)) {
                return;
            }
            let key = next.get_value();
            next.set_value(key + 1);
            toasts.update(|t| {
                t.push(Toast {
                    key,
                    server: u.id,
                    kind,
                    text,
                });
                // a burst (many servers at once) keeps the last few
                if t.len() > 4 {
                    t.remove(0);
                }
            });
            set_timeout(
                move || toasts.update(|t| t.retain(|x| x.key != key)),
                std::time::Duration::from_millis(TOAST_MS),
            );
        });
    };
    // the app's one status socket: notices here, and every subscriber (the dashboard)
    let feed = use_events();
    let _socket = LiveSocket::open(EVENTS_PATH.into(), feed.conn, move |msg| {
        feed.publish(&msg);
        if let ServerMsg::Status(u) = msg {
            on_status(u);
        }
    });
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || toasts.get() key=|t| t.key let:t>
                <div class=format!("toast toast-{}", if t.kind == Notice::Started { "ok" } else { "bad" }) data-testid="toast">
                    <a href=format!("/servers/{}", t.server)>{t.text.clone()}</a>
                    <button class="btn btn-ghost btn-small" aria-label=move_tr!("notifier-dismiss")
                        on:click=move |_| toasts.update(|x| x.retain(|y| y.key != t.key))>"×"</button>
                </div>
            </For>
        </div>
    }
}

/// Whether this device lets the panel show system notifications (`granted`, `denied` or
/// `default`: not asked yet), or None where there are none.
pub fn permission() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let w = web_sys::window()?;
        if !js_sys::Reflect::has(&w, &"Notification".into()).unwrap_or(false) {
            return None;
        }
        Some(
            match web_sys::Notification::permission() {
                web_sys::NotificationPermission::Granted => "granted",
                web_sys::NotificationPermission::Denied => "denied",
                _ => "default",
            }
            .to_string(),
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// Asks for permission to show notifications (call from a click); returns the answer.
pub async fn ask_permission() -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        if let Ok(p) = web_sys::Notification::request_permission() {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
    }
    permission()
}

/// Shows `text` under `title` as a system notification through the service worker, when the
/// page is in the background and notifications are allowed; a click opens the server.
fn system_notification(title: &str, text: &str, server: Uuid) {
    #[cfg(target_arch = "wasm32")]
    {
        if permission().as_deref() != Some("granted") {
            return;
        }
        let Some(w) = web_sys::window() else { return };
        let hidden = w
            .document()
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
        if !hidden {
            return;
        }
        let (title, text) = (title.to_string(), text.to_string());
        spawn_local(async move {
            let Ok(ready) = w.navigator().service_worker().ready() else {
                return;
            };
            let Ok(reg) = wasm_bindgen_futures::JsFuture::from(ready).await else {
                return;
            };
            let reg: web_sys::ServiceWorkerRegistration = wasm_bindgen::JsCast::unchecked_into(reg);
            let opts = web_sys::NotificationOptions::new();
            opts.set_body(&text);
            opts.set_tag(&server.to_string());
            opts.set_icon("/icons/icon-192.png");
            opts.set_data(&format!("/servers/{server}").into());
            let _ = reg.show_notification_with_options(&title, &opts);
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (title, text, server);
}
