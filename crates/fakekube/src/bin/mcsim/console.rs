//! The control socket (`.mcsim.sock`) and its clients: rcon, send, health.

use std::process::ExitCode;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;

/// The socket's file name in the server's folder.
pub const SOCKET: &str = ".mcsim.sock";

/// Sends one request and prints the answer (when `print`). Exit 1 when no server answers.
pub async fn client(kind: &str, text: &str, print: bool) -> ExitCode {
    let Ok(mut s) = UnixStream::connect(SOCKET).await else {
        eprintln!("Failed to connect to RCON: the server is not running");
        return ExitCode::from(1);
    };
    if s.write_all(format!("{kind} {text}\n").as_bytes())
        .await
        .is_err()
    {
        return ExitCode::from(1);
    }
    let _ = s.shutdown().await;
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer).await;
    if kind == "health" {
        return if answer.trim() == "running" {
            ExitCode::SUCCESS
        } else {
            eprintln!("server is {}", answer.trim());
            ExitCode::from(1)
        };
    }
    if print {
        print!("{answer}");
    }
    ExitCode::SUCCESS
}

/// Reads one request line from a connection: `(kind, text)`.
pub async fn read_request(s: &mut UnixStream) -> Option<(String, String)> {
    let mut line = String::new();
    BufReader::new(s).read_line(&mut line).await.ok()?;
    let line = line.trim_end_matches('\n');
    let (kind, text) = line.split_once(' ').unwrap_or((line, ""));
    Some((kind.to_string(), text.to_string()))
}
