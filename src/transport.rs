//! The transport a message travelled on: a wire concept that the framing,
//! the capture reader and the validator all use, so it lives outside each of
//! them.

use std::str::FromStr;

/// The transport a response arrived on (RFC 3261 §18; RFC 4168; RFC 7118).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transport {
    /// UDP (RFC 3261 §18).
    Udp,
    /// TCP (RFC 3261 §18).
    Tcp,
    /// TLS over TCP (RFC 3261 §18, §26).
    Tls,
    /// SCTP (RFC 4168). Message-oriented: for framing it behaves like UDP
    /// (spec `content-length-missing-datagram`).
    Sctp,
    /// WebSocket (RFC 7118): one SIP message per WebSocket message.
    Ws,
    /// Secure WebSocket (RFC 7118).
    Wss,
}

impl Transport {
    /// True for byte-stream transports (TCP, TLS), where Content-Length is
    /// the only way to find the end of a message (RFC 3261 §18.3: MUST).
    pub const fn is_stream(self) -> bool {
        matches!(self, Transport::Tcp | Transport::Tls)
    }

    /// True for transports that deliver whole messages in one datagram
    /// (UDP, SCTP), where a missing Content-Length makes the body run to the
    /// end of the packet (RFC 3261 §18.3: SHOULD). WebSocket is neither: it
    /// frames messages itself (RFC 7118 §5).
    pub const fn is_datagram(self) -> bool {
        matches!(self, Transport::Udp | Transport::Sctp)
    }

    /// True for WebSocket transports (RFC 7118).
    pub const fn is_websocket(self) -> bool {
        matches!(self, Transport::Ws | Transport::Wss)
    }

    /// Every transport, in declaration order (what [`FromStr`] tries).
    const ALL: [Transport; 6] = [
        Transport::Udp,
        Transport::Tcp,
        Transport::Tls,
        Transport::Sctp,
        Transport::Ws,
        Transport::Wss,
    ];

    /// The Via transport token (RFC 3261 §20.42; RFC 7118 §5.1), upper case.
    pub const fn as_str(self) -> &'static str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
            Transport::Tls => "TLS",
            Transport::Sctp => "SCTP",
            Transport::Ws => "WS",
            Transport::Wss => "WSS",
        }
    }
}

/// Text that names no [`Transport`]: the error of `Transport::from_str`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a transport (udp, tcp, tls, sctp, ws or wss)")]
pub struct UnknownTransport;

impl FromStr for Transport {
    type Err = UnknownTransport;

    /// Reads a transport by its Via token ([`Transport::as_str`]: `UDP`,
    /// `TCP`, `TLS`, `SCTP`, `WS`, `WSS`) in any case, as configuration and
    /// command lines write it (`"udp"`, `"Tls"`; transport tokens are
    /// case-insensitive, RFC 3261 §7.3.1). Anything else, surrounding white
    /// space included, is [`UnknownTransport`].
    ///
    /// ```
    /// use sip_response::{Transport, UnknownTransport};
    /// assert_eq!("wss".parse(), Ok(Transport::Wss));
    /// assert_eq!("TCP".parse(), Ok(Transport::Tcp));
    /// assert_eq!("carrier-pigeon".parse::<Transport>(), Err(UnknownTransport));
    /// ```
    fn from_str(s: &str) -> Result<Self, UnknownTransport> {
        Transport::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
            .ok_or(UnknownTransport)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_str_reads_every_token_in_any_case() {
        for t in Transport::ALL {
            let token = t.as_str();
            assert_eq!(token.parse(), Ok(t));
            assert_eq!(token.to_ascii_lowercase().parse(), Ok(t));
        }
        assert_eq!("Sctp".parse(), Ok(Transport::Sctp));
        for bad in ["", " udp", "udp ", "ud", "udpx", "tls-sctp", "wS s"] {
            assert_eq!(bad.parse::<Transport>(), Err(UnknownTransport), "{bad:?}");
        }
    }
}
