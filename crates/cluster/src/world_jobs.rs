//! The pods that work on a server's world beside it: a backup (restic copies the world into the
//! server's repository), a restore (a snapshot back into the world), a forget (snapshots out
//! of the repository), and the maintenance pod that holds a stopped server's world for the file
//! manager ([`maintenance_pod`]). One at a time per server: they share the name `<object>-job`, so the
//! apiserver refuses a second. They run restic in the operator's image, as the game's user,
//! with the repository's secrets from a Secret the panel never reads.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Pod;
use serde_json::json;

use crate::builders::{DATA_VOLUME, RUN_AS, data_claim_name};

/// The label value that marks the panel's world jobs (`app.kubernetes.io/managed-by`): not the
/// game servers' (their watch and policies never see these pods).
pub const MANAGER: &str = "mc-panel-jobs";
/// The label naming the server a job works for.
pub const FOR_SERVER: &str = "panel.minecraft/for-server";
/// The folder a restore unpacks into, inside the world (never backed up, removed after).
pub const RESTORE_DIR: &str = ".panel-restore";
/// The container's name.
pub const CONTAINER: &str = "restic";

/// What a job does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobKind {
    /// Back the world up as snapshot tagged `backup=<backup>`, then forget `forget` (snapshot
    /// ids of older backups, to keep the plan's number) and prune what only they held.
    Backup {
        /// The backup's id.
        backup: uuid::Uuid,
        /// Snapshots to forget once the new one is made.
        forget: Vec<String>,
        /// restic exclude patterns (one per line in its exclude file; already anchored at the
        /// world for those the owner wrote from its root).
        exclude: Vec<String>,
    },
    /// Put snapshot `snapshot` back into the world; with `wipe`, the world's other files go.
    /// (Backups are taken of `.` in the world, so a snapshot's root is the world, wherever it
    /// was mounted: it restores into any server's.)
    Restore {
        /// The snapshot's id.
        snapshot: String,
        /// Empty the world first.
        wipe: bool,
    },
    /// Forget snapshots and prune the data only they held.
    Forget {
        /// Snapshot ids.
        snapshots: Vec<String>,
    },
    /// Forget every snapshot and prune: the repository of a world deleted for good keeps only
    /// its keys and config.
    Empty,
    /// Wait (ten minutes at most) with the repository at hand, for `restic dump` run in it by
    /// exec: a download streamed out of the pod.
    Dump,
}

impl JobKind {
    /// Its label value (`app.kubernetes.io/component`).
    pub fn name(&self) -> &'static str {
        match self {
            JobKind::Backup { .. } => "backup",
            JobKind::Restore { .. } => "restore",
            JobKind::Forget { .. } => "forget",
            JobKind::Empty => "empty",
            JobKind::Dump => "download",
        }
    }
}

/// A job on one server's world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldJob {
    /// The server's id.
    pub server: uuid::Uuid,
    /// Its objects' name (`mc-…`): the claim is `data-<it>-0`, the job `<it>-job`.
    pub object_name: String,
    /// The game-servers namespace.
    pub namespace: String,
    /// Where the world is mounted (the template's data path): the job works in it.
    pub data_path: String,
    /// The node the running server is on (its claim may be ReadWriteOnce); None: any.
    pub node: Option<String>,
    /// restic's image.
    pub image: String,
    /// The server's repository (`s3:https://…/bucket/prefix/<object>`, a path...).
    pub repository: String,
    /// The Secret with `RESTIC_PASSWORD` and the store's credentials (`AWS_ACCESS_KEY_ID`...).
    pub secret: String,
    /// The claim holding the repositories, for a path repository on a cluster without object
    /// storage.
    pub store: Option<StoreClaim>,
    /// What it does.
    pub kind: JobKind,
}

/// A claim holding the servers' repositories, mounted in every job at the repositories' root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreClaim {
    /// The PersistentVolumeClaim (in the game-servers namespace).
    pub claim: String,
    /// Where it is mounted: the repositories' root path (`/backups`).
    pub mount_path: String,
}

/// The volume of the repositories' claim in a job pod.
const STORE_VOLUME: &str = "store";

/// The job pod's name for a server.
pub fn job_name(object_name: &str) -> String {
    format!("{object_name}-job")
}

/// The shell script of a job: restic commands only, every value from the environment.
fn script(kind: &JobKind) -> &'static str {
    match kind {
        // The repository is this server's only: no other job runs on it (one pod name), so a
        // lock left by a killed job is stale and goes.
        JobKind::Backup { .. } => {
            r#"restic unlock --remove-all >/dev/null 2>&1
restic cat config >/dev/null 2>&1 || restic init >&2 || restic cat config >/dev/null || exit 10
# a file of its own (a shared /tmp, as a test's host runs several jobs in, would mix them)
exclude=$(mktemp) || exit 10
printf '%s\n' "$PANEL_EXCLUDE" > "$exclude"
restic backup . --json --no-cache --host "$PANEL_HOST" --tag "server=$PANEL_SERVER" --tag "backup=$PANEL_BACKUP" --exclude "$PANEL_RESTORE_DIR" --exclude-file "$exclude"
code=$?
rm -f "$exclude"
if [ "$code" -le 3 ] && [ "$code" != 1 ] && [ -n "$PANEL_FORGET" ]; then
  # shellcheck disable=SC2086
  restic forget --prune --no-cache $PANEL_FORGET >&2 || echo '{"message_type":"panel_forget_failed"}'
fi
exit "$code""#
        }
        JobKind::Restore { .. } => {
            r#"set -u
rm -rf "$PANEL_RESTORE_DIR"
restic unlock --remove-all >/dev/null 2>&1
stats=$(restic stats "$PANEL_SNAPSHOT" --no-cache --mode restore-size --json 2>/dev/null)
total=$(printf '%s' "$stats" | sed -n 's/.*"total_size": *\([0-9]*\).*/\1/p')
files=$(printf '%s' "$stats" | sed -n 's/.*"total_file_count": *\([0-9]*\).*/\1/p')
began=$(date +%s)
status() {
  kib=$(du -sk "$PANEL_RESTORE_DIR" 2>/dev/null | cut -f1)
  count=$(find "$PANEL_RESTORE_DIR" -mindepth 1 2>/dev/null | wc -l)
  printf '{"message_type":"panel_restore_status","kib_done":%s,"total_bytes":%s,"files_done":%s,"total_files":%s,"seconds":%s,"ended":%s}\n' \
    "${kib:-0}" "${total:-0}" "$count" "${files:-0}" "$(( $(date +%s) - began ))" "$1"
}
restic restore "$PANEL_SNAPSHOT" --no-cache --target "$PANEL_RESTORE_DIR" >&2 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  status false
  sleep 5
done
wait "$pid" || exit 11
status true
src="$PANEL_RESTORE_DIR"
if [ "$PANEL_WIPE" = 1 ]; then
  find . -mindepth 1 -maxdepth 1 ! -name "$PANEL_RESTORE_DIR" -exec rm -rf {} +
fi
for e in "$src"/* "$src"/.[!.]* "$src"/..?*; do
  [ -e "$e" ] || [ -L "$e" ] || continue
  n="${e##*/}"
  rm -rf "./$n" && mv "$e" "./$n" || exit 13
done
rm -rf "$PANEL_RESTORE_DIR"
echo '{"message_type":"panel_restored"}'"#
        }
        JobKind::Dump => "exec sleep 600",
        // a tag no snapshot has: keeping only those forgets them all
        JobKind::Empty => {
            r#"restic unlock --remove-all >/dev/null 2>&1
restic cat config >/dev/null 2>&1 || exit 0
restic forget --prune --no-cache --keep-tag panel-keep-none >&2"#
        }
        JobKind::Forget { .. } => {
            r#"restic unlock --remove-all >/dev/null 2>&1
restic cat config >/dev/null 2>&1 || exit 0
# shellcheck disable=SC2086
restic forget --prune --no-cache $PANEL_FORGET >&2"#
        }
    }
}

/// The restricted Pod Security profile's pod settings, as the game's user (the world's owner).
fn pod_security() -> serde_json::Value {
    json!({
        "runAsNonRoot": true, "runAsUser": RUN_AS, "runAsGroup": RUN_AS, "fsGroup": RUN_AS,
        "fsGroupChangePolicy": "OnRootMismatch", "seccompProfile": {"type": "RuntimeDefault"},
    })
}

/// The container settings of the restricted profile, with a read-only root.
fn container_security() -> serde_json::Value {
    json!({
        "allowPrivilegeEscalation": false,
        "capabilities": {"drop": ["ALL"]},
        "readOnlyRootFilesystem": true,
    })
}

/// The pod of a job.
pub fn job_pod(j: &WorldJob) -> Pod {
    let mut env: BTreeMap<&str, String> = BTreeMap::from([
        ("RESTIC_REPOSITORY", j.repository.clone()),
        ("RESTIC_PROGRESS_FPS", "1".into()),
        ("PANEL_HOST", j.object_name.clone()),
        ("PANEL_SERVER", j.server.to_string()),
        ("PANEL_RESTORE_DIR", RESTORE_DIR.into()),
        ("TMPDIR", "/tmp".into()),
        ("HOME", "/tmp".into()),
    ]);
    match &j.kind {
        JobKind::Backup {
            backup,
            forget,
            exclude,
        } => {
            env.insert("PANEL_BACKUP", backup.to_string());
            env.insert("PANEL_FORGET", forget.join(" "));
            env.insert("PANEL_EXCLUDE", exclude.join("\n"));
        }
        JobKind::Restore { snapshot, wipe } => {
            env.insert("PANEL_SNAPSHOT", snapshot.clone());
            env.insert("PANEL_WIPE", if *wipe { "1" } else { "0" }.into());
        }
        JobKind::Forget { snapshots } => {
            env.insert("PANEL_FORGET", snapshots.join(" "));
        }
        JobKind::Dump | JobKind::Empty => {}
    }
    let env: Vec<_> = env
        .into_iter()
        .map(|(name, value)| json!({"name": name, "value": value}))
        .collect();
    let labels = json!({
        "app.kubernetes.io/managed-by": MANAGER,
        "app.kubernetes.io/component": j.kind.name(),
        FOR_SERVER: j.server.to_string(),
    });
    let mut spec = json!({
        "restartPolicy": "Never",
        "automountServiceAccountToken": false,
        "enableServiceLinks": false,
        "terminationGracePeriodSeconds": 10,
        "securityContext": pod_security(),
        "containers": [{
            "name": CONTAINER,
            "image": j.image,
            "imagePullPolicy": "IfNotPresent",
            "command": ["sh", "-c", script(&j.kind)],
            "workingDir": j.data_path,
            "env": env,
            "envFrom": [{"secretRef": {"name": j.secret}}],
            // the world first: the job works in it
            "volumeMounts": [
                {"name": DATA_VOLUME, "mountPath": j.data_path},
                {"name": "tmp", "mountPath": "/tmp"},
            ],
            "resources": {
                "requests": {"cpu": "100m", "memory": "128Mi"},
                "limits": {"cpu": "1", "memory": "1Gi"},
            },
            "securityContext": container_security(),
        }],
        "volumes": [
            {"name": DATA_VOLUME, "persistentVolumeClaim": {"claimName": data_claim_name(&j.object_name)}},
            {"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}},
        ],
    });
    if let Some(node) = &j.node {
        spec["nodeName"] = json!(node);
    }
    // forgetting and downloading need the repository only (the world may be gone)
    if matches!(
        j.kind,
        JobKind::Forget { .. } | JobKind::Dump | JobKind::Empty
    ) {
        spec["containers"][0]["volumeMounts"] = json!([{"name": "tmp", "mountPath": "/tmp"}]);
        spec["containers"][0]["workingDir"] = json!("/tmp");
        spec["volumes"] = json!([{"name": "tmp", "emptyDir": {"sizeLimit": "1Gi"}}]);
    }
    if let Some(store) = &j.store {
        if let Some(mounts) = spec["containers"][0]["volumeMounts"].as_array_mut() {
            mounts.push(json!({"name": STORE_VOLUME, "mountPath": store.mount_path}));
        }
        if let Some(volumes) = spec["volumes"].as_array_mut() {
            volumes.push(json!({"name": STORE_VOLUME,
                "persistentVolumeClaim": {"claimName": store.claim}}));
        }
    }
    serde_json::from_value(json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": job_name(&j.object_name), "namespace": j.namespace, "labels": labels},
        "spec": spec,
    }))
    .expect("the job pod is well-formed (tested)")
}

/// The maintenance pod's name for a server.
pub fn maintenance_name(object_name: &str) -> String {
    format!("{object_name}-files")
}

/// How long a maintenance pod lives unused by default (then it ends by itself; the next file
/// operation makes a new one).
pub const MAINTENANCE_SECS: u32 = 900;

/// The file a maintenance pod's every file operation touches (`PANEL_TOUCH` in its
/// environment, which the file scripts' prelude honours): its idle clock.
pub const MAINTENANCE_TOUCH: &str = "/tmp/.panel-used";

/// The maintenance pod of a stopped server: a small pod (busybox: the tools the file scripts
/// use) that mounts its world where the game does and waits, so the file manager works in it
/// as in the game's container (its container has the game's container name). Each file
/// operation touches [`MAINTENANCE_TOUCH`]; the pod ends once `idle_secs` pass without one. A
/// start removes it first (the claim may be ReadWriteOnce).
pub fn maintenance_pod(
    server: uuid::Uuid,
    object_name: &str,
    namespace: &str,
    data_path: &str,
    image: &str,
    idle_secs: u32,
) -> Pod {
    let every = (idle_secs / 3).clamp(1, 20);
    let wait = format!(
        ": > \"$PANEL_TOUCH\"\nwhile sleep {every}; do\n  \
         [ $(( $(date +%s) - $(stat -c %Y \"$PANEL_TOUCH\") )) -lt {idle_secs} ] || exit 0\ndone"
    );
    serde_json::from_value(json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": maintenance_name(object_name),
            "namespace": namespace,
            "labels": {
                "app.kubernetes.io/managed-by": MANAGER,
                "app.kubernetes.io/component": "files",
                FOR_SERVER: server.to_string(),
            },
        },
        "spec": {
            "restartPolicy": "Never",
            "automountServiceAccountToken": false,
            "enableServiceLinks": false,
            "terminationGracePeriodSeconds": 1,
            "securityContext": pod_security(),
            "containers": [{
                "name": crate::builders::CONTAINER,
                "image": image,
                "imagePullPolicy": "IfNotPresent",
                "command": ["sh", "-c", wait],
                "env": [{"name": "PANEL_TOUCH", "value": MAINTENANCE_TOUCH}],
                "workingDir": data_path,
                "volumeMounts": [
                    {"name": DATA_VOLUME, "mountPath": data_path},
                    {"name": "tmp", "mountPath": "/tmp"},
                ],
                "resources": {
                    "requests": {"cpu": "10m", "memory": "16Mi"},
                    "limits": {"cpu": "500m", "memory": "256Mi"},
                },
                "securityContext": container_security(),
            }],
            "volumes": [
                {"name": DATA_VOLUME, "persistentVolumeClaim": {"claimName": data_claim_name(object_name)}},
                {"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}},
            ],
        },
    }))
    .expect("the maintenance pod is well-formed (tested)")
}
