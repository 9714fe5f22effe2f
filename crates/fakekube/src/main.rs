//! `fakekube`: serve the Kubernetes API stand-in on its own, e.g. for `kubectl --server`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// A small Kubernetes API stand-in that runs pods as local processes.
#[derive(Debug, Parser)]
#[command(name = "fakekube", version)]
struct Args {
    /// Something else than serving the API.
    #[command(subcommand)]
    command: Option<Command>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:6443")]
    listen: std::net::SocketAddr,
    /// State folder.
    #[arg(long, default_value = "fakekube-data")]
    root: PathBuf,
    /// The mcsim binary (default: next to this one).
    #[arg(long)]
    mcsim: Option<PathBuf>,
    /// Keep objects across restarts (root/state.json).
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    persist: bool,
    /// Namespaces to create at start.
    #[arg(long = "namespace")]
    namespaces: Vec<String>,
    /// The bearer token every request must carry, served over TLS (kubectl sends tokens over
    /// TLS only; the certificate is written to ROOT/ca.crt). Unset: plain HTTP, and anyone who
    /// reaches the port may use it and run commands as this user through exec.
    #[arg(long, env = "FAKEKUBE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// The node's address: Services' node ports (and LoadBalancer ports) are served there.
    #[arg(long, default_value = "127.0.0.1")]
    node_address: std::net::IpAddr,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Be a node of a real cluster: register a Node, run the pods bound to it, provision its
    /// volumes, serve the kubelet API.
    Node {
        /// The Node's name.
        #[arg(long, default_value = "fakekube-node")]
        name: String,
        /// Kubeconfig of the node's identity (system:node:NAME, group system:nodes).
        #[arg(long)]
        kubeconfig: PathBuf,
        /// Kubeconfig allowed to create PersistentVolumes (the provisioner's).
        #[arg(long)]
        provisioner_kubeconfig: PathBuf,
        /// The kubelet-streaming binary (built by scripts/controlplane.sh).
        #[arg(long)]
        streaming: PathBuf,
        /// Serve Services' node ports at this address, as kube-proxy does.
        #[arg(long)]
        serve_node_ports: Option<std::net::IpAddr>,
        /// Give each pod a network namespace of its own with an address from this range (its
        /// first address must be on the node's loopback already); without it, each pod takes
        /// a loopback address. Needs root and `ip`.
        #[arg(long)]
        pod_network: Option<fakekube::cidr::Cidr>,
        /// Serve the cluster IPs of this range too (the apiserver's service range, which must
        /// be routed to the node's loopback already).
        #[arg(long)]
        serve_cluster_ips: Option<fakekube::cidr::Cidr>,
    },
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let mcsim = args.mcsim.unwrap_or_else(|| {
        std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join("mcsim")))
            .unwrap_or_else(|| PathBuf::from("mcsim"))
    });
    if let Some(Command::Node {
        name,
        kubeconfig,
        provisioner_kubeconfig,
        streaming,
        serve_node_ports,
        pod_network,
        serve_cluster_ips,
    }) = args.command
    {
        let cfg = fakekube::kubelet::AgentConfig {
            name,
            kubeconfig,
            provisioner_kubeconfig,
            root: args.root,
            mcsim,
            streaming,
            node_address: serve_node_ports,
            pod_network: pod_network.map_or(
                fakekube::PodNetwork::Loopback,
                fakekube::PodNetwork::Namespaces,
            ),
            cluster_ips: serve_cluster_ips,
        };
        return fakekube::kubelet::agent::run(cfg, shutdown())
            .await
            .map_err(std::io::Error::other);
    }
    let root = args.root.clone();
    let fk = fakekube::FakeKube::start(fakekube::Config {
        listen: args.listen,
        root: args.root,
        mcsim,
        persist: args.persist,
        namespaces: args.namespaces,
        token: args.token.clone(),
        tls: args.token.is_some(),
        node_address: Some(args.node_address),
    })
    .await?;
    if let Some(ca) = &fk.ca_pem {
        std::fs::write(root.join("ca.crt"), ca)?;
    }
    if args.token.is_none() {
        tracing::warn!("no --token: anyone who can reach {} can use it", fk.url);
    }
    println!("fakekube listening on {}", fk.url);
    // Ctrl-C or SIGTERM: stop the pods' processes before leaving.
    shutdown().await;
    fk.stop().await;
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
