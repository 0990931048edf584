//! Zero-copy SIP (RFC 3261) response parser and RFC-cited validator.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod code;
pub mod error;
pub mod header;
mod lex;
mod span;
pub mod validate;

pub use code::StatusCode;
pub use error::{HeaderValueError, HeaderValueErrorKind, ParseError, ParseErrorKind};
pub use span::Span;
