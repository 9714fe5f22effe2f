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
                return Err(AppError::not_found(crate::msg!("files-no-such-server")));
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
                return Err(AppError::conflict(crate::msg!("files-timed-out")));
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
            let why = match stderr.lines().rev().find(|l| !l.trim().is_empty()) {
                Some(line) => line
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(300)
                    .collect::<String>(),
                None => crate::msg!("files-ended-with-error"),
            };
            AppError::conflict(crate::msg!("files-operation-failed", "path" => shown, "why" => why))
        }
    }
}

fn refusal(r: Refusal, shown: &str, stderr: &str) -> AppError {
    match r {
        Refusal::Outside => AppError::forbidden(crate::msg!("files-outside", "path" => shown)),
        Refusal::NotFound => AppError::not_found(crate::msg!("files-not-found", "path" => shown)),
        // the scripts say which kind: `not a folder`, `not a regular file`...
        Refusal::WrongKind => {
            AppError::bad_request(match stderr.trim().trim_start_matches("not ") {
                "a folder" => crate::msg!("files-not-a-folder", "path" => shown),
                "a regular file" => crate::msg!("files-not-a-regular-file", "path" => shown),
                "a file or folder" => crate::msg!("files-not-a-file-or-folder", "path" => shown),
                kind => crate::msg!("files-wrong-kind", "path" => shown, "kind" => kind),
            })
        }
        Refusal::Exists => {
            let which = stderr.trim();
            let which = if which == "exists already" || which.is_empty() {
                shown.to_string()
            } else {
                which.to_string()
            };
            AppError::conflict(crate::msg!("files-exists", "name" => which))
        }
        Refusal::Changed => {
            AppError::conflict(crate::msg!("files-changed-on-disk", "path" => shown))
        }
        Refusal::TooLarge => {
            let max = TEXT_MAX / 1024 / 1024;
            AppError::bad_request(crate::msg!("files-too-large", "path" => shown, "max" => max))
        }
        Refusal::Incomplete => AppError::bad_request(crate::msg!("files-upload-cut-short")),
        Refusal::NoDataFolder => AppError::conflict(crate::msg!("files-no-data-folder")),
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
    Err(AppError::conflict(
        crate::msg!("files-keeps-changing", "path" => &shown),
    ))
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
        .ok_or_else(|| AppError::bad_request(crate::msg!("files-not-text", "path" => &shown)))?;
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
        return Err(AppError::bad_request(crate::msg!("files-name-the-file")));
    }
    if content.len() as u64 > TEXT_MAX {
        return Err(AppError::bad_request(
            crate::msg!("files-editor-max", "max" => TEXT_MAX / 1024 / 1024),
        ));
    }
    if let Some(v) = version
        && !is_version(v)
    {
        return Err(AppError::bad_request(crate::msg!("files-unknown-version")));
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
        return Err(AppError::bad_request(crate::msg!("files-name-the-file")));
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
        return Err(AppError::bad_request(crate::msg!("files-upload-cut-short")));
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
        return Err(AppError::bad_request(crate::msg!("files-name-the-folder")));
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
        return Err(AppError::bad_request(crate::msg!("files-root-move")));
    }
    if from == to {
        return Err(AppError::bad_request(crate::msg!("files-same-place")));
    }
    if from.contains(to) {
        let path = from.to_string();
        return Err(AppError::bad_request(if copy {
            crate::msg!("files-copy-into-itself", "path" => path)
        } else {
            crate::msg!("files-move-into-itself", "path" => path)
        }));
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
        let m = crate::msg!("files-choose-what-to-delete");
        return Err(AppError::bad_request(m));
    }
    if paths.iter().any(DataPath::is_root) {
        return Err(AppError::bad_request(crate::msg!("files-root-delete")));
    }
    if paths.len() > 1000 {
        return Err(AppError::bad_request(crate::msg!("files-delete-max")));
    }
    let full: Vec<String> = paths.iter().map(|p| t.path(p)).collect();
    let args: Vec<&str> = full.iter().map(String::as_str).collect();
    let shown = if paths.len() == 1 {
        paths[0].to_string()
    } else {
        crate::msg!("files-entries", "count" => paths.len())
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
        return Err(AppError::bad_request(crate::msg!("files-chmod-range")));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, scope};

    #[test]
    fn refusals_say_what_went_wrong() {
        let said = |r, stderr| refusal(r, "/a b", stderr).to_string();
        assert_eq!(said(Refusal::NotFound, "not found"), "/a b does not exist.");
        assert_eq!(
            said(Refusal::WrongKind, "not a folder\n"),
            "/a b is not a folder."
        );
        assert_eq!(
            said(Refusal::WrongKind, "not a regular file"),
            "/a b is not a regular file."
        );
        assert_eq!(said(Refusal::WrongKind, "odd"), "/a b is not odd.");
        assert_eq!(
            said(Refusal::Exists, "exists already"),
            "/a b exists already."
        );
        assert_eq!(said(Refusal::Exists, "world"), "world exists already.");
        assert_eq!(
            said(Refusal::TooLarge, ""),
            "/a b is larger than 4 MiB: download it instead."
        );
        assert_eq!(
            failure(1, "\n", "/a").to_string(),
            "The operation on /a failed: it ended with an error"
        );
        assert_eq!(
            failure(1, "tar: boom\n\n", "/a").to_string(),
            "The operation on /a failed: tar: boom"
        );
    }

    #[tokio::test]
    async fn in_the_language_of_the_request() {
        let german = scope(Lang::De, async {
            refusal(Refusal::WrongKind, "/a", "not a folder").to_string()
        })
        .await;
        assert_eq!(german, "/a ist kein Ordner.");
        let spanish = scope(Lang::Es, async { failure(1, "", "/a").to_string() }).await;
        assert_eq!(spanish, "La operación en /a falló: terminó con un error");
    }
}
