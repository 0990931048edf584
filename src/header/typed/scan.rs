//! Small scanners shared by several typed headers (crate-internal).
//!
//! They would belong in `lex` if they were not specific to header values;
//! each exists once here so that the headers using the same grammar piece
//! also give the same errors at the same offsets.

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::lex;

/// Parses a `qvalue` into thousandths (RFC 3261 §25.1); `at` is the
/// absolute offset of `v[0]`.
pub(crate) fn parse_qvalue(v: &[u8], at: usize) -> Result<u16, HeaderValueError> {
    use HeaderValueErrorKind as K;
    let err = |k, i: usize| HeaderValueError::new(k, at + i);
    let int = match v.first() {
        Some(b'0') => 0u16,
        Some(b'1') => 1,
        Some(b) if lex::is_digit(*b) => return Err(err(K::NumberOutOfRange, 0)),
        _ => return Err(err(K::ExpectedDigits, 0)),
    };
    let mut thousandths = int * 1000;
    match v.get(1) {
        None => return Ok(thousandths),
        Some(b'.') => {}
        Some(b) if lex::is_digit(*b) => return Err(err(K::NumberOutOfRange, 0)),
        Some(_) => return Err(err(K::UnexpectedChar, 1)),
    }
    let frac = v.get(2..).unwrap_or_default();
    let mut scale = 100u16;
    for (i, &b) in frac.iter().enumerate() {
        if !lex::is_digit(b) {
            return Err(err(K::UnexpectedChar, 2 + i));
        }
        if i >= 3 {
            return Err(err(K::NumberOutOfRange, 2 + i));
        }
        let d = u16::from(b - b'0');
        if int == 1 && d != 0 {
            return Err(err(K::NumberOutOfRange, 2 + i));
        }
        thousandths += d * scale;
        scale /= 10;
    }
    Ok(thousandths)
}

/// [`parse_qvalue`] without the error: `Some(thousandths)` for a valid
/// `qvalue`, for the callers (Accept's `accept-param`, RFC 3261 §20.1;
/// Security-Server's `preference`, RFC 3329 §2.2) that report any bad `q`
/// as one `BadParam` at the value.
pub(crate) fn qvalue(v: &[u8]) -> Option<u16> {
    parse_qvalue(v, 0).ok()
}
