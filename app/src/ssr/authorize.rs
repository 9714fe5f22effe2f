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
    /// Add, change and remove its members (within the rights they hold themselves).
    Members,
    /// Delete it.
    Delete,
}

impl Permission {
    /// The permission's name in the API and the members table (None for `View`, which every
    /// member has).
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Permission::View => return None,
            Permission::ConsoleRead => "console.read",
            Permission::ConsoleWrite => "console.write",
            Permission::ControlStart => "control.start",
            Permission::ControlStop => "control.stop",
            Permission::ControlRestart => "control.restart",
            Permission::ControlKill => "control.kill",
            Permission::Settings => "settings",
            Permission::FilesRead => "files.read",
            Permission::FilesWrite => "files.write",
            Permission::FilesDelete => "files.delete",
            Permission::Members => "members",
            Permission::Delete => "delete",
        })
    }

    /// The permission of an API name (`"view"` for [`Permission::View`]).
    pub fn from_name(name: &str) -> Option<Permission> {
        if name == "view" {
            return Some(Permission::View);
        }
        ALL.iter().copied().find(|p| p.name() == Some(name))
    }
}

/// Every permission but `View`.
pub const ALL: &[Permission] = &[
    Permission::ConsoleRead,
    Permission::ConsoleWrite,
    Permission::ControlStart,
    Permission::ControlStop,
    Permission::ControlRestart,
    Permission::ControlKill,
    Permission::FilesRead,
    Permission::FilesWrite,
    Permission::FilesDelete,
    Permission::Settings,
    Permission::Members,
    Permission::Delete,
];

/// Allows `actor` to do `perm` on `server`: administrators (signed in, or by a token scoped
/// `admin`: see [`Actor::acts_as_admin`]) and the owner may do everything; a
/// member (`member`, their share of this server) may see it and do what their permissions name,
/// and is told plainly what they lack. Anyone else is told the server does not exist, so that
/// ids cannot be probed. Every server-scoped call, socket event and file route comes here.
pub fn authorize(
    actor: &Actor,
    server: &db::Server,
    member: Option<&db::Member>,
    perm: Permission,
) -> Result<(), AppError> {
    let base = decide(actor, server, member, perm);
    // An API token acts within its scope, whatever its user may do.
    if let (Ok(()), Some(scopes), Some(name)) = (&base, &actor.scopes, perm.name())
        && !scopes.iter().any(|s| s == name)
    {
        return Err(AppError::forbidden(format!(
            "This API token's scope does not include {name}."
        )));
    }
    base
}

fn decide(
    actor: &Actor,
    server: &db::Server,
    member: Option<&db::Member>,
    perm: Permission,
) -> Result<(), AppError> {
    if actor.acts_as_admin() || server.owner_id == actor.user.id {
        return Ok(());
    }
    let member = member.filter(|m| m.server_id == server.id && m.user_id == actor.user.id);
    match (member, perm.name()) {
        (Some(_), None) => Ok(()),
        (Some(m), Some(name)) if m.permissions.iter().any(|p| p == name) => Ok(()),
        (Some(_), Some(name)) => {
            tracing::info!(user = %actor.user.username, server = %server.id, ?perm, "refused: member");
            Err(AppError::forbidden(format!(
                "You do not have the {name} permission on this server."
            )))
        }
        (None, _) => {
            tracing::info!(user = %actor.user.username, server = %server.id, ?perm, "refused");
            Err(AppError::not_found("No such server."))
        }
    }
}

/// The permission names `actor` holds on `server` (all of them for its owner and admins).
pub fn held(actor: &Actor, server: &db::Server, member: Option<&db::Member>) -> Vec<String> {
    ALL.iter()
        .filter(|p| authorize(actor, server, member, **p).is_ok())
        .filter_map(|p| p.name().map(str::to_string))
        .collect()
}

/// Loads `actor`'s share of `server` when it matters (not for its owner or admins).
pub async fn membership(
    conn: &mut db::AsyncPgConnection,
    actor: &Actor,
    server: &db::Server,
) -> Result<Option<db::Member>, AppError> {
    if actor.acts_as_admin() || server.owner_id == actor.user.id {
        return Ok(None);
    }
    Ok(db::Member::find(conn, server.id, actor.user.id).await?)
}
