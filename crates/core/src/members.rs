//! Sharing a server: its members (sub-users) and their permissions. Whoever manages members
//! (the owner, an administrator, or a member with `members`) can never grant a permission they
//! lack, nor change a member who holds one. Changes apply at once, open consoles included (the
//! socket sweep re-reads memberships every second).

use uuid::Uuid;

use crate::audit;
use crate::authorize::{held, membership};
use crate::servers::load;
use crate::{Actor, AppState, Permission, conn};
use protocol::dto::MemberDto;
use protocol::{AppError, permission};

fn dto(m: db::Member, username: String) -> MemberDto {
    MemberDto {
        user_id: m.user_id,
        username,
        permissions: permission::known(&m.permissions),
    }
}

/// A server's members.
pub async fn list(state: &AppState, actor: &Actor, id: Uuid) -> Result<Vec<MemberDto>, AppError> {
    load(state, actor, id, Permission::Members).await?;
    let mut c = conn(state).await?;
    Ok(db::Member::list(&mut c, id)
        .await?
        .into_iter()
        .map(|(m, u)| dto(m, u))
        .collect())
}

/// What the actor may hand out on this server.
async fn grantable(
    c: &mut db::AsyncPgConnection,
    actor: &Actor,
    server: &db::Server,
) -> Result<Vec<Permission>, AppError> {
    let me = membership(c, actor, server).await?;
    Ok(held(actor, server, me.as_ref()))
}

/// Whether every permission `member` holds is among `mine` (who manages a member must hold
/// all they hold).
fn within(member: &db::Member, mine: &[Permission]) -> bool {
    permission::known(&member.permissions)
        .iter()
        .all(|p| mine.contains(p))
}

/// Adds `username` to the server with `permissions`, or changes a member's permissions.
pub async fn set(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    username: &str,
    permissions: &[String],
) -> Result<MemberDto, AppError> {
    let server = load(state, actor, id, Permission::Members).await?;
    let perms = permission::normalise(permissions).map_err(AppError::bad_request)?;
    let mut c = conn(state).await?;
    let target = db::User::find_by_username(&mut c, username.trim())
        .await?
        .filter(|u| !u.disabled)
        .ok_or_else(|| {
            AppError::not_found(crate::msg!("members-no-user", "username" => username))
        })?;
    if target.id == server.owner_id {
        return Err(AppError::bad_request(
            crate::msg!("members-owner", "username" => &target.username),
        ));
    }
    if target.id == actor.user.id {
        let message = crate::msg!("members-own-permissions");
        return Err(AppError::bad_request(message));
    }
    let mine = grantable(&mut c, actor, &server).await?;
    if let Some(p) = perms.iter().find(|p| !mine.contains(p)) {
        return Err(AppError::forbidden(
            crate::msg!("members-grant-lacking", "permission" => p.to_string()),
        ));
    }
    if let Some(existing) = db::Member::find(&mut c, id, target.id).await?
        && !within(&existing, &mine)
    {
        return Err(AppError::forbidden(
            crate::msg!("members-holds-more", "username" => &target.username),
        ));
    }
    let names = permission::names(&perms);
    let m = db::Member::upsert(&mut c, id, target.id, &names).await?;
    drop(c);
    let what = format!("{}: {}", target.username, names.join(" "));
    audit::record(state, actor, Some(id), "member.set", Some(&what), "ok").await;
    Ok(dto(m, target.username))
}

/// Removes a member (anyone may leave a server they were added to).
pub async fn remove(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    user_id: Uuid,
) -> Result<(), AppError> {
    let leaving = user_id == actor.user.id;
    let perm = if leaving {
        Permission::View
    } else {
        Permission::Members
    };
    let server = load(state, actor, id, perm).await?;
    let mut c = conn(state).await?;
    let existing = db::Member::find(&mut c, id, user_id)
        .await?
        .ok_or_else(|| AppError::not_found(crate::msg!("members-not-member")))?;
    if !leaving {
        let mine = grantable(&mut c, actor, &server).await?;
        if !within(&existing, &mine) {
            let message = crate::msg!("members-member-holds-more");
            return Err(AppError::forbidden(message));
        }
    }
    db::Member::remove(&mut c, id, user_id).await?;
    drop(c);
    audit::record(
        state,
        actor,
        Some(id),
        "member.remove",
        Some(&user_id.to_string()),
        "ok",
    )
    .await;
    Ok(())
}
