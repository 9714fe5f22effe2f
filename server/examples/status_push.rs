//! Status push latency: how long a pod's change takes to reach a page.
//!
//! Signs in, opens the dashboard's status socket (`/api/events`), starts the server `NAME`
//! (default `bench-1`) and waits for it to run; then `ROUNDS` times flips its pod's status in the
//! cluster (a crash, then ready again) with a status patch straight to the API server, and times
//! each change until the socket delivers it.
//!
//! `cargo run --release -p server --example status_push -- [ROUNDS] [NAME]` with `PANEL_URL`,
//! `KUBE_URL` (a fakekube) or `BENCH_KUBECONFIG` (a real cluster's administrator, e.g.
//! realkube's), `BENCH_NAMESPACE` (default `games`), `BENCH_PASSWORD`. See
//! `scripts/bench-servers.sh`.

use std::time::{Duration, Instant};

mod support;

use futures::StreamExt;
use serde_json::{Value, json};
use support::Api;
use tokio_tungstenite::tungstenite::Message;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(20);
    let name = args.get(1).cloned().unwrap_or_else(|| "bench-1".into());
    let kube = std::env::var("KUBE_URL").unwrap_or_else(|_| "http://127.0.0.1:16443".into());
    let api = Api::sign_in().await;
    let http = reqwest::Client::new();
    let servers = api.call("servers", json!({})).await;
    let server = servers
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name.as_str())
        .expect("the server")
        .clone();
    let id = server["id"].as_str().unwrap().to_string();
    let object = server["object_name"].as_str().unwrap().to_string();

    let req = api.socket("/api/events");
    let (mut ws, _) = tokio_tungstenite::connect_async(req).await.expect("socket");
    let mut wait_for = async |want: &str| -> Duration {
        let t0 = Instant::now();
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(120), ws.next())
                .await
                .expect("a status in time")
                .expect("open")
                .expect("frame");
            let Message::Text(t) = msg else { continue };
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["event"] == "status"
                && v["args"]["id"] == id.as_str()
                && v["args"]["status"] == want
            {
                return t0.elapsed();
            }
        }
    };
    api.call("server_power", json!({"id": id, "action": "start"}))
        .await;
    let boot = wait_for("running").await;
    println!(
        "start -> running pushed: {:.0} ms",
        boot.as_secs_f64() * 1000.0
    );

    let ns = std::env::var("BENCH_NAMESPACE").unwrap_or_else(|_| "games".into());
    let pod_name = format!("{object}-0");
    let pod_status = format!("{kube}/api/v1/namespaces/{ns}/pods/{pod_name}/status");
    // a real cluster: its administrator's client (TLS and a token); fakekube: plain HTTP
    let real: Option<kube::Api<k8s_openapi::api::core::v1::Pod>> =
        match std::env::var("BENCH_KUBECONFIG") {
            Ok(path) => {
                let kc = kube::config::Kubeconfig::read_from(path).expect("kubeconfig");
                let cfg = kube::Config::from_custom_kubeconfig(kc, &Default::default())
                    .await
                    .expect("config");
                let client = kube::Client::try_from(cfg).expect("client");
                Some(kube::Api::namespaced(client, &ns))
            }
            Err(_) => None,
        };
    let pod: Value = match &real {
        Some(pods) => serde_json::to_value(pods.get(&pod_name).await.expect("the pod")).unwrap(),
        None => http
            .get(&pod_status)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap(),
    };
    let healthy = pod["status"]["containerStatuses"].clone();
    let mut crashed = healthy.clone();
    crashed[0]["ready"] = json!(false);
    crashed[0]["state"] = json!({"waiting": {"reason": "CrashLoopBackOff"}});
    crashed[0]["lastState"] = json!({"terminated": {"exitCode": 1}});
    let mut times = Vec::new();
    for _ in 0..rounds {
        for (statuses, want) in [(&crashed, "crashed"), (&healthy, "running")] {
            let t0 = Instant::now();
            let patch = json!({"status": {"containerStatuses": statuses}});
            match &real {
                Some(pods) => {
                    pods.patch_status(
                        &pod_name,
                        &kube::api::PatchParams::default(),
                        &kube::api::Patch::Merge(&patch),
                    )
                    .await
                    .expect("patch");
                }
                None => {
                    let res = http
                        .patch(&pod_status)
                        .header("content-type", "application/merge-patch+json")
                        .body(patch.to_string())
                        .send()
                        .await
                        .unwrap();
                    assert!(res.status().is_success(), "patch: {}", res.status());
                }
            }
            wait_for(want).await;
            times.push(t0.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "pod status change -> page: {} changes, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        times.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
}
