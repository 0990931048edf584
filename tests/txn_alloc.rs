//! The transaction tracker's memory is bounded by its cap, whatever the
//! capture: an adversarial stream of distinct transactions (every message
//! a new branch, all at one capture time so nothing expires) keeps the
//! peak of live heap octets flat once the cap is reached, and a message
//! of a known transaction allocates nothing.
//! Its own test binary, because it installs a counting global allocator.

use std::time::Duration;

use sip_response::parse_message;
use sip_response::validate::{Finding, Policy, Sighting, Transport, TxnConfig, TxnTracker};

mod counting_alloc;
use counting_alloc::measure;

/// Message `i` of a stream; `proxied`: sent by a proxy (a second Via),
/// so that it also opens a response context, a branch and a proxy hop.
fn message(i: u64, response: bool, proxied: bool) -> Vec<u8> {
    let start = if response {
        "SIP/2.0 404 Not Found"
    } else {
        "OPTIONS sip:b@example.com SIP/2.0"
    };
    let upstream = if proxied {
        format!("Via: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKu{i}\r\n")
    } else {
        String::new()
    };
    format!(
        "{start}\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK{i}\r\n{upstream}\
         From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag={i}\r\n\
         Call-ID: {i}@example.com\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
    )
    .into_bytes()
}

/// Feeds `n` new transactions (a request and a response each) into a
/// tracker capped at `cap`; returns the peak of live heap octets.
fn peak_for(n: u64, cap: usize, proxied: bool) -> (usize, u64) {
    let messages: Vec<Vec<u8>> = (0..n)
        .flat_map(|i| [message(i, false, proxied), message(i, true, proxied)])
        .collect();
    // Transactions; proxied, also contexts, branches and hops.
    let tables = if proxied { 4 } else { 1 };
    let seen = Sighting {
        at: Duration::from_secs(1),
        src: "192.0.2.1:5060".parse().unwrap(),
        dst: "192.0.2.2:5060".parse().unwrap(),
        transport: Transport::Udp,
    };
    let policy = Policy::new();
    let ((), m) = measure(|| {
        let mut tracker = TxnTracker::new(TxnConfig {
            max_transactions: cap,
            ..TxnConfig::default()
        });
        let mut out: Vec<Finding> = Vec::with_capacity(4);
        for (k, bytes) in messages.iter().enumerate() {
            let msg = parse_message(bytes).unwrap();
            // Responses swap the direction.
            let seen = if k % 2 == 1 {
                Sighting {
                    src: seen.dst,
                    dst: seen.src,
                    ..seen
                }
            } else {
                seen
            };
            tracker.observe(&msg, seen, &policy, &mut out);
        }
        let stats = tracker.stats();
        assert_eq!(stats.live, tables * cap.min(n as usize));
        assert_eq!(stats.evicted, tables as u64 * n.saturating_sub(cap as u64));
        assert!(out.is_empty(), "{out:?}");
    });
    (m.peak, m.allocs as u64)
}

#[test]
fn state_stays_within_the_cap() {
    for proxied in [false, true] {
        state_within_the_cap(proxied);
    }
}

fn state_within_the_cap(proxied: bool) {
    let cap = 200;
    let (small, _) = peak_for(5_000, cap, proxied);
    let (large, _) = peak_for(25_000, cap, proxied);
    // Five times the transactions, the same peak (the tables, once grown;
    // the hash table may double once more while its deleted slots fill).
    // Proxied, four tables grow and clean up their deleted slots at
    // moments their random hash seeds decide, so the peak differs by a
    // few per cent from run to run, whatever the length: bounded, not
    // growing.
    if proxied {
        assert!(
            large <= small + small / 8,
            "peak heap octets: {small} vs {large}"
        );
    } else {
        assert_eq!(small, large, "peak heap octets: {small} vs {large}");
    }
    // And a few KiB per transaction at most (the record, the hash table's
    // spare room and the expiry heap).
    let per_txn = large / cap;
    // Proxied, each transaction holds four records (itself, its proxy
    // hop, its response context and its branch).
    let bound = if proxied { 12_288 } else { 4_096 };
    assert!(per_txn <= bound, "{per_txn} octets per transaction");
    eprintln!("cap {cap}, proxied {proxied}: peak {large} heap octets ({per_txn} per transaction)");
}

#[test]
fn a_known_transaction_costs_no_allocation() {
    for proxied in [false, true] {
        known_transaction_without_allocation(proxied);
    }
}

fn known_transaction_without_allocation(proxied: bool) {
    let mut tracker = TxnTracker::new(TxnConfig::default());
    let req = message(1, false, proxied);
    let resp = message(1, true, proxied);
    let seen = Sighting {
        at: Duration::from_secs(1),
        src: "192.0.2.1:5060".parse().unwrap(),
        dst: "192.0.2.2:5060".parse().unwrap(),
        transport: Transport::Udp,
    };
    let back = Sighting {
        src: seen.dst,
        dst: seen.src,
        ..seen
    };
    let policy = Policy::new();
    let mut out: Vec<Finding> = Vec::with_capacity(4);
    let req = parse_message(&req).unwrap();
    let resp = parse_message(&resp).unwrap();
    // Known: both seen once (a proxied response also opens its hop).
    tracker.observe(&req, seen, &policy, &mut out);
    tracker.observe(&resp, back, &policy, &mut out);
    let (_, m) = measure(|| {
        for _ in 0..100 {
            tracker.observe(&req, seen, &policy, &mut out);
            tracker.observe(&resp, back, &policy, &mut out);
        }
    });
    assert_eq!(m.allocs, 0, "{m:?}");
}

/// Judged contexts: call `i` is the UAC's OPTIONS to the proxy, the
/// proxy's branch of it, and the proxy's final response upstream (which
/// has the context judged and dropped). All at one capture time, so
/// nothing expires: the state is what the caps and the judging keep.
fn judged_peak(n: u64, cap: usize) -> usize {
    let uac = "192.0.2.1:5060".parse().unwrap();
    let proxy = "192.0.2.9:5060".parse().unwrap();
    let uas = "192.0.2.5:5060".parse().unwrap();
    let at = Duration::from_secs(1);
    let call = |i: u64, start: &str, vias: &str| {
        format!(
            "{start}\r\n{vias}From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n\
             Call-ID: j{i}@example.com\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
        )
        .into_bytes()
    };
    let messages: Vec<(Vec<u8>, Sighting)> = (0..n)
        .flat_map(|i| {
            let up = format!("Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKu{i}\r\n");
            let down = format!("Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKp{i}\r\n{up}");
            let seen = |src, dst| Sighting {
                at,
                src,
                dst,
                transport: Transport::Udp,
            };
            [
                (
                    call(i, "OPTIONS sip:b@example.com SIP/2.0", &up),
                    seen(uac, proxy),
                ),
                (
                    call(i, "OPTIONS sip:b@192.0.2.5 SIP/2.0", &down),
                    seen(proxy, uas),
                ),
                (
                    call(i, "SIP/2.0 480 Temporarily Unavailable", &up),
                    seen(proxy, uac),
                ),
            ]
        })
        .collect();
    let policy = Policy::new();
    let ((), m) = measure(|| {
        let mut tracker = TxnTracker::new(TxnConfig {
            max_transactions: cap,
            ..TxnConfig::default()
        });
        let mut out: Vec<Finding> = Vec::with_capacity(4);
        for (bytes, seen) in &messages {
            let msg = parse_message(bytes).unwrap();
            tracker.observe(&msg, *seen, &policy, &mut out);
        }
        assert!(out.is_empty(), "{out:?}");
        assert!(tracker.stats().peak <= cap, "{:?}", tracker.stats());
    });
    m.peak
}

#[test]
fn judged_contexts_leave_no_state_behind() {
    let cap = 200;
    let small = judged_peak(5_000, cap);
    let large = judged_peak(25_000, cap);
    // As in `state_within_the_cap`, proxied: bounded, not growing (a
    // judged context must not leave its expiry entry behind for good).
    assert!(
        large <= small + small / 8,
        "peak heap octets: {small} vs {large}"
    );
    eprintln!("cap {cap}, judged: peak {large} heap octets");
}
