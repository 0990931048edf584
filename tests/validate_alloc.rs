//! `validate_into` with a non-allocating sink must not allocate at all.
//!
//! A counting global allocator wraps the system one; each message of the
//! rule corpus is parsed first (parsing is allowed to be checked elsewhere),
//! then validated into a `CountingSink` while allocations are counted.
//! Its own test binary, because it installs a counting global allocator.

use sip_response::validate::{validate_into, Context, CountingSink, Policy, Role, Transport};
use sip_response::{parse_response, OwnedMessage};

mod counting_alloc;
use counting_alloc::count;

#[test]
fn validate_into_counting_sink_never_allocates() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "sip") {
                files.push(std::fs::read(p).unwrap());
            }
        }
    }
    assert!(files.len() > 40);
    let contexts = [
        Context::default(),
        Context::new()
            .with_transport(Transport::Udp)
            .with_role(Role::Proxy)
            .with_method("REGISTER"),
        Context::new()
            .with_transport(Transport::Tcp)
            .with_policy(Policy::strict())
            .with_own_sent_by("192.0.2.10", Some(5060)),
        Context::new().with_policy(Policy::lenient()),
        // With a matching request: the `req` rules run too.
        Context::new()
            .with_request(
                OwnedMessage::parse(bytes::Bytes::from_static(
                    b"INVITE sip:bob@example.org SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r\n\
From: Alice <sip:alice@example.com>;tag=1928301774\r\n\
To: Bob <sip:bob@example.org>\r\n\
Call-ID: a84b4c76e66710@pc33.example.com\r\n\
CSeq: 314159 INVITE\r\n\
Supported: timer\r\nRecv-Info: foo\r\nTimestamp: 54\r\nExpires: 60\r\n\
Content-Length: 0\r\n\r\n",
                ))
                .unwrap(),
            )
            .unwrap(),
    ];
    let mut total_findings = 0;
    for bytes in &files {
        let resp = parse_response(bytes).unwrap();
        for ctx in &contexts {
            let mut sink = CountingSink::new();
            let ((), n) = count(|| validate_into(&resp, ctx, &mut sink));
            assert_eq!(n, 0, "validate_into allocated on {:?}", resp);
            total_findings += sink.total();
        }
    }
    // The corpus is full of findings, so the check really ran.
    assert!(total_findings > 100, "{total_findings}");
}
