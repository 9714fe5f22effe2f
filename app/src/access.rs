//! What can be shared on a server: the permission names (the API's words), their labels, and
//! presets, for the browser's member form and the server's checks.

/// Every permission a member can hold, with what it allows, in display order.
pub const PERMISSIONS: &[(&str, &str)] = &[
    ("console.read", "See the console and stats"),
    ("console.write", "Type commands in the console"),
    ("control.start", "Start the server"),
    ("control.stop", "Stop the server"),
    ("control.restart", "Restart the server"),
    ("control.kill", "Kill the server"),
    ("files.read", "Browse and download files"),
    ("files.write", "Edit, upload, rename, pack and unpack files"),
    ("files.delete", "Delete files"),
    ("settings", "Change settings and plan"),
    (
        "members",
        "Add and remove members (never beyond their own rights)",
    ),
    ("delete", "Delete the server"),
];

/// Ready-made sets of permissions.
pub const PRESETS: &[(&str, &[&str])] = &[
    ("Viewer", &["console.read", "files.read"]),
    (
        "Moderator",
        &[
            "console.read",
            "console.write",
            "control.start",
            "control.stop",
            "control.restart",
        ],
    ),
    (
        "Builder",
        &["console.read", "files.read", "files.write", "files.delete"],
    ),
    (
        "Manager",
        &[
            "console.read",
            "console.write",
            "control.start",
            "control.stop",
            "control.restart",
            "control.kill",
            "files.read",
            "files.write",
            "files.delete",
            "settings",
            "members",
        ],
    ),
];

/// Every permission name.
pub fn all() -> Vec<String> {
    PERMISSIONS.iter().map(|(p, _)| p.to_string()).collect()
}

/// Checks a list of permission names: all known; returns them without duplicates, in display
/// order.
pub fn normalise(names: &[String]) -> Result<Vec<String>, String> {
    if let Some(bad) = names
        .iter()
        .find(|n| !PERMISSIONS.iter().any(|(p, _)| p == n))
    {
        return Err(format!("There is no permission called \"{bad}\"."));
    }
    Ok(PERMISSIONS
        .iter()
        .filter(|(p, _)| names.iter().any(|n| n == p))
        .map(|(p, _)| p.to_string())
        .collect())
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
        assert_eq!(got.unwrap(), ["console.read", "files.read"]);
        assert!(normalise(&["root".into()]).is_err());
        for (_, set) in PRESETS {
            let v: Vec<String> = set.iter().map(|s| s.to_string()).collect();
            assert_eq!(
                normalise(&v).unwrap().len(),
                set.len(),
                "presets use known names"
            );
        }
    }
}
