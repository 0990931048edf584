//! Lines and the start of a header row (RFC 3261 §7.3.1, §25.1):
//!
//! ```text
//! message-header = field-name HCOLON field-value CRLF
//! field-name     = token      ; compact forms are one letter
//! ```
//!
//! [`line()`] is the one production that sees partial input: a stream may be
//! cut anywhere, so it uses nom's *streaming* semantics and answers
//! `Err::Incomplete` until a line feed arrives. It searches with memchr's
//! SSE2 searcher (the crate's `lex::find_byte`), the hottest loop of the parser.
//! A bare LF ends a line too (the scanner records it as a deviation).

use nom::error::ErrorKind;
use nom::{Err, Needed};

use super::text::{byte, token, wsp0};
use super::{fail, PResult};
use crate::lex;

/// One line, streaming: its content (without CR LF or a bare LF) and
/// whether it ended in a bare LF. No LF yet is `Err::Incomplete`.
#[inline]
pub fn line(i: &[u8]) -> PResult<'_, (&[u8], bool)> {
    match lex::find_byte(b'\n', i) {
        Some(nl) => {
            let crlf = nl > 0 && i[nl - 1] == b'\r';
            let content = &i[..nl - usize::from(crlf)];
            Ok((&i[nl + 1..], (content, !crlf)))
        }
        None => Err(Err::Incomplete(Needed::Unknown)),
    }
}

/// The bytes before the first LF, streaming, and the input after that LF:
/// the line search of the row scanner, which keeps its own note of a CR
/// that arrived in an earlier piece of the stream. No LF yet is
/// `Err::Incomplete`.
#[inline]
pub fn until_lf(i: &[u8]) -> PResult<'_, &[u8]> {
    match lex::find_byte(b'\n', i) {
        Some(nl) => Ok((&i[nl + 1..], &i[..nl])),
        None => Err(Err::Incomplete(Needed::Unknown)),
    }
}

/// The longest run of token bytes at the start of a row (possibly empty):
/// the field name as far as it goes. Reads eight bytes at a time while they
/// are letters and `-` (the crate's `lex::name_end`), the shape of nearly every name.
#[inline]
pub fn name_run(i: &[u8]) -> PResult<'_, &[u8]> {
    let n = lex::name_end(i, 0);
    Ok((&i[n..], &i[..n]))
}

/// `field-name`: a non-empty token.
pub fn field_name(i: &[u8]) -> PResult<'_, &[u8]> {
    token(i)
}

/// `*( SP / HTAB ) ":"`: the colon of HCOLON after a field name (the SWS
/// after it belongs to the value, which is read trimmed). Returns the input
/// after the colon.
#[inline]
pub fn colon_after_name(i: &[u8]) -> PResult<'_, u8> {
    let (j, _) = wsp0(i)?;
    byte(b':')(j)
}

/// `field-name *( SP / HTAB ) ":"`: the name of a well-formed row, and the
/// input after its colon. A row without a name or colon fails where the
/// name or the colon should be.
#[inline]
pub fn row_name(i: &[u8]) -> PResult<'_, &[u8]> {
    let (j, name) = name_run(i)?;
    if name.is_empty() {
        return fail(i, ErrorKind::AlphaNumeric);
    }
    let (k, _) = colon_after_name(j)?;
    Ok((k, name))
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // test tables
mod tests {
    use super::*;
    use nom::Err;

    #[test]
    fn lines() {
        assert_eq!(line(b"a\r\nb"), Ok((&b"b"[..], (&b"a"[..], false))));
        assert_eq!(line(b"a\nb"), Ok((&b"b"[..], (&b"a"[..], true))));
        assert_eq!(line(b"\r\n"), Ok((&b""[..], (&b""[..], false))));
        assert_eq!(line(b"\n"), Ok((&b""[..], (&b""[..], true))));
        assert!(matches!(line(b"abc\r"), Err(Err::Incomplete(_))));
        assert!(matches!(line(b""), Err(Err::Incomplete(_))));
        assert_eq!(line(b"a\rb\r\n").unwrap().1 .0, b"a\rb");
        assert_eq!(until_lf(b"a\r\nb"), Ok((&b"b"[..], &b"a\r"[..])));
        assert!(matches!(until_lf(b"a\r"), Err(Err::Incomplete(_))));
    }

    #[test]
    fn row_names() {
        let table: &[(&[u8], Option<(&[u8], &[u8])>)] = &[
            (b"Via: x", Some((b"Via", b" x"))),
            (b"v:x", Some((b"v", b"x"))),
            (b"X-Odd\t : 1", Some((b"X-Odd", b" 1"))),
            (
                b"X-Custom-Header-9.1!: v",
                Some((b"X-Custom-Header-9.1!", b" v")),
            ),
            (b": empty", None),
            (b"no colon here", None),
            (b"Via\r\n: x", None),
            (b"", None),
        ];
        for &(i, want) in table {
            let got = row_name(i).ok().map(|(r, n)| (n, r));
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(i));
        }
        assert_eq!(name_run(b": x").unwrap().1, b"");
        assert_eq!(field_name(b"Call-ID:").unwrap().1, b"Call-ID");
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn line_splits_at_the_first_lf(s in proptest::collection::vec(prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'a')], 0..20)) {
                match line(&s) {
                    Ok((rest, (content, bare))) => {
                        let nl = s.iter().position(|&b| b == b'\n').unwrap();
                        prop_assert_eq!(rest, &s[nl + 1..]);
                        prop_assert_eq!(bare, nl == 0 || s[nl - 1] != b'\r');
                        prop_assert_eq!(content.len(), nl - usize::from(!bare));
                    }
                    Err(_) => prop_assert!(!s.contains(&b'\n')),
                }
            }

            #[test]
            fn row_name_agrees_with_token(s in "[A-Za-z0-9.!%*_+`'~ \t:-]{0,20}") {
                let b = s.as_bytes();
                let n = lex::token_end(b, 0);
                let colon = lex::skip_lws(&b[..b.iter().position(|&c| c == b':').unwrap_or(b.len())], n);
                let want = n > 0 && b.get(colon) == Some(&b':') && b[n..colon].iter().all(|&c| lex::is_ws(c));
                prop_assert_eq!(row_name(b).is_ok(), want);
            }
        }
    }
}
