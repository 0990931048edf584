//! Record-Route (RFC 3261 §20.30) in the responses that must not carry it:
//! to REGISTER and to PUBLISH. (Its syntax is `addr.rs`'s, its placement by
//! status code `presence.rs`'s, its copy from the request `request.rs`'s.)

use crate::header::KnownHeader;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// `register-response-record-route` — RFC 3261 §10.3: registrars MUST NOT
/// include a Record-Route header in any response to REGISTER.
/// Span: the first row (once per header, RFC 3261 §7.3.1).
pub(super) fn register_response<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if !f.method_is("REGISTER") {
        return;
    }
    super::presence::present(
        f,
        out,
        r::REGISTER_RESPONSE_RECORD_ROUTE,
        KnownHeader::RecordRoute,
        Detail::new("Record-Route in a response to REGISTER"),
    );
}

/// `publish-response-record-route` — RFC 3903 §6: the ESC MUST NOT include
/// a Record-Route header in any response to PUBLISH (§11.1.1 table: not
/// applicable). Span: the first row (once per header, RFC 3261 §7.3.1).
pub(super) fn publish_response<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if !f.method_is("PUBLISH") {
        return;
    }
    super::presence::present(
        f,
        out,
        r::PUBLISH_RESPONSE_RECORD_ROUTE,
        KnownHeader::RecordRoute,
        Detail::new("Record-Route in a response to PUBLISH"),
    );
}
