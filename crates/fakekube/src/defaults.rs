//! Defaults the API server fills in on create, as Kubernetes does for the fields the panel reads.

use serde_json::{Value, json};

use crate::resources::Resource;

/// The default StorageClass, made at start (claims without a class get it).
pub const STORAGE_CLASS: &str = "fakekube-local";

/// A free cluster IP for a new Service: 127.x.y.z with x in 128..=254, at random, none of
/// `others`'. On the loopback, so the node's proxy can serve it and a client on this machine
/// (mc-router) can dial it; many fakekubes share a test machine, hence at random. Pods take
/// their addresses from the same loopback at random too; the odds of a meeting are one in
/// eight million per pair, and a pod never takes an address where its ports are bound.
pub fn cluster_ip<'a>(others: impl Iterator<Item = &'a Value>) -> String {
    let taken: std::collections::HashSet<&str> = others
        .filter_map(|s| s.pointer("/spec/clusterIP").and_then(Value::as_str))
        .collect();
    loop {
        let [a, b, c, ..] = *uuid::Uuid::new_v4().as_bytes();
        let ip = format!("127.{}.{}.{}", 128 + u16::from(a) % 127, b, c.clamp(1, 254));
        if !taken.contains(ip.as_str()) {
            return ip;
        }
    }
}

/// Fills defaults into a new object of `res`.
pub fn on_create(res: &Resource, obj: &mut Value) {
    match res.plural {
        "namespaces" => {
            obj["spec"] = json!({"finalizers": ["kubernetes"]});
            obj["status"] = json!({"phase": "Active"});
        }
        "pods" => {
            let spec = &mut obj["spec"];
            default(spec, "restartPolicy", json!("Always"));
            default(spec, "terminationGracePeriodSeconds", json!(30));
            default(spec, "dnsPolicy", json!("ClusterFirst"));
            default(spec, "schedulerName", json!("default-scheduler"));
            spec["nodeName"] = json!("fakekube");
            obj["status"] = json!({"phase": "Pending", "qosClass": "Burstable"});
        }
        "services" => {
            let spec = &mut obj["spec"];
            default(spec, "type", json!("ClusterIP"));
            default(spec, "sessionAffinity", json!("None"));
            // the cluster IP is picked by the store ([`cluster_ip`]): it must be unique
            if let Some(ports) = spec.get_mut("ports").and_then(Value::as_array_mut) {
                for p in ports {
                    default(p, "protocol", json!("TCP"));
                    let port = p["port"].clone();
                    default(p, "targetPort", port);
                }
            }
            obj["status"] = json!({"loadBalancer": {}});
        }
        "persistentvolumeclaims" => {
            let storage = obj
                .pointer("/spec/resources/requests/storage")
                .cloned()
                .unwrap_or(json!("1Gi"));
            let modes = obj
                .pointer("/spec/accessModes")
                .cloned()
                .unwrap_or(json!(["ReadWriteOnce"]));
            let uid = obj["metadata"]["uid"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            default(&mut obj["spec"], "volumeMode", json!("Filesystem"));
            default(&mut obj["spec"], "storageClassName", json!(STORAGE_CLASS));
            obj["spec"]["volumeName"] = json!(format!("pvc-{uid}"));
            obj["status"] =
                json!({"phase": "Bound", "accessModes": modes, "capacity": {"storage": storage}});
        }
        "statefulsets" => {
            let spec = &mut obj["spec"];
            default(spec, "replicas", json!(1));
            default(spec, "podManagementPolicy", json!("OrderedReady"));
            default(spec, "revisionHistoryLimit", json!(10));
            default(
                spec,
                "updateStrategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}),
            );
            default(
                spec,
                "persistentVolumeClaimRetentionPolicy",
                json!({"whenDeleted": "Retain", "whenScaled": "Retain"}),
            );
            obj["status"] = json!({"replicas": 0, "availableReplicas": 0});
        }
        "secrets" => {
            default(obj, "type", json!("Opaque"));
            if let Some(Value::Object(plain)) =
                obj.as_object_mut().and_then(|o| o.remove("stringData"))
            {
                use base64::Engine;
                for (k, v) in plain {
                    let enc = base64::engine::general_purpose::STANDARD
                        .encode(v.as_str().unwrap_or_default());
                    obj["data"][k] = json!(enc);
                }
            }
        }
        _ => {}
    }
}

fn default(v: &mut Value, key: &str, value: Value) {
    if !v.is_object() {
        *v = json!({});
    }
    if v.get(key).is_none_or(Value::is_null) {
        v[key] = value;
    }
}
