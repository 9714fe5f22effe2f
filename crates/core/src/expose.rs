//! How players reach the game servers: the operator's exposure mode, the node ports the panel
//! hands out, the load balancers' addresses the cluster gives, and the join address each
//! server's page shows.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use futures::StreamExt;
use protocol::dto::Join;

use crate::AppState;

/// The load balancers' addresses, by the Service's (the server's object) name, as the watch
/// of the game Services last saw them; each replica keeps its own.
#[derive(Debug, Clone, Default)]
pub struct Balancers(Arc<RwLock<HashMap<String, String>>>);

impl Balancers {
    /// The address of `object_name`'s load balancer, once the cluster gave it one.
    pub fn address(&self, object_name: &str) -> Option<String> {
        self.0
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(object_name)
            .cloned()
    }

    fn set(&self, object_name: String, address: Option<String>) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        match address {
            Some(a) => map.insert(object_name, a),
            None => map.remove(&object_name),
        };
    }

    fn keep_only(&self, seen: &HashSet<String>) {
        let mut map = self.0.write().unwrap_or_else(|e| e.into_inner());
        map.retain(|name, _| seen.contains(name));
    }
}

/// Follows the game Services for their load balancers' addresses, for ever (every replica
/// runs it; in the other modes it costs one idle watch).
pub async fn watch(state: AppState) {
    let mut events = Box::pin(state.kube.watch_services());
    let mut relisted: Option<HashSet<String>> = None;
    while let Some(ev) = events.next().await {
        match ev {
            cluster::client::ServiceEvent::Relisting => relisted = Some(HashSet::new()),
            cluster::client::ServiceEvent::Seen {
                object_name,
                ingress,
            } => {
                if let Some(seen) = relisted.as_mut() {
                    seen.insert(object_name.clone());
                }
                state.expose.balancers.set(object_name, ingress);
            }
            cluster::client::ServiceEvent::Gone { object_name } => {
                state.expose.balancers.set(object_name, None);
            }
            cluster::client::ServiceEvent::Synced => {
                if let Some(seen) = relisted.take() {
                    state.expose.balancers.keep_only(&seen);
                }
            }
        }
    }
}

/// The operator's choice of how game servers are reached.
#[derive(Debug, Clone)]
pub struct ExposeSettings {
    /// The Service type of every game server.
    pub mode: cluster::Expose,
    /// The node ports handed out in [`cluster::Expose::NodePort`] (inclusive), within the
    /// cluster's `service-node-port-range`.
    pub node_ports: (u16, u16),
    /// The address players type for a node port: a node's public address or a name that
    /// reaches the nodes (None: not said; the page shows the port alone).
    pub public_host: Option<String>,
    /// The load balancers' addresses (in [`cluster::Expose::LoadBalancer`]).
    pub balancers: Balancers,
    /// The domain servers are named under in [`cluster::Expose::Hostname`] (`<name>.<domain>`).
    pub domain: Option<String>,
    /// The port players join the router on (25565 is left out of the address).
    pub router_port: u16,
    /// In hostname mode: a player joining a stopped server wakes it (mc-router scales it up;
    /// the panel adopts that as a start, see [`crate::wake`]).
    pub wake_on_join: bool,
}

impl Default for ExposeSettings {
    fn default() -> Self {
        ExposeSettings {
            mode: cluster::Expose::ClusterIp,
            node_ports: (30000, 32767),
            public_host: None,
            balancers: Balancers::default(),
            domain: None,
            router_port: 25565,
            wake_on_join: false,
        }
    }
}

impl ExposeSettings {
    /// The range new servers take a node port from (None: this mode gives none).
    pub fn node_port_range(&self) -> Option<(i32, i32)> {
        (self.mode == cluster::Expose::NodePort)
            .then(|| (i32::from(self.node_ports.0), i32::from(self.node_ports.1)))
    }
}

/// The name players join `server_name` with through the router (hostname mode only). Server
/// names are unique and DNS labels, so the name needs no allocation.
pub fn hostname(state: &AppState, server_name: &str) -> Option<String> {
    match (state.expose.mode, &state.expose.domain) {
        (cluster::Expose::Hostname, Some(domain)) => Some(format!("{server_name}.{domain}")),
        _ => None,
    }
}

/// How players reach `server`, whose game port is `game_port`.
pub fn join(state: &AppState, server: &db::Server, game_port: u16) -> Join {
    let node_port = server.node_port.and_then(|p| u16::try_from(p).ok());
    match (state.expose.mode, node_port, &state.expose.public_host) {
        (cluster::Expose::NodePort, Some(port), Some(host)) => Join::Address {
            address: address(host, port),
        },
        (cluster::Expose::NodePort, Some(port), None) => Join::NodePort { port },
        (cluster::Expose::Hostname, ..) => match hostname(state, &server.name) {
            Some(host) if state.expose.router_port == 25565 => Join::Address { address: host },
            Some(host) => Join::Address {
                address: address(&host, state.expose.router_port),
            },
            None => Join::Unknown,
        },
        (cluster::Expose::LoadBalancer, ..) => {
            match state.expose.balancers.address(&server.object_name) {
                Some(host) => Join::Address {
                    address: address(&host, game_port),
                },
                None => Join::Waiting,
            }
        }
        _ => Join::Internal {
            address: format!(
                "{}.{}.svc:{game_port}",
                server.object_name,
                state.kube.namespace()
            ),
        },
    }
}

/// How players reach `server`'s extra port `port`, whose node port (node port exposure) is
/// `node_port`. Through the router (hostname exposure) only the game port goes: the others are
/// reachable inside the cluster.
pub fn join_extra(
    state: &AppState,
    server: &db::Server,
    port: &cluster::ExtraPort,
    node_port: Option<&i32>,
) -> Join {
    let node_port = node_port.and_then(|p| u16::try_from(*p).ok());
    match (state.expose.mode, node_port, &state.expose.public_host) {
        (cluster::Expose::NodePort, Some(p), Some(host)) => Join::Address {
            address: address(host, p),
        },
        (cluster::Expose::NodePort, Some(p), None) => Join::NodePort { port: p },
        (cluster::Expose::NodePort, None, _) => Join::Waiting,
        (cluster::Expose::LoadBalancer, ..) => {
            match state.expose.balancers.address(&server.object_name) {
                Some(host) => Join::Address {
                    address: address(&host, port.port),
                },
                None => Join::Waiting,
            }
        }
        _ => Join::Internal {
            address: format!(
                "{}.{}.svc:{}",
                server.object_name,
                state.kube.namespace(),
                port.port
            ),
        },
    }
}

/// `host:port`, with an IPv6 address in brackets.
fn address(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_bracket_ipv6_only() {
        assert_eq!(address("mc.example.org", 30001), "mc.example.org:30001");
        assert_eq!(address("203.0.113.7", 30001), "203.0.113.7:30001");
        assert_eq!(address("2001:db8::1", 30001), "[2001:db8::1]:30001");
    }

    #[test]
    fn only_node_port_mode_hands_out_ports() {
        let mut e = ExposeSettings::default();
        assert_eq!(e.node_port_range(), None);
        e.mode = cluster::Expose::NodePort;
        e.node_ports = (30100, 30199);
        assert_eq!(e.node_port_range(), Some((30100, 30199)));
    }
}
