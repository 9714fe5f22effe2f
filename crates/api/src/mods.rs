//! Mods and plugins of a server from Modrinth (and SpigotMC through Spiget, `source`): search,
//! versions, install, remove, the list.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::mods;
use protocol::AppError;
use protocol::mods::{ModSearchDto, ModSource, ModVersion, ModsDto};

/// What mods fit the server, and those it has (with newer versions that fit).
#[server(prefix = "/api", endpoint = "mods", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_mods(id: Uuid) -> Result<ModsDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    mods::list(&state, &actor, id).await
}

/// Searches Modrinth for projects that fit the server (its loader and game version).
#[server(prefix = "/api", endpoint = "mod_search", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn search_mods(
    id: Uuid,
    query: String,
    source: Option<ModSource>,
) -> Result<ModSearchDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    mods::search(&state, &actor, id, &query, source.unwrap_or_default()).await
}

/// The versions of a project that fit the server, newest first.
#[server(prefix = "/api", endpoint = "mod_versions", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn mod_versions(
    id: Uuid,
    project: String,
    source: Option<ModSource>,
) -> Result<Vec<ModVersion>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    mods::versions(&state, &actor, id, &project, source.unwrap_or_default()).await
}

/// Installs a project (at `version`, else the newest that fits).
#[server(prefix = "/api", endpoint = "mod_install", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn install_mod(
    id: Uuid,
    project: String,
    version: Option<String>,
    source: Option<ModSource>,
) -> Result<ModsDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let source = source.unwrap_or_default();
    mods::install(&state, &actor, id, &project, version.as_deref(), source).await
}

/// Removes a project.
#[server(prefix = "/api", endpoint = "mod_remove", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn remove_mod(
    id: Uuid,
    project: String,
    source: Option<ModSource>,
) -> Result<ModsDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    mods::remove(&state, &actor, id, &project, source.unwrap_or_default()).await
}
