//! The simulated server: files, startup, console commands, stop.

use std::collections::BTreeSet;

use serde_json::Value;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixListener;
use tokio::signal::unix::{SignalKind, signal};

use crate::console::{self, SOCKET};

const RESET: &str = "\x1b[0m";
const YELLOW: &str = "\x1b[33m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const MAGENTA: &str = "\x1b[95m";

fn env(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

fn env_f64(name: &str) -> Option<f64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Shared server state.
struct State {
    running: bool,
    whitelist: crate::lists::List,
    ops: crate::lists::List,
    bans: crate::lists::List,
    max_players: u32,
    /// Players "online": the simulator's `sim join <name>` adds one, `sim leave <name>` takes
    /// one away (nobody can really join mcsim).
    players: BTreeSet<String>,
    log: Option<std::fs::File>,
    /// Automatic saving and the world's generation ([`crate::saving`]).
    saving: Arc<crate::saving::Saving>,
}

type Shared = Arc<Mutex<State>>;

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c2 in chars.by_ref() {
                if c2.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Prints a console line (`[time] [thread/LEVEL]: text`) to stdout and logs/latest.log.
fn say(state: &Shared, thread: &str, level: &str, text: &str) -> String {
    let colour = match level {
        "WARN" => YELLOW,
        "ERROR" => RED,
        _ => "",
    };
    let time = chrono::Local::now().format("%H:%M:%S");
    let line = if colour.is_empty() {
        format!("[{time}] [{thread}/{level}]: {text}")
    } else {
        format!("{colour}[{time}] [{thread}/{level}]: {text}{RESET}")
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
    if let Some(f) = state.lock().unwrap_or_else(|e| e.into_inner()).log.as_mut() {
        let _ = writeln!(f, "{}", strip_ansi(&line));
    }
    line
}

fn info(state: &Shared, text: &str) -> String {
    say(state, "Server thread", "INFO", text)
}

fn write_files(max_players: u32) -> std::io::Result<std::fs::File> {
    if !std::path::Path::new("server.properties").exists() {
        let props = format!(
            "#Minecraft server properties\nmotd={}\nmax-players={max_players}\ndifficulty={}\ngamemode={}\npvp=true\nonline-mode={}\nwhite-list=false\nview-distance=10\nserver-port={}\nlevel-name=world\n",
            env("MOTD", "A Minecraft Server"),
            env("DIFFICULTY", "easy"),
            env("MODE", "survival"),
            env("ONLINE_MODE", "true"),
            env("SERVER_PORT", "25565"),
        );
        std::fs::write("server.properties", props)?;
    }
    std::fs::create_dir_all("world/region")?;
    if !std::path::Path::new("world/level.dat").exists() {
        std::fs::write("world/level.dat", b"\x0a\x00\x00mcsim level\x00")?;
    }
    std::fs::create_dir_all("logs")?;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open("logs/latest.log")
}

/// Runs a console command; returns the lines it printed.
fn command(state: &Shared, cmd: &str) -> (Vec<String>, bool) {
    let cmd = cmd.trim().trim_start_matches('/');
    let (name, rest) = cmd.split_once(' ').unwrap_or((cmd, ""));
    let rest = rest.trim();
    let mut out = Vec::new();
    let mut stop = false;
    match name {
        "" => {}
        "help" => {
            for l in [
                "/help",
                "/list",
                "/say <message>",
                "/save-all [flush]",
                "/save-off",
                "/save-on",
                "/whitelist (add|remove|list|on|off)",
                "/op <player>",
                "/deop <player>",
                "/kick <player> [reason]",
                "/ban <player> [reason]",
                "/pardon <player>",
                "/stop",
            ] {
                out.push(info(state, l));
            }
        }
        "list" => {
            let st = state.lock().unwrap_or_else(|e| e.into_inner());
            let (max, names) = (
                st.max_players,
                st.players.iter().cloned().collect::<Vec<_>>(),
            );
            drop(st);
            out.push(info(
                state,
                &format!(
                    "There are {} of a max of {max} players online: {}",
                    names.len(),
                    names.join(", ")
                ),
            ));
        }
        // The simulator's own command: a player joins or leaves, as the real server prints it.
        "sim" => {
            let (what, who) = rest.split_once(' ').unwrap_or((rest, ""));
            let named = !who.is_empty()
                && who.len() <= 16
                && who.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
            let refused = if what != "join" || !named {
                None
            } else if st.bans.has(who) {
                Some("You are banned from this server.")
            } else if crate::lists::whitelist_on() && !st.whitelist.has(who) {
                Some("You are not white-listed on this server!")
            } else {
                None
            };
            let line = match what {
                "join" if let Some(why) = refused => Some(format!("{who} lost connection: {why}")),
                "join" if named && st.players.len() < st.max_players as usize => st
                    .players
                    .insert(who.to_string())
                    .then(|| format!("{who} joined the game")),
                "leave" if named => st
                    .players
                    .remove(who)
                    .then(|| format!("{who} left the game")),
                _ => None,
            };
            drop(st);
            out.push(match line {
                Some(l) => info(state, &l),
                None => say(
                    state,
                    "Server thread",
                    "ERROR",
                    "Usage: sim (join|leave) <player>, a player not yet (or still) online",
                ),
            });
        }
        "say" => out.push(info(state, &format!("{MAGENTA}[Server] {rest}{RESET}"))),
        "save-all" => {
            out.push(info(state, "Saving the game (this may take a moment!)"));
            let saving = state
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .saving
                .clone();
            match saving.save_all() {
                Ok(()) => out.push(info(state, "Saved the game")),
                Err(e) => out.push(say(
                    state,
                    "Server thread",
                    "ERROR",
                    &format!("Failed to save: {e}"),
                )),
            }
        }
        "save-off" | "save-on" => {
            let on = name == "save-on";
            let saving = state
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .saving
                .clone();
            let text = match (saving.set(on), on) {
                (true, true) => "Automatic saving is now enabled",
                (true, false) => "Automatic saving is now disabled",
                (false, true) => "Saving is already turned on",
                (false, false) => "Saving is already turned off",
            };
            out.push(info(state, text));
        }
        "whitelist" => {
            let (sub, who) = rest.split_once(' ').unwrap_or((rest, ""));
            let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
            let msg = match sub {
                "add" if !who.is_empty() => {
                    if st.whitelist.add(who, Value::Null) {
                        format!("Added {who} to the whitelist")
                    } else {
                        "Player is already whitelisted".into()
                    }
                }
                "remove" if !who.is_empty() => {
                    if st.whitelist.remove(who) {
                        format!("Removed {who} from the whitelist")
                    } else {
                        "Player is not whitelisted".into()
                    }
                }
                "list" => {
                    let names = st.whitelist.names();
                    format!(
                        "There are {} whitelisted player(s): {}",
                        names.len(),
                        names.join(", ")
                    )
                }
                "on" | "off" => {
                    let on = sub == "on";
                    if crate::lists::whitelist_on() == on {
                        format!("Whitelist is already turned {sub}")
                    } else {
                        crate::lists::set_whitelist(on);
                        format!("Whitelist is now turned {sub}")
                    }
                }
                _ => String::new(),
            };
            drop(st);
            if msg.is_empty() {
                out.push(say(
                    state,
                    "Server thread",
                    "ERROR",
                    "Unknown or incomplete command, see below for error",
                ));
            } else {
                out.push(info(state, &msg));
            }
        }
        "op" | "deop" | "ban" | "pardon" | "kick" if !rest.is_empty() => {
            let (who, reason) = rest.split_once(' ').unwrap_or((rest, ""));
            let reason = reason.trim();
            let mut st = state.lock().unwrap_or_else(|e| e.into_inner());
            let mut left = None;
            let msg = match name {
                "op" => {
                    let extra = serde_json::json!({"level": 4, "bypassesPlayerLimit": false});
                    if st.ops.add(who, extra) {
                        format!("Made {who} a server operator")
                    } else {
                        "Nothing changed. The player already is an operator".into()
                    }
                }
                "deop" => {
                    if st.ops.remove(who) {
                        format!("Made {who} no longer a server operator")
                    } else {
                        "Nothing changed. The player is not an operator".into()
                    }
                }
                "ban" => {
                    let reason = if reason.is_empty() {
                        "Banned by an operator."
                    } else {
                        reason
                    };
                    let extra = serde_json::json!({
                        "created": crate::lists::now(), "source": "Server",
                        "expires": "forever", "reason": reason,
                    });
                    if st.bans.add(who, extra) {
                        left = st.players.remove(who).then(|| who.to_string());
                        format!("Banned {who}: {reason}")
                    } else {
                        "Nothing changed. The player is already banned".into()
                    }
                }
                "pardon" => {
                    if st.bans.remove(who) {
                        format!("Unbanned {who}")
                    } else {
                        "Nothing changed. The player isn't banned".into()
                    }
                }
                _ => {
                    let reason = if reason.is_empty() {
                        "Kicked by an operator"
                    } else {
                        reason
                    };
                    if st.players.remove(who) {
                        left = Some(who.to_string());
                        format!("Kicked {who}: {reason}")
                    } else {
                        "No player was found".into()
                    }
                }
            };
            drop(st);
            out.push(info(state, &msg));
            if let Some(who) = left {
                out.push(info(state, &format!("{who} left the game")));
            }
        }
        "stop" => {
            stop = true;
            out.push(info(state, "Stopping the server"));
        }
        _ => out.push(say(
            state,
            "Server thread",
            "ERROR",
            &format!("Unknown or incomplete command, see below for error: {cmd}<--[HERE]"),
        )),
    }
    (out, stop)
}

async fn shutdown(state: &Shared) -> i32 {
    state.lock().unwrap_or_else(|e| e.into_inner()).running = false;
    info(state, "Stopping server");
    info(state, "Saving players");
    info(state, "Saving worlds");
    let secs = env_f64("MCSIM_STOP_SECONDS").unwrap_or(0.3);
    tokio::time::sleep(Duration::from_secs_f64(secs.max(0.0))).await;
    info(
        state,
        "Saving chunks for level 'ServerLevel[world]'/minecraft:overworld",
    );
    info(
        state,
        "ThreadedAnvilChunkStorage (world): All chunks are saved",
    );
    let _ = std::fs::remove_file(SOCKET);
    0
}

/// Runs the simulated server until it stops.
pub async fn run() -> i32 {
    println!(
        "[init] Running as uid={} gid={} with /data as '{}'",
        nix::unistd::getuid(),
        nix::unistd::getgid(),
        std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_default()
    );
    // as the itzg image, then the game: EULA=TRUE writes eula.txt; without it, the game runs
    // only if eula.txt says eula=true, and otherwise writes one saying false and stops
    if env("EULA", "").eq_ignore_ascii_case("true") {
        if let Err(e) = std::fs::write("eula.txt", "# Generated by mcsim\neula=true\n") {
            eprintln!("{RED}[init] ERROR: cannot write eula.txt: {e}{RESET}");
            return 1;
        }
    } else {
        let accepted = std::fs::read_to_string("eula.txt")
            .is_ok_and(|t| t.lines().any(|l| l.trim() == "eula=true"));
        if !accepted {
            if !std::path::Path::new("eula.txt").exists() {
                let _ = std::fs::write("eula.txt", "# Generated by mcsim\neula=false\n");
            }
            println!(
                "[ServerMain/INFO]: You need to agree to the EULA in order to run the server. Go to eula.txt for more info."
            );
            return 1;
        }
    }
    // a game (or mod) built for a newer Java than the image's
    if let Some(class) = env_f64("MCSIM_CLASS_VERSION") {
        println!(
            "Exception in thread \"main\" java.lang.UnsupportedClassVersionError: net/minecraft/bundler/Main has been compiled by a more recent version of the Java Runtime (class file version {class:.1}), this version of the Java Runtime only recognizes class file versions up to 61.0"
        );
        return 1;
    }
    let max_players: u32 = env("MAX_PLAYERS", "20").parse().unwrap_or(20);
    let log = match write_files(max_players) {
        Ok(f) => Some(f),
        Err(e) => {
            eprintln!("{RED}[init] ERROR: cannot write the server's files: {e}{RESET}");
            return 1;
        }
    };
    let state: Shared = Arc::new(Mutex::new(State {
        running: false,
        whitelist: crate::lists::List::load(crate::lists::WHITELIST),
        ops: crate::lists::List::load(crate::lists::OPS),
        bans: crate::lists::List::load(crate::lists::BANS),
        max_players,
        players: BTreeSet::new(),
        log,
        saving: Arc::new(crate::saving::Saving::new()),
    }));
    if let Some(ms) = env_f64("MCSIM_AUTOSAVE_MS").filter(|ms| *ms > 0.0) {
        let saving = state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .saving
            .clone();
        tokio::spawn(async move { saving.autosave(Duration::from_secs_f64(ms / 1000.0)).await });
    }
    let kind = env("TYPE", "VANILLA");
    let version = match env("VERSION", "LATEST").as_str() {
        "LATEST" => "1.21.4".to_string(),
        v => v.to_string(),
    };
    println!("[init] Resolving type given {kind}");
    if let Ok(limit) = std::env::var("FAKEKUBE_LIMITS_MEMORY") {
        println!(
            "[init] Container memory limit {limit}, CPU limit {}",
            env("FAKEKUBE_LIMITS_CPU", "none")
        );
    }
    println!(
        "{CYAN}[init] Starting the Minecraft server ({kind} {version}, memory {}){RESET}",
        env("MEMORY", "1G")
    );

    let _ = std::fs::remove_file(SOCKET);
    let listener = UnixListener::bind(SOCKET).ok();
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    let mut stdin = BufReader::new(tokio::io::stdin()).lines();
    let mut stdin_open = true;

    let t0 = Instant::now();
    info(
        &state,
        &format!("Starting minecraft server version {version}"),
    );
    info(&state, "Loading properties");
    info(&state, "Default game type: SURVIVAL");
    info(&state, "Generating keypair");
    info(
        &state,
        &format!(
            "Starting Minecraft server on *:{}",
            env("SERVER_PORT", "25565")
        ),
    );
    if let Ok(spec) = std::env::var("MCSIM_ECHO") {
        for failure in crate::echo::start(&spec).await {
            say(
                &state,
                "Server thread",
                "WARN",
                &format!("**** FAILED TO BIND TO PORT {failure}"),
            );
        }
    }
    // The Server List Ping, on `MCSIM_LISTEN` (host:port) when it is set: many simulated
    // servers share one loopback, so none listens on its game port unless told where.
    if let Ok(addr) = std::env::var("MCSIM_LISTEN") {
        match tokio::net::TcpListener::bind(&addr).await {
            Ok(listener) => {
                let (state, version, motd) = (
                    state.clone(),
                    version.clone(),
                    env("MOTD", "A Minecraft Server"),
                );
                tokio::spawn(crate::ping::serve(listener, move || {
                    let st = state.lock().unwrap_or_else(|e| e.into_inner());
                    crate::ping::Status {
                        version: version.clone(),
                        motd: motd.clone(),
                        max: st.max_players,
                        players: st.players.iter().cloned().collect(),
                    }
                }));
            }
            Err(e) => {
                say(
                    &state,
                    "Server thread",
                    "WARN",
                    &format!("**** FAILED TO BIND TO PORT {addr}: {e}"),
                );
            }
        }
    }
    if env("ONLINE_MODE", "true") == "false" {
        say(
            &state,
            "Server thread",
            "WARN",
            "**** SERVER IS RUNNING IN OFFLINE/INSECURE MODE!",
        );
    }
    // as the itzg image's start does: CurseForge's files, with the key it was given (which key
    // is said, never the key itself)
    let curseforge = env("CURSEFORGE_FILES", "");
    if !curseforge.is_empty() {
        let key = if std::env::var("CF_API_KEY").is_ok_and(|k| !k.is_empty()) {
            "the key in CF_API_KEY"
        } else {
            "the image's own key"
        };
        println!(
            "[mc-image-helper] Installing {} CurseForge file(s) with {key}",
            curseforge.split(',').count()
        );
    }
    info(&state, "Preparing level \"world\"");
    let start = env_f64("MCSIM_START_SECONDS").unwrap_or(1.0).max(0.0);
    let mut startup = Box::pin(tokio::time::sleep(Duration::from_secs_f64(start)));
    let mut started = false;
    let crash = env_f64("MCSIM_CRASH_AFTER_SECONDS");
    let mut crash_timer = Box::pin(tokio::time::sleep(Duration::from_secs_f64(
        crash.unwrap_or(0.0),
    )));
    let flood = env_f64("MCSIM_FLOOD_LINES_PER_SEC").filter(|r| *r > 0.0);
    let mut flood_tick = tokio::time::interval(Duration::from_secs_f64(1.0 / flood.unwrap_or(1.0)));
    let mut flood_n: u64 = 0;

    loop {
        tokio::select! {
            _ = &mut startup, if !started => {
                started = true;
                info(&state, "Preparing start region for dimension minecraft:overworld");
                info(&state, "Time elapsed: 412 ms");
                let line = format!("{GREEN}Done ({:.3}s)! For help, type \"help\"{RESET}", t0.elapsed().as_secs_f64());
                info(&state, &line);
                state.lock().unwrap_or_else(|e| e.into_inner()).running = true;
            }
            _ = &mut crash_timer, if crash.is_some() => {
                say(&state, "Server thread", "ERROR", "Encountered an unexpected exception");
                println!("{RED}java.lang.OutOfMemoryError: Java heap space{RESET}");
                println!("\tat net.minecraft.server.MinecraftServer.runServer(MinecraftServer.java:700)");
                let _ = std::fs::remove_file(SOCKET);
                return 1;
            }
            _ = flood_tick.tick(), if flood.is_some() && started => {
                flood_n += 1;
                // The print time (µs since the epoch), for latency measurements.
                let at = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_micros());
                info(&state, &format!("flood line {flood_n} at {at}"));
            }
            _ = term.recv() => return shutdown(&state).await,
            line = stdin.next_line(), if stdin_open => match line {
                Ok(Some(l)) => {
                    let (_, stop) = command(&state, &l);
                    if stop { return shutdown(&state).await; }
                }
                _ => stdin_open = false,
            },
            conn = async { listener.as_ref().expect("listener").accept().await }, if listener.is_some() => {
                let Ok((mut s, _)) = conn else { continue };
                let Some((kind, text)) = console::read_request(&mut s).await else { continue };
                let (answer, stop) = match kind.as_str() {
                    "health" => {
                        let running = state.lock().unwrap_or_else(|e| e.into_inner()).running;
                        (vec![if running { "running".to_string() } else { "starting".to_string() }], false)
                    }
                    _ => {
                        let (lines, stop) = command(&state, &text);
                        (lines.iter().map(|l| strip_ansi(l)).collect(), stop)
                    }
                };
                let _ = s.write_all(answer.iter().map(|l| format!("{l}\n")).collect::<String>().as_bytes()).await;
                let _ = s.shutdown().await;
                if stop { return shutdown(&state).await; }
            }
        }
    }
}
