//! The panel across a primary switch of a real replicated Postgres, as CloudNativePG does a
//! switchover: the primary is made read-only, the synchronous standby catches up and is
//! promoted; then the new primary drops every connection. The panel's URL names both
//! (`target_session_attrs=read-write`, the part the `-rw` Service plays in a cluster). Requests
//! in the switch fail cleanly (503, `Retry-After`, nothing half-done), no acknowledged write is
//! lost, and the pool finds the new primary and reconnects.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::replication::Node;
use common::{TestApp, json};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, ORIGIN, RETRY_AFTER};
use serde_json::json;

/// What one write of the writer got.
#[derive(Debug)]
struct Outcome {
    slug: String,
    status: StatusCode,
    error: Option<String>,
    retry_after: bool,
    after_switch: bool,
}

fn plan(slug: &str) -> serde_json::Value {
    json!({"plan": {"slug": slug, "name": slug, "cpu_request_millis": 500, "cpu_limit_millis": 1000, "memory_mib": 1024, "disk_gib": 1}})
}

async fn create_plan(
    client: &reqwest::Client,
    base: &str,
    slug: &str,
) -> (StatusCode, Option<String>, bool) {
    let res = client
        .post(format!("{base}/api/plan_create"))
        .header(ORIGIN, base)
        .header(CONTENT_TYPE, "application/json")
        .body(plan(slug).to_string())
        .send()
        .await
        .unwrap();
    let status = res.status();
    let retry_after = res.headers().contains_key(RETRY_AFTER);
    let body: serde_json::Value = res.json().await.unwrap_or_default();
    let error = body["error"].as_str().map(str::to_owned);
    (status, error, retry_after)
}

/// The slugs of the plans in `node`'s database.
fn plans_on(node: &Node) -> Vec<String> {
    node.psql("SELECT slug FROM plans ORDER BY slug")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_primary_switch_loses_no_acknowledged_write_and_the_pool_follows_the_new_primary() {
    let old = Node::primary();
    let new = Node::standby_of(&old);
    let streaming = "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'";
    for _ in 0..200 {
        if old.psql(streaming) == "1" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(old.psql(streaming), "1", "the standby streams");
    // synchronous replication: a commit is acknowledged once the standby has it (CNPG's
    // `synchronous`), so a switch cannot lose it
    old.psql("ALTER SYSTEM SET synchronous_standby_names = '*'");
    old.psql("SELECT pg_reload_conf()");
    for _ in 0..200 {
        if old.psql("SELECT sync_state FROM pg_stat_replication") == "sync" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        old.psql("SELECT sync_state FROM pg_stat_replication"),
        "sync"
    );

    let url = format!(
        "postgres://postgres@127.0.0.1:{},127.0.0.1:{}/postgres?target_session_attrs=read-write&connect_timeout=2",
        old.port, new.port
    );
    let app = TestApp::spawn_on(&url, |c| c.db_pool_size = 4).await;
    assert_eq!(
        app.setup_admin("admin", "correct horse battery")
            .await
            .status(),
        StatusCode::OK
    );

    // a writer keeps creating plans through the switch and notes what each call got
    let switched = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (client, base) = (app.client.clone(), app.base.clone());
        let (switched, stop) = (switched.clone(), stop.clone());
        tokio::spawn(async move {
            let mut outcomes = Vec::new();
            for i in 0.. {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let slug = format!("plan-{i:04}");
                let after_switch = switched.load(Ordering::SeqCst);
                let (status, error, retry_after) = create_plan(&client, &base, &slug).await;
                outcomes.push(Outcome {
                    slug,
                    status,
                    error,
                    retry_after,
                    after_switch,
                });
                if !status.is_success() {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            outcomes
        })
    };
    let acknowledged = |n: usize| {
        let plans = plans_on(&old);
        plans.len() >= n
    };
    for _ in 0..600 {
        if acknowledged(20) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(acknowledged(20), "writes reach the first primary");

    // the switch: the primary stops taking writes (CNPG fences it; here it is left up,
    // read-only), the standby replays all it was sent and is promoted
    old.psql("ALTER SYSTEM SET default_transaction_read_only = on");
    old.psql("SELECT pg_reload_conf()");
    // the backends take the reload at their next command, once the signal reaches them
    tokio::time::sleep(Duration::from_millis(300)).await;
    let end = old.psql("SELECT pg_current_wal_lsn()");
    for _ in 0..600 {
        if new.psql(&format!(
            "SELECT pg_last_wal_replay_lsn() >= '{end}'::pg_lsn"
        )) == "t"
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // no primary at all for a moment: a write is refused cleanly and changes nothing
    let (status, error, retry_after) = create_plan(&app.client, &app.base, "in-the-gap").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{error:?}");
    assert_eq!(error.as_deref(), Some("unavailable"));
    assert!(retry_after, "a Retry-After comes with it");
    tokio::time::sleep(Duration::from_millis(500)).await;
    new.promote();
    switched.store(true, Ordering::SeqCst);

    // the pool finds the new primary: writes succeed again
    let mut recovered = false;
    for _ in 0..600 {
        if plans_on(&new).len() >= plans_on(&old).len() + 20 {
            recovered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // then the new primary drops every connection (an operator's restart, a fence that kills
    // them): the pool notices on the next use and connects again
    let before = plans_on(&new).len();
    if recovered {
        new.psql(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
             WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
        );
        recovered = false;
        for _ in 0..600 {
            if plans_on(&new).len() >= before + 10 {
                recovered = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    stop.store(true, Ordering::SeqCst);
    let outcomes = writer.await.unwrap();
    assert!(recovered, "writes resume on the new primary: {outcomes:#?}");
    eprintln!(
        "{} writes: {} acknowledged, {} refused with 503",
        outcomes.len(),
        outcomes.iter().filter(|o| o.status.is_success()).count(),
        outcomes.iter().filter(|o| !o.status.is_success()).count()
    );

    // every failure was the clean one: 503 `unavailable` with a Retry-After, never a 500
    for o in outcomes.iter().filter(|o| !o.status.is_success()) {
        assert_eq!(o.status, StatusCode::SERVICE_UNAVAILABLE, "{o:?}");
        assert_eq!(o.error.as_deref(), Some("unavailable"), "{o:?}");
        assert!(o.retry_after, "{o:?}");
    }
    // nothing acknowledged is lost, and nothing refused was half-written
    let kept = plans_on(&new);
    for o in &outcomes {
        assert_eq!(
            kept.contains(&o.slug),
            o.status.is_success(),
            "{o:?} (acknowledged writes are on the new primary, refused ones nowhere)"
        );
    }
    assert!(!kept.iter().any(|s| s == "in-the-gap"));
    let old_plans = plans_on(&old);
    assert!(
        old_plans.iter().all(|p| kept.contains(p)),
        "the old primary holds nothing the new one lacks"
    );
    assert!(
        outcomes
            .iter()
            .any(|o| o.after_switch && o.status.is_success()),
        "writes after the switch were acknowledged"
    );
    // reads through the API see them all, and the panel says it is ready
    let listed = json(app.call("plans", json!({})).await).await;
    let listed = listed.as_array().unwrap();
    assert!(
        outcomes
            .iter()
            .filter(|o| o.status.is_success())
            .all(|o| listed.iter().any(|p| p["slug"] == o.slug))
    );
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::OK);
}
