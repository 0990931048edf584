//! Parameters (RFC 3261 §25.1):
//!
//! ```text
//! generic-param = token [ EQUAL gen-value ]
//! gen-value     = token / host / quoted-string
//! ```
//!
//! `gen-value` is read leniently, as real equipment sends it: a quoted
//! string, a bracketed IPv6 reference, or a run of the bytes an unquoted
//! value can hold (`lex::is_param_value`: token and host bytes plus the
//! odd `:` or `/`, never a delimiter of the surrounding grammar). The
//! parameters with a production of their own (`tag`, `branch`, `received`,
//! `maddr`, `ttl`, `rport`, `q`, `expires`, `refresher`, `purpose`,
//! `duration`) are checked against it by [`known_param`]: `generic-param`
//! does not cover them.

use nom::error::ErrorKind;

use super::host::host;
use super::number::{delta_seconds, port, qvalue};
use super::text::{equal, quoted_string, semi, token};
use super::{fail, PResult};
use crate::error::HeaderValueErrorKind;
use crate::header::typed::host::{is_ipv4, is_ipv6};
use crate::lex;

/// `gen-value` (lenient, see the module notes). An unterminated quoted
/// string fails at the quote with [`ErrorKind::Escaped`]; anything else that
/// is no value fails where the value should start.
pub fn gen_value(i: &[u8]) -> PResult<'_, &[u8]> {
    match i.first() {
        Some(b'"') => quoted_string(i),
        Some(b'[') => match i.iter().position(|&b| b == b']') {
            Some(close) => Ok((&i[close + 1..], &i[..close + 1])),
            None => fail(i, ErrorKind::Char),
        },
        _ => {
            let n = i
                .iter()
                .position(|&b| !lex::is_param_value(b))
                .unwrap_or(i.len());
            if n == 0 {
                return fail(i, ErrorKind::Verify);
            }
            Ok((&i[n..], &i[..n]))
        }
    }
}

/// Where a value [`gen_value`] took leniently breaks the strict
/// `gen-value = token / host / quoted-string` (RFC 3261 §25.1): the offset
/// of the first byte that is neither, 0 for a bracketed value that is not
/// an IPv6 reference, `None` when the value is strict. A `host` outside
/// brackets is a run of token bytes (a name or an IPv4 address), so an
/// unquoted value is strict when it is a token. The lax readers accept
/// the lenient forms (`foo=a/b`, `foo=a:b`, which real equipment sends)
/// and report them with this.
pub fn gen_value_defect(v: &[u8]) -> Option<usize> {
    match v.first() {
        Some(b'"') => None,
        Some(b'[') => match v.strip_suffix(b"]") {
            Some(inner) if is_ipv6(&inner[1..]) => None,
            _ => Some(0),
        },
        _ => v.iter().position(|&b| !lex::is_token(b)),
    }
}

/// True when parameter `name` (case-insensitive) has a production of its
/// own ([`known_param`]'s table): its value is judged by that, not as a
/// `gen-value` ([`gen_value_defect`]).
pub fn has_own_production(name: &[u8]) -> bool {
    Known::of(name).is_some()
}

/// `generic-param`, from its name: the name and the value, if any. `EQUAL`
/// with nothing valid after it fails where the value should be (an
/// unterminated quote at its quote, see [`gen_value`]).
pub fn generic_param(i: &[u8]) -> PResult<'_, (&[u8], Option<&[u8]>)> {
    let (after_name, name) = token(i)?;
    match equal(after_name) {
        Err(_) => Ok((after_name, (name, None))),
        Ok((v, _)) => {
            let (rest, value) = gen_value(v)?;
            Ok((rest, (name, Some(value))))
        }
    }
}

/// `SEMI generic-param`.
pub fn semi_param(i: &[u8]) -> PResult<'_, (&[u8], Option<&[u8]>)> {
    let (j, _) = semi(i)?;
    generic_param(j)
}

/// The [`HeaderValueErrorKind`] a failed [`generic_param`] stands for:
/// an unterminated quote, or a malformed parameter.
pub fn param_error_kind(e: &nom::Err<nom::error::Error<&[u8]>>) -> HeaderValueErrorKind {
    match e {
        nom::Err::Error(e) | nom::Err::Failure(e) if e.code == ErrorKind::Escaped => {
            HeaderValueErrorKind::UnterminatedQuote
        }
        _ => HeaderValueErrorKind::BadParam,
    }
}

/// Skips a malformed parameter: to the next `;` or `,` outside a quoted
/// string, or the end (a lax reader resumes there).
pub fn skip_param(i: &[u8]) -> PResult<'_, &[u8]> {
    let mut j = 0;
    while j < i.len() {
        match i[j] {
            b';' | b',' => break,
            b'"' => match lex::quoted_string_end(i, j) {
                Ok(e) => j = e,
                Err(_) => j = i.len(),
            },
            _ => j += 1,
        }
    }
    Ok((&i[j..], &i[..j]))
}

/// Checks a parameter whose name has its own production; `None` when the
/// name is not one of them or the value matches. Otherwise the kind and
/// the offset in `value` of the offending byte (0 when the value is missing
/// or quoted where it may not be).
///
/// | name | production |
/// |---|---|
/// | `tag`, `branch`, `purpose` | `EQUAL token` |
/// | `received` | `EQUAL (IPv4address / IPv6address)` (no brackets, RFC 5118 §4.5) |
/// | `maddr` | `EQUAL host` |
/// | `ttl` | `EQUAL 1*3DIGIT`, at most 255 |
/// | `rport` | `[ EQUAL 1*DIGIT ]`, a port (RFC 3581) |
/// | `q` | `EQUAL qvalue` |
/// | `expires`, `duration` | `EQUAL delta-seconds` |
/// | `refresher` | `EQUAL ("uas" / "uac")` (RFC 4028) |
pub fn known_param(name: &[u8], value: Option<&[u8]>) -> Option<(HeaderValueErrorKind, usize)> {
    known_param_hinted(name, value, false)
}

/// [`known_param`] for a value the caller has already found to be all
/// token bytes (`value_is_token`; a scan of the value that tells where it
/// ends tells that too), so a token production does not scan it again.
pub(crate) fn known_param_hinted(
    name: &[u8],
    value: Option<&[u8]>,
    value_is_token: bool,
) -> Option<(HeaderValueErrorKind, usize)> {
    use HeaderValueErrorKind as K;
    let whole = |p: fn(&[u8]) -> bool, kind: K| match value {
        Some(v) if p(v) => None,
        _ => Some((kind, 0)),
    };
    let digits_from = |v: &[u8]| v.iter().position(|&b| !lex::is_digit(b));
    match Known::of(name)? {
        Known::Token if value_is_token && value.is_some_and(|v| !v.is_empty()) => None,
        Known::Token => whole(lex::is_token_str, K::BadParam),
        Known::Received => whole(|v| is_ipv4(v) || is_ipv6(v), K::BadHost),
        Known::Maddr => whole(
            |v| matches!(host(v), Ok((r, _)) if r.is_empty()),
            K::BadHost,
        ),
        Known::Ttl => {
            let v = value?;
            if v.is_empty() {
                return Some((K::BadParam, 0));
            }
            if let Some(i) = digits_from(v) {
                return Some((K::ExpectedDigits, i));
            }
            (v.len() > 3 || lex::parse_u64(v).is_none_or(|t| t > 255))
                .then_some((K::NumberOutOfRange, 0))
        }
        Known::Rport => {
            let v = value?;
            (!matches!(port(v), Ok((r, _)) if r.is_empty())).then_some((K::BadPort, 0))
        }
        Known::Q => {
            let Some(v) = value else {
                return Some((K::BadParam, 0));
            };
            match qvalue(v) {
                Ok((&[], _)) => None,
                Ok((r, _)) => Some((K::NumberOutOfRange, v.len() - r.len())),
                Err(e) => Some((K::NumberOutOfRange, super::error_offset(v, &e))),
            }
        }
        Known::Delta => {
            let Some(v) = value else {
                return Some((K::BadParam, 0));
            };
            match delta_seconds(v) {
                Ok((&[], (_, Some(_)))) => None,
                Ok((r, (_, Some(_)))) => Some((K::ExpectedDigits, v.len() - r.len())),
                Ok(_) => Some((K::NumberOutOfRange, 0)),
                Err(_) => Some((K::ExpectedDigits, 0)),
            }
        }
        Known::Refresher => whole(
            |v| v.eq_ignore_ascii_case(b"uas") || v.eq_ignore_ascii_case(b"uac"),
            K::BadParam,
        ),
    }
}

/// The productions of [`known_param`], by parameter name.
#[derive(Clone, Copy)]
enum Known {
    /// `tag`, `branch`, `purpose`: a token.
    Token,
    Received,
    Maddr,
    Ttl,
    Rport,
    Q,
    /// `expires`, `duration`: delta-seconds.
    Delta,
    Refresher,
}

impl Known {
    /// The production of parameter `name` (case-insensitive), if it has
    /// one of its own. Every parameter of every address and Via value asks,
    /// so the length picks the one or two names to compare.
    fn of(name: &[u8]) -> Option<Known> {
        let is = |n: &[u8]| lex::eq_name(name, n);
        Some(match name.len() {
            1 if is(b"q") => Known::Q,
            3 if is(b"tag") => Known::Token,
            3 if is(b"ttl") => Known::Ttl,
            5 if is(b"maddr") => Known::Maddr,
            5 if is(b"rport") => Known::Rport,
            6 if is(b"branch") => Known::Token,
            7 if is(b"purpose") => Known::Token,
            7 if is(b"expires") => Known::Delta,
            8 if is(b"received") => Known::Received,
            8 if is(b"duration") => Known::Delta,
            9 if is(b"refresher") => Known::Refresher,
            _ => return None,
        })
    }
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // test tables
mod tests {
    use super::*;
    use crate::grammar::error_offset;
    use HeaderValueErrorKind as K;

    #[test]
    fn generic_params() {
        type Row<'a> = (&'a [u8], Option<(&'a [u8], Option<&'a [u8]>, &'a [u8])>);
        let table: &[Row<'_>] = &[
            (
                b"branch=z9hG4bK1;x",
                Some((b"branch", Some(b"z9hG4bK1"), b";x")),
            ),
            (b"rport;x", Some((b"rport", None, b";x"))),
            (b"lr", Some((b"lr", None, b""))),
            (b"a = \"b;c\" ,", Some((b"a", Some(b"\"b;c\""), b" ,"))),
            (
                b"received=[2001:db8::1]>",
                Some((b"received", Some(b"[2001:db8::1]"), b">")),
            ),
            (
                b"received=2001:db8::9:255",
                Some((b"received", Some(b"2001:db8::9:255"), b"")),
            ),
            (b"a\r\n =\r\n b", Some((b"a", Some(b"b"), b""))),
            (b"a b", Some((b"a", None, b" b"))),
            (b"=x", None),
            (b"a=", None),
            (b"a=;", None),
            (b"a=\"x", None),
            (b"a=[x", None),
            (b"", None),
        ];
        for &(i, want) in table {
            let got = generic_param(i).ok().map(|(r, (n, v))| (n, v, r));
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(i));
        }
        let s = b"a=\"x";
        let e = generic_param(s).unwrap_err();
        assert_eq!(
            (param_error_kind(&e), error_offset(s, &e)),
            (K::UnterminatedQuote, 2)
        );
        let s = b"a= ;";
        let e = generic_param(s).unwrap_err();
        assert_eq!(
            (param_error_kind(&e), error_offset(s, &e)),
            (K::BadParam, 3)
        );
        assert_eq!(
            semi_param(b" ; x=1").unwrap().1,
            (&b"x"[..], Some(&b"1"[..]))
        );
        assert_eq!(
            skip_param(b"a=\"x;y\"z;b").unwrap(),
            (&b";b"[..], &b"a=\"x;y\"z"[..])
        );
    }

    #[test]
    fn gen_value_defect_is_the_strict_production() {
        for v in [
            &b"abc"[..],
            b"192.0.2.1",
            b"a.b-c_d!%*+`'~",
            b"[2001:db8::1]",
            b"\"a/b c\"",
        ] {
            assert_eq!(gen_value_defect(v), None, "{}", String::from_utf8_lossy(v));
        }
        for (v, at) in [
            (&b"a/b"[..], 1),
            (b"a:b", 1),
            (b"u%40x@y", 5),
            (b"[zz]", 0),
            (b"[2001:db8::1", 0),
            (b"x=", 1),
        ] {
            assert_eq!(
                gen_value_defect(v),
                Some(at),
                "{}",
                String::from_utf8_lossy(v)
            );
        }
    }

    #[test]
    fn known_params_match_their_own_production() {
        let table: &[(&str, Option<&[u8]>, Option<(K, usize)>)] = &[
            ("tag", Some(b"1928301774"), None),
            ("tag", None, Some((K::BadParam, 0))),
            ("TAG", Some(b"\"x\""), Some((K::BadParam, 0))),
            (
                "branch",
                Some(b"z9hG4bKD+ta2mJ+C+VV/L50aPO1lFJnrag="),
                Some((K::BadParam, 0)),
            ),
            ("branch", Some(b"z9hG4bK-.!%66*_+`'~"), None),
            ("received", Some(b"192.0.2.1"), None),
            ("received", Some(b"2001:db8::9:255"), None),
            (
                "received",
                Some(b"[2001:db8::9:255]"),
                Some((K::BadHost, 0)),
            ),
            ("received", Some(b"host.example"), Some((K::BadHost, 0))),
            ("maddr", Some(b"224.2.0.1"), None),
            ("maddr", Some(b"a..b"), Some((K::BadHost, 0))),
            ("ttl", Some(b"255"), None),
            ("ttl", Some(b"256"), Some((K::NumberOutOfRange, 0))),
            ("ttl", Some(b"0255"), Some((K::NumberOutOfRange, 0))),
            ("ttl", Some(b"1x"), Some((K::ExpectedDigits, 1))),
            ("ttl", None, None),
            ("rport", None, None),
            ("rport", Some(b"5060"), None),
            ("rport", Some(b"65536"), Some((K::BadPort, 0))),
            ("q", Some(b"0.5"), None),
            ("q", Some(b"2"), Some((K::NumberOutOfRange, 0))),
            ("q", Some(b"0.5x"), Some((K::NumberOutOfRange, 3))),
            ("q", None, Some((K::BadParam, 0))),
            ("expires", Some(b"3600"), None),
            ("expires", Some(b"36a"), Some((K::ExpectedDigits, 2))),
            (
                "expires",
                Some(b"99999999999999999999"),
                Some((K::NumberOutOfRange, 0)),
            ),
            ("duration", None, Some((K::BadParam, 0))),
            ("refresher", Some(b"UAS"), None),
            ("refresher", Some(b"proxy"), Some((K::BadParam, 0))),
            ("purpose", Some(b"icon"), None),
            ("lr", None, None),
            ("x-anything", Some(b"\"q\""), None),
        ];
        for &(name, value, want) in table {
            assert_eq!(
                known_param(name.as_bytes(), value),
                want,
                "{name}={value:?}"
            );
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn generated_params_round_trip(
                name in "[a-zA-Z][a-zA-Z0-9.!%*_+`'~-]{0,8}",
                value in proptest::option::of("[a-zA-Z0-9.:_-]{1,10}|\"[a-z ;,]{0,6}\""),
                w in "[ \t]{0,2}",
            ) {
                let s = match &value {
                    Some(v) => format!("{name}{w}={w}{v};next"),
                    None => format!("{name};next"),
                };
                let (rest, (n, v)) = generic_param(s.as_bytes()).unwrap();
                prop_assert_eq!(n, name.as_bytes());
                prop_assert_eq!(v, value.as_deref().map(str::as_bytes));
                prop_assert_eq!(rest, b";next");
            }

            #[test]
            fn never_panics(s in proptest::collection::vec(any::<u8>(), 0..30)) {
                if let Ok((rest, (n, _))) = generic_param(&s) {
                    prop_assert!(!n.is_empty() && rest.len() < s.len());
                }
                let _ = skip_param(&s);
            }
        }
    }
}
