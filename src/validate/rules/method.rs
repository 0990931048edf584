//! The status code against the request method: codes that answer only
//! some methods (1xx to INVITE, 204 to SUBSCRIBE, 408, 422, 439, 487,
//! 555), codes deprecated for some methods (202), and codes a REGISTER
//! must not get (6xx). Rules stay silent when the method is unknown, unless
//! said otherwise.

use crate::header::KnownHeader;
use crate::message::Request;
use crate::validate::finding::{Detail, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::{addr_params, headers_to_tag, Facts};

/// True when the method is known and is not `m`.
fn known_not(f: &Facts<'_, '_>, m: &str) -> bool {
    f.method.is_some() && !f.method_is(m)
}

/// `1xx-to-non-invite` — RFC 4320 §4.1: an element MUST NOT send any
/// provisional response other than 100 to a non-INVITE request (RFC 3261
/// §8.2.6.1 said SHOULD NOT). Silent when the method is unknown.
/// Span: the status line.
pub(super) fn provisional_to_non_invite<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if (101..200).contains(&f.code) && f.method.is_some() && !f.method_is("INVITE") {
        out.emit(
            r::R_1XX_TO_NON_INVITE,
            Some(f.status_line),
            Detail::new("non-100 provisional response to a non-INVITE request"),
        );
    }
}

/// `202-deprecated` — RFC 6665 §8.3.1: 202 MUST NOT be sent to SUBSCRIBE
/// or NOTIFY, and RFC 7647 §5 extends that to REFER: error. MESSAGE relays
/// still SHOULD answer 202 (RFC 3428 §7): nothing. Any other known method:
/// info (no meaning defined; treat as 200). Span: the status line.
pub(super) fn deprecated_202<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code != 202 {
        return;
    }
    let sev = match f.method {
        None | Some(b"MESSAGE") => return,
        Some(b"SUBSCRIBE") | Some(b"NOTIFY") | Some(b"REFER") => Severity::Error,
        Some(_) => Severity::Info,
    };
    out.emit_at(
        r::R_202_DEPRECATED,
        sev,
        Some(f.status_line),
        Detail::new("202 Accepted is deprecated here"),
    );
}

/// `204-subscribe-in-dialog` — RFC 5839 §7.1: 204 (No Notification) is
/// defined for SUBSCRIBE only. Span: the status line.
pub(super) fn subscribe_204<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 204 && known_not(f, "SUBSCRIBE") {
        out.emit(
            r::R_204_SUBSCRIBE_IN_DIALOG,
            Some(f.status_line),
            Detail::new("204 to a method other than SUBSCRIBE"),
        );
    }
}

/// `204-subscribe-in-dialog` (request part) — RFC 5839 §7.1: 204 is valid
/// only for an in-dialog SUBSCRIBE, so a 204 to a SUBSCRIBE whose To had
/// no tag is reported. Span: the status line. Called by
/// [`super::request`] for a 2xx to SUBSCRIBE when the Context holds the
/// request.
pub(super) fn subscribe_204_out_of_dialog<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 204 && headers_to_tag(req.headers()) == Some(false) {
        out.emit(
            r::R_204_SUBSCRIBE_IN_DIALOG,
            Some(f.status_line),
            Detail::new("204 to a SUBSCRIBE outside a dialog"),
        );
    }
}

/// `408-non-invite` — RFC 4320 §4.2: a transaction-stateful element MUST
/// NOT send 408 to a non-INVITE request; statefulness is unknown here, so
/// lowered to warning. Span: the status line.
pub(super) fn non_invite_408<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 408 && known_not(f, "INVITE") {
        out.emit(
            r::R_408_NON_INVITE,
            Some(f.status_line),
            Detail::new("408 to a non-INVITE request"),
        );
    }
}

/// `422-method` — RFC 4028 §4, §6: 422 answers INVITE or UPDATE only.
/// Span: the status line.
pub(super) fn method_422<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 422 && f.method.is_some() && !f.method_is("INVITE") && !f.method_is("UPDATE") {
        out.emit(
            r::R_422_METHOD,
            Some(f.status_line),
            Detail::new("422 to a method other than INVITE or UPDATE"),
        );
    }
}

/// `439-register-only` — RFC 5626 §11.6: 439 answers REGISTER. Span: the
/// status line.
pub(super) fn register_only_439<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 439 && known_not(f, "REGISTER") {
        out.emit(
            r::R_439_REGISTER_ONLY,
            Some(f.status_line),
            Detail::new("439 to a method other than REGISTER"),
        );
    }
}

/// `439-register-only` (request part) — RFC 5626 §6, §11.6: a 439 MUST NOT
/// be sent unless the REGISTER carried a Contact `reg-id` and Supported
/// `outbound` (the edge proxy lacks outbound support for such a request).
/// Span: the status line. Called by [`super::request`] for a 439 when
/// the Context holds the request.
pub(super) fn outbound_439<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    let rh = req.headers();
    let reg_id = rh
        .elements(KnownHeader::Contact)
        .any(|e| addr_params(e.bytes, e.span.start).is_some_and(|p| p.contains("reg-id")));
    if !reg_id || !super::request::lists(rh, KnownHeader::Supported, b"outbound") {
        out.emit(
            r::R_439_REGISTER_ONLY,
            Some(f.status_line),
            Detail::new("439 to a request without reg-id and Supported: outbound"),
        );
    }
}

/// `487-not-for-cancel` — RFC 3261 §21.4.25: a 487 answers the cancelled
/// request, never the CANCEL. Span: the status line.
pub(super) fn not_for_cancel_487<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 487 && f.method_is("CANCEL") {
        out.emit(
            r::R_487_NOT_FOR_CANCEL,
            Some(f.status_line),
            Detail::new("487 to a CANCEL"),
        );
    }
}

/// `555-register-only` — RFC 8599 §8.1: 555 is defined for REGISTER
/// responses only (implied: warning). Span: the status line.
pub(super) fn register_only_555<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 555 && known_not(f, "REGISTER") {
        out.emit(
            r::R_555_REGISTER_ONLY,
            Some(f.status_line),
            Detail::new("555 to a method other than REGISTER"),
        );
    }
}

/// `6xx-from-registrar` — RFC 3261 §10.3: a registrar "MUST not" generate
/// 6xx. Span: the status line.
pub(super) fn from_registrar_6xx<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if (600..700).contains(&f.code) && f.method_is("REGISTER") {
        out.emit(
            r::R_6XX_FROM_REGISTRAR,
            Some(f.status_line),
            Detail::new("6xx to a REGISTER"),
        );
    }
}
