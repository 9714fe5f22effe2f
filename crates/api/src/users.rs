//! Users, for administrators: list, create, change (role, disabled, quotas), reset password.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::users;
use protocol::AppError;
use protocol::dto::{AdminUserDto, UserChangesDto};

/// Every user (administrators).
#[server(prefix = "/api", endpoint = "users", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_users() -> Result<Vec<AdminUserDto>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    users::list(&state, &actor).await
}

/// Creates a user (administrators).
#[server(prefix = "/api", endpoint = "user_create", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn create_user(
    username: String,
    password: String,
    is_admin: bool,
) -> Result<AdminUserDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    users::create(&state, &actor, &username, password, is_admin).await
}

/// Changes a user: administrator or not, disabled or not (a disabled user's sessions and tokens
/// end), quotas. Refused if it would leave no enabled administrator (administrators).
#[server(prefix = "/api", endpoint = "user_update", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn update_user(id: Uuid, changes: UserChangesDto) -> Result<AdminUserDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    users::update(&state, &actor, id, changes).await
}

/// Sets a user's password; their sessions end (administrators).
#[server(prefix = "/api", endpoint = "user_password_reset", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn reset_user_password(id: Uuid, password: String) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    users::reset_password(&state, &actor, id, password).await
}
