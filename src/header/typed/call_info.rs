//! One Call-Info element (RFC 3261 §20.9, §25.1):
//!
//! ```text
//! Call-Info  = "Call-Info" HCOLON info *(COMMA info)
//! info       = LAQUOT absoluteURI RAQUOT *( SEMI info-param)
//! info-param = ( "purpose" EQUAL ( "icon" / "info" / "card" / token ) )
//!              / generic-param
//! ```
//!
//! The angle brackets are required and nothing may precede them (there is
//! no display name). Any URI scheme is accepted.
//!
//! ```
//! use sip_response::header::typed::{CallInfo, TypedHeader};
//!
//! let c = CallInfo::parse(b"<http://wwww.example.com/alice/photo.jpg> ;purpose=icon", 0)?;
//! assert_eq!(c.uri().as_bytes(), b"http://wwww.example.com/alice/photo.jpg");
//! assert_eq!(c.purpose(), Some(&b"icon"[..]));
//! # Ok::<(), sip_response::HeaderValueError>(())
//! ```

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::header::param::{scan_params, Params};
use crate::header::typed::{TypedHeader, Uri};
use crate::header::KnownHeader;
use crate::lex;
use crate::Span;

/// One Call-Info element: a URI with information about the caller or
/// callee, and its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallInfo<'a> {
    uri: Uri<'a>,
    params: Params<'a>,
    span: Span,
}

impl<'a> CallInfo<'a> {
    /// The URI between the angle brackets.
    pub fn uri(&self) -> Uri<'a> {
        self.uri
    }

    /// The `info-param`s.
    pub fn params(&self) -> Params<'a> {
        self.params
    }

    /// The `purpose` value as sent, when present.
    pub fn purpose(&self) -> Option<&'a [u8]> {
        self.params.get("purpose").and_then(|p| p.value())
    }

    /// Absolute span of the element.
    pub fn span(&self) -> Span {
        self.span
    }
}

impl<'a> TypedHeader<'a> for CallInfo<'a> {
    const NAME: KnownHeader = KnownHeader::CallInfo;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        use HeaderValueErrorKind as K;
        let mut cur = Cursor::new(value, base);
        cur.skip_lws();
        if cur.at_end() {
            return Err(cur.err(K::Empty));
        }
        let lt = cur.pos;
        if !cur.eat(b'<') {
            return Err(cur.err(K::UnexpectedChar));
        }
        let gt = value[lt..]
            .iter()
            .position(|&b| b == b'>')
            .map(|i| lt + i)
            .ok_or_else(|| cur.err_at(K::UnterminatedAngle, lt))?;
        let uri = Uri::parse(&value[lt + 1..gt], base + lt + 1)?;
        cur.pos = gt + 1;
        let params = scan_params(&mut cur)?;
        if let Some(p) = params.get("purpose") {
            if !p.value().is_some_and(lex::is_token_str) {
                return Err(HeaderValueError::new(K::BadParam, p.name_span().start));
            }
        }
        let end = cur.pos;
        cur.skip_lws();
        if !cur.at_end() {
            return Err(cur.err(K::Trailing));
        }
        Ok(CallInfo {
            uri,
            params,
            span: Span::new(base + lt, base + end),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HeaderValueErrorKind as K;

    #[test]
    fn valid_and_invalid() {
        let c = CallInfo::parse(b"<https://x.example/card> ;purpose=jwscard;x=\"y\"", 5).unwrap();
        assert_eq!(c.uri().as_bytes(), b"https://x.example/card");
        assert_eq!(c.purpose(), Some(&b"jwscard"[..]));
        assert_eq!(c.span().range(), 5..52);
        for (v, kind, at) in [
            (&b""[..], K::Empty, 0),
            (b"http://x.example/a", K::UnexpectedChar, 0),
            (b"<http://x.example/a", K::UnterminatedAngle, 0),
            (b"<>", K::Empty, 1),
            (b"<http://x>;purpose=", K::BadParam, 19),
            (b"<http://x>;purpose=\"icon\"", K::BadParam, 11),
            (b"<http://x> junk", K::Trailing, 11),
        ] {
            let e = CallInfo::parse(v, 0).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, at), "{v:?}");
        }
    }
}
