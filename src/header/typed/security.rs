//! `Security-Server` (RFC 3329 §2.2): one element of the list.
//!
//! ```text
//! security-server   = "Security-Server" HCOLON
//!                     sec-mechanism *(COMMA sec-mechanism)
//! sec-mechanism     = mechanism-name *(SEMI mech-parameters)
//! mechanism-name    = ( "digest" / "tls" / "ipsec-ike" /
//!                      "ipsec-man" / token )
//! mech-parameters   = ( preference / digest-algorithm /
//!                       digest-qop / digest-verify / extension )
//! preference        = "q" EQUAL qvalue
//! qvalue            = ( "0" [ "." 0*3DIGIT ] )
//!                     / ( "1" [ "." 0*3("0") ] )
//! digest-algorithm  = "d-alg" EQUAL token
//! digest-qop        = "d-qop" EQUAL token
//! digest-verify     = "d-ver" EQUAL LDQUOT 32LHEX RDQUOT
//! extension         = generic-param
//! ```
//! (`qvalue` from RFC 3261 §25.1.)

use crate::error::HeaderValueError;
use crate::header::param::{Param, Params};
use crate::header::typed::scan::qvalue;
use crate::header::typed::scan::{ascii, bad_param, parse_token_params, TokenParams};
use crate::header::typed::TypedHeader;
use crate::header::KnownHeader;
use crate::lex;
use crate::Span;

/// One `sec-mechanism` a server offers for security agreement (RFC 3329
/// §2.2). A 494 MUST carry at least one (§2.3.1); a 421 may (§2.3.2).
///
/// Parsing choices, all per the ABNF above:
/// - `q` must be a `qvalue` (0 to 1 with at most three decimals);
/// - `d-alg` and `d-qop` must be tokens;
/// - `d-ver` must be exactly 32 lower-case hex digits in quotes (`LHEX`).
///
/// A parameter that breaks its rule fails with [`BadParam`] at its value
/// (or just after its name when the value is missing). Other parameters,
/// such as the 3GPP `ipsec-3gpp` ones (`alg`, `spi-c`, `port-s`, ...), are
/// `generic-param`s. When one of the four known parameters appears twice the
/// accessors report the first; [`Params::first_repeated`] finds repeats.
///
/// [`BadParam`]: crate::error::HeaderValueErrorKind::BadParam
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SecurityServer<'a> {
    mechanism: &'a [u8],
    mechanism_span: Span,
    params: Params<'a>,
    q: Option<u16>,
    span: Span,
}

impl<'a> SecurityServer<'a> {
    /// The mechanism name as sent (`digest`, `tls`, `ipsec-3gpp`, ...).
    pub fn mechanism(&self) -> &'a str {
        ascii(self.mechanism)
    }

    /// Absolute span of the mechanism name.
    pub fn mechanism_span(&self) -> Span {
        self.mechanism_span
    }

    /// The preference `q` in thousandths (`q=0.1` gives 100, `q=1` 1000).
    pub fn q(&self) -> Option<u16> {
        self.q
    }

    /// The `q` parameter itself (bytes and spans).
    pub fn q_param(&self) -> Option<Param<'a>> {
        self.params.get("q")
    }

    /// The `d-alg` token (digest algorithm), if any.
    pub fn d_alg(&self) -> Option<Param<'a>> {
        self.params.get("d-alg")
    }

    /// The `d-qop` token (digest quality of protection), if any.
    pub fn d_qop(&self) -> Option<Param<'a>> {
        self.params.get("d-qop")
    }

    /// The `d-ver` parameter; [`Param::value_unquoted`] gives the 32 hex digits.
    pub fn d_ver(&self) -> Option<Param<'a>> {
        self.params.get("d-ver")
    }

    /// Every parameter, in order.
    pub fn params(&self) -> Params<'a> {
        self.params
    }

    /// Absolute span of the whole sec-mechanism.
    pub fn span(&self) -> Span {
        self.span
    }
}

impl<'a> TypedHeader<'a> for SecurityServer<'a> {
    const NAME: KnownHeader = KnownHeader::SecurityServer;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let TokenParams {
            token: mechanism,
            token_span: mechanism_span,
            params,
            span,
        } = parse_token_params(value, base)?;
        let mut q = None;
        let (mut alg, mut qop, mut ver) = (false, false, false);
        for p in params.iter() {
            if p.is("q") && q.is_none() {
                q = Some(p.value().and_then(qvalue).ok_or(bad_param(&p))?);
            } else if (p.is("d-alg") && !core::mem::replace(&mut alg, true))
                || (p.is("d-qop") && !core::mem::replace(&mut qop, true))
            {
                if !p.value().is_some_and(lex::is_token_str) {
                    return Err(bad_param(&p));
                }
            } else if p.is("d-ver") && !core::mem::replace(&mut ver, true) {
                let ok = p.is_quoted()
                    && p.value_unquoted().is_some_and(|h| {
                        h.len() == 32 && h.iter().all(|&b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
                    });
                if !ok {
                    return Err(bad_param(&p));
                }
            }
        }
        Ok(SecurityServer {
            mechanism,
            mechanism_span,
            params,
            q,
            span,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PREFIX: &str = "Security-Server: ";
    const VER: &str = "0123456789abcdef0123456789abcdef";

    fn parse(buf: &str) -> Result<SecurityServer<'_>, HeaderValueError> {
        SecurityServer::parse(&buf.as_bytes()[PREFIX.len()..], PREFIX.len())
    }

    #[test]
    fn valid_values() {
        // (value, mechanism, q, d-alg, number of params)
        type Case<'c> = (&'c str, &'c str, Option<u16>, Option<&'c str>, usize);
        let cases: &[Case<'_>] = &[
            // Real fixture value (corpus/fixtures).
            (
                "ipsec-3gpp;alg=hmac-md5-96;ealg=aes-cbc;mod=trans;port-c=5062;port-s=5063;\
                 prot=esp;spi-c=3333;sip-s=4444",
                "ipsec-3gpp",
                None,
                None,
                8,
            ),
            // RFC 3329 §3 examples.
            ("ipsec-ike;q=0.1", "ipsec-ike", Some(100), None, 1),
            ("tls;q=0.2", "tls", Some(200), None, 1),
            (
                "digest;d-alg=md5;q=0.2",
                "digest",
                Some(200),
                Some("md5"),
                2,
            ),
            ("tls ; q = 1.000", "tls", Some(1000), None, 1),
            ("tls;q=0", "tls", Some(0), None, 1),
            ("tls;q=0.", "tls", Some(0), None, 1),
            ("tls;q=0.999", "tls", Some(999), None, 1),
            ("tls;q=1.", "tls", Some(1000), None, 1),
            (
                "DIGEST;D-ALG=SHA-256;d-qop=auth;d-ver=\"0123456789abcdef0123456789abcdef\"",
                "DIGEST",
                None,
                Some("SHA-256"),
                3,
            ),
            ("x-mech", "x-mech", None, None, 0),
        ];
        for &(v, mech, q, alg, n) in cases {
            let buf = format!("{PREFIX}{v}");
            let b = buf.as_bytes();
            let s = parse(&buf).unwrap_or_else(|e| panic!("{v:?}: {e}"));
            assert_eq!(s.mechanism(), mech);
            assert_eq!(&b[s.mechanism_span().range()], mech.as_bytes());
            assert_eq!(s.q(), q, "{v}");
            assert_eq!(s.d_alg().and_then(|p| p.value()), alg.map(str::as_bytes));
            if let Some(p) = s.q_param() {
                assert_eq!(&b[p.value_span().unwrap().range()], p.value().unwrap());
            }
            assert_eq!(s.params().len(), n, "{v}");
            assert_eq!(&b[s.span().range()], v.as_bytes());
        }
        let buf = format!("{PREFIX}digest;d-ver=\"{VER}\"");
        let s = parse(&buf).unwrap();
        assert_eq!(s.mechanism_span(), Span::new(17, 23));
        let ver = s.d_ver().unwrap();
        assert_eq!(ver.value_unquoted(), Some(VER.as_bytes()));
        assert_eq!(ver.value_span(), Some(Span::new(30, 64)));
    }

    #[test]
    fn invalid_values_are_located() {
        use crate::error::HeaderValueErrorKind as K;
        let cases: &[(&str, K, usize)] = &[
            ("", K::Empty, 0),
            (";q=1", K::ExpectedToken, 0),
            ("tls q=1", K::Trailing, 4),
            ("tls;q=2", K::BadParam, 6),
            ("tls;q=1.5", K::BadParam, 6),
            ("tls;q=0.1234", K::BadParam, 6),
            ("tls;q=.5", K::BadParam, 6),
            ("tls;q", K::BadParam, 5),
            ("tls;q=\"0.5\"", K::BadParam, 6),
            ("digest;d-alg=\"md5\"", K::BadParam, 13),
            ("digest;d-alg=a:b", K::BadParam, 14),
            ("digest;d-qop", K::BadParam, 12),
            (
                "digest;d-ver=0123456789abcdef0123456789abcdef",
                K::BadParam,
                13,
            ),
            (
                "digest;d-ver=\"0123456789ABCDEF0123456789abcdef\"",
                K::BadParam,
                13,
            ),
            ("digest;d-ver=\"0123\"", K::BadParam, 13),
            ("tls;;", K::BadParam, 4),
            ("tls,ipsec-ike", K::Trailing, 3),
        ];
        for &(v, kind, off) in cases {
            let buf = format!("{PREFIX}{v}");
            let e = parse(&buf).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, PREFIX.len() + off), "{v:?}");
        }
    }

    #[test]
    fn qvalues() {
        for (v, q) in [
            ("0", Some(0)),
            ("0.5", Some(500)),
            ("0.05", Some(50)),
            ("1.00", Some(1000)),
            ("1.001", None),
            ("01", None),
            ("", None),
            ("0.x", None),
        ] {
            assert_eq!(qvalue(v.as_bytes()), q, "{v}");
        }
    }

    fn ws() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just(""), Just(" "), Just("\t"), Just("\r\n ")]
    }

    proptest! {
        #[test]
        fn render_parse_round_trip(
            mech in prop_oneof![Just("digest".to_string()), Just("tls".to_string()), Just("ipsec-ike".to_string()), "[a-zA-Z0-9-]{1,12}"],
            upper in any::<bool>(),
            q in proptest::option::of(0u16..=1000),
            alg in proptest::option::of("[a-zA-Z0-9-]{1,8}"),
            ver in proptest::option::of("[0-9a-f]{32}"),
            ext in proptest::collection::vec(("[a-z][a-z-]{0,5}c", "[a-z0-9]{1,5}"), 0..4),
            w1 in ws(), w2 in ws(),
        ) {
            let mech = if upper { mech.to_ascii_uppercase() } else { mech };
            let mut v = mech.clone();
            if let Some(q) = q {
                if q == 1000 {
                    v.push_str(&format!("{w1};{w2}q{w1}={w2}1.0"));
                } else {
                    v.push_str(&format!("{w1};{w2}q{w1}={w2}0.{q:03}"));
                }
            }
            if let Some(a) = &alg {
                v.push_str(&format!(";{w1}d-alg={a}"));
            }
            for (n, val) in &ext {
                v.push_str(&format!("{w2};{n}={val}"));
            }
            if let Some(h) = &ver {
                v.push_str(&format!(";d-ver=\"{h}\""));
            }
            let buf = format!("{PREFIX}{v}");
            let s = parse(&buf).unwrap();
            prop_assert_eq!(s.mechanism(), mech.as_str());
            prop_assert_eq!(s.q(), q);
            prop_assert_eq!(s.d_alg().and_then(|p| p.value()), alg.as_deref().map(str::as_bytes));
            prop_assert_eq!(s.d_ver().and_then(|p| p.value_unquoted()), ver.as_deref().map(str::as_bytes));
            prop_assert_eq!(
                s.params().len(),
                ext.len() + usize::from(q.is_some()) + usize::from(alg.is_some()) + usize::from(ver.is_some())
            );
        }

        #[test]
        fn arbitrary_bytes_never_panic(v in proptest::collection::vec(any::<u8>(), 0..64), base in 0usize..1000) {
            match SecurityServer::parse(&v, base) {
                Ok(s) => prop_assert!(s.span().end <= base + v.len()),
                Err(e) => prop_assert!(e.offset() >= base && e.offset() <= base + v.len()),
            }
        }
    }
}
