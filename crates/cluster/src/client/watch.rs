//! Watching the game pods, their Services (a load balancer's address) and the StatefulSets'
//! refusals to create them.

use futures::{Stream, StreamExt};
use k8s_openapi::api::core::v1::{Event, Pod, Service};
use kube::runtime::{WatchStreamExt, watcher};

use super::Kube;
use crate::labels::{MANAGED_SELECTOR, SERVER_ID};

/// One observation of the watch.
#[derive(Debug, Clone)]
pub enum PodEvent {
    /// A game pod exists as this.
    Seen(Box<Pod>),
    /// A game pod went away.
    Gone(Box<Pod>),
    /// A (re)list begins: every pod present follows as `Seen`, then `Synced`; a pod known
    /// before and not listed again is gone (deleted while the watch was down).
    Relisting,
    /// The watch (re)listed: every pod present was sent as `Seen` before this.
    Synced,
    /// The watch failed and restarts (with back-off); the reason.
    Failed(String),
}

/// A StatefulSet's report that it could not create its pod (a `FailedCreate` event: a
/// ResourceQuota, a LimitRange, an admission webhook or policy refused it). Nothing else says
/// so: the pod never exists, and the server would read "starting" for ever.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodRefused {
    /// The StatefulSet's name (the server's object name).
    pub object_name: String,
    /// The cluster's words.
    pub message: String,
}

/// One observation of the game Services' watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceEvent {
    /// A game Service exists, with its load balancer's address (the first ingress' IP or host
    /// name) once the cluster gave it one.
    Seen {
        /// The Service's name (the server's object name).
        object_name: String,
        /// The load balancer's address, if any.
        ingress: Option<String>,
    },
    /// A game Service went away.
    Gone {
        /// The Service's name.
        object_name: String,
    },
    /// A (re)list begins: every Service present follows as `Seen`, then `Synced`.
    Relisting,
    /// The (re)list is complete.
    Synced,
}

/// A Service's load balancer address: its first ingress' IP, else its host name.
fn ingress_of(svc: &Service) -> Option<String> {
    let first = svc
        .status
        .as_ref()?
        .load_balancer
        .as_ref()?
        .ingress
        .as_ref()?
        .first()?
        .clone();
    first.ip.or(first.hostname).filter(|a| !a.is_empty())
}

impl PodEvent {
    /// The server id label of the event's pod.
    pub fn server_id(pod: &Pod) -> Option<uuid::Uuid> {
        pod.metadata.labels.as_ref()?.get(SERVER_ID)?.parse().ok()
    }
}

impl Kube {
    /// One watch over the namespace's `FailedCreate` events of StatefulSets, restarted with
    /// back-off when it fails.
    pub fn watch_refusals(&self) -> impl Stream<Item = PodRefused> + Send + 'static {
        let cfg = watcher::Config::default()
            .fields("reason=FailedCreate,involvedObject.kind=StatefulSet");
        watcher(self.stream_api::<Event>(), cfg)
            .default_backoff()
            .applied_objects()
            .filter_map(|ev| async move {
                match ev {
                    Ok(e) => Some(PodRefused {
                        object_name: e.involved_object.name?,
                        message: e.message.unwrap_or_default(),
                    }),
                    Err(e) => {
                        tracing::warn!(error = %e, "event watch failed; retrying");
                        None
                    }
                }
            })
    }

    /// One watch over every game Service (by label), restarted with back-off when it fails.
    pub fn watch_services(&self) -> impl Stream<Item = ServiceEvent> + Send + 'static {
        let cfg = watcher::Config::default().labels(MANAGED_SELECTOR);
        watcher(self.stream_api::<Service>(), cfg)
            .default_backoff()
            .filter_map(|ev| async move {
                match ev {
                    Ok(watcher::Event::Apply(s) | watcher::Event::InitApply(s)) => {
                        Some(ServiceEvent::Seen {
                            ingress: ingress_of(&s),
                            object_name: s.metadata.name?,
                        })
                    }
                    Ok(watcher::Event::Delete(s)) => Some(ServiceEvent::Gone {
                        object_name: s.metadata.name?,
                    }),
                    Ok(watcher::Event::Init) => Some(ServiceEvent::Relisting),
                    Ok(watcher::Event::InitDone) => Some(ServiceEvent::Synced),
                    Err(e) => {
                        tracing::warn!(error = %e, "service watch failed; retrying");
                        None
                    }
                }
            })
    }

    /// One watch over every game pod (by label), restarted with back-off when it fails.
    pub fn watch_pods(&self) -> impl Stream<Item = PodEvent> + Send + 'static {
        let cfg = watcher::Config::default().labels(MANAGED_SELECTOR);
        watcher(self.stream_api::<Pod>(), cfg)
            .default_backoff()
            .filter_map(|ev| async move {
                match ev {
                    Ok(watcher::Event::Apply(p) | watcher::Event::InitApply(p)) => {
                        Some(PodEvent::Seen(Box::new(p)))
                    }
                    Ok(watcher::Event::Delete(p)) => Some(PodEvent::Gone(Box::new(p))),
                    Ok(watcher::Event::InitDone) => Some(PodEvent::Synced),
                    Ok(watcher::Event::Init) => Some(PodEvent::Relisting),
                    Err(e) => {
                        tracing::warn!(error = %e, "pod watch failed; retrying");
                        Some(PodEvent::Failed(e.to_string()))
                    }
                }
            })
    }
}
