//! Zero-copy SIP (RFC 3261) response parser and RFC-cited validator.
//!
//! # Model
//!
//! * [`parse_response`] / [`parse_message`] read one message from a buffer
//!   with datagram semantics and return a borrowed view ([`Response`],
//!   [`Message`]) that keeps only spans into the caller's bytes. Nothing is
//!   copied and nothing is allocated.
//! * [`OwnedResponse`] holds a [`bytes::Bytes`] plus the same spans: the same
//!   view, owned, still without copying; header values can be cut out as
//!   `Bytes` sharing the buffer.
//! * [`ResponseDecoder`] / [`MessageDecoder`] frame messages out of a growing
//!   `BytesMut` on stream transports, resuming where they stopped.
//! * [`header::typed`] parses header values on demand; [`validate()`] checks a
//!   response against the rules of RFC 3261 and its extensions.
//! * `capture::CaptureReader` (cargo feature `capture`, on by default)
//!   finds the SIP messages of a pcap or pcapng capture read as a stream
//!   (UDP, TCP, SCTP, WebSocket, HEP, through the usual tunnels) and frames
//!   them with the same parser. A proxy that only parses and validates
//!   builds without it (`default-features = false`).
//!
//! A [`ParseError`] means the bytes could not be framed. Everything else
//! (including what the parser accepted leniently, see [`Deviations`]) is a
//! validator finding.
//!
//! # A proxy's hot path: parse → validate → forward
//!
//! ```
//! use bytes::Bytes;
//! use sip_response::validate::{validate, Context, Role, SentBy, Transport};
//! use sip_response::{forward_upstream, parse_datagram, Frame};
//!
//! // Configured once: this proxy's own Via sent-by and its role.
//! let me: SentBy = "192.0.2.10:5060".parse()?;
//! let ctx = Context::new()
//!     .with_role(Role::Proxy)
//!     .with_transport(Transport::Udp)
//!     .with_own_sent_by(me.host(), me.port());
//!
//! // One datagram from downstream (what `recv_from` filled in).
//! let datagram = Bytes::from_static(
//!     b"SIP/2.0 180 Ringing\r\n\
//!       Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK2d4790.1\r\n\
//!       Via: SIP/2.0/UDP uac.example.com;branch=z9hG4bK776a;rport=40000;received=198.51.100.7\r\n\
//!       To: <sip:bob@example.org>;tag=a6c85cf\r\n\
//!       From: <sip:alice@example.com>;tag=1928301774\r\n\
//!       Call-ID: a84b4c76e66710\r\n\
//!       CSeq: 314159 INVITE\r\n\
//!       Contact: <sip:bob@192.0.2.4>\r\n\
//!       Content-Length: 0\r\n\r\n",
//! );
//!
//! // 1. Parse, zero-copy. A CRLF keep-alive is an `Ok` frame too.
//! let Frame::Message(resp) = parse_datagram(datagram)? else {
//!     return Ok(()); // a keep-alive: answer a ping with a pong
//! };
//!
//! // 2. Validate as the proxy. `has_errors()` means the response is
//! //    broken; forwarding verdicts (a 100 is absorbed...) are kept apart.
//! let report = validate(&resp, &ctx);
//! if report.has_errors() {
//!     return Ok(()); // drop, and log `report` (feature `serde`: as JSON)
//! }
//!
//! // 3. Forward: our Via removed, nothing copied, sent where the next Via
//! //    says (RFC 3261 §18.2.2, RFC 3581: received + rport here).
//! match forward_upstream(&resp, ctx.own_sent_by()) {
//!     Ok(fwd) => {
//!         let to = fwd.next_hop()?.socket_addr().expect("an IP address");
//!         assert_eq!(to.to_string(), "198.51.100.7:40000");
//!         // UDP: `fwd.send_to(&socket, to)?` (feature `socket2`, one
//!         // vectored datagram); TCP: `fwd.write_to(&mut stream)?` or the
//!         // `tokio-codec` `Encoder`.
//!         let mut wire = Vec::new();
//!         fwd.write_to(&mut wire)?;
//!         assert!(!wire.windows(11).any(|w| w == b"192.0.2.10:"));
//!     }
//!     Err(refused) if refused.is_absorbed() => {} // a 100 (Trying)
//!     Err(refused) => eprintln!("not forwarded: {refused}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Who each type is for: the parse types ([`Response`], [`OwnedResponse`],
//! [`parse_datagram`]) serve any transport and role; the stream decoders
//! ([`ResponseDecoder`], [`MessageDecoder`]) TCP and TLS; [`validate()`]
//! any role ([`validate::Role`]: observer, UAC, proxy); [`forward_upstream`],
//! [`Forwarded`], [`Refused`] and [`NextHop`] a proxy, over any transport
//! ([`Forwarded::send_to`] for UDP, the `tokio-codec` `Encoder` for
//! streams).
//!
//! Features: `tokio-codec` (`Decoder`/`Encoder` for the stream decoders),
//! `serde` (`Serialize` for findings, reports and the rule catalogue),
//! `socket2` ([`Forwarded::send_to`]).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
#![doc(test(attr(deny(warnings))))]

/// The fuzz targets' bodies and invariants, shared by `fuzz/` (libFuzzer) and
/// `tests/fuzz_replay.rs` (stable). Only built with the `fuzzing` feature, so a
/// normal build of the library carries none of it.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
#[path = "fuzz_support.rs"]
pub mod __fuzz;
#[cfg(feature = "capture")]
pub mod capture;
pub mod code;
mod conversions;
pub mod decoder;
pub mod error;
pub mod forward;
mod framing;
pub mod grammar;
pub mod header;
mod lex;
mod message;
mod next_hop;
mod options;
#[cfg(feature = "serde")]
pub mod record;
#[cfg(feature = "serde")]
mod serde_impls;
mod simd;
mod span;
mod start_line;
#[cfg(test)]
mod test_corpus;
mod transport;
pub mod validate;

pub use code::StatusCode;
pub use conversions::{AsResponse, HeaderKey, InvalidSentBy, Lookup, UnknownHeader};
#[cfg(feature = "tokio-codec")]
pub use decoder::DecodeError;
pub use decoder::{
    parse_datagram, parse_datagram_with, Frame, KeepAlive, MessageDecoder, ResponseDecoder,
};
pub use error::{HeaderValueError, HeaderValueErrorKind, ParseError, ParseErrorKind};
pub use forward::{forward_upstream, ForwardOptions, Forwarded, NextHop, Refusal, Refused};
pub use framing::Deviations;
pub use header::{Header, HeaderName, Headers, KnownHeader};
pub use message::{
    parse_message, parse_response, parse_response_partial, Message, OwnedMessage, OwnedResponse,
    Progress, Request, Response,
};
pub use options::{Framing, Limits, ParseOptions};
pub use span::Span;
pub use transport::{Transport, UnknownTransport};
/// The validator's entry points at the crate root (the documented contract:
/// `sip_response::validate(&Response, &Context) -> Report`).
pub use validate::{validate, validate_into};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
