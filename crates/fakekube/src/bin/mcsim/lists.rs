//! The player lists a real server keeps in its folder: `whitelist.json`, `ops.json` and
//! `banned-players.json` (read at start, written after each change, in the server's own
//! format), and `white-list` in `server.properties`. Players are offline-mode profiles: the
//! UUID the server derives from the name (nobody can really join mcsim).

use serde_json::{Value, json};

/// The whitelist file.
pub const WHITELIST: &str = "whitelist.json";
/// The operators file.
pub const OPS: &str = "ops.json";
/// The bans file.
pub const BANS: &str = "banned-players.json";

/// The UUID an offline-mode server gives `name`: version 3 of MD5("OfflinePlayer:" + name),
/// Java's `UUID.nameUUIDFromBytes`.
pub fn offline_uuid(name: &str) -> String {
    use md5::Digest;
    let hash: [u8; 16] = md5::Md5::digest(format!("OfflinePlayer:{name}")).into();
    uuid::Builder::from_md5_bytes(hash)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// One list: its file and entries (JSON objects with at least `name`).
#[derive(Debug)]
pub struct List {
    file: &'static str,
    entries: Vec<Value>,
}

impl List {
    /// Reads `file` (missing or unreadable: empty, as the server does, which then rewrites it).
    pub fn load(file: &'static str) -> Self {
        let entries = std::fs::read(file)
            .ok()
            .and_then(|b| serde_json::from_slice::<Vec<Value>>(&b).ok())
            .unwrap_or_default();
        List { file, entries }
    }

    /// Whether `name` is listed (names compare without case, as the server's do).
    pub fn has(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.entries.iter().position(|e| {
            e["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    }

    /// The names listed.
    pub fn names(&self) -> Vec<String> {
        self.entries
            .iter()
            .filter_map(|e| e["name"].as_str().map(str::to_string))
            .collect()
    }

    /// Adds `name` with the fields of `extra`; false when it was there already.
    pub fn add(&mut self, name: &str, extra: Value) -> bool {
        if self.has(name) {
            return false;
        }
        let mut entry = json!({"uuid": offline_uuid(name), "name": name});
        if let (Some(e), Value::Object(more)) = (entry.as_object_mut(), extra) {
            e.extend(more);
        }
        self.entries.push(entry);
        self.save();
        true
    }

    /// Removes `name`; false when it was not there.
    pub fn remove(&mut self, name: &str) -> bool {
        match self.position(name) {
            Some(i) => {
                self.entries.remove(i);
                self.save();
                true
            }
            None => false,
        }
    }

    fn save(&self) {
        let text = serde_json::to_string_pretty(&self.entries).unwrap_or_else(|_| "[]".into());
        let _ = std::fs::write(self.file, text + "\n");
    }
}

/// Whether `server.properties` turns the whitelist on.
pub fn whitelist_on() -> bool {
    std::fs::read_to_string("server.properties")
        .unwrap_or_default()
        .lines()
        .any(|l| l.trim() == "white-list=true")
}

/// Sets `white-list` in `server.properties` (the dedicated server writes it on `whitelist on`).
pub fn set_whitelist(on: bool) {
    let text = std::fs::read_to_string("server.properties").unwrap_or_default();
    let line = format!("white-list={on}");
    let mut found = false;
    let mut out: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("white-list=") {
                found = true;
                line.clone()
            } else {
                l.to_string()
            }
        })
        .collect();
    if !found {
        out.push(line);
    }
    let _ = std::fs::write("server.properties", out.join("\n") + "\n");
}

/// A ban's time as the server writes it.
pub fn now() -> String {
    chrono::Local::now()
        .format("%Y-%m-%d %H:%M:%S %z")
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn offline_uuids_are_the_servers() {
        assert_eq!(
            super::offline_uuid("Notch"),
            "b50ad385-829d-3141-a216-7e7d7539ba7f"
        );
    }
}
