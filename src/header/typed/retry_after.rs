//! Retry-After (RFC 3261 §20.33): when the service is expected back.
//!
//! ```text
//! Retry-After = "Retry-After" HCOLON delta-seconds [ comment ] *( SEMI retry-param )
//! retry-param = ( "duration" EQUAL delta-seconds ) / generic-param
//! comment     = LPAREN *( ctext / quoted-pair / comment ) RPAREN
//! LPAREN      = SWS "(" SWS          ; RPAREN = SWS ")" SWS
//! ctext       = %x21-27 / %x2A-5B / %x5D-7E / UTF8-NONASCII / LWS
//! ```

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::header::param::{scan_params, Params};
use crate::header::typed::number::{
    delta_accessors, finish, scan_delta, start_value, DeltaSeconds,
};
use crate::header::typed::scan::param_value_at;
use crate::header::typed::TypedHeader;
use crate::header::KnownHeader;
use crate::lex;
use crate::Span;

/// Retry-After (RFC 3261 §20.33): `delta-seconds [comment] *(SEMI retry-param)`.
///
/// Decisions, each tied to a rule of the table:
///
/// - **Overlarge values parse.** `delta-seconds` is `1*DIGIT` with no bound,
///   and rule `retry-after-overlarge` (a warning, RFC 4475 §3.1.2.5) is
///   about the *value*, while `retry-after-syntax` is about the grammar. So
///   RFC 4475 `scalarlg`'s `949302838503028349304023988` parses: the value
///   saturates at `u64::MAX`, [`DeltaSeconds::exact`] is `None` and
///   [`RetryAfter::exceeds_u32`] is true. No digit string is an error.
/// - **HTTP-dates are errors** (`ExpectedDigits` at the first byte): SIP
///   only has the delta-seconds form (§25.1; rule `retry-after-syntax`).
/// - **Comments nest** and are scanned iteratively with a depth bound
///   (the crate's shared comment scanner, depth 8): unbalanced or too deep input is
///   `BadComment`, never recursion. Control characters other than LWS in a
///   comment (outside a `quoted-pair`) are `UnexpectedChar`.
/// - **`duration` must be delta-seconds** (`ExpectedDigits` at its value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter<'a> {
    delta: DeltaSeconds,
    comment: Option<(&'a [u8], Span)>,
    params: Params<'a>,
}

impl<'a> RetryAfter<'a> {
    delta_accessors!(
        delta,
        value: "The number of seconds, saturated at `u64::MAX`.",
        exceeds_u32: "True when the value is above 2^32−1 (rule `retry-after-overlarge`)."
    );

    /// The comment's text between the outer parentheses (nested comments
    /// and escapes kept as sent), if there is a comment.
    pub fn comment(&self) -> Option<&'a [u8]> {
        self.comment.map(|(c, _)| c)
    }

    /// Absolute span of [`RetryAfter::comment`]'s text.
    pub fn comment_span(&self) -> Option<Span> {
        self.comment.map(|(_, s)| s)
    }

    /// The `duration` parameter (how long the callee will be reachable), if
    /// present. Its value was checked to be `delta-seconds` by `parse`.
    pub fn duration(&self) -> Option<DeltaSeconds> {
        let p = self.params.get("duration")?;
        DeltaSeconds::from_digits(p.value()?, p.value_span()?)
    }

    /// All parameters, `duration` included.
    pub fn params(&self) -> Params<'a> {
        self.params
    }
}

/// Checks the bytes of a comment (parentheses included) for control
/// characters outside `quoted-pair`; returns the offending index.
fn comment_ctl(c: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < c.len() {
        let b = c[i];
        if b == b'\\' {
            i += 2;
            continue;
        }
        if (b < 0x20 && !lex::is_lws(b)) || b == 0x7f {
            return Some(i);
        }
        i += 1;
    }
    None
}

impl<'a> TypedHeader<'a> for RetryAfter<'a> {
    const NAME: KnownHeader = KnownHeader::RetryAfter;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let mut cur = Cursor::new(value, base);
        start_value(&mut cur)?;
        let delta = scan_delta(&mut cur, b"(;")?;
        let save = cur.pos;
        cur.skip_lws();
        let comment = if cur.peek() == Some(b'(') {
            let open = cur.pos;
            let end = lex::comment_end(cur.s, open)
                .map_err(|at| cur.err_at(HeaderValueErrorKind::BadComment, at))?;
            let whole = cur.s.get(open..end).unwrap_or(&[]);
            if let Some(i) = comment_ctl(whole) {
                return Err(cur.err_at(HeaderValueErrorKind::UnexpectedChar, open + i));
            }
            cur.pos = end;
            let inner = cur.s.get(open + 1..end - 1).unwrap_or(&[]);
            Some((inner, Span::new(base + open + 1, base + end - 1)))
        } else {
            cur.pos = save;
            None
        };
        let params = scan_params(&mut cur)?;
        finish(&mut cur)?;
        if let Some(p) = params.get("duration") {
            let ok = p
                .value()
                .zip(p.value_span())
                .and_then(|(v, s)| DeltaSeconds::from_digits(v, s));
            if ok.is_none() {
                return Err(HeaderValueError::new(
                    HeaderValueErrorKind::ExpectedDigits,
                    param_value_at(&p),
                ));
            }
        }
        Ok(RetryAfter {
            delta,
            comment,
            params,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::HeaderValueErrorKind as K;
    use proptest::prelude::*;

    const BASE: usize = 200;

    #[test]
    fn scalarlg_value_parses_flagged_overlarge() {
        // RFC 4475 scalarlg.
        let input = b"949302838503028349304023988";
        let r = RetryAfter::parse(input, BASE).unwrap();
        assert!(r.exceeds_u32());
        assert_eq!(r.delta().exact(), None);
        assert_eq!(r.value(), u64::MAX);
        assert_eq!(r.span(), Span::new(BASE, BASE + 27));
        assert!(r.comment().is_none() && r.params().is_empty());
    }

    #[test]
    fn valid_table() {
        // (input, value, comment, comment span, duration)
        type Row = (
            &'static [u8],
            u64,
            Option<&'static [u8]>,
            Option<(usize, usize)>,
            Option<u64>,
        );
        let table: &[Row] = &[
            (b"18000;duration=3600", 18000, None, None, Some(3600)),
            (
                b"120 (I'm in a meeting)",
                120,
                Some(b"I'm in a meeting"),
                Some((5, 21)),
                None,
            ),
            (b"120(x)", 120, Some(b"x"), Some((4, 5)), None),
            (
                b"3600 (out (really, out) \\) here) ;duration=0060;x",
                3600,
                Some(b"out (really, out) \\) here"),
                Some((6, 31)),
                Some(60),
            ),
            (b"0", 0, None, None, None),
            (
                b"5\r\n (a)\r\n ;duration=1",
                5,
                Some(b"a"),
                Some((5, 6)),
                Some(1),
            ),
            (b"4294967296", 4294967296, None, None, None),
        ];
        for &(input, v, c, cs, d) in table {
            let r = RetryAfter::parse(input, BASE).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(r.value(), v, "{input:?}");
            assert_eq!(r.comment(), c, "{input:?}");
            assert_eq!(
                r.comment_span(),
                cs.map(|(a, b)| Span::new(BASE + a, BASE + b))
            );
            if let (Some(c), Some(s)) = (r.comment(), r.comment_span()) {
                assert_eq!(&input[s.start - BASE..s.end - BASE], c);
            }
            assert_eq!(r.duration().map(|d| d.value()), d, "{input:?}");
            if let Some(ds) = r.duration() {
                let p = r.params().get("duration").unwrap();
                assert_eq!(Some(ds.span()), p.value_span());
            }
            assert_eq!(r.exceeds_u32(), v > u64::from(u32::MAX));
        }
    }

    #[test]
    fn invalid_table() {
        let deep = format!("60 {}{}", "(".repeat(9), ")".repeat(9));
        let very_deep = format!("60 {}", "(".repeat(10_000));
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            (b"Mon, 21 Jul 2025 10:00:00 GMT", K::ExpectedDigits, 0),
            (b"-5", K::ExpectedDigits, 0),
            (b"5s", K::UnexpectedChar, 1),
            (b"5 6", K::Trailing, 2),
            (b"60 (unclosed", K::BadComment, 3),
            (b"60 (a) (b)", K::Trailing, 7),
            (b"60 (a\x01b)", K::UnexpectedChar, 5),
            (deep.as_bytes(), K::BadComment, 11),
            (very_deep.as_bytes(), K::BadComment, 11),
            (b"60;duration=abc", K::ExpectedDigits, 12),
            (b"60;duration", K::ExpectedDigits, 11),
            (b"60;duration=\"5\"", K::ExpectedDigits, 12),
            (b"60;", K::BadParam, 3),
            (b"60, 70", K::UnexpectedChar, 2),
        ];
        for &(input, kind, at) in table {
            let e = RetryAfter::parse(input, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + at), "{input:?}");
        }
        // An escaped control character is a quoted-pair, not ctext.
        assert!(RetryAfter::parse(b"60 (a\\\x01b)", 0).is_ok());
    }

    proptest! {
        #[test]
        fn prop_roundtrip(
            n in any::<u64>(),
            comment in proptest::option::of("[a-zA-Z ,.;=]{0,12}"),
            dur in proptest::option::of(any::<u32>()),
            sp in prop_oneof![Just(""), Just(" "), Just("\r\n "), Just("\t")],
        ) {
            let mut v = n.to_string();
            if let Some(c) = &comment {
                v.push_str(&format!("{sp}({c})"));
            }
            if let Some(d) = dur {
                v.push_str(&format!("{sp};{sp}duration{sp}={sp}{d}"));
            }
            let r = RetryAfter::parse(v.as_bytes(), 4).unwrap();
            prop_assert_eq!(r.value(), n);
            prop_assert_eq!(r.comment(), comment.as_deref().map(str::as_bytes));
            prop_assert_eq!(r.duration().map(|d| d.value()), dur.map(u64::from));
        }

        #[test]
        fn prop_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..48)) {
            let end = 4 + bytes.len();
            match RetryAfter::parse(&bytes, 4) {
                Ok(r) => {
                    prop_assert!(r.span().end <= end);
                    if let Some(s) = r.comment_span() {
                        prop_assert!(s.start <= s.end && s.end <= end);
                        prop_assert_eq!(&bytes[s.start - 4..s.end - 4], r.comment().unwrap());
                    }
                    if let Some(d) = r.duration() { prop_assert!(d.span().end <= end); }
                }
                Err(e) => prop_assert!(e.offset() <= end),
            }
        }

        #[test]
        fn prop_nested_comments(depth in 1usize..20) {
            let v = format!("1 {}x{}", "(".repeat(depth), ")".repeat(depth));
            let r = RetryAfter::parse(v.as_bytes(), 0);
            if depth <= 8 {
                prop_assert!(r.is_ok());
            } else {
                prop_assert_eq!(r.unwrap_err().kind(), K::BadComment);
            }
        }
    }
}
