//! Who is online: every running server is asked with the Minecraft Server List Ping, from the
//! panel, at its pod's address and game port (never by exec: a ping costs the server what a
//! player's server list costs it), every round of [`run`]. What it answers goes to the console's
//! stats and the server's Players card, and its count to the dashboard's cards (pushed on
//! `/api/events` when it changes).
//!
//! A game server runs its owner's code, so its answer is hostile input: one ping reads at most
//! [`MAX_ANSWER`] bytes and lasts at most [`TIMEOUT`], and the text kept is cleaned and cut
//! short ([`presence_of`]).

use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use futures::StreamExt;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use crate::AppState;
use protocol::live::{MAX_SAMPLE, Presence};

/// Pings under way at once, at most.
pub const CONCURRENCY: usize = 64;

/// How long one ping may take, connection included.
pub const TIMEOUT: Duration = Duration::from_secs(3);

/// Most bytes read of one answer (a status with its 64×64 icon is about 10 KB).
pub const MAX_ANSWER: u64 = 64 * 1024;

/// Longest MOTD kept, in characters.
const MAX_MOTD: usize = 160;

/// Longest version or player name kept, in characters.
const MAX_LABEL: usize = 64;

/// Why a server gave no presence.
#[derive(Debug, thiserror::Error)]
pub enum PingError {
    /// It did not answer in time.
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The connection failed (refused: not listening yet, or stopped).
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// What came back was no status answer (or was longer than [`MAX_ANSWER`]).
    #[error("not a Minecraft status answer: {0}")]
    Protocol(String),
}

/// Asks the server at `addr` who is online.
pub async fn ping(addr: SocketAddr) -> Result<Presence, PingError> {
    let started = Instant::now();
    let ask = async {
        let stream = TcpStream::connect(addr).await?;
        let mut stream = Capped {
            inner: stream,
            left: MAX_ANSWER,
        };
        craftping::tokio::ping(
            &mut stream,
            &addr.ip().to_string(),
            addr.port(),
            craftping::PROTOCOL_VERSION_NOT_SET,
        )
        .await
        .map_err(|e| match e {
            craftping::Error::Io(e) => PingError::Io(e),
            other => PingError::Protocol(other.to_string()),
        })
    };
    let answer = tokio::time::timeout(TIMEOUT, ask)
        .await
        .map_err(|_| PingError::Timeout(TIMEOUT))??;
    Ok(presence_of(&answer, started.elapsed()))
}

/// The presence in a status answer that took `took`: counts, then text cleaned and cut short.
pub fn presence_of(r: &craftping::Response, took: Duration) -> Presence {
    Presence {
        online: u32::try_from(r.online_players).unwrap_or(u32::MAX),
        max: u32::try_from(r.max_players).unwrap_or(u32::MAX),
        sample: r
            .sample
            .iter()
            .flatten()
            .map(|p| clean(&p.name, MAX_LABEL))
            .filter(|n| !n.is_empty())
            .take(MAX_SAMPLE)
            .collect(),
        motd: r
            .description
            .as_ref()
            .map(|d| {
                let mut text = String::new();
                flatten_chat(d, &mut text, 0);
                clean(&text, MAX_MOTD)
            })
            .unwrap_or_default(),
        version: clean(&r.version, MAX_LABEL),
        latency_ms: u32::try_from(took.as_millis()).unwrap_or(u32::MAX),
    }
}

/// The plain text of a chat component (a string, or `{"text", "extra": [...]}`), depth-limited.
fn flatten_chat(v: &serde_json::Value, out: &mut String, depth: usize) {
    if depth > 8 || out.len() > 4 * MAX_MOTD {
        return;
    }
    match v {
        serde_json::Value::String(s) => out.push_str(s),
        serde_json::Value::Array(parts) => {
            for p in parts {
                flatten_chat(p, out, depth + 1);
            }
        }
        serde_json::Value::Object(o) => {
            if let Some(t) = o.get("text") {
                flatten_chat(t, out, depth + 1);
            }
            if let Some(extra) = o.get("extra") {
                flatten_chat(extra, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// `s` without formatting codes (`§` and the character after it) nor control characters
/// (line breaks become spaces), trimmed, at most `max` characters.
fn clean(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '§' => {
                chars.next();
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) => {}
            c => out.push(c),
        }
    }
    out.trim().chars().take(max).collect()
}

/// A stream that reads at most `left` more bytes (then fails), and writes through.
struct Capped {
    inner: TcpStream,
    left: u64,
}

impl AsyncRead for Capped {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        if self.left == 0 {
            return Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("the answer is longer than {MAX_ANSWER} bytes"),
            )));
        }
        let mut chunk = [0u8; 4096];
        let room = buf
            .remaining()
            .min(chunk.len())
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let mut into = ReadBuf::new(&mut chunk[..room]);
        ready!(Pin::new(&mut self.inner).poll_read(cx, &mut into))?;
        let got = into.filled();
        buf.put_slice(got);
        self.left -= got.len() as u64;
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Capped {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// One round: pings every running server with an address ([`CONCURRENCY`] at once) and
/// records what each answered. Returns how many answered.
pub async fn round(state: &AppState) -> usize {
    let targets = state.live.ping_targets();
    let answered = std::sync::atomic::AtomicUsize::new(0);
    futures::stream::iter(targets)
        .for_each_concurrent(CONCURRENCY, |(id, addr)| {
            let answered = &answered;
            async move {
                let got = match ping(addr).await {
                    Ok(p) => {
                        answered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        Some(p)
                    }
                    Err(e) => {
                        // expected while a server starts; not worth more than a debug line
                        tracing::debug!(server = %id, %addr, "no presence: {e}");
                        None
                    }
                };
                state.metrics.ping(got.is_some());
                state.live.set_presence(id, addr, got);
            }
        })
        .await;
    answered.into_inner()
}

/// Pings every running server every `period`, for ever.
pub async fn run(state: AppState, period: Duration) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        round(&state).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_the_server_is_cleaned_and_cut_short() {
        assert_eq!(clean("§aHello §lworld§r\n", 64), "Hello world");
        assert_eq!(clean("a\u{1b}[31mb\u{202e}c", 64), "a[31mbc");
        assert_eq!(clean(&"x".repeat(500), 64).len(), 64);
        let mut t = String::new();
        flatten_chat(
            &serde_json::json!({"text": "A ", "extra": [{"text": "§6gold"}, " server", {"color": "red"}]}),
            &mut t,
            0,
        );
        assert_eq!(clean(&t, MAX_MOTD), "A gold server");
        // deep nesting stops, it does not overflow
        let mut deep = serde_json::json!("x");
        for _ in 0..1_000 {
            deep = serde_json::json!({ "extra": [deep] });
        }
        let mut t = String::new();
        flatten_chat(&deep, &mut t, 0);
        assert_eq!(t, "");
    }
}
