//! Keeps servers' status current from one watch over every game pod (no per-server polling).

use std::collections::HashMap;

use futures::StreamExt;
use uuid::Uuid;

use crate::ssr::AppState;
use cluster::client::{Pod, PodEvent};

/// Runs until the process ends: every pod change updates its server's row.
pub async fn run(state: AppState) {
    let mut pods: HashMap<Uuid, Pod> = HashMap::new();
    let mut events = Box::pin(state.kube.watch_pods());
    while let Some(ev) = events.next().await {
        match ev {
            PodEvent::Seen(p) => {
                if let Some(id) = PodEvent::server_id(&p) {
                    pods.insert(id, *p);
                    update(&state, id, pods.get(&id)).await;
                }
            }
            PodEvent::Gone(p) => {
                if let Some(id) = PodEvent::server_id(&p) {
                    pods.remove(&id);
                    update(&state, id, None).await;
                }
            }
            PodEvent::Synced => {
                // After a (re)list: servers with no pod are stopped or about to start.
                let ids = match state.pool.get().await {
                    Ok(mut c) => db::Server::all(&mut c)
                        .await
                        .map(|v| v.into_iter().map(|s| s.id).collect::<Vec<_>>()),
                    Err(e) => {
                        tracing::warn!(error = %e, "status sync: no database connection");
                        continue;
                    }
                };
                for id in ids.into_iter().flatten() {
                    if !pods.contains_key(&id) {
                        update(&state, id, None).await;
                    }
                }
            }
        }
    }
}

async fn update(state: &AppState, id: Uuid, pod: Option<&Pod>) {
    let Ok(mut c) = state.pool.get().await else {
        return;
    };
    let Ok(Some(server)) = db::Server::find(&mut c, id).await else {
        return;
    };
    let (st, reason) = cluster::status_of(pod, server.desired == "running");
    if let Err(e) = db::Server::set_status(&mut c, id, st.as_str(), reason.as_deref()).await {
        tracing::warn!(error = %e, "status sync: could not store a status");
    }
}
