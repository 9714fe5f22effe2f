//! From a pod (or its absence) and the desired state to the server's state, as users see it.

use k8s_openapi::api::core::v1::Pod;

pub use protocol::ServerState;

const ERROR_REASONS: [&str; 6] = [
    "ErrImagePull",
    "ImagePullBackOff",
    "InvalidImageName",
    "CreateContainerConfigError",
    "CreateContainerError",
    "RunContainerError",
];

/// The state of a server whose pod is `pod` (None: no pod) and that should be running or not,
/// with a reason for `crashed` and `error`. `log_started`: the template's "started" line
/// appeared in the current run's log. A running container is `running` once that line appeared
/// or its readiness probe passes (a panel that restarts mid-run trusts the probe), `starting`
/// before.
pub fn status_of(
    pod: Option<&Pod>,
    want_running: bool,
    log_started: bool,
) -> (ServerState, Option<String>) {
    let Some(pod) = pod else {
        return if want_running {
            (ServerState::Starting, None)
        } else {
            (ServerState::Stopped, None)
        };
    };
    if pod.metadata.deletion_timestamp.is_some() {
        return (ServerState::Stopping, None);
    }
    let Some(status) = &pod.status else {
        return (ServerState::Starting, None);
    };
    if let Some(cond) = status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "PodScheduled" && c.status == "False")
    {
        // The scheduler found no place yet (no node with room, a volume not yet bound): it
        // keeps trying, so the server is still on its way, with the scheduler's words.
        if cond.reason.as_deref() == Some("Unschedulable") {
            return (
                ServerState::Starting,
                Some(format!(
                    "waiting for a place in the cluster: {}",
                    cond.message.as_deref().unwrap_or("no node can take it yet")
                )),
            );
        }
        return (
            ServerState::Error,
            cond.message.clone().or(cond.reason.clone()),
        );
    }
    let main = status.container_statuses.iter().flatten().next();
    if let Some(cs) = main {
        if let Some(waiting) = cs.state.as_ref().and_then(|s| s.waiting.as_ref()) {
            let reason = waiting.reason.clone().unwrap_or_default();
            if ERROR_REASONS.contains(&reason.as_str()) {
                return (
                    ServerState::Error,
                    Some(waiting.message.clone().unwrap_or(reason)),
                );
            }
            if reason == "CrashLoopBackOff" {
                let last = cs.last_state.as_ref().and_then(|l| l.terminated.as_ref());
                return (
                    ServerState::Crashed,
                    Some(match last {
                        Some(t) if t.reason.as_deref() == Some("OOMKilled") => {
                            "the server ran out of memory (it went over its plan's memory \
                             limit and was killed) and is restarting"
                                .into()
                        }
                        Some(t) => format!(
                            "the server exited with code {} and is restarting",
                            t.exit_code
                        ),
                        None => "the server keeps exiting".into(),
                    }),
                );
            }
        }
        if let Some(t) = cs.state.as_ref().and_then(|s| s.terminated.as_ref()) {
            if t.reason.as_deref() == Some("OOMKilled") {
                return (
                    ServerState::Crashed,
                    Some(
                        "the server ran out of memory (it went over its plan's memory limit \
                         and was killed)"
                            .into(),
                    ),
                );
            }
            if t.exit_code != 0 {
                return (
                    ServerState::Crashed,
                    Some(format!("the server exited with code {}", t.exit_code)),
                );
            }
            return (
                if want_running {
                    ServerState::Starting
                } else {
                    ServerState::Stopping
                },
                None,
            );
        }
        let running = cs.state.as_ref().is_some_and(|s| s.running.is_some());
        if cs.ready || (running && log_started) {
            return (ServerState::Running, None);
        }
        if running {
            return (ServerState::Starting, None);
        }
    }
    let initializing = status.init_container_statuses.iter().flatten().any(|ic| {
        ic.state
            .as_ref()
            .is_some_and(|s| s.running.is_some() || s.waiting.is_some())
    });
    if initializing {
        return (ServerState::Installing, None);
    }
    (ServerState::Starting, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(v: serde_json::Value) -> Pod {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn states() {
        assert_eq!(status_of(None, true, false).0, ServerState::Starting);
        assert_eq!(status_of(None, false, false).0, ServerState::Stopped);
        let running = pod(
            json!({"metadata": {"name": "a"}, "status": {"phase": "Running",
            "containerStatuses": [{"name": "server", "ready": true, "restartCount": 0, "image": "i", "imageID": "",
                "state": {"running": {}}}]}}),
        );
        assert_eq!(
            status_of(Some(&running), true, false).0,
            ServerState::Running
        );
        let starting = pod(
            json!({"metadata": {"name": "a"}, "status": {"phase": "Running",
            "containerStatuses": [{"name": "server", "ready": false, "restartCount": 0, "image": "i", "imageID": "",
                "state": {"running": {}}}]}}),
        );
        assert_eq!(
            status_of(Some(&starting), true, false).0,
            ServerState::Starting
        );
        assert_eq!(
            status_of(Some(&starting), true, true).0,
            ServerState::Running,
            "the started line counts before the probe passes"
        );
        let crashed = pod(
            json!({"metadata": {"name": "a"}, "status": {"phase": "Running",
            "containerStatuses": [{"name": "server", "ready": false, "restartCount": 2, "image": "i", "imageID": "",
                "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                "lastState": {"terminated": {"exitCode": 1}}}]}}),
        );
        let (s, why) = status_of(Some(&crashed), true, false);
        assert_eq!(s, ServerState::Crashed);
        assert!(why.unwrap().contains("code 1"));
        let pulling = pod(
            json!({"metadata": {"name": "a"}, "status": {"phase": "Pending",
            "containerStatuses": [{"name": "server", "ready": false, "restartCount": 0, "image": "i", "imageID": "",
                "state": {"waiting": {"reason": "ImagePullBackOff", "message": "no such image"}}}]}}),
        );
        assert_eq!(
            status_of(Some(&pulling), true, false),
            (ServerState::Error, Some("no such image".into()))
        );
        let oom = pod(
            json!({"metadata": {"name": "a"}, "status": {"phase": "Running",
            "containerStatuses": [{"name": "server", "ready": false, "restartCount": 1, "image": "i", "imageID": "",
                "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled"}}}]}}),
        );
        let (s, why) = status_of(Some(&oom), true, false);
        assert_eq!(s, ServerState::Crashed);
        assert!(
            why.unwrap().contains("ran out of memory"),
            "not just code 137"
        );
        // a pod the scheduler cannot place yet is still starting, with its words
        let unschedulable = pod(
            json!({"metadata": {"name": "a"}, "status": {"phase": "Pending", "conditions": [
                {"type": "PodScheduled", "status": "False", "reason": "Unschedulable",
                 "message": "0/1 nodes are available: 1 Insufficient memory."}]}}),
        );
        let (s, why) = status_of(Some(&unschedulable), true, false);
        assert_eq!(s, ServerState::Starting);
        assert!(why.unwrap().contains("Insufficient memory"));
        let deleting =
            pod(json!({"metadata": {"name": "a", "deletionTimestamp": "2026-01-01T00:00:00Z"}}));
        assert_eq!(
            status_of(Some(&deleting), false, false).0,
            ServerState::Stopping
        );
        let init = pod(
            json!({"metadata": {"name": "a"}, "status": {"phase": "Pending",
            "initContainerStatuses": [{"name": "init", "ready": false, "restartCount": 0, "image": "i", "imageID": "",
                "state": {"running": {}}}]}}),
        );
        assert_eq!(
            status_of(Some(&init), true, false).0,
            ServerState::Installing
        );
    }
}
