//! Zero-copy SIP (RFC 3261) response parser and RFC-cited validator.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod code;
pub mod decoder;
pub mod error;
pub mod forward;
mod framing;
pub mod header;
mod lex;
mod message;
mod options;
mod span;
mod start_line;
pub mod validate;

pub use code::StatusCode;
#[cfg(feature = "tokio-codec")]
pub use decoder::DecodeError;
pub use decoder::{MessageDecoder, ResponseDecoder};
pub use error::{HeaderValueError, HeaderValueErrorKind, ParseError, ParseErrorKind};
pub use forward::{forward_upstream, ForwardOptions, Forwarded, Refusal, Refused};
pub use framing::Deviations;
pub use header::{Header, HeaderName, Headers, KnownHeader};
pub use message::{
    parse_message, parse_response, parse_response_partial, Message, OwnedMessage, OwnedResponse,
    Progress, Request, Response,
};
pub use options::{Framing, Limits, ParseOptions};
pub use span::Span;
