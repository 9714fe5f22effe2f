//! Data transfer objects: what the JSON API sends and receives.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::permission::Permission;
use crate::state::{BackupState, Desired, ServerState};

/// The signed-in user, as the client sees it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UserDto {
    /// Public id.
    pub id: Uuid,
    /// Sign-in name.
    pub username: String,
    /// Whether the user is an administrator.
    pub is_admin: bool,
}

/// What the client needs before anyone signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PanelInfo {
    /// True until the first administrator is created.
    pub needs_setup: bool,
    /// True when first-run setup asks for the setup code from the panel's log.
    #[serde(default)]
    pub setup_code_required: bool,
    /// True when the panel runs its embedded sandbox cluster rather than a real one.
    pub sandbox: bool,
    /// The panel's version.
    pub version: String,
    /// The name of the sign-in provider the sign-in page offers a button for (none: no single
    /// sign-on).
    #[serde(default)]
    pub sso: Option<String>,
    /// Whether accounts may sign in with a password (false: through the provider only).
    #[serde(default = "yes")]
    pub passwords: bool,
}

fn yes() -> bool {
    true
}

/// A variable of a template, for the create form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct VariableDto {
    /// Environment variable name (what the API takes).
    pub name: String,
    /// Its name for people; the forms show `name` when there is none.
    #[serde(default)]
    pub label: Option<String>,
    /// What it means.
    pub description: String,
    /// The kind of value: the form's toggle, number box or choices.
    #[serde(default)]
    pub kind: crate::variables::VarKind,
    /// Default value.
    pub default: Option<String>,
    /// Whether a value is required.
    pub required: bool,
    /// Whether users may set it.
    pub user_editable: bool,
}

/// A template, for the create form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TemplateDto {
    /// Id.
    pub id: Uuid,
    /// Short name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// Its variables.
    pub variables: Vec<VariableDto>,
}

/// A plan, for the create form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlanDto {
    /// Id.
    pub id: Uuid,
    /// Short name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// CPU limit, millicores.
    pub cpu_limit_millis: i32,
    /// Memory, MiB.
    pub memory_mib: i32,
    /// Disk, GiB.
    pub disk_gib: i32,
    /// The Java heap the server gets, MiB.
    pub jvm_memory_mib: u32,
    /// How many backups each of its servers keeps (0: none).
    #[serde(default)]
    pub max_backups: u32,
    /// GiB of backups each of its servers may keep (what they added to the repository; 0: no
    /// limit).
    #[serde(default)]
    pub max_backup_gib: u32,
}

/// A world kept when its server was deleted: it takes disk from its owner's quota until it is
/// restored (a new server of the same name) or deleted for good.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct KeptWorldDto {
    /// The name of its objects (what deleting it names).
    pub object_name: String,
    /// The deleted server's name: a new server of this name, by the same owner, gets it back.
    pub server_name: String,
    /// Its owner's username.
    pub owner: String,
    /// Its disk, GiB (counted in the owner's quota).
    pub disk_gib: i32,
    /// When it was kept (RFC 3339).
    pub kept_at: String,
    /// When the panel deletes it for good (RFC 3339), if the operator set an expiry.
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// A server, as lists and its page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ServerDto {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// The name of its Kubernetes objects (StatefulSet and Service; its pod is `<it>-0`).
    #[serde(default)]
    pub object_name: String,
    /// The storage class of its world (None: the cluster's default).
    #[serde(default)]
    pub storage_class: Option<String>,
    /// Owner's id.
    pub owner_id: Uuid,
    /// Template's id (its variables are in the templates list).
    #[serde(default)]
    pub template_id: Uuid,
    /// Template's name.
    pub template: String,
    /// Plan's name.
    pub plan: String,
    /// Plan's id.
    pub plan_id: Uuid,
    /// A plan chosen while it ran, taken at its next start or restart.
    pub pending_plan_id: Option<Uuid>,
    /// Whether it should run.
    pub desired: Desired,
    /// What it is doing.
    pub status: ServerState,
    /// Why, for crashed and error.
    pub status_reason: Option<String>,
    /// Variable values.
    pub variables: std::collections::BTreeMap<String, String>,
    /// Values saved while it ran, applied at the next start or restart.
    pub pending_variables: Option<std::collections::BTreeMap<String, String>>,
    /// What the caller may do on it (every permission for its owner and administrators).
    #[serde(default)]
    pub permissions: Vec<Permission>,
    /// How players reach it.
    #[serde(default)]
    pub join: Join,
    /// How players reach its template's extra ports (Bedrock, a map), in the template's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ExtraPortJoin>,
    /// Players online and at most, while it runs and answers the Server List Ping.
    #[serde(default)]
    pub players: Option<crate::live::PlayerCount>,
    /// A player joining it while it is stopped wakes it (hostname mode with wake-on-join).
    #[serde(default)]
    pub wakes_on_join: bool,
    /// Minutes without a player after which the panel stops it (None: never).
    #[serde(default)]
    pub idle_stop_minutes: Option<u32>,
}

/// How players reach a server: what its page shows under "Join".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Join {
    /// The address a player types in Minecraft's "Server Address" (`host:port`).
    Address {
        /// `host:port`.
        address: String,
    },
    /// A port on every node of the cluster: the operator has not said which address reaches
    /// the nodes (`PANEL_PUBLIC_HOST`).
    NodePort {
        /// The port.
        port: u16,
    },
    /// A load balancer was asked for and the cluster has not given it an address yet.
    Waiting,
    /// Reachable inside the cluster only, at this address (behind the operator's own proxy).
    Internal {
        /// `service.namespace.svc:port`.
        address: String,
    },
    /// Not known (an older panel's answer).
    #[default]
    Unknown,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MemberDto {
    /// The member's user id.
    pub user_id: Uuid,
    /// Their username.
    pub username: String,
    /// What they may do (`console.read`...).
    pub permissions: Vec<Permission>,
}

/// One of a server's extra ports and how players reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExtraPortJoin {
    /// Its name in the template (`bedrock`, `map`).
    pub name: String,
    /// What players use it for.
    pub description: String,
    /// TCP or UDP.
    pub protocol: PortProtocol,
    /// Where players reach it.
    pub join: Join,
}

/// The transport of a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum PortProtocol {
    /// TCP (Java Edition, web pages).
    Tcp,
    /// UDP (Bedrock Edition, voice chat).
    Udp,
}

impl PortProtocol {
    /// The name Kubernetes spells it with.
    pub fn as_str(self) -> &'static str {
        match self {
            PortProtocol::Tcp => "TCP",
            PortProtocol::Udp => "UDP",
        }
    }
}

/// A power action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PowerAction {
    /// Scale to one.
    Start,
    /// Graceful stop, scale to zero.
    Stop,
    /// Replace the pod gracefully.
    Restart,
    /// Stop now, without the graceful shutdown.
    Kill,
}

/// A template as exported and imported (JSON): its names and the whole document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TemplateExport {
    /// Display name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// The document (`slug`, `image`, `variables`, `console`, ...).
    pub spec: serde_json::Value,
}

/// What an entry of a folder is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// A folder.
    Folder,
    /// A regular file.
    File,
    /// A symbolic link (followed only while it stays inside the data folder).
    Link,
    /// A device, fifo or socket: listed, never opened.
    Special,
}

/// One entry of a folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FileEntry {
    /// Its name (lossily decoded when `odd`).
    pub name: String,
    /// What it is.
    pub kind: FileKind,
    /// Its size in bytes (of the link itself for links).
    pub size: u64,
    /// Its permission bits (`0o644`...).
    pub mode: u32,
    /// Last modified, in seconds since 1970.
    pub modified: i64,
    /// Its name is not valid UTF-8 or holds control characters: shown, but the panel cannot
    /// address it (rename it from the console).
    pub odd: bool,
}

/// A folder's entries, folders first then by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FolderListing {
    /// The folder, as `/a/b`.
    pub path: String,
    /// Its entries.
    pub entries: Vec<FileEntry>,
    /// Entries left out beyond the listing limit.
    pub truncated: u64,
}

/// A text file, read for the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FileText {
    /// The file, as `/a/b`.
    pub path: String,
    /// Its content.
    pub content: String,
    /// The version read (size and modification time); saving with it fails if the file changed
    /// on disk since.
    pub version: String,
}

/// An archive format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArchiveFormat {
    /// `.tar.gz`.
    TarGz,
    /// `.zip`.
    Zip,
}

/// An API token, as its owner sees it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TokenDto {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// The start of the secret (`mcp_1a2b3c4d`), to recognise it.
    pub prefix: String,
    /// What it may do.
    pub scopes: Vec<String>,
    /// When it stops working (RFC 3339), if ever.
    pub expires_at: Option<String>,
    /// Made (RFC 3339).
    pub created_at: String,
    /// Last used, to the minute (RFC 3339).
    pub last_used_at: Option<String>,
}

/// A new token: its secret, shown once, and its details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewTokenDto {
    /// The secret (`mcp_…`): send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// The token's details.
    pub info: TokenDto,
}

/// What a password change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PasswordChangedDto {
    /// Other sessions signed out.
    pub sessions_signed_out: usize,
    /// API tokens revoked (all of them: they were made under the old password).
    pub tokens_revoked: usize,
}

/// A signed-in browser of the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SessionDto {
    /// Id.
    pub id: Uuid,
    /// Signed in (RFC 3339).
    pub created_at: String,
    /// Last used (RFC 3339).
    pub last_seen_at: String,
    /// The address it signed in from.
    pub ip: Option<String>,
    /// Its browser.
    pub user_agent: Option<String>,
    /// Whether it is the session of this request.
    pub current: bool,
}

/// A user, as administrators see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AdminUserDto {
    /// Id.
    pub id: Uuid,
    /// Username.
    pub username: String,
    /// Administrator.
    pub is_admin: bool,
    /// Cannot sign in.
    pub disabled: bool,
    /// Signs in with a second factor.
    #[serde(default)]
    pub two_factor: bool,
    /// E-mail address (what a provider's verified address is matched against).
    #[serde(default)]
    pub email: Option<String>,
    /// The sign-in providers (issuers) the user's account is linked to.
    #[serde(default)]
    pub linked: Vec<String>,
    /// Most servers.
    pub max_servers: i32,
    /// Most memory over all servers, MiB.
    pub max_memory_mib: i32,
    /// Most disk over all servers, GiB.
    pub max_disk_gib: i32,
    /// Created (RFC 3339).
    pub created_at: String,
}

/// What to change on a user (absent: unchanged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct UserChangesDto {
    /// Administrator or not.
    #[serde(default)]
    pub is_admin: Option<bool>,
    /// Disabled or not.
    #[serde(default)]
    pub disabled: Option<bool>,
    /// Most servers.
    #[serde(default)]
    pub max_servers: Option<i32>,
    /// Most memory over all servers, MiB.
    #[serde(default)]
    pub max_memory_mib: Option<i32>,
    /// Most disk over all servers, GiB.
    #[serde(default)]
    pub max_disk_gib: Option<i32>,
    /// E-mail address; an empty one removes it.
    #[serde(default)]
    pub email: Option<String>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntryDto {
    /// Id (increasing; the paging cursor).
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// Who (their username; None: the system or a deleted user).
    pub actor: Option<String>,
    /// On which server (its name, while it exists).
    pub server: Option<String>,
    /// The server's id.
    pub server_id: Option<Uuid>,
    /// What (`server.create`, `file.write`...).
    pub action: String,
    /// Detail.
    pub target: Option<String>,
    /// `ok`, or the refusal.
    pub outcome: String,
    /// The client's address.
    pub ip: Option<String>,
}

/// Whether two-factor sign-in is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TwoFactorDto {
    /// On.
    pub enabled: bool,
    /// Recovery codes not used yet.
    pub recovery_codes_left: u32,
}

/// A two-factor secret being set up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TotpSetupDto {
    /// The secret, base32, to type into an authenticator app.
    pub secret: String,
    /// The `otpauth://` link (opens the app on a phone).
    pub url: String,
}

/// A plan to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewPlanDto {
    /// Short unique name (lowercase letters, digits, dashes).
    pub slug: String,
    /// Display name.
    pub name: String,
    /// CPU request, millicores.
    pub cpu_request_millis: i32,
    /// CPU limit, millicores.
    pub cpu_limit_millis: i32,
    /// Memory, MiB.
    pub memory_mib: i32,
    /// Disk, GiB.
    pub disk_gib: i32,
    /// How many backups each of its servers keeps (0 to 1000; 3 when not given).
    #[serde(default = "three")]
    pub max_backups: i32,
    /// GiB of backups each of its servers may keep (0: no limit, up to 100 000).
    #[serde(default)]
    pub max_backup_gib: i32,
}

fn three() -> i32 {
    3
}

/// A server's backups, as its Backups section shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BackupsDto {
    /// Whether the operator set up a repository (`PANEL_BACKUP_REPOSITORY`); without one
    /// nothing can be backed up.
    pub enabled: bool,
    /// How many backups the server's plan keeps (the oldest unlocked one goes when a new one
    /// would pass it; 0: none).
    pub limit: u32,
    /// Newest first.
    pub backups: Vec<BackupDto>,
    /// What its backups leave out (restic patterns; one starting with `/` is from the world's
    /// root).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Bytes its kept backups added to the repository.
    #[serde(default)]
    pub bytes_used: u64,
    /// The plan's limit on them, bytes (None: no limit).
    #[serde(default)]
    pub bytes_limit: Option<u64>,
    /// A restore under way or just ended, if any.
    #[serde(default)]
    pub restore: Option<RestoreDto>,
}

/// One backup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BackupDto {
    /// Id.
    pub id: Uuid,
    /// Its name (given, or the time it was made).
    pub name: String,
    /// Running, done or failed.
    pub state: BackupState,
    /// A locked backup is never removed to make room for a new one, nor deleted.
    pub locked: bool,
    /// The restic snapshot's id (done only): `restic restore <it>` restores it without the panel.
    pub snapshot: Option<String>,
    /// Files in it.
    pub files: u64,
    /// Bytes of the world it holds.
    pub bytes: u64,
    /// Bytes it added to the repository (the rest was there already).
    pub added_bytes: u64,
    /// Why it failed.
    pub error: Option<String>,
    /// Started at (RFC 3339).
    pub started_at: String,
    /// Ended at (RFC 3339).
    pub finished_at: Option<String>,
    /// While running: how far.
    pub progress: Option<BackupProgress>,
}

/// How far a running backup or restore is (a backup: restic's own status; a restore: the
/// job's readings of what it wrote).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BackupProgress {
    /// 0 to 1.
    pub fraction: f64,
    /// Files done so far.
    pub files_done: u64,
    /// Files in all.
    pub total_files: u64,
    /// Bytes done so far.
    pub bytes_done: u64,
    /// Bytes in all.
    pub total_bytes: u64,
    /// restic's estimate of the seconds left.
    pub seconds_remaining: Option<u64>,
}

/// A restore of a backup: its steps and how it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RestoreDto {
    /// The backup being restored.
    pub backup: Uuid,
    /// Where it is.
    pub step: RestoreStep,
    /// Why it failed (step `failed`).
    pub error: Option<String>,
    /// How far the copy is (step `restoring`, and its last reading after): bytes written to the
    /// world's disk against the snapshot's size, entries against its entries.
    #[serde(default)]
    pub progress: Option<BackupProgress>,
}

/// The steps of a restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RestoreStep {
    /// Stopping the server (it cannot run while its world is replaced).
    Stopping,
    /// Copying the backup into the world.
    Restoring,
    /// Starting the server again (it was running).
    Starting,
    /// Done.
    Done,
    /// Failed; the world is as it was unless the copy had begun.
    Failed,
}

/// What a schedule's task does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TaskAction {
    /// Types a command in the console (the `console.write` permission).
    Command {
        /// One line, as typed in the console.
        command: String,
    },
    /// Starts, stops, restarts or kills the server (that `control.*` permission).
    Power {
        /// Which.
        power: PowerAction,
    },
    /// Backs the world up (the `backups` permission).
    Backup,
    /// Deletes files and folders of the world (the `files.delete` permission).
    DeleteFiles {
        /// Paths in the server's folder.
        paths: Vec<String>,
    },
}

/// One task of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScheduleTask {
    /// What it does.
    #[serde(flatten)]
    pub action: TaskAction,
    /// Seconds to wait after the task before it (or the run's start), 0 to 900.
    #[serde(default)]
    pub offset_secs: u32,
    /// Whether the tasks after it still run when it fails.
    #[serde(default)]
    pub continue_on_failure: bool,
}

/// What starts a schedule's run (besides "run now").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ScheduleTrigger {
    /// Its cron, read in its time zone.
    #[default]
    Cron,
    /// The server crashing (its process exited with an error and restarts).
    Crash,
    /// Nobody on the running server for this many minutes (as the Server List Ping counts),
    /// once per empty spell.
    Idle {
        /// 1 to 1440.
        minutes: u32,
    },
    /// A console line matching `pattern` (a regular expression, 1 to 200 characters), at most
    /// once a minute.
    Console {
        /// What a line must match.
        pattern: String,
    },
}

/// A schedule as saved: new without `id`, else the one to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScheduleInput {
    /// The schedule to change; None makes a new one.
    #[serde(default)]
    pub id: Option<Uuid>,
    /// Its name (1 to 64 characters, unique on the server).
    pub name: String,
    /// What starts it (a cron by default).
    #[serde(default)]
    pub trigger: ScheduleTrigger,
    /// When, for a cron trigger: cron's five fields (minute hour day-of-month month
    /// day-of-week).
    #[serde(default)]
    pub cron: String,
    /// The IANA time zone the cron is read in (`Europe/Berlin`).
    #[serde(default)]
    pub time_zone: String,
    /// Whether it runs by its cron.
    pub active: bool,
    /// Whether a run is skipped while the server is not running.
    #[serde(default)]
    pub only_when_online: bool,
    /// Its tasks, run in order (1 to 20).
    pub tasks: Vec<ScheduleTask>,
}

/// A schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScheduleDto {
    /// Id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// What starts it.
    pub trigger: ScheduleTrigger,
    /// Cron's five fields (a cron trigger).
    pub cron: String,
    /// The time zone the cron is read in.
    pub time_zone: String,
    /// Whether its trigger starts it.
    pub active: bool,
    /// Whether a run is skipped while the server is not running.
    pub only_when_online: bool,
    /// Its tasks, in order.
    pub tasks: Vec<ScheduleTask>,
    /// When it runs next (RFC 3339; None when inactive).
    pub next_run_at: Option<String>,
    /// When it last ran (RFC 3339).
    pub last_run_at: Option<String>,
    /// Who saved it last: its tasks act with that person's rights.
    pub author: Option<String>,
}

/// How a schedule's run ended, or that it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// Its tasks are running.
    Running,
    /// Every task that ran succeeded (or failed with continue-on-failure).
    Done,
    /// A task failed and the run stopped there, or its panel went away.
    Failed,
    /// It did not run: missed by more than the window, or the server was offline.
    Skipped,
}

/// Why a run started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunCause {
    /// Its cron came due.
    Cron,
    /// Someone pressed "run now".
    Now,
    /// The server crashed.
    Crash,
    /// Nobody played for its minutes.
    Idle,
    /// A console line matched its pattern.
    Console,
}

/// How one task of a run went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TaskOutcome {
    /// Whether it succeeded.
    pub ok: bool,
    /// What it said (an error's message, a command's answer).
    pub message: String,
    /// When it ended (RFC 3339).
    pub at: String,
}

/// One run of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ScheduleRunDto {
    /// Id.
    pub id: Uuid,
    /// The schedule.
    pub schedule: Uuid,
    /// Why it ran.
    pub cause: RunCause,
    /// The cron time it was for (RFC 3339; None for "run now").
    pub due_at: Option<String>,
    /// Where it is.
    pub state: RunState,
    /// Why it was skipped or failed.
    pub detail: Option<String>,
    /// Each task that ran, in order.
    pub tasks: Vec<TaskOutcome>,
    /// Started at (RFC 3339).
    pub started_at: String,
    /// Ended at (RFC 3339).
    pub finished_at: Option<String>,
}

/// A server's schedules and their latest runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SchedulesDto {
    /// By name.
    pub schedules: Vec<ScheduleDto>,
    /// The latest runs of them all, newest first (at most 50).
    pub runs: Vec<ScheduleRunDto>,
}
