//! Allocation bounds under hostile input: the decoder allocates nothing of
//! its own, however long or hostile the stream (only `BytesMut::split_to`
//! allocates its small shared header, once per buffer the caller
//! allocated), and the one-shot parser allocates nothing, whether it
//! succeeds or fails on a limit.
//!
//! Its own test binary, because it installs a counting global allocator
//! that only counts while a flag is set around the library call.

use bytes::BytesMut;
use sip_response::{Limits, MessageDecoder, ParseErrorKind, ParseOptions};

mod counting_alloc;
use counting_alloc::measure;

/// What the decoder allocated while reading a stream.
#[derive(Debug)]
struct Spent {
    messages: usize,
    /// Buffer allocations the caller made (the first one included).
    buffers: usize,
    error: Option<ParseErrorKind>,
    allocs: usize,
    bytes: usize,
}

/// Feeds `prefix` then `unit` repeated (up to `total` bytes) in 4 KiB
/// chunks, counting only what happens inside `decode`.
fn decode_counting(prefix: &[u8], unit: &[u8], total: usize) -> Spent {
    let mut dec = MessageDecoder::new(ParseOptions::stream());
    let mut buf = BytesMut::with_capacity(1 << 20);
    let mut chunk = Vec::with_capacity(4096);
    let (mut fed, mut messages, mut allocs, mut bytes) = (0, 0, 0, 0);
    let mut buffers = 1;
    let byte_at = |i: usize| match prefix.get(i) {
        Some(&b) => b,
        None => unit[(i - prefix.len()) % unit.len()],
    };
    while fed < total {
        chunk.clear();
        while chunk.len() < 4096 && fed < total {
            chunk.push(byte_at(fed));
            fed += 1;
        }
        if buf.capacity() - buf.len() < chunk.len() {
            // Make room outside the counted region: growing the caller's
            // buffer is the caller's allocation, not the decoder's.
            buf.reserve(1 << 20);
            buffers += 1;
        }
        buf.extend_from_slice(&chunk);
        loop {
            let (res, m) = measure(|| dec.decode_message(&mut buf));
            let (n, b) = (m.allocs, m.bytes);
            allocs += n;
            bytes += b;
            match res {
                Ok(Some(m)) => {
                    messages += 1;
                    drop(m);
                }
                Ok(None) => break,
                Err(e) => {
                    return Spent {
                        messages,
                        buffers,
                        error: Some(e.kind()),
                        allocs,
                        bytes,
                    }
                }
            }
        }
    }
    Spent {
        messages,
        buffers,
        error: None,
        allocs,
        bytes,
    }
}

/// The decoder's budget: it allocates nothing of its own (the scanner
/// lives inline in the decoder). The only allocation inside `decode` is
/// the small shared header `BytesMut::split_to` creates the first time it
/// shares a buffer allocation, so once per buffer the caller allocated.
fn within_budget(s: &Spent) -> bool {
    const SHARED_HEADER_BYTES: usize = 64;
    s.allocs <= s.buffers && s.bytes <= s.buffers * SHARED_HEADER_BYTES
}

#[test]
fn hostile_streams_cost_the_decoder_a_constant() {
    let status = b"SIP/2.0 200 OK\r\n";
    let l = Limits::DEFAULT;
    // (what, prefix, repeated unit, total bytes, expected error)
    type Case = (&'static str, Vec<u8>, Vec<u8>, usize, ParseErrorKind);
    let cases: Vec<Case> = vec![
        (
            "endless row",
            [&status[..], b"X: "].concat(),
            b"a".to_vec(),
            1 << 24,
            ParseErrorKind::LineTooLong,
        ),
        (
            "100 000 tiny headers",
            status.to_vec(),
            b"a: 1\r\n".to_vec(),
            600_000,
            ParseErrorKind::TooManyHeaders,
        ),
        (
            "a million folds",
            [&status[..], b"X: a\r\n"].concat(),
            b" b\r\n".to_vec(),
            4_000_000,
            ParseErrorKind::TooManyContinuations,
        ),
        (
            "10 MB body",
            b"SIP/2.0 200 OK\r\nContent-Length: 10000000\r\n\r\n".to_vec(),
            b"b".to_vec(),
            10_000_100,
            ParseErrorKind::MessageTooLarge,
        ),
        (
            "endless head",
            status.to_vec(),
            [&b"X-Pad: "[..], &[b'p'; 4000], b"\r\n"].concat(),
            1 << 24,
            ParseErrorKind::HeadTooLarge,
        ),
    ];
    assert!(l.max_headers < 100_000);
    for (what, prefix, unit, total, kind) in cases {
        let s = decode_counting(&prefix, &unit, total);
        assert_eq!(s.error, Some(kind), "{what}: {s:?}");
        assert_eq!(s.messages, 0, "{what}");
        assert!(within_budget(&s), "{what}: {s:?}");
    }
}

#[test]
fn many_messages_cost_a_constant_each() {
    let msg = b"SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nl: 4\r\n\r\nbody";
    let s = decode_counting(b"", msg, msg.len() * 5_000);
    assert_eq!((s.messages, s.error), (5_000, None), "{s:?}");
    assert!(within_budget(&s), "{s:?}");
    // And the per-message cost does not depend on the message size.
    let mut big = b"SIP/2.0 200 OK\r\n".to_vec();
    for _ in 0..200 {
        big.extend_from_slice(b"X-Filler: 0123456789012345678901234567890123456789\r\n");
    }
    big.extend_from_slice(b"Content-Length: 0\r\n\r\n");
    let t = decode_counting(b"", &big, big.len() * 500);
    assert_eq!((t.messages, t.error), (500, None), "{t:?}");
    assert!(within_budget(&t), "{t:?}");
}

#[test]
fn one_shot_parse_allocates_nothing_even_on_hostile_input() {
    let l = Limits::DEFAULT;
    let long_row = [&b"SIP/2.0 200 OK\r\nX: "[..], &vec![b'a'; l.max_line + 10]].concat();
    let tiny = [&b"SIP/2.0 200 OK\r\n"[..], &b"a: 1\r\n".repeat(1_000)].concat();
    let folds = [&b"SIP/2.0 200 OK\r\nX: a\r\n"[..], &b" b\r\n".repeat(1_000)].concat();
    let mut comments = b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;x=(".to_vec();
    comments.extend_from_slice(&b"\\(,".repeat(2_000));
    comments.extend_from_slice(b"\r\nl: 0\r\n\r\n");
    let cases: [(&str, &[u8]); 4] = [
        ("long row", &long_row),
        ("many rows", &tiny),
        ("many folds", &folds),
        ("unclosed comment", &comments),
    ];
    for (what, input) in cases {
        for opts in [ParseOptions::datagram(), ParseOptions::stream()] {
            let (res, m) = measure(|| opts.parse_message(input).map(|m| m.headers().len()));
            let n = m.allocs;
            assert_eq!(n, 0, "{what}: {res:?}");
        }
    }
}
