//! Start-up and command-line errors of the server binary.

/// What can stop the server from starting or a command from finishing.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// Bad configuration.
    #[error("configuration: {0}")]
    Config(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] db::Error),
    /// The private Postgres could not be set up or started.
    #[error("private postgres: {0}")]
    Postgres(String),
    /// A file or socket operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A command-line action was refused.
    #[error("{0}")]
    Refused(String),
}

impl ServerError {
    /// Wraps an I/O error with what was being done.
    pub fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> ServerError {
        let what = what.into();
        move |source| ServerError::Io { what, source }
    }
}
