//! Container logs: every line a container printed, per run (the current and the previous one),
//! and `pods/{name}/log` with `follow`, `tailLines`, `sinceSeconds`, `sinceTime`, `timestamps`,
//! `previous`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::http::{StatusCode, header};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde_json::Value;
use tokio::sync::{broadcast, mpsc};

use crate::Cluster;
use crate::api::Params;
use crate::resources;
use crate::status::{ApiError, ApiResult};

/// Lines kept per run.
const KEEP: usize = 50_000;

/// One line of output.
#[derive(Debug, Clone)]
pub struct Line {
    /// When it was printed.
    pub ts: DateTime<Utc>,
    /// The text, without its newline.
    pub text: String,
}

/// What followers receive: a line, or the end of the run.
#[derive(Debug, Clone)]
pub enum Item {
    /// A new line.
    Line(Line),
    /// The container exited.
    End,
}

#[derive(Debug)]
struct Container {
    current: VecDeque<Line>,
    previous: Option<VecDeque<Line>>,
    running: bool,
    tx: broadcast::Sender<Item>,
}

/// All containers' logs.
#[derive(Debug, Default)]
pub struct LogBook {
    inner: Mutex<HashMap<(String, String, String), Container>>,
}

type Key = (String, String, String);

fn key(ns: &str, pod: &str, c: &str) -> Key {
    (ns.to_string(), pod.to_string(), c.to_string())
}

impl LogBook {
    /// A container run starts: the current lines become the previous run's.
    pub fn start_run(&self, ns: &str, pod: &str, container: &str) {
        let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let c = m
            .entry(key(ns, pod, container))
            .or_insert_with(|| Container {
                current: VecDeque::new(),
                previous: None,
                running: false,
                tx: broadcast::channel(4096).0,
            });
        if c.running || !c.current.is_empty() {
            c.previous = Some(std::mem::take(&mut c.current));
        }
        c.running = true;
    }

    /// Appends a line.
    pub fn push(&self, ns: &str, pod: &str, container: &str, text: String) {
        let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = m.get_mut(&key(ns, pod, container)) {
            let line = Line {
                ts: Utc::now(),
                text,
            };
            c.current.push_back(line.clone());
            if c.current.len() > KEEP {
                c.current.pop_front();
            }
            let _ = c.tx.send(Item::Line(line));
        }
    }

    /// The run ended.
    pub fn end_run(&self, ns: &str, pod: &str, container: &str) {
        let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = m.get_mut(&key(ns, pod, container)) {
            c.running = false;
            let _ = c.tx.send(Item::End);
        }
    }

    /// Forgets a pod's logs (the pod is gone).
    pub fn forget_pod(&self, ns: &str, pod: &str) {
        let mut m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        m.retain(|(n, p, _), c| {
            let keep = !(n == ns && p == pod);
            if !keep {
                let _ = c.tx.send(Item::End);
            }
            keep
        });
    }

    /// A snapshot of lines and, for a running container, a receiver of what comes next.
    fn read(
        &self,
        ns: &str,
        pod: &str,
        container: &str,
        previous: bool,
    ) -> Option<(Vec<Line>, Option<broadcast::Receiver<Item>>)> {
        let m = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let c = m.get(&key(ns, pod, container))?;
        if previous {
            // While the container waits to restart, its last (terminated) run is "previous".
            if !c.running && !c.current.is_empty() {
                return Some((c.current.iter().cloned().collect(), None));
            }
            return c
                .previous
                .as_ref()
                .map(|p| (p.iter().cloned().collect(), None));
        }
        let rx = c.running.then(|| c.tx.subscribe());
        Some((c.current.iter().cloned().collect(), rx))
    }
}

fn format(line: &Line, timestamps: bool) -> String {
    if timestamps {
        format!(
            "{} {}\n",
            line.ts.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
            line.text
        )
    } else {
        format!("{}\n", line.text)
    }
}

/// `GET .../pods/{name}/log`.
pub async fn handle(c: &Arc<Cluster>, ns: &str, pod: &str, p: &Params) -> ApiResult<Response> {
    let pod_obj = c.store.get(resources::by_kind("Pod"), ns, pod)?;
    let containers: Vec<String> = pod_obj
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect();
    let container = match &p.container {
        Some(name) => {
            let init = pod_obj
                .pointer("/spec/initContainers")
                .and_then(Value::as_array)
                .is_some_and(|ics| ics.iter().any(|c| c["name"] == name.as_str()));
            if !containers.contains(name) && !init {
                return Err(ApiError::bad_request(format!(
                    "container {name} is not valid for pod {pod}"
                )));
            }
            name.clone()
        }
        None if containers.len() == 1 => containers[0].clone(),
        None => {
            return Err(ApiError::bad_request(format!(
                "a container name must be specified for pod {pod}, choose one of: {containers:?}"
            )));
        }
    };
    let previous = p.previous.unwrap_or(false);
    let Some((lines, rx)) = c.logs.read(ns, pod, &container, previous) else {
        return Err(if previous {
            ApiError::bad_request(format!(
                "previous terminated container \"{container}\" in pod \"{pod}\" not found"
            ))
        } else {
            ApiError::bad_request(format!(
                "container \"{container}\" in pod \"{pod}\" is waiting to start: ContainerCreating"
            ))
        });
    };
    // `sinceTime` is a metav1.Time: the apiserver keeps whole seconds only, as a kubelet sees it
    let since_time = match &p.since_time {
        Some(t) => Some(chrono::SubsecRound::trunc_subsecs(
            DateTime::parse_from_rfc3339(t)
                .map_err(|_| ApiError::bad_request(format!("sinceTime {t:?} is not a time")))?
                .to_utc(),
            0,
        )),
        None => None,
    };
    let since = p
        .since_seconds
        .map(|s| Utc::now() - chrono::Duration::seconds(s))
        .or(since_time);
    let mut lines: Vec<Line> = lines
        .into_iter()
        .filter(|l| since.is_none_or(|s| l.ts >= s))
        .collect();
    if let Some(n) = p.tail_lines {
        let skip = lines.len().saturating_sub(n);
        lines.drain(..skip);
    }
    let timestamps = p.timestamps.unwrap_or(false);
    let head: String = lines.iter().map(|l| format(l, timestamps)).collect();
    let follow = p.follow.unwrap_or(false);
    tracing::debug!(ns, pod, follow, previous, "log stream opened");
    let builder = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/plain");
    let (Some(mut rx), true) = (rx, follow) else {
        return Ok(builder.body(Body::from(head)).expect("response"));
    };
    let (tx, out) = mpsc::channel::<Result<Bytes, std::io::Error>>(1024);
    tokio::spawn(async move {
        if !head.is_empty() && tx.send(Ok(Bytes::from(head))).await.is_err() {
            return;
        }
        loop {
            match rx.recv().await {
                Ok(Item::Line(l)) => {
                    if tx
                        .send(Ok(Bytes::from(format(&l, timestamps))))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
                Ok(Item::End) | Err(broadcast::error::RecvError::Closed) => return,
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
            }
        }
    });
    Ok(builder
        .body(Body::from_stream(
            tokio_stream::wrappers::ReceiverStream::new(out),
        ))
        .expect("response"))
}
