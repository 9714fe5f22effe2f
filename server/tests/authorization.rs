//! Every registered endpoint, walked from the server-function registry (not a hand list):
//! anonymous callers reach only the public ones, and a revoked session reaches none of the rest.
//! A new endpoint that forgets to authenticate fails here.

mod common;

use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn every_endpoint_requires_a_session_unless_declared_public() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let endpoints = server::api::endpoints();
    assert!(
        endpoints.len() >= 12,
        "the registry lists the API: {endpoints:?}"
    );
    let anonymous = TestApp::new_client();

    // A revoked session: signed in, then signed out, the old cookie replayed.
    let res = app
        .call_as(
            &anonymous,
            "login",
            json!({"username": "admin", "password": "correct horse battery"}),
        )
        .await;
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    app.call_as(&anonymous, "logout", json!({})).await;

    for (path, method) in endpoints {
        let name = path.trim_start_matches("/api/");
        assert_eq!(method, http::Method::POST, "{path}: the API is POST + JSON");
        if app::api::PUBLIC_ENDPOINTS.contains(&name) {
            continue;
        }
        // Arguments are valid in shape, so that only authentication can refuse them.
        let body = json!({
            "id": uuid::Uuid::new_v4(), "name": "x", "template_id": uuid::Uuid::new_v4(),
            "plan_id": uuid::Uuid::new_v4(), "variables": {}, "action": "start", "keep_world": true,
            "template": {"name": "x", "description": "", "spec": {}},
        });
        let res = app.call_as(&anonymous, name, body.clone()).await;
        assert_eq!(
            res.status(),
            StatusCode::UNAUTHORIZED,
            "{path} answered an anonymous caller"
        );
        assert_eq!(json(res).await["error"], "unauthenticated");
        let replayed = reqwest::Client::new()
            .post(app.url(path))
            .header("origin", &app.base)
            .header("content-type", "application/json")
            .header("cookie", &cookie)
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(
            replayed.status(),
            StatusCode::UNAUTHORIZED,
            "{path} accepted a revoked session"
        );
    }
}
