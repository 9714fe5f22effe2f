//! Who may play, end to end: the JSON API, a real Postgres, fakekube (or the real control plane)
//! running mcsim, which keeps `whitelist.json`, `ops.json` and `banned-players.json` as a real
//! server does. A running server's lists change through its console; a stopped server's through
//! its files, which the game reads at its next start. Bad names and reasons are refused and
//! change nothing; an online-mode server that is stopped cannot take a player it would have to
//! look up.

mod common;

use common::servers::{audit_actions, ids, message, power, wait_status};
use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";
const SUITE: &str = "panel players";

both!(SUITE, lists_follow_the_console_and_the_files);

async fn lists(app: &TestApp, id: &str) -> Value {
    let res = app.call("players", json!({"id": id})).await;
    let status = res.status();
    let body = json(res).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn act(app: &TestApp, id: &str, action: Value) -> reqwest::Response {
    app.call("player_action", json!({"id": id, "action": action}))
        .await
}

async fn ok(app: &TestApp, id: &str, action: Value) -> Value {
    let res = act(app, id, action.clone()).await;
    assert_eq!(res.status(), StatusCode::OK, "{action}");
    json(res).await
}

fn names(lists: &Value, which: &str) -> Vec<String> {
    lists[which]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

/// The UUID an offline-mode server gives a name (Java's `UUID.nameUUIDFromBytes`).
fn offline(name: &str) -> String {
    panel_core::player_lists::offline_uuid(name)
}

/// A running Vanilla server of the administrator's, in offline mode unless `online`.
async fn running_server(app: &TestApp, name: &str, online: bool) -> String {
    let (t, p) = ids(app, "vanilla", "small").await;
    let res = app
        .call(
            "server_create",
            json!({"name": name, "template_id": t, "plan_id": p,
                "variables": {"ONLINE_MODE": online.to_string()}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let id = json(res).await["id"].as_str().unwrap().to_string();
    wait_status(app, &id, "running").await;
    id
}

async fn lists_follow_the_console_and_the_files(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    let id = running_server(&app, "lists", false).await;

    // A new server: nobody on any list, the whitelist off.
    let l = lists(&app, &id).await;
    assert_eq!(l["running"], true);
    assert_eq!(l["whitelist_on"], false);
    assert!(names(&l, "whitelist").is_empty() && names(&l, "ops").is_empty());

    // Through the console: each change is read back from the game's own files.
    let l = ok(
        &app,
        &id,
        json!({"action": "whitelist_add", "player": "Alex"}),
    )
    .await;
    assert_eq!(
        l["whitelist"],
        json!([{"name": "Alex", "uuid": offline("Alex")}])
    );
    let l = ok(&app, &id, json!({"action": "op", "player": "Alex"})).await;
    assert_eq!(l["ops"][0]["name"], "Alex");
    assert_eq!(l["ops"][0]["level"], 4);
    let l = ok(
        &app,
        &id,
        json!({"action": "ban", "player": "Griefer", "reason": "broke the spawn"}),
    )
    .await;
    assert_eq!(names(&l, "bans"), ["Griefer"]);
    assert_eq!(l["bans"][0]["reason"], "broke the spawn");
    let l = ok(&app, &id, json!({"action": "whitelist", "on": true})).await;
    assert_eq!(l["whitelist_on"], true);
    // doing it twice is no error: the lists already say so
    ok(&app, &id, json!({"action": "op", "player": "alex"})).await;

    // Bad input is refused with the reason, and nothing changes.
    for (action, says) in [
        (
            json!({"action": "ban", "player": "Alex;stop"}),
            "player name",
        ),
        (json!({"action": "op", "player": ""}), "player name"),
        (json!({"action": "op", "player": "@a"}), "player name"),
        (
            json!({"action": "whitelist_add", "player": "ABCDEFGHIJKLMNOPQ"}),
            "player name",
        ),
        (
            json!({"action": "kick", "player": "Alex", "reason": "bye\nop Griefer"}),
            "one line",
        ),
    ] {
        let res = act(&app, &id, action.clone()).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{action}");
        assert!(message(res).await.contains(says), "{action}");
    }
    let res = act(&app, &id, json!({"action": "smite", "player": "Alex"})).await;
    assert!(res.status().is_client_error(), "an unknown action");
    let l = lists(&app, &id).await;
    assert_eq!(names(&l, "ops"), ["Alex"]);
    assert_eq!(names(&l, "bans"), ["Griefer"]);

    // Stopped: the files are changed, and the game reads them at its next start.
    assert_eq!(power(&app, &id, "stop").await.status(), StatusCode::OK);
    wait_status(&app, &id, "stopped").await;
    let l = lists(&app, &id).await;
    assert_eq!(l["running"], false);
    assert_eq!(names(&l, "bans"), ["Griefer"], "read from the files");
    let l = ok(&app, &id, json!({"action": "pardon", "player": "Griefer"})).await;
    assert!(names(&l, "bans").is_empty());
    ok(&app, &id, json!({"action": "deop", "player": "Alex"})).await;
    let l = ok(
        &app,
        &id,
        json!({"action": "whitelist_add", "player": "Steve"}),
    )
    .await;
    assert_eq!(
        l["whitelist"][1],
        json!({"name": "Steve", "uuid": offline("Steve")})
    );
    let l = ok(&app, &id, json!({"action": "whitelist", "on": false})).await;
    assert_eq!(l["whitelist_on"], false);
    let res = act(&app, &id, json!({"action": "kick", "player": "Alex"})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(message(res).await.contains("stopped"));

    assert_eq!(power(&app, &id, "start").await.status(), StatusCode::OK);
    wait_status(&app, &id, "running").await;
    let l = lists(&app, &id).await;
    assert_eq!(l["running"], true);
    assert_eq!(names(&l, "whitelist"), ["Alex", "Steve"]);
    assert!(names(&l, "ops").is_empty() && names(&l, "bans").is_empty());
    assert_eq!(l["whitelist_on"], false);
    // the game itself read them: removing Steve through its console works only if it knew him
    let l = ok(
        &app,
        &id,
        json!({"action": "whitelist_remove", "player": "Steve"}),
    )
    .await;
    assert_eq!(names(&l, "whitelist"), ["Alex"], "the game knew Steve");

    // Every change is in the audit log.
    let names = audit_actions(&app, &id).await;
    for want in [
        "player.whitelist_add",
        "player.op",
        "player.ban",
        "player.whitelist_on",
        "player.pardon",
        "player.deop",
        "player.whitelist_off",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_online_mode_server_cannot_take_a_player_it_would_look_up() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let id = running_server(&app, "online", true).await;
    assert_eq!(power(&app, &id, "stop").await.status(), StatusCode::OK);
    wait_status(&app, &id, "stopped").await;
    for action in [
        json!({"action": "whitelist_add", "player": "Alex"}),
        json!({"action": "op", "player": "Alex"}),
        json!({"action": "ban", "player": "Alex"}),
    ] {
        let res = act(&app, &id, action).await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        assert!(message(res).await.contains("online mode"));
    }
    // removals need no lookup
    ok(&app, &id, json!({"action": "pardon", "player": "Alex"})).await;
    let l = lists(&app, &id).await;
    assert!(names(&l, "whitelist").is_empty() && names(&l, "ops").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_file_the_game_cannot_read_is_not_overwritten() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let id = running_server(&app, "broken", false).await;
    assert_eq!(power(&app, &id, "stop").await.status(), StatusCode::OK);
    wait_status(&app, &id, "stopped").await;
    let res = app
        .call(
            "file_write",
            json!({"id": id, "path": "/ops.json", "content": "[{\"name\": \"Alex\""}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = act(&app, &id, json!({"action": "op", "player": "Steve"})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(message(res).await.contains("ops.json is not a list"));
    let res = app
        .call("file_read", json!({"id": id, "path": "/ops.json"}))
        .await;
    assert_eq!(json(res).await["content"], "[{\"name\": \"Alex\"");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn making_an_operator_also_takes_the_right_to_type_in_the_console() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let id = running_server(&app, "ruled", false).await;
    app.plain_user("mia", PASSWORD).await;
    let set = |perms: Value| json!({"id": id, "username": "mia", "permissions": perms});
    let res = app.call("server_member_set", set(json!(["players"]))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let mia = app.signed_in("mia", PASSWORD).await;
    let as_mia =
        |action: Value| app.call_as(&mia, "player_action", json!({"id": id, "action": action}));
    // the whitelist and bans are hers to keep
    let res = as_mia(json!({"action": "whitelist_add", "player": "Alex"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    // an operator runs any command: refused, and nothing changed
    let res = as_mia(json!({"action": "op", "player": "Alex"})).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(message(res).await.contains("console.write"));
    assert!(names(&lists(&app, &id).await, "ops").is_empty());
    let res = app
        .call(
            "server_member_set",
            set(json!(["players", "console.write"])),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = as_mia(json!({"action": "op", "player": "Alex"})).await;
    assert_eq!(res.status(), StatusCode::OK);
}
