//! Sending a forwarded response on UDP: the vectored send of the two
//! `Forwarded` pieces against the two one-buffer forms (criterion, and a
//! fixed loop for callgrind). `cargo bench --bench forward_send`; CI only
//! builds it.
//!
//! * `vectored`: `Forwarded::send_to`, one `sendmsg` with two `iovec`s,
//!   nothing copied in user space.
//! * `copy`: both pieces copied into one reused buffer, then `send_to`
//!   (what `fwd.to_vec()` does, without its allocation).
//! * `in_place`: the receiver owns the buffer, moves the part before the
//!   removed Via over it (`copy_within` of the first piece) and sends one
//!   slice: the "one `Bytes`" form.
//!
//! Callgrind (user-space instructions, the kernel is not counted):
//! `SEND_VARIANT=vectored SEND_N=100000 valgrind --tool=callgrind
//! target/release/deps/forward_send-*` (the variant runs `SEND_N` times).
#![allow(missing_docs)] // criterion's macros generate undocumented items

use std::net::{SocketAddr, UdpSocket};

use bytes::Bytes;
use criterion::{black_box, criterion_group, Criterion, Throughput};
use sip_response::validate::SentBy;
use sip_response::{forward_upstream, Forwarded, OwnedResponse};

mod messages;
// The 640-byte 200 OK to INVITE, our Via on top.
use messages::OK_INVITE;

struct Setup {
    fwd: Forwarded,
    sock: UdpSocket,
    to: SocketAddr,
    _sink: UdpSocket,
    copy_buf: Vec<u8>,
    work: Vec<u8>,
}

fn setup() -> Setup {
    let resp = OwnedResponse::parse(Bytes::from_static(OK_INVITE)).unwrap();
    let fwd = forward_upstream(&resp, &[SentBy::new("server10.biloxi.com", None)]).unwrap();
    let sink = UdpSocket::bind("127.0.0.1:0").unwrap();
    let to = sink.local_addr().unwrap();
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    Setup {
        fwd,
        sock,
        to,
        _sink: sink,
        copy_buf: Vec::with_capacity(OK_INVITE.len()),
        work: OK_INVITE.to_vec(),
    }
}

fn vectored(s: &mut Setup) -> usize {
    s.fwd.send_to(&s.sock, s.to).unwrap()
}

fn copy(s: &mut Setup) -> usize {
    s.copy_buf.clear();
    for c in s.fwd.chunks() {
        s.copy_buf.extend_from_slice(c);
    }
    s.sock.send_to(&s.copy_buf, s.to).unwrap()
}

fn in_place(s: &mut Setup) -> usize {
    let removed = s.fwd.removed();
    // Move the status line (and any rows before our Via) over the Via.
    s.work.copy_within(0..removed.start, removed.len());
    s.sock.send_to(&s.work[removed.len()..], s.to).unwrap()
}

type Variant = fn(&mut Setup) -> usize;
const VARIANTS: [(&str, Variant); 3] = [
    ("vectored", vectored),
    ("copy", copy),
    ("in_place", in_place),
];

fn send(c: &mut Criterion) {
    let mut g = c.benchmark_group("udp_send_forwarded");
    g.throughput(Throughput::Bytes(setup().fwd.len() as u64));
    for (name, f) in VARIANTS {
        let mut s = setup();
        g.bench_function(name, |b| b.iter(|| black_box(f(&mut s))));
    }
    g.finish();
}

criterion_group!(benches, send);

fn main() {
    if let Ok(which) = std::env::var("SEND_VARIANT") {
        let n: usize = std::env::var("SEND_N").map_or(10_000, |v| v.parse().unwrap());
        let (_, f) = VARIANTS.into_iter().find(|(v, _)| *v == which).unwrap();
        let mut s = setup();
        let mut acc = 0;
        for _ in 0..n {
            acc += f(black_box(&mut s));
        }
        println!("{which}: {acc} bytes");
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
