//! `/metrics`: the Prometheus exposition after real traffic (requests by route template and
//! status, servers, power actions, pool, sessions), checked by `promtool` when it is installed.

mod common;

use common::servers::{create, ids};
use common::{TestApp, json};
use serde_json::json;

/// `/metrics` is not on the public port (the Ingress would publish it): a 404 that says where
/// it is, with no metric in it, and the web app's fallback does not answer it either.
#[tokio::test]
async fn metrics_are_not_on_the_public_port() {
    let app = TestApp::spawn().await;
    let res = reqwest::get(app.url("/metrics")).await.unwrap();
    assert_eq!(res.status(), 404);
    let body = res.text().await.unwrap();
    assert!(body.contains("their own port"), "{body}");
    assert!(!body.contains("panel_"), "{body}");
    // and the metrics port serves nothing else
    let res = reqwest::get(format!("{}/api/panel_info", app.metrics_base))
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn metrics_count_real_traffic() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let id = json(create(&app, "metered", &t, &p).await).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.call("server_power", json!({"id": id, "action": "restart"}))
        .await;
    app.call("servers", json!({})).await;
    app.call_as(&TestApp::new_client(), "servers", json!({}))
        .await; // 401
    app.call("no_such_endpoint", json!({})).await; // 404

    let res = reqwest::get(format!("{}/metrics", app.metrics_base))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = res.text().await.unwrap();
    for want in [
        "panel_http_requests_total{route=\"/api/servers\",method=\"POST\",status=\"200\"} 1",
        "panel_http_requests_total{route=\"/api/servers\",method=\"POST\",status=\"401\"} 1",
        "panel_http_requests_total{route=\"/api/{*rest}\",method=\"POST\",status=\"404\"} 1",
        "panel_servers_created_total 1",
        "panel_power_actions_total{action=\"restart\"} 1",
        "panel_db_pool_max_connections 4",
        "panel_sessions_active 1",
        "panel_http_request_duration_seconds_count{route=\"/api/server_create\"} 1",
        "panel_pod_watch_restarts_total 0",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    assert!(text.contains("panel_servers{status="), "servers by status");
    assert!(!text.contains(&id), "no ids in labels");

    // promtool (Debian's `prometheus` package) accepts it
    if let Ok(mut child) = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "promtool: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A real Prometheus (Debian's package) scrapes the panel: the target is up and a panel series
/// is queryable. Skipped where `prometheus` is not installed (`scripts/test.sh` installs it).
#[tokio::test]
async fn a_real_prometheus_scrapes_the_panel() {
    if std::process::Command::new("prometheus")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("prometheus is not installed; skipped");
        return;
    }
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let dir = app.data_dir.join("prometheus");
    std::fs::create_dir_all(&dir).unwrap();
    let target = app.metrics_base.trim_start_matches("http://");
    std::fs::write(
        dir.join("prometheus.yml"),
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: panel\n    static_configs:\n      - targets: ['{target}']\n"
        ),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut prom = tokio::process::Command::new("prometheus")
        .arg(format!(
            "--config.file={}",
            dir.join("prometheus.yml").display()
        ))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.join("data").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let query = |q: &'static str| {
        let url = format!("http://127.0.0.1:{port}/api/v1/query");
        async move {
            let res = reqwest::Client::new()
                .get(url)
                .query(&[("query", q)])
                .send()
                .await
                .ok()?;
            let v: serde_json::Value = res.json().await.ok()?;
            v["data"]["result"].as_array().cloned()
        }
    };
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let up = query("up{job=\"panel\"}").await.unwrap_or_default();
        let requests = query("panel_http_requests_total").await.unwrap_or_default();
        if up.first().is_some_and(|r| r["value"][1] == "1") && !requests.is_empty() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "Prometheus never scraped the panel: up={up:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    let _ = prom.kill().await;
}

/// When the pod watch fails (the API server unavailable as the watch is re-opened), the restart
/// is counted.
#[tokio::test]
async fn pod_watch_failures_are_counted() {
    let app = TestApp::spawn().await;
    let faults = &app.fake.as_ref().unwrap().cluster.faults;
    // let the watch start, then cut it while the API server refuses everything
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    faults.apply(&fakekube::FaultRequest {
        unavailable: Some(true),
        drop_watches: Some(true),
        ..Default::default()
    });
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    let restarts = loop {
        let text = reqwest::get(format!("{}/metrics", app.metrics_base))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let n: u64 = text
            .lines()
            .find_map(|l| l.strip_prefix("panel_pod_watch_restarts_total "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if n > 0 || tokio::time::Instant::now() > deadline {
            break n;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    };
    faults.apply(&fakekube::FaultRequest {
        unavailable: Some(false),
        ..Default::default()
    });
    assert!(restarts > 0, "the watch's failures were not counted");
}
