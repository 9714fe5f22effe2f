//! Sharing a server: list, add or change, and remove members (sub-users) with permissions
//! (`console.read`, `files.write`...; see [`protocol::permission::PERMISSIONS`]).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::members;
use protocol::AppError;
use protocol::dto::MemberDto;

/// A server's members (needs `members`).
#[server(prefix = "/api", endpoint = "server_members", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_members(id: Uuid) -> Result<Vec<MemberDto>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    members::list(&state, &actor, id).await
}

/// Adds a user to a server with `permissions`, or changes a member's (needs `members`, and
/// every permission granted).
#[server(prefix = "/api", endpoint = "server_member_set", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn set_member(
    id: Uuid,
    username: String,
    permissions: Vec<String>,
) -> Result<MemberDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    members::set(&state, &actor, id, &username, &permissions).await
}

/// Removes a member (needs `members`; anyone may remove themself).
#[server(prefix = "/api", endpoint = "server_member_remove", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn remove_member(id: Uuid, user_id: Uuid) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    members::remove(&state, &actor, id, user_id).await
}
