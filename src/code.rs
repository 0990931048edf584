//! SIP status codes (RFC 3261 §7.2, §21).
//!
//! Skeleton: the registry table, named constants and class predicates are
//! filled in from `spec/status-codes.tsv`.

use core::fmt;

/// A SIP Status-Code: any three ASCII digits (`extension-code = 3DIGIT`).
///
/// Like `http::StatusCode`, a `Copy` newtype over the numeric value. Codes
/// outside the six classes (000–099, 700–999) are representable, so the
/// validator can report them (`status-code-class-invalid`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusCode(u16);

impl StatusCode {
    /// The code from three ASCII digits; `None` unless exactly three digits.
    #[inline]
    pub const fn from_digits(d: &[u8]) -> Option<StatusCode> {
        if d.len() != 3
            || !d[0].is_ascii_digit()
            || !d[1].is_ascii_digit()
            || !d[2].is_ascii_digit()
        {
            return None;
        }
        Some(StatusCode(
            (d[0] - b'0') as u16 * 100 + (d[1] - b'0') as u16 * 10 + (d[2] - b'0') as u16,
        ))
    }

    /// The numeric value (0..=999).
    #[inline]
    pub const fn as_u16(self) -> u16 {
        self.0
    }
}

impl fmt::Debug for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}
