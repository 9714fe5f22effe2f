//! `/healthz` (the process answers), `/readyz` (the database answers too), `/metrics`
//! (Prometheus) and the middleware that counts every request by route.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use panel_core::AppState;

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

/// Prometheus metrics in the text exposition format.
pub async fn metrics(State(state): State<AppState>) -> impl axum::response::IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        panel_core::metrics::render(&state).await,
    )
}

/// `/metrics` on the public port: not here (it would go out through the Ingress), with where
/// it is instead.
pub async fn metrics_elsewhere() -> impl axum::response::IntoResponse {
    (
        axum::http::StatusCode::NOT_FOUND,
        axum::Json(serde_json::json!({
            "error": "not_found",
            "message": "Metrics are served on their own port (PANEL_METRICS_LISTEN), not this one.",
        })),
    )
}

/// Counts each request by its route template (not its path: ids stay out of the labels) and
/// status, and times it (for websockets, until the upgrade).
pub async fn track(
    State(state): State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| {
            if req.uri().path().starts_with("/api/") {
                "/api/unknown".to_string()
            } else {
                "static".to_string()
            }
        });
    let method = req.method().as_str().to_string();
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    state.metrics.request(
        &route,
        &method,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}
