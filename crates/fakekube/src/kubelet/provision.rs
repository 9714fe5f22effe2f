//! Volumes for the node's claims: a provisioner for the StorageClasses whose provisioner is
//! [`PROVISIONER`]. A claim of such a class gets a PersistentVolume of its own (a folder on the
//! node, pre-bound to the claim; kube-controller-manager's volume controller binds them), grows
//! when its request grows and the class allows expansion (as an external resizer: the volume,
//! then the claim's status), and its folder goes when the volume is released under the
//! `Delete` policy.

use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::core::v1::{PersistentVolume, PersistentVolumeClaim};
use k8s_openapi::api::storage::v1::StorageClass;
use kube::Client;
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams};
use kube::runtime::WatchStreamExt;
use kube::runtime::watcher;
use serde_json::{Value, json};

use super::pods::Runtime;
use crate::store::storage_gib;

/// The provisioner name a StorageClass gives to have its claims served by the node agent.
pub const PROVISIONER: &str = "fakekube.dev/node-local";

/// The annotation naming who provisioned a volume (the volume controller's convention).
const PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";

/// The annotation the scheduler puts on a claim of a `WaitForFirstConsumer` class.
const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// Provisions and grows the claims of the agent's classes, for ever.
pub(crate) async fn claims(client: Client, node: String, rt: Runtime) {
    let api: Api<PersistentVolumeClaim> = Api::all(client.clone());
    let mut claims = watcher::watcher(api, watcher::Config::default())
        .default_backoff()
        .applied_objects()
        .boxed();
    while let Some(c) = claims.next().await {
        let Ok(c) = c.map_err(|e| tracing::warn!(error = %e, "claim watch failed; retrying"))
        else {
            continue;
        };
        let Ok(claim) = serde_json::to_value(&c) else {
            continue;
        };
        if let Err(e) = sync_claim(&client, &node, &rt, &claim).await {
            tracing::warn!(claim = %text(&claim["metadata"]["name"]), error = %e, "could not serve a claim");
        }
    }
}

async fn sync_claim(
    client: &Client,
    node: &str,
    rt: &Runtime,
    claim: &Value,
) -> Result<(), kube::Error> {
    let class_name = text(&claim["spec"]["storageClassName"]);
    if class_name.is_empty() || claim["metadata"].get("deletionTimestamp").is_some() {
        return Ok(());
    }
    let Some(class) = Api::<StorageClass>::all(client.clone())
        .get_opt(&class_name)
        .await?
    else {
        return Ok(());
    };
    if class.provisioner != PROVISIONER {
        return Ok(());
    }
    let want = text(&claim["spec"]["resources"]["requests"]["storage"]);
    let volume = text(&claim["spec"]["volumeName"]);
    if volume.is_empty() {
        let waits = class.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer");
        let selected = claim["metadata"]["annotations"][SELECTED_NODE].as_str();
        if waits && selected != Some(node) {
            return Ok(());
        }
        return provision(client, rt, claim, &class, &want).await;
    }
    let have = text(&claim["status"]["capacity"]["storage"]);
    let grows = matches!((storage_gib(&want), storage_gib(&have)), (Some(w), Some(h)) if w > h);
    if grows && class.allow_volume_expansion == Some(true) && volume.starts_with("pvc-") {
        expand(client, claim, &volume, &want).await?;
    }
    Ok(())
}

async fn provision(
    client: &Client,
    rt: &Runtime,
    claim: &Value,
    class: &StorageClass,
    size: &str,
) -> Result<(), kube::Error> {
    let md = &claim["metadata"];
    let uid = text(&md["uid"]);
    let name = format!("pvc-{uid}");
    let dir = rt.volume_dir(&name);
    std::fs::create_dir_all(&dir).map_err(|e| kube::Error::Service(Box::new(e)))?;
    let pv = json!({
        "apiVersion": "v1", "kind": "PersistentVolume",
        "metadata": {"name": name, "annotations": {PROVISIONED_BY: PROVISIONER}},
        "spec": {
            "capacity": {"storage": size},
            "accessModes": claim["spec"]["accessModes"],
            "volumeMode": "Filesystem",
            "persistentVolumeReclaimPolicy": class.reclaim_policy.as_deref().unwrap_or("Delete"),
            "storageClassName": class.metadata.name,
            "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "namespace": md["namespace"], "name": md["name"], "uid": uid},
            "hostPath": {"path": dir.to_string_lossy(), "type": "DirectoryOrCreate"},
        },
    });
    let pv: PersistentVolume = serde_json::from_value(pv).map_err(kube::Error::SerdeError)?;
    match Api::<PersistentVolume>::all(client.clone())
        .create(&PostParams::default(), &pv)
        .await
    {
        Ok(_) => {
            tracing::info!(volume = %name, claim = %text(&md["name"]), "provisioned");
            Ok(())
        }
        Err(kube::Error::Api(e)) if e.code == 409 => Ok(()),
        Err(e) => Err(e),
    }
}

/// Grows the volume, then tells the claim (what an external resizer does).
async fn expand(
    client: &Client,
    claim: &Value,
    volume: &str,
    size: &str,
) -> Result<(), kube::Error> {
    Api::<PersistentVolume>::all(client.clone())
        .patch(
            volume,
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"capacity": {"storage": size}}})),
        )
        .await?;
    let md = &claim["metadata"];
    Api::<PersistentVolumeClaim>::namespaced(client.clone(), &text(&md["namespace"]))
        .patch_status(
            &text(&md["name"]),
            &PatchParams::default(),
            &Patch::Merge(json!({"status": {
                "capacity": {"storage": size},
                "allocatedResources": {"storage": size},
                "allocatedResourceStatuses": null,
                "conditions": null,
            }})),
        )
        .await?;
    tracing::info!(%volume, %size, "expanded");
    Ok(())
}

/// Deletes the agent's released volumes (and their folders) under the `Delete` policy, for
/// ever.
pub(crate) async fn volumes(client: Client, rt: Runtime) {
    let api: Api<PersistentVolume> = Api::all(client.clone());
    let mut volumes = watcher::watcher(api.clone(), watcher::Config::default())
        .default_backoff()
        .applied_objects()
        .boxed();
    while let Some(v) = volumes.next().await {
        let Ok(v) = v else {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        let Ok(pv) = serde_json::to_value(&v) else {
            continue;
        };
        let name = text(&pv["metadata"]["name"]);
        let ours = pv["metadata"]["annotations"][PROVISIONED_BY] == PROVISIONER;
        let released = pv["status"]["phase"] == "Released"
            && pv["spec"]["persistentVolumeReclaimPolicy"] == "Delete";
        // a name the agent made (pvc-<uid>): never a path outside its folder
        let plain =
            name.starts_with("pvc-") && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !(ours && released && plain) {
            continue;
        }
        let _ = tokio::fs::remove_dir_all(rt.volume_dir(&name)).await;
        match api.delete(&name, &DeleteParams::default()).await {
            Ok(_) => tracing::info!(volume = %name, "deleted"),
            Err(kube::Error::Api(e)) if e.code == 404 => {}
            Err(e) => tracing::warn!(volume = %name, error = %e, "could not delete a volume"),
        }
    }
}
