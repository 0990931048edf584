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

use std::net::IpAddr;

use super::policy::Policy;
use crate::message::{Message, OwnedMessage, Request};
pub use crate::transport::Transport;

/// [`Context::with_request`] was given a response, not a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the matching request must be a request, not a response")]
pub struct NotARequest;

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
/// host and optional port. The validator's `via-top-not-ours` and the
/// forwarder ([`forward_upstream`](crate::forward::forward_upstream)) both
/// judge a top Via through [`SentBy::matches`], so they always agree.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SentBy {
    host: String,
    port: Option<u16>,
    /// `host` as an address, read once: every response's top Via is
    /// compared with it.
    ip: Option<IpAddr>,
}

impl SentBy {
    /// A sent-by of `host` (name, IPv4, or IPv6 with or without brackets)
    /// and `port`.
    pub fn new(host: impl Into<String>, port: Option<u16>) -> Self {
        let host = host.into();
        SentBy {
            ip: ip_of(host.as_bytes()),
            host,
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

    /// The port a Via sent-by without one stands for, by the Via transport
    /// token (RFC 3261 §18.1.2, §19.1.2): 5061 for TLS, 5060 for UDP, TCP,
    /// SCTP and any other token. WSS runs over TLS and gets 5061 too; RFC
    /// 7118 sets no SIP default for WebSocket, so configure such sent-by
    /// values with a port. Tokens compare case-insensitively (§7.1).
    pub fn default_port(transport: &[u8]) -> u16 {
        if transport.eq_ignore_ascii_case(b"TLS") || transport.eq_ignore_ascii_case(b"WSS") {
            5061
        } else {
            5060
        }
    }

    /// Whether a Via sent-by `host`/`port` names this value.
    ///
    /// The ports must agree, an absent port on either side standing for
    /// `default_port` (see [`SentBy::default_port`]). The hosts must agree:
    /// when both are IP addresses, as addresses (so `[2001:DB8::1]`,
    /// `[2001:db8:0::1]` and a configured `2001:db8::1` are one host, RFC
    /// 4291 §2.2; IPv6 references may carry brackets, RFC 3261 §25.1);
    /// otherwise as names, ASCII case-insensitively (RFC 3261 §19.1.4). A
    /// name never equals an address: no resolution is done. Allocates
    /// nothing.
    pub fn matches(&self, host: &[u8], port: Option<u16>, default_port: u16) -> bool {
        if self.port.unwrap_or(default_port) != port.unwrap_or(default_port) {
            return false;
        }
        match (self.ip, ip_of(host)) {
            (Some(a), Some(b)) => a == b,
            _ => self.host.as_bytes().eq_ignore_ascii_case(host),
        }
    }
}

/// `s` as an IP address, the brackets of an IPv6 reference removed.
fn ip_of(s: &[u8]) -> Option<IpAddr> {
    let s = match s {
        [b'[', inner @ .., b']'] => inner,
        _ => s,
    };
    // A name, the usual sent-by, is told without the address parser: an
    // IPv4 address starts with a digit, an IPv6 one holds a colon.
    if !s.first().is_some_and(u8::is_ascii_digit) && memchr::memchr(b':', s).is_none() {
        return None;
    }
    core::str::from_utf8(s).ok()?.parse().ok()
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
    /// The request was seen on the response's hop, not necessarily as the
    /// UAS received it ([`Context::with_observed_request`]).
    request_observed: bool,
    /// The proxy role acts statelessly ([`Context::with_stateless_proxy`]).
    stateless: bool,
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

    /// With [`Role::Proxy`]: the proxy acts statelessly (RFC 3261 §16.11).
    /// Response processing of §16.7 does not apply to it: it forwards a 100
    /// (Trying) like any other response, so `100-not-forwarded`, a
    /// stateful proxy's verdict, is not reached. Stateful is the default.
    pub fn with_stateless_proxy(mut self, stateless: bool) -> Self {
        self.stateless = stateless;
        self
    }

    /// True when the proxy role acts statelessly
    /// ([`Context::with_stateless_proxy`]).
    pub const fn is_stateless_proxy(&self) -> bool {
        self.stateless
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
        self.request_observed = false;
        Ok(self)
    }

    /// The request this response answers, as an observer saw it on the same
    /// hop as the response (matched by transaction in a capture), which is
    /// not necessarily how the UAS received it: proxies between this hop
    /// and the UAS may have record-routed. The rules compare as with
    /// [`Context::with_request`], except `dialog-record-route-copy`, which
    /// then checks that the request's Record-Route values are the last ones
    /// of the response's, in order (downstream proxies add theirs on top,
    /// RFC 3261 §16.6 step 4, and the UAS copies them all, §12.1.1).
    /// Via, From, To, Call-ID and CSeq compare exactly: a proxy forwards
    /// them unchanged, and removes its own Via from the response (§16.7
    /// step 3), so on any hop the response mirrors that hop's request.
    pub fn with_observed_request(self, request: OwnedMessage) -> Result<Self, NotARequest> {
        let mut ctx = self.with_request(request)?;
        ctx.request_observed = true;
        Ok(ctx)
    }

    /// True when the request was given by [`Context::with_observed_request`].
    pub fn request_is_observed(&self) -> bool {
        self.request.is_some() && self.request_observed
    }

    /// Removes the request (to reuse a Context for an unmatched response).
    pub fn clear_request(&mut self) {
        self.request = None;
        self.request_observed = false;
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
        // (own host, own port, via host, via port, default port, ours?)
        type Row<'a> = (&'a str, Option<u16>, &'a [u8], Option<u16>, u16, bool);
        let rows: &[Row<'_>] = &[
            (
                "Proxy.Example.com",
                Some(5060),
                b"proxy.example.COM",
                Some(5060),
                5060,
                true,
            ),
            (
                "Proxy.Example.com",
                Some(5060),
                b"proxy.example.com",
                None,
                5060,
                true,
            ),
            (
                "Proxy.Example.com",
                Some(5060),
                b"proxy.example.com",
                Some(5061),
                5060,
                false,
            ),
            (
                "Proxy.Example.com",
                Some(5060),
                b"proxy.example.co",
                Some(5060),
                5060,
                false,
            ),
            (
                "p.example.com",
                Some(5061),
                b"p.example.com",
                None,
                5061,
                true,
            ),
            (
                "p.example.com",
                Some(5061),
                b"p.example.com",
                None,
                5060,
                false,
            ),
            ("192.0.2.1", None, b"192.0.2.1", None, 5060, true),
            ("192.0.2.1", None, b"192.0.2.1", Some(5060), 5060, true),
            ("192.0.2.1", None, b"192.0.2.1", Some(5080), 5060, false),
            ("192.0.2.1", None, b"192.0.2.10", None, 5060, false),
            ("[2001:db8::1]", None, b"[2001:DB8::1]", None, 5060, true),
            (
                "2001:db8::1",
                None,
                b"[2001:db8:0:0::1]",
                Some(5060),
                5060,
                true,
            ),
            (
                "[2001:db8::1]",
                Some(5070),
                b"[2001:db8::1]",
                Some(5060),
                5060,
                false,
            ),
            ("[2001:db8::1]", None, b"[2001:db8::2]", None, 5060, false),
            // An IPv4-mapped IPv6 address is another address family.
            ("192.0.2.1", None, b"[::ffff:192.0.2.1]", None, 5060, false),
            // A name never equals an address.
            ("localhost", None, b"127.0.0.1", None, 5060, false),
            // Not an address on either side: compared as text.
            ("[2001:db8::1", None, b"[2001:DB8::1", None, 5060, true),
            // An IPv6 address that starts with a letter is still one; a
            // name that starts with a digit is still a name.
            ("fe80::1", None, b"[FE80:0::1]", None, 5060, true),
            ("1und1.example", None, b"1UND1.example", None, 5060, true),
        ];
        for &(host, port, via, via_port, default, want) in rows {
            let got = SentBy::new(host, port).matches(via, via_port, default);
            assert_eq!(
                got,
                want,
                "{host} {port:?} vs {:?} {via_port:?}",
                String::from_utf8_lossy(via)
            );
        }
        for t in [&b"tls"[..], b"TLS", b"WSS", b"wss"] {
            assert_eq!(SentBy::default_port(t), 5061);
        }
        for t in [&b"UDP"[..], b"tcp", b"SCTP", b"WS", b"TLS-SCTP", b"X"] {
            assert_eq!(SentBy::default_port(t), 5060);
        }
    }
}
