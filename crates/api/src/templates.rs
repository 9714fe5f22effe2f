//! Template administration: export as JSON, import, delete (administrators only).

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::authorize::{AdminTask, require_admin};
#[cfg(feature = "ssr")]
use panel_core::{conn, templates};
use protocol::AppError;
use protocol::dto::{TemplateDto, TemplateExport};

/// A template as JSON, to keep or share.
#[server(prefix = "/api", endpoint = "template_export", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn export_template(id: Uuid) -> Result<TemplateExport, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    require_admin(&actor, AdminTask::Templates)?;
    let mut c = conn(&state).await?;
    let t = db::Template::find(&mut c, id)
        .await?
        .ok_or_else(|| AppError::not_found("No such template."))?;
    Ok(TemplateExport {
        name: t.name,
        description: t.description,
        spec: t.spec,
    })
}

/// Adds a template from its JSON (as exported); checked before anything is written.
#[server(prefix = "/api", endpoint = "template_import", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn import_template(template: TemplateExport) -> Result<TemplateDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    require_admin(&actor, AdminTask::Templates)?;
    templates::import(&state, &actor, template).await
}

/// Deletes a template that no server uses.
#[server(prefix = "/api", endpoint = "template_delete", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn delete_template(id: Uuid) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    require_admin(&actor, AdminTask::Templates)?;
    let mut c = conn(&state).await?;
    if db::Template::find(&mut c, id).await?.is_none() {
        return Err(AppError::not_found("No such template."));
    }
    if !db::Template::delete_unused(&mut c, id).await? {
        return Err(AppError::conflict(
            "Servers still use this template; delete or move them first.",
        ));
    }
    Ok(())
}
