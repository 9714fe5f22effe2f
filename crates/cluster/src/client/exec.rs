//! Running commands in the game container: writing to its stdin, capturing, feeding and
//! streaming an exec.

use k8s_openapi::api::core::v1::Pod;

use super::{ClusterError, Kube};
use crate::builders::CONTAINER;

impl Kube {
    /// Writes `text` to the game container's stdin (attach).
    pub async fn write_stdin(&self, pod: &str, text: &str) -> Result<(), ClusterError> {
        use tokio::io::AsyncWriteExt;
        let ap = kube::api::AttachParams::default()
            .container(CONTAINER)
            .stdin(true)
            .stdout(false)
            .stderr(false);
        let mut attached = self.stream_api::<Pod>().attach(pod, &ap).await?;
        // the status the attach ends with must have a taker, or the join fails on it
        let _status = attached.take_status();
        let mut stdin = attached
            .stdin()
            .ok_or_else(|| ClusterError::Refused("the container takes no input".into()))?;
        stdin
            .write_all(text.as_bytes())
            .await
            .map_err(|e| ClusterError::Unreachable(e.to_string()))?;
        stdin
            .flush()
            .await
            .map_err(|e| ClusterError::Unreachable(e.to_string()))?;
        // Closing our stdin ends the attach; the container's stdin stays open. Only a shutdown
        // closes it (kube's stdin is one half of a pipe: dropping it says nothing, and the
        // attach would hang until our timeout although the command was delivered).
        stdin
            .shutdown()
            .await
            .map_err(|e| ClusterError::Unreachable(e.to_string()))?;
        drop(stdin);
        attached
            .join()
            .await
            .map_err(|e| ClusterError::Unreachable(e.to_string()))
    }

    /// Runs `argv` in the game container (no shell) and returns what it printed (stdout then
    /// stderr) and whether it exited 0. At most `limit` bytes of output are kept.
    pub async fn exec_capture(
        &self,
        pod: &str,
        argv: &[String],
        limit: usize,
    ) -> Result<(String, bool), ClusterError> {
        use tokio::io::AsyncReadExt;
        let ap = kube::api::AttachParams::default()
            .container(CONTAINER)
            .stdin(false)
            .stdout(true)
            .stderr(true);
        let mut p = self
            .stream_api::<Pod>()
            .exec(pod, argv.to_vec(), &ap)
            .await?;
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let status = p.take_status();
        let (Some(o), Some(e)) = (p.stdout(), p.stderr()) else {
            return Err(ClusterError::Refused("exec gave no output streams".into()));
        };
        let io = |e: std::io::Error| ClusterError::Unreachable(e.to_string());
        let cap = limit as u64;
        let (mut o, mut e) = (o.take(cap), e.take(cap));
        let (r1, r2) = tokio::join!(o.read_to_end(&mut out), e.read_to_end(&mut err));
        r1.map_err(io)?;
        r2.map_err(io)?;
        let ok = match status {
            Some(s) => s
                .await
                .is_none_or(|s| s.status.as_deref() == Some("Success")),
            None => true,
        };
        p.abort();
        out.extend_from_slice(&err);
        Ok((String::from_utf8_lossy(&out).into_owned(), ok))
    }

    /// Runs `argv` in the game container (no shell) and returns its output and exit code. At
    /// most `limit` bytes of stdout are kept (the rest is read and dropped), and 64 KiB of
    /// stderr.
    pub async fn exec_output(
        &self,
        pod: &str,
        argv: &[String],
        limit: usize,
    ) -> Result<ExecOutput, ClusterError> {
        let p = self.exec_stream(pod, argv, false).await?;
        p.collect(limit).await
    }

    /// Runs `argv` in the game container and copies `input` to its stdin, and returns its
    /// output and exit code with how the copy went: the bytes sent, or the input's error.
    ///
    /// The command must print `ready` (a line of its own, first on stdout, removed from the
    /// output) when it starts reading: nothing is sent before, so a command that refuses at
    /// once (a bad path...) ends with its own exit code, never racing our input against its
    /// end (sending to a finished exec can drop its status), and a large input is never
    /// pushed at a command that is gone. Stdin is closed at the end of the input (or its first
    /// error); when the command ends before that, the copy stops there and its exit code says
    /// why.
    pub async fn exec_feed(
        &self,
        pod: &str,
        argv: &[String],
        input: &mut (dyn tokio::io::AsyncRead + Unpin + Send),
        limit: usize,
    ) -> Result<(ExecOutput, Result<u64, std::io::Error>), ClusterError> {
        use std::sync::atomic::Ordering::Relaxed;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut p = self.exec_stream(pod, argv, true).await?;
        let mut stdin = p.stdin.take();
        let (out, err) = (p.stdout.take(), p.stderr.take());
        let sent = std::sync::atomic::AtomicU64::new(0);
        let feed = async {
            let mut buf = vec![0u8; 64 * 1024];
            let result = loop {
                let n = match input.read(&mut buf).await {
                    Ok(0) => break Ok(sent.load(Relaxed)),
                    Ok(n) => n,
                    Err(e) => break Err(e),
                };
                let Some(w) = stdin.as_mut() else {
                    break Ok(sent.load(Relaxed));
                };
                if w.write_all(&buf[..n]).await.is_err() {
                    break Ok(sent.load(Relaxed));
                }
                sent.fetch_add(n as u64, Relaxed);
            };
            if let Some(mut w) = stdin.take() {
                let _ = w.shutdown().await;
            }
            result
        };
        let stdout = async {
            let Some(mut out) = out else {
                return (Ok(0), Ok(Vec::new()));
            };
            let (ready, head) = match read_marker(&mut out, READY).await {
                Ok(v) => v,
                Err(e) => return (Ok(0), Err(e)),
            };
            if !ready {
                // it ended (or printed something else) without reading: send nothing
                let rest = read_capped(Some(out), limit).await;
                return (Ok(0), rest.map(|r| [head, r].concat()));
            }
            let rest = read_capped(Some(out), limit);
            tokio::pin!(feed, rest);
            tokio::select! {
                biased;
                fed = &mut feed => (fed, rest.await),
                // the output ended first: the command is done, whatever is left unsent
                r = &mut rest => (Ok(sent.load(Relaxed)), r),
            }
        };
        let ((fed, out), err) = tokio::join!(stdout, read_capped(err, 64 * 1024));
        let io = |e: std::io::Error| ClusterError::Unreachable(e.to_string());
        let (stdout, stderr) = (out.map_err(io)?, err.map_err(io)?);
        let code = p.finish().await;
        drop(stdin);
        let output = ExecOutput {
            stdout,
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            code,
        };
        Ok((output, fed))
    }

    /// Starts `argv` in the game container (no shell) with its streams for the caller to drive;
    /// [`ExecStream::finish`] gives the exit code.
    pub async fn exec_stream(
        &self,
        pod: &str,
        argv: &[String],
        stdin: bool,
    ) -> Result<ExecStream, ClusterError> {
        self.exec_stream_in(pod, CONTAINER, argv, stdin).await
    }

    /// [`Kube::exec_stream`] in the container `container` (a job's).
    pub async fn exec_stream_in(
        &self,
        pod: &str,
        container: &str,
        argv: &[String],
        stdin: bool,
    ) -> Result<ExecStream, ClusterError> {
        let ap = kube::api::AttachParams::default()
            .container(container)
            .stdin(stdin)
            .stdout(true)
            .stderr(true);
        let mut p = self
            .stream_api::<Pod>()
            .exec(pod, argv.to_vec(), &ap)
            .await?;
        Ok(ExecStream {
            stdin: p.stdin().map(|w| Box::pin(w) as _),
            stdout: p.stdout().map(|r| Box::pin(r) as _),
            stderr: p.stderr().map(|r| Box::pin(r) as _),
            status: p.take_status().map(|s| Box::pin(s) as _),
            process: p,
        })
    }
}

/// What a command run in a container gave back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOutput {
    /// Its standard output (capped).
    pub stdout: Vec<u8>,
    /// Its standard error (capped, lossily decoded).
    pub stderr: String,
    /// Its exit code (0: success; -1: it ended without one, e.g. killed).
    pub code: i32,
}

type BoxRead = std::pin::Pin<Box<dyn tokio::io::AsyncRead + Send>>;
type BoxWrite = std::pin::Pin<Box<dyn tokio::io::AsyncWrite + Send>>;
type BoxStatus = std::pin::Pin<Box<dyn std::future::Future<Output = Option<ExecStatus>> + Send>>;

/// A command running in a container, with its streams (each may be taken once).
pub struct ExecStream {
    /// Its standard input, when asked for.
    pub stdin: Option<BoxWrite>,
    /// Its standard output.
    pub stdout: Option<BoxRead>,
    /// Its standard error.
    pub stderr: Option<BoxRead>,
    status: Option<BoxStatus>,
    process: kube::api::AttachedProcess,
}

impl std::fmt::Debug for ExecStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecStream").finish_non_exhaustive()
    }
}

impl ExecStream {
    /// Waits for the command to end (read its output first) and returns its exit code.
    pub async fn finish(mut self) -> i32 {
        let code = match self.status.take() {
            Some(s) => exit_code(s.await.as_ref()),
            None => -1,
        };
        self.process.abort();
        code
    }

    /// Stops the command (the connection closes; the container kills it).
    pub fn abort(self) {
        self.process.abort();
    }

    /// Reads its output to the end (at most `limit` bytes of stdout kept, 64 KiB of stderr)
    /// and waits for its exit code.
    pub async fn collect(mut self, limit: usize) -> Result<ExecOutput, ClusterError> {
        let (out, err) = (self.stdout.take(), self.stderr.take());
        let (out, err) = tokio::join!(read_capped(out, limit), read_capped(err, 64 * 1024));
        let io = |e: std::io::Error| ClusterError::Unreachable(e.to_string());
        let (stdout, stderr) = (out.map_err(io)?, err.map_err(io)?);
        let code = self.finish().await;
        Ok(ExecOutput {
            stdout,
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            code,
        })
    }
}

/// The status an exec reports when its command ends.
pub type ExecStatus = k8s_openapi::apimachinery::pkg::apis::meta::v1::Status;

/// The exit code an exec status reports (`Success` is 0; `NonZeroExitCode` carries it).
pub fn exit_code(status: Option<&ExecStatus>) -> i32 {
    let Some(s) = status else { return -1 };
    if s.status.as_deref() == Some("Success") {
        return 0;
    }
    s.details
        .as_ref()
        .and_then(|d| d.causes.as_ref())
        .and_then(|c| c.iter().find(|c| c.reason.as_deref() == Some("ExitCode")))
        .and_then(|c| c.message.as_deref())
        .and_then(|m| m.parse().ok())
        .unwrap_or(-1)
}

/// The line a command fed by [`Kube::exec_feed`] prints when it starts reading.
pub const READY: &[u8] = b"ready\n";

/// Reads `src` until it has shown whether it starts with `marker`: returns that, and the
/// bytes read past the marker (or all of them, when it is not there).
async fn read_marker(src: &mut BoxRead, marker: &[u8]) -> Result<(bool, Vec<u8>), std::io::Error> {
    use tokio::io::AsyncReadExt;
    let mut head = Vec::new();
    let mut buf = [0u8; 256];
    while head.len() < marker.len() {
        let n = src.read(&mut buf).await?;
        if n == 0 {
            return Ok((false, head));
        }
        head.extend_from_slice(&buf[..n]);
        let k = head.len().min(marker.len());
        if head[..k] != marker[..k] {
            return Ok((false, head));
        }
    }
    Ok((true, head.split_off(marker.len())))
}

async fn read_capped(src: Option<BoxRead>, limit: usize) -> Result<Vec<u8>, std::io::Error> {
    use tokio::io::AsyncReadExt;
    let Some(mut src) = src else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut buf = vec![0u8; 32 * 1024];
    loop {
        let n = src.read(&mut buf).await?;
        if n == 0 {
            return Ok(out);
        }
        let room = limit.saturating_sub(out.len());
        out.extend_from_slice(&buf[..n.min(room)]);
    }
}
