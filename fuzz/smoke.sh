#!/usr/bin/env bash
# Bounded fuzz smoke for CI: every target of `cargo fuzz list`, stable
# toolchain (no sanitizer), seeded from fuzz/corpus/<target>, with the SIP
# dictionary. Usage: bash fuzz/smoke.sh [SECONDS_PER_TARGET]  (default 30).
#
# New corpus entries go to a temporary directory, never into the committed
# seed folders. Exits non-zero on the first crash, hang or OOM; libFuzzer
# leaves the input in fuzz/artifacts/<target>/ (copy it to
# fuzz/regressions/<target>/ once fixed, see fuzz/regressions/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-30}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for t in $(cargo fuzz list); do
    echo "==> fuzz smoke: $t (${secs}s)"
    mkdir -p "$scratch/$t"
    status=0
    cargo fuzz run --sanitizer none "$t" "$scratch/$t" "fuzz/corpus/$t" -- \
        -dict=fuzz/sip.dict -max_len=4096 -max_total_time="$secs" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        > "$scratch/$t.log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|Done)' "$scratch/$t.log" || true
    if [ "$status" -ne 0 ]; then
        grep -A 20 -E 'panicked|==[0-9]+== ERROR|SUMMARY|error(\[|:)' "$scratch/$t.log" >&2 || tail -n 40 "$scratch/$t.log" >&2
        echo "fuzz smoke: $t failed (exit $status)" >&2
        exit 1
    fi
done
