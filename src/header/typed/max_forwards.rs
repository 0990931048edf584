//! Max-Forwards (RFC 3261 §20.22): hop limit of a request.
//!
//! ```text
//! Max-Forwards = "Max-Forwards" HCOLON 1*DIGIT
//! ```

use crate::error::HeaderValueError;
use crate::header::typed::number::parse_lone_bounded;
use crate::header::typed::TypedHeader;
use crate::header::KnownHeader;
use crate::Span;

/// Max-Forwards (RFC 3261 §20.22): `1*DIGIT` in 0..=255.
///
/// §20.22 says the value is "an integer in the range 0-255". Leading zeros
/// are ordinary digits (RFC 4475 `wsinv` has `0068`). A well-formed number
/// above 255 (RFC 4475 `scalar02`: `300`) fails with `NumberOutOfRange` at
/// its first digit; the syntax is checked first, so that kind always means
/// "digits fine, range exceeded". In a response the header is meaningless
/// anyway (rule `max-forwards-in-response`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MaxForwards {
    value: u8,
    span: Span,
}

impl MaxForwards {
    /// The remaining hop count.
    pub fn value(&self) -> u8 {
        self.value
    }

    /// Absolute span of the digits.
    pub fn span(&self) -> Span {
        self.span
    }
}

impl<'a> TypedHeader<'a> for MaxForwards {
    const NAME: KnownHeader = KnownHeader::MaxForwards;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let (value, span) = parse_lone_bounded(value, base, |v| u8::try_from(v).ok())?;
        Ok(MaxForwards { value, span })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::HeaderValueErrorKind as K;
    use proptest::prelude::*;

    #[test]
    fn valid_table() {
        let table: &[(&[u8], u8, usize, usize)] = &[
            (b"0068", 68, 0, 4), // wsinv
            (b"70", 70, 0, 2),
            (b"0", 0, 0, 1),     // zeromf
            (b"255", 255, 0, 3), // intmeth
            (b"254", 254, 0, 3),
            (b"     70", 70, 5, 7),
            (b"00000000000000000000000255", 255, 0, 26),
        ];
        for &(input, v, s, e) in table {
            let m = MaxForwards::parse(input, 100).unwrap();
            assert_eq!(m.value(), v, "{input:?}");
            assert_eq!(m.span(), Span::new(100 + s, 100 + e), "{input:?}");
        }
    }

    #[test]
    fn invalid_table() {
        let table: &[(&[u8], K, usize)] = &[
            (b"300", K::NumberOutOfRange, 0), // scalar02
            (b"256", K::NumberOutOfRange, 0),
            (b"99999999999999999999999", K::NumberOutOfRange, 0),
            (b"", K::Empty, 0),
            (b"-1", K::ExpectedDigits, 0),
            (b"7 0", K::Trailing, 2),
            (b"70, 69", K::UnexpectedChar, 2),
            (b"300 x", K::Trailing, 4),
        ];
        for &(input, kind, at) in table {
            let e = MaxForwards::parse(input, 100).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, 100 + at), "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn prop_roundtrip(n in any::<u8>(), zeros in 0usize..3, tail in "[ \t]{0,2}") {
            let s = format!("{}{n}{tail}", "0".repeat(zeros));
            let m = MaxForwards::parse(s.as_bytes(), 0).unwrap();
            prop_assert_eq!(m.value(), n);
            prop_assert_eq!(m.span().end, s.len() - tail.len());
        }

        #[test]
        fn prop_range(n in 256u64..) {
            let e = MaxForwards::parse(n.to_string().as_bytes(), 5).unwrap_err();
            prop_assert_eq!((e.kind(), e.offset()), (K::NumberOutOfRange, 5));
        }

        #[test]
        fn prop_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            if let Ok(m) = MaxForwards::parse(&bytes, 1) {
                prop_assert!(m.span().end <= 1 + bytes.len());
            }
        }
    }
}
