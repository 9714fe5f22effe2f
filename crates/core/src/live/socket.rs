//! `GET /api/servers/{id}/console`: a server's console over a websocket. The upgrade is
//! authorized like any call (session, then [`Permission::ConsoleRead`]); each event again
//! (`send_command` needs console.write, `set_state` the control permission of its action);
//! and the access sweep closes the socket within a second of a revoked session or permission.

use std::time::{Duration, Instant};

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use tokio::sync::{broadcast, mpsc};
use uuid::Uuid;

use super::access::Access;
use super::input;
use super::{frame, goodbye};
use crate::auth::actor_from_headers;
use crate::servers;
use crate::{Actor, AppState, Permission, authorize, conn};
use protocol::AppError;
use protocol::dto::PowerAction;
use protocol::live::{Abilities, ClientMsg, MAX_CLIENT_MESSAGE, ServerMsg, Stats, StatusUpdate};

/// Messages per second a socket may send (burst twice that).
const MESSAGES_PER_SEC: f64 = 10.0;
/// Commands per second a socket may send (burst twice that).
const COMMANDS_PER_SEC: f64 = 4.0;
/// How often stats are sent.
const STATS_EVERY: Duration = Duration::from_secs(5);

/// A token bucket.
#[derive(Debug)]
pub struct Bucket {
    rate: f64,
    tokens: f64,
    at: Instant,
}

impl Bucket {
    /// `rate` per second, bursts of twice that.
    pub fn new(rate: f64) -> Bucket {
        Bucket {
            rate,
            tokens: rate * 2.0,
            at: Instant::now(),
        }
    }

    /// Takes a token if there is one.
    pub fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.at).as_secs_f64() * self.rate)
            .min(self.rate * 2.0);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// What `actor` may do on `server`'s console.
pub fn abilities(actor: &Actor, server: &db::Server, member: Option<&db::Member>) -> Abilities {
    let power = [
        (PowerAction::Start, Permission::ControlStart),
        (PowerAction::Stop, Permission::ControlStop),
        (PowerAction::Restart, Permission::ControlRestart),
        (PowerAction::Kill, Permission::ControlKill),
    ]
    .into_iter()
    .filter(|(_, p)| authorize(actor, server, member, *p).is_ok())
    .map(|(a, _)| a)
    .collect();
    Abilities {
        write: authorize(actor, server, member, Permission::ConsoleWrite).is_ok(),
        power,
    }
}

/// The upgrade handler.
pub async fn console(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: http::HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let Ok(id) = id.parse::<Uuid>() else {
        return AppError::not_found(crate::msg!("live-socket-no-such-server")).into_response();
    };
    let actor = match actor_from_headers(&state, &headers, None).await {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let server = match servers::load(&state, &actor, id, Permission::ConsoleRead).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    // the socket outlives the request: it speaks the request's language
    let lang = crate::i18n::current();
    // Frames up to 64 KiB are read (so that a long message gets a clear refusal, not a
    // dropped connection); anything over MAX_CLIENT_MESSAGE is refused.
    // Small buffers: viewers send little, and every packet is flushed as it is sent; the
    // defaults (128 KiB each) cost a quarter of a megabyte per viewer.
    ws.max_message_size(64 * 1024)
        .read_buffer_size(4096)
        .write_buffer_size(0)
        .on_upgrade(move |socket| crate::i18n::scope(lang, run(state, actor, server, socket)))
}

async fn stats(state: &AppState, id: Uuid, channel: &super::Channel) -> Stats {
    let pod = state.live.pod(id).borrow().clone().filter(|p| p.running);
    let Some(pod) = pod else {
        return Stats::default();
    };
    let uptime_secs = pod
        .started_at
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(&s).ok())
        .map(|t| (chrono::Utc::now() - t.to_utc()).num_seconds().max(0) as u64);
    let usage = channel.usage(&state.kube, &pod.name).await;
    let presence = state.live.presence(id);
    Stats {
        uptime_secs,
        cpu_millis: usage.map(|u| u.0),
        memory_mib: usage.map(|u| u.1),
        players: presence.as_ref().map(|p| p.online).or(channel.players()),
        presence,
    }
}

async fn run(state: AppState, actor: Actor, server: db::Server, socket: WebSocket) {
    let id = server.id;
    let member = match conn(&state).await {
        Ok(mut c) => crate::authorize::membership(&mut c, &actor, &server)
            .await
            .ok()
            .flatten(),
        Err(_) => None,
    };
    let registration = state
        .live
        .sockets()
        .register(&actor, Some(id), member.as_ref());
    let mut access = registration.access.clone();
    let mut actor = actor;
    let (mut out, mut inbox) = socket.split();
    let mut viewer = state.live.watch(id, &state.kube).await;
    let mut statuses = state.live.statuses();
    let (reply_tx, mut replies) = mpsc::channel::<ServerMsg>(16);
    let history = std::mem::take(&mut viewer.history);
    let hello = [
        ServerMsg::Hello(abilities(&actor, &server, member.as_ref())),
        ServerMsg::History(history),
        ServerMsg::Status(StatusUpdate {
            id,
            status: server.status.into(),
            reason: server.status_reason.clone(),
        }),
        ServerMsg::Stats(stats(&state, id, &viewer.channel).await),
    ];
    for m in &hello {
        if out.send(frame(m)).await.is_err() {
            return;
        }
    }
    let mut seen = viewer.seq;
    let mut stats_tick =
        tokio::time::interval_at(tokio::time::Instant::now() + STATS_EVERY, STATS_EVERY);
    let mut messages = Bucket::new(MESSAGES_PER_SEC);
    let mut commands = Bucket::new(COMMANDS_PER_SEC);
    loop {
        let msg: Option<Message> = tokio::select! {
            p = viewer.rx.recv() => match p {
                Ok(p) => {
                    if p.first > seen
                        && out.send(frame(&ServerMsg::Throttled { dropped: p.first - seen })).await.is_err()
                    {
                        break;
                    }
                    seen = seen.max(p.end);
                    Some(Message::Text(p.json.clone()))
                }
                Err(broadcast::error::RecvError::Lagged(_)) => None,
                Err(broadcast::error::RecvError::Closed) => break,
            },
            s = statuses.recv() => match s {
                Ok(u) if u.id == id => Some(frame(&ServerMsg::Status(u))),
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => None,
                Err(broadcast::error::RecvError::Closed) => break,
            },
            r = replies.recv() => r.map(|m| frame(&m)),
            _ = stats_tick.tick() => Some(frame(&ServerMsg::Stats(stats(&state, id, &viewer.channel).await))),
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
                    Access::Granted(a, m) => {
                        actor = *a;
                        Some(frame(&ServerMsg::Hello(abilities(&actor, &server, m.as_deref()))))
                    }
                }
            },
            m = inbox.next() => match m {
                Some(Ok(Message::Text(t))) => {
                    if !messages.take() {
                        Some(frame(&ServerMsg::Error { message: crate::msg!("live-socket-too-many-messages") }))
                    } else {
                        on_message(&state, &actor, id, &viewer, t.as_str(), &mut commands, &reply_tx)
                            .err()
                            .map(|e| frame(&ServerMsg::Error { message: e.to_string() }))
                    }
                }
                Some(Ok(Message::Binary(_))) => Some(frame(&ServerMsg::Error {
                    message: crate::msg!("live-socket-json-text"),
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

/// Handles one browser message. Quick ones answer at once; commands and power actions run in
/// the background and reply through `replies`.
fn on_message(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    viewer: &super::Viewer,
    raw: &str,
    commands: &mut Bucket,
    replies: &mpsc::Sender<ServerMsg>,
) -> Result<(), AppError> {
    if raw.len() > MAX_CLIENT_MESSAGE {
        return Err(AppError::bad_request(
            crate::msg!("live-socket-too-long", "max" => MAX_CLIENT_MESSAGE),
        ));
    }
    let msg: ClientMsg = serde_json::from_str(raw)
        .map_err(|_| AppError::bad_request(crate::msg!("live-socket-not-understood")))?;
    match msg {
        ClientMsg::RequestLogs => {
            let (history, _) = viewer.channel.history();
            let _ = replies.try_send(ServerMsg::History(history));
        }
        ClientMsg::SendCommand(cmd) => {
            let cmd = input::validate_command(&cmd)?.to_string();
            if !commands.take() {
                let m = crate::msg!("live-socket-too-many-commands");
                return Err(AppError::bad_request(m));
            }
            let (state, actor, replies) = (state.clone(), actor.clone(), replies.clone());
            let channel = viewer.channel.clone();
            let lang = crate::i18n::current();
            tokio::spawn(crate::i18n::scope(lang, async move {
                match send_command(&state, &actor, id, &cmd).await {
                    Ok(Some(lines)) => channel.publish(&ServerMsg::CommandOutput(lines)),
                    Ok(None) => {}
                    Err(e) => {
                        let _ = replies
                            .send(ServerMsg::Error {
                                message: e.to_string(),
                            })
                            .await;
                    }
                }
            }));
        }
        ClientMsg::SetState(action) => {
            let (state, actor, replies) = (state.clone(), actor.clone(), replies.clone());
            let lang = crate::i18n::current();
            tokio::spawn(crate::i18n::scope(lang, async move {
                if let Err(e) = servers::power(&state, &actor, id, action).await {
                    let _ = replies
                        .send(ServerMsg::Error {
                            message: e.to_string(),
                        })
                        .await;
                }
            }));
        }
    }
    Ok(())
}

/// Authorizes and delivers one command; exec input returns the answer.
pub async fn send_command(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    cmd: &str,
) -> Result<Option<Vec<String>>, AppError> {
    let server = servers::load(state, actor, id, Permission::ConsoleWrite).await?;
    if !server.status.is_up() {
        return Err(AppError::conflict(crate::msg!("live-socket-not-running")));
    }
    let mut c = conn(state).await?;
    let (_, spec) = servers::template_of(&mut c, &server).await?;
    drop(c);
    let pod = cluster::pod_name(&server.object_name);
    input::send(&state.kube, &pod, &spec.console, cmd).await
}
