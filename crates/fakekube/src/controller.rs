//! The StatefulSet controller: pods `<name>-<i>` for `i < replicas` with their PVCs from
//! `volumeClaimTemplates` (which outlive the pods, as in Kubernetes), pods above the count
//! deleted gracefully, pods of an old template replaced, and the status kept current.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::broadcast;

use crate::resources::by_kind;
use crate::store::Store;

/// Reconciles every StatefulSet on each relevant change, until the store closes.
pub async fn run(store: Arc<Store>) {
    let mut rx = store.subscribe();
    reconcile_all(&store);
    loop {
        match rx.recv().await {
            Ok(e) => match e.res.plural {
                "statefulsets" => reconcile(
                    &store,
                    &e.namespace,
                    e.object["metadata"]["name"].as_str().unwrap_or_default(),
                ),
                "pods" | "persistentvolumeclaims" => {
                    for owner in e
                        .object
                        .pointer("/metadata/ownerReferences")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if owner["kind"] == "StatefulSet" {
                            reconcile(
                                &store,
                                &e.namespace,
                                owner["name"].as_str().unwrap_or_default(),
                            );
                        }
                    }
                }
                _ => {}
            },
            Err(broadcast::error::RecvError::Lagged(_)) => reconcile_all(&store),
            Err(_) => return,
        }
    }
}

fn reconcile_all(store: &Store) {
    for sts in store.all(by_kind("StatefulSet")) {
        let ns = sts["metadata"]["namespace"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        reconcile(
            store,
            &ns,
            sts["metadata"]["name"].as_str().unwrap_or_default(),
        );
    }
}

/// A short, stable hash of the pod template (the revision).
fn revision(name: &str, template: &Value) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in template.to_string().bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    format!("{name}-{:08x}", h as u32)
}

fn owned_by(obj: &Value, uid: &Value) -> bool {
    obj.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .is_some_and(|refs| refs.iter().any(|r| &r["uid"] == uid))
}

/// Whether a pod's `Ready` condition is true.
pub(crate) fn is_ready(pod: &Value) -> bool {
    pod.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter()
                .any(|c| c["type"] == "Ready" && c["status"] == "True")
        })
}

/// Makes one StatefulSet's pods and PVCs match its spec, and updates its status.
pub fn reconcile(store: &Store, ns: &str, name: &str) {
    let Ok(sts) = store.get(by_kind("StatefulSet"), ns, name) else {
        return;
    };
    let uid = sts["metadata"]["uid"].clone();
    let replicas = sts
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1)
        .max(0);
    let template = sts.pointer("/spec/template").cloned().unwrap_or(json!({}));
    let rev = revision(name, &template);
    let owner = json!([{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": name, "uid": uid,
                        "controller": true, "blockOwnerDeletion": true}]);
    let match_labels = sts
        .pointer("/spec/selector/matchLabels")
        .cloned()
        .unwrap_or(json!({}));
    let claims: Vec<Value> = sts
        .pointer("/spec/volumeClaimTemplates")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();

    let pods: Vec<Value> = store
        .all(by_kind("Pod"))
        .into_iter()
        .filter(|p| p["metadata"]["namespace"] == ns && owned_by(p, &uid))
        .collect();

    for i in 0..replicas {
        let pod_name = format!("{name}-{i}");
        let mut volumes: Vec<Value> = template
            .pointer("/spec/volumes")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for claim in &claims {
            let tpl = claim["metadata"]["name"].as_str().unwrap_or("data");
            let claim_name = format!("{tpl}-{pod_name}");
            if store
                .get(by_kind("PersistentVolumeClaim"), ns, &claim_name)
                .is_err()
            {
                let mut labels = match_labels.clone();
                if let Some(extra) = claim.pointer("/metadata/labels").and_then(Value::as_object) {
                    for (k, v) in extra {
                        labels[k] = v.clone();
                    }
                }
                let pvc = json!({"metadata": {"name": claim_name, "labels": labels,
                    "annotations": claim.pointer("/metadata/annotations").cloned().unwrap_or(json!({}))},
                    "spec": claim["spec"]});
                if let Err(e) = store.create(by_kind("PersistentVolumeClaim"), ns, pvc) {
                    tracing::warn!(error = %e, "could not create the PVC of a StatefulSet");
                }
            }
            volumes.retain(|v| v["name"] != tpl);
            volumes.push(json!({"name": tpl, "persistentVolumeClaim": {"claimName": claim_name}}));
        }
        match pods
            .iter()
            .find(|p| p["metadata"]["name"] == pod_name.as_str())
        {
            None => {
                let mut labels = template
                    .pointer("/metadata/labels")
                    .cloned()
                    .unwrap_or(json!({}));
                labels["statefulset.kubernetes.io/pod-name"] = json!(pod_name);
                labels["controller-revision-hash"] = json!(rev);
                labels["apps.kubernetes.io/pod-index"] = json!(i.to_string());
                let mut spec = template.get("spec").cloned().unwrap_or(json!({}));
                spec["volumes"] = json!(volumes);
                spec["hostname"] = json!(pod_name);
                if let Some(svc) = sts.pointer("/spec/serviceName").and_then(Value::as_str) {
                    spec["subdomain"] = json!(svc);
                }
                let pod = json!({"metadata": {"name": pod_name, "labels": labels,
                    "annotations": template.pointer("/metadata/annotations").cloned().unwrap_or(json!({})),
                    "ownerReferences": owner}, "spec": spec});
                if let Err(e) = store.create(by_kind("Pod"), ns, pod)
                    && e.code != 409
                {
                    tracing::warn!(error = %e, "could not create the pod of a StatefulSet");
                }
            }
            Some(p) => {
                let outdated = p
                    .pointer("/metadata/labels/controller-revision-hash")
                    .and_then(Value::as_str)
                    != Some(rev.as_str());
                if outdated && p.pointer("/metadata/deletionTimestamp").is_none() {
                    let _ = store.delete(by_kind("Pod"), ns, &pod_name, None);
                }
            }
        }
    }
    for p in &pods {
        let index = p["metadata"]["name"]
            .as_str()
            .and_then(|n| n.rsplit('-').next())
            .and_then(|i| i.parse::<i64>().ok())
            .unwrap_or(i64::MAX);
        if index >= replicas && p.pointer("/metadata/deletionTimestamp").is_none() {
            let _ = store.delete(
                by_kind("Pod"),
                ns,
                p["metadata"]["name"].as_str().unwrap_or_default(),
                None,
            );
        }
    }

    let pods: Vec<Value> = store
        .all(by_kind("Pod"))
        .into_iter()
        .filter(|p| p["metadata"]["namespace"] == ns && owned_by(p, &uid))
        .collect();
    let ready = pods.iter().filter(|p| is_ready(p)).count();
    let current = pods
        .iter()
        .filter(|p| {
            p.pointer("/metadata/labels/controller-revision-hash")
                .and_then(Value::as_str)
                == Some(rev.as_str())
        })
        .count();
    let generation = sts["metadata"]["generation"].clone();
    let _ = store.mutate(by_kind("StatefulSet"), ns, name, |s| {
        s["status"] = json!({
            "observedGeneration": generation, "replicas": pods.len(), "readyReplicas": ready,
            "availableReplicas": ready, "currentReplicas": current, "updatedReplicas": current,
            "currentRevision": rev, "updateRevision": rev, "collisionCount": 0,
        });
    });
}
