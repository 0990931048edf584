//! Small scanners shared by several typed headers (crate-internal).
//!
//! They would belong in `lex` if they were not specific to header values;
//! each exists once here so that the headers using the same grammar piece
//! also give the same errors at the same offsets.

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::grammar::{Defect, Defects, Part};
use crate::header::param::{scan_params, scan_params_lax, LaxParams, Param, Params};
use crate::header::typed::LaxReading;
use crate::lex;
use crate::Span;

/// Takes a non-empty `token` at the cursor with its absolute span; no token
/// is `ExpectedToken` at the cursor ([`Cursor::expect_token`]).
pub(crate) fn spanned_token<'a>(
    cur: &mut Cursor<'a>,
) -> Result<(&'a [u8], Span), HeaderValueError> {
    let start = cur.pos;
    let t = cur.expect_token()?;
    Ok((t, cur.span_from(start)))
}

/// Bytes a scanner already checked to be ASCII (tokens, schemes, hosts) as
/// `&str`. The grammar makes them ASCII, so the empty fallback is never
/// taken; it exists so that no accessor can panic.
pub(crate) fn ascii(t: &[u8]) -> &str {
    core::str::from_utf8(t).unwrap_or("")
}

/// A `port` (RFC 3261 §25.1 `1*DIGIT`, and a port number is 16 bits,
/// RFC 3261 §19.1.1, RFC 3581 §3): `None` when the bytes are empty, hold a
/// non-digit or exceed 65535. The callers report `BadPort` at their start
/// (URI and Via hostports, Via `rport`, the Warning agent).
pub(crate) fn port(digits: &[u8]) -> Option<u16> {
    lex::parse_u64(digits).and_then(|p| u16::try_from(p).ok())
}

/// Where a parameter's value is judged: its first byte, or the end of its
/// name when it has none (`;q`). Every "bad parameter value" error of the
/// typed headers points here, so `q=2` and a bare `q` are located the same
/// way in every header.
pub(crate) fn param_value_at(p: &Param<'_>) -> usize {
    p.value_span().map_or(p.name_span().end, |s| s.start)
}

/// `BadParam` at [`param_value_at`].
pub(crate) fn bad_param(p: &Param<'_>) -> HeaderValueError {
    HeaderValueError::new(HeaderValueErrorKind::BadParam, param_value_at(p))
}

/// A parameter's value with its absolute span; a parameter without one
/// (`;ttl`) is `BadParam` at the end of its name.
pub(crate) fn required_value<'a>(p: &Param<'a>) -> Result<(&'a [u8], Span), HeaderValueError> {
    match (p.value(), p.value_span()) {
        (Some(v), Some(span)) => Ok((v, span)),
        _ => Err(bad_param(p)),
    }
}

/// A parameter value that must be `1*DIGIT` and whose number must pass
/// `fit`: Contact `expires` (RFC 3261 §20.10), Via `ttl` (§25.1) and Reason
/// `cause` (RFC 3326 §2). No value is `BadParam` ([`required_value`]); a
/// non-digit is `ExpectedDigits` at that byte (an empty value, which the
/// parameter scanner never yields, at its start); digits that overflow 64
/// bits or fail `fit` are `NumberOutOfRange` at the value's first byte.
pub(crate) fn digit_param<T>(
    p: &Param<'_>,
    fit: impl FnOnce(u64) -> Option<T>,
) -> Result<(T, Span), HeaderValueError> {
    let (v, span) = required_value(p)?;
    let bad = v.iter().position(|&b| !lex::is_digit(b));
    if let Some(i) = bad.or(v.is_empty().then_some(0)) {
        return Err(HeaderValueError::new(
            HeaderValueErrorKind::ExpectedDigits,
            span.start + i,
        ));
    }
    match lex::parse_u64(v).and_then(fit) {
        Some(n) => Ok((n, span)),
        None => Err(HeaderValueError::new(
            HeaderValueErrorKind::NumberOutOfRange,
            span.start,
        )),
    }
}

/// A whole value of the form `token *(SEMI generic-param)`.
pub(crate) struct TokenParams<'a> {
    /// The leading token.
    pub(crate) token: &'a [u8],
    /// Absolute span of the token.
    pub(crate) token_span: Span,
    /// The parameters after it.
    pub(crate) params: Params<'a>,
    /// From the token through the last parameter (trailing LWS excluded).
    pub(crate) span: Span,
}

/// Parses a whole value that is `token *(SEMI generic-param)`: a Reason
/// `reason-value` (RFC 3326 §2) and a Security-Server `sec-mechanism`
/// (RFC 3329 §2.2) have this grammar before their own parameter checks.
/// The value arrives trimmed ([`TypedHeader::parse`]), so it must begin
/// with the token: an empty value is `Empty` at `base`, a non-token first
/// byte `ExpectedToken`; anything but LWS after the parameters is
/// `Trailing` at its first byte.
///
/// [`TypedHeader::parse`]: crate::header::typed::TypedHeader::parse
pub(crate) fn parse_token_params(
    value: &[u8],
    base: usize,
) -> Result<TokenParams<'_>, HeaderValueError> {
    let mut cur = Cursor::new(value, base);
    if value.is_empty() {
        return Err(cur.err(HeaderValueErrorKind::Empty));
    }
    let (token, token_span) = spanned_token(&mut cur)?;
    let params = scan_params(&mut cur)?;
    let end = cur.pos;
    cur.skip_lws();
    if !cur.at_end() {
        return Err(cur.err(HeaderValueErrorKind::Trailing));
    }
    Ok(TokenParams {
        token,
        token_span,
        params,
        span: Span::new(base, base + end),
    })
}

/// Parses a `qvalue` into thousandths (RFC 3261 §25.1); `at` is the
/// absolute offset of `v[0]`.
pub(crate) fn parse_qvalue(v: &[u8], at: usize) -> Result<u16, HeaderValueError> {
    use HeaderValueErrorKind as K;
    let err = |k, i: usize| HeaderValueError::new(k, at + i);
    let int = match v.first() {
        Some(b'0') => 0u16,
        Some(b'1') => 1,
        Some(b) if lex::is_digit(*b) => return Err(err(K::NumberOutOfRange, 0)),
        _ => return Err(err(K::ExpectedDigits, 0)),
    };
    let mut thousandths = int * 1000;
    match v.get(1) {
        None => return Ok(thousandths),
        Some(b'.') => {}
        Some(b) if lex::is_digit(*b) => return Err(err(K::NumberOutOfRange, 0)),
        Some(_) => return Err(err(K::UnexpectedChar, 1)),
    }
    let frac = v.get(2..).unwrap_or_default();
    let mut scale = 100u16;
    for (i, &b) in frac.iter().enumerate() {
        if !lex::is_digit(b) {
            return Err(err(K::UnexpectedChar, 2 + i));
        }
        if i >= 3 {
            return Err(err(K::NumberOutOfRange, 2 + i));
        }
        let d = u16::from(b - b'0');
        if int == 1 && d != 0 {
            return Err(err(K::NumberOutOfRange, 2 + i));
        }
        thousandths += d * scale;
        scale /= 10;
    }
    Ok(thousandths)
}

/// A whole `qvalue` by the grammar's production, without the error:
/// `Some(thousandths)` for a valid `qvalue`, for the callers (Accept's
/// `accept-param`, RFC 3261 §20.1; Security-Server's `preference`,
/// RFC 3329 §2.2) that report any bad `q` as one `BadParam` at the value.
/// Agrees with [`parse_qvalue`] (unit test).
pub(crate) fn qvalue(v: &[u8]) -> Option<u16> {
    match crate::grammar::number::qvalue(v) {
        Ok((&[], q)) => Some(q),
        _ => None,
    }
}

/// A lax reading of a value that is one part only (Expires, Date, ...):
/// the value when it reads, otherwise one located defect of that part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueLax<T> {
    value: Option<T>,
    defects: Defects,
}

impl<T> ValueLax<T> {
    /// The value, when it matches its grammar.
    pub fn value(&self) -> Option<&T> {
        self.value.as_ref()
    }

    /// The defects found (at most one; empty: the value is valid).
    pub fn defects(&self) -> &Defects {
        &self.defects
    }

    /// The strict result seen as a lax reading: an error is a defect of
    /// `part` spanning the value (LWS trimmed), at the error's offset.
    pub(crate) fn from_result(
        r: Result<T, HeaderValueError>,
        part: Part,
        value: &[u8],
        base: usize,
    ) -> Self {
        let mut defects = Defects::new();
        let value = match r {
            Ok(v) => Some(v),
            Err(e) => {
                let start = lex::skip_lws(value, 0);
                let end = start + lex::trim_lws(value).len();
                defects.push(
                    Defect::new(part, Span::new(base + start, base + end), e.kind()).at(e.offset()),
                );
                None
            }
        };
        ValueLax { value, defects }
    }
}

impl<T> LaxReading for ValueLax<T> {
    fn defects(&self) -> &Defects {
        &self.defects
    }
}

/// What [`read_head_params_lax`] read: the leading part, the well-formed
/// parameters and the defects.
pub(crate) struct HeadParamsLax<'a, H> {
    pub(crate) head: Option<H>,
    pub(crate) params: LaxParams<'a>,
    pub(crate) defects: Defects,
}

/// Reads `head *(SEMI generic-param)` laxly: `head` reads the leading
/// part (a failure is one defect of `head_part`, and reading resumes at the
/// next `;`), the parameters are read by
/// [`scan_params_lax`](crate::header::param::scan_params_lax) with `known`,
/// and bytes after them are a [`Part::Value`] `Trailing` defect.
pub(crate) fn read_head_params_lax<'a, H>(
    value: &'a [u8],
    base: usize,
    head_part: Part,
    known: &[(&str, Part)],
    head: impl FnOnce(&mut Cursor<'a>) -> Result<H, HeaderValueError>,
) -> HeadParamsLax<'a, H> {
    let mut defects = Defects::new();
    let mut cur = Cursor::new(value, base);
    cur.skip_lws();
    if cur.at_end() {
        defects.push(Defect::new(
            Part::Value,
            cur.span_from(cur.pos),
            HeaderValueErrorKind::Empty,
        ));
        return HeadParamsLax {
            head: None,
            params: LaxParams::default(),
            defects,
        };
    }
    let start = cur.pos;
    let mut probe = cur;
    let head = match head(&mut probe) {
        Ok(h) => {
            cur = probe;
            Some(h)
        }
        Err(e) => {
            while cur.peek().is_some_and(|b| b != b';') {
                cur.pos += 1;
            }
            let end = start + lex::trim_lws(&value[start..cur.pos]).len();
            defects.push(
                Defect::new(head_part, Span::new(base + start, base + end), e.kind())
                    .at(e.offset()),
            );
            None
        }
    };
    let params = scan_params_lax(&mut cur, known, &mut defects);
    cur.skip_lws();
    if !cur.at_end() {
        defects.push(Defect::new(
            Part::Value,
            Span::new(base + cur.pos, base + value.len()),
            HeaderValueErrorKind::Trailing,
        ));
    }
    HeadParamsLax {
        head,
        params,
        defects,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn grammar_qvalue_agrees_with_the_located_reader(v in "[0-9.]{0,7}") {
            prop_assert_eq!(qvalue(v.as_bytes()), parse_qvalue(v.as_bytes(), 0).ok());
        }
    }
}
