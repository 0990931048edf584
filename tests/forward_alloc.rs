//! Allocation counting for the proxy forwarding helper: forwarding (and
//! refusing) makes no heap allocation once the buffer is shared. Its own
//! test binary, because it installs a counting global allocator.

use bytes::Bytes;
use sip_response::validate::SentBy;
use sip_response::{forward_upstream, OwnedResponse, Refusal};

mod counting_alloc;
use counting_alloc::count;

const RESPONSE: &[u8] = b"SIP/2.0 200 OK\r\n\
Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK1,\r\n SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bK2\r\n\
v: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n\
To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n\
From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n\
CSeq: 314159 INVITE\r\n\
Content-Length: 0\r\n\r\n";

#[test]
fn forwarding_makes_no_heap_allocation() {
    let own = [SentBy::new("proxy.example.com", None)];
    let mut sink = Vec::with_capacity(RESPONSE.len());

    // A static buffer is never promoted: nothing to allocate at all.
    let resp = OwnedResponse::parse(Bytes::from_static(RESPONSE)).unwrap();
    let (len, allocs) = count(|| {
        let fwd = forward_upstream(&resp, &own).unwrap();
        fwd.write_to(&mut sink).unwrap();
        let host_len = fwd.next_via().unwrap().sent_by().host().as_bytes().len();
        (fwd.len(), host_len)
    });
    assert_eq!(allocs, 0, "forward allocated");
    assert_eq!(
        len,
        (
            RESPONSE.len() - "SIP/2.0/UDP proxy.example.com;branch=z9hG4bK1,\r\n ".len(),
            13
        )
    );
    assert!(sink.starts_with(b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP [2001:db8::9]:5060;"));

    // A `Vec`-backed buffer: `bytes` allocates its shared header once, on the
    // first slice; after that, forwarding allocates nothing.
    let resp = OwnedResponse::parse(Bytes::from(RESPONSE.to_vec())).unwrap();
    let (_, first) = count(|| forward_upstream(&resp, &own).unwrap());
    assert!(first <= 1, "{first}");
    let (_, allocs) = count(|| forward_upstream(&resp, &own).unwrap());
    assert_eq!(allocs, 0, "forward allocated after the buffer was shared");

    // Refusing (every 100 a proxy receives) allocates nothing either.
    let trying = OwnedResponse::parse(Bytes::from_static(
        b"SIP/2.0 100 Trying\r\nVia: SIP/2.0/UDP proxy.example.com\r\n\r\n",
    ))
    .unwrap();
    let (reason, allocs) = count(|| {
        let e = forward_upstream(&trying, &own).unwrap_err();
        let n = e.findings().len();
        (e.reason(), n)
    });
    assert_eq!(
        reason,
        (Refusal::Trying, 0),
        "an absorbed 100 draws no finding"
    );
    assert_eq!(allocs, 0, "refusal allocated");
}
