#!/bin/bash
# start/stop Kamailio for jsscan
cd /work/jsscan
case "$1" in
start) kamailio -f kamailio.cfg -Y /work/jsscan/run -P /work/jsscan/run/kamailio.pid -DD -E > logs/kamailio.log 2>&1 &
       echo $! > run/kam.bgpid; sleep 1.5; ss -lntup | grep -E '127.0.0.1:556[02]' ;;
stop) kill $(cat run/kam.bgpid) 2>/dev/null; sleep 1 ;;
esac
