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
//!    [`Role::Proxy`](crate::validate::Role::Proxy) role. Findings are data,
//!    not errors: the proxy decides, by severity or rule id, what it drops,
//!    logs or forwards anyway (a proxy must not repair what it forwards,
//!    RFC 3261 §16.7 step 9). The [`Report`](crate::validate::Report) keeps
//!    the response's defects apart from the forwarding verdicts (the rows of
//!    the table below), so `has_errors()` means "this response is broken",
//!    never "this is a 100".
//! 3. **Forward** with [`forward_upstream`], passing the same context's own
//!    sent-by values. A refusal says why, with the spec rule id; a
//!    [`Forwarded`] is written to the socket without copying the message.
//!
//! What is refused, and the rule reported:
//!
//! | Response | Rule id | Why |
//! |---|---|---|
//! | a 100 (Trying) | `100-not-forwarded` | hop-by-hop, RFC 3261 §16.7 step 5: absorbed ([`Refused::is_absorbed`]) |
//! | no Via value | `via-required` (a defect, the only one here) | nothing to check, nowhere to send |
//! | top Via not ours, or unreadable | `via-top-not-ours`, `proxy-stray-response` | RFC 3261 §18.1.2, §16.11; RFC 6026 §8.2 |
//! | ours is the only Via | `proxy-remove-top-via` | meant for this proxy, RFC 3261 §16.7 step 3 |
//! | next Via sent-by or `received` is `255.255.255.255` | `proxy-broadcast-via` (warning) | RFC 4475 §3.3.10; [`ForwardOptions::forward_broadcast`] lets it through |
//!
//! ```
//! use bytes::Bytes;
//! use sip_response::validate::{validate, Context, Role};
//! use sip_response::{forward_upstream, OwnedResponse};
//!
//! // Configured once: this proxy puts `proxy.example.com` without a port in
//! // the Via of the requests it forwards. No port configured means the
//! // transport's default port (5060, or 5061 for TLS and WSS), exactly as in
//! // a Via: `proxy.example.com:5070` is not ours (`SentBy::matches`).
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
//! if report.has_errors() {
//!     return Ok(()); // drop (and log `report.defects()`)
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
//!     Err(refused) if refused.is_absorbed() => {} // a 100: normal, nothing to log
//!     Err(refused) => {
//!         // A stray response, one meant for this proxy...: drop it
//!         // silently, as RFC 3261 §16.11 and §18.1.2 say.
//!         for finding in refused.findings() {
//!             eprintln!("not forwarded: {finding}");
//!         }
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;
use std::io::{self, IoSlice, Write};

use bytes::buf::Chain;
use bytes::{Buf, Bytes};

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::header::typed::host::is_ipv4_broadcast;
use crate::header::typed::{TypedHeader, Via};
use crate::header::{Element, Elements, Header, HeaderIter, Headers, KnownHeader};
use crate::message::{OwnedResponse, Response};
pub use crate::next_hop::{HopHost, HopSource, NextHop};
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
/// 5. The next Via's sent-by host or `received` is `255.255.255.255`:
///    `proxy-broadcast-via` (RFC 4475 §3.3.10: proxies should drop such a
///    response rather than flood the broadcast address). Refused by default;
///    see [`ForwardOptions::forward_broadcast`].
///
/// A sent-by matches one of `own` when the ports agree, an absent port
/// standing for the transport's default (5061 for TLS and WSS, 5060 for
/// UDP, TCP, SCTP and any other transport; RFC 3261 §18.1.2, §19.1.2), and
/// the hosts agree: IP addresses as addresses (so `[2001:DB8::1]`,
/// `[2001:db8:0::1]` and a configured `2001:db8::1` are one host, RFC 4291
/// §2.2), names ASCII case-insensitively (RFC 3261 §19.1.4): the one
/// comparison [`SentBy::matches`], which the validator's `via-top-not-ours`
/// uses too. An empty `own` matches nothing, so every response is
/// refused.
///
/// Only the top Via value's syntax is checked: the other values belong to
/// other elements, and a proxy must not remove or repair them (RFC 3261
/// §16.7 step 9). Use [`Forwarded::next_via`] to read where the response
/// goes.
#[allow(clippy::result_large_err)] // `Refused` holds its findings: no allocation
pub fn forward_upstream(resp: &OwnedResponse, own: &[SentBy]) -> Result<Forwarded, Refused> {
    ForwardOptions::new().forward(resp, own)
}

/// Choices a proxy can make about forwarding (see [`forward_upstream`]).
/// For a proxy, any transport.
///
/// Only the SHOULD-level drop is a choice; the MUST-level refusals are not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ForwardOptions {
    forward_broadcast: bool,
    stateless: bool,
}

impl ForwardOptions {
    /// The defaults: every refusal of [`forward_upstream`] applies.
    pub const fn new() -> Self {
        ForwardOptions {
            forward_broadcast: false,
            stateless: false,
        }
    }

    /// Whether the proxy acts statelessly (RFC 3261 §16.11): response
    /// processing of §16.7 does not apply, so a 100 (Trying) is forwarded
    /// like any response instead of absorbed (`100-not-forwarded` is a
    /// stateful proxy's verdict). The Via checks stay: a stateless proxy
    /// still removes its own Via and drops a response whose top Via is not
    /// its own (RFC 6026 §8.2). Matches
    /// [`Context::with_stateless_proxy`](crate::validate::Context::with_stateless_proxy).
    pub const fn stateless(mut self, yes: bool) -> Self {
        self.stateless = yes;
        self
    }

    /// Whether a response whose next Via sends it to the IPv4 broadcast
    /// address (sent-by host or `received`) is forwarded anyway, with the
    /// `proxy-broadcast-via` warning in [`Forwarded::findings`], instead of
    /// refused.
    ///
    /// RFC 4475 §3.3.10 says proxies should drop it (an Informational RFC,
    /// hence a warning, not an error). A proxy that sends responses back
    /// over the request's connection (reliable transports, RFC 3261 §18.2.2)
    /// never sends to those addresses and may choose to forward.
    pub const fn forward_broadcast(mut self, yes: bool) -> Self {
        self.forward_broadcast = yes;
        self
    }

    /// [`forward_upstream`] with these options.
    #[allow(clippy::result_large_err)] // `Refused` holds its findings: no allocation
    pub fn forward(&self, resp: &OwnedResponse, own: &[SentBy]) -> Result<Forwarded, Refused> {
        let view = resp.view();
        if let Some(span) = trying_verdict(&view).filter(|_| !self.stateless) {
            return Err(Refused::new(Refusal::Trying, Some(span)));
        }
        let headers = view.headers();
        let Some(top) = TopVia::find(headers) else {
            return Err(Refused::new(
                Refusal::NoVia,
                Some(Span::empty(headers.span().end)),
            ));
        };
        top.judge(own)
            .map_err(|reason| Refused::new(reason, Some(top.top.span)))?;
        let top_span = top.top.span;
        let row_span = top.row.span();
        let Some((next, same_row)) = top.next_value() else {
            return Err(Refused::new(Refusal::MeantForUs, Some(top_span)));
        };
        let removed = if same_row {
            // `Via: ours, theirs` → `Via: theirs`: the value, its comma and
            // the LWS (folds included) up to the next value.
            Span::new(top_span.start, next.span.start)
        } else {
            // Ours alone on its row: the whole row with its line ending.
            Span::new(
                row_span.start,
                line_end(resp.bytes(), row_span.end, headers.span().end),
            )
        };
        let mut warning = None;
        if is_broadcast(&next) {
            if !self.forward_broadcast {
                return Err(Refused::new(Refusal::BroadcastNextVia, Some(next.span)));
            }
            warning = Some(Refusal::BroadcastNextVia.finding(Some(next.span)));
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

/// The `100-not-forwarded` verdict (RFC 3261 §16.7 step 5): the status line
/// of a 100, which a proxy absorbs. One implementation for the forwarder and
/// the validator's proxy rule.
pub(crate) fn trying_verdict(view: &Response<'_>) -> Option<Span> {
    (view.status().as_u16() == 100).then(|| view.status_line_span())
}

/// True when a parsed Via's sent-by is one of `own` (RFC 3261 §18.2.2:
/// the transport's default port stands in for a missing one, through
/// [`SentBy::matches`]). The one test behind `via-top-not-ours`, for the
/// forwarder ([`TopVia::judge`]) and the validator's proxy rule alike.
pub(crate) fn via_is_ours(via: &Via<'_>, own: &[SentBy]) -> bool {
    let sent_by = via.sent_by();
    let default_port = SentBy::default_port(via.transport());
    let host = sent_by.host();
    own.iter()
        .any(|o| o.matches(host.as_bytes(), sent_by.port(), default_port))
}

/// The top Via value of a response and where it sits: the first element of
/// the first Via row that has one (RFC 3261 §7.3.1: rows of one name form
/// one list, in order). The forwarder and the validator's proxy rules walk
/// the Via list through it, so they agree on "top" and "next".
pub(crate) struct TopVia<'a> {
    row: Header<'a>,
    rest: Elements<'a>,
    rows: HeaderIter<'a>,
    pub(crate) top: Element<'a>,
}

impl<'a> TopVia<'a> {
    /// The top Via value, or `None` when there is no Via value at all.
    pub(crate) fn find(headers: &Headers<'a>) -> Option<Self> {
        let mut rows = headers.get_all(KnownHeader::Via);
        loop {
            let row = rows.next()?;
            let mut rest = row.elements();
            if let Some(top) = rest.next() {
                return Some(TopVia {
                    row,
                    rest,
                    rows,
                    top,
                });
            }
        }
    }

    /// The `via-top-not-ours` / `proxy-stray-response` verdict: `Ok` when
    /// the top value parses and its sent-by is one of `own` (through
    /// [`SentBy::matches`]).
    pub(crate) fn judge(&self, own: &[SentBy]) -> Result<(), Refusal> {
        let via = self
            .top
            .parse::<Via<'_>>()
            .map_err(Refusal::MalformedTopVia)?;
        if via_is_ours(&via, own) {
            Ok(())
        } else {
            Err(Refusal::NotOurs)
        }
    }

    /// The value after the top one (where the response goes next), and
    /// whether it is on the top's row: later in the same row, else in a
    /// later row. Empty elements (`ours, , theirs`) carry no value and are
    /// skipped. `None`: the top value was the only one.
    pub(crate) fn next_value(self) -> Option<(Element<'a>, bool)> {
        let TopVia { mut rest, rows, .. } = self;
        if let Some(e) = rest.find(|e| !e.bytes.is_empty()) {
            return Some((e, true));
        }
        rows.flat_map(|h| h.elements())
            .find(|e| !e.bytes.is_empty())
            .map(|e| (e, false))
    }
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

/// The `proxy-broadcast-via` verdict: whether `next` sends the response to
/// the IPv4 limited broadcast address (RFC 4475 §3.3.10): its sent-by host,
/// or its `received` address, which replaces the host when the response is
/// sent (RFC 3261 §18.2.2), is `255.255.255.255`. The validator's
/// `proxy-broadcast-via` calls this very function. A value that does not
/// parse is not judged. A directed broadcast would need the subnet, which is
/// not known here.
pub(crate) fn is_broadcast(next: &Element<'_>) -> bool {
    next.parse::<Via<'_>>()
        .is_ok_and(|via| is_broadcast_via(&via))
}

/// [`is_broadcast`] on the next Via value already read (the validator
/// reads every Via once).
pub(crate) fn is_broadcast_via(via: &Via<'_>) -> bool {
    via.sent_by().host().is_ipv4_broadcast() || via.received().is_some_and(is_ipv4_broadcast)
}

/// A response ready to go upstream: the original message without this
/// proxy's Via value, as (at most) two [`Bytes`] pieces of the buffer the
/// response was parsed from, to be sent one after the other.
///
/// For a proxy, over any transport: [`send_to`](Self::send_to) sends it as
/// one UDP datagram (feature `socket2`), [`write_to`](Self::write_to) or the
/// `tokio-codec` `Encoder` on a stream; [`next_hop`](Self::next_hop) says
/// where.
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
    /// The pieces to send, in order, none of them empty: the message up to
    /// the removed Via value, then the rest (the first piece always holds at
    /// least the status line).
    pub fn chunks(&self) -> &[Bytes] {
        if self.pieces[1].is_empty() {
            &self.pieces[..1]
        } else {
            &self.pieces[..]
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

    /// Where the response goes: the destination the new top Via names, per
    /// RFC 3261 §18.2.2 and RFC 3581 (`received`, `rport`, `maddr`, default
    /// ports, IPv6 brackets removed; a host name is left for the caller's
    /// resolver). See [`NextHop`]. Fails when that Via value does not parse.
    pub fn next_hop(&self) -> Result<NextHop<'_>, HeaderValueError> {
        Ok(NextHop::from_via(&self.next_via()?))
    }

    /// Sends the message as one UDP datagram to `addr`, both pieces in one
    /// vectored `sendmsg` (`socket2`'s `send_to_vectored`): nothing is
    /// copied in user space. `socket` is any UDP socket `socket2` can borrow
    /// (`std::net::UdpSocket`, or `tokio::net::UdpSocket` inside its
    /// `try_io`). A datagram is sent whole or not at all; a short count is
    /// reported as `WriteZero`. Feature `socket2`.
    ///
    /// For UDP senders. On streams use [`write_to`](Self::write_to), or the
    /// `tokio-codec` `Encoder`.
    #[cfg(feature = "socket2")]
    pub fn send_to<'s, S>(&self, socket: &'s S, addr: std::net::SocketAddr) -> io::Result<usize>
    where
        socket2::SockRef<'s>: From<&'s S>,
    {
        let sock = socket2::SockRef::from(socket);
        let chunks = self.chunks();
        let bufs = [
            IoSlice::new(&chunks[0]),
            IoSlice::new(chunks.get(1).map_or(&[][..], |c| &c[..])),
        ];
        let n = sock.send_to_vectored(&bufs[..chunks.len()], &addr.into())?;
        if n != self.len() {
            return Err(io::ErrorKind::WriteZero.into());
        }
        Ok(n)
    }

    /// Findings that did not block the forward: the `proxy-broadcast-via`
    /// warning when [`ForwardOptions::forward_broadcast`] let it through.
    pub fn findings(&self) -> &[Finding] {
        self.warning.as_slice()
    }
}

/// Why a response was not forwarded (see [`forward_upstream`]). For a
/// proxy, any transport.
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
    /// The next Via's sent-by host or `received` is `255.255.255.255`:
    /// `proxy-broadcast-via` (a warning), RFC 4475 §3.3.10.
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

    pub(crate) const fn detail_text(self) -> &'static str {
        match self {
            Refusal::Trying => "a 100 is hop-by-hop and never forwarded upstream",
            Refusal::NoVia => "no Via value: nothing to check, nowhere to send",
            Refusal::MalformedTopVia(_) => "the top Via value does not parse",
            Refusal::NotOurs => "the top Via sent-by is not this proxy's",
            Refusal::MeantForUs => "this proxy's Via was the only one: meant for it",
            Refusal::BroadcastNextVia => "the next Via sends to the broadcast address",
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
            Detail::new(self.detail_text()),
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
/// the spec findings. `Copy`, and refusing allocates nothing, which matters
/// because a proxy refuses (absorbs) every 100 it receives.
///
/// For a proxy, any transport. Most refusals are verdicts
/// ([`Finding::is_verdict`]): the response is fine, it is just not to be
/// forwarded. Only `via-required` (no Via at all) is a defect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Refused {
    reason: Refusal,
    span: Option<Span>,
    findings: [Finding; 2],
    len: u8,
}

impl Refused {
    fn new(reason: Refusal, span: Option<Span>) -> Self {
        let first = reason.finding(span);
        let mut findings = [first; 2];
        let mut len = 1;
        if let Some(second) = reason.nth_finding(1, span) {
            findings[1] = second;
            len = 2;
        }
        // A 100 the proxy absorbs draws no finding at all (spec row
        // `100-not-forwarded`): absorbing it is the normal, correct outcome.
        if matches!(reason, Refusal::Trying) {
            len = 0;
        }
        Refused {
            reason,
            span,
            findings,
            len,
        }
    }

    /// Why.
    pub const fn reason(&self) -> Refusal {
        self.reason
    }

    /// True for the normal fate of a 100 (Trying): a proxy absorbs it
    /// (RFC 3261 §16.7 step 5). Nothing is wrong; there is nothing to log.
    pub const fn is_absorbed(&self) -> bool {
        matches!(self.reason, Refusal::Trying)
    }

    /// Where, in the parsed buffer: the status line of a 100, the top Via
    /// value (not ours, malformed, or the only one), the next Via value
    /// (broadcast), or the (empty) end of the header section when there is
    /// no Via. The same spans the validator gives these rules.
    pub const fn span(&self) -> Option<Span> {
        self.span
    }

    /// The findings (one or two, see [`Refusal::rule_ids`]; none for an
    /// absorbed 100, see [`Refused::is_absorbed`]), at their catalogue
    /// default severities: a slice, as
    /// [`Report::findings`](crate::validate::Report::findings) and
    /// [`Forwarded::findings`]. A proxy that re-grades rules can pass
    /// them through [`Policy::apply`](crate::validate::Policy::apply).
    pub fn findings(&self) -> &[Finding] {
        &self.findings[..usize::from(self.len)]
    }

    /// The first (most specific) finding; `None` for an absorbed 100.
    pub fn finding(&self) -> Option<Finding> {
        self.findings().first().copied()
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.reason.rule_ids().first().copied().unwrap_or("");
        write!(f, "not forwarded ({id}): {}", self.reason.detail_text())?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::Severity;
    use crate::{parse_response, Response};

    const TAIL: &[u8] = b"To: <sip:bob@example.org>;tag=a6c85cf\r\n\
From: <sip:alice@example.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710\r\n\
CSeq: 314159 INVITE\r\n\
Content-Length: 4\r\n\
\r\n\
body";

    const OURS: &str = "SIP/2.0/UDP p.example.com;branch=z9hG4bKours";

    fn msg(status: &str, vias: &str) -> Vec<u8> {
        let mut m = format!("SIP/2.0 {status}\r\n{vias}").into_bytes();
        m.extend_from_slice(TAIL);
        m
    }

    fn owned(m: &[u8]) -> OwnedResponse {
        OwnedResponse::parse(Bytes::copy_from_slice(m)).unwrap()
    }

    fn own(list: &[(&str, Option<u16>)]) -> Vec<SentBy> {
        list.iter().map(|&(h, p)| SentBy::new(h, p)).collect()
    }

    fn via_values<'a>(r: &Response<'a>) -> Vec<&'a [u8]> {
        r.headers()
            .elements(KnownHeader::Via)
            .map(|e| e.bytes)
            .collect()
    }

    /// Checks every invariant of a forward: pieces are slices of the
    /// original buffer (pointer equality), the output is the original minus
    /// `removed`, it parses, and its Via values are the original's minus the
    /// first (empty ones excepted).
    fn check(resp: &OwnedResponse, fwd: &Forwarded) -> Vec<u8> {
        let src = resp.bytes();
        let view = resp.view();
        let msg = view.span();
        let removed = fwd.removed();
        let chunks = fwd.chunks();
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].as_ptr(), src[msg.start..].as_ptr());
        assert_eq!(chunks[1].as_ptr(), src[removed.end..].as_ptr());
        assert_eq!(chunks[0].len(), removed.start - msg.start);
        assert_eq!(chunks[1].len(), msg.end - removed.end);
        let out = fwd.to_vec();
        assert_eq!(out.len(), fwd.len());
        assert!(!fwd.is_empty());
        let mut written = Vec::new();
        fwd.write_to(&mut written).unwrap();
        assert_eq!(written, out);
        let back = parse_response(&out).expect("forwarded message parses");
        assert_eq!(back.status(), view.status());
        assert_eq!(back.body(), view.body());
        let before: Vec<_> = via_values(&view)
            .into_iter()
            .skip(1)
            .filter(|v| !v.is_empty())
            .collect();
        let after: Vec<_> = via_values(&back)
            .into_iter()
            .filter(|v| !v.is_empty())
            .collect();
        assert_eq!(after, before);
        // The next Via, in original coordinates.
        let next = fwd.next_via_span();
        assert_eq!(Some(&src[next.range()]), before.first().copied());
        if let Ok(v) = fwd.next_via() {
            assert_eq!(v.span(), next);
            let h = v.sent_by().host();
            assert_eq!(&src[h.span().range()], h.as_bytes());
        }
        out
    }

    #[test]
    fn removes_our_via() {
        // (own, Via rows in, Via rows out, removed bytes)
        type Row<'a> = (&'a [(&'a str, Option<u16>)], String, &'a str, String);
        let p = [("p.example.com", None)];
        let rows: Vec<Row<'_>> = vec![
            // Alone on its row: the row and its CRLF go.
            (
                &p,
                format!("Via: {OURS}\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK2\r\n"),
                "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK2\r\n",
                format!("Via: {OURS}\r\n"),
            ),
            // First of a comma list: value, comma and SP go.
            (
                &p,
                format!("Via: {OURS}, SIP/2.0/TCP a.example.com;branch=z9hG4bK2\r\n"),
                "Via: SIP/2.0/TCP a.example.com;branch=z9hG4bK2\r\n",
                format!("{OURS}, "),
            ),
            // Odd spacing around the comma; the rest is kept byte for byte.
            (
                &p,
                format!("Via: {OURS} ,  SIP/2.0/UDP a.example.com ;branch=x,SIP/2.0/UDP b\r\n"),
                "Via: SIP/2.0/UDP a.example.com ;branch=x,SIP/2.0/UDP b\r\n",
                format!("{OURS} ,  "),
            ),
            // Compact form.
            (
                &p,
                format!("v: {OURS},SIP/2.0/UDP a.example.com\r\n"),
                "v: SIP/2.0/UDP a.example.com\r\n",
                format!("{OURS},"),
            ),
            // Folded after the comma: the fold goes with the comma.
            (
                &p,
                format!("Via: {OURS},\r\n SIP/2.0/UDP a.example.com\r\n"),
                "Via: SIP/2.0/UDP a.example.com\r\n",
                format!("{OURS},\r\n "),
            ),
            // Folded before the comma.
            (
                &p,
                format!("Via: {OURS}\r\n\t,\r\n  SIP/2.0/UDP a.example.com\r\n"),
                "Via: SIP/2.0/UDP a.example.com\r\n",
                format!("{OURS}\r\n\t,\r\n  "),
            ),
            // Our value folded onto its own line of a row.
            (
                &p,
                format!("Via:\r\n {OURS}\r\nVia: SIP/2.0/UDP a.example.com\r\n"),
                "Via: SIP/2.0/UDP a.example.com\r\n",
                format!("Via:\r\n {OURS}\r\n"),
            ),
            // Any case: header name, protocol, transport, host.
            (
                &p,
                "VIA: sip/2.0/udp P.Example.COM;branch=z9hG4bKx\r\nvIa: SIP/2.0/UDP a\r\n"
                    .to_string(),
                "vIa: SIP/2.0/UDP a\r\n",
                "VIA: sip/2.0/udp P.Example.COM;branch=z9hG4bKx\r\n".to_string(),
            ),
            // Several rows, top on the first; mixed long and compact names.
            (
                &p,
                format!("Via: {OURS}\r\nVia: SIP/2.0/UDP a, SIP/2.0/UDP b\r\nv: SIP/2.0/UDP c\r\n"),
                "Via: SIP/2.0/UDP a, SIP/2.0/UDP b\r\nv: SIP/2.0/UDP c\r\n",
                format!("Via: {OURS}\r\n"),
            ),
            // An empty row before ours is not a value: ours is still the top.
            (
                &p,
                format!("Via:\r\nVia: {OURS}\r\nVia: SIP/2.0/UDP a\r\n"),
                "Via:\r\nVia: SIP/2.0/UDP a\r\n",
                format!("Via: {OURS}\r\n"),
            ),
            // Empty elements after ours go with it.
            (
                &p,
                format!("Via: {OURS}, , SIP/2.0/UDP a\r\n"),
                "Via: SIP/2.0/UDP a\r\n",
                format!("{OURS}, , "),
            ),
            (
                &p,
                format!("Via: {OURS},\r\nVia: SIP/2.0/UDP a\r\n"),
                "Via: SIP/2.0/UDP a\r\n",
                format!("Via: {OURS},\r\n"),
            ),
            // Explicit default port against an unset configured port.
            (
                &p,
                "Via: SIP/2.0/UDP p.example.com:5060;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP a\r\n"
                    .to_string(),
                "Via: SIP/2.0/UDP a\r\n",
                "Via: SIP/2.0/UDP p.example.com:5060;branch=z9hG4bK1\r\n".to_string(),
            ),
            // TLS defaults to 5061 (RFC 3261 §19.1.2).
            (
                &[("p.example.com", Some(5061))],
                "Via: SIP/2.0/TLS p.example.com;branch=z9hG4bK1\r\nVia: SIP/2.0/TLS a\r\n"
                    .to_string(),
                "Via: SIP/2.0/TLS a\r\n",
                "Via: SIP/2.0/TLS p.example.com;branch=z9hG4bK1\r\n".to_string(),
            ),
            // IPv6 sent-by, matched as an address in several spellings.
            (
                &[("[2001:db8::1]", Some(5060))],
                "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP a\r\n"
                    .to_string(),
                "Via: SIP/2.0/UDP a\r\n",
                "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1\r\n".to_string(),
            ),
            (
                &[("2001:DB8:0::1", None)],
                "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1, SIP/2.0/UDP [2001:db8::2]\r\n"
                    .to_string(),
                "Via: SIP/2.0/UDP [2001:db8::2]\r\n",
                "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1, ".to_string(),
            ),
            // A broadcast address further down is not this hop's concern.
            (
                &p,
                format!("Via: {OURS}, SIP/2.0/UDP a\r\nVia: SIP/2.0/UDP 255.255.255.255\r\n"),
                "Via: SIP/2.0/UDP a\r\nVia: SIP/2.0/UDP 255.255.255.255\r\n",
                format!("{OURS}, "),
            ),
            // The second of several configured sent-by values matches.
            (
                &[("other.example.com", None), ("192.0.2.1", Some(5080))],
                "Via: SIP/2.0/UDP 192.0.2.1:5080;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP a\r\n"
                    .to_string(),
                "Via: SIP/2.0/UDP a\r\n",
                "Via: SIP/2.0/UDP 192.0.2.1:5080;branch=z9hG4bK1\r\n".to_string(),
            ),
        ];
        for (own_list, vias_in, vias_out, removed) in rows {
            let input = msg("200 OK", &vias_in);
            let resp = owned(&input);
            let fwd = forward_upstream(&resp, &own(own_list))
                .unwrap_or_else(|e| panic!("{vias_in:?}: {e}"));
            let out = check(&resp, &fwd);
            assert_eq!(out, msg("200 OK", vias_out), "{vias_in:?}");
            assert_eq!(&input[fwd.removed().range()], removed.as_bytes());
            assert!(fwd.findings().is_empty());
        }
    }

    #[test]
    fn via_after_other_headers_and_bare_lf() {
        let input = b"SIP/2.0 486 Busy Here\n\
To: <sip:b@example.org>;tag=1\n\
Via: SIP/2.0/UDP p.example.com\n\
Via: SIP/2.0/UDP a.example.com\n\
Content-Length: 0\n\n";
        let resp = owned(input);
        let fwd = forward_upstream(&resp, &own(&[("p.example.com", None)])).unwrap();
        let out = check(&resp, &fwd);
        assert_eq!(
            out,
            b"SIP/2.0 486 Busy Here\n\
To: <sip:b@example.org>;tag=1\n\
Via: SIP/2.0/UDP a.example.com\n\
Content-Length: 0\n\n"
        );
        assert_eq!(
            fwd.next_via().unwrap().sent_by().host().as_str(),
            "a.example.com"
        );
    }

    #[test]
    fn octets_after_the_message_are_not_forwarded() {
        // Datagram with octets after Content-Length (RFC 3261 §18.3).
        let mut input = msg("200 OK", &format!("Via: {OURS}\r\nVia: SIP/2.0/UDP a\r\n"));
        input.extend_from_slice(b"TRAILING");
        let resp = owned(&input);
        let fwd = forward_upstream(&resp, &own(&[("p.example.com", None)])).unwrap();
        let out = check(&resp, &fwd);
        assert!(out.ends_with(b"\r\n\r\nbody"));
    }

    #[test]
    fn keepalives_before_the_message_are_not_forwarded() {
        // Stream framing skips CRLFs before the start line (RFC 3261 §7.5); the
        // forward starts at the status line.
        let mut input = b"\r\n\r\n".to_vec();
        input.extend(msg(
            "200 OK",
            &format!("Via: {OURS}\r\nVia: SIP/2.0/UDP a\r\n"),
        ));
        let resp =
            OwnedResponse::parse_with(Bytes::from(input), &crate::ParseOptions::stream()).unwrap();
        assert_eq!(resp.view().span().start, 4);
        let fwd = forward_upstream(&resp, &own(&[("p.example.com", None)])).unwrap();
        let out = check(&resp, &fwd);
        assert_eq!(out, msg("200 OK", "Via: SIP/2.0/UDP a\r\n"));
    }

    #[test]
    fn refusals() {
        // (status, Via rows, own, reason, rule ids, span text)
        type Row<'a> = (
            &'a str,
            String,
            Vec<SentBy>,
            Refusal,
            &'a [&'a str],
            &'a str,
        );
        let p = own(&[("p.example.com", None)]);
        let bad_via = HeaderValueError::new(HeaderValueErrorKind::Missing, 16 + 16);
        let rows: Vec<Row<'_>> = vec![
            (
                "100 Trying",
                format!("Via: {OURS}\r\nVia: SIP/2.0/UDP a\r\n"),
                p.clone(),
                Refusal::Trying,
                &["100-not-forwarded"],
                "SIP/2.0 100 Trying",
            ),
            // A 100 is refused before anything else is looked at.
            (
                "100 Trying",
                String::new(),
                vec![],
                Refusal::Trying,
                &["100-not-forwarded"],
                "SIP/2.0 100 Trying",
            ),
            (
                "200 OK",
                String::new(),
                p.clone(),
                Refusal::NoVia,
                &["via-required"],
                "",
            ),
            (
                "200 OK",
                "Via:\r\n".into(),
                p.clone(),
                Refusal::NoVia,
                &["via-required"],
                "",
            ),
            (
                "200 OK",
                "Via: SIP/2.0/UDP\r\nVia: SIP/2.0/UDP a\r\n".into(),
                p.clone(),
                Refusal::MalformedTopVia(bad_via),
                &["via-top-not-ours", "proxy-stray-response"],
                "SIP/2.0/UDP",
            ),
            (
                "200 OK",
                "Via: , SIP/2.0/UDP p.example.com\r\n".into(),
                p.clone(),
                Refusal::MalformedTopVia(HeaderValueError::new(HeaderValueErrorKind::Empty, 21)),
                &["via-top-not-ours", "proxy-stray-response"],
                "",
            ),
            (
                "200 OK",
                "Via: SIP/2.0/UDP q.example.com;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP a\r\n".into(),
                p.clone(),
                Refusal::NotOurs,
                &["via-top-not-ours", "proxy-stray-response"],
                "SIP/2.0/UDP q.example.com;branch=z9hG4bK1",
            ),
            // Right host, wrong port.
            (
                "200 OK",
                "Via: SIP/2.0/UDP p.example.com:5070\r\nVia: SIP/2.0/UDP a\r\n".into(),
                p.clone(),
                Refusal::NotOurs,
                &["via-top-not-ours", "proxy-stray-response"],
                "SIP/2.0/UDP p.example.com:5070",
            ),
            // UDP default 5060 against a configured 5061.
            (
                "200 OK",
                format!("Via: {OURS}\r\nVia: SIP/2.0/UDP a\r\n"),
                own(&[("p.example.com", Some(5061))]),
                Refusal::NotOurs,
                &["via-top-not-ours", "proxy-stray-response"],
                OURS,
            ),
            // TLS default 5061 against a configured 5060.
            (
                "200 OK",
                "Via: SIP/2.0/TLS p.example.com\r\nVia: SIP/2.0/TLS a\r\n".into(),
                own(&[("p.example.com", Some(5060))]),
                Refusal::NotOurs,
                &["via-top-not-ours", "proxy-stray-response"],
                "SIP/2.0/TLS p.example.com",
            ),
            // Ours second is not enough: the top is what counts.
            (
                "200 OK",
                format!("Via: SIP/2.0/UDP a\r\nVia: {OURS}\r\n"),
                p.clone(),
                Refusal::NotOurs,
                &["via-top-not-ours", "proxy-stray-response"],
                "SIP/2.0/UDP a",
            ),
            // No own sent-by configured: nothing is ours.
            (
                "200 OK",
                format!("Via: {OURS}\r\nVia: SIP/2.0/UDP a\r\n"),
                vec![],
                Refusal::NotOurs,
                &["via-top-not-ours", "proxy-stray-response"],
                OURS,
            ),
            // Different IPv6 address.
            (
                "200 OK",
                "Via: SIP/2.0/UDP [2001:db8::2]\r\nVia: SIP/2.0/UDP a\r\n".into(),
                own(&[("[2001:db8::1]", None)]),
                Refusal::NotOurs,
                &["via-top-not-ours", "proxy-stray-response"],
                "SIP/2.0/UDP [2001:db8::2]",
            ),
            (
                "200 OK",
                format!("Via: {OURS}\r\n"),
                p.clone(),
                Refusal::MeantForUs,
                &["proxy-remove-top-via"],
                OURS,
            ),
            (
                "180 Ringing",
                format!("Via: {OURS},\r\nVia:\r\n"),
                p.clone(),
                Refusal::MeantForUs,
                &["proxy-remove-top-via"],
                OURS,
            ),
            (
                "200 OK",
                format!("Via: {OURS}\r\nVia: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK2\r\n"),
                p.clone(),
                Refusal::BroadcastNextVia,
                &["proxy-broadcast-via"],
                "SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK2",
            ),
            // Sent to `received` (RFC 3261 §18.2.2): the same flood.
            (
                "200 OK",
                format!("Via: {OURS}, SIP/2.0/UDP a.example.com;received=255.255.255.255\r\n"),
                p,
                Refusal::BroadcastNextVia,
                &["proxy-broadcast-via"],
                "SIP/2.0/UDP a.example.com;received=255.255.255.255",
            ),
        ];
        for (status, vias, own_list, reason, ids, span_text) in rows {
            let input = msg(status, &vias);
            let resp = owned(&input);
            let err = forward_upstream(&resp, &own_list).unwrap_err();
            assert_eq!(err.reason(), reason, "{vias:?}");
            assert_eq!(reason.rule_ids(), ids);
            let got: Vec<_> = err.findings().iter().map(|f| f.rule()).collect();
            if err.is_absorbed() {
                assert!(got.is_empty(), "an absorbed 100 draws no finding");
                assert!(err.finding().is_none());
            } else {
                assert_eq!(got, ids, "{vias:?}");
                assert_eq!(err.finding().map(|f| f.rule()), Some(ids[0]));
            }
            let span = err.span().unwrap();
            assert_eq!(&input[span.range()], span_text.as_bytes(), "{vias:?}");
            for f in err.findings() {
                assert_eq!(f.span(), Some(span));
                assert_eq!(f.severity(), f.rule_info().default_severity);
            }
            assert!(err
                .to_string()
                .starts_with(&format!("not forwarded ({})", ids[0])));
        }
    }

    #[test]
    fn no_via_span_is_the_end_of_the_header_section() {
        let input = msg("200 OK", "");
        let resp = owned(&input);
        let err = forward_upstream(&resp, &[]).unwrap_err();
        let end = resp.view().head_span().end;
        assert_eq!(err.span(), Some(Span::empty(end)));
        assert_eq!(&input[end..end + 2], b"\r\n");
    }

    #[test]
    fn malformed_top_via_reports_the_located_error() {
        let input = msg(
            "200 OK",
            "Via: SIP/2.0/UDP p.example.com:99999\r\nVia: SIP/2.0/UDP a\r\n",
        );
        let resp = owned(&input);
        let err = forward_upstream(&resp, &own(&[("p.example.com", None)])).unwrap_err();
        let Refusal::MalformedTopVia(e) = err.reason() else {
            panic!("{err:?}")
        };
        assert_eq!(e.kind(), HeaderValueErrorKind::BadPort);
        assert_eq!(&input[e.offset()..e.offset() + 5], b"99999");
        assert!(err.to_string().contains("does not parse"));
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn rule_ids_are_in_the_catalogue_with_their_severities() {
        for (r, sev) in [
            (Refusal::Trying, Severity::Error),
            (Refusal::NoVia, Severity::Error),
            (Refusal::NotOurs, Severity::Error),
            (Refusal::MeantForUs, Severity::Error),
            (Refusal::BroadcastNextVia, Severity::Warning),
        ] {
            for id in r.rule_ids() {
                assert!(Rule::from_id(id).is_some(), "{id}");
            }
            assert_eq!(r.finding(None).severity(), sev, "{r:?}");
            let refused = Refused::new(r, None);
            let want = if refused.is_absorbed() {
                0
            } else {
                r.rule_ids().len()
            };
            assert_eq!(refused.findings().len(), want);
        }
    }

    /// RFC 4475 §3.3.10 `bcast`: the second Via is 255.255.255.255.
    #[test]
    fn rfc4475_bcast() {
        let input = include_bytes!("../tests/data/rfc4475/bcast.dat");
        let resp = OwnedResponse::parse(Bytes::from_static(input)).unwrap();
        let ours = own(&[("192.0.2.198", None)]);
        let err = forward_upstream(&resp, &ours).unwrap_err();
        assert_eq!(err.reason(), Refusal::BroadcastNextVia);
        let f = err.finding().unwrap();
        assert_eq!(f.rule(), "proxy-broadcast-via");
        assert_eq!(f.severity(), Severity::Warning);
        let span = err.span().unwrap();
        assert_eq!(
            &input[span.range()],
            b"SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23"
        );

        // Forwarded on request, with the warning.
        let fwd = ForwardOptions::new()
            .forward_broadcast(true)
            .forward(&resp, &ours)
            .unwrap();
        let out = check(&resp, &fwd);
        let first_row = b"Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923\r\n";
        let mut expected = input.to_vec();
        let at = expected
            .windows(first_row.len())
            .position(|w| w == first_row)
            .unwrap();
        expected.drain(at..at + first_row.len());
        assert_eq!(out, expected);
        assert_eq!(fwd.findings().len(), 1);
        assert_eq!(fwd.findings()[0].rule(), "proxy-broadcast-via");
        assert_eq!(fwd.findings()[0].span(), Some(span));
        assert!(fwd.next_via().unwrap().sent_by().host().is_ipv4_broadcast());

        // Not ours: the sent-by check comes first.
        let err = forward_upstream(&resp, &own(&[("192.0.2.199", None)])).unwrap_err();
        assert_eq!(err.reason(), Refusal::NotOurs);
    }

    /// A writer that takes at most `max` bytes per call, fails every other
    /// call with `Interrupted`, and may not support vectored writes.
    struct Trickle {
        out: Vec<u8>,
        max: usize,
        vectored: bool,
        calls: usize,
    }

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.calls.is_multiple_of(2) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = buf.len().min(self.max);
            self.out.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
            if !self.vectored {
                let first = bufs.iter().find(|b| !b.is_empty()).map_or(&[][..], |b| b);
                return self.write(first);
            }
            self.calls += 1;
            let mut n = 0;
            for b in bufs {
                let take = b.len().min(self.max - n);
                self.out.extend_from_slice(&b[..take]);
                n += take;
            }
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn write_to_handles_short_and_interrupted_writes() {
        let input = msg("200 OK", &format!("Via: {OURS}, SIP/2.0/UDP a\r\n"));
        let resp = owned(&input);
        let fwd = forward_upstream(&resp, &own(&[("p.example.com", None)])).unwrap();
        let expected = fwd.to_vec();
        for max in [1, 2, 7, 16, 1000] {
            for vectored in [false, true] {
                let mut w = Trickle {
                    out: Vec::new(),
                    max,
                    vectored,
                    calls: 0,
                };
                fwd.write_to(&mut w).unwrap();
                assert_eq!(w.out, expected, "max {max} vectored {vectored}");
            }
        }
        // A writer that accepts nothing.
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Ok(0)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = fwd.write_to(&mut Full).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WriteZero);
        // As a Buf: same bytes, no copy until read.
        let mut buf = fwd.clone().into_buf();
        assert_eq!(buf.remaining(), expected.len());
        assert_eq!(buf.copy_to_bytes(expected.len()), expected);
        let [a, b] = fwd.into_pieces();
        assert_eq!([&a[..], &b[..]].concat(), expected);
    }
}
