//! The labels every object of a server carries: `app.kubernetes.io/*`, and the server's id,
//! which the status watch and the reconciler select on.

use std::collections::BTreeMap;

use crate::model::ServerSpec;

/// `app.kubernetes.io/managed-by` value of everything the panel creates.
pub const MANAGER: &str = "mc-panel";
/// Label holding the server's uuid.
pub const SERVER_ID: &str = "panel.minecraft/server-id";
/// Label holding the owner's uuid.
pub const OWNER_ID: &str = "panel.minecraft/owner-id";
/// Annotation holding the name a person chose for the server.
pub const DISPLAY_NAME: &str = "panel.minecraft/display-name";
/// The selector of every game object the panel manages.
pub const MANAGED_SELECTOR: &str = "app.kubernetes.io/managed-by=mc-panel";

/// The labels that select a server's pods (stable for the server's life).
pub fn selector(s: &ServerSpec) -> BTreeMap<String, String> {
    BTreeMap::from([
        (
            "app.kubernetes.io/name".to_string(),
            "minecraft".to_string(),
        ),
        (
            "app.kubernetes.io/instance".to_string(),
            s.object_name.clone(),
        ),
        (SERVER_ID.to_string(), s.id.to_string()),
    ])
}

/// Every label of a server's objects.
pub fn all(s: &ServerSpec) -> BTreeMap<String, String> {
    let mut l = selector(s);
    l.insert("app.kubernetes.io/component".into(), "game-server".into());
    l.insert("app.kubernetes.io/part-of".into(), "mc-panel".into());
    l.insert("app.kubernetes.io/managed-by".into(), MANAGER.into());
    l.insert(OWNER_ID.into(), s.owner.to_string());
    l.insert("panel.minecraft/template".into(), s.template.slug.clone());
    l
}

/// The annotations of a server's StatefulSet and Service (not of its pod template: a rename
/// must not restart the server).
pub fn annotations(s: &ServerSpec) -> BTreeMap<String, String> {
    BTreeMap::from([(DISPLAY_NAME.to_string(), s.display_name.clone())])
}
