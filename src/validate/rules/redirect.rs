//! Spec section 4, 3xx rules.

use crate::header::KnownHeader;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    contact_expected(f, out);
}

/// `3xx-contact-expected` — RFC 3261 §21.3.1: a 300 response SHOULD list
/// the alternatives as Contact values; §13.3.1.2 says the same for 3xx to
/// INVITE in general, and §21.3.2–§21.3.3 give 301/302 the new address in
/// Contact. Table 2 marks Contact in 3xx optional, hence warning.
/// Applies to 300, 301 and 302. Span: the status line.
fn contact_expected<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if matches!(f.code, 300..=302) && !f.has_value(KnownHeader::Contact) {
        out.emit(
            r::R_3XX_CONTACT_EXPECTED,
            Some(f.status_line),
            Detail::with("redirect without Contact", DetailArg::Number(f.code.into())),
        );
    }
}
