#!/bin/bash
# Jami (jamid 13.7.0, pjproject 2.12.1 inside) captures. Run as root from
# this directory after:
#   apt-get install -y jami-daemon dbus sip-tester tcpdump
# jamid runs on a private D-Bus session bus (jami/bus.sock), HOME=jami/home.
# Accounts (type SIP, no registrar): carl 127.0.0.1:5310 auto-answer,
# dana 127.0.0.1:5312 rings (refused/hung up over D-Bus). SIPp on 5390.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE/pcap}; S=$HERE/scenarios; L=$HERE/logs; J=$HERE/jami
mkdir -p "$OUT" "$L"
export DBUS_SESSION_BUS_ADDRESS=unix:path=$J/bus.sock
started=
if ! [ -S "$J/bus.sock" ] || ! kill -0 "$(cat "$J/jamid.pid" 2>/dev/null)" 2>/dev/null; then
    rm -rf "$J/home"; "$J/start_jami.sh"; started=1; sleep 4
fi
cleanup() { [ -n "$started" ] && { kill "$(cat "$J/jamid.pid")"; sleep 1; kill "$(cat "$J/dbus.pid")"; }; }
trap cleanup EXIT
CM="gdbus call --session --dest cx.ring.Ring --object-path /cx/ring/Ring/ConfigurationManager --method cx.ring.Ring.ConfigurationManager"
CA="gdbus call --session --dest cx.ring.Ring --object-path /cx/ring/Ring/CallManager --method cx.ring.Ring.CallManager"
acct() { # NAME PORT AUTOANSWER -> account id
    local id
    id=$($CM.getAccountList | grep -o "'[0-9a-f]*'" | tr -d "'" | while read -r a; do
        $CM.getAccountDetails "$a" | grep -q "'Account.alias': '$1'" && echo "$a"; done)
    if [ -z "$id" ]; then
        id=$($CM.addAccount "{'Account.type':'SIP','Account.alias':'$1','Account.username':'$1','Account.hostname':'','Account.localPort':'$2','Account.publishedPort':'$2','Account.publishedSameAsLocal':'true','Account.localInterface':'lo','Account.autoAnswer':'$3','Account.upnpEnabled':'false','Account.videoEnabled':'false','Account.enable':'true','Account.ringtoneEnabled':'false'}" | grep -o "'[0-9a-f]*'" | tr -d "'")
        sleep 2
    fi
    echo "$id"
}
CARL=$(acct carl 5310 true)
DANA=$(acct dana 5312 false)
echo "carl=$CARL dana=$DANA"
# refuse/hang up dana's ringing call(s): ACTION is refuse or hangUp
dana_do() {
    local c
    for c in $($CA.getCallList "$DANA" | grep -o "'[^']*'" | tr -d "'"); do $CA.$1 "$DANA" "$c"; done
}

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
sip() { # NAME PORT SCENARIO USER [SIPP ARGS]; LATER="SECONDS CMD" runs CMD meanwhile
    local name=$1 port=$2 scen=$3 user=$4 later=${LATER:-}
    shift 4; LATER=
    [[ -z "${ONLY:-}" || " $ONLY " == *" $name "* ]] || return 0
    [ -n "$later" ] && (sleep ${later%% *}; ${later#* } >> "$L/$name.later" 2>&1) &
    cap "$name" "udp port $port or tcp port $port" -- timeout 30 sipp -i 127.0.0.1 -p 5390 -m 1 -nostdin -timeout 10 -timeout_error \
        -sf "$S/$scen.xml" -s "$user" -trace_msg -message_file "$L/$name.msg" "$@" 127.0.0.1:$port
    sleep 1
}
C=5310; D=5312
ODD_CID="a-b!c~d*e'f_%u-%p@odd.example"
for sc in options options_rport options_server foo bye_nodialog notify_nosub message register subscribe require maxfwd0 proxy_require invite_bye in_dialog invite_rr_ts invite_100rel tel_uri; do
    sip "jami_$sc" $C "uac_$sc" carl
done
sip jami_options_odd $C uac_options_odd carl -cid_str "$ODD_CID"
sip jami_invite_unknown_user $C uac_invite_unknown_user nobody
sip jami_invite_nosdp $C uac_invite_nosdp carl
sip jami_cancel $D uac_cancel dana
LATER="2 dana_do refuse"
sip jami_reject_refuse $D uac_reject dana
LATER="2 dana_do hangUp"
sip jami_reject_hangup $D uac_reject dana
