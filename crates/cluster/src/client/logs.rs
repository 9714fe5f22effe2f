//! The game and install containers' logs.

use k8s_openapi::api::core::v1::Pod;

use super::{ClusterError, Kube};
use crate::builders::{CONTAINER, INIT_CONTAINER};

impl Kube {
    /// Follows (or reads, when `follow` is false) the game container's log with timestamps:
    /// the previous run's with `previous`, the last `tail` lines, or from `since` (RFC 3339).
    pub async fn log_lines(
        &self,
        pod: &str,
        follow: bool,
        previous: bool,
        tail: Option<i64>,
        since: Option<&str>,
    ) -> Result<impl futures::AsyncBufRead + Send + Unpin + 'static, ClusterError> {
        self.container_log(pod, CONTAINER, follow, previous, tail, since)
            .await
    }

    /// Follows the init container's log (the installation), from its start.
    pub async fn install_log(
        &self,
        pod: &str,
    ) -> Result<impl futures::AsyncBufRead + Send + Unpin + 'static, ClusterError> {
        self.container_log(pod, INIT_CONTAINER, true, false, None, None)
            .await
    }

    async fn container_log(
        &self,
        pod: &str,
        container: &str,
        follow: bool,
        previous: bool,
        tail: Option<i64>,
        since: Option<&str>,
    ) -> Result<impl futures::AsyncBufRead + Send + Unpin + 'static, ClusterError> {
        let lp = kube::api::LogParams {
            container: Some(container.into()),
            follow,
            previous,
            tail_lines: tail,
            timestamps: true,
            since_time: since.and_then(|s| s.parse().ok()),
            ..Default::default()
        };
        Ok(Box::pin(
            self.stream_api::<Pod>().log_stream(pod, &lp).await?,
        ))
    }
}
