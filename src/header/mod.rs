//! Header fields: names, rows, values, list splitting and typed access
//! (RFC 3261 §7.3).
//!
//! The parser does not store rows. It records where each row starts and
//! which known header it is (`HeaderIndex`, fixed arrays: no allocation),
//! and reads a row's extent from the bytes when it is asked for: up to the
//! next row's start, so a lookup searches for no line ending. Heads beyond
//! what the index holds (more rows, or rows past 64 KiB) are walked from
//! the rows' bytes instead, one `memchr` per line.

pub mod name;
pub mod param;
pub mod typed;

use std::borrow::Cow;

pub use name::{HeaderName, KnownHeader, ListKind};
pub use param::{LaxParamIter, LaxParams, Param, ParamIter, Params};
pub use typed::TypedHeader;

use crate::error::HeaderValueError;
use crate::lex::{self, is_ws, ListSplit};
use crate::Span;

/// Rows whose start the index keeps: a response through a few proxies
/// has a dozen or two.
const ROWS: usize = 48;

/// Row starts are `u16` offsets from the message start: a row this far or
/// farther sends lookups to the walk.
const FAR: usize = u16::MAX as usize;

/// In [`HeaderIndex::count`]: this many rows or more; counted by walking.
const MANY: u8 = u8::MAX;

/// In [`HeaderIndex::kind`]: a well-formed row of a header not known.
const OTHER: u8 = 0xFE;

/// In [`HeaderIndex::kind`]: a row that is not `header-name HCOLON value`.
const MALFORMED: u8 = 0xFF;

/// Where each row starts, which known header it is, and how many rows each
/// known header has.
///
/// Kept small on purpose: the index is most of a [`Response`](crate::Response)
/// view, and every move of a view (out of the parser, through a `Result`,
/// into a caller's `?`) copies it. Offsets are `u16` from the message
/// start, kinds and counts a byte (counts stop at 255): 3 bytes a row and
/// one a known header. The common head of a few hundred bytes and a few
/// dozen rows is answered from the index; only heads beyond the default
/// limit, or of more than [`ROWS`] rows, walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HeaderIndex {
    /// Where the message starts: offsets in `start` are relative to it.
    base: usize,
    /// Rows recorded in `start` and `kind`.
    len: u8,
    /// Some row did not fit (more than [`ROWS`], or one [`FAR`] away):
    /// lookups walk the rows.
    walk: bool,
    /// Offset of each row's first byte from `base`.
    start: [u16; ROWS],
    /// Each row's known header index, [`OTHER`] or [`MALFORMED`].
    kind: [u8; ROWS],
    /// Number of rows of each known header, up to [`MANY`].
    count: [u8; KnownHeader::COUNT],
}

impl HeaderIndex {
    /// True when there are at least two rows of `k`.
    #[inline]
    pub(crate) fn repeated(&self, k: KnownHeader) -> bool {
        self.count[k.index()] > 1
    }

    /// True when there is a row of `k`.
    #[inline]
    pub(crate) fn has(&self, k: KnownHeader) -> bool {
        self.count[k.index()] != 0
    }

    /// An empty index for a message starting at `base`.
    pub(crate) const fn new(base: usize) -> Self {
        HeaderIndex {
            base,
            len: 0,
            walk: false,
            start: [0; ROWS],
            kind: [0; ROWS],
            count: [0; KnownHeader::COUNT],
        }
    }

    /// Row `row` (counting from 0) starts at `row_start` and is of the
    /// known header `k`.
    #[inline]
    pub(crate) fn record(&mut self, row: usize, k: KnownHeader, row_start: usize) {
        let i = k.index();
        // Stops at `MANY`.
        self.count[i] = self.count[i].saturating_add(1);
        // `KnownHeader::COUNT` is below `OTHER`.
        self.put(row, i as u8, row_start);
    }

    /// Row `row` starts at `row_start` and is of a header not known
    /// (`malformed`: not even `header-name HCOLON`).
    #[inline]
    pub(crate) fn record_other(&mut self, row: usize, row_start: usize, malformed: bool) {
        self.put(row, if malformed { MALFORMED } else { OTHER }, row_start);
    }

    /// Notes row `row`, if the index has room for it. The row count and
    /// whether every row is within reach are settled once, by
    /// [`HeaderIndex::finish`], not row by row (measured: a count kept
    /// here cost the one-pass reader some 5 instructions a row).
    #[inline(always)]
    fn put(&mut self, row: usize, kind: u8, row_start: usize) {
        if let (Some(s), Some(k)) = (self.start.get_mut(row), self.kind.get_mut(row)) {
            // Truncated when the row is `FAR` away: `finish` then sends
            // lookups to the walk.
            *s = row_start.wrapping_sub(self.base) as u16;
            *k = kind;
        }
    }

    /// The head had `rows` rows and ends at `end`: rows beyond the index,
    /// or a head reaching `FAR` from the message start, are walked.
    #[inline]
    pub(crate) fn finish(&mut self, rows: usize, end: usize) {
        self.len = rows.min(ROWS) as u8;
        self.walk = rows > ROWS || end.saturating_sub(self.base) >= FAR;
    }

    /// The first indexed row of kind `k` at or after row `from`.
    #[inline]
    fn find(&self, k: u8, from: usize) -> Option<usize> {
        let len = usize::from(self.len);
        self.kind
            .get(from..len)?
            .iter()
            .position(|&x| x == k)
            .map(|i| from + i)
    }
}

/// One physical header row as found in the header section.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RawRow {
    /// First byte of the row (the name).
    pub(crate) start: usize,
    /// End of the row's content (before its final line ending).
    pub(crate) end: usize,
    /// End of the name token.
    pub(crate) name_end: usize,
    /// Position of the colon, if the row is well formed.
    pub(crate) colon: Option<usize>,
    /// Start of the next row.
    pub(crate) next: usize,
}

/// Finds the row starting at `start` within `src[..limit]` (the header
/// section): its lines up to the next line that does not start with SP/HTAB.
pub(crate) fn raw_row(src: &[u8], start: usize, limit: usize) -> RawRow {
    let mut line_start = start;
    let (end, next) = loop {
        let (content_end, next) = match lex::find_byte(b'\n', &src[line_start..limit]) {
            Some(i) => {
                let nl = line_start + i;
                let ce = if nl > line_start && src[nl - 1] == b'\r' {
                    nl - 1
                } else {
                    nl
                };
                (ce, nl + 1)
            }
            None => (limit, limit),
        };
        if next < limit && is_ws(src[next]) {
            line_start = next;
            continue;
        }
        break (content_end, next);
    };
    RawRow::with_extent(src, start, end, next)
}

/// Where the content of the row from `start` ends when the next row
/// starts at `next`: before the line ending of its last line, since the
/// byte before the next row is that line's LF (a head cut short ends
/// without one). `None` when `next` lies past `src`.
#[inline(always)]
fn row_end(src: &[u8], start: usize, next: usize) -> Option<usize> {
    Some(match src.get(..next)? {
        [.., b'\r', b'\n'] if next - 2 >= start => next - 2,
        [.., b'\n'] => next - 1,
        _ => next,
    })
}

impl RawRow {
    /// The row from `start` whose content ends at `end` (before its line
    /// ending) and after which the next row starts at `next`: its name
    /// (`token`) and the colon after it (`*(SP / HTAB) ":"`), if any.
    /// Names are mostly letters and `-`: the SIMD letter scan takes those,
    /// the token scan the rest.
    #[inline(always)]
    fn with_extent(src: &[u8], start: usize, end: usize, next: usize) -> RawRow {
        let letters = lex::letters_end(src, start).min(end);
        let name_end = lex::token_end(&src[..end], letters);
        Self::with_name_end(src, start, end, name_end, next)
    }

    /// [`RawRow::with_extent`] for a row whose name is known to end at
    /// `name_end` (cut to `end`): the colon after it, if any.
    #[inline(always)]
    fn with_name_end(src: &[u8], start: usize, end: usize, name_end: usize, next: usize) -> RawRow {
        let name_end = name_end.min(end);
        let mut c = name_end;
        while c < end && is_ws(src[c]) {
            c += 1;
        }
        let colon = (name_end > start && c < end && src[c] == b':').then_some(c);
        RawRow {
            start,
            end,
            name_end,
            colon,
            next,
        }
    }
}

/// One header row: its name as sent and its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header<'a> {
    src: &'a [u8],
    name: HeaderName<'a>,
    name_span: Span,
    value_span: Span,
    row: Span,
}

impl<'a> Header<'a> {
    fn from_raw(src: &'a [u8], r: &RawRow) -> Option<Header<'a>> {
        // `raw_row` ends the name where its token bytes end.
        let name = HeaderName::from_token(&src[r.start..r.name_end])?;
        Self::with_name(src, r, name)
    }

    /// The row of the known header `k` that starts at `row.0`, the next
    /// row (or the header section's end) at `row.1`: what
    /// [`Header::with_known`] makes of [`raw_row`]'s reading, without its
    /// search for the line ending. The scanner indexed the row as `k`, so
    /// it has a name and a colon.
    ///
    /// The scanner classified the row by its whole name token, so the name
    /// is `k`'s long form (in some case) or its compact letter: its length
    /// is known, and the byte after the first tells which (a token byte
    /// only in the long form). No name scan then.
    #[inline]
    fn indexed(src: &'a [u8], row: (usize, usize), k: KnownHeader) -> Option<Header<'a>> {
        let (start, next) = row;
        let end = row_end(src, start, next)?;
        let (long, compact) = k.name_shape();
        let name_end = if compact && !src.get(start + 1).is_some_and(|&b| lex::is_token(b)) {
            start + 1
        } else {
            start + long
        };
        Self::with_known(
            src,
            &RawRow::with_name_end(src, start, end, name_end, next),
            k,
        )
    }

    /// [`Header::from_raw`] for a row whose name is already known to be
    /// `k` (the scanner's header index says so).
    fn with_known(src: &'a [u8], r: &RawRow, k: KnownHeader) -> Option<Header<'a>> {
        Self::with_name(src, r, HeaderName::Known(k))
    }

    fn with_name(src: &'a [u8], r: &RawRow, name: HeaderName<'a>) -> Option<Header<'a>> {
        let colon = r.colon?;
        // HCOLON = *( SP / HTAB ) ":" SWS; the value is trimmed of LWS (folds included).
        let vstart = lex::skip_lws(&src[..r.end], colon + 1);
        let mut vend = r.end;
        while vend > vstart && lex::is_lws(src[vend - 1]) {
            vend -= 1;
        }
        Some(Header {
            src,
            name,
            name_span: Span::new(r.start, r.name_end),
            value_span: Span::new(vstart, vend),
            row: Span::new(r.start, r.end),
        })
    }

    /// The name, known (long or compact form) or not.
    pub fn name(&self) -> HeaderName<'a> {
        self.name
    }

    /// The known header, if this row is one.
    pub fn known(&self) -> Option<KnownHeader> {
        self.name.known()
    }

    /// The name exactly as sent.
    pub fn name_bytes(&self) -> &'a [u8] {
        &self.src[self.name_span.range()]
    }

    /// True when the name was sent in its one-letter compact form.
    pub fn is_compact(&self) -> bool {
        self.name_span.len() == 1 && self.known().is_some()
    }

    /// Span of the name.
    pub fn name_span(&self) -> Span {
        self.name_span
    }

    /// The value as sent, trimmed of surrounding white space. Folds inside it
    /// (CRLF followed by SP/HTAB) are kept; see [`Header::unfolded`].
    pub fn value(&self) -> &'a [u8] {
        &self.src[self.value_span.range()]
    }

    /// The value as UTF-8 text, if it is.
    pub fn value_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.value()).ok()
    }

    /// Span of the value.
    pub fn value_span(&self) -> Span {
        self.value_span
    }

    /// Span of the whole row, name through value, without its line ending.
    pub fn span(&self) -> Span {
        self.row
    }

    /// True when the value spans several lines.
    pub fn is_folded(&self) -> bool {
        lex::find_byte(b'\n', self.value()).is_some()
    }

    /// The value with each fold (line break plus the white space around it)
    /// replaced by one SP (RFC 3261 §7.3.1). Borrowed, without allocating,
    /// unless the value really is folded.
    pub fn unfolded(&self) -> Cow<'a, [u8]> {
        let v = self.value();
        if !self.is_folded() {
            return Cow::Borrowed(v);
        }
        let mut out = Vec::with_capacity(v.len());
        let mut i = 0;
        while i < v.len() {
            let b = v[i];
            if b == b'\r' || b == b'\n' {
                while out.last().is_some_and(|&c| is_ws(c)) {
                    out.pop();
                }
                while i < v.len() && lex::is_lws(v[i]) {
                    i += 1;
                }
                out.push(b' ');
                continue;
            }
            out.push(b);
            i += 1;
        }
        Cow::Owned(out)
    }

    /// The values of this row: for list headers each comma-separated element
    /// (never split inside quotes, `<...>` or comments; an empty row yields
    /// none), for every other header the whole value as one element.
    pub fn elements(&self) -> Elements<'a> {
        let list = matches!(
            self.known().map(KnownHeader::list_kind),
            Some(ListKind::List)
        );
        let v = self.value();
        // A list value without a comma is one element, the value itself
        // (already trimmed of LWS, as the split would trim it): most rows
        // are, and a memchr is cheaper than the split's scan. An empty
        // list value has no element.
        let split = list && memchr::memchr(b',', v).is_some();
        Elements {
            src: v,
            base: self.value_span.start,
            split: split.then(|| ListSplit::new(v)),
            single_done: list && v.is_empty(),
        }
    }
}

/// One element of a header value: its bytes and absolute span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Element<'a> {
    /// The element's bytes, trimmed of LWS.
    pub bytes: &'a [u8],
    /// Absolute span of the element.
    pub span: Span,
}

impl<'a> Element<'a> {
    /// Parses the element as typed header value `H`.
    pub fn parse<H: TypedHeader<'a>>(&self) -> Result<H, HeaderValueError> {
        H::parse(self.bytes, self.span.start)
    }

    /// Reads the element laxly as `H` (every readable part plus located
    /// defects, see [`typed::LaxHeader`]).
    pub fn parse_lax<H: typed::LaxHeader<'a>>(&self) -> H::Lax {
        H::parse_lax(self.bytes, self.span.start)
    }
}

/// Iterator over the elements of one row (see [`Header::elements`]).
#[derive(Clone, Debug)]
pub struct Elements<'a> {
    src: &'a [u8],
    base: usize,
    split: Option<ListSplit<'a>>,
    single_done: bool,
}

impl<'a> Iterator for Elements<'a> {
    type Item = Element<'a>;
    fn next(&mut self) -> Option<Element<'a>> {
        match &mut self.split {
            Some(split) => split.next().map(|(a, b)| Element {
                bytes: &self.src[a..b],
                span: Span::new(self.base + a, self.base + b),
            }),
            None => {
                if self.single_done {
                    return None;
                }
                self.single_done = true;
                Some(Element {
                    bytes: self.src,
                    span: Span::new(self.base, self.base + self.src.len()),
                })
            }
        }
    }
}

/// Where the header section is and what it holds (spans only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HeadLayout {
    /// Start of the first row.
    pub(crate) start: usize,
    /// End of the header section (start of the empty line, or end of input).
    pub(crate) end: usize,
    pub(crate) rows: u16,
    pub(crate) index: HeaderIndex,
}

/// The header section of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Headers<'a> {
    src: &'a [u8],
    start: usize,
    end: usize,
    rows: u16,
    index: HeaderIndex,
}

impl<'a> Headers<'a> {
    pub(crate) fn new(src: &'a [u8], head: HeadLayout) -> Self {
        Headers {
            src,
            start: head.start,
            end: head.end,
            rows: head.rows,
            index: head.index,
        }
    }

    pub(crate) fn layout(&self) -> HeadLayout {
        HeadLayout {
            start: self.start,
            end: self.end,
            rows: self.rows,
            index: self.index,
        }
    }

    pub(crate) fn src(&self) -> &'a [u8] {
        self.src
    }

    /// Every well-formed row, in order.
    pub fn iter(&self) -> HeaderIter<'a> {
        HeaderIter {
            src: self.src,
            pos: self.start,
            end: self.end,
            want: None,
            left: usize::MAX,
            rows: [(0, 0); ITER_ROWS],
            next_row: 0,
            row_count: 0,
        }
    }

    /// Number of physical header rows, malformed ones included.
    pub fn len(&self) -> usize {
        usize::from(self.rows)
    }

    /// True when there is no header row.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Span of the header section (first row through the last row's line ending).
    pub fn span(&self) -> Span {
        Span::new(self.start, self.end)
    }

    /// Number of rows of a known header (long and compact forms together).
    pub fn count(&self, k: KnownHeader) -> usize {
        match self.index.count[k.index()] {
            MANY => self.get_all(k).count(),
            n => usize::from(n),
        }
    }

    /// True when at least one row of `k` is present.
    pub fn contains(&self, k: KnownHeader) -> bool {
        self.index.has(k)
    }

    /// The first row of a known header.
    pub fn get(&self, k: KnownHeader) -> Option<Header<'a>> {
        if !self.index.has(k) {
            return None;
        }
        if self.index.walk {
            return self.get_all(k).next();
        }
        // The scanner recorded this row as `k`: read its extent, not its
        // name again.
        let i = self.index.find(k.index() as u8, 0)?;
        Header::indexed(self.src, self.row_extent(i), k)
    }

    /// Every row of a known header, in order.
    pub fn get_all(&self, k: KnownHeader) -> HeaderIter<'a> {
        let i = k.index();
        let left = match self.index.count[i] {
            MANY => usize::MAX,
            n => usize::from(n),
        };
        let mut it = HeaderIter {
            src: self.src,
            pos: self.end,
            end: self.end,
            want: Some(k),
            left,
            rows: [(0, 0); ITER_ROWS],
            next_row: 0,
            row_count: 0,
        };
        if left == 0 {
            return it;
        }
        if self.index.walk {
            // Some row is not indexed: every row is looked at.
            it.pos = self.start;
            return it;
        }
        // The first rows from the index; the walk goes on from the next
        // one after them, if there are more.
        let mut from = 0;
        while let Some(r) = self.index.find(i as u8, from) {
            if usize::from(it.row_count) == ITER_ROWS {
                it.pos = self.index.base + usize::from(self.index.start[r]);
                return it;
            }
            let (start, next) = self.row_extent(r);
            it.rows[usize::from(it.row_count)] = (start, next);
            it.row_count += 1;
            from = r + 1;
        }
        it
    }

    /// Every row, as [`Headers::iter`] yields them, read from the index
    /// when it holds every row: each row's extent is "up to the next row's
    /// start" and a known header's name is not classified again, so no
    /// line ending is searched for. For the crate's walks over a whole
    /// head (the transaction tracker hashes every row of every response);
    /// a [`HeaderIter`] cannot borrow the index, which `&self` owns.
    pub(crate) fn rows(&self) -> impl Iterator<Item = Header<'a>> + '_ {
        let indexed = if self.index.walk {
            0
        } else {
            usize::from(self.index.len)
        };
        let walk = self.index.walk.then(|| self.iter());
        (0..indexed)
            .filter_map(move |i| self.indexed_row(i))
            .chain(walk.into_iter().flatten())
    }

    /// Row `i` of the index, as [`Headers::iter`] reads it.
    fn indexed_row(&self, i: usize) -> Option<Header<'a>> {
        let (start, next) = self.row_extent(i);
        match KnownHeader::ALL.get(usize::from(self.index.kind[i])) {
            Some(&k) => Header::indexed(self.src, (start, next), k),
            // Not known, or not even `header-name HCOLON`: read as the walk
            // reads it, from the same extent.
            None => {
                let end = row_end(self.src, start, next)?;
                Header::from_raw(self.src, &RawRow::with_extent(self.src, start, end, next))
            }
        }
    }

    /// Where indexed row `i` starts and where the row after it starts (the
    /// header section's end for the last row).
    #[inline]
    fn row_extent(&self, i: usize) -> (usize, usize) {
        let at = |j: usize| self.index.base + usize::from(self.index.start[j]);
        let next = if i + 1 < usize::from(self.index.len) {
            at(i + 1)
        } else {
            self.end
        };
        (at(i), next)
    }

    /// Every row whose name matches `name` (case-insensitive; long or compact
    /// form for known headers).
    pub fn get_named<'n>(&self, name: &'n str) -> impl Iterator<Item = Header<'a>> + 'n
    where
        'a: 'n,
    {
        self.iter().filter(move |h| h.name().matches(name))
    }

    /// Every element of every row of `k` (see [`Header::elements`]).
    pub fn elements(&self, k: KnownHeader) -> impl Iterator<Item = Element<'a>> + 'a {
        self.get_all(k).flat_map(|h| h.elements())
    }

    /// The first value of header `H`, parsed. `None` when the header is absent
    /// (or a list header has only empty rows).
    pub fn typed<H: TypedHeader<'a>>(&self) -> Option<Result<H, HeaderValueError>> {
        self.elements(H::NAME).next().map(|e| e.parse::<H>())
    }

    /// Every value of header `H` across all its rows, each parsed on its own.
    pub fn typed_all<H: TypedHeader<'a>>(
        &self,
    ) -> impl Iterator<Item = Result<H, HeaderValueError>> + 'a {
        self.elements(H::NAME).map(|e| e.parse::<H>())
    }

    /// Every value of header `H` across all its rows, each read laxly (every
    /// readable part plus located defects, see [`typed::LaxHeader`]).
    pub fn typed_lax_all<H: typed::LaxHeader<'a>>(&self) -> impl Iterator<Item = H::Lax> + 'a {
        self.elements(H::NAME).map(|e| e.parse_lax::<H>())
    }

    /// Rows that are not `header-name HCOLON value` (no colon, a non-token
    /// name, or a continuation line with no header before it), as spans.
    pub fn malformed(&self) -> impl Iterator<Item = Span> + 'a {
        let src = self.src;
        let end = self.end;
        RawRows {
            src,
            pos: self.start,
            end,
        }
        .filter(move |r| Header::from_raw(src, r).is_none())
        .map(|r| Span::new(r.start, r.end))
    }
}

impl<'a> IntoIterator for &Headers<'a> {
    type Item = Header<'a>;
    type IntoIter = HeaderIter<'a>;
    fn into_iter(self) -> HeaderIter<'a> {
        self.iter()
    }
}

/// Walks raw rows of a header section.
struct RawRows<'a> {
    src: &'a [u8],
    pos: usize,
    end: usize,
}

impl Iterator for RawRows<'_> {
    type Item = RawRow;
    fn next(&mut self) -> Option<RawRow> {
        if self.pos >= self.end {
            return None;
        }
        let r = raw_row(self.src, self.pos, self.end);
        self.pos = r.next.max(self.pos + 1);
        Some(r)
    }
}

/// Rows of one known header a [`HeaderIter`] takes from the index; a
/// header with more rows is walked on from the next one.
const ITER_ROWS: usize = 4;

/// Iterator over header rows (all of them, or those of one known header).
#[derive(Clone, Debug)]
pub struct HeaderIter<'a> {
    src: &'a [u8],
    pos: usize,
    end: usize,
    want: Option<KnownHeader>,
    left: usize,
    /// The first rows of `want`, from the index: each row's start and the
    /// start of the row after it.
    rows: [(usize, usize); ITER_ROWS],
    /// The next of `rows` to hand out.
    next_row: u8,
    /// How many of `rows` are filled; after them the walk from `pos`.
    row_count: u8,
}

impl<'a> Iterator for HeaderIter<'a> {
    type Item = Header<'a>;
    fn next(&mut self) -> Option<Header<'a>> {
        if self.next_row < self.row_count {
            let row = self.rows[usize::from(self.next_row)];
            self.next_row += 1;
            self.left -= 1;
            // `row_count` is non-zero only when `want` is set.
            return Header::indexed(self.src, row, self.want?);
        }
        while self.left > 0 && self.pos < self.end {
            let r = raw_row(self.src, self.pos, self.end);
            self.pos = r.next.max(self.pos + 1);
            let h = match self.want {
                // One known header: compare the name with it, not classify.
                Some(k) => {
                    let name = &self.src[r.start..r.name_end];
                    if name.is_empty() || KnownHeader::from_token(name) != Some(k) {
                        continue;
                    }
                    let Some(h) = Header::with_known(self.src, &r, k) else {
                        continue;
                    };
                    self.left -= 1;
                    h
                }
                None => match Header::from_raw(self.src, &r) {
                    Some(h) => h,
                    None => continue,
                },
            };
            return Some(h);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::{HeaderIter, Headers, ITER_ROWS, ROWS};
    use crate::{KnownHeader, Limits, ParseOptions};
    use proptest::prelude::*;

    /// Every row of `k` by walking the rows' bytes from the head's start,
    /// as lookups did before the index kept row starts.
    fn walked<'a>(h: &Headers<'a>, k: KnownHeader) -> HeaderIter<'a> {
        HeaderIter {
            src: h.src,
            pos: h.start,
            end: h.end,
            want: Some(k),
            left: usize::MAX,
            rows: [(0, 0); ITER_ROWS],
            next_row: 0,
            row_count: 0,
        }
    }

    /// The index's answers for every known header against the walk, and
    /// each row's elements against a split of every list value.
    fn same_as_walk(h: &Headers<'_>) {
        assert_eq!(
            h.rows().collect::<Vec<_>>(),
            h.iter().collect::<Vec<_>>(),
            "every row"
        );
        for &k in KnownHeader::ALL {
            let all: Vec<_> = h.get_all(k).collect();
            for row in &all {
                let split: Vec<_> = if k.list_kind() == super::ListKind::List {
                    let v = row.value();
                    super::ListSplit::new(v)
                        .map(|(a, b)| (&v[a..b], row.value_span().start + a))
                        .collect()
                } else {
                    vec![(row.value(), row.value_span().start)]
                };
                let got: Vec<_> = row.elements().map(|e| (e.bytes, e.span.start)).collect();
                assert_eq!(got, split, "{row:?}");
            }
            assert_eq!(all, walked(h, k).collect::<Vec<_>>(), "{k:?}");
            assert_eq!(h.get(k), all.first().copied(), "{k:?}");
            assert_eq!(h.count(k), all.len(), "{k:?}");
            assert_eq!(h.contains(k), !all.is_empty(), "{k:?}");
        }
    }

    /// The messages of `tests/data` and crafted heads: folds, malformed
    /// rows, compact and unknown names, bare LF ends, heads without their
    /// empty line, more rows of one header than an iterator takes from the
    /// index, and more rows than the index holds.
    #[test]
    fn indexed_lookups_match_the_walk() {
        let mut messages: Vec<Vec<u8>> = [
            &b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a\r\nbad row\r\nTo: <sip:b@x>\r\n ;tag=1\r\nv: SIP/2.0/UDP b\r\nX-A :\t1\r\n:x\r\nVia : c\r\n\t\r\nContent-Length: 0\r\n\r\n"[..],
            b"SIP/2.0 200 OK\nVia: a\nTo: b\n\tc\n\n",
            b"SIP/2.0 200 OK\r\nVia: a\r\n\r\n",
            b"SIP/2.0 200 OK\r\n\r\n",
            b"SIP/2.0 200 OK\r\n folded start line\r\nVia: a\r\nTo: b\r\n\r\n",
            // Datagrams whose head has no empty line, the last row with
            // and without its line ending.
            b"SIP/2.0 200 OK\r\nVia: a\r\nTo: b",
            b"SIP/2.0 200 OK\r\nVia: a\r\nTo: b\r\n",
            b"SIP/2.0 200 OK\r\nVia: a\r\nTo: b\r",
        ]
        .iter()
        .map(|m| m.to_vec())
        .collect();
        for n in [ITER_ROWS + 3, ROWS - 1, ROWS, ROWS + 1, 100] {
            let mut m = b"SIP/2.0 200 OK\r\nTo: t\r\n".to_vec();
            for i in 0..n {
                m.extend_from_slice(format!("Via: SIP/2.0/UDP h{i}\r\nX-{i}: y\r\n").as_bytes());
            }
            m.extend_from_slice(b"Content-Length: 0\r\n\r\n");
            messages.push(m);
        }
        messages.extend(crate::test_corpus::messages());
        let mut heads = 0;
        for buf in &messages {
            for opts in [ParseOptions::datagram(), ParseOptions::stream()] {
                if let Ok(m) = opts.parse_message(buf) {
                    same_as_walk(m.headers());
                    heads += 1;
                }
            }
        }
        assert!(heads > 1000, "{heads}");
    }

    proptest! {
        /// Heads of random rows (known and unknown names, compact forms,
        /// folds, stray SP and HTAB, bare LF and CR, rows without a colon)
        /// that the parser accepts: the index answers what the walk does.
        #[test]
        fn random_heads_index_like_the_walk(rows in proptest::collection::vec(
            (
                prop_oneof![
                    Just("Via"), Just("v"), Just("To"), Just("t"), Just("CSeq"),
                    Just("X-Y"), Just("Record-Route"), Just("From"), Just(""),
                    Just("Call-ID"), Just("Contact"), Just("m"), Just("Bad Row"),
                    Just("VIA"), Just("cseq"), Just("M"), Just("I"), Just("Vi"),
                ],
                prop_oneof![Just(":"), Just(" :"), Just("\t:"), Just(""), Just(": ")],
                "[a-z ;=,<>\t\r]{0,12}",
                prop_oneof![Just("\r\n"), Just("\n"), Just("\r\n "), Just("\r\n\t")],
            ),
            0..70,
        )) {
            let mut m = b"SIP/2.0 200 OK\r\n".to_vec();
            for (name, colon, value, end) in &rows {
                m.extend_from_slice(name.as_bytes());
                m.extend_from_slice(colon.as_bytes());
                m.extend_from_slice(value.as_bytes());
                m.extend_from_slice(end.as_bytes());
            }
            m.extend_from_slice(b"\r\n");
            for opts in [ParseOptions::datagram(), ParseOptions::stream()] {
                if let Ok(r) = opts.parse_response(&m) {
                    same_as_walk(r.headers());
                }
            }
        }
    }

    /// The index's two fallbacks, which only limits above the defaults
    /// reach: a first row 64 KiB or more from the message start, and 255 or
    /// more rows of one header. Lookups walk the rows and agree with a walk.
    #[test]
    fn far_rows_and_many_rows_are_found_by_walking() {
        let limits = Limits {
            max_head: 1 << 20,
            max_message: 1 << 20,
            max_headers: 2_000,
            max_via_values: 2_000,
            ..Limits::DEFAULT
        };
        let mut msg = b"SIP/2.0 200 OK\r\nCall-ID: a\r\n".to_vec();
        for i in 0..300 {
            msg.extend_from_slice(format!("Via: SIP/2.0/UDP h{i}\r\n").as_bytes());
        }
        while msg.len() < 70_000 {
            msg.extend_from_slice(b"X-Pad: 0123456789012345678901234567890123456789\r\n");
        }
        let far = msg.len();
        msg.extend_from_slice(b"CSeq: 1 INVITE\r\nCSeq: 2 INVITE\r\nContent-Length: 0\r\n\r\n");
        for opts in [ParseOptions::datagram(), ParseOptions::stream()] {
            let r = opts.with_limits(limits).parse_response(&msg).unwrap();
            let h = r.headers();
            assert_eq!(h.count(KnownHeader::Via), 300);
            assert_eq!(h.get_all(KnownHeader::Via).count(), 300);
            assert_eq!(
                h.get_all(KnownHeader::Via).last().unwrap().value(),
                b"SIP/2.0/UDP h299"
            );
            let cseq = h.get(KnownHeader::CSeq).unwrap();
            assert_eq!(cseq.span().start, far);
            assert_eq!(cseq.value(), b"1 INVITE");
            assert_eq!(h.count(KnownHeader::CSeq), 2);
            let all: Vec<_> = h.get_all(KnownHeader::CSeq).map(|c| c.value()).collect();
            assert_eq!(all, [&b"1 INVITE"[..], b"2 INVITE"]);
            assert_eq!(h.get(KnownHeader::CallId).unwrap().value(), b"a");
            assert_eq!(r.content_length(), Some(0));
        }
    }
}
