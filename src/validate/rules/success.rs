//! Spec sections 4 and 5: 2xx responses, method-specific success rules and
//! the dialog Contact rules shared with provisional responses.

use crate::header::typed::Refresher;
use crate::header::KnownHeader;
use crate::lex;
use crate::validate::finding::{Detail, DetailArg, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::syntax::session_expires as read_session_expires;
use super::Facts;

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let c = f.code;
    let is_2xx = (200..300).contains(&c);
    if f.method_is("REGISTER") {
        register_record_route(f, out);
    }
    if f.method_is("PUBLISH") {
        publish_record_route(f, out);
        if c < 300 {
            contact_in_publish(f, out);
        }
    }
    dialog_contact_single_sip_uri(f, out);
    if c == 202 {
        deprecated_202(f, out);
    }
    if c == 204 && f.method.is_some() && !f.method_is("SUBSCRIBE") {
        out.emit(
            r::R_204_SUBSCRIBE_IN_DIALOG,
            Some(f.status_line),
            Detail::new("204 to a method other than SUBSCRIBE"),
        );
    }
    if !is_2xx {
        return;
    }
    let m = f.method;
    match m {
        Some(b"INVITE") => {
            dialog_contact(f, out);
            invite_allow_supported(f, out);
        }
        Some(b"REFER") | Some(b"UPDATE") => dialog_contact(f, out),
        Some(b"REGISTER") => {
            register_contact_expires(f, out);
            register_date(f, out);
        }
        // RFC 6665 §3.1.1: 200-class responses to SUBSCRIBE MUST contain
        // an Expires header (`2xx-subscribe-expires`; 202 and 204 too).
        Some(b"SUBSCRIBE") if !f.has(KnownHeader::Expires) => out.emit(
            r::R_2XX_SUBSCRIBE_EXPIRES,
            Some(f.status_line),
            Detail::new("2xx to SUBSCRIBE without Expires"),
        ),
        Some(b"PUBLISH") => publish_expires_etag(f, out),
        Some(b"MESSAGE") => message_no_body_no_contact(f, out),
        Some(b"OPTIONS") if c == 200 => options_capabilities(f, out),
        Some(b"BYE") | Some(b"CANCEL") => contact_in_bye_cancel(f, out),
        _ => {}
    }
    if f.method_is("INVITE") || f.method_is("UPDATE") {
        session_expires(f, out);
        refresher_uac_require_timer(f, out);
    }
}

/// `2xx-dialog-contact` — RFC 3261 §12.1.1, §13.3.1.4 and Table 2 (`m`),
/// RFC 3515 §2.2 and RFC 3311 §7 tables: a 2xx to INVITE, REFER or UPDATE
/// MUST carry a Contact. SUBSCRIBE is bound only for the dialog-creating
/// 2xx, which needs the request, so it is skipped. Span: the status line.
fn dialog_contact<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !f.has_value(KnownHeader::Contact) {
        out.emit(
            r::R_2XX_DIALOG_CONTACT,
            Some(f.status_line),
            Detail::new("dialog 2xx without Contact"),
        );
    }
}

/// `2xx-invite-allow-supported` — RFC 3261 §13.3.1.4 and Table 2 (`m*`):
/// the 2xx to INVITE SHOULD carry Allow and Supported. One finding per
/// missing header. Span: the status line.
fn invite_allow_supported<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for k in [KnownHeader::Allow, KnownHeader::Supported] {
        if !f.has(k) {
            out.emit(
                r::R_2XX_INVITE_ALLOW_SUPPORTED,
                Some(f.status_line),
                Detail::with("2xx to INVITE lacks", DetailArg::Header(k)),
            );
        }
    }
}

/// `dialog-contact-single-sip-uri` — RFC 3261 §12.1.1: the Contact of a
/// response that establishes a dialog MUST be a SIP or SIPS URI (error).
/// More than one Contact value is the spec's warning case: the UAC takes
/// one remote target (§12.1.2), but the "exactly one" MUST of §8.1.1.8
/// binds requests. Applies to 2xx to INVITE, UPDATE, SUBSCRIBE and REFER,
/// and to 101–198 to INVITE with a To tag: a 199 terminates an early dialog
/// and never establishes or refreshes one (RFC 6228 §6), as
/// `1xx-early-dialog-contact` also excludes it. A Contact value that does
/// not parse as `name-addr / addr-spec` (RFC 3261 §20.10) is skipped: its
/// defect is a syntax matter for the Contact syntax rules, not a URI scheme
/// this rule could judge. Span: the offending value.
fn dialog_contact_single_sip_uri<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    let c = f.code;
    let applies = match c {
        200..=299 => {
            f.method_is("INVITE")
                || f.method_is("UPDATE")
                || f.method_is("SUBSCRIBE")
                || f.method_is("REFER")
        }
        101..=198 => f.method_is("INVITE") && f.to_has_tag() == Some(true),
        _ => false,
    };
    if !applies {
        return;
    }
    for (i, e) in f.elements(KnownHeader::Contact).enumerate() {
        if e.bytes == b"*" || e.bytes.is_empty() {
            continue;
        }
        if i == 1 {
            out.emit_at(
                r::DIALOG_CONTACT_SINGLE_SIP_URI,
                Severity::Warning,
                Some(e.span),
                Detail::new("more than one Contact value"),
            );
        }
        let Ok(contact) = f.sheet.contact(e.bytes, e.span.start) else {
            continue;
        };
        let sip = contact.uri().is_some_and(|u| u.is_sip() || u.is_sips());
        if !sip {
            out.emit_at(
                r::DIALOG_CONTACT_SINGLE_SIP_URI,
                Severity::Error,
                Some(e.span),
                Detail::new("dialog Contact is not a SIP or SIPS URI"),
            );
        }
    }
}

/// `2xx-register-contact-expires` — RFC 3261 §10.3 step 8: each Contact
/// value of the 2xx to REGISTER MUST feature an `expires` parameter with
/// the binding's expiry. No Contact at all is fine (no bindings). Span:
/// each value without it.
fn register_contact_expires<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
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

/// `2xx-register-date` — RFC 3261 §10.3 step 8: the 2xx to REGISTER SHOULD
/// include a Date header. Span: the status line.
fn register_date<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !f.has(KnownHeader::Date) {
        out.emit(
            r::R_2XX_REGISTER_DATE,
            Some(f.status_line),
            Detail::new("2xx to REGISTER without Date"),
        );
    }
}

/// `register-response-record-route` — RFC 3261 §10.3: registrars MUST NOT
/// include a Record-Route header in any response to REGISTER. Span: each row.
fn register_record_route<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for h in f.rows(KnownHeader::RecordRoute) {
        out.emit(
            r::REGISTER_RESPONSE_RECORD_ROUTE,
            Some(h.span()),
            Detail::new("Record-Route in a response to REGISTER"),
        );
    }
}

/// `publish-response-record-route` — RFC 3903 §6: the ESC MUST NOT include
/// a Record-Route header in any response to PUBLISH (§11.1.1 table: not
/// applicable). Span: each row.
fn publish_record_route<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for h in f.rows(KnownHeader::RecordRoute) {
        out.emit(
            r::PUBLISH_RESPONSE_RECORD_ROUTE,
            Some(h.span()),
            Detail::new("Record-Route in a response to PUBLISH"),
        );
    }
}

/// `contact-in-publish-response` — RFC 3903 §11.1.1: Contact is not
/// applicable in 1xx/2xx to PUBLISH (the sender must not add it, the
/// receiver ignores it; lowered to warning). Span: each row.
fn contact_in_publish<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for h in f.rows(KnownHeader::Contact) {
        out.emit(
            r::CONTACT_IN_PUBLISH_RESPONSE,
            Some(h.span()),
            Detail::new("Contact in a response to PUBLISH"),
        );
    }
}

/// `2xx-publish-expires-etag` — RFC 3903 §6 step 6: the 2xx to PUBLISH
/// MUST contain an Expires header and a SIP-ETag with a single entity-tag.
/// Span: the status line, or the SIP-ETag row holding more than one tag.
fn publish_expires_etag<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let rule = r::R_2XX_PUBLISH_EXPIRES_ETAG;
    if !f.has(KnownHeader::Expires) {
        out.emit(
            rule,
            Some(f.status_line),
            Detail::new("2xx to PUBLISH without Expires"),
        );
    }
    let mut rows = f.rows(KnownHeader::SipETag);
    match rows.next() {
        None => out.emit(
            rule,
            Some(f.status_line),
            Detail::new("2xx to PUBLISH without SIP-ETag"),
        ),
        Some(first) => {
            if let Some(what) = etag_defect(first.value()) {
                out.emit(rule, Some(first.span()), Detail::new(what));
            }
            for h in rows {
                out.emit(rule, Some(h.span()), Detail::new("more than one SIP-ETag"));
            }
        }
    }
}

/// What is wrong with a SIP-ETag value, `None` when it is one entity-tag.
/// RFC 3903 §11.3.1: `SIP-ETag = "SIP-ETag" HCOLON entity-tag`,
/// `entity-tag = token`. Unlike HTTP's entity-tag, it is not quoted: a
/// quoted value is one malformed tag, not several, and the detail says so.
/// (SIP-ETag has no typed parser yet: spec §12.4 leaves its syntax rule
/// open.)
// second reader: replace with typed lax reading
fn etag_defect(v: &[u8]) -> Option<&'static str> {
    let v = lex::trim_lws(v);
    if lex::is_token_str(v) {
        return None;
    }
    if v.is_empty() {
        return Some("SIP-ETag is empty (entity-tag = token)");
    }
    if v.first() == Some(&b'"') {
        return Some("SIP-ETag is quoted (entity-tag = token, RFC 3903 §11.3.1)");
    }
    // Tokens separated by commas or white space: several tags.
    let sep = |b: &u8| *b == b',' || lex::is_lws(*b);
    let several = v.iter().any(sep)
        && v.split(sep)
            .filter(|p| !p.is_empty())
            .all(lex::is_token_str);
    Some(if several {
        "SIP-ETag holds more than one entity-tag"
    } else {
        "SIP-ETag is not a token (entity-tag = token)"
    })
}

/// `2xx-message-no-body-no-contact` — RFC 3428 §7: a 2xx to MESSAGE MUST
/// NOT contain a body, and the UAS MUST NOT insert a Contact. Span: the
/// body, and each Contact row.
fn message_no_body_no_contact<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    let rule = r::R_2XX_MESSAGE_NO_BODY_NO_CONTACT;
    if !f.resp.body().is_empty() {
        out.emit(
            rule,
            Some(f.resp.body_span()),
            Detail::new("2xx to MESSAGE with a body"),
        );
    }
    for h in f.rows(KnownHeader::Contact) {
        out.emit(
            rule,
            Some(h.span()),
            Detail::new("2xx to MESSAGE with a Contact"),
        );
    }
}

/// `202-deprecated` — RFC 6665 §8.3.1: 202 MUST NOT be sent to SUBSCRIBE
/// or NOTIFY, and RFC 7647 §5 extends that to REFER: error. MESSAGE relays
/// still SHOULD answer 202 (RFC 3428 §7): nothing. Any other known method:
/// info (no meaning defined; treat as 200). Span: the status line.
fn deprecated_202<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let sev = match f.method {
        None | Some(b"MESSAGE") => return,
        Some(b"SUBSCRIBE") | Some(b"NOTIFY") | Some(b"REFER") => Severity::Error,
        Some(_) => Severity::Info,
    };
    out.emit_at(
        r::R_202_DEPRECATED,
        sev,
        Some(f.status_line),
        Detail::new("202 Accepted is deprecated here"),
    );
}

/// `2xx-options-capabilities` — RFC 3261 §11.2 and Table 2 (`m*`): the 200
/// to OPTIONS SHOULD carry Allow, Accept, Accept-Encoding, Accept-Language
/// and Supported. One finding per missing header. §11.2 also tells a proxy
/// that answers an OPTIONS itself to leave Allow out, and one response does
/// not show whether a UAS or a proxy built it: the spec makes a missing
/// Allow a finding only when `origin` says a UAS generated the 200, and
/// the [`Context`](crate::validate::Context) has no `origin`, so Allow is
/// not judged. A malformed header counts as present (its syntax rule
/// reports it). Span: the status line.
fn options_capabilities<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for k in [
        KnownHeader::Accept,
        KnownHeader::AcceptEncoding,
        KnownHeader::AcceptLanguage,
        KnownHeader::Supported,
    ] {
        if !f.has(k) {
            out.emit(
                r::R_2XX_OPTIONS_CAPABILITIES,
                Some(f.status_line),
                Detail::with("200 to OPTIONS lacks", DetailArg::Header(k)),
            );
        }
    }
}

/// `contact-in-2xx-bye-cancel` — RFC 3261 §20 (intro) and Table 2: Contact
/// is not applicable in a 2xx to BYE or CANCEL (lowered to warning: the
/// UAC ignores it). Span: each row.
fn contact_in_bye_cancel<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for h in f.rows(KnownHeader::Contact) {
        out.emit(
            r::CONTACT_IN_2XX_BYE_CANCEL,
            Some(h.span()),
            Detail::new("Contact in a 2xx to BYE or CANCEL"),
        );
    }
}

/// Session timer rules on a 2xx to INVITE or UPDATE carrying
/// Session-Expires (`x`):
///
/// * `2xx-session-expires-refresher` — RFC 4028 §9: the UAS MUST set the
///   `refresher` parameter (`uac` or `uas`) in the 2xx. Span: the value.
/// * `2xx-session-expires-min` — RFC 4028 §4 (the interval MUST NOT be
///   below 90 seconds) and §9. The bounds from the request need `req`.
///   Span: the value.
fn session_expires<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let Some(h) = f.first(KnownHeader::SessionExpires) else {
        return;
    };
    // A value that does not parse is `session-expires-syntax`'s.
    let Some(se) = read_session_expires(h.value(), h.value_span().start) else {
        return;
    };
    if se.refresher().is_none() {
        out.emit(
            r::R_2XX_SESSION_EXPIRES_REFRESHER,
            Some(h.value_span()),
            Detail::new("Session-Expires in 2xx without refresher=uac/uas"),
        );
    }
    if se.value() < 90 {
        out.emit(
            r::R_2XX_SESSION_EXPIRES_MIN,
            Some(h.value_span()),
            Detail::with("Session-Expires below 90", DetailArg::Number(se.value())),
        );
    }
}

/// `2xx-refresher-uac-require-timer` — RFC 4028 §9: with `refresher=uac`
/// in the 2xx the UAS MUST add `timer` to Require (and a proxy inserting
/// it must too, §8.2). Only for 2xx to INVITE or UPDATE (§4: the session
/// timer lives in those; elsewhere the header is
/// `session-expires-placement` alone), and silent about a Session-Expires
/// that does not parse. Span: the Session-Expires value.
fn refresher_uac_require_timer<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    let Some(h) = f.first(KnownHeader::SessionExpires) else {
        return;
    };
    let uac = read_session_expires(h.value(), h.value_span().start)
        .is_some_and(|se| se.refresher() == Some(Refresher::Uac));
    if uac && !f.has_token(KnownHeader::Require, b"timer") {
        out.emit(
            r::R_2XX_REFRESHER_UAC_REQUIRE_TIMER,
            Some(h.value_span()),
            Detail::new("refresher=uac without Require: timer"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etag_defect_says_what_is_wrong() {
        for (v, want) in [
            (&b"dx200xyz"[..], None),
            (b" dx200xyz ", None),
            (b"", Some("SIP-ETag is empty (entity-tag = token)")),
            (
                b"\"dx200xyz\"",
                Some("SIP-ETag is quoted (entity-tag = token, RFC 3903 §11.3.1)"),
            ),
            (b"a b", Some("SIP-ETag holds more than one entity-tag")),
            (b"a, b", Some("SIP-ETag holds more than one entity-tag")),
            (b"a\r\n b", Some("SIP-ETag holds more than one entity-tag")),
            (b"a/b", Some("SIP-ETag is not a token (entity-tag = token)")),
            (
                b"a b/c",
                Some("SIP-ETag is not a token (entity-tag = token)"),
            ),
        ] {
            assert_eq!(etag_defect(v), want, "{:?}", String::from_utf8_lossy(v));
        }
    }
}
