//! The private Postgres of a panel run without `DATABASE_URL`: a cluster made with the system's
//! `initdb` under the data folder, listening only on a Unix socket there, started with `pg_ctl`
//! and stopped when the panel exits. As root, the cluster runs as the `postgres` user (Postgres
//! refuses to run as root).

use std::path::{Path, PathBuf};
use std::process::Stdio;

use tokio::process::Command;

use crate::ServerError;

/// Database and role name inside the private cluster.
const NAME: &str = "panel";

/// A private Postgres cluster started by this process.
#[derive(Debug)]
pub struct PrivatePostgres {
    bin: PathBuf,
    data: PathBuf,
    socket_dir: PathBuf,
    log: PathBuf,
    run_as: Option<String>,
}

impl PrivatePostgres {
    /// Makes (on first use) and starts the cluster under `base/postgres`. A cluster that is
    /// already running there (left by a killed panel) is reused.
    pub async fn start(base: &Path) -> Result<Self, ServerError> {
        let base =
            std::path::absolute(base).map_err(ServerError::io("resolving the data folder"))?;
        let bin = find_bin_dir()?;
        let run_as = (is_root()).then(|| "postgres".to_string());
        let pg = PrivatePostgres {
            bin,
            data: base.join("postgres"),
            socket_dir: base.join("postgres-run"),
            log: base.join("postgres.log"),
            run_as,
        };
        for dir in [&pg.data, &pg.socket_dir] {
            std::fs::create_dir_all(dir)
                .map_err(ServerError::io(format!("creating {}", dir.display())))?;
            std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700))
                .map_err(ServerError::io(format!("protecting {}", dir.display())))?;
        }
        if !pg.log.exists() {
            std::fs::write(&pg.log, b"").map_err(ServerError::io("creating the Postgres log"))?;
        }
        if let Some(user) = &pg.run_as {
            let (uid, gid) = user_ids(user)?;
            for p in [&pg.data, &pg.socket_dir, &pg.log] {
                std::os::unix::fs::chown(p, Some(uid), Some(gid))
                    .map_err(ServerError::io(format!("giving {} to {user}", p.display())))?;
            }
            let reachable = pg.run_status("pg_ctl", &["--version".as_ref()]).await?
                && Command::new("runuser")
                    .args(["-u", user, "--", "test", "-w"])
                    .arg(&pg.data)
                    .status()
                    .await
                    .map(|s| s.success())
                    .unwrap_or(false);
            if !reachable {
                return Err(ServerError::Postgres(format!(
                    "the '{user}' user cannot reach {}: set PANEL_DATA_DIR to a folder every user can traverse (e.g. /var/lib/mc-panel)",
                    pg.data.display()
                )));
            }
        }

        if !pg.data.join("PG_VERSION").exists() {
            tracing::info!(dir = %pg.data.display(), "creating the private Postgres cluster");
            pg.run(
                "initdb",
                &[
                    "-D".as_ref(),
                    pg.data.as_os_str(),
                    "-U".as_ref(),
                    NAME.as_ref(),
                    "--auth=trust".as_ref(),
                    "-E".as_ref(),
                    "UTF8".as_ref(),
                    "--no-locale".as_ref(),
                ],
            )
            .await?;
        }
        let running = pg
            .run_status(
                "pg_ctl",
                &["-D".as_ref(), pg.data.as_os_str(), "status".as_ref()],
            )
            .await?;
        if running {
            tracing::info!("reusing the private Postgres that is already running");
        } else {
            let opts = format!(
                "-c listen_addresses='' -k {} -c unix_socket_permissions=0700",
                pg.socket_dir.display()
            );
            pg.run(
                "pg_ctl",
                &[
                    "-D".as_ref(),
                    pg.data.as_os_str(),
                    "-l".as_ref(),
                    pg.log.as_os_str(),
                    "-w".as_ref(),
                    "-t".as_ref(),
                    "60".as_ref(),
                    "-o".as_ref(),
                    opts.as_ref(),
                    "start".as_ref(),
                ],
            )
            .await?;
        }
        let created = pg
            .run_status(
                "createdb",
                &[
                    "-h".as_ref(),
                    pg.socket_dir.as_os_str(),
                    "-U".as_ref(),
                    NAME.as_ref(),
                    NAME.as_ref(),
                ],
            )
            .await?;
        if created {
            tracing::info!("created the panel database in the private Postgres");
        }
        tracing::info!(socket = %pg.socket_dir.display(), "private Postgres is up");
        Ok(pg)
    }

    /// The connection URL (Unix socket).
    pub fn url(&self) -> String {
        format!(
            "postgres://{NAME}@localhost/{NAME}?host={}",
            self.socket_dir.display()
        )
    }

    /// Stops the cluster (fast shutdown: running queries are cancelled).
    pub async fn stop(&self) -> Result<(), ServerError> {
        tracing::info!("stopping the private Postgres");
        self.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                self.data.as_os_str(),
                "-m".as_ref(),
                "fast".as_ref(),
                "-w".as_ref(),
                "stop".as_ref(),
            ],
        )
        .await
    }

    fn command(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        let mut cmd = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => Command::new(exe),
        };
        cmd.stdin(Stdio::null()).kill_on_drop(true);
        cmd
    }

    async fn run(&self, tool: &str, args: &[&std::ffi::OsStr]) -> Result<(), ServerError> {
        let out = self
            .command(tool)
            .args(args)
            .output()
            .await
            .map_err(ServerError::io(format!("running {tool}")))?;
        if out.status.success() {
            Ok(())
        } else {
            Err(ServerError::Postgres(format!(
                "{tool} failed ({}): {}{}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim(),
                if tool == "pg_ctl" {
                    format!(" (see {})", self.log.display())
                } else {
                    String::new()
                }
            )))
        }
    }

    /// Runs a tool whose failure is an answer (not running, already exists).
    async fn run_status(&self, tool: &str, args: &[&std::ffi::OsStr]) -> Result<bool, ServerError> {
        let out = self
            .command(tool)
            .args(args)
            .output()
            .await
            .map_err(ServerError::io(format!("running {tool}")))?;
        Ok(out.status.success())
    }
}

fn is_root() -> bool {
    // The owner of /proc/self is the effective user of this process.
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

fn user_ids(user: &str) -> Result<(u32, u32), ServerError> {
    let passwd =
        std::fs::read_to_string("/etc/passwd").map_err(ServerError::io("reading /etc/passwd"))?;
    passwd
        .lines()
        .map(|l| l.split(':').collect::<Vec<_>>())
        .find(|f| f.first() == Some(&user) && f.len() > 3)
        .and_then(|f| Some((f[2].parse().ok()?, f[3].parse().ok()?)))
        .ok_or_else(|| {
            ServerError::Postgres(format!(
                "running as root needs the '{user}' system user (install Debian's postgresql package)"
            ))
        })
}

/// Finds the folder of `initdb`/`pg_ctl`: `PANEL_PG_BIN`, the newest
/// `/usr/lib/postgresql/*/bin`, or the `PATH`.
fn find_bin_dir() -> Result<PathBuf, ServerError> {
    if let Some(dir) = std::env::var_os("PANEL_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    std::env::var_os("PATH")
        .and_then(|p| std::env::split_paths(&p).find(|d| d.join("initdb").exists() && d.join("pg_ctl").exists()))
        .ok_or_else(|| {
            ServerError::Postgres(
                "no initdb/pg_ctl found: install PostgreSQL (Debian: apt-get install postgresql) or set DATABASE_URL"
                    .into(),
            )
        })
}
