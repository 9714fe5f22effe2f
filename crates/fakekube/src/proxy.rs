//! The Service proxy, as kube-proxy runs it on a node: every Service's ports at its cluster IP
//! (fakekube's are on the loopback), every node port of a NodePort or LoadBalancer Service at
//! the node's address, and a LoadBalancer Service's own ports there too, as k3s' ServiceLB does (the node is the load balancer: its address becomes the
//! Service's ingress, and a port another Service holds there leaves it pending). Each TCP
//! connection, and each UDP peer, goes to a ready pod the Service selects, chosen when it
//! arrives. fakekube's pods have loopback addresses of their own, so this is what makes a
//! Service reachable from outside its pods on one machine: the sandbox's join address.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::broadcast;
use tokio::task::{AbortHandle, JoinSet};

use crate::cidr::Cidr;
use crate::resources::by_kind;
use crate::store::Store;

/// A transport protocol a Service port names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Proto {
    Tcp,
    Udp,
}

impl Proto {
    fn of(port: &Value) -> Option<Proto> {
        match port["protocol"].as_str().unwrap_or("TCP") {
            "TCP" => Some(Proto::Tcp),
            "UDP" => Some(Proto::Udp),
            _ => None, // SCTP: not served
        }
    }
}

/// Which port of which Service a listener serves.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Route {
    namespace: String,
    service: String,
    /// The Service port's `port` (the key into `spec.ports`, with the protocol).
    port: u16,
    proto: Proto,
}

/// A listening socket the proxy keeps: `(address, protocol, port)`.
type Bound = (IpAddr, Proto, u16);

/// How long a UDP peer is remembered without a datagram either way.
const UDP_IDLE: Duration = Duration::from_secs(120);
/// How long a TCP connection to a pod may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A node address for a fakekube that shares its machine with others (tests): 127.0.x.y at
/// random, inside 127.0.0.0/16, where no pod's address is (see the pod runner).
pub fn spare_node_address() -> IpAddr {
    let [_, x, y, ..] = *uuid::Uuid::new_v4().as_bytes();
    std::net::Ipv4Addr::new(127, 0, x.max(1), y.clamp(2, 254)).into()
}

/// Where a LoadBalancer Service's ingress goes: `(namespace, name, status.loadBalancer)`,
/// called on every pass for every LoadBalancer Service (a sink skips what it already has).
pub type IngressSink = Arc<dyn Fn(&str, &str, Value) + Send + Sync>;

/// The sink of fakekube itself: the ingress is written into the Service's status in `store`.
pub fn into_store(store: Arc<Store>) -> IngressSink {
    Arc::new(move |ns, name, status| {
        let _ = store.mutate(by_kind("Service"), ns, name, |s| {
            s["status"]["loadBalancer"] = status;
        });
    })
}

/// Serves the Services of `store` at `node`, telling `ingress` each LoadBalancer's address,
/// until the store closes or the task is aborted (which ends every listener and connection
/// with it).
pub async fn run(store: Arc<Store>, node: IpAddr, cluster_ips: Option<Cidr>, ingress: IngressSink) {
    let mut events = store.subscribe();
    let mut tasks = JoinSet::new();
    let mut bound: HashMap<Bound, (Route, AbortHandle)> = HashMap::new();
    let mut tick = tokio::time::interval(Duration::from_secs(3));
    loop {
        sync(&store, node, cluster_ips, &mut bound, &mut tasks, &ingress).await;
        while tasks.try_join_next().is_some() {}
        tokio::select! {
            ev = events.recv() => match ev {
                // pods count too: a cluster IP is served only while a pod is behind it
                Ok(e) if !matches!(e.res.plural, "services" | "pods") => continue,
                Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return,
            },
            // a port that another process held may be free now
            _ = tick.tick() => {}
        }
    }
}

/// The listeners the Services want now, each with the routes that may hold it: a node port
/// its Service's, a port of the node every LoadBalancer Service asking for it (the one already
/// holding it keeps it; ports are taken in name order at first).
fn wanted(store: &Store, node: IpAddr, cluster_ips: Option<Cidr>) -> HashMap<Bound, Vec<Route>> {
    let mut want: HashMap<Bound, Vec<Route>> = HashMap::new();
    for svc in store.all(by_kind("Service")) {
        let ty = svc.pointer("/spec/type").and_then(Value::as_str);
        let lb = ty == Some("LoadBalancer");
        let node_ports = lb || ty == Some("NodePort");
        // a cluster IP of the loopback (fakekube's) or of the range made local to the node
        // (a real control plane's, under the node agent); other addresses are not this
        // machine's to answer for
        let cluster_ip = svc
            .pointer("/spec/clusterIP")
            .and_then(Value::as_str)
            .and_then(|ip| ip.parse::<IpAddr>().ok())
            .filter(|ip| match ip {
                IpAddr::V4(v4) => ip.is_loopback() || cluster_ips.is_some_and(|r| r.contains(*v4)),
                IpAddr::V6(_) => false,
            });
        for p in svc
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(proto), Some(port)) = (Proto::of(p), port_number(&p["port"])) else {
                continue;
            };
            let route = Route {
                namespace: text(&svc["metadata"]["namespace"]),
                service: text(&svc["metadata"]["name"]),
                port,
                proto,
            };
            if let Some(ip) = cluster_ip {
                want.entry((ip, proto, port))
                    .or_default()
                    .push(route.clone());
            }
            if let Some(np) = port_number(&p["nodePort"]).filter(|_| node_ports) {
                want.entry((node, proto, np))
                    .or_default()
                    .insert(0, route.clone());
            }
            if lb {
                want.entry((node, proto, port)).or_default().push(route);
            }
        }
    }
    want
}

async fn sync(
    store: &Arc<Store>,
    node: IpAddr,
    cluster_ips: Option<Cidr>,
    bound: &mut HashMap<Bound, (Route, AbortHandle)>,
    tasks: &mut JoinSet<()>,
    ingress: &IngressSink,
) {
    let mut want = wanted(store, node, cluster_ips);
    // A cluster IP with no pod behind it refuses connections, as kube-proxy's rules reject
    // them (a client such as mc-router waits for a woken server by dialling until one is
    // taken); node and load-balancer ports stay bound, so a LoadBalancer keeps its address.
    want.retain(|(ip, ..), routes| {
        *ip == node || routes.iter().any(|r| backend(store, r).is_some())
    });
    bound.retain(|key, (route, task)| {
        let keep = !task.is_finished() && want.get(key).is_some_and(|rs| rs.contains(route));
        if !keep {
            task.abort();
        }
        keep
    });
    for (key @ (ip, proto, port), routes) in &want {
        let Some(route) = routes.first() else {
            continue;
        };
        if bound.contains_key(key) {
            continue;
        }
        let addr = SocketAddr::new(*ip, *port);
        let task = match proto {
            Proto::Tcp => match TcpListener::bind(addr).await {
                Ok(l) => tasks.spawn(serve_tcp(l, store.clone(), route.clone())),
                Err(e) => {
                    tracing::debug!(%addr, error = %e, "a node port cannot be bound yet");
                    continue;
                }
            },
            Proto::Udp => match UdpSocket::bind(addr).await {
                Ok(s) => tasks.spawn(serve_udp(Arc::new(s), store.clone(), route.clone())),
                Err(e) => {
                    tracing::debug!(%addr, error = %e, "a node port cannot be bound yet");
                    continue;
                }
            },
        };
        tracing::debug!(%addr, ?proto, service = %route.service, "serving a Service port");
        bound.insert(*key, (route.clone(), task));
    }
    publish_ingress(store, node, bound, ingress);
}

/// Writes each LoadBalancer Service's ingress: the node's address once every port it asked
/// for is served for it, none while one is held elsewhere (as ServiceLB leaves it pending).
fn publish_ingress(
    store: &Store,
    node: IpAddr,
    bound: &HashMap<Bound, (Route, AbortHandle)>,
    ingress: &IngressSink,
) {
    for svc in store.all(by_kind("Service")) {
        if svc.pointer("/spec/type").and_then(Value::as_str) != Some("LoadBalancer") {
            continue;
        }
        let ns = text(&svc["metadata"]["namespace"]);
        let name = text(&svc["metadata"]["name"]);
        let ports: Vec<Bound> = svc
            .pointer("/spec/ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| Some((node, Proto::of(p)?, port_number(&p["port"])?)))
            .collect();
        let served = !ports.is_empty()
            && ports.iter().all(|key| {
                bound
                    .get(key)
                    .is_some_and(|(r, _)| r.namespace == ns && r.service == name)
            });
        let status = if served {
            json!({"ingress": [{"ip": node.to_string(), "ipMode": "VIP"}]})
        } else {
            json!({})
        };
        ingress(&ns, &name, status);
    }
}

/// A ready pod's address for `route`: a pod in the Service's namespace whose labels hold the
/// Service's selector, ready (or not, with `publishNotReadyAddresses`) and not being deleted,
/// at the port the Service's `targetPort` names (a number, or the name of one of the pod's
/// container ports).
fn backend(store: &Store, route: &Route) -> Option<SocketAddr> {
    let svc = store
        .get(by_kind("Service"), &route.namespace, &route.service)
        .ok()?;
    let port = svc
        .pointer("/spec/ports")?
        .as_array()?
        .iter()
        .find(|p| Proto::of(p) == Some(route.proto) && port_number(&p["port"]) == Some(route.port))?
        .clone();
    let selector = svc.pointer("/spec/selector")?.as_object()?.clone();
    let not_ready_too = svc.pointer("/spec/publishNotReadyAddresses") == Some(&json!(true));
    if selector.is_empty() {
        return None; // a Service without a selector has endpoints of its own making
    }
    let target = port
        .get("targetPort")
        .cloned()
        .unwrap_or(port["port"].clone());
    let pods = store.all(by_kind("Pod"));
    pods.iter()
        .filter(|p| p["metadata"]["namespace"] == route.namespace.as_str())
        .filter(|p| p.pointer("/metadata/deletionTimestamp").is_none())
        .filter(|p| {
            selector
                .iter()
                .all(|(k, v)| p.pointer("/metadata/labels").and_then(|l| l.get(k)) == Some(v))
        })
        .filter(|p| not_ready_too || crate::controller::is_ready(p))
        .find_map(|p| {
            let ip: IpAddr = p.pointer("/status/podIP")?.as_str()?.parse().ok()?;
            Some(SocketAddr::new(ip, target_port(p, &target, route.proto)?))
        })
}

/// The container port `target` names on `pod`.
fn target_port(pod: &Value, target: &Value, proto: Proto) -> Option<u16> {
    if let Some(n) = port_number(target) {
        return Some(n);
    }
    let name = target.as_str()?;
    pod.pointer("/spec/containers")?
        .as_array()?
        .iter()
        .filter_map(|c| c["ports"].as_array())
        .flatten()
        .find(|p| p["name"] == name && Proto::of(p) == Some(proto))
        .and_then(|p| port_number(&p["containerPort"]))
}

fn port_number(v: &Value) -> Option<u16> {
    v.as_u64()
        .and_then(|n| u16::try_from(n).ok())
        .filter(|n| *n > 0)
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

async fn serve_tcp(listener: TcpListener, store: Arc<Store>, route: Route) {
    loop {
        let Ok((mut client, peer)) = listener.accept().await else {
            continue;
        };
        let store = store.clone();
        let route = route.clone();
        tokio::spawn(async move {
            // no ready pod: the connection is refused by closing it, as kube-proxy rejects
            let Some(to) = backend(&store, &route) else {
                tracing::debug!(%peer, service = %route.service, "no ready pod for a connection");
                return;
            };
            let upstream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(to)).await;
            let Ok(Ok(mut upstream)) = upstream else {
                tracing::debug!(%peer, %to, "the pod did not take a connection");
                return;
            };
            let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
        });
    }
}

/// One UDP peer's way to its pod: a socket of its own, so the pod's answers come back to it.
struct Flow {
    upstream: Arc<UdpSocket>,
    task: AbortHandle,
}

async fn serve_udp(socket: Arc<UdpSocket>, store: Arc<Store>, route: Route) {
    let mut flows: HashMap<SocketAddr, Flow> = HashMap::new();
    let mut answers = JoinSet::new();
    let mut buf = vec![0u8; 65_536];
    loop {
        let Ok((n, peer)) = socket.recv_from(&mut buf).await else {
            continue;
        };
        flows.retain(|_, f| !f.task.is_finished());
        while answers.try_join_next().is_some() {}
        let flow = match flows.entry(peer) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(v) => {
                let Some(to) = backend(&store, &route) else {
                    continue;
                };
                // the kernel picks the source: a loopback one for a pod on the loopback, the
                // node's side of the link for a pod in a namespace of its own
                let bind: SocketAddr = match to {
                    SocketAddr::V4(_) => (std::net::Ipv4Addr::UNSPECIFIED, 0).into(),
                    SocketAddr::V6(_) => (std::net::Ipv6Addr::UNSPECIFIED, 0).into(),
                };
                let Ok(up) = UdpSocket::bind(bind).await else {
                    continue;
                };
                if up.connect(to).await.is_err() {
                    continue;
                }
                let up = Arc::new(up);
                let task = answers.spawn(answer_udp(up.clone(), socket.clone(), peer));
                v.insert(Flow { upstream: up, task })
            }
        };
        let _ = flow.upstream.send(&buf[..n]).await;
    }
}

/// Sends a pod's datagrams back to `peer` until neither side has sent any for [`UDP_IDLE`].
async fn answer_udp(up: Arc<UdpSocket>, socket: Arc<UdpSocket>, peer: SocketAddr) {
    let mut buf = vec![0u8; 65_536];
    while let Ok(Ok(n)) = tokio::time::timeout(UDP_IDLE, up.recv(&mut buf)).await {
        let _ = socket.send_to(&buf[..n], peer).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_ports_by_number_or_container_port_name() {
        let pod = json!({"spec": {"containers": [{"ports": [
            {"name": "minecraft", "containerPort": 25565, "protocol": "TCP"},
            {"name": "bedrock", "containerPort": 19132, "protocol": "UDP"}]}]}});
        assert_eq!(target_port(&pod, &json!(8080), Proto::Tcp), Some(8080));
        assert_eq!(
            target_port(&pod, &json!("minecraft"), Proto::Tcp),
            Some(25565)
        );
        assert_eq!(
            target_port(&pod, &json!("bedrock"), Proto::Udp),
            Some(19132)
        );
        assert_eq!(target_port(&pod, &json!("bedrock"), Proto::Tcp), None);
        assert_eq!(target_port(&pod, &json!("web"), Proto::Tcp), None);
    }

    /// A Service whose node port is served at `node`, over a ready pod at `pod` (an echo
    /// of the tests' own making).
    fn echo_service(store: &Store, proto: &str, pod: IpAddr, node_port: u16) {
        store.put(
            by_kind("Namespace"),
            "",
            json!({"metadata": {"name": "default"}}),
        );
        store.put(by_kind("Service"), "default", json!({"metadata": {"name": "echo", "namespace": "default"},
            "spec": {"type": "NodePort", "selector": {"app": "echo"},
                "ports": [{"port": 7000, "targetPort": "echo", "protocol": proto, "nodePort": node_port}]}}));
        store.put(by_kind("Pod"), "default", json!({"metadata": {"name": "echo-0", "namespace": "default",
                "labels": {"app": "echo"}},
            "spec": {"containers": [{"ports": [{"name": "echo", "containerPort": 7001, "protocol": proto}]}]},
            "status": {"podIP": pod.to_string(), "conditions": [{"type": "Ready", "status": "True"}]}}));
    }

    #[tokio::test]
    async fn tcp_and_udp_reach_the_pod_through_the_node_port() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        for proto in ["TCP", "UDP"] {
            let (node, pod) = (spare_node_address(), spare_node_address());
            let store = Store::new(None);
            echo_service(&store, proto, pod, 30007);
            let echo_at = SocketAddr::new(pod, 7001);
            let echo = if proto == "TCP" {
                let l = TcpListener::bind(echo_at).await.unwrap();
                tokio::spawn(async move {
                    while let Ok((mut c, _)) = l.accept().await {
                        let mut b = [0u8; 5];
                        if c.read_exact(&mut b).await.is_ok() {
                            let _ = c.write_all(&b).await;
                        }
                    }
                })
            } else {
                let u = UdpSocket::bind(echo_at).await.unwrap();
                tokio::spawn(async move {
                    let mut b = [0u8; 64];
                    while let Ok((n, from)) = u.recv_from(&mut b).await {
                        let _ = u.send_to(&b[..n], from).await;
                    }
                })
            };
            let proxy = tokio::spawn(run(store.clone(), node, None, into_store(store.clone())));
            let at = SocketAddr::new(node, 30007);
            let mut got = None;
            for _ in 0..50 {
                tokio::time::sleep(Duration::from_millis(100)).await;
                if proto == "TCP" {
                    let Ok(mut c) = TcpStream::connect(at).await else {
                        continue;
                    };
                    let mut b = [0u8; 5];
                    if c.write_all(b"hello").await.is_ok() && c.read_exact(&mut b).await.is_ok() {
                        got = Some(b.to_vec());
                        break;
                    }
                } else {
                    let u = UdpSocket::bind((std::net::Ipv4Addr::LOCALHOST, 0))
                        .await
                        .unwrap();
                    u.send_to(b"hello", at).await.unwrap();
                    let mut b = [0u8; 64];
                    if let Ok(Ok(n)) =
                        tokio::time::timeout(Duration::from_millis(300), u.recv(&mut b)).await
                    {
                        got = Some(b[..n].to_vec());
                        break;
                    }
                }
            }
            assert_eq!(
                got.as_deref(),
                Some(&b"hello"[..]),
                "{proto} through the node port"
            );
            proxy.abort();
            echo.abort();
        }
    }

    #[test]
    fn node_ports_and_load_balancer_ports_are_wanted() {
        let store = Store::new(None);
        store.put(
            by_kind("Namespace"),
            "",
            json!({"metadata": {"name": "default"}}),
        );
        let svc = |name: &str, ty: &str, ports: Value| {
            json!({"metadata": {"name": name}, "spec": {"type": ty, "selector": {"app": name},
                "ports": ports}})
        };
        for s in [
            svc(
                "np",
                "NodePort",
                json!([{"port": 25565, "nodePort": 30001}]),
            ),
            svc(
                "lb",
                "LoadBalancer",
                json!([{"port": 25565, "nodePort": 30002},
                {"name": "b", "port": 19132, "protocol": "UDP", "nodePort": 30003}]),
            ),
            svc(
                "lb2",
                "LoadBalancer",
                json!([{"port": 25565, "nodePort": 30004}]),
            ),
            svc("cip", "ClusterIP", json!([{"port": 25565}])),
        ] {
            store.create(by_kind("Service"), "default", s).unwrap();
        }
        let node: IpAddr = std::net::Ipv4Addr::new(127, 0, 9, 9).into();
        let want = wanted(&store, node, None);
        let mut keys: Vec<_> = want
            .keys()
            .filter(|(ip, ..)| *ip == node)
            .map(|(_, p, n)| (*p == Proto::Udp, *n))
            .collect();
        keys.sort();
        // and every Service's ports at its cluster IP, on the loopback
        let at_cluster_ips = want.keys().filter(|(ip, ..)| *ip != node).count();
        assert_eq!(at_cluster_ips, 5, "{want:?}");
        assert_eq!(
            keys,
            [
                (false, 25565),
                (false, 30001),
                (false, 30002),
                (false, 30004),
                (true, 19132),
                (true, 30003)
            ]
        );
        // both LoadBalancers ask for 25565 of the node: the first in name order gets it
        let names: Vec<_> = want[&(node, Proto::Tcp, 25565)]
            .iter()
            .map(|r| r.service.as_str())
            .collect();
        assert_eq!(names, ["lb", "lb2"]);
    }
}
