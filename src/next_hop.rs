//! Where a proxy sends a forwarded response: the destination named by the
//! Via value left on top, per RFC 3261 §18.2.2 and RFC 3581 §4.
//!
//! For a proxy (or any server transport) about to send a response, over
//! any transport. Pure: no DNS, no socket. A host name is handed back as a
//! name ([`HopHost::Name`]) for the caller's resolver (RFC 3263 §5), with
//! whether the port was explicit (RFC 3263 §5 uses SRV only when it was
//! not).

use core::fmt;
use std::net::{IpAddr, SocketAddr};

use crate::header::typed::Via;
use crate::validate::SentBy;

/// The host part of a [`NextHop`]. For a proxy or server sending a
/// response, any transport.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HopHost<'a> {
    /// An IPv4 or IPv6 address (brackets removed).
    Ip(IpAddr),
    /// A DNS name, as sent: resolve it per RFC 3263 §5.
    Name(&'a str),
}

impl fmt::Display for HopHost<'_> {
    /// An IPv6 address in brackets, as in a URI or Via (RFC 3261 §25.1).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HopHost::Ip(IpAddr::V6(a)) => write!(f, "[{a}]"),
            HopHost::Ip(IpAddr::V4(a)) => write!(f, "{a}"),
            HopHost::Name(n) => f.write_str(n),
        }
    }
}

/// Which part of the Via value gave the [`NextHop`] its host. For a proxy
/// or server sending a response, any transport.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HopSource {
    /// The `received` parameter: the source address of the request
    /// (RFC 3261 §18.2.2; RFC 3581 §4 with `rport`).
    Received,
    /// The `maddr` parameter (RFC 3261 §18.2.2, unreliable transports).
    Maddr,
    /// The sent-by host.
    SentBy,
}

/// The destination of a response, resolved from one Via value (RFC 3261
/// §18.2.2, RFC 3581 §4):
///
/// 1. **Reliable transport** (anything but UDP: TCP, TLS, SCTP, WS...): the
///    response goes back over the connection the request came on, while it
///    is open ([`reliable`](Self::reliable) is true). This is the address to
///    connect to when it is not: `received` (else the sent-by host), with
///    the sent-by port (else the transport's default).
/// 2. **UDP with `maddr`**: the `maddr` address, the sent-by port or 5060,
///    and for multicast the `ttl` (1 when absent).
/// 3. **UDP with `received`**: that address, with the `rport` value when
///    the server filled one in (RFC 3581 §4: the request's source port),
///    else the sent-by port or the default.
/// 4. **Otherwise**: the sent-by host (an address, or a name for RFC 3263
///    §5), with the `rport` value, else the sent-by port, else the default.
///
/// Default ports: 5061 for TLS and WSS, 5060 otherwise
/// ([`SentBy::default_port`]). A `received` or `maddr` value that is not a
/// usable host (a syntax error the validator reports as
/// `via-received-syntax` or `via-param-syntax`) is passed over, as if absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NextHop<'a> {
    /// Where to send.
    pub host: HopHost<'a>,
    /// The port to send to.
    pub port: u16,
    /// True when the port was written in the Via (sent-by port or `rport`
    /// value); false when it is the transport's default, in which case a
    /// [`HopHost::Name`] may be resolved through SRV (RFC 3263 §5).
    pub port_explicit: bool,
    /// The Via transport token as sent (`UDP`, `TCP`, ...).
    pub transport: &'a str,
    /// True for a reliable transport (everything but UDP): reuse the
    /// request's connection when it is still open (RFC 3261 §18.2.2).
    pub reliable: bool,
    /// What gave the host.
    pub source: HopSource,
    /// The multicast TTL when the host came from `maddr` (the `ttl`
    /// parameter, or 1 when absent or out of range).
    pub ttl: Option<u8>,
}

impl<'a> NextHop<'a> {
    /// Resolves the destination named by `via` (see the type's docs).
    pub fn from_via(via: &Via<'a>) -> Self {
        let transport = via.transport();
        let reliable = !transport.eq_ignore_ascii_case(b"UDP");
        let sent_by = via.sent_by();
        let default_port = SentBy::default_port(transport);
        let sent_port = sent_by.port();
        let received = via.received().and_then(ip_of);
        let rport = via.rport().flatten();
        let transport = core::str::from_utf8(transport).unwrap_or("");
        let mut hop = NextHop {
            host: HopHost::Name(sent_by.host().as_str()),
            port: sent_port.unwrap_or(default_port),
            port_explicit: sent_port.is_some(),
            transport,
            reliable,
            source: HopSource::SentBy,
            ttl: None,
        };
        if let Some(ip) = ip_of(sent_by.host().as_bytes()) {
            hop.host = HopHost::Ip(ip);
        }
        if reliable {
            if let Some(ip) = received {
                hop.host = HopHost::Ip(ip);
                hop.source = HopSource::Received;
            }
            return hop;
        }
        if let Some(maddr) = via.maddr().and_then(maddr_host) {
            hop.host = maddr;
            hop.source = HopSource::Maddr;
            hop.port = sent_port.unwrap_or(5060);
            hop.ttl = Some(via.ttl().and_then(Result::ok).unwrap_or(1));
            return hop;
        }
        if let Some(ip) = received {
            hop.host = HopHost::Ip(ip);
            hop.source = HopSource::Received;
        }
        if let Some(p) = rport {
            hop.port = p;
            hop.port_explicit = true;
        }
        hop
    }

    /// The socket address, when the host is an IP address (`None` for a
    /// name: resolve it first).
    pub fn socket_addr(&self) -> Option<SocketAddr> {
        match self.host {
            HopHost::Ip(ip) => Some(SocketAddr::new(ip, self.port)),
            HopHost::Name(_) => None,
        }
    }
}

impl fmt::Display for NextHop<'_> {
    /// `host:port;transport=T` (IPv6 in brackets).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{};transport={}",
            self.host, self.port, self.transport
        )
    }
}

/// `s` as an IP address: IPv4, or IPv6 with or without brackets (RFC 3261
/// writes `received` unbracketed, RFC 5118 §4.5 notes bracketed ones).
fn ip_of(s: &[u8]) -> Option<IpAddr> {
    let s = match s {
        [b'[', inner @ .., b']'] => inner,
        _ => s,
    };
    core::str::from_utf8(s).ok()?.parse().ok()
}

/// A `maddr` value (`host`): an address, or a name made of host characters.
fn maddr_host(s: &[u8]) -> Option<HopHost<'_>> {
    if let Some(ip) = ip_of(s) {
        return Some(HopHost::Ip(ip));
    }
    let name_chars = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'.';
    if s.is_empty() || !s.iter().all(name_chars) {
        return None;
    }
    core::str::from_utf8(s).ok().map(HopHost::Name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::typed::TypedHeader;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn hop(v: &str) -> NextHop<'_> {
        NextHop::from_via(&Via::parse(v.as_bytes(), 0).unwrap())
    }

    #[test]
    fn rfc3261_18_2_2_and_rfc3581_table() {
        use HopSource::{Maddr, Received, SentBy as S};
        // (Via value, host shown, port, explicit, reliable, source, ttl)
        type Row = (
            &'static str,
            &'static str,
            u16,
            bool,
            bool,
            HopSource,
            Option<u8>,
        );
        let rows: &[Row] = &[
            // Sent-by only: the address or the name, default per transport.
            (
                "SIP/2.0/UDP 192.0.2.4",
                "192.0.2.4",
                5060,
                false,
                false,
                S,
                None,
            ),
            (
                "SIP/2.0/UDP 192.0.2.4:5070",
                "192.0.2.4",
                5070,
                true,
                false,
                S,
                None,
            ),
            (
                "SIP/2.0/udp a.example.com",
                "a.example.com",
                5060,
                false,
                false,
                S,
                None,
            ),
            (
                "SIP/2.0/TLS a.example.com",
                "a.example.com",
                5061,
                false,
                true,
                S,
                None,
            ),
            (
                "SIP/2.0/WSS a.example.com",
                "a.example.com",
                5061,
                false,
                true,
                S,
                None,
            ),
            (
                "SIP/2.0/TCP a.example.com:5080",
                "a.example.com",
                5080,
                true,
                true,
                S,
                None,
            ),
            (
                "SIP/2.0/SCTP 192.0.2.4",
                "192.0.2.4",
                5060,
                false,
                true,
                S,
                None,
            ),
            // IPv6 brackets (the trial's crash: `[::1]`).
            ("SIP/2.0/UDP [::1]", "[::1]", 5060, false, false, S, None),
            (
                "SIP/2.0/UDP [::1]:5062",
                "[::1]",
                5062,
                true,
                false,
                S,
                None,
            ),
            (
                "SIP/2.0/TLS [2001:db8::9]",
                "[2001:db8::9]",
                5061,
                false,
                true,
                S,
                None,
            ),
            // received replaces the host, keeps the sent-by port.
            (
                "SIP/2.0/UDP a.example.com:5070;received=192.0.2.9",
                "192.0.2.9",
                5070,
                true,
                false,
                Received,
                None,
            ),
            (
                "SIP/2.0/UDP a.example.com;received=2001:db8::5",
                "[2001:db8::5]",
                5060,
                false,
                false,
                Received,
                None,
            ),
            (
                "SIP/2.0/UDP a.example.com;received=[2001:db8::5]",
                "[2001:db8::5]",
                5060,
                false,
                false,
                Received,
                None,
            ),
            // RFC 3581: received + rport = the request's source.
            (
                "SIP/2.0/UDP 10.0.0.1:5060;rport=40123;received=192.0.2.9;branch=z9hG4bK1",
                "192.0.2.9",
                40123,
                true,
                false,
                Received,
                None,
            ),
            // rport without a value (as the client sent it) changes nothing.
            (
                "SIP/2.0/UDP 192.0.2.4;rport",
                "192.0.2.4",
                5060,
                false,
                false,
                S,
                None,
            ),
            // Reliable: received, but the sent-by port (rport is for UDP).
            (
                "SIP/2.0/TCP a.example.com;received=192.0.2.9;rport=40000",
                "192.0.2.9",
                5060,
                false,
                true,
                Received,
                None,
            ),
            // maddr: its address, sent-by port or 5060, ttl or 1.
            (
                "SIP/2.0/UDP a.example.com;maddr=239.255.255.1;ttl=16;received=192.0.2.9",
                "239.255.255.1",
                5060,
                false,
                false,
                Maddr,
                Some(16),
            ),
            (
                "SIP/2.0/UDP a.example.com:5070;maddr=[ff02::1]",
                "[ff02::1]",
                5070,
                true,
                false,
                Maddr,
                Some(1),
            ),
            (
                "SIP/2.0/UDP a.example.com;maddr=m.example.net",
                "m.example.net",
                5060,
                false,
                false,
                Maddr,
                Some(1),
            ),
            // maddr is ignored on reliable transports.
            (
                "SIP/2.0/TCP a.example.com;maddr=239.255.255.1",
                "a.example.com",
                5060,
                false,
                true,
                S,
                None,
            ),
            // A received value that is no address is passed over.
            (
                "SIP/2.0/UDP 192.0.2.4;received=nonsense",
                "192.0.2.4",
                5060,
                false,
                false,
                S,
                None,
            ),
        ];
        for &(via, host, port, explicit, reliable, source, ttl) in rows {
            let h = hop(via);
            assert_eq!(h.host.to_string(), host, "{via}");
            assert_eq!(h.port, port, "{via}");
            assert_eq!(h.port_explicit, explicit, "{via}");
            assert_eq!(h.reliable, reliable, "{via}");
            assert_eq!(h.source, source, "{via}");
            assert_eq!(h.ttl, ttl, "{via}");
        }
    }

    #[test]
    fn socket_addresses() {
        let h = hop("SIP/2.0/UDP [::1]:5062");
        assert_eq!(
            h.socket_addr(),
            Some(SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), 5062))
        );
        assert_eq!(h.to_string(), "[::1]:5062;transport=UDP");
        let h = hop("SIP/2.0/UDP 127.0.0.1;rport=7000;received=127.0.0.2");
        assert_eq!(
            h.socket_addr(),
            Some(SocketAddr::new(
                IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)),
                7000
            ))
        );
        let h = hop("SIP/2.0/UDP a.example.com");
        assert_eq!(h.socket_addr(), None);
        assert_eq!(h.host, HopHost::Name("a.example.com"));
    }
}
