//! The words for the protocol's enums (permissions, webhook events), from the catalogue: one
//! match per enum, so a new variant cannot go without its text.

use leptos_fluent::tr;
use protocol::Permission;
use protocol::webhooks::WebhookEvent;

/// What `p` allows, for people.
pub fn permission(p: Permission) -> String {
    match p {
        Permission::View => tr!("labels-perm-view"),
        Permission::ConsoleRead => tr!("labels-perm-console-read"),
        Permission::ConsoleWrite => tr!("labels-perm-console-write"),
        Permission::ControlStart => tr!("labels-perm-control-start"),
        Permission::ControlStop => tr!("labels-perm-control-stop"),
        Permission::ControlRestart => tr!("labels-perm-control-restart"),
        Permission::ControlKill => tr!("labels-perm-control-kill"),
        Permission::FilesRead => tr!("labels-perm-files-read"),
        Permission::FilesWrite => tr!("labels-perm-files-write"),
        Permission::FilesDelete => tr!("labels-perm-files-delete"),
        Permission::Settings => tr!("labels-perm-settings"),
        Permission::Members => tr!("labels-perm-members"),
        Permission::Backups => tr!("labels-perm-backups"),
        Permission::Schedules => tr!("labels-perm-schedules"),
        Permission::Players => tr!("labels-perm-players"),
        Permission::Mods => tr!("labels-perm-mods"),
        Permission::Delete => tr!("labels-perm-delete"),
    }
}

/// The name of webhook event `e` on the form and in the delivery log.
pub fn webhook_event(e: WebhookEvent) -> String {
    match e {
        WebhookEvent::ServerStarted => tr!("labels-event-started"),
        WebhookEvent::ServerStopped => tr!("labels-event-stopped"),
        WebhookEvent::ServerCrashed => tr!("labels-event-crashed"),
        WebhookEvent::BackupDone => tr!("labels-event-backup-done"),
        WebhookEvent::BackupFailed => tr!("labels-event-backup-failed"),
        WebhookEvent::PlayerJoined => tr!("labels-event-player-joined"),
        WebhookEvent::Test => tr!("labels-event-test"),
    }
}
