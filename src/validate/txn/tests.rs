//! The tracker's unit tests: each rule failing and passing.
#![cfg(test)]

use super::*;
use crate::message::parse_message;
use crate::validate::{Finding, Severity};

const UAC: &str = "192.0.2.1:5060";
const UAS: &str = "192.0.2.2:5060";

/// A message of one call: `first` is the start line, `extra` more
/// header rows (CRLF-terminated), `body` the body.
fn msg(first: &str, method: &str, branch: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "{first}\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch={branch}\r\nFrom: <sip:a@example.com>;tag=f1\r\nTo: <sip:b@example.com>\r\nCall-ID: call-1\r\nCSeq: 1 {method}\r\n{extra}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// One tracker between the UAC and the UAS; `at` feeds it a message
/// and returns its findings' ids and the observation.
struct Run {
    tracker: TxnTracker,
    transport: Transport,
}

impl Run {
    fn new() -> Self {
        Run {
            tracker: TxnTracker::new(TxnConfig::default()),
            transport: Transport::Udp,
        }
    }

    fn at(&mut self, ms: u64, from_uac: bool, bytes: &[u8]) -> (Vec<&'static str>, Observation) {
        self.at_policy(ms, from_uac, bytes, &Policy::new())
    }

    fn at_policy(
        &mut self,
        ms: u64,
        from_uac: bool,
        bytes: &[u8],
        policy: &Policy,
    ) -> (Vec<&'static str>, Observation) {
        let m = parse_message(bytes).unwrap();
        let (src, dst) = if from_uac { (UAC, UAS) } else { (UAS, UAC) };
        let seen = Sighting {
            at: Duration::from_millis(ms),
            src: src.parse().unwrap(),
            dst: dst.parse().unwrap(),
            transport: self.transport,
        };
        let mut out: Vec<Finding> = Vec::new();
        let obs = self.tracker.observe(&m, seen, policy, &mut out);
        (out.iter().map(Finding::rule).collect(), obs)
    }
}

const BR: &str = "z9hG4bK-1";

/// The Contacts of two UASs.
const C5: &str = "Contact: <sip:a@192.0.2.5>\r\n";
const C6: &str = "Contact: <sip:b@192.0.2.6>\r\n";

fn invite() -> Vec<u8> {
    msg("INVITE sip:b@example.com SIP/2.0", "INVITE", BR, "", "")
}

/// A response of the call; a 2xx to INVITE carries a session
/// description (as `2xx-invite-sdp` asks; [`resp_body`] for others).
fn resp(code: &str, method: &str, tag: &str, extra: &str) -> Vec<u8> {
    if code.starts_with('2') && method == "INVITE" {
        let extra = format!("{extra}Content-Type: application/sdp\r\n");
        return resp_body(code, method, tag, &extra, "v=0\r\n");
    }
    resp_body(code, method, tag, extra, "")
}

fn resp_body(code: &str, method: &str, tag: &str, extra: &str, body: &str) -> Vec<u8> {
    let s = String::from_utf8(msg(&format!("SIP/2.0 {code}"), method, BR, extra, body)).unwrap();
    s.replacen(
        "To: <sip:b@example.com>",
        &format!("To: <sip:b@example.com>{tag}"),
        1,
    )
    .into_bytes()
}

#[test]
fn two_different_finals_to_one_invite() {
    // The Kamailio case: two 477s with different To tags.
    let mut run = Run::new();
    assert!(run.at(0, true, &invite()).0.is_empty());
    let a = resp("477 Unfortunately", "INVITE", ";tag=a", "");
    let b = resp("477 Unfortunately", "INVITE", ";tag=b", "");
    assert!(run.at(10, false, &a).0.is_empty());
    // A retransmission of the first is fine.
    assert!(run.at(510, false, &a).0.is_empty());
    assert_eq!(run.at(20, false, &b).0, ["final-response-multiple"]);
    // The second one's retransmissions are not reported again.
    assert!(run.at(520, false, &b).0.is_empty());
}

#[test]
fn same_final_regenerated_with_a_new_date_is_not_a_second_final() {
    let mut run = Run::new();
    let a = resp(
        "404 Not Found",
        "OPTIONS",
        ";tag=a",
        "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n",
    );
    let b = resp(
        "404 Not Found",
        "OPTIONS",
        ";tag=a",
        "Date: Sat, 13 Nov 2010 23:29:01 GMT\r\n",
    );
    let c = resp("404 Not found", "OPTIONS", ";tag=a", "");
    assert!(run.at(0, false, &a).0.is_empty());
    assert!(run.at(500, false, &b).0.is_empty());
    // Another reason phrase is another response.
    assert_eq!(run.at(1500, false, &c).0, ["final-response-multiple"]);
}

#[test]
fn forked_2xx_to_invite_are_fine_but_not_after_a_non_2xx() {
    let mut run = Run::new();
    run.at(0, true, &invite());
    let ok_a = resp("200 OK", "INVITE", ";tag=a", C5);
    let ok_b = resp("200 OK", "INVITE", ";tag=b", C6);
    assert!(run.at(10, false, &ok_a).0.is_empty());
    assert!(run.at(20, false, &ok_b).0.is_empty());
    assert!(run.at(30, false, &ok_a).0.is_empty());
    let busy = resp("486 Busy Here", "INVITE", ";tag=c", "");
    assert_eq!(run.at(40, false, &busy).0, ["final-response-multiple"]);
    // The same To tag with other content is not a fork.
    let ok_a2 = resp("200 OK", "INVITE", ";tag=a", &format!("{C5}Server: x\r\n"));
    assert_eq!(run.at(50, false, &ok_a2).0, ["final-response-multiple"]);
}

#[test]
fn two_different_finals_to_a_non_invite() {
    let mut run = Run::new();
    let a = resp("200 OK", "MESSAGE", ";tag=a", "");
    let b = resp("200 OK", "MESSAGE", ";tag=b", "");
    assert!(run.at(0, false, &a).0.is_empty());
    assert_eq!(run.at(5, false, &b).0, ["final-response-multiple"]);
}

#[test]
fn provisional_after_final() {
    let mut run = Run::new();
    run.at(0, true, &invite());
    let ringing = resp("180 Ringing", "INVITE", ";tag=a", C5);
    let ok = resp("200 OK", "INVITE", ";tag=a", C5);
    let progress = resp("183 Session Progress", "INVITE", ";tag=a", C5);
    assert!(run.at(10, false, &ringing).0.is_empty());
    assert!(run.at(20, false, &ok).0.is_empty());
    // A late copy of the 180 sent before the final is a retransmission.
    assert!(run.at(30, false, &ringing).0.is_empty());
    assert_eq!(run.at(40, false, &progress).0, ["provisional-after-final"]);
}

#[test]
fn to_tag_inconsistent_needs_one_uas() {
    let mut run = Run::new();
    run.at(0, true, &invite());
    assert!(run
        .at(10, false, &resp("180 Ringing", "INVITE", ";tag=a", C5))
        .0
        .is_empty());
    // Another UAS (forking): another Contact, another tag.
    assert!(run
        .at(20, false, &resp("180 Ringing", "INVITE", ";tag=b", C6))
        .0
        .is_empty());
    // No Contact: nothing to compare.
    assert!(run
        .at(25, false, &resp("181 Forwarded", "INVITE", ";tag=z", ""))
        .0
        .is_empty());
    // The first UAS changes its dialog ID.
    assert_eq!(
        run.at(30, false, &resp("183 Progress", "INVITE", ";tag=x", C5))
            .0,
        ["to-tag-inconsistent"]
    );
    // A 100 may have no tag or another one.
    assert!(run
        .at(40, false, &resp("100 Trying", "INVITE", ";tag=y", C5))
        .0
        .is_empty());
}

fn options() -> Vec<u8> {
    msg("OPTIONS sip:b@example.com SIP/2.0", "OPTIONS", BR, "", "")
}

#[test]
fn early_100_to_non_invite_over_udp() {
    let trying = resp("100 Trying", "OPTIONS", "", "");
    let mut run = Run::new();
    assert_eq!(
        TxnConfig::default().timer_e_reaches_t2(),
        Duration::from_millis(3500)
    );
    run.at(0, true, &options());
    run.at(500, true, &options()); // a retransmission: the first copy counts
    assert_eq!(run.at(3499, false, &trying).0, ["100-non-invite-udp-early"]);
    let mut run = Run::new();
    run.at(0, true, &options());
    assert!(run.at(3500, false, &trying).0.is_empty());
    // Over TCP a 100 may come at once.
    let mut run = Run::new();
    run.transport = Transport::Tcp;
    run.at(0, true, &options());
    assert!(run.at(1, false, &trying).0.is_empty());
    // A 100 to INVITE may come at once.
    let mut run = Run::new();
    run.at(0, true, &invite());
    assert!(run
        .at(1, false, &resp("100 Trying", "INVITE", "", ""))
        .0
        .is_empty());
    // Without the request: skipped, and said so.
    let mut run = Run::new();
    let (f, obs) = run.at(1, false, &trying);
    assert!(f.is_empty() && !obs.request_seen());
    assert_eq!(
        obs.skipped().collect::<Vec<_>>(),
        [r::R_100_NON_INVITE_UDP_EARLY]
    );
}

#[test]
fn invite_provisional_refresh() {
    let ringing = resp("180 Ringing", "INVITE", ";tag=a", C5);
    let ok = resp("200 OK", "INVITE", ";tag=a", C5);
    let mut run = Run::new();
    run.at(0, true, &invite());
    assert!(run.at(1_000, false, &ringing).0.is_empty());
    assert!(run.at(60_000, false, &ringing).0.is_empty());
    assert_eq!(
        run.at(120_001, false, &ok).0,
        ["invite-provisional-refresh"]
    );
    // Refreshed every minute: fine. A 100 is no refresh.
    let mut run = Run::new();
    run.at(0, true, &invite());
    run.at(100, false, &resp("100 Trying", "INVITE", "", ""));
    assert!(run.at(59_000, false, &ringing).0.is_empty());
    assert!(run.at(118_000, false, &ringing).0.is_empty());
    assert!(run.at(170_000, false, &ok).0.is_empty());
    // A 100 alone does not reset the clock.
    let mut run = Run::new();
    run.at(0, true, &invite());
    run.at(100, false, &resp("100 Trying", "INVITE", "", ""));
    assert_eq!(run.at(61_000, false, &ok).0, ["invite-provisional-refresh"]);
    // Neither request nor provisional seen: skipped.
    let mut run = Run::new();
    let (f, obs) = run.at(61_000, false, &ok);
    assert!(f.is_empty());
    assert_eq!(
        obs.skipped().collect::<Vec<_>>(),
        [r::INVITE_PROVISIONAL_REFRESH]
    );
}

fn reliable(rseq: u32) -> Vec<u8> {
    resp(
        "183 Session Progress",
        "INVITE",
        ";tag=a",
        &format!("Contact: <sip:a@192.0.2.5>\r\nRequire: 100rel\r\nRSeq: {rseq}\r\n"),
    )
}

#[test]
fn rseq_counts_up_by_one() {
    let mut run = Run::new();
    run.at(0, true, &invite());
    assert!(run.at(10, false, &reliable(7)).0.is_empty());
    assert!(run.at(510, false, &reliable(7)).0.is_empty()); // retransmission
    assert!(run.at(600, false, &reliable(8)).0.is_empty());
    assert_eq!(run.at(700, false, &reliable(10)).0, ["rseq-sequence"]);
    assert!(run.at(800, false, &reliable(11)).0.is_empty());
}

#[test]
fn first_rseq_at_most_2_pow_31_minus_1() {
    let mut run = Run::new();
    run.at(0, true, &invite());
    assert_eq!(run.at(10, false, &reliable(1 << 31)).0, ["rseq-range"]);
    let mut run = Run::new();
    run.at(0, true, &invite());
    assert!(run.at(10, false, &reliable((1 << 31) - 1)).0.is_empty());
    // Counting up past it later is fine.
    assert!(run.at(20, false, &reliable(1 << 31)).0.is_empty());
    // Without the request the first one seen may not be the first.
    let mut run = Run::new();
    let (f, obs) = run.at(10, false, &reliable(1 << 31));
    assert!(f.is_empty());
    // (Nor is the INVITE's start known, for the refresh.)
    assert_eq!(
        obs.skipped().collect::<Vec<_>>(),
        [
            r::INVITE_PROVISIONAL_REFRESH,
            crate::validate::rules::RSEQ_RANGE
        ]
    );
}

#[test]
fn rfc_2543_fallback_and_observation_points() {
    let old = |code: &str, tag: &str| {
        String::from_utf8(resp(code, "INVITE", tag, ""))
            .unwrap()
            .replace(BR, "old-style-7")
            .into_bytes()
    };
    let mut run = Run::new();
    assert!(run
        .at(0, false, &old("404 Not Found", ";tag=a"))
        .0
        .is_empty());
    assert_eq!(
        run.at(1, false, &old("480 Gone", ";tag=a")).0,
        ["final-response-multiple"]
    );
    // Another Call-ID: another transaction.
    let other = String::from_utf8(old("480 Gone", ";tag=a"))
        .unwrap()
        .replace("call-1", "call-2");
    assert!(run.at(2, false, other.as_bytes()).0.is_empty());
    // The same response on another pair of addresses: another hop.
    let seen = Sighting {
        at: Duration::from_millis(3),
        src: "198.51.100.1:5060".parse().unwrap(),
        dst: UAC.parse().unwrap(),
        transport: Transport::Udp,
    };
    let m = old("486 Busy Here", ";tag=a");
    let m = parse_message(&m).unwrap();
    let mut out: Vec<Finding> = Vec::new();
    run.tracker.observe(&m, seen, &Policy::new(), &mut out);
    assert!(out.is_empty());
    // CANCEL is its own transaction; ACK is ignored.
    let cancel = resp("200 OK", "CANCEL", ";tag=a", "");
    assert!(run.at(4, false, &cancel).0.is_empty());
    let (_, obs) = run.at(
        5,
        true,
        &msg("ACK sip:b SIP/2.0", "ACK", "z9hG4bK-9", "", ""),
    );
    assert!(!obs.is_tracked());
}

#[test]
fn policy_applies() {
    let mut policy = Policy::new();
    policy.disable("final-response-multiple").unwrap();
    let mut run = Run::new();
    run.at_policy(0, false, &resp("404 A", "OPTIONS", "", ""), &policy);
    let (f, _) = run.at_policy(1, false, &resp("404 B", "OPTIONS", "", ""), &policy);
    assert!(f.is_empty());
}

#[test]
fn state_expires_on_capture_time_and_is_capped() {
    let mut run = Run::new();
    run.at(0, true, &options());
    let (_, obs) = run.at(31_000, false, &resp("200 OK", "OPTIONS", ";tag=a", ""));
    assert!(obs.request_seen());
    // Forgotten 32 s after its last message: the next copy is new.
    let (f, obs) = run.at(63_001, false, &resp("200 OK", "OPTIONS", ";tag=b", ""));
    assert!(f.is_empty() && !obs.request_seen());
    assert_eq!(run.tracker.stats().expired, 1);

    let config = TxnConfig {
        max_transactions: 50,
        ..TxnConfig::default()
    };
    let mut tracker = TxnTracker::new(config);
    let mut out: Vec<Finding> = Vec::new();
    for i in 0..10_000u32 {
        let m = msg(
            "OPTIONS sip:b SIP/2.0",
            "OPTIONS",
            &format!("z9hG4bK{i}"),
            "",
            "",
        );
        let m = parse_message(&m).unwrap();
        let seen = Sighting {
            at: Duration::ZERO,
            src: UAC.parse().unwrap(),
            dst: UAS.parse().unwrap(),
            transport: Transport::Udp,
        };
        tracker.observe(&m, seen, &Policy::new(), &mut out);
        assert!(tracker.txns.open.len() <= 50 && tracker.txns.due.len() <= 50);
    }
    let stats = tracker.stats();
    assert_eq!((stats.live, stats.peak, stats.capacity), (50, 50, 50));
    assert_eq!(stats.evicted, 10_000 - 50);
    assert!(out.is_empty());
}

#[test]
fn a_2xx_to_invite_owes_a_session_description() {
    let c = "Contact: <sip:a@192.0.2.5>\r\n";
    let bare = resp_body("200 OK", "INVITE", ";tag=a", c, "");
    let mut run = Run::new();
    run.at(0, true, &invite());
    assert_eq!(run.at(10, false, &bare).0, ["2xx-invite-sdp"]);
    // Its retransmission is not reported again.
    assert!(run.at(510, false, &bare).0.is_empty());
    // After a reliable provisional with SDP (the answer or the offer).
    let sdp = format!("{c}Require: 100rel\r\nRSeq: 1\r\nContent-Type: application/sdp\r\n");
    let mut run = Run::new();
    run.at(0, true, &invite());
    assert!(run
        .at(
            5,
            false,
            &resp_body("183 Progress", "INVITE", ";tag=a", &sdp, "v=0\r\n")
        )
        .0
        .is_empty());
    assert!(run.at(10, false, &bare).0.is_empty());
    // An unreliable one does not count; another UAS's does not either.
    let mut run = Run::new();
    run.at(0, true, &invite());
    let unreliable = format!("{c}Content-Type: application/sdp\r\n");
    run.at(
        5,
        false,
        &resp_body("183 Progress", "INVITE", ";tag=a", &unreliable, "v=0\r\n"),
    );
    run.at(
        6,
        false,
        &resp_body(
            "183 Progress",
            "INVITE",
            ";tag=b",
            &sdp.replace("sip:a@", "sip:b@"),
            "v=0\r\n",
        ),
    );
    assert_eq!(run.at(10, false, &bare).0, ["2xx-invite-sdp"]);
    // Without the request the capture may have missed the provisional.
    let mut run = Run::new();
    let (f, obs) = run.at(10, false, &bare);
    assert!(f.is_empty());
    assert!(obs.skipped().any(|r| r == r::R_2XX_INVITE_SDP));
    // An unreadable Content-Type is its own rule's.
    let mut run = Run::new();
    run.at(0, true, &invite());
    let odd = resp_body(
        "200 OK",
        "INVITE",
        ";tag=a",
        &format!("{c}Content-Type: nonsense\r\n"),
        "x",
    );
    assert!(run.at(10, false, &odd).0.is_empty());
}

#[test]
fn a_500_to_an_overlapping_reinvite_needs_retry_after() {
    let reinvite = |cseq: u32, branch: &str| {
        String::from_utf8(msg(
            "INVITE sip:b@192.0.2.5 SIP/2.0",
            "INVITE",
            branch,
            "",
            "",
        ))
        .unwrap()
        .replace("To: <sip:b@example.com>", "To: <sip:b@example.com>;tag=d")
        .replace("CSeq: 1 INVITE", &format!("CSeq: {cseq} INVITE"))
        .into_bytes()
    };
    let answer = |code: &str, cseq: u32, branch: &str, extra: &str| {
        String::from_utf8(resp_body(code, "INVITE", ";tag=d", extra, ""))
            .unwrap()
            .replace(BR, branch)
            .replace("CSeq: 1 INVITE", &format!("CSeq: {cseq} INVITE"))
            .into_bytes()
    };
    let mut run = Run::new();
    run.at(0, true, &reinvite(2, "z9hG4bK-r2"));
    // A second re-INVITE before the first one's final response.
    run.at(100, true, &reinvite(3, "z9hG4bK-r3"));
    assert_eq!(
        run.at(
            110,
            false,
            &answer("500 Server Internal Error", 3, "z9hG4bK-r3", "")
        )
        .0,
        ["500-reinvite-retry-after"]
    );
    let mut run = Run::new();
    run.at(0, true, &reinvite(2, "z9hG4bK-r2"));
    run.at(100, true, &reinvite(3, "z9hG4bK-r3"));
    let with = answer(
        "500 Server Internal Error",
        3,
        "z9hG4bK-r3",
        "Retry-After: 5\r\n",
    );
    assert!(run.at(110, false, &with).0.is_empty());
    let too_long = answer(
        "500 Server Internal Error",
        3,
        "z9hG4bK-r3",
        "Retry-After: 30\r\n",
    );
    let mut run = Run::new();
    run.at(0, true, &reinvite(2, "z9hG4bK-r2"));
    run.at(100, true, &reinvite(3, "z9hG4bK-r3"));
    assert_eq!(
        run.at(110, false, &too_long).0,
        ["500-reinvite-retry-after"]
    );
    // Once the first had its final response, a 500 needs none.
    let mut run = Run::new();
    run.at(0, true, &reinvite(2, "z9hG4bK-r2"));
    run.at(50, false, &answer("486 Busy Here", 2, "z9hG4bK-r2", ""));
    run.at(100, true, &reinvite(3, "z9hG4bK-r3"));
    assert!(run
        .at(110, false, &answer("500 Oops", 3, "z9hG4bK-r3", ""))
        .0
        .is_empty());
}

// ------------------------------------------------------- proxy hops

/// A response of the call through proxy 192.0.2.9: `vias` the Via
/// rows, `extra` more rows, `body` the body.
fn hop_resp(start: &str, vias: &str, tag: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "{start}\r\n{vias}From: <sip:a@example.com>;tag=f1\r\nTo: <sip:b@example.com>{tag}\r\nCall-ID: hop-1\r\nCSeq: 1 INVITE\r\n{extra}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

const UP: &str = "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-u1\r\n";
const UAS_A: &str = "192.0.2.5:5060";
const UAS_B: &str = "192.0.2.6:5060";
const UAS_C: &str = "192.0.2.7:5060";
const PROXY: &str = "192.0.2.9:5060";

/// The proxy's Via for branch `pb`, then the UAC's.
fn down(pb: &str) -> String {
    format!("Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-{pb}\r\n{UP}")
}

/// A request of the proxied call (`hop_resp`'s Call-ID and CSeq number).
fn hop_req(line: &str, vias: &str, method: &str) -> Vec<u8> {
    format!(
        "{line}\r\n{vias}Max-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=f1\r\nTo: <sip:b@example.com>\r\nCall-ID: hop-1\r\nCSeq: 1 {method}\r\nContent-Length: 0\r\n\r\n"
    )
    .into_bytes()
}

/// A response of a [`Scene`], To tag `tag`; a 2xx carries a session
/// description (as `2xx-invite-sdp` asks).
fn scene_resp(status: &str, vias: &str, tag: &str, extra: &str) -> Vec<u8> {
    let (sdp, body) = if status.starts_with('2') {
        ("Content-Type: application/sdp\r\n", "v=0\r\n")
    } else {
        ("", "")
    };
    hop_resp(
        &format!("SIP/2.0 {status}"),
        vias,
        &format!(";tag={tag}"),
        &format!("{extra}{sdp}"),
        body,
    )
}

/// Findings with their severity.
type Found = Vec<(&'static str, Severity)>;

/// A call through the proxy (UAC → PROXY → UASs), step by step: each
/// step feeds one message and returns its findings.
struct Scene {
    t: TxnTracker,
    /// The CSeq method of every message (INVITE unless told).
    method: &'static str,
    transport: Transport,
}

impl Scene {
    /// Nothing seen yet.
    fn bare() -> Self {
        Scene {
            t: TxnTracker::new(TxnConfig::default()),
            method: "INVITE",
            transport: Transport::Udp,
        }
    }

    /// The UAC's INVITE for `uri` reached the proxy at 0 ms.
    fn new(uri: &str) -> Self {
        let mut s = Scene::bare();
        let invite = hop_req(&format!("INVITE {uri} SIP/2.0"), UP, "INVITE");
        assert!(s.step(0, UAC, PROXY, invite).is_empty());
        s
    }

    fn step(&mut self, ms: u64, src: &str, dst: &str, bytes: Vec<u8>) -> Found {
        let text = String::from_utf8(bytes).unwrap();
        let text = text.replace("CSeq: 1 INVITE", &format!("CSeq: 1 {}", self.method));
        let m = parse_message(text.as_bytes()).unwrap();
        let seen = Sighting {
            at: Duration::from_millis(ms),
            src: src.parse().unwrap(),
            dst: dst.parse().unwrap(),
            transport: self.transport,
        };
        let mut out: Vec<Finding> = Vec::new();
        self.t.observe(&m, seen, &Policy::new(), &mut out);
        out.iter().map(|f| (f.rule(), f.severity())).collect()
    }

    /// The proxy sends the INVITE for `uri` to `to` on branch `pb`.
    fn fork(&mut self, ms: u64, pb: &str, to: &str, uri: &str) -> &mut Self {
        let r = hop_req(&format!("INVITE {uri} SIP/2.0"), &down(pb), "INVITE");
        assert_eq!(self.step(ms, PROXY, to, r), []);
        self
    }

    /// The proxy cancels branch `pb` (a CANCEL has the branch's Via only).
    fn cancel(&mut self, ms: u64, pb: &str, to: &str) -> &mut Self {
        let via = format!("Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-{pb}\r\n");
        let r = hop_req("CANCEL sip:b@example.com SIP/2.0", &via, "CANCEL");
        assert_eq!(self.step(ms, PROXY, to, r), []);
        self
    }

    /// `from` answers branch `pb` with `status`, To tag `tag`.
    fn reply(&mut self, ms: u64, pb: &str, from: &str, status: &str, tag: &str) -> &mut Self {
        self.reply_with(ms, pb, from, status, tag, "")
    }

    /// The same with `extra` header rows.
    fn reply_with(
        &mut self,
        ms: u64,
        pb: &str,
        from: &str,
        status: &str,
        tag: &str,
        extra: &str,
    ) -> &mut Self {
        let r = scene_resp(status, &down(pb), tag, extra);
        assert_eq!(self.step(ms, from, PROXY, r), []);
        self
    }

    /// The proxy sends `status` upstream: its findings.
    fn upstream(&mut self, ms: u64, status: &str, tag: &str, extra: &str) -> Found {
        let r = scene_resp(status, UP, tag, extra);
        self.step(ms, PROXY, UAC, r)
    }
}

/// The rule ids of `found`.
fn ids(found: Found) -> Vec<&'static str> {
    found.into_iter().map(|(r, _)| r).collect()
}

/// The response received from UAS A on branch p1 and its forwarded copy.
fn through_proxy(inbound: Vec<u8>, outbound: Vec<u8>) -> Vec<&'static str> {
    let mut s = Scene::bare();
    assert_eq!(s.step(0, UAS_A, PROXY, inbound), []);
    ids(s.step(5, PROXY, UAC, outbound))
}

/// One leg of a hop: status, To tag parameter (or ""), extra header rows,
/// body.
type Leg<'a> = (&'a str, &'a str, &'a str, &'a str);

/// `received` on branch p1, then `sent` upstream: the findings on the copy.
fn relayed(received: Leg<'_>, sent: Leg<'_>) -> Vec<&'static str> {
    let leg = |vias: &str, (status, tag, extra, body): Leg<'_>| {
        hop_resp(&format!("SIP/2.0 {status}"), vias, tag, extra, body)
    };
    through_proxy(leg(&down("p1"), received), leg(UP, sent))
}

#[test]
fn forwarded_unchanged_is_fine() {
    let c = "Contact: <sip:b@192.0.2.5>\r\nServer: uas\r\n";
    // A header added is not a change.
    let added = format!("{c}X-Proxy: 1\r\n");
    for code in ["180 Ringing", "200 OK", "486 Busy Here"] {
        let got = relayed(
            (code, ";tag=a", c, "v=0\r\n"),
            (code, ";tag=a", &added, "v=0\r\n"),
        );
        assert!(got.is_empty(), "{code}: {got:?}");
    }
}

#[test]
fn proxy_changes_or_adds_the_to_tag() {
    let c = "Contact: <sip:b@192.0.2.5>\r\n";
    let changed = relayed(
        ("180 Ringing", ";tag=a", c, ""),
        ("180 Ringing", ";tag=p", c, ""),
    );
    assert_eq!(changed, ["proxy-to-tag-immutable"]);
    let added = relayed(("200 OK", "", c, ""), ("200 OK", ";tag=p", c, ""));
    assert_eq!(added, ["proxy-to-tag-immutable"]);
    // For a 4xx the row is silent (SHOULD keep, not checked).
    let busy = "486 Busy Here";
    let final_4xx = relayed((busy, ";tag=a", c, ""), (busy, ";tag=p", c, ""));
    assert!(final_4xx.is_empty(), "{final_4xx:?}");
}

#[test]
fn proxy_changes_the_body_or_removes_a_header_value() {
    let c = "Contact: <sip:b@192.0.2.5>\r\nServer: uas\r\n";
    let ok = "200 OK";
    let body = relayed((ok, ";tag=a", c, "v=0\r\n"), (ok, ";tag=a", c, "v=1\r\n"));
    assert_eq!(body, ["proxy-no-body-change"]);
    let fewer = "Contact: <sip:b@192.0.2.5>\r\n";
    let removed = relayed((ok, ";tag=a", c, ""), (ok, ";tag=a", fewer, ""));
    assert_eq!(removed, ["proxy-no-body-change"]);
    // Record-Route may be rewritten by the proxy (§16.7 step 8).
    let rr = |scheme: &str| format!("Record-Route: <{scheme}:192.0.2.9;lr>\r\n{c}");
    let rewritten = relayed(
        (ok, ";tag=a", &rr("sip"), ""),
        (ok, ";tag=a", &rr("sips"), ""),
    );
    assert!(rewritten.is_empty(), "{rewritten:?}");
    // ... but not removed (step 9): Record-Route values are counted, so
    // rows joined into one list (§7.3.1) are no removal and a value
    // dropped is.
    let two_rows = format!("Record-Route: <sip:p2.example.com;lr>\r\n{}", rr("sip"));
    let one_list = format!("Record-Route: <sip:p2.example.com;lr>, <sip:192.0.2.9;lr>\r\n{c}");
    let joined = relayed((ok, ";tag=a", &two_rows, ""), (ok, ";tag=a", &one_list, ""));
    assert!(joined.is_empty(), "{joined:?}");
    let dropped = relayed(
        (ok, ";tag=a", &one_list, ""),
        (ok, ";tag=a", &rr("sip"), ""),
    );
    assert_eq!(dropped, ["proxy-no-body-change"]);
    let own_dropped = relayed((ok, ";tag=a", &rr("sip"), ""), (ok, ";tag=a", c, ""));
    assert_eq!(own_dropped, ["proxy-no-body-change"]);
}

#[test]
fn proxy_rewrites_a_header_value_but_removes_none() {
    // §16.7 step 9 forbids removing header values, not rewriting them: a
    // NAT fix-up of Contact keeps the count of Contact rows (Brekeke's
    // forwarded 180 and 200 in a public capture were reported).
    let ok = "200 OK";
    let c = |host: &str| format!("Contact: <sip:b@{host}>\r\nServer: uas\r\n");
    let rewritten = relayed(
        (ok, ";tag=a", &c("10.0.0.5:5060"), ""),
        (ok, ";tag=a", &c("192.0.2.9"), ""),
    );
    assert!(rewritten.is_empty(), "{rewritten:?}");
    // One of two rows of a header removed: fewer rows, so removed.
    let two = "Warning: 399 uas \"a\"\r\nWarning: 399 uas \"b\"\r\n";
    let one = "Warning: 399 uas \"a\"\r\n";
    assert_eq!(
        relayed((ok, ";tag=a", two, ""), (ok, ";tag=a", one, "")),
        ["proxy-no-body-change"]
    );
    // A header removed and another added: still a removal.
    let swapped = relayed(
        (ok, ";tag=a", "X-Uas: 1\r\n", ""),
        (ok, ";tag=a", "X-Proxy: 1\r\n", ""),
    );
    assert_eq!(swapped, ["proxy-no-body-change"]);
}

#[test]
fn a_forwarded_100_and_a_forwarded_503() {
    let server = "Server: uas\r\n";
    let trying = "100 Trying";
    let forwarded = relayed((trying, "", server, ""), (trying, "", server, ""));
    assert_eq!(forwarded, ["100-not-forwarded"]);
    // A 100 with nothing of its sender's own may be the proxy's own.
    let own = relayed((trying, "", "", ""), (trying, "", "", ""));
    assert!(own.is_empty(), "{own:?}");
    let unavailable = ("503 Service Unavailable", ";tag=a", "", "");
    assert_eq!(relayed(unavailable, unavailable), ["proxy-503-forward"]);
    let as_500 = relayed(unavailable, ("500 Server Internal Error", ";tag=a", "", ""));
    assert!(as_500.is_empty(), "{as_500:?}");
}

#[test]
fn a_proxy_on_two_addresses_is_named() {
    let c = "Contact: <sip:b@192.0.2.5>\r\n";
    let other = "198.51.100.9:5060";
    let sent_from_other = |t: TxnTracker| {
        let mut s = Scene { t, ..Scene::bare() };
        s.reply_with(0, "p1", UAS_A, "180 Ringing", "a", c);
        ids(s.step(5, other, UAC, scene_resp("180 Ringing", UP, "p", c)))
    };
    assert_eq!(
        sent_from_other(TxnTracker::new(TxnConfig::default())),
        Vec::<&str>::new()
    );
    let named = TxnTracker::new(TxnConfig::default())
        .with_proxy("192.0.2.9".parse().unwrap())
        .with_proxy("198.51.100.9".parse().unwrap());
    assert_eq!(sent_from_other(named), ["proxy-to-tag-immutable"]);
    // A response sent before the one received is no copy of it.
    let mut s = Scene::bare();
    assert_eq!(s.upstream(5, "180 Ringing", "p", c), []);
    s.reply_with(9, "p1", UAS_A, "180 Ringing", "a", c);
}

#[test]
fn proxy_rules_that_name_what_changed() {
    let geo = "Geolocation: <cid:target@example.com>\r\nGeolocation-Error: 100\r\n";
    let bad_location = |extra| ("424 Bad Location Information", ";tag=a", extra, "");
    let changed_424 = relayed(
        bad_location(geo),
        bad_location("Geolocation-Error: 100\r\n"),
    );
    assert_eq!(changed_424, ["proxy-424-unchanged"]);
    let kept_424 = relayed(bad_location(geo), bad_location(geo));
    assert!(kept_424.is_empty(), "{kept_424:?}");

    let register = |vias: &str, extra: &str| {
        String::from_utf8(hop_resp("SIP/2.0 200 OK", vias, ";tag=a", extra, ""))
            .unwrap()
            .replace("CSeq: 1 INVITE", "CSeq: 1 REGISTER")
            .into_bytes()
    };
    let sr = "Service-Route: <sip:orig@scscf.example.com;lr>\r\n";
    let reordered = "Path: <sip:p2@example.com;lr>\r\nPath: <sip:p1@example.com;lr>\r\n";
    let order = "Path: <sip:p1@example.com;lr>\r\nPath: <sip:p2@example.com;lr>\r\n";
    let p1 = down("p1");
    assert_eq!(
        through_proxy(
            register(&p1, &format!("{order}{sr}")),
            register(UP, &format!("{reordered}{sr}"))
        ),
        ["proxy-path-service-route-unaltered"]
    );
    assert_eq!(
        through_proxy(register(&p1, sr), register(UP, "")),
        ["proxy-path-service-route-unaltered"]
    );
    assert!(through_proxy(register(&p1, sr), register(UP, sr)).is_empty());

    let c = "Contact: <sip:b@192.0.2.5>\r\n";
    let with = format!("{c}Allow-Events: presence\r\n");
    let ok = |extra| ("200 OK", ";tag=a", extra, "");
    assert_eq!(relayed(ok(c), ok(&with)), ["proxy-allow-events-insert"]);
    assert!(relayed(ok(&with), ok(&with)).is_empty());
}

#[test]
fn what_a_proxy_forwards_after_its_final_response() {
    // A 486 from one branch forwarded, then a 2xx from another: the 2xx
    // goes upstream too (§16.7 step 5), not a second final; a provisional
    // of a third branch after it is not forwarded.
    let mut s = Scene::bare();
    s.reply(0, "a", UAS_A, "486 Busy Here", "a");
    assert_eq!(s.upstream(1, "486 Busy Here", "a", ""), []);
    s.reply(2, "b", UAS_B, "200 OK", "b");
    assert_eq!(s.upstream(3, "200 OK", "b", ""), []);
    s.reply(4, "c", UAS_C, "180 Ringing", "c");
    assert_eq!(
        ids(s.upstream(5, "180 Ringing", "c", "")),
        ["proxy-forward-timing"]
    );
    // A UAS sending a 2xx after its 486 is a second final, though.
    let mut run = Run::new();
    run.at(0, true, &invite());
    run.at(1, false, &resp("486 Busy Here", "INVITE", ";tag=a", ""));
    assert_eq!(
        run.at(2, false, &resp("200 OK", "INVITE", ";tag=a", "")).0,
        ["final-response-multiple"]
    );
    // To a non-INVITE, nothing follows the final: while its server
    // transaction is Completed (Timer J, 64·T1 over UDP) that is a
    // forwarding decision; once it has terminated (at once over TCP) the
    // response is late (RFC 4320 §4.2).
    for (transport, rule) in [
        (Transport::Udp, "proxy-forward-timing"),
        (Transport::Tcp, "proxy-late-non-invite"),
    ] {
        let mut s = Scene {
            method: "MESSAGE",
            transport,
            ..Scene::bare()
        };
        s.reply(0, "a", UAS_A, "404 Not Found", "a");
        assert_eq!(s.upstream(1, "404 Not Found", "a", ""), []);
        s.reply(2, "b", UAS_B, "200 OK", "b");
        assert_eq!(ids(s.upstream(3, "200 OK", "b", "")), [rule]);
    }
}

#[test]
fn the_proxys_best_response_over_the_branches_seen() {
    // (received on branch A, on branch B, sent upstream): the findings
    // (with their severity) on what was sent.
    let case = |a: &str, b: &str, sent: &str| {
        let mut s = Scene::bare();
        s.reply(0, "a", UAS_A, a, "a").reply(1, "b", UAS_B, b, "b");
        s.upstream(2, sent, "a", "")
    };
    let best = "proxy-best-response";
    assert_eq!(
        case("486 Busy Here", "603 Decline", "486 Busy Here"),
        [(best, Severity::Error)]
    );
    assert!(case("486 Busy Here", "603 Decline", "603 Decline").is_empty());
    assert_eq!(
        case("486 Busy Here", "503 Unavailable", "500 Oops"),
        [(best, Severity::Warning)]
    );
    assert_eq!(
        case("486 Busy Here", "401 Unauthorized", "486 Busy Here"),
        [(best, Severity::Warning)]
    );
    assert!(case("486 Busy Here", "480 Unavailable", "480 Unavailable").is_empty());
    // A 3xx may have been recursed on.
    assert!(case("302 Moved", "486 Busy Here", "486 Busy Here").is_empty());
}

#[test]
fn a_proxys_401_carries_every_challenge_received() {
    let wa = "WWW-Authenticate: Digest realm=\"a.example\", nonce=\"1\", qop=\"auth\"\r\n";
    let wb = "WWW-Authenticate: Digest realm=\"b.example\", nonce=\"2\", qop=\"auth\"\r\n";
    let unauthorized = "401 Unauthorized";
    let sent = |extra: &str| {
        let mut s = Scene::bare();
        s.reply_with(0, "a", UAS_A, unauthorized, "a", wa)
            .reply_with(1, "b", UAS_B, unauthorized, "b", wb);
        ids(s.upstream(2, unauthorized, "a", extra))
    };
    assert!(sent(&format!("{wa}{wb}")).is_empty());
    assert_eq!(sent(wa), ["proxy-auth-aggregation"]);
}

/// RFC 3261 §16.11: a stateless proxy forwards each response as it
/// comes. Named stateless, it is not held to the stateful choices of §16.7
/// (absorb the 100, send a 503 as 500, pick the best final, join the
/// challenges, end the forking on a 6xx), but to the content checks.
#[test]
fn a_stateless_proxy_is_held_to_the_content_checks_only() {
    let proxy_ip = PROXY.parse::<SocketAddr>().unwrap().ip();
    let stateless = |mut s: Scene| {
        s.t = s.t.with_stateless_proxy(proxy_ip);
        s
    };
    let server = "Server: uas\r\n";
    let hop = |mut s: Scene, received: Leg<'_>, sent: Leg<'_>| {
        let leg = |vias: &str, (status, tag, extra, body): Leg<'_>| {
            hop_resp(&format!("SIP/2.0 {status}"), vias, tag, extra, body)
        };
        assert_eq!(s.step(0, UAS_A, PROXY, leg(&down("p1"), received)), []);
        ids(s.step(5, PROXY, UAC, leg(UP, sent)))
    };
    let trying = ("100 Trying", "", server, "");
    assert_eq!(hop(Scene::bare(), trying, trying), ["100-not-forwarded"]);
    assert!(hop(stateless(Scene::bare()), trying, trying).is_empty());
    let unavailable = ("503 Service Unavailable", ";tag=a", "", "");
    assert_eq!(
        hop(Scene::bare(), unavailable, unavailable),
        ["proxy-503-forward"]
    );
    assert!(hop(stateless(Scene::bare()), unavailable, unavailable).is_empty());
    // The content stays the stateless proxy's to keep.
    let ok = |body| ("200 OK", ";tag=a", server, body);
    assert_eq!(
        hop(stateless(Scene::bare()), ok("v=0\r\n"), ok("v=1\r\n")),
        ["proxy-no-body-change"]
    );
    // §16.7 step 6 (To tag kept, best final, challenges joined) and step
    // 5 (nothing but a 2xx to INVITE after a final) are lifted too.
    let c = "Contact: <sip:b@192.0.2.5>\r\n";
    let ringing = |tag| ("180 Ringing", tag, c, "");
    assert_eq!(
        hop(Scene::bare(), ringing(";tag=a"), ringing(";tag=p")),
        ["proxy-to-tag-immutable"]
    );
    assert!(hop(
        stateless(Scene::bare()),
        ringing(";tag=a"),
        ringing(";tag=p")
    )
    .is_empty());
    let best = |mut s: Scene| {
        s.reply(0, "a", UAS_A, "486 Busy Here", "a")
            .reply(1, "b", UAS_B, "603 Decline", "b");
        ids(s.upstream(2, "486 Busy Here", "a", ""))
    };
    assert_eq!(best(Scene::bare()), ["proxy-best-response"]);
    assert!(best(stateless(Scene::bare())).is_empty());
    let wa = "WWW-Authenticate: Digest realm=\"a.example\", nonce=\"1\", qop=\"auth\"\r\n";
    let wb = "WWW-Authenticate: Digest realm=\"b.example\", nonce=\"2\", qop=\"auth\"\r\n";
    let joined = |mut s: Scene| {
        s.reply_with(0, "a", UAS_A, "401 Unauthorized", "a", wa)
            .reply_with(1, "b", UAS_B, "401 Unauthorized", "b", wb);
        ids(s.upstream(2, "401 Unauthorized", "a", wa))
    };
    assert_eq!(joined(Scene::bare()), ["proxy-auth-aggregation"]);
    assert!(joined(stateless(Scene::bare())).is_empty());
    let after_final = |mut s: Scene| {
        s.reply(0, "a", UAS_A, "404 Not Found", "a");
        assert_eq!(s.upstream(1, "404 Not Found", "a", ""), []);
        // The UAS's second final is its own defect, on its own leg.
        let second = scene_resp("486 Busy Here", &down("a"), "a", "");
        assert_eq!(
            ids(s.step(2, UAS_A, PROXY, second)),
            ["final-response-multiple"]
        );
        ids(s.upstream(3, "486 Busy Here", "a", ""))
    };
    assert_eq!(after_final(Scene::bare()), ["proxy-forward-timing"]);
    assert!(after_final(stateless(Scene::bare())).is_empty());
    // No response context: a branch after a 6xx is not judged.
    let forked = |mut s: Scene| {
        s.fork(1, "a", UAS_A, TARGET_A)
            .reply(1000, "a", UAS_A, "603 Decline", "a")
            .fork(1600, "c", UAS_C, "sip:b@192.0.2.7")
            .reply(1700, "c", UAS_C, "486 Busy Here", "c");
        ids(s.upstream(1800, "603 Decline", "a", ""))
    };
    let new = || Scene::new("sip:b@example.com");
    assert_eq!(forked(new()), ["proxy-6xx-handling"]);
    assert!(forked(stateless(new())).is_empty());
}

// ------------------------------------------------ branches across a proxy

const TARGET_A: &str = "sip:b@192.0.2.5";
const TARGET_B: &str = "sip:b@192.0.2.6";

/// A call forked to A and B, B ringing, A declining with a 603 at 1 s.
fn declined_while_b_rings() -> Scene {
    let mut s = Scene::new("sip:b@example.com");
    s.fork(1, "a", UAS_A, TARGET_A)
        .fork(2, "b", UAS_B, TARGET_B)
        .reply(100, "b", UAS_B, "180 Ringing", "b")
        .reply(1000, "a", UAS_A, "603 Decline", "a");
    s
}

#[test]
fn a_6xx_ends_the_forking() {
    let six = "proxy-6xx-handling";
    // Done right: B cancelled, its 487 in, then the 603 sent.
    let mut s = declined_while_b_rings();
    s.cancel(1010, "b", UAS_B)
        .reply(1050, "b", UAS_B, "487 Request Terminated", "b");
    assert_eq!(s.upstream(1060, "603 Decline", "a", ""), []);
    // A retransmission of a branch after the 6xx is no new branch.
    let mut s = declined_while_b_rings();
    s.fork(1600, "b", UAS_B, TARGET_B)
        .cancel(1610, "b", UAS_B)
        .reply(1650, "b", UAS_B, "487 Request Terminated", "b");
    assert_eq!(s.upstream(1660, "603 Decline", "a", ""), []);
    // A new branch after the 6xx (MUST NOT).
    let mut s = declined_while_b_rings();
    s.cancel(1010, "b", UAS_B)
        .reply(1050, "b", UAS_B, "487 Request Terminated", "b")
        .fork(1600, "c", UAS_C, "sip:b@192.0.2.7")
        .reply(1700, "c", UAS_C, "486 Busy Here", "c");
    assert_eq!(
        s.upstream(1800, "603 Decline", "a", ""),
        [(six, Severity::Error)]
    );
    // B left ringing, no CANCEL, until it gave up (SHOULD cancel).
    let mut s = declined_while_b_rings();
    s.reply(5000, "b", UAS_B, "480 Temporarily Unavailable", "b");
    assert_eq!(
        s.upstream(5010, "603 Decline", "a", ""),
        [(six, Severity::Warning)]
    );
    // B answered before the proxy could have cancelled it: no finding.
    let mut s = declined_while_b_rings();
    s.reply(1100, "b", UAS_B, "486 Busy Here", "b");
    assert_eq!(s.upstream(1110, "603 Decline", "a", ""), []);
    // B never sent a provisional, so it could not be cancelled (§9.1).
    let mut s = Scene::new("sip:b@example.com");
    s.fork(1, "a", UAS_A, TARGET_A)
        .fork(2, "b", UAS_B, TARGET_B)
        .reply(1000, "a", UAS_A, "603 Decline", "a")
        .reply(5000, "b", UAS_B, "486 Busy Here", "b");
    assert_eq!(s.upstream(5010, "603 Decline", "a", ""), []);
    // The 603 sent while B (cancelled) had not answered yet.
    let mut s = declined_while_b_rings();
    s.cancel(1010, "b", UAS_B);
    assert_eq!(
        s.upstream(1020, "603 Decline", "a", ""),
        [(six, Severity::Warning)]
    );
}

#[test]
fn a_judged_context_is_forgotten_and_stays_closed() {
    let mut s = declined_while_b_rings();
    s.cancel(1010, "b", UAS_B)
        .reply(1050, "b", UAS_B, "487 Request Terminated", "b");
    assert_eq!(s.upstream(1060, "603 Decline", "a", ""), []);
    assert!(s.t.contexts.open.is_empty());
    // Later requests with its Via open no context; the final's
    // retransmission is not judged again.
    s.fork(1700, "b", UAS_B, TARGET_B)
        .fork(1800, "c", UAS_C, "sip:b@192.0.2.7");
    assert!(s.t.contexts.open.is_empty());
    assert_eq!(s.upstream(1900, "603 Decline", "a", ""), []);
}

#[test]
fn a_final_held_while_a_branch_is_pending() {
    let timing = vec![("proxy-forward-timing", Severity::Error)];
    let busy_while_b_rings = || {
        let mut s = Scene::new("sip:b@example.com");
        s.fork(1, "a", UAS_A, TARGET_A)
            .fork(2, "b", UAS_B, TARGET_B)
            .reply(100, "b", UAS_B, "180 Ringing", "b")
            .reply(1000, "a", UAS_A, "486 Busy Here", "a");
        s
    };
    // The 486 forwarded while B rings.
    assert_eq!(
        busy_while_b_rings().upstream(1005, "486 Busy Here", "a", ""),
        timing
    );
    // Once B has answered too, the best of both goes: fine.
    let mut s = busy_while_b_rings();
    s.reply(1002, "b", UAS_B, "480 Temporarily Unavailable", "b");
    assert_eq!(s.upstream(1005, "486 Busy Here", "a", ""), []);
    // A 2xx goes at once, though A is pending.
    let mut s = Scene::new("sip:b@example.com");
    s.fork(1, "a", UAS_A, TARGET_A)
        .fork(2, "b", UAS_B, TARGET_B)
        .reply(500, "b", UAS_B, "200 OK", "b");
    assert_eq!(s.upstream(505, "200 OK", "b", ""), []);
    // The UAC cancelled: the 487 may go.
    let mut s = busy_while_b_rings();
    let cancel = hop_req("CANCEL sip:b@example.com SIP/2.0", UP, "CANCEL");
    assert_eq!(s.step(1001, UAC, PROXY, cancel), []);
    assert_eq!(s.upstream(1005, "486 Busy Here", "a", ""), []);
    // B silent for 64·T1 has timed out: no longer pending.
    let mut s = Scene::new("sip:b@example.com");
    s.fork(1, "a", UAS_A, TARGET_A)
        .fork(2, "b", UAS_B, TARGET_B)
        .reply(40_000, "a", UAS_A, "486 Busy Here", "a");
    assert_eq!(s.upstream(40_005, "486 Busy Here", "a", ""), []);
}

#[test]
fn a_redirect_the_proxy_recursed_on() {
    let contacts = "Contact: <sip:c@192.0.2.7>\r\nContact: <sip:d@192.0.2.8>\r\n";
    let recursed_on_c = || {
        let mut s = Scene::new("sip:b@example.com");
        s.fork(1, "a", UAS_A, TARGET_A)
            .reply_with(100, "a", UAS_A, "302 Moved Temporarily", "a", contacts)
            .fork(200, "c", UAS_C, "sip:c@192.0.2.7")
            .reply(300, "c", UAS_C, "486 Busy Here", "c");
        s
    };
    // The 302 sent still lists c (MUST remove).
    assert_eq!(
        recursed_on_c().upstream(400, "302 Moved Temporarily", "a", contacts),
        [("proxy-3xx-recursion", Severity::Error)]
    );
    // Without c: fine (and removing a 3xx's contacts is no change).
    let d = "Contact: <sip:d@192.0.2.8>\r\n";
    assert_eq!(
        recursed_on_c().upstream(400, "302 Moved Temporarily", "a", d),
        []
    );
    // Recursed on both, then the contactless 302 sent (SHOULD NOT).
    let mut s = recursed_on_c();
    s.fork(210, "d", "192.0.2.8:5060", "sip:d@192.0.2.8").reply(
        310,
        "d",
        "192.0.2.8:5060",
        "486 Busy Here",
        "d",
    );
    assert_eq!(
        s.upstream(400, "302 Moved Temporarily", "a", ""),
        [("proxy-3xx-recursion", Severity::Warning)]
    );
    // No recursion: the 302 goes as received.
    let mut s = Scene::new("sip:b@example.com");
    s.fork(1, "a", UAS_A, TARGET_A).reply_with(
        100,
        "a",
        UAS_A,
        "302 Moved Temporarily",
        "a",
        contacts,
    );
    assert_eq!(s.upstream(200, "302 Moved Temporarily", "a", contacts), []);
}

#[test]
fn a_416_to_a_uri_the_proxy_made_non_sip() {
    let recurse = "416-proxy-recurse";
    let tel_416 = |received_uri: &str| {
        let mut s = Scene::new(received_uri);
        s.fork(1, "a", UAS_A, "tel:+15551234").reply(
            100,
            "a",
            UAS_A,
            "416 Unsupported URI Scheme",
            "a",
        );
        s
    };
    // No retry with a SIP URI.
    assert_eq!(
        tel_416("sip:+15551234@example.com;user=phone").upstream(
            200,
            "416 Unsupported URI Scheme",
            "a",
            ""
        ),
        [(recurse, Severity::Info)]
    );
    // Retried: the retry's answer goes, not the 416.
    let retried = || {
        let mut s = tel_416("sip:+15551234@example.com;user=phone");
        s.fork(150, "b", UAS_B, "sip:+15551234@192.0.2.6;user=phone")
            .reply(250, "b", UAS_B, "486 Busy Here", "b");
        s
    };
    assert_eq!(retried().upstream(260, "486 Busy Here", "b", ""), []);
    assert_eq!(
        retried().upstream(260, "416 Unsupported URI Scheme", "a", ""),
        [(recurse, Severity::Info)]
    );
    // More branches than a context keeps: the retry may be among the
    // ones not kept, so no conclusion.
    let mut s = tel_416("sip:+15551234@example.com;user=phone");
    for k in 1..branch::MAX_BRANCHES as u64 {
        let pb = format!("x{k}");
        s.fork(150 + k, &pb, UAS_B, &format!("tel:+1555000{k}"))
            .reply(160 + k, &pb, UAS_B, "404 Not Found", "x");
    }
    s.fork(200, "sip", UAS_B, "sip:+15551234@192.0.2.6;user=phone")
        .reply(210, "sip", UAS_B, "404 Not Found", "y");
    assert_eq!(s.upstream(300, "416 Unsupported URI Scheme", "a", ""), []);
    // The request the proxy received not seen: whether it changed the
    // scheme is not known, and the summary says so.
    let mut s = Scene::bare();
    s.fork(1, "a", UAS_A, "tel:+15551234");
    let m = scene_resp("416 Unsupported URI Scheme", &down("a"), "a", "");
    let seen = Sighting {
        at: Duration::from_millis(100),
        src: UAS_A.parse().unwrap(),
        dst: PROXY.parse().unwrap(),
        transport: Transport::Udp,
    };
    let mut out: Vec<Finding> = Vec::new();
    let obs =
        s.t.observe(&parse_message(&m).unwrap(), seen, &Policy::new(), &mut out);
    let skipped: Vec<_> = obs.skipped().map(|r| r.id()).collect();
    assert_eq!(skipped, [recurse]);
    assert_eq!(s.upstream(200, "416 Unsupported URI Scheme", "a", ""), []);
    // The proxy received a tel URI itself: its scheme was not changed.
    assert_eq!(
        tel_416("tel:+15551234").upstream(200, "416 Unsupported URI Scheme", "a", ""),
        []
    );
}

#[test]
fn a_199_the_proxy_received_is_forwarded() {
    let c = "Contact: <sip:b@192.0.2.5>\r\n";
    let early_dialog_ended = || {
        let mut s = Scene::new("sip:b@example.com");
        s.fork(1, "a", UAS_A, TARGET_A)
            .fork(2, "b", UAS_B, TARGET_B)
            .reply_with(100, "a", UAS_A, "183 Session Progress", "a", c)
            .reply_with(200, "a", UAS_A, "199 Early Dialog Terminated", "a", c)
            .reply(210, "a", UAS_A, "486 Busy Here", "a");
        s
    };
    let mut s = early_dialog_ended();
    s.reply(2000, "b", UAS_B, "200 OK", "b");
    assert_eq!(
        s.upstream(2005, "200 OK", "b", ""),
        [("proxy-199-forward", Severity::Error)]
    );
    // Forwarded (or a 199 of the proxy's own for that dialog): fine.
    let mut s = early_dialog_ended();
    assert_eq!(s.upstream(201, "199 Early Dialog Terminated", "a", c), []);
    s.reply(2000, "b", UAS_B, "200 OK", "b");
    assert_eq!(s.upstream(2005, "200 OK", "b", ""), []);
    // A 199 just before the final may still be on its way.
    let mut s = early_dialog_ended();
    s.reply(300, "b", UAS_B, "200 OK", "b");
    assert_eq!(s.upstream(305, "200 OK", "b", ""), []);
}

#[test]
fn a_199_the_proxy_makes_itself() {
    let c = "Contact: <sip:b@192.0.2.5>\r\n";
    let reason = "Reason: SIP;cause=486\r\n";
    let early_dialog_ended = || {
        let mut s = Scene::new("sip:b@example.com");
        s.fork(1, "a", UAS_A, TARGET_A)
            .fork(2, "b", UAS_B, TARGET_B)
            .reply_with(100, "a", UAS_A, "183 Session Progress", "a", c)
            .reply(200, "a", UAS_A, "486 Busy Here", "a");
        s
    };
    let own = "199 Early Dialog Terminated";
    // A's early dialog ended with a 486 and no 199 came on it: the 199
    // sent for it is the proxy's, which should not carry A's Contact.
    assert_eq!(
        early_dialog_ended().upstream(201, own, "a", &format!("{reason}{c}")),
        [("199-proxy-no-contact-rr", Severity::Warning)]
    );
    assert_eq!(early_dialog_ended().upstream(201, own, "a", reason), []);
    // While A's dialog is still early, a 199 for it is not known to be
    // the proxy's (it may come from below).
    let mut s = Scene::new("sip:b@example.com");
    s.fork(1, "a", UAS_A, TARGET_A)
        .reply_with(100, "a", UAS_A, "183 Session Progress", "a", c);
    assert_eq!(s.upstream(150, own, "a", c), []);
}

#[test]
fn chained_proxies_spirals_and_b2buas_are_told_apart() {
    // U → P → Q → A: each proxy one branch; Q forwards A's 486 at once
    // while its branch to B rings, P forwards Q's (its only branch).
    const Q: &str = "192.0.2.10:5060";
    let mut s = Scene::new("sip:b@example.com");
    let via_q = |qb: &str| {
        format!(
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-{qb}\r\n{}",
            down("p")
        )
    };
    s.fork(1, "p", Q, "sip:b@example.com");
    let q_invite =
        |qb: &str, uri: &str| hop_req(&format!("INVITE {uri} SIP/2.0"), &via_q(qb), "INVITE");
    assert_eq!(s.step(2, Q, UAS_A, q_invite("qa", TARGET_A)), []);
    assert_eq!(s.step(3, Q, UAS_B, q_invite("qb", TARGET_B)), []);
    let r = |vias: &str, status: &str, tag: &str| {
        hop_resp(
            &format!("SIP/2.0 {status}"),
            vias,
            &format!(";tag={tag}"),
            "",
            "",
        )
    };
    assert_eq!(
        s.step(100, UAS_B, Q, r(&via_q("qb"), "180 Ringing", "b")),
        []
    );
    assert_eq!(
        s.step(1000, UAS_A, Q, r(&via_q("qa"), "486 Busy Here", "a")),
        []
    );
    assert_eq!(
        s.step(1001, Q, PROXY, r(&down("p"), "486 Busy Here", "a")),
        [("proxy-forward-timing", Severity::Error)]
    );
    assert_eq!(s.upstream(1002, "486 Busy Here", "a", ""), []);

    // A spiral: the request comes back to P through Q; every context has
    // one branch, answered before its final goes up.
    let mut s = Scene::new("sip:b@example.com");
    s.fork(1, "p1", Q, "sip:b@example.com");
    let back = format!(
        "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-q\r\n{}",
        down("p1")
    );
    let again = format!("Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-p2\r\n{back}");
    let spiral = [
        (
            2,
            Q,
            PROXY,
            hop_req("INVITE sip:b@example.com SIP/2.0", &back, "INVITE"),
        ),
        (
            3,
            PROXY,
            UAS_A,
            hop_req("INVITE sip:b@192.0.2.5 SIP/2.0", &again, "INVITE"),
        ),
        (100, UAS_A, PROXY, r(&again, "486 Busy Here", "a")),
        (101, PROXY, Q, r(&back, "486 Busy Here", "a")),
        (102, Q, PROXY, r(&down("p1"), "486 Busy Here", "a")),
    ];
    for (ms, src, dst, m) in spiral {
        assert_eq!(s.step(ms, src, dst, m), [], "{ms}");
    }
    assert_eq!(s.upstream(103, "486 Busy Here", "a", ""), []);

    // A B2BUA: a new request of its own (one Via) is no branch.
    let mut s = Scene::new("sip:b@example.com");
    let own = "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-b2b\r\n";
    assert_eq!(
        s.step(
            1,
            PROXY,
            UAS_A,
            hop_req("INVITE sip:b@192.0.2.5 SIP/2.0", own, "INVITE")
        ),
        []
    );
    assert_eq!(
        s.step(
            2,
            PROXY,
            UAS_B,
            hop_req(
                "INVITE sip:b@192.0.2.6 SIP/2.0",
                &own.replace("b2b", "b2c"),
                "INVITE"
            )
        ),
        []
    );
    assert_eq!(s.step(1000, UAS_A, PROXY, r(own, "603 Decline", "a")), []);
    assert_eq!(s.upstream(1500, "480 Temporarily Unavailable", "x", ""), []);
}

#[test]
fn records_stay_small() {
    // The sizes the module docs give, so that a growing record is noticed.
    let sizes = [
        size_of::<Txn>(),
        size_of::<Hop>(),
        size_of::<Dialog>(),
        size_of::<Context>(),
    ];
    assert!(
        sizes[0] <= 480 && sizes[1] <= 800 && sizes[2] <= 64 && sizes[3] <= 900,
        "{sizes:?}"
    );
}

#[test]
fn any_order_any_time_any_cap_is_safe() {
    // The messages of forked, cancelled, redirected and 199 calls, fed in
    // shuffled orders at random (also decreasing) capture times to
    // trackers with tiny caps: evicted contexts behind live branch
    // entries, branches before their context's request, responses before
    // requests. Nothing may panic, and the state stays within the caps.
    let c = "Contact: <sip:c@192.0.2.7>\r\n";
    let via_p = |pb: &str| format!("Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-{pb}\r\n");
    let mut msgs: Vec<(&str, &str, Vec<u8>)> = vec![
        (
            UAC,
            PROXY,
            hop_req("INVITE sip:b@example.com SIP/2.0", UP, "INVITE"),
        ),
        (
            UAC,
            PROXY,
            hop_req("CANCEL sip:b@example.com SIP/2.0", UP, "CANCEL"),
        ),
    ];
    for (pb, uas, uri) in [
        ("a", UAS_A, "tel:+15551234"),
        ("b", UAS_B, "sip:b@192.0.2.6"),
        ("c", UAS_C, "sip:c@192.0.2.7"),
    ] {
        msgs.push((
            PROXY,
            uas,
            hop_req(&format!("INVITE {uri} SIP/2.0"), &down(pb), "INVITE"),
        ));
        msgs.push((
            PROXY,
            uas,
            hop_req("CANCEL sip:b@example.com SIP/2.0", &via_p(pb), "CANCEL"),
        ));
        for status in [
            "100 Trying",
            "183 Session Progress",
            "199 Early Dialog Terminated",
            "302 Moved",
            "416 Unsupported URI Scheme",
            "603 Decline",
            "200 OK",
        ] {
            msgs.push((uas, PROXY, scene_resp(status, &down(pb), pb, c)));
            msgs.push((PROXY, UAC, scene_resp(status, UP, pb, c)));
        }
    }
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..200 {
        let cap = 1 + round % 4;
        let mut t = TxnTracker::new(TxnConfig {
            max_transactions: cap,
            ..TxnConfig::default()
        });
        let mut order: Vec<usize> = (0..msgs.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, (next() % (i as u64 + 1)) as usize);
        }
        let mut out: Vec<Finding> = Vec::new();
        for i in order {
            let (src, dst, bytes) = &msgs[i];
            let seen = Sighting {
                at: Duration::from_millis(next() % 120_000),
                src: src.parse().unwrap(),
                dst: dst.parse().unwrap(),
                transport: Transport::Udp,
            };
            t.observe(
                &parse_message(bytes).unwrap(),
                seen,
                &Policy::new(),
                &mut out,
            );
            assert!(t.contexts.open.len() <= cap && t.branch_of.open.len() <= cap);
        }
    }
}

#[test]
fn removed_keys_leave_no_expiry_entries_piling_up() {
    // Judged contexts are removed before they are due; at one capture
    // time nothing ever comes due, so their expiry entries must not stay.
    let mut table: Table<Dialog> = Table::new();
    let now = Duration::from_secs(1);
    table.entry(u128::MAX, now, 10);
    for key in 0..10_000u128 {
        table.entry(key, now, 10);
        table.remove(key);
    }
    assert_eq!(table.open.len(), 1);
    assert!(table.due.len() <= 2 + 64, "{}", table.due.len());
    // The open key keeps its entry: it still expires.
    table.tick(now + Duration::from_secs(300), &TxnConfig::default());
    assert!(table.open.is_empty() && table.due.is_empty());
}

#[test]
fn a_branch_ringing_past_200_s_is_still_known() {
    // B rings from 100 ms on (refreshed every 50 s: Timer C is reset by
    // provisionals, RFC 3261 §16.7 step 2); A, tried at 249 s, declines
    // at 250 s; the proxy cancels B at once and sends the 603 after B's
    // 487. B's CANCEL and 487 must still find its branch.
    let mut s = Scene::new("sip:b@example.com");
    s.fork(2, "b", UAS_B, TARGET_B)
        .reply(100, "b", UAS_B, "180 Ringing", "b");
    for ms in [50_000, 100_000, 150_000, 200_000] {
        s.reply(ms, "b", UAS_B, "183 Session Progress", "b");
        assert_eq!(s.upstream(ms + 1, "183 Session Progress", "b", ""), []);
    }
    s.fork(249_000, "a", UAS_A, TARGET_A)
        .reply(250_000, "a", UAS_A, "603 Decline", "a")
        .cancel(250_010, "b", UAS_B)
        .reply(250_050, "b", UAS_B, "487 Request Terminated", "b");
    assert_eq!(s.upstream(251_000, "603 Decline", "a", ""), []);
}

#[test]
fn a_branch_never_heard_from_is_not_pending() {
    // B never answered: the proxy may have given up on it (fr_timer), or
    // it answers on an interface the capture misses.
    let mut s = Scene::new("sip:b@example.com");
    s.fork(1, "a", UAS_A, TARGET_A)
        .fork(2, "b", UAS_B, TARGET_B)
        .reply(5000, "a", UAS_A, "486 Busy Here", "a");
    assert_eq!(s.upstream(5005, "486 Busy Here", "a", ""), []);
    // The same for a 6xx sent while B is silent.
    let mut s = Scene::new("sip:b@example.com");
    s.fork(1, "a", UAS_A, TARGET_A)
        .fork(2, "b", UAS_B, TARGET_B)
        .reply(1000, "a", UAS_A, "603 Decline", "a");
    assert_eq!(s.upstream(1010, "603 Decline", "a", ""), []);
    // Heard of by its latest provisional: B rang at 100 ms and again at
    // 40 s, so it is pending when A's 486 is forwarded at 50 s.
    let mut s = Scene::new("sip:b@example.com");
    s.fork(1, "a", UAS_A, TARGET_A)
        .fork(2, "b", UAS_B, TARGET_B)
        .reply(100, "b", UAS_B, "180 Ringing", "b")
        .reply(40_000, "b", UAS_B, "183 Session Progress", "b")
        .reply(49_000, "a", UAS_A, "486 Busy Here", "a");
    assert_eq!(
        s.upstream(50_000, "486 Busy Here", "a", ""),
        [("proxy-forward-timing", Severity::Error)]
    );
}

#[test]
fn a_416_retry_only_when_due_and_only_for_its_number() {
    let recurse = vec![("416-proxy-recurse", Severity::Info)];
    // The tel branch a got a 416; B (a SIP target of the fork) was tried
    // alongside.
    let tel_416 = || {
        let mut s = Scene::new("sip:+15551234@example.com;user=phone");
        s.fork(1, "a", UAS_A, "tel:+15551234")
            .fork(2, "b", UAS_B, TARGET_B)
            .reply(100, "a", UAS_A, "416 Unsupported URI Scheme", "a");
        s
    };
    // The UAC cancelled: no retry is due (§16.10).
    let mut s = tel_416();
    let cancel = hop_req("CANCEL sip:b@example.com SIP/2.0", UP, "CANCEL");
    assert_eq!(s.step(110, UAC, PROXY, cancel), []);
    s.cancel(111, "b", UAS_B)
        .reply(150, "b", UAS_B, "487 Request Terminated", "b");
    assert_eq!(s.upstream(160, "487 Request Terminated", "b", ""), []);
    // A 6xx: no new branches (§16.7 step 5).
    let mut s = tel_416();
    s.reply(150, "b", UAS_B, "603 Decline", "b");
    assert_eq!(s.upstream(160, "603 Decline", "b", ""), []);
    // B answered: nothing to retry for.
    let mut s = tel_416();
    s.reply(150, "b", UAS_B, "200 OK", "b");
    assert_eq!(s.upstream(160, "200 OK", "b", ""), []);
    // Still due otherwise.
    let mut s = tel_416();
    s.reply(150, "b", UAS_B, "486 Busy Here", "b");
    assert_eq!(s.upstream(160, "486 Busy Here", "b", ""), recurse);
    // A SIP branch to another target after the 416 (a serial fork) is no
    // retry of it: the 416 may go (and it may be one: no finding).
    let mut s = tel_416();
    s.reply(150, "b", UAS_B, "486 Busy Here", "b")
        .fork(200, "c", UAS_C, "sip:c@192.0.2.7")
        .reply(300, "c", UAS_C, "480 Temporarily Unavailable", "c");
    assert_eq!(s.upstream(310, "416 Unsupported URI Scheme", "a", ""), []);
    // The retry of the same number (visual separators aside), then the
    // 416 sent anyway.
    let mut s = tel_416();
    s.reply(150, "b", UAS_B, "486 Busy Here", "b")
        .fork(200, "c", UAS_C, "sip:+1-555-1234@192.0.2.7;user=phone")
        .reply(300, "c", UAS_C, "480 Temporarily Unavailable", "c");
    assert_eq!(
        s.upstream(310, "416 Unsupported URI Scheme", "a", ""),
        recurse
    );
}

#[test]
fn the_199_lists_wrapping_make_no_finding() {
    let contact = |tag: &str| format!("Contact: <sip:{tag}@192.0.2.5>\r\n");
    let tags = ["a", "b", "c", "d", "e"];
    let forked = || {
        let mut s = Scene::new("sip:b@example.com");
        for (k, tag) in tags.iter().enumerate() {
            s.fork(1 + k as u64, tag, UAS_A, &format!("sip:{tag}@192.0.2.5"));
        }
        s.fork(9, "z", UAS_B, TARGET_B);
        s
    };
    // Five early dialogs each end with a 199, all forwarded (in another
    // order than received), then B's 200: no 199 was dropped.
    let mut s = forked();
    for (k, tag) in tags.iter().enumerate() {
        s.reply_with(
            100 + k as u64,
            tag,
            UAS_A,
            "199 Early Dialog Terminated",
            tag,
            &contact(tag),
        )
        .reply(110 + k as u64, tag, UAS_A, "486 Busy Here", tag);
    }
    for (k, tag) in tags.iter().rev().enumerate() {
        let own = "199 Early Dialog Terminated";
        assert_eq!(s.upstream(200 + k as u64, own, tag, &contact(tag)), []);
    }
    s.reply(2000, "z", UAS_B, "200 OK", "z");
    assert_eq!(s.upstream(2005, "200 OK", "z", ""), []);
    // A's 199 received, then forgotten by the 199 list (four more came)
    // while A's early dialog is remembered: the 199 then sent for A is
    // the forwarded one, not the proxy's own, and may carry A's Contact.
    let mut s = forked();
    for (k, tag) in tags.iter().enumerate() {
        s.reply_with(
            100 + k as u64,
            tag,
            UAS_A,
            "199 Early Dialog Terminated",
            tag,
            &contact(tag),
        );
    }
    s.reply_with(150, "a", UAS_A, "183 Session Progress", "a", &contact("a"))
        .reply(160, "a", UAS_A, "486 Busy Here", "a");
    let own = "199 Early Dialog Terminated";
    assert_eq!(s.upstream(170, own, "a", &contact("a")), []);
}

#[test]
fn a_branch_first_seen_after_a_6xx_may_be_a_retransmission() {
    // The capture began after the proxy received the INVITE: a UDP branch
    // first seen after the 6xx may be a Timer A retransmission of one
    // sent before the capture, not a new branch.
    let late_start = |transport| {
        let mut s = Scene::bare();
        s.transport = transport;
        s.fork(1, "a", UAS_A, TARGET_A)
            .reply(1000, "a", UAS_A, "603 Decline", "a")
            .fork(1600, "c", UAS_C, "sip:b@192.0.2.7")
            .reply(1700, "c", UAS_C, "486 Busy Here", "c");
        s.upstream(1800, "603 Decline", "a", "")
    };
    assert_eq!(late_start(Transport::Udp), []);
    // Over TCP a request is not retransmitted: a new branch.
    assert_eq!(
        late_start(Transport::Tcp),
        [("proxy-6xx-handling", Severity::Error)]
    );
}

#[test]
fn a_contact_already_targeted_is_no_recursion() {
    // C was a target of the fork before A's 302 listed it; the proxy's
    // second try of C after the 302 is its own failover, not a recursion
    // on the 302, so the 302 may keep listing C.
    let contacts = "Contact: <sip:c@192.0.2.7>\r\nContact: <sip:d@192.0.2.8>\r\n";
    let mut s = Scene::new("sip:b@example.com");
    s.fork(1, "a", UAS_A, TARGET_A)
        .fork(2, "c", UAS_C, "sip:c@192.0.2.7")
        .reply(50, "c", UAS_C, "503 Service Unavailable", "c")
        .reply_with(100, "a", UAS_A, "302 Moved Temporarily", "a", contacts)
        .fork(200, "c2", UAS_C, "sip:c@192.0.2.7")
        .reply(300, "c2", UAS_C, "486 Busy Here", "c2");
    assert_eq!(s.upstream(400, "302 Moved Temporarily", "a", contacts), []);
}

#[test]
fn the_content_hash_reads_content_not_spelling_or_buffering() {
    let digest = |text: &str| {
        let msg = parse_message(text.as_bytes()).unwrap();
        let Message::Response(r) = msg else {
            panic!("a response")
        };
        Digest::of(&r).content
    };
    let long = "x".repeat(700);
    let base = |name: &str, subject: &str, date: &str| {
        format!(
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n{name}: {subject}\r\n\
             {date}Call-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"
        )
    };
    let a = digest(&base("Subject", "hi", ""));
    // Date is not content; header names are case-insensitive.
    assert_eq!(
        a,
        digest(&base(
            "Subject",
            "hi",
            "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n"
        ))
    );
    assert_eq!(a, digest(&base("SUBJECT", "hi", "")));
    assert_ne!(a, digest(&base("Subject", "ho", "")));
    // Where a row ends is content: `a: bc` is not `ab: c`.
    assert_ne!(
        digest(&base("X-A", "bc", "")),
        digest(&base("X-Ab", "c", ""))
    );
    // Values longer than the buffer, and rows that straddle it.
    let l = digest(&base("Subject", &long, ""));
    assert_eq!(l, digest(&base("subject", &long, "")));
    assert_ne!(l, digest(&base("Subject", &long[1..], "")));
    let straddle = |v: &str| digest(&base("Subject", v, &format!("X-Pad: {}\r\n", &long[..480])));
    assert_eq!(straddle("hi"), straddle("hi"));
    assert_ne!(straddle("hi"), straddle("ho"));
}

/// A request and its responses share one exchange key, from the tracker's
/// observation or read on its own; another Call-ID, CSeq number or branch
/// makes another key; an ACK and a message without a Call-ID have none.
#[test]
fn exchange_keys_pair_a_request_with_its_responses() {
    let key = |b: &[u8]| TxnTracker::exchange_of(&parse_message(b).unwrap());
    let req = invite();
    let ok = msg("SIP/2.0 200 OK", "INVITE", BR, "", "");
    // The UAS adds `received` to the Via it copies; the key holds.
    let received = with_received(msg("SIP/2.0 180 Ringing", "INVITE", BR, "", ""));
    assert!(key(&req).is_some());
    assert_eq!(key(&req), key(&ok));
    assert_eq!(key(&req), key(&received));
    let mut run = Run::new();
    assert_eq!(run.at(0, true, &req).1.exchange(), key(&req));
    assert_eq!(run.at(10, false, &ok).1.exchange(), key(&req));
    let other_branch = msg("SIP/2.0 200 OK", "INVITE", "z9hG4bK-2", "", "");
    let other_call = String::from_utf8(ok.clone())
        .unwrap()
        .replace("call-1", "call-2");
    let other_number = String::from_utf8(ok.clone())
        .unwrap()
        .replace("CSeq: 1 ", "CSeq: 2 ");
    for other in [other_branch, other_call.into(), other_number.into()] {
        assert_ne!(
            key(&other),
            key(&req),
            "{}",
            String::from_utf8_lossy(&other)
        );
    }
    let ack = msg("ACK sip:b@example.com SIP/2.0", "ACK", BR, "", "");
    assert_eq!(key(&ack), None);
    let no_call_id = String::from_utf8(ok)
        .unwrap()
        .replace("Call-ID: call-1\r\n", "");
    assert_eq!(key(no_call_id.as_bytes()), None);
}

/// RFC 3261 §17.1.3 matches a response to "the method of the request that
/// created the transaction": a request whose CSeq names another method
/// (ejabberd rewrites such a CSeq when it forwards) is keyed by its request
/// line, so the response with the request's method finds it and the one
/// with the request's CSeq method does not.
#[test]
fn a_request_is_keyed_by_its_own_method_not_its_cseq() {
    let key = |b: &[u8]| TxnTracker::exchange_of(&parse_message(b).unwrap());
    let options = msg("OPTIONS sip:b@example.com SIP/2.0", "INVITE", BR, "", "");
    let by_method = msg("SIP/2.0 200 OK", "OPTIONS", BR, "", "");
    let by_cseq = msg("SIP/2.0 200 OK", "INVITE", BR, "", "");
    assert_eq!(key(&options), key(&by_method));
    assert_ne!(key(&options), key(&by_cseq));
    let mut run = Run::new();
    run.at(0, true, &options);
    assert!(run.at(10, false, &by_method).1.request_seen());
    let mut run = Run::new();
    run.at(0, true, &options);
    assert!(!run.at(10, false, &by_cseq).1.request_seen());
}

/// The top Via as a UAS copies it into a response: `received` added.
fn with_received(b: Vec<u8>) -> Vec<u8> {
    String::from_utf8(b)
        .unwrap()
        .replace(";branch=", ";received=192.0.2.1;branch=")
        .into_bytes()
}
