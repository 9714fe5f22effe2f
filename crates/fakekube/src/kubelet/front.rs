//! The kubelet API's front: `kubelet-streaming`, a small Go program around the kubelet's own
//! streaming server (`k8s.io/kubelet/pkg/cri/streaming`), which speaks SPDY to kube-apiserver
//! and passes each exec and attach on to the agent as a websocket, and pod logs as they are.

use std::path::Path;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use super::agent::AgentError;

/// A running front and the port it serves HTTPS on (127.0.0.1).
pub(crate) struct Front {
    /// The program (killed when dropped, and by the kernel when the agent dies).
    pub _child: Child,
    /// Its port.
    pub port: u16,
}

/// Starts `program` in front of the agent's local API at `agent_url`.
pub(crate) async fn start(program: &Path, agent_url: &str) -> Result<Front, AgentError> {
    let mut cmd = Command::new(program);
    cmd.arg("--agent")
        .arg(agent_url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .kill_on_drop(true);
    super::pods::die_with_parent(&mut cmd);
    let mut child = cmd
        .spawn()
        .map_err(|e| AgentError::Start(format!("{}: {e}", program.display())))?;
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).await?;
    let port = line.trim().parse::<u16>().map_err(|_| {
        AgentError::Start(format!(
            "{} did not say its port (said {line:?})",
            program.display()
        ))
    })?;
    Ok(Front {
        _child: child,
        port,
    })
}
