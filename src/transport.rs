//! The transport a message travelled on: a wire concept that the framing,
//! the capture reader and the validator all use, so it lives outside each of
//! them.

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
