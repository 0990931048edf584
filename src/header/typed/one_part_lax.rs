//! Lax readings of the headers whose value is read as one part.
//!
//! Call-ID, SIP-ETag, Max-Forwards, Content-Length, RSeq, Min-SE, Retry-After,
//! Timestamp, and one element of Reason, Warning, Security-Server, Accept,
//! Accept-Encoding, Accept-Language, Call-Info and Content-Encoding have no
//! parts that a caller could use while another part is broken (a Warning
//! without its code, a Reason without its protocol is no Warning, no
//! Reason), so their lax reading is the strict one seen as a
//! [`ValueLax`]: the value, or exactly one [`Defect`](crate::grammar::Defect)
//! spanning the value (LWS trimmed) at the strict error's offset and kind.
//! So every header the validator reads has a [`LaxHeader`] reading, and
//! `strict Ok ⇔ no defect` holds by construction here.
//!
//! The part named is [`Part::Number`] for the values that are one number
//! and [`Part::Value`] for the others.

use crate::grammar::Part;
use crate::header::typed::scan::ValueLax;
use crate::header::typed::{
    Accept, AcceptEncoding, AcceptLanguage, CallId, CallInfo, ContentEncoding, ContentLength,
    LaxHeader, MaxForwards, MinSe, RSeq, Reason, RetryAfter, SecurityServer, SipEtag, Timestamp,
    TypedHeader, Warning,
};

macro_rules! one_part_lax {
    ($ty:ident < 'a >, $part:expr) => {
        impl<'a> $ty<'a> {
            /// Reads the value laxly: the value, or one located defect of
            /// the whole value (see the module `one_part_lax`).
            pub fn parse_lax(value: &'a [u8], base: usize) -> ValueLax<$ty<'a>> {
                ValueLax::from_result(
                    <$ty<'a> as TypedHeader<'a>>::parse(value, base),
                    $part,
                    value,
                    base,
                )
            }
        }

        impl<'a> LaxHeader<'a> for $ty<'a> {
            type Lax = ValueLax<$ty<'a>>;
            fn parse_lax(value: &'a [u8], base: usize) -> Self::Lax {
                $ty::parse_lax(value, base)
            }
        }
    };
    ($ty:ident, $part:expr) => {
        impl $ty {
            /// Reads the value laxly: the number, or one located defect of
            /// the whole value (see the module `one_part_lax`).
            pub fn parse_lax(value: &[u8], base: usize) -> ValueLax<$ty> {
                ValueLax::from_result(
                    <$ty as TypedHeader<'_>>::parse(value, base),
                    $part,
                    value,
                    base,
                )
            }
        }

        impl<'a> LaxHeader<'a> for $ty {
            type Lax = ValueLax<$ty>;
            fn parse_lax(value: &'a [u8], base: usize) -> Self::Lax {
                $ty::parse_lax(value, base)
            }
        }
    };
}

one_part_lax!(CallId<'a>, Part::Value);
one_part_lax!(SipEtag<'a>, Part::Value);
one_part_lax!(MaxForwards, Part::Number);
one_part_lax!(ContentLength, Part::Number);
one_part_lax!(RSeq, Part::Number);
one_part_lax!(MinSe<'a>, Part::Value);
one_part_lax!(RetryAfter<'a>, Part::Value);
one_part_lax!(Timestamp<'a>, Part::Value);
one_part_lax!(Reason<'a>, Part::Value);
one_part_lax!(Warning<'a>, Part::Value);
one_part_lax!(SecurityServer<'a>, Part::Value);
one_part_lax!(Accept<'a>, Part::Value);
one_part_lax!(AcceptEncoding<'a>, Part::Value);
one_part_lax!(AcceptLanguage<'a>, Part::Value);
one_part_lax!(CallInfo<'a>, Part::Value);
one_part_lax!(ContentEncoding<'a>, Part::Value);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::HeaderValueErrorKind as K;

    /// `strict Ok ⇔ no defect`, the value is the strict one, and a defect
    /// spans the trimmed value at the strict error's kind and offset.
    fn agrees<'a, H>(value: &'a [u8], base: usize) -> Option<K>
    where
        H: LaxHeader<'a, Lax = ValueLax<H>> + PartialEq + core::fmt::Debug,
    {
        let lax = H::parse_lax(value, base);
        match H::parse(value, base) {
            Ok(v) => {
                assert!(lax.defects().is_empty(), "{:?}", lax.defects());
                assert_eq!(lax.value(), Some(&v));
                None
            }
            Err(e) => {
                assert_eq!(lax.value(), None);
                assert_eq!(lax.defects().len(), 1);
                let d = lax.defects().first().unwrap();
                assert_eq!((d.kind, d.at), (e.kind(), e.offset()));
                let trimmed = crate::lex::trim_lws(value);
                let start = base + (trimmed.as_ptr() as usize - value.as_ptr() as usize);
                assert_eq!((d.span.start, d.span.end), (start, start + trimmed.len()));
                Some(e.kind())
            }
        }
    }

    #[test]
    fn one_part_readings_agree_with_strict() {
        assert_eq!(agrees::<CallId<'_>>(b"a84b4c76e66710@pc33", 7), None);
        assert!(agrees::<CallId<'_>>(b"a b", 7).is_some());
        assert_eq!(agrees::<MaxForwards>(b"70", 3), None);
        assert!(agrees::<MaxForwards>(b"seventy", 3).is_some());
        assert!(agrees::<ContentLength>(b" 1x ", 0).is_some());
        assert_eq!(agrees::<RSeq>(b"988789", 0), None);
        assert!(agrees::<RSeq>(b"", 0).is_some());
        assert_eq!(agrees::<MinSe<'_>>(b"90;x=1", 0), None);
        assert!(agrees::<MinSe<'_>>(b"90 secs", 0).is_some());
        assert_eq!(agrees::<RetryAfter<'_>>(b"18000;duration=3600", 0), None);
        assert!(agrees::<RetryAfter<'_>>(b"soon", 0).is_some());
        assert_eq!(agrees::<Timestamp<'_>>(b"54 0.5", 0), None);
        assert!(agrees::<Timestamp<'_>>(b"x", 0).is_some());
        assert_eq!(agrees::<Reason<'_>>(b"SIP;cause=200;text=\"x\"", 0), None);
        assert!(agrees::<Reason<'_>>(b"SIP;cause=", 0).is_some());
        assert_eq!(agrees::<Warning<'_>>(b"301 isi.edu \"x\"", 0), None);
        assert!(agrees::<Warning<'_>>(b"30 isi.edu \"x\"", 0).is_some());
        assert_eq!(agrees::<SecurityServer<'_>>(b"tls;q=0.2", 0), None);
        assert!(agrees::<SecurityServer<'_>>(b";q=1", 0).is_some());
        assert_eq!(agrees::<Accept<'_>>(b"application/sdp;q=0.5", 0), None);
        assert!(agrees::<Accept<'_>>(b"*/sdp", 0).is_some());
        assert_eq!(agrees::<AcceptEncoding<'_>>(b"gzip", 0), None);
        assert!(agrees::<AcceptEncoding<'_>>(b"gzip;q=2", 0).is_some());
        assert_eq!(agrees::<AcceptLanguage<'_>>(b"en-us", 0), None);
        assert!(agrees::<AcceptLanguage<'_>>(b"en us", 0).is_some());
        assert_eq!(
            agrees::<CallInfo<'_>>(b"<http://x/y>;purpose=info", 0),
            None
        );
        assert!(agrees::<CallInfo<'_>>(b"http://x/y", 0).is_some());
        assert_eq!(agrees::<ContentEncoding<'_>>(b"gzip", 0), None);
        assert!(agrees::<ContentEncoding<'_>>(b"g z", 0).is_some());
    }
}
