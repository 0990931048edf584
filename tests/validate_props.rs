//! Properties of the validator (STYLE §8, properties 4 and 5):
//!
//! * on any bytes that parse, `validate` never panics and every finding's
//!   span lies inside the buffer;
//! * changing the case of header names changes no finding (same rules,
//!   severities and spans: names are case-insensitive, RFC 3261 §7.3.1);
//! * writing a header in its compact form changes no finding's rule or
//!   severity (RFC 3261 §7.3.3);
//! * splitting a list header's comma-separated values over several rows
//!   changes no rule found (RFC 3261 §7.3.1: the two forms are equivalent);
//! * a bare CR put into a clean header value is reported once, by
//!   `line-ending-not-crlf`: the value's own rules do not report the same
//!   byte again (one defect, one finding).
//!
//! The messages come from the rule corpus `tests/rules/**.sip`, which holds
//! a trigger for every checked rule. Case counts stay modest; raise them
//! with `PROPTEST_CASES`.

use proptest::prelude::*;
use sip_response::parse_response;
use std::collections::BTreeSet;

use sip_response::header::ListKind;
use sip_response::validate::{validate, Context, Role, Transport};

mod common;

/// The rule corpus's messages, sorted by their bytes (the order the saved
/// proptest cases index).
fn corpus() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = common::rule_messages()
        .into_iter()
        .map(|(_, b)| b)
        .collect();
    out.sort();
    out
}

fn contexts() -> [Context; 3] {
    [
        Context::default(),
        Context::new()
            .with_transport(Transport::Tcp)
            .with_role(Role::Proxy)
            .with_own_sent_by("192.0.2.10", Some(5060)),
        Context::new()
            .with_transport(Transport::Udp)
            .with_role(Role::Uac),
    ]
}

/// `(rule, severity, span)` of every finding, sorted.
fn findings(buf: &[u8], ctx: &Context, with_spans: bool) -> Vec<String> {
    let resp = parse_response(buf).expect("corpus message parses");
    let mut v: Vec<String> = validate(&resp, ctx)
        .iter()
        .map(|f| {
            let span = match (with_spans, f.span()) {
                (true, Some(s)) => format!("{s}"),
                _ => String::new(),
            };
            format!("{} {} {span}", f.rule(), f.severity())
        })
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn spans_in_bounds_on_mutated_messages(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
    ) {
        let all = corpus();
        let mut buf = all[pick.index(all.len())].clone();
        for (at, byte) in edits {
            let i = at.index(buf.len());
            buf[i] = byte;
        }
        if let Ok(resp) = parse_response(&buf) {
            for ctx in &contexts() {
                for f in validate(&resp, ctx).iter() {
                    if let Some(s) = f.span() {
                        prop_assert!(s.start <= s.end && s.end <= buf.len(), "{f}");
                    }
                }
            }
        }
    }

    #[test]
    fn header_name_case_changes_no_finding(
        pick in any::<prop::sample::Index>(),
        flips in prop::collection::vec(any::<bool>(), 64),
    ) {
        let all = corpus();
        let buf = &all[pick.index(all.len())];
        let resp = parse_response(buf).unwrap();
        let mut changed = buf.clone();
        let mut k = 0;
        for h in resp.headers().iter() {
            for i in h.name_span().range() {
                if flips[k % flips.len()] {
                    changed[i] = if changed[i].is_ascii_uppercase() {
                        changed[i].to_ascii_lowercase()
                    } else {
                        changed[i].to_ascii_uppercase()
                    };
                }
                k += 1;
            }
        }
        for ctx in &contexts() {
            prop_assert_eq!(findings(buf, ctx, true), findings(&changed, ctx, true));
        }
    }

    #[test]
    fn compact_forms_change_no_finding(
        pick in any::<prop::sample::Index>(),
        swaps in prop::collection::vec(any::<bool>(), 32),
    ) {
        let all = corpus();
        let buf = &all[pick.index(all.len())];
        let resp = parse_response(buf).unwrap();
        // Rebuild the message with some long names replaced by compact ones.
        let mut changed = Vec::with_capacity(buf.len());
        let mut last = 0;
        for (n, h) in resp.headers().iter().enumerate() {
            let Some(c) = h.known().and_then(|k| k.compact()) else { continue };
            if !swaps[n % swaps.len()] || h.is_compact() {
                continue;
            }
            let s = h.name_span();
            changed.extend_from_slice(&buf[last..s.start]);
            changed.push(c as u8);
            last = s.end;
        }
        changed.extend_from_slice(&buf[last..]);
        for ctx in &contexts() {
            prop_assert_eq!(findings(buf, ctx, false), findings(&changed, ctx, false));
        }
    }

    #[test]
    fn splitting_list_values_over_rows_changes_no_rule(
        pick in any::<prop::sample::Index>(),
        cuts in prop::collection::vec(any::<bool>(), 64),
    ) {
        // Only the messages that have a multi-value list row (about 50).
        let all: Vec<Vec<u8>> = corpus()
            .into_iter()
            .filter(|b| {
                parse_response(b).unwrap().headers().iter().any(|h| {
                    h.known().map(|k| k.list_kind()) == Some(ListKind::List) && h.elements().count() >= 2
                })
            })
            .collect();
        prop_assert!(all.len() >= 40);
        let buf = &all[pick.index(all.len())];
        let resp = parse_response(buf).unwrap();
        // Rebuild the message with some multi-value rows of list headers
        // split into several rows of the same name, cutting between values
        // where `cuts` says so.
        let mut changed = Vec::with_capacity(buf.len() + 64);
        let mut last = 0;
        let mut k = 0;
        for h in resp.headers().iter() {
            let is_list = h.known().map(|k| k.list_kind()) == Some(ListKind::List);
            let elems: Vec<_> = h.elements().collect();
            if !is_list || elems.len() < 2 || elems.iter().any(|e| e.bytes.is_empty()) {
                continue;
            }
            let row = h.span();
            // Keep the message's own line ending.
            let eol: &[u8] = if buf.get(row.end) == Some(&b'\r') { b"\r\n" } else { b"\n" };
            changed.extend_from_slice(&buf[last..row.start]);
            changed.extend_from_slice(h.name_bytes());
            changed.extend_from_slice(b": ");
            for (i, e) in elems.iter().enumerate() {
                if i > 0 {
                    if cuts[k % cuts.len()] {
                        changed.extend_from_slice(eol);
                        changed.extend_from_slice(h.name_bytes());
                        changed.extend_from_slice(b": ");
                    } else {
                        changed.extend_from_slice(b", ");
                    }
                    k += 1;
                }
                changed.extend_from_slice(e.bytes);
            }
            last = row.end;
        }
        changed.extend_from_slice(&buf[last..]);
        // Rules about the message's size are the only ones a longer head may change.
        let rules = |b: &[u8], ctx: &Context| -> BTreeSet<String> {
            findings(b, ctx, false)
                .into_iter()
                .filter(|f| !f.starts_with("udp-size-info "))
                .collect()
        };
        for ctx in &contexts() {
            prop_assert_eq!(rules(buf, ctx), rules(&changed, ctx));
        }
    }

    #[test]
    fn bare_cr_in_a_clean_value_is_reported_once(
        pick in any::<prop::sample::Index>(),
        row in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
    ) {
        let all = corpus();
        let buf = &all[pick.index(all.len())];
        let resp = parse_response(buf).expect("corpus message parses");
        prop_assume!(resp.find_bare_cr().is_none());
        let values: Vec<_> = resp.headers().iter().map(|h| h.value_span()).collect();
        prop_assume!(!values.is_empty());
        let v = values[row.index(values.len())];
        prop_assume!(!v.is_empty());
        let i = v.start + at.index(v.len());
        // Not next to a fold's line break: a CR there starts or ends a line.
        prop_assume!(buf[i] != b'\n' && buf[i - 1] != b'\n');
        let mut changed = buf[..i].to_vec();
        changed.push(b'\r');
        changed.extend_from_slice(&buf[i..]);
        // The row in the changed message: the value's row, one byte longer.
        let row = resp
            .headers()
            .iter()
            .find(|h| h.value_span() == v)
            .map(|h| h.span())
            .expect("the value's row");
        let changed_resp = parse_response(&changed).expect("a bare CR keeps the framing");
        for ctx in &contexts() {
            // A row that already breaks a rule may be read another way
            // with the CR in it: the property is about clean rows.
            prop_assume!(validate(&resp, ctx).iter().all(|f| f
                .span()
                .is_none_or(|s| s.end <= row.start || row.end < s.start)));
            let before = findings(buf, ctx, false);
            let after = validate(&changed_resp, ctx);
            prop_assert!(
                after.iter().any(|f| f.rule() == "line-ending-not-crlf"),
                "CR at {i} not reported"
            );
            // What the CR breaks in its own row is the CR's finding; a rule
            // that now misses the header elsewhere (`from-required`, a 199
            // without its Reason) reports a consequence, not the CR; a
            // proxy's verdict on an unreadable top Via is what it must do.
            for f in after.iter() {
                let Some(s) = f.span() else { continue };
                let in_row = row.start <= s.start && s.end <= row.end + 1;
                let key = format!("{} {} ", f.rule(), f.severity());
                prop_assert!(
                    !in_row
                        || f.rule() == "line-ending-not-crlf"
                        || f.is_verdict()
                        || before.contains(&key),
                    "CR at {i}: {f} reports the CR again in {:?}", String::from_utf8_lossy(&changed)
                );
            }
        }
    }
}
