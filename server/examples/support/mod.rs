//! Shared by the benchmark examples: signing in to a running panel and calling it.

use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::client::Request;

/// A signed-in admin session on the panel at `PANEL_URL`.
pub struct Api {
    /// The panel's base URL.
    pub base: String,
    /// The session cookie (`name=value`).
    pub cookie: String,
    http: reqwest::Client,
}

impl Api {
    /// Signs in as `admin` with `BENCH_PASSWORD` at `PANEL_URL` (defaults: the bench scripts').
    pub async fn sign_in() -> Api {
        let base = std::env::var("PANEL_URL").unwrap_or_else(|_| "http://127.0.0.1:8097".into());
        let password =
            std::env::var("BENCH_PASSWORD").unwrap_or_else(|_| "a very good password".into());
        let http = reqwest::Client::new();
        let res = http
            .post(format!("{base}/api/login"))
            .header("origin", &base)
            .header("content-type", "application/json")
            .body(json!({"username": "admin", "password": password}).to_string())
            .send()
            .await
            .expect("login");
        let cookie = res.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        Api { base, cookie, http }
    }

    /// Calls a server function and returns its JSON answer.
    pub async fn call(&self, endpoint: &str, body: Value) -> Value {
        self.http
            .post(format!("{}/api/{endpoint}", self.base))
            .header("origin", &self.base)
            .header("content-type", "application/json")
            .header("cookie", &self.cookie)
            .body(body.to_string())
            .send()
            .await
            .expect("panel")
            .json()
            .await
            .expect("json")
    }

    /// The websocket request for `path`, with the cookie and the panel's origin.
    #[allow(dead_code)] // not every example opens sockets
    pub fn socket(&self, path: &str) -> Request {
        let mut req = format!("{}{path}", self.base.replace("http://", "ws://"))
            .into_client_request()
            .unwrap();
        req.headers_mut()
            .insert("cookie", self.cookie.parse().unwrap());
        req.headers_mut()
            .insert("origin", self.base.parse().unwrap());
        req
    }
}
