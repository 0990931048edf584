//! Allocation counting: parsing a response, reading its common typed
//! headers and validating it into a non-allocating sink make no heap
//! allocation. Its own test binary, because it installs a counting global
//! allocator.

use sip_response::header::typed::{CSeq, ContentLength, ToHeader, Via};
use sip_response::validate::{
    validate_into, Context, CountingSink, Policy, Role, Severity, Transport,
};
use sip_response::{parse_response, KnownHeader};

mod counting_alloc;
use counting_alloc::count;

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
Content-Length: 87\r\n\
\r\n\
v=0\r\n\
o=bob 2890844527 2890844527 IN IP4 192.0.2.4\r\n\
s=-\r\n\
t=0 0\r\n\
m=audio 3456 RTP/AVP 0\r\n";

#[test]
fn parse_response_makes_no_heap_allocation() {
    assert!((650..=800).contains(&RESPONSE.len()), "{}", RESPONSE.len());
    let (summary, allocs) = count(|| {
        let r = parse_response(RESPONSE).unwrap();
        let h = r.headers();
        (
            r.status().as_u16(),
            h.len(),
            h.iter().count(),
            h.elements(KnownHeader::Via).count(),
            h.get(KnownHeader::CallId).map(|c| c.value().len()),
            r.body().len(),
        )
    });
    assert_eq!(summary, (200, 20, 20, 3, Some(31), 87));
    // The body is exactly Content-Length octets: nothing trails it.
    assert!(RESPONSE.ends_with(b"RTP/AVP 0\r\n"));
    assert_eq!(
        RESPONSE.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4 + 87,
        RESPONSE.len()
    );
    assert_eq!(allocs, 0, "parse_response allocated");
}

#[test]
fn lax_readings_make_no_heap_allocation() {
    use sip_response::header::typed::{
        AllowEvents, Contact, ContentType, Date, Expires, FromHeader, SessionExpires,
    };
    let r = parse_response(RESPONSE).unwrap();
    let h = r.headers();
    let bad_via = b"SIP/2.0/UDP h;branch=z9hG4bKD+ta2mJ+C+VV/L50aPO1lFJnrag=;;x=\"open";
    let (n, allocs) = count(|| {
        let mut n = 0;
        n += h
            .typed_lax_all::<Via<'_>>()
            .map(|v| v.defects().len())
            .sum::<usize>();
        n += h
            .typed_lax_all::<ToHeader<'_>>()
            .map(|v| v.defects().len())
            .sum::<usize>();
        n += h
            .typed_lax_all::<FromHeader<'_>>()
            .map(|v| v.defects().len())
            .sum::<usize>();
        n += h
            .typed_lax_all::<Contact<'_>>()
            .map(|v| v.defects().len())
            .sum::<usize>();
        n += h
            .typed_lax_all::<CSeq<'_>>()
            .map(|v| v.defects().len())
            .sum::<usize>();
        n += h
            .typed_lax_all::<SessionExpires<'_>>()
            .map(|v| v.defects().len())
            .sum::<usize>();
        n += h
            .typed_lax_all::<ContentType<'_>>()
            .map(|v| v.defects().len())
            .sum::<usize>();
        n += h
            .typed_lax_all::<Date<'_>>()
            .map(|v| v.defects().len())
            .sum::<usize>();
        n += Via::parse_lax(bad_via, 0).defects().len();
        n += Via::parse_lax(bad_via, 0).params().len();
        n += Contact::parse_lax(b"sip: 172.17.2.2:5060", 0)
            .defects()
            .len();
        n += AllowEvents::parse_row_lax(b"", 0).defects().len();
        n += Expires::parse_lax(b"Thu, 25 Mar 2004 15:49:29 GMT", 0)
            .defects()
            .len();
        n
    });
    // The bad Via: three defects (branch, `;;`, the open quote), no
    // well-formed parameter; one each for the three other hostile values.
    assert_eq!(n, 3 + 1 + 1 + 1, "defects of the hostile values only");
    assert_eq!(allocs, 0, "a lax reading allocated");
}

#[test]
fn the_counter_counts() {
    // Guards the tests below against a counter that never counts.
    let (v, allocs) = count(|| vec![1u8; 100]);
    assert_eq!(v.len(), 100);
    assert!(allocs >= 1, "{allocs}");
    let (_, allocs) = count(|| format!("{}", 12345).len());
    assert!(allocs >= 1, "{allocs}");
}

#[test]
fn reading_common_typed_headers_makes_no_heap_allocation() {
    let (summary, allocs) = count(|| {
        let r = parse_response(RESPONSE).unwrap();
        let h = r.headers();
        let via = h.typed::<Via<'_>>().unwrap().unwrap();
        let to = h.typed::<ToHeader<'_>>().unwrap().unwrap();
        let cseq = h.typed::<CSeq<'_>>().unwrap().unwrap();
        let cl = h.typed::<ContentLength>().unwrap().unwrap();
        (
            via.branch(),
            via.branch_span(),
            to.tag(),
            to.tag_span(),
            cseq.number(),
            cseq.method(),
            cl.value(),
        )
    });
    assert_eq!(
        allocs, 0,
        "parse + typed Via/To/CSeq/Content-Length allocated"
    );
    let (branch, branch_span, tag, tag_span, number, method, cl) = summary;
    assert_eq!(branch, Some(b"z9hG4bKnashds8".as_slice()));
    assert_eq!(&RESPONSE[branch_span.unwrap().range()], branch.unwrap());
    assert_eq!(tag, Some(b"a6c85cf".as_slice()));
    assert_eq!(&RESPONSE[tag_span.unwrap().range()], tag.unwrap());
    assert_eq!((number, method, cl), (314159, "INVITE", 87));
}

/// The contexts a deployment would validate with: the default observer, a
/// UAC on TCP, a proxy on UDP that knows its own sent-by, and a strict
/// policy with a minimum severity and a disabled rule.
fn contexts() -> Vec<Context> {
    let mut strict = Policy::strict();
    strict.set_min_severity(Severity::Warning);
    strict.disable("to-tag-missing").unwrap();
    vec![
        Context::new(),
        Context::new()
            .with_transport(Transport::Tcp)
            .with_role(Role::Uac),
        Context::new()
            .with_transport(Transport::Udp)
            .with_role(Role::Proxy)
            .with_own_sent_by("p1.biloxi.com", Some(5060))
            .with_own_sent_by("[2001:db8::1]", None),
        Context::new()
            .with_transport(Transport::Ws)
            .with_method("INVITE")
            .with_policy(strict),
    ]
}

/// Validates `bytes` into a [`CountingSink`] under every context, asserting
/// no allocation; returns the findings seen per context.
fn validate_counting(name: &str, bytes: &[u8]) -> Vec<usize> {
    let resp = parse_response(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    contexts()
        .iter()
        .enumerate()
        .map(|(i, ctx)| {
            let mut sink = CountingSink::new();
            let ((), allocs) = count(|| validate_into(&resp, ctx, &mut sink));
            assert_eq!(allocs, 0, "{name}: validate_into allocated (context #{i})");
            // And the counts are those `validate` collects.
            let report = sip_response::validate::validate(&resp, ctx);
            assert_eq!(sink.total(), report.len(), "{name} context #{i}");
            for s in Severity::ALL {
                assert_eq!(
                    sink.count(s),
                    report
                        .defects()
                        .iter()
                        .filter(|f| f.severity() == s)
                        .count()
                );
            }
            assert_eq!(sink.verdicts(), report.verdicts().len());
            sink.total()
        })
        .collect()
}

#[test]
fn validate_into_a_counting_sink_makes_no_heap_allocation() {
    validate_counting("RESPONSE", RESPONSE);
}

#[test]
fn validate_into_makes_no_heap_allocation_on_responses_with_findings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = [
        // To without tag (error).
        "tests/data/fixtures/pcap-extract/arkime__gtp-iphone__f00016_401.sip",
        // No From/To/Call-ID/CSeq, bare LF line endings.
        "tests/data/fixtures/kamailio/short_reply.sip",
        // Content-Length: xyz.
        "tests/data/fixtures/pcap-extract/zeek__invalid-content-length__f00002_200.sip",
        // No Content-Length on UDP (warning).
        "tests/data/fixtures/pcap-extract/heplify__ipip0__f00002_403.sip",
        // Overlarge CSeq, Retry-After and warn-code.
        "tests/data/rfc4475/scalarlg.dat",
        // RFC 4475 responses without and with an odd reason phrase.
        "tests/data/rfc4475/noreason.dat",
        "tests/data/rfc4475/unreason.dat",
        "tests/data/fixtures/pjsip/auth_challenge.sip",
        "tests/data/fixtures/pcap-extract/sngrep__aaa__f00620_183.sip",
    ];
    let mut with_findings = 0;
    for f in files {
        let bytes = std::fs::read(root.join(f)).unwrap();
        let counts = validate_counting(f, &bytes);
        if counts[0] > 0 {
            with_findings += 1;
        }
    }
    assert!(
        with_findings >= 5,
        "only {with_findings} files had findings"
    );
}

#[test]
fn validate_into_makes_no_heap_allocation_over_every_response_fixture() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fixtures");
    let mut n = 0;
    for dir in std::fs::read_dir(&root).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = f.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            if parse_response(&bytes).is_ok() {
                validate_counting(&path.display().to_string(), &bytes);
                n += 1;
            }
        }
    }
    assert!(n >= 25, "only {n} response fixtures");
}
