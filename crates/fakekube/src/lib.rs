//! fakekube: a small, honest stand-in for the Kubernetes API, for the panel's tests and its
//! sandbox. It serves the real HTTP API (discovery, CRUD, watch, status and scale subresources,
//! pod logs) for exactly the resources the panel uses, runs a StatefulSet controller, and runs
//! pods as local processes (a Minecraft console simulator, `mcsim`, stands in for the image).
//! A normal `kube::Client` talks to it; so does `kubectl --server`.

pub mod api;
pub mod auth;
pub mod cidr;
pub mod controller;
pub mod defaults;
pub mod exec;
pub mod faults;
pub mod kubelet;
pub mod logs;
pub mod metrics;
pub mod node_ports;
pub mod openapi;
pub mod patch;
pub mod proxy;
pub mod resources;
pub mod selector;
pub mod status;
pub mod store;
pub mod tables;
pub mod tls;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use faults::{FaultRequest, Faults};
pub use kubelet::{Kubelet, PodNetwork, Runtime, VolumeLayout};
pub use store::Store;

/// Everything a running fakekube holds.
pub struct Cluster {
    /// The objects.
    pub store: Arc<Store>,
    /// Container logs.
    pub logs: Arc<logs::LogBook>,
    /// The pod runner.
    pub kubelet: Arc<Kubelet>,
    /// Fault switches.
    pub faults: Faults,
    /// CPU samples for the metrics API.
    pub metrics: metrics::Samples,
    /// API requests served.
    pub requests: faults::RequestLog,
}

impl Cluster {
    /// A cluster over `store` whose pods run in `runtime`, with its log book and pod runner,
    /// no faults and nothing counted yet.
    pub fn new(store: Arc<Store>, runtime: Runtime) -> Arc<Cluster> {
        let logs = Arc::new(logs::LogBook::default());
        let kubelet = Kubelet::new(store.clone(), logs.clone(), runtime);
        Arc::new(Cluster {
            store,
            logs,
            kubelet,
            faults: Faults::default(),
            metrics: metrics::Samples::default(),
            requests: faults::RequestLog::default(),
        })
    }
}

/// How to start fakekube.
#[derive(Clone)]
pub struct Config {
    /// Address to listen on (port 0 picks a free one).
    pub listen: SocketAddr,
    /// State folder (volumes, pods, and `state.json` when `persist`).
    pub root: PathBuf,
    /// The `mcsim` binary.
    pub mcsim: PathBuf,
    /// Save objects to `root/state.json` after each change and load them at start.
    pub persist: bool,
    /// Namespaces to create at start (`default` always exists).
    pub namespaces: Vec<String>,
    /// The bearer token every request must carry (None: no authentication).
    pub token: Option<String>,
    /// Serve HTTPS with a certificate made at start (see [`FakeKube::ca_pem`]).
    pub tls: bool,
    /// The node's address, where Services' node ports (and LoadBalancer ports) are served as
    /// kube-proxy serves them ([`proxy`]); None serves none.
    pub node_address: Option<std::net::IpAddr>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("root", &self.root)
            .field("persist", &self.persist)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("tls", &self.tls)
            .field("node_address", &self.node_address)
            .finish_non_exhaustive()
    }
}

/// A running fakekube.
pub struct FakeKube {
    /// Its base URL (`http://127.0.0.1:PORT`, or `https://` with TLS).
    pub url: String,
    /// With TLS, its certificate (PEM), which clients trust as its CA.
    pub ca_pem: Option<String>,
    /// The same, DER.
    pub ca_der: Option<Vec<u8>>,
    /// The cluster state, for tests.
    pub cluster: Arc<Cluster>,
    shutdown: Option<oneshot::Sender<()>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl FakeKube {
    /// Starts the API server, the StatefulSet controller and the kubelet.
    pub async fn start(config: Config) -> std::io::Result<FakeKube> {
        std::fs::create_dir_all(&config.root)?;
        let store = Store::new(config.persist.then(|| config.root.join("state.json")));
        for ns in std::iter::once("default".to_string()).chain(config.namespaces.iter().cloned()) {
            let _ = store.create(
                resources::by_kind("Namespace"),
                "",
                serde_json::json!({"metadata": {"name": ns}}),
            );
        }
        // the class claims get by default (as a cluster's default StorageClass); its volumes
        // can grow
        let _ = store.create(
            resources::by_kind("StorageClass"),
            "",
            serde_json::json!({"metadata": {"name": defaults::STORAGE_CLASS, "annotations": {
                    "storageclass.kubernetes.io/is-default-class": "true"}},
                "provisioner": "fakekube.dev/local", "reclaimPolicy": "Delete",
                "volumeBindingMode": "Immediate", "allowVolumeExpansion": true}),
        );
        let cluster = Cluster::new(
            store.clone(),
            Runtime {
                root: config.root.clone(),
                mcsim: config.mcsim.clone(),
                layout: VolumeLayout::PerClaim,
                network: PodNetwork::Loopback,
            },
        );
        let kubelet = cluster.kubelet.clone();
        let listener = TcpListener::bind(config.listen).await?;
        let identity = config.tls.then(tls::Identity::generate).transpose()?;
        let scheme = if identity.is_some() { "https" } else { "http" };
        let url = format!("{scheme}://{}", listener.local_addr()?);
        let (tx, rx) = oneshot::channel::<()>();
        let mut app = api::router(cluster.clone());
        if let Some(token) = &config.token {
            app = app.layer(axum::middleware::from_fn_with_state(
                Arc::<str>::from(token.as_str()),
                auth::require_token,
            ));
        }
        let stopped = async {
            let _ = rx.await;
        };
        let serving = match &identity {
            Some(id) => {
                let listener = tls::TlsListener::new(listener, id)?;
                tokio::spawn(async move {
                    let _ = axum::serve(listener, app)
                        .with_graceful_shutdown(stopped)
                        .await;
                })
            }
            None => tokio::spawn(async move {
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(stopped)
                    .await;
            }),
        };
        let mut tasks = vec![
            serving,
            tokio::spawn(controller::run(store.clone())),
            tokio::spawn(kubelet.run()),
        ];
        if let Some(node) = config.node_address {
            let ingress = proxy::into_store(store.clone());
            tasks.push(tokio::spawn(proxy::run(store.clone(), node, None, ingress)));
        }
        tracing::info!(%url, "fakekube serving");
        Ok(FakeKube {
            url,
            ca_pem: identity.as_ref().map(|i| i.cert_pem.clone()),
            ca_der: identity.map(|i| i.cert_der),
            cluster,
            shutdown: Some(tx),
            tasks,
        })
    }

    /// Stops serving and stops every pod's processes (waiting up to 10 s for them).
    pub async fn stop(mut self) {
        self.halt();
        for _ in 0..100 {
            if self.cluster.kubelet.running() == 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    fn halt(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        for t in &self.tasks {
            t.abort();
        }
        self.cluster.kubelet.stop_all();
    }
}

impl Drop for FakeKube {
    fn drop(&mut self) {
        self.halt();
    }
}
