//! From and To (RFC 3261 §20.20, §20.39, §25.1):
//!
//! ```text
//! From        = ( "From" / "f" ) HCOLON from-spec
//! from-spec   = ( name-addr / addr-spec ) *( SEMI from-param )
//! from-param  = tag-param / generic-param
//! To          = ( "To" / "t" ) HCOLON ( name-addr / addr-spec ) *( SEMI to-param )
//! tag-param   = "tag" EQUAL token
//! ```
//!
//! The types are named [`FromHeader`] and [`ToHeader`] so they never shadow
//! `core::convert::From` in user code. Both are single-value headers: the
//! whole row is one value, and a comma outside quotes and `<>` is a defect
//! of the row, reported by the address grammar (see [`NameAddr`]).
//!
//! A `tag` parameter without a value, or with a value that is not a token
//! (quoted, say), does not match `tag-param` and fails with `BadParam` at
//! its value (at its name when it has none): the tag is what identifies
//! the dialog (RFC 3261 §19.3), so a value that is not a token cannot be
//! used as one. Every `tag` parameter is held to it, not only the first:
//! the strict reading is the lax one ([`NameAddr::parse_lax`]) without a
//! defect.
//!
//! ```
//! use sip_response::header::typed::{FromHeader, TypedHeader};
//!
//! let f = FromHeader::parse(b"caller<sip:caller@example.com>;tag=323", 0)?;
//! assert_eq!(f.display_name(), Some(&b"caller"[..]));
//! assert_eq!(f.uri().user(), Some(&b"caller"[..]));
//! assert_eq!(f.tag(), Some(&b"323"[..]));
//! assert_eq!(f.tag_span().map(|s| s.range()), Some(35..38));
//! # Ok::<(), sip_response::HeaderValueError>(())
//! ```

use crate::error::HeaderValueError;
use crate::grammar::Part;
use crate::header::param::Params;
use crate::header::typed::name_addr::{NameAddr, NameAddrLax};
use crate::header::typed::uri::Uri;
use crate::header::typed::{LaxHeader, TypedHeader};
use crate::header::KnownHeader;
use crate::Span;

/// The address and its tag, by the lax reading that checks every `tag`
/// parameter against `tag-param` (`"tag" EQUAL token`, §25.1): one reading
/// for both, so the strict one fails exactly when the lax one finds a
/// defect (a second, malformed tag fails the value as the first would).
fn read(value: &[u8], base: usize) -> Result<(NameAddr<'_>, Option<Span>), HeaderValueError> {
    let addr = NameAddr::parse_strict_with(value, base, &[("tag", Part::Tag)])?;
    // Every tag is valid here; the first one is the tag.
    let tag = addr.noted_tag().valid_value().flatten();
    Ok((addr, tag))
}

macro_rules! from_to {
    ($(#[$doc:meta])* $ty:ident, $name:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $ty<'a> {
            addr: NameAddr<'a>,
            /// Absolute span of the tag's value.
            tag: Option<Span>,
        }

        impl<'a> $ty<'a> {
            /// The address with its display name and parameters.
            pub fn name_addr(&self) -> &NameAddr<'a> {
                &self.addr
            }

            /// The display name as sent (see [`NameAddr::display_name`]).
            pub fn display_name(&self) -> Option<&'a [u8]> {
                self.addr.display_name()
            }

            /// The URI.
            pub fn uri(&self) -> Uri<'a> {
                self.addr.uri()
            }

            /// The header parameters (`tag` and generic ones).
            pub fn params(&self) -> Params<'a> {
                self.addr.params()
            }

            /// The `tag` value (RFC 3261 §19.3), if present.
            pub fn tag(&self) -> Option<&'a [u8]> {
                let (raw, base) = (self.addr.as_bytes(), self.addr.span().start);
                let (from, to) = self.tag.map(|s| (s.start, s.end))?;
                raw.get(from.checked_sub(base)?..to.checked_sub(base)?)
            }

            /// Absolute span of the `tag` value, if present.
            pub fn tag_span(&self) -> Option<Span> {
                self.tag
            }

            /// Absolute span of the whole value.
            pub fn span(&self) -> Span {
                self.addr.span()
            }
        }

        impl<'a> $ty<'a> {
            /// Reads the value laxly: display name, URI and every parameter
            /// on their own, each failing part a located defect; `;tag` and
            /// `;tag=` are a [`Part::Tag`](crate::grammar::Part::Tag)
            /// defect and mean "no tag" ([`NameAddrLax::tag`] is `None`).
            pub fn parse_lax(value: &'a [u8], base: usize) -> NameAddrLax<'a> {
                NameAddr::parse_lax(value, base)
            }
        }

        impl<'a> LaxHeader<'a> for $ty<'a> {
            type Lax = NameAddrLax<'a>;
            fn parse_lax(value: &'a [u8], base: usize) -> NameAddrLax<'a> {
                NameAddr::parse_lax(value, base)
            }
        }

        impl<'a> TypedHeader<'a> for $ty<'a> {
            const NAME: KnownHeader = $name;

            fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
                let (addr, tag) = read(value, base)?;
                Ok($ty { addr, tag })
            }
        }
    };
}

from_to!(
    /// A From value: the request's originator, with the UAC's `tag`
    /// (RFC 3261 §8.1.1.3, §20.20).
    FromHeader,
    KnownHeader::From
);

from_to!(
    /// A To value: the request's logical recipient, with the UAS's `tag` in
    /// responses other than 100 (RFC 3261 §8.2.6.2, §20.39).
    ToHeader,
    KnownHeader::To
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lax_tags() {
        use crate::grammar::Part;
        for (v, tag, defect) in [
            (
                &b"<sip:a@b>;tag=1928301774"[..],
                Some(&b"1928301774"[..]),
                None,
            ),
            (b"<sip:a@b>;tag", None, Some(Part::Tag)),
            (b"<sip:c@d>;tag=", None, Some(Part::Tag)),
            (b"<sip:c@d>", None, None),
            (b"<sip:c@d ;x>;tag=5", Some(b"5"), Some(Part::Uri)),
        ] {
            let f = FromHeader::parse_lax(v, 0);
            let t = <ToHeader<'_> as LaxHeader<'_>>::parse_lax(v, 0);
            assert_eq!(f, t);
            assert_eq!(f.tag(), tag, "{:?}", String::from_utf8_lossy(v));
            assert_eq!(f.defects().first().map(|d| d.part), defect);
            if defect == Some(Part::Tag) {
                assert!(
                    FromHeader::parse(v, 0).is_err(),
                    "the strict reading rejects it too"
                );
            }
        }
    }
    use crate::error::HeaderValueErrorKind as K;

    const BASE: usize = 40;

    #[test]
    fn tags_from_corpus() {
        // (value, tag)
        let table: &[(&[u8], Option<&[u8]>)] = &[
            (b"\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8", Some(b"98asjd8")),
            (b"token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%=\"x\";tag=_token~1'+`*%!-.", Some(b"_token~1'+`*%!-.")),
            (b"<sip:I%20have%20spaces@example.net>;tag=938", Some(b"938")),
            (b"sip:null-%00-null@example.com;tag=839923423", Some(b"839923423")),
            (b"caller<sip:caller@example.com>;tag=323", Some(b"323")),
            (b"<http://www.example.com>;tag=3234233", Some(b"3234233")),
            (b"sip:user@example.edu;tag=2229", Some(b"2229")),
            (b"sip:user@example.net;tag=9817--94", Some(b"9817--94")),
            (b"sip:user@example.com;TAG=bd76ya", Some(b"bd76ya")),
            // Real responses (fixtures)
            (b"<tel:+88270006>;tag=9Q5V3XeXXf", Some(b"9Q5V3XeXXf")),
            (b"<sip:9275890000@VMSSM;user=phone>;tag=3f3ba06def6e4629ccb4af8aa695ac6b-9432", Some(b"3f3ba06def6e4629ccb4af8aa695ac6b-9432")),
            (b"\"sipp\" <sip:sipp@[fd17:625c:f037:2:a00:27ff:feb9:1521]:15060>;tag=397430SIPpTag0071846", Some(b"397430SIPpTag0071846")),
            (b"sip:20008909@192.168.1.191:5060;tag=0b4341fec04ef9d8eb6b92c51c653086", Some(b"0b4341fec04ef9d8eb6b92c51c653086")),
            (b"<sip:9171969136@astrakhan.megafonvolga.ru;user=phone>;tag=9Ub.i1YV7Yag2._5", Some(b"9Ub.i1YV7Yag2._5")),
            (b"sip:user@example.com", None),
            (b"isbn:2983792873", None),
        ];
        for &(s, tag) in table {
            for f in [
                FromHeader::parse(s, BASE).map(|v| (v.tag(), v.tag_span())),
                ToHeader::parse(s, BASE).map(|v| (v.tag(), v.tag_span())),
            ] {
                let (t, span) = f.unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(s)));
                assert_eq!(t, tag);
                match (tag, span) {
                    (Some(tag), Some(span)) => {
                        assert_eq!(&s[span.start - BASE..span.end - BASE], tag);
                        assert_eq!(span.end, BASE + s.len());
                    }
                    (None, None) => {}
                    other => panic!("{other:?}"),
                }
            }
        }
        let f = FromHeader::parse(b"\"A\" <sip:a@b>;tag=1;x", BASE).unwrap();
        assert_eq!(f.display_name(), Some(&b"\"A\""[..]));
        assert_eq!(f.uri().user(), Some(&b"a"[..]));
        assert_eq!(f.params().len(), 2);
        assert_eq!(f.span(), Span::new(BASE, BASE + 21));
        assert!(f.name_addr().is_bracketed());
        assert_eq!(FromHeader::NAME, KnownHeader::From);
        assert_eq!(ToHeader::NAME, KnownHeader::To);
    }

    #[test]
    fn invalid() {
        let table: &[(&[u8], K, usize)] = &[
            (b"sip:a@b;tag", K::BadParam, 8),
            (b"sip:a@b;x;tag=\"q\"", K::BadParam, 14),
            // A later malformed tag fails the value like the first.
            (b"sip:a@b;tag=1;tag=\"q\"", K::BadParam, 18),
            (
                b"\"Mr. J. User <sip:j.user@example.com>",
                K::UnterminatedQuote,
                0,
            ),
            (
                b"\"Watson, Thomas\" < sip:t.watson@example.org >",
                K::UnexpectedChar,
                18,
            ),
            (
                b"Bell, Alexander <sip:a.g.bell@example.com>;tag=43",
                K::UnexpectedChar,
                4,
            ),
            (b"", K::Empty, 0),
        ];
        for &(s, kind, off) in table {
            let e = ToHeader::parse(s, BASE).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (kind, BASE + off),
                "{}",
                String::from_utf8_lossy(s)
            );
            assert_eq!(FromHeader::parse(s, BASE).unwrap_err(), e);
        }
    }

    mod props {
        use super::*;
        use crate::header::typed::addr_gen::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn generated_tags_round_trip(
                c in addr_case(&["tag"]),
                tag in proptest::option::of((random_case("tag"), token(), lws(), lws())),
                base in 0usize..10_000,
            ) {
                let mut text = c.text.clone();
                if let Some((name, t, a, b)) = &tag {
                    text.push_str(&format!("{a};{b}{name}{a}={b}{t}"));
                }
                let s = text.as_bytes();
                let f = FromHeader::parse(s, base).unwrap();
                let t = ToHeader::parse(s, base).unwrap();
                prop_assert_eq!(f.name_addr(), t.name_addr());
                prop_assert_eq!(f.tag(), tag.as_ref().map(|x| x.1.as_bytes()));
                prop_assert_eq!(t.tag_span(), f.tag_span());
                if let Some(sp) = f.tag_span() {
                    prop_assert_eq!(&s[sp.start - base..sp.end - base], f.tag().unwrap());
                    prop_assert_eq!(sp.end, base + s.len());
                }
                prop_assert_eq!(f.uri().as_bytes(), c.uri.as_bytes());
                prop_assert_eq!(f.params().len(), c.params.len() + usize::from(tag.is_some()));
            }

            #[test]
            fn arbitrary_bytes_never_panic(s in addrish_bytes(), base in 0usize..1000) {
                if let Ok(f) = ToHeader::parse(&s, base) {
                    prop_assert!(in_bounds(f.span(), base, s.len()));
                    if let Some(sp) = f.tag_span() {
                        prop_assert!(in_bounds(sp, base, s.len()));
                    }
                }
            }
        }
    }
}
