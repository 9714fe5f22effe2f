//! Who may play on a server: its whitelist, operators and bans, read from the files the game
//! keeps in its folder (`whitelist.json`, `ops.json`, `banned-players.json`, `white-list` in
//! `server.properties`), through the file manager's scripts.
//!
//! A change to a running server goes through its console (`ban Alex`), so it applies at once
//! and the game writes its files itself; the panel then reads them until the change shows. A
//! stopped server's files are edited directly, against the version read (a file changed in
//! between is refused, not overwritten), and the game reads them at its next start.

use std::time::Duration;

use serde_json::{Value, json};
use uuid::Uuid;

use crate::files::{self, Target};
use crate::{Actor, AppState, Permission, audit, conn, servers};
use protocol::AppError;
use protocol::dto::FileText;
use protocol::paths::DataPath;
use protocol::players::{Banned, Listed, Operator, PlayerAction, PlayerLists};

const WHITELIST: &str = "whitelist.json";
const OPS: &str = "ops.json";
const BANS: &str = "banned-players.json";
const PROPERTIES: &str = "server.properties";

/// How long a running server has to record a change in its files.
const RECORD_WAIT: Duration = Duration::from_secs(5);
const RECORD_POLL: Duration = Duration::from_millis(200);

/// The lists as they are now.
pub async fn lists(state: &AppState, actor: &Actor, id: Uuid) -> Result<PlayerLists, AppError> {
    let t = files::target(state, actor, id, Permission::Players).await?;
    Ok(read(state, &t).await?.lists)
}

/// Does `action` and returns the lists after it, with an audit entry either way.
pub async fn act(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    action: PlayerAction,
) -> Result<PlayerLists, AppError> {
    // who may, first; then what (a refusal of bad input must not tell strangers anything). An
    // operator (level 4) runs any command in the game: making or unmaking one is typing in the
    // console, so it takes that right too.
    servers::load(state, actor, id, Permission::Players).await?;
    if matches!(action, PlayerAction::Op { .. } | PlayerAction::Deop { .. }) {
        servers::load(state, actor, id, Permission::ConsoleWrite).await?;
    }
    action.check().map_err(AppError::bad_request)?;
    let t = files::target(state, actor, id, Permission::Players).await?;
    let res = if running(&t) {
        by_console(state, &t, &action).await
    } else {
        by_files(state, actor, &t, &action).await
    };
    audit::record_result(
        state,
        actor,
        Some(id),
        action.audit_name(),
        action.player(),
        &res,
    )
    .await;
    res
}

/// Whether the target is the game's own container (not the maintenance pod).
fn running(t: &Target) -> bool {
    t.pod() == cluster::pod_name(&t.server.object_name)
}

/// Sends the action's command, then reads the files until they show it (a kick leaves no trace
/// there: its lists are read once).
async fn by_console(
    state: &AppState,
    t: &Target,
    action: &PlayerAction,
) -> Result<PlayerLists, AppError> {
    let mut c = conn(state).await?;
    let (_, spec) = servers::template_of(&mut c, &t.server).await?;
    drop(c);
    let answer = crate::live::input::send(&state.kube, t.pod(), &spec.console, &action.command())
        .await?
        .unwrap_or_default();
    if let PlayerAction::Kick { player, .. } = action {
        if answer.iter().any(|l| l.contains("No player was found")) {
            return Err(AppError::not_found(
                crate::msg!("player-lists-not-online", "player" => player),
            ));
        }
        return Ok(read(state, t).await?.lists);
    }
    let deadline = tokio::time::Instant::now() + RECORD_WAIT;
    loop {
        let lists = read(state, t).await?.lists;
        if action.done_in(&lists) {
            return Ok(lists);
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(AppError::conflict(match answer.last() {
                Some(said) => crate::msg!("player-lists-not-recorded-said", "said" => said),
                None => crate::msg!("player-lists-not-recorded"),
            }));
        }
        tokio::time::sleep(RECORD_POLL).await;
    }
}

/// Edits a stopped server's files.
async fn by_files(
    state: &AppState,
    actor: &Actor,
    t: &Target,
    action: &PlayerAction,
) -> Result<PlayerLists, AppError> {
    let now = read(state, t).await?;
    if action.done_in(&now.lists) {
        return Ok(now.lists);
    }
    let (file, change): (&str, Change) = match action {
        PlayerAction::Kick { player, .. } => {
            return Err(AppError::conflict(
                crate::msg!("player-lists-stopped-not-online", "player" => player),
            ));
        }
        PlayerAction::Whitelist { on } => {
            let text = set_property(
                now.properties.as_ref().map_or("", |f| f.content.as_str()),
                "white-list",
                if *on { "true" } else { "false" },
            );
            let version = now.properties.as_ref().map(|f| f.version.as_str());
            let path = data_path(PROPERTIES)?;
            files::write_text(state, actor, t, &path, &text, version).await?;
            return Ok(read(state, t).await?.lists);
        }
        PlayerAction::Ban { player, reason } => {
            let reason = if reason.trim().is_empty() {
                "Banned by an operator."
            } else {
                reason.trim()
            };
            let at = chrono::Utc::now()
                .format("%Y-%m-%d %H:%M:%S %z")
                .to_string();
            let extra =
                json!({"created": at, "source": "Server", "expires": "forever", "reason": reason});
            (BANS, Change::Add(player, extra))
        }
        PlayerAction::Op { player } => (
            OPS,
            Change::Add(player, json!({"level": 4, "bypassesPlayerLimit": false})),
        ),
        PlayerAction::WhitelistAdd { player } => (WHITELIST, Change::Add(player, json!({}))),
        PlayerAction::Pardon { player } => (BANS, Change::Remove(player)),
        PlayerAction::Deop { player } => (OPS, Change::Remove(player)),
        PlayerAction::WhitelistRemove { player } => (WHITELIST, Change::Remove(player)),
    };
    let current = match file {
        WHITELIST => &now.whitelist,
        OPS => &now.ops,
        _ => &now.bans,
    };
    let mut entries = match current {
        Some(f) => entries(file, &f.content)?,
        None => Vec::new(),
    };
    match change {
        Change::Add(player, extra) => {
            if online_mode(&t.server, now.properties.as_ref()) {
                return Err(AppError::conflict(
                    crate::msg!("player-lists-online-mode", "player" => player),
                ));
            }
            let mut entry = json!({"uuid": offline_uuid(player), "name": player});
            if let (Some(e), Value::Object(more)) = (entry.as_object_mut(), extra) {
                e.extend(more);
            }
            entries.push(entry);
        }
        Change::Remove(player) => entries.retain(|e| !named(e, player)),
    }
    let text = serde_json::to_string_pretty(&entries).unwrap_or_else(|_| "[]".into()) + "\n";
    let version = current.as_ref().map(|f| f.version.as_str());
    files::write_text(state, actor, t, &data_path(file)?, &text, version).await?;
    Ok(read(state, t).await?.lists)
}

enum Change<'a> {
    Add(&'a str, Value),
    Remove(&'a str),
}

/// The files as read, and the lists in them.
struct Read {
    lists: PlayerLists,
    whitelist: Option<FileText>,
    ops: Option<FileText>,
    bans: Option<FileText>,
    properties: Option<FileText>,
}

async fn read(state: &AppState, t: &Target) -> Result<Read, AppError> {
    let (whitelist, ops, bans, properties) = tokio::try_join!(
        read_file(state, t, WHITELIST),
        read_file(state, t, OPS),
        read_file(state, t, BANS),
        read_file(state, t, PROPERTIES),
    )?;
    let list = |f: &Option<FileText>, name: &str| match f {
        Some(f) => entries(name, &f.content),
        None => Ok(Vec::new()),
    };
    let lists = PlayerLists {
        running: running(t),
        whitelist_on: properties
            .as_ref()
            .and_then(|f| property(&f.content, "white-list"))
            .is_some_and(|v| v == "true"),
        whitelist: list(&whitelist, WHITELIST)?.iter().map(listed).collect(),
        ops: list(&ops, OPS)?
            .iter()
            .map(|e| Operator {
                player: listed(e),
                level: e["level"].as_u64().map_or(4, |l| l.clamp(0, 4) as u8),
            })
            .collect(),
        bans: list(&bans, BANS)?
            .iter()
            .map(|e| Banned {
                player: listed(e),
                reason: text(e, "reason"),
                source: text(e, "source"),
                created: text(e, "created"),
                expires: text(e, "expires"),
            })
            .collect(),
    };
    Ok(Read {
        lists,
        whitelist,
        ops,
        bans,
        properties,
    })
}

/// A file of the server's folder; `None` when it does not exist (a new server has none).
async fn read_file(state: &AppState, t: &Target, name: &str) -> Result<Option<FileText>, AppError> {
    match files::read_text(state, t, &data_path(name)?).await {
        Ok(f) => Ok(Some(f)),
        Err(AppError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

fn data_path(name: &str) -> Result<DataPath, AppError> {
    files::parse(name)
}

/// A list file's entries; one that is not a JSON list is refused rather than overwritten.
fn entries(name: &str, content: &str) -> Result<Vec<Value>, AppError> {
    if content.trim().is_empty() {
        return Ok(Vec::new());
    }
    serde_json::from_str::<Vec<Value>>(content).map_err(|e| {
        AppError::conflict(crate::msg!("player-lists-not-a-list",
            "file" => name,
            "error" => e.to_string(),
        ))
    })
}

fn listed(e: &Value) -> Listed {
    Listed {
        name: text(e, "name"),
        uuid: text(e, "uuid"),
    }
}

fn text(e: &Value, key: &str) -> String {
    e[key].as_str().unwrap_or_default().to_string()
}

fn named(e: &Value, player: &str) -> bool {
    e["name"]
        .as_str()
        .is_some_and(|n| n.eq_ignore_ascii_case(player))
}

/// Whether the server checks accounts: the `ONLINE_MODE` it will start with, else its
/// `server.properties`, else Minecraft's default (on).
fn online_mode(server: &db::Server, properties: Option<&FileText>) -> bool {
    let vars = servers::starting_values(server);
    vars.get("ONLINE_MODE")
        .map(String::as_str)
        .or_else(|| properties.and_then(|f| property(&f.content, "online-mode")))
        .is_none_or(|v| !v.eq_ignore_ascii_case("false"))
}

/// A key's value in a `server.properties` text.
fn property<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .find_map(|l| l.split_once('=').filter(|(k, _)| k.trim() == key))
        .map(|(_, v)| v.trim())
}

/// `text` with `key` set to `value` (its line replaced, or added at the end).
fn set_property(text: &str, key: &str, value: &str) -> String {
    let mut found = false;
    let mut out: Vec<String> = text
        .lines()
        .map(|l| {
            let ours = !l.trim_start().starts_with('#')
                && l.split_once('=').is_some_and(|(k, _)| k.trim() == key);
            if ours && !found {
                found = true;
                format!("{key}={value}")
            } else {
                l.to_string()
            }
        })
        .collect();
    if !found {
        out.push(format!("{key}={value}"));
    }
    out.join("\n") + "\n"
}

/// The UUID an offline-mode server gives `name`: version 3 of MD5("OfflinePlayer:" + name), as
/// Java's `UUID.nameUUIDFromBytes`.
pub fn offline_uuid(name: &str) -> String {
    use md5::Digest;
    let hash: [u8; 16] = md5::Md5::digest(format!("OfflinePlayer:{name}")).into();
    uuid::Builder::from_md5_bytes(hash)
        .into_uuid()
        .hyphenated()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_uuids_are_the_games() {
        // the UUID offline servers give Notch, as every offline-mode tool lists it
        assert_eq!(
            offline_uuid("Notch"),
            "b50ad385-829d-3141-a216-7e7d7539ba7f"
        );
    }

    #[test]
    fn properties_are_read_and_set_in_place() {
        let text = "#Minecraft server properties\nmotd=Hi\n# white-list=true\nwhite-list=false\npvp=true\n";
        assert_eq!(property(text, "white-list"), Some("false"));
        assert_eq!(property(text, "motd"), Some("Hi"));
        let on = set_property(text, "white-list", "true");
        assert_eq!(
            on,
            "#Minecraft server properties\nmotd=Hi\n# white-list=true\nwhite-list=true\npvp=true\n"
        );
        assert_eq!(set_property("", "white-list", "true"), "white-list=true\n");
    }

    #[test]
    fn a_list_that_is_not_one_is_refused() {
        assert!(entries("ops.json", "{oops").is_err());
        assert!(entries("ops.json", "").unwrap().is_empty());
        assert_eq!(entries("ops.json", "[{\"name\": \"A\"}]").unwrap().len(), 1);
    }
}
