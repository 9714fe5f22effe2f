//! The one authorization decision every server-scoped call goes through.

use crate::AppError;
use crate::ssr::Actor;

/// What a caller wants to do with a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See it (status, settings).
    View,
    /// Watch its console.
    ConsoleRead,
    /// Type in its console.
    ConsoleWrite,
    /// Start it.
    ControlStart,
    /// Stop it.
    ControlStop,
    /// Restart it.
    ControlRestart,
    /// Kill it.
    ControlKill,
    /// Change its variables and plan.
    Settings,
    /// List, read and download its files.
    FilesRead,
    /// Create, write, upload, rename, copy, pack and unpack its files.
    FilesWrite,
    /// Delete its files.
    FilesDelete,
    /// Delete it.
    Delete,
}

/// Allows `actor` to do `perm` on `server`: administrators and the owner may do everything;
/// sub-users arrive with their own permission sets later. Anyone else is told the server does
/// not exist, so that ids cannot be probed.
pub fn authorize(actor: &Actor, server: &db::Server, perm: Permission) -> Result<(), AppError> {
    if actor.user.is_admin || server.owner_id == actor.user.id {
        return Ok(());
    }
    tracing::info!(user = %actor.user.username, server = %server.id, ?perm, "refused");
    Err(AppError::not_found("No such server."))
}
