//! Call-Info (RFC 3261 §20.9) in a 608 (RFC 8688): the jCard of the
//! intermediary that rejected the call. (`call-info-syntax` is
//! `syntax.rs`'s.)

use crate::header::typed::CallInfo;
use crate::header::KnownHeader;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// `608-call-info` — RFC 8688 §3.1: the 608 MUST carry a Call-Info unless
/// that would help a malicious caller, which cannot be judged here
/// (lowered to warning). Span: the status line.
/// `608-call-info-purpose` — §3.1: a Call-Info in a 608 MUST have
/// `purpose=jwscard`. Span: each value without it. A value that the typed
/// [`CallInfo`] refuses (`info = LAQUOT absoluteURI RAQUOT *( SEMI
/// info-param)`, RFC 3261 §20.9) is `call-info-syntax`'s and skipped here,
/// so it is never misreported as lacking `purpose=jwscard`.
pub(super) fn call_info_608<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code != 608 {
        return;
    }
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
