//! The dialog a response creates or ends (RFC 3261 §12.1): the Contact
//! that becomes the remote target, and the To tag that names the dialog.
//! (Comparisons with the request's Record-Route and URI scheme are
//! `request.rs`'s; the tag syntax is `addr.rs`'s.)

use crate::header::KnownHeader;
use crate::message::Request;
use crate::validate::finding::{Detail, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::{headers_to_tag, Facts};

/// `1xx-early-dialog-contact` — RFC 3261 §13.3.1.1 applies §12.1.1 to a
/// provisional response that creates an early dialog: the UAS MUST add a
/// Contact. Applies to 101–198 to INVITE with a To tag (199 has its own
/// rules). With the request in the Context, a re-INVITE's provisional
/// responses (which create no dialog, §12.1) are skipped. Span: the status
/// line.
pub(super) fn early_dialog_contact<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if !(101..200).contains(&f.code) {
        return;
    }
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

/// `199-to-tag` — RFC 6228 §5, §6: the 199 MUST contain the To tag of the
/// early dialog it terminates. Span: the To value. As for
/// `to-tag-missing`, a To that is missing is `to-required`'s and one that
/// does not parse is `name-addr-syntax`'s: whether it carries a tag is not
/// known, so this rule stays silent.
pub(super) fn to_tag_199<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code != 199 || f.to_has_tag() != Some(false) {
        return;
    }
    if let Some(h) = f.first(KnownHeader::To) {
        let span = h.value_span();
        out.emit(
            r::R_199_TO_TAG,
            Some(span),
            Detail::new("199 without To tag"),
        );
    }
}

/// `2xx-dialog-contact` — RFC 3261 §12.1.1, §13.3.1.4 and Table 2 (`m`),
/// RFC 3515 §2.2 and RFC 3311 §7 tables: a 2xx to INVITE, REFER or UPDATE
/// MUST carry a Contact. SUBSCRIBE is bound only for the dialog-creating
/// 2xx, which needs the request ([`subscribe_dialog_contact`]). Span: the
/// status line.
pub(super) fn dialog_contact_2xx<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    let dialog_method = f.method_is("INVITE") || f.method_is("REFER") || f.method_is("UPDATE");
    if (200..300).contains(&f.code) && dialog_method && !f.has_value(KnownHeader::Contact) {
        out.emit(
            r::R_2XX_DIALOG_CONTACT,
            Some(f.status_line),
            Detail::new("dialog 2xx without Contact"),
        );
    }
}

/// `2xx-dialog-contact` (SUBSCRIBE part) — RFC 3261 §12.1.1, RFC 6665
/// §4.1.2.1: the 2xx that creates the dialog (to a SUBSCRIBE without To
/// tag) MUST carry a Contact; a 204 creates none. Span: the status line.
/// Called by [`super::request`] for a 2xx to SUBSCRIBE when the Context
/// holds the request.
pub(super) fn subscribe_dialog_contact<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    let out_of_dialog = headers_to_tag(req.headers()) == Some(false);
    if out_of_dialog && f.code != 204 && !f.has_value(KnownHeader::Contact) {
        out.emit(
            r::R_2XX_DIALOG_CONTACT,
            Some(f.status_line),
            Detail::new("dialog-creating 2xx to SUBSCRIBE without Contact"),
        );
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
/// not parse as `name-addr / addr-spec` (RFC 3261 §20.10) is skipped, and
/// not counted as a second value: its defect is a syntax matter for the
/// Contact syntax rules, not a URI scheme or a target this rule could
/// judge. Span: the offending value.
pub(super) fn single_sip_uri<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
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
    // Readable values so far: an empty or unreadable one is not a second
    // remote target, only a syntax finding.
    let mut readable = 0;
    for e in f.elements(KnownHeader::Contact) {
        if e.bytes == b"*" || e.bytes.is_empty() {
            continue;
        }
        let Ok(contact) = f.sheet.contact(e.bytes, e.span.start) else {
            continue;
        };
        readable += 1;
        if readable == 2 {
            out.emit_at(
                r::DIALOG_CONTACT_SINGLE_SIP_URI,
                Severity::Warning,
                Some(e.span),
                Detail::new("more than one Contact value"),
            );
        }
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
