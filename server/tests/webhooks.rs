//! Webhooks against a local receiver (an axum server on loopback, the panel allowed to reach
//! it): a server's starts and stops, signed; the panel's own told of every server; Discord's
//! format; retries with back-off and the delivery log; and the refusals — addresses on the
//! panel's network, bad input, members without `settings`, strangers, non-administrators.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode as AxumStatus};
use common::servers::{create, ids, power, wait_status};
use common::{TestApp, json};
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::Sha256;

/// What the receiver got: headers, body and when.
#[derive(Clone)]
struct Got {
    headers: HeaderMap,
    body: String,
    at: Instant,
}

/// A receiver on loopback that fails the first `fail_first` requests with a 500.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Got>>>,
}

async fn receiver(fail_first: usize) -> Receiver {
    let got: Arc<Mutex<Vec<Got>>> = Arc::default();
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let seen = seen.clone();
            async move {
                let mut all = seen.lock().unwrap();
                all.push(Got {
                    headers,
                    body,
                    at: Instant::now(),
                });
                if all.len() <= fail_first {
                    AxumStatus::INTERNAL_SERVER_ERROR
                } else {
                    AxumStatus::NO_CONTENT
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Receiver { url, got }
}

impl Receiver {
    /// Waits for a delivery of `event` and answers it.
    async fn wait_for(&self, event: &str) -> Got {
        for _ in 0..300 {
            if let Some(g) = self
                .got
                .lock()
                .unwrap()
                .iter()
                .find(|g| g.headers["x-panel-event"] == event)
            {
                return g.clone();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no {event} delivery in 30 s");
    }

    fn count(&self) -> usize {
        self.got.lock().unwrap().len()
    }
}

async fn app() -> TestApp {
    let app = TestApp::spawn_with(|c| {
        c.webhook_internal = true;
        c.webhook_retry_secs = 1;
    })
    .await;
    assert_eq!(
        app.setup_admin("admin", "admin-password-1").await.status(),
        StatusCode::OK
    );
    app
}

/// The signature a receiver checks: HMAC-SHA256 of `<timestamp>.<body>` with the secret.
fn verify(secret: &str, got: &Got) {
    let timestamp = got.headers["x-panel-timestamp"].to_str().unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{}", got.body).as_bytes());
    let want = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(got.headers["x-panel-signature"], want.as_str());
    let age = chrono::Utc::now().timestamp() - timestamp.parse::<i64>().unwrap();
    assert!((0..60).contains(&age), "signed just now");
}

async fn deliveries(app: &TestApp, hook: &Value) -> Vec<Value> {
    let res = app
        .call("webhook_deliveries", json!({"id": hook["id"]}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    json(res).await.as_array().unwrap().clone()
}

#[tokio::test]
async fn a_server_and_the_panel_are_told_of_starts_and_stops_signed() {
    let app = app().await;
    let r = receiver(0).await;
    let panel_r = receiver(0).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let res = create(&app, "hooked", &t, &p).await;
    assert_eq!(res.status(), StatusCode::OK);
    let id = json(res).await["id"].as_str().unwrap().to_string();

    let res = app
        .call(
            "webhook_create",
            json!({"id": id, "name": "ops", "url": r.url, "format": "json",
                "events": ["server.started", "server.stopped", "server.crashed"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let made = json(res).await;
    let secret = made["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_") && secret.len() > 40);
    let hook = made["webhook"].clone();
    assert_eq!(
        hook["events"],
        json!(["server.started", "server.stopped", "server.crashed"])
    );
    // the secret is shown once: never in a list
    let listed = json(app.call("webhooks", json!({"id": id})).await).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(!listed.to_string().contains(&secret));

    // the panel's own webhook hears of every server
    let res = app
        .call(
            "panel_webhook_create",
            json!({"name": "all", "url": panel_r.url, "format": "json", "events": ["server.stopped"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    wait_status(&app, &id, "running").await;
    let started = r.wait_for("server.started").await;
    verify(&secret, &started);
    let body: Value = serde_json::from_str(&started.body).unwrap();
    assert_eq!(body["event"], "server.started");
    assert_eq!(body["server"]["name"], "hooked");
    assert_eq!(body["server"]["id"], id.as_str());
    assert_eq!(started.headers["content-type"], "application/json", "JSON");

    assert_eq!(power(&app, &id, "stop").await.status(), StatusCode::OK);
    wait_status(&app, &id, "stopped").await;
    let stopped = r.wait_for("server.stopped").await;
    verify(&secret, &stopped);
    let body: Value = serde_json::from_str(&stopped.body).unwrap();
    assert!(body["data"]["from"].as_str().is_some(), "{body}");
    let all = panel_r.wait_for("server.stopped").await;
    let body: Value = serde_json::from_str(&all.body).unwrap();
    assert_eq!(body["server"]["name"], "hooked");
    // one delivery per event: the started one was not queued for the panel's (not chosen)
    assert_eq!(panel_r.count(), 1);

    // the log says how each went
    let log = deliveries(&app, &hook).await;
    assert!(log.len() >= 2, "{log:?}");
    for d in &log {
        assert_eq!(d["state"], "delivered", "{d}");
        assert_eq!(d["last_status"], 204);
        assert_eq!(d["attempts"], 1);
    }

    // switched off, it is told nothing more
    let res = app
        .call(
            "webhook_update",
            json!({"id": hook["id"], "changes": {"active": false}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let before = r.count();
    assert_eq!(power(&app, &id, "start").await.status(), StatusCode::OK);
    wait_status(&app, &id, "running").await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(r.count(), before);
}

#[tokio::test]
async fn a_failing_receiver_is_tried_again_later_and_later() {
    let app = app().await;
    let r = receiver(2).await;
    let res = app
        .call(
            "panel_webhook_create",
            json!({"name": "flaky", "url": r.url, "format": "discord", "events": ["backup.done"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let hook = json(res).await["webhook"].clone();
    assert_eq!(
        app.call("webhook_test", json!({"id": hook["id"]}))
            .await
            .status(),
        StatusCode::OK
    );
    // failed twice (500), delivered the third time, after 1 s and then 4 s
    for _ in 0..200 {
        if r.count() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let got = r.got.lock().unwrap().clone();
    assert_eq!(got.len(), 3);
    let first_wait = got[1].at - got[0].at;
    let second_wait = got[2].at - got[1].at;
    assert!(first_wait >= Duration::from_millis(900), "{first_wait:?}");
    assert!(
        second_wait >= Duration::from_millis(3500),
        "{second_wait:?}"
    );
    // the same delivery each time, written for Discord
    assert_eq!(
        got[0].headers["x-panel-delivery"],
        got[2].headers["x-panel-delivery"]
    );
    let message: Value = serde_json::from_str(&got[2].body).unwrap();
    assert_eq!(
        message["content"],
        "A test from the panel: this webhook works."
    );
    assert_eq!(message["allowed_mentions"]["parse"], json!([]));
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = deliveries(&app, &hook).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["state"], "delivered");
    assert_eq!(log[0]["attempts"], 3);
    assert_eq!(log[0]["event"], "webhook.test");
}

#[tokio::test]
async fn bad_webhooks_and_callers_are_refused_and_change_nothing() {
    // the default: the panel's own network is out of reach
    let app = TestApp::spawn().await;
    assert_eq!(
        app.setup_admin("admin", "admin-password-1").await.status(),
        StatusCode::OK
    );
    let (t, p) = ids(&app, "vanilla", "small").await;
    let id = json(create(&app, "refusals", &t, &p).await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let good = json!({"id": id, "name": "ok", "url": "https://hooks.example.com/x",
        "format": "json", "events": ["server.started"]});
    for (field, value, says) in [
        ("url", json!("http://127.0.0.1:9/x"), "own network"),
        ("url", json!("http://169.254.169.254/latest"), "own network"),
        ("url", json!("http://[::1]/"), "own network"),
        ("url", json!("http://localhost:8080/"), "own network"),
        ("url", json!("ftp://example.com/x"), "http"),
        ("url", json!("https://user:pw@example.com/"), "password"),
        ("name", json!(""), "1 to 64"),
        ("name", json!("x".repeat(65)), "1 to 64"),
        ("events", json!([]), "at least one"),
        ("events", json!(["webhook.test"]), "at least one"),
    ] {
        let mut body = good.clone();
        body[field] = value;
        let res = app.call("webhook_create", body).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{field}");
        let message = json(res).await["message"].as_str().unwrap().to_string();
        assert!(message.contains(says), "{field}: {message}");
    }
    for (field, value) in [
        ("events", json!(["server.exploded"])),
        ("format", json!("xml")),
    ] {
        let mut body = good.clone();
        body[field] = value;
        assert_eq!(
            app.call("webhook_create", body).await.status(),
            StatusCode::BAD_REQUEST,
            "{field}"
        );
    }
    assert_eq!(
        json(app.call("webhooks", json!({"id": id})).await).await,
        json!([])
    );
    let made = json(app.call("webhook_create", good.clone()).await).await;
    let hook = made["webhook"]["id"].clone();
    assert!(hook.is_string(), "{made}");

    // a member with the console alone may not see or touch them; a stranger is told there is
    // no such webhook; a user who is not an administrator has no panel webhooks
    app.plain_user("member", "member-password-1").await;
    app.plain_user("stranger", "stranger-password-1").await;
    let res = app
        .call(
            "server_member_set",
            json!({"id": id, "username": "member", "permissions": ["console.read"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let member = app.signed_in("member", "member-password-1").await;
    let stranger = app.signed_in("stranger", "stranger-password-1").await;
    assert_eq!(
        app.call_as(&member, "webhooks", json!({"id": id}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call_as(&member, "webhook_create", good.clone())
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    for (endpoint, body) in [
        (
            "webhook_update",
            json!({"id": hook, "changes": {"url": "https://evil.example.com/"}}),
        ),
        ("webhook_delete", json!({"id": hook})),
        ("webhook_test", json!({"id": hook})),
        ("webhook_deliveries", json!({"id": hook})),
    ] {
        assert_eq!(
            app.call_as(&member, endpoint, body.clone()).await.status(),
            StatusCode::FORBIDDEN,
            "member: {endpoint}"
        );
        assert_eq!(
            app.call_as(&stranger, endpoint, body).await.status(),
            StatusCode::NOT_FOUND,
            "stranger: {endpoint}"
        );
    }
    assert_eq!(
        app.call_as(&stranger, "panel_webhooks", json!({}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // nothing changed
    let listed = json(app.call("webhooks", json!({"id": id})).await).await;
    assert_eq!(listed[0]["url"], "https://hooks.example.com/x");
    assert_eq!(listed[0]["active"], true);

    // a bad change changes nothing either; the owner deletes it
    let res = app
        .call(
            "webhook_update",
            json!({"id": hook, "changes": {"name": "renamed", "url": "http://10.0.0.1/"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let listed = json(app.call("webhooks", json!({"id": id})).await).await;
    assert_eq!(listed[0]["name"], "ok");
    assert_eq!(
        app.call("webhook_delete", json!({"id": hook}))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.call("webhook_delete", json!({"id": hook}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
