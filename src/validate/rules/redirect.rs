//! Spec section 4, 3xx rules.

use crate::header::KnownHeader;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    contact_expected(f, out);
    match f.code {
        302 => no_expiry_302(f, out),
        305 => contact_proxy_305(f, out),
        380 => body_expected_380(f, out),
        _ => {}
    }
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

/// `302-no-expiry-no-cache` — RFC 3261 §21.3.3: without an Expires header
/// or a Contact `expires` parameter, the 302's contacts are valid for this
/// recursion only and MUST NOT be cached (a receiver duty: info).
/// Span: the status line.
fn no_expiry_302<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.has(KnownHeader::Expires) {
        return;
    }
    let any_expires = f.elements(KnownHeader::Contact).any(|e| {
        f.addr_params(e.bytes, e.span.start)
            .is_some_and(|p| p.contains("expires"))
    });
    if !any_expires {
        out.emit(
            r::R_302_NO_EXPIRY_NO_CACHE,
            Some(f.status_line),
            Detail::new("302 without expiry: do not cache its contacts"),
        );
    }
}

/// `305-contact-proxy` — RFC 3261 §21.3.4: the Contact of a 305 gives the
/// proxy the client must use, so a 305 without Contact cannot be followed
/// (implied, warning). Span: the status line.
fn contact_proxy_305<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !f.has_value(KnownHeader::Contact) {
        out.emit(
            r::R_305_CONTACT_PROXY,
            Some(f.status_line),
            Detail::new("305 without the proxy's Contact"),
        );
    }
}

/// `380-body-expected` — RFC 3261 §21.3.5: the alternative services are
/// described in the body of the 380 (no format defined; info).
/// Span: the status line.
fn body_expected_380<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.resp.body().is_empty() {
        out.emit(
            r::R_380_BODY_EXPECTED,
            Some(f.status_line),
            Detail::new("380 without a body"),
        );
    }
}
