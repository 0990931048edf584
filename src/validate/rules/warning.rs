//! Warning (RFC 3261 §20.43): warn-code, warn-agent, warn-text, and the 488 and 606 that should carry it.

use crate::header::typed::Warning;
use crate::header::KnownHeader;
use crate::validate::finding::{Detail, DetailArg, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};
use crate::Span;

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
///   needs at least one value. Span: the value, or the empty row. A
///   failing piece of a row that does not start as a value (`3DIGIT SP`)
///   belongs to the failing value before it: free text with commas is one
///   broken value, not one per comma.
/// * `warning-code-not-3xx` — §20.43: SIP warn-codes are 3xx; 1xx and 2xx
///   are HTTP's (warning). Span: the code.
/// * `warning-code-unregistered` — §20.43, §27.2: a 3xx code outside the
///   registry (info). 399 is registered.
/// * `warning-399` — §20.43: 399 is a miscellaneous warning; the receiver
///   MUST NOT take automated action on it (info).
///
/// [`Warning`]: crate::header::typed::Warning
pub(super) fn warning<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for h in f.empty_rows(KnownHeader::Warning) {
        out.emit(
            r::WARNING_HEADER_SYNTAX,
            Some(h.span()),
            Detail::new("empty Warning row"),
        );
    }
    // A row of free text (`Warning: Apples and quinces, lemons`) is split
    // at its commas, but its pieces are one deviation, reported once: a
    // failing piece that does not start as a value (`3DIGIT SP`) goes on
    // the broken value before it. One that does is a value of its own
    // (RFC 3261's 606 example lists `370 "Insufficient bandwidth"`, `305
    // "Incompatible media format"`, each without its warn-agent).
    for h in f.rows(KnownHeader::Warning) {
        let mut broken: Option<Span> = None;
        for e in h.elements() {
            match e.parse::<Warning<'_>>() {
                Ok(w) => {
                    not_a_warning(broken.take(), out);
                    warn_code(&w, out);
                }
                Err(_) => match broken {
                    Some(b) if !starts_as_value(e.bytes) => {
                        broken = Some(Span::new(b.start, e.span.end));
                    }
                    _ => {
                        not_a_warning(broken.take(), out);
                        broken = Some(e.span);
                    }
                },
            }
        }
        not_a_warning(broken, out);
    }
}

/// True when `v` starts as a `warning-value`: `warn-code SP`.
fn starts_as_value(v: &[u8]) -> bool {
    matches!(v, [a, b, c, b' ', ..] if [a, b, c].iter().all(|d| d.is_ascii_digit()))
}

/// `warning-header-syntax` on a run of values that failed.
fn not_a_warning<S: FindingSink + ?Sized>(broken: Option<Span>, out: &mut Emitter<'_, S>) {
    if let Some(span) = broken {
        out.emit(
            r::WARNING_HEADER_SYNTAX,
            Some(span),
            Detail::new("not warn-code SP warn-agent SP warn-text"),
        );
    }
}

/// The code rules on one well-formed Warning value.
fn warn_code<S: FindingSink + ?Sized>(w: &Warning<'_>, out: &mut Emitter<'_, S>) {
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

/// `488-warning` — RFC 3261 §13.3.1.3, §14.2: a 488 to INVITE SHOULD
/// explain in Warning why the offer was rejected (warning); for other
/// methods, info. A Warning row with no value does not count (spec
/// "General conventions"). When the request is known and had no body, it
/// made no offer, and the SHOULD, which explains a rejected offer, has
/// nothing to explain: no finding (an offerless INVITE gets the UAS's
/// offer in its 2xx, §13.3.1.4, so such a 488 rejects something else).
/// Span: the status line.
pub(super) fn warning_488<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code != 488 || f.req.as_ref().is_some_and(|r| r.body().is_empty()) {
        return;
    }
    if !f.has_value(KnownHeader::Warning) {
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
