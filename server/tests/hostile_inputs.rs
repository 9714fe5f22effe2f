//! 10 000 hostile inputs at each validator and at the file manager's scripts.
//!
//! The validators (paths, names, archive entries, usernames, server names, variables, console
//! commands) never panic, and what they accept keeps its promise: a path stays in the data
//! folder, a name is one component, a variable is one line, a console command never becomes an
//! option. The scripts run on real shells and tools — GNU coreutils under `dash`, and busybox —
//! with hostile names taken raw (no validator in front), next to links that point out of the
//! data folder: nothing outside it ever changes, and every exit code is a success or a refusal
//! the panel knows (or a tool's own error), never a crash.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

/// How many inputs each target gets.
const CASES: u32 = 10_000;

/// Script runs per hostile name (see `run_batch`): a folder made, then one other operation.
const OPS: usize = 2;

/// Fragments hostile names are made of: traversal, links, options, globs, quotes, shell
/// syntax, control characters, odd Unicode, long runs.
const FRAGMENTS: &[&str] = &[
    "..",
    ".",
    "/",
    "//",
    "../",
    "./",
    "out",
    "abs",
    "loop",
    "-",
    "--",
    "-rf",
    "--help",
    "-t",
    "*",
    "?",
    "[",
    "]",
    "[!.]",
    "~",
    "$HOME",
    "$(touch pwned)",
    "`touch pwned`",
    ";",
    "|",
    "&",
    "&&",
    ">",
    "<",
    "'",
    "\"",
    "\\",
    " ",
    "\t",
    "\n",
    "\r",
    "\u{1b}[31m",
    "\u{7f}",
    "%s",
    "%n",
    "{command}",
    "ü",
    "名前",
    "\u{202e}",
    "\u{feff}",
    "\u{0}",
    "a",
    "world",
    "server.properties",
    "eula.txt",
    ".panel-x.part",
    "=",
    "#",
    "!",
    ":",
    "C:",
    "con",
    "\u{2215}",
];

/// A hostile string: fragments glued together, or arbitrary text.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::collection::vec(proptest::sample::select(FRAGMENTS), 1..8)
            .prop_map(|parts| parts.concat()),
        1 => any::<String>(),
        1 => "[a-z./-]{0,300}",
    ]
}

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    })
}

/// What every accepted data path must be: components that are names, inside the folder.
fn assert_contained(p: &protocol::paths::DataPath, input: &str) {
    for part in p.parts() {
        assert!(
            protocol::paths::check_name(part).is_ok(),
            "{input:?}: component {part:?}"
        );
    }
    let inside = p.in_container("/data");
    assert!(
        inside == "/data" || inside.starts_with("/data/"),
        "{input:?} -> {inside}"
    );
    assert!(
        !inside.split('/').any(|c| c == ".." || c == "."),
        "{input:?} -> {inside}"
    );
    assert!(!inside.contains('\0'), "{input:?}");
}

#[test]
fn data_paths_and_names_stay_in_the_folder() {
    runner()
        .run(&hostile(), |s| {
            if let Ok(p) = protocol::paths::DataPath::parse(&s) {
                assert_contained(&p, &s);
                if let Some(name) = p.name() {
                    let joined = p.parent().join(name).expect("a name of a path joins");
                    assert_eq!(joined, p);
                }
            }
            if protocol::paths::check_name(&s).is_ok() {
                assert!(!s.is_empty() && !s.contains('/') && s != "." && s != "..");
                assert!(!s.chars().any(char::is_control), "{s:?}");
                let p = protocol::paths::DataPath::root()
                    .join(&s)
                    .expect("a name joins");
                assert_contained(&p, &s);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn archive_entries_never_leave_the_folder() {
    runner()
        .run(&hostile(), |s| {
            if let Ok(Some(p)) = panel_core::files::archive::entry_path(&s) {
                assert_contained(&p, &s);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn usernames_and_server_names_are_what_they_say() {
    runner()
        .run(&hostile(), |s| {
            if protocol::validate::username(&s).is_ok() {
                assert!((3..=32).contains(&s.chars().count()), "{s:?}");
                assert!(
                    s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
                    "{s:?}"
                );
            }
            if panel_core::servers::validate_name(&s).is_ok() {
                assert!(!s.is_empty() && s.len() <= 40, "{s:?}");
                assert!(
                    s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                );
                assert!(!s.starts_with('-') && !s.ends_with('-'));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn player_actions_and_mod_ids_are_one_word() {
    use protocol::players::PlayerAction;
    runner()
        .run(&(hostile(), hostile()), |(player, reason)| {
            let ban = PlayerAction::Ban {
                player: player.clone(),
                reason: reason.clone(),
            };
            if ban.check().is_ok() {
                // the command is the verb, the name, then the reason: one line, the name one word
                let command = ban.command();
                assert!(!command.chars().any(char::is_control), "{command:?}");
                assert_eq!(command.split(' ').nth(1), Some(player.as_str()));
                assert!(
                    player
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                );
            }
            if protocol::mods::check_id("project", &player).is_ok() {
                // one path segment and one entry of MODRINTH_PROJECTS
                assert!(
                    !player.contains(['/', '\\', ',', ':', ' ']) && player != "..",
                    "{player:?}"
                );
                assert!(!player.starts_with('.'));
            }
            Ok(())
        })
        .unwrap();
}

fn template() -> cluster::TemplateSpec {
    serde_json::from_value(serde_json::json!({
        "slug": "t", "image": "i", "startup_command": null, "fixed_env": {},
        "variables": [
            {"name": "MOTD", "description": "motd", "default": null, "required": false, "rule": null, "user_editable": true},
            {"name": "SEED", "description": "a seed", "default": null, "required": false, "rule": "^.*$", "user_editable": true}
        ],
        "console": {"kind": "attach"}, "started_pattern": "Done", "stop_command": "stop", "stop_timeout_secs": 60,
        "data_path": "/data", "game_port": 25565, "health_command": [], "init": null
    }))
    .unwrap()
}

#[test]
fn variables_are_one_line() {
    let spec = template();
    runner()
        .run(&(hostile(), hostile()), |(motd, seed)| {
            let given = BTreeMap::from([("MOTD".to_string(), motd), ("SEED".to_string(), seed)]);
            if let Ok(values) = panel_core::servers::validate_variables(&spec, &given) {
                for v in values.values() {
                    assert!(!v.chars().any(char::is_control), "{v:?}");
                    assert!(v.len() <= 1024);
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn console_commands_never_become_options() {
    let guarded = cluster::ConsoleInput::Exec {
        command: vec!["rcon-cli".into(), "--".into(), "{command}".into()],
    };
    let bare = cluster::ConsoleInput::Exec {
        command: vec!["rcon-cli".into(), "{command}".into()],
    };
    runner()
        .run(&hostile(), |cmd| {
            let argv = guarded.argv(&cmd).expect("exec").expect("-- guards it");
            assert_eq!(argv[..2], ["rcon-cli", "--"]);
            assert_eq!(argv[2], cmd, "one argument, as typed");
            match bare.argv(&cmd).expect("exec") {
                Ok(argv) => assert!(!argv[1].starts_with('-'), "{cmd:?}"),
                Err(_) => assert!(cmd.starts_with('-')),
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------- the scripts, for real

/// A set of tools the scripts run with: a shell and the folder its commands come from.
struct Tools {
    name: &'static str,
    shell: PathBuf,
    path: String,
}

/// GNU coreutils under dash (Debian's `/bin/sh`), and busybox with its applets alone on PATH.
fn toolsets(scratch: &Path) -> Vec<Tools> {
    let mut sets = vec![Tools {
        name: "GNU",
        shell: "/bin/sh".into(),
        path: "/usr/bin:/bin".into(),
    }];
    let busybox = ["/usr/bin/busybox", "/bin/busybox"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    match busybox {
        Some(bb) => {
            let bin = scratch.join("busybox-bin");
            std::fs::create_dir_all(&bin).unwrap();
            for applet in [
                "sh", "realpath", "stat", "cat", "mv", "cp", "rm", "mkdir", "chmod", "tar",
                "printf", "echo", "test", "[",
            ] {
                let _ = std::os::unix::fs::symlink(&bb, bin.join(applet));
            }
            sets.push(Tools {
                name: "busybox",
                shell: bin.join("sh"),
                path: bin.display().to_string(),
            });
        }
        None if std::env::var_os("CI").is_some() => {
            panic!("busybox is not installed (scripts/test.sh installs busybox-static)")
        }
        None => eprintln!("busybox is not installed: the scripts are tried with GNU only"),
    }
    sets
}

/// A snapshot of everything under `dir`: paths, kinds, modes, contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (u32, Vec<u8>)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let meta = std::fs::symlink_metadata(e.path()).unwrap();
            let content = if meta.is_file() {
                std::fs::read(e.path()).unwrap()
            } else if meta.file_type().is_symlink() {
                std::fs::read_link(e.path())
                    .unwrap()
                    .into_os_string()
                    .into_encoded_bytes()
            } else {
                Vec::new()
            };
            out.insert(e.path(), (meta.permissions().mode(), content));
            if meta.is_dir() {
                stack.push(e.path());
            }
        }
    }
    out
}

/// Runs every operation on each of `names` in one shell: each in a subshell that gets the
/// script's text from the environment (never a name in it) and its arguments as arguments.
/// Returns each run's operation, exit code and name (its index in `names`).
fn run_batch(tools: &Tools, root: &Path, names: &[String]) -> Vec<(String, i32, usize)> {
    use panel_core::files::scripts;
    // the scripts as the panel runs them: `sh -c PRELUDE+SCRIPT files ROOT ARGS...`
    let prelude_and = |s: &str| scripts::argv(s, "", &[])[2].clone();
    let driver = r#"
R=$1; shift
i=0
for n in "$@"; do
  ( set -- "$R" "$R/$n"; eval "$MKDIR" ) </dev/null >/dev/null 2>&1; echo "mkdir $? $i"
  case $((i % 8)) in
  0) ( set -- "$R" "$R/$n"; eval "$STAT" ) </dev/null >/dev/null 2>&1; echo "stat $? $i" ;;
  1) ( set -- "$R" "$R/$n" 777; eval "$CHMOD" ) </dev/null >/dev/null 2>&1; echo "chmod $? $i" ;;
  2) ( set -- "$R" cp "$R/$n" "$R/$n.copy"; eval "$MOVE" ) </dev/null >/dev/null 2>&1; echo "cp $? $i" ;;
  3) ( set -- "$R" mv "$R/$n" "$R/$n.moved"; eval "$MOVE" ) </dev/null >/dev/null 2>&1; echo "mv $? $i" ;;
  4) ( set -- "$R" "$R/$n.w" .panel-t.part - 1 0; eval "$WRITE" ) </dev/null >/dev/null 2>&1; echo "write $? $i" ;;
  5) ( set -- "$R" "$R" "./$n"; eval "$TAR_NAMES" ) </dev/null >/dev/null 2>&1; echo "tar $? $i" ;;
  6) ( set -- "$R" "$R/$n"; eval "$DELETE" ) </dev/null >/dev/null 2>&1; echo "delete $? $i" ;;
  7) ( set -- "$R" "$R/$n" "$R/eula.txt"; eval "$DELETE" ) </dev/null >/dev/null 2>&1; echo "delete $? $i" ;;
  esac
  i=$((i + 1))
done
"#;
    let mut cmd = Command::new(&tools.shell);
    cmd.env_clear()
        .env("PATH", &tools.path)
        .env("MKDIR", prelude_and(scripts::MKDIR))
        .env("STAT", prelude_and(scripts::STAT))
        .env("CHMOD", prelude_and(scripts::CHMOD))
        .env("MOVE", prelude_and(scripts::MOVE))
        .env("WRITE", prelude_and(scripts::WRITE))
        .env("DELETE", prelude_and(scripts::DELETE))
        .env("TAR_NAMES", prelude_and(scripts::TAR_NAMES))
        .current_dir(root)
        .arg("-c")
        .arg(driver)
        .arg("driver")
        .arg(root)
        .args(names);
    // As root, run as nobody: an escape would then show as a change in the folder next to the
    // data folder (nobody's too) rather than anywhere on the machine.
    if nix_is_root() {
        let mut wrapped = Command::new("/usr/bin/setpriv");
        wrapped
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(cmd.get_program())
            .args(cmd.get_args());
        wrapped.env_clear();
        for (k, v) in cmd.get_envs() {
            if let Some(v) = v {
                wrapped.env(k, v);
            }
        }
        wrapped.current_dir(root);
        cmd = wrapped;
    }
    let out = cmd.output().expect("the shell runs");
    assert!(
        out.status.success(),
        "{}: the driver failed: {}",
        tools.name,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let mut words = l.split(' ');
            let mut next = || words.next().expect("op, code and index");
            let op = next().to_string();
            let code = next().parse().unwrap();
            (op, code, next().parse().unwrap())
        })
        .collect()
}

/// Whether the write of `name` + `.w` asks for a last component longer than a file system
/// allows: the rename then fails (code 70, "could not write"). The panel never sends such a
/// name (`check_name` refuses it first); the test does, raw.
fn too_long_to_write(name: &str) -> bool {
    let last = name.rsplit('/').next().unwrap_or(name);
    last.len() + ".w".len() > protocol::paths::NAME_MAX
}

fn nix_is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe extern "C" {
        fn geteuid() -> u32;
    }
    unsafe { geteuid() == 0 }
}

#[test]
fn hostile_names_never_take_the_scripts_out_of_the_data_folder() {
    let scratch = std::env::temp_dir().join(format!("hostile-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&scratch).unwrap();
    // first, what this test once found at random: a folder named `..` and a newline made, then
    // a folder made in it (realpath's output lost its newline in a command substitution, and
    // the second folder landed next to the data folder)
    let mut names: Vec<String> = ["..\n", "..\n/%n%n", "..\n\n", "..\n\n/escaped"]
        .map(String::from)
        .to_vec();
    let mut source = runner();
    let strategy = hostile();
    while names.len() < CASES as usize {
        let n = strategy.new_tree(&mut source).unwrap().current();
        // an argument cannot hold a NUL byte: the panel's paths cannot either
        if !n.contains('\0') {
            names.push(n);
        }
    }
    for tools in toolsets(&scratch) {
        let top = scratch.join(tools.name);
        let root = top.join("data");
        let outside = top.join("outside");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(outside.join("victim")).unwrap();
        std::fs::write(outside.join("canary"), "do not touch").unwrap();
        std::fs::write(outside.join("victim/file"), "nor this").unwrap();
        std::os::unix::fs::symlink("../outside", root.join("out")).unwrap();
        std::os::unix::fs::symlink("/", root.join("abs")).unwrap();
        std::os::unix::fs::symlink("loop", root.join("loop")).unwrap();
        std::fs::write(root.join("eula.txt"), "eula=true\n").unwrap();
        if nix_is_root() {
            for p in [&top, &root, &outside, &outside.join("victim")] {
                std::os::unix::fs::lchown(p, Some(65534), Some(65534)).unwrap();
            }
            for p in [outside.join("canary"), outside.join("victim/file")] {
                std::os::unix::fs::lchown(&p, Some(65534), Some(65534)).unwrap();
            }
        }
        let before = snapshot(&outside);
        let parent_before: Vec<_> = std::fs::read_dir(&top)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let mut codes = BTreeMap::<(String, i32), usize>::new();
        for batch in names.chunks(250) {
            let got = run_batch(&tools, &root, batch);
            assert_eq!(
                got.len(),
                batch.len() * OPS,
                "{}: every run reported",
                tools.name
            );
            for (op, code, i) in got {
                if op == "write" && code == 70 {
                    assert!(
                        too_long_to_write(&batch[i]),
                        "{}: write of {:?} exited 70",
                        tools.name,
                        batch[i]
                    );
                    *codes.entry((op, 1)).or_default() += 1;
                } else {
                    *codes.entry((op, code)).or_default() += 1;
                }
            }
            assert_eq!(
                snapshot(&outside),
                before,
                "{}: something outside the data folder changed in a batch of {batch:?}",
                tools.name
            );
            let mut now: Vec<_> = std::fs::read_dir(&top)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            now.sort();
            let mut was = parent_before.clone();
            was.sort();
            assert_eq!(
                now, was,
                "{}: a file appeared next to the data folder",
                tools.name
            );
            assert!(!scratch.join("pwned").exists() && !root.join("pwned").exists());
            // a fresh data folder for the next batch (its links and eula.txt kept)
            for e in std::fs::read_dir(&root).unwrap() {
                let e = e.unwrap();
                let keep = ["out", "abs", "loop"].map(std::ffi::OsString::from);
                if !keep.contains(&e.file_name()) {
                    let p = e.path();
                    if std::fs::symlink_metadata(&p).unwrap().is_dir() {
                        std::fs::remove_dir_all(&p).unwrap();
                    } else {
                        std::fs::remove_file(&p).unwrap();
                    }
                }
            }
            std::fs::write(root.join("eula.txt"), "eula=true\n").unwrap();
        }
        // 0 done; 43-49 the panel's refusals; 1 (and 2 from tar) a tool's own error, e.g. a
        // name too long for the file system, which the panel reports as such. No signal, no
        // shell error (>= 126, or 2 from the shell).
        for (op, code) in codes.keys() {
            assert!(
                matches!(code, 0 | 1 | 43..=49) || (op == "tar" && *code == 2),
                "{}: {op} exited {code} ({codes:?})",
                tools.name
            );
        }
        let count = |code: i32| {
            codes
                .iter()
                .filter(|((_, c), _)| *c == code)
                .map(|(_, n)| n)
                .sum::<usize>()
        };
        assert!(
            count(43) > 0,
            "{}: links out were tried and refused",
            tools.name
        );
        assert!(count(0) > 0, "{}: some names worked", tools.name);
        eprintln!(
            "{}: exit codes over {} runs: {codes:?}",
            tools.name,
            names.len() * OPS
        );
    }
    let _ = std::fs::remove_dir_all(scratch);
}
