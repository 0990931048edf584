//! Spec section 3, Via rules (RFC 3261 §8.1.1.7, §18.2.1, §20.42, §25.1),
//! and the Via facts the UAC and proxy rules use.
//!
//! Each Via value is read once, by the typed lax reading
//! ([`Via::parse_lax`](crate::header::typed::Via::parse_lax)): every failing part is one located defect, which
//! the part's syntax rule reports; a value without defects is checked
//! through the parameters that reading noted.

use crate::error::HeaderValueErrorKind;
use crate::grammar::{Defect, Part};
use crate::header::typed::host::is_ipv4;
use crate::header::typed::ViaLax;
use crate::header::{Element, KnownHeader};
use crate::lex;
use crate::span::Span;
use crate::validate::catalogue::Rule;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

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
    let mut n = 0;
    for h in f.rows(KnownHeader::Via) {
        if crate::validate::facts::is_empty_row(&h) {
            // A row with nothing in it (`Via:`): `via-parm` is not
            // optional, and the first part it lacks is the sent-protocol.
            // It holds no element, so the walk below would not see it.
            out.emit(
                r::VIA_SENT_PROTOCOL,
                Some(h.span()),
                Detail::new("empty Via row"),
            );
            continue;
        }
        for e in h.elements() {
            check_value(f, out, e, n == 0);
            n += 1;
        }
    }
}

/// The rules on one Via value `e` (`top`: the first value of the message).
fn check_value<'a, S: FindingSink + ?Sized>(
    f: &Facts<'_, 'a>,
    out: &mut Emitter<'_, S>,
    e: Element<'a>,
    top: bool,
) {
    let via = f.sheet.via_lax(e.bytes, e.span.start);
    if via.defects().is_empty() {
        check_one(out, &via, top);
        return;
    }
    // A sent-protocol that reads but is not SIP/2.0 is its part's failure,
    // whatever else fails (spec "How to read": one syntax rule per part,
    // each failure one finding): `Via: FOO/3.0/UDP 00@00` is reported
    // under both parts.
    if !via.defects().iter().any(|d| d.part == Part::SentProtocol) {
        not_sip_2_0(out, &via);
    }
    // A part whose bytes an earlier finding already names (a sent-by that
    // took the value, then the same bytes read as a parameter) is that
    // finding's: each byte is blamed once.
    let mut named: Option<Span> = None;
    for d in via.defects().iter().filter(|d| !is_cascade(&via, d)) {
        let (rule, span, text) = defect_finding(&via, d);
        if named.is_some_and(|n| n.start <= span.start && span.end <= n.end) {
            continue;
        }
        out.emit(rule, Some(span), Detail::new(text));
        named = Some(named.map_or(span, |n| if n.len() >= span.len() { n } else { span }));
    }
}

/// A sent-by that is missing only because a broken sent-protocol took
/// the rest of the value (`Via: SIP/2.0`, `Via: garbage`): the lax reading
/// notes both parts, but the one defect is the sent-protocol's, and
/// `via-sent-by-syntax` would name the same bytes a second time (spec
/// "How to read": each failing value reported once, under the rule that
/// names it). A sent-by that is present but wrong after a broken
/// sent-protocol is a defect of its own and stays.
fn is_cascade(via: &ViaLax<'_>, d: &Defect) -> bool {
    d.part == Part::SentBy
        && d.kind == HeaderValueErrorKind::Missing
        && via.defects().iter().any(|p| p.part == Part::SentProtocol)
}

/// The rule that owns a defect of one part of a Via value, so that each
/// failing part is reported once, under the rule that names it (spec "How
/// to read": one syntax rule per part), with the span the lax reading
/// gives that part ([`Via::parse_lax`](crate::header::typed::Via::parse_lax)):
///
/// * `via-sent-protocol` — `sent-protocol` (RFC 3261 §25.1
///   `protocol-name SLASH protocol-version SLASH transport`), or an empty
///   value.
/// * `via-sent-by-syntax` — `sent-by = host [COLON port]`, or a sent-by
///   followed by bytes that start neither a parameter nor the next value
///   (`host:5061&x`; span: from the sent-by to the end of those bytes).
/// * `via-received-syntax`, `via-ttl-range` — the `received` and `ttl`
///   parameters, which those rules own.
/// * `via-param-syntax` — any other parameter that breaks its production
///   (§25.1 `via-params`; RFC 3581 `response-port`), or bytes after the
///   parameters.
fn defect_finding(via: &ViaLax<'_>, d: &Defect) -> (Rule, Span, &'static str) {
    let (rule, span, text) = defect_rule(via, d);
    let span = match d.part {
        // A known parameter whose value breaks its production: the whole
        // parameter (`ttl=300`), as the operator reads it.
        Part::Branch | Part::Received | Part::Rport | Part::Ttl | Part::Maddr | Part::Param => {
            param_span(via, span)
        }
        _ => span,
    };
    if !span.is_empty() {
        return (rule, span, text);
    }
    // A part with no bytes of its own (missing, or cut short by a byte
    // that cannot start it): from there to the next `;`, else the value.
    let (from, end) = to_next_semi(via, span.start);
    let end = end.unwrap_or(via.span().end);
    let piece = &via.as_bytes()[from - via.span().start..end - via.span().start];
    let end = from + lex::trim_lws(piece).len();
    let span = if end > from {
        Span::new(from, end)
    } else {
        // An empty parameter (`…;branch=z9hG4bK1;`, `;;`): its `;`.
        super::empty_param_semicolon(via.as_bytes(), via.span().start, from).unwrap_or(via.span())
    };
    (rule, span, text)
}

/// From absolute offset `at` (clamped to the value) to the next `;` of the
/// Via value, as absolute offsets; `None` for the end when no `;` follows.
fn to_next_semi(via: &ViaLax<'_>, at: usize) -> (usize, Option<usize>) {
    let (raw, base) = (via.as_bytes(), via.span().start);
    let from = at.saturating_sub(base).min(raw.len());
    let semi = lex::find_byte(b';', &raw[from..]).map(|k| base + from + k);
    (base + from, semi)
}

/// [`defect_finding`] before its span is settled.
fn defect_rule(via: &ViaLax<'_>, d: &Defect) -> (Rule, Span, &'static str) {
    const SENT_BY: &str = "Via sent-by is not host [\":\" port]";
    const PARAM: &str = "Via parameter breaks its production";
    match d.part {
        Part::SentProtocol => (
            r::VIA_SENT_PROTOCOL,
            d.span,
            "Via sent-protocol is not protocol/version/transport",
        ),
        Part::Value if d.kind == HeaderValueErrorKind::Empty => {
            (r::VIA_SENT_PROTOCOL, d.span, "empty Via value")
        }
        // Bytes after the value's end: they end the reading, so they run
        // to the end of the value; the finding names the piece up to the
        // next `;`, where the next parameter would have started.
        Part::Value => {
            let end = to_next_semi(via, d.span.start).1.unwrap_or(d.span.end);
            match via.sent_by() {
                Some(hp) if via.params().is_empty() => (
                    r::VIA_SENT_BY_SYNTAX,
                    Span::new(hp.span().start, end),
                    SENT_BY,
                ),
                _ => (r::VIA_PARAM_SYNTAX, Span::new(d.span.start, end), PARAM),
            }
        }
        Part::SentBy => (r::VIA_SENT_BY_SYNTAX, d.span, SENT_BY),
        Part::Received => (
            r::VIA_RECEIVED_SYNTAX,
            d.span,
            "received is not a plain IPv4 or IPv6 address",
        ),
        Part::Ttl => (r::VIA_TTL_RANGE, d.span, "ttl is not 0..255"),
        _ => (r::VIA_PARAM_SYNTAX, d.span, PARAM),
    }
}

/// Rules on one Via value (each spans the value, the sent-protocol or
/// the parameter):
///
/// * `via-sent-protocol` — RFC 3261 §8.1.1.7: the protocol name and version
///   MUST be SIP and 2.0 ([`not_sip_2_0`]).
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
fn check_one<S: FindingSink + ?Sized>(out: &mut Emitter<'_, S>, via: &ViaLax<'_>, top: bool) {
    let span = via.span();
    not_sip_2_0(out, via);
    if !via
        .transport()
        .is_some_and(|tr| TRANSPORTS.iter().any(|t| t.eq_ignore_ascii_case(tr)))
    {
        out.emit(
            r::VIA_TRANSPORT_UNKNOWN,
            Some(span),
            Detail::new("unregistered Via transport"),
        );
    }
    // The lax reading noted branch, received, rport, ttl and maddr, and
    // the first repeated parameter, in its one parameter scan; a malformed
    // one is a defect reported above.
    match (via.branch(), via.branch_span()) {
        (Some(b), Some(bspan)) => {
            if b == COOKIE {
                out.emit(
                    r::VIA_BRANCH_COOKIE_ONLY,
                    Some(param_span(via, bspan)),
                    Detail::new("branch is only the magic cookie"),
                );
            } else if !b.starts_with(COOKIE) {
                out.emit(
                    r::VIA_BRANCH_NO_MAGIC_COOKIE,
                    Some(param_span(via, bspan)),
                    Detail::new("branch lacks z9hG4bK"),
                );
            }
        }
        _ => out.emit(
            r::VIA_BRANCH_MISSING,
            Some(span),
            Detail::new("Via without branch"),
        ),
    }
    if let (Some(v), Some(rspan)) = (via.received(), via.received_span()) {
        // The lax reading accepts RFC 3261's three-colon IPv6 slip (RFC
        // 5118 §4.10 asks receivers to tolerate it in a URI host); a
        // `received` a server writes has no such excuse. Without a colon
        // the value it found valid is an IPv4 address, which it checked
        // with this very `is_ipv4`.
        if v.contains(&b':') && !is_ipv4(v) && !is_ipv6(v) {
            out.emit(
                r::VIA_RECEIVED_SYNTAX,
                Some(param_span(via, rspan)),
                Detail::new("received is not a plain IPv4 or IPv6 address"),
            );
        }
    }
    if top && via.rport() == Some(None) {
        out.emit(
            r::VIA_RPORT_EMPTY,
            via.params().get("rport").map(|p| p.span()),
            Detail::new("rport not filled in"),
        );
    }
    if let Some(p) = via.repeated_param() {
        super::addr_params::param_repeated(out, KnownHeader::Via, p);
    }
}

/// `via-sent-protocol` on a sent-protocol that reads (`token/token/token`)
/// but is not SIP/2.0 (§8.1.1.7: the name and version MUST be SIP and
/// 2.0). Span: the sent-protocol, the part that fails.
fn not_sip_2_0<S: FindingSink + ?Sized>(out: &mut Emitter<'_, S>, via: &ViaLax<'_>) {
    if via.is_sip_2_0() == Some(false) {
        out.emit(
            r::VIA_SENT_PROTOCOL,
            Some(via.sent_protocol_span().unwrap_or(via.span())),
            Detail::new("Via sent-protocol is not SIP/2.0"),
        );
    }
}

/// The span of the whole parameter (`name=value`) whose value is `value`
/// (see [`super::param_span`]).
fn param_span(via: &ViaLax<'_>, value: Span) -> Span {
    super::param_span(via.as_bytes(), via.span().start, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::typed::Via;

    #[test]
    fn each_failing_part_is_its_rule() {
        for (v, rule, part) in [
            (
                &b"SIP/2.0 host;branch=z9hG4bK1"[..],
                r::VIA_SENT_PROTOCOL,
                &b"SIP/2.0"[..],
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
            (b"", r::VIA_SENT_PROTOCOL, b""),
        ] {
            let via = Via::parse_lax(v, 100);
            let text = String::from_utf8_lossy(v);
            let d = via.defects().first().expect("a defect");
            let (got, span, _) = defect_finding(&via, d);
            assert_eq!(got, rule, "{text}");
            assert_eq!(&v[span.start - 100..span.end - 100], part, "{text}");
        }
        // Every failing part is reported, not only the first.
        let via = Via::parse_lax(b"SIP/2.0/UDP h;received=x;ttl=300;branch=z9hG4bK1", 0);
        let rules: Vec<_> = via
            .defects()
            .iter()
            .map(|d| defect_finding(&via, d).0)
            .collect();
        assert_eq!(rules, [r::VIA_RECEIVED_SYNTAX, r::VIA_TTL_RANGE]);
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
