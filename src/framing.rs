//! Finding where a message ends: the resumable line scanner that reads the
//! start line and header section in one pass, and the body rules of RFC 3261
//! §7.4, §7.5 and §18.3.
//!
//! The scanner keeps its position, so a stream decoder fed one byte at a
//! time never rescans what it has seen: each byte is looked at a bounded
//! number of times (`memchr` for the line end, then once for the name at the
//! start of a row). Every limit is checked as soon as the bytes that break
//! it arrive, before anything is buffered further.

use crate::code::StatusCode;
use crate::error::{ParseError, ParseErrorKind};
use crate::grammar::line::{colon_after_name, name_run, until_lf};
use crate::header::{HeadLayout, HeaderIndex, KnownHeader};
use crate::lex::{self, is_ws, ListSplit};
use crate::options::{Framing, ParseOptions};
use crate::simd::LineFeeds;
use crate::start_line::{self, StartLine, StatusLine};
use crate::Span;

/// What the lenient parser accepted but a strict reader would not: the
/// validator turns each into a finding with its span.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Deviations {
    pub(crate) bare_lf: Option<Span>,
    pub(crate) bare_lf_count: u32,
    pub(crate) start_line_folded: Option<Span>,
    pub(crate) malformed_lines: u32,
    pub(crate) first_malformed: Option<Span>,
    pub(crate) head_unterminated: Option<Span>,
    pub(crate) content_length_syntax: Option<Span>,
    pub(crate) content_length_multiple: Option<Span>,
    pub(crate) content_length_missing: bool,
    pub(crate) body_truncated: Option<(u64, usize)>,
    pub(crate) trailing_octets: Option<Span>,
}

impl Deviations {
    /// The first line ended by a bare LF instead of CRLF (`line-ending-not-crlf`).
    pub fn bare_lf(&self) -> Option<Span> {
        self.bare_lf
    }

    /// How many lines of the head end in a bare LF.
    pub fn bare_lf_count(&self) -> u32 {
        self.bare_lf_count
    }

    /// A continuation line right after the start line: the start line was
    /// folded (`status-line-syntax`).
    pub fn start_line_folded(&self) -> Option<Span> {
        self.start_line_folded
    }

    /// How many header rows are not `name HCOLON value` (`header-line-malformed`).
    pub fn malformed_lines(&self) -> u32 {
        self.malformed_lines
    }

    /// The first malformed header row.
    pub fn first_malformed(&self) -> Option<Span> {
        self.first_malformed
    }

    /// The header section had no terminating empty line; the datagram ended
    /// first (`header-block-unterminated`). The span is empty, at the end.
    pub fn head_unterminated(&self) -> Option<Span> {
        self.head_unterminated
    }

    /// A Content-Length row whose value is not `1*DIGIT` or overflows
    /// (`content-length-syntax`; datagram mode only, a stream fails instead).
    pub fn content_length_syntax(&self) -> Option<Span> {
        self.content_length_syntax
    }

    /// The second Content-Length row (`content-length-multiple`; datagram mode only).
    pub fn content_length_multiple(&self) -> Option<Span> {
        self.content_length_multiple
    }

    /// There is no Content-Length (`content-length-missing-*`, by transport).
    pub fn content_length_missing(&self) -> bool {
        self.content_length_missing
    }

    /// Content-Length declared more octets than the datagram holds:
    /// `(declared, available)` (`content-length-exceeds-body`).
    pub fn body_truncated(&self) -> Option<(u64, usize)> {
        self.body_truncated
    }

    /// Octets after the Content-Length body in a datagram, which are not part
    /// of the message (`content-length-short`).
    pub fn trailing_octets(&self) -> Option<Span> {
        self.trailing_octets
    }
}

/// The parsed shape of a message: only spans and small values, so it can sit
/// next to a borrowed slice or an owned `Bytes` alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) head: HeadLayout,
    pub(crate) meta: Meta,
}

/// Where the header section is, without its index (see [`whole_head`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct HeadSpan {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) rows: u16,
}

impl HeadSpan {
    /// The header section with its index.
    #[inline(always)]
    pub(crate) fn with(self, index: HeaderIndex) -> HeadLayout {
        HeadLayout {
            start: self.start,
            end: self.end,
            rows: self.rows,
            index,
        }
    }
}

/// Everything about a message's shape except its header section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Meta {
    pub(crate) start: StartLine,
    /// The message: start line through the end of the body.
    pub(crate) msg: Span,
    pub(crate) body: Span,
    pub(crate) content_length: Option<u64>,
    pub(crate) deviations: Deviations,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    StartLine,
    Headers,
    Done,
}

/// What completing the pending row still has to do. Everything that needs
/// only the row's first line (the name, the index entry) is done when that
/// line arrives; only these need the whole row, continuation lines included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pending {
    /// No row yet (the line after the start line comes next).
    NoRow,
    /// A row with nothing left to do.
    Nothing,
    /// Not `name HCOLON value`: counted, and the first one's span recorded.
    Malformed,
    /// Content-Length: its value frames the body.
    ContentLength,
    /// Via: its values count against `max_via_values`.
    Via,
}

impl Pending {
    /// True when completing the row has work to do (see `finish_row_slow`).
    #[inline]
    fn needs_finish(self) -> bool {
        matches!(
            self,
            Pending::Malformed | Pending::ContentLength | Pending::Via
        )
    }
}

/// What a row of each known header leaves for its completion: one load in
/// the row loop instead of a chain of compares.
const PENDING: [Pending; KnownHeader::COUNT] = {
    let mut t = [Pending::Nothing; KnownHeader::COUNT];
    t[KnownHeader::ContentLength.index()] = Pending::ContentLength;
    t[KnownHeader::Via.index()] = Pending::Via;
    t
};

/// The row being read (complete only when the next line's first byte is seen).
#[derive(Clone, Copy, Debug)]
struct Row {
    start: usize,
    /// Offset of the colon (meaningful for well-formed rows).
    colon: usize,
    continuations: usize,
    unfolded_len: usize,
    end: usize,
    pending: Pending,
}

impl Row {
    const NONE: Row = Row {
        start: 0,
        colon: 0,
        continuations: 0,
        unfolded_len: 0,
        end: 0,
        pending: Pending::NoRow,
    };
}

/// Resumable scanner over a message's start line and header section.
#[derive(Clone, Debug)]
pub(crate) struct Scanner {
    opts: ParseOptions,
    msg_start: usize,
    /// Next byte to search for a line end.
    pos: usize,
    line_start: usize,
    phase: Phase,
    start: Option<StartLine>,
    row: Row,
    headers_start: usize,
    headers_end: usize,
    head_end: usize,
    rows: usize,
    via_values: usize,
    index: HeaderIndex,
    content_length: Option<u64>,
    deviations: Deviations,
    /// Leading white space of the pending partial line, as
    /// `(line_start, end of the run seen so far)`, so that a continuation
    /// line arriving piece by piece is measured without rescanning.
    partial_ws: (usize, usize),
    /// See [`Scanner::set_quick_end`].
    quick_end: usize,
}

/// Outcome of a scanning step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scan {
    /// The head is complete.
    Head,
    /// More bytes are needed.
    More,
}

impl Scanner {
    /// A scanner for a message starting at `msg_start`.
    pub(crate) fn new(opts: ParseOptions, msg_start: usize) -> Self {
        Scanner {
            opts,
            msg_start,
            pos: msg_start,
            line_start: msg_start,
            phase: Phase::StartLine,
            start: None,
            row: Row::NONE,
            headers_start: msg_start,
            headers_end: msg_start,
            head_end: msg_start,
            rows: 0,
            via_values: 0,
            index: HeaderIndex::new(msg_start),
            content_length: None,
            deviations: Deviations::default(),
            partial_ws: (msg_start, msg_start),
            quick_end: 0,
        }
    }

    /// Bytes the line search has examined so far.
    ///
    /// Every byte from the message start up to `pos` has been searched
    /// exactly once and none after it (`pos` only moves forward, to just past
    /// a line end or to the end of the buffer), so this is `pos - msg_start`:
    /// no counter to keep up to date per line.
    pub(crate) fn scanned(&self) -> usize {
        self.pos - self.msg_start
    }

    /// The common step of a stream fed in small pieces, done without the
    /// full [`Self::scan`]: the bytes that arrived since the last call hold
    /// no line end, and the buffer is still within [`Scanner::quick_end`],
    /// so nothing the partial line could trip (a limit, a pending row to
    /// complete) is near. Then, exactly as `scan` would, the new bytes
    /// count as searched and more are needed: `true`. Otherwise nothing
    /// changes and the caller runs `scan`.
    #[inline(always)]
    pub(crate) fn more_without_line_end(&mut self, buf: &[u8]) -> bool {
        let Some(new) = buf.get(self.pos..) else {
            return false;
        };
        // One new byte is the case worth a path of its own (a stream fed
        // byte by byte); a few more are searched; many go to `scan`.
        let line_end = match new {
            [b] => *b == b'\n',
            _ => new.len() > 16 || new.contains(&b'\n'),
        };
        if line_end || buf.len() > self.quick_end {
            return false;
        }
        self.pos = buf.len();
        true
    }

    /// Where [`Self::more_without_line_end`] must hand over to `scan`, set
    /// when `scan` stops for more bytes: past it, the partial line could
    /// break a limit (counted whole as if it continued the pending row,
    /// fold SP included, against the smaller line limit) or the head limit.
    /// Zero while a row waits for the next line's first byte to complete.
    fn set_quick_end(&mut self) {
        let limits = &self.opts.limits;
        self.quick_end = if self.phase == Phase::Headers && self.row.pending.needs_finish() {
            0
        } else {
            let line = limits.max_line.min(limits.max_start_line);
            let line_end = self
                .line_start
                .saturating_add(line)
                .saturating_sub(self.row.unfolded_len.saturating_add(1));
            line_end.min(self.msg_start.saturating_add(limits.max_head))
        };
    }

    /// Scans `buf` from where the last call stopped. With `eof`, the end of
    /// `buf` is the end of the message (datagram): an unterminated header
    /// section is then accepted and recorded.
    ///
    /// Inlined into both callers (the one-shot parse and the decoder's
    /// step) on purpose: left to the inliner, the one-shot parse paid a
    /// call and ~100 instructions more per message (measured).
    #[inline(always)]
    pub(crate) fn scan(&mut self, buf: &[u8], eof: bool) -> Result<Scan, ParseError> {
        // A line ending at `nl` fits the head limit when `nl < head_limit`.
        let head_limit = self.msg_start.saturating_add(self.opts.limits.max_head);
        while self.phase != Phase::Done {
            // The grammar's streaming line taker: `Incomplete` until a LF
            // has arrived (the CR before it may have come in an earlier
            // piece, so the scanner checks that itself).
            let Ok((rest, _)) = until_lf(&buf[self.pos..]) else {
                return self.scan_end(buf, eof);
            };
            let nl = buf.len() - rest.len() - 1;
            if nl >= head_limit {
                return Err(self.head_too_large(buf, nl, head_limit));
            }
            let content_end = if nl > self.line_start && buf[nl - 1] == b'\r' {
                nl - 1
            } else {
                self.bare_lf(nl);
                nl
            };
            if self.phase == Phase::Headers {
                self.header_line(buf, content_end, nl + 1)?;
            } else {
                self.pos = nl + 1;
                self.start_line(buf, content_end, nl + 1)?;
            }
            self.line_start = nl + 1;
        }
        Ok(Scan::Head)
    }

    // The order of checks, and `bytes_scanned` after a failure, must not
    // depend on where a stream was cut. The pending row ends as soon as the
    // next line's first byte shows that line is no continuation (RFC 3261
    // §7.3.1), so its own checks (Content-Length, Via count) come before
    // any check of that next line, complete or not, and a failure there
    // does not count that line as searched; a failure of the line's own
    // checks does. On the common path (the next line complete and within
    // the head limit) `header_line` finishes the row before anything else
    // and only then moves `pos` past the line; the two other paths, the
    // head limit and a partial line, finish it first explicitly.

    /// The line ending at `nl` breaks the head limit: finish the pending row
    /// first (its error comes first), then count the line as searched.
    #[cold]
    fn head_too_large(&mut self, buf: &[u8], nl: usize, head_limit: usize) -> ParseError {
        if let Err(e) = self.finish_row_if_ended(buf) {
            return e;
        }
        self.pos = nl + 1;
        ParseError::new(ParseErrorKind::HeadTooLarge, head_limit)
    }

    /// Finishes the pending row once the next line has started with a byte
    /// other than SP/HTAB (see [`Self::scan`]).
    #[inline(never)]
    fn finish_row_if_ended(&mut self, buf: &[u8]) -> Result<(), ParseError> {
        match buf.get(self.line_start) {
            Some(&b) if !is_ws(b) && self.phase == Phase::Headers => self.finish_row(buf),
            _ => Ok(()),
        }
    }

    /// A line ended by a bare LF (recorded for `line-ending-not-crlf`).
    #[cold]
    fn bare_lf(&mut self, nl: usize) {
        self.deviations.bare_lf_count += 1;
        if self.deviations.bare_lf.is_none() {
            self.deviations.bare_lf = Some(Span::new(nl, nl + 1));
        }
    }

    /// No line end in the rest of `buf`: wait for more, or (datagram) take
    /// the end of `buf` as the end of the head.
    #[inline(never)]
    fn scan_end(&mut self, buf: &[u8], eof: bool) -> Result<Scan, ParseError> {
        let limits = self.opts.limits;
        self.finish_row_if_ended(buf)?;
        self.pos = buf.len();
        self.check_partial_line(buf)?;
        if buf.len() - self.msg_start > limits.max_head {
            return Err(ParseError::new(
                ParseErrorKind::HeadTooLarge,
                self.msg_start + limits.max_head,
            ));
        }
        if !eof {
            self.set_quick_end();
            return Ok(Scan::More);
        }
        // Datagram end inside the head: take the last line as is.
        if self.line_start < buf.len() {
            let mut end = buf.len();
            if buf[end - 1] == b'\r' {
                end -= 1;
            }
            if self.phase == Phase::Headers {
                self.header_line(buf, end, buf.len())?;
            } else {
                self.start_line(buf, end, buf.len())?;
            }
            self.line_start = buf.len();
            if self.phase == Phase::Done {
                // The empty line was a lone CR: the datagram ended
                // before the CRLF that terminates the head did.
                self.deviations.head_unterminated = Some(Span::empty(buf.len()));
            }
        }
        match self.phase {
            Phase::StartLine => Err(ParseError::new(ParseErrorKind::Empty, self.msg_start)),
            Phase::Headers => {
                self.finish_row(buf)?;
                self.headers_end = buf.len();
                self.head_end = buf.len();
                self.deviations.head_unterminated = Some(Span::empty(buf.len()));
                self.phase = Phase::Done;
                Ok(Scan::Head)
            }
            Phase::Done => Ok(Scan::Head),
        }
    }

    /// A line longer than its limit fails before its end arrives.
    ///
    /// The partial line is measured exactly as the complete line will be,
    /// so the verdict never depends on where the input was cut: a trailing
    /// CR is not counted (it may be the first half of the line's CRLF), and
    /// a continuation line counts one SP for the fold plus what follows its
    /// leading white space.
    fn check_partial_line(&mut self, buf: &[u8]) -> Result<(), ParseError> {
        let limits = self.opts.limits;
        let raw = buf.len() - self.line_start;
        let len = raw - usize::from(raw > 0 && buf[buf.len() - 1] == b'\r');
        match self.phase {
            Phase::StartLine if len > limits.max_start_line => Err(ParseError::new(
                ParseErrorKind::StartLineTooLong,
                self.line_start + limits.max_start_line,
            )),
            Phase::Headers => {
                let continuing = raw > 0 && is_ws(buf[self.line_start]);
                let so_far = if continuing && self.row.pending != Pending::NoRow {
                    if self.partial_ws.0 != self.line_start {
                        self.partial_ws = (self.line_start, self.line_start);
                    }
                    let mut e = self.partial_ws.1;
                    while e < buf.len() && lex::is_lws(buf[e]) {
                        e += 1;
                    }
                    self.partial_ws.1 = e;
                    let lead = (e - self.line_start).min(len);
                    self.row.unfolded_len + 1 + len - lead
                } else {
                    len
                };
                if so_far > limits.max_line {
                    Err(ParseError::new(ParseErrorKind::LineTooLong, buf.len()))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    /// The start line `line_start..content_end`; `next` is the offset after
    /// its line ending. Runs once per message, so kept out of the line loop.
    #[inline(never)]
    fn start_line(
        &mut self,
        buf: &[u8],
        content_end: usize,
        next: usize,
    ) -> Result<(), ParseError> {
        debug_assert_eq!(self.phase, Phase::StartLine);
        let ls = self.line_start;
        let max = self.opts.limits.max_start_line;
        if content_end - ls > max {
            return Err(ParseError::new(ParseErrorKind::StartLineTooLong, ls + max));
        }
        let line = &buf[ls..content_end];
        self.start = Some(match canonical_status_line(line, ls) {
            Some(status) => StartLine::Status(status),
            None => start_line::parse(line, ls)?,
        });
        self.phase = Phase::Headers;
        self.headers_start = next;
        Ok(())
    }

    /// Handles one complete line `line_start..content_end` of the header
    /// section; `next` is the offset after its line ending.
    ///
    /// Inlined into the line loop on purpose (with [`Self::new_row`]): as a
    /// call per line, saving registers and reloading the scanner's fields
    /// cost more than the common path itself (measured, see
    /// `benches/README.md`). The rare paths stay out of line.
    #[inline(always)]
    fn header_line(
        &mut self,
        buf: &[u8],
        content_end: usize,
        next: usize,
    ) -> Result<(), ParseError> {
        let ls = self.line_start;
        match buf.get(ls) {
            _ if content_end == ls => {
                self.finish_row(buf)?;
                self.pos = next;
                self.headers_end = ls;
                self.head_end = next;
                self.phase = Phase::Done;
                Ok(())
            }
            Some(&b) if is_ws(b) => {
                self.pos = next;
                self.continuation(buf, content_end, next)
            }
            _ => self.new_row(buf, content_end, next),
        }
    }

    /// A line starting with SP/HTAB: it continues the pending row.
    #[inline(never)]
    fn continuation(
        &mut self,
        buf: &[u8],
        content_end: usize,
        next: usize,
    ) -> Result<(), ParseError> {
        let limits = self.opts.limits;
        let ls = self.line_start;
        let len = content_end - ls;
        if self.row.pending == Pending::NoRow {
            // A fold right after the start line (§7.2: the start line cannot
            // be folded). Not a header row, but still a line: bounded like
            // one (and like the partial-line check measures it).
            if len > limits.max_line {
                return Err(ParseError::new(
                    ParseErrorKind::LineTooLong,
                    ls + limits.max_line,
                ));
            }
            if self.deviations.start_line_folded.is_none() {
                self.deviations.start_line_folded = Some(Span::new(ls, content_end));
            }
            self.headers_start = next;
            return Ok(());
        }
        let row = &mut self.row;
        row.continuations += 1;
        if row.continuations > limits.max_continuations {
            return Err(ParseError::new(ParseErrorKind::TooManyContinuations, ls));
        }
        let content = lex::skip_lws(&buf[..content_end], ls) - ls;
        row.unfolded_len += 1 + len - content.min(len);
        if row.unfolded_len > limits.max_line {
            return Err(ParseError::new(ParseErrorKind::LineTooLong, content_end));
        }
        row.end = content_end;
        Ok(())
    }

    /// The first line of a header row: completes the previous row, checks
    /// the row limits, reads the name and the colon, and indexes a known
    /// header right away (only the framing headers wait for the whole row).
    #[inline(always)]
    fn new_row(&mut self, buf: &[u8], content_end: usize, next: usize) -> Result<(), ParseError> {
        let ls = self.line_start;
        let len = content_end - ls;
        self.finish_row(buf)?;
        self.pos = next;
        // Limits are read where they are compared (not copied out first):
        // fewer registers live across the row, no spills.
        self.rows += 1;
        if self.rows > self.opts.limits.max_headers {
            return Err(ParseError::new(ParseErrorKind::TooManyHeaders, ls));
        }
        if len > self.opts.limits.max_line {
            return Err(ParseError::new(
                ParseErrorKind::LineTooLong,
                ls + self.opts.limits.max_line,
            ));
        }
        // `field-name *(SP / HTAB) ":"` with the grammar's productions: the
        // name run first (its length is limited even when no colon follows).
        let (after_name, name) = match name_run(&buf[ls..content_end]) {
            Ok(r) => r,
            Err(_) => (&buf[content_end..content_end], &buf[ls..ls]),
        };
        if name.len() > self.opts.limits.max_header_name {
            return Err(ParseError::new(
                ParseErrorKind::HeaderNameTooLong,
                ls + self.opts.limits.max_header_name,
            ));
        }
        let (colon, pending) = match colon_after_name(after_name) {
            Ok((value, _)) if !name.is_empty() => (
                content_end - value.len() - 1,
                match KnownHeader::from_token(name) {
                    Some(k) => {
                        self.index.record(self.rows - 1, k, ls);
                        PENDING[k.index()]
                    }
                    None => {
                        self.index.record_other(self.rows - 1, ls, false);
                        Pending::Nothing
                    }
                },
            ),
            _ => {
                self.index.record_other(self.rows - 1, ls, true);
                (content_end, Pending::Malformed)
            }
        };
        self.row = Row {
            start: ls,
            colon,
            continuations: 0,
            unfolded_len: len,
            end: content_end,
            pending,
        };
        Ok(())
    }

    /// Completes the pending row: what needs the whole row (see [`Pending`]).
    #[inline]
    fn finish_row(&mut self, buf: &[u8]) -> Result<(), ParseError> {
        if self.row.pending.needs_finish() {
            self.finish_row_slow(buf)
        } else {
            Ok(())
        }
    }

    /// [`Self::finish_row`] for the rows that have work left; out of line,
    /// as most rows have none.
    #[inline(never)]
    fn finish_row_slow(&mut self, buf: &[u8]) -> Result<(), ParseError> {
        let row = self.row;
        self.row.pending = Pending::Nothing;
        match row.pending {
            Pending::Malformed => {
                self.deviations.malformed_lines += 1;
                if self.deviations.first_malformed.is_none() {
                    self.deviations.first_malformed = Some(Span::new(row.start, row.end));
                }
                Ok(())
            }
            Pending::ContentLength => self.content_length_row(buf, row),
            Pending::Via => {
                self.via_values += via_values_in(&buf[row.colon + 1..row.end]);
                if self.via_values > self.opts.limits.max_via_values {
                    return Err(ParseError::new(ParseErrorKind::TooManyViaValues, row.start));
                }
                Ok(())
            }
            Pending::NoRow | Pending::Nothing => Ok(()),
        }
    }

    /// Content-Length (RFC 3261 §20.14): `1*DIGIT`, one row only. On a stream
    /// a bad or second value loses the framing, so it is an error; in a
    /// datagram the packet bounds the message and the defect is recorded.
    fn content_length_row(&mut self, buf: &[u8], row: Row) -> Result<(), ParseError> {
        let stream = self.opts.framing == Framing::Stream;
        let row_span = Span::new(row.start, row.end);
        let colon = row.colon;
        let raw = &buf[colon + 1..row.end];
        if self.index.repeated(KnownHeader::ContentLength) {
            if stream {
                return Err(ParseError::new(
                    ParseErrorKind::ContentLengthMultiple,
                    row.start,
                ));
            }
            self.deviations
                .content_length_multiple
                .get_or_insert(row_span);
            return Ok(());
        }
        match lex::parse_u64_lws(raw) {
            Some(n) => self.content_length = Some(n),
            None => {
                if stream {
                    let value_start = colon + 1 + lex::skip_lws(raw, 0);
                    return Err(ParseError::new(
                        ParseErrorKind::ContentLengthSyntax,
                        value_start,
                    ));
                }
                self.deviations.content_length_syntax = Some(row_span);
            }
        }
        Ok(())
    }

    /// After [`Scan::Head`]: decides where the body ends. In datagram mode
    /// `buf` holds the whole datagram; in stream mode the layout depends only
    /// on the head and Content-Length, and its end may lie beyond `buf`
    /// (the caller waits for the rest).
    pub(crate) fn finish(&self, buf: &[u8]) -> Result<Layout, ParseError> {
        debug_assert_eq!(self.phase, Phase::Done);
        let mut deviations = self.deviations;
        let head_end = self.head_end;
        // An unreadable or repeated Content-Length declares nothing.
        let cl_bad = deviations.content_length_syntax.is_some()
            || deviations.content_length_multiple.is_some();
        let declared = if cl_bad { None } else { self.content_length };
        let missing = !self.index.has(KnownHeader::ContentLength);
        deviations.content_length_missing = missing;
        let body = body_span(
            buf,
            &self.opts,
            self.msg_start,
            head_end,
            self.headers_end,
            declared,
            &mut deviations,
        )?;
        let start = self
            .start
            .ok_or(ParseError::new(ParseErrorKind::Empty, self.msg_start))?;
        let mut index = self.index;
        index.finish(self.rows, self.headers_end);
        Ok(Layout {
            head: HeadLayout {
                start: self.headers_start.min(self.headers_end),
                end: self.headers_end,
                rows: self.rows.min(usize::from(u16::MAX)) as u16,
                index,
            },
            meta: Meta {
                start,
                msg: Span::new(self.msg_start, body.end),
                body,
                content_length: declared,
                deviations,
            },
        })
    }
}

/// The head as nearly every message has it, read in one tight pass over
/// a buffer that already holds all of it: every line ends in CRLF, no
/// row is folded or malformed, no limit is near, Content-Length comes
/// once and reads. On such a head the result is exactly what
/// [`Scanner::scan`] gives (a property test, the test messages and the
/// `parse_response` fuzz target compare the two with `check_whole_head`);
/// on anything else it returns `None`, and the caller runs `scan`, which
/// handles every shape and says which limit broke. `None` also when
/// `buf` holds nothing but keep-alives.
///
/// Why a second reader: `scan` is resumable (a stream may stop anywhere),
/// so it keeps its state in the scanner between lines and checks for
/// partial input and pending rows at every line. Here everything lives
/// in locals, and a line costs the line search, the name, and the index
/// entry.
///
/// The header index is the caller's, and this fills it (a fresh one, for
/// the message start): it is most of the view, and built where the view
/// is assembled it is not copied once more on the way (measured: one
/// `memcpy` call of the index fewer).
#[inline(always)]
pub(crate) fn whole_head(
    buf: &[u8],
    opts: &ParseOptions,
    index: &mut HeaderIndex,
) -> Option<Result<(HeadSpan, Meta), ParseError>> {
    let ms = skip_keepalives(buf, 0);
    if ms >= buf.len() {
        return None;
    }
    *index = HeaderIndex::new(ms);
    let limits = opts.limits;
    // The head must end before `ms + max_head` (see `scan`).
    let head_limit = ms.saturating_add(limits.max_head).min(buf.len());
    // Every LF of the head ends a line (bare LFs and folds are declined).
    let mut line_feeds = LineFeeds::new(buf, ms);
    let nl = line_feeds.next(buf, head_limit)?;
    if nl == ms || buf[nl - 1] != b'\r' || nl - 1 - ms > limits.max_start_line {
        return None;
    }
    let line = &buf[ms..nl - 1];
    let start = match canonical_status_line(line, ms) {
        Some(status) => StartLine::Status(status),
        None => match start_line::parse(line, ms) {
            Ok(s) => s,
            Err(_) => return None,
        },
    };
    let headers_start = nl + 1;
    let mut pos = headers_start;
    let mut rows = 0usize;
    let mut via_values = 0usize;
    let mut content_length = None;
    loop {
        let nl = line_feeds.next(buf, head_limit)?;
        // `nl > pos`, or the line would be a bare LF.
        if nl == pos || buf[nl - 1] != b'\r' {
            return None;
        }
        let end = nl - 1;
        if end == pos {
            // The empty line: the head ends.
            let mut deviations = Deviations {
                content_length_missing: !index.has(KnownHeader::ContentLength),
                ..Deviations::default()
            };
            let head_end = nl + 1;
            index.finish(rows, pos);
            let body = match body_span(
                buf,
                opts,
                ms,
                head_end,
                pos,
                content_length,
                &mut deviations,
            ) {
                Ok(body) => body,
                Err(e) => return Some(Err(e)),
            };
            return Some(Ok((
                HeadSpan {
                    start: headers_start,
                    end: pos,
                    rows: rows as u16,
                },
                Meta {
                    start,
                    msg: Span::new(ms, body.end),
                    body,
                    content_length,
                    deviations,
                },
            )));
        }
        // A fold (continuation line), or a row over its limit: `scan`.
        if is_ws(buf[pos]) || end - pos > limits.max_line {
            return None;
        }
        // (A fold after this row is seen when the next line is read, and
        // sends the whole head to `scan`.)
        // Header names are letters and `-`, and the colon follows at once:
        // the word-at-a-time letter scan settles most rows (it stops at the
        // line's CR at the latest, so it may read past `end`); the others
        // take the rest of the token and the scanner's `colon_after_name`.
        let letters = lex::letters_end(buf, pos);
        let (name_end, colon) = if buf[letters] == b':' {
            (letters, letters)
        } else {
            let name_end = lex::token_end(&buf[..end], letters);
            match colon_after_name(&buf[name_end..end]) {
                Ok((value, _)) => (name_end, end - value.len() - 1),
                Err(_) => return None,
            }
        };
        if name_end == pos || name_end - pos > limits.max_header_name {
            return None;
        }
        rows += 1;
        if rows > limits.max_headers {
            return None;
        }
        if let Some(k) = KnownHeader::from_token_inline(&buf[pos..name_end]) {
            index.record(rows - 1, k, pos);
            if k == KnownHeader::Via {
                // A Via row followed by a fold is counted on its first line
                // only; the fold sends it all to `scan`.
                via_values += via_values_in(&buf[colon + 1..end]);
                if via_values > limits.max_via_values {
                    return None;
                }
            } else if k == KnownHeader::ContentLength {
                if index.repeated(k) {
                    return None;
                }
                content_length = Some(lex::parse_u64_lws(&buf[colon + 1..end])?);
            }
        } else {
            index.record_other(rows - 1, pos, false);
        }
        pos = nl + 1;
    }
}

/// How many values a Via row holds, against `max_via_values`. Most rows
/// hold one: a SIMD search for a comma settles them; only rows with commas
/// are split properly (never inside quotes or brackets).
#[inline]
fn via_values_in(value: &[u8]) -> usize {
    if lex::find_byte(b',', value).is_none() {
        1
    } else {
        ListSplit::new(value).count()
    }
}

/// Where the body of a message whose head ends at `head_end` lies (the
/// header section ends at `headers_end`), from the Content-Length
/// `declared` (`None` when absent or unreadable) and the framing: recorded
/// in `deviations` when a datagram disagrees with it.
fn body_span(
    buf: &[u8],
    opts: &ParseOptions,
    msg_start: usize,
    head_end: usize,
    headers_end: usize,
    declared: Option<u64>,
    deviations: &mut Deviations,
) -> Result<Span, ParseError> {
    let limits = opts.limits;
    Ok(match opts.framing {
        Framing::Datagram => {
            if buf.len() - msg_start > limits.max_message {
                return Err(ParseError::new(
                    ParseErrorKind::MessageTooLarge,
                    msg_start + limits.max_message,
                ));
            }
            let avail = buf.len() - head_end;
            match declared {
                Some(n) if n > avail as u64 => {
                    deviations.body_truncated = Some((n, avail));
                    Span::new(head_end, buf.len())
                }
                Some(n) => {
                    let end = head_end + n as usize;
                    if end < buf.len() {
                        deviations.trailing_octets = Some(Span::new(end, buf.len()));
                    }
                    Span::new(head_end, end)
                }
                None => Span::new(head_end, buf.len()),
            }
        }
        Framing::Stream => {
            let n = match declared {
                Some(n) => n,
                None if opts.stream_missing_length_is_zero => 0,
                None => {
                    return Err(ParseError::new(
                        ParseErrorKind::ContentLengthMissing,
                        headers_end,
                    ));
                }
            };
            let head_len = (head_end - msg_start) as u64;
            if head_len.saturating_add(n) > limits.max_message as u64 {
                return Err(ParseError::new(ParseErrorKind::MessageTooLarge, head_end));
            }
            Span::new(head_end, head_end + n as usize)
        }
    })
}

/// The status line as nearly every response sends it, `SIP/2.0 DDD ` and a
/// reason phrase, read without the general parser ([`start_line::parse`],
/// which stays the authority: any other shape, even a valid one, goes to it).
///
/// For such a line the general parser finds no leading white space, the
/// version `SIP/2.0` (valid), single SPs around the three-digit code, and
/// the reason after the second SP; this builds the same `StatusLine`
/// (a unit test checks the two agree byte for byte, including near misses).
/// It saves most of the start line's cost on the common path.
#[inline]
fn canonical_status_line(line: &[u8], base: usize) -> Option<StatusLine> {
    let (head, _) = line.split_first_chunk::<12>()?;
    if head[..8] != *b"SIP/2.0 " || head[11] != b' ' {
        return None;
    }
    let code = StatusCode::from_digits(&head[8..11])?;
    Some(StatusLine {
        line: Span::new(base, base + line.len()),
        version: Span::new(base, base + 7),
        code,
        code_span: Span::new(base + 8, base + 11),
        reason: Span::new(base + 12, base + line.len()),
        leading_ws: None,
        odd_ws: None,
        missing_reason_sp: false,
    })
}

/// Skips CRLF (and bare LF) keep-alives before a message (RFC 3261 §7.5,
/// RFC 5626 §4.4.1). Returns the offset of the first other byte; a lone CR at
/// the very end is kept (its LF may still come).
pub(crate) fn skip_keepalives(buf: &[u8], mut i: usize) -> usize {
    loop {
        match buf.get(i..i + 2) {
            Some(b"\r\n") => i += 2,
            _ if buf.get(i) == Some(&b'\n') => i += 1,
            _ => return i,
        }
    }
}

/// Parses one whole message from `buf` with `opts`, one-shot: in datagram
/// mode all of `buf` is the message, in stream mode the message must be
/// complete (trailing bytes are left for the caller, see the returned length).
/// `Ok(Err(n))`: the input ends inside the message, `n` bytes or more short.
#[inline(always)]
pub(crate) fn parse_layout(
    buf: &[u8],
    opts: &ParseOptions,
    eof: bool,
) -> Result<Result<Layout, usize>, ParseError> {
    match whole_layout(buf, opts) {
        Some(layout) => check_end(layout?, buf.len(), eof),
        None => parse_layout_scanned(buf, opts, eof),
    }
}

/// [`whole_head`] with an index of its own, as a [`Layout`]: for callers
/// that keep a layout rather than a view.
#[inline(always)]
pub(crate) fn whole_layout(buf: &[u8], opts: &ParseOptions) -> Option<Result<Layout, ParseError>> {
    let mut index = HeaderIndex::new(0);
    let head = whole_head(buf, opts, &mut index)?;
    Some(head.map(|(head, meta)| Layout {
        head: head.with(index),
        meta,
    }))
}

/// [`parse_layout`] with the general scanner only: after [`whole_head`]
/// declined the message.
pub(crate) fn parse_layout_scanned(
    buf: &[u8],
    opts: &ParseOptions,
    eof: bool,
) -> Result<Result<Layout, usize>, ParseError> {
    let start = skip_keepalives(buf, 0);
    if start >= buf.len() {
        return if eof || opts.framing == Framing::Datagram {
            Err(ParseError::new(ParseErrorKind::Empty, buf.len()))
        } else {
            Ok(Err(1))
        };
    }
    match scanned_layout(buf, opts, start)? {
        Some(layout) => check_end(layout, buf.len(), eof),
        None if eof => Err(ParseError::new(ParseErrorKind::Truncated, buf.len())),
        None => Ok(Err(1)),
    }
}

/// A framed message whose end may lie beyond the `len` bytes at hand.
#[inline(always)]
fn check_end(layout: Layout, len: usize, eof: bool) -> Result<Result<Layout, usize>, ParseError> {
    let end = layout.meta.msg.end;
    if end <= len {
        Ok(Ok(layout))
    } else if eof {
        // The layout exists, so the head ended: the body is what is short.
        Err(ParseError::new(ParseErrorKind::BodyTruncated, len))
    } else {
        Ok(Err(end - len))
    }
}

/// The layout of the message starting at `start` by the general scanner
/// ([`Scanner::scan`], then [`Scanner::finish`]); `None` when the head is
/// not all there yet.
fn scanned_layout(
    buf: &[u8],
    opts: &ParseOptions,
    start: usize,
) -> Result<Option<Layout>, ParseError> {
    let mut sc = Scanner::new(*opts, start);
    match sc.scan(buf, opts.framing == Framing::Datagram)? {
        Scan::Head => sc.finish(buf).map(Some),
        Scan::More => Ok(None),
    }
}

/// Panics unless [`whole_head`], where it reads `buf`, gives exactly what
/// the general scanner gives (for the fuzz targets and the tests). True
/// when it did read `buf`.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn check_whole_head(buf: &[u8], opts: &ParseOptions) -> bool {
    let Some(fast) = whole_layout(buf, opts) else {
        return false;
    };
    let general = scanned_layout(buf, opts, skip_keepalives(buf, 0));
    assert_eq!(
        fast.map(Some),
        general,
        "the one-pass head reader disagrees with the scanner on {:?}",
        String::from_utf8_lossy(buf)
    );
    true
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // test tables
mod tests {
    use crate::{parse_response, KnownHeader, Limits, ParseErrorKind, ParseOptions, Span};

    /// Pieces of heads: the one-pass reader's cases and everything that
    /// must send it to the scanner (folds, bare LF and CR, malformed rows,
    /// a second or bad Content-Length, Via lists, limits).
    mod whole_head_props {
        use super::super::check_whole_head;
        use crate::{Limits, ParseOptions};
        use proptest::prelude::*;

        const START: &[&[u8]] = &[
            b"SIP/2.0 200 OK\r\n",
            b"SIP/2.0  180 Ringing\r\n",
            b"INVITE sip:a@b SIP/2.0\r\n",
            b"SIP/2.0 200 OK\n",
            b"SIP/2.0 2000 OK\r\n",
        ];
        /// Rows the one-pass reader takes (with the default limits; the
        /// tight ones below break on some: a 35-byte line, a 7-byte name).
        const GOOD: &[&[u8]] = &[
            b"Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\n",
            b"Via: SIP/2.0/UDP a;branch=z9hG4bK12\r\n",
            b"v: SIP/2.0/TCP b, SIP/2.0/UDP c\r\n",
            b"VIA : SIP/2.0/UDP \"a,b\";x=\"1,2\"\r\n",
            b"Content-Length: 3\r\n",
            b"l:0\r\n",
            b"Content-Length:  \t 12 \r\n",
            b"CSeq: 1 INVITE\r\n",
            b"X-Abcde: 1\r\n",
            b"X-9!: v\r\n",
            b"To: <sip:b@c>;tag=1\r\n",
            b"Cr: in\rside\r\n",
        ];
        /// Rows that send every head to the scanner.
        const BAD: &[&[u8]] = &[
            b"Content-Length: 3x\r\n",
            b" folded\r\n",
            b"\tfolded\r\n",
            b"no colon\r\n",
            b": empty name\r\n",
            b"Bare: lf\n",
            b"\n",
            b"abc",
            b"\r",
        ];
        const END: &[&[u8]] = &[
            b"\r\n",
            b"\r\nabc",
            b"\r\nab",
            b"\r\nabcdefghijklmn",
            b"",
            b"\r",
        ];

        fn limits(tight: bool) -> Limits {
            if tight {
                Limits {
                    max_head: 200,
                    max_headers: 5,
                    max_line: 34,
                    max_continuations: 1,
                    max_header_name: 6,
                    max_start_line: 20,
                    max_via_values: 3,
                    ..Limits::DEFAULT
                }
            } else {
                Limits::DEFAULT
            }
        }

        fn row() -> impl Strategy<Value = &'static [u8]> {
            prop_oneof![
                9 => proptest::sample::select(GOOD),
                1 => proptest::sample::select(BAD),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2048))]
            #[test]
            fn agrees_with_the_scanner(
                start in proptest::sample::select(START),
                rows in proptest::collection::vec(row(), 0..10),
                end in proptest::sample::select(END),
                tight: bool,
            ) {
                let mut buf = start.to_vec();
                for r in &rows {
                    buf.extend_from_slice(r);
                }
                buf.extend_from_slice(end);
                for opts in [ParseOptions::datagram(), ParseOptions::stream()] {
                    check_whole_head(&buf, &opts.with_limits(limits(tight)));
                }
            }
        }

        #[test]
        fn agrees_with_the_scanner_on_the_corpus() {
            let (mut seen, mut read) = (0, 0);
            for buf in crate::test_corpus::messages() {
                for tight in [false, true] {
                    for opts in [ParseOptions::datagram(), ParseOptions::stream()] {
                        read +=
                            usize::from(check_whole_head(&buf, &opts.with_limits(limits(tight))));
                    }
                }
                seen += 1;
            }
            // Most corpus messages are ordinary, some are torture tests.
            assert!(seen > 100 && read > seen, "{read} read of {seen} messages");
        }
    }

    const OK: &[u8] = b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nl: 3\r\n\r\nabc";

    fn stream(buf: &[u8]) -> Result<crate::Response<'_>, ParseErrorKind> {
        ParseOptions::stream()
            .parse_response(buf)
            .map_err(|e| e.kind())
    }

    #[test]
    fn datagram_body_rules() {
        // (input, body, content_length, truncated, trailing, missing)
        let cases: &[(&[u8], &[u8], Option<u64>, bool, bool, bool)] = &[
            (OK, b"abc", Some(3), false, false, false),
            (
                b"SIP/2.0 200 OK\r\nl: 3\r\n\r\nabcdef",
                b"abc",
                Some(3),
                false,
                true,
                false,
            ),
            (
                b"SIP/2.0 200 OK\r\nl: 9\r\n\r\nabc",
                b"abc",
                Some(9),
                true,
                false,
                false,
            ),
            (
                b"SIP/2.0 200 OK\r\nX: y\r\n\r\nabc",
                b"abc",
                None,
                false,
                false,
                true,
            ),
            (
                b"SIP/2.0 200 OK\r\nContent-Length: 007\r\n\r\n1234567",
                b"1234567",
                Some(7),
                false,
                false,
                false,
            ),
            (
                b"SIP/2.0 200 OK\r\nContent-Length:\r\n 2\r\n\r\nab",
                b"ab",
                Some(2),
                false,
                false,
                false,
            ),
        ];
        for &(input, body, cl, truncated, trailing, missing) in cases {
            let r = parse_response(input).unwrap();
            let d = r.deviations();
            let name = String::from_utf8_lossy(input);
            assert_eq!(r.body(), body, "{name}");
            assert_eq!(r.content_length(), cl, "{name}");
            assert_eq!(d.body_truncated().is_some(), truncated, "{name}");
            assert_eq!(d.trailing_octets().is_some(), trailing, "{name}");
            assert_eq!(d.content_length_missing(), missing, "{name}");
        }
    }

    #[test]
    fn content_length_defects_datagram_vs_stream() {
        use ParseErrorKind::*;
        // (input, stream error kind, stream error offset)
        let cases: &[(&[u8], ParseErrorKind, usize)] = &[
            (
                b"SIP/2.0 200 OK\r\nl: 1\r\nContent-Length: 1\r\n\r\nx",
                ContentLengthMultiple,
                22,
            ),
            (
                b"SIP/2.0 200 OK\r\nl: 1\r\nl: 2\r\n\r\nx",
                ContentLengthMultiple,
                22,
            ),
            (
                b"SIP/2.0 200 OK\r\nContent-Length: +5\r\n\r\nhello",
                ContentLengthSyntax,
                32,
            ),
            (
                b"SIP/2.0 200 OK\r\nContent-Length: 0x10\r\n\r\n",
                ContentLengthSyntax,
                32,
            ),
            (
                b"SIP/2.0 200 OK\r\nContent-Length: -999\r\n\r\n",
                ContentLengthSyntax,
                32,
            ),
            (
                b"SIP/2.0 200 OK\r\nContent-Length: 1 0\r\n\r\n",
                ContentLengthSyntax,
                32,
            ),
            (
                b"SIP/2.0 200 OK\r\nContent-Length: xyz\r\n\r\n",
                ContentLengthSyntax,
                32,
            ),
            (
                b"SIP/2.0 200 OK\r\nContent-Length: \r\n\r\n",
                ContentLengthSyntax,
                32,
            ),
            (
                b"SIP/2.0 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                ContentLengthSyntax,
                32,
            ),
            (b"SIP/2.0 200 OK\r\nX: y\r\n\r\n", ContentLengthMissing, 22),
        ];
        for &(input, kind, offset) in cases {
            let name = String::from_utf8_lossy(input);
            let e = ParseOptions::stream().parse_response(input).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, offset), "{name}");
            // In a datagram the packet bounds the message: it frames and the
            // defect is recorded for the validator.
            let r = parse_response(input).unwrap_or_else(|e| panic!("{name}: {e}"));
            let d = r.deviations();
            match kind {
                ContentLengthMultiple => assert!(d.content_length_multiple().is_some(), "{name}"),
                ContentLengthSyntax => assert!(d.content_length_syntax().is_some(), "{name}"),
                _ => assert!(d.content_length_missing(), "{name}"),
            }
            assert_eq!(r.content_length(), None, "{name}");
        }
        // Leading zeros are decimal, never octal.
        assert_eq!(
            stream(b"SIP/2.0 200 OK\r\nl: 010\r\n\r\n0123456789")
                .unwrap()
                .body()
                .len(),
            10
        );
        // Opt-in leniency for streams without Content-Length.
        let r = ParseOptions::stream()
            .stream_missing_length_is_zero(true)
            .parse_response(b"SIP/2.0 100 Trying\r\n\r\n")
            .unwrap();
        assert!(r.body().is_empty() && r.deviations().content_length_missing());
    }

    #[test]
    fn canonical_status_lines_match_the_general_parser() {
        use super::canonical_status_line;
        use crate::start_line::{self, StartLine};
        let canonical: &[&[u8]] = &[
            b"SIP/2.0 200 OK",
            b"SIP/2.0 100 Trying",
            b"SIP/2.0 100 ",
            b"SIP/2.0 999 \xff\xfe odd bytes",
            b"SIP/2.0 000  two spaces",
        ];
        for &line in canonical {
            assert!(canonical_status_line(line, 5).is_some(), "{line:?}");
        }
        let general: &[&[u8]] = &[
            b"SIP/2.0 200",
            b"SIP/2.0 200OK",
            b"SIP/2.0 2000 OK",
            b"SIP/2.0  200 OK",
            b"SIP/2.0 200\tOK",
            b"sip/2.0 200 OK",
            b"SIP/3.0 200 OK",
            b" SIP/2.0 200 OK",
            b"SIP/2.0 2x0 OK",
            b"INVITE sip:a@b SIP/2.0",
        ];
        for &line in general {
            assert!(canonical_status_line(line, 5).is_none(), "{line:?}");
        }
        // Every byte value at every position of the canonical prefix: when
        // the fast path answers, the general parser gives the same line.
        let mut lines: Vec<Vec<u8>> = canonical.iter().map(|l| l.to_vec()).collect();
        for b in 0..=255u8 {
            for at in 0..14 {
                let mut l = b"SIP/2.0 180 Ringing".to_vec();
                l[at] = b;
                lines.push(l);
            }
        }
        let mut fast = 0;
        for line in &lines {
            if let Some(s) = canonical_status_line(line, 5) {
                fast += 1;
                assert_eq!(
                    start_line::parse(line, 5),
                    Ok(StartLine::Status(s)),
                    "{:?}",
                    String::from_utf8_lossy(line)
                );
            }
        }
        // The digit positions take 10 values each, the reason any byte.
        assert!(fast > 300, "{fast}");
    }

    #[test]
    fn head_shapes() {
        // Folding, compact forms, repeated rows, whitespace before the colon.
        let m = b"SIP/2.0 200 OK\r\nv: SIP/2.0/UDP a\r\nVia : SIP/2.0/UDP b,\r\n SIP/2.0/UDP c\r\nSubject:\r\n\tlunch\r\nX-Odd\t: 1\r\nl:0\r\n\r\n";
        let r = parse_response(m).unwrap();
        let h = r.headers();
        assert_eq!(h.len(), 5);
        assert_eq!(h.count(KnownHeader::Via), 2);
        let vias: Vec<&[u8]> = h.elements(KnownHeader::Via).map(|e| e.bytes).collect();
        assert_eq!(
            vias,
            [&b"SIP/2.0/UDP a"[..], b"SIP/2.0/UDP b", b"SIP/2.0/UDP c"]
        );
        let subj = h.get(KnownHeader::Subject).unwrap();
        assert_eq!(subj.value(), b"lunch");
        assert_eq!(&m[subj.value_span().range()], b"lunch");
        assert_eq!(&m[subj.span().range()], b"Subject:\r\n\tlunch");
        let odd = h.get_named("x-odd").next().unwrap();
        assert_eq!(odd.name_bytes(), b"X-Odd");
        assert_eq!(odd.value(), b"1");
        let folded = h.get_all(KnownHeader::Via).nth(1).unwrap();
        assert!(folded.is_folded());
        assert_eq!(&*folded.unfolded(), b"SIP/2.0/UDP b, SIP/2.0/UDP c");
        assert!(h.get(KnownHeader::Via).unwrap().is_compact());
        assert_eq!(r.content_length(), Some(0));
        assert!(r.deviations().bare_lf().is_none());
        assert_eq!(h.malformed().count(), 0);
    }

    #[test]
    fn lenient_shapes_are_recorded() {
        let r = parse_response(b"SIP/2.0 200 OK\nVia: a\nl: 0\n\n").unwrap();
        assert_eq!(r.deviations().bare_lf(), Some(Span::new(14, 15)));
        assert_eq!(r.deviations().bare_lf_count(), 4);
        assert_eq!(r.headers().len(), 2);

        let r =
            parse_response(b"SIP/2.0 200 OK\r\nVia: a\r\nno colon here\r\n: empty\r\nl: 0\r\n\r\n")
                .unwrap();
        assert_eq!(r.deviations().malformed_lines(), 2);
        assert_eq!(r.deviations().first_malformed(), Some(Span::new(24, 37)));
        assert_eq!(
            r.headers().malformed().collect::<Vec<_>>(),
            [Span::new(24, 37), Span::new(39, 46)]
        );
        assert_eq!(r.headers().iter().count(), 2);

        let r = parse_response(b"SIP/2.0 200\r\n OK\r\nl: 0\r\n\r\n").unwrap();
        assert_eq!(r.deviations().start_line_folded(), Some(Span::new(13, 16)));
        assert!(r.status_line_missing_reason_sp());
        assert_eq!(r.headers().len(), 1);
        assert_eq!(r.headers().malformed().count(), 0);

        // Unterminated head in a datagram (Kamailio's ms-invite-00-rpl).
        let r = parse_response(b"SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP pig").unwrap();
        assert_eq!(r.deviations().head_unterminated(), Some(Span::empty(41)));
        assert_eq!(
            r.headers().get(KnownHeader::Via).unwrap().value(),
            b"SIP/2.0/UDP pig"
        );
        assert_eq!(
            stream(b"SIP/2.0 180 Ringing\r\nVia: x"),
            Err(ParseErrorKind::Truncated)
        );
        // A complete head whose body is cut short is the body's: the two
        // readers (one-pass head, general scanner: the folded row sends
        // the second one there) and `parse_message` agree.
        for m in [
            &b"SIP/2.0 200 OK\r\nl: 10\r\n\r\nabc"[..],
            b"SIP/2.0 200 OK\r\nX: a\r\n b\r\nl: 10\r\n\r\nabc",
        ] {
            assert_eq!(stream(m).map(|_| ()), Err(ParseErrorKind::BodyTruncated));
            let e = ParseOptions::stream().parse_message(m).unwrap_err();
            assert_eq!(
                (e.kind(), e.rule()),
                (
                    ParseErrorKind::BodyTruncated,
                    Some("content-length-exceeds-body")
                )
            );
        }
        assert_eq!(
            ParseErrorKind::Truncated.rule(),
            Some("header-block-unterminated")
        );

        let r = parse_response(b"SIP/2.0 200 OK\r\nX: a\rb\r\nl: 0\r\n\r\n").unwrap();
        assert_eq!(r.find_bare_cr(), Some(Span::new(20, 21)));
    }

    #[test]
    fn keepalives_and_empty_input() {
        let r = parse_response(b"\r\n\r\nSIP/2.0 100 Trying\r\nl: 0\r\n\r\n").unwrap();
        assert_eq!(r.span(), Span::new(4, 32));
        assert_eq!(r.status_line_span(), Span::new(4, 22));
        for empty in [&b""[..], b"\r\n", b"\r\n\r\n\n"] {
            assert_eq!(
                parse_response(empty).unwrap_err().kind(),
                ParseErrorKind::Empty
            );
        }
    }

    #[test]
    fn every_limit_has_its_own_error() {
        use ParseErrorKind::*;
        let tight = Limits {
            max_message: 200,
            max_head: 120,
            max_headers: 3,
            max_line: 40,
            max_continuations: 2,
            max_header_name: 10,
            max_start_line: 30,
            max_via_values: 3,
        };
        let opts = ParseOptions::datagram().with_limits(tight);
        let big_body = format!("SIP/2.0 200 OK\r\nl: 250\r\n\r\n{}", "x".repeat(250));
        let cases: Vec<(Vec<u8>, ParseErrorKind)> = vec![
            (big_body.into_bytes(), MessageTooLarge),
            (format!("SIP/2.0 200 OK\r\nA: {x}\r\nB: {x}\r\nC: {x}\r\n\r\n", x = "y".repeat(34)).into_bytes(), HeadTooLarge),
            (b"SIP/2.0 200 OK\r\na: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n\r\n".to_vec(), TooManyHeaders),
            (format!("SIP/2.0 200 OK\r\nX: {}\r\n\r\n", "y".repeat(50)).into_bytes(), LineTooLong),
            (b"SIP/2.0 200 OK\r\nX: 1\r\n 2\r\n 3\r\n 4\r\n\r\n".to_vec(), TooManyContinuations),
            (b"SIP/2.0 200 OK\r\nX: 0123456789012345\r\n 0123456789012345\r\n 0123456789012345\r\n\r\n".to_vec(), LineTooLong),
            (b"SIP/2.0 200 OK\r\nX-Very-Long-Name: 1\r\n\r\n".to_vec(), HeaderNameTooLong),
            (b"SIP/2.0 200 Some Very Long Reason Phrase\r\n\r\n".to_vec(), StartLineTooLong),
            (b"SIP/2.0 200 OK\r\nv: a, b\r\nv: c, d\r\n\r\n".to_vec(), TooManyViaValues),
        ];
        for (input, kind) in cases {
            let e = opts.parse_response(&input).unwrap_err();
            assert_eq!(e.kind(), kind, "{}", String::from_utf8_lossy(&input));
            assert!(e.offset() <= input.len());
        }
    }

    #[test]
    fn partial_lines_hit_limits_before_their_end() {
        use ParseErrorKind::*;
        let opts = ParseOptions::stream().with_limits(Limits {
            max_line: 64,
            max_start_line: 32,
            ..Limits::DEFAULT
        });
        let long_line = [b"SIP/2.0 200 OK\r\nX: ".as_slice(), &[b'a'; 100]].concat();
        assert_eq!(
            opts.parse_message_partial(&long_line).unwrap_err().kind(),
            LineTooLong
        );
        let long_start = [b"SIP/2.0 200 ".as_slice(), &[b'a'; 100]].concat();
        assert_eq!(
            opts.parse_message_partial(&long_start).unwrap_err().kind(),
            StartLineTooLong
        );
    }
}
