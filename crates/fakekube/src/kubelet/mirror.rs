//! The node's pods. What the scheduler binds to this node is copied, with the ConfigMaps,
//! Secrets and claims it refers to, into the agent's local store, where the pod runner runs
//! it as it runs fakekube's own pods; a deletion asked of the API server is passed on (with
//! its grace period), and the runner's status goes back to the API server (`pods/status`,
//! guarded by the pod's uid). When the runner has stopped a deleted pod, the agent removes it
//! from the API server (grace 0, with a uid precondition), as a kubelet does.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::{ConfigMap, PersistentVolumeClaim, Pod, Secret, Service};
use kube::api::{Api, DeleteParams, Patch, PatchParams, Preconditions};
use kube::runtime::WatchStreamExt;
use kube::runtime::watcher::{self, Event};
use kube::{Client, Resource as _};
use serde_json::{Value, json};
use tokio::sync::{Notify, broadcast};

use crate::resources::by_kind;
use crate::store::{EventType, Store};

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// Copies the pods bound to `node` into `store` and passes their deletions on, for ever.
pub(crate) async fn pods(client: Client, node: String, store: Arc<Store>) {
    let api: Api<Pod> = Api::all(client.clone());
    let cfg = watcher::Config::default().fields(&format!("spec.nodeName={node}"));
    let mut events = watcher::watcher(api, cfg).default_backoff().boxed();
    let mut relisted: Option<HashSet<String>> = None;
    while let Some(ev) = events.next().await {
        match ev {
            Ok(Event::Init) => relisted = Some(HashSet::new()),
            Ok(Event::InitApply(p)) => {
                if let Some(seen) = &mut relisted {
                    seen.insert(p.meta().uid.clone().unwrap_or_default());
                }
                admit(&client, &store, &p).await;
            }
            Ok(Event::InitDone) => {
                // pods deleted while the watch was down
                let seen = relisted.take().unwrap_or_default();
                for local in store.all(by_kind("Pod")) {
                    if !seen.contains(local["metadata"]["uid"].as_str().unwrap_or_default()) {
                        forget_value(&store, &local);
                    }
                }
            }
            Ok(Event::Apply(p)) => admit(&client, &store, &p).await,
            Ok(Event::Delete(p)) => {
                if let Ok(v) = serde_json::to_value(&p) {
                    forget_value(&store, &v);
                }
            }
            Err(e) => tracing::warn!(error = %e, "the node's pod watch failed; retrying"),
        }
    }
}

/// Copies every Service into `store`, for ever, so the node's Service proxy serves their node
/// ports as kube-proxy does (a node may list and watch Services).
pub(crate) async fn services(client: Client, store: Arc<Store>) {
    let api: Api<Service> = Api::all(client);
    let mut events = watcher::watcher(api, watcher::Config::default())
        .default_backoff()
        .boxed();
    let mut relisted: Option<HashSet<(String, String)>> = None;
    let key = |v: &Value| {
        let md = &v["metadata"];
        (text(&md["namespace"]), text(&md["name"]))
    };
    while let Some(ev) = events.next().await {
        let value = |s: &Service| serde_json::to_value(s).ok();
        match ev {
            Ok(Event::Init) => relisted = Some(HashSet::new()),
            Ok(Event::InitApply(s) | Event::Apply(s)) => {
                let Some(v) = value(&s) else { continue };
                let (ns, name) = key(&v);
                if let Some(seen) = &mut relisted {
                    seen.insert((ns.clone(), name));
                }
                store.put(by_kind("Service"), &ns, v);
            }
            Ok(Event::InitDone) => {
                let seen = relisted.take().unwrap_or_default();
                for local in store.all(by_kind("Service")) {
                    let (ns, name) = key(&local);
                    if !seen.contains(&(ns.clone(), name.clone())) {
                        let _ = store.remove(by_kind("Service"), &ns, &name);
                    }
                }
            }
            Ok(Event::Delete(s)) => {
                if let Some(v) = value(&s) {
                    let (ns, name) = key(&v);
                    let _ = store.remove(by_kind("Service"), &ns, &name);
                }
            }
            Err(e) => tracing::warn!(error = %e, "the node's Service watch failed; retrying"),
        }
    }
}

/// Writes the node proxy's LoadBalancer ingresses into the Services' status on the API server,
/// each only when it changed (a refusal is tried again on the next pass).
pub(crate) async fn load_balancers(
    client: Client,
    mut ingresses: tokio::sync::mpsc::UnboundedReceiver<(String, String, Value)>,
) {
    let mut sent: HashMap<(String, String), Value> = HashMap::new();
    while let Some((ns, name, status)) = ingresses.recv().await {
        let key = (ns, name);
        if sent.get(&key) == Some(&status) {
            continue;
        }
        let api: Api<Service> = Api::namespaced(client.clone(), &key.0);
        let patch = json!({"status": {"loadBalancer": status}});
        match api
            .patch_status(&key.1, &PatchParams::default(), &Patch::Merge(&patch))
            .await
        {
            Ok(_) => {
                sent.insert(key, status);
            }
            Err(e) => {
                tracing::debug!(service = %key.1, error = %e, "a load balancer's status was not written")
            }
        }
    }
}

/// Takes a pod the API server has (new, or changed: a deletion asked).
async fn admit(client: &Client, store: &Store, pod: &Pod) {
    let Ok(real) = serde_json::to_value(pod) else {
        return;
    };
    let md = &real["metadata"];
    let (ns, name, uid) = (text(&md["namespace"]), text(&md["name"]), text(&md["uid"]));
    match store.get(by_kind("Pod"), &ns, &name) {
        Ok(local) if local["metadata"]["uid"] == uid.as_str() => {
            if md.get("deletionTimestamp").is_some() {
                let grace = md["deletionGracePeriodSeconds"].as_i64().unwrap_or(30);
                let _ = store.mutate(by_kind("Pod"), &ns, &name, |p| {
                    let shorter = p["metadata"]["deletionGracePeriodSeconds"]
                        .as_i64()
                        .is_none_or(|g| grace < g);
                    if p["metadata"].get("deletionTimestamp").is_none() || shorter {
                        p["metadata"]["deletionTimestamp"] = md["deletionTimestamp"].clone();
                        p["metadata"]["deletionGracePeriodSeconds"] = json!(grace);
                    }
                });
            }
            return;
        }
        // an earlier pod of that name, gone from the API server: stop it now
        Ok(_) => {
            let _ = store.remove(by_kind("Pod"), &ns, &name);
        }
        Err(_) => {}
    }
    if store.get(by_kind("Namespace"), "", &ns).is_err() {
        store.put(by_kind("Namespace"), "", json!({"metadata": {"name": ns}}));
    }
    copy_refs(client, store, &ns, &real).await;
    store.put(by_kind("Pod"), &ns, real);
}

fn forget_value(store: &Store, pod: &Value) {
    let md = &pod["metadata"];
    let (ns, name) = (text(&md["namespace"]), text(&md["name"]));
    if let Ok(local) = store.get(by_kind("Pod"), &ns, &name)
        && local["metadata"]["uid"] == md["uid"]
    {
        let _ = store.remove(by_kind("Pod"), &ns, &name);
    }
}

/// What a pod refers to, by kind.
fn refs(pod: &Value) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let spec = &pod["spec"];
    for v in spec["volumes"].as_array().into_iter().flatten() {
        if let Some(n) = v.pointer("/configMap/name").and_then(Value::as_str) {
            out.push(("ConfigMap", n.to_string()));
        }
        if let Some(n) = v.pointer("/secret/secretName").and_then(Value::as_str) {
            out.push(("Secret", n.to_string()));
        }
        if let Some(n) = v
            .pointer("/persistentVolumeClaim/claimName")
            .and_then(Value::as_str)
        {
            out.push(("PersistentVolumeClaim", n.to_string()));
        }
    }
    let containers = spec["initContainers"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(spec["containers"].as_array().into_iter().flatten());
    for c in containers {
        for e in c["envFrom"].as_array().into_iter().flatten() {
            if let Some(n) = e.pointer("/configMapRef/name").and_then(Value::as_str) {
                out.push(("ConfigMap", n.to_string()));
            }
            if let Some(n) = e.pointer("/secretRef/name").and_then(Value::as_str) {
                out.push(("Secret", n.to_string()));
            }
        }
        for e in c["env"].as_array().into_iter().flatten() {
            if let Some(n) = e
                .pointer("/valueFrom/configMapKeyRef/name")
                .and_then(Value::as_str)
            {
                out.push(("ConfigMap", n.to_string()));
            }
            if let Some(n) = e
                .pointer("/valueFrom/secretKeyRef/name")
                .and_then(Value::as_str)
            {
                out.push(("Secret", n.to_string()));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Copies what the pod refers to into the store. The node authorizer grants each only once it
/// has seen the pod bound here, so a refusal is tried again for a few seconds.
async fn copy_refs(client: &Client, store: &Store, ns: &str, pod: &Value) {
    for (kind, name) in refs(pod) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let got = match kind {
                "ConfigMap" => get::<ConfigMap>(client, ns, &name).await,
                "Secret" => get::<Secret>(client, ns, &name).await,
                _ => get::<PersistentVolumeClaim>(client, ns, &name).await,
            };
            match got {
                Ok(Some(v)) => {
                    store.put(by_kind(kind), ns, v);
                    break;
                }
                // missing: the runner reports it as a kubelet would
                Ok(None) => break,
                Err(e) if Instant::now() > deadline => {
                    tracing::warn!(kind, name, error = %e, "could not read what a pod refers to");
                    break;
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        }
    }
}

async fn get<K>(client: &Client, ns: &str, name: &str) -> Result<Option<Value>, kube::Error>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>
        + Clone
        + std::fmt::Debug
        + serde::de::DeserializeOwned
        + serde::Serialize,
    <K as kube::Resource>::DynamicType: Default,
{
    let api: Api<K> = Api::namespaced(client.clone(), ns);
    Ok(api
        .get_opt(name)
        .await?
        .and_then(|o| serde_json::to_value(o).ok()))
}

/// What is owed to the API server for one pod.
enum Owed {
    Status(Value),
    Removal,
}

type Queue = Arc<Mutex<HashMap<String, (String, String, Owed)>>>;

/// Sends the runner's pod status to the API server, and removes the pods it has stopped, for
/// ever. Changes are coalesced per pod: only the latest status of each is sent.
pub(crate) async fn statuses(client: Client, store: Arc<Store>) {
    let queue: Queue = Arc::default();
    let wake = Arc::new(Notify::new());
    let worker = tokio::spawn(send(client, queue.clone(), wake.clone()));
    let mut rx = store.subscribe();
    let owe = |pod: &Value, owed: Owed| {
        let md = &pod["metadata"];
        queue.lock().unwrap_or_else(|e| e.into_inner()).insert(
            text(&md["uid"]),
            (text(&md["namespace"]), text(&md["name"]), owed),
        );
        wake.notify_one();
    };
    loop {
        match rx.recv().await {
            Ok(e) if e.res.plural == "pods" => match e.ty {
                EventType::Deleted => owe(&e.object, Owed::Removal),
                // the agent's own copy of what the API server has
                EventType::Added => {}
                _ => owe(&e.object, Owed::Status(e.object["status"].clone())),
            },
            Ok(_) => {}
            Err(broadcast::error::RecvError::Lagged(_)) => {
                for p in store.all(by_kind("Pod")) {
                    owe(&p, Owed::Status(p["status"].clone()));
                }
            }
            Err(broadcast::error::RecvError::Closed) => break,
        }
    }
    worker.abort();
}

async fn send(client: Client, queue: Queue, wake: Arc<Notify>) {
    let mut sent: HashMap<String, Value> = HashMap::new();
    loop {
        wake.notified().await;
        let batch = std::mem::take(&mut *queue.lock().unwrap_or_else(|e| e.into_inner()));
        for (uid, (ns, name, owed)) in batch {
            let api: Api<Pod> = Api::namespaced(client.clone(), &ns);
            let result = match &owed {
                Owed::Status(st) if sent.get(&uid) == Some(st) => continue,
                Owed::Status(st) => api
                    .patch_status(
                        &name,
                        &PatchParams::default(),
                        &Patch::Merge(json!({"metadata": {"uid": uid}, "status": st})),
                    )
                    .await
                    .map(|_| ()),
                Owed::Removal => {
                    sent.remove(&uid);
                    let dp = DeleteParams {
                        grace_period_seconds: Some(0),
                        preconditions: Some(Preconditions {
                            uid: Some(uid.clone()),
                            resource_version: None,
                        }),
                        ..DeleteParams::default()
                    };
                    api.delete(&name, &dp).await.map(|_| ())
                }
            };
            match result {
                Ok(()) => {
                    if let Owed::Status(st) = owed {
                        sent.insert(uid, st);
                    }
                }
                // gone, or another pod of that name now: nothing is owed
                Err(kube::Error::Api(e)) if e.code == 404 || e.code == 409 => {}
                Err(e) => {
                    tracing::warn!(pod = %name, error = %e, "could not update a pod; retrying");
                    queue
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .entry(uid)
                        .or_insert((ns, name, owed));
                    let wake = wake.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        wake.notify_one();
                    });
                }
            }
        }
    }
}
