//! A real Kubernetes control plane for the tests: etcd, kube-apiserver, kube-controller-manager
//! and kube-scheduler, built from the Kubernetes Go modules by `scripts/controlplane.sh` and
//! started here on loopback with ephemeral ports, one per test process ([`shared`]).
//!
//! The apiserver runs with RBAC and Node authorization, PodSecurity admission, static-token and
//! service-account authentication, and an audit log. Each test takes a namespace of its own
//! ([`ControlPlane::namespace`], labelled `restricted` for PodSecurity) and talks to it as the
//! panel would in production: a ServiceAccount bound to exactly the chart's Role
//! (`helm/panel/files/rbac.json`), never as an administrator ([`ControlPlane::panel_config`]).
//!
//! The binaries come from `PANEL_CONTROLPLANE_BIN` (a folder). Without it the real-cluster
//! variants of the tests are skipped, unless `PANEL_REALKUBE=require` (set by
//! `scripts/test.sh`), which turns a missing control plane into a failure.

mod config;
pub mod net;
mod node;
mod procs;
pub mod report;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::{Namespace, ServiceAccount};
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use kube::api::{Api, Patch, PatchParams, PostParams};
use serde_json::json;

pub use node::{FIXED_STORAGE_CLASS, NODE_NAME, STORAGE_CLASS};
use procs::Proc;

/// Why the control plane could not be had.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A binary is missing from `PANEL_CONTROLPLANE_BIN`.
    #[error("missing control-plane binary {0} (run scripts/controlplane.sh)")]
    Missing(PathBuf),
    /// A process could not be started or died.
    #[error("{0}")]
    Start(String),
    /// A Kubernetes call failed.
    #[error("kubernetes: {0}")]
    Kube(#[from] kube::Error),
    /// A file could not be written.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

/// The field manager the harness applies its set-up objects with.
const MANAGER: &str = "realkube";

/// The username the apiserver gives the panel's ServiceAccount in `ns`.
pub fn panel_username(ns: &str) -> String {
    format!("system:serviceaccount:{ns}:panel")
}

/// A running control plane.
#[derive(Debug)]
pub struct ControlPlane {
    /// The apiserver's URL (`https://127.0.0.1:PORT`).
    pub url: String,
    /// Folder of its files (certificates, kubeconfigs, logs, etcd data).
    pub dir: PathBuf,
    /// The apiserver's audit log (JSON lines).
    pub audit_log: PathBuf,
    /// A kubeconfig file for an administrator (for `kubectl --kubeconfig`).
    pub admin_kubeconfig: PathBuf,
    /// The apiserver's version (`v1.35.4`).
    pub version: String,
    /// Where the node agent serves Services' node ports (as kube-proxy would): 127.0.x.y, at
    /// random, so that control planes and fakekubes sharing the machine do not meet.
    pub node_address: std::net::IpAddr,
    /// The pod and service networks, when this process may make them (root): pods then have
    /// addresses in namespaces of their own and cluster IPs answer; else pods are on loopback
    /// addresses and cluster IPs are only data.
    pub networks: Option<net::Networks>,
    admin: config::Identity,
    procs: std::sync::Mutex<Vec<Proc>>,
}

/// The process's control plane, started on first use. `Ok(None)` when no binaries are
/// configured and they are not required (the real-cluster variants then skip themselves).
pub fn shared() -> Result<Option<&'static ControlPlane>, String> {
    static CP: OnceLock<Result<Option<ControlPlane>, String>> = OnceLock::new();
    CP.get_or_init(|| {
        let required = std::env::var("PANEL_REALKUBE").is_ok_and(|v| v == "require");
        match std::env::var_os("PANEL_CONTROLPLANE_BIN") {
            None if required => Err(
                "PANEL_REALKUBE=require but PANEL_CONTROLPLANE_BIN is not set \
                 (scripts/controlplane.sh builds the binaries)"
                    .into(),
            ),
            None => Ok(None),
            Some(bin) => {
                // start on a runtime of its own: the tests' runtimes come and go
                let bin = PathBuf::from(bin);
                std::thread::spawn(move || {
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap()
                        .block_on(ControlPlane::start(&bin))
                })
                .join()
                .map_err(|_| "the control plane start panicked".to_string())?
                .map(Some)
                .map_err(|e| e.to_string())
            }
        }
    })
    .as_ref()
    .map(|o| o.as_ref())
    .map_err(Clone::clone)
}

/// [`shared`] for one test of a suite: the control plane, or None when none is configured and
/// none is required (recorded in the report); panics when it could not start.
pub fn for_test(suite: &str, test: &str) -> Option<&'static ControlPlane> {
    match shared() {
        Ok(Some(cp)) => Some(cp),
        Ok(None) => {
            report::unavailable(suite, test);
            eprintln!("no real control plane configured: {suite}::{test} skipped");
            None
        }
        Err(e) => panic!("the real control plane did not start: {e}"),
    }
}

impl ControlPlane {
    /// Starts etcd, the apiserver, the controller manager and the scheduler from the binaries
    /// in `bin`, and waits until the apiserver is ready.
    pub async fn start(bin: &Path) -> Result<ControlPlane, Error> {
        for b in [
            "etcd",
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
        ] {
            if !bin.join(b).exists() {
                return Err(Error::Missing(bin.join(b)));
            }
        }
        config::remove_stale_dirs();
        let dir = std::env::temp_dir().join(format!(
            "realkube-{}-{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        ));
        let files = config::Files::write(&dir)?;
        let networks = net::Networks::claim()
            .inspect_err(|why| eprintln!("realkube: no pod networks: {why}"))
            .ok();
        let services = networks
            .as_ref()
            .map_or(config::SERVICE_RANGE, |n| n.services.as_str());
        let mut procs = Vec::new();
        let t0 = Instant::now();

        let etcd_client = config::free_port();
        let etcd_peer = config::free_port();
        procs.push(Proc::start(
            "etcd",
            &bin.join("etcd"),
            &config::etcd_args(&dir, etcd_client, etcd_peer),
            &dir.join("etcd.log"),
        )?);

        let port = config::free_port();
        procs.push(Proc::start(
            "kube-apiserver",
            &bin.join("kube-apiserver"),
            &config::apiserver_args(&files, etcd_client, port, services),
            &dir.join("kube-apiserver.log"),
        )?);
        let url = format!("https://127.0.0.1:{port}");
        let ca = config::wait_for_file(&files.serving_cert, Duration::from_secs(60), &mut procs)
            .map_err(Error::Start)?;
        let admin = config::Identity {
            url: url.clone(),
            ca_pem: ca,
            token: files.admin_token.clone(),
        };
        let admin_kubeconfig = dir.join("admin.kubeconfig");
        std::fs::write(&admin_kubeconfig, admin.kubeconfig_json().to_string())?;
        let client = kube::Client::try_from(admin.config().await?)?;
        wait_ready(&client, &mut procs).await?;

        let controllers = procs.len();
        procs.push(Proc::start(
            "kube-controller-manager",
            &bin.join("kube-controller-manager"),
            &config::controller_manager_args(&files, &admin_kubeconfig),
            &dir.join("kube-controller-manager.log"),
        )?);
        procs.push(Proc::start(
            "kube-scheduler",
            &bin.join("kube-scheduler"),
            &config::scheduler_args(&admin_kubeconfig),
            &dir.join("kube-scheduler.log"),
        )?);
        let node_kubeconfig = dir.join("node.kubeconfig");
        let node_identity = config::Identity {
            token: files.node_token.clone(),
            ..admin.clone()
        };
        std::fs::write(
            &node_kubeconfig,
            node_identity.kubeconfig_json().to_string(),
        )?;
        wait_logging(&mut procs[controllers..]).await?;
        let [_, x, y, ..] = *uuid::Uuid::new_v4().as_bytes();
        let node_address: std::net::IpAddr =
            std::net::Ipv4Addr::new(127, 0, x.max(1), y.clamp(2, 254)).into();
        let agent = node::start(
            &client,
            bin,
            &dir,
            node::Place {
                address: node_address,
                networks: networks.as_ref(),
            },
            &node_kubeconfig,
            &admin_kubeconfig,
            &mut procs,
        )
        .await?;
        procs.push(agent);
        let version = client.apiserver_version().await?.git_version;
        eprintln!(
            "realkube: {version} at {url} ready in {} ms ({})",
            t0.elapsed().as_millis(),
            dir.display()
        );
        Ok(ControlPlane {
            url,
            audit_log: files.audit_log.clone(),
            dir,
            admin_kubeconfig,
            version,
            node_address,
            networks,
            admin,
            procs: std::sync::Mutex::new(procs),
        })
    }

    /// An administrator's client configuration (`system:masters`), for set-up and checks only.
    pub async fn admin_config(&self) -> Result<kube::Config, Error> {
        Ok(self.admin.config().await?)
    }

    /// An administrator's client, on the caller's runtime.
    pub async fn admin_client(&self) -> Result<kube::Client, Error> {
        Ok(kube::Client::try_from(self.admin_config().await?)?)
    }

    /// Creates a fresh namespace `prefix-<random>`, labelled for the `restricted` Pod Security
    /// Standard, and waits for its `default` ServiceAccount (pods need it).
    pub async fn namespace(&self, prefix: &str) -> Result<String, Error> {
        let ns = format!(
            "{prefix}-{}",
            &uuid::Uuid::new_v4().simple().to_string()[..10]
        );
        self.create_namespace(&ns).await?;
        Ok(ns)
    }

    /// Creates the namespace `ns` as [`ControlPlane::namespace`] does.
    pub async fn create_namespace(&self, ns: &str) -> Result<(), Error> {
        self.check_alive()?;
        let client = self.admin_client().await?;
        let nss: Api<Namespace> = Api::all(client.clone());
        nss.create(
            &PostParams::default(),
            &serde_json::from_value(json!({"metadata": {"name": ns, "labels": {
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": "latest",
            }}}))
            .expect("namespace"),
        )
        .await?;
        let sas: Api<ServiceAccount> = Api::namespaced(client, ns);
        let deadline = Instant::now() + Duration::from_secs(30);
        while sas.get_opt("default").await?.is_none() {
            if Instant::now() > deadline {
                return Err(Error::Start(format!(
                    "no default ServiceAccount in {ns} after 30 s (is the controller manager up?)"
                )));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// The panel's identity in `ns`: a ServiceAccount `panel` bound to a Role holding exactly
    /// the chart's rules, and a client configuration using its token.
    pub async fn panel_config(&self, ns: &str) -> Result<kube::Config, Error> {
        Ok(self.panel_identity(ns).await?.config().await?)
    }

    /// [`ControlPlane::panel_config`] as a kubeconfig document (JSON, which is YAML), for a
    /// panel run as a program (`KUBECONFIG`).
    pub async fn panel_kubeconfig(&self, ns: &str) -> Result<serde_json::Value, Error> {
        Ok(self.panel_identity(ns).await?.kubeconfig_json())
    }

    async fn panel_identity(&self, ns: &str) -> Result<config::Identity, Error> {
        let rules: serde_json::Value = serde_json::from_str(CHART_RULES).expect("rbac.json");
        self.identity(ns, "panel", rules).await
    }

    /// A kubeconfig document for a ServiceAccount `account` in `ns` bound to a Role of its own
    /// holding `rules` (and nothing else), as a chart would deploy a component: mc-router with
    /// [`ROUTER_RULES`], say.
    pub async fn kubeconfig_for(
        &self,
        ns: &str,
        account: &str,
        rules: serde_json::Value,
    ) -> Result<serde_json::Value, Error> {
        Ok(self.identity(ns, account, rules).await?.kubeconfig_json())
    }

    async fn identity(
        &self,
        ns: &str,
        account: &str,
        rules: serde_json::Value,
    ) -> Result<config::Identity, Error> {
        let client = self.admin_client().await?;
        let pp = PatchParams::apply(MANAGER).force();
        let sas: Api<ServiceAccount> = Api::namespaced(client.clone(), ns);
        sas.patch(
            account,
            &pp,
            &Patch::Apply(json!({"apiVersion": "v1", "kind": "ServiceAccount",
                "metadata": {"name": account}})),
        )
        .await?;
        Api::<Role>::namespaced(client.clone(), ns)
            .patch(
                account,
                &pp,
                &Patch::Apply(
                    json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                    "metadata": {"name": account}, "rules": rules}),
                ),
            )
            .await?;
        Api::<RoleBinding>::namespaced(client.clone(), ns)
            .patch(
                account,
                &pp,
                &Patch::Apply(json!({"apiVersion": "rbac.authorization.k8s.io/v1",
                    "kind": "RoleBinding", "metadata": {"name": account},
                    "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": account},
                    "subjects": [{"kind": "ServiceAccount", "name": account, "namespace": ns}]})),
            )
            .await?;
        let tr = sas
            .create_token_request(
                account,
                &PostParams::default(),
                &serde_json::from_value(json!({"spec": {"expirationSeconds": 86400}}))
                    .expect("token request"),
            )
            .await?;
        let token = tr.status.map(|s| s.token).unwrap_or_default();
        Ok(config::Identity {
            url: self.url.clone(),
            ca_pem: self.admin.ca_pem.clone(),
            token,
        })
    }

    /// The folder on the node of the PersistentVolume `volume` (what the pod sees as its
    /// claim).
    pub fn volume_dir(&self, volume: &str) -> PathBuf {
        self.dir.join("node").join("pv").join(volume)
    }

    /// The audit events of requests made by `username` (JSON objects as the apiserver wrote
    /// them: `verb`, `requestURI`, `objectRef`, `responseStatus.code`...). The log is written
    /// asynchronously: call after a short pause.
    pub fn audit_events(&self, username: &str) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.audit_log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|e| e["user"]["username"] == username)
            .collect()
    }

    /// Fails when a process of the control plane has exited, naming it and its log.
    pub fn check_alive(&self) -> Result<(), Error> {
        let mut procs = self.procs.lock().unwrap();
        for p in procs.iter_mut() {
            if let Some(status) = p.exited() {
                return Err(Error::Start(format!(
                    "{} exited ({status}); see {}",
                    p.name,
                    self.dir.join(format!("{}.log", p.name)).display()
                )));
            }
        }
        Ok(())
    }
}

/// The chart's Role rules, the one file the chart and these tests read.
pub const CHART_RULES: &str = include_str!("../../../helm/panel/files/rbac.json");

/// The chart's rules for mc-router (`route`, and `wake` with wake-on-join), read by the chart
/// and by these tests alike.
pub const ROUTER_RULES: &str = include_str!("../../../helm/panel/files/router-rbac.json");

/// Waits until each of `procs` has printed its first line (a Kubernetes component prints its
/// flags first thing). One that stays silent for 20 s is described on stderr and started again,
/// once: a CI run saw the controller manager and the scheduler print nothing for half a minute,
/// and nothing on the machine said why.
async fn wait_logging(procs: &mut [Proc]) -> Result<(), Error> {
    let started = Instant::now();
    let mut restarted = false;
    loop {
        for p in procs.iter_mut() {
            if let Some(s) = p.exited() {
                return Err(Error::Start(format!(
                    "{} exited ({s}); see {}",
                    p.name,
                    p.log.display()
                )));
            }
        }
        let silent: Vec<usize> = (0..procs.len())
            .filter(|&i| !procs[i].has_logged())
            .collect();
        if silent.is_empty() {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(20) && !restarted {
            for &i in &silent {
                eprintln!(
                    "realkube: silent for 20 s, started again: {}",
                    procs[i].describe()
                );
                procs[i].restart()?;
            }
            restarted = true;
        } else if started.elapsed() > Duration::from_secs(50) {
            let states: Vec<String> = silent.iter().map(|&i| procs[i].describe()).collect();
            return Err(Error::Start(format!(
                "printed nothing in 50 s: {}",
                states.join("; ")
            )));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_ready(client: &kube::Client, procs: &mut [Proc]) -> Result<(), Error> {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let req = http::Request::get("/readyz")
            .body(Vec::new())
            .expect("request");
        match client.request_text(req).await {
            Ok(body) if body.trim() == "ok" => return Ok(()),
            Ok(_) | Err(_) if Instant::now() < deadline => {}
            Ok(body) => return Err(Error::Start(format!("apiserver not ready: {body}"))),
            Err(e) => return Err(Error::Start(format!("apiserver not ready after 90 s: {e}"))),
        }
        for p in procs.iter_mut() {
            if let Some(s) = p.exited() {
                return Err(Error::Start(format!("{} exited ({s})", p.name)));
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
