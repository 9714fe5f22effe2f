//! Where a webhook may send: an `http(s)` URL whose host is not the panel's own network. A
//! user names the URL and the panel sends to it, so without this anyone with the `settings`
//! right could make the panel call the cluster's insides (the API server, a cloud's metadata
//! address). The host's addresses are checked when the webhook is saved (for an address
//! literal) and again at each delivery, which then connects to exactly the address checked.

use std::net::{IpAddr, SocketAddr};

/// Whether a receiver at `ip` is refused: loopback, private (RFC 1918, ULA, site-local),
/// link-local (the cloud metadata address), shared (CGNAT), unspecified, multicast, reserved
/// and documentation ranges, Azure's platform address, and IPv4 carried in IPv6 (mapped,
/// translated, NAT64, 6to4: judged by the IPv4 inside; Teredo refused whole).
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || o[0] == 0
                || o[0] >= 240
                || (o[0] == 100 && (64..128).contains(&o[1]))
                || (o[0] == 198 && (18..20).contains(&o[1]))
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                || o == [168, 63, 129, 16]
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let s = v6.segments();
            let v4_at = |hi: u16, lo: u16| {
                IpAddr::V4(std::net::Ipv4Addr::new(
                    (hi >> 8) as u8,
                    hi as u8,
                    (lo >> 8) as u8,
                    lo as u8,
                ))
            };
            // ::ffff:0:a.b.c.d (translated) and 64:ff9b::a.b.c.d (NAT64): the IPv4 inside
            if (s[..4] == [0, 0, 0, 0] && s[4] == 0xffff && s[5] == 0)
                || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0]
            {
                return is_internal(v4_at(s[6], s[7]));
            }
            // 6to4: 2002:AABB:CCDD::/48 carries a.b.c.d
            if s[0] == 0x2002 {
                return is_internal(v4_at(s[1], s[2]));
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] & 0xffc0) == 0xfec0
                || (s[0] == 0x64 && s[1] == 0xff9b)
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || (s[0] == 0x2001 && s[1] == 0)
                || s[..5] == [0, 0, 0, 0, 0]
        }
    }
}

/// Checks a webhook URL as it is saved: `http` or `https`, a host, no user and password, at
/// most 2048 characters; an address literal must be allowed. A name is resolved at delivery.
pub fn check_url(url: &str, allow_internal: bool) -> Result<reqwest::Url, String> {
    let bad = || crate::msg!("webhooks-address-invalid");
    if url.len() > 2048 {
        return Err(crate::msg!("webhooks-address-too-long"));
    }
    let parsed = reqwest::Url::parse(url.trim()).map_err(|_| bad())?;
    if parsed.as_str().len() > 2048 {
        return Err(crate::msg!("webhooks-address-too-long"));
    }
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(bad());
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(crate::msg!("webhooks-address-credentials"));
    }
    let literal = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    };
    if !allow_internal
        && (literal.is_some_and(is_internal)
            || parsed
                .host_str()
                .is_some_and(|h| h.eq_ignore_ascii_case("localhost") || h.ends_with(".localhost")))
    {
        return Err(internal_refusal());
    }
    Ok(parsed)
}

fn internal_refusal() -> String {
    crate::msg!("webhooks-address-internal")
}

/// The address a delivery to `url` connects to: its host resolved, every address allowed (a
/// name with one internal address is refused whole).
pub async fn resolve(url: &reqwest::Url, allow_internal: bool) -> Result<SocketAddr, String> {
    let host = url.host_str().ok_or("no host")?;
    let port = url.port_or_known_default().ok_or("no port")?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let lookup = tokio::net::lookup_host((host, port));
    let addrs: Vec<SocketAddr> = tokio::time::timeout(std::time::Duration::from_secs(5), lookup)
        .await
        .map_err(|_| "the name did not resolve in 5 s".to_string())?
        .map_err(|e| format!("the name did not resolve: {e}"))?
        .collect();
    if !allow_internal && addrs.iter().any(|a| is_internal(a.ip())) {
        return Err(internal_refusal());
    }
    addrs
        .into_iter()
        .next()
        .ok_or_else(|| "the name has no address".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panels_network_is_refused() {
        for internal in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "224.0.0.1",
            "64:ff9b::a00:5",
            "64:ff9b:1::1",
            "2002:a00:1::1",
            "2002:7f00:1::",
            "2001::1",
            "fec0::1",
            "::ffff:0:a00:1",
            "192.0.0.8",
            "240.0.0.1",
            "168.63.129.16",
        ] {
            assert!(is_internal(internal.parse().unwrap()), "{internal}");
        }
        for public in [
            "1.1.1.1",
            "162.159.128.233",
            "172.32.0.1",
            "2606:4700::1111",
            "64:ff9b::101:101",
            "2002:101:101::1",
        ] {
            assert!(!is_internal(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn urls_are_checked_as_saved() {
        assert!(check_url("https://discord.com/api/webhooks/1/abc", false).is_ok());
        assert!(check_url("http://hooks.example.com:8080/x", false).is_ok());
        for bad in [
            "ftp://example.com/x",
            "https://",
            "not a url",
            "https://user:pass@example.com/",
            "http://127.0.0.1:8080/",
            "http://[::1]/",
            "http://169.254.169.254/latest/meta-data",
            "http://localhost/",
            "http://a.localhost/",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad}");
        }
        assert!(check_url("http://127.0.0.1:8080/", true).is_ok());
    }
}
