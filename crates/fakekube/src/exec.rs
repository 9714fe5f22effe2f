//! `pods/{name}/exec` and `pods/{name}/attach` over websockets, with the
//! `v5.channel.k8s.io` and `v4.channel.k8s.io` subprotocols: binary frames whose first byte is
//! the channel (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize; v5 adds 255 "close channel").
//!
//! Exec runs the real command, as argv, in a private mount namespace (an unprivileged user
//! namespace) whose root holds the host's system folders and the pod's volumes bound at their
//! container paths, so `ls /data`, `stat`, `tar`, symlinks and `realpath` see what they would in
//! the container. Attach joins the main container's stdin and output.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequest, Query, Request};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;

use crate::Cluster;
use crate::kubelet::PodIo;
use crate::resources::by_kind;
use crate::status::ApiError;

const STDIN: u8 = 0;
const STDOUT: u8 = 1;
const STDERR: u8 = 2;
const STATUS: u8 = 3;
const CLOSE: u8 = 255;

/// The shell script that builds the container view and runs the command (`"$@"`).
const ENTER: &str = r#"set -e
R="$FK_ROOTFS"
mkdir -p "$R"
if [ "$FK_USERLAND" = busybox ]; then
  # an Alpine-like image: busybox applets in /bin, the host's libraries for fakekube's tools
  dirs="/lib /lib32 /lib64 /libx32 /etc /opt /var /run /root /home"
  for d in /bin /sbin /usr; do if [ -L "$R$d" ]; then rm -f "$R$d"; fi; done
  mkdir -p "$R/bin" "$R/usr"
  mount -t tmpfs tmpfs "$R/bin"
  mount -t tmpfs tmpfs "$R/usr"
  for d in /usr/lib /usr/lib32 /usr/lib64 /usr/libx32; do
    if [ -d "$d" ] && [ ! -L "$d" ]; then mkdir -p "$R$d"; mount --rbind "$d" "$R$d"; fi
  done
  ln -s ../bin "$R/usr/bin"; ln -s ../bin "$R/usr/sbin"
  [ -e "$R/sbin" ] || ln -s bin "$R/sbin"
  touch "$R/bin/busybox"; mount --bind "$FK_BUSYBOX" "$R/bin/busybox"
else
  dirs="/bin /sbin /lib /lib32 /lib64 /libx32 /usr /etc /opt /var /run /root /home"
fi
for d in $dirs; do
  if [ -L "$d" ]; then ln -sfn "$(readlink "$d")" "$R$d"
  elif [ -d "$d" ]; then mkdir -p "$R$d"; mount --rbind "$d" "$R$d"; fi
done
if [ "$FK_USERLAND" = busybox ]; then chroot "$R" /bin/busybox --install -s /bin; fi
mkdir -p "$R/tmp" "$R/dev" "$R/proc"
mount -t tmpfs tmpfs "$R/tmp"
mount --rbind /dev "$R/dev"
mount --rbind /proc "$R/proc"
tab="$(printf '\t')"
printf '%s\n' "$FK_MOUNTS" | while IFS="$tab" read -r host cont; do
  [ -n "$host" ] || continue
  mkdir -p "$R$cont"; mount --bind "$host" "$R$cont"
done
# fakekube's own tools (mcsim standing in for the image's rcon-cli...), at their host path
if [ -n "$FK_TOOLS" ]; then mkdir -p "$R$FK_TOOLS"; mount --bind "$FK_TOOLS" "$R$FK_TOOLS"; fi
unset FK_ROOTFS FK_MOUNTS FK_TOOLS FK_USERLAND FK_BUSYBOX
exec chroot "$R" /bin/sh -c 'cd "$0" 2>/dev/null || cd /; exec "$@"' "$FK_WORKDIR" "$@"
"#;

#[derive(Debug, Default)]
struct Opts {
    command: Vec<String>,
    container: Option<String>,
    stdin: bool,
    stdout: bool,
    stderr: bool,
}

fn opts(pairs: Vec<(String, String)>) -> Opts {
    let truthy = |v: &str| matches!(v, "1" | "true" | "True");
    let mut o = Opts::default();
    for (k, v) in pairs {
        match k.as_str() {
            "command" => o.command.push(v),
            "container" => o.container = Some(v),
            "stdin" => o.stdin = truthy(&v),
            "stdout" => o.stdout = truthy(&v),
            "stderr" => o.stderr = truthy(&v),
            _ => {}
        }
    }
    o
}

/// Handles an exec or attach request: checks, then upgrades to a websocket.
pub async fn handle(
    c: Arc<Cluster>,
    ns: String,
    pod: String,
    attach: bool,
    req: Request,
) -> Response {
    let pairs = Query::<Vec<(String, String)>>::try_from_uri(req.uri())
        .map(|q| q.0)
        .unwrap_or_default();
    let o = opts(pairs);
    let pod_obj = match c.store.get(by_kind("Pod"), &ns, &pod) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let main = pod_obj
        .pointer("/spec/containers/0")
        .cloned()
        .unwrap_or(json!({}));
    if let Some(name) = &o.container
        && main["name"].as_str() != Some(name.as_str())
    {
        return ApiError::bad_request(format!("container {name} is not valid for pod {pod}"))
            .into_response();
    }
    let Some(io) = c.kubelet.io(&ns, &pod) else {
        return ApiError::bad_request(format!(
            "unable to upgrade connection: container not found (\"{}\")",
            main["name"].as_str().unwrap_or_default()
        ))
        .into_response();
    };
    if !attach && o.command.is_empty() {
        return ApiError::bad_request("you must specify at least 1 command").into_response();
    }
    if attach && o.stdin && io.stdin.is_none() {
        return ApiError::bad_request("stdin is not enabled for this container").into_response();
    }
    let ws = match WebSocketUpgrade::from_request(req, &()).await {
        Ok(ws) => ws,
        Err(e) => {
            return ApiError::bad_request(format!("unable to upgrade connection: {e}"))
                .into_response();
        }
    };
    let rootfs = c.kubelet.runtime().pod_dir(&ns, &pod).join("rootfs");
    let userland = userland_of(main["image"].as_str().unwrap_or_default());
    let workdir = main["workingDir"]
        .as_str()
        .map(str::to_string)
        .or_else(|| io.mounts.first().map(|(p, _)| p.clone()))
        .unwrap_or_else(|| "/".into());
    ws.protocols(["v5.channel.k8s.io", "v4.channel.k8s.io"])
        .on_upgrade(move |socket| async move {
            let v5 = socket.protocol().and_then(|p| p.to_str().ok()) == Some("v5.channel.k8s.io");
            if attach {
                run_attach(socket, io, o).await;
            } else {
                // The image's own tools (rcon-cli, mc-health...) are played by mcsim.
                let (exe, args) = c.kubelet.command_for(&o.command[..1], &o.command[1..]);
                let argv: Vec<String> = std::iter::once(exe.display().to_string())
                    .chain(args)
                    .collect();
                run_exec(socket, io, o, argv, rootfs, workdir, userland, v5).await;
            }
        })
}

fn frame(channel: u8, data: &[u8]) -> Message {
    let mut v = Vec::with_capacity(data.len() + 1);
    v.push(channel);
    v.extend_from_slice(data);
    Message::Binary(v.into())
}

fn status_frame(code: Option<i32>, command: &[String]) -> Message {
    let status: Value = match code {
        Some(0) => json!({"metadata": {}, "status": "Success"}),
        Some(code) => json!({
            "metadata": {}, "status": "Failure",
            "message": format!("command terminated with non-zero exit code: error executing command {command:?}, exit code {code}"),
            "reason": "NonZeroExitCode",
            "details": {"causes": [{"reason": "ExitCode", "message": code.to_string()}]},
        }),
        None => {
            json!({"metadata": {}, "status": "Failure", "message": "command was killed", "reason": "InternalError"})
        }
    };
    frame(STATUS, status.to_string().as_bytes())
}

async fn pump(mut src: impl AsyncRead + Unpin, channel: u8, out: mpsc::Sender<Message>) {
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        match src.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if out.send(frame(channel, &buf[..n])).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// The tools an image's exec sees: busybox for Alpine and busybox images (as on real clusters,
/// where their `stat`, `tar`... are busybox applets), the host's GNU tools otherwise.
fn userland_of(image: &str) -> Option<&'static str> {
    let name = image.rsplit('/').next().unwrap_or(image);
    (name.contains("alpine") || name.starts_with("busybox"))
        .then(|| {
            ["/bin/busybox", "/usr/bin/busybox"]
                .into_iter()
                .find(|p| std::path::Path::new(p).exists())
        })
        .flatten()
}

#[allow(clippy::too_many_arguments)]
async fn run_exec(
    socket: WebSocket,
    io: PodIo,
    o: Opts,
    argv: Vec<String>,
    rootfs: std::path::PathBuf,
    workdir: String,
    busybox: Option<&'static str>,
    v5: bool,
) {
    let (mut sink, mut stream) = socket.split();
    let mounts: String = io
        .mounts
        .iter()
        .map(|(cont, host)| format!("{}\t{cont}\n", host.display()))
        .collect();
    // The folder of the mapped tool, when the command is one of fakekube's stand-ins.
    let tools_dir = std::path::Path::new(&argv[0])
        .is_absolute()
        .then(|| {
            std::path::Path::new(&argv[0])
                .parent()
                .map(|p| p.display().to_string())
        })
        .flatten()
        .unwrap_or_default();
    let mut cmd = tokio::process::Command::new("unshare");
    cmd.args([
        "--user",
        "--map-root-user",
        "--mount",
        "sh",
        "-c",
        ENTER,
        "fakekube-exec",
    ])
    .args(&argv)
    .env_clear()
    .env(
        "PATH",
        "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    )
    .envs(io.env.iter().cloned())
    .env("FK_ROOTFS", &rootfs)
    .env("FK_MOUNTS", mounts)
    .env("FK_TOOLS", tools_dir)
    .env("FK_WORKDIR", &workdir)
    .env(
        "FK_USERLAND",
        if busybox.is_some() { "busybox" } else { "gnu" },
    )
    .env("FK_BUSYBOX", busybox.unwrap_or_default())
    .stdin(if o.stdin {
        std::process::Stdio::piped()
    } else {
        std::process::Stdio::null()
    })
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .kill_on_drop(true);
    // the command runs in the pod's network, as it would in the pod
    let entered = match &io.netns {
        Some(path) => crate::kubelet::enter_netns(&mut cmd, path),
        None => Ok(()),
    };
    let mut child = match entered.and_then(|()| cmd.spawn()) {
        Ok(c) => c,
        Err(e) => {
            let _ = sink
                .send(frame(
                    STDERR,
                    format!("fakekube: cannot start exec: {e}\n").as_bytes(),
                ))
                .await;
            let _ = sink.send(status_frame(Some(126), &o.command)).await;
            let _ = sink.close().await;
            return;
        }
    };
    tracing::debug!(command = ?o.command, pid = child.id(), "exec: started");
    let (tx, mut rx) = mpsc::channel::<Message>(64);
    let mut pumps = Vec::new();
    if let Some(out) = child.stdout.take() {
        let tx = tx.clone();
        let want = o.stdout;
        pumps.push(tokio::spawn(async move {
            if want {
                pump(out, STDOUT, tx).await
            } else {
                drain(out).await
            }
        }));
    }
    if let Some(err) = child.stderr.take() {
        let tx = tx.clone();
        let want = o.stderr;
        pumps.push(tokio::spawn(async move {
            if want {
                pump(err, STDERR, tx).await
            } else {
                drain(err).await
            }
        }));
    }
    drop(tx);
    let mut stdin = child.stdin.take();
    let writer = tokio::spawn(async move {
        while let Some(m) = rx.recv().await {
            if sink.send(m).await.is_err() {
                return None;
            }
        }
        Some(sink)
    });
    // Client frames: stdin data, stdin close (v5), resize (ignored), close.
    let reader = async {
        while let Some(Ok(msg)) = stream.next().await {
            match msg {
                Message::Binary(b) if !b.is_empty() => match b[0] {
                    STDIN => {
                        if let Some(s) = stdin.as_mut()
                            && s.write_all(&b[1..]).await.is_err()
                        {
                            stdin = None;
                        }
                    }
                    CLOSE if v5 && b.get(1) == Some(&STDIN) => stdin = None,
                    _ => {}
                },
                Message::Close(f) => {
                    tracing::debug!(?f, "exec: client closed");
                    return true;
                }
                other => tracing::debug!(?other, "exec: frame ignored"),
            }
        }
        tracing::debug!("exec: client stream ended");
        true
    };
    let status = tokio::select! {
        st = child.wait() => st.ok(),
        _ = reader => {
            // The client went away: stop the command.
            let _ = child.kill().await;
            return;
        }
    };
    tracing::debug!(command = ?o.command, ?status, "exec: exited");
    for p in pumps {
        let _ = p.await;
    }
    tracing::debug!(command = ?o.command, "exec: output read");
    if let Ok(Some(mut sink)) = writer.await {
        let _ = sink
            .send(status_frame(status.and_then(|s| s.code()), &o.command))
            .await;
        let _ = sink.send(normal_close()).await;
    }
    // Close cleanly, as a WebSocket server should: read (and drop) what the client still
    // sends until it closes too, so that its last frames never meet a reset connection.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(5), async {
        while let Some(Ok(_)) = stream.next().await {}
    })
    .await;
}

fn normal_close() -> Message {
    Message::Close(Some(axum::extract::ws::CloseFrame {
        code: axum::extract::ws::close_code::NORMAL,
        reason: "".into(),
    }))
}

async fn drain(mut src: impl AsyncRead + Unpin) {
    let mut buf = vec![0u8; 8192];
    while let Ok(n) = src.read(&mut buf).await {
        if n == 0 {
            return;
        }
    }
}

async fn run_attach(socket: WebSocket, io: PodIo, o: Opts) {
    let (mut sink, mut stream) = socket.split();
    let PodIo { output, stdin, .. } = io;
    // Keep only a receiver: the stream ends when the container's output does.
    let mut output = {
        let rx = output.subscribe();
        drop(output);
        rx
    };
    let stdin = if o.stdin { stdin } else { None };
    // true when the client closed its stdin (v5) and takes no output: the attach is over, as
    // the kubelet ends it (the container's own stdin stays open)
    let reader = async {
        while let Some(Ok(msg)) = stream.next().await {
            match msg {
                Message::Binary(b) if b.len() > 1 && b[0] == STDIN => {
                    if let Some(s) = &stdin {
                        let _ = s.send(Bytes::copy_from_slice(&b[1..])).await;
                    }
                }
                Message::Binary(b)
                    if b.first() == Some(&CLOSE) && b.get(1) == Some(&STDIN) && !o.stdout =>
                {
                    return true;
                }
                Message::Close(_) => return false,
                _ => {}
            }
        }
        false
    };
    let writer = async {
        loop {
            match output.recv().await {
                Ok(chunk) => {
                    if o.stdout && sink.send(frame(STDOUT, &chunk)).await.is_err() {
                        return;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => {
                    // the container ended
                    let _ = sink.send(status_frame(Some(0), &[])).await;
                    let _ = sink.send(normal_close()).await;
                    return;
                }
            }
        }
    };
    let stdin_closed = tokio::select! {
        closed = reader => closed,
        _ = writer => false,
    };
    if stdin_closed {
        let _ = sink.send(status_frame(Some(0), &[])).await;
        let _ = sink.send(normal_close()).await;
    }
}
