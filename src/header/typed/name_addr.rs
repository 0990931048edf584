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
use crate::header::param::{scan_params, Param, Params};
use crate::header::typed::uri::Uri;
use crate::lex::{self, Cursor};
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
}

impl<'a> NameAddr<'a> {
    /// Parses one address value (`value` trimmed, folds allowed as LWS);
    /// `base` is the absolute offset of `value[0]`.
    pub fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        use HeaderValueErrorKind as K;
        let mut cur = Cursor::new(value, base);
        cur.skip_lws();
        let start = cur.pos;
        let mut display = None;
        let mut display_quoted = false;
        match cur.peek() {
            None => return Err(cur.err(K::Empty)),
            Some(b'"') => {
                let end = lex::quoted_string_end(value, start)
                    .map_err(|at| cur.err_at(K::UnterminatedQuote, at))?;
                display = Some((start, end));
                display_quoted = true;
                cur.pos = end;
                cur.skip_lws();
                if cur.peek() != Some(b'<') {
                    return Err(cur.err(K::UnexpectedChar));
                }
            }
            Some(b'<') => {}
            Some(_) => {
                // token *(LWS token), then "<" (possibly with no LWS).
                let mut last_end = start;
                loop {
                    let t = cur.token();
                    if t.is_empty() {
                        break;
                    }
                    last_end = cur.pos;
                    cur.skip_lws();
                }
                match cur.peek() {
                    Some(b'<') if last_end > start => display = Some((start, last_end)),
                    Some(b':') => cur.pos = start,
                    _ => {
                        let stop = if cur.peek().is_some_and(lex::is_lws) {
                            last_end
                        } else {
                            cur.pos
                        };
                        if value[stop..].contains(&b'<') {
                            return Err(cur.err_at(K::UnexpectedChar, stop));
                        }
                        cur.pos = start;
                    }
                }
            }
        }

        let (uri, angle) = if cur.peek() == Some(b'<') {
            let lt = cur.pos;
            let gt = value[lt..]
                .iter()
                .position(|&b| b == b'>')
                .map(|i| lt + i)
                .ok_or_else(|| cur.err_at(K::UnterminatedAngle, lt))?;
            if let Some(ws) = value[lt + 1..gt].iter().position(|&b| lex::is_lws(b)) {
                return Err(cur.err_at(K::UnexpectedChar, lt + 1 + ws));
            }
            let uri = Uri::parse(&value[lt + 1..gt], base + lt + 1)?;
            cur.pos = gt + 1;
            (uri, Some((lt, gt + 1)))
        } else {
            let ustart = cur.pos;
            let uend = value[ustart..]
                .iter()
                .position(|&b| b == b';' || lex::is_lws(b))
                .map_or(value.len(), |i| ustart + i);
            let uri = Uri::parse(&value[ustart..uend], base + ustart)?;
            cur.pos = uend;
            (uri, None)
        };
        let params = scan_params(&mut cur)?;
        cur.skip_lws();
        if !cur.at_end() {
            return Err(cur.err(K::Trailing));
        }
        Ok(NameAddr {
            raw: value,
            base,
            display,
            display_quoted,
            angle,
            uri,
            params,
        })
    }

    /// The whole value as given.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }

    /// Absolute span of the whole value.
    pub fn span(&self) -> Span {
        Span::new(self.base, self.base + self.raw.len())
    }

    /// True for the `name-addr` form (`<...>`), false for a bare `addr-spec`.
    pub fn is_bracketed(&self) -> bool {
        self.angle.is_some()
    }

    /// Absolute span of `<...>` (brackets included), for the bracketed form.
    pub fn angle_span(&self) -> Option<Span> {
        self.angle
            .map(|(a, b)| Span::new(self.base + a, self.base + b))
    }

    /// The display name as sent: quotes and quoted-pair escapes kept for a
    /// quoted-string, tokens and the LWS between them for the token form.
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

    /// True when a bare `addr-spec` looks like it wanted URI syntax that
    /// needs `<>`: the URI holds `,` or `?`, or a header parameter holds an
    /// `@` (a `;` meant as part of the user, RFC 4475 `semiuri` written bare).
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
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HeaderValueErrorKind as K;

    const BASE: usize = 200;

    fn at(s: &[u8], part: &[u8]) -> Span {
        let i = s.windows(part.len()).position(|w| w == part).unwrap();
        Span::new(BASE + i, BASE + i + part.len())
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
            (b"sip:a@b x", K::Trailing, 8),
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

    mod props {
        use super::*;
        use crate::header::typed::addr_gen::*;
        use proptest::prelude::*;

        proptest! {
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
