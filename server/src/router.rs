//! The HTTP router: health, the API (with its cross-site check and body limit), and the web
//! app's files with an `index.html` fallback for client-side routes.

use std::path::Path;

use app::ssr::AppState;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::csrf::{self, CsrfPolicy};
use crate::{api, health, pwa};

/// Builds the whole router.
pub fn router(state: AppState, dist_dir: &Path, csrf_policy: CsrfPolicy) -> Router {
    let api = api::routes()
        .layer(axum::middleware::from_fn_with_state(
            csrf_policy,
            csrf::check,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let sw = pwa::service_worker(dist_dir);
    let index = dist_dir.join("index.html");
    // The web app's files go out gzipped when the browser accepts it (the wasm shrinks to a
    // third); API answers and streams are left alone.
    let files = tower_http::compression::Compression::new(
        ServeDir::new(dist_dir).fallback(ServeFile::new(index)),
    );
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/sw.js", get(move || async move { pwa::response(&sw) }))
        .merge(api)
        .fallback_service(files)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            health::track,
        ))
        .with_state(state)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TraceLayer::new_for_http())
}
