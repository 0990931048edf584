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

use crate::error::HeaderValueErrorKind;
use crate::grammar::{Defect, Part};
use crate::header::typed::{
    Contact, FromHeader, NameAddr, NameAddrLax, Route, ToHeader, TypedHeader,
};
use crate::header::{Element, Headers, KnownHeader};
use crate::lex;
use crate::span::Span;
use crate::validate::finding::{Detail, DetailArg, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::single::comma_joined;
use super::Facts;
use crate::validate::facts::{is_empty_row, Sheet};

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
    tagged(k, v, base, parsed)
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
    tagged(k, v, base, parsed)
}

/// How a From/To reading (`Ok(has a tag)` or its error) reads for the tag
/// rules. A value the strict reading refuses is read again laxly
/// ([`NameAddrLax`]), which locates every failing part; only that rare path
/// pays for it.
fn tagged(
    k: KnownHeader,
    v: &[u8],
    base: usize,
    parsed: Result<bool, crate::error::HeaderValueError>,
) -> Tagged {
    match parsed {
        Ok(t) => Tagged::Parsed(t),
        Err(_) => {
            let lax = addr_lax(k, v, base);
            match lax.defects().first() {
                Some(d) if lax.defects().iter().all(|d| is_empty_tag(&lax, d)) => {
                    Tagged::EmptyTag(defect_span(&lax, d))
                }
                Some(_) => Tagged::Unreadable(
                    lax.defects()
                        .iter()
                        .find(|d| !is_empty_tag(&lax, d))
                        .map_or(lax.span(), |d| defect_span(&lax, d)),
                ),
                // The strict reading refused what the lax one reads
                // cleanly (a `*` with parameters): the value as a whole.
                None => Tagged::Unreadable(lax.span()),
            }
        }
    }
}

/// The lax reading of address header `k`'s value: the From/To reading
/// (`tag` checked), the Contact reading (`q`, `expires`, `*`), else the
/// plain `name-addr / addr-spec` with generic parameters.
fn addr_lax(k: KnownHeader, v: &[u8], base: usize) -> NameAddrLax<'_> {
    match k {
        KnownHeader::From => FromHeader::parse_lax(v, base),
        KnownHeader::To => ToHeader::parse_lax(v, base),
        KnownHeader::Contact => Contact::parse_lax(v, base),
        _ => NameAddr::parse_lax(v, base),
    }
}

/// True for a `tag` defect with no value at all (`;tag`, `;tag=`, `;tag =`):
/// the lax reading spans such a parameter from its name, and a bad value
/// (`;tag="x"`) from the value.
fn is_empty_tag(lax: &NameAddrLax<'_>, d: &Defect) -> bool {
    d.part == Part::Tag
        && part_bytes(lax, d.span)
            .get(..3)
            .is_some_and(|n| n.eq_ignore_ascii_case(b"tag"))
}

/// The bytes of `span` inside the value `lax` read.
fn part_bytes<'a>(lax: &NameAddrLax<'a>, span: Span) -> &'a [u8] {
    let base = lax.span().start;
    lax.as_bytes()
        .get(span.start.saturating_sub(base)..span.end.saturating_sub(base))
        .unwrap_or_default()
}

/// The span a finding gives a defect of an address value: a header
/// parameter whole (`tag="x"`, not only its value), a URI with its
/// brackets, any other part as the lax reading spans it, and the value
/// when the part has no bytes of its own.
fn defect_span(lax: &NameAddrLax<'_>, d: &Defect) -> Span {
    let (raw, base) = (lax.as_bytes(), lax.span().start);
    let span = match d.part {
        // A header parameter whole (see [`super::param_span`]).
        Part::Tag | Part::Q | Part::Expires | Part::Param => super::param_span(raw, base, d.span),
        Part::Uri => match lax.angle_span() {
            Some(a) if a.start <= d.span.start && d.span.end <= a.end => a,
            // A `<` never closed: from the `<` on.
            _ if d.kind == HeaderValueErrorKind::UnterminatedAngle => {
                let part = part_bytes(lax, d.span);
                lex::find_byte(b'<', part)
                    .map_or(d.span, |lt| Span::new(d.span.start + lt, d.span.end))
            }
            _ => d.span,
        },
        _ => d.span,
    };
    if !span.is_empty() {
        return span;
    }
    // A part with no bytes of its own (a byte that cannot start it): the
    // run of bytes from there to the next `<`, `;` or LWS, else the value.
    let from = span.start.saturating_sub(base).min(raw.len());
    let len = raw[from..]
        .iter()
        .position(|&b| b == b'<' || b == b';' || lex::is_lws(b))
        .unwrap_or(raw.len() - from);
    if len > 0 {
        Span::new(base + from, base + from + len)
    } else {
        // An empty parameter (`<sip:a@b>;`, `;;`): its `;`.
        super::empty_param_semicolon(raw, base, base + from).unwrap_or(lax.span())
    }
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
            Tagged::Unreadable(_) => {
                // Every failing part, each once, under its own rule.
                let lax = addr_lax(k, h.value(), h.value_span().start);
                for d in lax.defects().iter() {
                    let span = defect_span(&lax, d);
                    if is_empty_tag(&lax, d) {
                        out.emit(
                            r::TAG_PARAM_EMPTY,
                            Some(span),
                            Detail::with("tag parameter without a value", DetailArg::Header(k)),
                        );
                    } else {
                        name_addr_bad(out, k, span, Severity::Error);
                    }
                }
                if lax.defects().is_empty() {
                    name_addr_bad(out, k, lax.span(), Severity::Error);
                }
            }
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
    if NameAddr::parse(v, base).is_err() {
        addr_defects(out, k, v, base, Severity::Error);
    }
}

/// `name-addr-syntax` for Record-Route and Route — RFC 3261 §20.30,
/// §20.34, §25.1: lists of `name-addr *(SEMI rr-param)`, so every value
/// needs its angle brackets. A Route in a response is already
/// `request-header-in-response` and ignored by the receiver, so its
/// failure is info (the spec's `info↓`). A row with no value is a list
/// with no item, which the grammar does not allow. Span: the failing part,
/// the bare URI, or the empty row.
fn routes<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for (k, sev) in [
        (KnownHeader::RecordRoute, Severity::Error),
        (KnownHeader::Route, Severity::Info),
    ] {
        for h in f.rows(k) {
            if is_empty_row(&h) {
                name_addr_bad(out, k, h.span(), sev);
            }
            for e in h.elements() {
                route_value(f, out, k, e, sev);
            }
        }
    }
}

/// `name-addr-syntax` on one Record-Route or Route value `e`, and, from
/// the same reading, `header-param-repeated` on its `rr-param`s (reported
/// through [`super::addr_params::param_repeated`], the rule's one place).
fn route_value<'a, S: FindingSink + ?Sized>(
    f: &Facts<'_, 'a>,
    out: &mut Emitter<'_, S>,
    k: KnownHeader,
    e: Element<'a>,
    sev: Severity,
) {
    let read = if k == KnownHeader::RecordRoute {
        f.sheet
            .record_route(e.bytes, e.span.start)
            .map(|r| (r.brackets_missing(), r.name_addr().repeated_param()))
    } else {
        e.parse::<Route<'_>>()
            .map(|r| (r.brackets_missing(), r.name_addr().repeated_param()))
    };
    match read {
        Ok((bare, repeated)) => {
            if bare {
                name_addr_bad(out, k, e.span, sev);
            }
            if let Some(p) = repeated {
                super::addr_params::param_repeated(out, k, p);
            }
        }
        Err(_) => addr_defects(out, k, e.bytes, e.span.start, sev),
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
        if is_empty_row(&h) {
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
                Err(_) if e.bytes.is_empty() => out.emit(
                    r::CONTACT_SYNTAX,
                    Some(super::empty_item_span(f.resp.headers().src(), e.span)),
                    Detail::new("empty Contact value"),
                ),
                Err(_) => contact_defects(out, e.bytes, e.span.start),
            }
        }
    }
}

/// `name-addr-syntax` for each failing part of an address value that the
/// strict reading refused, located by the lax reading (the value as a
/// whole when the lax reading finds nothing to blame).
fn addr_defects<S: FindingSink + ?Sized>(
    out: &mut Emitter<'_, S>,
    k: KnownHeader,
    v: &[u8],
    base: usize,
    sev: Severity,
) {
    let lax = addr_lax(k, v, base);
    for d in lax.defects().iter() {
        name_addr_bad(out, k, defect_span(&lax, d), sev);
    }
    if lax.defects().is_empty() {
        name_addr_bad(out, k, lax.span(), sev);
    }
}

/// The findings for a Contact value that does not parse, one per failing
/// part: a failing `q` or `expires` parameter has its own rule
/// (`contact-q-invalid`, `contact-expires-param-invalid`), anything else
/// is `contact-syntax`. A `*` with anything after it is wrong as a whole.
fn contact_defects<S: FindingSink + ?Sized>(out: &mut Emitter<'_, S>, v: &[u8], base: usize) {
    const SYNTAX: &str = "Contact is not name-addr / addr-spec with parameters";
    let lax = addr_lax(KnownHeader::Contact, v, base);
    if v.starts_with(b"*") || lax.defects().is_empty() {
        out.emit(r::CONTACT_SYNTAX, Some(lax.span()), Detail::new(SYNTAX));
        return;
    }
    for d in lax.defects().iter() {
        // A failing `q` or `expires` has its own rule (emitted in contact.rs).
        let (rule, text) =
            super::contact::param_failure(d.part).unwrap_or((r::CONTACT_SYNTAX, SYNTAX));
        out.emit(rule, Some(defect_span(&lax, d)), Detail::new(text));
    }
}
