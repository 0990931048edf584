//! Content-Type (RFC 3261 §20.15): the media type of the body, plus the
//! `type/subtype` scanner shared with Accept.
//!
//! ```text
//! Content-Type = ( "Content-Type" / "c" ) HCOLON media-type
//! media-type   = m-type SLASH m-subtype *(SEMI m-parameter)
//! m-type       = discrete-type / composite-type        ; all tokens
//! m-subtype    = extension-token / iana-token          ; all tokens
//! m-parameter  = m-attribute EQUAL m-value
//! m-value      = token / quoted-string
//! SLASH        = SWS "/" SWS
//! ```

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::grammar::{Defect, Defects, Part};
use crate::header::param::{scan_params, LaxParams, Param, Params};
use crate::header::typed::number::{finish, start_value};
use crate::header::typed::scan::{ascii, bad_param, read_head_params_lax, spanned_token};
use crate::header::typed::{LaxHeader, LaxReading, TypedHeader};
use crate::header::KnownHeader;
use crate::Span;

/// A `type/subtype` pair with spans (shared by Content-Type and Accept).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MediaPair<'a> {
    pub(crate) ty: &'a str,
    pub(crate) ty_span: Span,
    pub(crate) sub: &'a str,
    pub(crate) sub_span: Span,
}

impl MediaPair<'_> {
    /// True when the pair is `ty/sub` ignoring ASCII case: media types,
    /// subtypes and ranges are case-insensitive (RFC 3261 §7.3.1, RFC 2045
    /// §5.1), for Content-Type and Accept alike.
    pub(crate) fn is(&self, ty: &str, sub: &str) -> bool {
        self.ty.eq_ignore_ascii_case(ty) && self.sub.eq_ignore_ascii_case(sub)
    }
}

/// Scans `token SLASH token` (LWS allowed around the slash, RFC 3261 §25.1
/// `SLASH = SWS "/" SWS`). A missing slash is `Missing` at the end of the
/// value or `UnexpectedChar` at the offending byte.
pub(crate) fn scan_media_pair<'a>(cur: &mut Cursor<'a>) -> Result<MediaPair<'a>, HeaderValueError> {
    let (ty, ty_span) = spanned_token(cur)?;
    cur.skip_lws();
    match cur.peek() {
        Some(b'/') => cur.pos += 1,
        None => return Err(cur.err(HeaderValueErrorKind::Missing)),
        Some(_) => return Err(cur.err(HeaderValueErrorKind::UnexpectedChar)),
    }
    cur.skip_lws();
    let (sub, sub_span) = spanned_token(cur)?;
    Ok(MediaPair {
        ty: ascii(ty),
        ty_span,
        sub: ascii(sub),
        sub_span,
    })
}

/// Content-Type (RFC 3261 §20.15): `m-type SLASH m-subtype *(SEMI m-parameter)`.
///
/// Type, subtype and parameter names are case-insensitive (§7.3.1, RFC 2045
/// §5.1), so [`ContentType::is`] compares ignoring ASCII case while the
/// accessors return the bytes as sent. Each `m-parameter` must have a value
/// (§25.1 has no value-less form): `text/plain;charset` is `BadParam`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentType<'a> {
    pair: MediaPair<'a>,
    params: Params<'a>,
}

impl<'a> ContentType<'a> {
    /// The top-level type as sent (`application`).
    pub fn media_type(&self) -> &'a str {
        self.pair.ty
    }

    /// Absolute span of the top-level type.
    pub fn media_type_span(&self) -> Span {
        self.pair.ty_span
    }

    /// The subtype as sent (`sdp`).
    pub fn subtype(&self) -> &'a str {
        self.pair.sub
    }

    /// Absolute span of the subtype.
    pub fn subtype_span(&self) -> Span {
        self.pair.sub_span
    }

    /// The `m-parameter`s (`charset`, `boundary`, ...).
    pub fn params(&self) -> Params<'a> {
        self.params
    }

    /// True when the media type is `ty/subtype`, ignoring ASCII case.
    pub fn is(&self, ty: &str, subtype: &str) -> bool {
        self.pair.is(ty, subtype)
    }

    /// True for `application/sdp`, the session description type of the
    /// offer/answer model (RFC 3261 §13.3.1.4, RFC 3264).
    pub fn is_sdp(&self) -> bool {
        self.is("application", "sdp")
    }

    /// Absolute span from the type through the last parameter.
    pub fn span(&self) -> Span {
        let end = if self.params.is_empty() {
            self.pair.sub_span.end
        } else {
            self.params.span().end
        };
        Span::new(self.pair.ty_span.start, end)
    }
}

/// A lax reading of Content-Type ([`ContentType::parse_lax`]): the media
/// type and each parameter on their own; a bad `type/subtype` is a
/// [`Part::MediaType`] defect, a malformed parameter a [`Part::Param`] one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentTypeLax<'a> {
    pair: Option<MediaPair<'a>>,
    params: LaxParams<'a>,
    defects: Defects,
}

impl<'a> ContentTypeLax<'a> {
    /// The media type (`application`), when `type/subtype` reads.
    pub fn media_type(&self) -> Option<&'a str> {
        self.pair.map(|p| p.ty)
    }

    /// The subtype (`sdp`), when `type/subtype` reads.
    pub fn subtype(&self) -> Option<&'a str> {
        self.pair.map(|p| p.sub)
    }

    /// Absolute span of `type/subtype`.
    pub fn media_span(&self) -> Option<Span> {
        self.pair
            .map(|p| Span::new(p.ty_span.start, p.sub_span.end))
    }

    /// True when the media type is `ty/sub` (ignoring ASCII case).
    pub fn is(&self, ty: &str, sub: &str) -> bool {
        self.pair.is_some_and(|p| p.is(ty, sub))
    }

    /// The well-formed parameters.
    pub fn params(&self) -> LaxParams<'a> {
        self.params
    }

    /// The defects found (empty: the value is valid).
    pub fn defects(&self) -> &Defects {
        &self.defects
    }
}

impl LaxReading for ContentTypeLax<'_> {
    fn defects(&self) -> &Defects {
        &self.defects
    }
}

impl<'a> ContentType<'a> {
    /// Reads the value laxly (see [`ContentTypeLax`]).
    pub fn parse_lax(value: &'a [u8], base: usize) -> ContentTypeLax<'a> {
        let mut r = read_head_params_lax(value, base, Part::MediaType, &[], scan_media_pair);
        // `m-parameter = m-attribute EQUAL m-value`: unlike a generic-param,
        // a media-type parameter needs its value (the strict reading's rule).
        for p in r.params.iter().filter(|p| p.value().is_none()) {
            let e = bad_param(&p);
            r.defects.push(Defect::new(Part::Param, p.span(), e.kind()));
        }
        // Other lenient values are already noted by the scan.
        for p in r.params.iter() {
            if bracketed_value(&p) {
                r.defects.push(Defect::new(
                    Part::Param,
                    p.span(),
                    HeaderValueErrorKind::BadParam,
                ));
            }
        }
        ContentTypeLax {
            pair: r.head,
            params: r.params,
            defects: r.defects,
        }
    }
}

impl<'a> LaxHeader<'a> for ContentType<'a> {
    type Lax = ContentTypeLax<'a>;
    fn parse_lax(value: &'a [u8], base: usize) -> ContentTypeLax<'a> {
        ContentType::parse_lax(value, base)
    }
}

impl<'a> TypedHeader<'a> for ContentType<'a> {
    const NAME: KnownHeader = KnownHeader::ContentType;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let mut cur = Cursor::new(value, base);
        start_value(&mut cur)?;
        let pair = scan_media_pair(&mut cur)?;
        let params = scan_params(&mut cur)?;
        finish(&mut cur)?;
        if let Some(p) = params.iter().find(|p| p.value().is_none()) {
            return Err(bad_param(&p));
        }
        if let Some(p) = params.iter().find(bracketed_value) {
            let at = p.value_span().map_or(p.span().start, |s| s.start);
            return Err(HeaderValueError::new(HeaderValueErrorKind::BadParam, at));
        }
        Ok(ContentType { pair, params })
    }
}

/// A parameter whose value is bracketed (`[2001:db8::1]`, a generic
/// parameter's IPv6 reference): `m-value = token / quoted-string` has no
/// `host` form, so both readings refuse it.
fn bracketed_value(p: &Param<'_>) -> bool {
    !p.is_quoted() && p.value().is_some_and(|v| v.first() == Some(&b'['))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lax_content_type() {
        use crate::error::HeaderValueErrorKind as K;
        let c = ContentType::parse_lax(b"application/sdp;charset=utf-8", 0);
        assert!(c.is("APPLICATION", "SDP") && c.defects().is_empty());
        assert_eq!(
            c.params().get("charset").and_then(|p| p.value()),
            Some(&b"utf-8"[..])
        );
        assert_eq!(c.media_span(), Some(Span::new(0, 15)));
        let c = ContentType::parse_lax(b"application;charset=utf-8", 5);
        assert_eq!(c.media_type(), None);
        let d = c.defects().first().unwrap();
        assert_eq!(
            (d.part, d.kind, d.span.range()),
            (Part::MediaType, K::UnexpectedChar, 5..16)
        );
        assert_eq!(c.params().len(), 1, "the parameters still read");
        let c = ContentType::parse_lax(b"text/plain;=x;a=1 z", 0);
        let parts: Vec<Part> = c.defects().iter().map(|d| d.part).collect();
        assert_eq!(parts, [Part::Param, Part::Value]);
        assert_eq!(c.subtype(), Some("plain"));
        for v in [&b"a/b"[..], b"a/b;c=d", b"a", b"/b", b"a/b;", b""] {
            assert_eq!(
                ContentType::parse_lax(v, 0).defects().is_empty(),
                ContentType::parse(v, 0).is_ok(),
                "{:?}",
                String::from_utf8_lossy(v)
            );
        }
    }
    use crate::error::HeaderValueErrorKind as K;
    use proptest::prelude::*;

    type Row = (
        &'static [u8],
        &'static str,
        &'static str,
        (usize, usize),
        (usize, usize),
        usize,
    );

    const BASE: usize = 500;

    #[test]
    fn valid_table() {
        // (input, type, subtype, type span, subtype span, param count), relative.
        let table: &[Row] = &[
            (
                b"application/sdp",
                "application",
                "sdp",
                (0, 11),
                (12, 15),
                0,
            ),
            (
                b"application/octet-stream",
                "application",
                "octet-stream",
                (0, 11),
                (12, 24),
                0,
            ),
            (
                b"application/vnd.3gpp.sms",
                "application",
                "vnd.3gpp.sms",
                (0, 11),
                (12, 24),
                0,
            ),
            (
                b"application/unknownformat",
                "application",
                "unknownformat",
                (0, 11),
                (12, 25),
                0,
            ),
            (b"text/plain", "text", "plain", (0, 4), (5, 10), 0),
            (
                b"multipart/mixed;boundary=7a9cbec02ceef655",
                "multipart",
                "mixed",
                (0, 9),
                (10, 15),
                1,
            ), // mpart01
            (
                b"Application / SDP",
                "Application",
                "SDP",
                (0, 11),
                (14, 17),
                0,
            ),
            (
                b"text\r\n /\r\n plain ; charset = \"utf-8\" ;x=1",
                "text",
                "plain",
                (0, 4),
                (11, 16),
                2,
            ),
        ];
        for &(input, t, s, ts, ss, n) in table {
            let c = ContentType::parse(input, BASE).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!((c.media_type(), c.subtype()), (t, s), "{input:?}");
            assert_eq!(
                c.media_type_span(),
                Span::new(BASE + ts.0, BASE + ts.1),
                "{input:?}"
            );
            assert_eq!(
                c.subtype_span(),
                Span::new(BASE + ss.0, BASE + ss.1),
                "{input:?}"
            );
            assert_eq!(c.params().len(), n, "{input:?}");
            assert_eq!(c.span().end, BASE + input.len(), "{input:?}");
        }
        let c = ContentType::parse(b"multipart/mixed;boundary=7a9cbec02ceef655", 0).unwrap();
        let b = c.params().get("Boundary").unwrap();
        assert_eq!(b.value(), Some(&b"7a9cbec02ceef655"[..]));
        assert_eq!(b.value_span().unwrap(), Span::new(25, 41));
        assert!(c.is("MULTIPART", "Mixed"));
        assert!(!c.is_sdp());
        assert!(ContentType::parse(b"APPLICATION/Sdp", 0).unwrap().is_sdp());
        assert!(!ContentType::parse(b"application/sdpx", 0).unwrap().is_sdp());
    }

    #[test]
    fn invalid_table() {
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            (b"application", K::Missing, 11),
            (b"application ", K::Missing, 12),
            (b"application;x=1", K::UnexpectedChar, 11),
            (b"application/", K::ExpectedToken, 12),
            (b"/sdp", K::ExpectedToken, 0),
            (b"application/sdp x", K::Trailing, 16),
            (b"application/sdp, text/plain", K::Trailing, 15),
            (b"text/plain;charset", K::BadParam, 18),
            (b"text/plain;", K::BadParam, 11),
            (b"text/plain;a=\"x", K::UnterminatedQuote, 13),
            (b"text/pl@in", K::Trailing, 7),
        ];
        for &(input, kind, at) in table {
            let e = ContentType::parse(input, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + at), "{input:?}");
        }
    }

    fn lws() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(""),
            Just(" "),
            Just("\t"),
            Just("\r\n "),
            Just(" \r\n\t")
        ]
        .prop_map(str::to_string)
    }

    proptest! {
        #[test]
        fn prop_roundtrip(
            t in "[A-Za-z][A-Za-z0-9.+-]{0,10}",
            s in "[A-Za-z][A-Za-z0-9.+-]{0,10}",
            a in lws(), b in lws(),
            params in proptest::collection::vec(("[a-z]{1,6}", "[A-Za-z0-9]{1,6}"), 0..4),
        ) {
            let mut v = format!("{t}{a}/{b}{s}");
            for (n, val) in &params {
                v.push_str(&format!("{a};{b}{n}={val}"));
            }
            let c = ContentType::parse(v.as_bytes(), 3).unwrap();
            prop_assert_eq!(c.media_type(), t.as_str());
            prop_assert_eq!(c.subtype(), s.as_str());
            let sp = c.subtype_span();
            prop_assert_eq!(&v.as_bytes()[sp.start - 3..sp.end - 3], s.as_bytes());
            prop_assert_eq!(c.params().len(), params.len());
            prop_assert!(c.is(&t.to_uppercase(), &s.to_lowercase()));
        }

        #[test]
        fn prop_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..48)) {
            let end = 4 + bytes.len();
            match ContentType::parse(&bytes, 4) {
                Ok(c) => {
                    prop_assert!(c.span().end <= end);
                    for p in c.params().iter() {
                        prop_assert!(p.span().end <= end);
                    }
                }
                Err(e) => prop_assert!(e.offset() <= end),
            }
        }
    }
}
