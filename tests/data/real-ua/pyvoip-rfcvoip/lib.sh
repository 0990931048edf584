# Shared helpers (sourced). cap NAME FILTER -- CMD...: tcpdump on lo while CMD runs.
OUT=/work/s18/realscan/captures
LOG=/work/s18/realscan/logs
S=/work/s18/realscan/scenarios
mkdir -p "$OUT" "$LOG"
cap() {
    local name=$1 filt=$2 tp rc
    shift 3
    [[ -z "${ONLY:-}" || " $ONLY " == *" $name "* ]] || return 0
    tcpdump -i lo --immediate-mode -U -Z root -s 0 -w "$OUT/$name.pcap" "$filt" 2> "$LOG/$name.tcpdump" &
    tp=$!
    until grep -qs listening "$LOG/$name.tcpdump"; do sleep 0.1; done
    "$@" > "$LOG/$name.out" 2>&1
    rc=$?
    sleep 1
    kill -INT "$tp"; wait "$tp"
    echo "$name: exit $rc, $(stat -c %s "$OUT/$name.pcap") bytes"
}
# sipp_run NAME FILTER PORT SCENARIO SERVICE [SIPP ARGS]; SIPp on 127.0.0.1:17090
sipp_run() {
    local name=$1 filt=$2 port=$3 scen=$4 svc=$5
    shift 5
    local later=${LATER:-}; LATER=
    [[ -z "${ONLY:-}" || " $ONLY " == *" $name "* ]] || return 0
    if [[ -n "$later" ]]; then (sleep ${later%% *}; ${later#* }) & fi
    cap "$name" "$filt" -- sipp -i 127.0.0.1 -p 17090 -m 1 -nostdin -timeout 10 -timeout_error \
        -trace_err -error_file "$LOG/$name.err" -sf "$S/$scen.xml" -s "$svc" "$@" 127.0.0.1:$port
    sleep 0.5
}
