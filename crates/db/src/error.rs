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

impl From<Error> for protocol::AppError {
    /// A conflict is the caller's to see; anything else is logged here, with its cause, and
    /// answered as an internal error.
    fn from(e: Error) -> Self {
        match e {
            Error::Conflict(message) => protocol::AppError::Conflict { message },
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
