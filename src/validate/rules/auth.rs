//! WWW-Authenticate and Proxy-Authenticate (RFC 3261 §20.27, §20.44,
//! §22): the challenge a 401 or 407 must carry, and its form (the form
//! in any response that carries one).

use crate::header::{Header, KnownHeader};
use crate::lex;
use crate::span::Span;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::error::HeaderValueError;
use crate::header::typed::{Challenge, ProxyAuthenticate, TypedHeader, WwwAuthenticate};

use super::presence::require_header;
use super::Facts;

/// `401-www-authenticate` — RFC 3261 §22.2: a UAS that challenges MUST
/// send a 401 with a WWW-Authenticate header (Table 3: `m`). Span: the
/// status line.
pub(super) fn www_authenticate_401<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 401 {
        require_header(
            f,
            out,
            r::R_401_WWW_AUTHENTICATE,
            KnownHeader::WwwAuthenticate,
        );
    }
}

/// `407-proxy-authenticate` — RFC 3261 §22.3: the proxy MUST populate the
/// 407 with a Proxy-Authenticate header. Span: the status line.
pub(super) fn proxy_authenticate_407<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 407 {
        require_header(
            f,
            out,
            r::R_407_PROXY_AUTHENTICATE,
            KnownHeader::ProxyAuthenticate,
        );
    }
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

/// Most challenges of one row read for their defects (a row is bounded by
/// the parser's line limit; this bounds the walk on its own).
const MAX_CHALLENGES: usize = 64;

/// The located defects of every challenge of a row that the strict reading
/// refused, read by the lax reading
/// ([`ChallengeLax`](crate::header::typed::ChallengeLax), one challenge after
/// the other): each failing part once, with its span. The row's span when
/// the value is empty or nothing is blamed.
fn challenge_defects(www: bool, h: &Header<'_>, mut each: impl FnMut(Span)) {
    let (v, base) = (h.value(), h.value_span().start);
    let first = if www {
        WwwAuthenticate::parse_lax(v, base)
    } else {
        ProxyAuthenticate::parse_lax(v, base)
    };
    let mut any = false;
    let mut next = Some(first);
    for _ in 0..MAX_CHALLENGES {
        let Some(c) = next else { break };
        for d in c.defects().iter() {
            any = true;
            // A missing part (`Digest` with no auth-param): the challenge.
            let span = match (d.span.is_empty(), c.span().is_empty()) {
                (false, _) => d.span,
                (true, false) => c.span(),
                (true, true) => h.span(),
            };
            each(span);
        }
        next = c.next_challenge();
    }
    if !any {
        each(h.span());
    }
}

/// The realm and algorithm of a Digest challenge (missing `algorithm`
/// means MD5, RFC 8760 §2.3), `None` when the row does not parse or is not
/// Digest.
fn realm_algorithm<'a>(www: bool, h: &Header<'a>) -> Option<(&'a [u8], &'a [u8])> {
    let c = read_challenge(www, h).ok()?;
    c.is_digest()
        .then(|| (c.realm().unwrap_or(b""), c.algorithm().unwrap_or(b"MD5")))
}

/// Challenge rules, each row read by the typed [`WwwAuthenticate`] /
/// [`ProxyAuthenticate`]:
///
/// * `auth-challenge-syntax` — §20.27, §20.44, §25.1, on every row of
///   either header in any response (the rule is the header's, not a
///   code's): the row is not one challenge (`auth-scheme LWS auth-param
///   *(COMMA auth-param)`, each `name EQUAL (token / quoted-string)`).
///   Span: the failing item. The other rules stay silent about such a row.
///
/// The rest judge the challenges a 401 or a 407 makes: the rows of both
/// headers, not only the one its code requires. A proxy that picks a 401
/// or 407 as the best response MUST collect into it every WWW-Authenticate
/// and Proxy-Authenticate value of the other 401 and 407 responses (RFC
/// 3261 §16.7 step 7; Table 3 allows each header in both codes), so a
/// WWW-Authenticate in a 407 is a UAS's challenge the client answers like
/// any other:
///
/// * `auth-challenge-to-ack-cancel` — RFC 3261 §22.1: servers MUST NOT
///   challenge ACK or CANCEL. Span: the status line.
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
pub(super) fn challenges<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    use KnownHeader::{ProxyAuthenticate as Proxy, WwwAuthenticate as Www};
    let challenged = match f.code {
        401 => Some(Www),
        407 => Some(Proxy),
        _ => None,
    };
    if challenged.is_some() && (f.method_is("ACK") || f.method_is("CANCEL")) {
        out.emit(
            r::AUTH_CHALLENGE_TO_ACK_CANCEL,
            Some(f.status_line),
            Detail::new("ACK and CANCEL are never challenged"),
        );
    }
    // The code's own header first, so its findings lead.
    let order = if challenged == Some(Proxy) {
        [Proxy, Www]
    } else {
        [Www, Proxy]
    };
    for k in order {
        if f.has(k) {
            challenge_rows(f, out, k, challenged.is_some());
        }
    }
}

/// [`challenges`] on the rows of `k`; `judged`: the rows are challenges
/// of this 401 or 407, not only read for their syntax. The realm and
/// algorithm pairs are compared within one header: a proxy's realm and a
/// UAS's are not one realm.
fn challenge_rows<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
    k: KnownHeader,
    judged: bool,
) {
    let www = k == KnownHeader::WwwAuthenticate;
    let headers = f.resp.headers();
    for (i, h) in headers.get_all(k).enumerate() {
        let Ok(c) = read_challenge(www, &h) else {
            challenge_defects(www, &h, |span| {
                out.emit(
                    r::AUTH_CHALLENGE_SYNTAX,
                    Some(span),
                    Detail::with("challenge does not match its grammar", DetailArg::Header(k)),
                )
            });
            continue;
        };
        if !judged {
            continue;
        }
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
