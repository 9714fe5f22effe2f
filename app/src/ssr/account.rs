//! The signed-in user's account: their sessions (list, sign out one) and their password (a
//! change signs out every other session).

use uuid::Uuid;

use crate::AppError;
use crate::dto::SessionDto;
use crate::ssr::servers::audit;
use crate::ssr::{Actor, AppState, auth, conn, password};

fn sessions_only(actor: &Actor) -> Result<(), AppError> {
    if actor.scopes.is_some() {
        return Err(AppError::forbidden(
            "API tokens cannot manage the account; sign in to the panel to do it.",
        ));
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
        return Err(AppError::not_found("No such session."));
    }
    drop(c);
    audit(
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

/// Changes the actor's password after checking the current one (with the sign-in limits);
/// every other session is signed out. Returns how many.
pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    current: String,
    new: String,
) -> Result<usize, AppError> {
    sessions_only(actor)?;
    crate::validate::new_password(&new).map_err(AppError::bad_request)?;
    if current == new {
        return Err(AppError::bad_request(
            "The new password must differ from the current one.",
        ));
    }
    if let Err(e) = auth::check_password(state, &actor.user.username, current).await {
        audit(
            state,
            actor,
            None,
            "account.password",
            None,
            "refused: wrong password",
        )
        .await;
        return Err(match e {
            AppError::Unauthenticated { .. } => {
                AppError::bad_request("The current password is not right.")
            }
            other => other,
        });
    }
    let hash = password::hash(new, state.auth.bcrypt_cost).await?;
    let mut c = conn(state).await?;
    db::User::set_password_hash(&mut c, actor.user.id, &hash).await?;
    let n = db::Session::revoke_all_for_user(&mut c, actor.user.id, Some(actor.session_id)).await?;
    drop(c);
    audit(
        state,
        actor,
        None,
        "account.password",
        Some(&format!("{n} other sessions signed out")),
        "ok",
    )
    .await;
    Ok(n)
}
