//! The graphs' data: a running server is sampled (CPU and memory from the cluster's metrics
//! API, players from its ping), a server's graph and the panel's sum read back, and refusals.

mod common;

use std::time::Duration;

use common::servers::{create, ids, power, wait_status};
use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn graphs(app: &TestApp, endpoint: &str, body: Value) -> Value {
    let res = app.call(endpoint, body).await;
    assert_eq!(res.status(), StatusCode::OK);
    json(res).await
}

#[tokio::test]
async fn running_servers_are_sampled_and_graphed() {
    let app = TestApp::spawn_with(|c| c.sample_secs = 1).await;
    assert_eq!(
        app.setup_admin("admin", "admin-password-1").await.status(),
        StatusCode::OK
    );
    let (t, p) = ids(&app, "vanilla", "small").await;
    let id = json(create(&app, "graphed", &t, &p).await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    wait_status(&app, &id, "running").await;
    let mut got = Value::Null;
    for _ in 0..100 {
        got = graphs(&app, "server_graphs", json!({"id": id, "hours": 1})).await;
        let with_players = got["samples"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["players"].is_number() && s["memory_mib"].is_number())
            .count();
        if with_players >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert_eq!(got["every_secs"], 1);
    let samples = got["samples"].as_array().unwrap();
    assert!(samples.len() >= 3, "{got}");
    let last = samples.last().unwrap();
    assert_eq!(last["players"], 0, "{last}");
    assert!(last["memory_mib"].as_i64().unwrap() > 0, "{last}");
    assert!(last["cpu_millis"].is_number(), "{last}");
    // oldest first, one point a round
    let times: Vec<&str> = samples.iter().map(|s| s["at"].as_str().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(times, sorted);

    // the panel's graph sums every server; a stopped server adds no more points
    let panel = graphs(&app, "panel_graphs", json!({"hours": 24})).await;
    let last_total = panel["samples"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last_total["servers"], 1);
    assert_eq!(power(&app, &id, "stop").await.status(), StatusCode::OK);
    wait_status(&app, &id, "stopped").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let before = graphs(&app, "server_graphs", json!({"id": id, "hours": 1})).await["samples"]
        .as_array()
        .unwrap()
        .len();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let after = graphs(&app, "server_graphs", json!({"id": id, "hours": 1})).await["samples"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after, "no points while stopped");

    // refusals: the hours, a member without the console, a stranger, a non-administrator
    for hours in [0, 25] {
        let res = app
            .call("server_graphs", json!({"id": id, "hours": hours}))
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{hours}");
    }
    app.plain_user("member", "member-password-1").await;
    app.plain_user("stranger", "stranger-password-1").await;
    let res = app
        .call(
            "server_member_set",
            json!({"id": id, "username": "member", "permissions": ["files.read"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let member = app.signed_in("member", "member-password-1").await;
    let stranger = app.signed_in("stranger", "stranger-password-1").await;
    let body = json!({"id": id, "hours": 1});
    assert_eq!(
        app.call_as(&member, "server_graphs", body.clone())
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call_as(&stranger, "server_graphs", body).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call_as(&member, "panel_graphs", json!({"hours": 1}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
