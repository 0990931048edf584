//! Spec sections 2 and 3: mandatory headers, tags, repeated single-value
//! headers.

use crate::header::{KnownHeader, ListKind};
use crate::lex;
use crate::validate::catalogue::Rule;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::{addr_params, Facts};

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    mandatory(f, out);
    to_tag_missing(f, out);
    single_value_header_repeated(f, out);
}

/// `via-required`, `from-required`, `to-required`, `call-id-required`,
/// `cseq-required` — RFC 3261 §8.2.6.2: the From, Call-ID, CSeq and Via
/// fields of a response MUST equal the request's (and To is copied too), so
/// each must be present; Tables 2 and 3 mark them mandatory (`m`) in every
/// response. Long and compact forms count alike. Span: the status line.
fn mandatory<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    const MANDATORY: [(Rule, KnownHeader); 5] = [
        (r::VIA_REQUIRED, KnownHeader::Via),
        (r::FROM_REQUIRED, KnownHeader::From),
        (r::TO_REQUIRED, KnownHeader::To),
        (r::CALL_ID_REQUIRED, KnownHeader::CallId),
        (r::CSEQ_REQUIRED, KnownHeader::CSeq),
    ];
    for (rule, k) in MANDATORY {
        if !f.has(k) {
            out.emit(
                rule,
                Some(f.status_line),
                Detail::with("mandatory header missing", DetailArg::Header(k)),
            );
        }
    }
}

/// `to-tag-missing` — RFC 3261 §8.2.6.2: the UAS MUST add a tag to the To
/// header of every response except 100 (Trying), where it MAY. Any element
/// answering a request acts as a UAS (§16.3), and proxies MUST NOT add tags
/// when forwarding (§16.7 step 6), so every non-100 response must carry
/// one. Applies to codes 101–699. Silent when To is absent (`to-required`)
/// or unparsable (its syntax rule's business). Span: the To value.
fn to_tag_missing<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !(101..700).contains(&f.code) {
        return;
    }
    let Some(to) = f.resp.headers().get(KnownHeader::To) else {
        return;
    };
    let Some(params) = addr_params(to.value(), to.value_span().start) else {
        return;
    };
    if !params.contains("tag") {
        out.emit(
            r::TO_TAG_MISSING,
            Some(to.value_span()),
            Detail::new("To has no tag"),
        );
    }
}

/// Single-value headers whose grammar itself contains commas (a date, free
/// text, comments), so a comma there is never a second value (spec
/// `single-value-header-repeated`; RFC 3261 §25.1 `rfc1123-date`, `TEXT-UTF8`,
/// `comment`).
const COMMA_IN_GRAMMAR: [KnownHeader; 5] = [
    KnownHeader::Date,
    KnownHeader::Subject,
    KnownHeader::Organization,
    KnownHeader::Server,
    KnownHeader::UserAgent,
];

/// `single-value-header-repeated` — RFC 3261 §7.3.1: several rows of one
/// header are allowed if and only if its grammar is a comma-separated list;
/// the single-value headers (RFC 3261 and the extensions the spec lists,
/// [`ListKind::Single`]) may not repeat, nor hold comma-joined values
/// (RFC 4475 §3.3.8). Commas the header's own grammar allows never count:
/// Date, Subject, Organization, Server and User-Agent are not split at all,
/// and for the others a comma inside a quoted string, `<...>` or a comment
/// is not a separator. Span: each extra row, or the row holding several
/// values.
fn single_value_header_repeated<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    let rule = r::SINGLE_VALUE_HEADER_REPEATED;
    if !out.wants(rule) {
        return;
    }
    let headers = f.resp.headers();
    for &k in KnownHeader::ALL {
        if k.list_kind() != ListKind::Single || !headers.contains(k) {
            continue;
        }
        let split = !COMMA_IN_GRAMMAR.contains(&k);
        for (i, h) in headers.get_all(k).enumerate() {
            if i > 0 {
                out.emit(
                    rule,
                    Some(h.span()),
                    Detail::with("single-value header repeated", DetailArg::Header(k)),
                );
            } else if split && lex::ListSplit::new(h.value()).nth(1).is_some() {
                out.emit(
                    rule,
                    Some(h.span()),
                    Detail::with(
                        "comma-joined values in a single-value header",
                        DetailArg::Header(k),
                    ),
                );
            }
        }
    }
}
