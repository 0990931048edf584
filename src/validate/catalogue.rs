//! The rule catalogue: every rule of the SIP response rule table (sections
//! 1 to 8), with its default severity, RFC cite, needed context, whether
//! this crate checks it yet and the file that does; [`rules`] shows it.
//!
//! Rule ids are public API: users filter and override findings by id, so an
//! id is spelled exactly as in the spec and never renamed. The table itself
//! is generated (`table.rs` and `catalogue.md`, by `tools/gen_catalogue.py`
//! from the repository's `tests/data/response-rules.md`), and
//! `tests/catalogue.rs` checks it against that copy of the spec.
//!
//! The shared spec is kept byte-exact, so rules this crate adds before the
//! spec has them (the transaction rules `final-response-multiple`,
//! `provisional-after-final`, `rseq-sequence`) are rows of a second file,
//! `tests/data/response-rules.local.md`, with the same columns and id
//! rules; they follow the spec's rows in [`rules`]. A local id that the
//! spec later takes in fails `tests/catalogue.rs` until its local row is
//! deleted, so one id never has two definitions.

use core::fmt;

use super::finding::{Cite, Severity};
use super::table::{RULES, RULE_COUNT};

/// A set of the spec's context keys (its "Context" column): what a check
/// needs besides the response. A small `Copy` bit set.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Contexts(u8);

impl Contexts {
    /// `msg`: the response alone (the method comes from its CSeq).
    pub const MSG: Contexts = Contexts(1);
    /// `req`: the original request.
    pub const REQ: Contexts = Contexts(1 << 1);
    /// `txn`: other messages of the transaction or dialog, or their timing.
    pub const TXN: Contexts = Contexts(1 << 2);
    /// `transport`: the transport the response arrived on.
    pub const TRANSPORT: Contexts = Contexts(1 << 3);
    /// `proxy-fwd`: the checker is a proxy about to forward the response.
    pub const PROXY_FWD: Contexts = Contexts(1 << 4);
    /// `uac`: the checker is the UAC, the final consumer.
    pub const UAC: Contexts = Contexts(1 << 5);
    /// `origin`: knowledge of what generated the response.
    pub const ORIGIN: Contexts = Contexts(1 << 6);

    const NAMES: [(Contexts, &'static str); 7] = [
        (Contexts::MSG, "msg"),
        (Contexts::REQ, "req"),
        (Contexts::TXN, "txn"),
        (Contexts::TRANSPORT, "transport"),
        (Contexts::PROXY_FWD, "proxy-fwd"),
        (Contexts::UAC, "uac"),
        (Contexts::ORIGIN, "origin"),
    ];

    /// The empty set.
    pub const fn empty() -> Contexts {
        Contexts(0)
    }

    /// Both sets.
    pub const fn union(self, other: Contexts) -> Contexts {
        Contexts(self.0 | other.0)
    }

    /// True when every key of `other` is in `self`.
    pub const fn contains(self, other: Contexts) -> bool {
        self.0 & other.0 == other.0
    }

    /// True when the two sets share a key.
    pub const fn intersects(self, other: Contexts) -> bool {
        self.0 & other.0 != 0
    }

    /// True when no key is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The spec spellings of the keys in the set, in spec order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES
            .into_iter()
            .filter(move |(c, _)| self.contains(*c))
            .map(|(_, n)| n)
    }

    /// The key spelled `name` in the spec (`"proxy-fwd"`...).
    pub fn from_name(name: &str) -> Option<Contexts> {
        Self::NAMES
            .into_iter()
            .find(|(_, n)| *n == name)
            .map(|(c, _)| c)
    }
}

impl fmt::Debug for Contexts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

/// Whether, and why not, this crate checks a rule.
///
/// Non-exhaustive: a later version may tell more cases apart, so match
/// with a wildcard arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RuleStatus {
    /// Implemented: `validate` reports it.
    Checked,
    /// Checked, but by another API than `validate`, because the condition
    /// stops that API before a response could be validated: the text names
    /// it. `status-code-not-3-digits` makes the parser fail (a response
    /// without a three-digit code does not parse, and
    /// [`ParseError::rule`](crate::ParseError::rule) names this id);
    /// the transaction rules (`final-response-multiple`,
    /// `to-tag-inconsistent`...) compare a response with the rest of its
    /// transaction, which [`TxnTracker`](super::TxnTracker) keeps over a
    /// capture.
    CheckedBy(&'static str),
    /// Decidable from one response plus [`Context`](super::Context) (and,
    /// for `req` rules, the matching request), but not implemented yet.
    Pending,
    /// Needs state one response and its Context cannot give: the text says
    /// what (a proxy's transaction state, other messages, the origin...).
    NeedsState(&'static str),
}

/// One rule of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RuleInfo {
    /// The spec id, e.g. `"405-allow-required"` (public API).
    pub id: &'static str,
    /// Severity before any [`Policy`](super::Policy) override. For rules
    /// whose spec severity depends on the condition (`error / warning`) this
    /// is the first (primary) one; the check emits the condition's own.
    pub default_severity: Severity,
    /// The RFC reference.
    pub cite: Cite,
    /// What the check needs besides the response.
    pub contexts: Contexts,
    /// One line in plain words.
    pub summary: &'static str,
    /// Whether the crate checks it.
    pub status: RuleStatus,
    /// For rules the spec lowered on purpose (`warning↓`, `info↓`): the
    /// severity its RFC keyword alone would give. [`Policy::strict`](super::Policy::strict)
    /// restores it.
    pub lowered_from: Option<Severity>,
    /// The source file of this crate that checks the rule (a path from the
    /// crate root; each rule is reported from one file), found by
    /// `tools/gen_catalogue.py` from the code itself; empty for a rule no
    /// code here reports (pending, needing state, or the parser's).
    pub file: &'static str,
}

/// A handle to one catalogue rule: a small `Copy` index, so findings stay
/// `Copy` and policies can index per-rule tables.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rule(u16);

impl Rule {
    /// The handle of the rule at position `i` in [`rules()`].
    pub(crate) const fn from_index(i: u16) -> Rule {
        Rule(i)
    }

    /// Position in [`rules()`].
    pub const fn index(self) -> usize {
        self.0 as usize
    }

    /// The rule's catalogue entry.
    pub fn info(self) -> &'static RuleInfo {
        &RULES[self.index()]
    }

    /// The spec id.
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// The rule with spec id `id` (exact, case-sensitive, as ids are API).
    pub fn from_id(id: &str) -> Option<Rule> {
        RULES
            .iter()
            .position(|r| r.id == id)
            .map(|i| Rule(i as u16))
    }

    /// Every rule, in spec order.
    pub fn all() -> impl Iterator<Item = Rule> {
        (0..RULE_COUNT as u16).map(Rule)
    }
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Every rule of the spec (sections 1 to 8), in spec order, then the local
/// rows pending upstream (`tests/data/response-rules.local.md`).
///
/// The catalogue, generated from the spec table by `tools/gen_catalogue.py`
/// (status as of this version; "Checked in" is the file that reports the
/// rule):
///
#[doc = include_str!("catalogue.md")]
pub fn rules() -> &'static [RuleInfo] {
    &RULES
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::table::r;

    #[test]
    fn handles_round_trip() {
        assert_eq!(rules().len(), 225);
        for (i, info) in rules().iter().enumerate() {
            let rule = Rule::from_id(info.id).unwrap();
            assert_eq!(rule.index(), i);
            assert_eq!(rule.info(), info);
            assert_eq!(rule.to_string(), info.id);
        }
        assert_eq!(Rule::all().count(), 225);
        assert_eq!(Rule::from_id("405-Allow-Required"), None);
        assert_eq!(Rule::from_id(""), None);
        assert_eq!(r::R_405_ALLOW_REQUIRED.id(), "405-allow-required");
        assert_eq!(r::VIA_TOP_NOT_OURS.id(), "via-top-not-ours");
    }

    #[test]
    fn split_and_lowered_severities() {
        let info = r::R_1XX_100REL_CONSISTENCY.info();
        assert_eq!(info.default_severity, Severity::Error);
        assert_eq!(info.lowered_from, None);
        let info = r::TO_TAG_INCONSISTENT.info();
        assert_eq!(info.default_severity, Severity::Warning);
        assert_eq!(info.lowered_from, Some(Severity::Error));
        let info = r::R_413_RETRY_AFTER.info();
        assert_eq!(info.default_severity, Severity::Info);
        assert_eq!(info.lowered_from, Some(Severity::Warning));
    }

    #[test]
    fn state_needing_rules_say_what_they_need() {
        let needs = |rule: Rule| match rule.info().status {
            RuleStatus::NeedsState(what) => !what.is_empty(),
            _ => false,
        };
        assert!(needs(r::PROXY_RECORD_ROUTE_TLS_REWRITE));
        assert!(!needs(r::TO_TAG_INCONSISTENT)); // the TxnTracker's now
        assert!(!needs(r::PROXY_6XX_HANDLING)); // over a proxy's branches
        assert!(needs(r::R_401_FROM_PROXY));
        // Every rule that needs only txn/origin knowledge is NeedsState,
        // or the transaction tracker's (a rule with a `req` part is checked
        // against the matched request: `199-requires-uac-support`).
        assert!(!needs(r::R_199_REQUIRES_UAC_SUPPORT));
        for info in rules() {
            let only_state = !info.contexts.intersects(
                Contexts::MSG
                    .union(Contexts::TRANSPORT)
                    .union(Contexts::UAC)
                    .union(Contexts::REQ),
            );
            let only_state = only_state
                && info
                    .contexts
                    .intersects(Contexts::TXN.union(Contexts::ORIGIN));
            if only_state {
                assert!(
                    matches!(info.status, RuleStatus::NeedsState(_))
                        || matches!(info.status, RuleStatus::CheckedBy(api) if api.contains("TxnTracker")),
                    "{}",
                    info.id
                );
            }
        }
    }

    #[test]
    fn rules_checked_elsewhere_name_their_api() {
        let by = |rule: Rule| match rule.info().status {
            RuleStatus::CheckedBy(api) => Some(api),
            _ => None,
        };
        assert!(by(r::STATUS_CODE_NOT_3_DIGITS).is_some_and(|a| a.contains("ParseError::rule")));
        for rule in [
            r::PROXY_REMOVE_TOP_VIA,
            r::PROXY_STRAY_RESPONSE,
            r::VIA_TOP_NOT_OURS,
        ] {
            assert_eq!(by(rule), None, "{rule}");
        }
        for rule in [
            r::TO_TAG_INCONSISTENT,
            r::R_100_NON_INVITE_UDP_EARLY,
            r::INVITE_PROVISIONAL_REFRESH,
            r::FINAL_RESPONSE_MULTIPLE,
            r::PROVISIONAL_AFTER_FINAL,
            r::RSEQ_SEQUENCE,
            r::PROXY_NO_BODY_CHANGE,
            r::PROXY_TO_TAG_IMMUTABLE,
            r::PROXY_503_FORWARD,
            r::PROXY_424_UNCHANGED,
            r::PROXY_ALLOW_EVENTS_INSERT,
            r::PROXY_PATH_SERVICE_ROUTE_UNALTERED,
            r::R_2XX_INVITE_SDP,
            r::R_500_REINVITE_RETRY_AFTER,
            r::PROXY_FORWARD_TIMING,
            r::PROXY_BEST_RESPONSE,
            r::PROXY_AUTH_AGGREGATION,
            r::PROXY_LATE_NON_INVITE,
            r::PROXY_6XX_HANDLING,
            r::PROXY_3XX_RECURSION,
            r::PROXY_199_FORWARD,
            r::R_416_PROXY_RECURSE,
            r::R_199_PROXY_NO_CONTACT_RR,
        ] {
            assert!(by(rule).is_some_and(|a| a.contains("TxnTracker")), "{rule}");
        }
        assert_eq!(
            rules()
                .iter()
                .filter(|i| matches!(i.status, RuleStatus::CheckedBy(_)))
                .count(),
            24
        );
    }

    #[test]
    fn contexts_set() {
        let c = Contexts::MSG.union(Contexts::REQ);
        assert!(c.contains(Contexts::MSG) && c.contains(Contexts::REQ));
        assert!(!c.contains(Contexts::TXN));
        assert!(!c.contains(Contexts::MSG.union(Contexts::TXN)));
        assert_eq!(c.names().collect::<Vec<_>>(), ["msg", "req"]);
        assert_eq!(Contexts::from_name("proxy-fwd"), Some(Contexts::PROXY_FWD));
        assert_eq!(Contexts::from_name("proxy"), None);
        assert!(Contexts::empty().is_empty());
        assert_eq!(format!("{:?}", c), r#"{"msg", "req"}"#);
    }
}
