//! `SIP-date` (RFC 3261 §25.1): only `rfc1123-date`, always GMT.
//!
//! ```text
//! rfc1123-date = wkday "," SP date1 SP time SP "GMT"
//! date1        = 2DIGIT SP month SP 4DIGIT
//! time         = 2DIGIT ":" 2DIGIT ":" 2DIGIT     ; 00:00:00 - 23:59:59
//! ```
//!
//! Names compare case-insensitively (RFC 5234 §2.3). The production checks
//! the field ranges the ABNF states (hour ≤ 23, minute and second ≤ 59) and
//! that the day exists in its month (Gregorian leap years); the weekday is
//! not checked against the date. [`crate::header::typed::Date`] is read
//! with it.

use nom::error::ErrorKind;

use super::{fail, PResult};

pub(crate) const WKDAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
pub(crate) const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// The fields of a `SIP-date`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SipDate {
    /// 0 = Monday .. 6 = Sunday.
    pub wkday: u8,
    /// 1..=31.
    pub day: u8,
    /// 1..=12.
    pub month: u8,
    /// Four digits.
    pub year: u16,
    /// 0..=23.
    pub hour: u8,
    /// 0..=59.
    pub minute: u8,
    /// 0..=59.
    pub second: u8,
}

/// Length of `Sun, 06 Nov 1994 08:49:37 GMT`.
pub const SIP_DATE_LEN: usize = 29;

fn name(i: &[u8], table: &[&[u8; 3]]) -> Option<u8> {
    let v = i.get(..3)?;
    table
        .iter()
        .position(|n| v.eq_ignore_ascii_case(&n[..]))
        .map(|p| p as u8)
}

fn num(i: &[u8], at: usize, n: usize, max: u16) -> Result<u16, usize> {
    let mut v = 0u16;
    for k in at..at + n {
        match i.get(k) {
            Some(&b) if b.is_ascii_digit() => v = v * 10 + u16::from(b - b'0'),
            _ => return Err(k),
        }
    }
    if v > max {
        return Err(at);
    }
    Ok(v)
}

/// Days in `month` (1..=12) of `year`, Gregorian leap years.
pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `SIP-date`: the fields; the first byte that breaks the grammar fails
/// there (a day that does not exist in its month fails at the day, once
/// the year is known).
pub fn sip_date(i: &[u8]) -> PResult<'_, SipDate> {
    let at = |k: usize| &i[k.min(i.len())..];
    let lit = |k: usize, b: u8| i.get(k) == Some(&b);
    let Some(wkday) = name(i, &WKDAYS) else {
        return fail(i, ErrorKind::Tag);
    };
    for (k, b) in [(3, b','), (4, b' ')] {
        if !lit(k, b) {
            return fail(at(k), ErrorKind::Char);
        }
    }
    let day = match num(i, 5, 2, 99) {
        Ok(d) => d as u8,
        Err(k) => return fail(at(k), ErrorKind::Digit),
    };
    if !lit(7, b' ') {
        return fail(at(7), ErrorKind::Char);
    }
    let Some(month) = name(at(8), &MONTHS) else {
        return fail(at(8), ErrorKind::Tag);
    };
    let month = month + 1;
    if !lit(11, b' ') {
        return fail(at(11), ErrorKind::Char);
    }
    let year = match num(i, 12, 4, 9999) {
        Ok(y) => y,
        Err(k) => return fail(at(k), ErrorKind::Digit),
    };
    if day == 0 || day > days_in_month(year, month) {
        return fail(at(5), ErrorKind::Verify);
    }
    let mut fields = [0u8; 3];
    for (f, (pos, max, sep)) in
        fields
            .iter_mut()
            .zip([(17, 23, b' '), (20, 59, b':'), (23, 59, b':')])
    {
        if !lit(pos - 1, sep) {
            return fail(at(pos - 1), ErrorKind::Char);
        }
        *f = match num(i, pos, 2, max) {
            Ok(v) => v as u8,
            Err(k) => return fail(at(k), ErrorKind::Digit),
        };
    }
    if !lit(25, b' ') {
        return fail(at(25), ErrorKind::Char);
    }
    // "GMT" is an ABNF string literal: case-insensitive (RFC 5234 §2.3).
    if !i
        .get(26..29)
        .is_some_and(|z| z.eq_ignore_ascii_case(b"GMT"))
    {
        return fail(at(26), ErrorKind::Tag);
    }
    Ok((
        at(SIP_DATE_LEN),
        SipDate {
            wkday,
            day,
            month,
            year,
            hour: fields[0],
            minute: fields[1],
            second: fields[2],
        },
    ))
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // test tables
mod tests {
    use super::*;
    use crate::grammar::error_offset;

    #[test]
    fn dates() {
        let (rest, d) = sip_date(b"Sat, 13 Nov 2010 23:29:00 GMT;x").unwrap();
        assert_eq!(rest, b";x");
        assert_eq!(
            d,
            SipDate {
                wkday: 5,
                day: 13,
                month: 11,
                year: 2010,
                hour: 23,
                minute: 29,
                second: 0
            }
        );
        assert!(sip_date(b"thu, 01 jan 1970 00:00:00 gmt").is_ok());
        let bad: &[(&[u8], usize)] = &[
            (b"Thu, 25 Mar 2004 15:49:29 UTC", 26),
            (b"Thu,25 Mar 2004 15:49:29 GMT", 4),
            (b"Thu, 29 Feb 2100 15:49:29 GMT", 5),
            (b"Thu, 31 Apr 2010 24:49:29 GMT", 5),
            (b"Thursday, 25 Mar 2004", 3),
            (b"Thu, 32 Mar 2004 15:49:29 GMT", 5),
            (b"Thu, 00 Mar 2004 15:49:29 GMT", 5),
            (b"Thu, 25 Mar 2004 24:00:00 GMT", 17),
            (b"Thu, 25 Mar 2004 23:60:00 GMT", 20),
            (b"Thu, 25 Mar 04 23:59:00 GMT", 14),
            (b"Thu, 25 Xyz 2004 23:59:00 GMT", 8),
            (b"3600", 0),
            (b"", 0),
            (b"Thu, 25 Mar 2004 15:49:2", 24),
        ];
        for &(s, at) in bad {
            let e = sip_date(s).unwrap_err();
            assert_eq!(error_offset(s, &e), at, "{:?}", String::from_utf8_lossy(s));
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn rendered_dates_round_trip(
                w in 0u8..7, day in 1u8..=28, m in 1u8..=12, y in 0u16..=9999,
                h in 0u8..24, mi in 0u8..60, s in 0u8..60,
            ) {
                let text = format!(
                    "{}, {day:02} {} {y:04} {h:02}:{mi:02}:{s:02} GMT",
                    std::str::from_utf8(WKDAYS[w as usize]).unwrap(),
                    std::str::from_utf8(MONTHS[m as usize - 1]).unwrap(),
                );
                let (rest, d) = sip_date(text.as_bytes()).unwrap();
                prop_assert!(rest.is_empty());
                prop_assert_eq!(d, SipDate { wkday: w, day, month: m, year: y, hour: h, minute: mi, second: s });
            }

            #[test]
            fn never_panics(v in proptest::collection::vec(any::<u8>(), 0..40)) {
                if let Err(e) = sip_date(&v) {
                    prop_assert!(error_offset(&v, &e) <= v.len());
                }
            }
        }
    }
}
