//! Conformance of fakekube, driven only through `kube::Client`, and held to the same tests as
//! the real thing: every test runs twice, `fake` against fakekube and `real` against a real
//! control plane (`realkube`: etcd, kube-apiserver, kube-controller-manager and kube-scheduler
//! built from the Kubernetes modules), or against the cluster of `PANEL_TEST_KUBECONFIG` (k3d,
//! kind...). A `real` variant may skip only when it is on `realkube::report::FAKE_ONLY`.

use std::time::Duration;

use futures::{AsyncBufReadExt, StreamExt, TryStreamExt};
use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, PersistentVolumeClaim, Pod};
use kube::api::{
    Api, DeleteParams, ListParams, LogParams, Patch, PatchParams, PostParams, WatchEvent,
    WatchParams,
};
use kube::{Client, Error};
use serde_json::json;

const SUITE: &str = "fakekube conformance";

/// Runs the test function `$name(env)` as `$name::fake` and `$name::real`.
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn fake() {
                super::$name(super::Env::fake().await).await
            }
            #[tokio::test]
            async fn real() {
                if let Some(env) = super::Env::real(stringify!($name)).await {
                    super::$name(env).await;
                    realkube::report::ran(super::SUITE, stringify!($name));
                }
            }
        }
    };
}

/// Like [`both!`] for tests that only run on fakekube (on `FAKE_ONLY`, with the reason).
macro_rules! fake_only {
    ($name:ident) => {
        mod $name {
            #[tokio::test]
            async fn fake() {
                super::$name(super::Env::fake().await).await
            }
            #[tokio::test]
            async fn real() {
                realkube::report::fake_only(super::SUITE, stringify!($name));
            }
        }
    };
}

/// A cluster to test against, with a fresh namespace.
struct Env {
    client: Client,
    /// A real cluster's client configuration (the namespace is deleted after the test).
    config: Option<kube::Config>,
    ns: String,
    fake: Option<fakekube::FakeKube>,
    /// Whether pods run mcsim (fakekube and realkube's node agent; not a cluster of
    /// `PANEL_TEST_KUBECONFIG`, which pulls the real image).
    mcsim: bool,
    /// kubectl's arguments to reach this cluster (`--server` or `--kubeconfig`).
    kubectl_target: Vec<String>,
    /// The node address where Services' node ports are served (fakekube's proxy).
    node: Option<std::net::IpAddr>,
    /// The pod and service ranges of a control plane whose pods have namespaces of their own
    /// and whose cluster IPs are answered (realkube as root).
    networks: Option<(fakekube::cidr::Cidr, fakekube::cidr::Cidr)>,
    _root: Option<TempDir>,
}

/// The bearer token of the fakekube a test starts (the real cluster's identities are
/// certificates).
const FAKE_TOKEN: &str = "conformance-token-0123456789";

/// A client configuration for the fakekube a test started: its CA and its token.
fn fake_config(fk: &fakekube::FakeKube) -> kube::Config {
    let mut config = kube::Config::new(fk.url.parse().unwrap());
    config.auth_info.token = Some(FAKE_TOKEN.to_string().into());
    config.root_cert = fk.ca_der.clone().map(|c| vec![c]);
    config
}

struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Env {
    /// fakekube, started for this test.
    async fn fake() -> Env {
        let root = std::env::temp_dir().join(format!("fakekube-test-{}", uuid::Uuid::new_v4()));
        let node = fakekube::proxy::spare_node_address();
        let fk = fakekube::FakeKube::start(fakekube::Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            root: root.clone(),
            mcsim: env!("CARGO_BIN_EXE_mcsim").into(),
            persist: false,
            namespaces: vec![],
            token: Some(FAKE_TOKEN.into()),
            tls: true,
            node_address: Some(node),
        })
        .await
        .unwrap();
        let client = Client::try_from(fake_config(&fk)).unwrap();
        let ca_file = root.join("ca.crt");
        std::fs::write(&ca_file, fk.ca_pem.as_ref().unwrap()).unwrap();
        let ns = Self::make_namespace(&client).await;
        Env {
            client,
            config: None,
            ns,
            kubectl_target: vec![
                "--server".into(),
                fk.url.clone(),
                "--token".into(),
                FAKE_TOKEN.into(),
                "--certificate-authority".into(),
                ca_file.display().to_string(),
            ],
            fake: Some(fk),
            mcsim: true,
            node: Some(node),
            networks: None,
            _root: Some(TempDir(root)),
        }
    }

    /// The real control plane (or `PANEL_TEST_KUBECONFIG`'s cluster); None when neither is
    /// configured and it is not required.
    async fn real(test: &str) -> Option<Env> {
        if let Ok(path) = std::env::var("PANEL_TEST_KUBECONFIG") {
            let kc = kube::config::Kubeconfig::read_from(&path).expect("kubeconfig");
            let cfg = kube::Config::from_custom_kubeconfig(kc, &Default::default())
                .await
                .expect("config");
            let client = Client::try_from(cfg.clone()).expect("client");
            let ns = Self::make_namespace(&client).await;
            return Some(Env {
                client,
                config: Some(cfg),
                ns,
                fake: None,
                mcsim: false,
                kubectl_target: vec!["--kubeconfig".into(), path],
                node: None,
                networks: None,
                _root: None,
            });
        }
        let cp = realkube::for_test(SUITE, test)?;
        let ns = cp.namespace("conf").await.expect("namespace");
        let config = cp.admin_config().await.expect("config");
        let client = Client::try_from(config.clone()).expect("client");
        Some(Env {
            client,
            config: Some(config),
            ns,
            fake: None,
            mcsim: true,
            kubectl_target: vec![
                "--kubeconfig".into(),
                cp.admin_kubeconfig.display().to_string(),
            ],
            node: Some(cp.node_address),
            networks: cp
                .networks
                .as_ref()
                .map(|n| (n.pods.parse().unwrap(), n.services.parse().unwrap())),
            _root: None,
        })
    }

    async fn make_namespace(client: &Client) -> String {
        let ns = format!("t-{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
        Api::<Namespace>::all(client.clone())
            .create(
                &PostParams::default(),
                &serde_json::from_value(json!({"metadata": {"name": ns}})).unwrap(),
            )
            .await
            .unwrap();
        ns
    }

    fn api<K>(&self) -> Api<K>
    where
        K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope, DynamicType = ()>
            + Clone
            + serde::de::DeserializeOwned
            + std::fmt::Debug,
    {
        Api::namespaced(self.client.clone(), &self.ns)
    }

    fn faults(&self) -> Option<&fakekube::Faults> {
        self.fake.as_ref().map(|f| &f.cluster.faults)
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(config) = self.config.take() {
            // best effort on a real cluster, with a client of the thread's own runtime (this
            // test's runtime is blocked here, so its client could never answer)
            let ns = self.ns.clone();
            let _ = std::thread::spawn(move || {
                tokio::runtime::Runtime::new()
                    .unwrap()
                    .block_on(async move {
                        if let Ok(client) = Client::try_from(config) {
                            let _ = Api::<Namespace>::all(client)
                                .delete(&ns, &DeleteParams::default())
                                .await;
                        }
                    })
            })
            .join();
        }
    }
}

both!(discovery_and_version);
both!(service_names_are_dns_1035_labels);
both!(dry_run_stores_nothing);
both!(a_watch_can_start_with_the_current_objects);
both!(a_pod_deleted_with_grace_zero_is_gone_at_once);
both!(crud_conflicts_and_refusals);
both!(a_body_in_an_unknown_format_is_refused_and_stores_nothing);
both!(server_side_apply_creates_updates_and_drops_fields);
both!(watch_streams_changes_in_order_and_resumes);
both!(deleting_a_namespace_deletes_its_objects);
both!(exec_refuses_missing_pods_and_containers);
both!(claims_grow_only_on_a_class_that_allows_it);
both!(statefulset_runs_a_pod_with_its_volume_and_scales_back_to_zero);
both!(logs_follow_tail_and_previous_after_a_crash);
both!(exec_runs_commands_in_the_container_view);
both!(attach_sends_console_input_to_the_server);
both!(kubectl_sees_the_pod_come_up_and_can_exec);
both!(each_pod_has_its_own_address_and_answers_the_ping_there);
both!(node_ports_and_load_balancers_reach_a_ready_pod);
fake_only!(faults_can_be_injected);

async fn service_names_are_dns_1035_labels(env: Env) {
    use k8s_openapi::api::core::v1::Service;
    let api: Api<Service> = env.api();
    let svc = |name: &str| -> Service {
        serde_json::from_value(json!({"metadata": {"name": name},
            "spec": {"ports": [{"port": 25565}]}}))
        .unwrap()
    };
    // a Service name must start with a letter (a StatefulSet's may not need to)
    let err = api
        .create(&PostParams::default(), &svc("2fort"))
        .await
        .unwrap_err();
    assert_eq!(api_code(&err), Some(422), "{err}");
    assert!(err.to_string().contains("DNS-1035"), "{err}");
    api.create(&PostParams::default(), &svc("fort2"))
        .await
        .unwrap();
    // and server-side apply is held to the same rule
    let err = api
        .patch(
            "9lives",
            &PatchParams::apply("panel-test"),
            &Patch::Apply(json!({"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "9lives"}, "spec": {"ports": [{"port": 25565}]}})),
        )
        .await
        .unwrap_err();
    assert_eq!(api_code(&err), Some(422), "{err}");
}

/// The "watch list" of client-go's informers (on by default since 1.34, as in mc-router): a
/// watch with `sendInitialEvents=true` sends every current object as ADDED, then a bookmark
/// annotated `k8s.io/initial-events-end`, then the changes; without `NotOlderThan` and
/// bookmarks it is refused.
async fn a_watch_can_start_with_the_current_objects(env: Env) {
    use kube::runtime::watcher;
    let api: Api<ConfigMap> = env.api();
    for name in ["first", "second"] {
        api.create(&PostParams::default(), &cm(name, json!({"a": "1"})))
            .await
            .unwrap();
    }
    let mut events =
        watcher::watcher(api.clone(), watcher::Config::default().streaming_lists()).boxed();
    let mut seen = Vec::new();
    loop {
        let ev = tokio::time::timeout(Duration::from_secs(20), events.next())
            .await
            .expect("the initial events end")
            .unwrap()
            .unwrap();
        match ev {
            watcher::Event::InitApply(o) => seen.push(o.metadata.name.unwrap()),
            watcher::Event::InitDone => break,
            _ => {}
        }
    }
    // (a real cluster's controller-manager puts its CA in every namespace)
    seen.retain(|n| n != "kube-root-ca.crt");
    seen.sort();
    assert_eq!(seen, ["first", "second"]);
    // then what changes
    api.create(&PostParams::default(), &cm("third", json!({})))
        .await
        .unwrap();
    let next = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            if let Some(Ok(watcher::Event::Apply(o))) = events.next().await {
                return o.metadata.name.unwrap();
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(next, "third");
    // sendInitialEvents needs resourceVersionMatch=NotOlderThan and bookmarks
    let bad = http::Request::get(format!(
        "/api/v1/namespaces/{}/configmaps?watch=1&sendInitialEvents=true",
        env.ns
    ))
    .body(Vec::new())
    .unwrap();
    let err = env
        .client
        .request::<serde_json::Value>(bad)
        .await
        .unwrap_err();
    assert_eq!(api_code(&err), Some(422), "{err}");
}

async fn dry_run_stores_nothing(env: Env) {
    let api: Api<ConfigMap> = env.api();
    let dry = PostParams {
        dry_run: true,
        ..Default::default()
    };
    let made = api
        .create(&dry, &cm("dry", json!({"a": "1"})))
        .await
        .unwrap();
    assert_eq!(made.metadata.name.as_deref(), Some("dry"));
    assert!(
        api.get_opt("dry").await.unwrap().is_none(),
        "a dry-run create is not stored"
    );
    // an apply that would create, likewise
    let applied = api
        .patch(
            "dry-apply",
            &PatchParams::apply("panel-test").dry_run(),
            &Patch::Apply(json!({"apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {"name": "dry-apply"}, "data": {"x": "1"}})),
        )
        .await
        .unwrap();
    assert_eq!(applied.data.unwrap()["x"], "1");
    assert!(api.get_opt("dry-apply").await.unwrap().is_none());
    // and a dry-run change of an existing object leaves it as it was
    api.create(&PostParams::default(), &cm("kept", json!({"a": "1"})))
        .await
        .unwrap();
    api.patch(
        "kept",
        &PatchParams::default().dry_run(),
        &Patch::Merge(json!({"data": {"a": "2"}})),
    )
    .await
    .unwrap();
    assert_eq!(api.get("kept").await.unwrap().data.unwrap()["a"], "1");
    // a dry run is still checked: a bad name is refused
    let err = api
        .create(&dry, &cm("Bad_Name", json!({})))
        .await
        .unwrap_err();
    assert_eq!(api_code(&err), Some(422));
}

async fn a_pod_deleted_with_grace_zero_is_gone_at_once(env: Env) {
    let pods: Api<Pod> = env.api();
    // bound to a node that runs nothing: only the API decides what a delete does
    let pod: Pod = serde_json::from_value(json!({
        "metadata": {"name": "forced"},
        "spec": {
            "nodeName": "nowhere",
            "securityContext": {"runAsNonRoot": true, "runAsUser": 1000,
                "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": [{"name": "c", "image": "busybox", "command": ["sleep", "3600"],
                "securityContext": {"allowPrivilegeEscalation": false,
                    "capabilities": {"drop": ["ALL"]}}}],
        },
    }))
    .unwrap();
    pods.create(&PostParams::default(), &pod).await.unwrap();
    pods.delete(
        "forced",
        &DeleteParams {
            grace_period_seconds: Some(0),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // grace 0 is a force delete: the object is gone before any kubelet confirmed a stop
    assert!(pods.get_opt("forced").await.unwrap().is_none());
}

fn cm(name: &str, data: serde_json::Value) -> ConfigMap {
    serde_json::from_value(
        json!({"metadata": {"name": name, "labels": {"app": "panel-test"}}, "data": data}),
    )
    .unwrap()
}

fn api_code(e: &Error) -> Option<u16> {
    match e {
        Error::Api(s) => Some(s.code),
        _ => None,
    }
}

/// Polls `f` every 200 ms until it returns Some, or panics after `secs`.
async fn eventually<T, F, Fut>(secs: u64, what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn discovery_and_version(env: Env) {
    let v = env.client.apiserver_version().await.unwrap();
    assert!(!v.git_version.is_empty());
    let d = kube::discovery::Discovery::new(env.client.clone())
        .run()
        .await
        .unwrap();
    for (group, kind) in [
        ("", "Pod"),
        ("", "Namespace"),
        ("apps", "StatefulSet"),
        ("coordination.k8s.io", "Lease"),
        ("", "PersistentVolumeClaim"),
    ] {
        let g = d
            .get(group)
            .unwrap_or_else(|| panic!("group {group:?} discovered"));
        assert!(
            g.recommended_resources()
                .iter()
                .any(|(r, _)| r.kind == kind),
            "{kind} in {group:?}"
        );
    }
}

async fn crud_conflicts_and_refusals(env: Env) {
    let api: Api<ConfigMap> = env.api();
    let pp = PostParams::default();

    // Given a created object
    let created = api
        .create(&pp, &cm("one", json!({"a": "1"})))
        .await
        .unwrap();
    let rv = created.metadata.resource_version.clone().unwrap();
    assert!(created.metadata.uid.is_some());
    assert!(created.metadata.creation_timestamp.is_some());
    // Then creating it again is AlreadyExists
    let err = api.create(&pp, &cm("one", json!({}))).await.unwrap_err();
    assert_eq!(api_code(&err), Some(409));
    // and a bad name is Invalid
    let err = api
        .create(&pp, &cm("Not_A_Name", json!({})))
        .await
        .unwrap_err();
    assert_eq!(api_code(&err), Some(422));
    // and a missing one is NotFound
    assert_eq!(api_code(&api.get("nope").await.unwrap_err()), Some(404));

    // When replaced with the current version, Then the version rises
    let mut next = created.clone();
    next.data = Some([("a".to_string(), "2".to_string())].into());
    let replaced = api.replace("one", &pp, &next).await.unwrap();
    let rv2 = replaced.metadata.resource_version.clone().unwrap();
    assert!(rv2.parse::<u64>().unwrap() > rv.parse::<u64>().unwrap());
    // and a replace with the stale version is a Conflict
    let err = api.replace("one", &pp, &next).await.unwrap_err();
    assert_eq!(api_code(&err), Some(409));

    // Merge patch
    let patched = api
        .patch(
            "one",
            &PatchParams::default(),
            &Patch::Merge(json!({"data": {"b": "3"}})),
        )
        .await
        .unwrap();
    let data = patched.data.unwrap();
    assert_eq!(data["a"], "2");
    assert_eq!(data["b"], "3");

    // List with a label selector
    api.create(
        &pp,
        &serde_json::from_value(json!({"metadata": {"name": "other"}})).unwrap(),
    )
    .await
    .unwrap();
    let listed = api
        .list(&ListParams::default().labels("app=panel-test"))
        .await
        .unwrap();
    let names: Vec<_> = listed
        .items
        .iter()
        .map(|c| c.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(names, vec!["one".to_string()]);
    let all: Vec<_> = api
        .list(&ListParams::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter_map(|c| c.metadata.name)
        // a real controller manager publishes its CA in every namespace
        .filter(|n| n != "kube-root-ca.crt")
        .collect();
    assert_eq!(all, ["one", "other"]);

    // Delete
    api.delete("one", &DeleteParams::default()).await.unwrap();
    assert_eq!(api_code(&api.get("one").await.unwrap_err()), Some(404));
    assert_eq!(
        api_code(
            &api.delete("one", &DeleteParams::default())
                .await
                .unwrap_err()
        ),
        Some(404)
    );
}

async fn a_body_in_an_unknown_format_is_refused_and_stores_nothing(env: Env) {
    let api: Api<ConfigMap> = env.api();
    let path = format!("/api/v1/namespaces/{}/configmaps", env.ns);
    let body = serde_json::to_vec(&cm("odd", json!({"a": "1"}))).unwrap();
    let req = http::Request::post(&path)
        .header("content-type", "application/x-not-kubernetes")
        .body(body)
        .unwrap();
    let err = env.client.request::<ConfigMap>(req).await.unwrap_err();
    assert_eq!(api_code(&err), Some(415), "{err}");
    assert!(err.to_string().contains("unknown format"), "{err}");
    assert_eq!(api_code(&api.get("odd").await.unwrap_err()), Some(404));
}

async fn server_side_apply_creates_updates_and_drops_fields(env: Env) {
    let api: Api<ConfigMap> = env.api();
    let pp = PatchParams::apply("panel-test").force();
    let first = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "applied", "labels": {"a": "1", "b": "2"}}, "data": {"x": "1", "y": "2"}});
    let made = api
        .patch("applied", &pp, &Patch::Apply(&first))
        .await
        .unwrap();
    assert_eq!(made.data.as_ref().unwrap()["y"], "2");
    let managers: Vec<_> = made
        .metadata
        .managed_fields
        .unwrap()
        .into_iter()
        .filter_map(|m| m.manager)
        .collect();
    assert!(managers.contains(&"panel-test".to_string()), "{managers:?}");

    // Another writer's field survives; fields the manager stopped applying go away.
    api.patch(
        "applied",
        &PatchParams::default(),
        &Patch::Merge(json!({"data": {"z": "other"}})),
    )
    .await
    .unwrap();
    let second = json!({"apiVersion": "v1", "kind": "ConfigMap",
        "metadata": {"name": "applied", "labels": {"a": "1"}}, "data": {"x": "10"}});
    let updated = api
        .patch("applied", &pp, &Patch::Apply(&second))
        .await
        .unwrap();
    let data = updated.data.unwrap();
    assert_eq!(data.get("x").map(String::as_str), Some("10"));
    assert_eq!(data.get("y"), None, "dropped by its manager");
    assert_eq!(
        data.get("z").map(String::as_str),
        Some("other"),
        "kept: owned by another writer"
    );
    let labels = updated.metadata.labels.unwrap();
    assert_eq!(labels.get("b"), None);
}

async fn watch_streams_changes_in_order_and_resumes(env: Env) {
    let api: Api<ConfigMap> = env.api();
    let pp = PostParams::default();
    let start = api
        .list(&ListParams::default())
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();
    let mut stream = api
        .watch(&WatchParams::default().timeout(30), &start)
        .await
        .unwrap()
        .boxed();

    api.create(&pp, &cm("w", json!({"n": "0"}))).await.unwrap();
    let after_create = api
        .get("w")
        .await
        .unwrap()
        .metadata
        .resource_version
        .unwrap();
    api.patch(
        "w",
        &PatchParams::default(),
        &Patch::Merge(json!({"data": {"n": "1"}})),
    )
    .await
    .unwrap();
    api.patch(
        "w",
        &PatchParams::default(),
        &Patch::Merge(json!({"data": {"n": "2"}})),
    )
    .await
    .unwrap();
    api.delete("w", &DeleteParams::default()).await.unwrap();

    let mut seen = Vec::new();
    while seen.len() < 4 {
        let ev = tokio::time::timeout(Duration::from_secs(10), stream.try_next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        match ev {
            WatchEvent::Added(c) => seen.push(format!("ADDED {}", c.data.unwrap()["n"])),
            WatchEvent::Modified(c) => seen.push(format!("MODIFIED {}", c.data.unwrap()["n"])),
            WatchEvent::Deleted(_) => seen.push("DELETED".into()),
            WatchEvent::Bookmark(_) => {}
            WatchEvent::Error(e) => panic!("watch error {e:?}"),
        }
    }
    assert_eq!(seen, ["ADDED 0", "MODIFIED 1", "MODIFIED 2", "DELETED"]);

    // Resuming from the version after the create replays what came after it.
    let mut resumed = api
        .watch(&WatchParams::default().timeout(30), &after_create)
        .await
        .unwrap()
        .boxed();
    let mut again = Vec::new();
    while again.len() < 3 {
        match tokio::time::timeout(Duration::from_secs(10), resumed.try_next())
            .await
            .unwrap()
            .unwrap()
            .unwrap()
        {
            WatchEvent::Modified(_) => again.push("MODIFIED"),
            WatchEvent::Deleted(_) => again.push("DELETED"),
            WatchEvent::Bookmark(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(again, ["MODIFIED", "MODIFIED", "DELETED"]);
}

fn minecraft_sts(name: &str, extra_env: serde_json::Value) -> StatefulSet {
    let mut env = vec![
        json!({"name": "EULA", "value": "TRUE"}),
        json!({"name": "MCSIM_START_SECONDS", "value": "0.5"}),
    ];
    env.extend(extra_env.as_array().cloned().unwrap_or_default());
    serde_json::from_value(json!({
        "metadata": {"name": name, "labels": {"app.kubernetes.io/name": "minecraft"}},
        "spec": {
            "replicas": 1, "serviceName": name,
            "selector": {"matchLabels": {"app.kubernetes.io/instance": name}},
            "template": {
                "metadata": {"labels": {"app.kubernetes.io/instance": name}},
                "spec": {
                    "terminationGracePeriodSeconds": 10,
                    // the restricted Pod Security Standard, as the panel's pods meet it
                    "securityContext": {"runAsNonRoot": true, "runAsUser": 1000,
                        "seccompProfile": {"type": "RuntimeDefault"}},
                    "containers": [{
                        "name": "minecraft", "image": "itzg/minecraft-server", "stdin": true, "tty": false,
                        "securityContext": {"allowPrivilegeEscalation": false,
                            "capabilities": {"drop": ["ALL"]}},
                        "env": env,
                        "ports": [{"name": "minecraft", "containerPort": 25565, "protocol": "TCP"}],
                        "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}},
                        "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                        "readinessProbe": {"exec": {"command": ["mc-health"]}, "periodSeconds": 2},
                    }],
                },
            },
            "volumeClaimTemplates": [{"metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}],
        },
    }))
    .unwrap()
}

fn pod_ready(p: &Pod) -> bool {
    p.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|cs| cs.iter().any(|c| c.type_ == "Ready" && c.status == "True"))
}

async fn statefulset_runs_a_pod_with_its_volume_and_scales_back_to_zero(env: Env) {
    let sts_api: Api<StatefulSet> = env.api();
    let pods: Api<Pod> = env.api();
    let pvcs: Api<PersistentVolumeClaim> = env.api();
    sts_api
        .create(&PostParams::default(), &minecraft_sts("mc", json!([])))
        .await
        .unwrap();

    // The pod comes up Running and Ready (the started pattern: mc-health answers).
    let pod = eventually(120, "pod mc-0 ready", || async {
        pods.get_opt("mc-0").await.unwrap().filter(pod_ready)
    })
    .await;
    assert_eq!(
        pod.status.as_ref().unwrap().phase.as_deref(),
        Some("Running")
    );
    let owner = &pod.metadata.owner_references.as_ref().unwrap()[0];
    assert_eq!(owner.kind, "StatefulSet");
    let pvc = pvcs.get("data-mc-0").await.unwrap();
    assert_eq!(pvc.status.unwrap().phase.as_deref(), Some("Bound"));
    let sts = eventually(30, "readyReplicas 1", || async {
        let s = sts_api.get("mc").await.unwrap();
        (s.status.as_ref()?.ready_replicas == Some(1)).then_some(s)
    })
    .await;
    assert_eq!(sts.status.unwrap().replicas, 1);

    // The log shows the server started, and the container saw its resources.
    let log = pods.logs("mc-0", &LogParams::default()).await.unwrap();
    assert!(log.contains("For help, type \"help\""), "{log}");
    if env.fake.is_some() {
        assert!(
            log.contains("Container memory limit 1Gi, CPU limit 500m"),
            "{log}"
        );
    }

    // Scaling to zero stops the pod gracefully and keeps the volume.
    sts_api
        .patch(
            "mc",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"replicas": 0}})),
        )
        .await
        .unwrap();
    eventually(60, "pod mc-0 gone", || async {
        pods.get_opt("mc-0").await.unwrap().is_none().then_some(())
    })
    .await;
    assert!(
        pvcs.get_opt("data-mc-0").await.unwrap().is_some(),
        "the PVC survives"
    );
    eventually(30, "replicas 0", || async {
        let s = sts_api.get("mc").await.unwrap();
        (s.status.as_ref()?.replicas == 0).then_some(())
    })
    .await;
    if let Some(fk) = &env.fake {
        // The world was saved on the way down (SIGTERM reached the server).
        let log = std::fs::read_to_string(
            fk.cluster
                .kubelet
                .runtime()
                .claim_dir(&env.ns, "data-mc-0")
                .join("logs/latest.log"),
        )
        .unwrap();
        assert!(log.contains("All chunks are saved"), "{log}");
    }

    // Deleting the StatefulSet keeps the PVC too.
    sts_api
        .delete("mc", &DeleteParams::default())
        .await
        .unwrap();
    assert!(pvcs.get_opt("data-mc-0").await.unwrap().is_some());
}

async fn logs_follow_tail_and_previous_after_a_crash(env: Env) {
    if !env.mcsim {
        return; // uses mcsim's crash switch
    }
    let sts_api: Api<StatefulSet> = env.api();
    let pods: Api<Pod> = env.api();
    sts_api
        .create(
            &PostParams::default(),
            &minecraft_sts(
                "crashy",
                json!([{"name": "MCSIM_CRASH_AFTER_SECONDS", "value": "2"}]),
            ),
        )
        .await
        .unwrap();
    eventually(60, "pod running", || async {
        pods.get_opt("crashy-0")
            .await
            .unwrap()
            .filter(|p| p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Running"))
    })
    .await;

    // Follow: lines arrive as printed, until the container ends.
    let stream = pods
        .log_stream(
            "crashy-0",
            &LogParams {
                follow: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut lines = stream.lines();
    let mut saw_done = false;
    while let Ok(Some(Ok(line))) = tokio::time::timeout(Duration::from_secs(20), lines.next()).await
    {
        if line.contains("Done (") {
            saw_done = true;
        }
        if line.contains("OutOfMemoryError") {
            break;
        }
    }
    assert!(saw_done, "followed the startup");

    // The container restarts; the previous run's log keeps the crash.
    let pod = eventually(60, "a restart", || async {
        pods.get("crashy-0").await.ok().filter(|p| {
            p.status
                .as_ref()
                .and_then(|s| s.container_statuses.as_ref())
                .is_some_and(|cs| cs[0].restart_count >= 1)
        })
    })
    .await;
    let last = pod.status.unwrap().container_statuses.unwrap()[0]
        .last_state
        .clone()
        .unwrap();
    assert_eq!(last.terminated.unwrap().exit_code, 1);
    let previous = pods
        .logs(
            "crashy-0",
            &LogParams {
                previous: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(previous.contains("OutOfMemoryError"), "{previous}");
    let tail = pods
        .logs(
            "crashy-0",
            &LogParams {
                previous: true,
                tail_lines: Some(2),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(tail.lines().count(), 2, "{tail}");
}

async fn faults_can_be_injected(env: Env) {
    let Some(faults) = env.faults() else { return };
    let api: Api<ConfigMap> = env.api();
    faults.apply(&fakekube::FaultRequest {
        fail_next: Some(1),
        ..Default::default()
    });
    assert_eq!(
        api_code(&api.list(&ListParams::default()).await.unwrap_err()),
        Some(500)
    );
    assert!(
        api.list(&ListParams::default()).await.is_ok(),
        "only the next request failed"
    );

    // 503: kube's client retries it; a client without retries sees it.
    let mut cfg = fake_config(env.fake.as_ref().unwrap());
    cfg.default_retry = false;
    let no_retry: Api<ConfigMap> = Api::namespaced(Client::try_from(cfg).unwrap(), &env.ns);
    faults.apply(&fakekube::FaultRequest {
        unavailable: Some(true),
        ..Default::default()
    });
    assert_eq!(
        api_code(&no_retry.list(&ListParams::default()).await.unwrap_err()),
        Some(503)
    );
    // and the retrying client gets through once the fault clears
    let retried = tokio::spawn({
        let api = api.clone();
        async move { api.list(&ListParams::default()).await }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    faults.apply(&fakekube::FaultRequest {
        unavailable: Some(false),
        ..Default::default()
    });
    assert!(
        tokio::time::timeout(Duration::from_secs(30), retried)
            .await
            .unwrap()
            .unwrap()
            .is_ok()
    );

    let mut stream = api
        .watch(&WatchParams::default().timeout(60), "0")
        .await
        .unwrap()
        .boxed();
    faults.apply(&fakekube::FaultRequest {
        drop_watches: Some(true),
        ..Default::default()
    });
    let end = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(ev) = stream.next().await {
            if ev.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(end.is_ok(), "the watch was dropped");
}

async fn deleting_a_namespace_deletes_its_objects(env: Env) {
    let api: Api<ConfigMap> = env.api();
    api.create(&PostParams::default(), &cm("gone", json!({})))
        .await
        .unwrap();
    let nss: Api<Namespace> = Api::all(env.client.clone());
    nss.delete(&env.ns, &DeleteParams::default()).await.unwrap();
    // a real namespace terminates asynchronously (its controller deletes the contents first)
    eventually(120, "the namespace's objects deleted", || async {
        matches!(api.get_opt("gone").await, Ok(None)).then_some(())
    })
    .await;
    eventually(120, "the namespace gone", || async {
        nss.get_opt(&env.ns).await.unwrap().is_none().then_some(())
    })
    .await;
    let err = api
        .create(&PostParams::default(), &cm("again", json!({})))
        .await
        .unwrap_err();
    assert_eq!(api_code(&err), Some(404), "no namespace, no create");
}

async fn running_minecraft(env: &Env, name: &str) -> Api<Pod> {
    let sts_api: Api<StatefulSet> = env.api();
    let pods: Api<Pod> = env.api();
    sts_api
        .create(&PostParams::default(), &minecraft_sts(name, json!([])))
        .await
        .unwrap();
    let pod = format!("{name}-0");
    eventually(120, "pod ready", || async {
        pods.get_opt(&pod).await.unwrap().filter(pod_ready)
    })
    .await;
    pods
}

async fn read_all(r: Option<impl tokio::io::AsyncRead + Unpin>) -> String {
    use tokio::io::AsyncReadExt;
    let mut s = String::new();
    if let Some(mut r) = r {
        r.read_to_string(&mut s).await.unwrap();
    }
    s
}

async fn exec_runs_commands_in_the_container_view(env: Env) {
    use kube::api::AttachParams;
    let pods = running_minecraft(&env, "ex").await;

    // stdout, in the data folder, with the volume at its container path
    let mut p = pods
        .exec(
            "ex-0",
            ["sh", "-c", "pwd; ls /data; cat /data/eula.txt"],
            &AttachParams::default().stderr(true),
        )
        .await
        .unwrap();
    let status = p.take_status().unwrap();
    let out = read_all(p.stdout()).await;
    let st = status.await.unwrap();
    assert_eq!(st.status.as_deref(), Some("Success"), "{st:?}");
    assert!(out.starts_with("/data\n"), "{out}");
    assert!(out.contains("server.properties"), "{out}");
    assert!(out.contains("eula=true"), "{out}");

    // stderr and the exit code
    let mut p = pods
        .exec(
            "ex-0",
            ["sh", "-c", "echo oops >&2; exit 3"],
            &AttachParams::default().stderr(true),
        )
        .await
        .unwrap();
    let status = p.take_status().unwrap();
    let err = read_all(p.stderr()).await;
    let st = status.await.unwrap();
    assert_eq!(err, "oops\n");
    assert_eq!(st.reason.as_deref(), Some("NonZeroExitCode"));
    let code = &st.details.unwrap().causes.unwrap()[0];
    assert_eq!(code.message.as_deref(), Some("3"));

    // stdin, closed by the client (v5), reaches the command
    let mut p = pods
        .exec(
            "ex-0",
            [
                "sh",
                "-c",
                "cat > /data/written.txt && wc -c < /data/written.txt",
            ],
            &AttachParams::default().stdin(true).stderr(true),
        )
        .await
        .unwrap();
    let mut stdin = p.stdin().unwrap();
    use tokio::io::AsyncWriteExt;
    stdin.write_all(b"hello from stdin\n").await.unwrap();
    stdin.shutdown().await.unwrap();
    drop(stdin);
    let status = p.take_status().unwrap();
    let out = read_all(p.stdout()).await;
    assert_eq!(status.await.unwrap().status.as_deref(), Some("Success"));
    assert_eq!(out.trim(), "17");

    // Writes land in the volume; symlinks resolve as in the container
    if let Some(fk) = &env.fake {
        let host = fk.cluster.kubelet.runtime().claim_dir(&env.ns, "data-ex-0");
        assert_eq!(
            std::fs::read_to_string(host.join("written.txt")).unwrap(),
            "hello from stdin\n"
        );
    }
    let mut p = pods
        .exec("ex-0", ["sh", "-c", "ln -sf /etc/hostname /data/link && readlink -f /data/link && realpath /data/written.txt"], &AttachParams::default())
        .await
        .unwrap();
    let out = read_all(p.stdout()).await;
    assert_eq!(out, "/etc/hostname\n/data/written.txt\n");

    // The image's RCON tool talks to the running server.
    let mut p = pods
        .exec("ex-0", ["rcon-cli", "list"], &AttachParams::default())
        .await
        .unwrap();
    let out = read_all(p.stdout()).await;
    assert!(out.contains("players online"), "{out}");

    // A missing command fails with a clear code.
    let mut p = pods
        .exec(
            "ex-0",
            ["no-such-command-here"],
            &AttachParams::default().stderr(true),
        )
        .await
        .unwrap();
    let status = p.take_status().unwrap();
    let _ = read_all(p.stderr()).await;
    assert_eq!(status.await.unwrap().status.as_deref(), Some("Failure"));
}

async fn attach_sends_console_input_to_the_server(env: Env) {
    use kube::api::AttachParams;
    use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt};
    let pods = running_minecraft(&env, "at").await;
    let mut p = pods
        .attach(
            "at-0",
            &AttachParams::default()
                .stdin(true)
                .stdout(true)
                .stderr(false),
        )
        .await
        .unwrap();
    let mut stdin = p.stdin().unwrap();
    let mut lines = tokio::io::BufReader::new(p.stdout().unwrap()).lines();
    stdin.write_all(b"say hello from attach\n").await.unwrap();
    let found = tokio::time::timeout(Duration::from_secs(20), async {
        while let Ok(Some(line)) = lines.next_line().await {
            if line.contains("[Server] hello from attach") {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false);
    assert!(found, "the command's answer came back over attach");
}

async fn each_pod_has_its_own_address_and_answers_the_ping_there(env: Env) {
    if !env.mcsim {
        return; // the addresses are the loopback node's
    }
    let mut seen = Vec::new();
    for name in ["ip-a", "ip-b"] {
        let pods = running_minecraft(&env, name).await;
        let pod = pods.get(&format!("{name}-0")).await.unwrap();
        let st = pod.status.unwrap();
        let ip: std::net::Ipv4Addr = st.pod_ip.as_deref().unwrap().parse().unwrap();
        match env.networks {
            // a namespace of its own, with an address of the node's pod range
            Some((pods, _)) => assert!(pods.contains(ip) && ip != pods.first(), "{ip}"),
            None => assert!(
                ip.is_loopback() && ip != std::net::Ipv4Addr::LOCALHOST,
                "{ip}"
            ),
        }
        let ips: Vec<_> = st.pod_ips.unwrap().into_iter().map(|p| p.ip).collect();
        assert_eq!(ips, [ip.to_string()]);
        assert_eq!(st.host_ip.as_deref(), Some("127.0.0.1"));
        // the game port is bound on the pod's address: a Server List Ping there answers
        let r = eventually(30, "the ping answered", || async move {
            let mut s = tokio::net::TcpStream::connect((ip, 25565)).await.ok()?;
            craftping::tokio::ping(
                &mut s,
                "localhost",
                25565,
                craftping::PROTOCOL_VERSION_NOT_SET,
            )
            .await
            .ok()
        })
        .await;
        assert_eq!((r.online_players, r.max_players), (0, 20));
        seen.push(ip);
    }
    assert_ne!(seen[0], seen[1], "two pods, two addresses");
    let Some(_) = env.networks else {
        return; // fakekube runs no EndpointSlice controller, and loopback addresses are refused
    };
    // the EndpointSlice controller publishes the pod's address for a Service selecting it
    use k8s_openapi::api::core::v1::Service;
    use k8s_openapi::api::discovery::v1::EndpointSlice;
    let svc: Service = serde_json::from_value(json!({"metadata": {"name": "ip-a"}, "spec": {
        "selector": {"app.kubernetes.io/instance": "ip-a"},
        "ports": [{"name": "minecraft", "port": 25565, "targetPort": "minecraft"}]}}))
    .unwrap();
    env.api::<Service>()
        .create(&PostParams::default(), &svc)
        .await
        .unwrap();
    let slices: Api<EndpointSlice> = env.api();
    let listed = eventually(60, "an EndpointSlice with the pod's address", || async {
        let lp = kube::api::ListParams::default().labels("kubernetes.io/service-name=ip-a");
        let found: Vec<String> = slices
            .list(&lp)
            .await
            .ok()?
            .items
            .into_iter()
            .flat_map(|s| s.endpoints)
            .flat_map(|e| e.addresses)
            .collect();
        (!found.is_empty()).then_some(found)
    })
    .await;
    assert_eq!(listed, [seen[0].to_string()]);
}

/// A Server List Ping at `addr`, if it answers.
async fn ping_at(addr: std::net::SocketAddr) -> Option<craftping::Response> {
    let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
    craftping::tokio::ping(
        &mut s,
        "localhost",
        addr.port(),
        craftping::PROTOCOL_VERSION_NOT_SET,
    )
    .await
    .ok()
}

async fn node_ports_and_load_balancers_reach_a_ready_pod(env: Env) {
    use k8s_openapi::api::core::v1::Service;
    let Some(node) = env.node else {
        return; // no node proxy here yet
    };
    let svc = |name: &str, ty: &str| -> Service {
        serde_json::from_value(json!({"metadata": {"name": name}, "spec": {"type": ty,
            "selector": {"app.kubernetes.io/instance": "np"},
            "ports": [{"name": "minecraft", "port": 25565, "targetPort": "minecraft"}]}}))
        .unwrap()
    };
    let api: Api<Service> = env.api();
    let np = api
        .create(&PostParams::default(), &svc("np", "NodePort"))
        .await
        .unwrap();
    let spec = np.spec.unwrap();
    let port = spec.ports.unwrap()[0].node_port.unwrap() as u16;
    let cluster_ip: std::net::IpAddr = spec.cluster_ip.unwrap().parse().unwrap();
    let at = std::net::SocketAddr::new(node, port);
    // no pod yet: the node port takes the connection and closes it
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(ping_at(at).await.is_none(), "no ready pod, no answer");

    // a ready pod behind it answers the Server List Ping through the node port
    let pods = running_minecraft(&env, "np").await;
    let r = eventually(30, "the ping through the node port", || ping_at(at)).await;
    assert_eq!((r.online_players, r.max_players), (0, 20));
    // fakekube's cluster IPs are on the loopback, and served there too; a real control plane's
    // are answered by the node's proxy when its service range was made local
    let served = match cluster_ip {
        std::net::IpAddr::V4(v4) => {
            v4.is_loopback()
                || env
                    .networks
                    .is_some_and(|(_, services)| services.contains(v4))
        }
        std::net::IpAddr::V6(_) => false,
    };
    if served {
        let at = std::net::SocketAddr::new(cluster_ip, 25565);
        let r = eventually(30, "the ping at the cluster IP", || ping_at(at)).await;
        assert_eq!(r.max_players, 20);
    }

    // a LoadBalancer Service gets the node as its ingress, and its port there reaches the pod
    api.create(&PostParams::default(), &svc("lb", "LoadBalancer"))
        .await
        .unwrap();
    let ip = eventually(30, "the load balancer's address", || async {
        let s = api.get("lb").await.ok()?;
        s.status?.load_balancer?.ingress?.first()?.ip.clone()
    })
    .await;
    assert_eq!(ip, node.to_string());
    let r = eventually(30, "the ping through the load balancer", || {
        ping_at(std::net::SocketAddr::new(node, 25565))
    })
    .await;
    assert_eq!(r.max_players, 20);
    // a second one asking for the same port of the node waits for it, with no address
    api.create(&PostParams::default(), &svc("lb2", "LoadBalancer"))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(4)).await;
    let lb2 = api.get("lb2").await.unwrap();
    assert!(
        lb2.status
            .and_then(|s| s.load_balancer?.ingress)
            .is_none_or(|i| i.is_empty())
    );

    // the node port goes with its Service
    api.delete("np", &Default::default()).await.unwrap();
    eventually(30, "the node port closed", || async {
        tokio::net::TcpStream::connect(at)
            .await
            .is_err()
            .then_some(())
    })
    .await;
    drop(pods);
}

async fn exec_refuses_missing_pods_and_containers(env: Env) {
    use kube::api::AttachParams;
    let pods: Api<Pod> = env.api();
    let err = pods
        .exec("nope-0", ["ls"], &AttachParams::default())
        .await
        .err()
        .expect("refused");
    assert!(
        matches!(&err, Error::Api(s) if s.code == 404) || err.to_string().contains("404"),
        "{err}"
    );
}

/// kubectl: the control plane's build (`PANEL_CONTROLPLANE_BIN/kubectl`), else one on PATH;
/// None (the test passes by) only when neither exists and the real control plane is not
/// required.
fn kubectl_program() -> Option<std::path::PathBuf> {
    let built = std::env::var_os("PANEL_CONTROLPLANE_BIN")
        .map(|b| std::path::PathBuf::from(b).join("kubectl"))
        .filter(|p| p.is_file());
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|d| d.join("kubectl"))
            .find(|p| p.is_file())
    });
    let found = built.or(on_path);
    if found.is_none() && std::env::var("PANEL_REALKUBE").is_ok_and(|v| v == "require") {
        panic!("no kubectl: scripts/controlplane.sh builds it into PANEL_CONTROLPLANE_BIN");
    }
    found
}

/// kubectl with its defaults (protobuf for typed clients, OpenAPI v3 for validation), as a
/// person would use it: get's columns, exec, logs, client-side and server-side apply.
async fn kubectl_sees_the_pod_come_up_and_can_exec(env: Env) {
    let Some(program) = kubectl_program() else {
        eprintln!("kubectl not installed: skipping the kubectl check");
        return;
    };
    let _pods = running_minecraft(&env, "kc").await;
    let kubectl = async |args: &[&str], input: Option<&str>| {
        let mut child = tokio::process::Command::new(&program)
            .args(&env.kubectl_target)
            .args(["-n", &env.ns])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        if let Some(input) = input {
            use tokio::io::AsyncWriteExt;
            stdin.write_all(input.as_bytes()).await.unwrap();
        }
        drop(stdin);
        let out = child.wait_with_output().await.unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, out) = kubectl(&["get", "pods"], None).await;
    assert!(ok, "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("kc-0"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(row.contains("1/1") && row.contains("Running"), "{out}");
    let (ok, out) = kubectl(&["exec", "kc-0", "--", "cat", "/data/eula.txt"], None).await;
    assert!(ok, "{out}");
    assert!(out.contains("eula=true"), "{out}");
    let (ok, out) = kubectl(&["logs", "kc-0", "--tail", "1"], None).await;
    assert!(ok && out.contains("Done ("), "{out}");

    // apply with the default validation (kubectl reads /openapi/v3 to hand it to the server)
    let config_map = |motd: &str| {
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kc-settings\ndata:\n  motd: {motd}\n"
        )
    };
    let (ok, out) = kubectl(&["apply", "-f", "-"], Some(&config_map("hello"))).await;
    assert!(ok && out.contains("configmap/kc-settings created"), "{out}");
    let (ok, out) = kubectl(&["apply", "-f", "-"], Some(&config_map("again"))).await;
    assert!(
        ok && out.contains("configmap/kc-settings configured"),
        "{out}"
    );
    let (ok, out) = kubectl(
        &["apply", "--server-side", "-f", "-"],
        Some(&config_map("ssa")),
    )
    .await;
    assert!(ok && out.contains("serverside-applied"), "{out}");
    let (ok, out) = kubectl(
        &[
            "get",
            "configmap",
            "kc-settings",
            "-o",
            "jsonpath={.data.motd}",
        ],
        None,
    )
    .await;
    assert!(ok && out.trim() == "ssa", "{out}");
    let (ok, out) = kubectl(&["delete", "configmap", "kc-settings"], None).await;
    assert!(ok && out.contains("deleted"), "{out}");
}

#[tokio::test]
async fn a_restarted_fakekube_keeps_its_objects_and_restarts_pods() {
    if std::env::var("PANEL_TEST_KUBECONFIG").is_ok() {
        return;
    }
    let root =
        TempDir(std::env::temp_dir().join(format!("fakekube-persist-{}", uuid::Uuid::new_v4())));
    let config = fakekube::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        root: root.0.clone(),
        mcsim: env!("CARGO_BIN_EXE_mcsim").into(),
        persist: true,
        namespaces: vec!["games".into()],
        token: None,
        tls: false,
        node_address: None,
    };
    let client_for = |fk: &fakekube::FakeKube| {
        Client::try_from(kube::Config::new(fk.url.parse().unwrap())).unwrap()
    };

    // Given a fakekube with a ConfigMap and a running StatefulSet
    let fk = fakekube::FakeKube::start(config.clone()).await.unwrap();
    let cms: Api<ConfigMap> = Api::namespaced(client_for(&fk), "games");
    let made = cms
        .create(&PostParams::default(), &cm("kept", json!({"k": "v"})))
        .await
        .unwrap();
    let sts: Api<StatefulSet> = Api::namespaced(client_for(&fk), "games");
    sts.create(&PostParams::default(), &minecraft_sts("keep", json!([])))
        .await
        .unwrap();
    let pods: Api<Pod> = Api::namespaced(client_for(&fk), "games");
    eventually(60, "pod ready", || async {
        pods.get_opt("keep-0").await.unwrap().filter(pod_ready)
    })
    .await;
    fk.stop().await;

    // When it starts again on the same folder
    let fk = fakekube::FakeKube::start(config).await.unwrap();
    let cms: Api<ConfigMap> = Api::namespaced(client_for(&fk), "games");
    let kept = cms.get("kept").await.unwrap();
    // Then the objects are there, versions keep rising, and the pod runs again
    assert_eq!(kept.metadata.uid, made.metadata.uid);
    let next = cms
        .patch(
            "kept",
            &PatchParams::default(),
            &Patch::Merge(json!({"data": {"k": "w"}})),
        )
        .await
        .unwrap();
    assert!(
        next.metadata
            .resource_version
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > made
                .metadata
                .resource_version
                .unwrap()
                .parse::<u64>()
                .unwrap()
    );
    let pods: Api<Pod> = Api::namespaced(client_for(&fk), "games");
    eventually(60, "pod running again", || async {
        let p = pods.get_opt("keep-0").await.unwrap()?;
        let log = pods.logs("keep-0", &LogParams::default()).await.ok()?;
        (pod_ready(&p) && log.contains("Done (")).then_some(())
    })
    .await;
    fk.stop().await;
}

#[tokio::test]
async fn a_killed_fakekube_leaves_no_second_server_on_a_volume() {
    if std::env::var("PANEL_TEST_KUBECONFIG").is_ok() {
        return;
    }
    let root =
        TempDir(std::env::temp_dir().join(format!("fakekube-killed-{}", uuid::Uuid::new_v4())));
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let start = || {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_fakekube"))
            .args([
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--namespace",
                "games",
                "--mcsim",
                env!("CARGO_BIN_EXE_mcsim"),
            ])
            .arg("--root")
            .arg(&root.0)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap()
    };
    let client = Client::try_from(kube::Config::new(
        format!("http://127.0.0.1:{port}").parse().unwrap(),
    ))
    .unwrap();
    let pods: Api<Pod> = Api::namespaced(client.clone(), "games");
    let main_pid = || {
        std::fs::read_to_string(root.0.join("pods/games/solo-0/main.pid"))
            .ok()
            .and_then(|p| p.trim().parse::<i32>().ok())
    };

    // Given a fakekube running a server, killed hard (its pods' processes survive it)
    let mut first = start();
    eventually(30, "api up", || async {
        client.apiserver_version().await.ok()
    })
    .await;
    Api::<StatefulSet>::namespaced(client.clone(), "games")
        .create(&PostParams::default(), &minecraft_sts("solo", json!([])))
        .await
        .unwrap();
    eventually(60, "pod ready", || async {
        pods.get_opt("solo-0")
            .await
            .ok()
            .flatten()
            .filter(pod_ready)
    })
    .await;
    let old = main_pid().expect("pid file");
    first.start_kill().unwrap();
    let _ = first.wait().await;
    assert!(
        std::path::Path::new(&format!("/proc/{old}")).exists(),
        "the orphan still runs"
    );

    // When it starts again, Then the orphan is stopped and one new server runs
    let _second = start();
    eventually(60, "pod running again", || async {
        let p = main_pid()?;
        (p != old && !std::path::Path::new(&format!("/proc/{old}/cwd")).exists()).then_some(())
    })
    .await;
}

/// A bound claim grows on a class with `allowVolumeExpansion: true`; on one without, the
/// resize admission refuses (403) and nothing changes.
async fn claims_grow_only_on_a_class_that_allows_it(env: Env) {
    use k8s_openapi::api::storage::v1::StorageClass;
    let classes: Api<StorageClass> = Api::all(env.client.clone());
    let class = |name: &str, grows: bool| -> StorageClass {
        serde_json::from_value(json!({"metadata": {"name": name},
            // served by realkube's node agent; fakekube binds every claim itself
            "provisioner": "fakekube.dev/node-local", "reclaimPolicy": "Delete",
            "volumeBindingMode": "Immediate", "allowVolumeExpansion": grows}))
        .unwrap()
    };
    let (grows, fixed) = (format!("{}-grows", env.ns), format!("{}-fixed", env.ns));
    for (name, g) in [(&grows, true), (&fixed, false)] {
        classes
            .create(&PostParams::default(), &class(name, g))
            .await
            .unwrap();
    }
    let pvcs: Api<PersistentVolumeClaim> = env.api();
    for (claim, class) in [("a", &grows), ("b", &fixed)] {
        let pvc = serde_json::from_value(json!({"metadata": {"name": claim}, "spec": {
            "accessModes": ["ReadWriteOnce"], "storageClassName": class,
            "resources": {"requests": {"storage": "1Gi"}}}}))
        .unwrap();
        pvcs.create(&PostParams::default(), &pvc).await.unwrap();
    }
    for claim in ["a", "b"] {
        eventually(30, "claim bound", || async {
            let p = pvcs.get(claim).await.unwrap();
            (p.status?.phase.as_deref() == Some("Bound")).then_some(())
        })
        .await;
    }
    let grow = json!({"spec": {"resources": {"requests": {"storage": "2Gi"}}}});
    pvcs.patch("a", &PatchParams::default(), &Patch::Merge(&grow))
        .await
        .unwrap();
    let err = pvcs
        .patch("b", &PatchParams::default(), &Patch::Merge(&grow))
        .await
        .unwrap_err();
    assert_eq!(api_code(&err), Some(403), "{err}");
    assert!(err.to_string().contains("must support resize"), "{err}");
    let b = pvcs.get("b").await.unwrap();
    assert_eq!(
        b.spec.unwrap().resources.unwrap().requests.unwrap()["storage"].0,
        "1Gi",
        "nothing changed"
    );
    for name in [&grows, &fixed] {
        let _ = classes.delete(name, &DeleteParams::default()).await;
    }
}
