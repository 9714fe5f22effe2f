//! The file manager against fakekube's exec (a real shell and real files in the pod's volume):
//! every operation on GNU and busybox userlands, binary round trips, paths that try to leave
//! the data folder (`..`, links, zip slip), names that try to inject, special files, refusals
//! for strangers, and a 200 MiB upload streamed with the panel's memory flat.

mod common;

use std::io::Write;
use std::time::Duration;

use common::servers::{create, ids, message, wait_status};
use common::{TestApp, json};
use reqwest::StatusCode;

/// The suite's name in the real-cluster report.
const SUITE: &str = "panel files";

both!(SUITE, every_operation_works_with_gnu_tools);
both!(SUITE, every_operation_works_with_busybox_tools);
both!(SUITE, paths_never_leave_the_data_folder);
both!(
    SUITE,
    a_stopped_servers_files_are_reached_through_a_maintenance_pod
);
both!(
    SUITE,
    a_maintenance_pod_lives_while_it_is_used_and_ends_when_idle,
    |c: &mut server::Config| c.maintenance_idle_secs = 6
);
use serde_json::{Value, json};

/// Starts a running server from `template` and returns its id.
async fn running(app: &TestApp, name: &str, template: &str) -> String {
    let (t, p) = ids(app, template, "small").await;
    let res = create(app, name, &t, &p).await;
    assert_eq!(res.status(), StatusCode::OK);
    let id = json(res).await["id"].as_str().unwrap().to_string();
    wait_status(app, &id, "running").await;
    // the status watch has seen the pod run (the file manager works in it)
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let res = app.call("files_list", json!({"id": id, "path": "/"})).await;
        if res.status() == StatusCode::OK {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "files never listed: {}",
            json(res).await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    id
}

/// A copy of the vanilla template on an Alpine image (busybox tools in the container).
async fn alpine_template(app: &TestApp) {
    let (vanilla, _) = ids(app, "vanilla", "small").await;
    let mut t = json(app.call("template_export", json!({"id": vanilla})).await).await;
    t["name"] = json!("Vanilla (Alpine)");
    t["spec"]["slug"] = json!("vanilla-alpine");
    t["spec"]["image"] = json!("itzg/minecraft-server:java21-alpine");
    let res = app.call("template_import", json!({"template": t})).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
}

async fn list(app: &TestApp, id: &str, path: &str) -> Vec<Value> {
    let res = app
        .call("files_list", json!({"id": id, "path": path}))
        .await;
    assert_eq!(res.status(), StatusCode::OK, "list {path}");
    json(res).await["entries"].as_array().unwrap().clone()
}

fn names(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect()
}

async fn upload(
    app: &TestApp,
    id: &str,
    path: &str,
    bytes: Vec<u8>,
    overwrite: bool,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/api/servers/{id}/files/upload")))
        .query(&[
            ("path", path),
            ("overwrite", if overwrite { "true" } else { "false" }),
        ])
        .header("origin", &app.base)
        .header("x-panel-request", "upload")
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn download(app: &TestApp, id: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/servers/{id}/files/download")))
        .query(&[("path", path)])
        .send()
        .await
        .unwrap()
}

async fn read(app: &TestApp, id: &str, path: &str) -> Value {
    let res = app.call("file_read", json!({"id": id, "path": path})).await;
    assert_eq!(res.status(), StatusCode::OK, "read {path}");
    json(res).await
}

/// Runs a command in the server's container, as a test's own hand (not through the panel).
async fn exec(app: &TestApp, id: &str, argv: &[&str]) -> cluster::ExecOutput {
    let s = common::servers::server(app, id).await;
    let pod = format!("{}-0", s["object_name"].as_str().unwrap());
    let argv: Vec<String> = argv.iter().map(|a| a.to_string()).collect();
    app.state
        .kube
        .exec_output(&pod, &argv, 1 << 20)
        .await
        .unwrap()
}

/// Bytes that are not text: every byte value, repeated.
fn binary(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 251) as u8).collect()
}

/// Every operation, on a server whose container has GNU or busybox tools.
async fn every_operation(app: &TestApp, id: &str) {
    // Given a running server: mcsim wrote its files
    let root = list(app, id, "/").await;
    let n = names(&root);
    assert!(
        n.contains(&"server.properties") && n.contains(&"world"),
        "{n:?}"
    );
    assert_eq!(root[0]["kind"], "folder", "folders first: {n:?}");
    let props = root
        .iter()
        .find(|e| e["name"] == "server.properties")
        .unwrap();
    assert_eq!(props["kind"], "file");
    assert!(props["size"].as_u64().unwrap() > 10);

    // Folders: create, and not twice
    for p in ["/plugins", "/plugins/Essentials"] {
        let res = app.call("file_mkdir", json!({"id": id, "path": p})).await;
        assert_eq!(res.status(), StatusCode::OK, "mkdir {p}");
    }
    let res = app
        .call("file_mkdir", json!({"id": id, "path": "/plugins"}))
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(message(res).await.contains("exists already"));

    // Text: create, read, save over the version read, refuse a stale version
    let odd = "/plugins/Essentials/it's a \"config\" -rf $(x).yml";
    let res = app
        .call(
            "file_write",
            json!({"id": id, "path": odd, "content": "motd: été\n"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .call(
            "file_write",
            json!({"id": id, "path": odd, "content": "again"}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "a new file never replaces one"
    );
    let text = read(app, id, odd).await;
    assert_eq!(text["content"], "motd: été\n");
    let v1 = text["version"].as_str().unwrap().to_string();
    let res = app
        .call(
            "file_write",
            json!({"id": id, "path": odd, "content": "motd: two\n", "version": v1}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let v2 = json(res).await.as_str().unwrap().to_string();
    assert_ne!(v1, v2);
    let res = app
        .call(
            "file_write",
            json!({"id": id, "path": odd, "content": "lost", "version": v1}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(message(res).await.contains("changed on disk"));
    assert_eq!(read(app, id, odd).await["content"], "motd: two\n");
    // a version the panel never gave (a NUL, a shell word, a third part) is refused at once
    for bad in ["1\u{0}2 3", "$(id) 1", "12 34 56", "", " 1"] {
        let res = app
            .call(
                "file_write",
                json!({"id": id, "path": odd, "content": "x", "version": bad}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(message(res).await.contains("not one the panel gave"));
    }
    assert_eq!(read(app, id, odd).await["content"], "motd: two\n");

    // The editor's limit: 4 MiB of text saves and reads back; more is refused clearly
    let big = "a line of a large config file\n".repeat(4 * 1024 * 1024 / 30);
    let res = app
        .call(
            "file_write",
            json!({"id": id, "path": "/big.yml", "content": big}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    assert_eq!(
        read(app, id, "/big.yml").await["content"]
            .as_str()
            .unwrap()
            .len(),
        big.len()
    );
    let res = app
        .call(
            "file_write",
            json!({"id": id, "path": "/bigger.yml", "content": big.repeat(2)}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(message(res).await.contains("at most 4 MiB"));

    // Binary: upload and download byte for byte; not opened as text
    let bytes = binary(300_000);
    let res = upload(app, id, "/plugins/-rf.jar", bytes.clone(), false).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let res = download(app, id, "/plugins/-rf.jar").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-length"], "300000");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("-rf.jar")
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), &bytes[..]);
    let res = app
        .call("file_read", json!({"id": id, "path": "/plugins/-rf.jar"}))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(message(res).await.contains("not text"));
    let res = upload(app, id, "/plugins/-rf.jar", b"x".to_vec(), false).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "no silent overwrite");
    let res = upload(app, id, "/plugins/-rf.jar", b"small".to_vec(), true).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        download(app, id, "/plugins/-rf.jar")
            .await
            .bytes()
            .await
            .unwrap()
            .as_ref(),
        b"small"
    );

    // Rename, copy, chmod
    let res = app
        .call(
            "file_rename",
            json!({"id": id, "from": "/plugins/-rf.jar", "to": "/plugins/Essentials/b c.jar"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .call(
            "file_copy",
            json!({"id": id, "from": "/plugins", "to": "/plugins-copy"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let copied = list(app, id, "/plugins-copy/Essentials").await;
    assert_eq!(names(&copied).len(), 2, "{copied:?}");
    let res = app
        .call(
            "file_rename",
            json!({"id": id, "from": "/plugins", "to": "/plugins/inside"}),
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::BAD_REQUEST,
        "a folder never moves into itself"
    );
    let res = app
        .call(
            "file_rename",
            json!({"id": id, "from": "/nothing", "to": "/else"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app
        .call(
            "file_chmod",
            json!({"id": id, "path": "/plugins/Essentials/b c.jar", "mode": 0o600}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let ess = list(app, id, "/plugins/Essentials").await;
    let jar = ess.iter().find(|e| e["name"] == "b c.jar").unwrap();
    assert_eq!(jar["mode"], 0o600);
    let res = app
        .call(
            "file_chmod",
            json!({"id": id, "path": "/plugins", "mode": 0o4755}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "no set-uid");

    // A folder downloads as a tar.gz
    let res = download(app, id, "/plugins").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/gzip");
    let gz = res.bytes().await.unwrap();
    let mut ar = tar::Archive::new(flate2::read::GzDecoder::new(&gz[..]));
    let inside: Vec<String> = ar
        .entries()
        .unwrap()
        .map(|e| e.unwrap().path().unwrap().display().to_string())
        .collect();
    assert!(
        inside.iter().any(|p| p.ends_with("Essentials/b c.jar")),
        "{inside:?}"
    );

    // Archives: pack (tar.gz and zip), unpack refuses to overwrite, unpacks after a delete
    for (format, archive) in [("tar_gz", "backup.tar.gz"), ("zip", "backup.zip")] {
        let res = app
            .call("files_compress", json!({"id": id, "folder": "/", "names": ["plugins", "eula.txt"], "archive": "backup", "format": format}))
            .await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{format}: {}",
            json(res).await
        );
        assert!(names(&list(app, id, "/").await).contains(&archive));
        let path = format!("/{archive}");
        let res = app
            .call("file_decompress", json!({"id": id, "path": path}))
            .await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "{format}");
        let res = app
            .call(
                "files_delete",
                json!({"id": id, "paths": ["/plugins", "/eula.txt"]}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        let res = app
            .call("file_decompress", json!({"id": id, "path": path}))
            .await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "{format}: {}",
            json(res).await
        );
        assert_eq!(
            read(app, id, odd).await["content"],
            "motd: two\n",
            "{format} round trip"
        );
        assert!(
            read(app, id, "/eula.txt").await["content"]
                .as_str()
                .unwrap()
                .contains("eula=true")
        );
        let res = app
            .call("files_delete", json!({"id": id, "paths": [path]}))
            .await;
        assert_eq!(res.status(), StatusCode::OK);
    }

    // Names that start with "-" are names in every script, never options of mv, cp, tar...
    let ok = async |endpoint: &str, body: Value| {
        let res = app.call(endpoint, body).await;
        let status = res.status();
        assert_eq!(status, StatusCode::OK, "{endpoint}: {}", json(res).await);
    };
    ok("file_mkdir", json!({"id": id, "path": "/-t"})).await;
    ok(
        "file_write",
        json!({"id": id, "path": "/-rf", "content": "dash\n"}),
    )
    .await;
    ok(
        "file_rename",
        json!({"id": id, "from": "/-rf", "to": "/--help"}),
    )
    .await;
    ok(
        "file_copy",
        json!({"id": id, "from": "/--help", "to": "/-n"}),
    )
    .await;
    ok(
        "file_chmod",
        json!({"id": id, "path": "/-n", "mode": 0o600}),
    )
    .await;
    ok(
        "file_copy",
        json!({"id": id, "from": "/-n", "to": "/-t/-f"}),
    )
    .await;
    assert_eq!(read(app, id, "/-t/-f").await["content"], "dash\n");
    for (format, archive) in [("tar_gz", "-t.tar.gz"), ("zip", "-t.zip")] {
        ok(
            "files_compress",
            json!({"id": id, "folder": "/", "names": ["-n", "--help", "-t"], "archive": "-t", "format": format}),
        )
        .await;
        let root = list(app, id, "/").await;
        assert!(
            names(&root).contains(&archive),
            "{format}: {:?}",
            names(&root)
        );
        assert!(
            names(&root).contains(&"-t"),
            "the folder -t is still a folder"
        );
        ok(
            "files_delete",
            json!({"id": id, "paths": ["/-n", "/--help", "/-t"]}),
        )
        .await;
        ok(
            "file_decompress",
            json!({"id": id, "path": format!("/{archive}")}),
        )
        .await;
        assert_eq!(
            read(app, id, "/--help").await["content"],
            "dash\n",
            "{format}"
        );
        assert_eq!(
            read(app, id, "/-t/-f").await["content"],
            "dash\n",
            "{format}"
        );
        ok(
            "files_delete",
            json!({"id": id, "paths": [format!("/{archive}")]}),
        )
        .await;
    }
    ok(
        "files_delete",
        json!({"id": id, "paths": ["/-n", "/--help", "/-t"]}),
    )
    .await;
    let root = list(app, id, "/").await;
    assert!(
        !names(&root).iter().any(|n| n.starts_with('-')),
        "{:?}",
        names(&root)
    );

    // Delete: all checked first, then all deleted
    let res = app
        .call(
            "files_delete",
            json!({"id": id, "paths": ["/plugins-copy", "/missing"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(
        names(&list(app, id, "/").await).contains(&"plugins-copy"),
        "nothing deleted"
    );
    let res = app
        .call(
            "files_delete",
            json!({"id": id, "paths": ["/plugins-copy", "/plugins"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let n = list(app, id, "/").await;
    assert!(!names(&n).contains(&"plugins") && !names(&n).contains(&"plugins-copy"));
    let res = app
        .call("files_delete", json!({"id": id, "paths": ["/"]}))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // Every change is in the audit log
    let mut c = app.pool.get().await.unwrap();
    let actions = db::Audit::actions_for(&mut c, id.parse().unwrap())
        .await
        .unwrap();
    for a in [
        "file.mkdir",
        "file.write",
        "file.upload",
        "file.rename",
        "file.copy",
        "file.chmod",
        "file.delete",
        "file.compress",
        "file.decompress",
    ] {
        assert!(
            actions.iter().any(|(x, o)| x == a && o == "ok"),
            "{a} audited: {actions:?}"
        );
    }
}

async fn every_operation_works_with_gnu_tools(app: TestApp) {
    app.setup_admin("admin", "correct horse battery").await;
    let id = running(&app, "gnu", "vanilla").await;
    every_operation(&app, &id).await;
}

async fn every_operation_works_with_busybox_tools(app: TestApp) {
    app.setup_admin("admin", "correct horse battery").await;
    alpine_template(&app).await;
    let id = running(&app, "alpine", "vanilla-alpine").await;
    let which = exec(&app, &id, &["readlink", "/bin/stat"]).await;
    assert!(
        String::from_utf8_lossy(&which.stdout).contains("busybox"),
        "the container's tools are busybox: {which:?}"
    );
    every_operation(&app, &id).await;
}

async fn paths_never_leave_the_data_folder(app: TestApp) {
    app.setup_admin("admin", "correct horse battery").await;
    let id = running(&app, "jail", "vanilla").await;

    // `..` is refused by the panel before anything runs
    for path in ["../etc/passwd", "/world/../../etc", ".."] {
        let res = app
            .call("files_list", json!({"id": id, "path": path}))
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
        assert!(message(res).await.contains(".."));
        let res = app.call("file_read", json!({"id": id, "path": path})).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(
            download(&app, &id, path).await.status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            upload(&app, &id, path, b"x".to_vec(), true).await.status(),
            StatusCode::BAD_REQUEST
        );
    }
    // an absolute path means the data folder's, never the container's
    let res = app
        .call("file_read", json!({"id": id, "path": "/etc/passwd"}))
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // A link to /etc (made in the container by other means) is not followed
    let made = exec(&app, &id, &["ln", "-s", "/etc", "/data/etc-link"]).await;
    assert_eq!(made.code, 0, "{made:?}");
    exec(&app, &id, &["ln", "-s", "/etc/hostname", "/data/host-link"]).await;
    let listed = list(&app, &id, "/").await;
    let link = listed.iter().find(|e| e["name"] == "etc-link").unwrap();
    assert_eq!(link["kind"], "link");
    for (endpoint, body) in [
        ("files_list", json!({"id": id, "path": "/etc-link"})),
        ("file_read", json!({"id": id, "path": "/etc-link/passwd"})),
        ("file_read", json!({"id": id, "path": "/host-link"})),
        (
            "file_write",
            json!({"id": id, "path": "/etc-link/evil", "content": "x"}),
        ),
        (
            "file_write",
            json!({"id": id, "path": "/host-link", "content": "x", "version": "1 1"}),
        ),
        ("file_mkdir", json!({"id": id, "path": "/etc-link/evil"})),
        (
            "file_rename",
            json!({"id": id, "from": "/etc-link/hostname", "to": "/stolen"}),
        ),
        (
            "file_copy",
            json!({"id": id, "from": "/etc-link/passwd", "to": "/stolen"}),
        ),
        (
            "file_copy",
            json!({"id": id, "from": "/eula.txt", "to": "/etc-link/evil"}),
        ),
        (
            "file_chmod",
            json!({"id": id, "path": "/host-link", "mode": 0o777}),
        ),
        (
            "files_delete",
            json!({"id": id, "paths": ["/etc-link/hostname"]}),
        ),
        (
            "files_compress",
            json!({"id": id, "folder": "/etc-link", "names": ["passwd"], "archive": "x", "format": "zip"}),
        ),
    ] {
        let res = app.call(endpoint, body.clone()).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{endpoint} {body}");
        assert!(message(res).await.contains("outside the server's folder"));
    }
    assert_eq!(
        download(&app, &id, "/etc-link/passwd").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        download(&app, &id, "/host-link").await.status(),
        StatusCode::FORBIDDEN
    );
    // A refused upload answers at once, whatever its size: nothing is sent to a script that
    // has refused (once, a large body was pushed at a finished exec and never answered)
    let big = vec![7u8; 1024 * 1024];
    for (path, overwrite, status) in [
        ("/etc-link/evil", true, StatusCode::FORBIDDEN),
        ("/eula.txt", false, StatusCode::CONFLICT),
    ] {
        let res = tokio::time::timeout(
            Duration::from_secs(30),
            upload(&app, &id, path, big.clone(), overwrite),
        )
        .await
        .unwrap_or_else(|_| panic!("the upload to {path} was never answered"));
        assert_eq!(res.status(), status, "{path}");
    }
    let eula = read(&app, &id, "/eula.txt").await;
    assert!(eula["content"].as_str().unwrap().contains("eula=true"));
    let etc = exec(&app, &id, &["ls", "/etc"]).await;
    let etc = String::from_utf8_lossy(&etc.stdout);
    assert!(
        !etc.contains("evil") && !etc.contains("stolen"),
        "nothing reached /etc"
    );
    // deleting the link removes the link, not what it points to
    let res = app
        .call("files_delete", json!({"id": id, "paths": ["/etc-link"]}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        exec(&app, &id, &["test", "-f", "/etc/passwd"]).await.code,
        0
    );

    // Zip slip: an archive with `..` or an absolute path is refused whole
    for (entry, why) in [
        ("../evil.txt", "out of the folder"),
        ("/evil.txt", "absolute"),
    ] {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let o = zip::write::SimpleFileOptions::default();
            z.start_file("fine.txt", o).unwrap();
            z.write_all(b"fine").unwrap();
            z.start_file(entry, o).unwrap();
            z.write_all(b"evil").unwrap();
            z.finish().unwrap();
        }
        let res = upload(&app, &id, "/slip.zip", buf.into_inner(), true).await;
        assert_eq!(res.status(), StatusCode::OK);
        let res = app
            .call("file_decompress", json!({"id": id, "path": "/slip.zip"}))
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let m = message(res).await;
        assert!(m.contains(why) && m.contains("Nothing was changed"), "{m}");
        assert!(!names(&list(&app, &id, "/").await).contains(&"fine.txt"));
    }
    assert_ne!(exec(&app, &id, &["test", "-e", "/evil.txt"]).await.code, 0);
    // a tar with a link in it is refused too
    let mut tarball = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Symlink);
    h.set_size(0);
    tarball
        .append_link(&mut h, "passwd", "/etc/passwd")
        .unwrap();
    let res = upload(&app, &id, "/link.tar", tarball.into_inner().unwrap(), true).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .call("file_decompress", json!({"id": id, "path": "/link.tar"}))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(message(res).await.contains("link"));

    // Devices, fifos and sockets are listed but never opened
    exec(&app, &id, &["mkfifo", "/data/pipe"]).await;
    let entries = list(&app, &id, "/").await;
    assert_eq!(
        entries.iter().find(|e| e["name"] == "pipe").unwrap()["kind"],
        "special"
    );
    let res = app
        .call("file_read", json!({"id": id, "path": "/pipe"}))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        download(&app, &id, "/pipe").await.status(),
        StatusCode::BAD_REQUEST
    );

    // Names that try to inject are plain names; names that cannot be are refused clearly
    for name in [
        "$(touch injected)",
        "; touch injected",
        "`touch injected`",
        "-rf",
        "--help",
        "a'b\"c",
    ] {
        let path = format!("/{name}");
        let res = app
            .call(
                "file_write",
                json!({"id": id, "path": path, "content": name}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{name}");
        assert_eq!(read(&app, &id, &path).await["content"], name);
    }
    assert!(!names(&list(&app, &id, "/").await).contains(&"injected"));
    for name in ["new\nline", "tab\there", "nul\0byte"] {
        let res = app
            .call(
                "file_write",
                json!({"id": id, "path": format!("/{name}"), "content": ""}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{name:?}");
        assert!(message(res).await.contains("control characters"));
    }
    // an odd name made by other means is listed and marked
    exec(&app, &id, &["touch", "/data/made\nelsewhere"]).await;
    let entries = list(&app, &id, "/").await;
    assert_eq!(
        entries
            .iter()
            .find(|e| e["name"] == "made\nelsewhere")
            .unwrap()["odd"],
        true
    );
}

#[tokio::test]
async fn strangers_and_stopped_servers_are_refused() {
    let app = TestApp::spawn_with(|c| c.upload_limit_mib = 1).await;
    app.setup_admin("admin", "correct horse battery").await;
    app.plain_user("eve", "a long enough password").await;
    let id = running(&app, "private", "vanilla").await;
    let eve = TestApp::new_client();
    app.call_as(
        &eve,
        "login",
        json!({"username": "eve", "password": "a long enough password"}),
    )
    .await;
    for (endpoint, body) in endpoints(&id) {
        let res = app.call_as(&eve, endpoint, body).await;
        assert_eq!(
            res.status(),
            StatusCode::NOT_FOUND,
            "{endpoint} for a stranger"
        );
    }
    let res = eve
        .get(app.url(&format!("/api/servers/{id}/files/download")))
        .query(&[("path", "/eula.txt")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // Uploads: over the limit (by the announced size, before a byte is written), from another
    // site, or signed in without naming themselves
    let res = upload(&app, &id, "/huge.bin", vec![0; 1024 * 1024 + 1], false).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(message(res).await.contains("1 MiB"));
    assert!(!names(&list(&app, &id, "/").await).contains(&"huge.bin"));
    let res = app
        .client
        .put(app.url(&format!("/api/servers/{id}/files/upload")))
        .query(&[("path", "/x")])
        .header("origin", "https://evil.example")
        .header("x-panel-request", "upload")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = app
        .client
        .put(app.url(&format!("/api/servers/{id}/files/upload")))
        .query(&[("path", "/x")])
        .header("origin", &app.base)
        .header("content-type", "application/octet-stream")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "a signed-in upload must name itself"
    );
}

/// A stopped server's files are reached through a maintenance pod that holds its world: made on
/// demand as the panel's (restricted, busybox), gone before the server starts again (its claim
/// may be ReadWriteOnce), and what was written meanwhile is the running server's.
async fn a_stopped_servers_files_are_reached_through_a_maintenance_pod(app: TestApp) {
    app.setup_admin("admin", "correct horse battery").await;
    let (t, p) = common::servers::ids(&app, "vanilla", "small").await;
    let s = json(common::servers::create(&app, "stopped-files", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    let object = s["object_name"].as_str().unwrap().to_string();
    wait_status(&app, &id, "running").await;
    let res = common::servers::power(&app, &id, "stop").await;
    assert_eq!(res.status(), StatusCode::OK);
    wait_status(&app, &id, "stopped").await;

    let res = app.call("files_list", json!({"id": id, "path": "/"})).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    let listing = json(app.call("files_list", json!({"id": id, "path": "/"})).await).await;
    assert!(
        listing["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["name"] == "server.properties"),
        "{listing}"
    );
    let pod = app
        .object("Pod", &format!("{object}-files"))
        .await
        .expect("the maintenance pod");
    assert_eq!(
        pod["metadata"]["labels"]["app.kubernetes.io/component"],
        "files"
    );
    assert_eq!(pod["spec"]["securityContext"]["runAsNonRoot"], true);
    let res = app
        .call(
            "file_write",
            json!({"id": id, "path": "/while-stopped.txt", "content": "kept"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);

    // a start takes the world back from it, even while the file manager keeps asking (each
    // ask would make the pod again; the start must not wait for a pod that keeps coming back)
    let started = std::sync::atomic::AtomicBool::new(false);
    let start = async {
        let res = common::servers::power(&app, &id, "start").await;
        started.store(true, std::sync::atomic::Ordering::SeqCst);
        res
    };
    let lister = async {
        let mut asks = 0;
        while !started.load(std::sync::atomic::Ordering::SeqCst) {
            app.call("files_list", json!({"id": id, "path": "/"})).await;
            asks += 1;
        }
        asks
    };
    let (res, asks) = tokio::join!(start, lister);
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    assert!(asks > 0);
    assert!(
        app.object("Pod", &format!("{object}-files"))
            .await
            .is_none(),
        "the maintenance pod is gone before the server starts"
    );
    wait_status(&app, &id, "running").await;
    let res = app
        .call("file_read", json!({"id": id, "path": "/while-stopped.txt"}))
        .await;
    assert_eq!(json(res).await["content"], "kept");
}

/// A maintenance pod's life counts from its last use: used every few seconds it stays (the
/// same pod), left alone for its idle seconds it ends by itself, and the next operation makes a
/// new one.
async fn a_maintenance_pod_lives_while_it_is_used_and_ends_when_idle(app: TestApp) {
    app.setup_admin("admin", "correct horse battery").await;
    let (t, p) = common::servers::ids(&app, "vanilla", "small").await;
    let s = json(common::servers::create(&app, "idle-files", &t, &p).await).await;
    let id = s["id"].as_str().unwrap().to_string();
    let name = format!("{}-files", s["object_name"].as_str().unwrap());
    wait_status(&app, &id, "running").await;
    assert_eq!(
        common::servers::power(&app, &id, "stop").await.status(),
        StatusCode::OK
    );
    wait_status(&app, &id, "stopped").await;
    let list = || app.call("files_list", json!({"id": id, "path": "/"}));
    assert_eq!(list().await.status(), StatusCode::OK);
    let uid = |pod: Option<Value>| pod.map(|p| p["metadata"]["uid"].clone());
    let first = uid(app.object("Pod", &name).await).expect("the maintenance pod");
    // used every 3 s for 12 s: twice its idle time, and still the same pod
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(list().await.status(), StatusCode::OK);
        let pod = app.object("Pod", &name).await.unwrap();
        assert_eq!(pod["metadata"]["uid"], first, "the same pod while used");
        assert_eq!(pod["status"]["phase"], "Running");
    }
    // left alone, it ends
    let mut ended = false;
    for _ in 0..60 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let pod = app.object("Pod", &name).await;
        if pod
            .as_ref()
            .is_none_or(|p| p["status"]["phase"] != "Running")
        {
            ended = true;
            break;
        }
    }
    assert!(ended, "the idle maintenance pod ended by itself");
    assert_eq!(list().await.status(), StatusCode::OK);
    let again = uid(app.object("Pod", &name).await).expect("a new maintenance pod");
    assert_ne!(again, first, "a new one for the next operation");
}

/// Every file endpoint with valid arguments.
fn endpoints(id: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("files_list", json!({"id": id, "path": "/"})),
        ("file_read", json!({"id": id, "path": "/eula.txt"})),
        (
            "file_write",
            json!({"id": id, "path": "/new.txt", "content": "x"}),
        ),
        ("file_mkdir", json!({"id": id, "path": "/new"})),
        (
            "file_rename",
            json!({"id": id, "from": "/eula.txt", "to": "/e.txt"}),
        ),
        (
            "file_copy",
            json!({"id": id, "from": "/eula.txt", "to": "/e.txt"}),
        ),
        ("files_delete", json!({"id": id, "paths": ["/eula.txt"]})),
        (
            "file_chmod",
            json!({"id": id, "path": "/eula.txt", "mode": 0o644}),
        ),
        (
            "files_compress",
            json!({"id": id, "folder": "/", "names": ["eula.txt"], "archive": "a", "format": "zip"}),
        ),
        ("file_decompress", json!({"id": id, "path": "/a.zip"})),
    ]
}

/// Archive work on the panel's temporary space takes turns: one job per user, a few over the
/// panel; a refusal says why, is audited like any refusal, and writes nothing.
#[tokio::test]
async fn archive_work_takes_turns() {
    let app = TestApp::spawn_with(|c| c.archive_jobs = 2).await;
    app.setup_admin("admin", "correct horse battery").await;
    let id = running(&app, "packer", "vanilla").await;
    let admin: uuid::Uuid = serde_json::from_value(app.user_id("admin").await).unwrap();
    let pack =
        json!({"id": id, "folder": "/", "names": ["eula.txt"], "archive": "a", "format": "zip"});
    let refused = async |says: &str| {
        let res = app.call("files_compress", pack.clone()).await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(res.headers().contains_key("retry-after"));
        let body = json(res).await;
        assert!(body["message"].as_str().unwrap().contains(says), "{body}");
        let res = app
            .call("file_decompress", json!({"id": id, "path": "/a.zip"}))
            .await;
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(
            !names(&list(&app, &id, "/").await).contains(&"a.zip"),
            "nothing was written"
        );
    };
    // the user's own job running
    let mine = app.state.archives.take(admin).unwrap();
    refused("already packing").await;
    drop(mine);
    // two others' jobs running
    let others = (
        app.state.archives.take(uuid::Uuid::new_v4()).unwrap(),
        app.state.archives.take(uuid::Uuid::new_v4()).unwrap(),
    );
    refused("2 archives").await;
    // a .tar.gz is packed in the container: no slot needed
    let res = app
        .call(
            "files_compress",
            json!({"id": id, "folder": "/", "names": ["eula.txt"], "archive": "b", "format": "tar_gz"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    drop(others);
    // free again
    let res = app.call("files_compress", pack.clone()).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", json(res).await);
    let res = app
        .call("file_decompress", json!({"id": id, "path": "/a.zip"}))
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "eula.txt exists: {}",
        json(res).await
    );
}

/// The panel's resident memory, in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// A deterministic byte stream of `len` bytes, in 64 KiB chunks, never held whole.
fn pattern(len: u64) -> impl futures::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    const CHUNK: u64 = 64 * 1024;
    futures::stream::iter((0..len.div_ceil(CHUNK)).map(move |i| {
        let n = CHUNK.min(len - i * CHUNK) as usize;
        Ok((0..n)
            .map(|j| ((i as usize * 31 + j * 13) % 251) as u8)
            .collect())
    }))
}

#[tokio::test]
async fn a_200_mib_upload_and_download_stream_through() {
    const SIZE: u64 = 200 * 1024 * 1024;
    let app = TestApp::spawn().await;
    app.setup_admin("admin", "correct horse battery").await;
    let id = running(&app, "big", "vanilla").await;
    let before = rss_kib();

    let res = app
        .client
        .put(app.url(&format!("/api/servers/{id}/files/upload")))
        .query(&[("path", "/world/big.bin")])
        .header("origin", &app.base)
        .header("x-panel-request", "upload")
        .header("content-length", SIZE)
        .body(reqwest::Body::wrap_stream(pattern(SIZE)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "{}",
        res.text().await.unwrap()
    );
    let after_upload = rss_kib();

    // the download compares chunk by chunk with the pattern, holding neither whole
    use futures::StreamExt;
    let res = download(&app, &id, "/world/big.bin").await;
    assert_eq!(res.status(), StatusCode::OK);
    let mut got = res.bytes_stream();
    let mut want = pattern(SIZE);
    let (mut pending, mut total) = (Vec::new(), 0u64);
    while let Some(chunk) = got.next().await {
        let chunk = chunk.unwrap();
        pending.extend_from_slice(&chunk);
        total += chunk.len() as u64;
        while pending.len() >= 64 * 1024 || (total == SIZE && !pending.is_empty()) {
            let w = want.next().await.unwrap().unwrap();
            assert_eq!(&pending[..w.len()], &w[..], "byte for byte");
            pending.drain(..w.len());
        }
    }
    assert_eq!(total, SIZE);
    let after_download = rss_kib();
    // Streams, not buffers: the process (panel and fakekube both) grows far less than the file.
    let grown = after_upload.max(after_download).saturating_sub(before) / 1024;
    assert!(grown < 100, "memory grew by {grown} MiB for a 200 MiB file");

    // An upload cut short (less than announced) changes nothing
    let res = app
        .client
        .put(app.url(&format!("/api/servers/{id}/files/upload")))
        .query(&[("path", "/world/big.bin"), ("overwrite", "true")])
        .header("origin", &app.base)
        .header("x-panel-request", "upload")
        .header("content-length", 1000)
        .body(reqwest::Body::wrap_stream(futures::stream::iter([
            Ok::<_, std::io::Error>(vec![1u8; 100]),
            Err(std::io::Error::other("the browser went away")),
        ])))
        .send()
        .await;
    if let Ok(res) = res {
        assert_ne!(res.status(), StatusCode::OK);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let entries = list(&app, &id, "/world").await;
    let big = entries.iter().find(|e| e["name"] == "big.bin").unwrap();
    assert_eq!(big["size"], SIZE, "the file is whole");
    assert!(
        !entries
            .iter()
            .any(|e| e["name"].as_str().unwrap().starts_with(".panel-")),
        "no temporary file left: {entries:?}"
    );
}
