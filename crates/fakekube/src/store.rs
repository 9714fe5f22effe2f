//! The object store: every object as JSON, a rising `resourceVersion`, an event history for
//! watch resumption, and a broadcast of changes. State is in memory, optionally saved to a JSON
//! file after each change so a restarted fakekube keeps its objects.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::sync::broadcast;

use crate::patch;
use crate::resources::{RESOURCES, Resource};
use crate::selector::{FieldSelector, LabelSelector};
use crate::status::{ApiError, ApiResult};

/// How many past events a watch can resume from.
const HISTORY: usize = 5000;

/// Where an object lives.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    /// Resource plural.
    pub plural: &'static str,
    /// Namespace ("" when cluster-scoped).
    pub namespace: String,
    /// Name.
    pub name: String,
}

/// Watch event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    /// Created.
    Added,
    /// Changed.
    Modified,
    /// Removed.
    Deleted,
}

impl EventType {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// One change.
#[derive(Debug, Clone)]
pub struct Event {
    /// The resourceVersion the change produced.
    pub rv: u64,
    /// What happened.
    pub ty: EventType,
    /// Which resource type.
    pub res: &'static Resource,
    /// Namespace ("" for cluster-scoped).
    pub namespace: String,
    /// The object after the change (before removal, for Deleted).
    pub object: Value,
}

/// Past events to replay, and the receiver of the ones to come.
pub type Subscription = (Vec<Arc<Event>>, broadcast::Receiver<Arc<Event>>);

/// Which part of an object a write targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Everything but `status` (for resources with a status subresource).
    Main,
    /// Only `status`.
    Status,
}

/// How a PATCH body is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    /// `application/merge-patch+json` and `application/strategic-merge-patch+json`.
    Merge,
    /// `application/apply-patch+yaml` (server-side apply), with its field manager.
    Apply,
}

impl Key {
    /// The key of `name` of `res` in `ns` (ignored for cluster-scoped resources).
    pub fn of(res: &Resource, ns: &str, name: &str) -> Key {
        Key {
            plural: res.plural,
            namespace: ns_key(res, ns),
            name: name.into(),
        }
    }
}

struct Inner {
    rv: u64,
    objects: BTreeMap<Key, Value>,
    history: VecDeque<Arc<Event>>,
    uid_seq: u64,
    /// Versions up to this one were compacted away (watches from them get 410).
    compacted: u64,
}

impl Inner {
    /// Every stored Service but the one at `key`.
    fn services_except<'a>(&'a self, key: &'a Key) -> impl Iterator<Item = &'a Value> + Clone {
        self.objects
            .iter()
            .filter(move |(k, _)| k.plural == "services" && *k != key)
            .map(|(_, v)| v)
    }

    /// The object at `key`, or 404.
    fn current(&self, res: &Resource, key: &Key) -> ApiResult<Value> {
        self.objects
            .get(key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(res.plural, &key.name))
    }
}

/// The store. Cheap to share behind an `Arc`.
pub struct Store {
    inner: Mutex<Inner>,
    tx: broadcast::Sender<Arc<Event>>,
    save_to: Option<PathBuf>,
}

/// Now as an RFC 3339 timestamp (seconds, `Z`), as Kubernetes writes them.
pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_dns1035_label(s: &str) -> bool {
    is_dns_label(s) && s.starts_with(|c: char| c.is_ascii_lowercase())
}

fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}

fn ns_key(res: &Resource, ns: &str) -> String {
    if res.namespaced {
        ns.to_string()
    } else {
        String::new()
    }
}

impl Store {
    /// An empty store, or the one saved at `save_to` if it exists.
    pub fn new(save_to: Option<PathBuf>) -> Arc<Store> {
        let (tx, _) = broadcast::channel(4096);
        let mut inner = Inner {
            rv: 1,
            objects: BTreeMap::new(),
            history: VecDeque::new(),
            uid_seq: 0,
            compacted: 0,
        };
        if let Some(saved) = save_to.as_ref().and_then(|p| std::fs::read(p).ok())
            && let Ok(v) = serde_json::from_slice::<Value>(&saved)
        {
            inner.rv = v["rv"].as_u64().unwrap_or(1);
            for obj in v["objects"].as_array().into_iter().flatten() {
                let plural = obj["plural"].as_str().unwrap_or_default();
                if let Some(res) = RESOURCES.iter().find(|r| r.plural == plural) {
                    let o = obj["object"].clone();
                    let key = Key {
                        plural: res.plural,
                        namespace: o
                            .pointer("/metadata/namespace")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .into(),
                        name: o
                            .pointer("/metadata/name")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .into(),
                    };
                    inner.objects.insert(key, o);
                }
            }
            tracing::info!(objects = inner.objects.len(), "fakekube state restored");
        }
        Arc::new(Store {
            inner: Mutex::new(inner),
            tx,
            save_to,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.lock().rv
    }

    /// Records a change: bumps the version, stamps the object, keeps history, broadcasts.
    fn emit(
        &self,
        inner: &mut Inner,
        ty: EventType,
        res: &'static Resource,
        ns: &str,
        obj: &mut Value,
    ) {
        inner.rv += 1;
        obj["metadata"]["resourceVersion"] = json!(inner.rv.to_string());
        let ev = Arc::new(Event {
            rv: inner.rv,
            ty,
            res,
            namespace: ns.to_string(),
            object: obj.clone(),
        });
        inner.history.push_back(ev.clone());
        if inner.history.len() > HISTORY {
            inner.history.pop_front();
        }
        let _ = self.tx.send(ev);
        self.save(inner);
    }

    fn save(&self, inner: &Inner) {
        let Some(path) = &self.save_to else { return };
        let objects: Vec<Value> = inner
            .objects
            .iter()
            .map(|(k, o)| json!({"plural": k.plural, "object": o}))
            .collect();
        let body = json!({"rv": inner.rv, "objects": objects});
        let tmp = path.with_extension("tmp");
        if std::fs::write(&tmp, body.to_string())
            .and_then(|_| std::fs::rename(&tmp, path))
            .is_err()
        {
            tracing::warn!(path = %path.display(), "could not save fakekube state");
        }
    }

    /// Stores `obj` as it is, creating or replacing it, with its uid, metadata and status kept:
    /// the node agent's copy of an object another API server owns. Only the resourceVersion is
    /// this store's own.
    pub fn put(&self, res: &'static Resource, ns: &str, mut obj: Value) -> Value {
        let mut inner = self.lock();
        let nsk = ns_key(res, ns);
        let key = Key {
            plural: res.plural,
            namespace: nsk.clone(),
            name: obj["metadata"]["name"].as_str().unwrap_or_default().into(),
        };
        let ty = if inner.objects.contains_key(&key) {
            EventType::Modified
        } else {
            EventType::Added
        };
        obj["apiVersion"] = json!(res.api_version());
        obj["kind"] = json!(res.kind);
        self.emit(&mut inner, ty, res, &nsk, &mut obj);
        inner.objects.insert(key, obj.clone());
        obj
    }

    /// One object.
    pub fn get(&self, res: &'static Resource, ns: &str, name: &str) -> ApiResult<Value> {
        self.lock().current(res, &Key::of(res, ns, name))
    }

    /// Objects of a type (in one namespace, or all), filtered; with the list's resourceVersion.
    pub fn list(
        &self,
        res: &'static Resource,
        ns: Option<&str>,
        labels: &LabelSelector,
        fields: &FieldSelector,
    ) -> (Vec<Value>, u64) {
        let inner = self.lock();
        let items = inner
            .objects
            .iter()
            .filter(|(k, _)| k.plural == res.plural)
            .filter(|(k, _)| !res.namespaced || ns.is_none_or(|n| k.namespace == n))
            .filter(|(_, o)| labels.matches(o) && fields.matches(o))
            .map(|(_, o)| o.clone())
            .collect();
        (items, inner.rv)
    }

    /// Creates an object (422 when invalid, 409 when it exists, 404 when its namespace does not).
    pub fn create(&self, res: &'static Resource, ns: &str, obj: Value) -> ApiResult<Value> {
        self.create_with(res, ns, obj, false)
    }

    /// [`Store::create`], or with `dry` (`dryRun=All`) every check and default without storing.
    pub fn create_with(
        &self,
        res: &'static Resource,
        ns: &str,
        mut obj: Value,
        dry: bool,
    ) -> ApiResult<Value> {
        let mut inner = self.lock();
        if !obj.is_object() {
            return Err(ApiError::bad_request("the body must be a JSON object"));
        }
        if obj.get("metadata").is_none_or(|m| !m.is_object()) {
            obj["metadata"] = json!({});
        }
        let mut name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
        if name.is_empty() {
            let Some(prefix) = obj["metadata"]["generateName"].as_str() else {
                return Err(ApiError::invalid(
                    res.kind,
                    "",
                    "metadata.name: Required value: name or generateName is required",
                ));
            };
            inner.uid_seq += 1;
            name = format!("{prefix}{:05x}", (inner.uid_seq * 7919) % 0xfffff);
        }
        // as the apiserver validates names: Services are DNS-1035 labels (a letter first),
        // namespaces DNS-1123 labels, the rest DNS-1123 subdomains
        if res.plural == "services" && !is_dns1035_label(&name) {
            return Err(ApiError::invalid(
                res.kind,
                &name,
                format!(
                    "metadata.name: Invalid value: \"{name}\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
                ),
            ));
        }
        let label_only = matches!(res.plural, "namespaces" | "services");
        if !(if label_only {
            is_dns_label(&name)
        } else {
            is_dns_subdomain(&name)
        }) {
            return Err(ApiError::invalid(
                res.kind,
                &name,
                format!(
                    "metadata.name: Invalid value: \"{name}\": a lowercase RFC 1123 {} must consist of lower case alphanumeric characters, '-' or '.'",
                    if label_only { "label" } else { "subdomain" }
                ),
            ));
        }
        if let Some(body_ns) = obj["metadata"]["namespace"].as_str()
            && res.namespaced
            && body_ns != ns
        {
            return Err(ApiError::bad_request(format!(
                "the namespace of the provided object ({body_ns}) does not match the namespace sent on the request ({ns})"
            )));
        }
        let nsk = ns_key(res, ns);
        if res.namespaced {
            let nskey = Key {
                plural: "namespaces",
                namespace: String::new(),
                name: ns.into(),
            };
            match inner.objects.get(&nskey) {
                None => return Err(ApiError::not_found("namespaces", ns)),
                Some(n) if n.pointer("/metadata/deletionTimestamp").is_some() => {
                    return Err(ApiError {
                        code: 403,
                        reason: "Forbidden",
                        message: format!(
                            "unable to create new content in namespace {ns} because it is being terminated"
                        ),
                        details: None,
                    });
                }
                _ => {}
            }
        }
        let key = Key {
            plural: res.plural,
            namespace: nsk.clone(),
            name: name.clone(),
        };
        if inner.objects.contains_key(&key) {
            return Err(ApiError::already_exists(res.plural, &name));
        }
        let md = obj["metadata"].as_object_mut().expect("object");
        md.insert("name".into(), json!(name));
        if res.namespaced {
            md.insert("namespace".into(), json!(ns));
        } else {
            md.remove("namespace");
        }
        md.insert("uid".into(), json!(uuid::Uuid::new_v4().to_string()));
        md.insert("creationTimestamp".into(), json!(now()));
        md.insert("generation".into(), json!(1));
        md.remove("deletionTimestamp");
        obj["apiVersion"] = json!(res.api_version());
        obj["kind"] = json!(res.kind);
        crate::defaults::on_create(res, &mut obj);
        if res.plural == "services" {
            if obj
                .pointer("/spec/clusterIP")
                .is_none_or(|ip| ip.is_null() || ip == "")
            {
                let ip = crate::defaults::cluster_ip(inner.services_except(&key));
                obj["spec"]["clusterIP"] = json!(ip);
                obj["spec"]["clusterIPs"] = json!([ip]);
            }
            crate::node_ports::assign(&name, &mut obj, None, inner.services_except(&key))?;
        }
        if dry {
            return Ok(obj);
        }
        inner.uid_seq += 1;
        self.emit(&mut inner, EventType::Added, res, &nsk, &mut obj);
        inner.objects.insert(key, obj.clone());
        Ok(obj)
    }

    /// Stores `new` as the next version of an existing object; the write targets the main part
    /// or the status. Bumps `generation` when the spec changed. Emits nothing if nothing changed.
    fn write(
        &self,
        inner: &mut Inner,
        res: &'static Resource,
        key: &Key,
        old: &Value,
        mut new: Value,
        target: Target,
    ) -> Value {
        // What a write may not change.
        for k in [
            "uid",
            "creationTimestamp",
            "namespace",
            "name",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
        ] {
            match old["metadata"].get(k) {
                Some(v) => new["metadata"][k] = v.clone(),
                None => {
                    if let Some(m) = new["metadata"].as_object_mut() {
                        m.remove(k);
                    }
                }
            }
        }
        new["apiVersion"] = json!(res.api_version());
        new["kind"] = json!(res.kind);
        if res.has_status {
            match target {
                Target::Main => match old.get("status") {
                    Some(s) => new["status"] = s.clone(),
                    None => {
                        if let Some(m) = new.as_object_mut() {
                            m.remove("status");
                        }
                    }
                },
                Target::Status => {
                    let status = new.get("status").cloned();
                    new = old.clone();
                    match status {
                        Some(s) => new["status"] = s,
                        None => {
                            new.as_object_mut().expect("object").remove("status");
                        }
                    }
                }
            }
        }
        let spec_changed = |a: &Value, b: &Value| {
            let strip = |v: &Value| {
                let mut v = v.clone();
                if let Some(m) = v.as_object_mut() {
                    m.remove("metadata");
                    m.remove("status");
                }
                v
            };
            strip(a) != strip(b)
        };
        let generation = old["metadata"]["generation"].as_i64().unwrap_or(1);
        new["metadata"]["generation"] =
            json!(if target == Target::Main && spec_changed(old, &new) {
                generation + 1
            } else {
                generation
            });
        let mut cmp_new = new.clone();
        cmp_new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
        if &cmp_new == old {
            return old.clone();
        }
        let nsk = key.namespace.clone();
        self.emit(inner, EventType::Modified, res, &nsk, &mut new);
        inner.objects.insert(key.clone(), new.clone());
        new
    }

    /// PUT: replaces an object; a stale `metadata.resourceVersion` is a 409.
    pub fn replace(
        &self,
        res: &'static Resource,
        ns: &str,
        name: &str,
        mut new: Value,
        target: Target,
    ) -> ApiResult<Value> {
        let mut inner = self.lock();
        let key = Key::of(res, ns, name);
        let old = inner.current(res, &key)?;
        if !new.is_object() {
            return Err(ApiError::bad_request("the body must be a JSON object"));
        }
        if let Some(body_name) = new.pointer("/metadata/name").and_then(Value::as_str)
            && body_name != name
        {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
        if let Some(rv) = new
            .pointer("/metadata/resourceVersion")
            .and_then(Value::as_str)
            && !rv.is_empty()
            && Some(rv)
                != old
                    .pointer("/metadata/resourceVersion")
                    .and_then(Value::as_str)
        {
            return Err(ApiError::conflict(res.plural, name));
        }
        if target == Target::Main {
            check_update(res, name, &old, &new, &inner)?;
            if res.plural == "services" {
                crate::node_ports::assign(name, &mut new, Some(&old), inner.services_except(&key))?;
            }
        }
        Ok(self.write(&mut inner, res, &key, &old, new, target))
    }

    /// PATCH: merge patch, or server-side apply (which creates the object when missing).
    #[allow(clippy::too_many_arguments)]
    pub fn patch(
        &self,
        res: &'static Resource,
        ns: &str,
        name: &str,
        kind: PatchKind,
        body: &Value,
        manager: &str,
        target: Target,
    ) -> ApiResult<Value> {
        self.patch_with(res, ns, name, kind, body, manager, target, false)
            .map(|(v, _)| v)
    }

    /// [`Store::patch`], telling whether the patch created the object (an apply of a missing
    /// one); with `dry` (`dryRun=All`), everything but storing the result.
    #[allow(clippy::too_many_arguments)]
    pub fn patch_with(
        &self,
        res: &'static Resource,
        ns: &str,
        name: &str,
        kind: PatchKind,
        body: &Value,
        manager: &str,
        target: Target,
        dry: bool,
    ) -> ApiResult<(Value, bool)> {
        if !body.is_object() {
            return Err(ApiError::bad_request("the patch must be a JSON object"));
        }
        let key = Key::of(res, ns, name);
        let existing = self.lock().objects.get(&key).cloned();
        match (kind, existing) {
            (PatchKind::Apply, None) => {
                if manager.is_empty() {
                    return Err(ApiError::bad_request(
                        "PATCH with apply-patch requires a fieldManager",
                    ));
                }
                let mut obj = patch::apply(None, body, manager, &res.api_version(), &now());
                obj["metadata"]["name"] = json!(name);
                self.create_with(res, ns, obj, dry).map(|v| (v, true))
            }
            (_, None) => Err(ApiError::not_found(res.plural, name)),
            (kind, Some(old)) => {
                if let Some(rv) = body
                    .pointer("/metadata/resourceVersion")
                    .and_then(Value::as_str)
                    && Some(rv)
                        != old
                            .pointer("/metadata/resourceVersion")
                            .and_then(Value::as_str)
                {
                    return Err(ApiError::conflict(res.plural, name));
                }
                let mut new = match kind {
                    PatchKind::Merge => {
                        let mut n = old.clone();
                        patch::merge(&mut n, body);
                        n
                    }
                    PatchKind::Apply => {
                        if manager.is_empty() {
                            return Err(ApiError::bad_request(
                                "PATCH with apply-patch requires a fieldManager",
                            ));
                        }
                        patch::apply(Some(&old), body, manager, &res.api_version(), &now())
                    }
                };
                let mut inner = self.lock();
                // re-read under the lock: the object may have changed meanwhile
                let current = inner.current(res, &key)?;
                if current["metadata"]["resourceVersion"] != old["metadata"]["resourceVersion"] {
                    drop(inner);
                    return self.patch_with(res, ns, name, kind, body, manager, target, dry);
                }
                if target == Target::Main {
                    check_update(res, name, &old, &new, &inner)?;
                    if res.plural == "services" {
                        crate::node_ports::assign(
                            name,
                            &mut new,
                            Some(&old),
                            inner.services_except(&key),
                        )?;
                    }
                }
                if dry {
                    return Ok((new, false));
                }
                Ok((self.write(&mut inner, res, &key, &old, new, target), false))
            }
        }
    }

    /// Changes an object in place (controllers: status updates). No-op changes emit nothing.
    pub fn mutate(
        &self,
        res: &'static Resource,
        ns: &str,
        name: &str,
        f: impl FnOnce(&mut Value),
    ) -> ApiResult<Value> {
        let mut inner = self.lock();
        let key = Key::of(res, ns, name);
        let old = inner.current(res, &key)?;
        let mut new = old.clone();
        f(&mut new);
        if new == old {
            return Ok(old);
        }
        let nsk = key.namespace.clone();
        self.emit(&mut inner, EventType::Modified, res, &nsk, &mut new);
        inner.objects.insert(key, new.clone());
        Ok(new)
    }

    /// DELETE. Pods with a grace period are only marked (`deletionTimestamp`): the kubelet stops
    /// their processes and then calls [`Store::remove`]; grace 0 removes them at once. Everything else goes at once, and its
    /// dependents (by ownerReferences) are deleted in turn. Returns the object as deleted.
    pub fn delete(
        &self,
        res: &'static Resource,
        ns: &str,
        name: &str,
        grace: Option<i64>,
    ) -> ApiResult<Value> {
        let obj = self.get(res, ns, name)?;
        if res.plural == "pods" {
            let grace = grace
                .or_else(|| {
                    obj.pointer("/spec/terminationGracePeriodSeconds")
                        .and_then(Value::as_i64)
                })
                .unwrap_or(30)
                .max(0);
            // As the apiserver: grace 0 is a force delete, the object goes at once (the kubelet
            // then kills what still runs); otherwise it is only marked, and the kubelet removes
            // it once its containers have stopped.
            if grace == 0 {
                return self.remove(res, ns, name);
            }
            if obj.pointer("/metadata/deletionTimestamp").is_some() {
                return Ok(obj);
            }
            return self.mutate(res, ns, name, |o| {
                o["metadata"]["deletionTimestamp"] = json!(now());
                o["metadata"]["deletionGracePeriodSeconds"] = json!(grace);
            });
        }
        if res.plural == "namespaces" {
            // Delete everything in it, then the namespace itself.
            let inside: Vec<Key> = self
                .lock()
                .objects
                .keys()
                .filter(|k| k.namespace == name)
                .cloned()
                .collect();
            for k in inside {
                if let Some(r) = RESOURCES.iter().find(|r| r.plural == k.plural) {
                    let _ = self.delete(r, &k.namespace, &k.name, grace);
                }
            }
        }
        self.remove(res, ns, name)
    }

    /// Removes an object now and deletes its dependents.
    pub fn remove(&self, res: &'static Resource, ns: &str, name: &str) -> ApiResult<Value> {
        let removed = {
            let mut inner = self.lock();
            let key = Key::of(res, ns, name);
            let mut obj = inner
                .objects
                .remove(&key)
                .ok_or_else(|| ApiError::not_found(res.plural, name))?;
            let nsk = key.namespace.clone();
            self.emit(&mut inner, EventType::Deleted, res, &nsk, &mut obj);
            obj
        };
        let uid = removed["metadata"]["uid"].clone();
        let dependents: Vec<Key> = self
            .lock()
            .objects
            .iter()
            .filter(|(_, o)| {
                o.pointer("/metadata/ownerReferences")
                    .and_then(Value::as_array)
                    .is_some_and(|refs| refs.iter().any(|r| r["uid"] == uid))
            })
            .map(|(k, _)| k.clone())
            .collect();
        for k in dependents {
            if let Some(r) = RESOURCES.iter().find(|r| r.plural == k.plural) {
                let _ = self.delete(r, &k.namespace, &k.name, None);
            }
        }
        Ok(removed)
    }

    /// The events after `rv` still in history, and a receiver for the ones to come. 410 when
    /// `rv` is older than the history.
    pub fn subscribe_from(&self, rv: u64) -> ApiResult<Subscription> {
        let inner = self.lock();
        let rx = self.tx.subscribe();
        if rv < inner.compacted {
            return Err(ApiError::expired(format!(
                "too old resource version: {rv} ({})",
                inner.compacted
            )));
        }
        if let Some(first) = inner.history.front()
            && rv + 1 < first.rv
            && inner.history.len() >= HISTORY
        {
            return Err(ApiError::expired(format!(
                "too old resource version: {rv} ({})",
                first.rv - 1
            )));
        }
        if rv > inner.rv {
            // a version from the future (e.g. before a restart of fakekube): start from now
            return Ok((Vec::new(), rx));
        }
        let past = inner
            .history
            .iter()
            .filter(|e| e.rv > rv)
            .cloned()
            .collect();
        Ok((past, rx))
    }

    /// Forgets the event history, as etcd's compaction does: a watch resumed from an earlier
    /// version is answered 410 Gone, and its client must list again.
    pub fn compact(&self) {
        let mut inner = self.lock();
        inner.compacted = inner.rv;
        inner.history.clear();
    }

    /// A receiver of every future change (controllers).
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.tx.subscribe()
    }

    /// Every object of a type across namespaces (controllers).
    pub fn all(&self, res: &'static Resource) -> Vec<Value> {
        self.list(
            res,
            None,
            &LabelSelector::default(),
            &FieldSelector::default(),
        )
        .0
    }
}

/// Gibibytes of a storage quantity (`10Gi`, `512Mi`, `1T`...), for comparisons.
pub(crate) fn storage_gib(q: &str) -> Option<f64> {
    let units = [
        ("Ki", 1.0 / 1024.0 / 1024.0),
        ("Mi", 1.0 / 1024.0),
        ("Gi", 1.0),
        ("Ti", 1024.0),
        ("k", 1e3 / 1073741824.0),
        ("M", 1e6 / 1073741824.0),
        ("G", 1e9 / 1073741824.0),
        ("T", 1e12 / 1073741824.0),
    ];
    let (num, scale) = units
        .iter()
        .find_map(|(u, s)| q.strip_suffix(u).map(|n| (n, *s)))
        .unwrap_or((q, 1.0 / 1073741824.0));
    Some(num.parse::<f64>().ok()? * scale)
}

/// The update rules of Kubernetes for the fields that cannot change, where the panel meets
/// them: a StatefulSet's spec beyond its template, replicas and a few more; a claim that
/// would shrink, or grow on a class that does not allow it (the `PersistentVolumeClaimResize`
/// admission plugin).
fn check_update(
    res: &Resource,
    name: &str,
    old: &Value,
    new: &Value,
    inner: &Inner,
) -> ApiResult<()> {
    match res.kind {
        "StatefulSet" => {
            let fixed = |v: &Value| {
                let mut s = v.get("spec").cloned().unwrap_or_else(|| json!({}));
                if let Some(o) = s.as_object_mut() {
                    for f in [
                        "replicas",
                        "ordinals",
                        "template",
                        "updateStrategy",
                        "persistentVolumeClaimRetentionPolicy",
                        "minReadySeconds",
                    ] {
                        o.remove(f);
                    }
                }
                s
            };
            if fixed(old) != fixed(new) {
                return Err(ApiError::invalid(
                    "StatefulSet",
                    name,
                    "spec: Forbidden: updates to statefulset spec for fields other than \
                     'replicas', 'ordinals', 'template', 'updateStrategy', \
                     'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
                ));
            }
        }
        "PersistentVolumeClaim" => {
            let size = |v: &Value| {
                v.pointer("/spec/resources/requests/storage")
                    .and_then(Value::as_str)
                    .and_then(storage_gib)
            };
            if let (Some(a), Some(b)) = (size(old), size(new))
                && b < a
            {
                return Err(ApiError::invalid(
                    "PersistentVolumeClaim",
                    name,
                    "spec.resources.requests.storage: Forbidden: field can not be less than \
                     previous value",
                ));
            }
            if let (Some(a), Some(b)) = (size(old), size(new))
                && b > a
            {
                let class = old["spec"]["storageClassName"].as_str().unwrap_or_default();
                let grows = inner
                    .objects
                    .get(&Key {
                        plural: "storageclasses",
                        namespace: String::new(),
                        name: class.to_string(),
                    })
                    .is_some_and(|sc| sc["allowVolumeExpansion"] == true);
                if !grows {
                    return Err(ApiError::forbidden(
                        "persistentvolumeclaims",
                        name,
                        "only dynamically provisioned pvc can be resized and the storageclass \
                         that provisions the pvc must support resize",
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}
