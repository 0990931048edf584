#!/bin/bash
# usage: cap.sh UA SCENARIO [extra scen.py args]   -- one capture: UA registers over WS, scenario runs, UA de-registers
cd /work/jsscan
ua=$1; sc=$2; shift 2
name=${ua}_${sc}
[ -n "$CAPNAME" ] && name=$CAPNAME
user=$ua
tcpdump -i lo -s 0 -U -Z root -w captures/$name.pcap 'portrange 5560-5579' > logs/$name.tcpdump.log 2>&1 &
tp=$!
sleep 1.2
node ua.js $ua $user > logs/$name.ua.log 2>&1 &
np=$!
sleep 1.5
python3 scen.py $user $sc "$@" > logs/$name.scen.log 2>&1
sleep 0.5
kill -TERM $np; sleep 2.5; kill -9 $np 2>/dev/null
sleep 0.5
kill $tp; wait $tp 2>/dev/null
echo "== $name"; cat logs/$name.scen.log; grep -v '^\s*$' logs/$name.ua.log | cut -c1-200 | head -20
