//! Patches: JSON merge patch (RFC 7386; strategic merge is treated the same), and a faithful
//! subset of server-side apply: per field manager, the fields it applied last time and leaves
//! out now are removed, then its configuration is merged in.

use serde_json::{Map, Value};

/// Applies an RFC 7386 merge patch to `target` (`null` removes a field; arrays are replaced).
pub fn merge(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            let t = target.as_object_mut().expect("object");
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        other => *target = other.clone(),
    }
}

/// The set of field paths an applied configuration names, in the `fieldsV1` shape
/// (`{"f:spec": {"f:replicas": {}}}`); lists count as one field.
pub fn fields_of(config: &Value) -> Value {
    match config {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "apiVersion" | "kind"))
                .filter(|(k, _)| {
                    // name/namespace identify the object; they are never "owned" away
                    !matches!(k.as_str(), "name" | "namespace" | "resourceVersion" | "uid")
                })
                .map(|(k, v)| (format!("f:{k}"), fields_of(v)))
                .collect(),
        ),
        _ => Value::Object(Map::new()),
    }
}

/// Removes from `target` the fields in `old` that are not in `new` (both `fieldsV1` sets).
pub fn remove_dropped(target: &mut Value, old: &Value, new: &Value) {
    let (Some(old), Some(t)) = (old.as_object(), target.as_object_mut()) else {
        return;
    };
    let empty = Map::new();
    let new = new.as_object().unwrap_or(&empty);
    for (fk, sub_old) in old {
        let Some(key) = fk.strip_prefix("f:") else {
            continue;
        };
        match new.get(fk) {
            None => {
                t.remove(key);
            }
            Some(sub_new) => {
                if let Some(child) = t.get_mut(key) {
                    remove_dropped(child, sub_old, sub_new);
                }
            }
        }
    }
}

/// Server-side apply of `config` by `manager` onto `current` (or onto nothing, for a create).
/// Returns the new object; `managedFields` records what each manager applied.
pub fn apply(
    current: Option<&Value>,
    config: &Value,
    manager: &str,
    api_version: &str,
    now: &str,
) -> Value {
    let mut obj = current
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    let new_fields = fields_of(config);
    let mut managed: Vec<Value> = obj
        .pointer("/metadata/managedFields")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Some(prev) = managed
        .iter()
        .find(|m| m["manager"] == manager && m["operation"] == "Apply")
    {
        let old_fields = prev["fieldsV1"].clone();
        remove_dropped(&mut obj, &old_fields, &new_fields);
    }
    let mut cfg = config.clone();
    // The applier cannot set server-owned metadata.
    if let Some(md) = cfg.get_mut("metadata").and_then(Value::as_object_mut) {
        for k in [
            "managedFields",
            "resourceVersion",
            "uid",
            "creationTimestamp",
            "generation",
        ] {
            md.remove(k);
        }
    }
    merge(&mut obj, &cfg);
    managed.retain(|m| !(m["manager"] == manager && m["operation"] == "Apply"));
    managed.push(serde_json::json!({
        "manager": manager, "operation": "Apply", "apiVersion": api_version,
        "time": now, "fieldsType": "FieldsV1", "fieldsV1": new_fields,
    }));
    obj["metadata"]["managedFields"] = Value::Array(managed);
    obj
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc7386() {
        let mut t = json!({"a": "b", "c": {"d": "e", "f": "g"}, "l": [1, 2]});
        merge(&mut t, &json!({"a": "z", "c": {"f": null}, "l": [3]}));
        assert_eq!(t, json!({"a": "z", "c": {"d": "e"}, "l": [3]}));
    }

    #[test]
    fn apply_removes_fields_the_manager_dropped_and_keeps_others() {
        let first = apply(
            None,
            &json!({"metadata": {"name": "x", "labels": {"a": "1", "b": "2"}}, "spec": {"replicas": 1}}),
            "panel",
            "apps/v1",
            "t",
        );
        // another writer adds a label the panel never applied
        let mut obj = first.clone();
        obj["metadata"]["labels"]["other"] = json!("keep");
        let second = apply(
            Some(&obj),
            &json!({"metadata": {"name": "x", "labels": {"a": "1"}}, "spec": {"replicas": 0}}),
            "panel",
            "apps/v1",
            "t",
        );
        assert_eq!(
            second["metadata"]["labels"],
            json!({"a": "1", "other": "keep"})
        );
        assert_eq!(second["spec"]["replicas"], 0);
        assert_eq!(second["metadata"]["name"], "x");
        let managed = second["metadata"]["managedFields"].as_array().unwrap();
        assert_eq!(managed.len(), 1);
        assert_eq!(managed[0]["manager"], "panel");
    }
}
