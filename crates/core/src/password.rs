//! Password hashing with bcrypt, on blocking threads so the runtime keeps serving, a few at a
//! time so that a flood of sign-ins queues instead of taking every core and thread.

use std::sync::LazyLock;

use tokio::sync::Semaphore;

use protocol::AppError;

use super::internal;

/// bcrypt runs at most this many at once (one per core, at least two); the rest wait.
static BCRYPT: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .max(2),
    )
});

/// Hashes `password` at `cost`.
pub async fn hash(password: String, cost: u32) -> Result<String, AppError> {
    let _turn = BCRYPT
        .acquire()
        .await
        .map_err(|e| internal("the hashing queue", e))?;
    tokio::task::spawn_blocking(move || bcrypt::hash(password, cost))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "hashing task failed");
            AppError::internal()
        })?
        .map_err(|e| {
            tracing::error!(error = %e, "bcrypt hash failed");
            AppError::internal()
        })
}

/// Checks `password` against `hash`. A malformed hash counts as a mismatch (and is logged).
pub async fn verify(password: String, hash: impl Into<String>) -> bool {
    let hash = hash.into();
    let Ok(_turn) = BCRYPT.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || bcrypt::verify(password, &hash))
        .await
        .ok()
        .and_then(|r| {
            r.map_err(|e| tracing::warn!(error = %e, "unreadable password hash"))
                .ok()
        })
        .unwrap_or(false)
}
