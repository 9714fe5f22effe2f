//! The audit log: who did what, on which server, how it ended, from where.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::audit;
use protocol::AppError;
use protocol::dto::AuditEntryDto;

/// Audit entries newest first (100 a page; pass the last `id` as `before` for more): every
/// entry for administrators, those of your own servers otherwise. Filter by `server_id` and by
/// an `action` prefix (`file.`, `server.power`...).
#[server(prefix = "/api", endpoint = "audit_log", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn audit_log(
    server_id: Option<Uuid>,
    action: Option<String>,
    before: Option<i64>,
) -> Result<Vec<AuditEntryDto>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    audit::search(&state, &actor, server_id, action, before).await
}
