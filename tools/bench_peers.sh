#!/usr/bin/env bash
# Produces every number in BENCHMARKS.md and prints its tables (markdown):
#
#   bash tools/bench_peers.sh            # everything (~10 min on 2 cores)
#   SKIP_CAPTURE=1 bash tools/bench_peers.sh   # without the capture audit
#
# 1. builds tools/bench-peers (its own cargo package and Cargo.lock, release,
#    LTO, codegen-units = 1) and checks that every case parses every message;
# 2. instructions per operation with callgrind:
#    (Ir(N2) - Ir(N1)) / (N2 - N1), which cancels start-up and fixed costs;
# 3. wall clock: `bench-peers wall REPS MS`, REPS interleaved rounds of one
#    timed loop (~MS ms) per case, median and min-max ns per operation;
# 4. the capture audit (examples/validate, errors only) against `capinfos -c`
#    and tshark on tools/gen_capture.py's capture of CALLS calls (cached in
#    $BENCH_DIR, default /tmp/sip-bench, as tools/bench_capture.sh does),
#    RUNS interleaved runs each: wall, user and sys CPU, peak RSS (GNU time).
#
# Knobs (environment): N1=1000 N2=3000 REPS=15 MS=20 CALLS=100000 RUNS=3
# SKIP_CAPTURE=1. Needs valgrind, /usr/bin/time, capinfos and tshark
# (apt: valgrind time wireshark-common tshark), python3.
# Raw data stays in $OUT (default a fresh /tmp/bench-peers.* directory).
set -euo pipefail
cd "$(dirname "$0")/.."
N1=${N1:-1000}
N2=${N2:-3000}
REPS=${REPS:-15}
MS=${MS:-20}
CALLS=${CALLS:-100000}
RUNS=${RUNS:-3}
SKIP_CAPTURE=${SKIP_CAPTURE:-}
dir=${BENCH_DIR:-/tmp/sip-bench}
OUT=${OUT:-$(mktemp -d /tmp/bench-peers.XXXXXX)}
mkdir -p "$OUT"

need="valgrind python3"
[ -n "$SKIP_CAPTURE" ] || need="$need /usr/bin/time capinfos tshark"
for tool in $need; do
    command -v "$tool" >/dev/null || { echo "bench_peers: $tool is missing" >&2; exit 2; }
done

log() { echo "bench_peers: $*" >&2; }

# --- the machine -----------------------------------------------------------
{
    echo "cpu	$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "cores	$(nproc) online ($(lscpu | sed -n 's/^CPU(s): *//p' | head -1) CPUs, $(lscpu | sed -n 's/^Thread(s) per core: *//p' | head -1) thread(s) per core)"
    echo "memory	$(free -g | awk '/^Mem:/ {print $2}') GiB"
    echo "kernel	$(uname -sr)"
    echo "rustc	$(rustc -V)"
    echo "valgrind	$(valgrind --version)"
    [ -n "$SKIP_CAPTURE" ] || echo "tshark	$(tshark -v 2>/dev/null | head -1)"
    echo "commit	$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml Cargo.lock || echo ' + uncommitted changes')"
    echo "date	$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "load_start	$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/machine.tsv"

# --- the harness -----------------------------------------------------------
log "building tools/bench-peers"
cargo build --release --locked --manifest-path tools/bench-peers/Cargo.toml >&2
bin=tools/bench-peers/target/release/bench-peers
"$bin" check >"$OUT/check.tsv"
if grep -q '	fails	' "$OUT/check.tsv"; then
    log "some cases do not parse some messages (reported in the tables):"
    grep '	fails	' "$OUT/check.tsv" >&2
fi

# --- instructions ----------------------------------------------------------
ir() { # case message n -> instructions collected
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" count "$1" "$2" "$3" 2>&1 \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
: >"$OUT/instr.tsv"
while IFS=$'\t' read -r case msg status _; do
    [ "$status" = ok ] || continue
    log "callgrind $case $msg"
    a=$(ir "$case" "$msg" "$N1")
    b=$(ir "$case" "$msg" "$N2")
    echo "$case	$msg	$(( (b - a) / (N2 - N1) ))" >>"$OUT/instr.tsv"
done <"$OUT/check.tsv"

# --- wall clock ------------------------------------------------------------
log "wall clock: $REPS interleaved rounds of ~$MS ms per case"
"$bin" wall "$REPS" "$MS" >"$OUT/wall.tsv"

# --- the capture audit -----------------------------------------------------
: >"$OUT/capture.tsv"
if [ -z "$SKIP_CAPTURE" ]; then
    cargo build --release --example validate >&2
    mkdir -p "$dir"
    cap="$dir/calls-$CALLS.pcap"
    [ -s "$cap" ] || python3 tools/gen_capture.py "$CALLS" "$cap"
    echo "$(stat -c %s "$cap")" >"$OUT/capture_size"
    timed() { # name command... ; appends name wall user sys rss_kib count
        local name=$1
        shift
        /usr/bin/time -o "$OUT/time" -f '%e %U %S %M' "$@" >"$OUT/stdout" 2>"$OUT/stderr" || [ $? -eq 1 ]
        local count
        case $name in
            capinfos) count=$(sed -n 's/^Number of packets: *//p' "$OUT/stdout") ;;
            tshark-sip) count=$(grep -oE '\| *[0-9]+ \| *[0-9]+ \|' "$OUT/stdout" | awk '{print $2}') ;;
            validate) count=$(grep -oE '^[0-9]+ responses, [0-9]+ requests' "$OUT/stderr" | awk '{print $1 + $3}') ;;
            *) count= ;;
        esac
        echo "$name	$(tr ' ' '\t' <"$OUT/time")	${count:--}" >>"$OUT/capture.tsv"
    }
    for run in $(seq "$RUNS"); do
        log "capture audit, run $run of $RUNS"
        timed capinfos capinfos -c -M "$cap"
        timed tshark-read tshark -r "$cap" -q
        timed tshark-sip tshark -r "$cap" -q -z io,stat,0,sip
        timed validate target/release/examples/validate --min-severity error "$cap"
    done
fi
echo "load_end	$(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.tsv"
log "raw data in $OUT"

# --- the tables ------------------------------------------------------------
python3 - "$OUT" "$N1" "$N2" "$REPS" "$MS" "$CALLS" "$RUNS" <<'EOF'
import os, statistics, sys

out, n1, n2, reps, ms, calls, runs = sys.argv[1:]

def rows(name):
    path = os.path.join(out, name)
    with open(path) as f:
        return [l.rstrip("\n").split("\t") for l in f if l.strip()]

machine = dict(rows("machine.tsv"))
check = {(c, m): (s, rest) for c, m, s, rest in rows("check.tsv")}
instr = {(c, m): int(v) for c, m, v in rows("instr.tsv")}
wall = {}
for r in rows("wall.tsv")[1:]:
    wall[(r[0], r[1])] = tuple(float(x) for x in r[2:5])

def field(key, name):
    status, rest = check[key]
    return dict(kv.split("=") for kv in rest.split()).get(name, "?") if status == "ok" else None

MSGS = []
for m, what in [
    ("100_trying", "100 Trying"),
    ("200_ok_794", "200 OK + SDP"),
    ("180_compact", "180 Ringing, compact form"),
    ("200_ok_20_headers", "200 OK + SDP, 20 rows"),
]:
    key = ("sip-response", m)
    MSGS.append((m, f"{what} ({field(key, 'headers')} rows, {field(key, 'bytes')} B)"))
PEERS = ["sip-response", "httparse", "parsip", "rsip", "ezk-sip-types", "sipmsg", "rvoip-sip-core"]

def n(v):
    return f"{v:,}".replace(",", " ")

def us(ns):
    v = ns / 1000
    return f"{v:.3f}" if v < 1 else f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"

def t(key):
    if key not in wall:
        return "–"
    med, lo, hi = wall[key]
    return f"{us(med)} ({us(lo)}–{us(hi)})"

def x(a, b):
    return f"{a / b:.1f}×" if a / b >= 10 else f"{a / b:.2f}×"

print("### Machine\n")
print("| | |\n|---|---|")
for k, v in machine.items():
    print(f"| {k} | {v} |")
print(f"\nInstructions: (Ir(N={n2}) − Ir(N={n1})) / {int(n2) - int(n1)}, callgrind. "
      f"Wall clock: µs per operation, median (min–max) of {reps} interleaved "
      f"timed loops of ~{ms} ms each.\n")

print("### Parsers\n")
print("| message | parser | instructions | × sip-response | wall µs, median (min–max) | × sip-response | allocations (bytes) |")
print("|---|---|---:|---:|---|---:|---:|")
for m, label in MSGS:
    base_i = instr.get(("sip-response", m))
    base_w = wall.get(("sip-response", m), (None,))[0]
    for p in PEERS:
        key = (p, m)
        if check.get(key, ("fails",))[0] != "ok":
            err = check.get(key, ("", "not run"))[1]
            print(f"| {label} | {p} | fails: {err[:60]} | | | | |")
            continue
        i = instr.get(key)
        w = wall.get(key, (None,))[0]
        print(f"| {label} | {p} | {n(i) if i else '–'} | {x(i, base_i) if i and base_i else ''} "
              f"| {t(key)} | {x(w, base_w) if w and base_w else ''} "
              f"| {field(key, 'allocs')} ({n(int(field(key, 'alloc_bytes')))}) |")

print("\n### Validation on top of parsing (200 OK + SDP, 794 B)\n")
print("| operation | instructions | validate alone | × parse | wall µs, median (min–max) | validate alone, µs | allocations |")
print("|---|---:|---:|---:|---|---:|---:|")
m = "200_ok_794"
pi = instr[("sip-response", m)]
pw = wall[("sip-response", m)][0]
print(f"| parse_response | {n(pi)} | | 1× | {t(('sip-response', m))} | | {field(('sip-response', m), 'allocs')} |")
for c, label in [("validate-default", "parse + validate_into, default context"),
                 ("validate-proxy", "parse + validate_into, proxy role + matched INVITE")]:
    i = instr[(c, m)]
    w = wall[(c, m)][0]
    print(f"| {label} | {n(i)} | {n(i - pi)} | {x(i, pi)} | {t((c, m))} | {us(w - pw)} | {field((c, m), 'allocs')} |")

print("\n### Stream decoder: one byte per call vs the whole message\n")
print("| message | one-shot instructions | byte-at-a-time instructions | ratio | one-shot µs | byte-at-a-time µs | ratio | allocations one-shot / byte-at-a-time |")
print("|---|---:|---:|---:|---|---|---:|---:|")
for m, label in MSGS:
    a, b = ("decoder-oneshot", m), ("decoder-bytewise", m)
    if a not in instr or b not in instr:
        print(f"| {label} | fails | | | | | | |")
        continue
    print(f"| {label} | {n(instr[a])} | {n(instr[b])} | {x(instr[b], instr[a])} "
          f"| {t(a)} | {t(b)} | {x(wall[b][0], wall[a][0])} | {field(a, 'allocs')} / {field(b, 'allocs')} |")

cap = rows("capture.tsv") if os.path.getsize(os.path.join(out, "capture.tsv")) else []
if cap:
    size = int(open(os.path.join(out, "capture_size")).read())
    print(f"\n### Capture audit ({calls} calls, {size / 1e6:.0f} MB pcap, {runs} interleaved runs each)\n")
    print("| tool | what it does | wall s, median (min–max) | user s | sys s | peak RSS MiB | counted |")
    print("|---|---|---|---:|---:|---:|---:|")
    what = {
        "capinfos": "`capinfos -c -M`: counts packet records",
        "tshark-read": "`tshark -r FILE -q`: reads every record, dissects nothing (no filter, tap or output)",
        "tshark-sip": "`tshark -r FILE -q -z io,stat,0,sip`: dissects every packet, counts SIP frames",
        "validate": "`validate --min-severity error FILE`: reassembles, parses and validates every SIP message, matches requests",
    }
    for name in ["capinfos", "tshark-read", "tshark-sip", "validate"]:
        rs = [r for r in cap if r[0] == name]
        if not rs:
            continue
        walls = [float(r[1]) for r in rs]
        med = lambda j: statistics.median(float(r[j]) for r in rs)
        print(f"| {name} | {what[name]} | {statistics.median(walls):.2f} ({min(walls):.2f}–{max(walls):.2f}) "
              f"| {med(2):.2f} | {med(3):.2f} | {med(4) / 1024:.0f} | {rs[-1][5]} |")
EOF
