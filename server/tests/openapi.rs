//! The OpenAPI document: served to anyone, it describes exactly the registered endpoints, and
//! every reference in it resolves.

mod common;

use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::Value;

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_describes_every_endpoint_and_resolves() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/json");
    let doc = json(res).await;
    assert_eq!(doc["openapi"], "3.1.0");

    // exactly the registered server functions, each a POST
    let mut documented: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    documented.sort();
    let mut registered: Vec<String> = server::api::endpoints()
        .into_iter()
        .map(|(p, m)| {
            assert_eq!(m, http::Method::POST, "{p}");
            p.to_owned()
        })
        .collect();
    registered.sort();
    assert_eq!(documented, registered);
    for (path, item) in doc["paths"].as_object().unwrap() {
        let op = &item["post"];
        assert!(
            op["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{path} has a summary"
        );
        assert!(
            op["requestBody"]["content"]["application/json"]["schema"].is_object(),
            "{path}"
        );
        assert!(op["responses"]["200"].is_object(), "{path}");
        assert!(op["responses"]["401"].is_object(), "{path}");
    }

    // every reference names something in the document
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 50);
    for r in all {
        let pointer = r.strip_prefix('#').expect("a local reference");
        assert!(doc.pointer(pointer).is_some(), "{r} resolves");
    }

    // what a body looks like: login's arguments, the answer a user
    let login = &doc["paths"]["/api/login"]["post"];
    let body = &login["requestBody"]["content"]["application/json"]["schema"];
    let required: Vec<&str> = body["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, ["username", "password"]);
    assert!(body["properties"]["code"].is_object());
    let error = &doc["components"]["schemas"]["AppError"];
    assert!(error.to_string().contains("rate_limited"), "{error}");
}

/// The fuzzer's first find: a NUL in a string reached Postgres, which cannot store it in text,
/// and the change failed with a 500. Any string or key holding one is refused at the door.
#[tokio::test]
async fn a_nul_in_any_string_is_refused_at_the_door() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.setup_admin("root", "root-password-1").await.status(),
        StatusCode::OK
    );
    for (endpoint, body) in [
        ("world_delete", r#"{"object_name": "a\u0000b"}"#),
        ("login", r#"{"username": "root\u0000", "password": "x"}"#),
        (
            "plan_create",
            r#"{"slug": "s", "name": "N", "cpu_millis": 1000, "memory_mib": 1024, "disk_gib": 1, "x\u0000": 1}"#,
        ),
        (
            "user_update",
            r#"{"id": "00000000-0000-0000-0000-000000000000", "changes": {"email": ["\u0000"]}}"#,
        ),
    ] {
        let res = app
            .client
            .post(app.url(&format!("/api/{endpoint}")))
            .header("origin", &app.base)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{endpoint}");
        let body = json(res).await;
        assert!(body["message"].as_str().unwrap().contains("NUL"), "{body}");
    }
    // the six characters themselves, written as text, are just text
    let res = app
        .client
        .post(app.url("/api/world_delete"))
        .header("origin", &app.base)
        .header("content-type", "application/json")
        .body(r#"{"object_name": "a\\u0000b"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
