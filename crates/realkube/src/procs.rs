//! Child processes that never outlive the test process that started them.
//!
//! Each child is forked by one long-lived thread and asks the kernel for `SIGKILL` when its
//! parent thread ends (`PR_SET_PDEATHSIG`). The thread never returns, so that happens exactly
//! when the test process exits, however it exits (a `static` harness is never dropped).

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};

type Request = (Command, mpsc::Sender<std::io::Result<Child>>);

fn spawner() -> &'static Mutex<mpsc::Sender<Request>> {
    static SPAWNER: OnceLock<Mutex<mpsc::Sender<Request>>> = OnceLock::new();
    SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Request>();
        std::thread::Builder::new()
            .name("realkube-spawner".into())
            .spawn(move || {
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
                // the sender lives in a static, so this is never reached; park to be sure
                loop {
                    std::thread::park();
                }
            })
            .expect("spawner thread");
        Mutex::new(tx)
    })
}

/// A running child process, killed when dropped.
#[derive(Debug)]
pub struct Proc {
    /// What it is, for messages.
    pub name: String,
    program: PathBuf,
    args: Vec<String>,
    /// Where its output goes.
    pub log: PathBuf,
    child: Child,
}

impl Proc {
    /// Starts `program args…` with its output appended to `log`, to be killed with the test
    /// process.
    pub fn start(name: &str, program: &Path, args: &[String], log: &Path) -> std::io::Result<Proc> {
        Ok(Proc {
            name: name.into(),
            program: program.into(),
            args: args.into(),
            log: log.into(),
            child: spawn(program, args, log)?,
        })
    }

    /// Kills it and starts it again with the same arguments (its log goes on).
    pub fn restart(&mut self) -> std::io::Result<()> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.child = spawn(&self.program, &self.args, &self.log)?;
        Ok(())
    }

    /// Whether it has printed anything yet.
    pub fn has_logged(&self) -> bool {
        std::fs::metadata(&self.log).is_ok_and(|m| m.len() > 0)
    }

    /// What the kernel says of it (state, threads, what it waits in) and how much it logged,
    /// for a message when it does not do what it should.
    pub fn describe(&mut self) -> String {
        let pid = self.child.id();
        if let Some(s) = self.exited() {
            return format!("{} (pid {pid}) exited ({s})", self.name);
        }
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let field = |k: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(k))
                .map(str::trim)
                .unwrap_or("?")
                .to_string()
        };
        let wchan = std::fs::read_to_string(format!("/proc/{pid}/wchan")).unwrap_or_default();
        let logged = std::fs::metadata(&self.log).map(|m| m.len()).unwrap_or(0);
        format!(
            "{} (pid {pid}): state {}, {} threads, waiting in {}, {logged} bytes logged to {}",
            self.name,
            field("State:"),
            field("Threads:"),
            if wchan.is_empty() { "-" } else { &wchan },
            self.log.display()
        )
    }

    /// Whether it has exited (and how).
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

/// Starts `program args…` with its output appended to `log`, forked by the spawner thread.
fn spawn(program: &Path, args: &[String], log: &Path) -> std::io::Result<Child> {
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out);
    // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // the parent may have died between fork and prctl
            if libc::getppid() == 1 {
                return Err(std::io::Error::other("parent gone"));
            }
            Ok(())
        });
    }
    let (tx, rx) = mpsc::channel();
    spawner()
        .lock()
        .unwrap()
        .send((cmd, tx))
        .map_err(|_| std::io::Error::other("spawner gone"))?;
    rx.recv()
        .map_err(|_| std::io::Error::other("spawner gone"))?
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether a process with this id is alive.
pub fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}
