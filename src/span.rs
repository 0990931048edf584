//! Byte ranges into the buffer a message was parsed from.

use core::ops::Range;

/// A half-open byte range `start..end` into the buffer given to the parser.
/// Any transport and role.
///
/// Every span the crate hands out indexes the *caller's* buffer (the slice
/// passed to [`parse_response`](crate::parse_response), or the `Bytes` of an
/// [`OwnedResponse`](crate::OwnedResponse)), so `&buf[span.range()]` gives the
/// bytes it names without any search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (callers keep `start <= end`).
    #[inline]
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// An empty span at `at`.
    #[inline]
    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }

    /// Number of bytes covered.
    #[inline]
    pub const fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The span as a `Range`, for slicing.
    #[inline]
    pub const fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// The bytes of `buf` this span names, or `None` when it is out of bounds.
    #[inline]
    pub fn slice<'b>(&self, buf: &'b [u8]) -> Option<&'b [u8]> {
        buf.get(self.start..self.end)
    }

    /// This span moved `by` bytes to the right.
    #[inline]
    pub const fn shift(&self, by: usize) -> Self {
        Span {
            start: self.start + by,
            end: self.end + by,
        }
    }

    /// The span of `part`, which must be a sub-slice of `whole`, as an offset
    /// into `whole` plus `base`. Computed from pointers, never by searching.
    #[inline]
    pub fn of(whole: &[u8], part: &[u8], base: usize) -> Self {
        let start = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
        debug_assert!(start + part.len() <= whole.len());
        Span::new(base + start, base + start + part.len())
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

impl core::fmt::Display for Span {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}
