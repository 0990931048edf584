//! Call-ID (RFC 3261 §20.8): the dialog / registration identifier.
//!
//! ```text
//! Call-ID = ( "Call-ID" / "i" ) HCOLON callid
//! callid  = word [ "@" word ]
//! word    = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" /
//!              "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}")
//! ```

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::header::typed::TypedHeader;
use crate::header::KnownHeader;
use crate::lex;
use crate::Span;

/// Call-ID (RFC 3261 §20.8, §25.1: `word ["@" word]`).
///
/// Two levels, because real Call-IDs often break the `word` grammar in
/// harmless ways (base64 `=` padding, a second `@`) while still working as
/// opaque byte-compared identifiers:
///
/// - [`parse`](TypedHeader::parse) is liberal: it accepts any non-empty run
///   of visible ASCII or UTF-8 and fails only when the value is empty, holds
///   LWS (a space, tab or fold) or a control character, or is not UTF-8
///   (rule `call-id-empty-or-ws`: such a value cannot be one identifier).
/// - [`CallId::is_strict_word`] / [`CallId::strict_violation`] check the
///   exact `word ["@" word]` grammar for rule `call-id-chars` (a warning).
///
/// Call-IDs are case-sensitive and compared byte by byte (§20.8), so no
/// case folding is offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CallId<'a> {
    value: &'a str,
    span: Span,
}

impl<'a> CallId<'a> {
    /// The identifier as sent.
    pub fn as_str(&self) -> &'a str {
        self.value
    }

    /// The identifier's bytes as sent.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.value.as_bytes()
    }

    /// Absolute span of the identifier.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The part before the first `@` (the whole value when there is none).
    pub fn local(&self) -> &'a str {
        self.value.split('@').next().unwrap_or(self.value)
    }

    /// The part after the first `@`, if there is one.
    pub fn host(&self) -> Option<&'a str> {
        self.value.split_once('@').map(|(_, h)| h)
    }

    /// True when the value matches `word ["@" word]` exactly (RFC 3261 §25.1).
    pub fn is_strict_word(&self) -> bool {
        self.strict_violation().is_none()
    }

    /// Absolute offset of the first byte that breaks `word ["@" word]`: a
    /// byte outside `word`, a second `@`, or an `@` with an empty `word` on
    /// either side (then the offset of that `@`). `None` when strict.
    pub fn strict_violation(&self) -> Option<usize> {
        let b = self.value.as_bytes();
        let mut at: Option<usize> = None;
        for (i, &c) in b.iter().enumerate() {
            if c == b'@' {
                if at.is_some() || i == 0 || i + 1 == b.len() {
                    return Some(self.span.start + i);
                }
                at = Some(i);
            } else if !lex::is_word(c) {
                return Some(self.span.start + i);
            }
        }
        None
    }
}

impl<'a> TypedHeader<'a> for CallId<'a> {
    const NAME: KnownHeader = KnownHeader::CallId;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let v = lex::trim_lws(value);
        let start = lex::skip_lws(value, 0);
        if v.is_empty() {
            return Err(HeaderValueError::new(HeaderValueErrorKind::Empty, base));
        }
        if let Some(i) = v.iter().position(|&c| c <= 0x20 || c == 0x7f) {
            return Err(HeaderValueError::new(
                HeaderValueErrorKind::UnexpectedChar,
                base + start + i,
            ));
        }
        let s = core::str::from_utf8(v).map_err(|e| {
            HeaderValueError::new(
                HeaderValueErrorKind::UnexpectedChar,
                base + start + e.valid_up_to(),
            )
        })?;
        Ok(CallId {
            value: s,
            span: Span::new(base + start, base + start + v.len()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::HeaderValueErrorKind as K;
    use proptest::prelude::*;

    const BASE: usize = 77;

    #[test]
    fn corpus_values_parse_and_are_strict() {
        // RFC 4475 valid messages and response fixtures.
        let table: &[&str] = &[
            "wsinv.ndaksdj@192.0.2.1",
            "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{",
            "esc01.239409asdfakjkn23onasd0-3234",
            "escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd",
            "esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf",
            "lwsdisp.1234abcd@funky.example.com",
            "longreq.onereallyreallyreallyreallyreallyreallyreallyreallylongcallid",
            "dblreq.0ha0isnda977644900765@192.0.2.15",
            "semiuri.0ha0isndaksdj",
            "transports.kijh4akdnaqjkwendsasfdj",
            "3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..",
            "unreason.1234ksdfak3j2erwedfsASdf",
            "noreason.asndj203insdf99223ndf",
            "scalarlg.noase0of0234hn2qofoaf0232aewf2394r",
            "71846-1647924829-397430@fd17:625c:f037:2:a00:27ff:feb9:1521",
            "717B2539AD2002C9152DC497@0870ffffffff",
            "578222729-4665d775@578222732-4665d772",
            "lDfyXDPzYrxPTpqAz12DQ5..@179.43.150.26",
            "SD4909701-9ff11bf72eb4a347c92974d8fbbc2668-ao8o3i1",
            "9437892232b@foo.bar",
        ];
        for v in table {
            let c = CallId::parse(v.as_bytes(), BASE).unwrap_or_else(|e| panic!("{v}: {e}"));
            assert_eq!(c.as_str(), *v);
            assert_eq!(c.span(), Span::new(BASE, BASE + v.len()));
            assert!(c.is_strict_word(), "{v}");
        }
        let c = CallId::parse(b"a84b4c76e66710@pc33.atlanta.com", 0).unwrap();
        assert_eq!(
            (c.local(), c.host()),
            ("a84b4c76e66710", Some("pc33.atlanta.com"))
        );
        let c = CallId::parse(b"5E6Cykks9Q8hoKaqHXRaeWJr", 0).unwrap();
        assert_eq!((c.local(), c.host()), ("5E6Cykks9Q8hoKaqHXRaeWJr", None));
    }

    #[test]
    fn liberal_parse_strict_check() {
        // (input, relative offset of the strict violation)
        let table: &[(&[u8], Option<usize>)] = &[
            (b"abc==", Some(3)),
            (b"a@b@c", Some(3)),
            (b"@host", Some(0)),
            (b"local@", Some(5)),
            (b"a;b", Some(1)),
            (b"a,b", Some(1)),
            (b"a$b&c", Some(1)),
            ("caf\u{e9}@x".as_bytes(), Some(3)),
            (b"plain", None),
        ];
        for &(input, bad) in table {
            let c = CallId::parse(input, BASE).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(c.as_bytes(), input);
            assert_eq!(c.strict_violation(), bad.map(|i| BASE + i), "{input:?}");
            assert_eq!(c.is_strict_word(), bad.is_none());
        }
    }

    #[test]
    fn invalid_table() {
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            (b" \r\n ", K::Empty, 0),
            (b"abc def", K::UnexpectedChar, 3),
            (b"abc\tdef", K::UnexpectedChar, 3),
            (b"abc\r\n def", K::UnexpectedChar, 3),
            (b"ab\x00c", K::UnexpectedChar, 2),
            (b"ab\x7fc", K::UnexpectedChar, 2),
            (b"ab\x01c", K::UnexpectedChar, 2),
            (b"ab\xffc", K::UnexpectedChar, 2),
            (b"  ab\xc3", K::UnexpectedChar, 4),
        ];
        for &(input, kind, at) in table {
            let e = CallId::parse(input, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + at), "{input:?}");
        }
        // Surrounding LWS is not part of the value.
        let c = CallId::parse(b"  x@y \r\n ", BASE).unwrap();
        assert_eq!(c.span(), Span::new(BASE + 2, BASE + 5));
    }

    proptest! {
        #[test]
        fn prop_roundtrip(
            local in "[A-Za-z0-9.!%*_+`'~()<>:\\\\\"/\\[\\]?{}-]{1,20}",
            host in proptest::option::of("[A-Za-z0-9.:-]{1,20}"),
            lead in "[ \t]{0,2}",
        ) {
            let id = match &host { Some(h) => format!("{local}@{h}"), None => local.clone() };
            let s = format!("{lead}{id}");
            let c = CallId::parse(s.as_bytes(), 3).unwrap();
            prop_assert_eq!(c.as_str(), id.as_str());
            prop_assert_eq!(c.span(), Span::new(3 + lead.len(), 3 + s.len()));
            prop_assert!(c.is_strict_word());
            prop_assert_eq!(c.local(), local.as_str());
            prop_assert_eq!(c.host(), host.as_deref());
        }

        #[test]
        fn prop_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..32)) {
            match CallId::parse(&bytes, 1) {
                Ok(c) => {
                    prop_assert_eq!(&bytes[c.span().start - 1..c.span().end - 1], c.as_bytes());
                    if let Some(o) = c.strict_violation() {
                        prop_assert!(o >= c.span().start && o < c.span().end);
                    }
                }
                Err(e) => prop_assert!(e.offset() <= 1 + bytes.len()),
            }
        }
    }
}
