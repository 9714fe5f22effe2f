//! Server-side printing: `Table` answers for clients that ask for them (`kubectl get` sends
//! `Accept: application/json;as=Table;...`), with the columns kubectl shows for each kind.

use serde_json::{Value, json};

use crate::resources::Resource;

/// Whether the request asks for a Table.
pub fn wanted(accept: Option<&str>) -> bool {
    accept.is_some_and(|a| a.contains("as=Table"))
}

fn age(obj: &Value) -> String {
    let Some(ts) = obj
        .pointer("/metadata/creationTimestamp")
        .and_then(Value::as_str)
    else {
        return "<unknown>".into();
    };
    let Ok(t) = chrono::DateTime::parse_from_rfc3339(ts) else {
        return "<unknown>".into();
    };
    let s = (chrono::Utc::now() - t.with_timezone(&chrono::Utc))
        .num_seconds()
        .max(0);
    match s {
        0..120 => format!("{s}s"),
        120..7200 => format!("{}m", s / 60),
        7200..172_800 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86400),
    }
}

fn pod_status(p: &Value) -> String {
    if p.pointer("/metadata/deletionTimestamp").is_some() {
        return "Terminating".into();
    }
    if let Some(cs) = p.pointer("/status/containerStatuses/0/state") {
        if let Some(r) = cs.pointer("/waiting/reason").and_then(Value::as_str) {
            return r.into();
        }
        if let Some(r) = cs.pointer("/terminated/reason").and_then(Value::as_str) {
            return r.into();
        }
    }
    p.pointer("/status/phase")
        .and_then(Value::as_str)
        .unwrap_or("Pending")
        .into()
}

fn columns(res: &Resource) -> Vec<(&'static str, &'static str)> {
    match res.plural {
        "pods" => vec![
            ("Name", "string"),
            ("Ready", "string"),
            ("Status", "string"),
            ("Restarts", "string"),
            ("Age", "string"),
        ],
        "statefulsets" => vec![("Name", "string"), ("Ready", "string"), ("Age", "string")],
        "persistentvolumeclaims" => vec![
            ("Name", "string"),
            ("Status", "string"),
            ("Volume", "string"),
            ("Capacity", "string"),
            ("Access Modes", "string"),
            ("StorageClass", "string"),
            ("Age", "string"),
        ],
        "services" => vec![
            ("Name", "string"),
            ("Type", "string"),
            ("Cluster-IP", "string"),
            ("External-IP", "string"),
            ("Port(s)", "string"),
            ("Age", "string"),
        ],
        "namespaces" => vec![("Name", "string"), ("Status", "string"), ("Age", "string")],
        _ => vec![("Name", "string"), ("Age", "string")],
    }
}

fn cells(res: &Resource, o: &Value) -> Vec<Value> {
    let name = o.pointer("/metadata/name").cloned().unwrap_or(json!(""));
    let str_at = |p: &str| {
        o.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    match res.plural {
        "pods" => {
            let total = o
                .pointer("/spec/containers")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let statuses = o
                .pointer("/status/containerStatuses")
                .and_then(Value::as_array);
            let ready = statuses.map_or(0, |cs| cs.iter().filter(|c| c["ready"] == true).count());
            let restarts: i64 = statuses.map_or(0, |cs| {
                cs.iter().filter_map(|c| c["restartCount"].as_i64()).sum()
            });
            vec![
                name,
                json!(format!("{ready}/{total}")),
                json!(pod_status(o)),
                json!(restarts.to_string()),
                json!(age(o)),
            ]
        }
        "statefulsets" => {
            let ready = o
                .pointer("/status/readyReplicas")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            let want = o
                .pointer("/spec/replicas")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            vec![name, json!(format!("{ready}/{want}")), json!(age(o))]
        }
        "persistentvolumeclaims" => vec![
            name,
            json!(str_at("/status/phase")),
            json!(str_at("/spec/volumeName")),
            json!(str_at("/status/capacity/storage")),
            json!("RWO"),
            json!(str_at("/spec/storageClassName")),
            json!(age(o)),
        ],
        "services" => {
            let ports: Vec<String> = o
                .pointer("/spec/ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| format!("{}/{}", p["port"], p["protocol"].as_str().unwrap_or("TCP")))
                .collect();
            vec![
                name,
                json!(str_at("/spec/type")),
                json!(str_at("/spec/clusterIP")),
                json!("<none>"),
                json!(ports.join(",")),
                json!(age(o)),
            ]
        }
        "namespaces" => vec![name, json!(str_at("/status/phase")), json!(age(o))],
        _ => vec![name, json!(age(o))],
    }
}

/// A Table of `objects`.
pub fn table(res: &Resource, objects: &[Value], resource_version: Option<&str>) -> Value {
    let defs: Vec<Value> = columns(res)
        .into_iter()
        .map(|(n, t)| json!({"name": n, "type": t, "format": if n == "Name" { "name" } else { "" }, "description": n, "priority": 0}))
        .collect();
    let rows: Vec<Value> = objects
        .iter()
        .map(|o| {
            json!({"cells": cells(res, o), "object": {"kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1", "metadata": o["metadata"]}})
        })
        .collect();
    let mut meta = json!({});
    if let Some(rv) = resource_version {
        meta["resourceVersion"] = json!(rv);
    }
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta, "columnDefinitions": defs, "rows": rows})
}
