//! Spec section 3, Via rules (RFC 3261 §8.1.1.7, §18.2.1, §20.42, §25.1),
//! and the Via facts the UAC and proxy rules use.
//!
//! A small in-place reader of one Via value: `sent-protocol LWS sent-by
//! *( SEMI via-params )`. It only finds the pieces the rules need; it is
//! not the typed Via header, which lives with the other typed values.

use crate::header::typed::host::{is_ipv4, scan_hostport};
use crate::header::typed::{Host, Via};
use crate::header::KnownHeader;
use crate::lex::{self, Cursor};
use crate::span::Span;
use crate::validate::catalogue::Rule;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;
use crate::validate::facts::{repeated_index, PARAM_WALK};

/// Transports registered for Via (RFC 3261 §20.42; RFC 4168; RFC 7118 §5.1).
const TRANSPORTS: [&[u8]; 7] = [b"UDP", b"TCP", b"TLS", b"SCTP", b"TLS-SCTP", b"WS", b"WSS"];

/// The RFC 3261 branch magic cookie (§8.1.1.7).
const COOKIE: &[u8] = b"z9hG4bK";

/// An unbracketed IPv6 address (RFC 3261 §25.1 `IPv6address`), as the
/// standard library reads one. Not the typed headers' `host::is_ipv6`: that
/// one also accepts RFC 3261's three-colon ABNF slip (`2001:db8:::192.0.2.1`,
/// which RFC 5118 §4.10 asks receivers to tolerate in a URI host), and a
/// `received` value a server writes has no such excuse, so
/// `via-received-syntax` stays strict.
fn is_ipv6(v: &[u8]) -> bool {
    core::str::from_utf8(v)
        .ok()
        .and_then(|s| s.parse::<core::net::Ipv6Addr>().ok())
        .is_some()
}

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for (n, e) in f.elements(KnownHeader::Via).enumerate() {
        match f.sheet.via(e.bytes, e.span.start) {
            Ok(via) => check_one(out, &via, n == 0),
            Err(err) => {
                let (rule, span, text) = via_failure(e.bytes, e.span.start, err.offset());
                out.emit(rule, Some(span), Detail::new(text));
            }
        }
    }
}

/// Which part of a Via value the typed [`Via`] refused, so that the failure
/// is reported once, under the rule that names that part (spec "How to
/// read": one syntax rule per part):
///
/// * `via-sent-protocol` — the failure lies in `sent-protocol` (RFC 3261
///   §25.1 `protocol-name SLASH protocol-version SLASH transport`), or the
///   value is empty. Span: the value.
/// * `via-sent-by-syntax` — `sent-by = host [COLON port]` is missing or
///   does not end in `;`, `,` or the end of the value (`host:5061&x`).
///   Span: the sent-by.
/// * `via-param-syntax` — a parameter breaks its production (§25.1
///   `via-params`; RFC 3581 `response-port`). Span: the parameter. A
///   failing `received` or `ttl` goes to `via-received-syntax` or
///   `via-ttl-range`, which own those parameters.
///
/// The parts are located with the typed layer's own scanners (token,
/// `scan_hostport`); only the parameter around the error offset is found
/// by hand.
fn via_failure(v: &[u8], base: usize, at: usize) -> (Rule, Span, &'static str) {
    let whole = Span::new(base, base + v.len());
    let protocol = (
        r::VIA_SENT_PROTOCOL,
        whole,
        "Via sent-protocol is not protocol/version/transport",
    );
    let mut cur = Cursor::new(v, base);
    for slash in [true, true, false] {
        cur.skip_lws();
        if cur.expect_token().is_err() {
            return protocol;
        }
        if slash {
            cur.skip_lws();
            if !cur.eat(b'/') {
                return protocol;
            }
        }
    }
    if at < base + cur.pos {
        return protocol;
    }
    cur.skip_lws();
    let by_start = cur.pos;
    let by_end = param_segment_end(v, by_start);
    // A missing sent-by has no bytes of its own: the span is the value.
    let by_span = if by_end > by_start {
        Span::new(base + by_start, base + by_end)
    } else {
        whole
    };
    let sent_by = (
        r::VIA_SENT_BY_SYNTAX,
        by_span,
        "Via sent-by is not host [\":\" port]",
    );
    if scan_hostport(&mut cur, true).is_err() {
        return sent_by;
    }
    cur.skip_lws();
    if at <= base + cur.pos && !matches!(cur.peek(), Some(b';' | b',')) {
        return sent_by;
    }
    let span = param_at(v, base, at.saturating_sub(base));
    let part = &v[span.start - base..span.end - base];
    let name = &part[..lex::token_end(part, 0)];
    if name.eq_ignore_ascii_case(b"received") {
        (
            r::VIA_RECEIVED_SYNTAX,
            span,
            "received is not a plain IPv4 or IPv6 address",
        )
    } else if name.eq_ignore_ascii_case(b"ttl") {
        (r::VIA_TTL_RANGE, span, "ttl is not 0..255")
    } else {
        (
            r::VIA_PARAM_SYNTAX,
            span,
            "Via parameter breaks its production",
        )
    }
}

/// End of the sent-by that starts at `i`: the first `;` or the end.
// second reader: replace with typed lax reading
fn param_segment_end(v: &[u8], i: usize) -> usize {
    let end = v[i.min(v.len())..]
        .iter()
        .position(|b| *b == b';')
        .map_or(v.len(), |p| i + p);
    i + lex::trim_lws(&v[i.min(end)..end]).len()
}

/// The parameter that holds relative offset `at`: from just after the last
/// `;` before it (an error at a `;` belongs to the parameter that `;`
/// ends, as for a missing value) (outside quoted strings) to the next `;` or the end,
/// without surrounding LWS.
// second reader: replace with typed lax reading
pub(super) fn param_at(v: &[u8], base: usize, at: usize) -> Span {
    let (mut start, mut i) = (0, 0);
    while i < v.len() && i < at {
        match v[i] {
            b'"' => i = lex::quoted_string_end(v, i).unwrap_or(v.len()),
            b';' => {
                start = i;
                i += 1;
            }
            _ => i += 1,
        }
    }
    let mut end = start + 1;
    while end < v.len() && v[end] != b';' {
        end = if v[end] == b'"' {
            lex::quoted_string_end(v, end).unwrap_or(v.len())
        } else {
            end + 1
        };
    }
    let from = if v.get(start) == Some(&b';') {
        start + 1
    } else {
        start
    };
    trim_span(v, base, Span::new(base + from, base + end.min(v.len())))
}

/// `span` (inside value `v` at `base`) without surrounding LWS.
pub(super) fn trim_span(v: &[u8], base: usize, span: Span) -> Span {
    let part = &v[span.start - base..span.end - base];
    let start = span.start + lex::skip_lws(part, 0).min(part.len());
    Span::new(start, start + lex::trim_lws(part).len())
}

/// Rules on one Via value (each spans the value or the parameter):
///
/// * `via-sent-protocol` — RFC 3261 §8.1.1.7: the protocol name and version
///   MUST be SIP and 2.0; §25.1 `sent-protocol = protocol-name SLASH
///   protocol-version SLASH transport`.
/// * `via-transport-unknown` — §20.42, RFC 4168, RFC 7118 §5.1: a transport
///   other than UDP, TCP, TLS, SCTP, TLS-SCTP, WS, WSS (legal; info).
/// * `via-branch-missing` — §8.1.1.7: the branch MUST be present (on the
///   element that created the value: warning).
/// * `via-branch-no-magic-cookie` — §8.1.1.7: the branch MUST start with
///   `z9hG4bK` (warning; matching falls back to RFC 2543 rules).
/// * `via-branch-cookie-only` — §8.1.1.7, RFC 4475 §3.2.1: a branch of just
///   the cookie identifies no transaction (warning).
/// * `via-param-syntax` — §25.1 `via-maddr = "maddr" EQUAL host`: a `maddr`
///   that is not a host (the typed Via keeps it raw).
/// * `via-received-syntax` — §18.2.1, §25.1: `received = IPv4address /
///   IPv6address`, without brackets (RFC 5118 §4.5).
/// * `via-ttl-range` — §25.1: `ttl = 1*3DIGIT ; 0 to 255`.
/// * `via-rport-empty` — RFC 3581 §4: a server supporting rport MUST fill
///   in the top Via's `rport`; an empty one means it did not (info).
/// * `header-param-repeated` — §7.3.1, for Via parameters.
fn check_one<S: FindingSink + ?Sized>(out: &mut Emitter<'_, S>, via: &Via<'_>, top: bool) {
    let span = via.span();
    if !via.is_sip_2_0() {
        out.emit(
            r::VIA_SENT_PROTOCOL,
            Some(span),
            Detail::new("Via sent-protocol is not SIP/2.0"),
        );
    }
    if !TRANSPORTS
        .iter()
        .any(|t| t.eq_ignore_ascii_case(via.transport()))
    {
        out.emit(
            r::VIA_TRANSPORT_UNKNOWN,
            Some(span),
            Detail::new("unregistered Via transport"),
        );
    }
    // One walk of the parameters: the first of each name the checks read
    // (what `Params::get` would find) and every name, for
    // `header-param-repeated`.
    let (mut branch, mut maddr, mut received, mut ttl) = (None, None, None, false);
    let mut names = [""; PARAM_WALK];
    let mut n = 0;
    let mut long = false;
    for p in via.params().iter() {
        match () {
            _ if branch.is_none() && p.is("branch") => branch = Some(p),
            _ if maddr.is_none() && p.is("maddr") => maddr = Some(p),
            _ if received.is_none() && p.is("received") => received = Some(p),
            _ if p.is("ttl") => ttl = true,
            _ => {}
        }
        if n < PARAM_WALK {
            names[n] = p.name();
            n += 1;
        } else {
            long = true;
        }
    }
    match branch {
        None => out.emit(
            r::VIA_BRANCH_MISSING,
            Some(span),
            Detail::new("Via without branch"),
        ),
        Some(p) => {
            let b = p.value().unwrap_or(b"");
            if b == COOKIE {
                out.emit(
                    r::VIA_BRANCH_COOKIE_ONLY,
                    Some(p.span()),
                    Detail::new("branch is only the magic cookie"),
                );
            } else if !b.starts_with(COOKIE) {
                out.emit(
                    r::VIA_BRANCH_NO_MAGIC_COOKIE,
                    Some(p.span()),
                    Detail::new("branch lacks z9hG4bK"),
                );
            }
        }
    }
    if let Some(p) = maddr {
        let ok = match (p.value(), p.value_span()) {
            (Some(v), Some(s)) => Host::parse(v, s.start).is_ok(),
            _ => false,
        };
        if !ok {
            out.emit(
                r::VIA_PARAM_SYNTAX,
                Some(p.span()),
                Detail::new("maddr is not a host"),
            );
        }
    }
    if let Some(p) = received {
        let v = p.value().unwrap_or(b"");
        if !is_ipv4(v) && !is_ipv6(v) {
            out.emit(
                r::VIA_RECEIVED_SYNTAX,
                Some(p.span()),
                Detail::new("received is not a plain IPv4 or IPv6 address"),
            );
        }
    }
    if ttl {
        if let Some(Err(_)) = via.ttl() {
            let p = via.param("ttl").map_or(span, |p| p.span());
            out.emit(r::VIA_TTL_RANGE, Some(p), Detail::new("ttl is not 0..255"));
        }
    }
    if top && via.rport() == Some(None) {
        out.emit(
            r::VIA_RPORT_EMPTY,
            via.rport_span(),
            Detail::new("rport not filled in"),
        );
    }
    let repeated = if long {
        via.params().first_repeated()
    } else {
        repeated_index(&names[..n]).and_then(|i| via.params().iter().nth(i))
    };
    if let Some(p) = repeated {
        super::addr_params::param_repeated(out, KnownHeader::Via, p.span());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::typed::TypedHeader;

    #[test]
    fn via_failure_names_the_part() {
        for (v, rule, part) in [
            (
                &b"SIP/2.0 host;branch=z9hG4bK1"[..],
                r::VIA_SENT_PROTOCOL,
                &b"SIP/2.0 host;branch=z9hG4bK1"[..],
            ),
            (
                b"SIP/2.0/UDP host:5061&branch=z9hG4bK1",
                r::VIA_SENT_BY_SYNTAX,
                b"host:5061&branch=z9hG4bK1",
            ),
            (
                b"SIP/2.0/UDP 2001:db8::1;branch=z9hG4bK1",
                r::VIA_SENT_BY_SYNTAX,
                b"2001:db8::1",
            ),
            (
                b"SIP/2.0/UDP h;branch=z9hG4bK+a/b=",
                r::VIA_PARAM_SYNTAX,
                b"branch=z9hG4bK+a/b=",
            ),
            (
                b"SIP/2.0/UDP h;rport=x;branch=z9hG4bK1",
                r::VIA_PARAM_SYNTAX,
                b"rport=x",
            ),
            (
                b"SIP/2.0/UDP h;received=;branch=z9hG4bK1",
                r::VIA_RECEIVED_SYNTAX,
                b"received=",
            ),
            (
                b"SIP/2.0/UDP ;branch=z9hG4bK1",
                r::VIA_SENT_BY_SYNTAX,
                b"SIP/2.0/UDP ;branch=z9hG4bK1",
            ),
            (b"SIP/2.0/UDP", r::VIA_SENT_BY_SYNTAX, b"SIP/2.0/UDP"),
        ] {
            let err = Via::parse(v, 100).unwrap_err();
            let (got, span, _) = via_failure(v, 100, err.offset());
            let text = String::from_utf8_lossy(v);
            assert_eq!(got, rule, "{text}");
            assert_eq!(&v[span.start - 100..span.end - 100], part, "{text}");
        }
    }

    #[test]
    fn address_checks() {
        for ok in [
            &b"192.0.2.1"[..],
            b"0.0.0.0",
            b"255.255.255.255",
            b"001.2.3.4",
        ] {
            assert!(is_ipv4(ok), "{:?}", String::from_utf8_lossy(ok));
        }
        for bad in [
            &b"256.1.1.1"[..],
            b"1.2.3",
            b"1.2.3.4.5",
            b"1..2.3",
            b"1.2.3.0001",
            b"",
        ] {
            assert!(!is_ipv4(bad), "{:?}", String::from_utf8_lossy(bad));
        }
        assert!(is_ipv6(b"2001:db8::9:255"));
        assert!(is_ipv6(b"::ffff:192.0.2.1"));
        assert!(!is_ipv6(b"[2001:db8::1]"));
        assert!(!is_ipv6(b"2001:db8:::1"));
        // The reason not to use the typed headers' looser is_ipv6.
        assert!(!is_ipv6(b"2001:db8:::192.0.2.1"));
        assert!(crate::header::typed::host::is_ipv6(b"2001:db8:::192.0.2.1"));
    }
}
