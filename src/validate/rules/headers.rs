//! Spec sections 2 and 3: mandatory headers, CSeq, Call-ID, Contact
//! parameters, option tags, placement and the value headers (Expires,
//! Retry-After, RSeq, Reason, Warning, Date), each read with its typed
//! parser.

use crate::header::KnownHeader;
use crate::span::Span;
use crate::validate::catalogue::Rule;
use crate::validate::finding::{Detail, DetailArg, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::error::HeaderValueErrorKind;
use crate::header::typed::{
    Allow, CSeq, CallId, Expires, MinExpires, RSeq, Reason, ReasonProtocol, Require, RetryAfter,
    Supported, TypedHeader, Unsupported,
};
use crate::header::{Element, Header};

use super::single::comma_joined;
use super::{delta, Facts};

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    mandatory(f, out);
    cseq(f, out);
    call_id(f, out);
    header_param_repeated(f, out);
    addr_spec_needs_angle_brackets(f, out);
    placement(f, out);
    contact(f, out);
    option_tag_syntax(f, out);
    option_tag_unknown(f, out);
    allow_syntax(f, out);
    expires_syntax(f, out);
    retry_after(f, out);
    rseq_range(f, out);
    reason_header(f, out);
    warning(f, out);
    date_syntax(f, out);
}

/// `via-required`, `from-required`, `to-required`, `call-id-required`,
/// `cseq-required` — RFC 3261 §8.2.6.2: the From, Call-ID, CSeq and Via
/// fields of a response MUST equal the request's (and To is copied too), so
/// each must be present; Tables 2 and 3 mark them mandatory (`m`) in every
/// response. Long and compact forms count alike. Span: the status line.
fn mandatory<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    const MANDATORY: [(Rule, KnownHeader); 5] = [
        (r::VIA_REQUIRED, KnownHeader::Via),
        (r::FROM_REQUIRED, KnownHeader::From),
        (r::TO_REQUIRED, KnownHeader::To),
        (r::CALL_ID_REQUIRED, KnownHeader::CallId),
        (r::CSEQ_REQUIRED, KnownHeader::CSeq),
    ];
    for (rule, k) in MANDATORY {
        if !f.has(k) {
            out.emit(
                rule,
                Some(f.status_line),
                Detail::with("mandatory header missing", DetailArg::Header(k)),
            );
        }
    }
}

/// The methods of the IANA SIP Methods registry (RFC 3261 §27.4 and the
/// RFCs that added methods), spelled exactly: methods are case-sensitive.
pub(super) const REGISTERED_METHODS: [&[u8]; 14] = [
    b"ACK",
    b"BYE",
    b"CANCEL",
    b"INFO",
    b"INVITE",
    b"MESSAGE",
    b"NOTIFY",
    b"OPTIONS",
    b"PRACK",
    b"PUBLISH",
    b"REFER",
    b"REGISTER",
    b"SUBSCRIBE",
    b"UPDATE",
];

/// The CSeq rules, on the first CSeq row (a second one, or a comma-joined
/// row, is `single-value-header-repeated`), read by the typed [`CSeq`]:
///
/// * `cseq-syntax` — RFC 3261 §25.1: `CSeq = "CSeq" HCOLON 1*DIGIT LWS
///   Method`; nothing may follow the method. Span: the value.
/// * `cseq-number-overflow` — §20.16: the number MUST be expressible as a
///   32-bit unsigned integer (RFC 4475 §3.1.2.5). Span: the digits. The
///   value is then not read further (the method rules stay silent).
/// * `cseq-number-2-31` — §8.1.1.5: requests MUST use a number below 2^31;
///   the response only copies it, so the spec lowers this to warning.
/// * `cseq-method-ack` — §17 (intro): a response to ACK is a "disallowed
///   response"; ACK is never answered. Span: the method.
/// * `cseq-method-case` — §20.16, §25.1: methods are case-sensitive, so
///   `invite` is an unknown extension method and matching fails (warning).
/// * `cseq-method-unknown` — §25.1 `extension-method`: legal, noted as info.
///   A case variant of a registered method is only `cseq-method-case`.
fn cseq<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let Some(h) = f.first(KnownHeader::CSeq) else {
        return;
    };
    let (v, base) = (h.value(), h.value_span().start);
    let c = match CSeq::parse(v, base) {
        Ok(c) => c,
        Err(e) if e.kind() == HeaderValueErrorKind::NumberOutOfRange => {
            // The grammar holds and the number does not fit 32 bits; the
            // digits start at the error.
            let at = e.offset() - base;
            let n = v[at..].iter().take_while(|b| b.is_ascii_digit()).count();
            out.emit(
                r::CSEQ_NUMBER_OVERFLOW,
                Some(Span::new(e.offset(), e.offset() + n)),
                Detail::new("CSeq number does not fit 32 bits"),
            );
            return;
        }
        Err(_) => {
            if !comma_joined(KnownHeader::CSeq, v, base) {
                out.emit(
                    r::CSEQ_SYNTAX,
                    Some(value_or_row(&h)),
                    Detail::new("CSeq is not 1*DIGIT LWS Method"),
                );
            }
            return;
        }
    };
    if c.number() >= 1 << 31 {
        out.emit(
            r::CSEQ_NUMBER_2_31,
            Some(c.number_span()),
            Detail::with(
                "CSeq number is 2^31 or more",
                DetailArg::Number(c.number().into()),
            ),
        );
    }
    let method = c.method().as_bytes();
    let span = Some(c.method_span());
    if method == b"ACK" {
        out.emit(
            r::CSEQ_METHOD_ACK,
            span,
            Detail::new("a response to ACK is never sent"),
        );
    } else if REGISTERED_METHODS.contains(&method) {
    } else if REGISTERED_METHODS
        .iter()
        .any(|k| k.eq_ignore_ascii_case(method))
    {
        out.emit(
            r::CSEQ_METHOD_CASE,
            span,
            Detail::new("case variant of a registered method"),
        );
    } else {
        out.emit(
            r::CSEQ_METHOD_UNKNOWN,
            span,
            Detail::new("extension method"),
        );
    }
}

/// The value's span, or the row's when the value is empty.
fn value_or_row(h: &Header<'_>) -> Span {
    if h.value().is_empty() {
        h.span()
    } else {
        h.value_span()
    }
}

/// `call-id-empty-or-ws` — RFC 3261 §25.1: `callid = word [ "@" word ]`, so
/// Call-ID is never empty and holds no white space or control character.
/// `call-id-chars` — the same production: at most one `@`, and only `word`
/// characters around it (lowered to warning: base64 `=` is common).
/// Read by the typed [`CallId`] (liberal parse, then the strict `word`
/// check). Span: the value (the row when it is empty).
fn call_id<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let Some(h) = f.first(KnownHeader::CallId) else {
        return;
    };
    let (v, base) = (h.value(), h.value_span().start);
    if comma_joined(KnownHeader::CallId, v, base) {
        return;
    }
    match CallId::parse(v, base) {
        // The typed parse also refuses bytes that are not UTF-8; those are
        // outside `word`, so `call-id-chars`, not white space.
        Err(e)
            if v.get(e.offset() - base)
                .is_some_and(|b| *b > 0x20 && *b != 0x7f) =>
        {
            out.emit(
                r::CALL_ID_CHARS,
                Some(h.value_span()),
                Detail::new("Call-ID is not word [\"@\" word]"),
            )
        }
        Err(_) => out.emit(
            r::CALL_ID_EMPTY_OR_WS,
            Some(value_or_row(&h)),
            Detail::new("Call-ID is empty or holds white space"),
        ),
        Ok(c) if !c.is_strict_word() => out.emit(
            r::CALL_ID_CHARS,
            Some(h.value_span()),
            Detail::new("Call-ID is not word [\"@\" word]"),
        ),
        Ok(_) => {}
    }
}

/// `header-param-repeated` — RFC 3261 §7.3.1: any given parameter name
/// MUST NOT appear more than once in one header field value. Checked on
/// the name-addr headers (From, To, Reply-To, every Contact value); Via is
/// in `via.rs`. Span: the first repeated parameter.
fn header_param_repeated<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !out.wants(r::HEADER_PARAM_REPEATED) {
        return;
    }
    for k in [
        KnownHeader::From,
        KnownHeader::To,
        KnownHeader::ReplyTo,
        KnownHeader::Contact,
    ] {
        for e in f.elements(k) {
            if let Some(p) = f
                .addr_params(e.bytes, e.span.start)
                .and_then(super::facts::first_repeated)
            {
                out.emit(
                    r::HEADER_PARAM_REPEATED,
                    Some(p.span()),
                    Detail::with("parameter repeated", DetailArg::Header(k)),
                );
            }
        }
    }
}

/// `addr-spec-needs-angle-brackets` — RFC 8217 §3 (replacing the RFC 3261
/// §20 intro): the addr-spec form MUST NOT be used when the URI contains a
/// comma, semicolon or question mark. Read with the typed [`NameAddr`]
/// ([`NameAddr::needs_angle_brackets`]) on every From, To, Reply-To and
/// Contact value; a value that does not parse is its syntax rule's.
/// Span: the value.
fn addr_spec_needs_angle_brackets<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    for k in [
        KnownHeader::From,
        KnownHeader::To,
        KnownHeader::ReplyTo,
        KnownHeader::Contact,
    ] {
        for e in f.elements(k) {
            if f.sheet
                .name_addr(e.bytes, e.span.start)
                .is_ok_and(|n| n.needs_angle_brackets())
            {
                out.emit(
                    r::ADDR_SPEC_NEEDS_ANGLE_BRACKETS,
                    Some(e.span),
                    Detail::with("bare URI needs <>", DetailArg::Header(k)),
                );
            }
        }
    }
}

/// Headers defined for requests only (spec `request-header-in-response`:
/// RFC 3261 Tables 2–3, RFC 3262 §7, RFC 3329 §2.6, RFC 3515 §2.2 and the
/// others the spec lists).
const REQUEST_ONLY: [KnownHeader; 21] = [
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

/// Reports `rule` once per row of `k` when `allowed` is false.
fn rows_where<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
    rule: Rule,
    k: KnownHeader,
    allowed: bool,
    text: &'static str,
) {
    if allowed || !f.has(k) {
        return;
    }
    for h in f.rows(k) {
        out.emit(
            rule,
            Some(h.span()),
            Detail::with(text, DetailArg::Header(k)),
        );
    }
}

/// Placement rules: a header present where its definition gives it no
/// place. One finding per row, spanning it. Where the rule depends on the
/// method and the method is unknown, the rule stays silent.
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
fn placement<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let c = f.code;
    let is_2xx = (200..300).contains(&c);
    for k in REQUEST_ONLY {
        rows_where(
            f,
            out,
            r::REQUEST_HEADER_IN_RESPONSE,
            k,
            false,
            "request-only header",
        );
    }
    rows_where(
        f,
        out,
        r::MAX_FORWARDS_IN_RESPONSE,
        KnownHeader::MaxForwards,
        false,
        "Max-Forwards means nothing in a response",
    );
    rows_where(
        f,
        out,
        r::EVENT_IN_RESPONSE,
        KnownHeader::Event,
        false,
        "Event in a response",
    );
    rows_where(
        f,
        out,
        r::SUBSCRIPTION_STATE_IN_RESPONSE,
        KnownHeader::SubscriptionState,
        false,
        "Subscription-State in a response",
    );
    rows_where(
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
    rows_where(
        f,
        out,
        r::SESSION_EXPIRES_PLACEMENT,
        KnownHeader::SessionExpires,
        se_ok,
        "Session-Expires outside a 2xx to INVITE or UPDATE",
    );
    rows_where(
        f,
        out,
        r::RSEQ_OUTSIDE_1XX,
        KnownHeader::RSeq,
        (101..200).contains(&c),
        "RSeq outside a reliable provisional response",
    );
    rows_where(
        f,
        out,
        r::RECORD_ROUTE_UNEXPECTED_CODE,
        KnownHeader::RecordRoute,
        (180..190).contains(&c) || is_2xx || f.method_is("REGISTER"),
        "Record-Route outside 18x and 2xx",
    );
    rows_where(
        f,
        out,
        r::ERROR_INFO_UNEXPECTED_CODE,
        KnownHeader::ErrorInfo,
        c >= 300,
        "Error-Info in a 1xx or 2xx",
    );
    rows_where(
        f,
        out,
        r::AUTHENTICATION_INFO_UNEXPECTED_CODE,
        KnownHeader::AuthenticationInfo,
        is_2xx,
        "Authentication-Info outside 2xx",
    );
    rows_where(
        f,
        out,
        r::UNSUPPORTED_UNEXPECTED_CODE,
        KnownHeader::Unsupported,
        c == 420,
        "Unsupported outside 420",
    );
    let alert_ok = (101..200).contains(&c) && (f.method.is_none() || f.method_is("INVITE"));
    rows_where(
        f,
        out,
        r::ALERT_INFO_UNEXPECTED_CODE,
        KnownHeader::AlertInfo,
        alert_ok,
        "Alert-Info outside a provisional response to INVITE",
    );
    rows_where(
        f,
        out,
        r::MIN_EXPIRES_UNEXPECTED_CODE,
        KnownHeader::MinExpires,
        c == 423,
        "Min-Expires outside 423",
    );
    rows_where(
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
        rows_where(
            f,
            out,
            r::REGISTER_ONLY_HEADERS_ELSEWHERE,
            k,
            reg_ok,
            "header defined for 2xx to REGISTER",
        );
    }
    rows_where(
        f,
        out,
        r::REASON_HEADER_IN_100,
        KnownHeader::Reason,
        c != 100,
        "Reason in a 100",
    );
}

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
fn contact<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
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
        }
        if let Some(Err(_)) = c.q() {
            out.emit(
                r::CONTACT_Q_INVALID,
                c.q_raw().map(|p| p.span()),
                Detail::new("q is not a qvalue"),
            );
        }
        if let Some(p) = c.expires_raw() {
            if p.value().and_then(delta).is_none() {
                out.emit(
                    r::CONTACT_EXPIRES_PARAM_INVALID,
                    Some(p.span()),
                    Detail::new("expires is not delta-seconds"),
                );
            }
        }
    }
}

/// `option-tag-syntax` — RFC 3261 §25.1: `Require = "Require" HCOLON
/// option-tag *(COMMA option-tag)`, the same for Unsupported, and
/// `Supported = ... HCOLON [option-tag *(COMMA option-tag)]`, with
/// `option-tag = token`. An empty Supported is legal; an empty Require or
/// Unsupported row, or an entry that is not a token, is not. Span: the
/// entry, or the empty row.
fn option_tag_syntax<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for k in [
        KnownHeader::Require,
        KnownHeader::Supported,
        KnownHeader::Unsupported,
    ] {
        for h in f.rows(k) {
            if h.value().is_empty() {
                if k != KnownHeader::Supported {
                    out.emit(
                        r::OPTION_TAG_SYNTAX,
                        Some(h.span()),
                        Detail::with("no option tag", DetailArg::Header(k)),
                    );
                }
                continue;
            }
            for e in h.elements() {
                if !option_tag_parses(k, e) {
                    let span = if e.bytes.is_empty() { h.span() } else { e.span };
                    out.emit(
                        r::OPTION_TAG_SYNTAX,
                        Some(span),
                        Detail::with("option tag is not a token", DetailArg::Header(k)),
                    );
                }
            }
        }
    }
}

/// True when element `e` of Require, Supported or Unsupported is an
/// `option-tag` (a token), as the typed parsers read it.
fn option_tag_parses(k: KnownHeader, e: Element<'_>) -> bool {
    match k {
        KnownHeader::Require => e.parse::<Require<'_>>().is_ok(),
        KnownHeader::Supported => e.parse::<Supported<'_>>().is_ok(),
        _ => e.parse::<Unsupported<'_>>().is_ok(),
    }
}

/// The IANA "Option Tags" registry (RFC 3261 §27.1: tags are registered
/// when published in standards-track RFCs), each with the RFC that
/// registered it. Compared ASCII case-insensitively (RFC 3261 §19.2 makes
/// tags tokens; `has_token` and the UAs we know compare them so).
const REGISTERED_OPTION_TAGS: [&str; 36] = [
    "100rel",                   // RFC 3262 (reliable provisional responses)
    "199",                      // RFC 6228 (199 Early Dialog Terminated)
    "answermode",               // RFC 5373 (Answer-Mode)
    "early-session",            // RFC 3959 (early-session disposition)
    "eventlist",                // RFC 4662 (resource lists)
    "explicitsub",              // RFC 7614 (explicit REFER subscription)
    "from-change",              // RFC 4916 (connected identity)
    "geolocation-http",         // RFC 6442 (location conveyance)
    "geolocation-sip",          // RFC 6442
    "gin",                      // RFC 6140 (registration of multiple numbers)
    "gruu",                     // RFC 5627 (GRUU)
    "histinfo",                 // RFC 7044 (History-Info)
    "ice",                      // RFC 5768 (ICE in SIP)
    "join",                     // RFC 3911 (Join)
    "multiple-refer",           // RFC 5368 (REFER with multiple targets)
    "norefersub",               // RFC 4488 (REFER without subscription)
    "nosub",                    // RFC 7614
    "outbound",                 // RFC 5626 (SIP Outbound)
    "path",                     // RFC 3327 (Path)
    "policy",                   // RFC 6794 (session policies)
    "precondition",             // RFC 3312 (preconditions)
    "pref",                     // RFC 3840 (caller preferences)
    "privacy",                  // RFC 3323 (Privacy)
    "recipient-list-invite",    // RFC 5366 (conference via INVITE)
    "recipient-list-message",   // RFC 5365 (multiple-recipient MESSAGE)
    "recipient-list-subscribe", // RFC 5367 (subscriptions to lists)
    "record-aware",             // RFC 7866 (SIPREC)
    "replaces",                 // RFC 3891 (Replaces)
    "resource-priority",        // RFC 4412 (Resource-Priority)
    "sdp-anat",                 // RFC 4092 (ANAT semantics)
    "sec-agree",                // RFC 3329 (security agreement)
    "siprec",                   // RFC 7866 (SIPREC)
    "tdialog",                  // RFC 4538 (Target-Dialog)
    "timer",                    // RFC 4028 (session timers)
    "trickle-ice",              // RFC 8840 (Trickle ICE in SIP)
    "uui",                      // RFC 7433 (User-to-User Information)
];

/// True when `tag` is in [`REGISTERED_OPTION_TAGS`] (case-insensitive).
fn is_registered_option_tag(tag: &[u8]) -> bool {
    REGISTERED_OPTION_TAGS
        .iter()
        .any(|t| t.as_bytes().eq_ignore_ascii_case(tag))
}

/// `option-tag-unknown` — RFC 3261 §19.2, §20.32, §20.37: option tags are
/// registered with IANA once published in a standards-track RFC, and only
/// those may be used; a tag outside the registry (a private or draft
/// extension) is reported as info. Entries that are not tokens are
/// `option-tag-syntax`'s, not this rule's. Unsupported is included as the
/// spec says, though there the UAS only echoes the request's tags. Span:
/// the tag.
fn option_tag_unknown<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !out.wants(r::OPTION_TAG_UNKNOWN) {
        return;
    }
    for k in [
        KnownHeader::Require,
        KnownHeader::Supported,
        KnownHeader::Unsupported,
    ] {
        for e in f.elements(k) {
            if option_tag_parses(k, e) && !is_registered_option_tag(e.bytes) {
                out.emit(
                    r::OPTION_TAG_UNKNOWN,
                    Some(e.span),
                    Detail::with("option tag not in the IANA registry", DetailArg::Header(k)),
                );
            }
        }
    }
}

/// `allow-syntax` — RFC 3261 §25.1: `Allow = "Allow" HCOLON [Method
/// *(COMMA Method)]`, `Method` being a token. An empty Allow is legal.
/// Span: the offending entry (the row when the entry is empty).
fn allow_syntax<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for h in f.rows(KnownHeader::Allow) {
        for e in h.elements() {
            if e.parse::<Allow<'_>>().is_err() {
                let span = if e.bytes.is_empty() { h.span() } else { e.span };
                out.emit(
                    r::ALLOW_SYNTAX,
                    Some(span),
                    Detail::new("Allow entry is not a method token"),
                );
            }
        }
    }
}

/// `expires-syntax` — RFC 3261 §25.1: `Expires` and `Min-Expires` are
/// `delta-seconds = 1*DIGIT` (error). §20.19, §20.23 and §10.2 bound the
/// value by 2^32−1 (receivers may clamp larger ones): a larger value is the
/// spec's warning case. Span: the value (the row when empty).
fn expires_syntax<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for k in [KnownHeader::Expires, KnownHeader::MinExpires] {
        for h in f.rows(k) {
            let (v, base) = (h.value(), h.value_span().start);
            if comma_joined(k, v, base) {
                continue;
            }
            let parsed = if k == KnownHeader::Expires {
                Expires::parse(v, base).map(|e| e.delta())
            } else {
                MinExpires::parse(v, base).map(|e| e.delta())
            };
            match parsed {
                Err(_) => out.emit(
                    r::EXPIRES_SYNTAX,
                    Some(value_or_row(&h)),
                    Detail::with("not delta-seconds", DetailArg::Header(k)),
                ),
                Ok(d) if d.exceeds_u32() => out.emit_at(
                    r::EXPIRES_SYNTAX,
                    Severity::Warning,
                    Some(h.value_span()),
                    Detail::with("larger than 2^32-1", DetailArg::Header(k)),
                ),
                Ok(_) => {}
            }
        }
    }
}

/// Codes for which Retry-After has a defined meaning (RFC 3261 §20.33,
/// Table 3).
const RETRY_AFTER_CODES: [u16; 8] = [404, 413, 480, 486, 500, 503, 600, 603];

/// Retry-After rules, on each row:
///
/// * `retry-after-syntax` — RFC 3261 §25.1: `Retry-After = "Retry-After"
///   HCOLON delta-seconds [ comment ] *( SEMI retry-param )`, with
///   `duration` delta-seconds; an HTTP-date is not valid in SIP. Span: the
///   value.
/// * `retry-after-overlarge` — RFC 4475 §3.1.2.5 treats a value above
///   2^32−1 as out of range (warning). Span: the digits.
/// * `retry-after-unexpected-code` — §20.33 and Table 3 give it a meaning
///   for 404, 413, 480, 486, 500, 503, 600 and 603 only (info). Span: the row.
fn retry_after<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for h in f.rows(KnownHeader::RetryAfter) {
        if !RETRY_AFTER_CODES.contains(&f.code) {
            out.emit(
                r::RETRY_AFTER_UNEXPECTED_CODE,
                Some(h.span()),
                Detail::with(
                    "Retry-After has no meaning for",
                    DetailArg::Number(f.code.into()),
                ),
            );
        }
        let (v, base) = (h.value(), h.value_span().start);
        match RetryAfter::parse(v, base) {
            Ok(ra) if ra.exceeds_u32() => out.emit(
                r::RETRY_AFTER_OVERLARGE,
                Some(ra.span()),
                Detail::new("Retry-After above 2^32-1"),
            ),
            Ok(_) => {}
            Err(_) if comma_joined(KnownHeader::RetryAfter, v, base) => {}
            Err(_) => out.emit(
                r::RETRY_AFTER_SYNTAX,
                Some(value_or_row(&h)),
                Detail::new("Retry-After is not delta-seconds [comment] *(;param)"),
            ),
        }
    }
}

/// `rseq-range` — RFC 3262 §7.1: `RSeq = "RSeq" HCOLON response-num`,
/// `response-num = 1*DIGIT`, and §3: the value is between 1 and 2^32−1.
/// (The "first reliable response at most 2^31−1" half needs the
/// transaction.) Span: the value.
fn rseq_range<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for h in f.rows(KnownHeader::RSeq) {
        let (v, base) = (h.value(), h.value_span().start);
        if RSeq::parse(v, base).is_err() && !comma_joined(KnownHeader::RSeq, v, base) {
            out.emit(
                r::RSEQ_RANGE,
                Some(value_or_row(&h)),
                Detail::new("RSeq is not 1..2^32-1"),
            );
        }
    }
}

/// Reason rules (RFC 3326 §2, updated by RFC 9366 §3), per value:
///
/// * `reason-header-syntax` — `reason-value = protocol *(SEMI
///   reason-params)`, `protocol = "SIP" / "Q.850" / token`, `cause = "cause"
///   EQUAL 1*DIGIT`, `reason-text = "text" EQUAL quoted-string`. Span: the
///   value.
/// * `reason-header-duplicate-protocol` — at most one value per protocol
///   (SIP and Q.850 define no multiple values). Span: the later value.
fn reason_header<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
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

/// Warn-codes registered in the IANA warning-code registry (RFC 3261
/// §20.43, §27.2; RFC 5630 for 380 and 381; RFC 8373 for 308).
const WARN_CODES: [u16; 14] = [
    300, 301, 302, 303, 304, 305, 306, 307, 308, 330, 331, 370, 380, 381,
];

/// Warning rules, per value (the typed [`Warning`] does the grammar):
///
/// * `warning-header-syntax` — RFC 3261 §20.43, §25.1: `warning-value =
///   warn-code SP warn-agent SP warn-text`, `warn-code = 3DIGIT`, the text
///   a quoted-string (RFC 4475 §3.1.2.5 discards a 4-digit code).
///   Span: the value.
/// * `warning-code-not-3xx` — §20.43: SIP warn-codes are 3xx; 1xx and 2xx
///   are HTTP's (warning). Span: the code.
/// * `warning-code-unregistered` — §20.43, §27.2: a 3xx code outside the
///   registry (info). 399 is registered.
/// * `warning-399` — §20.43: 399 is a miscellaneous warning; the receiver
///   MUST NOT take automated action on it (info).
///
/// [`Warning`]: crate::header::typed::Warning
fn warning<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    use crate::header::typed::Warning;
    for e in f.elements(KnownHeader::Warning) {
        let Ok(w) = e.parse::<Warning<'_>>() else {
            out.emit(
                r::WARNING_HEADER_SYNTAX,
                Some(e.span),
                Detail::new("not warn-code SP warn-agent SP warn-text"),
            );
            continue;
        };
        let code = w.code();
        let span = Some(w.code_span());
        if code / 100 != 3 {
            out.emit(
                r::WARNING_CODE_NOT_3XX,
                span,
                Detail::with("warn-code is not 3xx", DetailArg::Number(code.into())),
            );
        } else if code == 399 {
            out.emit(
                r::WARNING_399,
                span,
                Detail::new("399: take no automated action"),
            );
        } else if !WARN_CODES.contains(&code) {
            out.emit(
                r::WARNING_CODE_UNREGISTERED,
                span,
                Detail::with("unregistered warn-code", DetailArg::Number(code.into())),
            );
        }
    }
}

/// `date-syntax` — RFC 3261 §20.17, §25.1: `Date = "Date" HCOLON
/// SIP-date`, an RFC 1123 date that MUST be in GMT (RFC 4475 §3.1.2.12
/// rejects `UT`, numeric zones and RFC 850 forms). Lowered to warning: the
/// response is only rejected when the date is needed. Span: the value.
fn date_syntax<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    use crate::header::typed::Date;
    if let Some(h) = f.first(KnownHeader::Date) {
        if h.elements()
            .next()
            .is_some_and(|e| e.parse::<Date<'_>>().is_err())
        {
            out.emit(
                r::DATE_SYNTAX,
                Some(h.value_span()),
                Detail::new("Date is not an RFC 1123 date in GMT"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_option_tags() {
        for t in [
            &b"100rel"[..],
            b"TIMER",
            b"Replaces",
            b"199",
            b"uui",
            b"trickle-ice",
        ] {
            assert!(
                is_registered_option_tag(t),
                "{:?}",
                String::from_utf8_lossy(t)
            );
        }
        for t in [&b"100rel2"[..], b"x-private", b"", b"time", b"timer "] {
            assert!(
                !is_registered_option_tag(t),
                "{:?}",
                String::from_utf8_lossy(t)
            );
        }
        // Sorted and unique, so the table reads like the registry.
        assert!(REGISTERED_OPTION_TAGS.windows(2).all(|w| w[0] < w[1]));
    }
}
