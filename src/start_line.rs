//! Start lines (RFC 3261 §7.1, §7.2, §25.1):
//!
//! ```text
//! Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase CRLF
//! Request-Line = Method SP Request-URI SP SIP-Version CRLF
//! SIP-Version  = "SIP" "/" 1*DIGIT "." 1*DIGIT
//! ```
//!
//! The line is split at its first separators only; everything after the SP
//! that follows the code is the reason phrase, which may itself start with
//! SP or HTAB and may be empty (RFC 4475 `noreason`). Whitespace oddities are
//! accepted and recorded so the validator can report `status-line-syntax`
//! and `status-line-missing-reason-sp`.
//!
//! Written with the grammar's nom productions ([`crate::grammar`]); the
//! status line as nearly every response sends it takes a shorter path in
//! the scanner (`framing::canonical_status_line`), which a unit test holds
//! to the same result.

use crate::code::StatusCode;
use crate::error::{ParseError, ParseErrorKind};
use crate::grammar::text::{byte, digits, token, wsp0, wsp1};
use crate::grammar::{offset, PResult};
use crate::lex::{is_token, is_ws};
use crate::Span;
use nom::bytes::complete::{take_till, take_while};
use nom::Parser;

/// Layout of a status line, as absolute spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StatusLine {
    pub(crate) line: Span,
    pub(crate) version: Span,
    pub(crate) code: StatusCode,
    pub(crate) code_span: Span,
    pub(crate) reason: Span,
    /// Whitespace before the version.
    pub(crate) leading_ws: Option<Span>,
    /// More than one SP, or an HTAB, between version and code, or an HTAB
    /// between code and phrase.
    pub(crate) odd_ws: Option<Span>,
    /// The code is followed directly by the end of the line.
    pub(crate) missing_reason_sp: bool,
}

/// Layout of a request line, as absolute spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RequestLine {
    pub(crate) line: Span,
    pub(crate) method: Span,
    pub(crate) uri: Span,
    pub(crate) version: Span,
    /// Whitespace beyond single SPs (RFC 4475 `lwsstart`, `trws`).
    pub(crate) odd_ws: Option<Span>,
}

/// Either start line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StartLine {
    Status(StatusLine),
    Request(RequestLine),
}

impl StartLine {
    pub(crate) fn line(&self) -> Span {
        match self {
            StartLine::Status(s) => s.line,
            StartLine::Request(r) => r.line,
        }
    }

    /// The error for a message with this start line where a response was
    /// wanted, located at the start line.
    pub(crate) fn not_a_response(&self) -> ParseError {
        ParseError::new(ParseErrorKind::NotAResponse, self.line().start)
    }
}

/// `"SIP" "/"` in any case: a custom nom parser (one 4-byte compare), as
/// it decides on every start line between a status and a request line.
#[inline]
pub(crate) fn sip_slash(i: &[u8]) -> PResult<'_, &[u8]> {
    // Case-folding the three letters is exact: only `S`/`s` fold to `s`,
    // and so on; the `/` is compared as is.
    const FOLD: u32 = u32::from_le_bytes([0x20, 0x20, 0x20, 0]);
    match i.first_chunk::<4>() {
        Some(head) if u32::from_le_bytes(*head) | FOLD == u32::from_le_bytes(*b"sip/") => {
            Ok((&i[4..], &i[..4]))
        }
        _ => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Tag,
        ))),
    }
}

/// `SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT` ("SIP" in any case): the
/// productions in sequence (as `recognize((sip_slash, digits, byte(b'.'),
/// digits))`, written out so it inlines into the start line).
#[inline]
pub(crate) fn sip_version(i: &[u8]) -> PResult<'_, &[u8]> {
    let (r, _) = sip_slash(i)?;
    let (r, _) = digits(r)?;
    let (r, _) = byte(b'.')(r)?;
    let (r, _) = digits(r)?;
    Ok((r, &i[..i.len() - r.len()]))
}

/// Checks that all of `v` is a `SIP-Version`.
pub(crate) fn is_version(v: &[u8]) -> bool {
    matches!(sip_version(v), Ok((&[], _)))
}

/// A run of bytes that are not SP/HTAB (possibly empty): one word of a
/// start line.
#[inline]
fn word(i: &[u8]) -> PResult<'_, &[u8]> {
    take_till(is_ws).parse(i)
}

/// Parses the start line `line` (without its line ending), which starts at
/// absolute offset `base`. Kept out of line: the scanner calls it only for
/// a start line its canonical fast path does not take, and inlined it would
/// make the scanner's start-line step heavier for every message (measured).
#[inline(never)]
pub(crate) fn parse(line: &[u8], base: usize) -> Result<StartLine, ParseError> {
    let err = |kind, rest: &[u8]| ParseError::new(kind, base + offset(line, rest));
    let (r, lead) = ok(wsp0(line));
    let first = lead.len();
    let leading_ws = (first > 0).then(|| Span::new(base, base + first));
    if sip_slash(r).is_ok() {
        return parse_status(line, base, r, leading_ws);
    }
    // Request-Line: the method is a token, and a token cannot hold '/', so a
    // line starting with "SIP/" is never a request.
    let Ok((after_method, _)) = (token, wsp1).parse(r) else {
        let (stop, _) = ok(take_while(is_token).parse(r));
        return Err(err(ParseErrorKind::StartLineMalformed, stop));
    };
    let method_end = offset(line, r) + token(r).map_or(0, |(_, m)| m.len());
    // The version is the last whitespace-separated word; everything between
    // is the Request-URI (which keeps any embedded LWS, RFC 4475 `lwsruri`,
    // for the URI's own checks). Read from the right: trailing white space,
    // then the last word.
    let body = &line[method_end..];
    let end = method_end + body.iter().rposition(|&b| !is_ws(b)).map_or(0, |p| p + 1);
    let vstart = method_end
        + line[method_end..end]
            .iter()
            .rposition(|&b| is_ws(b))
            .map_or(0, |p| p + 1);
    let uri_start = offset(line, after_method);
    let uri_end = uri_start.max(
        method_end
            + line[method_end..vstart]
                .iter()
                .rposition(|&b| !is_ws(b))
                .map_or(0, |p| p + 1),
    );
    // A failure from here is the request line's, unless the line reads as
    // a status line gone wrong: its first word starts `SIP` (`SIP 200 OK`,
    // `SIP2.0 200 OK`), or the first or second word is a number (`200 OK`,
    // `2.0 200 OK`).
    let request_kind = |fallback| {
        let method = &line[first..method_end];
        let next = line[uri_start..].split(|&b| is_ws(b)).next().unwrap_or(&[]);
        let number = |w: &[u8]| !w.is_empty() && w.iter().all(u8::is_ascii_digit);
        let status_like = method
            .get(..3)
            .is_some_and(|m| m.eq_ignore_ascii_case(b"SIP"))
            || number(method)
            || (next.len() == 3 && number(next));
        if status_like {
            fallback
        } else {
            ParseErrorKind::RequestLineMalformed
        }
    };
    if uri_start >= uri_end {
        // Only two words: no Request-URI or no version (RFC 4475 `test.dat`).
        return Err(ParseError::new(
            request_kind(ParseErrorKind::StartLineMalformed),
            base + vstart,
        ));
    }
    if !is_version(&line[vstart..end]) {
        return Err(ParseError::new(
            request_kind(ParseErrorKind::VersionSyntax),
            base + vstart,
        ));
    }
    let odd = if leading_ws.is_some() {
        leading_ws
    } else if uri_start != method_end + 1 || line[method_end] != b' ' {
        Some(Span::new(base + method_end, base + uri_start))
    } else if vstart != uri_end + 1 || line[uri_end] != b' ' {
        Some(Span::new(base + uri_end, base + vstart))
    } else if end != line.len() {
        Some(Span::new(base + end, base + line.len()))
    } else {
        None
    };
    Ok(StartLine::Request(RequestLine {
        line: Span::new(base, base + line.len()),
        method: Span::new(base + first, base + method_end),
        uri: Span::new(base + uri_start, base + uri_end),
        version: Span::new(base + vstart, base + end),
        odd_ws: odd,
    }))
}

/// The output of a production that cannot fail (a `*` run).
#[inline]
fn ok<'a, O>(r: PResult<'a, O>) -> (&'a [u8], O)
where
    O: Default,
{
    r.unwrap_or((&[], O::default()))
}

/// `SIP-Version SP Status-Code SP Reason-Phrase`, from the version at `v`.
fn parse_status(
    line: &[u8],
    base: usize,
    v: &[u8],
    leading_ws: Option<Span>,
) -> Result<StartLine, ParseError> {
    let at = |rest: &[u8]| base + offset(line, rest);
    let err = |kind, rest: &[u8]| ParseError::new(kind, at(rest));
    let (after_version, version) = ok(word(v));
    if !is_version(version) {
        return Err(err(ParseErrorKind::VersionSyntax, v));
    }
    // "SIP/2.0" alone: no code at all.
    let Ok((c, gap)) = wsp1(after_version) else {
        return Err(err(ParseErrorKind::StatusCodeNot3Digits, after_version));
    };
    let mut odd_ws = (gap != b" ").then(|| Span::new(at(after_version), at(c)));
    // Exactly three digits, then SP/HTAB or the end of the line: `20`,
    // `2000`, `2OO` and `4294967301` are not codes.
    let (after_code, code_digits) = ok(take_while(|b: u8| b.is_ascii_digit()).parse(c));
    let code = StatusCode::from_digits(code_digits)
        .filter(|_| after_code.first().is_none_or(|&b| is_ws(b)))
        .ok_or_else(|| err(ParseErrorKind::StatusCodeNot3Digits, c))?;
    let (reason, missing_reason_sp) = match after_code.split_first() {
        None => (Span::empty(at(after_code)), true),
        Some((&sp, phrase)) => {
            if sp != b' ' && odd_ws.is_none() {
                odd_ws = Some(Span::new(at(after_code), at(phrase)));
            }
            (Span::new(at(phrase), base + line.len()), false)
        }
    };
    Ok(StartLine::Status(StatusLine {
        line: Span::new(base, base + line.len()),
        version: Span::new(at(v), at(after_version)),
        code,
        code_span: Span::new(at(c), at(after_code)),
        reason,
        leading_ws,
        odd_ws,
        missing_reason_sp,
    }))
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // test tables
mod tests {
    use super::*;

    fn status(line: &[u8]) -> Result<StatusLine, ParseErrorKind> {
        match parse(line, 0) {
            Ok(StartLine::Status(s)) => Ok(s),
            Ok(StartLine::Request(_)) => panic!("request"),
            Err(e) => Err(e.kind()),
        }
    }

    #[test]
    fn status_lines() {
        use ParseErrorKind::*;
        // (line, code, reason, odd_ws, missing_sp) or error
        let ok: &[(&[u8], u16, &[u8], bool, bool)] = &[
            (b"SIP/2.0 200 OK", 200, b"OK", false, false),
            (b"SIP/2.0 100 ", 100, b"", false, false),
            (b"SIP/2.0 100", 100, b"", false, true),
            (b"SIP/2.0 200  OK", 200, b" OK", false, false),
            (b"SIP/2.0  200 OK", 200, b"OK", true, false),
            (b"SIP/2.0\t200 OK", 200, b"OK", true, false),
            (b"SIP/2.0 200\tOK", 200, b"OK", true, false),
            (b"sip/2.0 180 Ringing", 180, b"Ringing", false, false),
            (b"SIP/3.0 200 OK", 200, b"OK", false, false),
            (b"SIP/2.0 799 Odd", 799, b"Odd", false, false),
            (b"SIP/2.0 099 Odd", 99, b"Odd", false, false),
            (
                "SIP/2.0 200 = 2**3 * 5**2 \u{43d}\u{43e}".as_bytes(),
                200,
                "= 2**3 * 5**2 \u{43d}\u{43e}".as_bytes(),
                false,
                false,
            ),
        ];
        for &(line, code, reason, odd, missing) in ok {
            let s = status(line).unwrap_or_else(|e| panic!("{:?}: {e:?}", line));
            assert_eq!(s.code.as_u16(), code, "{line:?}");
            assert_eq!(&line[s.reason.range()], reason, "{line:?}");
            assert_eq!(s.odd_ws.is_some(), odd, "{line:?}");
            assert_eq!(s.missing_reason_sp, missing, "{line:?}");
            assert_eq!(&line[s.code_span.range()], format!("{code:03}").as_bytes());
        }
        let bad: &[(&[u8], ParseErrorKind, usize)] = &[
            (b"SIP/2.0 4294967301 Out Of Range", StatusCodeNot3Digits, 8),
            (b"SIP/2.0 2000 OK", StatusCodeNot3Digits, 8),
            (b"SIP/2.0 20 OK", StatusCodeNot3Digits, 8),
            (b"SIP/2.0 2OO OK", StatusCodeNot3Digits, 8),
            (b"SIP/2.0 200OK", StatusCodeNot3Digits, 8),
            (b"SIP/2.0", StatusCodeNot3Digits, 7),
            (b"SIP/2.0 ", StatusCodeNot3Digits, 8),
            (b"SIP/2 200 OK", VersionSyntax, 0),
            (b"SIP/.0 200 OK", VersionSyntax, 0),
            (b"HTTP/1.1 200 OK", StartLineMalformed, 4),
            (b"", StartLineMalformed, 0),
        ];
        for &(line, kind, at) in bad {
            let e = parse(line, 0).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (kind, at),
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn sip_version_production() {
        let table: &[(&[u8], Option<&[u8]>)] = &[
            (b"SIP/2.0 200", Some(b"SIP/2.0")),
            (b"sip/2.0", Some(b"sip/2.0")),
            (b"SiP/10.25x", Some(b"SiP/10.25")),
            (b"SIP/2", None),
            (b"SIP/.0", None),
            (b"SIP\\2.0", None),
            (b"SIQ/2.0", None),
            (b"SIP", None),
            (b"HTTP/1.1", None),
        ];
        for &(i, want) in table {
            assert_eq!(sip_version(i).ok().map(|r| r.1), want, "{:?}", i);
        }
        assert!(is_version(b"SIP/2.0") && !is_version(b"SIP/2.0 "));
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn sip_slash_is_a_case_insensitive_compare(b in any::<[u8; 4]>(), case in any::<[bool; 3]>()) {
                prop_assert_eq!(sip_slash(&b).is_ok(), b.eq_ignore_ascii_case(b"SIP/"));
                // Every case variant of `SIP/` matches.
                let mut v = *b"SIP/";
                for (c, lower) in v.iter_mut().zip(case) {
                    if lower {
                        *c = c.to_ascii_lowercase();
                    }
                }
                prop_assert!(sip_slash(&v).is_ok());
            }
        }
    }

    #[test]
    fn leading_whitespace_is_recorded() {
        let s = status(b" SIP/2.0 200 OK").unwrap();
        assert_eq!(s.leading_ws, Some(Span::new(0, 1)));
        assert_eq!(s.version, Span::new(1, 8));
    }

    #[test]
    fn request_lines() {
        let r = |l: &[u8]| match parse(l, 10) {
            Ok(StartLine::Request(r)) => Ok(r),
            Ok(_) => panic!("status"),
            Err(e) => Err(e),
        };
        let x = r(b"INVITE sip:a@b SIP/2.0").unwrap();
        assert_eq!(
            (x.method, x.uri, x.version, x.odd_ws),
            (
                Span::new(10, 16),
                Span::new(17, 24),
                Span::new(25, 32),
                None
            )
        );
        // RFC 4475 lwsstart, trws, lwsruri: framed, oddities recorded.
        assert!(r(b"INVITE  sip:a@b  SIP/2.0").unwrap().odd_ws.is_some());
        assert!(r(b"INVITE sip:a@b SIP/2.0 ").unwrap().odd_ws.is_some());
        let l = r(b"INVITE sip:user@example.com; lr SIP/2.0").unwrap();
        assert_eq!(l.uri, Span::new(17, 41));
        // RFC 4475 badvers: parsed, the version is exposed.
        assert!(r(b"OPTIONS sip:t@example.com SIP/7.0").is_ok());
        // RFC 4475 test.dat: no version. A request's defect, which no
        // response rule names.
        for line in [
            &b"INVITE sip:a@b"[..],
            b"INVITE sip:a@b HTTP/1.1",
            b"SUBSCRIBE  SIP/2.0",
        ] {
            let e = r(line).unwrap_err();
            assert_eq!(e.kind(), ParseErrorKind::RequestLineMalformed);
            assert_eq!(e.rule(), None);
        }
        // A status line gone wrong keeps the status line's kinds (found in
        // review: these read as request lines at first).
        for (line, kind) in [
            (&b"SIP 200 OK"[..], ParseErrorKind::VersionSyntax),
            (b"200 OK", ParseErrorKind::StartLineMalformed),
            (b"SIP2.0 200 OK", ParseErrorKind::VersionSyntax),
            (b"SIP-2.0 200 OK", ParseErrorKind::VersionSyntax),
            (b"2.0 200 OK", ParseErrorKind::VersionSyntax),
            (b"sip 180", ParseErrorKind::StartLineMalformed),
        ] {
            let e = r(line).unwrap_err();
            assert_eq!(e.kind(), kind, "{}", String::from_utf8_lossy(line));
            assert_eq!(e.rule(), Some("status-line-syntax"));
        }
        assert_eq!(
            r(b"INV\x01TE sip:a@b SIP/2.0").unwrap_err().kind(),
            ParseErrorKind::StartLineMalformed
        );
    }
}
