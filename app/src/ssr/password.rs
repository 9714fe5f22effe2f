//! Password hashing with bcrypt, on blocking threads so the runtime keeps serving.

use crate::AppError;

/// Hashes `password` at `cost`.
pub async fn hash(password: String, cost: u32) -> Result<String, AppError> {
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
    tokio::task::spawn_blocking(move || bcrypt::verify(password, &hash))
        .await
        .ok()
        .and_then(|r| {
            r.map_err(|e| tracing::warn!(error = %e, "unreadable password hash"))
                .ok()
        })
        .unwrap_or(false)
}
