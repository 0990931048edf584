//! Hostile input: every resource limit ends a hostile stream with its own
//! error kind after a bounded amount of input, with bounded buffering and
//! linear work; and every Content-Length trick that could split one stream
//! two ways (request/response smuggling) is refused on a stream and
//! recorded in a datagram.
//!
//! Inputs are generated lazily, chunk by chunk: nothing here materialises
//! the gigabyte an endless stream would be. The bounds asserted are derived
//! from [`Limits`], never from timings.

use bytes::BytesMut;
use sip_response::{
    parse_response, Limits, MessageDecoder, ParseError, ParseErrorKind, ParseOptions,
    ResponseDecoder,
};

use ParseErrorKind::*;

const GIB: u64 = 1 << 30;
const L: Limits = Limits::DEFAULT;

/// A stream defined by a prefix, a unit repeated until `total` bytes, and
/// produced on demand.
struct Lazy {
    prefix: Vec<u8>,
    unit: Vec<u8>,
    total: u64,
    pos: u64,
}

impl Lazy {
    fn new(prefix: &[u8], unit: &[u8], total: u64) -> Self {
        assert!(!unit.is_empty());
        Lazy {
            prefix: prefix.to_vec(),
            unit: unit.to_vec(),
            total,
            pos: 0,
        }
    }

    /// The next at most `n` bytes, or `None` at the end.
    fn next_chunk(&mut self, n: usize) -> Option<Vec<u8>> {
        if self.pos >= self.total {
            return None;
        }
        let take = n.min((self.total - self.pos) as usize);
        let mut out = Vec::with_capacity(take);
        while out.len() < take {
            let p = self.pos + out.len() as u64;
            let plen = self.prefix.len() as u64;
            let b = if p < plen {
                self.prefix[p as usize]
            } else {
                self.unit[((p - plen) % self.unit.len() as u64) as usize]
            };
            out.push(b);
        }
        self.pos += take as u64;
        Some(out)
    }
}

/// What happened when a hostile stream was fed to a decoder.
#[derive(Debug)]
struct Outcome {
    error: ParseError,
    /// Bytes handed to the decoder before it failed.
    fed: u64,
    /// Bytes the caller's buffer held when the error came.
    buffered: usize,
    /// The decoder's `bytes_scanned()` at the error.
    scanned: usize,
    /// Messages decoded before the error.
    messages: usize,
}

/// The two stream decoders, as far as these tests need them.
trait Decoder {
    /// Decodes one message; `Ok(false)` means more bytes are needed.
    fn step(&mut self, buf: &mut BytesMut) -> Result<bool, ParseError>;
    fn scanned(&self) -> usize;
}

impl Decoder for ResponseDecoder {
    fn step(&mut self, buf: &mut BytesMut) -> Result<bool, ParseError> {
        self.decode_message(buf).map(|m| m.is_some())
    }
    fn scanned(&self) -> usize {
        self.bytes_scanned()
    }
}

impl Decoder for MessageDecoder {
    fn step(&mut self, buf: &mut BytesMut) -> Result<bool, ParseError> {
        self.decode_message(buf).map(|m| m.is_some())
    }
    fn scanned(&self) -> usize {
        self.bytes_scanned()
    }
}

/// Feeds `stream` to `dec` in `chunk`-byte pieces until it fails; panics if
/// the whole stream goes through without an error.
fn feed(mut dec: impl Decoder, mut stream: Lazy, chunk: usize) -> Outcome {
    let mut buf = BytesMut::new();
    let mut fed = 0u64;
    let mut messages = 0;
    while let Some(bytes) = stream.next_chunk(chunk) {
        fed += bytes.len() as u64;
        buf.extend_from_slice(&bytes);
        loop {
            match dec.step(&mut buf) {
                Ok(true) => messages += 1,
                Ok(false) => break,
                Err(error) => {
                    return Outcome {
                        error,
                        fed,
                        buffered: buf.len(),
                        scanned: dec.scanned(),
                        messages,
                    }
                }
            }
        }
        // Linear work: the decoder never scans a byte twice.
        assert!(dec.scanned() as u64 <= fed);
    }
    panic!("{fed} bytes went through without an error");
}

/// Feeds `stream` to a [`ResponseDecoder`] with `opts`.
fn feed_response_decoder(stream: Lazy, chunk: usize, opts: ParseOptions) -> Outcome {
    feed(ResponseDecoder::new(opts), stream, chunk)
}

/// The same with a [`MessageDecoder`] (requests allowed).
fn feed_message_decoder(stream: Lazy, chunk: usize) -> Outcome {
    feed(MessageDecoder::default(), stream, chunk)
}

/// Chunk sizes every hostile stream is fed with: byte by byte, an odd
/// size, and a typical socket read.
const CHUNKS: [usize; 3] = [1, 7, 4096];

/// Runs `make()`'s stream through both decoders at every chunk size and
/// checks: the error kind, bytes fed ≤ `bound + chunk`, buffered ≤
/// `bound + chunk`, work ≤ bytes fed, error offset ≤ bytes fed.
fn assert_bounded(what: &str, make: impl Fn() -> Lazy, kind: ParseErrorKind, bound: usize) {
    for chunk in CHUNKS {
        let outcomes = [
            feed_response_decoder(make(), chunk, ParseOptions::stream()),
            feed_message_decoder(make(), chunk),
        ];
        for o in outcomes {
            let ctx = format!("{what}, chunk {chunk}: {o:?}");
            assert_eq!(o.error.kind(), kind, "{ctx}");
            assert!(o.fed <= (bound + chunk) as u64, "{ctx}: read too much");
            assert!(o.buffered <= bound + chunk, "{ctx}: buffered too much");
            assert!(o.scanned as u64 <= o.fed, "{ctx}: rescanned");
            // ... and the count is real: all but the unread end of the
            // last chunk was searched.
            assert!(o.scanned + chunk >= o.fed as usize, "{ctx}: work lost");
            assert!(o.error.offset() as u64 <= o.fed, "{ctx}: offset");
            assert_eq!(o.messages, 0, "{ctx}");
        }
    }
}

const STATUS: &[u8] = b"SIP/2.0 200 OK\r\n";

#[test]
fn endless_header_line_is_line_too_long() {
    // One row that never ends: 1 GiB of value bytes.
    let prefix = [STATUS, b"X-Endless: "].concat();
    let bound = prefix.len() + L.max_line;
    assert_bounded(
        "endless row",
        || Lazy::new(&prefix, b"a", GIB),
        LineTooLong,
        bound,
    );
}

#[test]
fn endless_header_name_is_line_too_long() {
    // A name that never ends. The name limit is checked when the row's line
    // ends (the colon may still come); before that the partial-line check
    // bounds it at `max_line`.
    assert_bounded(
        "endless name",
        || Lazy::new(STATUS, b"X", GIB),
        LineTooLong,
        STATUS.len() + L.max_line,
    );
    // A finished row with a long name is refused by the name limit.
    let row = [STATUS, &[b'N'; L.max_header_name + 1], b": v\r\n"].concat();
    assert_bounded(
        "long name",
        || Lazy::new(&row, b"a", GIB),
        HeaderNameTooLong,
        row.len(),
    );
}

#[test]
fn endless_header_section_is_head_too_large() {
    // 1 GiB of well-formed 4 KB rows: fewer than `max_headers` rows fit in
    // `max_head`, so the head limit fires first.
    let mut unit = b"X-Pad: ".to_vec();
    unit.resize(4000, b'p');
    unit.extend_from_slice(b"\r\n");
    assert!(
        L.max_head / unit.len() < L.max_headers,
        "rows must not run out first"
    );
    assert_bounded(
        "endless head",
        || Lazy::new(STATUS, &unit, GIB),
        HeadTooLarge,
        L.max_head,
    );
}

#[test]
fn endless_start_line_is_start_line_too_long() {
    assert_bounded(
        "endless reason phrase",
        || Lazy::new(b"SIP/2.0 200 ", b"r", GIB),
        StartLineTooLong,
        L.max_start_line,
    );
    // Keep-alives before it are skipped but do not reset the bound by much:
    // each CRLF is consumed as it comes.
    assert_bounded(
        "endless garbage",
        || Lazy::new(b"", b"\x00", GIB),
        StartLineTooLong,
        L.max_start_line,
    );
}

#[test]
fn a_hundred_thousand_tiny_headers_are_too_many_headers() {
    let unit = b"a: 1\r\n";
    let bound = STATUS.len() + (L.max_headers + 1) * unit.len();
    assert_bounded(
        "100 000 tiny headers",
        || Lazy::new(STATUS, unit, (STATUS.len() + 100_000 * unit.len()) as u64),
        TooManyHeaders,
        bound,
    );
}

#[test]
fn a_header_folded_a_million_times_is_too_many_continuations() {
    let prefix = [STATUS, b"X-Folded: a\r\n"].concat();
    let unit = b" b\r\n";
    let bound = prefix.len() + (L.max_continuations + 1) * unit.len();
    assert_bounded(
        "1 000 000 folds",
        || {
            Lazy::new(
                &prefix,
                unit,
                (prefix.len() + 1_000_000 * unit.len()) as u64,
            )
        },
        TooManyContinuations,
        bound,
    );
}

#[test]
fn a_huge_content_length_fails_before_the_body_is_buffered() {
    // 10 MB declared, and a body that would go on for 10 MB: the decoder
    // fails as soon as the head is complete, before buffering the body.
    let head = b"SIP/2.0 200 OK\r\nContent-Length: 10000000\r\n\r\n";
    assert_bounded(
        "10 MB body",
        || Lazy::new(head, b"b", head.len() as u64 + 10_000_000),
        MessageTooLarge,
        head.len(),
    );
    // The largest allowed message still frames.
    let head = format!("SIP/2.0 200 OK\r\nl: {}\r\n\r\n", L.max_message - 28);
    assert_eq!(head.len(), 28);
    let ok = Lazy::new(head.as_bytes(), b"b", L.max_message as u64);
    let mut dec = ResponseDecoder::default();
    let mut buf = BytesMut::new();
    let mut s = ok;
    let mut n = 0;
    while let Some(c) = s.next_chunk(4096) {
        buf.extend_from_slice(&c);
        if dec.decode_message(&mut buf).unwrap().is_some() {
            n += 1;
        }
    }
    assert_eq!(n, 1);
    // In a datagram the same declaration is only a truncated body.
    let r = parse_response(b"SIP/2.0 200 OK\r\nContent-Length: 10000000\r\n\r\nshort").unwrap();
    assert_eq!(r.deviations().body_truncated(), Some((10_000_000, 5)));
    assert_eq!(r.body(), b"short");
}

#[test]
fn a_via_with_a_hundred_thousand_values() {
    // One Via row with 100 000 values: LineTooLong. Via values are counted
    // when their row is complete (they are split on commas outside quotes,
    // so the whole row is needed), and the row reaches `max_line` long
    // before it could end.
    let prefix = [STATUS, b"Via: "].concat();
    let unit = b"SIP/2.0/UDP h;branch=z9hG4bK1, ";
    assert!(L.max_line / unit.len() > L.max_via_values);
    assert_bounded(
        "one Via row, 100 000 values",
        || Lazy::new(&prefix, unit, (prefix.len() + 100_000 * unit.len()) as u64),
        LineTooLong,
        prefix.len() + L.max_line,
    );
    // 100 000 Via rows of one value each: TooManyViaValues after
    // `max_via_values` rows, well before `max_headers`.
    let unit = b"v: SIP/2.0/UDP h\r\n";
    const { assert!(L.max_via_values < L.max_headers) };
    assert_bounded(
        "100 000 Via rows",
        || Lazy::new(STATUS, unit, (STATUS.len() + 100_000 * unit.len()) as u64),
        TooManyViaValues,
        STATUS.len() + (L.max_via_values + 2) * unit.len(),
    );
    // Values that fit in one row but exceed the count: TooManyViaValues.
    let mut row = b"Via: ".to_vec();
    for i in 0..=L.max_via_values {
        if i > 0 {
            row.extend_from_slice(b",");
        }
        row.extend_from_slice(b"SIP/2.0/UDP h");
    }
    row.extend_from_slice(b"\r\n");
    let prefix = [STATUS, &row].concat();
    assert_bounded(
        "71 values in one row",
        || Lazy::new(&prefix, b"a: 1\r\n", GIB),
        TooManyViaValues,
        prefix.len() + b"a: 1\r\n".len(),
    );
}

#[test]
fn an_unclosed_comment_runs_to_the_end_of_its_row() {
    // `(` never closed, followed by thousands of escaped `(` and commas.
    // The list splitter treats the unclosed comment like an unclosed quote
    // (the rest of the row is one element). It used to resume after the
    // `(` and restart a comment search at every later `(`: quadratic work
    // per row (the framing layer splits Via rows to count their values),
    // and every comma counted as a Via value.
    let mut msg = STATUS.to_vec();
    for _ in 0..7 {
        msg.extend_from_slice(b"Via: SIP/2.0/UDP h;x=(");
        for _ in 0..2500 {
            msg.extend_from_slice(b"\\(,");
        }
        msg.extend_from_slice(b"\r\n");
    }
    msg.extend_from_slice(b"l: 0\r\n\r\n");
    assert!(msg.len() < L.max_head);
    let r = parse_response(&msg).unwrap();
    let h = r.headers();
    assert_eq!(h.elements(sip_response::KnownHeader::Via).count(), 7);
    // The stream decoder frames it the same way.
    let mut buf = BytesMut::from(&msg[..]);
    let owned = ResponseDecoder::default()
        .decode_message(&mut buf)
        .unwrap()
        .unwrap();
    assert_eq!(owned.view(), r);
}

#[test]
fn after_many_good_messages_the_bounds_still_hold() {
    // A thousand well-formed responses, then an endless row: the decoder
    // yields every response and then fails within the same bound measured
    // from the start of the bad message.
    let good = b"SIP/2.0 100 Trying\r\nl: 0\r\n\r\n";
    let mut prefix = good.repeat(1000);
    let bad_start = prefix.len();
    prefix.extend_from_slice(STATUS);
    prefix.extend_from_slice(b"X: ");
    for chunk in CHUNKS {
        let o = feed_response_decoder(Lazy::new(&prefix, b"z", GIB), chunk, ParseOptions::stream());
        assert_eq!(o.messages, 1000);
        assert_eq!(o.error.kind(), LineTooLong);
        assert!(o.fed as usize <= bad_start + STATUS.len() + 3 + L.max_line + chunk);
        assert!(o.buffered <= STATUS.len() + 3 + L.max_line + chunk);
        assert!(o.scanned as u64 <= o.fed);
        assert!(o.error.offset() >= bad_start && o.error.offset() as u64 <= o.fed);
    }
}

#[test]
fn valid_messages_one_byte_at_a_time_scan_linearly() {
    // Long rows and many folds just under the limits, fed one byte at a
    // time: each byte is searched once.
    let mut msg = b"SIP/2.0 200 OK\r\n".to_vec();
    msg.extend_from_slice(b"X-Long: ");
    msg.resize(msg.len() + L.max_line - 10, b'x');
    msg.extend_from_slice(b"\r\nX-Folded: a");
    for _ in 0..L.max_continuations {
        msg.extend_from_slice(b"\r\n b");
    }
    msg.extend_from_slice(b"\r\n");
    for _ in 0..200 {
        msg.extend_from_slice(b"a: 1\r\n");
    }
    msg.extend_from_slice(b"Content-Length: 3\r\n\r\nabc");
    let wire = [&b"\r\n"[..], &msg, b"\r\n\r\n", &msg].concat();
    let mut dec = MessageDecoder::default();
    let mut buf = BytesMut::new();
    let mut n = 0;
    for (fed, b) in wire.iter().enumerate() {
        buf.extend_from_slice(&[*b]);
        while let Some(m) = dec.decode_message(&mut buf).unwrap() {
            assert_eq!(m.bytes()[..], msg[..]);
            n += 1;
        }
        assert!(dec.bytes_scanned() <= fed + 1);
    }
    assert_eq!(n, 2);
    assert!(dec.bytes_scanned() <= wire.len());
}

/// Content-Length tricks: the stream error kind each must give. In a
/// datagram the same message must frame, with the defect recorded.
#[test]
fn content_length_smuggling_is_refused_on_streams_and_recorded_in_datagrams() {
    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Recorded {
        Multiple,
        Syntax,
    }
    use Recorded::*;
    // (what, message, stream error kind, datagram deviation)
    let cases: &[(&str, &[u8], ParseErrorKind, Recorded)] = &[
        (
            "conflicting rows",
            b"SIP/2.0 200 OK\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nhello",
            ContentLengthMultiple,
            Multiple,
        ),
        (
            "equal rows",
            b"SIP/2.0 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
            ContentLengthMultiple,
            Multiple,
        ),
        (
            "l next to Content-Length",
            b"SIP/2.0 200 OK\r\nl: 0\r\nContent-Length: 5\r\n\r\nhello",
            ContentLengthMultiple,
            Multiple,
        ),
        (
            "compact forms in two cases",
            b"SIP/2.0 200 OK\r\nL: 5\r\nl: 0\r\n\r\nhello",
            ContentLengthMultiple,
            Multiple,
        ),
        (
            "plus sign",
            b"SIP/2.0 200 OK\r\nContent-Length: +5\r\n\r\nhello",
            ContentLengthSyntax,
            Syntax,
        ),
        (
            "minus sign",
            b"SIP/2.0 200 OK\r\nContent-Length: -5\r\n\r\nhello",
            ContentLengthSyntax,
            Syntax,
        ),
        (
            "hexadecimal",
            b"SIP/2.0 200 OK\r\nContent-Length: 0x10\r\n\r\n0123456789abcdef",
            ContentLengthSyntax,
            Syntax,
        ),
        (
            "space inside the digits",
            b"SIP/2.0 200 OK\r\nContent-Length: 1 0\r\n\r\n0123456789",
            ContentLengthSyntax,
            Syntax,
        ),
        (
            "tab inside the digits",
            b"SIP/2.0 200 OK\r\nContent-Length: 1\t0\r\n\r\n0123456789",
            ContentLengthSyntax,
            Syntax,
        ),
        (
            "fold inside the digits",
            b"SIP/2.0 200 OK\r\nContent-Length: 1\r\n 0\r\n\r\n0123456789",
            ContentLengthSyntax,
            Syntax,
        ),
        (
            "comma list",
            b"SIP/2.0 200 OK\r\nContent-Length: 5, 0\r\n\r\nhello",
            ContentLengthSyntax,
            Syntax,
        ),
        (
            "decimal point",
            b"SIP/2.0 200 OK\r\nContent-Length: 5.0\r\n\r\nhello",
            ContentLengthSyntax,
            Syntax,
        ),
        (
            "empty value",
            b"SIP/2.0 200 OK\r\nContent-Length:\r\n\r\nhello",
            ContentLengthSyntax,
            Syntax,
        ),
        (
            "overflow",
            b"SIP/2.0 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n",
            ContentLengthSyntax,
            Syntax,
        ),
        (
            "trailing garbage",
            b"SIP/2.0 200 OK\r\nContent-Length: 5x\r\n\r\nhello",
            ContentLengthSyntax,
            Syntax,
        ),
    ];
    for &(what, msg, kind, recorded) in cases {
        // Stream, one-shot.
        let e = ParseOptions::stream().parse_response(msg).unwrap_err();
        assert_eq!(e.kind(), kind, "{what}: one-shot stream");
        // Stream, decoder, whole and byte by byte, with a message before it.
        for chunk in [1, msg.len()] {
            let first = b"SIP/2.0 100 Trying\r\nl: 0\r\n\r\n";
            let o = feed_response_decoder(
                Lazy::new(&[&first[..], msg].concat(), b"\r\n", 1 << 20),
                chunk,
                ParseOptions::stream(),
            );
            assert_eq!(o.messages, 1, "{what}");
            assert_eq!(o.error.kind(), kind, "{what}: decoder, chunk {chunk}");
            assert_eq!(o.error.offset(), first.len() + e.offset(), "{what}");
        }
        // Datagram: frames, records the defect, has no Content-Length.
        let r = parse_response(msg).unwrap_or_else(|e| panic!("{what}: {e}"));
        let d = r.deviations();
        assert_eq!(r.content_length(), None, "{what}");
        match recorded {
            Multiple => assert!(d.content_length_multiple().is_some(), "{what}"),
            Syntax => assert!(d.content_length_syntax().is_some(), "{what}"),
        }
    }
}

#[test]
fn content_length_forms_that_are_fine() {
    // Leading zeros are decimal (never octal); LWS around the value, before
    // the colon, and a fold before the digits are all allowed (RFC 3261
    // §7.3.1, §20.14: `Content-Length HCOLON 1*DIGIT`).
    let cases: &[(&[u8], &[u8])] = &[
        (
            b"SIP/2.0 200 OK\r\nContent-Length: 010\r\n\r\n0123456789",
            b"0123456789",
        ),
        (b"SIP/2.0 200 OK\r\nContent-Length: 0000\r\n\r\n", b""),
        (b"SIP/2.0 200 OK\r\nContent-Length :\t3 \r\n\r\nabc", b"abc"),
        (
            b"SIP/2.0 200 OK\r\ncontent-length:\r\n 3\r\n\r\nabc",
            b"abc",
        ),
        (b"SIP/2.0 200 OK\r\nL:3\r\n\r\nabc", b"abc"),
    ];
    for &(msg, body) in cases {
        let name = String::from_utf8_lossy(msg);
        let r = ParseOptions::stream().parse_response(msg).unwrap();
        assert_eq!(r.body(), body, "{name}");
        assert_eq!(r.content_length(), Some(body.len() as u64), "{name}");
        let d = parse_response(msg).unwrap();
        assert_eq!(d.body(), body, "{name}");
        assert!(d.deviations().content_length_syntax().is_none(), "{name}");
    }
}

#[test]
fn deeply_nested_retry_after_comments_fail_without_recursion() {
    use sip_response::header::typed::RetryAfter;
    use sip_response::header::TypedHeader;
    use sip_response::HeaderValueErrorKind::BadComment;
    // RFC 3261 §25.1 `comment` nests without bound; the crate bounds the
    // depth at 8 and scans iteratively, so a million levels neither
    // overflow the stack nor take more than one pass.
    const BASE: usize = 1000;
    for depth in [9, 100, 1_000_000] {
        let value = [&b"120 "[..], &b"(".repeat(depth), &b")".repeat(depth)].concat();
        let e = RetryAfter::parse(&value, BASE).unwrap_err();
        // Located at the ninth `(`, the first one too deep.
        assert_eq!(
            (e.kind(), e.offset()),
            (BadComment, BASE + 4 + 8),
            "{depth}"
        );
    }
    let ok = [&b"120 "[..], &b"(".repeat(8), b"x", &b")".repeat(8)].concat();
    let r = RetryAfter::parse(&ok, BASE).unwrap();
    assert_eq!(r.comment_span().map(|s| s.len()), Some(8 + 8 - 1));
    // Unclosed: located at the opening parenthesis.
    let e = RetryAfter::parse(b"120 ((x)", BASE).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (BadComment, BASE + 4));

    // In a message: the row (within `max_line`) frames, and the typed value
    // fails locally, leaving the message usable.
    let deep = 4_000;
    let mut msg = b"SIP/2.0 503 Service Unavailable\r\nRetry-After: 120 ".to_vec();
    let value_start = msg.len() - 4;
    msg.extend_from_slice(&b"(".repeat(deep));
    msg.extend_from_slice(&b")".repeat(deep));
    msg.extend_from_slice(b"\r\nContent-Length: 0\r\n\r\n");
    let r = parse_response(&msg).unwrap();
    let e = r.headers().typed::<RetryAfter<'_>>().unwrap().unwrap_err();
    assert_eq!((e.kind(), e.offset()), (BadComment, value_start + 4 + 8));
    assert_eq!(r.content_length(), Some(0));
}

/// Decodes `wire` in `chunk`-byte pieces: the number of messages, or the
/// first error's kind.
fn decode_in_pieces(
    opts: ParseOptions,
    wire: &[u8],
    chunk: usize,
) -> Result<usize, ParseErrorKind> {
    let mut dec = MessageDecoder::new(opts);
    let mut buf = BytesMut::new();
    let mut n = 0;
    for piece in wire.chunks(chunk) {
        buf.extend_from_slice(piece);
        while let Some(_m) = dec.decode_message(&mut buf).map_err(|e| e.kind())? {
            n += 1;
        }
    }
    Ok(n)
}

#[test]
fn limits_do_not_depend_on_where_the_stream_is_cut() {
    // Found by the `decoder_split` fuzz target: a line exactly at its limit
    // was refused when its CR had arrived and its LF had not (the partial
    // check counted the CR), and a continuation line's leading white space
    // counted in full before the line was complete but as one SP after.
    let tight = Limits {
        max_start_line: 32,
        max_line: 40,
        ..Limits::DEFAULT
    };
    let opts = ParseOptions::stream().with_limits(tight);
    let start = |n: usize| format!("SIP/2.0 200 {}\r\nl: 0\r\n\r\n", "r".repeat(n - 12));
    let row = |n: usize| format!("SIP/2.0 200 OK\r\nX: {}\r\nl: 0\r\n\r\n", "v".repeat(n - 3));
    // Unfolded: "X: a" + one SP + the content: 5 + n bytes.
    let fold = |lead: usize, n: usize| {
        format!(
            "SIP/2.0 200 OK\r\nX: a\r\n{}{}\r\nl: 0\r\n\r\n",
            "\t".repeat(lead),
            "b".repeat(n)
        )
    };
    // A fold right after the start line is bounded like any line.
    let start_fold = |n: usize| format!("SIP/2.0 200 OK\r\n {}\r\nl: 0\r\n\r\n", "s".repeat(n - 1));
    let cases: Vec<(String, Result<usize, ParseErrorKind>)> = vec![
        (start(32), Ok(1)),
        (start(33), Err(StartLineTooLong)),
        (row(40), Ok(1)),
        (row(41), Err(LineTooLong)),
        (fold(200, 35), Ok(1)),
        (fold(200, 36), Err(LineTooLong)),
        (start_fold(40), Ok(1)),
        (start_fold(41), Err(LineTooLong)),
        // A row's own checks come before any check of the next line, even
        // while that line is incomplete (found by `decoder_split`: the
        // partial next line used to hit LineTooLong first).
        (
            format!(
                "SIP/2.0 200 OK\r\nl: 0\r\nl: 0\r\n{}\r\n\r\n",
                "c".repeat(60)
            ),
            Err(ContentLengthMultiple),
        ),
        (
            format!("SIP/2.0 200 OK\r\nl: +0\r\n{}\r\n\r\n", "c".repeat(60)),
            Err(ContentLengthSyntax),
        ),
    ];
    for (wire, want) in cases {
        let name = wire.escape_debug().to_string();
        let one_shot = opts
            .parse_message(wire.as_bytes())
            .map(|_| 1)
            .map_err(|e| e.kind());
        assert_eq!(one_shot, want, "{name}: one-shot");
        for chunk in [1, 2, 3, 7, wire.len()] {
            assert_eq!(
                decode_in_pieces(opts, wire.as_bytes(), chunk),
                want,
                "{name}: chunk {chunk}"
            );
        }
    }
}

#[test]
fn endless_white_space_continuation_is_head_too_large() {
    // Leading white space of a continuation unfolds to one SP, so the line
    // limit never fires; the head limit does.
    let prefix = [STATUS, b"X: a\r\n"].concat();
    assert_bounded(
        "endless fold white space",
        || Lazy::new(&prefix, b" \t", GIB),
        HeadTooLarge,
        L.max_head,
    );
}

#[test]
fn a_datagram_whose_head_ends_in_a_lone_cr_is_recorded() {
    // Found by the `parse_response` fuzz target: the datagram ends with
    // CR where the head's closing CRLF should be. It frames (the datagram
    // bounds the message) but the missing LF is recorded, and a stream,
    // which must wait for that LF, agrees that the message is incomplete.
    let msg = b"SIP/2.0 200 OK\r\nl: 0\r\n\r";
    let r = parse_response(msg).unwrap();
    assert_eq!(
        r.deviations().head_unterminated(),
        Some(sip_response::Span::empty(msg.len()))
    );
    assert_eq!(r.body(), b"");
    assert_eq!(
        ParseOptions::stream()
            .parse_response(msg)
            .unwrap_err()
            .kind(),
        Truncated
    );
    // With the LF, nothing is recorded.
    let r = parse_response(b"SIP/2.0 200 OK\r\nl: 0\r\n\r\n").unwrap();
    assert_eq!(r.deviations().head_unterminated(), None);
}

/// Feeds `wire` to a decoder one byte at a time and, beside it, to a second
/// decoder that gets each prefix from scratch in one call (no earlier call
/// whose work the quick "more bytes needed" path could reuse). After every
/// byte both must agree on the outcome (message, more, or the same error
/// at the same offset) and on how many bytes the line search has examined.
fn byte_by_byte_matches_fresh_decoders(opts: ParseOptions, wire: &[u8]) {
    let mut dec = MessageDecoder::new(opts);
    let mut buf = BytesMut::new();
    for n in 1..=wire.len() {
        buf.extend_from_slice(&wire[n - 1..n]);
        let got = dec.decode_message(&mut buf).map(|m| m.is_some());
        let mut fresh = MessageDecoder::new(opts);
        let mut fresh_buf = BytesMut::from(&wire[..n]);
        let want = fresh.decode_message(&mut fresh_buf).map(|m| m.is_some());
        let name = String::from_utf8_lossy(&wire[..n])
            .escape_debug()
            .to_string();
        match (&got, &want) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{name}"),
            (Err(a), Err(b)) => {
                assert_eq!((a.kind(), a.offset()), (b.kind(), b.offset()), "{name}");
            }
            _ => panic!("{name}: byte by byte {got:?}, whole prefix {want:?}"),
        }
        if got.is_err() || got == Ok(true) {
            return;
        }
        assert_eq!(dec.bytes_scanned(), fresh.bytes_scanned(), "{name}");
    }
}

#[test]
fn one_byte_at_a_time_agrees_with_whole_prefixes() {
    // Tight limits, so that the partial-line checks the quick path skips
    // (line, start line, head) are reached while bytes still trickle in.
    let tight = Limits {
        max_start_line: 32,
        max_line: 40,
        max_head: 120,
        ..Limits::DEFAULT
    };
    let ok = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nl: 0\r\n\r\n";
    let cases = [
        ok.to_string(),
        format!("SIP/2.0 200 {}\r\nl: 0\r\n\r\n", "r".repeat(30)),
        format!("SIP/2.0 200 OK\r\nX: {}\r\nl: 0\r\n\r\n", "v".repeat(45)),
        format!(
            "SIP/2.0 200 OK\r\nX: a\r\n{}{}\r\nl: 0\r\n\r\n",
            "\t".repeat(50),
            "b".repeat(40)
        ),
        format!(
            "SIP/2.0 200 OK\r\nl: 0\r\nl: 0\r\n{}\r\n\r\n",
            "c".repeat(60)
        ),
        format!(
            "SIP/2.0 200 OK\r\nv: SIP/2.0/UDP a, SIP/2.0/UDP b\r\n{}\r\n",
            "x".repeat(150)
        ),
        "SIP/2.0 200 OK\r\nl: 3\r\n\r\nabc".to_string(),
    ];
    for opts in [
        ParseOptions::stream(),
        ParseOptions::stream().with_limits(tight),
    ] {
        for wire in &cases {
            byte_by_byte_matches_fresh_decoders(opts, wire.as_bytes());
        }
    }
}
