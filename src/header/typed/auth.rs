//! `WWW-Authenticate` (RFC 3261 §20.44) and `Proxy-Authenticate`
//! (RFC 3261 §20.27): one challenge per row.
//!
//! ```text
//! WWW-Authenticate    =  "WWW-Authenticate" HCOLON challenge
//! Proxy-Authenticate  =  "Proxy-Authenticate" HCOLON challenge
//! challenge           =  ("Digest" LWS digest-cln *(COMMA digest-cln))
//!                        / other-challenge
//! other-challenge     =  auth-scheme LWS auth-param
//!                        *(COMMA auth-param)
//! digest-cln          =  realm / domain / nonce / opaque / stale
//!                        / algorithm / qop-options / auth-param
//! auth-param          =  auth-param-name EQUAL
//!                        ( token / quoted-string )
//! auth-scheme         =  token
//! ```
//! (RFC 3261 §25.1; `EQUAL = SWS "=" SWS`, `COMMA = SWS "," SWS`.)
//!
//! These headers are never split on commas (RFC 3261 §7.3.1 lists them as
//! the exception): the parameters of one challenge are themselves
//! comma-separated. A row that holds several challenges joined by commas is
//! forbidden (rule `auth-challenge-comma-combined`) but still parsed, so the
//! validator can report it; see [`Challenge::has_more_challenges`].

use core::ops::Deref;

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::grammar::{Defect, Defects, Part};
use crate::header::param::MAX_PARAMS;
use crate::header::typed::scan::{ascii, spanned_token};
use crate::header::typed::{LaxHeader, LaxReading, TypedHeader};
use crate::header::KnownHeader;
use crate::lex;
use crate::Span;

/// One `auth-param` of a challenge: `name = (token / quoted-string)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthParam<'a> {
    name: &'a [u8],
    value: &'a [u8],
    name_span: Span,
    value_span: Span,
}

impl<'a> AuthParam<'a> {
    /// The name as sent (a token, so ASCII).
    pub fn name(&self) -> &'a str {
        ascii(self.name)
    }

    /// Case-insensitive name comparison (auth-param names are
    /// case-insensitive, RFC 3261 §25.1 string literals).
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name.as_bytes())
    }

    /// The value exactly as sent, quotes included for a quoted-string.
    pub fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The value without surrounding quotes (quoted-pairs kept as sent).
    pub fn value_unquoted(&self) -> &'a [u8] {
        if self.is_quoted() {
            &self.value[1..self.value.len() - 1]
        } else {
            self.value
        }
    }

    /// True when the value was a quoted-string.
    pub fn is_quoted(&self) -> bool {
        self.value.first() == Some(&b'"')
    }

    /// Absolute span of the name.
    pub fn name_span(&self) -> Span {
        self.name_span
    }

    /// Absolute span of the value as sent (quotes included).
    pub fn value_span(&self) -> Span {
        self.value_span
    }

    /// Absolute span of the whole parameter, name through value.
    pub fn span(&self) -> Span {
        Span::new(self.name_span.start, self.value_span.end)
    }
}

/// Parses one `auth-param` at the cursor (no leading LWS).
fn auth_param<'a>(cur: &mut Cursor<'a>) -> Result<AuthParam<'a>, HeaderValueError> {
    let (name, name_span) = spanned_token(cur)?;
    cur.skip_lws();
    if !cur.eat(b'=') {
        return Err(cur.err(HeaderValueErrorKind::BadParam));
    }
    cur.skip_lws();
    let vstart = cur.pos;
    if cur.peek() == Some(b'"') {
        cur.pos = lex::quoted_string_end(cur.s, vstart)
            .map_err(|at| cur.err_at(HeaderValueErrorKind::UnterminatedQuote, at))?;
    } else if cur.token().is_empty() {
        return Err(cur.err(HeaderValueErrorKind::BadParam));
    }
    Ok(AuthParam {
        name,
        value: &cur.s[vstart..cur.pos],
        name_span,
        value_span: cur.span_from(vstart),
    })
}

/// After a comma (and LWS) at `i`: does a new challenge start here, that is
/// `auth-scheme LWS auth-param-name EQUAL`? An auth-param is `name EQUAL`,
/// so a token followed by LWS and another token before the `=` can only be
/// a scheme.
fn starts_challenge(s: &[u8], i: usize) -> bool {
    let t1 = lex::token_end(s, i);
    if t1 == i {
        return false;
    }
    let j = lex::skip_lws(s, t1);
    if j == t1 {
        return false;
    }
    let t2 = lex::token_end(s, j);
    t2 > j && s.get(lex::skip_lws(s, t2)) == Some(&b'=')
}

/// One parsed challenge: positions relative to the row value.
struct Parsed {
    scheme_end: usize,
    params_start: usize,
    params_end: usize,
    next: Option<usize>,
}

/// Parses the challenge whose scheme starts at `cur.pos`.
fn parse_challenge(cur: &mut Cursor<'_>) -> Result<Parsed, HeaderValueError> {
    cur.expect_token()?;
    let scheme_end = cur.pos;
    cur.skip_lws();
    if cur.pos == scheme_end {
        return Err(cur.err(if cur.at_end() {
            HeaderValueErrorKind::Missing
        } else {
            HeaderValueErrorKind::UnexpectedChar
        }));
    }
    if cur.at_end() {
        // RFC 3261 needs at least one auth-param after the scheme.
        return Err(cur.err(HeaderValueErrorKind::Missing));
    }
    let params_start = cur.pos;
    let mut count = 0;
    loop {
        count += 1;
        if count > MAX_PARAMS {
            return Err(cur.err(HeaderValueErrorKind::TooManyParams));
        }
        auth_param(cur)?;
        let params_end = cur.pos;
        cur.skip_lws();
        if cur.at_end() {
            return Ok(Parsed {
                scheme_end,
                params_start,
                params_end,
                next: None,
            });
        }
        if !cur.eat(b',') {
            return Err(cur.err(HeaderValueErrorKind::Trailing));
        }
        cur.skip_lws();
        if starts_challenge(cur.s, cur.pos) {
            return Ok(Parsed {
                scheme_end,
                params_start,
                params_end,
                next: Some(cur.pos),
            });
        }
    }
}

/// One authentication challenge (RFC 3261 §25.1 `challenge`), shared by
/// [`WwwAuthenticate`] and [`ProxyAuthenticate`].
///
/// Parsing choices:
/// - The scheme must be followed by at least one LWS and one auth-param;
///   a bare scheme (or RFC 7235 `token68`) is [`Missing`].
/// - Every auth-param is `token EQUAL (token / quoted-string)`, Digest ones
///   included: whether `realm`, `nonce` or `qop` are quoted as RFC 3261
///   requires is left to the validator (`auth-digest-params`), which sees
///   the raw value through [`AuthParam::value`] and [`AuthParam::is_quoted`].
/// - Empty list elements (`a=1,,b=2`) are not in the SIP grammar and fail.
/// - When the row holds more than one challenge (`Digest ..., Basic ...`,
///   recognised as `token LWS token EQUAL` after a comma), the first one is
///   this value and the others stay reachable via [`Challenge::next_challenge`];
///   every challenge of the row is validated at parse time.
/// - At most 64 parameters per challenge ([`TooManyParams`]).
///
/// [`Missing`]: HeaderValueErrorKind::Missing
/// [`TooManyParams`]: HeaderValueErrorKind::TooManyParams
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Challenge<'a> {
    /// The row value from this challenge's scheme to the end of the row.
    s: &'a [u8],
    /// Absolute offset of `s[0]`.
    base: usize,
    scheme_end: usize,
    params_start: usize,
    params_end: usize,
    next: Option<usize>,
}

impl<'a> Challenge<'a> {
    /// Parses a whole row value (one or, wrongly, several challenges).
    fn parse_row(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let mut cur = Cursor::new(value, base);
        if value.is_empty() {
            return Err(cur.err(HeaderValueErrorKind::Empty));
        }
        let first = parse_challenge(&mut cur)?;
        let mut next = first.next;
        while let Some(at) = next {
            cur.pos = at;
            next = parse_challenge(&mut cur)?.next;
        }
        Ok(Challenge {
            s: value,
            base,
            scheme_end: first.scheme_end,
            params_start: first.params_start,
            params_end: first.params_end,
            next: first.next,
        })
    }

    /// The auth-scheme as sent (`Digest`, `Basic`, ...).
    pub fn scheme(&self) -> &'a str {
        ascii(&self.s[..self.scheme_end])
    }

    /// Absolute span of the scheme.
    pub fn scheme_span(&self) -> Span {
        Span::new(self.base, self.base + self.scheme_end)
    }

    /// True for the Digest scheme (case-insensitive, RFC 3261 §22.4).
    pub fn is_digest(&self) -> bool {
        self.s[..self.scheme_end].eq_ignore_ascii_case(b"Digest")
    }

    /// True for the Basic scheme, which SIP forbids (RFC 3261 §22.4 MUST
    /// NOT; rule `auth-challenge-no-basic`).
    pub fn is_basic(&self) -> bool {
        self.s[..self.scheme_end].eq_ignore_ascii_case(b"Basic")
    }

    /// The auth-params of this challenge, in order, re-read from the
    /// validated bytes (no allocation).
    pub fn params(&self) -> AuthParams<'a> {
        AuthParams {
            cur: Cursor::new(
                &self.s[self.params_start..self.params_end],
                self.base + self.params_start,
            ),
        }
    }

    /// The first auth-param named `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<AuthParam<'a>> {
        self.params().find(|p| p.is(name))
    }

    /// `realm` without quotes (RFC 3261 §25.1 `realm-value`).
    pub fn realm(&self) -> Option<&'a [u8]> {
        self.get("realm").map(|p| p.value_unquoted())
    }

    /// `nonce` without quotes.
    pub fn nonce(&self) -> Option<&'a [u8]> {
        self.get("nonce").map(|p| p.value_unquoted())
    }

    /// `opaque` without quotes.
    pub fn opaque(&self) -> Option<&'a [u8]> {
        self.get("opaque").map(|p| p.value_unquoted())
    }

    /// `algorithm` as sent (a token: `MD5`, `SHA-256`, `AKAv1-MD5`, ...;
    /// quotes removed if a sender added them).
    pub fn algorithm(&self) -> Option<&'a [u8]> {
        self.get("algorithm").map(|p| p.value_unquoted())
    }

    /// `qop` exactly as sent, quotes included (`"auth,auth-int"`): RFC 3261
    /// §25.1 `qop-options` requires the quotes, so the validator needs them.
    pub fn qop(&self) -> Option<&'a [u8]> {
        self.get("qop").map(|p| p.value())
    }

    /// `stale`: `Some(true)`/`Some(false)` for `true`/`false` in any case
    /// (RFC 3261 §25.1 `stale`), `None` when absent or anything else.
    pub fn stale(&self) -> Option<bool> {
        let v = self.get("stale")?.value_unquoted();
        if v.eq_ignore_ascii_case(b"true") {
            Some(true)
        } else if v.eq_ignore_ascii_case(b"false") {
            Some(false)
        } else {
            None
        }
    }

    /// True when this row holds more challenges after this one, joined by
    /// a comma (rule `auth-challenge-comma-combined`: RFC 3261 §7.3.1,
    /// §20.27, §20.44 forbid combining them onto one row).
    pub fn has_more_challenges(&self) -> bool {
        self.next.is_some()
    }

    /// The challenge that follows this one on the same row, if any.
    pub fn next_challenge(&self) -> Option<Challenge<'a>> {
        let at = self.next?;
        let rest = &self.s[at..];
        let mut cur = Cursor::new(rest, self.base + at);
        // The whole row was validated by `parse_row`; this cannot fail.
        let p = parse_challenge(&mut cur).ok()?;
        Some(Challenge {
            s: rest,
            base: self.base + at,
            scheme_end: p.scheme_end,
            params_start: p.params_start,
            params_end: p.params_end,
            next: p.next,
        })
    }

    /// Absolute span of this challenge, scheme through its last parameter.
    pub fn span(&self) -> Span {
        Span::new(self.base, self.base + self.params_end)
    }
}

/// Iterator over the [`AuthParam`]s of a [`Challenge`].
#[derive(Clone, Debug)]
pub struct AuthParams<'a> {
    cur: Cursor<'a>,
}

impl<'a> Iterator for AuthParams<'a> {
    type Item = AuthParam<'a>;

    fn next(&mut self) -> Option<AuthParam<'a>> {
        self.cur.skip_lws();
        if self.cur.at_end() {
            return None;
        }
        if self.cur.pos > 0 {
            self.cur.eat(b',');
            self.cur.skip_lws();
        }
        // Validated region: cannot fail; stop if it does.
        auth_param(&mut self.cur).ok()
    }
}

/// A lax reading of one challenge ([`WwwAuthenticate::parse_lax`],
/// [`ProxyAuthenticate::parse_lax`]): the scheme and each auth-param on
/// their own. A scheme that is no token is a [`Part::Scheme`] defect; an
/// auth-param that is not `name EQUAL (token / quoted-string)` is a
/// [`Part::Param`] defect spanning it up to the next comma, and the others
/// stay readable. A row holding several challenges is read one challenge at
/// a time ([`ChallengeLax::next_challenge`]), each with its own defects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChallengeLax<'a> {
    /// The row value from this challenge's first byte to the end of the row.
    s: &'a [u8],
    base: usize,
    scheme_end: Option<usize>,
    params: (usize, usize),
    next: Option<usize>,
    defects: Defects,
}

impl<'a> ChallengeLax<'a> {
    /// The defects of this challenge (empty: it is valid).
    pub fn defects(&self) -> &Defects {
        &self.defects
    }

    /// The auth-scheme, when it is a token.
    pub fn scheme(&self) -> Option<&'a str> {
        self.scheme_end.map(|e| ascii(&self.s[..e]))
    }

    /// Absolute span of the scheme.
    pub fn scheme_span(&self) -> Option<Span> {
        self.scheme_end.map(|e| Span::new(self.base, self.base + e))
    }

    /// True for the Digest scheme (case-insensitive).
    pub fn is_digest(&self) -> bool {
        self.scheme()
            .is_some_and(|s| s.eq_ignore_ascii_case("Digest"))
    }

    /// True for the Basic scheme (forbidden in SIP, RFC 3261 §22.4).
    pub fn is_basic(&self) -> bool {
        self.scheme()
            .is_some_and(|s| s.eq_ignore_ascii_case("Basic"))
    }

    /// The well-formed auth-params, in order (malformed ones are skipped to
    /// the next comma).
    pub fn params(&self) -> impl Iterator<Item = AuthParam<'a>> + 'a {
        let (a, b) = self.params;
        let mut cur = Cursor::new(&self.s[..b], self.base);
        cur.pos = a;
        core::iter::from_fn(move || loop {
            cur.skip_lws();
            if cur.at_end() {
                return None;
            }
            let start = cur.pos;
            match auth_param(&mut cur) {
                Ok(p) if after_param_ok(&cur) => {
                    cur.skip_lws();
                    cur.eat(b',');
                    return Some(p);
                }
                _ => {
                    cur.pos = start;
                    skip_to_comma(&mut cur);
                    cur.eat(b',');
                }
            }
        })
    }

    /// The first well-formed auth-param named `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<AuthParam<'a>> {
        self.params().find(|p| p.is(name))
    }

    /// `realm` without quotes, when well-formed.
    pub fn realm(&self) -> Option<&'a [u8]> {
        self.get("realm").map(|p| p.value_unquoted())
    }

    /// `nonce` without quotes, when well-formed.
    pub fn nonce(&self) -> Option<&'a [u8]> {
        self.get("nonce").map(|p| p.value_unquoted())
    }

    /// True when the row holds another challenge after this one.
    pub fn has_more_challenges(&self) -> bool {
        self.next.is_some()
    }

    /// The next challenge of the row, read laxly.
    pub fn next_challenge(&self) -> Option<ChallengeLax<'a>> {
        let at = self.next?;
        Some(read_challenge_lax(&self.s[at..], self.base + at))
    }

    /// Absolute span of this challenge, scheme through its last parameter.
    pub fn span(&self) -> Span {
        Span::new(self.base, self.base + self.params.1)
    }
}

impl LaxReading for ChallengeLax<'_> {
    fn defects(&self) -> &Defects {
        &self.defects
    }
}

/// After an auth-param: LWS, then the end or a comma.
fn after_param_ok(cur: &Cursor<'_>) -> bool {
    let mut c = *cur;
    c.skip_lws();
    matches!(c.peek(), None | Some(b','))
}

/// Skips to the next comma outside a quoted string, or the end.
fn skip_to_comma(cur: &mut Cursor<'_>) {
    while let Some(b) = cur.peek() {
        match b {
            b',' => return,
            b'"' => cur.pos = lex::quoted_string_end(cur.s, cur.pos).unwrap_or(cur.s.len()),
            _ => cur.pos += 1,
        }
    }
}

/// Reads the challenge that starts `s` (the rest of the row) laxly.
fn read_challenge_lax(s: &[u8], base: usize) -> ChallengeLax<'_> {
    use HeaderValueErrorKind as K;
    let mut lax = ChallengeLax {
        s,
        base,
        scheme_end: None,
        params: (0, 0),
        next: None,
        defects: Defects::new(),
    };
    let mut cur = Cursor::new(s, base);
    cur.skip_lws();
    if cur.at_end() {
        lax.defects
            .push(Defect::new(Part::Value, cur.span_from(cur.pos), K::Empty));
        return lax;
    }
    let start = cur.pos;
    let t = cur.token();
    let lws_after = cur.peek().is_some_and(lex::is_lws);
    if !t.is_empty() && (lws_after || cur.at_end()) {
        lax.scheme_end = Some(cur.pos);
    } else {
        // Not `token LWS`: the scheme is the first word.
        while cur.peek().is_some_and(|b| !lex::is_lws(b)) {
            cur.pos += 1;
        }
        let at = if t.is_empty() { start } else { start + t.len() };
        lax.defects.push(
            Defect::new(
                Part::Scheme,
                cur.span_from(start),
                if t.is_empty() {
                    K::ExpectedToken
                } else {
                    K::UnexpectedChar
                },
            )
            .at(base + at),
        );
    }
    cur.skip_lws();
    if cur.at_end() {
        // RFC 3261 needs at least one auth-param after the scheme.
        lax.defects
            .push(Defect::new(Part::Param, cur.span_from(cur.pos), K::Missing));
        lax.params = (cur.pos, cur.pos);
        return lax;
    }
    let params_start = cur.pos;
    let mut params_end;
    let mut count = 0;
    loop {
        count += 1;
        if count > MAX_PARAMS {
            lax.defects.push(Defect::new(
                Part::Param,
                Span::new(base + cur.pos, base + s.len()),
                K::TooManyParams,
            ));
            params_end = s.len();
            break;
        }
        let pstart = cur.pos;
        match auth_param(&mut cur) {
            Ok(_) if after_param_ok(&cur) => {}
            r => {
                let at = match r {
                    Err(e) => e.offset(),
                    Ok(_) => {
                        let mut c = cur;
                        c.skip_lws();
                        base + c.pos
                    }
                };
                let kind = match r {
                    Err(e) => e.kind(),
                    Ok(_) => K::Trailing,
                };
                cur.pos = pstart;
                skip_to_comma(&mut cur);
                let end = pstart + lex::trim_lws(&s[pstart..cur.pos]).len();
                lax.defects.push(
                    Defect::new(Part::Param, Span::new(base + pstart, base + end), kind).at(at),
                );
            }
        }
        params_end = cur.pos;
        cur.skip_lws();
        if cur.at_end() || !cur.eat(b',') {
            break;
        }
        cur.skip_lws();
        if starts_challenge(s, cur.pos) {
            lax.next = Some(cur.pos);
            break;
        }
        if cur.at_end() {
            lax.defects
                .push(Defect::new(Part::Param, cur.span_from(cur.pos), K::Empty));
            break;
        }
    }
    lax.params = (params_start, params_end);
    lax
}

macro_rules! challenge_header {
    ($(#[$doc:meta])* $ty:ident, $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $ty<'a>(Challenge<'a>);

        impl<'a> $ty<'a> {
            /// The challenge this row holds (the first one, if it wrongly holds several).
            pub fn challenge(&self) -> Challenge<'a> {
                self.0
            }
        }

        impl<'a> Deref for $ty<'a> {
            type Target = Challenge<'a>;
            fn deref(&self) -> &Challenge<'a> {
                &self.0
            }
        }

        impl<'a> TypedHeader<'a> for $ty<'a> {
            const NAME: KnownHeader = KnownHeader::$name;

            fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
                Challenge::parse_row(value, base).map($ty)
            }
        }

        impl<'a> $ty<'a> {
            /// Reads the row's first challenge laxly (see [`ChallengeLax`]);
            /// further challenges of the row through
            /// [`ChallengeLax::next_challenge`].
            pub fn parse_lax(value: &'a [u8], base: usize) -> ChallengeLax<'a> {
                read_challenge_lax(value, base)
            }
        }

        impl<'a> LaxHeader<'a> for $ty<'a> {
            type Lax = ChallengeLax<'a>;
            fn parse_lax(value: &'a [u8], base: usize) -> ChallengeLax<'a> {
                read_challenge_lax(value, base)
            }
        }
    };
}

challenge_header! {
    /// A `WWW-Authenticate` row (RFC 3261 §20.44): the challenge of a UAS or
    /// registrar, mandatory in a 401 (§21.4.2, §22.2). Derefs to [`Challenge`].
    WwwAuthenticate, WwwAuthenticate
}

challenge_header! {
    /// A `Proxy-Authenticate` row (RFC 3261 §20.27): a proxy's challenge,
    /// mandatory in a 407 (§21.4.8, §22.3). Derefs to [`Challenge`].
    ProxyAuthenticate, ProxyAuthenticate
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lax_challenges() {
        use crate::grammar::Part as P;
        use HeaderValueErrorKind as K;
        type Row<'a> = (
            &'a [u8],
            Option<&'a str>,
            Option<&'a [u8]>,
            &'a [(P, K, &'a [u8])],
        );
        let table: &[Row<'_>] = &[
            (
                b"Digest realm=\"a.com\", nonce=\"xyz\", qop=\"auth\"",
                Some("Digest"),
                Some(b"a.com"),
                &[],
            ),
            (
                b"Digest realm=\"a.com\", nonce=, qop=\"auth\"",
                Some("Digest"),
                Some(b"a.com"),
                &[(P::Param, K::BadParam, b"nonce=")],
            ),
            (
                b"Digest realm=\"a.com\", nonce=\"open, qop=x",
                Some("Digest"),
                Some(b"a.com"),
                &[(P::Param, K::UnterminatedQuote, b"nonce=\"open, qop=x")],
            ),
            (
                b"Digest realm=a b, nonce=1",
                Some("Digest"),
                None,
                &[(P::Param, K::Trailing, b"realm=a b")],
            ),
            (
                b"Digest",
                Some("Digest"),
                None,
                &[(P::Param, K::Missing, b"")],
            ),
            (
                b"Dig@est realm=x",
                None,
                Some(b"x"),
                &[(P::Scheme, K::UnexpectedChar, b"Dig@est")],
            ),
            (
                b"Digest realm=x,",
                Some("Digest"),
                Some(b"x"),
                &[(P::Param, K::Empty, b"")],
            ),
            (b"", None, None, &[(P::Value, K::Empty, b"")]),
        ];
        for &(s, scheme, realm, want) in table {
            let name = String::from_utf8_lossy(s);
            let c = WwwAuthenticate::parse_lax(s, 9);
            assert_eq!((c.scheme(), c.realm()), (scheme, realm), "{name}");
            let got: Vec<(P, K, &[u8])> = c
                .defects()
                .iter()
                .map(|d| (d.part, d.kind, &s[d.span.start - 9..d.span.end - 9]))
                .collect();
            assert_eq!(got, want, "{name}");
            assert_eq!(
                c.defects().is_empty(),
                WwwAuthenticate::parse(s, 9).is_ok(),
                "{name}"
            );
        }
        let row = b"Digest realm=\"a\", nonce=\"1\", Basic realm=, x=1";
        let first = ProxyAuthenticate::parse_lax(row, 0);
        assert!(first.defects().is_empty() && first.has_more_challenges() && first.is_digest());
        assert_eq!(first.params().count(), 2);
        let second = first.next_challenge().unwrap();
        assert!(second.is_basic());
        assert_eq!(second.defects().first().map(|d| d.part), Some(P::Param));
        assert_eq!(second.get("x").map(|p| p.value()), Some(&b"1"[..]));
        assert!(second.next_challenge().is_none());
    }

    const PREFIX: &str = "WWW-Authenticate: ";

    fn parse(buf: &str) -> Result<WwwAuthenticate<'_>, HeaderValueError> {
        WwwAuthenticate::parse(&buf.as_bytes()[PREFIX.len()..], PREFIX.len())
    }

    /// Real rows (corpus/fixtures) and RFC examples, with the expected
    /// scheme, realm, nonce, algorithm, qop (as sent), stale and param count.
    #[test]
    fn valid_values() {
        type Case<'c> = (
            &'c str,
            &'c str,
            Option<&'c str>,
            Option<&'c str>,
            Option<&'c str>,
            Option<&'c str>,
            Option<bool>,
            usize,
        );
        let cases: &[Case<'_>] = &[
            (
                "Digest realm=\"310410010001002@ims.mnc410.mcc310.3gppnetwork.org\", \
                 nonce=\"PUKFeHLm/11FH3TWcJQkNO4fvEgFDZAB9hGpnv8tWi8=\", algorithm=AKAv1-MD5",
                "Digest",
                Some("310410010001002@ims.mnc410.mcc310.3gppnetwork.org"),
                Some("PUKFeHLm/11FH3TWcJQkNO4fvEgFDZAB9hGpnv8tWi8="),
                Some("AKAv1-MD5"),
                None,
                None,
                3,
            ),
            (
                "Digest realm=\"example.com\", nonce=\"84a7de9a8a9c\", algorithm=MD5, qop=\"auth\"",
                "Digest",
                Some("example.com"),
                Some("84a7de9a8a9c"),
                Some("MD5"),
                Some("\"auth\""),
                None,
                4,
            ),
            (
                "Digest realm=\"sip.cybercity.dk\",nonce=\"1701af566be182070084c6f740706bb\",\
                 opaque=\"1701a1351f70795\",stale=false,algorithm=MD5",
                "Digest",
                Some("sip.cybercity.dk"),
                Some("1701af566be182070084c6f740706bb"),
                Some("MD5"),
                None,
                Some(false),
                5,
            ),
            (
                "Digest qop=\"auth\",nonce=\"695bd0bc0e572c5791521eac5bceee17\",realm=\"oxe\"",
                "Digest",
                Some("oxe"),
                Some("695bd0bc0e572c5791521eac5bceee17"),
                None,
                Some("\"auth\""),
                None,
                3,
            ),
            (
                "Digest realm=\"proxy.example.com\", nonce=\"89a7ce1234ab\", algorithm=SHA-256, \
                 qop=\"auth,auth-int\"",
                "Digest",
                Some("proxy.example.com"),
                Some("89a7ce1234ab"),
                Some("SHA-256"),
                Some("\"auth,auth-int\""),
                None,
                4,
            ),
            (
                "Basic realm=\"x\"",
                "Basic",
                Some("x"),
                None,
                None,
                None,
                None,
                1,
            ),
            (
                "digest\r\n realm = \"a,b\" ,\tstale=TRUE , qop=auth",
                "digest",
                Some("a,b"),
                None,
                None,
                Some("auth"),
                Some(true),
                3,
            ),
            ("Foo a=b", "Foo", None, None, None, None, None, 1),
            (
                "Digest stale=maybe",
                "Digest",
                None,
                None,
                None,
                None,
                None,
                1,
            ),
        ];
        for &(v, scheme, realm, nonce, alg, qop, stale, n) in cases {
            let buf = format!("{PREFIX}{v}");
            let b = buf.as_bytes();
            let c = parse(&buf).unwrap_or_else(|e| panic!("{v:?}: {e}"));
            assert_eq!(c.scheme(), scheme);
            assert_eq!(&b[c.scheme_span().range()], scheme.as_bytes());
            assert_eq!(c.is_digest(), scheme.eq_ignore_ascii_case("digest"));
            assert_eq!(c.is_basic(), scheme == "Basic");
            assert_eq!(c.realm(), realm.map(str::as_bytes), "{v}");
            assert_eq!(c.nonce(), nonce.map(str::as_bytes), "{v}");
            assert_eq!(c.algorithm(), alg.map(str::as_bytes), "{v}");
            assert_eq!(c.qop(), qop.map(str::as_bytes), "{v}");
            assert_eq!(c.stale(), stale, "{v}");
            assert_eq!(c.params().count(), n, "{v}");
            assert!(!c.has_more_challenges());
            assert!(c.next_challenge().is_none());
            assert_eq!(&b[c.span().range()], v.as_bytes());
            for p in c.params() {
                assert_eq!(&b[p.name_span().range()], p.name().as_bytes());
                assert_eq!(&b[p.value_span().range()], p.value());
            }
        }
        let buf = format!("{PREFIX}Digest realm=\"a\", nonce=xyz");
        let c = parse(&buf).unwrap();
        let ps: Vec<_> = c.params().collect();
        assert_eq!(ps[0].name_span(), Span::new(25, 30));
        assert_eq!(ps[0].value_span(), Span::new(31, 34));
        assert_eq!(ps[1].span(), Span::new(36, 45));
        assert!(ps[0].is_quoted() && !ps[1].is_quoted());
        assert_eq!(c.get("NONCE").unwrap().value(), b"xyz");
    }

    #[test]
    fn combined_challenges_are_detected() {
        let v = "Digest realm=\"a\", nonce=\"n\", Basic realm=\"b\",Foo x=1";
        let buf = format!("{PREFIX}{v}");
        let b = buf.as_bytes();
        let c = parse(&buf).unwrap();
        assert!(c.has_more_challenges());
        assert_eq!(c.params().count(), 2);
        assert_eq!(&b[c.span().range()], b"Digest realm=\"a\", nonce=\"n\"");
        let second = c.next_challenge().unwrap();
        assert_eq!(second.scheme(), "Basic");
        assert_eq!(&b[second.scheme_span().range()], b"Basic");
        assert_eq!(second.realm(), Some(&b"b"[..]));
        assert!(second.has_more_challenges());
        let third = second.next_challenge().unwrap();
        assert_eq!(third.scheme(), "Foo");
        assert_eq!(&b[third.span().range()], b"Foo x=1");
        assert!(third.next_challenge().is_none());

        // Not a new challenge: spaces around `=` in a plain parameter.
        let buf = format!("{PREFIX}Digest realm=\"a\", nonce = \"n\"");
        assert!(!parse(&buf).unwrap().has_more_challenges());
        // A broken later challenge fails the whole row.
        let buf = format!("{PREFIX}Digest realm=\"a\", Basic realm=\"b");
        assert_eq!(
            parse(&buf).unwrap_err().kind(),
            HeaderValueErrorKind::UnterminatedQuote
        );
    }

    #[test]
    fn proxy_authenticate_has_its_name() {
        assert_eq!(ProxyAuthenticate::NAME, KnownHeader::ProxyAuthenticate);
        assert_eq!(WwwAuthenticate::NAME, KnownHeader::WwwAuthenticate);
        let v = b"Digest realm=\"r\"";
        let p = ProxyAuthenticate::parse(v, 100).unwrap();
        assert_eq!(p.challenge().realm(), Some(&b"r"[..]));
        assert_eq!(p.scheme_span(), Span::new(100, 106));
    }

    #[test]
    fn invalid_values_are_located() {
        use HeaderValueErrorKind as K;
        let cases: &[(&str, K, usize)] = &[
            ("", K::Empty, 0),
            ("Digest", K::Missing, 6),
            ("Digest ", K::Missing, 7),
            ("Digest,realm=\"a\"", K::UnexpectedChar, 6),
            ("\"Digest\" realm=a", K::ExpectedToken, 0),
            ("Digest realm", K::BadParam, 12),
            ("Digest realm=", K::BadParam, 13),
            ("Digest realm=\"a", K::UnterminatedQuote, 13),
            ("Digest realm=\"a\",", K::ExpectedToken, 17),
            ("Digest realm=\"a\",,nonce=b", K::ExpectedToken, 17),
            ("Digest realm=\"a\" nonce=b", K::Trailing, 17),
            ("Digest realm=a;b", K::Trailing, 14),
            ("Digest realm=<a>", K::BadParam, 13),
            ("Digest ab5cd==", K::BadParam, 13),
        ];
        for &(v, kind, off) in cases {
            let buf = format!("{PREFIX}{v}");
            let e = parse(&buf).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, PREFIX.len() + off), "{v:?}");
        }
        let many = format!("Digest {}", vec!["a=b"; MAX_PARAMS + 1].join(","));
        let buf = format!("{PREFIX}{many}");
        assert_eq!(parse(&buf).unwrap_err().kind(), K::TooManyParams);
    }

    fn sws() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just(""), Just(" "), Just("\t"), Just("\r\n "), Just("  ")]
    }

    fn lws() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just(" "), Just("\t"), Just("\r\n "), Just("  ")]
    }

    proptest! {
        #[test]
        fn render_parse_round_trip(
            scheme in prop_oneof![Just("Digest".to_string()), Just("Basic".to_string()), "[A-Za-z][A-Za-z0-9-]{0,8}"],
            upper in any::<bool>(),
            params in proptest::collection::vec(
                ("[a-z][a-z0-9-]{0,7}", prop_oneof![
                    "[A-Za-z0-9.-]{1,10}".prop_map(|s| (s, false)),
                    "([A-Za-z0-9 ,;:=@/+-]|\\\\[a-z\"])*".prop_map(|s| (format!("\"{s}\""), true)),
                ]),
                1..8,
            ),
            sep in lws(), w1 in sws(), w2 in sws(),
        ) {
            let scheme = if upper { scheme.to_ascii_uppercase() } else { scheme };
            let body: Vec<String> = params
                .iter()
                .map(|(n, (v, _))| format!("{n}{w1}={w2}{v}"))
                .collect();
            let v = format!("{scheme}{sep}{}", body.join(&format!("{w1},{w2}")));
            let buf = format!("{PREFIX}{v}");
            let b = buf.as_bytes();
            let c = parse(&buf).unwrap();
            prop_assert_eq!(c.scheme(), scheme.as_str());
            prop_assert!(!c.has_more_challenges());
            let got: Vec<AuthParam<'_>> = c.params().collect();
            prop_assert_eq!(got.len(), params.len());
            for (p, (n, (v, quoted))) in got.iter().zip(&params) {
                prop_assert_eq!(p.name(), n.as_str());
                prop_assert_eq!(p.value(), v.as_bytes());
                prop_assert_eq!(p.is_quoted(), *quoted);
                prop_assert_eq!(&b[p.value_span().range()], v.as_bytes());
                prop_assert_eq!(&b[p.name_span().range()], n.as_bytes());
            }
        }

        #[test]
        fn lax_agrees_with_strict(v in "[a-zA-Z=\", ]{0,40}", base in 0usize..1000) {
            // A value reaches the typed parsers trimmed of surrounding LWS
            // (TypedHeader::parse), so the comparison is on trimmed values.
            let v = v.trim_matches(' ');
            let strict = WwwAuthenticate::parse(v.as_bytes(), base);
            let mut lax = Some(WwwAuthenticate::parse_lax(v.as_bytes(), base));
            let mut clean = true;
            let mut n = 0;
            while let Some(c) = lax {
                for d in c.defects() {
                    prop_assert!(d.span.start >= base && d.span.end <= base + v.len());
                }
                clean &= c.defects().is_empty();
                lax = c.next_challenge();
                n += 1;
                prop_assert!(n <= v.len() + 1);
            }
            prop_assert_eq!(clean, strict.is_ok());
        }

        #[test]
        fn arbitrary_bytes_never_panic(v in proptest::collection::vec(any::<u8>(), 0..64), base in 0usize..1000) {
            match WwwAuthenticate::parse(&v, base) {
                Ok(c) => {
                    prop_assert!(c.span().end <= base + v.len());
                    let mut next = c.next_challenge();
                    while let Some(n) = next {
                        prop_assert!(n.params().count() >= 1);
                        next = n.next_challenge();
                    }
                    prop_assert!(c.params().count() >= 1);
                }
                Err(e) => prop_assert!(e.offset() >= base && e.offset() <= base + v.len()),
            }
        }

        #[test]
        fn token_soup_never_panics(v in "[A-Za-z=\", ]{0,40}") {
            if let Ok(c) = WwwAuthenticate::parse(v.as_bytes(), 0) {
                let _ = c.params().count();
                let _ = c.stale();
                let mut next = c.next_challenge();
                while let Some(n) = next {
                    next = n.next_challenge();
                }
            }
        }
    }
}
