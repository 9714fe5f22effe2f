//! Reusable pieces of the UI: the session context, the page shell, form helpers.

pub mod backups;
pub mod console;
pub mod events;
pub mod figures;
pub mod form;
pub mod graphs;
pub mod guard;
pub mod icon;
pub mod join;
pub mod live_socket;
pub mod members;
pub mod mods;
pub mod notifier;
pub mod player_lists;
pub mod players;
pub mod schedules;
pub mod session;
pub mod shell;
pub mod upload;
pub mod variables;
pub mod webhooks;
