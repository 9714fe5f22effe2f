//! Delivering: the worker takes due deliveries from the queue (any replica; each claimed for a
//! minute), writes each as its webhook's format asks (Discord's message, or the event as JSON
//! signed with HMAC-SHA256), sends it to the address checked for it, and records the outcome:
//! delivered on a 2xx, else tried again after 1, 4, 16, 64 and 256 times the retry base
//! (or the receiver's `Retry-After`), failed after the sixth try.

use std::time::Duration;

use chrono::Utc;
use hmac::{Hmac, Mac};
use protocol::webhooks::{DeliveryState, WebhookEvent, WebhookFormat};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::AppState;

/// Tries before a delivery is given up.
pub const TRIES: i32 = 6;

/// Deliveries claimed at once.
const BATCH: i64 = 16;

/// How long a claimed delivery is kept from other replicas.
const LEASE_SECS: i32 = 60;

/// The signature header: `sha256=<hex>` of `<timestamp>.<body>`.
pub const SIGNATURE: &str = "x-panel-signature";

/// The signing time header (Unix seconds), also signed: a receiver refuses old ones.
pub const TIMESTAMP: &str = "x-panel-timestamp";

/// Runs for ever: delivers what is due, then waits for the next event or a few seconds.
pub async fn run(state: AppState) {
    loop {
        match deliver_due(&state).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "webhooks: the queue could not be read"),
        }
        let _ = tokio::time::timeout(Duration::from_secs(2), state.webhooks.wake.notified()).await;
    }
}

/// Delivers one batch of due deliveries; how many there were.
async fn deliver_due(state: &AppState) -> Result<usize, db::Error> {
    let claimed = {
        let mut c = state.pool.get().await.map_err(db::Error::from)?;
        db::Delivery::claim_due(&mut c, BATCH, LEASE_SECS).await?
    };
    let n = claimed.len();
    let sends = claimed
        .into_iter()
        .map(|(delivery, hook)| async move { deliver_one(state, delivery, hook).await });
    futures::future::join_all(sends).await;
    Ok(n)
}

async fn deliver_one(state: &AppState, delivery: db::Delivery, hook: db::Webhook) {
    let outcome = send(state, &delivery, &hook).await;
    let tries = delivery.attempts + 1;
    let (st, status, error, next) = match outcome {
        Ok(status) => (DeliveryState::Delivered, Some(status), None, Utc::now()),
        Err(failed) => {
            let state_now = if tries >= TRIES || failed.permanent {
                DeliveryState::Failed
            } else {
                DeliveryState::Pending
            };
            let wait = failed
                .retry_after
                .unwrap_or_else(|| state.webhooks.retry_base * 4u32.pow((tries - 1) as u32));
            let next =
                Utc::now() + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1));
            (state_now, failed.status, Some(failed.why), next)
        }
    };
    state.metrics.webhook_delivery(st.as_str());
    if let Ok(mut c) = state.pool.get().await
        && let Err(e) = db::Delivery::record(
            &mut c,
            delivery.id,
            delivery.attempts,
            st.as_str(),
            status.map(i32::from),
            error.as_deref(),
            next,
        )
        .await
    {
        tracing::warn!(error = %e, "webhooks: a delivery's outcome was not written");
    }
}

/// Why a try failed.
struct Failure {
    why: String,
    status: Option<u16>,
    retry_after: Option<Duration>,
    /// Trying again cannot help (the address is refused).
    permanent: bool,
}

fn failure(why: impl Into<String>) -> Failure {
    Failure {
        why: why.into(),
        status: None,
        retry_after: None,
        permanent: false,
    }
}

async fn send(
    state: &AppState,
    delivery: &db::Delivery,
    hook: &db::Webhook,
) -> Result<u16, Failure> {
    let url = reqwest::Url::parse(&hook.url).map_err(|e| failure(e.to_string()))?;
    let allow = state.webhooks.allow_internal;
    let addr = super::address::resolve(&url, allow)
        .await
        .map_err(|why| Failure {
            permanent: why.contains("panel's own network"),
            ..failure(why)
        })?;
    let host = url.host_str().unwrap_or_default().to_owned();
    // straight to the address checked: a proxy from the environment would resolve the name
    // again itself
    let client = crate::outbound::builder()
        .no_proxy()
        .resolve(&host, addr)
        .build()
        .map_err(|e| failure(e.to_string()))?;
    let event = WebhookEvent::parse(&delivery.event).unwrap_or(WebhookEvent::Test);
    let format = WebhookFormat::parse(&hook.format).unwrap_or(WebhookFormat::Json);
    let body = match format {
        WebhookFormat::Json => delivery.payload.clone(),
        WebhookFormat::Discord => discord(event, &delivery.payload),
    }
    .to_string();
    let timestamp = Utc::now().timestamp().to_string();
    let res = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("x-panel-event", event.as_str())
        .header("x-panel-delivery", delivery.id.to_string())
        .header(TIMESTAMP, &timestamp)
        .header(SIGNATURE, sign(&hook.secret, &timestamp, &body))
        .body(body)
        .send()
        .await
        .map_err(|e| failure(format!("no answer: {}", e.without_url())))?;
    let status = res.status();
    if status.is_success() {
        return Ok(status.as_u16());
    }
    let retry_after = res
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s.min(3600)));
    Err(Failure {
        why: format!("the receiver answered {status}"),
        status: Some(status.as_u16()),
        retry_after,
        permanent: false,
    })
}

/// `sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<body>")>`.
pub fn sign(secret: &str, timestamp: &str, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A Discord message of an event: a line of text and an embed coloured by what happened.
/// Text as Discord shows it literally: its markdown characters escaped (a player named
/// `[x](https://…)` is no link).
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\*_~`|[]()<>#".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn discord(event: WebhookEvent, payload: &Value) -> Value {
    let server = literal(payload["server"]["name"].as_str().unwrap_or("The panel"));
    let (text, colour) = match event {
        WebhookEvent::ServerStarted => (format!("**{server}** started."), 0x2e_cc71),
        WebhookEvent::ServerStopped => (format!("**{server}** stopped."), 0x95_a5a6),
        WebhookEvent::ServerCrashed => (format!("**{server}** crashed."), 0xe7_4c3c),
        WebhookEvent::BackupDone => (
            format!(
                "**{server}**: backup \"{}\" done.",
                literal(payload["data"]["backup"].as_str().unwrap_or_default())
            ),
            0x34_98db,
        ),
        WebhookEvent::BackupFailed => (
            format!(
                "**{server}**: backup \"{}\" failed: {}",
                literal(payload["data"]["backup"].as_str().unwrap_or_default()),
                literal(payload["data"]["error"].as_str().unwrap_or_default())
            ),
            0xe6_7e22,
        ),
        WebhookEvent::PlayerJoined => (
            match payload["data"]["player"].as_str() {
                Some(p) => format!("**{}** joined **{server}**.", literal(p)),
                None => format!("A player joined **{server}**."),
            },
            0x1a_bc9c,
        ),
        WebhookEvent::Test => (
            "A test from the panel: this webhook works.".into(),
            0x9b_59b6,
        ),
    };
    json!({
        "username": "Minecraft panel",
        "content": text,
        "allowed_mentions": { "parse": [] },
        "embeds": [{
            "title": event.label(),
            "color": colour,
            "timestamp": payload["at"],
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_of_the_timestamp_and_body() {
        // the known answer, from Python's hmac: hmac.new(b"key", b"1.{}", sha256)
        assert_eq!(
            sign("key", "1", "{}"),
            "sha256=1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224"
        );
        assert_ne!(sign("key", "1", "{}"), sign("key", "2", "{}"));
        assert_ne!(sign("key", "1", "{}"), sign("other", "1", "{}"));
    }

    #[test]
    fn discord_messages_say_what_happened_and_mention_no_one() {
        let payload = json!({"at": "2026-12-06T20:00:00Z", "server": {"name": "survival"}, "data": {"player": "@everyone"}});
        let m = discord(WebhookEvent::PlayerJoined, &payload);
        assert_eq!(m["content"], "**@everyone** joined **survival**.");
        assert_eq!(m["allowed_mentions"]["parse"], json!([]));
        assert_eq!(m["embeds"][0]["title"], "Player joined");
        let link = json!({"server": {"name": "[reset](https://evil)"}});
        let m = discord(WebhookEvent::ServerStarted, &link);
        assert_eq!(m["content"], "**\\[reset\\]\\(https://evil\\)** started.");
        let m = discord(WebhookEvent::ServerCrashed, &payload);
        assert_eq!(m["content"], "**survival** crashed.");
    }
}
