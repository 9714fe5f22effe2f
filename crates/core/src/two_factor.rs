//! Two-factor sign-in: TOTP codes (RFC 6238: 6 digits every 30 s, SHA-1, what authenticator
//! apps use; one step of clock skew either way; a code is accepted once) and ten single-use
//! recovery codes. Setting up shows a secret and an `otpauth://` link; a first code confirms
//! it and returns the recovery codes, once.

use sha2::{Digest, Sha256};
use totp_rs::{Builder, Secret, Totp};

use crate::audit;
use crate::{Actor, AppState, conn, internal};
use protocol::AppError;
use protocol::dto::{TotpSetupDto, TwoFactorDto};

/// How many recovery codes a user gets.
const RECOVERY_CODES: usize = 10;

fn totp(secret_b32: &str, account: &str) -> Result<Totp, AppError> {
    let secret = Secret::try_from_base32(secret_b32)
        .map_err(|e| internal("a stored two-factor secret", e))?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account)
        .with_issuer(Some("Minecraft Panel"))
        .build()
        .map_err(|e| {
            tracing::error!(error = %e, "totp");
            AppError::internal()
        })
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn code_hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

fn sessions_only(actor: &Actor) -> Result<(), AppError> {
    if actor.scopes.is_some() {
        return Err(AppError::forbidden(crate::msg!("two-factor-tokens")));
    }
    Ok(())
}

/// Whether the actor has two-factor sign-in, and how many recovery codes are left.
pub async fn status(state: &AppState, actor: &Actor) -> Result<TwoFactorDto, AppError> {
    let mut c = conn(state).await?;
    let s = db::TwoFactor::state(&mut c, actor.user.id)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    let left = db::TwoFactor::codes_left(&mut c, actor.user.id).await?;
    Ok(TwoFactorDto {
        enabled: s.totp_secret.is_some(),
        recovery_codes_left: left as u32,
    })
}

/// Starts setting up, once `password` is the actor's: a new secret to add to an authenticator
/// app. Refused while two-factor sign-in is on (it is replaced by turning it off, with the
/// password and a code, then setting it up again): a stolen session alone can neither replace
/// the owner's second factor nor put one of its own in front of the account.
pub async fn setup(
    state: &AppState,
    actor: &Actor,
    password: String,
) -> Result<TotpSetupDto, AppError> {
    sessions_only(actor)?;
    if required(state, &actor.user).await? {
        let message = crate::msg!("two-factor-setup-already-on");
        return Err(AppError::conflict(message));
    }
    crate::account::confirm_password(state, actor, password, "account.2fa.setup").await?;
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| internal("the system random source", e))?;
    let secret = Secret::from(bytes.to_vec()).to_base32();
    let t = totp(&secret, &actor.user.username)?;
    let url = t.to_url().map_err(|e| internal("a two-factor link", e))?;
    let mut c = conn(state).await?;
    db::TwoFactor::set_pending(&mut c, actor.user.id, &secret).await?;
    Ok(TotpSetupDto { secret, url })
}

/// Confirms the secret being set up with a code from the app; returns the recovery codes
/// (shown once).
pub async fn enable(state: &AppState, actor: &Actor, code: &str) -> Result<Vec<String>, AppError> {
    sessions_only(actor)?;
    let mut c = conn(state).await?;
    let s = db::TwoFactor::state(&mut c, actor.user.id)
        .await?
        .ok_or_else(AppError::unauthenticated)?;
    if s.totp_secret.is_some() {
        return Err(AppError::conflict(crate::msg!("two-factor-already-on")));
    }
    let pending = s
        .totp_pending
        .ok_or_else(|| AppError::bad_request(crate::msg!("two-factor-setup-first")))?;
    let step = totp(&pending, &actor.user.username)?
        .check(code.trim(), now())
        .ok_or_else(|| AppError::bad_request(crate::msg!("two-factor-code-wrong-clock")))?;
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let mut b = [0u8; 5];
        getrandom::fill(&mut b).map_err(|e| internal("the system random source", e))?;
        let h = hex::encode(b);
        codes.push(format!("{}-{}", &h[..5], &h[5..]));
    }
    let hashes: Vec<String> = codes.iter().map(|c| code_hash(c)).collect();
    db::TwoFactor::enable(&mut c, actor.user.id, &pending, step as i64, &hashes).await?;
    drop(c);
    audit::record(state, actor, None, "account.2fa.enable", None, "ok").await;
    Ok(codes)
}

/// Turns two-factor sign-in off, after the password and a code (or a recovery code).
pub async fn disable(
    state: &AppState,
    actor: &Actor,
    password: String,
    code: &str,
) -> Result<(), AppError> {
    sessions_only(actor)?;
    crate::account::confirm_password(state, actor, password, "account.2fa.disable").await?;
    if !second_factor(state, &actor.user, code).await? {
        return Err(AppError::bad_request(crate::msg!("two-factor-code-wrong")));
    }
    let mut c = conn(state).await?;
    db::TwoFactor::disable(&mut c, actor.user.id).await?;
    drop(c);
    audit::record(state, actor, None, "account.2fa.disable", None, "ok").await;
    Ok(())
}

/// Whether the user signs in with a second factor.
pub async fn required(state: &AppState, user: &db::User) -> Result<bool, AppError> {
    let mut c = conn(state).await?;
    Ok(db::TwoFactor::state(&mut c, user.id)
        .await?
        .is_some_and(|s| s.totp_secret.is_some()))
}

/// Checks a second factor: a current TOTP code not used before, or an unused recovery code
/// (used up by this).
pub async fn second_factor(
    state: &AppState,
    user: &db::User,
    code: &str,
) -> Result<bool, AppError> {
    let mut c = conn(state).await?;
    let Some(secret) = db::TwoFactor::state(&mut c, user.id)
        .await?
        .and_then(|s| s.totp_secret)
    else {
        return Ok(false);
    };
    let code = code.trim();
    if code.len() == 6 && code.chars().all(|c| c.is_ascii_digit()) {
        return match totp(&secret, &user.username)?.check(code, now()) {
            Some(step) => Ok(db::TwoFactor::accept_step(&mut c, user.id, step as i64).await?),
            None => Ok(false),
        };
    }
    Ok(db::TwoFactor::use_recovery_code(&mut c, user.id, &code_hash(code)).await?)
}

/// Turns off another user's two-factor sign-in (administrators, for a user who lost both their
/// phone and their recovery codes); audited. The user signs in with the password alone and
/// can set it up again.
pub async fn reset(state: &AppState, actor: &Actor, user: uuid::Uuid) -> Result<(), AppError> {
    crate::authorize::require_admin(actor, crate::authorize::AdminTask::Users)?;
    let mut c = conn(state).await?;
    let target = db::User::find(&mut c, user)
        .await?
        .ok_or_else(|| AppError::not_found(crate::msg!("two-factor-user-not-found")))?;
    let on = db::TwoFactor::state(&mut c, user)
        .await?
        .is_some_and(|s| s.totp_secret.is_some());
    if !on {
        return Err(AppError::bad_request(
            crate::msg!("two-factor-not-on", "username" => &target.username),
        ));
    }
    db::TwoFactor::disable(&mut c, user).await?;
    drop(c);
    audit::record(
        state,
        actor,
        None,
        "user.2fa.reset",
        Some(&target.username),
        "ok",
    )
    .await;
    Ok(())
}
