//! The panel's Kubernetes client: apply a server's objects (server-side apply, one field
//! manager), delete them, act on its pod, and watch every game pod.

use futures::{Stream, StreamExt};
use k8s_openapi::api::apps::v1::StatefulSet;
pub use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::core::v1::{Event, PersistentVolumeClaim, Service};
use kube::api::{Api, DeleteParams, Patch, PatchParams};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Client, Config};

use crate::builders::{CONTAINER, INIT_CONTAINER, Manifests, data_claim_name, pod_name};
use crate::labels::{MANAGED_SELECTOR, SERVER_ID};

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

/// One observation of the watch.
#[derive(Debug, Clone)]
pub enum PodEvent {
    /// A game pod exists as this.
    Seen(Box<Pod>),
    /// A game pod went away.
    Gone(Box<Pod>),
    /// A (re)list begins: every pod present follows as `Seen`, then `Synced`; a pod known
    /// before and not listed again is gone (deleted while the watch was down).
    Relisting,
    /// The watch (re)listed: every pod present was sent as `Seen` before this.
    Synced,
    /// The watch failed and restarts (with back-off); the reason.
    Failed(String),
}

/// A StatefulSet's report that it could not create its pod (a `FailedCreate` event: a
/// ResourceQuota, a LimitRange, an admission webhook or policy refused it). Nothing else says
/// so: the pod never exists, and the server would read "starting" for ever.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRefused {
    /// The StatefulSet's name (the server's object name).
    pub object_name: String,
    /// The cluster's words.
    pub message: String,
}

impl PodEvent {
    /// The server id label of the event's pod.
    pub fn server_id(pod: &Pod) -> Option<uuid::Uuid> {
        pod.metadata.labels.as_ref()?.get(SERVER_ID)?.parse().ok()
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
    pub async fn apply(&self, m: &Manifests) -> Result<(), ClusterError> {
        let pp = PatchParams::apply(FIELD_MANAGER).force();
        let name = m.statefulset.metadata.name.clone().unwrap_or_default();
        self.api::<Service>()
            .patch(&name, &pp, &Patch::Apply(&m.service))
            .await?;
        self.api::<StatefulSet>()
            .patch(&name, &pp, &Patch::Apply(&m.statefulset))
            .await?;
        Ok(())
    }

    /// The server's pod, if it exists.
    pub async fn pod(&self, object_name: &str) -> Result<Option<Pod>, ClusterError> {
        Ok(self.api::<Pod>().get_opt(&pod_name(object_name)).await?)
    }

    /// Deletes the server's pod (the StatefulSet makes a new one): gracefully, or with
    /// `grace = Some(KILL_GRACE_SECS)` (kill). Never 0: that removes the object at once while
    /// the process may still run, and the next pod could then share the world's volume.
    pub async fn delete_pod(
        &self,
        object_name: &str,
        grace: Option<u32>,
    ) -> Result<bool, ClusterError> {
        let dp = DeleteParams {
            grace_period_seconds: grace,
            ..Default::default()
        };
        match self.api::<Pod>().delete(&pod_name(object_name), &dp).await {
            Ok(_) => Ok(true),
            Err(kube::Error::Api(s)) if s.code == 404 => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes everything of a server; its world (the PVC) too unless `keep_world`.
    pub async fn delete_server(
        &self,
        object_name: &str,
        keep_world: bool,
    ) -> Result<(), ClusterError> {
        let dp = DeleteParams::default();
        let gone_ok = |r: Result<(), kube::Error>| match r {
            Err(kube::Error::Api(s)) if s.code == 404 => Ok(()),
            other => other,
        };
        gone_ok(
            self.api::<StatefulSet>()
                .delete(object_name, &dp)
                .await
                .map(|_| ()),
        )?;
        gone_ok(
            self.api::<Service>()
                .delete(object_name, &dp)
                .await
                .map(|_| ()),
        )?;
        if !keep_world {
            gone_ok(
                self.api::<PersistentVolumeClaim>()
                    .delete(&data_claim_name(object_name), &dp)
                    .await
                    .map(|_| ()),
            )?;
        }
        Ok(())
    }

    /// Grows the server's world (its PVC) to `gib` if it is smaller (the storage class must
    /// allow volume expansion). Returns whether it changed; false also when there is no claim
    /// yet (it will be made from the claim template, and grown on the next apply).
    pub async fn grow_world(&self, object_name: &str, gib: u32) -> Result<bool, ClusterError> {
        let api = self.api::<PersistentVolumeClaim>();
        let name = data_claim_name(object_name);
        let Some(pvc) = api.get_opt(&name).await? else {
            return Ok(false);
        };
        let current = pvc
            .spec
            .and_then(|s| s.resources)
            .and_then(|r| r.requests)
            .and_then(|r| r.get("storage").map(|q| q.0.clone()))
            .and_then(|q| memory_mib(&q))
            .unwrap_or(0);
        if current >= u64::from(gib) * 1024 {
            return Ok(false);
        }
        let patch = serde_json::json!({"spec": {"resources": {"requests": {"storage": format!("{gib}Gi")}}}});
        api.patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
            .await?;
        Ok(true)
    }

    /// Whether the server's world (PVC) exists.
    pub async fn world_exists(&self, object_name: &str) -> Result<bool, ClusterError> {
        Ok(self
            .api::<PersistentVolumeClaim>()
            .get_opt(&data_claim_name(object_name))
            .await?
            .is_some())
    }

    /// The StatefulSets the panel manages, as `(name, server id)`.
    pub async fn managed_statefulsets(
        &self,
    ) -> Result<Vec<(String, Option<uuid::Uuid>)>, ClusterError> {
        let lp = kube::api::ListParams::default().labels(MANAGED_SELECTOR);
        Ok(self
            .api::<StatefulSet>()
            .list(&lp)
            .await?
            .items
            .into_iter()
            .map(|s| {
                let id = s
                    .metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(SERVER_ID))
                    .and_then(|v| v.parse().ok());
                (s.metadata.name.unwrap_or_default(), id)
            })
            .collect())
    }

    /// Takes or renews the Lease `name` for `holder` (valid `secs` seconds). Returns whether
    /// `holder` holds it now. Optimistic concurrency makes two replicas unable to both win.
    pub async fn try_lease(
        &self,
        name: &str,
        holder: &str,
        secs: i32,
    ) -> Result<bool, ClusterError> {
        self.hold_lease(name, holder, secs, &mut None).await
    }

    /// [`Kube::try_lease`], remembering the Lease's version in `known` between calls: the
    /// holder's renewal is then one write, without reading the Lease first (a conflict means
    /// someone else wrote it: then it is read and decided as usual).
    pub async fn hold_lease(
        &self,
        name: &str,
        holder: &str,
        secs: i32,
        known: &mut Option<String>,
    ) -> Result<bool, ClusterError> {
        use k8s_openapi::api::coordination::v1::Lease;
        use k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime;
        let api = self.api::<Lease>();
        let now = k8s_openapi::jiff::Timestamp::now();
        let mine = |rv: Option<String>| -> Lease {
            serde_json::from_value(serde_json::json!({
                "metadata": {"name": name, "resourceVersion": rv},
                "spec": {"holderIdentity": holder, "leaseDurationSeconds": secs,
                         "renewTime": MicroTime(now), "acquireTime": MicroTime(now)},
            }))
            .expect("lease")
        };
        if let Some(rv) = known.take() {
            match api
                .replace(name, &Default::default(), &mine(Some(rv)))
                .await
            {
                Ok(l) => {
                    *known = l.metadata.resource_version;
                    return Ok(true);
                }
                Err(kube::Error::Api(s)) if s.code == 409 || s.code == 404 => {}
                Err(e) => return Err(e.into()),
            }
        }
        match api.get_opt(name).await? {
            None => match api.create(&Default::default(), &mine(None)).await {
                Ok(l) => {
                    *known = l.metadata.resource_version;
                    Ok(true)
                }
                Err(kube::Error::Api(s)) if s.code == 409 => Ok(false),
                Err(e) => Err(e.into()),
            },
            Some(lease) => {
                let spec = lease.spec.clone().unwrap_or_default();
                let held_by_me = spec.holder_identity.as_deref() == Some(holder);
                let expired = match (spec.renew_time, spec.lease_duration_seconds) {
                    (Some(MicroTime(t)), Some(d)) => now.as_second() > t.as_second() + i64::from(d),
                    _ => true,
                };
                if !held_by_me && !expired {
                    return Ok(false);
                }
                match api
                    .replace(
                        name,
                        &Default::default(),
                        &mine(lease.metadata.resource_version),
                    )
                    .await
                {
                    Ok(l) => {
                        *known = l.metadata.resource_version;
                        Ok(true)
                    }
                    Err(kube::Error::Api(s)) if s.code == 409 => Ok(false),
                    Err(e) => Err(e.into()),
                }
            }
        }
    }

    /// Follows (or reads, when `follow` is false) the game container's log with timestamps:
    /// the previous run's with `previous`, the last `tail` lines, or from `since` (RFC 3339).
    pub async fn log_lines(
        &self,
        pod: &str,
        follow: bool,
        previous: bool,
        tail: Option<i64>,
        since: Option<&str>,
    ) -> Result<impl futures::AsyncBufRead + Send + Unpin + 'static, ClusterError> {
        self.container_log(pod, CONTAINER, follow, previous, tail, since)
            .await
    }

    /// Follows the init container's log (the installation), from its start.
    pub async fn install_log(
        &self,
        pod: &str,
    ) -> Result<impl futures::AsyncBufRead + Send + Unpin + 'static, ClusterError> {
        self.container_log(pod, INIT_CONTAINER, true, false, None, None)
            .await
    }

    async fn container_log(
        &self,
        pod: &str,
        container: &str,
        follow: bool,
        previous: bool,
        tail: Option<i64>,
        since: Option<&str>,
    ) -> Result<impl futures::AsyncBufRead + Send + Unpin + 'static, ClusterError> {
        let lp = kube::api::LogParams {
            container: Some(container.into()),
            follow,
            previous,
            tail_lines: tail,
            timestamps: true,
            since_time: since.and_then(|s| s.parse().ok()),
            ..Default::default()
        };
        Ok(Box::pin(
            self.stream_api::<Pod>().log_stream(pod, &lp).await?,
        ))
    }

    /// Writes `text` to the game container's stdin (attach).
    pub async fn write_stdin(&self, pod: &str, text: &str) -> Result<(), ClusterError> {
        use tokio::io::AsyncWriteExt;
        let ap = kube::api::AttachParams::default()
            .container(CONTAINER)
            .stdin(true)
            .stdout(false)
            .stderr(false);
        let mut attached = self.stream_api::<Pod>().attach(pod, &ap).await?;
        let mut stdin = attached
            .stdin()
            .ok_or_else(|| ClusterError::Refused("the container takes no input".into()))?;
        stdin
            .write_all(text.as_bytes())
            .await
            .map_err(|e| ClusterError::Unreachable(e.to_string()))?;
        stdin
            .flush()
            .await
            .map_err(|e| ClusterError::Unreachable(e.to_string()))?;
        drop(stdin);
        // Closing our stdin ends the attach; the container's stdin stays open.
        attached
            .join()
            .await
            .map_err(|e| ClusterError::Unreachable(e.to_string()))
    }

    /// Runs `argv` in the game container (no shell) and returns what it printed (stdout then
    /// stderr) and whether it exited 0. At most `limit` bytes of output are kept.
    pub async fn exec_capture(
        &self,
        pod: &str,
        argv: &[String],
        limit: usize,
    ) -> Result<(String, bool), ClusterError> {
        use tokio::io::AsyncReadExt;
        let ap = kube::api::AttachParams::default()
            .container(CONTAINER)
            .stdin(false)
            .stdout(true)
            .stderr(true);
        let mut p = self
            .stream_api::<Pod>()
            .exec(pod, argv.to_vec(), &ap)
            .await?;
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = p.take_status();
        let (Some(o), Some(e)) = (p.stdout(), p.stderr()) else {
            return Err(ClusterError::Refused("exec gave no output streams".into()));
        };
        let io = |e: std::io::Error| ClusterError::Unreachable(e.to_string());
        let cap = limit as u64;
        let (mut o, mut e) = (o.take(cap), e.take(cap));
        let (r1, r2) = tokio::join!(o.read_to_end(&mut out), e.read_to_end(&mut err));
        r1.map_err(io)?;
        r2.map_err(io)?;
        let ok = match status {
            Some(s) => s
                .await
                .is_none_or(|s| s.status.as_deref() == Some("Success")),
            None => true,
        };
        p.abort();
        out.extend_from_slice(&err);
        Ok((String::from_utf8_lossy(&out).into_owned(), ok))
    }

    /// Runs `argv` in the game container (no shell) and returns its output and exit code. At
    /// most `limit` bytes of stdout are kept (the rest is read and dropped), and 64 KiB of
    /// stderr.
    pub async fn exec_output(
        &self,
        pod: &str,
        argv: &[String],
        limit: usize,
    ) -> Result<ExecOutput, ClusterError> {
        let p = self.exec_stream(pod, argv, false).await?;
        p.collect(limit).await
    }

    /// Runs `argv` in the game container and copies `input` to its stdin, and returns its
    /// output and exit code with how the copy went: the bytes sent, or the input's error.
    ///
    /// The command must print `ready` (a line of its own, first on stdout, removed from the
    /// output) when it starts reading: nothing is sent before, so a command that refuses at
    /// once (a bad path...) ends with its own exit code, never racing our input against its
    /// end (sending to a finished exec can drop its status), and a large input is never
    /// pushed at a command that is gone. Stdin is closed at the end of the input (or its first
    /// error); when the command ends before that, the copy stops there and its exit code says
    /// why.
    pub async fn exec_feed(
        &self,
        pod: &str,
        argv: &[String],
        input: &mut (dyn tokio::io::AsyncRead + Unpin + Send),
        limit: usize,
    ) -> Result<(ExecOutput, Result<u64, std::io::Error>), ClusterError> {
        use std::sync::atomic::Ordering::Relaxed;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut p = self.exec_stream(pod, argv, true).await?;
        let mut stdin = p.stdin.take();
        let (out, err) = (p.stdout.take(), p.stderr.take());
        let sent = std::sync::atomic::AtomicU64::new(0);
        let feed = async {
            let mut buf = vec![0u8; 64 * 1024];
            let result = loop {
                let n = match input.read(&mut buf).await {
                    Ok(0) => break Ok(sent.load(Relaxed)),
                    Ok(n) => n,
                    Err(e) => break Err(e),
                };
                let Some(w) = stdin.as_mut() else {
                    break Ok(sent.load(Relaxed));
                };
                if w.write_all(&buf[..n]).await.is_err() {
                    break Ok(sent.load(Relaxed));
                }
                sent.fetch_add(n as u64, Relaxed);
            };
            if let Some(mut w) = stdin.take() {
                let _ = w.shutdown().await;
            }
            result
        };
        let stdout = async {
            let Some(mut out) = out else {
                return (Ok(0), Ok(Vec::new()));
            };
            let (ready, head) = match read_marker(&mut out, READY).await {
                Ok(v) => v,
                Err(e) => return (Ok(0), Err(e)),
            };
            if !ready {
                // it ended (or printed something else) without reading: send nothing
                let rest = read_capped(Some(out), limit).await;
                return (Ok(0), rest.map(|r| [head, r].concat()));
            }
            let rest = read_capped(Some(out), limit);
            tokio::pin!(feed, rest);
            tokio::select! {
                biased;
                fed = &mut feed => (fed, rest.await),
                // the output ended first: the command is done, whatever is left unsent
                r = &mut rest => (Ok(sent.load(Relaxed)), r),
            }
        };
        let ((fed, out), err) = tokio::join!(stdout, read_capped(err, 64 * 1024));
        let io = |e: std::io::Error| ClusterError::Unreachable(e.to_string());
        let (stdout, stderr) = (out.map_err(io)?, err.map_err(io)?);
        let code = p.finish().await;
        drop(stdin);
        let output = ExecOutput {
            stdout,
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            code,
        };
        Ok((output, fed))
    }

    /// Starts `argv` in the game container (no shell) with its streams for the caller to drive;
    /// [`ExecStream::finish`] gives the exit code.
    pub async fn exec_stream(
        &self,
        pod: &str,
        argv: &[String],
        stdin: bool,
    ) -> Result<ExecStream, ClusterError> {
        let ap = kube::api::AttachParams::default()
            .container(CONTAINER)
            .stdin(stdin)
            .stdout(true)
            .stderr(true);
        let mut p = self
            .stream_api::<Pod>()
            .exec(pod, argv.to_vec(), &ap)
            .await?;
        Ok(ExecStream {
            stdin: p.stdin().map(|w| Box::pin(w) as _),
            stdout: p.stdout().map(|r| Box::pin(r) as _),
            stderr: p.stderr().map(|r| Box::pin(r) as _),
            status: p.take_status().map(|s| Box::pin(s) as _),
            process: p,
        })
    }

    /// The pod's CPU (millicores) and memory (MiB) in use, from the metrics API
    /// (`metrics.k8s.io`, served by metrics-server); None when the cluster has no metrics for it.
    pub async fn pod_usage(&self, pod: &str) -> Result<Option<(u64, u64)>, ClusterError> {
        let url = format!(
            "/apis/metrics.k8s.io/v1beta1/namespaces/{}/pods/{pod}",
            self.namespace
        );
        let req = http::Request::get(url)
            .body(Vec::new())
            .map_err(|e| ClusterError::Config(e.to_string()))?;
        match self.client.request::<serde_json::Value>(req).await {
            Ok(v) => {
                let (mut cpu, mut mem) = (0, 0);
                for c in v["containers"].as_array().into_iter().flatten() {
                    cpu += cpu_millis(c["usage"]["cpu"].as_str().unwrap_or("0")).unwrap_or(0);
                    mem += memory_mib(c["usage"]["memory"].as_str().unwrap_or("0")).unwrap_or(0);
                }
                Ok(Some((cpu, mem)))
            }
            Err(kube::Error::Api(s)) if s.code == 404 || s.code == 503 => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// One watch over the namespace's `FailedCreate` events of StatefulSets, restarted with
    /// back-off when it fails.
    pub fn watch_refusals(&self) -> impl Stream<Item = PodRefused> + Send + 'static {
        let cfg = watcher::Config::default()
            .fields("reason=FailedCreate,involvedObject.kind=StatefulSet");
        watcher(self.stream_api::<Event>(), cfg)
            .default_backoff()
            .applied_objects()
            .filter_map(|ev| async move {
                match ev {
                    Ok(e) => Some(PodRefused {
                        object_name: e.involved_object.name?,
                        message: e.message.unwrap_or_default(),
                    }),
                    Err(e) => {
                        tracing::warn!(error = %e, "event watch failed; retrying");
                        None
                    }
                }
            })
    }

    /// One watch over every game pod (by label), restarted with back-off when it fails.
    pub fn watch_pods(&self) -> impl Stream<Item = PodEvent> + Send + 'static {
        let cfg = watcher::Config::default().labels(MANAGED_SELECTOR);
        watcher(self.stream_api::<Pod>(), cfg)
            .default_backoff()
            .filter_map(|ev| async move {
                match ev {
                    Ok(watcher::Event::Apply(p) | watcher::Event::InitApply(p)) => {
                        Some(PodEvent::Seen(Box::new(p)))
                    }
                    Ok(watcher::Event::Delete(p)) => Some(PodEvent::Gone(Box::new(p))),
                    Ok(watcher::Event::InitDone) => Some(PodEvent::Synced),
                    Ok(watcher::Event::Init) => Some(PodEvent::Relisting),
                    Err(e) => {
                        tracing::warn!(error = %e, "pod watch failed; retrying");
                        Some(PodEvent::Failed(e.to_string()))
                    }
                }
            })
    }
}

/// What a command run in a container gave back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOutput {
    /// Its standard output (capped).
    pub stdout: Vec<u8>,
    /// Its standard error (capped, lossily decoded).
    pub stderr: String,
    /// Its exit code (0: success; -1: it ended without one, e.g. killed).
    pub code: i32,
}

type BoxRead = std::pin::Pin<Box<dyn tokio::io::AsyncRead + Send>>;
type BoxWrite = std::pin::Pin<Box<dyn tokio::io::AsyncWrite + Send>>;
type BoxStatus = std::pin::Pin<Box<dyn std::future::Future<Output = Option<ExecStatus>> + Send>>;

/// A command running in a container, with its streams (each may be taken once).
pub struct ExecStream {
    /// Its standard input, when asked for.
    pub stdin: Option<BoxWrite>,
    /// Its standard output.
    pub stdout: Option<BoxRead>,
    /// Its standard error.
    pub stderr: Option<BoxRead>,
    status: Option<BoxStatus>,
    process: kube::api::AttachedProcess,
}

impl std::fmt::Debug for ExecStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecStream").finish_non_exhaustive()
    }
}

impl ExecStream {
    /// Waits for the command to end (read its output first) and returns its exit code.
    pub async fn finish(mut self) -> i32 {
        let code = match self.status.take() {
            Some(s) => exit_code(s.await.as_ref()),
            None => -1,
        };
        self.process.abort();
        code
    }

    /// Stops the command (the connection closes; the container kills it).
    pub fn abort(self) {
        self.process.abort();
    }

    /// Reads its output to the end (at most `limit` bytes of stdout kept, 64 KiB of stderr)
    /// and waits for its exit code.
    pub async fn collect(mut self, limit: usize) -> Result<ExecOutput, ClusterError> {
        let (out, err) = (self.stdout.take(), self.stderr.take());
        let (out, err) = tokio::join!(read_capped(out, limit), read_capped(err, 64 * 1024));
        let io = |e: std::io::Error| ClusterError::Unreachable(e.to_string());
        let (stdout, stderr) = (out.map_err(io)?, err.map_err(io)?);
        let code = self.finish().await;
        Ok(ExecOutput {
            stdout,
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            code,
        })
    }
}

/// The status an exec reports when its command ends.
pub type ExecStatus = k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;

/// The exit code an exec status reports (`Success` is 0; `NonZeroExitCode` carries it).
pub fn exit_code(status: Option<&ExecStatus>) -> i32 {
    let Some(s) = status else { return -1 };
    if s.status.as_deref() == Some("Success") {
        return 0;
    }
    s.details
        .as_ref()
        .and_then(|d| d.causes.as_ref())
        .and_then(|c| c.iter().find(|c| c.reason.as_deref() == Some("ExitCode")))
        .and_then(|c| c.message.as_deref())
        .and_then(|m| m.parse().ok())
        .unwrap_or(-1)
}

/// The line a command fed by [`Kube::exec_feed`] prints when it starts reading.
pub const READY: &[u8] = b"ready\n";

/// Reads `src` until it has shown whether it starts with `marker`: returns that, and the
/// bytes read past the marker (or all of them, when it is not there).
async fn read_marker(src: &mut BoxRead, marker: &[u8]) -> Result<(bool, Vec<u8>), std::io::Error> {
    use tokio::io::AsyncReadExt;
    let mut head = Vec::new();
    let mut buf = [0u8; 256];
    while head.len() < marker.len() {
        let n = src.read(&mut buf).await?;
        if n == 0 {
            return Ok((false, head));
        }
        head.extend_from_slice(&buf[..n]);
        let k = head.len().min(marker.len());
        if head[..k] != marker[..k] {
            return Ok((false, head));
        }
    }
    Ok((true, head.split_off(marker.len())))
}

async fn read_capped(src: Option<BoxRead>, limit: usize) -> Result<Vec<u8>, std::io::Error> {
    use tokio::io::AsyncReadExt;
    let Some(mut src) = src else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        let n = src.read(&mut buf).await?;
        if n == 0 {
            return Ok(out);
        }
        let room = limit.saturating_sub(out.len());
        out.extend_from_slice(&buf[..n.min(room)]);
    }
}

/// A CPU quantity (`250m`, `1`, `12345n`, `7u`) in millicores.
pub fn cpu_millis(q: &str) -> Option<u64> {
    let (num, scale) = match q.char_indices().last()? {
        (i, 'n') => (&q[..i], 1e-6),
        (i, 'u') => (&q[..i], 1e-3),
        (i, 'm') => (&q[..i], 1.0),
        _ => (q, 1000.0),
    };
    Some((num.parse::<f64>().ok()? * scale).round() as u64)
}

/// A memory quantity (`51200Ki`, `512Mi`, `1Gi`, `1000000`, `1M`) in MiB.
pub fn memory_mib(q: &str) -> Option<u64> {
    let units: [(&str, f64); 8] = [
        ("Ki", 1024.0),
        ("Mi", 1024.0 * 1024.0),
        ("Gi", 1024.0 * 1024.0 * 1024.0),
        ("Ti", 1024.0 * 1024.0 * 1024.0 * 1024.0),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
    ];
    let (num, scale) = units
        .iter()
        .find_map(|(u, s)| q.strip_suffix(u).map(|n| (n, *s)))
        .unwrap_or((q, 1.0));
    Some((num.parse::<f64>().ok()? * scale / (1024.0 * 1024.0)).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(cpu_millis("250m"), Some(250));
        assert_eq!(cpu_millis("2"), Some(2000));
        assert_eq!(cpu_millis("12345678n"), Some(12));
        assert_eq!(cpu_millis("1500u"), Some(2));
        assert_eq!(cpu_millis("x"), None);
        assert_eq!(memory_mib("51200Ki"), Some(50));
        assert_eq!(memory_mib("2Gi"), Some(2048));
        assert_eq!(memory_mib("1048576"), Some(1));
        assert_eq!(memory_mib("100M"), Some(95));
    }
}
