//! Cross-site request checks on the API.
//!
//! Every write to `/api/` from a browser of another site is refused: an `Origin` header must
//! name the panel itself, and `Sec-Fetch-Site` must not say cross-site. Requests that carry the
//! session cookie must moreover be JSON (`Content-Type: application/json`, which a cross-site
//! page cannot send without a CORS preflight that the panel never grants) or, for uploads that
//! carry raw bytes, name themselves with the [`PANEL_REQUEST`] header (which needs the same
//! preflight), and must come with
//! `Origin` or `Sec-Fetch-Site: same-origin`, as every browser sends on a same-origin fetch.
//! Scripts with no cookie (API tokens, `curl`) send neither header and are not concerned.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use panel_core::request::SESSION_COOKIE;
use protocol::AppError;

/// The header a signed-in request that is not JSON (an upload) sends instead.
pub const PANEL_REQUEST: &str = "x-panel-request";

/// What the checks compare the browser's `Origin` with.
#[derive(Debug, Clone)]
pub struct CsrfPolicy {
    /// The panel's public origin (`scheme://host[:port]`), if configured.
    pub public_origin: Option<String>,
}

impl CsrfPolicy {
    /// Whether `origin` is the panel's own, given the request's `Host`.
    fn same_origin(&self, origin: &str, headers: &HeaderMap) -> bool {
        if let Some(public) = &self.public_origin {
            return origin.trim_end_matches('/') == public.trim_end_matches('/');
        }
        let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
            return false;
        };
        origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .is_some_and(|rest| rest == host)
    }
}

/// The middleware: refuses cross-site writes and cross-site websocket upgrades (a websocket is
/// not bound by CORS, so a page of another site could otherwise open one with the cookie) with
/// 403 and a JSON error.
pub async fn check(State(policy): State<CsrfPolicy>, req: Request, next: Next) -> Response {
    let upgrade = req
        .headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let result = if upgrade {
        socket_verdict(&policy, req.headers())
    } else if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    } else {
        verdict(&policy, req.headers())
    };
    match result {
        Ok(()) => next.run(req).await,
        Err(why) => {
            tracing::warn!(reason = why, path = %req.uri().path(), "cross-site request refused");
            AppError::forbidden(format!("Cross-site request refused: {why}.")).into_response()
        }
    }
}

fn verdict(policy: &CsrfPolicy, headers: &HeaderMap) -> Result<(), &'static str> {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if let Some(origin) = origin
        && !policy.same_origin(origin, headers)
    {
        return Err("the request comes from another origin");
    }
    if matches!(fetch_site, Some("cross-site" | "same-site")) {
        return Err("the browser marked the request cross-site");
    }
    let has_cookie = panel_core::request::cookie(headers, SESSION_COOKIE).is_some();
    if has_cookie {
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json && !headers.contains_key(PANEL_REQUEST) {
            return Err("signed-in requests must be JSON");
        }
        if origin.is_none() && fetch_site != Some("same-origin") {
            return Err("signed-in requests must name their origin");
        }
    }
    Ok(())
}

/// A websocket upgrade with the session cookie must name the panel as its origin (browsers
/// always send `Origin` on websockets).
fn socket_verdict(policy: &CsrfPolicy, headers: &HeaderMap) -> Result<(), &'static str> {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match origin {
        Some(o) if !policy.same_origin(o, headers) => Err("the socket comes from another origin"),
        None if panel_core::request::cookie(headers, SESSION_COOKIE).is_some() => {
            Err("signed-in sockets must name their origin")
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }
    const NO_PUBLIC: CsrfPolicy = CsrfPolicy {
        public_origin: None,
    };

    #[test]
    fn same_origin_browser_writes_pass() {
        let h = headers(&[
            ("origin", "http://127.0.0.1:8080"),
            ("cookie", "panel_session=x"),
            ("content-type", "application/json"),
        ]);
        assert_eq!(verdict(&NO_PUBLIC, &h), Ok(()));
    }

    #[test]
    fn same_origin_uploads_name_themselves() {
        let upload = headers(&[
            ("origin", "http://127.0.0.1:8080"),
            ("cookie", "panel_session=x"),
            ("content-type", "application/octet-stream"),
            ("x-panel-request", "upload"),
        ]);
        assert_eq!(verdict(&NO_PUBLIC, &upload), Ok(()));
        let from_elsewhere = headers(&[
            ("origin", "https://evil.example"),
            ("cookie", "panel_session=x"),
            ("x-panel-request", "upload"),
        ]);
        assert!(verdict(&NO_PUBLIC, &from_elsewhere).is_err());
    }

    #[test]
    fn scripts_without_cookie_or_origin_pass() {
        assert_eq!(
            verdict(
                &NO_PUBLIC,
                &headers(&[("content-type", "application/json")])
            ),
            Ok(())
        );
    }

    #[test]
    fn cross_site_writes_are_refused() {
        for h in [
            headers(&[
                ("origin", "https://evil.example"),
                ("content-type", "application/json"),
            ]),
            headers(&[("origin", "http://127.0.0.1:8080.evil.example")]),
            headers(&[("origin", "null"), ("cookie", "panel_session=x")]),
            headers(&[("sec-fetch-site", "cross-site")]),
            // a form post with the cookie: not JSON
            headers(&[
                ("origin", "http://127.0.0.1:8080"),
                ("cookie", "panel_session=x"),
                ("content-type", "application/x-www-form-urlencoded"),
            ]),
            // cookie, JSON, but no origin information at all
            headers(&[
                ("cookie", "panel_session=x"),
                ("content-type", "application/json"),
            ]),
        ] {
            assert!(verdict(&NO_PUBLIC, &h).is_err(), "{h:?}");
        }
    }

    #[test]
    fn sockets_must_come_from_the_panel() {
        let ok = headers(&[
            ("origin", "http://127.0.0.1:8080"),
            ("cookie", "panel_session=x"),
        ]);
        assert_eq!(socket_verdict(&NO_PUBLIC, &ok), Ok(()));
        assert!(
            socket_verdict(&NO_PUBLIC, &headers(&[("origin", "https://evil.example")])).is_err()
        );
        assert!(socket_verdict(&NO_PUBLIC, &headers(&[("cookie", "panel_session=x")])).is_err());
        assert_eq!(
            socket_verdict(&NO_PUBLIC, &headers(&[])),
            Ok(()),
            "scripts without cookie"
        );
    }

    #[test]
    fn a_configured_public_origin_wins_over_host() {
        let p = CsrfPolicy {
            public_origin: Some("https://panel.example.com".into()),
        };
        assert!(verdict(&p, &headers(&[("origin", "https://panel.example.com")])).is_ok());
        assert!(verdict(&p, &headers(&[("origin", "http://127.0.0.1:8080")])).is_err());
    }
}
