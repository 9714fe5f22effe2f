//! mcsim answers the Server List Ping on `MCSIM_LISTEN`: status (version, MOTD, players), the
//! ping echoed, and a login refused with a disconnect message. (The client here is written for
//! the test from the protocol's documentation; the players are read with craftping, from
//! crates.io, as the panel reads them.)

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn varint(v: i32) -> Vec<u8> {
    let mut v = v as u32;
    let mut out = Vec::new();
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return out;
        }
        out.push(b | 0x80);
    }
}

fn frame(id: i32, data: &[u8]) -> Vec<u8> {
    let mut body = varint(id);
    body.extend_from_slice(data);
    let mut out = varint(body.len() as i32);
    out.extend_from_slice(&body);
    out
}

fn handshake(port: u16, next: i32) -> Vec<u8> {
    let mut data = varint(769);
    data.extend(varint(9));
    data.extend_from_slice(b"localhost");
    data.extend_from_slice(&port.to_be_bytes());
    data.extend(varint(next));
    frame(0, &data)
}

async fn read_varint(s: &mut TcpStream) -> i32 {
    let mut v: u32 = 0;
    for i in 0..5 {
        let b = s.read_u8().await.unwrap();
        v |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return v as i32;
        }
    }
    panic!("VarInt too long")
}

/// Reads a frame: its packet id and data.
async fn read_frame(s: &mut TcpStream) -> (i32, Vec<u8>) {
    let len = read_varint(s).await as usize;
    let mut buf = vec![0; len];
    s.read_exact(&mut buf).await.unwrap();
    let mut at = &buf[..];
    let mut id: u32 = 0;
    for i in 0..5 {
        let (&b, rest) = at.split_first().unwrap();
        at = rest;
        id |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            break;
        }
    }
    (id as i32, at.to_vec())
}

/// A protocol string's text (after its VarInt length).
fn text(data: &[u8]) -> String {
    let mut at = data;
    let mut len: u32 = 0;
    for i in 0..5 {
        let (&b, rest) = at.split_first().unwrap();
        at = rest;
        len |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            break;
        }
    }
    assert_eq!(at.len(), len as usize);
    String::from_utf8(at.to_vec()).unwrap()
}

#[tokio::test]
async fn mcsim_answers_the_server_list_ping_and_refuses_logins() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_mcsim"))
        .current_dir(dir.path())
        .env("EULA", "TRUE")
        .env("MOTD", "Hello from mcsim")
        .env("MAX_PLAYERS", "7")
        .env("MCSIM_LISTEN", format!("127.0.0.1:{port}"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut s = None;
    for _ in 0..100 {
        if let Ok(c) = TcpStream::connect(("127.0.0.1", port)).await {
            s = Some(c);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut s = s.expect("mcsim listens");

    // status, then the ping echoed
    s.write_all(&handshake(port, 1)).await.unwrap();
    s.write_all(&frame(0, &[])).await.unwrap();
    let (id, data) = read_frame(&mut s).await;
    assert_eq!(id, 0);
    let status: serde_json::Value = serde_json::from_str(&text(&data)).unwrap();
    assert_eq!(status["version"]["protocol"], 769);
    assert_eq!(status["version"]["name"], "1.21.4");
    assert_eq!(status["players"]["max"], 7);
    assert_eq!(status["players"]["online"], 0);
    assert_eq!(status["description"]["text"], "Hello from mcsim");
    let payload = 0x0123_4567_89ab_cdefu64.to_be_bytes();
    s.write_all(&frame(1, &payload)).await.unwrap();
    let (id, data) = read_frame(&mut s).await;
    assert_eq!((id, data.as_slice()), (1, &payload[..]));

    // a login is refused with a message a player can read
    let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    s.write_all(&handshake(port, 2)).await.unwrap();
    let mut start = varint(5);
    start.extend_from_slice(b"Steve");
    start.extend_from_slice(&[0u8; 16]);
    s.write_all(&frame(0, &start)).await.unwrap();
    let (id, data) = read_frame(&mut s).await;
    assert_eq!(id, 0, "Disconnect (login)");
    let reason: serde_json::Value = serde_json::from_str(&text(&data)).unwrap();
    assert!(
        reason["text"].as_str().unwrap().contains("nobody can play"),
        "{reason}"
    );

    // garbage gets the connection closed, and the server answers the next one
    let mut bad = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    bad.write_all(&[0xff; 16]).await.unwrap();
    let mut buf = [0u8; 16];
    let n = tokio::time::timeout(Duration::from_secs(5), bad.read(&mut buf))
        .await
        .expect("closed, not left hanging")
        .unwrap_or(0);
    assert_eq!(n, 0);
    let mut again = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    again.write_all(&handshake(port, 1)).await.unwrap();
    again.write_all(&frame(0, &[])).await.unwrap();
    assert_eq!(read_frame(&mut again).await.0, 0);

    // players joining and leaving show in the status, read by craftping (a client from
    // crates.io), as the panel reads it
    let ping = |port: u16| async move {
        let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        craftping::tokio::ping(
            &mut s,
            "localhost",
            port,
            craftping::PROTOCOL_VERSION_NOT_SET,
        )
        .await
        .unwrap()
    };
    let stdin = child.stdin.as_mut().unwrap();
    stdin
        .write_all(b"sim join Alex\nsim join Zoe\n")
        .await
        .unwrap();
    let mut seen = Vec::new();
    for _ in 0..100 {
        let r = ping(port).await;
        seen = r
            .sample
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.name)
            .collect();
        if r.online_players == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen, ["Alex", "Zoe"]);
    let stdin = child.stdin.as_mut().unwrap();
    stdin
        .write_all(b"sim leave Alex\nsim join bad/name\n")
        .await
        .unwrap();
    let mut online = usize::MAX;
    for _ in 0..100 {
        online = ping(port).await.online_players;
        if online == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        online, 1,
        "Alex left, and a name that is not one never joined"
    );
    let r = ping(port).await;
    assert_eq!((r.max_players, r.version.as_str()), (7, "1.21.4"));

    let _ = child.start_kill();
}
