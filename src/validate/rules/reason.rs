//! Reason (RFC 3326) in a response.

use crate::header::KnownHeader;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::header::typed::{Reason, ReasonProtocol};

use super::Facts;

/// Reason rules (RFC 3326 §2, updated by RFC 9366 §3), per value:
///
/// * `reason-header-syntax` — `reason-value = protocol *(SEMI
///   reason-params)`, `protocol = "SIP" / "Q.850" / token`, `cause = "cause"
///   EQUAL 1*DIGIT`, `reason-text = "text" EQUAL quoted-string`. Span: the
///   value.
/// * `reason-header-duplicate-protocol` — at most one value per protocol
///   (SIP and Q.850 define no multiple values). Span: the later value.
pub(super) fn reason_header<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let (mut sip, mut q850) = (0u32, 0u32);
    for e in f.elements(KnownHeader::Reason) {
        let Ok(reason) = e.parse::<Reason<'_>>() else {
            out.emit(
                r::REASON_HEADER_SYNTAX,
                Some(e.span),
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
