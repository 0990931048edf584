#!/usr/bin/env python3
"""Generate src/validate/table.rs (the rule catalogue) from the spec.

Usage: python3 tools/gen_catalogue.py [path/to/response-rules.md]
(default: tests/data/response-rules.md, a byte-exact copy of the shared spec).

The local rows of tests/data/response-rules.local.md (rules this repository
added, pending upstream) follow the shared rows, in the same format; a local
id that the shared table also has is an error (delete the local row).

Inputs besides the spec:
  tools/summaries.tsv  one line per rule: id TAB one-line summary (our words)
  CHECKED below        ids implemented in src/validate/rules/
  CHECKED_BY below     ids checked by another API than validate(), naming it
  NEEDS_STATE below    ids that need state a single response + Context lacks
The spec's ID, Sev, Context and Reference columns are copied mechanically;
nothing else is taken from its prose. tests/catalogue.rs re-checks the result.

Each rule's `file` is found, not written by hand: the files under
src/validate/rules/ (and src/forward.rs for the forwarder's verdicts) whose
code, outside their tests, names the rule's handle `r::CONST`.

Outputs: src/validate/table.rs (the table) and src/validate/catalogue.md (the
same table as markdown, shown in the rustdoc of `validate::rules`).
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests/data/response-rules.md"
LOCAL = ROOT / "tests/data/response-rules.local.md"

# Rules implemented by src/validate/rules/*.rs.
CHECKED = set((ROOT / "tools/checked.txt").read_text().split()) if (ROOT / "tools/checked.txt").exists() else set()

# Rules that cannot be decided from one response plus Context: what is missing.
NEEDS_STATE = {
    "1xx-from-stateless-uas": "knowledge of whether the responder acted statelessly",
    "305-uas-only": "knowledge of whether a proxy generated the 305",
    "401-from-proxy": "knowledge of whether a proxy generated the 401",
    "proxy-record-route-tls-rewrite": "the transports the request arrived and left on",
}

# The transaction tracker (src/validate/txn/): the rules a capture decides
# by comparing a response with the rest of its transaction.
TRACKER = "validate::TxnTracker::observe (transaction state of a capture; validate reports them in capture mode)"

# Rules checked by another API than validate(): which one.
CHECKED_BY = {
    "to-tag-inconsistent": TRACKER,
    "100-non-invite-udp-early": TRACKER,
    "invite-provisional-refresh": TRACKER,
    "final-response-multiple": TRACKER,
    "provisional-after-final": TRACKER,
    "rseq-sequence": TRACKER,
    "proxy-no-body-change": TRACKER,
    "proxy-to-tag-immutable": TRACKER,
    "proxy-503-forward": TRACKER,
    "proxy-424-unchanged": TRACKER,
    "proxy-allow-events-insert": TRACKER,
    "proxy-path-service-route-unaltered": TRACKER,
    "2xx-invite-sdp": TRACKER,
    "500-reinvite-retry-after": TRACKER,
    "proxy-best-response": TRACKER + "; over the branches a capture shows (the 408 when no final came needs them all)",
    "proxy-auth-aggregation": TRACKER + "; challenges lost, over the branches a capture shows (reordering is not checked)",
    "proxy-forward-timing": TRACKER + "; over the branches a capture shows (a final forwarded while one of them was pending, or after the final)",
    "proxy-late-non-invite": TRACKER + "; a response forwarded after the server transaction's final once Timer J ran out (at once on a reliable transport)",
    "proxy-6xx-handling": TRACKER + "; over the branches a capture shows, judged on the proxy's final response upstream",
    "proxy-3xx-recursion": TRACKER + "; recursion seen as a branch to a contact of a 3xx received, judged on the 3xx sent upstream",
    "proxy-199-forward": TRACKER + "; a 199 received without a 199 of its dialog sent upstream before the proxy's final response (none at the end of a capture)",
    "416-proxy-recurse": TRACKER + "; needs the request the proxy received (its Request-URI scheme) and the branch's",
    "199-proxy-no-contact-rr": TRACKER + "; a 199 a proxy sends is known as its own when its early dialog's branch is in the capture, ended with a non-2xx and brought no 199",
    "status-code-not-3-digits": "the parser: parse fails with ParseErrorKind::StatusCodeNot3Digits (ParseError::rule)",
}

CTX = {"msg": "MSG", "req": "REQ", "txn": "TXN", "transport": "TRANSPORT",
       "proxy-fwd": "PROXY_FWD", "uac": "UAC", "origin": "ORIGIN"}
SEV = {"error": "Error", "warning": "Warning", "info": "Info"}


def strength_severity(strength):
    """Severity the RFC 2119 keyword alone would give (spec 'How to read')."""
    s = strength.upper()
    if s.startswith("MUST") or s.startswith("ABNF"):
        return "Error"
    if s.startswith("SHOULD") or "RECOMMENDED" in s:
        return "Warning"
    return "Info"


def rows(text, local=False):
    """The rule rows: sections 1 to 8 of the shared table, every row of the
    local file's "## Local rows" section."""
    sec = 0
    for line in text.splitlines():
        m = re.match(r"^## (\d+)\.", line)
        if m:
            sec = int(m.group(1))
        elif line.startswith("## "):
            sec = 1 if local and line.strip() == "## Local rows" else 0
        if 1 <= sec <= 8 and line.startswith("| ") and not line.startswith("| ID "):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            assert len(cells) == 7, line
            yield cells


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def const_name(rid):
    n = rid.upper().replace("-", "_")
    return "R_" + n if n[0].isdigit() else n


def checking_files():
    """const name -> files (relative to the root) naming `r::CONST` outside tests."""
    found = {}
    paths = sorted((ROOT / "src/validate/rules").glob("*.rs")) + [
        ROOT / "src/forward.rs"] + [
        p for p in sorted((ROOT / "src/validate/txn").glob("*.rs")) if p.name != "tests.rs"]
    for path in paths:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        cut = text.find("#[cfg(test)]")
        if cut >= 0:
            text = text[:cut]
        rel = str(path.relative_to(ROOT))
        for name in set(re.findall(r"\br::([A-Z0-9_]+)\b", text)):
            found.setdefault(name, []).append(rel)
    return found


def md_cell(s):
    """Plain text in a markdown table cell that rustdoc renders as text."""
    for a, b in (("\\", "\\\\"), ("|", "\\|"), ("[", "\\["), ("]", "\\]"),
                 ("*", "\\*"), ("<", "&lt;"), (">", "&gt;")):
        s = s.replace(a, b)
    return s


def main():
    files = checking_files()
    md = [
        "| Rule | Severity | Status | Checked in | RFC | Summary |",
        "|---|---|---|---|---|---|",
    ]
    summaries = {}
    for line in (ROOT / "tools/summaries.tsv").read_text(encoding="utf-8").splitlines():
        rid, text = line.split("\t")
        summaries[rid] = text
    out = []
    consts = []
    ids = []
    shared = list(rows(SPEC.read_text(encoding="utf-8")))
    local = list(rows(LOCAL.read_text(encoding="utf-8"), local=True)) if LOCAL.exists() else []
    shared_ids = {r[0] for r in shared}
    clash = [r[0] for r in local if r[0] in shared_ids]
    assert not clash, f"local rows now in the shared table, delete them from {LOCAL.name}: {clash}"
    for i, (rid, _applies, _when, ctx, strength, sev, ref) in enumerate(shared + local):
        ids.append(rid)
        primary = sev.split("/")[0].strip()
        lowered = primary.endswith("↓")
        base = SEV[primary.rstrip("↓")]
        lowered_from = f"Some(Severity::{strength_severity(strength)})" if lowered else "None"
        ctxs = [CTX[c.strip()] for c in ctx.split(",")]
        ctx_expr = "Contexts::" + ctxs[0]
        for c in ctxs[1:]:
            ctx_expr += f".union(Contexts::{c})"
        rfc = int(re.search(r"RFC (\d+)", ref).group(1))
        if rid in CHECKED:
            status = "RuleStatus::Checked"
        elif rid in CHECKED_BY:
            status = f"RuleStatus::CheckedBy({rust_str(CHECKED_BY[rid])})"
        elif rid in NEEDS_STATE:
            status = f"RuleStatus::NeedsState({rust_str(NEEDS_STATE[rid])})"
        else:
            assert not (set(ctxs) <= {"TXN", "ORIGIN"}), rid
            status = "RuleStatus::Pending"
        file = ", ".join(files.get(const_name(rid), []))
        status_word = status.split("::")[1].split("(")[0]
        md.append(
            f"| `{rid}` | {base.lower()} | {status_word} | {('`' + file + '`') if file else ''} "
            f"| {md_cell(ref)} | {md_cell(summaries[rid])} |")
        out.append(
            "    RuleInfo {\n"
            f"        id: {rust_str(rid)},\n"
            f"        default_severity: Severity::{base},\n"
            f"        cite: Cite::new({rfc}, {rust_str(ref)}),\n"
            f"        contexts: {ctx_expr},\n"
            f"        summary: {rust_str(summaries[rid])},\n"
            f"        status: {status},\n"
            f"        lowered_from: {lowered_from},\n"
            f"        file: {rust_str(file)},\n"
            "    },\n")
        consts.append(f"    /// `{rid}`\n    pub(crate) const {const_name(rid)}: Rule = Rule::from_index({i});\n")
    assert len(ids) == len(set(ids)) == len(summaries), (len(ids), len(summaries))
    assert set(ids) == set(summaries)
    assert CHECKED <= set(ids), CHECKED - set(ids)
    assert set(CHECKED_BY) <= set(ids), set(CHECKED_BY) - set(ids)
    assert not (CHECKED & set(CHECKED_BY)), CHECKED & set(CHECKED_BY)
    src = (
        "// @generated by tools/gen_catalogue.py from tests/data/response-rules.md\n"
        "// and tests/data/response-rules.local.md.\n"
        "// Do not edit by hand: edit the script inputs and re-run it.\n\n"
        "use super::catalogue::{Contexts, Rule, RuleInfo, RuleStatus};\n"
        "use super::finding::{Cite, Severity};\n\n"
        "/// Number of rules: the spec's (sections 1 to 8), then the local rows.\n"
        f"pub(crate) const RULE_COUNT: usize = {len(ids)};\n\n"
        "/// Every rule of the spec, in spec order, then the local rows.\n"
        "pub(crate) static RULES: [RuleInfo; RULE_COUNT] = [\n" + "".join(out) + "];\n\n"
        "/// One handle per rule, named after its id.\n"
        "#[allow(dead_code)]\n"
        "pub(crate) mod r {\n    use super::Rule;\n\n" + "\n".join(consts) + "}\n")
    (ROOT / "src/validate/table.rs").write_text(src, encoding="utf-8")
    (ROOT / "src/validate/catalogue.md").write_text(
        "<!-- @generated by tools/gen_catalogue.py: do not edit by hand. -->\n\n"
        + "\n".join(md) + "\n", encoding="utf-8")
    print(f"wrote {len(ids)} rules ({len(local)} local), {len(CHECKED)} checked, {len(CHECKED_BY)} checked elsewhere")


main()
