#!/bin/bash
# How every capture in captures/ was made (2026-12-03/04, Debian 12, x86_64, as root,
# all on loopback, ports 16060-16099). Run from /work/s16/realscan. Not idempotent in
# timing: some captures hold late retransmissions of the run before (see REPORT.md).
#
# Software (see VERSIONS.md): SIPp 3.6.1 (UAC on 127.0.0.1:16090, scenarios/),
# pyVoIP 1.6.8 and sippy 2.5.0 in venv/, rfcvoip 2.10.3 in venv2/, node `sip` 0.0.6
# in node/, JAIN-SIP (Debian libnist-sip-aosp-java 9.0.0+r35-1.1) with OpenJDK 17.
set -u
cd /work/s16/realscan
# --- installs
# python3 -m venv venv && venv/bin/pip install pyVoIP==1.6.8 sippy==2.5.0
# python3 -m venv venv2 && venv2/bin/pip install rfcvoip==2.10.3
# (cd node && npm init -y && npm install sip@0.0.6)
# apt-get install -y sip-tester tcpdump libnist-sip-aosp-java
# javac -cp /usr/share/java/nist-sip-aosp.jar servers/jain/JainUas.java
NP=$PWD/node/node_modules
# --- servers (each logs to logs/, pid in logs/*.pid)
NODE_PATH=$NP node servers/node_regproxy.js 16060 > logs/node_regproxy.log 2>&1 &   # registrar + proxy (package example)
NODE_PATH=$NP node servers/node_redirect.js 16062 > logs/node_redirect.log 2>&1 &   # redirect server (package doc example)
NODE_PATH=$NP node servers/node_uas.js 16064 > logs/node_uas.log 2>&1 &             # small UAS on node sip
java -cp /usr/share/java/nist-sip-aosp.jar:servers/jain JainUas 16066 > logs/jain_uas.log 2>&1 &
venv/bin/b2bua -f -u -A 0 -l 127.0.0.1 -p 16080 -s 127.0.0.1:16082 -L $PWD/logs/sippy.log -P $PWD/run/sippy.pid -c udp:127.0.0.1:16089 > logs/sippy.out 2>&1 &
sleep 1
# pyVoIP / rfcvoip register at the node registrar; these REGISTERs are the *_register_node captures:
tcpdump -i lo --immediate-mode -U -s 0 -w captures/pyvoip_register_node.pcap 'udp port 16060' & tp=$!; sleep 0.5
venv/bin/python -u servers/pyvoip_uas.py bob 16070 16060 answer > logs/pyvoip_bob.log 2>&1 &
venv/bin/python -u servers/pyvoip_uas.py carol 16072 16060 deny > logs/pyvoip_carol.log 2>&1 &
venv/bin/python -u servers/pyvoip_uas.py dave 16074 16060 ring > logs/pyvoip_dave.log 2>&1 &
sleep 3; kill $tp
tcpdump -i lo --immediate-mode -U -s 0 -w captures/rfcvoip_register_node.pcap 'port 16060' & tp=$!; sleep 0.5
venv2/bin/python -u servers/rfcvoip_uas.py erin 16076 16060 answer 127.0.0.3 > logs/rfcvoip_erin.log 2>&1 &
venv2/bin/python -u servers/rfcvoip_uas.py frank 16078 16060 deny 127.0.0.3 > logs/rfcvoip_frank.log 2>&1 &
venv2/bin/python -u servers/rfcvoip_uas.py gina 16084 16060 ring 127.0.0.3 > logs/rfcvoip_gina.log 2>&1 &
venv2/bin/python -u servers/rfcvoip_uas.py hank 16086 16060 answer 127.0.0.3 TCP > logs/rfcvoip_hank.log 2>&1 &
sleep 4; kill $tp

# --- pyVoIP behind the node proxy (all legs)
F="udp port 16060 or udp port 16070 or udp port 16072 or udp port 16074"
./run_sipp.sh pyvoip_px_invite_bye "$F" uac_invite_bye bob 127.0.0.1:16060
./run_sipp.sh pyvoip_px_reject "$F" uac_reject carol 127.0.0.1:16060
./run_sipp.sh pyvoip_px_cancel "$F" uac_cancel dave 127.0.0.1:16060
# --- pyVoIP direct (its INVITE responses go to the registrar, 16060, not to SIPp)
F="udp port 16070"; T=127.0.0.2:16070
SIPP_TIMEOUT=4 ./run_sipp.sh pyvoip_options "$F" uac_options bob $T        # no answer
SIPP_TIMEOUT=4 ./run_sipp.sh pyvoip_foo "$F" uac_foo bob $T                # no answer
SIPP_TIMEOUT=4 ./run_sipp.sh pyvoip_bye_nodialog "$F" uac_bye_nodialog bob $T
SIPP_TIMEOUT=5 ./run_sipp.sh pyvoip_require "$F" uac_require bob $T
SIPP_TIMEOUT=5 ./run_sipp.sh pyvoip_invite_odd "$F" invite_odd bob $T
SIPP_TIMEOUT=6 ./run_sipp.sh pyvoip_invite_retrans "$F" invite_retrans bob $T -key domain $T
SIPP_TIMEOUT=5 POST_SLEEP=0.5 ./run_sipp.sh pyvoip_uac_invite_rr_ts "port 16070" uac_invite_rr_ts bob $T
# --- node sip proxy: OPTIONS / FOO to a UA that never answers them (pyVoIP): 100 at once, 408 after 32 s
SIPP_PORT=16091 SIPP_TIMEOUT=40 POST_SLEEP=2 ./run_sipp.sh nodeproxy_options_408 "udp port 16091 or (udp port 16070 and udp port 16060)" options_any bob 127.0.0.1:16060
SIPP_PORT=16092 SIPP_TIMEOUT=40 POST_SLEEP=2 ./run_sipp.sh nodeproxy_foo_408 "udp port 16092 or (udp port 16070 and udp port 16060)" foo_any bob 127.0.0.1:16060
# --- Sippy B2BUA (SIPp UAS behind it on 16082, run_b2b.sh)
./run_b2b.sh sippy_invite_bye default uac_invite_bye_fixed bob
./run_b2b.sh sippy_reject uas_reject uac_reject_fixed bob
./run_b2b.sh sippy_cancel uas_ring_cancel uac_cancel_fixed bob
./run_b2b.sh sippy_require default uac_require_fixed bob
./run_b2b.sh sippy_invite_odd default invite_odd bob
F="udp port 16080 or udp port 16082"; T=127.0.0.1:16080
SIPP_TIMEOUT=5 ./run_sipp.sh sippy_options "$F" options_any bob $T
SIPP_TIMEOUT=5 ./run_sipp.sh sippy_foo "$F" foo_any bob $T
SIPP_TIMEOUT=5 ./run_sipp.sh sippy_bye_nodialog "$F" uac_bye_nodialog bob $T
SIPP_TIMEOUT=5 ./run_sipp.sh sippy_register "$F" uac_register bob $T
# --- node sip redirect server (doc example), UDP and TCP
F="port 16062"; T=127.0.0.1:16062
./run_sipp.sh noderedirect_invite_302 "$F" invite_302 bob $T
./run_sipp.sh noderedirect_tcp_invite_302 "$F" invite_302 bob $T -t t1
SIPP_TIMEOUT=4 ./run_sipp.sh noderedirect_options_302 "$F" options_any bob $T
./run_sipp.sh nodeproxy_invite_404 "udp port 16060" invite_404 nobody 127.0.0.1:16060
# --- node sip UAS, JAIN-SIP UAS, rfcvoip (direct)
F="port 16064"; T=127.0.0.1:16064
for s in "invite_bye uac_invite_bye bob" "cancel uac_cancel carol" "bye_nodialog uac_bye_nodialog bob" "foo uac_foo bob" \
         "options uac_options bob" "require uac_require bob" "invite_odd invite_odd bob"; do set -- $s
  ./run_sipp.sh nodeuas_$1 "$F" $2 $3 $T; done
./run_sipp.sh nodeuas_options_odd "$F" uac_options_odd bob $T -cid_str 'odd.%u-%p@[x]!'
./run_sipp.sh nodeuas_tcp_invite_bye "$F" uac_invite_bye bob $T -t t1
SIPP_TIMEOUT=3 POST_SLEEP=0.5 ./run_sipp.sh nodeuas_tcp_options_sip30 "$F" options_sip30 bob $T -t t1
./run_sipp.sh nodeuas_invite_retrans "$F" invite_retrans bob $T -key domain $T
F="port 16066"; T=127.0.0.1:16066
for s in "invite_bye uac_invite_bye bob" "cancel uac_cancel carol" "bye_nodialog uac_bye_nodialog bob" "foo uac_foo bob" \
         "options uac_options bob" "require uac_require bob" "invite_odd invite_odd bob"; do set -- $s
  SIPP_TIMEOUT=6 ./run_sipp.sh jain_$1 "$F" $2 $3 $T; done
SIPP_TIMEOUT=5 ./run_sipp.sh jain_options_odd "$F" uac_options_odd bob $T -cid_str 'odd.%u-%p@[x]!'
SIPP_TIMEOUT=6 ./run_sipp.sh jain_tcp_invite_bye "$F" uac_invite_bye bob $T -t t1
SIPP_TIMEOUT=8 ./run_sipp.sh jain_invite_retrans "$F" invite_retrans bob $T -key domain $T
SIPP_TIMEOUT=8 ./run_sipp.sh jain_100rel "$F" uac_invite_100rel bob $T
F="port 16060 or port 16076 or port 16078 or port 16084 or port 16086"
./run_sipp.sh rfcvoip_px_invite_bye "$F" uac_invite_bye erin 127.0.0.1:16060
./run_sipp.sh rfcvoip_px_reject "$F" uac_reject frank 127.0.0.1:16060
./run_sipp.sh rfcvoip_px_cancel "$F" uac_cancel gina 127.0.0.1:16060
F="port 16076"; T=127.0.0.3:16076
SIPP_TIMEOUT=5 ./run_sipp.sh rfcvoip_options "$F" options_any erin $T
SIPP_TIMEOUT=5 ./run_sipp.sh rfcvoip_foo "$F" foo_any erin $T
SIPP_TIMEOUT=5 ./run_sipp.sh rfcvoip_bye_nodialog "$F" uac_bye_nodialog erin $T
SIPP_TIMEOUT=6 ./run_sipp.sh rfcvoip_require "$F" uac_require erin $T
SIPP_TIMEOUT=6 ./run_sipp.sh rfcvoip_invite_odd "$F" invite_odd erin $T
for sc in uac_invite_rr_ts uac_in_dialog uac_options_rport; do SIPP_TIMEOUT=10 POST_SLEEP=0.5 ./run_sipp.sh rfcvoip_$sc "$F" $sc erin $T; done
# --- the same three scenarios on JAIN-SIP, node UAS and Sippy (Sippy: SIPp `-sn uas` behind it)
for s in jain:127.0.0.1:16066 nodeuas:127.0.0.1:16064 sippy:127.0.0.1:16080; do n=${s%%:*}; T=${s#*:}; P=${T##*:}; F="port $P"
  [ $n = sippy ] && F="port 16080 or port 16082"
  for sc in uac_options_rport uac_invite_rr_ts uac_in_dialog; do
    if [ $n = sippy ] && [ $sc != uac_options_rport ]; then sipp -i 127.0.0.1 -p 16082 -m 1 -nostdin -timeout 15 -sn uas -bg > logs/${n}_$sc.uas 2>&1; sleep 0.3; fi
    SIPP_TIMEOUT=10 POST_SLEEP=0.5 ./run_sipp.sh ${n}_$sc "$F" $sc bob $T
    p=$(sed -n 's/.*PID=\[\([0-9]*\)\].*/\1/p' logs/${n}_$sc.uas 2>/dev/null); [ -n "$p" ] && kill $p
  done; done
# --- stack-level error handling: CANCEL matching nothing, SIP/3.0 request, CSeq method != request method
for s in jain:127.0.0.1:16066 nodeuas:127.0.0.1:16064 sippy:127.0.0.1:16080 rfcvoip:127.0.0.3:16076 pyvoip:127.0.0.2:16070; do
  n=${s%%:*}; T=${s#*:}; P=${T##*:}
  for sc in cancel_nomatch options_sip30 options_cseq_mismatch; do SIPP_TIMEOUT=3 POST_SLEEP=0.5 ./run_sipp.sh ${n}_$sc "port $P" $sc bob $T; done
done
# --- validate every capture, text and JSON
for f in captures/*.pcap; do n=$(basename $f .pcap)
  /work/s16/validate --color never $f > results/$n.txt 2>&1
  /work/s16/validate --format json $f > results/$n.jsonl 2>&1
done
# --- sipua 0.5.7 (venv2/bin/pip install sipua==0.5.7)
venv2/bin/python -u servers/sipua_uas.py 16068 > logs/sipua_uas.log 2>&1 &
sleep 2
F="port 16068"; T=127.0.0.1:16068
SIPP_TIMEOUT=8 ./run_sipp.sh sipua_invite_bye "$F" uac_invite_bye bob $T
SIPP_TIMEOUT=4 ./run_sipp.sh sipua_options "$F" options_any bob $T
SIPP_TIMEOUT=4 ./run_sipp.sh sipua_foo "$F" foo_any bob $T
SIPP_TIMEOUT=4 ./run_sipp.sh sipua_bye_nodialog "$F" uac_bye_nodialog bob $T
SIPP_TIMEOUT=4 ./run_sipp.sh sipua_cancel_nomatch "$F" cancel_nomatch bob $T
SIPP_TIMEOUT=8 ./run_sipp.sh sipua_invite_odd "$F" invite_odd bob $T
SIPP_TIMEOUT=8 ./run_sipp.sh sipua_uac_invite_rr_ts "$F" uac_invite_rr_ts bob $T
SIPP_TIMEOUT=8 ./run_sipp.sh sipua_tcp_invite_bye "$F" uac_invite_bye bob $T -t t1
SIPP_TIMEOUT=8 ./run_sipp.sh sipua_require "$F" uac_require bob $T
# --- rvoip-sip 0.4.0 (crates.io): the crate's callback_peer examples 01/02, port as argument
(cd servers/rvoip && CARGO_TARGET_DIR=/work/s16/realscan/target cargo build --release --bins)   # ~23 min on 2 cores
target/release/auto_answer 16096 > logs/rvoip_auto.log 2>&1 &
target/release/gatekeeper 16098 > logs/rvoip_gate.log 2>&1 &
sleep 3
F="port 16096"; T=127.0.0.1:16096
SIPP_TIMEOUT=8 ./run_sipp.sh rvoip_invite_bye "$F" uac_invite_bye bob $T
SIPP_TIMEOUT=4 ./run_sipp.sh rvoip_options "$F" options_any bob $T
SIPP_TIMEOUT=4 ./run_sipp.sh rvoip_foo "$F" foo_any bob $T
SIPP_TIMEOUT=4 ./run_sipp.sh rvoip_bye_nodialog "$F" uac_bye_nodialog bob $T
SIPP_TIMEOUT=4 ./run_sipp.sh rvoip_cancel_nomatch "$F" cancel_nomatch bob $T
SIPP_TIMEOUT=8 ./run_sipp.sh rvoip_invite_odd "$F" invite_odd bob $T
SIPP_TIMEOUT=8 ./run_sipp.sh rvoip_uac_invite_rr_ts "$F" uac_invite_rr_ts bob $T
SIPP_TIMEOUT=8 ./run_sipp.sh rvoip_tcp_invite_bye "$F" uac_invite_bye bob $T -t t1
SIPP_TIMEOUT=8 ./run_sipp.sh rvoip_require "$F" uac_require bob $T
SIPP_TIMEOUT=8 ./run_sipp.sh rvoip_options_odd "$F" uac_options_odd bob $T -cid_str 'odd.%u-%p@[x]!'
SIPP_TIMEOUT=12 ./run_sipp.sh rvoip_uac_in_dialog "$F" uac_in_dialog bob $T
SIPP_TIMEOUT=8 ./run_sipp.sh rvoip_gate_reject "port 16098" uac_invite_unknown_user bob 127.0.0.1:16098
# --- synthetic checks of the comparison rules (msgs/): see REPORT.md FP1-FP3, M1
