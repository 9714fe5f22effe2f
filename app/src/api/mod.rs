//! The server functions: the panel's JSON API. Every function is a `POST /api/<endpoint>` with
//! a JSON body of its arguments and a JSON answer; errors are [`crate::AppError`] with a status.
//! Endpoint names are stable: they are the public API.

pub mod auth;
pub mod files;
pub mod servers;
pub mod templates;

/// The path prefix of every server function.
pub const PREFIX: &str = "/api";

/// The endpoints anyone may call without signing in; every other endpoint requires a session
/// (the authorization test walks the registry against this list).
pub const PUBLIC_ENDPOINTS: &[&str] = &["panel_info", "setup", "login", "logout"];
