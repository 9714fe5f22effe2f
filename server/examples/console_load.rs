//! Console load: many websocket viewers of one server that floods its console.
//!
//! Signs in to a running panel, makes (once) a `flood` template printing `RATE` lines a second
//! and a server of it, waits for it to run, opens `VIEWERS` console sockets, and for `SECONDS`
//! counts the lines each receives and the latency from mcsim's print (its lines carry the print
//! time) to the viewer. With `--pid`, also the panel's CPU time and memory over the window.
//!
//! `cargo run --release -p server --example console_load -- [VIEWERS] [SECONDS] [RATE]` with
//! `PANEL_URL`, `BENCH_PASSWORD` (user `admin`) and optionally `PANEL_PID`. See
//! `scripts/bench-console.sh`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

mod support;

use futures::StreamExt;
use serde_json::{Value, json};
use support::Api;
use tokio_tungstenite::tungstenite::Message;

fn now_micros() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros())
}

/// CPU seconds (user + system) and (RSS, peak RSS) in KiB of a process.
fn usage(pid: u32) -> Option<(f64, u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields[11].parse::<f64>().ok()? + fields[12].parse::<f64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Some((ticks / 100.0, kib("VmRSS:"), kib("VmHWM:")))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, d: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(d);
    let (viewers, seconds, rate) = (arg(0, 500) as usize, arg(1, 10), arg(2, 10_000));
    let pid: Option<u32> = std::env::var("PANEL_PID").ok().and_then(|p| p.parse().ok());

    let api = Api::sign_in().await;

    let templates = api.call("templates", json!({})).await;
    let find = |list: &Value, slug: &str| {
        list.as_array()
            .and_then(|a| a.iter().find(|t| t["slug"] == slug).cloned())
    };
    let flood = match find(&templates, "flood") {
        Some(t) => t,
        None => {
            let paper = find(&templates, "paper").expect("paper template");
            let mut t = api
                .call("template_export", json!({"id": paper["id"]}))
                .await;
            t["name"] = json!("Flood");
            t["spec"]["slug"] = json!("flood");
            t["spec"]["fixed_env"]["MCSIM_FLOOD_LINES_PER_SEC"] = json!(rate.to_string());
            api.call("template_import", json!({"template": t})).await
        }
    };
    let plans = api.call("plans", json!({})).await;
    let small = find(&plans, "small").expect("small plan");
    let servers = api.call("servers", json!({})).await;
    let server = match servers
        .as_array()
        .and_then(|a| a.iter().find(|s| s["name"] == "bench-flood").cloned())
    {
        Some(s) => s,
        None => {
            api.call(
                "server_create",
                json!({"name": "bench-flood", "template_id": flood["id"], "plan_id": small["id"], "variables": {}}),
            )
            .await
        }
    };
    let id = server["id"].as_str().expect("server id").to_string();
    loop {
        let s = api.call("server", json!({"id": id})).await;
        if s["status"] == "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    println!("server running; opening {viewers} viewers");

    let path = format!("/api/servers/{id}/console");
    let lines = Arc::new(AtomicU64::new(0));
    let dropped = Arc::new(AtomicU64::new(0));
    let warmup = Duration::from_secs(3);
    let t0 = Instant::now() + warmup;
    let end = t0 + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..viewers {
        let req = api.socket(&path);
        let (lines, dropped) = (lines.clone(), dropped.clone());
        tasks.push(tokio::spawn(async move {
            let (mut ws, _) = tokio_tungstenite::connect_async(req).await.expect("socket");
            let mut latencies: Vec<u32> = Vec::new();
            while let Ok(Some(Ok(msg))) = tokio::time::timeout_at(end.into(), ws.next()).await {
                let Message::Text(t) = msg else { continue };
                let now = Instant::now();
                if now < t0 {
                    continue;
                }
                let v: Value = serde_json::from_str(&t).unwrap();
                match v["event"].as_str() {
                    Some("output") => {
                        let batch = v["args"].as_array().unwrap();
                        lines.fetch_add(batch.len() as u64, Ordering::Relaxed);
                        let at_now = now_micros();
                        for l in batch {
                            let l = l.as_str().unwrap_or("");
                            if let Some(at) = l
                                .rsplit_once(" at ")
                                .and_then(|(_, a)| a.parse::<u128>().ok())
                            {
                                latencies.push(at_now.saturating_sub(at) as u32);
                            }
                        }
                    }
                    Some("throttled") => {
                        dropped.fetch_add(
                            v["args"]["dropped"].as_u64().unwrap_or(0),
                            Ordering::Relaxed,
                        );
                    }
                    _ => {}
                }
            }
            latencies
        }));
    }
    tokio::time::sleep_until(t0.into()).await;
    let before = pid.and_then(usage);
    tokio::time::sleep_until(end.into()).await;
    let after = pid.and_then(usage);
    let mut all: Vec<u32> = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |v| f64::from(*v) / 1000.0)
    };
    let total = lines.load(Ordering::Relaxed);
    println!("viewers: {viewers}, window: {seconds} s, server prints {rate} lines/s");
    println!(
        "delivered: {total} lines, {:.0} lines/s in all, {:.0} lines/s per viewer",
        total as f64 / seconds as f64,
        total as f64 / seconds as f64 / viewers as f64
    );
    println!(
        "latency print -> viewer: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({} samples)",
        pct(0.5),
        pct(0.99),
        pct(1.0),
        all.len()
    );
    println!(
        "throttled: {} lines announced as dropped (summed over viewers)",
        dropped.load(Ordering::Relaxed)
    );
    if let (Some((c0, _, _)), Some((c1, rss, hwm))) = (before, after) {
        println!(
            "panel: {:.0} % CPU (of one core) over the window, RSS {} MiB, peak {} MiB",
            (c1 - c0) / seconds as f64 * 100.0,
            rss / 1024,
            hwm / 1024
        );
    }
}
