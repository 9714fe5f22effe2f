//! The panel's data layer: the diesel schema, models that own their queries, the embedded
//! migrations and the connection pool. It knows nothing of HTTP, Leptos or Kubernetes.

pub mod error;
pub mod login_attempts;
pub mod pool;
pub mod schema;
pub mod sessions;
pub mod users;

pub use diesel_async::AsyncPgConnection;
pub use error::{Error, Result};
pub use login_attempts::Failures;
pub use login_attempts::LoginAttempt;
pub use pool::{Pool, PoolStatus, PooledConnection, connect, migrate, ping, status as pool_status};
pub use sessions::Session;
pub use users::{NewUser, User};
