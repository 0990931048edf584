#!/bin/bash
# usage: run_b2b.sh NAME UAS_SCENARIO UAC_SCENARIO SERVICE [extra UAC sipp args]
# Sippy B2BUA on 127.0.0.1:16080 routes every call to 127.0.0.1:16082, where
# a SIPp UAS runs UAS_SCENARIO (-sn uas for SIPp's default) for one call;
# the UAC (run_sipp.sh) calls the B2BUA. Both legs are captured.
set -u
name=$1; uas=$2; uac=$3; svc=$4; shift 4
cd /work/s16/realscan
if [ "$uas" = default ]; then U="-sn uas"; else U="-sf scenarios/$uas.xml"; fi
sipp -i 127.0.0.1 -p 16082 -m 1 -nostdin -timeout ${UAS_TIMEOUT:-15} $U -bg -trace_err -error_file logs/$name.uas.err > logs/$name.uas 2>&1
sleep 0.5
./run_sipp.sh $name "udp port 16080 or udp port 16082" $uac $svc 127.0.0.1:16080 "$@"
# stop this run's UAS (its pid from SIPp's "Background mode - PID=[N]")
p=$(sed -n 's/.*PID=\[\([0-9]*\)\].*/\1/p' logs/$name.uas)
[ -n "$p" ] && kill $p 2>/dev/null
sleep 0.3
