//! The one authorization decision every server-scoped call goes through.

use protocol::permission::GRANTABLE;
use protocol::{AppError, Permission};

use crate::Actor;

/// What only administrators may do: named in the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminTask {
    /// Import, export and delete templates.
    Templates,
    /// Add, rename and delete plans.
    Plans,
    /// List, create and change users, reset their passwords and two-factor.
    Users,
    /// The panel's own webhooks (those told of every server).
    Webhooks,
}

/// Allows administrators (signed in, or by a token scoped `admin`) alone, telling anyone else
/// what they were refused.
pub fn require_admin(actor: &Actor, task: AdminTask) -> Result<(), AppError> {
    if actor.acts_as_admin() {
        return Ok(());
    }
    Err(AppError::forbidden(match task {
        AdminTask::Templates => crate::msg!("authorize-admin-templates"),
        AdminTask::Plans => crate::msg!("authorize-admin-plans"),
        AdminTask::Users => crate::msg!("authorize-admin-users"),
        AdminTask::Webhooks => crate::msg!("authorize-admin-webhooks"),
    }))
}

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
    if let (Ok(()), Some(scopes), true) = (&base, &actor.scopes, perm.grantable())
        && !scopes.iter().any(|s| s == perm.name())
    {
        return Err(AppError::forbidden(crate::msg!("authorize-token-scope",
            "permission" => perm.name(),
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
    match member {
        Some(_) if !perm.grantable() => Ok(()),
        Some(m) if m.permissions.iter().any(|p| p == perm.name()) => Ok(()),
        Some(_) => {
            tracing::info!(user = %actor.user.username, server = %server.id, ?perm, "refused: member");
            Err(AppError::forbidden(crate::msg!("authorize-member-lacks",
                "permission" => perm.name(),
            )))
        }
        None => {
            tracing::info!(user = %actor.user.username, server = %server.id, ?perm, "refused");
            let message = crate::msg!("authorize-server-not-found");
            Err(AppError::not_found(message))
        }
    }
}

/// The permissions `actor` holds on `server` (all of them for its owner and admins).
pub fn held(actor: &Actor, server: &db::Server, member: Option<&db::Member>) -> Vec<Permission> {
    GRANTABLE
        .into_iter()
        .filter(|p| authorize(actor, server, member, *p).is_ok())
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
