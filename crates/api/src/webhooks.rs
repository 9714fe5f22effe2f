//! Webhooks: a server's (its `settings` right) and the panel's (administrators'), their test
//! and their delivery log.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::webhooks;
use protocol::AppError;
use protocol::webhooks::{
    DeliveryDto, NewWebhookDto, WebhookChangesDto, WebhookDto, WebhookEvent, WebhookFormat,
};

/// A server's webhooks (its `settings` right).
#[server(prefix = "/api", endpoint = "webhooks", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_webhooks(id: Uuid) -> Result<Vec<WebhookDto>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    webhooks::list(&state, &actor, Some(id)).await
}

/// Adds a webhook told of `events` of server `id`. The answer holds the secret JSON
/// deliveries are signed with, shown once.
#[server(prefix = "/api", endpoint = "webhook_create", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn create_webhook(
    id: Uuid,
    name: String,
    url: String,
    format: WebhookFormat,
    events: Vec<WebhookEvent>,
) -> Result<NewWebhookDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    webhooks::create(&state, &actor, Some(id), &name, &url, format, &events).await
}

/// The panel's own webhooks, told of every server (administrators).
#[server(prefix = "/api", endpoint = "panel_webhooks", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn list_panel_webhooks() -> Result<Vec<WebhookDto>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    webhooks::list(&state, &actor, None).await
}

/// Adds a webhook told of `events` of every server (administrators); its secret is answered
/// once.
#[server(prefix = "/api", endpoint = "panel_webhook_create", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn create_panel_webhook(
    name: String,
    url: String,
    format: WebhookFormat,
    events: Vec<WebhookEvent>,
) -> Result<NewWebhookDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    webhooks::create(&state, &actor, None, &name, &url, format, &events).await
}

/// Changes a webhook: its name, address, events, or on and off.
#[server(prefix = "/api", endpoint = "webhook_update", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn update_webhook(id: Uuid, changes: WebhookChangesDto) -> Result<WebhookDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    webhooks::update(&state, &actor, id, changes).await
}

/// Deletes a webhook and its delivery log.
#[server(prefix = "/api", endpoint = "webhook_delete", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn delete_webhook(id: Uuid) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    webhooks::delete(&state, &actor, id).await
}

/// Sends the webhook a test event now (it shows in the log).
#[server(prefix = "/api", endpoint = "webhook_test", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn test_webhook(id: Uuid) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    webhooks::test(&state, &actor, id).await
}

/// The webhook's last 50 deliveries, newest first: how each went and when it is tried next.
#[server(prefix = "/api", endpoint = "webhook_deliveries", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn webhook_deliveries(id: Uuid) -> Result<Vec<DeliveryDto>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    webhooks::deliveries(&state, &actor, id).await
}
