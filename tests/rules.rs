//! Data-driven rule tests: `tests/rules/<rule-id>/*.sip`.
//!
//! Each `<name>.sip` (exact bytes, CRLF) is parsed with datagram semantics
//! and validated. `<name>.expect` lists every finding expected, one per line:
//! `<rule-id> <severity> <start>..<end>` (or `-` for no span), in any order;
//! blank lines and `#` comments are ignored. An optional `<name>.ctx` sets the
//! Context, one `key=value` per line: `transport=udp|tcp|tls|sctp|ws|wss`,
//! `role=observer|uac|proxy`, `stateless=yes` (a stateless proxy),
//! `method=<METHOD>`, `sent-by=<host>[:<port>]`,
//! `enable=<rule-id>` (for rules the default policy leaves off),
//! `request=<file>` (the matching request, a `.req` file in the same
//! directory; spec context `req`), `observed-request=<file>` (the same, as
//! seen on the response's hop: `Context::with_observed_request`).
//!
//! Every directory must hold a `fail*.sip` that reports the directory's rule
//! and a `pass*.sip` that does not. All mismatches are collected and
//! reported at once. `BLESS=1 cargo test --test rules` rewrites the
//! `.expect` files from the current output, keeping their `#` comment lines
//! on top (review each against the RFC).

use std::fs;
use std::path::{Path, PathBuf};

use sip_response::validate::{validate, Context, Role, Rule, RuleStatus, Transport};
use sip_response::{parse_response, OwnedMessage};

fn context(path: &Path) -> Result<Context, String> {
    let mut ctx = Context::default();
    let Ok(text) = fs::read_to_string(path) else {
        return Ok(ctx);
    };
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| format!("{}: bad line {line:?}", path.display()))?;
        ctx = match (k, v) {
            ("transport", t) => ctx.with_transport(match t {
                "udp" => Transport::Udp,
                "tcp" => Transport::Tcp,
                "tls" => Transport::Tls,
                "sctp" => Transport::Sctp,
                "ws" => Transport::Ws,
                "wss" => Transport::Wss,
                _ => return Err(format!("{}: transport {t:?}", path.display())),
            }),
            ("role", rl) => ctx.with_role(match rl {
                "observer" => Role::Observer,
                "uac" => Role::Uac,
                "proxy" => Role::Proxy,
                _ => return Err(format!("{}: role {rl:?}", path.display())),
            }),
            ("method", m) => ctx.with_method(m),
            ("stateless", v) => ctx.with_stateless_proxy(v == "yes"),
            ("request" | "observed-request", file) => {
                let dir = path.parent().unwrap();
                let bytes = fs::read(dir.join(file))
                    .map_err(|e| format!("{}: {file}: {e}", path.display()))?;
                let req = OwnedMessage::parse(bytes::Bytes::from(bytes))
                    .map_err(|e| format!("{}: {file}: {e}", path.display()))?;
                let ctx = if k == "request" {
                    ctx.with_request(req)
                } else {
                    ctx.with_observed_request(req)
                };
                ctx.map_err(|e| format!("{}: {e}", path.display()))?
            }
            ("enable", id) => {
                ctx.policy_mut()
                    .enable(id)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                ctx
            }
            ("sent-by", s) => match s.rsplit_once(':') {
                Some((h, p)) if p.parse::<u16>().is_ok() => ctx.with_own_sent_by(h, p.parse().ok()),
                _ => ctx.with_own_sent_by(s, None),
            },
            _ => return Err(format!("{}: unknown key {k:?}", path.display())),
        };
    }
    Ok(ctx)
}

fn render(sip: &Path) -> Result<Vec<String>, String> {
    let bytes = fs::read(sip).map_err(|e| format!("{}: {e}", sip.display()))?;
    let ctx = context(&sip.with_extension("ctx"))?;
    let resp =
        parse_response(&bytes).map_err(|e| format!("{}: does not parse: {e}", sip.display()))?;
    let mut lines: Vec<String> = validate(&resp, &ctx)
        .iter()
        .map(|f| {
            let span = match f.span() {
                Some(s) => {
                    // Every span must slice the buffer.
                    assert!(
                        s.start <= s.end && s.end <= bytes.len(),
                        "{}: {f}",
                        sip.display()
                    );
                    format!("{}..{}", s.start, s.end)
                }
                None => "-".into(),
            };
            format!("{} {} {}", f.rule(), f.severity(), span)
        })
        .collect();
    lines.sort();
    Ok(lines)
}

fn read_expect(path: &Path) -> Result<Vec<String>, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    lines.sort();
    Ok(lines)
}

fn sip_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sip"))
        .collect();
    v.sort();
    v
}

#[test]
fn rules_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let bless = std::env::var_os("BLESS").is_some();
    let mut problems = Vec::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("tests/rules exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut tested = std::collections::BTreeSet::new();
    for dir in &dirs {
        let id = dir.file_name().unwrap().to_str().unwrap().to_string();
        if Rule::from_id(&id).is_none() {
            problems.push(format!("{id}: not a rule id"));
            continue;
        }
        tested.insert(id.clone());
        let (mut has_fail, mut has_pass) = (false, false);
        for sip in sip_files(dir) {
            let name = sip.file_stem().unwrap().to_str().unwrap().to_string();
            let got = match render(&sip) {
                Ok(g) => g,
                Err(e) => {
                    problems.push(e);
                    continue;
                }
            };
            let fires = got.iter().any(|l| l.split(' ').next() == Some(id.as_str()));
            if name.starts_with("fail") {
                has_fail = true;
                if !fires {
                    problems.push(format!("{}: does not report {id}", sip.display()));
                }
            } else if name.starts_with("pass") {
                has_pass = true;
                if fires {
                    problems.push(format!("{}: reports {id}", sip.display()));
                }
            }
            let expect = sip.with_extension("expect");
            if bless && read_expect(&expect).is_ok_and(|want| want == got) {
                continue;
            }
            if bless {
                // The file's comment lines (why each finding is expected)
                // stay; only the findings are rewritten.
                let old = fs::read_to_string(&expect).unwrap_or_default();
                let mut text: String = old
                    .lines()
                    .filter(|l| l.starts_with('#'))
                    .map(|l| format!("{l}\n"))
                    .collect();
                for line in &got {
                    text.push_str(line);
                    text.push('\n');
                }
                fs::write(&expect, text).unwrap();
                continue;
            }
            match read_expect(&expect) {
                Ok(want) if want == got => {}
                Ok(want) => problems.push(format!(
                    "{}:\n  expected: {want:?}\n  got:      {got:?}",
                    sip.display()
                )),
                Err(e) => problems.push(e),
            }
        }
        if !has_fail || !has_pass {
            problems.push(format!("{id}: needs both a fail*.sip and a pass*.sip"));
        }
    }
    // Every rule the catalogue calls Checked has its test pair.
    for info in sip_response::validate::rules() {
        if info.status == RuleStatus::Checked && !tested.contains(info.id) {
            problems.push(format!(
                "{}: Checked but has no tests/rules directory",
                info.id
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}
