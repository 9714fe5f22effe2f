//! Where a pod's address lives. fakekube's pods take a loopback address of their own; the node
//! agent under a real control plane (run as root) gives each pod a network namespace of its own
//! instead, since the EndpointSlice controller refuses loopback addresses: `ip netns` named
//! after the address (`fk-198-19-8-5`), joined to the node by a veth pair, with an address from
//! the node's pod range. Routing is Calico's: the range's first address is the node's (on its
//! loopback, put there by whoever runs the agent) and the node's side of every pair; each pod
//! routes everything to it, and the node routes each pod's address to its pair. Nothing leaves
//! the machine: the node does not forward.

use std::net::Ipv4Addr;
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use crate::cidr::Cidr;

/// How pods get their addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodNetwork {
    /// A loopback address each (fakekube, and a node agent that may not make namespaces).
    Loopback,
    /// A network namespace each, with an address from this range (its first address is the
    /// node's, already on the node's loopback).
    Namespaces(Cidr),
}

/// A pod's network namespace.
#[derive(Debug)]
pub struct Netns {
    name: String,
}

/// The folder `ip netns` keeps its namespaces in.
const NETNS_DIR: &str = "/run/netns";

/// The namespace name of a pod at `address`.
fn name_of(address: Ipv4Addr) -> String {
    let [a, b, c, d] = address.octets();
    format!("fk-{a}-{b}-{c}-{d}")
}

/// The node's side of the pair of a pod at `address` (15 bytes at most, unique per address).
fn host_link_of(address: Ipv4Addr) -> String {
    format!("fkv{:08x}", u32::from(address))
}

async fn ip(args: &[&str]) -> Result<(), String> {
    let out = tokio::process::Command::new("ip")
        .args(args)
        .output()
        .await
        .map_err(|e| format!("ip {}: {e}", args.join(" ")))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "ip {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

impl Netns {
    /// Makes the namespace of a pod at `address` in `range`, linked to the node and routed.
    /// What a failure left behind is removed.
    pub async fn create(range: Cidr, address: Ipv4Addr) -> Result<Netns, String> {
        let netns = Netns {
            name: name_of(address),
        };
        match netns.set_up(range, address).await {
            Ok(()) => Ok(netns),
            Err(e) => {
                netns.remove().await;
                Err(e)
            }
        }
    }

    async fn set_up(&self, range: Cidr, address: Ipv4Addr) -> Result<(), String> {
        let (ns, link) = (self.name.as_str(), host_link_of(address));
        let node = range.first().to_string();
        let pod = format!("{address}/32");
        ip(&["netns", "add", ns]).await?;
        ip(&[
            "link", "add", &link, "type", "veth", "peer", "name", "eth0", "netns", ns,
        ])
        .await?;
        ip(&["link", "set", &link, "up"]).await?;
        ip(&["route", "add", &pod, "dev", &link, "src", &node]).await?;
        for args in [
            &["link", "set", "lo", "up"][..],
            &["addr", "add", &pod, "dev", "eth0"],
            &["link", "set", "eth0", "up"],
            &["route", "add", &node, "dev", "eth0", "scope", "link"],
            &["route", "add", "default", "via", &node, "dev", "eth0"],
        ] {
            let mut all = vec!["-n", ns];
            all.extend_from_slice(args);
            ip(&all).await?;
        }
        Ok(())
    }

    /// The namespace's file, which a process joins with `setns`.
    pub fn path(&self) -> PathBuf {
        Path::new(NETNS_DIR).join(&self.name)
    }

    /// Removes the namespace (its pair and route go with it).
    pub async fn remove(&self) {
        if let Err(e) = ip(&["netns", "delete", &self.name]).await {
            tracing::debug!(error = %e, "a pod's network namespace was already gone");
        }
    }
}

/// Removes the namespaces of pods in `range` left by an agent that died (the range is one
/// agent's at a time).
pub async fn sweep(range: Cidr) {
    let Ok(dir) = std::fs::read_dir(NETNS_DIR) else {
        return;
    };
    for entry in dir.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(dotted) = name.strip_prefix("fk-").map(|r| r.replace('-', ".")) else {
            continue;
        };
        if let Ok(a) = dotted.parse::<Ipv4Addr>()
            && range.contains(a)
        {
            tracing::info!(netns = %name, "removing a pod network left by an earlier agent");
            Netns { name }.remove().await;
        }
    }
}

/// Has `cmd`'s process join the network namespace at `path` before it runs (the pod's
/// processes, probes, hooks and exec all live in the pod's network).
pub fn enter(cmd: &mut tokio::process::Command, path: &Path) -> std::io::Result<()> {
    let fd: OwnedFd = std::fs::File::open(path)?.into();
    // SAFETY: setns is a system call; nothing of the parent's memory is touched after fork.
    unsafe {
        cmd.pre_exec(move || {
            nix::sched::setns(&fd, nix::sched::CloneFlags::CLONE_NEWNET)
                .map_err(std::io::Error::from)
        });
    }
    Ok(())
}
