//! Content-Length (RFC 3261 §20.14): the size of the body in octets.
//!
//! ```text
//! Content-Length = ( "Content-Length" / "l" ) HCOLON 1*DIGIT
//! ```

use crate::error::HeaderValueError;
use crate::header::typed::number::parse_lone_bounded;
use crate::header::typed::TypedHeader;
use crate::header::KnownHeader;
use crate::Span;

/// Content-Length (RFC 3261 §20.14, §25.1: `1*DIGIT`).
///
/// Strict, because on stream transports this value frames the message
/// (§18.3): no sign (`+5`, RFC 4475 `ncl`'s `-999`), no hex (`0x10`), no
/// inner whitespace (`1 2`), nothing else (`xyz`). Leading zeros are plain
/// decimal digits and are accepted. A value that does not fit in 64 bits
/// fails with `NumberOutOfRange` at its first digit (no buffer could hold
/// it; rule `content-length-syntax`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ContentLength {
    value: u64,
    span: Span,
}

impl ContentLength {
    /// The body length in octets.
    pub fn value(&self) -> u64 {
        self.value
    }

    /// Absolute span of the digits.
    pub fn span(&self) -> Span {
        self.span
    }
}

impl<'a> TypedHeader<'a> for ContentLength {
    const NAME: KnownHeader = KnownHeader::ContentLength;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let (value, span) = parse_lone_bounded(value, base, Some)?;
        Ok(ContentLength { value, span })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::HeaderValueErrorKind as K;
    use proptest::prelude::*;

    const BASE: usize = 40;

    #[test]
    fn valid_table() {
        // Values from the RFC 4475 messages and the response fixtures.
        let table: &[(&[u8], u64, usize, usize)] = &[
            (b"150", 150, 0, 3),
            (b"0", 0, 0, 1),
            (b"13", 13, 0, 2),
            (b"199", 199, 0, 3),
            (b"553", 553, 0, 3),
            (b"9999", 9999, 0, 4), // clerr: syntactically fine
            (b"0000150", 150, 0, 7),
            (b" 5\r\n ", 5, 1, 2),
            (b"18446744073709551615", u64::MAX, 0, 20),
        ];
        for &(input, v, s, e) in table {
            let c =
                ContentLength::parse(input, BASE).unwrap_or_else(|err| panic!("{input:?}: {err}"));
            assert_eq!(c.value(), v, "{input:?}");
            assert_eq!(c.span(), Span::new(BASE + s, BASE + e), "{input:?}");
        }
    }

    #[test]
    fn invalid_table() {
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            (b"\r\n ", K::Empty, 0),
            (b"+5", K::ExpectedDigits, 0),
            (b"-999", K::ExpectedDigits, 0), // RFC 4475 ncl
            (b"xyz", K::ExpectedDigits, 0),  // zeek invalid-content-length fixture
            (b"0x10", K::UnexpectedChar, 1),
            (b"1 2", K::Trailing, 2),
            (b"5, 5", K::UnexpectedChar, 1),
            (b"5.0", K::UnexpectedChar, 1),
            (b"18446744073709551616", K::NumberOutOfRange, 0),
            (b"  18446744073709551616", K::NumberOutOfRange, 2),
        ];
        for &(input, kind, at) in table {
            let e = ContentLength::parse(input, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + at), "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn prop_roundtrip(n in any::<u64>(), zeros in 0usize..3, lead in "[ \t]{0,2}(\r\n[ \t])?") {
            let s = format!("{lead}{}{n}", "0".repeat(zeros));
            let c = ContentLength::parse(s.as_bytes(), 9).unwrap();
            prop_assert_eq!(c.value(), n);
            prop_assert_eq!(c.span(), Span::new(9 + lead.len(), 9 + s.len()));
        }

        #[test]
        fn prop_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..32)) {
            match ContentLength::parse(&bytes, 2) {
                Ok(c) => {
                    prop_assert!(c.span().end <= 2 + bytes.len());
                    prop_assert!(bytes[c.span().start - 2..c.span().end - 2].iter().all(u8::is_ascii_digit));
                }
                Err(e) => prop_assert!(e.offset() <= 2 + bytes.len()),
            }
        }
    }
}
