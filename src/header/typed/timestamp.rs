//! Timestamp (RFC 3261 §20.38, §25.1): when the client sent the request,
//! and in a response the delay the server took to answer.
//!
//! ```text
//! Timestamp = "Timestamp" HCOLON 1*(DIGIT) [ "." *(DIGIT) ] [ LWS delay ]
//! delay     = *(DIGIT) [ "." *(DIGIT) ]
//! ```
//!
//! Both numbers are kept as the bytes sent: §20.38 gives them no unit or
//! precision, and a UAS copies the time value unchanged (§8.2.6.1).
//!
//! ```
//! use sip_response::header::typed::{Timestamp, TypedHeader};
//!
//! let t = Timestamp::parse(b"54.21 0.3", 10)?;
//! assert_eq!(t.time(), b"54.21");
//! assert_eq!(t.delay(), Some(&b"0.3"[..]));
//! assert_eq!(t.time_span().range(), 10..15);
//! # Ok::<(), sip_response::HeaderValueError>(())
//! ```

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::header::typed::TypedHeader;
use crate::header::KnownHeader;
use crate::lex;
use crate::Span;

/// A Timestamp value: the time, and the delay a server added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timestamp<'a> {
    time: &'a [u8],
    time_span: Span,
    delay: Option<(&'a [u8], Span)>,
}

impl<'a> Timestamp<'a> {
    /// The time value as sent (`1*DIGIT ["." *DIGIT]`).
    pub fn time(&self) -> &'a [u8] {
        self.time
    }

    /// Absolute span of the time value.
    pub fn time_span(&self) -> Span {
        self.time_span
    }

    /// The delay as sent, when there is one.
    pub fn delay(&self) -> Option<&'a [u8]> {
        self.delay.map(|d| d.0)
    }

    /// Absolute span of the delay, when there is one.
    pub fn delay_span(&self) -> Option<Span> {
        self.delay.map(|d| d.1)
    }
}

/// `*DIGIT ["." *DIGIT]` at the cursor: the bytes taken, possibly none.
fn decimal<'a>(cur: &mut Cursor<'a>) -> (&'a [u8], Span) {
    let start = cur.pos;
    cur.digits();
    if cur.eat(b'.') {
        cur.digits();
    }
    (&cur.s[start..cur.pos], cur.span_from(start))
}

impl<'a> TypedHeader<'a> for Timestamp<'a> {
    const NAME: KnownHeader = KnownHeader::Timestamp;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        use HeaderValueErrorKind as K;
        let mut cur = Cursor::new(value, base);
        if value.is_empty() {
            return Err(cur.err(K::Empty));
        }
        if !cur.peek().is_some_and(lex::is_digit) {
            return Err(cur.err(K::ExpectedDigits));
        }
        let (time, time_span) = decimal(&mut cur);
        let before = cur.pos;
        cur.skip_lws();
        let mut delay = None;
        if cur.pos > before && !cur.at_end() {
            let (d, span) = decimal(&mut cur);
            if !d.is_empty() {
                delay = Some((d, span));
            }
            cur.skip_lws();
        }
        if !cur.at_end() {
            return Err(cur.err(K::Trailing));
        }
        Ok(Timestamp {
            time,
            time_span,
            delay,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HeaderValueErrorKind as K;

    #[test]
    fn valid_and_invalid() {
        for (v, time, delay) in [
            (&b"54"[..], &b"54"[..], None),
            (b"54.", b"54.", None),
            (b"54.21 0.3", b"54.21", Some(&b"0.3"[..])),
            (b"1 .5", b"1", Some(b".5")),
            (b"1\r\n 2", b"1", Some(b"2")),
        ] {
            let t = Timestamp::parse(v, 0).unwrap();
            assert_eq!((t.time(), t.delay()), (time, delay));
        }
        for (v, kind, at) in [
            (&b""[..], K::Empty, 0),
            (b"-1", K::ExpectedDigits, 0),
            (b".5", K::ExpectedDigits, 0),
            (b"12a", K::Trailing, 2),
            (b"1 2 3", K::Trailing, 4),
            (b"1 x", K::Trailing, 2),
        ] {
            let e = Timestamp::parse(v, 0).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, at), "{v:?}");
        }
    }
}
