//! The live console and status pushes over real websockets, against fakekube running mcsim.

mod common;

use std::time::Duration;

use common::servers::{create, ids, power, wait_status};
use common::ws::{connect, is, login_cookie, open, output_has};
use common::{TestApp, json};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "correct horse battery";

/// The suite's name in the real-cluster report.
const SUITE: &str = "panel console";

both!(
    SUITE,
    history_live_lines_commands_and_identical_streams_from_one_upstream
);
both!(SUITE, bad_messages_and_commands_get_clear_errors);
both!(SUITE, sockets_are_authorized_and_closed_when_access_ends);
both!(SUITE, exec_input_answers_and_the_stream_follows_restarts);
both!(
    SUITE,
    running_means_the_started_line_and_floods_are_throttled
);
both!(SUITE, the_installation_streams_before_the_server);
both!(SUITE, players_online_come_from_the_server_list_ping);

const WAIT: Duration = Duration::from_secs(30);

fn console(id: &str) -> String {
    format!("/api/servers/{id}/console")
}

/// An admin, a running server of `template`, and the admin's cookie.
async fn running(app: &TestApp, name: &str, template: &str) -> (String, String) {
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(app, template, "small").await;
    let created = json(create(app, name, &t, &p).await).await;
    let id = created["id"].as_str().unwrap().to_string();
    wait_status(app, &id, "running").await;
    (id, login_cookie(app, "admin", PASSWORD).await)
}

async fn upstreams_drop_to(app: &TestApp, n: usize) {
    for _ in 0..40 {
        if app.state.live.upstreams() == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{} upstreams open, wanted {n}", app.state.live.upstreams());
}

async fn history_live_lines_commands_and_identical_streams_from_one_upstream(app: TestApp) {
    let (id, cookie) = running(&app, "con", "paper").await;

    // Given a viewer: it learns what it may do, then gets the history, status and stats at once
    let mut a = open(&app, &console(&id), &cookie).await;
    let hello = a.next(WAIT).await.unwrap();
    assert!(is(&hello, "hello"), "{hello}");
    assert_eq!(hello["args"]["write"], true);
    assert_eq!(hello["args"]["power"].as_array().unwrap().len(), 4);
    let history = a.next(WAIT).await.unwrap();
    assert!(is(&history, "history"));
    assert!(
        output_has(&history, "Done ("),
        "the startup is in the history"
    );
    assert!(
        history["args"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l.as_str().unwrap().contains('\x1b')),
        "colours are kept"
    );
    let status = a.next(WAIT).await.unwrap();
    assert_eq!(status["args"]["status"], "running");
    let stats = a.next(WAIT).await.unwrap();
    assert!(is(&stats, "stats"));
    assert!(stats["args"]["uptime_secs"].as_u64().is_some(), "{stats}");
    if app.fake.is_some() {
        assert!(
            stats["args"]["memory_mib"].as_u64().is_some_and(|m| m > 0),
            "memory from the metrics API: {stats}"
        );
        assert!(stats["args"]["cpu_millis"].as_u64().is_some(), "{stats}");
    } else {
        // the real control plane runs no metrics-server: the panel shows no figures, not zeros
        assert!(stats["args"]["memory_mib"].is_null(), "{stats}");
        assert!(stats["args"]["cpu_millis"].is_null(), "{stats}");
    }

    // When it types a command, the answer comes back in the stream
    a.send(json!({"event": "send_command", "args": "say hello"}))
        .await;
    a.until("the answer", |v| output_has(v, "[Server] hello"))
        .await;

    // And a second viewer gets it in its history, and both see the same lines from then on
    let mut b = open(&app, &console(&id), &cookie).await;
    b.until("history", |v| is(v, "history")).await;
    assert!(output_has(b.seen.last().unwrap(), "[Server] hello"));
    let from = b.lines().len();
    let before_a = a.lines().len();
    b.send(json!({"event": "send_command", "args": "say two"}))
        .await;
    for (i, v) in [&mut a, &mut b].into_iter().enumerate() {
        v.until(&format!("viewer {i}"), |e| output_has(e, "[Server] two"))
            .await;
    }
    assert_eq!(a.lines()[before_a..], b.lines()[from..]);
    assert_eq!(app.state.live.upstreams(), 1, "one log stream for both");

    // Then when both leave, the stream closes
    drop(a);
    drop(b);
    upstreams_drop_to(&app, 0).await;
}

async fn bad_messages_and_commands_get_clear_errors(app: TestApp) {
    let (id, cookie) = running(&app, "con", "vanilla").await;
    let mut ws = open(&app, &console(&id), &cookie).await;
    ws.until("history", |v| is(v, "history")).await;
    let error = |says: &'static str| {
        move |v: &Value| is(v, "error") && v["args"]["message"].as_str().unwrap().contains(says)
    };

    ws.send_raw(Message::Text("{not json".into())).await;
    ws.until("bad JSON", error("not understood")).await;
    ws.send_raw(Message::Binary(vec![1, 2, 3].into())).await;
    ws.until("binary", error("JSON text")).await;
    ws.send(json!({"event": "send_command", "args": "say a\nop eve"}))
        .await;
    ws.until("two lines", error("one line")).await;
    ws.send(json!({"event": "send_command", "args": "x".repeat(5000)}))
        .await;
    ws.until("too long", error("at most")).await;
    ws.send(json!({"event": "send_command", "args": "   "}))
        .await;
    ws.until("empty", error("Type a command")).await;

    // A stopped server takes no commands
    power(&app, &id, "stop").await;
    ws.until("stopped", |v| {
        is(v, "status") && v["args"]["status"] == "stopped"
    })
    .await;
    ws.send(json!({"event": "send_command", "args": "say hi"}))
        .await;
    ws.until("not running", error("not running")).await;

    // A flood of messages is slowed down
    for _ in 0..40 {
        ws.send(json!({"event": "request_logs"})).await;
    }
    ws.until("rate limit", error("Slow down")).await;
}

async fn sockets_are_authorized_and_closed_when_access_ends(app: TestApp) {
    let (id, admin) = running(&app, "con", "vanilla").await;
    app.plain_user("eve", "a long enough password").await;
    let eve = login_cookie(&app, "eve", "a long enough password").await;
    let base = app.base.clone();

    // Refusals: no session, someone else's server, another site, a bad id
    assert_eq!(
        connect(&app, &console(&id), None, Some(&base)).await.err(),
        Some(401)
    );
    assert_eq!(
        connect(&app, &console(&id), Some(&eve), Some(&base))
            .await
            .err(),
        Some(404)
    );
    assert_eq!(
        connect(
            &app,
            &console(&id),
            Some(&admin),
            Some("https://evil.example")
        )
        .await
        .err(),
        Some(403)
    );
    assert_eq!(
        connect(&app, &console(&id), Some(&admin), None).await.err(),
        Some(403)
    );
    assert_eq!(
        connect(&app, &console("nope"), Some(&admin), Some(&base))
            .await
            .err(),
        Some(404)
    );
    assert_eq!(
        connect(&app, "/api/events", None, Some(&base)).await.err(),
        Some(401)
    );

    // The status socket shows each user only their servers
    let mut eve_events = open(&app, "/api/events", &eve).await;
    let mut admin_events = open(&app, "/api/events", &admin).await;
    power(&app, &id, "restart").await;
    admin_events
        .until("admin sees the restart", |v| {
            is(v, "status") && v["args"]["id"] == id.as_str()
        })
        .await;
    assert!(
        tokio::time::timeout(Duration::from_millis(1500), eve_events.next(WAIT))
            .await
            .is_err(),
        "eve sees nothing of the admin's server: {:?}",
        eve_events.seen
    );
    wait_status(&app, &id, "running").await;

    // Shared with eve, the server's changes reach her open status socket; unshared, they stop
    // (what a socket saw before is re-checked, not remembered for good)
    let res = app
        .call(
            "server_member_set",
            json!({"id": id, "username": "eve", "permissions": ["console.read"]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let eve_id = json(res).await["user_id"].as_str().unwrap().to_string();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    power(&app, &id, "restart").await;
    eve_events
        .until("eve, now a member, sees the restart", |v| {
            is(v, "status") && v["args"]["id"] == id.as_str()
        })
        .await;
    wait_status(&app, &id, "running").await;
    let res = app
        .call("server_member_remove", json!({"id": id, "user_id": eve_id}))
        .await;
    assert_eq!(res.status(), 200);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    while tokio::time::timeout(Duration::from_millis(200), eve_events.next(WAIT))
        .await
        .is_ok()
    {}
    power(&app, &id, "restart").await;
    assert!(
        tokio::time::timeout(Duration::from_millis(1500), eve_events.next(WAIT))
            .await
            .is_err(),
        "eve, no longer a member, sees nothing: {:?}",
        eve_events.seen
    );
    wait_status(&app, &id, "running").await;

    // A revoked session is kicked within a second or so
    let other_admin = login_cookie(&app, "admin", PASSWORD).await;
    let mut ws = open(&app, &console(&id), &other_admin).await;
    ws.until("history", |v| is(v, "history")).await;
    let res = reqwest::Client::new()
        .post(app.url("/api/logout"))
        .header("origin", &base)
        .header("content-type", "application/json")
        .header("cookie", &other_admin)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
    let t0 = std::time::Instant::now();
    let closed = ws.until("kicked", |v| is(v, "closed")).await;
    assert!(
        closed["args"]["reason"]
            .as_str()
            .unwrap()
            .contains("session")
    );
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());

    // Deleting the server closes its consoles
    let mut ws = open(&app, &console(&id), &admin).await;
    ws.until("history", |v| is(v, "history")).await;
    app.call("server_delete", json!({"id": id, "keep_world": false}))
        .await;
    let closed = ws.until("deleted", |v| is(v, "closed")).await;
    assert!(
        closed["args"]["reason"]
            .as_str()
            .unwrap()
            .contains("deleted")
    );
}

async fn exec_input_answers_and_the_stream_follows_restarts(app: TestApp) {
    // Forge's console goes through `rcon-cli {command}` (exec), not stdin
    let (id, cookie) = running(&app, "modded", "forge").await;
    let mut ws = open(&app, &console(&id), &cookie).await;
    ws.until("history", |v| is(v, "history")).await;
    ws.send(json!({"event": "send_command", "args": "list"}))
        .await;
    let answer = ws.until("rcon answer", |v| is(v, "command_output")).await;
    assert!(output_has(&answer, "players online"), "{answer}");
    // A command that looks like one of rcon-cli's options reaches the server as a command
    // (`--host=…` read as an option would send the RCON password to that host)
    ws.send(json!({"event": "send_command", "args": "--host=127.0.0.1:1 list"}))
        .await;
    let answer = ws
        .until("the server's answer", |v| is(v, "command_output"))
        .await;
    assert!(
        output_has(&answer, "Unknown or incomplete command"),
        "{answer}"
    );
    assert!(!output_has(&answer, "is an option"), "{answer}");

    // A restart: the same socket sees the old run save and stop, and the new one start
    let before = ws.lines().len();
    ws.send(json!({"event": "set_state", "args": "restart"}))
        .await;
    ws.until("stopping", |v| {
        is(v, "status") && v["args"]["status"] == "stopping"
    })
    .await;
    ws.until("running again", |v| {
        is(v, "status") && v["args"]["status"] == "running"
    })
    .await;
    // (The probe may report running a moment before the Done line reaches the viewer.)
    if !ws.lines()[before..].iter().any(|l| l.contains("Done (")) {
        ws.until("the Done line", |v| output_has(v, "Done (")).await;
    }
    let after = &ws.lines()[before..];
    let at = |text: &str| after.iter().position(|l| l.contains(text));
    let saved =
        at("Saving worlds").expect("the preStop hook ran the stop command: the world was saved");
    let started = at("Starting minecraft server").expect("the new run from its start");
    assert!(saved < started);
    assert!(
        at("Done (").is_some_and(|d| d > started),
        "the new run got to Done"
    );
    assert_eq!(app.state.live.upstreams(), 1);
}

async fn running_means_the_started_line_and_floods_are_throttled(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    // A template whose probe never passes and whose server floods its console
    let list = json(app.call("templates", json!({})).await).await;
    let paper = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "paper")
        .unwrap()["id"]
        .clone();
    let mut t = json(app.call("template_export", json!({"id": paper})).await).await;
    t["name"] = json!("Flood");
    t["spec"]["slug"] = json!("flood");
    t["spec"]["health_command"] = json!(["false"]);
    t["spec"]["fixed_env"]["MCSIM_FLOOD_LINES_PER_SEC"] = json!("20000");
    let res = app.call("template_import", json!({"template": t})).await;
    assert!(res.status().is_success());
    let (t, p) = ids(&app, "flood", "small").await;
    let created = json(create(&app, "flood", &t, &p).await).await;
    let id = created["id"].as_str().unwrap().to_string();

    // Running comes from the "Done" line alone: the readiness probe never passes
    wait_status(&app, &id, "running").await;

    // And a viewer is told that lines were left out
    let cookie = login_cookie(&app, "admin", PASSWORD).await;
    let mut ws = open(&app, &console(&id), &cookie).await;
    let throttled = ws.until("throttled", |v| is(v, "throttled")).await;
    assert!(throttled["args"]["dropped"].as_u64().unwrap() > 0);
}

async fn the_installation_streams_before_the_server(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    // A template with an init container that "downloads mods"
    let list = json(app.call("templates", json!({})).await).await;
    let vanilla = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "vanilla")
        .unwrap()["id"]
        .clone();
    let mut t = json(app.call("template_export", json!({"id": vanilla})).await).await;
    t["name"] = json!("Mod installer");
    t["spec"]["slug"] = json!("mod-installer");
    t["spec"]["init"] = json!({"image": "busybox:1.36",
        "command": ["sh", "-c", "echo downloading mods; sleep 8; echo mods installed"]});
    let res = app.call("template_import", json!({"template": t})).await;
    assert!(res.status().is_success());
    let (t, p) = ids(&app, "mod-installer", "small").await;
    let created = json(create(&app, "modpack", &t, &p).await).await;
    let id = created["id"].as_str().unwrap().to_string();
    let cookie = login_cookie(&app, "admin", PASSWORD).await;

    // When someone watches while it installs, the installation's output comes first
    let mut ws = open(&app, &console(&id), &cookie).await;
    let install = |text: &'static str| {
        move |v: &Value| {
            (is(v, "install_output") || is(v, "history"))
                && v["args"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|l| l.as_str().unwrap_or("").contains(text)))
        }
    };
    ws.until("the installation starts", install("downloading mods"))
        .await;
    ws.until("the installation ends", install("mods installed"))
        .await;
    // Then the server itself
    let running = |v: &Value| is(v, "status") && v["args"]["status"] == "running";
    ws.until("the server's output", |v| output_has(v, "Done ("))
        .await;
    if !ws.seen.iter().any(running) {
        ws.until("running", running).await;
    }
}

/// One user may keep at most 16 status sockets open (each status change costs queries per
/// socket): the 17th is refused with 429 and says why, others are not affected, and closing one
/// makes room. Opened all at once, no more than 16 stay open either.
#[tokio::test]
async fn status_sockets_per_user_are_capped() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    app.plain_user("bob", "a long enough password").await;
    let admin = login_cookie(&app, "admin", PASSWORD).await;
    let bob = login_cookie(&app, "bob", "a long enough password").await;
    let mut open_ones = Vec::new();
    for _ in 0..16 {
        open_ones.push(open(&app, "/api/events", &admin).await);
    }
    let refused = connect(&app, "/api/events", Some(&admin), Some(&app.base)).await;
    assert_eq!(refused.err(), Some(429));
    // another user is not affected
    let _bobs = open(&app, "/api/events", &bob).await;
    // closing one makes room
    let mut one = open_ones.pop().unwrap();
    one.stream.close(None).await.unwrap();
    drop(one);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        match connect(&app, "/api/events", Some(&admin), Some(&app.base)).await {
            Ok(ws) => {
                open_ones.push(ws);
                break;
            }
            Err(429) if tokio::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await
            }
            Err(s) => panic!("refused with {s}"),
        }
    }
    drop(open_ones);

    // all at once: the check at the upgrade may let a few through, the registration does not
    let carol = {
        app.plain_user("carol", "a long enough password").await;
        login_cookie(&app, "carol", "a long enough password").await
    };
    let tries: Vec<_> = (0..24)
        .map(|_| {
            let (base, url, cookie) = (app.base.clone(), app.base.clone(), carol.clone());
            tokio::spawn(async move {
                use tokio_tungstenite::tungstenite::client::IntoClientRequest;
                let mut req = format!("{}/api/events", url.replace("http://", "ws://"))
                    .into_client_request()
                    .unwrap();
                req.headers_mut().insert("cookie", cookie.parse().unwrap());
                req.headers_mut().insert("origin", base.parse().unwrap());
                tokio_tungstenite::connect_async(req)
                    .await
                    .ok()
                    .map(|(s, _)| s)
            })
        })
        .collect();
    let mut upgraded = Vec::new();
    for t in tries {
        if let Some(s) = t.await.unwrap() {
            upgraded.push(s);
        }
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let carol_id: uuid::Uuid = serde_json::from_value(app.user_id("carol").await).unwrap();
    let open_now = app.state.live.sockets().open_by(carol_id, true);
    assert!(
        open_now <= 16,
        "{open_now} status sockets open for one user"
    );
    assert!(open_now >= 1);
    drop(upgraded);
}

/// Server `id` as the `servers` list gives it.
async fn listed(app: &TestApp, id: &str) -> Value {
    let all = json(app.call("servers", json!({})).await).await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()
        .clone()
}

/// The count pushed on a status socket for server `id`.
fn players_of<'a>(id: &'a str) -> impl Fn(&Value) -> bool + 'a {
    move |v: &Value| is(v, "players") && v["args"]["id"] == id
}

async fn players_online_come_from_the_server_list_ping(app: TestApp) {
    let (id, cookie) = running(&app, "ply", "vanilla").await;
    app.plain_user("eve", "a long enough password").await;
    let eve = login_cookie(&app, "eve", "a long enough password").await;
    let mut events = open(&app, "/api/events", &cookie).await;
    let mut theirs = open(&app, "/api/events", &eve).await;
    let mut console_ws = open(&app, &console(&id), &cookie).await;

    // The panel pings the running server: its stats carry what it answered
    let stats = console_ws
        .until("a presence", |v| {
            is(v, "stats") && v["args"]["presence"]["max"].as_u64().is_some()
        })
        .await;
    let presence = &stats["args"]["presence"];
    assert_eq!(presence["online"], 0, "{stats}");
    assert_eq!(stats["args"]["players"], 0, "{stats}");
    assert_eq!(presence["version"], "1.21.4", "{stats}");
    assert!(presence["latency_ms"].as_u64().is_some(), "{stats}");
    assert_eq!(presence["sample"], json!([]));
    let max = presence["max"].clone();
    let card = listed(&app, &id).await;
    assert_eq!(card["players"], json!({"online": 0, "max": max}), "{card}");

    // A player joins: the count is pushed to the dashboard, the name is in the stats
    console_ws
        .send(json!({"event": "send_command", "args": "sim join Alex"}))
        .await;
    let pushed = events
        .until("one online", |v| {
            players_of(&id)(v) && v["args"]["players"]["online"] == 1
        })
        .await;
    assert_eq!(pushed["args"]["players"]["max"], max);
    let stats = console_ws
        .until("Alex in the sample", |v| {
            is(v, "stats") && v["args"]["presence"]["online"] == 1
        })
        .await;
    assert_eq!(stats["args"]["presence"]["sample"], json!(["Alex"]));

    // And leaves
    console_ws
        .send(json!({"event": "send_command", "args": "sim leave Alex"}))
        .await;
    events
        .until("none online", |v| {
            players_of(&id)(v) && v["args"]["players"]["online"] == 0
        })
        .await;

    // Stopped, it has no count (not zero: nobody asked)
    power(&app, &id, "stop").await;
    events
        .until("no count", |v| {
            players_of(&id)(v) && v["args"]["players"].is_null()
        })
        .await;
    wait_status(&app, &id, "stopped").await;
    let card = listed(&app, &id).await;
    assert!(card["players"].is_null(), "{card}");

    // Someone without access to the server saw none of its counts
    while let Ok(Some(v)) =
        tokio::time::timeout(Duration::from_millis(500), theirs.next(WAIT)).await
    {
        assert!(!is(&v, "players"), "eve saw {v}");
    }
}
