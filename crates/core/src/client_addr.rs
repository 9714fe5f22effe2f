//! The client's address behind proxies: which `X-Forwarded-For` entries to believe.

use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

/// Which proxies in front of the panel are trusted to say who the client is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TrustProxy {
    /// None: the client is the peer of the connection.
    #[default]
    Nobody,
    /// This many proxies in a row (the peer and the ones before it): the client is the
    /// `hops`-th `X-Forwarded-For` entry from the right.
    Hops(usize),
    /// Proxies at these addresses: walking `X-Forwarded-For` from the right, the client is the
    /// first address not in them (the peer must be in them, or it is the client).
    Ranges(Vec<IpNet>),
}

/// Why a `PANEL_TRUST_PROXY` value was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "`{0}` is not a trusted-proxy setting: use false, true (one proxy), a number of proxies, \
     or addresses and ranges separated by commas (10.0.0.0/8,fd00::/8)"
)]
pub struct TrustProxyError(String);

impl FromStr for TrustProxy {
    type Err = TrustProxyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let v = s.trim();
        match v.to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "off" | "0" => return Ok(TrustProxy::Nobody),
            "true" | "yes" | "on" => return Ok(TrustProxy::Hops(1)),
            _ => {}
        }
        if let Ok(n) = v.parse::<usize>() {
            return Ok(if n == 0 {
                TrustProxy::Nobody
            } else {
                TrustProxy::Hops(n)
            });
        }
        v.split(',')
            .map(|part| {
                let part = part.trim();
                part.parse::<IpNet>()
                    .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| TrustProxyError(s.to_owned()))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustProxy::Ranges)
    }
}

impl TrustProxy {
    /// The client's address, given the connection's peer and the `X-Forwarded-For` values in
    /// the order they came. An entry that is not an address ends the walk at the last good one.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let hops: Vec<&str> = forwarded_for
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        match self {
            TrustProxy::Nobody => peer,
            TrustProxy::Hops(n) => {
                // walk left from the peer, `n` entries at most, keeping the last address read
                let mut client = peer;
                for hop in hops.iter().rev().take(*n) {
                    match hop.parse::<IpAddr>() {
                        Ok(ip) => client = ip,
                        Err(_) => break,
                    }
                }
                client
            }
            TrustProxy::Ranges(nets) => {
                let trusted = |ip: &IpAddr| nets.iter().any(|n| n.contains(&canonical(*ip)));
                let mut client = peer;
                for hop in hops.iter().rev() {
                    if !trusted(&client) {
                        break;
                    }
                    match hop.parse::<IpAddr>() {
                        Ok(ip) => client = ip,
                        Err(_) => break,
                    }
                }
                client
            }
        }
    }
}

/// An IPv4 address mapped into IPv6 (`::ffff:10.0.0.1`, as a dual-stack listener reports it)
/// as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn settings_parse_and_bad_ones_are_refused() {
        assert_eq!("false".parse(), Ok(TrustProxy::Nobody));
        assert_eq!("".parse(), Ok(TrustProxy::Nobody));
        assert_eq!("TRUE".parse(), Ok(TrustProxy::Hops(1)));
        assert_eq!("2".parse(), Ok(TrustProxy::Hops(2)));
        assert_eq!(
            "10.0.0.0/8, 192.0.2.7".parse(),
            Ok(TrustProxy::Ranges(vec![
                "10.0.0.0/8".parse().unwrap(),
                "192.0.2.7/32".parse().unwrap()
            ]))
        );
        for bad in ["maybe", "10.0.0.0/33", "10.0.0.0/8,", "-1", "1.2.3"] {
            assert!(bad.parse::<TrustProxy>().is_err(), "{bad}");
        }
    }

    #[test]
    fn nobody_trusted_means_the_peer() {
        let t = TrustProxy::Nobody;
        assert_eq!(
            t.client(ip("203.0.113.9"), &["198.51.100.1"]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn hops_count_from_the_right_and_a_forged_left_part_is_ignored() {
        let peer = ip("10.0.0.2");
        // the client forged "1.1.1.1"; the outer proxy appended the real client
        let xff = ["1.1.1.1, 198.51.100.7", "10.0.0.1"];
        assert_eq!(TrustProxy::Hops(1).client(peer, &xff), ip("10.0.0.1"));
        assert_eq!(TrustProxy::Hops(2).client(peer, &xff), ip("198.51.100.7"));
        // more hops than entries: the leftmost entry
        assert_eq!(TrustProxy::Hops(9).client(peer, &xff), ip("1.1.1.1"));
        // no header: the peer
        assert_eq!(TrustProxy::Hops(1).client(peer, &[]), peer);
        // garbage stops the walk
        assert_eq!(
            TrustProxy::Hops(3).client(peer, &["198.51.100.7, nonsense, 10.0.0.1"]),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn ranges_skip_trusted_proxies_only() {
        let t: TrustProxy = "10.0.0.0/8".parse().unwrap();
        let xff = ["1.1.1.1, 198.51.100.7, 10.1.2.3"];
        assert_eq!(t.client(ip("10.0.0.2"), &xff), ip("198.51.100.7"));
        // a peer outside the ranges is the client, whatever it says
        assert_eq!(t.client(ip("203.0.113.9"), &xff), ip("203.0.113.9"));
        // the same through a dual-stack listener
        assert_eq!(t.client(ip("::ffff:10.0.0.2"), &xff), ip("198.51.100.7"));
        // all trusted: the leftmost
        assert_eq!(t.client(ip("10.0.0.2"), &["10.9.9.9"]), ip("10.9.9.9"));
    }
}
