//! Mods and plugins from Modrinth, for members holding `mods`: search filtered by the server's
//! loader and game version, a project's versions, install and remove, the installed list with
//! updates.
//!
//! Two ways to install, by template:
//! - **declarative**: a template with `MODRINTH_PROJECTS` (the itzg image) lists
//!   `project:version` there; the image downloads each with its dependencies at start and
//!   removes what left the list. The change is a variable like any setting: at once when the
//!   server is stopped, at its next start when it runs.
//! - **files**: otherwise the panel downloads the version's primary file into `mods/` or
//!   `plugins/`, checks Modrinth's SHA-512 before anything is written, and keeps what it
//!   installed in `.panel-mods.json` so that it can remove exactly that.
//!
//! A version must be one Modrinth lists for the project; one for another loader or game version
//! is refused with the reason.

use std::collections::BTreeMap;

use futures::StreamExt;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use uuid::Uuid;

mod curseforge_files;

pub use curseforge_files::VARIABLE as CURSEFORGE_VARIABLE;

use crate::files;
use crate::{Actor, AppState, Permission, audit, conn, internal, servers};
use protocol::AppError;
use protocol::mods::{
    InstallWay, InstalledMod, ModContext, ModSearchDto, ModSource, ModVersion, ModsDto, QUERY_MAX,
    check_id, check_resource,
};

/// The variable of the declarative way.
pub const VARIABLE: &str = "MODRINTH_PROJECTS";
/// The variable naming a modpack server's pack.
pub const MODPACK: &str = "MODRINTH_MODPACK";
/// The variable pinning its version.
pub const MODPACK_VERSION: &str = "MODRINTH_VERSION";
/// The variable of SpigotMC's plugins (resource numbers).
pub const SPIGET_VARIABLE: &str = "SPIGET_RESOURCES";
/// Most SpigotMC plugins one server lists.
const MAX_SPIGET: usize = 50;
/// The panel's record of the files it installed.
const MANIFEST: &str = ".panel-mods.json";
/// Largest file the panel downloads.
const FILE_MAX: u64 = 100 * 1024 * 1024;
/// Most mods one server lists.
const MAX_MODS: usize = 100;

/// A file the panel installed.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Installed {
    project: String,
    version_id: String,
    filename: String,
    sha512: String,
}

/// The loaders (and the kind of project) of an itzg `TYPE`.
fn loaders_of(kind: &str) -> Option<(&'static [&'static str], &'static str)> {
    Some(match kind.to_ascii_uppercase().as_str() {
        "FABRIC" => (&["fabric"], "mod"),
        "QUILT" => (&["quilt", "fabric"], "mod"),
        "FORGE" => (&["forge"], "mod"),
        "NEOFORGE" => (&["neoforge", "forge"], "mod"),
        // as the itzg image falls back (never to bukkit for Paper and Purpur)
        "PAPER" => (&["paper", "spigot"], "plugin"),
        "PURPUR" => (&["purpur", "paper", "spigot"], "plugin"),
        "SPIGOT" => (&["spigot", "bukkit"], "plugin"),
        "BUKKIT" => (&["bukkit"], "plugin"),
        // a Modrinth modpack brings its own loader and game version
        "MODRINTH" => (&[], "modpack"),
        _ => return None,
    })
}

/// What mods fit a server of `spec` with `values`.
pub fn context(
    spec: &cluster::TemplateSpec,
    values: &BTreeMap<String, String>,
) -> Result<ModContext, AppError> {
    let kind = spec
        .fixed_env
        .get("TYPE")
        .or_else(|| values.get("TYPE"))
        .cloned()
        .unwrap_or_default();
    let (loaders, project_type) =
        loaders_of(&kind).ok_or_else(|| AppError::conflict(crate::msg!("mods-no-loader")))?;
    let editable = |name: &str| {
        spec.variables
            .iter()
            .any(|v| v.name == name && v.user_editable)
    };
    if project_type == "modpack" {
        if !(editable(MODPACK) && editable(MODPACK_VERSION)) {
            return Err(AppError::conflict(crate::msg!("mods-modpack-not-editable",
                "pack" => MODPACK,
                "version" => MODPACK_VERSION,
            )));
        }
        return Ok(ModContext {
            loaders: Vec::new(),
            project_type: project_type.to_string(),
            game_version: None,
            install: InstallWay::Modpack {
                variable: MODPACK.into(),
                version_variable: MODPACK_VERSION.into(),
            },
            sources: vec![ModSource::Modrinth],
        });
    }
    let mut sources = vec![ModSource::Modrinth];
    if project_type == "plugin" && editable(SPIGET_VARIABLE) {
        sources.push(ModSource::Spiget);
    }
    let game_version = values
        .get("VERSION")
        .filter(|v| {
            let mut parts = v.split('.');
            parts.clone().count() >= 2
                && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
        .cloned();
    let declarative = editable(VARIABLE);
    Ok(ModContext {
        loaders: loaders.iter().map(|l| l.to_string()).collect(),
        project_type: project_type.to_string(),
        game_version,
        install: if declarative {
            InstallWay::Declarative {
                variable: VARIABLE.into(),
            }
        } else {
            InstallWay::Files {
                folder: format!("{project_type}s"),
            }
        },
        sources,
    })
}

/// A server authorized for `mods`, its template and what fits it.
struct Loaded {
    server: db::Server,
    spec: cluster::TemplateSpec,
    context: ModContext,
}

/// Loads the server `id` for `actor` ([`Loaded`]).
async fn load(state: &AppState, actor: &Actor, id: Uuid) -> Result<Loaded, AppError> {
    let server = servers::load(state, actor, id, Permission::Mods).await?;
    let mut c = conn(state).await?;
    let (_, spec) = servers::template_of(&mut c, &server).await?;
    drop(c);
    let values = servers::starting_values(&server);
    let mut ctx = context(&spec, &values)?;
    // `LATEST` (or none): what it runs now, from the type's version list (unknown if the list
    // cannot be read: then any version fits)
    let version = values
        .get("VERSION")
        .map(String::as_str)
        .unwrap_or("LATEST");
    let modpack = matches!(ctx.install, InstallWay::Modpack { .. });
    if ctx.game_version.is_none() && version.eq_ignore_ascii_case("LATEST") && !modpack {
        let kind = spec.fixed_env.get("TYPE").or(values.get("TYPE"));
        let source = crate::game_versions::Source::of(kind.map_or("", String::as_str));
        ctx.game_version = state
            .versions
            .list(source)
            .await
            .ok()
            .and_then(|g| g.latest);
    }
    let curseforge_editable = spec
        .variables
        .iter()
        .any(|v| v.name == CURSEFORGE_VARIABLE && v.user_editable);
    if state.curseforge.enabled()
        && curseforge_editable
        && crate::curseforge::Class::of(&ctx.project_type).is_some()
    {
        ctx.sources.push(ModSource::CurseForge);
    }
    Ok(Loaded {
        server,
        spec,
        context: ctx,
    })
}

fn loaders(ctx: &ModContext) -> Vec<&str> {
    ctx.loaders.iter().map(String::as_str).collect()
}

/// Projects matching `query` that fit the server.
pub async fn search(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    query: &str,
    source: ModSource,
) -> Result<ModSearchDto, AppError> {
    let Loaded { context, .. } = load(state, actor, id).await?;
    let query = query.trim();
    if query.chars().count() > QUERY_MAX || query.chars().any(char::is_control) {
        return Err(AppError::bad_request(
            crate::msg!("mods-query-too-long", "max" => QUERY_MAX),
        ));
    }
    takes(&context, source)?;
    if source == ModSource::CurseForge {
        let (hits, total) = curseforge_files::search(state, &context, query).await?;
        return Ok(ModSearchDto {
            context,
            hits,
            total,
        });
    }
    if source == ModSource::Spiget {
        let hits = state.spiget.search(query).await?;
        let total = hits.len() as u64;
        return Ok(ModSearchDto {
            context,
            hits,
            total,
        });
    }
    let (hits, total) = state
        .modrinth
        .search(
            query,
            &context.project_type,
            &loaders(&context),
            context.game_version.as_deref(),
        )
        .await?;
    Ok(ModSearchDto {
        context,
        hits,
        total,
    })
}

/// The versions of `project` that fit the server, newest first.
pub async fn versions(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    project: &str,
    source: ModSource,
) -> Result<Vec<ModVersion>, AppError> {
    let Loaded { context, .. } = load(state, actor, id).await?;
    takes(&context, source)?;
    if source == ModSource::CurseForge {
        return curseforge_files::versions(state, &context, project).await;
    }
    if source == ModSource::Spiget {
        check_resource(project).map_err(AppError::bad_request)?;
        return Ok(state.spiget.versions(project).await?);
    }
    check_id("project", project).map_err(AppError::bad_request)?;
    Ok(state
        .modrinth
        .versions(project, &loaders(&context), context.game_version.as_deref())
        .await?)
}

/// Refuses a source the server does not take.
fn takes(context: &ModContext, source: ModSource) -> Result<(), AppError> {
    if context.sources.contains(&source) {
        Ok(())
    } else {
        let label = source.label();
        Err(AppError::bad_request(match source {
            ModSource::Spiget => crate::msg!("mods-takes-no-spiget",
                "source" => label,
                "variable" => SPIGET_VARIABLE,
            ),
            ModSource::CurseForge => crate::msg!("mods-takes-no-curseforge",
                "source" => label,
                "variable" => CURSEFORGE_VARIABLE,
            ),
            ModSource::Modrinth => crate::msg!("mods-takes-no-modrinth", "source" => label),
        }))
    }
}

/// The SpigotMC resources a server lists (`SPIGET_RESOURCES`).
fn spiget_ids(values: &BTreeMap<String, String>) -> Vec<String> {
    listed(values, SPIGET_VARIABLE)
        .map(str::to_string)
        .collect()
}

/// The entries of a list variable as the itzg image reads them: comma- or newline-separated,
/// trimmed, blank and `#` entries left out.
fn listed<'a>(
    values: &'a BTreeMap<String, String>,
    variable: &str,
) -> impl Iterator<Item = &'a str> {
    values
        .get(variable)
        .into_iter()
        .flat_map(|v| v.split([',', '\n']))
        .map(str::trim)
        .filter(|e| !e.is_empty() && !e.starts_with('#'))
}

/// The version to install: `wanted` if Modrinth lists it for the project and it fits, else the
/// newest that fits. Refused with the reason otherwise.
async fn choose(
    state: &AppState,
    context: &ModContext,
    project: &str,
    wanted: Option<&str>,
) -> Result<ModVersion, AppError> {
    let fitting = state
        .modrinth
        .versions(project, &loaders(context), context.game_version.as_deref())
        .await?;
    let target = match (context.loaders.first(), context.game_version.as_deref()) {
        (Some(l), Some(v)) => format!("{l} {v}"),
        (Some(l), None) => l.clone(),
        (None, _) => crate::msg!("mods-target-modpack"),
    };
    match wanted {
        None => fitting.into_iter().next().ok_or_else(|| {
            AppError::bad_request(crate::msg!("mods-no-fitting-version",
                "project" => project,
                "target" => &target,
            ))
        }),
        Some(v) => {
            if let Some(found) = fitting.into_iter().find(|f| f.id == v) {
                return Ok(found);
            }
            // say why: a version for another loader or game version, or none of this project's
            let all = state.modrinth.versions(project, &[], None).await?;
            match all.into_iter().find(|a| a.id == v) {
                Some(other) => Err(incompatible(v, &other, &target)),
                None => Err(AppError::bad_request(crate::msg!("mods-version-unknown",
                    "version" => v,
                    "project" => project,
                ))),
            }
        }
    }
}

fn incompatible(v: &str, other: &ModVersion, target: &str) -> AppError {
    AppError::bad_request(crate::msg!("mods-incompatible",
        "version" => v,
        "loaders" => other.loaders.join(", "),
        "games" => other.game_versions.join(", "),
        "target" => target,
    ))
}

/// One entry of `MODRINTH_PROJECTS` in the itzg image's syntax: `[loader:]project[?][:version]`
/// (a loader prefix such as `datapack:`, `?` for optional, a version id, number or release
/// type). The text is kept as written, so entries the panel did not touch are written back
/// unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    raw: String,
    project: String,
    version: Option<String>,
}

/// Loaders the image takes as a prefix.
const PREFIXES: [&str; 12] = [
    "datapack",
    "fabric",
    "quilt",
    "forge",
    "neoforge",
    "paper",
    "purpur",
    "spigot",
    "bukkit",
    "folia",
    "velocity",
    "bungeecord",
];

impl Entry {
    fn parse(raw: &str) -> Entry {
        let mut parts: Vec<&str> = raw.split(':').collect();
        if parts.len() > 1 && PREFIXES.contains(&parts[0].to_ascii_lowercase().as_str()) {
            parts.remove(0);
        }
        Entry {
            raw: raw.to_string(),
            project: parts[0].trim_end_matches('?').to_string(),
            version: parts.get(1).map(|v| v.to_string()),
        }
    }

    fn pinned(project: &str, version: &str) -> Entry {
        Entry::parse(&format!("{project}:{version}"))
    }

    /// The version id it pins (8 letters and digits, as the image tells them apart).
    fn version_id(&self) -> Option<&str> {
        self.version
            .as_deref()
            .filter(|v| v.len() == 8 && v.bytes().all(|b| b.is_ascii_alphanumeric()))
    }
}

/// Parses `MODRINTH_PROJECTS` (comma- or newline-separated entries).
fn declared(values: &BTreeMap<String, String>) -> Vec<Entry> {
    listed(values, VARIABLE).map(Entry::parse).collect()
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// The mods a server has, with the newer versions that fit.
pub async fn list(state: &AppState, actor: &Actor, id: Uuid) -> Result<ModsDto, AppError> {
    let Loaded {
        server, context, ..
    } = load(state, actor, id).await?;
    let installed: Vec<InstalledMod> = match &context.install {
        InstallWay::Declarative { .. } => declared(&servers::starting_values(&server))
            .into_iter()
            .map(|e| InstalledMod {
                version_id: e.version_id().map(str::to_string),
                project: e.project,
                filename: None,
                update: None,
                source: ModSource::Modrinth,
                title: None,
            })
            .collect(),
        InstallWay::Modpack { .. } => {
            let values = servers::starting_values(&server);
            values
                .get(MODPACK)
                .filter(|p| !p.is_empty())
                .map(|p| InstalledMod {
                    project: p.clone(),
                    version_id: values
                        .get(MODPACK_VERSION)
                        .filter(|v| !v.is_empty())
                        .cloned(),
                    filename: None,
                    update: None,
                    source: ModSource::Modrinth,
                    title: None,
                })
                .into_iter()
                .collect()
        }
        InstallWay::Files { .. } => {
            let t = files::target(state, actor, id, Permission::Mods).await?;
            read_manifest(state, &t)
                .await?
                .0
                .into_iter()
                .map(|m| InstalledMod {
                    project: m.project,
                    version_id: Some(m.version_id),
                    filename: Some(m.filename),
                    update: None,
                    source: ModSource::Modrinth,
                    title: None,
                })
                .collect()
        }
    };
    let mut installed = with_updates(state, &context, installed).await;
    let values = servers::starting_values(&server);
    if context.sources.contains(&ModSource::Spiget) {
        installed.extend(spiget_installed(state, &values).await);
    }
    if context.sources.contains(&ModSource::CurseForge) {
        installed.extend(curseforge_files::installed(state, &context, &values).await);
    }
    Ok(ModsDto {
        context,
        installed,
        pending: server.pending_variables.is_some(),
    })
}

/// The SpigotMC plugins a server lists, with their names (a few requests at a time; a name
/// Spiget does not give stays the number).
async fn spiget_installed(
    state: &AppState,
    values: &BTreeMap<String, String>,
) -> Vec<InstalledMod> {
    futures::stream::iter(spiget_ids(values))
        .map(|id| async move {
            let title = state.spiget.name(&id).await;
            InstalledMod {
                project: id,
                version_id: None,
                filename: None,
                update: None,
                source: ModSource::Spiget,
                title,
            }
        })
        .buffered(4)
        .collect()
        .await
}

/// Marks the pinned mods a newer fitting version exists for (a few requests at a time; a
/// failed check marks nothing).
async fn with_updates(
    state: &AppState,
    context: &ModContext,
    installed: Vec<InstalledMod>,
) -> Vec<InstalledMod> {
    futures::stream::iter(installed)
        .map(|mut m| async move {
            if let Some(pinned) = m.version_id.clone() {
                let newest = state
                    .modrinth
                    .versions(
                        &m.project,
                        &loaders(context),
                        context.game_version.as_deref(),
                    )
                    .await
                    .ok()
                    .and_then(|v| v.into_iter().next());
                // pinned by id, or (a pack's `MODRINTH_VERSION` as its owner typed it) by number
                m.update = newest
                    .filter(|n| n.id != pinned && n.version_number != pinned)
                    .map(|n| n.version_number);
            }
            m
        })
        .buffered(4)
        .collect()
        .await
}

/// Installs `project` (at `version`, else the newest that fits); returns the new list.
pub async fn install(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    project: &str,
    version: Option<&str>,
    source: ModSource,
) -> Result<ModsDto, AppError> {
    let loaded = load(state, actor, id).await?;
    takes(&loaded.context, source)?;
    if source == ModSource::CurseForge {
        let res = curseforge_files::install(state, actor, &loaded, project, version).await;
        return curseforge_files::audited(state, actor, &loaded, "mod.install", project, res).await;
    }
    if source == ModSource::Spiget {
        check_resource(project).map_err(AppError::bad_request)?;
        let res = install_spiget(state, actor, &loaded, project, version).await;
        let what = match &res {
            Ok(name) => format!("spigotmc {project} {name}"),
            Err(_) => format!("spigotmc {project}"),
        };
        audit::record_result(state, actor, Some(id), "mod.install", Some(&what), &res).await;
        res?;
        return list(state, actor, id).await;
    }
    check_id("project", project).map_err(AppError::bad_request)?;
    if let Some(v) = version {
        check_id("version", v).map_err(AppError::bad_request)?;
    }
    let res = install_checked(state, actor, &loaded, project, version).await;
    let what = match (&res, version) {
        (Ok(v), _) => format!("{project} {v}"),
        (Err(_), Some(v)) => format!("{project} {v}"),
        (Err(_), None) => project.to_string(),
    };
    audit::record_result(state, actor, Some(id), "mod.install", Some(&what), &res).await;
    res?;
    list(state, actor, id).await
}

async fn install_checked(
    state: &AppState,
    actor: &Actor,
    loaded: &Loaded,
    project: &str,
    version: Option<&str>,
) -> Result<String, AppError> {
    let Loaded {
        server,
        spec,
        context,
    } = loaded;
    let chosen = choose(state, context, project, version).await?;
    // a pack's files are `.mrpack`: a pack is what a modpack server runs, and only that
    let is_pack = chosen
        .file
        .as_ref()
        .is_some_and(|f| f.filename.to_ascii_lowercase().ends_with(".mrpack"));
    let pack_server = matches!(context.install, InstallWay::Modpack { .. });
    if is_pack != pack_server {
        return Err(AppError::bad_request(if is_pack {
            crate::msg!("mods-is-modpack", "project" => project)
        } else {
            crate::msg!("mods-not-modpack", "project" => project)
        }));
    }
    match &context.install {
        InstallWay::Modpack { .. } => {
            let values = servers::starting_values(server);
            let same_pack = values
                .get(MODPACK)
                .is_some_and(|p| same(p, project) || same(p, &chosen.project_id))
                && values.get(MODPACK_VERSION) == Some(&chosen.id);
            if same_pack {
                return Ok(chosen.version_number);
            }
            // another pack, or another version of it, may change the game's version and its
            // mods: the world is backed up first, as before a version change
            let name = format!("Before modpack {project} {}", chosen.version_number);
            crate::backups::before_change(state, actor, server, &name, "modpack").await?;
            let (project, version) = (project.to_string(), chosen.id.clone());
            save_values(state, server.id, spec, None, move |values| {
                values.insert(MODPACK.into(), project.clone());
                values.insert(MODPACK_VERSION.into(), version.clone());
                Ok(())
            })
            .await?;
        }
        InstallWay::Declarative { .. } => {
            let (project, id) = (project.to_string(), chosen.project_id.clone());
            let pin = Entry::pinned(&project, &chosen.id);
            save_entries(state, server.id, spec, Some(actor), move |entries| {
                if entries.len() >= MAX_MODS && !entries.iter().any(|e| same(&e.project, &project))
                {
                    return Err(AppError::bad_request(
                        crate::msg!("mods-too-many", "max" => MAX_MODS),
                    ));
                }
                entries.retain(|e| !same(&e.project, &project) && !same(&e.project, &id));
                entries.push(pin.clone());
                Ok(())
            })
            .await?;
        }
        InstallWay::Files { folder } => {
            let file = chosen.file.clone().ok_or_else(|| {
                AppError::bad_request(crate::msg!("mods-no-file",
                    "version" => &chosen.id,
                    "project" => project,
                ))
            })?;
            let bytes = download_checked(state, &file).await?;
            backup_before_files(state, actor, server).await?;
            let t = files::target(state, actor, server.id, Permission::Mods).await?;
            let (mut manifest, version_read) = read_manifest(state, &t).await?;
            let dir = files::parse(folder)?;
            match files::mkdir(state, actor, &t, &dir).await {
                Ok(()) | Err(AppError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
            let path = dir
                .join(&file.filename)
                .map_err(|_| AppError::bad_request(crate::msg!("mods-bad-file-name")))?;
            // an older version of the same project goes
            let old: Vec<Installed> = manifest
                .iter()
                .filter(|m| same(&m.project, project) && m.filename != file.filename)
                .cloned()
                .collect();
            let mut reader: &[u8] = &bytes;
            files::write_from(state, &t, &path, bytes.len() as u64, true, &mut reader).await?;
            manifest.retain(|m| !same(&m.project, project));
            manifest.push(Installed {
                project: project.to_string(),
                version_id: chosen.id.clone(),
                filename: file.filename,
                sha512: file.sha512,
            });
            // the record first (against the version read: a concurrent change is refused),
            // then the older file, which may be gone already
            write_manifest(state, actor, &t, &manifest, version_read.as_deref()).await?;
            let stale: Vec<_> = old
                .iter()
                .filter_map(|m| dir.join(&m.filename).ok())
                .collect();
            if !stale.is_empty() {
                match files::delete(state, actor, &t, &stale).await {
                    Ok(()) | Err(AppError::NotFound { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(chosen.version_number)
}

/// Lists a SpigotMC resource in `SPIGET_RESOURCES` (the image fetches its newest version at
/// each start); returns its name. Premium and externally hosted resources are refused: the
/// image could not download them, and the server would not start.
async fn install_spiget(
    state: &AppState,
    actor: &Actor,
    loaded: &Loaded,
    resource: &str,
    version: Option<&str>,
) -> Result<String, AppError> {
    if version.is_some() {
        return Err(AppError::bad_request(crate::msg!("mods-spiget-no-version")));
    }
    let found = state.spiget.resource(resource).await?;
    if let Some(why) = found.not_installable() {
        return Err(AppError::bad_request(why));
    }
    let id = resource.to_string();
    save_values(
        state,
        loaded.server.id,
        &loaded.spec,
        Some(actor),
        move |values| {
            let mut ids = spiget_ids(values);
            if ids.contains(&id) {
                return Ok(());
            }
            if ids.len() >= MAX_SPIGET {
                return Err(AppError::bad_request(
                    crate::msg!("mods-spiget-too-many", "max" => MAX_SPIGET),
                ));
            }
            ids.push(id.clone());
            values.insert(SPIGET_VARIABLE.into(), ids.join(","));
            Ok(())
        },
    )
    .await?;
    Ok(found.name)
}

/// Takes a SpigotMC resource off `SPIGET_RESOURCES` (its file stays: the image removes none).
async fn remove_spiget(
    state: &AppState,
    actor: &Actor,
    loaded: &Loaded,
    resource: &str,
) -> Result<(), AppError> {
    let id = resource.to_string();
    save_values(
        state,
        loaded.server.id,
        &loaded.spec,
        Some(actor),
        move |values| {
            let mut ids = spiget_ids(values);
            let before = ids.len();
            ids.retain(|i| *i != id);
            if ids.len() == before {
                return Err(AppError::not_found(
                    crate::msg!("mods-not-installed", "project" => &id),
                ));
            }
            values.insert(SPIGET_VARIABLE.into(), ids.join(","));
            Ok(())
        },
    )
    .await
}

/// Removes `project`; returns the new list.
pub async fn remove(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    project: &str,
    source: ModSource,
) -> Result<ModsDto, AppError> {
    let loaded = load(state, actor, id).await?;
    takes(&loaded.context, source)?;
    if source == ModSource::CurseForge {
        let res = curseforge_files::remove(state, actor, &loaded, project)
            .await
            .map(|()| "removed");
        return curseforge_files::audited(state, actor, &loaded, "mod.remove", project, res).await;
    }
    if source == ModSource::Spiget {
        check_resource(project).map_err(AppError::bad_request)?;
        let res = remove_spiget(state, actor, &loaded, project).await;
        let what = format!("spigotmc {project}");
        audit::record_result(state, actor, Some(id), "mod.remove", Some(&what), &res).await;
        res?;
        return list(state, actor, id).await;
    }
    check_id("project", project).map_err(AppError::bad_request)?;
    let res = remove_checked(state, actor, &loaded, project).await;
    audit::record_result(state, actor, Some(id), "mod.remove", Some(project), &res).await;
    res?;
    list(state, actor, id).await
}

async fn remove_checked(
    state: &AppState,
    actor: &Actor,
    loaded: &Loaded,
    project: &str,
) -> Result<(), AppError> {
    let Loaded {
        server,
        spec,
        context,
    } = loaded;
    let missing = {
        let project = project.to_string();
        move || AppError::not_found(crate::msg!("mods-not-installed", "project" => &project))
    };
    match &context.install {
        InstallWay::Modpack { .. } => Err(AppError::conflict(crate::msg!("mods-modpack-remove"))),
        InstallWay::Declarative { .. } => {
            let project = project.to_string();
            save_entries(state, server.id, spec, Some(actor), move |entries| {
                let before = entries.len();
                entries.retain(|e| !same(&e.project, &project));
                if entries.len() == before {
                    return Err(missing());
                }
                Ok(())
            })
            .await
        }
        InstallWay::Files { folder } => {
            let listed = |manifest: &[Installed]| -> Vec<Installed> {
                manifest
                    .iter()
                    .filter(|m| same(&m.project, project))
                    .cloned()
                    .collect()
            };
            let t = files::target(state, actor, server.id, Permission::Mods).await?;
            if listed(&read_manifest(state, &t).await?.0).is_empty() {
                return Err(missing());
            }
            backup_before_files(state, actor, server).await?;
            // read again through the file manager's pod as it is after the backup
            let t = files::target(state, actor, server.id, Permission::Mods).await?;
            let (mut manifest, version_read) = read_manifest(state, &t).await?;
            let gone = listed(&manifest);
            if gone.is_empty() {
                return Err(missing());
            }
            let dir = files::parse(folder)?;
            let paths: Vec<_> = gone
                .iter()
                .filter_map(|m| dir.join(&m.filename).ok())
                .collect();
            match files::delete(state, actor, &t, &paths).await {
                Ok(()) | Err(AppError::NotFound { .. }) => {}
                Err(e) => return Err(e),
            }
            manifest.retain(|m| !same(&m.project, project));
            write_manifest(state, actor, &t, &manifest, version_read.as_deref()).await
        }
    }
}

/// The backup before the panel writes mod files itself. A stopped server's backup holds its
/// world in the job's pod, which removes the file manager's pod: the files are written once it
/// has ended (through a new one).
async fn backup_before_files(
    state: &AppState,
    actor: &Actor,
    server: &db::Server,
) -> Result<(), AppError> {
    crate::backups::before_mods_change(state, actor, server).await?;
    if !server.desired.is_running() {
        crate::backups::settle(state, server.id).await?;
    }
    Ok(())
}

fn join(entries: &[Entry]) -> String {
    entries
        .iter()
        .map(|e| e.raw.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Most characters `MODRINTH_PROJECTS` holds (the panel's limit on any value).
const VARIABLE_MAX: usize = 1024;

/// Changes the server's `MODRINTH_PROJECTS` with `change`, on its values as they are now (read
/// again here, after Modrinth's answers, so that a setting saved meanwhile is kept), and saves
/// them as its settings would be: at once when it is stopped, at its next start when it runs.
async fn save_entries(
    state: &AppState,
    id: Uuid,
    spec: &cluster::TemplateSpec,
    backup: Option<&Actor>,
    change: impl Fn(&mut Vec<Entry>) -> Result<(), AppError>,
) -> Result<(), AppError> {
    save_values(state, id, spec, backup, move |values| {
        let mut entries = declared(values);
        change(&mut entries)?;
        let text = join(&entries);
        if text.len() > VARIABLE_MAX {
            return Err(AppError::bad_request(crate::msg!("mods-variable-full",
                "variable" => VARIABLE,
                "max" => VARIABLE_MAX,
            )));
        }
        values.insert(VARIABLE.into(), text);
        Ok(())
    })
    .await
}

/// Changes the server's values with `change`, on its values as they are now (read again here,
/// so that a setting saved meanwhile is kept), checked against its template and saved as its
/// settings would be. With `backup`, a change that passes every check and changes something
/// is backed up first (as `backup`'s person, once per batch: [`crate::backups::before_mods_change`]);
/// `change` then runs again on the values as they are after the backup started.
async fn save_values(
    state: &AppState,
    id: Uuid,
    spec: &cluster::TemplateSpec,
    backup: Option<&Actor>,
    change: impl Fn(&mut BTreeMap<String, String>) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let read = async || -> Result<db::Server, AppError> {
        let mut c = conn(state).await?;
        db::Server::find(&mut c, id)
            .await?
            .ok_or_else(|| AppError::not_found(crate::msg!("mods-no-such-server")))
    };
    let changed = |server: &db::Server| -> Result<Option<BTreeMap<String, String>>, AppError> {
        let before = servers::starting_values(server);
        let mut values = before.clone();
        change(&mut values)?;
        if values == before {
            return Ok(None);
        }
        Ok(Some(servers::validate_variables(spec, &values)?))
    };
    let mut server = read().await?;
    if changed(&server)?.is_none() {
        return Ok(());
    }
    if let Some(actor) = backup {
        crate::backups::before_mods_change(state, actor, &server).await?;
        server = read().await?;
    }
    let Some(checked) = changed(&server)? else {
        return Ok(());
    };
    let json = serde_json::to_value(&checked).map_err(|e| internal("variables to JSON", e))?;
    let mut c = conn(state).await?;
    db::Server::save_variables(&mut c, id, json).await?;
    Ok(())
}

/// Downloads a version's file and checks its size and SHA-512 before anything is written.
async fn download_checked(
    state: &AppState,
    file: &protocol::mods::ModFile,
) -> Result<Vec<u8>, AppError> {
    if file.sha512.len() != 128 || !file.sha512.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AppError::conflict(crate::msg!("mods-no-sha512")));
    }
    let res = state.modrinth.download(&file.url, FILE_MAX).await?;
    let mut body = res.bytes_stream();
    let mut bytes = Vec::with_capacity(file.size.min(FILE_MAX) as usize);
    let mut hash = sha2::Sha512::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| {
            AppError::conflict(crate::msg!("mods-download-broke-off",
                "error" => e.without_url().to_string(),
            ))
        })?;
        if (bytes.len() + chunk.len()) as u64 > FILE_MAX {
            return Err(AppError::bad_request(
                crate::msg!("mods-file-too-large", "max" => FILE_MAX / 1024 / 1024),
            ));
        }
        hash.update(&chunk);
        bytes.extend_from_slice(&chunk);
    }
    let got = hex::encode(hash.finalize());
    if got != file.sha512 {
        tracing::warn!(file = %file.filename, "a Modrinth download did not match its SHA-512");
        return Err(AppError::conflict(
            crate::msg!("mods-sha512-mismatch", "file" => &file.filename),
        ));
    }
    Ok(bytes)
}

async fn read_manifest(
    state: &AppState,
    t: &files::Target,
) -> Result<(Vec<Installed>, Option<String>), AppError> {
    match files::read_text(state, t, &files::parse(MANIFEST)?).await {
        Ok(f) => {
            let list = serde_json::from_str(&f.content).map_err(|_| {
                AppError::conflict(crate::msg!("mods-manifest-unreadable", "file" => MANIFEST))
            })?;
            Ok((list, Some(f.version)))
        }
        Err(AppError::NotFound { .. }) => Ok((Vec::new(), None)),
        Err(e) => Err(e),
    }
}

async fn write_manifest(
    state: &AppState,
    actor: &Actor,
    t: &files::Target,
    list: &[Installed],
    version: Option<&str>,
) -> Result<(), AppError> {
    let text = serde_json::to_string_pretty(list).map_err(|e| internal("the mods record", e))?;
    files::write_text(state, actor, t, &files::parse(MANIFEST)?, &text, version).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_projects_are_read_in_the_images_syntax_and_written_back_as_they_were() {
        let values = BTreeMap::from([(
            VARIABLE.to_string(),
            "fabric-api, lithium:AbCd1234\n pl3xmap?:beta ,datapack:terralith,#note".to_string(),
        )]);
        let d = declared(&values);
        let read: Vec<(&str, Option<&str>)> = d
            .iter()
            .map(|e| (e.project.as_str(), e.version_id()))
            .collect();
        assert_eq!(
            read,
            [
                ("fabric-api", None),
                ("lithium", Some("AbCd1234")),
                ("pl3xmap", None),
                ("terralith", None)
            ]
        );
        assert_eq!(
            join(&d),
            "fabric-api,lithium:AbCd1234,pl3xmap?:beta,datapack:terralith"
        );
    }
}
