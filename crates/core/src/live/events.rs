//! `GET /api/events`: the status and player count of every server the caller may see, pushed
//! as they change (the dashboard). Each server's visibility is decided by [`authorize`] and remembered for a
//! second ([`REMEMBER`]: a burst of changes costs one query per server), so that being added to
//! or removed from a server shows within a second, as on the consoles.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use tokio::sync::broadcast;
use uuid::Uuid;

use super::access::Access;
use super::{frame, goodbye};
use crate::auth::actor_from_headers;
use crate::{Actor, AppState, Permission, authorize, conn};
use protocol::Phase;
use protocol::live::{ServerMsg, StatusUpdate};

/// Status sockets one user may have open at once (each status change costs queries per socket:
/// a tab per device is plenty).
pub const MAX_PER_USER: usize = 16;

/// The refusal of a socket over [`MAX_PER_USER`].
fn too_many() -> String {
    crate::msg!("live-events-too-many", "max" => MAX_PER_USER)
}

/// The upgrade handler.
pub async fn events(
    State(state): State<AppState>,
    headers: http::HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    match actor_from_headers(&state, &headers, None).await {
        Ok(actor) if state.live.sockets().open_by(actor.user.id, true) >= MAX_PER_USER => {
            protocol::AppError::RateLimited {
                message: too_many(),
                retry_after_secs: 10,
            }
            .into_response()
        }
        Ok(actor) => {
            // the socket outlives the request: it speaks the request's language
            let lang = crate::i18n::current();
            ws.max_message_size(4096)
                .read_buffer_size(4096)
                .write_buffer_size(0)
                .on_upgrade(move |socket| crate::i18n::scope(lang, run(state, actor, socket)))
        }
        Err(e) => e.into_response(),
    }
}

/// How long a server's visibility is remembered.
pub const REMEMBER: Duration = Duration::from_secs(1);

/// Each server's visibility to this socket, and when it was decided.
type Seen = HashMap<Uuid, (bool, Instant)>;

/// Whether the caller sees a status update.
async fn visible(state: &AppState, actor: &Actor, cache: &mut Seen, u: &StatusUpdate) -> bool {
    if u.status == Phase::Deleted {
        // Gone: tell those who saw it.
        return cache.remove(&u.id).is_some_and(|(v, _)| v);
    }
    sees(state, actor, cache, u.id).await
}

/// Whether the caller may see the server `id` (remembered for [`REMEMBER`]).
async fn sees(state: &AppState, actor: &Actor, cache: &mut Seen, id: Uuid) -> bool {
    if let Some((v, at)) = cache.get(&id)
        && at.elapsed() < REMEMBER
    {
        return *v;
    }
    let Ok(mut c) = conn(state).await else {
        return false;
    };
    let v = match db::Server::find(&mut c, id).await {
        Ok(Some(s)) => {
            let member = crate::authorize::membership(&mut c, actor, &s)
                .await
                .ok()
                .flatten();
            authorize(actor, &s, member.as_ref(), Permission::View).is_ok()
        }
        _ => false,
    };
    cache.insert(id, (v, Instant::now()));
    v
}

async fn run(state: AppState, actor: Actor, socket: WebSocket) {
    let (mut out, mut inbox) = socket.split();
    // checked again here, atomically: sockets opened together may all have passed the upgrade
    let Some(registration) = state
        .live
        .sockets()
        .register_within(&actor, None, None, MAX_PER_USER)
    else {
        goodbye(&mut out, too_many()).await;
        return;
    };
    let mut access = registration.access.clone();
    let mut actor = actor;
    let mut cache = Seen::new();
    let mut statuses = state.live.statuses();
    let mut players = state.live.player_updates();
    loop {
        let msg = tokio::select! {
            s = statuses.recv() => match s {
                Ok(u) => visible(&state, &actor, &mut cache, &u).await.then(|| frame(&ServerMsg::Status(u))),
                // Missed some: the page reloads the list.
                Err(broadcast::error::RecvError::Lagged(n)) => Some(frame(&ServerMsg::Throttled { dropped: n })),
                Err(broadcast::error::RecvError::Closed) => break,
            },
            p = players.recv() => match p {
                Ok(u) => sees(&state, &actor, &mut cache, u.id).await.then(|| frame(&ServerMsg::Players(u))),
                // missed some: the page reloads the list, counts with it
                Err(broadcast::error::RecvError::Lagged(n)) => Some(frame(&ServerMsg::Throttled { dropped: n })),
                Err(broadcast::error::RecvError::Closed) => break,
            },
            changed = access.changed() => {
                if changed.is_err() {
                    break;
                }
                let now = access.borrow_and_update().clone();
                match now {
                    Access::Revoked(reason) => {
                        goodbye(&mut out, reason).await;
                        break;
                    }
                    Access::Granted(a, _) => {
                        actor = *a;
                        cache.clear();
                        None
                    }
                }
            },
            m = inbox.next() => match m {
                Some(Ok(Message::Text(_) | Message::Binary(_))) => Some(frame(&ServerMsg::Error {
                    message: crate::msg!("live-events-only-sends"),
                })),
                Some(Ok(_)) => None,
                Some(Err(_)) | None => break,
            },
        };
        if let Some(m) = msg
            && out.send(m).await.is_err()
        {
            break;
        }
    }
    drop(registration);
}
