//! Fault injection for tests: answer errors, slow down, drop open watches. Switched through
//! `POST /fakekube/faults` (JSON) or [`Faults`] directly.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use axum::Json;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tokio::sync::watch;

use crate::Cluster;
use crate::status::ApiError;

/// The switches.
#[derive(Debug)]
pub struct Faults {
    fail_next: AtomicU32,
    unavailable: AtomicBool,
    latency_ms: AtomicU64,
    drops: watch::Sender<u64>,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            fail_next: AtomicU32::new(0),
            unavailable: AtomicBool::new(false),
            latency_ms: AtomicU64::new(0),
            drops: watch::channel(0).0,
        }
    }
}

/// A change of the switches (every field optional).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRequest {
    /// Answer 500 to the next N API requests.
    pub fail_next: Option<u32>,
    /// Answer 503 to every API request while true.
    pub unavailable: Option<bool>,
    /// Delay every API request by this many milliseconds.
    pub latency_ms: Option<u64>,
    /// End every open watch now.
    pub drop_watches: Option<bool>,
}

impl Faults {
    /// Applies a change.
    pub fn apply(&self, r: &FaultRequest) {
        if let Some(n) = r.fail_next {
            self.fail_next.store(n, Ordering::SeqCst);
        }
        if let Some(u) = r.unavailable {
            self.unavailable.store(u, Ordering::SeqCst);
        }
        if let Some(l) = r.latency_ms {
            self.latency_ms.store(l, Ordering::SeqCst);
        }
        if r.drop_watches == Some(true) {
            self.drops.send_modify(|n| *n += 1);
        }
    }

    /// A receiver that changes when watches are to be dropped.
    pub fn watch_drops(&self) -> watch::Receiver<u64> {
        let mut rx = self.drops.subscribe();
        rx.mark_unchanged();
        rx
    }
}

/// `POST /fakekube/faults`.
pub async fn set(State(c): State<Arc<Cluster>>, Json(r): Json<FaultRequest>) -> impl IntoResponse {
    c.faults.apply(&r);
    Json(serde_json::json!({"ok": true}))
}

/// Applies the switches to API requests.
pub async fn middleware(State(c): State<Arc<Cluster>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/api") {
        c.requests
            .count(req.method().as_str(), path, req.uri().query());
        let f = &c.faults;
        let latency = f.latency_ms.load(Ordering::SeqCst);
        if latency > 0 {
            tokio::time::sleep(Duration::from_millis(latency)).await;
        }
        if f.unavailable.load(Ordering::SeqCst) {
            return ApiError::unavailable().into_response();
        }
        if f.fail_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            return ApiError::internal("fakekube: injected fault").into_response();
        }
    }
    next.run(req).await
}

/// Requests served, by method, path and whether they watch (for measuring what a client asks).
#[derive(Debug, Default)]
pub struct RequestLog {
    counts: std::sync::Mutex<std::collections::BTreeMap<String, u64>>,
}

impl RequestLog {
    fn count(&self, method: &str, path: &str, query: Option<&str>) {
        let watch =
            query.is_some_and(|q| q.split('&').any(|kv| kv == "watch=true" || kv == "watch=1"));
        let key = format!("{method} {path}{}", if watch { " (watch)" } else { "" });
        *self
            .counts
            .lock()
            .expect("requests")
            .entry(key)
            .or_default() += 1;
    }

    /// Counts a request under a key of its own (`PATCH … (apply-create)`).
    pub fn note(&self, key: String) {
        *self
            .counts
            .lock()
            .expect("requests")
            .entry(key)
            .or_default() += 1;
    }

    /// The counts so far.
    pub fn snapshot(&self) -> std::collections::BTreeMap<String, u64> {
        self.counts.lock().expect("requests").clone()
    }
}

/// `GET /fakekube/requests`: the API requests served so far, by method and path.
pub async fn requests(State(c): State<Arc<Cluster>>) -> axum::Json<serde_json::Value> {
    let counts = c.requests.snapshot();
    let total: u64 = counts.values().sum();
    axum::Json(serde_json::json!({"total": total, "by_path": counts}))
}
