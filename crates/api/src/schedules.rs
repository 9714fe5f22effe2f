//! Schedules of a server: list them with their runs, save, delete and run one now.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::schedules;
use protocol::AppError;
use protocol::dto::{ScheduleDto, ScheduleInput, ScheduleRunDto, SchedulesDto};

/// The server's schedules, by name, and their latest runs (newest first).
#[server(prefix = "/api", endpoint = "schedules", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_schedules(id: Uuid) -> Result<SchedulesDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    schedules::list(&state, &actor, id).await
}

/// Makes a schedule (`schedule.id` absent) or changes one. Its tasks act with the rights of
/// whoever saves it, who must hold each task's permission.
#[server(prefix = "/api", endpoint = "schedule_save", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn save_schedule(id: Uuid, schedule: ScheduleInput) -> Result<ScheduleDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    schedules::save(&state, &actor, id, schedule).await
}

/// Deletes a schedule and its history.
#[server(prefix = "/api", endpoint = "schedule_delete", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn delete_schedule(id: Uuid, schedule: Uuid) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    schedules::delete(&state, &actor, id, schedule).await
}

/// Runs a schedule's tasks now; the run shows in `schedules`.
#[server(prefix = "/api", endpoint = "schedule_run", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn run_schedule(id: Uuid, schedule: Uuid) -> Result<ScheduleRunDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    schedules::run_now(&state, &actor, id, schedule).await
}
