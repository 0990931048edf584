//! Headers whose value is a `delta-seconds` number: Expires (RFC 3261
//! §20.19), Min-Expires (§20.23), Min-SE (RFC 4028 §5) and RSeq (RFC 3262
//! §7.1), plus the digit scanner the other numeric headers share.
//!
//! ```text
//! delta-seconds = 1*DIGIT                                   ; RFC 3261 §25.1
//! Expires       = "Expires" HCOLON delta-seconds
//! Min-Expires   = "Min-Expires" HCOLON delta-seconds
//! Min-SE        = "Min-SE" HCOLON delta-seconds *(SEMI generic-param)  ; RFC 4028 §5
//! RSeq          = "RSeq" HCOLON response-num                ; RFC 3262 §7.1
//! response-num  = 1*DIGIT
//! ```
//!
//! Range policy: `delta-seconds` has no upper bound in the ABNF, and RFC 3261
//! §10.2 / the rule table (`expires-syntax`) treat a value above 2^32−1 as a
//! *warning* that receivers may clamp, not as a syntax error. So a digit
//! string of any length parses; [`DeltaSeconds::value`] saturates at
//! `u64::MAX`, [`DeltaSeconds::exact`] says whether it fitted in 64 bits and
//! [`DeltaSeconds::exceeds_u32`] answers the range question. Only RSeq, whose
//! range 1..=2^32−1 is part of its definition (RFC 3262 §3, §7.1), fails
//! with `NumberOutOfRange`.

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::grammar::Part;
use crate::header::param::{scan_params, Params};
use crate::header::typed::scan::ValueLax;
use crate::header::typed::{LaxHeader, TypedHeader};
use crate::header::KnownHeader;
use crate::lex;
use crate::Span;

/// A parsed `delta-seconds` (RFC 3261 §25.1: `1*DIGIT`), kept with its span.
///
/// Why not a plain integer: the grammar puts no bound on the digits, while
/// the rules care whether the value fits 32 bits (RFC 3261 §10.2, §20.19,
/// RFC 4475 §3.1.2.5), so the parse keeps both the (saturated) value and the
/// overflow facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DeltaSeconds {
    value: Option<u64>,
    span: Span,
}

impl DeltaSeconds {
    /// The value, saturated at `u64::MAX` when the digits do not fit 64 bits.
    pub fn value(&self) -> u64 {
        self.value.unwrap_or(u64::MAX)
    }

    /// The value if it fits in 64 bits; `None` when it overflowed.
    pub fn exact(&self) -> Option<u64> {
        self.value
    }

    /// True when the value is above 2^32−1, the range RFC 3261 §10.2 and
    /// §20.19 give Expires values and RFC 4475 §3.1.2.5 treats as overlarge.
    pub fn exceeds_u32(&self) -> bool {
        self.value() > u64::from(u32::MAX)
    }

    /// The value clamped to 2^32−1, as RFC 3261 §10.2 lets receivers do.
    pub fn clamped_u32(&self) -> u32 {
        u32::try_from(self.value()).unwrap_or(u32::MAX)
    }

    /// Absolute span of the digits.
    pub fn span(&self) -> Span {
        self.span
    }

    /// Reads already-delimited bytes (a parameter value) as `1*DIGIT`;
    /// `None` when they are empty or hold a non-digit. `span` is theirs.
    pub(crate) fn from_digits(digits: &[u8], span: Span) -> Option<Self> {
        if digits.is_empty() || !digits.iter().all(|&b| lex::is_digit(b)) {
            return None;
        }
        Some(DeltaSeconds {
            value: lex::parse_u64(digits),
            span,
        })
    }
}

/// Scans `1*DIGIT` at the cursor. The byte after the digits must be LWS, the
/// end, or one of `followers`; a byte glued to the number (`0x10`, `12abc`)
/// is `UnexpectedChar` there. No digits at all is `ExpectedDigits`.
pub(crate) fn scan_delta(
    cur: &mut Cursor<'_>,
    followers: &[u8],
) -> Result<DeltaSeconds, HeaderValueError> {
    let start = cur.pos;
    let digits = cur.digits();
    if digits.is_empty() {
        return Err(cur.err(HeaderValueErrorKind::ExpectedDigits));
    }
    if let Some(b) = cur.peek() {
        if !lex::is_lws(b) && !followers.contains(&b) {
            return Err(cur.err(HeaderValueErrorKind::UnexpectedChar));
        }
    }
    Ok(DeltaSeconds {
        value: lex::parse_u64(digits),
        span: cur.span_from(start),
    })
}

/// Skips leading LWS; an all-LWS value is `Empty` at its start.
pub(crate) fn start_value(cur: &mut Cursor<'_>) -> Result<(), HeaderValueError> {
    cur.skip_lws();
    if cur.at_end() {
        return Err(cur.err_at(HeaderValueErrorKind::Empty, 0));
    }
    Ok(())
}

/// Skips trailing LWS; anything left is `Trailing` at its first byte.
pub(crate) fn finish(cur: &mut Cursor<'_>) -> Result<(), HeaderValueError> {
    cur.skip_lws();
    if cur.at_end() {
        Ok(())
    } else {
        Err(cur.err(HeaderValueErrorKind::Trailing))
    }
}

/// Parses a value that is exactly one `1*DIGIT` (LWS around it allowed).
pub(crate) fn parse_lone_number(
    value: &[u8],
    base: usize,
) -> Result<DeltaSeconds, HeaderValueError> {
    let mut cur = Cursor::new(value, base);
    start_value(&mut cur)?;
    let d = scan_delta(&mut cur, b"")?;
    finish(&mut cur)?;
    Ok(d)
}

/// Parses a value that is exactly one `1*DIGIT` whose number must pass
/// `fit` (a range or width check); a well-formed number that does not fit
/// is `NumberOutOfRange` at its first digit, so that kind always means
/// "digits fine, range exceeded". Shared by the bounded scalar headers
/// (Content-Length, Max-Forwards, RSeq), whose ranges differ but whose
/// grammar and errors do not.
pub(crate) fn parse_lone_bounded<T>(
    value: &[u8],
    base: usize,
    fit: impl FnOnce(u64) -> Option<T>,
) -> Result<(T, Span), HeaderValueError> {
    let d = parse_lone_number(value, base)?;
    match d.exact().and_then(fit) {
        Some(v) => Ok((v, d.span())),
        None => Err(HeaderValueError::new(
            HeaderValueErrorKind::NumberOutOfRange,
            d.span().start,
        )),
    }
}

/// The four accessors every `delta-seconds` header exposes (`value`,
/// `exceeds_u32`, `delta`, `span`), written once: `$field` is the
/// [`DeltaSeconds`] field (`0` or `delta`); the docs of `value` and
/// `exceeds_u32` say what the number means for that header.
macro_rules! delta_accessors {
    ($field:tt, value: $value_doc:literal, exceeds_u32: $exceeds_doc:literal) => {
        #[doc = $value_doc]
        pub fn value(&self) -> u64 {
            self.$field.value()
        }

        #[doc = $exceeds_doc]
        pub fn exceeds_u32(&self) -> bool {
            self.$field.exceeds_u32()
        }

        /// The parsed number with its overflow facts.
        pub fn delta(&self) -> DeltaSeconds {
            self.$field
        }

        /// Absolute span of the digits.
        pub fn span(&self) -> Span {
            self.$field.span()
        }
    };
}
pub(crate) use delta_accessors;

/// Parses `delta-seconds *(SEMI generic-param)` (Min-SE, RFC 4028 §5, and
/// Session-Expires, RFC 4028 §4, before its `refresher` is read): the
/// number must be followed by LWS, `;` or the end.
pub(crate) fn parse_delta_params(
    value: &[u8],
    base: usize,
) -> Result<(DeltaSeconds, Params<'_>), HeaderValueError> {
    let mut cur = Cursor::new(value, base);
    start_value(&mut cur)?;
    let delta = scan_delta(&mut cur, b";")?;
    let params = scan_params(&mut cur)?;
    finish(&mut cur)?;
    Ok((delta, params))
}

/// Expires (RFC 3261 §20.19): `delta-seconds`, the relative lifetime of the
/// message content, registration or subscription.
///
/// Values above 2^32−1 parse (see the module docs) and are reported through
/// [`Expires::exceeds_u32`] for rule `expires-syntax`'s warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Expires(DeltaSeconds);

/// Min-Expires (RFC 3261 §20.23): `delta-seconds`, the shortest refresh
/// interval a registrar or notifier accepts (sent in 423).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MinExpires(DeltaSeconds);

macro_rules! lone_delta_api {
    ($ty:ident, $name:ident) => {
        impl $ty {
            delta_accessors!(
                0,
                value: "The number of seconds, saturated at `u64::MAX`.",
                exceeds_u32: "True when the value is above 2^32−1 (RFC 3261 §10.2: receivers
 may clamp it; rule `expires-syntax` warns)."
            );
        }

        impl<'a> TypedHeader<'a> for $ty {
            const NAME: KnownHeader = KnownHeader::$name;

            fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
                parse_lone_number(value, base).map($ty)
            }
        }

        impl $ty {
            /// Reads the value laxly: the number, or one located
            /// [`Part::Number`] defect (a date where seconds belong, as in
            /// `Expires: Thu, 25 Mar 2004 15:49:29 GMT`, is one defect of
            /// the whole value, never a second value).
            pub fn parse_lax(value: &[u8], base: usize) -> ValueLax<$ty> {
                ValueLax::from_result(
                    <$ty as TypedHeader<'_>>::parse(value, base),
                    Part::Number,
                    value,
                    base,
                )
            }
        }

        impl<'a> LaxHeader<'a> for $ty {
            type Lax = ValueLax<$ty>;
            fn parse_lax(value: &'a [u8], base: usize) -> ValueLax<$ty> {
                $ty::parse_lax(value, base)
            }
        }
    };
}

lone_delta_api!(Expires, Expires);
lone_delta_api!(MinExpires, MinExpires);

/// Min-SE (RFC 4028 §5): `delta-seconds *(SEMI generic-param)`, the smallest
/// session interval an element accepts (sent in 422, allowed in requests).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MinSe<'a> {
    delta: DeltaSeconds,
    params: Params<'a>,
}

impl<'a> MinSe<'a> {
    delta_accessors!(
        delta,
        value: "The number of seconds, saturated at `u64::MAX`.",
        exceeds_u32: "True when the value is above 2^32−1."
    );

    /// The generic parameters after the number.
    pub fn params(&self) -> Params<'a> {
        self.params
    }
}

impl<'a> TypedHeader<'a> for MinSe<'a> {
    const NAME: KnownHeader = KnownHeader::MinSe;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let (delta, params) = parse_delta_params(value, base)?;
        Ok(MinSe { delta, params })
    }
}

/// RSeq (RFC 3262 §7.1): `response-num = 1*DIGIT`, the sequence number of a
/// reliable provisional response.
///
/// Unlike the `delta-seconds` headers, the range 1..=2^32−1 is part of the
/// definition (RFC 3262 §3: "between 1 and 2**32 - 1"), and a number out of
/// it cannot be acknowledged by a RAck, so 0 and overlarge values fail with
/// `NumberOutOfRange` at the number (after the syntax was checked, so that
/// kind always means "well-formed but out of range"; rule `rseq-range`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RSeq {
    value: u32,
    span: Span,
}

impl RSeq {
    /// The sequence number, in 1..=2^32−1.
    pub fn value(&self) -> u32 {
        self.value
    }

    /// True when the value is above 2^31−1, which the first reliable response
    /// of a transaction must not use (RFC 3262 §3, rule `rseq-range`).
    pub fn exceeds_i32(&self) -> bool {
        self.value > i32::MAX as u32
    }

    /// Absolute span of the digits.
    pub fn span(&self) -> Span {
        self.span
    }
}

impl<'a> TypedHeader<'a> for RSeq {
    const NAME: KnownHeader = KnownHeader::RSeq;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let (value, span) =
            parse_lone_bounded(value, base, |v| u32::try_from(v).ok().filter(|&v| v >= 1))?;
        Ok(RSeq { value, span })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lax_expires() {
        let e = Expires::parse_lax(b" 3600 ", 10);
        assert_eq!(e.value().map(Expires::value), Some(3600));
        assert!(e.defects().is_empty());
        let v = b"Thu, 25 Mar 2004 15:49:29 GMT";
        let e = Expires::parse_lax(v, 10);
        assert!(e.value().is_none());
        assert_eq!(e.defects().len(), 1);
        let d = e.defects().first().unwrap();
        assert_eq!(
            (d.part, d.span),
            (Part::Number, Span::new(10, 10 + v.len()))
        );
        assert_eq!(d.to_error(), Expires::parse(v, 10).unwrap_err());
        assert!(MinExpires::parse_lax(b"", 0).defects().first().is_some());
    }
    use crate::error::HeaderValueErrorKind as K;
    use proptest::prelude::*;

    const BASE: usize = 1000;

    /// (input, value, digits start..end relative, exceeds_u32)
    const VALID: &[(&[u8], u64, usize, usize, bool)] = &[
        (b"1800", 1800, 0, 4, false), // heplifyv1 erspan 202 fixture
        (b"0", 0, 0, 1, false),
        (b"0003600", 3600, 0, 7, false),
        (b"  60 ", 60, 2, 4, false),
        (b"\r\n 60", 60, 3, 5, false),
        (b"4294967295", 4294967295, 0, 10, false),
        (b"4294967296", 4294967296, 0, 10, true),
        (b"18446744073709551615", u64::MAX, 0, 20, true),
    ];

    #[test]
    fn expires_valid_table() {
        for &(input, v, s, e, big) in VALID {
            let x = Expires::parse(input, BASE).unwrap_or_else(|err| panic!("{input:?}: {err}"));
            assert_eq!(x.value(), v, "{input:?}");
            assert_eq!(x.span(), Span::new(BASE + s, BASE + e), "{input:?}");
            assert_eq!(x.exceeds_u32(), big, "{input:?}");
            assert_eq!(x.delta().exact(), Some(v));
            let m = MinExpires::parse(input, BASE).unwrap();
            assert_eq!((m.value(), m.span(), m.exceeds_u32()), (v, x.span(), big));
        }
    }

    #[test]
    fn scalar02_expires_is_overlarge_not_a_syntax_error() {
        // RFC 4475 scalar02: Expires: 1 followed by 100 zeros.
        let s = format!("1{}", "0".repeat(100));
        let x = Expires::parse(s.as_bytes(), BASE).unwrap();
        assert_eq!(x.delta().exact(), None);
        assert_eq!(x.value(), u64::MAX);
        assert!(x.exceeds_u32());
        assert_eq!(x.delta().clamped_u32(), u32::MAX);
        assert_eq!(x.span(), Span::new(BASE, BASE + 101));
    }

    /// (input, kind, relative offset)
    const INVALID: &[(&[u8], K, usize)] = &[
        (b"", K::Empty, 0),
        (b"   ", K::Empty, 0),
        (b"+5", K::ExpectedDigits, 0),
        (b"-1", K::ExpectedDigits, 0),
        (b"0x10", K::UnexpectedChar, 1),
        (b"60s", K::UnexpectedChar, 2),
        (b"1 2", K::Trailing, 2),
        (b"60;x", K::UnexpectedChar, 2),
        (b"60, 3600", K::UnexpectedChar, 2),
        (b"Thu, 01 Dec 1994 16:00:00 GMT", K::ExpectedDigits, 0),
    ];

    #[test]
    fn expires_invalid_table() {
        for &(input, kind, at) in INVALID {
            let e = Expires::parse(input, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + at), "{input:?}");
            let e = MinExpires::parse(input, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + at), "{input:?}");
        }
    }

    #[test]
    fn min_se_with_params() {
        let input = b"90 ;lr;x=\"a\"";
        let m = MinSe::parse(input, BASE).unwrap();
        assert_eq!(m.value(), 90);
        assert_eq!(m.span(), Span::new(BASE, BASE + 2));
        assert_eq!(m.params().len(), 2);
        let x = m.params().get("x").unwrap();
        assert_eq!(x.value_span().unwrap(), Span::new(BASE + 9, BASE + 12));
        assert!(MinSe::parse(b"1800", BASE).unwrap().params().is_empty());
        for &(input, kind, at) in &[
            (&b""[..], K::Empty, 0),
            (b"abc", K::ExpectedDigits, 0),
            (b"90;", K::BadParam, 3),
            (b"90 x", K::Trailing, 3),
            (b"90x", K::UnexpectedChar, 2),
        ] {
            let e = MinSe::parse(input, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + at), "{input:?}");
        }
    }

    #[test]
    fn rseq_range() {
        for &(input, v) in &[
            (&b"1"[..], 1u32),
            (b"988789", 988789),
            (b"4294967295", u32::MAX),
        ] {
            let r = RSeq::parse(input, BASE).unwrap();
            assert_eq!(r.value(), v);
            assert_eq!(r.span(), Span::new(BASE, BASE + input.len()));
        }
        assert!(!RSeq::parse(b"2147483647", 0).unwrap().exceeds_i32());
        assert!(RSeq::parse(b"2147483648", 0).unwrap().exceeds_i32());
        for &(input, kind, at) in &[
            (&b"0"[..], K::NumberOutOfRange, 0),
            (b" 000", K::NumberOutOfRange, 1),
            (b"4294967296", K::NumberOutOfRange, 0),
            (b"99999999999999999999999", K::NumberOutOfRange, 0),
            (b"99999999999999999999999 x", K::Trailing, 24),
            (b"", K::Empty, 0),
            (b"-1", K::ExpectedDigits, 0),
        ] {
            let e = RSeq::parse(input, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + at), "{input:?}");
        }
    }

    fn lws() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            Just("\r\n ".to_string()),
            Just("  \r\n\t".to_string()),
        ]
    }

    proptest! {
        #[test]
        fn prop_roundtrip(n in any::<u64>(), zeros in 0usize..4, a in lws(), b in lws()) {
            let digits = format!("{}{}", "0".repeat(zeros), n);
            let s = format!("{a}{digits}{b}");
            let x = Expires::parse(s.as_bytes(), 7).unwrap();
            prop_assert_eq!(x.value(), n);
            prop_assert_eq!(&s.as_bytes()[x.span().start - 7..x.span().end - 7], digits.as_bytes());
            prop_assert_eq!(x.exceeds_u32(), n > u64::from(u32::MAX));
            let with_param = format!("{s};p={n}");
            let m = MinSe::parse(with_param.as_bytes(), 7).unwrap();
            prop_assert_eq!(m.value(), n);
            let ns = n.to_string();
            prop_assert_eq!(m.params().get("p").unwrap().value(), Some(ns.as_bytes()));
        }

        #[test]
        fn prop_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let end = 3 + bytes.len();
            if let Ok(x) = Expires::parse(&bytes, 3) {
                prop_assert!(x.span().start >= 3 && x.span().end <= end);
            }
            if let Ok(m) = MinSe::parse(&bytes, 3) {
                prop_assert!(m.params().span().end <= end);
                for p in m.params().iter() {
                    prop_assert!(p.span().end <= end);
                }
            }
            if let Ok(r) = RSeq::parse(&bytes, 3) {
                prop_assert!(r.span().end <= end && r.value() >= 1);
            }
            for e in [Expires::parse(&bytes, 3).err(), RSeq::parse(&bytes, 3).err()].into_iter().flatten() {
                prop_assert!(e.offset() <= end);
            }
        }
    }
}
