//! Which headers a response carries: the mandatory ones (Via, From, To, Call-ID, CSeq) and the ones that belong in requests only or in other responses (placement).

use crate::header::KnownHeader;
use crate::validate::catalogue::Rule;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// `via-required`, `from-required`, `to-required`, `call-id-required`,
/// `cseq-required` — RFC 3261 §8.2.6.2: the From, Call-ID, CSeq and Via
/// fields of a response MUST equal the request's (and To is copied too), so
/// each must be present; Tables 2 and 3 mark them mandatory (`m`) in every
/// response. Long and compact forms count alike. Via is a list header: a
/// row with no value in it (`Via:`) counts as absent (spec "General
/// conventions"), as it does for the forwarder's `NoVia`; the row itself is
/// `via-sent-protocol`'s. Span: the status line.
pub(super) fn mandatory<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    const MANDATORY: [(Rule, KnownHeader); 5] = [
        (r::VIA_REQUIRED, KnownHeader::Via),
        (r::FROM_REQUIRED, KnownHeader::From),
        (r::TO_REQUIRED, KnownHeader::To),
        (r::CALL_ID_REQUIRED, KnownHeader::CallId),
        (r::CSEQ_REQUIRED, KnownHeader::CSeq),
    ];
    for (rule, k) in MANDATORY {
        let present = if k == KnownHeader::Via {
            f.has_element(k)
        } else {
            f.has(k)
        };
        if !present {
            out.emit(
                rule,
                Some(f.status_line),
                Detail::with("mandatory header missing", DetailArg::Header(k)),
            );
        }
    }
}

/// Headers defined for requests only (spec `request-header-in-response`:
/// RFC 3261 Tables 2–3, RFC 3262 §7, RFC 3329 §2.6, RFC 3515 §2.2 and the
/// others the spec lists).
pub(super) const REQUEST_ONLY: [KnownHeader; 21] = [
    KnownHeader::Route,
    KnownHeader::ProxyRequire,
    KnownHeader::Authorization,
    KnownHeader::ProxyAuthorization,
    KnownHeader::Priority,
    KnownHeader::Subject,
    KnownHeader::InReplyTo,
    KnownHeader::RAck,
    KnownHeader::ReferTo,
    KnownHeader::ReferredBy,
    KnownHeader::Replaces,
    KnownHeader::TargetDialog,
    KnownHeader::SecurityClient,
    KnownHeader::SecurityVerify,
    KnownHeader::MaxBreadth,
    KnownHeader::SipIfMatch,
    KnownHeader::InfoPackage,
    KnownHeader::AcceptContact,
    KnownHeader::RejectContact,
    KnownHeader::RequestDisposition,
    KnownHeader::Identity,
];

/// Reports `rule` once when `k` is present, spanning its first row: the
/// shared body of the rules whose condition is "header `k` is present"
/// (here and in the files of their subjects). Once per header, not per
/// row: a header's values on several rows are the same header as on one
/// comma-joined row (RFC 3261 §7.3.1; spec "General conventions"), so two
/// Record-Route rows in a 100 are one misplaced header, as
/// `Record-Route: <a>, <b>` is.
pub(super) fn present<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
    rule: Rule,
    k: KnownHeader,
    detail: Detail,
) {
    // The first row (one load when the header is absent, as it mostly
    // is: the placement rules ask for some twenty headers).
    if let Some(h) = f.first(k) {
        out.emit(rule, Some(h.span()), detail);
    }
}

/// [`present`] when `allowed` is false, the detail naming the header.
pub(super) fn misplaced<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
    rule: Rule,
    k: KnownHeader,
    allowed: bool,
    text: &'static str,
) {
    if !allowed {
        present(f, out, rule, k, Detail::with(text, DetailArg::Header(k)));
    }
}

/// Placement rules: a header present where its definition gives it no
/// place. One finding per header, spanning its first row ([`present`]).
/// Where the rule depends on the method and the method is unknown, the rule
/// stays silent.
///
/// * `request-header-in-response` — RFC 3261 §7.3.2 and Tables 2–3: a
///   request-only header in a response MUST be ignored (info).
/// * `max-forwards-in-response` — §7.3.2, §20.22: ignored in responses (info).
/// * `event-in-response`, `subscription-state-in-response` — RFC 3261 §20
///   (intro), §7.3.2: request header fields, not applicable in a response
///   (the UAS must not place them, the UAC ignores them); lowered to
///   warning (spec §12.1).
/// * `min-se-outside-422` — RFC 4028 §5: Min-SE MUST NOT be used in
///   responses other than 422.
/// * `session-expires-placement` — RFC 4028 §4: Session-Expires belongs in
///   INVITE and UPDATE requests and their 2xx responses (warning).
/// * `rseq-outside-1xx` — RFC 3262 §3, §7.1: RSeq is for reliable
///   provisional responses (101–199) only (warning).
/// * `record-route-unexpected-code` — RFC 3261 §20.30, Table 3: only in 18x
///   and 2xx (info; responses to REGISTER have their own rule).
/// * `error-info-unexpected-code` — §20.18, Table 2: defined for 300–699.
/// * `authentication-info-unexpected-code` — §20.6, Table 2: 2xx only.
/// * `unsupported-unexpected-code` — §20.40, Table 3: 420 only.
/// * `alert-info-unexpected-code` — §20.4 and RFC 7462 §4.1: non-100
///   provisional responses to INVITE only.
/// * `min-expires-unexpected-code` — §20.23, Table 2; RFC 3903 §11.1.1: 423 only.
/// * `security-server-unexpected-code` — RFC 3329 §2.6: 421 and 494 only
///   (warning).
/// * `register-only-headers-elsewhere` — RFC 3327 §4, RFC 3608 §5, RFC 5626
///   §5.4: Path, Service-Route and Flow-Timer belong in 2xx to REGISTER.
/// * `reason-header-in-100` — RFC 6432 §3: a Reason in a 100 serves no
///   purpose, 100 being hop-by-hop (info).
pub(super) fn placement<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let c = f.code;
    let is_2xx = (200..300).contains(&c);
    for k in REQUEST_ONLY {
        misplaced(
            f,
            out,
            r::REQUEST_HEADER_IN_RESPONSE,
            k,
            false,
            "request-only header",
        );
    }
    misplaced(
        f,
        out,
        r::MAX_FORWARDS_IN_RESPONSE,
        KnownHeader::MaxForwards,
        false,
        "Max-Forwards means nothing in a response",
    );
    misplaced(
        f,
        out,
        r::EVENT_IN_RESPONSE,
        KnownHeader::Event,
        false,
        "Event in a response",
    );
    misplaced(
        f,
        out,
        r::SUBSCRIPTION_STATE_IN_RESPONSE,
        KnownHeader::SubscriptionState,
        false,
        "Subscription-State in a response",
    );
    misplaced(
        f,
        out,
        r::MIN_SE_OUTSIDE_422,
        KnownHeader::MinSe,
        c == 422,
        "Min-SE outside 422",
    );
    let se_ok = match f.method {
        Some(_) => is_2xx && (f.method_is("INVITE") || f.method_is("UPDATE")),
        None => is_2xx,
    };
    misplaced(
        f,
        out,
        r::SESSION_EXPIRES_PLACEMENT,
        KnownHeader::SessionExpires,
        se_ok,
        "Session-Expires outside a 2xx to INVITE or UPDATE",
    );
    misplaced(
        f,
        out,
        r::RSEQ_OUTSIDE_1XX,
        KnownHeader::RSeq,
        (101..200).contains(&c),
        "RSeq outside a reliable provisional response",
    );
    misplaced(
        f,
        out,
        r::RECORD_ROUTE_UNEXPECTED_CODE,
        KnownHeader::RecordRoute,
        (180..190).contains(&c) || is_2xx || f.method_is("REGISTER"),
        "Record-Route outside 18x and 2xx",
    );
    misplaced(
        f,
        out,
        r::ERROR_INFO_UNEXPECTED_CODE,
        KnownHeader::ErrorInfo,
        c >= 300,
        "Error-Info in a 1xx or 2xx",
    );
    misplaced(
        f,
        out,
        r::AUTHENTICATION_INFO_UNEXPECTED_CODE,
        KnownHeader::AuthenticationInfo,
        is_2xx,
        "Authentication-Info outside 2xx",
    );
    misplaced(
        f,
        out,
        r::UNSUPPORTED_UNEXPECTED_CODE,
        KnownHeader::Unsupported,
        c == 420,
        "Unsupported outside 420",
    );
    let alert_ok = (101..200).contains(&c) && (f.method.is_none() || f.method_is("INVITE"));
    misplaced(
        f,
        out,
        r::ALERT_INFO_UNEXPECTED_CODE,
        KnownHeader::AlertInfo,
        alert_ok,
        "Alert-Info outside a provisional response to INVITE",
    );
    misplaced(
        f,
        out,
        r::MIN_EXPIRES_UNEXPECTED_CODE,
        KnownHeader::MinExpires,
        c == 423,
        "Min-Expires outside 423",
    );
    misplaced(
        f,
        out,
        r::SECURITY_SERVER_UNEXPECTED_CODE,
        KnownHeader::SecurityServer,
        c == 421 || c == 494,
        "Security-Server outside 421 and 494",
    );
    let reg_ok = is_2xx && (f.method.is_none() || f.method_is("REGISTER"));
    for k in [
        KnownHeader::Path,
        KnownHeader::ServiceRoute,
        KnownHeader::FlowTimer,
    ] {
        misplaced(
            f,
            out,
            r::REGISTER_ONLY_HEADERS_ELSEWHERE,
            k,
            reg_ok,
            "header defined for 2xx to REGISTER",
        );
    }
    misplaced(
        f,
        out,
        r::REASON_HEADER_IN_100,
        KnownHeader::Reason,
        c != 100,
        "Reason in a 100",
    );
}

/// Reports `rule` at its default severity when no row of `k` is present:
/// the shared body of the rules whose whole condition is "this response
/// lacks `k`" (`401-www-authenticate`, `405-allow-required`, and the
/// others; each is documented at its caller, in the file of its subject).
///
/// An empty row counts as present where the grammar allows it (an empty
/// Allow is legal, RFC 3261 §25.1, and an empty single-value header is
/// that header's syntax rule's). An Unsupported or Security-Server row with
/// no item counts as absent, as the spec's "How to read" has it for a list
/// header whose grammar needs one; a malformed item still counts as
/// present. Span: the status line.
pub(super) fn require_header<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
    rule: Rule,
    k: KnownHeader,
) {
    let needs_item = matches!(k, KnownHeader::Unsupported | KnownHeader::SecurityServer);
    let present = if needs_item { f.has_value(k) } else { f.has(k) };
    if !present {
        out.emit(
            rule,
            Some(f.status_line),
            Detail::with("required header missing", DetailArg::Header(k)),
        );
    }
}
