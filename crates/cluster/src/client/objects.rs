//! A server's objects: its pod, deleting them, growing and finding its world's claim, and
//! listing the managed StatefulSets.

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Pod, Service};
use kube::api::{DeleteParams, Patch, PatchParams};

use super::{ClusterError, Kube, memory_mib};
use crate::builders::{data_claim_name, pod_name};
use crate::labels::{MANAGED_SELECTOR, SERVER_ID};

/// A StatefulSet labelled as the panel's, as the cluster has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedSet {
    /// Its name (a server's object name).
    pub name: String,
    /// The server id label, when it carries one.
    pub server_id: Option<uuid::Uuid>,
    /// The replicas it asks for (1: running, 0: stopped).
    pub replicas: i32,
}

/// The replicas a StatefulSet asks for (the API's default, 1, when unset).
fn replicas_of(s: &StatefulSet) -> i32 {
    s.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)
}

impl Kube {
    /// The server's pod, if it exists.
    pub async fn pod(&self, object_name: &str) -> Result<Option<Pod>, ClusterError> {
        Ok(self.api::<Pod>().get_opt(&pod_name(object_name)).await?)
    }

    /// Deletes the server's pod (the StatefulSet makes a new one): gracefully, or with
    /// `grace = Some(KILL_GRACE_SECS)` (kill). Never 0: that removes the object at once while
    /// the process may still run, and the next pod could then share the world's volume.
    pub async fn delete_pod(
        &self,
        object_name: &str,
        grace: Option<u32>,
    ) -> Result<bool, ClusterError> {
        let dp = DeleteParams {
            grace_period_seconds: grace,
            ..Default::default()
        };
        match self.api::<Pod>().delete(&pod_name(object_name), &dp).await {
            Ok(_) => Ok(true),
            Err(kube::Error::Api(s)) if s.code == 404 => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes everything of a server; its world (the PVC) too unless `keep_world`.
    pub async fn delete_server(
        &self,
        object_name: &str,
        keep_world: bool,
    ) -> Result<(), ClusterError> {
        let dp = DeleteParams::default();
        let gone_ok = |r: Result<(), kube::Error>| match r {
            Err(kube::Error::Api(s)) if s.code == 404 => Ok(()),
            other => other,
        };
        gone_ok(
            self.api::<StatefulSet>()
                .delete(object_name, &dp)
                .await
                .map(|_| ()),
        )?;
        gone_ok(
            self.api::<Service>()
                .delete(object_name, &dp)
                .await
                .map(|_| ()),
        )?;
        if !keep_world {
            gone_ok(
                self.api::<PersistentVolumeClaim>()
                    .delete(&data_claim_name(object_name), &dp)
                    .await
                    .map(|_| ()),
            )?;
        }
        Ok(())
    }

    /// Grows the server's world (its PVC) to `gib` if it is smaller (the storage class must
    /// allow volume expansion). Returns whether it changed; false also when there is no claim
    /// yet (it will be made from the claim template, and grown on the next apply).
    pub async fn grow_world(&self, object_name: &str, gib: u32) -> Result<bool, ClusterError> {
        let api = self.api::<PersistentVolumeClaim>();
        let name = data_claim_name(object_name);
        let Some(pvc) = api.get_opt(&name).await? else {
            return Ok(false);
        };
        let current = pvc
            .spec
            .and_then(|s| s.resources)
            .and_then(|r| r.requests)
            .and_then(|r| r.get("storage").map(|q| q.0.clone()))
            .and_then(|q| memory_mib(&q))
            .unwrap_or(0);
        if current >= u64::from(gib) * 1024 {
            return Ok(false);
        }
        let patch = serde_json::json!({"spec": {"resources": {"requests": {"storage": format!("{gib}Gi")}}}});
        api.patch(&name, &PatchParams::default(), &Patch::Merge(&patch))
            .await?;
        Ok(true)
    }

    /// Whether the server's world (PVC) exists.
    pub async fn world_exists(&self, object_name: &str) -> Result<bool, ClusterError> {
        Ok(self
            .api::<PersistentVolumeClaim>()
            .get_opt(&data_claim_name(object_name))
            .await?
            .is_some())
    }

    /// The StatefulSets the panel manages: name, server id and replicas.
    pub async fn managed_statefulsets(&self) -> Result<Vec<ManagedSet>, ClusterError> {
        let lp = kube::api::ListParams::default().labels(MANAGED_SELECTOR);
        Ok(self
            .api::<StatefulSet>()
            .list(&lp)
            .await?
            .items
            .into_iter()
            .map(|s| {
                let id = s
                    .metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get(SERVER_ID))
                    .and_then(|v| v.parse().ok());
                let replicas = replicas_of(&s);
                ManagedSet {
                    name: s.metadata.name.unwrap_or_default(),
                    server_id: id,
                    replicas,
                }
            })
            .collect())
    }

    /// How many replicas the StatefulSet `name` asks for (None: there is none). A list by name
    /// (the Role's `list`), not a get.
    pub async fn replicas(&self, name: &str) -> Result<Option<i32>, ClusterError> {
        let lp = kube::api::ListParams::default().fields(&format!("metadata.name={name}"));
        Ok(self
            .api::<StatefulSet>()
            .list(&lp)
            .await?
            .items
            .first()
            .map(replicas_of))
    }
}
