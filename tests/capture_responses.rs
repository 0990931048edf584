//! Real responses from the public captures of the corpus: every one parses,
//! validates without panicking, keeps its spans in bounds, and yields exactly
//! the reviewed findings in `tests/data/capture-responses/FINDINGS.txt`.
//!
//! The responses were cut from `shared/corpus/pcap/*` by `tools/pcap2sip.py`
//! (see the folder's README). `BLESS=1 cargo test --test capture_responses`
//! rewrites the findings file; every change to it must be reviewed against
//! the RFC before it is committed.

mod common;

use std::fmt::Write as _;

use common::{data_dir, files_under, read};
use sip_response::validate::{validate, Context};
use sip_response::Message;

#[test]
fn capture_responses_validate_to_the_reviewed_findings() {
    let files: Vec<String> = files_under("capture-responses")
        .into_iter()
        .filter(|f| f.ends_with(".sip"))
        .collect();
    assert_eq!(files.len(), 502, "the extraction gave 502 responses");
    let ctx = Context::new();
    let mut got = String::new();
    for rel in &files {
        let bytes = read(rel);
        let msg = sip_response::parse_message(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let Message::Response(resp) = msg else {
            panic!("{rel}: not a response")
        };
        let report = validate(&resp, &ctx);
        for f in report.findings() {
            let span = match f.span() {
                Some(s) => {
                    assert!(
                        s.start <= s.end && s.end <= bytes.len(),
                        "{rel}: {} span {s} out of bounds",
                        f.rule()
                    );
                    format!("{}..{}", s.start, s.end)
                }
                None => "-".to_string(),
            };
            let name = rel.trim_start_matches("capture-responses/");
            writeln!(got, "{name} {} {} {span}", f.rule(), f.severity()).unwrap();
        }
    }
    let path = data_dir().join("capture-responses/FINDINGS.txt");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if got != want {
        let want_lines: std::collections::BTreeSet<&str> = want.lines().collect();
        let got_lines: std::collections::BTreeSet<&str> = got.lines().collect();
        let mut diff = String::new();
        for l in got_lines.difference(&want_lines) {
            writeln!(diff, "+ {l}").unwrap();
        }
        for l in want_lines.difference(&got_lines) {
            writeln!(diff, "- {l}").unwrap();
        }
        panic!("findings on real responses changed (review, then BLESS=1):\n{diff}");
    }
}
