//! The game versions a server can run, from whoever publishes its jar, by the template's `TYPE`
//! as the itzg image resolves them: Paper's downloads service (Fill v3), Purpur's API, Fabric's
//! meta, and Mojang's version manifest for the rest. Releases only (snapshots and pre-releases
//! are still reachable by typing them), newest first, kept ten minutes per list. Every base URL
//! is a setting, so a mirror (or the tests' recorded answers) can stand in.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Deserialize;
use uuid::Uuid;

use crate::{Actor, AppState, Permission, conn, servers};
use protocol::AppError;
use protocol::versions::{GameVersions, compare};

/// How long a list is kept.
const KEEP: Duration = Duration::from_secs(600);
/// Longest list read, in bytes (Mojang's manifest is under 1 MiB).
const BODY_MAX: u64 = 16 * 1024 * 1024;

/// Whose list a server's type reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// Mojang's manifest: Vanilla, Forge, NeoForge, Quilt and the rest.
    Mojang,
    /// PaperMC's downloads service.
    Paper,
    /// Purpur's API.
    Purpur,
    /// Fabric's meta.
    Fabric,
}

impl Source {
    /// The list of an itzg `TYPE`.
    pub fn of(kind: &str) -> Source {
        match kind.to_ascii_uppercase().as_str() {
            "PAPER" => Source::Paper,
            "PURPUR" => Source::Purpur,
            "FABRIC" => Source::Fabric,
            _ => Source::Mojang,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Source::Mojang => "Mojang",
            Source::Paper => "Paper",
            Source::Purpur => "Purpur",
            Source::Fabric => "Fabric",
        }
    }
}

/// Where the lists are.
#[derive(Debug, Clone)]
pub struct VersionApis {
    http: reqwest::Client,
    /// `https://piston-meta.mojang.com`
    pub mojang: String,
    /// `https://fill.papermc.io`
    pub paper: String,
    /// `https://api.purpurmc.org`
    pub purpur: String,
    /// `https://meta.fabricmc.net`
    pub fabric: String,
    cache: std::sync::Arc<std::sync::Mutex<HashMap<Source, (Instant, GameVersions)>>>,
}

impl VersionApis {
    /// The lists at these base URLs.
    pub fn new(mojang: &str, paper: &str, purpur: &str, fabric: &str) -> Result<Self, String> {
        let base = |u: &str| u.trim_end_matches('/').to_string();
        Ok(VersionApis {
            http: crate::outbound::client("game versions")?,
            mojang: base(mojang),
            paper: base(paper),
            purpur: base(purpur),
            fabric: base(fabric),
            cache: Default::default(),
        })
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, url: &str) -> Result<T, AppError> {
        let failed = |why: String| {
            tracing::warn!(url, error = %why, "a version list failed");
            AppError::conflict(crate::msg!("game-versions-unreadable", "reason" => why))
        };
        let res = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| failed(e.without_url().to_string()))?;
        if res.status() == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(AppError::RateLimited {
                message: crate::msg!("game-versions-rate-limited"),
                retry_after_secs: 60,
            });
        }
        if !res.status().is_success() {
            return Err(failed(crate::msg!("game-versions-status",
                "status" => res.status().to_string(),
            )));
        }
        if res.content_length().is_some_and(|n| n > BODY_MAX) {
            return Err(failed(crate::msg!("game-versions-too-large")));
        }
        let body = res
            .bytes()
            .await
            .map_err(|e| failed(e.without_url().to_string()))?;
        if body.len() as u64 > BODY_MAX {
            return Err(failed(crate::msg!("game-versions-too-large")));
        }
        serde_json::from_slice(&body).map_err(|e| {
            failed(crate::msg!("game-versions-unknown-shape",
                "reason" => e.to_string(),
            ))
        })
    }

    /// The list of `source`, from the cache when fresh.
    pub async fn list(&self, source: Source) -> Result<GameVersions, AppError> {
        if let Some((at, list)) = self.cache.lock().ok().and_then(|c| c.get(&source).cloned())
            && at.elapsed() < KEEP
        {
            return Ok(list);
        }
        let list = self.fetch(source).await?;
        if let Ok(mut c) = self.cache.lock() {
            c.insert(source, (Instant::now(), list.clone()));
        }
        Ok(list)
    }

    async fn fetch(&self, source: Source) -> Result<GameVersions, AppError> {
        let (mut versions, latest) = match source {
            Source::Mojang => {
                #[derive(Deserialize)]
                struct Latest {
                    release: String,
                }
                #[derive(Deserialize)]
                struct Version {
                    id: String,
                    #[serde(rename = "type")]
                    kind: String,
                }
                #[derive(Deserialize)]
                struct Manifest {
                    latest: Latest,
                    versions: Vec<Version>,
                }
                let m: Manifest = self
                    .get(&format!("{}/mc/game/version_manifest_v2.json", self.mojang))
                    .await?;
                let v = m
                    .versions
                    .into_iter()
                    .filter(|v| v.kind == "release")
                    .map(|v| v.id)
                    .collect();
                (v, Some(m.latest.release))
            }
            Source::Paper => {
                // versions grouped by family, families and versions newest first
                #[derive(Deserialize)]
                struct Project {
                    versions: HashMap<String, Vec<String>>,
                }
                let p: Project = self
                    .get(&format!("{}/v3/projects/paper", self.paper))
                    .await?;
                // the image takes `x.y(.z)` only: no `-rc1`, `-pre2`
                let v = p
                    .versions
                    .into_values()
                    .flatten()
                    .filter(|v| compare(v, v).is_some())
                    .collect();
                (v, None)
            }
            Source::Purpur => {
                #[derive(Deserialize)]
                struct Project {
                    versions: Vec<String>,
                }
                let p: Project = self.get(&format!("{}/v2/purpur", self.purpur)).await?;
                (p.versions, None)
            }
            Source::Fabric => {
                #[derive(Deserialize)]
                struct Game {
                    version: String,
                    stable: bool,
                }
                let g: Vec<Game> = self
                    .get(&format!("{}/v2/versions/game", self.fabric))
                    .await?;
                let v = g
                    .into_iter()
                    .filter(|g| g.stable)
                    .map(|g| g.version)
                    .collect();
                (v, None)
            }
        };
        // releases by number only (so that the order is total), newest first, whatever order
        // the list came in (Purpur's has none promised)
        versions.retain(|v| compare(v, v).is_some());
        versions.sort_by(|a, b| compare(b, a).unwrap_or(std::cmp::Ordering::Equal));
        versions.dedup();
        let latest = latest.or_else(|| versions.first().cloned());
        Ok(GameVersions {
            source: source.name().into(),
            versions,
            latest,
        })
    }
}

/// The versions the server `id` can run (its `settings` holders see them).
pub async fn for_server(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
) -> Result<GameVersions, AppError> {
    let server = servers::load(state, actor, id, Permission::Settings).await?;
    let mut c = conn(state).await?;
    let (_, spec) = servers::template_of(&mut c, &server).await?;
    drop(c);
    if !spec.variables.iter().any(|v| v.name == "VERSION") {
        return Err(AppError::conflict(crate::msg!("game-versions-no-version")));
    }
    let kind = spec.fixed_env.get("TYPE").cloned().unwrap_or_default();
    if kind.is_empty() {
        return Err(AppError::conflict(crate::msg!("game-versions-no-type")));
    }
    state.versions.list(Source::of(&kind)).await
}
