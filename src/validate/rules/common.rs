//! Spec section 1: start line, framing and body (all responses).

use crate::header::KnownHeader;
use crate::lex;
use crate::span::Span;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    status_line_syntax(f, out);
    status_line_missing_reason_sp(f, out);
    sip_version(f, out);
    status_code_class_invalid(f, out);
    status_code_rfc2543_legacy(f, out);
    status_code_unregistered(f, out);
    reason_phrase_nondefault(f, out);
    reason_phrase_ctl(f, out);
    reason_phrase_outside_grammar(f, out);
    reason_phrase_bad_utf8(f, out);
    reason_phrase_specific(f, out);
    line_ending_not_crlf(f, out);
    header_block_unterminated(f, out);
    header_line_malformed(f, out);
    content_length_missing(f, out);
    content_length_syntax_multiple(f, out);
    content_length_exceeds_body(f, out);
    content_length_short(f, out);
    content_type_missing(f, out);
    chunked_encoding(f, out);
    udp_size_info(f, out);
}

/// `status-line-syntax` — RFC 3261 §7.2, §25.1: `Status-Line = SIP-Version
/// SP Status-Code SP Reason-Phrase CRLF`; the elements are separated by
/// single SP characters and no CR or LF may appear except in the final CRLF.
/// Reported: leading white space, anything but one SP between version and
/// code, a fold of the start line, a bare CR inside it. Extra white space
/// after the SP that follows the code is phrase, not a finding.
fn status_line_syntax<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let rule = r::STATUS_LINE_SYNTAX;
    if let Some(span) = f.resp.status_line_leading_ws() {
        out.emit(
            rule,
            Some(span),
            Detail::new("white space before SIP-Version"),
        );
    }
    if let Some(span) = f.resp.status_line_odd_ws() {
        out.emit(
            rule,
            Some(span),
            Detail::new("separator between version and code is not one SP"),
        );
    }
    if let Some(span) = f.resp.deviations().start_line_folded() {
        out.emit(rule, Some(span), Detail::new("the status line is folded"));
    }
    let line = f.status_line;
    if let Some(cr) = f.bare_cr {
        if cr.start >= line.start && cr.end <= line.end {
            out.emit(
                rule,
                Some(cr),
                Detail::new("bare CR inside the status line"),
            );
        }
    }
}

/// `status-line-missing-reason-sp` — RFC 3261 §25.1: the SP after the
/// Status-Code is required even when the Reason-Phrase is empty; RFC 4475
/// §3.1.1.13 asks receivers to accept its absence (hence the lowered
/// severity). Span: the empty position right after the code.
fn status_line_missing_reason_sp<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.resp.status_line_missing_reason_sp() {
        let at = f.resp.code_span().end;
        out.emit(
            r::STATUS_LINE_MISSING_REASON_SP,
            Some(Span::empty(at)),
            Detail::new("no SP between the code and the line end"),
        );
    }
}

/// `sip-version-not-2-0` and `sip-version-not-uppercase` — RFC 3261 §7.1:
/// senders MUST include SIP-Version "SIP/2.0"; the version is compared
/// case-insensitively but MUST be sent in upper case.
fn sip_version<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let v = f.resp.version();
    let span = Some(f.resp.version_span());
    if !v.eq_ignore_ascii_case(b"SIP/2.0") {
        out.emit(
            r::SIP_VERSION_NOT_2_0,
            span,
            Detail::new("the version is not SIP/2.0"),
        );
    } else if v != b"SIP/2.0" {
        out.emit(
            r::SIP_VERSION_NOT_UPPERCASE,
            span,
            Detail::new("the version is not upper case"),
        );
    }
}

/// `status-code-class-invalid` — RFC 3261 §7.2: SIP/2.0 allows six values
/// for the first digit (1 to 6); RFC 4475 §3.1.2.19 drops such responses.
fn status_code_class_invalid<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !(100..700).contains(&f.code) {
        out.emit(
            r::STATUS_CODE_CLASS_INVALID,
            Some(f.resp.code_span()),
            Detail::with(
                "the first digit is not 1 to 6",
                DetailArg::Number(f.code.into()),
            ),
        );
    }
}

/// `status-code-rfc2543-legacy` — RFC 3261 §21 (intro): HTTP/1.1 codes not
/// listed in RFC 3261 should not be used; 409 and 411 existed only in RFC
/// 2543 (§7.4.10, §7.4.12).
fn status_code_rfc2543_legacy<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if matches!(f.code, 409 | 411) {
        out.emit(
            r::STATUS_CODE_RFC2543_LEGACY,
            Some(f.resp.code_span()),
            Detail::with("code dropped by RFC 3261", DetailArg::Number(f.code.into())),
        );
    }
}

/// `status-code-unregistered` — RFC 3261 §8.1.3.2, §27.4: a code in
/// 100–699 that the IANA registry does not hold is legal but unknown; a UAC
/// treats it as x00 of its class (183 for an unknown 1xx). Info. Span: the
/// code.
fn status_code_unregistered<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let code = f.resp.status();
    if (100..700).contains(&f.code) && !code.is_registered() {
        out.emit(
            r::STATUS_CODE_UNREGISTERED,
            Some(f.resp.code_span()),
            Detail::with(
                "unregistered code, treated as",
                DetailArg::Number(code.effective().as_u16().into()),
            ),
        );
    }
}

/// `reason-phrase-nondefault` — RFC 3261 §7.2: implementations may use any
/// phrase (a localised one, say), so a phrase other than the registry's is
/// not a violation. Off in the default policy ("report only on request");
/// compared ignoring ASCII case, and the registry's "(Deprecated)" mark is
/// not part of the phrase. Span: the phrase.
fn reason_phrase_nondefault<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !out.wants(r::REASON_PHRASE_NONDEFAULT) {
        return;
    }
    let Some(default) = f.resp.status().canonical_reason() else {
        return;
    };
    let default = default.trim_end_matches(" (Deprecated)");
    if !f.resp.reason().eq_ignore_ascii_case(default.as_bytes()) {
        out.emit(
            r::REASON_PHRASE_NONDEFAULT,
            Some(f.resp.reason_span()),
            Detail::with("the registry phrase is", DetailArg::Word(default)),
        );
    }
}

/// Absolute span of the reason-phrase byte at relative index `i`.
fn phrase_byte(f: &Facts<'_, '_>, i: usize) -> Span {
    let s = f.resp.reason_span().start + i;
    Span::new(s, s + 1)
}

/// `reason-phrase-ctl` — RFC 3261 §25.1: Reason-Phrase admits reserved,
/// unreserved, escaped, UTF-8, SP and HTAB only, so no control octet other
/// than HTAB. Span: the first such octet. CR and LF are not counted: a CR
/// (or LF) inside the status line breaks the line itself and is
/// `status-line-syntax`'s ("a CR or LF inside the line"), so `SIP/2.0 200
/// OK\r\r\n` is reported once, not also as a control octet of the phrase.
fn reason_phrase_ctl<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let phrase = f.resp.reason();
    if let Some(i) = phrase
        .iter()
        .position(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\r' | b'\n')) || b == 0x7f)
    {
        out.emit(
            r::REASON_PHRASE_CTL,
            Some(phrase_byte(f, i)),
            Detail::with(
                "control octet in the reason phrase",
                DetailArg::Number(phrase[i].into()),
            ),
        );
    }
}

/// `reason-phrase-outside-grammar` — RFC 3261 §25.1 (Reason-Phrase): the
/// printable ASCII characters `" # < > [ ] \ ^ ` { } |` are neither
/// reserved nor unreserved, and `%` must start `escaped` (two hex digits).
/// The phrase is for humans, so this is informational. Span: the first one.
fn reason_phrase_outside_grammar<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    let p = f.resp.reason();
    let bad = (0..p.len()).find(|&i| match p[i] {
        b'"' | b'#' | b'<' | b'>' | b'[' | b']' | b'\\' | b'^' | b'`' | b'{' | b'}' | b'|' => true,
        b'%' => {
            !(p.get(i + 1).is_some_and(|b| lex::is_hex(*b))
                && p.get(i + 2).is_some_and(|b| lex::is_hex(*b)))
        }
        _ => false,
    });
    if let Some(i) = bad {
        out.emit(
            r::REASON_PHRASE_OUTSIDE_GRAMMAR,
            Some(phrase_byte(f, i)),
            Detail::new("character outside the Reason-Phrase grammar"),
        );
    }
}

/// `reason-phrase-bad-utf8` — RFC 3261 §7 and §25.1: non-ASCII phrase text
/// is UTF-8 (RFC 4475 §3.1.1.12 shows a valid one). Checked against RFC
/// 3629 UTF-8, so the old 5- and 6-byte forms are reported too (grammar
/// notes). Span: the first invalid sequence.
fn reason_phrase_bad_utf8<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let p = f.resp.reason();
    if let Err(e) = core::str::from_utf8(p) {
        let start = f.resp.reason_span().start + e.valid_up_to();
        let len = e.error_len().unwrap_or(p.len() - e.valid_up_to());
        out.emit(
            r::REASON_PHRASE_BAD_UTF8,
            Some(Span::new(start, start + len)),
            Detail::new("the reason phrase is not valid UTF-8"),
        );
    }
}

/// `reason-phrase-specific` — RFC 3261 §21.4.1 (400: the phrase SHOULD
/// identify the syntax problem), §21.4.18 (480: SHOULD give a more detailed
/// reason) and §21.4.22 (484). Fires when the phrase is only the generic
/// default text (ASCII case ignored). Lowered to info by the spec.
fn reason_phrase_specific<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let default: &[u8] = match f.code {
        400 => b"Bad Request",
        480 => b"Temporarily Unavailable",
        484 => b"Address Incomplete",
        _ => return,
    };
    if f.resp.reason().eq_ignore_ascii_case(default) {
        out.emit(
            r::REASON_PHRASE_SPECIFIC,
            Some(f.resp.reason_span()),
            Detail::new("the phrase is only the default text"),
        );
    }
}

/// `line-ending-not-crlf` — RFC 3261 §7: the start line, each header line
/// and the empty line MUST end in CRLF. One finding at the first bare LF
/// (the detail gives how many lines), one at the first bare CR outside the
/// status line (a bare CR inside it is `status-line-syntax`). The rules
/// that run after it do not report that CR again in its own row (see
/// [`Emitter::reported_bare_cr`]): `Call-ID: a<CR>b` is this finding, not
/// also `call-id-empty-or-ws`.
fn line_ending_not_crlf<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let dev = f.resp.deviations();
    if let Some(span) = dev.bare_lf() {
        out.emit(
            r::LINE_ENDING_NOT_CRLF,
            Some(span),
            Detail::with(
                "line ended by a bare LF",
                DetailArg::Number(dev.bare_lf_count().into()),
            ),
        );
    }
    if let Some(cr) = f.bare_cr {
        if cr.start >= f.status_line.end {
            out.emit(
                r::LINE_ENDING_NOT_CRLF,
                Some(cr),
                Detail::new("bare CR in the header section"),
            );
            if out.wants(r::LINE_ENDING_NOT_CRLF) {
                let headers = f.resp.headers();
                let row = logical_row(headers.src(), headers.span().end, cr.start);
                out.reported_bare_cr(cr.start, row);
            }
        }
    }
}

/// The header row (with its continuation lines) that holds offset `at` of
/// a header section ending at `limit`: back to the line that does not
/// start with SP/HTAB, then forward as the header walk reads a row
/// ([`raw_row`](crate::header::raw_row)).
fn logical_row(src: &[u8], limit: usize, at: usize) -> Span {
    let line_start = |i: usize| memchr::memrchr(b'\n', &src[..i]).map_or(0, |p| p + 1);
    let mut start = line_start(at);
    // A continuation line belongs to the row above it.
    while start > 0 && src.get(start).is_some_and(|&b| lex::is_ws(b)) {
        start = line_start(start - 1);
    }
    let row = crate::header::raw_row(src, start, limit);
    Span::new(row.start, row.end)
}

/// `header-block-unterminated` — RFC 3261 §7: the empty line MUST be
/// present even when there is no body. Span: empty, where it is missing.
fn header_block_unterminated<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if let Some(span) = f.resp.deviations().head_unterminated() {
        out.emit(
            r::HEADER_BLOCK_UNTERMINATED,
            Some(span),
            Detail::new("no empty line after the headers"),
        );
    }
}

/// `header-line-malformed` — RFC 3261 §7.3.1, §25.1: `message-header =
/// header-name HCOLON header-value CRLF`, `header-name = token`. One
/// finding per malformed row (no colon, non-token name, continuation with no
/// header before it). SP/HTAB before the colon is allowed (§7.3.1).
fn header_line_malformed<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !out.wants(r::HEADER_LINE_MALFORMED) {
        return;
    }
    for span in f.sheet.malformed() {
        out.emit(
            r::HEADER_LINE_MALFORMED,
            Some(span),
            Detail::new("not header-name HCOLON value"),
        );
    }
}

/// `content-length-missing-stream` — RFC 3261 §18.3, §20.14: on
/// stream-oriented transports Content-Length MUST be used.
/// `content-length-missing-datagram` — §18.3: on UDP (and SCTP, RFC 4168) it
/// SHOULD be present; WebSocket frames messages itself (RFC 7118 §5), so
/// nothing is reported there. Both need the transport from the Context.
fn content_length_missing<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let Some(t) = f.ctx.transport() else {
        return;
    };
    if f.has(KnownHeader::ContentLength) {
        return;
    }
    if t.is_stream() {
        out.emit(
            r::CONTENT_LENGTH_MISSING_STREAM,
            Some(f.status_line),
            Detail::with("no Content-Length", DetailArg::Word(t.as_str())),
        );
    } else if t.is_datagram() {
        out.emit(
            r::CONTENT_LENGTH_MISSING_DATAGRAM,
            Some(f.status_line),
            Detail::with("no Content-Length", DetailArg::Word(t.as_str())),
        );
    }
}

/// `content-length-syntax` — RFC 3261 §25.1: `Content-Length = ( "Content-
/// Length" / "l" ) HCOLON 1*DIGIT`; a value that is not digits or does not
/// fit 64 bits is a framing error (RFC 4475 §3.1.2.3).
/// `content-length-multiple` — §7.3.1, §20.14: a second row, or one row
/// with comma-joined digit values (`5, 5`), which the grammar cannot hold
/// (RFC 4475 §3.3.9). Span: the failing value for the syntax rule (the
/// row when the value is empty), as every syntax rule spans the failing
/// part; the offending row for the repeated one.
fn content_length_syntax_multiple<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    let dev = f.resp.deviations();
    if let Some(span) = dev.content_length_syntax() {
        // Find the row: its value decides between "several values" and syntax.
        let row = f
            .rows(KnownHeader::ContentLength)
            .find(|h| h.span() == span);
        let several = row.is_some_and(|h| {
            let v = h.value();
            let mut n = 0;
            let all_digits = lex::ListSplit::new(v).all(|(a, b)| {
                n += 1;
                b > a && v[a..b].iter().all(|c| lex::is_digit(*c))
            });
            all_digits && n > 1
        });
        if several {
            out.emit(
                r::CONTENT_LENGTH_MULTIPLE,
                Some(span),
                Detail::new("several values on one Content-Length row"),
            );
        } else {
            let value = row
                .map(|h| h.value_span())
                .filter(|v| !v.is_empty())
                .unwrap_or(span);
            out.emit(
                r::CONTENT_LENGTH_SYNTAX,
                Some(value),
                Detail::new("Content-Length is not 1*DIGIT"),
            );
        }
    }
    if let Some(span) = dev.content_length_multiple() {
        out.emit(
            r::CONTENT_LENGTH_MULTIPLE,
            Some(span),
            Detail::new("more than one Content-Length row"),
        );
    }
}

/// `content-length-exceeds-body` — RFC 3261 §18.3, §20.14: a datagram
/// whose Content-Length is larger than the octets after the empty line MUST
/// be discarded (RFC 4475 §3.1.2.2). Span: the Content-Length value.
fn content_length_exceeds_body<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if let Some((declared, _available)) = f.resp.deviations().body_truncated() {
        let span = f
            .first(KnownHeader::ContentLength)
            .map_or(f.status_line, |h| h.value_span());
        out.emit(
            r::CONTENT_LENGTH_EXCEEDS_BODY,
            Some(span),
            Detail::with(
                "Content-Length is larger than the body",
                DetailArg::Number(declared),
            ),
        );
    }
}

/// `content-length-short` — RFC 3261 §18.3: on a message-oriented
/// transport, octets beyond Content-Length MUST be discarded; they are not
/// part of the message (RFC 4475 §3.1.1.8). That holds for a WebSocket
/// message too, which carries exactly one SIP message (RFC 7118 §5), so
/// its extra octets are never a next message. On a stream (TCP, TLS) they
/// are the next message, so nothing is reported there.
fn content_length_short<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.ctx.transport().is_some_and(|t| t.is_stream()) {
        return;
    }
    if let Some(span) = f.resp.deviations().trailing_octets() {
        out.emit(
            r::CONTENT_LENGTH_SHORT,
            Some(span),
            Detail::with(
                "octets after the Content-Length body",
                DetailArg::Number(span.len() as u64),
            ),
        );
    }
}

/// `content-type-missing` — RFC 3261 §7.4.1, §20.15: if the body is not
/// empty, Content-Type MUST be present. The body is what Content-Length
/// delimits. Span: the body.
fn content_type_missing<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !f.resp.body().is_empty() && !f.has(KnownHeader::ContentType) {
        out.emit(
            r::CONTENT_TYPE_MISSING,
            Some(f.resp.body_span()),
            Detail::new("non-empty body without Content-Type"),
        );
    }
}

/// `chunked-encoding` — RFC 3261 §7.4.2: implementations MUST NOT use the
/// HTTP/1.1 chunked transfer coding. Reported once, at the first
/// Transfer-Encoding row listing `chunked` (case-insensitive, RFC 3261
/// §7.3.1 tokens): the message uses it, however many rows say so.
fn chunked_encoding<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let chunked = f.rows(KnownHeader::TransferEncoding).find(|h| {
        h.elements().any(|e| {
            let end = lex::token_end(e.bytes, 0);
            e.bytes[..end].eq_ignore_ascii_case(b"chunked")
        })
    });
    if let Some(h) = chunked {
        out.emit(
            r::CHUNKED_ENCODING,
            Some(h.span()),
            Detail::new("chunked transfer coding"),
        );
    }
}

/// Datagram size above which `udp-size-info` notes fragmentation risk when
/// the path MTU is unknown: 1500 − 200 (RFC 3261 §18.1.1).
const UDP_SIZE_NOTE: usize = 1300;

/// `udp-size-info` — RFC 3261 §18.1.1: a message within 200 bytes of the
/// path MTU (1300 bytes when unknown) risks fragmentation; the MUST there
/// binds requests, so this is informational. Span: the whole message.
fn udp_size_info<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.ctx.transport() == Some(crate::validate::Transport::Udp)
        && f.resp.span().len() > UDP_SIZE_NOTE
    {
        out.emit(
            r::UDP_SIZE_INFO,
            Some(f.resp.span()),
            Detail::with(
                "UDP message larger than 1300 bytes",
                DetailArg::Number(f.resp.span().len() as u64),
            ),
        );
    }
}
