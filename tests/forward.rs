//! The proxy forwarding helper over generated responses, arbitrary input and
//! every response of the corpus: the forwarded bytes parse, their Via values
//! are the original's minus the first (byte for byte), and the pieces are
//! slices of the original buffer.

mod common;

use bytes::Bytes;
use proptest::prelude::*;
use sip_response::header::typed::Via;
use sip_response::validate::{validate, Context, Role, SentBy};
use sip_response::{
    forward_upstream, parse_response, ForwardOptions, Forwarded, KnownHeader, OwnedResponse,
    Refusal, Response,
};

fn via_values<'a>(r: &Response<'a>) -> Vec<&'a [u8]> {
    r.headers()
        .elements(KnownHeader::Via)
        .map(|e| e.bytes)
        .filter(|v| !v.is_empty())
        .collect()
}

/// The invariants of every successful forward.
fn check_forward(resp: &OwnedResponse, fwd: &Forwarded) {
    let src = resp.bytes();
    let view = resp.view();
    let msg = view.span();
    let removed = fwd.removed();
    assert!(msg.start < removed.start && removed.start < removed.end && removed.end < msg.end);
    let chunks = fwd.chunks();
    assert_eq!(chunks.len(), 2);
    // Zero copy: each piece starts inside the original buffer.
    assert_eq!(chunks[0].as_ptr(), src[msg.start..].as_ptr());
    assert_eq!(chunks[1].as_ptr(), src[removed.end..].as_ptr());
    let out = fwd.to_vec();
    let mut expected = src[msg.start..removed.start].to_vec();
    expected.extend_from_slice(&src[removed.end..msg.end]);
    assert_eq!(out, expected);
    let back = parse_response(&out).expect("the forwarded message parses");
    assert_eq!(back.status(), view.status());
    assert_eq!(back.body(), view.body());
    assert_eq!(back.content_length(), view.content_length());
    let before = via_values(&view);
    assert_eq!(via_values(&back), before[1..]);
    assert_eq!(&src[fwd.next_via_span().range()], before[1]);
}

// ---------------------------------------------------------------------------
// Generated responses

#[derive(Clone, Debug)]
struct GenVia {
    transport: &'static str,
    host: String,
    port: Option<u16>,
    params: String,
}

impl GenVia {
    fn render(&self) -> String {
        let port = self.port.map(|p| format!(":{p}")).unwrap_or_default();
        format!(
            "SIP/2.0/{} {}{port}{}",
            self.transport, self.host, self.params
        )
    }
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z]([a-zA-Z0-9-]{0,5}[a-zA-Z0-9])?\\.example\\.(com|ORG|net)",
        (1u8..=254, 0u8..=255).prop_map(|(a, b)| format!("192.0.{a}.{b}")),
        (1u16..0xffff).prop_map(|n| format!("[2001:db8::{n:x}]")),
        Just("255.255.255.255".to_string()),
    ]
}

fn via() -> impl Strategy<Value = GenVia> {
    (
        prop::sample::select(&["UDP", "TCP", "TLS", "SCTP", "udp", "tls", "WS", "WSS"][..]),
        host(),
        prop::option::of(1024u16..),
        "(;branch=z9hG4bK[a-zA-Z0-9]{1,10})?(;received=192\\.0\\.2\\.[1-9])?(;rport(=[1-9][0-9]{3})?)?",
    )
        .prop_map(|(transport, host, port, params)| GenVia {
            transport,
            host,
            port,
            params,
        })
}

const SEPARATORS: &[&str] = &[",", ", ", " ,", " , ", ",\r\n ", "\r\n\t,\r\n  ", ",  \t"];
const NAMES: &[&str] = &["Via", "v", "VIA", "V", "via", "vIA"];

/// Via values spread over rows (each row 1..=3 values), with random names,
/// separators, folds and other headers between the rows.
#[derive(Clone, Debug)]
struct GenResponse {
    code: u16,
    vias: Vec<GenVia>,
    rows: Vec<usize>,
    names: Vec<usize>,
    seps: Vec<usize>,
    between: Vec<bool>,
    body: String,
}

fn response() -> impl Strategy<Value = GenResponse> {
    (
        prop_oneof![Just(100u16), 101u16..700],
        prop::collection::vec(via(), 1..8),
        prop::collection::vec(1usize..=3, 8),
        prop::collection::vec(0..NAMES.len(), 8),
        prop::collection::vec(0..SEPARATORS.len(), 8),
        prop::collection::vec(any::<bool>(), 8),
        "[a-z=0-9 \r\n]{0,30}",
    )
        .prop_map(
            |(code, vias, rows, names, seps, between, body)| GenResponse {
                code,
                vias,
                rows,
                names,
                seps,
                between,
                body,
            },
        )
}

impl GenResponse {
    /// The message and its Via values in order.
    fn render(&self) -> (Vec<u8>, Vec<String>) {
        let values: Vec<String> = self.vias.iter().map(GenVia::render).collect();
        let mut out = format!("SIP/2.0 {} Whatever\r\n", self.code);
        let mut i = 0;
        let mut row = 0;
        while i < values.len() {
            let n = self.rows[row % self.rows.len()].min(values.len() - i);
            out.push_str(NAMES[self.names[row % self.names.len()]]);
            out.push_str(": ");
            for (k, v) in values[i..i + n].iter().enumerate() {
                if k > 0 {
                    out.push_str(SEPARATORS[self.seps[(i + k) % self.seps.len()]]);
                }
                out.push_str(v);
            }
            out.push_str("\r\n");
            if self.between[row % self.between.len()] {
                out.push_str("X-Between: a, b\r\n");
            }
            i += n;
            row += 1;
        }
        out.push_str("To: <sip:b@example.org>;tag=1\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n");
        out.push_str(&format!(
            "Content-Length: {}\r\n\r\n{}",
            self.body.len(),
            self.body
        ));
        (out.into_bytes(), values)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// With the first sent-by as ours, the forward is the message minus the
    /// first Via value, or the refusal the spec asks for.
    #[test]
    fn forwards_generated_responses(g in response(), spell_port in any::<bool>()) {
        let (bytes, values) = g.render();
        let resp = OwnedResponse::parse(Bytes::from(bytes)).unwrap();
        prop_assert_eq!(via_values(&resp.view()), values.iter().map(|v| v.as_bytes()).collect::<Vec<_>>());
        let top = &g.vias[0];
        // Configure the port either as sent or, when absent, as the default.
        let tls = top.transport.eq_ignore_ascii_case("TLS") || top.transport == "WSS";
        let default = if tls { 5061 } else { 5060 };
        let port = top.port.or(if spell_port { Some(default) } else { None });
        let own = [SentBy::new("other.invalid", None), SentBy::new(top.host.to_ascii_uppercase(), port)];
        let next_is_bcast = g.vias.get(1).is_some_and(|v| v.host == "255.255.255.255");
        match forward_upstream(&resp, &own) {
            Ok(fwd) => {
                prop_assert!(g.code != 100 && values.len() >= 2 && !next_is_bcast);
                check_forward(&resp, &fwd);
                let next = fwd.next_via().unwrap();
                prop_assert_eq!(next.sent_by().host().as_str(), g.vias[1].host.as_str());
                prop_assert!(fwd.findings().is_empty());
            }
            Err(e) => {
                let want = if g.code == 100 {
                    Refusal::Trying
                } else if values.len() == 1 {
                    Refusal::MeantForUs
                } else {
                    prop_assert!(next_is_bcast, "{e}");
                    Refusal::BroadcastNextVia
                };
                prop_assert_eq!(e.reason(), want);
            }
        }
        // Allowing broadcast changes only that refusal.
        let opts = ForwardOptions::new().forward_broadcast(true);
        if let Ok(fwd) = opts.forward(&resp, &own) {
            check_forward(&resp, &fwd);
            prop_assert_eq!(fwd.findings().len(), usize::from(next_is_bcast));
        } else {
            prop_assert!(g.code == 100 || values.len() == 1);
        }
        // Someone else's response is never forwarded.
        let err = forward_upstream(&resp, &[SentBy::new("other.invalid", None)]).unwrap_err();
        prop_assert!(matches!(err.reason(), Refusal::Trying | Refusal::NotOurs));

        // The validator, as the same proxy, agrees on the shared rules.
        let count = |ctx: &Context, id: &str| validate(&resp.view(), ctx).by_rule(id).count();
        let ctx = Context::new()
            .with_role(Role::Proxy)
            .with_own_sent_by(top.host.to_ascii_uppercase(), port);
        prop_assert_eq!(count(&ctx, "via-top-not-ours"), 0);
        prop_assert_eq!(count(&ctx, "proxy-stray-response"), 0);
        prop_assert_eq!(count(&ctx, "proxy-broadcast-via"), usize::from(next_is_bcast));
        prop_assert_eq!(count(&ctx, "100-not-forwarded"), usize::from(g.code == 100));
        prop_assert_eq!(
            count(&ctx, "proxy-remove-top-via"),
            usize::from(g.code != 100 && values.len() == 1)
        );
        let stranger = Context::new()
            .with_role(Role::Proxy)
            .with_own_sent_by("other.invalid", None);
        prop_assert_eq!(count(&stranger, "via-top-not-ours"), 1);
        prop_assert_eq!(
            count(&stranger, "proxy-stray-response"),
            usize::from(g.code != 100)
        );
        prop_assert_eq!(count(&stranger, "proxy-remove-top-via"), 0);

        // A stateless proxy (RFC 3261 §16.11) forwards a 100 like any
        // response; the forwarder and the validator agree on that too.
        let stateless = ForwardOptions::new().stateless(true).forward_broadcast(true);
        match stateless.forward(&resp, &own) {
            Ok(fwd) => check_forward(&resp, &fwd),
            Err(e) => prop_assert!(values.len() == 1 && e.reason() == Refusal::MeantForUs),
        }
        let ctx = ctx.with_stateless_proxy(true);
        prop_assert_eq!(count(&ctx, "100-not-forwarded"), 0);
        prop_assert_eq!(count(&ctx, "proxy-broadcast-via"), usize::from(next_is_bcast));
    }

    /// Arbitrary and mutated input never panics, and any forward it yields
    /// keeps every invariant.
    #[test]
    fn never_panics(
        g in response(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        raw in prop::collection::vec(any::<u8>(), 0..200),
        host in host(),
        port in prop::option::of(any::<u16>()),
    ) {
        let (mut bytes, _) = g.render();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        for input in [bytes, raw] {
            let Ok(resp) = OwnedResponse::parse(Bytes::from(input)) else { continue };
            // Ours: the real top sent-by when it parses, else a random one.
            let top = resp
                .view()
                .headers()
                .typed::<Via<'_>>()
                .and_then(Result::ok)
                .map(|v| SentBy::new(v.sent_by().host().as_str(), v.sent_by().port()));
            let own: Vec<SentBy> = top.into_iter().chain([SentBy::new(host.clone(), port)]).collect();
            // The validator, as the same proxy, reaches the forwarder's
            // verdicts (one implementation each), and keeps them apart.
            let ctx = own.iter().fold(Context::new().with_role(Role::Proxy), |c, o| {
                c.with_own_sent_by(o.host(), o.port())
            });
            let report = validate(&resp.view(), &ctx);
            prop_assert!(report.verdicts().iter().all(|f| f.is_verdict()));
            prop_assert!(report.defects().iter().all(|f| !f.is_verdict()));
            let n = |id: &str| report.by_rule(id).count();
            match forward_upstream(&resp, &own) {
                Ok(_) => {
                    prop_assert_eq!(n("100-not-forwarded") + n("via-top-not-ours"), 0);
                    prop_assert_eq!(n("proxy-stray-response") + n("proxy-remove-top-via"), 0);
                    prop_assert_eq!(n("proxy-broadcast-via"), 0);
                }
                Err(e) => match e.reason() {
                    Refusal::Trying => prop_assert_eq!(n("100-not-forwarded"), 1),
                    Refusal::NotOurs | Refusal::MalformedTopVia(_) => {
                        prop_assert_eq!(n("via-top-not-ours"), 1);
                        prop_assert_eq!(n("proxy-stray-response"), 1);
                    }
                    Refusal::MeantForUs => prop_assert_eq!(n("proxy-remove-top-via"), 1),
                    Refusal::BroadcastNextVia => prop_assert_eq!(n("proxy-broadcast-via"), 1),
                    Refusal::NoVia => prop_assert_eq!(n("via-required"), 1),
                    _ => {}
                },
            }
            for opts in [ForwardOptions::new(), ForwardOptions::new().forward_broadcast(true)] {
                match opts.forward(&resp, &own) {
                    Ok(fwd) => check_forward(&resp, &fwd),
                    Err(e) => {
                        let n = e.findings().len();
                        let want = if e.is_absorbed() { 0 } else { e.reason().rule_ids().len() };
                        prop_assert_eq!(n, want, "an absorbed 100 draws no finding");
                        if let Some(span) = e.span() {
                            prop_assert!(span.end <= resp.bytes().len());
                        }
                        let _ = e.to_string();
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Corpus

/// Every response of the corpus, forwarded as the element of its top Via:
/// either forwarded with all invariants, or refused for a stated reason.
#[test]
fn corpus_responses() {
    let mut forwarded = 0;
    let mut seen = 0;
    for row in common::manifest() {
        if row.path.starts_with("pcap/") {
            continue; // captures, not single messages
        }
        let bytes = common::read(&row.path);
        let Ok(resp) = OwnedResponse::parse(Bytes::from(bytes)) else {
            continue;
        };
        seen += 1;
        let Some(Ok(top)) = resp.view().headers().typed::<Via<'_>>() else {
            continue;
        };
        let own = [SentBy::new(
            top.sent_by().host().as_str(),
            top.sent_by().port(),
        )];
        let vias = via_values(&resp.view()).len();
        match forward_upstream(&resp, &own) {
            Ok(fwd) => {
                check_forward(&resp, &fwd);
                forwarded += 1;
            }
            Err(e) => match e.reason() {
                Refusal::Trying => assert_eq!(resp.view().status().as_u16(), 100),
                Refusal::MeantForUs => assert_eq!(vias, 1, "{}", row.path),
                Refusal::BroadcastNextVia => assert!(row.path.contains("bcast")),
                other => panic!("{}: {other:?}", row.path),
            },
        }
    }
    // 33 responses parse; 10 of them have more than one Via and no 100.
    assert!(seen >= 33, "{seen}");
    assert!(forwarded >= 10, "{forwarded}");
}

/// `Forwarded::send_to` puts the whole forward in one datagram, sent to the
/// destination `next_hop` resolves (RFC 3581: received + rport).
#[cfg(feature = "socket2")]
#[test]
fn udp_send_to_next_hop() {
    use std::net::UdpSocket;
    let upstream = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = upstream.local_addr().unwrap().port();
    let wire = format!(
        "SIP/2.0 180 Ringing\r\n\
Via: SIP/2.0/UDP p.example.com;branch=z9hG4bKp\r\n\
Via: SIP/2.0/UDP uac.example.com;branch=z9hG4bKa;rport={port};received=127.0.0.1\r\n\
To: <sip:b@example.org>;tag=1\r\nFrom: <sip:a@example.com>;tag=2\r\n\
Call-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"
    );
    let resp = OwnedResponse::parse(Bytes::from(wire)).unwrap();
    let fwd = forward_upstream(&resp, &[SentBy::new("p.example.com", None)]).unwrap();
    let hop = fwd.next_hop().unwrap();
    assert_eq!(hop.socket_addr(), Some(upstream.local_addr().unwrap()));
    let out = UdpSocket::bind("127.0.0.1:0").unwrap();
    assert_eq!(
        fwd.send_to(&out, hop.socket_addr().unwrap()).unwrap(),
        fwd.len()
    );
    let mut buf = [0u8; 2048];
    upstream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let (n, from) = upstream.recv_from(&mut buf).unwrap();
    assert_eq!(from, out.local_addr().unwrap());
    assert_eq!(&buf[..n], &fwd.to_vec()[..]);
    assert!(!buf[..n].windows(13).any(|w| w == b"p.example.com"));
}
