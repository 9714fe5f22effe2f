//! Probes and hooks: the readiness probe while a container runs, and the commands of probes
//! and hooks run beside it.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::process::Command;

use super::{Kubelet, s};
use crate::store::now;

impl Kubelet {
    /// Runs a probe's or a hook's command beside the container (its folder and environment),
    /// for at most `secs`; whether it exited 0. An empty command succeeds.
    pub(super) async fn run_hook(
        &self,
        cmd: &[String],
        workdir: &Path,
        env: &[(String, String)],
        netns: Option<&Path>,
        secs: u64,
    ) -> bool {
        if cmd.is_empty() {
            return true;
        }
        let (exe, args) = self.command_for(&cmd[..1], &cmd[1..]);
        let mut run = Command::new(exe);
        run.args(args)
            .current_dir(workdir)
            .envs(env.iter().cloned())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        if let Some(path) = netns
            && super::network::enter(&mut run, path).is_err()
        {
            return false;
        }
        let run = run.status();
        matches!(tokio::time::timeout(Duration::from_secs(secs), run).await, Ok(Ok(st)) if st.success())
    }

    /// Runs the readiness probe while the container runs; no probe means ready once started.
    /// Exec probes run for real (the image's tools mapped to mcsim); TCP probes connect to the
    /// port at the pod's own address, as the kubelet does; HTTP probes pass while the process
    /// lives.
    pub(super) fn readiness(
        self: Arc<Self>,
        ns: &str,
        name: &str,
        uid: &str,
        c: &Value,
        site: ProbeSite,
    ) -> tokio::task::JoinHandle<()> {
        let ProbeSite {
            address,
            workdir,
            env,
            netns,
        } = site;
        let tcp = c
            .pointer("/readinessProbe/tcpSocket/port")
            .and_then(|port| container_port(c, port))
            .map(|port| std::net::SocketAddr::from((address, port)));
        let probe = c.get("readinessProbe").cloned();
        let (ns, name, uid) = (ns.to_string(), name.to_string(), uid.to_string());
        tokio::spawn(async move {
            let Some(probe) = probe else {
                self.set_status(&ns, &name, &uid, |st| {
                    st["containerStatuses"][0]["ready"] = json!(true);
                    set_ready(st, true);
                });
                return;
            };
            let initial = probe["initialDelaySeconds"].as_u64().unwrap_or(0);
            let period = probe["periodSeconds"].as_u64().unwrap_or(10).max(1);
            let timeout = probe["timeoutSeconds"].as_u64().unwrap_or(1).max(1);
            let exec: Option<Vec<String>> = probe
                .pointer("/exec/command")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(s).collect());
            tokio::time::sleep(Duration::from_secs(initial)).await;
            let mut ready = false;
            loop {
                let ok = match (&exec, tcp) {
                    (Some(cmd), _) if !cmd.is_empty() => {
                        self.run_hook(cmd, &workdir, &env, netns.as_deref(), timeout)
                            .await
                    }
                    (_, Some(at)) => matches!(
                        tokio::time::timeout(
                            Duration::from_secs(timeout),
                            tokio::net::TcpStream::connect(at)
                        )
                        .await,
                        Ok(Ok(_))
                    ),
                    _ => true,
                };
                if ok != ready {
                    ready = ok;
                    self.set_status(&ns, &name, &uid, |st| {
                        st["containerStatuses"][0]["ready"] = json!(ok);
                        set_ready(st, ok);
                    });
                }
                // Probe often until ready, so tests do not wait a whole period.
                let wait = if ready { period } else { period.min(1) };
                tokio::time::sleep(Duration::from_secs(wait)).await;
            }
        })
    }
}

/// Where a container's probes run: the pod's address (TCP), and the folder and environment of
/// its commands (exec).
pub(super) struct ProbeSite {
    pub address: std::net::Ipv4Addr,
    pub workdir: PathBuf,
    pub env: Vec<(String, String)>,
    /// The pod's network namespace, which exec probes join.
    pub netns: Option<PathBuf>,
}

/// The port a probe names on container `c`: a number, or the name of one of its ports.
fn container_port(c: &Value, port: &Value) -> Option<u16> {
    let n = match port.as_str() {
        Some(name) => {
            c["ports"].as_array()?.iter().find(|p| p["name"] == name)?["containerPort"].as_u64()?
        }
        None => port.as_u64()?,
    };
    u16::try_from(n).ok()
}

/// Sets the pod's `Ready` and `ContainersReady` conditions.
pub(super) fn set_ready(st: &mut Value, ready: bool) {
    let v = if ready { "True" } else { "False" };
    let ts = now();
    for cond in st["conditions"].as_array_mut().into_iter().flatten() {
        if matches!(cond["type"].as_str(), Some("Ready" | "ContainersReady")) && cond["status"] != v
        {
            cond["status"] = json!(v);
            cond["lastTransitionTime"] = json!(ts);
        }
    }
}
