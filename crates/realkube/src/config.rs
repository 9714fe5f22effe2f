//! The control plane's files (keys, tokens, audit policy, kubeconfigs) and command lines.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::json;

use crate::procs::{self, Proc};

/// The files the processes read, written once per control plane.
pub(crate) struct Files {
    pub cert_dir: PathBuf,
    pub serving_cert: PathBuf,
    pub sa_key: PathBuf,
    pub sa_pub: PathBuf,
    pub tokens: PathBuf,
    pub audit_policy: PathBuf,
    pub audit_log: PathBuf,
    pub admin_token: String,
    pub node_token: String,
}

/// The service range of a control plane without networks of its own ([`crate::net`]):
/// addresses that are only data there (no proxy answers for them), in the benchmarking range
/// (RFC 2544), not a private one, and 4 094 of them (a TEST-NET /24 ran out at the 254th
/// server's Service). One with networks takes a /22 (1 022) of the same range.
pub(crate) const SERVICE_RANGE: &str = "198.18.0.0/20";

impl Files {
    pub fn write(dir: &Path) -> Result<Files, std::io::Error> {
        let cert_dir = dir.join("pki");
        std::fs::create_dir_all(&cert_dir)?;
        let sa_key = dir.join("sa.key");
        let sa_pub = dir.join("sa.pub");
        run("openssl", &["genrsa", "-out", path(&sa_key), "2048"])?;
        run(
            "openssl",
            &[
                "rsa",
                "-in",
                path(&sa_key),
                "-pubout",
                "-out",
                path(&sa_pub),
            ],
        )?;
        let admin_token = random_token();
        let node_token = random_token();
        let node = format!("system:node:{}", crate::node::NODE_NAME);
        let tokens = dir.join("tokens.csv");
        // token,user,uid,"group1,group2"
        std::fs::write(
            &tokens,
            format!(
                "{admin_token},realkube-admin,realkube-admin,\"system:masters\"\n\
                 {node_token},{node},{node},\"system:nodes\"\n"
            ),
        )?;
        let audit_policy = dir.join("audit-policy.json");
        std::fs::write(
            &audit_policy,
            json!({
                "apiVersion": "audit.k8s.io/v1",
                "kind": "Policy",
                "omitStages": ["RequestReceived", "ResponseStarted"],
                "rules": [{"level": "Metadata"}]
            })
            .to_string(),
        )?;
        Ok(Files {
            serving_cert: cert_dir.join("apiserver.crt"),
            cert_dir,
            sa_key,
            sa_pub,
            tokens,
            audit_policy,
            audit_log: dir.join("audit.log"),
            admin_token,
            node_token,
        })
    }
}

/// Who a client is: the apiserver, its CA and a bearer token.
#[derive(Debug, Clone)]
pub(crate) struct Identity {
    pub url: String,
    pub ca_pem: Vec<u8>,
    pub token: String,
}

impl Identity {
    /// A kubeconfig for this identity, as JSON (which every kubeconfig reader takes as YAML).
    pub fn kubeconfig_json(&self) -> serde_json::Value {
        let ca = base64::engine::general_purpose::STANDARD.encode(&self.ca_pem);
        json!({
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "realkube", "cluster": {
                "server": self.url, "certificate-authority-data": ca}}],
            "users": [{"name": "user", "user": {"token": self.token}}],
            "contexts": [{"name": "realkube", "context": {"cluster": "realkube", "user": "user"}}],
            "current-context": "realkube",
        })
    }

    /// A kube client configuration for this identity.
    pub async fn config(&self) -> Result<kube::Config, kube::Error> {
        let kc = kube::config::Kubeconfig::from_yaml(&self.kubeconfig_json().to_string())
            .map_err(kube::Error::InferKubeconfig)?;
        kube::Config::from_custom_kubeconfig(kc, &Default::default())
            .await
            .map_err(kube::Error::InferKubeconfig)
    }
}

pub(crate) fn etcd_args(dir: &Path, client: u16, peer: u16) -> Vec<String> {
    let c = format!("http://127.0.0.1:{client}");
    let p = format!("http://127.0.0.1:{peer}");
    [
        "--name=realkube".to_string(),
        format!("--data-dir={}", dir.join("etcd").display()),
        format!("--listen-client-urls={c}"),
        format!("--advertise-client-urls={c}"),
        format!("--listen-peer-urls={p}"),
        format!("--initial-advertise-peer-urls={p}"),
        format!("--initial-cluster=realkube={p}"),
        "--unsafe-no-fsync=true".into(),
        "--log-level=warn".into(),
        "--quota-backend-bytes=4294967296".into(),
    ]
    .into()
}

pub(crate) fn apiserver_args(f: &Files, etcd: u16, port: u16, services: &str) -> Vec<String> {
    [
        format!("--etcd-servers=http://127.0.0.1:{etcd}"),
        "--bind-address=127.0.0.1".to_string(),
        "--advertise-address=127.0.0.1".into(),
        format!("--secure-port={port}"),
        format!("--cert-dir={}", f.cert_dir.display()),
        format!("--token-auth-file={}", f.tokens.display()),
        "--authorization-mode=Node,RBAC".into(),
        "--enable-admission-plugins=NodeRestriction".into(),
        "--allow-privileged=false".into(),
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local".into(),
        format!("--service-account-key-file={}", f.sa_pub.display()),
        format!("--service-account-signing-key-file={}", f.sa_key.display()),
        format!("--service-cluster-ip-range={services}"),
        "--endpoint-reconciler-type=none".into(),
        "--kubelet-preferred-address-types=InternalIP".into(),
        format!("--audit-policy-file={}", f.audit_policy.display()),
        format!("--audit-log-path={}", f.audit_log.display()),
        "--audit-log-format=json".into(),
        "--audit-log-mode=batch".into(),
        "--audit-log-batch-max-wait=100ms".into(),
        "--audit-log-batch-buffer-size=100000".into(),
        "--audit-log-maxsize=0".into(),
        "--v=1".into(),
    ]
    .into()
}

pub(crate) fn controller_manager_args(f: &Files, kubeconfig: &Path) -> Vec<String> {
    [
        format!("--kubeconfig={}", kubeconfig.display()),
        "--leader-elect=false".to_string(),
        "--secure-port=0".into(),
        format!("--service-account-private-key-file={}", f.sa_key.display()),
        format!("--root-ca-file={}", f.serving_cert.display()),
        "--use-service-account-credentials=false".into(),
        // react quickly: the tests wait on these controllers
        "--concurrent-statefulset-syncs=10".into(),
        "--concurrent-gc-syncs=20".into(),
        "--v=1".into(),
    ]
    .into()
}

pub(crate) fn scheduler_args(kubeconfig: &Path) -> Vec<String> {
    [
        format!("--kubeconfig={}", kubeconfig.display()),
        "--leader-elect=false".to_string(),
        "--secure-port=0".into(),
        "--v=1".into(),
    ]
    .into()
}

/// A free TCP port on 127.0.0.1 (released before the child binds it: a small race).
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Waits until `file` exists and holds a PEM certificate (the apiserver writes its
/// self-signed serving certificate at start), failing early when a process dies.
pub(crate) fn wait_for_file(
    file: &Path,
    limit: Duration,
    procs: &mut [Proc],
) -> Result<Vec<u8>, String> {
    let deadline = Instant::now() + limit;
    loop {
        if let Ok(b) = std::fs::read(file)
            && b.windows(20).any(|w| w == b"-----END CERTIFICATE")
        {
            return Ok(b);
        }
        for p in procs.iter_mut() {
            if let Some(s) = p.exited() {
                return Err(format!("{} exited ({s})", p.name));
            }
        }
        if Instant::now() > deadline {
            return Err(format!("{} never appeared", file.display()));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Removes the folders of earlier control planes whose test process has gone.
pub(crate) fn remove_stale_dirs() {
    let Ok(rd) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(rest) = name.strip_prefix("realkube-") else {
            continue;
        };
        if let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok())
            && !procs::alive(pid)
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn random_token() -> String {
    uuid::Uuid::new_v4().simple().to_string() + &uuid::Uuid::new_v4().simple().to_string()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn run(program: &str, args: &[&str]) -> Result<(), std::io::Error> {
    let out = std::process::Command::new(program).args(args).output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        )))
    }
}
