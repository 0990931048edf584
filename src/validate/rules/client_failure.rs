//! Spec section 6: 4xx rules whose condition is a missing header.

use crate::header::KnownHeader;
use crate::validate::catalogue::Rule;
use crate::validate::finding::{Detail, DetailArg, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    match f.code {
        401 => require(
            f,
            out,
            r::R_401_WWW_AUTHENTICATE,
            KnownHeader::WwwAuthenticate,
        ),
        405 => require(f, out, r::R_405_ALLOW_REQUIRED, KnownHeader::Allow),
        407 => require(
            f,
            out,
            r::R_407_PROXY_AUTHENTICATE,
            KnownHeader::ProxyAuthenticate,
        ),
        415 => accept_headers_415(f, out),
        420 => require(
            f,
            out,
            r::R_420_UNSUPPORTED_REQUIRED,
            KnownHeader::Unsupported,
        ),
        421 => require_listing_421(f, out),
        422 => require(f, out, r::R_422_MIN_SE_REQUIRED, KnownHeader::MinSe),
        423 => min_expires_423(f, out),
        489 => allow_events_489(f, out),
        494 => require(
            f,
            out,
            r::R_494_SECURITY_SERVER,
            KnownHeader::SecurityServer,
        ),
        _ => {}
    }
}

/// Reports `rule` at its default severity when no row of `k` is present.
/// Used by the rules whose whole condition is "there is no `k`":
///
/// * `401-www-authenticate` — RFC 3261 §22.2: a UAS that challenges MUST
///   send a 401 with a WWW-Authenticate header (Table 3: `m`).
/// * `405-allow-required` — RFC 3261 §8.2.1, §21.4.6: the 405 MUST include
///   an Allow header listing the valid methods.
/// * `407-proxy-authenticate` — RFC 3261 §22.3: the proxy MUST populate the
///   407 with a Proxy-Authenticate header.
/// * `420-unsupported-required` — RFC 3261 §8.2.2.3: the 420 MUST list the
///   unsupported extensions in an Unsupported header.
/// * `422-min-se-required` — RFC 4028 §6: the 422 MUST contain a Min-SE
///   header.
/// * `494-security-server` — RFC 3329 §2.3.1: the 494 MUST carry a
///   Security-Server header, even with no common mechanism.
///
/// An empty row counts as present (an empty Allow is legal, RFC 3261
/// §25.1); whether its content is right is other rules' business. Span: the
/// status line.
fn require<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
    rule: Rule,
    k: KnownHeader,
) {
    if !f.has(k) {
        out.emit(
            rule,
            Some(f.status_line),
            Detail::with("required header missing", DetailArg::Header(k)),
        );
    }
}

/// `415-accept-headers` — RFC 3261 §8.2.3, §21.4.13: the 415 MUST list the
/// acceptable types, encodings or languages in Accept, Accept-Encoding or
/// Accept-Language, whichever matches the failure. Without the request only
/// "at least one of them" is checkable. Span: the status line.
fn accept_headers_415<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !f.has(KnownHeader::Accept)
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

/// `421-require-required` — RFC 3261 §8.2.4, §21.4.16: the 421 MUST carry a
/// Require header listing the extension(s) needed. An empty Require row
/// lists nothing, so it does not satisfy the rule. Span: the status line,
/// or the empty Require row.
fn require_listing_421<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !f.has_value(KnownHeader::Require) {
        let span = f
            .resp
            .headers()
            .get(KnownHeader::Require)
            .map_or(f.status_line, |h| h.span());
        out.emit(
            r::R_421_REQUIRE_REQUIRED,
            Some(span),
            Detail::new("421 without a Require listing the needed extension"),
        );
    }
}

/// `423-min-expires-required` — RFC 3261 §10.3 step 7 (REGISTER: the 423
/// MUST contain a Min-Expires header) and RFC 3903 §6 step 4 (PUBLISH, same
/// MUST): error. For SUBSCRIBE and any other or unknown method, RFC 6665
/// §4.2.1.1 only describes a 423 that contains Min-Expires, with no keyword:
/// warning (the spec's split severity). Span: the status line.
fn min_expires_423<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.has(KnownHeader::MinExpires) {
        return;
    }
    let sev = if f.method_is("REGISTER") || f.method_is("PUBLISH") {
        Severity::Error
    } else {
        Severity::Warning
    };
    out.emit_at(
        r::R_423_MIN_EXPIRES_REQUIRED,
        sev,
        Some(f.status_line),
        Detail::new("423 without Min-Expires"),
    );
}

/// `489-allow-events` — RFC 3903 §11.1.1 (the PUBLISH header table marks
/// Allow-Events mandatory in 489): error for PUBLISH. For SUBSCRIBE, NOTIFY
/// and any other or unknown method RFC 6665 §4.4.4 leaves a SHOULD (it
/// dropped RFC 3265's table): warning. Compact form `u` counts. Span: the
/// status line.
fn allow_events_489<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.has(KnownHeader::AllowEvents) {
        return;
    }
    let sev = if f.method_is("PUBLISH") {
        Severity::Error
    } else {
        Severity::Warning
    };
    out.emit_at(
        r::R_489_ALLOW_EVENTS,
        sev,
        Some(f.status_line),
        Detail::new("489 without Allow-Events"),
    );
}
