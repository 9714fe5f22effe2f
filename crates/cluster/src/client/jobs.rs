//! The world jobs' pods ([`crate::world_jobs`]): start one, read how it is doing and its
//! output, remove it.

use k8s_openapi::api::core::v1::Pod;
use kube::api::{DeleteParams, PostParams};

use super::{ClusterError, Kube};
use crate::world_jobs::{CONTAINER, job_name, maintenance_name};

/// Where a job's pod is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobPhase {
    /// Not there (never made, or removed).
    Gone,
    /// Waiting for its node or image.
    Waiting,
    /// Its container runs.
    Running,
    /// Ended, with restic's (the script's) exit code.
    Ended(i32),
    /// It cannot run (its image cannot be pulled, its claim is missing): why.
    Stuck(String),
}

impl Kube {
    /// Starts a job's pod; false when one of this server already exists (a job is under way).
    /// A job that ended but was left behind (its panel went away) is removed first.
    pub async fn start_job(&self, pod: &Pod) -> Result<bool, ClusterError> {
        let api = self.api::<Pod>();
        for _ in 0..2 {
            match api.create(&PostParams::default(), pod).await {
                Ok(_) => return Ok(true),
                Err(kube::Error::Api(s)) if s.code == 409 => {
                    let name = pod.metadata.name.clone().unwrap_or_default();
                    let object = name.trim_end_matches("-job");
                    match self.job_phase(object).await? {
                        JobPhase::Ended(_) | JobPhase::Stuck(_) => {
                            self.remove_job(object).await?;
                            for _ in 0..40 {
                                if api.get_opt(&name).await?.is_none() {
                                    break;
                                }
                                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                            }
                        }
                        _ => return Ok(false),
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(false)
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
        if state.running.is_some() {
            return Ok(JobPhase::Running);
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
            _ => Ok(JobPhase::Waiting),
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

    /// Makes sure the maintenance pod `pod` runs (made, or made again when it ended), and waits
    /// for its container (up to a minute).
    pub async fn ensure_maintenance(&self, pod: &Pod) -> Result<(), ClusterError> {
        let api = self.api::<Pod>();
        let name = pod.metadata.name.clone().unwrap_or_default();
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            match api.get_opt(&name).await? {
                None => match api.create(&PostParams::default(), pod).await {
                    Ok(_) => {}
                    Err(kube::Error::Api(s)) if s.code == 409 => {}
                    Err(e) => return Err(e.into()),
                },
                Some(p) => {
                    let status = p.status.unwrap_or_default();
                    let gone = p.metadata.deletion_timestamp.is_some();
                    match status.phase.as_deref() {
                        Some("Succeeded" | "Failed") if !gone => {
                            let _ = api.delete(&name, &DeleteParams::default()).await;
                        }
                        _ => {
                            let running = status
                                .container_statuses
                                .unwrap_or_default()
                                .iter()
                                .any(|c| c.state.as_ref().is_some_and(|s| s.running.is_some()));
                            if running && !gone {
                                return Ok(());
                            }
                        }
                    }
                }
            }
            if tokio::time::Instant::now() > deadline {
                return Err(ClusterError::Timeout(
                    "the maintenance pod did not start within a minute".into(),
                ));
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    }

    /// Removes a server's maintenance pod and waits until it is gone (up to 30 s), so that the
    /// server's own pod or a job can take the world. A file operation racing this may make the
    /// pod again; that one is asked to go too, without waiting for it. A start then makes file
    /// operations leave the world alone (the row says running; a file operation that made a
    /// pod meanwhile removes it itself); a backup or restore job is the pod's only rival for
    /// a ReadWriteOnce claim on another node, where the job waits for it.
    pub async fn remove_maintenance(&self, object_name: &str) -> Result<(), ClusterError> {
        let api = self.api::<Pod>();
        let name = maintenance_name(object_name);
        let dp = DeleteParams {
            grace_period_seconds: Some(1),
            ..Default::default()
        };
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        let mut removed: Option<String> = None;
        loop {
            let Some(pod) = api.get_opt(&name).await? else {
                return Ok(());
            };
            let uid = pod.metadata.uid.clone().unwrap_or_default();
            if pod.metadata.deletion_timestamp.is_none() {
                match api.delete(&name, &dp).await {
                    Ok(_) => {}
                    Err(kube::Error::Api(s)) if s.code == 404 => return Ok(()),
                    Err(e) => return Err(e.into()),
                }
            }
            match &removed {
                Some(first) if *first != uid => return Ok(()),
                Some(_) => {}
                None => removed = Some(uid),
            }
            if tokio::time::Instant::now() > deadline {
                return Err(ClusterError::Timeout(
                    "the maintenance pod did not go within 30 s".into(),
                ));
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
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
