//! What the validator knows besides the response itself ([`Context`]).
//!
//! The spec's context keys map onto it: `transport` is [`Context::transport`],
//! `proxy-fwd` and `uac` are [`Context::role`], the own sent-by values serve
//! `via-top-not-ours`, and `req` is the matching request
//! ([`Context::with_request`]), held as an [`OwnedMessage`] so the Context
//! borrows nothing. Without a request the `req` rules are skipped, as the
//! spec asks ("Rules about the request apply only when `req` context is
//! available").
//!
//! A Context is built once (per connection or per configuration) and then
//! borrowed by every `validate` call, which never allocates from it.

use super::policy::Policy;
use crate::message::{Message, OwnedMessage, Request};

/// [`Context::with_request`] was given a response, not a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the matching request must be a request, not a response")]
pub struct NotARequest;

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

/// Who is validating: decides which role-bound rules apply (spec context
/// keys `proxy-fwd` and `uac`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Role {
    /// A passive observer (capture tool, test harness): role rules are off.
    #[default]
    Observer,
    /// The UAC, the response's final consumer (spec section 8).
    Uac,
    /// A proxy about to forward the response upstream (spec section 7).
    Proxy,
}

/// One `sent-by` value this element puts in its Via (RFC 3261 §18.1.2):
/// host and optional port, compared case-insensitively on the host.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SentBy {
    host: String,
    port: Option<u16>,
}

impl SentBy {
    /// A sent-by of `host` (name, IPv4, or bracketed IPv6) and `port`.
    pub fn new(host: impl Into<String>, port: Option<u16>) -> Self {
        SentBy {
            host: host.into(),
            port,
        }
    }

    /// The host as configured.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port, if one was configured.
    pub const fn port(&self) -> Option<u16> {
        self.port
    }

    /// Whether a Via sent-by `host`/`port` names this value. Hosts compare
    /// ASCII case-insensitively (RFC 3261 §19.1.4); an absent port means
    /// the transport default, so it only matches an absent configured port
    /// or one equal to `default_port`.
    pub fn matches(&self, host: &[u8], port: Option<u16>, default_port: u16) -> bool {
        self.host.as_bytes().eq_ignore_ascii_case(host)
            && self.port.unwrap_or(default_port) == port.unwrap_or(default_port)
    }
}

/// Everything the validator may use besides the response.
///
/// `Context::default()` is a passive observer: no transport known, no own
/// sent-by, the method read from the response's CSeq (spec context `msg`),
/// default [`Policy`].
#[derive(Clone, Debug, Default)]
pub struct Context {
    method: Option<String>,
    transport: Option<Transport>,
    role: Role,
    own_sent_by: Vec<SentBy>,
    policy: Policy,
    request: Option<OwnedMessage>,
}

impl Context {
    /// The default observer context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses `method` instead of the CSeq method for method-specific rules,
    /// e.g. when the caller knows the request and the CSeq is broken.
    /// Methods are case-sensitive (RFC 3261 §20.16).
    pub fn with_method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }

    /// The response arrived on `transport` (enables `transport` rules).
    pub fn with_transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The validator acts as `role`.
    pub fn with_role(mut self, role: Role) -> Self {
        self.role = role;
        self
    }

    /// Adds one sent-by this element puts in its requests' Via.
    pub fn with_own_sent_by(mut self, host: impl Into<String>, port: Option<u16>) -> Self {
        self.own_sent_by.push(SentBy::new(host, port));
        self
    }

    /// The request this response answers (spec context `req`): enables the
    /// rules that compare the two. Give the request as the responder
    /// received it: proxies on the way add Via and Record-Route values, and
    /// a copy captured nearer the UAC lacks them (the rules already ignore
    /// the `received`/`rport` a server adds to the top Via). Cheap to set per
    /// transaction: the message shares its `Bytes`. Fails when `request` is
    /// a response.
    pub fn with_request(mut self, request: OwnedMessage) -> Result<Self, NotARequest> {
        if request.is_response() {
            return Err(NotARequest);
        }
        self.request = Some(request);
        Ok(self)
    }

    /// Removes the request (to reuse a Context for an unmatched response).
    pub fn clear_request(&mut self) {
        self.request = None;
    }

    /// The matching request, if one was given.
    pub fn request(&self) -> Option<Request<'_>> {
        match self.request.as_ref()?.view() {
            Message::Request(r) => Some(r),
            Message::Response(_) => None,
        }
    }

    /// Uses `policy` for severities and filtering.
    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// The method override, if set.
    pub fn method(&self) -> Option<&str> {
        self.method.as_deref()
    }

    /// The transport, if known.
    pub const fn transport(&self) -> Option<Transport> {
        self.transport
    }

    /// The role.
    pub const fn role(&self) -> Role {
        self.role
    }

    /// This element's own sent-by values.
    pub fn own_sent_by(&self) -> &[SentBy] {
        &self.own_sent_by
    }

    /// The policy.
    pub const fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Mutable access to the policy.
    pub fn policy_mut(&mut self) -> &mut Policy {
        &mut self.policy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transport_classes() {
        use Transport::*;
        for (t, stream, dgram, ws, name) in [
            (Udp, false, true, false, "UDP"),
            (Tcp, true, false, false, "TCP"),
            (Tls, true, false, false, "TLS"),
            (Sctp, false, true, false, "SCTP"),
            (Ws, false, false, true, "WS"),
            (Wss, false, false, true, "WSS"),
        ] {
            assert_eq!(t.is_stream(), stream, "{t:?}");
            assert_eq!(t.is_datagram(), dgram, "{t:?}");
            assert_eq!(t.is_websocket(), ws, "{t:?}");
            assert_eq!(t.as_str(), name);
        }
    }

    #[test]
    fn builder_and_defaults() {
        let d = Context::default();
        assert_eq!(d.role(), Role::Observer);
        assert_eq!(d.transport(), None);
        assert_eq!(d.method(), None);
        assert!(d.own_sent_by().is_empty());
        let c = Context::new()
            .with_method("INVITE")
            .with_transport(Transport::Tcp)
            .with_role(Role::Proxy)
            .with_own_sent_by("proxy.example.com", Some(5060))
            .with_own_sent_by("192.0.2.1", None);
        assert_eq!(c.method(), Some("INVITE"));
        assert_eq!(c.transport(), Some(Transport::Tcp));
        assert_eq!(c.role(), Role::Proxy);
        assert_eq!(c.own_sent_by().len(), 2);
        assert_eq!(c.own_sent_by()[1].host(), "192.0.2.1");
        assert!(c.request().is_none());
    }

    #[test]
    fn request_slot() {
        let req = OwnedMessage::parse(bytes::Bytes::from_static(
            b"OPTIONS sip:b@example.com SIP/2.0\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
        ))
        .unwrap();
        let mut c = Context::new().with_request(req).unwrap();
        let r = c.request().unwrap();
        assert_eq!(r.method(), b"OPTIONS");
        assert_eq!(r.uri(), b"sip:b@example.com");
        c.clear_request();
        assert!(c.request().is_none());
        let resp = OwnedMessage::parse(bytes::Bytes::from_static(
            b"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        ))
        .unwrap();
        assert_eq!(Context::new().with_request(resp).err(), Some(NotARequest));
    }

    #[test]
    fn sent_by_matching() {
        let s = SentBy::new("Proxy.Example.com", Some(5060));
        assert!(s.matches(b"proxy.example.COM", Some(5060), 5060));
        assert!(s.matches(b"proxy.example.com", None, 5060));
        assert!(!s.matches(b"proxy.example.com", Some(5061), 5060));
        assert!(!s.matches(b"proxy.example.co", Some(5060), 5060));
        let s = SentBy::new("192.0.2.1", None);
        assert!(s.matches(b"192.0.2.1", None, 5060));
        assert!(s.matches(b"192.0.2.1", Some(5060), 5060));
        assert!(!s.matches(b"192.0.2.1", Some(5080), 5060));
    }
}
