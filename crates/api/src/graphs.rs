//! The graphs' data: a server's CPU, memory and players over the last hours, and the whole
//! panel's for administrators.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::samples;
use protocol::AppError;
use protocol::live::SamplesDto;

/// A server's CPU, memory and players over the last `hours` (1 to 24), a point a minute
/// (those who see its console and stats).
#[server(prefix = "/api", endpoint = "server_graphs", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn server_graphs(id: Uuid, hours: u32) -> Result<SamplesDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    samples::of_server(&state, &actor, id, hours).await
}

/// Every server's CPU, memory and players summed, over the last `hours` (administrators).
#[server(prefix = "/api", endpoint = "panel_graphs", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn panel_graphs(hours: u32) -> Result<SamplesDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    samples::of_panel(&state, &actor, hours).await
}
