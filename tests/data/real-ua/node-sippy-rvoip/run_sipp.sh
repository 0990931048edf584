#!/bin/bash
# usage: run_sipp.sh NAME FILTER SCENARIO SERVICE TARGET [extra sipp args]
# Captures lo with FILTER into captures/NAME.pcap while SIPp (UAC on 127.0.0.1:${SIPP_PORT:-16090}) runs one call.
set -u
name=$1; filter=$2; scen=$3; svc=$4; target=$5; shift 5
cd /work/s16/realscan
tcpdump -i lo --immediate-mode -U -s 0 -w captures/$name.pcap "$filter" 2>logs/$name.tcpdump & tp=$!
sleep 0.7
sipp -i 127.0.0.1 -p ${SIPP_PORT:-16090} -m 1 -nostdin -timeout ${SIPP_TIMEOUT:-12} -timeout_error -trace_err -error_file logs/$name.sipperr \
  -sf scenarios/$scen.xml -s $svc "$@" $target > logs/$name.sipp 2>&1
echo "sipp rc=$? ($name)"
sleep ${POST_SLEEP:-0.7}
kill $tp; wait $tp 2>/dev/null
