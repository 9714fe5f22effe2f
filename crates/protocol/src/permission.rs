//! What can be done on a server: the [`Permission`] type both sides use (its API names, labels
//! and presets), for the browser's member form and the server's checks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a caller wants to do with a server. Every variant but [`Permission::View`] can be
/// granted to a member; its API name (`console.read`...) is its JSON form.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
pub enum Permission {
    /// See it (status, settings): every member may.
    #[serde(rename = "view")]
    View,
    /// Watch its console.
    #[serde(rename = "console.read")]
    ConsoleRead,
    /// Type in its console.
    #[serde(rename = "console.write")]
    ConsoleWrite,
    /// Start it.
    #[serde(rename = "control.start")]
    ControlStart,
    /// Stop it.
    #[serde(rename = "control.stop")]
    ControlStop,
    /// Restart it.
    #[serde(rename = "control.restart")]
    ControlRestart,
    /// Kill it.
    #[serde(rename = "control.kill")]
    ControlKill,
    /// List, read and download its files.
    #[serde(rename = "files.read")]
    FilesRead,
    /// Create, write, upload, rename, copy, pack and unpack its files.
    #[serde(rename = "files.write")]
    FilesWrite,
    /// Delete its files.
    #[serde(rename = "files.delete")]
    FilesDelete,
    /// Change its variables and plan.
    #[serde(rename = "settings")]
    Settings,
    /// Add, change and remove its members (within the rights they hold themselves).
    #[serde(rename = "members")]
    Members,
    /// Make, lock, restore and delete its backups.
    #[serde(rename = "backups")]
    Backups,
    /// See, make, change, run and delete its schedules (each task within the rights its
    /// author holds).
    #[serde(rename = "schedules")]
    Schedules,
    /// See and change who may play: whitelist, bans, kicks (operators also need
    /// `console.write`: an operator can run any command in the game).
    #[serde(rename = "players")]
    Players,
    /// Search, install, update and remove mods and plugins.
    #[serde(rename = "mods")]
    Mods,
    /// Delete it.
    #[serde(rename = "delete")]
    Delete,
}

/// Every permission a member can hold, in display order (all but [`Permission::View`]).
pub const GRANTABLE: [Permission; 16] = [
    Permission::ConsoleRead,
    Permission::ConsoleWrite,
    Permission::ControlStart,
    Permission::ControlStop,
    Permission::ControlRestart,
    Permission::ControlKill,
    Permission::FilesRead,
    Permission::FilesWrite,
    Permission::FilesDelete,
    Permission::Settings,
    Permission::Members,
    Permission::Backups,
    Permission::Schedules,
    Permission::Players,
    Permission::Mods,
    Permission::Delete,
];

impl Permission {
    /// Its name in the API, the members table and token scopes.
    pub fn name(self) -> &'static str {
        match self {
            Permission::View => "view",
            Permission::ConsoleRead => "console.read",
            Permission::ConsoleWrite => "console.write",
            Permission::ControlStart => "control.start",
            Permission::ControlStop => "control.stop",
            Permission::ControlRestart => "control.restart",
            Permission::ControlKill => "control.kill",
            Permission::Settings => "settings",
            Permission::FilesRead => "files.read",
            Permission::FilesWrite => "files.write",
            Permission::FilesDelete => "files.delete",
            Permission::Members => "members",
            Permission::Backups => "backups",
            Permission::Schedules => "schedules",
            Permission::Players => "players",
            Permission::Mods => "mods",
            Permission::Delete => "delete",
        }
    }

    /// What it allows, for people.
    pub fn label(self) -> &'static str {
        match self {
            Permission::View => "See the server",
            Permission::ConsoleRead => "See the console and stats",
            Permission::ConsoleWrite => "Type commands in the console",
            Permission::ControlStart => "Start the server",
            Permission::ControlStop => "Stop the server",
            Permission::ControlRestart => "Restart the server",
            Permission::ControlKill => "Kill the server",
            Permission::FilesRead => "Browse and download files",
            Permission::FilesWrite => "Edit, upload, rename, pack and unpack files",
            Permission::FilesDelete => "Delete files",
            Permission::Settings => "Change settings and plan",
            Permission::Members => "Add and remove members (never beyond their own rights)",
            Permission::Backups => "Make, restore and delete backups",
            Permission::Schedules => {
                "Make, change and run schedules (tasks within their own rights)"
            }
            Permission::Players => {
                "Manage the whitelist and bans, kick players (operators also need console typing)"
            }
            Permission::Mods => "Search, install and remove mods and plugins",
            Permission::Delete => "Delete the server",
        }
    }

    /// The permission of an API name (`"view"` included).
    pub fn from_name(name: &str) -> Option<Permission> {
        std::iter::once(Permission::View)
            .chain(GRANTABLE)
            .find(|p| p.name() == name)
    }

    /// Whether a member can be given it (all but [`Permission::View`], which every member has).
    pub fn grantable(self) -> bool {
        self != Permission::View
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Permission {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Permission::from_name(s).ok_or_else(|| format!("There is no permission called \"{s}\"."))
    }
}

/// Ready-made sets of permissions.
pub const PRESETS: &[(&str, &[Permission])] = &[
    ("Viewer", &[Permission::ConsoleRead, Permission::FilesRead]),
    (
        "Moderator",
        &[
            Permission::ConsoleRead,
            Permission::ConsoleWrite,
            Permission::ControlStart,
            Permission::ControlStop,
            Permission::ControlRestart,
            Permission::Players,
        ],
    ),
    (
        "Builder",
        &[
            Permission::ConsoleRead,
            Permission::FilesRead,
            Permission::FilesWrite,
            Permission::FilesDelete,
        ],
    ),
    (
        "Manager",
        &[
            Permission::ConsoleRead,
            Permission::ConsoleWrite,
            Permission::ControlStart,
            Permission::ControlStop,
            Permission::ControlRestart,
            Permission::ControlKill,
            Permission::FilesRead,
            Permission::FilesWrite,
            Permission::FilesDelete,
            Permission::Settings,
            Permission::Members,
            Permission::Backups,
            Permission::Schedules,
            Permission::Players,
            Permission::Mods,
        ],
    ),
];

/// Checks a list of permission names a member or a token is to hold: each grantable; returns
/// them without duplicates, in display order.
pub fn normalise(names: &[String]) -> Result<Vec<Permission>, String> {
    let mut held = Vec::with_capacity(names.len());
    for name in names {
        match Permission::from_name(name) {
            Some(p) if p.grantable() => held.push(p),
            _ => return Err(format!("There is no permission called \"{name}\".")),
        }
    }
    Ok(GRANTABLE.into_iter().filter(|p| held.contains(p)).collect())
}

/// The permissions of stored names, leaving out any the panel no longer knows.
pub fn known(names: &[String]) -> Vec<Permission> {
    names
        .iter()
        .filter_map(|n| Permission::from_name(n))
        .collect()
}

/// The API names of `perms`, as the members table and token scopes store them.
pub fn names(perms: &[Permission]) -> Vec<String> {
    perms.iter().map(|p| p.name().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_and_ordered() {
        let got = normalise(&[
            "files.read".into(),
            "console.read".into(),
            "files.read".into(),
        ]);
        assert_eq!(
            got.unwrap(),
            [Permission::ConsoleRead, Permission::FilesRead]
        );
        assert!(normalise(&["root".into()]).is_err());
        assert!(
            normalise(&["view".into()]).is_err(),
            "view is never granted"
        );
        for (_, set) in PRESETS {
            assert_eq!(
                normalise(&names(set)).unwrap().len(),
                set.len(),
                "presets hold grantable permissions once each"
            );
        }
    }

    #[test]
    fn the_json_form_is_the_api_name() {
        for p in std::iter::once(Permission::View).chain(GRANTABLE) {
            let json = serde_json::to_value(p).unwrap();
            assert_eq!(json, serde_json::Value::String(p.name().into()));
            assert_eq!(serde_json::from_value::<Permission>(json).unwrap(), p);
            assert_eq!(p.name().parse::<Permission>(), Ok(p));
        }
        assert!("root".parse::<Permission>().is_err());
    }
}
