//! The address headers (RFC 3261 §20.10, §20.20, §20.30, §20.31, §20.34,
//! §20.39, §25.1): their syntax rules, and how the other rules read a From
//! or To tag.
//!
//! Every value is read by the typed parsers ([`FromHeader`], [`ToHeader`],
//! [`NameAddr`], [`RecordRoute`], [`Route`], [`Contact`]). When one fails,
//! its syntax rule reports it once, at the failing part, and the rules that
//! read the value stay silent (spec "How to read"). The one exception is an
//! empty `tag` (`;tag`, `;tag=`): `tag-param-empty` reports it and the
//! header then reads as untagged for every tag and dialog rule.

use crate::header::typed::{FromHeader, NameAddr, Route, ToHeader, TypedHeader};
use crate::header::{Headers, KnownHeader};
use crate::lex;
use crate::span::Span;
use crate::validate::finding::{Detail, DetailArg, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::single::comma_joined;
use super::via::param_at;
use super::Facts;
use crate::validate::facts::Sheet;

/// How a From or To value reads for the tag rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tagged {
    /// The value parses; `true` when it has a `tag`.
    Parsed(bool),
    /// The value has a `tag` parameter with no value (`;tag`, `;tag=`):
    /// `tag-param-empty`, and untagged for every other rule. The span is
    /// the parameter.
    EmptyTag(Span),
    /// The value does not parse for another reason (`name-addr-syntax`);
    /// the span is the failing part.
    Unreadable(Span),
}

impl Tagged {
    /// `Some(has a tag)` when the rules may judge the tag, `None` when the
    /// value does not parse (its syntax rule speaks for it).
    pub(crate) fn has_tag(self) -> Option<bool> {
        match self {
            Tagged::Parsed(t) => Some(t),
            Tagged::EmptyTag(_) => Some(false),
            Tagged::Unreadable(_) => None,
        }
    }
}

/// Reads a From (`k == From`) or To value with its typed parser.
pub(crate) fn read_tag(k: KnownHeader, v: &[u8], base: usize) -> Tagged {
    let parsed = if k == KnownHeader::From {
        FromHeader::parse(v, base).map(|h| h.tag().is_some())
    } else {
        ToHeader::parse(v, base).map(|h| h.tag().is_some())
    };
    tagged(v, base, parsed)
}

/// [`read_tag`] through a fact sheet: each From/To value is parsed once.
pub(crate) fn sheet_read_tag<'a>(
    s: &Sheet<'a>,
    k: KnownHeader,
    v: &'a [u8],
    base: usize,
) -> Tagged {
    let parsed = if k == KnownHeader::From {
        s.read_from(v, base).map(|h| h.tag().is_some())
    } else {
        s.read_to(v, base).map(|h| h.tag().is_some())
    };
    tagged(v, base, parsed)
}

/// How a From/To reading (`Ok(has a tag)` or its error) reads for the tag
/// rules.
fn tagged(v: &[u8], base: usize, parsed: Result<bool, crate::error::HeaderValueError>) -> Tagged {
    match parsed {
        Ok(t) => Tagged::Parsed(t),
        Err(e) => {
            let at = e.offset().saturating_sub(base);
            if in_params(v, at) {
                let span = param_at(v, base, at);
                if is_empty_tag(&v[span.start - base..span.end - base]) {
                    return Tagged::EmptyTag(span);
                }
                return Tagged::Unreadable(span);
            }
            Tagged::Unreadable(failing_part(v, base, at))
        }
    }
}

/// `tag`, `tag =` or `tag=` with nothing after it: a `tag-param` with no
/// token (RFC 3261 §25.1 `tag-param = "tag" EQUAL token`).
// second reader: replace with typed lax reading
fn is_empty_tag(p: &[u8]) -> bool {
    let end = lex::token_end(p, 0);
    if !p[..end].eq_ignore_ascii_case(b"tag") {
        return false;
    }
    let rest = lex::trim_lws(&p[end..]);
    rest.is_empty() || rest == b"="
}

/// True when relative offset `at` lies after the address, among the
/// header parameters: a `;` outside quotes and `<...>` comes before it.
// second reader: replace with typed lax reading
pub(crate) fn in_params(v: &[u8], at: usize) -> bool {
    let mut i = 0;
    while i < v.len() && i < at {
        match v[i] {
            b'"' => match lex::quoted_string_end(v, i) {
                Ok(e) => i = e,
                Err(_) => return false,
            },
            b'<' => match v[i..].iter().position(|b| *b == b'>') {
                Some(p) => i += p + 1,
                None => return false,
            },
            b';' => return true,
            _ => i += 1,
        }
    }
    false
}

/// The part of an address value that holds the error at relative offset
/// `at`: the parameter when it lies among the header parameters, the
/// `<...>` when it lies there (or the `<` is never closed), the display
/// name when it lies before the `<`, else the bare URI.
// second reader: replace with typed lax reading
pub(crate) fn failing_part(v: &[u8], base: usize, at: usize) -> Span {
    if in_params(v, at) {
        return param_at(v, base, at);
    }
    let mut i = 0;
    let mut lt = None;
    while i < v.len() {
        match v[i] {
            b'"' => i = lex::quoted_string_end(v, i).unwrap_or(v.len()),
            b'<' => {
                lt = Some(i);
                break;
            }
            b';' => break,
            _ => i += 1,
        }
    }
    let (a, b) = match lt {
        Some(lt) if at >= lt => {
            let gt = v[lt..].iter().position(|b| *b == b'>');
            (lt, gt.map_or(v.len(), |g| lt + g + 1))
        }
        Some(lt) => (0, lt),
        None => (0, i.min(v.len())),
    };
    super::via::trim_span(v, base, Span::new(base + a, base + b))
}

/// [`read_tag`] on the To of any header section (a request's, too):
/// `None` when To is absent or does not parse.
pub(crate) fn to_tag(h: &Headers<'_>) -> Option<bool> {
    let to = h.get(KnownHeader::To)?;
    read_tag(KnownHeader::To, to.value(), to.value_span().start).has_tag()
}

/// [`to_tag`] through a fact sheet.
pub(crate) fn sheet_to_tag(s: &Sheet<'_>) -> Option<bool> {
    let to = s.first(KnownHeader::To)?;
    sheet_read_tag(s, KnownHeader::To, to.value(), to.value_span().start).has_tag()
}

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    from_to(f, out);
    reply_to(f, out);
    routes(f, out);
    contact_syntax(f, out);
}

/// From and To, on the first row (a second is
/// `single-value-header-repeated`, and so is a comma-joined row):
///
/// * `tag-param-empty` — RFC 3261 §25.1 `tag-param = "tag" EQUAL token`:
///   `;tag` and `;tag=` carry no tag. Span: the parameter.
/// * `name-addr-syntax` — §20.20, §20.39: `(name-addr / addr-spec)
///   *(SEMI (tag-param / generic-param))`. Span: the failing part.
/// * `to-tag-missing` — §8.2.6.2: the UAS MUST add a To tag to every
///   response but 100 (any element answering acts as a UAS, §16.3; a proxy
///   never adds one, §16.7 step 6). Codes 101–699.
/// * `from-tag-missing` — §8.1.1.3: the UAC MUST add a From tag; the
///   response mirrors it, so a missing one flags an RFC 2543-style UAC
///   (info).
///
/// An empty tag is both `tag-param-empty` and a missing tag; a value that
/// does not parse otherwise is `name-addr-syntax` only. Span of the
/// missing-tag findings: the value.
fn from_to<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for k in [KnownHeader::From, KnownHeader::To] {
        let Some(h) = f.first(k) else {
            continue;
        };
        if comma_joined(k, h.value(), h.value_span().start) {
            continue;
        }
        let read = sheet_read_tag(f.sheet, k, h.value(), h.value_span().start);
        match read {
            Tagged::EmptyTag(span) => out.emit(
                r::TAG_PARAM_EMPTY,
                Some(span),
                Detail::with("tag parameter without a value", DetailArg::Header(k)),
            ),
            Tagged::Unreadable(span) => name_addr_bad(out, k, span, Severity::Error),
            Tagged::Parsed(_) => {}
        }
        if read.has_tag() != Some(false) {
            continue;
        }
        if k == KnownHeader::To && (101..700).contains(&f.code) {
            out.emit(
                r::TO_TAG_MISSING,
                Some(h.value_span()),
                Detail::new("To has no tag"),
            );
        } else if k == KnownHeader::From {
            out.emit(
                r::FROM_TAG_MISSING,
                Some(h.value_span()),
                Detail::new("From has no tag"),
            );
        }
    }
}

fn name_addr_bad<S: FindingSink + ?Sized>(
    out: &mut Emitter<'_, S>,
    k: KnownHeader,
    span: Span,
    sev: Severity,
) {
    out.emit_at(
        r::NAME_ADDR_SYNTAX,
        sev,
        Some(span),
        Detail::with(
            "value does not match its address grammar",
            DetailArg::Header(k),
        ),
    );
}

/// `name-addr-syntax` for Reply-To — RFC 3261 §20.31, §25.1: `Reply-To =
/// rplyto-spec`, `(name-addr / addr-spec) *(SEMI generic-param)`. Span:
/// the failing part.
fn reply_to<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let k = KnownHeader::ReplyTo;
    let Some(h) = f.first(k) else {
        return;
    };
    let (v, base) = (h.value(), h.value_span().start);
    if comma_joined(k, v, base) {
        return;
    }
    if let Err(e) = NameAddr::parse(v, base) {
        let at = e.offset().saturating_sub(base);
        name_addr_bad(out, k, failing_part(v, base, at), Severity::Error);
    }
}

/// `name-addr-syntax` for Record-Route and Route — RFC 3261 §20.30,
/// §20.34, §25.1: lists of `name-addr *(SEMI rr-param)`, so every value
/// needs its angle brackets. A Route in a response is already
/// `request-header-in-response` and ignored by the receiver, so its
/// failure is info (the spec's `info↓`). Span: the failing part, or the
/// bare URI.
fn routes<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for (k, sev) in [
        (KnownHeader::RecordRoute, Severity::Error),
        (KnownHeader::Route, Severity::Info),
    ] {
        for e in f.elements(k) {
            let bare = if k == KnownHeader::RecordRoute {
                f.sheet
                    .record_route(e.bytes, e.span.start)
                    .map(|r| r.brackets_missing())
            } else {
                e.parse::<Route<'_>>().map(|r| r.brackets_missing())
            };
            match bare {
                Ok(false) => {}
                Ok(true) => name_addr_bad(out, k, e.span, sev),
                Err(err) => {
                    let at = err.offset().saturating_sub(e.span.start);
                    name_addr_bad(out, k, failing_part(e.bytes, e.span.start, at), sev);
                }
            }
        }
    }
}

/// `contact-syntax` — RFC 3261 §20.10, §25.1: `Contact = ("Contact" / "m")
/// HCOLON (STAR / (contact-param *(COMMA contact-param)))`, with
/// `contact-param = (name-addr / addr-spec) *(SEMI contact-params)`. An
/// empty row, a value that the typed [`Contact`] refuses, or a `*` beside
/// other values is reported; a failing `q` or `expires` parameter belongs
/// to `contact-q-invalid` / `contact-expires-param-invalid` instead. Span:
/// the row when empty, else the failing value or parameter.
fn contact_syntax<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let k = KnownHeader::Contact;
    let values = f.elements(k).count();
    for h in f.rows(k) {
        if lex::trim_lws(h.value()).is_empty() {
            out.emit(
                r::CONTACT_SYNTAX,
                Some(h.span()),
                Detail::new("empty Contact"),
            );
            continue;
        }
        for e in h.elements() {
            match f.sheet.contact(e.bytes, e.span.start) {
                Ok(c) if c.is_star() && values > 1 => out.emit(
                    r::CONTACT_SYNTAX,
                    Some(e.span),
                    Detail::new("'*' beside other Contact values"),
                ),
                Ok(_) => {}
                Err(err) => {
                    let (v, base) = (e.bytes, e.span.start);
                    let at = err.offset().saturating_sub(base);
                    // A `*` with parameters is wrong as a whole.
                    let span = if v.starts_with(b"*") {
                        e.span
                    } else {
                        failing_part(v, base, at)
                    };
                    // A failing `q` or `expires` has its own rule.
                    let (rule, text) =
                        super::contact::param_failure(v, base, at, span).unwrap_or((
                            r::CONTACT_SYNTAX,
                            "Contact is not name-addr / addr-spec with parameters",
                        ));
                    out.emit(rule, Some(span), Detail::new(text));
                }
            }
        }
    }
}
