//! Webhooks as the API speaks them: what a webhook is told (events), how (format), and how each
//! delivery went.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Something a webhook can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum WebhookEvent {
    /// A server came up (its started line, or its readiness).
    #[serde(rename = "server.started")]
    ServerStarted,
    /// A server stopped as it was asked to.
    #[serde(rename = "server.stopped")]
    ServerStopped,
    /// A server's process ended without being asked to.
    #[serde(rename = "server.crashed")]
    ServerCrashed,
    /// A backup is in the repository.
    #[serde(rename = "backup.done")]
    BackupDone,
    /// A backup ended without a snapshot.
    #[serde(rename = "backup.failed")]
    BackupFailed,
    /// A player joined a server.
    #[serde(rename = "player.joined")]
    PlayerJoined,
    /// "Send a test" on the webhook's card.
    #[serde(rename = "webhook.test")]
    Test,
}

impl WebhookEvent {
    /// The events a webhook can choose (the test is always sent when asked).
    pub const CHOSEN: [WebhookEvent; 6] = [
        WebhookEvent::ServerStarted,
        WebhookEvent::ServerStopped,
        WebhookEvent::ServerCrashed,
        WebhookEvent::BackupDone,
        WebhookEvent::BackupFailed,
        WebhookEvent::PlayerJoined,
    ];

    /// Its name on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::ServerStarted => "server.started",
            WebhookEvent::ServerStopped => "server.stopped",
            WebhookEvent::ServerCrashed => "server.crashed",
            WebhookEvent::BackupDone => "backup.done",
            WebhookEvent::BackupFailed => "backup.failed",
            WebhookEvent::PlayerJoined => "player.joined",
            WebhookEvent::Test => "webhook.test",
        }
    }

    /// The event named `name`.
    pub fn parse(name: &str) -> Option<WebhookEvent> {
        Self::CHOSEN
            .into_iter()
            .chain([WebhookEvent::Test])
            .find(|e| e.as_str() == name)
    }

    /// What the choice reads on the form.
    pub fn label(self) -> &'static str {
        match self {
            WebhookEvent::ServerStarted => "Started",
            WebhookEvent::ServerStopped => "Stopped",
            WebhookEvent::ServerCrashed => "Crashed",
            WebhookEvent::BackupDone => "Backup done",
            WebhookEvent::BackupFailed => "Backup failed",
            WebhookEvent::PlayerJoined => "Player joined",
            WebhookEvent::Test => "Test",
        }
    }
}

/// How a delivery is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WebhookFormat {
    /// A Discord message (`content` and an embed), for a Discord channel's webhook URL.
    Discord,
    /// The event as JSON, signed: `X-Panel-Signature: sha256=<HMAC-SHA256 of
    /// "<X-Panel-Timestamp>.<body>" with the webhook's secret>`.
    Json,
}

impl WebhookFormat {
    /// Its name in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookFormat::Discord => "discord",
            WebhookFormat::Json => "json",
        }
    }

    /// The format named `name`.
    pub fn parse(name: &str) -> Option<WebhookFormat> {
        [WebhookFormat::Discord, WebhookFormat::Json]
            .into_iter()
            .find(|f| f.as_str() == name)
    }
}

/// How a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not delivered yet; tried again at `next_at`.
    Pending,
    /// The receiver took it (a 2xx answer).
    Delivered,
    /// Every try failed; no more.
    Failed,
}

impl DeliveryState {
    /// Its name in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    /// The state named `name`.
    pub fn parse(name: &str) -> Option<DeliveryState> {
        [
            DeliveryState::Pending,
            DeliveryState::Delivered,
            DeliveryState::Failed,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// A webhook (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookDto {
    /// Id.
    pub id: Uuid,
    /// The server it tells of (none: every server, the panel's own).
    pub server_id: Option<Uuid>,
    /// Its name.
    pub name: String,
    /// Where deliveries go.
    pub url: String,
    /// How they are written.
    pub format: WebhookFormat,
    /// What it is told.
    pub events: Vec<WebhookEvent>,
    /// Off: nothing is queued for it.
    pub active: bool,
    /// When it was made (RFC 3339).
    pub created_at: String,
}

/// A new webhook and its secret, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewWebhookDto {
    /// The webhook.
    pub webhook: WebhookDto,
    /// The key its JSON deliveries are signed with.
    pub secret: String,
}

/// What to change on a webhook (absent: unchanged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WebhookChangesDto {
    /// A new name.
    #[serde(default)]
    pub name: Option<String>,
    /// A new URL.
    #[serde(default)]
    pub url: Option<String>,
    /// New events.
    #[serde(default)]
    pub events: Option<Vec<WebhookEvent>>,
    /// On or off.
    #[serde(default)]
    pub active: Option<bool>,
}

/// One delivery of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DeliveryDto {
    /// Id (sent as `X-Panel-Delivery`).
    pub id: Uuid,
    /// What it told.
    pub event: WebhookEvent,
    /// How it stands.
    pub state: DeliveryState,
    /// Tries so far.
    pub attempts: i32,
    /// The receiver's last HTTP status, if it answered.
    pub last_status: Option<i32>,
    /// Why the last try failed, if it did.
    pub last_error: Option<String>,
    /// When the event happened (RFC 3339).
    pub created_at: String,
    /// When it was delivered or given up (RFC 3339).
    pub finished_at: Option<String>,
    /// When it is tried next, while pending (RFC 3339).
    pub next_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for e in WebhookEvent::CHOSEN.into_iter().chain([WebhookEvent::Test]) {
            assert_eq!(WebhookEvent::parse(e.as_str()), Some(e));
            assert_eq!(serde_json::to_value(e).unwrap(), e.as_str());
        }
        for f in [WebhookFormat::Discord, WebhookFormat::Json] {
            assert_eq!(WebhookFormat::parse(f.as_str()), Some(f));
            assert_eq!(serde_json::to_value(f).unwrap(), f.as_str());
        }
        for s in [
            DeliveryState::Pending,
            DeliveryState::Delivered,
            DeliveryState::Failed,
        ] {
            assert_eq!(DeliveryState::parse(s.as_str()), Some(s));
        }
        assert_eq!(WebhookEvent::parse("server.exploded"), None);
    }
}
