//! Mods and Bukkit plugins from CurseForge, in the template's `CURSEFORGE_FILES`: each entry
//! the panel writes pins a file (`project:file`, both numbers), one CurseForge lists for the
//! server's loader and game version. The itzg image downloads what is listed at each start and
//! removes what left the list, but resolves no dependencies: the panel lists a file's required
//! dependencies beside it (their newest fitting files), and refuses the install when one has
//! none. Projects whose authors let only CurseForge's app download them are refused.

use std::collections::BTreeMap;

use futures::StreamExt;

use super::{Loaded, ModsDto, same, save_values};
use crate::curseforge::Class;
use crate::{Actor, AppState, audit};
use protocol::AppError;
use protocol::mods::{InstalledMod, ModContext, ModSource, ModVersion, check_curseforge};

/// The variable.
pub const VARIABLE: &str = "CURSEFORGE_FILES";
/// Most entries one server lists.
const MAX_ENTRIES: usize = 50;
/// Most characters the variable holds (the panel's limit on any value).
const VARIABLE_MAX: usize = 1024;
/// How deep required dependencies are followed.
const DEPTH_MAX: usize = 3;
/// Most dependencies one install adds.
const DEPENDENCIES_MAX: usize = 10;

/// One entry as written (`238222:4593548`, or any of the image's other forms, kept as they
/// are): its project and pinned file when they are numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    raw: String,
    project: String,
    file: Option<String>,
}

impl Entry {
    fn parse(raw: &str) -> Entry {
        let (project, file) = match raw.split_once(':') {
            // a URL (`https://…`) is kept whole
            Some((p, f)) if !f.starts_with("//") => (p, Some(f)),
            _ => (raw, None),
        };
        let project = project.split('@').next().unwrap_or(project);
        Entry {
            raw: raw.to_string(),
            project: project.to_string(),
            file: file
                .filter(|f| check_curseforge("file", f).is_ok())
                .map(str::to_string),
        }
    }

    fn pinned(project: &str, file: &str) -> Entry {
        Entry::parse(&format!("{project}:{file}"))
    }
}

/// The entries of `values` (comma- or newline-separated, `#` lines left out).
fn entries(values: &BTreeMap<String, String>) -> Vec<Entry> {
    super::listed(values, VARIABLE).map(Entry::parse).collect()
}

/// The class of what the server takes.
fn class(context: &ModContext) -> Result<Class, AppError> {
    Class::of(&context.project_type)
        .ok_or_else(|| AppError::bad_request(crate::msg!("curseforge-files-takes-none")))
}

fn loader(context: &ModContext) -> Option<&str> {
    context.loaders.first().map(String::as_str)
}

/// What a search found on CurseForge.
pub(super) async fn search(
    state: &AppState,
    context: &ModContext,
    query: &str,
) -> Result<(Vec<protocol::mods::ModHit>, u64), AppError> {
    Ok(state
        .curseforge
        .search(
            query,
            class(context)?,
            loader(context),
            context.game_version.as_deref(),
        )
        .await?)
}

/// The files of `project` that fit the server, newest first.
pub(super) async fn versions(
    state: &AppState,
    context: &ModContext,
    project: &str,
) -> Result<Vec<ModVersion>, AppError> {
    check_curseforge("project", project).map_err(AppError::bad_request)?;
    Ok(state
        .curseforge
        .files(
            project,
            class(context)?,
            loader(context),
            context.game_version.as_deref(),
        )
        .await?)
}

/// The file to pin of `project`: `wanted` if it is one that fits, else the newest release that
/// fits (the newest of any kind when none is a release). Refused with the reason otherwise.
async fn choose(
    state: &AppState,
    context: &ModContext,
    project: &crate::curseforge::Project,
    wanted: Option<&str>,
) -> Result<ModVersion, AppError> {
    let class = class(context)?;
    if let Some(why) = project.not_installable(class) {
        return Err(AppError::bad_request(why));
    }
    let id = project.id.to_string();
    let fitting = state
        .curseforge
        .files(&id, class, loader(context), context.game_version.as_deref())
        .await?;
    let target = match (loader(context), context.game_version.as_deref()) {
        (Some(l), Some(v)) => format!("{l} {v}"),
        (Some(l), None) => l.to_string(),
        (None, _) => crate::msg!("curseforge-files-target-any"),
    };
    match wanted {
        None => {
            let release = fitting.iter().position(|f| f.version_type == "release");
            let i = release.unwrap_or(0);
            fitting.into_iter().nth(i).ok_or_else(|| {
                AppError::bad_request(crate::msg!("curseforge-files-no-fitting-file",
                    "project" => &project.name,
                    "target" => &target,
                ))
            })
        }
        Some(w) => {
            if let Some(found) = fitting.into_iter().find(|f| f.id == w) {
                return Ok(found);
            }
            let all = state.curseforge.files(&id, class, None, None).await?;
            match all.into_iter().find(|f| f.id == w) {
                Some(other) => Err(super::incompatible(w, &other, &target)),
                None => Err(AppError::bad_request(
                    crate::msg!("curseforge-files-file-unknown",
                        "file" => w,
                        "project" => &project.name,
                    ),
                )),
            }
        }
    }
}

/// A dependency to list: its number, its slug, and the file to pin.
struct Needed {
    id: String,
    slug: String,
    file: ModVersion,
}

impl Needed {
    /// Whether `list` names it already (by number or by slug).
    fn listed_in(&self, list: &[Entry]) -> bool {
        list.iter()
            .any(|e| same(&e.project, &self.id) || same(&e.project, &self.slug))
    }
}

/// The required dependencies of `chosen` (and theirs, a few levels deep) that `listed` lacks
/// (by number or by slug), each at its newest fitting file. Refused when one cannot be
/// installed.
async fn dependencies(
    state: &AppState,
    context: &ModContext,
    chosen: &ModVersion,
    listed: &[Entry],
) -> Result<Vec<Needed>, AppError> {
    let mut found: Vec<Needed> = Vec::new();
    let mut level = vec![chosen.clone()];
    for _ in 0..DEPTH_MAX {
        let mut next = Vec::new();
        for v in &level {
            for d in v.dependencies.iter().filter(|d| d.kind == "required") {
                let Some(dep) = d.project_id.as_deref() else {
                    continue;
                };
                let known = dep == chosen.project_id
                    || listed.iter().any(|e| same(&e.project, dep))
                    || found.iter().any(|n| n.id == dep);
                if known {
                    continue;
                }
                if found.len() >= DEPENDENCIES_MAX {
                    return Err(AppError::bad_request(
                        crate::msg!("curseforge-files-too-many-dependencies",
                            "max" => DEPENDENCIES_MAX,
                        ),
                    ));
                }
                let project = state.curseforge.project(dep).await?;
                if listed.iter().any(|e| same(&e.project, &project.slug)) {
                    continue;
                }
                let file = choose(state, context, &project, None)
                    .await
                    .map_err(|e| match e {
                        AppError::BadRequest { message } => AppError::bad_request(
                            crate::msg!("curseforge-files-dependency-not-installable",
                                "name" => &project.name,
                                "project" => dep,
                                "reason" => message,
                            ),
                        ),
                        other => other,
                    })?;
                next.push(file.clone());
                found.push(Needed {
                    id: dep.to_string(),
                    slug: project.slug,
                    file,
                });
            }
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    Ok(found)
}

/// Pins `project` (at `file`, else the newest that fits) with the required dependencies it
/// lacks; returns its name and the file's name.
pub(super) async fn install(
    state: &AppState,
    actor: &Actor,
    loaded: &Loaded,
    project: &str,
    file: Option<&str>,
) -> Result<String, AppError> {
    check_curseforge("project", project).map_err(AppError::bad_request)?;
    if let Some(f) = file {
        check_curseforge("file", f).map_err(AppError::bad_request)?;
    }
    let context = &loaded.context;
    let found = state.curseforge.project(project).await?;
    let chosen = choose(state, context, &found, file).await?;
    let listed = entries(&crate::servers::starting_values(&loaded.server));
    let needs = dependencies(state, context, &chosen, &listed).await?;
    let (id, file_id, slug) = (found.id.to_string(), chosen.id.clone(), found.slug.clone());
    save_values(
        state,
        loaded.server.id,
        &loaded.spec,
        Some(actor),
        move |values| {
            let mut list = entries(values);
            list.retain(|e| !same(&e.project, &id) && !same(&e.project, &slug));
            list.push(Entry::pinned(&id, &file_id));
            for n in &needs {
                if !n.listed_in(&list) {
                    list.push(Entry::pinned(&n.id, &n.file.id));
                }
            }
            write(values, &list)
        },
    )
    .await?;
    Ok(format!("{} {}", found.name, chosen.version_number))
}

/// Writes `list` into `values`, within the limits.
fn write(values: &mut BTreeMap<String, String>, list: &[Entry]) -> Result<(), AppError> {
    if list.len() > MAX_ENTRIES {
        return Err(AppError::bad_request(
            crate::msg!("curseforge-files-too-many", "max" => MAX_ENTRIES),
        ));
    }
    let text = list
        .iter()
        .map(|e| e.raw.as_str())
        .collect::<Vec<_>>()
        .join(",");
    if text.len() > VARIABLE_MAX {
        return Err(AppError::bad_request(
            crate::msg!("curseforge-files-variable-full",
                "variable" => VARIABLE,
                "max" => VARIABLE_MAX,
            ),
        ));
    }
    values.insert(VARIABLE.into(), text);
    Ok(())
}

/// Takes `project` off the list (the image removes its file at the next start; the
/// dependencies the panel listed with it stay).
pub(super) async fn remove(
    state: &AppState,
    actor: &Actor,
    loaded: &Loaded,
    project: &str,
) -> Result<(), AppError> {
    // a number, or a slug an owner listed by hand (`jei`, `jei@10.2`)
    if check_curseforge("project", project).is_err() {
        protocol::mods::check_id("project", project).map_err(AppError::bad_request)?;
    }
    let id = project.to_string();
    save_values(
        state,
        loaded.server.id,
        &loaded.spec,
        Some(actor),
        move |values| {
            let mut list = entries(values);
            let before = list.len();
            list.retain(|e| !same(&e.project, &id));
            if list.len() == before {
                return Err(AppError::not_found(
                    crate::msg!("curseforge-files-not-installed", "project" => &id),
                ));
            }
            write(values, &list)
        },
    )
    .await
}

/// What the server lists, with names and the newer files that fit (a few requests at a time;
/// a failed check marks nothing).
pub(super) async fn installed(
    state: &AppState,
    context: &ModContext,
    values: &BTreeMap<String, String>,
) -> Vec<InstalledMod> {
    let Ok(class) = class(context) else {
        return Vec::new();
    };
    futures::stream::iter(entries(values))
        .map(|e| async move {
            let numbered = check_curseforge("project", &e.project).is_ok();
            let title = if numbered {
                state.curseforge.name(&e.project).await
            } else {
                None
            };
            let update = match &e.file {
                Some(pinned) if numbered => state
                    .curseforge
                    .files(
                        &e.project,
                        class,
                        loader(context),
                        context.game_version.as_deref(),
                    )
                    .await
                    .ok()
                    .and_then(|files| {
                        let release = files.iter().position(|f| f.version_type == "release");
                        files.into_iter().nth(release.unwrap_or(0))
                    })
                    // CurseForge numbers files as they come: a larger one is newer
                    .filter(|newest| number(&newest.id) > number(pinned))
                    .map(|newest| newest.version_number),
                _ => None,
            };
            InstalledMod {
                project: e.project,
                version_id: e.file,
                filename: None,
                update,
                source: ModSource::CurseForge,
                title,
            }
        })
        .buffered(4)
        .collect()
        .await
}

fn number(id: &str) -> u64 {
    id.parse().unwrap_or(0)
}

/// Installs or removes, with the audit entry; returns the new list.
pub(super) async fn audited<T>(
    state: &AppState,
    actor: &Actor,
    loaded: &Loaded,
    action: &str,
    project: &str,
    res: Result<T, AppError>,
) -> Result<ModsDto, AppError>
where
    T: std::fmt::Display,
{
    let what = match &res {
        Ok(done) => format!("curseforge {project} {done}"),
        Err(_) => format!("curseforge {project}"),
    };
    audit::record_result(
        state,
        actor,
        Some(loaded.server.id),
        action,
        Some(&what),
        &res,
    )
    .await;
    res?;
    super::list(state, actor, loaded.server.id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_in_the_images_forms_and_written_back_as_they_were() {
        let values = BTreeMap::from([(
            VARIABLE.to_string(),
            "238222:4593548, jei@10.2.1\nhttps://www.curseforge.com/minecraft/mc-mods/jei,#x,306612"
                .to_string(),
        )]);
        let read: Vec<(String, Option<String>)> = entries(&values)
            .into_iter()
            .map(|e| (e.project, e.file))
            .collect();
        assert_eq!(
            read,
            [
                ("238222".into(), Some("4593548".into())),
                ("jei".into(), None),
                (
                    "https://www.curseforge.com/minecraft/mc-mods/jei".into(),
                    None
                ),
                ("306612".into(), None),
            ]
        );
        let mut out = BTreeMap::new();
        write(&mut out, &entries(&values)).unwrap();
        assert_eq!(
            out[VARIABLE],
            "238222:4593548,jei@10.2.1,https://www.curseforge.com/minecraft/mc-mods/jei,306612"
        );
    }
}
