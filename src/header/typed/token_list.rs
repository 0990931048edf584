//! Elements of the token-list headers: Allow, Supported, Require,
//! Proxy-Require, Unsupported, Allow-Events, Accept, Accept-Encoding and
//! Accept-Language.
//!
//! All of these are `ListKind::List` headers, so each type is ONE
//! comma-separated element: the message layer splits a row with the list
//! splitter and calls `parse` per element. An empty row yields no element
//! at all (the grammars of Allow, Supported and the Accept headers allow an
//! empty value), so `parse(b"")` only ever sees the empty element between
//! two commas (`a,,b`) and fails with `Empty`.

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::grammar::{self, Defect, Defects, Part};
use crate::header::param::{scan_params, Params};
use crate::header::typed::content_type::{scan_media_pair, MediaPair};
use crate::header::typed::number::{finish, start_value};
use crate::header::typed::scan::{ascii, bad_param, qvalue, spanned_token};
use crate::header::typed::{LaxReading, TypedHeader};
use crate::header::KnownHeader;
use crate::lex::{self, ListSplit};
use crate::Span;

/// Parses an element that is exactly one `token`.
fn parse_token(value: &[u8], base: usize) -> Result<(&str, Span), HeaderValueError> {
    let mut cur = Cursor::new(value, base);
    start_value(&mut cur)?;
    let (t, span) = spanned_token(&mut cur)?;
    finish(&mut cur)?;
    Ok((ascii(t), span))
}

macro_rules! token_element {
    (
        $(#[$doc:meta])*
        $ty:ident, $name:ident, $case_sensitive:expr, $is_doc:literal
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct $ty<'a> {
            value: &'a str,
            span: Span,
        }

        impl<'a> $ty<'a> {
            /// The token as sent.
            pub fn as_str(&self) -> &'a str {
                self.value
            }

            /// The token's bytes as sent.
            pub fn as_bytes(&self) -> &'a [u8] {
                self.value.as_bytes()
            }

            /// Absolute span of the token.
            pub fn span(&self) -> Span {
                self.span
            }

            #[doc = $is_doc]
            pub fn is(&self, other: &str) -> bool {
                if $case_sensitive {
                    self.value == other
                } else {
                    self.value.eq_ignore_ascii_case(other)
                }
            }
        }

        impl<'a> TypedHeader<'a> for $ty<'a> {
            const NAME: KnownHeader = KnownHeader::$name;

            fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
                let (value, span) = parse_token(value, base)?;
                Ok($ty { value, span })
            }
        }
    };
}

token_element! {
    /// One Allow element (RFC 3261 §20.5): a `Method`, i.e. a `token`
    /// (`Allow = "Allow" HCOLON [Method *(COMMA Method)]`, §25.1).
    ///
    /// Methods are case-sensitive (§20.16, §25.1), so [`Allow::is`] compares
    /// exactly. Rule `allow-syntax`.
    Allow, Allow, true,
    "True when the method is exactly `other` (methods are case-sensitive, RFC 3261 §25.1)."
}

token_element! {
    /// One Supported element (RFC 3261 §20.37): an `option-tag` (a `token`).
    /// `Supported = ("Supported" / "k") HCOLON [option-tag *(COMMA option-tag)]`.
    ///
    /// Option tags are tokens and so compared ignoring case (§7.3.1).
    Supported, Supported, false,
    "True when the option tag equals `other` ignoring ASCII case (tokens are case-insensitive, RFC 3261 §7.3.1)."
}

token_element! {
    /// One Require element (RFC 3261 §20.32): an `option-tag` (a `token`).
    /// `Require = "Require" HCOLON option-tag *(COMMA option-tag)`.
    Require, Require, false,
    "True when the option tag equals `other` ignoring ASCII case (tokens are case-insensitive, RFC 3261 §7.3.1)."
}

token_element! {
    /// One Proxy-Require element (RFC 3261 §20.29): an `option-tag`.
    /// `Proxy-Require = "Proxy-Require" HCOLON option-tag *(COMMA option-tag)`.
    /// A request header; parsed so its presence in a response can be judged.
    ProxyRequire, ProxyRequire, false,
    "True when the option tag equals `other` ignoring ASCII case (tokens are case-insensitive, RFC 3261 §7.3.1)."
}

token_element! {
    /// One Unsupported element (RFC 3261 §20.40): an `option-tag`.
    /// `Unsupported = "Unsupported" HCOLON option-tag *(COMMA option-tag)`.
    Unsupported, Unsupported, false,
    "True when the option tag equals `other` ignoring ASCII case (tokens are case-insensitive, RFC 3261 §7.3.1)."
}

/// One Allow-Events element (RFC 6665 §8.4, §7.2): an `event-type`.
///
/// ```text
/// Allow-Events  = ( "Allow-Events" / "u" ) HCOLON event-type *(COMMA event-type)
/// event-type    = event-package *( "." event-template )
/// event-package = token-nodot
/// event-template= token-nodot
/// ```
///
/// `token-nodot` is a token without `.`, so a dot must separate two
/// non-empty parts: `presence.winfo` is fine, `.x`, `x.` and `x..y` are
/// `UnexpectedChar` at the offending dot. Event types are compared byte by
/// byte (RFC 6665 §8.2.1), so [`AllowEvents::is`] is case-sensitive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AllowEvents<'a> {
    value: &'a str,
    span: Span,
}

impl<'a> AllowEvents<'a> {
    /// The whole event type as sent (`presence.winfo`).
    pub fn as_str(&self) -> &'a str {
        self.value
    }

    /// Absolute span of the event type.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The event package: the part before the first `.` (`presence`).
    pub fn package(&self) -> &'a str {
        self.value.split('.').next().unwrap_or(self.value)
    }

    /// Absolute span of the event package.
    pub fn package_span(&self) -> Span {
        Span::new(self.span.start, self.span.start + self.package().len())
    }

    /// The event templates after the package, in order (`winfo`).
    pub fn templates(&self) -> impl Iterator<Item = &'a str> + 'a {
        self.value.split('.').skip(1)
    }

    /// True when the event type is exactly `other` (byte-wise, RFC 6665 §8.2.1).
    pub fn is(&self, other: &str) -> bool {
        self.value == other
    }
}

impl<'a> TypedHeader<'a> for AllowEvents<'a> {
    const NAME: KnownHeader = KnownHeader::AllowEvents;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let (value, span) = parse_token(value, base)?;
        let b = value.as_bytes();
        // A dot with no part before or after it (leading, trailing, doubled).
        let bad = b
            .iter()
            .enumerate()
            .position(|(i, &c)| c == b'.' && (i == 0 || matches!(b.get(i + 1), None | Some(b'.'))));
        if let Some(i) = bad {
            return Err(HeaderValueError::new(
                HeaderValueErrorKind::UnexpectedChar,
                span.start + i,
            ));
        }
        Ok(AllowEvents { value, span })
    }
}

/// A lax reading of one whole row of a token-list header (Allow,
/// Supported, Require, Proxy-Require, Unsupported, Allow-Events): each
/// element is checked on its own, every element that is empty or not a
/// token (for Allow-Events: not an `event-type`) is one [`Part::Item`]
/// defect with its span, and a row with no element where the grammar needs
/// one (`Require`, `Proxy-Require`, `Unsupported`, `Allow-Events`) is one
/// [`Part::Value`] `Empty` defect. [`TokenListLax::items`] yields the valid
/// elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenListLax<'a> {
    value: &'a [u8],
    base: usize,
    event_type: bool,
    defects: Defects,
}

impl<'a> TokenListLax<'a> {
    /// The defects found (empty: the row is valid).
    pub fn defects(&self) -> &Defects {
        &self.defects
    }

    /// The valid elements with their absolute spans, in order.
    pub fn items(&self) -> impl Iterator<Item = (&'a str, Span)> + 'a {
        let (value, base, event_type) = (self.value, self.base, self.event_type);
        ListSplit::new(value).filter_map(move |(a, b)| {
            let item = &value[a..b];
            item_defect(item, event_type)
                .is_none()
                .then(|| (ascii(item), Span::new(base + a, base + b)))
        })
    }

    /// True when the row holds no valid element.
    pub fn is_empty(&self) -> bool {
        self.items().next().is_none()
    }
}

impl LaxReading for TokenListLax<'_> {
    fn defects(&self) -> &Defects {
        &self.defects
    }
}

/// What is wrong with one element, and where (relative): an empty element,
/// a byte that is not a token byte, or (for an `event-type`) a dot without
/// a part on each side.
fn item_defect(item: &[u8], event_type: bool) -> Option<(HeaderValueErrorKind, usize)> {
    use HeaderValueErrorKind as K;
    if item.is_empty() {
        return Some((K::Empty, 0));
    }
    match grammar::text::token(item) {
        Err(_) => return Some((K::ExpectedToken, 0)),
        Ok((rest, _)) if !rest.is_empty() => {
            return Some((K::UnexpectedChar, item.len() - rest.len()))
        }
        Ok(_) => {}
    }
    if event_type {
        let bad = item.iter().enumerate().position(|(i, &c)| {
            c == b'.' && (i == 0 || matches!(item.get(i + 1), None | Some(b'.')))
        });
        if let Some(i) = bad {
            return Some((K::UnexpectedChar, i));
        }
    }
    None
}

/// Reads a token-list row laxly (see [`TokenListLax`]).
fn read_token_list(
    value: &[u8],
    base: usize,
    at_least_one: bool,
    event_type: bool,
) -> TokenListLax<'_> {
    let mut defects = Defects::new();
    if lex::trim_lws(value).is_empty() {
        if at_least_one {
            let at = base + lex::skip_lws(value, 0);
            defects.push(Defect::new(
                Part::Value,
                Span::empty(at),
                HeaderValueErrorKind::Empty,
            ));
        }
    } else {
        for (a, b) in ListSplit::new(value) {
            if let Some((kind, off)) = item_defect(&value[a..b], event_type) {
                defects.push(
                    Defect::new(Part::Item, Span::new(base + a, base + b), kind).at(base + a + off),
                );
            }
        }
    }
    TokenListLax {
        value,
        base,
        event_type,
        defects,
    }
}

macro_rules! row_lax {
    ($ty:ident, $at_least_one:expr, $event_type:expr) => {
        impl<'a> $ty<'a> {
            /// Reads one whole row of this header laxly: every element
            /// checked on its own (see [`TokenListLax`]).
            pub fn parse_row_lax(value: &'a [u8], base: usize) -> TokenListLax<'a> {
                read_token_list(value, base, $at_least_one, $event_type)
            }
        }
    };
}

row_lax!(Allow, false, false);
row_lax!(Supported, false, false);
row_lax!(Require, true, false);
row_lax!(ProxyRequire, true, false);
row_lax!(Unsupported, true, false);
row_lax!(AllowEvents, true, true);

/// Scans `*(SEMI accept-param)` with `accept-param = ("q" EQUAL qvalue) /
/// generic-param` (RFC 3261 §25.1) and checks every `q`. A malformed `q`
/// (`q=2`, `q=.5`, `q=0.1234`, `q` alone) is `BadParam` at its value (or
/// at the end of the name when it has none). Returns the params and the
/// first `q` in thousandths.
fn scan_accept_params<'a>(
    cur: &mut Cursor<'a>,
) -> Result<(Params<'a>, Option<u16>), HeaderValueError> {
    let params = scan_params(cur)?;
    let mut q = None;
    for p in params.iter().filter(|p| p.is("q")) {
        let parsed = p.value().and_then(qvalue);
        match parsed {
            Some(v) => {
                q.get_or_insert(v);
            }
            None => return Err(bad_param(&p)),
        }
    }
    Ok((params, q))
}

/// One Accept element (RFC 3261 §20.1): a `media-range` with parameters.
///
/// ```text
/// Accept      = "Accept" HCOLON [ accept-range *(COMMA accept-range) ]
/// accept-range= media-range *(SEMI accept-param)
/// media-range = ( "*/*" / ( m-type SLASH "*" ) / ( m-type SLASH m-subtype ) )
///               *( SEMI m-parameter )
/// accept-param= ( "q" EQUAL qvalue ) / generic-param
/// ```
///
/// `*/sdp` is rejected (`UnexpectedChar` at the subtype): the grammar only
/// allows a wildcard type together with a wildcard subtype. A lone `*`
/// (seen in HTTP Accept headers) is `Missing` the slash. Names compare
/// ignoring case (§7.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accept<'a> {
    pair: MediaPair<'a>,
    params: Params<'a>,
    q: Option<u16>,
}

impl<'a> Accept<'a> {
    /// The type as sent (`application`, or `*`).
    pub fn media_type(&self) -> &'a str {
        self.pair.ty
    }

    /// Absolute span of the type.
    pub fn media_type_span(&self) -> Span {
        self.pair.ty_span
    }

    /// The subtype as sent (`sdp`, or `*`).
    pub fn subtype(&self) -> &'a str {
        self.pair.sub
    }

    /// Absolute span of the subtype.
    pub fn subtype_span(&self) -> Span {
        self.pair.sub_span
    }

    /// The parameters (media parameters and accept-params together, as the
    /// grammar cannot tell them apart).
    pub fn params(&self) -> Params<'a> {
        self.params
    }

    /// The `q` value in thousandths (`q=0.5` is 500, `q=1` is 1000), if any.
    pub fn q(&self) -> Option<u16> {
        self.q
    }

    /// True when the range is exactly `ty/subtype`, ignoring ASCII case.
    pub fn is(&self, ty: &str, subtype: &str) -> bool {
        self.pair.is(ty, subtype)
    }

    /// True for `*/*`.
    pub fn is_wildcard(&self) -> bool {
        self.pair.ty == "*"
    }

    /// True when the range covers `ty/subtype` (wildcards honoured, case
    /// ignored), as used to decide what a 415 or 2xx-to-OPTIONS accepts.
    pub fn matches(&self, ty: &str, subtype: &str) -> bool {
        (self.pair.ty == "*" || self.pair.ty.eq_ignore_ascii_case(ty))
            && (self.pair.sub == "*" || self.pair.sub.eq_ignore_ascii_case(subtype))
    }
}

impl<'a> TypedHeader<'a> for Accept<'a> {
    const NAME: KnownHeader = KnownHeader::Accept;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let mut cur = Cursor::new(value, base);
        start_value(&mut cur)?;
        let pair = scan_media_pair(&mut cur)?;
        if pair.ty == "*" && pair.sub != "*" {
            return Err(HeaderValueError::new(
                HeaderValueErrorKind::UnexpectedChar,
                pair.sub_span.start,
            ));
        }
        let (params, q) = scan_accept_params(&mut cur)?;
        finish(&mut cur)?;
        Ok(Accept { pair, params, q })
    }
}

/// One Accept-Encoding element (RFC 3261 §20.2).
///
/// ```text
/// Accept-Encoding = "Accept-Encoding" HCOLON [ encoding *(COMMA encoding) ]
/// encoding        = codings *(SEMI accept-param)
/// codings         = content-coding / "*"
/// content-coding  = token
/// ```
///
/// Content codings are case-insensitive (§7.3.1, §20.12).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AcceptEncoding<'a> {
    coding: &'a str,
    span: Span,
    params: Params<'a>,
    q: Option<u16>,
}

impl<'a> AcceptEncoding<'a> {
    /// The coding as sent (`gzip`, `identity`, `*`).
    pub fn coding(&self) -> &'a str {
        self.coding
    }

    /// Absolute span of the coding.
    pub fn coding_span(&self) -> Span {
        self.span
    }

    /// True for the `*` wildcard.
    pub fn is_wildcard(&self) -> bool {
        self.coding == "*"
    }

    /// True when the coding equals `other`, ignoring ASCII case.
    pub fn is(&self, other: &str) -> bool {
        self.coding.eq_ignore_ascii_case(other)
    }

    /// The accept-params.
    pub fn params(&self) -> Params<'a> {
        self.params
    }

    /// The `q` value in thousandths, if any.
    pub fn q(&self) -> Option<u16> {
        self.q
    }
}

impl<'a> TypedHeader<'a> for AcceptEncoding<'a> {
    const NAME: KnownHeader = KnownHeader::AcceptEncoding;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let mut cur = Cursor::new(value, base);
        start_value(&mut cur)?;
        let (coding, span) = spanned_token(&mut cur)?;
        let (params, q) = scan_accept_params(&mut cur)?;
        finish(&mut cur)?;
        Ok(AcceptEncoding {
            coding: ascii(coding),
            span,
            params,
            q,
        })
    }
}

/// Offset of the first byte breaking `1*8ALPHA *("-" 1*8alphanum)`, or `None`.
fn language_range_error(t: &[u8]) -> Option<usize> {
    let mut seg_len = 0usize;
    let mut first_seg = true;
    for (i, &c) in t.iter().enumerate() {
        if c == b'-' {
            if seg_len == 0 {
                return Some(i);
            }
            seg_len = 0;
            first_seg = false;
        } else if c.is_ascii_alphabetic() || (!first_seg && c.is_ascii_digit()) {
            seg_len += 1;
            if seg_len > 8 {
                return Some(i);
            }
        } else {
            return Some(i);
        }
    }
    // A trailing dash leaves an empty last subtag: report the dash.
    (seg_len == 0).then_some(t.len().saturating_sub(1))
}

/// One Accept-Language element (RFC 3261 §20.3).
///
/// ```text
/// Accept-Language = "Accept-Language" HCOLON [ language *(COMMA language) ]
/// language        = language-range *(SEMI accept-param)
/// language-range  = ( ( 1*8ALPHA *( "-" 1*8ALPHA ) ) / "*" )
/// ```
///
/// Liberal in one documented way: subtags after the first may contain
/// digits (`es-419`, `de-CH-1996`), as RFC 4647 §2.1 `alphanum` and every
/// deployed tag allow; the first subtag stays ALPHA only. Language tags
/// are case-insensitive (RFC 4647 §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AcceptLanguage<'a> {
    range: &'a str,
    span: Span,
    params: Params<'a>,
    q: Option<u16>,
}

impl<'a> AcceptLanguage<'a> {
    /// The language range as sent (`en-GB`, `*`).
    pub fn range(&self) -> &'a str {
        self.range
    }

    /// Absolute span of the language range.
    pub fn range_span(&self) -> Span {
        self.span
    }

    /// The primary subtag (`en` of `en-GB`).
    pub fn primary(&self) -> &'a str {
        self.range.split('-').next().unwrap_or(self.range)
    }

    /// True for the `*` wildcard.
    pub fn is_wildcard(&self) -> bool {
        self.range == "*"
    }

    /// True when the range equals `other`, ignoring ASCII case.
    pub fn is(&self, other: &str) -> bool {
        self.range.eq_ignore_ascii_case(other)
    }

    /// The accept-params.
    pub fn params(&self) -> Params<'a> {
        self.params
    }

    /// The `q` value in thousandths, if any.
    pub fn q(&self) -> Option<u16> {
        self.q
    }
}

impl<'a> TypedHeader<'a> for AcceptLanguage<'a> {
    const NAME: KnownHeader = KnownHeader::AcceptLanguage;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let mut cur = Cursor::new(value, base);
        start_value(&mut cur)?;
        let (range, span) = spanned_token(&mut cur)?;
        if range != b"*" {
            if let Some(at) = language_range_error(range) {
                return Err(HeaderValueError::new(
                    HeaderValueErrorKind::UnexpectedChar,
                    span.start + at,
                ));
            }
        }
        let (params, q) = scan_accept_params(&mut cur)?;
        finish(&mut cur)?;
        Ok(AcceptLanguage {
            range: ascii(range),
            span,
            params,
            q,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_list_rows_read_laxly() {
        use crate::grammar::Part as P;
        use HeaderValueErrorKind as K;
        type Row<'a> = (&'a [u8], &'a [&'a str], &'a [(P, K, &'a [u8])]);
        let events: &[Row<'_>] = &[
            (b"presence, dialog", &["presence", "dialog"], &[]),
            (b"", &[], &[(P::Value, K::Empty, b"")]),
            (b"  ", &[], &[(P::Value, K::Empty, b"")]),
            (
                b"presence,,x..y, a@b",
                &["presence"],
                &[
                    (P::Item, K::Empty, b""),
                    (P::Item, K::UnexpectedChar, b"x..y"),
                    (P::Item, K::UnexpectedChar, b"a@b"),
                ],
            ),
            (b"presence.winfo", &["presence.winfo"], &[]),
        ];
        for &(s, items, want) in events {
            let l = AllowEvents::parse_row_lax(s, 50);
            let got: Vec<(P, K, &[u8])> = l
                .defects()
                .iter()
                .map(|d| (d.part, d.kind, &s[d.span.start - 50..d.span.end - 50]))
                .collect();
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(s));
            assert_eq!(l.items().map(|(t, _)| t).collect::<Vec<_>>(), items);
            for (t, sp) in l.items() {
                assert_eq!(&s[sp.start - 50..sp.end - 50], t.as_bytes());
            }
        }
        assert!(
            Allow::parse_row_lax(b"", 0).defects().is_empty(),
            "Allow may be empty"
        );
        assert!(Supported::parse_row_lax(b"", 0).is_empty());
        assert_eq!(Require::parse_row_lax(b"", 0).defects().len(), 1);
        assert_eq!(Unsupported::parse_row_lax(b"100rel", 0).items().count(), 1);
        assert_eq!(
            ProxyRequire::parse_row_lax(b"a b", 0)
                .defects()
                .first()
                .map(|d| d.at),
            Some(1)
        );
        // Each valid element is what the strict element parser accepts.
        for (a, b) in ListSplit::new(b"presence, x..y, ,dialog.winfo") {
            let v = &b"presence, x..y, ,dialog.winfo"[a..b];
            assert_eq!(
                item_defect(v, true).is_none(),
                AllowEvents::parse(v, 0).is_ok()
            );
        }
    }
    use crate::error::HeaderValueErrorKind as K;
    use proptest::prelude::*;

    type Row = (
        &'static [u8],
        &'static str,
        &'static str,
        (usize, usize),
        Option<u16>,
        usize,
    );

    const BASE: usize = 60;

    fn err<'a, T: TypedHeader<'a>>(input: &'a [u8]) -> (K, usize) {
        match T::parse(input, BASE) {
            Ok(_) => panic!("{input:?} parsed"),
            Err(e) => (e.kind(), e.offset() - BASE),
        }
    }

    /// Splits a whole row as the message layer does and parses each element.
    fn row<'a, T: TypedHeader<'a>>(value: &'a [u8]) -> Vec<Result<(T, Span), HeaderValueError>> {
        ListSplit::new(value)
            .map(|(a, b)| {
                T::parse(&value[a..b], BASE + a).map(|t| (t, Span::new(BASE + a, BASE + b)))
            })
            .collect()
    }

    #[test]
    fn whole_rows_from_corpus() {
        let allow =
            b"ACK, INVITE, BYE, CANCEL, REGISTER, OPTIONS, UPDATE, PRACK, INFO, MESSAGE, SUBSCRIBE";
        let got: Vec<_> = row::<Allow<'_>>(allow)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(got.len(), 11);
        for (a, elem) in &got {
            assert_eq!(a.span(), *elem);
            assert_eq!(
                &allow[a.span().start - BASE..a.span().end - BASE],
                a.as_bytes()
            );
        }
        assert_eq!(got[1].0.as_str(), "INVITE");
        assert_eq!(got[1].0.span(), Span::new(BASE + 5, BASE + 11));
        let names = |v: &[u8]| -> Vec<String> {
            row::<Supported<'_>>(v)
                .into_iter()
                .map(|r| r.unwrap().0.as_str().to_string())
                .collect()
        };
        assert_eq!(names(b"UPDATE,REFER"), ["UPDATE", "REFER"]);
        assert_eq!(
            names(b"precondition, 100rel, timer, path, replaces"),
            ["precondition", "100rel", "timer", "path", "replaces"]
        );
        assert_eq!(names(b"replaces,timer,path,100rel").len(), 4);
        // RFC 4475 bext01.
        let req: Vec<_> = row::<Require<'_>>(b"nothingSupportsThis, nothingSupportsThisEither")
            .into_iter()
            .map(|r| r.unwrap().0.as_str())
            .collect();
        assert_eq!(req, ["nothingSupportsThis", "nothingSupportsThisEither"]);
        assert_eq!(
            row::<ProxyRequire<'_>>(b"noProxiesSupportThis, norDoAnyProxiesSupportThis").len(),
            2
        );
        let ev: Vec<_> = row::<AllowEvents<'_>>(b"talk, hold, conference, refer")
            .into_iter()
            .map(|r| r.unwrap().0.package())
            .collect();
        assert_eq!(ev, ["talk", "hold", "conference", "refer"]);
        // RFC 4475 semiuri: a folded Accept row.
        let accept = b"application/sdp, application/pkcs7-mime,\r\n        multipart/mixed, multipart/signed,\r\n        message/sip, message/sipfrag";
        let acc: Vec<_> = row::<Accept<'_>>(accept)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(acc.len(), 6);
        assert_eq!(
            (acc[2].0.media_type(), acc[2].0.subtype()),
            ("multipart", "mixed")
        );
        assert_eq!(acc[2].0.media_type_span(), Span::new(BASE + 50, BASE + 59));
        assert_eq!(&accept[50..59], b"multipart");
        assert!(acc[5].0.is("message", "sipfrag"));
        // An empty row has no element; an empty element between commas fails.
        assert!(row::<Allow<'_>>(b"").is_empty());
        let r = row::<Supported<'_>>(b"a,,b");
        assert_eq!(r.len(), 3);
        let e = r[1].as_ref().unwrap_err();
        assert_eq!((e.kind(), e.offset()), (K::Empty, BASE + 2));
    }

    #[test]
    fn simple_tokens_from_corpus() {
        // Allow values of the fixtures (one element each).
        for m in [
            "ACK",
            "INVITE",
            "BYE",
            "CANCEL",
            "REGISTER",
            "OPTIONS",
            "UPDATE",
            "PRACK",
            "INFO",
            "MESSAGE",
            "SUBSCRIBE",
            "NOTIFY",
            "REFER",
        ] {
            let a = Allow::parse(m.as_bytes(), BASE).unwrap();
            assert_eq!((a.as_str(), a.span()), (m, Span::new(BASE, BASE + m.len())));
            assert!(a.is(m));
            assert!(!a.is(&m.to_lowercase()));
        }
        for t in [
            "precondition",
            "100rel",
            "timer",
            "path",
            "replaces",
            "histinfo",
            "sdp-anat",
        ] {
            let s = Supported::parse(t.as_bytes(), BASE).unwrap();
            assert_eq!((s.as_str(), s.as_bytes()), (t, t.as_bytes()));
            assert!(s.is(&t.to_uppercase()));
        }
        // RFC 4475 bext01.
        let r = Require::parse(b"nothingSupportsThis", BASE).unwrap();
        assert!(r.is("NOTHINGSUPPORTSTHIS"));
        let p = ProxyRequire::parse(b" noProxiesSupportThis ", BASE).unwrap();
        assert_eq!(p.span(), Span::new(BASE + 1, BASE + 21));
        let u = Unsupported::parse(b"foo\r\n ", BASE).unwrap();
        assert_eq!((u.as_str(), u.span()), ("foo", Span::new(BASE, BASE + 3)));
        assert_eq!(Allow::NAME, KnownHeader::Allow);
        assert_eq!(ProxyRequire::NAME, KnownHeader::ProxyRequire);
    }

    #[test]
    fn simple_token_errors() {
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            (b"  ", K::Empty, 0),
            (b"IN VITE", K::Trailing, 3),
            (b"INVITE;x", K::Trailing, 6),
            (b"@INVITE", K::ExpectedToken, 0),
            (b"a/b", K::Trailing, 1),
        ];
        for &(input, kind, at) in table {
            assert_eq!(err::<Allow<'_>>(input), (kind, at), "{input:?}");
            assert_eq!(err::<Supported<'_>>(input), (kind, at), "{input:?}");
            assert_eq!(err::<Require<'_>>(input), (kind, at), "{input:?}");
            assert_eq!(err::<ProxyRequire<'_>>(input), (kind, at), "{input:?}");
            assert_eq!(err::<Unsupported<'_>>(input), (kind, at), "{input:?}");
        }
    }

    #[test]
    fn allow_events() {
        for t in [
            "talk",
            "hold",
            "conference",
            "refer",
            "presence",
            "dialog",
            "message-summary",
        ] {
            let e = AllowEvents::parse(t.as_bytes(), BASE).unwrap();
            assert_eq!((e.as_str(), e.package(), e.templates().count()), (t, t, 0));
        }
        let e = AllowEvents::parse(b"presence.winfo.x", BASE).unwrap();
        assert_eq!(e.package(), "presence");
        assert_eq!(e.package_span(), Span::new(BASE, BASE + 8));
        assert_eq!(e.templates().collect::<Vec<_>>(), vec!["winfo", "x"]);
        assert!(e.is("presence.winfo.x") && !e.is("Presence.winfo.x"));
        let table: &[(&[u8], K, usize)] = &[
            (b".x", K::UnexpectedChar, 0),
            (b"x.", K::UnexpectedChar, 1),
            (b"x..y", K::UnexpectedChar, 1),
            (b"", K::Empty, 0),
            (b"x y", K::Trailing, 2),
            (b"x;id=1", K::Trailing, 1),
        ];
        for &(input, kind, at) in table {
            assert_eq!(err::<AllowEvents<'_>>(input), (kind, at), "{input:?}");
        }
    }

    #[test]
    fn qvalues() {
        let table: &[(&[u8], Option<u16>)] = &[
            (b"0", Some(0)),
            (b"0.", Some(0)),
            (b"0.5", Some(500)),
            (b"0.25", Some(250)),
            (b"0.333", Some(333)),
            (b"1", Some(1000)),
            (b"1.000", Some(1000)),
            (b"1.001", None),
            (b"0.1234", None),
            (b".2", None),
            (b"2", None),
            (b"0.x", None),
            (b"", None),
        ];
        for &(v, q) in table {
            assert_eq!(crate::header::typed::scan::qvalue(v), q, "{v:?}");
        }
    }

    #[test]
    fn accept_table() {
        // (input, type, subtype, subtype span, q, params)
        let table: &[Row] = &[
            (b"application/sdp", "application", "sdp", (12, 15), None, 0),
            (
                b"application/pkcs7-mime",
                "application",
                "pkcs7-mime",
                (12, 22),
                None,
                0,
            ),
            (
                b"multipart/signed",
                "multipart",
                "signed",
                (10, 16),
                None,
                0,
            ),
            (b"message/sipfrag", "message", "sipfrag", (8, 15), None, 0),
            (
                b"text/nobodyKnowsThis",
                "text",
                "nobodyKnowsThis",
                (5, 20),
                None,
                0,
            ),
            (b"*/*", "*", "*", (2, 3), None, 0),
            (
                b"application/*;q=0.5",
                "application",
                "*",
                (12, 13),
                Some(500),
                1,
            ),
            (
                b"text/html ; level=1 ;\r\n q = 1",
                "text",
                "html",
                (5, 9),
                Some(1000),
                2,
            ),
        ];
        for &(input, t, s, ss, q, n) in table {
            let a = Accept::parse(input, BASE).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!((a.media_type(), a.subtype(), a.q()), (t, s, q), "{input:?}");
            assert_eq!(
                a.subtype_span(),
                Span::new(BASE + ss.0, BASE + ss.1),
                "{input:?}"
            );
            assert_eq!(a.media_type_span().start, BASE);
            assert_eq!(a.params().len(), n);
        }
        let any = Accept::parse(b"*/*", 0).unwrap();
        assert!(any.is_wildcard() && any.matches("application", "sdp"));
        let app = Accept::parse(b"Application/*", 0).unwrap();
        assert!(app.matches("application", "SDP") && !app.matches("text", "plain"));
        assert!(!app.is_wildcard());
        assert!(Accept::parse(b"APPLICATION/SDP", 0)
            .unwrap()
            .is("application", "sdp"));
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            (b"*", K::Missing, 1),
            (b"*/sdp", K::UnexpectedChar, 2),
            (b"*; q=.2", K::UnexpectedChar, 1),
            (b"*/*; q=.2", K::BadParam, 7),
            (b"text/html;q=2", K::BadParam, 12),
            (b"text/html;q", K::BadParam, 11),
            (b"text/html x", K::Trailing, 10),
        ];
        for &(input, kind, at) in table {
            assert_eq!(err::<Accept<'_>>(input), (kind, at), "{input:?}");
        }
    }

    #[test]
    fn accept_encoding_table() {
        let table: &[(&[u8], &str, Option<u16>, bool)] = &[
            (b"gzip", "gzip", None, false),
            (b"identity", "identity", None, false),
            (b"*;q=0", "*", Some(0), true),
            (b"deflate ; q=0.5 ; x", "deflate", Some(500), false),
        ];
        for &(input, c, q, wild) in table {
            let a = AcceptEncoding::parse(input, BASE).unwrap();
            assert_eq!(
                (a.coding(), a.q(), a.is_wildcard()),
                (c, q, wild),
                "{input:?}"
            );
            assert_eq!(a.coding_span(), Span::new(BASE, BASE + c.len()));
        }
        assert!(AcceptEncoding::parse(b"GZIP", 0).unwrap().is("gzip"));
        assert_eq!(
            AcceptEncoding::parse(b"a;q=1;x=2", 0)
                .unwrap()
                .params()
                .len(),
            2
        );
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            (b"gz ip", K::Trailing, 3),
            (b"gzip;q=1.5", K::BadParam, 7),
            (b"/", K::ExpectedToken, 0),
        ];
        for &(input, kind, at) in table {
            assert_eq!(err::<AcceptEncoding<'_>>(input), (kind, at), "{input:?}");
        }
    }

    #[test]
    fn accept_language_table() {
        let table: &[(&[u8], &str, &str, Option<u16>)] = &[
            (b"en", "en", "en", None),
            (b"da", "da", "da", None),
            (b"en-gb;q=0.8", "en-gb", "en", Some(800)),
            (b"*", "*", "*", None),
            (b"es-419", "es-419", "es", None),
            (b"abcdefgh-ABCDEFGH", "abcdefgh-ABCDEFGH", "abcdefgh", None),
        ];
        for &(input, r, p, q) in table {
            let a = AcceptLanguage::parse(input, BASE).unwrap();
            assert_eq!((a.range(), a.primary(), a.q()), (r, p, q), "{input:?}");
            assert_eq!(a.range_span(), Span::new(BASE, BASE + r.len()));
        }
        assert!(AcceptLanguage::parse(b"*", 0).unwrap().is_wildcard());
        assert!(AcceptLanguage::parse(b"EN-GB", 0).unwrap().is("en-gb"));
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            (b"abcdefghi", K::UnexpectedChar, 8),
            (b"en-", K::UnexpectedChar, 2),
            (b"-en", K::UnexpectedChar, 0),
            (b"en--gb", K::UnexpectedChar, 3),
            (b"1en", K::UnexpectedChar, 0),
            (b"en_GB", K::UnexpectedChar, 2),
            (b"**", K::UnexpectedChar, 0),
            (b"en;q=x", K::BadParam, 5),
            (b"en gb", K::Trailing, 3),
        ];
        for &(input, kind, at) in table {
            assert_eq!(err::<AcceptLanguage<'_>>(input), (kind, at), "{input:?}");
        }
    }

    fn lws() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(""),
            Just(" "),
            Just("\t"),
            Just("\r\n "),
            Just(" \r\n\t")
        ]
        .prop_map(str::to_string)
    }

    fn qvalue() -> impl Strategy<Value = (String, u16)> {
        prop_oneof![
            (0u16..1000).prop_map(|t| (format!("0.{t:03}"), t)),
            Just(("1".to_string(), 1000)),
            Just(("1.0".to_string(), 1000)),
            Just(("0".to_string(), 0)),
        ]
    }

    proptest! {
        #[test]
        fn prop_row_lax_partitions_the_elements(s in "[a-z.@ ,]{0,24}", base in 0usize..1000) {
            let l = AllowEvents::parse_row_lax(s.as_bytes(), base);
            let elements = if lex::trim_lws(s.as_bytes()).is_empty() { 0 } else { ListSplit::new(s.as_bytes()).count() };
            let items = l.items().count();
            if elements > 0 {
                prop_assert_eq!(items + l.defects().len(), elements);
            }
            prop_assert_eq!(l.defects().of(Part::Value).is_some(), elements == 0);
            for (t, sp) in l.items() {
                prop_assert!(AllowEvents::parse(t.as_bytes(), sp.start).is_ok());
            }
        }

        #[test]
        fn prop_token_roundtrip(t in "[A-Za-z0-9.!%*_+`'~-]{1,16}", a in lws(), b in lws()) {
            let s = format!("{a}{t}{b}");
            let x = Supported::parse(s.as_bytes(), 9).unwrap();
            prop_assert_eq!(x.as_str(), t.as_str());
            prop_assert_eq!(x.span(), Span::new(9 + a.len(), 9 + a.len() + t.len()));
            prop_assert!(x.is(&t.to_uppercase()));
            let y = Allow::parse(s.as_bytes(), 9).unwrap();
            prop_assert_eq!(y.as_str(), t.as_str());
        }

        #[test]
        fn prop_event_roundtrip(parts in proptest::collection::vec("[A-Za-z0-9!%*_+`'~-]{1,8}", 1..4)) {
            let s = parts.join(".");
            let e = AllowEvents::parse(s.as_bytes(), 0).unwrap();
            prop_assert_eq!(e.package(), parts[0].as_str());
            prop_assert_eq!(e.templates().count(), parts.len() - 1);
        }

        #[test]
        fn prop_accept_roundtrip(
            t in "[A-Za-z][A-Za-z0-9.+-]{0,8}",
            s in "[A-Za-z][A-Za-z0-9.+-]{0,8}",
            a in lws(), b in lws(),
            q in proptest::option::of(qvalue()),
        ) {
            let mut v = format!("{t}{a}/{b}{s}");
            if let Some((qs, _)) = &q {
                v.push_str(&format!("{a};{b}Q{a}={b}{qs}"));
            }
            let x = Accept::parse(v.as_bytes(), 2).unwrap();
            prop_assert_eq!(x.media_type(), t.as_str());
            prop_assert_eq!(x.subtype(), s.as_str());
            prop_assert_eq!(x.q(), q.as_ref().map(|(_, n)| *n));
            let e = AcceptEncoding::parse(format!("{t}{a};q=1").as_bytes(), 2).map(|e| e.q());
            prop_assert_eq!(e, Ok(Some(1000)));
        }

        #[test]
        fn prop_language_roundtrip(
            p in "[A-Za-z]{1,8}",
            subs in proptest::collection::vec("[A-Za-z0-9]{1,8}", 0..3),
            q in proptest::option::of(qvalue()),
            a in lws(),
        ) {
            let mut r = p.clone();
            for sub in &subs {
                r.push('-');
                r.push_str(sub);
            }
            let mut v = r.clone();
            if let Some((qs, _)) = &q {
                v.push_str(&format!("{a};q={qs}"));
            }
            let x = AcceptLanguage::parse(v.as_bytes(), 1).unwrap();
            prop_assert_eq!(x.range(), r.as_str());
            prop_assert_eq!(x.primary(), p.as_str());
            prop_assert_eq!(x.q(), q.as_ref().map(|(_, n)| *n));
        }

        #[test]
        fn prop_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let end = 5 + bytes.len();
            let ok = |s: Span| s.start >= 5 && s.end <= end && s.start <= s.end;
            if let Ok(x) = Allow::parse(&bytes, 5) { prop_assert!(ok(x.span())); }
            if let Ok(x) = AllowEvents::parse(&bytes, 5) {
                prop_assert!(ok(x.span()) && ok(x.package_span()));
            }
            if let Ok(x) = Accept::parse(&bytes, 5) {
                prop_assert!(ok(x.subtype_span()) && ok(x.params().span()));
                for p in x.params().iter() { prop_assert!(ok(p.span())); }
            }
            if let Ok(x) = AcceptEncoding::parse(&bytes, 5) { prop_assert!(ok(x.coding_span())); }
            if let Ok(x) = AcceptLanguage::parse(&bytes, 5) { prop_assert!(ok(x.range_span())); }
            for e in [
                Allow::parse(&bytes, 5).err(),
                AllowEvents::parse(&bytes, 5).err(),
                Accept::parse(&bytes, 5).err(),
                AcceptEncoding::parse(&bytes, 5).err(),
                AcceptLanguage::parse(&bytes, 5).err(),
            ].into_iter().flatten() {
                prop_assert!(e.offset() <= end);
            }
        }
    }
}
