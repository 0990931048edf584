//! The capture reader over small captures built in code: the behaviour the
//! real corpus captures (tests/capture_responses.rs) do not reach, each case
//! with exact frames, addresses, stream offsets and problems.

use bytes::Bytes;
use sip_response::capture::{
    CaptureError, CaptureErrorKind, CaptureEvent, CaptureReader, CapturedMessage, HepError,
    MAX_FLOWS,
};
use sip_response::validate::Transport;
use sip_response::ParseErrorKind;

mod capture_builders;
use capture_builders::*;

// ---------------------------------------------------------------- reading

fn messages(events: &[CaptureEvent]) -> Vec<&CapturedMessage> {
    events
        .iter()
        .filter_map(|e| match e {
            CaptureEvent::Message(m) => Some(&**m),
            CaptureEvent::Problem(_) => None,
        })
        .collect()
}

fn problems(events: &[CaptureEvent]) -> Vec<CaptureError> {
    events
        .iter()
        .filter_map(|e| match e {
            CaptureEvent::Problem(p) => Some(*p),
            CaptureEvent::Message(_) => None,
        })
        .collect()
}

/// A compact picture of the events, to compare whole sequences.
#[derive(Debug, PartialEq, Eq)]
enum Ev {
    /// Frame, stream offset, the message's octets.
    Ok(u64, Option<u64>, String),
    /// Frame, stream offset, error kind.
    Err(u64, Option<u64>, ParseErrorKind),
    Problem(CaptureErrorKind),
}

fn picture(events: &[CaptureEvent]) -> Vec<Ev> {
    events
        .iter()
        .map(|e| match e {
            CaptureEvent::Message(m) => match &m.message {
                Ok(msg) => Ev::Ok(m.frame, m.stream_offset, text(msg.bytes())),
                Err(e) => Ev::Err(m.frame, m.stream_offset, e.kind()),
            },
            CaptureEvent::Problem(p) => Ev::Problem(p.kind),
        })
        .collect()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn ok_bytes(m: &CapturedMessage) -> &[u8] {
    m.message.as_ref().expect("a framed message").bytes()
}

// ---------------------------------------------------------------- UDP

#[test]
fn udp_response_is_a_message() {
    let resp = response(200, 1, "");
    let events = Pcap::ethernet()
        .add(&udp(UAC, UAS, &request()))
        .add(&udp(UAS, UAC, &resp))
        .read();
    assert!(problems(&events).is_empty(), "{events:?}");
    let ms = messages(&events);
    assert_eq!(ms.len(), 2);
    let m = ms[1];
    assert_eq!(m.frame, 2);
    assert_eq!(m.transport, Transport::Udp);
    assert_eq!(m.src, sa(UAS));
    assert_eq!(m.dst, sa(UAC));
    assert_eq!(m.stream_offset, None);
    assert_eq!(m.timestamp.secs, 1_700_000_002);
    assert_eq!(m.timestamp.nanos, 500_000_000);
    assert_eq!(ok_bytes(m), &resp[..]);
    assert!(m.message.as_ref().unwrap().is_response());
    // The request is reported too, from its own frame.
    assert_eq!(ms[0].frame, 1);
    assert!(!ms[0].message.as_ref().unwrap().is_response());
}

#[test]
fn udp_over_ipv6() {
    let mut a = [0u8; 16];
    a[0] = 0xfe;
    a[1] = 0x80;
    a[15] = 1;
    let mut b = a;
    b[15] = 2;
    let resp = response(180, 2, "");
    let frame = eth(0x86dd, &ipv6(17, a, b, &udp_header(5060, 5070, &resp)));
    let events = Pcap::ethernet().add(&frame).read();
    let ms = messages(&events);
    assert_eq!(ms.len(), 1);
    assert_eq!(ms[0].src, "[fe80::1]:5060".parse().unwrap());
    assert_eq!(ms[0].dst, "[fe80::2]:5070".parse().unwrap());
    assert_eq!(ok_bytes(ms[0]), &resp[..]);
}

#[test]
fn rtp_stun_and_keepalives_produce_nothing() {
    let mut rtp = vec![0x80, 0x00, 0x12, 0x34, 0, 0, 0, 160, 0xde, 0xad, 0xbe, 0xef];
    rtp.extend_from_slice(&[0xd5; 160]);
    let stun = [
        0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ];
    let events = Pcap::ethernet()
        .add(&udp(UAC, UAS, &rtp))
        .add(&udp(UAC, UAS, b"\r\n\r\n"))
        .add(&udp(UAS, UAC, b"\r\n"))
        .add(&udp(UAC, UAS, &stun))
        .add(&udp(UAC, UAS, b""))
        .add(&udp(UAC, UAS, b"hello, not SIP\r\nSIP/2.0 200 OK\r\n\r\n"))
        .read();
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn junk_before_a_udp_start_line_is_reported_as_a_parse_error() {
    // The first line mentions SIP/2.0, so it is SIP traffic, but broken.
    let events = Pcap::ethernet()
        .add(&udp(
            UAS,
            UAC,
            b"xx SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        ))
        .read();
    let ms = messages(&events);
    assert_eq!(ms.len(), 1);
    assert!(ms[0].message.is_err());
}

#[test]
fn snap_length_cut_udp_still_gives_a_message() {
    let resp = response(200, 3, "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n");
    let frame = udp(UAS, UAC, &resp);
    let keep = frame.len() - 10; // the body's last 10 octets are lost
    let events = Pcap::ethernet().add_cut(&frame, keep).read();
    let ps = problems(&events);
    assert_eq!(ps.len(), 1, "{events:?}");
    assert_eq!(ps[0].kind, CaptureErrorKind::SnapLength);
    assert_eq!(ps[0].frame, Some(1));
    let ms = messages(&events);
    assert_eq!(ms.len(), 1, "{events:?}");
    assert_eq!(ms[0].transport, Transport::Udp);
    assert_eq!(ms[0].src, sa(UAS));
    // What is there is the message cut short (datagram parsing takes a
    // body shorter than its Content-Length; the validator flags it).
    assert_eq!(ok_bytes(ms[0]), &resp[..resp.len() - 10]);
}

#[test]
fn snap_length_inside_the_headers_is_one_problem() {
    let frame = udp(UAS, UAC, &response(200, 26, ""));
    let mut cap = Pcap::ethernet();
    for _ in 0..3 {
        cap.add_cut(&frame, 38); // inside the UDP header
    }
    let events = cap.read();
    let got: Vec<_> = problems(&events)
        .iter()
        .map(|p| (p.kind, p.offset, p.frame))
        .collect();
    let at = |n: u64| 24 + 16 * n + 38 * (n - 1) + 38;
    assert_eq!(
        got,
        vec![
            (CaptureErrorKind::SnapLength, at(1), Some(1)),
            (CaptureErrorKind::SnapLength, at(2), Some(2)),
            (CaptureErrorKind::SnapLength, at(3), Some(3)),
        ]
    );
    assert_eq!(events.len(), 3);
}

#[test]
fn snap_length_cutting_only_link_padding_is_not_a_problem() {
    let resp = response(200, 4, "");
    let mut frame = udp(UAS, UAC, &resp);
    let whole = frame.len();
    frame.extend_from_slice(&[0; 4]); // e.g. an FCS the capture left out
    let events = Pcap::ethernet().add_cut(&frame, whole).read();
    assert!(problems(&events).is_empty(), "{events:?}");
    let ms = messages(&events);
    assert_eq!(ms.len(), 1);
    assert_eq!(ok_bytes(ms[0]), &resp[..]);
}

#[test]
fn fragmented_udp_message() {
    let resp = response(200, 27, &"x".repeat(100));
    let dgram = udp_header(UAS.1, UAC.1, &resp);
    let events = Pcap::ethernet()
        .add(&ipv4_fragment(77, 80, false, &dgram[80..]))
        .add(&ipv4_fragment(77, 0, true, &dgram[..80]))
        .read();
    assert_eq!(picture(&events), vec![Ev::Ok(2, None, text(&resp))]);
    assert_eq!(messages(&events)[0].src, sa(UAS));
}

#[test]
fn damage_inside_a_reassembled_datagram_is_placed_in_the_last_piece() {
    // A UDP length 8 octets longer than the reassembled datagram: the
    // problem is placed where the completing piece's payload starts, in
    // the file, not at an offset of the datagram added to the packet's.
    let resp = response(200, 33, &"y".repeat(1000));
    let mut dgram = udp_header(UAS.1, UAC.1, &resp);
    let ulen = u16::from_be_bytes([dgram[4], dgram[5]]) + 8;
    dgram[4..6].copy_from_slice(&ulen.to_be_bytes());
    let mut cap = Pcap::ethernet();
    cap.add(&ipv4_fragment(78, 0, true, &dgram[..1000]));
    let last = cap.buf.len() as u64 + 16;
    cap.add(&ipv4_fragment(78, 1000, false, &dgram[1000..]));
    let file_len = cap.buf.len() as u64;
    let events = cap.read();
    let ps = problems(&events);
    assert_eq!(ps.len(), 1, "{events:?}");
    assert_eq!(
        ps[0].kind,
        CaptureErrorKind::Layer(sip_response::capture::LayerErrorKind::Truncated)
    );
    assert!(
        ps[0].offset < file_len,
        "{:?} past the file ({file_len})",
        ps[0]
    );
    assert_eq!(ps[0].offset, last + 34);
    assert_eq!(ps[0].frame, Some(2));
}

#[test]
fn pcapng_capture_with_two_link_types() {
    let resp = response(200, 28, "");
    let raw = ipv4(17, UAS.0, UAC.0, &udp_header(UAS.1, UAC.1, &resp));
    let mut cap = Pcapng::new(&[1, 101, 105]);
    cap.add(0, 1_000_001, &udp(UAS, UAC, &resp))
        .add(1, 2_000_002, &raw)
        .add(3, 3_000_003, &raw) // no interface 3
        .add(2, 4_000_004, &raw) // 802.11
        .add(2, 5_000_005, &raw)
        .add(1, 6_000_006, &raw);
    let events = cap.read();
    let t = text(&resp);
    assert_eq!(
        picture(&events),
        vec![
            Ev::Ok(1, None, t.clone()),
            Ev::Ok(2, None, t.clone()),
            Ev::Problem(CaptureErrorKind::UnknownInterface),
            Ev::Problem(CaptureErrorKind::UnsupportedLinkType(105)),
            Ev::Ok(6, None, t),
        ]
    );
    let ms = messages(&events);
    assert_eq!((ms[1].timestamp.secs, ms[1].timestamp.nanos), (2, 2_000));
    assert!(problems(&events).iter().all(|p| !p.is_fatal()));
}

#[test]
fn unsupported_link_type_is_reported_once() {
    let mut cap = Pcap::new(105); // IEEE 802.11
    for _ in 0..5 {
        cap.add(&[0; 40]);
    }
    let events = cap.read();
    let ps = problems(&events);
    assert_eq!(ps.len(), 1, "{events:?}");
    assert_eq!(ps[0].kind, CaptureErrorKind::UnsupportedLinkType(105));
    assert_eq!(ps[0].frame, Some(1));
    assert_eq!(ps[0].offset, 40);
    assert!(!ps[0].is_fatal());
    assert_eq!(events.len(), 1);
}

#[test]
fn damaged_headers_are_placed_in_the_file() {
    // A UDP header cut short inside a consistent IPv4 packet: the problem's
    // offset is the file offset of the packet plus the offset inside it.
    let frame = eth(0x0800, &ipv4(17, UAS.0, UAC.0, &[0x13, 0xc4, 0x9c]));
    let events = Pcap::ethernet().add(&frame).read();
    let ps = problems(&events);
    assert_eq!(ps.len(), 1);
    assert_eq!(
        ps[0].kind,
        CaptureErrorKind::Layer(sip_response::capture::LayerErrorKind::Truncated)
    );
    assert_eq!(ps[0].offset, 40 + frame.len() as u64);
    assert_eq!(ps[0].frame, Some(1));
}

#[test]
fn fatal_file_errors_end_the_events() {
    let mut cap = Pcap::ethernet();
    cap.add(&udp(UAS, UAC, &response(200, 5, "")));
    cap.buf.extend_from_slice(&[0; 10]); // half a record header
    let events = cap.read();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(messages(&events).len(), 1);
    let p = problems(&events)[0];
    assert_eq!(p.kind, CaptureErrorKind::Truncated);
    assert!(p.is_fatal());
    // Not a capture at all.
    let e = CaptureReader::new(Bytes::from_static(b"")).unwrap_err();
    assert_eq!(e.kind, CaptureErrorKind::NotACapture);
    // Only a header.
    assert!(Pcap::ethernet().read().is_empty());
}

// ---------------------------------------------------------------- HEP

/// The agent and the collector the HEP packets travel between; the SIP
/// inside was seen between UAS and UAC.
const AGENT: Ep = ([192, 168, 7, 1], 41000);
const COLLECTOR: Ep = ([192, 168, 7, 9], 9999);

#[test]
fn hep3_over_udp_on_any_port_is_unwrapped_with_its_own_addresses_and_time() {
    let resp = response(180, 3, "");
    let events = Pcap::ethernet()
        .add(&udp(
            AGENT,
            COLLECTOR,
            &hep3(UAS, UAC, 6, 1_600_000_000, 250, &resp),
        ))
        .read();
    assert!(problems(&events).is_empty(), "{events:?}");
    let ms = messages(&events);
    assert_eq!(ms.len(), 1);
    let m = ms[0];
    assert_eq!(m.frame, 1);
    assert_eq!((m.src, m.dst), (sa(UAS), sa(UAC)));
    assert_eq!(m.transport, Transport::Tcp, "HEP's IP protocol, not UDP");
    assert_eq!(
        (m.timestamp.secs, m.timestamp.nanos),
        (1_600_000_000, 250_000)
    );
    assert_eq!(ok_bytes(m), &resp[..]);
}

#[test]
fn hep2_over_udp_is_unwrapped() {
    let resp = response(200, 4, "");
    let events = Pcap::ethernet()
        .add(&udp(
            AGENT,
            COLLECTOR,
            &hep2(UAS, UAC, 17, 1_600_000_001, 7, &resp),
        ))
        .read();
    let ms = messages(&events);
    assert_eq!(ms.len(), 1, "{events:?}");
    assert_eq!((ms[0].src, ms[0].dst), (sa(UAS), sa(UAC)));
    assert_eq!(ms[0].transport, Transport::Udp);
    assert_eq!(ms[0].timestamp.secs, 1_600_000_001);
    assert_eq!(ok_bytes(ms[0]), &resp[..]);
}

#[test]
fn hep3_over_tcp_is_cut_by_its_length_fields() {
    let a = hep3(UAC, UAS, 17, 1_600_000_000, 0, &request());
    let b = hep3(UAS, UAC, 17, 1_600_000_000, 9, &response(200, 5, ""));
    let mut stream = a.clone();
    stream.extend_from_slice(&b);
    // Cut inside the second packet's header.
    let (first, second) = stream.split_at(a.len() + 3);
    let events = Pcap::ethernet()
        .add(&tcp(AGENT, COLLECTOR, 1, PSH, first))
        .add(&tcp(AGENT, COLLECTOR, 1 + first.len() as u32, PSH, second))
        .read();
    assert!(problems(&events).is_empty(), "{events:?}");
    let ms = messages(&events);
    assert_eq!(ms.len(), 2, "{events:?}");
    assert_eq!((ms[0].frame, ms[0].src), (1, sa(UAC)));
    assert_eq!((ms[1].frame, ms[1].src), (2, sa(UAS)));
    assert!(ms[1].message.as_ref().unwrap().is_response());
}

#[test]
fn damaged_hep_is_a_problem_and_rtcp_in_hep_is_passed_over() {
    let mut bad = hep3(UAS, UAC, 17, 0, 0, &response(200, 6, ""));
    // The first chunk's length past the packet.
    bad[10] = 0xff;
    let mut rtcp = hep3(UAS, UAC, 17, 0, 0, b"\x80\xc8\x00\x06");
    // Payload type chunk (11): 5 = RTCP.
    let at = rtcp
        .windows(7)
        .position(|w| w == [0, 0, 0, 11, 0, 7, 1])
        .unwrap();
    rtcp[at + 6] = 5;
    let events = Pcap::ethernet()
        .add(&udp(AGENT, COLLECTOR, &bad))
        .add(&udp(AGENT, COLLECTOR, &rtcp))
        .read();
    assert!(messages(&events).is_empty(), "{events:?}");
    let ps = problems(&events);
    assert_eq!(ps.len(), 1, "{events:?}");
    assert_eq!(
        (ps[0].kind, ps[0].frame),
        (CaptureErrorKind::Hep(HepError::BadChunk), Some(1))
    );
}

// ---------------------------------------------------------------- TCP

#[test]
fn tcp_response_in_three_segments_out_of_order() {
    let resp = response(200, 6, "hello body");
    let (a, rest) = resp.split_at(20);
    let (b, c) = rest.split_at(50);
    let isn = 999u32;
    let s = isn + 1;
    let events = Pcap::ethernet()
        .add(&tcp(UAS, UAC, isn, SYN | ACK, b""))
        .add(&tcp(UAS, UAC, s + 70, ACK | PSH, c))
        .add(&tcp(UAS, UAC, s, ACK | PSH, a))
        .add(&tcp(UAC, UAS, 1, ACK, b""))
        .add(&tcp(UAS, UAC, s + 20, ACK | PSH, b))
        .read();
    assert_eq!(picture(&events), vec![Ev::Ok(5, Some(0), text(&resp))]);
    let m = messages(&events)[0];
    assert_eq!(m.transport, Transport::Tcp);
    assert_eq!((m.src, m.dst), (sa(UAS), sa(UAC)));
}

#[test]
fn tcp_pipelined_responses_in_one_segment() {
    let r1 = response(100, 7, "");
    let r2 = response(200, 7, "body");
    let mut seg = r1.clone();
    seg.extend_from_slice(&r2);
    seg.extend_from_slice(b"\r\n\r\n"); // keep-alive
    let r3 = response(200, 8, "");
    seg.extend_from_slice(&r3);
    let events = Pcap::ethernet().add(&tcp(UAS, UAC, 5, PSH, &seg)).read();
    let l1 = r1.len() as u64;
    let l2 = r2.len() as u64;
    assert_eq!(
        picture(&events),
        vec![
            Ev::Ok(1, Some(0), text(&r1)),
            Ev::Ok(1, Some(l1), text(&r2)),
            Ev::Ok(1, Some(l1 + l2 + 4), text(&r3)),
        ]
    );
}

#[test]
fn tcp_lost_segment_gap_then_the_next_message() {
    let r1 = response(200, 9, "0123456789");
    let r2 = response(200, 10, "");
    let s = 7000u32;
    let events = Pcap::ethernet()
        .add(&tcp(UAS, UAC, s, PSH, &r1[..40])) // frame 1
        // r1[40..] is never captured
        .add(&tcp(UAC, UAS, 1, ACK, b"")) // frame 2
        .add(&tcp(UAS, UAC, s + r1.len() as u32, PSH, &r2)) // frame 3
        .read();
    let missing = (r1.len() - 40) as u64;
    assert_eq!(
        picture(&events),
        vec![
            Ev::Problem(CaptureErrorKind::StreamGap { missing }),
            Ev::Err(3, Some(0), ParseErrorKind::Truncated),
            Ev::Ok(3, Some(r1.len() as u64), text(&r2)),
        ],
        "{events:?}"
    );
    let gap = problems(&events)[0];
    assert_eq!(gap.frame, Some(3));
}

#[test]
fn tcp_fin_in_the_middle_of_a_message() {
    let r1 = response(200, 11, "");
    let events = Pcap::ethernet()
        .add(&tcp(UAS, UAC, 1, PSH, &r1[..30]))
        .add(&tcp(UAS, UAC, 31, FIN | ACK, b""))
        .read();
    assert_eq!(
        picture(&events),
        vec![Ev::Err(2, Some(0), ParseErrorKind::Truncated)]
    );
}

#[test]
fn tcp_garbage_between_messages_is_skipped() {
    let r1 = response(200, 12, "");
    let r2 = response(486, 13, "");
    let mut seg = r1.clone();
    seg.extend_from_slice(b"some garbage\r\n");
    seg.extend_from_slice(&r2);
    let events = Pcap::ethernet().add(&tcp(UAS, UAC, 1, PSH, &seg)).read();
    let l1 = r1.len() as u64;
    assert_eq!(
        picture(&events),
        vec![
            Ev::Ok(1, Some(0), text(&r1)),
            Ev::Problem(CaptureErrorKind::Skipped { octets: 14 }),
            Ev::Ok(1, Some(l1 + 14), text(&r2)),
        ],
        "{events:?}"
    );
}

#[test]
fn tcp_junk_before_the_first_message_is_not_reported() {
    // Until a direction has carried SIP it is not known to be SIP: what
    // comes before the first start line is passed over quietly.
    let r1 = response(200, 14, "");
    let mut seg = b"HTTP/1.1 200 OK\r\nServer: x\r\n\r\n".to_vec();
    let junk = seg.len() as u64;
    seg.extend_from_slice(&r1);
    let events = Pcap::ethernet().add(&tcp(UAS, UAC, 1, PSH, &seg)).read();
    assert_eq!(picture(&events), vec![Ev::Ok(1, Some(junk), text(&r1))]);
}

#[test]
fn tcp_framing_error_then_the_next_message() {
    let bad = b"SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\nContent-Length: abc\r\n\r\n".to_vec();
    let r2 = response(200, 15, "");
    let mut seg = bad.clone();
    seg.extend_from_slice(&r2);
    let events = Pcap::ethernet()
        .add(&tcp(UAS, UAC, 1, PSH, &seg[..10]))
        .add(&tcp(UAS, UAC, 11, PSH, &seg[10..]))
        .read();
    let ms = messages(&events);
    assert_eq!(ms.len(), 2, "{events:?}");
    let e = ms[0].message.as_ref().expect_err("a framing error");
    assert_eq!(e.kind(), ParseErrorKind::ContentLengthSyntax);
    assert_eq!(ms[0].stream_offset, Some(0));
    // The error's offset is within the failed message.
    let cl = bad.windows(3).position(|w| w == b"abc").unwrap();
    assert!(
        e.offset() >= 32 && e.offset() <= cl + 3,
        "offset {} not in the Content-Length line",
        e.offset()
    );
    assert_eq!(ms[1].stream_offset, Some(bad.len() as u64));
    assert_eq!(ok_bytes(ms[1]), &r2[..]);
    assert_eq!(ms[1].frame, 2);
    // The failed message's other lines are passed over, and counted.
    let start_line = b"SIP/2.0 200 OK\r\n".len() as u64;
    assert_eq!(
        problems(&events),
        vec![CaptureError {
            kind: CaptureErrorKind::Skipped {
                octets: bad.len() as u64 - start_line
            },
            offset: 24 + 16 + (54 + 10) + 16, // frame 2, past its headers
            frame: Some(2)
        }]
    );
}

#[test]
fn tcp_stream_ending_inside_a_start_line() {
    // The stream ends (FIN) after a message and half the next start line:
    // the half line is reported as skipped, not dropped silently.
    let r1 = response(200, 24, "");
    let mut seg = r1.clone();
    seg.extend_from_slice(b"SIP/2.0 18");
    let events = Pcap::ethernet()
        .add(&tcp(UAS, UAC, 1, PSH, &seg))
        .add(&tcp(UAS, UAC, 1 + seg.len() as u32, FIN, b""))
        .read();
    assert_eq!(
        picture(&events),
        vec![
            Ev::Ok(1, Some(0), text(&r1)),
            Ev::Problem(CaptureErrorKind::Skipped { octets: 10 }),
        ]
    );
}

#[test]
fn tcp_connection_reused_after_close() {
    let r1 = response(200, 29, "");
    let r2 = response(200, 30, "");
    let events = Pcap::ethernet()
        .add(&tcp(UAS, UAC, 100, SYN | ACK, b""))
        .add(&tcp(UAS, UAC, 101, PSH, &r1))
        .add(&tcp(UAS, UAC, 101 + r1.len() as u32, FIN, b""))
        .add(&tcp(UAS, UAC, 5_000, SYN | ACK, b""))
        .add(&tcp(UAS, UAC, 5_001, PSH, &r2))
        .read();
    assert_eq!(
        picture(&events),
        vec![Ev::Ok(2, Some(0), text(&r1)), Ev::Ok(5, Some(0), text(&r2))]
    );
}

/// The first octets of a TLS 1.2/1.3 ClientHello (record type 22, version
/// 3.1, length 512, handshake type 1), then ciphertext-like filler holding
/// what hunting would otherwise take for a start line.
fn client_hello() -> Vec<u8> {
    let mut b = vec![22, 3, 1, 2, 0, 1, 0, 1, 252, 3, 3];
    b.extend_from_slice(b"\x8f\r\nSIP/2.0 200 OK\r\n");
    b.resize(517, 0x5a);
    b
}

#[test]
fn tls_on_the_sips_port_is_reported_once_and_not_read() {
    const CLIENT: Ep = ([10, 0, 0, 2], 40001);
    const SIPS: Ep = ([10, 0, 0, 1], 5061);
    let hello = client_hello();
    // The server's reply: a handshake record too (ServerHello, type 2).
    let mut server = hello.clone();
    server[5] = 2;
    let events = Pcap::ethernet()
        .add(&tcp(CLIENT, SIPS, 100, PSH, &hello))
        .add(&tcp(SIPS, CLIENT, 900, PSH, &server))
        .add(&tcp(
            CLIENT,
            SIPS,
            100 + hello.len() as u32,
            PSH,
            &response(200, 40, ""),
        ))
        .read();
    // One problem, at the client's hello; nothing of either direction is
    // hunted through, not even bytes that look like a start line.
    assert_eq!(
        picture(&events),
        vec![Ev::Problem(CaptureErrorKind::Encrypted)]
    );
    let p = problems(&events)[0];
    assert_eq!(p.frame, Some(1));
    assert_eq!(p.kind.id(), "tls-encrypted");
}

#[test]
fn tls_elsewhere_is_passed_over_quietly_and_a_new_connection_is_read() {
    const CLIENT: Ep = ([10, 0, 0, 2], 40002);
    const HTTPS: Ep = ([10, 0, 0, 1], 443);
    let hello = client_hello();
    let r = response(200, 41, "");
    let events = Pcap::ethernet()
        .add(&tcp(CLIENT, HTTPS, 100, PSH, &hello))
        .add(&tcp(CLIENT, HTTPS, 100 + hello.len() as u32, FIN, b""))
        // The same addresses, a new connection that carries SIP.
        .add(&tcp(CLIENT, HTTPS, 7_000, SYN, b""))
        .add(&tcp(CLIENT, HTTPS, 7_001, PSH, &r))
        .read();
    assert_eq!(picture(&events), vec![Ev::Ok(4, Some(0), text(&r))]);
}

#[test]
fn tcp_rst_in_the_middle_of_a_message() {
    let r1 = response(200, 31, "");
    let r2 = response(200, 32, "");
    let events = Pcap::ethernet()
        .add(&tcp(UAS, UAC, 1, PSH, &r1[..50]))
        .add(&tcp(UAS, UAC, 51, 0x04, b"")) // RST
        .add(&tcp(UAS, UAC, 9_000, PSH, &r2)) // a new connection, no SYN seen
        .read();
    assert_eq!(
        picture(&events),
        vec![
            Ev::Err(2, Some(0), ParseErrorKind::Truncated),
            Ev::Ok(3, Some(0), text(&r2)),
        ]
    );
}

#[test]
fn tcp_directions_are_separate_streams() {
    let req = request();
    let resp = response(200, 16, "");
    let events = Pcap::ethernet()
        .add(&tcp(UAC, UAS, 100, PSH, &req[..25]))
        .add(&tcp(UAS, UAC, 900, PSH, &resp))
        .add(&tcp(UAC, UAS, 125, PSH, &req[25..]))
        .read();
    assert_eq!(
        picture(&events),
        vec![
            Ev::Ok(2, Some(0), text(&resp)),
            Ev::Ok(3, Some(0), text(&req))
        ]
    );
    let ms = messages(&events);
    assert_eq!((ms[1].src, ms[1].dst), (sa(UAC), sa(UAS)));
}

#[test]
fn tcp_connections_that_closed_do_not_count_against_the_flow_limit() {
    // MAX_FLOWS is how many directions are followed at once: a long
    // capture of short connections must not run out.
    let mut cap = Pcap::ethernet();
    let n = MAX_FLOWS as u32 + 1;
    for i in 0..n {
        let client = ([10, 1, (i >> 8) as u8, i as u8], 1024 + (i >> 16) as u16);
        cap.add(&tcp(client, UAS, 0, SYN, b""));
        cap.add(&tcp(client, UAS, 1, FIN | ACK, b""));
    }
    let resp = response(200, 17, "");
    cap.add(&tcp(UAS, UAC, 1, PSH, &resp));
    let events = cap.read();
    assert!(
        problems(&events).is_empty(),
        "{:?}",
        problems(&events).first()
    );
    assert_eq!(
        picture(&events),
        vec![Ev::Ok(2 * n as u64 + 1, Some(0), text(&resp))]
    );
}

#[test]
fn tcp_flow_limit_holds_for_open_connections() {
    let mut cap = Pcap::ethernet();
    let client = |i: u32| ([10, 2, (i >> 8) as u8, i as u8], 1024 + (i >> 16) as u16);
    for i in 0..MAX_FLOWS as u32 {
        cap.add(&tcp(client(i), UAS, 0, SYN, b""));
    }
    let resp = response(200, 25, "");
    cap.add(&tcp(UAS, UAC, 1, PSH, &resp)); // refused: too many
    cap.add(&tcp(client(7), UAS, 1, FIN, b"")); // one closes
    cap.add(&tcp(UAS, UAC, 1, PSH, &resp)); // now followed
    let events = cap.read();
    let n = MAX_FLOWS as u64;
    assert_eq!(
        picture(&events),
        vec![
            Ev::Problem(CaptureErrorKind::TooManyFlows),
            Ev::Ok(n + 3, Some(0), text(&resp)),
        ]
    );
    assert_eq!(problems(&events)[0].frame, Some(n + 1));
}

// ---------------------------------------------------------------- SCTP

#[test]
fn sctp_message_in_fragments() {
    let resp = response(200, 18, "some body");
    let (a, rest) = resp.split_at(30);
    let (b, c) = rest.split_at(40);
    let whole = response(100, 19, "");
    let events = Pcap::ethernet()
        .add(&sctp(UAS, UAC, &[data_chunk(true, false, 3, 1, a)]))
        // Another stream's complete message between the pieces. A
        // message's fragments take consecutive TSNs (RFC 9260 §6.9), so the
        // other message has TSN 4: the last fragment (TSN 3) arrives after
        // it, out of order.
        .add(&sctp(
            UAS,
            UAC,
            &[
                data_chunk(false, false, 3, 2, b),
                data_chunk(true, true, 4, 4, &whole),
            ],
        ))
        .add(&sctp(UAS, UAC, &[data_chunk(false, true, 3, 3, c)]))
        .read();
    assert_eq!(
        picture(&events),
        vec![Ev::Ok(2, None, text(&whole)), Ev::Ok(3, None, text(&resp))]
    );
    let ms = messages(&events);
    assert!(ms.iter().all(|m| m.transport == Transport::Sctp));
    assert_eq!((ms[1].src, ms[1].dst), (sa(UAS), sa(UAC)));
}

#[test]
fn sctp_middle_piece_without_a_start_is_ignored() {
    let events = Pcap::ethernet()
        .add(&sctp(
            UAS,
            UAC,
            &[data_chunk(false, true, 3, 4, b"SIP/2.0 200 OK\r\n\r\n")],
        ))
        .read();
    assert!(events.is_empty(), "{events:?}");
}

// ---------------------------------------------------------------- WebSocket

fn ws_frame(opcode: u8, mask: Option<[u8; 4]>, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0x80 | opcode];
    let m = if mask.is_some() { 0x80 } else { 0 };
    if payload.len() < 126 {
        v.push(m | payload.len() as u8);
    } else {
        v.push(m | 126);
        v.extend_from_slice(&(payload.len() as u16).to_be_bytes());
    }
    match mask {
        Some(k) => {
            v.extend_from_slice(&k);
            v.extend(payload.iter().enumerate().map(|(i, b)| b ^ k[i % 4]));
        }
        None => v.extend_from_slice(payload),
    }
    v
}

#[test]
fn websocket_upgrade_then_masked_frames() {
    let get = b"GET /sip HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n\
                Connection: Upgrade\r\nSec-WebSocket-Protocol: sip\r\n\r\n"
        .to_vec();
    let resp = response(200, 20, "");
    let f1 = ws_frame(1, Some([1, 2, 3, 4]), &resp);
    let f2 = ws_frame(1, Some([5, 6, 7, 8]), &request());
    let mut seg2 = f1.clone();
    seg2.extend_from_slice(&f2);
    let events = Pcap::ethernet()
        .add(&tcp(UAC, UAS, 0, SYN, b""))
        .add(&tcp(UAC, UAS, 1, PSH, &get))
        .add(&tcp(UAC, UAS, 1 + get.len() as u32, PSH, &seg2))
        .read();
    let head = get.len() as u64;
    assert_eq!(
        picture(&events),
        vec![
            Ev::Ok(3, Some(head), text(&resp)),
            Ev::Ok(3, Some(head + f1.len() as u64), text(&request())),
        ],
        "{events:?}"
    );
    let ms = messages(&events);
    assert!(ms.iter().all(|m| m.transport == Transport::Ws));
    assert_eq!((ms[0].src, ms[0].dst), (sa(UAC), sa(UAS)));
}

#[test]
fn websocket_server_side_unmasked_and_non_sip_messages() {
    let head = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\
                 Connection: Upgrade\r\n\r\n"
        .to_vec();
    let json = ws_frame(1, None, br#"{"not":"sip"}"#);
    let resp = response(180, 21, "");
    let f = ws_frame(2, None, &resp);
    let mut seg = head.clone();
    seg.extend_from_slice(&json);
    seg.extend_from_slice(&ws_frame(9, None, b"ping"));
    seg.extend_from_slice(&f);
    let events = Pcap::ethernet().add(&tcp(UAS, UAC, 1, PSH, &seg)).read();
    let at = (head.len() + json.len() + 6) as u64;
    assert_eq!(
        picture(&events),
        vec![Ev::Ok(1, Some(at), text(&resp))],
        "{events:?}"
    );
}

#[test]
fn websocket_offsets_stay_right_after_a_gap() {
    // A WebSocket connection, a lost segment, then plain SIP on the same
    // direction (the hunt resumes): the SIP message's offset counts every
    // octet of the direction.
    let mut seg = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n".to_vec();
    seg.extend_from_slice(&ws_frame(1, None, &response(200, 22, "")));
    let lost = 100u32;
    let r = response(200, 23, "");
    let after = 1 + (seg.len() as u32) + lost;
    let events = Pcap::ethernet()
        .add(&tcp(UAS, UAC, 1, PSH, &seg))
        .add(&tcp(UAS, UAC, after, PSH, &r))
        .read();
    let ms = messages(&events);
    assert_eq!(ms.len(), 2, "{events:?}");
    assert_eq!(ms[1].transport, Transport::Tcp);
    assert_eq!(ms[1].stream_offset, Some(u64::from(after - 1)));
}

#[test]
fn websocket_frames_found_without_the_upgrade() {
    // A capture begun after the connection's upgrade: the server's frames
    // (unmasked) and the client's (masked) are found by what they carry.
    // The first segment starts in the middle of a frame (the tail of a
    // message the capture missed): those octets are dropped, and the
    // next segment, which starts a frame, is framed.
    let resp = response(200, 30, "");
    let f1 = ws_frame(1, None, &resp);
    let f2 = ws_frame(1, Some([9, 9, 9, 9]), &request());
    // Octets 40 to 100 of a frame: they end inside a header line, which
    // the hunt keeps, waiting for its end.
    let tail = &ws_frame(1, None, &response(180, 30, ""))[40..100];
    let events = Pcap::ethernet()
        .add(&tcp(UAS, UAC, 1_000, PSH, tail))
        .add(&tcp(UAS, UAC, 1_000 + tail.len() as u32, PSH, &f1))
        .add(&tcp(UAC, UAS, 5_000, PSH, &f2))
        .read();
    let ms = messages(&events);
    assert_eq!(ms.len(), 2, "{events:?}");
    assert!(
        ms.iter().all(|m| m.transport == Transport::Ws),
        "{events:?}"
    );
    assert_eq!(text(ms[0].message.as_ref().unwrap().bytes()), text(&resp));
    assert_eq!(
        text(ms[1].message.as_ref().unwrap().bytes()),
        text(&request())
    );
    // Plain SIP over TCP is not taken for WebSocket, nor is a frame of
    // another protocol.
    let plain = Pcap::ethernet().add(&tcp(UAS, UAC, 1, PSH, &resp)).read();
    assert_eq!(messages(&plain)[0].transport, Transport::Tcp);
    let json = Pcap::ethernet()
        .add(&tcp(UAS, UAC, 1, PSH, &ws_frame(1, None, br#"{"a":1}"#)))
        .read();
    assert!(messages(&json).is_empty(), "{json:?}");
}

#[test]
fn capture_options_limits_reach_every_message_framed() {
    // A response with an 80 000-octet body, over TCP in two segments: over
    // the default 64 KiB message limit, within a raised one.
    use sip_response::capture::CaptureOptions;
    use sip_response::Limits;
    let mut msg = response(200, 1, "").to_vec();
    let cl = b"Content-Length: 0\r\n";
    let at = msg
        .windows(cl.len())
        .position(|w| w == cl)
        .expect("Content-Length row");
    msg.splice(
        at..at + cl.len(),
        b"Content-Length: 80000\r\n".iter().copied(),
    );
    msg.extend(std::iter::repeat_n(b'x', 80_000));
    let mut cap = Pcap::ethernet();
    let (a, b) = msg.split_at(40_000);
    cap.add(&tcp(UAS, UAC, 1_000, PSH | ACK, a));
    cap.add(&tcp(UAS, UAC, 41_000, PSH | ACK, b));
    let outcome = |reader: CaptureReader| -> Vec<Result<usize, String>> {
        reader
            .filter_map(|e| match e {
                CaptureEvent::Message(m) => Some(
                    m.message
                        .as_ref()
                        .map(|m| m.bytes().len())
                        .map_err(|e| e.kind().as_str().to_string()),
                ),
                CaptureEvent::Problem(_) => None,
            })
            .collect()
    };
    let data = Bytes::from(cap.buf.clone());
    let default = outcome(CaptureReader::new(data.clone()).unwrap());
    assert_eq!(default, vec![Err("message-too-large".to_string())]);
    let raised = CaptureOptions::default().limits(Limits {
        max_message: 100_000,
        ..Limits::DEFAULT
    });
    let with = outcome(CaptureReader::with_options(data, raised).unwrap());
    assert_eq!(with, vec![Ok(msg.len())]);
}
