//! Expires and Min-Expires (RFC 3261 §20.19, §20.23): delta-seconds and their bounds, and the responses that must carry them (423, 2xx to SUBSCRIBE).

use crate::header::KnownHeader;
use crate::validate::finding::{Detail, DetailArg, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::header::typed::{Expires, MinExpires, TypedHeader};

use super::single::comma_joined;
use super::{value_or_row, Facts};

/// `expires-syntax` — RFC 3261 §25.1: `Expires` and `Min-Expires` are
/// `delta-seconds = 1*DIGIT` (error). §20.19, §20.23 and §10.2 bound the
/// value by 2^32−1 (receivers may clamp larger ones): a larger value is the
/// spec's warning case. Span: the value (the row when empty).
pub(super) fn expires_syntax<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for k in [KnownHeader::Expires, KnownHeader::MinExpires] {
        for h in f.rows(k) {
            let (v, base) = (h.value(), h.value_span().start);
            if comma_joined(k, v, base) {
                continue;
            }
            let parsed = if k == KnownHeader::Expires {
                Expires::parse(v, base).map(|e| e.delta())
            } else {
                MinExpires::parse(v, base).map(|e| e.delta())
            };
            match parsed {
                Err(_) => out.emit(
                    r::EXPIRES_SYNTAX,
                    Some(value_or_row(&h)),
                    Detail::with("not delta-seconds", DetailArg::Header(k)),
                ),
                Ok(d) if d.exceeds_u32() => out.emit_at(
                    r::EXPIRES_SYNTAX,
                    Severity::Warning,
                    Some(h.value_span()),
                    Detail::with("larger than 2^32-1", DetailArg::Header(k)),
                ),
                Ok(_) => {}
            }
        }
    }
}

/// `423-min-expires-required` — RFC 3261 §10.3 step 7 (REGISTER: the 423
/// MUST contain a Min-Expires header) and RFC 3903 §6 step 4 (PUBLISH, same
/// MUST): error. For SUBSCRIBE and any other or unknown method, RFC 6665
/// §4.2.1.1 only describes a 423 that contains Min-Expires, with no keyword:
/// warning (the spec's split severity). Span: the status line.
pub(super) fn min_expires_423<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code != 423 || f.has(KnownHeader::MinExpires) {
        return;
    }
    let sev = if f.method_is("REGISTER") || f.method_is("PUBLISH") {
        Severity::Error
    } else {
        Severity::Warning
    };
    out.emit_at(
        r::R_423_MIN_EXPIRES_REQUIRED,
        sev,
        Some(f.status_line),
        Detail::new("423 without Min-Expires"),
    );
}

/// `2xx-subscribe-expires` — RFC 6665 §3.1.1: 200-class responses to
/// SUBSCRIBE MUST contain an Expires header (202 and 204 too). Span: the
/// status line.
pub(super) fn subscribe_expires_2xx<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if (200..300).contains(&f.code) && f.method_is("SUBSCRIBE") && !f.has(KnownHeader::Expires) {
        out.emit(
            r::R_2XX_SUBSCRIBE_EXPIRES,
            Some(f.status_line),
            Detail::new("2xx to SUBSCRIBE without Expires"),
        );
    }
}
