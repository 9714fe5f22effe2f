//! The pod runner: runs each pod's containers as local processes in a per-pod folder, keeps pod
//! status current (Pending, Running and Ready, restarts with back-off, terminated states), and
//! stops pods gracefully (SIGTERM, then SIGKILL after the grace period) before removing them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, Command};
use tokio::sync::{broadcast, mpsc, watch};

use crate::logs::LogBook;
use crate::resources::by_kind;
use crate::store::{EventType, Store, now};

/// Where volumes and pods live on disk, and what stands in for the Minecraft image.
#[derive(Debug, Clone)]
pub struct Runtime {
    /// State folder: volumes (see [`VolumeLayout`]), `pods/<ns>/<pod>`.
    pub root: PathBuf,
    /// The `mcsim` binary run for containers without a command.
    pub mcsim: PathBuf,
    /// Where a claim's files are.
    pub layout: VolumeLayout,
}

/// Where a claim's files are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolumeLayout {
    /// `volumes/<ns>/<claim>`: fakekube, which binds claims itself and has no volumes.
    PerClaim,
    /// `pv/<volume>`: the node agent, whose provisioner made a folder per PersistentVolume (a
    /// claim deleted and made again gets a new volume, as on a real cluster).
    PerVolume,
}

impl Runtime {
    /// The folder of a PVC (in fakekube's layout).
    pub fn claim_dir(&self, ns: &str, claim: &str) -> PathBuf {
        self.root.join("volumes").join(ns).join(claim)
    }
    /// The folder of a PersistentVolume (in the node agent's layout).
    pub fn volume_dir(&self, volume: &str) -> PathBuf {
        self.root.join("pv").join(volume)
    }
    /// The folder of a pod (emptyDirs, configMap and secret volumes).
    pub fn pod_dir(&self, ns: &str, pod: &str) -> PathBuf {
        self.root.join("pods").join(ns).join(pod)
    }
}

/// What a running pod exposes to attach and exec.
#[derive(Debug, Clone)]
pub struct PodIo {
    /// Container path -> host folder, for every volume mount of the main container.
    pub mounts: Vec<(String, PathBuf)>,
    /// The folder a command runs in.
    pub workdir: PathBuf,
    /// Environment of the main container.
    pub env: Vec<(String, String)>,
    /// Writes to the main container's stdin (if it has one).
    pub stdin: Option<mpsc::Sender<Bytes>>,
    /// Raw output of the main container (stdout and stderr).
    pub output: broadcast::Sender<Bytes>,
}

struct PodHandle {
    /// The uid of the pod it runs (a pod of the same name may follow while it stops).
    uid: String,
    /// Grace period asked for the stop (None = keep running).
    stop: watch::Sender<Option<i64>>,
    io: Arc<Mutex<Option<PodIo>>>,
}

/// The kubelet.
pub struct Kubelet {
    store: Arc<Store>,
    logs: Arc<LogBook>,
    runtime: Runtime,
    pods: Mutex<HashMap<(String, String), PodHandle>>,
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

impl Kubelet {
    /// A kubelet over `store`.
    pub fn new(store: Arc<Store>, logs: Arc<LogBook>, runtime: Runtime) -> Arc<Kubelet> {
        Arc::new(Kubelet {
            store,
            logs,
            runtime,
            pods: Mutex::new(HashMap::new()),
        })
    }

    /// The runtime's folders.
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// The I/O of a running pod.
    pub fn io(&self, ns: &str, pod: &str) -> Option<PodIo> {
        let pods = self.pods.lock().unwrap_or_else(|e| e.into_inner());
        pods.get(&(ns.to_string(), pod.to_string()))
            .and_then(|h| h.io.lock().unwrap_or_else(|e| e.into_inner()).clone())
    }

    /// Stops every pod's processes at once (fakekube is shutting down; the pod objects stay).
    pub fn stop_all(&self) {
        for h in self.pods.lock().unwrap_or_else(|e| e.into_inner()).values() {
            let _ = h.stop.send(Some(0));
        }
    }

    /// How many pods have processes now.
    pub fn running(&self) -> usize {
        self.pods.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Runs until the store closes: starts pods that appear, stops pods being deleted.
    pub async fn run(self: Arc<Self>) {
        let mut rx = self.store.subscribe();
        for pod in self.store.all(by_kind("Pod")) {
            self.clone().sync(&pod, false);
        }
        loop {
            match rx.recv().await {
                Ok(e) if e.res.plural == "pods" => {
                    self.clone().sync(&e.object, e.ty == EventType::Deleted)
                }
                // a deleted claim takes its files with it, as a volume reclaimed under the
                // `Delete` policy does (the node agent's provisioner does it for real volumes)
                Ok(e)
                    if e.res.plural == "persistentvolumeclaims"
                        && e.ty == EventType::Deleted
                        && self.runtime.layout == VolumeLayout::PerClaim =>
                {
                    let name = s(&e.object["metadata"]["name"]);
                    if !name.is_empty() && !name.contains('/') && name != ".." {
                        let dir = self.runtime.claim_dir(&e.namespace, &name);
                        tokio::spawn(async move {
                            let _ = tokio::fs::remove_dir_all(dir).await;
                        });
                    }
                }
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    for pod in self.store.all(by_kind("Pod")) {
                        self.clone().sync(&pod, false);
                    }
                }
                Err(_) => return,
            }
        }
    }

    fn sync(self: Arc<Self>, pod: &Value, deleted: bool) {
        let ns = s(&pod["metadata"]["namespace"]);
        let name = s(&pod["metadata"]["name"]);
        let uid = s(&pod["metadata"]["uid"]);
        let key = (ns.clone(), name.clone());
        let mut pods = self.pods.lock().unwrap_or_else(|e| e.into_inner());
        let deleting = pod.pointer("/metadata/deletionTimestamp").is_some();
        if deleted || deleting {
            let grace = if deleted {
                0
            } else {
                pod["metadata"]["deletionGracePeriodSeconds"]
                    .as_i64()
                    .unwrap_or(30)
            };
            match pods.get(&key).filter(|h| h.uid == uid) {
                Some(h) => {
                    let lower = h.stop.borrow().is_none_or(|g| grace < g);
                    if lower {
                        let _ = h.stop.send(Some(grace));
                    }
                }
                None if !deleted => {
                    // Nothing runs for it: remove it now.
                    let _ = self.store.remove(by_kind("Pod"), &ns, &name);
                }
                None => {}
            }
            return;
        }
        if let Some(h) = pods.get(&key) {
            if h.uid != uid {
                // An earlier pod of that name still stops: run this one once it is gone.
                let me = self.clone();
                tokio::spawn(async move {
                    while me
                        .pods
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .contains_key(&key)
                    {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    if let Ok(p) = me.store.get(by_kind("Pod"), &ns, &name)
                        && p["metadata"]["uid"] == uid.as_str()
                    {
                        me.clone().sync(&p, false);
                    }
                });
            }
            return;
        }
        let (stop, stop_rx) = watch::channel(None);
        let io = Arc::new(Mutex::new(None));
        pods.insert(
            key.clone(),
            PodHandle {
                uid: uid.clone(),
                stop,
                io: io.clone(),
            },
        );
        drop(pods);
        let me = self.clone();
        tokio::spawn(async move {
            me.run_pod(&ns, &name, &uid, stop_rx, io).await;
            me.pods
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&(ns.clone(), name.clone()));
            me.logs.forget_pod(&ns, &name);
            // Remove the pod object if it is still the one we ran and is being deleted.
            if let Ok(p) = me.store.get(by_kind("Pod"), &ns, &name)
                && p["metadata"]["uid"] == uid.as_str()
                && p.pointer("/metadata/deletionTimestamp").is_some()
            {
                let _ = me.store.remove(by_kind("Pod"), &ns, &name);
            }
            let _ = tokio::fs::remove_dir_all(me.runtime.pod_dir(&ns, &name)).await;
        });
    }

    /// Runs a probe's or a hook's command beside the container (its folder and environment),
    /// for at most `secs`; whether it exited 0. An empty command succeeds.
    async fn run_hook(
        &self,
        cmd: &[String],
        workdir: &Path,
        env: &[(String, String)],
        secs: u64,
    ) -> bool {
        if cmd.is_empty() {
            return true;
        }
        let (exe, args) = self.command_for(&cmd[..1], &cmd[1..]);
        let run = Command::new(exe)
            .args(args)
            .current_dir(workdir)
            .envs(env.iter().cloned())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .status();
        matches!(tokio::time::timeout(Duration::from_secs(secs), run).await, Ok(Ok(st)) if st.success())
    }

    fn set_status(&self, ns: &str, name: &str, uid: &str, f: impl FnOnce(&mut Value)) {
        let _ = self.store.mutate(by_kind("Pod"), ns, name, |p| {
            if p["metadata"]["uid"] == uid {
                f(&mut p["status"]);
            }
        });
    }

    /// Makes the pod's volumes; returns volume name -> host folder.
    async fn volumes(
        &self,
        ns: &str,
        name: &str,
        pod: &Value,
    ) -> Result<HashMap<String, PathBuf>, String> {
        let mut out = HashMap::new();
        let pod_dir = self.runtime.pod_dir(ns, name);
        for v in pod
            .pointer("/spec/volumes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let vname = s(&v["name"]);
            let dir = if let Some(claim) = v
                .pointer("/persistentVolumeClaim/claimName")
                .and_then(Value::as_str)
            {
                let Ok(pvc) = self.store.get(by_kind("PersistentVolumeClaim"), ns, claim) else {
                    return Err(format!("persistentvolumeclaim \"{claim}\" not found"));
                };
                match self.runtime.layout {
                    VolumeLayout::PerClaim => self.runtime.claim_dir(ns, claim),
                    VolumeLayout::PerVolume => match pvc.pointer("/spec/volumeName") {
                        Some(Value::String(v)) if !v.is_empty() => self.runtime.volume_dir(v),
                        _ => {
                            return Err(format!(
                                "persistentvolumeclaim \"{claim}\" is not bound to a volume"
                            ));
                        }
                    },
                }
            } else if let Some(cm) = v.pointer("/configMap/name").and_then(Value::as_str) {
                let d = pod_dir.join("volumes").join(&vname);
                let obj = self
                    .store
                    .get(by_kind("ConfigMap"), ns, cm)
                    .map_err(|e| e.message)?;
                write_files(&d, obj["data"].as_object(), false).await?;
                d
            } else if let Some(sec) = v.pointer("/secret/secretName").and_then(Value::as_str) {
                let d = pod_dir.join("volumes").join(&vname);
                let obj = self
                    .store
                    .get(by_kind("Secret"), ns, sec)
                    .map_err(|e| e.message)?;
                write_files(&d, obj["data"].as_object(), true).await?;
                d
            } else {
                pod_dir.join("volumes").join(&vname)
            };
            tokio::fs::create_dir_all(&dir)
                .await
                .map_err(|e| e.to_string())?;
            out.insert(vname, dir);
        }
        tokio::fs::create_dir_all(&pod_dir)
            .await
            .map_err(|e| e.to_string())?;
        Ok(out)
    }

    /// The environment of a container, with `valueFrom` resolved.
    fn env(&self, ns: &str, pod: &Value, c: &Value) -> Vec<(String, String)> {
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
                self.store
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
                    })
                    .unwrap_or_default()
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
                    "status.podIP" | "status.hostIP" => "127.0.0.1".into(),
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

    fn spawn(
        &self,
        c: &Value,
        env: &[(String, String)],
        workdir: &Path,
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
        cmd.spawn()
    }

    async fn run_pod(
        self: &Arc<Self>,
        ns: &str,
        name: &str,
        uid: &str,
        mut stop: watch::Receiver<Option<i64>>,
        io_slot: Arc<Mutex<Option<PodIo>>>,
    ) {
        let Ok(pod) = self.store.get(by_kind("Pod"), ns, name) else {
            return;
        };
        let started = now();
        self.set_status(ns, name, uid, |st| {
            st["phase"] = json!("Pending");
            st["startTime"] = json!(started);
            st["hostIP"] = json!("127.0.0.1");
            st["podIP"] = json!("127.0.0.1");
            st["podIPs"] = json!([{"ip": "127.0.0.1"}]);
            st["conditions"] = json!([
                {"type": "PodScheduled", "status": "True", "lastTransitionTime": started},
                {"type": "Initialized", "status": "False", "lastTransitionTime": started},
                {"type": "ContainersReady", "status": "False", "lastTransitionTime": started},
                {"type": "Ready", "status": "False", "lastTransitionTime": started},
            ]);
        });
        let volumes = match self.volumes(ns, name, &pod).await {
            Ok(v) => v,
            Err(e) => {
                self.set_status(ns, name, uid, |st| {
                    st["conditions"][0] = json!({"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": e});
                });
                stopped(&mut stop).await;
                return;
            }
        };
        let mounts_of = |c: &Value| -> Vec<(String, PathBuf)> {
            c["volumeMounts"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|m| {
                    volumes
                        .get(m["name"].as_str()?)
                        .map(|d| (s(&m["mountPath"]), d.clone()))
                })
                .collect()
        };
        let pod_dir = self.runtime.pod_dir(ns, name);
        let workdir_of = |c: &Value| {
            mounts_of(c)
                .first()
                .map(|(_, d)| d.clone())
                .unwrap_or_else(|| pod_dir.clone())
        };

        // Init containers, one after the other, each to success.
        let inits: Vec<Value> = pod
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
                let env = self.env(ns, &pod, ic);
                statuses[i]["state"] = json!({"running": {"startedAt": now()}});
                let all = json!(statuses);
                self.set_status(ns, name, uid, |st| st["initContainerStatuses"] = all);
                let code = match self.spawn(ic, &env, &workdir_of(ic), false) {
                    Ok(mut child) => {
                        let pumps = self.pump(ns, name, &cname, &mut child, None);
                        let code = tokio::select! {
                            st = child.wait() => st.ok().and_then(|s| s.code()).unwrap_or(1),
                            _ = stopped(&mut stop) => { let _ = child.kill().await; return; }
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
                if pod.pointer("/spec/restartPolicy").and_then(Value::as_str) == Some("Never") {
                    self.set_status(ns, name, uid, |st| st["phase"] = json!("Failed"));
                    stopped(&mut stop).await;
                    return;
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(2)) => {}
                    _ = stopped(&mut stop) => return,
                }
            }
        }
        self.set_status(ns, name, uid, |st| {
            st["conditions"][1] =
                json!({"type": "Initialized", "status": "True", "lastTransitionTime": now()});
        });

        // The main container (the first; fakekube runs one container per pod).
        let Some(main) = pod.pointer("/spec/containers/0").cloned() else {
            return;
        };
        let cname = s(&main["name"]);
        reap_stale(&pod_dir);
        let env = self.env(ns, &pod, &main);
        let workdir = workdir_of(&main);
        let wants_stdin = main["stdin"].as_bool().unwrap_or(false);
        let policy = s(&pod["spec"]["restartPolicy"]);
        let mut restarts = 0u32;
        let mut last_state = json!({});
        loop {
            self.logs.start_run(ns, name, &cname);
            let (out_tx, _) = broadcast::channel::<Bytes>(1024);
            let mut child = match self.spawn(&main, &env, &workdir, wants_stdin) {
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
                    stopped(&mut stop).await;
                    return;
                }
            };
            let stdin_tx = child.stdin.take().map(|mut pipe| {
                let (tx, mut rx) = mpsc::channel::<Bytes>(64);
                tokio::spawn(async move {
                    while let Some(b) = rx.recv().await {
                        if pipe.write_all(&b).await.is_err() || pipe.flush().await.is_err() {
                            return;
                        }
                    }
                });
                tx
            });
            *io_slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(PodIo {
                mounts: mounts_of(&main),
                workdir: workdir.clone(),
                env: env.clone(),
                stdin: stdin_tx,
                output: out_tx.clone(),
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
                let _ = tokio::fs::write(pod_dir.join("main.pid"), pid.to_string()).await;
            }
            let probe = self
                .clone()
                .readiness(ns, name, uid, &main, workdir.clone(), env.clone());
            let exit = tokio::select! {
                st = child.wait() => Some(st.ok().and_then(|s| s.code()).unwrap_or(137)),
                _ = stopped(&mut stop) => None,
            };
            probe.abort();
            let code = match exit {
                Some(code) => code,
                None => {
                    // Graceful stop: the preStop hook, SIGTERM, then SIGKILL after the grace
                    // period.
                    let grace = stop.borrow().unwrap_or(0).max(0) as u64;
                    let hook: Vec<String> = main
                        .pointer("/lifecycle/preStop/exec/command")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(s)
                        .collect();
                    if grace > 0 {
                        self.run_hook(&hook, &workdir, &env, grace).await;
                    }
                    if let Some(pid) = pid {
                        let _ = killpg(
                            pid,
                            if grace == 0 {
                                Signal::SIGKILL
                            } else {
                                Signal::SIGTERM
                            },
                        );
                    }
                    let code = tokio::select! {
                        st = child.wait() => st.ok().and_then(|s| s.code()).unwrap_or(143),
                        _ = tokio::time::sleep(Duration::from_secs(grace)) => {
                            if let Some(pid) = pid { let _ = killpg(pid, Signal::SIGKILL); }
                            let _ = child.wait().await;
                            137
                        }
                        // a shorter grace period asked meanwhile (force delete)
                        _ = forced(&mut stop) => {
                            if let Some(pid) = pid { let _ = killpg(pid, Signal::SIGKILL); }
                            let _ = child.wait().await;
                            137
                        }
                    };
                    drained(std::mem::take(&mut pumps)).await;
                    self.logs.end_run(ns, name, &cname);
                    *io_slot.lock().unwrap_or_else(|e| e.into_inner()) = None;
                    let ts = now();
                    self.set_status(ns, name, uid, |st| {
                        st["containerStatuses"][0]["ready"] = json!(false);
                        st["containerStatuses"][0]["state"] = json!({"terminated": {"exitCode": code, "reason": if code == 0 { "Completed" } else { "Error" }, "startedAt": started_at, "finishedAt": ts}});
                    });
                    return;
                }
            };
            drained(std::mem::take(&mut pumps)).await;
            self.logs.end_run(ns, name, &cname);
            *io_slot.lock().unwrap_or_else(|e| e.into_inner()) = None;
            let ts = now();
            let terminated = json!({"terminated": {"exitCode": code, "reason": if code == 0 { "Completed" } else { "Error" }, "startedAt": started_at, "finishedAt": ts}});
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
                stopped(&mut stop).await;
                return;
            }
            // Back-off: 1 s, 2 s, 4 s ... up to 30 s (Kubernetes: 10 s up to 5 min).
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
                _ = stopped(&mut stop) => return,
            }
        }
    }

    /// Copies a child's output into the log book (line by line) and to `raw` (as it comes).
    fn pump(
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

    /// Runs the readiness probe while the container runs; no probe means ready once started.
    /// Exec probes run for real (the image's tools mapped to mcsim); TCP and HTTP probes pass
    /// while the process lives (fakekube pods have no network of their own).
    fn readiness(
        self: Arc<Self>,
        ns: &str,
        name: &str,
        uid: &str,
        c: &Value,
        workdir: PathBuf,
        env: Vec<(String, String)>,
    ) -> tokio::task::JoinHandle<()> {
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
                let ok = match &exec {
                    Some(cmd) if !cmd.is_empty() => {
                        self.run_hook(cmd, &workdir, &env, timeout).await
                    }
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
fn reap_stale(pod_dir: &Path) {
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

fn set_ready(st: &mut Value, ready: bool) {
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

fn decode(v: &Value, base64: bool) -> String {
    let raw = v.as_str().unwrap_or_default();
    if base64 {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(raw)
            .map(|b| String::from_utf8_lossy(&b).to_string())
            .unwrap_or_default()
    } else {
        raw.to_string()
    }
}

async fn write_files(
    dir: &Path,
    data: Option<&serde_json::Map<String, Value>>,
    base64: bool,
) -> Result<(), String> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| e.to_string())?;
    for (k, v) in data.into_iter().flatten() {
        if k.contains('/') || k == ".." {
            continue;
        }
        tokio::fs::write(dir.join(k), decode(v, base64))
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
