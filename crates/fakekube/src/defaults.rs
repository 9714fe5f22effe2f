//! Defaults the API server fills in on create, as Kubernetes does for the fields the panel reads.

use serde_json::{Value, json};

use crate::resources::Resource;

/// The default StorageClass, made at start (claims without a class get it).
pub const STORAGE_CLASS: &str = "fakekube-local";

/// Fills defaults into a new object of `res`. `seq` makes cluster IPs unique.
pub fn on_create(res: &Resource, obj: &mut Value, seq: u64) {
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
            if spec.get("clusterIP").is_none_or(Value::is_null) {
                let n = seq % 65000 + 10;
                let ip = format!("10.96.{}.{}", n / 250, n % 250 + 1);
                spec["clusterIP"] = json!(ip);
                spec["clusterIPs"] = json!([ip]);
            }
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
