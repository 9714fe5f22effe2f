//! What the panel's logic reads of an HTTP request (its head and the client's address) and the
//! cookies it sets. The edge (server functions, handlers) builds a [`Head`] and passes it.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::HeaderMap;
use http::request::Parts;

use super::client_addr::TrustProxy;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "panel_session";

/// Name of the known-device cookie (sent to the sign-in endpoint only).
pub const DEVICE_COOKIE: &str = "panel_device";

/// What a request brings to the panel's logic: its headers and the client's address.
#[derive(Debug, Clone)]
pub struct Head {
    /// The request's headers (cookies, `Authorization`, `User-Agent`).
    pub headers: HeaderMap,
    /// The client's address, after the trusted proxies (`unknown` without a peer).
    pub ip: String,
}

impl Head {
    /// The head of a request, its client address decided by `trust`.
    pub fn of(parts: &Parts, trust: &TrustProxy) -> Head {
        Head {
            headers: parts.headers.clone(),
            ip: client_ip(parts, trust),
        }
    }
}

/// The client's address: the connection's peer, or who the trusted proxies say it is.
pub fn client_ip(parts: &Parts, trust: &TrustProxy) -> String {
    peer_address(&parts.extensions, &parts.headers, trust).unwrap_or_else(|| "unknown".into())
}

/// The client's address from a request's extensions (its connection's peer) and headers; None
/// without a peer.
pub fn peer_address(
    extensions: &http::Extensions,
    headers: &HeaderMap,
    trust: &TrustProxy,
) -> Option<String> {
    let ConnectInfo(peer) = extensions.get::<ConnectInfo<SocketAddr>>()?;
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    Some(trust.client(peer.ip(), &forwarded).to_string())
}

/// The `User-Agent` header, cut to 256 characters.
pub fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(256).collect())
}

/// The value of cookie `name`, if the request carries it.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| cookie::Cookie::parse(pair.trim()).ok())
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A `Set-Cookie` value for the session cookie: HttpOnly, SameSite=Strict, Path=/, and Secure
/// when asked. An empty value with `max_age_secs == 0` clears it.
pub fn session_cookie(value: &str, max_age_secs: i64, secure: bool) -> String {
    build_cookie(SESSION_COOKIE, "/", value, max_age_secs, secure)
}

/// A `Set-Cookie` value for the known-device cookie: like the session's, but sent to the
/// sign-in endpoint alone.
pub fn device_cookie(value: &str, max_age_secs: i64, secure: bool) -> String {
    build_cookie(DEVICE_COOKIE, "/api/login", value, max_age_secs, secure)
}

fn build_cookie(name: &str, path: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    cookie::Cookie::build((name.to_owned(), value.to_owned()))
        .path(path.to_owned())
        .http_only(true)
        .same_site(cookie::SameSite::Strict)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age_secs))
        .build()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_named_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=1; panel_session=abc.def.ghi; b=2".parse().unwrap(),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc.def.ghi"));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn session_cookie_has_the_safe_attributes() {
        let c = session_cookie("tok", 3600, true);
        for part in [
            "panel_session=tok",
            "HttpOnly",
            "SameSite=Strict",
            "Path=/",
            "Secure",
            "Max-Age=3600",
        ] {
            assert!(c.contains(part), "{c} lacks {part}");
        }
        assert!(!session_cookie("tok", 3600, false).contains("Secure"));
    }
}
