//! Reading the audit log: administrators see every entry; other users the entries of the
//! servers they own. Old entries are pruned after the retention period.

use uuid::Uuid;

use crate::{Actor, AppState, conn};
use protocol::AppError;
use protocol::dto::AuditEntryDto;

/// Most entries one page returns.
pub const PAGE: i64 = 100;

/// Writes an audit entry of `actor`'s `action` (with its client address); a failure to write is
/// logged and does not fail the action.
pub async fn record(
    state: &AppState,
    actor: &Actor,
    server: Option<Uuid>,
    action: &str,
    target: Option<&str>,
    outcome: &str,
) {
    write(
        state,
        &db::audit::AuditEntry {
            actor_id: Some(actor.user.id),
            server_id: server,
            action,
            target,
            outcome,
            ip: actor.ip.as_deref(),
        },
    )
    .await;
}

/// [`record`] of an action's result: `ok`, or `refused: <why>`.
pub async fn record_result<T>(
    state: &AppState,
    actor: &Actor,
    server: Option<Uuid>,
    action: &str,
    target: Option<&str>,
    res: &Result<T, AppError>,
) {
    let outcome = match res {
        Ok(_) => "ok".to_string(),
        Err(e) => format!("refused: {e}"),
    };
    record(state, actor, server, action, target, &outcome).await;
}

/// Writes an audit entry of what a user did before they had a session (a sign-in through a
/// provider that created or linked their account), with the client's address.
pub async fn record_signed_out(
    state: &AppState,
    user_id: Uuid,
    ip: &str,
    action: &str,
    target: Option<&str>,
    outcome: &str,
) {
    write(
        state,
        &db::audit::AuditEntry {
            actor_id: Some(user_id),
            server_id: None,
            action,
            target,
            outcome,
            ip: Some(ip),
        },
    )
    .await;
}

/// Writes an audit entry of something the panel did by itself (a world's expiry, a wake by a
/// player through the router, an idle stop): no actor, no address.
pub async fn record_unattended(
    state: &AppState,
    server: Option<Uuid>,
    action: &str,
    target: Option<&str>,
    outcome: &str,
) {
    write(
        state,
        &db::audit::AuditEntry {
            actor_id: None,
            server_id: server,
            action,
            target,
            outcome,
            ip: None,
        },
    )
    .await;
}

async fn write(state: &AppState, entry: &db::audit::AuditEntry<'_>) {
    if let Ok(mut c) = conn(state).await
        && let Err(e) = db::Audit::record(&mut c, entry).await
    {
        tracing::error!(error = %e, "could not write the audit log");
    }
}

/// Entries newest first, filtered by server, action prefix and paging cursor.
pub async fn search(
    state: &AppState,
    actor: &Actor,
    server: Option<Uuid>,
    action: Option<String>,
    before: Option<i64>,
) -> Result<Vec<AuditEntryDto>, AppError> {
    let admin = actor.acts_as_admin();
    if action.as_ref().is_some_and(|a| a.len() > 64) {
        return Err(AppError::bad_request(crate::msg!("audit-filter-too-long")));
    }
    let mut c = conn(state).await?;
    let owned: Vec<Uuid> = if admin {
        Vec::new()
    } else {
        db::Server::owned_by(&mut c, actor.user.id)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect()
    };
    if let Some(id) = server
        && !admin
        && !owned.contains(&id)
    {
        return Err(AppError::not_found(crate::msg!("audit-server-not-found")));
    }
    let filter = db::audit::AuditFilter {
        servers: (!admin).then_some(owned.as_slice()),
        server,
        action: action.as_deref(),
        before,
        limit: PAGE,
    };
    Ok(db::Audit::search(&mut c, &filter)
        .await?
        .into_iter()
        .map(|(r, actor, server)| AuditEntryDto {
            id: r.id,
            at: r.at.to_rfc3339(),
            actor,
            server,
            server_id: r.server_id,
            action: r.action,
            target: r.target,
            outcome: r.outcome,
            ip: r.ip,
        })
        .collect())
}

/// Prunes audit entries older than `days` and sign-in attempts older than a day (the limits
/// look back minutes) once an hour, until the process ends.
pub async fn prune_daily(state: AppState, days: i64) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let Ok(mut c) = conn(&state).await else {
            continue;
        };
        match db::Audit::prune(&mut c, days).await {
            Ok(n) if n > 0 => tracing::info!(n, days, "pruned old audit entries"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not prune the audit log"),
        }
        let before = chrono::Utc::now() - chrono::Duration::days(1);
        match db::LoginAttempt::prune(&mut c, before).await {
            Ok(n) if n > 0 => tracing::info!(n, "pruned old sign-in attempts"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not prune sign-in attempts"),
        }
    }
}
