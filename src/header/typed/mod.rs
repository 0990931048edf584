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

/// A typed header that also has a lax reading: every part that reads plus
/// the located [`Defects`](crate::grammar::Defects) of the parts that do
/// not, so one defect never hides the rest of the value (see
/// [`crate::grammar::defect`]).
pub trait LaxHeader<'a>: TypedHeader<'a> {
    /// What the lax reading yields.
    type Lax: LaxReading;

    /// Reads one value laxly (same input contract as [`TypedHeader::parse`]).
    /// Never fails and never allocates.
    fn parse_lax(value: &'a [u8], base: usize) -> Self::Lax;
}

/// The result of a lax reading.
pub trait LaxReading {
    /// The defects found, in the order of the value (empty: the value is valid).
    fn defects(&self) -> &crate::grammar::Defects;
}

pub mod warning;
pub use warning::Warning;

pub mod date;
pub use date::Date;

pub mod reason;
pub use reason::{Reason, ReasonProtocol};

pub mod security;
pub use security::SecurityServer;

pub mod auth;
pub use auth::{
    AuthParam, AuthParams, Challenge, ChallengeLax, ProxyAuthenticate, WwwAuthenticate,
};
// Scalar and token-list headers (branch typed-scalar).
pub mod call_id;
pub mod content_length;
pub mod content_type;
pub mod cseq;
pub mod max_forwards;
pub mod number;
pub mod retry_after;
pub mod session_expires;
pub mod token_list;

pub use call_id::CallId;
pub use content_length::ContentLength;
pub use content_type::{ContentType, ContentTypeLax};
pub use cseq::{CSeq, CSeqLax};
pub use max_forwards::MaxForwards;
pub use number::{DeltaSeconds, Expires, MinExpires, MinSe, RSeq};
pub use retry_after::RetryAfter;
pub use session_expires::{Refresher, SessionExpires, SessionExpiresLax};
pub use token_list::{
    Accept, AcceptEncoding, AcceptLanguage, Allow, AllowEvents, ProxyRequire, Require, Supported,
    TokenListLax, Unsupported,
};
// Addresses: hosts, URIs, name-addr and the headers built on them.
pub mod host;
pub use host::{Host, HostKind, HostPort};
pub mod uri;
mod uri_match;
pub use uri::{Uri, UriKind, UriParam, UriParamIter, UriParams};
pub(crate) use uri_match::params_match;
pub mod name_addr;
pub use name_addr::{NameAddr, NameAddrLax};
pub mod from_to;
pub use from_to::{FromHeader, ToHeader};
pub mod contact;
pub use contact::Contact;
pub mod route;
pub use route::{RecordRoute, Route};
pub mod via;
pub use via::{Via, ViaLax};
pub mod call_info;
pub use call_info::CallInfo;
pub mod content_encoding;
pub use content_encoding::ContentEncoding;
pub mod timestamp;
pub use timestamp::Timestamp;
pub mod sip_etag;
pub use sip_etag::SipEtag;
// Not `#[cfg(test)] mod addr_gen;`: the file carries `#![cfg(test)]`
// itself, so that every build reads it and a change to it makes the
// `validate` example newer too (tests/common::example_exe compares their
// times).
mod addr_gen;
mod scan;
pub use scan::ValueLax;
mod one_part_lax;
