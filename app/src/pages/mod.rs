//! The app's pages, one module each.

pub mod account;
pub mod api_reference;
pub mod audit;
pub mod dashboard;
pub mod file_editor;
pub mod files;
pub mod login;
pub mod new_server;
pub mod not_found;
pub mod server;
pub mod setup;
pub mod templates;
pub mod users;
