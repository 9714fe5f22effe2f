//! The panel's integration tests, one binary (one link of the server) with a module per area.
//! Each test starts its own panel on a free port against a throwaway database
//! (`TEST_DATABASE_URL`) and, where it needs one, a cluster: fakekube, or the real control plane.

#[macro_use]
mod common;

mod account;
mod audit;
mod auth;
mod authorization;
mod console;
mod files;
mod hostile_inputs;
mod matrix;
mod metrics;
mod migrations;
mod plans;
mod private_postgres;
mod rbac;
mod servers;
mod sign_in_limits;
mod startup;
mod static_files;
mod templates;
mod tokens;
mod two_factor;
mod users;
