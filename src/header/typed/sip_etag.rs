//! SIP-ETag (RFC 3903 §11.3.1): the entity-tag a PUBLISH's 2xx assigns to
//! the published state.
//!
//! ```text
//! SIP-ETag    = "SIP-ETag" HCOLON entity-tag
//! entity-tag  = token
//! ```
//!
//! Unlike HTTP's entity-tag, a SIP one is a bare token: a quoted value is
//! one malformed tag, not a quoted one.

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar;
use crate::header::typed::TypedHeader;
use crate::header::KnownHeader;
use crate::Span;

/// A SIP-ETag value: one `token`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SipEtag<'a> {
    value: &'a [u8],
    span: Span,
}

impl<'a> SipEtag<'a> {
    /// The entity-tag as sent (compared byte for byte).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.value
    }

    /// Absolute span of the entity-tag.
    pub fn span(&self) -> Span {
        self.span
    }
}

impl<'a> TypedHeader<'a> for SipEtag<'a> {
    const NAME: KnownHeader = KnownHeader::SipETag;

    /// `Empty` for an empty value; `UnexpectedChar` at the first byte that
    /// ends the token (a quote, a comma or LWS before a second tag, ...).
    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        use HeaderValueErrorKind as K;
        let start = crate::lex::skip_lws(value, 0).min(value.len());
        let v = &value[start..];
        if crate::lex::trim_lws(v).is_empty() {
            return Err(HeaderValueError::new(K::Empty, base + start));
        }
        let (rest, tag) = grammar::text::token(v)
            .map_err(|_| HeaderValueError::new(K::UnexpectedChar, base + start))?;
        if !crate::lex::trim_lws(rest).is_empty() {
            let at = start + tag.len();
            return Err(HeaderValueError::new(K::UnexpectedChar, base + at));
        }
        Ok(SipEtag {
            value: tag,
            span: Span::new(base + start, base + start + tag.len()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HeaderValueErrorKind as K;

    #[test]
    fn entity_tags() {
        let t = SipEtag::parse(b" dx200xyz ", 10).unwrap();
        assert_eq!(
            (t.as_bytes(), t.span()),
            (&b"dx200xyz"[..], Span::new(11, 19))
        );
        for (v, kind, at) in [
            (&b""[..], K::Empty, 0),
            (b"  ", K::Empty, 2),
            (b"\"dx200xyz\"", K::UnexpectedChar, 0),
            (b"a, b", K::UnexpectedChar, 1),
            (b"a b", K::UnexpectedChar, 1),
            (b"a;b", K::UnexpectedChar, 1),
        ] {
            let e = SipEtag::parse(v, 0).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (kind, at),
                "{:?}",
                String::from_utf8_lossy(v)
            );
        }
    }
}
