//! `name-addr` / `addr-spec` (RFC 3261 §20.10, §25.1):
//!
//! ```text
//! name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
//! addr-spec    = SIP-URI / SIPS-URI / absoluteURI
//! display-name = *(token LWS) / quoted-string
//! ```
//!
//! [`addr`] finds the parts of either form without judging the URI, so a
//! lax reader can still report a bad URI and read the parameters after it;
//! [`name_addr`] and [`addr_spec`] are the strict productions. In the bare
//! form the URI ends at the first `;` or LWS (what follows are header
//! parameters, RFC 3261 §20.10).

use nom::error::ErrorKind;

use super::text::{quoted_string, sws, token};
use super::uri::any_uri;
use super::{fail, PResult};
use crate::header::typed::UriKind;
use crate::lex;

/// A display name: the bytes as sent (quotes kept) and whether it is a
/// quoted-string. The token form is `token *(LWS token)`; its bytes end at
/// the last token.
pub fn display_name(i: &[u8]) -> PResult<'_, (&[u8], bool)> {
    if i.first() == Some(&b'"') {
        let (rest, q) = quoted_string(i)?;
        return Ok((rest, (q, true)));
    }
    let (mut j, _) = token(i)?;
    let mut end = i.len() - j.len();
    loop {
        let (k, w) = sws(j)?;
        if w.is_empty() {
            break;
        }
        match token(k) {
            Ok((r, _)) => {
                j = r;
                end = i.len() - j.len();
            }
            Err(_) => break,
        }
    }
    Ok((&i[end..], (&i[..end], false)))
}

/// The parts of a `name-addr` or bare `addr-spec`, URI not yet judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Addr<'a> {
    /// The display name as sent and whether it is quoted.
    pub display: Option<(&'a [u8], bool)>,
    /// The URI's bytes: inside the brackets, or the bare run.
    pub uri: &'a [u8],
    /// `<` .. `>` inclusive, for the bracketed form.
    pub angle: Option<&'a [u8]>,
}

/// [`Addr`]: the display name (if any), then `<...>` or a bare URI run.
/// Fails on an empty input, an unterminated quote or `<`, and on a display
/// name followed by anything but `<`.
pub fn addr(i: &[u8]) -> PResult<'_, Addr<'_>> {
    let (j, display) = match i.first() {
        None => return fail(i, ErrorKind::Eof),
        Some(b'<') => (i, None),
        Some(b'"') => {
            let (j, d) = display_name(i)?;
            let (j, _) = sws(j)?;
            if j.first() != Some(&b'<') {
                return fail(j, ErrorKind::Char);
            }
            (j, Some(d))
        }
        Some(_) => match display_name(i) {
            // A token display name needs the `<`; otherwise the bytes are
            // the bare URI (`sip:...` is not a token: `:`).
            Ok((j, d)) => match sws(j)?.0 {
                k if k.first() == Some(&b'<') => (k, Some(d)),
                _ => (i, None),
            },
            Err(_) => (i, None),
        },
    };
    if j.first() == Some(&b'<') {
        let Some(gt) = j.iter().position(|&b| b == b'>') else {
            return fail(j, ErrorKind::Char);
        };
        return Ok((
            &j[gt + 1..],
            Addr {
                display,
                uri: &j[1..gt],
                angle: Some(&j[..gt + 1]),
            },
        ));
    }
    let n = j
        .iter()
        .position(|&b| b == b';' || lex::is_lws(b))
        .unwrap_or(j.len());
    if n == 0 {
        return fail(j, ErrorKind::Verify);
    }
    Ok((
        &j[n..],
        Addr {
            display: None,
            uri: &j[..n],
            angle: None,
        },
    ))
}

/// `addr-spec`: a URI of any scheme (see [`any_uri`]).
pub fn addr_spec(i: &[u8]) -> PResult<'_, (UriKind, &[u8])> {
    any_uri(i)
}

/// `name-addr`, strictly: the display name and the URI, which must fill
/// the brackets (no LWS inside, RFC 4475 `badaspec`).
#[allow(clippy::type_complexity)]
pub fn name_addr(i: &[u8]) -> PResult<'_, (Option<(&[u8], bool)>, (UriKind, &[u8]))> {
    let (rest, a) = addr(i)?;
    if a.angle.is_none() {
        return fail(i, ErrorKind::Char);
    }
    match any_uri(a.uri) {
        Ok((&[], u)) => Ok((rest, (a.display, u))),
        Ok((r, _)) => fail(r, ErrorKind::Verify),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // test tables
mod tests {
    use super::*;

    #[test]
    fn display_names() {
        let table: &[(&[u8], Option<(&[u8], bool, &[u8])>)] = &[
            (b"Bob <sip:b>", Some((b"Bob", false, b" <sip:b>"))),
            (b"A  B\r\n C<x>", Some((b"A  B\r\n C", false, b"<x>"))),
            (
                b"\"A \\\"B\\\"\" <x>",
                Some((b"\"A \\\"B\\\"\"", true, b" <x>")),
            ),
            (b"\"open <x>", None),
            (b"<x>", None),
        ];
        for &(i, want) in table {
            let got = display_name(i).ok().map(|(r, (d, q))| (d, q, r));
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(i));
        }
    }

    #[test]
    fn addrs() {
        type Row<'a> = (
            &'a [u8],
            Option<(Option<&'a [u8]>, &'a [u8], bool, &'a [u8])>,
        );
        let table: &[Row<'_>] = &[
            (
                b"Bob <sip:bob@biloxi.com>;tag=a6c85cf",
                Some((Some(b"Bob"), b"sip:bob@biloxi.com", true, b";tag=a6c85cf")),
            ),
            (
                b"caller<sip:caller@example.com>",
                Some((Some(b"caller"), b"sip:caller@example.com", true, b"")),
            ),
            (b"<sip:a@b>", Some((None, b"sip:a@b", true, b""))),
            (b"sip:a@b;tag=1", Some((None, b"sip:a@b", false, b";tag=1"))),
            (
                b"sip: 172.17.2.2:5060",
                Some((None, b"sip:", false, b" 172.17.2.2:5060")),
            ),
            (b"x", Some((None, b"x", false, b""))),
            (b"\"A\" sip:a@b", None),
            (b"<sip:a@b", None),
            (b"", None),
        ];
        for &(i, want) in table {
            let got = addr(i)
                .ok()
                .map(|(r, a)| (a.display.map(|d| d.0), a.uri, a.angle.is_some(), r));
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(i));
        }
        assert!(name_addr(b"Bob <sip:bob@h>").is_ok());
        assert!(name_addr(b"<sip:bob@h x>").is_err());
        assert!(name_addr(b"sip:bob@h").is_err());
        assert_eq!(addr_spec(b"sip:a@b;x").unwrap().1 .1, b"sip:a@b;x");
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn generated_name_addrs_round_trip(
                display in proptest::option::of("[A-Za-z]{1,6}( [A-Za-z]{1,6})?|\"[a-z ,;<>]{0,8}\""),
                user in "[a-z0-9]{1,6}",
                host in "[a-z]{1,6}\\.com",
                gap in "[ ]{0,2}",
            ) {
                let uri = format!("sip:{user}@{host}");
                let s = match &display {
                    Some(d) => format!("{d}{gap}<{uri}>;tag=x"),
                    None => format!("<{uri}>;tag=x"),
                };
                let (rest, (d, (k, u))) = name_addr(s.as_bytes()).unwrap();
                prop_assert_eq!(d.map(|d| d.0), display.as_deref().map(str::as_bytes));
                prop_assert_eq!(k, UriKind::Sip);
                prop_assert_eq!(u, uri.as_bytes());
                prop_assert_eq!(rest, b";tag=x");
            }

            #[test]
            fn never_panics(s in "[a-z:@;<>\" \\\\]{0,30}") {
                if let Ok((rest, a)) = addr(s.as_bytes()) {
                    prop_assert!(rest.len() < s.len());
                    prop_assert!(a.uri.len() <= s.len());
                }
            }
        }
    }
}
