//! Single sign-on as the browser sees it: why a sign-in through the provider failed. The panel
//! sends the browser back to the sign-in page with `?sso=<code>`, and the page says why.

use serde::{Deserialize, Serialize};

/// Why a sign-in through the provider did not sign anyone in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SsoFailure {
    /// The provider could not be reached.
    Unreachable,
    /// The provider's discovery document or answers could not be trusted (a wrong issuer).
    Untrusted,
    /// The provider answered with an error (the user said no, or the client is not allowed).
    Refused,
    /// The sign-in was answered already, or is older than ten minutes, or unknown.
    Stale,
    /// The answer came to another browser than the one that started the sign-in.
    OtherBrowser,
    /// The ID token did not verify: its signature, issuer, audience, nonce or expiry.
    BadToken,
    /// No panel account is linked to this identity and the panel does not create one.
    NoAccount,
    /// The account with that e-mail address is linked to another identity of the provider.
    AlreadyLinked,
    /// The panel account is disabled.
    Disabled,
    /// Something failed inside the panel (logged there).
    Internal,
}

impl SsoFailure {
    /// Every failure, for the page's lookups and the tests.
    pub const ALL: [SsoFailure; 10] = [
        SsoFailure::Unreachable,
        SsoFailure::Untrusted,
        SsoFailure::Refused,
        SsoFailure::Stale,
        SsoFailure::OtherBrowser,
        SsoFailure::BadToken,
        SsoFailure::NoAccount,
        SsoFailure::AlreadyLinked,
        SsoFailure::Disabled,
        SsoFailure::Internal,
    ];

    /// Its name in the sign-in page's address.
    pub fn code(self) -> &'static str {
        match self {
            SsoFailure::Unreachable => "unreachable",
            SsoFailure::Untrusted => "untrusted",
            SsoFailure::Refused => "refused",
            SsoFailure::Stale => "stale",
            SsoFailure::OtherBrowser => "other_browser",
            SsoFailure::BadToken => "bad_token",
            SsoFailure::NoAccount => "no_account",
            SsoFailure::AlreadyLinked => "already_linked",
            SsoFailure::Disabled => "disabled",
            SsoFailure::Internal => "internal",
        }
    }

    /// The failure named `code`, if any.
    pub fn from_code(code: &str) -> Option<SsoFailure> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    /// What the sign-in page says.
    pub fn message(self) -> &'static str {
        match self {
            SsoFailure::Unreachable => {
                "The sign-in provider could not be reached. Try again in a moment."
            }
            SsoFailure::Untrusted => {
                "The sign-in provider's answer could not be trusted. An administrator should check the panel's log."
            }
            SsoFailure::Refused => "The sign-in provider did not sign you in.",
            SsoFailure::Stale => {
                "That sign-in was already used or took too long. Please try again."
            }
            SsoFailure::OtherBrowser => {
                "That sign-in was started in another browser. Please try again here."
            }
            SsoFailure::BadToken => {
                "The sign-in provider's token could not be verified. An administrator should check the panel's log."
            }
            SsoFailure::NoAccount => {
                "No panel account belongs to that sign-in. Ask an administrator for one."
            }
            SsoFailure::AlreadyLinked => {
                "The account with your e-mail address is linked to another sign-in. Ask an administrator."
            }
            SsoFailure::Disabled => "This account is disabled.",
            SsoFailure::Internal => "Something went wrong on the panel. Please try again.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back() {
        for f in SsoFailure::ALL {
            assert_eq!(SsoFailure::from_code(f.code()), Some(f));
            assert_eq!(serde_json::to_value(f).unwrap(), f.code());
        }
        assert_eq!(SsoFailure::from_code("nope"), None);
    }
}
