//! `metrics.k8s.io/v1beta1` PodMetrics, as metrics-server serves them: a pod's CPU (a rate
//! over the time since the previous request, or since the process started) and memory (RSS),
//! read from `/proc` for the container's process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::Cluster;
use crate::status::ApiError;

/// Clock ticks per second of `/proc/<pid>/stat` (USER_HZ, 100 on Linux).
const HZ: f64 = 100.0;

/// The previous CPU reading of each pod's process.
#[derive(Debug, Default)]
pub struct Samples {
    last: Mutex<HashMap<i32, (f64, Instant)>>,
}

/// CPU seconds used, seconds since the process started, and RSS in KiB.
fn read(pid: i32) -> Option<(f64, f64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let f: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let cpu = (f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / HZ;
    let start = f.get(19)?.parse::<f64>().ok()? / HZ;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let rss = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Some((cpu, (uptime - start).max(0.001), rss))
}

/// `GET /apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods/{name}`.
pub async fn pod(
    State(c): State<Arc<Cluster>>,
    Path((ns, name)): Path<(String, String)>,
) -> Response {
    let not_found = || ApiError::not_found("pods.metrics.k8s.io", &name).into_response();
    let Ok(pod) = c.store.get(crate::resources::by_kind("Pod"), &ns, &name) else {
        return not_found();
    };
    let container = pod
        .pointer("/spec/containers/0/name")
        .and_then(|v| v.as_str())
        .unwrap_or("main")
        .to_string();
    let pid_file = c.kubelet.runtime().pod_dir(&ns, &name).join("main.pid");
    let Some(pid) = std::fs::read_to_string(pid_file)
        .ok()
        .and_then(|t| t.trim().parse::<i32>().ok())
    else {
        return not_found();
    };
    let Some((cpu, age, rss)) = read(pid) else {
        return not_found();
    };
    let now = Instant::now();
    let rate = {
        let mut last = c.metrics.last.lock().expect("samples");
        let rate = match last.get(&pid) {
            Some((prev, at)) if now > *at => (cpu - prev) / now.duration_since(*at).as_secs_f64(),
            _ => cpu / age,
        };
        last.insert(pid, (cpu, now));
        rate.max(0.0)
    };
    Json(json!({
        "kind": "PodMetrics",
        "apiVersion": "metrics.k8s.io/v1beta1",
        "metadata": {"name": name, "namespace": ns},
        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "window": "10s",
        "containers": [{
            "name": container,
            "usage": {"cpu": format!("{}n", (rate * 1e9) as u64), "memory": format!("{rss}Ki")},
        }],
    }))
    .into_response()
}
