//! Keeps servers' status current from one watch over every game pod (no per-server polling),
//! and pushes each change to the open pages. A starting server is followed in its log until the
//! template's "started" line appears: only then is it `running`.

use std::collections::{HashMap, HashSet};

use futures::StreamExt;
use regex::Regex;
use uuid::Uuid;

use crate::AppState;
use crate::live::{Instance, PodInfo};
use cluster::client::{Pod, PodEvent};
use protocol::live::StatusUpdate;

/// What the watch remembers between events.
#[derive(Default)]
struct Memory {
    pods: HashMap<Uuid, Pod>,
    /// The run of each server whose started line was seen.
    started: HashMap<Uuid, Instance>,
    /// Started patterns by template.
    patterns: HashMap<Uuid, Option<Regex>>,
    /// During a (re)list, the servers whose pods it listed so far.
    relisted: Option<HashSet<Uuid>>,
    /// Servers whose StatefulSet reported it could not create their pod, and why.
    refused: HashMap<Uuid, String>,
}

/// Runs until the process ends: every pod change updates its server's row.
pub async fn run(state: AppState) {
    let mut mem = Memory::default();
    let mut started_rx = state.live.take_started();
    let mut events = Box::pin(state.kube.watch_pods());
    let mut refusals = Box::pin(state.kube.watch_refusals());
    loop {
        let started = async {
            match started_rx.as_mut() {
                Some(rx) => rx.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            ev = events.next() => {
                let Some(ev) = ev else { return };
                on_event(&state, &mut mem, ev).await;
            }
            Some((id, run)) = started => {
                mem.started.insert(id, run);
                update(&state, &mut mem, id).await;
            }
            Some(r) = refusals.next() => {
                if let Some(id) = server_of(&state, &r.object_name).await {
                    mem.refused.insert(id, r.message);
                    update(&state, &mut mem, id).await;
                }
            }
        }
    }
}

async fn on_event(state: &AppState, mem: &mut Memory, ev: PodEvent) {
    match ev {
        PodEvent::Failed(_) => {
            state.metrics.watch_restarts.inc();
        }
        PodEvent::Relisting => mem.relisted = Some(HashSet::new()),
        PodEvent::Seen(p) => {
            if let Some(id) = PodEvent::server_id(&p) {
                if let Some(seen) = mem.relisted.as_mut() {
                    seen.insert(id);
                }
                mem.pods.insert(id, *p);
                update(state, mem, id).await;
            }
        }
        PodEvent::Gone(p) => {
            if let Some(id) = PodEvent::server_id(&p) {
                mem.pods.remove(&id);
                mem.started.remove(&id);
                update(state, mem, id).await;
            }
        }
        PodEvent::Synced => {
            mem.patterns.clear();
            // Pods a relist no longer lists were deleted while the watch was down: forget them
            // (the loop below then reports their servers as stopped or starting).
            if let Some(seen) = mem.relisted.take() {
                mem.pods.retain(|id, _| seen.contains(id));
                mem.started.retain(|id, _| seen.contains(id));
            }
            // After a (re)list: servers with no pod are stopped or about to start.
            let ids = match state.pool.get().await {
                Ok(mut c) => db::Server::all(&mut c)
                    .await
                    .map(|v| v.into_iter().map(|s| s.id).collect::<Vec<_>>()),
                Err(e) => {
                    tracing::warn!(error = %e, "status sync: no database connection");
                    return;
                }
            };
            for id in ids.into_iter().flatten() {
                if !mem.pods.contains_key(&id) {
                    update(state, mem, id).await;
                }
            }
        }
    }
}

/// The server whose objects are `object_name` (not always `mc-<its id>`: a server made on a
/// kept world has that world's objects).
async fn server_of(state: &AppState, object_name: &str) -> Option<Uuid> {
    let mut c = state.pool.get().await.ok()?;
    db::Server::by_object_name(&mut c, object_name)
        .await
        .ok()?
        .map(|s| s.id)
}

async fn pattern(state: &AppState, mem: &mut Memory, template_id: Uuid) -> Option<Regex> {
    if let Some(p) = mem.patterns.get(&template_id) {
        return p.clone();
    }
    let mut c = state.pool.get().await.ok()?;
    let t = db::Template::find(&mut c, template_id).await.ok()??;
    let re = crate::servers::template_spec(&t)
        .ok()
        .and_then(|s| Regex::new(&s.started_pattern).ok());
    mem.patterns.insert(template_id, re.clone());
    re
}

async fn update(state: &AppState, mem: &mut Memory, id: Uuid) {
    let pod = mem.pods.get(&id);
    let info = pod.map(PodInfo::of);
    // when its container last ended: a crash's time, the same on every replica that sees it
    let ended_at = pod
        .and_then(|p| {
            let c = p.status.as_ref()?.container_statuses.as_ref()?.first()?;
            serde_json::to_value(
                c.last_state
                    .as_ref()?
                    .terminated
                    .as_ref()?
                    .finished_at
                    .as_ref()?,
            )
            .ok()
        })
        .and_then(|v| v.as_str()?.parse::<chrono::DateTime<chrono::Utc>>().ok());
    state.live.set_pod(id, info.clone());
    let Ok(mut c) = state.pool.get().await else {
        return;
    };
    let Ok(Some(server)) = db::Server::find(&mut c, id).await else {
        return;
    };
    drop(c);
    // a live pod of a server wanted stopped: a player may have woken it through the router (a
    // pod on its way out is the stop itself; asking the cluster for each of its events would
    // be one request per event)
    let arriving = pod.is_some_and(|p| p.metadata.deletion_timestamp.is_none());
    let server = match arriving && !server.desired.is_running() {
        true => match crate::wake::adopt_if_woken(state, &server).await {
            Ok(Some(woken)) => woken,
            Ok(None) | Err(_) => server,
        },
        false => server,
    };
    let log_started = info
        .as_ref()
        .is_some_and(|i| mem.started.get(&id) == Some(&i.instance));
    let want_running = server.desired.is_running();
    if pod.is_some() || !want_running {
        mem.refused.remove(&id);
    }
    let (st, reason) = match mem.refused.get(&id) {
        // no pod, and the cluster said why: an error the owner (or the operator) must fix
        Some(why) if pod.is_none() => (
            cluster::ServerState::Error,
            Some(format!(
                "the cluster refused to create the server's pod: {why}"
            )),
        ),
        _ => cluster::status_of(pod, want_running, log_started),
    };
    if st == cluster::ServerState::Starting
        && let Some(i) = info.as_ref().filter(|i| i.running)
        && let Some(re) = pattern(state, mem, server.template_id).await
    {
        state
            .live
            .watch_startup(id, &state.kube, re, i.instance.clone());
    }
    if server.status == st && server.status_reason == reason {
        return;
    }
    if st == cluster::ServerState::Crashed && server.status != cluster::ServerState::Crashed {
        let at = ended_at.unwrap_or_else(chrono::Utc::now);
        let task_state = state.clone();
        tokio::spawn(async move {
            crate::schedules::on_event(&task_state, id, "crash", at).await;
        });
    }
    let Ok(mut c) = state.pool.get().await else {
        return;
    };
    let changed = match db::Server::set_status(&mut c, id, st, reason.as_deref()).await {
        Ok(changed) => changed,
        Err(e) => {
            tracing::warn!(error = %e, "status sync: could not store a status");
            return;
        }
    };
    drop(c);
    // only the replica whose write changed the state tells the webhooks
    if changed
        && st != server.status
        && let Some(event) = crate::webhooks::status_event(st)
    {
        let from = server.status.as_str();
        let data = serde_json::json!({ "from": from, "reason": reason });
        let dedupe = Uuid::new_v4().to_string();
        crate::webhooks::emit(state, id, event, data, &dedupe).await;
    }
    state.live.publish_status(StatusUpdate {
        id,
        status: st.into(),
        reason,
    });
}
