//! The rule catalogue must list exactly the rules of the spec, then the
//! local rows.
//!
//! `tests/data/response-rules.md` is a byte-exact copy of
//! `shared/spec/response-rules.md`. Rules this repository added, pending
//! upstream, are the rows of `tests/data/response-rules.local.md` (same
//! columns). This test parses both independently of the generator and
//! compares ids, default severities and cites with
//! `sip_response::validate::rules()`.

use std::collections::{BTreeMap, BTreeSet};

use sip_response::validate::{rules, RuleStatus, Severity};

struct SpecRow {
    severity: Severity,
    first_rfc: String,
}

const SHARED: &str = include_str!("data/response-rules.md");
const LOCAL: &str = include_str!("data/response-rules.local.md");

/// The rows of the shared table (sections 1 to 8).
fn spec_rows() -> Vec<(String, SpecRow)> {
    table_rows(SHARED, is_rule_section)
}

/// Sections 1 to 8 of the shared table hold the rule tables.
fn is_rule_section(heading: &str) -> bool {
    let num: String = heading.chars().take_while(char::is_ascii_digit).collect();
    matches!(num.parse::<u32>(), Ok(1..=8))
}

/// The rows of the local file (its "Local rows" section).
fn local_rows() -> Vec<(String, SpecRow)> {
    table_rows(LOCAL, |heading| heading.trim() == "Local rows")
}

fn table_rows(text: &str, rule_section: impl Fn(&str) -> bool) -> Vec<(String, SpecRow)> {
    let mut in_rules = false;
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("## ") {
            in_rules = rule_section(rest);
            continue;
        }
        if !in_rules || !line.starts_with("| ") || line.starts_with("| ID ") {
            continue;
        }
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split(" | ")
            .map(str::trim)
            .collect();
        assert_eq!(cells.len(), 7, "row with wrong column count: {line}");
        let sev_cell = cells[5];
        // Split severities ("error / warning"): the first is the default.
        let primary = sev_cell.split('/').next().unwrap().trim();
        let primary = primary.trim_end_matches('↓');
        let severity = primary
            .parse()
            .unwrap_or_else(|_| panic!("bad Sev cell {sev_cell:?}"));
        let reference = cells[6];
        let at = reference.find("RFC ").expect("reference names an RFC");
        let digits: String = reference[at + 4..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let first_rfc = format!("RFC {digits}");
        rows.push((
            cells[0].to_string(),
            SpecRow {
                severity,
                first_rfc,
            },
        ));
    }
    rows
}

#[test]
fn catalogue_matches_spec() {
    let mut spec = spec_rows();
    assert_eq!(spec.len(), 220, "the spec has 220 rule rows");
    let local = local_rows();
    assert!(!local.is_empty(), "the local file has rows");
    spec.extend(local);
    let mut problems = Vec::new();

    let mut spec_ids = BTreeSet::new();
    for (id, _) in &spec {
        if !spec_ids.insert(id.as_str()) {
            problems.push(format!("spec repeats {id}"));
        }
    }
    let mut cat: BTreeMap<&str, usize> = BTreeMap::new();
    for info in rules() {
        *cat.entry(info.id).or_default() += 1;
    }
    for (id, n) in &cat {
        if *n > 1 {
            problems.push(format!("catalogue repeats {id} ({n} times)"));
        }
        if !spec_ids.contains(id) {
            problems.push(format!("catalogue has {id}, not in the spec nor local"));
        }
    }
    for (id, row) in &spec {
        let Some(info) = rules().iter().find(|r| r.id == id) else {
            problems.push(format!("catalogue lacks {id}"));
            continue;
        };
        if info.default_severity != row.severity {
            problems.push(format!(
                "{id}: severity {} in catalogue, {} in spec",
                info.default_severity, row.severity
            ));
        }
        if !info.cite.text().contains(&row.first_rfc) {
            problems.push(format!(
                "{id}: cite {:?} lacks {}",
                info.cite.text(),
                row.first_rfc
            ));
        }
        if format!("RFC {}", info.cite.rfc()) != row.first_rfc {
            problems.push(format!(
                "{id}: primary RFC {} vs {}",
                info.cite.rfc(),
                row.first_rfc
            ));
        }
        if info.summary.is_empty() || info.summary.contains('\n') {
            problems.push(format!("{id}: summary must be one non-empty line"));
        }
        if let RuleStatus::NeedsState(what) = info.status {
            if what.is_empty() {
                problems.push(format!("{id}: NeedsState must say what is needed"));
            }
        }
    }
    // Same order as the spec, so rules() can be read side by side with it.
    let order: Vec<&str> = rules().iter().map(|r| r.id).collect();
    let spec_order: Vec<&str> = spec.iter().map(|(id, _)| id.as_str()).collect();
    if order != spec_order {
        problems.push("catalogue order differs from the spec".into());
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A local row is pending upstream: once the shared table has its id, the
/// local row must go (the shared one wins, and may differ).
#[test]
fn local_rows_are_not_in_the_shared_table() {
    let shared: BTreeSet<String> = spec_rows().into_iter().map(|(id, _)| id).collect();
    // The shared copy on the team machines may be newer than ours.
    let upstream: BTreeSet<String> = std::fs::read_to_string("/work/shared/spec/response-rules.md")
        .map(|t| {
            table_rows(&t, is_rule_section)
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        })
        .unwrap_or_default();
    let mut local_ids = BTreeSet::new();
    for (id, _) in local_rows() {
        assert!(local_ids.insert(id.clone()), "local file repeats {id}");
        assert!(
            !shared.contains(&id) && !upstream.contains(&id),
            "{id} is now in the shared rule table: delete its row from tests/data/response-rules.local.md and re-run tools/gen_catalogue.py"
        );
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{id}: ids are kebab-case"
        );
    }
    // The header says what the file is.
    assert!(LOCAL.contains("pending upstream"));
}

#[test]
fn spec_copy_is_byte_exact_with_shared_when_available() {
    // The shared copy exists on the team machines; skip elsewhere.
    let shared = std::path::Path::new("/work/shared/spec/response-rules.md");
    if let Ok(bytes) = std::fs::read(shared) {
        assert!(
            bytes == include_bytes!("data/response-rules.md"),
            "tests/data/response-rules.md differs from the shared spec"
        );
    }
}

#[test]
fn rules_checked_elsewhere_are_reported_by_the_named_api() {
    use sip_response::validate::SentBy;
    use sip_response::{forward_upstream, parse_response, OwnedResponse};

    let by: Vec<(&str, &str)> = rules()
        .iter()
        .filter_map(|i| match i.status {
            RuleStatus::CheckedBy(api) => Some((i.id, api)),
            _ => None,
        })
        .collect();
    assert_eq!(by.len(), 24, "{by:?}");

    // The parser: RFC 4475 §3.1.2.19 bigcode.
    let err = parse_response(
        b"SIP/2.0 4294967301 better not break the receiver\r\nContent-Length: 0\r\n\r\n",
    )
    .unwrap_err();
    assert_eq!(err.rule(), Some("status-code-not-3-digits"));

    // The forwarder (which `validate` agrees with in the proxy role; see
    // tests/rules/proxy-remove-top-via and proxy-stray-response).
    let own = [SentBy::new("proxy.example.com", None)];
    let msg = |vias: &str| {
        let text = format!(
            "SIP/2.0 200 OK\r\n{vias}From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag=2\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
        );
        OwnedResponse::parse(bytes::Bytes::from(text)).unwrap()
    };
    let ids = |vias: &str| -> Vec<&'static str> {
        forward_upstream(&msg(vias), &own)
            .unwrap_err()
            .findings()
            .iter()
            .map(|f| f.rule())
            .collect()
    };
    let only_ours = ids("Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bK1\r\n");
    assert_eq!(only_ours, ["proxy-remove-top-via"]);
    let stray = ids("Via: SIP/2.0/UDP other.example.com;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK2\r\n");
    assert_eq!(stray, ["via-top-not-ours", "proxy-stray-response"]);
    // The transaction tracker: tests of src/validate/txn/ and
    // tests/validate_cli.rs show each of its rules reported.
    for (id, api) in by {
        let named = if id == "status-code-not-3-digits" {
            "ParseError::rule"
        } else {
            "TxnTracker"
        };
        assert!(api.contains(named), "{id}: {api}");
    }
}

/// Every rule `validate` checks names the file that reports it, and that
/// file exists and names the rule's handle (`r::CONST`): a reader goes from
/// an id to its code without grep. The catalogue shown in the rustdoc
/// (`src/validate/catalogue.md`) lists the same file.
#[test]
fn checked_rules_name_their_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let md = std::fs::read_to_string(root.join("src/validate/catalogue.md")).unwrap();
    for info in rules() {
        if info.status != RuleStatus::Checked {
            continue;
        }
        assert!(!info.file.is_empty(), "{}: no file", info.id);
        let mut constant = info.id.to_ascii_uppercase().replace('-', "_");
        if constant.as_bytes()[0].is_ascii_digit() {
            constant.insert_str(0, "R_");
        }
        for file in info.file.split(", ") {
            let text = std::fs::read_to_string(root.join(file))
                .unwrap_or_else(|e| panic!("{}: {file}: {e}", info.id));
            assert!(
                text.contains(&format!("r::{constant}")),
                "{}: {file} does not name r::{constant}",
                info.id
            );
        }
        let row = format!("| `{}` |", info.id);
        let line = md.lines().find(|l| l.starts_with(&row)).unwrap();
        assert!(line.contains(info.file), "{}: catalogue.md row", info.id);
    }
}

/// A rule id is emitted from one place: the catalogue names one file per
/// rule (a rule with a part on the response alone and a part that needs
/// the request keeps both in the file of its subject).
#[test]
fn each_rule_is_emitted_from_one_file() {
    for info in rules() {
        assert!(
            !info.file.contains(", "),
            "{} is emitted from several files: {}",
            info.id,
            info.file
        );
    }
}
