//! The live channel's protocol: JSON messages `{"event": ..., "args": ...}` over the websockets
//! `/api/servers/{id}/console` (one server: console, status, stats) and `/api/events` (status of
//! every server the caller sees). Shared by the server and the browser.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::dto::PowerAction;
use crate::state::{Phase, ServerState};

/// The path of a server's console socket.
pub fn console_path(id: Uuid) -> String {
    format!("/api/servers/{id}/console")
}

/// The path of the status socket of the dashboard.
pub const EVENTS_PATH: &str = "/api/events";

/// Largest message a browser may send, in bytes.
pub const MAX_CLIENT_MESSAGE: usize = 4096;

/// Longest console command, in bytes.
pub const MAX_COMMAND: usize = 1024;

/// What the caller may do on a console, sent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Abilities {
    /// May type commands.
    pub write: bool,
    /// Power actions allowed.
    pub power: Vec<PowerAction>,
}

/// A server's state change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusUpdate {
    /// The server.
    pub id: Uuid,
    /// Its state (`running`, `stopped`, ...), or `deleted`.
    pub status: Phase,
    /// Why, for `crashed` and `error`.
    pub reason: Option<String>,
}

/// Figures about a running server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stats {
    /// Seconds since the server's process started.
    pub uptime_secs: Option<u64>,
    /// CPU in use, in millicores (when the cluster reports metrics).
    pub cpu_millis: Option<u64>,
    /// Memory in use, in MiB (when the cluster reports metrics).
    pub memory_mib: Option<u64>,
    /// Players online: what the server answers to the Server List Ping, else as counted in
    /// its console.
    pub players: Option<u32>,
    /// The server's answer to the Server List Ping, when it gave one.
    #[serde(default)]
    pub presence: Option<Presence>,
}

/// Most names of players online a [`Presence`] holds.
pub const MAX_SAMPLE: usize = 12;

/// What a running server answers to the Minecraft Server List Ping: who is on it, and what a
/// player's server list shows of it. Text from the server is cleaned (no formatting codes nor
/// control characters) and cut short.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Presence {
    /// Players online.
    pub online: u32,
    /// Most players at once.
    pub max: u32,
    /// Names of some of those online, as the server picks them (at most [`MAX_SAMPLE`]).
    pub sample: Vec<String>,
    /// The message of the day.
    pub motd: String,
    /// The version it says it runs (`1.21.4`, `Paper 1.21.4`...).
    pub version: String,
    /// How long the answer took, in milliseconds.
    pub latency_ms: u32,
}

impl Presence {
    /// Players online and at most.
    pub fn count(&self) -> PlayerCount {
        PlayerCount {
            online: self.online,
            max: self.max,
        }
    }
}

/// Players online and at most: what a dashboard card shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlayerCount {
    /// Players online.
    pub online: u32,
    /// Most players at once.
    pub max: u32,
}

/// A server's player count changed (None: not known, e.g. it stopped or does not answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlayersUpdate {
    /// The server.
    pub id: Uuid,
    /// Its players now.
    pub players: Option<PlayerCount>,
}

/// From the panel to the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "event", content = "args", rename_all = "snake_case")]
pub enum ServerMsg {
    /// First message: what the caller may do.
    Hello(Abilities),
    /// Recent lines, sent on connect and on request (replaces what the viewer shows).
    History(Vec<String>),
    /// New console lines, in order (ANSI colours kept).
    Output(Vec<String>),
    /// Lines of the installation (the template's init container), while it runs.
    InstallOutput(Vec<String>),
    /// The server's state changed.
    Status(StatusUpdate),
    /// A server's player count changed (the status socket of the dashboard).
    Players(PlayersUpdate),
    /// Figures, every few seconds while someone watches.
    Stats(Stats),
    /// The answer of a command run through exec (e.g. `rcon-cli`).
    CommandOutput(Vec<String>),
    /// Lines were dropped: the server printed faster than the console shows, or the viewer was
    /// too slow.
    Throttled {
        /// How many lines were left out.
        dropped: u64,
    },
    /// A request was refused or failed.
    Error {
        /// What went wrong, for the person.
        message: String,
    },
    /// The panel closes the socket (session ended, access removed, server deleted).
    Closed {
        /// Why.
        reason: String,
    },
}

/// From the browser to the panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "event", content = "args", rename_all = "snake_case")]
pub enum ClientMsg {
    /// Type a console command.
    SendCommand(String),
    /// Start, stop, restart or kill.
    SetState(PowerAction),
    /// Send the history again.
    RequestLogs,
}

/// A change of state worth telling someone who is not watching the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// It finished starting: players can join.
    Started,
    /// Its process ended on its own.
    Crashed,
    /// It cannot run (image, volume, scheduling...).
    Failed,
}

/// The notice for a server going from `before` (None: not known to the page) to `after`.
/// Pushes only come with changes, so a `running` that was not `running` has just started.
pub fn notice(before: Option<ServerState>, after: ServerState) -> Option<Notice> {
    if before == Some(after) {
        return None;
    }
    match after {
        ServerState::Running => Some(Notice::Started),
        ServerState::Crashed => Some(Notice::Crashed),
        ServerState::Error => Some(Notice::Failed),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_for_starts_crashes_and_failures_once() {
        use ServerState::*;
        assert_eq!(notice(Some(Starting), Running), Some(Notice::Started));
        assert_eq!(notice(None, Running), Some(Notice::Started));
        assert_eq!(notice(Some(Running), Running), None);
        assert_eq!(notice(Some(Running), Crashed), Some(Notice::Crashed));
        assert_eq!(notice(Some(Crashed), Crashed), None);
        assert_eq!(notice(Some(Starting), Error), Some(Notice::Failed));
        assert_eq!(notice(Some(Running), Stopping), None);
        assert_eq!(notice(Some(Stopping), Stopped), None);
    }

    #[test]
    fn wire_format() {
        let m = ServerMsg::Output(vec!["a".into()]);
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"event":"output","args":["a"]}"#
        );
        let c: ClientMsg =
            serde_json::from_str(r#"{"event":"send_command","args":"say hi"}"#).unwrap();
        assert_eq!(c, ClientMsg::SendCommand("say hi".into()));
        let c: ClientMsg =
            serde_json::from_str(r#"{"event":"set_state","args":"restart"}"#).unwrap();
        assert_eq!(c, ClientMsg::SetState(PowerAction::Restart));
        let c: ClientMsg = serde_json::from_str(r#"{"event":"request_logs"}"#).unwrap();
        assert_eq!(c, ClientMsg::RequestLogs);
    }
}

/// One point of a graph: what a server (or every server, summed) used in a minute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SampleDto {
    /// When (RFC 3339, the start of the minute).
    pub at: String,
    /// CPU in use, millicores (None: the cluster reports no metrics).
    pub cpu_millis: Option<i64>,
    /// Memory in use, MiB.
    pub memory_mib: Option<i64>,
    /// Players online.
    pub players: Option<i64>,
    /// For the panel's graphs: how many servers ran then.
    #[serde(default)]
    pub servers: Option<i64>,
}

/// The graphs' data: a point every `every_secs` seconds at most, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SamplesDto {
    /// How often the panel samples.
    pub every_secs: u32,
    /// The points (a stopped server has none for the time it was stopped).
    pub samples: Vec<SampleDto>,
}
