//! Backups end to end: the panel, a real Postgres, fakekube or the real control plane running
//! mcsim and the backup jobs (Debian's restic), and an S3 server (gofakes3) on loopback.
//! What the panel writes, restic alone restores byte for byte.

mod common;

use std::time::Duration;

use common::s3::{self, S3};
use common::servers::{create, ids, message, wait_status};
use common::{TestApp, json};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";
const SUITE: &str = "panel backups";

both!(
    SUITE,
    a_running_world_is_backed_up_consistently_restored_byte_for_byte_and_readable_by_restic_alone,
    |c: &mut server::Config| {
        c.backup_repository = Some(super::s3::repository_on(super::s3::free_port()));
    }
);

both!(
    SUITE,
    a_claim_holds_the_repositories_where_there_is_no_object_storage,
    |c: &mut server::Config| {
        c.backup_repository = Some("/backups".into());
        c.backup_claim = Some("panel-store".into());
    }
);

/// A cluster without object storage: the repositories live on a claim every job mounts at
/// `/backups`; a backup is made there and restored from it.
async fn a_claim_holds_the_repositories_where_there_is_no_object_storage(app: TestApp) {
    app.put_secret("panel-backups", &[("RESTIC_PASSWORD", "on a claim")])
        .await;
    app.put_claim("panel-store").await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "claimed", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    let world = app.world_dir(s["object_name"].as_str().unwrap()).await;
    std::fs::write(world.join("notes.txt"), "kept on the claim").unwrap();
    let made = backup(&app, &id, "on the claim").await;
    assert!(made["bytes"].as_u64().unwrap() > 0, "{made}");
    assert!(
        !std::path::Path::new("/backups")
            .join(s["object_name"].as_str().unwrap())
            .exists(),
        "the repository is on the claim, not on the node's /backups"
    );
    std::fs::write(world.join("notes.txt"), "damaged").unwrap();
    let res = app
        .call(
            "backup_restore",
            json!({"id": id, "backup": made["id"], "wipe": false}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    let list = wait_backups(&app, &id, "the restore", |l| {
        matches!(l["restore"]["step"].as_str(), Some("done" | "failed"))
    })
    .await;
    assert_eq!(list["restore"]["step"], "done", "{list:#}");
    wait_status(&app, &id, "running").await;
    assert_eq!(
        std::fs::read_to_string(world.join("notes.txt")).unwrap(),
        "kept on the claim"
    );
}

both!(
    SUITE,
    a_kept_worlds_backups_come_back_with_it,
    |c: &mut server::Config| {
        let repo = std::env::temp_dir().join(format!("panel-kept-repo-{}", uuid::Uuid::new_v4()));
        c.backup_repository = Some(repo.display().to_string());
    }
);

/// A server deleted keeping its world keeps its backups with the world: the server that takes
/// the world back lists them again and restores from them; deleting the world for good forgets
/// them.
async fn a_kept_worlds_backups_come_back_with_it(app: TestApp) {
    app.put_secret("panel-backups", &[("RESTIC_PASSWORD", "kept")])
        .await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "keeper", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    let object = s["object_name"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    let world = app.world_dir(&object).await;
    std::fs::write(world.join("notes.txt"), "before the deletion").unwrap();
    let made = backup(&app, &id, "kept with the world").await;
    let res = app
        .call("server_delete", json!({"id": id, "keep_world": true}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // the same owner and name take the world back, with its backup
    let again = json(create(&app, "keeper", &t, &p).await).await;
    assert_eq!(again["object_name"], object.as_str(), "{again}");
    let id = again["id"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    let list = json(app.call("backups", json!({"id": id})).await).await;
    let listed = backup_named(&list, "kept with the world");
    assert_eq!(listed["id"], made["id"], "{list:#}");
    assert_eq!(listed["state"], "done");
    std::fs::write(world.join("notes.txt"), "damaged").unwrap();
    let res = app
        .call(
            "backup_restore",
            json!({"id": id, "backup": made["id"], "wipe": false}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    let list = wait_backups(&app, &id, "the restore", |l| {
        matches!(l["restore"]["step"].as_str(), Some("done" | "failed"))
    })
    .await;
    assert_eq!(list["restore"]["step"], "done", "{list:#}");
    wait_status(&app, &id, "running").await;
    assert_eq!(
        std::fs::read_to_string(world.join("notes.txt")).unwrap(),
        "before the deletion"
    );

    // kept again, then deleted for good: its rows go with it
    let res = app
        .call("server_delete", json!({"id": id, "keep_world": true}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .call("world_delete", json!({"object_name": object}))
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    let again = json(create(&app, "keeper", &t, &p).await).await;
    assert_ne!(again["object_name"], object.as_str());
    let id = again["id"].as_str().unwrap().to_string();
    let list = json(app.call("backups", json!({"id": id})).await).await;
    assert_eq!(list["backups"], json!([]), "{list:#}");
    if let Some(repo) = &app.config.backup_repository {
        let _ = std::fs::remove_dir_all(repo);
    }
}

/// A template whose stand-in rewrites its region file every 20 ms in two halves: a copy taken
/// without `save-off` would tear it.
async fn autosaving_template(app: &TestApp) -> String {
    let (vanilla, _) = ids(app, "vanilla", "small").await;
    let mut t = json(app.call("template_export", json!({"id": vanilla})).await).await;
    t["name"] = json!("Vanilla (saves often)");
    t["spec"]["slug"] = json!("vanilla-autosave");
    t["spec"]["fixed_env"]["MCSIM_AUTOSAVE_MS"] = json!("20");
    let res = app.call("template_import", json!({"template": t})).await;
    assert_eq!(res.status(), StatusCode::OK);
    json(res).await["id"].as_str().unwrap().to_string()
}

/// The server's backups until `done` says so (two minutes at most).
async fn wait_backups(app: &TestApp, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
    let mut last = Value::Null;
    for _ in 0..240 {
        last = json(app.call("backups", json!({"id": id})).await).await;
        if done(&last) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("{what}: {last:#}");
}

fn backup_named<'a>(list: &'a Value, name: &str) -> &'a Value {
    list["backups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == name)
        .unwrap_or_else(|| panic!("no backup {name}: {list:#}"))
}

async fn backup(app: &TestApp, id: &str, name: &str) -> Value {
    let res = app
        .call("backup_create", json!({"id": id, "name": name}))
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    let list = wait_backups(app, id, name, |l| {
        l["backups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["name"] == name && b["state"] != "running")
    })
    .await;
    let b = backup_named(&list, name).clone();
    assert_eq!(b["state"], "done", "{b:#}");
    b
}

fn consistent(region: &[u8]) -> bool {
    region.len() == 64 * 1024 && region.iter().all(|b| *b == region[0])
}

async fn a_running_world_is_backed_up_consistently_restored_byte_for_byte_and_readable_by_restic_alone(
    app: TestApp,
) {
    let root = app.config.backup_repository.clone().unwrap();
    let _s3 = S3::start(s3::addr_of(&root)).await;
    app.put_secret("panel-backups", &s3::secret()).await;
    app.setup_admin("admin", PASSWORD).await;
    let t = autosaving_template(&app).await;
    let (_, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "keep", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    let object = s["object_name"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;

    // a world with something worth keeping
    let world = app.world_dir(&object).await;
    let data: Vec<u8> = (0..3 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(world.join("world/data.bin"), &data).unwrap();
    std::fs::write(world.join("notes.txt"), "v1").unwrap();

    // a backup of the running server: saving off and flushed first, back on after
    let first = backup(&app, &id, "first").await;
    assert!(first["files"].as_u64().unwrap() >= 4, "{first:#}");
    assert!(
        first["bytes"].as_u64().unwrap() >= data.len() as u64,
        "{first:#}"
    );
    assert!(first["added_bytes"].as_u64().unwrap() > 0, "{first:#}");
    assert!(first["finished_at"].is_string());
    let snapshot = first["snapshot"].as_str().unwrap().to_string();
    let log = std::fs::read_to_string(world.join("logs/latest.log")).unwrap();
    let off = log
        .find("Automatic saving is now disabled")
        .expect("saving went off");
    let on = log
        .rfind("Automatic saving is now enabled")
        .expect("saving came back on");
    assert!(off < on, "off, then on");

    // Debian's restic alone, with the repository's password, restores it byte for byte
    let repo = format!("{root}/{object}");
    let listed: Value = serde_json::from_str(&s3::restic(&repo, &["snapshots", "--json"])).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert!(
        snapshot.starts_with(listed[0]["short_id"].as_str().unwrap())
            || listed[0]["id"] == snapshot.as_str()
    );
    let out = std::env::temp_dir().join(format!("restic-out-{}", uuid::Uuid::new_v4()));
    s3::restic(
        &repo,
        &["restore", &snapshot, "--target", out.to_str().unwrap()],
    );
    // the job backs up its working folder, the world, as `.`: the snapshot's root is the world
    let restored = out.clone();
    assert_eq!(
        std::fs::read(restored.join("world/data.bin")).unwrap(),
        data
    );
    assert_eq!(
        std::fs::read_to_string(restored.join("notes.txt")).unwrap(),
        "v1"
    );
    let region = std::fs::read(restored.join("world/region/r.0.0.mca")).unwrap();
    assert!(
        consistent(&region),
        "the region file was copied while saving was off"
    );

    // downloaded: a tar of the world, streamed out of a job pod
    let res = app
        .client
        .get(app.url(&format!("/api/servers/{id}/backups/download")))
        .query(&[("backup", first["id"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/x-tar");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("keep-")
    );
    let tar = res.bytes().await.unwrap();
    let unpacked = std::env::temp_dir().join(format!("backup-tar-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&unpacked).unwrap();
    std::fs::write(unpacked.join("world.tar"), &tar).unwrap();
    let ok = std::process::Command::new("tar")
        .args(["-xf", "world.tar"])
        .current_dir(&unpacked)
        .status()
        .unwrap();
    assert!(ok.success());
    assert_eq!(
        std::fs::read(unpacked.join("world/data.bin")).unwrap(),
        data
    );
    let res = app
        .client
        .get(app.url(&format!("/api/servers/{id}/backups/download")))
        .query(&[("backup", uuid::Uuid::new_v4().to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // restored into a new server (the caller's, same template): its world is the backup's, and
    // the backup's own server is untouched
    let res = app
        .call(
            "backup_restore_new",
            json!({"id": id, "backup": first["id"], "name": "keep-copy", "plan_id": p}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    let copy = json(app.call("servers", json!({})).await).await;
    let copy = copy
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "keep-copy")
        .unwrap()
        .clone();
    let copy_id = copy["id"].as_str().unwrap().to_string();
    let list = wait_backups(&app, &copy_id, "the restore into a new server", |l| {
        matches!(l["restore"]["step"].as_str(), Some("done" | "failed"))
    })
    .await;
    assert_eq!(list["restore"]["step"], "done", "{list:#}");
    wait_status(&app, &copy_id, "running").await;
    let copy_world = app.world_dir(copy["object_name"].as_str().unwrap()).await;
    assert_eq!(
        std::fs::read(copy_world.join("world/data.bin")).unwrap(),
        data
    );
    assert_eq!(
        std::fs::read_to_string(copy_world.join("notes.txt")).unwrap(),
        "v1"
    );

    // damage the world, then restore onto an emptied one: the server stops, comes back, and
    // holds exactly the backup's files
    std::fs::remove_file(world.join("world/data.bin")).unwrap();
    std::fs::write(world.join("notes.txt"), "v2: griefed").unwrap();
    std::fs::write(world.join("made-after.txt"), "gone after a wiping restore").unwrap();
    let res = app
        .call(
            "backup_restore",
            json!({"id": id, "backup": first["id"], "wipe": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    let list = wait_backups(&app, &id, "the restore", |l| {
        matches!(l["restore"]["step"].as_str(), Some("done" | "failed"))
    })
    .await;
    assert_eq!(list["restore"]["step"], "done", "{list:#}");
    // the copy's last reading: all of the snapshot, read from restic's own stats
    let progress = &list["restore"]["progress"];
    assert_eq!(progress["fraction"], 1.0, "{list:#}");
    assert!(
        progress["total_bytes"].as_u64().unwrap() >= data.len() as u64,
        "{list:#}"
    );
    assert_eq!(progress["files_done"], progress["total_files"], "{list:#}");
    wait_status(&app, &id, "running").await;
    assert_eq!(std::fs::read(world.join("world/data.bin")).unwrap(), data);
    assert_eq!(
        std::fs::read_to_string(world.join("notes.txt")).unwrap(),
        "v1"
    );
    assert!(
        !world.join("made-after.txt").exists(),
        "the wipe emptied the world first"
    );
    assert!(!world.join(".panel-restore").exists());

    // the plan keeps one: a second backup replaces the first (in the repository too)
    diesel_async::RunQueryDsl::execute(
        diesel::sql_query("UPDATE plans SET max_backups = 1"),
        &mut app.pool.get().await.unwrap(),
    )
    .await
    .unwrap();
    let second = backup(&app, &id, "second").await;
    let list = json(app.call("backups", json!({"id": id})).await).await;
    assert_eq!(list["limit"], 1);
    assert_eq!(list["backups"].as_array().unwrap().len(), 1, "{list:#}");
    let left: Value = serde_json::from_str(&s3::restic(&repo, &["snapshots", "--json"])).unwrap();
    assert_eq!(
        left.as_array().unwrap().len(),
        1,
        "the first snapshot was forgotten"
    );

    // locked, it is never replaced nor deleted
    let res = app
        .call(
            "backup_lock",
            json!({"id": id, "backup": second["id"], "locked": true}),
        )
        .await;
    assert_eq!(json(res).await["locked"], true);
    let res = app
        .call("backup_create", json!({"id": id, "name": "third"}))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(message(res).await.contains("locked"));
    let res = app
        .call("backup_delete", json!({"id": id, "backup": second["id"]}))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(
        json(app.call("backups", json!({"id": id})).await).await["backups"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // unlocked, it can go, from the repository too
    app.call(
        "backup_lock",
        json!({"id": id, "backup": second["id"], "locked": false}),
    )
    .await;
    let res = app
        .call("backup_delete", json!({"id": id, "backup": second["id"]}))
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    let list = json(app.call("backups", json!({"id": id})).await).await;
    assert!(list["backups"].as_array().unwrap().is_empty());
    let left: Value = serde_json::from_str(&s3::restic(&repo, &["snapshots", "--json"])).unwrap();
    assert!(left.as_array().unwrap().is_empty());

    // bad input changes nothing
    let res = app
        .call("backup_create", json!({"id": id, "name": "x".repeat(65)}))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = app
        .call(
            "backup_restore",
            json!({"id": id, "backup": uuid::Uuid::new_v4(), "wipe": true}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(
        json(app.call("backups", json!({"id": id})).await).await["backups"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// Without a repository nothing can be backed up, and the page says why; a store that cannot
/// be reached fails the backup with restic's reason and leaves the world alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_off_and_an_unreachable_store_are_clear_refusals() {
    let app = TestApp::spawn().await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "nowhere", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    let list = json(app.call("backups", json!({"id": id})).await).await;
    assert_eq!(list["enabled"], false);
    let res = app.call("backup_create", json!({"id": id})).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(message(res).await.contains("PANEL_BACKUP_REPOSITORY"));
    assert!(
        json(app.call("backups", json!({"id": id})).await).await["backups"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // a store nobody listens on
    let app =
        TestApp::spawn_with(|c| c.backup_repository = Some(s3::repository_on(s3::free_port())))
            .await;
    app.put_secret("panel-backups", &s3::secret()).await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "unreachable", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    let res = app
        .call("backup_create", json!({"id": id, "name": "doomed"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // a second one while it runs is refused
    let again = app
        .call("backup_create", json!({"id": id, "name": "twice"}))
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let list = wait_backups(&app, &id, "the failure", |l| {
        l["backups"][0]["state"] == "failed"
    })
    .await;
    let error = list["backups"][0]["error"].as_str().unwrap();
    assert!(error.contains("restic"), "{error}");
    // saving is back on
    let world = app.world_dir(s["object_name"].as_str().unwrap()).await;
    let log = std::fs::read_to_string(world.join("logs/latest.log")).unwrap();
    assert!(log.contains("Automatic saving is now enabled"), "{log}");
}

/// Benchmark, not a check (run by hand: `cargo test -p server --test backups --
/// --ignored --nocapture bench`): a 1 GiB world on fakekube, backed up to gofakes3 while the
/// server runs, again after a small change, and restored; the panel's resident memory before
/// and after (the data goes through the job pod, never the panel).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn bench_a_1gib_world() {
    fn rss_kib() -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
            .unwrap_or(0)
    }
    let port = s3::free_port();
    let app = TestApp::spawn_with(|c| c.backup_repository = Some(s3::repository_on(port))).await;
    let _s3 = S3::start(([127, 0, 0, 1], port).into()).await;
    app.put_secret("panel-backups", &s3::secret()).await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "big", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    let world = app.world_dir(s["object_name"].as_str().unwrap()).await;
    // 1 GiB of incompressible region files, 64 MiB each
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..16 {
        let chunk: Vec<u8> = (0..64 * 1024 * 1024 / 8)
            .flat_map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x.to_le_bytes()
            })
            .collect();
        std::fs::write(world.join(format!("world/region/r.{i}.0.mca")), chunk).unwrap();
    }
    let rss0 = rss_kib();
    let timed = |name: &'static str| {
        let app = &app;
        let id = id.clone();
        async move {
            let t0 = std::time::Instant::now();
            let b = backup(app, &id, name).await;
            (t0.elapsed(), b)
        }
    };
    let (first, b1) = timed("first").await;
    std::fs::write(world.join("world/region/r.3.0.mca"), b"changed").unwrap();
    let (second, b2) = timed("second").await;
    let t0 = std::time::Instant::now();
    let res = app
        .call(
            "backup_restore",
            json!({"id": id, "backup": b1["id"], "wipe": false}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    wait_backups(&app, &id, "the restore", |l| l["restore"]["step"] == "done").await;
    let restore = t0.elapsed();
    println!(
        "1 GiB world: first backup {first:.1?} ({} B added), second {second:.1?} ({} B added), restore {restore:.1?}; panel RSS {} MiB before, {} MiB after",
        b1["added_bytes"],
        b2["added_bytes"],
        rss0 / 1024,
        rss_kib() / 1024
    );
}

/// A panel that dies in the middle of a backup leaves a running row whose driver no longer
/// beats: the lease holder's sweep fails it (never listed as made) and turns the server's saving
/// back on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_whose_panel_died_is_failed_and_saving_comes_back_on() {
    let app = TestApp::spawn_with(|c| c.backup_repository = Some("/nowhere/panel".into())).await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "orphaned", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    // the dead panel had turned saving off and started its row
    let pod = format!("{}-0", s["object_name"].as_str().unwrap());
    app.state
        .kube
        .write_stdin(&pod, "save-off\n")
        .await
        .unwrap();
    {
        use diesel_async::RunQueryDsl;
        let mut c = app.pool.get().await.unwrap();
        db::Backup::start(
            &mut c,
            uuid::Uuid::new_v4(),
            id.parse().unwrap(),
            "cut short",
            None,
        )
        .await
        .unwrap();
        diesel::sql_query("UPDATE backups SET updated_at = now() - interval '5 minutes'")
            .execute(&mut c)
            .await
            .unwrap();
    }
    assert_eq!(panel_core::backups::sweep(&app.state).await.unwrap(), 1);
    let list = json(app.call("backups", json!({"id": id})).await).await;
    assert_eq!(list["backups"][0]["state"], "failed", "{list:#}");
    assert!(list["backups"][0]["snapshot"].is_null());
    assert!(
        list["backups"][0]["error"]
            .as_str()
            .unwrap()
            .contains("panel stopped")
    );
    let world = app.world_dir(s["object_name"].as_str().unwrap()).await;
    let log = std::fs::read_to_string(world.join("logs/latest.log")).unwrap();
    let off = log
        .find("Automatic saving is now disabled")
        .expect("saving was off");
    let on = log
        .rfind("Automatic saving is now enabled")
        .expect("saving is back on");
    assert!(off < on);
    // a second sweep finds nothing more
    assert_eq!(panel_core::backups::sweep(&app.state).await.unwrap(), 0);
}

/// What a server's backups leave out: its owner's patterns (one from the world's root, one
/// anywhere) keep those files out of the snapshot, and restic alone shows they are not there;
/// bad patterns are refused and change nothing. A plan's space for backups, once used up,
/// refuses the next backup with the reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backups_leave_out_what_the_owner_says_and_stop_at_the_plans_space() {
    let port = s3::free_port();
    let app = TestApp::spawn_with(|c| c.backup_repository = Some(s3::repository_on(port))).await;
    let _s3 = S3::start(([127, 0, 0, 1], port).into()).await;
    app.put_secret("panel-backups", &s3::secret()).await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "lean", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    for folder in ["/logs", "/world"] {
        // there already, or made now
        app.call("file_mkdir", json!({"id": id, "path": folder}))
            .await;
    }
    for (path, content) in [
        ("/logs/old.log", "noise"),
        ("/world/keep.dat", "the world"),
        ("/world/debug.log", "noise"),
    ] {
        let res = app
            .call(
                "file_write",
                json!({"id": id, "path": path, "content": content}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
    for bad in [
        json!(["a\nb"]),
        json!(vec!["*.log"; 51]),
        json!([format!("{}", "x".repeat(201))]),
    ] {
        let res = app
            .call("backup_exclude", json!({"id": id, "patterns": bad}))
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    let list = json(app.call("backups", json!({"id": id})).await).await;
    assert_eq!(list["exclude"], json!([]), "nothing was kept");
    let res = app
        .call(
            "backup_exclude",
            json!({"id": id, "patterns": ["/logs", " *.log ", ""]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(json(res).await, json!(["/logs", "*.log"]));
    let made = backup(&app, &id, "lean").await;
    let snapshot = made["snapshot"].as_str().unwrap().to_string();
    let root = app.config.backup_repository.clone().unwrap();
    let repo = format!("{root}/{}", s["object_name"].as_str().unwrap());
    let files = s3::restic(&repo, &["ls", &snapshot]);
    assert!(files.contains("keep.dat"), "{files}");
    assert!(!files.contains("old.log"), "/logs is left out: {files}");
    assert!(!files.contains("debug.log"), "*.log is left out: {files}");

    // the plan's space: a limit of 1 GiB with more than that used refuses the next backup
    {
        use diesel_async::RunQueryDsl;
        let mut c = app.pool.get().await.unwrap();
        diesel::sql_query("UPDATE plans SET max_backup_gib = 1")
            .execute(&mut c)
            .await
            .unwrap();
        diesel::sql_query("UPDATE backups SET added_bytes = 2147483648")
            .execute(&mut c)
            .await
            .unwrap();
    }
    let list = json(app.call("backups", json!({"id": id})).await).await;
    assert_eq!(list["bytes_limit"], 1u64 << 30);
    assert_eq!(list["bytes_used"], 2u64 << 30);
    let res = app
        .call("backup_create", json!({"id": id, "name": "one too many"}))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(message(res).await.contains("at most 1 GiB"));
    let list = json(app.call("backups", json!({"id": id})).await).await;
    assert_eq!(
        list["backups"].as_array().unwrap().len(),
        1,
        "nothing started"
    );
}

/// Deleting a backup takes its data out of the repository (`forget --prune`), not only its
/// snapshot: what only it held is gone, as restic's own count of the raw data shows, and the
/// repository checks clean. Deleting the server with its world empties its repository.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_backups_data_leaves_the_repository() {
    let port = s3::free_port();
    let app = TestApp::spawn_with(|c| c.backup_repository = Some(s3::repository_on(port))).await;
    let _s3 = S3::start(([127, 0, 0, 1], port).into()).await;
    app.put_secret("panel-backups", &s3::secret()).await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "pruned", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    let object = s["object_name"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    let world = app.world_dir(&object).await;
    let noise: Vec<u8> = (0..4 << 20).map(|_| rand_byte()).collect();
    std::fs::write(world.join("big.bin"), &noise).unwrap();
    let first = backup(&app, &id, "with the big file").await;
    std::fs::remove_file(world.join("big.bin")).unwrap();
    backup(&app, &id, "without it").await;
    let repo = format!("{}/{object}", app.config.backup_repository.clone().unwrap());
    let raw = |repo: &str| -> u64 {
        let v: Value = serde_json::from_str(&s3::restic(
            repo,
            &["stats", "--mode", "raw-data", "--json", "--no-lock"],
        ))
        .unwrap();
        v["total_size"].as_u64().unwrap()
    };
    let before = raw(&repo);
    assert!(before > 4 << 20, "{before}");
    let res = app
        .call("backup_delete", json!({"id": id, "backup": first["id"]}))
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    let after = raw(&repo);
    assert!(
        after + (3 << 20) < before,
        "the big file's data went: {before} -> {after}"
    );
    s3::restic(&repo, &["check"]);

    // the server deleted with its world while a backup runs: its backups go too, once that
    // backup's job has ended, and the repository is empty
    // large enough to keep the job busy past the deletion (xorshift noise: nothing dedups)
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let late: Vec<u8> = (0..(48 << 20) / 8)
        .flat_map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()
        })
        .collect();
    std::fs::write(world.join("late.bin"), &late).unwrap();
    let res = app
        .call("backup_create", json!({"id": id, "name": "under way"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // its job's pod has started
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let res = app
        .call("server_delete", json!({"id": id, "keep_world": false}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // the job runs after the answer: wait for restic to show the repository empty (forget,
    // then prune)
    let mut last = String::new();
    for _ in 0..240 {
        let out = std::process::Command::new("restic")
            .args([
                "--no-cache",
                "--no-lock",
                "-r",
                &repo,
                "stats",
                "--mode",
                "raw-data",
                "--json",
            ])
            .env("RESTIC_PASSWORD", s3::PASSWORD)
            .env("AWS_ACCESS_KEY_ID", s3::ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", s3::SECRET_KEY)
            .output()
            .unwrap();
        last = String::from_utf8_lossy(&out.stdout).to_string();
        let v: Value = serde_json::from_str(&last).unwrap_or(Value::Null);
        if v["total_size"] == 0 && v["snapshots_count"] == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let v: Value = serde_json::from_str(&last).unwrap_or(Value::Null);
    assert_eq!(
        (&v["snapshots_count"], &v["total_size"]),
        (&json!(0), &json!(0)),
        "the deleted server's snapshots are forgotten and their data pruned: {last}"
    );
}

/// A byte of noise (incompressible, so the repository's size shows it).
fn rand_byte() -> u8 {
    uuid::Uuid::new_v4().as_bytes()[0]
}

/// A store with no room left (a path repository on a 2 MiB tmpfs this test mounts, as root):
/// the backup fails with restic's reason, no backup is listed as made, and the running server
/// saves again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_store_fails_the_backup_with_the_reason_and_changes_nothing() {
    /// The tmpfs, unmounted when dropped.
    struct Tmpfs(std::path::PathBuf);
    impl Drop for Tmpfs {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    let dir = std::env::temp_dir().join(format!("panel-full-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m,mode=0777", "tmpfs"])
        .arg(&dir)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            std::env::var("PANEL_REALKUBE").as_deref() != Ok("require"),
            "mounting a small tmpfs needs root"
        );
        eprintln!("cannot mount a tmpfs here: skipped");
        return;
    }
    let store = Tmpfs(dir);
    let root = store.0.display().to_string();
    let app = TestApp::spawn_with(|c| c.backup_repository = Some(root.clone())).await;
    app.put_secret("panel-backups", &[("RESTIC_PASSWORD", s3::PASSWORD)])
        .await;
    app.setup_admin("admin", PASSWORD).await;
    let (t, p) = ids(&app, "vanilla", "small").await;
    let s = json(create(&app, "crowded", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    let world = app.world_dir(s["object_name"].as_str().unwrap()).await;
    let noise: Vec<u8> = (0..6 << 20).map(|_| rand_byte()).collect();
    std::fs::write(world.join("big.bin"), &noise).unwrap();
    let res = app
        .call("backup_create", json!({"id": id, "name": "too big"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let list = wait_backups(&app, &id, "the failure", |l| {
        l["backups"][0]["state"] == "failed"
    })
    .await;
    let error = list["backups"][0]["error"].as_str().unwrap();
    assert!(error.contains("no space left"), "{error}");
    assert!(
        list["backups"]
            .as_array()
            .unwrap()
            .iter()
            .all(|b| b["state"] != "done"),
        "{list:#}"
    );
    let log = std::fs::read_to_string(world.join("logs/latest.log")).unwrap();
    assert!(log.contains("Automatic saving is now enabled"), "{log}");
    assert_eq!(
        common::servers::server(&app, &id).await["status"],
        "running"
    );
}
