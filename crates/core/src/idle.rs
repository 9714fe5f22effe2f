//! Idle stop: a running server whose owner set an idle stop, on which the Server List Ping has
//! counted no player for that many minutes, is stopped by the panel (audited `server.stop` by
//! no one, "idle"; metric `panel_servers_idle_stopped_total`). With wake-on-join a player's next
//! join starts it again, so an idle world costs nothing. The replica holding the reconcile
//! Lease runs it; what it remembers (since when each server has been empty) is its own, so a
//! new holder starts counting anew, which only ever delays a stop.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::{AppState, conn};
use protocol::{AppError, ServerState};

/// Since when each running server with an idle stop has had nobody on it.
#[derive(Debug, Default)]
pub struct Idle {
    since: HashMap<Uuid, Instant>,
}

/// One look at every server at `now`: counts the empty ones, stops those empty for their idle
/// stop's minutes. A server that does not answer the ping is neither counted empty nor reset.
/// Returns how many it stopped.
pub async fn check(state: &AppState, idle: &mut Idle, now: Instant) -> Result<usize, AppError> {
    let rows = {
        let mut c = conn(state).await?;
        db::Server::running_with_idle_stop(&mut c).await?
    };
    let mut stopped = 0;
    idle.since.retain(|id, _| rows.iter().any(|s| s.id == *id));
    for s in &rows {
        let watched = s.idle_stop_minutes.and_then(|m| u64::try_from(m).ok());
        let (Some(minutes), ServerState::Running) = (watched, s.status) else {
            idle.since.remove(&s.id);
            continue;
        };
        match state.live.player_count(s.id) {
            Some(c) if c.online == 0 => {}
            Some(_) => {
                idle.since.remove(&s.id);
                continue;
            }
            None => continue,
        }
        let since = *idle.since.entry(s.id).or_insert(now);
        if now.saturating_duration_since(since) >= Duration::from_secs(minutes * 60) {
            let why = format!("ok: nobody played for {minutes} min");
            crate::servers::stop_unattended(state, s, &why).await?;
            tracing::info!(server = %s.name, minutes, "stopped an idle server");
            state.metrics.servers_idle_stopped.inc();
            idle.since.remove(&s.id);
            stopped += 1;
        }
    }
    Ok(stopped)
}
