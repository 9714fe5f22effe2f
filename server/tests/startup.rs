//! Starting the binary: a cluster that was asked for and cannot be reached stops the panel
//! (it never falls back to the sandbox); the sandbox it starts otherwise refuses anyone without
//! its token, and its kubeconfig is the panel user's alone.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use std::time::Duration;

use common::{SECRET, TestDb};

fn panel(db: &TestDb, data: &std::path::Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_panel"));
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DATABASE_URL", &db.url)
        .env("PANEL_SECRET", SECRET)
        .env("PANEL_DATA_DIR", data)
        .env("PANEL_LISTEN", "127.0.0.1:0")
        .env("PANEL_METRICS_LISTEN", "off")
        .env("HOME", data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    cmd
}

/// The DER bytes of a one-certificate PEM.
fn pem_to_der(pem: &[u8]) -> Vec<u8> {
    use base64::Engine;
    let text = String::from_utf8_lossy(pem);
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

#[tokio::test]
async fn a_kubeconfig_that_fails_stops_the_panel_instead_of_the_sandbox() {
    let db = TestDb::new().await;
    let data = std::env::temp_dir().join(format!("panel-start-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&data).unwrap();
    for mode in ["kubeconfig", "auto"] {
        let out = tokio::time::timeout(
            Duration::from_secs(60),
            panel(&db, &data)
                .env("PANEL_KUBE", mode)
                .env("KUBECONFIG", data.join("no-such-kubeconfig"))
                .output(),
        )
        .await
        .expect("the panel gave up instead of waiting")
        .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{mode}: {err}");
        assert!(!err.contains("sandbox cluster"), "{mode} fell back: {err}");
        assert!(!data.join("sandbox").exists(), "{mode} started a sandbox");
    }
    let _ = std::fs::remove_dir_all(data);
}

#[tokio::test]
async fn the_sandbox_refuses_requests_without_its_token() {
    let db = TestDb::new().await;
    let data = std::env::temp_dir().join(format!("panel-start-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&data).unwrap();
    let mut child = panel(&db, &data)
        .env("PANEL_KUBE", "sandbox")
        .env("RUST_LOG", "info")
        .spawn()
        .unwrap();
    let kubeconfig = data.join("sandbox/kubeconfig");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while !kubeconfig.exists() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no kubeconfig written"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mode = std::fs::metadata(&kubeconfig).unwrap().permissions().mode();
    assert_eq!(
        mode & 0o777,
        0o600,
        "the kubeconfig is the panel user's alone"
    );
    let text = std::fs::read_to_string(&kubeconfig).unwrap();
    let field = |name: &str| {
        let at = text.find(&format!("{name}: \"")).unwrap() + name.len() + 3;
        text[at..at + text[at..].find('"').unwrap()].to_string()
    };
    let (server, token, ca) = (
        field("server"),
        field("token"),
        field("certificate-authority-data"),
    );
    assert!(server.starts_with("https://127.0.0.1:"), "{server}");
    use base64::Engine;
    let ca_pem = base64::engine::general_purpose::STANDARD
        .decode(ca)
        .unwrap();
    let ca_der = pem_to_der(&ca_pem);
    let list = async |token: Option<&str>| {
        let mut config = kube::Config::new(server.parse().unwrap());
        config.root_cert = Some(vec![ca_der.clone()]);
        config.auth_info.token = token.map(|t| t.to_string().into());
        let pods: kube::Api<k8s_openapi::api::core::v1::Pod> =
            kube::Api::namespaced(kube::Client::try_from(config).unwrap(), "games");
        pods.list(&Default::default()).await.map(|l| l.items.len())
    };
    let code = |r: Result<usize, kube::Error>| match r {
        Ok(_) => 200,
        Err(kube::Error::Api(s)) => s.code,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(code(list(None).await), 401);
    assert_eq!(code(list(Some("guess")).await), 401);
    assert_eq!(code(list(Some(&token)).await), 200);
    // and the token never reaches the log
    child.start_kill().unwrap();
    let out = child.wait_with_output().await.unwrap();
    let log = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("sandbox cluster (fakekube) started"), "{log}");
    assert!(!log.contains(&token), "the token was logged");
    let _ = std::fs::remove_dir_all(data);
}
