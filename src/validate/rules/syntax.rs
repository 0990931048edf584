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

use crate::grammar::Part;
use crate::header::typed::{
    Accept, AcceptEncoding, AcceptLanguage, AllowEvents, CallInfo, ContentEncoding, ContentType,
    Refresher, SecurityServer, SessionExpires, Timestamp, TypedHeader,
};
use crate::header::KnownHeader;
use crate::span::Span;
use crate::validate::catalogue::Rule;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

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
        |v, b| AllowEvents::parse(v, b).is_ok(),
    );
    list(f, out, r::ACCEPT_SYNTAX, H::Accept, true, |v, b| {
        Accept::parse(v, b).is_ok()
    });
    list(
        f,
        out,
        r::ACCEPT_ENCODING_SYNTAX,
        H::AcceptEncoding,
        true,
        |v, b| AcceptEncoding::parse(v, b).is_ok(),
    );
    list(
        f,
        out,
        r::ACCEPT_LANGUAGE_SYNTAX,
        H::AcceptLanguage,
        true,
        |v, b| AcceptLanguage::parse(v, b).is_ok_and(|l| rfc3261_range(l.range())),
    );
    list(
        f,
        out,
        r::CONTENT_ENCODING_SYNTAX,
        H::ContentEncoding,
        false,
        |v, b| ContentEncoding::parse(v, b).is_ok(),
    );
    list(
        f,
        out,
        r::SECURITY_SERVER_SYNTAX,
        H::SecurityServer,
        false,
        |v, b| SecurityServer::parse(v, b).is_ok(),
    );
    list(f, out, r::CALL_INFO_SYNTAX, H::CallInfo, false, |v, b| {
        CallInfo::parse(v, b).is_ok()
    });
    content_type(f, out);
    single(f, out, r::TIMESTAMP_SYNTAX, H::Timestamp, |v, b| {
        Timestamp::parse(v, b).is_ok()
    });
    single(
        f,
        out,
        r::SESSION_EXPIRES_SYNTAX,
        H::SessionExpires,
        |v, b| session_expires(v, b).is_some(),
    );
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
    if !out.wants(r::CONTENT_TYPE_SYNTAX) {
        return;
    }
    for h in f.rows(k) {
        let (v, base) = (h.value(), h.value_span().start);
        if comma_joined(k, v, base) {
            continue;
        }
        // The common case, a value the strict reading takes, has no
        // defect to locate.
        if ContentType::parse(v, base).is_ok() {
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
/// the grammar needs an entry) and every entry that `ok` (the typed
/// parser) refuses.
fn list<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
    rule: Rule,
    k: KnownHeader,
    empty_ok: bool,
    ok: impl Fn(&[u8], usize) -> bool,
) {
    if !out.wants(rule) {
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
            } else if !ok(e.bytes, e.span.start) {
                bad(out, rule, k, e.span, "entry does not match the grammar");
            }
        }
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

/// The single-value-header rule `rule` on every row of `k` that `ok`
/// refuses, except a comma-joined one.
fn single<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
    rule: Rule,
    k: KnownHeader,
    ok: impl Fn(&[u8], usize) -> bool,
) {
    for h in f.rows(k) {
        let (v, base) = (h.value(), h.value_span().start);
        if ok(v, base) || comma_joined(k, v, base) {
            continue;
        }
        bad(
            out,
            rule,
            k,
            value_or_row(&h),
            "value does not match the grammar",
        );
    }
}
