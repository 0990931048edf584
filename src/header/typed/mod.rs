//! Typed, zero-copy header values: one file per header, each citing its ABNF.
//!
//! A typed value borrows from the message, is parsed only when asked for
//! (`headers.typed::<Via>()`), and fails locally with a located
//! [`HeaderValueError`]: a malformed value never sinks the message.

use crate::error::HeaderValueError;
use crate::header::KnownHeader;

/// A header value type that can be parsed from the bytes of one value.
///
/// For list headers ([`ListKind::List`](crate::header::ListKind::List)) one
/// value is one comma-separated element; for every other header it is the
/// whole row's value.
pub trait TypedHeader<'a>: Sized {
    /// The header this type is read from.
    const NAME: KnownHeader;

    /// Parses one value. `value` is trimmed of surrounding LWS and may contain
    /// folds (CRLF + SP/HTAB, to be read as LWS); `base` is the absolute
    /// offset of `value[0]` in the message buffer, so every span and error
    /// offset the result carries points into the caller's buffer.
    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError>;
}

// Addresses: hosts, URIs, name-addr and the headers built on them.
pub mod host;
pub use host::{Host, HostKind, HostPort};
pub mod uri;
pub use uri::{Uri, UriKind, UriParam, UriParamIter, UriParams};
pub mod name_addr;
pub use name_addr::NameAddr;
pub mod from_to;
pub use from_to::{FromHeader, ToHeader};
pub mod contact;
pub use contact::Contact;
pub mod route;
pub use route::{RecordRoute, Route};
pub mod via;
pub use via::Via;
#[cfg(test)]
mod addr_gen;
