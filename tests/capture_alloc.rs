//! Memory bounds of the capture reader under hostile captures, measured
//! with a counting allocator (peak live heap during the walk; the capture
//! file itself is allocated before counting starts and not counted, and is
//! read as a stream through a read buffer of [`BUFFER`] octets, which is
//! counted).
//!
//! - What is waiting (out-of-order TCP segments, IP fragments, a stream
//!   with no line end) is held up to a fixed bound, however large the
//!   capture: each kind of wait has its own cap.
//! - What the file side holds is its read buffer and the packet in hand,
//!   whatever the size of the capture.
//! - What is followed (one pending message per TCP direction) grows at
//!   most linearly with the capture: no amplification.
//!
//! Its own test binary, because it installs a global allocator.

mod capture_builders;
mod counting_alloc;

use bytes::Bytes;
use capture_builders::*;
use counting_alloc::measure;
use sip_response::capture::LayerErrorKind;
use sip_response::capture::{CaptureErrorKind, CaptureEvent, CaptureOptions, CaptureReader};

/// Walks `file`, dropping each event as it comes (as a streaming consumer
/// would); returns the problems' kinds, the number of messages, and the
/// peak heap the walk held.
fn walk(file: &[u8]) -> (Vec<CaptureErrorKind>, usize, usize) {
    let file = Bytes::copy_from_slice(file);
    let ((problems, messages), m) = measure(|| {
        let mut problems = Vec::new();
        let mut messages = 0;
        let options = CaptureOptions::default().buffer(BUFFER);
        let source = std::io::Cursor::new(file);
        for ev in CaptureReader::from_read(source, options).unwrap() {
            match ev {
                CaptureEvent::Problem(p) => {
                    if problems.len() < 16 {
                        problems.push(p.kind);
                    }
                }
                CaptureEvent::Message(_) => messages += 1,
            }
        }
        (problems, messages)
    });
    (problems, messages, m.peak)
}

const KIB: usize = 1024;

/// The read buffer the walks stream through.
const BUFFER: usize = 64 * KIB;

#[test]
fn out_of_order_segments_are_held_up_to_a_fixed_bound() {
    // 40 000 segments of 100 octets, each after a one-octet hole: nothing
    // can ever be delivered in order (4 MB of payload, 6.7 MB of capture).
    let mut cap = Pcap::ethernet();
    let chunk = vec![b'x'; 100];
    cap.add(&tcp(UAS, UAC, 0, SYN, b""));
    for i in 0..40_000u32 {
        cap.add(&tcp(UAS, UAC, 2 + i * 101, PSH, &chunk));
    }
    let (_, messages, peak) = walk(&cap.buf);
    assert_eq!(messages, 0);
    assert!(
        peak < BUFFER + 256 * KIB,
        "peak {peak} for a {} octet capture",
        cap.buf.len()
    );
}

#[test]
fn pending_fragments_are_held_up_to_a_fixed_bound() {
    // 50 000 first fragments of different datagrams: none completes.
    let mut cap = Pcap::ethernet();
    let part = vec![b'y'; 512];
    for id in 0..50_000u32 {
        cap.add(&ipv4_fragment(id as u16, 0, true, &part));
    }
    let (problems, messages, peak) = walk(&cap.buf);
    assert_eq!(messages, 0);
    let dropped = CaptureErrorKind::Layer(LayerErrorKind::FragmentDropped);
    assert!(problems.contains(&dropped), "{problems:?}");
    assert!(
        peak < BUFFER + 512 * KIB,
        "peak {peak} for a {} octet capture",
        cap.buf.len()
    );
}

#[test]
fn a_stream_without_line_ends_is_held_up_to_a_fixed_bound() {
    // 8 MB of octets with no LF on a connection that carried SIP: the
    // search for the next start line keeps only the last, too-long line.
    let mut cap = Pcap::ethernet();
    let first = b"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
    cap.add(&tcp(UAS, UAC, 1, PSH, first));
    let junk = vec![b'z'; 1400];
    let mut seq = 1 + first.len() as u32;
    for _ in 0..6_000 {
        cap.add(&tcp(UAS, UAC, seq, PSH, &junk));
        seq += junk.len() as u32;
    }
    let (problems, messages, peak) = walk(&cap.buf);
    assert_eq!(messages, 1);
    assert!(
        problems
            .iter()
            .all(|k| matches!(k, CaptureErrorKind::Skipped { .. })),
        "{problems:?}"
    );
    assert!(
        peak < BUFFER + 128 * KIB,
        "peak {peak} for a {} octet capture",
        cap.buf.len()
    );
}

#[test]
fn followed_streams_grow_at_most_linearly() {
    // 3 000 TCP directions, each with 2 KiB of a message head that never
    // ends: every one is followed, and each holds its partial message.
    let mut cap = Pcap::ethernet();
    let mut head = b"SIP/2.0 200 OK\r\n".to_vec();
    while head.len() < 2 * KIB {
        head.extend_from_slice(b"X-Filler: abcdefghijklmnopqrstuvwxyz0123456789\r\n");
    }
    for i in 0..3_000u32 {
        let src = ([10, 1, (i >> 8) as u8, i as u8], 5060);
        cap.add(&tcp(src, UAC, 1, PSH, &head));
    }
    let (_, messages, peak) = walk(&cap.buf);
    // Each is reported as cut short at the end of the capture.
    assert_eq!(messages, 3_000);
    // Per direction: its buffered octets, its decoder's state and its
    // table entry, about twice what the capture spent on it (measured:
    // 12.6 MB for 6.4 MB); a copy per packet, or worse, would break this.
    assert!(
        peak < 3 * cap.buf.len(),
        "peak {peak} for a {} octet capture",
        cap.buf.len()
    );
}

/// A capture of many whole UDP messages, `calls` of them.
fn udp_messages(calls: u32) -> Vec<u8> {
    let mut cap = Pcap::ethernet();
    for i in 0..calls {
        let m = format!(
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK{i}\r\n\
             Call-ID: {i}@x\r\nCSeq: 1 OPTIONS\r\nFrom: <sip:a@x>;tag=1\r\n\
             To: <sip:b@x>;tag=2\r\nContent-Length: 0\r\n\r\n"
        );
        cap.add(&udp(UAS, UAC, m.as_bytes()));
    }
    cap.buf
}

#[test]
fn a_streamed_capture_is_held_in_fixed_memory_whatever_its_size() {
    // Messages dropped as they come: the reader holds its buffer and one
    // packet, so four times the capture costs no more memory.
    let small = udp_messages(5_000);
    let large = udp_messages(20_000);
    let (_, n_small, peak_small) = walk(&small);
    let (_, n_large, peak_large) = walk(&large);
    assert_eq!((n_small, n_large), (5_000, 20_000));
    assert!(
        peak_small < BUFFER + 16 * KIB && peak_large < BUFFER + 16 * KIB,
        "peaks {peak_small} and {peak_large} for {} and {} octets",
        small.len(),
        large.len()
    );
}
