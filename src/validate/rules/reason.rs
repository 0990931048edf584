//! Reason (RFC 3326) in a response, and the 199 that must carry one (RFC 6228).

use crate::header::{Element, KnownHeader};
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::header::typed::{Reason, ReasonProtocol};

use super::Facts;

/// Reason rules (RFC 3326 §2, updated by RFC 9366 §3), per value:
///
/// * `reason-header-syntax` — `reason-value = protocol *(SEMI
///   reason-params)`, `protocol = "SIP" / "Q.850" / token`, `cause = "cause"
///   EQUAL 1*DIGIT`, `reason-text = "text" EQUAL quoted-string`; `Reason =
///   "Reason" HCOLON reason-value *(COMMA reason-value)` needs one value.
///   Span: the value, or the empty row.
/// * `reason-header-duplicate-protocol` — at most one value per protocol
///   (SIP and Q.850 define no multiple values). Span: the later value.
pub(super) fn reason_header<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let (mut sip, mut q850) = (0u32, 0u32);
    for h in f.empty_rows(KnownHeader::Reason) {
        out.emit(
            r::REASON_HEADER_SYNTAX,
            Some(h.span()),
            Detail::new("empty Reason row"),
        );
    }
    for e in f.elements(KnownHeader::Reason) {
        let Ok(reason) = e.parse::<Reason<'_>>() else {
            let span = if e.bytes.is_empty() {
                super::empty_item_span(f.resp.headers().src(), e.span)
            } else {
                e.span
            };
            out.emit(
                r::REASON_HEADER_SYNTAX,
                Some(span),
                Detail::new("Reason value does not match RFC 3326"),
            );
            continue;
        };
        let counter = match reason.protocol_kind() {
            ReasonProtocol::Sip => &mut sip,
            ReasonProtocol::Q850 => &mut q850,
            ReasonProtocol::Other => continue,
        };
        *counter += 1;
        if *counter == 2 {
            out.emit(
                r::REASON_HEADER_DUPLICATE_PROTOCOL,
                Some(e.span),
                Detail::new("second Reason value for one protocol"),
            );
        }
    }
}

/// True when one Reason value, read by the typed [`Reason`] (RFC 3326 §2:
/// `reason-value = protocol *(SEMI reason-params)`), has protocol `SIP`
/// and a `cause` of a final response code, 200–699. A value that does not
/// parse is `reason-header-syntax`'s and counts as no such Reason.
fn is_sip_final_cause(e: Element<'_>) -> bool {
    e.parse::<Reason<'_>>().is_ok_and(|r| {
        r.protocol_kind() == ReasonProtocol::Sip
            && r.cause().is_some_and(|c| (200..700).contains(&c))
    })
}

/// `199-reason-required` — RFC 6228 §5 (UAS) and §6 (proxy): a 199 MUST
/// carry a Reason header with protocol SIP whose `cause` is the SIP
/// response code of the final response that terminated the early dialog.
/// Any final code (200–699) is accepted as the cause. Span: the status line.
pub(super) fn reason_required_199<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code != 199 {
        return;
    }
    let ok = f.elements(KnownHeader::Reason).any(is_sip_final_cause);
    if !ok {
        out.emit(
            r::R_199_REASON_REQUIRED,
            Some(f.status_line),
            Detail::new("199 without a SIP Reason naming the final response"),
        );
    }
}
