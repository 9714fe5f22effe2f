//! Backups of a server's world with restic, into a repository of the server's own under the
//! operator's (`PANEL_BACKUP_REPOSITORY`, an S3 bucket or a path): any restic reads it with the
//! repository's password, without the panel. The work runs in a job pod beside the server
//! ([`cluster::world_jobs`]); on a running server the panel turns saving off and flushes the
//! world first, and always turns it back on after (or, when the panel died meanwhile, the
//! sweep of [`sweep`] does). Restores stop the server, put the snapshot back (optionally on an
//! emptied world) and start it again if it ran.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::SecondsFormat;
use cluster::client::JobPhase;
use cluster::world_jobs::{JobKind, WorldJob, job_pod};
use protocol::dto::{BackupDto, BackupProgress, BackupsDto, RestoreDto, RestoreStep};
use protocol::webhooks::WebhookEvent;
use protocol::{AppError, BackupState, Desired};
use serde_json::json;
use uuid::Uuid;

use crate::servers;
use crate::{Actor, AppState, Permission, audit, conn, missing};

/// How often a running job is looked at.
const POLL: Duration = Duration::from_secs(1);
/// A running backup whose driver has not beaten for this long was abandoned (its panel died).
const STALE_SECS: i32 = 60;
/// The longest a job may take.
const JOB_LIMIT: Duration = Duration::from_secs(6 * 3600);
/// How long a running server may take to say its world is saved.
const SAVE_WAIT: Duration = Duration::from_secs(30);

/// The operator's backup settings and what is under way on this replica.
#[derive(Debug, Clone, Default)]
pub struct BackupSettings {
    /// The repositories' root (`s3:https://host/bucket/prefix`, a path...); each server's
    /// repository is `<it>/<object name>`. None: backups are off.
    pub repository: Option<String>,
    /// The Secret in the game-servers namespace with `RESTIC_PASSWORD` and the store's
    /// credentials, for the job pods.
    pub secret: String,
    /// The image the jobs run (restic and a shell).
    pub image: String,
    /// The claim holding a path repository, mounted at its root in every job (None: the
    /// repository is a store's, or a path the nodes have).
    pub claim: Option<String>,
    progress: Arc<Mutex<HashMap<Uuid, BackupProgress>>>,
    restores: Arc<Mutex<HashMap<Uuid, RestoreDto>>>,
}

impl BackupSettings {
    /// Settings for `repository` (None: off), its `secret` and the jobs' `image`.
    pub fn new(repository: Option<String>, secret: String, image: String) -> Self {
        BackupSettings {
            repository,
            secret,
            image,
            ..Default::default()
        }
    }

    /// With the claim holding a path repository (`PANEL_BACKUP_CLAIM`).
    pub fn with_claim(mut self, claim: Option<String>) -> Self {
        self.claim = claim;
        self
    }

    /// The repositories' claim as the jobs mount it: at the repositories' root path.
    fn store(&self) -> Option<cluster::world_jobs::StoreClaim> {
        Some(cluster::world_jobs::StoreClaim {
            claim: self.claim.clone()?,
            mount_path: self.repository.clone()?,
        })
    }

    fn progress_of(&self, backup: Uuid) -> Option<BackupProgress> {
        self.progress
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&backup)
            .copied()
    }

    fn set_progress(&self, backup: Uuid, p: Option<BackupProgress>) {
        let mut map = self.progress.lock().unwrap_or_else(|e| e.into_inner());
        match p {
            Some(p) => map.insert(backup, p),
            None => map.remove(&backup),
        };
    }

    fn restore_of(&self, server: Uuid) -> Option<RestoreDto> {
        self.restores
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&server)
            .cloned()
    }

    fn set_restore(&self, server: Uuid, backup: Uuid, step: RestoreStep, error: Option<String>) {
        let mut map = self.restores.lock().unwrap_or_else(|e| e.into_inner());
        // the copy's last reading stays with the steps after it (a new restore starts bare)
        let after_copy = matches!(
            step,
            RestoreStep::Starting | RestoreStep::Done | RestoreStep::Failed
        );
        let progress = map
            .get(&server)
            .filter(|r| after_copy && r.backup == backup)
            .and_then(|r| r.progress);
        map.insert(
            server,
            RestoreDto {
                backup,
                step,
                error,
                progress,
            },
        );
    }

    fn set_restore_progress(&self, server: Uuid, p: BackupProgress) {
        let mut map = self.restores.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = map.get_mut(&server) {
            r.progress = Some(p);
        }
    }

    /// Whether a restore of `server` is under way (on this replica).
    pub fn restoring(&self, server: Uuid) -> bool {
        self.restore_of(server).is_some_and(|r| {
            matches!(
                r.step,
                RestoreStep::Stopping | RestoreStep::Restoring | RestoreStep::Starting
            )
        })
    }
}

fn repository_of(root: &str, object_name: &str) -> String {
    format!("{}/{object_name}", root.trim_end_matches('/'))
}

fn enabled(state: &AppState) -> Result<&str, AppError> {
    state
        .backups
        .repository
        .as_deref()
        .ok_or_else(|| AppError::conflict(crate::msg!("backups-not-set-up")))
}

/// A backup of server `id` (not found when it is another server's or none).
async fn find_backup(
    c: &mut db::PooledConnection,
    id: Uuid,
    backup: Uuid,
) -> Result<db::Backup, AppError> {
    db::Backup::find(c, id, backup)
        .await?
        .ok_or_else(|| AppError::not_found(crate::msg!("backups-not-found")))
}

/// What is done with a backup's snapshot, which needs it finished.
#[derive(Debug, Clone, Copy)]
enum SnapshotUse {
    Restore,
    Download,
}

/// The snapshot of a finished backup, else a conflict saying it cannot be used that way yet.
fn snapshot_of(b: &db::Backup, what: SnapshotUse) -> Result<String, AppError> {
    b.snapshot_id
        .clone()
        .filter(|_| b.state == BackupState::Done)
        .ok_or_else(|| {
            AppError::conflict(match what {
                SnapshotUse::Restore => crate::msg!("backups-only-finished-restored"),
                SnapshotUse::Download => crate::msg!("backups-only-finished-downloaded"),
            })
        })
}

/// Whether the server's game pod runs.
fn is_running(state: &AppState, id: Uuid) -> bool {
    state
        .live
        .pod(id)
        .borrow()
        .as_ref()
        .is_some_and(|p| p.running)
}

/// A job of `kind` on `server`'s world (mounted at `data_path`), on its own repository.
fn job_for(
    state: &AppState,
    root: &str,
    server: &db::Server,
    data_path: &str,
    kind: JobKind,
) -> WorldJob {
    WorldJob {
        server: server.id,
        object_name: server.object_name.clone(),
        namespace: state.kube.namespace().to_string(),
        data_path: data_path.to_string(),
        node: None,
        image: state.backups.image.clone(),
        repository: repository_of(root, &server.object_name),
        secret: state.backups.secret.clone(),
        store: state.backups.store(),
        kind,
    }
}

fn dto(state: &AppState, b: &db::Backup) -> BackupDto {
    let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    BackupDto {
        id: b.id,
        name: b.name.clone(),
        state: b.state,
        locked: b.locked,
        snapshot: b.snapshot_id.clone(),
        files: b.files.max(0) as u64,
        bytes: b.bytes.max(0) as u64,
        added_bytes: b.added_bytes.max(0) as u64,
        error: b.error.clone(),
        started_at: time(b.started_at),
        finished_at: b.finished_at.map(time),
        progress: (b.state == BackupState::Running)
            .then(|| state.backups.progress_of(b.id))
            .flatten(),
    }
}

/// The server's plan's limits: how many backups, and how many bytes of them (None: no limit).
async fn plan_limits(
    c: &mut db::PooledConnection,
    server: &db::Server,
) -> Result<(u32, Option<u64>), AppError> {
    let plan = db::Plan::find(c, server.plan_id)
        .await?
        .ok_or_else(missing("the server's plan"))?;
    let bytes = (plan.max_backup_gib > 0).then(|| plan.max_backup_gib as u64 * (1 << 30));
    Ok((plan.max_backups.max(0) as u32, bytes))
}

/// What the kept backups added to the repository, bytes.
fn bytes_used(rows: &[db::Backup]) -> u64 {
    rows.iter()
        .filter(|b| b.state == BackupState::Done)
        .map(|b| b.added_bytes.max(0) as u64)
        .sum()
}

/// Most exclude patterns a server has.
pub const MAX_EXCLUDE: usize = 50;

/// Sets what the server's backups leave out: restic patterns, one per entry (`*.log`,
/// `/logs`, `!/logs/keep.txt`); one starting with `/` is from the world's root. At most
/// [`MAX_EXCLUDE`], each 1 to 200 characters on one line. The patterns as kept.
pub async fn set_exclude(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    patterns: Vec<String>,
) -> Result<Vec<String>, AppError> {
    servers::load(state, actor, id, Permission::Backups).await?;
    let patterns: Vec<String> = patterns
        .iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if patterns.len() > MAX_EXCLUDE {
        return Err(AppError::bad_request(
            crate::msg!("backups-exclude-too-many", "max" => MAX_EXCLUDE),
        ));
    }
    if let Some(bad) = patterns
        .iter()
        .find(|p| p.chars().count() > 200 || p.chars().any(char::is_control))
    {
        let pattern = format!("{:?}", bad.chars().take(40).collect::<String>());
        return Err(AppError::bad_request(
            crate::msg!("backups-exclude-invalid", "pattern" => pattern),
        ));
    }
    let mut c = conn(state).await?;
    db::backups::set_exclude(&mut c, id, &patterns).await?;
    drop(c);
    audit::record(
        state,
        actor,
        Some(id),
        "backup.exclude",
        Some(&patterns.join(", ")),
        "ok",
    )
    .await;
    Ok(patterns)
}

/// The patterns as restic takes them in the job: one from the world's root (`/logs`) anchored
/// where the world is mounted.
fn anchored(patterns: &[String], data_path: &str) -> Vec<String> {
    let root = data_path.trim_end_matches('/');
    patterns
        .iter()
        .map(|p| match (p.strip_prefix('!'), p.starts_with('/')) {
            (Some(rest), _) if rest.starts_with('/') => format!("!{root}{rest}"),
            (_, true) => format!("{root}{p}"),
            _ => p.clone(),
        })
        .collect()
}

/// A server's backups.
pub async fn list(state: &AppState, actor: &Actor, id: Uuid) -> Result<BackupsDto, AppError> {
    let server = servers::load(state, actor, id, Permission::Backups).await?;
    let mut c = conn(state).await?;
    let (limit, bytes_limit) = plan_limits(&mut c, &server).await?;
    let rows = db::Backup::of_server(&mut c, id).await?;
    let exclude = db::backups::exclude_of(&mut c, id).await?;
    Ok(BackupsDto {
        enabled: state.backups.repository.is_some(),
        limit,
        backups: rows.iter().map(|b| dto(state, b)).collect(),
        exclude,
        bytes_used: bytes_used(&rows),
        bytes_limit,
        restore: state.backups.restore_of(id),
    })
}

/// A backup's name: 1 to 64 printable characters.
fn check_name(name: Option<String>) -> Result<String, AppError> {
    let name = name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string());
    if name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(AppError::bad_request(crate::msg!("backups-name-invalid")));
    }
    Ok(name)
}

/// Starts a backup of the server now; it runs on (see its progress in [`list`]). Refused while
/// another backup or a restore runs, when backups are off, and when the plan keeps none or
/// every backup it keeps is locked.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    name: Option<String>,
) -> Result<BackupDto, AppError> {
    let server = servers::load(state, actor, id, Permission::Backups).await?;
    create_of(state, actor, server, name, Rotation::Rotate).await
}

/// Whether a new backup replaces the oldest unlocked ones beyond the plan's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    /// Yes: a member's backup, within their `backups` right.
    Rotate,
    /// No: the panel's own precaution (before a version change) never deletes a backup, so a
    /// right that is not `backups` cannot remove any; the plan's number is exceeded by one
    /// until the next rotating backup.
    Keep,
}

/// Whether the server can have backups: the panel has a repository and its plan keeps some.
pub async fn keeps_any(state: &AppState, server: &db::Server) -> Result<bool, AppError> {
    if state.backups.repository.is_none() {
        return Ok(false);
    }
    let mut c = conn(state).await?;
    Ok(plan_limits(&mut c, server).await?.0 > 0)
}

/// The panel's backup before a change that may not be undone (another game version, type or
/// modpack): made when the server can have backups (`name` cut to a backup name's 64
/// characters), never rotating; if it cannot start, the change is refused ("The `what` was not
/// changed") with the reason.
pub async fn before_change(
    state: &AppState,
    actor: &Actor,
    server: &db::Server,
    name: &str,
    what: &str,
) -> Result<(), AppError> {
    if !keeps_any(state, server).await? {
        return Ok(());
    }
    let name: String = name.chars().filter(|c| !c.is_control()).take(64).collect();
    create_of(state, actor, server.clone(), Some(name), Rotation::Keep)
        .await
        .map(|_| ())
        .map_err(|e| {
            let error = e.to_string();
            AppError::conflict(match what {
                "version" => crate::msg!("backups-not-changed-version", "error" => error),
                "type" => crate::msg!("backups-not-changed-type", "error" => error),
                "modpack" => crate::msg!("backups-not-changed-modpack", "error" => error),
                "mod list" => crate::msg!("backups-not-changed-mod-list", "error" => error),
                _ => crate::msg!("backups-not-changed", "what" => what, "error" => error),
            })
        })
}

/// The name of the panel's backup before changes to a server's mods and plugins.
pub const BEFORE_MODS: &str = "Before mod changes";
/// How long that backup serves the changes after it (a batch of installs is backed up once).
const MODS_BATCH_MINUTES: i64 = 30;

/// The panel's backup before a change to the server's mods or plugins, as
/// [`before_change`], once per batch: none when a backup of the server is running (it holds the
/// world as it is) or one was made before mod changes in the last half hour.
pub async fn before_mods_change(
    state: &AppState,
    actor: &Actor,
    server: &db::Server,
) -> Result<(), AppError> {
    if !keeps_any(state, server).await? {
        return Ok(());
    }
    let mut c = conn(state).await?;
    let existing = db::Backup::of_server(&mut c, server.id).await?;
    drop(c);
    let since = chrono::Utc::now() - chrono::Duration::minutes(MODS_BATCH_MINUTES);
    let covered = existing.iter().any(|b| {
        b.state == BackupState::Running
            || (b.name == BEFORE_MODS && b.state == BackupState::Done && b.started_at > since)
    });
    if covered {
        return Ok(());
    }
    match before_change(state, actor, server, BEFORE_MODS, "mod list").await {
        Ok(()) => Ok(()),
        // another change's backup started meanwhile: it covers this one too
        Err(e) if running(state, server.id).await => {
            tracing::debug!(error = %e, "a backup started meanwhile covers the mod change");
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Whether a backup of the server is running (false when that cannot be read).
async fn running(state: &AppState, server: Uuid) -> bool {
    let Ok(mut c) = conn(state).await else {
        return false;
    };
    db::Backup::of_server(&mut c, server)
        .await
        .is_ok_and(|list| list.iter().any(|b| b.state == BackupState::Running))
}

/// Waits, up to ten minutes, until no backup of the server runs: a stopped server's backup
/// holds its world in the job's pod, which removes the file manager's (the panel then writes
/// files through a new one).
pub async fn settle(state: &AppState, server: Uuid) -> Result<(), AppError> {
    for _ in 0..600 {
        if !running(state, server).await {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let message = crate::msg!("backups-before-change-running");
    Err(AppError::conflict(message))
}

/// [`create`] for a server already authorized (also the panel's own backup before a version
/// change, which the `settings` permission asks for, with [`Rotation::Keep`]).
pub async fn create_of(
    state: &AppState,
    actor: &Actor,
    server: db::Server,
    name: Option<String>,
    rotation: Rotation,
) -> Result<BackupDto, AppError> {
    let id = server.id;
    let name = check_name(name)?;
    let root = enabled(state)?.to_string();
    if state.backups.restoring(id) {
        return Err(AppError::conflict(crate::msg!("backups-being-restored")));
    }
    let mut c = conn(state).await?;
    let (limit, bytes_limit) = plan_limits(&mut c, &server).await?;
    let existing = db::Backup::of_server(&mut c, id).await?;
    let used = bytes_used(&existing);
    if let Some(max) = bytes_limit.filter(|max| used >= *max) {
        audit::record(
            state,
            actor,
            Some(id),
            "backup.create",
            Some(&name),
            "refused: space",
        )
        .await;
        let used = format!("{:.1}", used as f64 / f64::from(1u32 << 30));
        return Err(AppError::conflict(
            crate::msg!("backups-space-full", "max" => max >> 30, "used" => used),
        ));
    }
    let kept: Vec<&db::Backup> = existing
        .iter()
        .filter(|b| b.state == BackupState::Done)
        .collect();
    // room for the new one: the oldest unlocked ones beyond the plan's number go once it is made
    let over = match rotation {
        Rotation::Rotate => (kept.len() + 1).saturating_sub(limit as usize),
        Rotation::Keep => 0,
    };
    let unlocked: Vec<&db::Backup> = kept.iter().rev().filter(|b| !b.locked).copied().collect();
    if limit == 0 {
        audit::record(
            state,
            actor,
            Some(id),
            "backup.create",
            Some(&name),
            "refused: plan",
        )
        .await;
        return Err(AppError::conflict(crate::msg!("backups-plan-none")));
    }
    if unlocked.len() < over {
        audit::record(
            state,
            actor,
            Some(id),
            "backup.create",
            Some(&name),
            "refused: locked",
        )
        .await;
        return Err(AppError::conflict(
            crate::msg!("backups-all-locked", "limit" => limit),
        ));
    }
    let forget: Vec<db::Backup> = unlocked.into_iter().take(over).cloned().collect();
    let backup_id = Uuid::new_v4();
    let row = match db::Backup::start(&mut c, backup_id, id, &name, Some(actor.user.id)).await {
        Ok(row) => row,
        Err(db::Error::Conflict(_)) => {
            return Err(AppError::conflict(crate::msg!("backups-already-running")));
        }
        Err(e) => return Err(e.into()),
    };
    let (_, spec) = servers::template_of(&mut c, &server).await?;
    let exclude = db::backups::exclude_of(&mut c, id).await?;
    drop(c);
    audit::record(
        state,
        actor,
        Some(id),
        "backup.create",
        Some(&name),
        "started",
    )
    .await;
    let task_state = state.clone();
    let job = job_for(
        state,
        &root,
        &server,
        &spec.data_path,
        JobKind::Backup {
            backup: backup_id,
            forget: forget
                .iter()
                .filter_map(|b| b.snapshot_id.clone())
                .collect(),
            exclude: anchored(&exclude, &spec.data_path),
        },
    );
    tokio::spawn(async move {
        drive_backup(&task_state, &server, &spec, job, backup_id, forget).await;
    });
    Ok(dto(state, &row))
}

/// Sends `cmd` to the server's console the template's way; false when it could not be given.
async fn console(
    state: &AppState,
    server: &db::Server,
    spec: &cluster::TemplateSpec,
    cmd: &str,
) -> bool {
    let pod = cluster::pod_name(&server.object_name);
    match crate::live::input::send(&state.kube, &pod, &spec.console, cmd).await {
        Ok(_) => true,
        Err(e) => {
            tracing::warn!(server = %server.name, cmd, error = %e, "backup: console command failed");
            false
        }
    }
}

/// Waits until the server's log says the world was saved after `since`.
async fn wait_saved(
    state: &AppState,
    server: &db::Server,
    since: chrono::DateTime<chrono::Utc>,
) -> bool {
    use futures::AsyncBufReadExt;
    use futures::StreamExt;
    let pod = cluster::pod_name(&server.object_name);
    let since = since.to_rfc3339_opts(SecondsFormat::Secs, true);
    let deadline = tokio::time::Instant::now() + SAVE_WAIT;
    while tokio::time::Instant::now() < deadline {
        if let Ok(log) = state
            .kube
            .log_lines(&pod, false, false, Some(200), Some(&since))
            .await
        {
            let lines: Vec<String> = log.lines().filter_map(|l| async { l.ok() }).collect().await;
            if lines.iter().any(|l| l.contains("Saved the game")) {
                return true;
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    false
}

/// What restic's JSON lines say: the last status, the summary, and an error's text.
#[derive(Debug, Default, PartialEq)]
struct ResticOutput {
    progress: Option<BackupProgress>,
    made: Option<db::Made>,
    forget_failed: bool,
    last_text: Option<String>,
}

fn read_output(text: &str) -> ResticOutput {
    let mut out = ResticOutput::default();
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            if !line.trim().is_empty() {
                out.last_text = Some(line.trim().chars().take(300).collect());
            }
            continue;
        };
        let n = |k: &str| v[k].as_u64().unwrap_or(0);
        match v["message_type"].as_str() {
            Some("status") => {
                out.progress = Some(BackupProgress {
                    fraction: v["percent_done"].as_f64().unwrap_or(0.0).clamp(0.0, 1.0),
                    files_done: n("files_done"),
                    total_files: n("total_files"),
                    bytes_done: n("bytes_done"),
                    total_bytes: n("total_bytes"),
                    seconds_remaining: v["seconds_remaining"].as_u64(),
                })
            }
            Some("summary") => {
                out.made = v["snapshot_id"].as_str().map(|id| db::Made {
                    snapshot_id: id.to_string(),
                    files: n("total_files_processed") as i64,
                    bytes: n("total_bytes_processed") as i64,
                    added_bytes: n("data_added") as i64,
                    warning: None,
                })
            }
            Some("panel_forget_failed") => out.forget_failed = true,
            Some("panel_restore_status") => out.progress = Some(restore_progress(&v)),
            _ => {}
        }
    }
    out
}

/// A restore job's reading (`panel_restore_status`: KiB on disk so far, the snapshot's bytes,
/// entries so far and in all, seconds since the copy began, whether restic has ended): the
/// fraction by bytes (disk use is not file size, ahead for small files and behind on a
/// compressing file system, so it stays short of 1 until restic ended) and a time left at the
/// rate so far.
fn restore_progress(v: &serde_json::Value) -> BackupProgress {
    let n = |k: &str| v[k].as_u64().unwrap_or(0);
    let (mut done, total) = (n("kib_done").saturating_mul(1024), n("total_bytes"));
    let (files_done, total_files) = (n("files_done"), n("total_files"));
    let finished = v["ended"] == true;
    if finished && total > 0 {
        done = total;
    }
    let fraction = if finished {
        1.0
    } else if total > 0 {
        (done as f64 / total as f64).min(0.99)
    } else {
        0.0
    };
    let seconds = n("seconds");
    let seconds_remaining = (fraction > 0.0 && fraction < 1.0 && seconds > 0)
        .then(|| (seconds as f64 * (1.0 - fraction) / fraction).round() as u64);
    BackupProgress {
        fraction,
        files_done,
        total_files,
        bytes_done: if total > 0 { done.min(total) } else { done },
        total_bytes: total,
        seconds_remaining,
    }
}

/// How a job ended: its exit code and its output, or why it could not run.
/// Empties the repository of a world deleted for good (every snapshot forgotten and pruned),
/// in the background: its backups went with it. A failure is logged; the repository then keeps
/// its data, which any restic can still read.
/// How often, and how long apart, emptying a deleted world's repository waits for a job of
/// the world still running (an hour in all).
const EMPTY_WAITS: u32 = 720;
const EMPTY_WAIT: Duration = Duration::from_secs(5);

pub fn empty_repository(state: &AppState, server: Uuid, object_name: &str) {
    let Some(root) = state.backups.repository.clone() else {
        return;
    };
    let job = WorldJob {
        server,
        object_name: object_name.to_string(),
        namespace: state.kube.namespace().to_string(),
        data_path: "/tmp".into(),
        node: None,
        image: state.backups.image.clone(),
        repository: repository_of(&root, object_name),
        secret: state.backups.secret.clone(),
        store: state.backups.store(),
        kind: JobKind::Empty,
    };
    let state = state.clone();
    tokio::spawn(async move {
        // a backup still running when the world was deleted ends first (its pod finishes)
        let mut result = run_job(&state, &job, |_| {}, || Box::pin(async {})).await;
        for _ in 0..EMPTY_WAITS {
            if !matches!(result, Err(JobError::Busy)) {
                break;
            }
            tokio::time::sleep(EMPTY_WAIT).await;
            // only once the other job's pod is gone: an ended one is its task's to read
            if matches!(
                state.kube.job_phase(&job.object_name).await,
                Ok(JobPhase::Gone)
            ) {
                result = run_job(&state, &job, |_| {}, || Box::pin(async {})).await;
            }
        }
        match result {
            Ok((0, _)) => {
                tracing::info!(world = %job.object_name, "a deleted world's backups were removed")
            }
            Ok((code, text)) => tracing::warn!(
                world = %job.object_name,
                code,
                why = read_output(&text).last_text.unwrap_or_default(),
                "a deleted world's backups stay in the repository"
            ),
            Err(why) => tracing::warn!(
                world = %job.object_name,
                %why,
                "a deleted world's backups stay in the repository"
            ),
        }
    });
}

/// Why a world's job did not run to its end.
#[derive(Debug)]
enum JobError {
    /// Another job of the world holds it (one at a time).
    Busy,
    /// The cluster refused it, or it ran too long.
    Failed(String),
}

impl std::fmt::Display for JobError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JobError::Busy => f.write_str(&crate::msg!("backups-job-busy")),
            JobError::Failed(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for JobError {}

impl From<String> for JobError {
    fn from(why: String) -> Self {
        JobError::Failed(why)
    }
}

async fn run_job(
    state: &AppState,
    job: &WorldJob,
    mut on_output: impl FnMut(&str),
    mut beat: impl FnMut() -> futures::future::BoxFuture<'static, ()>,
) -> Result<(i32, String), JobError> {
    // the file manager's pod of a stopped server lets go of the world first
    if let Err(e) = state.kube.remove_maintenance(&job.object_name).await {
        return Err(crate::msg!("backups-job-file-manager", "error" => e.to_string()).into());
    }
    match state.kube.start_job(&job_pod(job)).await {
        Ok(true) => {}
        Ok(false) => return Err(JobError::Busy),
        Err(e) => return Err(crate::msg!("backups-job-refused", "error" => e.to_string()).into()),
    }
    let started = tokio::time::Instant::now();
    let mut beats = 0u32;
    let result = loop {
        tokio::time::sleep(POLL).await;
        beats += 1;
        if beats.is_multiple_of(5) {
            beat().await;
        }
        if started.elapsed() > JOB_LIMIT {
            break Err(crate::msg!("backups-job-too-long"));
        }
        match state.kube.job_phase(&job.object_name).await {
            Ok(JobPhase::Waiting) => {}
            Ok(JobPhase::Running) => {
                if let Ok(text) = state.kube.job_output(&job.object_name, 5).await {
                    on_output(&text);
                }
            }
            Ok(JobPhase::Ended(code)) => {
                let text = state
                    .kube
                    .job_output(&job.object_name, 400)
                    .await
                    .unwrap_or_default();
                break Ok((code, text));
            }
            Ok(JobPhase::Stuck(why)) => {
                break Err(crate::msg!("backups-job-stuck", "reason" => why));
            }
            Ok(JobPhase::Gone) => break Err(crate::msg!("backups-job-gone")),
            Err(e) => tracing::warn!(error = %e, "backup: cannot read the job"),
        }
    };
    if let Err(e) = state.kube.remove_job(&job.object_name).await {
        tracing::warn!(error = %e, "backup: cannot remove the job's pod");
    }
    Ok(result?)
}

/// Makes the backup: saving off and flushed on a running server, the job, saving back on, the
/// row finished (or failed, with why), and the backups over the plan's number removed.
async fn drive_backup(
    state: &AppState,
    server: &db::Server,
    spec: &cluster::TemplateSpec,
    mut job: WorldJob,
    backup: Uuid,
    forget: Vec<db::Backup>,
) {
    let started = std::time::Instant::now();
    let running = is_running(state, server.id);
    let mut saving_off = false;
    if running {
        job.node = state.kube.node_of(&server.object_name).await.ok().flatten();
        let since = chrono::Utc::now() - chrono::Duration::seconds(1);
        saving_off = console(state, server, spec, "save-off").await;
        if saving_off
            && !(console(state, server, spec, "save-all flush").await
                && wait_saved(state, server, since).await)
        {
            tracing::warn!(server = %server.name, "backup: the world was not saved in time; backing up as it is");
        }
    }
    let beat_state = state.clone();
    let result = run_job(
        state,
        &job,
        |text| {
            if let Some(p) = read_output(text).progress {
                state.backups.set_progress(backup, Some(p));
            }
        },
        move || {
            let s = beat_state.clone();
            Box::pin(async move {
                if let Ok(mut c) = conn(&s).await {
                    let _ = db::Backup::beat(&mut c, backup).await;
                }
            })
        },
    )
    .await;
    if saving_off {
        console(state, server, spec, "save-on").await;
    }
    state.backups.set_progress(backup, None);
    let outcome = match result {
        Ok((code, text)) => {
            tracing::debug!(code, output = %text, "backup job ended");
            let out = read_output(&text);
            match (code, out.made) {
                (0 | 3, Some(mut made)) => {
                    if code == 3 {
                        made.warning =
                            Some("Some files could not be read; the rest is in the backup.".into());
                    }
                    Ok((made, out.forget_failed))
                }
                (code, _) => Err(out.last_text.map_or_else(
                    || format!("restic ended with code {code}"),
                    |t| format!("restic: {t}"),
                )),
            }
        }
        Err(why) => Err(why.to_string()),
    };
    let Ok(mut c) = conn(state).await else {
        tracing::error!(%backup, "backup: no database to record the outcome");
        return;
    };
    let label = match &outcome {
        Ok(_) => "done",
        Err(_) => "failed",
    };
    let name = db::Backup::find(&mut c, server.id, backup)
        .await
        .ok()
        .flatten()
        .map(|b| b.name)
        .unwrap_or_default();
    // the event, once: only the write that ended the running backup tells the webhooks
    let mut event = None;
    match outcome {
        Ok((made, forget_failed)) => {
            match db::Backup::finish(&mut c, backup, &made).await {
                Ok(true) => {
                    event = Some((
                        WebhookEvent::BackupDone,
                        json!({ "backup_id": backup, "backup": name, "bytes": made.bytes }),
                    ));
                }
                Ok(false) => {}
                Err(e) => tracing::error!(error = %e, "backup: cannot record it"),
            }
            if !forget_failed && !forget.is_empty() {
                let ids: Vec<Uuid> = forget.iter().map(|b| b.id).collect();
                let _ = db::Backup::delete(&mut c, &ids).await;
            }
            state
                .metrics
                .backup_done(started.elapsed(), made.added_bytes.max(0) as u64);
        }
        Err(why) => {
            tracing::warn!(server = %server.name, %why, "backup failed");
            if let Ok(true) = db::Backup::fail(&mut c, backup, &why).await {
                event = Some((
                    WebhookEvent::BackupFailed,
                    json!({ "backup_id": backup, "backup": name, "error": why }),
                ));
            }
            state.metrics.backup_failed();
        }
    }
    drop(c);
    if let Some((event, data)) = event {
        crate::webhooks::emit(state, server.id, event, data, &backup.to_string()).await;
    }
    audit::record_unattended(
        state,
        Some(server.id),
        "backup.finish",
        Some(&job.object_name),
        label,
    )
    .await;
}

/// Locks or unlocks a backup: a locked one is never removed to make room, nor deleted.
pub async fn set_locked(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    backup: Uuid,
    locked: bool,
) -> Result<BackupDto, AppError> {
    servers::load(state, actor, id, Permission::Backups).await?;
    let mut c = conn(state).await?;
    let b = find_backup(&mut c, id, backup).await?;
    db::Backup::set_locked(&mut c, b.id, locked).await?;
    let b = db::Backup::find(&mut c, id, backup)
        .await?
        .ok_or_else(missing("the backup just changed"))?;
    drop(c);
    audit::record(
        state,
        actor,
        Some(id),
        if locked {
            "backup.lock"
        } else {
            "backup.unlock"
        },
        Some(&b.name),
        "ok",
    )
    .await;
    Ok(dto(state, &b))
}

/// Deletes a backup: its snapshot is forgotten in the repository (its data goes at the next
/// prune), then its row goes. Refused while it is locked or running.
pub async fn delete(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    backup: Uuid,
) -> Result<(), AppError> {
    let server = servers::load(state, actor, id, Permission::Backups).await?;
    let mut c = conn(state).await?;
    let b = find_backup(&mut c, id, backup).await?;
    if b.locked {
        return Err(AppError::conflict(crate::msg!("backups-locked")));
    }
    if b.state == BackupState::Running {
        return Err(AppError::conflict(crate::msg!("backups-still-running")));
    }
    drop(c);
    if let (Some(snapshot), Some(root)) = (&b.snapshot_id, state.backups.repository.as_deref()) {
        let (_, spec) = servers::template_of(&mut conn(state).await?, &server).await?;
        let job = job_for(
            state,
            root,
            &server,
            &spec.data_path,
            JobKind::Forget {
                snapshots: vec![snapshot.clone()],
            },
        );
        match run_job(state, &job, |_| {}, || Box::pin(async {})).await {
            Ok((0, _)) => {}
            Ok((code, text)) => {
                let why = read_output(&text)
                    .last_text
                    .unwrap_or_else(|| crate::msg!("backups-exit-code", "code" => code));
                audit::record(
                    state,
                    actor,
                    Some(id),
                    "backup.delete",
                    Some(&b.name),
                    "failed",
                )
                .await;
                return Err(AppError::conflict(
                    crate::msg!("backups-remove-refused", "error" => why),
                ));
            }
            Err(why) => {
                audit::record(
                    state,
                    actor,
                    Some(id),
                    "backup.delete",
                    Some(&b.name),
                    "failed",
                )
                .await;
                return Err(AppError::conflict(
                    crate::msg!("backups-remove-failed", "error" => why.to_string()),
                ));
            }
        }
    }
    let mut c = conn(state).await?;
    db::Backup::delete(&mut c, &[b.id]).await?;
    drop(c);
    audit::record(state, actor, Some(id), "backup.delete", Some(&b.name), "ok").await;
    Ok(())
}

/// Restores a backup into the server's world: the server stops, the world is emptied first
/// with `wipe`, the snapshot is put back, and the server starts again if it was running. It
/// runs on; [`list`] says where it is.
pub async fn restore(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    backup: Uuid,
    wipe: bool,
) -> Result<RestoreDto, AppError> {
    let server = servers::load(state, actor, id, Permission::Backups).await?;
    let root = enabled(state)?.to_string();
    let mut c = conn(state).await?;
    let b = find_backup(&mut c, id, backup).await?;
    let snapshot = snapshot_of(&b, SnapshotUse::Restore)?;
    if db::Backup::of_server(&mut c, id)
        .await?
        .iter()
        .any(|b| b.state == BackupState::Running)
    {
        return Err(AppError::conflict(crate::msg!("backups-running-wait")));
    }
    if state.backups.restoring(id) {
        return Err(AppError::conflict(crate::msg!("backups-already-restoring")));
    }
    let (_, spec) = servers::template_of(&mut c, &server).await?;
    drop(c);
    state
        .backups
        .set_restore(id, backup, RestoreStep::Stopping, None);
    audit::record(
        state,
        actor,
        Some(id),
        "backup.restore",
        Some(&b.name),
        if wipe { "started (wipe)" } else { "started" },
    )
    .await;
    let job = job_for(
        state,
        &root,
        &server,
        &spec.data_path,
        JobKind::Restore { snapshot, wipe },
    );
    let task_state = state.clone();
    let name = b.name.clone();
    tokio::spawn(async move {
        let outcome = drive_restore(&task_state, &server, &spec, job, backup).await;
        let label = match &outcome {
            Ok(()) => "done",
            Err(_) => "failed",
        };
        let (step, error) = match outcome {
            Ok(()) => (RestoreStep::Done, None),
            Err(e) => (RestoreStep::Failed, Some(e)),
        };
        task_state
            .backups
            .set_restore(server.id, backup, step, error);
        audit::record_unattended(
            &task_state,
            Some(server.id),
            "backup.restore.finish",
            Some(&name),
            label,
        )
        .await;
    });
    state
        .backups
        .restore_of(id)
        .ok_or_else(missing("the restore just started"))
}

/// Restores a backup into a new server named `name` on `plan_id`, made for the caller (within
/// their quota) from the same template and settings as the backup's server: it is created, its
/// world is made by its first start, then it is stopped, the backup is put in its world and it
/// starts again. The new server's page says where it is. The backup's own server is untouched.
pub async fn restore_into_new(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    backup: Uuid,
    name: String,
    plan_id: Uuid,
) -> Result<protocol::dto::ServerDto, AppError> {
    let source = servers::load(state, actor, id, Permission::Backups).await?;
    let root = enabled(state)?.to_string();
    let mut c = conn(state).await?;
    let b = find_backup(&mut c, id, backup).await?;
    let snapshot = snapshot_of(&b, SnapshotUse::Restore)?;
    drop(c);
    let made = servers::create(
        state,
        actor,
        name,
        source.template_id,
        plan_id,
        servers::variables_of(&source),
    )
    .await?;
    let mut c = conn(state).await?;
    let server = db::Server::find(&mut c, made.id)
        .await?
        .ok_or_else(missing("the server just made"))?;
    let (_, spec) = servers::template_of(&mut c, &server).await?;
    drop(c);
    state
        .backups
        .set_restore(server.id, backup, RestoreStep::Stopping, None);
    audit::record(
        state,
        actor,
        Some(server.id),
        "backup.restore",
        Some(&b.name),
        "started (new server)",
    )
    .await;
    let job = WorldJob {
        // the backup's repository: its own server's
        repository: repository_of(&root, &source.object_name),
        ..job_for(
            state,
            &root,
            &server,
            &spec.data_path,
            JobKind::Restore {
                snapshot,
                wipe: true,
            },
        )
    };
    let task_state = state.clone();
    let label = b.name.clone();
    tokio::spawn(async move {
        // its world exists once its first pod ran
        let mut ready = false;
        for _ in 0..600 {
            let running = is_running(&task_state, server.id);
            if running {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        let outcome = if ready {
            let fresh = match conn(&task_state).await {
                Ok(mut c) => db::Server::find(&mut c, server.id).await.ok().flatten(),
                Err(_) => None,
            };
            match fresh {
                Some(fresh) => drive_restore(&task_state, &fresh, &spec, job, backup).await,
                None => Err("the new server is gone".to_string()),
            }
        } else {
            Err("the new server did not start within five minutes".to_string())
        };
        let (step, error, result) = match outcome {
            Ok(()) => (RestoreStep::Done, None, "done"),
            Err(e) => (RestoreStep::Failed, Some(e), "failed"),
        };
        task_state
            .backups
            .set_restore(server.id, backup, step, error);
        audit::record_unattended(
            &task_state,
            Some(server.id),
            "backup.restore.finish",
            Some(&label),
            result,
        )
        .await;
    });
    Ok(made)
}

async fn drive_restore(
    state: &AppState,
    server: &db::Server,
    spec: &cluster::TemplateSpec,
    job: WorldJob,
    backup: Uuid,
) -> Result<(), String> {
    let was_running = server.desired == Desired::Running;
    if was_running {
        servers::change_desired(state, server, Desired::Stopped)
            .await
            .map_err(|e| format!("the server could not be stopped: {}", e))?;
    }
    // the world's claim is free once the server's pod is gone
    let deadline =
        tokio::time::Instant::now() + Duration::from_secs(u64::from(spec.stop_timeout_secs) + 90);
    loop {
        match state.kube.pod(&server.object_name).await {
            Ok(None) => break,
            Ok(Some(_)) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(POLL).await;
            }
            Ok(Some(_)) => return Err("the server did not stop in time".into()),
            Err(e) => return Err(format!("the cluster: {e}")),
        }
    }
    state
        .backups
        .set_restore(server.id, backup, RestoreStep::Restoring, None);
    let result = run_job(
        state,
        &job,
        |text| {
            if let Some(p) = read_output(text).progress {
                state.backups.set_restore_progress(server.id, p);
            }
        },
        || Box::pin(async {}),
    )
    .await;
    if let Ok((_, text)) = &result
        && let Some(p) = read_output(text).progress
    {
        state.backups.set_restore_progress(server.id, p);
    }
    let restored = match result {
        Ok((0, text)) if text.contains("panel_restored") => Ok(()),
        Ok((code, text)) => Err(read_output(&text).last_text.map_or_else(
            || format!("restic ended with code {code}"),
            |t| format!("restic: {t}"),
        )),
        Err(why) => Err(why.to_string()),
    };
    if was_running {
        state
            .backups
            .set_restore(server.id, backup, RestoreStep::Starting, None);
        let fresh = {
            let mut c = conn(state).await.map_err(|e| e.to_string())?;
            db::Server::find(&mut c, server.id)
                .await
                .map_err(|e| e.to_string())?
                .ok_or("the server was deleted")?
        };
        servers::change_desired(state, &fresh, Desired::Running)
            .await
            .map_err(|e| format!("restored, but the server could not be started: {}", e))?;
    }
    restored
}

/// Path of the download route (`?backup=<id>`).
pub const DOWNLOAD_PATH: &str = "/api/servers/{id}/backups/download";

/// The plain routes as `(path, method, permission)`: the router mounts exactly these, and the
/// authorization test walks them.
pub const ROUTES: &[(&str, &str, Permission)] = &[(DOWNLOAD_PATH, "GET", Permission::Backups)];

/// The download's query.
#[derive(Debug, serde::Deserialize)]
pub struct DownloadQuery {
    /// The backup.
    pub backup: Uuid,
}

/// `GET /api/servers/{id}/backups/download?backup=...`: the backup's files as a tar, streamed
/// from `restic dump` in a job pod (the panel never holds the repository's secrets nor the
/// whole archive).
pub async fn download(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(id): axum::extract::Path<Uuid>,
    axum::extract::Query(q): axum::extract::Query<DownloadQuery>,
    req: axum::extract::Request,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match download_inner(&state, id, q.backup, req).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn download_inner(
    state: &AppState,
    id: Uuid,
    backup: Uuid,
    req: axum::extract::Request,
) -> Result<axum::response::Response, AppError> {
    use futures::TryStreamExt;
    use http::{HeaderValue, header};
    let actor = crate::auth::actor_from_headers(
        state,
        req.headers(),
        crate::request::peer_address(req.extensions(), req.headers(), &state.auth.trust_proxy),
    )
    .await?;
    let server = servers::load(state, &actor, id, Permission::Backups).await?;
    let root = enabled(state)?.to_string();
    let mut c = conn(state).await?;
    let b = find_backup(&mut c, id, backup).await?;
    let snapshot = snapshot_of(&b, SnapshotUse::Download)?;
    let (_, spec) = servers::template_of(&mut c, &server).await?;
    drop(c);
    let job = job_for(state, &root, &server, &spec.data_path, JobKind::Dump);
    let busy = || AppError::conflict(crate::msg!("backups-busy"));
    if !state
        .kube
        .start_job(&job_pod(&job))
        .await
        .map_err(servers::cluster_error)?
    {
        return Err(busy());
    }
    let object = server.object_name.clone();
    let gone = |state: &AppState| {
        let (kube, object) = (state.kube.clone(), object.clone());
        async move {
            if let Err(e) = kube.remove_job(&object).await {
                tracing::warn!(error = %e, "download: cannot remove the job");
            }
        }
    };
    // its container up (a minute at most: the image may be pulled)
    let mut started = false;
    for _ in 0..240 {
        match state.kube.job_phase(&object).await {
            Ok(JobPhase::Running) => {
                started = true;
                break;
            }
            Ok(JobPhase::Waiting) => tokio::time::sleep(Duration::from_millis(250)).await,
            Ok(other) => {
                tracing::warn!(?other, "download: the job did not start");
                break;
            }
            Err(e) => {
                gone(state).await;
                return Err(servers::cluster_error(e));
            }
        }
    }
    if !started {
        gone(state).await;
        let message = crate::msg!("backups-download-not-started");
        return Err(AppError::conflict(message));
    }
    let argv: Vec<String> = [
        "restic",
        "dump",
        "--no-cache",
        "--archive",
        "tar",
        &snapshot,
        "/",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut ex = match state
        .kube
        .exec_stream_in(
            &cluster::world_jobs::job_name(&object),
            cluster::world_jobs::CONTAINER,
            &argv,
            false,
        )
        .await
    {
        Ok(ex) => ex,
        Err(e) => {
            gone(state).await;
            return Err(servers::cluster_error(e));
        }
    };
    let out = ex
        .stdout
        .take()
        .ok_or_else(missing("restic dump's output"))?;
    audit::record(
        state,
        &actor,
        Some(id),
        "backup.download",
        Some(&b.name),
        "started",
    )
    .await;
    let chunks = tokio_util::io::ReaderStream::with_capacity(out, 64 * 1024);
    let cleanup = gone(state);
    // when the output ends, the exit code: a failure mid-way cuts the download rather than
    // passing for a whole archive; the job goes either way (a download dropped half-way leaves
    // it to end by itself, and the next job removes it)
    let tail = futures::stream::once(async move {
        let code = ex.finish().await;
        cleanup.await;
        if code == 0 {
            Ok(None)
        } else {
            tracing::warn!(code, "backup download failed mid-way");
            Err(std::io::Error::other("the download failed"))
        }
    })
    .try_filter_map(|x: Option<axum::body::Bytes>| async move { Ok(x) });
    let body = axum::body::Body::from_stream(futures::StreamExt::chain(chunks, tail));
    let mut res = axum::response::Response::new(body);
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-tar"),
    );
    let filename = format!(
        "{}-{}.tar",
        server.name,
        b.started_at.format("%Y%m%d-%H%M%S")
    );
    if let Ok(v) = HeaderValue::from_str(&crate::files::http::content_disposition(&filename)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

/// Ends the backups whose panel died while making them: failed, their job removed, and saving
/// turned back on for a server that runs. Run by the lease holder with the reconciler.
pub async fn sweep(state: &AppState) -> Result<usize, AppError> {
    let mut c = conn(state).await?;
    let stale = db::Backup::abandoned(&mut c, STALE_SECS).await?;
    for b in &stale {
        let why = "The panel stopped while making it.";
        let ended = db::Backup::fail(&mut c, b.id, why).await?;
        let Some(server) = db::Server::find(&mut c, b.server_id).await? else {
            continue;
        };
        if ended {
            let data = json!({ "backup_id": b.id, "backup": b.name, "error": why });
            crate::webhooks::emit(
                state,
                server.id,
                WebhookEvent::BackupFailed,
                data,
                &b.id.to_string(),
            )
            .await;
        }
        if let Err(e) = state.kube.remove_job(&server.object_name).await {
            tracing::warn!(error = %e, "backup sweep: cannot remove the job");
        }
        let running = is_running(state, server.id);
        if running && let Ok((_, spec)) = servers::template_of(&mut c, &server).await {
            console(state, &server, &spec, "save-on").await;
        }
        audit::record_unattended(
            state,
            Some(server.id),
            "backup.finish",
            Some(&b.name),
            "failed: abandoned",
        )
        .await;
    }
    Ok(stale.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_from_the_root_are_anchored_where_the_world_is() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            anchored(
                &p(&["/logs", "*.log", "!/logs/keep.txt", "!*.dat", "cache/"]),
                "/data/"
            ),
            p(&[
                "/data/logs",
                "*.log",
                "!/data/logs/keep.txt",
                "!*.dat",
                "cache/"
            ])
        );
    }

    #[test]
    fn restic_output_gives_progress_summary_and_errors() {
        let text = r#"{"message_type":"status","percent_done":0.5,"total_files":4,"files_done":2,"total_bytes":1000,"bytes_done":500,"seconds_remaining":3}
{"message_type":"summary","files_new":4,"data_added":1200,"total_files_processed":4,"total_bytes_processed":1000,"total_duration":1.5,"snapshot_id":"0123abcd"}
"#;
        let out = read_output(text);
        let p = out.progress.unwrap();
        assert_eq!(
            (p.fraction, p.files_done, p.total_bytes, p.seconds_remaining),
            (0.5, 2, 1000, Some(3))
        );
        let made = out.made.unwrap();
        assert_eq!(
            (
                made.snapshot_id.as_str(),
                made.files,
                made.bytes,
                made.added_bytes
            ),
            ("0123abcd", 4, 1000, 1200)
        );
        assert!(!out.forget_failed);
        let out = read_output(
            "Fatal: unable to open config file: Stat: The access key ID you provided does not exist\n",
        );
        assert!(out.made.is_none());
        assert!(out.last_text.unwrap().contains("access key"));
        assert!(read_output("{\"message_type\":\"panel_forget_failed\"}").forget_failed);
    }

    #[test]
    fn a_restores_readings_give_its_progress() {
        let line = |kib: u64, n: u64, secs: u64| {
            format!(
                "restoring\n{{\"message_type\":\"panel_restore_status\",\"kib_done\":{kib},\"total_bytes\":4096000,\"files_done\":{n},\"total_files\":10,\"seconds\":{secs},\"ended\":false}}"
            )
        };
        let p = read_output(&line(1000, 4, 4)).progress.unwrap();
        assert!((p.fraction - 0.25).abs() < 1e-9, "{p:?}");
        assert_eq!(
            (p.bytes_done, p.files_done, p.total_files),
            (1_024_000, 4, 10)
        );
        assert_eq!(p.seconds_remaining, Some(12));
        // disk use ahead of the sizes: short of done until restic ended
        let p = read_output(&line(4100, 10, 9)).progress.unwrap();
        assert_eq!(p.fraction, 0.99);
        assert_eq!(p.bytes_done, 4_096_000);
        // restic ended: all of it, whatever the disk says (a compressing file system)
        let ended = line(3000, 10, 9).replace("\"ended\":false", "\"ended\":true");
        let p = read_output(&ended).progress.unwrap();
        assert_eq!((p.fraction, p.seconds_remaining), (1.0, None));
        assert_eq!(p.bytes_done, 4_096_000);
        // no size known (restic's stats failed): no fraction, no guess
        let p = read_output(
            "{\"message_type\":\"panel_restore_status\",\"kib_done\":5,\"total_bytes\":0,\"files_done\":1,\"total_files\":0,\"seconds\":3}",
        )
        .progress
        .unwrap();
        assert_eq!((p.fraction, p.seconds_remaining), (0.0, None));
    }

    #[test]
    fn names_default_to_the_time_and_stay_short() {
        assert!(check_name(None).unwrap().ends_with("UTC"));
        assert_eq!(
            check_name(Some("  before 1.21 ".into())).unwrap(),
            "before 1.21"
        );
        assert!(check_name(Some("x".repeat(65))).is_err());
        assert!(check_name(Some("a\nb".into())).is_err());
        assert_eq!(
            repository_of("s3:http://h/b/p/", "mc-1"),
            "s3:http://h/b/p/mc-1"
        );
    }
}
