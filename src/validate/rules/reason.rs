//! Reason (RFC 3326) in a response, and the 199 that must carry one (RFC 6228).

use crate::header::{Element, KnownHeader};
use crate::lex;
use crate::span::Span;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::header::typed::{Reason, ReasonProtocol};

use super::Facts;

/// Reason rules (RFC 3326 §2, updated by RFC 9366 §3), per value:
///
/// * `reason-header-syntax` — `reason-value = protocol *(SEMI
///   reason-params)`, `protocol = "SIP" / "Q.850" / token`, `cause = "cause"
///   EQUAL 1*DIGIT`, `reason-text = "text" EQUAL quoted-string`; `Reason =
///   "Reason" HCOLON reason-value *(COMMA reason-value)` needs one value.
///   Span: the value, or the empty row.
/// * `reason-header-duplicate-protocol` — at most one value per protocol
///   (SIP and Q.850 define no multiple values). Span: the later value.
/// * `header-param-repeated` (through `addr_params.rs`) — RFC 3261 §7.3.1,
///   a `reason-params` name twice in a value that parses.
pub(super) fn reason_header<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let (mut sip, mut q850) = (0u32, 0u32);
    for h in f.empty_rows(KnownHeader::Reason) {
        out.emit(
            r::REASON_HEADER_SYNTAX,
            Some(h.span()),
            Detail::new("empty Reason row"),
        );
    }
    for e in f.elements(KnownHeader::Reason) {
        let reason = match e.parse::<Reason<'_>>() {
            Ok(reason) => reason,
            Err(err) => {
                let span = if e.bytes.is_empty() {
                    super::empty_item_span(f.resp.headers().src(), e.span)
                } else {
                    failing_part(e.bytes, e.span.start, err.offset())
                };
                out.emit(
                    r::REASON_HEADER_SYNTAX,
                    Some(span),
                    Detail::new("Reason value does not match RFC 3326"),
                );
                continue;
            }
        };
        super::addr_params::check_params(out, KnownHeader::Reason, reason.params());
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

/// The part of Reason value `v` (at absolute `base`) that holds the
/// offending byte `at` of a failed parse: the protocol token before the
/// first `;`, else the parameter from its `;` to the next one (a `;`
/// inside a quoted `text` does not count). An empty parameter (`;;`, or a
/// `;` ending the value), where the parse stops at the following `;` or
/// the end, is its own `;`, as an empty parameter of an address header is.
fn failing_part(v: &[u8], base: usize, at: usize) -> Span {
    let at = at.saturating_sub(base).min(v.len());
    // The unquoted `;` before `at` nearest it, and the first one after.
    let (mut before, mut after) = (None, None);
    let mut quoted = false;
    let mut i = 0;
    while i < v.len() {
        match v[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b';' if !quoted && i < at => before = Some(i),
            b';' if !quoted && i > at => {
                after = Some(i);
                break;
            }
            _ => {}
        }
        i += 1;
    }
    let trim_end = |end: usize| {
        let mut end = end;
        while end > 0 && lex::is_lws(v[end - 1]) {
            end -= 1;
        }
        end
    };
    let (start, end) = match before {
        // Nothing but LWS between that `;` and the end or the next `;`.
        Some(semi)
            if v[semi + 1..at].iter().all(|&b| lex::is_lws(b))
                && v.get(at).is_none_or(|&b| b == b';') =>
        {
            (semi, semi + 1)
        }
        Some(semi) => (semi, trim_end(after.unwrap_or(v.len())).max(semi + 1)),
        None => (0, trim_end(after.unwrap_or(v.len())).max(1)),
    };
    Span::new(base + start, base + end)
}

/// True when one Reason value, read by the typed [`Reason`] (RFC 3326 §2:
/// `reason-value = protocol *(SEMI reason-params)`), has protocol `SIP`
/// and a `cause` of a final response code, 200–699. A value that does not
/// parse is `reason-header-syntax`'s and counts as no such Reason.
fn is_sip_final_cause(e: Element<'_>) -> bool {
    e.parse::<Reason<'_>>().is_ok_and(|r| {
        r.protocol_kind() == ReasonProtocol::Sip
            && r.cause().is_some_and(|c| (200..700).contains(&c))
    })
}

/// `199-reason-required` — RFC 6228 §5 (UAS) and §6 (proxy): a 199 MUST
/// carry a Reason header with protocol SIP whose `cause` is the SIP
/// response code of the final response that terminated the early dialog.
/// Any final code (200–699) is accepted as the cause. Span: the status line.
pub(super) fn reason_required_199<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code != 199 {
        return;
    }
    let ok = f.elements(KnownHeader::Reason).any(is_sip_final_cause);
    if !ok {
        out.emit(
            r::R_199_REASON_REQUIRED,
            Some(f.status_line),
            Detail::new("199 without a SIP Reason naming the final response"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::typed::TypedHeader;

    /// The part a failed Reason parse is blamed on, for each way a value
    /// can fail: the span's bytes, at base 100.
    #[test]
    fn failing_part_names_the_part_the_parse_stopped_in() {
        for (v, want) in [
            (&b"SIP;cause=abc"[..], &b";cause=abc"[..]),
            (b"SIP;cause=200;;text=\"x\"", b";"),
            (b"SIP;cause=200;", b";"),
            (b"SIP ;", b";"),
            (b"S@P;cause=1", b"S@P"),
            (b"SIP;cause=200 junk;text=\"x\"", b";cause=200 junk"),
            (b"SIP;text=\"a;b\";cause=x", b";cause=x"),
            (b"SIP;text=\"a\\\";b\";cause=x", b";cause=x"),
            (b"SIP;text=unquoted;cause=1", b";text=unquoted"),
        ] {
            let err = Reason::parse(v, 100).expect_err("fails");
            let sp = failing_part(v, 100, err.offset());
            assert_eq!(
                &v[sp.start - 100..sp.end - 100],
                want,
                "{:?} at {}",
                String::from_utf8_lossy(v),
                err.offset()
            );
        }
    }
}
