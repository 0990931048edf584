//! Contact (RFC 3261 §20.10): its `expires` and `q` parameters, the
//! responses that should or must carry it (3xx, 485, 2xx to REGISTER) or
//! must not (PUBLISH, 2xx to BYE and CANCEL). Its syntax is `addr.rs`'s;
//! the Contact of a dialog is `dialog.rs`'s.

use crate::header::KnownHeader;
use crate::validate::catalogue::Rule;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::{delta, Facts};
use crate::grammar::Part;

/// Contact value rules, per value:
///
/// * `contact-star` — RFC 3261 §10.2.2, §20.10: `*` exists only for
///   REGISTER requests with Expires 0; in a response it satisfies nothing
///   (warning). Span: the value.
/// * `contact-q-invalid` — §25.1: `q` must be a qvalue. Span: the parameter.
/// * `contact-expires-param-invalid` — §8.3, §10.2: `expires` must be
///   delta-seconds (receivers SHOULD treat a bad one as 3600). Span: the
///   parameter.
/// * `contact-params-outside-register-3xx` — §20.10: `q` and `expires` have
///   a meaning only in REGISTER responses and 3xx (info). Silent when the
///   method is unknown.
pub(super) fn contact<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let meaningful = (300..400).contains(&f.code) || f.method.is_none() || f.method_is("REGISTER");
    let values = f.elements(KnownHeader::Contact).count();
    for e in f.elements(KnownHeader::Contact) {
        let Ok(c) = f.sheet.contact(e.bytes, e.span.start) else {
            // `contact-syntax` (or the q / expires rule) reports it.
            continue;
        };
        if c.is_star() && values > 1 {
            // STAR stands alone: `contact-syntax` reports it.
            continue;
        }
        if c.is_star() {
            out.emit(
                r::CONTACT_STAR,
                Some(e.span),
                Detail::new("wildcard Contact in a response"),
            );
            continue;
        }
        // One walk: every `q` and `expires`, not only the first (a
        // repeated one is also `header-param-repeated`, and each malformed
        // one is its own finding).
        for p in c.params().iter() {
            let is_q = p.is("q");
            let is_expires = p.is("expires");
            if !is_q && !is_expires {
                continue;
            }
            if !meaningful {
                out.emit(
                    r::CONTACT_PARAMS_OUTSIDE_REGISTER_3XX,
                    Some(p.span()),
                    Detail::new("q/expires have no meaning here"),
                );
            }
            if is_q && crate::grammar::param::known_param(b"q", p.value()).is_some() {
                out.emit(
                    r::CONTACT_Q_INVALID,
                    Some(p.span()),
                    Detail::new("q is not a qvalue"),
                );
            }
            if is_expires && p.value().and_then(delta).is_none() {
                out.emit(
                    r::CONTACT_EXPIRES_PARAM_INVALID,
                    Some(p.span()),
                    Detail::new("expires is not delta-seconds"),
                );
            }
        }
    }
}

/// `3xx-contact-expected` — RFC 3261 §21.3.1: a 300 response SHOULD list
/// the alternatives as Contact values; §13.3.1.2 says the same for 3xx to
/// INVITE in general, and §21.3.2–§21.3.3 give 301/302 the new address in
/// Contact. Table 2 marks Contact in 3xx optional, hence warning.
/// Applies to 300, 301 and 302. Span: the status line.
pub(super) fn contact_expected_3xx<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
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
/// recursion only and MUST NOT be cached (a receiver duty: info). A 302
/// without any Contact value has nothing to cache: that is
/// `3xx-contact-expected`'s, and this rule stays silent.
/// Span: the status line.
pub(super) fn no_expiry_302<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code != 302 || f.has(KnownHeader::Expires) || !f.has_value(KnownHeader::Contact) {
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
pub(super) fn contact_proxy_305<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 305 && !f.has_value(KnownHeader::Contact) {
        out.emit(
            r::R_305_CONTACT_PROXY,
            Some(f.status_line),
            Detail::new("305 without the proxy's Contact"),
        );
    }
}

/// `485-contact-list` — RFC 3261 §21.4.23: a 485 MAY list the
/// alternatives in Contact (a note, info). Span: the status line.
pub(super) fn contact_list_485<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 485 {
        out.emit(
            r::R_485_CONTACT_LIST,
            Some(f.status_line),
            Detail::new("485 may list alternatives in Contact"),
        );
    }
}

/// `contact-in-publish-response` — RFC 3903 §11.1.1: Contact is not
/// applicable in 1xx/2xx to PUBLISH (the sender must not add it, the
/// receiver ignores it; lowered to warning).
/// Span: the first row (once per header, RFC 3261 §7.3.1).
pub(super) fn contact_in_publish<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code >= 300 || !f.method_is("PUBLISH") {
        return;
    }
    super::presence::present(
        f,
        out,
        r::CONTACT_IN_PUBLISH_RESPONSE,
        KnownHeader::Contact,
        Detail::new("Contact in a response to PUBLISH"),
    );
}

/// `contact-in-2xx-bye-cancel` — RFC 3261 §20 (intro) and Table 2: Contact
/// is not applicable in a 2xx to BYE or CANCEL (lowered to warning: the
/// UAC ignores it). Span: the first row (once per header, RFC 3261 §7.3.1).
pub(super) fn contact_in_bye_cancel<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if !(200..300).contains(&f.code) || !(f.method_is("BYE") || f.method_is("CANCEL")) {
        return;
    }
    super::presence::present(
        f,
        out,
        r::CONTACT_IN_2XX_BYE_CANCEL,
        KnownHeader::Contact,
        Detail::new("Contact in a 2xx to BYE or CANCEL"),
    );
}

/// `2xx-register-contact-expires` — RFC 3261 §10.3 step 8: each Contact
/// value of the 2xx to REGISTER MUST feature an `expires` parameter with
/// the binding's expiry. No Contact at all is fine (no bindings). Span:
/// each value without it.
pub(super) fn register_contact_expires<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if !(200..300).contains(&f.code) || !f.method_is("REGISTER") {
        return;
    }
    for e in f.elements(KnownHeader::Contact) {
        if e.bytes == b"*" || e.bytes.is_empty() {
            continue;
        }
        if f.addr_params(e.bytes, e.span.start)
            .is_some_and(|p| !p.contains("expires"))
        {
            out.emit(
                r::R_2XX_REGISTER_CONTACT_EXPIRES,
                Some(e.span),
                Detail::new("binding without expires"),
            );
        }
    }
}

/// The rule for a failing part of a Contact value that has one of its own:
/// a `q` or `expires` parameter (`contact-q-invalid`,
/// `contact-expires-param-invalid`), so those two are emitted from this
/// file only. `None` for any other part, which is `contact-syntax`'s (the
/// caller, in `addr.rs`).
pub(super) fn param_failure(part: Part) -> Option<(Rule, &'static str)> {
    match part {
        Part::Q => Some((r::CONTACT_Q_INVALID, "q is not a qvalue")),
        Part::Expires => Some((
            r::CONTACT_EXPIRES_PARAM_INVALID,
            "expires is not delta-seconds",
        )),
        _ => None,
    }
}
