//! CurseForge's mods and Bukkit plugins through its Core API (v1), when the operator gives the
//! panel an API key (`PANEL_CURSEFORGE_API_KEY`): search, one project, its files. The base URL
//! is a setting (`PANEL_CURSEFORGE_URL`): the tests answer on loopback. The panel never
//! downloads from CurseForge itself (it lists SHA-1 and MD5 only): the itzg image installs what
//! `CURSEFORGE_FILES` lists at each start and removes what left it, but resolves no
//! dependencies, so the panel lists a project's required ones beside it.

use serde::Deserialize;

use crate::outbound::{ApiError, NameCache};
use protocol::AppError;
use protocol::mods::{ModDependency, ModHit, ModSource, ModVersion};

/// Minecraft's game id at CurseForge.
const MINECRAFT: &str = "432";
/// Most results one search returns.
const SEARCH_LIMIT: u32 = 20;
/// Most files listed.
const FILES_LIMIT: u32 = 50;
/// Longest answer read, in bytes.
const BODY_MAX: usize = 8 * 1024 * 1024;

/// The kind of project, as CurseForge classes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// `mc-mods` (6): into `mods/`.
    Mods,
    /// `bukkit-plugins` (5): into `plugins/`.
    Plugins,
}

impl Class {
    fn id(self) -> u32 {
        match self {
            Class::Mods => 6,
            Class::Plugins => 5,
        }
    }

    /// The class of a server's kind of project (`mod`, `plugin`).
    pub fn of(project_type: &str) -> Option<Class> {
        match project_type {
            "mod" => Some(Class::Mods),
            "plugin" => Some(Class::Plugins),
            _ => None,
        }
    }
}

/// CurseForge's number of a mod loader (`ModLoaderType`), for the panel's loader names.
fn loader_type(loader: &str) -> Option<&'static str> {
    Some(match loader {
        "forge" => "1",
        "fabric" => "4",
        "quilt" => "5",
        "neoforge" => "6",
        _ => return None,
    })
}

/// A CurseForge client: its key goes in each request's `x-api-key` header, never in a log.
#[derive(Clone)]
pub struct CurseForge {
    http: reqwest::Client,
    base: String,
    /// The `x-api-key` header, marked sensitive (left out of any debug output).
    key: Option<reqwest::header::HeaderValue>,
    /// Project names by id (the installed list shows names).
    names: NameCache,
}

impl std::fmt::Debug for CurseForge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CurseForge")
            .field("base", &self.base)
            .field("key", &self.key.as_ref().map(|_| "(set)"))
            .finish()
    }
}

/// What went wrong talking to CurseForge.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct CurseForgeError(#[from] ApiError);

impl From<CurseForgeError> for AppError {
    fn from(CurseForgeError(e): CurseForgeError) -> Self {
        match e {
            ApiError::NotFound => AppError::not_found(crate::msg!("curseforge-not-found")),
            ApiError::RateLimited(secs) => AppError::RateLimited {
                message: crate::msg!("curseforge-rate-limited", "secs" => secs),
                retry_after_secs: secs,
            },
            // CurseForge answers both a wrong key and its rate limit with a bare 403
            ApiError::Forbidden => {
                tracing::warn!("CurseForge answered 403: a wrong API key, or its rate limit");
                AppError::conflict(crate::msg!("curseforge-forbidden"))
            }
            ApiError::Failed(why) => {
                tracing::warn!(error = %why, "CurseForge failed");
                AppError::conflict(crate::msg!("curseforge-failed", "why" => why))
            }
        }
    }
}

/// One page of an answer (`{"data": …}`).
#[derive(Debug, Deserialize)]
struct Data<T> {
    data: T,
    #[serde(default)]
    pagination: Option<Pagination>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pagination {
    #[serde(default)]
    total_count: u64,
}

/// A project, as CurseForge describes it (what the panel reads of it).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    /// Its number.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// Its slug (`jei`).
    #[serde(default)]
    pub slug: String,
    /// One line about it.
    #[serde(default)]
    pub summary: String,
    /// How often it was downloaded.
    #[serde(default)]
    pub download_count: f64,
    /// Its class (6 mods, 5 Bukkit plugins, 4471 modpacks…).
    #[serde(default)]
    pub class_id: Option<u32>,
    /// Whether its author lets other apps download it (false: only CurseForge's own app).
    #[serde(default)]
    pub allow_mod_distribution: Option<bool>,
    #[serde(default)]
    authors: Vec<Author>,
    #[serde(default)]
    logo: Option<Logo>,
    #[serde(default)]
    latest_files_indexes: Vec<FileIndex>,
}

#[derive(Debug, Clone, Deserialize)]
struct Author {
    #[serde(default)]
    name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Logo {
    #[serde(default)]
    thumbnail_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileIndex {
    #[serde(default)]
    game_version: String,
}

impl Project {
    /// Why the image cannot install it on a server taking `class`, if it cannot.
    pub fn not_installable(&self, class: Class) -> Option<String> {
        if self.class_id != Some(class.id()) {
            return Some(match class {
                Class::Mods => crate::msg!("curseforge-not-a-mod", "name" => &self.name),
                Class::Plugins => crate::msg!("curseforge-not-a-plugin", "name" => &self.name),
            });
        }
        if self.allow_mod_distribution == Some(false) {
            return Some(crate::msg!("curseforge-own-app-only", "name" => &self.name));
        }
        None
    }

    fn hit(self) -> ModHit {
        let mut tested: Vec<String> = Vec::new();
        for i in &self.latest_files_indexes {
            if !i.game_version.is_empty() && !tested.contains(&i.game_version) {
                tested.push(i.game_version.clone());
            }
        }
        ModHit {
            project_id: self.id.to_string(),
            slug: self.slug,
            title: self.name,
            description: self.summary,
            author: self
                .authors
                .into_iter()
                .map(|a| a.name)
                .next()
                .unwrap_or_default(),
            downloads: self.download_count.max(0.0) as u64,
            icon_url: self
                .logo
                .and_then(|l| l.thumbnail_url)
                .filter(|u| u.starts_with("https://")),
            project_type: if self.class_id == Some(Class::Plugins.id()) {
                "plugin".into()
            } else {
                "mod".into()
            },
            server_side: "unknown".into(),
            source: ModSource::CurseForge,
            tested_versions: tested,
        }
    }
}

/// A file of a project.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct File {
    id: u64,
    mod_id: u64,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    file_name: String,
    /// 1 release, 2 beta, 3 alpha.
    #[serde(default)]
    release_type: u8,
    #[serde(default)]
    file_date: String,
    /// Game versions and loader names mixed (`1.20.1`, `Fabric`).
    #[serde(default)]
    game_versions: Vec<String>,
    #[serde(default)]
    dependencies: Vec<FileDependency>,
    #[serde(default)]
    is_server_pack: bool,
    #[serde(default = "yes")]
    is_available: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileDependency {
    mod_id: u64,
    /// 1 embedded, 2 optional, 3 required, 4 tool, 5 incompatible, 6 include.
    relation_type: u8,
}

impl File {
    fn version(self) -> ModVersion {
        let (games, loaders): (Vec<String>, Vec<String>) = self
            .game_versions
            .into_iter()
            .partition(|v| v.starts_with(|c: char| c.is_ascii_digit()));
        ModVersion {
            id: self.id.to_string(),
            project_id: self.mod_id.to_string(),
            name: self.display_name,
            version_number: self.file_name,
            version_type: match self.release_type {
                2 => "beta",
                3 => "alpha",
                _ => "release",
            }
            .into(),
            game_versions: games,
            loaders: loaders.into_iter().map(|l| l.to_lowercase()).collect(),
            published: self.file_date,
            file: None,
            dependencies: self
                .dependencies
                .into_iter()
                .filter_map(|d| {
                    let kind = match d.relation_type {
                        3 => "required",
                        2 => "optional",
                        5 => "incompatible",
                        1 | 6 => "embedded",
                        _ => return None,
                    };
                    Some(ModDependency {
                        project_id: Some(d.mod_id.to_string()),
                        version_id: None,
                        kind: kind.into(),
                    })
                })
                .collect(),
        }
    }
}

impl CurseForge {
    /// A client of the API at `base` (`https://api.curseforge.com`) with the operator's `key`
    /// (none: CurseForge is off).
    pub fn new(base: &str, key: Option<&str>) -> Result<Self, String> {
        Ok(CurseForge {
            http: crate::outbound::client("CurseForge")?,
            base: base.trim_end_matches('/').to_string(),
            key: match key.map(str::trim).filter(|k| !k.is_empty()) {
                None => None,
                Some(k) => {
                    let mut v = reqwest::header::HeaderValue::from_str(k)
                        .map_err(|_| "the CurseForge API key holds characters a header cannot")?;
                    v.set_sensitive(true);
                    Some(v)
                }
            },
            names: NameCache::default(),
        })
    }

    /// Whether the operator gave a key.
    pub fn enabled(&self) -> bool {
        self.key.is_some()
    }

    /// Projects of `class` matching `query` (the most popular when it is empty), for mods only
    /// those with a file for `loader` and `game_version`; with how many match in all.
    pub async fn search(
        &self,
        query: &str,
        class: Class,
        loader: Option<&str>,
        game_version: Option<&str>,
    ) -> Result<(Vec<ModHit>, u64), CurseForgeError> {
        let size = SEARCH_LIMIT.to_string();
        let class_id = class.id().to_string();
        let mut q = vec![
            ("gameId", MINECRAFT),
            ("classId", class_id.as_str()),
            ("searchFilter", query),
            // popularity
            ("sortField", "2"),
            ("sortOrder", "desc"),
            ("pageSize", size.as_str()),
        ];
        // Bukkit plugins name coarse versions (`1.20`) and no loader: not filtered
        if class == Class::Mods {
            // CurseForge takes a loader only with a game version
            if let Some(v) = game_version {
                q.push(("gameVersion", v));
                if let Some(l) = loader.and_then(loader_type) {
                    q.push(("modLoaderType", l));
                }
            }
        }
        let page: Data<Vec<Project>> = self.get("/v1/mods/search", &q).await?;
        let total = page.pagination.map_or(0, |p| p.total_count);
        let hits = page
            .data
            .into_iter()
            .filter(|p| p.not_installable(class).is_none())
            .map(Project::hit)
            .collect();
        Ok((hits, total))
    }

    /// One project.
    pub async fn project(&self, id: &str) -> Result<Project, CurseForgeError> {
        let one: Data<Project> = self
            .get(
                &format!("/v1/mods/{}", crate::outbound::path_segment(id)),
                &[],
            )
            .await?;
        Ok(one.data)
    }

    /// A project's name, kept ten minutes (None when CurseForge does not say).
    pub async fn name(&self, id: &str) -> Option<String> {
        self.names
            .get(id, || async { self.project(id).await.ok().map(|p| p.name) })
            .await
    }

    /// A project's files that fit (for mods: `loader` and `game_version` when given), newest
    /// first, leaving out server packs and files CurseForge withdrew.
    pub async fn files(
        &self,
        id: &str,
        class: Class,
        loader: Option<&str>,
        game_version: Option<&str>,
    ) -> Result<Vec<ModVersion>, CurseForgeError> {
        let size = FILES_LIMIT.to_string();
        let mut q = vec![("pageSize", size.as_str())];
        if class == Class::Mods {
            if let Some(v) = game_version {
                q.push(("gameVersion", v));
            }
            if let Some(l) = loader.and_then(loader_type) {
                q.push(("modLoaderType", l));
            }
        }
        let page: Data<Vec<File>> = self
            .get(
                &format!("/v1/mods/{}/files", crate::outbound::path_segment(id)),
                &q,
            )
            .await?;
        let mut files: Vec<File> = page
            .data
            .into_iter()
            .filter(|f| f.is_available && !f.is_server_pack)
            .collect();
        files.sort_by(|a, b| b.file_date.cmp(&a.file_date));
        Ok(files.into_iter().map(File::version).collect())
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ApiError> {
        let Some(key) = &self.key else {
            return Err(ApiError::Failed(crate::msg!("curseforge-no-key")));
        };
        let url = format!("{}{path}", self.base);
        let request = self
            .http
            .get(url)
            .query(query)
            .header("x-api-key", key.clone());
        crate::outbound::read_json(request, BODY_MAX).await
    }
}
