//! Tokens, quoted strings, comments, white space and the separators built on
//! them (RFC 3261 §25.1):
//!
//! ```text
//! token         = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
//! word          = 1*(token chars / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE
//!                    / "/" / "[" / "]" / "?" / "{" / "}")
//! LWS           = [*WSP CRLF] 1*WSP      SWS = [LWS]
//! quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE
//! comment       = LPAREN *(ctext / quoted-pair / comment) RPAREN
//! HCOLON        = *( SP / HTAB ) ":" SWS
//! SEMI = SWS ";" SWS   EQUAL = SWS "=" SWS   SLASH = SWS "/" SWS
//! COLON = SWS ":" SWS  COMMA = SWS "," SWS   LAQUOT = SWS "<"   RAQUOT = ">" SWS
//! ```
//!
//! `quoted-string` here starts at the quote (callers skip SWS first, as they
//! must know where the quote is to report it); a `comment` nests at most
//! [`MAX_COMMENT_DEPTH`] deep, so hostile nesting is a plain error.

use nom::error::ErrorKind;

use super::{fail, PResult};
use crate::lex;

/// Deepest nesting of `comment` accepted (bounds the work on hostile input).
pub const MAX_COMMENT_DEPTH: usize = lex::MAX_COMMENT_DEPTH;

/// Takes the longest run of bytes in `class` (possibly empty).
#[inline]
fn run0(i: &[u8], class: impl Fn(u8) -> bool) -> PResult<'_, &[u8]> {
    let n = i.iter().position(|&b| !class(b)).unwrap_or(i.len());
    Ok((&i[n..], &i[..n]))
}

/// Takes the longest non-empty run of bytes in `class`.
#[inline]
fn run1(i: &[u8], class: impl Fn(u8) -> bool, kind: ErrorKind) -> PResult<'_, &[u8]> {
    let n = i.iter().position(|&b| !class(b)).unwrap_or(i.len());
    if n == 0 {
        return fail(i, kind);
    }
    Ok((&i[n..], &i[..n]))
}

/// `token`.
#[inline]
pub fn token(i: &[u8]) -> PResult<'_, &[u8]> {
    run1(i, lex::is_token, ErrorKind::AlphaNumeric)
}

/// `word` (Call-ID).
pub fn word(i: &[u8]) -> PResult<'_, &[u8]> {
    run1(i, lex::is_word, ErrorKind::AlphaNumeric)
}

/// `1*DIGIT`, as bytes.
#[inline]
pub fn digits(i: &[u8]) -> PResult<'_, &[u8]> {
    run1(i, lex::is_digit, ErrorKind::Digit)
}

/// `LWS` inside a value: at least one SP, HTAB, CR or LF (folds are LWS).
#[inline]
pub fn lws(i: &[u8]) -> PResult<'_, &[u8]> {
    run1(i, lex::is_lws, ErrorKind::Space)
}

/// `SWS`: optional LWS.
#[inline]
pub fn sws(i: &[u8]) -> PResult<'_, &[u8]> {
    run0(i, lex::is_lws)
}

/// `*( SP / HTAB )`: white space that may not fold (start lines, before
/// HCOLON).
#[inline]
pub fn wsp0(i: &[u8]) -> PResult<'_, &[u8]> {
    run0(i, lex::is_ws)
}

/// `1*( SP / HTAB )`.
#[inline]
pub fn wsp1(i: &[u8]) -> PResult<'_, &[u8]> {
    run1(i, lex::is_ws, ErrorKind::Space)
}

/// One `quoted-string`, starting at its opening quote, quotes included.
/// Honours `quoted-pair`; a quoted-pair may not escape CR or LF. An
/// unterminated string fails at its opening quote, a bad escape at the
/// backslash.
pub fn quoted_string(i: &[u8]) -> PResult<'_, &[u8]> {
    if i.first() != Some(&b'"') {
        return fail(i, ErrorKind::Char);
    }
    match lex::quoted_string_end(i, 0) {
        Ok(end) => Ok((&i[end..], &i[..end])),
        Err(at) => fail(&i[at..], ErrorKind::Escaped),
    }
}

/// One `comment`, starting at its `(`, parentheses included; nested
/// comments and quoted-pairs are honoured, nesting deeper than
/// [`MAX_COMMENT_DEPTH`] fails at the `(` that goes too deep, an unclosed
/// comment at its first `(`.
pub fn comment(i: &[u8]) -> PResult<'_, &[u8]> {
    if i.first() != Some(&b'(') {
        return fail(i, ErrorKind::Char);
    }
    match lex::comment_end(i, 0) {
        Ok(end) => Ok((&i[end..], &i[..end])),
        Err(at) => fail(&i[at..], ErrorKind::TooLarge),
    }
}

/// The byte `c`.
#[inline]
pub fn byte(c: u8) -> impl Fn(&[u8]) -> PResult<'_, u8> {
    move |i: &[u8]| match i.first() {
        Some(&b) if b == c => Ok((&i[1..], b)),
        _ => fail(i, ErrorKind::Char),
    }
}

/// `SWS c SWS`: the separators SEMI, EQUAL, SLASH, COLON, COMMA.
#[inline]
pub fn sep(c: u8) -> impl Fn(&[u8]) -> PResult<'_, u8> {
    move |i: &[u8]| {
        let (j, _) = sws(i)?;
        match j.first() {
            Some(&b) if b == c => {
                let (k, _) = sws(&j[1..])?;
                Ok((k, b))
            }
            _ => fail(j, ErrorKind::Char),
        }
    }
}

/// `SEMI = SWS ";" SWS`.
pub fn semi(i: &[u8]) -> PResult<'_, u8> {
    sep(b';')(i)
}

/// `EQUAL = SWS "=" SWS`.
pub fn equal(i: &[u8]) -> PResult<'_, u8> {
    sep(b'=')(i)
}

/// `SLASH = SWS "/" SWS`.
pub fn slash(i: &[u8]) -> PResult<'_, u8> {
    sep(b'/')(i)
}

/// `COLON = SWS ":" SWS`.
pub fn colon(i: &[u8]) -> PResult<'_, u8> {
    sep(b':')(i)
}

/// `COMMA = SWS "," SWS`.
pub fn comma(i: &[u8]) -> PResult<'_, u8> {
    sep(b',')(i)
}

/// `LAQUOT = SWS "<"`.
pub fn laquot(i: &[u8]) -> PResult<'_, u8> {
    let (j, _) = sws(i)?;
    byte(b'<')(j)
}

/// `RAQUOT = ">" SWS`.
pub fn raquot(i: &[u8]) -> PResult<'_, u8> {
    let (j, b) = byte(b'>')(i)?;
    let (k, _) = sws(j)?;
    Ok((k, b))
}

/// `HCOLON = *( SP / HTAB ) ":" SWS`.
#[inline]
pub fn hcolon(i: &[u8]) -> PResult<'_, u8> {
    let (j, _) = wsp0(i)?;
    match j.first() {
        Some(&b':') => {
            let (k, _) = sws(&j[1..])?;
            Ok((k, b':'))
        }
        _ => fail(j, ErrorKind::Char),
    }
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // test tables
mod tests {
    use super::*;
    use crate::grammar::{error_offset, offset};
    use nom::Parser;

    type Table<'a> = &'a [(&'a [u8], Option<(&'a [u8], &'a [u8])>)];

    fn check(p: impl Fn(&[u8]) -> PResult<'_, &[u8]>, table: Table<'_>) {
        for &(input, want) in table {
            let got = p(input).ok().map(|(rest, o)| (o, rest));
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(input));
        }
    }

    #[test]
    fn tokens_words_digits() {
        check(
            token,
            &[
                (b"abc def", Some((b"abc", b" def"))),
                (b"z9hG4bK-.!%*_+`'~;x", Some((b"z9hG4bK-.!%*_+`'~", b";x"))),
                (b"", None),
                (b";a", None),
                (b"\"q\"", None),
            ],
        );
        check(
            word,
            &[
                (
                    b"a84b4c76e66710@pc33 x",
                    Some((b"a84b4c76e66710", b"@pc33 x")),
                ),
                (b"<x>:[y]? z", Some((b"<x>:[y]?", b" z"))),
                (b" x", None),
            ],
        );
        check(
            digits,
            &[(b"123a", Some((b"123", b"a"))), (b"a1", None), (b"", None)],
        );
    }

    #[test]
    fn white_space() {
        check(
            lws,
            &[(b" \r\n\tx", Some((b" \r\n\t", b"x"))), (b"x", None)],
        );
        check(
            sws,
            &[(b"x", Some((b"", b"x"))), (b"  x", Some((b"  ", b"x")))],
        );
        check(wsp0, &[(b" \t\r\n", Some((b" \t", b"\r\n")))]);
        check(wsp1, &[(b"\r\n", None), (b"\t1", Some((b"\t", b"1")))]);
    }

    #[test]
    fn quoted_strings() {
        check(
            quoted_string,
            &[
                (b"\"a\\\"b\" x", Some((b"\"a\\\"b\"", b" x"))),
                (b"\"\"", Some((b"\"\"", b""))),
                (b"\"a,b;c\"d", Some((b"\"a,b;c\"", b"d"))),
                (b"\"abc", None),
                (b"\"a\\\r\n\"", None),
                (b"abc", None),
            ],
        );
        // Located: an unterminated string at its quote, a bad escape at the backslash.
        let e = quoted_string(b"\"abc").unwrap_err();
        assert_eq!(error_offset(b"\"abc", &e), 0);
        let s = b"\"a\\\r\n\"";
        assert_eq!(error_offset(s, &quoted_string(s).unwrap_err()), 2);
    }

    #[test]
    fn comments_nest_to_a_bound() {
        check(
            comment,
            &[
                (b"(a(b)c) x", Some((b"(a(b)c)", b" x"))),
                (b"(a\\)b)", Some((b"(a\\)b)", b""))),
                (b"(a(b)c", None),
                (b"x", None),
            ],
        );
        let deep = [b'('; MAX_COMMENT_DEPTH + 1];
        let e = comment(&deep).unwrap_err();
        assert_eq!(error_offset(&deep, &e), MAX_COMMENT_DEPTH);
        let mut ok = vec![b'('; MAX_COMMENT_DEPTH];
        ok.extend(vec![b')'; MAX_COMMENT_DEPTH]);
        assert!(comment(&ok).is_ok());
    }

    #[test]
    fn separators() {
        let cases: &[(&[u8], u8, Option<&[u8]>)] = &[
            (b" ; x", b';', Some(b"x")),
            (b";x", b';', Some(b"x")),
            (b"\r\n ;\r\n x", b';', Some(b"x")),
            (b" , x", b';', None),
            (b"=", b'=', Some(b"")),
        ];
        for &(i, c, want) in cases {
            assert_eq!(sep(c)(i).ok().map(|r| r.0), want, "{:?}", i);
        }
        assert_eq!(hcolon(b" \t: \r\n v").unwrap().0, b"v");
        assert!(hcolon(b"\r\n: v").is_err(), "no fold before the colon");
        assert_eq!(laquot(b"  <sip").unwrap().0, b"sip");
        assert_eq!(raquot(b">  ;t").unwrap().0, b";t");
        let s = b"SIP / 2.0 /\r\n UDP h";
        let (rest, (a, _, b, _, c)) = (token, slash, token, slash, token).parse(s).unwrap();
        assert_eq!(
            (a, b, c, offset(s, rest)),
            (&b"SIP"[..], &b"2.0"[..], &b"UDP"[..], 17)
        );
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn token_takes_exactly_the_token_prefix(s in proptest::collection::vec(any::<u8>(), 0..40)) {
                let n = s.iter().position(|&b| !lex::is_token(b)).unwrap_or(s.len());
                match token(&s) {
                    Ok((rest, t)) => {
                        prop_assert!(n > 0);
                        prop_assert_eq!(t, &s[..n]);
                        prop_assert_eq!(rest, &s[n..]);
                    }
                    Err(_) => prop_assert_eq!(n, 0),
                }
            }

            #[test]
            fn quoted_string_round_trips(body in "([a-zA-Z0-9 ,;:<>=@]|\\\\[a-z\"\\\\])*", tail in "[ ;a-z]{0,5}") {
                let s = format!("\"{body}\"{tail}");
                let (rest, q) = quoted_string(s.as_bytes()).unwrap();
                let want = format!("\"{body}\"");
                prop_assert_eq!(q, want.as_bytes());
                prop_assert_eq!(rest, tail.as_bytes());
            }

            #[test]
            fn comment_never_panics_and_stays_in_bounds(s in "[()\\\\a ]{0,40}") {
                if let Ok((rest, c)) = comment(s.as_bytes()) {
                    prop_assert_eq!(c.len() + rest.len(), s.len());
                    prop_assert_eq!(c.last(), Some(&b')'));
                }
            }
        }
    }
}
