//! A container as a local process: its command (the image's tools mapped to `mcsim`), its
//! environment, its output copied into the log book, and what is left of an earlier run.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;

use bytes::Bytes;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{Child, Command};
use tokio::sync::broadcast;

use super::{Kubelet, decode, s};
use crate::logs::LogBook;
use crate::resources::by_kind;

impl Kubelet {
    /// The environment of a container, with `valueFrom` resolved; `address` is the pod's.
    /// A container that declares a TCP port also gets `MCSIM_LISTEN=<address>:<port>` (unless
    /// it sets it): the image's stand-in listens for the Server List Ping there, on the pod's
    /// own address, as the real image listens on its port. Its other declared ports are given as
    /// `MCSIM_ECHO=<protocol>/<address>:<port>,...`, where the stand-in echoes (a Bedrock port,
    /// a map's web page).
    pub(super) fn env(
        &self,
        ns: &str,
        pod: &Value,
        address: std::net::Ipv4Addr,
        c: &Value,
    ) -> Vec<(String, String)> {
        let mut env = self.declared_env(ns, pod, address, c);
        let ports: Vec<(&str, u64)> = c["ports"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let protocol = p["protocol"].as_str().unwrap_or("TCP");
                Some((protocol, p["containerPort"].as_u64()?))
            })
            .collect();
        let game = ports.iter().position(|(protocol, _)| *protocol == "TCP");
        if let Some(i) = game
            && !env.iter().any(|(k, _)| k == "MCSIM_LISTEN")
        {
            env.push(("MCSIM_LISTEN".into(), format!("{address}:{}", ports[i].1)));
        }
        let echo: Vec<String> = ports
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != game)
            .map(|(_, (protocol, port))| format!("{}/{address}:{port}", protocol.to_lowercase()))
            .collect();
        if !echo.is_empty() && !env.iter().any(|(k, _)| k == "MCSIM_ECHO") {
            env.push(("MCSIM_ECHO".into(), echo.join(",")));
        }
        env
    }

    fn declared_env(
        &self,
        ns: &str,
        pod: &Value,
        address: std::net::Ipv4Addr,
        c: &Value,
    ) -> Vec<(String, String)> {
        let mut env = Vec::new();
        for from in c["envFrom"].as_array().into_iter().flatten() {
            let (kind, name, secret) = if let Some(n) = from.pointer("/configMapRef/name") {
                ("ConfigMap", s(n), false)
            } else if let Some(n) = from.pointer("/secretRef/name") {
                ("Secret", s(n), true)
            } else {
                continue;
            };
            if let Ok(obj) = self.store.get(by_kind(kind), ns, &name) {
                for (k, v) in obj["data"].as_object().into_iter().flatten() {
                    env.push((format!("{}{k}", s(&from["prefix"])), decode(v, secret)));
                }
            }
        }
        for e in c["env"].as_array().into_iter().flatten() {
            let name = s(&e["name"]);
            let value = if let Some(v) = e.get("value") {
                s(v)
            } else if let Some(r) = e.pointer("/valueFrom/secretKeyRef") {
                let found = self
                    .store
                    .get(
                        by_kind("Secret"),
                        ns,
                        r["name"].as_str().unwrap_or_default(),
                    )
                    .ok()
                    .and_then(|o| {
                        o["data"]
                            .get(r["key"].as_str().unwrap_or_default())
                            .map(|v| decode(v, true))
                    });
                match found {
                    Some(v) => v,
                    // as the kubelet does: an optional key that is missing sets nothing
                    None if r["optional"] == true => continue,
                    None => String::new(),
                }
            } else if let Some(r) = e.pointer("/valueFrom/configMapKeyRef") {
                self.store
                    .get(
                        by_kind("ConfigMap"),
                        ns,
                        r["name"].as_str().unwrap_or_default(),
                    )
                    .ok()
                    .and_then(|o| o["data"].get(r["key"].as_str().unwrap_or_default()).map(s))
                    .unwrap_or_default()
            } else if let Some(path) = e
                .pointer("/valueFrom/fieldRef/fieldPath")
                .and_then(Value::as_str)
            {
                match path {
                    "status.podIP" | "status.podIPs" => address.to_string(),
                    "status.hostIP" | "status.hostIPs" => "127.0.0.1".into(),
                    p => pod
                        .pointer(&format!("/{}", p.replace('.', "/")))
                        .map(s)
                        .unwrap_or_default(),
                }
            } else {
                String::new()
            };
            env.push((name, value));
        }
        env
    }

    /// Builds the command of a container: its command and args, the well-known tools of the
    /// Minecraft image mapped to `mcsim`, and `mcsim` for the image's own entrypoint.
    pub fn command_for(&self, command: &[String], args: &[String]) -> (PathBuf, Vec<String>) {
        if command.is_empty() {
            return (self.runtime.mcsim.clone(), Vec::new());
        }
        let mut all: Vec<String> = command.iter().chain(args).cloned().collect();
        let first = all.remove(0);
        match first.as_str() {
            "mc-health" => (
                self.runtime.mcsim.clone(),
                std::iter::once("health".to_string()).chain(all).collect(),
            ),
            "rcon-cli" => (
                self.runtime.mcsim.clone(),
                std::iter::once("rcon".to_string()).chain(all).collect(),
            ),
            "mc-send-to-console" => (
                self.runtime.mcsim.clone(),
                std::iter::once("send".to_string()).chain(all).collect(),
            ),
            "mcsim" => (self.runtime.mcsim.clone(), all),
            _ => (PathBuf::from(first), all),
        }
    }

    pub(super) fn spawn(
        &self,
        c: &Value,
        env: &[(String, String)],
        workdir: &Path,
        netns: Option<&Path>,
        stdin: bool,
    ) -> std::io::Result<Child> {
        let strings =
            |v: &Value| -> Vec<String> { v.as_array().into_iter().flatten().map(s).collect() };
        let (exe, args) = self.command_for(&strings(&c["command"]), &strings(&c["args"]));
        let mut cmd = Command::new(exe);
        cmd.args(args)
            .current_dir(workdir)
            .envs(env.iter().cloned())
            .env("HOSTNAME", "fakekube")
            .envs(resource_env(c))
            .stdin(if stdin { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true);
        // A pod process never outlives fakekube, even when it is killed.
        die_with_parent(&mut cmd);
        if let Some(path) = netns {
            super::network::enter(&mut cmd, path)?;
        }
        cmd.spawn()
    }

    /// Copies a child's output into the log book (line by line) and to `raw` (as it comes).
    pub(super) fn pump(
        &self,
        ns: &str,
        pod: &str,
        container: &str,
        child: &mut Child,
        raw: Option<broadcast::Sender<Bytes>>,
    ) -> Vec<tokio::task::JoinHandle<()>> {
        let sources: Vec<Box<dyn AsyncRead + Unpin + Send>> = [
            child
                .stdout
                .take()
                .map(|o| Box::new(o) as Box<dyn AsyncRead + Unpin + Send>),
            child
                .stderr
                .take()
                .map(|e| Box::new(e) as Box<dyn AsyncRead + Unpin + Send>),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut pumps = Vec::new();
        for mut src in sources {
            let logs = self.logs_handle();
            let (ns, pod, container) = (ns.to_string(), pod.to_string(), container.to_string());
            let raw = raw.clone();
            pumps.push(tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let mut partial: Vec<u8> = Vec::new();
                loop {
                    let n = match src.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    if let Some(raw) = &raw {
                        let _ = raw.send(Bytes::copy_from_slice(&buf[..n]));
                    }
                    partial.extend_from_slice(&buf[..n]);
                    while let Some(pos) = partial.iter().position(|b| *b == b'\n') {
                        let line: Vec<u8> = partial.drain(..=pos).collect();
                        let text = String::from_utf8_lossy(&line[..line.len() - 1])
                            .trim_end_matches('\r')
                            .to_string();
                        logs.push(&ns, &pod, &container, text);
                    }
                }
                if !partial.is_empty() {
                    logs.push(
                        &ns,
                        &pod,
                        &container,
                        String::from_utf8_lossy(&partial).to_string(),
                    );
                }
            }));
        }
        pumps
    }

    fn logs_handle(&self) -> Arc<LogBook> {
        self.logs.clone()
    }
}

/// The container's resources, as `FAKEKUBE_LIMITS_CPU`, `FAKEKUBE_LIMITS_MEMORY`,
/// `FAKEKUBE_REQUESTS_CPU`, `FAKEKUBE_REQUESTS_MEMORY` (a local process has no cgroup of its
/// own here; the values let it see what it was given).
fn resource_env(c: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for kind in ["limits", "requests"] {
        for res in ["cpu", "memory"] {
            if let Some(v) = c
                .pointer(&format!("/resources/{kind}/{res}"))
                .and_then(Value::as_str)
            {
                out.push((
                    format!("FAKEKUBE_{}_{}", kind.to_uppercase(), res.to_uppercase()),
                    v.to_string(),
                ));
            }
        }
    }
    out
}

/// Has the kernel send `SIGKILL` to the child when the thread that forks it ends (a runtime
/// worker, which lives as long as the runtime, or a test's own thread), so that it never
/// outlives its parent, however that ends.
pub(crate) fn die_with_parent(cmd: &mut Command) {
    // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)
                .map_err(std::io::Error::from)
        });
    }
}

/// Kills a main process left by an earlier fakekube that died without stopping its pods (its
/// pid file is still in the pod's folder), so that two servers never share one volume.
pub(super) fn reap_stale(pod_dir: &Path) {
    let Ok(text) = std::fs::read_to_string(pod_dir.join("main.pid")) else {
        return;
    };
    let Ok(pid) = text.trim().parse::<i32>() else {
        return;
    };
    // Only if that pid is still a process started in this pod's folder tree.
    let cwd = std::fs::read_link(format!("/proc/{pid}/cwd")).unwrap_or_default();
    let ours = std::fs::read_to_string(format!("/proc/{pid}/environ"))
        .map(|e| e.split('\0').any(|kv| kv == "HOSTNAME=fakekube"))
        .unwrap_or(false);
    if ours && !cwd.as_os_str().is_empty() {
        tracing::warn!(pid, "stopping a process left by an earlier run");
        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
    }
    let _ = std::fs::remove_file(pod_dir.join("main.pid"));
}
