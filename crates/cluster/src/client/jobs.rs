//! The world jobs' pods ([`crate::world_jobs`]): start one, read how it is doing and its
//! output, remove it.

use k8s_openapi::api::core::v1::Pod;
use kube::api::{DeleteParams, PostParams};

use super::{ClusterError, Kube};
use crate::world_jobs::{CONTAINER, job_name};

/// Where a job's pod is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobPhase {
    /// Not there (never made, or removed).
    Gone,
    /// Waiting for its node or image, or running.
    Running,
    /// Ended, with restic's (the script's) exit code.
    Ended(i32),
    /// It cannot run (its image cannot be pulled, its claim is missing): why.
    Stuck(String),
}

impl Kube {
    /// Starts a job's pod; false when one of this server already exists (a job is under way).
    pub async fn start_job(&self, pod: &Pod) -> Result<bool, ClusterError> {
        match self.api::<Pod>().create(&PostParams::default(), pod).await {
            Ok(_) => Ok(true),
            Err(kube::Error::Api(s)) if s.code == 409 => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Where the job of `object_name` is.
    pub async fn job_phase(&self, object_name: &str) -> Result<JobPhase, ClusterError> {
        let Some(pod) = self.api::<Pod>().get_opt(&job_name(object_name)).await? else {
            return Ok(JobPhase::Gone);
        };
        let status = pod.status.unwrap_or_default();
        let container = status
            .container_statuses
            .unwrap_or_default()
            .into_iter()
            .find(|c| c.name == CONTAINER);
        let state = container.and_then(|c| c.state).unwrap_or_default();
        if let Some(t) = state.terminated {
            return Ok(JobPhase::Ended(t.exit_code));
        }
        if let Some(w) = state.waiting {
            let reason = w.reason.unwrap_or_default();
            if matches!(
                reason.as_str(),
                "ErrImagePull"
                    | "ImagePullBackOff"
                    | "InvalidImageName"
                    | "CreateContainerConfigError"
            ) {
                return Ok(JobPhase::Stuck(
                    w.message
                        .map_or(reason.clone(), |m| format!("{reason}: {m}")),
                ));
            }
        }
        match status.phase.as_deref() {
            Some("Succeeded") => Ok(JobPhase::Ended(0)),
            Some("Failed") => Ok(JobPhase::Ended(1)),
            _ => Ok(JobPhase::Running),
        }
    }

    /// The last `tail` lines of a job's output (restic's JSON lines and its messages), without
    /// timestamps.
    pub async fn job_output(&self, object_name: &str, tail: i64) -> Result<String, ClusterError> {
        let lp = kube::api::LogParams {
            container: Some(CONTAINER.into()),
            tail_lines: Some(tail),
            ..Default::default()
        };
        match self.api::<Pod>().logs(&job_name(object_name), &lp).await {
            Ok(text) => Ok(text),
            Err(kube::Error::Api(s)) if s.code == 404 || s.code == 400 => Ok(String::new()),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes a job's pod (done, or abandoned).
    pub async fn remove_job(&self, object_name: &str) -> Result<(), ClusterError> {
        let dp = DeleteParams {
            grace_period_seconds: Some(5),
            ..Default::default()
        };
        match self.api::<Pod>().delete(&job_name(object_name), &dp).await {
            Ok(_) => Ok(()),
            Err(kube::Error::Api(s)) if s.code == 404 => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// The node a server's pod runs on (a job on its ReadWriteOnce claim must go there).
    pub async fn node_of(&self, object_name: &str) -> Result<Option<String>, ClusterError> {
        Ok(self
            .pod(object_name)
            .await?
            .and_then(|p| p.spec)
            .and_then(|s| s.node_name))
    }
}
