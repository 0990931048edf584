//! URIs as they appear in address headers: SIP and SIPS URIs (RFC 3261
//! §19.1, §25.1), `tel` URIs (RFC 3966 §3, minimal) and every other scheme as
//! an opaque `absoluteURI` (RFC 3261 §25.1, after RFC 2396).
//!
//! ```text
//! SIP-URI        = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
//! userinfo       = ( user / telephone-subscriber ) [ ":" password ] "@"
//! user           = 1*( unreserved / escaped / user-unreserved )
//! user-unreserved= "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
//! password       = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
//! uri-parameters = *( ";" uri-parameter )
//! uri-parameter  = pname [ "=" pvalue ]            ; other-param covers all
//! pname / pvalue = 1*paramchar
//! paramchar      = param-unreserved / unreserved / escaped
//! param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$"
//! headers        = "?" header *( "&" header )
//! header         = hname "=" hvalue
//! ```
//!
//! Choices:
//! - `%HH` escapes are validated (two hex digits) but kept raw; `%00` is a
//!   valid escape (RFC 4475 §3.1.1.4 `escnull`).
//! - `@` cannot appear unescaped in any part of a SIP URI other than as the
//!   userinfo terminator (`user`, `password`, `paramchar`, `hname`/`hvalue`
//!   exclude it), so the userinfo is everything before the first `@`. That
//!   keeps `;` and `?` inside the user (RFC 4475 §3.1.1.9 `semiuri`:
//!   `sip:user;par=u%40example.net@example.com` has user
//!   `user;par=u%40example.net`).
//! - The scheme is case-insensitive (RFC 3261 §19.1.4): `SIP:` is a SIP URI.
//! - No LWS anywhere inside a URI (RFC 4475 `badaspec`, `lwsruri`).
//! - Other schemes (`soap.beep:`, `http:`, `urn:`, RFC 4475 `novelsc`,
//!   `unksm2`) are checked only for the `absoluteURI` character set.

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::uri::{
    escaped_run, scheme, telephone_subscriber, uri_headers, uri_parameters, userinfo, URIC,
};
use crate::grammar::Cursor;
use crate::grammar::{error_offset, PResult};
use crate::header::param::{param_item_api, param_list_api};
use crate::header::typed::host::{scan_hostport, Host, HostPort};
use crate::header::typed::scan::ascii;
use crate::Span;

/// Which URI grammar applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UriKind {
    /// `sip:` (RFC 3261 §19.1).
    Sip,
    /// `sips:` (RFC 3261 §19.1).
    Sips,
    /// `tel:` (RFC 3966).
    Tel,
    /// Any other scheme, kept opaque (RFC 3261 §25.1 `absoluteURI`).
    Other,
}

/// One `uri-parameter`: `pname [ "=" pvalue ]` (RFC 3261 §25.1). Escapes
/// are kept raw, so `%6C%72` is not the same name as `lr`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UriParam<'a> {
    name: &'a [u8],
    value: Option<&'a [u8]>,
    name_span: Span,
    value_span: Option<Span>,
}

impl<'a> UriParam<'a> {
    /// The name as sent.
    pub fn name(&self) -> &'a [u8] {
        self.name
    }
}

param_item_api!(
    UriParam,
    value_doc: "The value as sent, if any.",
    is_doc: "Case-insensitive name comparison (RFC 3261 §19.1.4: parameter names
 compare case-insensitively)."
);

/// The `uri-parameters` of a SIP or tel URI: a validated region (from the
/// first `;`), walked lazily so nothing is allocated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct UriParams<'a> {
    s: &'a [u8],
    base: usize,
}

impl<'a> UriParams<'a> {
    /// Iterates the parameters in order.
    pub fn iter(&self) -> UriParamIter<'a> {
        UriParamIter {
            s: self.s,
            pos: 0,
            base: self.base,
        }
    }

    /// The raw region, from the first `;`.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.s
    }
}

param_list_api!(
    UriParams,
    UriParamIter,
    UriParam,
    span_doc: "Absolute span of the region, from the first `;`."
);

/// Iterator over [`UriParams`].
#[derive(Clone, Debug)]
pub struct UriParamIter<'a> {
    s: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Iterator for UriParamIter<'a> {
    type Item = UriParam<'a>;
    fn next(&mut self) -> Option<UriParam<'a>> {
        let s = self.s;
        if s.get(self.pos) != Some(&b';') {
            return None;
        }
        let start = self.pos + 1;
        let end = s[start..]
            .iter()
            .position(|&b| b == b';')
            .map_or(s.len(), |i| start + i);
        self.pos = end;
        let item = &s[start..end];
        let (name, value, vstart) = match item.iter().position(|&b| b == b'=') {
            Some(eq) => (&item[..eq], Some(&item[eq + 1..]), start + eq + 1),
            None => (item, None, end),
        };
        Some(UriParam {
            name,
            value,
            name_span: Span::new(self.base + start, self.base + start + name.len()),
            value_span: value.map(|v| Span::new(self.base + vstart, self.base + vstart + v.len())),
        })
    }
}

/// The `BadUri` error of a production that failed on `i`, which starts at
/// offset `at` of a URI at absolute offset `base`.
fn bad_at(
    i: &[u8],
    base: usize,
    at: usize,
    e: &nom::Err<nom::error::Error<&[u8]>>,
) -> HeaderValueError {
    HeaderValueError::new(HeaderValueErrorKind::BadUri, base + at + error_offset(i, e))
}

/// A URI borrowed from the message, with every part as bytes and as an
/// absolute span (RFC 3261 §19.1, §25.1; RFC 3966).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uri<'a> {
    raw: &'a [u8],
    base: usize,
    kind: UriKind,
    /// Length of the scheme (before the `:`).
    scheme_len: usize,
    user: Option<(usize, usize)>,
    password: Option<(usize, usize)>,
    hostport: Option<HostPort<'a>>,
    /// tel: the number; other schemes: everything after `:`.
    body: (usize, usize),
    params: UriParams<'a>,
    headers: Option<(usize, usize)>,
}

impl<'a> Uri<'a> {
    /// Parses `s` as exactly one URI (no surrounding LWS); `base` is the
    /// absolute offset of `s[0]`. Fails with `BadUri` (or `BadHost` /
    /// `BadPort` for the hostport of a SIP URI) at the offending byte.
    pub fn parse(s: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        if s.is_empty() {
            return Err(HeaderValueError::new(HeaderValueErrorKind::Empty, base));
        }
        // The productions of `grammar::uri`, each at its place, must read
        // the whole of `s`.
        let (_, (kind, name)) = scheme(s).map_err(|e| bad_at(s, base, 0, &e))?;
        let rest = name.len() + 1;
        let mut uri = Uri {
            raw: s,
            base,
            kind,
            scheme_len: name.len(),
            user: None,
            password: None,
            hostport: None,
            body: (rest, s.len()),
            params: UriParams {
                s: &[],
                base: base + s.len(),
            },
            headers: None,
        };
        let end = match kind {
            UriKind::Sip | UriKind::Sips => uri.parse_sip(rest)?,
            UriKind::Tel => uri.parse_tel(rest)?,
            UriKind::Other => rest + uri.read(rest, escaped_run(URIC))?.len(),
        };
        if end != s.len() {
            return Err(HeaderValueError::new(
                HeaderValueErrorKind::BadUri,
                base + end,
            ));
        }
        Ok(uri)
    }

    /// Runs production `p` at offset `at` of the URI: what it read, or a
    /// `BadUri` error where it failed.
    fn read(
        &self,
        at: usize,
        p: impl Fn(&'a [u8]) -> PResult<'a, &'a [u8]>,
    ) -> Result<&'a [u8], HeaderValueError> {
        let i = &self.raw[at..];
        p(i).map(|(_, got)| got)
            .map_err(|e| bad_at(i, self.base, at, &e))
    }

    /// `[ userinfo ] hostport uri-parameters [ headers ]`; where it ends.
    fn parse_sip(&mut self, rest: usize) -> Result<usize, HeaderValueError> {
        let s = self.raw;
        let body = &s[rest..];
        let mut pos = rest;
        if let (after, Some((user, password))) =
            userinfo(body).map_err(|e| bad_at(body, self.base, rest, &e))?
        {
            self.user = Some((rest, rest + user.len()));
            if let Some(p) = password {
                let at = rest + user.len() + 1;
                self.password = Some((at, at + p.len()));
            }
            pos = s.len() - after.len();
        }
        let mut cur = Cursor::new(s, self.base);
        cur.pos = pos;
        let hp = scan_hostport(&mut cur, false)?;
        self.hostport = Some(hp);
        self.body = (pos, cur.pos);
        self.params_headers(cur.pos)
    }

    /// `telephone-subscriber uri-parameters [ headers ]`; where it ends.
    fn parse_tel(&mut self, rest: usize) -> Result<usize, HeaderValueError> {
        let number = self.read(rest, telephone_subscriber)?;
        self.body = (rest, rest + number.len());
        self.params_headers(rest + number.len())
    }

    /// `uri-parameters [ headers ]` from `from`; where they end.
    fn params_headers(&mut self, from: usize) -> Result<usize, HeaderValueError> {
        let params = self.read(from, uri_parameters)?;
        self.params = UriParams {
            s: params,
            base: self.base + from,
        };
        let q = from + params.len();
        if self.raw.get(q) != Some(&b'?') {
            return Ok(q);
        }
        let headers = self.read(q, uri_headers)?;
        self.headers = Some((q + 1, q + headers.len()));
        Ok(q + headers.len())
    }

    fn part(&self, r: (usize, usize)) -> &'a [u8] {
        self.raw.get(r.0..r.1).unwrap_or(&[])
    }

    fn span_of(&self, r: (usize, usize)) -> Span {
        Span::new(self.base + r.0, self.base + r.1)
    }

    /// The whole URI as sent.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }

    /// Absolute span of the whole URI.
    pub fn span(&self) -> Span {
        Span::new(self.base, self.base + self.raw.len())
    }

    /// Which grammar applied.
    pub fn kind(&self) -> UriKind {
        self.kind
    }

    /// The scheme as sent (case preserved), without the colon.
    pub fn scheme(&self) -> &'a str {
        ascii(&self.raw[..self.scheme_len])
    }

    /// Absolute span of the scheme.
    pub fn scheme_span(&self) -> Span {
        self.span_of((0, self.scheme_len))
    }

    /// True for a `sip:` URI.
    pub fn is_sip(&self) -> bool {
        self.kind == UriKind::Sip
    }

    /// True for a `sips:` URI.
    pub fn is_sips(&self) -> bool {
        self.kind == UriKind::Sips
    }

    /// True for a `tel:` URI.
    pub fn is_tel(&self) -> bool {
        self.kind == UriKind::Tel
    }

    /// The `user` (or telephone-subscriber) of a SIP/SIPS URI, escapes raw.
    pub fn user(&self) -> Option<&'a [u8]> {
        self.user.map(|r| self.part(r))
    }

    /// Absolute span of the user.
    pub fn user_span(&self) -> Option<Span> {
        self.user.map(|r| self.span_of(r))
    }

    /// The password of a SIP/SIPS URI (RFC 3261 §19.1.1 says not to use it).
    pub fn password(&self) -> Option<&'a [u8]> {
        self.password.map(|r| self.part(r))
    }

    /// Absolute span of the password.
    pub fn password_span(&self) -> Option<Span> {
        self.password.map(|r| self.span_of(r))
    }

    /// The host of a SIP/SIPS URI.
    pub fn host(&self) -> Option<Host<'a>> {
        self.hostport.map(|hp| hp.host())
    }

    /// The `hostport` of a SIP/SIPS URI.
    pub fn host_port(&self) -> Option<HostPort<'a>> {
        self.hostport
    }

    /// The port of a SIP/SIPS URI, when given.
    pub fn port(&self) -> Option<u16> {
        self.hostport.and_then(|hp| hp.port())
    }

    /// Absolute span of the port digits, when given.
    pub fn port_span(&self) -> Option<Span> {
        self.hostport.and_then(|hp| hp.port_span())
    }

    /// The number of a `tel:` URI (RFC 3966 §3), visual separators kept.
    pub fn tel_number(&self) -> Option<&'a [u8]> {
        (self.kind == UriKind::Tel).then(|| self.part(self.body))
    }

    /// For another scheme: everything after `scheme:`, uninterpreted.
    pub fn opaque(&self) -> Option<&'a [u8]> {
        (self.kind == UriKind::Other).then(|| self.part(self.body))
    }

    /// Absolute span of the scheme-specific body: the hostport of a SIP URI,
    /// the number of a tel URI, everything after the colon otherwise.
    pub fn body_span(&self) -> Span {
        self.span_of(self.body)
    }

    /// The `uri-parameters` (SIP/SIPS and tel only; empty otherwise).
    pub fn params(&self) -> UriParams<'a> {
        self.params
    }

    /// The first URI parameter named `name` (case-insensitive), e.g.
    /// `transport`, `lr`, `maddr` (RFC 3261 §19.1.1).
    pub fn param(&self, name: &str) -> Option<UriParam<'a>> {
        self.params.get(name)
    }

    /// The `headers` part after `?`, raw (without the `?`).
    pub fn headers(&self) -> Option<&'a [u8]> {
        self.headers.map(|r| self.part(r))
    }

    /// Absolute span of the headers part (without the `?`).
    pub fn headers_span(&self) -> Option<Span> {
        self.headers.map(|r| self.span_of(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HeaderValueErrorKind as K;

    const BASE: usize = 500;

    fn sp(s: &[u8], part: &[u8]) -> Span {
        let i = s.windows(part.len()).position(|w| w == part).unwrap();
        Span::new(BASE + i, BASE + i + part.len())
    }

    #[test]
    fn sip_uris_from_corpus() {
        // (uri, kind, user, password, host, port, params, headers)
        type Row<'a> = (
            &'a [u8],
            UriKind,
            Option<&'a [u8]>,
            Option<&'a [u8]>,
            &'a [u8],
            Option<u16>,
            usize,
            Option<&'a [u8]>,
        );
        let table: &[Row<'_>] = &[
            (b"sip:user@example.com", UriKind::Sip, Some(b"user"), None, b"example.com", None, 0, None),
            (b"SIP:user@example.com", UriKind::Sip, Some(b"user"), None, b"example.com", None, 0, None),
            (b"sips:example.com:5061", UriKind::Sips, None, None, b"example.com", Some(5061), 0, None),
            // semiuri
            (b"sip:user;par=u%40example.net@example.com", UriKind::Sip, Some(b"user;par=u%40example.net"), None, b"example.com", None, 0, None),
            // esc01
            (b"sip:sips%3Auser%40example.com@example.net", UriKind::Sip, Some(b"sips%3Auser%40example.com"), None, b"example.net", None, 0, None),
            (b"sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31", UriKind::Sip, Some(b"cal%6Cer"), None, b"host5.example.net", None, 2, None),
            // escnull
            (b"sip:null-%00-null@example.com", UriKind::Sip, Some(b"null-%00-null"), None, b"example.com", None, 0, None),
            (b"sip:%00%00@host5.example.com", UriKind::Sip, Some(b"%00%00"), None, b"host5.example.com", None, 0, None),
            // escruri / regbadct
            (b"sip:user@example.com?Route=%3Csip:example.com%3E", UriKind::Sip, Some(b"user"), None, b"example.com", None, 0, Some(b"Route=%3Csip:example.com%3E")),
            // intmeth request-URI
            (b"sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com", UriKind::Sip, Some(b"1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"), Some(b"&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"), b"example.com", None, 0, None),
            (b"sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com", UriKind::Sip, Some(b"1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"), None, b"example.com", None, 0, None),
            (b"sip:services.example.com;lr;unknownwith=value;unknown-no-value", UriKind::Sip, None, None, b"services.example.com", None, 3, None),
            (b"sip:+19725552222@gw1.example.net;unknownparam", UriKind::Sip, Some(b"+19725552222"), None, b"gw1.example.net", None, 1, None),
            // RFC 5118
            (b"sip:ted@[::ffff:192.0.2.2]", UriKind::Sip, Some(b"ted"), None, b"[::ffff:192.0.2.2]", None, 0, None),
            (b"sip:user@[2001:db8:::192.0.2.1]", UriKind::Sip, Some(b"user"), None, b"[2001:db8:::192.0.2.1]", None, 0, None),
            (b"sip:[2001:db8::10]:5070", UriKind::Sip, None, None, b"[2001:db8::10]", Some(5070), 0, None),
            (b"sip:[2001:db8::10:5070]", UriKind::Sip, None, None, b"[2001:db8::10:5070]", None, 0, None),
            (b"sip:u:@h;transport=tcp?a=&b=c", UriKind::Sip, Some(b"u"), Some(b""), b"h", None, 1, Some(b"a=&b=c")),
        ];
        for &(s, kind, user, pw, host, port, nparams, headers) in table {
            let u = Uri::parse(s, BASE)
                .unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(s)));
            assert_eq!(u.kind(), kind);
            assert_eq!(u.user(), user, "{:?}", String::from_utf8_lossy(s));
            assert_eq!(u.password(), pw);
            assert_eq!(u.host().unwrap().as_bytes(), host);
            assert_eq!(u.port(), port);
            assert_eq!(u.params().len(), nparams);
            assert_eq!(u.headers(), headers);
            assert_eq!(u.span(), Span::new(BASE, BASE + s.len()));
            assert_eq!(u.scheme_span(), Span::new(BASE, BASE + u.scheme().len()));
            if let Some(user) = user {
                assert_eq!(u.user_span(), Some(sp(s, user)));
                assert_eq!(
                    &s[u.user_span().unwrap().start - BASE..][..user.len()],
                    user
                );
            }
            let h = u.host().unwrap().span();
            assert_eq!(&s[h.start - BASE..h.end - BASE], host);
            if let Some(p) = u.port_span() {
                assert_eq!(
                    core::str::from_utf8(&s[p.start - BASE..p.end - BASE]).unwrap(),
                    port.unwrap().to_string()
                );
            }
            for p in &u.params() {
                let n = p.name_span();
                assert_eq!(&s[n.start - BASE..n.end - BASE], p.name());
                if let Some(v) = p.value_span() {
                    assert_eq!(&s[v.start - BASE..v.end - BASE], p.value().unwrap());
                }
            }
            if let Some(h) = u.headers_span() {
                assert_eq!(&s[h.start - BASE..h.end - BASE], headers.unwrap());
            }
        }
    }

    #[test]
    fn uri_params_lookup() {
        let s = b"sip:h;TRANSPORT=tcp;lr;maddr=[2001:db8::1]";
        let u = Uri::parse(s, BASE).unwrap();
        let t = u.param("transport").unwrap();
        assert_eq!(t.value(), Some(&b"tcp"[..]));
        assert_eq!(t.value_span(), Some(sp(s, b"tcp")));
        assert_eq!(t.name_span(), sp(s, b"TRANSPORT"));
        assert!(u.params().contains("lr"));
        assert_eq!(u.param("lr").unwrap().value(), None);
        assert_eq!(
            u.param("maddr").unwrap().value(),
            Some(&b"[2001:db8::1]"[..])
        );
        assert!(u.param("ttl").is_none());
        assert_eq!(
            u.params().span(),
            sp(s, b";TRANSPORT=tcp;lr;maddr=[2001:db8::1]")
        );
    }

    #[test]
    fn tel_and_other_schemes() {
        let u = Uri::parse(b"tel:+1-201-555-0123;phone-context=example.com", BASE).unwrap();
        assert!(u.is_tel());
        assert_eq!(u.tel_number(), Some(&b"+1-201-555-0123"[..]));
        assert_eq!(
            u.param("phone-context").unwrap().value(),
            Some(&b"example.com"[..])
        );
        assert_eq!(u.host(), None);
        assert_eq!(
            Uri::parse(b"TEL:7042", 0).unwrap().tel_number(),
            Some(&b"7042"[..])
        );
        for (s, scheme, opaque) in [
            (
                &b"soap.beep://192.0.2.103:3002"[..],
                "soap.beep",
                &b"//192.0.2.103:3002"[..],
            ),
            (b"http://www.example.com", "http", b"//www.example.com"),
            (b"isbn:2983792873", "isbn", b"2983792873"),
            (b"name:John_Smith", "name", b"John_Smith"),
            (
                b"nobodyKnowsThisScheme:totallyopaquecontent",
                "nobodyKnowsThisScheme",
                b"totallyopaquecontent",
            ),
            (b"urn:service:sos", "urn", b"service:sos"),
        ] {
            let u = Uri::parse(s, BASE).unwrap();
            assert_eq!(u.kind(), UriKind::Other);
            assert_eq!((u.scheme(), u.opaque()), (scheme, Some(opaque)));
            assert_eq!(u.body_span(), sp(s, opaque));
            assert!(u.params().is_empty() && u.user().is_none());
        }
    }

    #[test]
    fn invalid_uris() {
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            (b"sip", K::BadUri, 3),
            (b"1sip:x", K::BadUri, 0),
            (b" sip:t.watson@example.org", K::BadUri, 0),
            (b"sip:t.watson@example.org ", K::BadUri, 24),
            (b"sip:user@example.com; lr", K::BadUri, 21),
            (b"sip:@example.com", K::BadUri, 4),
            (b"sip:us er@example.com", K::BadUri, 6),
            (b"sip:user%4@example.com", K::BadUri, 8),
            (b"sip:user%G0@example.com", K::BadUri, 8),
            (b"sip:u:p@ss@example.com", K::BadUri, 10),
            (b"sip:2001:db8::10", K::BadHost, 4),
            (b"sip:h:70000", K::BadPort, 6),
            (b"sip:h;", K::BadUri, 6),
            (b"sip:h;=v", K::BadUri, 6),
            (b"sip:h;a=", K::BadUri, 8),
            (b"sip:h;a=<", K::BadUri, 8),
            (b"sip:h?x", K::BadUri, 7),
            (b"sip:h?=y", K::BadUri, 6),
            (b"sip:h>", K::BadUri, 5),
            (b"sip:", K::BadHost, 4),
            (b"tel:", K::BadUri, 4),
            (b"tel:+", K::BadUri, 5),
            (b"tel:12x", K::BadUri, 6),
            (b"http:", K::BadUri, 5),
            (b"http:a b", K::BadUri, 6),
            (b"http:a\"b", K::BadUri, 6),
        ];
        for &(s, kind, at) in table {
            let e = Uri::parse(s, BASE).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (kind, BASE + at),
                "{:?}",
                String::from_utf8_lossy(s)
            );
        }
    }

    mod props {
        use super::*;
        use crate::header::typed::addr_gen::*;
        use proptest::prelude::*;

        fn part(s: &[u8], base: usize, sp: Span) -> &[u8] {
            &s[sp.start - base..sp.end - base]
        }

        proptest! {
            #[test]
            fn generated_sip_uris_round_trip(p in sip_uri(false), base in 0usize..10_000) {
                let text = p.render();
                let s = text.as_bytes();
                let u = Uri::parse(s, base).unwrap();
                prop_assert_eq!(u.is_sips(), p.scheme.eq_ignore_ascii_case("sips"));
                prop_assert_eq!(u.is_sip(), p.scheme.eq_ignore_ascii_case("sip"));
                prop_assert_eq!(u.scheme(), p.scheme.as_str());
                prop_assert_eq!(u.user(), p.user.as_deref().map(str::as_bytes));
                if let Some(sp) = u.user_span() {
                    prop_assert_eq!(part(s, base, sp), u.user().unwrap());
                }
                prop_assert_eq!(u.password(), p.password.as_deref().map(str::as_bytes));
                prop_assert_eq!(u.host().unwrap().as_bytes(), p.host.as_bytes());
                prop_assert_eq!(part(s, base, u.host().unwrap().span()), p.host.as_bytes());
                prop_assert_eq!(u.port(), p.port);
                let got: Vec<(Vec<u8>, Option<Vec<u8>>)> = u
                    .params()
                    .iter()
                    .map(|q| (q.name().to_vec(), q.value().map(<[u8]>::to_vec)))
                    .collect();
                let want: Vec<(Vec<u8>, Option<Vec<u8>>)> = p
                    .params
                    .iter()
                    .map(|(n, v)| (n.as_bytes().to_vec(), v.as_ref().map(|v| v.as_bytes().to_vec())))
                    .collect();
                prop_assert_eq!(got, want);
                for q in &u.params() {
                    prop_assert_eq!(part(s, base, q.name_span()), q.name());
                }
                prop_assert_eq!(u.headers(), p.headers.as_deref().map(str::as_bytes));
                prop_assert_eq!(u.span(), Span::new(base, base + s.len()));
            }

            #[test]
            fn generated_tel_and_opaque(num in "\\+?[0-9][0-9.()-]{0,10}", rest in "[a-z0-9/:._-]{1,12}") {
                let t = format!("tel:{num};phone-context=example.com");
                let u = Uri::parse(t.as_bytes(), 3).unwrap();
                prop_assert_eq!(u.tel_number(), Some(num.as_bytes()));
                let o = format!("urn:{rest}");
                let u = Uri::parse(o.as_bytes(), 3).unwrap();
                prop_assert_eq!(u.opaque(), Some(rest.as_bytes()));
            }

            #[test]
            fn arbitrary_bytes_never_panic(s in addrish_bytes(), base in 0usize..1000) {
                match Uri::parse(&s, base) {
                    Ok(u) => {
                        let n = s.len();
                        prop_assert!(in_bounds(u.span(), base, n));
                        prop_assert!(in_bounds(u.scheme_span(), base, n));
                        prop_assert!(in_bounds(u.body_span(), base, n));
                        for sp in [u.user_span(), u.password_span(), u.port_span(), u.headers_span()]
                            .into_iter()
                            .flatten()
                        {
                            prop_assert!(in_bounds(sp, base, n));
                        }
                        if let Some(h) = u.host() {
                            prop_assert_eq!(part(&s, base, h.span()), h.as_bytes());
                        }
                        for q in &u.params() {
                            prop_assert_eq!(part(&s, base, q.name_span()), q.name());
                            if let Some(v) = q.value_span() {
                                prop_assert_eq!(part(&s, base, v), q.value().unwrap());
                            }
                        }
                    }
                    Err(e) => prop_assert!(e.offset() >= base && e.offset() <= base + s.len()),
                }
            }

            /// One grammar: the typed reading accepts exactly the values the
            /// `grammar::uri` productions read whole (inputs without LWS,
            /// `<`, `>` or quotes, where the productions would stop).
            #[test]
            fn typed_reading_is_the_grammar(
                scheme in prop_oneof!["sip:", "SIPS:", "tel:", "urn:", "x:", ""],
                rest in "[a-z0-9:@;=?&%.+\\-\\[\\]#/]{0,20}",
            ) {
                let v = format!("{scheme}{rest}");
                let b = v.as_bytes();
                let whole = crate::grammar::uri::any_uri(b).is_ok_and(|(r, _)| r.is_empty());
                prop_assert_eq!(Uri::parse(b, 0).is_ok(), whole, "{}", v);
            }
        }
    }
}
