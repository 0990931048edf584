//! Spec section 6: 4xx rules whose condition is a missing header.

use crate::header::{Header, KnownHeader};
use crate::lex;
use crate::span::Span;
use crate::validate::catalogue::Rule;
use crate::validate::finding::{Detail, DetailArg, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::error::HeaderValueError;
use crate::header::typed::{Challenge, MinSe, ProxyAuthenticate, TypedHeader, WwwAuthenticate};

use super::single::comma_joined;
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
    if f.code == 401 || f.code == 407 {
        challenges(f, out);
    }
    if f.code == 421 || f.code == 494 {
        sec_agree_policy(f, out);
    }
    per_code(f, out);
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
/// An empty row counts as present where the grammar allows it (an empty
/// Allow is legal, RFC 3261 §25.1, and an empty single-value header is
/// that header's syntax rule's). An Unsupported or Security-Server row with
/// no item counts as absent, as the spec's "How to read" has it for a list
/// header whose grammar needs one; a malformed item still counts as
/// present. Span: the status line.
fn require<S: FindingSink + ?Sized>(
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
            .first(KnownHeader::Require)
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
/// dropped RFC 3265's table): warning. Compact form `u` counts; a row
/// with no event type does not (it is `allow-events-syntax`), while a
/// malformed entry still counts as present. Span: the status line.
fn allow_events_489<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.has_value(KnownHeader::AllowEvents) {
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

/// The challenge of a WWW-Authenticate (`www`) or Proxy-Authenticate row,
/// read by the typed parser: the whole row must be one or more
/// well-formed challenges.
fn read_challenge<'a>(www: bool, h: &Header<'a>) -> Result<Challenge<'a>, HeaderValueError> {
    let (v, base) = (h.value(), h.value_span().start);
    if www {
        WwwAuthenticate::parse(v, base).map(|c| c.challenge())
    } else {
        ProxyAuthenticate::parse(v, base).map(|c| c.challenge())
    }
}

/// The comma-separated item of row `h` that holds the absolute offset
/// `at`: the failing part of a challenge (its scheme and first parameter,
/// or a later parameter). The row's span when the value is empty.
// second reader: replace with typed lax reading
fn failing_item(h: &Header<'_>, at: usize) -> Span {
    let (v, base) = (h.value(), h.value_span().start);
    if v.is_empty() {
        return h.span();
    }
    lex::ListSplit::new(v)
        .map(|(a, b)| Span::new(base + a, base + b))
        .find(|s| at <= s.end)
        .unwrap_or(h.value_span())
}

/// The realm and algorithm of a Digest challenge (missing `algorithm`
/// means MD5, RFC 8760 §2.3), `None` when the row does not parse or is not
/// Digest.
fn realm_algorithm<'a>(www: bool, h: &Header<'a>) -> Option<(&'a [u8], &'a [u8])> {
    let c = read_challenge(www, h).ok()?;
    c.is_digest()
        .then(|| (c.realm().unwrap_or(b""), c.algorithm().unwrap_or(b"MD5")))
}

/// Challenge rules on every WWW-Authenticate (401) or Proxy-Authenticate
/// (407) row, each read by the typed [`WwwAuthenticate`] /
/// [`ProxyAuthenticate`]:
///
/// * `auth-challenge-to-ack-cancel` — RFC 3261 §22.1: servers MUST NOT
///   challenge ACK or CANCEL. Span: the status line.
/// * `auth-challenge-syntax` — §20.27, §20.44, §25.1: the row is not one
///   challenge (`auth-scheme LWS auth-param *(COMMA auth-param)`, each
///   `name EQUAL (token / quoted-string)`). Span: the failing item. The
///   other rules stay silent about such a row.
/// * `auth-challenge-no-basic` — RFC 3261 §22.4 and RFC 8760 §2.6: the
///   Basic scheme MUST NOT be used. Span: the row.
/// * `auth-challenge-comma-combined` — RFC 3261 §7.3.1: these headers MUST
///   NOT be combined into one row. Span: the second challenge.
/// * `auth-digest-params` — RFC 3261 §22.4 item 8 and §25.1, RFC 8760 §2.6:
///   a Digest challenge needs `realm` and `nonce`, and servers MUST always
///   send `qop`; `stale` is `true`/`false` and `qop-options` is quoted.
///   Span: the row (or the bad parameter). Only the row's first challenge.
/// * `auth-same-realm-distinct-algorithms` — RFC 8760 §2.3: one realm
///   offers each algorithm once (missing `algorithm` means MD5); lowered to
///   warning because of proxy aggregation (§2.5). Span: the later row.
fn challenges<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let www = f.code == 401;
    let k = if www {
        KnownHeader::WwwAuthenticate
    } else {
        KnownHeader::ProxyAuthenticate
    };
    if f.method_is("ACK") || f.method_is("CANCEL") {
        out.emit(
            r::AUTH_CHALLENGE_TO_ACK_CANCEL,
            Some(f.status_line),
            Detail::new("ACK and CANCEL are never challenged"),
        );
    }
    let headers = f.resp.headers();
    for (i, h) in headers.get_all(k).enumerate() {
        let c = match read_challenge(www, &h) {
            Ok(c) => c,
            Err(e) => {
                out.emit(
                    r::AUTH_CHALLENGE_SYNTAX,
                    Some(failing_item(&h, e.offset())),
                    Detail::with("challenge does not match its grammar", DetailArg::Header(k)),
                );
                continue;
            }
        };
        if let Some(next) = c.next_challenge() {
            out.emit(
                r::AUTH_CHALLENGE_COMMA_COMBINED,
                Some(next.span()),
                Detail::new("second challenge on one row"),
            );
        }
        if c.is_basic() {
            out.emit(
                r::AUTH_CHALLENGE_NO_BASIC,
                Some(h.span()),
                Detail::new("Basic authentication"),
            );
        }
        if c.is_digest() {
            digest_params(&c, &h, out);
        }
        if let Some((realm, alg)) = realm_algorithm(www, &h) {
            let dup = headers.get_all(k).take(i).any(|prev| {
                realm_algorithm(www, &prev)
                    .is_some_and(|(r2, a2)| r2 == realm && a2.eq_ignore_ascii_case(alg))
            });
            if dup {
                out.emit(
                    r::AUTH_SAME_REALM_DISTINCT_ALGORITHMS,
                    Some(h.span()),
                    Detail::new("same realm and algorithm challenged twice"),
                );
            }
        }
    }
}

/// `auth-digest-params` on one well-formed Digest challenge (see
/// [`challenges`]).
fn digest_params<S: FindingSink + ?Sized>(
    c: &Challenge<'_>,
    h: &Header<'_>,
    out: &mut Emitter<'_, S>,
) {
    for p in c.params() {
        let bad = if p.is("qop") {
            (!p.is_quoted()).then_some("qop-options is not a quoted string")
        } else if p.is("stale") {
            let v = p.value();
            let ok = v.eq_ignore_ascii_case(b"true") || v.eq_ignore_ascii_case(b"false");
            (!ok).then_some("stale is not true or false")
        } else if p.is("algorithm") {
            (!lex::is_token_str(p.value_unquoted())).then_some("algorithm is not a token")
        } else {
            None
        };
        if let Some(text) = bad {
            out.emit(r::AUTH_DIGEST_PARAMS, Some(p.span()), Detail::new(text));
        }
    }
    for (present, what) in [
        (c.realm().is_some(), "realm"),
        (c.nonce().is_some(), "nonce"),
        (c.qop().is_some(), "qop"),
    ] {
        if !present {
            out.emit(
                r::AUTH_DIGEST_PARAMS,
                Some(h.span()),
                Detail::with("Digest challenge lacks", DetailArg::Word(what)),
            );
        }
    }
}

/// True when the single-value header `k` has more than one value (rows or
/// comma-joined).
fn several_values(f: &Facts<'_, '_>, k: KnownHeader) -> Option<Span> {
    let mut rows = f.rows(k);
    let first = rows.next()?;
    if let Some(second) = rows.next() {
        return Some(second.span());
    }
    lex::ListSplit::new(first.value())
        .nth(1)
        .map(|_| first.span())
}

/// Per-code 4xx rules whose condition is a method, a count or a note:
///
/// * `402-reserved` — RFC 3261 §21.4.3: 402 is reserved (info).
/// * `408-non-invite` — RFC 4320 §4.2: a transaction-stateful element MUST
///   NOT send 408 to a non-INVITE request; statefulness is unknown here, so
///   lowered to warning.
/// * `413-retry-after` — RFC 3261 §21.4.11: Retry-After SHOULD be present if
///   the condition is temporary, which is unknowable (info).
/// * `417-accept-resource-priority` — RFC 4412 §4.6.2: the 417 MAY list the
///   acceptable namespaces (info).
/// * `421-not-recommended` — RFC 3261 §8.2.4: use of 421 is NOT RECOMMENDED
///   (info).
/// * `422-method` — RFC 4028 §4, §6: 422 answers INVITE or UPDATE only.
/// * `min-se-value` — RFC 4028 §5: Min-SE is delta-seconds and MUST NOT be
///   below 90.
/// * `424-geolocation-error`, `425-alertmsg-error` — RFC 6442 §4.3, §4.4 and
///   RFC 8876 §5.1, §5.2: the header MUST be present with exactly one value.
/// * `identity-4xx-info` (428, 436, 437, 438; RFC 8224 §6.2), `429-info`
///   (RFC 3892 §5), `485-contact-list` (RFC 3261 §21.4.23): notes (info).
/// * `439-register-only` — RFC 5626 §11.6: 439 answers REGISTER.
/// * `469-recv-info` — RFC 6086 §4.2.2: the 469 carries Recv-Info (empty
///   allowed).
/// * `470-permission-missing` — RFC 5360 §5.9.2: SHOULD carry
///   Permission-Missing.
/// * `487-not-for-cancel` — RFC 3261 §21.4.25: a 487 answers the cancelled
///   request, never the CANCEL.
/// * `488-warning` — RFC 3261 §13.3.1.3, §14.2: a 488 to INVITE SHOULD
///   explain in Warning why the offer was rejected (warning); for other
///   methods, info.
///
/// Method-based rules stay silent when the method is unknown. Span: the
/// status line unless said otherwise.
fn per_code<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let line = Some(f.status_line);
    let known_not = |m: &str| f.method.is_some() && !f.method_is(m);
    match f.code {
        402 => out.emit(r::R_402_RESERVED, line, Detail::new("402 is reserved")),
        408 if known_not("INVITE") => out.emit(
            r::R_408_NON_INVITE,
            line,
            Detail::new("408 to a non-INVITE request"),
        ),
        413 if !f.has(KnownHeader::RetryAfter) => out.emit(
            r::R_413_RETRY_AFTER,
            line,
            Detail::new("413 without Retry-After"),
        ),
        417 if !f.has(KnownHeader::AcceptResourcePriority) => out.emit(
            r::R_417_ACCEPT_RESOURCE_PRIORITY,
            line,
            Detail::new("417 without Accept-Resource-Priority"),
        ),
        421 => out.emit(
            r::R_421_NOT_RECOMMENDED,
            line,
            Detail::new("421 is not recommended"),
        ),
        422 => {
            if f.method.is_some() && !f.method_is("INVITE") && !f.method_is("UPDATE") {
                out.emit(
                    r::R_422_METHOD,
                    line,
                    Detail::new("422 to a method other than INVITE or UPDATE"),
                );
            }
            for h in f.rows(KnownHeader::MinSe) {
                let (v, base) = (h.value(), h.value_span().start);
                let ok = MinSe::parse(v, base).is_ok_and(|m| m.value() >= 90);
                if !ok && !comma_joined(KnownHeader::MinSe, v, base) {
                    out.emit(
                        r::MIN_SE_VALUE,
                        Some(h.value_span()),
                        Detail::new("Min-SE is not delta-seconds of at least 90"),
                    );
                }
            }
        }
        424 => exactly_one(
            f,
            out,
            r::R_424_GEOLOCATION_ERROR,
            KnownHeader::GeolocationError,
        ),
        425 => exactly_one(f, out, r::R_425_ALERTMSG_ERROR, KnownHeader::AlertMsgError),
        428 | 436 | 437 | 438 => out.emit(
            r::IDENTITY_4XX_INFO,
            line,
            Detail::with(
                "identity verification failure",
                DetailArg::Number(f.code.into()),
            ),
        ),
        429 => out.emit(
            r::R_429_INFO,
            line,
            Detail::new("referrer identity requested"),
        ),
        439 if known_not("REGISTER") => out.emit(
            r::R_439_REGISTER_ONLY,
            line,
            Detail::new("439 to a method other than REGISTER"),
        ),
        469 if !f.has(KnownHeader::RecvInfo) => out.emit(
            r::R_469_RECV_INFO,
            line,
            Detail::new("469 without Recv-Info"),
        ),
        470 if !f.has(KnownHeader::PermissionMissing) => out.emit(
            r::R_470_PERMISSION_MISSING,
            line,
            Detail::new("470 without Permission-Missing"),
        ),
        485 => out.emit(
            r::R_485_CONTACT_LIST,
            line,
            Detail::new("485 may list alternatives in Contact"),
        ),
        487 if f.method_is("CANCEL") => out.emit(
            r::R_487_NOT_FOR_CANCEL,
            line,
            Detail::new("487 to a CANCEL"),
        ),
        488 if !f.has(KnownHeader::Warning) => {
            let sev = if f.method_is("INVITE") {
                Severity::Warning
            } else {
                Severity::Info
            };
            out.emit_at(
                r::R_488_WARNING,
                sev,
                line,
                Detail::new("488 without Warning"),
            );
        }
        _ => {}
    }
}

/// `rule` when header `k` is missing (span: the status line) or holds more
/// than one value (span: the extra row, or the comma-joined row).
fn exactly_one<S: FindingSink + ?Sized>(
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
    } else if let Some(span) = several_values(f, k) {
        out.emit(
            rule,
            Some(span),
            Detail::with("more than one value", DetailArg::Header(k)),
        );
    }
}

/// `sec-agree-policy-require` — RFC 3329 §2.3.2: a 421 or 494 sent because
/// of security-agreement policy MUST carry Security-Server and list
/// `sec-agree` in Require. A 494 is always such a response (§2.3.1); a 421
/// is one when its Require lists `sec-agree`. Without the request nothing
/// more is known. For 494 a missing Security-Server is left to
/// `494-security-server`. Span: the status line.
fn sec_agree_policy<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let sec_agree = f.has_token(KnownHeader::Require, b"sec-agree");
    if f.code == 494 && !sec_agree {
        out.emit(
            r::SEC_AGREE_POLICY_REQUIRE,
            Some(f.status_line),
            Detail::new("494 without Require: sec-agree"),
        );
    } else if f.code == 421 && sec_agree && !f.has_value(KnownHeader::SecurityServer) {
        out.emit(
            r::SEC_AGREE_POLICY_REQUIRE,
            Some(f.status_line),
            Detail::new("sec-agree 421 without Security-Server"),
        );
    }
}
