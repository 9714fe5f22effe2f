//! The server functions: the panel's JSON API. Every function is a `POST /api/<endpoint>` with
//! a JSON body of its arguments and a JSON answer; errors are [`protocol::AppError`] with a status.
//! Endpoint names are stable: they are the public API.

pub mod account;
pub mod audit;
pub mod auth;
pub mod files;
pub mod members;
pub mod servers;
pub mod templates;
pub mod tokens;
pub mod two_factor;
pub mod users;
pub mod worlds;
