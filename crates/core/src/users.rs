//! Administrators manage users: create, disable (their sessions and tokens stop), make admin,
//! set quotas, reset passwords (which revokes their API tokens) and see who uses two-factor
//! sign-in. The panel always keeps one enabled administrator.

use uuid::Uuid;

use crate::audit;
use crate::authorize::{AdminTask, require_admin};
use crate::{Actor, AppState, conn, password};
use protocol::AppError;
use protocol::dto::{AdminUserDto, UserChangesDto};

fn dto(u: &db::User) -> AdminUserDto {
    AdminUserDto {
        id: u.id,
        username: u.username.clone(),
        is_admin: u.is_admin,
        disabled: u.disabled,
        two_factor: false,
        email: u.email.clone(),
        linked: Vec::new(),
        max_servers: u.max_servers,
        max_memory_mib: u.max_memory_mib,
        max_disk_gib: u.max_disk_gib,
        created_at: u.created_at.to_rfc3339(),
    }
}

/// Every user.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<AdminUserDto>, AppError> {
    require_admin(actor, AdminTask::Users)?;
    let mut c = conn(state).await?;
    let with_2fa = db::TwoFactor::enabled_users(&mut c).await?;
    let linked = db::Identity::all_issuers(&mut c).await?;
    Ok(db::User::all(&mut c)
        .await?
        .iter()
        .map(|u| AdminUserDto {
            two_factor: with_2fa.contains(&u.id),
            linked: linked
                .iter()
                .filter(|(id, _)| *id == u.id)
                .map(|(_, issuer)| issuer.clone())
                .collect(),
            ..dto(u)
        })
        .collect())
}

/// Creates a user.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    username: &str,
    new_password: String,
    is_admin: bool,
) -> Result<AdminUserDto, AppError> {
    require_admin(actor, AdminTask::Users)?;
    protocol::validate::username(username).map_err(AppError::bad_request)?;
    protocol::validate::new_password(&new_password).map_err(AppError::bad_request)?;
    let hash = password::hash(new_password, state.auth.bcrypt_cost).await?;
    let mut c = conn(state).await?;
    let user = db::User::create(&mut c, &db::NewUser::new(username, &hash, is_admin)).await?;
    drop(c);
    let what = format!("{username}{}", if is_admin { " (admin)" } else { "" });
    audit::record(state, actor, None, "user.create", Some(&what), "ok").await;
    Ok(dto(&user))
}

/// Changes a user's role, state or quotas.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    changes: UserChangesDto,
) -> Result<AdminUserDto, AppError> {
    require_admin(actor, AdminTask::Users)?;
    let bounded = |v: Option<i32>, max: i32, refusal: fn(i32) -> String| match v {
        Some(n) if !(0..=max).contains(&n) => Err(AppError::bad_request(refusal(max))),
        _ => Ok(v),
    };
    let changes = db::users::UserChanges {
        is_admin: changes.is_admin,
        disabled: changes.disabled,
        max_servers: bounded(
            changes.max_servers,
            1000,
            |max| crate::msg!("users-server-quota-range", "max" => max),
        )?,
        max_memory_mib: bounded(
            changes.max_memory_mib,
            16 * 1024 * 1024,
            |max| crate::msg!("users-memory-quota-range", "max" => max),
        )?,
        max_disk_gib: bounded(
            changes.max_disk_gib,
            1024 * 1024,
            |max| crate::msg!("users-disk-quota-range", "max" => max),
        )?,
        email: match changes.email.as_deref().map(str::trim) {
            None => None,
            Some("") => Some(None),
            Some(address) => {
                protocol::validate::email(address).map_err(AppError::bad_request)?;
                Some(Some(address.to_owned()))
            }
        },
    };
    let mut c = conn(state).await?;
    let user = db::User::update_by_admin(&mut c, id, &changes)
        .await?
        .ok_or_else(|| AppError::not_found(crate::msg!("users-not-found")))?;
    if changes.disabled == Some(true) {
        db::Session::revoke_all_for_user(&mut c, id, None).await?;
        db::ApiToken::revoke_all_for_user(&mut c, id).await?;
    }
    drop(c);
    let what = format!("{}: {changes:?}", user.username);
    audit::record(state, actor, None, "user.update", Some(&what), "ok").await;
    Ok(dto(&user))
}

/// Sets a user's password; their sessions end and their API tokens are revoked.
pub async fn reset_password(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    new_password: String,
) -> Result<(), AppError> {
    require_admin(actor, AdminTask::Users)?;
    protocol::validate::new_password(&new_password).map_err(AppError::bad_request)?;
    let hash = password::hash(new_password, state.auth.bcrypt_cost).await?;
    let mut c = conn(state).await?;
    if !db::User::set_password_hash(&mut c, id, &hash).await? {
        return Err(AppError::not_found(crate::msg!("users-not-found")));
    }
    let keep = (id == actor.user.id).then_some(actor.session_id);
    db::Session::revoke_all_for_user(&mut c, id, keep).await?;
    let tokens = db::ApiToken::revoke_all_for_user(&mut c, id).await?;
    drop(c);
    audit::record(
        state,
        actor,
        None,
        "user.password",
        Some(&format!("{id}: {tokens} API tokens revoked")),
        "ok",
    )
    .await;
    Ok(())
}
