//! `/openapi/v3`: the OpenAPI documents clients read to learn what the server accepts.
//!
//! fakekube has no schemas. Its documents list, for each served resource, its paths and a PATCH
//! operation that takes the `fieldValidation` query parameter, tagged with the resource's
//! group-version-kind. That is what kubectl reads (cli-runtime's `queryParamVerifierV3`) to
//! leave validation to the server, so `kubectl apply` works with its defaults; `kubectl explain`
//! finds no schema.

use serde_json::{Value, json};

use crate::resources::{RESOURCES, Resource};

/// The version in every `serverRelativeURL` (clients cache a document by it).
const HASH: &str = concat!("fakekube-", env!("CARGO_PKG_VERSION"));

/// The document's key in the root: `api/v1` or `apis/<group>/<version>`.
fn key(group: &str, version: &str) -> String {
    if group.is_empty() {
        format!("api/{version}")
    } else {
        format!("apis/{group}/{version}")
    }
}

/// The root document: one entry per served group version.
pub fn root() -> Value {
    let mut paths = serde_json::Map::new();
    for r in RESOURCES {
        let k = key(r.group, r.version);
        paths.entry(k.clone()).or_insert_with(
            || json!({"serverRelativeURL": format!("/openapi/v3/{k}?hash={HASH}")}),
        );
    }
    json!({ "paths": paths })
}

/// The document of one group version (`path` is `api/v1` or `apis/<group>/<version>`), or
/// None when nothing is served there.
pub fn group_version(path: &str) -> Option<Value> {
    let served: Vec<&Resource> = RESOURCES
        .iter()
        .filter(|r| key(r.group, r.version) == path)
        .collect();
    if served.is_empty() {
        return None;
    }
    let mut paths = serde_json::Map::new();
    for r in served {
        let base = if r.namespaced {
            format!("/{path}/namespaces/{{namespace}}/{}", r.plural)
        } else {
            format!("/{path}/{}", r.plural)
        };
        let gvk = json!({"group": r.group, "version": r.version, "kind": r.kind});
        let params = json!([
            {"name": "fieldValidation", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
            {"name": "fieldManager", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
            {"name": "dryRun", "in": "query", "schema": {"type": "string", "uniqueItems": true}},
        ]);
        let op = |verb: &str| {
            json!({
                "operationId": format!("{verb}{}", r.kind),
                "x-kubernetes-action": verb,
                "x-kubernetes-group-version-kind": gvk,
                "parameters": params,
                "responses": {"200": {"description": "OK"}},
            })
        };
        paths.insert(base.clone(), json!({"get": op("list"), "post": op("post")}));
        paths.insert(
            format!("{base}/{{name}}"),
            json!({"get": op("get"), "put": op("put"), "patch": op("patch"), "delete": op("delete")}),
        );
    }
    Some(json!({
        "openapi": "3.0.0",
        "info": {"title": "fakekube", "version": HASH},
        "paths": paths,
        "components": {"schemas": {}},
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resource_has_a_patch_that_takes_field_validation() {
        let root = root();
        for r in RESOURCES {
            let k = key(r.group, r.version);
            let url = root["paths"][&k]["serverRelativeURL"].as_str().unwrap();
            assert!(url.starts_with(&format!("/openapi/v3/{k}?hash=")), "{url}");
            let doc = group_version(&k).unwrap();
            let patch = doc["paths"]
                .as_object()
                .unwrap()
                .values()
                .filter_map(|p| p.get("patch"))
                .find(|op| op["x-kubernetes-group-version-kind"]["kind"] == r.kind)
                .unwrap_or_else(|| panic!("no patch for {}", r.kind));
            assert!(
                patch["parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["name"] == "fieldValidation" && p["in"] == "query")
            );
        }
        assert!(group_version("apis/nope/v1").is_none());
    }
}
