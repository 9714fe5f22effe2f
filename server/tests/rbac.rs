//! The chart's Role grants exactly what the panel calls: a server's whole life runs through the
//! panel against fakekube (create, console, commands, files, plan change, power, reconcile with
//! its lease, delete), and every request fakekube served, as (API group, resource, verb), must
//! be in `helm/panel/files/rbac.json`, which must hold nothing more.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::servers::{create, ids, power, wait_status};
use common::{TestApp, json};
use serde_json::json;

/// (group, resource, verb) of one logged request (`GET /api/v1/namespaces/games/pods/x-0/log`),
/// None for discovery and fakekube's own paths.
fn permission(key: &str) -> Vec<(String, String, String)> {
    let (method, rest) = key.split_once(' ').unwrap();
    let watch = rest.ends_with(" (watch)");
    // an apply that created its object: the apiserver authorizes it as `create` as well
    let apply_create = rest.ends_with(" (apply-create)");
    let path = rest
        .trim_end_matches(" (watch)")
        .trim_end_matches(" (apply-create)");
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let (group, tail) = match parts.as_slice() {
        ["api", "v1", "namespaces", _, tail @ ..] => ("".to_string(), tail.to_vec()),
        ["apis", group, _, "namespaces", _, tail @ ..] => (group.to_string(), tail.to_vec()),
        _ => return Vec::new(),
    };
    let (resource, named) = match tail.as_slice() {
        [res] => (res.to_string(), false),
        [res, _name] => (res.to_string(), true),
        [res, _name, sub] => (format!("{res}/{sub}"), true),
        _ => return Vec::new(),
    };
    let verbs: Vec<&str> = match (method, named, watch) {
        // exec and attach are websocket upgrades: authorised as create (and get since 1.30)
        ("GET", true, _) if resource.ends_with("/exec") || resource.ends_with("/attach") => {
            vec!["get", "create"]
        }
        ("GET", true, _) => vec!["get"],
        ("GET", false, true) => vec!["watch"],
        ("GET", false, false) => vec!["list"],
        ("POST", _, _) => vec!["create"],
        ("PUT", _, _) => vec!["update"],
        ("PATCH", _, _) if apply_create => vec!["create"],
        ("PATCH", _, _) => vec!["patch"],
        ("DELETE", true, _) => vec!["delete"],
        ("DELETE", false, _) => vec!["deletecollection"],
        _ => vec![],
    };
    verbs
        .into_iter()
        .map(|v| (group.clone(), resource.clone(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn the_chart_grants_exactly_what_the_panel_calls() {
    let repo = std::env::temp_dir().join(format!("panel-rbac-repo-{}", uuid::Uuid::new_v4()));
    let app = TestApp::spawn_with(|c| c.backup_repository = Some(repo.display().to_string())).await;
    app.put_secret("panel-backups", &[("RESTIC_PASSWORD", "rbac")])
        .await;
    app.setup_admin("admin", "correct horse battery").await;
    tokio::spawn(panel_core::reconcile::run(
        app.state.clone(),
        "rbac-test".into(),
        Duration::from_secs(3600),
    ));
    let (t, p) = ids(&app, "vanilla", "small").await;
    let (_, medium) = ids(&app, "vanilla", "medium").await;
    let id = json(create(&app, "audited", &t, &p).await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    wait_status(&app, &id, "running").await;
    // console: history, stats (metrics), a command
    let path = protocol::live::console_path(id.parse().unwrap());
    let cookie = common::ws::login_cookie(&app, "admin", "correct horse battery").await;
    let mut ws = common::ws::connect(&app, &path, Some(&cookie), Some(&app.base))
        .await
        .unwrap();
    ws.until("stats", |m| common::ws::is(m, "stats")).await;
    ws.send(json!({"event": "send_command", "args": "say hi"}))
        .await;
    ws.until("the answer", |m| common::ws::output_has(m, "hi"))
        .await;
    // files (exec), a backup (its job pod), a bigger plan (the claim grows), power, delete
    app.call("files_list", json!({"id": id, "path": "/"})).await;
    let res = app.call("backup_create", json!({"id": id})).await;
    assert_eq!(res.status(), 200, "{}", json(res).await);
    let mut state = serde_json::Value::Null;
    for _ in 0..120 {
        state =
            json(app.call("backups", json!({"id": id})).await).await["backups"][0]["state"].clone();
        if state != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(state, "done");
    app.call("server_plan", json!({"id": id, "plan_id": medium}))
        .await;
    power(&app, &id, "restart").await;
    wait_status(&app, &id, "running").await;
    power(&app, &id, "kill").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    app.call("server_delete", json!({"id": id, "keep_world": false}))
        .await;
    tokio::time::sleep(Duration::from_secs(1)).await;

    // the reconciler renews its lease every 10 s: wait for one renewal
    let fake = app.fake.as_ref().unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !fake
        .cluster
        .requests
        .snapshot()
        .keys()
        .any(|k| k.starts_with("PUT /apis/coordination.k8s.io"))
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the lease was never renewed"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let log = fake.cluster.requests.snapshot();
    let used: BTreeSet<(String, String, String)> = log.keys().flat_map(|k| permission(k)).collect();
    let rules: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("../../helm/panel/files/rbac.json")).unwrap();
    let mut granted = BTreeSet::new();
    for r in &rules {
        for g in r["apiGroups"].as_array().unwrap() {
            for res in r["resources"].as_array().unwrap() {
                for v in r["verbs"].as_array().unwrap() {
                    granted.insert((
                        g.as_str().unwrap().to_string(),
                        res.as_str().unwrap().to_string(),
                        v.as_str().unwrap().to_string(),
                    ));
                }
            }
        }
    }
    let missing: Vec<_> = used.difference(&granted).collect();
    let unused: Vec<_> = granted.difference(&used).collect();
    assert!(
        missing.is_empty() && unused.is_empty(),
        "the Role must grant exactly what the panel calls\nmissing: {missing:?}\nnever used: {unused:?}\nrequests: {log:#?}"
    );
}

/// The same life on the real control plane, as a ServiceAccount bound to exactly the chart's
/// Role: the apiserver's audit log must hold no refusal (403) of any of the panel's requests.
/// (No node runs pods there yet, so the server never gets past Pending; every call the panel
/// makes to create, change, power and delete it, and the reconciler's lease, still go through
/// the real authorizer.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chart_grants_enough_on_a_real_cluster() {
    const TEST: &str = "the_chart_grants_enough_on_a_real_cluster";
    let Some(app) = TestApp::spawn_real_with("panel rbac", TEST, |c| {
        c.backup_repository = Some("/nowhere/panel-rbac".into())
    })
    .await
    else {
        return;
    };
    let cp = app.real.unwrap();
    let user = realkube::panel_username(&app.config.namespace);
    app.setup_admin("admin", "correct horse battery").await;
    tokio::spawn(panel_core::reconcile::run(
        app.state.clone(),
        "rbac-test".into(),
        Duration::from_secs(3600),
    ));
    let (t, p) = ids(&app, "vanilla", "small").await;
    let (_, medium) = ids(&app, "vanilla", "medium").await;
    let res = create(&app, "2fort", &t, &p).await;
    let status = res.status();
    let body = json(res).await;
    assert_eq!(status, 200, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_secs(2)).await;
    app.call("server_plan", json!({"id": id, "plan_id": medium}))
        .await;
    // a backup: its job pod (it may not get far without a store; the panel's calls are what
    // count)
    let res = app.call("backup_create", json!({"id": id})).await;
    assert_eq!(res.status(), 200, "{}", json(res).await);
    tokio::time::sleep(Duration::from_secs(2)).await;
    for action in ["stop", "start", "restart", "kill"] {
        power(&app, &id, action).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let res = app
        .call("server_delete", json!({"id": id, "keep_world": false}))
        .await;
    assert_eq!(res.status(), 200, "{}", json(res).await);
    // the reconciler takes its lease at once and renews it every 10 s
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let renewed = cp
            .audit_events(&user)
            .iter()
            .any(|e| e["verb"] == "update" && e["objectRef"]["resource"] == "leases");
        if renewed {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the lease was never renewed"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let events = cp.audit_events(&user);
    let forbidden: Vec<String> = events
        .iter()
        .filter(|e| e["responseStatus"]["code"] == 403)
        .map(|e| format!("{} {}", e["verb"], e["requestURI"]))
        .collect();
    assert!(
        forbidden.is_empty(),
        "the apiserver refused the panel's identity: {forbidden:#?}"
    );
    let verbs: BTreeSet<String> = events
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["verb"].as_str().unwrap_or_default(),
                e["objectRef"]["resource"].as_str().unwrap_or_default()
            )
        })
        .collect();
    // (an apply that creates is audited as `patch`, and authorized as `create` too)
    for want in [
        "patch statefulsets",
        "patch services",
        "delete statefulsets",
        "update leases",
    ] {
        assert!(verbs.contains(want), "{want} never made: {verbs:?}");
    }
    realkube::report::ran("panel rbac", TEST);
}
