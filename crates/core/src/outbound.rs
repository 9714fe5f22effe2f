//! The panel's HTTP client for the public APIs it reads (Modrinth, Spiget, the game version
//! lists): TLS by rustls with ring (the provider the Kubernetes client already uses, set as
//! rustls' default once), a user agent naming the panel as those APIs ask, no redirects, and
//! time limits; and the reading of their JSON answers, each status made a typed error.

use std::time::Duration;

use serde::Deserialize;

/// Installs ring as rustls' default provider (nothing if one is installed already).
fn install_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // an error means another provider was installed first: that one serves as well
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A client for `what` (named in the error when it cannot be built).
pub fn client(what: &str) -> Result<reqwest::Client, String> {
    builder()
        .build()
        .map_err(|e| format!("the {what} client: {e}"))
}

/// The panel's client settings, to add to (a webhook's pinned address) before building.
pub fn builder() -> reqwest::ClientBuilder {
    install_provider();
    reqwest::Client::builder()
        .user_agent(concat!(
            "mc-panel/",
            env!("CARGO_PKG_VERSION"),
            " (a Kubernetes panel for Minecraft servers)"
        ))
        // the APIs answer where they are asked; a redirect could lead anywhere
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
}

/// What went wrong asking an API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 404: no such thing.
    #[error("not found")]
    NotFound,
    /// 429: too many requests; the API says when to try again (seconds).
    #[error("rate-limited for {0} s")]
    RateLimited(u64),
    /// 403: the API refused the panel (CurseForge: a wrong API key, or its rate limit).
    #[error("forbidden")]
    Forbidden,
    /// Any other answer, or none.
    #[error("{0}")]
    Failed(String),
}

/// GETs `url` with `query` and reads its JSON answer of at most `max` bytes.
pub async fn get_json<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
    query: &[(&str, &str)],
    max: usize,
) -> Result<T, ApiError> {
    read_json(http.get(url).query(query), max).await
}

/// Sends `request` and reads its JSON answer of at most `max` bytes.
pub async fn read_json<T: serde::de::DeserializeOwned>(
    request: reqwest::RequestBuilder,
    max: usize,
) -> Result<T, ApiError> {
    let res = request
        .send()
        .await
        .map_err(|e| ApiError::Failed(e.without_url().to_string()))?;
    let res = check(res).await?;
    if res.content_length().is_some_and(|n| n as usize > max) {
        return Err(ApiError::Failed("the answer is too large".into()));
    }
    let body = res
        .bytes()
        .await
        .map_err(|e| ApiError::Failed(e.without_url().to_string()))?;
    if body.len() > max {
        return Err(ApiError::Failed("the answer is too large".into()));
    }
    serde_json::from_slice(&body)
        .map_err(|e| ApiError::Failed(format!("an answer of an unknown shape ({e})")))
}

/// The answer if it succeeded, else what its status means: 404, 403, 429 with the wait its
/// `x-ratelimit-reset` or `retry-after` gives (a minute if neither), else what its body says
/// (`description` as Modrinth writes it, `error` as Spiget does) or its status.
pub async fn check(res: reqwest::Response) -> Result<reqwest::Response, ApiError> {
    let status = res.status();
    if status.is_success() {
        return Ok(res);
    }
    if status == reqwest::StatusCode::NOT_FOUND {
        return Err(ApiError::NotFound);
    }
    if status == reqwest::StatusCode::FORBIDDEN {
        return Err(ApiError::Forbidden);
    }
    if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let secs = header("x-ratelimit-reset")
            .or_else(|| header("retry-after"))
            .unwrap_or(60)
            .clamp(1, 3600);
        return Err(ApiError::RateLimited(secs));
    }
    #[derive(Deserialize)]
    struct ErrorBody {
        #[serde(default)]
        description: String,
        #[serde(default)]
        error: String,
    }
    let said = res
        .bytes()
        .await
        .ok()
        .and_then(|b| serde_json::from_slice::<ErrorBody>(&b).ok())
        .map(|b| {
            if b.description.is_empty() {
                b.error
            } else {
                b.description
            }
        })
        .filter(|d| !d.is_empty())
        .map(|d| d.chars().filter(|c| !c.is_control()).take(200).collect())
        .unwrap_or_else(|| format!("it answered {status}"));
    Err(ApiError::Failed(said))
}

/// `segment` as one URL path segment: letters, digits, `-`, `_` and `.` as they are, every
/// other byte percent-encoded (a search text or an id can never reach another path).
pub fn path_segment(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Names of an API's projects by id, each kept ten minutes (the installed lists show names
/// where the variables hold numbers), at most a few thousand.
#[derive(Clone, Debug, Default)]
pub struct NameCache(
    std::sync::Arc<
        std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, String)>>,
    >,
);

impl NameCache {
    /// How long a name is kept.
    const TTL: Duration = Duration::from_secs(600);
    /// Most names kept.
    const MAX: usize = 2048;

    /// The name of `id`, kept or read by `fetch` (None when it fails).
    pub async fn get<F, Fut>(&self, id: &str, fetch: F) -> Option<String>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Option<String>>,
    {
        let kept = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .filter(|(at, _)| at.elapsed() < Self::TTL)
            .map(|(_, n)| n.clone());
        if kept.is_some() {
            return kept;
        }
        let name = fetch().await?;
        let mut names = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if names.len() >= Self::MAX {
            names.retain(|_, (at, _)| at.elapsed() < Self::TTL);
        }
        if names.len() < Self::MAX {
            names.insert(id.to_string(), (std::time::Instant::now(), name.clone()));
        }
        Some(name)
    }
}
