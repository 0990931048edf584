//! One defect, one finding: a one-byte change to a message must not draw
//! two new findings that blame the same bytes.
//!
//! Every message of the rule corpus (`tests/rules/**.sip`) gets a few
//! deterministic one-byte edits in its header section (a byte replaced,
//! inserted or deleted, drawn from the separators and quotes that break
//! SIP grammar), and is validated as an observer, a UAC, a proxy and over
//! TCP.
//! Findings the original message did not have are new; two new findings
//! whose spans overlap (or are the same) name the same bytes twice, which
//! the spec's "How to read" forbids.
//!
//! The pairs the rule table asks for are allowed: an empty `tag` is both
//! `tag-param-empty` and a missing tag (`from-tag-missing`,
//! `to-tag-missing`, `199-to-tag`), and a 199 without a To tag is both
//! `to-tag-missing` and `199-to-tag`. One rule may name one place for
//! several things (`2xx-options-capabilities` lists each header a 200 to
//! OPTIONS lacks at the status line); the emitter already drops the very
//! same finding twice. Proxy verdicts (what a proxy must do with the
//! response) are kept apart from defects by design and are not counted.

use std::collections::BTreeSet;

use sip_response::parse_response;
use sip_response::validate::{validate, Context, Role, Transport};

/// The bytes the edits use: what separates, quotes or brackets SIP values.
const EDIT_BYTES: &[u8] = b" \t,;<>\"@:=\x00/.?%[]\\";

/// Rule pairs the table asks to be reported together (see the module docs).
const ALLOWED: [(&str, &str); 4] = [
    ("tag-param-empty", "to-tag-missing"),
    ("from-tag-missing", "tag-param-empty"),
    ("199-to-tag", "tag-param-empty"),
    ("199-to-tag", "to-tag-missing"),
];

mod common;

/// A small deterministic generator (64-bit LCG), so the test sees the
/// same edits on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

type Found = Vec<(&'static str, Option<(usize, usize)>)>;

fn findings(buf: &[u8], ctx: &Context) -> Option<Found> {
    let resp = parse_response(buf).ok()?;
    Some(
        validate(&resp, ctx)
            .iter()
            .filter(|f| !f.is_verdict())
            .map(|f| (f.rule(), f.span().map(|s| (s.start, s.end))))
            .collect(),
    )
}

#[test]
fn a_one_byte_edit_is_not_reported_twice() {
    let contexts = [
        Context::default(),
        Context::new().with_role(Role::Uac),
        Context::new().with_transport(Transport::Tcp),
        Context::new()
            .with_role(Role::Proxy)
            .with_own_sent_by("192.0.2.10", Some(5060)),
    ];
    let mut rng = Lcg(0x5eed);
    let mut checked = 0;
    let mut twice = Vec::new();
    for (name, body) in common::rule_messages() {
        let Some(head_end) = body.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let at: Vec<usize> = (16..head_end)
            .filter(|&i| !matches!(body[i], b'\r' | b'\n'))
            .collect();
        if at.is_empty() {
            continue;
        }
        for _ in 0..4 {
            let i = at[rng.below(at.len())];
            let b = EDIT_BYTES[rng.below(EDIT_BYTES.len())];
            let mut edited = body.clone();
            match rng.below(3) {
                0 => edited[i] = b,
                1 => edited.insert(i, b),
                _ => {
                    edited.remove(i);
                }
            }
            for ctx in &contexts {
                let (Some(before), Some(after)) = (findings(&body, ctx), findings(&edited, ctx))
                else {
                    continue;
                };
                checked += 1;
                let old: BTreeSet<&str> = before.iter().map(|f| f.0).collect();
                let new: Vec<_> = after
                    .iter()
                    .filter(|f| !old.contains(f.0))
                    .filter_map(|&(r, s)| s.map(|s| (r, s)))
                    .collect();
                for (x, &(r1, (s1, e1))) in new.iter().enumerate() {
                    for &(r2, (s2, e2)) in &new[x + 1..] {
                        let overlap = (s1 < e2 && s2 < e1) || (s1, e1) == (s2, e2);
                        // One rule naming one place for several things
                        // (each header a 200 to OPTIONS lacks) is by design.
                        let listed = r1 == r2 && (s1, e1) == (s2, e2);
                        let pair = if r1 <= r2 { (r1, r2) } else { (r2, r1) };
                        if overlap && !listed && !ALLOWED.contains(&pair) {
                            twice.push(format!(
                                "{name} edited at {i}: {r1} {s1}..{e1} and {r2} {s2}..{e2}"
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 3000, "only {checked} edited messages validated");
    assert!(
        twice.is_empty(),
        "one defect, two findings:\n{}",
        twice.join("\n")
    );
}
