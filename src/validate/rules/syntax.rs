//! The syntax rules of the list and value headers that other rules read
//! (spec section 3, review §12.2): each reports a value that its typed
//! parser refuses, once, at the failing entry, so that the rules reading
//! the header can stay silent about it (spec "How to read").
//!
//! * `allow-events-syntax` — RFC 6665 §8.4 `event-type *(COMMA
//!   event-type)`; an empty row is a finding ([`AllowEvents`]).
//! * `accept-syntax`, `accept-encoding-syntax`, `accept-language-syntax` —
//!   RFC 3261 §20.1–§20.3, §25.1; an empty row is legal ([`Accept`],
//!   [`AcceptEncoding`], [`AcceptLanguage`]).
//! * `content-encoding-syntax` — §20.12 `content-coding *(COMMA
//!   content-coding)`; an empty row is a finding ([`ContentEncoding`]).
//! * `security-server-syntax` — RFC 3329 §2.2 `sec-mechanism *(COMMA
//!   sec-mechanism)`; an empty row is a finding ([`SecurityServer`]).
//! * `call-info-syntax` — §20.9 `info *(COMMA info)`; an empty row is a
//!   finding ([`CallInfo`]).
//! * `content-type-syntax` — §20.15 `media-type` ([`ContentType`]).
//! * `timestamp-syntax` — §20.38 ([`Timestamp`]; warning↓).
//! * `session-expires-syntax` — RFC 4028 §4 `delta-seconds *(SEMI
//!   se-params)`, with `refresher` only `uas` or `uac`
//!   ([`SessionExpires`]).
//!
//! The single-value headers (Content-Type, Timestamp, Session-Expires) are
//! read on every row; a comma-joined row is
//! `single-value-header-repeated`'s, not theirs.
//!
//! Span: the empty row, or the failing entry (for a single-value header,
//! the value).
//!
//! An entry or value that parses is also asked for a repeated parameter
//! (`header-param-repeated`, reported through `addr_params.rs`), as is
//! every Min-SE row.

use crate::grammar::Part;
use crate::header::typed::{
    Accept, AcceptEncoding, AcceptLanguage, AllowEvents, CallInfo, ContentEncoding, ContentType,
    MinSe, Refresher, SecurityServer, SessionExpires, Timestamp, TypedHeader,
};
use crate::header::KnownHeader;
use crate::span::Span;
use crate::validate::catalogue::Rule;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::addr_params::{
    check_params, first_repeated as repeated, param_repeated, param_repeated_wanted,
};
use super::single::comma_joined;
use super::Facts;
use super::{param_span, value_or_row};
use crate::validate::facts::is_empty_row;

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    use KnownHeader as H;
    list(
        f,
        out,
        r::ALLOW_EVENTS_SYNTAX,
        H::AllowEvents,
        false,
        |v, b| read(AllowEvents::parse(v, b).ok(), |_| None),
    );
    list(f, out, r::ACCEPT_SYNTAX, H::Accept, true, |v, b| {
        read(Accept::parse(v, b).ok(), |a| repeated(a.params()))
    });
    list(
        f,
        out,
        r::ACCEPT_ENCODING_SYNTAX,
        H::AcceptEncoding,
        true,
        |v, b| read(AcceptEncoding::parse(v, b).ok(), |a| repeated(a.params())),
    );
    list(
        f,
        out,
        r::ACCEPT_LANGUAGE_SYNTAX,
        H::AcceptLanguage,
        true,
        |v, b| {
            let language = AcceptLanguage::parse(v, b).ok();
            read(language.filter(|l| rfc3261_range(l.range())), |l| {
                repeated(l.params())
            })
        },
    );
    list(
        f,
        out,
        r::CONTENT_ENCODING_SYNTAX,
        H::ContentEncoding,
        false,
        |v, b| read(ContentEncoding::parse(v, b).ok(), |_| None),
    );
    list(
        f,
        out,
        r::SECURITY_SERVER_SYNTAX,
        H::SecurityServer,
        false,
        |v, b| read(SecurityServer::parse(v, b).ok(), |m| repeated(m.params())),
    );
    list(f, out, r::CALL_INFO_SYNTAX, H::CallInfo, false, |v, b| {
        read(CallInfo::parse(v, b).ok(), |i| repeated(i.params()))
    });
    content_type(f, out);
    single(f, out, r::TIMESTAMP_SYNTAX, H::Timestamp, |v, b| {
        read(Timestamp::parse(v, b).ok(), |_| None)
    });
    single(
        f,
        out,
        r::SESSION_EXPIRES_SYNTAX,
        H::SessionExpires,
        |v, b| read(session_expires(v, b), |se| repeated(se.params())),
    );
    min_se(f, out);
}

/// `header-param-repeated` for Min-SE (RFC 4028 §5: `delta-seconds
/// *(SEMI generic-param)`), whose value no syntax rule reads: every row
/// whose value parses. Its value in a 422 is `min-se-value`'s.
fn min_se<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !param_repeated_wanted(out) {
        return;
    }
    for h in f.rows(KnownHeader::MinSe) {
        if let Ok(m) = MinSe::parse(h.value(), h.value_span().start) {
            check_params(out, KnownHeader::MinSe, m.params());
        }
    }
}

/// `content-type-syntax` — RFC 3261 §20.15, §25.1: `media-type = m-type
/// SLASH m-subtype *(SEMI m-parameter)`, `m-parameter = m-attribute EQUAL
/// m-value`, `m-value = token / quoted-string`. Each failing part of the
/// lax reading is one finding: the type/subtype, or a parameter whose
/// value is missing or no m-value (`type=application/rlmi+xml`, where `/`
/// needs quotes). Span: that part (a whole parameter), the value when it
/// is empty. A comma-joined row is `single-value-header-repeated`'s.
fn content_type<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let k = KnownHeader::ContentType;
    if !out.wants(r::CONTENT_TYPE_SYNTAX) && !param_repeated_wanted(out) {
        return;
    }
    for h in f.rows(k) {
        let (v, base) = (h.value(), h.value_span().start);
        if comma_joined(k, v, base) {
            continue;
        }
        // The common case, a value the strict reading takes, has no
        // defect to locate.
        if let Ok(ct) = ContentType::parse(v, base) {
            check_params(out, k, ct.params());
            continue;
        }
        let lax = ContentType::parse_lax(v, base);
        for d in lax.defects() {
            let span = match d.part {
                // The whole parameter, as every syntax rule names it.
                Part::Param => param_span(v, base, d.span),
                _ => d.span,
            };
            let span = if span.is_empty() {
                value_or_row(&h)
            } else {
                span
            };
            bad(
                out,
                r::CONTENT_TYPE_SYNTAX,
                k,
                span,
                "Content-Type part does not match the grammar",
            );
        }
    }
}

/// RFC 3261 §25.1 `language-range = ((1*8ALPHA *("-" 1*8ALPHA)) / "*")`.
/// The typed [`AcceptLanguage`] also takes digits in later subtags
/// (`es-419`, RFC 4647 §2.1) so as to read what is deployed; the spec
/// reports them (`accept-language-syntax`), so the rule is stricter here.
fn rfc3261_range(range: &str) -> bool {
    range == "*"
        || range
            .split('-')
            .all(|t| (1..=8).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// A Session-Expires value as RFC 4028 §4 reads it: the typed value, and
/// `refresher` (when present) only `uas` or `uac`. `None` when it does not
/// parse.
pub(crate) fn session_expires(v: &[u8], base: usize) -> Option<SessionExpires<'_>> {
    let se = SessionExpires::parse(v, base).ok()?;
    match se.refresher() {
        Some(Refresher::Other(_)) => None,
        _ => Some(se),
    }
}

/// The list-header rule `rule` on every row of `k`: an empty row (when
/// the grammar needs an entry) and every entry that `read` (the typed
/// parser) refuses; an entry it reads may repeat a parameter (`read`
/// gives its span, `header-param-repeated`).
fn list<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
    rule: Rule,
    k: KnownHeader,
    empty_ok: bool,
    read: impl Fn(&[u8], usize) -> Read,
) {
    if !out.wants(rule) && !param_repeated_wanted(out) {
        return;
    }
    for h in f.rows(k) {
        if is_empty_row(&h) {
            if !empty_ok {
                bad(out, rule, k, h.span(), "empty row");
            }
            continue;
        }
        for e in h.elements() {
            if e.bytes.is_empty() {
                let at = super::empty_item_span(f.resp.headers().src(), e.span);
                bad(out, rule, k, at, "empty entry");
                continue;
            }
            match read(e.bytes, e.span.start) {
                Read::Refused => bad(out, rule, k, e.span, "entry does not match the grammar"),
                Read::Repeated(p) => param_repeated(out, k, p),
                Read::Clean => {}
            }
        }
    }
}

/// What a typed parser made of one entry or value: refused it, read it,
/// or read it with a parameter name repeated (the span of the repeated
/// parameter, for `header-param-repeated`).
enum Read {
    Refused,
    Clean,
    Repeated(Span),
}

/// [`Read`] from a typed reading (`None`: refused) and what `repeated`
/// finds in it.
fn read<T>(value: Option<T>, repeated: impl FnOnce(T) -> Option<Span>) -> Read {
    match value.map(repeated) {
        None => Read::Refused,
        Some(None) => Read::Clean,
        Some(Some(p)) => Read::Repeated(p),
    }
}

fn bad<S: FindingSink + ?Sized>(
    out: &mut Emitter<'_, S>,
    rule: Rule,
    k: KnownHeader,
    span: Span,
    text: &'static str,
) {
    out.emit(rule, Some(span), Detail::with(text, DetailArg::Header(k)));
}

/// The single-value-header rule `rule` on every row of `k` that `read`
/// refuses, except a comma-joined one; a value it reads may repeat a
/// parameter (`header-param-repeated`).
fn single<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
    rule: Rule,
    k: KnownHeader,
    read: impl Fn(&[u8], usize) -> Read,
) {
    for h in f.rows(k) {
        let (v, base) = (h.value(), h.value_span().start);
        match read(v, base) {
            Read::Repeated(p) => param_repeated(out, k, p),
            Read::Clean => {}
            Read::Refused if comma_joined(k, v, base) => {}
            Read::Refused => bad(
                out,
                rule,
                k,
                value_or_row(&h),
                "value does not match the grammar",
            ),
        }
    }
}
