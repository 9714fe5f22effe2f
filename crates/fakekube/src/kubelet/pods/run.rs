//! One pod's life: Pending with its volumes made, each init container to success, then the
//! main container run, restarted by the pod's policy with back-off, and stopped gracefully.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::process::Child;
use tokio::sync::{broadcast, mpsc, watch};

use super::probes::set_ready;
use super::process::reap_stale;
use super::{Kubelet, PodIo, s};
use crate::resources::by_kind;
use crate::store::now;

/// The pod being run: its identity, its object as it was when it started, and its volumes.
struct PodRun<'a> {
    ns: &'a str,
    name: &'a str,
    uid: &'a str,
    /// The pod's own address.
    address: std::net::Ipv4Addr,
    /// The pod's network namespace (None: the node's network, loopback addresses).
    netns: Option<PathBuf>,
    pod: Value,
    /// Volume name -> host folder.
    volumes: HashMap<String, PathBuf>,
    /// The pod's own folder (emptyDirs, and the working folder of a container without mounts).
    dir: PathBuf,
}

impl PodRun<'_> {
    /// Container path -> host folder, for each of the container's volume mounts.
    fn mounts_of(&self, c: &Value) -> Vec<(String, PathBuf)> {
        c["volumeMounts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| {
                self.volumes
                    .get(m["name"].as_str()?)
                    .map(|d| (s(&m["mountPath"]), d.clone()))
            })
            .collect()
    }

    /// The container's environment as its local process needs it. The process has no mount
    /// namespace of its own (an exec does), so two values that name a mounted folder name it on
    /// the node: the maintenance pod's clock (`PANEL_TOUCH=/tmp/.panel-used`, `/tmp` an
    /// emptyDir), and a backup job's repository on the repositories' claim
    /// (`RESTIC_REPOSITORY=/backups/…`, a claim's mount only). Other values stay as they are:
    /// the sandbox's backup jobs reach a repository on the node by its own path, even one under
    /// `/tmp`.
    fn host_env(&self, c: &Value, env: &[(String, String)]) -> Vec<(String, String)> {
        let claims: Vec<&str> = self.pod["spec"]["volumes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| v.get("persistentVolumeClaim").is_some())
            .filter_map(|v| v["name"].as_str())
            .collect();
        let on_claims: Vec<(String, PathBuf)> = c["volumeMounts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|m| m["name"].as_str().is_some_and(|n| claims.contains(&n)))
            .filter_map(|m| {
                self.volumes
                    .get(m["name"].as_str()?)
                    .map(|d| (s(&m["mountPath"]), d.clone()))
            })
            .collect();
        let mounts = self.mounts_of(c);
        env.iter()
            .map(|(k, v)| {
                let mounts = match k.as_str() {
                    "PANEL_TOUCH" => &mounts,
                    "RESTIC_REPOSITORY" => &on_claims,
                    _ => return (k.clone(), v.clone()),
                };
                let host = mounts.iter().find_map(|(at, dir)| {
                    let at = at.trim_end_matches('/');
                    let rest = v.strip_prefix(at)?;
                    (rest.is_empty() || rest.starts_with('/'))
                        .then(|| format!("{}{rest}", dir.display()))
                });
                (k.clone(), host.unwrap_or_else(|| v.clone()))
            })
            .collect()
    }

    /// The folder a container runs in: its first mount's, else the pod's.
    fn workdir_of(&self, c: &Value) -> PathBuf {
        self.mounts_of(c)
            .first()
            .map(|(_, d)| d.clone())
            .unwrap_or_else(|| self.dir.clone())
    }
}

/// How a run of the main container ended.
enum Ended {
    /// It exited by itself with this code.
    Exited(i32),
    /// It was stopped (the pod is being deleted); the pod's run is over.
    Stopped,
}

/// The `terminated` state of a container that exited with `code`.
fn terminated(code: i32, started_at: &str) -> Value {
    json!({"terminated": {"exitCode": code, "reason": if code == 0 { "Completed" } else { "Error" },
        "startedAt": started_at, "finishedAt": now()}})
}

impl Kubelet {
    /// Runs the pod `ns/name` (uid `uid`) until it ends or `stop` asks it to.
    pub(super) async fn run_pod(
        self: &Arc<Self>,
        ns: &str,
        name: &str,
        uid: &str,
        address: std::net::Ipv4Addr,
        mut stop: watch::Receiver<Option<i64>>,
        io_slot: Arc<Mutex<Option<PodIo>>>,
    ) {
        let Ok(pod) = self.store.get(by_kind("Pod"), ns, name) else {
            return;
        };
        let netns = match self.runtime.network {
            super::PodNetwork::Loopback => None,
            super::PodNetwork::Namespaces(range) => {
                match super::network::Netns::create(range, address).await {
                    Ok(n) => Some(n),
                    Err(e) => {
                        tracing::warn!(pod = %name, error = %e, "no network for a pod");
                        self.set_status(ns, name, uid, |st| {
                            st["phase"] = json!("Pending");
                            st["conditions"] = json!([{"type": "PodScheduled", "status": "True"},
                                {"type": "PodReadyToStartContainers", "status": "False",
                                 "reason": "FailedCreatePodSandBox", "message": e}]);
                        });
                        stopped(&mut stop).await;
                        return;
                    }
                }
            }
        };
        let netns_path = netns.as_ref().map(super::network::Netns::path);
        self.run_pod_in(ns, name, uid, address, netns_path, pod, &mut stop, io_slot)
            .await;
        if let Some(n) = netns {
            n.remove().await;
        }
    }

    /// [`Kubelet::run_pod`] once the pod's network is made.
    #[allow(clippy::too_many_arguments)]
    async fn run_pod_in(
        self: &Arc<Self>,
        ns: &str,
        name: &str,
        uid: &str,
        address: std::net::Ipv4Addr,
        netns: Option<PathBuf>,
        pod: Value,
        stop: &mut watch::Receiver<Option<i64>>,
        io_slot: Arc<Mutex<Option<PodIo>>>,
    ) {
        self.mark_pending(ns, name, uid, address);
        let volumes = match self.volumes(ns, name, &pod).await {
            Ok(v) => v,
            Err(e) => {
                self.set_status(ns, name, uid, |st| {
                    st["conditions"][0] = json!({"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": e});
                });
                stopped(stop).await;
                return;
            }
        };
        let run = PodRun {
            ns,
            name,
            uid,
            address,
            netns,
            pod,
            volumes,
            dir: self.runtime.pod_dir(ns, name),
        };
        if !self.run_inits(&run, stop).await {
            return;
        }
        self.set_status(ns, name, uid, |st| {
            st["conditions"][1] =
                json!({"type": "Initialized", "status": "True", "lastTransitionTime": now()});
        });
        self.run_main(&run, stop, &io_slot).await;
    }

    /// Scheduled (on the loopback node, at its own loopback address), not yet initialised nor
    /// ready.
    fn mark_pending(&self, ns: &str, name: &str, uid: &str, address: std::net::Ipv4Addr) {
        let started = now();
        self.set_status(ns, name, uid, |st| {
            st["phase"] = json!("Pending");
            st["startTime"] = json!(started);
            st["hostIP"] = json!("127.0.0.1");
            st["hostIPs"] = json!([{"ip": "127.0.0.1"}]);
            st["podIP"] = json!(address.to_string());
            st["podIPs"] = json!([{"ip": address.to_string()}]);
            st["conditions"] = json!([
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": started},
                {"type": "Initialized", "status": "False", "lastTransitionTime": started},
                {"type": "ContainersReady", "status": "False", "lastTransitionTime": started},
                {"type": "Ready", "status": "False", "lastTransitionTime": started},
            ]);
        });
    }

    /// Runs the init containers one after the other, each until it succeeds (retried every 2 s,
    /// unless the pod's policy is `Never`). Whether the main container may start.
    async fn run_inits(&self, run: &PodRun<'_>, stop: &mut watch::Receiver<Option<i64>>) -> bool {
        let (ns, name, uid) = (run.ns, run.name, run.uid);
        let inits: Vec<Value> = run
            .pod
            .pointer("/spec/initContainers")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut statuses: Vec<Value> = inits
            .iter()
            .map(|ic| {
                json!({"name": s(&ic["name"]), "ready": false, "restartCount": 0, "image": ic["image"],
                    "imageID": "", "state": {"waiting": {"reason": "PodInitializing"}}})
            })
            .collect();
        for (i, ic) in inits.iter().enumerate() {
            let cname = s(&ic["name"]);
            loop {
                self.logs.start_run(ns, name, &cname);
                let env = self.env(ns, &run.pod, run.address, ic);
                statuses[i]["state"] = json!({"running": {"startedAt": now()}});
                let all = json!(statuses);
                self.set_status(ns, name, uid, |st| st["initContainerStatuses"] = all);
                let code = match self.spawn(
                    ic,
                    &run.host_env(ic, &env),
                    &run.workdir_of(ic),
                    run.netns.as_deref(),
                    false,
                ) {
                    Ok(mut child) => {
                        let pumps = self.pump(ns, name, &cname, &mut child, None);
                        let code = tokio::select! {
                            st = child.wait() => st.ok().and_then(|s| s.code()).unwrap_or(1),
                            _ = stopped(stop) => { let _ = child.kill().await; return false; }
                        };
                        drained(pumps).await;
                        code
                    }
                    Err(e) => {
                        self.logs
                            .push(ns, name, &cname, format!("failed to start: {e}"));
                        127
                    }
                };
                self.logs.end_run(ns, name, &cname);
                let ts = now();
                statuses[i]["ready"] = json!(code == 0);
                statuses[i]["state"] = json!({"terminated": {"exitCode": code,
                    "reason": if code == 0 { "Completed" } else { "Error" }, "finishedAt": ts}});
                let all = json!(statuses);
                self.set_status(ns, name, uid, |st| st["initContainerStatuses"] = all);
                if code == 0 {
                    break;
                }
                if run
                    .pod
                    .pointer("/spec/restartPolicy")
                    .and_then(Value::as_str)
                    == Some("Never")
                {
                    self.set_status(ns, name, uid, |st| st["phase"] = json!("Failed"));
                    stopped(stop).await;
                    return false;
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                    _ = stopped(stop) => return false,
                }
            }
        }
        true
    }

    /// Runs the main container (the first: fakekube runs one container per pod), again after
    /// each exit as the restart policy says, with back-off: 1 s, 2 s, 4 s ... up to 30 s
    /// (Kubernetes: 10 s up to 5 min).
    async fn run_main(
        self: &Arc<Self>,
        run: &PodRun<'_>,
        stop: &mut watch::Receiver<Option<i64>>,
        io_slot: &Mutex<Option<PodIo>>,
    ) {
        let (ns, name, uid) = (run.ns, run.name, run.uid);
        let Some(main) = run.pod.pointer("/spec/containers/0").cloned() else {
            return;
        };
        let cname = s(&main["name"]);
        reap_stale(&run.dir);
        let env = self.env(ns, &run.pod, run.address, &main);
        let workdir = run.workdir_of(&main);
        let wants_stdin = main["stdin"].as_bool().unwrap_or(false);
        let policy = s(&run.pod["spec"]["restartPolicy"]);
        let mut restarts = 0u32;
        let mut last_state = json!({});
        loop {
            self.logs.start_run(ns, name, &cname);
            let (out_tx, _) = broadcast::channel::<Bytes>(1024);
            let mut child = match self.spawn(
                &main,
                &run.host_env(&main, &env),
                &workdir,
                run.netns.as_deref(),
                wants_stdin,
            ) {
                Ok(c) => c,
                Err(e) => {
                    self.logs
                        .push(ns, name, &cname, format!("failed to start container: {e}"));
                    self.logs.end_run(ns, name, &cname);
                    self.set_status(ns, name, uid, |st| {
                        st["containerStatuses"] = json!([{"name": cname, "ready": false, "restartCount": restarts,
                            "image": main["image"], "imageID": "", "started": false,
                            "state": {"waiting": {"reason": "RunContainerError", "message": e.to_string()}}}]);
                    });
                    stopped(stop).await;
                    return;
                }
            };
            let stdin = child.stdin.take().map(stdin_writer);
            *io_slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(PodIo {
                mounts: run.mounts_of(&main),
                workdir: workdir.clone(),
                env: env.clone(),
                stdin,
                output: out_tx.clone(),
                netns: run.netns.clone(),
            });
            let mut pumps = self.pump(ns, name, &cname, &mut child, Some(out_tx));
            let started_at = now();
            self.set_status(ns, name, uid, |st| {
                st["phase"] = json!("Running");
                st["containerStatuses"] = json!([{"name": cname, "ready": false, "restartCount": restarts,
                    "image": main["image"], "imageID": format!("fakekube://{}", s(&main["image"])),
                    "containerID": format!("fakekube://{}", child.id().unwrap_or(0)), "started": true,
                    "state": {"running": {"startedAt": started_at}}, "lastState": last_state}]);
            });
            let pid = child.id().map(|p| Pid::from_raw(p as i32));
            if let Some(pid) = pid {
                let _ = tokio::fs::write(run.dir.join("main.pid"), pid.to_string()).await;
            }
            let probe = self.clone().readiness(
                ns,
                name,
                uid,
                &main,
                super::probes::ProbeSite {
                    address: run.address,
                    workdir: workdir.clone(),
                    env: env.clone(),
                    netns: run.netns.clone(),
                },
            );
            let ended = tokio::select! {
                st = child.wait() => Ended::Exited(st.ok().and_then(|s| s.code()).unwrap_or(137)),
                _ = stopped(stop) => Ended::Stopped,
            };
            probe.abort();
            let code = match ended {
                Ended::Exited(code) => code,
                Ended::Stopped => {
                    let code = self
                        .stop_gracefully(
                            &main,
                            &mut child,
                            pid,
                            (&workdir, &env, run.netns.as_deref()),
                            stop,
                        )
                        .await;
                    drained(std::mem::take(&mut pumps)).await;
                    self.logs.end_run(ns, name, &cname);
                    *io_slot.lock().unwrap_or_else(|e| e.into_inner()) = None;
                    let state = terminated(code, &started_at);
                    self.set_status(ns, name, uid, |st| {
                        st["containerStatuses"][0]["ready"] = json!(false);
                        st["containerStatuses"][0]["state"] = state;
                    });
                    return;
                }
            };
            drained(std::mem::take(&mut pumps)).await;
            self.logs.end_run(ns, name, &cname);
            *io_slot.lock().unwrap_or_else(|e| e.into_inner()) = None;
            let terminated = terminated(code, &started_at);
            let restart = match policy.as_str() {
                "Never" => false,
                "OnFailure" => code != 0,
                _ => true,
            };
            if !restart {
                self.set_status(ns, name, uid, |st| {
                    st["phase"] = json!(if code == 0 { "Succeeded" } else { "Failed" });
                    st["containerStatuses"][0]["ready"] = json!(false);
                    st["containerStatuses"][0]["state"] = terminated.clone();
                    set_ready(st, false);
                });
                stopped(stop).await;
                return;
            }
            let delay = Duration::from_secs((1u64 << restarts.min(5)).min(30));
            restarts += 1;
            last_state = terminated.clone();
            self.set_status(ns, name, uid, |st| {
                st["containerStatuses"][0]["ready"] = json!(false);
                st["containerStatuses"][0]["restartCount"] = json!(restarts);
                st["containerStatuses"][0]["lastState"] = terminated.clone();
                st["containerStatuses"][0]["state"] = json!({"waiting": {"reason": "CrashLoopBackOff",
                    "message": format!("back-off {}s restarting failed container={cname}", delay.as_secs())}});
                set_ready(st, false);
            });
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = stopped(stop) => return,
            }
        }
    }

    /// Stops the main container as a kubelet does: the preStop hook, SIGTERM, then SIGKILL
    /// after the grace period (at once for grace 0, or when a shorter one is asked meanwhile, as
    /// a force delete does). The exit code.
    async fn stop_gracefully(
        &self,
        main: &Value,
        child: &mut Child,
        pid: Option<Pid>,
        (workdir, env, netns): (
            &std::path::Path,
            &[(String, String)],
            Option<&std::path::Path>,
        ),
        stop: &mut watch::Receiver<Option<i64>>,
    ) -> i32 {
        let grace = stop.borrow().unwrap_or(0).max(0) as u64;
        let hook: Vec<String> = main
            .pointer("/lifecycle/preStop/exec/command")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(s)
            .collect();
        if grace > 0 {
            self.run_hook(&hook, workdir, env, netns, grace).await;
        }
        if let Some(pid) = pid {
            let signal = if grace == 0 {
                Signal::SIGKILL
            } else {
                Signal::SIGTERM
            };
            let _ = killpg(pid, signal);
        }
        tokio::select! {
            st = child.wait() => st.ok().and_then(|s| s.code()).unwrap_or(143),
            _ = tokio::time::sleep(Duration::from_secs(grace)) => kill(child, pid).await,
            _ = forced(stop) => kill(child, pid).await,
        }
    }
}

/// Kills the container's process group and waits for it: exit code 137.
async fn kill(child: &mut Child, pid: Option<Pid>) -> i32 {
    if let Some(pid) = pid {
        let _ = killpg(pid, Signal::SIGKILL);
    }
    let _ = child.wait().await;
    137
}

/// A channel whose bytes are written to the container's stdin, in order, until it closes.
fn stdin_writer(mut pipe: tokio::process::ChildStdin) -> mpsc::Sender<Bytes> {
    let (tx, mut rx) = mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        while let Some(b) = rx.recv().await {
            if pipe.write_all(&b).await.is_err() || pipe.flush().await.is_err() {
                return;
            }
        }
    });
    tx
}

/// Waits (a little) for a container's output to be read to its end, so that its last lines are
/// in the log before the run is marked ended (followers stop at the end).
async fn drained(pumps: Vec<tokio::task::JoinHandle<()>>) {
    let _ = tokio::time::timeout(Duration::from_secs(2), futures::future::join_all(pumps)).await;
}

/// Completes when a stop is asked.
async fn stopped(rx: &mut watch::Receiver<Option<i64>>) {
    let _ = rx.wait_for(Option::is_some).await;
}

/// Completes when an immediate stop (grace 0) is asked.
async fn forced(rx: &mut watch::Receiver<Option<i64>>) {
    let _ = rx.wait_for(|g| *g == Some(0)).await;
}
