//! Console channels: one per watched server, holding the single upstream log stream, a ring
//! buffer of recent lines for new viewers, and the fan-out of pre-serialised packets.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::extract::ws::Utf8Bytes;
use regex::Regex;
use tokio::sync::broadcast;
use uuid::Uuid;

use super::{Instance, Live, upstream};
use protocol::live::ServerMsg;

/// Lines kept for new viewers.
pub const HISTORY: usize = 1000;
/// How long a viewer waits for a new channel's history.
pub const PRIME_WAIT: std::time::Duration = std::time::Duration::from_secs(3);
/// Packets a slow viewer may fall behind before it loses some (it is told how many lines):
/// about three seconds of a console at full speed (25 packets a second).
const BACKLOG: usize = 64;

/// One message for every viewer, serialised once. `first..end` are the sequence numbers of the
/// output lines it carries (empty for other messages), so a viewer that lagged knows how many
/// lines it missed.
#[derive(Debug)]
pub struct Packet {
    /// The JSON text of the message.
    pub json: Utf8Bytes,
    /// Sequence number of its first line.
    pub first: u64,
    /// One past its last line.
    pub end: u64,
}

/// What a channel remembers.
#[derive(Debug, Default)]
struct State {
    history: VecDeque<String>,
    seq: u64,
    viewers: usize,
    /// Waiting for the "started" line of this run, with this pattern.
    startup: Option<(Regex, Option<Instance>)>,
    players: Option<u32>,
}

/// A server's console channel.
#[derive(Debug)]
pub struct Channel {
    tx: broadcast::Sender<Arc<Packet>>,
    /// True once the upstream read the recent lines (or found nothing to read).
    primed: tokio::sync::watch::Sender<bool>,
    state: Mutex<State>,
    task: Mutex<Option<tokio::task::AbortHandle>>,
    /// The last reading of the metrics API, shared by every viewer.
    usage: tokio::sync::Mutex<Option<(std::time::Instant, Option<Usage>)>>,
}

/// CPU in millicores and memory in MiB.
pub type Usage = (u64, u64);

/// How long a metrics reading is reused.
const USAGE_TTL: std::time::Duration = std::time::Duration::from_secs(4);

fn packet(msg: &ServerMsg, first: u64, end: u64) -> Arc<Packet> {
    let json = serde_json::to_string(msg).expect("messages serialise");
    Arc::new(Packet {
        json: json.into(),
        first,
        end,
    })
}

impl Channel {
    fn new() -> Channel {
        Channel {
            tx: broadcast::channel(BACKLOG).0,
            primed: tokio::sync::watch::channel(false).0,
            state: Mutex::default(),
            task: Mutex::default(),
            usage: tokio::sync::Mutex::default(),
        }
    }

    /// Appends output lines: kept for new viewers and sent to the present ones.
    pub fn publish_lines(&self, lines: Vec<String>) {
        self.publish_as(lines, false);
    }

    /// Appends installation lines (kept in the history with an `[install]` mark).
    pub fn publish_install(&self, lines: Vec<String>) {
        self.publish_as(lines, true);
    }

    fn publish_as(&self, lines: Vec<String>, install: bool) {
        if lines.is_empty() {
            return;
        }
        let mut st = self.state.lock().expect("channel");
        for l in &lines {
            if let Some(n) = super::text::players_change(l, st.players) {
                st.players = Some(n);
            }
            if st.history.len() == HISTORY {
                st.history.pop_front();
            }
            st.history.push_back(if install {
                format!("\x1b[2m[install]\x1b[0m {l}")
            } else {
                l.clone()
            });
        }
        let first = st.seq;
        st.seq += lines.len() as u64;
        let msg = if install {
            ServerMsg::InstallOutput(lines)
        } else {
            ServerMsg::Output(lines)
        };
        let _ = self.tx.send(packet(&msg, first, st.seq));
    }

    /// Sends a message that is not output (a notice, a command's answer) to every viewer.
    pub fn publish(&self, msg: &ServerMsg) {
        let st = self.state.lock().expect("channel");
        let _ = self.tx.send(packet(msg, st.seq, st.seq));
    }

    /// The history is loaded: viewers may join.
    pub fn prime(&self) {
        self.primed.send_replace(true);
    }

    /// Marks the start of a new run: players unknown again.
    pub fn new_run(&self) {
        self.state.lock().expect("channel").players = None;
    }

    /// Players online as counted from the console, if known.
    pub fn players(&self) -> Option<u32> {
        self.state.lock().expect("channel").players
    }

    /// The started-line pattern still looked for in `run`, if any.
    pub fn startup_pattern(&self, run: &Instance) -> Option<Regex> {
        let st = self.state.lock().expect("channel");
        match &st.startup {
            Some((re, None)) => Some(re.clone()),
            Some((re, Some(i))) if i == run => Some(re.clone()),
            _ => None,
        }
    }

    /// CPU (millicores) and memory (MiB) of `pod`, read at most every few seconds for all
    /// viewers together; None when the cluster has no metrics.
    pub async fn usage(&self, kube: &cluster::Kube, pod: &str) -> Option<Usage> {
        let mut cached = self.usage.lock().await;
        if let Some((at, v)) = *cached
            && at.elapsed() < USAGE_TTL
        {
            return v;
        }
        let v = kube.pod_usage(pod).await.ok().flatten();
        *cached = Some((std::time::Instant::now(), v));
        v
    }

    /// The recent lines and the sequence number after them.
    pub fn history(&self) -> (Vec<String>, u64) {
        let st = self.state.lock().expect("channel");
        (st.history.iter().cloned().collect(), st.seq)
    }
}

/// A viewer's subscription; dropping it lets the upstream stop when nobody else needs it.
pub struct Viewer {
    live: Live,
    id: Uuid,
    /// The channel.
    pub channel: Arc<Channel>,
    /// New packets.
    pub rx: broadcast::Receiver<Arc<Packet>>,
    /// Lines at the time of joining.
    pub history: Vec<String>,
    /// Sequence number after the history.
    pub seq: u64,
}

impl Drop for Viewer {
    fn drop(&mut self) {
        self.live.release(self.id, true);
    }
}

impl Live {
    fn channel(&self, id: Uuid, kube: &cluster::Kube) -> Arc<Channel> {
        let mut consoles = self.inner.consoles.lock().expect("consoles");
        if let Some(ch) = consoles.get(&id) {
            return ch.clone();
        }
        let ch = Arc::new(Channel::new());
        consoles.insert(id, ch.clone());
        let task = tokio::spawn(upstream::run(
            self.clone(),
            kube.clone(),
            id,
            ch.clone(),
            self.pod(id),
        ));
        *ch.task.lock().expect("task") = Some(task.abort_handle());
        ch
    }

    /// Joins a server's console: its history (waiting up to [`PRIME_WAIT`] for a new channel
    /// to load it), then every new packet.
    pub async fn watch(&self, id: Uuid, kube: &cluster::Kube) -> Viewer {
        let channel = self.channel(id, kube);
        let mut primed = channel.primed.subscribe();
        let _ = tokio::time::timeout(PRIME_WAIT, primed.wait_for(|p| *p)).await;
        let (rx, history, seq) = {
            let mut st = channel.state.lock().expect("channel");
            st.viewers += 1;
            // Under the lock: no packet slips between the history and the subscription.
            let rx = channel.tx.subscribe();
            (rx, st.history.iter().cloned().collect(), st.seq)
        };
        Viewer {
            live: self.clone(),
            id,
            channel,
            rx,
            history,
            seq,
        }
    }

    /// Follows a starting server's log until `pattern` shows in run `run`, then tells the status
    /// watch (see [`Live::take_started`]).
    pub fn watch_startup(&self, id: Uuid, kube: &cluster::Kube, pattern: Regex, run: Instance) {
        let channel = self.channel(id, kube);
        let mut st = channel.state.lock().expect("channel");
        if st.startup.is_none() {
            st.startup = Some((pattern, Some(run)));
        }
    }

    /// The upstream saw the started line of `run`.
    pub(super) fn started(&self, id: Uuid, run: Instance) {
        let _ = self.inner.started_tx.send((id, run));
        self.release(id, false);
    }

    /// A viewer left (`viewer`) or the startup watch ended: the channel closes when neither
    /// remains.
    fn release(&self, id: Uuid, viewer: bool) {
        let mut consoles = self.inner.consoles.lock().expect("consoles");
        let Some(ch) = consoles.get(&id).cloned() else {
            return;
        };
        let idle = {
            let mut st = ch.state.lock().expect("channel");
            if viewer {
                st.viewers = st.viewers.saturating_sub(1);
            } else {
                st.startup = None;
            }
            st.viewers == 0 && st.startup.is_none()
        };
        if idle {
            consoles.remove(&id);
            if let Some(task) = ch.task.lock().expect("task").take() {
                task.abort();
            }
        }
    }
}
