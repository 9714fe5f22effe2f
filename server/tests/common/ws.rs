//! Websocket helpers: sign in for a cookie, connect as a browser would, read events.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error, Message};

use super::TestApp;

pub type Stream =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// An open socket and every event read so far.
pub struct Ws {
    pub stream: Stream,
    /// Events received, in order.
    pub seen: Vec<Value>,
}

/// Signs in and returns the session cookie (`name=value`).
pub async fn login_cookie(app: &TestApp, username: &str, password: &str) -> String {
    let res = reqwest::Client::new()
        .post(app.url("/api/login"))
        .header("origin", &app.base)
        .header("content-type", "application/json")
        .body(serde_json::json!({"username": username, "password": password}).to_string())
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "login: {}", res.status());
    let set = res.headers()["set-cookie"].to_str().unwrap();
    set.split(';').next().unwrap().to_string()
}

/// Opens `path` with the cookie and an `Origin` header; Err: the HTTP status of the refusal.
pub async fn connect(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
) -> Result<Ws, u16> {
    let url = format!("{}{path}", app.base.replace("http://", "ws://"));
    let mut req = url.into_client_request().unwrap();
    if let Some(c) = cookie {
        req.headers_mut().insert("cookie", c.parse().unwrap());
    }
    if let Some(o) = origin {
        req.headers_mut().insert("origin", o.parse().unwrap());
    }
    match tokio_tungstenite::connect_async(req).await {
        Ok((stream, _)) => Ok(Ws {
            stream,
            seen: Vec::new(),
        }),
        Err(Error::Http(res)) => Err(res.status().as_u16()),
        Err(e) => panic!("websocket: {e}"),
    }
}

/// Connects as the panel's own page does.
pub async fn open(app: &TestApp, path: &str, cookie: &str) -> Ws {
    connect(app, path, Some(cookie), Some(&app.base.clone()))
        .await
        .unwrap_or_else(|s| panic!("refused with {s}"))
}

impl Ws {
    /// The next event (None: the socket closed).
    pub async fn next(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let msg = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .unwrap_or_else(|_| panic!("no event within {wait:?}; seen {:?}", self.seen));
            match msg {
                Some(Ok(Message::Text(t))) => {
                    let v: Value = serde_json::from_str(&t).unwrap();
                    self.seen.push(v.clone());
                    return Some(v);
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return None,
                Some(Ok(_)) => {}
            }
        }
    }

    /// Reads until an event satisfies `pred`, within 30 s.
    pub async fn until(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            assert!(!left.is_zero(), "{what}: not seen in {:?}", self.seen);
            match self.next(left).await {
                Some(v) if pred(&v) => return v,
                Some(_) => {}
                None => panic!("{what}: the socket closed; seen {:?}", self.seen),
            }
        }
    }

    /// Sends a JSON event.
    pub async fn send(&mut self, v: Value) {
        self.stream
            .send(Message::Text(v.to_string().into()))
            .await
            .unwrap();
    }

    /// Sends raw text or bytes.
    pub async fn send_raw(&mut self, m: Message) {
        self.stream.send(m).await.unwrap();
    }

    /// Every output line received so far (history and live), in order.
    pub fn lines(&self) -> Vec<String> {
        self.seen
            .iter()
            .filter(|v| v["event"] == "output" || v["event"] == "history")
            .flat_map(|v| v["args"].as_array().cloned().unwrap_or_default())
            .map(|l| l.as_str().unwrap_or_default().to_string())
            .collect()
    }
}

/// Whether `v` is an output event with a line containing `text`.
pub fn output_has(v: &Value, text: &str) -> bool {
    (v["event"] == "output" || v["event"] == "history" || v["event"] == "command_output")
        && v["args"]
            .as_array()
            .is_some_and(|a| a.iter().any(|l| l.as_str().unwrap_or("").contains(text)))
}

/// Whether `v` is an event of kind `event`.
pub fn is(v: &Value, event: &str) -> bool {
    v["event"] == event
}
