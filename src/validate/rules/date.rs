//! Date (RFC 3261 §20.17): an RFC 1123 date in GMT, and the 2xx to REGISTER that should carry it.

use crate::header::KnownHeader;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// `date-syntax` — RFC 3261 §20.17, §25.1: `Date = "Date" HCOLON
/// SIP-date`, an RFC 1123 date that MUST be in GMT (RFC 4475 §3.1.2.12
/// rejects `UT`, numeric zones and RFC 850 forms). Lowered to warning: the
/// response is only rejected when the date is needed. Span: the value.
pub(super) fn date_syntax<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    use crate::header::typed::Date;
    if let Some(h) = f.first(KnownHeader::Date) {
        if h.elements()
            .next()
            .is_some_and(|e| e.parse::<Date<'_>>().is_err())
        {
            out.emit(
                r::DATE_SYNTAX,
                Some(h.value_span()),
                Detail::new("Date is not an RFC 1123 date in GMT"),
            );
        }
    }
}

/// `2xx-register-date` — RFC 3261 §10.3 step 8: the 2xx to REGISTER SHOULD
/// include a Date header. Span: the status line.
pub(super) fn register_date<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if (200..300).contains(&f.code) && f.method_is("REGISTER") && !f.has(KnownHeader::Date) {
        out.emit(
            r::R_2XX_REGISTER_DATE,
            Some(f.status_line),
            Detail::new("2xx to REGISTER without Date"),
        );
    }
}
