//! Retry-After (RFC 3261 §20.33): its syntax, the codes that carry it, and the 413 and 503 that may.

use crate::header::KnownHeader;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::header::typed::{RetryAfter, TypedHeader};

use super::single::comma_joined;
use super::{value_or_row, Facts};

/// Codes for which Retry-After has a defined meaning (RFC 3261 §20.33,
/// Table 3).
pub(super) const RETRY_AFTER_CODES: [u16; 8] = [404, 413, 480, 486, 500, 503, 600, 603];

/// Retry-After rules, on each row:
///
/// * `retry-after-syntax` — RFC 3261 §25.1: `Retry-After = "Retry-After"
///   HCOLON delta-seconds [ comment ] *( SEMI retry-param )`, with
///   `duration` delta-seconds; an HTTP-date is not valid in SIP. Span: the
///   value.
/// * `retry-after-overlarge` — RFC 4475 §3.1.2.5 treats a value above
///   2^32−1 as out of range (warning). Span: the digits.
/// * `header-param-repeated` (through `addr_params.rs`) — §7.3.1, a
///   `retry-param` name twice in a value that parses.
/// * `retry-after-unexpected-code` — §20.33 and Table 3 give it a meaning
///   for 404, 413, 480, 486, 500, 503, 600 and 603 only (info). Span: the row.
pub(super) fn retry_after<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for h in f.rows(KnownHeader::RetryAfter) {
        if !RETRY_AFTER_CODES.contains(&f.code) {
            out.emit(
                r::RETRY_AFTER_UNEXPECTED_CODE,
                Some(h.span()),
                Detail::with(
                    "Retry-After has no meaning for",
                    DetailArg::Number(f.code.into()),
                ),
            );
        }
        let (v, base) = (h.value(), h.value_span().start);
        match RetryAfter::parse(v, base) {
            Ok(ra) => {
                if ra.exceeds_u32() {
                    out.emit(
                        r::RETRY_AFTER_OVERLARGE,
                        Some(ra.span()),
                        Detail::new("Retry-After above 2^32-1"),
                    );
                }
                super::addr_params::check_params(out, KnownHeader::RetryAfter, ra.params());
            }
            Err(_) if comma_joined(KnownHeader::RetryAfter, v, base) => {}
            Err(_) => out.emit(
                r::RETRY_AFTER_SYNTAX,
                Some(value_or_row(&h)),
                Detail::new("Retry-After is not delta-seconds [comment] *(;param)"),
            ),
        }
    }
}

/// `413-retry-after` — RFC 3261 §21.4.11: Retry-After SHOULD be present if
/// the condition is temporary, which is unknowable (info). Span: the
/// status line.
pub(super) fn retry_after_413<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 413 && !f.has(KnownHeader::RetryAfter) {
        out.emit(
            r::R_413_RETRY_AFTER,
            Some(f.status_line),
            Detail::new("413 without Retry-After"),
        );
    }
}

/// `503-retry-after` — RFC 3261 §21.5.4: a 503 MAY carry Retry-After;
/// without it the client acts as for 500 (info). Span: the status line.
pub(super) fn retry_after_503<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 503 && !f.has(KnownHeader::RetryAfter) {
        out.emit(
            r::R_503_RETRY_AFTER,
            Some(f.status_line),
            Detail::new("503 without Retry-After"),
        );
    }
}
