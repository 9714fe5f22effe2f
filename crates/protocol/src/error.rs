//! The error every server function returns: typed, serialisable, safe to show, and mapped to an
//! HTTP status in exactly one place ([`AppError::status`]; with feature `axum`, its one
//! `IntoResponse`).

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

/// An error of the panel's API, as the client sees it. Messages are written for people; internal
/// details go to the server's logs, never here.
#[derive(
    Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error, utoipa::ToSchema,
)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum AppError {
    /// The request is malformed or a value is invalid.
    #[error("{message}")]
    BadRequest {
        /// What is wrong, for the person.
        message: String,
    },
    /// No valid session or token came with the request.
    #[error("{message}")]
    Unauthenticated {
        /// What is wrong, for the person.
        message: String,
    },
    /// The password was right; the account also needs a second factor (a TOTP or recovery
    /// code), which was missing or wrong.
    #[error("{message}")]
    SecondFactor {
        /// What is wrong, for the person.
        message: String,
    },
    /// The caller is known but may not do this.
    #[error("{message}")]
    Forbidden {
        /// What is wrong, for the person.
        message: String,
    },
    /// The thing does not exist (or the caller may not know that it does).
    #[error("{message}")]
    NotFound {
        /// What is wrong, for the person.
        message: String,
    },
    /// The request conflicts with the current state (a taken name, setup already done).
    #[error("{message}")]
    Conflict {
        /// What is wrong, for the person.
        message: String,
    },
    /// The server is not running, and this needs its process (its files, its console): the
    /// page offers to start it.
    #[error("{message}")]
    NotRunning {
        /// What is wrong, for the person.
        message: String,
    },
    /// The request is larger than the panel accepts.
    #[error("{message}")]
    TooLarge {
        /// What is wrong, for the person.
        message: String,
    },
    /// Too many attempts; try again later.
    #[error("{message}")]
    RateLimited {
        /// What is wrong, for the person.
        message: String,
        /// Seconds until a new attempt can succeed.
        retry_after_secs: u64,
    },
    /// The panel's database cannot take the request for a moment (a primary switch, a restart);
    /// try again after `retry_after_secs`. A change that was under way may or may not have been
    /// made (its connection can be lost after the commit): look before sending it again.
    #[error("{message}")]
    Unavailable {
        /// What is wrong, for the person.
        message: String,
        /// Seconds after which a new attempt is likely to succeed.
        retry_after_secs: u64,
    },
    /// The server failed; the details are in its logs.
    #[error("{message}")]
    Internal {
        /// A generic message.
        message: String,
    },
    /// The browser could not reach the server or read its answer.
    #[error("{message}")]
    Network {
        /// What went wrong on the way.
        message: String,
    },
}

impl AppError {
    /// A [`AppError::BadRequest`].
    pub fn bad_request(message: impl Into<String>) -> Self {
        AppError::BadRequest {
            message: message.into(),
        }
    }
    /// A [`AppError::Unauthenticated`] with the standard message.
    pub fn unauthenticated() -> Self {
        AppError::Unauthenticated {
            message: "You are not signed in, or your session has ended. Please sign in.".into(),
        }
    }
    /// A [`AppError::Forbidden`].
    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden {
            message: message.into(),
        }
    }
    /// A [`AppError::NotFound`].
    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::NotFound {
            message: message.into(),
        }
    }
    /// A [`AppError::Conflict`].
    pub fn conflict(message: impl Into<String>) -> Self {
        AppError::Conflict {
            message: message.into(),
        }
    }
    /// The refusal of a file operation on a server that is not running.
    pub fn files_need_running() -> Self {
        AppError::NotRunning {
            message: "The server is starting or stopping: its files open once it has.".into(),
        }
    }
    /// A [`AppError::Internal`] with the standard message.
    pub fn internal() -> Self {
        AppError::Internal {
            message: "Something went wrong on the server. It has been logged; please try again."
                .into(),
        }
    }

    /// A [`AppError::Unavailable`] with the standard message: the database is switching or
    /// restarting.
    pub fn unavailable() -> Self {
        AppError::Unavailable {
            message: "The panel's database is unavailable for a moment (it may be switching to a standby). Try again shortly; if you were changing something, check first whether it was done.".into(),
            retry_after_secs: 2,
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest { .. } => 400,
            AppError::Unauthenticated { .. } | AppError::SecondFactor { .. } => 401,
            AppError::Forbidden { .. } => 403,
            AppError::NotFound { .. } => 404,
            AppError::Conflict { .. } | AppError::NotRunning { .. } => 409,
            AppError::TooLarge { .. } => 413,
            AppError::RateLimited { .. } => 429,
            AppError::Internal { .. } => 500,
            AppError::Network { .. } => 502,
            AppError::Unavailable { .. } => 503,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => {
                AppError::bad_request(format!("Invalid request body: {m}"))
            }
            ServerFnErrorErr::Request(m) => AppError::Network {
                message: unreachable(&m),
            },
            // On the server, failing to deserialise means the request body was bad; in the
            // browser, that the answer was.
            ServerFnErrorErr::Deserialization(m) if cfg!(not(target_arch = "wasm32")) => {
                AppError::bad_request(format!("Invalid request body: {m}"))
            }
            ServerFnErrorErr::Deserialization(m) | ServerFnErrorErr::Response(m) => {
                AppError::Network {
                    message: format!("Could not read the panel's answer: {m}"),
                }
            }
            _ => AppError::internal(),
        }
    }
}

/// What a person is told when a request never reached the panel (the browser's own words,
/// "TypeError: Failed to fetch", go to the console, not to the page).
fn unreachable(detail: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::console::warn_1(&format!("request failed: {detail}").into());
        if web_sys::window().is_some_and(|w| !w.navigator().on_line()) {
            return "You are offline: this needs the network and will work again once it is back."
                .into();
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = detail;
    "Could not reach the panel. Check the connection and try again.".into()
}

#[cfg(feature = "axum")]
impl axum_core::response::IntoResponse for AppError {
    /// The JSON error with its HTTP status (and `Retry-After` when rate limited or unavailable): the one place
    /// an error becomes an HTTP answer.
    fn into_response(self) -> axum_core::response::Response {
        use http::{HeaderValue, StatusCode, header};
        let status =
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry = match &self {
            AppError::RateLimited {
                retry_after_secs, ..
            }
            | AppError::Unavailable {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        };
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut res = (status, body).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(secs) = retry {
            res.headers_mut().insert(header::RETRY_AFTER, secs.into());
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_serialise_with_a_tag_and_a_message() {
        let e = AppError::RateLimited {
            message: "slow down".into(),
            retry_after_secs: 30,
        };
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": "rate_limited", "message": "slow down", "retry_after_secs": 30})
        );
        let back: AppError = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
        assert_eq!(back.status(), 429);
    }

    #[test]
    fn an_unavailable_database_is_a_503_to_try_again() {
        let e = AppError::unavailable();
        assert_eq!(e.status(), 503);
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["error"], "unavailable");
        assert_eq!(json["retry_after_secs"], 2);
    }

    #[test]
    fn bad_arguments_become_bad_requests() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field".into()));
        assert_eq!(e.status(), 400);
        assert!(e.to_string().contains("missing field"));
    }
}
