//! The data layer's error type.

/// What can go wrong talking to Postgres.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No connection could be had from the pool for a moment (database down, switching or
    /// starting, pool exhausted, timeout).
    #[error("database unavailable: {0}")]
    Pool(String),
    /// No connection could be made for a reason that waiting does not mend (a wrong password,
    /// a missing database, a closed pool).
    #[error("cannot connect to the database: {0}")]
    Connect(String),
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
    /// A wait that timed out, or a connection refused by a server that is away or switching,
    /// is [`Error::Pool`] (it passes); anything else is [`Error::Connect`].
    fn from(e: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        use deadpool::managed::PoolError as P;
        let message = e.to_string();
        match e {
            P::Timeout(_) => Error::Pool(message),
            P::Backend(_) if is_passing(&message) => Error::Pool(message),
            _ => Error::Connect(message),
        }
    }
}

/// Whether an error's text says the server is away for a moment: the connection was refused,
/// lost or timed out, or the server is shutting down, starting or read-only (a demoted
/// primary). Postgres' own messages are matched in English (`lc_messages`, which the panel's
/// connections do not change), as diesel gives `57P0x` no kind of its own.
fn is_passing(message: &str) -> bool {
    const PASSING: [&str; 16] = [
        "connection closed",
        "error connecting to server",
        "error communicating with the server",
        "timeout waiting for server",
        "Connection refused",
        "Connection reset",
        "No route to host",
        "timed out",
        "failed to lookup address",
        "the database is read-only",
        "database does not allow writes",
        "the database system is",
        "terminating connection due to administrator command",
        "terminating connection because of crash of another server process",
        "cannot execute",
        "server closed the connection",
    ];
    PASSING.iter().any(|p| message.contains(p))
}

impl Error {
    /// Whether the database, not the request, is at fault for a moment: no connection could be
    /// had, the connection was lost, or the server refused a write as read-only (a primary that
    /// was demoted in a switch) or is shutting down. The same request can succeed once the pool
    /// reaches the new primary. Anything else (a bug, an encoding error, a broken transaction)
    /// is not: it stays an internal error.
    pub fn is_unavailable(&self) -> bool {
        use diesel::result::{DatabaseErrorKind as K, Error as D};
        match self {
            Error::Pool(_) => true,
            Error::Query(D::DatabaseError(K::ReadOnlyTransaction | K::ClosedConnection, _)) => true,
            Error::Query(D::DatabaseError(_, info)) => is_passing(info.message()),
            _ => false,
        }
    }
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
