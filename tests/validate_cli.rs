//! End-to-end tests of the `validate` example: the binary is run as a
//! process on the bundled data and on files written here, and its exit codes,
//! text output and JSON Lines contract (README, "The `validate` tool") are
//! checked.
//!
//! `cargo test` builds examples before running integration tests; a run
//! filtered to this test alone (`cargo test --test validate_cli`) does not,
//! so build it first with `cargo build --example validate`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use serde_json::{Map, Value};

mod capture_builders;
mod common;
use sip_response::validate::{rules, RuleStatus};

// ---------------------------------------------------------------------------
// Harness

/// The `validate` example binary ([`common::example_exe`]), checked once
/// per run.
fn exe() -> &'static Path {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| common::example_exe("validate", &["examples/validate"], "capture,serde"))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What one run of the tool gave.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The finding lines of the text format (the per-rule summary that
    /// follows them left out).
    fn lines(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .take_while(|l| !is_summary_head(l))
            .collect()
    }

    /// The per-rule summary of the text format: (rule, severity, count,
    /// first), without its head line.
    fn summary_lines(&self) -> Vec<(String, String, usize, String)> {
        self.stdout
            .lines()
            .skip_while(|l| !is_summary_head(l))
            .skip(1)
            .map(|l| {
                let mut w = l.split_whitespace();
                let rule = w.next().unwrap().to_string();
                let sev = w.next().unwrap().to_string();
                let count = w.next().unwrap().parse().unwrap();
                (rule, sev, count, w.collect::<Vec<_>>().join(" "))
            })
            .collect()
    }

    /// Every stdout line parsed as a JSON object (panics on anything else),
    /// the closing summary record left out (checked and returned by
    /// [`Run::summary`]).
    fn json(&self) -> Vec<Map<String, Value>> {
        // Every line is one of the library's records, the one type that
        // defines the schema.
        for l in self.stdout.lines() {
            if let Err(e) = serde_json::from_str::<sip_response::record::Record>(l) {
                panic!("not a record: {l:?}: {e}");
            }
        }
        let mut all = self.json_all();
        let last = all
            .pop()
            .unwrap_or_else(|| panic!("no summary record\n{self:?}"));
        check_summary(&last);
        all
    }

    /// The closing `{"kind":"summary",…}` record.
    fn summary(&self) -> Map<String, Value> {
        let last = self.json_all().pop().expect("a summary record");
        check_summary(&last);
        last
    }

    fn json_all(&self) -> Vec<Map<String, Value>> {
        self.stdout
            .lines()
            .map(|l| match serde_json::from_str::<Value>(l) {
                Ok(Value::Object(m)) => m,
                other => panic!("not a JSON object line: {l:?} ({other:?})\n{self:?}"),
            })
            .collect()
    }
}

fn is_summary_head(l: &str) -> bool {
    l.split_whitespace().collect::<Vec<_>>() == ["rule", "severity", "count", "first"]
}

/// The summary record's schema: totals and per-rule counts, rules being
/// catalogue ids.
fn check_summary(o: &Map<String, Value>) {
    assert_eq!(
        o["kind"], "summary",
        "the last record is the summary: {o:?}"
    );
    // Captures add the transaction state, and what was skipped for lack of
    // the request, when there is any.
    let optional = ["skipped", "request_not_seen", "transactions", "verdicts"];
    let required: BTreeSet<&str> = keys(o)
        .into_iter()
        .filter(|k| !optional.contains(k))
        .collect();
    assert_eq!(
        required,
        set(&[
            "kind",
            "responses",
            "requests",
            "parse_errors",
            "unreadable_inputs",
            "capture_problems",
            "findings",
            "rules"
        ]),
        "{o:?}"
    );
    assert_eq!(
        keys(o["findings"].as_object().unwrap()),
        set(&["error", "warning", "info"])
    );
    let ids = rule_ids();
    if let Some(t) = o.get("transactions") {
        assert_eq!(
            keys(t.as_object().unwrap()),
            set(&["peak", "capacity", "expired", "evicted"]),
            "{t:?}"
        );
        assert!(t["peak"].as_u64().unwrap() <= t["capacity"].as_u64().unwrap());
    }
    for s in o.get("skipped").map_or(&[][..], |s| s.as_array().unwrap()) {
        let s = s.as_object().unwrap();
        assert_eq!(keys(s), set(&["rule", "reason", "count"]), "{s:?}");
        assert!(ids.contains(s["rule"].as_str().unwrap()), "{s:?}");
        assert_eq!(s["reason"], "request not seen");
        assert!(s["count"].as_u64().unwrap() >= 1);
    }
    let (mut total, mut verdicts) = (0, 0);
    for r in o["rules"].as_array().unwrap() {
        let r = r.as_object().unwrap();
        let rule = r["rule"].as_str().unwrap();
        let verdict = sip_response::validate::Rule::from_id(rule)
            .is_some_and(sip_response::validate::is_verdict_rule);
        // A verdict rule's row says so; the others leave the key out.
        let mut want = set(&["rule", "severity", "count", "first"]);
        if verdict {
            assert_eq!(r["verdict"], true, "{r:?}");
            want.insert("verdict");
        }
        assert_eq!(keys(r), want, "{r:?}");
        assert!(ids.contains(rule), "{r:?}");
        assert!(r["count"].as_u64().unwrap() >= 1);
        assert_eq!(
            keys(r["first"].as_object().unwrap()),
            set(&["source", "frame", "index"])
        );
        if verdict {
            verdicts += r["count"].as_u64().unwrap();
        } else {
            total += r["count"].as_u64().unwrap();
        }
    }
    let f = &o["findings"];
    assert_eq!(
        total,
        f["error"].as_u64().unwrap() + f["warning"].as_u64().unwrap() + f["info"].as_u64().unwrap(),
        "per-rule counts add up to the totals: {o:?}"
    );
    assert_eq!(
        verdicts,
        o.get("verdicts").map_or(0, |v| v.as_u64().unwrap()),
        "verdict rules' counts add up to the verdicts: {o:?}"
    );
}

/// Runs the tool in the crate root with `args`, feeding `stdin` if given.
fn run_with(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(exe());
    cmd.args(args)
        .current_dir(root())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn validate");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        // A tool that stops early (a usage error) may not read it all.
        if let Err(e) = pipe.write_all(input) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
        drop(pipe);
    }
    let out = child.wait_with_output().unwrap();
    Run {
        // A signal death has no code: -1 never matches an expected one.
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(args: &[&str]) -> Run {
    run_with(args, None)
}

/// A file (or directory) in the temp dir with a unique name, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn path_for(name: &str) -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        std::env::temp_dir().join(format!(
            "sip-response-validate-cli-{}-{n}-{name}",
            std::process::id()
        ))
    }

    fn file(name: &str, bytes: &[u8]) -> Temp {
        let p = Self::path_for(name);
        std::fs::write(&p, bytes).unwrap();
        Temp(p)
    }

    fn dir(name: &str) -> Temp {
        let p = Self::path_for(name);
        std::fs::create_dir_all(&p).unwrap();
        Temp(p)
    }

    fn s(&self) -> &str {
        self.0.to_str().expect("temp path is UTF-8")
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if self.0.is_dir() {
            let _ = std::fs::remove_dir_all(&self.0);
        } else {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

/// A 200 OK to OPTIONS with every mandatory header and the capabilities
/// RFC 3261 §11.2 says it should list: no finding at all, not even info
/// (checked below, `clean_response_exits_0`).
const CLEAN: &[u8] = b"SIP/2.0 200 OK\r\n\
Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1\r\n\
To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n\
From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n\
CSeq: 63104 OPTIONS\r\n\
Allow: INVITE, ACK, CANCEL, OPTIONS, BYE\r\n\
Accept: application/sdp\r\n\
Accept-Encoding: gzip\r\n\
Accept-Language: en\r\n\
Supported: replaces\r\n\
Content-Length: 0\r\n\
\r\n";

/// A 405 without Allow: RFC 3261 §21.4.6 / §20.5 make Allow a MUST
/// (rule `405-allow-required`, error).
const NO_ALLOW_405: &[u8] = b"SIP/2.0 405 Method Not Allowed\r\n\
Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n\
To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n\
From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n\
Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n\
CSeq: 1 SUBSCRIBE\r\n\
Content-Length: 0\r\n\
\r\n";

// ---------------------------------------------------------------------------
// The JSON Lines contract

fn rule_ids() -> BTreeSet<&'static str> {
    rules().iter().map(|r| r.id).collect()
}

fn keys(m: &Map<String, Value>) -> BTreeSet<&str> {
    m.keys().map(String::as_str).collect()
}

fn set<'a>(k: &[&'a str]) -> BTreeSet<&'a str> {
    k.iter().copied().collect()
}

const TRANSPORTS: &[&str] = &["udp", "tcp", "tls", "sctp", "ws", "wss"];

/// The envelope every object carries (README: `source`, `frame`, `index`,
/// `transport`, `src`, `dst`).
fn check_envelope(o: &Map<String, Value>) {
    assert!(o["source"].is_string(), "{o:?}");
    assert!(o["frame"].is_null() || o["frame"].is_u64(), "{o:?}");
    assert!(o["index"].as_u64().is_some_and(|i| i >= 1), "{o:?}");
    let problem = o.get("kind").and_then(Value::as_str) == Some("capture-problem");
    assert!(
        TRANSPORTS.contains(&o["transport"].as_str().unwrap_or(""))
            || (problem && o["transport"].is_null()),
        "{o:?}"
    );
    assert!(o["src"].is_null() || o["src"].is_string(), "{o:?}");
    assert!(o["dst"].is_null() || o["dst"].is_string(), "{o:?}");
}

/// Checks one object against the documented schema, with `len` the byte
/// length of its source (spans and offsets must lie inside it).
fn check_object(o: &Map<String, Value>, len: Option<usize>) {
    check_envelope(o);
    let mut envelope = vec!["source", "frame", "index", "transport", "src", "dst"];
    if o.contains_key("stream_offset") {
        // Only messages from a capture's TCP or WebSocket streams have it.
        assert!(o["stream_offset"].is_u64() && o["frame"].is_u64(), "{o:?}");
        envelope.push("stream_offset");
    }
    if let Some(t) = o.get("time") {
        // Messages from a capture: the capture time, RFC 3339 UTC.
        let t = t.as_str().expect("time is a string");
        assert!(
            t.len() == 27 && t.ends_with('Z') && t.as_bytes()[10] == b'T',
            "{o:?}"
        );
        envelope.push("time");
    }
    if o.get("kind").and_then(Value::as_str) == Some("capture-problem") {
        let mut want = set(&envelope);
        want.extend(["kind", "error"]);
        assert_eq!(keys(o), want, "{o:?}");
        let Value::Object(e) = &o["error"] else {
            panic!("error is not an object: {o:?}")
        };
        assert_eq!(
            keys(e),
            set(&["kind", "offset", "fatal", "detail"]),
            "{o:?}"
        );
        let id = e["kind"].as_str().expect("kind is a string");
        assert!(
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "a kebab-case id: {o:?}"
        );
        let off = e["offset"].as_u64().expect("offset is an int") as usize;
        if let Some(len) = len {
            assert!(off <= len, "offset {off} past the capture ({len}): {o:?}");
        }
        assert!(e["fatal"].is_boolean(), "{o:?}");
        return;
    }
    if o.contains_key("error") {
        assert_eq!(o["kind"], "parse-error", "{o:?}");
        let mut want = set(&envelope);
        want.extend(["kind", "error"]);
        assert_eq!(keys(o), want, "{o:?}");
        let Value::Object(e) = &o["error"] else {
            panic!("error is not an object: {o:?}")
        };
        assert_eq!(keys(e), set(&["kind", "offset", "rule", "detail"]), "{o:?}");
        assert!(e["kind"].as_str().is_some_and(|k| !k.is_empty()), "{o:?}");
        let off = e["offset"].as_u64().expect("offset is an int") as usize;
        if let Some(len) = len {
            assert!(off <= len, "offset {off} past the input ({len}): {o:?}");
        }
        assert!(e["rule"].is_null() || e["rule"].is_string(), "{o:?}");
        if let Some(r) = e["rule"].as_str() {
            assert!(rule_ids().contains(r), "unknown rule {r:?}: {o:?}");
        }
        assert!(e["detail"].as_str().is_some_and(|d| !d.is_empty()), "{o:?}");
        return;
    }
    let kind = o["kind"].as_str().expect("kind is a string");
    let mut findings = o["findings"]
        .as_array()
        .expect("findings is an array")
        .clone();
    assert!(o["method"].is_null() || o["method"].is_string(), "{o:?}");
    let mut want = set(&envelope);
    want.extend(["kind", "method", "findings", "cseq", "call_id"]);
    if let Some(v) = o.get("verdicts") {
        // The role's verdicts, apart; left out when there are none.
        let v = v.as_array().expect("verdicts is an array");
        assert!(!v.is_empty(), "an empty verdicts array is left out: {o:?}");
        for f in v {
            let rule = f["rule"].as_str().expect("rule is a string");
            assert!(
                sip_response::validate::Rule::from_id(rule)
                    .is_some_and(sip_response::validate::is_verdict_rule),
                "not a verdict rule: {f:?}"
            );
        }
        findings.extend(v.iter().cloned());
        want.insert("verdicts");
    }
    for k in ["cseq", "call_id"] {
        assert!(o[k].is_null() || o[k].is_string(), "{o:?}");
    }
    if let Some(r) = o.get("retransmission") {
        // Only a response's, and left out when false.
        assert_eq!(r, &Value::Bool(true), "{o:?}");
        assert_eq!(kind, "response", "{o:?}");
        want.insert("retransmission");
    }
    match kind {
        "response" => {
            want.extend(["code", "reason"]);
            assert!(o["reason"].is_string(), "{o:?}");
            let code = o["code"].as_u64().expect("code is an int");
            assert!((100..=699).contains(&code), "{o:?}");
        }
        "request" => assert!(findings.is_empty(), "a request got findings: {o:?}"),
        other => panic!("kind {other:?}: {o:?}"),
    }
    assert_eq!(keys(o), want, "{o:?}");
    let ids = rule_ids();
    for f in &findings {
        let Value::Object(f) = f else {
            panic!("finding is not an object: {o:?}")
        };
        assert_eq!(
            keys(f),
            set(&["rule", "severity", "cite", "span", "detail"]),
            "{f:?}"
        );
        let rule = f["rule"].as_str().expect("rule is a string");
        assert!(ids.contains(rule), "not a catalogue id: {rule:?}");
        assert!(
            ["error", "warning", "info"].contains(&f["severity"].as_str().unwrap_or("")),
            "{f:?}"
        );
        assert!(
            f["cite"].as_str().is_some_and(|c| c.starts_with("RFC ")),
            "{f:?}"
        );
        assert!(f["detail"].is_string(), "{f:?}");
        match &f["span"] {
            Value::Null => {}
            Value::Array(a) => {
                assert_eq!(a.len(), 2, "{f:?}");
                let (s, e) = (a[0].as_u64().unwrap(), a[1].as_u64().unwrap());
                assert!(s <= e, "{f:?}");
                if let Some(len) = len {
                    assert!(e as usize <= len, "span past the input ({len}): {f:?}");
                }
            }
            other => panic!("span {other:?}"),
        }
    }
}

/// Every finding of every object, as (source, rule, severity).
fn findings(objs: &[Map<String, Value>]) -> Vec<(String, String, String)> {
    records_of(objs, "findings")
}

/// Every verdict of every object, as (source, rule, severity).
fn verdicts(objs: &[Map<String, Value>]) -> Vec<(String, String, String)> {
    records_of(objs, "verdicts")
}

/// The finding records under `key` of every object.
fn records_of(objs: &[Map<String, Value>], key: &str) -> Vec<(String, String, String)> {
    objs.iter()
        .flat_map(|o| {
            let src = o["source"].as_str().unwrap().to_string();
            o.get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(move |f| {
                    (
                        src.clone(),
                        f["rule"].as_str().unwrap().to_string(),
                        f["severity"].as_str().unwrap().to_string(),
                    )
                })
        })
        .collect()
}

/// The files a recursive walk of `dir` should find (the tool skips hidden
/// files and `.md` / `.expect` notes), as paths relative to the crate root.
fn walk(dir: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root().join(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') || name.ends_with(".md") || name.ends_with(".expect") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(root())
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Exit codes

#[test]
fn clean_response_exits_0() {
    let f = Temp::file("clean.sip", CLEAN);
    let text = run(&[f.s()]);
    assert_eq!(text.code, 0, "{text:?}");
    assert_eq!(text.stdout, "", "a clean response prints no finding line");
    assert!(
        text.stderr.contains("1 responses") && text.stderr.contains("0 errors"),
        "{text:?}"
    );
    let json = run(&["--format", "json", f.s()]);
    assert_eq!(json.code, 0, "{json:?}");
    let objs = json.json();
    assert_eq!(objs.len(), 1);
    check_object(&objs[0], Some(CLEAN.len()));
    assert_eq!(objs[0]["kind"], "response");
    assert_eq!(objs[0]["code"], 200);
    assert_eq!(objs[0]["method"], "OPTIONS");
    assert_eq!(objs[0]["source"], f.s());
    assert_eq!(objs[0]["index"], 1);
    assert_eq!(objs[0]["transport"], "udp");
    assert_eq!(objs[0]["findings"], Value::Array(vec![]));
    // Even with every info-level note shown, still nothing.
    let info = run(&["--format", "json", "--min-severity", "info", f.s()]);
    assert_eq!(findings(&info.json()), vec![]);
}

#[test]
fn error_finding_exits_1() {
    let f = Temp::file("405.sip", NO_ALLOW_405);
    let r = run(&[f.s()]);
    assert_eq!(r.code, 1, "{r:?}");
    let lines = r.lines();
    assert!(
        lines.iter().any(|l| l.starts_with(&format!("{}#1 ", f.s()))
            && l.contains(" 405-allow-required ")
            && l.contains(" error ")
            && l.contains("RFC 3261")),
        "{r:?}"
    );
    let j = run(&["--format", "json", f.s()]);
    assert_eq!(j.code, 1);
    let objs = j.json();
    check_object(&objs[0], Some(NO_ALLOW_405.len()));
    assert!(findings(&objs)
        .iter()
        .any(|(_, rule, sev)| rule == "405-allow-required" && sev == "error"));
    // The same response with its Allow back is clean again: the finding is
    // about Allow, not about something else in the message.
    let fixed = String::from_utf8(NO_ALLOW_405.to_vec()).unwrap().replace(
        "CSeq: 1 SUBSCRIBE\r\n",
        "CSeq: 1 SUBSCRIBE\r\nAllow: INVITE, ACK\r\n",
    );
    let g = Temp::file("405-allow.sip", fixed.as_bytes());
    assert_eq!(run(&[g.s()]).code, 0);
}

#[test]
fn framing_error_exits_1_with_located_error_object() {
    // RFC 4475 §3.1.2.19 bigcode: status code 4294967301.
    let path = "samples/rfc4475-bigcode.sip";
    let bytes = std::fs::read(root().join(path)).unwrap();
    let j = run(&["--format", "json", path]);
    assert_eq!(j.code, 1, "{j:?}");
    let objs = j.json();
    assert_eq!(objs.len(), 1);
    check_object(&objs[0], Some(bytes.len()));
    let e = &objs[0]["error"];
    assert_eq!(e["kind"], "status-code-not-3-digits");
    let off = e["offset"].as_u64().unwrap() as usize;
    assert!(bytes[off..].starts_with(b"4294967301"), "offset {off}");
    let t = run(&[path]);
    assert_eq!(t.code, 1);
    assert_eq!(
        t.lines(),
        vec![format!(
            "{path}#1 parse-error status-code-not-3-digits at byte {off} [status-code-not-3-digits]"
        )]
    );
    assert!(t.stderr.contains("1 parse errors"), "{t:?}");
}

#[test]
fn usage_errors_exit_2() {
    let f = Temp::file("clean.sip", CLEAN);
    let cases: &[(&[&str], &str)] = &[
        (&["--no-such-flag", f.s()], "--no-such-flag"),
        (&["--rule", "no-such-rule", f.s()], "no-such-rule"),
        (&["--skip-rule", "no-such-rule", f.s()], "no-such-rule"),
        // Rules that can never report in this run: not checked by
        // validation, or another role's.
        (&["--rule", "401-from-proxy", f.s()], "never runs"),
        (&["--skip-rule", "401-from-proxy", f.s()], "never runs"),
        (&["--format", "xml", f.s()], "xml"),
        (&["--transport", "carrier-pigeon", f.s()], "carrier-pigeon"),
        (&["--min-severity", "fatal", f.s()], "fatal"),
        (&["--own-via", "host:notaport", f.s()], "notaport"),
        (&[], "no input"),
    ];
    for (args, said) in cases {
        let r = run(args);
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert_eq!(r.stdout, "", "{args:?}: a usage error reports nothing");
        assert!(r.stderr.contains(said), "{args:?}: {r:?}");
    }
    // Help and version are not errors.
    assert_eq!(run(&["--help"]).code, 0);
    assert_eq!(run(&["--version"]).code, 0);
}

#[test]
fn unreadable_input_exits_2_and_the_run_goes_on() {
    let good = Temp::file("405.sip", NO_ALLOW_405);
    let clean = Temp::file("clean.sip", CLEAN);
    let missing = Temp::path_for("missing.sip");
    let missing = missing.to_str().unwrap();
    for format in ["text", "json"] {
        let r = run(&["--format", format, missing, good.s(), clean.s()]);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.stderr
                .lines()
                .any(|l| l.starts_with("validate: ") && l.contains(missing)),
            "{r:?}"
        );
        // The other files were still read and reported.
        assert!(r.stdout.contains(good.s()), "{r:?}");
        if format == "json" {
            let objs = r.json();
            let sources: Vec<_> = objs.iter().map(|o| o["source"].clone()).collect();
            assert_eq!(sources, vec![good.s(), clean.s()]);
        } else {
            assert!(r.stderr.contains("1 unreadable inputs"), "{r:?}");
        }
    }
}

#[test]
fn a_capture_format_it_does_not_read_is_named_not_parsed() {
    // A Network Monitor file (a public capture was framed as one SIP
    // message and reported as a broken status line) and a gzipped pcap:
    // each an unreadable input that says what it is and what to do.
    let netmon = Temp::file("c07.cap", b"GMBU\x00\x02\x00\x00 INVITE sip:x SIP/2.0\r\n");
    let pcap = std::fs::read(root().join("tests/data/pcap/sngrep__ipip.pcap")).unwrap();
    let mut gz = vec![0x1f, 0x8b, 8, 0];
    gz.extend_from_slice(&pcap[..64]);
    let gz = Temp::file("ipip.pcap.gz", &gz);
    for (f, says) in [
        (&netmon, "Network Monitor 2.x"),
        (&gz, "zcat FILE | validate -"),
    ] {
        let r = run(&["--format", "json", f.s()]);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(
            r.stderr
                .lines()
                .any(|l| l.contains(f.s()) && l.contains(says)),
            "{r:?}"
        );
        assert!(r.json().is_empty(), "nothing framed: {r:?}");
    }
}

#[test]
fn a_modified_pcap_reads_as_its_standard_twin() {
    // Alexey Kuznetsov's "modified" pcap (magic 0xa1b2cd34, 24-octet
    // record headers): a public capture of it was framed as one SIP
    // message. Built here from a bundled little-endian pcap, it must give
    // what the original gives; the big-endian form, which nothing here
    // reads, is named.
    let orig = root().join("tests/data/pcap/zeek__invalid-content-length.pcap");
    let std_pcap = std::fs::read(&orig).unwrap();
    let mut modified = std_pcap[..24].to_vec();
    modified[..4].copy_from_slice(&0xa1b2_cd34u32.to_le_bytes());
    let mut at = 24;
    while at + 16 <= std_pcap.len() {
        let incl = u32::from_le_bytes(std_pcap[at + 8..at + 12].try_into().unwrap()) as usize;
        modified.extend_from_slice(&std_pcap[at..at + 16]);
        modified.extend_from_slice(&[1, 0, 0, 0, 0x00, 0x08, 0, 0]);
        modified.extend_from_slice(&std_pcap[at + 16..at + 16 + incl]);
        at += 16 + incl;
    }
    let m = Temp::file("modified.pcap", &modified);
    let want = run(&["--format", "json", orig.to_str().unwrap()]);
    let got = run(&["--format", "json", m.s()]);
    assert_eq!(got.code, want.code, "{got:?}");
    // The same records but for the file's name.
    let same = |r: &Run, file: &str| r.stdout.replace(file, "FILE");
    assert_eq!(same(&got, m.s()), same(&want, orig.to_str().unwrap()));
    assert!(got.stdout.contains("\"kind\":\"response\""), "{got:?}");
    let mut be = modified.clone();
    be[..4].copy_from_slice(&0xa1b2_cd34u32.to_be_bytes());
    let be = Temp::file("modified-be.pcap", &be);
    let r = run(&[be.s()]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("big-endian \"modified\" pcap"), "{r:?}");
}

// ---------------------------------------------------------------------------
// JSON Lines over the bundled data

#[test]
fn json_lines_schema_over_samples_and_corpus() {
    for dir in ["samples", "tests/data/fixtures", "tests/data/rfc4475"] {
        let r = run(&["--format", "json", "--min-severity", "info", dir]);
        assert!(r.code == 0 || r.code == 1, "{dir}: {r:?}");
        let objs = r.json();
        let files = walk(dir);
        let (captures, objs): (Vec<_>, Vec<_>) = objs
            .into_iter()
            .partition(|o| o["source"].as_str().unwrap().ends_with(".pcap"));
        for o in &captures {
            // Spans are relative to the message, not known here.
            check_object(o, None);
            assert!(o["frame"].is_u64(), "{o:?}");
        }
        let files: BTreeSet<String> = files
            .into_iter()
            .filter(|f| !f.ends_with(".pcap"))
            .collect();
        assert_eq!(
            objs.len(),
            files.len(),
            "{dir}: one object per message file"
        );
        let mut seen = BTreeSet::new();
        for o in &objs {
            let src = o["source"].as_str().unwrap();
            let len = std::fs::metadata(root().join(src)).unwrap().len() as usize;
            check_object(o, Some(len));
            assert_eq!(o["index"], 1);
            assert_eq!(o["transport"], "udp");
            assert!(o["frame"].is_null() && o["src"].is_null() && o["dst"].is_null());
            seen.insert(src.to_string());
        }
        assert_eq!(seen, files, "{dir}: the walk found every file once");
        let errors = objs.iter().chain(&captures).any(|o| {
            o.contains_key("error")
                || findings(std::slice::from_ref(o))
                    .iter()
                    .any(|(_, _, s)| s == "error")
        });
        assert_eq!(r.code, i32::from(errors), "{dir}: exit code follows errors");
    }
}

#[test]
fn response_fixture_codes_match_their_names() {
    // pcap-extract files are named ..._fNNNNN_CODE.sip.
    let r = run(&["--format", "json", "tests/data/fixtures/pcap-extract"]);
    let objs = r.json();
    assert!(objs.len() >= 20);
    for o in &objs {
        let src = o["source"].as_str().unwrap();
        let code: u64 = src
            .rsplit('_')
            .next()
            .unwrap()
            .trim_end_matches(".sip")
            .parse()
            .unwrap();
        assert_eq!(o["kind"], "response", "{src}");
        assert_eq!(o["code"], code, "{src}");
    }
}

#[test]
fn requests_are_reported_as_requests_without_findings() {
    let path = "tests/data/rfc4475/wsinv.dat";
    let j = run(&["--format", "json", path]);
    assert_eq!(j.code, 0, "{j:?}");
    let objs = j.json();
    assert_eq!(objs.len(), 1);
    check_object(&objs[0], None);
    assert_eq!(objs[0]["kind"], "request");
    assert_eq!(objs[0]["method"], "INVITE");
    assert!(!objs[0].contains_key("code"));
    // The method is the request line's, even where CSeq disagrees (RFC 4475
    // mismatch01: OPTIONS with `CSeq: 8 INVITE`; mismatch02: NEWMETHOD).
    for (file, method) in [("mismatch01", "OPTIONS"), ("mismatch02", "NEWMETHOD")] {
        let p = format!("tests/data/rfc4475/{file}.dat");
        let objs = run(&["--format", "json", &p]).json();
        assert_eq!(objs[0]["kind"], "request", "{file}");
        assert_eq!(objs[0]["method"], method, "{file}");
    }
    let t = run(&[path]);
    assert_eq!(t.code, 0);
    assert_eq!(t.stdout, "");
    assert!(t.stderr.contains("0 responses, 1 requests"), "{t:?}");
}

#[test]
fn tcp_stream_with_pipelined_responses() {
    let mut stream = b"\r\n\r\n".to_vec(); // keep-alives first (RFC 5626 §3.5.1)
    stream.extend_from_slice(CLEAN);
    stream.extend_from_slice(b"\r\n\r\n");
    stream.extend_from_slice(NO_ALLOW_405);
    stream.extend_from_slice(b"\r\n");
    let f = Temp::file("stream.bin", &stream);
    let j = run(&["--format", "json", "--transport", "tcp", f.s()]);
    assert_eq!(j.code, 1, "{j:?}");
    let objs = j.json();
    assert_eq!(objs.len(), 2, "{j:?}");
    for (i, (o, code)) in objs.iter().zip([200, 405]).enumerate() {
        check_object(o, Some(stream.len()));
        assert_eq!(o["index"], i + 1);
        assert_eq!(o["transport"], "tcp");
        assert_eq!(o["code"], code);
    }
    assert_eq!(objs[0]["findings"], Value::Array(vec![]));
    assert_eq!(
        findings(&objs[1..]),
        vec![(f.s().into(), "405-allow-required".into(), "error".into())]
    );
    // Spans index the source (the stream), like framing-error offsets: the
    // 405's spans are those of the same message alone, shifted to where it
    // starts in the stream, and cover the same bytes.
    let start = stream
        .windows(11)
        .position(|w| w == b"SIP/2.0 405")
        .unwrap();
    let alone = Temp::file("alone.sip", NO_ALLOW_405);
    let a = run(&["--format", "json", alone.s()]).json();
    let span = |f: &Value| -> Option<(usize, usize)> {
        let a = f["span"].as_array()?;
        Some((a[0].as_u64()? as usize, a[1].as_u64()? as usize))
    };
    let in_stream = objs[1]["findings"].as_array().unwrap();
    let by_itself = a[0]["findings"].as_array().unwrap();
    assert_eq!(in_stream.len(), by_itself.len());
    for (s, m) in in_stream.iter().zip(by_itself) {
        assert_eq!(s["rule"], m["rule"]);
        match (span(s), span(m)) {
            (Some((s0, s1)), Some((m0, m1))) => {
                assert_eq!((s0, s1), (m0 + start, m1 + start));
                assert_eq!(stream[s0..s1], NO_ALLOW_405[m0..m1]);
            }
            (None, None) => {}
            other => panic!("{other:?}"),
        }
    }

    // A framing error in the second message is located in the stream too.
    let mut bad = CLEAN.to_vec();
    bad.extend_from_slice(&std::fs::read(root().join("samples/rfc4475-bigcode.sip")).unwrap());
    let b = Temp::file("bigcode-stream.bin", &bad);
    let j = run(&["--format", "json", "--transport", "tcp", b.s()]);
    let objs_b = j.json();
    assert_eq!(objs_b.len(), 2, "{j:?}");
    let off = objs_b[1]["error"]["offset"].as_u64().unwrap() as usize;
    assert!(bad[off..].starts_with(b"4294967301"), "{off}");

    // The same bytes as one datagram: a single message with trailing junk
    // or a body, never two.
    let u = run(&["--format", "json", f.s()]);
    assert_eq!(u.json().len(), 1);

    // A stream cut inside its second message: the first is reported, then a
    // truncation error object, and the exit code says so.
    let cut = &stream[..stream.len() - 40];
    let g = Temp::file("cut.bin", cut);
    let j = run(&["--format", "json", "--transport", "tcp", g.s()]);
    assert_eq!(j.code, 1, "{j:?}");
    let objs = j.json();
    assert_eq!(objs.len(), 2, "{j:?}");
    check_object(&objs[1], Some(cut.len()));
    assert_eq!(objs[0]["code"], 200);
    assert_eq!(objs[1]["index"], 2);
    assert_eq!(objs[1]["error"]["kind"], "truncated");

    // A stream that ends inside a body (drachtio's fixture: Content-Length
    // 176 over 174 octets) is the body's truncation, not an unterminated
    // head.
    let mut short = b"SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP a;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=2\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\n".to_vec();
    short.extend_from_slice(b"0123456789");
    let h = Temp::file("short-body.bin", &short);
    let j = run(&["--format", "json", "--transport", "tcp", h.s()]);
    let objs = j.json();
    assert_eq!(objs.len(), 1, "{j:?}");
    assert_eq!(objs[0]["error"]["kind"], "body-truncated", "{j:?}");
    let t = run(&["--transport", "tcp", h.s()]);
    assert!(t.stdout.contains("[content-length-exceeds-body]"), "{t:?}");
}

#[test]
fn a_stream_file_matches_responses_to_its_requests() {
    // An INVITE then its 200 on one TCP stream file: the 200's From tag
    // differs from the request's, which only the request context shows.
    let stream = b"INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/TCP a;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContact: <sip:a@x>\r\nContent-Length: 0\r\n\r\n\
SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP a;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=2\r\nTo: <sip:b@x>;tag=9\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContact: <sip:b@y>\r\nAllow: INVITE\r\nSupported: timer\r\nContent-Length: 0\r\n\r\n";
    let f = Temp::file("invite-200.bin", stream);
    let j = run(&["--format", "json", "--transport", "tcp", f.s()]);
    let objs = j.json();
    assert_eq!(objs.len(), 2, "{j:?}");
    let rules: Vec<&str> = objs[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"copied-headers-mismatch"), "{rules:?}");
    // The same response alone has no request to compare with.
    let at = stream
        .windows(11)
        .position(|w| w == b"SIP/2.0 200")
        .unwrap();
    let alone = &stream[at..];
    let g = Temp::file("200-alone.bin", alone);
    let j = run(&["--format", "json", "--transport", "tcp", g.s()]);
    let objs = j.json();
    assert_eq!(objs.len(), 1, "{j:?}");
    assert_eq!(objs[0]["code"], 200, "{j:?}");
    assert!(!j.stdout.contains("copied-headers-mismatch"), "{j:?}");
}

// ---------------------------------------------------------------------------
// Rule selection

#[test]
fn list_rules_lists_the_whole_catalogue() {
    let catalogue = rules();
    assert_eq!(
        catalogue.len(),
        225,
        "the spec's 220 rules and 5 local rows"
    );

    let t = run(&["--list-rules"]);
    assert_eq!(t.code, 0, "{t:?}");
    let lines = t.lines();
    assert_eq!(lines.len(), catalogue.len());
    for (line, info) in lines.iter().zip(catalogue) {
        assert_eq!(line.split_whitespace().next(), Some(info.id), "{line}");
        assert!(line.contains(info.default_severity.as_str()), "{line}");
        assert!(line.contains(&info.cite.to_string()), "{line}");
        // The file that checks the rule, or "-": the column after the cite.
        let cite = info.cite.to_string();
        let after_cite = &line[line.find(&cite).unwrap() + cite.len()..];
        let file = after_cite.split_whitespace().next();
        let want = if info.file.is_empty() { "-" } else { info.file };
        assert_eq!(file, Some(want), "{line}");
    }
    // A checked rule names its file, e.g. the 405 Allow rule.
    let allow = lines
        .iter()
        .find(|l| l.starts_with("405-allow-required "))
        .unwrap();
    assert!(allow.contains(" src/validate/rules/allow.rs "), "{allow}");

    let j = run(&["--list-rules", "--format", "json"]);
    assert_eq!(j.code, 0);
    let objs = j.json_all();
    assert_eq!(objs.len(), catalogue.len());
    for (o, info) in objs.iter().zip(catalogue) {
        assert_eq!(
            keys(o),
            set(&["id", "severity", "cite", "contexts", "status", "needs", "file", "summary"]),
            "{o:?}"
        );
        let want_file = (!info.file.is_empty()).then_some(info.file);
        assert_eq!(o["file"].as_str(), want_file, "{o:?}");
        assert_eq!(o["id"], info.id);
        assert_eq!(o["severity"], info.default_severity.as_str());
        assert_eq!(o["cite"], info.cite.to_string());
        assert!(o["cite"].as_str().unwrap().starts_with("RFC "), "{o:?}");
        assert_eq!(o["summary"], info.summary);
        let status = o["status"].as_str().unwrap();
        assert!(
            ["checked", "checked-elsewhere", "pending", "needs-state"].contains(&status),
            "{o:?}"
        );
        // `needs` names what is missing, or the API that checks the rule.
        let want_needs = match info.status {
            RuleStatus::NeedsState(what) | RuleStatus::CheckedBy(what) => Some(what),
            _ => None,
        };
        assert_eq!(o["needs"].as_str(), want_needs, "{o:?}");
        assert_eq!(
            status == "checked-elsewhere",
            matches!(info.status, RuleStatus::CheckedBy(_)),
            "{o:?}"
        );
        assert!(o["contexts"].is_array(), "{o:?}");
    }
    let ids: BTreeSet<_> = objs.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), catalogue.len(), "ids are unique");
}

#[test]
fn rule_skip_rule_and_min_severity_filter_findings() {
    let all = run(&["--format", "json", "samples"]).json();
    let base = findings(&all);
    // The samples hold both errors and warnings, so each filter has work.
    assert!(base.iter().any(|(_, r, _)| r == "to-tag-missing"));
    assert!(base.iter().any(|(_, _, s)| s == "warning"));
    let others = base
        .iter()
        .filter(|(_, r, _)| r != "to-tag-missing")
        .count();
    assert!(others > 0);

    let only = run(&["--format", "json", "--rule", "to-tag-missing", "samples"]);
    let got = findings(&only.json());
    assert!(!got.is_empty());
    assert!(got.iter().all(|(_, r, _)| r == "to-tag-missing"), "{got:?}");
    let want: Vec<_> = base
        .iter()
        .filter(|(_, r, _)| r == "to-tag-missing")
        .cloned()
        .collect();
    assert_eq!(got, want);

    // Two --rule flags: the union.
    let two = run(&[
        "--format",
        "json",
        "--rule",
        "to-tag-missing",
        "--rule",
        "content-length-missing-datagram",
        "samples",
    ]);
    let got = findings(&two.json());
    let want: Vec<_> = base
        .iter()
        .filter(|(_, r, _)| r == "to-tag-missing" || r == "content-length-missing-datagram")
        .cloned()
        .collect();
    assert_eq!(got, want);

    let skip = run(&[
        "--format",
        "json",
        "--skip-rule",
        "to-tag-missing",
        "samples",
    ]);
    let got = findings(&skip.json());
    let want: Vec<_> = base
        .iter()
        .filter(|(_, r, _)| r != "to-tag-missing")
        .cloned()
        .collect();
    assert_eq!(got, want);

    let errors = run(&["--format", "json", "--min-severity", "error", "samples"]);
    let got = findings(&errors.json());
    let want: Vec<_> = base
        .iter()
        .filter(|(_, _, s)| s == "error")
        .cloned()
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);

    // A response whose only finding is a warning exits 0.
    let w = Temp::file(
        "heplify.sip",
        &std::fs::read(root().join("samples/heplify__ipip0__f00002_403.sip")).unwrap(),
    );
    let r = run(&["--format", "json", w.s()]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        findings(&r.json()),
        vec![(
            w.s().into(),
            "content-length-missing-datagram".into(),
            "warning".into()
        )]
    );
    let r = run(&["--min-severity", "error", w.s()]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    // Selecting away the only error turns exit 1 into 0.
    let f = Temp::file("405.sip", NO_ALLOW_405);
    assert_eq!(run(&[f.s()]).code, 1);
    assert_eq!(run(&["--skip-rule", "405-allow-required", f.s()]).code, 0);
}

// ---------------------------------------------------------------------------
// Inputs and text output

#[test]
fn directory_is_walked_recursively() {
    let top = Temp::dir("tree");
    let deep = top.0.join("a").join("b");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::write(top.0.join("one.sip"), CLEAN).unwrap();
    std::fs::write(deep.join("two.sip"), NO_ALLOW_405).unwrap();
    std::fs::write(top.0.join("notes.md"), b"not a message").unwrap();
    std::fs::write(top.0.join(".hidden"), b"not a message").unwrap();
    std::fs::write(deep.join("tcpdump.log"), b"listening on eth0\n").unwrap();
    let cap = std::fs::read(root().join("tests/data/pcap/sngrep__ipip.pcap")).unwrap();
    // A capture is known by its magic number, whatever its name.
    std::fs::write(deep.join("ring-buffer.0001"), &cap).unwrap();
    let r = run(&["--format", "json", top.s()]);
    assert_eq!(r.code, 1, "{r:?}");
    // What it passed over is said, and is not an error.
    assert!(
        r.stderr.contains("skipped 2 files")
            && r.stderr.contains("notes.md")
            && r.stderr.contains("tcpdump.log")
            && !r.stderr.contains(".hidden"),
        "{r:?}"
    );
    let sources: BTreeSet<_> = r
        .json()
        .iter()
        .map(|o| PathBuf::from(o["source"].as_str().unwrap()))
        .collect();
    let want: BTreeSet<_> = [
        top.0.join("one.sip"),
        deep.join("two.sip"),
        deep.join("ring-buffer.0001"),
    ]
    .into();
    assert_eq!(sources, want);
    std::fs::remove_file(deep.join("ring-buffer.0001")).unwrap();

    // An entry that cannot be read (a dangling symlink) is reported, the
    // rest of the walk goes on, and the exit code says so.
    #[cfg(unix)]
    {
        let dangling = top.0.join("a").join("gone.sip");
        std::os::unix::fs::symlink(top.0.join("nowhere"), &dangling).unwrap();
        let r = run(&["--format", "json", top.s()]);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(r.stderr.contains(dangling.to_str().unwrap()), "{r:?}");
        assert_eq!(r.json().len(), 2, "{r:?}");
    }
}

#[test]
fn dash_reads_stdin() {
    let r = run_with(&["--format", "json", "-"], Some(NO_ALLOW_405));
    assert_eq!(r.code, 1, "{r:?}");
    let objs = r.json();
    assert_eq!(objs.len(), 1);
    check_object(&objs[0], Some(NO_ALLOW_405.len()));
    assert_eq!(objs[0]["source"], "-");
    assert_eq!(objs[0]["code"], 405);
    let r = run_with(&["-"], Some(CLEAN));
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{r:?}");
    // A stream on stdin.
    let mut two = CLEAN.to_vec();
    two.extend_from_slice(CLEAN);
    let r = run_with(&["--format", "json", "--transport", "tls", "-"], Some(&two));
    let objs = r.json();
    assert_eq!(objs.len(), 2, "{r:?}");
    assert_eq!(objs[1]["index"], 2);
    assert_eq!(objs[1]["transport"], "tls");
}

/// A folded CSeq (gosip's folding test, `tests/data/stacks`) and a reason
/// phrase holding an escape byte: each finding stays one text line, and
/// the label and the JSON fields read the fold as one SP.
#[test]
fn labels_stay_on_one_line() {
    let msg = b"SIP/2.0 200 O\x1bK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nCSeq:   2     \r\n    INVITE\r\nCall-ID:\tx\r\n\r\n";
    let r = run_with(&["-"], Some(msg));
    assert_eq!(r.code, 1, "{r:?}");
    let lines: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("-#1 ")).collect();
    assert!(lines.len() >= 2, "{r:?}");
    for l in lines {
        assert!(
            l.contains("{200 O\u{FFFD}K; CSeq 2 INVITE; Call-ID x}"),
            "{l}"
        );
    }
    let r = run_with(&["--format", "json", "-"], Some(msg));
    let objs = r.json();
    assert_eq!(objs[0]["cseq"], "2 INVITE", "{r:?}");
    assert_eq!(objs[0]["call_id"], "x", "{r:?}");
    assert_eq!(objs[0]["reason"], "O\u{1b}K", "{r:?}");
}

#[test]
fn text_lines_match_json_findings_without_colour() {
    let t = run(&["--min-severity", "info", "samples"]);
    let j = run(&["--format", "json", "--min-severity", "info", "samples"]);
    assert_eq!(t.code, j.code);
    assert!(!t.stdout.contains('\x1b'), "ANSI colour on a pipe");
    assert!(!t.stderr.contains('\x1b'), "ANSI colour on a pipe");
    let objs = j.json();
    let mut want = Vec::new();
    for o in &objs {
        let src = o["source"].as_str().unwrap();
        let idx = o["index"].as_u64().unwrap();
        // A message of a capture is located by packet, time, transport
        // and addresses too.
        let mut here = match (&o["frame"], o["src"].as_str(), o["dst"].as_str()) {
            (Value::Number(f), Some(a), Some(b)) => format!(
                "{src}#{idx} [packet {f} {} {} {a} -> {b}]",
                o["time"].as_str().unwrap(),
                o["transport"].as_str().unwrap().to_ascii_uppercase()
            ),
            _ => format!("{src}#{idx}"),
        };
        // A response's findings say which call: status, CSeq, Call-ID.
        if o.get("kind").and_then(Value::as_str) == Some("response") {
            let mut call = vec![format!("{} {}", o["code"], o["reason"].as_str().unwrap())
                .trim_end()
                .to_string()];
            if let Some(c) = o["cseq"].as_str() {
                call.push(format!("CSeq {c}"));
            }
            if let Some(c) = o["call_id"].as_str() {
                call.push(format!("Call-ID {c}"));
            }
            if o.get("retransmission") == Some(&Value::Bool(true)) {
                call.push("retransmission".to_string());
            }
            here = format!("{here} {{{}}}", call.join("; "));
        }
        if o.get("kind").and_then(Value::as_str) == Some("capture-problem") {
            want.push(format!("{here} capture-problem"));
        } else if let Some(e) = o.get("error") {
            want.push(format!(
                "{here} parse-error {} at byte {}",
                e["kind"].as_str().unwrap(),
                e["offset"]
            ));
        }
        for f in o
            .get("findings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            want.push(format!(
                "{here} {} {} {}",
                f["rule"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["cite"].as_str().unwrap()
            ));
        }
    }
    let lines = t.lines();
    assert_eq!(lines.len(), want.len(), "one text line per finding\n{t:?}");
    for (line, w) in lines.iter().zip(&want) {
        assert!(line.starts_with(w.as_str()), "{line:?} vs {w:?}");
    }
    // The per-rule summary that follows says the same as the JSON one.
    let summary: Vec<_> = j.summary()["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let f = &r["first"];
            let first = match f["frame"].as_u64() {
                Some(n) => format!(
                    "{}#{} [packet {n}]",
                    f["source"].as_str().unwrap(),
                    f["index"]
                ),
                None => format!("{}#{}", f["source"].as_str().unwrap(), f["index"]),
            };
            (
                r["rule"].as_str().unwrap().to_string(),
                r["severity"].as_str().unwrap().to_string(),
                r["count"].as_u64().unwrap() as usize,
                first,
            )
        })
        .collect();
    assert_eq!(t.summary_lines(), summary);
    assert!(!summary.is_empty());
}

#[test]
fn closed_stdout_ends_the_run_quietly() {
    // `validate ... | head -1`: the reader goes away. The tool must not
    // panic on EPIPE (what `println!` does); it stops with exit code 0. Each
    // run writes well over a pipe buffer (64 KiB), so it cannot finish
    // before the read end is closed, however the threads are scheduled.
    let json: Vec<&str> = ["--format", "json"]
        .into_iter()
        .chain(std::iter::repeat_n("tests/data/fixtures", 20))
        .collect();
    let text: Vec<&str> = std::iter::once("--min-severity=info")
        .chain(std::iter::repeat_n("tests/data/fixtures", 50))
        .collect();
    for args in [&json[..], &text[..]] {
        let mut child = Command::new(exe())
            .args(args)
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // close the read end at once
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn failed_write_to_stdout_exits_2() {
    // /dev/full: every write fails with ENOSPC, an I/O error.
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let out = Command::new(exe())
        .args(["--list-rules"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("writing to stdout"), "{stderr}");
}

#[test]
fn transport_selects_the_content_length_rules() {
    // A 403 without Content-Length (RFC 3261 §18.3, §20.14).
    let path = "samples/heplify__ipip0__f00002_403.sip";
    let len = std::fs::metadata(root().join(path)).unwrap().len() as usize;
    for (transport, code, rule) in [
        // Datagrams: the body runs to the end of the packet (SHOULD).
        (
            "udp",
            0,
            Some(("content-length-missing-datagram", "warning")),
        ),
        (
            "sctp",
            0,
            Some(("content-length-missing-datagram", "warning")),
        ),
        // WebSocket frames messages itself (RFC 7118 §5): nothing to say.
        ("ws", 0, None),
        ("wss", 0, None),
    ] {
        let r = run(&["--format", "json", "--transport", transport, path]);
        assert_eq!(r.code, code, "{transport}: {r:?}");
        let objs = r.json();
        check_object(&objs[0], Some(len));
        assert_eq!(objs[0]["transport"], transport);
        let want: Vec<_> = rule
            .map(|(r, s)| (path.to_string(), r.to_string(), s.to_string()))
            .into_iter()
            .collect();
        assert_eq!(findings(&objs), want, "{transport}");
    }
    // Streams: the message cannot be framed at all (MUST), an error object.
    for transport in ["tcp", "tls"] {
        let r = run(&["--format", "json", "--transport", transport, path]);
        assert_eq!(r.code, 1, "{transport}: {r:?}");
        let objs = r.json();
        assert_eq!(objs.len(), 1);
        check_object(&objs[0], Some(len));
        assert_eq!(objs[0]["error"]["rule"], "content-length-missing-stream");
    }
}

#[test]
fn role_rules_judge_only_what_reaches_the_element_in_a_capture() {
    // Kamailio at 127.0.0.1:5064 between two baresip agents, both hops
    // captured. As that proxy, the responses it received from bob (to
    // 5064) are its to judge; the 100 it made itself and the copies it
    // sent upstream (from 5064) are not: no `100-not-forwarded`, no
    // `via-top-not-ours` on them (a helper's review found both).
    let path = "tests/data/real-ua/pcap/kam_proxied_call.pcap";
    let rules = |own: &str| -> Vec<String> {
        let r = run(&[
            "--format",
            "json",
            "--role",
            "proxy",
            "--own-via",
            own,
            path,
        ]);
        let objs = r.json();
        findings(&objs)
            .into_iter()
            .chain(verdicts(&objs))
            .map(|(_, r, _)| r)
            .collect()
    };
    let ours = rules("127.0.0.1:5064");
    assert!(
        !ours
            .iter()
            .any(|r| r == "via-top-not-ours" || r == "100-not-forwarded"),
        "{ours:?}"
    );
    // Claiming bob's port instead: what reaches 5070 is requests only, and
    // the responses to 5064 are someone else's hop now.
    let theirs = rules("127.0.0.1:5070");
    assert!(
        !theirs.iter().any(|r| r == "via-top-not-ours"),
        "{theirs:?}"
    );
    // A name cannot be told from an address: every response is judged,
    // as before (the upstream copies' top Via is not this name).
    let named = rules("proxy.invalid");
    assert!(named.iter().any(|r| r == "via-top-not-ours"), "{named:?}");
}

#[test]
fn role_and_own_via() {
    // A 100 Trying: a proxy about to forward it gets the verdict "do not
    // forward" (RFC 3261 §16.7 step 5: a 100 is never forwarded), apart
    // from the findings; the 100 itself is not broken, so the exit code
    // stays 0 (spec row: it never marks the 100 as malformed).
    let path = "samples/ndpi__FAX-Call-t38-CA-TDM-SIP-FB-1__f00025_100.sip";
    let run_as = |role: &str| run(&["--format", "json", "--role", role, path]);
    let ids = |v: Vec<(String, String, String)>| -> Vec<String> {
        v.into_iter().map(|(_, r, _)| r).collect()
    };
    for role in ["observer", "uac"] {
        let objs = run_as(role).json();
        assert!(verdicts(&objs).is_empty(), "{role}: {objs:?}");
        assert!(!ids(findings(&objs)).contains(&"100-not-forwarded".to_string()));
    }
    let proxy = run_as("proxy");
    let objs = proxy.json();
    assert_eq!(ids(verdicts(&objs)), ["100-not-forwarded"], "{objs:?}");
    assert!(!ids(findings(&objs)).contains(&"100-not-forwarded".to_string()));
    assert_eq!(proxy.summary()["verdicts"], 1, "{proxy:?}");
    assert_eq!(run(&["--role", "observer", path]).code, 0);
    let text = run(&["--role", "proxy", path]);
    assert_eq!(text.code, 0, "{text:?}");
    assert!(
        text.stdout.contains(" 100-not-forwarded verdict RFC 3261"),
        "{text:?}"
    );
    assert!(text.stderr.contains("1 verdicts of the role"), "{text:?}");
    // A stateless proxy forwards the 100 (RFC 3261 §16.11); --stateless
    // describes a proxy only.
    let stateless = run(&["--format", "json", "--role", "proxy", "--stateless", path]);
    assert!(verdicts(&stateless.json()).is_empty(), "{stateless:?}");
    let r = run(&["--stateless", path]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--stateless"), "{r:?}");
    // --own-via takes HOST, HOST:PORT and [IPv6]:PORT, repeatable.
    let ok = run(&[
        "--own-via",
        "p1.example.com",
        "--own-via",
        "192.0.2.1:5070",
        "--own-via",
        "[2001:db8::1]:5060",
        "--own-via",
        "[2001:db8::2]",
        path,
    ]);
    assert_eq!(ok.code, 0, "{ok:?}");
    for bad in ["[2001:db8::1", "[::1]x", "[::1]:port", "host:70000"] {
        let r = run(&["--own-via", bad, path]);
        assert_eq!(r.code, 2, "{bad}: {r:?}");
        assert!(r.stderr.contains("--own-via"), "{bad}: {r:?}");
        assert_eq!(r.stdout, "");
    }
}

// ---------------------------------------------------------------------------
// Captures

#[test]
fn captures_give_each_message_its_transport_addresses_and_request() {
    // Two requests and two responses over TCP, one leg inside IP-in-IP;
    // the responder rewrote From and To (a synthetic test capture).
    let r = run(&["--format", "json", "tests/data/pcap/sngrep__ipip.pcap"]);
    assert_eq!(r.code, 1, "{r:?}");
    let objs = r.json();
    assert_eq!(objs.len(), 4, "{r:?}");
    for o in &objs {
        check_object(o, None);
        assert_eq!(o["transport"], "tcp", "{o:?}");
        assert!(o["frame"].is_u64() && o["stream_offset"].is_u64(), "{o:?}");
        assert!(o["src"].as_str().unwrap().contains(':'), "{o:?}");
    }
    let kinds: Vec<_> = objs.iter().map(|o| o["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["request", "response", "response", "request"]);
    // Only a matched request can tell that the copies differ.
    let rules: BTreeSet<_> = findings(&objs).into_iter().map(|(_, r, _)| r).collect();
    assert!(rules.contains("copied-headers-mismatch"), "{rules:?}");

    // WebSocket messages keep their transport.
    let r = run(&[
        "--format",
        "json",
        "tests/data/pcap/heplifyv1__sip_tcp_websocket.pcap",
    ]);
    let objs = r.json();
    assert_eq!(
        objs.len(),
        15 + 24,
        "TShark counts 15 requests, 24 responses"
    );
    assert!(objs.iter().any(|o| o["transport"] == "ws"));
    assert!(objs.iter().any(|o| o["transport"] == "udp"));
}

#[test]
fn damaged_capture_is_reported_and_what_precedes_the_damage_is_kept() {
    let whole = std::fs::read(root().join("tests/data/pcap/sngrep__aaa.pcap")).unwrap();
    // Cut inside a record: the walk cannot go on after it.
    let f = Temp::file("cut.pcap", &whole[..whole.len() / 2 + 7]);
    let r = run(&["--format", "json", f.s()]);
    assert!(
        r.code == 0 || r.code == 1,
        "a damaged capture is not an I/O error: {r:?}"
    );
    let objs = r.json();
    let last = objs.last().unwrap();
    assert_eq!(last["kind"], "capture-problem", "{last:?}");
    assert_eq!(last["error"]["fatal"], true, "{last:?}");
    assert!(last["transport"].is_null(), "{last:?}");
    assert!(last["error"]["offset"].as_u64().unwrap() <= whole.len() as u64 / 2 + 7);
    let messages = objs
        .iter()
        .filter(|o| o["kind"] != "capture-problem")
        .count();
    assert!(
        messages > 20,
        "the messages before the cut are validated: {messages}"
    );
    let t = run(&[f.s()]);
    assert!(t.stderr.contains("1 capture problems"), "{t:?}");
}

// ---------------------------------------------------------------------------
// Live

/// Reads stdout lines of `child` on a thread, so that a test can wait for
/// the next one with a deadline.
fn line_reader(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

#[test]
fn retransmitted_responses_are_marked() {
    // The same 200 three times (a UAS retransmitting it until the ACK,
    // RFC 3261 §13.3.1.4), then a 486 to another INVITE: the copies are
    // marked, the first and the other response are not.
    use capture_builders::{response, udp, Pcap, UAC, UAS};
    let mut cap = Pcap::ethernet();
    for _ in 0..3 {
        cap.add(&udp(UAS, UAC, &response(200, 1, "")));
    }
    cap.add(&udp(UAS, UAC, &response(486, 2, "")));
    let c = Temp::file("retransmitted.pcap", &cap.buf);
    let j = run(&["--format", "json", c.s()]);
    let marks: Vec<(u64, bool)> = j
        .json()
        .iter()
        .filter(|o| o["kind"] == "response")
        .map(|o| {
            (
                o["frame"].as_u64().unwrap(),
                o.get("retransmission") == Some(&Value::Bool(true)),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [(1, false), (2, true), (3, true), (4, false)],
        "{j:?}"
    );
    // Text: the 200 has no Contact (2xx-dialog-contact), on each copy;
    // the copies say what they are.
    let t = run(&[c.s()]);
    let labels: Vec<bool> = t
        .stdout
        .lines()
        .filter(|l| l.contains("} 2xx-dialog-contact"))
        .map(|l| l.contains("; retransmission}"))
        .collect();
    assert_eq!(labels, [false, true, true], "{t:?}");
}

#[test]
fn a_capture_on_a_pipe_is_reported_as_it_arrives() {
    use capture_builders::{response, udp, Pcap, UAC, UAS};
    let mut cap = Pcap::ethernet();
    cap.add(&udp(UAS, UAC, &response(200, 1, "")));
    let half = cap.buf.len();
    cap.add(&udp(UAS, UAC, &response(486, 2, "")));
    let mut child = Command::new(exe())
        .args(["--format", "json", "-"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn validate");
    let lines = line_reader(&mut child);
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&cap.buf[..half]).unwrap();
    stdin.flush().unwrap();
    // The first packet's result comes while the pipe is still open and
    // the second half unsent (a generous deadline for a loaded machine:
    // this is about order, not speed).
    let first = lines
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the first result before the rest of the capture");
    let first: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(
        (first["frame"].as_u64(), first["code"].as_u64()),
        (Some(1), Some(200))
    );
    stdin.write_all(&cap.buf[half..]).unwrap();
    drop(stdin);
    let rest: Vec<String> = lines.iter().collect();
    assert!(child.wait().unwrap().code().is_some());
    let second: Value = serde_json::from_str(&rest[0]).unwrap();
    assert_eq!(
        (second["frame"].as_u64(), second["code"].as_u64()),
        (Some(2), Some(486))
    );
}

#[test]
fn hep_listener_audits_what_agents_send_live() {
    use capture_builders::{hep2, hep3, request, response, UAC, UAS};
    let mut child = Command::new(exe())
        .args(["--format", "json", "--hep-listen", "127.0.0.1:0"])
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn validate");
    // The port it got, from its first stderr line.
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut err, &mut first).unwrap();
    let addr = first
        .trim()
        .rsplit(' ')
        .next()
        .and_then(|a| a.parse::<std::net::SocketAddr>().ok())
        .unwrap_or_else(|| panic!("no address in {first:?}"));
    let lines = line_reader(&mut child);
    let agent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let wait = std::time::Duration::from_secs(60);
    let mut got = Vec::new();
    // A request, its response (HEP3, as heplify and Kamailio send), a
    // HEPv2 response and a damaged HEP3 packet; one at a time, each result
    // read before the next is sent: a live audit.
    let mut damaged = hep3(UAS, UAC, 17, 0, 0, &response(200, 9, ""));
    damaged[10] = 0xff;
    for packet in [
        hep3(UAC, UAS, 17, 1_700_000_000, 0, &request()),
        hep3(UAS, UAC, 17, 1_700_000_000, 5_000, &response(405, 1, "")),
        hep2(UAS, UAC, 6, 1_700_000_001, 0, &response(200, 2, "")),
        damaged,
    ] {
        agent.send_to(&packet, addr).unwrap();
        let line = lines.recv_timeout(wait).expect("a result for each packet");
        got.push(serde_json::from_str::<Map<String, Value>>(&line).unwrap());
    }
    // Interrupted, it ends as any run does: the summary record, then the
    // exit code of what it found (the 405 is an error).
    let pid = child.id().to_string();
    let signalled = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(signalled.success());
    let rest: Vec<String> = lines.iter().collect();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{rest:?}");
    assert_eq!(rest.len(), 1, "{rest:?}");
    let summary: Map<String, Value> = serde_json::from_str(&rest[0]).unwrap();
    check_summary(&summary);
    assert_eq!(
        (summary["responses"].as_u64(), summary["requests"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(summary["capture_problems"], 1);
    for o in &got {
        check_object(o, None);
    }
    assert_eq!(got[0]["kind"], "request");
    assert_eq!(got[0]["src"], "10.0.0.2:40000");
    assert_eq!(got[1]["code"], 405);
    assert_eq!(
        (got[1]["src"].as_str(), got[1]["transport"].as_str()),
        (Some("10.0.0.1:5060"), Some("udp"))
    );
    assert_eq!(got[1]["time"], "2023-11-14T22:13:20.005000Z");
    // Validated like any other response: a 405 without Allow.
    let rules: Vec<_> = got[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].clone())
        .collect();
    assert!(
        rules.contains(&Value::from("405-allow-required")),
        "{:?}",
        got[1]
    );
    assert_eq!(
        (got[2]["code"].as_u64(), got[2]["transport"].as_str()),
        (Some(200), Some("tcp"))
    );
    assert_eq!(got[3]["kind"], "capture-problem");
    assert_eq!(got[3]["frame"], 4);
}

// ---------------------------------------------------------------------------
// The operator's report

#[test]
fn summary_alone_and_at_the_end() {
    let path = "tests/data/pcap/sngrep__aaa.pcap";
    let j = run(&["--format", "json", path]);
    let objs = j.json();
    let summary = j.summary();
    // The totals count what the records say.
    let responses = objs.iter().filter(|o| o["kind"] == "response").count();
    assert_eq!(summary["responses"].as_u64(), Some(responses as u64));
    let mut per_rule = std::collections::BTreeMap::new();
    let mut first = std::collections::BTreeMap::new();
    for o in &objs {
        for f in o["findings"].as_array().unwrap() {
            let rule = f["rule"].as_str().unwrap().to_string();
            *per_rule.entry(rule.clone()).or_insert(0u64) += 1;
            first.entry(rule).or_insert(o["frame"].as_u64().unwrap());
        }
    }
    for r in summary["rules"].as_array().unwrap() {
        let rule = r["rule"].as_str().unwrap();
        assert_eq!(r["count"].as_u64(), per_rule.get(rule).copied(), "{r:?}");
        assert_eq!(
            r["first"]["frame"].as_u64(),
            first.get(rule).copied(),
            "{r:?}"
        );
    }
    assert_eq!(summary["rules"].as_array().unwrap().len(), per_rule.len());
    // --summary: only that record (JSON), only the table (text).
    let s = run(&["--format", "json", "--summary", path]);
    assert_eq!(s.code, j.code);
    assert_eq!(s.json_all().len(), 1, "{s:?}");
    assert_eq!(s.summary(), summary);
    let t = run(&["--summary", path]);
    assert!(t.lines().is_empty(), "{t:?}");
    assert_eq!(t.summary_lines().len(), per_rule.len(), "{t:?}");
    assert!(
        t.stderr.contains(&format!("{responses} responses")),
        "{t:?}"
    );
}

#[test]
fn each_finding_names_its_call_and_the_filters_find_it() {
    let path = "tests/data/pcap/sngrep__aaa.pcap";
    let all = run(&["--format", "json", path]).json();
    let resp = all
        .iter()
        .find(|o| o["kind"] == "response" && !o["findings"].as_array().unwrap().is_empty())
        .unwrap();
    let call_id = resp["call_id"].as_str().expect("a Call-ID");
    assert!(
        resp["cseq"].as_str().is_some_and(|c| c.contains(' ')),
        "{resp:?}"
    );
    assert!(
        resp["reason"].as_str().is_some_and(|r| !r.is_empty()),
        "{resp:?}"
    );
    assert!(
        resp["time"].as_str().is_some_and(|t| t.starts_with("20")),
        "{resp:?}"
    );
    // --call-id: that call only, every message of it.
    let only = run(&["--format", "json", "--call-id", call_id, path]).json();
    let want = all.iter().filter(|o| o["call_id"] == call_id).count();
    assert!(want >= 2 && only.len() == want, "{} of {want}", only.len());
    assert!(only.iter().all(|o| o["call_id"] == call_id));
    // The text line carries it too.
    let t = run(&["--call-id", call_id, path]);
    assert!(!t.lines().is_empty());
    assert!(
        t.lines()
            .iter()
            .all(|l| l.contains(&format!("Call-ID {call_id}}}"))),
        "{t:?}"
    );
    // --addr: either end, with or without a port.
    let src = resp["src"].as_str().unwrap();
    let ip = src.rsplit_once(':').unwrap().0;
    for filter in [src, ip] {
        let got = run(&["--format", "json", "--addr", filter, path]).json();
        assert!(!got.is_empty());
        assert!(
            got.iter().all(|o| {
                let ends = [o["src"].as_str().unwrap(), o["dst"].as_str().unwrap()];
                ends.iter()
                    .any(|e| *e == filter || e.rsplit_once(':').unwrap().0 == filter)
            }),
            "{filter}"
        );
        assert!(got.len() < all.len() || filter == ip, "{filter}");
    }
    let none = run(&["--format", "json", "--addr", "203.0.113.9", path]);
    assert!(none.json().is_empty());
    assert_eq!(run(&["--addr", "not-an-address", path]).code, 2);
}

#[test]
fn requests_are_forgotten_on_capture_time() {
    // The responses of this capture come after their requests: matched
    // with the default 32 s, forgotten with a 0 s transaction timeout.
    let path = "tests/data/pcap/sngrep__ipip.pcap";
    let rules = |extra: &[&str]| -> BTreeSet<String> {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        args.push(path);
        findings(&run(&args).json())
            .into_iter()
            .map(|(_, r, _)| r)
            .collect()
    };
    assert!(rules(&[]).contains("copied-headers-mismatch"));
    assert!(!rules(&["--transaction-timeout", "0"]).contains("copied-headers-mismatch"));
    assert_eq!(run(&["--transaction-timeout", "-1", path]).code, 2);
}

#[test]
fn color_is_asked_for_or_follows_the_terminal() {
    let f = Temp::file("405-color.sip", NO_ALLOW_405);
    let always = run(&["--color", "always", f.s()]);
    assert!(always.stdout.contains("\x1b[31m"), "{always:?}");
    // On a pipe, auto gives none, as does never.
    for args in [
        &["--color", "auto", f.s()][..],
        &["--color", "never", f.s()],
    ] {
        let r = run(args);
        assert!(!r.stdout.contains('\x1b') && r.code == 1, "{args:?}: {r:?}");
    }
    // JSON is never coloured.
    let j = run(&["--color", "always", "--format", "json", f.s()]);
    assert!(!j.stdout.contains('\x1b'));
    assert_eq!(run(&["--color", "sometimes", f.s()]).code, 2);
}

// ---------------------------------------------------------------------------
// Transaction rules (capture mode)

/// A pcapng of `(milliseconds, from the UAC?, message)` on UDP between
/// capture_builders' UAC and UAS.
fn txn_capture(steps: &[(u64, bool, String)]) -> Vec<u8> {
    use capture_builders::{udp, Pcapng, UAC, UAS};
    let mut cap = Pcapng::new(&[1]);
    for (ms, from_uac, text) in steps {
        let (src, dst) = if *from_uac { (UAC, UAS) } else { (UAS, UAC) };
        cap.add(
            0,
            1_700_000_000_000_000 + ms * 1000,
            &udp(src, dst, text.as_bytes()),
        );
    }
    cap.buf
}

/// A message of one INVITE (or `method`) transaction from the UAC at
/// 10.0.0.2:40000: `start` is the start line, `to_tag` the To tag (or "").
fn txn_msg(start: &str, method: &str, to_tag: &str, extra: &str) -> String {
    let tag = if to_tag.is_empty() {
        String::new()
    } else {
        format!(";tag={to_tag}")
    };
    format!(
        "{start}\r\nVia: SIP/2.0/UDP 10.0.0.2:40000;branch=z9hG4bK-t1\r\n\
         From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>{tag}\r\n\
         Call-ID: txn@example.com\r\nCSeq: 1 {method}\r\nMax-Forwards: 70\r\n{extra}\
         Content-Length: 0\r\n\r\n"
    )
}

#[test]
fn two_final_responses_to_one_invite_are_reported_in_capture_mode() {
    // The Kamailio case of the issue: two 477s with different To tags to
    // one INVITE (same Call-ID, CSeq and branch).
    let invite = txn_msg("INVITE sip:b@example.com SIP/2.0", "INVITE", "", "");
    let trying = txn_msg("SIP/2.0 100 Trying", "INVITE", "", "");
    let first = txn_msg("SIP/2.0 477 Unfortunately", "INVITE", "a", "");
    let second = txn_msg("SIP/2.0 477 Unfortunately", "INVITE", "b", "");
    let bad = Temp::file(
        "two-finals.pcapng",
        &txn_capture(&[
            (0, true, invite.clone()),
            (5, false, trying.clone()),
            (10, false, first.clone()),
            (20, false, second),
        ]),
    );
    let j = run(&["--format", "json", bad.s()]);
    let per_message: Vec<(Option<u64>, Vec<String>)> = j
        .json()
        .iter()
        .filter(|o| o["kind"] == "response")
        .map(|o| {
            let rules = o["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["rule"].as_str().unwrap().to_string())
                .filter(|r| r == "final-response-multiple")
                .collect();
            (o["frame"].as_u64(), rules)
        })
        .collect();
    assert_eq!(
        per_message,
        [
            (Some(2), vec![]),
            (Some(3), vec![]),
            (Some(4), vec!["final-response-multiple".to_string()])
        ]
    );
    let f = j
        .json()
        .into_iter()
        .flat_map(|o| o["findings"].as_array().cloned().unwrap_or_default())
        .find(|f| f["rule"] == "final-response-multiple")
        .unwrap();
    // The same fields as any finding, with the status code as its span.
    assert_eq!(f["severity"], "error");
    assert!(f["cite"].as_str().unwrap().contains("RFC 3261 §17.2.1"));
    assert_eq!(f["span"], serde_json::json!([8, 11]), "{f:?}");
    let summary = j.summary();
    assert!(summary["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["rule"] == "final-response-multiple" && r["count"] == 1));
    assert_eq!(summary["transactions"]["peak"], 1);
    assert_eq!(j.code, 1);
    // Text: a line like any other, and the summary row.
    let t = run(&["--color", "never", bad.s()]);
    assert!(
        t.lines().iter().any(|l| l.contains("[packet 4 ")
            && l.contains(" final-response-multiple error RFC 3261 §17.2.1")),
        "{t:?}"
    );
    assert!(
        t.stderr.contains("transaction state: at most 1 of 100000"),
        "{t:?}"
    );
    // The policy applies to them as to the others.
    let skipped = run(&[
        "--format",
        "json",
        "--skip-rule",
        "final-response-multiple",
        bad.s(),
    ]);
    assert!(!skipped.stdout.contains("final-response-multiple"));
    let only = run(&[
        "--format",
        "json",
        "--rule",
        "final-response-multiple",
        bad.s(),
    ]);
    assert_eq!(only.summary()["findings"]["error"], 1);

    // A retransmission of the same final is fine.
    let good = Temp::file(
        "one-final.pcapng",
        &txn_capture(&[
            (0, true, invite),
            (5, false, trying),
            (10, false, first.clone()),
            (510, false, first),
        ]),
    );
    let g = run(&[
        "--format",
        "json",
        "--rule",
        "final-response-multiple",
        good.s(),
    ]);
    assert_eq!(g.summary()["findings"]["error"], 0, "{g:?}");
}

#[test]
fn rules_that_need_the_request_say_so_once_in_the_summary() {
    let options = txn_msg("OPTIONS sip:b@example.com SIP/2.0", "OPTIONS", "", "");
    let trying = txn_msg("SIP/2.0 100 Trying", "OPTIONS", "", "");
    // With the request 100 ms before: too early over UDP (RFC 4320 §4.1).
    let early = Temp::file(
        "early-100.pcapng",
        &txn_capture(&[(0, true, options.clone()), (100, false, trying.clone())]),
    );
    let j = run(&["--format", "json", early.s()]);
    assert!(findings(&j.json())
        .iter()
        .any(|(_, r, s)| r == "100-non-invite-udp-early" && s == "error"));
    // 4 s after it: fine.
    let late = Temp::file(
        "late-100.pcapng",
        &txn_capture(&[(0, true, options), (4000, false, trying.clone())]),
    );
    let j = run(&["--format", "json", late.s()]);
    assert!(!j.stdout.contains("100-non-invite-udp-early"), "{j:?}");
    // Without the request: no finding, but the summary says it was
    // skipped, once for both responses.
    let alone = Temp::file(
        "no-request.pcapng",
        &txn_capture(&[(0, false, trying.clone()), (500, false, trying)]),
    );
    let j = run(&["--format", "json", alone.s()]);
    let s = j.summary();
    assert_eq!(
        s["skipped"],
        serde_json::json!([{"rule": "100-non-invite-udp-early", "reason": "request not seen", "count": 2}])
    );
    assert_eq!(s["request_not_seen"], 2);
    let t = run(&["--color", "never", alone.s()]);
    let rows: Vec<_> = t
        .summary_lines()
        .into_iter()
        .filter(|(_, sev, _, _)| sev == "skipped")
        .collect();
    assert_eq!(
        rows,
        [(
            "100-non-invite-udp-early".to_string(),
            "skipped".to_string(),
            2,
            "request not seen".to_string()
        )]
    );
}

#[test]
fn transaction_state_is_capped_and_the_overflow_reported() {
    // Three transactions, a cap of one: two are evicted, and said so.
    let steps: Vec<(u64, bool, String)> = (0..3u64)
        .map(|i| {
            let m = txn_msg("OPTIONS sip:b@example.com SIP/2.0", "OPTIONS", "", "")
                .replace("z9hG4bK-t1", &format!("z9hG4bK-c{i}"));
            (i, true, m)
        })
        .collect();
    let f = Temp::file("capped.pcapng", &txn_capture(&steps));
    let j = run(&["--format", "json", "--max-transactions", "1", f.s()]);
    let t = &j.summary()["transactions"];
    assert_eq!(
        (
            t["peak"].as_u64(),
            t["capacity"].as_u64(),
            t["evicted"].as_u64()
        ),
        (Some(1), Some(1), Some(2))
    );
    let text = run(&["--max-transactions", "1", f.s()]);
    assert!(text.stderr.contains("2 evicted by the cap"), "{text:?}");
}

#[test]
fn list_rules_shows_the_transaction_rules_as_checked_in_captures() {
    let t = run(&["--list-rules", "--format", "json"]);
    let by_id: std::collections::BTreeMap<String, Value> = t
        .json_all()
        .into_iter()
        .map(|o| (o["id"].as_str().unwrap().to_string(), Value::Object(o)))
        .collect();
    for id in [
        "final-response-multiple",
        "provisional-after-final",
        "rseq-sequence",
        "to-tag-inconsistent",
        "100-non-invite-udp-early",
        "invite-provisional-refresh",
        "proxy-no-body-change",
        "proxy-to-tag-immutable",
        "proxy-503-forward",
        "proxy-424-unchanged",
        "proxy-allow-events-insert",
        "proxy-path-service-route-unaltered",
        "2xx-invite-sdp",
        "500-reinvite-retry-after",
        "proxy-forward-timing",
        "proxy-best-response",
        "proxy-auth-aggregation",
        "proxy-late-non-invite",
        "proxy-6xx-handling",
        "proxy-3xx-recursion",
        "proxy-199-forward",
        "416-proxy-recurse",
        "199-proxy-no-contact-rr",
    ] {
        assert_eq!(by_id[id]["status"], "checked-elsewhere", "{id}");
        assert!(
            by_id[id]["needs"].as_str().unwrap().contains("TxnTracker"),
            "{id}"
        );
        // And --rule accepts them.
        let r = run(&["--rule", id, "tests/data/pcap/sngrep__aaa.pcap"]);
        assert!(r.code < 2, "{id}: {r:?}");
    }
}

/// The `proxy-*` findings of `validate --format json EXTRA FILE`, with
/// the frame each is on.
fn proxy_findings(f: &Temp, extra: &[&str]) -> Vec<(Option<u64>, String)> {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    args.push(f.s());
    run(&args)
        .json()
        .iter()
        .flat_map(|o| {
            let frame = o["frame"].as_u64();
            o["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |x| (frame, x["rule"].as_str().unwrap().to_string()))
        })
        .filter(|(_, r)| r.starts_with("proxy-"))
        .collect()
}

#[test]
fn a_proxy_hop_in_a_capture_is_checked() {
    use capture_builders::{udp, Ep, Pcapng};
    const UAS: Ep = ([10, 0, 0, 1], 5060);
    const PROXY: Ep = ([10, 0, 0, 9], 5060);
    const PROXY_OUT: Ep = ([10, 0, 1, 9], 5060);
    const UAC: Ep = ([10, 0, 0, 2], 40000);
    let resp = |vias: &str, tag: &str| {
        format!(
            "SIP/2.0 180 Ringing\r\n{vias}From: <sip:a@example.com>;tag=1\r\n\
             To: <sip:b@example.com>;tag={tag}\r\nCall-ID: hop@example.com\r\nCSeq: 1 INVITE\r\n\
             Contact: <sip:b@10.0.0.1>\r\nContent-Length: 0\r\n\r\n"
        )
    };
    let down = "Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK-p\r\nVia: SIP/2.0/UDP 10.0.0.2:40000;branch=z9hG4bK-u\r\n";
    let up = "Via: SIP/2.0/UDP 10.0.0.2:40000;branch=z9hG4bK-u\r\n";
    let capture = |out_from: Ep, out_tag: &str| {
        let mut cap = Pcapng::new(&[1]);
        cap.add(
            0,
            1_700_000_000_000_000,
            &udp(UAS, PROXY, resp(down, "a").as_bytes()),
        );
        cap.add(
            0,
            1_700_000_000_001_000,
            &udp(out_from, UAC, resp(up, out_tag).as_bytes()),
        );
        cap.buf
    };
    let rules_of = proxy_findings;
    // The proxy changed the To tag: reported on the copy it sent.
    let bad = Temp::file("hop-bad.pcapng", &capture(PROXY, "p"));
    assert_eq!(
        rules_of(&bad, &[]),
        [(Some(2), "proxy-to-tag-immutable".to_string())]
    );
    // Forwarded as received: nothing.
    let good = Temp::file("hop-good.pcapng", &capture(PROXY, "a"));
    assert_eq!(rules_of(&good, &[]), []);
    // Sent from another address of the proxy: only --proxy tells.
    let two = Temp::file("hop-two.pcapng", &capture(PROXY_OUT, "p"));
    assert_eq!(rules_of(&two, &[]), []);
    assert_eq!(
        rules_of(&two, &["--proxy", "10.0.0.9", "--proxy", "10.0.1.9"]),
        [(Some(2), "proxy-to-tag-immutable".to_string())]
    );
    assert_eq!(run(&["--proxy", "not-an-ip", two.s()]).code, 2);
}

/// `--stateless` in a capture: the proxy at the `--own-via` (or
/// `--proxy`) address forwards a 503 as it came (RFC 3261 §16.11), which a
/// stateful proxy must not (§16.7 step 6: send 500).
#[test]
fn a_stateless_proxy_in_a_capture_forwards_a_503() {
    use capture_builders::{udp, Ep, Pcapng};
    const UAS: Ep = ([10, 0, 0, 1], 5060);
    const PROXY: Ep = ([10, 0, 0, 9], 5060);
    const UAC: Ep = ([10, 0, 0, 2], 40000);
    let resp = |vias: &str| {
        format!(
            "SIP/2.0 503 Service Unavailable\r\n{vias}From: <sip:a@example.com>;tag=1\r\n\
             To: <sip:b@example.com>;tag=a\r\nCall-ID: hop@example.com\r\nCSeq: 1 INVITE\r\n\
             Retry-After: 30\r\nContent-Length: 0\r\n\r\n"
        )
    };
    let down = "Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK-p\r\nVia: SIP/2.0/UDP 10.0.0.2:40000;branch=z9hG4bK-u\r\n";
    let up = "Via: SIP/2.0/UDP 10.0.0.2:40000;branch=z9hG4bK-u\r\n";
    let mut cap = Pcapng::new(&[1]);
    cap.add(
        0,
        1_700_000_000_000_000,
        &udp(UAS, PROXY, resp(down).as_bytes()),
    );
    cap.add(
        0,
        1_700_000_000_001_000,
        &udp(PROXY, UAC, resp(up).as_bytes()),
    );
    let f = Temp::file("stateless-503.pcapng", &cap.buf);
    let proxy_rules = |extra: &[&str]| -> Vec<String> {
        proxy_findings(&f, extra)
            .into_iter()
            .map(|(_, r)| r)
            .collect()
    };
    let own = ["--role", "proxy", "--own-via", "10.0.0.9"];
    assert_eq!(proxy_rules(&[]), ["proxy-503-forward"]);
    assert_eq!(proxy_rules(&own), ["proxy-503-forward"]);
    assert_eq!(
        proxy_rules(&[&own[..], &["--stateless"]].concat()),
        Vec::<String>::new()
    );
    let named = ["--role", "proxy", "--stateless", "--proxy", "10.0.0.9"];
    assert_eq!(proxy_rules(&named), Vec::<String>::new());
}

#[test]
fn hep_feeds_get_the_transaction_rules_too() {
    use capture_builders::{hep3, UAC, UAS};
    let mut child = Command::new(exe())
        .args(["--format", "json", "--hep-listen", "127.0.0.1:0"])
        .current_dir(root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn validate");
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut err, &mut first).unwrap();
    let addr: std::net::SocketAddr = first.trim().rsplit(' ').next().unwrap().parse().unwrap();
    let lines = line_reader(&mut child);
    let agent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let invite = txn_msg("INVITE sip:b@example.com SIP/2.0", "INVITE", "", "");
    let a = txn_msg("SIP/2.0 477 Unfortunately", "INVITE", "a", "");
    let b = txn_msg("SIP/2.0 477 Unfortunately", "INVITE", "b", "");
    let mut got = Vec::new();
    for (i, (from_uac, m)) in [(true, invite), (false, a), (false, b)].iter().enumerate() {
        let (src, dst) = if *from_uac { (UAC, UAS) } else { (UAS, UAC) };
        let packet = hep3(src, dst, 17, 1_700_000_000, i as u32 * 10_000, m.as_bytes());
        agent.send_to(&packet, addr).unwrap();
        let line = lines
            .recv_timeout(std::time::Duration::from_secs(60))
            .expect("a result for each packet");
        got.push(serde_json::from_str::<Map<String, Value>>(&line).unwrap());
    }
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let rest: Vec<String> = lines.iter().collect();
    assert_eq!(child.wait().unwrap().code(), Some(1), "{rest:?}");
    let rules = |o: &Map<String, Value>| -> Vec<String> {
        o["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .filter(|r| r == "final-response-multiple")
            .collect()
    };
    assert!(rules(&got[1]).is_empty());
    assert_eq!(rules(&got[2]), ["final-response-multiple"]);
    let summary: Map<String, Value> = serde_json::from_str(&rest[0]).unwrap();
    check_summary(&summary);
    assert_eq!(summary["transactions"]["peak"], 1);
}

// ---------------------------------------------------------------------------
// A proxy's branches (capture mode): each verdict failing and passing.

mod branches {
    use super::capture_builders::{udp, Ep, Pcapng};
    use super::{run, Temp};

    const UAC: Ep = ([10, 0, 0, 2], 40000);
    const PROXY: Ep = ([10, 0, 0, 9], 5060);
    const A: Ep = ([10, 0, 0, 1], 5060);
    const B: Ep = ([10, 0, 0, 3], 5060);
    const C: Ep = ([10, 0, 0, 4], 5060);
    const VIA_U: &str = "Via: SIP/2.0/UDP 10.0.0.2:40000;branch=z9hG4bK-u\r\n";

    /// The proxy's Via for branch `pb`, then the UAC's. `answered`: as in
    /// a response, with the `received` and `rport` its next hop added
    /// (RFC 3261 §18.2.1, RFC 3581), so the two legs differ in octets.
    fn via_p(pb: &str, answered: bool) -> String {
        let added = if answered {
            ";received=10.0.0.9;rport=5060"
        } else {
            ";rport"
        };
        format!("Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK-{pb}{added}\r\n{VIA_U}")
    }

    fn req(line: &str, vias: &str, method: &str) -> String {
        format!(
            "{line}\r\n{vias}Max-Forwards: 70\r\nFrom: <sip:a@example.com>;tag=f\r\n\
             To: <sip:b@example.com>\r\nCall-ID: fork@example.com\r\nCSeq: 7 {method}\r\n\
             Content-Length: 0\r\n\r\n"
        )
    }

    fn resp(status: &str, vias: &str, tag: &str, extra: &str) -> String {
        let (sdp, body) = if status.starts_with('2') {
            ("Content-Type: application/sdp\r\n", "v=0\r\n")
        } else {
            ("", "")
        };
        format!(
            "SIP/2.0 {status}\r\n{vias}From: <sip:a@example.com>;tag=f\r\n\
             To: <sip:b@example.com>;tag={tag}\r\nCall-ID: fork@example.com\r\nCSeq: 7 INVITE\r\n\
             {extra}{sdp}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
    }

    /// A call being built: the capture's messages, in order.
    struct Call(Vec<(u64, Ep, Ep, String)>);

    impl Call {
        /// The UAC's INVITE for `uri` reaching the proxy.
        fn new(uri: &str) -> Self {
            Call(vec![(
                0,
                UAC,
                PROXY,
                req(&format!("INVITE {uri} SIP/2.0"), VIA_U, "INVITE"),
            )])
        }
        fn fork(mut self, ms: u64, pb: &str, to: Ep, uri: &str) -> Self {
            let m = req(
                &format!("INVITE {uri} SIP/2.0"),
                &via_p(pb, false),
                "INVITE",
            );
            self.0.push((ms, PROXY, to, m));
            self
        }
        fn cancel(mut self, ms: u64, pb: &str, to: Ep) -> Self {
            let via = format!("Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK-{pb}\r\n");
            let m = req("CANCEL sip:b@example.com SIP/2.0", &via, "CANCEL");
            self.0.push((ms, PROXY, to, m));
            self
        }
        fn reply(mut self, ms: u64, pb: &str, from: Ep, status: &str, extra: &str) -> Self {
            self.0
                .push((ms, from, PROXY, resp(status, &via_p(pb, true), pb, extra)));
            self
        }
        fn upstream(mut self, ms: u64, status: &str, tag: &str, extra: &str) -> Self {
            self.0
                .push((ms, PROXY, UAC, resp(status, VIA_U, tag, extra)));
            self
        }

        /// The proxy findings of the validate example on this call's
        /// capture: (frame, rule, severity).
        fn findings(&self) -> Vec<(u64, String, String)> {
            let mut cap = Pcapng::new(&[1]);
            for (ms, src, dst, m) in &self.0 {
                cap.add(
                    0,
                    1_700_000_000_000_000 + ms * 1000,
                    &udp(*src, *dst, m.as_bytes()),
                );
            }
            let f = Temp::file("branches.pcapng", &cap.buf);
            run(&["--format", "json", f.s()])
                .json()
                .iter()
                .flat_map(|o| {
                    let frame = o["frame"].as_u64().unwrap_or(0);
                    o["findings"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(move |x| {
                            let s = |k: &str| x[k].as_str().unwrap().to_string();
                            (frame, s("rule"), s("severity"))
                        })
                })
                .filter(|(_, r, _)| r.contains("proxy"))
                .collect()
        }
    }

    fn one(frame: u64, rule: &str, severity: &str) -> Vec<(u64, String, String)> {
        vec![(frame, rule.to_string(), severity.to_string())]
    }

    /// Forked to A and B, B ringing, A declining with a 603 at 1 s.
    fn declined() -> Call {
        Call::new("sip:b@example.com")
            .fork(1, "a", A, "sip:b@10.0.0.1")
            .fork(2, "b", B, "sip:b@10.0.0.3")
            .reply(100, "b", B, "180 Ringing", "")
            .reply(1000, "a", A, "603 Decline", "")
    }

    #[test]
    fn proxy_6xx_handling() {
        let good = declined()
            .cancel(1010, "b", B)
            .reply(1050, "b", B, "487 Request Terminated", "")
            .upstream(1060, "603 Decline", "a", "");
        assert_eq!(good.findings(), []);
        let new_branch = declined()
            .cancel(1010, "b", B)
            .reply(1050, "b", B, "487 Request Terminated", "")
            .fork(1600, "c", C, "sip:b@10.0.0.4")
            .reply(1700, "c", C, "486 Busy Here", "")
            .upstream(1800, "603 Decline", "a", "");
        assert_eq!(
            new_branch.findings(),
            one(10, "proxy-6xx-handling", "error")
        );
        let not_cancelled = declined()
            .reply(5000, "b", B, "480 Temporarily Unavailable", "")
            .upstream(5010, "603 Decline", "a", "");
        assert_eq!(
            not_cancelled.findings(),
            one(7, "proxy-6xx-handling", "warning")
        );
    }

    #[test]
    fn proxy_forward_timing_before_the_final() {
        let busy = || {
            Call::new("sip:b@example.com")
                .fork(1, "a", A, "sip:b@10.0.0.1")
                .fork(2, "b", B, "sip:b@10.0.0.3")
                .reply(100, "b", B, "180 Ringing", "")
                .reply(1000, "a", A, "486 Busy Here", "")
        };
        let early = busy().upstream(1005, "486 Busy Here", "a", "");
        assert_eq!(early.findings(), one(6, "proxy-forward-timing", "error"));
        let held = busy()
            .reply(3000, "b", B, "480 Temporarily Unavailable", "")
            .upstream(3005, "486 Busy Here", "a", "");
        assert_eq!(held.findings(), []);
    }

    #[test]
    fn proxy_3xx_recursion() {
        let contacts = "Contact: <sip:c@10.0.0.4>\r\nContact: <sip:d@10.0.0.5>\r\n";
        let recursed = || {
            Call::new("sip:b@example.com")
                .fork(1, "a", A, "sip:b@10.0.0.1")
                .reply(100, "a", A, "302 Moved Temporarily", contacts)
                .fork(200, "c", C, "sip:c@10.0.0.4")
                .reply(300, "c", C, "486 Busy Here", "")
        };
        let kept = recursed().upstream(400, "302 Moved Temporarily", "a", contacts);
        assert_eq!(kept.findings(), one(6, "proxy-3xx-recursion", "error"));
        let removed = recursed().upstream(
            400,
            "302 Moved Temporarily",
            "a",
            "Contact: <sip:d@10.0.0.5>\r\n",
        );
        assert_eq!(removed.findings(), []);
    }

    #[test]
    fn proxy_416_recursion() {
        let tel = || {
            Call::new("sip:+15551234@example.com;user=phone")
                .fork(1, "a", A, "tel:+15551234")
                .reply(100, "a", A, "416 Unsupported URI Scheme", "")
        };
        let no_retry = tel().upstream(200, "416 Unsupported URI Scheme", "a", "");
        assert_eq!(no_retry.findings(), one(4, "416-proxy-recurse", "info"));
        let retried = tel()
            .fork(150, "b", B, "sip:+15551234@10.0.0.3;user=phone")
            .reply(250, "b", B, "486 Busy Here", "")
            .upstream(260, "486 Busy Here", "b", "");
        assert_eq!(retried.findings(), []);
    }

    #[test]
    fn proxy_199_forward() {
        let c = "Contact: <sip:b@10.0.0.1>\r\n";
        let ended = || {
            Call::new("sip:b@example.com")
                .fork(1, "a", A, "sip:b@10.0.0.1")
                .fork(2, "b", B, "sip:b@10.0.0.3")
                .reply(100, "a", A, "183 Session Progress", c)
                .reply(200, "a", A, "199 Early Dialog Terminated", c)
                .reply(210, "a", A, "486 Busy Here", "")
        };
        let dropped = ended()
            .reply(2000, "b", B, "200 OK", "")
            .upstream(2005, "200 OK", "b", "");
        assert_eq!(dropped.findings(), one(8, "proxy-199-forward", "error"));
        let forwarded = ended()
            .upstream(201, "199 Early Dialog Terminated", "a", c)
            .reply(2000, "b", B, "200 OK", "")
            .upstream(2005, "200 OK", "b", "");
        assert_eq!(forwarded.findings(), []);
        // The proxy's own 199 for A's dialog (A answered 486, sent no 199)
        // with A's Contact copied into it.
        let own = Call::new("sip:b@example.com")
            .fork(1, "a", A, "sip:b@10.0.0.1")
            .reply(100, "a", A, "183 Session Progress", c)
            .reply(200, "a", A, "486 Busy Here", "")
            .upstream(201, "199 Early Dialog Terminated", "a", c);
        assert_eq!(own.findings(), one(5, "199-proxy-no-contact-rr", "warning"));
        let clean = Call::new("sip:b@example.com")
            .fork(1, "a", A, "sip:b@10.0.0.1")
            .reply(100, "a", A, "183 Session Progress", c)
            .reply(200, "a", A, "486 Busy Here", "")
            .upstream(
                201,
                "199 Early Dialog Terminated",
                "a",
                "Reason: SIP;cause=486\r\n",
            );
        assert_eq!(clean.findings(), []);
    }
}

#[test]
fn max_message_raises_the_size_limit_for_files_streams_and_captures() {
    // A 200 OK with an 80 000-octet body: over the default 64 KiB limit.
    let body = vec![b'x'; 80_000];
    let head = String::from_utf8(CLEAN.to_vec()).unwrap().replace(
        "Content-Length: 0\r\n",
        "Content-Type: text/plain\r\nContent-Length: 80000\r\n",
    );
    let mut msg = head.into_bytes();
    msg.extend_from_slice(&body);
    let f = Temp::file("big.sip", &msg);
    for transport in ["udp", "tcp"] {
        let d = run(&["--format", "json", "--transport", transport, f.s()]);
        assert_eq!(d.code, 1, "{d:?}");
        assert_eq!(d.json()[0]["error"]["kind"], "message-too-large", "{d:?}");
        // The text says the limit is the operator's, and which option sets it.
        let t = run(&["--transport", transport, "--max-message", "70000", f.s()]);
        let line = t.stdout.lines().next().unwrap_or_default();
        assert!(
            line.contains("parse-error message-too-large at byte ")
                && line.ends_with(" (over --max-message 70000)"),
            "{t:?}"
        );
        let r = run(&["--transport", transport, "--max-message", "100000", f.s()]);
        assert_eq!(r.code, 0, "{r:?}");
        assert!(
            r.stderr.contains("1 responses, 0 requests, 0 parse errors"),
            "{r:?}"
        );
    }
    // A capture of it over TCP, in two segments: the capture reader takes
    // the limit too.
    use capture_builders::{tcp, Pcap, ACK, PSH, UAC, UAS};
    let mut cap = Pcap::ethernet();
    let (a, b) = msg.split_at(40_000);
    cap.add(&tcp(UAS, UAC, 1_000, PSH | ACK, a));
    cap.add(&tcp(UAS, UAC, 41_000, PSH | ACK, b));
    let c = Temp::file("big.pcap", &cap.buf);
    let d = run(&[c.s()]);
    assert!(d.stderr.contains("1 parse errors"), "{d:?}");
    let r = run(&["--max-message", "100000", c.s()]);
    assert!(
        r.stderr.contains("1 responses, 0 requests, 0 parse errors"),
        "{r:?}"
    );
    // A head over 64 KiB (211 rows, each within the row limits) is read
    // when the message limit allows it: the head takes the same limit.
    let mut big_head = String::from_utf8(CLEAN.to_vec()).unwrap();
    let extra: String = (0..210)
        .map(|i| format!("X-Row-{i:03}: {}\r\n", "y".repeat(300)))
        .collect();
    big_head = big_head.replace(
        "Content-Length: 0\r\n",
        &format!("{extra}Content-Length: 0\r\n"),
    );
    assert!(big_head.len() > 66_000, "{}", big_head.len());
    let h = Temp::file("big-head.sip", big_head.as_bytes());
    for transport in ["udp", "tcp"] {
        let d = run(&["--format", "json", "--transport", transport, h.s()]);
        assert_eq!(d.code, 1, "{d:?}");
        let r = run(&["--transport", transport, "--max-message", "100000", h.s()]);
        assert_eq!(r.code, 0, "{r:?}");
        assert!(
            r.stderr.contains("1 responses, 0 requests, 0 parse errors"),
            "{r:?}"
        );
    }
    // Nonsense is a usage error.
    assert_eq!(run(&["--max-message", "0", f.s()]).code, 2);
    assert_eq!(run(&["--max-message", "lots", f.s()]).code, 2);
}
