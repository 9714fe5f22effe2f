//! An S3 server on loopback for the backup tests: `gofakes3` from the Go module proxy
//! (`PANEL_S3_BIN`, built by `scripts/test.sh`), keeping its objects in a file of its own, and
//! Debian's `restic` to read what the panel wrote without the panel. (It takes any credentials:
//! the repository's password, which the jobs take from the Secret too, is what restic checks.)

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The access key the tests' store and jobs share.
pub const ACCESS_KEY: &str = "panel-test-access";
/// Its secret.
pub const SECRET_KEY: &str = "panel-test-secret-0123456789";
/// The repositories' password.
pub const PASSWORD: &str = "panel test repository password";

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The repositories' root for a store on `port` (a fresh prefix each time).
pub fn repository_on(port: u16) -> String {
    format!(
        "s3:http://127.0.0.1:{port}/panel/{}",
        uuid::Uuid::new_v4().simple()
    )
}

/// The address of the store of a repository root made by [`repository_on`] (its host may
/// have been moved where a real control plane's pods reach the machine: see
/// `TestApp::spawn_real_with`).
pub fn addr_of(repository: &str) -> std::net::SocketAddr {
    let rest = repository.trim_start_matches("s3:http://");
    rest.split('/').next().unwrap().parse().unwrap()
}

/// A running gofakes3; killed when dropped (its folder with it).
pub struct S3 {
    _child: tokio::process::Child,
    /// The folder of its objects' file.
    pub dir: PathBuf,
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl S3 {
    /// Starts gofakes3 at `at` with a bucket `panel` in a file of its own; panics when
    /// `PANEL_S3_BIN` is not set (scripts/test.sh builds it).
    pub async fn start(at: std::net::SocketAddr) -> S3 {
        let bin = std::env::var("PANEL_S3_BIN")
            .expect("PANEL_S3_BIN: the gofakes3 binary (scripts/test.sh builds it)");
        let dir = std::env::temp_dir().join(format!("panel-s3-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let child = tokio::process::Command::new(bin)
            .arg(format!("-host={at}"))
            .args(["-backend=bolt", "-initialbucket=panel", "-quiet"])
            .arg(format!("-bolt.db={}", dir.join("objects.db").display()))
            .kill_on_drop(true)
            .spawn()
            .expect("gofakes3 starts");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(at).await.is_ok() {
                return S3 { _child: child, dir };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("gofakes3 did not listen on {at}");
    }
}

/// The Secret's entries the backup jobs need for the store.
pub fn secret() -> [(&'static str, &'static str); 3] {
    [
        ("RESTIC_PASSWORD", PASSWORD),
        ("AWS_ACCESS_KEY_ID", ACCESS_KEY),
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
    ]
}

/// Runs Debian's restic on `repository` with the tests' credentials; its stdout, or a panic
/// with its stderr.
pub fn restic(repository: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("restic")
        .args(["--no-cache", "-r", repository])
        .args(args)
        .env("RESTIC_PASSWORD", PASSWORD)
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .output()
        .expect("restic (Debian's) is installed");
    assert!(
        out.status.success(),
        "restic {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// `root` joined with the absolute path `abs` (restic restores absolute paths under its target).
pub fn under(root: &Path, abs: &Path) -> PathBuf {
    root.join(abs.strip_prefix("/").unwrap_or(abs))
}
