//! One Contact element (RFC 3261 §20.10, §25.1):
//!
//! ```text
//! Contact        = ("Contact" / "m" ) HCOLON
//!                  ( STAR / (contact-param *(COMMA contact-param)))
//! contact-param  = (name-addr / addr-spec) *(SEMI contact-params)
//! contact-params = c-p-q / c-p-expires / contact-extension
//! c-p-q          = "q" EQUAL qvalue
//! c-p-expires    = "expires" EQUAL delta-seconds
//! qvalue         = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
//! delta-seconds  = 1*DIGIT
//! ```
//!
//! Contact is a list header: this type is one comma-separated element. A
//! malformed `q` or `expires` does not fail the element: the rules
//! `contact-q-invalid` and `contact-expires-param-invalid` report them, and
//! RFC 3261 §10.2 tells receivers to read a bad `expires` as 3600, so the
//! raw value stays available and [`Contact::q`] / [`Contact::expires`]
//! return the located error.
//!
//! `STAR` must stand alone: only a value that is exactly `*` (LWS around it
//! allowed) is the wildcard. `* <sip:a@b>` is an address whose display name
//! is the token `*`, and `*;expires=0` is not a Contact value at all.

use crate::error::HeaderValueError;
use crate::grammar::Part;
use crate::header::param::{Param, Params};
use crate::header::typed::name_addr::{NameAddr, NameAddrLax};
use crate::header::typed::scan::{digit_param, parse_qvalue, required_value};
use crate::header::typed::uri::Uri;
use crate::header::typed::{LaxHeader, TypedHeader};
use crate::header::KnownHeader;
use crate::lex;
use crate::Span;

/// One Contact element: the `*` wildcard or an address with parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contact<'a> {
    span: Span,
    addr: Option<NameAddr<'a>>,
}

impl<'a> Contact<'a> {
    /// True for the `*` wildcard (only meaningful in REGISTER requests,
    /// RFC 3261 §10.2.2; rule `contact-star`).
    pub fn is_star(&self) -> bool {
        self.addr.is_none()
    }

    /// Absolute span of the whole element.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The address, unless this is the wildcard.
    pub fn name_addr(&self) -> Option<&NameAddr<'a>> {
        self.addr.as_ref()
    }

    /// The URI, unless this is the wildcard.
    pub fn uri(&self) -> Option<Uri<'a>> {
        self.addr.map(|a| a.uri())
    }

    /// The contact parameters (for the wildcard: none, with an empty span
    /// at the end of the `*`, so the span is still absolute).
    pub fn params(&self) -> Params<'a> {
        self.addr
            .map_or(Params::empty_at(self.span.end), |a| a.params())
    }

    /// The `expires` parameter as sent.
    pub fn expires_raw(&self) -> Option<Param<'a>> {
        self.params().get("expires")
    }

    /// The `expires` parameter as delta-seconds (RFC 3261 §20.10): `None`
    /// when absent, a located error when it is not `1*DIGIT` or overflows
    /// 64 bits (RFC 3261 §10.2.1 lets receivers clamp above 2^32-1; that is
    /// the caller's choice).
    pub fn expires(&self) -> Option<Result<u64, HeaderValueError>> {
        let p = self.expires_raw()?;
        Some(digit_param(&p, Some).map(|(n, _)| n))
    }

    /// The `q` parameter as sent.
    pub fn q_raw(&self) -> Option<Param<'a>> {
        self.params().get("q")
    }

    /// The `q` parameter as thousandths (`q=0.5` is 500, `q=1` is 1000):
    /// `None` when absent, a located error when it is not a `qvalue`
    /// (0 to 1, at most three decimals, RFC 3261 §25.1).
    pub fn q(&self) -> Option<Result<u16, HeaderValueError>> {
        let p = self.q_raw()?;
        Some(required_value(&p).and_then(|(v, span)| parse_qvalue(v, span.start)))
    }
}

impl<'a> Contact<'a> {
    /// Reads one Contact element laxly: `*` (with any parameters), or the
    /// display name, URI and every parameter on their own; a `q` that is no
    /// `qvalue` and an `expires` that is no `delta-seconds` are
    /// [`Part::Q`]/[`Part::Expires`] defects, a URI that does not read
    /// (`x`, `sip: 172.17.2.2:5060`) a [`Part::Uri`] defect.
    ///
    /// ```
    /// use sip_response::grammar::Part;
    /// use sip_response::header::typed::Contact;
    ///
    /// let c = Contact::parse_lax(b"sip: 172.17.2.2:5060;expires=60", 0);
    /// assert_eq!(c.defects().first().map(|d| (d.part, d.span.range())), Some((Part::Uri, 0..20)));
    /// assert_eq!((c.uri(), c.expires()), (None, Some(60)));
    /// ```
    pub fn parse_lax(value: &'a [u8], base: usize) -> NameAddrLax<'a> {
        NameAddr::parse_lax_with(
            value,
            base,
            &[("q", Part::Q), ("expires", Part::Expires)],
            true,
        )
    }
}

impl<'a> LaxHeader<'a> for Contact<'a> {
    type Lax = NameAddrLax<'a>;
    fn parse_lax(value: &'a [u8], base: usize) -> NameAddrLax<'a> {
        Contact::parse_lax(value, base)
    }
}

impl<'a> TypedHeader<'a> for Contact<'a> {
    const NAME: KnownHeader = KnownHeader::Contact;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let t = lex::trim_lws(value);
        if t == b"*" {
            let start = lex::skip_lws(value, 0);
            return Ok(Contact {
                span: Span::new(base + start, base + start + 1),
                addr: None,
            });
        }
        let addr = NameAddr::parse(value, base)?;
        Ok(Contact {
            span: addr.span(),
            addr: Some(addr),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::HeaderValueErrorKind as K;

    const BASE: usize = 300;

    #[test]
    fn contacts_from_corpus() {
        // (value, uri, expires, q)
        type Row<'a> = (&'a [u8], &'a [u8], Option<u64>, Option<u16>);
        let table: &[Row<'_>] = &[
            (b"\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33", b"sip:jdrosen@example.com", None, Some(330)),
            (b"<sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>", b"sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31", None, None),
            (b"<sip:%00@host5.example.com>", b"sip:%00@host5.example.com", None, None),
            (b"<name:John_Smith>", b"name:John_Smith", None, None),
            (b"sip:+19725552222@gw1.example.net;unknownparam", b"sip:+19725552222@gw1.example.net", None, None),
            (b"\"Caller\" <sip:caller@[2001:db8::9:1]>", b"sip:caller@[2001:db8::9:1]", None, None),
            // Real responses (fixtures)
            (b"<sip:061963177@192.168.100.219:5060>", b"sip:061963177@192.168.100.219:5060", None, None),
            (b"<sips:bob@192.0.2.4>", b"sips:bob@192.0.2.4", None, None),
            (b"sip:192.168.1.191", b"sip:192.168.1.191", None, None),
            (b"<sip:u@h>;expires=3600;q=1", b"sip:u@h", Some(3600), Some(1000)),
            (b"<sip:u@h>;EXPIRES=0;Q=0.", b"sip:u@h", Some(0), Some(0)),
            (b"<sip:u@h>;q=1.000;expires=4294967296", b"sip:u@h", Some(4_294_967_296), Some(1000)),
            (b"<sip:u@h>;q=0.007", b"sip:u@h", None, Some(7)),
        ];
        for &(s, uri, expires, q) in table {
            let c = Contact::parse(s, BASE)
                .unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(s)));
            assert!(!c.is_star());
            assert_eq!(c.uri().unwrap().as_bytes(), uri);
            assert_eq!(c.expires().map(Result::unwrap), expires);
            assert_eq!(c.q().map(Result::unwrap), q);
            assert_eq!(c.span(), Span::new(BASE, BASE + s.len()));
            if let Some(p) = c.q_raw() {
                let v = p.value_span().unwrap();
                assert_eq!(&s[v.start - BASE..v.end - BASE], p.value().unwrap());
            }
        }
    }

    #[test]
    fn star() {
        let c = Contact::parse(b" * ", BASE).unwrap();
        assert!(c.is_star());
        assert_eq!(c.span(), Span::new(BASE + 1, BASE + 2));
        assert!(c.uri().is_none() && c.name_addr().is_none());
        assert!(c.params().is_empty() && c.expires().is_none() && c.q().is_none());
        // Still an absolute span (fuzz regression typed_headers/contact-star-params-span).
        assert_eq!(c.params().span(), Span::empty(BASE + 2));
        // STAR stands alone (RFC 3261 §20.10); anything else starting with
        // `*` is read as an address, where `*` can only be a display name.
        let e = Contact::parse(b"*;expires=0", BASE).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (K::BadUri, BASE));
        let c = Contact::parse(b"* <sip:a@b>", BASE).unwrap();
        assert_eq!(c.name_addr().unwrap().display_name(), Some(&b"*"[..]));
        assert_eq!(Contact::NAME, KnownHeader::Contact);
    }

    #[test]
    fn bad_q_and_expires_are_located_not_fatal() {
        // (value, q error, offset of q error)
        let qs: &[(&[u8], K, usize)] = &[
            (b"<sip:u@h>;q=1.5", K::NumberOutOfRange, 14),
            (b"<sip:u@h>;q=2", K::NumberOutOfRange, 12),
            (b"<sip:u@h>;q=0.1234", K::NumberOutOfRange, 17),
            (b"<sip:u@h>;q=0.5x", K::UnexpectedChar, 15),
            (b"<sip:u@h>;q=10", K::NumberOutOfRange, 12),
            (b"<sip:u@h>;q=.5", K::ExpectedDigits, 12),
            (b"<sip:u@h>;q=0,5", K::UnexpectedChar, 13),
            (b"<sip:u@h>;q", K::BadParam, 11),
            (b"<sip:u@h>;q=\"0.5\"", K::ExpectedDigits, 12),
        ];
        for &(s, kind, off) in qs {
            // `q=0,5` is not a value a list splitter would hand over, but the
            // q parser must still locate the comma when given one.
            let Ok(c) = Contact::parse(s, BASE) else {
                let e = parse_qvalue(&s[12..], BASE + 12).unwrap_err();
                assert_eq!((e.kind(), e.offset()), (kind, BASE + off));
                continue;
            };
            let e = c.q().unwrap().unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (kind, BASE + off),
                "{}",
                String::from_utf8_lossy(s)
            );
        }
        let es: &[(&[u8], K, usize)] = &[
            (b"<sip:u@h>;expires=-1", K::ExpectedDigits, 18),
            (b"<sip:u@h>;expires=12a", K::ExpectedDigits, 20),
            (
                b"<sip:u@h>;expires=99999999999999999999999",
                K::NumberOutOfRange,
                18,
            ),
            (b"<sip:u@h>;expires", K::BadParam, 17),
        ];
        for &(s, kind, off) in es {
            let e = Contact::parse(s, BASE)
                .unwrap()
                .expires()
                .unwrap()
                .unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (kind, BASE + off),
                "{}",
                String::from_utf8_lossy(s)
            );
        }
    }

    #[test]
    fn invalid_elements() {
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            (b"\"Joe\" <sip:joe@example.org>;;;;", K::BadParam, 28),
            (
                b"sip:user@example.com?Route=%3Csip:sip.example.com%3E x",
                K::UnexpectedChar,
                52,
            ),
        ];
        for &(s, kind, off) in table {
            let e = Contact::parse(s, BASE).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (kind, BASE + off),
                "{}",
                String::from_utf8_lossy(s)
            );
        }
        // regbadct parses but is flagged.
        let c = Contact::parse(
            b"sip:user@example.com?Route=%3Csip:sip.example.com%3E",
            BASE,
        )
        .unwrap();
        assert!(c.name_addr().unwrap().needs_angle_brackets());
    }

    mod props {
        use super::*;
        use crate::header::typed::addr_gen::*;
        use proptest::prelude::*;

        /// Renders thousandths as a qvalue with 0 to 3 decimals.
        fn qtext(q: u16, decimals: usize) -> String {
            let int = q / 1000;
            let frac = format!("{:03}", q % 1000);
            // Only trailing zeros may be dropped without changing the value.
            let keep = decimals.max(frac.trim_end_matches('0').len());
            if keep == 0 {
                format!("{int}")
            } else {
                format!("{int}.{}", &frac[..keep])
            }
        }

        proptest! {
            #[test]
            fn generated_q_and_expires_round_trip(
                c in addr_case(&["q", "expires"]),
                q in proptest::option::of((0u16..=1000, 0usize..=3, random_case("q"), lws())),
                expires in proptest::option::of((any::<u32>(), random_case("expires"), lws())),
                base in 0usize..10_000,
            ) {
                let mut text = c.text.clone();
                if let Some((e, name, w)) = &expires {
                    text.push_str(&format!("{w};{w}{name}{w}={w}{e}"));
                }
                if let Some((q, d, name, w)) = &q {
                    text.push_str(&format!("{w};{name}={}", qtext(*q, *d)));
                }
                let s = text.as_bytes();
                let ct = Contact::parse(s, base).unwrap();
                prop_assert!(!ct.is_star());
                prop_assert_eq!(ct.q().map(Result::unwrap), q.as_ref().map(|x| x.0));
                prop_assert_eq!(ct.expires().map(Result::unwrap), expires.as_ref().map(|x| u64::from(x.0)));
                if let Some(p) = ct.q_raw() {
                    let v = p.value_span().unwrap();
                    prop_assert_eq!(&s[v.start - base..v.end - base], p.value().unwrap());
                }
                prop_assert_eq!(ct.uri().unwrap().as_bytes(), c.uri.as_bytes());
            }

            #[test]
            fn star_with_lws(a in lws(), b in lws(), base in 0usize..1000) {
                let text = format!("{a}*{b}");
                let ct = Contact::parse(text.as_bytes(), base).unwrap();
                prop_assert!(ct.is_star());
                prop_assert_eq!(ct.span(), Span::new(base + a.len(), base + a.len() + 1));
            }

            #[test]
            fn arbitrary_bytes_never_panic(s in addrish_bytes(), base in 0usize..1000) {
                if let Ok(ct) = Contact::parse(&s, base) {
                    prop_assert!(in_bounds(ct.span(), base, s.len()));
                    for r in [ct.q().map(|r| r.map(|_| ())), ct.expires().map(|r| r.map(|_| ()))]
                        .into_iter()
                        .flatten()
                    {
                        if let Err(e) = r {
                            prop_assert!(e.offset() >= base && e.offset() <= base + s.len());
                        }
                    }
                }
            }
        }
    }
}
