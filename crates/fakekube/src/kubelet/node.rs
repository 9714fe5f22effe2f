//! The Node object and its heartbeat: registered as a kubelet registers (addresses, the kubelet
//! API's port, capacity, a Ready condition), a `kube-node-lease` Lease renewed every 10 s, and
//! the conditions' heartbeat every minute.

use std::time::Duration;

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::Node;
use kube::Client;
use kube::api::{Api, Patch, PatchParams};
use serde_json::{Value, json};

/// The field manager of everything the agent writes.
pub(crate) const MANAGER: &str = "fakekube-node";

/// How long a lease holds without renewal (the kubelet's default).
const LEASE_SECS: i64 = 40;

/// What the node offers: more than any test asks (the pods are local processes).
fn capacity() -> Value {
    json!({"cpu": "64", "memory": "256Gi", "pods": "1000", "ephemeral-storage": "1Ti"})
}

fn micro_now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

fn status(name: &str, port: u16) -> Value {
    let now = crate::store::now();
    let cond = |ty: &str, st: &str, reason: &str, message: &str| {
        json!({"type": ty, "status": st, "reason": reason, "message": message,
            "lastHeartbeatTime": now, "lastTransitionTime": now})
    };
    json!({
        "capacity": capacity(),
        "allocatable": capacity(),
        "conditions": [
            cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            cond("Ready", "True", "KubeletReady", "fakekube's node agent is posting ready status"),
        ],
        "addresses": [
            {"type": "InternalIP", "address": "127.0.0.1"},
            {"type": "Hostname", "address": name},
        ],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": port}},
        "nodeInfo": {
            "machineID": "", "systemUUID": "", "bootID": "",
            "kernelVersion": "", "osImage": "fakekube node agent",
            "containerRuntimeVersion": "fakekube://0",
            "kubeletVersion": "v1.35.4", "kubeProxyVersion": "",
            "operatingSystem": "linux", "architecture": std::env::consts::ARCH,
        },
    })
}

/// Registers the node `name` (its kubelet API on 127.0.0.1:`port`), Ready, and takes its lease.
pub(crate) async fn register(client: &Client, name: &str, port: u16) -> Result<(), kube::Error> {
    let nodes: Api<Node> = Api::all(client.clone());
    let pp = PatchParams::apply(MANAGER).force();
    nodes
        .patch(
            name,
            &pp,
            &Patch::Apply(json!({"apiVersion": "v1", "kind": "Node",
                "metadata": {"name": name, "labels": {
                    "kubernetes.io/hostname": name,
                    "kubernetes.io/os": "linux",
                    "kubernetes.io/arch": "amd64",
                }},
                "status": status(name, port)})),
        )
        .await?;
    post_status(client, name, port).await?;
    renew(client, name).await
}

async fn post_status(client: &Client, name: &str, port: u16) -> Result<(), kube::Error> {
    Api::<Node>::all(client.clone())
        .patch_status(
            name,
            &PatchParams::apply(MANAGER).force(),
            &Patch::Apply(json!({"apiVersion": "v1", "kind": "Node",
                "metadata": {"name": name}, "status": status(name, port)})),
        )
        .await
        .map(|_| ())
}

async fn renew(client: &Client, name: &str) -> Result<(), kube::Error> {
    Api::<Lease>::namespaced(client.clone(), "kube-node-lease")
        .patch(
            name,
            &PatchParams::apply(MANAGER).force(),
            &Patch::Apply(
                json!({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": {"name": name},
                "spec": {"holderIdentity": name, "leaseDurationSeconds": LEASE_SECS,
                    "renewTime": micro_now()}}),
            ),
        )
        .await
        .map(|_| ())
}

/// Renews the lease every 10 s and posts the node's status every minute, for ever.
pub(crate) async fn heartbeat(client: Client, name: String, port: u16) {
    let mut tick = 0u64;
    loop {
        tokio::time::sleep(Duration::from_secs(10)).await;
        tick += 1;
        if let Err(e) = renew(&client, &name).await {
            tracing::warn!(error = %e, "could not renew the node's lease");
        }
        if tick.is_multiple_of(6)
            && let Err(e) = post_status(&client, &name, port).await
        {
            tracing::warn!(error = %e, "could not post the node's status");
        }
    }
}
