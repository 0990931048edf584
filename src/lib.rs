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
//! * [`capture::CaptureReader`] finds the SIP messages of a pcap or pcapng
//!   file (UDP, TCP, SCTP, WebSocket, through the usual tunnels) and frames
//!   them with the same parser.
//!
//! A [`ParseError`] means the bytes could not be framed. Everything else
//! (including what the parser accepted leniently, see [`Deviations`]) is a
//! validator finding.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
#![doc(test(attr(deny(warnings))))]

#[doc(hidden)]
#[path = "fuzz_support.rs"]
pub mod __fuzz;
pub mod capture;
pub mod code;
mod conversions;
pub mod decoder;
pub mod error;
pub mod forward;
mod framing;
pub mod header;
mod lex;
mod message;
mod next_hop;
mod options;
#[cfg(feature = "serde")]
mod serde_impls;
mod span;
mod start_line;
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
/// The validator's entry points at the crate root (the documented contract:
/// `sip_response::validate(&Response, &Context) -> Report`).
pub use validate::{validate, validate_into};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
