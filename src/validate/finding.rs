//! What the validator reports: [`Finding`], its [`Severity`], the RFC
//! [`Cite`] behind it and a lazily rendered [`Detail`].
//!
//! A finding is `Copy` and holds no heap data, so a proxy can count or filter
//! findings through a non-allocating [`FindingSink`](super::FindingSink)
//! without a single allocation per message.

use core::fmt;
use core::str::FromStr;

use crate::header::KnownHeader;
use crate::span::Span;

use super::catalogue::{Rule, RuleInfo};

/// How serious a finding is, following RFC 2119 (spec "How to read").
/// Any transport and role.
///
/// MUST / MUST NOT / ABNF give [`Severity::Error`], SHOULD / SHOULD NOT give
/// [`Severity::Warning`], MAY and notes give [`Severity::Info`]. The order is
/// `Info < Warning < Error`, so the worst of a report is a plain `max()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Informational: legal, or only worth knowing (MAY, notes).
    Info,
    /// A SHOULD-level deviation, or a MUST the spec lowered on purpose.
    Warning,
    /// A MUST-level or grammar (ABNF) violation.
    Error,
}

impl Severity {
    /// Every severity, lowest first.
    pub const ALL: [Severity; 3] = [Severity::Info, Severity::Warning, Severity::Error];

    /// The lower-case name used by the spec's Sev column and `.expect` files.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not `info`, `warning` or `error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity (expected info, warning or error)")]
pub struct UnknownSeverity;

impl FromStr for Severity {
    type Err = UnknownSeverity;

    /// Parses `info`, `warning` or `error`, ignoring ASCII case, so that a
    /// configuration file can use the spec's own spelling.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .ok_or(UnknownSeverity)
    }
}

/// Where a rule comes from: the RFC(s) and section(s) of the spec's
/// Reference column, e.g. `RFC 3261 §21.4.6`. Any transport and role.
///
/// Kept as static text plus the number of the first RFC it names, so it can
/// be printed and filtered on without allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cite {
    rfc: u16,
    text: &'static str,
}

impl Cite {
    /// A cite whose first RFC is `rfc` and whose full reference is `text`.
    pub const fn new(rfc: u16, text: &'static str) -> Self {
        Cite { rfc, text }
    }

    /// Number of the first (primary) RFC, e.g. `3261`.
    pub const fn rfc(&self) -> u16 {
        self.rfc
    }

    /// The full reference text, e.g. `"RFC 3261 §8.2.1, §20.5, §21.4.6; Table 2"`.
    pub const fn text(&self) -> &'static str {
        self.text
    }

    /// Every RFC number the reference names, in order (duplicates kept).
    pub fn rfcs(&self) -> impl Iterator<Item = u16> + 'static {
        self.text.split("RFC ").skip(1).filter_map(|rest| {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            rest.get(..digits)?.parse().ok()
        })
    }
}

impl fmt::Display for Cite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// The small, `Copy` argument a [`Detail`] may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DetailArg {
    /// No argument.
    None,
    /// A number: a count, a value or a limit.
    Number(u64),
    /// A header the finding is about.
    Header(KnownHeader),
    /// A short static word (a method, an option tag, a parameter name...).
    Word(&'static str),
}

/// A short human explanation: static text plus an optional small argument,
/// rendered only when displayed, so building a finding never allocates.
/// Any transport and role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Detail {
    text: &'static str,
    arg: DetailArg,
}

impl Detail {
    /// A detail with no argument.
    pub const fn new(text: &'static str) -> Self {
        Detail {
            text,
            arg: DetailArg::None,
        }
    }

    /// A detail with an argument, displayed as `text (arg)`.
    pub const fn with(text: &'static str, arg: DetailArg) -> Self {
        Detail { text, arg }
    }

    /// The static text.
    pub const fn text(&self) -> &'static str {
        self.text
    }

    /// The argument.
    pub const fn arg(&self) -> DetailArg {
        self.arg
    }
}

impl fmt::Display for Detail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)?;
        match self.arg {
            DetailArg::None => Ok(()),
            DetailArg::Number(n) => write!(f, " ({n})"),
            DetailArg::Header(h) => write!(f, " ({})", h.as_str()),
            DetailArg::Word(w) => write!(f, " ({w})"),
        }
    }
}

/// One rule broken by one response: which rule, how serious, where. Any
/// transport and role; from [`validate`](crate::validate()), and from the
/// forwarder ([`Refused::findings`](crate::Refused::findings),
/// [`Forwarded::findings`](crate::Forwarded::findings)) for a proxy.
///
/// The severity is the one after [`Policy`](super::Policy) overrides, and for
/// rules with condition-specific severities (spec rows like `error / warning`)
/// the one that matches the condition found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Finding {
    rule: Rule,
    severity: Severity,
    span: Option<Span>,
    detail: Detail,
}

impl Finding {
    /// A finding of `rule` at `severity`, located at `span`.
    pub const fn new(rule: Rule, severity: Severity, span: Option<Span>, detail: Detail) -> Self {
        Finding {
            rule,
            severity,
            span,
            detail,
        }
    }

    /// The rule id, exactly as written in the spec (public API, never renamed).
    pub fn rule(&self) -> &'static str {
        self.rule.id()
    }

    /// The rule as a handle into the catalogue.
    pub const fn rule_handle(&self) -> Rule {
        self.rule
    }

    /// The catalogue entry of the rule.
    pub fn rule_info(&self) -> &'static RuleInfo {
        self.rule.info()
    }

    /// How serious this finding is.
    pub const fn severity(&self) -> Severity {
        self.severity
    }

    /// The RFC reference behind the rule.
    pub fn cite(&self) -> Cite {
        self.rule.info().cite
    }

    /// Byte span in the parsed buffer: the status line, a header row or
    /// value, or the body. `None` when the finding is about an absence that
    /// has no better place (rules that report a missing header use the
    /// span of the header section's end instead, when there is one).
    pub const fn span(&self) -> Option<Span> {
        self.span
    }

    /// A short human explanation.
    pub const fn detail(&self) -> Detail {
        self.detail
    }

    /// True when the finding is a verdict on what the receiving element
    /// does with the response (discard it, do not forward it), not a defect
    /// of the response: see [`is_verdict_rule`]. A [`Report`](super::Report)
    /// keeps verdicts apart, so that its
    /// [`has_errors`](super::Report::has_errors) means "this response is
    /// broken".
    pub fn is_verdict(&self) -> bool {
        is_verdict_rule(self.rule)
    }
}

/// The forwarding and delivery verdicts: rules whose finding says what the
/// element in [`Role::Proxy`](super::Role::Proxy) or
/// [`Role::Uac`](super::Role::Uac) must do with a response, not that the
/// response is malformed or breaks a rule of its sender.
///
/// * `100-not-forwarded`: a 100 is hop-by-hop; the proxy absorbs it
///   (RFC 3261 §16.7 step 5). Receiving a 100 is normal.
/// * `via-top-not-ours`, `proxy-stray-response`: the response is not for
///   this element; discard it silently (RFC 3261 §18.1.2, §16.11; RFC 6026
///   §8.2).
/// * `proxy-remove-top-via`: this proxy's Via was the only one, so the
///   response was meant for it (RFC 3261 §16.7 step 3).
/// * `proxy-broadcast-via`: forwarding would flood the broadcast address;
///   drop it (RFC 4475 §3.3.10).
///
/// [`forward_upstream`](crate::forward_upstream) reaches the same verdicts:
/// `100-not-forwarded` and `proxy-broadcast-via` through the very functions
/// the validator calls, `via-top-not-ours`, `proxy-stray-response` and
/// `proxy-remove-top-via` through the same top-Via judgement
/// ([`SentBy::matches`](super::SentBy::matches)).
pub fn is_verdict_rule(rule: Rule) -> bool {
    use super::table::r;
    [
        r::R_100_NOT_FORWARDED,
        r::VIA_TOP_NOT_OURS,
        r::PROXY_STRAY_RESPONSE,
        r::PROXY_REMOVE_TOP_VIA,
        r::PROXY_BROADCAST_VIA,
    ]
    .contains(&rule)
}

impl fmt::Display for Finding {
    /// `rule severity cite [span] detail`, one line, no trailing newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.rule(), self.severity, self.cite())?;
        if let Some(span) = self.span {
            write!(f, " {span}")?;
        }
        write!(f, ": {}", self.detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::catalogue::Rule;

    #[test]
    fn severity_order_and_names() {
        assert!(Severity::Info < Severity::Warning);
        assert!(Severity::Warning < Severity::Error);
        for sev in Severity::ALL {
            assert_eq!(sev.as_str().parse::<Severity>(), Ok(sev));
            assert_eq!(sev.as_str().to_uppercase().parse::<Severity>(), Ok(sev));
            assert_eq!(sev.to_string(), sev.as_str());
        }
        for bad in ["", "err", "fatal", "warning↓", " info"] {
            assert_eq!(bad.parse::<Severity>(), Err(UnknownSeverity), "{bad:?}");
        }
    }

    #[test]
    fn cite_lists_every_rfc() {
        let c = Cite::new(
            3261,
            "RFC 3261 §22.4 item 8, §25.1; RFC 8760 §2.6 item 8; RFC 2617 §1.2",
        );
        assert_eq!(c.rfcs().collect::<Vec<_>>(), [3261, 8760, 2617]);
        assert_eq!(c.rfc(), 3261);
        assert_eq!(c.to_string(), c.text());
        assert_eq!(Cite::new(0, "Table 2").rfcs().count(), 0);
    }

    #[test]
    fn detail_display() {
        assert_eq!(Detail::new("no Allow").to_string(), "no Allow");
        assert_eq!(
            Detail::with("repeated", DetailArg::Header(KnownHeader::CallId)).to_string(),
            "repeated (Call-ID)"
        );
        assert_eq!(Detail::with("n", DetailArg::Number(7)).to_string(), "n (7)");
        assert_eq!(
            Detail::with("m", DetailArg::Word("INVITE")).to_string(),
            "m (INVITE)"
        );
    }

    #[test]
    fn finding_accessors_and_display() {
        let rule = Rule::from_id("405-allow-required").unwrap();
        let f = Finding::new(
            rule,
            Severity::Error,
            Some(Span::new(0, 7)),
            Detail::new("no Allow header"),
        );
        assert_eq!(f.rule(), "405-allow-required");
        assert_eq!(f.cite().rfc(), 3261);
        assert_eq!(f.severity(), Severity::Error);
        assert_eq!(f.span(), Some(Span::new(0, 7)));
        assert_eq!(
            f.to_string(),
            format!(
                "405-allow-required error {} 0..7: no Allow header",
                f.cite()
            )
        );
    }
}
