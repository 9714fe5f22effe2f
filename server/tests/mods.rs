//! Mods and plugins from Modrinth, end to end: the JSON API, a real Postgres, fakekube (or the
//! real control plane) running mcsim, and Modrinth's API answered on loopback from recorded
//! shapes (`tests/fixtures/modrinth`, see its README; the real API cannot be reached from
//! here). Search and versions follow the server's loader and game version; a declarative
//! template keeps `MODRINTH_PROJECTS`; another gets the file itself, checked against its
//! SHA-512. Incompatible, unlisted and malformed choices are refused with the reason and change
//! nothing; Modrinth's rate limit reaches the user as such.

mod common;

use common::external::FakeApis;
use common::servers::{audit_actions, ids, message, wait_status};
use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";
const SUITE: &str = "panel mods";

async fn with_modrinth() -> TestApp {
    let app = TestApp::spawn_with(FakeApis::configure).await;
    app.setup_admin("admin", PASSWORD).await;
    app
}

async fn fabric_server(app: &TestApp, name: &str, template: &str, version: &str) -> String {
    let (t, p) = ids(app, template, "small").await;
    let res = app
        .call(
            "server_create",
            json!({"name": name, "template_id": t, "plan_id": p,
                "variables": {"VERSION": version}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    json(res).await["id"].as_str().unwrap().to_string()
}

async fn call_ok(app: &TestApp, endpoint: &str, body: Value) -> Value {
    let res = app.call(endpoint, body.clone()).await;
    let status = res.status();
    let v = json(res).await;
    assert_eq!(status, StatusCode::OK, "{endpoint} {body}: {v}");
    v
}

/// The ids of the versions of `project` that fit the server, as the panel lists them.
async fn version_ids(app: &TestApp, id: &str, project: &str) -> Vec<String> {
    let versions = call_ok(app, "mod_versions", json!({"id": id, "project": project})).await;
    versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect()
}

fn slugs(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["slug"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fabric_server_lists_its_mods_in_modrinth_projects() {
    let app = with_modrinth().await;
    let id = fabric_server(&app, "modded", "fabric", "1.21.4").await;

    let mods = call_ok(&app, "mods", json!({"id": id})).await;
    assert_eq!(mods["context"]["loaders"], json!(["fabric"]));
    assert_eq!(mods["context"]["game_version"], "1.21.4");
    assert_eq!(mods["context"]["install"]["way"], "declarative");
    assert_eq!(mods["installed"], json!([]));

    // search and versions fit the server: Fabric, 1.21.4
    let found = call_ok(&app, "mod_search", json!({"id": id, "query": ""})).await;
    assert_eq!(
        slugs(&found),
        ["fabric-api", "lithium", "chunky", "tampered"]
    );
    let found = call_ok(&app, "mod_search", json!({"id": id, "query": "lith"})).await;
    assert_eq!(slugs(&found), ["lithium"]);
    let ids = version_ids(&app, &id, "lithium").await;
    assert_eq!(ids, ["LiTh1214"], "only Fabric 1.21.4");

    // install: the newest that fits, pinned in the variable
    let mods = call_ok(&app, "mod_install", json!({"id": id, "project": "lithium"})).await;
    assert_eq!(mods["installed"][0]["project"], "lithium");
    assert_eq!(mods["installed"][0]["version_id"], "LiTh1214");
    let server = call_ok(&app, "server", json!({"id": id})).await;
    let projects = server["pending_variables"]["MODRINTH_PROJECTS"]
        .as_str()
        .or(server["variables"]["MODRINTH_PROJECTS"].as_str())
        .unwrap()
        .to_string();
    assert_eq!(projects, "lithium:LiTh1214");

    // refusals, with the reason, that change nothing
    for (body, status, says) in [
        (
            json!({"id": id, "project": "lithium", "version": "LiTh1213"}),
            StatusCode::BAD_REQUEST,
            "runs on fabric 1.21.3, not on this server (fabric 1.21.4)",
        ),
        (
            json!({"id": id, "project": "lithium", "version": "LiNeo214"}),
            StatusCode::BAD_REQUEST,
            "runs on neoforge 1.21.4",
        ),
        (
            json!({"id": id, "project": "lithium", "version": "NoSuch12"}),
            StatusCode::BAD_REQUEST,
            "does not list the version NoSuch12",
        ),
        (
            json!({"id": id, "project": "../../etc"}),
            StatusCode::BAD_REQUEST,
            "letters, digits",
        ),
        (
            json!({"id": id, "project": "lithium", "version": "a/b"}),
            StatusCode::BAD_REQUEST,
            "letters, digits",
        ),
        (
            json!({"id": id, "project": "no-such-project"}),
            StatusCode::NOT_FOUND,
            "no such project",
        ),
    ] {
        let res = app.call("mod_install", body.clone()).await;
        assert_eq!(res.status(), status, "{body}");
        let m = message(res).await;
        assert!(m.contains(says), "{body}: {m}");
    }
    let mods = call_ok(&app, "mods", json!({"id": id})).await;
    assert_eq!(mods["installed"].as_array().unwrap().len(), 1);

    // Modrinth's rate limit reaches the user as such
    let res = app
        .call("mod_search", json!({"id": id, "query": "ratelimited"}))
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let body = json(res).await;
    assert_eq!(body["retry_after_secs"], 17);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("try again in 17 seconds")
    );

    // a second mod, then removal
    call_ok(&app, "mod_install", json!({"id": id, "project": "chunky"})).await;
    let mods = call_ok(&app, "mod_remove", json!({"id": id, "project": "lithium"})).await;
    assert_eq!(mods["installed"][0]["project"], "chunky");
    assert_eq!(mods["installed"][0]["version_id"], "ChunkY27");
    let res = app
        .call("mod_remove", json!({"id": id, "project": "lithium"}))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // the image is told which to install, with their dependencies, at the next start
    wait_status(&app, &id, "running").await;
    let res = app
        .call("server_power", json!({"id": id, "action": "restart"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let server = call_ok(&app, "server", json!({"id": id})).await;
    assert_eq!(server["variables"]["MODRINTH_PROJECTS"], "chunky:ChunkY27");

    let names = audit_actions(&app, &id).await;
    assert!(names.iter().any(|n| n == "mod.install") && names.iter().any(|n| n == "mod.remove"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_show_for_pinned_versions_and_latest_means_the_newest_release() {
    let app = with_modrinth().await;
    let id = fabric_server(&app, "latest", "fabric", "LATEST").await;
    // LATEST runs Fabric's newest stable game version now
    let mods = call_ok(&app, "mods", json!({"id": id})).await;
    assert_eq!(mods["context"]["game_version"], "1.21.4");
    let ids = version_ids(&app, &id, "fabric-api").await;
    assert_eq!(ids, ["Qb8cYefG", "Qa7bXdeD"], "1.21.4's, newest first");
    let mods = call_ok(
        &app,
        "mod_install",
        json!({"id": id, "project": "fabric-api", "version": "Qa7bXdeD"}),
    )
    .await;
    assert_eq!(mods["installed"][0]["update"], "0.114.2+1.21.4");
    let mods = call_ok(
        &app,
        "mod_install",
        json!({"id": id, "project": "fabric-api"}),
    )
    .await;
    assert_eq!(mods["installed"][0]["version_id"], "Qb8cYefG");
    assert_eq!(mods["installed"][0]["update"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_without_a_loader_has_no_mods() {
    let app = with_modrinth().await;
    let id = fabric_server(&app, "plain", "vanilla", "1.21.4").await;
    for endpoint in ["mods", "mod_search"] {
        let res = app.call(endpoint, json!({"id": id, "query": "x"})).await;
        assert_eq!(res.status(), StatusCode::CONFLICT);
        assert!(message(res).await.contains("no mod loader"));
    }
}

/// Plugins from SpigotMC (through Spiget) on a Paper server: listed in `SPIGET_RESOURCES` by
/// number, found by name, shown by name; premium, externally hosted, unknown and malformed
/// resources, a chosen version and a server that takes none are refused and change nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plugins_from_spigotmc_are_listed_in_spiget_resources() {
    let app = with_modrinth().await;
    let id = fabric_server(&app, "plugins", "paper", "1.21.4").await;
    let mods = call_ok(&app, "mods", json!({"id": id})).await;
    assert_eq!(mods["context"]["sources"], json!(["modrinth", "spiget"]));

    // the search: free resources SpigotMC hosts, most downloaded first
    let found = call_ok(
        &app,
        "mod_search",
        json!({"id": id, "query": "", "source": "spiget"}),
    )
    .await;
    assert_eq!(slugs(&found), ["6245", "28140"], "{found}");
    assert_eq!(found["hits"][1]["title"], "LuckPerms");
    assert_eq!(found["hits"][1]["source"], "spiget");
    assert_eq!(found["hits"][1]["tested_versions"], json!(["1.20", "1.21"]));
    for (query, want) in [
        ("luck", vec!["28140"]),
        ("nothing like it", vec![]),
        ("..", vec!["6245", "28140"]),
    ] {
        let found = call_ok(
            &app,
            "mod_search",
            json!({"id": id, "query": query, "source": "spiget"}),
        )
        .await;
        assert_eq!(slugs(&found), want, "{query}: {found}");
    }
    let versions = call_ok(
        &app,
        "mod_versions",
        json!({"id": id, "project": "28140", "source": "spiget"}),
    )
    .await;
    assert_eq!(versions[0]["version_number"], "5.4.145", "{versions}");

    let mods = call_ok(
        &app,
        "mod_install",
        json!({"id": id, "project": "28140", "source": "spiget"}),
    )
    .await;
    let spigot: Vec<&Value> = mods["installed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["source"] == "spiget")
        .collect();
    assert_eq!(spigot.len(), 1, "{mods}");
    assert_eq!(spigot[0]["project"], "28140");
    assert_eq!(spigot[0]["title"], "LuckPerms");
    let variables = |s: &Value| {
        s["pending_variables"]
            .as_object()
            .or(s["variables"].as_object())
            .cloned()
            .unwrap()
    };
    let server = call_ok(&app, "server", json!({"id": id})).await;
    assert_eq!(variables(&server)["SPIGET_RESOURCES"], "28140");

    // refused, with the reason, and nothing changes
    for (body, status, says) in [
        (
            json!({"project": "9089"}),
            StatusCode::BAD_REQUEST,
            "links to another site",
        ),
        (
            json!({"project": "99999"}),
            StatusCode::BAD_REQUEST,
            "premium",
        ),
        (
            json!({"project": "12345"}),
            StatusCode::NOT_FOUND,
            "no such resource",
        ),
        (
            json!({"project": "luckperms"}),
            StatusCode::BAD_REQUEST,
            "its number",
        ),
        (
            json!({"project": "../28140"}),
            StatusCode::BAD_REQUEST,
            "its number",
        ),
        (
            json!({"project": "28140", "version": "581234"}),
            StatusCode::BAD_REQUEST,
            "newest version",
        ),
    ] {
        let mut body = body;
        body["id"] = json!(id);
        body["source"] = json!("spiget");
        let res = app.call("mod_install", body.clone()).await;
        assert_eq!(res.status(), status, "{body}");
        let said = message(res).await;
        assert!(said.contains(says), "{body}: {said}");
    }
    let res = app
        .call(
            "mod_search",
            json!({"id": id, "query": "x", "source": "curseforge"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let server = call_ok(&app, "server", json!({"id": id})).await;
    assert_eq!(variables(&server)["SPIGET_RESOURCES"], "28140");

    // a Fabric server takes nothing from SpigotMC
    let fabric = fabric_server(&app, "modded", "fabric", "1.21.4").await;
    let res = app
        .call(
            "mod_install",
            json!({"id": fabric, "project": "28140", "source": "spiget"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(message(res).await.contains("takes nothing from SpigotMC"));

    // removed from the list (its file, if the image fetched it, stays for the owner to delete)
    let mods = call_ok(
        &app,
        "mod_remove",
        json!({"id": id, "project": "28140", "source": "spiget"}),
    )
    .await;
    assert!(
        mods["installed"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["source"] != "spiget")
    );
    let res = app
        .call(
            "mod_remove",
            json!({"id": id, "project": "28140", "source": "spiget"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let actions = audit_actions(&app, &id).await;
    assert!(
        actions.iter().filter(|a| *a == "mod.install").count() >= 2,
        "{actions:?}"
    );
}

/// A modpack server (`TYPE=MODRINTH`): it runs one pack, named in `MODRINTH_MODPACK` and pinned
/// in `MODRINTH_VERSION`; the search finds packs (not mods), choosing another version backs the
/// world up first, a mod is refused as a pack (and a pack as a mod elsewhere), and the pack
/// cannot be removed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_modpack_server_runs_the_pack_it_is_given_and_is_backed_up_before_another() {
    let repo = std::env::temp_dir().join(format!("panel-modpack-repo-{}", uuid::Uuid::new_v4()));
    let app = TestApp::spawn_with(|c| {
        FakeApis::configure(c);
        c.backup_repository = Some(repo.display().to_string());
    })
    .await;
    app.put_secret("panel-backups", &[("RESTIC_PASSWORD", "modpack")])
        .await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "modpack", "small").await;
    // the pack is asked for at creation
    let res = app
        .call(
            "server_create",
            json!({"name": "pack", "template_id": t, "plan_id": p, "variables": {}}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let id = call_ok(
        &app,
        "server_create",
        json!({"name": "pack", "template_id": t, "plan_id": p,
            "variables": {"MODRINTH_MODPACK": "cobblemon-fabric"}}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();

    let mods = call_ok(&app, "mods", json!({"id": id})).await;
    assert_eq!(mods["context"]["project_type"], "modpack");
    assert_eq!(mods["context"]["loaders"], json!([]));
    assert_eq!(mods["context"]["game_version"], Value::Null);
    assert_eq!(mods["context"]["install"]["way"], "modpack");
    assert_eq!(mods["installed"][0]["project"], "cobblemon-fabric");
    assert_eq!(mods["installed"][0]["version_id"], Value::Null);

    // packs only, whatever their game version
    let found = call_ok(&app, "mod_search", json!({"id": id, "query": ""})).await;
    assert_eq!(slugs(&found), ["cobblemon-fabric"]);
    assert_eq!(
        version_ids(&app, &id, "cobblemon-fabric").await,
        ["CoBb1211", "CoBb1201"]
    );

    // a mod is not a pack
    let res = app
        .call("mod_install", json!({"id": id, "project": "lithium"}))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(message(res).await.contains("not a modpack"));

    // an older version of the pack: backed up first, then pinned
    wait_status(&app, &id, "running").await;
    let mods = call_ok(
        &app,
        "mod_install",
        json!({"id": id, "project": "cobblemon-fabric", "version": "CoBb1201"}),
    )
    .await;
    assert_eq!(mods["installed"][0]["version_id"], "CoBb1201");
    assert_eq!(mods["installed"][0]["update"], "1.6.1");
    assert_eq!(
        mods["pending"], true,
        "a running server takes it at its next start"
    );
    let server = call_ok(&app, "server", json!({"id": id})).await;
    assert_eq!(
        server["pending_variables"]["MODRINTH_VERSION"], "CoBb1201",
        "{server}"
    );
    let backups = call_ok(&app, "backups", json!({"id": id})).await;
    assert_eq!(
        backups["backups"][0]["name"], "Before modpack cobblemon-fabric 1.5.2",
        "{backups}"
    );
    // the same again changes nothing and makes no second backup
    call_ok(
        &app,
        "mod_install",
        json!({"id": id, "project": "cobblemon-fabric", "version": "CoBb1201"}),
    )
    .await;
    let backups = call_ok(&app, "backups", json!({"id": id})).await;
    assert_eq!(backups["backups"].as_array().unwrap().len(), 1, "{backups}");

    // pinned by its number, as an owner may type it in the settings: the newest is no update
    call_ok(
        &app,
        "server_settings",
        json!({"id": id, "variables": {"MODRINTH_MODPACK": "cobblemon-fabric", "MODRINTH_VERSION": "1.6.1"}}),
    )
    .await;
    let mods = call_ok(&app, "mods", json!({"id": id})).await;
    assert_eq!(mods["installed"][0]["version_id"], "1.6.1");
    assert_eq!(mods["installed"][0]["update"], Value::Null, "{mods}");

    // the pack stays: another is chosen instead
    let res = app
        .call(
            "mod_remove",
            json!({"id": id, "project": "cobblemon-fabric"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(message(res).await.contains("choose another"));

    // and a pack is no mod of a Fabric server
    let fabric = fabric_server(&app, "modded", "fabric", "1.21.1").await;
    let res = app
        .call(
            "mod_install",
            json!({"id": fabric, "project": "cobblemon-fabric"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(message(res).await.contains("is a modpack"));
    assert!(
        audit_actions(&app, &fabric)
            .await
            .iter()
            .any(|a| a == "mod.install"),
        "a refused install is audited"
    );
    let _ = std::fs::remove_dir_all(&repo);
}

/// Mod changes are backed up once per batch: the first change of a server's mods starts a
/// backup, and the changes within the next half hour are covered by it; a refused change backs
/// nothing up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mod_changes_are_backed_up_once_per_batch() {
    let repo = std::env::temp_dir().join(format!("panel-mods-repo-{}", uuid::Uuid::new_v4()));
    let app = TestApp::spawn_with(|c| {
        FakeApis::configure(c);
        c.backup_repository = Some(repo.display().to_string());
    })
    .await;
    app.put_secret("panel-backups", &[("RESTIC_PASSWORD", "mods")])
        .await;
    app.setup_admin("admin", PASSWORD).await;
    let id = fabric_server(&app, "batch", "fabric", "1.21.4").await;
    wait_status(&app, &id, "running").await;
    let count = |b: &Value| b["backups"].as_array().unwrap().len();

    let res = app
        .call(
            "mod_install",
            json!({"id": id, "project": "lithium", "version": "NoSuChId"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = app
        .call("mod_remove", json!({"id": id, "project": "lithium"}))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(count(&call_ok(&app, "backups", json!({"id": id})).await), 0);

    call_ok(&app, "mod_install", json!({"id": id, "project": "lithium"})).await;
    let backups = call_ok(&app, "backups", json!({"id": id})).await;
    assert_eq!(count(&backups), 1, "{backups}");
    assert_eq!(backups["backups"][0]["name"], "Before mod changes");
    let mut done = backups;
    for _ in 0..300 {
        if done["backups"][0]["state"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        done = call_ok(&app, "backups", json!({"id": id})).await;
    }
    assert_eq!(done["backups"][0]["state"], "done", "{done}");
    call_ok(&app, "mod_remove", json!({"id": id, "project": "lithium"})).await;
    let backups = call_ok(&app, "backups", json!({"id": id})).await;
    assert_eq!(count(&backups), 1, "one backup for the batch: {backups}");
    let _ = std::fs::remove_dir_all(&repo);
}

both!(
    SUITE,
    files_are_downloaded_checked_and_removed,
    |c: &mut server::Config| {
        crate::common::external::FakeApis::configure(c);
        let repo = std::env::temp_dir().join(format!("panel-files-repo-{}", uuid::Uuid::new_v4()));
        c.backup_repository = Some(repo.display().to_string());
    }
);

/// A Fabric template without `MODRINTH_PROJECTS`: the panel installs the files itself.
async fn files_are_downloaded_checked_and_removed(app: TestApp) {
    app.put_secret("panel-backups", &[("RESTIC_PASSWORD", "files")])
        .await;
    app.setup_admin("admin", PASSWORD).await;
    let list = json(app.call("templates", json!({})).await).await;
    let fabric = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == "fabric")
        .unwrap()["id"]
        .clone();
    let mut t = json(app.call("template_export", json!({"id": fabric})).await).await;
    t["name"] = json!("Fabric (files)");
    t["spec"]["slug"] = json!("fabric-files");
    let vars: Vec<Value> = t["spec"]["variables"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["name"] != "MODRINTH_PROJECTS")
        .cloned()
        .collect();
    t["spec"]["variables"] = json!(vars);
    assert_eq!(
        app.call("template_import", json!({"template": t}))
            .await
            .status(),
        StatusCode::OK
    );
    let id = fabric_server(&app, "by-files", "fabric-files", "1.21.4").await;
    wait_status(&app, &id, "running").await;
    // stopped: the backup before the change holds the world in its job's pod, and the panel
    // writes the file once it has ended
    let stopped = common::servers::power(&app, &id, "stop").await;
    assert_eq!(stopped.status(), StatusCode::OK);
    wait_status(&app, &id, "stopped").await;

    let mods = call_ok(&app, "mods", json!({"id": id})).await;
    assert_eq!(
        mods["context"]["install"],
        json!({"way": "files", "folder": "mods"})
    );
    let mods = call_ok(&app, "mod_install", json!({"id": id, "project": "chunky"})).await;
    assert_eq!(mods["installed"][0]["filename"], "Chunky-Fabric-1.4.27.jar");
    let backups = call_ok(&app, "backups", json!({"id": id})).await;
    assert_eq!(
        backups["backups"][0]["name"], "Before mod changes",
        "{backups}"
    );
    assert_eq!(backups["backups"][0]["state"], "done", "{backups}");
    let file = call_ok(
        &app,
        "file_read",
        json!({"id": id, "path": "/mods/Chunky-Fabric-1.4.27.jar"}),
    )
    .await;
    assert_eq!(file["content"], "fixture jar: Chunky-Fabric-1.4.27.jar\n");

    // a file that does not match its SHA-512 is not written
    let res = app
        .call("mod_install", json!({"id": id, "project": "tampered"}))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(message(res).await.contains("does not match the SHA-512"));
    let listing = call_ok(&app, "files_list", json!({"id": id, "path": "/mods"})).await;
    let names: Vec<&str> = listing["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Chunky-Fabric-1.4.27.jar"]);

    // removing takes the file it installed
    let mods = call_ok(&app, "mod_remove", json!({"id": id, "project": "chunky"})).await;
    assert_eq!(mods["installed"], json!([]));
    let listing = call_ok(&app, "files_list", json!({"id": id, "path": "/mods"})).await;
    assert_eq!(listing["entries"], json!([]));
    let backups = call_ok(&app, "backups", json!({"id": id})).await;
    assert_eq!(backups["backups"].as_array().unwrap().len(), 1, "{backups}");
    if let Some(repo) = &app.config.backup_repository {
        let _ = std::fs::remove_dir_all(repo);
    }
}

both!(
    SUITE,
    curseforge_files_are_pinned_with_their_dependencies,
    crate::common::external::FakeApis::with_curseforge
);

/// The variables a server starts with next.
async fn next_variables(app: &TestApp, id: &str) -> serde_json::Map<String, Value> {
    let s = call_ok(app, "server", json!({"id": id})).await;
    s["pending_variables"]
        .as_object()
        .or(s["variables"].as_object())
        .cloned()
        .unwrap()
}

/// CurseForge, with the operator's key: the search follows the server's loader and game
/// version, a file is pinned in `CURSEFORGE_FILES` with the required dependencies the image
/// would not fetch, an older pin shows its update, and what cannot be installed is refused with
/// the reason and changes nothing. The game pod takes the key from the Secret by reference (the
/// StatefulSet never holds it), as mcsim's start line shows.
async fn curseforge_files_are_pinned_with_their_dependencies(app: TestApp) {
    app.put_secret(
        "panel-curseforge",
        &[("CF_API_KEY", FakeApis::CURSEFORGE_KEY)],
    )
    .await;
    app.setup_admin("admin", PASSWORD).await;
    let id = fabric_server(&app, "forged", "fabric", "1.21.4").await;
    let mods = call_ok(&app, "mods", json!({"id": id})).await;
    assert_eq!(
        mods["context"]["sources"],
        json!(["modrinth", "curseforge"])
    );

    // mods for Fabric 1.21.4 only, most downloaded first; no plugin, pack or closed project
    let found = call_ok(
        &app,
        "mod_search",
        json!({"id": id, "query": "", "source": "curseforge"}),
    )
    .await;
    assert_eq!(
        slugs(&found),
        ["jei", "fabric-api", "cloth-config", "modmenu"],
        "{found}"
    );
    assert_eq!(found["hits"][0]["project_id"], "238222");
    assert_eq!(found["hits"][0]["source"], "curseforge");
    let found = call_ok(
        &app,
        "mod_search",
        json!({"id": id, "query": "menu", "source": "curseforge"}),
    )
    .await;
    assert_eq!(slugs(&found), ["modmenu"]);
    // JEI's Fabric files, newest first, without its server pack
    let files = call_ok(
        &app,
        "mod_versions",
        json!({"id": id, "project": "238222", "source": "curseforge"}),
    )
    .await;
    let file_ids: Vec<&str> = files
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(file_ids, ["6040401", "6040400"], "{files}");
    assert_eq!(files[0]["loaders"], json!(["fabric"]));

    // Mod Menu at its newest release (not the newer beta), with Cloth Config and Fabric API,
    // which it needs (and Cloth Config needs Fabric API); JEI, optional, is left out
    let stopped = common::servers::power(&app, &id, "stop").await;
    assert_eq!(stopped.status(), StatusCode::OK);
    wait_status(&app, &id, "stopped").await;
    let mods = call_ok(
        &app,
        "mod_install",
        json!({"id": id, "project": "308702", "source": "curseforge"}),
    )
    .await;
    assert_eq!(
        next_variables(&app, &id).await["CURSEFORGE_FILES"],
        "308702:6030304,348521:6020202,306612:6010101"
    );
    let listed: Vec<(&str, &str)> = mods["installed"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["source"] == "curseforge")
        .map(|m| {
            (
                m["project"].as_str().unwrap(),
                m["title"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("308702", "Mod Menu"),
            ("348521", "Cloth Config API (Fabric/Forge/NeoForge)"),
            ("306612", "Fabric API")
        ]
    );
    // an older JEI, pinned, shows its update
    let mods = call_ok(
        &app,
        "mod_install",
        json!({"id": id, "project": "238222", "version": "6040400", "source": "curseforge"}),
    )
    .await;
    let jei = mods["installed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["project"] == "238222")
        .unwrap()
        .clone();
    assert_eq!(jei["version_id"], "6040400");
    assert_eq!(jei["update"], "jei-1.21.4-fabric-19.21.0.247.jar");
    let before = next_variables(&app, &id).await["CURSEFORGE_FILES"].clone();

    // refused, with the reason, and nothing changes
    for (body, status, says) in [
        (
            json!({"project": "238222", "version": "6040402"}),
            StatusCode::BAD_REQUEST,
            "forge",
        ),
        (
            json!({"project": "238222", "version": "7777777"}),
            StatusCode::BAD_REQUEST,
            "does not list the file",
        ),
        (
            json!({"project": "999001"}),
            StatusCode::BAD_REQUEST,
            "only CurseForge's own app",
        ),
        (
            json!({"project": "715572"}),
            StatusCode::BAD_REQUEST,
            "not a mod",
        ),
        (
            json!({"project": "31043"}),
            StatusCode::BAD_REQUEST,
            "not a mod",
        ),
        (
            json!({"project": "4242"}),
            StatusCode::NOT_FOUND,
            "no such project",
        ),
        (
            json!({"project": "jei"}),
            StatusCode::BAD_REQUEST,
            "its number",
        ),
        (
            json!({"project": "../238222"}),
            StatusCode::BAD_REQUEST,
            "its number",
        ),
        (
            json!({"project": "238222", "version": "1,2"}),
            StatusCode::BAD_REQUEST,
            "its number",
        ),
    ] {
        let mut body = body;
        body["id"] = json!(id);
        body["source"] = json!("curseforge");
        let res = app.call("mod_install", body.clone()).await;
        assert_eq!(res.status(), status, "{body}");
        let said = message(res).await;
        assert!(said.contains(says), "{body}: {said}");
    }
    assert_eq!(next_variables(&app, &id).await["CURSEFORGE_FILES"], before);

    // the pod takes the key from the Secret, by reference
    let object = common::servers::object_name(&app, &id).await;
    let sts = app.object("StatefulSet", &object).await.unwrap();
    let env = sts
        .pointer("/spec/template/spec/containers/0/env")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    let cf = env.iter().find(|e| e["name"] == "CF_API_KEY").unwrap();
    assert_eq!(
        cf["valueFrom"]["secretKeyRef"],
        json!({"name": "panel-curseforge", "key": "CF_API_KEY", "optional": true})
    );
    assert!(
        !sts.to_string().contains(FakeApis::CURSEFORGE_KEY),
        "the key is not in the StatefulSet"
    );
    let started = common::servers::power(&app, &id, "start").await;
    assert_eq!(started.status(), StatusCode::OK);
    wait_status(&app, &id, "running").await;
    let pod = format!("{object}-0");
    let mut said = String::new();
    for _ in 0..50 {
        use futures::AsyncReadExt;
        let mut log = app
            .state
            .kube
            .log_lines(&pod, false, false, None, None)
            .await
            .unwrap();
        said.clear();
        log.read_to_string(&mut said).await.unwrap();
        if said.contains("CurseForge") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        said.contains("Installing 4 CurseForge file(s) with the key in CF_API_KEY"),
        "{said}"
    );
    assert!(!said.contains(FakeApis::CURSEFORGE_KEY));

    // taken off the list (the image removes its file at the next start); its dependencies stay
    let mods = call_ok(
        &app,
        "mod_remove",
        json!({"id": id, "project": "308702", "source": "curseforge"}),
    )
    .await;
    assert!(
        mods["installed"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["project"] != "308702")
    );
    assert_eq!(
        next_variables(&app, &id).await["CURSEFORGE_FILES"],
        "348521:6020202,306612:6010101,238222:6040400"
    );
    let res = app
        .call(
            "mod_remove",
            json!({"id": id, "project": "308702", "source": "curseforge"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let actions = audit_actions(&app, &id).await;
    assert!(
        actions.iter().filter(|a| *a == "mod.install").count() >= 3,
        "{actions:?}"
    );
}

/// Without the operator's key CurseForge is not offered; with a key CurseForge refuses, the
/// user is told so (and the key is in no answer); a key not shared with the game servers
/// reaches no pod.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curseforge_needs_a_key_it_takes() {
    let app = with_modrinth().await;
    let id = fabric_server(&app, "nokey", "fabric", "1.21.4").await;
    let mods = call_ok(&app, "mods", json!({"id": id})).await;
    assert_eq!(mods["context"]["sources"], json!(["modrinth"]));
    let res = app
        .call(
            "mod_search",
            json!({"id": id, "query": "", "source": "curseforge"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(message(res).await.contains("API key"));

    let wrong = "not-the-key-$2a$10$";
    let app = TestApp::spawn_with(|c| {
        FakeApis::configure(c);
        c.curseforge_api_key = Some(wrong.into());
    })
    .await;
    app.setup_admin("admin", PASSWORD).await;
    let id = fabric_server(&app, "wrongkey", "fabric", "1.21.4").await;
    let res = app
        .call(
            "mod_search",
            json!({"id": id, "query": "", "source": "curseforge"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let said = message(res).await;
    assert!(said.contains("refused the panel"), "{said}");
    assert!(!said.contains(wrong));
    // the key is not shared with the game servers unless the operator says so
    let object = common::servers::object_name(&app, &id).await;
    let sts = app.object("StatefulSet", &object).await.unwrap();
    assert!(!sts.to_string().contains("CF_API_KEY"), "{sts}");
    // a Paper server finds Bukkit plugins, whatever their game version
    let app = TestApp::spawn_with(FakeApis::with_curseforge).await;
    app.setup_admin("admin", PASSWORD).await;
    let id = fabric_server(&app, "plugins", "paper", "1.21.4").await;
    let found = call_ok(
        &app,
        "mod_search",
        json!({"id": id, "query": "", "source": "curseforge"}),
    )
    .await;
    assert_eq!(slugs(&found), ["worldedit"], "{found}");
    assert_eq!(found["hits"][0]["project_type"], "plugin");
}

/// Entries an owner wrote by hand in the image's other forms (a slug) count: a dependency
/// listed by its slug is not listed twice, and such an entry can be removed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curseforge_entries_listed_by_slug_are_known() {
    let app = TestApp::spawn_with(FakeApis::with_curseforge).await;
    app.setup_admin("admin", PASSWORD).await;
    let id = fabric_server(&app, "byhand", "fabric", "1.21.4").await;
    let mut values = next_variables(&app, &id).await;
    values.insert("CURSEFORGE_FILES".into(), json!("fabric-api"));
    call_ok(
        &app,
        "server_settings",
        json!({"id": id, "variables": values}),
    )
    .await;
    // Cloth Config needs Fabric API, listed already by its slug
    call_ok(
        &app,
        "mod_install",
        json!({"id": id, "project": "348521", "source": "curseforge"}),
    )
    .await;
    assert_eq!(
        next_variables(&app, &id).await["CURSEFORGE_FILES"],
        "fabric-api,348521:6020202"
    );
    let mods = call_ok(
        &app,
        "mod_remove",
        json!({"id": id, "project": "fabric-api", "source": "curseforge"}),
    )
    .await;
    assert_eq!(
        next_variables(&app, &id).await["CURSEFORGE_FILES"],
        "348521:6020202"
    );
    assert!(
        mods["installed"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["project"] != "fabric-api")
    );
    for bad in ["../x", "a,b", "a b"] {
        let res = app
            .call(
                "mod_remove",
                json!({"id": id, "project": bad, "source": "curseforge"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}
