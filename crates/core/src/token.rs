//! The session JWT, a short-lived HMAC-signed token naming a `sessions` row, and the
//! known-device token, a long-lived one naming a browser that signed in to an account before.

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Claims of a session token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// The user's id.
    pub sub: Uuid,
    /// The `sessions` row this token stands for.
    pub sid: Uuid,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
}

impl SessionClaims {
    /// Claims for `sid` of `sub`, valid for `ttl` from `now`.
    pub fn new(sub: Uuid, sid: Uuid, now: DateTime<Utc>, ttl: chrono::Duration) -> Self {
        Self {
            sub,
            sid,
            iat: now.timestamp(),
            exp: (now + ttl).timestamp(),
        }
    }
}

/// Claims of a known-device token: this browser completed a sign-in to `sub` before, so a
/// stranger's failures on that account do not lock it out (its own are limited apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceClaims {
    /// The user's id.
    pub sub: Uuid,
    /// The device's id, under which its failures are counted.
    pub did: Uuid,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
}

impl DeviceClaims {
    /// Claims naming a new device of `sub`, valid for `ttl` from `now`.
    pub fn new(sub: Uuid, now: DateTime<Utc>, ttl: chrono::Duration) -> Self {
        Self {
            sub,
            did: Uuid::new_v4(),
            exp: (now + ttl).timestamp(),
        }
    }
}

/// Why a token was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    /// Signature, format, algorithm or expiry check failed.
    #[error("invalid or expired token")]
    Invalid,
    /// The token could not be signed.
    #[error("could not sign token")]
    Sign,
}

/// Signs `claims` (session or device) with HS256.
pub fn encode(claims: &impl Serialize, secret: &[u8]) -> Result<String, TokenError> {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(secret),
    )
    .map_err(|_| TokenError::Sign)
}

/// Verifies signature, algorithm (HS256 only) and expiry (no leeway), and returns the claims.
pub fn decode(token: &str, secret: &[u8]) -> Result<SessionClaims, TokenError> {
    decode_as(token, secret)
}

/// [`decode`] for a known-device token. A session token is not one (it has no `did`), nor is a
/// device token a session token (no `sid`).
pub fn decode_device(token: &str, secret: &[u8]) -> Result<DeviceClaims, TokenError> {
    decode_as(token, secret)
}

fn decode_as<C: serde::de::DeserializeOwned>(token: &str, secret: &[u8]) -> Result<C, TokenError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "sub"]);
    jsonwebtoken::decode::<C>(token, &DecodingKey::from_secret(secret), &validation)
        .map(|data| data.claims)
        .map_err(|_| TokenError::Invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn claims(ttl_secs: i64) -> SessionClaims {
        SessionClaims::new(
            Uuid::new_v4(),
            Uuid::new_v4(),
            Utc::now(),
            chrono::Duration::seconds(ttl_secs),
        )
    }

    #[test]
    fn round_trip() {
        let c = claims(60);
        let t = encode(&c, KEY).unwrap();
        assert_eq!(decode(&t, KEY).unwrap(), c);
    }

    #[test]
    fn expired_tokens_are_refused() {
        let t = encode(&claims(-5), KEY).unwrap();
        assert_eq!(decode(&t, KEY), Err(TokenError::Invalid));
    }

    #[test]
    fn forged_tokens_are_refused() {
        let t = encode(&claims(60), b"another key, another key, another").unwrap();
        assert_eq!(decode(&t, KEY), Err(TokenError::Invalid));
        // tampered payload
        let good = encode(&claims(60), KEY).unwrap();
        let mut parts: Vec<&str> = good.split('.').collect();
        let other = encode(&claims(60), KEY).unwrap();
        parts[1] = other.split('.').nth(1).unwrap();
        assert_eq!(decode(&parts.join("."), KEY), Err(TokenError::Invalid));
        // "none" algorithm
        let none = format!(
            "{}.{}.",
            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0",
            good.split('.').nth(1).unwrap()
        );
        assert_eq!(decode(&none, KEY), Err(TokenError::Invalid));
        assert_eq!(decode("garbage", KEY), Err(TokenError::Invalid));
    }

    #[test]
    fn device_and_session_tokens_are_not_each_other() {
        let session = encode(&claims(60), KEY).unwrap();
        let device = DeviceClaims::new(Uuid::new_v4(), Utc::now(), chrono::Duration::days(1));
        let device_token = encode(&device, KEY).unwrap();
        assert_eq!(decode_device(&device_token, KEY).unwrap(), device);
        assert_eq!(decode(&device_token, KEY), Err(TokenError::Invalid));
        assert_eq!(decode_device(&session, KEY), Err(TokenError::Invalid));
    }
}
