//! Stream decoding: RFC 4475's valid messages, CRLF-framed with
//! Content-Length, fed one byte at a time, come out exactly once each, and
//! the decoder's work stays linear in the input.

mod common;

use bytes::BytesMut;
use common::{read, RFC4475_VALID};
use sip_response::{parse_message, MessageDecoder, ParseErrorKind, ParseOptions, ResponseDecoder};

/// Each valid message's framed bytes (for `dblreq`, without the 450 octets
/// RFC 4475 §3.1.1.8 says to discard), with keep-alives between some.
fn stream_of_valid_messages() -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut wire = Vec::new();
    let mut expected = Vec::new();
    for (i, name) in RFC4475_VALID.iter().enumerate() {
        let file = read(&format!("rfc4475/{name}.dat"));
        let msg = parse_message(&file).unwrap().span();
        let bytes = file[msg.range()].to_vec();
        if i % 3 == 1 {
            wire.extend_from_slice(b"\r\n\r\n"); // RFC 5626 keep-alive
        }
        wire.extend_from_slice(&bytes);
        expected.push(bytes);
    }
    (wire, expected)
}

#[test]
fn one_byte_at_a_time_yields_each_message_once() {
    let (wire, expected) = stream_of_valid_messages();
    let mut dec = MessageDecoder::new(ParseOptions::stream());
    let mut buf = BytesMut::new();
    let mut got = Vec::new();
    for &b in &wire {
        buf.extend_from_slice(&[b]);
        while let Some(m) = dec.decode_message(&mut buf).unwrap() {
            got.push(m.bytes().to_vec());
        }
    }
    assert!(buf.is_empty());
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g, e);
    }
    // Linear time: every byte is searched once for its line end, never
    // rescanned as the buffer grows.
    assert!(
        dec.bytes_scanned() <= wire.len(),
        "{} > {}",
        dec.bytes_scanned(),
        wire.len()
    );
    assert_eq!(dec.stream_offset(), wire.len());
}

#[test]
fn pipelined_messages_split_exactly() {
    let (wire, expected) = stream_of_valid_messages();
    let mut dec = MessageDecoder::default();
    let mut buf = BytesMut::from(&wire[..]);
    let mut n = 0;
    while let Some(m) = dec.decode_message(&mut buf).unwrap() {
        assert_eq!(m.bytes()[..], expected[n][..]);
        // The view's spans index the owned bytes.
        assert_eq!(m.view().span().start, 0);
        n += 1;
    }
    assert_eq!(n, expected.len());
}

#[test]
fn response_decoder_refuses_requests_and_reports_stream_offsets() {
    let mut dec = ResponseDecoder::default();
    let mut buf = BytesMut::from(
        &b"SIP/2.0 100 Trying\r\nl: 0\r\n\r\nOPTIONS sip:a SIP/2.0\r\nl: 0\r\n\r\n"[..],
    );
    assert_eq!(
        dec.decode_message(&mut buf)
            .unwrap()
            .unwrap()
            .view()
            .status()
            .as_u16(),
        100
    );
    let e = dec.decode_message(&mut buf).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ParseErrorKind::NotAResponse, 28));
}

#[test]
fn body_waits_for_content_length_and_owned_values_share_the_buffer() {
    let mut dec = ResponseDecoder::default();
    let mut buf =
        BytesMut::from(&b"SIP/2.0 200 OK\r\nCall-ID: abc\r\nContent-Length: 5\r\n\r\nhel"[..]);
    assert!(dec.decode_message(&mut buf).unwrap().is_none());
    buf.extend_from_slice(b"lo\r\n");
    let r = dec.decode_message(&mut buf).unwrap().unwrap();
    assert_eq!(&buf[..], b"\r\n");
    let view = r.view();
    assert_eq!(view.body(), b"hello");
    let call_id = view
        .headers()
        .get(sip_response::KnownHeader::CallId)
        .unwrap();
    let shared = r.slice(call_id.value_span());
    assert_eq!(&shared[..], b"abc");
    // Same memory, not a copy.
    assert_eq!(shared.as_ptr(), call_id.value().as_ptr());
    assert_eq!(
        r.slice_ref(call_id.value()).as_ptr(),
        call_id.value().as_ptr()
    );
}

#[test]
fn oversized_content_length_fails_before_buffering() {
    let mut dec = ResponseDecoder::default();
    let mut buf = BytesMut::from(&b"SIP/2.0 200 OK\r\nContent-Length: 10000000\r\n\r\nshort"[..]);
    let e = dec.decode_message(&mut buf).unwrap_err();
    assert_eq!(e.kind(), ParseErrorKind::MessageTooLarge);
}

/// The end of a stream (`decode_eof`): cut at every byte of a stream of
/// valid messages, the messages wholly before the cut come out, then a
/// clean end when only keep-alives follow them, else the cut message's
/// error at the stream's end: `BodyTruncated` when its head was whole (as
/// the one-shot parse of what is left says), `Truncated` otherwise. The
/// next call is a clean end. The response decoder answers the same on a
/// stream of responses.
#[test]
fn decode_eof_tells_a_clean_end_from_a_cut_message() {
    let (wire, expected) = stream_of_valid_messages();
    let mut ends = [0usize; 3];
    for cut in 0..=wire.len() {
        let mut dec = MessageDecoder::default();
        let mut buf = BytesMut::from(&wire[..cut]);
        let mut got = Vec::new();
        // Where the last message taken ends.
        let mut taken = 0;
        let result = loop {
            match dec.decode_eof(&mut buf) {
                Ok(Some(m)) => {
                    got.push(m.bytes().to_vec());
                    taken = dec.stream_offset();
                }
                other => break other,
            }
        };
        assert_eq!(got[..], expected[..got.len()], "cut at {cut}");
        // What follows the messages taken, as a one-shot parse reads it.
        let rest = &wire[taken..cut];
        let clean = rest.iter().all(|&b| b == b'\r' || b == b'\n');
        match result {
            Ok(None) => {
                assert!(clean, "cut at {cut}: {:?}", String::from_utf8_lossy(rest));
                ends[0] += 1;
            }
            Err(e) => {
                assert!(!clean, "cut at {cut}");
                assert_eq!(e.offset(), cut, "cut at {cut}");
                let body_cut = matches!(
                    ParseOptions::stream().parse_message(rest.trim_ascii_start()),
                    Err(p) if p.kind() == ParseErrorKind::BodyTruncated
                );
                let want = if body_cut {
                    ends[1] += 1;
                    ParseErrorKind::BodyTruncated
                } else {
                    ends[2] += 1;
                    ParseErrorKind::Truncated
                };
                assert_eq!(e.kind(), want, "cut at {cut}");
            }
            Ok(Some(_)) => unreachable!(),
        }
        assert!(buf.is_empty());
        assert!(matches!(dec.decode_eof(&mut buf), Ok(None)), "cut at {cut}");
    }
    assert!(ends.iter().all(|&n| n > 0), "{ends:?}");

    let wire = b"SIP/2.0 100 Trying\r\nl: 0\r\n\r\n\r\n\r\nSIP/2.0 200 OK\r\nl: 4\r\n\r\nab";
    let mut dec = ResponseDecoder::default();
    let mut buf = BytesMut::from(&wire[..]);
    let first = dec.decode_eof(&mut buf).unwrap().unwrap();
    assert_eq!(first.status().as_u16(), 100);
    let e = dec.decode_eof(&mut buf).unwrap_err();
    assert_eq!(
        (e.kind(), e.offset()),
        (ParseErrorKind::BodyTruncated, wire.len())
    );
    assert!(dec.decode_eof(&mut buf).unwrap().is_none());
}
