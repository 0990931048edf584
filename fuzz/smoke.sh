#!/usr/bin/env bash
# Bounded fuzz smoke for CI: every target runs for SECONDS (default 30) on a
# scratch copy of its committed seeds, so the repository is not modified.
# A crash, a hang (-timeout) or an out-of-memory (-rss_limit_mb) fails it.
# Usage: bash fuzz/smoke.sh [SECONDS]   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

cargo fuzz build --sanitizer none
for target in $(cargo fuzz list); do
    mkdir -p "$scratch/$target" "$scratch/artifacts-$target"
    cp -r "fuzz/corpus/$target/." "$scratch/$target/"
    echo "--- $target (${seconds}s)"
    # Capture files and message sequences need room for a few messages; one
    # message fits in 4 KiB.
    max_len=4096
    case "$target" in capture | transactions) max_len=16384 ;; esac
    # grep hides libFuzzer's progress lines; the status kept is the fuzzer's.
    set +e
    cargo fuzz run --sanitizer none "$target" "$scratch/$target" -- \
        -dict=fuzz/sip.dict -max_len="$max_len" -max_total_time="$seconds" \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$scratch/artifacts-$target/" 2>&1 \
        | grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|thread|panicked|INFO: Running with)'
    status=${PIPESTATUS[0]}
    set -e
    if [ "$status" -ne 0 ]; then
        echo "fuzz target $target failed (exit $status); artifacts:" >&2
        ls -l "$scratch/artifacts-$target" >&2 || true
        exit 1
    fi
done
echo "fuzz smoke: all targets ran ${seconds}s without a finding"
