//! The headers that advertise what an element accepts or supports (Allow
//! and Supported in a 2xx, Accept, Accept-Encoding, Accept-Language,
//! Accept-Resource-Priority, Recv-Info): the responses that must or should
//! list them. (Allow alone in a 405 is `allow.rs`'s; option tags in
//! Require and Unsupported are `option_tags.rs`'s.)

use crate::header::KnownHeader;
use crate::message::Request;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// `415-accept-headers` — RFC 3261 §8.2.3, §21.4.13: the 415 MUST list the
/// acceptable types, encodings or languages in Accept, Accept-Encoding or
/// Accept-Language, whichever matches the failure. Without the request only
/// "at least one of them" is checkable. Span: the status line.
pub(super) fn accept_headers_415<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 415
        && !f.has(KnownHeader::Accept)
        && !f.has(KnownHeader::AcceptEncoding)
        && !f.has(KnownHeader::AcceptLanguage)
    {
        out.emit(
            r::R_415_ACCEPT_HEADERS,
            Some(f.status_line),
            Detail::new("415 without Accept, Accept-Encoding or Accept-Language"),
        );
    }
}

/// `415-accept-headers` (request part) — RFC 3261 §8.2.3, §21.4.13: the
/// 415 MUST list what is acceptable in the header matching the failure:
/// Accept for a body type the UAS does not understand, Accept-Encoding for
/// a content-coding, Accept-Language for a language. The request shows
/// which failures were possible: a body with a Content-Type, a
/// Content-Encoding, a Content-Language. Reported when the 415 has some of
/// the three headers (none at all is the `msg` part's finding) but none
/// matching what the request carried; the detail names the first match
/// the request makes possible. Silent when the request carried none of
/// them. Span: the status line. Called by [`super::request`] for a 415
/// when the Context holds the request.
pub(super) fn accept_415<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    use KnownHeader as K;
    if !f.has(K::Accept) && !f.has(K::AcceptEncoding) && !f.has(K::AcceptLanguage) {
        return;
    }
    let rh = req.headers();
    let possible = [
        (
            !req.body().is_empty() && rh.contains(K::ContentType),
            K::Accept,
        ),
        (rh.contains(K::ContentEncoding), K::AcceptEncoding),
        (rh.contains(K::ContentLanguage), K::AcceptLanguage),
    ];
    if possible.iter().any(|(p, k)| *p && f.has(*k)) {
        return;
    }
    if let Some((_, k)) = possible.iter().find(|(p, _)| *p) {
        out.emit(
            r::R_415_ACCEPT_HEADERS,
            Some(f.status_line),
            Detail::with(
                "415 lacks the header matching the request",
                DetailArg::Header(*k),
            ),
        );
    }
}

/// `2xx-invite-allow-supported` — RFC 3261 §13.3.1.4 and Table 2 (`m*`):
/// the 2xx to INVITE SHOULD carry Allow and Supported. One finding per
/// missing header. Span: the status line.
pub(super) fn invite_allow_supported<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if !(200..300).contains(&f.code) || !f.method_is("INVITE") {
        return;
    }
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

/// `2xx-options-capabilities` — RFC 3261 §11.2 and Table 2 (`m*`): the 200
/// to OPTIONS SHOULD carry Allow, Accept, Accept-Encoding, Accept-Language
/// and Supported. One finding per missing header. §11.2 also tells a proxy
/// that answers an OPTIONS itself to leave Allow out, and one response does
/// not show whether a UAS or a proxy built it: the spec makes a missing
/// Allow a finding only when `origin` says a UAS generated the 200, and
/// the [`Context`](crate::validate::Context) has no `origin`, so Allow is
/// not judged. A malformed header counts as present (its syntax rule
/// reports it). Span: the status line.
pub(super) fn options_capabilities<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code != 200 || !f.method_is("OPTIONS") {
        return;
    }
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

/// `417-accept-resource-priority` — RFC 4412 §4.6.2: the 417 MAY list the
/// acceptable namespaces in Accept-Resource-Priority (info). Span: the
/// status line.
pub(super) fn accept_resource_priority_417<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 417 && !f.has(KnownHeader::AcceptResourcePriority) {
        out.emit(
            r::R_417_ACCEPT_RESOURCE_PRIORITY,
            Some(f.status_line),
            Detail::new("417 without Accept-Resource-Priority"),
        );
    }
}

/// `469-recv-info` — RFC 6086 §4.2.2: the 469 carries Recv-Info (an empty
/// one is allowed). Span: the status line.
pub(super) fn recv_info_469<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 469 && !f.has(KnownHeader::RecvInfo) {
        out.emit(
            r::R_469_RECV_INFO,
            Some(f.status_line),
            Detail::new("469 without Recv-Info"),
        );
    }
}
