//! Where a server function meets its request: the panel's state and the request's head from the
//! Leptos context, the caller resolved through [`panel_core::auth`], and cookies set on the
//! response. The only module of the app that reads the server function's context.

use http::HeaderValue;
use http::request::Parts;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use panel_core::{Actor, AppState, Head, missing};
use protocol::AppError;

/// The [`AppState`] of the running server function.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(missing("the AppState of the server function"))
}

/// The head of the running server function's request (headers, client address).
pub fn head(state: &AppState) -> Result<Head, AppError> {
    let parts = use_context::<Parts>().ok_or_else(missing("the request of the server function"))?;
    Ok(Head::of(&parts, &state.auth.trust_proxy))
}

/// The caller of the running server function (see [`panel_core::auth::current_actor`]); sets
/// the renewed session cookie when the session token was renewed.
pub async fn current_actor(state: &AppState) -> Result<Actor, AppError> {
    let authenticated = panel_core::current_actor(state, &head(state)?).await?;
    if let Some(cookie) = authenticated.renewed {
        set_cookie(cookie)?;
    }
    Ok(authenticated.actor)
}

/// Adds a `Set-Cookie` header to the running server function's response.
pub fn set_cookie(value: HeaderValue) -> Result<(), AppError> {
    let res = use_context::<ResponseOptions>()
        .ok_or_else(missing("the response options of the server function"))?;
    res.append_header(http::header::SET_COOKIE, value);
    Ok(())
}
