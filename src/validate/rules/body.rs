//! The body a response of some code or method must or must not carry: no
//! SDP in a 199, a description in a 380, SDP in a 580, neither body nor
//! Contact in a 2xx to MESSAGE. (Framing, Content-Length and
//! Content-Type are `common.rs`'s.)

use crate::header::KnownHeader;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::{has_sdp_body, Facts};

/// `199-no-sdp` — RFC 6228 §5, §8: a 199 SHOULD NOT contain an SDP offer
/// or answer. Span: the body.
pub(super) fn no_sdp_199<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 199 && has_sdp_body(f.resp) == Some(true) {
        out.emit(
            r::R_199_NO_SDP,
            Some(f.resp.body_span()),
            Detail::new("199 carries SDP"),
        );
    }
}

/// `380-body-expected` — RFC 3261 §21.3.5: the alternative services are
/// described in the body of the 380 (no format defined; info).
/// Span: the status line.
pub(super) fn body_expected_380<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 380 && f.resp.body().is_empty() {
        out.emit(
            r::R_380_BODY_EXPECTED,
            Some(f.status_line),
            Detail::new("380 without a body"),
        );
    }
}

/// `2xx-message-no-body-no-contact` — RFC 3428 §7: a 2xx to MESSAGE MUST
/// NOT contain a body, and the UAS MUST NOT insert a Contact. Span: the
/// body, and each Contact row.
pub(super) fn message_no_body_no_contact<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if !(200..300).contains(&f.code) || !f.method_is("MESSAGE") {
        return;
    }
    let rule = r::R_2XX_MESSAGE_NO_BODY_NO_CONTACT;
    if !f.resp.body().is_empty() {
        out.emit(
            rule,
            Some(f.resp.body_span()),
            Detail::new("2xx to MESSAGE with a body"),
        );
    }
    super::presence::present(
        f,
        out,
        rule,
        KnownHeader::Contact,
        Detail::new("2xx to MESSAGE with a Contact"),
    );
}

/// `580-sdp-body` — RFC 3312 §8: a 580 SHOULD carry an SDP body showing
/// which desired status failed. Span: the status line.
pub(super) fn sdp_body_580<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 580 && has_sdp_body(f.resp) == Some(false) {
        out.emit(
            r::R_580_SDP_BODY,
            Some(f.status_line),
            Detail::new("580 without an SDP body"),
        );
    }
}
