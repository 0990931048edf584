//! Finding where a message ends: the resumable line scanner that reads the
//! start line and header section in one pass, and the body rules of RFC 3261
//! §7.4, §7.5 and §18.3.
//!
//! The scanner keeps its position, so a stream decoder fed one byte at a
//! time never rescans what it has seen: each byte is looked at a bounded
//! number of times (`memchr` for the line end, then once for the name at the
//! start of a row). Every limit is checked as soon as the bytes that break
//! it arrive, before anything is buffered further.

use crate::error::{ParseError, ParseErrorKind};
use crate::header::{raw_row, HeadLayout, HeaderIndex, KnownHeader};
use crate::lex::{self, is_ws, ListSplit};
use crate::options::{Framing, ParseOptions};
use crate::start_line::{self, StartLine};
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

/// The row being read (complete only when the next line's first byte is seen).
#[derive(Clone, Copy, Debug)]
struct Row {
    start: usize,
    /// Known header, if the name is one (classified once, at the row start).
    known: Option<KnownHeader>,
    well_formed: bool,
    continuations: usize,
    unfolded_len: usize,
    end: usize,
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
    row: Option<Row>,
    headers_start: usize,
    headers_end: usize,
    head_end: usize,
    rows: usize,
    via_values: usize,
    index: HeaderIndex,
    content_length: Option<u64>,
    deviations: Deviations,
    /// Bytes examined by the line search, for the linear-time tests.
    scanned: usize,
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
            row: None,
            headers_start: msg_start,
            headers_end: msg_start,
            head_end: msg_start,
            rows: 0,
            via_values: 0,
            index: HeaderIndex::new(),
            content_length: None,
            deviations: Deviations::default(),
            scanned: 0,
        }
    }

    /// Bytes the line search has examined so far.
    pub(crate) fn scanned(&self) -> usize {
        self.scanned
    }

    /// Where the message starts.
    pub(crate) fn msg_start(&self) -> usize {
        self.msg_start
    }

    /// Scans `buf` from where the last call stopped. With `eof`, the end of
    /// `buf` is the end of the message (datagram): an unterminated header
    /// section is then accepted and recorded.
    pub(crate) fn scan(&mut self, buf: &[u8], eof: bool) -> Result<Scan, ParseError> {
        let limits = self.opts.limits;
        while self.phase != Phase::Done {
            match memchr::memchr(b'\n', &buf[self.pos..]) {
                Some(i) => {
                    self.scanned += i + 1;
                    let nl = self.pos + i;
                    if nl + 1 - self.msg_start > limits.max_head {
                        return Err(ParseError::new(
                            ParseErrorKind::HeadTooLarge,
                            self.msg_start + limits.max_head,
                        ));
                    }
                    let (content_end, bare_lf) = if nl > self.line_start && buf[nl - 1] == b'\r' {
                        (nl - 1, false)
                    } else {
                        (nl, true)
                    };
                    if bare_lf {
                        self.deviations.bare_lf_count += 1;
                        if self.deviations.bare_lf.is_none() {
                            self.deviations.bare_lf = Some(Span::new(nl, nl + 1));
                        }
                    }
                    self.line(buf, content_end, nl + 1)?;
                    self.line_start = nl + 1;
                    self.pos = nl + 1;
                }
                None => {
                    self.scanned += buf.len() - self.pos;
                    self.pos = buf.len();
                    self.check_partial_line(buf)?;
                    if buf.len() - self.msg_start > limits.max_head {
                        return Err(ParseError::new(
                            ParseErrorKind::HeadTooLarge,
                            self.msg_start + limits.max_head,
                        ));
                    }
                    if !eof {
                        return Ok(Scan::More);
                    }
                    // Datagram end inside the head: take the last line as is.
                    if self.line_start < buf.len() {
                        let mut end = buf.len();
                        if buf[end - 1] == b'\r' {
                            end -= 1;
                        }
                        self.line(buf, end, buf.len())?;
                        self.line_start = buf.len();
                    }
                    if self.phase == Phase::StartLine {
                        return Err(ParseError::new(ParseErrorKind::Empty, self.msg_start));
                    }
                    if self.phase == Phase::Headers {
                        self.finish_row(buf)?;
                        self.headers_end = buf.len();
                        self.head_end = buf.len();
                        self.deviations.head_unterminated = Some(Span::empty(buf.len()));
                        self.phase = Phase::Done;
                    }
                }
            }
        }
        Ok(Scan::Head)
    }

    /// A line longer than its limit fails before its end arrives.
    fn check_partial_line(&self, buf: &[u8]) -> Result<(), ParseError> {
        let limits = self.opts.limits;
        let len = buf.len() - self.line_start;
        match self.phase {
            Phase::StartLine if len > limits.max_start_line => Err(ParseError::new(
                ParseErrorKind::StartLineTooLong,
                self.line_start + limits.max_start_line,
            )),
            Phase::Headers => {
                let continuing = len > 0 && is_ws(buf[self.line_start]);
                let so_far = match (&self.row, continuing) {
                    (Some(r), true) => r.unfolded_len + len,
                    _ => len,
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

    /// Handles one complete line `line_start..content_end`; `next` is the
    /// offset after its line ending.
    fn line(&mut self, buf: &[u8], content_end: usize, next: usize) -> Result<(), ParseError> {
        let limits = self.opts.limits;
        let ls = self.line_start;
        let len = content_end - ls;
        match self.phase {
            Phase::StartLine => {
                if len > limits.max_start_line {
                    return Err(ParseError::new(
                        ParseErrorKind::StartLineTooLong,
                        ls + limits.max_start_line,
                    ));
                }
                self.start = Some(start_line::parse(&buf[ls..content_end], ls)?);
                self.phase = Phase::Headers;
                self.headers_start = next;
            }
            Phase::Headers => {
                if len == 0 {
                    self.finish_row(buf)?;
                    self.headers_end = ls;
                    self.head_end = next;
                    self.phase = Phase::Done;
                } else if is_ws(buf[ls]) {
                    match &mut self.row {
                        Some(row) => {
                            row.continuations += 1;
                            if row.continuations > limits.max_continuations {
                                return Err(ParseError::new(
                                    ParseErrorKind::TooManyContinuations,
                                    ls,
                                ));
                            }
                            let content = lex::skip_lws(&buf[..content_end], ls) - ls;
                            row.unfolded_len += 1 + len - content.min(len);
                            if row.unfolded_len > limits.max_line {
                                return Err(ParseError::new(
                                    ParseErrorKind::LineTooLong,
                                    content_end,
                                ));
                            }
                            row.end = content_end;
                        }
                        None => {
                            // A fold right after the start line (§7.2: the
                            // start line cannot be folded). Not a header row.
                            if self.deviations.start_line_folded.is_none() {
                                self.deviations.start_line_folded =
                                    Some(Span::new(ls, content_end));
                            }
                            self.headers_start = next;
                        }
                    }
                } else {
                    self.finish_row(buf)?;
                    self.rows += 1;
                    if self.rows > limits.max_headers {
                        return Err(ParseError::new(ParseErrorKind::TooManyHeaders, ls));
                    }
                    if len > limits.max_line {
                        return Err(ParseError::new(
                            ParseErrorKind::LineTooLong,
                            ls + limits.max_line,
                        ));
                    }
                    let name_end = lex::token_end(&buf[..content_end], ls);
                    if name_end - ls > limits.max_header_name {
                        return Err(ParseError::new(
                            ParseErrorKind::HeaderNameTooLong,
                            ls + limits.max_header_name,
                        ));
                    }
                    let mut c = name_end;
                    while c < content_end && is_ws(buf[c]) {
                        c += 1;
                    }
                    let well_formed = name_end > ls && c < content_end && buf[c] == b':';
                    let known = if well_formed {
                        KnownHeader::from_bytes(&buf[ls..name_end])
                    } else {
                        None
                    };
                    self.row = Some(Row {
                        start: ls,
                        known,
                        well_formed,
                        continuations: 0,
                        unfolded_len: len,
                        end: content_end,
                    });
                }
            }
            Phase::Done => {}
        }
        Ok(())
    }

    /// Completes the pending row: index it and read what framing needs.
    fn finish_row(&mut self, buf: &[u8]) -> Result<(), ParseError> {
        let Some(row) = self.row.take() else {
            return Ok(());
        };
        if !row.well_formed {
            self.deviations.malformed_lines += 1;
            if self.deviations.first_malformed.is_none() {
                self.deviations.first_malformed = Some(Span::new(row.start, row.end));
            }
            return Ok(());
        }
        let Some(k) = row.known else {
            return Ok(());
        };
        self.index.record(k, row.start);
        match k {
            KnownHeader::ContentLength => self.content_length_row(buf, row),
            KnownHeader::Via => {
                let r = raw_row(buf, row.start, row.end);
                let colon = r.colon.unwrap_or(row.end);
                self.via_values += ListSplit::new(&buf[colon + 1..row.end]).count();
                if self.via_values > self.opts.limits.max_via_values {
                    return Err(ParseError::new(ParseErrorKind::TooManyViaValues, row.start));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Content-Length (RFC 3261 §20.14): `1*DIGIT`, one row only. On a stream
    /// a bad or second value loses the framing, so it is an error; in a
    /// datagram the packet bounds the message and the defect is recorded.
    fn content_length_row(&mut self, buf: &[u8], row: Row) -> Result<(), ParseError> {
        let stream = self.opts.framing == Framing::Stream;
        let row_span = Span::new(row.start, row.end);
        let r = raw_row(buf, row.start, row.end);
        let colon = r.colon.unwrap_or(row.end);
        let raw = &buf[colon + 1..row.end];
        let value = lex::trim_lws(raw);
        let value_start = colon + 1 + lex::skip_lws(raw, 0);
        if self.index.count_of(KnownHeader::ContentLength) > 1 {
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
        match lex::parse_u64(value) {
            Some(n) => self.content_length = Some(n),
            None => {
                if stream {
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
        let limits = self.opts.limits;
        let mut deviations = self.deviations;
        let head_end = self.head_end;
        let declared = self.content_length;
        let cl_bad = deviations.content_length_syntax.is_some()
            || deviations.content_length_multiple.is_some();
        let missing = !self.index_has(KnownHeader::ContentLength);
        deviations.content_length_missing = missing;
        let body = match self.opts.framing {
            Framing::Datagram => {
                if buf.len() - self.msg_start > limits.max_message {
                    return Err(ParseError::new(
                        ParseErrorKind::MessageTooLarge,
                        self.msg_start + limits.max_message,
                    ));
                }
                let avail = buf.len() - head_end;
                match declared {
                    Some(n) if !cl_bad => {
                        if n > avail as u64 {
                            deviations.body_truncated = Some((n, avail));
                            Span::new(head_end, buf.len())
                        } else {
                            let end = head_end + n as usize;
                            if end < buf.len() {
                                deviations.trailing_octets = Some(Span::new(end, buf.len()));
                            }
                            Span::new(head_end, end)
                        }
                    }
                    _ => Span::new(head_end, buf.len()),
                }
            }
            Framing::Stream => {
                let n = match declared {
                    Some(n) => n,
                    None if self.opts.stream_missing_length_is_zero => 0,
                    None => {
                        return Err(ParseError::new(
                            ParseErrorKind::ContentLengthMissing,
                            self.headers_end,
                        ));
                    }
                };
                let head_len = (head_end - self.msg_start) as u64;
                if head_len.saturating_add(n) > limits.max_message as u64 {
                    return Err(ParseError::new(ParseErrorKind::MessageTooLarge, head_end));
                }
                Span::new(head_end, head_end + n as usize)
            }
        };
        let start = self
            .start
            .ok_or(ParseError::new(ParseErrorKind::Empty, self.msg_start))?;
        Ok(Layout {
            head: HeadLayout {
                start: self.headers_start.min(self.headers_end),
                end: self.headers_end,
                rows: self.rows.min(usize::from(u16::MAX)) as u16,
                index: self.index,
            },
            meta: Meta {
                start,
                msg: Span::new(self.msg_start, body.end),
                body,
                content_length: if cl_bad { None } else { declared },
                deviations,
            },
        })
    }

    fn index_has(&self, k: KnownHeader) -> bool {
        self.index.count_of(k) != 0
    }
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
pub(crate) fn parse_layout(
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
    let mut sc = Scanner::new(*opts, start);
    let datagram = opts.framing == Framing::Datagram;
    match sc.scan(buf, datagram || eof)? {
        Scan::Head => {
            let layout = sc.finish(buf)?;
            let end = layout.meta.msg.end;
            if end <= buf.len() {
                Ok(Ok(layout))
            } else if eof {
                Err(ParseError::new(ParseErrorKind::Truncated, buf.len()))
            } else {
                Ok(Err(end - buf.len()))
            }
        }
        Scan::More if eof => Err(ParseError::new(ParseErrorKind::Truncated, buf.len())),
        Scan::More => Ok(Err(1)),
    }
}
