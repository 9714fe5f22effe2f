//! IPv4 ranges written as CIDR (`198.19.8.0/22`): the node agent's pod range and the cluster IPs
//! it serves.

use std::net::Ipv4Addr;
use std::str::FromStr;

/// An IPv4 range: a base address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    base: u32,
    prefix: u8,
}

/// Why a range was refused.
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not an IPv4 range such as 198.19.8.0/22 (prefix 8 to 30, no host bits set)")]
pub struct BadCidr(String);

impl FromStr for Cidr {
    type Err = BadCidr;
    fn from_str(s: &str) -> Result<Cidr, BadCidr> {
        let bad = || BadCidr(s.to_string());
        let (ip, prefix) = s.split_once('/').ok_or_else(bad)?;
        let ip: Ipv4Addr = ip.parse().map_err(|_| bad())?;
        let prefix: u8 = prefix.parse().map_err(|_| bad())?;
        if !(8..=30).contains(&prefix) {
            return Err(bad());
        }
        let base = u32::from(ip);
        if base & !mask(prefix) != 0 {
            return Err(bad());
        }
        Ok(Cidr { base, prefix })
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", Ipv4Addr::from(self.base), self.prefix)
    }
}

fn mask(prefix: u8) -> u32 {
    u32::MAX << (32 - u32::from(prefix))
}

impl Cidr {
    /// Whether `ip` is in the range.
    pub fn contains(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & mask(self.prefix) == self.base
    }

    /// The range's first usable address (the node's side of every pod's link).
    pub fn first(&self) -> Ipv4Addr {
        Ipv4Addr::from(self.base + 1)
    }

    /// The `n`th address of the range, if the range has it.
    pub fn nth(&self, n: u32) -> Option<Ipv4Addr> {
        (n < self.size()).then(|| Ipv4Addr::from(self.base + n))
    }

    /// How many addresses the range holds.
    pub fn size(&self) -> u32 {
        1 << (32 - u32::from(self.prefix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_contain_and_refuse_nonsense() {
        let r: Cidr = "198.19.8.0/22".parse().unwrap();
        assert_eq!(r.to_string(), "198.19.8.0/22");
        assert!(r.contains("198.19.11.255".parse().unwrap()));
        assert!(!r.contains("198.19.12.0".parse().unwrap()));
        assert_eq!(r.first(), Ipv4Addr::new(198, 19, 8, 1));
        assert_eq!(r.size(), 1024);
        assert_eq!(r.nth(1024), None);
        for bad in [
            "198.19.8.1/22",
            "198.19.8.0",
            "198.19.8.0/31",
            "x/22",
            "198.19.8.0/7",
        ] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }
}
