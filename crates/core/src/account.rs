//! The signed-in user's account: their sessions (list, sign out one) and their password (a
//! change signs out every other session and revokes every API token), and the password check
//! that guards what a stolen session alone must not do.

use uuid::Uuid;

use crate::audit;
use crate::{Actor, AppState, conn, password};
use protocol::AppError;
use protocol::dto::{PasswordChangedDto, SessionDto};

fn sessions_only(actor: &Actor) -> Result<(), AppError> {
    if actor.scopes.is_some() {
        return Err(AppError::forbidden(crate::msg!("account-tokens")));
    }
    Ok(())
}

/// The actor's active sessions (the current one marked).
pub async fn sessions(state: &AppState, actor: &Actor) -> Result<Vec<SessionDto>, AppError> {
    sessions_only(actor)?;
    let mut c = conn(state).await?;
    Ok(db::Session::list_active_for_user(&mut c, actor.user.id)
        .await?
        .into_iter()
        .map(|s| SessionDto {
            id: s.id,
            created_at: s.created_at.to_rfc3339(),
            last_seen_at: s.last_seen_at.to_rfc3339(),
            ip: s.ip,
            user_agent: s.user_agent,
            current: s.id == actor.session_id,
        })
        .collect())
}

/// Signs out one of the actor's sessions (its open sockets close within a second).
pub async fn revoke_session(state: &AppState, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    sessions_only(actor)?;
    let mut c = conn(state).await?;
    if !db::Session::revoke_for_user(&mut c, id, actor.user.id).await? {
        let message = crate::msg!("account-session-not-found");
        return Err(AppError::not_found(message));
    }
    drop(c);
    audit::record(
        state,
        actor,
        None,
        "session.revoke",
        Some(&id.to_string()),
        "ok",
    )
    .await;
    Ok(())
}

/// Checks that the signed-in actor knows their password (with the sign-in limits), before
/// something a stolen session alone must not do: `action` names it in the audit log when the
/// password is wrong.
pub async fn confirm_password(
    state: &AppState,
    actor: &Actor,
    password: String,
    action: &str,
) -> Result<(), AppError> {
    if password.is_empty() {
        let message = crate::msg!("account-password-missing");
        return Err(AppError::bad_request(message));
    }
    match super::sign_in::confirm(state, actor, password).await {
        Ok(()) => Ok(()),
        Err(e) => {
            audit::record(state, actor, None, action, None, "refused: wrong password").await;
            Err(match e {
                AppError::Unauthenticated { .. } => {
                    AppError::bad_request(crate::msg!("account-password-wrong"))
                }
                other => other,
            })
        }
    }
}

/// Changes the actor's password after checking the current one (with the sign-in limits);
/// every other session is signed out and every API token revoked (a token made by whoever
/// knew the old password must not outlive it).
pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    current: String,
    new: String,
) -> Result<PasswordChangedDto, AppError> {
    sessions_only(actor)?;
    protocol::validate::new_password(&new).map_err(AppError::bad_request)?;
    if current == new {
        return Err(AppError::bad_request(crate::msg!("account-password-same")));
    }
    confirm_password(state, actor, current, "account.password").await?;
    let hash = password::hash(new, state.auth.bcrypt_cost).await?;
    let mut c = conn(state).await?;
    db::User::set_password_hash(&mut c, actor.user.id, &hash).await?;
    let sessions =
        db::Session::revoke_all_for_user(&mut c, actor.user.id, Some(actor.session_id)).await?;
    let tokens = db::ApiToken::revoke_all_for_user(&mut c, actor.user.id).await?;
    drop(c);
    audit::record(
        state,
        actor,
        None,
        "account.password",
        Some(&format!(
            "{sessions} other sessions signed out, {tokens} API tokens revoked"
        )),
        "ok",
    )
    .await;
    Ok(PasswordChangedDto {
        sessions_signed_out: sessions,
        tokens_revoked: tokens,
    })
}
