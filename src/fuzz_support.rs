//! Fuzz-target bodies, shared by the cargo-fuzz crate (`fuzz/`) and the
//! stable replay test (`tests/fuzz_replay.rs`).
//!
//! Not part of the public API (hidden, no stability promise). Each function
//! takes arbitrary bytes, runs one part of the library over them and
//! asserts invariants, panicking with a description when one breaks, so a
//! fuzzer finds wrong answers and not only crashes:
//!
//! - every span a parsed value hands out lies in the buffer (or, for a typed
//!   header value, in the value's own region), and the slice an accessor
//!   returns equals the bytes at its span;
//! - every error offset lies within the input;
//! - the stream decoder, however the stream is cut, yields the same messages
//!   and the same error as one-shot parses of the same stream;
//! - a response re-rendered from its parsed fields parses back to the same
//!   fields, and rendering is then stable.
//!
//! These functions allocate freely (they are test harness code, never on a
//! parse path).

use bytes::BytesMut;

use crate::error::HeaderValueError;
use crate::grammar::Part;
use crate::header::typed::{
    Accept, AcceptEncoding, AcceptLanguage, Allow, AllowEvents, CSeq, CallId, Contact,
    ContentLength, ContentType, Date, Expires, FromHeader, Host, HostPort, MaxForwards, MinExpires,
    MinSe, NameAddr, ProxyAuthenticate, ProxyRequire, RSeq, Reason, RecordRoute, Require,
    RetryAfter, Route, SecurityServer, SessionExpires, SipEtag, Supported, ToHeader, TypedHeader,
    Unsupported, Uri, UriParams, Via, Warning, WwwAuthenticate,
};
use crate::header::typed::{
    CSeqLax, CallInfo, ChallengeLax, ContentEncoding, ContentTypeLax, LaxHeader, LaxReading,
    NameAddrLax, SessionExpiresLax, Timestamp, ValueLax, ViaLax,
};
use crate::header::{Headers, KnownHeader, Params};
use crate::{
    parse_message as one_shot_message, parse_response as one_shot_response, Deviations, Limits,
    Message, MessageDecoder, OwnedResponse, ParseError, ParseErrorKind, ParseOptions, Progress,
    Response, ResponseDecoder, Span,
};

/// Panics unless `s` is a well-formed span within `0..len`.
fn in_bounds(what: &str, s: Span, len: usize) {
    assert!(
        s.start <= s.end && s.end <= len,
        "{what}: span {s} outside 0..{len}"
    );
}

/// Panics unless `s` is in bounds and `got` equals `buf[s]`.
fn same_bytes(what: &str, buf: &[u8], s: Span, got: &[u8]) {
    in_bounds(what, s, buf.len());
    assert!(
        &buf[s.range()] == got,
        "{what}: accessor bytes differ from the bytes at {s}"
    );
}

/// Panics unless `e` points into the input (`offset <= len`).
fn error_in_bounds(what: &str, e: &ParseError, len: usize) {
    assert!(
        e.offset() <= len,
        "{what}: error {e} beyond the input ({len} bytes)"
    );
}

/// Every span of the deviations record lies in the buffer.
fn check_deviations(d: &Deviations, len: usize) {
    let spans = [
        ("bare_lf", d.bare_lf()),
        ("start_line_folded", d.start_line_folded()),
        ("first_malformed", d.first_malformed()),
        ("head_unterminated", d.head_unterminated()),
        ("content_length_syntax", d.content_length_syntax()),
        ("content_length_multiple", d.content_length_multiple()),
        ("trailing_octets", d.trailing_octets()),
    ];
    for (what, s) in spans {
        if let Some(s) = s {
            in_bounds(what, s, len);
        }
    }
    assert_eq!(
        d.malformed_lines() > 0,
        d.first_malformed().is_some(),
        "malformed_lines vs first_malformed"
    );
    assert_eq!(
        d.bare_lf_count() > 0,
        d.bare_lf().is_some(),
        "bare_lf_count vs bare_lf"
    );
}

/// Checks the header section: spans, slices, the index against a walk.
fn check_headers(buf: &[u8], h: &Headers<'_>, msg: Span) {
    let hs = h.span();
    in_bounds("headers", hs, buf.len());
    assert!(
        msg.start <= hs.start && hs.end <= msg.end,
        "headers {hs} outside message {msg}"
    );
    let mut rows = 0;
    let mut prev_end = None;
    for row in h.iter() {
        rows += 1;
        if let Some(p) = prev_end {
            assert!(row.span().start > p, "rows overlap or go backwards");
        }
        prev_end = Some(row.span().end);
        for (what, s) in [
            ("row", row.span()),
            ("name", row.name_span()),
            ("value", row.value_span()),
        ] {
            in_bounds(what, s, buf.len());
            assert!(
                hs.start <= s.start && s.end <= hs.end,
                "{what} {s} outside headers {hs}"
            );
        }
        same_bytes("name", buf, row.name_span(), row.name_bytes());
        same_bytes("value", buf, row.value_span(), row.value());
        let v = row.value();
        assert!(
            !v.first().is_some_and(|&b| crate::lex::is_lws(b))
                && !v.last().is_some_and(|&b| crate::lex::is_lws(b)),
            "value not trimmed of LWS"
        );
        assert_eq!(
            crate::HeaderName::from_bytes(row.name_bytes()),
            Some(row.name()),
            "name() vs name bytes"
        );
        let unfolded = row.unfolded();
        assert!(unfolded.len() <= row.value().len(), "unfolding grew");
        assert_eq!(
            row.is_folded(),
            matches!(unfolded, std::borrow::Cow::Owned(_)),
            "is_folded vs unfolded"
        );
        let vs = row.value_span();
        let mut prev = None;
        for e in row.elements() {
            if let Some(p) = prev {
                assert!(e.span.start > p, "elements overlap or go backwards");
            }
            prev = Some(e.span.end);
            same_bytes("element", buf, e.span, e.bytes);
            assert!(
                vs.start <= e.span.start && e.span.end <= vs.end,
                "element {} outside value {vs}",
                e.span
            );
        }
    }
    assert!(rows <= h.len(), "{rows} rows walked, {} counted", h.len());
    // The index against one walk: counts and first rows of every known header.
    let mut counts = [0usize; KnownHeader::COUNT];
    let mut first = [None; KnownHeader::COUNT];
    for r in h.iter() {
        if let Some(k) = r.known() {
            counts[k.index()] += 1;
            first[k.index()].get_or_insert(r.span());
        }
    }
    for &k in KnownHeader::ALL {
        let n = counts[k.index()];
        assert_eq!(h.count(k), n, "index count of {k}");
        assert_eq!(h.contains(k), n > 0, "contains({k})");
        assert_eq!(h.get(k).map(|r| r.span()), first[k.index()], "get({k})");
        if n > 0 {
            assert_eq!(h.get_all(k).count(), n, "get_all({k})");
        }
    }
    for s in h.malformed() {
        in_bounds("malformed", s, buf.len());
    }
}

/// Checks every span and slice of a parsed message against `buf`.
pub fn check_message(buf: &[u8], m: &Message<'_>) {
    let msg = m.span();
    in_bounds("message", msg, buf.len());
    check_headers(buf, m.headers(), msg);
    match m {
        Message::Response(r) => check_response(buf, r),
        Message::Request(r) => {
            same_bytes("message", buf, msg, r.as_bytes());
            same_bytes("method", buf, r.method_span(), r.method());
            same_bytes("uri", buf, r.uri_span(), r.uri());
            same_bytes("body", buf, r.body_span(), r.body());
            check_deviations(r.deviations(), buf.len());
            if let Some(s) = r.request_line_odd_ws() {
                in_bounds("request_line_odd_ws", s, buf.len());
            }
            if let Some(s) = r.find_bare_cr() {
                same_bytes("bare cr", buf, s, b"\r");
            }
        }
    }
}

/// Checks every span and slice of a parsed response against `buf`.
pub fn check_response(buf: &[u8], r: &Response<'_>) {
    let msg = r.span();
    same_bytes("message", buf, msg, r.as_bytes());
    assert!(r.source() == buf, "source() is not the parsed buffer");
    same_bytes("version", buf, r.version_span(), r.version());
    same_bytes("reason", buf, r.reason_span(), r.reason());
    same_bytes("body", buf, r.body_span(), r.body());
    let line = r.status_line_span();
    in_bounds("status line", line, buf.len());
    assert_eq!(line, r.start_line_span(), "status vs start line span");
    for (what, s) in [
        ("version", r.version_span()),
        ("code", r.code_span()),
        ("reason", r.reason_span()),
    ] {
        assert!(
            line.start <= s.start && s.end <= line.end,
            "{what} {s} outside the status line {line}"
        );
    }
    let code = &buf[r.code_span().range()];
    assert_eq!(code.len(), 3, "code span is not 3 bytes");
    assert_eq!(
        crate::StatusCode::from_digits(code),
        Some(r.status()),
        "status() differs from the code digits"
    );
    assert!(
        msg.start <= line.start && r.body_span().end == msg.end,
        "body does not end the message"
    );
    assert!(
        r.head_span().end <= r.body_span().start,
        "head overlaps the body"
    );
    // The validator skips the walk of `header-line-malformed` when the
    // scanner counted no malformed row (`validate/facts.rs`): the two
    // definitions of a malformed row must agree.
    assert_eq!(
        r.deviations().malformed_lines() as usize,
        r.headers().malformed().count(),
        "scanner's malformed-row count differs from the row walk"
    );
    if let Some(n) = r.content_length() {
        if r.deviations().body_truncated().is_none() {
            assert_eq!(n, r.body().len() as u64, "content_length vs body");
        }
    }
    for s in [r.status_line_leading_ws(), r.status_line_odd_ws()]
        .into_iter()
        .flatten()
    {
        in_bounds("status line ws", s, buf.len());
    }
    if let Some(s) = r.find_bare_cr() {
        same_bytes("bare cr", buf, s, b"\r");
    }
    check_deviations(r.deviations(), buf.len());
}

/// Tight limits, so that inputs of a few hundred bytes reach every limit
/// (the defaults need tens of kilobytes).
pub const TIGHT: Limits = Limits {
    max_message: 512,
    max_head: 256,
    max_headers: 8,
    max_line: 64,
    max_continuations: 3,
    max_header_name: 16,
    max_start_line: 48,
    max_via_values: 4,
};

/// Target `parse_response`: the one-shot entry points (datagram, stream,
/// partial, owned) over `data`, which must agree with each other; once
/// with the default limits and once with [`TIGHT`] ones.
pub fn parse_response(data: &[u8]) {
    response_entry_points(data, Limits::DEFAULT);
    response_entry_points(data, TIGHT);
}

fn response_entry_points(data: &[u8], limits: Limits) {
    let dgram_opts = ParseOptions::datagram().with_limits(limits);
    let stream_opts = ParseOptions::stream().with_limits(limits);
    let _ = crate::framing::check_whole_head(data, &dgram_opts);
    let _ = crate::framing::check_whole_head(data, &stream_opts);
    let datagram = dgram_opts.parse_response(data);
    match &datagram {
        Ok(r) => {
            check_response(data, r);
            let owned = OwnedResponse::parse_with(bytes::Bytes::copy_from_slice(data), &dgram_opts)
                .expect("OwnedResponse::parse fails where parse_response succeeds");
            let view = owned.view();
            check_response(owned.bytes(), &view);
            assert_eq!(&view, r, "owned view differs from the borrowed parse");
            let again = r.to_owned_response();
            assert_eq!(&again.view(), r, "to_owned_response differs");
        }
        Err(e) => {
            error_in_bounds("datagram", e, data.len());
            assert!(
                OwnedResponse::parse_with(bytes::Bytes::copy_from_slice(data), &dgram_opts)
                    .is_err()
            );
        }
    }
    if limits == Limits::DEFAULT {
        assert_eq!(
            datagram,
            one_shot_response(data),
            "parse_response() options"
        );
    }
    let stream = stream_opts.parse_response(data);
    match &stream {
        Ok(r) => check_response(data, r),
        Err(e) => error_in_bounds("stream", e, data.len()),
    }
    let partial = crate::parse_response_partial(data, &stream_opts);
    match (&partial, &stream) {
        (Ok(Progress::Complete { msg, consumed }), Ok(r)) => {
            check_response(data, msg);
            assert_eq!(msg, r, "partial and one-shot stream parses differ");
            assert_eq!(*consumed, msg.span().end, "consumed vs message end");
        }
        (Ok(Progress::Incomplete { needed }), Err(e)) => {
            // "Need more" on a stream; one-shot, the input ended inside the
            // message, or there was none (only keep-alives, or nothing).
            // A head cut short leaves the rest unknown; a body cut short
            // is what the framing can count (but says nothing when one
            // byte is missing: see below).
            match e.kind() {
                ParseErrorKind::Truncated | ParseErrorKind::Empty => {
                    assert!(needed.is_none(), "head cut short, yet {needed:?}")
                }
                ParseErrorKind::BodyTruncated => {}
                _ => panic!("incomplete vs {e}"),
            }
            if let Some(n) = needed {
                assert!(n.get() > 1, "needed must say more than 1 byte when known");
            }
        }
        (Err(p), Err(s)) => {
            error_in_bounds("partial", p, data.len());
            assert_eq!(p, s, "partial and one-shot stream errors differ");
        }
        (p, s) => panic!("partial parse {p:?} vs one-shot stream parse {s:?}"),
    }
    datagram_vs_stream(data, limits, datagram.as_ref().ok(), stream.as_ref().ok());
}

/// The rows of a head as (name, value) pairs, for comparing two parses.
fn rows(r: &Response<'_>) -> Vec<(Vec<u8>, Vec<u8>)> {
    r.headers()
        .iter()
        .map(|h| (h.name_bytes().to_vec(), h.value().to_vec()))
        .collect()
}

/// Datagram and stream framing agree wherever both apply: a message the
/// stream frames is, cut at its end, the same datagram; and a datagram whose
/// head is terminated and whose single valid Content-Length fits frames on a
/// stream to the same message.
fn datagram_vs_stream(
    data: &[u8],
    limits: Limits,
    datagram: Option<&Response<'_>>,
    stream: Option<&Response<'_>>,
) {
    if let Some(s) = stream {
        let cut = &data[..s.span().end];
        let d = ParseOptions::datagram()
            .with_limits(limits)
            .parse_response(cut)
            .unwrap_or_else(|e| panic!("stream-framed message fails as a datagram: {e}"));
        assert_eq!(d.span(), s.span(), "datagram vs stream span");
        assert_eq!(d.body(), s.body(), "datagram vs stream body");
        assert_eq!(rows(&d), rows(s), "datagram vs stream rows");
        assert_eq!(d.content_length(), s.content_length());
        assert!(d.deviations().trailing_octets().is_none());
    }
    if let Some(d) = datagram {
        let dv = d.deviations();
        let clean = dv.head_unterminated().is_none()
            && dv.body_truncated().is_none()
            && d.content_length().is_some();
        if clean {
            let s = stream.unwrap_or_else(|| {
                panic!(
                    "datagram with a valid Content-Length fails on a stream: {:?}",
                    ParseOptions::stream()
                        .with_limits(limits)
                        .parse_response(data)
                )
            });
            assert_eq!(s.span(), d.span(), "stream vs datagram span");
            assert_eq!(s.body(), d.body(), "stream vs datagram body");
        }
    }
}

/// Target `parse_message`: requests and responses, datagram and stream.
pub fn parse_message(data: &[u8]) {
    let tight_d = ParseOptions::datagram().with_limits(TIGHT);
    let tight_s = ParseOptions::stream().with_limits(TIGHT);
    for opts in [
        ParseOptions::datagram(),
        ParseOptions::stream(),
        tight_d,
        tight_s,
    ] {
        match opts.parse_message(data) {
            Ok(m) => {
                check_message(data, &m);
                let as_response = opts.parse_response(data);
                match (&m, as_response) {
                    (Message::Response(a), Ok(b)) => assert_eq!(a, &b),
                    (Message::Request(q), Err(e)) => {
                        assert_eq!(e.kind(), ParseErrorKind::NotAResponse);
                        assert_eq!(e.offset(), q.start_line_span().start);
                    }
                    (m, r) => panic!("parse_message {m:?} vs parse_response {r:?}"),
                }
            }
            Err(e) => {
                error_in_bounds("parse_message", &e, data.len());
                assert_eq!(
                    opts.parse_response(data),
                    Err(e),
                    "message vs response error"
                );
            }
        }
        if let Ok(Progress::Complete { msg, consumed }) = opts.parse_message_partial(data) {
            assert!(consumed <= data.len());
            check_message(data, &msg);
        }
    }
}

/// Limit kinds: which one fires first may depend on how much of a line has
/// arrived, so a split stream may report another one than a one-shot parse.
fn is_limit(kind: ParseErrorKind) -> bool {
    use ParseErrorKind::*;
    matches!(
        kind,
        StartLineTooLong
            | HeadTooLarge
            | MessageTooLarge
            | TooManyHeaders
            | LineTooLong
            | TooManyContinuations
            | HeaderNameTooLong
            | TooManyViaValues
    )
}

/// What reading a whole stream produced: each message's bytes, then the
/// error that stopped it (if any).
type StreamOutcome = (Vec<Vec<u8>>, Option<ParseError>);

/// The reference: one-shot partial parses, one after the other.
fn reference_stream(wire: &[u8], opts: &ParseOptions) -> StreamOutcome {
    let mut msgs = Vec::new();
    let mut pos = 0;
    loop {
        let rest = &wire[pos..];
        match opts.parse_message_partial(rest) {
            Ok(Progress::Complete { msg, consumed }) => {
                check_message(rest, &msg);
                assert!(consumed > 0 && consumed <= rest.len());
                msgs.push(rest[msg.span().range()].to_vec());
                pos += consumed;
            }
            Ok(Progress::Incomplete { .. }) => return (msgs, None),
            Err(e) => return (msgs, Some(e.shifted(pos))),
        }
    }
}

/// Target `decoder_split`. Input format: byte 0 = flags (bit 7: use the
/// `stream_missing_length_is_zero` leniency; bit 6: [`TIGHT`] limits; low
/// 4 bits: number of cut
/// lengths `n`), then `n` bytes each giving a cut length (`1 + b`), then the
/// stream. The stream is fed to a [`MessageDecoder`] and a
/// [`ResponseDecoder`] in pieces of those lengths (cycling), and the result
/// must equal one-shot parses of the whole stream.
pub fn decoder_split(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let n = usize::from(flags & 0x0f).min(rest.len());
    let (cuts, wire) = rest.split_at(n);
    let cuts: Vec<usize> = if cuts.is_empty() {
        vec![wire.len().max(1)]
    } else {
        cuts.iter().map(|&b| usize::from(b) + 1).collect()
    };
    let limits = if flags & 0x40 != 0 {
        TIGHT
    } else {
        Limits::DEFAULT
    };
    let opts = ParseOptions::stream()
        .with_limits(limits)
        .stream_missing_length_is_zero(flags & 0x80 != 0);
    let (want, want_err) = reference_stream(wire, &opts);

    let mut dec = MessageDecoder::new(opts);
    let mut rdec = ResponseDecoder::new(opts);
    let mut buf = BytesMut::new();
    let mut rbuf = BytesMut::new();
    let mut got = Vec::new();
    let mut got_err = None;
    let mut rgot: Vec<Vec<u8>> = Vec::new();
    let mut rerr: Option<ParseError> = None;
    let (mut pos, mut k) = (0, 0);
    while pos < wire.len() && got_err.is_none() {
        let step = cuts[k % cuts.len()].min(wire.len() - pos);
        k += 1;
        buf.extend_from_slice(&wire[pos..pos + step]);
        if rerr.is_none() {
            rbuf.extend_from_slice(&wire[pos..pos + step]);
        }
        pos += step;
        loop {
            match dec.decode_message(&mut buf) {
                Ok(Some(m)) => {
                    let view = m.view();
                    check_message(m.bytes(), &view);
                    assert_eq!(view.span().start, 0, "decoded message does not start at 0");
                    // The owned message equals a one-shot parse of its bytes.
                    let again = opts
                        .parse_message(m.bytes())
                        .expect("a decoded message does not parse one-shot");
                    assert_eq!(again, view, "decoded vs one-shot view");
                    assert_eq!(m.is_response(), view.is_response());
                    got.push(m.bytes().to_vec());
                }
                Ok(None) => break,
                Err(e) => {
                    assert!(
                        e.offset() <= pos,
                        "decoder error {e} beyond {pos} bytes fed"
                    );
                    got_err = Some(e);
                    break;
                }
            }
        }
        assert!(
            dec.bytes_scanned() <= pos,
            "decoder scanned {} bytes of {pos} fed",
            dec.bytes_scanned()
        );
        if got_err.is_none() {
            assert_eq!(
                dec.stream_offset() + buf.len(),
                pos,
                "stream_offset + buffered != fed"
            );
        }
        while rerr.is_none() {
            match rdec.decode_message(&mut rbuf) {
                Ok(Some(r)) => {
                    check_response(r.bytes(), &r.view());
                    rgot.push(r.bytes().to_vec());
                }
                Ok(None) => break,
                Err(e) => rerr = Some(e),
            }
        }
        assert!(rdec.bytes_scanned() <= pos);
    }
    if got_err.is_none() {
        end_of_stream(&mut dec, &mut buf, &opts);
    }
    assert_eq!(got, want, "split stream vs one-shot messages");
    match (got_err, want_err) {
        (None, None) => {}
        (Some(g), Some(w)) => {
            if is_limit(g.kind()) && is_limit(w.kind()) {
                assert!(g.offset() <= wire.len() && w.offset() <= wire.len());
            } else {
                assert_eq!(g, w, "split stream vs one-shot error");
            }
        }
        (g, w) => panic!("split stream error {g:?} vs one-shot {w:?}"),
    }
    // The response decoder sees the same responses until the first request.
    let first_request = want.len().min(rgot.len());
    assert_eq!(
        rgot[..first_request],
        got[..first_request],
        "response decoder vs message decoder"
    );
    if let Some(e) = rerr {
        assert!(e.offset() <= wire.len());
    }
}

/// `decode_eof` on what a stream left in `buf` after its last message: a
/// clean end exactly when only line ends are left; otherwise a cut message
/// at the stream's end, `BodyTruncated` only when a one-shot parse of what
/// is left (past leading line ends) says so too; then a clean end.
fn end_of_stream(dec: &mut MessageDecoder, buf: &mut BytesMut, opts: &ParseOptions) {
    let rest = buf.to_vec();
    let start = dec.stream_offset();
    let line_ends = rest.iter().all(|&b| b == b'\r' || b == b'\n');
    match dec.decode_eof(buf) {
        Ok(Some(_)) => panic!("decode_eof took a message decode_message left"),
        Ok(None) => assert!(line_ends, "clean end with {rest:?} left"),
        Err(e) => {
            assert!(!line_ends, "{e} with only line ends left");
            assert_eq!(e.offset(), start + rest.len(), "decode_eof offset");
            match e.kind() {
                ParseErrorKind::Truncated => {}
                ParseErrorKind::BodyTruncated => {
                    let from = rest
                        .iter()
                        .take_while(|&&b| b == b'\r' || b == b'\n')
                        .count();
                    let one_shot = opts.parse_message(&rest[from..]).map(|_| ());
                    assert!(
                        matches!(one_shot, Err(ref p) if p.kind() == ParseErrorKind::BodyTruncated),
                        "decode_eof BodyTruncated, one-shot {one_shot:?}"
                    );
                }
                k => panic!("decode_eof {k:?}"),
            }
        }
    }
    assert!(buf.is_empty(), "decode_eof left bytes");
    assert!(
        matches!(dec.decode_eof(buf), Ok(None)),
        "decode_eof after the end"
    );
}

/// The region a typed value was parsed from: every span and error offset it
/// reports must fall in `base..base + value.len()`.
struct Region<'v> {
    value: &'v [u8],
    base: usize,
}

impl Region<'_> {
    fn span(&self, what: &str, s: Span) {
        let end = self.base + self.value.len();
        assert!(
            s.start <= s.end && self.base <= s.start && s.end <= end,
            "{what}: span {s} outside the value {}..{end}",
            self.base
        );
    }

    fn bytes(&self, what: &str, s: Span, got: &[u8]) {
        self.span(what, s);
        let rel = s.start - self.base..s.end - self.base;
        assert!(
            &self.value[rel] == got,
            "{what}: accessor bytes differ from the bytes at {s}"
        );
    }

    fn error(&self, e: &HeaderValueError) {
        let end = self.base + self.value.len();
        assert!(
            self.base <= e.offset() && e.offset() <= end,
            "error {e} outside the value {}..{end}",
            self.base
        );
    }

    fn params(&self, p: &Params<'_>) {
        self.span("params", p.span());
        let mut n = 0;
        for q in p.iter() {
            n += 1;
            self.bytes("param name", q.name_span(), q.name().as_bytes());
            match (q.value(), q.value_span()) {
                (Some(v), Some(s)) => self.bytes("param value", s, v),
                (None, None) => {}
                _ => panic!("param value and value_span disagree"),
            }
            self.span("param", q.span());
        }
        assert!(n <= crate::header::param::MAX_PARAMS, "{n} params");
        assert_eq!(n, p.len());
        assert_eq!(p.is_empty(), n == 0, "Params::is_empty");
    }
}

/// A typed header value whose spans the fuzzer can check.
trait Inspect<'a>: TypedHeader<'a> {
    fn inspect(&self, r: &Region<'_>);
}

impl<'a> Inspect<'a> for Warning<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.span("warning", self.span());
        r.span("warn-code", self.code_span());
        assert!(self.code() <= 999);
        r.bytes("warn-agent", self.agent_span(), self.agent_bytes());
        assert_eq!(self.agent().as_bytes(), self.agent_bytes());
        r.bytes("warn-text", self.text_span(), self.text());
    }
}

impl<'a> Inspect<'a> for Date<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.bytes("date", self.span(), self.as_bytes());
        for (what, s) in [
            ("weekday", self.weekday_span()),
            ("date", self.date_span()),
            ("time", self.time_span()),
            ("zone", self.zone_span()),
        ] {
            r.span(what, s);
        }
        assert!((1..=12).contains(&self.month()) && (1..=31).contains(&self.day()));
        assert!(self.hour() < 24 && self.minute() < 60 && self.second() < 60);
        let _ = (self.weekday_matches(), self.unix_time());
    }
}

impl<'a> Inspect<'a> for Reason<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.span("reason", self.span());
        r.bytes("protocol", self.protocol_span(), self.protocol().as_bytes());
        let _ = self.protocol_kind();
        assert_eq!(self.cause().is_some(), self.cause_span().is_some());
        if let Some(s) = self.cause_span() {
            r.span("cause", s);
        }
        match (self.text(), self.text_span()) {
            (Some(t), Some(s)) => r.bytes("text", s, t),
            (None, None) => {}
            _ => panic!("text and text_span disagree"),
        }
        r.params(&self.params());
    }
}

impl<'a> Inspect<'a> for SecurityServer<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.span("sec-mechanism", self.span());
        r.bytes(
            "mechanism",
            self.mechanism_span(),
            self.mechanism().as_bytes(),
        );
        if let Some(q) = self.q() {
            assert!(q <= 1000, "q {q}");
        }
        r.params(&self.params());
        for p in [self.q_param(), self.d_alg(), self.d_qop(), self.d_ver()]
            .into_iter()
            .flatten()
        {
            r.span("security param", p.span());
        }
    }
}

fn inspect_challenge(c: &crate::header::typed::Challenge<'_>, r: &Region<'_>) {
    let mut c = *c;
    // Bounded: the row holds finitely many challenges, each at least a token.
    for _ in 0..=r.value.len() {
        r.span("challenge", c.span());
        r.bytes("scheme", c.scheme_span(), c.scheme().as_bytes());
        let mut n = 0;
        for p in c.params() {
            n += 1;
            r.bytes("auth-param name", p.name_span(), p.name().as_bytes());
            r.bytes("auth-param value", p.value_span(), p.value());
            r.span("auth-param", p.span());
            assert!(
                p.span().end <= c.span().end,
                "auth-param past its challenge"
            );
        }
        assert!(n <= crate::header::param::MAX_PARAMS, "{n} auth-params");
        let _ = (c.realm(), c.nonce(), c.qop(), c.stale(), c.is_basic());
        match c.next_challenge() {
            Some(next) => {
                assert!(c.has_more_challenges());
                assert!(
                    next.span().start > c.span().start,
                    "challenges do not advance"
                );
                c = next;
            }
            None => {
                assert!(!c.has_more_challenges(), "next challenge lost");
                return;
            }
        }
    }
    panic!("more challenges than bytes");
}

impl<'a> Inspect<'a> for WwwAuthenticate<'a> {
    fn inspect(&self, r: &Region<'_>) {
        inspect_challenge(self, r);
    }
}

impl<'a> Inspect<'a> for ProxyAuthenticate<'a> {
    fn inspect(&self, r: &Region<'_>) {
        inspect_challenge(self, r);
    }
}

impl Region<'_> {
    fn opt_bytes(&self, what: &str, s: Option<Span>, got: Option<&[u8]>) {
        match (s, got) {
            (Some(s), Some(b)) => self.bytes(what, s, b),
            (None, None) => {}
            _ => panic!("{what}: bytes and span disagree"),
        }
    }

    fn host(&self, h: &Host<'_>) {
        self.bytes("host", h.span(), h.as_bytes());
        assert_eq!(h.as_str().as_bytes(), h.as_bytes());
        let kinds = [h.is_ipv4(), h.is_ipv6(), h.is_name()];
        assert_eq!(kinds.iter().filter(|&&k| k).count(), 1, "host kind");
        if let Some(a) = h.ipv6_address() {
            assert!(h.is_ipv6());
            let s = Span::of(h.as_bytes(), a, h.span().start);
            self.bytes("ipv6 address", s, a);
        }
        let _ = h.is_ipv4_broadcast();
    }

    fn host_port(&self, hp: &HostPort<'_>) {
        self.span("hostport", hp.span());
        self.host(&hp.host());
        assert_eq!(hp.port().is_some(), hp.port_span().is_some(), "port");
        if let Some(p) = hp.port_span() {
            self.span("port", p);
            assert!(p.start >= hp.host().span().end, "port before host");
        }
    }

    fn uri_params(&self, p: &UriParams<'_>) {
        self.bytes("uri params", p.span(), p.as_bytes());
        let mut n = 0;
        for q in p.iter() {
            n += 1;
            self.bytes("uri param name", q.name_span(), q.name());
            self.opt_bytes("uri param value", q.value_span(), q.value());
        }
        assert_eq!(n, p.len());
        assert_eq!(p.is_empty(), n == 0, "UriParams::is_empty");
    }

    fn uri(&self, u: &Uri<'_>) {
        self.bytes("uri", u.span(), u.as_bytes());
        self.bytes("scheme", u.scheme_span(), u.scheme().as_bytes());
        self.span("uri body", u.body_span());
        self.opt_bytes("user", u.user_span(), u.user());
        self.opt_bytes("password", u.password_span(), u.password());
        self.opt_bytes("uri headers", u.headers_span(), u.headers());
        if let Some(h) = u.host() {
            self.host(&h);
        }
        if let Some(hp) = u.host_port() {
            self.host_port(&hp);
        }
        assert_eq!(u.port().is_some(), u.port_span().is_some());
        if let Some(s) = u.port_span() {
            self.span("uri port", s);
        }
        for part in [u.tel_number(), u.opaque()].into_iter().flatten() {
            let s = Span::of(u.as_bytes(), part, u.span().start);
            self.bytes("uri part", s, part);
        }
        self.uri_params(&u.params());
        let _ = (u.kind(), u.is_sip(), u.is_sips(), u.is_tel());
    }

    fn name_addr(&self, na: &NameAddr<'_>) {
        self.bytes("name-addr", na.span(), na.as_bytes());
        if let Some(a) = na.angle_span() {
            self.span("angle", a);
            assert!(na.is_bracketed());
        }
        self.opt_bytes("display name", na.display_name_span(), na.display_name());
        if let (Some(q), Some(s)) = (na.display_name_unquoted(), na.display_name_span()) {
            let at = Span::of(na.display_name().unwrap_or_default(), q, s.start);
            self.bytes("display name unquoted", at, q);
        }
        self.uri(&na.uri());
        self.params(&na.params());
        let _ = na.needs_angle_brackets();
    }
}

impl<'a> Inspect<'a> for Via<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.span("via", self.span());
        r.bytes(
            "protocol name",
            self.protocol_name_span(),
            self.protocol_name(),
        );
        r.bytes(
            "protocol version",
            self.protocol_version_span(),
            self.protocol_version(),
        );
        r.bytes("transport", self.transport_span(), self.transport());
        r.host_port(&self.sent_by());
        r.params(&self.params());
        r.opt_bytes("branch", self.branch_span(), self.branch());
        r.opt_bytes("received", self.received_span(), self.received());
        r.opt_bytes("maddr", self.maddr_span(), self.maddr());
        if let Some(s) = self.rport_span() {
            r.span("rport", s);
        }
        if let Some(Err(e)) = self.ttl() {
            r.error(&e);
        }
        let _ = (
            self.is_sip_2_0(),
            self.has_magic_cookie(),
            self.received_is_ip(),
        );
        let _ = (self.rport(), self.ttl_raw());
    }
}

macro_rules! inspect_addr {
    ($($ty:ident),*) => {$(
        impl<'a> Inspect<'a> for $ty<'a> {
            fn inspect(&self, r: &Region<'_>) {
                r.span("address", self.span());
                r.name_addr(self.name_addr());
                r.params(&self.params());
                r.uri(&self.uri());
            }
        }
    )*};
}
inspect_addr!(FromHeader, ToHeader, Route, RecordRoute);

impl<'a> Inspect<'a> for Contact<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.span("contact", self.span());
        assert_eq!(self.is_star(), self.name_addr().is_none(), "star");
        if let Some(na) = self.name_addr() {
            r.name_addr(na);
        }
        if let Some(u) = self.uri() {
            r.uri(&u);
        }
        r.params(&self.params());
        for res in [
            self.expires().map(|x| x.map(|_| ())),
            self.q().map(|x| x.map(|_| ())),
        ]
        .into_iter()
        .flatten()
        {
            if let Err(e) = res {
                r.error(&e);
            }
        }
        if let Some(Ok(q)) = self.q() {
            assert!(q <= 1000, "q {q}");
        }
    }
}

impl<'a> Inspect<'a> for SipEtag<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.bytes("sip-etag", self.span(), self.as_bytes());
        assert!(!self.as_bytes().is_empty(), "empty entity-tag");
    }
}

impl<'a> Inspect<'a> for CallId<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.bytes("call-id", self.span(), self.as_bytes());
        assert_eq!(self.as_str().as_bytes(), self.as_bytes());
        if let Some(at) = self.strict_violation() {
            r.span("strict violation", Span::new(at, at));
            assert!(at < self.span().end, "violation past the value");
        }
        assert_eq!(self.is_strict_word(), self.strict_violation().is_none());
        let _ = (self.local(), self.host());
    }
}

impl<'a> Inspect<'a> for CSeq<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.span("cseq number", self.number_span());
        r.bytes("cseq method", self.method_span(), self.method().as_bytes());
        let _ = self.number();
    }
}

macro_rules! inspect_span_only {
    ($($ty:ident),*) => {$(
        impl<'a> Inspect<'a> for $ty {
            fn inspect(&self, r: &Region<'_>) {
                r.span(stringify!($ty), self.span());
                let _ = self.value();
            }
        }
    )*};
}
inspect_span_only!(ContentLength, MaxForwards, Expires, MinExpires, RSeq);

impl<'a> Inspect<'a> for MinSe<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.span("min-se", self.span());
        r.span("delta", self.delta().span());
        r.params(&self.params());
        assert_eq!(self.value(), self.delta().value());
        let _ = self.exceeds_u32();
    }
}

impl<'a> Inspect<'a> for SessionExpires<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.span("session-expires", self.span());
        r.span("delta", self.delta().span());
        r.params(&self.params());
        if let Some(s) = self.refresher_span() {
            r.span("refresher", s);
        }
        let _ = (self.refresher(), self.exceeds_u32(), self.value());
    }
}

impl<'a> Inspect<'a> for RetryAfter<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.span("retry-after", self.span());
        r.span("delta", self.delta().span());
        r.opt_bytes("comment", self.comment_span(), self.comment());
        if let Some(d) = self.duration() {
            r.span("duration", d.span());
        }
        r.params(&self.params());
        let _ = (self.value(), self.exceeds_u32());
    }
}

impl<'a> Inspect<'a> for ContentType<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.span("content-type", self.span());
        r.bytes(
            "m-type",
            self.media_type_span(),
            self.media_type().as_bytes(),
        );
        r.bytes("m-subtype", self.subtype_span(), self.subtype().as_bytes());
        r.params(&self.params());
        let _ = self.is_sdp();
    }
}

macro_rules! inspect_token {
    ($($ty:ident),*) => {$(
        impl<'a> Inspect<'a> for $ty<'a> {
            fn inspect(&self, r: &Region<'_>) {
                r.bytes(stringify!($ty), self.span(), self.as_bytes());
                assert_eq!(self.as_str().as_bytes(), self.as_bytes());
            }
        }
    )*};
}
inspect_token!(Allow, Supported, Require, ProxyRequire, Unsupported);

impl<'a> Inspect<'a> for AllowEvents<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.bytes("allow-events", self.span(), self.as_str().as_bytes());
        r.bytes("package", self.package_span(), self.package().as_bytes());
        assert!(self.templates().count() <= r.value.len());
    }
}

impl<'a> Inspect<'a> for Accept<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.bytes(
            "m-type",
            self.media_type_span(),
            self.media_type().as_bytes(),
        );
        r.bytes("m-subtype", self.subtype_span(), self.subtype().as_bytes());
        r.params(&self.params());
        if let Some(q) = self.q() {
            assert!(q <= 1000, "q {q}");
        }
        let _ = self.is_wildcard();
    }
}

impl<'a> Inspect<'a> for AcceptEncoding<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.bytes("coding", self.coding_span(), self.coding().as_bytes());
        r.params(&self.params());
        if let Some(q) = self.q() {
            assert!(q <= 1000, "q {q}");
        }
    }
}

impl<'a> Inspect<'a> for AcceptLanguage<'a> {
    fn inspect(&self, r: &Region<'_>) {
        r.bytes("language-range", self.range_span(), self.range().as_bytes());
        r.params(&self.params());
        if let Some(q) = self.q() {
            assert!(q <= 1000, "q {q}");
        }
        let _ = (self.primary(), self.is_wildcard());
    }
}

/// The address building blocks have their own `parse` (not `TypedHeader`):
/// run them over the raw value as well.
fn address_parts(value: &[u8], base: usize) {
    let r = Region { value, base };
    match Host::parse(value, base) {
        Ok(h) => r.host(&h),
        Err(e) => r.error(&e),
    }
    match HostPort::parse(value, base) {
        Ok(h) => r.host_port(&h),
        Err(e) => r.error(&e),
    }
    match Uri::parse(value, base) {
        Ok(u) => r.uri(&u),
        Err(e) => r.error(&e),
    }
    match NameAddr::parse(value, base) {
        Ok(na) => r.name_addr(&na),
        Err(e) => r.error(&e),
    }
}

/// Parses `value` at `base` as `H` and checks the result or the error.
fn typed_value<'a, H: Inspect<'a>>(value: &'a [u8], base: usize) {
    let r = Region { value, base };
    match H::parse(value, base) {
        Ok(v) => v.inspect(&r),
        Err(e) => r.error(&e),
    }
}

/// Every element of `H`'s header in `m`, parsed and checked; `typed_all`
/// must give the same results.
fn typed_in_message<'a, H: Inspect<'a> + PartialEq + core::fmt::Debug>(h: &Headers<'a>) {
    let mut direct = Vec::new();
    for e in h.elements(H::NAME) {
        typed_value::<H>(e.bytes, e.span.start);
        direct.push(e.parse::<H>());
    }
    let all: Vec<_> = h.typed_all::<H>().collect();
    assert_eq!(all, direct, "typed_all vs elements of {}", H::NAME);
    assert_eq!(h.typed::<H>(), direct.into_iter().next(), "typed()");
}

/// Runs `$f::<T>` for every typed header type of the crate. New typed
/// headers are added here (and to the `Inspect` impls above).
macro_rules! for_each_typed {
    ($f:ident ( $($arg:expr),* )) => {
        $f::<Warning<'_>>($($arg),*);
        $f::<Date<'_>>($($arg),*);
        $f::<Reason<'_>>($($arg),*);
        $f::<SecurityServer<'_>>($($arg),*);
        $f::<WwwAuthenticate<'_>>($($arg),*);
        $f::<ProxyAuthenticate<'_>>($($arg),*);
        $f::<Via<'_>>($($arg),*);
        $f::<FromHeader<'_>>($($arg),*);
        $f::<ToHeader<'_>>($($arg),*);
        $f::<Contact<'_>>($($arg),*);
        $f::<Route<'_>>($($arg),*);
        $f::<RecordRoute<'_>>($($arg),*);
        $f::<CallId<'_>>($($arg),*);
        $f::<SipEtag<'_>>($($arg),*);
        $f::<CSeq<'_>>($($arg),*);
        $f::<ContentLength>($($arg),*);
        $f::<MaxForwards>($($arg),*);
        $f::<Expires>($($arg),*);
        $f::<MinExpires>($($arg),*);
        $f::<MinSe<'_>>($($arg),*);
        $f::<RSeq>($($arg),*);
        $f::<RetryAfter<'_>>($($arg),*);
        $f::<SessionExpires<'_>>($($arg),*);
        $f::<ContentType<'_>>($($arg),*);
        $f::<Allow<'_>>($($arg),*);
        $f::<Supported<'_>>($($arg),*);
        $f::<Require<'_>>($($arg),*);
        $f::<ProxyRequire<'_>>($($arg),*);
        $f::<Unsupported<'_>>($($arg),*);
        $f::<AllowEvents<'_>>($($arg),*);
        $f::<Accept<'_>>($($arg),*);
        $f::<AcceptEncoding<'_>>($($arg),*);
        $f::<AcceptLanguage<'_>>($($arg),*);
    };
}

/// A typed header with a lax reading, and how its lax accessors must agree
/// with the strict parse of the same bytes.
trait LaxAgree<'a>: LaxHeader<'a> {
    /// True when the lax reading found no defect in the bytes the strict
    /// parser reads (for a challenge row: in every challenge of the row).
    fn clean(lax: &Self::Lax) -> bool {
        lax.defects().is_empty()
    }
    /// True when the lax reading found no defect at all (what a strict
    /// failure must contradict); differs from `clean` only where the strict
    /// parser defers a check to an accessor.
    fn defect_free(lax: &Self::Lax) -> bool {
        Self::clean(lax)
    }
    /// Both succeeded: the accessors the two share must agree.
    fn agree(strict: &Self, lax: &Self::Lax);
}

impl<'a> LaxAgree<'a> for Via<'a> {
    /// The strict Via keeps `received`, `ttl` and `maddr` as sent and
    /// judges them when they are read (`Via::received_is_ip`, `Via::ttl`,
    /// what the validator's Via rules ask); the lax reading reports them as
    /// defects at once. Those parts are compared in `agree` instead.
    fn clean(l: &ViaLax<'a>) -> bool {
        l.defects()
            .iter()
            .all(|d| matches!(d.part, Part::Received | Part::Ttl | Part::Maddr))
    }
    fn defect_free(l: &ViaLax<'a>) -> bool {
        l.defects().is_empty()
    }
    fn agree(v: &Self, l: &ViaLax<'a>) {
        // The validator takes the strict reading of a defect-free lax one
        // from it rather than parsing again.
        if l.defects().is_empty() {
            assert_eq!(Via::from_lax(l).as_ref(), Some(v), "Via::from_lax");
        }
        // A defect of the first `received`, `ttl` or `maddr` (the one the
        // strict accessor reads) must show there too.
        let first_has_defect =
            |name, part| first_param_has_defect(v.params(), l.defects(), name, part);
        if first_has_defect("received", Part::Received) {
            assert_ne!(v.received_is_ip(), Some(true), "lax received defect");
        }
        if first_has_defect("ttl", Part::Ttl) {
            assert!(
                matches!(v.ttl(), Some(Err(_))),
                "lax ttl defect, strict {:?}",
                v.ttl()
            );
        }
        if first_has_defect("maddr", Part::Maddr) {
            // `maddr`'s own production, as the lax reading checks it.
            let valid = |m: &[u8]| crate::grammar::param::known_param(b"maddr", Some(m)).is_none();
            assert!(!v.maddr().is_some_and(valid), "lax maddr defect");
        } else {
            assert_eq!(l.maddr(), v.maddr());
        }
        assert_eq!(l.protocol_name(), Some(v.protocol_name()));
        assert_eq!(l.protocol_version(), Some(v.protocol_version()));
        assert_eq!(l.transport(), Some(v.transport()));
        assert_eq!(l.transport_span(), Some(v.transport_span()));
        assert_eq!(l.sent_by(), Some(v.sent_by()));
        assert_eq!(l.branch(), v.branch());
        assert_eq!(l.branch_span(), v.branch_span());
        assert_eq!(l.has_magic_cookie(), v.has_magic_cookie());
        assert_eq!(l.rport(), v.rport());
        assert_eq!(l.ttl(), v.ttl().and_then(Result::ok));
        if v.received_is_ip() == Some(true) {
            assert_eq!(l.received(), v.received());
        }
        assert_eq!(l.span(), v.span());
        // The repeated parameter the scan noted is the one a walk finds.
        let walk = v.params().first_repeated().map(|p| p.span());
        assert_eq!(l.repeated_param(), walk);
    }
}

/// True when the first parameter `name` of a strict reading (the one its
/// accessor reads) holds a lax defect of `part`.
fn first_param_has_defect(
    params: Params<'_>,
    defects: &crate::grammar::Defects,
    name: &str,
    part: Part,
) -> bool {
    params.get(name).is_some_and(|p| {
        let sp = p.span();
        defects
            .iter()
            .any(|d| d.part == part && d.span.start >= sp.start && d.span.start <= sp.end)
    })
}

fn name_addr_agree(n: &NameAddr<'_>, l: &NameAddrLax<'_>) {
    assert!(!l.is_star());
    assert_eq!(l.display_name(), n.display_name());
    assert_eq!(l.display_name_span(), n.display_name_span());
    assert_eq!(l.is_bracketed(), n.is_bracketed());
    assert_eq!(l.angle_span(), n.angle_span());
    assert_eq!(l.uri(), Some(n.uri()));
    assert_eq!(l.span(), n.span());
    // The repeated parameter the scan noted is the one a walk finds.
    let walk = n.params().first_repeated().map(|p| p.span());
    assert_eq!(n.repeated_param(), walk);
}

macro_rules! name_addr_lax_agree {
    ($($ty:ident),*) => {$(
        impl<'a> LaxAgree<'a> for $ty<'a> {
            fn agree(v: &Self, l: &NameAddrLax<'a>) {
                name_addr_agree(v.name_addr(), l);
            }
        }
    )*};
}
name_addr_lax_agree!(Route, RecordRoute);

macro_rules! tagged_lax_agree {
    ($($ty:ident),*) => {$(
        impl<'a> LaxAgree<'a> for $ty<'a> {
            fn agree(v: &Self, l: &NameAddrLax<'a>) {
                name_addr_agree(v.name_addr(), l);
                assert_eq!(l.tag(), v.tag());
                assert_eq!(l.tag_span(), v.tag_span());
            }
        }
    )*};
}
tagged_lax_agree!(FromHeader, ToHeader);

impl<'a> LaxAgree<'a> for Contact<'a> {
    /// The strict Contact checks `q` and `expires` only when they are read
    /// (`Contact::q`, `Contact::expires` give a located error); the lax
    /// reading reports them as defects at once. Those two parts are
    /// compared in `agree` instead.
    fn clean(l: &NameAddrLax<'a>) -> bool {
        l.defects()
            .iter()
            .all(|d| matches!(d.part, Part::Q | Part::Expires))
    }
    fn defect_free(l: &NameAddrLax<'a>) -> bool {
        l.defects().is_empty()
    }
    fn agree(v: &Self, l: &NameAddrLax<'a>) {
        assert_eq!(l.is_star(), v.is_star());
        if let Some(n) = v.name_addr() {
            name_addr_agree(n, l);
        }
        assert_eq!(l.q(), v.q().and_then(Result::ok));
        assert_eq!(l.expires(), v.expires().and_then(Result::ok));
        // A defect of the first `q` (or `expires`), the one the strict
        // accessor reads, must be its error too; a later repeated one
        // (`;q=1;q=.55`) is a defect the strict accessor never reads.
        let first_has_defect =
            |name, part| first_param_has_defect(v.params(), l.defects(), name, part);
        if first_has_defect("q", Part::Q) {
            assert!(
                matches!(v.q(), Some(Err(_))),
                "lax q defect, strict q {:?}",
                v.q()
            );
        }
        if first_has_defect("expires", Part::Expires) {
            assert!(
                matches!(v.expires(), Some(Err(_))),
                "lax expires defect, strict expires {:?}",
                v.expires()
            );
        }
    }
}

impl<'a> LaxAgree<'a> for CSeq<'a> {
    fn agree(v: &Self, l: &CSeqLax<'a>) {
        assert_eq!(l.number(), Some(v.number()));
        assert_eq!(l.number_span(), Some(v.number_span()));
        assert_eq!(l.method(), Some(v.method()));
        assert_eq!(l.method_span(), Some(v.method_span()));
    }
}

impl<'a> LaxAgree<'a> for ContentType<'a> {
    fn agree(v: &Self, l: &ContentTypeLax<'a>) {
        assert_eq!(l.media_type(), Some(v.media_type()));
        assert_eq!(l.subtype(), Some(v.subtype()));
    }
}

impl<'a> LaxAgree<'a> for SessionExpires<'a> {
    /// The strict Session-Expires keeps a `refresher` that is not
    /// `uac`/`uas` as `Refresher::Other` (rule
    /// `2xx-session-expires-refresher` judges it); the lax reading reports
    /// it as a `Refresher` defect at once. That part is compared in
    /// `agree` instead.
    fn clean(l: &SessionExpiresLax<'a>) -> bool {
        l.defects().iter().all(|d| d.part == Part::Refresher)
    }
    fn defect_free(l: &SessionExpiresLax<'a>) -> bool {
        l.defects().is_empty()
    }
    fn agree(v: &Self, l: &SessionExpiresLax<'a>) {
        match v.refresher() {
            Some(crate::header::typed::Refresher::Other(_)) => {
                assert_eq!(l.refresher(), None, "lax refresher of a non-uac/uas value");
                assert!(
                    l.defects().iter().any(|d| d.part == Part::Refresher),
                    "strict Other refresher without a lax Refresher defect"
                );
            }
            r => assert_eq!(l.refresher(), r),
        }
    }
}

macro_rules! challenge_lax_agree {
    ($($ty:ident),*) => {$(
        impl<'a> LaxAgree<'a> for $ty<'a> {
            fn clean(l: &ChallengeLax<'a>) -> bool {
                // The strict parser reads the whole row; the lax reading
                // one challenge, the next ones on request.
                // Each next challenge starts after the one before it, so
                // the chain ends within the value (a bound on the count
                // taken from the first challenge's own span was too
                // tight: a row may hold more challenges than that span has
                // bytes, found by this target).
                let mut next = Some(*l);
                let mut after = None;
                while let Some(c) = next {
                    if !c.defects().is_empty() {
                        return false;
                    }
                    let start = c.span().start;
                    if let Some(a) = after {
                        assert!(start > a, "challenge chain does not move on");
                    }
                    after = Some(start);
                    next = c.next_challenge();
                }
                true
            }
            fn agree(v: &Self, l: &ChallengeLax<'a>) {
                let c = v.challenge();
                assert_eq!(l.scheme(), Some(c.scheme()));
                assert_eq!(l.scheme_span(), Some(c.scheme_span()));
                assert_eq!(l.realm(), c.realm());
                assert_eq!(l.nonce(), c.nonce());
            }
        }
    )*};
}
challenge_lax_agree!(WwwAuthenticate, ProxyAuthenticate);

macro_rules! one_part_lax_agree {
    ($($ty:ty),*) => {$(
        impl<'a> LaxAgree<'a> for $ty {
            fn agree(v: &Self, l: &ValueLax<$ty>) {
                assert_eq!(l.value(), Some(v));
            }
        }
    )*};
}
one_part_lax_agree!(
    Date<'a>,
    Expires,
    MinExpires,
    CallId<'a>,
    SipEtag<'a>,
    MaxForwards,
    ContentLength,
    RSeq,
    MinSe<'a>,
    RetryAfter<'a>,
    Reason<'a>,
    Warning<'a>,
    SecurityServer<'a>,
    Accept<'a>,
    AcceptEncoding<'a>,
    AcceptLanguage<'a>,
    CallInfo<'a>,
    ContentEncoding<'a>,
    Timestamp<'a>
);

/// Lax reading of one value: never panics, every defect inside the value;
/// and, when `agree` is set, `strict Ok ⇔ no defect` and the accessors agree
/// with the strict parse when both read. Agreement is asked only of values
/// as the message layer hands them over (trimmed of surrounding LWS: the
/// `TypedHeader::parse` contract); on raw bytes with a leading LF or a
/// trailing bare CR the two readings are each safe but owe each other
/// nothing.
fn lax_value<'a, H: LaxAgree<'a>>(value: &'a [u8], base: usize, agree: bool) {
    let r = Region { value, base };
    let lax = H::parse_lax(value, base);
    let end = base + value.len();
    for d in lax.defects().iter() {
        r.span("defect", d.span);
        assert!(
            base <= d.at && d.at <= end,
            "defect {d:?} offset outside the value {base}..{end}"
        );
    }
    let clean = H::clean(&lax);
    if !agree {
        let _ = H::parse(value, base);
        return;
    }
    match H::parse(value, base) {
        Ok(v) => {
            assert!(
                clean,
                "{}: strict Ok, lax defects {:?}",
                H::NAME,
                lax.defects()
            );
            H::agree(&v, &lax);
        }
        Err(e) => assert!(
            !H::defect_free(&lax),
            "{}: strict {e}, lax without defect",
            H::NAME
        ),
    }
}

/// Runs `$f::<T>` for every typed header with a lax reading.
macro_rules! for_each_lax {
    ($f:ident ( $($arg:expr),* )) => {
        $f::<Via<'_>>($($arg),*);
        $f::<FromHeader<'_>>($($arg),*);
        $f::<ToHeader<'_>>($($arg),*);
        $f::<Contact<'_>>($($arg),*);
        $f::<Route<'_>>($($arg),*);
        $f::<RecordRoute<'_>>($($arg),*);
        $f::<CSeq<'_>>($($arg),*);
        $f::<ContentType<'_>>($($arg),*);
        $f::<SessionExpires<'_>>($($arg),*);
        $f::<WwwAuthenticate<'_>>($($arg),*);
        $f::<ProxyAuthenticate<'_>>($($arg),*);
        $f::<Date<'_>>($($arg),*);
        $f::<Expires>($($arg),*);
        $f::<MinExpires>($($arg),*);
        $f::<CallId<'_>>($($arg),*);
        $f::<SipEtag<'_>>($($arg),*);
        $f::<MaxForwards>($($arg),*);
        $f::<ContentLength>($($arg),*);
        $f::<RSeq>($($arg),*);
        $f::<MinSe<'_>>($($arg),*);
        $f::<RetryAfter<'_>>($($arg),*);
        $f::<Reason<'_>>($($arg),*);
        $f::<Warning<'_>>($($arg),*);
        $f::<SecurityServer<'_>>($($arg),*);
        $f::<Accept<'_>>($($arg),*);
        $f::<AcceptEncoding<'_>>($($arg),*);
        $f::<AcceptLanguage<'_>>($($arg),*);
        $f::<CallInfo<'_>>($($arg),*);
        $f::<ContentEncoding<'_>>($($arg),*);
        $f::<Timestamp<'_>>($($arg),*);
    };
}

/// Target `typed_headers`: every typed parser over every element of its
/// header in the parsed message, and over the raw input as one value; every
/// lax reading over the raw input, checked against the strict parser
/// (`lax_value`). For
/// the raw run the first three bytes (little endian) are the base offset.
pub fn typed_headers(data: &[u8]) {
    if let Ok(m) = one_shot_message(data) {
        check_message(data, &m);
        let h = m.headers();
        for_each_typed!(typed_in_message(h));
        for e in h.elements(KnownHeader::Via) {
            crate::header::typed::via::check_read_common(e.bytes, e.span.start);
        }
        for k in [
            KnownHeader::From,
            KnownHeader::To,
            KnownHeader::Contact,
            KnownHeader::RecordRoute,
            KnownHeader::Route,
        ] {
            for e in h.elements(k) {
                address_common(e.bytes, e.span.start);
            }
        }
    }
    let (base, value) = match data {
        [a, b, c, rest @ ..] => (
            usize::from(*a) | usize::from(*b) << 8 | usize::from(*c) << 16,
            rest,
        ),
        _ => (0, data),
    };
    for_each_typed!(typed_value(value, base));
    for_each_lax!(lax_value(value, base, false));
    address_parts(value, base);
    crate::header::typed::via::check_read_common(value, base);
    address_common(value, base);
    // The same bytes trimmed the way the message layer hands values over.
    let trimmed = crate::lex::trim_lws(value);
    let at = base + (trimmed.as_ptr() as usize - value.as_ptr() as usize);
    for_each_typed!(typed_value(trimmed, at));
    for_each_lax!(lax_value(trimmed, at, true));
    address_parts(trimmed, at);
    crate::header::typed::via::check_read_common(trimmed, at);
    address_common(trimmed, at);
}

/// The common address path against the general lax reader, with each
/// header's known parameters (From/To, Contact, Route).
fn address_common(value: &[u8], base: usize) {
    use crate::grammar::Part;
    use crate::header::typed::name_addr::check_read_common;
    check_read_common(value, base, &[("tag", Part::Tag)], false);
    check_read_common(
        value,
        base,
        &[("q", Part::Q), ("expires", Part::Expires)],
        true,
    );
    check_read_common(value, base, &[], false);
}

/// Limits for re-parsing a rendering: room for what rendering adds (one SP
/// per row, a Content-Length row) to whatever the original was allowed.
fn roomy_limits() -> Limits {
    let d = Limits::DEFAULT;
    Limits {
        max_message: d.max_message * 2 + 64,
        max_head: d.max_head * 2 + 64,
        max_headers: d.max_headers + 1,
        max_line: d.max_line + 2,
        max_continuations: d.max_continuations,
        max_header_name: d.max_header_name,
        max_start_line: d.max_start_line + 1,
        max_via_values: d.max_via_values,
    }
}

/// The fields the round trip keeps: version, code, reason, every
/// well-formed row except Content-Length (name as sent, value as sent), body.
type Fields = (Vec<u8>, u16, Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>, Vec<u8>);

fn fields(r: &Response<'_>) -> Fields {
    let rows = r
        .headers()
        .iter()
        .filter(|h| h.known() != Some(KnownHeader::ContentLength))
        .map(|h| (h.name_bytes().to_vec(), h.value().to_vec()))
        .collect();
    (
        r.version().to_vec(),
        r.status().as_u16(),
        r.reason().to_vec(),
        rows,
        r.body().to_vec(),
    )
}

/// Renders a response from its fields, with a Content-Length of its body.
fn render(r: &Response<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(r.version());
    out.push(b' ');
    out.extend_from_slice(r.code_span().slice(r.source()).unwrap_or_default());
    out.push(b' ');
    out.extend_from_slice(r.reason());
    out.extend_from_slice(b"\r\n");
    for h in r.headers().iter() {
        if h.known() == Some(KnownHeader::ContentLength) {
            continue;
        }
        out.extend_from_slice(h.name_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(h.value());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", r.body().len()).as_bytes());
    out.extend_from_slice(r.body());
    out
}

/// Target `roundtrip`: a response that parses is re-rendered from its
/// parsed fields (status line, each row `name: value`, the body with its
/// Content-Length); the rendering must parse to the same fields, with a
/// Content-Length equal to the body, and render to the same bytes again.
pub fn roundtrip(data: &[u8]) {
    let Ok(r) = one_shot_response(data) else {
        return;
    };
    let wire = render(&r);
    let opts = ParseOptions::datagram().with_limits(roomy_limits());
    let back = opts
        .parse_response(&wire)
        .unwrap_or_else(|e| panic!("rendering does not parse: {e}"));
    check_response(&wire, &back);
    assert_eq!(fields(&back), fields(&r), "round trip changed the fields");
    assert_eq!(back.content_length(), Some(r.body().len() as u64));
    assert_eq!(back.span(), Span::new(0, wire.len()), "rendering not whole");
    // Via values survive whatever the row layout.
    let vias = |x: &Response<'_>| -> Vec<Vec<u8>> {
        x.headers()
            .elements(KnownHeader::Via)
            .map(|e| e.bytes.to_vec())
            .collect()
    };
    assert_eq!(vias(&back), vias(&r), "Via elements changed");
    assert_eq!(render(&back), wire, "rendering is not stable");
    // The stream decoder frames the rendering the same way.
    let mut dec = ResponseDecoder::new(ParseOptions::stream().with_limits(roomy_limits()));
    let mut buf = BytesMut::from(&wire[..]);
    let owned = dec
        .decode_message(&mut buf)
        .unwrap_or_else(|e| panic!("decoder refuses the rendering: {e}"))
        .expect("decoder wants more of a complete rendering");
    assert_eq!(owned.view(), back, "decoder vs one-shot on the rendering");
    assert!(buf.is_empty());
}

/// The validation context selected by one byte: bits 0-2 the transport
/// (0 = unknown), bits 3-4 the role (3: a stateless proxy), bits 5-7 the
/// request method (0 = unknown).
fn context(sel: u8) -> crate::validate::Context {
    use crate::validate::{Context, Role, Transport};
    let mut ctx = Context::new();
    let transports = [
        Transport::Udp,
        Transport::Tcp,
        Transport::Tls,
        Transport::Sctp,
        Transport::Ws,
        Transport::Wss,
    ];
    if let Some(&t) = transports.get(usize::from(sel & 7).wrapping_sub(1)) {
        ctx = ctx.with_transport(t);
    }
    ctx = match (sel >> 3) & 3 {
        1 => ctx.with_role(Role::Uac),
        r @ (2 | 3) => ctx
            .with_role(Role::Proxy)
            .with_stateless_proxy(r == 3)
            .with_own_sent_by("p1.example.com", Some(5060)),
        _ => ctx,
    };
    let methods = [
        "INVITE",
        "REGISTER",
        "OPTIONS",
        "BYE",
        "CANCEL",
        "SUBSCRIBE",
        "PRACK",
    ];
    if let Some(m) = methods.get(usize::from(sel >> 5).wrapping_sub(1)) {
        ctx = ctx.with_method(*m);
    }
    ctx
}

/// A sink that checks each finding as it comes: span in the buffer, rule
/// in the catalogue and equal to its own `rule_info`, printable.
struct CheckingSink {
    len: usize,
    count: usize,
}

impl crate::validate::FindingSink for CheckingSink {
    fn report(&mut self, f: crate::validate::Finding) {
        if let Some(s) = f.span() {
            in_bounds(f.rule(), s, self.len);
        }
        assert_eq!(f.rule_info().id, f.rule());
        assert!(
            crate::validate::rules().iter().any(|i| i.id == f.rule()),
            "{} not in the catalogue",
            f.rule()
        );
        assert!(!f.to_string().is_empty());
        self.count += 1;
    }
}

/// Target `validate`. Input: byte 0 selects a context (see `context`); the
/// rest is the response as a datagram, optionally preceded by the request it
/// answers (a request that the stream framing cuts off the front). For a
/// response that parses, it is validated in every role and every transport
/// (and with none), with the request, if any, given both as received by the
/// UAS and as observed on the hop: every finding's span lies in the buffer
/// and its rule is in the catalogue. In the context byte 0 selects, the
/// report is also deterministic, the counting sink sees the same findings,
/// and the owned copy validates the same.
pub fn validate(data: &[u8]) {
    use crate::validate::{Role, Transport};
    use crate::OwnedMessage;
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let stream = ParseOptions::stream();
    let (request, msg) = match stream.parse_message_partial(rest) {
        Ok(Progress::Complete {
            msg: Message::Request(_),
            consumed,
        }) => {
            // (Leading keep-alives may keep the one-shot parse from taking
            // it back; then there is no request.)
            let bytes = bytes::Bytes::copy_from_slice(&rest[..consumed]);
            match OwnedMessage::parse_with(bytes, &stream) {
                Ok(req) => (Some(req), &rest[consumed..]),
                Err(_) => (None, rest),
            }
        }
        _ => (None, rest),
    };
    let Ok(r) = one_shot_response(msg) else {
        return;
    };
    let with_request = |ctx: crate::validate::Context, observed: bool| match &request {
        None => ctx,
        Some(req) if observed => ctx.with_observed_request(req.clone()).expect("a request"),
        Some(req) => ctx.with_request(req.clone()).expect("a request"),
    };
    let transports = [
        None,
        Some(Transport::Udp),
        Some(Transport::Tcp),
        Some(Transport::Tls),
        Some(Transport::Sctp),
        Some(Transport::Ws),
        Some(Transport::Wss),
    ];
    for role in [Role::Observer, Role::Uac, Role::Proxy] {
        for t in transports {
            for observed in [false, true] {
                if observed && request.is_none() {
                    continue;
                }
                let mut ctx = crate::validate::Context::new()
                    .with_role(role)
                    .with_own_sent_by("p1.example.com", Some(5060));
                if let Some(t) = t {
                    ctx = ctx.with_transport(t);
                }
                let ctx = with_request(ctx, observed);
                let mut sink = CheckingSink {
                    len: msg.len(),
                    count: 0,
                };
                crate::validate::validate_into(&r, &ctx, &mut sink);
            }
        }
    }
    let ctx = with_request(context(sel), sel & 1 == 1);
    let report = crate::validate::validate(&r, &ctx);
    // The chosen context may also set the method, which the loop above
    // does not: its findings are checked the same way.
    let mut checking = CheckingSink {
        len: msg.len(),
        count: 0,
    };
    for f in report.iter() {
        crate::validate::FindingSink::report(&mut checking, *f);
    }
    assert_eq!(
        crate::validate::validate(&r, &ctx),
        report,
        "validation is not deterministic"
    );
    let mut counting = crate::validate::CountingSink::new();
    crate::validate::validate_into(&r, &ctx, &mut counting);
    assert_eq!(counting.total(), report.len(), "counting sink vs report");
    assert_eq!(counting.worst(), report.worst(), "worst severity");
    // The owned copy validates the same (spans index equal bytes).
    let owned = r.to_owned_response();
    assert_eq!(crate::validate::validate(&owned.view(), &ctx), report);
}

/// Target `forward`. Input: byte 0 selects the proxy (bit 0: its sent-by
/// is the top Via's own sent-by, so forwarding usually goes ahead, else a
/// fixed name; bit 1: forward to broadcast addresses), the rest is a
/// datagram. For a response that parses, [`crate::forward::ForwardOptions`]
/// either refuses with located findings from the catalogue, or returns
/// pieces that are exactly the message minus the removed span, which
/// parses to the same response with the first Via value gone.
pub fn forward(data: &[u8]) {
    use crate::forward::ForwardOptions;
    use crate::header::Element;
    use crate::validate::SentBy;
    use bytes::Buf;

    let Some((&sel, msg)) = data.split_first() else {
        return;
    };
    let Ok(resp) = OwnedResponse::parse(bytes::Bytes::copy_from_slice(msg)) else {
        return;
    };
    let view = resp.view();
    let len = resp.bytes().len();
    let non_empty = |it: &mut dyn Iterator<Item = Element<'_>>| -> Vec<Vec<u8>> {
        it.filter(|e| !e.bytes.is_empty())
            .map(|e| e.bytes.to_vec())
            .collect()
    };
    let vias = non_empty(&mut view.headers().elements(KnownHeader::Via));
    let mut own = vec![SentBy::new("p1.example.com", Some(5060))];
    if sel & 1 != 0 {
        if let Some(Ok(top)) = view.headers().typed::<Via<'_>>() {
            let hp = top.sent_by();
            own.push(SentBy::new(hp.host().as_str(), hp.port()));
        }
    }
    let opts = ForwardOptions::new().forward_broadcast(sel & 2 != 0);
    match opts.forward(&resp, &own) {
        Ok(f) => {
            let msg_span = view.span();
            let removed = f.removed();
            let head = view.head_span();
            assert!(
                head.start <= removed.start && removed.end <= head.end + 2 && !removed.is_empty(),
                "removed {removed} outside the head {head}"
            );
            assert!(
                removed.end <= f.next_via_span().start,
                "next Via before the cut"
            );
            let src = resp.bytes();
            let want = [
                &src[msg_span.start..removed.start],
                &src[removed.end..msg_span.end],
            ]
            .concat();
            let got = f.to_vec();
            assert!(
                got == want,
                "forwarded bytes are not the message minus {removed}"
            );
            assert_eq!(f.len(), got.len());
            assert!(!f.is_empty());
            assert!(f.chunks().iter().all(|c| !c.is_empty()), "empty chunk");
            assert_eq!(f.chunks().concat(), got, "chunks");
            let mut written = Vec::new();
            f.write_to(&mut written).expect("write to a Vec");
            assert_eq!(written, got, "write_to");
            let mut chained = f.clone().into_buf();
            assert_eq!(chained.copy_to_bytes(chained.remaining()), got, "into_buf");
            assert_eq!(f.clone().into_pieces().concat(), got, "into_pieces");
            for w in f.findings() {
                if let Some(sp) = w.span() {
                    in_bounds("forward warning", sp, len);
                }
            }
            same_bytes(
                "next via",
                src,
                f.next_via_span(),
                &src[f.next_via_span().range()],
            );
            if let Ok(next) = f.next_via() {
                assert_eq!(next.span(), f.next_via_span(), "next_via span");
            }
            // What goes out parses to the same response without our Via.
            let out = one_shot_response(&got)
                .unwrap_or_else(|e| panic!("forwarded message does not parse: {e}"));
            check_response(&got, &out);
            assert_eq!(out.status(), view.status());
            assert_eq!(out.reason(), view.reason());
            assert_eq!(out.body(), view.body(), "forwarded body");
            let out_vias = non_empty(&mut out.headers().elements(KnownHeader::Via));
            assert_eq!(out_vias, vias[1..], "forwarded Via values");
            assert_eq!(
                out_vias.first().map(Vec::as_slice),
                Some(&src[f.next_via_span().range()]),
                "new top Via"
            );
            let others = |r: &Response<'_>| -> Vec<(Vec<u8>, Vec<u8>)> {
                r.headers()
                    .iter()
                    .filter(|h| h.known() != Some(KnownHeader::Via))
                    .map(|h| (h.name_bytes().to_vec(), h.value().to_vec()))
                    .collect()
            };
            assert_eq!(others(&out), others(&view), "rows other than Via changed");
        }
        Err(r) => {
            if let Some(sp) = r.span() {
                in_bounds("refusal", sp, len);
            }
            let mut n = 0;
            for fi in r.findings() {
                n += 1;
                assert_eq!(fi.span(), r.span());
                assert!(crate::validate::rules().iter().any(|i| i.id == fi.rule()));
            }
            assert!(
                (n > 0) != r.is_absorbed(),
                "a refusal draws findings exactly when it is not an absorbed 100"
            );
            assert_eq!(
                r.finding().map(|f| f.rule()),
                r.findings().first().map(|f| f.rule())
            );
            assert!(!r.to_string().is_empty());
            if view.status().as_u16() == 100 {
                assert_eq!(r.reason(), crate::forward::Refusal::Trying);
            }
            if vias.len() == 1 && sel & 1 != 0 {
                // Ours (or malformed) and alone: never forwarded.
                assert!(!matches!(r.reason(), crate::forward::Refusal::NoVia));
            }
        }
    }
}

#[cfg(feature = "capture")]
/// Target `capture`: arbitrary bytes as a pcap/pcapng file through
/// [`crate::capture`], read as a stream. Invariants: the packet reader hands
/// out the file's octets at their stated offsets, in increasing packet numbers, and stops
/// after a fatal error; every problem's offset lies in the file and names a
/// packet that exists; every layer error lies in its packet; every message
/// found parses the way the parser alone parses its octets (datagrams) and
/// passes [`check_message`]; the whole walk is deterministic.
pub fn capture(data: &[u8]) {
    use crate::capture::file::PacketReader;
    use crate::capture::layers::Dissector;
    use crate::capture::{CaptureEvent, CaptureReader};
    use crate::OwnedMessage;

    let file = bytes::Bytes::copy_from_slice(data);
    let len = data.len() as u64;
    let mut packets = 0u64;
    match PacketReader::new(file.clone()) {
        Err(e) => {
            assert!(e.is_fatal() && e.offset <= len, "bad start error {e:?}");
            assert!(
                CaptureReader::new(file).is_err(),
                "reader and packet reader disagree"
            );
            return;
        }
        Ok(reader) => {
            let mut dissector = Dissector::new();
            let mut fatal = false;
            for p in reader {
                assert!(!fatal, "a packet after a fatal error");
                match p {
                    Ok(p) => {
                        packets += 1;
                        assert_eq!(p.number, packets, "packet numbers skip");
                        let at = p.file_offset as usize;
                        assert_eq!(
                            data.get(at..at + p.data.len()),
                            Some(&p.data[..]),
                            "packet {} is not the file's bytes at {at}",
                            p.number
                        );
                        let decoded = dissector.decode(p.link, &p.data);
                        for e in &decoded.errors {
                            assert!(
                                e.offset <= p.data.len(),
                                "layer error {e:?} past its packet"
                            );
                        }
                        for seg in &decoded.segments {
                            assert!(seg.payload.len() <= 65_536 + p.data.len());
                        }
                    }
                    Err(e) => {
                        assert!(e.offset <= len, "error {e:?} past the file");
                        if let Some(f) = e.frame {
                            packets = packets.max(f);
                        }
                        fatal = e.is_fatal();
                    }
                }
            }
        }
    }
    let walk = || {
        let mut summary = Vec::new();
        for ev in CaptureReader::new(file.clone()).expect("the packet reader accepted it") {
            match ev {
                CaptureEvent::Problem(e) => {
                    assert!(e.offset <= len, "problem {e:?} past the file");
                    assert!(
                        e.frame.is_none_or(|f| f >= 1 && f <= packets),
                        "problem {e:?} names no packet"
                    );
                    summary.push(format!("{e:?}"));
                }
                CaptureEvent::Message(m) => {
                    assert!(
                        m.frame >= 1 && m.frame <= packets,
                        "message in packet {} of {packets}",
                        m.frame
                    );
                    match &m.message {
                        Ok(msg) => {
                            check_message(msg.bytes(), &msg.view());
                            if m.stream_offset.is_none() {
                                let again = OwnedMessage::parse(msg.bytes().clone())
                                    .expect("a datagram message parses again");
                                assert_eq!(again.bytes(), msg.bytes());
                            }
                            summary.push(format!(
                                "{} {} {:?}",
                                m.frame,
                                msg.bytes().len(),
                                m.stream_offset
                            ));
                        }
                        Err(e) => summary.push(format!("{} {e:?} {:?}", m.frame, m.stream_offset)),
                    }
                }
            }
        }
        summary
    };
    assert_eq!(walk(), walk(), "two walks of the same file differ");
}

/// Separates the messages of a `transactions` input.
pub const TXN_SEPARATOR: &[u8] = b"\x00\xff\x00";

/// Target `transactions`: messages seen at points of a small network,
/// through [`TxnTracker::observe`](crate::validate::TxnTracker::observe)
/// with a tiny cap, among endpoints 0-3 (192.0.2.1-4, port 5060). Byte 0:
/// bits 0-2 the cap minus one, bit 3 names endpoints 1 and 3 as one
/// proxy's addresses, bit 4 makes endpoint 1 a stateless proxy. The rest is
/// split on [`TXN_SEPARATOR`]; each part is 3 bytes of sighting (byte 0:
/// bits 0-1 sender, 2-3 receiver, 4 TCP, 5 the clock goes back; bytes 1-2:
/// milliseconds the clock moves, little endian) and a datagram message.
/// Invariants: no panic; every finding's rule is one the tracker owns and
/// its span lies in its message; the observation's exchange key is
/// [`TxnTracker::exchange_of`](crate::validate::TxnTracker::exchange_of)'s;
/// no table holds more than the cap; a second tracker fed the same reports
/// the same (fixed hash keys: eviction order is part of the output).
pub fn transactions(data: &[u8]) {
    use crate::validate::{Finding, Policy, Sighting, Transport, TxnConfig, TxnTracker};
    use std::net::{IpAddr, Ipv4Addr, SocketAddr};
    use std::time::Duration;

    let Some((&cfg, rest)) = data.split_first() else {
        return;
    };
    let cap = 1 + usize::from(cfg & 7);
    let ep = |i: u8| SocketAddr::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1 + (i & 3))), 5060);
    let tracker = || {
        let mut t = TxnTracker::new(TxnConfig {
            max_transactions: cap,
            ..TxnConfig::default()
        });
        if cfg & 8 != 0 {
            t = t.with_proxy(ep(1).ip()).with_proxy(ep(3).ip());
        }
        if cfg & 16 != 0 {
            t = t.with_stateless_proxy(ep(1).ip());
        }
        t
    };
    let policy = Policy::new();
    let run = || {
        let mut t = tracker();
        let mut at = Duration::from_secs(1000);
        let mut seen = Vec::new();
        for (n, part) in split_on(rest, TXN_SEPARATOR).enumerate() {
            let [how, lo, hi, msg @ ..] = part else {
                continue;
            };
            let step = Duration::from_millis(u64::from(u16::from_le_bytes([*lo, *hi])));
            at = if how & 32 != 0 {
                at.saturating_sub(step)
            } else {
                at + step
            };
            let Ok(m) = crate::parse_message(msg) else {
                continue;
            };
            let sighting = Sighting {
                at,
                src: ep(*how),
                dst: ep(how >> 2),
                transport: if how & 16 != 0 {
                    Transport::Tcp
                } else {
                    Transport::Udp
                },
            };
            let mut out: Vec<Finding> = Vec::new();
            let obs = t.observe(&m, sighting, &policy, &mut out);
            assert_eq!(
                obs.exchange(),
                TxnTracker::exchange_of(&m),
                "the observed exchange key is not exchange_of's"
            );
            for f in &out {
                assert!(
                    TxnTracker::RULES.iter().any(|r| r.id() == f.rule()),
                    "{} is not a tracker rule",
                    f.rule()
                );
                if let Some(sp) = f.span() {
                    assert!(
                        sp.start <= sp.end && sp.end <= msg.len(),
                        "{} span {sp:?} outside its message of {}",
                        f.rule(),
                        msg.len()
                    );
                }
                seen.push((n, f.rule(), f.severity(), f.span()));
            }
            let stats = t.stats();
            assert!(
                stats.peak <= cap,
                "a table holds {} > cap {cap}",
                stats.peak
            );
        }
        seen
    };
    assert_eq!(run(), run(), "two trackers fed the same disagree");
}

/// `data` cut at each occurrence of `sep` (the separators dropped).
fn split_on<'a>(data: &'a [u8], sep: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let r = rest?;
        match memchr::memmem::find(r, sep) {
            Some(i) => {
                rest = Some(&r[i + sep.len()..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// A target body: runs over one input, panics when an invariant breaks.
pub type Target = fn(&[u8]);

/// Every target by name, in the order of `fuzz/fuzz_targets/`.
pub const TARGETS: &[(&str, Target)] = &[
    ("parse_response", parse_response),
    ("parse_message", parse_message),
    ("decoder_split", decoder_split),
    ("typed_headers", typed_headers),
    ("roundtrip", roundtrip),
    ("validate", validate),
    ("forward", forward),
    ("transactions", transactions),
    #[cfg(feature = "capture")]
    ("capture", capture),
];
