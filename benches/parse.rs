//! Parser throughput (criterion). `cargo bench` runs it; CI only builds it
//! (`cargo bench --no-run`).
//!
//! The `parse_response` group parses the same messages with httparse, whose
//! grammar wants `HTTP/1.x`: its copy of each message has the version token
//! swapped (`SIP/2.0` → `HTTP/1.1`, one byte longer) and is otherwise
//! identical. httparse does less work (it neither classifies header names
//! nor frames the body), so it is the floor to measure against. The same
//! group runs two other Rust SIP parsers of crates.io (rsip, sipmsg) on
//! the SIP messages themselves; `tools/bench-peers` (BENCHMARKS.md) adds
//! parsip, ezk-sip-types and rvoip-sip-core, kept out of this package's
//! dependencies.
#![allow(missing_docs)] // criterion's macros generate undocumented items

use bytes::BytesMut;
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sip_response::header::typed::{CSeq, ToHeader, Via};
use sip_response::{parse_response, KnownHeader, ParseOptions, ResponseDecoder};

mod messages;
use messages::{COMPACT, HEADERS_20, OK_794, OK_INVITE, TRYING};

fn as_http(sip: &[u8]) -> Vec<u8> {
    let mut v = b"HTTP/1.1".to_vec();
    v.extend_from_slice(&sip[7..]);
    v
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse_response");
    for (name, msg) in [
        ("100_trying", TRYING),
        ("200_ok_invite_sdp", OK_INVITE),
        ("200_ok_794", OK_794),
        ("180_compact", COMPACT),
        ("200_ok_20_headers", HEADERS_20),
    ] {
        g.throughput(Throughput::Bytes(msg.len() as u64));
        g.bench_with_input(BenchmarkId::new("sip_response", name), msg, |b, m| {
            b.iter(|| {
                let r = parse_response(black_box(m)).unwrap();
                black_box((r.status(), r.body().len()))
            })
        });
        g.bench_with_input(
            BenchmarkId::new("sip_response+lookups", name),
            msg,
            |b, m| {
                b.iter(|| {
                    let r = parse_response(black_box(m)).unwrap();
                    let h = r.headers();
                    black_box((
                        h.get(KnownHeader::Via).map(|v| v.value().len()),
                        h.get(KnownHeader::CSeq).map(|v| v.value().len()),
                        h.get(KnownHeader::CallId).map(|v| v.value().len()),
                    ))
                })
            },
        );
        // The other Rust SIP parsers on crates.io, each to a parsed message
        // with its status code and header list: rsip 0.4 (nom, copies into
        // owned strings, headers untyped until asked) and sipmsg 0.2 (nom,
        // borrows, but parses known headers' parameters eagerly).
        g.bench_with_input(BenchmarkId::new("rsip", name), msg, |b, m| {
            b.iter(|| {
                let r = rsip::Response::try_from(black_box(m)).unwrap();
                black_box((r.status_code.code(), r.headers.iter().count()))
            })
        });
        g.bench_with_input(BenchmarkId::new("sipmsg", name), msg, |b, m| {
            use sipmsg::NomParser;
            b.iter(|| {
                let (_, r) = sipmsg::SipResponse::parse(black_box(m)).unwrap();
                black_box((r.sl.status_code, r.body.map(<[u8]>::len)))
            })
        });
        let http = as_http(msg);
        g.bench_with_input(BenchmarkId::new("httparse", name), &http, |b, m| {
            b.iter(|| {
                let mut headers = [httparse::EMPTY_HEADER; 32];
                let mut r = httparse::Response::new(&mut headers);
                let status = r.parse(black_box(m)).unwrap();
                black_box((r.code, status.is_complete()))
            })
        });
    }
    g.finish();
}

fn decoder(c: &mut Criterion) {
    let mut g = c.benchmark_group("decoder");
    let mut wire = Vec::new();
    for _ in 0..8 {
        wire.extend_from_slice(OK_INVITE);
    }
    g.throughput(Throughput::Bytes(wire.len() as u64));
    g.bench_function("pipelined_8x640", |b| {
        b.iter(|| {
            let mut dec = ResponseDecoder::new(ParseOptions::stream());
            let mut buf = BytesMut::from(&wire[..]);
            let mut n = 0;
            while let Some(r) = dec.decode_message(&mut buf).unwrap() {
                n += r.view().body().len();
            }
            black_box(n)
        })
    });
    g.bench_function("one_byte_at_a_time_640", |b| {
        b.iter(|| {
            let mut dec = ResponseDecoder::new(ParseOptions::stream());
            let mut buf = BytesMut::with_capacity(OK_INVITE.len());
            let mut n = 0;
            for &byte in OK_INVITE {
                buf.extend_from_slice(&[byte]);
                if let Some(r) = dec.decode_message(&mut buf).unwrap() {
                    n += r.view().body().len();
                }
            }
            black_box(n)
        })
    });
    g.finish();
}

/// The pieces of the parse path on their own: the shortest possible
/// response (start line, one row, empty line) shows the fixed cost of a
/// parse; a non-canonical status line (two SPs) takes the general
/// start-line parser instead of the canonical fast path.
fn pieces(c: &mut Criterion) {
    let mut g = c.benchmark_group("pieces");
    for (name, msg) in [
        (
            "status_line_canonical",
            &b"SIP/2.0 200 OK\r\nl: 0\r\n\r\n"[..],
        ),
        (
            "status_line_general",
            &b"SIP/2.0  200 OK\r\nl: 0\r\n\r\n"[..],
        ),
    ] {
        g.bench_with_input(BenchmarkId::new("parse", name), msg, |b, m| {
            b.iter(|| {
                let r = parse_response(black_box(m)).unwrap();
                black_box((r.status(), r.body().len()))
            })
        });
    }
    // Typed reads on an already parsed response: the lookup (index, then
    // one row walk) plus the value grammar.
    let r = parse_response(OK_INVITE).unwrap();
    g.bench_function("typed_via", |b| {
        b.iter(|| {
            let h = black_box(&r).headers();
            let v = h.typed::<Via<'_>>().unwrap().unwrap();
            black_box((v.branch(), v.transport().len()))
        })
    });
    // The lax readings (every part plus located defects) of the same rows:
    // what the validator reads instead of a second set of byte readers.
    g.bench_function("lax_via", |b| {
        b.iter(|| {
            let h = black_box(&r).headers();
            let v = h.typed_lax_all::<Via<'_>>().next().unwrap();
            black_box((v.branch(), v.defects().len()))
        })
    });
    g.bench_function("lax_to", |b| {
        b.iter(|| {
            let h = black_box(&r).headers();
            let t = h.typed_lax_all::<ToHeader<'_>>().next().unwrap();
            black_box((t.tag(), t.defects().len()))
        })
    });
    g.bench_function("typed_cseq", |b| {
        b.iter(|| {
            let h = black_box(&r).headers();
            let c = h.typed::<CSeq<'_>>().unwrap().unwrap();
            black_box(c)
        })
    });
    g.finish();
}

/// The capture reader over real captures: a UDP one (mostly SIP), a TCP one
/// with segmented messages, and one that is mostly RTP (how fast non-SIP
/// traffic is passed over). Throughput is capture-file octets.
fn capture(c: &mut Criterion) {
    use sip_response::capture::{CaptureEvent, CaptureReader};
    let mut g = c.benchmark_group("capture");
    for name in [
        "sngrep__aaa.pcap",
        "heplifyv1__sip_ipv4_tcp_fragmented.pcap",
        "heplifyv1__rtp_rtcp_sip_ipv4_udp.pcap",
    ] {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/pcap/").to_string() + name;
        let file = bytes::Bytes::from(std::fs::read(&path).expect("the corpus capture"));
        g.throughput(Throughput::Bytes(file.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), &file, |b, file| {
            b.iter(|| {
                let reader = CaptureReader::new(file.clone()).unwrap();
                let n = reader
                    .filter(|e| matches!(e, CaptureEvent::Message(m) if m.message.is_ok()))
                    .count();
                black_box(n)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, parse, pieces, decoder, capture);
criterion_main!(benches);
