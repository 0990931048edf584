//! Site policy: per-rule severity overrides, disabled rules, presets and a
//! minimum-severity filter.
//!
//! The spec says "Users may override any severity" (How to read, Sev). A
//! policy is built once and applied while findings are emitted, so it costs
//! one table lookup per finding and never allocates at validate time.

use super::catalogue::Rule;
use super::finding::Severity;
use super::table::{RULES, RULE_COUNT};

/// A rule id that is not in the catalogue (ids are exact and case-sensitive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule id")]
pub struct UnknownRule;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Setting {
    /// The severity the check emits (catalogue default or condition-specific).
    Default,
    /// Never report.
    Off,
    /// Always report at this severity.
    Fixed(Severity),
}

/// Which rules are reported, and at what severity.
///
/// `Policy::default()` reports every rule at the severity the check emits
/// (the spec's defaults), except `reason-phrase-nondefault`, which the spec
/// says to report "only on request" (RFC 3261 §7.2 lets implementations
/// choose any phrase); enable it with [`Policy::enable`] or
/// [`Policy::set_severity`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    settings: [Setting; RULE_COUNT],
    min_severity: Severity,
}

impl Default for Policy {
    fn default() -> Self {
        let mut p = Policy {
            settings: [Setting::Default; RULE_COUNT],
            min_severity: Severity::Info,
        };
        p.set(super::table::r::REASON_PHRASE_NONDEFAULT, Setting::Off);
        p
    }
}

impl Policy {
    /// The default policy (see the type docs).
    pub fn new() -> Self {
        Self::default()
    }

    /// The RFC keywords as written: every rule whose default the spec lowered
    /// on purpose (`warning↓`, `info↓`) is reported at the severity its
    /// keyword gives (MUST / ABNF → error, SHOULD → warning). For example a
    /// missing From tag (MUST on the UAC, §8.1.1.3) becomes an error and a
    /// 413 without Retry-After a warning. Use it to test your own stack.
    pub fn strict() -> Self {
        let mut p = Self::default();
        for rule in Rule::all() {
            if let Some(sev) = rule.info().lowered_from {
                p.set(rule, Setting::Fixed(sev));
            }
        }
        p
    }

    /// For a receiver that must interoperate: info findings are dropped
    /// (minimum severity warning), and errors that the RFCs tell receivers
    /// to tolerate become warnings:
    /// `to-tag-missing` (RFC 2543 peers omit it; RFC 3261 §12.1.2 UACs cope),
    /// `1xx-early-dialog-contact` (Table 2 says optional; spec row allows a
    /// site to lower it), `auth-digest-params` (a missing `qop` must still
    /// be accepted, RFC 3261 §22.4), `sip-version-not-uppercase` (receivers
    /// compare case-insensitively, §7.1) and `via-received-syntax`
    /// (bracketed IPv6 must be accepted, RFC 5118 §4.5).
    pub fn lenient() -> Self {
        use super::table::r;
        let mut p = Policy {
            min_severity: Severity::Warning,
            ..Self::default()
        };
        for rule in [
            r::TO_TAG_MISSING,
            r::R_1XX_EARLY_DIALOG_CONTACT,
            r::AUTH_DIGEST_PARAMS,
            r::SIP_VERSION_NOT_UPPERCASE,
            r::VIA_RECEIVED_SYNTAX,
        ] {
            p.set(rule, Setting::Fixed(Severity::Warning));
        }
        p
    }

    fn set(&mut self, rule: Rule, s: Setting) {
        self.settings[rule.index()] = s;
    }

    fn lookup(id: &str) -> Result<Rule, UnknownRule> {
        Rule::from_id(id).ok_or(UnknownRule)
    }

    /// Reports rule `id` always at `severity` (also for rules whose check
    /// picks a condition-specific severity).
    pub fn set_severity(&mut self, id: &str, severity: Severity) -> Result<&mut Self, UnknownRule> {
        let rule = Self::lookup(id)?;
        self.set(rule, Setting::Fixed(severity));
        Ok(self)
    }

    /// Never reports rule `id`.
    pub fn disable(&mut self, id: &str) -> Result<&mut Self, UnknownRule> {
        let rule = Self::lookup(id)?;
        self.set(rule, Setting::Off);
        Ok(self)
    }

    /// Reports rule `id` again at the severity its check emits.
    pub fn enable(&mut self, id: &str) -> Result<&mut Self, UnknownRule> {
        let rule = Self::lookup(id)?;
        self.set(rule, Setting::Default);
        Ok(self)
    }

    /// Drops every finding below `severity` (after overrides).
    pub fn set_min_severity(&mut self, severity: Severity) -> &mut Self {
        self.min_severity = severity;
        self
    }

    /// The minimum severity reported.
    pub const fn min_severity(&self) -> Severity {
        self.min_severity
    }

    /// Whether rule `rule` can be reported at all (it is not disabled).
    pub fn is_enabled(&self, rule: Rule) -> bool {
        self.settings[rule.index()] != Setting::Off
    }

    /// The severity to report for a finding of `rule` that its check emitted
    /// at `emitted`, or `None` when the policy drops it.
    pub fn apply(&self, rule: Rule, emitted: Severity) -> Option<Severity> {
        let sev = match self.settings[rule.index()] {
            Setting::Default => emitted,
            Setting::Off => return None,
            Setting::Fixed(s) => s,
        };
        (sev >= self.min_severity).then_some(sev)
    }

    /// The severity `rule` is reported at when its check emits its default.
    pub fn effective_severity(&self, rule: Rule) -> Option<Severity> {
        self.apply(rule, RULES[rule.index()].default_severity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::table::r;

    #[test]
    fn default_policy_is_the_spec() {
        let p = Policy::default();
        for rule in Rule::all() {
            let expected = if rule == r::REASON_PHRASE_NONDEFAULT {
                None
            } else {
                Some(rule.info().default_severity)
            };
            assert_eq!(p.effective_severity(rule), expected, "{rule}");
        }
        // A condition-specific severity passes through untouched.
        assert_eq!(
            p.apply(r::R_423_MIN_EXPIRES_REQUIRED, Severity::Warning),
            Some(Severity::Warning)
        );
    }

    #[test]
    fn overrides_and_unknown_ids() {
        let mut p = Policy::new();
        p.set_severity("to-tag-missing", Severity::Info).unwrap();
        p.disable("via-required").unwrap();
        assert_eq!(
            p.effective_severity(r::TO_TAG_MISSING),
            Some(Severity::Info)
        );
        assert_eq!(
            p.apply(r::R_423_MIN_EXPIRES_REQUIRED, Severity::Warning),
            Some(Severity::Warning)
        );
        p.set_severity("423-min-expires-required", Severity::Info)
            .unwrap();
        assert_eq!(
            p.apply(r::R_423_MIN_EXPIRES_REQUIRED, Severity::Error),
            Some(Severity::Info)
        );
        assert_eq!(p.effective_severity(r::VIA_REQUIRED), None);
        assert!(!p.is_enabled(r::VIA_REQUIRED));
        p.enable("via-required").unwrap();
        assert_eq!(p.effective_severity(r::VIA_REQUIRED), Some(Severity::Error));
        for bad in ["", "Via-Required", "via-required ", "no-such-rule"] {
            assert_eq!(
                p.set_severity(bad, Severity::Error).err(),
                Some(UnknownRule)
            );
            assert_eq!(p.disable(bad).err(), Some(UnknownRule));
            assert_eq!(p.enable(bad).err(), Some(UnknownRule));
        }
    }

    #[test]
    fn min_severity_filters_after_overrides() {
        let mut p = Policy::new();
        p.set_min_severity(Severity::Warning);
        assert_eq!(p.effective_severity(r::STATUS_CODE_UNREGISTERED), None);
        assert_eq!(
            p.effective_severity(r::CSEQ_METHOD_CASE),
            Some(Severity::Warning)
        );
        p.set_severity("status-code-unregistered", Severity::Warning)
            .unwrap();
        assert_eq!(
            p.effective_severity(r::STATUS_CODE_UNREGISTERED),
            Some(Severity::Warning)
        );
    }

    #[test]
    fn presets() {
        let s = Policy::strict();
        assert_eq!(
            s.effective_severity(r::FROM_TAG_MISSING),
            Some(Severity::Error)
        );
        assert_eq!(
            s.effective_severity(r::R_413_RETRY_AFTER),
            Some(Severity::Warning)
        );
        assert_eq!(
            s.effective_severity(r::REASON_PHRASE_OUTSIDE_GRAMMAR),
            Some(Severity::Error)
        );
        assert_eq!(s.effective_severity(r::VIA_REQUIRED), Some(Severity::Error));
        assert_eq!(
            s.effective_severity(r::STATUS_CODE_UNREGISTERED),
            Some(Severity::Info)
        );
        let l = Policy::lenient();
        assert_eq!(
            l.effective_severity(r::TO_TAG_MISSING),
            Some(Severity::Warning)
        );
        assert_eq!(l.effective_severity(r::VIA_REQUIRED), Some(Severity::Error));
        assert_eq!(l.effective_severity(r::STATUS_CODE_UNREGISTERED), None);
        assert_eq!(
            l.effective_severity(r::R_3XX_CONTACT_EXPECTED),
            Some(Severity::Warning)
        );
    }
}
