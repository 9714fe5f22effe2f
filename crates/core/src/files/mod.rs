//! The file manager: every operation is a fixed script run by exec in the server's game
//! container ([`scripts`]), so it works on any cluster and storage with no sidecar. Paths are
//! normalised and kept under the template's data folder here ([`protocol::paths::DataPath`]) and
//! checked again in the container, links resolved. Every change is audited.

pub mod archive;
pub mod http;
pub mod listing;
pub mod scratch;
pub mod scripts;

use std::time::Duration;

use uuid::Uuid;

use crate::servers::{self, cluster_error};
use crate::{Actor, AppState, Permission, audit, conn, missing};
use protocol::AppError;
use protocol::dto::{ArchiveFormat, FileText, FolderListing};
use protocol::paths::DataPath;
use scripts::Refusal;

/// Largest text file the editor opens or saves, in bytes.
pub const TEXT_MAX: u64 = 4 * 1024 * 1024;
/// Most entries a listing returns (the rest are counted).
pub const LIST_MAX: usize = 20_000;
/// How long one short operation may take.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Most bytes a listing may print.
const LIST_OUTPUT: usize = 64 * 1024 * 1024;

/// A server whose files an actor may work on: its pod and data folder.
#[derive(Debug)]
pub struct Target {
    /// The server.
    pub server: db::Server,
    pod: String,
    root: String,
}

/// Loads the server the actor may act on with `perm`, and the pod the file manager works in:
/// the game's container while it runs; while it is stopped, its maintenance pod, made on
/// demand ([`cluster::world_jobs::maintenance_pod`]). Starting or stopping, neither: refused.
pub async fn target(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    perm: Permission,
) -> Result<Target, AppError> {
    let server = servers::load(state, actor, id, perm).await?;
    let pod = state.live.pod(id).borrow().clone();
    let mut c = conn(state).await?;
    let (_, spec) = servers::template_of(&mut c, &server).await?;
    drop(c);
    let pod = match pod {
        Some(p) if p.running => cluster::pod_name(&server.object_name),
        Some(_) => return Err(not_running()),
        None if server.desired.is_running() || state.backups.restoring(id) => {
            return Err(not_running());
        }
        None => {
            let m = cluster::world_jobs::maintenance_pod(
                id,
                &server.object_name,
                state.kube.namespace(),
                &spec.data_path,
                &state.storage.maintenance_image,
                state.storage.maintenance_idle_secs,
            );
            state
                .kube
                .ensure_maintenance(&m)
                .await
                .map_err(cluster_error)?;
            // a start that came meanwhile wants the world for the game: leave it
            let mut c = conn(state).await?;
            let now = db::Server::find(&mut c, id).await?;
            drop(c);
            let Some(now) = now else {
                return Err(AppError::not_found("No such server."));
            };
            if now.desired.is_running() || state.backups.restoring(id) {
                if let Err(e) = state.kube.remove_maintenance(&server.object_name).await {
                    tracing::warn!(server = %server.name, error = %e, "files: the maintenance pod stays");
                }
                return Err(not_running());
            }
            cluster::world_jobs::maintenance_name(&server.object_name)
        }
    };
    Ok(Target {
        pod,
        root: spec.data_path,
        server,
    })
}

fn not_running() -> AppError {
    AppError::files_need_running()
}

impl Target {
    /// The container path of `p`.
    pub fn path(&self, p: &DataPath) -> String {
        p.in_container(&self.root)
    }

    /// The argv running `script` with `args`.
    pub fn argv(&self, script: &str, args: &[&str]) -> Vec<String> {
        scripts::argv(script, &self.root, args)
    }

    /// The pod the operations run in.
    pub fn pod(&self) -> &str {
        &self.pod
    }

    /// Runs a script to its end and returns its standard output, or the error its exit code
    /// means for `shown` (the path as the person wrote it).
    async fn run(
        &self,
        state: &AppState,
        script: &str,
        args: &[&str],
        stdin: Option<&[u8]>,
        limit: usize,
        shown: &str,
    ) -> Result<Vec<u8>, AppError> {
        self.run_for(state, script, args, stdin, limit, shown, TIMEOUT)
            .await
    }

    /// [`Target::run`] with its own time limit.
    #[allow(clippy::too_many_arguments)]
    async fn run_for(
        &self,
        state: &AppState,
        script: &str,
        args: &[&str],
        stdin: Option<&[u8]>,
        limit: usize,
        shown: &str,
        timeout: Duration,
    ) -> Result<Vec<u8>, AppError> {
        let argv = self.argv(script, args);
        let work = async {
            match stdin {
                Some(mut data) => Ok(state
                    .kube
                    .exec_feed(&self.pod, &argv, &mut data, limit)
                    .await?
                    .0),
                None => state.kube.exec_output(&self.pod, &argv, limit).await,
            }
        };
        let out = match tokio::time::timeout(timeout, work).await {
            Ok(Ok(out)) => out,
            Ok(Err(e)) => return Err(exec_error(e)),
            Err(_) => {
                return Err(AppError::conflict(
                    "The server took too long to answer; try again.",
                ));
            }
        };
        if out.code == 0 {
            return Ok(out.stdout);
        }
        Err(failure(out.code, &out.stderr, shown))
    }
}

/// The error of a failed exec call.
pub fn exec_error(e: cluster::ClusterError) -> AppError {
    match &e {
        cluster::ClusterError::Refused(m) if m.contains("not found") || m.contains("container") => {
            tracing::info!(error = %e, "exec refused");
            not_running()
        }
        _ => cluster_error(e),
    }
}

/// The error a script's exit code means (with its standard error for anything unexpected).
pub fn failure(code: i32, stderr: &str, shown: &str) -> AppError {
    match Refusal::from_code(code) {
        Some(r) => refusal(r, shown, stderr),
        None => {
            tracing::warn!(code, stderr, "file operation failed");
            let why = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("it ended with an error")
                .chars()
                .filter(|c| !c.is_control())
                .take(300)
                .collect::<String>();
            AppError::conflict(format!("The operation on {shown} failed: {why}"))
        }
    }
}

fn refusal(r: Refusal, shown: &str, stderr: &str) -> AppError {
    match r {
        Refusal::Outside => AppError::forbidden(format!(
            "{shown} leads outside the server's folder (through a link); the panel does not follow it."
        )),
        Refusal::NotFound => AppError::not_found(format!("{shown} does not exist.")),
        Refusal::WrongKind => AppError::bad_request(format!(
            "{shown} is not {}.",
            stderr.trim().trim_start_matches("not ")
        )),
        Refusal::Exists => {
            let which = stderr.trim();
            let which = if which == "exists already" || which.is_empty() {
                shown.to_string()
            } else {
                which.to_string()
            };
            AppError::conflict(format!("{which} exists already."))
        }
        Refusal::Changed => AppError::conflict(format!(
            "{shown} changed on disk since it was opened. Reload it to see the new version (your text is kept until you leave)."
        )),
        Refusal::TooLarge => AppError::bad_request(format!(
            "{shown} is larger than {} MiB: download it instead.",
            TEXT_MAX / 1024 / 1024
        )),
        Refusal::Incomplete => {
            AppError::bad_request("The upload was cut short; nothing was changed.")
        }
        Refusal::NoDataFolder => AppError::conflict("The server's data folder is missing."),
    }
}

/// Parses a path argument, with a clear error.
pub fn parse(path: &str) -> Result<DataPath, AppError> {
    DataPath::parse(path).map_err(AppError::bad_request)
}

/// Lists a folder.
pub async fn list(
    state: &AppState,
    t: &Target,
    path: &DataPath,
) -> Result<FolderListing, AppError> {
    let shown = path.to_string();
    let full = t.path(path);
    for _ in 0..3 {
        let out = t
            .run(state, scripts::LIST, &[&full], None, LIST_OUTPUT, &shown)
            .await?;
        if let Some(mut entries) = listing::parse_listing(&out) {
            let truncated = entries.len().saturating_sub(LIST_MAX) as u64;
            entries.truncate(LIST_MAX);
            return Ok(FolderListing {
                path: shown,
                entries,
                truncated,
            });
        }
    }
    Err(AppError::conflict(format!(
        "{shown} keeps changing (or holds too many entries) to be listed; try again."
    )))
}

/// Reads a text file for the editor (at most [`TEXT_MAX`] bytes, valid UTF-8).
pub async fn read_text(
    state: &AppState,
    t: &Target,
    path: &DataPath,
) -> Result<FileText, AppError> {
    let shown = path.to_string();
    let max = TEXT_MAX.to_string();
    let out = t
        .run(
            state,
            scripts::CAT,
            &[&t.path(path), &max],
            None,
            TEXT_MAX as usize + 64,
            &shown,
        )
        .await?;
    let (version, bytes) =
        listing::split_version(&out).ok_or_else(missing("the version line of a file read"))?;
    if bytes.len() as u64 > TEXT_MAX {
        return Err(refusal(Refusal::TooLarge, &shown, ""));
    }
    let content = String::from_utf8(bytes.to_vec())
        .ok()
        .filter(|s| !s.contains('\0'))
        .ok_or_else(|| {
            AppError::bad_request(format!("{shown} is not text: download it instead."))
        })?;
    Ok(FileText {
        path: shown,
        content,
        version,
    })
}

/// Writes a text file from the editor: over the version read (`Some`, refused if the file
/// changed since) or as a new file (`None`, refused if one exists). Returns the new version.
pub async fn write_text(
    state: &AppState,
    actor: &Actor,
    t: &Target,
    path: &DataPath,
    content: &str,
    version: Option<&str>,
) -> Result<String, AppError> {
    if path.is_root() {
        return Err(AppError::bad_request("Give the file a name."));
    }
    if content.len() as u64 > TEXT_MAX {
        return Err(AppError::bad_request(format!(
            "The editor saves at most {} MiB; upload larger files.",
            TEXT_MAX / 1024 / 1024
        )));
    }
    if let Some(v) = version
        && !is_version(v)
    {
        return Err(AppError::bad_request(
            "That version is not one the panel gave: open the file again.",
        ));
    }
    let shown = path.to_string();
    let tmp = temp_name("edit");
    let size = content.len().to_string();
    let (v, overwrite) = match version {
        Some(v) => (v, "1"),
        None => ("-", "0"),
    };
    let res = t
        .run(
            state,
            scripts::WRITE,
            &[&t.path(path), &tmp, v, overwrite, &size],
            Some(content.as_bytes()),
            4096,
            &shown,
        )
        .await;
    audited(state, actor, t, "file.write", &shown, &res).await;
    let out = res?;
    Ok(String::from_utf8_lossy(&out).trim().to_string())
}

/// Whether `v` has the form of a version the panel gives (`<size> <mtime>`, decimal).
fn is_version(v: &str) -> bool {
    let mut parts = v.split(' ');
    let number = |p: Option<&str>| {
        p.is_some_and(|p| !p.is_empty() && p.len() <= 20 && p.bytes().all(|b| b.is_ascii_digit()))
    };
    number(parts.next()) && number(parts.next()) && parts.next().is_none()
}

/// Streams `size` bytes from `input` into the file at `path` (replacing one only if
/// `overwrite`), through a temporary file renamed when every byte has arrived: a write cut
/// short changes nothing. Returns the new version.
pub async fn write_from(
    state: &AppState,
    t: &Target,
    path: &DataPath,
    size: u64,
    overwrite: bool,
    input: &mut (dyn tokio::io::AsyncRead + Unpin + Send),
) -> Result<String, AppError> {
    use tokio::io::AsyncReadExt;
    if path.is_root() {
        return Err(AppError::bad_request("Give the file a name."));
    }
    let shown = path.to_string();
    let tmp = temp_name("upload");
    let size_arg = size.to_string();
    let overwrite = if overwrite { "1" } else { "0" };
    let argv = t.argv(
        scripts::WRITE,
        &[&t.path(path), &tmp, "-", overwrite, &size_arg],
    );
    // never more than announced: the rest would be refused anyway
    let mut input = input.take(size);
    let (out, fed) = state
        .kube
        .exec_feed(&t.pod, &argv, &mut input, 4096)
        .await
        .map_err(exec_error)?;
    if let Err(e) = fed {
        tracing::info!(error = %e, path = %shown, "upload cut short");
        // the script saw a short file and discarded it; make sure of it
        let dir_tmp = path.parent().join(&tmp).map(|p| t.path(&p));
        if let Ok(p) = dir_tmp {
            let _ = t
                .run(state, scripts::DISCARD, &[&p], None, 64, &shown)
                .await;
        }
        return Err(AppError::bad_request(
            "The upload was cut short; nothing was changed.",
        ));
    }
    if out.code != 0 {
        return Err(failure(out.code, &out.stderr, &shown));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Creates a folder.
pub async fn mkdir(
    state: &AppState,
    actor: &Actor,
    t: &Target,
    path: &DataPath,
) -> Result<(), AppError> {
    if path.is_root() {
        return Err(AppError::bad_request("Give the folder a name."));
    }
    let shown = path.to_string();
    let res = t
        .run(state, scripts::MKDIR, &[&t.path(path)], None, 4096, &shown)
        .await;
    audited(state, actor, t, "file.mkdir", &shown, &res).await;
    res.map(drop)
}

/// Moves (renames) or copies `from` to `to`, which must not exist.
pub async fn relocate(
    state: &AppState,
    actor: &Actor,
    t: &Target,
    from: &DataPath,
    to: &DataPath,
    copy: bool,
) -> Result<(), AppError> {
    if from.is_root() || to.is_root() {
        return Err(AppError::bad_request(
            "The server's folder itself cannot be moved or copied.",
        ));
    }
    if from == to {
        return Err(AppError::bad_request("Choose a different name or folder."));
    }
    if from.contains(to) {
        return Err(AppError::bad_request(format!(
            "{from} cannot be {} into itself.",
            if copy { "copied" } else { "moved" }
        )));
    }
    let shown = from.to_string();
    let (op, action) = if copy {
        ("cp", "file.copy")
    } else {
        ("mv", "file.rename")
    };
    let res = t
        .run(
            state,
            scripts::MOVE,
            &[op, &t.path(from), &t.path(to)],
            None,
            4096,
            &shown,
        )
        .await;
    let target = format!("{from} -> {to}");
    audited(state, actor, t, action, &target, &res).await;
    res.map(drop)
}

/// Deletes files and folders (folders with everything in them); checks them all first.
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    t: &Target,
    paths: &[DataPath],
) -> Result<(), AppError> {
    if paths.is_empty() {
        return Err(AppError::bad_request("Choose what to delete."));
    }
    if paths.iter().any(DataPath::is_root) {
        return Err(AppError::bad_request(
            "The server's folder itself cannot be deleted.",
        ));
    }
    if paths.len() > 1000 {
        return Err(AppError::bad_request(
            "Delete at most 1000 entries at once.",
        ));
    }
    let full: Vec<String> = paths.iter().map(|p| t.path(p)).collect();
    let args: Vec<&str> = full.iter().map(String::as_str).collect();
    let shown = if paths.len() == 1 {
        paths[0].to_string()
    } else {
        format!("{} entries", paths.len())
    };
    let res = t
        .run(state, scripts::DELETE, &args, None, 4096, &shown)
        .await;
    let listed: Vec<String> = paths.iter().map(ToString::to_string).collect();
    audited(state, actor, t, "file.delete", &listed.join(", "), &res).await;
    res.map(drop)
}

/// Sets a file's or folder's permission bits (0 to 0o777: no set-id or sticky bits).
pub async fn chmod(
    state: &AppState,
    actor: &Actor,
    t: &Target,
    path: &DataPath,
    mode: u32,
) -> Result<(), AppError> {
    if mode > 0o777 {
        return Err(AppError::bad_request(
            "Permissions are three octal digits, 000 to 777.",
        ));
    }
    let shown = path.to_string();
    let m = format!("{mode:o}");
    let res = t
        .run(
            state,
            scripts::CHMOD,
            &[&t.path(path), &m],
            None,
            4096,
            &shown,
        )
        .await;
    audited(
        state,
        actor,
        t,
        "file.chmod",
        &format!("{shown} {mode:03o}"),
        &res,
    )
    .await;
    res.map(drop)
}

/// Packs entries of one folder into a new archive in that folder.
pub async fn compress(
    state: &AppState,
    actor: &Actor,
    t: &Target,
    folder: &DataPath,
    names: &[String],
    archive: &str,
    format: ArchiveFormat,
) -> Result<(), AppError> {
    // a zip is made by the panel, through temporary files; a .tar.gz in the container
    let slot = match format {
        ArchiveFormat::Zip => state.archives.take(actor.user.id).map(Some),
        ArchiveFormat::TarGz => Ok(None),
    };
    let res = match slot {
        Ok(_slot) => archive::compress(state, t, folder, names, archive, format).await,
        Err(e) => Err(e),
    };
    let target = format!(
        "{} <- {}",
        folder
            .join(archive)
            .map(|p| p.to_string())
            .unwrap_or_default(),
        names.join(", ")
    );
    audited(state, actor, t, "file.compress", &target, &res).await;
    res
}

/// Unpacks an archive into its folder, every entry checked.
pub async fn decompress(
    state: &AppState,
    actor: &Actor,
    t: &Target,
    path: &DataPath,
) -> Result<Vec<String>, AppError> {
    let res = match state.archives.take(actor.user.id) {
        Ok(_slot) => archive::decompress(state, t, path).await,
        Err(e) => Err(e),
    };
    audited(state, actor, t, "file.decompress", &path.to_string(), &res).await;
    res
}

/// A temporary file name, hidden and unique.
pub fn temp_name(what: &str) -> String {
    format!(".panel-{what}-{}.part", Uuid::new_v4().simple())
}

/// Records a change in the audit log, with its outcome.
pub async fn audited<T>(
    state: &AppState,
    actor: &Actor,
    t: &Target,
    action: &str,
    target: &str,
    res: &Result<T, AppError>,
) {
    audit::record_result(state, actor, Some(t.server.id), action, Some(target), res).await;
}
