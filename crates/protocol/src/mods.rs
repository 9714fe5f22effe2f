//! Mods and plugins from Modrinth: what a search finds, a project's versions, what a server has
//! installed and how it installs them, and the rules for the names the API takes.

use serde::{Deserialize, Serialize};

/// Where a mod or plugin comes from.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ModSource {
    /// Modrinth (mods, plugins, modpacks).
    #[default]
    Modrinth,
    /// SpigotMC's resources through the Spiget API (plugins of Paper, Purpur, Spigot).
    Spiget,
    /// CurseForge's mods and Bukkit plugins (when the operator gives the panel an API key).
    #[serde(rename = "curseforge")]
    CurseForge,
}

impl ModSource {
    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            ModSource::Modrinth => "Modrinth",
            ModSource::Spiget => "SpigotMC",
            ModSource::CurseForge => "CurseForge",
        }
    }
}

/// A project a search found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModHit {
    /// Modrinth's id (`AANobbMI`).
    pub project_id: String,
    /// Its slug (`sodium`).
    pub slug: String,
    /// Its name.
    pub title: String,
    /// One line about it.
    pub description: String,
    /// Who made it.
    pub author: String,
    /// How often it was downloaded.
    pub downloads: u64,
    /// Its icon (https only).
    pub icon_url: Option<String>,
    /// `mod`, `plugin`, `modpack`…
    pub project_type: String,
    /// Whether servers need it: `required`, `optional`, `unsupported`, `unknown`.
    pub server_side: String,
    /// Where it is from.
    #[serde(default)]
    pub source: ModSource,
    /// The game versions its author tested it on, when the source says (Spiget).
    #[serde(default)]
    pub tested_versions: Vec<String>,
}

/// A file of a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModFile {
    /// Where its source serves it.
    pub url: String,
    /// Its name.
    pub filename: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its SHA-512, in lowercase hex: a download must match it (empty from CurseForge, which
    /// lists SHA-1 and MD5 only; the image checks those).
    pub sha512: String,
}

/// A dependency of a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModDependency {
    /// The project it needs, if named.
    pub project_id: Option<String>,
    /// The version it needs, if named.
    pub version_id: Option<String>,
    /// `required`, `optional`, `incompatible` or `embedded`.
    pub kind: String,
}

/// A version of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModVersion {
    /// Its id.
    pub id: String,
    /// Its project's id.
    pub project_id: String,
    /// Its name.
    pub name: String,
    /// Its number (`0.6.13+mc1.21.4`).
    pub version_number: String,
    /// `release`, `beta` or `alpha`.
    pub version_type: String,
    /// The game versions it runs on.
    pub game_versions: Vec<String>,
    /// The loaders it runs on.
    pub loaders: Vec<String>,
    /// When it was published (RFC 3339).
    pub published: String,
    /// Its primary file.
    pub file: Option<ModFile>,
    /// What it needs.
    pub dependencies: Vec<ModDependency>,
}

/// How a server installs mods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "way", rename_all = "snake_case")]
pub enum InstallWay {
    /// In the template's variable (`MODRINTH_PROJECTS`): the image installs them with their
    /// dependencies at each start and removes those taken off the list.
    Declarative {
        /// The variable.
        variable: String,
    },
    /// Downloaded by the panel into a folder of the server (`mods`, `plugins`), checked against
    /// Modrinth's SHA-512.
    Files {
        /// The folder.
        folder: String,
    },
    /// One modpack, named in the template's variables (`MODRINTH_MODPACK`, and
    /// `MODRINTH_VERSION` when pinned): the image installs the pack's loader, game and mods at
    /// each start and cleans up after a change. Choosing another replaces it.
    Modpack {
        /// The variable naming the pack.
        variable: String,
        /// The variable pinning its version.
        version_variable: String,
    },
}

/// What mods fit a server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModContext {
    /// The loaders it takes (`fabric`; `paper`, `spigot`, `bukkit`; none for a modpack: any).
    pub loaders: Vec<String>,
    /// `mod`, `plugin` or `modpack`.
    pub project_type: String,
    /// Its game version, when it names one (not `LATEST`).
    pub game_version: Option<String>,
    /// How it installs them.
    pub install: InstallWay,
    /// Where it takes them from (Modrinth always; SpigotMC too on templates with
    /// `SPIGET_RESOURCES`; CurseForge on templates with `CURSEFORGE_FILES` when the operator
    /// set an API key).
    #[serde(default)]
    pub sources: Vec<ModSource>,
}

/// A mod a server has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct InstalledMod {
    /// The project, as it was installed (a slug or an id).
    pub project: String,
    /// The version pinned, if any (none: the newest that fits, at each start).
    pub version_id: Option<String>,
    /// The file, for mods the panel downloaded.
    pub filename: Option<String>,
    /// A newer version that fits, when there is one.
    pub update: Option<String>,
    /// Where it is from.
    #[serde(default)]
    pub source: ModSource,
    /// Its name, when the source gives one apart from its id (SpigotMC, CurseForge).
    #[serde(default)]
    pub title: Option<String>,
}

/// A server's mods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModsDto {
    /// What fits it.
    pub context: ModContext,
    /// What it has.
    pub installed: Vec<InstalledMod>,
    /// Whether changes wait for its next start.
    pub pending: bool,
}

/// A search's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ModSearchDto {
    /// The filters it used.
    pub context: ModContext,
    /// What it found.
    pub hits: Vec<ModHit>,
    /// How many match in all.
    pub total: u64,
}

/// Longest search text.
pub const QUERY_MAX: usize = 100;

/// A project (slug or id) or a version id: 1 to 64 letters, digits, `-`, `_` or `.`, not
/// starting with `.` (nothing a path, a URL or a variable could read as more).
pub fn check_id(what: &str, s: &str) -> Result<(), String> {
    let ok = (1..=64).contains(&s.len())
        && !s.starts_with('.')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "A {what} is 1 to 64 letters, digits, dashes, underscores or dots."
        ))
    }
}

/// A SpigotMC resource id: 1 to 10 digits.
pub fn check_resource(s: &str) -> Result<(), String> {
    if is_number(s) {
        Ok(())
    } else {
        Err("A SpigotMC resource is its number, e.g. 28140 for LuckPerms.".into())
    }
}

/// A CurseForge project or file id: 1 to 10 digits.
pub fn check_curseforge(what: &str, s: &str) -> Result<(), String> {
    if is_number(s) {
        Ok(())
    } else {
        Err(format!(
            "A CurseForge {what} is its number, e.g. 238222 for Just Enough Items."
        ))
    }
}

/// 1 to 10 digits, not starting with 0.
fn is_number(s: &str) -> bool {
    (1..=10).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spigot_resources_are_numbers() {
        for ok in ["1", "28140", "9999999999"] {
            assert!(check_resource(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "0",
            "01",
            "luckperms",
            "28140.1",
            "-1",
            "12345678901",
            "1 2",
        ] {
            assert!(check_resource(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ids_with_path_characters_are_refused() {
        for ok in ["sodium", "AANobbMI", "fabric-api", "mod_menu", "v1.2"] {
            assert!(check_id("project", ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "../x",
            "a/b",
            ".hidden",
            "a b",
            "a,b",
            "a:b",
            "é",
            &"x".repeat(65),
        ] {
            assert!(check_id("project", bad).is_err(), "{bad:?}");
        }
    }
}
