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
