//! Game versions from live lists (Mojang, Paper's Fill v3, Purpur, Fabric; answered on loopback
//! from recorded shapes, `tests/fixtures/versions`), and the backup made before a server's
//! version changes.

mod common;

use common::external::FakeApis;
use common::servers::{create, ids, wait_status};
use common::{TestApp, json, s3};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";
const SUITE: &str = "panel versions";

both!(
    SUITE,
    a_stopped_server_changes_type_keeping_what_fits,
    |c: &mut server::Config| {
        crate::common::external::FakeApis::configure(c);
        c.backup_repository = Some(crate::common::s3::repository_on(
            crate::common::s3::free_port(),
        ));
    }
);

async fn server_of(app: &TestApp, template: &str, name: &str) -> String {
    let (t, p) = ids(app, template, "small").await;
    let made = json(create(app, name, &t, &p).await).await;
    made["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{name}: {made}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_type_lists_the_releases_of_who_publishes_its_jar() {
    let app = TestApp::spawn_with(FakeApis::configure).await;
    app.setup_admin("admin", PASSWORD).await;
    {
        // one server of each type: more than the default quota
        use diesel_async::RunQueryDsl;
        let mut c = app.pool.get().await.unwrap();
        diesel::sql_query(
            "UPDATE users SET max_servers = 10, max_memory_mib = 65536, max_disk_gib = 1000",
        )
        .execute(&mut c)
        .await
        .unwrap();
    }
    for (template, source, versions, latest) in [
        (
            "vanilla",
            "Mojang",
            vec!["1.21.4", "1.21.3", "1.20.6"],
            "1.21.4",
        ),
        (
            "forge",
            "Mojang",
            vec!["1.21.4", "1.21.3", "1.20.6"],
            "1.21.4",
        ),
        (
            "paper",
            "Paper",
            vec!["1.21.4", "1.21.3", "1.21.1", "1.20.6", "1.20.4"],
            "1.21.4",
        ),
        (
            "purpur",
            "Purpur",
            vec!["1.21.4", "1.21.3", "1.21.1", "1.21", "1.20.6", "1.14.1"],
            "1.21.4",
        ),
        (
            "fabric",
            "Fabric",
            vec!["1.21.4", "1.21.3", "1.20.6"],
            "1.21.4",
        ),
    ] {
        let id = server_of(&app, template, template).await;
        let res = app.call("game_versions", json!({"id": id})).await;
        assert_eq!(res.status(), StatusCode::OK, "{template}");
        let list = json(res).await;
        assert_eq!(list["source"], source);
        assert_eq!(
            list["versions"],
            json!(versions),
            "{template}: releases, newest first"
        );
        assert_eq!(list["latest"], latest);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_list_is_a_clear_error() {
    // the tests' default: every list on a port nobody listens on
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let id = server_of(&app, "vanilla", "offline").await;
    let res = app.call("game_versions", json!({"id": id})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body = json(res).await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("The version list could not be read"),
        "{body}"
    );
}

async fn backups_named(app: &TestApp, id: &str) -> Vec<String> {
    json(app.call("backups", json!({"id": id})).await).await["backups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_change_backs_the_world_up_first() {
    // a repository nobody listens on: the backup starts (and fails later); what matters here is
    // that it started before the change was taken
    let app = TestApp::spawn_with(|c| {
        FakeApis::configure(c);
        c.backup_repository = Some(s3::repository_on(s3::free_port()));
    })
    .await;
    app.put_secret("panel-backups", &s3::secret()).await;
    app.setup_admin("admin", PASSWORD).await;
    let id = server_of(&app, "vanilla", "upgraded").await;
    wait_status(&app, &id, "running").await;

    // other settings: no backup
    let res = app
        .call(
            "server_settings",
            json!({"id": id, "variables": {"MOTD": "Same version"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(backups_named(&app, &id).await.is_empty());

    let res = app
        .call(
            "server_settings",
            json!({"id": id, "variables": {"MOTD": "Same version", "VERSION": "1.21.3"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let saved: Value = json(res).await;
    assert_eq!(saved["pending_variables"]["VERSION"], "1.21.3");
    assert_eq!(backups_named(&app, &id).await, ["Before version 1.21.3"]);

    // a plan that keeps no backups changes versions without one
    {
        use diesel_async::RunQueryDsl;
        let mut c = app.pool.get().await.unwrap();
        diesel::sql_query("UPDATE plans SET max_backups = 0")
            .execute(&mut c)
            .await
            .unwrap();
    }
    let res = app
        .call(
            "server_settings",
            json!({"id": id, "variables": {"MOTD": "Same version", "VERSION": "1.21.4"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(backups_named(&app, &id).await.len(), 1);
}

/// A type change (another template): only while stopped, the values the new type takes kept
/// (others take its defaults), a value it needs given by the caller, the world backed up first,
/// and the new type is what the next start runs. Refusals change nothing.
async fn a_stopped_server_changes_type_keeping_what_fits(app: TestApp) {
    app.put_secret("panel-backups", &s3::secret()).await;
    app.setup_admin("admin", PASSWORD).await;
    let (paper, p) = ids(&app, "paper", "small").await;
    let (purpur, _) = ids(&app, "purpur", "small").await;
    let (modpack, _) = ids(&app, "modpack", "small").await;
    let res = app
        .call(
            "server_create",
            json!({"name": "typed", "template_id": paper, "plan_id": p,
                "variables": {"VERSION": "1.21.3", "MOTD": "Kept", "SPIGET_RESOURCES": "28140"}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let id = json(res).await["id"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;

    // running: refused
    let change = |template: &str, variables: Value| json!({"id": id, "template_id": template, "variables": variables});
    let res = app
        .call("server_template", change(&purpur, Value::Null))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        common::servers::message(res)
            .await
            .contains("Stop the server first")
    );
    common::servers::power(&app, &id, "stop").await;
    wait_status(&app, &id, "stopped").await;

    // its own type, an unknown one, a type needing a value not given: refused
    for (template, status) in [
        (paper.clone(), StatusCode::BAD_REQUEST),
        (uuid::Uuid::new_v4().to_string(), StatusCode::BAD_REQUEST),
        (modpack.clone(), StatusCode::BAD_REQUEST),
    ] {
        let res = app
            .call("server_template", change(&template, Value::Null))
            .await;
        assert_eq!(res.status(), status, "{template}");
    }
    assert!(backups_named(&app, &id).await.is_empty(), "nothing changed");

    let res = app
        .call("server_template", change(&purpur, Value::Null))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let server: Value = json(res).await;
    assert_eq!(server["template_id"], purpur.as_str());
    assert_eq!(server["template"], "Purpur");
    assert_eq!(server["variables"]["VERSION"], "1.21.3");
    assert_eq!(server["variables"]["MOTD"], "Kept");
    assert_eq!(server["variables"]["SPIGET_RESOURCES"], "28140");
    assert_eq!(backups_named(&app, &id).await, ["Before type Purpur"]);

    // the next start runs the new type (once the backup before it ended: a job holds the
    // world while it runs)
    let backups_end = || async {
        for _ in 0..240 {
            let list = json(app.call("backups", json!({"id": id})).await).await;
            let list = list["backups"].as_array().unwrap().clone();
            if list.iter().all(|b| b["state"] != "running") {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        panic!("the backup never ended");
    };
    backups_end().await;
    let res = common::servers::power(&app, &id, "start").await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    wait_status(&app, &id, "running").await;
    let object = common::servers::object_name(&app, &id).await;
    let sts = app.object("StatefulSet", &object).await.unwrap();
    let env = sts["spec"]["template"]["spec"]["containers"][0]["env"].clone();
    assert!(
        env.as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "TYPE" && e["value"] == "PURPUR"),
        "{env}"
    );
    common::servers::power(&app, &id, "stop").await;
    wait_status(&app, &id, "stopped").await;

    backups_end().await;
    // to a modpack, with the pack it needs; the values it has no variable for go
    let res = app
        .call(
            "server_template",
            change(&modpack, json!({"MODRINTH_MODPACK": "cobblemon-fabric"})),
        )
        .await;
    let status = res.status();
    let server: Value = json(res).await;
    assert_eq!(status, StatusCode::OK, "{server}");
    assert_eq!(server["variables"]["MODRINTH_MODPACK"], "cobblemon-fabric");
    assert_eq!(server["variables"]["MOTD"], "Kept");
    assert_eq!(server["variables"].get("VERSION"), None);
}
