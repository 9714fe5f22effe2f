//! The reconciler: the database is the desired state; the cluster is made to match it. Every
//! server's objects are applied (creating what is missing and repairing drift in what the panel
//! owns), and objects labelled as the panel's with no row are removed (their worlds are kept).
//! Only the replica holding the Lease reconciles (and stops idle servers, [`crate::idle`]).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::{AppState, conn, servers};
use protocol::AppError;

/// Name of the Lease that elects the reconciling replica.
pub const LEASE: &str = "mc-panel-reconciler";
/// How long a held Lease is valid without renewal.
pub const LEASE_SECS: i32 = 30;

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Servers whose objects were applied.
    pub applied: usize,
    /// Servers whose apply failed (retried on the next pass).
    pub failed: usize,
    /// Objects removed because no server owns them.
    pub orphans_removed: usize,
}

/// One pass over every server.
pub async fn reconcile_once(state: &AppState) -> Result<Report, AppError> {
    let mut report = Report::default();
    // What the cluster has: the replicas a woken server asks for, and the orphans below (an
    // unreachable cluster shows in the applies' report). Listed before the rows are read: a
    // server is created row first, then objects, so every object listed here has its row in
    // the read below. Read the other way round, a server created meanwhile would be taken for
    // an orphan and removed.
    let present = state.kube.managed_statefulsets().await;
    if let Err(e) = &present {
        tracing::warn!(error = %e, "reconcile: cannot list");
    }
    let (rows, templates, plans, extra) = {
        let mut c = conn(state).await?;
        let rows = db::Server::all(&mut c).await?;
        let templates: HashMap<_, _> = db::Template::all(&mut c)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        let plans: HashMap<_, _> = db::Plan::all(&mut c)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let extra = db::ServerPort::all(&mut c).await?;
        (rows, templates, plans, extra)
    };
    let none = HashMap::new();
    let replicas: HashMap<&str, i32> = present
        .iter()
        .flatten()
        .map(|m| (m.name.as_str(), m.replicas))
        .collect();
    for row in &rows {
        // a server a player woke through the router is not put back to sleep
        // (the listing is older than the row: a person's stop since then would read as a
        // wake, so a replica on a server wanted stopped is asked for again, after the row)
        let woken = match replicas.get(row.object_name.as_str()) {
            Some(n) if *n > 0 && !row.desired.is_running() => {
                crate::wake::adopt_if_woken(state, row).await?
            }
            _ => None,
        };
        let s = woken.as_ref().unwrap_or(row);
        let (Some(t), Some(p)) = (templates.get(&s.template_id), plans.get(&s.plan_id)) else {
            report.failed += 1;
            continue;
        };
        let spec = servers::spec_for(state, s, t, p, extra.get(&s.id).unwrap_or(&none))?;
        match state.kube.apply(&cluster::build(&spec)).await {
            Ok(()) => report.applied += 1,
            Err(e) => {
                tracing::warn!(server = %s.name, error = %e, "reconcile: apply failed");
                report.failed += 1;
                if let cluster::ClusterError::Unreachable(_) | cluster::ClusterError::Timeout(_) = e
                {
                    // Nothing else will work either; try again on the next pass.
                    return Ok(report);
                }
            }
        }
    }
    // An object is the panel's only when a row has its exact name (and, when it carries one, the
    // same server id): a row's id on an object of another name is an orphan too.
    let by_name: HashMap<&str, Uuid> = rows
        .iter()
        .map(|s| (s.object_name.as_str(), s.id))
        .collect();
    let Ok(present) = present else {
        return Err(AppError::internal());
    };
    for cluster::client::ManagedSet {
        name,
        server_id: id,
        ..
    } in present
    {
        let ours = by_name
            .get(name.as_str())
            .is_some_and(|row| id.is_none_or(|id| id == *row));
        if !ours {
            tracing::info!(%name, "reconcile: removing an orphan (its world is kept)");
            if state.kube.delete_server(&name, true).await.is_ok() {
                report.orphans_removed += 1;
            }
        }
    }
    Ok(report)
}

/// Runs forever: every 10 s, take or renew the Lease; while holding it, reconcile at once and
/// then every `resync`.
pub async fn run(state: AppState, holder: String, resync: Duration) {
    let mut last: Option<Instant> = None;
    let mut tick = tokio::time::interval(Duration::from_secs(10));
    let mut known = None;
    let mut idle = crate::idle::Idle::default();
    let mut followers = crate::schedules::Followers::default();
    loop {
        tick.tick().await;
        match state
            .kube
            .hold_lease(LEASE, &holder, LEASE_SECS, &mut known)
            .await
        {
            Ok(true) => {
                if let Err(e) = crate::idle::check(&state, &mut idle, Instant::now()).await {
                    tracing::warn!(error = %e, "idle stop: the check failed");
                }
                if let Err(e) = crate::schedules::follow_consoles(&state, &mut followers).await {
                    tracing::warn!(error = %e, "schedules: following the consoles failed");
                }
                if let Err(e) = crate::backups::sweep(&state).await {
                    tracing::warn!(error = %e, "backups: the sweep failed");
                }
                if last.is_none_or(|t| t.elapsed() >= resync) {
                    let started = Instant::now();
                    let result = reconcile_once(&state).await;
                    let m = &state.metrics;
                    m.reconcile_runs.inc();
                    m.reconcile_seconds.observe(started.elapsed().as_secs_f64());
                    match result {
                        Ok(r) => tracing::info!(
                            ?r,
                            ms = started.elapsed().as_millis() as u64,
                            "reconciled"
                        ),
                        Err(e) => {
                            m.reconcile_errors.inc();
                            tracing::warn!(error = %e, "reconcile failed")
                        }
                    }
                    last = Some(Instant::now());
                }
            }
            Ok(false) => {
                last = None;
                idle = Default::default();
                followers.clear();
            }
            Err(e) => {
                tracing::debug!(error = %e, "reconcile: lease not reachable");
                last = None;
            }
        }
    }
}
