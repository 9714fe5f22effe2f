//! Modrinth's API (v2): search, a project's versions, one version. The base URL is a setting
//! (`PANEL_MODRINTH_URL`): the tests answer from recorded responses on loopback. Its answers
//! become typed errors for people: not found, rate-limited (with the wait Modrinth gives), or
//! unreachable; nothing it sends is trusted beyond its shape.

use serde::Deserialize;

use protocol::AppError;
use protocol::mods::{ModDependency, ModFile, ModHit, ModVersion};

/// Most results one search returns.
pub const SEARCH_LIMIT: u32 = 20;
/// Where Modrinth serves the files of versions.
const CDN: &str = "https://cdn.modrinth.com/";
/// How long a file's download may take.
const DOWNLOAD_TIME: std::time::Duration = std::time::Duration::from_secs(300);
/// Longest answer read from Modrinth, in bytes (a version list of a busy project is large).
const BODY_MAX: usize = 8 * 1024 * 1024;

/// A Modrinth client.
#[derive(Clone, Debug)]
pub struct Modrinth {
    http: reqwest::Client,
    base: String,
}

/// What went wrong talking to Modrinth.
#[derive(Debug, thiserror::Error)]
pub enum ModrinthError {
    /// 404: no such project or version.
    #[error("not found")]
    NotFound,
    /// 429: too many requests; Modrinth says when to try again.
    #[error("rate-limited for {0} s")]
    RateLimited(u64),
    /// 403: Modrinth refused the panel.
    #[error("it answered 403 Forbidden")]
    Forbidden,
    /// A version's file somewhere the panel does not download from.
    #[error("the file is neither on Modrinth's CDN nor on the configured API's host")]
    Elsewhere,
    /// A file larger than the panel takes (the limit in MiB).
    #[error("the file is larger than {0} MiB")]
    TooLarge(u64),
    /// Any other answer, or none.
    #[error("{0}")]
    Failed(String),
}

impl From<crate::outbound::ApiError> for ModrinthError {
    fn from(e: crate::outbound::ApiError) -> Self {
        use crate::outbound::ApiError;
        match e {
            ApiError::NotFound => ModrinthError::NotFound,
            ApiError::RateLimited(secs) => ModrinthError::RateLimited(secs),
            ApiError::Failed(why) => ModrinthError::Failed(why),
            ApiError::Forbidden => ModrinthError::Forbidden,
        }
    }
}

impl From<ModrinthError> for AppError {
    fn from(e: ModrinthError) -> Self {
        match e {
            ModrinthError::NotFound => AppError::not_found(crate::msg!("modrinth-not-found")),
            ModrinthError::RateLimited(secs) => AppError::RateLimited {
                message: crate::msg!("modrinth-rate-limited", "secs" => secs),
                retry_after_secs: secs,
            },
            failed => {
                // logged in English, said in the person's language
                tracing::warn!(error = %failed, "Modrinth failed");
                let why = match failed {
                    ModrinthError::Forbidden => crate::msg!("modrinth-forbidden"),
                    ModrinthError::Elsewhere => crate::msg!("modrinth-file-elsewhere"),
                    ModrinthError::TooLarge(max) => {
                        crate::msg!("modrinth-file-too-large", "max" => max)
                    }
                    other => other.to_string(),
                };
                AppError::conflict(crate::msg!("modrinth-failed", "why" => why))
            }
        }
    }
}

#[derive(Deserialize)]
struct SearchAnswer {
    hits: Vec<Hit>,
    #[serde(default)]
    total_hits: u64,
}

#[derive(Deserialize)]
struct Hit {
    project_id: String,
    #[serde(default)]
    slug: Option<String>,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    downloads: u64,
    #[serde(default)]
    icon_url: Option<String>,
    #[serde(default)]
    project_type: String,
    #[serde(default)]
    server_side: String,
}

#[derive(Deserialize)]
struct Version {
    id: String,
    project_id: String,
    #[serde(default)]
    name: String,
    version_number: String,
    #[serde(default)]
    version_type: String,
    #[serde(default)]
    game_versions: Vec<String>,
    #[serde(default)]
    loaders: Vec<String>,
    #[serde(default)]
    date_published: String,
    #[serde(default)]
    files: Vec<File>,
    #[serde(default)]
    dependencies: Vec<Dependency>,
}

#[derive(Deserialize)]
struct File {
    url: String,
    filename: String,
    #[serde(default)]
    primary: bool,
    #[serde(default)]
    size: u64,
    hashes: Hashes,
}

#[derive(Deserialize)]
struct Hashes {
    #[serde(default)]
    sha512: String,
}

#[derive(Deserialize)]
struct Dependency {
    #[serde(default)]
    project_id: Option<String>,
    #[serde(default)]
    version_id: Option<String>,
    dependency_type: String,
}

impl From<Version> for ModVersion {
    fn from(v: Version) -> Self {
        // the primary file, else the first (as Modrinth's own launcher picks)
        let file = v
            .files
            .iter()
            .position(|f| f.primary)
            .or((!v.files.is_empty()).then_some(0))
            .map(|i| {
                let f = &v.files[i];
                ModFile {
                    url: f.url.clone(),
                    filename: f.filename.clone(),
                    size: f.size,
                    sha512: f.hashes.sha512.to_ascii_lowercase(),
                }
            });
        ModVersion {
            id: v.id,
            project_id: v.project_id,
            name: v.name,
            version_number: v.version_number,
            version_type: v.version_type,
            game_versions: v.game_versions,
            loaders: v.loaders,
            published: v.date_published,
            file,
            dependencies: v
                .dependencies
                .into_iter()
                .map(|d| ModDependency {
                    project_id: d.project_id,
                    version_id: d.version_id,
                    kind: d.dependency_type,
                })
                .collect(),
        }
    }
}

impl Modrinth {
    /// A client of the API at `base` (`https://api.modrinth.com`).
    pub fn new(base: &str) -> Result<Self, String> {
        let http = crate::outbound::client("Modrinth")?;
        Ok(Modrinth {
            http,
            base: base.trim_end_matches('/').to_string(),
        })
    }

    /// Projects matching `query` of `project_type` (`mod`, `plugin`) for `loaders` (any of
    /// them) and, when given, `game_version`.
    pub async fn search(
        &self,
        query: &str,
        project_type: &str,
        loaders: &[&str],
        game_version: Option<&str>,
    ) -> Result<(Vec<ModHit>, u64), ModrinthError> {
        // inner lists are OR'd, the lists AND'd; Modrinth's v2 reports plugins as `mod`
        // projects, so plugins are found by their platforms (categories) alone
        let mut facets = Vec::new();
        if !loaders.is_empty() {
            facets.push(serde_json::json!(
                loaders
                    .iter()
                    .map(|l| format!("categories:{l}"))
                    .collect::<Vec<_>>()
            ));
        }
        match project_type {
            "mod" => facets.push(serde_json::json!(["project_type:mod"])),
            // a pack a server can run (not a client-only one)
            "modpack" => {
                facets.push(serde_json::json!(["project_type:modpack"]));
                facets.push(serde_json::json!([
                    "server_side:required",
                    "server_side:optional"
                ]));
            }
            _ => {}
        }
        if let Some(v) = game_version {
            facets.push(serde_json::json!([format!("versions:{v}")]));
        }
        let limit = SEARCH_LIMIT.to_string();
        let facets = serde_json::Value::Array(facets).to_string();
        let answer: SearchAnswer = self
            .get(
                "/v2/search",
                &[("query", query), ("facets", &facets), ("limit", &limit)],
            )
            .await?;
        let hits = answer
            .hits
            .into_iter()
            .map(|h| ModHit {
                slug: h.slug.unwrap_or_else(|| h.project_id.clone()),
                project_id: h.project_id,
                title: h.title,
                description: h.description,
                author: h.author,
                downloads: h.downloads,
                icon_url: h.icon_url.filter(|u| u.starts_with("https://")),
                project_type: h.project_type,
                server_side: h.server_side,
                source: protocol::mods::ModSource::Modrinth,
                tested_versions: Vec::new(),
            })
            .collect();
        Ok((hits, answer.total_hits))
    }

    /// The versions of `project` (an id or a slug) for any of `loaders` (none: every loader)
    /// and, when given, `game_version`: newest first, as Modrinth lists them.
    pub async fn versions(
        &self,
        project: &str,
        loaders: &[&str],
        game_version: Option<&str>,
    ) -> Result<Vec<ModVersion>, ModrinthError> {
        let loaders = (!loaders.is_empty()).then(|| serde_json::json!(loaders).to_string());
        let games = game_version.map(|v| serde_json::json!([v]).to_string());
        let mut query = Vec::new();
        if let Some(l) = &loaders {
            query.push(("loaders", l.as_str()));
        }
        if let Some(g) = &games {
            query.push(("game_versions", g));
        }
        let path = format!(
            "/v2/project/{}/version",
            crate::outbound::path_segment(project)
        );
        let list: Vec<Version> = self.get(&path, &query).await?;
        Ok(list.into_iter().map(ModVersion::from).collect())
    }

    /// Downloads `url` (a file of a version), at most `max` bytes.
    pub async fn download(&self, url: &str, max: u64) -> Result<reqwest::Response, ModrinthError> {
        // Modrinth's files are on its CDN; a mirror serves them itself. Nothing else is
        // fetched (the client follows no redirects either).
        if !url.starts_with(CDN) && !url.starts_with(&format!("{}/", self.base)) {
            return Err(ModrinthError::Elsewhere);
        }
        let res = self
            .http
            .get(url)
            .timeout(DOWNLOAD_TIME)
            .send()
            .await
            .map_err(|e| ModrinthError::Failed(e.without_url().to_string()))?;
        let res = crate::outbound::check(res).await?;
        if res.content_length().is_some_and(|n| n > max) {
            return Err(ModrinthError::TooLarge(max / 1024 / 1024));
        }
        Ok(res)
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ModrinthError> {
        let url = format!("{}{path}", self.base);
        Ok(crate::outbound::get_json(&self.http, &url, query, BODY_MAX).await?)
    }
}
