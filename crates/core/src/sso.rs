//! Single sign-on through an OpenID Connect provider (Authentik, Keycloak, Dex...): discovery,
//! the authorization code flow with PKCE, state and nonce, the ID token verified by the
//! `openidconnect` crate, and the panel account it signs in to (linked by the provider's
//! subject, by a verified e-mail address when the operator allows it, or created).

mod admin_claim;
mod http;

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, IdToken, IdTokenClaims, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope,
};
use protocol::sso::SsoFailure;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

pub use admin_claim::AdminClaim;

use crate::request::Head;
use crate::{AppState, audit, conn};

/// The cookie that ties a sign-in under way to the browser that started it (SameSite=Lax: the
/// provider's redirect back is a cross-site navigation).
pub const BROWSER_COOKIE: &str = "panel_sso";

/// Where the provider sends the browser back, under the panel's public URL.
pub const CALLBACK_PATH: &str = "/auth/sso/callback";

/// How long a sign-in may take at the provider.
const MAX_AGE: chrono::Duration = chrono::Duration::minutes(10);

/// How long a discovery document (and the provider's keys) is used before it is read again.
const DISCOVERY_TTL: Duration = Duration::from_secs(300);

/// What the operator configured.
#[derive(Debug, Clone)]
pub struct SsoSettings {
    /// The provider's issuer URL; its discovery document must name exactly this issuer.
    pub issuer: String,
    /// The panel's client id at the provider.
    pub client_id: String,
    /// The panel's client secret (none: a public client, PKCE alone).
    pub client_secret: Option<String>,
    /// The panel's public URL; the provider sends the browser back to its [`CALLBACK_PATH`].
    pub public_url: String,
    /// The provider's name on the sign-in button.
    pub name: String,
    /// Scopes asked for besides `openid` (`email`, `profile`, `groups`...).
    pub scopes: Vec<String>,
    /// The claim that makes a user an administrator (none: the panel's own choice stands).
    pub admin_claim: Option<AdminClaim>,
    /// The claim a user must hold to sign in at all (none: anyone the provider signs in; set it
    /// for a provider shared with people who are not the panel's).
    pub allowed_claim: Option<AdminClaim>,
    /// Whether a verified e-mail address links a user the provider names for the first time to
    /// the panel account with that address.
    pub link_by_email: bool,
    /// Whether a user the provider names for the first time gets a new panel account.
    pub create_users: bool,
}

impl SsoSettings {
    /// The redirect URL registered at the provider.
    pub fn redirect_url(&self) -> String {
        format!("{}{CALLBACK_PATH}", self.public_url.trim_end_matches('/'))
    }
}

/// The provider, its discovery document read when first needed and kept a while.
pub struct Sso {
    /// What the operator configured.
    pub settings: SsoSettings,
    http: reqwest::Client,
    discovered: Mutex<Option<(Instant, CoreProviderMetadata)>>,
}

impl std::fmt::Debug for Sso {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sso")
            .field("issuer", &self.settings.issuer)
            .field("client_id", &self.settings.client_id)
            .finish_non_exhaustive()
    }
}

/// A client of the discovered provider, with its authorization, token and user info endpoints.
type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The claims of an ID token beyond the standard ones (where an administrator claim is).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct OtherClaims {
    #[serde(flatten)]
    claims: serde_json::Map<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type PanelIdToken = IdToken<
    OtherClaims,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;

/// A sign-in sent to the provider: where to send the browser, and the cookie to give it.
#[derive(Debug)]
pub struct Started {
    /// The provider's authorization URL.
    pub url: String,
    /// The value of [`BROWSER_COOKIE`].
    pub browser: String,
}

/// The provider's answer, as the browser brings it back.
#[derive(Debug, Default, Deserialize)]
pub struct Answer {
    /// The authorization code.
    pub code: Option<String>,
    /// The state sent with the sign-in.
    pub state: Option<String>,
    /// The provider's error code (`access_denied`...).
    pub error: Option<String>,
    /// The provider's description of it.
    pub error_description: Option<String>,
}

/// A failed sign-in: what the browser is told, and the cause for the panel's log.
#[derive(Debug)]
pub struct Failed {
    /// What the sign-in page says.
    pub failure: SsoFailure,
    /// Why, for the log (never shown to the browser).
    pub cause: String,
}

fn failed(failure: SsoFailure, cause: impl std::fmt::Display) -> Failed {
    Failed {
        failure,
        cause: cause.to_string(),
    }
}

impl From<protocol::AppError> for Failed {
    fn from(e: protocol::AppError) -> Self {
        // an internal AppError was logged with its cause where it was made
        failed(SsoFailure::Internal, e)
    }
}

impl From<db::Error> for Failed {
    fn from(e: db::Error) -> Self {
        Failed::from(protocol::AppError::from(e))
    }
}

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

impl Sso {
    /// The provider of `settings` (nothing is asked of it yet).
    pub fn new(settings: SsoSettings) -> Result<Arc<Sso>, String> {
        IssuerUrl::new(settings.issuer.clone())
            .map_err(|e| format!("the sign-in provider's issuer URL: {e}"))?;
        RedirectUrl::new(settings.redirect_url())
            .map_err(|e| format!("the panel's public URL: {e}"))?;
        Ok(Arc::new(Sso {
            settings,
            http: crate::outbound::client("sign-in provider")?,
            discovered: Mutex::new(None),
        }))
    }

    /// The provider's discovery document (with its keys), read again after a while.
    async fn metadata(&self) -> Result<CoreProviderMetadata, Failed> {
        let mut discovered = self.discovered.lock().await;
        if let Some((at, metadata)) = discovered.as_ref()
            && at.elapsed() < DISCOVERY_TTL
        {
            return Ok(metadata.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| failed(SsoFailure::Untrusted, e))?;
        let http = http::client(&self.http);
        let metadata = CoreProviderMetadata::discover_async(issuer, &http)
            .await
            .map_err(|e| {
                use openidconnect::DiscoveryError as D;
                let failure = match &e {
                    D::Request(_) | D::Response(..) => SsoFailure::Unreachable,
                    _ => SsoFailure::Untrusted,
                };
                failed(failure, format!("discovery: {}", http::chain(&e)))
            })?;
        *discovered = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    /// Drops the discovery document (and keys) read, so that the next use reads them again.
    async fn forget(&self) {
        *self.discovered.lock().await = None;
    }

    async fn client(&self) -> Result<Client, Failed> {
        let s = &self.settings;
        let redirect =
            RedirectUrl::new(s.redirect_url()).map_err(|e| failed(SsoFailure::Internal, e))?;
        Ok(CoreClient::from_provider_metadata(
            self.metadata().await?,
            ClientId::new(s.client_id.clone()),
            s.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect))
    }
}

/// Starts a sign-in: a fresh state, nonce and PKCE challenge, remembered for ten minutes.
pub async fn start(state: &AppState, sso: &Sso) -> Result<Started, Failed> {
    let client = sso.client().await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client.authorize_url(
        CoreAuthenticationFlow::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    for scope in &sso.settings.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let (url, csrf, nonce) = request.set_pkce_challenge(challenge).url();
    let browser = CsrfToken::new_random().into_secret();
    let mut c = conn(state).await?;
    db::SsoLogin::start(
        &mut c,
        &db::SsoLogin {
            state_hash: sha256_hex(csrf.secret()),
            browser_hash: sha256_hex(&browser),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            created_at: chrono::Utc::now(),
        },
        MAX_AGE,
    )
    .await?;
    Ok(Started {
        url: url.to_string(),
        browser,
    })
}

/// Who the provider says signed in.
struct Person {
    issuer: String,
    subject: String,
    email: Option<String>,
    email_verified: bool,
    username: String,
    admin: Option<bool>,
    allowed: bool,
}

/// Finishes a sign-in with the provider's answer: the state is taken (so it is answered once),
/// the browser checked, the code exchanged and the ID token verified, and the account found,
/// linked or created. The caller opens the session.
pub async fn finish(
    state: &AppState,
    sso: &Sso,
    head: &Head,
    answer: Answer,
) -> Result<db::User, Failed> {
    let sent = answer
        .state
        .as_deref()
        .ok_or_else(|| failed(SsoFailure::Stale, "the answer has no state"))?;
    let login = {
        let mut c = conn(state).await?;
        db::SsoLogin::take(&mut c, &sha256_hex(sent)).await?
    }
    .ok_or_else(|| failed(SsoFailure::Stale, "unknown or answered state"))?;
    if login.created_at < chrono::Utc::now() - MAX_AGE {
        return Err(failed(SsoFailure::Stale, "the sign-in took too long"));
    }
    let browser = crate::request::cookie(&head.headers, BROWSER_COOKIE).unwrap_or_default();
    if sha256_hex(&browser) != login.browser_hash {
        return Err(failed(
            SsoFailure::OtherBrowser,
            "the browser cookie does not match the state",
        ));
    }
    if let Some(error) = answer.error {
        let description = answer.error_description.unwrap_or_default();
        return Err(failed(
            SsoFailure::Refused,
            format!("{error}: {description}"),
        ));
    }
    let code = answer
        .code
        .ok_or_else(|| failed(SsoFailure::Refused, "the answer has neither code nor error"))?;
    let person = verify(sso, code, login).await?;
    account(state, sso, head, person).await
}

/// Exchanges the code and verifies the ID token: signature (the provider's keys), issuer,
/// audience, expiry and nonce.
async fn verify(sso: &Sso, code: String, login: db::SsoLogin) -> Result<Person, Failed> {
    let client = sso.client().await?;
    let http = http::client(&sso.http);
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| failed(SsoFailure::Untrusted, e))?
        .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier))
        .request_async(&http)
        .await
        .map_err(|e| {
            use openidconnect::RequestTokenError as R;
            let failure = match &e {
                R::ServerResponse(_) => SsoFailure::Refused,
                R::Request(_) => SsoFailure::Unreachable,
                _ => SsoFailure::Untrusted,
            };
            failed(failure, format!("token request: {}", http::chain(&e)))
        })?;
    let raw = openidconnect::TokenResponse::id_token(&tokens)
        .ok_or_else(|| failed(SsoFailure::BadToken, "the token answer has no ID token"))?
        .to_string();
    let token: PanelIdToken = raw
        .parse()
        .map_err(|e| failed(SsoFailure::BadToken, format!("ID token: {e}")))?;
    let nonce = Nonce::new(login.nonce);
    let stale_keys = matches!(
        token.claims(&client.id_token_verifier(), &nonce),
        Err(openidconnect::ClaimsVerificationError::SignatureVerification(_))
    );
    let client = if stale_keys {
        // the provider may have rotated its keys since they were read: read them again, once
        sso.forget().await;
        sso.client().await?
    } else {
        client
    };
    let verifier = client.id_token_verifier();
    let claims: &IdTokenClaims<OtherClaims, CoreGenderClaim> =
        token.claims(&verifier, &nonce).map_err(|e| {
            failed(
                SsoFailure::BadToken,
                format!("ID token: {}", http::chain(&e)),
            )
        })?;
    let subject = claims.subject().as_str();
    if subject.is_empty() || subject.len() > 255 || subject.contains('\0') {
        return Err(failed(
            SsoFailure::BadToken,
            "the subject is empty, too long or holds a NUL",
        ));
    }
    // an address the panel could not store is no address
    let email = claims
        .email()
        .map(|e| e.as_str().to_owned())
        .filter(|e| protocol::validate::email(e).is_ok());
    let preferred = claims
        .preferred_username()
        .map(|u| u.as_str().to_owned())
        .or_else(|| {
            email
                .as_deref()
                .map(|e| e.split('@').next().unwrap_or(e).to_owned())
        });
    Ok(Person {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        email_verified: claims.email_verified() == Some(true),
        email,
        username: username_from(preferred.as_deref(), claims.subject().as_str()),
        admin: sso
            .settings
            .admin_claim
            .as_ref()
            .map(|a| a.holds(&claims.additional_claims().claims)),
        allowed: sso
            .settings
            .allowed_claim
            .as_ref()
            .is_none_or(|a| a.holds(&claims.additional_claims().claims)),
    })
}

/// A valid panel username from the provider's preferred one: other characters become `-`,
/// cut to the longest allowed; a short or empty one is made from the subject.
fn username_from(preferred: Option<&str>, subject: &str) -> String {
    let cleaned: String = preferred
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .skip_while(|c| !c.is_ascii_alphanumeric())
        .take(protocol::validate::USERNAME_MAX - 3)
        .collect();
    if protocol::validate::username(&cleaned).is_ok() {
        cleaned
    } else {
        format!("user-{}", &sha256_hex(subject)[..8])
    }
}

/// The panel account of `person`: the one linked to its subject; else, when allowed, the one
/// with its verified e-mail address (now linked); else, when allowed, a new one. The
/// administrator claim, when configured, decides the role at every sign-in.
async fn account(
    state: &AppState,
    sso: &Sso,
    head: &Head,
    person: Person,
) -> Result<db::User, Failed> {
    let settings = &sso.settings;
    if !person.allowed {
        return Err(failed(
            SsoFailure::NoAccount,
            format!(
                "subject {} does not hold the required claim",
                person.subject
            ),
        ));
    }
    let mut c = conn(state).await?;
    let mut user = match db::Identity::user_of(&mut c, &person.issuer, &person.subject).await? {
        Some(user) => user,
        None => {
            let by_email = match (
                &person.email,
                person.email_verified && settings.link_by_email,
            ) {
                (Some(email), true) => db::User::find_by_email(&mut c, email).await?,
                _ => None,
            };
            if let Some(user) = by_email {
                // an address opens no administrator's account and none with a second factor:
                // those link by signing in with the password first (or an administrator does)
                let guarded = user.is_admin
                    || db::TwoFactor::state(&mut c, user.id)
                        .await?
                        .is_some_and(|s| s.totp_secret.is_some());
                if guarded {
                    return Err(failed(
                        SsoFailure::NoAccount,
                        format!(
                            "{} is an administrator or has two-factor sign-in: not linked by address",
                            user.username
                        ),
                    ));
                }
                db::Identity::link(&mut c, &person.issuer, &person.subject, user.id)
                    .await
                    .map_err(|e| match e {
                        db::Error::Conflict(why) => failed(SsoFailure::AlreadyLinked, why),
                        other => Failed::from(other),
                    })?;
                let what = format!("{}: linked to {}", user.username, person.issuer);
                audit::record_signed_out(state, user.id, &head.ip, "user.link", Some(&what), "ok")
                    .await;
                user
            } else if settings.create_users {
                // before first-run setup, only the administrator claim makes the first account
                // (anyone else would close setup with no administrator)
                if person.admin != Some(true) && !db::User::any_exist(&mut c).await? {
                    return Err(failed(
                        SsoFailure::NoAccount,
                        "the panel has no administrator yet: first-run setup comes first",
                    ));
                }
                drop(c);
                // the account signs in through the provider: its password is one nobody knows
                let unknown = CsrfToken::new_random().into_secret();
                let hash = crate::password::hash(unknown, state.auth.bcrypt_cost).await?;
                c = conn(state).await?;
                let user = db::Identity::create_user(
                    &mut c,
                    &person.issuer,
                    &person.subject,
                    db::NewUser::new(&person.username, &hash, person.admin == Some(true)),
                    person.email.as_deref().filter(|_| person.email_verified),
                )
                .await?;
                let what = format!("{} (through {})", user.username, person.issuer);
                audit::record_signed_out(
                    state,
                    user.id,
                    &head.ip,
                    "user.create",
                    Some(&what),
                    "ok",
                )
                .await;
                tracing::info!(user = %user.username, "account created through the sign-in provider");
                user
            } else {
                return Err(failed(
                    SsoFailure::NoAccount,
                    format!(
                        "no account for subject {} of {}",
                        person.subject, person.issuer
                    ),
                ));
            }
        }
    };
    if user.disabled {
        return Err(failed(
            SsoFailure::Disabled,
            format!("{} is disabled", user.username),
        ));
    }
    if let Some(admin) = person.admin
        && admin != user.is_admin
    {
        let changes = db::users::UserChanges {
            is_admin: Some(admin),
            ..Default::default()
        };
        match db::User::update_by_admin(&mut c, user.id, &changes).await {
            Ok(Some(changed)) => {
                let what = format!(
                    "{}: administrator {} (the provider's claim)",
                    user.username,
                    if admin { "yes" } else { "no" }
                );
                audit::record_signed_out(
                    state,
                    user.id,
                    &head.ip,
                    "user.update",
                    Some(&what),
                    "ok",
                )
                .await;
                user = changed;
            }
            Ok(None) => {}
            // the last enabled administrator stays one (logged; the sign-in goes on)
            Err(db::Error::Conflict(why)) => {
                tracing::warn!(user = %user.username, %why, "the provider's claim would remove the last administrator");
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_from_the_provider_are_made_valid() {
        assert_eq!(username_from(Some("alice"), "s"), "alice");
        assert_eq!(username_from(Some("Alice Smith"), "s"), "Alice-Smith");
        assert_eq!(username_from(Some("__x.y"), "s"), "x.y");
        assert_eq!(username_from(Some("élodie"), "s"), "lodie");
        let long = "a".repeat(80);
        assert_eq!(username_from(Some(&long), "s").len(), 29);
        let made = username_from(Some("é"), "subject-1");
        assert!(made.starts_with("user-") && made.len() == 13, "{made}");
        assert_eq!(made, username_from(None, "subject-1"));
        assert!(protocol::validate::username(&made).is_ok());
    }
}
