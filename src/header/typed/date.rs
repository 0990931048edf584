//! `Date` (RFC 3261 §20.17): the whole row value.
//!
//! ```text
//! Date          =  "Date" HCOLON SIP-date
//! SIP-date      =  rfc1123-date
//! rfc1123-date  =  wkday "," SP date1 SP time SP "GMT"
//! date1         =  2DIGIT SP month SP 4DIGIT
//!                  ; day month year (e.g., 02 Jun 1982)
//! time          =  2DIGIT ":" 2DIGIT ":" 2DIGIT
//!                  ; 00:00:00 - 23:59:59
//! wkday         =  "Mon" / "Tue" / "Wed" / "Thu" / "Fri" / "Sat" / "Sun"
//! month         =  "Jan" / "Feb" / "Mar" / "Apr" / "May" / "Jun"
//!                  / "Jul" / "Aug" / "Sep" / "Oct" / "Nov" / "Dec"
//! ```
//! (RFC 3261 §25.1.)

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::date::SipDate;
use crate::grammar::{self, Part};
use crate::header::typed::scan::ValueLax;
use crate::header::typed::{LaxHeader, TypedHeader};
use crate::header::KnownHeader;
use crate::Span;

#[cfg(test)]
use crate::grammar::date::{MONTHS, WKDAYS};

/// A `Date` value: an RFC 1123 date, always in GMT (RFC 3261 §20.17).
///
/// RFC 3261 restricts `SIP-date` to `rfc1123-date` "unlike HTTP/1.1", so
/// RFC 850 and asctime dates, `UT`, `UTC`, `EST` and numeric zones are not
/// SIP dates; RFC 4475 §3.1.2.12 (`baddate`) says a receiver should not
/// reject the message for it unless it needs the Date. Any departure from
/// the grammar is therefore a [`BadDate`] error at the first offending byte,
/// and the message layer keeps the rest of the response usable.
///
/// Parsing choices (each strict, since the format is fixed-width):
/// - Separators are exactly one `SP` as in the ABNF; no folding.
/// - Day and month names follow ABNF string rules (RFC 5234 §2.3), so they
///   are compared case-insensitively.
/// - The day must exist in the month (leap years per the Gregorian
///   calendar), the time must be within 00:00:00–23:59:59 as the ABNF
///   comment says (no leap second).
/// - The weekday is not checked against the date; see
///   [`Date::weekday_matches`].
///
/// [`BadDate`]: HeaderValueErrorKind::BadDate
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date<'a> {
    raw: &'a [u8],
    base: usize,
    wkday: u8,
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

// Offsets of each field in the fixed-width `Sun, 06 Nov 1994 08:49:37 GMT`.
const WKDAY_AT: usize = 0;
const DAY_AT: usize = 5;
const HOUR_AT: usize = 17;
const ZONE_AT: usize = 26;
const LEN: usize = 29;

impl<'a> Date<'a> {
    /// The year (four digits, 0..=9999).
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 (January) to 12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, 1..=31.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// The hour, 0..=23.
    pub fn hour(&self) -> u8 {
        self.hour
    }

    /// The minute, 0..=59.
    pub fn minute(&self) -> u8 {
        self.minute
    }

    /// The second, 0..=59.
    pub fn second(&self) -> u8 {
        self.second
    }

    /// The weekday as sent: 0 = Monday .. 6 = Sunday.
    pub fn weekday(&self) -> u8 {
        self.wkday
    }

    /// True when the weekday sent is the real weekday of the date. The ABNF
    /// cannot express this, so a mismatch does not fail the parse.
    pub fn weekday_matches(&self) -> bool {
        // 1970-01-01 was a Thursday (index 3).
        (days_from_civil(self.year, self.month, self.day) + 3).rem_euclid(7)
            == i64::from(self.wkday)
    }

    /// Seconds since 1970-01-01T00:00:00Z (negative before it).
    pub fn unix_time(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// The whole value as sent.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }

    /// Absolute span of the whole value.
    pub fn span(&self) -> Span {
        Span::new(self.base, self.base + self.raw.len())
    }

    /// Absolute span of the weekday name.
    pub fn weekday_span(&self) -> Span {
        self.field(WKDAY_AT, 3)
    }

    /// Absolute span of `date1` (`06 Nov 1994`).
    pub fn date_span(&self) -> Span {
        self.field(DAY_AT, 11)
    }

    /// Absolute span of `time` (`08:49:37`).
    pub fn time_span(&self) -> Span {
        self.field(HOUR_AT, 8)
    }

    /// Absolute span of the `GMT` zone.
    pub fn zone_span(&self) -> Span {
        self.field(ZONE_AT, 3)
    }

    fn field(&self, at: usize, len: usize) -> Span {
        Span::new(self.base + at, self.base + at + len)
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date.
fn days_from_civil(y: u16, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl<'a> Date<'a> {
    /// Reads the value laxly: the date, or one located [`Part::Date`]
    /// defect spanning the value, at the first byte that breaks `SIP-date`.
    pub fn parse_lax(value: &'a [u8], base: usize) -> ValueLax<Date<'a>> {
        ValueLax::from_result(
            <Date<'a> as TypedHeader<'a>>::parse(value, base),
            Part::Date,
            value,
            base,
        )
    }
}

impl<'a> LaxHeader<'a> for Date<'a> {
    type Lax = ValueLax<Date<'a>>;
    fn parse_lax(value: &'a [u8], base: usize) -> ValueLax<Date<'a>> {
        Date::parse_lax(value, base)
    }
}

impl<'a> TypedHeader<'a> for Date<'a> {
    const NAME: KnownHeader = KnownHeader::Date;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let bad = |at: usize| HeaderValueError::new(HeaderValueErrorKind::BadDate, base + at);
        if value.is_empty() {
            return Err(HeaderValueError::new(HeaderValueErrorKind::Empty, base));
        }
        // The grammar's `SIP-date` production; anything after it is bad.
        let (rest, d) =
            grammar::date::sip_date(value).map_err(|e| bad(grammar::error_offset(value, &e)))?;
        if !rest.is_empty() {
            return Err(bad(LEN));
        }
        let SipDate {
            wkday,
            day,
            month,
            year,
            hour,
            minute,
            second,
        } = d;
        Ok(Date {
            raw: value,
            base,
            wkday,
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lax_date() {
        let ok = Date::parse_lax(b"Sat, 13 Nov 2010 23:29:00 GMT", 0);
        assert_eq!(ok.value().map(Date::year), Some(2010));
        assert!(ok.defects().is_empty());
        let bad = Date::parse_lax(b"Sat, 13 Nov 2010 23:29:00 UTC", 4);
        let d = bad.defects().first().unwrap();
        assert_eq!((d.part, d.span.range()), (Part::Date, 4..33));
        assert!(d.at > d.span.start);
    }
    use proptest::prelude::*;

    const PREFIX: &str = "Date: ";

    fn parse(buf: &str) -> Result<Date<'_>, HeaderValueError> {
        Date::parse(&buf.as_bytes()[PREFIX.len()..], PREFIX.len())
    }

    #[test]
    fn valid_values() {
        // (value, (y, m, d, h, mi, s), weekday matches)
        type Fields = (u16, u8, u8, u8, u8, u8);
        let cases: &[(&str, Fields, bool)] = &[
            // Real fixture value (corpus/fixtures).
            (
                "Sat, 15 Oct 2005 04:44:56 GMT",
                (2005, 10, 15, 4, 44, 56),
                true,
            ),
            // RFC 3261 §20.17 example.
            (
                "Sat, 13 Nov 2010 23:29:00 GMT",
                (2010, 11, 13, 23, 29, 0),
                true,
            ),
            ("Thu, 01 Jan 1970 00:00:00 GMT", (1970, 1, 1, 0, 0, 0), true),
            (
                "tue, 29 feb 2000 23:59:59 gmt",
                (2000, 2, 29, 23, 59, 59),
                true,
            ),
            (
                "Mon, 29 Feb 2024 12:00:00 GMT",
                (2024, 2, 29, 12, 0, 0),
                false,
            ),
            (
                "Sun, 31 Dec 9999 00:00:00 GMT",
                (9999, 12, 31, 0, 0, 0),
                false,
            ),
        ];
        for &(v, fields, wk) in cases {
            let buf = format!("{PREFIX}{v}");
            let date = parse(&buf).unwrap_or_else(|e| panic!("{v}: {e}"));
            let b = buf.as_bytes();
            assert_eq!(
                (
                    date.year(),
                    date.month(),
                    date.day(),
                    date.hour(),
                    date.minute(),
                    date.second()
                ),
                fields,
                "{v}"
            );
            assert_eq!(date.weekday_matches(), wk, "{v}");
            assert_eq!(&b[date.span().range()], v.as_bytes());
            assert_eq!(&b[date.weekday_span().range()], &v.as_bytes()[..3]);
            assert_eq!(&b[date.date_span().range()], &v.as_bytes()[5..16]);
            assert_eq!(&b[date.time_span().range()], &v.as_bytes()[17..25]);
            assert_eq!(&b[date.zone_span().range()], &v.as_bytes()[26..]);
        }
        let buf = format!("{PREFIX}Sat, 15 Oct 2005 04:44:56 GMT");
        let d = parse(&buf).unwrap();
        assert_eq!(d.span(), Span::new(6, 35));
        assert_eq!(d.time_span(), Span::new(23, 31));
        assert_eq!(d.unix_time(), 1_129_351_496);
        assert_eq!(d.weekday(), 5);
    }

    #[test]
    fn invalid_values_are_located() {
        use HeaderValueErrorKind as K;
        let cases: &[(&str, K, usize)] = &[
            // RFC 4475 §3.1.2.12 baddate (corpus/rfc4475).
            ("Fri, 01 Jan 2010 16:00:00 EST", K::BadDate, 26),
            ("Fri, 01 Jan 2010 16:00:00 UT", K::BadDate, 26),
            ("Fri, 01 Jan 2010 16:00:00 UTC", K::BadDate, 26),
            ("Fri, 01 Jan 2010 16:00:00 +0000", K::BadDate, 26),
            ("Fri, 01 Jan 2010 16:00:00", K::BadDate, 25),
            ("Fri, 01 Jan 2010 16:00:00 GMT ", K::BadDate, 29),
            // RFC 850 and asctime formats.
            ("Friday, 01-Jan-10 16:00:00 GMT", K::BadDate, 3),
            ("Fri Jan  1 16:00:00 2010", K::BadDate, 3),
            ("", K::Empty, 0),
            ("Fry, 01 Jan 2010 16:00:00 GMT", K::BadDate, 0),
            ("Fri,01 Jan 2010 16:00:00 GMT", K::BadDate, 4),
            ("Fri,  01 Jan 2010 16:00:00 GMT", K::BadDate, 5),
            ("Fri, 1 Jan 2010 16:00:00 GMT", K::BadDate, 6),
            ("Fri, 01 Jam 2010 16:00:00 GMT", K::BadDate, 8),
            ("Fri, 01 Jan 10 16:00:00 GMT", K::BadDate, 14),
            ("Fri, 00 Jan 2010 16:00:00 GMT", K::BadDate, 5),
            ("Fri, 32 Jan 2010 16:00:00 GMT", K::BadDate, 5),
            ("Fri, 29 Feb 2100 16:00:00 GMT", K::BadDate, 5),
            ("Fri, 31 Apr 2010 16:00:00 GMT", K::BadDate, 5),
            ("Fri, 01 Jan 2010 24:00:00 GMT", K::BadDate, 17),
            ("Fri, 01 Jan 2010 16:60:00 GMT", K::BadDate, 20),
            ("Fri, 01 Jan 2010 16:00:60 GMT", K::BadDate, 23),
            ("Fri, 01 Jan 2010 16.00:00 GMT", K::BadDate, 19),
            ("Fri, 01 Jan 2010 16:0", K::BadDate, 21),
            ("Fri", K::BadDate, 3),
            ("Fr", K::BadDate, 0),
        ];
        for &(v, kind, off) in cases {
            let buf = format!("{PREFIX}{v}");
            let e = parse(&buf).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, PREFIX.len() + off), "{v:?}");
        }
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }

    fn case(s: &str, upper: bool) -> String {
        if upper {
            s.to_ascii_uppercase()
        } else {
            s.to_ascii_lowercase()
        }
    }

    proptest! {
        #[test]
        fn render_parse_round_trip(
            days in 0i64..2_932_897, // 1970-01-01 .. 9999-12-31
            secs in 0i64..86_400,
            upper in any::<bool>(),
        ) {
            // Render from a known instant, then parse it back.
            let t = days * 86_400 + secs;
            // civil_from_days
            let z = days + 719_468;
            let era = z.div_euclid(146_097);
            let doe = z - era * 146_097;
            let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            let mp = (5 * doy + 2) / 153;
            let d = doy - (153 * mp + 2) / 5 + 1;
            let m = if mp < 10 { mp + 3 } else { mp - 9 };
            let y = yoe + era * 400 + i64::from(m <= 2);
            let wk = (days + 3).rem_euclid(7) as usize;
            let wkname = case(core::str::from_utf8(WKDAYS[wk]).unwrap(), upper);
            let mname = case(core::str::from_utf8(MONTHS[(m - 1) as usize]).unwrap(), upper);
            let v = format!(
                "{wkname}, {d:02} {mname} {y:04} {:02}:{:02}:{:02} {}",
                secs / 3600, secs / 60 % 60, secs % 60, case("GMT", !upper)
            );
            let buf = format!("{PREFIX}{v}");
            let date = parse(&buf).unwrap();
            prop_assert_eq!(date.unix_time(), t);
            prop_assert!(date.weekday_matches());
            prop_assert_eq!(i64::from(date.year()), y);
            prop_assert_eq!(date.as_bytes(), v.as_bytes());
        }

        #[test]
        fn arbitrary_bytes_never_panic(v in proptest::collection::vec(any::<u8>(), 0..40), base in 0usize..1000) {
            match Date::parse(&v, base) {
                Ok(d) => prop_assert_eq!(d.span().len(), LEN),
                Err(e) => prop_assert!(e.offset() >= base && e.offset() <= base + v.len()),
            }
        }

        #[test]
        fn mutated_dates_never_panic(pos in 0usize..29, b in any::<u8>()) {
            let mut v = b"Sat, 15 Oct 2005 04:44:56 GMT".to_vec();
            v[pos] = b;
            if let Err(e) = Date::parse(&v, 0) {
                prop_assert_eq!(e.kind(), HeaderValueErrorKind::BadDate);
                prop_assert!(e.offset() <= pos, "error after the mutated byte");
            }
        }
    }
}
