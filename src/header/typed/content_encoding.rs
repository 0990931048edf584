//! One Content-Encoding element (RFC 3261 §20.12, §25.1):
//!
//! ```text
//! Content-Encoding = ( "Content-Encoding" / "e" ) HCOLON
//!                    content-coding *(COMMA content-coding)
//! content-coding   = token
//! ```
//!
//! Content codings are compared ignoring case (RFC 3261 §20.12 defers to
//! HTTP, whose codings are case-insensitive).
//!
//! ```
//! use sip_response::header::typed::{ContentEncoding, TypedHeader};
//!
//! let e = ContentEncoding::parse(b"gzip", 4)?;
//! assert!(e.is("GZIP"));
//! assert_eq!(e.span().range(), 4..8);
//! # Ok::<(), sip_response::HeaderValueError>(())
//! ```

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::header::typed::TypedHeader;
use crate::header::KnownHeader;
use crate::Span;

/// One content coding applied to the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentEncoding<'a> {
    coding: &'a [u8],
    span: Span,
}

impl<'a> ContentEncoding<'a> {
    /// The coding as sent (a token, so ASCII).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.coding
    }

    /// True when the coding equals `other`, ignoring ASCII case.
    pub fn is(&self, other: &str) -> bool {
        self.coding.eq_ignore_ascii_case(other.as_bytes())
    }

    /// Absolute span of the coding.
    pub fn span(&self) -> Span {
        self.span
    }
}

impl<'a> TypedHeader<'a> for ContentEncoding<'a> {
    const NAME: KnownHeader = KnownHeader::ContentEncoding;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let mut cur = Cursor::new(value, base);
        if value.is_empty() {
            return Err(cur.err(HeaderValueErrorKind::Empty));
        }
        let coding = cur.expect_token()?;
        if !cur.at_end() {
            return Err(cur.err(HeaderValueErrorKind::Trailing));
        }
        Ok(ContentEncoding {
            coding,
            span: Span::new(base, base + coding.len()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HeaderValueErrorKind as K;

    #[test]
    fn tokens_only() {
        assert!(ContentEncoding::parse(b"x-custom.1", 0)
            .unwrap()
            .is("X-CUSTOM.1"));
        for (v, kind, at) in [
            (&b""[..], K::Empty, 0),
            (b"/gzip", K::ExpectedToken, 0),
            (b"gzip;q=1", K::Trailing, 4),
            (b"g zip", K::Trailing, 1),
        ] {
            let e = ContentEncoding::parse(v, 0).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, at), "{v:?}");
        }
    }
}
