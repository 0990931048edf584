//! Warning (RFC 3261 §20.43): warn-code, warn-agent, warn-text, and the 488 and 606 that should carry it.

use crate::header::KnownHeader;
use crate::validate::finding::{Detail, DetailArg, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// Warn-codes registered in the IANA warning-code registry (RFC 3261
/// §20.43, §27.2; RFC 5630 for 380 and 381; RFC 8373 for 308).
pub(super) const WARN_CODES: [u16; 14] = [
    300, 301, 302, 303, 304, 305, 306, 307, 308, 330, 331, 370, 380, 381,
];

/// Warning rules, per value (the typed [`Warning`] does the grammar):
///
/// * `warning-header-syntax` — RFC 3261 §20.43, §25.1: `warning-value =
///   warn-code SP warn-agent SP warn-text`, `warn-code = 3DIGIT`, the text
///   a quoted-string (RFC 4475 §3.1.2.5 discards a 4-digit code); a row
///   needs at least one value. Span: the value, or the empty row.
/// * `warning-code-not-3xx` — §20.43: SIP warn-codes are 3xx; 1xx and 2xx
///   are HTTP's (warning). Span: the code.
/// * `warning-code-unregistered` — §20.43, §27.2: a 3xx code outside the
///   registry (info). 399 is registered.
/// * `warning-399` — §20.43: 399 is a miscellaneous warning; the receiver
///   MUST NOT take automated action on it (info).
///
/// [`Warning`]: crate::header::typed::Warning
pub(super) fn warning<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    use crate::header::typed::Warning;
    for h in f.empty_rows(KnownHeader::Warning) {
        out.emit(
            r::WARNING_HEADER_SYNTAX,
            Some(h.span()),
            Detail::new("empty Warning row"),
        );
    }
    for e in f.elements(KnownHeader::Warning) {
        let Ok(w) = e.parse::<Warning<'_>>() else {
            out.emit(
                r::WARNING_HEADER_SYNTAX,
                Some(e.span),
                Detail::new("not warn-code SP warn-agent SP warn-text"),
            );
            continue;
        };
        let code = w.code();
        let span = Some(w.code_span());
        if code / 100 != 3 {
            out.emit(
                r::WARNING_CODE_NOT_3XX,
                span,
                Detail::with("warn-code is not 3xx", DetailArg::Number(code.into())),
            );
        } else if code == 399 {
            out.emit(
                r::WARNING_399,
                span,
                Detail::new("399: take no automated action"),
            );
        } else if !WARN_CODES.contains(&code) {
            out.emit(
                r::WARNING_CODE_UNREGISTERED,
                span,
                Detail::with("unregistered warn-code", DetailArg::Number(code.into())),
            );
        }
    }
}

/// `488-warning` — RFC 3261 §13.3.1.3, §14.2: a 488 to INVITE SHOULD
/// explain in Warning why the offer was rejected (warning); for other
/// methods, info. A Warning row with no value does not count (spec
/// "General conventions"). Span: the status line.
pub(super) fn warning_488<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 488 && !f.has_value(KnownHeader::Warning) {
        let sev = if f.method_is("INVITE") {
            Severity::Warning
        } else {
            Severity::Info
        };
        out.emit_at(
            r::R_488_WARNING,
            sev,
            Some(f.status_line),
            Detail::new("488 without Warning"),
        );
    }
}

/// `606-warning` — RFC 3261 §21.6.4: a 606 MAY list the reasons as Warning
/// values (info); an empty Warning row lists none. Span: the status line.
pub(super) fn warning_606<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 606 && !f.has_value(KnownHeader::Warning) {
        out.emit(
            r::R_606_WARNING,
            Some(f.status_line),
            Detail::new("606 without Warning"),
        );
    }
}
