//! Your account: sessions and password.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::account;
use protocol::AppError;
use protocol::dto::SessionDto;

/// Your active sessions (browsers signed in as you), the current one marked.
#[server(prefix = "/api", endpoint = "sessions", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_sessions() -> Result<Vec<SessionDto>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    account::sessions(&state, &actor).await
}

/// Signs out one of your sessions.
#[server(prefix = "/api", endpoint = "session_revoke", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn revoke_session(id: Uuid) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    account::revoke_session(&state, &actor, id).await
}

/// Changes your password; every other session is signed out (the answer says how many).
#[server(prefix = "/api", endpoint = "password_change", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<protocol::dto::PasswordChangedDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    account::change_password(&state, &actor, current_password, new_password).await
}
