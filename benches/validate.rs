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

mod messages;
use messages::{INVITE, OK_794};

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
        .with_own_sent_by("proxy2.biloxi.example.com", Some(5060))
        .with_request(OwnedMessage::parse(Bytes::from_static(INVITE)).unwrap())
        .expect("INVITE is a request");
    // The proxy context is one coherent hop (proxy2 receiving the 200 to
    // the INVITE it sent): it draws exactly the default context's
    // findings, so the bench times the request rules passing, not
    // reporting mismatches the context made up.
    let rules = |ctx: &Context| {
        let r = parse_response(OK_794).unwrap();
        sip_response::validate(&r, ctx)
            .findings()
            .iter()
            .map(|f| f.rule().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(rules(&proxy_ctx), rules(&default_ctx));

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
