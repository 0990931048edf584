//! The JSON Lines records the `validate` tool prints, as one type
//! ([`Record`]), so that a program reading them and the tool agree on the
//! schema (cargo feature `serde`).
//!
//! Every record is an object with a `kind` (`request`, `response`,
//! `parse-error`, `capture-problem`, `summary`); all but the summary share
//! the [`Envelope`] saying where the message was found. Ids (kinds, rule
//! ids, error kinds, severities) are kebab-case; keys are snake_case.
//! Fields are plain strings and numbers: a record is built from the
//! library's values by the constructors here and read back without them.

use serde::{Deserialize, Serialize};

use crate::validate::{Finding, Severity};
use crate::ParseError;

/// One line of the tool's JSON Lines output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Record {
    /// A request (validated only as the context of its responses).
    Request(MessageRecord),
    /// A response and its findings.
    Response(MessageRecord),
    /// Octets that could not be framed as a message.
    ParseError(ParseErrorRecord),
    /// A problem with a capture file itself.
    CaptureProblem(CaptureProblemRecord),
    /// The totals, last.
    Summary(SummaryRecord),
}

/// Where a message was found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// The file path, `-` for stdin, `hep:ADDR` for a HEP listener.
    pub source: String,
    /// The packet, in a capture (from 1).
    pub frame: Option<u64>,
    /// The message's number in its source, from 1.
    pub index: usize,
    /// `udp`, `tcp`, `tls`, `sctp`, `ws`, `wss`; null for a capture
    /// problem.
    pub transport: Option<String>,
    /// Sender, `IP:PORT` (captures).
    pub src: Option<String>,
    /// Receiver, `IP:PORT` (captures).
    pub dst: Option<String>,
    /// Capture time, RFC 3339 UTC (captures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The message's offset in its TCP or WebSocket stream (captures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_offset: Option<u64>,
}

/// A request or a response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageRecord {
    /// Where it was found.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// Status code (responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
    /// Reason phrase (responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A request's method; a response's CSeq method.
    pub method: Option<String>,
    /// The CSeq header's value, `1 INVITE`.
    pub cseq: Option<String>,
    /// The Call-ID.
    pub call_id: Option<String>,
    /// What validation found wrong with the response (empty for requests).
    pub findings: Vec<FindingRecord>,
    /// The verdicts of the validating role, apart from the findings: what
    /// the element must do with the response (a proxy does not forward it,
    /// a UAC discards it), not a defect of it (`Report::verdicts`). Left
    /// out when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verdicts: Vec<FindingRecord>,
    /// A response its transaction already sent, the same at this
    /// observation point (`Observation::is_retransmission`): its findings
    /// repeat the first copy's. Left out when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retransmission: bool,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingRecord {
    /// The rule's catalogue id.
    pub rule: String,
    /// `error`, `warning`, `info`.
    pub severity: String,
    /// The RFC reference.
    pub cite: String,
    /// Byte range in the source, when the finding points at octets.
    pub span: Option<[usize; 2]>,
    /// What was wrong, in words.
    pub detail: String,
}

impl FindingRecord {
    /// `f`, its span shifted by `offset` (the message's offset in its
    /// source).
    pub fn new(f: &Finding, offset: usize) -> Self {
        FindingRecord {
            rule: f.rule().to_string(),
            severity: f.severity().as_str().to_string(),
            cite: f.cite().to_string(),
            span: f.span().map(|s| [s.start + offset, s.end + offset]),
            detail: f.detail().to_string(),
        }
    }
}

/// Octets that could not be framed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseErrorRecord {
    /// Where they were found.
    #[serde(flatten)]
    pub envelope: Envelope,
    /// Why.
    pub error: ParseErrorDetail,
}

/// A parse error, as a record carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseErrorDetail {
    /// The error kind's id.
    pub kind: String,
    /// Byte offset.
    pub offset: usize,
    /// The rule it breaks, when one names it.
    pub rule: Option<String>,
    /// In words.
    pub detail: String,
}

impl From<&ParseError> for ParseErrorDetail {
    fn from(e: &ParseError) -> Self {
        ParseErrorDetail {
            kind: e.kind().as_str().to_string(),
            offset: e.offset(),
            rule: e.rule().map(str::to_string),
            detail: e.kind().to_string(),
        }
    }
}

/// A problem with a capture file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureProblemRecord {
    /// Where (its transport null).
    #[serde(flatten)]
    pub envelope: Envelope,
    /// What.
    pub error: CaptureProblemDetail,
}

/// A capture problem, as a record carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureProblemDetail {
    /// A kebab-case id (`stream-gap`).
    pub kind: String,
    /// Offset in the file.
    pub offset: u64,
    /// Whether the file could not be read past it.
    pub fatal: bool,
    /// In words.
    pub detail: String,
}

#[cfg(feature = "capture")]
impl From<&crate::capture::CaptureError> for CaptureProblemDetail {
    fn from(e: &crate::capture::CaptureError) -> Self {
        CaptureProblemDetail {
            kind: e.kind.id().to_string(),
            offset: e.offset,
            fatal: e.is_fatal(),
            detail: e.kind.to_string(),
        }
    }
}

/// The totals of a run, and per rule (like `tshark -z expert`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRecord {
    /// Responses validated.
    pub responses: usize,
    /// Requests seen.
    pub requests: usize,
    /// Octets that could not be framed.
    pub parse_errors: usize,
    /// Inputs that could not be read.
    pub unreadable_inputs: usize,
    /// Problems with capture files.
    pub capture_problems: usize,
    /// Findings by severity (verdicts apart).
    pub findings: SeverityCounts,
    /// Verdicts of the validating role (`MessageRecord::verdicts`). Left
    /// out when zero.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub verdicts: usize,
    /// Per rule, worst severity first, then most frequent.
    pub rules: Vec<RuleSummary>,
    /// Rules that applied but were not checked, once per rule with how
    /// often (the transaction rules that need a request the capture lacks).
    /// Left out when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedRule>,
    /// Responses of captures whose request the capture did not hold: the
    /// rules about the request (context `req`) were skipped for them.
    /// Left out when zero.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub request_not_seen: usize,
    /// How much transaction state the captures took (left out when no
    /// capture was read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transactions: Option<TransactionState>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A rule skipped for lack of context, with why and how often.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRule {
    /// The rule's catalogue id.
    pub rule: String,
    /// Why, e.g. `request not seen`.
    pub reason: String,
    /// For how many responses.
    pub count: usize,
}

/// The transaction tracker's state over the captures of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransactionState {
    /// The most transactions kept at once (in one capture).
    pub peak: usize,
    /// The cap on transactions kept.
    pub capacity: usize,
    /// Transactions forgotten on expiry.
    pub expired: u64,
    /// Transactions evicted by the cap before they expired: state lost.
    pub evicted: u64,
}

/// Findings by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    /// MUST-level.
    pub error: usize,
    /// SHOULD-level.
    pub warning: usize,
    /// MAY-level and notes.
    pub info: usize,
}

impl SeverityCounts {
    /// One more of `s`.
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Info => self.info += 1,
        }
    }
}

/// One rule's line of the summary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSummary {
    /// The rule's catalogue id.
    pub rule: String,
    /// The worst severity it was reported at.
    pub severity: String,
    /// A verdict rule (`is_verdict_rule`): its count is of verdicts, not
    /// findings. Left out when false.
    #[serde(default, skip_serializing_if = "is_false")]
    pub verdict: bool,
    /// How often.
    pub count: usize,
    /// Where first.
    pub first: FirstSeen,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Where a rule was first met.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirstSeen {
    /// The source.
    pub source: String,
    /// The packet, in a capture.
    pub frame: Option<u64>,
    /// The message's number in its source.
    pub index: usize,
}

/// A capture time as [`Envelope::time`] holds it: RFC 3339, UTC, with
/// microseconds (`2023-11-14T22:13:20.005000Z`), from the seconds and
/// nanoseconds since the Unix epoch that a capture gives
/// (`capture::Timestamp`). Nanoseconds are cut to microseconds, not
/// rounded; `nanos` is below 1 000 000 000. The one formatting the tool
/// uses, so a reader of its records can rebuild a time to compare.
pub fn utc_time(secs: u64, nanos: u32) -> String {
    // Days since 1970-01-01 to a civil date in the proleptic Gregorian
    // calendar (the days-to-civil algorithm of Howard Hinnant's date
    // library). `secs / 86 400` fits an i64 for every u64.
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        nanos / 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_carry_their_kind_and_flatten_the_envelope() {
        let env = Envelope {
            source: "x.pcap".into(),
            frame: Some(3),
            index: 2,
            transport: Some("udp".into()),
            time: Some("2023-11-14T22:13:20.000000Z".into()),
            ..Envelope::default()
        };
        let r = Record::Response(MessageRecord {
            envelope: env.clone(),
            code: Some(486),
            reason: Some("Busy Here".into()),
            method: Some("INVITE".into()),
            cseq: Some("1 INVITE".into()),
            call_id: Some("a@b".into()),
            findings: vec![],
            verdicts: vec![],
            retransmission: true,
        });
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["kind"], "response");
        assert_eq!(v["source"], "x.pcap");
        assert_eq!(v["code"], 486);
        assert!(v.get("stream_offset").is_none());
        assert_eq!(v["retransmission"], true);
        assert_eq!(serde_json::from_value::<Record>(v).unwrap(), r);
        let p = Record::CaptureProblem(CaptureProblemRecord {
            envelope: env,
            error: CaptureProblemDetail {
                kind: "stream-gap".into(),
                offset: 9,
                fatal: false,
                detail: "gap".into(),
            },
        });
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["kind"], "capture-problem");
        assert_eq!(v["error"]["kind"], "stream-gap");
        let s = serde_json::to_value(Record::Summary(SummaryRecord::default())).unwrap();
        assert_eq!(s["kind"], "summary");
        assert_eq!(s["findings"]["error"], 0);
    }

    #[test]
    fn utc_time_is_rfc3339_with_microseconds() {
        assert_eq!(
            utc_time(1_700_000_000, 5_000_000),
            "2023-11-14T22:13:20.005000Z"
        );
        assert_eq!(utc_time(0, 0), "1970-01-01T00:00:00.000000Z");
        // A leap day, and nanoseconds cut (not rounded) to microseconds.
        assert_eq!(
            utc_time(951_782_400, 999_999_999),
            "2000-02-29T00:00:00.999999Z"
        );
        assert_eq!(utc_time(951_868_799, 0), "2000-02-29T23:59:59.000000Z");
        assert_eq!(utc_time(4_102_444_800, 0), "2100-01-01T00:00:00.000000Z");
        // The largest input formats without overflow.
        assert!(utc_time(u64::MAX, 999_999_999).ends_with(".999999Z"));
    }
}
