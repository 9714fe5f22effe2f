//! The panel's wire contract, shared by the browser and the server and safe to build for wasm:
//! the DTOs of the JSON API, its typed [`AppError`], the live sockets' messages, data paths,
//! permissions and server states as types, input rules, and who may call each endpoint.

pub mod dto;
pub mod error;
pub mod guards;
pub mod hints;
pub mod live;
pub mod mods;
pub mod paths;
pub mod permission;
pub mod players;
#[cfg(feature = "diesel")]
pub mod sql;
pub mod sso;
pub mod state;
pub mod validate;
pub mod variables;
pub mod versions;
pub mod webhooks;

pub use error::AppError;
pub use permission::Permission;
pub use state::{BackupState, Desired, Phase, ServerState};
