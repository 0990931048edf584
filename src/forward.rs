//! Forwarding a response upstream as a proxy: the message half of RFC 3261
//! §16.7 steps 3 and 5 and §16.11.
//!
//! A proxy that receives a response checks that the top Via is its own
//! (§18.1.2, §16.11), never forwards a 100 (§16.7 step 5), removes its own
//! Via value (§16.7 step 3) and sends the rest, unchanged, to the next Via.
//! [`forward_upstream`] does exactly that on an [`OwnedResponse`]: it either
//! refuses, with the spec's finding ([`Refused`]), or returns the bytes to
//! send ([`Forwarded`]) as two [`Bytes`] pieces of the original buffer, the
//! part before the removed Via value and the part after it. Nothing of the
//! message is copied and, on the success path, nothing is allocated (see
//! [`Forwarded`] for the one allocation `bytes` itself may make).
//!
//! # Using the validator in a proxy (parse → validate → forward)
//!
//! 1. **Parse** the datagram (or the frame a stream decoder cut) into an
//!    [`OwnedResponse`]: it keeps the [`Bytes`] and only spans into them.
//! 2. **Validate** it with a [`Context`](crate::validate::Context) in the
//!    [`Proxy`](crate::validate::Role::Proxy) role. Findings are data, not
//!    errors: the proxy decides, by severity or rule id, what it drops, logs
//!    or forwards anyway (a proxy must not repair what it forwards, RFC 3261
//!    §16.7 step 9).
//! 3. **Forward** with [`forward_upstream`], passing the same context's own
//!    sent-by values. A refusal says why, with the spec rule id; a
//!    [`Forwarded`] is written to the socket without copying the message.
//!
//! ```
//! use bytes::Bytes;
//! use sip_response::validate::{validate, Context, Role, Severity};
//! use sip_response::{forward_upstream, OwnedResponse};
//!
//! // Configured once: this proxy puts `proxy.example.com` (any port: the
//! // transport default) in the Via of the requests it forwards.
//! let ctx = Context::new()
//!     .with_role(Role::Proxy)
//!     .with_own_sent_by("proxy.example.com", None);
//!
//! let wire = Bytes::from_static(
//!     b"SIP/2.0 180 Ringing\r\n\
//!       Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK2d4790.1,\r\n \
//!       SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK776asdhds\r\n\
//!       To: Bob <sip:bob@example.org>;tag=a6c85cf\r\n\
//!       From: Alice <sip:alice@example.com>;tag=1928301774\r\n\
//!       Call-ID: a84b4c76e66710@192.0.2.4\r\n\
//!       CSeq: 314159 INVITE\r\n\
//!       Contact: <sip:bob@192.0.2.8>\r\n\
//!       Content-Length: 0\r\n\r\n",
//! );
//!
//! // 1. Parse: zero-copy, the response holds `wire` and spans into it.
//! let resp = OwnedResponse::parse(wire)?;
//!
//! // 2. Validate: a proxy typically drops what breaks a MUST.
//! let report = validate(&resp.view(), &ctx);
//! assert_eq!(report.worst(), None);
//! if report.worst() == Some(Severity::Error) {
//!     return Ok(()); // drop (and log `report`)
//! }
//!
//! // 3. Forward: our Via value is removed, the rest goes out untouched.
//! match forward_upstream(&resp, ctx.own_sent_by()) {
//!     Ok(fwd) => {
//!         // Where it goes: the new top Via (RFC 3261 §18.2.2).
//!         let next = fwd.next_via()?;
//!         assert_eq!(next.sent_by().host().as_str(), "192.0.2.4");
//!         // Both pieces share the buffer `resp` was parsed from.
//!         assert_eq!(fwd.chunks().len(), 2);
//!         let mut socket = Vec::new(); // any `std::io::Write`
//!         fwd.write_to(&mut socket)?;
//!         assert!(socket.starts_with(
//!             b"SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 192.0.2.4:5060;"
//!         ));
//!     }
//!     Err(refused) => {
//!         // A 100, a stray response, one meant for this proxy...:
//!         // drop it silently, as RFC 3261 §16.11 and §18.1.2 say.
//!         for finding in refused.findings() {
//!             eprintln!("not forwarded: {finding}");
//!         }
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;
use std::io::{self, IoSlice, Write};
use std::net::IpAddr;

use bytes::buf::Chain;
use bytes::{Buf, Bytes};

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::header::typed::{HostKind, HostPort, TypedHeader, Via};
use crate::header::{Element, KnownHeader};
use crate::message::OwnedResponse;
use crate::validate::{Detail, Finding, Rule, SentBy};
use crate::Span;

/// Forwards `resp` upstream as the proxy whose Via sent-by values are `own`
/// (pass [`Context::own_sent_by`](crate::validate::Context::own_sent_by)),
/// with the default [`ForwardOptions`].
///
/// Returns the message without its top Via value, or why it must not be
/// forwarded. The checks, in order:
///
/// 1. A 100 (Trying) is refused: `100-not-forwarded` (RFC 3261 §16.7 step 5:
///    a stateful proxy MUST NOT forward it; it is hop-by-hop, §21.1.1).
/// 2. No Via value at all: `via-required` (RFC 3261 §8.2.6.2): there is no
///    top Via to check and nowhere to send the response.
/// 3. The top Via value does not parse, or its sent-by is none of `own`:
///    `via-top-not-ours` and `proxy-stray-response` (RFC 3261 §18.1.2: the
///    response MUST be silently discarded; §16.11 and RFC 6026 §8.2: a proxy
///    drops a response whose top Via is not its own instead of forwarding it).
///    Both rules describe this very condition (the first as a transport
///    check, the second as the forwarding decision), so both are reported.
/// 4. Our Via is the only one: `proxy-remove-top-via` (RFC 3261 §16.7 step
///    3: the response was meant for this element and MUST NOT be forwarded).
/// 5. The next Via's sent-by is `255.255.255.255`: `proxy-broadcast-via`
///    (RFC 4475 §3.3.10: proxies should drop such a response rather than
///    flood the broadcast address). Refused by default; see
///    [`ForwardOptions::forward_broadcast`].
///
/// A sent-by matches one of `own` when the ports agree, an absent port
/// standing for the transport's default (5061 for TLS, 5060 for UDP, TCP,
/// SCTP and any other transport; RFC 3261 §18.1.2, §19.1.2), and the hosts
/// agree: IP addresses as addresses (so `[2001:DB8::1]`, `[2001:db8:0::1]`
/// and a configured `2001:db8::1` are one host, RFC 4291 §2.2), names ASCII
/// case-insensitively (RFC 3261 §19.1.4), through [`SentBy::matches`].
/// An empty `own` matches nothing, so every response is refused.
///
/// Only the top Via value's syntax is checked: the other values belong to
/// other elements, and a proxy must not remove or repair them (RFC 3261
/// §16.7 step 9). Use [`Forwarded::next_via`] to read where the response
/// goes.
pub fn forward_upstream(resp: &OwnedResponse, own: &[SentBy]) -> Result<Forwarded, Refused> {
    ForwardOptions::new().forward(resp, own)
}

/// Choices a proxy can make about forwarding (see [`forward_upstream`]).
///
/// Only the SHOULD-level drop is a choice; the MUST-level refusals are not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ForwardOptions {
    forward_broadcast: bool,
}

impl ForwardOptions {
    /// The defaults: every refusal of [`forward_upstream`] applies.
    pub const fn new() -> Self {
        ForwardOptions {
            forward_broadcast: false,
        }
    }

    /// Whether a response whose next Via sent-by is the IPv4 broadcast
    /// address is forwarded anyway, with the `proxy-broadcast-via` warning in
    /// [`Forwarded::findings`], instead of refused.
    ///
    /// RFC 4475 §3.3.10 says proxies should drop it (an Informational RFC,
    /// hence a warning, not an error). A proxy that routes responses by
    /// `received`/`rport` (RFC 3261 §18.2.2, RFC 3581) or over the request's
    /// connection never sends to the sent-by address and may choose to
    /// forward.
    pub const fn forward_broadcast(mut self, yes: bool) -> Self {
        self.forward_broadcast = yes;
        self
    }

    /// [`forward_upstream`] with these options.
    pub fn forward(&self, resp: &OwnedResponse, own: &[SentBy]) -> Result<Forwarded, Refused> {
        let view = resp.view();
        if view.status().as_u16() == 100 {
            return Err(Refused::new(Refusal::Trying, Some(view.status_line_span())));
        }
        let headers = view.headers();
        let mut rows = headers.get_all(KnownHeader::Via);
        // The top Via value is the first element of the first Via row that
        // has one (RFC 3261 §7.3.1: rows of one name form one list, in order).
        let (row, mut rest, top) = loop {
            let Some(row) = rows.next() else {
                return Err(Refused::new(
                    Refusal::NoVia,
                    Some(Span::empty(headers.span().end)),
                ));
            };
            let mut elements = row.elements();
            if let Some(top) = elements.next() {
                break (row, elements, top);
            }
        };
        let via = top
            .parse::<Via<'_>>()
            .map_err(|e| Refused::new(Refusal::MalformedTopVia(e), Some(top.span)))?;
        let sent_by = via.sent_by();
        let default_port = default_port(via.transport());
        if !own.iter().any(|o| is_ours(o, sent_by, default_port)) {
            return Err(Refused::new(Refusal::NotOurs, Some(sent_by.span())));
        }
        // The next value: later in the same row, else in a later row. Empty
        // elements (`ours, , theirs`) carry no value and go with ours.
        let same_row = rest.find(|e| !e.bytes.is_empty());
        let next = match same_row {
            Some(e) => e,
            None => match rows
                .flat_map(|h| h.elements())
                .find(|e| !e.bytes.is_empty())
            {
                Some(e) => e,
                None => {
                    return Err(Refused::new(Refusal::MeantForUs, Some(top.span)));
                }
            },
        };
        let removed = match same_row {
            // `Via: ours, theirs` → `Via: theirs`: the value, its comma and
            // the LWS (folds included) up to the next value.
            Some(e) => Span::new(top.span.start, e.span.start),
            // Ours alone on its row: the whole row with its line ending.
            None => {
                let row_span = row.span();
                Span::new(
                    row_span.start,
                    line_end(resp.bytes(), row_span.end, headers.span().end),
                )
            }
        };
        let mut warning = None;
        if let Some(span) = broadcast_sent_by(&next) {
            if !self.forward_broadcast {
                return Err(Refused::new(Refusal::BroadcastNextVia, Some(span)));
            }
            warning = Some(Refusal::BroadcastNextVia.finding(Some(span)));
        }
        let msg = view.span();
        Ok(Forwarded {
            pieces: [
                resp.slice(Span::new(msg.start, removed.start)),
                resp.slice(Span::new(removed.end, msg.end)),
            ],
            removed,
            next_via: next.span,
            warning,
        })
    }
}

/// The default port of a Via transport when sent-by has none (RFC 3261
/// §18.1.2, §19.1.2: 5061 for TLS, 5060 for UDP, TCP and SCTP). Other
/// transports (WS, WSS, unknown tokens) have no SIP default there; 5060 is
/// used, so configure such sent-by values with an explicit port.
fn default_port(transport: &[u8]) -> u16 {
    if transport.eq_ignore_ascii_case(b"TLS") {
        5061
    } else {
        5060
    }
}

/// `s` as an IP address, brackets of an IPv6 reference removed.
fn ip_of(s: &[u8]) -> Option<IpAddr> {
    let s = match s {
        [b'[', inner @ .., b']'] => inner,
        _ => s,
    };
    core::str::from_utf8(s).ok()?.parse().ok()
}

/// Whether the Via `sent_by` names `own` (see [`forward_upstream`]).
fn is_ours(own: &SentBy, sent_by: HostPort<'_>, default_port: u16) -> bool {
    let host = sent_by.host();
    if host.kind() != HostKind::Name {
        if let (Some(a), Some(b)) = (ip_of(host.as_bytes()), ip_of(own.host().as_bytes())) {
            return a == b
                && own.port().unwrap_or(default_port) == sent_by.port().unwrap_or(default_port);
        }
    }
    own.matches(host.as_bytes(), sent_by.port(), default_port)
}

/// The end of the line ending (CRLF, or the bare LF the parser tolerates)
/// that follows a row ending at `end`; `end` itself when the header section
/// stops there.
fn line_end(src: &[u8], end: usize, head_end: usize) -> usize {
    let tail = src.get(end..head_end).unwrap_or(&[]);
    if tail.starts_with(b"\r\n") {
        end + 2
    } else if tail.starts_with(b"\n") {
        end + 1
    } else {
        end
    }
}

/// The span of `next`'s sent-by host when it is the IPv4 limited broadcast
/// address (RFC 4475 §3.3.10). A value that does not parse is not judged.
fn broadcast_sent_by(next: &Element<'_>) -> Option<Span> {
    let via = next.parse::<Via<'_>>().ok()?;
    let host = via.sent_by().host();
    host.is_ipv4_broadcast().then(|| host.span())
}

/// A response ready to go upstream: the original message without this
/// proxy's Via value, as (at most) two [`Bytes`] pieces of the buffer the
/// response was parsed from, to be sent one after the other.
///
/// The pieces are `Bytes::slice`s of [`OwnedResponse::bytes`]: the message
/// is never copied. Making them costs two reference-count increments; only
/// when the buffer is a `Bytes` built from a `Vec` that was never shared does
/// `bytes` allocate its shared header once, on the first slice.
///
/// Spans ([`removed`](Self::removed), [`next_via_span`](Self::next_via_span))
/// index the ORIGINAL buffer, like every span of the parsed response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forwarded {
    pieces: [Bytes; 2],
    removed: Span,
    next_via: Span,
    warning: Option<Finding>,
}

impl Forwarded {
    /// The pieces to send, in order, none of them empty.
    pub fn chunks(&self) -> &[Bytes] {
        let n = self.pieces.iter().take_while(|p| !p.is_empty()).count();
        let all = self.pieces.as_slice();
        if self.pieces[n..].iter().all(Bytes::is_empty) {
            &all[..n]
        } else {
            // An empty first piece cannot happen (the status line comes
            // before every header row); keep both rather than lose bytes.
            all
        }
    }

    /// Total length of the forwarded message in bytes.
    pub fn len(&self) -> usize {
        self.pieces.iter().map(Bytes::len).sum()
    }

    /// True when there is nothing to send (never for a real forward).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the whole message to `w`, both pieces per `write_vectored`
    /// call where the writer supports it, retrying on `Interrupted`.
    pub fn write_to<W: Write + ?Sized>(&self, w: &mut W) -> io::Result<()> {
        let chunks = self.chunks();
        let (mut i, mut off) = (0, 0);
        while let Some(first) = chunks.get(i) {
            let head = first.get(off..).unwrap_or(&[]);
            let written = match chunks.get(i + 1) {
                Some(second) => w.write_vectored(&[IoSlice::new(head), IoSlice::new(second)]),
                None => w.write(head),
            };
            let mut n = match written {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            while n > 0 {
                let Some(chunk) = chunks.get(i) else { break };
                let left = chunk.len() - off;
                if n < left {
                    off += n;
                    n = 0;
                } else {
                    n -= left;
                    i += 1;
                    off = 0;
                }
            }
        }
        Ok(())
    }

    /// The message as a [`Buf`] chaining both pieces (still no copy), e.g.
    /// for `tokio::io::AsyncWriteExt::write_all_buf`.
    pub fn into_buf(self) -> Chain<Bytes, Bytes> {
        let [a, b] = self.pieces;
        a.chain(b)
    }

    /// The pieces, by value (the second may be empty).
    pub fn into_pieces(self) -> [Bytes; 2] {
        self.pieces
    }

    /// A contiguous copy of the message (for tests and logs; sending should
    /// use [`write_to`](Self::write_to) or [`chunks`](Self::chunks)).
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len());
        for p in &self.pieces {
            out.extend_from_slice(p);
        }
        out
    }

    /// The span of the original buffer left out: this proxy's Via value
    /// with what separated it from the next one, or its whole row.
    pub fn removed(&self) -> Span {
        self.removed
    }

    /// Span, in the original buffer, of the new top Via value: where the
    /// response goes next (RFC 3261 §18.2.2).
    pub fn next_via_span(&self) -> Span {
        self.next_via
    }

    /// The new top Via value, parsed (spans in the original buffer). Its
    /// syntax was not checked by the forward: a value that does not parse is
    /// the downstream element's defect, but the response cannot be routed.
    pub fn next_via(&self) -> Result<Via<'_>, HeaderValueError> {
        let start = self.next_via.start.wrapping_sub(self.removed.end);
        let bytes = start
            .checked_add(self.next_via.len())
            .and_then(|end| self.pieces[1].get(start..end))
            .ok_or(HeaderValueError::new(
                HeaderValueErrorKind::Empty,
                self.next_via.start,
            ))?;
        Via::parse(bytes, self.next_via.start)
    }

    /// Findings that did not block the forward: the `proxy-broadcast-via`
    /// warning when [`ForwardOptions::forward_broadcast`] let it through.
    pub fn findings(&self) -> &[Finding] {
        self.warning.as_slice()
    }
}

/// Why a response was not forwarded (see [`forward_upstream`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// A 100 (Trying): `100-not-forwarded`, RFC 3261 §16.7 step 5.
    Trying,
    /// No Via value: `via-required`, RFC 3261 §8.2.6.2.
    NoVia,
    /// The top Via value does not parse (the located error), so it cannot be
    /// shown to be ours: `via-top-not-ours` and `proxy-stray-response`.
    MalformedTopVia(HeaderValueError),
    /// The top Via sent-by is not one of ours: `via-top-not-ours` and
    /// `proxy-stray-response`, RFC 3261 §18.1.2, §16.11; RFC 6026 §8.2.
    NotOurs,
    /// Ours was the only Via value: the response was meant for this proxy,
    /// `proxy-remove-top-via`, RFC 3261 §16.7 step 3.
    MeantForUs,
    /// The next Via's sent-by is `255.255.255.255`: `proxy-broadcast-via`
    /// (a warning), RFC 4475 §3.3.10.
    BroadcastNextVia,
}

impl Refusal {
    /// The spec rule ids this refusal reports, most specific first.
    pub const fn rule_ids(self) -> &'static [&'static str] {
        match self {
            Refusal::Trying => &["100-not-forwarded"],
            Refusal::NoVia => &["via-required"],
            Refusal::MalformedTopVia(_) | Refusal::NotOurs => {
                &["via-top-not-ours", "proxy-stray-response"]
            }
            Refusal::MeantForUs => &["proxy-remove-top-via"],
            Refusal::BroadcastNextVia => &["proxy-broadcast-via"],
        }
    }

    const fn detail(self) -> &'static str {
        match self {
            Refusal::Trying => "a 100 is hop-by-hop and never forwarded upstream",
            Refusal::NoVia => "no Via value: nothing to check, nowhere to send",
            Refusal::MalformedTopVia(_) => "the top Via value does not parse",
            Refusal::NotOurs => "the top Via sent-by is not this proxy's",
            Refusal::MeantForUs => "this proxy's Via was the only one: meant for it",
            Refusal::BroadcastNextVia => "the next Via sent-by is the broadcast address",
        }
    }

    /// The finding of rule `rule_ids()[i]` at its catalogue severity.
    fn nth_finding(self, i: usize, span: Option<Span>) -> Option<Finding> {
        let id = self.rule_ids().get(i)?;
        // The ids are spec ids (public API, never renamed); a test checks
        // that each is in the catalogue, so `None` cannot happen.
        let rule = Rule::from_id(id)?;
        Some(Finding::new(
            rule,
            rule.info().default_severity,
            span,
            Detail::new(self.detail()),
        ))
    }

    fn finding(self, span: Option<Span>) -> Finding {
        match self.nth_finding(0, span) {
            Some(f) => f,
            None => unreachable!("forward rule ids are in the catalogue"),
        }
    }
}

/// A response [`forward_upstream`] will not forward, with the reason and
/// the spec findings. Small and `Copy`: refusing allocates nothing, which
/// matters because a proxy refuses every 100 it receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Refused {
    reason: Refusal,
    span: Option<Span>,
}

impl Refused {
    fn new(reason: Refusal, span: Option<Span>) -> Self {
        Refused { reason, span }
    }

    /// Why.
    pub const fn reason(&self) -> Refusal {
        self.reason
    }

    /// Where, in the parsed buffer: the status line of a 100, the top Via
    /// value, its sent-by, the next Via's broadcast host, or the (empty)
    /// end of the header section when there is no Via.
    pub const fn span(&self) -> Option<Span> {
        self.span
    }

    /// The findings (one or two, see [`Refusal::rule_ids`]), at their
    /// catalogue default severities. A proxy that re-grades rules can pass
    /// them through [`Policy::apply`](crate::validate::Policy::apply).
    pub fn findings(&self) -> impl Iterator<Item = Finding> {
        let (reason, span) = (self.reason, self.span);
        (0..reason.rule_ids().len()).filter_map(move |i| reason.nth_finding(i, span))
    }

    /// The first (most specific) finding.
    pub fn finding(&self) -> Finding {
        self.reason.finding(self.span)
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.reason.rule_ids().first().copied().unwrap_or("");
        write!(f, "not forwarded ({id}): {}", self.reason.detail())?;
        if let Refusal::MalformedTopVia(e) = self.reason {
            write!(f, " ({e})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Refused {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.reason {
            Refusal::MalformedTopVia(e) => Some(e),
            _ => None,
        }
    }
}
