//! The parameters and form of address values (From, To, Contact, Reply-To): a repeated parameter, an addr-spec that needs angle brackets.

use crate::header::KnownHeader;
use crate::span::Span;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// `header-param-repeated` — RFC 3261 §7.3.1: any given parameter name
/// MUST NOT appear more than once in one header field value. Checked on
/// the name-addr headers (From, To, Reply-To, every Contact value); Via's
/// parameters are read in `via.rs`, which reports through
/// [`param_repeated`]. Span: the first repeated parameter.
pub(super) fn header_param_repeated<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
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
            // The reading noted the repeated parameter in its one scan.
            if let Some(p) = f
                .sheet
                .name_addr(e.bytes, e.span.start)
                .ok()
                .and_then(|n| n.repeated_param())
            {
                param_repeated(out, k, p);
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
pub(super) fn addr_spec_needs_angle_brackets<S: FindingSink + ?Sized>(
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

/// Reports `header-param-repeated` for the repeated parameter at `span` of
/// a `k` value: the one place that emits the rule, for the name-addr
/// headers ([`header_param_repeated`]) and for Via (`via.rs`, which finds
/// the repeated parameter while it reads the other Via parameters).
pub(super) fn param_repeated<S: FindingSink + ?Sized>(
    out: &mut Emitter<'_, S>,
    k: KnownHeader,
    span: Span,
) {
    out.emit(
        r::HEADER_PARAM_REPEATED,
        Some(span),
        Detail::with("parameter repeated", DetailArg::Header(k)),
    );
}
