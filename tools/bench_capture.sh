#!/usr/bin/env bash
# Measures `validate` on large generated signalling captures: peak RSS and
# wall/CPU time (GNU time), against `capinfos -c` reading the same file.
#
#   tools/bench_capture.sh [CALLS...]      (default: 100000 200000)
#
# Each capture is written by tools/gen_capture.py into $BENCH_DIR (default
# /tmp/sip-bench, never the repository) and kept there for the next run.
# Needs /usr/bin/time (apt: time) and capinfos (apt: wireshark-common); the
# audit is the issue's: text output, errors only. Numbers from a machine
# shared with other work vary: run it on a quiet one, and read user+sys as
# the CPU the audit needs.
#
# Measured 2026-12-02 on the team machine (2 cores, load average 8 from
# other work), after the streaming reader, parallel validation and bounded
# request matching:
#   calls   MB  messages  wall_s user_s sys_s peak_MiB capinfos_s
#   100000 341    700000   13.4   5.7   0.4      77     0.31
#   200000 685   1400000   35.5  12.2   0.5      81     0.69
# (the issue reported 2.0 GB peak on its 318 MB capture before; with the
# streaming reader alone, one core: 232 MiB peak, 10.0 s CPU on the first)
#
# Measured 2026-12-03 (session 9, load about 1):
#   calls   MB  messages  wall_s user_s sys_s peak_MiB capinfos_s
#   100000 341    700000    6.2   7.9   1.0     178     0.19
#   200000 685   1400000   10.4  15.7   1.7     256     0.29
# Both reach the default transaction cap (--max-transactions 100000; the
# summary counts the evictions); with --max-transactions 10000 both peak
# at 63 MiB.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/sip-bench}
mkdir -p "$dir"
[ $# -gt 0 ] || set -- 100000 200000
for tool in /usr/bin/time capinfos; do
    command -v "$tool" >/dev/null || { echo "bench_capture: $tool is missing" >&2; exit 2; }
done
cargo build --release --example validate >&2
bin=target/release/examples/validate

printf '%-8s %10s %8s %8s %8s %8s %10s %8s %6s\n' \
    calls MB messages wall_s user_s sys_s peak_MiB capinfos x
for calls in "$@"; do
    cap="$dir/calls-$calls.pcap"
    [ -s "$cap" ] || python3 tools/gen_capture.py "$calls" "$cap"
    mb=$(( $(stat -c %s "$cap") / 1000000 ))
    # capinfos: best of three (its time is mostly reading the file).
    best=
    for _ in 1 2 3; do
        /usr/bin/time -o "$dir/time" -f %e capinfos -c "$cap" >/dev/null
        t=$(tail -1 "$dir/time")
        best=$(python3 -c "print(min(float('$t'), float('${best:-1e9}')))")
    done
    /usr/bin/time -o "$dir/time" -f '%e %U %S %M' "$bin" --min-severity error "$cap" \
        >/dev/null 2>"$dir/stderr" || [ $? -eq 1 ]
    read -r wall user sys rss <"$dir/time"
    msgs=$(grep -oE '^[0-9]+ responses, [0-9]+ requests' "$dir/stderr" | awk '{print $1 + $3}')
    printf '%-8s %10s %8s %8s %8s %8s %10s %8s %6s\n' "$calls" "$mb" "$msgs" "$wall" "$user" "$sys" \
        "$(( rss / 1024 ))" "$best" "$(python3 -c "print(round($wall / max($best, 0.001), 1))")"
done
