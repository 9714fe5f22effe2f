//! The server functions: the panel's JSON API. Every function is a `POST /api/<endpoint>` with
//! a JSON body of its arguments and a JSON answer; errors are [`crate::AppError`] with a status.
//! Endpoint names are stable: they are the public API.

pub mod auth;
pub mod servers;

/// The path prefix of every server function.
pub const PREFIX: &str = "/api";
