//! The data layer's error type.

/// What can go wrong talking to Postgres.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No connection could be had from the pool (database down, pool exhausted, timeout).
    #[error("database unavailable: {0}")]
    Pool(String),
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    /// A unique constraint refused the write (for example a taken username).
    #[error("already exists: {0}")]
    Conflict(String),
    /// Applying the embedded migrations failed.
    #[error("migration failed: {0}")]
    Migration(String),
}

/// Result alias of the data layer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<diesel_async::pooled_connection::deadpool::PoolError> for Error {
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        Error::Pool(e.to_string())
    }
}

impl Error {
    /// Whether the database, not the request, is at fault for a moment: no connection could be
    /// had, the connection dropped, or the server refused a write as read-only (a primary that
    /// was demoted in a switch). The same request can succeed once the pool reaches the new
    /// primary.
    pub fn is_unavailable(&self) -> bool {
        use diesel::result::{DatabaseErrorKind as K, Error as D};
        match self {
            Error::Pool(_) => true,
            Error::Query(D::DatabaseError(
                K::ReadOnlyTransaction | K::ClosedConnection | K::UnableToSendCommand,
                _,
            ))
            | Error::Query(D::BrokenTransactionManager) => true,
            Error::Query(D::DatabaseError(_, info)) => is_shutting_down(info.message()),
            _ => false,
        }
    }
}

/// Whether Postgres' message says the server is shutting down or starting (`57P01`
/// admin_shutdown, `57P03` cannot_connect_now), which diesel does not give a kind of its own.
fn is_shutting_down(message: &str) -> bool {
    message.starts_with("terminating connection due to administrator command")
        || message.starts_with("the database system is")
}

impl From<Error> for protocol::AppError {
    /// A conflict is the caller's to see; an unavailable database is answered as such (503, to
    /// try again); anything else is logged here, with its cause, and answered as an internal
    /// error.
    fn from(e: Error) -> Self {
        match e {
            Error::Conflict(message) => protocol::AppError::Conflict { message },
            e if e.is_unavailable() => {
                tracing::warn!(error = %e, "database unavailable");
                protocol::AppError::unavailable()
            }
            other => {
                tracing::error!(error = %other, "database error");
                protocol::AppError::internal()
            }
        }
    }
}

/// Turns a unique-violation into [`Error::Conflict`] with `what` as its message.
pub(crate) fn conflict_on_unique(e: diesel::result::Error, what: &str) -> Error {
    use diesel::result::{DatabaseErrorKind, Error as D};
    match e {
        D::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Error::Conflict(what.into()),
        other => Error::Query(other),
    }
}
