//! Who may call each endpoint of the JSON API: the table the server enforces and the
//! authorization matrix test walks.

use crate::permission::Permission;

/// The path prefix of every server function.
pub const PREFIX: &str = "/api";

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user (the answer covers only what they may see).
    SignedIn,
    /// Administrators.
    Admin,
    /// Those who hold this permission on the server named by the body's `id` (`View`: its
    /// owner, administrators and every member); `server_power` needs the control permission of
    /// its action (`control.start` for `start`...).
    Server(Permission),
}

/// Every endpoint with who may call it. The authorization matrix test walks the server-function
/// registry and fails for an endpoint missing here, then checks each against every kind of
/// caller (anonymous, revoked, strangers, other owners, each single permission, owner, admin).
pub const GUARDS: &[(&str, Guard)] = &[
    ("panel_info", Guard::Public),
    ("setup", Guard::Public),
    ("login", Guard::Public),
    ("logout", Guard::Public),
    ("me", Guard::SignedIn),
    ("templates", Guard::SignedIn),
    ("plans", Guard::SignedIn),
    ("servers", Guard::SignedIn),
    ("server_create", Guard::SignedIn),
    ("tokens", Guard::SignedIn),
    ("token_create", Guard::SignedIn),
    ("token_revoke", Guard::SignedIn),
    ("audit_log", Guard::SignedIn),
    ("sessions", Guard::SignedIn),
    ("totp_status", Guard::SignedIn),
    ("totp_setup", Guard::SignedIn),
    ("totp_enable", Guard::SignedIn),
    ("totp_disable", Guard::SignedIn),
    ("session_revoke", Guard::SignedIn),
    ("password_change", Guard::SignedIn),
    ("users", Guard::Admin),
    ("plan_create", Guard::Admin),
    ("plan_rename", Guard::Admin),
    ("plan_delete", Guard::Admin),
    ("user_create", Guard::Admin),
    ("user_update", Guard::Admin),
    ("user_password_reset", Guard::Admin),
    ("user_totp_reset", Guard::Admin),
    ("worlds_kept", Guard::SignedIn),
    ("world_delete", Guard::SignedIn),
    ("template_export", Guard::Admin),
    ("template_import", Guard::Admin),
    ("template_delete", Guard::Admin),
    ("server", Guard::Server(Permission::View)),
    ("server_power", Guard::Server(Permission::ControlStart)),
    ("server_settings", Guard::Server(Permission::Settings)),
    ("server_plan", Guard::Server(Permission::Settings)),
    ("server_template", Guard::Server(Permission::Settings)),
    ("server_idle_stop", Guard::Server(Permission::Settings)),
    ("game_versions", Guard::Server(Permission::Settings)),
    ("server_delete", Guard::Server(Permission::Delete)),
    ("server_members", Guard::Server(Permission::Members)),
    ("server_member_set", Guard::Server(Permission::Members)),
    ("server_member_remove", Guard::Server(Permission::Members)),
    ("files_list", Guard::Server(Permission::FilesRead)),
    ("file_read", Guard::Server(Permission::FilesRead)),
    ("file_write", Guard::Server(Permission::FilesWrite)),
    ("file_mkdir", Guard::Server(Permission::FilesWrite)),
    ("file_rename", Guard::Server(Permission::FilesWrite)),
    ("file_copy", Guard::Server(Permission::FilesWrite)),
    ("file_chmod", Guard::Server(Permission::FilesWrite)),
    ("files_compress", Guard::Server(Permission::FilesWrite)),
    ("file_decompress", Guard::Server(Permission::FilesWrite)),
    ("files_delete", Guard::Server(Permission::FilesDelete)),
    ("backups", Guard::Server(Permission::Backups)),
    ("backup_create", Guard::Server(Permission::Backups)),
    ("backup_lock", Guard::Server(Permission::Backups)),
    ("backup_exclude", Guard::Server(Permission::Backups)),
    ("backup_delete", Guard::Server(Permission::Backups)),
    ("backup_restore", Guard::Server(Permission::Backups)),
    ("backup_restore_new", Guard::Server(Permission::Backups)),
    ("server_graphs", Guard::Server(Permission::ConsoleRead)),
    ("panel_graphs", Guard::Admin),
    ("webhooks", Guard::Server(Permission::Settings)),
    ("webhook_create", Guard::Server(Permission::Settings)),
    ("panel_webhooks", Guard::Admin),
    ("panel_webhook_create", Guard::Admin),
    // a webhook's own id: its server's  right, or an administrator for the panel's
    // (a stranger is told there is no such webhook; server/tests/webhooks.rs)
    ("webhook_update", Guard::SignedIn),
    ("webhook_delete", Guard::SignedIn),
    ("webhook_test", Guard::SignedIn),
    ("webhook_deliveries", Guard::SignedIn),
    ("schedules", Guard::Server(Permission::Schedules)),
    ("schedule_save", Guard::Server(Permission::Schedules)),
    ("schedule_delete", Guard::Server(Permission::Schedules)),
    ("schedule_run", Guard::Server(Permission::Schedules)),
    ("players", Guard::Server(Permission::Players)),
    ("player_action", Guard::Server(Permission::Players)),
    ("mods", Guard::Server(Permission::Mods)),
    ("mod_search", Guard::Server(Permission::Mods)),
    ("mod_versions", Guard::Server(Permission::Mods)),
    ("mod_install", Guard::Server(Permission::Mods)),
    ("mod_remove", Guard::Server(Permission::Mods)),
];

/// The guard of an endpoint (by name, without `/api/`).
pub fn guard(endpoint: &str) -> Option<Guard> {
    GUARDS
        .iter()
        .find(|(name, _)| *name == endpoint)
        .map(|(_, g)| *g)
}
