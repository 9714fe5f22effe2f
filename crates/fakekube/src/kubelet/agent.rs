//! The node agent: fakekube's pod runner as a Node of a real cluster. It keeps a local store
//! of the pods bound to it (and what they refer to), runs them with the same runner as
//! fakekube, serves fakekube's pod log, exec and attach API over them on loopback, and puts
//! `kubelet-streaming` in front of that as the kubelet API kube-apiserver proxies to.

use std::path::PathBuf;
use std::time::Duration;

use tokio::net::TcpListener;

use super::pods::{Runtime, VolumeLayout};
use super::{front, mirror, node, provision};
use crate::store::Store;
use crate::{Cluster, api};

/// How to run the node agent.
#[derive(Debug, Clone)]
pub struct AgentConfig {
    /// The Node's name.
    pub name: String,
    /// A kubeconfig for the node's identity (`system:node:<name>` in `system:nodes`).
    pub kubeconfig: PathBuf,
    /// A kubeconfig allowed to create PersistentVolumes and update claims' status (a node may
    /// not: NodeRestriction), for the provisioner.
    pub provisioner_kubeconfig: PathBuf,
    /// State folder (volumes, pods).
    pub root: PathBuf,
    /// The `mcsim` binary.
    pub mcsim: PathBuf,
    /// The `kubelet-streaming` binary.
    pub streaming: PathBuf,
    /// Where the node serves Services' node ports, as kube-proxy does (None: nowhere).
    pub node_address: Option<std::net::IpAddr>,
    /// How pods get addresses: a namespace each, from a range, or a loopback address each.
    pub pod_network: super::PodNetwork,
    /// The cluster IPs the node's proxy serves, besides loopback ones (the apiserver's service
    /// range, made local to the node by whoever runs the agent).
    pub cluster_ips: Option<crate::cidr::Cidr>,
}

/// Why the agent could not run.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// A kubeconfig could not be read.
    #[error("kubeconfig {0}: {1}")]
    Kubeconfig(PathBuf, String),
    /// A Kubernetes call failed.
    #[error("kubernetes: {0}")]
    Kube(#[from] kube::Error),
    /// A file or socket failed.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// A program could not be started.
    #[error("{0}")]
    Start(String),
}

/// The node's Service proxy: the Services copied from the API server, served at the node's
/// address, and each LoadBalancer's ingress written back (with `admin`: as a cloud's
/// controller does, not the node); pending for ever without an address.
async fn proxy(
    client: &kube::Client,
    admin: &kube::Client,
    store: &std::sync::Arc<Store>,
    node: Option<std::net::IpAddr>,
    cluster_ips: Option<crate::cidr::Cidr>,
) {
    let Some(node) = node else {
        return std::future::pending().await;
    };
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let sink: crate::proxy::IngressSink = std::sync::Arc::new(move |ns, name, status| {
        let _ = tx.send((ns.to_string(), name.to_string(), status));
    });
    tokio::join!(
        mirror::services(client.clone(), store.clone()),
        mirror::load_balancers(admin.clone(), rx),
        crate::proxy::run(store.clone(), node, cluster_ips, sink)
    );
}

async fn client_from(path: &PathBuf) -> Result<kube::Client, AgentError> {
    let bad = |e: String| AgentError::Kubeconfig(path.clone(), e);
    let kc = kube::config::Kubeconfig::read_from(path).map_err(|e| bad(e.to_string()))?;
    let cfg = kube::Config::from_custom_kubeconfig(kc, &Default::default())
        .await
        .map_err(|e| bad(e.to_string()))?;
    Ok(kube::Client::try_from(cfg)?)
}

/// Registers the node and runs its pods until `stop` completes; then stops every pod's
/// processes (waiting up to 10 s) and returns.
pub async fn run(
    cfg: AgentConfig,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), AgentError> {
    let node_client = client_from(&cfg.kubeconfig).await?;
    let admin = client_from(&cfg.provisioner_kubeconfig).await?;
    std::fs::create_dir_all(&cfg.root)?;
    let runtime = Runtime {
        root: cfg.root.clone(),
        mcsim: cfg.mcsim.clone(),
        layout: VolumeLayout::PerVolume,
        network: cfg.pod_network,
    };
    if let super::PodNetwork::Namespaces(range) = cfg.pod_network {
        super::sweep_netns(range).await;
    }
    let store = Store::new(None);
    let cluster = Cluster::new(store.clone(), runtime.clone());
    let kubelet = cluster.kubelet.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let local = format!("http://{}", listener.local_addr()?);
    let serve = axum::serve(listener, api::router(cluster));
    let front = front::start(&cfg.streaming, &local).await?;
    node::register(&node_client, &cfg.name, front.port).await?;
    println!(
        "node {} ready: kubelet API on https://127.0.0.1:{}",
        cfg.name, front.port
    );
    tokio::select! {
        r = serve.into_future() => tracing::error!(?r, "the agent's local API stopped"),
        () = kubelet.clone().run() => {}
        () = node::heartbeat(node_client.clone(), cfg.name.clone(), front.port) => {}
        () = mirror::pods(node_client.clone(), cfg.name.clone(), store.clone()) => {}
        () = mirror::statuses(node_client.clone(), store.clone()) => {}
        () = proxy(&node_client, &admin, &store, cfg.node_address, cfg.cluster_ips) => {}
        () = provision::claims(admin.clone(), cfg.name.clone(), runtime.clone()) => {}
        () = provision::volumes(admin.clone(), runtime) => {}
        () = stop => {}
    }
    kubelet.stop_all();
    for _ in 0..100 {
        if kubelet.running() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    drop(front);
    Ok(())
}
