//! Wake-on-join: in `hostname` mode with wake-on-join on, mc-router scales a sleeping server's
//! StatefulSet to one replica when a player tries to join it. The panel takes that as its own
//! start (the server is wanted running, audited as `server.wake`), so that neither the status
//! watch nor the reconciler ever puts a woken server back to sleep.

use crate::AppState;
use protocol::AppError;

/// Whether this panel lets players wake servers (hostname mode with wake-on-join on).
pub fn enabled(state: &AppState) -> bool {
    state.expose.mode == cluster::Expose::Hostname && state.expose.wake_on_join
}

/// Adopts `server` as started when it is wanted stopped but its StatefulSet asks for a replica
/// (`replicas`, as the cluster has it): returns the row as it is now wanted (running), or None
/// when there was nothing to adopt.
pub async fn adopt(
    state: &AppState,
    server: &db::Server,
    replicas: i32,
) -> Result<Option<db::Server>, AppError> {
    if !enabled(state) || server.desired.is_running() || replicas < 1 {
        return Ok(None);
    }
    let mut c = crate::conn(state).await?;
    let Some(woken) = db::Server::wake(&mut c, server.id).await? else {
        return Ok(None); // a person's start or stop came first
    };
    drop(c);
    // the world's claim may be ReadWriteOnce: a file manager's pod on the sleeping world lets go
    // of it, as before a person's start (the woken pod waits for the claim meanwhile)
    if let Err(e) = state.kube.remove_maintenance(&server.object_name).await {
        tracing::warn!(server = %server.name, error = %e, "wake: the maintenance pod stays");
    }
    crate::audit::record_unattended(
        state,
        Some(server.id),
        "server.wake",
        Some(&server.name),
        "ok: a player joined through the router",
    )
    .await;
    tracing::info!(server = %server.name, "a player woke the server");
    state.metrics.servers_woken.inc();
    Ok(Some(woken))
}

/// [`adopt`], asking the cluster for the StatefulSet's replicas first (the status watch, when
/// a pod appears for a server wanted stopped).
pub async fn adopt_if_woken(
    state: &AppState,
    server: &db::Server,
) -> Result<Option<db::Server>, AppError> {
    if !enabled(state) || server.desired.is_running() {
        return Ok(None);
    }
    let replicas = state
        .kube
        .replicas(&server.object_name)
        .await
        .map_err(|e| crate::internal("reading a StatefulSet's replicas", e))?;
    adopt(state, server, replicas.unwrap_or(0)).await
}
