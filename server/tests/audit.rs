//! The audit log as people read it: administrators see everything, owners their servers' entries
//! only; filters by server and action prefix; paging; retention.

mod common;

use common::servers::{create, ids};
use common::{TestApp, json};
use diesel_async::RunQueryDsl;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn audit_as(app: &TestApp, cookie: Option<&str>, body: Value) -> reqwest::Response {
    common::call_with(app, cookie, "audit_log", &body).await
}

#[tokio::test]
async fn owners_see_their_servers_admins_see_all() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    app.plain_user("pat", "a long enough password").await;
    let pat = common::ws::login_cookie(&app, "pat", "a long enough password").await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let admins = json(create(&app, "admins-own", &t, &p).await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = reqwest::Client::new()
        .post(app.url("/api/server_create"))
        .header("cookie", &pat)
        .header("origin", &app.base)
        .header("content-type", "application/json")
        .body(
            json!({"name": "pats-own", "template_id": t, "plan_id": p, "variables": {}})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    let pats = json(res).await["id"].as_str().unwrap().to_string();
    app.call("server_power", json!({"id": admins, "action": "stop"}))
        .await;

    // The admin sees both servers' entries, with names
    let all = json(app.call("audit_log", json!({})).await).await;
    let all = all.as_array().unwrap();
    assert!(
        all.iter()
            .any(|e| e["server"] == "pats-own" && e["actor"] == "pat")
    );
    assert!(
        all.iter()
            .any(|e| e["server"] == "admins-own" && e["action"] == "server.stop")
    );
    assert!(
        all.windows(2)
            .all(|w| w[0]["id"].as_i64() > w[1]["id"].as_i64()),
        "newest first"
    );

    // pat sees only her server's
    let mine = json(audit_as(&app, Some(&pat), json!({})).await).await;
    let mine = mine.as_array().unwrap();
    assert!(!mine.is_empty());
    assert!(
        mine.iter().all(|e| e["server_id"] == pats.as_str()),
        "{mine:?}"
    );
    let res = audit_as(&app, Some(&pat), json!({"server_id": admins})).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        audit_as(&app, None, json!({})).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Filters: by server, by action prefix (literal, not a pattern), paging
    let one = json(app.call("audit_log", json!({"server_id": admins})).await).await;
    assert!(
        one.as_array()
            .unwrap()
            .iter()
            .all(|e| e["server_id"] == admins.as_str())
    );
    let power = json(app.call("audit_log", json!({"action": "server.sto"})).await).await;
    assert!(!power.as_array().unwrap().is_empty());
    assert!(
        power
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["action"] == "server.stop")
    );
    let none = json(app.call("audit_log", json!({"action": "server_"})).await).await;
    assert!(none.as_array().unwrap().is_empty(), "_ is not a wildcard");
    let newest = all[0]["id"].as_i64().unwrap();
    let older = json(app.call("audit_log", json!({"before": newest})).await).await;
    assert_eq!(older.as_array().unwrap().len(), all.len() - 1);

    // Retention: entries past it are pruned
    let mut c = app.pool.get().await.unwrap();
    diesel::sql_query("INSERT INTO audit_log (at, action, outcome) VALUES (now() - interval '400 days', 'old.thing', 'ok')")
        .execute(&mut c)
        .await
        .unwrap();
    assert_eq!(db::Audit::prune(&mut c, 365).await.unwrap(), 1);
    assert_eq!(db::Audit::prune(&mut c, 365).await.unwrap(), 0);
}
