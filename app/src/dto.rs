//! Data transfer objects: what the JSON API sends and receives.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The signed-in user, as the client sees it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDto {
    /// Public id.
    pub id: Uuid,
    /// Sign-in name.
    pub username: String,
    /// Whether the user is an administrator.
    pub is_admin: bool,
}

/// What the client needs before anyone signs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelInfo {
    /// True until the first administrator is created.
    pub needs_setup: bool,
    /// True when the panel runs its embedded sandbox cluster rather than a real one.
    pub sandbox: bool,
    /// The panel's version.
    pub version: String,
}

/// A variable of a template, for the create form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariableDto {
    /// Environment variable name.
    pub name: String,
    /// What it means.
    pub description: String,
    /// Default value.
    pub default: Option<String>,
    /// Whether a value is required.
    pub required: bool,
    /// Whether users may set it.
    pub user_editable: bool,
}

/// A template, for the create form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// A server, as lists and its page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerDto {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// Owner's id.
    pub owner_id: Uuid,
    /// Template's name.
    pub template: String,
    /// Plan's name.
    pub plan: String,
    /// Plan's id.
    pub plan_id: Uuid,
    /// A plan chosen while it ran, taken at its next start or restart.
    pub pending_plan_id: Option<Uuid>,
    /// `running` or `stopped`.
    pub desired: String,
    /// installing, starting, running, stopping, stopped, crashed, error.
    pub status: String,
    /// Why, for crashed and error.
    pub status_reason: Option<String>,
    /// Variable values.
    pub variables: std::collections::BTreeMap<String, String>,
    /// Values saved while it ran, applied at the next start or restart.
    pub pending_variables: Option<std::collections::BTreeMap<String, String>>,
}

/// A power action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateExport {
    /// Display name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// The document (`slug`, `image`, `variables`, `console`, ...).
    pub spec: serde_json::Value,
}
