//! Servers end to end: the JSON API, a real Postgres, and fakekube running mcsim.

mod common;

use std::time::Duration;

use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

async fn ids(app: &TestApp, slug_template: &str, slug_plan: &str) -> (String, String) {
    let templates = json(app.call("templates", json!({})).await).await;
    let plans = json(app.call("plans", json!({})).await).await;
    let t = templates
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == slug_template)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let p = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == slug_plan)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    (t, p)
}

async fn server(app: &TestApp, id: &str) -> Value {
    json(app.call("server", json!({"id": id})).await).await
}

async fn wait_status(app: &TestApp, id: &str, want: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let s = server(app, id).await;
        if s["status"] == want {
            return s;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {want}; last {s}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn power(app: &TestApp, id: &str, action: &str) -> reqwest::Response {
    app.call("server_power", json!({"id": id, "action": action}))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_run_stop_start_restart_kill_delete_and_recreate_on_the_same_world() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "paper", "small").await;

    // Create: the server starts and reaches Running (the pod is ready: mc-health answers).
    let res = app
        .call("server_create", json!({"name": "survival", "template_id": t, "plan_id": p, "variables": {"MOTD": "Hi there", "VERSION": "1.21.4"}}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let created = json(res).await;
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["desired"], "running");
    assert_eq!(created["variables"]["MOTD"], "Hi there");
    wait_status(&app, &id, "running").await;
    let listed = json(app.call("servers", json!({})).await).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // The world was written on the volume by the server.
    let fake = app.fake.as_ref().unwrap();
    let world = fake
        .cluster
        .kubelet
        .runtime()
        .claim_dir(&app.config.namespace, "data-survival-0");
    assert!(world.join("server.properties").exists());
    std::fs::write(world.join("marker.txt"), "keep me").unwrap();

    // Stop: graceful, then stopped; stopping again is harmless.
    assert_eq!(power(&app, &id, "stop").await.status(), StatusCode::OK);
    wait_status(&app, &id, "stopped").await;
    let log = std::fs::read_to_string(world.join("logs/latest.log")).unwrap();
    assert!(
        log.contains("All chunks are saved"),
        "graceful stop saved the world"
    );
    assert_eq!(power(&app, &id, "stop").await.status(), StatusCode::OK);
    // Restart and kill make no sense now.
    let res = power(&app, &id, "restart").await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        json(res).await["message"]
            .as_str()
            .unwrap()
            .contains("start it instead")
    );
    assert_eq!(
        power(&app, &id, "kill").await.status(),
        StatusCode::CONFLICT
    );

    // Start, restart, kill.
    assert_eq!(power(&app, &id, "start").await.status(), StatusCode::OK);
    wait_status(&app, &id, "running").await;
    assert_eq!(power(&app, &id, "restart").await.status(), StatusCode::OK);
    wait_status(&app, &id, "running").await;
    assert_eq!(power(&app, &id, "kill").await.status(), StatusCode::OK);
    wait_status(&app, &id, "stopped").await;

    // Delete keeping the world, then a new server with the same name finds it.
    let res = app
        .call("server_delete", json!({"id": id, "keep_world": true}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.call("server", json!({"id": id})).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(world.join("marker.txt").exists(), "the world survived");
    let again = json(
        app.call(
            "server_create",
            json!({"name": "survival", "template_id": t, "plan_id": p, "variables": {}}),
        )
        .await,
    )
    .await;
    let id2 = again["id"].as_str().unwrap().to_string();
    wait_status(&app, &id2, "running").await;
    assert_eq!(
        std::fs::read_to_string(world.join("marker.txt")).unwrap(),
        "keep me"
    );

    // Delete with the world.
    let res = app
        .call("server_delete", json!({"id": id2, "keep_world": false}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while world.exists() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let kube = fake.cluster.store.clone();
    let pvc = kube.get(
        fakekube::resources::by_kind("PersistentVolumeClaim"),
        &app.config.namespace,
        "data-survival-0",
    );
    assert!(pvc.is_err(), "the volume claim is gone");

    // Everything was audited.
    let mut c = app.pool.get().await.unwrap();
    let actions = db::Audit::actions_for(&mut c, id.parse().unwrap())
        .await
        .unwrap();
    let names: Vec<&str> = actions.iter().map(|(a, _)| a.as_str()).collect();
    for want in [
        "server.create",
        "server.stop",
        "server.restart",
        "server.start",
        "server.kill",
        "server.delete",
    ] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
}

#[tokio::test]
async fn bad_names_and_variables_are_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    for (name, vars, says) in [
        ("Bad_Name", json!({}), "lowercase"),
        ("-x", json!({}), "lowercase"),
        (&"a".repeat(41) as &str, json!({}), "1 to 40"),
        (
            "ok",
            json!({"DIFFICULTY": "impossible"}),
            "DIFFICULTY is not valid",
        ),
        ("ok", json!({"NOPE": "1"}), "Unknown variable"),
        ("ok", json!({"ENABLE_RCON": "false"}), "Unknown variable"),
        ("ok", json!({"VERSION": ""}), "VERSION is required"),
    ] {
        let res = app
            .call(
                "server_create",
                json!({"name": name, "template_id": t, "plan_id": p, "variables": vars}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{name} {vars}");
        let body = json(res).await;
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
    }
    let res = app
        .call("server_create", json!({"name": "ok", "template_id": uuid::Uuid::new_v4(), "plan_id": p, "variables": {}}))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(app.call("servers", json!({})).await).await, json!([]));
    let fake = app.fake.as_ref().unwrap();
    let (sts, _) = fake.cluster.store.list(
        fakekube::resources::by_kind("StatefulSet"),
        None,
        &Default::default(),
        &Default::default(),
    );
    assert!(sts.is_empty(), "nothing reached the cluster");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_creations_never_exceed_the_quota() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    // quota: 2 servers
    {
        use diesel_async::RunQueryDsl;
        let mut c = app.pool.get().await.unwrap();
        diesel::sql_query("UPDATE users SET max_servers = 2")
            .execute(&mut c)
            .await
            .unwrap();
    }
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..10 {
        let url = app.url("/api/server_create");
        let origin = app.base.clone();
        let client = app.client.clone();
        let body =
            json!({"name": format!("race-{i}"), "template_id": t, "plan_id": p, "variables": {}});
        tasks.spawn(async move {
            client
                .post(url)
                .header("origin", origin)
                .header("content-type", "application/json")
                .body(body.to_string())
                .send()
                .await
                .unwrap()
                .status()
        });
    }
    let statuses = tasks.join_all().await;
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        2,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::FORBIDDEN),
        "{statuses:?}"
    );
    assert_eq!(
        json(app.call("servers", json!({})).await)
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let res = app
        .call(
            "server_create",
            json!({"name": "one-more", "template_id": t, "plan_id": p, "variables": {}}),
        )
        .await;
    assert!(
        json(res).await["message"]
            .as_str()
            .unwrap()
            .contains("limit of 2 servers")
    );
}

#[tokio::test]
async fn other_users_cannot_see_or_touch_a_server() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    server::cli::create_admin(
        &app.pool,
        "placeholder",
        &b"a long enough password\n"[..],
        12,
    )
    .await
    .unwrap();
    // a plain user
    {
        use diesel_async::RunQueryDsl;
        let mut c = app.pool.get().await.unwrap();
        diesel::sql_query("UPDATE users SET is_admin = false WHERE username = 'placeholder'")
            .execute(&mut c)
            .await
            .unwrap();
    }
    let (t, p) = ids(&app, "vanilla", "small").await;
    let created = json(
        app.call(
            "server_create",
            json!({"name": "mine", "template_id": t, "plan_id": p, "variables": {}}),
        )
        .await,
    )
    .await;
    let id = created["id"].as_str().unwrap();

    let other = TestApp::new_client();
    let res = app
        .call_as(
            &other,
            "login",
            json!({"username": "placeholder", "password": "a long enough password"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        json(app.call_as(&other, "servers", json!({})).await).await,
        json!([])
    );
    for (endpoint, body) in [
        ("server", json!({"id": id})),
        ("server_power", json!({"id": id, "action": "stop"})),
        ("server_delete", json!({"id": id, "keep_world": true})),
    ] {
        let res = app.call_as(&other, endpoint, body).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{endpoint}");
    }
    // and anonymous callers are refused
    let anon = TestApp::new_client();
    assert_eq!(
        app.call_as(&anon, "servers", json!({})).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.call_as(&anon, "templates", json!({})).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // the server is untouched
    assert_eq!(server(&app, id).await["desired"], "running");
}
