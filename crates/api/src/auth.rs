//! Sign-in: first-run setup, login, logout, and who am I.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use crate::edge::{app_state, head, set_cookie};
#[cfg(feature = "ssr")]
use panel_core::auth;
use protocol::AppError;
use protocol::dto::{PanelInfo, UserDto};

/// What the client needs before sign-in: whether first-run setup is pending, sandbox or not.
#[server(prefix = "/api", endpoint = "panel_info", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn get_panel_info() -> Result<PanelInfo, AppError> {
    let state = app_state()?;
    let mut c = panel_core::conn(&state).await?;
    // without passwords there is no setup: the provider's administrator claim makes the first
    let needs_setup = state.auth.passwords && !db::User::any_exist(&mut c).await?;
    Ok(PanelInfo {
        needs_setup,
        setup_code_required: needs_setup
            && matches!(
                state.auth.first_run,
                panel_core::setup::FirstRun::NeedsCode(_)
            ),
        sandbox: state.sandbox,
        version: env!("CARGO_PKG_VERSION").into(),
        sso: state.auth.sso.as_ref().map(|s| s.settings.name.clone()),
        passwords: state.auth.passwords,
    })
}

/// First-run setup: creates the first administrator and signs them in. Refused once any user
/// exists, and without the setup code from the panel's log unless it is a loopback sandbox.
#[server(prefix = "/api", endpoint = "setup", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn setup(
    username: String,
    password: String,
    #[server(default)] setup_code: Option<String>,
) -> Result<UserDto, AppError> {
    let state = app_state()?;
    let done = || AppError::conflict("The panel is already set up. Please sign in.");
    {
        let mut c = panel_core::conn(&state).await?;
        if db::User::any_exist(&mut c).await? {
            return Err(done());
        }
    }
    if !state.auth.passwords {
        return Err(panel_core::sign_in::passwords_off(&state));
    }
    panel_core::setup::check(&state, setup_code.as_deref())?;
    protocol::validate::username(&username).map_err(AppError::bad_request)?;
    protocol::validate::new_password(&password).map_err(AppError::bad_request)?;
    let hash = panel_core::password::hash(password, state.auth.bcrypt_cost).await?;
    let mut c = panel_core::conn(&state).await?;
    let user = db::User::create_first_admin(&mut c, &username, &hash)
        .await?
        .ok_or_else(done)?;
    drop(c);
    tracing::info!(user = %user.username, "first administrator created");
    set_cookie(auth::open_session(&state, &head(&state)?, &user).await?)?;
    Ok(auth::user_dto(&user))
}

/// Signs in with a username and password; sets the session cookie.
#[server(prefix = "/api", endpoint = "login", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn login(
    username: String,
    password: String,
    #[server(default)] code: Option<String>,
) -> Result<UserDto, AppError> {
    let state = app_state()?;
    if username.is_empty() || password.is_empty() {
        return Err(AppError::bad_request("Enter your username and password."));
    }
    if username.len() > 256 || password.len() > 1024 {
        return Err(AppError::bad_request("Username or password too long."));
    }
    let head = head(&state)?;
    let signed_in =
        panel_core::sign_in::sign_in(&state, &head, &username, password, code.as_deref()).await?;
    let user = signed_in.user;
    set_cookie(auth::open_session(&state, &head, &user).await?)?;
    if let Some(device) = panel_core::sign_in::remember_device(&state, &user, signed_in.device) {
        set_cookie(device)?;
    }
    tracing::info!(user = %user.username, "signed in");
    Ok(auth::user_dto(&user))
}

/// Signs out: revokes this session at once and clears the cookie.
#[server(prefix = "/api", endpoint = "logout", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn logout() -> Result<(), AppError> {
    let state = app_state()?;
    set_cookie(auth::close_session(&state, &head(&state)?).await?)
}

/// The signed-in user; `Unauthenticated` when there is none.
#[server(prefix = "/api", endpoint = "me", input = Json, input_derive = (Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema))]
pub async fn me() -> Result<UserDto, AppError> {
    let state = app_state()?;
    Ok(crate::edge::current_actor(&state).await?.dto())
}
