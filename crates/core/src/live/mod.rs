//! Live state shared by the pages' websockets: status changes pushed as they happen, what is
//! known of each server's pod, the console channels (one log stream per watched server), and
//! the registry of open sockets whose access is re-checked every second.

pub mod access;
pub mod console;
pub mod events;
pub mod input;
pub mod socket;
mod text;
mod upstream;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{broadcast, mpsc, watch};
use uuid::Uuid;

use protocol::live::StatusUpdate;

pub use console::{Channel, Packet, Viewer};

/// The websocket endpoints, with the permission each needs on its server (None: any signed-in
/// user). The router mounts exactly these; the authorization test walks them.
pub const SOCKETS: &[(&str, Option<crate::Permission>)] = &[
    (
        "/api/servers/{id}/console",
        Some(crate::Permission::ConsoleRead),
    ),
    (protocol::live::EVENTS_PATH, None),
];

/// A message as a websocket text frame.
pub(crate) fn frame(msg: &protocol::live::ServerMsg) -> axum::extract::ws::Message {
    axum::extract::ws::Message::Text(
        serde_json::to_string(msg)
            .expect("messages serialise")
            .into(),
    )
}

/// Tells the person why their socket closes, then closes it.
pub(crate) async fn goodbye<S>(out: &mut S, reason: String)
where
    S: futures::Sink<axum::extract::ws::Message> + Unpin,
{
    use futures::SinkExt;
    let _ = out
        .send(frame(&protocol::live::ServerMsg::Closed { reason }))
        .await;
    let _ = out.send(axum::extract::ws::Message::Close(None)).await;
}

/// One run of a server's container: the pod's uid and the container's restart count.
pub type Instance = (String, i32);

/// What the status watch knows of a server's pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodInfo {
    /// The pod's name.
    pub name: String,
    /// This run of the container.
    pub instance: Instance,
    /// Whether the game container runs now.
    pub running: bool,
    /// Whether the init container (the installation) runs now.
    pub installing: bool,
    /// When the current run started (RFC 3339).
    pub started_at: Option<String>,
}

impl PodInfo {
    /// Reads the facts from a pod.
    pub fn of(pod: &cluster::client::Pod) -> PodInfo {
        let cs = pod
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .and_then(|v| v.iter().find(|c| c.name == cluster::builders::CONTAINER));
        let running = cs
            .and_then(|c| c.state.as_ref())
            .and_then(|s| s.running.as_ref());
        PodInfo {
            name: pod.metadata.name.clone().unwrap_or_default(),
            instance: (
                pod.metadata.uid.clone().unwrap_or_default(),
                cs.map_or(0, |c| c.restart_count),
            ),
            running: running.is_some() && pod.metadata.deletion_timestamp.is_none(),
            installing: pod
                .status
                .as_ref()
                .and_then(|s| s.init_container_statuses.as_ref())
                .is_some_and(|v| {
                    v.iter()
                        .any(|c| c.state.as_ref().is_some_and(|s| s.running.is_some()))
                }),
            started_at: running
                .and_then(|r| r.started_at.as_ref())
                .map(|t| t.0.to_string()),
        }
    }
}

/// The live state; cheap to clone.
#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

struct Inner {
    status: broadcast::Sender<StatusUpdate>,
    pods: Mutex<HashMap<Uuid, watch::Sender<Option<PodInfo>>>>,
    consoles: Mutex<HashMap<Uuid, Arc<Channel>>>,
    started_tx: mpsc::UnboundedSender<(Uuid, Instance)>,
    started_rx: Mutex<Option<mpsc::UnboundedReceiver<(Uuid, Instance)>>>,
    sockets: access::Registry,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live").finish_non_exhaustive()
    }
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

impl Live {
    /// Empty live state.
    pub fn new() -> Live {
        let (started_tx, started_rx) = mpsc::unbounded_channel();
        Live {
            inner: Arc::new(Inner {
                status: broadcast::channel(1024).0,
                pods: Mutex::default(),
                consoles: Mutex::default(),
                started_tx,
                started_rx: Mutex::new(Some(started_rx)),
                sockets: access::Registry::default(),
            }),
        }
    }

    /// Announces a server's new state to every open page.
    pub fn publish_status(&self, update: StatusUpdate) {
        let _ = self.inner.status.send(update);
    }

    /// Status changes from now on.
    pub fn statuses(&self) -> broadcast::Receiver<StatusUpdate> {
        self.inner.status.subscribe()
    }

    /// Records what the watch saw of a server's pod (None: it has none).
    pub fn set_pod(&self, id: Uuid, info: Option<PodInfo>) {
        let mut pods = self.inner.pods.lock().expect("pods");
        match pods.get(&id) {
            Some(tx) => {
                tx.send_if_modified(|cur| {
                    let changed = *cur != info;
                    *cur = info;
                    changed
                });
            }
            None => {
                pods.insert(id, watch::channel(info).0);
            }
        }
    }

    /// Forgets a deleted server's pod; its console viewers see the end.
    pub fn forget(&self, id: Uuid) {
        self.inner.pods.lock().expect("pods").remove(&id);
    }

    /// The pod of a server, followed.
    pub fn pod(&self, id: Uuid) -> watch::Receiver<Option<PodInfo>> {
        let mut pods = self.inner.pods.lock().expect("pods");
        pods.entry(id)
            .or_insert_with(|| watch::channel(None).0)
            .subscribe()
    }

    /// The receiver of "started line seen" notices; the status watch takes it once.
    pub fn take_started(&self) -> Option<mpsc::UnboundedReceiver<(Uuid, Instance)>> {
        self.inner.started_rx.lock().expect("started").take()
    }

    /// The registry of open sockets.
    pub fn sockets(&self) -> &access::Registry {
        &self.inner.sockets
    }

    /// How many log streams are open (one per watched server).
    pub fn upstreams(&self) -> usize {
        self.inner.consoles.lock().expect("consoles").len()
    }
}
