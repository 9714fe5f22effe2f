//! Two-factor sign-in (TOTP) for your account.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, current_actor};
#[cfg(feature = "ssr")]
use panel_core::two_factor;
use protocol::AppError;
use protocol::dto::{TotpSetupDto, TwoFactorDto};

/// Whether two-factor sign-in is on, and how many recovery codes are left.
#[server(prefix = "/api", endpoint = "totp_status", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn totp_status() -> Result<TwoFactorDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    two_factor::status(&state, &actor).await
}

/// Starts setting up two-factor sign-in (with your password): a secret and an `otpauth://`
/// link for the app. Refused while it is on.
#[server(prefix = "/api", endpoint = "totp_setup", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn totp_setup(password: String) -> Result<TotpSetupDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    two_factor::setup(&state, &actor, password).await
}

/// Confirms the set-up with a code from the app; answers ten recovery codes, shown once.
#[server(prefix = "/api", endpoint = "totp_enable", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn totp_enable(code: String) -> Result<Vec<String>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    two_factor::enable(&state, &actor, &code).await
}

/// Turns two-factor sign-in off (the password and a code or recovery code).
#[server(prefix = "/api", endpoint = "totp_disable", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn totp_disable(password: String, code: String) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    two_factor::disable(&state, &actor, password, &code).await
}

/// Turns off a user's two-factor sign-in (administrators; audited).
#[server(prefix = "/api", endpoint = "user_totp_reset", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn user_totp_reset(id: uuid::Uuid) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    two_factor::reset(&state, &actor, id).await
}
