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

/// Since when each running server with an idle stop has had nobody on it, and the empty
/// spells of servers with idle-triggered schedules.
#[derive(Debug, Default)]
pub struct Idle {
    since: HashMap<Uuid, Instant>,
    spells: HashMap<Uuid, Spell>,
}

/// An idle-triggered schedule's server, empty since `since` (`began` on the wall clock); `fired`
/// once its run was started for this spell.
#[derive(Debug, Clone, Copy)]
struct Spell {
    since: Instant,
    began: chrono::DateTime<chrono::Utc>,
    fired: bool,
}

/// One look at every server at `now`: counts the empty ones, stops those empty for their idle
/// stop's minutes. A server that does not answer the ping is neither counted empty nor reset.
/// Returns how many it stopped.
pub async fn check(state: &AppState, idle: &mut Idle, now: Instant) -> Result<usize, AppError> {
    let rows = {
        let mut c = conn(state).await?;
        db::Server::running_with_idle_stop(&mut c).await?
    };
    triggers(state, idle, now).await?;
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

/// The idle-triggered schedules: a running server the Server List Ping has counted empty for a
/// schedule's minutes starts its run, once per empty spell (a player's arrival ends the spell).
async fn triggers(state: &AppState, idle: &mut Idle, now: Instant) -> Result<(), AppError> {
    let schedules = {
        let mut c = conn(state).await?;
        db::Schedule::triggered_by(&mut c, None, "idle").await?
    };
    idle.spells
        .retain(|id, _| schedules.iter().any(|s| s.id == *id));
    for s in &schedules {
        let running = state
            .live
            .pod(s.server_id)
            .borrow()
            .as_ref()
            .is_some_and(|p| p.running);
        let empty = match state.live.player_count(s.server_id) {
            Some(c) if running => c.online == 0,
            // no answer: neither counted empty nor reset
            None if running => continue,
            _ => false,
        };
        if !empty {
            idle.spells.remove(&s.id);
            continue;
        }
        let spell = idle.spells.entry(s.id).or_insert_with(|| Spell {
            since: now,
            began: chrono::Utc::now(),
            fired: false,
        });
        let minutes = s
            .idle_minutes
            .and_then(|m| u64::try_from(m).ok())
            .unwrap_or(0);
        if !spell.fired
            && now.saturating_duration_since(spell.since) >= Duration::from_secs(minutes * 60)
        {
            spell.fired = true;
            crate::schedules::on_event(state, s.server_id, "idle", spell.began).await;
        }
    }
    Ok(())
}
