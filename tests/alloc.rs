//! Allocation counting: parsing a response makes no heap allocation.
//! Its own test binary, because it installs a counting global allocator.
#![allow(unsafe_code)] // a counting `GlobalAlloc` cannot be written without it

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::SeqCst) {
            ALLOCS.fetch_add(1, Ordering::SeqCst);
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.load(Ordering::SeqCst) {
            ALLOCS.fetch_add(1, Ordering::SeqCst);
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// A 200 OK to INVITE with 20 header rows and an SDP body, about 700 bytes.
const RESPONSE: &[u8] = b"SIP/2.0 200 OK\r\n\
Via: SIP/2.0/UDP p1.biloxi.com;branch=z9hG4bKnashds8;received=192.0.2.3\r\n\
Via: SIP/2.0/UDP p2.atlanta.com;branch=z9hG4bK77ef4c2312983.1\r\n\
v: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n\
Record-Route: <sip:p1.biloxi.com;lr>\r\n\
Record-Route: <sip:p2.atlanta.com;lr>\r\n\
To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n\
From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n\
CSeq: 314159 INVITE\r\n\
Contact: <sip:bob@192.0.2.4>\r\n\
Allow: INVITE, ACK, CANCEL, BYE\r\n\
k: replaces, timer\r\n\
Server: Example/1.0\r\n\
x: 1800;refresher=uac\r\n\
Require: timer\r\n\
Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n\
s: lunch\r\n\
X-Custom: folded\r\n value\r\n\
c: application/sdp\r\n\
Content-Length: 72\r\n\
\r\n\
v=0\r\n\
o=bob 2890844527 2890844527 IN IP4 192.0.2.4\r\n\
s=-\r\n\
t=0 0\r\n\
m=audio 3456 RTP/AVP 0\r\n";

fn count<T>(f: impl FnOnce() -> T) -> (T, usize) {
    ALLOCS.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let out = std::hint::black_box(f());
    COUNTING.store(false, Ordering::SeqCst);
    (out, ALLOCS.load(Ordering::SeqCst))
}

#[test]
fn parse_response_makes_no_heap_allocation() {
    assert!((650..=800).contains(&RESPONSE.len()), "{}", RESPONSE.len());
    let (summary, allocs) = count(|| {
        let r = sip_response::parse_response(RESPONSE).unwrap();
        let h = r.headers();
        (
            r.status().as_u16(),
            h.len(),
            h.iter().count(),
            h.elements(sip_response::KnownHeader::Via).count(),
            h.get(sip_response::KnownHeader::CallId)
                .map(|c| c.value().len()),
            r.body().len(),
        )
    });
    assert_eq!(summary, (200, 20, 20, 3, Some(31), 72));
    assert_eq!(allocs, 0, "parse_response allocated");
}
