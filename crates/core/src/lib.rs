//! The panel's logic, without Leptos: the shared state, authorization, the audit log, sign-in
//! and sessions, servers and their lifecycle, files, the live sockets and the background jobs
//! (reconciler, status watch, pruning). The server functions in `app` and the server's handlers
//! call it; what it needs of a request comes in a [`request::Head`] and an [`Actor`].

pub mod account;
pub mod audit;
pub mod auth;
pub mod authorize;
pub mod backups;
pub mod client_addr;
pub mod curseforge;
pub mod expose;
pub mod files;
pub mod game_versions;
pub mod i18n;
pub mod idle;
pub mod live;
pub mod members;
pub mod metrics;
pub mod modrinth;
pub mod mods;
pub mod outbound;
pub mod password;
pub mod plans;
pub mod player_lists;
pub mod players;
pub mod reconcile;
pub mod request;
pub mod samples;
pub mod schedules;
pub mod servers;
pub mod setup;
pub mod sign_in;
pub mod spiget;
pub mod sso;
pub mod state;
pub mod status_sync;
pub mod templates;
pub mod token;
pub mod tokens;
pub mod two_factor;
pub mod users;
pub mod wake;
pub mod webhooks;
pub mod worlds;

pub use auth::{Actor, Authenticated, current_actor};
pub use authorize::authorize;
pub use expose::ExposeSettings;
pub use protocol::Permission;
pub use request::Head;
pub use state::{AppState, AuthSettings, StorageSettings};

use protocol::AppError;

/// An internal error: logged here, once, with its cause (the request's span names the route),
/// and answered with the generic message of [`AppError::internal`].
pub fn internal(what: &str, cause: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %cause, "{what} failed");
    AppError::internal()
}

/// For a thing the panel's own data says exists (a server's template, the row just written)
/// and that is not there: logs it once and answers an internal error.
pub fn missing(what: &'static str) -> impl FnOnce() -> AppError {
    move || {
        tracing::error!("{what} is missing");
        AppError::internal()
    }
}

/// Takes a pooled connection, mapping failure to an [`AppError`].
pub async fn conn(state: &AppState) -> Result<db::PooledConnection, AppError> {
    state
        .pool
        .get()
        .await
        .map_err(|e| AppError::from(db::Error::from(e)))
}
