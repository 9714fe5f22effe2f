//! Servers end to end: the JSON API, a real Postgres, and fakekube running mcsim.

mod common;

use std::time::Duration;

use common::servers::{audit_actions, create, ids, message, power, server, wait_status};
use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

/// The suite's name in the real-cluster report.
const SUITE: &str = "panel servers";

both!(
    SUITE,
    create_run_stop_start_restart_kill_delete_and_recreate_on_the_same_world
);
both!(SUITE, settings_wait_for_the_next_start_while_running);
both!(SUITE, plans_change_within_quota_and_worlds_only_grow);
both!(
    SUITE,
    a_name_starting_with_a_digit_makes_a_server_with_a_reachable_service
);
both!(SUITE, a_kept_world_goes_back_to_its_owner_only);
both!(
    SUITE,
    node_ports_are_handed_out_once_shown_to_join_and_freed_on_delete,
    |c: &mut server::Config| {
        c.expose = server::config::ExposeMode::Nodeport;
        // a range of two, high in the cluster's, that no other test uses
        c.node_ports = (32760, 32761);
    }
);
both!(
    SUITE,
    a_templates_extra_ports_get_node_ports_that_reach_the_pod,
    |c: &mut server::Config| {
        c.expose = server::config::ExposeMode::Nodeport;
        // three ports: one server's game, Bedrock and map ports
        c.node_ports = (32750, 32752);
    }
);
both!(
    SUITE,
    kept_worlds_count_in_the_quota_until_their_owner_deletes_them_for_good
);
both!(
    SUITE,
    behind_the_router_each_server_is_its_name_under_the_domain,
    |c: &mut server::Config| {
        c.expose = server::config::ExposeMode::Hostname;
        c.domain = Some("mc.example.test".into());
    }
);
both!(
    SUITE,
    mc_router_routes_players_by_the_name_the_panel_shows,
    |c: &mut server::Config| {
        c.expose = server::config::ExposeMode::Hostname;
        c.domain = Some("mc.example.test".into());
    }
);
both!(
    SUITE,
    a_player_joining_a_sleeping_server_wakes_it,
    |c: &mut server::Config| {
        c.expose = server::config::ExposeMode::Hostname;
        c.domain = Some("mc.example.test".into());
        c.wake_on_join = true;
    }
);
both!(
    SUITE,
    a_load_balancer_per_server_is_the_join_address_once_it_has_one,
    |c: &mut server::Config| c.expose = server::config::ExposeMode::Loadbalancer
);

async fn create_run_stop_start_restart_kill_delete_and_recreate_on_the_same_world(app: TestApp) {
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
    // its objects are named from its id, not from the name chosen
    let object = created["object_name"].as_str().unwrap().to_string();
    assert_eq!(object, format!("mc-{}", id.replace('-', "")));
    let claim = format!("data-{object}-0");
    wait_status(&app, &id, "running").await;
    let listed = json(app.call("servers", json!({})).await).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // The world was written on the volume by the server.
    let world = app.world_dir(&object).await;
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
    assert!(message(res).await.contains("start it instead"));
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

    // Delete keeping the world, then a new server of the same owner and name finds it.
    let res = app
        .call("server_delete", json!({"id": id, "keep_world": true}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        app.call("server", json!({"id": id})).await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(world.join("marker.txt").exists(), "the world survived");
    let again = json(create(&app, "survival", &t, &p).await).await;
    let id2 = again["id"].as_str().unwrap().to_string();
    assert_eq!(again["object_name"], object.as_str(), "on the kept world");
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
    // (a real cluster keeps the claim until its pod is gone: the pvc-protection finalizer)
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut claim_left = true;
    while tokio::time::Instant::now() < deadline {
        claim_left = app.object("PersistentVolumeClaim", &claim).await.is_some();
        if !claim_left && !world.exists() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(!claim_left, "the volume claim is gone");
    assert!(!world.exists(), "the world is gone");

    // Everything was audited.
    let names = audit_actions(&app, &id).await;
    for want in [
        "server.create",
        "server.stop",
        "server.restart",
        "server.start",
        "server.kill",
        "server.delete",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
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
            "Difficulty must be one of peaceful, easy, normal, hard.",
        ),
        (
            "ok",
            json!({"MAX_PLAYERS": "1001"}),
            "Most players online must be a whole number from 1 to 1000.",
        ),
        (
            "ok",
            json!({"ONLINE_MODE": "yes"}),
            "Check accounts (online mode) must be on or off (true or false).",
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
        let body =
            json!({"name": format!("race-{i}"), "template_id": t, "plan_id": p, "variables": {}});
        tasks.spawn(app.call_detached(app.client.clone(), "server_create", body));
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
    assert!(message(res).await.contains("limit of 2 servers"));
}

#[tokio::test]
async fn other_users_cannot_see_or_touch_a_server() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    app.plain_user("placeholder", "a long enough password")
        .await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let created = json(create(&app, "mine", &t, &p).await).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reconciler_creates_what_is_missing_repairs_drift_and_removes_orphans() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let fake = app.fake.as_ref().unwrap();
    let store = fake.cluster.store.clone();
    let sts_kind = fakekube::resources::by_kind("StatefulSet");
    let ns = app.config.namespace.clone();

    // Given a row written but never applied (the panel died in between)
    let admin = {
        let mut c = app.pool.get().await.unwrap();
        db::User::find_by_username(&mut c, "admin")
            .await
            .unwrap()
            .unwrap()
    };
    let lost_id = uuid::Uuid::new_v4();
    {
        let mut c = app.pool.get().await.unwrap();
        let new = db::NewServer {
            id: lost_id,
            name: "lost".into(),
            object_name: db::object_name_for(lost_id),
            storage_class: None,
            owner_id: admin.id,
            template_id: t.parse().unwrap(),
            plan_id: p.parse().unwrap(),
            variables: json!({}),
            desired: protocol::Desired::Running,
        };
        db::Server::create_within_quota(&mut c, new, 2048, 10, None, &[])
            .await
            .unwrap()
            .unwrap();
    }
    // and a server someone edited behind the panel's back
    let drifted = json(create(&app, "drifted", &t, &p).await).await;
    let drifted_name = drifted["object_name"].as_str().unwrap().to_string();
    wait_status(&app, drifted["id"].as_str().unwrap(), "running").await;
    store
        .patch(
            sts_kind,
            &ns,
            &drifted_name,
            fakekube::store::PatchKind::Merge,
            &json!({"spec": {"replicas": 0}}),
            "someone",
            fakekube::store::Target::Main,
        )
        .unwrap();
    // and an object labelled as ours that no server owns
    store
        .create(sts_kind, &ns, json!({"metadata": {"name": "orphan", "labels": {"app.kubernetes.io/managed-by": "mc-panel", "panel.minecraft/server-id": uuid::Uuid::new_v4().to_string()}},
            "spec": {"replicas": 0, "serviceName": "orphan", "selector": {"matchLabels": {"x": "y"}}, "template": {"metadata": {"labels": {"x": "y"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}))
        .unwrap();

    // When the reconciler runs
    let report = panel_core::reconcile::reconcile_once(&app.state)
        .await
        .unwrap();

    // Then everything matches the database
    assert_eq!(report.applied, 2);
    assert_eq!(report.orphans_removed, 1);
    assert!(store.get(sts_kind, &ns, "orphan").is_err());
    assert_eq!(
        store.get(sts_kind, &ns, &drifted_name).unwrap()["spec"]["replicas"],
        1
    );
    assert!(
        store
            .get(sts_kind, &ns, &db::object_name_for(lost_id))
            .is_ok()
    );
    wait_status(&app, &lost_id.to_string(), "running").await;
    wait_status(&app, drifted["id"].as_str().unwrap(), "running").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cluster_down_refuses_fast_and_converges_when_back() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let faults = &app.fake.as_ref().unwrap().cluster.faults;
    faults.apply(&fakekube::FaultRequest {
        unavailable: Some(true),
        ..Default::default()
    });

    // Creating while the cluster is down is refused at once, with the reason; nothing is kept.
    let started = std::time::Instant::now();
    let res = app
        .call(
            "server_create",
            json!({"name": "patient", "template_id": t, "plan_id": p, "variables": {}}),
        )
        .await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "no long retries in a user's request"
    );
    assert_eq!(res.status(), StatusCode::BAD_GATEWAY);
    assert!(message(res).await.contains("unreachable"));
    assert_eq!(json(app.call("servers", json!({})).await).await, json!([]));

    // A server made while the cluster was up...
    faults.apply(&fakekube::FaultRequest {
        unavailable: Some(false),
        ..Default::default()
    });
    let s = json(create(&app, "patient", &t, &p).await).await;
    wait_status(&app, s["id"].as_str().unwrap(), "running").await;
    faults.apply(&fakekube::FaultRequest {
        unavailable: Some(true),
        ..Default::default()
    });
    // ...cannot be stopped while it is down: refused with the reason, nothing changes.
    let res = power(&app, s["id"].as_str().unwrap(), "stop").await;
    assert_eq!(res.status(), StatusCode::BAD_GATEWAY);
    assert!(message(res).await.contains("unreachable"));
    assert_eq!(
        server(&app, s["id"].as_str().unwrap()).await["desired"],
        "running"
    );

    // The reconciler makes no progress while it is down, and converges when it is back.
    let report = panel_core::reconcile::reconcile_once(&app.state)
        .await
        .unwrap();
    assert_eq!((report.applied, report.failed), (0, 1));
    faults.apply(&fakekube::FaultRequest {
        unavailable: Some(false),
        ..Default::default()
    });
    let report = panel_core::reconcile::reconcile_once(&app.state)
        .await
        .unwrap();
    assert_eq!((report.applied, report.failed), (1, 0));
    assert_eq!(
        power(&app, s["id"].as_str().unwrap(), "stop")
            .await
            .status(),
        StatusCode::OK
    );
    wait_status(&app, s["id"].as_str().unwrap(), "stopped").await;
}

#[tokio::test]
async fn only_one_replica_holds_the_reconciler_lease() {
    let app = TestApp::spawn().await;
    let kube = &app.state.kube;
    assert!(kube.try_lease("test-lease", "replica-a", 2).await.unwrap());
    assert!(
        !kube.try_lease("test-lease", "replica-b", 2).await.unwrap(),
        "held by a"
    );
    assert!(
        kube.try_lease("test-lease", "replica-a", 2).await.unwrap(),
        "a renews"
    );
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert!(
        kube.try_lease("test-lease", "replica-b", 2).await.unwrap(),
        "expired: b takes it"
    );
    assert!(!kube.try_lease("test-lease", "replica-a", 2).await.unwrap());

    // Remembering the version: renewals are single writes, and a stale version still loses
    let (mut a, mut b) = (None, None);
    assert!(kube.hold_lease("held", "a", 2, &mut a).await.unwrap());
    assert!(a.is_some());
    assert!(
        kube.hold_lease("held", "a", 2, &mut a).await.unwrap(),
        "a renews"
    );
    assert!(
        !kube.hold_lease("held", "b", 2, &mut b).await.unwrap(),
        "held by a"
    );
    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert!(
        kube.hold_lease("held", "b", 2, &mut b).await.unwrap(),
        "expired: b takes it"
    );
    assert!(
        !kube.hold_lease("held", "a", 2, &mut a).await.unwrap(),
        "a's remembered version is stale: it reads, and b holds it"
    );
}

/// An object of the cluster, by kind and name.
async fn object(app: &TestApp, kind: &str, name: &str) -> Option<serde_json::Value> {
    app.object(kind, name).await
}

async fn sts_env(app: &TestApp, name: &str, var: &str) -> Option<String> {
    let sts = object(app, "StatefulSet", name).await?;
    sts.pointer("/spec/template/spec/containers/0/env")?
        .as_array()?
        .iter()
        .find(|e| e["name"] == var)
        .and_then(|e| e["value"].as_str().map(str::to_string))
}

async fn settings_wait_for_the_next_start_while_running(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "tuned", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    let tuned = s["object_name"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    assert_eq!(
        sts_env(&app, &tuned, "MOTD").await.as_deref(),
        Some("A Minecraft server")
    );

    // While it runs, new values wait for the next start or restart.
    let res = app
        .call(
            "server_settings",
            json!({"id": id, "variables": {"MOTD": "Second"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let saved = json(res).await;
    assert_eq!(saved["pending_variables"]["MOTD"], "Second");
    assert_eq!(saved["variables"]["MOTD"], "A Minecraft server");
    assert_eq!(
        sts_env(&app, &tuned, "MOTD").await.as_deref(),
        Some("A Minecraft server"),
        "not applied yet"
    );

    // Bad values are refused and change nothing.
    let res = app
        .call(
            "server_settings",
            json!({"id": id, "variables": {"DIFFICULTY": "nightmare"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        server(&app, &id).await["pending_variables"]["MOTD"],
        "Second"
    );

    // A restart applies them.
    assert_eq!(power(&app, &id, "restart").await.status(), StatusCode::OK);
    assert_eq!(
        sts_env(&app, &tuned, "MOTD").await.as_deref(),
        Some("Second")
    );
    let after = server(&app, &id).await;
    assert_eq!(after["variables"]["MOTD"], "Second");
    assert!(after["pending_variables"].is_null());
    // The StatefulSet replaced the pod: the one that runs now has the new value.
    let mut pod_motd = None;
    for _ in 0..120 {
        let pod = object(&app, "Pod", &format!("{tuned}-0")).await;
        pod_motd = pod.as_ref().and_then(|p| {
            p.pointer("/spec/containers/0/env")?
                .as_array()?
                .iter()
                .find(|e| e["name"] == "MOTD")
                .and_then(|e| e["value"].as_str().map(str::to_string))
        });
        if pod_motd.as_deref() == Some("Second") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(pod_motd.as_deref(), Some("Second"));
    wait_status(&app, &id, "running").await;

    // A stopped server takes them at once, and starts with them.
    assert_eq!(power(&app, &id, "stop").await.status(), StatusCode::OK);
    wait_status(&app, &id, "stopped").await;
    let saved = json(
        app.call(
            "server_settings",
            json!({"id": id, "variables": {"MOTD": "Third"}}),
        )
        .await,
    )
    .await;
    assert_eq!(saved["variables"]["MOTD"], "Third");
    assert!(saved["pending_variables"].is_null());
    assert_eq!(power(&app, &id, "start").await.status(), StatusCode::OK);
    assert_eq!(
        sts_env(&app, &tuned, "MOTD").await.as_deref(),
        Some("Third")
    );
    wait_status(&app, &id, "running").await;
}

/// The memory limit of a server's container, the size of its claim template and of its claim.
/// A quantity in its canonical form, as kube-apiserver writes it back (`2048Mi` is `2Gi`).
fn canonical(q: &str) -> String {
    let mib = q
        .strip_suffix("Gi")
        .map(|n| n.parse::<u64>().unwrap() * 1024)
        .or_else(|| q.strip_suffix("Mi").map(|n| n.parse::<u64>().unwrap()))
        .unwrap_or_else(|| panic!("unexpected quantity {q}"));
    if mib.is_multiple_of(1024) {
        format!("{}Gi", mib / 1024)
    } else {
        format!("{mib}Mi")
    }
}

/// Memory limit, claim template size and claim size of a server's objects (canonical).
async fn sizes(app: &TestApp, name: &str) -> (String, String, String) {
    let sts = object(app, "StatefulSet", name).await.unwrap();
    let pvc = object(app, "PersistentVolumeClaim", &format!("data-{name}-0"))
        .await
        .unwrap();
    let s = |v: &serde_json::Value, p: &str| canonical(v.pointer(p).unwrap().as_str().unwrap());
    (
        s(
            &sts,
            "/spec/template/spec/containers/0/resources/limits/memory",
        ),
        s(
            &sts,
            "/spec/volumeClaimTemplates/0/spec/resources/requests/storage",
        ),
        s(&pvc, "/spec/resources/requests/storage"),
    )
}

async fn plans_change_within_quota_and_worlds_only_grow(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    let (t, small) = ids(&app, "vanilla", "small").await;
    let (_, medium) = ids(&app, "vanilla", "medium").await;
    let (_, large) = ids(&app, "vanilla", "large").await;
    let created = json(create(&app, "grow", &t, &small).await).await;
    let id = created["id"].as_str().unwrap().to_string();
    let grow = created["object_name"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    let change = |plan: &str| app.call("server_plan", json!({"id": id, "plan_id": plan}));

    // Given a running server, when it moves to a larger plan
    let res = change(&medium).await;
    assert_eq!(res.status(), StatusCode::OK);
    let s = json(res).await;
    // Then CPU and memory wait for the restart, and the world grows at once
    assert_eq!(s["pending_plan_id"], medium.as_str());
    assert_eq!(s["plan_id"], small.as_str());
    assert_eq!(
        sizes(&app, &grow).await,
        ("2Gi".into(), "10Gi".into(), "20Gi".into())
    );
    power(&app, &id, "restart").await;
    wait_status(&app, &id, "running").await;
    let s = server(&app, &id).await;
    assert_eq!(s["plan_id"], medium.as_str());
    assert!(s["pending_plan_id"].is_null());
    assert_eq!(
        sizes(&app, &grow).await,
        ("4Gi".into(), "10Gi".into(), "20Gi".into())
    );

    // A smaller disk is refused, and nothing changes
    let res = change(&small).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(message(res).await.contains("cannot shrink"));
    assert_eq!(server(&app, &id).await["plan_id"], medium.as_str());

    // Over the quota (8 GiB of memory: 4 GiB here and 4 GiB in another server) is refused
    let other = json(create(&app, "other", &t, &medium).await).await;
    let res = change(&large).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(message(res).await.contains("quota"));
    assert_eq!(server(&app, &id).await["plan_id"], medium.as_str());
    assert_eq!(sizes(&app, &grow).await.2, "20Gi", "the world did not grow");

    // A stopped server takes a plan at once; the claim template never changes (Kubernetes
    // forbids it, and fakekube too), and the reconciler keeps converging
    app.call(
        "server_delete",
        json!({"id": other["id"], "keep_world": false}),
    )
    .await;
    power(&app, &id, "stop").await;
    wait_status(&app, &id, "stopped").await;
    let res = change(&large).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["plan_id"], large.as_str());
    assert_eq!(
        sizes(&app, &grow).await,
        ("8Gi".into(), "10Gi".into(), "40Gi".into())
    );
    let report = panel_core::reconcile::reconcile_once(&app.state)
        .await
        .unwrap();
    assert_eq!(report.failed, 0);
}

/// A server's world folder in the sandbox.
async fn world_dir(app: &TestApp, object_name: &str) -> std::path::PathBuf {
    app.world_dir(object_name).await
}

async fn a_name_starting_with_a_digit_makes_a_server_with_a_reachable_service(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    // A Service name must start with a letter (DNS-1035): the objects are named from the id.
    let res = create(&app, "2fort", &t, &p).await;
    assert_eq!(res.status(), StatusCode::OK);
    let s = json(res).await;
    assert_eq!(s["name"], "2fort");
    let name = s["object_name"].as_str().unwrap();
    assert!(name.starts_with("mc-"), "{name}");
    let svc = object(&app, "Service", name)
        .await
        .expect("the Service exists");
    assert_eq!(
        svc["metadata"]["annotations"]["panel.minecraft/display-name"],
        "2fort"
    );
    wait_status(&app, s["id"].as_str().unwrap(), "running").await;
}

async fn a_kept_world_goes_back_to_its_owner_only(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    app.plain_user("alice", "alice's long password").await;
    app.plain_user("bob", "bob's long password!").await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let alice = app.signed_in("alice", "alice's long password").await;
    let bob = app.signed_in("bob", "bob's long password!").await;
    let make = async |c: &reqwest::Client| {
        let res = app
            .call_as(
                c,
                "server_create",
                json!({"name": "survival", "template_id": t, "plan_id": p, "variables": {}}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        json(res).await
    };

    // Alice's server writes her world, and she deletes it keeping the world.
    let a1 = make(&alice).await;
    let a1_id = a1["id"].as_str().unwrap().to_string();
    let a1_object = a1["object_name"].as_str().unwrap().to_string();
    wait_status(&app, &a1_id, "running").await;
    std::fs::write(
        world_dir(&app, &a1_object).await.join("marker.txt"),
        "alice's",
    )
    .unwrap();
    let res = app
        .call_as(
            &alice,
            "server_delete",
            json!({"id": a1_id, "keep_world": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Bob takes the freed name: he gets a world of his own, never Alice's.
    let b = make(&bob).await;
    let b_object = b["object_name"].as_str().unwrap().to_string();
    assert_ne!(b_object, a1_object);
    wait_status(&app, b["id"].as_str().unwrap(), "running").await;
    assert!(!world_dir(&app, &b_object).await.join("marker.txt").exists());
    assert!(
        world_dir(&app, &a1_object)
            .await
            .join("marker.txt")
            .exists(),
        "Alice's kept world is untouched"
    );
    let res = app
        .call_as(
            &bob,
            "server_delete",
            json!({"id": b["id"], "keep_world": false}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // Alice gets hers back by making a server of that name again.
    let a2 = make(&alice).await;
    assert_eq!(a2["object_name"], a1_object.as_str());
    wait_status(&app, a2["id"].as_str().unwrap(), "running").await;
    assert_eq!(
        std::fs::read_to_string(world_dir(&app, &a1_object).await.join("marker.txt")).unwrap(),
        "alice's"
    );
}

async fn kept_worlds_count_in_the_quota_until_their_owner_deletes_them_for_good(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    app.plain_user("alice", "alice's long password").await;
    app.plain_user("bob", "bob's long password!").await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let plans = json(app.call("plans", json!({})).await).await;
    let disk = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == p.as_str())
        .unwrap()["disk_gib"]
        .as_i64()
        .unwrap();
    let alice_id = app.user_id("alice").await;
    // room for exactly one server's disk
    let res = app
        .call(
            "user_update",
            json!({"id": alice_id, "changes": {"max_disk_gib": disk}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let alice = app.signed_in("alice", "alice's long password").await;
    let bob = app.signed_in("bob", "bob's long password!").await;
    let make = async |c: &reqwest::Client, name: &str| {
        app.call_as(
            c,
            "server_create",
            json!({"name": name, "template_id": t, "plan_id": p, "variables": {}}),
        )
        .await
    };
    let kept = async |c: &reqwest::Client| {
        let res = app.call_as(c, "worlds_kept", json!({})).await;
        assert_eq!(res.status(), StatusCode::OK);
        json(res).await.as_array().unwrap().clone()
    };

    // Alice's world, kept: listed to her (not to Bob), and it still takes her disk
    let res = make(&alice, "survival").await;
    assert_eq!(res.status(), StatusCode::OK);
    let s = json(res).await;
    let object = s["object_name"].as_str().unwrap().to_string();
    wait_status(&app, s["id"].as_str().unwrap(), "running").await;
    let res = app
        .call_as(
            &alice,
            "server_delete",
            json!({"id": s["id"], "keep_world": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let worlds = kept(&alice).await;
    assert_eq!(worlds.len(), 1, "{worlds:?}");
    assert_eq!(worlds[0]["server_name"], "survival");
    assert_eq!(worlds[0]["object_name"], object.as_str());
    assert_eq!(worlds[0]["disk_gib"], disk);
    assert_eq!(worlds[0]["owner"], "alice");
    assert!(kept(&bob).await.is_empty());
    let res = make(&alice, "creative").await;
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "the kept world holds the disk"
    );
    assert!(message(res).await.contains("kept worlds count"));

    // Bob cannot delete it (nor learn it exists); it stays
    let res = app
        .call_as(&bob, "world_delete", json!({"object_name": object}))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(message(res).await, "No such world.");
    let claim = format!("data-{object}-0");
    assert!(app.object("PersistentVolumeClaim", &claim).await.is_some());
    assert_eq!(kept(&alice).await.len(), 1);

    // Alice deletes it for good: the claim goes, and the disk is hers again
    let res = app
        .call_as(&alice, "world_delete", json!({"object_name": object}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(kept(&alice).await.is_empty());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while app.object("PersistentVolumeClaim", &claim).await.is_some() {
        assert!(std::time::Instant::now() < deadline, "the claim is deleted");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let res = app
        .call_as(&alice, "world_delete", json!({"object_name": object}))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "once");
    let res = make(&alice, "creative").await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    let all = json(
        app.call("audit_log", json!({"action": "world.delete"}))
            .await,
    )
    .await;
    assert!(all.to_string().contains("survival"), "{all}");
}

/// With an expiry set by the operator, a kept world says when it goes, and the panel deletes it
/// for good once it has passed: the claim goes, the quota is free, the audit log says so; a
/// younger world stays.
#[tokio::test]
async fn kept_worlds_past_the_operators_expiry_are_deleted_for_good() {
    use diesel::prelude::*;
    use diesel_async::RunQueryDsl;
    let app = TestApp::spawn_with(|c| c.kept_world_days = 7).await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let mut objects = Vec::new();
    for name in ["old", "young"] {
        let s = json(create(&app, name, &t, &p).await).await;
        wait_status(&app, s["id"].as_str().unwrap(), "running").await;
        let res = app
            .call("server_delete", json!({"id": s["id"], "keep_world": true}))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        objects.push(s["object_name"].as_str().unwrap().to_string());
    }
    let worlds = json(app.call("worlds_kept", json!({})).await).await;
    for w in worlds.as_array().unwrap() {
        let kept = chrono::DateTime::parse_from_rfc3339(w["kept_at"].as_str().unwrap()).unwrap();
        let expires =
            chrono::DateTime::parse_from_rfc3339(w["expires_at"].as_str().unwrap()).unwrap();
        assert_eq!(expires - kept, chrono::Duration::days(7));
    }
    // "old" was kept eight days ago
    let mut c = app.pool.get().await.unwrap();
    diesel::update(
        db::schema::kept_worlds::table.filter(db::schema::kept_worlds::object_name.eq(&objects[0])),
    )
    .set(db::schema::kept_worlds::kept_at.eq(chrono::Utc::now() - chrono::Duration::days(8)))
    .execute(&mut c)
    .await
    .unwrap();
    drop(c);
    assert_eq!(panel_core::worlds::expire(&app.state).await.unwrap(), 1);
    let worlds = json(app.call("worlds_kept", json!({})).await).await;
    let names: Vec<_> = worlds
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["server_name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(names, ["young"]);
    let claim = format!("data-{}-0", objects[0]);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while app.object("PersistentVolumeClaim", &claim).await.is_some() {
        assert!(std::time::Instant::now() < deadline, "the claim is deleted");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        app.object("PersistentVolumeClaim", &format!("data-{}-0", objects[1]))
            .await
            .is_some()
    );
    let log = json(
        app.call("audit_log", json!({"action": "world.expire"}))
            .await,
    )
    .await;
    assert!(
        log.to_string().contains("old (") && log.to_string().contains("7 days"),
        "{log}"
    );
    // once only
    assert_eq!(panel_core::worlds::expire(&app.state).await.unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_cluster_answers_the_user_in_time_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "patient", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    // An API server that takes connections and never answers (a paused one, an overloaded
    // one): the person clicking Stop gets an answer, not a spinner for ever.
    let faults = &app.fake.as_ref().unwrap().cluster.faults;
    faults.apply(&fakekube::FaultRequest {
        latency_ms: Some(600_000),
        ..Default::default()
    });
    // (the bound is the client's 10 s; a minute only tells "answered" from "hung")
    let res = tokio::time::timeout(Duration::from_secs(60), power(&app, &id, "stop"))
        .await
        .expect("the click was never answered");
    assert_eq!(res.status(), StatusCode::BAD_GATEWAY);
    let msg = message(res).await;
    assert!(msg.contains("did not answer in time"), "{msg}");
    faults.apply(&fakekube::FaultRequest {
        latency_ms: Some(0),
        ..Default::default()
    });
    // nothing changed: it still runs and is still meant to
    let after = server(&app, &id).await;
    assert_eq!(after["desired"], "running");
    wait_status(&app, &id, "running").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worlds_go_on_the_configured_storage_class_and_a_class_that_cannot_grow_refuses_first() {
    let app = TestApp::spawn_with(|c| {
        c.storage_class = Some("local-path".into());
        c.storage_grows = false;
    })
    .await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, small) = ids(&app, "vanilla", "small").await;
    let (_, medium) = ids(&app, "vanilla", "medium").await;
    let s = json(create(&app, "stored", &t, &small).await).await;
    assert_eq!(s["storage_class"], "local-path");
    let id = s["id"].as_str().unwrap().to_string();
    let name = s["object_name"].as_str().unwrap().to_string();
    let sts = object(&app, "StatefulSet", &name).await.unwrap();
    assert_eq!(
        sts["spec"]["volumeClaimTemplates"][0]["spec"]["storageClassName"],
        "local-path"
    );
    wait_status(&app, &id, "running").await;
    // a larger disk on a class that cannot grow: refused with the reason, nothing changes
    let res = app
        .call("server_plan", json!({"id": id, "plan_id": medium}))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let msg = message(res).await;
    assert!(
        msg.contains("local-path") && msg.contains("cannot grow"),
        "{msg}"
    );
    let after = server(&app, &id).await;
    assert_eq!(after["plan_id"], small.as_str());
    assert!(after["pending_plan_id"].is_null());
    assert_eq!(sizes(&app, &name).await.2, "10Gi");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pod_deleted_while_the_watch_was_down_is_not_reported_running() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "relisted", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    let name = s["object_name"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    let fake = app.fake.as_ref().unwrap();
    let store = &fake.cluster.store;
    // Given the watch cut off while the API server refuses everything
    fake.cluster.faults.apply(&fakekube::FaultRequest {
        unavailable: Some(true),
        drop_watches: Some(true),
        ..Default::default()
    });
    // when the pod goes away meanwhile (its StatefulSet scaled down behind the panel's back)
    store
        .patch(
            fakekube::resources::by_kind("StatefulSet"),
            &app.config.namespace,
            &name,
            fakekube::store::PatchKind::Merge,
            &json!({"spec": {"replicas": 0}}),
            "someone",
            fakekube::store::Target::Main,
        )
        .unwrap();
    let pods = fakekube::resources::by_kind("Pod");
    let pod = format!("{name}-0");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while store.get(pods, &app.config.namespace, &pod).is_ok() {
        assert!(tokio::time::Instant::now() < deadline, "the pod never went");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // and the history it would resume from is compacted away (the watch must list again)
    store.compact();
    fake.cluster.faults.apply(&fakekube::FaultRequest {
        unavailable: Some(false),
        ..Default::default()
    });
    // then the relist forgets the pod: the server is not running
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let now = server(&app, &id).await;
        if now["status"] != "running" {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "still reported running without a pod: {now}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A pod the cluster will not create (here a ResourceQuota of no pods; admission webhooks and
/// LimitRanges refuse the same way) leaves no pod to watch: the server reads `error` with the
/// cluster's words instead of `starting` for ever, and starts once the refusal is lifted. Real
/// control plane only: fakekube has no quotas.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pod_the_cluster_refuses_to_create_shows_as_an_error_with_its_reason() {
    const TEST: &str = "a_pod_the_cluster_refuses_to_create_shows_as_an_error_with_its_reason";
    let Some(app) = TestApp::spawn_real(SUITE, TEST).await else {
        return;
    };
    let admin = app.real.unwrap().admin_client().await.unwrap();
    let quotas: kube::Api<k8s_openapi::api::core::v1::ResourceQuota> =
        kube::Api::namespaced(admin, &app.config.namespace);
    quotas
        .create(
            &kube::api::PostParams::default(),
            &serde_json::from_value(
                json!({"metadata": {"name": "no-pods"}, "spec": {"hard": {"pods": "0"}}}),
            )
            .unwrap(),
        )
        .await
        .unwrap();
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "quota", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    let s = wait_status(&app, &id, "error").await;
    let why = s["status_reason"].as_str().unwrap_or_default();
    assert!(
        why.contains("refused to create") && why.contains("quota"),
        "{s}"
    );

    // Lifted, a stop and a start bring the server up.
    quotas.delete("no-pods", &Default::default()).await.unwrap();
    power(&app, &id, "stop").await;
    wait_status(&app, &id, "stopped").await;
    power(&app, &id, "start").await;
    wait_status(&app, &id, "running").await;
    realkube::report::ran(SUITE, TEST);
}

async fn node_ports_are_handed_out_once_shown_to_join_and_freed_on_delete(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let mut ports = Vec::new();
    let mut made = Vec::new();
    for name in ["alpha", "beta"] {
        let res = create(&app, name, &t, &p).await;
        assert_eq!(res.status(), StatusCode::OK);
        let s = json(res).await;
        // the join address: the sandbox's public host and the server's node port
        assert_eq!(s["join"]["kind"], "address", "{s}");
        let address = s["join"]["address"].as_str().unwrap().to_string();
        let at: std::net::SocketAddr = address.parse().unwrap();
        assert_eq!(
            Some(at.ip().to_string()),
            app.config.public_host,
            "{address}"
        );
        let port = at.port();
        assert!((32760..=32761).contains(&port), "{address}");
        let svc = object(&app, "Service", s["object_name"].as_str().unwrap())
            .await
            .expect("the Service exists");
        assert_eq!(svc["spec"]["type"], "NodePort");
        assert_eq!(svc["spec"]["ports"][0]["nodePort"], port);
        ports.push(port);
        made.push(s);
    }
    ports.sort();
    assert_eq!(ports, [32760, 32761], "two servers never share a port");
    // a player reaches each server at the address shown (the node's port, to its pod)
    for s in &made {
        let id = s["id"].as_str().unwrap();
        wait_status(&app, id, "running").await;
        let at: std::net::SocketAddr = s["join"]["address"].as_str().unwrap().parse().unwrap();
        let answer = common::ping_until_answered(at).await;
        assert_eq!(answer.max_players, 20, "{s}");
        // and a client nobody here wrote agrees
        if let Some(status) = common::npm_ping(at, None).await {
            assert_eq!(status["players"]["max"], 20, "{status}");
            assert_eq!(status["players"]["online"], 0, "{status}");
        }
    }
    // the list shows the same addresses
    let listed = json(app.call("servers", json!({})).await).await;
    for s in listed.as_array().unwrap() {
        assert_eq!(s["join"]["kind"], "address");
    }

    // The range is used up: a third is refused with the reason and leaves nothing behind.
    let res = create(&app, "gamma", &t, &p).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let why = message(res).await;
    assert!(why.contains("32760 to 32761"), "{why}");
    let listed = json(app.call("servers", json!({})).await).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);

    // A deleted server's port is free again.
    let gone = made[0]["id"].as_str().unwrap();
    let gone_port = made[0]["join"]["address"].as_str().unwrap().to_string();
    let res = app
        .call("server_delete", json!({"id": gone, "keep_world": false}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    wait_gone(&app, made[0]["object_name"].as_str().unwrap()).await;
    let res = create(&app, "gamma", &t, &p).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["join"]["address"], gone_port.as_str());
}

/// A template may declare ports besides the game port (Bedrock through Geyser on UDP, a map's
/// web page on TCP): in node port exposure each gets a node port of the operator's range, shown
/// with the join address, and a player's packets reach the pod through it. A server whose extra
/// ports do not fit in the range is refused and leaves nothing behind.
async fn a_templates_extra_ports_get_node_ports_that_reach_the_pod(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    let (vanilla, p) = ids(&app, "vanilla", "small").await;
    let mut t = json(app.call("template_export", json!({"id": vanilla})).await).await;
    t["name"] = json!("Vanilla with Geyser");
    t["spec"]["slug"] = json!("vanilla-geyser");
    t["spec"]["extra_ports"] = json!([
        {"name": "bedrock", "port": 19132, "protocol": "UDP", "description": "Bedrock players"},
        {"name": "map", "port": 8100, "protocol": "TCP", "description": "The web map"},
    ]);
    let res = app.call("template_import", json!({"template": t})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let t = json(res).await["id"].as_str().unwrap().to_string();

    let s = json(create(&app, "crossplay", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    let host = app.config.public_host.clone().unwrap();
    let ports = s["ports"].as_array().expect("the extra ports are listed");
    assert_eq!(ports.len(), 2, "{s}");
    assert_eq!(ports[0]["name"], "bedrock");
    assert_eq!(ports[0]["protocol"], "UDP");
    assert_eq!(ports[0]["description"], "Bedrock players");
    let at = |i: usize| -> std::net::SocketAddr {
        assert_eq!(ports[i]["join"]["kind"], "address", "{s}");
        ports[i]["join"]["address"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let (bedrock, map) = (at(0), at(1));
    let game: std::net::SocketAddr = s["join"]["address"].as_str().unwrap().parse().unwrap();
    let mut all = vec![game.port(), bedrock.port(), map.port()];
    all.sort();
    assert_eq!(
        all,
        [32750, 32751, 32752],
        "three ports of the range, none twice"
    );
    assert_eq!(bedrock.ip().to_string(), host);

    // the Service carries them by name, to the container's fixed port names
    let svc = object(&app, "Service", s["object_name"].as_str().unwrap())
        .await
        .unwrap();
    let svc_ports = svc["spec"]["ports"].as_array().unwrap();
    assert_eq!(svc_ports.len(), 3, "{svc}");
    assert_eq!(svc_ports[1]["name"], "bedrock");
    assert_eq!(svc_ports[1]["protocol"], "UDP");
    assert_eq!(svc_ports[1]["targetPort"], "extra-1");
    assert_eq!(svc_ports[1]["nodePort"], bedrock.port());
    assert_eq!(svc_ports[2]["nodePort"], map.port());
    let set = object(&app, "StatefulSet", s["object_name"].as_str().unwrap())
        .await
        .unwrap();
    let container_ports = &set["spec"]["template"]["spec"]["containers"][0]["ports"];
    assert_eq!(container_ports[1]["name"], "extra-1");
    assert_eq!(container_ports[1]["containerPort"], 19132);
    assert_eq!(container_ports[2]["name"], "extra-2");

    // a Bedrock datagram and a browser's connection reach the pod through the node's ports
    wait_status(&app, &id, "running").await;
    common::ping_until_answered(game).await;
    let udp = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let mut echoed = None;
    for _ in 0..50 {
        udp.send_to(b"unconnected ping", bedrock).await.unwrap();
        let mut buf = [0u8; 64];
        if let Ok(Ok((n, _))) =
            tokio::time::timeout(Duration::from_millis(300), udp.recv_from(&mut buf)).await
        {
            echoed = Some(buf[..n].to_vec());
            break;
        }
    }
    assert_eq!(
        echoed.as_deref(),
        Some(&b"unconnected ping"[..]),
        "UDP through {bedrock}"
    );
    let mut conn = tokio::net::TcpStream::connect(map).await.unwrap();
    let mut greeting = [0u8; 11];
    tokio::io::AsyncReadExt::read_exact(&mut conn, &mut greeting)
        .await
        .unwrap();
    assert_eq!(&greeting, b"mcsim 8100\n", "TCP through {map}");

    // the range is used up: a second server is refused and holds no port afterwards
    let res = create(&app, "second", &t, &p).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(message(res).await.contains("32750 to 32752"));
    let listed = json(app.call("servers", json!({})).await).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let held: i64 = {
        use diesel_async::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut c = app.pool.get().await.unwrap();
        diesel::sql_query("SELECT count(*) AS n FROM server_ports")
            .get_result::<N>(&mut c)
            .await
            .unwrap()
            .n
    };
    assert_eq!(held, 2, "only the first server's extra ports are held");

    // deleting the server frees all three
    let res = app
        .call("server_delete", json!({"id": id, "keep_world": false}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    wait_gone(&app, s["object_name"].as_str().unwrap()).await;
    let again = json(create(&app, "second", &t, &p).await).await;
    assert_eq!(again["ports"][1]["join"]["kind"], "address", "{again}");
}

/// In `loadbalancer` mode each server's Service is a LoadBalancer, and its join address is the
/// address the cluster gives it (here the node's, as k3s' ServiceLB gives: one server per port
/// of the node) with the game port; until then the page says it waits for one.
async fn a_load_balancer_per_server_is_the_join_address_once_it_has_one(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let node = app.config.public_host.clone().unwrap();
    let first = json(create(&app, "lobby", &t, &p).await).await;
    let id = first["id"].as_str().unwrap().to_string();
    let svc = object(&app, "Service", first["object_name"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(svc["spec"]["type"], "LoadBalancer");
    let address = wait_join(&app, &id, "address").await;
    assert_eq!(address["address"], format!("{node}:25565"));
    wait_status(&app, &id, "running").await;
    let at: std::net::SocketAddr = format!("{node}:25565").parse().unwrap();
    let answer = common::ping_until_answered(at).await;
    assert_eq!(answer.max_players, 20);
    if let Some(status) = common::npm_ping(at, None).await {
        assert_eq!(status["players"]["max"], 20, "{status}");
    }

    // a second server asks for the same port of the node: no address while the first holds it
    let second = json(create(&app, "arena", &t, &p).await).await;
    let id2 = second["id"].as_str().unwrap().to_string();
    assert_eq!(second["join"]["kind"], "waiting", "{second}");
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(wait_join(&app, &id2, "waiting").await["kind"], "waiting");
    // the first one goes: the second gets the address
    let res = app
        .call("server_delete", json!({"id": id, "keep_world": false}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let address = wait_join(&app, &id2, "address").await;
    assert_eq!(address["address"], format!("{node}:25565"));
}

/// In `hostname` mode a server's Service is a ClusterIP one that names it for mc-router
/// (`<name>.<domain>`), and that name is its join address; no node port is taken.
async fn behind_the_router_each_server_is_its_name_under_the_domain(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let made = json(create(&app, "2fort", &t, &p).await).await;
    assert_eq!(
        made["join"],
        json!({"kind": "address", "address": "2fort.mc.example.test"})
    );
    let svc = object(&app, "Service", made["object_name"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(svc["spec"]["type"], "ClusterIP");
    assert!(svc["spec"]["ports"][0].get("nodePort").is_none());
    assert_eq!(
        svc["metadata"]["annotations"]["mc-router.itzg.me/externalServerName"],
        "2fort.mc.example.test"
    );
    let listed = json(app.call("servers", json!({})).await).await;
    assert_eq!(listed[0]["join"]["address"], "2fort.mc.example.test");
}

/// A real `itzg/mc-router` (built from its Go module with the control plane) in front of the
/// panel's cluster: it reads the game Services the panel made (their `externalServerName`) and
/// routes each Server List Ping by the name the player typed, the one the panel shows, to the
/// server's cluster IP (fakekube's are on the loopback; the real control plane's are answered
/// by its node's proxy, in front of a pod in a network namespace of its own); a name it does
/// not know gets nothing.
async fn mc_router_routes_players_by_the_name_the_panel_shows(app: TestApp) {
    let Some((port, _router)) = start_mc_router(&app, &[]).await else {
        return;
    };
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let made = json(create(&app, "lobby", &t, &p).await).await;
    let name = made["join"]["address"].as_str().unwrap().to_string();
    assert_eq!(name, "lobby.mc.example.test");
    wait_status(&app, made["id"].as_str().unwrap(), "running").await;

    let ask = |host: String| async move {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .ok()?;
        let ping =
            craftping::tokio::ping(&mut s, &host, 25565, craftping::PROTOCOL_VERSION_NOT_SET);
        tokio::time::timeout(Duration::from_secs(3), ping)
            .await
            .ok()?
            .ok()
    };
    let mut answer = None;
    for _ in 0..150 {
        answer = ask(name.clone()).await;
        if answer.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let answer = answer.unwrap_or_else(|| {
        panic!(
            "mc-router routed no ping to the server; it said:\n{}",
            router_log(&app)
        )
    });
    assert_eq!(answer.max_players, 20);
    // npm's minecraft-protocol, through the router by the same name
    let router: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    if let Some(status) = common::npm_ping(router, Some(&name)).await {
        assert_eq!(status["players"]["max"], 20, "{status}");
    }
    assert!(
        ask("nobody.mc.example.test".into()).await.is_none(),
        "a name the router does not know reaches no server"
    );
}

/// A real mc-router against the test's cluster: fakekube with the sandbox's kubeconfig, or the
/// real control plane as a ServiceAccount bound to exactly the chart's router rules (`wake`
/// too with `-auto-scale-up`); its port and process (killed when dropped). Its logs go to the
/// test's data folder. None when the real control plane's cluster IPs are not answered here
/// (no pod networks: not root).
async fn start_mc_router(app: &TestApp, extra: &[&str]) -> Option<(u16, tokio::process::Child)> {
    let Some(bin) = std::env::var_os("PANEL_CONTROLPLANE_BIN") else {
        assert!(
            std::env::var("PANEL_REALKUBE").as_deref() != Ok("require"),
            "PANEL_CONTROLPLANE_BIN (with mc-router) is required"
        );
        return None;
    };
    let kubeconfig = app.data_dir.join("router.kubeconfig");
    let text = match (&app.fake, app.real) {
        (Some(fake), _) => server::startup::sandbox_kubeconfig(
            &fake.url,
            fake.ca_pem.as_deref().unwrap(),
            common::FAKE_TOKEN,
            &app.config.namespace,
        ),
        (None, Some(cp)) => {
            if cp.networks.is_none() {
                eprintln!("the control plane's cluster IPs are not answered here: skipped");
                return None;
            }
            let all: serde_json::Value = serde_json::from_str(realkube::ROUTER_RULES).unwrap();
            let mut rules = all["route"].as_array().unwrap().clone();
            if extra.contains(&"-auto-scale-up") {
                rules.extend(all["wake"].as_array().unwrap().iter().cloned());
            }
            let mut kc = cp
                .kubeconfig_for(&app.config.namespace, "mc-router", json!(rules))
                .await
                .unwrap();
            kc["contexts"][0]["context"]["namespace"] = json!(app.config.namespace);
            kc.to_string()
        }
        (None, None) => unreachable!("a test panel drives a cluster"),
    };
    std::fs::write(&kubeconfig, text).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = tokio::process::Command::new(std::path::Path::new(&bin).join("mc-router"))
        .arg(format!("-kube-config={}", kubeconfig.display()))
        .arg(format!("-kube-namespace={}", app.config.namespace))
        .arg(format!("-port={port}"))
        .arg("-debug")
        .args(extra)
        .stdout(std::fs::File::create(app.data_dir.join("router.log")).unwrap())
        .stderr(std::fs::File::create(app.data_dir.join("router.err")).unwrap())
        .kill_on_drop(true)
        .spawn()
        .expect("mc-router");
    Some((port, child))
}

/// What mc-router said, for a failing test's message.
fn router_log(app: &TestApp) -> String {
    ["router.log", "router.err"]
        .iter()
        .map(|f| std::fs::read_to_string(app.data_dir.join(f)).unwrap_or_default())
        .collect()
}

/// A Minecraft login's first two packets (handshake with next state 2, then Login Start) for
/// `host`, as a player's client sends them.
fn login_start(host: &str, player: &str) -> Vec<u8> {
    fn varint(out: &mut Vec<u8>, mut v: u32) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }
    fn string(out: &mut Vec<u8>, s: &str) {
        varint(out, s.len() as u32);
        out.extend_from_slice(s.as_bytes());
    }
    fn packet(out: &mut Vec<u8>, body: &[u8]) {
        varint(out, body.len() as u32);
        out.extend_from_slice(body);
    }
    let mut handshake = vec![0x00];
    varint(&mut handshake, 769); // 1.21.4
    string(&mut handshake, host);
    handshake.extend_from_slice(&25565u16.to_be_bytes());
    varint(&mut handshake, 2); // login
    let mut start = vec![0x00];
    string(&mut start, player);
    start.extend_from_slice(&[0u8; 16]); // the player's UUID (offline: any)
    let mut out = Vec::new();
    packet(&mut out, &handshake);
    packet(&mut out, &start);
    out
}

/// Wake-on-join: a player joining a stopped server through mc-router wakes it (the router
/// scales its StatefulSet up), the panel takes that as a start (wanted running, audited as
/// `server.wake`, no "asleep" any more), and its reconciler never puts it back to sleep.
async fn a_player_joining_a_sleeping_server_wakes_it(app: TestApp) {
    let Some((port, _router)) = start_mc_router(&app, &["-auto-scale-up"]).await else {
        return;
    };
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let made = json(create(&app, "lobby", &t, &p).await).await;
    let id = made["id"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    assert_eq!(power(&app, &id, "stop").await.status(), StatusCode::OK);
    let asleep = wait_status(&app, &id, "stopped").await;
    assert_eq!(asleep["desired"], "stopped");
    assert_eq!(asleep["wakes_on_join"], true, "the page says it is asleep");
    let svc = object(&app, "Service", made["object_name"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(
        svc["metadata"]["annotations"]["mc-router.itzg.me/autoScaleUp"],
        "true"
    );

    // a player joins through the router: the connection is held while the server wakes
    let joined = std::time::Instant::now();
    let mut player = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    tokio::io::AsyncWriteExt::write_all(
        &mut player,
        &login_start("lobby.mc.example.test", "Steve"),
    )
    .await
    .unwrap();
    let mut woke = serde_json::Value::Null;
    for _ in 0..300 {
        woke = server(&app, &id).await;
        if woke["status"] == "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(woke["status"], "running", "{woke}\n{}", router_log(&app));
    assert_eq!(
        woke["desired"], "running",
        "the wake is the panel's own start"
    );
    println!(
        "wake-on-join: connect to running in {} ms",
        joined.elapsed().as_millis()
    );
    let log = json(
        app.call("audit_log", json!({"action": "server.wake"}))
            .await,
    )
    .await;
    assert_eq!(log[0]["action"], "server.wake", "{log}");
    assert_eq!(log[0]["target"], "lobby");

    // the reconciler keeps it awake
    panel_core::reconcile::reconcile_once(&app.state)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let sts = object(&app, "StatefulSet", made["object_name"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(sts["spec"]["replicas"], 1);
    assert_eq!(server(&app, &id).await["status"], "running");
    drop(player);
}

/// Idle stop: a running server nobody has played on for its idle minutes (as the Server List
/// Ping counts them) is stopped by the panel, audited by no one; values outside 1 to 1440 are
/// refused and change nothing; a server without one is never stopped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_nobody_plays_on_is_stopped_after_its_idle_minutes() {
    use panel_core::idle;
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let id = json(create(&app, "quiet", &t, &p).await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let keep = json(create(&app, "busy", &t, &p).await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    for bad in [json!(0), json!(1441), json!(-5), json!("ten")] {
        let res = app
            .call("server_idle_stop", json!({"id": id, "minutes": bad}))
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    let res = app
        .call("server_idle_stop", json!({"id": id, "minutes": 0}))
        .await;
    assert!(message(res).await.contains("1 to 1440"));
    assert!(
        server(&app, &id).await["idle_stop_minutes"].is_null(),
        "nothing saved"
    );
    let res = app
        .call("server_idle_stop", json!({"id": id, "minutes": 1}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["idle_stop_minutes"], 1);

    // both run and answer the ping with nobody on them
    for s in [&id, &keep] {
        wait_status(&app, s, "running").await;
        for _ in 0..100 {
            if !server(&app, s).await["players"].is_null() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    let mut seen = idle::Idle::default();
    let t0 = std::time::Instant::now();
    assert_eq!(idle::check(&app.state, &mut seen, t0).await.unwrap(), 0);
    let later = |s| t0 + Duration::from_secs(s);
    assert_eq!(
        idle::check(&app.state, &mut seen, later(59)).await.unwrap(),
        0
    );
    assert_eq!(
        idle::check(&app.state, &mut seen, later(61)).await.unwrap(),
        1
    );
    let stopped = wait_status(&app, &id, "stopped").await;
    assert_eq!(stopped["desired"], "stopped");
    let log = json(
        app.call("audit_log", json!({"action": "server.stop"}))
            .await,
    )
    .await;
    assert_eq!(log[0]["target"], "quiet", "{log}");
    assert!(log[0]["actor"].is_null(), "{log}");
    assert!(
        log[0]["outcome"]
            .as_str()
            .unwrap()
            .contains("nobody played for 1 min")
    );
    // the one without an idle stop runs on
    assert_eq!(
        idle::check(&app.state, &mut seen, later(3600))
            .await
            .unwrap(),
        0
    );
    assert_eq!(server(&app, &keep).await["desired"], "running");
    // and it can be turned off
    let res = app
        .call("server_idle_stop", json!({"id": id, "minutes": null}))
        .await;
    assert!(json(res).await["idle_stop_minutes"].is_null());
}

/// The server's `join` once its kind is `kind` (30 s at most).
async fn wait_join(app: &TestApp, id: &str, kind: &str) -> serde_json::Value {
    let mut last = serde_json::Value::Null;
    for _ in 0..150 {
        last = json(app.call("server", json!({"id": id})).await).await;
        if last["join"]["kind"] == kind {
            return last["join"].clone();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the join address never became {kind}: {last}");
}

/// Waits until the server's Service is gone from the cluster (its node port with it).
async fn wait_gone(app: &TestApp, object_name: &str) {
    for _ in 0..300 {
        if object(app, "Service", object_name).await.is_none() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the Service {object_name} is still there");
}

/// Fifty servers made at once from a range of fifty ports get fifty different ports, and the
/// fifty-first finds none (the allocation is one transaction under a lock; the column is
/// unique as well).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_creates_never_share_a_node_port() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let admin = {
        let mut c = app.pool.get().await.unwrap();
        diesel_async::RunQueryDsl::execute(
            diesel::sql_query("UPDATE users SET max_servers = 100, max_memory_mib = 1000000, max_disk_gib = 100000"),
            &mut c,
        )
        .await
        .unwrap();
        db::User::find_by_username(&mut c, "admin")
            .await
            .unwrap()
            .unwrap()
    };
    let range = (31000, 31049);
    let tasks: Vec<_> = (0..51)
        .map(|i| {
            let pool = app.pool.clone();
            let (t, p, owner) = (t.parse().unwrap(), p.parse().unwrap(), admin.id);
            tokio::spawn(async move {
                let id = uuid::Uuid::new_v4();
                let new = db::NewServer {
                    id,
                    name: format!("s{i}"),
                    object_name: db::object_name_for(id),
                    storage_class: None,
                    owner_id: owner,
                    template_id: t,
                    plan_id: p,
                    variables: json!({}),
                    desired: protocol::Desired::Stopped,
                };
                let mut c = pool.get().await.unwrap();
                db::Server::create_within_quota(&mut c, new, 1, 1, Some(range), &[])
                    .await
                    .unwrap()
            })
        })
        .collect();
    let mut ports = Vec::new();
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(s) => ports.push(s.node_port.unwrap()),
            Err(db::QuotaExceeded::NodePorts { first, last }) => {
                assert_eq!((first, last), range);
                refused += 1;
            }
            Err(other) => panic!("{other:?}"),
        }
    }
    ports.sort();
    let all: Vec<i32> = (31000..=31049).collect();
    assert_eq!(ports, all, "fifty different ports, all of the range");
    assert_eq!(refused, 1);
}
