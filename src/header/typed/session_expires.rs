//! Session-Expires (RFC 4028 §4): the session interval of a session timer.
//!
//! ```text
//! Session-Expires = ( "Session-Expires" / "x" ) HCOLON delta-seconds *( SEMI se-params )
//! se-params       = refresher-param / generic-param
//! refresher-param = "refresher" EQUAL ( "uas" / "uac" )
//! ```

use crate::error::HeaderValueError;
use crate::grammar::{Defects, Part};
use crate::header::param::{LaxParams, Params};
use crate::header::typed::number::{delta_accessors, parse_delta_params, scan_delta, DeltaSeconds};
use crate::header::typed::scan::read_head_params_lax;
use crate::header::typed::{LaxHeader, LaxReading, TypedHeader};
use crate::header::KnownHeader;
use crate::Span;

/// Who refreshes the session (RFC 4028 §4 `refresher-param`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refresher<'a> {
    /// `refresher=uac`: the caller refreshes.
    Uac,
    /// `refresher=uas`: the callee refreshes.
    Uas,
    /// Any other value as sent (quotes kept; empty when the parameter has
    /// no value). Not a `refresher-param`, so RFC 4028 §9's "MUST contain a
    /// refresher" is not met by it.
    Other(&'a [u8]),
}

/// Session-Expires (RFC 4028 §4): `delta-seconds *(SEMI se-params)`.
///
/// The `uac` / `uas` literals are ABNF strings and so case-insensitive
/// (RFC 5234 §2.3). Range checks (at least 90 s, rule
/// `2xx-session-expires-min`; at most 2^32−1) are left to the validator:
/// the number parses whatever its size, as for every `delta-seconds`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionExpires<'a> {
    delta: DeltaSeconds,
    params: Params<'a>,
}

impl<'a> SessionExpires<'a> {
    /// The smallest session interval RFC 4028 §4 allows (90 seconds).
    pub const MINIMUM: u64 = 90;

    delta_accessors!(
        delta,
        value: "The session interval in seconds, saturated at `u64::MAX`.",
        exceeds_u32: "True when the interval is above 2^32−1."
    );

    /// All parameters, `refresher` included.
    pub fn params(&self) -> Params<'a> {
        self.params
    }

    /// The first `refresher` parameter, if any (rule
    /// `2xx-session-expires-refresher`).
    pub fn refresher(&self) -> Option<Refresher<'a>> {
        let p = self.params.get("refresher")?;
        Some(match p.value() {
            Some(v) if v.eq_ignore_ascii_case(b"uac") => Refresher::Uac,
            Some(v) if v.eq_ignore_ascii_case(b"uas") => Refresher::Uas,
            Some(v) => Refresher::Other(v),
            None => Refresher::Other(&[]),
        })
    }

    /// Absolute span of the `refresher` parameter (name through value).
    pub fn refresher_span(&self) -> Option<Span> {
        self.params.get("refresher").map(|p| p.span())
    }
}

/// A lax reading of Session-Expires ([`SessionExpires::parse_lax`]): the
/// interval and each parameter on their own; a `refresher` that is not
/// `uac`/`uas` is a [`Part::Refresher`] defect, a bad interval a
/// [`Part::Number`] defect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionExpiresLax<'a> {
    delta: Option<DeltaSeconds>,
    params: LaxParams<'a>,
    defects: Defects,
}

impl<'a> SessionExpiresLax<'a> {
    /// The interval, when it is `delta-seconds`.
    pub fn delta(&self) -> Option<DeltaSeconds> {
        self.delta
    }

    /// The well-formed parameters.
    pub fn params(&self) -> LaxParams<'a> {
        self.params
    }

    /// The refresher, when the parameter is present and `uac` or `uas`.
    pub fn refresher(&self) -> Option<Refresher<'a>> {
        let v = self.params.get_valid("refresher")?.value()?;
        Some(if v.eq_ignore_ascii_case(b"uac") {
            Refresher::Uac
        } else {
            Refresher::Uas
        })
    }

    /// The defects found (empty: the value is valid).
    pub fn defects(&self) -> &Defects {
        &self.defects
    }
}

impl LaxReading for SessionExpiresLax<'_> {
    fn defects(&self) -> &Defects {
        &self.defects
    }
}

impl<'a> SessionExpires<'a> {
    /// Reads the value laxly (see [`SessionExpiresLax`]).
    ///
    /// ```
    /// use sip_response::grammar::Part;
    /// use sip_response::header::typed::{Refresher, SessionExpires};
    ///
    /// let s = SessionExpires::parse_lax(b"1800;refresher=proxy;x", 0);
    /// assert_eq!(s.delta().map(|d| d.value()), Some(1800));
    /// assert_eq!(s.refresher(), None);
    /// assert_eq!(s.defects().first().map(|d| (d.part, d.span.range())), Some((Part::Refresher, 15..20)));
    /// assert_eq!(SessionExpires::parse_lax(b"90;refresher=UAS", 0).refresher(), Some(Refresher::Uas));
    /// ```
    pub fn parse_lax(value: &'a [u8], base: usize) -> SessionExpiresLax<'a> {
        let r = read_head_params_lax(
            value,
            base,
            Part::Number,
            &[("refresher", Part::Refresher)],
            |cur| scan_delta(cur, b";"),
        );
        SessionExpiresLax {
            delta: r.head,
            params: r.params,
            defects: r.defects,
        }
    }
}

impl<'a> LaxHeader<'a> for SessionExpires<'a> {
    type Lax = SessionExpiresLax<'a>;
    fn parse_lax(value: &'a [u8], base: usize) -> SessionExpiresLax<'a> {
        SessionExpires::parse_lax(value, base)
    }
}

impl<'a> TypedHeader<'a> for SessionExpires<'a> {
    const NAME: KnownHeader = KnownHeader::SessionExpires;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let (delta, params) = parse_delta_params(value, base)?;
        Ok(SessionExpires { delta, params })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::HeaderValueErrorKind as K;
    use proptest::prelude::*;

    const BASE: usize = 900;

    #[test]
    fn valid_table() {
        // (input, value, refresher, refresher span relative)
        type Row = (
            &'static [u8],
            u64,
            Option<Refresher<'static>>,
            Option<(usize, usize)>,
        );
        let table: &[Row] = &[
            (
                b"1200;refresher=uac",
                1200,
                Some(Refresher::Uac),
                Some((5, 18)),
            ),
            (
                b"1200;refresher=uas",
                1200,
                Some(Refresher::Uas),
                Some((5, 18)),
            ),
            (
                b"900 ; REFRESHER = UAS",
                900,
                Some(Refresher::Uas),
                Some((6, 21)),
            ),
            (b"1800", 1800, None, None),
            (
                b"90;x;refresher=other",
                90,
                Some(Refresher::Other(b"other")),
                Some((5, 20)),
            ),
            (
                b"90;refresher",
                90,
                Some(Refresher::Other(b"")),
                Some((3, 12)),
            ),
            (
                b"90;refresher=\"uac\"",
                90,
                Some(Refresher::Other(b"\"uac\"")),
                Some((3, 18)),
            ),
            (
                b"4294967296\r\n ;refresher=uac",
                4294967296,
                Some(Refresher::Uac),
                Some((14, 27)),
            ),
        ];
        for &(input, v, r, rs) in table {
            let s = SessionExpires::parse(input, BASE).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(s.value(), v, "{input:?}");
            assert_eq!(s.refresher(), r, "{input:?}");
            assert_eq!(
                s.refresher_span(),
                rs.map(|(a, b)| Span::new(BASE + a, BASE + b))
            );
            assert_eq!(s.exceeds_u32(), v > u64::from(u32::MAX));
            assert_eq!(s.span().start, BASE);
        }
        assert_eq!(SessionExpires::NAME, KnownHeader::SessionExpires);
        assert!(SessionExpires::parse(b"89", 0).unwrap().value() < SessionExpires::MINIMUM);
    }

    #[test]
    fn invalid_table() {
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            (b"refresher=uac", K::ExpectedDigits, 0),
            (b"-90", K::ExpectedDigits, 0),
            (b"90s", K::UnexpectedChar, 2),
            (b"90;", K::BadParam, 3),
            (b"90;refresher=", K::BadParam, 13),
            (b"90 refresher=uac", K::Trailing, 3),
            (b"90;refresher=uac, 80", K::Trailing, 16),
        ];
        for &(input, kind, at) in table {
            let e = SessionExpires::parse(input, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + at), "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn prop_roundtrip(
            n in any::<u64>(),
            who in prop_oneof![Just(None), Just(Some("uac")), Just(Some("uas")), Just(Some("UaC"))],
            sp in prop_oneof![Just(""), Just(" "), Just("\r\n "), Just("\t")],
            extra in proptest::option::of("[a-z]{1,5}"),
        ) {
            let mut v = n.to_string();
            if let Some(x) = &extra {
                v.push_str(&format!("{sp};{sp}{x}"));
            }
            if let Some(w) = who {
                v.push_str(&format!("{sp};{sp}refresher{sp}={sp}{w}"));
            }
            let s = SessionExpires::parse(v.as_bytes(), 3).unwrap();
            prop_assert_eq!(s.value(), n);
            let expect = who.map(|w| if w.eq_ignore_ascii_case("uac") { Refresher::Uac } else { Refresher::Uas });
            prop_assert_eq!(s.refresher(), expect);
            if let Some(r) = s.refresher_span() {
                prop_assert!(v.as_bytes()[r.start - 3..r.end - 3].starts_with(b"refresher"));
            }
        }

        #[test]
        fn prop_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let end = 1 + bytes.len();
            match SessionExpires::parse(&bytes, 1) {
                Ok(s) => {
                    prop_assert!(s.span().end <= end);
                    if let Some(r) = s.refresher_span() { prop_assert!(r.end <= end); }
                    let _ = s.refresher();
                }
                Err(e) => prop_assert!(e.offset() <= end),
            }
        }
    }
}
