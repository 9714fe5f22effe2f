//! Who is calling: resolving the session cookie or API token to an [`Actor`], and opening and
//! closing sessions (the rate-limited password check is in [`super::sign_in`]).

use chrono::Utc;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use uuid::Uuid;

use super::request::{self, SESSION_COOKIE};
use super::state::{AppState, AuthSettings};
use super::{conn, internal, missing, token};
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

/// Resolves the caller from the session cookie: the JWT must verify and the session row it names
/// must be active, every time. A token past half its life is re-issued (sliding renewal within
/// the session's absolute lifetime).
pub async fn current_actor(state: &AppState) -> Result<Actor, AppError> {
    let parts = request::parts()?;
    if let Some(actor) = bearer(state, &parts.headers).await? {
        return Ok(actor);
    }
    let (session, user, iat) = resolve(state, &parts.headers).await?;
    let age = Utc::now().timestamp() - iat;
    if age > state.auth.jwt_ttl.num_seconds() / 2 {
        let mut c = conn(state).await?;
        db::Session::touch(&mut c, session.id).await?;
        set_session_cookie(&state.auth, &user, &session)?;
    }
    Ok(Actor {
        user,
        session_id: session.id,
        scopes: None,
    })
}

/// The caller of a request with `Authorization: Bearer <token>` (None without that header).
/// A token that is unknown, revoked or expired, or whose user is disabled, is refused.
async fn bearer(state: &AppState, headers: &http::HeaderMap) -> Result<Option<Actor>, AppError> {
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
            message: "Send an API token as \"Authorization: Bearer mcp_…\".".into(),
        })?;
    let mut c = conn(state).await?;
    let (row, user) = db::ApiToken::find_active(&mut c, &super::tokens::hash(token))
        .await?
        .ok_or_else(|| AppError::Unauthenticated {
            message: "This API token is not valid: it may have expired or been revoked.".into(),
        })?;
    Ok(Some(Actor {
        user,
        session_id: row.id,
        scopes: Some(row.scopes),
    }))
}

/// Resolves the caller of a request outside server functions (websocket upgrades) from its
/// headers, with the same checks as [`current_actor`] (no renewal: there is no response).
pub async fn actor_from_headers(
    state: &AppState,
    headers: &http::HeaderMap,
) -> Result<Actor, AppError> {
    if let Some(actor) = bearer(state, headers).await? {
        return Ok(actor);
    }
    let (session, user, _) = resolve(state, headers).await?;
    Ok(Actor {
        user,
        session_id: session.id,
        scopes: None,
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

/// Signs `token`'s claims for `session` and sets the cookie on the response.
fn set_session_cookie(
    auth: &AuthSettings,
    user: &db::User,
    session: &db::Session,
) -> Result<(), AppError> {
    let now = Utc::now();
    // never outlive the session itself
    let ttl = auth.jwt_ttl.min(session.expires_at - now);
    let claims = token::SessionClaims::new(user.id, session.id, now, ttl);
    let jwt = token::encode(&claims, &auth.jwt_secret).map_err(|e| {
        tracing::error!(error = %e, "could not sign a session token");
        AppError::internal()
    })?;
    set_cookie_header(&request::session_cookie(
        &jwt,
        ttl.num_seconds(),
        auth.secure_cookies,
    ))
}

fn set_cookie_header(value: &str) -> Result<(), AppError> {
    let res = use_context::<ResponseOptions>()
        .ok_or_else(missing("the response options of the request"))?;
    let value = http::HeaderValue::from_str(value).map_err(|e| internal("a cookie header", e))?;
    res.append_header(http::header::SET_COOKIE, value);
    Ok(())
}

/// Opens a session for `user` (after a successful sign-in or setup) and sets its cookie.
pub async fn open_session(state: &AppState, user: &db::User) -> Result<(), AppError> {
    let parts = request::parts()?;
    let ip = request::client_ip(&parts, &state.auth.trust_proxy);
    let ua = request::user_agent(&parts.headers);
    let mut c = conn(state).await?;
    let session = db::Session::create(
        &mut c,
        user.id,
        state.auth.session_ttl,
        Some(&ip),
        ua.as_deref(),
    )
    .await?;
    set_session_cookie(&state.auth, user, &session)
}

/// Revokes the caller's session (if any is valid) and clears the cookie either way.
pub async fn close_session(state: &AppState) -> Result<(), AppError> {
    if let Ok(actor) = current_actor(state).await {
        let mut c = conn(state).await?;
        db::Session::revoke(&mut c, actor.session_id).await?;
    }
    set_cookie_header(&request::session_cookie("", 0, state.auth.secure_cookies))
}
