//! The control plane's networks. Pods get addresses in network namespaces of their own (the
//! node agent makes them; the EndpointSlice controller refuses loopback addresses), and the
//! node's proxy answers for the Services' cluster IPs, as kube-proxy does. Both come from the
//! benchmarking range (RFC 2544, never a private one): each control plane on the machine
//! claims a slot `k` (a lock file held while the process lives) and takes the services
//! `198.18.4k.0/22` and the pods `198.19.4k.0/22`. The pods' range's first address goes on the
//! loopback (the node's side of every pod's link, where the pods reach the machine) and the
//! service range is routed to the loopback, so the node's proxy can listen on any cluster IP.
//! A slot left by a process that died is cleaned by the next one to claim it.
//!
//! This needs root and `ip`; without them, the control plane keeps the pods on loopback
//! addresses and its cluster IPs are only data.

use std::net::Ipv4Addr;
use std::path::PathBuf;

/// One control plane's networks.
#[derive(Debug)]
pub struct Networks {
    /// The apiserver's service range (`--service-cluster-ip-range`).
    pub services: String,
    /// The node's pod range.
    pub pods: String,
    /// The node's address on the pods' side: what a pod dials to reach a program on the
    /// machine (a test's object store, say), and where such a program listens.
    pub node: Ipv4Addr,
    /// Held while the process lives: the slot is this control plane's.
    _lock: std::fs::File,
}

/// How many slots there are (64 /22s in each /16).
const SLOTS: u8 = 64;

/// Where control planes claim slots.
fn lock_dir() -> PathBuf {
    std::env::temp_dir().join("realkube-net")
}

fn ip(args: &[&str]) -> Result<(), String> {
    let out = std::process::Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("ip: {e}"))?;
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

/// Removes what a holder of slot `k` left: the node's address, the service route and the
/// pods' namespaces (named `fk-<address>` by the node agent; their links go with them).
fn clean(k: u8) {
    let third = k * 4;
    let _ = ip(&["addr", "del", &format!("198.19.{third}.1/32"), "dev", "lo"]);
    let services = format!("198.18.{third}.0/22");
    let _ = ip(&[
        "route", "del", "local", &services, "dev", "lo", "table", "local",
    ]);
    let Ok(dir) = std::fs::read_dir("/run/netns") else {
        return;
    };
    for entry in dir.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let ours = (u16::from(third)..u16::from(third) + 4)
            .any(|c| name.starts_with(&format!("fk-198-19-{c}-")));
        if ours {
            let _ = ip(&["netns", "delete", &name]);
        }
    }
}

impl Networks {
    /// Claims a slot and makes its addresses local; None (and why) when this process may not.
    pub fn claim() -> Result<Networks, String> {
        if !nix::unistd::geteuid().is_root() {
            return Err("not root: pods stay on loopback addresses".into());
        }
        ip(&["-V"]).map_err(|e| format!("no `ip` ({e}): pods stay on loopback addresses"))?;
        std::fs::create_dir_all(lock_dir()).map_err(|e| e.to_string())?;
        let start = uuid::Uuid::new_v4().as_bytes()[0] % SLOTS;
        let mut claimed = None;
        // every free slot is cleaned of what a dead holder left; the first one is taken
        for i in 0..SLOTS {
            let k = (start + i) % SLOTS;
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(lock_dir().join(format!("{k}.lock")))
                .map_err(|e| e.to_string())?;
            if file.try_lock().is_err() {
                continue;
            }
            clean(k);
            if claimed.is_none() {
                claimed = Some((k, file));
            }
        }
        if let Some((k, file)) = claimed {
            let third = k * 4;
            let services = format!("198.18.{third}.0/22");
            let pods = format!("198.19.{third}.0/22");
            let node = Ipv4Addr::new(198, 19, third, 1);
            ip(&["addr", "add", &format!("{node}/32"), "dev", "lo"])?;
            ip(&[
                "route", "add", "local", &services, "dev", "lo", "table", "local",
            ])?;
            return Ok(Networks {
                services,
                pods,
                node,
                _lock: file,
            });
        }
        Err(format!("all {SLOTS} network slots are taken"))
    }
}
