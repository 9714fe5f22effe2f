//! The HTTP routers: on the public port health, the API (with its cross-site check and body
//! limit) and the web app's files with an `index.html` fallback for client-side routes; on the
//! metrics port, `/metrics`.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use panel_core::AppState;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, TraceLayer};

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
    let csp = HeaderValue::from_str(&crate::csp::policy(
        &std::fs::read_to_string(&index).unwrap_or_default(),
    ))
    .expect("the policy is ASCII");
    // The web app's files go out as Brotli or gzip when the browser accepts it (the wasm shrinks
    // to a third): the `.br` or `.gz` the build made beside a file when there is one, else
    // gzipped on the way; API answers and streams are left alone. Files named by their content hash are
    // cached for good; the rest (index.html...) is revalidated.
    let files = tower::ServiceBuilder::new()
        .layer(axum::middleware::from_fn(static_cache))
        .service(tower_http::compression::Compression::new(
            ServeDir::new(dist_dir)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(ServeFile::new(index)),
        ));
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics_elsewhere))
        .route("/sw.js", get(move || async move { pwa::response(&sw) }))
        .route("/robots.txt", get(robots))
        .merge(api)
        .merge(crate::sso::routes())
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
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        // every log line of a request carries its method and path (an internal error's too)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO)),
        )
}

/// `robots.txt`: a control panel is nobody's search result (and the app's page is no robots
/// file).
async fn robots() -> impl axum::response::IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "User-agent: *\nDisallow: /\n",
    )
}

/// The metrics listener's router: `/metrics` (and `/healthz`), on a port of its own that the
/// Ingress never routes to.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(health::metrics))
        .route("/healthz", get(health::healthz))
        .with_state(state)
}

/// `Cache-Control` for the web app's files: for ever for names carrying Trunk's content hash
/// (`main-0123456789abcdef.css`) and for the app's modules, in a folder named for theirs
/// (`app-0123456789abcdef/split_x.wasm`); revalidated for the others.
async fn static_cache(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let immutable = is_hashed(req.uri().path());
    let mut res = next.run(req).await;
    if res.status().is_success() {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if immutable {
                "public, max-age=31536000, immutable"
            } else {
                "no-cache"
            }),
        );
    }
    res
}

/// Whether a path's file name carries a content hash: `-` then Trunk's 64-bit hash in hex (12
/// to 16 digits: leading zeros are not written) before the extension (or before `_bg`); or the
/// file is in the app's folder, `/app-` and 16 hex digits (`scripts/web.sh`).
fn is_hashed(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    if let (Some(dir), Some(file), None) = (segments.next(), segments.next(), segments.next())
        && !file.is_empty()
        && dir
            .strip_prefix("app-")
            .is_some_and(|h| h.len() == 16 && h.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        return true;
    }
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, h)| {
        (12..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn only_content_hashed_names_are_cached_for_good() {
        assert!(is_hashed("/frontend-46e11d5f6b3153ea_bg.wasm"));
        assert!(is_hashed("/frontend-22d2c5db1fc6bb9d.js"));
        assert!(is_hashed("/main-0a1a8a4396b57145.css"));
        assert!(is_hashed("/frontend-8d010d8793b0101.js"));
        assert!(!is_hashed("/"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/manifest.webmanifest"));
        assert!(!is_hashed("/icons/icon-192.png"));
        assert!(!is_hashed("/servers/0a1a8a43-96b5-7145"));
        assert!(!is_hashed("/app-1234.js"));
        assert!(is_hashed("/app-da9d4a1b2a000f39/frontend_bg.wasm"));
        assert!(is_hashed(
            "/app-da9d4a1b2a000f39/split___server_view_445.wasm"
        ));
        assert!(!is_hashed("/app-da9d4a1b2a000f3/frontend.js"));
        assert!(!is_hashed("/app-da9d4a1b2a000f39/"));
        assert!(!is_hashed("/app-da9d4a1b2a000f39/a/b.js"));
    }
}
