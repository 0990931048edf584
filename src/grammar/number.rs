//! Numbers of the header grammar (RFC 3261 §25.1):
//!
//! ```text
//! delta-seconds = 1*DIGIT
//! qvalue        = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
//! ```
//!
//! [`delta_seconds`] returns the digits with their value (`None` when they
//! overflow 64 bits: RFC 3261 §10.2.1 lets a receiver clamp, the caller
//! decides); [`qvalue`] returns thousandths (`q=0.5` is 500).

use nom::error::ErrorKind;

use super::text::digits;
use super::{fail, PResult};
use crate::lex;

/// `delta-seconds`: the digits and their value (`None` on 64-bit overflow).
pub fn delta_seconds(i: &[u8]) -> PResult<'_, (&[u8], Option<u64>)> {
    let (rest, d) = digits(i)?;
    Ok((rest, (d, lex::parse_u64(d))))
}

/// `qvalue`, as thousandths. Stops after the production (the caller decides
/// what may follow); `0.` and `1.` are valid (`0*3DIGIT`).
pub fn qvalue(i: &[u8]) -> PResult<'_, u16> {
    let int: u16 = match i.first() {
        Some(b'0') => 0,
        Some(b'1') => 1,
        _ => return fail(i, ErrorKind::Digit),
    };
    let mut q = int * 1000;
    if i.get(1) != Some(&b'.') {
        return Ok((&i[1..], q));
    }
    let mut n = 2;
    let mut scale = 100u16;
    while n < 5 {
        match i.get(n) {
            Some(&b) if lex::is_digit(b) => {
                let d = u16::from(b - b'0');
                if int == 1 && d != 0 {
                    return fail(&i[n..], ErrorKind::Verify);
                }
                q += d * scale;
                scale /= 10;
                n += 1;
            }
            _ => break,
        }
    }
    Ok((&i[n..], q))
}

/// A `port` (`1*DIGIT`, at most 65535: a port number is 16 bits,
/// RFC 3261 §19.1.1): the value and its digits. Digits that do not fit fail
/// at their first digit.
pub fn port(i: &[u8]) -> PResult<'_, (u16, &[u8])> {
    let (rest, d) = digits(i)?;
    match lex::parse_u64(d).and_then(|p| u16::try_from(p).ok()) {
        Some(p) => Ok((rest, (p, d))),
        None => fail(i, ErrorKind::TooLarge),
    }
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // test tables
mod tests {
    use super::*;

    #[test]
    fn qvalues() {
        let table: &[(&[u8], Option<(u16, &[u8])>)] = &[
            (b"0", Some((0, b""))),
            (b"1", Some((1000, b""))),
            (b"0.5", Some((500, b""))),
            (b"0.", Some((0, b""))),
            (b"0.123", Some((123, b""))),
            (b"0.1234", Some((123, b"4"))),
            (b"1.000", Some((1000, b""))),
            (b"1.0;x", Some((1000, b";x"))),
            (b"1.5", None),
            (b"2", None),
            (b".5", None),
            (b"", None),
            (b"07", Some((0, b"7"))),
        ];
        for &(i, want) in table {
            assert_eq!(qvalue(i).ok().map(|(r, q)| (q, r)), want, "{:?}", i);
        }
    }

    #[test]
    fn deltas_and_ports() {
        assert_eq!(
            delta_seconds(b"3600;x"),
            Ok((&b";x"[..], (&b"3600"[..], Some(3600))))
        );
        assert_eq!(
            delta_seconds(b"99999999999999999999").unwrap().1 .1,
            None,
            "overflow keeps the digits"
        );
        assert!(delta_seconds(b"x1").is_err());
        assert_eq!(port(b"5060>"), Ok((&b">"[..], (5060, &b"5060"[..]))));
        assert_eq!(port(b"0"), Ok((&b""[..], (0, &b"0"[..]))));
        assert!(port(b"65536").is_err());
        assert!(port(b"").is_err());
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn qvalue_agrees_with_its_rendering(t in 0u16..=1000, width in 0usize..=3) {
                // Render t/1000 with exactly `width` decimals when that is exact.
                let s = match width {
                    0 if t % 1000 == 0 => format!("{}", t / 1000),
                    0 => return Ok(()),
                    w => {
                        let div = 10u16.pow(3 - w as u32);
                        if t % div != 0 { return Ok(()); }
                        format!("{}.{:0w$}", t / 1000, (t % 1000) / div, w = w)
                    }
                };
                prop_assert_eq!(qvalue(s.as_bytes()), Ok((&b""[..], t)));
            }

            #[test]
            fn ports_round_trip(p in any::<u16>()) {
                let s = p.to_string();
                prop_assert_eq!(port(s.as_bytes()).map(|r| r.1 .0), Ok(p));
            }
        }
    }
}
