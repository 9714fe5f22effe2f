//! File manager throughput: listing a folder of 10 000 entries, reading and writing 4 MiB of
//! text, uploading and downloading 200 MiB, against a release panel and fakekube on loopback.
//!
//! Creates the server `bench-files` and waits until its files can be listed; unpacks a tar.gz
//! of `ENTRIES` empty files (timed too), then times each operation `ROUNDS` times.
//!
//! `cargo run --release -p server --example files_load -- [ENTRIES] [ROUNDS] [UPLOAD_MIB]` with
//! `PANEL_URL` and `BENCH_PASSWORD`. See `scripts/bench-files.sh`.

use std::io::Write;
use std::time::{Duration, Instant};

mod support;

use futures::StreamExt;
use serde_json::json;
use support::Api;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let entries: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let rounds: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let upload_mib: u64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(200);
    let api = Api::sign_in().await;
    let http = reqwest::Client::new();

    let templates = api.call("templates", json!({})).await;
    let plans = api.call("plans", json!({})).await;
    let pick = |v: &serde_json::Value, slug: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|t| t["slug"] == slug)
            .unwrap()["id"]
            .clone()
    };
    let created = api
        .call(
            "server_create",
            json!({"name": "bench-files", "template_id": pick(&templates, "vanilla"),
                   "plan_id": pick(&plans, "small"), "variables": {}}),
        )
        .await;
    let id = created["id"].as_str().expect("created").to_string();
    let t0 = Instant::now();
    loop {
        let l = api.call("files_list", json!({"id": id, "path": "/"})).await;
        if l["entries"].is_array() {
            break;
        }
        assert!(
            t0.elapsed() < Duration::from_secs(120),
            "never running: {l}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    // A folder of `entries` files, by unpacking an archive
    let mut tar = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for i in 0..entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(0);
        h.set_mode(0o644);
        tar.append_data(&mut h, format!("many/file-{i:05}.yml"), std::io::empty())
            .unwrap();
    }
    let gz = tar.into_inner().unwrap().finish().unwrap();
    upload(&http, &api, &id, "/many.tar.gz", gz).await;
    let t = Instant::now();
    let r = api
        .call("file_decompress", json!({"id": id, "path": "/many.tar.gz"}))
        .await;
    assert!(r.is_array(), "{r}");
    println!("unpack {entries} entries: {:.0} ms", ms(t.elapsed()));

    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let res = http
            .post(format!("{}/api/files_list", api.base))
            .header("origin", &api.base)
            .header("content-type", "application/json")
            .header("cookie", &api.cookie)
            .body(json!({"id": id, "path": "/many"}).to_string())
            .send()
            .await
            .unwrap();
        let body = res.bytes().await.unwrap();
        times.push(t.elapsed());
        bytes = body.len();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["entries"].as_array().unwrap().len(), entries);
    }
    report(
        &format!("list {entries} entries ({} KiB of JSON)", bytes / 1024),
        &mut times,
    );

    // 4 MiB of text: write (over the version read), then read
    let line = "key: value with some text to make a config line long enough\n";
    let text: String = line.repeat(4 * 1024 * 1024 / line.len());
    let mut version = None::<String>;
    let mut writes = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let v = api
            .call(
                "file_write",
                json!({"id": id, "path": "/big.yml", "content": text, "version": version}),
            )
            .await;
        writes.push(t.elapsed());
        version = Some(
            v.as_str()
                .unwrap_or_else(|| panic!("not written: {v}"))
                .to_string(),
        );
    }
    report(
        &format!("write {} KiB of text", text.len() / 1024),
        &mut writes,
    );
    let mut reads = Vec::new();
    for _ in 0..rounds {
        let t = Instant::now();
        let f = api
            .call("file_read", json!({"id": id, "path": "/big.yml"}))
            .await;
        reads.push(t.elapsed());
        assert_eq!(f["content"].as_str().unwrap().len(), text.len());
    }
    report(
        &format!("read {} KiB of text", text.len() / 1024),
        &mut reads,
    );

    // Upload and download `upload_mib` MiB, streamed from and to nowhere
    let size = upload_mib * 1024 * 1024;
    let chunk = vec![7u8; 1024 * 1024];
    let body =
        futures::stream::iter((0..upload_mib).map(move |_| Ok::<_, std::io::Error>(chunk.clone())));
    let t = Instant::now();
    let res = http
        .put(format!(
            "{}/api/servers/{id}/files/upload?path=/big.bin&overwrite=true",
            api.base
        ))
        .header("origin", &api.base)
        .header("cookie", &api.cookie)
        .header("x-panel-request", "bench")
        .header("content-length", size)
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let up = t.elapsed();
    println!(
        "upload {upload_mib} MiB: {:.1} s, {:.0} MiB/s",
        up.as_secs_f64(),
        upload_mib as f64 / up.as_secs_f64()
    );
    let t = Instant::now();
    let res = http
        .get(format!(
            "{}/api/servers/{id}/files/download?path=/big.bin",
            api.base
        ))
        .header("cookie", &api.cookie)
        .send()
        .await
        .unwrap();
    let mut stream = res.bytes_stream();
    let mut got = 0u64;
    while let Some(c) = stream.next().await {
        got += c.unwrap().len() as u64;
    }
    assert_eq!(got, size);
    let down = t.elapsed();
    println!(
        "download {upload_mib} MiB: {:.1} s, {:.0} MiB/s",
        down.as_secs_f64(),
        upload_mib as f64 / down.as_secs_f64()
    );
    let _ = std::io::stdout().flush();
}

async fn upload(http: &reqwest::Client, api: &Api, id: &str, path: &str, bytes: Vec<u8>) {
    let res = http
        .put(format!(
            "{}/api/servers/{id}/files/upload?path={path}&overwrite=true",
            api.base
        ))
        .header("origin", &api.base)
        .header("cookie", &api.cookie)
        .header("x-panel-request", "bench")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let p = |q: f64| ms(times[((times.len() as f64 - 1.0) * q).round() as usize]);
    println!(
        "{what}: median {:.0} ms, p95 {:.0} ms, min {:.0} ms ({} rounds)",
        p(0.5),
        p(0.95),
        p(0.0),
        times.len()
    );
}
