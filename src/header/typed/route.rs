//! One Route or Record-Route element (RFC 3261 §20.30, §20.34, §25.1):
//!
//! ```text
//! Route        = "Route" HCOLON route-param *(COMMA route-param)
//! route-param  = name-addr *( SEMI rr-param )
//! Record-Route = "Record-Route" HCOLON rec-route *(COMMA rec-route)
//! rec-route    = name-addr *( SEMI rr-param )
//! rr-param     = generic-param
//! ```
//!
//! The grammar requires the bracketed `name-addr`. Being liberal in what is
//! accepted, a bare `addr-spec` still parses (its `;` parameters are then
//! header parameters, as for every address header, RFC 3261 §20 intro) and
//! [`Route::brackets_missing`] reports it so a validator can flag it.

use crate::error::HeaderValueError;
use crate::header::param::Params;
use crate::header::typed::name_addr::{NameAddr, NameAddrLax};
use crate::header::typed::uri::Uri;
use crate::header::typed::{LaxHeader, TypedHeader};
use crate::header::KnownHeader;
use crate::Span;

macro_rules! route_type {
    ($(#[$doc:meta])* $ty:ident, $name:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $ty<'a> {
            addr: NameAddr<'a>,
        }

        impl<'a> $ty<'a> {
            /// The address with its display name and parameters.
            pub fn name_addr(&self) -> &NameAddr<'a> {
                &self.addr
            }

            /// The URI (a loose router carries `;lr` among its URI
            /// parameters, RFC 3261 §19.1.1).
            pub fn uri(&self) -> Uri<'a> {
                self.addr.uri()
            }

            /// The `rr-param`s after `>`.
            pub fn params(&self) -> Params<'a> {
                self.addr.params()
            }

            /// True when the value was a bare `addr-spec`, which the
            /// `name-addr`-only grammar of RFC 3261 §25.1 does not allow.
            pub fn brackets_missing(&self) -> bool {
                !self.addr.is_bracketed()
            }

            /// True when the URI has the `lr` parameter (loose routing,
            /// RFC 3261 §16.12.1.1).
            pub fn is_loose(&self) -> bool {
                self.addr.uri().params().contains("lr")
            }

            /// Absolute span of the whole element.
            pub fn span(&self) -> Span {
                self.addr.span()
            }
        }

        impl<'a> $ty<'a> {
            /// Reads one element laxly: display name, URI and every
            /// `rr-param` on their own (see [`NameAddrLax`]); a bare
            /// `addr-spec` reads, and [`NameAddrLax::is_bracketed`] says so.
            pub fn parse_lax(value: &'a [u8], base: usize) -> NameAddrLax<'a> {
                NameAddr::parse_lax_with(value, base, &[], false)
            }
        }

        impl<'a> LaxHeader<'a> for $ty<'a> {
            type Lax = NameAddrLax<'a>;
            fn parse_lax(value: &'a [u8], base: usize) -> NameAddrLax<'a> {
                NameAddr::parse_lax_with(value, base, &[], false)
            }
        }

        impl<'a> TypedHeader<'a> for $ty<'a> {
            const NAME: KnownHeader = $name;

            fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
                Ok($ty {
                    addr: NameAddr::parse(value, base)?,
                })
            }
        }
    };
}

route_type!(
    /// One Route element: a hop the request is to visit (RFC 3261 §20.34).
    /// Route is a request header; a response carrying one is a finding
    /// (`request-header-in-response`).
    Route,
    KnownHeader::Route
);

route_type!(
    /// One Record-Route element: a proxy that asked to stay on the dialog's
    /// path (RFC 3261 §16.6 step 4, §20.30).
    RecordRoute,
    KnownHeader::RecordRoute
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lax_routes() {
        let r = RecordRoute::parse_lax(b"<sip:p1.example.com;lr>;x=1", 0);
        assert!(r.defects().is_empty() && r.is_bracketed());
        assert!(r.uri().is_some_and(|u| u.params().contains("lr")));
        let r = Route::parse_lax(b"<sip:p1.example.com;lr>;=", 0);
        assert_eq!(
            r.defects().first().map(|d| d.part),
            Some(crate::grammar::Part::Param)
        );
        assert!(r.uri().is_some(), "the URI still reads");
        assert!(!RecordRoute::parse_lax(b"sip:p1.example.com", 0).is_bracketed());
    }
    use crate::HeaderValueErrorKind as K;

    const BASE: usize = 7;

    #[test]
    fn routes() {
        // (value, bracketed, loose, host, n params)
        type Row<'a> = (&'a [u8], bool, bool, &'a [u8], usize);
        let table: &[Row<'_>] = &[
            (
                b"<sip:services.example.com;lr;unknownwith=value;unknown-no-value>",
                true,
                true,
                b"services.example.com",
                0,
            ),
            (
                b"<sip:p1.example.com;LR>;x=1",
                true,
                true,
                b"p1.example.com",
                1,
            ),
            (
                b"\"proxy\" <sip:[2001:db8::1]:5061;transport=tls>",
                true,
                false,
                b"[2001:db8::1]",
                0,
            ),
            (b"sip:p2.example.com;lr", false, false, b"p2.example.com", 1),
        ];
        for &(s, bracketed, loose, host, n) in table {
            let r = Route::parse(s, BASE).unwrap();
            let rr = RecordRoute::parse(s, BASE).unwrap();
            assert_eq!(r.name_addr(), rr.name_addr());
            assert_eq!(r.brackets_missing(), !bracketed);
            assert_eq!(rr.is_loose(), loose);
            let h = r.uri().host().unwrap();
            assert_eq!(h.as_bytes(), host);
            assert_eq!(&s[h.span().start - BASE..h.span().end - BASE], host);
            assert_eq!(r.params().len(), n);
            assert_eq!(rr.span(), Span::new(BASE, BASE + s.len()));
        }
        assert_eq!(Route::NAME, KnownHeader::Route);
        assert_eq!(RecordRoute::NAME, KnownHeader::RecordRoute);
    }

    #[test]
    fn invalid() {
        for (s, kind, off) in [
            (&b""[..], K::Empty, 0),
            (b"<sip:p1.example.com;lr", K::UnterminatedAngle, 0),
            (b"< sip:p1.example.com>", K::UnexpectedChar, 1),
            (b"<sip:p1.example.com>;", K::BadParam, 21),
        ] {
            let e = RecordRoute::parse(s, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + off));
        }
    }

    mod props {
        use super::*;
        use crate::header::typed::addr_gen::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn generated_routes_round_trip(c in addr_case(&[]), base in 0usize..10_000) {
                let s = c.text.as_bytes();
                let r = RecordRoute::parse(s, base).unwrap();
                prop_assert_eq!(r.brackets_missing(), !c.bracketed);
                prop_assert_eq!(r.uri().as_bytes(), c.uri.as_bytes());
                prop_assert_eq!(pairs(&r.params()), c.params);
                prop_assert_eq!(r.span(), Span::new(base, base + s.len()));
                let route = Route::parse(s, base).unwrap();
                prop_assert_eq!(route.name_addr(), r.name_addr());
            }

            #[test]
            fn arbitrary_bytes_never_panic(s in addrish_bytes(), base in 0usize..1000) {
                if let Ok(r) = Route::parse(&s, base) {
                    prop_assert!(in_bounds(r.span(), base, s.len()));
                    let _ = r.is_loose();
                }
            }
        }
    }
}
