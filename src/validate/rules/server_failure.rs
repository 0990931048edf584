//! Spec section 6: 5xx and 6xx rules.

use crate::header::typed::CallInfo;
use crate::header::KnownHeader;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::{has_sdp_body, Facts};

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let line = Some(f.status_line);
    match f.code {
        // RFC 3261 §21.5.4: a 503 MAY carry Retry-After; without it the
        // client acts as for 500 (`503-retry-after`, info).
        503 if !f.has(KnownHeader::RetryAfter) => out.emit(
            r::R_503_RETRY_AFTER,
            line,
            Detail::new("503 without Retry-After"),
        ),
        // RFC 8599 §8.1: 555 is defined for REGISTER responses only
        // (`555-register-only`, implied: warning).
        555 if f.method.is_some() && !f.method_is("REGISTER") => out.emit(
            r::R_555_REGISTER_ONLY,
            line,
            Detail::new("555 to a method other than REGISTER"),
        ),
        // RFC 3312 §8: a 580 SHOULD carry an SDP body showing which
        // desired status failed (`580-sdp-body`).
        580 if has_sdp_body(f.resp) == Some(false) => out.emit(
            r::R_580_SDP_BODY,
            line,
            Detail::new("580 without an SDP body"),
        ),
        // RFC 3261 §21.6.4: a 606 MAY list the reasons as Warning values
        // (`606-warning`, info).
        606 if !f.has(KnownHeader::Warning) => {
            out.emit(r::R_606_WARNING, line, Detail::new("606 without Warning"))
        }
        608 => call_info_608(f, out),
        _ => {}
    }
    // RFC 3261 §10.3: a registrar "MUST not" generate 6xx
    // (`6xx-from-registrar`).
    if (600..700).contains(&f.code) && f.method_is("REGISTER") {
        out.emit(
            r::R_6XX_FROM_REGISTRAR,
            line,
            Detail::new("6xx to a REGISTER"),
        );
    }
}

/// `608-call-info` — RFC 8688 §3.1: the 608 MUST carry a Call-Info unless
/// that would help a malicious caller, which cannot be judged here
/// (lowered to warning). Span: the status line.
/// `608-call-info-purpose` — §3.1: a Call-Info in a 608 MUST have
/// `purpose=jwscard`. Span: each value without it. A value that the typed
/// [`CallInfo`] refuses (`info = LAQUOT absoluteURI RAQUOT *( SEMI
/// info-param)`, RFC 3261 §20.9) is `call-info-syntax`'s and skipped here,
/// so it is never misreported as lacking `purpose=jwscard`.
fn call_info_608<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !f.has_value(KnownHeader::CallInfo) {
        out.emit(
            r::R_608_CALL_INFO,
            Some(f.status_line),
            Detail::new("608 without Call-Info"),
        );
        return;
    }
    for e in f.elements(KnownHeader::CallInfo) {
        // A value that does not parse is `call-info-syntax`'s.
        let Ok(info) = e.parse::<CallInfo<'_>>() else {
            continue;
        };
        let jws = info
            .purpose()
            .is_some_and(|v| v.eq_ignore_ascii_case(b"jwscard"));
        if !jws {
            out.emit(
                r::R_608_CALL_INFO_PURPOSE,
                Some(e.span),
                Detail::new("Call-Info without purpose=jwscard"),
            );
        }
    }
}
