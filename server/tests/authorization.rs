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
        if protocol::guards::guard(name) == Some(protocol::guards::Guard::Public) {
            continue;
        }
        // Arguments are valid in shape, so that only authentication can refuse them.
        let body = json!({
            "id": uuid::Uuid::new_v4(), "name": "x", "template_id": uuid::Uuid::new_v4(),
            "plan_id": uuid::Uuid::new_v4(), "variables": {}, "action": "start", "keep_world": true,
            "template": {"name": "x", "description": "", "spec": {}},
            "path": "/", "from": "/a", "to": "/b", "paths": ["/a"], "content": "", "mode": 420,
            "folder": "/", "names": ["a"], "archive": "a", "format": "zip",
            "user_id": uuid::Uuid::new_v4(), "username": "x", "permissions": [], "scopes": [],
            "current_password": "x", "new_password": "x", "password": "x", "is_admin": false,
            "changes": {}, "code": "000000", "object_name": "x",
            "backup": uuid::Uuid::new_v4(), "locked": true, "wipe": false, "patterns": ["*.log"],
            "plan": {"slug": "x", "name": "x", "cpu_request_millis": 1, "cpu_limit_millis": 1, "memory_mib": 1, "disk_gib": 1},
        });
        let mut body = body;
        body["query"] = json!("x");
        body["project"] = json!("x");
        // a schedule is an id to delete or run, and the whole schedule to save
        body["schedule"] = if name == "schedule_save" {
            json!({"name": "x", "cron": "0 4 * * *", "time_zone": "UTC", "active": true,
                "tasks": [{"action": "backup"}]})
        } else {
            json!(uuid::Uuid::new_v4())
        };
        body["hours"] = json!(6);
        if name.contains("webhook") {
            body["format"] = json!("json");
            body["events"] = json!(["server.started"]);
            body["url"] = json!("https://example.com/hook");
        }
        if name == "player_action" {
            body["action"] = json!({"action": "whitelist", "on": true});
        }
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

/// The websocket endpoints, walked from the list the router mounts: none opens without a live
/// session, and one naming a server refuses a signed-in user who may not see it.
#[tokio::test]
async fn every_socket_requires_a_session_and_its_permission() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    app.plain_user("eve", "a long enough password").await;
    let (t, p) = common::servers::ids(&app, "vanilla", "small").await;
    let created = json(common::servers::create(&app, "walked", &t, &p).await).await;
    let id = created["id"].as_str().unwrap();
    let eve = common::ws::login_cookie(&app, "eve", "a long enough password").await;
    let revoked = common::ws::login_cookie(&app, "eve", "a long enough password").await;
    reqwest::Client::new()
        .post(app.url("/api/logout"))
        .header("origin", &app.base)
        .header("content-type", "application/json")
        .header("cookie", &revoked)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(!panel_core::live::SOCKETS.is_empty());
    for (path, perm) in panel_core::live::SOCKETS {
        let path = path.replace("{id}", id);
        let base = Some(app.base.as_str());
        let anonymous = common::ws::connect(&app, &path, None, base).await.err();
        assert_eq!(
            anonymous,
            Some(401),
            "{path} opened for an anonymous caller"
        );
        let replayed = common::ws::connect(&app, &path, Some(&revoked), base)
            .await
            .err();
        assert_eq!(replayed, Some(401), "{path} opened with a revoked session");
        let stranger = common::ws::connect(&app, &path, Some(&eve), base)
            .await
            .err();
        match perm {
            Some(_) => assert_eq!(stranger, Some(404), "{path} opened for a stranger"),
            None => assert_eq!(stranger, None, "{path} is for every signed-in user"),
        }
    }
}

/// The file manager's streaming routes, walked from the list the router mounts: none answers
/// without a live session, nor a signed-in user who may not see the server.
#[tokio::test]
async fn every_file_route_requires_a_session_and_its_permission() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    app.plain_user("eve", "a long enough password").await;
    let (t, p) = common::servers::ids(&app, "vanilla", "small").await;
    let created = json(common::servers::create(&app, "routes", &t, &p).await).await;
    let id = created["id"].as_str().unwrap();
    let eve = TestApp::new_client();
    app.call_as(
        &eve,
        "login",
        json!({"username": "eve", "password": "a long enough password"}),
    )
    .await;
    assert!(!panel_core::files::http::ROUTES.is_empty());
    for (path, method, _perm) in panel_core::files::http::ROUTES {
        let url = app.url(&path.replace("{id}", id));
        let method = http::Method::from_bytes(method.as_bytes()).unwrap();
        let send = |client: &reqwest::Client| {
            client
                .request(method.clone(), &url)
                .query(&[("path", "/eula.txt")])
                .header("origin", &app.base)
                .header("x-panel-request", "test")
                .body("x")
                .send()
        };
        let anonymous = send(&TestApp::new_client()).await.unwrap();
        assert_eq!(
            anonymous.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
        let stranger = send(&eve).await.unwrap();
        assert_eq!(stranger.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
}
