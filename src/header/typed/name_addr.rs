//! `name-addr` / `addr-spec` followed by header parameters, the common shape
//! of From, To, Contact, Route and Record-Route (RFC 3261 §20, §25.1):
//!
//! ```text
//! ( name-addr / addr-spec ) *( SEMI generic-param )
//! name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
//! addr-spec    = SIP-URI / SIPS-URI / absoluteURI
//! display-name = *(token LWS) / quoted-string
//! LAQUOT       = SWS "<"    RAQUOT = ">" SWS
//! ```
//!
//! Choices:
//! - `LAQUOT = SWS "<"`, so no LWS is needed between a display name and `<`
//!   (RFC 4475 §3.1.1.6 `lwsdisp`: `caller<sip:caller@example.com>`).
//! - A quoted display name may hold quoted-pairs, including escaped quotes
//!   and control characters (RFC 4475 §3.1.1.1 `wsinv`, §3.1.1.2 `intmeth`);
//!   it is kept raw. A quote with no closing quote (RFC 4475 §3.1.2.6
//!   `quotbal`) is `UnterminatedQuote` at the opening quote.
//! - No LWS inside `<` `>` (RFC 4475 §3.1.2.14 `badaspec`):
//!   `UnexpectedChar` at the first white-space byte.
//! - An unquoted display name is `token *(LWS token)`; a comma or another
//!   non-token byte before `<` (RFC 4475 §3.1.2.15 `baddn`, `Bell, Alexander
//!   <sip:...>`) is rejected with `UnexpectedChar` at that byte. RFC 4475
//!   calls the message invalid; in a list header (Contact, Route) the comma
//!   would also split the value, so accepting it in From/To alone would give
//!   the same bytes two meanings.
//! - In the bare `addr-spec` form the URI ends at the first `;` (or LWS):
//!   any parameters after it are header parameters (RFC 3261 §20 intro,
//!   §20.10; RFC 8217 §3). A bare URI that still carries URI syntax that
//!   needs brackets is parsed but flagged by
//!   [`NameAddr::needs_angle_brackets`] (rule
//!   `addr-spec-needs-angle-brackets`, RFC 4475 §3.1.2.13 `regbadct`).

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::grammar::{self, Defect, Defects, Part};
use crate::header::param::{
    read_common_params, scan_params_lax_noting, KnownParam, LaxParams, Param, Params,
};
use crate::header::typed::uri::Uri;
use crate::header::typed::LaxReading;
use crate::lex;
use crate::Span;

/// An address with optional display name and its header parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameAddr<'a> {
    raw: &'a [u8],
    base: usize,
    display: Option<(usize, usize)>,
    display_quoted: bool,
    /// `<` .. `>` inclusive, for the bracketed form.
    angle: Option<(usize, usize)>,
    uri: Uri<'a>,
    params: Params<'a>,
    /// The first parameter a later one repeats, found by the one scan.
    repeated: Option<Span>,
    /// The first `tag` parameter, noted by the one scan.
    tag: KnownParam,
}

impl<'a> NameAddr<'a> {
    /// Parses one address value (`value` trimmed, folds allowed as LWS);
    /// `base` is the absolute offset of `value[0]`.
    ///
    /// This is the lax reading ([`NameAddr::parse_lax`]) with no defect:
    /// one grammar reads both, and the first defect, if any, is the error.
    pub fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        Self::parse_strict_with(value, base, &[])
    }

    /// `NameAddr::parse_lax_with(value, base, known, false).strict()`, with
    /// the common value ([`read_common`]) made a strict reading at once:
    /// the lax reading (700 octets with its defect list) is neither built
    /// nor copied for a value that has no defect to locate.
    pub(crate) fn parse_strict_with(
        value: &'a [u8],
        base: usize,
        known: &[(&str, Part)],
    ) -> Result<Self, HeaderValueError> {
        match common_parts(value, base, known) {
            Some(c) => Ok(NameAddr {
                raw: value,
                base,
                display: c.display,
                display_quoted: c.display_quoted,
                angle: Some((c.lt, c.gt + 1)),
                uri: c.uri,
                params: c.params.as_params(),
                repeated: None,
                tag: c.noted[TAG],
            }),
            None => Self::parse_lax_general(value, base, known, false).strict(),
        }
    }

    /// The whole value as given.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }

    /// The display name without surrounding quotes (quoted-pairs still
    /// escaped, since unescaping would need a copy).
    pub fn display_name_unquoted(&self) -> Option<&'a [u8]> {
        let d = self.display_name()?;
        if self.display_quoted {
            d.get(1..d.len().saturating_sub(1))
        } else {
            Some(d)
        }
    }

    /// The address.
    pub fn uri(&self) -> Uri<'a> {
        self.uri
    }

    /// The header parameters after the address (not the URI's parameters).
    pub fn params(&self) -> Params<'a> {
        self.params
    }

    /// The first header parameter named `name` (case-insensitive).
    pub fn param(&self, name: &str) -> Option<Param<'a>> {
        self.params.get(name)
    }

    /// The span of the first header parameter whose name a later one
    /// repeats (what [`Params::first_repeated`] finds), noted while
    /// reading, so that `header-param-repeated` walks nothing again.
    pub(crate) fn repeated_param(&self) -> Option<Span> {
        self.repeated
    }

    /// The first `tag` parameter as the reading noted it (present, its
    /// value a token, where its name and value are), so that From and To
    /// find their tag without walking the parameters again.
    pub(crate) fn noted_tag(&self) -> KnownParam {
        self.tag
    }

    /// True when a bare `addr-spec` looks like it wanted URI syntax that
    /// needs `<>`: the URI holds `,` or `?`, or a header parameter holds an
    /// `@` (a `;` meant as part of the user, RFC 4475 `semiuri` written bare)
    /// or is named as a URI parameter that means nothing as a header
    /// parameter (`sip:a@b;transport=ws`, `sip:+1@b;user=phone`: the peer
    /// loses the transport or the number's meaning).
    /// RFC 3261 §20 (intro) and §20.10, RFC 8217 §3; rule
    /// `addr-spec-needs-angle-brackets`. Always false for the bracketed form.
    pub fn needs_angle_brackets(&self) -> bool {
        if self.is_bracketed() {
            return false;
        }
        let u = self.uri.as_bytes();
        u.contains(&b',')
            || u.contains(&b'?')
            || self.params.iter().any(|p| {
                p.value()
                    .is_some_and(|v| !p.is_quoted() && v.contains(&b'@'))
                    || URI_PARAM_NAMES.iter().any(|n| p.is(n))
            })
    }
}

/// URI parameters (RFC 3261 §19.1.1 `uri-parameter`; RFC 5626 §5.4 `ob`,
/// RFC 5627 §3.1 `gr`, RFC 3486 §2.2 `comp`) that no From, To, Reply-To or
/// Contact header parameter shares: after a bare URI they show a `;` meant
/// as URI syntax.
const URI_PARAM_NAMES: [&str; 9] = [
    "transport",
    "user",
    "method",
    "ttl",
    "maddr",
    "lr",
    "ob",
    "gr",
    "comp",
];

/// The accessors of the address form that [`NameAddr`] and [`NameAddrLax`]
/// share, written once: both keep the value `raw` at absolute offset
/// `base`, the display name at `display` (offsets in `raw`) and whether it
/// is quoted, and the `<...>` at `angle`.
macro_rules! addr_form_api {
    ($ty:ident) => {
        impl<'a> $ty<'a> {
            /// Absolute span of the whole value as given (the message layer
            /// hands values over trimmed of LWS; the strict and the lax
            /// reading give the same span, whatever the input).
            pub fn span(&self) -> Span {
                Span::new(self.base, self.base + self.raw.len())
            }

            /// True for the `name-addr` form (`<...>`), false for a bare
            /// `addr-spec`.
            pub fn is_bracketed(&self) -> bool {
                self.angle.is_some()
            }

            /// Absolute span of `<...>` (brackets included), for the
            /// bracketed form.
            pub fn angle_span(&self) -> Option<Span> {
                self.angle
                    .map(|(a, b)| Span::new(self.base + a, self.base + b))
            }

            /// The display name as sent, when there is one: quotes and
            /// quoted-pair escapes kept for a quoted-string, tokens and the
            /// LWS between them for the token form.
            pub fn display_name(&self) -> Option<&'a [u8]> {
                self.display.and_then(|(a, b)| self.raw.get(a..b))
            }

            /// Absolute span of the display name as sent.
            pub fn display_name_span(&self) -> Option<Span> {
                self.display
                    .map(|(a, b)| Span::new(self.base + a, self.base + b))
            }

            /// True when the display name is a quoted-string.
            pub fn display_name_is_quoted(&self) -> bool {
                self.display_quoted
            }
        }
    };
}

addr_form_api!(NameAddr);
addr_form_api!(NameAddrLax);

/// A lax reading of a `name-addr` / `addr-spec` value and its header
/// parameters ([`NameAddr::parse_lax`], and the From, To and Contact
/// readings built on it): the display name, the URI and each parameter are
/// read on their own; every part that fails its production is one located
/// [`Defect`]: `DisplayName`, `Uri`, `Param`, the
/// known parameters (`Tag`, `Q`, `Expires`) or `Value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameAddrLax<'a> {
    raw: &'a [u8],
    base: usize,
    star: bool,
    display: Option<(usize, usize)>,
    display_quoted: bool,
    angle: Option<(usize, usize)>,
    uri_span: Option<Span>,
    uri: Option<Uri<'a>>,
    params: LaxParams<'a>,
    /// The first parameter a later one repeats (see
    /// [`NameAddr::repeated_param`]).
    repeated: Option<Span>,
    /// The first `tag`, `q` and `expires` ([`NOTED`]'s order), noted by the
    /// one scan of the parameters so the accessors do not read them again.
    noted: [KnownParam; NOTED.len()],
    defects: Defects,
}

/// The parameters a [`NameAddrLax`] notes while scanning.
const NOTED: [&str; 3] = ["tag", "q", "expires"];
const TAG: usize = 0;
const Q: usize = 1;
const EXPIRES: usize = 2;

impl<'a> NameAddrLax<'a> {
    /// The defects found, in the order of the value (empty: the value is valid).
    pub fn defects(&self) -> &Defects {
        &self.defects
    }

    /// True for a Contact `*` (then there is no address).
    pub fn is_star(&self) -> bool {
        self.star
    }

    /// The whole value as given.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }

    /// The URI, when it matches its grammar.
    pub fn uri(&self) -> Option<Uri<'a>> {
        self.uri
    }

    /// Absolute span of the URI's bytes as found (valid or not).
    pub fn uri_span(&self) -> Option<Span> {
        self.uri_span
    }

    /// The well-formed header parameters.
    pub fn params(&self) -> LaxParams<'a> {
        self.params
    }

    /// The `tag` value when present and a token (`;tag` and `;tag=` are a
    /// [`Part::Tag`] defect and mean no tag).
    pub fn tag(&self) -> Option<&'a [u8]> {
        self.noted_value(TAG)
    }

    /// The bytes of the noted parameter `k`'s valid value.
    fn noted_value(&self, k: usize) -> Option<&'a [u8]> {
        let sp = self.noted[k].valid_value()??;
        self.raw.get(sp.start - self.base..sp.end - self.base)
    }

    /// Absolute span of the valid `tag` value.
    pub fn tag_span(&self) -> Option<Span> {
        self.noted[TAG].valid_value()?
    }

    /// The `q` parameter in thousandths, when present and a `qvalue`.
    pub fn q(&self) -> Option<u16> {
        let v = self.noted_value(Q)?;
        grammar::number::qvalue(v).ok().map(|(_, q)| q)
    }

    /// The `expires` parameter, when present and `delta-seconds` that fits
    /// 64 bits.
    pub fn expires(&self) -> Option<u64> {
        lex::parse_u64(self.noted_value(EXPIRES)?)
    }
}

impl<'a> NameAddrLax<'a> {
    /// The strict reading: the value when no part failed, else the first
    /// defect as the error (its kind, at the offending byte).
    pub(crate) fn strict(&self) -> Result<NameAddr<'a>, HeaderValueError> {
        if let Some(d) = self.defects.first() {
            return Err(HeaderValueError::new(d.kind, d.at));
        }
        match self.uri {
            Some(uri) if !self.star => Ok(NameAddr {
                raw: self.raw,
                base: self.base,
                display: self.display,
                display_quoted: self.display_quoted,
                angle: self.angle,
                uri,
                params: self.params.as_params(),
                repeated: self.repeated,
                tag: self.noted[TAG],
            }),
            _ => Err(HeaderValueError::new(
                HeaderValueErrorKind::BadUri,
                self.base,
            )),
        }
    }
}

impl LaxReading for NameAddrLax<'_> {
    fn defects(&self) -> &Defects {
        &self.defects
    }
}

impl<'a> NameAddr<'a> {
    /// Reads `( name-addr / addr-spec ) *( SEMI generic-param )` laxly;
    /// `known` names the header parameters with a production of their own
    /// and the part their defects are filed under (From/To: `tag`;
    /// Contact: `q`, `expires`). With `star`, a lone `*` (and its
    /// parameters) is the Contact wildcard. Never fails, never allocates.
    pub(crate) fn parse_lax_with(
        value: &'a [u8],
        base: usize,
        known: &[(&str, Part)],
        star: bool,
    ) -> NameAddrLax<'a> {
        if let Some(read) = read_common(value, base, known) {
            return read;
        }
        Self::parse_lax_general(value, base, known, star)
    }

    /// [`NameAddr::parse_lax_with`] for any value: the authority, which
    /// [`read_common`] must agree with.
    fn parse_lax_general(
        value: &'a [u8],
        base: usize,
        known: &[(&str, Part)],
        star: bool,
    ) -> NameAddrLax<'a> {
        use HeaderValueErrorKind as K;
        let mut lax = NameAddrLax {
            raw: value,
            base,
            star: false,
            display: None,
            display_quoted: false,
            angle: None,
            uri_span: None,
            uri: None,
            params: LaxParams::default(),
            repeated: None,
            noted: [KnownParam::default(); NOTED.len()],
            defects: Defects::new(),
        };
        let mut cur = Cursor::new(value, base);
        cur.skip_lws();
        if cur.at_end() {
            lax.defects
                .push(Defect::new(Part::Value, cur.span_from(cur.pos), K::Empty));
            return lax;
        }
        let start = cur.pos;
        // `*` is the wildcard only when the value ends after it (or
        // parameters follow, which it may not take): `* <sip:a@b>` is a
        // name-addr whose display name is the token `*`, as the strict
        // reading reads it (found by the `typed_headers` fuzz target).
        if star
            && cur.peek() == Some(b'*')
            && value
                .get(start + 1)
                .is_none_or(|&b| lex::is_lws(b) || b == b';')
            && value
                .get(lex::skip_lws(value, start + 1))
                .is_none_or(|&b| b == b';')
        {
            lax.star = true;
            cur.pos += 1;
        } else {
            lax.read_addr(&mut cur, start);
        }
        lax.params = scan_params_lax_noting(
            &mut cur,
            known,
            &mut lax.defects,
            Some(&NOTED),
            &mut lax.noted,
            &mut lax.repeated,
            // After a bare URI, a parameter value holding an `@` is the
            // URI's user part cut at a `;` (RFC 4475 `semiuri` written
            // without `<>`): `needs_angle_brackets` names that, so the
            // lenient value is not also a generic-param defect.
            lax.angle.is_none(),
        );
        // `Contact: STAR` takes no parameters (RFC 3261 §20.10, §25.1:
        // `STAR / (contact-param *(COMMA contact-param))`).
        if lax.star && !lax.params.span().is_empty() {
            let p = lax.params.span();
            lax.defects
                .push(Defect::new(Part::Value, p, K::UnexpectedChar).at(p.start));
        }
        cur.skip_lws();
        if !cur.at_end() {
            lax.defects.push(Defect::new(
                Part::Value,
                Span::new(base + cur.pos, base + value.len()),
                K::Trailing,
            ));
        }
        lax
    }

    /// Reads `( name-addr / addr-spec ) *( SEMI generic-param )` laxly,
    /// with `tag` as the one header parameter checked against its own
    /// production (the From and To readings; see [`NameAddrLax`]).
    pub fn parse_lax(value: &'a [u8], base: usize) -> NameAddrLax<'a> {
        Self::parse_lax_with(value, base, &[("tag", Part::Tag)], false)
    }
}

impl<'a> NameAddrLax<'a> {
    /// Reads the display name and the address at `start`, leaving the
    /// cursor after them (before the header parameters).
    fn read_addr(&mut self, cur: &mut Cursor<'a>, start: usize) {
        use HeaderValueErrorKind as K;
        let value = cur.s;
        let base = cur.base;
        let i = &value[start..];
        // The first `<` outside a quoted string from `from`, if any before
        // a `;`.
        let angle_from = |from: usize| {
            let mut j = from;
            while j < value.len() {
                match value[j] {
                    b'<' => return Some(j),
                    b'"' => j = lex::quoted_string_end(value, j).unwrap_or(value.len()),
                    b';' => return None,
                    _ => j += 1,
                }
            }
            None
        };
        // Where the LWS before `hi` starts, not before `lo`: the end of the
        // bytes a display-name defect names.
        let lws_before = |lo: usize, mut hi: usize| {
            while hi > lo && lex::is_lws(value[hi - 1]) {
                hi -= 1;
            }
            hi
        };
        let mut from = start;
        // The defect of an address that lacks its brackets after a quoted
        // display name; pushed at the end unless the bare URI read from
        // there fails too, whose defect then stands for both (one failing
        // part, one defect, with the URI's span).
        let mut bare_after_quoted = None;
        let first = grammar::addr::addr(i);
        match &first {
            Ok((_, a)) if a.angle.is_none() && angle_from(start).is_some() => {
                // A display name with bytes that are neither token nor LWS
                // (`Bell, Alexander <sip:...>`): a display-name defect, and
                // the address is read from the `<`.
                let lt = angle_from(start).unwrap_or(start);
                let end = lws_before(start, lt);
                let bad = (start..end)
                    .find(|&k| !lex::is_token(value[k]) && !lex::is_lws(value[k]))
                    .unwrap_or(start);
                self.defects.push(
                    Defect::new(
                        Part::DisplayName,
                        Span::new(base + start, base + end),
                        K::UnexpectedChar,
                    )
                    .at(base + bad),
                );
                from = lt;
            }
            Err(nom::Err::Error(e)) if e.code == nom::error::ErrorKind::Escaped => {
                // Unterminated quoted display name: it runs to the end.
                self.defects.push(
                    Defect::new(
                        Part::DisplayName,
                        Span::new(base + start, base + value.len()),
                        K::UnterminatedQuote,
                    )
                    .at(base + start + grammar::offset(i, e.input)),
                );
                cur.pos = value.len();
                return;
            }
            Err(nom::Err::Error(e))
                if i.first() == Some(&b'"') && e.input.first() != Some(&b'<') =>
            {
                // A quoted display name not followed by `<`: the address
                // lacks its brackets; read it bare.
                let d_end =
                    grammar::addr::display_name(i).map_or(start, |(_, (d, _))| start + d.len());
                self.display = Some((start, d_end));
                self.display_quoted = true;
                let at = start + grammar::offset(i, e.input);
                if at >= value.len() {
                    self.defects
                        .push(Defect::new(Part::Uri, Span::empty(base + at), K::Missing));
                    cur.pos = value.len();
                    return;
                }
                if let Some(lt) = angle_from(at) {
                    // Bytes after the quoted string and before a `<`
                    // (`"a"\"" <sip:...>`): one display-name defect over
                    // them, and the address is read from the `<` (reading
                    // it bare from the junk would cut the URI at its own
                    // `;` and blame its parameters a second time).
                    let end = lws_before(at, lt);
                    self.defects.push(
                        Defect::new(
                            Part::DisplayName,
                            Span::new(base + at, base + end.max(at + 1)),
                            K::UnexpectedChar,
                        )
                        .at(base + at),
                    );
                    from = lt;
                } else {
                    bare_after_quoted = Some(
                        Defect::new(
                            Part::Uri,
                            Span::new(base + at, base + at),
                            K::UnexpectedChar,
                        )
                        .at(base + at),
                    );
                    from = at;
                }
            }
            _ => {}
        }
        let i = &value[from..];
        // Read again only from where the first reading was found wanting.
        let read = if from == start {
            first
        } else {
            grammar::addr::addr(i)
        };
        match read {
            Ok((rest, a)) => {
                if from == start {
                    if let Some((d, quoted)) = a.display {
                        self.display = Some((start, start + d.len()));
                        self.display_quoted = quoted;
                    }
                }
                let mut end = from + grammar::offset(i, rest);
                let (ustart, mut uend) = match a.angle {
                    Some(angle) => {
                        let lt = end - angle.len();
                        self.angle = Some((lt, end));
                        (lt + 1, end - 1)
                    }
                    None => (end - a.uri.len(), end),
                };
                // A bare URI broken by LWS (`sip: 172.17.2.2:5060`): the
                // rest up to the parameters belongs to it.
                if a.angle.is_none() {
                    let j = lex::skip_lws(value, end);
                    if j < value.len() && value[j] != b';' {
                        end = value[j..]
                            .iter()
                            .position(|&b| b == b';')
                            .map_or(value.len(), |k| j + k);
                        uend = end;
                        while uend > ustart && lex::is_lws(value[uend - 1]) {
                            uend -= 1;
                        }
                    }
                }
                self.uri_span = Some(Span::new(base + ustart, base + uend));
                let uri_bytes = &value[ustart..uend];
                let uri_defect = match uri_bytes.iter().position(|&b| lex::is_lws(b)) {
                    Some(ws) => Some(
                        Defect::new(
                            Part::Uri,
                            Span::new(base + ustart, base + uend),
                            K::UnexpectedChar,
                        )
                        .at(base + ustart + ws),
                    ),
                    None => match Uri::parse(uri_bytes, base + ustart) {
                        Ok(u) => {
                            self.uri = Some(u);
                            None
                        }
                        Err(e) => Some(
                            Defect::new(Part::Uri, Span::new(base + ustart, base + uend), e.kind())
                                .at(e.offset()),
                        ),
                    },
                };
                // The bare URI read where the brackets were missing failed
                // too: the same bytes, one defect (the URI's, which spans
                // them). A URI failing elsewhere (`"a"J<sip:...>`, read
                // from the `<`) is a second part, with its own defect.
                let same_bytes = |m: &Defect, d: &Defect| d.span.start == m.span.start;
                match (bare_after_quoted, uri_defect) {
                    (Some(m), Some(d)) if same_bytes(&m, &d) => self.defects.push(d),
                    (m, d) => {
                        for d in [m, d].into_iter().flatten() {
                            self.defects.push(d);
                        }
                    }
                }
                cur.pos = end;
            }
            Err(_) => {
                if let Some(d) = bare_after_quoted {
                    self.defects.push(d);
                }
                // `<` with no `>`: the rest is the unterminated address.
                self.defects.push(Defect::new(
                    Part::Uri,
                    Span::new(base + from, base + value.len()),
                    K::UnterminatedAngle,
                ));
                cur.pos = value.len();
            }
        }
    }
}

/// The address value nearly every element sends, read in one pass without
/// the general lax reader's combinators: an optional display name (tokens
/// separated by single SPs, or a quoted string of printable ASCII without
/// escapes, then at most one SP), `<`, a URI without white space that
/// [`Uri::parse`] reads, `>`, then the parameters of
/// [`read_common_params`]. Its result is then the general reader's, which
/// finds no defect in such a value; anything else (the bare `addr-spec`
/// form, folds and other white space, escapes, a defect) is `None`, and the
/// general reader takes it. A property test and the `typed_headers` fuzz
/// target compare the two readers.
///
/// Why: the validator reads every From, To, Contact and Record-Route value;
/// past the URI, the general reader spends about a thousand instructions a
/// value on the display name, the brackets and the parameters.
fn read_common<'a>(
    value: &'a [u8],
    base: usize,
    known: &[(&str, Part)],
) -> Option<NameAddrLax<'a>> {
    let c = common_parts(value, base, known)?;
    Some(NameAddrLax {
        raw: value,
        base,
        star: false,
        display: c.display,
        display_quoted: c.display_quoted,
        angle: Some((c.lt, c.gt + 1)),
        uri_span: Some(Span::new(base + c.lt + 1, base + c.gt)),
        uri: Some(c.uri),
        params: c.params,
        repeated: None,
        noted: c.noted,
        defects: Defects::new(),
    })
}

/// What [`read_common`] reads of a common value, before it is made a
/// lax reading (or, by [`NameAddr::parse_strict_with`], a strict one).
struct Common<'a> {
    display: Option<(usize, usize)>,
    display_quoted: bool,
    /// Where `<` and `>` are.
    lt: usize,
    gt: usize,
    uri: Uri<'a>,
    params: LaxParams<'a>,
    noted: [KnownParam; NOTED.len()],
}

/// The parts of a value [`read_common`] takes, or `None`.
fn common_parts<'a>(value: &'a [u8], base: usize, known: &[(&str, Part)]) -> Option<Common<'a>> {
    let (display, display_quoted, lt) = match *value.first()? {
        b'<' => (None, false, 0),
        b'"' => {
            let close = 1 + value[1..]
                .iter()
                .position(|&b| !(b' '..=b'~').contains(&b) || b == b'"' || b == b'\\')?;
            if value[close] != b'"' {
                return None;
            }
            let lt = match value.get(close + 1) {
                Some(b'<') => close + 1,
                Some(b' ') if value.get(close + 2) == Some(&b'<') => close + 2,
                _ => return None,
            };
            (Some((0, close + 1)), true, lt)
        }
        _ => {
            // token *(SP token), then SP or nothing, then `<`.
            let mut j = 0;
            loop {
                let end = lex::token_end(value, j);
                if end == j {
                    return None;
                }
                j = end;
                match *value.get(j)? {
                    b'<' => break (Some((0, j)), false, j),
                    b' ' if value.get(j + 1) == Some(&b'<') => break (Some((0, j)), false, j + 1),
                    b' ' => j += 1,
                    _ => return None,
                }
            }
        }
    };
    let gt = lt + 1 + lex::find_byte(b'>', &value[lt + 1..])?;
    // No URI production takes white space or a line ending, so a URI with
    // LWS inside the brackets fails here and goes to the general reader.
    let uri = Uri::parse(&value[lt + 1..gt], base + lt + 1).ok()?;
    let mut noted = [KnownParam::default(); NOTED.len()];
    let params = read_common_params(value, gt + 1, base, known, Some(&NOTED), &mut noted)?;
    Some(Common {
        display,
        display_quoted,
        lt,
        gt,
        uri,
        params,
        noted,
    })
}

/// Compares [`read_common`] with the general lax reader on `value` (for the
/// tests and the fuzz targets): where the common path reads a value, the
/// general reader must give the same reading and find no defect. True when
/// the common path read it.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn check_read_common(
    value: &[u8],
    base: usize,
    known: &[(&str, Part)],
    star: bool,
) -> bool {
    let Some(common) = read_common(value, base, known) else {
        return false;
    };
    let general = NameAddr::parse_lax_general(value, base, known, star);
    assert_eq!(
        common,
        general,
        "the common address path disagrees with the general reader on {:?}",
        String::from_utf8_lossy(value)
    );
    assert!(general.defects().is_empty());
    true
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use HeaderValueErrorKind as K;

    /// Pieces of address values: the common path's shapes and what must
    /// send a value to the general reader.
    mod common_props {
        use super::super::check_read_common;
        use crate::grammar::Part;
        use proptest::prelude::*;

        const DISPLAY: &[&[u8]] = &[
            b"",
            b"Alice ",
            b"Alice",
            b"Bob Smith ",
            b"Bob  Smith ",
            b"\"Alice\" ",
            b"\"Alice\"",
            b"\"A. Lice, Esq.\" ",
            b"\"a\\\"b\" ",
            b"\"a\\\" ",
            b"\"a\\\\\" ",
            b"\"\" ",
            b"\"\x01\" ",
            b"\"\xc3\xa9\" ",
            b"\"unterminated ",
            b"Bell, Alexander ",
            b"* ",
            b"*",
            b" ",
            b"\t",
        ];
        const URI: &[&[u8]] = &[
            b"<sip:alice@atlanta.com>",
            b"<sip:bob@192.0.2.4:5060;transport=udp>",
            b"<sips:x@[2001:db8::1]:5061>",
            b"<tel:+1-201-555-0123>",
            b"<sip:proxy1.atlanta.example.com;lr>",
            b"<urn:service:sos>",
            b"<http://example.com/x?y=1>",
            b"<sip:%41@b>",
            b"<sip:a b@c>",
            b"<sip:>",
            b"<>",
            b"<sip:a@b",
            b"<sip:a@b>>",
            b"sip:alice@atlanta.com",
            b"<sip:a@b?subject=x&priority=urgent>",
            b"<SIP:A@B>",
            b"<sip:a@b\r\n >",
        ];
        const PARAM: &[&[u8]] = &[
            b";tag=1928301774",
            b";tag",
            b";tag=",
            b";TAG=x",
            b";tag=a/b",
            b";q=0.7",
            b";q=1.5",
            b";q",
            b";expires=3600",
            b";expires=x",
            b";lr",
            b";+sip.instance=\"<urn:uuid:1>\"",
            b";x=y",
            b";x=[::1]",
            b";x=[D4909701-00e9d478",
            b";x=a[b",
            b"; tag=1",
            b";tag =1",
            b";a=b,c",
            b";a=b c",
            b";;",
            b";=",
            b";",
            b";rport",
        ];
        const END: &[&[u8]] = &[b"", b"", b" ", b",", b";", b">", b"\r\n"];
        const KNOWN: &[&[(&str, Part)]] = &[
            &[],
            &[("tag", Part::Tag)],
            &[("q", Part::Q), ("expires", Part::Expires)],
        ];

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4096))]
            #[test]
            fn common_path_agrees_with_the_general_reader(
                d in 0..DISPLAY.len(),
                u in 0..URI.len(),
                params in proptest::collection::vec(0..PARAM.len(), 0..10),
                e in 0..END.len(),
                k in 0..KNOWN.len(),
                star in any::<bool>(),
                base in 0usize..100_000,
            ) {
                let mut v = DISPLAY[d].to_vec();
                v.extend_from_slice(URI[u]);
                for &i in &params {
                    v.extend_from_slice(PARAM[i]);
                }
                v.extend_from_slice(END[e]);
                check_read_common(&v, base, KNOWN[k], star);
            }
        }

        #[test]
        fn common_path_reads_the_usual_values() {
            let tag: &[(&str, Part)] = &[("tag", Part::Tag)];
            for v in [
                &b"Alice <sip:alice@atlanta.com>;tag=1928301774"[..],
                b"\"Bob\" <sips:bob@biloxi.com>",
                b"<sip:bob@192.0.2.4>",
                b"<sip:proxy1.atlanta.example.com;lr>",
                b"Anonymous<sip:c8oqz84zk7z@privacy.org>;tag=hyh8",
                b"<sip:a@b>;q=2",
            ] {
                assert!(
                    check_read_common(v, 10, tag, false),
                    "{:?}",
                    String::from_utf8_lossy(v)
                );
            }
            for v in [
                &b"sip:alice@atlanta.com;tag=1"[..],
                b"<sip:a@b>;tag",
                b"<sip:a@b>;tag=1;tag=2",
                b"Bob  Smith <sip:a@b>",
                b"\"a\\\"b\" <sip:a@b>",
                b"<sip:a@b> ;tag=1",
            ] {
                assert!(
                    !check_read_common(v, 10, tag, false),
                    "{:?}",
                    String::from_utf8_lossy(v)
                );
            }
        }

        /// Every From, To, Contact and Record-Route value of the test
        /// messages: the two readers agree, and the common path reads most.
        #[test]
        fn common_path_agrees_on_the_corpus() {
            use crate::KnownHeader as H;
            let headers = [H::From, H::To, H::Contact, H::RecordRoute, H::Route];
            let (values, common) = crate::test_corpus::each_element(&headers, |h, v, at| {
                let known = match h {
                    H::From | H::To => KNOWN[1],
                    H::Contact => KNOWN[2],
                    _ => KNOWN[0],
                };
                check_read_common(v, at, known, h == H::Contact)
            });
            assert!(values > 1000 && common * 2 > values, "{common} of {values}");
        }
    }

    const BASE: usize = 200;

    fn at(s: &[u8], part: &[u8]) -> Span {
        let i = s.windows(part.len()).position(|w| w == part).unwrap();
        Span::new(BASE + i, BASE + i + part.len())
    }

    /// `tag`, `q` and `expires` are read from what the scan noted; walking
    /// the parameters again must give the same answers, also for repeated,
    /// invalid and glued ones, whichever names the reading checks.
    #[test]
    fn noted_params_agree_with_a_walk() {
        let cases: &[&[u8]] = &[
            b"<sip:a@b>;tag=1;q=0.5;expires=60",
            b"<sip:a@b>;TAG=x;tag=y;Q=1;q=0.2;expires=a;EXPIRES=5",
            b"<sip:a@b>;tag;q=2;expires=;tag=z",
            b"<sip:a@b>;a;b=1;c;B=2;a",
            b"<sip:a@b>;tag=a/b=;q=0.1x;expires=1",
            b"sip:a@b ; tag = t ; q = 0.25",
            b"* ;expires=0",
            b"\"x\" <sip:a@b>;;=;tag=\"q\"",
            b"",
        ];
        let knowns: [&[(&str, Part)]; 3] = [
            &[],
            &[("tag", Part::Tag)],
            &[("q", Part::Q), ("expires", Part::Expires)],
        ];
        for &c in cases {
            for known in knowns {
                for base in [0, 77] {
                    let l = NameAddr::parse_lax_with(c, base, known, true);
                    let p = l.params();
                    let val = |n: &str| p.get_valid(n).and_then(|q| q.value());
                    let ctx = String::from_utf8_lossy(c);
                    assert_eq!(l.tag(), val("tag"), "{ctx}");
                    assert_eq!(
                        l.tag_span(),
                        p.get_valid("tag").and_then(|q| q.value_span()),
                        "{ctx}"
                    );
                    assert_eq!(
                        l.q(),
                        val("q").and_then(|v| grammar::number::qvalue(v).ok().map(|(_, q)| q)),
                        "{ctx}"
                    );
                    assert_eq!(
                        l.expires(),
                        val("expires").and_then(lex::parse_u64),
                        "{ctx}"
                    );
                    assert_eq!(l.repeated, walk_repeated(p.iter()), "{ctx}");
                    if let Ok(n) = l.strict() {
                        let walk = n.params().first_repeated().map(|p| p.span());
                        assert_eq!(n.repeated_param(), walk, "{ctx}");
                    }
                }
            }
        }
        // Past 16 parameters, and the earliest of two repeated names.
        let many: String = (0..40).map(|i| format!(";p{i}=v")).collect();
        for v in [
            format!("<sip:a@b>{many};P39"),
            format!("<sip:a@b>;x{many};y;P7;X"),
            format!("<sip:a@b>{many}"),
        ] {
            let n = NameAddr::parse(v.as_bytes(), 9).unwrap();
            let walk = n.params().first_repeated().map(|p| p.span());
            assert_eq!(n.repeated_param(), walk, "{v}");
        }
    }

    /// The first parameter whose name a later one repeats, by walking.
    pub(crate) fn walk_repeated<'a>(it: impl Iterator<Item = Param<'a>>) -> Option<Span> {
        let all: Vec<Param<'a>> = it.collect();
        (0..all.len())
            .find(|&i| {
                all[i + 1..]
                    .iter()
                    .any(|q| q.name().eq_ignore_ascii_case(all[i].name()))
            })
            .map(|i| all[i].span())
    }

    #[test]
    fn valid_values_from_corpus() {
        // (value, display, bracketed, uri, param names)
        type Row<'a> = (&'a [u8], Option<&'a [u8]>, bool, &'a [u8], &'a [&'a str]);
        let table: &[Row<'_>] = &[
            // wsinv (folded, escaped quotes)
            (
                b"\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8",
                Some(b"\"J Rosenberg \\\\\\\"\""),
                true,
                b"sip:jdrosen@example.com",
                &["tag"],
            ),
            (
                b"\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33",
                Some(b"\"Quoted string \\\"\\\"\""),
                true,
                b"sip:jdrosen@example.com",
                &["newparam", "secondparam", "q"],
            ),
            (b"<sip:services.example.com;lr;unknownwith=value;unknown-no-value>", None, true, b"sip:services.example.com;lr;unknownwith=value;unknown-no-value", &[]),
            // intmeth
            (
                b"\"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f\" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>",
                Some(b"\"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f\""),
                true,
                b"sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com",
                &[],
            ),
            (
                b"token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"\xD1\x80\xD0\xB0\";tag=_token~1'+`*%!-.",
                Some(b"token1~` token2'+_ token3*%!.-"),
                true,
                b"sip:mundane@example.com",
                &["fromParam''~+*_!.-%", "tag"],
            ),
            // esc01, escnull
            (b"sip:%75se%72@example.com", None, false, b"sip:%75se%72@example.com", &[]),
            (b"<sip:I%20have%20spaces@example.net>;tag=938", None, true, b"sip:I%20have%20spaces@example.net", &["tag"]),
            (b"sip:null-%00-null@example.com;tag=839923423", None, false, b"sip:null-%00-null@example.com", &["tag"]),
            // lwsdisp
            (b"caller<sip:caller@example.com>;tag=323", Some(b"caller"), true, b"sip:caller@example.com", &["tag"]),
            // unksm2
            (b"isbn:2983792873", None, false, b"isbn:2983792873", &[]),
            (b"<http://www.example.com>;tag=3234233", None, true, b"http://www.example.com", &["tag"]),
            (b"<name:John_Smith>", None, true, b"name:John_Smith", &[]),
            // badaspec's valid From, cparam01, RFC 5118
            (b"\"Bell, Alexander\" <sip:a.g.bell@example.com>;tag=433423", Some(b"\"Bell, Alexander\""), true, b"sip:a.g.bell@example.com", &["tag"]),
            (b"sip:+19725552222@gw1.example.net;unknownparam", None, false, b"sip:+19725552222@gw1.example.net", &["unknownparam"]),
            (b"\"T. desk phone\" <sip:ted@[::ffff:192.0.2.2]>", Some(b"\"T. desk phone\""), true, b"sip:ted@[::ffff:192.0.2.2]", &[]),
            (b"sip:user@[2001:db8:::192.0.2.1]", None, false, b"sip:user@[2001:db8:::192.0.2.1]", &[]),
            (b"\"\" <sip:x@y>", Some(b"\"\""), true, b"sip:x@y", &[]),
            (b"sip:a@b ;tag=1", None, false, b"sip:a@b", &["tag"]),
        ];
        for &(s, display, bracketed, uri, params) in table {
            let na = NameAddr::parse(s, BASE)
                .unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(s)));
            assert_eq!(na.display_name(), display, "{}", String::from_utf8_lossy(s));
            if let Some(d) = display {
                assert_eq!(na.display_name_span(), Some(at(s, d)));
            }
            assert_eq!(na.is_bracketed(), bracketed);
            assert_eq!(na.uri().as_bytes(), uri);
            assert_eq!(na.uri().span(), at(s, uri));
            let names: Vec<&str> = na.params().iter().map(|p| p.name()).collect();
            assert_eq!(names, params);
            assert_eq!(na.span(), Span::new(BASE, BASE + s.len()));
            assert!(!na.needs_angle_brackets());
        }
    }

    #[test]
    fn tag_span_and_unquoted_display() {
        let s = b"\"A \\\"B\\\"\" <sip:a@b;transport=tcp>;tag=98asjd8;x=\"q\"";
        let na = NameAddr::parse(s, BASE).unwrap();
        assert_eq!(na.display_name_unquoted(), Some(&b"A \\\"B\\\""[..]));
        assert!(na.display_name_is_quoted());
        let tag = na.param("TAG").unwrap();
        assert_eq!(tag.value_span(), Some(at(s, b"98asjd8")));
        assert_eq!(
            na.uri().param("transport").unwrap().value(),
            Some(&b"tcp"[..])
        );
        assert_eq!(na.angle_span(), Some(at(s, b"<sip:a@b;transport=tcp>")));
        // Bare form: ;transport is a header parameter, not a URI parameter.
        let na = NameAddr::parse(b"sip:a@b;transport=tcp", BASE).unwrap();
        assert!(na.uri().params().is_empty());
        assert!(na.params().contains("transport"));
        assert_eq!(na.display_name_unquoted(), None);
        let na = NameAddr::parse(b"A  B <sip:a@b>", BASE).unwrap();
        assert_eq!(na.display_name_unquoted(), Some(&b"A  B"[..]));
        assert!(!na.display_name_is_quoted());
    }

    #[test]
    fn needs_angle_brackets_flags() {
        for (s, flag) in [
            // regbadct
            (
                &b"sip:user@example.com?Route=%3Csip:sip.example.com%3E"[..],
                true,
            ),
            (b"sip:a,b@example.com", true),
            // semiuri written bare: `;par=u%40example.net@example.com` becomes a header param
            (b"sip:user;par=u%40example.net@example.com", true),
            (b"sip:user@example.com;tag=1", false),
            (
                b"<sip:user@example.com?Route=%3Csip:sip.example.com%3E>",
                false,
            ),
            (b"sip:user@example.com;x=\"a@b\"", false),
        ] {
            let na = NameAddr::parse(s, BASE).unwrap();
            assert_eq!(
                na.needs_angle_brackets(),
                flag,
                "{}",
                String::from_utf8_lossy(s)
            );
        }
    }

    #[test]
    fn invalid_values() {
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            (b"  ", K::Empty, 2),
            // quotbal
            (
                b"\"Mr. J. User <sip:j.user@example.com>",
                K::UnterminatedQuote,
                0,
            ),
            // badaspec
            (
                b"\"Watson, Thomas\" < sip:t.watson@example.org >",
                K::UnexpectedChar,
                18,
            ),
            (b"<sip:t.watson@example.org >", K::UnexpectedChar, 25),
            // baddn
            (
                b"Bell, Alexander <sip:a.g.bell@example.com>;tag=43",
                K::UnexpectedChar,
                4,
            ),
            (
                b"Watson, Thomas <sip:t.watson@example.org>",
                K::UnexpectedChar,
                6,
            ),
            (b"<sip:a@b", K::UnterminatedAngle, 0),
            (b"\"x\" sip:a@b", K::UnexpectedChar, 4),
            (b"<sip:a@b>;", K::BadParam, 10),
            (b"<sip:a@b>;;", K::BadParam, 10),
            (b"\"Joe\" <sip:joe@example.org>;;;;", K::BadParam, 28),
            (b"<sip:a@b> x", K::Trailing, 10),
            // A bare URI followed by LWS and more bytes: the URI is broken
            // at the LWS (one reading with the lax one).
            (b"sip:a@b x", K::UnexpectedChar, 7),
            (b"<>", K::Empty, 1),
            (b"<sip:a b@c>", K::UnexpectedChar, 6),
            (b"<sip:a@b:99999>", K::BadPort, 9),
            (b"x@y", K::BadUri, 1),
            (b"<sip:a@b>>", K::Trailing, 9),
        ];
        for &(s, kind, off) in table {
            let e = NameAddr::parse(s, BASE).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (kind, BASE + off),
                "{}",
                String::from_utf8_lossy(s)
            );
        }
    }

    #[test]
    fn lax_reading_keeps_every_readable_part() {
        use crate::grammar::Part as P;
        // (value, known, uri, tag, [(part, kind, defect text)])
        type Row<'a> = (
            &'a [u8],
            bool,
            Option<&'a [u8]>,
            Option<&'a [u8]>,
            &'a [(P, K, &'a [u8])],
        );
        let table: &[Row<'_>] = &[
            (
                b"Bob <sip:bob@biloxi.com>;tag=a6c85cf",
                false,
                Some(b"sip:bob@biloxi.com"),
                Some(b"a6c85cf"),
                &[],
            ),
            (
                b"<sip:a@b>;tag",
                false,
                Some(b"sip:a@b"),
                None,
                &[(P::Tag, K::BadParam, b"tag")],
            ),
            (
                b"<sip:c@d>;tag=",
                false,
                Some(b"sip:c@d"),
                None,
                &[(P::Tag, K::BadParam, b"tag=")],
            ),
            (
                b"<sip:c@d>;tag=\"x\"",
                false,
                Some(b"sip:c@d"),
                None,
                &[(P::Tag, K::BadParam, b"\"x\"")],
            ),
            (b"x", true, None, None, &[(P::Uri, K::BadUri, b"x")]),
            (
                b"sip: 172.17.2.2:5060",
                true,
                None,
                None,
                &[(P::Uri, K::UnexpectedChar, b"sip: 172.17.2.2:5060")],
            ),
            (
                b"<sip:a@b c>;tag=1",
                false,
                None,
                Some(b"1"),
                &[(P::Uri, K::UnexpectedChar, b"sip:a@b c")],
            ),
            (
                b"<sip:a@b;tag=1",
                false,
                None,
                None,
                &[(P::Uri, K::UnterminatedAngle, b"<sip:a@b;tag=1")],
            ),
            (
                b"\"Bob <sip:a@b>;tag=1",
                false,
                None,
                None,
                &[(
                    P::DisplayName,
                    K::UnterminatedQuote,
                    b"\"Bob <sip:a@b>;tag=1",
                )],
            ),
            (
                b"Bell, Alexander <sip:a.g.bell@bell-tel.com>;tag=43",
                false,
                Some(b"sip:a.g.bell@bell-tel.com"),
                Some(b"43"),
                &[(P::DisplayName, K::UnexpectedChar, b"Bell, Alexander")],
            ),
            (
                b"\"A\" sip:a@b;tag=2",
                false,
                Some(b"sip:a@b"),
                Some(b"2"),
                &[(P::Uri, K::UnexpectedChar, b"")],
            ),
            (
                b"<sip:a@b>;q=2;expires=x1;tag=3",
                true,
                Some(b"sip:a@b"),
                Some(b"3"),
                &[
                    (P::Q, K::NumberOutOfRange, b"2"),
                    (P::Expires, K::ExpectedDigits, b"x1"),
                ],
            ),
            (
                b"<sip:a@b> junk",
                false,
                Some(b"sip:a@b"),
                None,
                &[(P::Value, K::Trailing, b"junk")],
            ),
            (b"", false, None, None, &[(P::Value, K::Empty, b"")]),
        ];
        for &(s, contact, uri, tag, want) in table {
            let name = String::from_utf8_lossy(s);
            let known: &[(&str, P)] = if contact {
                &[("q", P::Q), ("expires", P::Expires)]
            } else {
                &[("tag", P::Tag)]
            };
            let v = NameAddr::parse_lax_with(s, BASE, known, contact);
            assert_eq!(v.uri().map(|u| u.as_bytes()), uri, "{name}");
            assert_eq!(v.tag(), tag, "{name}");
            let got: Vec<(P, K, &[u8])> = v
                .defects()
                .iter()
                .map(|d| (d.part, d.kind, &s[d.span.start - BASE..d.span.end - BASE]))
                .collect();
            assert_eq!(got, want, "{name}");
            if v.defects().is_empty() && !contact {
                assert!(NameAddr::parse(s, BASE).is_ok(), "{name}");
            }
        }
        // `STAR` takes no parameters: still the wildcard, and they are a
        // defect (the strict Contact refuses `*;expires=0` too).
        let c = NameAddr::parse_lax_with(b"* ;expires=0", 0, &[("expires", P::Expires)], true);
        assert!(c.is_star());
        let d: Vec<_> = c
            .defects()
            .iter()
            .map(|d| (d.part, d.span.range()))
            .collect();
        assert_eq!(d, [(P::Value, 2..12)]);
        assert!(NameAddr::parse_lax_with(b"*", 0, &[], true)
            .defects()
            .is_empty());
        let c = NameAddr::parse_lax_with(b"<sip:a@b>;q=0.7;expires=60", 0, &[], true);
        assert_eq!(
            (c.q(), c.expires(), c.is_star()),
            (Some(700), Some(60), false)
        );
        let f = NameAddr::parse_lax(b"Alice <sip:alice@atlanta.com>;tag=1928301774", 7);
        assert_eq!(f.display_name(), Some(&b"Alice"[..]));
        assert_eq!(f.display_name_span(), Some(Span::new(7, 12)));
        assert_eq!(f.angle_span(), Some(Span::new(13, 36)));
        assert_eq!(f.tag_span(), Some(Span::new(41, 51)));
    }

    mod props {
        use super::*;
        use crate::header::typed::addr_gen::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn lax_agrees_with_strict(c in addr_case(&[]), base in 0usize..10_000) {
                let s = c.text.as_bytes();
                let na = NameAddr::parse(s, base).unwrap();
                let lax = NameAddr::parse_lax_with(s, base, &[], false);
                prop_assert!(lax.defects().is_empty(), "{:?}", lax.defects());
                prop_assert_eq!(lax.uri(), Some(na.uri()));
                prop_assert_eq!(lax.display_name(), na.display_name());
                prop_assert_eq!(lax.display_name_span(), na.display_name_span());
                prop_assert_eq!(lax.angle_span(), na.angle_span());
                prop_assert_eq!(lax.params().len(), na.params().len());
            }

            #[test]
            fn lax_never_panics_and_stays_in_bounds(s in addrish_bytes(), base in 0usize..1000) {
                let lax = NameAddr::parse_lax_with(&s, base, &[("tag", Part::Tag)], true);
                for d in lax.defects() {
                    prop_assert!(in_bounds(d.span, base, s.len()), "{:?}", d);
                    prop_assert!(d.at >= base && d.at <= base + s.len());
                }
                if let Ok(na) = NameAddr::parse(&s, base) {
                    if !lax.is_star() {
                        prop_assert_eq!(lax.uri(), Some(na.uri()));
                    }
                }
                if lax.defects().is_empty() && !lax.is_star() {
                    prop_assert!(NameAddr::parse(&s, base).is_ok());
                }
            }

            #[test]
            fn generated_values_round_trip(c in addr_case(&[]), base in 0usize..10_000) {
                let s = c.text.as_bytes();
                let na = NameAddr::parse(s, base).unwrap();
                prop_assert_eq!(na.display_name(), c.display.as_deref().map(str::as_bytes));
                if let Some(sp) = na.display_name_span() {
                    prop_assert_eq!(&s[sp.start - base..sp.end - base], na.display_name().unwrap());
                }
                prop_assert_eq!(na.is_bracketed(), c.bracketed);
                prop_assert_eq!(na.uri().as_bytes(), c.uri.as_bytes());
                let u = na.uri().span();
                prop_assert_eq!(&s[u.start - base..u.end - base], c.uri.as_bytes());
                prop_assert_eq!(pairs(&na.params()), c.params);
                for p in &na.params() {
                    let n = p.name_span();
                    prop_assert_eq!(&s[n.start - base..n.end - base], p.name().as_bytes());
                    if let Some(v) = p.value_span() {
                        prop_assert_eq!(&s[v.start - base..v.end - base], p.value().unwrap());
                    }
                }
                prop_assert!(!na.needs_angle_brackets());
                prop_assert_eq!(na.span(), Span::new(base, base + s.len()));
            }

            #[test]
            fn arbitrary_bytes_never_panic(s in addrish_bytes(), base in 0usize..1000) {
                match NameAddr::parse(&s, base) {
                    Ok(na) => {
                        let n = s.len();
                        prop_assert!(in_bounds(na.span(), base, n));
                        prop_assert!(in_bounds(na.uri().span(), base, n));
                        prop_assert!(in_bounds(na.params().span(), base, n));
                        for sp in [na.display_name_span(), na.angle_span()].into_iter().flatten() {
                            prop_assert!(in_bounds(sp, base, n));
                        }
                        for p in &na.params() {
                            prop_assert!(in_bounds(p.span(), base, n));
                        }
                        let _ = na.needs_angle_brackets();
                    }
                    Err(e) => prop_assert!(e.offset() >= base && e.offset() <= base + s.len()),
                }
            }
        }
    }
}
