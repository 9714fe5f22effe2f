//! mcsim: a Minecraft server console simulator. fakekube runs it for pods of the Minecraft image.
//!
//! `mcsim` (no arguments) is the server: it writes `eula.txt`, `server.properties`, `world/` and
//! `logs/latest.log` in its working folder (the pod's data volume), prints realistic startup
//! lines in colour ending in `Done (…)! For help, type "help"`, answers console commands on stdin
//! and stops gracefully on `stop` or SIGTERM. `mcsim rcon CMD…`, `mcsim send CMD…` and
//! `mcsim health` stand in for the image's `rcon-cli`, `mc-send-to-console` and `mc-health`,
//! talking to the running server over `.mcsim.sock` in the same folder.
//!
//! Environment: `EULA` (must be TRUE), `TYPE`, `VERSION`, `MEMORY`, `MOTD`, `MAX_PLAYERS`,
//! `SERVER_PORT`; for tests `MCSIM_START_SECONDS` (time to Done, default 1),
//! `MCSIM_CRASH_AFTER_SECONDS`, `MCSIM_FLOOD_LINES_PER_SEC`, `MCSIM_STOP_SECONDS`.

mod console;
mod server;

use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("server") => {
            let code = server::run().await;
            // Exit at once: a pending read of stdin would otherwise hold the runtime open.
            std::process::exit(code);
        }
        Some("rcon") => console::client("cmd", &args[1..].join(" "), true).await,
        Some("send") => console::client("cmd", &args[1..].join(" "), false).await,
        Some("health") => console::client("health", "", true).await,
        Some(other) => {
            eprintln!("mcsim: unknown command {other}; use rcon, send or health");
            ExitCode::from(2)
        }
    }
}
