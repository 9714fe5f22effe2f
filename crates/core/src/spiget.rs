//! SpigotMC's resources through the Spiget API (v2): search, one resource, its versions. The
//! base URL is a setting (`PANEL_SPIGET_URL`): the tests answer on loopback. Spiget serves no
//! checksums, so the panel never downloads from it: plugins from SpigotMC are installed by the
//! itzg image (`SPIGET_RESOURCES`), which fetches each one's newest version at start.

use serde::Deserialize;

use crate::outbound::{ApiError, NameCache};
use protocol::AppError;
use protocol::mods::{ModHit, ModSource, ModVersion};

/// Most results one search returns.
const SEARCH_LIMIT: u32 = 20;
/// Most versions listed.
const VERSIONS_LIMIT: u32 = 20;
/// Longest answer read, in bytes.
const BODY_MAX: usize = 4 * 1024 * 1024;

/// A Spiget client.
#[derive(Clone, Debug)]
pub struct Spiget {
    http: reqwest::Client,
    base: String,
    /// Resource names by number (the installed list shows names).
    names: NameCache,
}

/// What went wrong talking to Spiget.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct SpigetError(#[from] ApiError);

impl From<SpigetError> for AppError {
    fn from(SpigetError(e): SpigetError) -> Self {
        match e {
            ApiError::NotFound => AppError::not_found(crate::msg!("spiget-not-found")),
            ApiError::RateLimited(secs) => AppError::RateLimited {
                message: crate::msg!("spiget-rate-limited", "secs" => secs),
                retry_after_secs: secs,
            },
            ApiError::Forbidden => {
                tracing::warn!("Spiget answered 403");
                AppError::conflict(crate::msg!("spiget-forbidden"))
            }
            ApiError::Failed(why) => {
                tracing::warn!(error = %why, "Spiget failed");
                AppError::conflict(crate::msg!("spiget-failed", "why" => why))
            }
        }
    }
}

/// A resource, as Spiget describes it (what the panel reads of it).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    /// Its number.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// One line about it.
    #[serde(default)]
    pub tag: String,
    /// How often it was downloaded.
    #[serde(default)]
    pub downloads: u64,
    /// Sold on SpigotMC: nothing can download it without the buyer's account.
    #[serde(default)]
    pub premium: bool,
    /// Hosted elsewhere (its file is a link to another site).
    #[serde(default)]
    pub external: bool,
    /// Its file.
    #[serde(default)]
    pub file: Option<ResourceFile>,
    /// The game versions its author tested it on (`1.20`, `1.21`).
    #[serde(default)]
    pub tested_versions: Vec<String>,
}

/// A resource's file.
#[derive(Debug, Clone, Deserialize)]
pub struct ResourceFile {
    /// `.jar`, `.zip`, or `external`.
    #[serde(rename = "type", default)]
    pub kind: String,
}

impl Resource {
    /// Why the image cannot install it, if it cannot.
    pub fn not_installable(&self) -> Option<String> {
        if self.premium {
            return Some(crate::msg!("spiget-premium", "name" => &self.name));
        }
        // the image takes a plugin's jar, or an archive of jars
        let kind = self.file.as_ref().map(|f| f.kind.as_str()).unwrap_or("");
        if self.external || !matches!(kind.to_ascii_lowercase().as_str(), ".jar" | ".zip") {
            return Some(crate::msg!("spiget-external", "name" => &self.name));
        }
        None
    }

    fn hit(self) -> ModHit {
        ModHit {
            project_id: self.id.to_string(),
            slug: self.id.to_string(),
            title: self.name,
            description: self.tag,
            author: "SpigotMC".into(),
            downloads: self.downloads,
            icon_url: None,
            project_type: "plugin".into(),
            server_side: "required".into(),
            source: ModSource::Spiget,
            tested_versions: self.tested_versions,
        }
    }
}

/// A version of a resource.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Version {
    id: u64,
    #[serde(default)]
    name: String,
    /// Seconds since 1970.
    #[serde(default)]
    release_date: i64,
}

impl Spiget {
    /// A client of the API at `base` (`https://api.spiget.org`).
    pub fn new(base: &str) -> Result<Self, String> {
        Ok(Spiget {
            http: crate::outbound::client("Spiget")?,
            base: base.trim_end_matches('/').to_string(),
            names: NameCache::default(),
        })
    }

    /// Free resources whose name matches `query` (the most downloaded when it is empty),
    /// most downloaded first.
    pub async fn search(&self, query: &str) -> Result<Vec<ModHit>, SpigetError> {
        let size = SEARCH_LIMIT.to_string();
        let query_params = [
            ("size", size.as_str()),
            ("sort", "-downloads"),
            (
                "fields",
                "id,name,tag,downloads,premium,external,file,testedVersions",
            ),
        ];
        // a segment of dots alone would be read as `.` or `..` (even encoded)
        let query = if query.bytes().all(|b| b == b'.') {
            ""
        } else {
            query
        };
        let found: Result<Vec<Resource>, ApiError> = if query.is_empty() {
            self.get("/v2/resources", &query_params).await
        } else {
            let path = format!(
                "/v2/search/resources/{}",
                crate::outbound::path_segment(query)
            );
            let mut q = query_params.to_vec();
            q.push(("field", "name"));
            self.get(&path, &q).await
        };
        let found = match found {
            Ok(f) => f,
            // Spiget answers a search that finds nothing with a 404
            Err(ApiError::NotFound) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        Ok(found
            .into_iter()
            .filter(|r| r.not_installable().is_none())
            .map(Resource::hit)
            .collect())
    }

    /// One resource.
    pub async fn resource(&self, id: &str) -> Result<Resource, SpigetError> {
        Ok(self
            .get(
                &format!("/v2/resources/{}", crate::outbound::path_segment(id)),
                &[],
            )
            .await?)
    }

    /// A resource's name, kept ten minutes (None when Spiget does not say).
    pub async fn name(&self, id: &str) -> Option<String> {
        self.names
            .get(id, || async {
                self.resource(id).await.ok().map(|r| r.name)
            })
            .await
    }

    /// A resource's versions, newest first (for reading: the image installs the newest).
    pub async fn versions(&self, id: &str) -> Result<Vec<ModVersion>, SpigetError> {
        let size = VERSIONS_LIMIT.to_string();
        let list: Vec<Version> = self
            .get(
                &format!(
                    "/v2/resources/{}/versions",
                    crate::outbound::path_segment(id)
                ),
                &[("size", size.as_str()), ("sort", "-releaseDate")],
            )
            .await?;
        Ok(list
            .into_iter()
            .map(|v| ModVersion {
                id: v.id.to_string(),
                project_id: id.to_string(),
                name: v.name.clone(),
                version_number: v.name,
                version_type: "release".into(),
                game_versions: Vec::new(),
                loaders: Vec::new(),
                published: chrono::DateTime::from_timestamp(v.release_date, 0)
                    .map(|t| t.to_rfc3339())
                    .unwrap_or_default(),
                file: None,
                dependencies: Vec::new(),
            })
            .collect())
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        let url = format!("{}{path}", self.base);
        crate::outbound::get_json(&self.http, &url, query, BODY_MAX).await
    }
}
