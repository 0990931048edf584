#!/usr/bin/env bash
# Produces every number in BENCHMARKS.md and prints its tables (markdown):
#
#   bash tools/bench_peers.sh              # everything (~10 min on 2 cores)
#   bash tools/bench_peers.sh --write      # and put the tables into BENCHMARKS.md
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
#    RUNS interleaved runs each: wall, user and sys CPU, peak RSS (GNU time);
# 5. tools/bench_peers_tables.py formats the tables (and with --write
#    replaces them in BENCHMARKS.md between their markers).
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
WRITE=0
case ${1:-} in
    --write) WRITE=1 ;;
    "") ;;
    *) echo "usage: bash tools/bench_peers.sh [--write]" >&2; exit 2 ;;
esac
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
# Not --locked: a new dependency of sip-response itself adds to the harness's
# Cargo.lock (commit it); the peers' versions stay as locked.
cargo build --release --manifest-path tools/bench-peers/Cargo.toml >&2
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
printf 'N1\t%s\nN2\t%s\nREPS\t%s\nMS\t%s\nCALLS\t%s\nRUNS\t%s\n' \
    "$N1" "$N2" "$REPS" "$MS" "$CALLS" "$RUNS" >"$OUT/params.tsv"
if [ "$WRITE" = 1 ]; then
    python3 tools/bench_peers_tables.py "$OUT" --write BENCHMARKS.md
else
    python3 tools/bench_peers_tables.py "$OUT"
fi
