//! mcsim: a Minecraft server console simulator. fakekube runs it for pods of the Minecraft image.
//!
//! `mcsim` (no arguments) is the server: it writes `eula.txt`, `server.properties`, `world/` and
//! `logs/latest.log` in its working folder (the pod's data volume), keeps `whitelist.json`,
//! `ops.json` and `banned-players.json` there through its commands ([`lists`]), prints realistic
//! startup lines in colour ending in `Done (…)! For help, type "help"`, answers console commands on stdin
//! and stops gracefully on `stop` or SIGTERM. `mcsim rcon CMD…`, `mcsim send CMD…` and
//! `mcsim health` stand in for the image's `rcon-cli`, `mc-send-to-console` and `mc-health`,
//! talking to the running server over `.mcsim.sock` in the same folder.
//!
//! Environment: `EULA` (TRUE, or `eula=true` in `eula.txt`), `TYPE`, `VERSION`, `MEMORY`, `MOTD`, `MAX_PLAYERS`,
//! `SERVER_PORT`; for tests `MCSIM_START_SECONDS` (time to Done, default 1),
//! `MCSIM_CRASH_AFTER_SECONDS`, `MCSIM_CLASS_VERSION` (fails as a game built for a newer
//! Java does), `MCSIM_FLOOD_LINES_PER_SEC`, `MCSIM_STOP_SECONDS`;
//! `MCSIM_LISTEN` (host:port) answers the Server List Ping there ([`ping`]); `MCSIM_ECHO`
//! echoes on the container's other ports ([`echo`]); `MCSIM_AUTOSAVE_MS` saves the world
//! every so often unless `save-off` ([`saving`]).

mod console;
mod echo;
mod lists;
mod ping;
mod saving;
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
        Some("rcon") => match rcon_command(&args[1..]) {
            Ok(cmd) => console::client("cmd", &cmd, true).await,
            Err(option) => {
                // the real rcon-cli would obey it (`--host=elsewhere` sends the password there)
                eprintln!(
                    "rcon-cli: {option} is an option, not a command; the stand-in connects nowhere else"
                );
                ExitCode::from(1)
            }
        },
        Some("send") => console::client("cmd", &args[1..].join(" "), false).await,
        Some("health") => console::client("health", "", true).await,
        Some(other) => {
            eprintln!("mcsim: unknown command {other}; use rcon, send or health");
            ExitCode::from(2)
        }
    }
}

/// The console command in `rcon-cli`'s arguments, read as the real one (cobra) reads them:
/// every argument starting with `-` before a `--` is one of its options (given back as the
/// error), the rest, joined by spaces, is the command.
fn rcon_command(args: &[String]) -> Result<String, String> {
    let mut words = Vec::new();
    let mut options_ended = false;
    for a in args {
        if !options_ended && a == "--" {
            options_ended = true;
        } else if !options_ended && a.starts_with('-') {
            return Err(a.clone());
        } else {
            words.push(a.as_str());
        }
    }
    Ok(words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::rcon_command;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn rcon_reads_options_until_double_dash() {
        assert_eq!(rcon_command(&args(&["list"])).unwrap(), "list");
        assert_eq!(rcon_command(&args(&["say", "hi"])).unwrap(), "say hi");
        assert_eq!(
            rcon_command(&args(&["--host=evil:25575 list"])).unwrap_err(),
            "--host=evil:25575 list"
        );
        assert_eq!(
            rcon_command(&args(&["--", "--host=evil:25575 list"])).unwrap(),
            "--host=evil:25575 list"
        );
    }
}
