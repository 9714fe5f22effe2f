//! Mounting the server functions: one route per registered function (so unknown endpoints get
//! a JSON 404, and the registry is the list of the API), the shared state put in Leptos context,
//! and server_fn's error answers given the status of their [`AppError`].

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, on};
use leptos::prelude::provide_context;
use panel_core::AppState;
use protocol::AppError;
use tower_http::limit::RequestBodyLimitLayer;

/// Largest server-function request body accepted (see [`body_limit`]).
pub const API_BODY_LIMIT: usize = 1024 * 1024;

/// Largest error body read back to set its status.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Every registered server function as `(path, method)`, sorted by path.
pub fn endpoints() -> Vec<(&'static str, http::Method)> {
    let mut all: Vec<_> = leptos::server_fn::axum::server_fn_paths().collect();
    all.sort_by_key(|(p, _)| *p);
    all
}

/// Routes for every server function (bodies up to [`body_limit`]), the websockets, the file
/// manager's streaming routes (bodies up to the upload limit, checked by the handler), plus a
/// JSON 404 for any other path under `/api/`; each answered in the request's language.
pub fn routes() -> Router<AppState> {
    let mut router = Router::new();
    for (path, method) in endpoints() {
        let filter = MethodFilter::try_from(method).expect("server functions use standard methods");
        // axum's own 2 MB cap on extracted bodies would apply before ours
        let route: axum::routing::MethodRouter<AppState> = on(filter, call)
            .layer::<_, std::convert::Infallible>(DefaultBodyLimit::disable())
            .layer(RequestBodyLimitLayer::new(body_limit(path)))
            .layer(axum::middleware::map_response(too_large_as_json));
        router = router.route(path, route);
    }
    for (path, _) in panel_core::live::SOCKETS {
        router = router.route(path, socket_route(path));
    }
    for (path, method, _) in panel_core::files::http::ROUTES
        .iter()
        .chain(panel_core::backups::ROUTES)
    {
        router = router.route(path, file_route(path, method));
    }
    router
        .route(OPENAPI_PATH, axum::routing::get(openapi))
        .route("/api/{*rest}", axum::routing::any(unknown))
        .layer(axum::middleware::from_fn(in_language))
}

/// Answers the request in its language (the app's choice, else the browser's): the panel's
/// own messages come from its catalogue ([`panel_core::i18n`]).
async fn in_language(req: Request, next: axum::middleware::Next) -> Response {
    let lang = panel_core::i18n::Lang::of_request(req.headers());
    panel_core::i18n::scope(lang, async move {
        let res = next.run(req).await;
        if lang == panel_core::i18n::Lang::En
            || !res.status().is_client_error() && !res.status().is_server_error()
        {
            return res;
        }
        standard_in_language(res).await
    })
    .await
}

/// An error answer whose message is its kind's standard English one (written by a crate
/// without the catalogue: the pool's, the session check's) with that message in the request's
/// language; any other answer as it is.
async fn standard_in_language(res: Response) -> Response {
    if !is_json(&res) {
        return res;
    }
    rewrite_error(res, |e| panel_core::i18n::standard(&e)).await
}

/// Whether an answer's body is JSON.
fn is_json(res: &Response) -> bool {
    res.headers()
        .get(http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
}

/// The body limit's refusal (tower-http answers it in plain text, before the handler runs) as
/// the API's JSON error, as the document says.
async fn too_large_as_json(res: Response) -> Response {
    if res.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json(&res) {
        return AppError::TooLarge {
            message: "The request is larger than the panel accepts.".into(),
        }
        .into_response();
    }
    res
}

/// Where the API's OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/api/openapi.json";

/// The API's OpenAPI 3.1 document (`server_functions::openapi`), to anyone: it tells what the
/// API is, nothing of any account.
async fn openapi() -> Response {
    (
        [(http::header::CONTENT_TYPE, "application/json")],
        server_functions::openapi::json(),
    )
        .into_response()
}

/// The largest body a server function takes: 1 MiB, but room for the editor's 4 MiB of text
/// (JSON-escaped) when saving a file.
pub fn body_limit(path: &str) -> usize {
    if path == "/api/file_write" {
        panel_core::files::TEXT_MAX as usize * 6 + 64 * 1024
    } else {
        API_BODY_LIMIT
    }
}

/// The handler of a route of [`panel_core::files::http::ROUTES`] and
/// [`panel_core::backups::ROUTES`].
fn file_route(path: &str, method: &str) -> axum::routing::MethodRouter<AppState> {
    use panel_core::files::http;
    match (path, method) {
        (http::UPLOAD_PATH, "PUT") => axum::routing::put(http::upload),
        (http::DOWNLOAD_PATH, "GET") => axum::routing::get(http::download),
        (panel_core::backups::DOWNLOAD_PATH, "GET") => {
            axum::routing::get(panel_core::backups::download)
        }
        _ => unreachable!("every file route has a handler: {method} {path}"),
    }
}

/// The handler of a websocket route of [`panel_core::live::SOCKETS`].
fn socket_route(path: &str) -> axum::routing::MethodRouter<AppState> {
    use panel_core::live::{events, socket};
    match path {
        p if p == protocol::live::EVENTS_PATH => axum::routing::get(events::events),
        _ => axum::routing::get(socket::console),
    }
}

async fn unknown() -> Response {
    AppError::not_found("There is no such API endpoint.").into_response()
}

/// How many requests with bodies beyond [`API_BODY_LIMIT`] are read at once (each holds up
/// to [`body_limit`] in memory while it is parsed); more wait their turn.
const LARGE_BODIES_AT_ONCE: usize = 4;

/// How long a large body waits for its turn before it is refused.
const LARGE_BODY_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

/// Runs the server function with the state in context and gives errors their status. A
/// function that takes a large body identifies its caller first, from the headers alone, and
/// waits for one of [`LARGE_BODIES_AT_ONCE`] turns: a stranger's megabytes are never read.
async fn call(State(state): State<AppState>, req: Request) -> Response {
    static LARGE: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(LARGE_BODIES_AT_ONCE);
    let _turn = if body_limit(req.uri().path()) > API_BODY_LIMIT {
        if let Err(e) = panel_core::auth::actor_from_headers(&state, req.headers(), None).await {
            return e.into_response();
        }
        match tokio::time::timeout(LARGE_BODY_WAIT, LARGE.acquire()).await {
            Ok(Ok(permit)) => Some(permit),
            _ => {
                return AppError::RateLimited {
                    message: "The panel is busy saving other files; try again in a moment.".into(),
                    retry_after_secs: 5,
                }
                .into_response();
            }
        }
    } else {
        None
    };
    let req = match refuse_nul(req).await {
        Ok(req) => req,
        Err(refusal) => return refusal,
    };
    let res =
        leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), req)
            .await
            .into_response();
    with_error_status(res).await
}

/// Refuses a body with a NUL character in any of its strings (`\u0000`): no name, path or
/// setting holds one, and Postgres cannot store it in text, so it would fail deep inside a
/// change instead of at the door. The file editor's text (which goes to a file) may hold one.
async fn refuse_nul(req: Request) -> Result<Request, Response> {
    if req.uri().path() == "/api/file_write" {
        return Ok(req);
    }
    let (parts, body) = req.into_parts();
    let limit = body_limit(parts.uri.path());
    let bytes = to_bytes(body, limit).await.map_err(|_| {
        AppError::TooLarge {
            message: "The request is larger than the panel accepts.".into(),
        }
        .into_response()
    })?;
    // a cheap look first: only a body that spells the escape is read as JSON
    let spelled = bytes.windows(6).any(|w| w == b"\\u0000");
    if spelled
        && let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes)
        && holds_nul(&value)
    {
        return Err(
            AppError::bad_request("Text in the request may not hold a NUL character.")
                .into_response(),
        );
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Whether any string (or key) in `value` holds a NUL character.
fn holds_nul(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
        _ => false,
    }
}

/// server_fn answers every error with 500; read the [`AppError`] back and answer it as its own
/// `IntoResponse` does (keeping headers the function set, such as cookies).
async fn with_error_status(res: Response) -> Response {
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    rewrite_error(res, Some).await
}

/// Reads an error answer's JSON and, when `change` gives an error for it, answers that instead
/// (its status, type and length, with the other headers of the old answer); else the answer as
/// it was.
async fn rewrite_error(
    res: Response,
    change: impl FnOnce(AppError) -> Option<AppError>,
) -> Response {
    let (parts, body) = res.into_parts();
    let bytes = match to_bytes(body, ERROR_BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "could not read an error answer");
            return AppError::internal().into_response();
        }
    };
    let Some(err) = serde_json::from_slice::<AppError>(&bytes)
        .ok()
        .and_then(change)
    else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let mut answer = err.into_response();
    let own: Vec<_> = answer.headers().keys().cloned().collect();
    for (name, value) in &parts.headers {
        if !own.contains(name) {
            answer.headers_mut().append(name, value.clone());
        }
    }
    answer
}
