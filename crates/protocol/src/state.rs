//! A server's lifecycle as types: what its owner wants ([`Desired`]) and what it is
//! ([`ServerState`]), stored as Postgres enums and sent by these names.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Whether a server should run: set by start, stop and kill, and followed by the reconciler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "diesel", diesel(sql_type = crate::sql::ServerDesired))]
pub enum Desired {
    /// One replica.
    Running,
    /// None.
    Stopped,
}

impl Desired {
    /// The stored and sent name.
    pub fn as_str(self) -> &'static str {
        match self {
            Desired::Running => "running",
            Desired::Stopped => "stopped",
        }
    }

    /// Whether it wants the server running.
    pub fn is_running(self) -> bool {
        self == Desired::Running
    }
}

/// A server's state, as users see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "diesel", diesel(sql_type = crate::sql::ServerStatus))]
pub enum ServerState {
    /// Init containers run (installing mods, downloading).
    Installing,
    /// The container runs; the server is not up yet.
    Starting,
    /// Up and answering.
    Running,
    /// Shutting down.
    Stopping,
    /// Not running, as wanted.
    Stopped,
    /// The server exited with an error and is restarting.
    Crashed,
    /// It cannot run (image, scheduling, configuration).
    Error,
}

impl ServerState {
    /// Every state, in lifecycle order.
    pub const ALL: [ServerState; 7] = [
        ServerState::Installing,
        ServerState::Starting,
        ServerState::Running,
        ServerState::Stopping,
        ServerState::Stopped,
        ServerState::Crashed,
        ServerState::Error,
    ];

    /// The stored and sent name.
    pub fn as_str(self) -> &'static str {
        match self {
            ServerState::Installing => "installing",
            ServerState::Starting => "starting",
            ServerState::Running => "running",
            ServerState::Stopping => "stopping",
            ServerState::Stopped => "stopped",
            ServerState::Crashed => "crashed",
            ServerState::Error => "error",
        }
    }

    /// Whether its process is there to talk to (console commands, files).
    pub fn is_up(self) -> bool {
        matches!(self, ServerState::Running | ServerState::Starting)
    }
}

impl fmt::Display for Desired {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for ServerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a backup is: being made, made (restorable), or failed. Stored as the Postgres enum
/// `backup_state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "diesel",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)
)]
#[cfg_attr(feature = "diesel", diesel(sql_type = crate::sql::BackupStatus))]
pub enum BackupState {
    /// Its pod is copying the world into the repository.
    Running,
    /// A snapshot in the repository: it can be restored.
    Done,
    /// It ended without a snapshot (the reason is kept).
    Failed,
}

impl BackupState {
    /// Every state.
    pub const ALL: [BackupState; 3] =
        [BackupState::Running, BackupState::Done, BackupState::Failed];

    /// The stored and sent name.
    pub fn as_str(self) -> &'static str {
        match self {
            BackupState::Running => "running",
            BackupState::Done => "done",
            BackupState::Failed => "failed",
        }
    }
}

impl fmt::Display for BackupState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for BackupState {
    type Err = UnknownState;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        BackupState::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| UnknownState(s.into()))
    }
}

/// A name that is not a state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown state {0:?}")]
pub struct UnknownState(pub String);

impl FromStr for Desired {
    type Err = UnknownState;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Desired::Running, Desired::Stopped]
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| UnknownState(s.into()))
    }
}

impl FromStr for ServerState {
    type Err = UnknownState;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ServerState::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| UnknownState(s.into()))
    }
}

/// What a status push tells about a server: its new state, or that it is gone. Sent as the
/// state's name, or `"deleted"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// It is in this state now.
    Now(ServerState),
    /// It was deleted.
    Deleted,
}

impl Phase {
    /// The sent name.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Now(s) => s.as_str(),
            Phase::Deleted => "deleted",
        }
    }

    /// The state, unless deleted.
    pub fn state(self) -> Option<ServerState> {
        match self {
            Phase::Now(s) => Some(s),
            Phase::Deleted => None,
        }
    }
}

impl From<ServerState> for Phase {
    fn from(s: ServerState) -> Self {
        Phase::Now(s)
    }
}

impl Serialize for Phase {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Phase {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        if name == "deleted" {
            return Ok(Phase::Deleted);
        }
        name.parse()
            .map(Phase::Now)
            .map_err(serde::de::Error::custom)
    }
}

impl utoipa::PartialSchema for Phase {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let names = ServerState::ALL
            .iter()
            .map(|s| s.as_str())
            .chain(["deleted"]);
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(names))
            .description(Some("A server's new state, or `deleted`."))
            .into()
    }
}

impl utoipa::ToSchema for Phase {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_json_and_text() {
        for s in ServerState::ALL {
            let json = serde_json::to_value(s).unwrap();
            assert_eq!(json, serde_json::Value::String(s.as_str().into()));
            assert_eq!(s.as_str().parse::<ServerState>(), Ok(s));
            let phase = serde_json::to_value(Phase::Now(s)).unwrap();
            assert_eq!(phase, json);
            assert_eq!(
                serde_json::from_value::<Phase>(phase).unwrap(),
                Phase::Now(s)
            );
        }
        for d in [Desired::Running, Desired::Stopped] {
            assert_eq!(d.as_str().parse::<Desired>(), Ok(d));
        }
        let gone = serde_json::to_value(Phase::Deleted).unwrap();
        assert_eq!(gone, serde_json::json!("deleted"));
        assert_eq!(
            serde_json::from_value::<Phase>(gone).unwrap(),
            Phase::Deleted
        );
        assert!(serde_json::from_value::<Phase>(serde_json::json!("asleep")).is_err());
        assert!("deleted".parse::<ServerState>().is_err());
    }
}
