//! Two-factor sign-in (TOTP) for your account.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::AppError;
use crate::dto::{TotpSetupDto, TwoFactorDto};
#[cfg(feature = "ssr")]
use crate::ssr::{auth::current_actor, state::app_state, two_factor};

/// Whether two-factor sign-in is on, and how many recovery codes are left.
#[server(prefix = "/api", endpoint = "totp_status", input = Json)]
pub async fn totp_status() -> Result<TwoFactorDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    two_factor::status(&state, &actor).await
}

/// Starts setting up two-factor sign-in: a secret and an `otpauth://` link for the app.
#[server(prefix = "/api", endpoint = "totp_setup", input = Json)]
pub async fn totp_setup() -> Result<TotpSetupDto, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    two_factor::setup(&state, &actor).await
}

/// Confirms the set-up with a code from the app; answers ten recovery codes, shown once.
#[server(prefix = "/api", endpoint = "totp_enable", input = Json)]
pub async fn totp_enable(code: String) -> Result<Vec<String>, AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    two_factor::enable(&state, &actor, &code).await
}

/// Turns two-factor sign-in off (the password and a code or recovery code).
#[server(prefix = "/api", endpoint = "totp_disable", input = Json)]
pub async fn totp_disable(password: String, code: String) -> Result<(), AppError> {
    let state = app_state()?;
    let actor = current_actor(&state).await?;
    two_factor::disable(&state, &actor, password, &code).await
}
