//! Spec section 6: 4xx rules whose condition is a missing header.

use crate::header::{Header, KnownHeader};
use crate::lex;
use crate::span::Span;
use crate::validate::catalogue::Rule;
use crate::validate::finding::{Detail, DetailArg, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::{delta, Facts};

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

/// One `name = value` item of a challenge (RFC 3261 §25.1 `auth-param`),
/// or a new challenge starting after a comma (`scheme LWS auth-param`).
struct AuthItem<'a> {
    /// The scheme when the item starts a new challenge.
    scheme: Option<&'a [u8]>,
    name: &'a [u8],
    /// The value, quotes removed (`None` when there is no `=`).
    value: Option<&'a [u8]>,
    quoted: bool,
    span: Span,
}

/// Reads `[scheme LWS] name [= value]` at the start of `v`.
fn auth_item(v: &[u8], span: Span, first: bool) -> AuthItem<'_> {
    let t = lex::token_end(v, 0);
    let after = lex::skip_lws(v, t);
    // `scheme LWS name =` starts a challenge; `name =` is an auth-param.
    let new_challenge = first
        || (after > t && v.get(after) != Some(&b'=') && {
            let n = lex::token_end(v, after);
            n > after && v.get(lex::skip_lws(v, n)) == Some(&b'=')
        });
    let (scheme, ns) = if new_challenge {
        (Some(&v[..t]), after)
    } else {
        (None, 0)
    };
    let ne = lex::token_end(v, ns);
    let eq = lex::skip_lws(v, ne);
    let (value, quoted) = if v.get(eq) == Some(&b'=') {
        let vs = lex::skip_lws(v, eq + 1);
        if v.get(vs) == Some(&b'"') {
            match lex::quoted_string_end(v, vs) {
                Ok(e) => (Some(&v[vs + 1..e - 1]), true),
                Err(_) => (None, false),
            }
        } else {
            (Some(lex::trim_lws(&v[vs..])), false)
        }
    } else {
        (None, false)
    };
    AuthItem {
        scheme,
        name: &v[ns..ne],
        value,
        quoted,
        span,
    }
}

/// The items of one challenge row, split on commas outside quotes.
fn auth_items<'a>(h: &Header<'a>) -> impl Iterator<Item = AuthItem<'a>> + 'a {
    let v = h.value();
    let base = h.value_span().start;
    lex::ListSplit::new(v)
        .enumerate()
        .map(move |(i, (a, b))| auth_item(&v[a..b], Span::new(base + a, base + b), i == 0))
}

/// The realm and algorithm of a Digest challenge on `h` (the first
/// challenge of the row), `None` when the row is not Digest.
fn realm_algorithm<'a>(h: &Header<'a>) -> Option<(&'a [u8], &'a [u8])> {
    let mut items = auth_items(h);
    let first = items.next()?;
    if !first.scheme?.eq_ignore_ascii_case(b"Digest") {
        return None;
    }
    let mut realm: &[u8] = b"";
    let mut alg: &[u8] = b"MD5";
    for it in core::iter::once(first).chain(items.take_while(|i| i.scheme.is_none())) {
        if it.name.eq_ignore_ascii_case(b"realm") {
            realm = it.value.unwrap_or(b"");
        } else if it.name.eq_ignore_ascii_case(b"algorithm") {
            alg = it.value.unwrap_or(b"");
        }
    }
    Some((realm, alg))
}

/// Challenge rules on every WWW-Authenticate (401) or Proxy-Authenticate
/// (407) row:
///
/// * `auth-challenge-to-ack-cancel` — RFC 3261 §22.1: servers MUST NOT
///   challenge ACK or CANCEL. Span: the status line.
/// * `auth-challenge-no-basic` — RFC 3261 §22.4 and RFC 8760 §2.6: the
///   Basic scheme MUST NOT be used. Span: the row.
/// * `auth-challenge-comma-combined` — RFC 3261 §7.3.1: these headers MUST
///   NOT be combined into one row; a comma followed by `scheme auth-param`
///   starts a second challenge. Span: where it starts.
/// * `auth-digest-params` — RFC 3261 §22.4 item 8 and §25.1, RFC 8760 §2.6:
///   a Digest challenge needs `realm` and `nonce`, and servers MUST always
///   send `qop`; `stale` is `true`/`false` and `qop-options` is quoted.
///   Span: the row (or the bad parameter).
/// * `auth-same-realm-distinct-algorithms` — RFC 8760 §2.3: one realm
///   offers each algorithm once (missing `algorithm` means MD5); lowered to
///   warning because of proxy aggregation (§2.5). Span: the later row.
fn challenges<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let k = if f.code == 401 {
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
        let mut digest = false;
        let (mut realm, mut nonce, mut qop) = (false, false, false);
        for (n, it) in auth_items(&h).enumerate() {
            if let Some(scheme) = it.scheme {
                if n > 0 {
                    out.emit(
                        r::AUTH_CHALLENGE_COMMA_COMBINED,
                        Some(it.span),
                        Detail::new("second challenge on one row"),
                    );
                    break;
                }
                if scheme.eq_ignore_ascii_case(b"Basic") {
                    out.emit(
                        r::AUTH_CHALLENGE_NO_BASIC,
                        Some(h.span()),
                        Detail::new("Basic authentication"),
                    );
                }
                digest = scheme.eq_ignore_ascii_case(b"Digest");
            }
            if !digest {
                continue;
            }
            let name = it.name;
            if name.eq_ignore_ascii_case(b"realm") {
                realm = true;
            } else if name.eq_ignore_ascii_case(b"nonce") {
                nonce = true;
            } else if name.eq_ignore_ascii_case(b"qop") {
                qop = true;
                if !it.quoted {
                    out.emit(
                        r::AUTH_DIGEST_PARAMS,
                        Some(it.span),
                        Detail::new("qop-options is not a quoted string"),
                    );
                }
            } else if name.eq_ignore_ascii_case(b"stale") {
                let ok = it.value.is_some_and(|v| {
                    v.eq_ignore_ascii_case(b"true") || v.eq_ignore_ascii_case(b"false")
                });
                if !ok || it.quoted {
                    out.emit(
                        r::AUTH_DIGEST_PARAMS,
                        Some(it.span),
                        Detail::new("stale is not true or false"),
                    );
                }
            } else if name.eq_ignore_ascii_case(b"algorithm")
                && !it.value.is_some_and(lex::is_token_str)
            {
                out.emit(
                    r::AUTH_DIGEST_PARAMS,
                    Some(it.span),
                    Detail::new("algorithm is not a token"),
                );
            }
        }
        if digest {
            for (present, what) in [(realm, "realm"), (nonce, "nonce"), (qop, "qop")] {
                if !present {
                    out.emit(
                        r::AUTH_DIGEST_PARAMS,
                        Some(h.span()),
                        Detail::with("Digest challenge lacks", DetailArg::Word(what)),
                    );
                }
            }
        }
        if let Some((realm, alg)) = realm_algorithm(&h) {
            let dup = headers.get_all(k).take(i).any(|prev| {
                realm_algorithm(&prev)
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

/// True when the single-value header `k` has more than one value (rows or
/// comma-joined).
fn several_values(f: &Facts<'_, '_>, k: KnownHeader) -> Option<Span> {
    let mut rows = f.resp.headers().get_all(k);
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
            for h in f.resp.headers().get_all(KnownHeader::MinSe) {
                let v = h.value();
                let end = v.iter().position(|b| *b == b';').unwrap_or(v.len());
                let ok = delta(lex::trim_lws(&v[..end])).is_some_and(|n| n >= 90);
                if !ok {
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
    let sec_agree = super::has_token(f.resp, KnownHeader::Require, b"sec-agree");
    if f.code == 494 && !sec_agree {
        out.emit(
            r::SEC_AGREE_POLICY_REQUIRE,
            Some(f.status_line),
            Detail::new("494 without Require: sec-agree"),
        );
    } else if f.code == 421 && sec_agree && !f.has(KnownHeader::SecurityServer) {
        out.emit(
            r::SEC_AGREE_POLICY_REQUIRE,
            Some(f.status_line),
            Detail::new("sec-agree 421 without Security-Server"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_item_table() {
        let s = Span::new(0, 0);
        let it = auth_item(b"Digest realm=\"a, b\"", s, true);
        assert_eq!(it.scheme, Some(&b"Digest"[..]));
        assert_eq!(it.name, b"realm");
        assert_eq!(it.value, Some(&b"a, b"[..]));
        assert!(it.quoted);
        let it = auth_item(b"nonce = abc", s, false);
        assert_eq!(
            (it.scheme, it.name, it.value),
            (None, &b"nonce"[..], Some(&b"abc"[..]))
        );
        assert!(!it.quoted);
        // `scheme LWS name=` after a comma starts a second challenge.
        let it = auth_item(b"Basic realm=\"x\"", s, false);
        assert_eq!(it.scheme, Some(&b"Basic"[..]));
        assert_eq!(it.name, b"realm");
        let it = auth_item(b"stale", s, false);
        assert_eq!((it.scheme, it.value), (None, None));
    }
}
