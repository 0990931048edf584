//! CSeq (RFC 3261 §20.16): its syntax, the method and its case.

use crate::header::KnownHeader;
use crate::span::Span;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::error::HeaderValueErrorKind;

use super::single::comma_joined;
use super::{value_or_row, Facts};

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
///   value is then not read further (the method rules stay silent), and
///   `cseq-number-2-31` does not name the same digits again: a number
///   past 32 bits is one deviation, and this rule names it exactly.
/// * `cseq-number-2-31` — §8.1.1.5: requests MUST use a number below 2^31;
///   the response only copies it, so the spec lowers this to warning.
/// * `cseq-method-ack` — §17 (intro): a response to ACK is a "disallowed
///   response"; ACK is never answered. Span: the method.
/// * `cseq-method-case` — §20.16, §25.1: methods are case-sensitive, so
///   `invite` is an unknown extension method and matching fails (warning).
/// * `cseq-method-unknown` — §25.1 `extension-method`: legal, noted as info.
///   A case variant of a registered method is only `cseq-method-case`.
pub(super) fn cseq<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let (Some(h), Some(read)) = (f.cseq_row, f.cseq) else {
        return;
    };
    let (v, base) = (h.value(), h.value_span().start);
    let c = match read {
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
