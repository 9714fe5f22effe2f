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

use protocol::live::{PlayerCount, PlayersUpdate, Presence, StatusUpdate};

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
    /// Where its game port answers: the pod's address and the container's `minecraft` port.
    pub address: Option<std::net::SocketAddr>,
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
            address: game_address(pod),
        }
    }
}

/// The pod's address and its game container's `minecraft` port.
fn game_address(pod: &cluster::client::Pod) -> Option<std::net::SocketAddr> {
    let ip: std::net::IpAddr = pod.status.as_ref()?.pod_ip.as_deref()?.parse().ok()?;
    let port = pod
        .spec
        .as_ref()?
        .containers
        .iter()
        .find(|c| c.name == cluster::builders::CONTAINER)?
        .ports
        .as_ref()?
        .iter()
        .find(|p| p.name.as_deref() == Some("minecraft"))?
        .container_port;
    Some(std::net::SocketAddr::new(ip, u16::try_from(port).ok()?))
}

/// The live state; cheap to clone.
#[derive(Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

struct Inner {
    status: broadcast::Sender<StatusUpdate>,
    pods: Mutex<HashMap<Uuid, watch::Sender<Option<PodInfo>>>>,
    /// What each running server last answered to the Server List Ping.
    presence: Mutex<HashMap<Uuid, Presence>>,
    players: broadcast::Sender<PlayersUpdate>,
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
                presence: Mutex::default(),
                players: broadcast::channel(1024).0,
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

    /// Records what the watch saw of a server's pod (None: it has none). A server that no
    /// longer runs has no presence.
    pub fn set_pod(&self, id: Uuid, info: Option<PodInfo>) {
        let running = info.as_ref().is_some_and(|p| p.running);
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
        if !running {
            // under the pods' lock: a ping answered meanwhile sees the stop (set_presence)
            self.clear_presence(id);
        }
    }

    /// Forgets a deleted server's pod; its console viewers see the end.
    pub fn forget(&self, id: Uuid) {
        let mut pods = self.inner.pods.lock().expect("pods");
        pods.remove(&id);
        self.clear_presence(id);
    }

    /// The servers to ask who is online: those whose game container runs, at their address.
    pub fn ping_targets(&self) -> Vec<(Uuid, std::net::SocketAddr)> {
        let pods = self.inner.pods.lock().expect("pods");
        pods.iter()
            .filter_map(|(id, tx)| {
                let p = tx.borrow();
                p.as_ref()
                    .filter(|p| p.running)
                    .and_then(|p| p.address)
                    .map(|a| (*id, a))
            })
            .collect()
    }

    /// Records what the server `id` at `addr` answered to the ping (None: nothing). Ignored if
    /// the server has stopped or moved since it was asked. A changed count is pushed.
    pub fn set_presence(&self, id: Uuid, addr: std::net::SocketAddr, got: Option<Presence>) {
        let pods = self.inner.pods.lock().expect("pods");
        let current = pods.get(&id).is_some_and(|tx| {
            tx.borrow()
                .as_ref()
                .is_some_and(|p| p.running && p.address == Some(addr))
        });
        if !current {
            return;
        }
        // still under the pods' lock, so that a stop recorded meanwhile clears it after
        let mut presence = self.inner.presence.lock().expect("presence");
        let before = presence.get(&id).map(Presence::count);
        let after = got.as_ref().map(Presence::count);
        match got {
            Some(p) => presence.insert(id, p),
            None => presence.remove(&id),
        };
        drop(presence);
        drop(pods);
        if before != after {
            let _ = self
                .inner
                .players
                .send(PlayersUpdate { id, players: after });
        }
    }

    /// Drops a server's presence; the caller holds the pods' lock.
    fn clear_presence(&self, id: Uuid) {
        let had = self
            .inner
            .presence
            .lock()
            .expect("presence")
            .remove(&id)
            .is_some();
        if had {
            let _ = self.inner.players.send(PlayersUpdate { id, players: None });
        }
    }

    /// What the server last answered to the ping, while it runs.
    pub fn presence(&self, id: Uuid) -> Option<Presence> {
        self.inner
            .presence
            .lock()
            .expect("presence")
            .get(&id)
            .cloned()
    }

    /// Its players online and at most, while it runs and answers.
    pub fn player_count(&self, id: Uuid) -> Option<PlayerCount> {
        self.inner
            .presence
            .lock()
            .expect("presence")
            .get(&id)
            .map(Presence::count)
    }

    /// Player count changes from now on.
    pub fn player_updates(&self) -> broadcast::Receiver<PlayersUpdate> {
        self.inner.players.subscribe()
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
