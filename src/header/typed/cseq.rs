//! CSeq (RFC 3261 §20.16): the command sequence number and method.
//!
//! ```text
//! CSeq = "CSeq" HCOLON 1*DIGIT LWS Method
//! Method = INVITEm / ACKm / OPTIONSm / BYEm / CANCELm / REGISTERm / extension-method
//! extension-method = token
//! ```

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::{self, Defect, Defects, Part};
use crate::header::typed::scan::ascii;
use crate::header::typed::{LaxHeader, LaxReading, TypedHeader};
use crate::header::KnownHeader;
use crate::lex;
use crate::Span;

/// CSeq (RFC 3261 §20.16): `1*DIGIT LWS Method`.
///
/// - The number "MUST be expressible as a 32-bit unsigned integer" (§20.16).
///   A well-formed number that does not fit (RFC 4475 `scalar02`, `scalarlg`)
///   fails with `NumberOutOfRange` at its first digit. The whole syntax is
///   checked *before* the range, so `NumberOutOfRange` always means "grammar
///   fine, number overflowed" (rule `cseq-number-overflow`), and every other
///   kind means `cseq-syntax`.
/// - Leading zeros are digits (RFC 4475 `wsinv`: `0009`), the LWS between
///   number and method may be a fold.
/// - The method is a `token`, kept exactly as sent: methods are
///   case-sensitive (§20.16, §25.1), so `invite` is not `INVITE`.
/// - Anything after the method is `Trailing` at its first byte (`1 INVITE 2`,
///   `1 INVITE, 2 INVITE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CSeq<'a> {
    number: u32,
    number_span: Span,
    method: &'a str,
    method_span: Span,
}

impl<'a> CSeq<'a> {
    /// The sequence number.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// Absolute span of the number's digits.
    pub fn number_span(&self) -> Span {
        self.number_span
    }

    /// The method, case preserved.
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// Absolute span of the method.
    pub fn method_span(&self) -> Span {
        self.method_span
    }

    /// True when the method is exactly `method` (case-sensitive, §20.16).
    pub fn is_method(&self, method: &str) -> bool {
        self.method == method
    }
}

impl<'a> TypedHeader<'a> for CSeq<'a> {
    const NAME: KnownHeader = KnownHeader::CSeq;

    /// The lax reading ([`CSeq::parse_lax`]) with no defect: CSeq has one
    /// grammar, read in one place. Its first defect is the error, with two
    /// strict-parser conventions: a method followed by bytes that are not
    /// part of a token is `Trailing` at those bytes, and a number out of
    /// range is reported only when nothing else is wrong.
    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        use HeaderValueErrorKind as K;
        let lax = CSeq::parse_lax(value, base);
        let first = lax
            .defects
            .iter()
            .find(|d| d.kind != K::NumberOutOfRange)
            .or(lax.defects.first());
        if let Some(d) = first {
            let kind = match (d.part, d.kind) {
                (Part::Method, K::UnexpectedChar) => K::Trailing,
                (_, k) => k,
            };
            return Err(HeaderValueError::new(kind, d.at));
        }
        match (lax.number, lax.method) {
            (Some((number, number_span)), Some((method, method_span))) => Ok(CSeq {
                number,
                number_span,
                method,
                method_span,
            }),
            // A reading without defects has both parts.
            _ => Err(HeaderValueError::new(K::Empty, base)),
        }
    }
}

/// A lax reading of CSeq ([`CSeq::parse_lax`]): the number and the method
/// read on their own; a defect in one leaves the other readable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CSeqLax<'a> {
    number: Option<(u32, Span)>,
    method: Option<(&'a str, Span)>,
    defects: Defects,
}

impl<'a> CSeqLax<'a> {
    /// The defects found (empty: the value is valid).
    pub fn defects(&self) -> &Defects {
        &self.defects
    }

    /// The sequence number, when it is `1*DIGIT` and fits 32 bits.
    pub fn number(&self) -> Option<u32> {
        self.number.map(|n| n.0)
    }

    /// Absolute span of the valid number.
    pub fn number_span(&self) -> Option<Span> {
        self.number.map(|n| n.1)
    }

    /// The method, when it is a token.
    pub fn method(&self) -> Option<&'a str> {
        self.method.map(|m| m.0)
    }

    /// Absolute span of the valid method.
    pub fn method_span(&self) -> Option<Span> {
        self.method.map(|m| m.1)
    }
}

impl LaxReading for CSeqLax<'_> {
    fn defects(&self) -> &Defects {
        &self.defects
    }
}

/// End of the word (run of non-LWS bytes) starting at `i`.
fn word_end(v: &[u8], mut i: usize) -> usize {
    while i < v.len() && !lex::is_lws(v[i]) {
        i += 1;
    }
    i
}

impl<'a> CSeq<'a> {
    /// Reads CSeq laxly: `1*DIGIT` (a [`Part::Number`] defect when it is no
    /// number or does not fit 32 bits) and `Method` (a [`Part::Method`]
    /// defect when it is missing or no token) on their own; bytes after the
    /// method are a [`Part::Value`] defect.
    ///
    /// ```
    /// use sip_response::grammar::Part;
    /// use sip_response::header::typed::CSeq;
    ///
    /// let c = CSeq::parse_lax(b"4294967296 INVITE", 0);
    /// assert_eq!((c.number(), c.method()), (None, Some("INVITE")));
    /// assert_eq!(c.defects().first().map(|d| d.part), Some(Part::Number));
    /// ```
    pub fn parse_lax(value: &'a [u8], base: usize) -> CSeqLax<'a> {
        use HeaderValueErrorKind as K;
        let mut lax = CSeqLax {
            number: None,
            method: None,
            defects: Defects::new(),
        };
        let span = |a: usize, b: usize| Span::new(base + a, base + b);
        let start = lex::skip_lws(value, 0);
        if start == value.len() {
            lax.defects
                .push(Defect::new(Part::Value, span(start, start), K::Empty));
            return lax;
        }
        let nend = word_end(value, start);
        match grammar::number::delta_seconds(&value[start..nend]) {
            Ok((&[], (_, n))) => match n.and_then(|n| u32::try_from(n).ok()) {
                Some(n) => lax.number = Some((n, span(start, nend))),
                None => lax.defects.push(Defect::new(
                    Part::Number,
                    span(start, nend),
                    K::NumberOutOfRange,
                )),
            },
            Ok((rest, _)) => lax.defects.push(
                Defect::new(Part::Number, span(start, nend), K::UnexpectedChar)
                    .at(base + nend - rest.len()),
            ),
            Err(_) => lax.defects.push(Defect::new(
                Part::Number,
                span(start, nend),
                K::ExpectedDigits,
            )),
        }
        let mstart = lex::skip_lws(value, nend);
        if mstart == value.len() {
            lax.defects
                .push(Defect::new(Part::Method, span(mstart, mstart), K::Missing));
            return lax;
        }
        let mend = word_end(value, mstart);
        match grammar::text::token(&value[mstart..mend]) {
            Ok((&[], m)) => lax.method = Some((ascii(m), span(mstart, mend))),
            Ok((rest, _)) => lax.defects.push(
                Defect::new(Part::Method, span(mstart, mend), K::UnexpectedChar)
                    .at(base + mend - rest.len()),
            ),
            Err(_) => lax.defects.push(Defect::new(
                Part::Method,
                span(mstart, mend),
                K::ExpectedToken,
            )),
        }
        let tail = lex::skip_lws(value, mend);
        if tail < value.len() {
            let end = start + lex::trim_lws(&value[start..]).len();
            lax.defects
                .push(Defect::new(Part::Value, span(tail, end), K::Trailing));
        }
        lax
    }
}

impl<'a> LaxHeader<'a> for CSeq<'a> {
    type Lax = CSeqLax<'a>;
    fn parse_lax(value: &'a [u8], base: usize) -> CSeqLax<'a> {
        CSeq::parse_lax(value, base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::HeaderValueErrorKind as K;
    use proptest::prelude::*;

    type Row = (
        &'static [u8],
        u32,
        &'static str,
        (usize, usize),
        (usize, usize),
    );

    const BASE: usize = 300;

    #[test]
    fn lax_table() {
        use crate::grammar::Part as P;
        type LaxRow<'a> = (
            &'a [u8],
            Option<u32>,
            Option<&'a str>,
            &'a [(P, K, &'a [u8])],
        );
        let table: &[LaxRow<'_>] = &[
            (b"314159 INVITE", Some(314159), Some("INVITE"), &[]),
            (b"0009\r\n  INVITE", Some(9), Some("INVITE"), &[]),
            (
                b"4294967296 INVITE",
                None,
                Some("INVITE"),
                &[(P::Number, K::NumberOutOfRange, b"4294967296")],
            ),
            (
                b"12a INVITE",
                None,
                Some("INVITE"),
                &[(P::Number, K::UnexpectedChar, b"12a")],
            ),
            (
                b"INVITE",
                None,
                None,
                &[
                    (P::Number, K::ExpectedDigits, b"INVITE"),
                    (P::Method, K::Missing, b""),
                ],
            ),
            (b"1", Some(1), None, &[(P::Method, K::Missing, b"")]),
            (
                b"1 INV@ITE",
                Some(1),
                None,
                &[(P::Method, K::UnexpectedChar, b"INV@ITE")],
            ),
            (
                b"1 INVITE 2",
                Some(1),
                Some("INVITE"),
                &[(P::Value, K::Trailing, b"2")],
            ),
            (b"  ", None, None, &[(P::Value, K::Empty, b"")]),
        ];
        for &(s, n, m, want) in table {
            let c = CSeq::parse_lax(s, BASE);
            let name = String::from_utf8_lossy(s);
            assert_eq!((c.number(), c.method()), (n, m), "{name}");
            let got: Vec<(P, K, &[u8])> = c
                .defects()
                .iter()
                .map(|d| (d.part, d.kind, &s[d.span.start - BASE..d.span.end - BASE]))
                .collect();
            assert_eq!(got, want, "{name}");
            assert_eq!(
                c.defects().is_empty(),
                CSeq::parse(s, BASE).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn valid_table() {
        // (input, number, method, number span, method span), relative.
        let table: &[Row] = &[
            (b"0009\r\n  INVITE", 9, "INVITE", (0, 4), (8, 14)), // wsinv (folded)
            (
                b"139122385 !interesting-Method0123456789_*+`.%indeed'~",
                139122385,
                "!interesting-Method0123456789_*+`.%indeed'~",
                (0, 9),
                (10, 53),
            ), // intmeth
            (
                b"29344 RE%47IST%45R",
                29344,
                "RE%47IST%45R",
                (0, 5),
                (6, 18),
            ), // esc02
            (b"14398234 REGISTER", 14398234, "REGISTER", (0, 8), (9, 17)), // escnull
            (b"3882340 INVITE", 3882340, "INVITE", (0, 7), (8, 14)), // longreq
            (b"8 REGISTER", 8, "REGISTER", (0, 1), (2, 10)),     // dblreq
            (b"8 OPTIONS", 8, "OPTIONS", (0, 1), (2, 9)),        // semiuri
            (b"60 OPTIONS", 60, "OPTIONS", (0, 2), (3, 10)),     // lwsdisp, transports
            (b"1 MESSAGE", 1, "MESSAGE", (0, 1), (2, 9)),        // mpart01
            (b"35 INVITE", 35, "INVITE", (0, 2), (3, 9)),        // unreason, noreason
            (b"234234 INVITE", 234234, "INVITE", (0, 6), (7, 13)), // esc01
            (b"849226883 NOTIFY", 849226883, "NOTIFY", (0, 9), (10, 16)), // fixture 481
            (b"2 PRACK", 2, "PRACK", (0, 1), (2, 7)),
            (b"4294967295 invite", u32::MAX, "invite", (0, 10), (11, 17)),
            (b"  1\tBYE  ", 1, "BYE", (2, 3), (4, 7)),
        ];
        for &(input, n, m, ns, ms) in table {
            let c = CSeq::parse(input, BASE).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(c.number(), n, "{input:?}");
            assert_eq!(c.method(), m, "{input:?}");
            assert_eq!(
                c.number_span(),
                Span::new(BASE + ns.0, BASE + ns.1),
                "{input:?}"
            );
            assert_eq!(
                c.method_span(),
                Span::new(BASE + ms.0, BASE + ms.1),
                "{input:?}"
            );
            assert_eq!(&input[ms.0..ms.1], m.as_bytes());
        }
        assert!(CSeq::parse(b"1 INVITE", 0).unwrap().is_method("INVITE"));
        assert!(!CSeq::parse(b"1 invite", 0).unwrap().is_method("INVITE"));
    }

    #[test]
    fn invalid_table() {
        let table: &[(&[u8], K, usize)] = &[
            (b"36893488147419103232 REGISTER", K::NumberOutOfRange, 0), // scalar02
            (b"9292394834772304023312 OPTIONS", K::NumberOutOfRange, 0), // scalarlg
            (b"4294967296 INVITE", K::NumberOutOfRange, 0),
            (b" 4294967296 INVITE", K::NumberOutOfRange, 1),
            // Syntax wins over range.
            (b"4294967296", K::Missing, 10),
            (b"4294967296 INVITE x", K::Trailing, 18),
            (b"", K::Empty, 0),
            (b"INVITE", K::ExpectedDigits, 0),
            (b"-1 INVITE", K::ExpectedDigits, 0),
            (b"1", K::Missing, 1),
            (b"1   ", K::Missing, 4),
            (b"1INVITE", K::UnexpectedChar, 1),
            (b"1 INVITE 2", K::Trailing, 9),
            (b"1 INVITE, 2 INVITE", K::Trailing, 8),
            (b"1 INV:ITE", K::Trailing, 5),
            (b"1 ;", K::ExpectedToken, 2),
            (b"1.5 INVITE", K::UnexpectedChar, 1),
        ];
        for &(input, kind, at) in table {
            let e = CSeq::parse(input, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + at), "{input:?}");
        }
    }

    fn lws1() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(" ".to_string()),
            Just("\t".to_string()),
            Just("\r\n ".to_string()),
            Just(" \r\n\t ".to_string()),
        ]
    }

    proptest! {
        #[test]
        fn lax_agrees_with_strict(s in "[0-9 a-zA-Z\r\n\t@]{0,16}", base in 0usize..1000) {
            let lax = CSeq::parse_lax(s.as_bytes(), base);
            match CSeq::parse(s.as_bytes(), base) {
                Ok(c) => {
                    prop_assert!(lax.defects().is_empty());
                    prop_assert_eq!(lax.number(), Some(c.number()));
                    prop_assert_eq!(lax.method(), Some(c.method()));
                    prop_assert_eq!(lax.number_span(), Some(c.number_span()));
                    prop_assert_eq!(lax.method_span(), Some(c.method_span()));
                }
                Err(_) => prop_assert!(!lax.defects().is_empty()),
            }
            for d in lax.defects() {
                prop_assert!(d.span.start >= base && d.span.end <= base + s.len());
            }
        }

        #[test]
        fn prop_roundtrip(
            n in any::<u32>(),
            zeros in 0usize..3,
            sep in lws1(),
            method in "[A-Za-z0-9.!%*_+`'~-]{1,20}",
        ) {
            let s = format!("{}{n}{sep}{method}", "0".repeat(zeros));
            let c = CSeq::parse(s.as_bytes(), 11).unwrap();
            prop_assert_eq!(c.number(), n);
            prop_assert_eq!(c.method(), method.as_str());
            let ms = c.method_span();
            prop_assert_eq!(&s.as_bytes()[ms.start - 11..ms.end - 11], method.as_bytes());
            prop_assert_eq!(c.number_span().start, 11);
        }

        #[test]
        fn prop_overflow_is_range(n in (u64::from(u32::MAX) + 1).., method in "[A-Z]{1,8}") {
            let s = format!("{n} {method}");
            let e = CSeq::parse(s.as_bytes(), 4).unwrap_err();
            prop_assert_eq!((e.kind(), e.offset()), (K::NumberOutOfRange, 4));
        }

        #[test]
        fn prop_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let end = 5 + bytes.len();
            match CSeq::parse(&bytes, 5) {
                Ok(c) => {
                    prop_assert!(c.method_span().end <= end && c.number_span().end <= end);
                    prop_assert!(!c.method().is_empty());
                }
                Err(e) => prop_assert!(e.offset() <= end),
            }
        }
    }
}
