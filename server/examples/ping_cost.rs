//! What asking every running server who is online costs the panel: `N` servers (default 500)
//! answer the Server List Ping on their own loopback addresses in a second process (this
//! example started with `--serve N`, so their work is not counted), and the panel's own
//! `panel_core::players::ping` asks them all, 64 at once as its round does, `ROUNDS` times
//! (default 10). Prints the wall time of a round and the panel side's CPU time per round (its
//! threads' scheduler statistics), with the connections a round opens (one per server).
//!
//! `cargo run --release -p server --example ping_cost -- [N] [ROUNDS]`

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Where the `i`-th server listens: 127.0.<1 + i / 250>.<1 + i % 250>:25565.
fn address(i: usize) -> SocketAddr {
    SocketAddr::from((
        Ipv4Addr::new(127, 0, 1 + (i / 250) as u8, 1 + (i % 250) as u8),
        25565,
    ))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--serve") {
        let n = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(500);
        return serve(n).await;
    }
    let n: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(500);
    let rounds: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let mut servers = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--serve", &n.to_string()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the servers' process");
    // it prints one line once every server listens
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(servers.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let targets: Vec<SocketAddr> = (0..n).map(address).collect();
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..rounds {
        let cpu = cpu_time();
        let wall = Instant::now();
        let answered = futures::stream::iter(targets.iter().copied())
            .map(|addr| async move { panel_core::players::ping(addr).await.is_ok() })
            .buffer_unordered(panel_core::players::CONCURRENCY)
            .filter(|ok| std::future::ready(*ok))
            .count()
            .await;
        walls.push(wall.elapsed());
        cpus.push(cpu_time() - cpu);
        assert_eq!(answered, n, "every server answered");
    }
    let _ = servers.kill();
    let _ = servers.wait();
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    println!(
        "{n} servers, {rounds} rounds, {} at once: a round takes {:.1} ms (median), {:.2} ms of the panel's CPU (median), {n} connections",
        panel_core::players::CONCURRENCY,
        ms(&median(&mut walls)),
        ms(&median(&mut cpus)),
    );
}

/// CPU time of this process so far: every thread's time on a CPU, in nanoseconds
/// (`/proc/self/task/*/schedstat`; `/proc/self/stat` counts in 10 ms ticks).
fn cpu_time() -> Duration {
    let mut ns = 0u64;
    for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        if let Ok(text) = std::fs::read_to_string(task.path().join("schedstat")) {
            ns += text
                .split_whitespace()
                .next()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
        }
    }
    Duration::from_nanos(ns)
}

/// `n` servers answering the status request and the ping, as a Minecraft server does.
async fn serve(n: usize) {
    for i in 0..n {
        let listener = TcpListener::bind(address(i))
            .await
            .expect("a loopback address");
        tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                tokio::spawn(answer(conn));
            }
        });
    }
    println!("listening");
    std::future::pending::<()>().await;
}

async fn answer(mut conn: TcpStream) -> std::io::Result<()> {
    let _handshake = read_packet(&mut conn).await?;
    let _status_request = read_packet(&mut conn).await?;
    let json = r#"{"version":{"name":"1.21.4","protocol":769},"players":{"max":20,"online":3,"sample":[{"name":"Alex","id":"00000000-0000-0000-0000-000000000001"}]},"description":{"text":"A Minecraft Server"}}"#;
    let mut body = vec![0u8]; // packet id 0: the status response
    write_varint(&mut body, json.len() as u32);
    body.extend_from_slice(json.as_bytes());
    send(&mut conn, &body).await?;
    let ping = read_packet(&mut conn).await?; // id 1 and 8 bytes: echoed
    send(&mut conn, &ping).await
}

async fn read_packet(conn: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut len = 0u32;
    for shift in (0..35).step_by(7) {
        let b = conn.read_u8().await?;
        len |= u32::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            break;
        }
    }
    let mut buf = vec![0u8; len.min(4096) as usize];
    conn.read_exact(&mut buf).await?;
    Ok(buf)
}

async fn send(conn: &mut TcpStream, body: &[u8]) -> std::io::Result<()> {
    let mut out = Vec::new();
    write_varint(&mut out, body.len() as u32);
    out.extend_from_slice(body);
    conn.write_all(&out).await
}

fn write_varint(out: &mut Vec<u8>, mut v: u32) {
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
