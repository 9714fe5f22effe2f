//! The rate-limited password check: signing in, and confirming the password inside a session.
//!
//! Failures are counted per account *and source*: strangers together, each browser that
//! completed a sign-in to the account before (its known-device cookie) on its own, each session
//! on its own; and per client address over all sources. So a stranger's guesses lock the
//! account for strangers only: the owner still signs in from a known browser, or anywhere with
//! the password and a second-factor code together. Every attempt is written before its password
//! is checked (see [`db::LoginAttempt`]), and no pooled connection is held while bcrypt runs.

use chrono::Utc;
use http::HeaderValue;
use uuid::Uuid;

use super::auth::Actor;
use super::request::{self, DEVICE_COOKIE, Head};
use super::state::AppState;
use super::{conn, password, token};
use protocol::AppError;

/// How long a known-device cookie lasts.
const DEVICE_TTL_DAYS: i64 = 365;

/// Where an attempt comes from, for counting its failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// No known-device cookie for this account.
    Stranger,
    /// A browser that signed in to this account before.
    Device(Uuid),
    /// A password confirmation inside this session (or API token).
    Session(Uuid),
    /// A sign-in with the password and a second-factor code together while the account is
    /// locked for strangers (limited on its own, so codes cannot be guessed without end).
    SecondFactor,
}

impl Source {
    /// The value stored in `login_attempts.source`.
    fn key(self) -> Option<String> {
        match self {
            Source::Stranger => None,
            Source::Device(id) => Some(format!("device:{id}")),
            Source::Session(id) => Some(format!("session:{id}")),
            Source::SecondFactor => Some("second-factor".into()),
        }
    }
}

/// What the limits say about an attempt.
enum Verdict {
    /// Check the password.
    Go,
    /// Too many failures for this account from strangers: only the password together with a
    /// second-factor code is checked; without a code, `refusal` is the answer.
    LockedForStrangers { refusal: AppError },
    /// Refused without checking anything.
    Refused(AppError),
}

/// Whose failures an attempt is over the limit of, as its refusal tells it.
#[derive(Debug, Clone, Copy)]
enum TooMany {
    /// The client's address.
    Address,
    /// Strangers' on the account (they may come from a known browser, or with a code).
    AccountStrangers,
    /// This browser's on the account.
    Browser,
    /// This session's.
    Session,
    /// Sign-ins with a code on the account (they may come from a known browser).
    AccountWithCode,
}

/// The refusal of an attempt over a limit, with when it lifts.
fn too_many(state: &AppState, oldest: Option<chrono::DateTime<Utc>>, why: TooMany) -> AppError {
    let lifts = oldest
        .map(|t| t + state.auth.limit_window)
        .unwrap_or_else(Utc::now);
    let secs = (lifts - Utc::now()).num_seconds().max(1) as u64;
    let minutes = secs.div_ceil(60);
    let message = match why {
        TooMany::Address => crate::msg!("sign-in-too-many-address", "minutes" => minutes),
        TooMany::AccountStrangers => {
            crate::msg!("sign-in-too-many-account", "minutes" => minutes)
        }
        TooMany::Browser => crate::msg!("sign-in-too-many-browser", "minutes" => minutes),
        TooMany::Session => crate::msg!("sign-in-too-many-session", "minutes" => minutes),
        TooMany::AccountWithCode => {
            crate::msg!("sign-in-too-many-account-code", "minutes" => minutes)
        }
    };
    AppError::RateLimited {
        message,
        retry_after_secs: secs,
    }
}

/// Which limit an attempt is over, if any. The counts are of the failures before it.
fn over_limit(state: &AppState, source: Source, failures: &db::Failures) -> Option<Limit> {
    let auth = &state.auth;
    // A known device is limited on its own only: a stranger sharing its address (or flooding
    // from everywhere) does not shut it out.
    if !matches!(source, Source::Device(_)) && failures.from_ip >= auth.max_failures_per_ip {
        return Some(Limit::Address);
    }
    (failures.for_source >= auth.max_failures_per_user).then_some(Limit::Source)
}

/// A limit an attempt can be over.
#[derive(Debug, Clone, Copy)]
enum Limit {
    /// Failures from the client's address.
    Address,
    /// Failures on the account from the attempt's source.
    Source,
}

/// One attempt, written before its password is checked (unless refused at once).
struct Attempt {
    /// The row, None when the attempt was refused unwritten.
    id: Option<i64>,
    username: String,
    ip: String,
    source: Source,
}

impl Attempt {
    /// Weighs the attempt against the limits and writes it unless it is over one.
    async fn begin(
        state: &AppState,
        username: &str,
        ip: String,
        source: Source,
    ) -> Result<(Self, Verdict), AppError> {
        let key = source.key();
        let since = Utc::now() - state.auth.limit_window;
        let mut c = conn(state).await?;
        let (failures, id) =
            db::LoginAttempt::begin_unless(&mut c, username, &ip, key.as_deref(), since, |f| {
                over_limit(state, source, f).is_some()
            })
            .await?;
        drop(c);
        let verdict = match over_limit(state, source, &failures) {
            None => Verdict::Go,
            Some(Limit::Address) => {
                tracing::warn!(%ip, "sign-in refused: too many failures from the address");
                let e = too_many(state, failures.oldest_from_ip, TooMany::Address);
                Verdict::Refused(e)
            }
            Some(Limit::Source) => {
                tracing::warn!(%ip, ?source, "sign-in refused: too many failures for the account");
                let oldest = failures.oldest_for_source;
                match source {
                    Source::Stranger => Verdict::LockedForStrangers {
                        refusal: too_many(state, oldest, TooMany::AccountStrangers),
                    },
                    Source::Device(_) => {
                        Verdict::Refused(too_many(state, oldest, TooMany::Browser))
                    }
                    Source::Session(_) => {
                        Verdict::Refused(too_many(state, oldest, TooMany::Session))
                    }
                    Source::SecondFactor => {
                        Verdict::Refused(too_many(state, oldest, TooMany::AccountWithCode))
                    }
                }
            }
        };
        let attempt = Attempt {
            id,
            username: username.to_owned(),
            ip,
            source,
        };
        Ok((attempt, verdict))
    }

    /// The attempt was not a failure: it does not count.
    async fn forget(&self, state: &AppState) -> Result<(), AppError> {
        if let Some(id) = self.id {
            let mut c = conn(state).await?;
            db::LoginAttempt::forget(&mut c, id).await?;
        }
        Ok(())
    }

    /// A failure found after the password (a wrong second factor) counts too.
    async fn fail_again(&self, state: &AppState) -> Result<(), AppError> {
        let mut c = conn(state).await?;
        db::LoginAttempt::fail(
            &mut c,
            &self.username,
            &self.ip,
            self.source.key().as_deref(),
        )
        .await?;
        Ok(())
    }
}

/// The refusal of a wrong username or password.
fn wrong_password() -> AppError {
    AppError::Unauthenticated {
        message: crate::msg!("sign-in-wrong-password"),
    }
}

/// Verifies `password` against the user's hash (or the dummy one for an unknown user, which
/// costs the same), on a blocking thread with no connection held. A disabled user never
/// matches.
async fn password_matches(state: &AppState, user: Option<&db::User>, password: String) -> bool {
    let hash = user
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| state.auth.dummy_hash.to_string());
    let matches = password::verify(password, hash).await;
    matches && user.is_some_and(|u| !u.disabled)
}

/// The known device this request's cookie names for `user`, if any.
fn known_device(state: &AppState, headers: &http::HeaderMap, user: &db::User) -> Option<Uuid> {
    let raw = request::cookie(headers, DEVICE_COOKIE)?;
    let claims = token::decode_device(&raw, &state.auth.jwt_secret).ok()?;
    (claims.sub == user.id).then_some(claims.did)
}

/// A known-device cookie for `user` (a new device, or the same one again to renew it), for the
/// caller to set after the session cookie, which stays the first. None if it could not be
/// signed (logged; the sign-in goes on without it).
pub fn remember_device(
    state: &AppState,
    user: &db::User,
    device: Option<Uuid>,
) -> Option<HeaderValue> {
    let now = Utc::now();
    let ttl = chrono::Duration::days(DEVICE_TTL_DAYS);
    let mut claims = token::DeviceClaims::new(user.id, now, ttl);
    if let Some(did) = device {
        claims.did = did;
    }
    let jwt = token::encode(&claims, &state.auth.jwt_secret)
        .map_err(|e| tracing::error!(error = %e, "could not sign a device token"))
        .ok()?;
    let cookie = request::device_cookie(&jwt, ttl.num_seconds(), state.auth.secure_cookies);
    crate::auth::header(&cookie).ok()
}

/// A completed sign-in: the user, and the known device it came from (None: a new one).
pub struct SignedIn {
    /// The user.
    pub user: db::User,
    /// The device id of the browser's known-device cookie, if it had one for this user.
    pub device: Option<Uuid>,
}

/// The refusal of a password where the panel signs in through its provider only.
pub fn passwords_off(state: &AppState) -> AppError {
    let name = state.auth.sso.as_ref().map_or_else(
        || crate::msg!("sign-in-single-sign-on"),
        |s| s.settings.name.clone(),
    );
    AppError::forbidden(crate::msg!("sign-in-passwords-off", "name" => name))
}

/// Signs in with a username, a password and, for an account with two-factor sign-in, a code:
/// returns the user once all passed, with the limits above. The caller opens the session, then
/// calls [`remember_device`].
pub async fn sign_in(
    state: &AppState,
    head: &Head,
    username: &str,
    password: String,
    code: Option<&str>,
) -> Result<SignedIn, AppError> {
    if !state.auth.passwords {
        return Err(passwords_off(state));
    }
    let ip = head.ip.clone();
    let user = {
        let mut c = conn(state).await?;
        db::User::find_by_username(&mut c, username).await?
    };
    let device = user
        .as_ref()
        .and_then(|u| known_device(state, &head.headers, u));
    let code = code
        .map(str::trim)
        .filter(|c| !c.is_empty() && c.len() <= 32);
    let mut source = device.map_or(Source::Stranger, Source::Device);
    let (mut attempt, mut verdict) = Attempt::begin(state, username, ip.clone(), source).await?;
    let mut locked = false;
    if let Verdict::LockedForStrangers { .. } = verdict
        && code.is_some()
    {
        // Locked for strangers, but a code came with the password: weigh it against the
        // limit of that way in instead.
        locked = true;
        source = Source::SecondFactor;
        (attempt, verdict) = Attempt::begin(state, username, ip, source).await?;
    }
    match verdict {
        Verdict::Go => {}
        Verdict::Refused(e) | Verdict::LockedForStrangers { refusal: e } => return Err(e),
    }

    let matches = password_matches(state, user.as_ref(), password).await;
    let (Some(user), true) = (user, matches) else {
        return Err(if locked {
            wrong_password_or_code()
        } else {
            wrong_password()
        });
    };
    // The password was right: not a failure (so far).
    attempt.forget(state).await?;

    if super::two_factor::required(state, &user).await? {
        let Some(code) = code else {
            return Err(AppError::SecondFactor {
                message: crate::msg!("sign-in-code-needed"),
            });
        };
        if !super::two_factor::second_factor(state, &user, code).await? {
            attempt.fail_again(state).await?;
            return Err(if locked {
                wrong_password_or_code()
            } else {
                AppError::SecondFactor {
                    message: crate::msg!("sign-in-code-wrong"),
                }
            });
        }
    } else if locked {
        // Without a second factor, a locked account is only open to its known browsers.
        attempt.fail_again(state).await?;
        return Err(wrong_password_or_code());
    }

    let mut c = conn(state).await?;
    db::LoginAttempt::succeed(&mut c, username, &attempt.ip, source.key().as_deref()).await?;
    drop(c);
    Ok(SignedIn { user, device })
}

/// The refusal while the account is locked for strangers and a code came with the password:
/// it does not tell which was wrong, nor whether the account has a second factor.
fn wrong_password_or_code() -> AppError {
    AppError::Unauthenticated {
        message: crate::msg!("sign-in-wrong-password-or-code"),
    }
}

/// Checks the signed-in actor's password, its failures counted for this session alone (and its
/// address), so that a stolen session guessing passwords neither goes unlimited nor locks the
/// owner out of signing in.
pub async fn confirm(state: &AppState, actor: &Actor, password: String) -> Result<(), AppError> {
    let ip = actor.ip.clone().unwrap_or_else(|| "unknown".into());
    let (attempt, verdict) = Attempt::begin(
        state,
        &actor.user.username,
        ip,
        Source::Session(actor.session_id),
    )
    .await?;
    match verdict {
        Verdict::Go => {}
        Verdict::Refused(e) | Verdict::LockedForStrangers { refusal: e } => return Err(e),
    }
    if password_matches(state, Some(&actor.user), password).await {
        attempt.forget(state).await?;
        Ok(())
    } else {
        Err(wrong_password())
    }
}
