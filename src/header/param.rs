//! Generic parameters: `*( SEMI generic-param )` with
//! `generic-param = token [ EQUAL gen-value ]` and
//! `gen-value = token / host / quoted-string` (RFC 3261 §25.1).
//!
//! A value's parameters are validated once when the typed value is parsed;
//! afterwards [`Params`] only keeps the region and re-walks it on demand, so
//! no parameter list is ever allocated.

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::grammar::{self, Defect, Defects, Part};
use crate::Span;

/// Most parameters accepted on one header value (grammar notes: limits).
pub const MAX_PARAMS: usize = 64;

/// One `name[=value]` parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param<'a> {
    name: &'a [u8],
    value: Option<&'a [u8]>,
    name_span: Span,
    value_span: Option<Span>,
}

impl<'a> Param<'a> {
    /// The name as sent (a token, so ASCII).
    pub fn name(&self) -> &'a str {
        core::str::from_utf8(self.name).unwrap_or("")
    }

    /// The value without surrounding double quotes (escapes are kept).
    pub fn value_unquoted(&self) -> Option<&'a [u8]> {
        self.value.map(|v| {
            if v.len() >= 2 && v[0] == b'"' && v[v.len() - 1] == b'"' {
                &v[1..v.len() - 1]
            } else {
                v
            }
        })
    }

    /// True when the value was a quoted string.
    pub fn is_quoted(&self) -> bool {
        matches!(self.value, Some(v) if v.first() == Some(&b'"'))
    }

    /// Absolute span of the whole parameter (name through value).
    pub fn span(&self) -> Span {
        Span::new(
            self.name_span.start,
            self.value_span.map_or(self.name_span.end, |v| v.end),
        )
    }
}

/// The accessors a parameter item offers, written once for a
/// `generic-param` here and a `uri-parameter` of a URI (RFC 3261 §25.1):
/// both keep `name`, `value` and their absolute spans, and both compare
/// names ignoring ASCII case (§7.3.1, §19.1.4).
macro_rules! param_item_api {
    ($item:ident, value_doc: $value_doc:literal, is_doc: $is_doc:literal) => {
        impl<'a> $item<'a> {
            #[doc = $value_doc]
            pub fn value(&self) -> Option<&'a [u8]> {
                self.value
            }

            #[doc = $is_doc]
            pub fn is(&self, name: &str) -> bool {
                self.name.eq_ignore_ascii_case(name.as_bytes())
            }

            /// Absolute span of the name.
            pub fn name_span(&self) -> Span {
                self.name_span
            }

            /// Absolute span of the value, if any.
            pub fn value_span(&self) -> Option<Span> {
                self.value_span
            }
        }
    };
}
pub(crate) use param_item_api;

param_item_api!(
    Param,
    value_doc: "The raw value bytes as sent (quotes kept for quoted strings), if any.",
    is_doc: "Case-insensitive name comparison (parameter names are case-insensitive)."
);

/// The parameters of one header value: a validated region, walked lazily.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Params<'a> {
    s: &'a [u8],
    base: usize,
}

impl<'a> Params<'a> {
    /// No parameters.
    pub const EMPTY: Params<'static> = Params { s: &[], base: 0 };

    /// No parameters, located at absolute offset `at` (so that
    /// [`Params::span`] stays an absolute, empty span where the parameters
    /// would have been).
    pub(crate) const fn empty_at(at: usize) -> Params<'a> {
        Params { s: &[], base: at }
    }

    /// Iterates the parameters in order.
    pub fn iter(&self) -> ParamIter<'a> {
        ParamIter {
            cur: Cursor::new(self.s, self.base),
        }
    }

    /// The name of the first parameter that appears more than once
    /// (case-insensitive), for rule `header-param-repeated`. Quadratic in the
    /// parameter count, which is bounded by [`MAX_PARAMS`].
    pub fn first_repeated(&self) -> Option<Param<'a>> {
        self.iter().enumerate().find_map(|(i, p)| {
            self.iter()
                .skip(i + 1)
                .any(|q| q.name.eq_ignore_ascii_case(p.name))
                .then_some(p)
        })
    }
}

/// The lookups a lazily walked parameter list offers, written once for the
/// `generic-param` lists here and the `uri-parameters` of a URI (RFC 3261
/// §25.1): both keep a validated region `s` at absolute offset `base` and
/// an `iter()`, and their items compare names case-insensitively with `is`
/// (§7.3.1, §19.1.4), so `get`, `contains`, `len` and `span` are the same
/// code for both, and for [`LaxParams`] (whose `iter()` yields the
/// well-formed parameters; `what` and `empty_doc` say so in the docs).
macro_rules! param_list_api {
    ($list:ident, $iter:ident, $item:ident, span_doc: $span_doc:literal) => {
        $crate::header::param::param_list_api!(
            $list,
            $iter,
            $item,
            span_doc: $span_doc,
            what: "parameter",
            empty_doc: "True when there is no parameter."
        );
    };
    (
        $list:ident,
        $iter:ident,
        $item:ident,
        span_doc: $span_doc:literal,
        what: $what:literal,
        empty_doc: $empty_doc:literal
    ) => {
        impl<'a> $list<'a> {
            #[doc = concat!("The first ", $what, " named `name` (case-insensitive).")]
            pub fn get(&self, name: &str) -> Option<$item<'a>> {
                self.iter().find(|p| p.is(name))
            }

            #[doc = concat!("True when a ", $what, " named `name` is present.")]
            pub fn contains(&self, name: &str) -> bool {
                self.get(name).is_some()
            }

            #[doc = concat!("Number of ", $what, "s.")]
            pub fn len(&self) -> usize {
                self.iter().count()
            }

            #[doc = $empty_doc]
            pub fn is_empty(&self) -> bool {
                self.s.is_empty()
            }

            #[doc = $span_doc]
            pub fn span(&self) -> Span {
                Span::new(self.base, self.base + self.s.len())
            }
        }

        impl<'a> IntoIterator for &$list<'a> {
            type Item = $item<'a>;
            type IntoIter = $iter<'a>;
            fn into_iter(self) -> $iter<'a> {
                self.iter()
            }
        }
    };
}
pub(crate) use param_list_api;

param_list_api!(
    Params,
    ParamIter,
    Param,
    span_doc: "Absolute span of the whole parameter region (from the first `;`)."
);

/// Iterator over [`Params`].
#[derive(Clone, Debug)]
pub struct ParamIter<'a> {
    cur: Cursor<'a>,
}

impl<'a> Iterator for ParamIter<'a> {
    type Item = Param<'a>;
    fn next(&mut self) -> Option<Param<'a>> {
        self.cur.skip_lws();
        if !self.cur.eat(b';') {
            return None;
        }
        // The region was validated by `scan_params`, so this cannot fail; stop if it does.
        parse_one(&mut self.cur).ok()
    }
}

/// Parses one parameter after its `;` with the grammar's
/// [`generic_param`](grammar::param::generic_param): a missing name or
/// value is `BadParam` where it should be, an unterminated quoted value
/// `UnterminatedQuote` at its quote (or at a backslash escaping CR/LF).
fn parse_one<'a>(cur: &mut Cursor<'a>) -> Result<Param<'a>, HeaderValueError> {
    cur.skip_lws();
    let start = cur.pos;
    let i = cur.rest();
    match grammar::param::generic_param(i) {
        Ok((rest, (name, value))) => {
            let end = start + grammar::offset(i, rest);
            cur.pos = end;
            let abs = cur.base + start;
            Ok(Param {
                name,
                value,
                name_span: Span::new(abs, abs + name.len()),
                value_span: value.map(|v| Span::new(cur.base + end - v.len(), cur.base + end)),
            })
        }
        Err(e) => Err(cur.err_at(
            grammar::param::param_error_kind(&e),
            start + grammar::error_offset(i, &e),
        )),
    }
}

/// Validates `*( SEMI generic-param )` starting at the cursor (LWS first is
/// allowed) and returns the region. Stops, without consuming, at the first
/// byte after LWS that is not `;`. At most [`MAX_PARAMS`] parameters.
#[allow(dead_code)] // used by the typed header parsers
pub(crate) fn scan_params<'a>(cur: &mut Cursor<'a>) -> Result<Params<'a>, HeaderValueError> {
    scan_params_noting(cur, &[], &mut [])
}

/// Where the value `v` of parameter `name`, which [`gen_value`] took
/// leniently, breaks the strict `gen-value` (see
/// [`gen_value_defect`](grammar::param::gen_value_defect)); `None` for a
/// strict value and for a parameter with a production of its own, which
/// that production judges. The strict scans refuse such a value and the
/// lax ones report it, so the two readings agree.
///
/// [`gen_value`]: grammar::param::gen_value
fn lenient_gen_value(name: &[u8], v: &[u8]) -> Option<usize> {
    // The value first: nearly every value is strict, and the name's look-up
    // costs more than a short run over the value's bytes.
    grammar::param::gen_value_defect(v).filter(|_| !grammar::param::has_own_production(name))
}

/// [`scan_params`], noting in `notes[i]` the first parameter named
/// `names[i]` (case-insensitive) met on the way, so that a typed header
/// reads the parameters it cares about in the one walk that validates
/// them rather than walking the list again per name.
pub(crate) fn scan_params_noting<'a>(
    cur: &mut Cursor<'a>,
    names: &[&str],
    notes: &mut [Option<Param<'a>>],
) -> Result<Params<'a>, HeaderValueError> {
    let region_start = {
        let save = cur.pos;
        cur.skip_lws();
        if cur.peek() != Some(b';') {
            cur.pos = save;
            return Ok(Params {
                s: &[],
                base: cur.base + save,
            });
        }
        cur.pos
    };
    let mut count = 0;
    let mut end = region_start;
    loop {
        let save = cur.pos;
        cur.skip_lws();
        if !cur.eat(b';') {
            cur.pos = save;
            break;
        }
        count += 1;
        if count > MAX_PARAMS {
            return Err(cur.err(HeaderValueErrorKind::TooManyParams));
        }
        let p = parse_one(cur)?;
        if let (Some(v), Some(at)) = (p.value, p.value_span) {
            if let Some(off) = lenient_gen_value(p.name, v) {
                return Err(cur.err_at(HeaderValueErrorKind::BadParam, at.start - cur.base + off));
            }
        }
        for (name, note) in names.iter().zip(notes.iter_mut()) {
            if note.is_none() && p.is(name) {
                *note = Some(p);
            }
        }
        end = cur.pos;
    }
    Ok(Params {
        s: &cur.s[region_start..end],
        base: cur.base + region_start,
    })
}

/// How many parameters [`read_common_params`] takes; more go to the general
/// reader.
pub(crate) const COMMON_PARAMS: usize = 8;

/// The common parameter list, read in one pass without the combinators of
/// [`scan_params_lax_noting`]: from `pos` (at a `;`, or the end of `value`)
/// to the end of `value`, each `;name` or `;name=value` with an unquoted
/// value and no white space, no name repeated, no defect among `known`.
/// `known`, `note` and `first` mean what they mean there, and for such a
/// list the result is the same: the region, with `first` filled in. `None`
/// for anything else (the general reader takes it).
///
/// The value of every name in `known` or `note` is checked by the general
/// reader's own [`known_param`](grammar::param::known_param).
pub(crate) fn read_common_params<'a>(
    value: &'a [u8],
    pos: usize,
    base: usize,
    known: &[(&str, Part)],
    note: Option<&[&str]>,
    first: &mut [KnownParam],
) -> Option<LaxParams<'a>> {
    let region_start = pos;
    let mut pos = pos;
    // Each parameter's name, as (start, end) in `value`.
    let mut names = [(0usize, 0usize); COMMON_PARAMS];
    let mut count = 0;
    while pos < value.len() {
        if value[pos] != b';' || count == COMMON_PARAMS {
            return None;
        }
        let start = pos + 1;
        let name_end = crate::lex::token_end(value, start);
        if name_end == start {
            return None;
        }
        let name = &value[start..name_end];
        let mut all_token = false;
        let (param_value, end) = match value.get(name_end) {
            None | Some(b';') => (None, name_end),
            Some(b'=') => {
                let v = name_end + 1;
                // The value is `gen_value`'s, as in the general reader
                // (which then refuses an unclosed `[`: the `typed_headers`
                // fuzz target found the common path taking one as plain
                // when it had a run of its own). The quoted and bracketed
                // forms stay with the general reader all the same: the
                // common path is kept to the plain values it describes.
                // What follows the value is checked as the next
                // parameter's `;`.
                if matches!(value.get(v), Some(b'"' | b'[')) {
                    return None;
                }
                // `gen_value`'s unquoted run, found in one pass that also
                // tells whether it is all token bytes (then it is a strict
                // `gen-value`, and a token production need not read it
                // again).
                let (end, token) = crate::lex::param_value_run(value, v);
                if end == v {
                    return None;
                }
                all_token = token;
                (Some(&value[v..end]), end)
            }
            Some(_) => return None,
        };
        if names[..count]
            .iter()
            .any(|&(a, b)| value[a..b].eq_ignore_ascii_case(name))
        {
            return None;
        }
        names[count] = (start, name_end);
        count += 1;
        let value_span = param_value.map(|v| Span::new(base + end - v.len(), base + end));
        let noted = note_param(
            name,
            (param_value, all_token),
            value_span,
            base + start,
            known,
            note,
            first,
        );
        // A defect, in a known value or a lenient generic one, is the
        // general reader's to locate.
        match (noted, param_value) {
            (Some((_, Some(_))), _) => return None,
            (_, Some(v)) if !all_token && lenient_gen_value(name, v).is_some() => return None,
            _ => {}
        }
        pos = end;
    }
    Some(LaxParams {
        s: &value[region_start..],
        base: base + region_start,
    })
}

/// What the scans note of one well-formed parameter `name[=value]` (its
/// value at `value_span`, its name at the absolute offset `name_at`): the
/// first parameter of each name in `note` (in `known` when `note` is
/// `None`) goes into `first`, with whether its value matches the name's own
/// production. `Some((k, defect))` when the name is `known[k]`, with the
/// value's defect there (`known_param`'s kind and offset), if any. One
/// piece for [`scan_params_lax_noting`] and [`read_common_params`], so
/// both note alike.
#[inline(always)]
fn note_param(
    name: &[u8],
    (value, value_is_token): (Option<&[u8]>, bool),
    value_span: Option<Span>,
    name_at: usize,
    known: &[(&str, Part)],
    note: Option<&[&str]>,
    first: &mut [KnownParam],
) -> Option<(usize, Option<(HeaderValueErrorKind, usize)>)> {
    let is = |n: &str| crate::lex::eq_name(name, n.as_bytes());
    let k = known.iter().position(|(n, _)| is(n));
    let n = match note {
        None => k,
        Some(note) => note.iter().position(|n| is(n)),
    };
    if k.is_none() && n.is_none() {
        return None;
    }
    let bad = grammar::param::known_param_hinted(name, value, value_is_token);
    if let Some(slot) = n.and_then(|n| first.get_mut(n)).filter(|s| !s.present) {
        *slot = KnownParam {
            present: true,
            valid: bad.is_none(),
            value: value_span,
            name_at,
        };
    }
    k.map(|k| (k, bad))
}

/// The parameters of one header value read laxly: the region from the first
/// `;` to where the parameter list ends, malformed parameters included
/// (each was recorded as a [`Defect`] when the value was read). Iterating
/// yields the well-formed parameters only, walking the region again, so
/// nothing is allocated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LaxParams<'a> {
    s: &'a [u8],
    base: usize,
}

impl<'a> LaxParams<'a> {
    /// The same region as strict [`Params`]: for a reading without
    /// defects every parameter in it is well-formed, so both walk alike.
    pub(crate) fn as_params(&self) -> Params<'a> {
        Params {
            s: self.s,
            base: self.base,
        }
    }

    /// Iterates the well-formed parameters in order (malformed ones are
    /// skipped up to the next `;`).
    pub fn iter(&self) -> LaxParamIter<'a> {
        LaxParamIter {
            cur: Cursor::new(self.s, self.base),
        }
    }

    /// The first well-formed parameter named `name` whose value also matches
    /// that name's own production (`tag`, `branch`, `received`, ...; see
    /// [`known_param`](grammar::param::known_param)): what a reader may use.
    pub fn get_valid(&self, name: &str) -> Option<Param<'a>> {
        self.get(name)
            .filter(|p| grammar::param::known_param(p.name, p.value).is_none())
    }
}

param_list_api!(
    LaxParams,
    LaxParamIter,
    Param,
    span_doc: "Absolute span of the region (from the first `;`).",
    what: "well-formed parameter",
    empty_doc: "True when there is no parameter region at all (a region of malformed parameters only is not empty, though `len` is 0)."
);

/// Iterator over [`LaxParams`].
#[derive(Clone, Debug)]
pub struct LaxParamIter<'a> {
    cur: Cursor<'a>,
}

impl<'a> Iterator for LaxParamIter<'a> {
    type Item = Param<'a>;
    fn next(&mut self) -> Option<Param<'a>> {
        loop {
            self.cur.skip_lws();
            if !self.cur.eat(b';') {
                return None;
            }
            let save = self.cur.pos;
            // A parameter with bytes glued to its value is malformed as a
            // whole (see `scan_params_lax`): skipped like one that fails.
            let glued = |c: &Cursor<'_>| {
                c.peek()
                    .is_some_and(|b| !crate::lex::is_lws(b) && b != b';' && b != b',')
            };
            match parse_one(&mut self.cur) {
                Ok(p) if p.value.is_none() || !glued(&self.cur) => return Some(p),
                _ => {
                    self.cur.pos = save;
                    let (rest, _) = grammar::param::skip_param(self.cur.rest()).ok()?;
                    self.cur.pos = self.cur.s.len() - rest.len();
                }
            }
        }
    }
}

/// Reads `*( SEMI generic-param )` laxly at the cursor: every parameter
/// that is not a `generic-param` is recorded in `defects` (as
/// [`Part::Param`], or as the part `known` names for its name, so `;tag=`
/// is a [`Part::Tag`] defect) and skipped to the next `;`; every
/// well-formed parameter named in `known` is checked against its own
/// production ([`known_param`](grammar::param::known_param)). Stops,
/// without consuming, at the first byte after LWS that is not `;`.
pub(crate) fn scan_params_lax<'a>(
    cur: &mut Cursor<'a>,
    known: &[(&str, Part)],
    defects: &mut Defects,
) -> LaxParams<'a> {
    scan_params_lax_noting(cur, known, defects, Some(&[]), &mut [], &mut None, false)
}

/// What a lax scan noted of the first well-formed parameter with one of the
/// `known` names: what [`LaxParams::get`] and [`LaxParams::get_valid`]
/// would find, kept so that a reader's accessors do not walk the
/// parameters again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct KnownParam {
    /// A well-formed parameter of this name is present.
    pub(crate) present: bool,
    /// Its value also matches the name's own production.
    pub(crate) valid: bool,
    /// Absolute span of its value, when it has one.
    pub(crate) value: Option<Span>,
    /// Absolute offset of its name.
    pub(crate) name_at: usize,
}

impl KnownParam {
    /// The value span of a present and valid parameter: `Some(None)` when
    /// it has no value (what `get_valid(..).map(|p| p.value_span())` gives).
    pub(crate) fn valid_value(&self) -> Option<Option<Span>> {
        (self.present && self.valid).then_some(self.value)
    }

    /// The noted parameter itself, named `name` (the known name it was
    /// noted under, so the one it has the length of), rebuilt from the
    /// noted offsets within `raw` (which starts at absolute `base`):
    /// `None` when it is absent or its value is not valid.
    pub(crate) fn param<'a>(&self, raw: &'a [u8], base: usize, name: &str) -> Option<Param<'a>> {
        let value_span = self.valid_value()?;
        let at = self.name_at.checked_sub(base)?;
        let name_bytes = raw.get(at..at + name.len())?;
        let value = match value_span {
            Some(sp) => Some(raw.get(sp.start.checked_sub(base)?..sp.end.checked_sub(base)?)?),
            None => None,
        };
        Some(Param {
            name: name_bytes,
            value,
            name_span: Span::new(self.name_at, self.name_at + name.len()),
            value_span,
        })
    }
}

/// [`scan_params_lax`], also noting in `first[k]` the first well-formed
/// parameter named `note[k]` (for `k < first.len()`), checked against
/// that name's production as [`LaxParams::get_valid`] checks it. `None`
/// notes the `known` names themselves (one name lookup per parameter
/// instead of two).
///
/// `repeated` gets the span of the first well-formed parameter whose name
/// a later one repeats (case-insensitive, RFC 3261 §7.3.1: what
/// [`Params::first_repeated`] finds), found in this one walk so that rule
/// `header-param-repeated` reads no parameter again.
pub(crate) fn scan_params_lax_noting<'a>(
    cur: &mut Cursor<'a>,
    known: &[(&str, Part)],
    defects: &mut Defects,
    note: Option<&[&str]>,
    first: &mut [KnownParam],
    repeated: &mut Option<Span>,
    at_in_values: bool,
) -> LaxParams<'a> {
    let index_of = |name: &[u8]| {
        known
            .iter()
            .position(|(n, _)| name.eq_ignore_ascii_case(n.as_bytes()))
    };
    let part_of = |name: &[u8]| index_of(name).map(|k| known[k].1);
    *repeated = None;
    let save = cur.pos;
    cur.skip_lws();
    if cur.peek() != Some(b';') {
        cur.pos = save;
        return LaxParams {
            s: &[],
            base: cur.base + save,
        };
    }
    let region_start = cur.pos;
    let mut count = 0;
    // Each well-formed parameter so far: where it starts, its name's
    // length, where it ends (offsets in `cur.s`); at most MAX_PARAMS.
    let mut seen = [(0u32, 0u32, 0u32); MAX_PARAMS];
    let mut n_seen = 0;
    let mut first_rep: Option<usize> = None;
    loop {
        let save = cur.pos;
        cur.skip_lws();
        if !cur.eat(b';') {
            cur.pos = save;
            break;
        }
        count += 1;
        if count > MAX_PARAMS {
            let at = cur.pos - 1;
            defects.push(Defect::new(
                Part::Param,
                Span::new(cur.base + at, cur.base + cur.s.len()),
                HeaderValueErrorKind::TooManyParams,
            ));
            cur.pos = cur.s.len();
            break;
        }
        cur.skip_lws();
        let start = cur.pos;
        let i = cur.rest();
        match grammar::param::generic_param(i) {
            Ok((rest, (name, value))) => {
                let end = start + grammar::offset(i, rest);
                cur.pos = end;
                // Bytes glued to the value (`branch=ab/c+d=`: the `=`) make
                // the whole run up to the next `;` this parameter's value,
                // which then fails its production. Glued to a name without
                // a value (`rec%s=x`), the run is one malformed parameter.
                if let Some(&b) = rest.first() {
                    if !crate::lex::is_lws(b) && b != b';' && b != b',' {
                        let skipped =
                            grammar::param::skip_param(i).map_or(i.len(), |(_, s)| s.len());
                        let vstart = value.map_or(start, |v| end - v.len());
                        let vend = start + crate::lex::trim_lws(&i[..skipped]).len();
                        let kind = match value {
                            Some(_) => {
                                grammar::param::known_param(name, Some(&cur.s[vstart..vend]))
                                    .map_or(HeaderValueErrorKind::BadParam, |(k, _)| k)
                            }
                            None => HeaderValueErrorKind::BadParam,
                        };
                        let part = match value {
                            Some(_) => part_of(name).unwrap_or(Part::Param),
                            None => Part::Param,
                        };
                        defects.push(
                            Defect::new(part, Span::new(cur.base + vstart, cur.base + vend), kind)
                                .at(cur.base + end),
                        );
                        cur.pos = start + skipped;
                        continue;
                    }
                }
                if n_seen < MAX_PARAMS {
                    let again = seen[..n_seen].iter().position(|&(o, l, _)| {
                        cur.s
                            .get(o as usize..(o + l) as usize)
                            .is_some_and(|n| n.eq_ignore_ascii_case(name))
                    });
                    if let Some(i) = again {
                        first_rep = Some(first_rep.map_or(i, |j| j.min(i)));
                    }
                    // Offsets fit: `Cursor` values are bounded by the head.
                    let at = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
                    seen[n_seen] = (at(start), at(name.len()), at(end));
                    n_seen += 1;
                }
                let value_span = value.map(|v| Span::new(cur.base + end - v.len(), cur.base + end));
                let noted = note_param(
                    name,
                    (value, false),
                    value_span,
                    cur.base + start,
                    known,
                    note,
                    first,
                );
                if let Some((k, Some((kind, off)))) = noted {
                    let span = value_span
                        .unwrap_or(Span::new(cur.base + start, cur.base + start + name.len()));
                    defects.push(Defect::new(known[k].1, span, kind).at(span.start + off));
                } else if let (Some(v), Some(span)) = (value, value_span) {
                    // A parameter without a production of its own is a
                    // `generic-param`: its value read leniently is still
                    // reported when it is no strict `gen-value`.
                    // With `at_in_values`, a value holding an `@` is left
                    // to the caller (after a bare URI it is the URI's user
                    // part cut at a `;`: `addr-spec-needs-angle-brackets`).
                    let at_left = at_in_values && v.contains(&b'@');
                    if let Some(off) = lenient_gen_value(name, v).filter(|_| !at_left) {
                        defects.push(
                            Defect::new(Part::Param, span, HeaderValueErrorKind::BadParam)
                                .at(span.start + off),
                        );
                    }
                }
            }
            Err(e) => {
                let part = grammar::text::token(i)
                    .ok()
                    .and_then(|(_, n)| part_of(n))
                    .unwrap_or(Part::Param);
                let skipped = grammar::param::skip_param(i).map_or(i.len(), |(_, s)| s.len());
                let trimmed = crate::lex::trim_lws(&i[..skipped]).len();
                defects.push(
                    Defect::new(
                        part,
                        Span::new(cur.base + start, cur.base + start + trimmed),
                        grammar::param::param_error_kind(&e),
                    )
                    .at(cur.base + start + grammar::error_offset(i, &e)),
                );
                cur.pos = start + skipped;
            }
        }
    }
    let end = cur.pos;
    *repeated = first_rep.map(|i| {
        let (o, _, e) = seen[i];
        Span::new(cur.base + o as usize, cur.base + e as usize)
    });
    LaxParams {
        s: &cur.s[region_start..end],
        base: cur.base + region_start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(s: &[u8]) -> Result<(Params<'_>, usize), HeaderValueError> {
        let mut c = Cursor::new(s, 100);
        let p = scan_params(&mut c)?;
        Ok((p, c.pos))
    }

    #[test]
    fn parses_generic_params_with_lws_and_quotes() {
        let s = b" ;branch=z9hG4bK1 ; rport ;received=[2001:db8::1];text=\"a;b\" , next";
        let (p, stop) = scan(s).unwrap();
        assert_eq!(&s[stop..], b" , next");
        let v: Vec<_> = p.iter().map(|p| (p.name(), p.value())).collect();
        assert_eq!(
            v,
            vec![
                ("branch", Some(&b"z9hG4bK1"[..])),
                ("rport", None),
                ("received", Some(&b"[2001:db8::1]"[..])),
                ("text", Some(&b"\"a;b\""[..])),
            ]
        );
        let b = p.get("BRANCH").unwrap();
        assert_eq!(b.value_span().unwrap(), Span::new(100 + 9, 100 + 17));
        assert_eq!(
            &s[b.value_span().unwrap().shift(0).start - 100..][..8],
            b"z9hG4bK1"
        );
        assert_eq!(p.get("text").unwrap().value_unquoted(), Some(&b"a;b"[..]));
        assert!(p.first_repeated().is_none());
    }

    #[test]
    fn unbracketed_ipv6_value() {
        let (p, _) = scan(b";received=2001:db8::9:255").unwrap();
        assert_eq!(
            p.get("received").unwrap().value(),
            Some(&b"2001:db8::9:255"[..])
        );
    }

    #[test]
    fn errors_are_located() {
        assert_eq!(
            scan(b";").unwrap_err().kind(),
            HeaderValueErrorKind::BadParam
        );
        assert_eq!(scan(b";a=").unwrap_err().offset(), 103);
        assert_eq!(
            scan(b";a=\"x").unwrap_err().kind(),
            HeaderValueErrorKind::UnterminatedQuote
        );
        let many = ";a".repeat(MAX_PARAMS + 1);
        assert_eq!(
            scan(many.as_bytes()).unwrap_err().kind(),
            HeaderValueErrorKind::TooManyParams
        );
    }

    #[test]
    fn repeated_names() {
        let (p, _) = scan(b";tag=1;x;TAG=2").unwrap();
        assert_eq!(p.first_repeated().unwrap().name(), "tag");
        assert!(Params::EMPTY.is_empty());
    }
}
