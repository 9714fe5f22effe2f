//! The panel's axum server: configuration, start-up (database, migrations, state), the router
//! with its middleware, the private Postgres of the sandbox, and the command line.

// The server functions are defined in `api` and registered by their crate being linked; nothing
// here names them, so the crate is linked by name.
extern crate api as server_functions;

pub mod api;
pub mod cli;
pub mod config;
pub mod csp;
pub mod csrf;
pub mod error;
pub mod health;
pub mod postgres;
pub mod pwa;
pub mod router;
pub mod secret;
pub mod sso;
pub mod startup;

pub use config::Config;
pub use error::ServerError;
pub use router::router;
