//! `/healthz` (the process answers) and `/readyz` (the database answers too).

use std::time::Duration;

use app::ssr::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Liveness: always 200 while the process serves.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: 200 when a database round trip succeeds within two seconds, 503 otherwise.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    match tokio::time::timeout(Duration::from_secs(2), db::ping(&state.pool)).await {
        Ok(Ok(_)) => (StatusCode::OK, Json(serde_json::json!({"status": "ready"}))),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "not ready: database");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({"status": "unavailable", "reason": "database"})),
            )
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"status": "unavailable", "reason": "database timeout"})),
        ),
    }
}
