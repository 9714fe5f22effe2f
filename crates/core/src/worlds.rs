//! Kept worlds: the volumes of servers deleted with "keep the world". Their owner sees them,
//! gets one back by making a server of the same name, or deletes it for good; administrators
//! see and can delete every one. They count in the owner's disk quota until deleted — by their
//! owner, or by the panel once the operator's expiry (`PANEL_KEPT_WORLD_DAYS`) has passed.

use crate::audit;
use crate::servers::cluster_error;
use crate::{Actor, AppState, conn};
use protocol::AppError;
use protocol::dto::KeptWorldDto;

/// The worlds the actor kept (every kept world for administrators), newest first.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<KeptWorldDto>, AppError> {
    let mut c = conn(state).await?;
    let owner = (!actor.acts_as_admin()).then_some(actor.user.id);
    let worlds = db::KeptWorld::list(&mut c, owner).await?;
    // the owners' names: the actor's own, or (for administrators) everyone's, in one query
    let users = match owner {
        Some(_) => vec![actor.user.clone()],
        None => db::User::all(&mut c).await?,
    };
    Ok(worlds
        .into_iter()
        .map(|w| KeptWorldDto {
            owner: users
                .iter()
                .find(|u| u.id == w.owner_id)
                .map(|u| u.username.clone())
                .unwrap_or_default(),
            object_name: w.object_name,
            server_name: w.server_name,
            disk_gib: w.disk_gib,
            kept_at: w.kept_at.to_rfc3339(),
            expires_at: state
                .storage
                .kept_world_days
                .map(|d| (w.kept_at + chrono::Duration::days(d.into())).to_rfc3339()),
        })
        .collect())
}

/// Deletes a kept world for good: its claim (and so its volume) goes, and its disk leaves the
/// owner's quota. Its owner or an administrator only (an API token needs the `delete` scope);
/// anyone else is told there is no such world. The record is taken first, so no server can be
/// made on the world meanwhile; it is put back when the cluster refuses.
pub async fn delete_for_good(
    state: &AppState,
    actor: &Actor,
    object_name: &str,
) -> Result<(), AppError> {
    if actor
        .scopes
        .as_ref()
        .is_some_and(|s| !s.iter().any(|x| x == "delete"))
    {
        return Err(AppError::forbidden(crate::msg!("worlds-token-scope")));
    }
    let owner = (!actor.acts_as_admin()).then_some(actor.user.id);
    let mut c = conn(state).await?;
    let Some(world) = db::KeptWorld::take_by_object_name(&mut c, object_name, owner).await? else {
        return Err(AppError::not_found(crate::msg!("worlds-not-found")));
    };
    drop(c);
    if let Err(e) = state.kube.delete_server(&world.object_name, false).await {
        let mut c = conn(state).await?;
        db::KeptWorld::put_back(&mut c, &world).await?;
        return Err(cluster_error(e));
    }
    crate::backups::empty_repository(state, uuid::Uuid::nil(), &world.object_name);
    forget_kept_backups(state, &world.object_name).await;
    let what = format!("{} ({} GiB)", world.server_name, world.disk_gib);
    audit::record(state, actor, None, "world.delete", Some(&what), "ok").await;
    Ok(())
}

/// Deletes for good every kept world older than the expiry; returns how many. Each is taken
/// first (so another replica running this, or its owner, cannot take it too) and put back when
/// the cluster refuses; each deletion is in the audit log as `world.expire`, by no one.
pub async fn expire(state: &AppState) -> Result<usize, AppError> {
    let Some(days) = state.storage.kept_world_days else {
        return Ok(0);
    };
    let before = chrono::Utc::now() - chrono::Duration::days(days.into());
    let mut c = conn(state).await?;
    let old = db::KeptWorld::kept_before(&mut c, before).await?;
    drop(c);
    let mut done = 0;
    for w in old {
        let mut c = conn(state).await?;
        let Some(world) = db::KeptWorld::take_by_object_name(&mut c, &w.object_name, None).await?
        else {
            continue;
        };
        drop(c);
        if let Err(e) = state.kube.delete_server(&world.object_name, false).await {
            let mut c = conn(state).await?;
            db::KeptWorld::put_back(&mut c, &world).await?;
            tracing::warn!(world = %world.object_name, error = %e, "could not delete an expired world");
            continue;
        }
        crate::backups::empty_repository(state, uuid::Uuid::nil(), &world.object_name);
        forget_kept_backups(state, &world.object_name).await;
        let what = format!(
            "{} ({} GiB), kept more than {days} days",
            world.server_name, world.disk_gib
        );
        crate::audit::record_unattended(state, None, "world.expire", Some(&what), "ok").await;
        tracing::info!(world = %world.object_name, "deleted an expired kept world");
        done += 1;
    }
    Ok(done)
}

/// Runs [`expire`] every hour.
pub async fn expire_hourly(state: AppState) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        if let Err(e) = expire(&state).await {
            tracing::warn!(error = %e, "could not expire kept worlds");
        }
    }
}

/// Forgets the rows of a world's kept backups (its repository is being emptied); a failure is
/// logged: the rows only list snapshots that are going.
async fn forget_kept_backups(state: &AppState, object_name: &str) {
    let res = match conn(state).await {
        Ok(mut c) => db::forget_kept_backups(&mut c, object_name)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    if let Err(e) = res {
        tracing::warn!(error = %e, world = %object_name, "a deleted world's backup rows stay");
    }
}
