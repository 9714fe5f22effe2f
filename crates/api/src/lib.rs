//! The server functions: the panel's JSON API. Every function is a `POST /api/<endpoint>` with
//! a JSON body of its arguments and a JSON answer; errors are [`protocol::AppError`] with a status.
//! Endpoint names are stable: they are the public API.
//!
//! Built with feature `ssr` on the server, where each function is a thin shim: it takes the
//! state and the caller from [`edge`] and calls the panel's logic in `panel_core`. In the
//! browser each is a client stub that posts its arguments.

pub mod account;
pub mod audit;
pub mod auth;
pub mod backups;
pub mod files;
pub mod graphs;
pub mod members;
pub mod mods;
#[cfg(feature = "ssr")]
pub mod openapi;
pub mod players;
pub mod schedules;
pub mod servers;
pub mod templates;
pub mod tokens;
pub mod two_factor;
pub mod users;
pub mod webhooks;
pub mod worlds;

#[cfg(feature = "ssr")]
pub mod edge;
