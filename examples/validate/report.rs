//! Reporting: human text (one line per finding, colour only on a terminal)
//! and JSON Lines (one object per message, the documented contract).

use sip_response::capture::{CaptureError, Timestamp};
use sip_response::record::{self, Record};
use sip_response::validate::{Finding, Report, Severity, TxnStats};
use sip_response::{KnownHeader, Message, ParseError, ParseErrorKind};

use crate::input::Item;

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// One line per finding, then a summary.
    Text,
    /// JSON Lines: one object per SIP message.
    Json,
}

/// Running totals for the summary and the exit code.
#[derive(Default)]
pub(crate) struct Totals {
    pub(crate) responses: usize,
    pub(crate) requests: usize,
    pub(crate) parse_errors: usize,
    pub(crate) io_errors: usize,
    /// Problems with capture files (damaged records, lost TCP segments):
    /// reported, but not SIP findings, so they leave the exit code alone.
    pub(crate) capture_problems: usize,
    pub(crate) by_severity: [usize; 3],
    /// Verdicts of the validating role: counted apart, and never an error
    /// for the exit code (the response is not broken).
    pub(crate) verdicts: usize,
    /// Per rule, in the order each was first met.
    pub(crate) rules: Vec<RuleCount>,
    rule_index: std::collections::HashMap<&'static str, usize>,
    /// Transaction rules skipped because the request was not seen: per
    /// rule, how often (in the order first met).
    pub(crate) skipped: Vec<(&'static str, usize)>,
    /// Responses of captures without their request (the `req` rules were
    /// skipped for them).
    pub(crate) request_not_seen: usize,
    /// The transaction tracker's state, over the captures read.
    pub(crate) txn: Option<TxnStats>,
}

/// One rule's line in the summary.
pub(crate) struct RuleCount {
    pub(crate) rule: &'static str,
    pub(crate) severity: Severity,
    /// A verdict rule ([`Finding::is_verdict`]).
    pub(crate) verdict: bool,
    pub(crate) count: usize,
    /// Where it was first met: source, packet (captures), message index.
    pub(crate) first: (String, Option<u64>, usize),
}

impl Totals {
    /// Adds one capture's transaction state: the peak and cap are the
    /// largest met, drops are summed.
    pub(crate) fn add_txn_stats(&mut self, s: TxnStats) {
        let t = self.txn.get_or_insert_with(TxnStats::default);
        t.peak = t.peak.max(s.peak);
        t.capacity = t.capacity.max(s.capacity);
        t.expired += s.expired;
        t.evicted += s.evicted;
    }

    fn count_skipped(&mut self, item: &Item) {
        let Some(obs) = item.txn else { return };
        if item.request.is_none() {
            self.request_not_seen += 1;
        }
        for rule in obs.skipped() {
            match self.skipped.iter_mut().find(|(r, _)| *r == rule.id()) {
                Some((_, n)) => *n += 1,
                None => self.skipped.push((rule.id(), 1)),
            }
        }
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.parse_errors > 0 || self.by_severity[Severity::Error as usize] > 0
    }

    fn count(&mut self, f: &Finding, item: &Item) {
        if f.is_verdict() {
            self.verdicts += 1;
        } else {
            self.by_severity[f.severity() as usize] += 1;
        }
        let at = *self.rule_index.entry(f.rule()).or_insert_with(|| {
            self.rules.push(RuleCount {
                rule: f.rule(),
                severity: f.severity(),
                verdict: f.is_verdict(),
                count: 0,
                first: (item.source.to_string(), item.frame, item.index),
            });
            self.rules.len() - 1
        });
        let r = &mut self.rules[at];
        r.count += 1;
        // A rule whose severity depends on the case is summed under the
        // worst it reached.
        if f.severity() > r.severity {
            r.severity = f.severity();
        }
    }
}

/// What identifies a message to an operator: the status line, the CSeq and
/// the Call-ID (any of them may be missing from a broken message).
#[derive(Default)]
struct CallInfo {
    code: Option<u16>,
    reason: Option<String>,
    cseq: Option<String>,
    call_id: Option<String>,
    /// The transaction tracker saw this response before
    /// (`Observation::is_retransmission`): its findings are the first
    /// copy's.
    retransmission: bool,
}

fn call_info(msg: &Message<'_>) -> CallInfo {
    let header = |h: KnownHeader| msg.headers().get(h).and_then(|v| v.value_str()).map(unfold);
    let (code, reason) = match msg {
        Message::Response(r) => (
            Some(r.status().as_u16()),
            Some(String::from_utf8_lossy(r.reason()).into_owned()),
        ),
        Message::Request(_) => (None, None),
    };
    CallInfo {
        code,
        reason,
        cseq: header(KnownHeader::CSeq),
        call_id: header(KnownHeader::CallId),
        retransmission: false,
    }
}

/// `v` with each run of SP, HTAB, CR or LF read as one SP: a folded
/// value (`CSeq: 2\r\n INVITE`) is one value with its folds read as a
/// single SP (RFC 3261 §7.3.1), and a line break printed as such would
/// split a text line. Both formats read the CSeq and Call-ID so.
fn unfold(v: &str) -> String {
    v.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`unfold`], and any other control character as U+FFFD: the text
/// format's label, so that a message cannot break the report's lines or
/// send escape sequences to the operator's terminal. (JSON escapes them,
/// and keeps the reason phrase as sent.)
fn one_line(v: &str) -> String {
    unfold(v)
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
}

impl CallInfo {
    /// `486 Busy Here; CSeq 1 INVITE; Call-ID a84b4c76e66710`, for the text
    /// format.
    fn text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = self.code {
            parts.push(
                format!("{c} {}", one_line(self.reason.as_deref().unwrap_or("")))
                    .trim_end()
                    .to_string(),
            );
        }
        if let Some(c) = &self.cseq {
            parts.push(format!("CSeq {}", one_line(c)));
        }
        if let Some(c) = &self.call_id {
            parts.push(format!("Call-ID {}", one_line(c)));
        }
        if self.retransmission {
            parts.push("retransmission".to_string());
        }
        parts.join("; ")
    }
}

/// What the reporter needs of one message.
pub(crate) enum Outcome<'a> {
    Response {
        msg: &'a Message<'a>,
        report: Report,
    },
    Request {
        msg: &'a Message<'a>,
    },
    Error(ParseError),
    Capture(CaptureError),
}

/// A capture time as RFC 3339 UTC with microseconds
/// (`2023-11-14T22:13:21.500000Z`): the record schema's formatting
/// ([`record::utc_time`]).
pub(crate) fn utc(t: Timestamp) -> String {
    record::utc_time(t.secs, t.nanos)
}

/// Where a message is, for the text format: `FILE#N`, and for a capture
/// also the packet, its time and the addresses.
fn locator(item: &Item) -> String {
    match (item.frame, &item.src, &item.dst) {
        (Some(f), Some(src), Some(dst)) => format!(
            "{}#{} [packet {f}{} {} {src} -> {dst}]",
            item.source,
            item.index,
            item.timestamp
                .map(|t| format!(" {}", utc(t)))
                .unwrap_or_default(),
            item.transport.as_str()
        ),
        (Some(f), _, _) => format!("{}#{} [packet {f}]", item.source, item.index),
        _ => format!("{}#{}", item.source, item.index),
    }
}

fn colour(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "\x1b[31m",
        Severity::Warning => "\x1b[33m",
        Severity::Info => "\x1b[36m",
    }
}

fn cseq_method(msg: &Message<'_>) -> Option<String> {
    let cseq = msg.headers().get(KnownHeader::CSeq)?;
    let v = cseq.value_str()?;
    v.split_ascii_whitespace().nth(1).map(str::to_string)
}

/// Prints one message's outcome and adds it to the totals; `quiet` (for
/// `--summary`) only counts.
pub(crate) fn emit(
    format: Format,
    color: bool,
    quiet: bool,
    item: &Item,
    outcome: Outcome<'_>,
    totals: &mut Totals,
) {
    // What every message's JSON object and text line start with; built
    // only when something is printed.
    let envelope = || record::Envelope {
        source: item.source.to_string(),
        frame: item.frame,
        index: item.index,
        transport: Some(item.transport.as_str().to_ascii_lowercase()),
        src: item.src.map(|a| a.to_string()),
        dst: item.dst.map(|a| a.to_string()),
        time: item.timestamp.map(utc),
        stream_offset: item.stream_offset,
    };
    match outcome {
        Outcome::Capture(e) => {
            totals.capture_problems += 1;
            if quiet {
                return;
            }
            match format {
                Format::Json => {
                    // A problem with the file has no transport of its own.
                    let envelope = record::Envelope {
                        transport: None,
                        ..envelope()
                    };
                    print(&Record::CaptureProblem(record::CaptureProblemRecord {
                        envelope,
                        error: (&e).into(),
                    }));
                }
                Format::Text => {
                    out!(
                        "{} capture-problem {} at file offset {}",
                        locator(item),
                        e.kind,
                        e.offset
                    );
                }
            }
        }
        Outcome::Error(e) => {
            totals.parse_errors += 1;
            if quiet {
                return;
            }
            match format {
                Format::Json => print(&Record::ParseError(record::ParseErrorRecord {
                    envelope: envelope(),
                    error: (&e).into(),
                })),
                Format::Text => {
                    let (on, off) = if color {
                        ("\x1b[31m", "\x1b[0m")
                    } else {
                        ("", "")
                    };
                    // A size over the operator's own limit is not a
                    // protocol error (RFC 3261 sets no size on a stream):
                    // say which limit, and how to raise it.
                    let limit = match e.kind() {
                        ParseErrorKind::MessageTooLarge | ParseErrorKind::HeadTooLarge => {
                            format!(" (over --max-message {})", crate::limits().max_message)
                        }
                        _ => String::new(),
                    };
                    out!(
                        "{} {on}parse-error{off} {} at byte {}{limit}{}",
                        locator(item),
                        e.kind().as_str(),
                        e.offset(),
                        e.rule().map(|r| format!(" [{r}]")).unwrap_or_default()
                    );
                }
            }
        }
        Outcome::Request { msg } => {
            totals.requests += 1;
            if format == Format::Json && !quiet {
                let call = call_info(msg);
                // The request line's method, not the CSeq's: they may differ
                // (RFC 4475 §3.1.2.17 mismatch01), and the request line is the
                // request's method (RFC 3261 §7.1, §8.1.1.5).
                let method = match msg {
                    Message::Request(r) => Some(String::from_utf8_lossy(r.method()).into_owned()),
                    Message::Response(_) => cseq_method(msg),
                };
                print(&Record::Request(record::MessageRecord {
                    envelope: envelope(),
                    code: None,
                    reason: None,
                    method,
                    cseq: call.cseq,
                    call_id: call.call_id,
                    findings: Vec::new(),
                    verdicts: Vec::new(),
                    retransmission: false,
                }));
            }
        }
        Outcome::Response { msg, report } => {
            totals.responses += 1;
            totals.count_skipped(item);
            for f in report.findings() {
                totals.count(f, item);
            }
            let Message::Response(resp) = msg else { return };
            if quiet || (format == Format::Text && report.findings().is_empty()) {
                return;
            }
            let call = CallInfo {
                retransmission: item.txn.as_ref().is_some_and(|o| o.is_retransmission()),
                ..call_info(msg)
            };
            match format {
                Format::Json => print(&Record::Response(record::MessageRecord {
                    envelope: envelope(),
                    code: Some(resp.status().as_u16()),
                    reason: call.reason,
                    method: cseq_method(msg),
                    cseq: call.cseq,
                    call_id: call.call_id,
                    findings: report
                        .defects()
                        .iter()
                        .map(|f| record::FindingRecord::new(f, item.offset))
                        .collect(),
                    verdicts: report
                        .verdicts()
                        .iter()
                        .map(|f| record::FindingRecord::new(f, item.offset))
                        .collect(),
                    retransmission: call.retransmission,
                })),
                Format::Text => {
                    let here = format!("{} {{{}}}", locator(item), call.text());
                    for f in report.findings() {
                        let (on, off) = if color {
                            (colour(f.severity()), "\x1b[0m")
                        } else {
                            ("", "")
                        };
                        let severity = severity_label(f.is_verdict(), f.severity());
                        let span = f
                            .span()
                            .map(|s| format!(" @{}", s.shift(item.offset)))
                            .unwrap_or_default();
                        out!(
                            "{} {} {on}{}{off} {}{} {}",
                            here,
                            f.rule(),
                            severity,
                            f.cite(),
                            span,
                            f.detail()
                        );
                    }
                }
            }
        }
    }
}

/// The closing summary line (text mode, on stderr).
pub(crate) fn totals_line(t: &Totals) {
    eprintln!(
        "{} responses, {} requests, {} parse errors, {} unreadable inputs, {} capture problems; findings: {} errors, {} warnings, {} info",
        t.responses,
        t.requests,
        t.parse_errors,
        t.io_errors,
        t.capture_problems,
        t.by_severity[Severity::Error as usize],
        t.by_severity[Severity::Warning as usize],
        t.by_severity[Severity::Info as usize],
    );
    if t.verdicts > 0 {
        eprintln!(
            "{} verdicts of the role (what it does with a response; not findings, and not errors)",
            t.verdicts
        );
    }
}

fn first_text(first: &(String, Option<u64>, usize)) -> String {
    match first.1 {
        Some(f) => format!("{}#{} [packet {f}]", first.0, first.2),
        None => format!("{}#{}", first.0, first.2),
    }
}

/// The transaction state line (text mode, on stderr), when a capture was
/// read: how many transactions at most, and what was dropped.
pub(crate) fn txn_line(t: &Totals) {
    if t.request_not_seen > 0 {
        eprintln!(
            "{} responses of captures without their request: the rules about the request were skipped for them",
            t.request_not_seen
        );
    }
    if let Some(s) = t.txn {
        eprintln!(
            "transaction state: at most {} of {} transactions kept, {} expired, {} evicted by the cap{}",
            s.peak,
            s.capacity,
            s.expired,
            s.evicted,
            if s.evicted > 0 {
                " (their later messages were judged without them)"
            } else {
                ""
            }
        );
    }
}

/// The per-rule summary (like `tshark -z expert`): rule, severity, count
/// and where it was first met, worst severity first, then most frequent;
/// then the transaction rules skipped because the capture lacks the
/// request, once each (`skipped`, how often, `request not seen`).
pub(crate) fn rule_summary(format: Format, t: &Totals) {
    let mut rules: Vec<&RuleCount> = t.rules.iter().collect();
    rules.sort_by(|a, b| b.severity.cmp(&a.severity).then(b.count.cmp(&a.count)));
    match format {
        Format::Text => {
            if rules.is_empty() && t.skipped.is_empty() {
                return;
            }
            out!("{:<40} {:<8} {:>8}  first", "rule", "severity", "count");
            for r in rules {
                out!(
                    "{:<40} {:<8} {:>8}  {}",
                    r.rule,
                    severity_label(r.verdict, r.severity),
                    r.count,
                    first_text(&r.first)
                );
            }
            for (rule, n) in &t.skipped {
                out!("{:<40} {:<8} {:>8}  request not seen", rule, "skipped", n);
            }
        }
        Format::Json => print(&Record::Summary(record::SummaryRecord {
            responses: t.responses,
            requests: t.requests,
            parse_errors: t.parse_errors,
            unreadable_inputs: t.io_errors,
            capture_problems: t.capture_problems,
            findings: record::SeverityCounts {
                error: t.by_severity[Severity::Error as usize],
                warning: t.by_severity[Severity::Warning as usize],
                info: t.by_severity[Severity::Info as usize],
            },
            verdicts: t.verdicts,
            rules: rules
                .iter()
                .map(|r| record::RuleSummary {
                    rule: r.rule.to_string(),
                    severity: r.severity.as_str().to_string(),
                    verdict: r.verdict,
                    count: r.count,
                    first: record::FirstSeen {
                        source: r.first.0.clone(),
                        frame: r.first.1,
                        index: r.first.2,
                    },
                })
                .collect(),
            skipped: t
                .skipped
                .iter()
                .map(|(rule, n)| record::SkippedRule {
                    rule: rule.to_string(),
                    reason: "request not seen".into(),
                    count: *n,
                })
                .collect(),
            request_not_seen: t.request_not_seen,
            transactions: t.txn.map(|s| record::TransactionState {
                peak: s.peak,
                capacity: s.capacity,
                expired: s.expired,
                evicted: s.evicted,
            }),
        })),
    }
}

/// Prints one JSON Lines record.
fn print(r: &Record) {
    match serde_json::to_string(r) {
        Ok(line) => out!("{line}"),
        // Plain strings and numbers always serialise.
        Err(e) => unreachable!("a record did not serialise: {e}"),
    }
}

/// The severity column of the text format: `verdict` for a verdict, which
/// says what the role does with the response, not how bad it is.
fn severity_label(verdict: bool, severity: Severity) -> &'static str {
    if verdict {
        "verdict"
    } else {
        severity.as_str()
    }
}
