//! API tokens: a user makes named tokens for scripts, each limited to a scope (permission names,
//! and `admin` for administrators) and optionally expiring; the secret is shown once and only
//! its SHA-256 is kept. A request with `Authorization: Bearer <token>` acts as the user within
//! the scope; tokens cannot make or revoke tokens.

use chrono::Utc;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit;
use crate::{Actor, AppState, conn, internal};
use protocol::AppError;
use protocol::dto::{NewTokenDto, TokenDto};

/// What every token begins with (so secret scanners and people recognise it).
pub const TOKEN_PREFIX: &str = "mcp_";
/// Longest token name.
const NAME_MAX: usize = 64;
/// Longest lifetime, in days.
const MAX_DAYS: u32 = 3650;

/// The stored hash of a token.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn dto(t: &db::ApiToken) -> TokenDto {
    TokenDto {
        id: t.id,
        name: t.name.clone(),
        prefix: t.prefix.clone(),
        scopes: t.scopes.clone(),
        expires_at: t.expires_at.map(|d| d.to_rfc3339()),
        created_at: t.created_at.to_rfc3339(),
        last_used_at: t.last_used_at.map(|d| d.to_rfc3339()),
    }
}

fn sessions_only(actor: &Actor) -> Result<(), AppError> {
    if actor.scopes.is_some() {
        return Err(AppError::forbidden(crate::msg!("tokens-tokens")));
    }
    Ok(())
}

/// The actor's live tokens.
pub async fn list(state: &AppState, actor: &Actor) -> Result<Vec<TokenDto>, AppError> {
    let mut c = conn(state).await?;
    Ok(db::ApiToken::list(&mut c, actor.user.id)
        .await?
        .iter()
        .map(dto)
        .collect())
}

/// Makes a token; returns its secret (shown once) with its details.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    name: &str,
    scopes: &[String],
    expires_days: Option<u32>,
    password: String,
) -> Result<NewTokenDto, AppError> {
    sessions_only(actor)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        return Err(AppError::bad_request(
            crate::msg!("tokens-name-invalid", "max" => NAME_MAX),
        ));
    }
    let wants_admin = scopes.iter().any(|s| s == "admin");
    let perms: Vec<String> = scopes.iter().filter(|s| *s != "admin").cloned().collect();
    let mut scopes = protocol::permission::normalise(&perms)
        .map(|p| protocol::permission::names(&p))
        .map_err(AppError::bad_request)?;
    if wants_admin {
        if !actor.acts_as_admin() {
            return Err(AppError::forbidden(crate::msg!("tokens-admin-scope")));
        }
        scopes.push("admin".into());
    }
    if scopes.is_empty() {
        return Err(AppError::bad_request(crate::msg!("tokens-no-scope")));
    }
    let expires_at = match expires_days {
        Some(d) if (1..=MAX_DAYS).contains(&d) => {
            Some(Utc::now() + chrono::Duration::days(d.into()))
        }
        Some(_) => {
            return Err(AppError::bad_request(
                crate::msg!("tokens-expiry-invalid", "max" => MAX_DAYS),
            ));
        }
        None => None,
    };
    // a session alone (a stolen cookie) must not mint a credential that outlives it
    crate::account::confirm_password(state, actor, password, "token.create").await?;
    let mut random = [0u8; 32];
    getrandom::fill(&mut random).map_err(|e| internal("the system random source", e))?;
    let secret = format!("{TOKEN_PREFIX}{}", hex::encode(random));
    let prefix: String = secret.chars().take(TOKEN_PREFIX.len() + 8).collect();
    let token_hash = hash(&secret);
    let mut c = conn(state).await?;
    let row = db::ApiToken::create(
        &mut c,
        &db::NewApiToken {
            id: Uuid::new_v4(),
            user_id: actor.user.id,
            name,
            prefix: &prefix,
            token_hash: &token_hash,
            scopes: &scopes,
            expires_at,
        },
    )
    .await?;
    drop(c);
    let what = format!("{name} ({prefix}…): {}", scopes.join(" "));
    audit::record(state, actor, None, "token.create", Some(&what), "ok").await;
    Ok(NewTokenDto {
        token: secret,
        info: dto(&row),
    })
}

/// Revokes one of the actor's tokens (at once: requests and open sockets with it stop).
pub async fn revoke(state: &AppState, actor: &Actor, id: Uuid) -> Result<(), AppError> {
    sessions_only(actor)?;
    let mut c = conn(state).await?;
    if !db::ApiToken::revoke(&mut c, id, actor.user.id).await? {
        return Err(AppError::not_found(crate::msg!("tokens-not-found")));
    }
    drop(c);
    audit::record(
        state,
        actor,
        None,
        "token.revoke",
        Some(&id.to_string()),
        "ok",
    )
    .await;
    Ok(())
}
