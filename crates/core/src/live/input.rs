//! Console input: checking a command and delivering it the template's way (stdin through
//! attach, or a command such as `rcon-cli` through exec, with the command as one argument).

use std::time::Duration;

use cluster::ConsoleInput;

use protocol::AppError;
use protocol::live::MAX_COMMAND;

/// Most output kept of an exec'd command.
const EXEC_OUTPUT: usize = 64 * 1024;
/// How long a command may take to be delivered (and, through exec, to answer).
const TIMEOUT: Duration = Duration::from_secs(10);

/// A command must be one line of printable text, 1 to [`MAX_COMMAND`] bytes. Returns it trimmed.
pub fn validate_command(cmd: &str) -> Result<&str, AppError> {
    let cmd = cmd.trim();
    if cmd.is_empty() {
        return Err(AppError::bad_request(crate::msg!("live-input-empty")));
    }
    if cmd.len() > MAX_COMMAND {
        return Err(AppError::bad_request(
            crate::msg!("live-input-too-long", "max" => MAX_COMMAND),
        ));
    }
    if cmd.chars().any(char::is_control) {
        return Err(AppError::bad_request(crate::msg!("live-input-one-line")));
    }
    Ok(cmd)
}

/// Delivers `cmd` (validated) to the server in `pod`. Exec input returns the command's output.
pub async fn send(
    kube: &cluster::Kube,
    pod: &str,
    input: &ConsoleInput,
    cmd: &str,
) -> Result<Option<Vec<String>>, AppError> {
    let argv = input.argv(cmd).transpose().map_err(|e| match e {
        cluster::ArgvError::LooksLikeAnOption => {
            AppError::bad_request(crate::msg!("live-input-looks-like-an-option"))
        }
    })?;
    let work = async {
        match argv {
            None => kube
                .write_stdin(pod, &format!("{cmd}\n"))
                .await
                .map(|()| None),
            Some(argv) => kube
                .exec_capture(pod, &argv, EXEC_OUTPUT)
                .await
                .map(|(out, _ok)| Some(out.lines().map(str::to_string).collect())),
        }
    };
    match tokio::time::timeout(TIMEOUT, work).await {
        Ok(Ok(out)) => Ok(out),
        Ok(Err(e)) => {
            tracing::warn!(pod, error = %e, "console input failed");
            Err(AppError::conflict(
                crate::msg!("live-input-not-delivered", "error" => e.to_string()),
            ))
        }
        Err(_) => Err(AppError::conflict(crate::msg!("live-input-timed-out"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands() {
        assert_eq!(validate_command("  say hi ").unwrap(), "say hi");
        assert_eq!(
            validate_command(" ").unwrap_err().to_string(),
            "Type a command first."
        );
        assert_eq!(
            validate_command(&"a".repeat(MAX_COMMAND + 1))
                .unwrap_err()
                .to_string(),
            "Commands are at most 1024 bytes."
        );
        assert!(validate_command("say a\nop me").is_err(), "one line only");
        assert!(validate_command("say \x1b[31m").is_err());
        assert!(validate_command(&"a".repeat(MAX_COMMAND + 1)).is_err());
        let rcon = ConsoleInput::Exec {
            command: vec!["rcon-cli".into(), "--".into(), "{command}".into()],
        };
        assert_eq!(
            rcon.argv("say \"x\"; rm -rf /").unwrap().unwrap(),
            ["rcon-cli", "--", "say \"x\"; rm -rf /"],
            "one argument, never a shell"
        );
        assert_eq!(
            rcon.argv("--host=elsewhere:25575 list").unwrap().unwrap(),
            ["rcon-cli", "--", "--host=elsewhere:25575 list"],
            "after --, a command that looks like an option is still the command"
        );
        let bare = ConsoleInput::Exec {
            command: vec!["rcon-cli".into(), "{command}".into()],
        };
        assert_eq!(
            bare.argv("--host=elsewhere:25575 list").unwrap(),
            Err(cluster::ArgvError::LooksLikeAnOption),
            "without --, it would be read as an option"
        );
        assert!(bare.argv("list").unwrap().is_ok());
        assert!(ConsoleInput::Attach.argv("-x").is_none());
    }
}
