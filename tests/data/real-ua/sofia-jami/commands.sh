#!/bin/bash
# Reproduces the captures in pcap/ (run as root on Debian 12, from this
# directory). Packages:
#   apt-get install -y libsofia-sip-ua-dev sofia-sip-bin sip-tester tcpdump gcc pkg-config
# Ports (all on 127.0.0.1): 5300 sofia_uas "app" mode (UDP+TCP),
# 5302 sofia_uas "def" mode (nua defaults), 5390 SIPp, 5392 sip-options.
# Usage: ./commands.sh            (all)   ONLY="sofia_options ..." ./commands.sh
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/pcap}
S=$HERE/scenarios
L=$HERE/logs
mkdir -p "$OUT" "$L"
PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

wait_port() {
    local i
    for i in $(seq 100); do
        ss -lun | grep -q "127.0.0.1:$1 " && return 0
        sleep 0.1
    done
    echo "nothing listens on UDP port $1" >&2; exit 1
}

# build the UAS
gcc -Wall -O1 -o "$HERE/uas/sofia_uas" "$HERE/uas/sofia_uas.c" $(pkg-config --cflags --libs sofia-sip-ua) || exit 1

# cap NAME FILTER -- COMMAND...
cap() {
    local name=$1 filt=$2 tp rc
    shift 3
    [[ -z "${ONLY:-}" || " $ONLY " == *" $name "* ]] || return 0
    tcpdump -i lo --immediate-mode -U -Z root -s 0 -w "$OUT/$name.pcap" "$filt" 2> "$L/$name.tcpdump" &
    tp=$!
    until grep -qs listening "$L/$name.tcpdump"; do sleep 0.1; done
    "$@" > "$L/$name.out" 2>&1
    rc=$?
    sleep 1
    kill -INT "$tp"; wait "$tp"
    echo "$name: exit $rc, $(stat -c %s "$OUT/$name.pcap") bytes"
}
# sip NAME PORT SCENARIO USER [SIPP ARGS]
sip() {
    local name=$1 port=$2 scen=$3 user=$4
    shift 4
    local filt="udp port $port or tcp port $port"
    cap "$name" "$filt" -- timeout 30 sipp -i 127.0.0.1 -p 5390 -m 1 -nostdin -timeout 10 -timeout_error \
        -sf "$S/$scen.xml" -s "$user" -trace_msg -message_file "$L/$name.msg" "$@" 127.0.0.1:$port
    sleep 0.5
}

cd "$HERE/uas"
./sofia_uas 5300 app passwd > "$L/uas_app.log" 2>&1 &
PIDS+=($!)
./sofia_uas 5302 def passwd > "$L/uas_def.log" 2>&1 &
PIDS+=($!)
cd "$HERE"
wait_port 5300; wait_port 5302

A=5300; D=5302
ODD_CID="a-b!c~d*e'f_%u-%p@odd.example"
sip sofia_options           $A uac_options bob
sip sofia_options_rport     $A uac_options_rport bob
sip sofia_options_server    $A uac_options_server x
sip sofia_options_odd       $A uac_options_odd bob -cid_str "$ODD_CID"
sip sofia_maxfwd0           $A uac_maxfwd0 bob
sip sofia_proxy_require     $A uac_proxy_require bob
sip sofia_foo               $A uac_foo bob
sip sofia_def_foo           $D uac_foo bob
sip sofia_bye_nodialog      $A uac_bye_nodialog bob
sip sofia_notify_nosub      $A uac_notify_nosub bob
sip sofia_message           $A uac_message bob
sip sofia_message_relay     $A uac_message relay
sip sofia_def_message       $D uac_message bob
sip sofia_register_deny     $A uac_register deny
sip sofia_def_register      $D uac_register bob
sip sofia_register_auth     $A uac_register_auth bob -key expires 300 -key contact_user bob -key contact_port 5390 -au bob -ap secret
sip sofia_register_423      $A uac_register_auth short -key expires 30 -key contact_user short -key contact_port 5390 -au short -ap secret
sip sofia_register_badpw    $A uac_register_auth bob -key expires 300 -key contact_user bob -key contact_port 5390 -au bob -ap wrong
sip sofia_subscribe_202     $A uac_subscribe bob
sip sofia_subscribe_200     $A uac_subscribe ok
sip sofia_subscribe_489     $A uac_subscribe nobody
sip sofia_def_subscribe     $D uac_subscribe bob
sip sofia_invite_bye        $A uac_invite_bye bob
sip sofia_invite_nosdp      $A uac_invite_nosdp bob
sip sofia_in_dialog         $A uac_in_dialog bob
sip sofia_invite_rr_ts      $A uac_invite_rr_ts bob
sip sofia_invite_100rel     $A uac_invite_100rel rel
sip sofia_require           $A uac_require bob
sip sofia_tel_uri           $A uac_tel_uri x
sip sofia_invite_404        $A uac_invite_unknown_user nobody
sip sofia_cancel            $A uac_cancel ring
sip sofia_reject_486        $A uac_reject busy
sip sofia_reject_603        $A uac_reject decline
sip sofia_reject_480        $A uac_reject away
sip sofia_tcp_options       $A uac_options bob -t t1
sip sofia_tcp_invite_bye    $A uac_invite_bye bob -t t1
sip sofia_tcp_register_auth $A uac_register_auth bob -key expires 300 -key contact_user bob -key contact_port 5390 -au bob -ap secret -t t1
# sofia-sip's own client (sip-options from sofia-sip-bin) against the sofia UAS
cap sofia_sipoptions_client 'udp port 5300 or tcp port 5300' -- \
    timeout 10 sip-options --bind=sip:127.0.0.1:5392 sip:bob@127.0.0.1:5300

# stop the sofia UASs, then the Jami part (starts and stops its own jamid)
cleanup; PIDS=()
"$HERE/commands_jami.sh"
