//! `serde::Serialize` for the validator's output (feature `serde`).
//!
//! One JSON shape for every tool that logs findings, so a proxy, the
//! `validate` example and a capture audit write the same records:
//!
//! * [`Finding`]: `{"rule": "405-allow-required", "severity": "error",
//!   "cite": "RFC 3261 §…", "span": [start, end] | null, "detail": "…",
//!   "verdict": false}`. The rule is its spec id (kebab-case, public API),
//!   `verdict` says whether it is a forwarding verdict rather than a defect
//!   of the response (see [`Report`]).
//! * [`Report`]: `{"findings": [...], "verdicts": [...]}`, the two groups of
//!   [`Report::defects`] and [`Report::verdicts`].
//! * [`Severity`]: `"info"`, `"warning"` or `"error"`; [`Cite`]: its text;
//!   [`Span`]: `[start, end]`; [`StatusCode`]: the number.
//! * The catalogue: [`Rule`] is its id, [`Contexts`] the list of the spec's
//!   key names, [`RuleStatus`] `"checked"`, `{"checked-by": "…"}`,
//!   `"pending"` or `{"needs-state": "…"}`, and [`RuleInfo`] a struct of
//!   its fields (`id`, `default-severity`, `cite`, `contexts`, `summary`,
//!   `status`, `lowered-from`).
//!
//! Serialization only: these are reports, read back by other tools.

use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};

use crate::code::StatusCode;
use crate::span::Span;
use crate::validate::{Cite, Contexts, Finding, Report, Rule, RuleInfo, RuleStatus, Severity};

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.start, self.end].serialize(s)
    }
}

impl Serialize for StatusCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(self.as_u16())
    }
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Serialize for Cite {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.text())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

impl Serialize for Contexts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for name in self.names() {
            seq.serialize_element(name)?;
        }
        seq.end()
    }
}

impl Serialize for RuleStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            RuleStatus::Checked => s.serialize_unit_variant("RuleStatus", 0, "checked"),
            RuleStatus::CheckedBy(t) => {
                s.serialize_newtype_variant("RuleStatus", 1, "checked-by", t)
            }
            RuleStatus::Pending => s.serialize_unit_variant("RuleStatus", 2, "pending"),
            RuleStatus::NeedsState(t) => {
                s.serialize_newtype_variant("RuleStatus", 3, "needs-state", t)
            }
        }
    }
}

impl Serialize for RuleInfo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("RuleInfo", 7)?;
        st.serialize_field("id", self.id)?;
        st.serialize_field("default-severity", &self.default_severity)?;
        st.serialize_field("cite", &self.cite)?;
        st.serialize_field("contexts", &self.contexts)?;
        st.serialize_field("summary", self.summary)?;
        st.serialize_field("status", &self.status)?;
        st.serialize_field("lowered-from", &self.lowered_from)?;
        st.end()
    }
}

/// A [`Detail`](crate::validate::Detail) as its rendered text.
struct Rendered<T>(T);

impl<T: core::fmt::Display> Serialize for Rendered<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Finding", 6)?;
        st.serialize_field("rule", self.rule())?;
        st.serialize_field("severity", &self.severity())?;
        st.serialize_field("cite", &self.cite())?;
        st.serialize_field("span", &self.span())?;
        st.serialize_field("detail", &Rendered(self.detail()))?;
        st.serialize_field("verdict", &self.is_verdict())?;
        st.end()
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Report", 2)?;
        st.serialize_field("findings", self.defects())?;
        st.serialize_field("verdicts", self.verdicts())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, to_value};

    use crate::validate::{rules, validate, Context, Role};
    use crate::{parse_response, StatusCode};

    #[test]
    fn finding_and_report_shapes() {
        let input = b"SIP/2.0 405 Method Not Allowed\r\n\
Via: SIP/2.0/UDP p.example.com;branch=z9hG4bK1\r\n\
From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.org>;tag=2\r\n\
Call-ID: c\r\nCSeq: 1 PUBLISH\r\nContent-Length: 0\r\n\r\n";
        let resp = parse_response(input).unwrap();
        let ctx = Context::new()
            .with_role(Role::Proxy)
            .with_own_sent_by("q.example.com", None);
        let report = validate(&resp, &ctx);
        let v = to_value(&report).unwrap();
        let defects = v["findings"].as_array().unwrap();
        let verdicts = v["verdicts"].as_array().unwrap();
        assert_eq!(defects.len(), report.defects().len());
        assert_eq!(verdicts.len(), report.verdicts().len());
        let allow = defects
            .iter()
            .find(|f| f["rule"] == "405-allow-required")
            .unwrap();
        let f = report.by_rule("405-allow-required").next().unwrap();
        let span = f.span().unwrap();
        assert_eq!(
            *allow,
            json!({
                "rule": "405-allow-required",
                "severity": "error",
                "cite": f.cite().text(),
                "span": [span.start, span.end],
                "detail": f.detail().to_string(),
                "verdict": false,
            })
        );
        assert_eq!(verdicts[0]["rule"], "via-top-not-ours");
        assert_eq!(verdicts[0]["verdict"], true);
    }

    #[test]
    fn scalars_and_catalogue() {
        assert_eq!(to_value(StatusCode::OK).unwrap(), json!(200));
        assert_eq!(to_value(crate::Span::new(3, 9)).unwrap(), json!([3, 9]));
        let all = to_value(rules()).unwrap();
        let all = all.as_array().unwrap();
        assert_eq!(all.len(), rules().len());
        let stc = all
            .iter()
            .find(|r| r["id"] == "status-code-not-3-digits")
            .unwrap();
        assert_eq!(stc["default-severity"], "error");
        assert_eq!(stc["contexts"], json!(["msg"]));
        assert!(stc["status"]["checked-by"].is_string());
        assert_eq!(stc["lowered-from"], json!(null));
        let checked = all
            .iter()
            .find(|r| r["id"] == "405-allow-required")
            .unwrap();
        assert_eq!(checked["status"], "checked");
        for r in all {
            let id = r["id"].as_str().unwrap();
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{id} is not kebab-case"
            );
        }
    }
}
