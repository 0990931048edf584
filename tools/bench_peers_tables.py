#!/usr/bin/env python3
"""Turns the raw data of tools/bench_peers.sh into BENCHMARKS.md's tables.

    python3 tools/bench_peers_tables.py OUT_DIR [--write BENCHMARKS.md]

OUT_DIR holds machine.tsv, check.tsv, instr.tsv, wall.tsv, capture.tsv,
capture_size and params.tsv, as the script leaves them. Prints every section
(markdown). With --write, also replaces each section's text in the given
file between its `<!-- bench_peers: NAME -->` and `<!-- /bench_peers -->`
markers (a section without data, such as the capture audit run with
SKIP_CAPTURE=1, is left as it is).
"""

import os
import re
import statistics
import sys

PEERS = [
    ("sip-response", "sip-response"),
    ("sip-response-lean", "sip-response, status and body only ¹"),
    ("httparse", "httparse (HTTP twin)"),
    ("parsip", "parsip"),
    ("rsip", "rsip"),
    ("ezk-sip-types", "ezk-sip-types"),
    ("sipmsg", "sipmsg"),
    ("rvoip-sip-core", "rvoip-sip-core"),
]
MESSAGES = [
    ("100_trying", "100 Trying"),
    ("200_ok_794", "200 OK + SDP"),
    ("180_compact", "180 Ringing, compact form"),
    ("200_ok_20_headers", "200 OK + SDP, 20 rows"),
]
CAPTURE_TOOLS = [
    ("capinfos", "`capinfos -c -M`: counts the packet records"),
    ("tshark-read", "`tshark -r FILE -q`: reads every record, dissects nothing (no filter, tap or output)"),
    ("tshark-sip", "`tshark -r FILE -q -z io,stat,0,sip`: dissects every packet, counts the SIP ones"),
    ("validate", "`validate --min-severity error FILE`: reassembles, parses and validates every SIP message, matches requests"),
]


def rows(out, name):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.rstrip("\n").split("\t") for line in f if line.strip()]


def n(v):
    return f"{v:,}".replace(",", " ")


def us(ns):
    v = ns / 1000
    if v < 1:
        return f"{v:.3f}"
    if v < 10:
        return f"{v:.2f}"
    if v < 100:
        return f"{v:.1f}"
    return f"{v:.0f}"


def x(a, b):
    r = a / b
    return f"{r:.1f}×" if r >= 10 else f"{r:.2f}×"


def span(values, fmt=lambda r: f"{r:.2f}×"):
    lo, hi = min(values), max(values)
    return fmt(lo) if fmt(lo) == fmt(hi) else f"{fmt(lo)}–{fmt(hi)}"


def tables(out):
    params = dict(rows(out, "params.tsv"))
    machine = rows(out, "machine.tsv")
    check = {(r[0], r[1]): (r[2], r[3]) for r in rows(out, "check.tsv")}
    instr = {(r[0], r[1]): int(r[2]) for r in rows(out, "instr.tsv")}
    wall = {(r[0], r[1]): tuple(float(v) for v in r[2:5]) for r in rows(out, "wall.tsv")[1:]}

    def field(key, name):
        status, rest = check.get(key, ("fails", "not run"))
        if status != "ok":
            return None
        return dict(kv.split("=", 1) for kv in rest.split()).get(name)

    def t(key):
        if key not in wall:
            return "–"
        med, lo, hi = wall[key]
        return f"{us(med)} ({us(lo)}–{us(hi)})"

    def allocs(key):
        a, b = field(key, "allocs"), field(key, "alloc_bytes")
        return "–" if a is None else f"{a} ({n(int(b))} B)" if a != "0" else "0"

    msgs = [
        (m, f"{what} ({field(('sip-response', m), 'headers')} rows, {field(('sip-response', m), 'bytes')} B)")
        for m, what in MESSAGES
    ]
    sec = {}

    # Machine.
    lines = ["| | |", "|---|---|"]
    lines += [f"| {k.replace('_', ' ')} | {v} |" for k, v in machine]
    lines.append("")
    lines.append(
        f"Instructions: (Ir(N={params.get('N2')}) − Ir(N={params.get('N1')})) / "
        f"{int(params.get('N2', 0)) - int(params.get('N1', 0))}, callgrind. Wall clock: µs per "
        f"operation, median (min–max) of {params.get('REPS')} interleaved timed loops of "
        f"~{params.get('MS')} ms each. Allocations: calls (bytes requested) in one operation."
    )
    sec["machine"] = "\n".join(lines)

    # Parsers.
    lines = [
        "| message | parser | instructions | × sip-response | wall µs, median (min–max) | × sip-response | allocations |",
        "|---|---|---:|---:|---|---:|---:|",
    ]
    ratios = {p: ([], []) for p, _ in PEERS}
    for m, label in msgs:
        base_i = instr.get(("sip-response", m))
        base_w = wall.get(("sip-response", m), (None,))[0]
        for p, name in PEERS:
            key = (p, m)
            status, rest = check.get(key, ("fails", "not run"))
            if status != "ok":
                lines.append(f"| {label} | {name} | fails: {rest[:80]} | | | | |")
                continue
            i = instr.get(key)
            w = wall.get(key, (None,))[0]
            if i and base_i:
                ratios[p][0].append(i / base_i)
            if w and base_w:
                ratios[p][1].append(w / base_w)
            lines.append(
                f"| {label} | {name} | {n(i) if i else '–'} | {x(i, base_i) if i and base_i else ''} "
                f"| {t(key)} | {x(w, base_w) if w and base_w else ''} | {allocs(key)} |"
            )
    lines.append("")
    lines.append(
        "¹ The same parse without keeping the view: only the status and the body length are "
        "read, so the compiler drops the rest of the `Response`'s construction (the harness of "
        "`benches/README.md` measures this form)."
    )
    lines.append("")
    lines.append("Over the four messages, instructions and wall-clock medians relative to sip-response:")
    lines.append("")
    lines.append("| parser | instructions | wall clock |")
    lines.append("|---|---:|---:|")
    for p, name in PEERS[1:]:
        ri, rw = ratios[p]
        lines.append(f"| {name} | {span(ri) if ri else '–'} | {span(rw) if rw else '–'} |")
    sec["parsers"] = "\n".join(lines)

    # Validation.
    m = "200_ok_794"
    lines = [
        "| operation | instructions | validate alone | × parse | wall µs, median (min–max) | validate alone, µs | allocations |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    pk = ("sip-response", m)
    if pk in instr and pk in wall:
        pi, pw = instr[pk], wall[pk][0]
        lines.append(f"| `parse_response` | {n(pi)} | | 1× | {t(pk)} | | {allocs(pk)} |")
        for c, label in [
            ("validate-default", "`parse_response` + `validate_into`, default context"),
            ("validate-proxy", "`parse_response` + `validate_into`, proxy role + matched INVITE"),
        ]:
            k = (c, m)
            if k not in instr or k not in wall:
                lines.append(f"| {label} | fails | | | | | |")
                continue
            i, w = instr[k], wall[k][0]
            lines.append(
                f"| {label} | {n(i)} | {n(i - pi)} | {x(i, pi)} | {t(k)} | {us(w - pw)} | {allocs(k)} |"
            )
    sec["validate"] = "\n".join(lines)

    # Decoder.
    lines = [
        "| message | one-shot instructions | byte-at-a-time instructions | ratio | per byte | one-shot µs | byte-at-a-time µs | ratio | allocations one-shot / byte-at-a-time |",
        "|---|---:|---:|---:|---:|---|---|---:|---:|",
    ]
    for m, label in msgs:
        a, b = ("decoder-oneshot", m), ("decoder-bytewise", m)
        if a not in instr or b not in instr or a not in wall or b not in wall:
            lines.append(f"| {label} | fails | | | | | | | |")
            continue
        size = int(field(b, "bytes"))
        lines.append(
            f"| {label} | {n(instr[a])} | {n(instr[b])} | {x(instr[b], instr[a])} | {instr[b] // size} "
            f"| {t(a)} | {t(b)} | {x(wall[b][0], wall[a][0])} | {field(a, 'allocs')} / {field(b, 'allocs')} |"
        )
    sec["decoder"] = "\n".join(lines)

    # Capture audit.
    cap = rows(out, "capture.tsv")
    if cap:
        size = int(open(os.path.join(out, "capture_size")).read())
        lines = [
            f"{n(int(params.get('CALLS', 0)))} calls, {size / 1e6:.0f} MB of pcap; "
            f"{params.get('RUNS')} interleaved runs of each tool.",
            "",
            "| tool | what it does | wall s, median (min–max) | user s | sys s | peak RSS MiB | counted |",
            "|---|---|---|---:|---:|---:|---:|",
        ]
        med = {}
        for name, what in CAPTURE_TOOLS:
            rs = [r for r in cap if r[0] == name]
            if not rs:
                continue
            walls = [float(r[1]) for r in rs]

            def mid(j):
                return statistics.median(float(r[j]) for r in rs)

            med[name] = (statistics.median(walls), mid(4))
            lines.append(
                f"| {name} | {what} | {statistics.median(walls):.2f} ({min(walls):.2f}–{max(walls):.2f}) "
                f"| {mid(2):.2f} | {mid(3):.2f} | {mid(4) / 1024:.0f} "
                f"| {n(int(rs[-1][5])) if rs[-1][5].isdigit() else rs[-1][5]} |"
            )
        if "validate" in med and "tshark-sip" in med:
            (vw, vm), (tw, tm) = med["validate"], med["tshark-sip"]
            lines.append("")
            lines.append(
                f"The audit against tshark's SIP dissection: {vw / tw:.2f}× its wall time, "
                f"{vm / tm:.2f}× its peak memory."
            )
        sec["capture"] = "\n".join(lines)
    return sec


TITLES = {
    "machine": "Machine",
    "parsers": "Parsers",
    "validate": "Validation on top of parsing (200 OK + SDP, 794 B)",
    "decoder": "Stream decoder: one byte per call vs the whole message",
    "capture": "Capture audit",
}


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    sec = tables(args[0])
    for name, text in sec.items():
        print(f"### {TITLES[name]}\n\n{text}\n")
    if len(args) == 3 and args[1] == "--write":
        path = args[2]
        doc = open(path).read()
        for name, text in sec.items():
            pat = re.compile(r"(<!-- bench_peers: " + name + r" -->)\n.*?(<!-- /bench_peers -->)", re.S)
            if not pat.search(doc):
                sys.exit(f"bench_peers_tables: no marker for {name} in {path}")
            doc = pat.sub(lambda mo: f"{mo.group(1)}\n{text}\n{mo.group(2)}", doc, count=1)
        open(path, "w").write(doc)
        print(f"bench_peers_tables: updated {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
