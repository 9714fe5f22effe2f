//! The pod runner: runs each pod's containers as local processes in a per-pod folder, keeps pod
//! status current (Pending, Running and Ready, restarts with back-off, terminated states), and
//! stops pods gracefully (SIGTERM, then SIGKILL after the grace period) before removing them.

mod network;
mod probes;
mod process;
mod run;

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;
use tokio::sync::{broadcast, mpsc, watch};

use crate::logs::LogBook;
use crate::resources::by_kind;
use crate::store::{EventType, Store};

pub use network::{PodNetwork, enter as enter_netns, sweep as sweep_netns};
pub(crate) use process::die_with_parent;

/// Where volumes and pods live on disk, and what stands in for the Minecraft image.
#[derive(Debug, Clone)]
pub struct Runtime {
    /// State folder: volumes (see [`VolumeLayout`]), `pods/<ns>/<pod>`.
    pub root: PathBuf,
    /// The `mcsim` binary run for containers without a command.
    pub mcsim: PathBuf,
    /// Where a claim's files are.
    pub layout: VolumeLayout,
    /// How pods get their addresses.
    pub network: PodNetwork,
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
    /// The pod's network namespace, which an exec joins (None: the node's network).
    pub netns: Option<PathBuf>,
}

struct PodHandle {
    /// The uid of the pod it runs (a pod of the same name may follow while it stops).
    uid: String,
    /// The pod's own address (its `podIP`), where its ports are bound.
    address: Ipv4Addr,
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

/// A loopback address for a new pod: 127.x.y.z outside 127.0.0.0/16 (all of 127.0.0.0/8 is the
/// loopback on Linux, so any can be bound with no set-up), picked at random so that the
/// fakekubes and node agents of one machine (tests run many at once) do not meet, none of
/// `taken`, and with every port in `ports` free there now (tried a few times: a port this
/// process may not bind stays unbindable everywhere).
fn free_address<'a>(taken: impl Iterator<Item = &'a Ipv4Addr>, ports: &[u16]) -> Ipv4Addr {
    let taken: std::collections::HashSet<Ipv4Addr> = taken.copied().collect();
    let mut last = None;
    for _ in 0..64 {
        let [_, x, y, z, ..] = *uuid::Uuid::new_v4().as_bytes();
        let a = Ipv4Addr::new(127, x, y, z);
        if x == 0 || z == 0 || z == 255 || taken.contains(&a) {
            continue;
        }
        if ports
            .iter()
            .all(|p| std::net::TcpListener::bind((a, *p)).is_ok())
        {
            return a;
        }
        last = Some(a);
    }
    last.unwrap_or(Ipv4Addr::new(127, 1, 0, 1))
}

/// An address for a new pod in `range` (a namespace of its own): at random, none of `taken`,
/// neither the range's first (the node's), last nor network address.
fn free_address_in<'a>(
    range: crate::cidr::Cidr,
    taken: impl Iterator<Item = &'a Ipv4Addr>,
) -> Ipv4Addr {
    let taken: std::collections::HashSet<Ipv4Addr> = taken.copied().collect();
    let usable = range.size() - 3;
    let start = u32::from_be_bytes(
        uuid::Uuid::new_v4().as_bytes()[..4]
            .try_into()
            .unwrap_or_default(),
    );
    (0..usable)
        .filter_map(|i| range.nth(2 + (start.wrapping_add(i)) % usable))
        .find(|a| !taken.contains(a))
        .unwrap_or_else(|| range.first())
}

/// The TCP ports a pod's containers declare.
fn declared_ports(pod: &Value) -> Vec<u16> {
    pod.pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|c| c["ports"].as_array().into_iter().flatten())
        .filter(|p| p["protocol"].as_str().unwrap_or("TCP") == "TCP")
        .filter_map(|p| u16::try_from(p["containerPort"].as_u64()?).ok())
        .collect()
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
        let taken = pods.values().map(|h| &h.address);
        let address = match self.runtime.network {
            PodNetwork::Loopback => free_address(taken, &declared_ports(pod)),
            PodNetwork::Namespaces(range) => free_address_in(range, taken),
        };
        pods.insert(
            key.clone(),
            PodHandle {
                uid: uid.clone(),
                address,
                stop,
                io: io.clone(),
            },
        );
        drop(pods);
        let me = self.clone();
        tokio::spawn(async move {
            me.run_pod(&ns, &name, &uid, address, stop_rx, io).await;
            // The folder and the logs go before the handle: a pod of the same name waits for
            // the handle, then makes its own (removed later, it would lose its root file
            // system and its log).
            let _ = tokio::fs::remove_dir_all(me.runtime.pod_dir(&ns, &name)).await;
            me.logs.forget_pod(&ns, &name);
            me.pods
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&(ns.clone(), name.clone()));
            // Remove the pod object if it is still the one we ran and is being deleted.
            if let Ok(p) = me.store.get(by_kind("Pod"), &ns, &name)
                && p["metadata"]["uid"] == uid.as_str()
                && p.pointer("/metadata/deletionTimestamp").is_some()
            {
                let _ = me.store.remove(by_kind("Pod"), &ns, &name);
            }
        });
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
