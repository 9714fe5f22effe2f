//! The image's other ports (`MCSIM_ECHO=<tcp|udp>/<host>:<port>,...`), standing in for a Bedrock
//! listener or a map's web page: a UDP datagram comes back as it came, a TCP connection is
//! greeted with `mcsim <port>` and then echoed. Enough to prove a player's packets reach the
//! port through the cluster's Services.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UdpSocket};

/// Starts an echo on each address of `spec`; one that cannot bind is named in the returned
/// messages (the server's log says it, as the real server's would).
pub async fn start(spec: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for item in spec.split(',').filter(|s| !s.is_empty()) {
        let Some((protocol, addr)) = item.split_once('/') else {
            failures.push(format!("{item}: not <protocol>/<host>:<port>"));
            continue;
        };
        let bound = match protocol {
            "udp" => UdpSocket::bind(addr).await.map(|s| {
                tokio::spawn(udp(s));
            }),
            "tcp" => TcpListener::bind(addr).await.map(|l| {
                tokio::spawn(tcp(l));
            }),
            other => {
                failures.push(format!("{item}: unknown protocol {other}"));
                continue;
            }
        };
        if let Err(e) = bound {
            failures.push(format!("{item}: {e}"));
        }
    }
    failures
}

async fn udp(socket: UdpSocket) {
    let mut buf = vec![0u8; 2048];
    while let Ok((n, from)) = socket.recv_from(&mut buf).await {
        let _ = socket.send_to(&buf[..n], from).await;
    }
}

async fn tcp(listener: TcpListener) {
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    while let Ok((mut conn, _)) = listener.accept().await {
        tokio::spawn(async move {
            if conn
                .write_all(format!("mcsim {port}\n").as_bytes())
                .await
                .is_err()
            {
                return;
            }
            let mut buf = vec![0u8; 2048];
            while let Ok(n) = conn.read(&mut buf).await {
                if n == 0 || conn.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
        });
    }
}
