//! `Warning` (RFC 3261 §20.43): one element of the list.
//!
//! ```text
//! Warning        =  "Warning" HCOLON warning-value *(COMMA warning-value)
//! warning-value  =  warn-code SP warn-agent SP warn-text
//! warn-code      =  3DIGIT
//! warn-agent     =  hostport / pseudonym
//! warn-text      =  quoted-string
//! pseudonym      =  token
//! ```
//! (RFC 3261 §25.1.)

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::header::typed::scan;
use crate::header::typed::TypedHeader;
use crate::header::KnownHeader;
use crate::lex;
use crate::Span;

/// One `warning-value`: a 3-digit code, the agent that added it and a
/// quoted free-text explanation (RFC 3261 §20.43).
///
/// Parsing choices:
/// - The warn-code is exactly three digits. RFC 4475 §3.1.2.5 (`scalarlg`)
///   sends `1812` and expects the message to be treated as malformed, so a
///   longer run of digits is [`NumberOutOfRange`] at the fourth digit and a
///   shorter one is [`ExpectedDigits`] where the missing digit should be.
/// - The ABNF separates the three parts with one `SP`; this parser accepts
///   any run of LWS (including folds) there, because RFC 3261 §7.3.1 lets
///   header values be folded and nothing is ambiguous about the extra space.
///   At least one LWS byte is required.
/// - The warn-agent is either a bracketed IPv6 reference or a token (which
///   covers hostnames, IPv4 addresses and pseudonyms), optionally followed by
///   `:port`. A port must be 1*DIGIT within 0..=65535 ([`BadPort`]).
/// - Nothing may follow the closing quote of the warn-text ([`Trailing`]).
///
/// [`NumberOutOfRange`]: HeaderValueErrorKind::NumberOutOfRange
/// [`ExpectedDigits`]: HeaderValueErrorKind::ExpectedDigits
/// [`BadPort`]: HeaderValueErrorKind::BadPort
/// [`Trailing`]: HeaderValueErrorKind::Trailing
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Warning<'a> {
    code: u16,
    code_span: Span,
    agent: &'a [u8],
    agent_span: Span,
    port: Option<u16>,
    text: &'a [u8],
    text_span: Span,
    span: Span,
}

impl<'a> Warning<'a> {
    /// The warn-code (0..=999). SIP warning codes are 3xx (RFC 3261
    /// §20.43); the validator reports others (`warning-code-not-3xx`).
    pub fn code(&self) -> u16 {
        self.code
    }

    /// Absolute span of the three code digits.
    pub fn code_span(&self) -> Span {
        self.code_span
    }

    /// The warn-agent as sent: `host[:port]`, `[v6][:port]` or a pseudonym.
    /// Always ASCII (it was validated as token / IPv6 reference bytes).
    pub fn agent(&self) -> &'a str {
        scan::ascii(self.agent)
    }

    /// The warn-agent bytes as sent.
    pub fn agent_bytes(&self) -> &'a [u8] {
        self.agent
    }

    /// Absolute span of the warn-agent.
    pub fn agent_span(&self) -> Span {
        self.agent_span
    }

    /// The port of a `hostport` agent, if one was given.
    pub fn agent_port(&self) -> Option<u16> {
        self.port
    }

    /// The warn-text without its surrounding quotes (quoted-pairs are kept
    /// as sent; the text may be UTF-8, RFC 3261 §25.1 `qdtext`).
    pub fn text(&self) -> &'a [u8] {
        self.text
    }

    /// Absolute span of the warn-text inside its quotes.
    pub fn text_span(&self) -> Span {
        self.text_span
    }

    /// Absolute span of the whole warning-value.
    pub fn span(&self) -> Span {
        self.span
    }
}

/// At least one LWS byte, or `Missing` (a required separator, RFC 3261 §25.1 `SP`).
fn sep(cur: &mut Cursor<'_>) -> Result<(), HeaderValueError> {
    let start = cur.pos;
    cur.skip_lws();
    if cur.pos == start {
        return Err(cur.err(if cur.at_end() {
            HeaderValueErrorKind::Missing
        } else {
            HeaderValueErrorKind::UnexpectedChar
        }));
    }
    Ok(())
}

/// `warn-agent = hostport / pseudonym`; returns the port if there is one.
fn agent(cur: &mut Cursor<'_>) -> Result<Option<u16>, HeaderValueError> {
    match cur.peek() {
        Some(b'[') => {
            let open = cur.pos;
            cur.pos += 1;
            let inner = cur.pos;
            while cur
                .peek()
                .is_some_and(|b| lex::is_hex(b) || b == b':' || b == b'.')
            {
                cur.pos += 1;
            }
            if cur.pos == inner || !cur.eat(b']') {
                return Err(cur.err_at(HeaderValueErrorKind::BadHost, open));
            }
        }
        Some(b) if lex::is_token(b) => {
            cur.token();
        }
        None => return Err(cur.err(HeaderValueErrorKind::Missing)),
        Some(_) => return Err(cur.err(HeaderValueErrorKind::ExpectedToken)),
    }
    if !cur.eat(b':') {
        return Ok(None);
    }
    let at = cur.pos;
    let digits = cur.digits();
    match scan::port(digits) {
        Some(p) => Ok(Some(p)),
        None => Err(cur.err_at(HeaderValueErrorKind::BadPort, at)),
    }
}

impl<'a> TypedHeader<'a> for Warning<'a> {
    const NAME: KnownHeader = KnownHeader::Warning;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let mut cur = Cursor::new(value, base);
        if value.is_empty() {
            return Err(cur.err(HeaderValueErrorKind::Empty));
        }
        // warn-code = 3DIGIT
        let digits = cur.digits();
        match digits.len() {
            3 => {}
            0..=2 => return Err(cur.err(HeaderValueErrorKind::ExpectedDigits)),
            _ => return Err(cur.err_at(HeaderValueErrorKind::NumberOutOfRange, 3)),
        }
        let code = digits
            .iter()
            .fold(0u16, |n, &d| n * 10 + u16::from(d - b'0'));
        let code_span = cur.span_from(0);
        sep(&mut cur)?;

        let agent_start = cur.pos;
        let port = agent(&mut cur)?;
        let agent_bytes = &value[agent_start..cur.pos];
        let agent_span = cur.span_from(agent_start);
        sep(&mut cur)?;

        // warn-text = quoted-string
        if cur.peek() != Some(b'"') {
            return Err(cur.err(if cur.at_end() {
                HeaderValueErrorKind::Missing
            } else {
                HeaderValueErrorKind::UnexpectedChar
            }));
        }
        let open = cur.pos;
        let end = lex::quoted_string_end(value, open)
            .map_err(|at| cur.err_at(HeaderValueErrorKind::UnterminatedQuote, at))?;
        cur.pos = end;
        let text = &value[open + 1..end - 1];
        let text_span = Span::new(base + open + 1, base + end - 1);
        cur.skip_lws();
        if !cur.at_end() {
            return Err(cur.err(HeaderValueErrorKind::Trailing));
        }
        Ok(Warning {
            code,
            code_span,
            agent: agent_bytes,
            agent_span,
            port,
            text,
            text_span,
            span: Span::new(base, base + end),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PREFIX: &str = "Warning: ";

    fn parse(buf: &str) -> Result<Warning<'_>, HeaderValueError> {
        Warning::parse(&buf.as_bytes()[PREFIX.len()..], PREFIX.len())
    }

    #[test]
    fn valid_values_with_spans() {
        // (value, code, agent, port, text)
        let cases: &[(&str, u16, &str, Option<u16>, &str)] = &[
            (
                "307 isi.edu \"Session parameter 'foo' not understood\"",
                307,
                "isi.edu",
                None,
                "Session parameter 'foo' not understood",
            ),
            (
                "301 isi.edu \"Incompatible network address type 'E.164'\"",
                301,
                "isi.edu",
                None,
                "Incompatible network address type 'E.164'",
            ),
            // Real fixture value (corpus/fixtures).
            (
                "392 200.68.120.81:5060 \"Noisy feedback tells:  pid=32753 req_src_ip=80.230.219.70 \
                 req_src_port=5060 in_uri=sip:97239287044@voip.brujula.net \
                 out_uri=sip:97239287044@voip.brujula.net via_cnt==0\"",
                392,
                "200.68.120.81:5060",
                Some(5060),
                "Noisy feedback tells:  pid=32753 req_src_ip=80.230.219.70 \
                 req_src_port=5060 in_uri=sip:97239287044@voip.brujula.net \
                 out_uri=sip:97239287044@voip.brujula.net via_cnt==0",
            ),
            ("399 [2001:db8::1]:5061 \"x\"", 399, "[2001:db8::1]:5061", Some(5061), "x"),
            ("399 [::1] \"\"", 399, "[::1]", None, ""),
            ("370 gw-7 \"a \\\"q\\\" b\"", 370, "gw-7", None, "a \\\"q\\\" b"),
            ("199 pseudo~nym \"caf\u{e9}\"", 199, "pseudo~nym", None, "caf\u{e9}"),
            ("300  \r\n host\t\"folded\" ", 300, "host", None, "folded"),
            ("000 a:0 \"z\"", 0, "a:0", Some(0), "z"),
        ];
        for &(v, code, agent, port, text) in cases {
            let buf = format!("{PREFIX}{v}");
            let w = parse(&buf).unwrap_or_else(|e| panic!("{v:?}: {e}"));
            let b = buf.as_bytes();
            assert_eq!(w.code(), code, "{v}");
            assert_eq!(&b[w.code_span().range()], format!("{code:03}").as_bytes());
            assert_eq!(w.agent(), agent, "{v}");
            assert_eq!(&b[w.agent_span().range()], agent.as_bytes());
            assert_eq!(w.agent_port(), port, "{v}");
            assert_eq!(w.text(), text.as_bytes(), "{v}");
            assert_eq!(&b[w.text_span().range()], text.as_bytes());
            assert_eq!(w.span().start, PREFIX.len());
            assert_eq!(b[w.span().end - 1], b'"');
        }
    }

    #[test]
    fn exact_spans() {
        let buf = format!("{PREFIX}307 isi.edu \"x y\"");
        let w = parse(&buf).unwrap();
        assert_eq!(w.code_span(), Span::new(9, 12));
        assert_eq!(w.agent_span(), Span::new(13, 20));
        assert_eq!(w.text_span(), Span::new(22, 25));
        assert_eq!(w.span(), Span::new(9, 26));
    }

    #[test]
    fn invalid_values_are_located() {
        use HeaderValueErrorKind as K;
        // (value, kind, offset relative to the value)
        let cases: &[(&str, K, usize)] = &[
            // RFC 4475 §3.1.2.5 scalarlg: 4-digit warn-code.
            ("1812 overture \"In Progress\"", K::NumberOutOfRange, 3),
            ("", K::Empty, 0),
            ("31 host \"x\"", K::ExpectedDigits, 2),
            ("abc host \"x\"", K::ExpectedDigits, 0),
            ("3a1 host \"x\"", K::ExpectedDigits, 1),
            ("307", K::Missing, 3),
            ("307host \"x\"", K::UnexpectedChar, 3),
            ("307 ", K::Missing, 4),
            ("307 host", K::Missing, 8),
            ("307 host\"x\"", K::UnexpectedChar, 8),
            ("307 host x", K::UnexpectedChar, 9),
            ("307 host \"x", K::UnterminatedQuote, 9),
            ("307 host \"x\" y", K::Trailing, 13),
            ("307 host \"x\"\"y\"", K::Trailing, 12),
            ("307 host:99999 \"x\"", K::BadPort, 9),
            ("307 host: \"x\"", K::BadPort, 9),
            ("307 [zz] \"x\"", K::BadHost, 4),
            ("307 [::1 \"x\"", K::BadHost, 4),
            ("307 @host \"x\"", K::ExpectedToken, 4),
            ("307 \"x\"", K::ExpectedToken, 4),
        ];
        for &(v, kind, off) in cases {
            let buf = format!("{PREFIX}{v}");
            let e = parse(&buf).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, PREFIX.len() + off), "{v:?}");
        }
    }

    fn agent_strategy() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9][a-zA-Z0-9.-]{0,15}",
            "[a-zA-Z0-9!%*_+`'~-]{1,12}",
            "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
            "\\[[0-9a-f:]{2,20}\\]",
        ]
    }

    proptest! {
        #[test]
        fn render_parse_round_trip(
            code in 0u16..1000,
            agent in agent_strategy(),
            port in proptest::option::of(any::<u16>()),
            text in "([a-zA-Z0-9 ,;:=@<>/'-]|\\\\[a-z\"\\\\])*",
            ws1 in "( |\t|\r\n |  )",
            ws2 in "( |\t|\r\n\t)",
            tail in "( |\t)?",
        ) {
            let agent_full = match port {
                Some(p) => format!("{agent}:{p}"),
                None => agent,
            };
            let buf = format!("{PREFIX}{code:03}{ws1}{agent_full}{ws2}\"{text}\"{tail}");
            let w = parse(&buf).unwrap();
            let b = buf.as_bytes();
            prop_assert_eq!(w.code(), code);
            prop_assert_eq!(w.agent(), agent_full.as_str());
            prop_assert_eq!(&b[w.agent_span().range()], agent_full.as_bytes());
            prop_assert_eq!(w.agent_port(), port);
            prop_assert_eq!(w.text(), text.as_bytes());
            prop_assert_eq!(&b[w.text_span().range()], text.as_bytes());
        }

        #[test]
        fn arbitrary_bytes_never_panic(v in proptest::collection::vec(any::<u8>(), 0..64), base in 0usize..1000) {
            match Warning::parse(&v, base) {
                Ok(w) => {
                    prop_assert!(w.span().end <= base + v.len());
                    prop_assert_eq!(w.code_span().len(), 3);
                }
                Err(e) => prop_assert!(e.offset() >= base && e.offset() <= base + v.len()),
            }
        }
    }
}
