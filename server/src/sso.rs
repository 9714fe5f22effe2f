//! The browser's way through the sign-in provider: `/auth/sso/start` sends it there with a
//! fresh state (and a cookie tying the state to this browser), `/auth/sso/callback` takes the
//! answer, opens a session and sends it home, or back to the sign-in page saying why not.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use panel_core::AppState;
use panel_core::request::Head;
use panel_core::sso::{self, Answer, BROWSER_COOKIE, CALLBACK_PATH, Failed};

/// The routes, under `/auth/sso`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/sso/start", get(start))
        .route(CALLBACK_PATH, get(callback))
}

/// The browser cookie: HttpOnly, SameSite=Lax (the provider's redirect back is a cross-site
/// top-level navigation, which Strict would strip), only for `/auth/sso`, ten minutes.
fn browser_cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{BROWSER_COOKIE}={value}; HttpOnly; SameSite=Lax; Path=/auth/sso; Max-Age={max_age}{secure}"
    ))
    .expect("the value is hex or base64url")
}

fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}

/// Back to the sign-in page with the failure named; its cause goes to the log.
fn refused(failed: Failed) -> Response {
    tracing::warn!(failure = failed.failure.code(), cause = %failed.cause, "sign-in through the provider failed");
    see_other(&format!("/login?sso={}", failed.failure.code()))
}

fn not_configured() -> Response {
    protocol::AppError::not_found("This panel has no sign-in provider.").into_response()
}

async fn start(State(state): State<AppState>) -> Response {
    let Some(provider) = state.auth.sso.clone() else {
        return not_configured();
    };
    match sso::start(&state, &provider).await {
        Ok(started) => {
            let mut res = see_other(&started.url);
            res.headers_mut().insert(
                header::SET_COOKIE,
                browser_cookie(&started.browser, 600, state.auth.secure_cookies),
            );
            res
        }
        Err(failed) => refused(failed),
    }
}

async fn callback(
    State(state): State<AppState>,
    parts: Parts,
    answer: Result<Query<Answer>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(provider) = state.auth.sso.clone() else {
        return not_configured();
    };
    let head = Head::of(&parts, &state.auth.trust_proxy);
    let answer = answer.map(|Query(a)| a).unwrap_or_default();
    let mut res = match sso::finish(&state, &provider, &head, answer).await {
        Ok(user) => match panel_core::auth::open_session(&state, &head, &user).await {
            Ok(session) => {
                tracing::info!(user = %user.username, "signed in through the provider");
                let mut res = see_other("/");
                res.headers_mut().append(header::SET_COOKIE, session);
                res
            }
            Err(e) => refused(Failed::from(e)),
        },
        Err(failed) => refused(failed),
    };
    // the state is answered: its cookie is of no more use
    res.headers_mut().append(
        header::SET_COOKIE,
        browser_cookie("", 0, state.auth.secure_cookies),
    );
    res
}
