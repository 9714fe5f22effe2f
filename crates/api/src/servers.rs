//! Servers: templates and plans to choose from, the list, create, power, delete.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::{Permission, conn, servers};
use protocol::AppError;
use protocol::dto::{PlanDto, PowerAction, ServerDto, TemplateDto};

/// The templates a server can be made from.
#[server(prefix = "/api", endpoint = "templates", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_templates() -> Result<Vec<TemplateDto>, AppError> {
    let state = app_state()?;
    current_actor(&state).await?;
    let mut c = conn(&state).await?;
    db::Template::all(&mut c)
        .await?
        .iter()
        .map(servers::template_dto)
        .collect()
}

/// The plans a server can get.
#[server(prefix = "/api", endpoint = "plans", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_plans() -> Result<Vec<PlanDto>, AppError> {
    let state = app_state()?;
    current_actor(&state).await?;
    let mut c = conn(&state).await?;
    Ok(db::Plan::all(&mut c)
        .await?
        .iter()
        .map(servers::plan_dto)
        .collect())
}

/// The caller's servers (every server, for administrators).
#[server(prefix = "/api", endpoint = "servers", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_servers() -> Result<Vec<ServerDto>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    servers::list(&state, &actor).await
}

/// One server.
#[server(prefix = "/api", endpoint = "server", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn get_server(id: Uuid) -> Result<ServerDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let s = servers::load(&state, &actor, id, Permission::View).await?;
    let mut c = conn(&state).await?;
    servers::server_dto(&state, &mut c, &actor, &s).await
}

/// Creates a server and starts it.
#[server(prefix = "/api", endpoint = "server_create", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn create_server(
    name: String,
    template_id: Uuid,
    plan_id: Uuid,
    variables: BTreeMap<String, String>,
) -> Result<ServerDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    servers::create(&state, &actor, name, template_id, plan_id, variables).await
}

/// Start, stop, restart or kill a server.
#[server(prefix = "/api", endpoint = "server_power", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn power_server(id: Uuid, action: PowerAction) -> Result<ServerDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    servers::power(&state, &actor, id, action).await
}

/// Saves a server's settings (its variables); a running server takes them at its next start or
/// restart.
#[server(prefix = "/api", endpoint = "server_settings", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn save_server_settings(
    id: Uuid,
    variables: BTreeMap<String, String>,
) -> Result<ServerDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    servers::save_settings(&state, &actor, id, variables).await
}

/// The game versions the server's type can run, newest first, from who publishes its jar.
#[server(prefix = "/api", endpoint = "game_versions", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn game_versions(id: Uuid) -> Result<protocol::versions::GameVersions, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    panel_core::game_versions::for_server(&state, &actor, id).await
}

/// Moves a server to another plan (within quota; the disk only grows, at once). A running
/// server takes the new CPU and memory at its next start or restart.
#[server(prefix = "/api", endpoint = "server_plan", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn change_server_plan(id: Uuid, plan_id: Uuid) -> Result<ServerDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    servers::change_plan(&state, &actor, id, plan_id).await
}

/// Moves a stopped server to another template (its type), backed up first when its plan keeps
/// backups.
#[server(prefix = "/api", endpoint = "server_template", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn change_server_template(
    id: Uuid,
    template_id: Uuid,
    variables: Option<std::collections::BTreeMap<String, String>>,
) -> Result<ServerDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    let given = variables.unwrap_or_default();
    servers::change_template(&state, &actor, id, template_id, given).await
}

/// Sets the minutes without a player after which the panel stops the server (None: never).
#[server(prefix = "/api", endpoint = "server_idle_stop", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn set_server_idle_stop(id: Uuid, minutes: Option<u32>) -> Result<ServerDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    servers::set_idle_stop(&state, &actor, id, minutes).await
}

/// Deletes a server; its world too unless `keep_world`.
#[server(prefix = "/api", endpoint = "server_delete", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn delete_server(id: Uuid, keep_world: bool) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    servers::delete(&state, &actor, id, keep_world).await
}

/// Adds a plan (administrators).
#[server(prefix = "/api", endpoint = "plan_create", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn create_plan(plan: protocol::dto::NewPlanDto) -> Result<PlanDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    panel_core::plans::create(&state, &actor, plan).await
}

/// Renames a plan; its resources never change in place (administrators).
#[server(prefix = "/api", endpoint = "plan_rename", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn rename_plan(id: Uuid, name: String) -> Result<PlanDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    panel_core::plans::rename(&state, &actor, id, &name).await
}

/// Deletes a plan no server uses (administrators).
#[server(prefix = "/api", endpoint = "plan_delete", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn delete_plan(id: Uuid) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    panel_core::plans::delete(&state, &actor, id).await
}
