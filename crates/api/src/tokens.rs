//! API tokens for scripts: list, create (the secret is answered once), revoke. Use one with
//! `Authorization: Bearer mcp_…` on any endpoint; it acts as you, within its scope.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::tokens;
use protocol::AppError;
use protocol::dto::{NewTokenDto, TokenDto};

/// Your live tokens (never their secrets).
#[server(prefix = "/api", endpoint = "tokens", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_tokens() -> Result<Vec<TokenDto>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    tokens::list(&state, &actor).await
}

/// Makes a token limited to `scopes` (permission names; `admin` for administrators), expiring
/// after `expires_days` (or never), once `password` is the caller's. The answer holds the
/// secret: it is not shown again.
#[server(prefix = "/api", endpoint = "token_create", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn create_token(
    name: String,
    scopes: Vec<String>,
    expires_days: Option<u32>,
    password: String,
) -> Result<NewTokenDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    tokens::create(&state, &actor, &name, &scopes, expires_days, password).await
}

/// Revokes one of your tokens.
#[server(prefix = "/api", endpoint = "token_revoke", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn revoke_token(id: Uuid) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    tokens::revoke(&state, &actor, id).await
}
