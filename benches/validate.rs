//! What validation costs on top of parsing (criterion). `cargo bench --bench
//! validate` runs it; CI only builds it (`cargo bench --no-run`).
//!
//! The target: parse + validate at most 2× parse on the 794-byte
//! 200 OK with the default context, and at most 3× with the proxy role and a
//! matched request. Each group runs `parse` alone beside `parse+validate`, in
//! one process, so the ratio is read off one run.
#![allow(missing_docs)] // criterion's macros generate undocumented items

use bytes::Bytes;
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sip_response::validate::{Context, CountingSink, Role};
use sip_response::{parse_message, parse_response, validate_into, OwnedMessage};

/// A 200 OK to INVITE as a UAC receives it behind two proxies: three Vias,
/// Record-Route, SDP. 794 bytes.
const OK_794: &[u8] = b"SIP/2.0 200 OK\r\n\
Via: SIP/2.0/UDP proxy2.biloxi.example.com:5060;branch=z9hG4bK721e4.1;received=192.0.2.222\r\n\
Via: SIP/2.0/UDP proxy1.atlanta.example.com:5060;branch=z9hG4bK2d4790.1;received=192.0.2.111\r\n\
Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101\r\n\
Record-Route: <sip:proxy2.biloxi.example.com;lr>, <sip:proxy1.atlanta.example.com;lr>\r\n\
From: Alice <sip:alice@atlanta.example.com>;tag=9fxced7\r\n\
To: Bob <sip:bob@biloxi.example.com>;tag=3141\r\n\
Call-ID: 3848276298220188511@atlanta.com\r\n\
CSeq: 1 INVITE\r\n\
Contact: <sip:bob@192.0.2.201>\r\n\
Allow: INVITE, ACK, CANCEL, BYE\r\n\
Content-Type: application/sdp\r\n\
Content-Length: 133\r\n\
\r\n\
v=0\r\n\
o=bob 2890844527 2890844527 IN IP4 192.0.2.201\r\n\
s=-\r\n\
c=IN IP4 192.0.2.201\r\n\
t=0 0\r\n\
m=audio 3456 RTP/AVP 0\r\n\
a=rtpmap:0 PCMU/8000\r\n";

/// The INVITE that 200 answers, as proxy1 received it.
const INVITE: &[u8] = b"INVITE sip:bob@biloxi.example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101\r\n\
Max-Forwards: 70\r\n\
From: Alice <sip:alice@atlanta.example.com>;tag=9fxced7\r\n\
To: Bob <sip:bob@biloxi.example.com>\r\n\
Call-ID: 3848276298220188511@atlanta.com\r\n\
CSeq: 1 INVITE\r\n\
Contact: <sip:alice@client.atlanta.example.com;transport=udp>\r\n\
Content-Length: 0\r\n\
\r\n";

fn validate(c: &mut Criterion) {
    assert_eq!(
        OK_794.len(),
        794,
        "the bench message is the issue's 794-byte 200 OK"
    );
    parse_message(INVITE).expect("the matched request parses");

    let default_ctx = Context::new();
    let proxy_ctx = Context::new()
        .with_role(Role::Proxy)
        .with_own_sent_by("proxy1.atlanta.example.com", Some(5060))
        .with_request(OwnedMessage::parse(Bytes::from_static(INVITE)).unwrap())
        .expect("INVITE is a request");

    let mut g = c.benchmark_group("validate");
    g.throughput(Throughput::Bytes(OK_794.len() as u64));
    g.bench_with_input(BenchmarkId::new("parse", "200_ok_794"), OK_794, |b, m| {
        b.iter(|| {
            let r = parse_response(black_box(m)).unwrap();
            black_box(r.status())
        })
    });
    for (name, ctx) in [("default", &default_ctx), ("proxy+request", &proxy_ctx)] {
        g.bench_with_input(
            BenchmarkId::new(format!("parse+validate/{name}"), "200_ok_794"),
            OK_794,
            |b, m| {
                let mut sink = CountingSink::new();
                b.iter(|| {
                    let r = parse_response(black_box(m)).unwrap();
                    sink.clear();
                    validate_into(&r, ctx, &mut sink);
                    black_box(sink.worst())
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, validate);
criterion_main!(benches);
