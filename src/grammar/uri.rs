//! URIs (RFC 3261 §19.1, §25.1; RFC 3966 §3, minimal; RFC 2396 `absoluteURI`):
//!
//! ```text
//! SIP-URI        = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
//! SIPS-URI       = "sips:" [ userinfo ] hostport uri-parameters [ headers ]
//! userinfo       = ( user / telephone-subscriber ) [ ":" password ] "@"
//! uri-parameters = *( ";" uri-parameter )     uri-parameter = pname [ "=" pvalue ]
//! headers        = "?" header *( "&" header ) header = hname "=" hvalue
//! absoluteURI    = scheme ":" ( hier-part / opaque-part )
//! scheme         = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
//! ```
//!
//! The byte classes live here once; [`crate::header::typed::Uri`] reads its
//! parts with them. The productions stop at the first byte that cannot
//! continue the URI (LWS, `>`, a quote, or a byte outside every class), so
//! they find a URI's end inside a longer value; `%HH` escapes are checked.

use nom::error::ErrorKind;

use super::host::hostport;
use super::{fail, PResult};
use crate::header::typed::UriKind;
use crate::lex;

// Byte classes, one bit each, in one table: every URI byte is classified
// by one load instead of a chain of comparisons (the URI of every address
// and Request-URI is read byte by byte). [`escaped_run`] takes a mask of
// them.

/// `unreserved = alphanum / mark`.
pub const UNRESERVED: u8 = 1;
/// `user` bytes: unreserved and `user-unreserved`.
pub const USER: u8 = 2;
/// `password` bytes.
pub const PASSWORD: u8 = 4;
/// `paramchar` bytes (without escapes).
pub const PARAMCHAR: u8 = 8;
/// `hname` / `hvalue` bytes (without escapes).
pub const HNV: u8 = 16;
/// `uric` of RFC 2396 (reserved / unreserved / escaped), plus `[` `]` for
/// IPv6 literals (RFC 3986 §3.2.2) and `#` for fragments.
pub const URIC: u8 = 32;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let unreserved = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
            );
        let mut c = 0;
        if unreserved {
            c |= UNRESERVED | USER | PASSWORD | PARAMCHAR | HNV | URIC;
        }
        if matches!(b, b'&' | b'=' | b'+' | b'$' | b',' | b';' | b'?' | b'/') {
            c |= USER;
        }
        if matches!(b, b'&' | b'=' | b'+' | b'$' | b',') {
            c |= PASSWORD;
        }
        if matches!(b, b'[' | b']' | b'/' | b':' | b'&' | b'+' | b'$') {
            c |= PARAMCHAR;
        }
        if matches!(b, b'[' | b']' | b'/' | b'?' | b':' | b'+' | b'$') {
            c |= HNV;
        }
        if matches!(
            b,
            b';' | b'/'
                | b'?'
                | b':'
                | b'@'
                | b'&'
                | b'='
                | b'+'
                | b'$'
                | b','
                | b'['
                | b']'
                | b'#'
        ) {
            c |= URIC;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// True when `b` is in one of the classes of `mask`.
#[inline]
fn is(b: u8, mask: u8) -> bool {
    CLASS[usize::from(b)] & mask != 0
}

/// Length of the longest prefix of `i` made of `class` bytes (a mask of
/// the classes above) and `%HH` escapes; `Err(at)` when a `%` is not
/// followed by two hex digits.
fn escaped_len(i: &[u8], class: u8) -> Result<usize, usize> {
    let mut n = 0;
    while let Some(&b) = i.get(n) {
        if is(b, class) {
            n += 1;
        } else if b == b'%' {
            match (i.get(n + 1), i.get(n + 2)) {
                (Some(&h1), Some(&h2)) if lex::is_hex(h1) && lex::is_hex(h2) => n += 3,
                _ => return Err(n),
            }
        } else {
            break;
        }
    }
    Ok(n)
}

/// `1*( class / escaped )`: a run of `class` bytes (a mask of the classes
/// above) and `%HH` escapes.
pub fn escaped_run(class: u8) -> impl Fn(&[u8]) -> PResult<'_, &[u8]> {
    move |i: &[u8]| match escaped_len(i, class) {
        Ok(0) => fail(i, ErrorKind::Char),
        Ok(n) => Ok((&i[n..], &i[..n])),
        Err(at) => fail(&i[at..], ErrorKind::Escaped),
    }
}

/// `scheme ":"`: the scheme (without the colon) and its kind.
pub fn scheme(i: &[u8]) -> PResult<'_, (UriKind, &[u8])> {
    if !i.first().is_some_and(u8::is_ascii_alphabetic) {
        return fail(i, ErrorKind::Alpha);
    }
    let n = i
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
        .unwrap_or(i.len());
    if i.get(n) != Some(&b':') {
        return fail(&i[n..], ErrorKind::Char);
    }
    let s = &i[..n];
    let kind = if s.eq_ignore_ascii_case(b"sip") {
        UriKind::Sip
    } else if s.eq_ignore_ascii_case(b"sips") {
        UriKind::Sips
    } else if s.eq_ignore_ascii_case(b"tel") {
        UriKind::Tel
    } else {
        UriKind::Other
    };
    Ok((&i[n + 1..], (kind, s)))
}

/// `*( ";" uri-parameter )` (possibly empty).
pub fn uri_parameters(i: &[u8]) -> PResult<'_, &[u8]> {
    let pchar = escaped_run(PARAMCHAR);
    let mut j = i;
    while j.first() == Some(&b';') {
        let (k, _) = pchar(&j[1..])?;
        j = match k.first() {
            Some(b'=') => pchar(&k[1..])?.0,
            _ => k,
        };
    }
    Ok((j, &i[..i.len() - j.len()]))
}

/// `headers = "?" header *( "&" header )`.
pub fn uri_headers(i: &[u8]) -> PResult<'_, &[u8]> {
    if i.first() != Some(&b'?') {
        return fail(i, ErrorKind::Char);
    }
    let hnv = escaped_run(HNV);
    let mut j = &i[1..];
    loop {
        let (k, _) = hnv(j)?;
        if k.first() != Some(&b'=') {
            return fail(k, ErrorKind::Char);
        }
        // hvalue may be empty.
        let k = &k[1..];
        let k = match hnv(k) {
            Ok((r, _)) => r,
            Err(_) => k,
        };
        if k.first() != Some(&b'&') {
            return Ok((k, &i[..i.len() - k.len()]));
        }
        j = &k[1..];
    }
}

/// `userinfo` with its `@`, when `i` (a SIP URI after its `:`, up to where
/// the URI can end) holds an `@`: the user and the password, if any. `@`
/// appears unescaped only as the userinfo terminator, so the userinfo is
/// what precedes the first `@`. No `@`: no userinfo, nothing consumed.
#[allow(clippy::type_complexity)]
pub fn userinfo(i: &[u8]) -> PResult<'_, Option<(&[u8], Option<&[u8]>)>> {
    let Some(at) = lex::find_byte(b'@', i) else {
        return Ok((i, None));
    };
    let colon = lex::find_byte(b':', &i[..at]);
    let user = &i[..colon.unwrap_or(at)];
    match escaped_len(user, USER) {
        Ok(n) if n == user.len() && n > 0 => {}
        Ok(n) | Err(n) => return fail(&i[n..], ErrorKind::Char),
    }
    let password = match colon {
        Some(c) => {
            let pw = &i[c + 1..at];
            match escaped_len(pw, PASSWORD) {
                Ok(n) if n == pw.len() => Some(pw),
                Ok(n) | Err(n) => return fail(&i[c + 1 + n..], ErrorKind::Char),
            }
        }
        None => None,
    };
    Ok((&i[at + 1..], Some((user, password))))
}

/// `[ headers ]`: [`uri_headers`] when `i` starts with `?`, else nothing.
pub fn opt_uri_headers(i: &[u8]) -> PResult<'_, &[u8]> {
    if i.first() == Some(&b'?') {
        uri_headers(i)
    } else {
        Ok((i, &i[..0]))
    }
}

/// `SIP-URI` / `SIPS-URI`: the whole URI's bytes.
pub fn sip_uri(i: &[u8]) -> PResult<'_, &[u8]> {
    let (body, (kind, _)) = scheme(i)?;
    if !matches!(kind, UriKind::Sip | UriKind::Sips) {
        return fail(i, ErrorKind::Tag);
    }
    // The URI ends at LWS, `<`, `>` or a quote; its userinfo is before.
    let stop = body
        .iter()
        .position(|&b| lex::is_lws(b) || matches!(b, b'>' | b'<' | b'"'))
        .unwrap_or(body.len());
    let j = match userinfo(&body[..stop])? {
        (after, Some(_)) => &body[stop - after.len()..],
        (_, None) => body,
    };
    let (j, _) = hostport(false)(j)?;
    let (j, _) = uri_parameters(j)?;
    let (j, _) = opt_uri_headers(j)?;
    Ok((j, &i[..i.len() - j.len()]))
}

/// `telephone-subscriber` of a `tel` URI (RFC 3966 §3, minimal): `["+"]
/// 1*(hex digit / "*" / "#" / visual separator)` holding at least one
/// digit; it ends at the first other byte.
pub fn telephone_subscriber(i: &[u8]) -> PResult<'_, &[u8]> {
    let mut n = usize::from(i.first() == Some(&b'+'));
    let mut digits = 0;
    while let Some(&b) = i.get(n) {
        match b {
            b if b.is_ascii_hexdigit() || b == b'*' || b == b'#' => digits += 1,
            b'-' | b'.' | b'(' | b')' => {}
            _ => break,
        }
        n += 1;
    }
    if digits == 0 {
        return fail(&i[n..], ErrorKind::Digit);
    }
    Ok((&i[n..], &i[..n]))
}

/// `tel` URI (RFC 3966 §3, minimal): `"tel:" telephone-subscriber *( ";"
/// uri-parameter ) [ headers ]`. RFC 3966 has no `headers`; they are read
/// as in a SIP URI rather than failing the whole address.
pub fn tel_uri(i: &[u8]) -> PResult<'_, &[u8]> {
    let (body, (kind, _)) = scheme(i)?;
    if kind != UriKind::Tel {
        return fail(i, ErrorKind::Tag);
    }
    let (j, _) = telephone_subscriber(body)?;
    let (j, _) = uri_parameters(j)?;
    let (j, _) = opt_uri_headers(j)?;
    Ok((j, &i[..i.len() - j.len()]))
}

/// `absoluteURI` (any scheme): `scheme ":" 1*uric`.
pub fn absolute_uri(i: &[u8]) -> PResult<'_, &[u8]> {
    let (body, _) = scheme(i)?;
    let (j, _) = escaped_run(URIC)(body)?;
    Ok((j, &i[..i.len() - j.len()]))
}

/// The URI of an `addr-spec` or a Request-URI: a SIP, SIPS or tel URI by
/// its own grammar, any other scheme as an `absoluteURI`.
pub fn any_uri(i: &[u8]) -> PResult<'_, (UriKind, &[u8])> {
    let (_, (kind, _)) = scheme(i)?;
    let (rest, u) = match kind {
        UriKind::Sip | UriKind::Sips => sip_uri(i)?,
        UriKind::Tel => tel_uri(i)?,
        UriKind::Other => absolute_uri(i)?,
    };
    Ok((rest, (kind, u)))
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // test tables
mod tests {
    use super::*;

    #[test]
    fn uris() {
        use UriKind::*;
        let table: &[(&[u8], Option<(UriKind, &[u8], &[u8])>)] = &[
            (
                b"sip:bob@biloxi.com>;tag=1",
                Some((Sip, b"sip:bob@biloxi.com", b">;tag=1")),
            ),
            (
                b"SIPS:[2001:db8::1]:5061;transport=tls",
                Some((Sips, b"SIPS:[2001:db8::1]:5061;transport=tls", b"")),
            ),
            (
                b"sip:user;par=u%40example.net@example.com",
                Some((Sip, b"sip:user;par=u%40example.net@example.com", b"")),
            ),
            (
                b"sip:a:pw@h?subject=x&to=y>",
                Some((Sip, b"sip:a:pw@h?subject=x&to=y", b">")),
            ),
            (b"sip:h;lr ;tag", Some((Sip, b"sip:h;lr", b" ;tag"))),
            (
                b"tel:+1-201-555-0123;x=1",
                Some((Tel, b"tel:+1-201-555-0123;x=1", b"")),
            ),
            (
                b"soap.beep://192.0.2.103:3002",
                Some((Other, b"soap.beep://192.0.2.103:3002", b"")),
            ),
            (b"urn:service:sos>", Some((Other, b"urn:service:sos", b">"))),
            (b"sip: 172.17.2.2:5060", None),
            (b"sip:", None),
            (b"sip:a@", None),
            (b"sip:h:70000", None),
            (b"sip:%zz@h", None),
            (b"x", None),
            (b"tel:abc-x", Some((Tel, b"tel:abc-", b"x"))),
            (b"tel:;x", None),
            (b"sip:h?", None),
        ];
        for &(i, want) in table {
            let got = any_uri(i).ok().map(|(r, (k, u))| (k, u, r));
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(i));
        }
        assert_eq!(scheme(b"Sip:x").unwrap().1 .0, Sip);
        assert!(scheme(b"1x:").is_err());
        assert_eq!(uri_parameters(b";a=1;b>").unwrap().1, b";a=1;b");
        assert!(uri_parameters(b";=1").is_err());
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn generated_sip_uris_round_trip(
                user in proptest::option::of("[a-z0-9._%-]{1,8}"),
                host in "[a-z][a-z0-9]{0,6}(\\.[a-z][a-z0-9]{0,6}){0,2}",
                port in proptest::option::of(any::<u16>()),
                params in proptest::collection::vec("[a-z]{1,5}(=[a-z0-9]{1,5})?", 0..3),
            ) {
                let user = user.filter(|u| !u.contains('%'));
                let mut s = String::from("sip:");
                if let Some(u) = &user { s.push_str(u); s.push('@'); }
                s.push_str(&host);
                if let Some(p) = port { s.push_str(&format!(":{p}")); }
                for p in &params { s.push(';'); s.push_str(p); }
                let t = format!("{s}>;tag=1");
                let (rest, (k, u)) = any_uri(t.as_bytes()).unwrap();
                prop_assert_eq!(k, UriKind::Sip);
                prop_assert_eq!(u, s.as_bytes());
                prop_assert_eq!(rest, b">;tag=1");
            }

            #[test]
            fn never_panics(s in "[a-z:@;=?&%.\\[\\]0-9 <>]{0,30}") {
                if let Ok((rest, (_, u))) = any_uri(s.as_bytes()) {
                    prop_assert_eq!(u.len() + rest.len(), s.len());
                }
            }
        }
    }
}
