//! The parameters and form of address values (From, To, Contact, Reply-To): a repeated parameter, an addr-spec that needs angle brackets.

use crate::header::param::Params;
use crate::header::KnownHeader;
use crate::span::Span;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// The address values (From, To, Reply-To, every Contact value), each
/// read once through the sheet's typed [`NameAddr`](crate::header::typed::NameAddr)
/// for both rules of this file (a value that does not parse is its syntax
/// rule's):
///
/// * `header-param-repeated` — RFC 3261 §7.3.1: any given parameter name
///   MUST NOT appear more than once in one header field value. The reading
///   noted the repeated parameter in its one scan. Via's parameters are
///   read in `via.rs`, which reports through [`param_repeated`]. Span: the
///   first repeated parameter.
/// * `addr-spec-needs-angle-brackets` — RFC 8217 §3 (replacing the RFC
///   3261 §20 intro): the addr-spec form MUST NOT be used when the URI
///   contains a comma, semicolon or question mark
///   ([`NameAddr::needs_angle_brackets`](crate::header::typed::NameAddr::needs_angle_brackets)).
///   Span: the value.
pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let repeated = out.wants(r::HEADER_PARAM_REPEATED);
    for k in [
        KnownHeader::From,
        KnownHeader::To,
        KnownHeader::ReplyTo,
        KnownHeader::Contact,
    ] {
        for e in f.elements(k) {
            let Ok(n) = f.sheet.name_addr(e.bytes, e.span.start) else {
                continue;
            };
            if let Some(p) = n.repeated_param().filter(|_| repeated) {
                param_repeated(out, k, p);
            }
            if n.needs_angle_brackets() {
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
/// headers ([`check`]), for Via (`via.rs`, which finds the repeated
/// parameter while it reads the other Via parameters), for Record-Route
/// and Route (`addr.rs`, from the reading its syntax rule makes), and for
/// the other headers of the form `value *(SEMI param)` from the reading
/// their own rules make: Content-Type, Session-Expires, Min-SE, Accept*,
/// Security-Server and Call-Info (`syntax.rs`), Retry-After
/// (`retry_after.rs`) and Reason (`reason.rs`).
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

/// Whether `header-param-repeated` can be reported: lets a reading made
/// for another rule skip the check (and keeps the rule named in this file
/// only).
pub(super) fn param_repeated_wanted<S: FindingSink + ?Sized>(out: &Emitter<'_, S>) -> bool {
    out.wants(r::HEADER_PARAM_REPEATED)
}

/// The first parameter of `params` whose name a later one repeats (RFC
/// 3261 §7.3.1: "any given parameter-name MUST NOT appear more than once"
/// in a header field value). Every header of the general form `value
/// *(SEMI param)` that a rule reads is asked, not only the addresses and
/// Via: a `charset` twice in Content-Type or a `refresher` twice in
/// Session-Expires leaves the value's meaning open as well.
pub(super) fn first_repeated(params: Params<'_>) -> Option<Span> {
    params.first_repeated().map(|p| p.span())
}

/// Reports `header-param-repeated` on a value of `k` that its own rule
/// read (`params`), when the rule is wanted and a name repeats.
pub(super) fn check_params<S: FindingSink + ?Sized>(
    out: &mut Emitter<'_, S>,
    k: KnownHeader,
    params: Params<'_>,
) {
    if param_repeated_wanted(out) {
        if let Some(p) = first_repeated(params) {
            param_repeated(out, k, p);
        }
    }
}
