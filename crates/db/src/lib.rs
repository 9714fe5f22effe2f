//! The panel's data layer: the diesel schema, models that own their queries, the embedded
//! migrations and the connection pool. It knows nothing of HTTP, Leptos or Kubernetes.

pub mod api_tokens;
pub mod audit;
pub mod backups;
pub mod error;
pub mod identities;
pub mod login_attempts;
pub mod members;
pub mod plans;
pub mod pool;
pub mod samples;
pub mod schedules;
pub mod schema;
pub mod server_ports;
pub mod servers;
pub mod sessions;
pub mod templates;
pub mod two_factor;
pub mod users;
pub mod webhooks;

pub use api_tokens::{ApiToken, NewApiToken};
pub use audit::Audit;
pub use backups::{Backup, Made};
pub use diesel_async::AsyncPgConnection;
pub use error::{Error, Result};
pub use identities::{Identity, SsoLogin};
pub use login_attempts::Failures;
pub use login_attempts::LoginAttempt;
pub use members::Member;
pub use plans::Plan;
pub use pool::{Pool, PoolStatus, PooledConnection, connect, migrate, ping, status as pool_status};
pub use samples::{Sample, Total};
pub use schedules::{NewRun, Schedule, ScheduleFields, ScheduleRun};
pub use server_ports::{NodePortsExhausted, ServerPort};
pub use servers::{
    KeptWorld, NewServer, QuotaExceeded, Server, adopt_kept_backups, forget_kept_backups,
    object_name_for,
};
pub use sessions::Session;
pub use templates::{NewTemplate, Template};
pub use two_factor::{TwoFactor, TwoFactorState};
pub use users::{NewUser, User};
pub use webhooks::{Delivery, Webhook, WebhookChanges};
