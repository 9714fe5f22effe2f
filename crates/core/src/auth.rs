//! Who is calling: resolving the session cookie or API token to an [`Actor`], and opening and
//! closing sessions (the rate-limited password check is in [`super::sign_in`]).

use chrono::Utc;
use http::HeaderValue;
use uuid::Uuid;

use super::request::{self, Head, SESSION_COOKIE};
use super::state::{AppState, AuthSettings};
use super::{conn, internal, token};
use protocol::AppError;
use protocol::dto::UserDto;

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The user's row.
    pub user: db::User,
    /// The session the request came with (or the API token's id).
    pub session_id: Uuid,
    /// For an API token, what it may do (permission names, `admin`); None for a session.
    pub scopes: Option<Vec<String>>,
    /// The client's address (after the trusted proxies), for the audit log; None where the
    /// request's peer is not known.
    pub ip: Option<String>,
}

impl Actor {
    /// Whether the caller acts as an administrator: an administrator signed in, or an
    /// administrator's API token whose scope includes `admin`. Every administrator's power
    /// (every server, templates, users, the whole audit log) asks this, never `is_admin`.
    pub fn acts_as_admin(&self) -> bool {
        self.user.is_admin
            && self
                .scopes
                .as_ref()
                .is_none_or(|s| s.iter().any(|x| x == "admin"))
    }

    /// The user as the client sees it.
    pub fn dto(&self) -> UserDto {
        user_dto(&self.user)
    }
}

/// Converts a user row to its DTO.
pub fn user_dto(user: &db::User) -> UserDto {
    UserDto {
        id: user.id,
        username: user.username.clone(),
        is_admin: user.is_admin,
    }
}

/// A caller resolved from a request, and the renewed session cookie to set on the response
/// when the session token was past half its life.
#[derive(Debug)]
pub struct Authenticated {
    /// The caller.
    pub actor: Actor,
    /// A `Set-Cookie` value re-issuing the session token, if it was renewed.
    pub renewed: Option<HeaderValue>,
}

/// Resolves the caller from the API token or the session cookie: the JWT must verify and the
/// session row it names must be active, every time. A token past half its life is re-issued
/// (sliding renewal within the session's absolute lifetime).
pub async fn current_actor(state: &AppState, head: &Head) -> Result<Authenticated, AppError> {
    let ip = Some(head.ip.clone());
    if let Some(actor) = bearer(state, &head.headers, ip.clone()).await? {
        return Ok(Authenticated {
            actor,
            renewed: None,
        });
    }
    let (session, user, iat) = resolve(state, &head.headers).await?;
    let age = Utc::now().timestamp() - iat;
    let mut renewed = None;
    if age > state.auth.jwt_ttl.num_seconds() / 2 {
        let mut c = conn(state).await?;
        db::Session::touch(&mut c, session.id).await?;
        renewed = Some(session_cookie(&state.auth, &user, &session)?);
    }
    Ok(Authenticated {
        actor: Actor {
            user,
            session_id: session.id,
            scopes: None,
            ip,
        },
        renewed,
    })
}

/// The caller of a request with `Authorization: Bearer <token>` (None without that header).
/// A token that is unknown, revoked or expired, or whose user is disabled, is refused.
async fn bearer(
    state: &AppState,
    headers: &http::HeaderMap,
    ip: Option<String>,
) -> Result<Option<Actor>, AppError> {
    let Some(value) = headers.get(http::header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| t.starts_with(super::tokens::TOKEN_PREFIX))
        .ok_or_else(|| AppError::Unauthenticated {
            message: crate::msg!("auth-token-header"),
        })?;
    let mut c = conn(state).await?;
    let (row, user) = db::ApiToken::find_active(&mut c, &super::tokens::hash(token))
        .await?
        .ok_or_else(|| AppError::Unauthenticated {
            message: crate::msg!("auth-token-invalid"),
        })?;
    Ok(Some(Actor {
        user,
        session_id: row.id,
        scopes: Some(row.scopes),
        ip,
    }))
}

/// Resolves the caller of a request outside server functions (websocket upgrades, file
/// routes) from its headers, with the same checks as [`current_actor`] (no renewal: there is no
/// response to carry it). `ip` is the client's address where the handler knows it.
pub async fn actor_from_headers(
    state: &AppState,
    headers: &http::HeaderMap,
    ip: Option<String>,
) -> Result<Actor, AppError> {
    if let Some(actor) = bearer(state, headers, ip.clone()).await? {
        return Ok(actor);
    }
    let (session, user, _) = resolve(state, headers).await?;
    Ok(Actor {
        user,
        session_id: session.id,
        scopes: None,
        ip,
    })
}

async fn resolve(
    state: &AppState,
    headers: &http::HeaderMap,
) -> Result<(db::Session, db::User, i64), AppError> {
    let raw = request::cookie(headers, SESSION_COOKIE).ok_or_else(AppError::unauthenticated)?;
    let claims =
        token::decode(&raw, &state.auth.jwt_secret).map_err(|_| AppError::unauthenticated())?;
    let mut c = conn(state).await?;
    let (session, user) = db::Session::find_active(&mut c, claims.sid)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    if user.id != claims.sub {
        return Err(AppError::unauthenticated());
    }
    Ok((session, user, claims.iat))
}

/// Signs a session token for `session` and answers the `Set-Cookie` value carrying it.
fn session_cookie(
    auth: &AuthSettings,
    user: &db::User,
    session: &db::Session,
) -> Result<HeaderValue, AppError> {
    let now = Utc::now();
    // never outlive the session itself
    let ttl = auth.jwt_ttl.min(session.expires_at - now);
    let claims = token::SessionClaims::new(user.id, session.id, now, ttl);
    let jwt = token::encode(&claims, &auth.jwt_secret)
        .map_err(|e| internal("signing a session token", e))?;
    header(&request::session_cookie(
        &jwt,
        ttl.num_seconds(),
        auth.secure_cookies,
    ))
}

/// A `Set-Cookie` value as a header value.
pub(crate) fn header(value: &str) -> Result<HeaderValue, AppError> {
    HeaderValue::from_str(value).map_err(|e| internal("a cookie header", e))
}

/// Opens a session for `user` (after a successful sign-in or setup) and answers the cookie to
/// set.
pub async fn open_session(
    state: &AppState,
    head: &Head,
    user: &db::User,
) -> Result<HeaderValue, AppError> {
    let ua = request::user_agent(&head.headers);
    let mut c = conn(state).await?;
    let session = db::Session::create(
        &mut c,
        user.id,
        state.auth.session_ttl,
        Some(&head.ip),
        ua.as_deref(),
    )
    .await?;
    session_cookie(&state.auth, user, &session)
}

/// Revokes the caller's session (if any is valid) and answers the cookie that clears it,
/// either way.
pub async fn close_session(state: &AppState, head: &Head) -> Result<HeaderValue, AppError> {
    if let Ok(Authenticated { actor, .. }) = current_actor(state, head).await {
        let mut c = conn(state).await?;
        db::Session::revoke(&mut c, actor.session_id).await?;
    }
    header(&request::session_cookie("", 0, state.auth.secure_cookies))
}
