//! Reusable pieces of the UI: the session context, the page shell, form helpers.

pub mod form;
pub mod guard;
pub mod session;
pub mod shell;
