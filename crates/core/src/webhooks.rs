//! Webhooks: a server's own (managed with the `settings` right) and the panel's, told of every
//! server (administrators'). Events are queued in Postgres where they happen — a status the
//! status watch wrote (only the replica whose write changed it queues), a backup's end, a
//! player's join — and delivered by [`deliver::run`] with retries and a log.

pub mod address;
pub mod deliver;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use protocol::webhooks::{
    DeliveryDto, DeliveryState, NewWebhookDto, WebhookChangesDto, WebhookDto, WebhookEvent,
    WebhookFormat,
};
use protocol::{AppError, Permission};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::authorize::{AdminTask, require_admin};
use crate::{Actor, AppState, audit, conn, internal, servers};

/// Webhooks a server (or the panel) may have.
pub const MAX_PER_OWNER: usize = 10;

/// How webhooks are sent.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Whether receivers on the panel's own network (loopback, private, link-local) are
    /// allowed: off unless the operator says so (a receiver in the cluster, the tests').
    pub allow_internal: bool,
    /// The first retry's wait; each next waits four times longer.
    pub retry_base: Duration,
    /// Wakes the delivery worker when something is queued.
    pub wake: Arc<tokio::sync::Notify>,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            allow_internal: false,
            retry_base: Duration::from_secs(10),
            wake: Arc::default(),
        }
    }
}

fn dto(w: &db::Webhook) -> WebhookDto {
    WebhookDto {
        id: w.id,
        server_id: w.server_id,
        name: w.name.clone(),
        url: w.url.clone(),
        format: WebhookFormat::parse(&w.format).unwrap_or(WebhookFormat::Json),
        events: w
            .events
            .iter()
            .filter_map(|e| WebhookEvent::parse(e))
            .collect(),
        active: w.active,
        created_at: w.created_at.to_rfc3339(),
    }
}

fn delivery_dto(d: &db::Delivery) -> DeliveryDto {
    let state = DeliveryState::parse(&d.state).unwrap_or(DeliveryState::Failed);
    DeliveryDto {
        id: d.id,
        event: WebhookEvent::parse(&d.event).unwrap_or(WebhookEvent::Test),
        state,
        attempts: d.attempts,
        last_status: d.last_status,
        last_error: d.last_error.clone(),
        created_at: d.created_at.to_rfc3339(),
        finished_at: d.finished_at.map(|t| t.to_rfc3339()),
        next_at: (state == DeliveryState::Pending).then(|| d.next_at.to_rfc3339()),
    }
}

/// Allows `actor` to manage the webhooks of `server` (its `settings` right), or the panel's
/// (administrators).
async fn allowed(state: &AppState, actor: &Actor, server: Option<Uuid>) -> Result<(), AppError> {
    match server {
        Some(id) => servers::load(state, actor, id, Permission::Settings)
            .await
            .map(|_| ()),
        None => require_admin(actor, AdminTask::Webhooks),
    }
}

/// The webhook `id`, if `actor` may manage it (else "no such webhook": ids are not probed).
async fn load(state: &AppState, actor: &Actor, id: Uuid) -> Result<db::Webhook, AppError> {
    let none = || AppError::not_found(crate::msg!("webhooks-not-found"));
    let hook = {
        let mut c = conn(state).await?;
        db::Webhook::find(&mut c, id).await?.ok_or_else(none)?
    };
    match allowed(state, actor, hook.server_id).await {
        Ok(()) => Ok(hook),
        // a member without `settings` is told so; a stranger learns nothing
        Err(AppError::Forbidden { message }) if hook.server_id.is_some() => {
            Err(AppError::Forbidden { message })
        }
        Err(_) => Err(none()),
    }
}

fn name_of(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(AppError::bad_request(crate::msg!("webhooks-name-invalid")));
    }
    Ok(name.to_owned())
}

fn events_of(events: &[WebhookEvent]) -> Result<Vec<String>, AppError> {
    let chosen: Vec<String> = WebhookEvent::CHOSEN
        .into_iter()
        .filter(|e| events.contains(e))
        .map(|e| e.as_str().to_owned())
        .collect();
    if chosen.is_empty() {
        return Err(AppError::bad_request(crate::msg!("webhooks-no-events")));
    }
    Ok(chosen)
}

/// A server's webhooks (None: the panel's).
pub async fn list(
    state: &AppState,
    actor: &Actor,
    server: Option<Uuid>,
) -> Result<Vec<WebhookDto>, AppError> {
    allowed(state, actor, server).await?;
    let mut c = conn(state).await?;
    Ok(db::Webhook::of(&mut c, server)
        .await?
        .iter()
        .map(dto)
        .collect())
}

/// Adds a webhook; its secret is answered this once.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    server: Option<Uuid>,
    name: &str,
    url: &str,
    format: WebhookFormat,
    events: &[WebhookEvent],
) -> Result<NewWebhookDto, AppError> {
    allowed(state, actor, server).await?;
    let name = name_of(name)?;
    let url =
        address::check_url(url, state.webhooks.allow_internal).map_err(AppError::bad_request)?;
    let events = events_of(events)?;
    let mut secret = [0u8; 24];
    getrandom::fill(&mut secret).map_err(|e| internal("the system random source", e))?;
    let secret = format!("whsec_{}", hex::encode(secret));
    let mut c = conn(state).await?;
    if db::Webhook::of(&mut c, server).await?.len() >= MAX_PER_OWNER {
        return Err(AppError::conflict(
            crate::msg!("webhooks-too-many", "max" => MAX_PER_OWNER),
        ));
    }
    let hook = db::Webhook::create(
        &mut c,
        &db::Webhook {
            id: Uuid::new_v4(),
            server_id: server,
            name,
            url: url.to_string(),
            format: format.as_str().into(),
            secret: secret.clone(),
            events,
            active: true,
            created_by: Some(actor.user.id),
            created_at: Utc::now(),
        },
    )
    .await?;
    drop(c);
    let what = format!("{} → {}", hook.name, host_of(&hook.url));
    audit::record(state, actor, server, "webhook.create", Some(&what), "ok").await;
    Ok(NewWebhookDto {
        webhook: dto(&hook),
        secret,
    })
}

fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Changes a webhook's name, address, events, or turns it on or off.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    changes: WebhookChangesDto,
) -> Result<WebhookDto, AppError> {
    let hook = load(state, actor, id).await?;
    let changes = db::WebhookChanges {
        name: changes.name.as_deref().map(name_of).transpose()?,
        url: changes
            .url
            .as_deref()
            .map(|u| address::check_url(u, state.webhooks.allow_internal).map(|u| u.to_string()))
            .transpose()
            .map_err(AppError::bad_request)?,
        events: changes.events.as_deref().map(events_of).transpose()?,
        active: changes.active,
    };
    let mut c = conn(state).await?;
    let updated = db::Webhook::update(&mut c, id, &changes)
        .await?
        .ok_or_else(|| AppError::not_found(crate::msg!("webhooks-not-found")))?;
    drop(c);
    audit::record(
        state,
        actor,
        hook.server_id,
        "webhook.update",
        Some(&hook.name),
        "ok",
    )
    .await;
    Ok(dto(&updated))
}

/// Deletes a webhook and its log.
pub async fn delete(state: &AppState, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    let hook = load(state, actor, id).await?;
    let mut c = conn(state).await?;
    db::Webhook::delete(&mut c, id).await?;
    drop(c);
    audit::record(
        state,
        actor,
        hook.server_id,
        "webhook.delete",
        Some(&hook.name),
        "ok",
    )
    .await;
    Ok(())
}

/// Tests a webhook may have waiting at once.
const TESTS_WAITING: i64 = 3;

/// Queues a test delivery (whatever events the webhook chose); refused while earlier
/// deliveries of it wait, so that tests cannot fill the queue.
pub async fn test(state: &AppState, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    let hook = load(state, actor, id).await?;
    {
        let mut c = conn(state).await?;
        if db::Delivery::pending(&mut c, hook.id).await? >= TESTS_WAITING {
            return Err(AppError::RateLimited {
                message: crate::msg!("webhooks-tests-waiting"),
                retry_after_secs: 30,
            });
        }
    }
    let server = match hook.server_id {
        Some(sid) => {
            let mut c = conn(state).await?;
            db::Server::find(&mut c, sid).await?.map(|s| (s.id, s.name))
        }
        None => None,
    };
    let payload = payload(
        WebhookEvent::Test,
        server.as_ref().map(|(id, name)| (*id, name.as_str())),
        json!({ "by": actor.user.username }),
    );
    let mut c = conn(state).await?;
    db::Delivery::enqueue(
        &mut c,
        hook.id,
        WebhookEvent::Test.as_str(),
        &Uuid::new_v4().to_string(),
        &payload,
    )
    .await?;
    state.webhooks.wake.notify_one();
    Ok(())
}

/// A webhook's last deliveries, newest first.
pub async fn deliveries(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
) -> Result<Vec<DeliveryDto>, AppError> {
    let hook = load(state, actor, id).await?;
    let mut c = conn(state).await?;
    Ok(db::Delivery::log(&mut c, hook.id)
        .await?
        .iter()
        .map(delivery_dto)
        .collect())
}

/// The JSON of an event: what, when, which server, and what else it says.
fn payload(event: WebhookEvent, server: Option<(Uuid, &str)>, data: Value) -> Value {
    json!({
        "event": event.as_str(),
        "at": Utc::now().to_rfc3339(),
        "server": server.map(|(id, name)| json!({ "id": id, "name": name })),
        "data": data,
    })
}

/// Queues `event` of `server` for every active webhook told of it (the server's and the
/// panel's). `dedupe` names the occurrence, so that two replicas seeing it queue it once.
/// Failures are logged: an event is never worth failing what caused it.
pub async fn emit(state: &AppState, server: Uuid, event: WebhookEvent, data: Value, dedupe: &str) {
    let Ok(mut c) = state.pool.get().await else {
        return;
    };
    let result = async {
        let hooks = db::Webhook::listening(&mut c, Some(server), event.as_str()).await?;
        if hooks.is_empty() {
            return Ok::<_, db::Error>(false);
        }
        let name = db::Server::find(&mut c, server)
            .await?
            .map(|s| s.name)
            .unwrap_or_default();
        let body = payload(event, Some((server, &name)), data);
        let mut queued = false;
        for hook in hooks {
            queued |= db::Delivery::enqueue(&mut c, hook.id, event.as_str(), dedupe, &body).await?;
        }
        Ok(queued)
    }
    .await;
    match result {
        Ok(true) => state.webhooks.wake.notify_one(),
        Ok(false) => {}
        Err(e) => {
            tracing::warn!(error = %e, event = event.as_str(), "webhooks: an event was not queued")
        }
    }
}

/// The event of a status the status watch just wrote, if webhooks are told of it.
pub fn status_event(now: protocol::ServerState) -> Option<WebhookEvent> {
    match now {
        protocol::ServerState::Running => Some(WebhookEvent::ServerStarted),
        protocol::ServerState::Stopped => Some(WebhookEvent::ServerStopped),
        protocol::ServerState::Crashed => Some(WebhookEvent::ServerCrashed),
        _ => None,
    }
}

/// Runs for ever: turns the players' pings into `player.joined` events. A name in a server's
/// sample that was not there at the last ping joined (servers show at most a dozen names; a
/// count that rose with no new name is a nameless join). The first ping of a server after the
/// panel starts only learns who is there.
pub async fn watch_players(state: AppState) {
    let mut updates = state.live.player_updates();
    let mut known: HashMap<Uuid, (u32, HashSet<String>)> = HashMap::new();
    loop {
        let update = match updates.recv().await {
            Ok(u) => u,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        };
        let Some(count) = update.players else {
            known.remove(&update.id);
            continue;
        };
        let names: HashSet<String> = state
            .live
            .presence(update.id)
            .map(|p| p.sample.into_iter().collect())
            .unwrap_or_default();
        let before = known.insert(update.id, (count.online, names.clone()));
        let Some((was_online, was_named)) = before else {
            continue;
        };
        // only as many as the count rose by: a server with more players than its sample shows
        // shuffles the names it shows, which is no join
        let rose = count.online.saturating_sub(was_online) as usize;
        if rose == 0 {
            continue;
        }
        let minute = Utc::now().timestamp() / 60;
        let joined: Vec<&String> = names.difference(&was_named).take(rose).collect();
        for name in &joined {
            let dedupe = format!("{}:{name}:{minute}", update.id);
            emit(
                &state,
                update.id,
                WebhookEvent::PlayerJoined,
                json!({ "player": name, "online": count.online }),
                &dedupe,
            )
            .await;
        }
        if joined.is_empty() {
            let dedupe = format!("{}:#{}:{minute}", update.id, count.online);
            emit(
                &state,
                update.id,
                WebhookEvent::PlayerJoined,
                json!({ "player": null, "online": count.online }),
                &dedupe,
            )
            .await;
        }
    }
}
