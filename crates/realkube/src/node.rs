//! The control plane's node: fakekube's node agent (`fakekube node`) registered as
//! `system:node:realkube-node`, and the StorageClasses its provisioner serves.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Node;
use k8s_openapi::api::storage::v1::StorageClass;
use kube::api::{Api, Patch, PatchParams};
use serde_json::json;

use crate::Error;
use crate::procs::Proc;

/// The node's name.
pub const NODE_NAME: &str = "realkube-node";

/// The default StorageClass (volumes can grow).
pub const STORAGE_CLASS: &str = "local";

/// A StorageClass whose volumes cannot grow (`allowVolumeExpansion: false`, as k3s's and
/// kind's local-path).
pub const FIXED_STORAGE_CLASS: &str = "local-fixed";

/// The provisioner the node agent serves (fakekube's `kubelet::provision::PROVISIONER`).
const PROVISIONER: &str = "fakekube.dev/node-local";

/// The fakekube binary: `PANEL_FAKEKUBE_BIN`, or next to the test binary's folder (cargo puts
/// the workspace's programs in `target/debug`, tests in `target/debug/deps`).
fn fakekube_bin() -> Result<PathBuf, Error> {
    if let Some(p) = std::env::var_os("PANEL_FAKEKUBE_BIN") {
        return Ok(PathBuf::from(p));
    }
    let exe = std::env::current_exe()?;
    let mut dir = exe.parent();
    while let Some(d) = dir {
        let candidate = d.join("fakekube");
        if candidate.is_file() {
            return Ok(candidate);
        }
        dir = d
            .parent()
            .filter(|p| p.ends_with("debug") || p.ends_with("release"));
    }
    Err(Error::Missing(PathBuf::from(
        "fakekube (build the workspace first: cargo build)",
    )))
}

/// Where the node is on the machine's networks.
pub(crate) struct Place<'a> {
    /// Where it serves node ports.
    pub address: std::net::IpAddr,
    /// Its pods' and services' ranges, when it has them.
    pub networks: Option<&'a crate::net::Networks>,
}

/// Creates the StorageClasses, starts the node agent and waits until its Node is Ready.
pub(crate) async fn start(
    client: &kube::Client,
    bin: &Path,
    dir: &Path,
    Place {
        address: node_address,
        networks,
    }: Place<'_>,
    node_kubeconfig: &Path,
    admin_kubeconfig: &Path,
    others: &mut [Proc],
) -> Result<Proc, Error> {
    let pp = PatchParams::apply(crate::MANAGER).force();
    let classes: Api<StorageClass> = Api::all(client.clone());
    for (name, grows, default) in [
        (STORAGE_CLASS, true, true),
        (FIXED_STORAGE_CLASS, false, false),
    ] {
        classes
            .patch(
                name,
                &pp,
                &Patch::Apply(
                    json!({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
                    "metadata": {"name": name, "annotations": {
                        "storageclass.kubernetes.io/is-default-class": default.to_string()}},
                    "provisioner": PROVISIONER, "reclaimPolicy": "Delete",
                    "volumeBindingMode": "Immediate", "allowVolumeExpansion": grows}),
                ),
            )
            .await?;
    }
    let fakekube = fakekube_bin()?;
    let mcsim = fakekube.with_file_name("mcsim");
    let streaming = bin.join("kubelet-streaming");
    for p in [&fakekube, &mcsim, &streaming] {
        if !p.exists() {
            return Err(Error::Missing(p.clone()));
        }
    }
    let path = |p: &Path| p.display().to_string();
    let mut args = vec![
        format!("--root={}", path(&dir.join("node"))),
        format!("--mcsim={}", path(&mcsim)),
        "node".into(),
        format!("--name={NODE_NAME}"),
        format!("--kubeconfig={}", path(node_kubeconfig)),
        format!("--provisioner-kubeconfig={}", path(admin_kubeconfig)),
        format!("--streaming={}", path(&streaming)),
        format!("--serve-node-ports={node_address}"),
    ];
    if let Some(n) = networks {
        args.push(format!("--pod-network={}", n.pods));
        args.push(format!("--serve-cluster-ips={}", n.services));
    }
    let mut proc = Proc::start("node-agent", &fakekube, &args, &dir.join("node-agent.log"))?;
    let nodes: Api<Node> = Api::all(client.clone());
    // the node lifecycle controller lifts the not-ready taint the apiserver's admission puts
    // on a new Node; it waits for the node's first Ready heartbeat
    let wait = Duration::from_secs(90);
    let deadline = Instant::now() + wait;
    loop {
        let ready = nodes.get_opt(NODE_NAME).await?.is_some_and(|n| {
            let status = n.status.unwrap_or_default();
            let ready = status
                .conditions
                .unwrap_or_default()
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            let tainted = n
                .spec
                .and_then(|s| s.taints)
                .is_some_and(|t| t.iter().any(|t| t.effect == "NoSchedule"));
            ready && !tainted
        });
        if ready {
            return Ok(proc);
        }
        for p in std::iter::once(&mut proc).chain(others.iter_mut()) {
            if let Some(s) = p.exited() {
                return Err(Error::Start(format!(
                    "{} exited ({s}); see {}",
                    p.name,
                    p.log.display()
                )));
            }
        }
        if Instant::now() > deadline {
            let states: Vec<String> = std::iter::once(&mut proc)
                .chain(others.iter_mut())
                .map(Proc::describe)
                .collect();
            return Err(Error::Start(format!(
                "node {NODE_NAME} not Ready and schedulable after {} s; {}",
                wait.as_secs(),
                states.join("; ")
            )));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
