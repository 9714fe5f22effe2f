//! Kept worlds: list them, delete one for good.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::worlds;
use protocol::AppError;
use protocol::dto::KeptWorldDto;

/// The worlds you kept when deleting servers (every kept world for administrators), newest
/// first. A new server of the same name gets one back.
#[server(prefix = "/api", endpoint = "worlds_kept", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn worlds_kept() -> Result<Vec<KeptWorldDto>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    worlds::list(&state, &actor).await
}

/// Deletes a kept world for good (its files are gone; its disk leaves your quota).
#[server(prefix = "/api", endpoint = "world_delete", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn world_delete(object_name: String) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    worlds::delete_for_good(&state, &actor, &object_name).await
}
