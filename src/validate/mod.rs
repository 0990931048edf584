//! The validator: checks a parsed response against the rules of
//! `spec/response-rules.md` and reports [`Finding`]s.
//!
//! Findings are data, never errors (the two-tier model of x509-parser's
//! `validate`): a response that parsed is always fully validated. Each
//! finding names its rule by the spec id ([`Finding::rule`]), carries the
//! RFC [`Cite`] and a byte [`Span`] into the parsed buffer.
//!
//! * [`rules()`] lists every spec rule with its status ([`RuleStatus`]):
//!   checked, checked by another API (the parser, the forwarder), pending,
//!   or needing state one response cannot give.
//! * [`Context`] says what else is known (transport, role, own sent-by, the
//!   matching request) and carries the [`Policy`] (overrides, disabled
//!   rules, presets).
//! * [`FindingSink`] receives findings: a `Vec<Finding>` collects them,
//!   [`CountingSink`] only counts them and never allocates.
//!
//! ```
//! use sip_response::parse_response;
//! use sip_response::validate::{validate, Context, Severity};
//!
//! let resp = parse_response(
//!     b"SIP/2.0 405 Method Not Allowed\r\n\
//! Via: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK776asdhds\r\n\
//! From: <sip:alice@example.com>;tag=1928301774\r\n\
//! To: <sip:bob@example.org>;tag=a6c85cf\r\n\
//! Call-ID: a84b4c76e66710\r\n\
//! CSeq: 1 PUBLISH\r\n\
//! Content-Length: 0\r\n\r\n",
//! )
//! .unwrap();
//! let report = validate(&resp, &Context::default());
//! let f = &report.findings()[0];
//! assert_eq!(f.rule(), "405-allow-required");
//! assert_eq!(f.severity(), Severity::Error);
//! assert_eq!(f.cite().rfc(), 3261);
//! assert_eq!(report.worst(), Some(Severity::Error));
//! ```
//!
//! # The rule catalogue
//!
//! Every rule of the table (`tests/data/response-rules.md` in the
//! repository, a byte-exact copy of the shared spec, then the local rows of
//! `tests/data/response-rules.local.md`, rules added here pending
//! upstream), generated into this page: its id, default severity, status,
//! the file that checks it, the RFC and a summary.
//!
#![doc = include_str!("catalogue.md")]

mod catalogue;
mod context;
pub(crate) mod facts;
mod finding;
mod policy;
mod rules;
mod table;
mod txn;

pub use catalogue::{rules, Contexts, Rule, RuleInfo, RuleStatus};
pub use context::{Context, NotARequest, Role, SentBy, Transport};
pub use finding::{is_verdict_rule, Cite, Detail, DetailArg, Finding, Severity, UnknownSeverity};
pub use policy::{Policy, UnknownRule};
pub use txn::{Observation, Sighting, TxnConfig, TxnStats, TxnTracker};

use crate::conversions::AsResponse;
use crate::span::Span;

/// Validates `resp` against every checked rule and collects the findings.
///
/// Rules that need what `ctx` does not provide (the transport, a role, the
/// request) are skipped, as the spec asks. Allocates only the report's
/// vector; use [`validate_into`] with a non-allocating sink to avoid that.
///
/// `resp` is a `&`[`Response`](crate::Response) or a
/// `&`[`OwnedResponse`](crate::OwnedResponse) (no `.view()` needed):
/// anything [`AsResponse`].
pub fn validate<R: AsResponse + ?Sized>(resp: &R, ctx: &Context) -> Report {
    let mut report = Report::default();
    validate_into(resp, ctx, &mut report);
    report
}

/// Validates `resp` and hands each finding to `sink`, after the context's
/// [`Policy`] has filtered and re-graded it. Makes no allocation of its own:
/// with a sink such as [`CountingSink`] the whole call allocates nothing.
pub fn validate_into<R: AsResponse + ?Sized>(resp: &R, ctx: &Context, sink: &mut impl FindingSink) {
    let resp = resp.as_response();
    let facts = rules::Facts::new(&resp, ctx);
    let mut out = Emitter::new(ctx.policy(), sink, resp.headers().src());
    rules::run(&facts, &mut out);
}

/// Receives findings as the rules produce them (the role of x509-parser's
/// `Logger`). Implement it to count, filter or forward findings without
/// collecting them.
pub trait FindingSink {
    /// Takes one finding (already filtered and re-graded by the policy).
    fn report(&mut self, finding: Finding);
}

impl FindingSink for Vec<Finding> {
    fn report(&mut self, finding: Finding) {
        self.push(finding);
    }
}

impl<S: FindingSink + ?Sized> FindingSink for &mut S {
    fn report(&mut self, finding: Finding) {
        (**self).report(finding);
    }
}

/// A sink that only counts findings per severity: no allocation at all, for
/// proxies that just want to drop or flag non-conformant responses. Any
/// transport and role.
///
/// Like [`Report`], it counts the response's defects by severity and the
/// verdicts ([`Finding::is_verdict`]) apart: [`has_errors`](Self::has_errors)
/// means "this response is broken", not "this proxy will not forward it".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CountingSink {
    counts: [usize; 3],
    verdicts: usize,
}

impl CountingSink {
    /// An empty counter.
    pub const fn new() -> Self {
        CountingSink {
            counts: [0; 3],
            verdicts: 0,
        }
    }

    /// Defects (findings that are not verdicts) seen at `severity`.
    pub const fn count(&self, severity: Severity) -> usize {
        self.counts[severity as usize]
    }

    /// Verdicts seen ([`Finding::is_verdict`]), of any severity.
    pub const fn verdicts(&self) -> usize {
        self.verdicts
    }

    /// Findings seen in all, defects and verdicts.
    pub const fn total(&self) -> usize {
        self.counts[0] + self.counts[1] + self.counts[2] + self.verdicts
    }

    /// The worst severity of the defects seen, if any.
    pub fn worst(&self) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .rev()
            .find(|s| self.counts[*s as usize] > 0)
    }

    /// True when at least one defect of severity error was seen.
    pub const fn has_errors(&self) -> bool {
        self.counts[Severity::Error as usize] > 0
    }

    /// Back to zero, to reuse the counter for the next message.
    pub fn clear(&mut self) {
        *self = CountingSink::new();
    }
}

impl FindingSink for CountingSink {
    fn report(&mut self, finding: Finding) {
        if finding.is_verdict() {
            self.verdicts += 1;
        } else {
            self.counts[finding.severity() as usize] += 1;
        }
    }
}

/// All findings of one response, in two groups: the response's defects
/// (it breaks a rule of its sender, a grammar or a MUST), then the verdicts
/// of the validating element's role (a proxy must not forward it, a UAC
/// discards it: [`Finding::is_verdict`]). Within a group, in the order the
/// rules produced them.
///
/// [`has_errors`](Self::has_errors) and [`worst`](Self::worst) look at the
/// defects only, so "drop and log when `has_errors()`" drops broken
/// responses, not the 100 (Trying) every proxy absorbs.
/// [`findings`](Self::findings) and [`iter`](Self::iter) give both groups,
/// as `&[Finding]` and `&Finding` like
/// [`Refused::findings`](crate::Refused::findings) and
/// [`Forwarded::findings`](crate::Forwarded::findings).
///
/// For any transport and role; built by [`validate`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Defects first (`..defects`), then verdicts.
    findings: Vec<Finding>,
    defects: usize,
}

impl Report {
    /// A report holding `findings`, put into the two groups (each keeps its
    /// order).
    pub fn from_findings(findings: Vec<Finding>) -> Self {
        let mut report = Report {
            findings: Vec::with_capacity(findings.len()),
            defects: 0,
        };
        for f in findings {
            report.report(f);
        }
        report
    }

    /// Every finding: the defects, then the verdicts.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The findings about the response itself (not verdicts).
    pub fn defects(&self) -> &[Finding] {
        &self.findings[..self.defects]
    }

    /// The verdicts of the validating role ([`Finding::is_verdict`]): why a
    /// proxy must not forward the response, or a UAC discards it.
    pub fn verdicts(&self) -> &[Finding] {
        &self.findings[self.defects..]
    }

    /// The worst severity among the defects, or `None` when the response
    /// has none (verdicts aside).
    pub fn worst(&self) -> Option<Severity> {
        self.defects().iter().map(Finding::severity).max()
    }

    /// True when a defect is an error (a MUST or grammar violation): the
    /// response is broken. Verdicts never count here.
    pub fn has_errors(&self) -> bool {
        self.worst() == Some(Severity::Error)
    }

    /// True when a verdict says the response must not go further (a proxy
    /// must not forward it, a UAC discards it).
    pub fn has_verdicts(&self) -> bool {
        self.defects < self.findings.len()
    }

    /// True when there is no finding, of either group.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }

    /// Number of findings, of both groups.
    pub fn len(&self) -> usize {
        self.findings.len()
    }

    /// Findings of rule `id` (exact spec id), of both groups.
    pub fn by_rule<'r>(&'r self, id: &'r str) -> impl Iterator<Item = &'r Finding> + 'r {
        self.findings.iter().filter(move |f| f.rule() == id)
    }

    /// Iterates over every finding: the defects, then the verdicts.
    pub fn iter(&self) -> core::slice::Iter<'_, Finding> {
        self.findings.iter()
    }

    /// Every finding by value: the defects, then the verdicts.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }
}

impl<'r> IntoIterator for &'r Report {
    type Item = &'r Finding;
    type IntoIter = core::slice::Iter<'r, Finding>;

    fn into_iter(self) -> Self::IntoIter {
        self.findings.iter()
    }
}

impl IntoIterator for Report {
    type Item = Finding;
    type IntoIter = std::vec::IntoIter<Finding>;

    fn into_iter(self) -> Self::IntoIter {
        self.findings.into_iter()
    }
}

impl FindingSink for Report {
    fn report(&mut self, finding: Finding) {
        if finding.is_verdict() {
            self.findings.push(finding);
        } else {
            self.findings.insert(self.defects, finding);
            self.defects += 1;
        }
    }
}

/// What the rules write to: applies the policy (disabled rules, severity
/// overrides, minimum severity) before handing a finding to the sink, and
/// keeps one defect to one finding (see [`Emitter::emit_at`]).
pub(crate) struct Emitter<'p, S: FindingSink + ?Sized> {
    policy: &'p Policy,
    sink: &'p mut S,
    /// The message the spans point into.
    src: &'p [u8],
    /// A bare CR that `line-ending-not-crlf` reported, and the header row
    /// around it: see [`Emitter::reported_bare_cr`].
    bare_cr: Option<(usize, Span)>,
    /// The last finding, held back until the next one shows whether it
    /// continues it; handed over at the latest when the emitter drops.
    held: Option<(Rule, Severity, Span, Detail)>,
}

impl<'p, S: FindingSink + ?Sized> Emitter<'p, S> {
    /// An emitter for the findings on the message `src`.
    pub(crate) fn new(policy: &'p Policy, sink: &'p mut S, src: &'p [u8]) -> Self {
        Emitter {
            policy,
            sink,
            src,
            bare_cr: None,
            held: None,
        }
    }

    /// Notes that `line-ending-not-crlf` reported the bare CR at offset
    /// `at`, inside the header row `row`. Every later finding of another
    /// rule whose span lies in that row and covers or touches the CR is
    /// the same defect seen again (a header value or name that fails its
    /// grammar only because the CR sits in it or splits one of its tokens
    /// in two), so it is dropped: one defect, one finding. Verdicts (what
    /// a proxy must do with the response) are never dropped: they stay the
    /// forwarder's.
    pub(crate) fn reported_bare_cr(&mut self, at: usize, row: Span) {
        self.bare_cr = Some((at, row));
    }

    /// Whether `rule` can be reported at all: lets a check skip work.
    pub(crate) fn wants(&self, rule: Rule) -> bool {
        self.policy.is_enabled(rule)
    }

    /// Reports `rule` at its catalogue default severity.
    pub(crate) fn emit(&mut self, rule: Rule, span: Option<Span>, detail: Detail) {
        self.emit_at(rule, rule.info().default_severity, span, detail);
    }

    /// Reports `rule` at a condition-specific severity (split spec rows).
    ///
    /// A finding of the same rule and severity whose span starts where the
    /// previous one ended, or after nothing but SP/HTAB, is one defect that
    /// a lax reading resynchronised across (`branch<TAB>z9hG4bK1`, `<>ip:…`
    /// read as two broken parts), so the two become one finding over both
    /// spans; the very same finding twice in a row is reported once, and so
    /// is one whose span lies inside the other's (the wider is kept).
    pub(crate) fn emit_at(
        &mut self,
        rule: Rule,
        sev: Severity,
        span: Option<Span>,
        detail: Detail,
    ) {
        if let (Some((at, row)), Some(span)) = (self.bare_cr, span) {
            if rule != table::r::LINE_ENDING_NOT_CRLF
                && !is_verdict_rule(rule)
                && row.start <= span.start
                && span.end <= row.end
                && span.start <= at + 1
                && at <= span.end
            {
                return;
            }
        }
        let Some(sev) = self.policy.apply(rule, sev) else {
            return;
        };
        if let (Some((r, s, held, d)), Some(span)) = (&mut self.held, span) {
            if (*r, *s) == (rule, sev) {
                // Two readings of one value that blame the same bytes alike.
                if (*held, *d) == (span, detail) {
                    return;
                }
                // The same rule again over bytes it has just named (a value
                // blamed as a whole, then a part of it): one finding, the
                // wider. One span twice is not that: a rule names one place
                // for several things (each missing header of a 200 to
                // OPTIONS).
                if *held != span && !held.is_empty() && !span.is_empty() {
                    if held.start <= span.start && span.end <= held.end {
                        return;
                    }
                    if span.start <= held.start && held.end <= span.end {
                        (*held, *d) = (span, detail);
                        return;
                    }
                }
                // The next piece after nothing but SP/HTAB: the same defect.
                let continues = held.start < span.start
                    && self
                        .src
                        .get(held.end..span.start)
                        .is_some_and(|gap| gap.iter().all(|&b| crate::lex::is_ws(b)));
                if continues {
                    held.end = held.end.max(span.end);
                    return;
                }
            }
        }
        self.hand_over();
        match span {
            Some(span) => self.held = Some((rule, sev, span, detail)),
            None => self.sink.report(Finding::new(rule, sev, None, detail)),
        }
    }

    /// Hands the held finding to the sink.
    fn hand_over(&mut self) {
        if let Some((rule, sev, span, detail)) = self.held.take() {
            self.sink
                .report(Finding::new(rule, sev, Some(span), detail));
        }
    }
}

impl<S: FindingSink + ?Sized> Drop for Emitter<'_, S> {
    fn drop(&mut self) {
        self.hand_over();
    }
}

#[cfg(test)]
mod tests {
    use super::table::r;
    use super::*;

    fn f(rule: Rule, sev: Severity) -> Finding {
        Finding::new(rule, sev, None, Detail::new("t"))
    }

    #[test]
    fn report_worst_and_iteration() {
        let mut rep = Report::default();
        assert_eq!(rep.worst(), None);
        assert!(!rep.has_errors() && rep.is_empty());
        rep.report(f(r::STATUS_CODE_UNREGISTERED, Severity::Info));
        assert_eq!(rep.worst(), Some(Severity::Info));
        rep.report(f(r::CSEQ_METHOD_CASE, Severity::Warning));
        assert_eq!(rep.worst(), Some(Severity::Warning));
        assert!(!rep.has_errors());
        rep.report(f(r::VIA_REQUIRED, Severity::Error));
        assert!(rep.has_errors());
        assert_eq!(rep.len(), 3);
        assert_eq!(rep.by_rule("via-required").count(), 1);
        assert_eq!(rep.by_rule("via").count(), 0);
        let ids: Vec<_> = (&rep).into_iter().map(Finding::rule).collect();
        assert_eq!(
            ids,
            [
                "status-code-unregistered",
                "cseq-method-case",
                "via-required"
            ]
        );
        assert_eq!(rep.into_iter().count(), 3);
    }

    #[test]
    fn verdicts_are_kept_apart_from_defects() {
        let mut rep = Report::default();
        rep.report(f(r::R_100_NOT_FORWARDED, Severity::Error));
        assert!(!rep.has_errors() && rep.has_verdicts());
        assert_eq!(rep.worst(), None);
        rep.report(f(r::CSEQ_METHOD_CASE, Severity::Warning));
        rep.report(f(r::VIA_TOP_NOT_OURS, Severity::Error));
        rep.report(f(r::VIA_REQUIRED, Severity::Error));
        let ids = |s: &[Finding]| s.iter().map(Finding::rule).collect::<Vec<_>>();
        assert_eq!(ids(rep.defects()), ["cseq-method-case", "via-required"]);
        assert_eq!(
            ids(rep.verdicts()),
            ["100-not-forwarded", "via-top-not-ours"]
        );
        assert_eq!(
            ids(rep.findings()),
            [
                "cseq-method-case",
                "via-required",
                "100-not-forwarded",
                "via-top-not-ours"
            ]
        );
        assert!(rep.has_errors());
        assert_eq!(Report::from_findings(rep.findings().to_vec()), rep);
        let mut c = CountingSink::new();
        for x in &rep {
            c.report(*x);
        }
        assert_eq!(
            (c.verdicts(), c.count(Severity::Error), c.total()),
            (2, 1, 4)
        );
        for rule in Rule::all() {
            let verdict = is_verdict_rule(rule);
            assert_eq!(
                verdict,
                [
                    "100-not-forwarded",
                    "via-top-not-ours",
                    "proxy-stray-response",
                    "proxy-remove-top-via",
                    "proxy-broadcast-via"
                ]
                .contains(&rule.id()),
                "{rule}"
            );
        }
    }

    #[test]
    fn counting_sink_counts() {
        let mut c = CountingSink::new();
        assert_eq!(c.worst(), None);
        c.report(f(r::VIA_REQUIRED, Severity::Error));
        c.report(f(r::CSEQ_METHOD_CASE, Severity::Warning));
        c.report(f(r::CSEQ_METHOD_CASE, Severity::Warning));
        assert_eq!(c.count(Severity::Error), 1);
        assert_eq!(c.count(Severity::Warning), 2);
        assert_eq!(c.count(Severity::Info), 0);
        assert_eq!(c.total(), 3);
        assert_eq!(c.worst(), Some(Severity::Error));
        assert!(c.has_errors());
        c.clear();
        assert_eq!(c.total(), 0);
    }

    #[test]
    fn emitter_applies_policy() {
        let mut policy = Policy::new();
        policy.disable("via-required").unwrap();
        policy
            .set_severity("to-tag-missing", Severity::Warning)
            .unwrap();
        let mut out: Vec<Finding> = Vec::new();
        let mut em = Emitter::new(&policy, &mut out, b"");
        assert!(!em.wants(r::VIA_REQUIRED));
        em.emit(r::VIA_REQUIRED, None, Detail::new("x"));
        em.emit(r::TO_TAG_MISSING, Some(Span::new(1, 2)), Detail::new("x"));
        em.emit_at(
            r::R_489_ALLOW_EVENTS,
            Severity::Warning,
            None,
            Detail::new("x"),
        );
        em.emit(r::REASON_PHRASE_NONDEFAULT, None, Detail::new("x"));
        drop(em);
        let got: Vec<_> = out.iter().map(|f| (f.rule(), f.severity())).collect();
        assert_eq!(
            got,
            [
                ("to-tag-missing", Severity::Warning),
                ("489-allow-events", Severity::Warning)
            ]
        );
        assert_eq!(out[0].span(), Some(Span::new(1, 2)));
    }

    /// Two broken pieces of one rule with only SP/HTAB between them are
    /// one finding; a separator, another rule or another severity between
    /// them keeps them apart; the very same finding twice is one, and so
    /// are two of one rule whose spans nest.
    #[test]
    fn adjacent_findings_of_one_rule_are_one() {
        let src = b"Via: SIP/2.0/UDP h;branch\tz9hG4bK1;a=@;b=@";
        let policy = Policy::default();
        let mut out: Vec<Finding> = Vec::new();
        let mut em = Emitter::new(&policy, &mut out, src);
        let d = Detail::new("x");
        em.emit(r::VIA_PARAM_SYNTAX, Some(Span::new(19, 25)), d);
        em.emit(r::VIA_PARAM_SYNTAX, Some(Span::new(26, 35)), d);
        em.emit(r::VIA_PARAM_SYNTAX, Some(Span::new(36, 39)), d);
        em.emit(r::VIA_PARAM_SYNTAX, Some(Span::new(40, 43)), d);
        em.emit(r::VIA_SENT_BY_SYNTAX, Some(Span::new(43, 43)), d);
        em.emit(r::VIA_SENT_BY_SYNTAX, Some(Span::new(43, 43)), d);
        // Nested: a part inside the value just named, then the value
        // around a part just named.
        em.emit(r::NAME_ADDR_SYNTAX, Some(Span::new(5, 20)), d);
        em.emit(r::NAME_ADDR_SYNTAX, Some(Span::new(8, 20)), d);
        em.emit(r::CONTACT_SYNTAX, Some(Span::new(8, 12)), d);
        em.emit(r::CONTACT_SYNTAX, Some(Span::new(5, 20)), d);
        drop(em);
        let got: Vec<_> = out.iter().map(|f| (f.rule(), f.span().unwrap())).collect();
        assert_eq!(
            got,
            [
                ("via-param-syntax", Span::new(19, 35)),
                ("via-param-syntax", Span::new(36, 39)),
                ("via-param-syntax", Span::new(40, 43)),
                ("via-sent-by-syntax", Span::new(43, 43)),
                ("name-addr-syntax", Span::new(5, 20)),
                ("contact-syntax", Span::new(5, 20)),
            ]
        );
    }
}
