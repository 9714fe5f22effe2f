//! Template administration: export, import (checked before anything is written), delete.

mod common;

use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn templates(app: &TestApp) -> Vec<Value> {
    json(app.call("templates", json!({})).await)
        .await
        .as_array()
        .unwrap()
        .clone()
}

fn id_of(list: &[Value], slug: &str) -> String {
    list.iter().find(|t| t["slug"] == slug).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn export_import_round_trip_and_refusals() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let list = templates(&app).await;
    assert_eq!(list.len(), 6, "six seeded templates");
    let paper = id_of(&list, "paper");
    // the built-in templates' variables carry names for people and kinds (a modpack's pack
    // decides its game version: it has none)
    for t in &list {
        if t["slug"] == "modpack" {
            assert!(
                t["variables"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|v| v["name"] != "VERSION")
            );
            assert_eq!(t["variables"][0]["label"], "Modpack", "{t}");
            continue;
        }
        let var = |name: &str| {
            t["variables"]
                .as_array()
                .unwrap()
                .iter()
                .find(|v| v["name"] == name)
                .cloned()
                .unwrap()
        };
        assert_eq!(var("DIFFICULTY")["label"], "Difficulty", "{t}");
        assert_eq!(var("DIFFICULTY")["kind"]["options"][3]["value"], "hard");
        assert_eq!(var("ONLINE_MODE")["kind"], json!({"type": "bool"}));
        assert_eq!(
            var("MAX_PLAYERS")["kind"],
            json!({"type": "number", "min": 1, "max": 1000})
        );
        assert_eq!(var("VERSION")["kind"], json!({"type": "text"}));
        assert_eq!(var("VERSION")["label"], "Minecraft version");
    }

    // Export, change, import as a new template
    let exported = json(app.call("template_export", json!({"id": paper})).await).await;
    assert_eq!(exported["spec"]["fixed_env"]["TYPE"], "PAPER");
    let mut copy = exported.clone();
    copy["name"] = json!("Paper (custom)");
    copy["spec"]["slug"] = json!("paper-custom");
    copy["spec"]["stop_timeout_secs"] = json!(120);
    let res = app.call("template_import", json!({"template": copy})).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["slug"], "paper-custom");
    assert_eq!(templates(&app).await.len(), 7);

    // The same slug again is a conflict
    let res = app.call("template_import", json!({"template": copy})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);

    // Invalid documents are refused with the reason, and nothing is written
    let bad = |path: &str, value: Value| {
        let mut t = exported.clone();
        t["spec"]["slug"] = json!("other");
        // the parent must be there; the key itself may be new (a text variable has no kind)
        let (parent, key) = path.rsplit_once('/').unwrap();
        let parent = if parent.is_empty() {
            &mut t
        } else {
            t.pointer_mut(parent).unwrap()
        };
        parent[key] = value;
        t
    };
    for (t, says) in [
        (bad("/spec/slug", json!("Not A Slug")), "slug"),
        (bad("/spec/data_path", json!("../etc")), "data_path"),
        (
            bad("/spec/stop_timeout_secs", json!(0)),
            "stop_timeout_secs",
        ),
        (
            bad("/spec/started_pattern", json!("(unclosed")),
            "started_pattern",
        ),
        (
            bad(
                "/spec/console",
                json!({"kind": "exec", "command": ["rcon-cli"]}),
            ),
            "{command}",
        ),
        (bad("/spec/variables/0/rule", json!("[")), "rule"),
        (bad("/spec/variables/0/name", json!("lower")), "UPPER_CASE"),
        (
            bad(
                "/spec/variables/0/kind",
                json!({"type": "number", "min": 5, "max": 1}),
            ),
            "the range 5 to 1 is empty",
        ),
        (
            bad("/spec/variables/0/kind", json!({"type": "bool"})),
            "the default must be on or off",
        ),
        (
            bad(
                "/spec/variables/0/kind",
                json!({"type": "choice", "options": []}),
            ),
            "choices",
        ),
        (
            bad("/spec/variables/0/kind", json!({"type": "slider"})),
            "not valid",
        ),
        (bad("/spec/variables/0/label", json!(" ")), "label"),
        (bad("/spec/image", json!("")), "image"),
        (bad("/spec", json!({"slug": "x"})), "not valid"),
        (bad("/name", json!("")), "name"),
    ] {
        let res = app.call("template_import", json!({"template": t})).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{says}");
        let body = json(res).await;
        assert!(
            body["message"].as_str().unwrap().contains(says),
            "{says}: {body}"
        );
    }
    // extra ports: a clear reason too
    let mut t = exported.clone();
    t["spec"]["slug"] = json!("other");
    t["spec"]["extra_ports"] = json!([{"name": "minecraft", "port": 19132, "protocol": "UDP"}]);
    let res = app.call("template_import", json!({"template": t})).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = json(res).await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("extra port minecraft: the name is taken"),
        "{body}"
    );
    t["spec"]["extra_ports"] = json!([{"name": "bedrock", "port": 19132, "protocol": "SCTP"}]);
    let res = app.call("template_import", json!({"template": t})).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(templates(&app).await.len(), 7, "nothing written");

    // Delete: refused while a server uses it, done when unused
    let custom = id_of(&templates(&app).await, "paper-custom");
    let plans = json(app.call("plans", json!({})).await).await;
    let plan = plans[0]["id"].as_str().unwrap();
    let s = json(
        app.call(
            "server_create",
            json!({"name": "uses-it", "template_id": custom, "plan_id": plan, "variables": {}}),
        )
        .await,
    )
    .await;
    let res = app.call("template_delete", json!({"id": custom})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    app.call("server_delete", json!({"id": s["id"], "keep_world": false}))
        .await;
    assert_eq!(
        app.call("template_delete", json!({"id": custom}))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(templates(&app).await.len(), 6);
}

#[tokio::test]
async fn only_administrators_manage_templates() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let paper = id_of(&templates(&app).await, "paper");
    let exported = json(app.call("template_export", json!({"id": paper})).await).await;
    server::cli::create_admin(&app.pool, "player", &b"a long enough password\n"[..], 12)
        .await
        .unwrap();
    {
        use diesel_async::RunQueryDsl;
        let mut c = app.pool.get().await.unwrap();
        diesel::sql_query("UPDATE users SET is_admin = false WHERE username = 'player'")
            .execute(&mut c)
            .await
            .unwrap();
    }
    let player = TestApp::new_client();
    app.call_as(
        &player,
        "login",
        json!({"username": "player", "password": "a long enough password"}),
    )
    .await;
    for (endpoint, body) in [
        ("template_export", json!({"id": paper})),
        ("template_import", json!({"template": exported})),
        ("template_delete", json!({"id": paper})),
    ] {
        let res = app.call_as(&player, endpoint, body).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }
    assert_eq!(templates(&app).await.len(), 6);
}
