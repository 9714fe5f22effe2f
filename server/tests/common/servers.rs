//! Server helpers: template and plan ids, create, read, wait for a status, power.

use std::time::Duration;

use serde_json::{Value, json};

use super::{TestApp, json};

pub async fn ids(app: &TestApp, slug_template: &str, slug_plan: &str) -> (String, String) {
    let templates = json(app.call("templates", json!({})).await).await;
    let plans = json(app.call("plans", json!({})).await).await;
    let t = templates
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == slug_template)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let p = plans
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["slug"] == slug_plan)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    (t, p)
}

/// The `message` of an error answer.
pub async fn message(res: reqwest::Response) -> String {
    json(res).await["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Creates a server with default variables.
pub async fn create(app: &TestApp, name: &str, t: &str, p: &str) -> reqwest::Response {
    app.call(
        "server_create",
        json!({"name": name, "template_id": t, "plan_id": p, "variables": {}}),
    )
    .await
}

pub async fn server(app: &TestApp, id: &str) -> Value {
    json(app.call("server", json!({"id": id})).await).await
}

pub async fn wait_status(app: &TestApp, id: &str, want: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let s = server(app, id).await;
        if s["status"] == want {
            return s;
        }
        if tokio::time::Instant::now() >= deadline {
            let pod = app.fake.as_ref().and_then(|f| {
                let name = format!("{}-0", s["object_name"].as_str().unwrap_or_default());
                f.cluster
                    .store
                    .get(
                        fakekube::resources::by_kind("Pod"),
                        &app.config.namespace,
                        &name,
                    )
                    .ok()
            });
            panic!("timed out waiting for {want}; last {s}; its pod: {pod:?}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

pub async fn power(app: &TestApp, id: &str, action: &str) -> reqwest::Response {
    app.call("server_power", json!({"id": id, "action": action}))
        .await
}

/// The name of a server's Kubernetes objects (its pod is `<it>-0`, its claim `data-<it>-0`).
pub async fn object_name(app: &TestApp, id: &str) -> String {
    server(app, id).await["object_name"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The actions of a server's audit entries.
pub async fn audit_actions(app: &TestApp, id: &str) -> Vec<String> {
    let mut c = app.pool.get().await.unwrap();
    db::Audit::actions_for(&mut c, id.parse().unwrap())
        .await
        .unwrap()
        .into_iter()
        .map(|(a, _)| a)
        .collect()
}
