//! First-run setup's gate: until the first administrator exists, setting up needs a one-time
//! setup code, unless the panel is a sandbox on loopback (only this machine can reach it).
//!
//! The code is derived from the panel's secret key, so every replica computes the same one and
//! the operator can read it from any replica's log (or `panel setup-code`) — and it is useless
//! once setup is done.

use sha2::{Digest, Sha256};

use super::state::AppState;
use protocol::AppError;

/// Whether first-run setup asks for the setup code.
#[derive(Clone, PartialEq, Eq)]
pub enum FirstRun {
    /// No code: a sandbox listening on loopback.
    Open,
    /// This code (see [`code`]).
    NeedsCode(std::sync::Arc<str>),
}

impl std::fmt::Debug for FirstRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FirstRun::Open => f.write_str("Open"),
            FirstRun::NeedsCode(_) => f.write_str("NeedsCode(<redacted>)"),
        }
    }
}

impl FirstRun {
    /// The gate of a panel with this secret key: open for a sandbox on loopback only.
    pub fn new(secret: &[u8], sandbox: bool, listen: std::net::SocketAddr) -> Self {
        if sandbox && listen.ip().is_loopback() {
            FirstRun::Open
        } else {
            FirstRun::NeedsCode(code(secret).into())
        }
    }
}

/// The setup code of a panel whose secret key is `secret`: 64 bits of a hash of it, as four
/// groups of four hex digits.
pub fn code(secret: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"mc-panel first-run setup code\0");
    h.update(secret);
    let digest = hex::encode(&h.finalize()[..8]);
    digest
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("-")
}

/// Letters and digits only, lower case: a code typed with other dashes, spaces or capitals is
/// still the code.
fn normalise(code: &str) -> Vec<u8> {
    code.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_lowercase())
        .collect()
}

/// Refuses setup without the right code (compared in constant time) when one is needed.
pub fn check(state: &AppState, given: Option<&str>) -> Result<(), AppError> {
    let FirstRun::NeedsCode(expected) = &state.auth.first_run else {
        return Ok(());
    };
    let Some(given) = given.filter(|g| !g.trim().is_empty()) else {
        return Err(AppError::forbidden(crate::msg!("setup-code-missing")));
    };
    let (a, b) = (normalise(given), normalise(expected));
    let same = a.len() == b.len() && a.iter().zip(&b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
    if same {
        Ok(())
    } else {
        tracing::warn!("first-run setup refused: wrong setup code");
        Err(AppError::forbidden(crate::msg!("setup-code-wrong")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_depends_on_the_secret_and_reads_well() {
        let a = code(b"one secret, one secret, one secret");
        assert_eq!(a, code(b"one secret, one secret, one secret"));
        assert_ne!(a, code(b"another secret, another secret!!"));
        assert_eq!(a.len(), 19);
        assert_eq!(a.matches('-').count(), 3);
        assert_eq!(
            normalise(&a.to_uppercase().replace('-', " ")),
            normalise(&a)
        );
    }

    #[test]
    fn only_a_loopback_sandbox_is_open() {
        let s = b"k";
        let lo = "127.0.0.1:8080".parse().unwrap();
        let any = "0.0.0.0:8080".parse().unwrap();
        assert_eq!(FirstRun::new(s, true, lo), FirstRun::Open);
        assert!(matches!(
            FirstRun::new(s, true, any),
            FirstRun::NeedsCode(_)
        ));
        assert!(matches!(
            FirstRun::new(s, false, lo),
            FirstRun::NeedsCode(_)
        ));
    }
}
