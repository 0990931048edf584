//! `Reason` (RFC 3326 §2): one element of the list.
//!
//! ```text
//! Reason            =  "Reason" HCOLON reason-value *(COMMA reason-value)
//! reason-value      =  protocol *(SEMI reason-params)
//! protocol          =  "SIP" / "Q.850" / token
//! reason-params     =  protocol-cause / reason-text
//!                      / reason-extension
//! protocol-cause    =  "cause" EQUAL cause
//! cause             =  1*DIGIT
//! reason-text       =  "text" EQUAL quoted-string
//! reason-extension  =  generic-param
//! ```

use crate::error::HeaderValueError;
use crate::header::param::Params;
use crate::header::typed::scan::{ascii, bad_param, digit_param, parse_token_params, TokenParams};
use crate::header::typed::TypedHeader;
use crate::header::KnownHeader;
use crate::Span;

/// The protocol a [`Reason`] cause belongs to (RFC 3326 §2, §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReasonProtocol {
    /// `SIP`: the cause is a SIP status code.
    Sip,
    /// `Q.850`: the cause is an ITU-T Q.850 cause value.
    Q850,
    /// Any other protocol token (registered later with IANA, RFC 3326 §3.1).
    Other,
}

/// One `reason-value`: why a request or dialog ended, in some protocol's
/// terms (RFC 3326 §2). RFC 6228 §5 makes it mandatory in a 199 response.
///
/// Parsing choices:
/// - Protocol names are ABNF string literals, so `q.850` is `Q.850`
///   (RFC 5234 §2.3); [`Reason::protocol_kind`] compares case-insensitively
///   while [`Reason::protocol`] keeps the bytes as sent.
/// - `cause` must be `1*DIGIT` ([`ExpectedDigits`] at its value otherwise;
///   a missing value is [`BadParam`]) and fit in 32 bits
///   ([`NumberOutOfRange`]); `text` must be a quoted-string ([`BadParam`]).
///   When either appears twice the first one is reported by the accessors;
///   the validator can see repeats through [`Params::first_repeated`].
/// - Other parameters are `generic-param` (RFC 3261 §25.1).
///
/// [`ExpectedDigits`]: crate::error::HeaderValueErrorKind::ExpectedDigits
/// [`BadParam`]: crate::error::HeaderValueErrorKind::BadParam
/// [`NumberOutOfRange`]: crate::error::HeaderValueErrorKind::NumberOutOfRange
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reason<'a> {
    protocol: &'a [u8],
    protocol_span: Span,
    params: Params<'a>,
    cause: Option<(u32, Span)>,
    text: Option<(&'a [u8], Span)>,
    span: Span,
}

impl<'a> Reason<'a> {
    /// The protocol token as sent (`SIP`, `Q.850`, ...).
    pub fn protocol(&self) -> &'a str {
        ascii(self.protocol)
    }

    /// Absolute span of the protocol token.
    pub fn protocol_span(&self) -> Span {
        self.protocol_span
    }

    /// Which protocol, compared case-insensitively.
    pub fn protocol_kind(&self) -> ReasonProtocol {
        if self.protocol.eq_ignore_ascii_case(b"SIP") {
            ReasonProtocol::Sip
        } else if self.protocol.eq_ignore_ascii_case(b"Q.850") {
            ReasonProtocol::Q850
        } else {
            ReasonProtocol::Other
        }
    }

    /// The `cause` value, validated as `1*DIGIT` within `u32` at parse time.
    pub fn cause(&self) -> Option<u32> {
        self.cause.map(|(c, _)| c)
    }

    /// Absolute span of the `cause` value digits.
    pub fn cause_span(&self) -> Option<Span> {
        self.cause.map(|(_, s)| s)
    }

    /// The `text` value without its quotes (quoted-pairs kept as sent).
    pub fn text(&self) -> Option<&'a [u8]> {
        self.text.map(|(t, _)| t)
    }

    /// Absolute span of the `text` value inside its quotes.
    pub fn text_span(&self) -> Option<Span> {
        self.text.map(|(_, s)| s)
    }

    /// Every parameter, `cause` and `text` included, in order.
    pub fn params(&self) -> Params<'a> {
        self.params
    }

    /// Absolute span of the whole reason-value.
    pub fn span(&self) -> Span {
        self.span
    }
}

impl<'a> TypedHeader<'a> for Reason<'a> {
    const NAME: KnownHeader = KnownHeader::Reason;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let TokenParams {
            token: protocol,
            token_span: protocol_span,
            params,
            span,
        } = parse_token_params(value, base)?;

        let mut cause = None;
        let mut text = None;
        for p in params.iter() {
            if p.is("cause") && cause.is_none() {
                cause = Some(digit_param(&p, |n| u32::try_from(n).ok())?);
            } else if p.is("text") && text.is_none() {
                match (p.value_unquoted(), p.value_span()) {
                    (Some(t), Some(s)) if p.is_quoted() => {
                        text = Some((t, Span::new(s.start + 1, s.end - 1)));
                    }
                    _ => return Err(bad_param(&p)),
                }
            }
        }
        Ok(Reason {
            protocol,
            protocol_span,
            params,
            cause,
            text,
            span,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PREFIX: &str = "Reason: ";

    fn parse(buf: &str) -> Result<Reason<'_>, HeaderValueError> {
        Reason::parse(&buf.as_bytes()[PREFIX.len()..], PREFIX.len())
    }

    #[test]
    fn valid_values() {
        // (value, protocol kind, cause, text, param count)
        type Case<'c> = (&'c str, ReasonProtocol, Option<u32>, Option<&'c str>, usize);
        let cases: &[Case<'_>] = &[
            // Real values (corpus/fixtures).
            (
                "Q.850;cause=21;text=\"CALL_REJECTED\"",
                ReasonProtocol::Q850,
                Some(21),
                Some("CALL_REJECTED"),
                2,
            ),
            (
                "Q.850;cause=21;text=\"nocallee\"",
                ReasonProtocol::Q850,
                Some(21),
                Some("nocallee"),
                2,
            ),
            (
                "SIP;cause=142;text=\"SUCCESS\"",
                ReasonProtocol::Sip,
                Some(142),
                Some("SUCCESS"),
                2,
            ),
            (
                "SIP;cause=488;text=\"Transfer impossible: No call handling ressources\"",
                ReasonProtocol::Sip,
                Some(488),
                Some("Transfer impossible: No call handling ressources"),
                2,
            ),
            ("q.850;cause=21", ReasonProtocol::Q850, Some(21), None, 1),
            // RFC 3326 §2 example.
            (
                "SIP ;cause=200 ;text=\"Call completed elsewhere\"",
                ReasonProtocol::Sip,
                Some(200),
                Some("Call completed elsewhere"),
                2,
            ),
            (
                "preemption ;cause=1 ;text=\"UA Preemption\"",
                ReasonProtocol::Other,
                Some(1),
                Some("UA Preemption"),
                2,
            ),
            ("sip", ReasonProtocol::Sip, None, None, 0),
            (
                "SIP;text=\"a;b,c\\\"\";x-ext=1;flag",
                ReasonProtocol::Sip,
                None,
                Some("a;b,c\\\""),
                3,
            ),
            (
                "SIP ;\r\n cause = 4294967295",
                ReasonProtocol::Sip,
                Some(u32::MAX),
                None,
                1,
            ),
            ("SIP;cause=1;cause=2", ReasonProtocol::Sip, Some(1), None, 2),
        ];
        for &(v, kind, cause, text, n) in cases {
            let buf = format!("{PREFIX}{v}");
            let b = buf.as_bytes();
            let r = parse(&buf).unwrap_or_else(|e| panic!("{v:?}: {e}"));
            assert_eq!(r.protocol_kind(), kind, "{v}");
            assert_eq!(&b[r.protocol_span().range()], r.protocol().as_bytes());
            assert_eq!(r.cause(), cause, "{v}");
            if let Some(c) = cause {
                assert_eq!(
                    &b[r.cause_span().unwrap().range()],
                    c.to_string().as_bytes()
                );
            }
            assert_eq!(r.text(), text.map(str::as_bytes), "{v}");
            if let Some(t) = text {
                assert_eq!(&b[r.text_span().unwrap().range()], t.as_bytes());
            }
            assert_eq!(r.params().len(), n, "{v}");
            assert_eq!(&b[r.span().range()], v.trim_end().as_bytes());
        }
        let buf = format!("{PREFIX}Q.850;cause=21;text=\"x\"");
        let r = parse(&buf).unwrap();
        assert_eq!(r.protocol_span(), Span::new(8, 13));
        assert_eq!(r.cause_span(), Some(Span::new(20, 22)));
        assert_eq!(r.text_span(), Some(Span::new(29, 30)));
        assert_eq!(r.span(), Span::new(8, 31));
    }

    #[test]
    fn invalid_values_are_located() {
        use crate::error::HeaderValueErrorKind as K;
        let cases: &[(&str, K, usize)] = &[
            ("", K::Empty, 0),
            (";cause=1", K::ExpectedToken, 0),
            ("\"SIP\"", K::ExpectedToken, 0),
            ("SIP cause=1", K::Trailing, 4),
            ("SIP;cause", K::BadParam, 9),
            ("SIP;cause=abc", K::ExpectedDigits, 10),
            ("SIP;cause=12a", K::ExpectedDigits, 12),
            ("SIP;cause=\"12\"", K::ExpectedDigits, 10),
            ("SIP;cause=4294967296", K::NumberOutOfRange, 10),
            ("SIP;text=plain", K::BadParam, 9),
            ("SIP;text", K::BadParam, 8),
            ("SIP;text=\"open", K::UnterminatedQuote, 9),
            ("SIP;", K::BadParam, 4),
            ("SIP;cause=1,", K::Trailing, 11),
        ];
        for &(v, kind, off) in cases {
            let buf = format!("{PREFIX}{v}");
            let e = parse(&buf).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, PREFIX.len() + off), "{v:?}");
        }
    }

    fn ws() -> impl Strategy<Value = &'static str> {
        prop_oneof![Just(""), Just(" "), Just("\t"), Just("\r\n "), Just("  ")]
    }

    proptest! {
        #[test]
        fn render_parse_round_trip(
            protocol in prop_oneof![Just("SIP".to_string()), Just("Q.850".to_string()), "[a-zA-Z0-9.!%*_+`'~-]{1,10}"],
            upper in any::<bool>(),
            cause in proptest::option::of(any::<u32>()),
            text in proptest::option::of("([a-zA-Z0-9 ,;:=@<>/'-]|\\\\[a-z\"])*"),
            ext in proptest::collection::vec(("x-[a-z]{1,6}", proptest::option::of("[a-z0-9]{1,6}")), 0..3),
            w1 in ws(), w2 in ws(),
        ) {
            let protocol = if upper { protocol.to_ascii_uppercase() } else { protocol.to_ascii_lowercase() };
            let mut v = protocol.clone();
            if let Some(c) = cause {
                v.push_str(&format!("{w1};{w2}cause{w1}={w2}{c}"));
            }
            for (n, val) in &ext {
                v.push_str(&format!("{w1};{n}"));
                if let Some(val) = val {
                    v.push_str(&format!("={val}"));
                }
            }
            if let Some(t) = &text {
                v.push_str(&format!(";{w2}TEXT={w1}\"{t}\""));
            }
            let buf = format!("{PREFIX}{v}");
            let r = parse(&buf).unwrap();
            let b = buf.as_bytes();
            prop_assert_eq!(r.protocol(), protocol.as_str());
            prop_assert_eq!(r.cause(), cause);
            prop_assert_eq!(r.text(), text.as_deref().map(str::as_bytes));
            if let Some(s) = r.text_span() {
                prop_assert_eq!(&b[s.range()], text.as_deref().unwrap().as_bytes());
            }
            prop_assert_eq!(
                r.params().len(),
                ext.len() + usize::from(cause.is_some()) + usize::from(r.text().is_some())
            );
        }

        #[test]
        fn arbitrary_bytes_never_panic(v in proptest::collection::vec(any::<u8>(), 0..64), base in 0usize..1000) {
            match Reason::parse(&v, base) {
                Ok(r) => prop_assert!(r.span().end <= base + v.len()),
                Err(e) => prop_assert!(e.offset() >= base && e.offset() <= base + v.len()),
            }
        }
    }
}
