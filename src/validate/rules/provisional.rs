//! Spec sections 4 and 6: provisional (1xx) responses.

use crate::header::param::scan_params;
use crate::header::KnownHeader;
use crate::lex::{self, Cursor};
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 199 {
        reason_required_199(f, out);
    }
}

/// True when one Reason value (RFC 3326 §2: `reason-value = protocol
/// *(SEMI reason-params)`) has protocol `SIP` (a token, so compared without
/// case) and a `cause` of a final response code, 200–699.
fn is_sip_final_cause(v: &[u8], base: usize) -> bool {
    let end = lex::token_end(v, 0);
    if !v[..end].eq_ignore_ascii_case(b"SIP") {
        return false;
    }
    let mut cur = Cursor::new(v, base);
    cur.pos = end;
    let Ok(params) = scan_params(&mut cur) else {
        return false;
    };
    params
        .get("cause")
        .and_then(|p| p.value())
        .and_then(lex::parse_u64)
        .is_some_and(|c| (200..700).contains(&c))
}

/// `199-reason-required` — RFC 6228 §5 (UAS) and §6 (proxy): a 199 MUST
/// carry a Reason header with protocol SIP whose `cause` is the SIP
/// response code of the final response that terminated the early dialog.
/// Any final code (200–699) is accepted as the cause. Span: the status line.
fn reason_required_199<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let ok = f
        .resp
        .headers()
        .elements(KnownHeader::Reason)
        .any(|e| is_sip_final_cause(e.bytes, e.span.start));
    if !ok {
        out.emit(
            r::R_199_REASON_REQUIRED,
            Some(f.status_line),
            Detail::new("199 without a SIP Reason naming the final response"),
        );
    }
}
