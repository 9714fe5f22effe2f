//! Server-only half of the app crate: the shared state, sessions and sign-in, and helpers that
//! read the current request. Compiled only with feature `ssr`.

pub mod account;
pub mod audit;
pub mod auth;
pub mod authorize;
pub mod client_addr;
pub mod files;
pub mod live;
pub mod members;
pub mod metrics;
pub mod password;
pub mod plans;
pub mod reconcile;
pub mod request;
pub mod servers;
pub mod setup;
pub mod sign_in;
pub mod state;
pub mod status_sync;
pub mod templates;
pub mod token;
pub mod tokens;
pub mod two_factor;
pub mod users;
pub mod worlds;

pub use auth::{Actor, current_actor};
pub use authorize::{Permission, authorize};
pub use state::{AppState, AuthSettings, StorageSettings};

use crate::AppError;

impl From<db::Error> for AppError {
    fn from(e: db::Error) -> Self {
        match e {
            db::Error::Conflict(message) => AppError::Conflict { message },
            other => {
                tracing::error!(error = %other, "database error");
                AppError::internal()
            }
        }
    }
}

impl axum::response::IntoResponse for AppError {
    /// The JSON error with its HTTP status (and `Retry-After` when rate limited).
    fn into_response(self) -> axum::response::Response {
        let status = http::StatusCode::from_u16(self.status())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let retry = match &self {
            AppError::RateLimited {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        };
        let mut res = (status, axum::Json(self)).into_response();
        if let Some(secs) = retry {
            res.headers_mut()
                .insert(http::header::RETRY_AFTER, secs.into());
        }
        res
    }
}

/// Takes a pooled connection, mapping failure to an [`AppError`].
pub async fn conn(state: &AppState) -> Result<db::PooledConnection, AppError> {
    state.pool.get().await.map_err(|e| {
        tracing::error!(error = %e, "no database connection");
        AppError::internal()
    })
}
