//! The graphs' data: every minute (`PANEL_SAMPLE_SECS`), what each running server uses — CPU
//! and memory from the metrics API, players from its ping — stored in Postgres for a day
//! (`db::Sample`), and read back for a server's page and the administrators' dashboard.

use std::time::Duration;

use chrono::{DateTime, Utc};
use protocol::live::{SampleDto, SamplesDto};
use protocol::{AppError, Permission};
use uuid::Uuid;

use crate::authorize::{AdminTask, require_admin};
use crate::{Actor, AppState, conn, servers};

/// The longest a graph reaches back.
pub const MAX_HOURS: u32 = 24;

/// Runs for ever: a sample of every running server each `every`.
pub async fn run(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = sample(&state, every).await {
            tracing::warn!(error = %e, "samples: this round was not stored");
        }
    }
}

/// `now` cut down to a multiple of `every` (each replica's sample of a round lands on the
/// same row).
fn round_of(now: DateTime<Utc>, every: Duration) -> DateTime<Utc> {
    let step = every.as_secs().max(1) as i64;
    let secs = now.timestamp() - now.timestamp().rem_euclid(step);
    DateTime::from_timestamp(secs, 0).unwrap_or(now)
}

async fn sample(state: &AppState, every: Duration) -> Result<(), db::Error> {
    let at = round_of(Utc::now(), every);
    let running: Vec<Uuid> = {
        let mut c = state.pool.get().await.map_err(db::Error::from)?;
        db::Server::all(&mut c)
            .await?
            .into_iter()
            .filter(|s| s.status == protocol::ServerState::Running)
            .map(|s| s.id)
            .collect()
    };
    let mut samples = Vec::with_capacity(running.len());
    for id in running {
        let pod = state.live.pod(id).borrow().clone().filter(|p| p.running);
        let Some(pod) = pod else { continue };
        let usage = state.kube.pod_usage(&pod.name).await.ok().flatten();
        let players = state.live.presence(id).map(|p| p.online);
        let clamp = |v: u64| i32::try_from(v).unwrap_or(i32::MAX);
        samples.push(db::Sample {
            server_id: id,
            at,
            cpu_millis: usage.map(|u| clamp(u.0)),
            memory_mib: usage.map(|u| clamp(u.1)),
            players: players.map(|p| clamp(u64::from(p))),
        });
    }
    let mut c = state.pool.get().await.map_err(db::Error::from)?;
    db::Sample::record(&mut c, &samples).await
}

fn since(hours: u32) -> Result<DateTime<Utc>, AppError> {
    if !(1..=MAX_HOURS).contains(&hours) {
        return Err(AppError::bad_request(crate::msg!("samples-hours-range",
            "max" => MAX_HOURS,
        )));
    }
    Ok(Utc::now() - chrono::Duration::hours(i64::from(hours)))
}

/// A server's graphs over the last `hours` (those who see its console and stats).
pub async fn of_server(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    hours: u32,
) -> Result<SamplesDto, AppError> {
    let since = since(hours)?;
    servers::load(state, actor, id, Permission::ConsoleRead).await?;
    let mut c = conn(state).await?;
    let samples = db::Sample::of(&mut c, id, since)
        .await?
        .into_iter()
        .map(|s| SampleDto {
            at: s.at.to_rfc3339(),
            cpu_millis: s.cpu_millis.map(i64::from),
            memory_mib: s.memory_mib.map(i64::from),
            players: s.players.map(i64::from),
            servers: None,
        })
        .collect();
    Ok(SamplesDto {
        every_secs: state.sample_every.as_secs() as u32,
        samples,
    })
}

/// Every server's use summed, over the last `hours` (administrators).
pub async fn of_panel(state: &AppState, actor: &Actor, hours: u32) -> Result<SamplesDto, AppError> {
    require_admin(actor, AdminTask::Users)?;
    let since = since(hours)?;
    let mut c = conn(state).await?;
    let samples = db::Sample::totals(&mut c, since)
        .await?
        .into_iter()
        .map(|t| SampleDto {
            at: t.at.to_rfc3339(),
            cpu_millis: t.cpu_millis,
            memory_mib: t.memory_mib,
            players: t.players,
            servers: Some(t.servers),
        })
        .collect();
    Ok(SamplesDto {
        every_secs: state.sample_every.as_secs() as u32,
        samples,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_land_on_the_same_row() {
        let t = DateTime::parse_from_rfc3339("2026-12-06T21:30:59Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            round_of(t, Duration::from_secs(60)).to_rfc3339(),
            "2026-12-06T21:30:00+00:00"
        );
        assert_eq!(round_of(t, Duration::from_secs(1)), t);
    }
}
