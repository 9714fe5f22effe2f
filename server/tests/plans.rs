//! Plans, for administrators: added (checked first), renamed, deleted only when unused.

mod common;

use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn plan(slug: &str) -> Value {
    json!({"slug": slug, "name": "Huge", "cpu_request_millis": 1000, "cpu_limit_millis": 4000, "memory_mib": 16384, "disk_gib": 100})
}

#[tokio::test]
async fn plans_are_added_renamed_and_deleted_when_unused() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let res = app.call("plan_create", json!({"plan": plan("huge")})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let huge = json(res).await;
    assert!(huge["jvm_memory_mib"].as_u64().unwrap() > 10_000);
    let res = app.call("plan_create", json!({"plan": plan("huge")})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    for (field, value) in [
        ("slug", json!("Not A Slug")),
        ("cpu_request_millis", json!(5000)),
        ("memory_mib", json!(100)),
        ("disk_gib", json!(0)),
        ("name", json!("")),
    ] {
        let mut p = plan("other");
        p[field] = value;
        let res = app.call("plan_create", json!({"plan": p})).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{field}");
    }
    let plans = json(app.call("plans", json!({})).await).await;
    assert_eq!(
        plans.as_array().unwrap().len(),
        4,
        "nothing else was written"
    );

    let res = app
        .call(
            "plan_rename",
            json!({"id": huge["id"], "name": "Huge (16 GiB)"}),
        )
        .await;
    assert_eq!(json(res).await["name"], "Huge (16 GiB)");

    // In use: refused; unused: deleted
    let (t, _) = common::servers::ids(&app, "vanilla", "small").await;
    app.call("user_update", json!({"id": json(app.call("me", json!({})).await).await["id"], "changes": {"max_memory_mib": 100000, "max_disk_gib": 1000}})).await;
    let res = common::servers::create(&app, "big-one", &t, huge["id"].as_str().unwrap()).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app.call("plan_delete", json!({"id": huge["id"]})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        common::servers::message(res)
            .await
            .contains("use this plan")
    );
    let server = json(app.call("servers", json!({})).await).await[0]["id"].clone();
    app.call("server_delete", json!({"id": server, "keep_world": false}))
        .await;
    let res = app.call("plan_delete", json!({"id": huge["id"]})).await;
    assert_eq!(res.status(), StatusCode::OK);
}
