//! Spec sections 4 and 6: provisional (1xx) responses.

use crate::header::typed::{Reason, ReasonProtocol};
use crate::header::{Element, KnownHeader};

use crate::validate::finding::{Detail, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::{has_sdp_body, headers_to_tag, Facts};

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    match f.code {
        100 => not_reliable_100(f, out),
        101..=199 => {
            to_non_invite(f, out);
            early_dialog_contact(f, out);
            rel_consistency(f, out);
            if f.code == 199 {
                reason_required_199(f, out);
                to_tag_199(f, out);
                no_199_option_tag(f, out);
                no_sdp_199(f, out);
            }
        }
        _ => {}
    }
}

/// `1xx-to-non-invite` — RFC 4320 §4.1: an element MUST NOT send any
/// provisional response other than 100 to a non-INVITE request (RFC 3261
/// §8.2.6.1 said SHOULD NOT). Silent when the method is unknown.
/// Span: the status line.
fn to_non_invite<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.method.is_some() && !f.method_is("INVITE") {
        out.emit(
            r::R_1XX_TO_NON_INVITE,
            Some(f.status_line),
            Detail::new("non-100 provisional response to a non-INVITE request"),
        );
    }
}

/// `1xx-early-dialog-contact` — RFC 3261 §13.3.1.1 applies §12.1.1 to a
/// provisional response that creates an early dialog: the UAS MUST add a
/// Contact. Applies to 101–198 to INVITE with a To tag (199 has its own
/// rules). With the request in the Context, a re-INVITE's provisional
/// responses (which create no dialog, §12.1) are skipped. Span: the status
/// line.
fn early_dialog_contact<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    // With the request: a re-INVITE (To tag present) creates no dialog
    // (RFC 3261 §12.1), so its provisional responses are exempt.
    let in_dialog = f
        .req
        .as_ref()
        .is_some_and(|r| headers_to_tag(r.headers()) == Some(true));
    if f.code <= 198
        && f.method_is("INVITE")
        && !in_dialog
        && f.to_has_tag() == Some(true)
        && !f.has_value(KnownHeader::Contact)
    {
        out.emit(
            r::R_1XX_EARLY_DIALOG_CONTACT,
            Some(f.status_line),
            Detail::new("early-dialog provisional response without Contact"),
        );
    }
}

/// `1xx-100rel-consistency` — RFC 3262 §3: a reliable provisional response
/// MUST carry Require: 100rel and MUST include RSeq, so Require 100rel
/// without RSeq is an error. RSeq without Require 100rel makes the
/// response unreliable and its RSeq meaningless (§7.1), but no sentence
/// forbids it: warning (the spec's split severity). Span: the status line.
fn rel_consistency<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let rel = f.has_token(KnownHeader::Require, b"100rel");
    let rseq = f.has(KnownHeader::RSeq);
    if rel && !rseq {
        out.emit_at(
            r::R_1XX_100REL_CONSISTENCY,
            Severity::Error,
            Some(f.status_line),
            Detail::new("Require 100rel without RSeq"),
        );
    } else if rseq && !rel {
        out.emit_at(
            r::R_1XX_100REL_CONSISTENCY,
            Severity::Warning,
            Some(f.status_line),
            Detail::new("RSeq without Require 100rel"),
        );
    }
}

/// `100-not-reliable` — RFC 3262 §3: the UAS MUST NOT attempt to send a
/// 100 (Trying) reliably; RSeq or Require 100rel in a 100 is that attempt.
/// Span: the status line.
fn not_reliable_100<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.has(KnownHeader::RSeq) || f.has_token(KnownHeader::Require, b"100rel") {
        out.emit(
            r::R_100_NOT_RELIABLE,
            Some(f.status_line),
            Detail::new("100 sent reliably"),
        );
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
fn reason_required_199<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let ok = f.elements(KnownHeader::Reason).any(is_sip_final_cause);
    if !ok {
        out.emit(
            r::R_199_REASON_REQUIRED,
            Some(f.status_line),
            Detail::new("199 without a SIP Reason naming the final response"),
        );
    }
}

/// `199-to-tag` — RFC 6228 §5, §6: the 199 MUST contain the To tag of the
/// early dialog it terminates. Span: the To value (the status line when To
/// is missing).
fn to_tag_199<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.to_has_tag() != Some(true) {
        let span = f
            .first(KnownHeader::To)
            .map_or(f.status_line, |h| h.value_span());
        out.emit(
            r::R_199_TO_TAG,
            Some(span),
            Detail::new("199 without To tag"),
        );
    }
}

/// `199-no-199-option-tag` — RFC 6228 §5, §6: the 199 MUST NOT carry the
/// option tag `199` in Supported, Require or Proxy-Require. Span: the row.
fn no_199_option_tag<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for k in [
        KnownHeader::Supported,
        KnownHeader::Require,
        KnownHeader::ProxyRequire,
    ] {
        for h in f.rows(k) {
            if h.elements().any(|e| e.bytes.eq_ignore_ascii_case(b"199")) {
                out.emit(
                    r::R_199_NO_199_OPTION_TAG,
                    Some(h.span()),
                    Detail::new("199 lists the 199 option tag"),
                );
            }
        }
    }
}

/// `199-no-sdp` — RFC 6228 §5, §8: a 199 SHOULD NOT contain an SDP offer
/// or answer. Span: the body.
fn no_sdp_199<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if has_sdp_body(f.resp) == Some(true) {
        out.emit(
            r::R_199_NO_SDP,
            Some(f.resp.body_span()),
            Detail::new("199 carries SDP"),
        );
    }
}
