//! Backups of a server's world: list, make, lock, delete and restore them.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::backups;
use protocol::AppError;
use protocol::dto::{BackupDto, BackupsDto, RestoreDto, ServerDto};

/// The server's backups, newest first, with the plan's number and a restore under way.
#[server(prefix = "/api", endpoint = "backups", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_backups(id: Uuid) -> Result<BackupsDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    backups::list(&state, &actor, id).await
}

/// Starts a backup of the server (named `name`, else by the time); see its progress in
/// `backups`. On a running server the world is saved first and saving paused meanwhile.
#[server(prefix = "/api", endpoint = "backup_create", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn create_backup(id: Uuid, name: Option<String>) -> Result<BackupDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    backups::create(&state, &actor, id, name).await
}

/// Sets what the server's backups leave out: restic patterns (`*.log`, `/logs`; one starting
/// with `/` is from the world's root), at most 50. The patterns as kept.
#[server(prefix = "/api", endpoint = "backup_exclude", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn set_backup_exclude(id: Uuid, patterns: Vec<String>) -> Result<Vec<String>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    backups::set_exclude(&state, &actor, id, patterns).await
}

/// Locks (never removed to make room, never deleted) or unlocks a backup.
#[server(prefix = "/api", endpoint = "backup_lock", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn lock_backup(id: Uuid, backup: Uuid, locked: bool) -> Result<BackupDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    backups::set_locked(&state, &actor, id, backup, locked).await
}

/// Deletes a backup (its snapshot leaves the repository).
#[server(prefix = "/api", endpoint = "backup_delete", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn delete_backup(id: Uuid, backup: Uuid) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    backups::delete(&state, &actor, id, backup).await
}

/// Restores a backup into the server's world: it stops, the world is emptied first with
/// `wipe`, the backup is put back, and it starts again if it was running.
#[server(prefix = "/api", endpoint = "backup_restore", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn restore_backup(id: Uuid, backup: Uuid, wipe: bool) -> Result<RestoreDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    backups::restore(&state, &actor, id, backup, wipe).await
}

/// Restores a backup into a new server `name` on plan `plan_id` (yours, within your quota, from
/// the same template and settings); the backup's own server is untouched. The new server's
/// `backups` says where the restore is.
#[server(prefix = "/api", endpoint = "backup_restore_new", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn restore_backup_into_new(
    id: Uuid,
    backup: Uuid,
    name: String,
    plan_id: Uuid,
) -> Result<ServerDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    backups::restore_into_new(&state, &actor, id, backup, name, plan_id).await
}
