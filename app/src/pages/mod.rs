//! The app's pages, one module each.

pub mod dashboard;
pub mod login;
pub mod not_found;
pub mod setup;
