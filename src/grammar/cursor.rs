//! A read position in one header value: how the typed readers step through
//! a value with the productions of this module, keeping every offset
//! absolute.

use super::{offset, text, PResult};
use crate::error::{HeaderValueError, HeaderValueErrorKind};

/// A read position in one header value, reporting errors at absolute offsets.
///
/// `base` is the offset of `s[0]` in the message buffer, so every error and
/// span a typed parser produces points into the caller's buffer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cursor<'a> {
    pub(crate) s: &'a [u8],
    pub(crate) pos: usize,
    pub(crate) base: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(s: &'a [u8], base: usize) -> Self {
        Cursor { s, pos: 0, base }
    }

    #[inline]
    pub(crate) fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    #[inline]
    #[allow(dead_code)] // used by the typed header parsers
    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    #[inline]
    pub(crate) fn rest(&self) -> &'a [u8] {
        &self.s[self.pos.min(self.s.len())..]
    }

    /// Consumes `b` if it is next.
    #[inline]
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Skips `SWS` (LWS, folds included): what [`text::sws`] reads, by
    /// the same byte class without the production's result (every typed
    /// reader skips LWS between every part).
    #[inline]
    pub(crate) fn skip_lws(&mut self) {
        self.pos = crate::lex::skip_lws(self.s, self.pos);
    }

    /// Runs production `p` here: on success, moves past what it read and
    /// returns it.
    #[inline]
    pub(crate) fn take<O>(&mut self, p: impl Fn(&'a [u8]) -> PResult<'a, O>) -> Option<O> {
        let i = self.rest();
        let (rest, o) = p(i).ok()?;
        self.pos += offset(i, rest);
        Some(o)
    }

    /// Takes a token (possibly empty).
    #[inline]
    pub(crate) fn token(&mut self) -> &'a [u8] {
        self.take(text::token).unwrap_or_default()
    }

    /// Takes a non-empty token or fails with `ExpectedToken` here.
    #[allow(dead_code)] // used by the typed header parsers
    pub(crate) fn expect_token(&mut self) -> Result<&'a [u8], HeaderValueError> {
        let t = self.token();
        if t.is_empty() {
            Err(self.err(HeaderValueErrorKind::ExpectedToken))
        } else {
            Ok(t)
        }
    }

    /// Takes a run of digits (possibly empty).
    #[inline]
    #[allow(dead_code)] // used by the typed header parsers
    pub(crate) fn digits(&mut self) -> &'a [u8] {
        self.take(text::digits).unwrap_or_default()
    }

    /// An error of `kind` at the current position.
    #[inline]
    pub(crate) fn err(&self, kind: HeaderValueErrorKind) -> HeaderValueError {
        HeaderValueError::new(kind, self.base + self.pos.min(self.s.len()))
    }

    /// An error of `kind` at relative offset `at`.
    #[inline]
    pub(crate) fn err_at(&self, kind: HeaderValueErrorKind, at: usize) -> HeaderValueError {
        HeaderValueError::new(kind, self.base + at)
    }

    /// Absolute span of `start..self.pos`.
    #[inline]
    pub(crate) fn span_from(&self, start: usize) -> crate::Span {
        crate::Span::new(self.base + start, self.base + self.pos)
    }
}
