//! The panel's Kubernetes client: apply a server's objects (server-side apply, one field
//! manager), delete them, act on its pod, and watch every game pod. One file per concern.

mod exec;
mod jobs;
mod lease;
mod logs;
mod metrics;
mod objects;
mod watch;

pub use exec::{ExecOutput, ExecStatus, ExecStream, READY, exit_code};
pub use jobs::JobPhase;
pub use metrics::{cpu_millis, memory_mib};
pub use objects::ManagedSet;
pub use watch::{PodEvent, PodRefused, ServiceEvent};

use k8s_openapi::api::apps::v1::StatefulSet;
pub use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::core::v1::Service;
use kube::api::{Api, DeleteParams, Patch, PatchParams};
use kube::{Client, Config};

use crate::builders::Manifests;

/// The grace period of a kill: the shortest a kubelet honours. The pod object stays until its
/// container is gone, so a new pod never meets the old one on the world's volume.
pub const KILL_GRACE_SECS: u32 = 1;

/// The field manager of everything the panel applies.
pub const FIELD_MANAGER: &str = "mc-panel";

/// What went wrong talking to the cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The API server could not be reached (or answered 5xx).
    #[error("the cluster is unreachable: {0}")]
    Unreachable(String),
    /// The API server took the connection but did not answer within [`REQUEST_TIMEOUT`].
    #[error("the cluster did not answer in time: {0}")]
    Timeout(String),
    /// The API server refused the request.
    #[error("the cluster refused the request: {0}")]
    Refused(String),
    /// The client could not be configured.
    #[error("cluster configuration: {0}")]
    Config(String),
}

impl From<kube::Error> for ClusterError {
    fn from(e: kube::Error) -> Self {
        match &e {
            kube::Error::Api(s) if s.code < 500 => ClusterError::Refused(s.message.clone()),
            _ if timed_out(&e) => ClusterError::Timeout(e.to_string()),
            _ => ClusterError::Unreachable(e.to_string()),
        }
    }
}

/// Whether a client error was a timeout (an I/O `TimedOut` or an elapsed timer anywhere in
/// its causes).
fn timed_out(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
            || c.downcast_ref::<tokio::time::error::Elapsed>().is_some()
            || c.downcast_ref::<tower::timeout::error::Elapsed>().is_some()
        {
            return true;
        }
        cause = c.source();
    }
    false
}

/// The longest a request a person waits on may take to be answered; watches, log follows and
/// exec/attach streams use a client without this deadline.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// A client bound to the game-servers namespace.
#[derive(Clone)]
pub struct Kube {
    /// For requests with an answer: each bounded by [`REQUEST_TIMEOUT`].
    client: Client,
    /// For streams (watches, log follows, exec and attach), which may rightly stay quiet.
    streams: Client,
    namespace: String,
}

impl std::fmt::Debug for Kube {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kube")
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}
impl Kube {
    /// A client for the API server at `url` (no TLS, no auth: fakekube).
    pub fn for_url(url: &str, namespace: &str) -> Result<Kube, ClusterError> {
        let uri = url
            .parse()
            .map_err(|e| ClusterError::Config(format!("{url}: {e}")))?;
        Self::with_config(Config::new(uri), namespace)
    }

    /// A client for the API server at `url` that trusts the CA certificate `ca_der` and sends
    /// `token` as its bearer token (the sandbox's fakekube, which refuses requests without it).
    pub fn for_url_with_token(
        url: &str,
        namespace: &str,
        token: &str,
        ca_der: Option<Vec<u8>>,
    ) -> Result<Kube, ClusterError> {
        let uri = url
            .parse()
            .map_err(|e| ClusterError::Config(format!("{url}: {e}")))?;
        let mut config = Config::new(uri);
        config.auth_info.token = Some(token.to_owned().into());
        config.root_cert = ca_der.map(|c| vec![c]);
        Self::with_config(config, namespace)
    }

    /// A client from a ready configuration (a test harness's identity, for instance).
    pub fn from_config(config: Config, namespace: &str) -> Result<Kube, ClusterError> {
        Self::with_config(config, namespace)
    }

    /// The client takes no retries of its own: a request fails fast when the cluster is
    /// unreachable, and the reconciler converges later (a user's click never hangs for minutes).
    fn with_config(mut config: Config, namespace: &str) -> Result<Kube, ClusterError> {
        config.default_retry = false;
        config.connect_timeout = Some(std::time::Duration::from_secs(5));
        let streams =
            Client::try_from(config.clone()).map_err(|e| ClusterError::Config(e.to_string()))?;
        // A deadline per request (until its answer's head), not a read timeout on the
        // connection: that one also fires on idle pooled connections and breaks the next
        // request sent on them.
        let client = kube::client::ClientBuilder::try_from(config)
            .map_err(|e| ClusterError::Config(e.to_string()))?
            .with_layer(&tower::timeout::TimeoutLayer::new(REQUEST_TIMEOUT))
            .build();
        Ok(Kube {
            client,
            streams,
            namespace: namespace.into(),
        })
    }

    /// A client from the environment: in-cluster service account, or `KUBECONFIG`/`~/.kube/config`.
    pub async fn infer(namespace: &str) -> Result<Kube, ClusterError> {
        let config = Config::infer()
            .await
            .map_err(|e| ClusterError::Config(e.to_string()))?;
        Self::with_config(config, namespace)
    }

    /// The game-servers namespace.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    fn api<K>(&self) -> Api<K>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
            + Clone
            + serde::de::DeserializeOwned
            + std::fmt::Debug,
    {
        Api::namespaced(self.client.clone(), &self.namespace)
    }

    /// [`Kube::api`] on the client for streams (no request deadline).
    fn stream_api<K>(&self) -> Api<K>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
            + Clone
            + serde::de::DeserializeOwned
            + std::fmt::Debug,
    {
        Api::namespaced(self.streams.clone(), &self.namespace)
    }

    /// Applies a server's objects with server-side apply (creating what is missing, repairing
    /// drift in the fields the panel owns).
    ///
    /// A StatefulSet's claim template cannot change (the API server forbids it). When it must
    /// (its labels name the template, and a stopped server changed type), a StatefulSet asking
    /// for no replica is deleted and made again: the world's claim outlives it (retained) and
    /// the new one adopts it by name. A running server's is refused as before.
    pub async fn apply(&self, m: &Manifests) -> Result<(), ClusterError> {
        let pp = PatchParams::apply(FIELD_MANAGER).force();
        let name = m.statefulset.metadata.name.clone().unwrap_or_default();
        self.api::<Service>()
            .patch(&name, &pp, &Patch::Apply(&m.service))
            .await?;
        let sets = self.api::<StatefulSet>();
        match sets.patch(&name, &pp, &Patch::Apply(&m.statefulset)).await {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(e))
                if e.code == 422
                    && e.message.contains("Forbidden: updates to statefulset spec") =>
            {
                if self.replicas(&name).await? != Some(0) {
                    return Err(kube::Error::Api(e).into());
                }
                tracing::info!(%name, "a stopped server's StatefulSet is made again (its claim template changed)");
                match sets.delete(&name, &DeleteParams::default()).await {
                    Ok(_) => {}
                    Err(kube::Error::Api(s)) if s.code == 404 => {}
                    Err(e) => return Err(e.into()),
                }
                let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
                while self.replicas(&name).await?.is_some() {
                    if tokio::time::Instant::now() > deadline {
                        return Err(ClusterError::Timeout(
                            "the old StatefulSet did not go within 30 s".into(),
                        ));
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                }
                sets.patch(&name, &pp, &Patch::Apply(&m.statefulset))
                    .await?;
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }
}
