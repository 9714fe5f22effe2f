//! Schedules end to end: the JSON API, a real Postgres, fakekube (or the real control plane)
//! running mcsim. Bad schedules are refused and change nothing; "run now" runs the tasks in
//! order and keeps each outcome; tasks act with their author's rights; a due time fires once
//! with two replicas ticking; daylight-saving changes neither skip nor double a run (a fixed
//! clock); a missed run is recorded as skipped.

mod common;

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use common::servers::{create, ids, message, wait_status};
use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";
const SUITE: &str = "panel schedules";

both!(
    SUITE,
    run_now_runs_the_tasks_in_order_and_keeps_each_outcome
);

/// A server of the administrator's: its id.
async fn a_server(app: &TestApp, name: &str) -> String {
    let (t, p) = ids(app, "vanilla", "small").await;
    json(create(app, name, &t, &p).await).await["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn schedule(name: &str, tasks: Value) -> Value {
    json!({"name": name, "cron": "0 4 * * *", "time_zone": "Europe/Berlin", "active": true,
        "tasks": tasks})
}

async fn save(app: &TestApp, id: &str, s: Value) -> reqwest::Response {
    app.call("schedule_save", json!({"id": id, "schedule": s}))
        .await
}

async fn listed(app: &TestApp, id: &str) -> Value {
    json(app.call("schedules", json!({"id": id})).await).await
}

/// The run `run` once it has ended (a minute at most).
async fn ended(app: &TestApp, id: &str, run: &str) -> Value {
    for _ in 0..300 {
        let l = listed(app, id).await;
        if let Some(r) = l["runs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == run && r["state"] != "running")
        {
            return r.clone();
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("run {run} did not end: {:#}", listed(app, id).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_schedules_are_refused_with_the_reason_and_change_nothing() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let id = a_server(&app, "lobby").await;
    let say = json!([{"action": "command", "command": "say hi"}]);
    let cases = [
        (
            json!({"name": "x", "cron": "0 4 * *", "time_zone": "UTC", "active": true, "tasks": say}),
            "five fields",
        ),
        (
            json!({"name": "x", "cron": "0 4 * * * *", "time_zone": "UTC", "active": true, "tasks": say}),
            "five fields",
        ),
        (
            json!({"name": "x", "cron": "61 4 * * *", "time_zone": "UTC", "active": true, "tasks": say}),
            "not understood",
        ),
        (
            json!({"name": "x", "cron": "0 4 * * *", "time_zone": "Mars/Olympus", "active": true, "tasks": say}),
            "not a time zone",
        ),
        (
            json!({"name": "", "cron": "0 4 * * *", "time_zone": "UTC", "active": true, "tasks": say}),
            "1 to 64",
        ),
        (
            json!({"name": "a\nb", "cron": "0 4 * * *", "time_zone": "UTC", "active": true, "tasks": say}),
            "one line",
        ),
        (schedule("x", json!([])), "1 to 20 tasks"),
        (
            schedule("x", json!(vec![json!({"action": "backup"}); 21])),
            "1 to 20 tasks",
        ),
        (
            schedule("x", json!([{"action": "backup", "offset_secs": 901}])),
            "at most 15 minutes",
        ),
        (
            schedule(
                "x",
                json!([{"action": "command", "command": "say a\nop me"}]),
            ),
            "one line",
        ),
        (
            schedule("x", json!([{"action": "delete_files", "paths": ["/"]}])),
            "folder itself",
        ),
        (
            schedule(
                "x",
                json!([{"action": "delete_files", "paths": ["../../etc"]}]),
            ),
            "",
        ),
        (
            schedule("x", json!([{"action": "delete_files", "paths": []}])),
            "1 to 100 paths",
        ),
        (
            json!({"name": "x", "trigger": {"kind": "idle", "minutes": 0}, "active": true, "tasks": say}),
            "1 to 1440 minutes",
        ),
        (
            json!({"name": "x", "trigger": {"kind": "idle", "minutes": 1441}, "active": true, "tasks": say}),
            "1 to 1440 minutes",
        ),
    ];
    for (s, why) in cases {
        let res = save(&app, &id, s.clone()).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{s}");
        let msg = message(res).await;
        assert!(msg.contains(why), "{s}: {msg}");
    }
    // bad JSON shapes are refused too
    let res = save(
        &app,
        &id,
        schedule("x", json!([{"action": "format_the_disk"}])),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let l = listed(&app, &id).await;
    assert_eq!(l["schedules"], json!([]), "nothing was saved");

    // a good one: its next run is 04:00 in Berlin
    let res = save(
        &app,
        &id,
        schedule(
            "nightly",
            json!([{"action": "command", "command": "say restarting"},
                   {"action": "power", "power": "restart", "offset_secs": 60}]),
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let saved = json(res).await;
    let next: DateTime<Utc> = saved["next_run_at"].as_str().unwrap().parse().unwrap();
    let berlin = next.with_timezone(&chrono_tz::Europe::Berlin);
    assert_eq!(
        (
            chrono::Timelike::hour(&berlin),
            chrono::Timelike::minute(&berlin)
        ),
        (4, 0)
    );
    assert!(next > Utc::now());
    assert_eq!(saved["author"], "admin");
    assert_eq!(saved["tasks"][1]["offset_secs"], 60);
    // the same name again is a conflict
    let res = save(
        &app,
        &id,
        schedule("nightly", json!([{"action": "backup"}])),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // paused: no next run
    let mut paused = schedule("nightly", json!([{"action": "backup"}]));
    paused["id"] = saved["id"].clone();
    paused["active"] = json!(false);
    let res = save(&app, &id, paused).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await["next_run_at"], Value::Null);
    // another server's schedule id is not this server's
    let other = a_server(&app, "arena").await;
    let res = app
        .call(
            "schedule_delete",
            json!({"id": other, "schedule": saved["id"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .call(
            "schedule_delete",
            json!({"id": id, "schedule": saved["id"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(listed(&app, &id).await["schedules"], json!([]));
}

async fn run_now_runs_the_tasks_in_order_and_keeps_each_outcome(app: TestApp) {
    app.setup_admin("admin", PASSWORD).await;
    let id = a_server(&app, "lobby").await;
    wait_status(&app, &id, "running").await;
    let res = app
        .call(
            "file_write",
            json!({"id": id, "path": "/old.log", "content": "old"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let s = json(
        save(
            &app,
            &id,
            schedule(
                "tidy",
                json!([{"action": "command", "command": "say tidying up"},
                       {"action": "delete_files", "paths": ["/old.log"], "offset_secs": 1},
                       {"action": "power", "power": "stop"}]),
            ),
        )
        .await,
    )
    .await;
    let run = json(
        app.call("schedule_run", json!({"id": id, "schedule": s["id"]}))
            .await,
    )
    .await;
    assert_eq!(run["state"], "running");
    assert_eq!(run["cause"], "now");
    let done = ended(&app, &id, run["id"].as_str().unwrap()).await;
    assert_eq!(done["state"], "done", "{done:#}");
    let oks: Vec<&Value> = done["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| &t["ok"])
        .collect();
    assert_eq!(oks, [true, true, true], "{done:#}");
    let files = json(app.call("files_list", json!({"id": id, "path": "/"})).await).await;
    assert!(
        !files.to_string().contains("old.log"),
        "the file was deleted: {files}"
    );
    let stopped = wait_status(&app, &id, "stopped").await;
    assert_eq!(stopped["desired"], "stopped");

    // a failing task stops the run, unless it may go on
    let failing = |go_on: bool| {
        schedule(
            if go_on { "go-on" } else { "stop-there" },
            json!([{"action": "command", "command": "say nobody hears", "continue_on_failure": go_on},
                   {"action": "power", "power": "start"}]),
        )
    };
    for go_on in [false, true] {
        let s = json(save(&app, &id, failing(go_on)).await).await;
        let run = json(
            app.call("schedule_run", json!({"id": id, "schedule": s["id"]}))
                .await,
        )
        .await;
        let r = ended(&app, &id, run["id"].as_str().unwrap()).await;
        let tasks = r["tasks"].as_array().unwrap();
        assert_eq!(tasks[0]["ok"], false, "{r:#}");
        assert!(
            tasks[0]["message"]
                .as_str()
                .unwrap()
                .contains("not running"),
            "{r:#}"
        );
        if go_on {
            assert_eq!(tasks.len(), 2, "the next task ran: {r:#}");
            assert_eq!(r["state"], "done");
            assert!(r["detail"].as_str().unwrap().contains("task 1 failed"));
        } else {
            assert_eq!(tasks.len(), 1, "nothing ran after it: {r:#}");
            assert_eq!(r["state"], "failed");
        }
    }
    let log = json(
        app.call("audit_log", json!({"action": "schedule.run"}))
            .await,
    )
    .await;
    assert!(log.as_array().unwrap().len() >= 3, "{log}");
    // and the metrics count them by cause and outcome, with their durations
    let mut text = String::new();
    for _ in 0..20 {
        text = reqwest::get(format!("{}/metrics", app.metrics_base))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if text.contains(r#"schedule_runs_total{cause="now",outcome="failed"} 1"#) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        text.contains(r#"schedule_runs_total{cause="now",outcome="done"} 2"#),
        "{text}"
    );
    assert!(
        text.contains(r#"schedule_runs_total{cause="now",outcome="failed"} 1"#),
        "{text}"
    );
    assert!(
        text.contains("schedule_run_duration_seconds_count 3"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_act_with_their_authors_rights_then_and_now() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let id = a_server(&app, "lobby").await;
    app.plain_user("mia", PASSWORD).await;
    app.plain_user("nils", PASSWORD).await;
    let member =
        |user: &str, perms: Value| json!({"id": id, "username": user, "permissions": perms});
    for (user, perms) in [
        ("mia", json!(["schedules"])),
        ("nils", json!(["console.read"])),
    ] {
        let res = app.call("server_member_set", member(user, perms)).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let mia = app.signed_in("mia", PASSWORD).await;
    let nils = app.signed_in("nils", PASSWORD).await;
    let say = schedule("say", json!([{"action": "command", "command": "say hi"}]));
    // without the schedules permission: refused
    let res = app.call_as(&nils, "schedules", json!({"id": id})).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app
        .call_as(&nils, "schedule_save", json!({"id": id, "schedule": say}))
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // with it, but not the task's own permission: refused, and nothing saved
    let res = app
        .call_as(&mia, "schedule_save", json!({"id": id, "schedule": say}))
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(message(res).await.contains("console.write"));
    assert_eq!(listed(&app, &id).await["schedules"], json!([]));
    // given it, mia saves one
    let res = app
        .call(
            "server_member_set",
            member("mia", json!(["schedules", "console.write"])),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .call_as(&mia, "schedule_save", json!({"id": id, "schedule": say}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let s = json(res).await;
    assert_eq!(s["author"], "mia");
    // mia loses console.write: the schedule cannot type for her any more
    let res = app
        .call("server_member_set", member("mia", json!(["schedules"])))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    wait_status(&app, &id, "running").await;
    let run = json(
        app.call_as(&mia, "schedule_run", json!({"id": id, "schedule": s["id"]}))
            .await,
    )
    .await;
    let r = ended(&app, &id, run["id"].as_str().unwrap()).await;
    assert_eq!(r["state"], "failed");
    assert!(
        r["tasks"][0]["message"]
            .as_str()
            .unwrap()
            .contains("console.write"),
        "{r:#}"
    );
}

/// Sets a schedule's next due time by hand (a fixed clock's starting point).
async fn set_next(app: &TestApp, schedule: &str, at: DateTime<Utc>) {
    use diesel_async::RunQueryDsl;
    let mut c = app.pool.get().await.unwrap();
    diesel::sql_query("UPDATE schedules SET next_run_at = $1 WHERE id = $2")
        .bind::<diesel::sql_types::Timestamptz, _>(at)
        .bind::<diesel::sql_types::Uuid, _>(schedule.parse::<uuid::Uuid>().unwrap())
        .execute(&mut c)
        .await
        .unwrap();
}

/// The due times of a schedule's runs by cron, oldest first, with their states.
async fn cron_runs(app: &TestApp, id: &str) -> Vec<(DateTime<Utc>, String)> {
    let mut runs: Vec<(DateTime<Utc>, String)> = listed(app, id).await["runs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["cause"] == "cron")
        .map(|r| {
            (
                r["due_at"].as_str().unwrap().parse().unwrap(),
                r["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    runs.sort();
    runs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_due_schedule_fires_once_with_two_replicas_ticking() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let id = a_server(&app, "lobby").await;
    let s = json(
        save(
            &app,
            &id,
            schedule("say", json!([{"action": "command", "command": "say hi"}])),
        )
        .await,
    )
    .await;
    let sid = s["id"].as_str().unwrap();
    let other = app.replica().await;
    let due = Utc::now() - chrono::Duration::seconds(30);
    set_next(&app, sid, due).await;
    // both replicas tick at the same moment, many times
    let now = Utc::now();
    let mut claimed = 0;
    for _ in 0..5 {
        let (a, b) = tokio::join!(
            panel_core::schedules::tick(&app.state, now),
            panel_core::schedules::tick(&other, now)
        );
        claimed += a.unwrap() + b.unwrap();
    }
    assert_eq!(claimed, 1, "one replica claimed it, once");
    assert_eq!(cron_runs(&app, &id).await.len(), 1);
    let after = json(app.call("schedules", json!({"id": id})).await).await;
    let next: DateTime<Utc> = after["schedules"][0]["next_run_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(next > now, "its next due time moved on: {next}");
}

/// A fixed clock across both of 2026's daylight-saving changes in Berlin, ticking every four
/// minutes: a run at 02:30 (a time the spring change skips and the autumn change passes twice)
/// runs once a day, neither skipped nor doubled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daylight_saving_changes_neither_skip_nor_double_a_run() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let id = a_server(&app, "lobby").await;
    let mut s = schedule("night", json!([{"action": "backup"}]));
    s["cron"] = json!("30 2 * * *");
    let s = json(save(&app, &id, s).await).await;
    let sid = s["id"].as_str().unwrap().to_string();
    let berlin = chrono_tz::Europe::Berlin;
    for (from, to, expected) in [
        // spring: 02:00 becomes 03:00 on the 29th; 02:30 does not exist that night
        (
            Utc.with_ymd_and_hms(2026, 3, 27, 12, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 3, 30, 12, 0, 0).unwrap(),
            vec![
                berlin.with_ymd_and_hms(2026, 3, 28, 2, 30, 0).unwrap(),
                berlin.with_ymd_and_hms(2026, 3, 29, 3, 0, 0).unwrap(),
                berlin.with_ymd_and_hms(2026, 3, 30, 2, 30, 0).unwrap(),
            ],
        ),
        // autumn: 03:00 becomes 02:00 on the 25th; 02:30 happens twice that night
        (
            Utc.with_ymd_and_hms(2026, 10, 23, 12, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2026, 10, 26, 12, 0, 0).unwrap(),
            vec![
                berlin.with_ymd_and_hms(2026, 10, 24, 2, 30, 0).unwrap(),
                berlin
                    .with_ymd_and_hms(2026, 10, 25, 2, 30, 0)
                    .earliest()
                    .unwrap(),
                berlin.with_ymd_and_hms(2026, 10, 26, 2, 30, 0).unwrap(),
            ],
        ),
    ] {
        let cron = panel_core::schedules::parse_cron("30 2 * * *").unwrap();
        let first = panel_core::schedules::next_after(&cron, berlin, from).unwrap();
        set_next(&app, &sid, first).await;
        let before = cron_runs(&app, &id).await.len();
        let mut now = from;
        while now <= to {
            panel_core::schedules::tick(&app.state, now).await.unwrap();
            now += chrono::Duration::minutes(4);
        }
        let runs = cron_runs(&app, &id).await;
        let new: Vec<&(DateTime<Utc>, String)> = runs[before..].iter().collect();
        let due: Vec<DateTime<Utc>> = new.iter().map(|(t, _)| *t).collect();
        let want: Vec<DateTime<Utc>> = expected.iter().map(|t| t.with_timezone(&Utc)).collect();
        assert_eq!(due, want, "one run a night");
        assert!(
            new.iter().all(|(_, state)| state != "skipped"),
            "none missed: {new:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_missed_by_more_than_the_window_is_recorded_as_skipped() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let id = a_server(&app, "lobby").await;
    let mut s = schedule(
        "hourly",
        json!([{"action": "command", "command": "say hi"}]),
    );
    s["cron"] = json!("0 * * * *");
    let s = json(save(&app, &id, s).await).await;
    let sid = s["id"].as_str().unwrap();
    // the panels were down for three hours: one skip is recorded, and it goes on from now
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 20, 0).unwrap();
    set_next(&app, sid, now - chrono::Duration::hours(3)).await;
    assert_eq!(
        panel_core::schedules::tick(&app.state, now).await.unwrap(),
        1
    );
    let runs = cron_runs(&app, &id).await;
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].1, "skipped");
    assert_eq!(
        runs[0].0,
        Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap(),
        "the latest missed time"
    );
    let l = listed(&app, &id).await;
    assert!(l["runs"][0]["detail"].as_str().unwrap().contains("missed"));
    assert_eq!(l["schedules"][0]["next_run_at"], "2026-06-01T13:00:00Z");
    // missed by less than the window: it runs (once)
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 13, 3, 0).unwrap();
    assert_eq!(
        panel_core::schedules::tick(&app.state, now).await.unwrap(),
        1
    );
    let runs = cron_runs(&app, &id).await;
    assert_eq!(runs.len(), 2);
    assert_ne!(runs[1].1, "skipped");
}

/// A template whose stand-in crashes two seconds after it starts, again and again.
async fn crashing_template(app: &TestApp) -> String {
    let (vanilla, _) = ids(app, "vanilla", "small").await;
    let mut t = json(app.call("template_export", json!({"id": vanilla})).await).await;
    t["name"] = json!("Vanilla (crashes)");
    t["spec"]["slug"] = json!("vanilla-crashes");
    t["spec"]["fixed_env"]["MCSIM_CRASH_AFTER_SECONDS"] = json!("2");
    let res = app.call("template_import", json!({"template": t})).await;
    assert_eq!(res.status(), StatusCode::OK);
    json(res).await["id"].as_str().unwrap().to_string()
}

/// A crash-triggered schedule runs once for each crash (the container's end is the crash's
/// time, the same for every replica), and a cron field is not asked of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_starts_the_crash_schedules_once_per_crash() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let t = crashing_template(&app).await;
    let (_, p) = ids(&app, "vanilla", "small").await;
    let id = json(create(&app, "wobbly", &t, &p).await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let s = json(
        save(
            &app,
            &id,
            json!({"name": "on crash", "trigger": {"kind": "crash"}, "active": true,
                "tasks": [{"action": "delete_files", "paths": ["/crash-reports"]}]}),
        )
        .await,
    )
    .await;
    assert_eq!(s["trigger"], json!({"kind": "crash"}), "{s}");
    assert_eq!(s["next_run_at"], Value::Null, "no cron, no next time");
    let mut runs = Vec::new();
    for _ in 0..300 {
        runs = listed(&app, &id).await["runs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["cause"] == "crash")
            .cloned()
            .collect();
        if runs.len() >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(runs.len() >= 2, "each crash ran it: {runs:#?}");
    let mut times: Vec<&str> = runs.iter().map(|r| r["due_at"].as_str().unwrap()).collect();
    let all = times.len();
    times.sort();
    times.dedup();
    assert_eq!(times.len(), all, "never twice for one crash: {runs:#?}");
}

/// An idle-triggered schedule runs once the running server has had nobody on it for its
/// minutes (the Server List Ping's count, on a fixed clock), once per empty spell.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_server_starts_its_idle_schedules_once_per_spell() {
    use panel_core::idle;
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let id = a_server(&app, "quiet").await;
    let s = json(
        save(
            &app,
            &id,
            json!({"name": "when empty", "trigger": {"kind": "idle", "minutes": 2}, "active": true,
                "tasks": [{"action": "command", "command": "say anyone there?"}]}),
        )
        .await,
    )
    .await;
    assert_eq!(s["trigger"], json!({"kind": "idle", "minutes": 2}));
    wait_status(&app, &id, "running").await;
    for _ in 0..100 {
        if !common::servers::server(&app, &id).await["players"].is_null() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let idle_runs = |l: Value| -> usize {
        l["runs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["cause"] == "idle")
            .count()
    };
    let mut seen = idle::Idle::default();
    let t0 = std::time::Instant::now();
    let later = |s| t0 + Duration::from_secs(s);
    for at in [0, 60, 119] {
        idle::check(&app.state, &mut seen, later(at)).await.unwrap();
    }
    assert_eq!(idle_runs(listed(&app, &id).await), 0, "not yet two minutes");
    for at in [120, 180, 600] {
        idle::check(&app.state, &mut seen, later(at)).await.unwrap();
    }
    assert_eq!(idle_runs(listed(&app, &id).await), 1, "once for the spell");
}

/// A console-triggered schedule: the lease holder follows the server's console, and a line
/// matching the pattern starts its run, at most once a minute; a pattern that is not a regular
/// expression is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_console_line_matching_the_pattern_starts_its_schedule() {
    use panel_core::schedules;
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let id = a_server(&app, "chatty").await;
    let on_line = |pattern: &str| {
        json!({"name": "on a line", "trigger": {"kind": "console", "pattern": pattern},
            "active": true, "tasks": [{"action": "command", "command": "say heard it"}]})
    };
    for (bad, why) in [("(unclosed", "not a regular expression"), ("", "1 to 200")] {
        let res = save(&app, &id, on_line(bad)).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert!(message(res).await.contains(why));
    }
    let s = json(save(&app, &id, on_line("secret w[o0]rd")).await).await;
    assert_eq!(
        s["trigger"],
        json!({"kind": "console", "pattern": "secret w[o0]rd"})
    );
    let speaker = json(
        save(
            &app,
            &id,
            schedule(
                "speaker",
                json!([{"action": "command", "command": "say the secret w0rd"}]),
            ),
        )
        .await,
    )
    .await;
    wait_status(&app, &id, "running").await;
    let mut followers = schedules::Followers::default();
    schedules::follow_consoles(&app.state, &mut followers)
        .await
        .unwrap();
    assert_eq!(
        followers.len(),
        1,
        "the running server's console is followed"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let console_runs = |l: &Value| -> usize {
        l["runs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["cause"] == "console")
            .count()
    };
    for _ in 0..2 {
        let res = app
            .call("schedule_run", json!({"id": id, "schedule": speaker["id"]}))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    let mut l = listed(&app, &id).await;
    for _ in 0..50 {
        if console_runs(&l) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        l = listed(&app, &id).await;
    }
    assert_eq!(
        console_runs(&l),
        1,
        "one run for two matching lines a minute: {l:#}"
    );
    // a stopped server's console is not followed
    assert_eq!(
        common::servers::power(&app, &id, "stop").await.status(),
        StatusCode::OK
    );
    wait_status(&app, &id, "stopped").await;
    schedules::follow_consoles(&app.state, &mut followers)
        .await
        .unwrap();
    assert!(followers.is_empty());
}

/// Benchmark, not a check (run by hand: `cargo test -p server --test schedules -- --ignored
/// --nocapture bench`): what a replica's tick costs with 1 000 schedules of which none is due,
/// and when 100 come due at once (each claimed by compare-and-set and its run written).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn bench_schedule_ticks() {
    use diesel_async::RunQueryDsl;
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let id = a_server(&app, "busy").await;
    for i in 0..1000 {
        let res = save(
            &app,
            &id,
            schedule(
                &format!("s{i}"),
                json!([{"action": "command", "command": "say hi"}]),
            ),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let now = Utc::now();
    let mut idle = Vec::new();
    for _ in 0..50 {
        let t = std::time::Instant::now();
        assert_eq!(
            panel_core::schedules::tick(&app.state, now).await.unwrap(),
            0
        );
        idle.push(t.elapsed());
    }
    idle.sort();
    let mut c = app.pool.get().await.unwrap();
    diesel::sql_query(
        "UPDATE schedules SET next_run_at = now() - interval '10 seconds' \
         WHERE name IN (SELECT name FROM schedules ORDER BY name LIMIT 100)",
    )
    .execute(&mut c)
    .await
    .unwrap();
    let t = std::time::Instant::now();
    let claimed = panel_core::schedules::tick(&app.state, Utc::now())
        .await
        .unwrap();
    let busy = t.elapsed();
    assert_eq!(claimed, 100);
    println!(
        "schedules tick, 1 000 schedules, none due: median {:?}, p95 {:?}; 100 due: {:?} ({:?} each)",
        idle[25],
        idle[47],
        busy,
        busy / 100
    );
}
