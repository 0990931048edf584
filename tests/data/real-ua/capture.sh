#!/bin/bash
# Re-creates the captures of tests/data/real-ua/ (README.md there says what
# each one holds). Needs root (tcpdump on lo) and Debian 12's
#   apt-get install baresip sipsak linphone-cli twinkle-console tcpdump \
#     sip-tester kamailio
# Usage: capture.sh [OUTDIR]   (default: this directory)
#        ONLY="bs_options lp_cancel" capture.sh OUTDIR   makes only those
#        (the Kamailio ones that need a binding need their REGISTER too)
#
# Every SIP element listens on loopback only (127.0.0.1; linphonec and
# Kamailio on ::1 too); SIPp (the UAC of every scenario in scenarios/) uses
# port 5090. The UAs and Kamailio are started
# here, each in its own scratch directory, and stopped (by their process ids)
# when the script ends.
#
#   5064 kamailio  kamailio/registrar.cfg
#   5070 baresip   bob    answers every call itself (answermode=auto)
#   5072 baresip   carol  rings until CANCEL or a hang-up over ctrl_tcp
#   5074 linphonec dave   answers every call itself (-a)
#   5076 linphonec erin   rings until CANCEL or "terminate"
#   5078 twinkle   frank  rings until "answer"
#   5080 twinkle   gina   rings until CANCEL, "answer" or "reject"
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "${1:-$HERE}" && pwd)
S=$HERE/scenarios
C=$HERE/config
W=$(mktemp -d /tmp/real-ua.XXXXXX)
PIDS=()

cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        pkill -TERM -P "$p" 2>/dev/null
        kill "$p" 2>/dev/null
    done
    wait 2>/dev/null
}
trap cleanup EXIT

# Waits (at most 10 s) until something listens on UDP 127.0.0.1:$1.
wait_port() {
    local i
    for i in $(seq 100); do
        ss -lun | grep -q "127.0.0.1:$1 \|\*:$1 \|0.0.0.0:$1 " && return 0
        sleep 0.1
    done
    echo "nothing listens on UDP port $1" >&2
    exit 1
}

# baresip NAME PORT CTRL-PORT ANSWERMODE
baresip_start() {
    local d=$W/$1
    mkdir -p "$d"
    sed -e "s/@PORT@/$2/; s/@CTRL@/$3/; s#@DIR@#$d#" "$C/baresip.config" > "$d/config"
    echo "<sip:$1@127.0.0.1:$2>;regint=0;answermode=$4" > "$d/accounts"
    baresip -f "$d" < /dev/null > "$d/log" 2>&1 &
    PIDS+=($!)
    wait_port "$2"
}

# A console program run on a pseudo-terminal (linphonec does not poll its
# SIP stack without one), its input a FIFO: `echo answer > $W/NAME.fifo`.
console_start() {
    local name=$1
    shift
    mkfifo "$W/$name.fifo"
    sleep 100000 > "$W/$name.fifo" &
    PIDS+=($!)
    HOME=$W/$name script -qfc "$*" /dev/null < "$W/$name.fifo" > "$W/$name/log" 2>&1 &
    PIDS+=($!)
}

# linphonec NAME PORT [-a]
linphone_start() {
    local d=$W/$1
    mkdir -p "$d/.local/share/linphone"
    sed -e "s/@PORT@/$2/g; s/@USER@/$1/g" "$C/linphonerc" > "$d/linphonerc"
    console_start "$1" linphonec -c "$d/linphonerc" -d 0 "${@:3}"
    wait_port "$2"
}

# twinkle NAME PORT RTP-PORT
twinkle_start() {
    local d=$W/$1/.twinkle
    mkdir -p "$d"
    sed -e "s/@USER@/$1/g" "$C/twinkle.cfg" > "$d/$1.cfg"
    sed -e "s/@USER@/$1/g; s/@PORT@/$2/; s/@RTP@/$3/" "$C/twinkle.sys" > "$d/twinkle.sys"
    console_start "$1" twinkle -c -f "$1" --sip-port "$2" --force
    wait_port "$2"
}

KAM=
# kamailio [-A DEFINE]
kamailio_start() {
    mkdir -p "$W/kam"
    kamailio -DD -E "$@" -f "$HERE/kamailio/registrar.cfg" \
        -L /usr/lib/x86_64-linux-gnu/kamailio/modules \
        -P "$W/kam/pid" -Y "$W/kam" -w "$W/kam" > "$W/kam/log" 2>&1 &
    KAM=$!
    PIDS+=($KAM)
    wait_port 5064
}
kamailio_stop() {
    kill "$KAM"
    wait "$KAM" 2>/dev/null
    sleep 1
}

# cap NAME FILTER -- COMMAND...: captures lo (pcap, byte-exact) while the
# command runs, and a second longer, so that late retransmissions and
# replies are in it.
cap() {
    local name=$1 filt=$2 tp rc
    shift 3
    [[ -z "${ONLY:-}" || " $ONLY " == *" $name "* ]] || return 0
    tcpdump -i lo --immediate-mode -U -Z root -s 0 -w "$OUT/$name.pcap" "$filt" 2> "$W/$name.tcpdump" &
    tp=$!
    until grep -qs listening "$W/$name.tcpdump"; do sleep 0.1; done
    "$@" > "$W/$name.out" 2>&1
    rc=$?
    sleep 1
    kill -INT "$tp"
    wait "$tp"
    echo "$name: exit $rc, $(stat -c %s "$OUT/$name.pcap") bytes"
}

# sipp_run NAME FILTER PORT SCENARIO SERVICE [SIPP ARGS]: one SIPp call,
# over IPv6 (::1) when V6 is set.
# LATER="SECONDS COMMAND ARGS", set just before, runs the command that long
# after the call starts (to answer or reject it at the UA).
sipp_run() {
    local name=$1 filt=$2 port=$3 scen=$4 svc=$5
    shift 5
    local later=${LATER:-}
    LATER=
    [[ -z "${ONLY:-}" || " $ONLY " == *" $name "* ]] || return 0
    if [[ -n "$later" ]]; then
        # shellcheck disable=SC2086 # "SECONDS COMMAND ARGS", split on purpose
        (sleep ${later%% *}; ${later#* }) &
    fi
    local ip=127.0.0.1 to=127.0.0.1:$port
    if [[ -n "${V6:-}" ]]; then
        ip=::1 to=[::1]:$port
    fi
    cap "$name" "$filt" -- sipp -i $ip -p 5090 -m 1 -nostdin -timeout 10 -timeout_error \
        -sf "$S/$scen.xml" -s "$svc" "$@" "$to"
    sleep 1
}


# Writes a line to a console program's input.
say() { echo "$2" > "$W/$1.fifo"; }

# Hangs up the ringing call of a baresip (ctrl_tcp, a netstring of JSON):
# baresip answers the INVITE with 486.
baresip_hangup() {
    python3 - "$1" <<'EOF'
import json, socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
cmd = json.dumps({"command": "hangup", "params": "", "token": "1"}).encode()
c.sendall(b"%d:%s," % (len(cmd), cmd))
c.settimeout(1)
try:
    c.recv(4096)
except OSError:
    pass
EOF
}

python3 -c "
import wave
w = wave.open('$W/silence.wav', 'wb')
w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
w.writeframes(bytes(16000 * 60)); w.close()"

# A Call-ID with punctuation (`word` allows it) for uac_options_odd.
ODD_CID="a-b!c~d*e'f_%u-%p@odd.example"
cid() { CID=(); [[ $1 != options_odd ]] || CID=(-cid_str "$ODD_CID"); }

# --- baresip ----------------------------------------------------------------
baresip_start bob 5070 4444 auto
baresip_start carol 5072 4446 manual
F='udp port 5070'
for sc in options foo register bye_nodialog notify_nosub message require invite_bye in_dialog invite_rr_ts options_odd subscribe; do
    cid "$sc"
    sipp_run "bs_$sc" "$F" 5070 "uac_$sc" bob "${CID[@]}"
done
sipp_run bs_cancel 'udp port 5072' 5072 uac_cancel carol
LATER="1.5 baresip_hangup 4446"
sipp_run bs_reject 'udp port 5072' 5072 uac_reject carol
sipp_run bs_tcp_options 'tcp port 5070' 5070 uac_options bob -t t1
sipp_run bs_tcp_invite_bye 'tcp port 5070' 5070 uac_invite_bye bob -t t1

# --- linphonec --------------------------------------------------------------
linphone_start dave 5074 -a
linphone_start erin 5076
F='udp port 5074'
for sc in options foo register bye_nodialog notify_nosub message require invite_bye in_dialog invite_rr_ts options_odd subscribe; do
    cid "$sc"
    sipp_run "lp_$sc" "$F" 5074 "uac_$sc" dave "${CID[@]}"
done
sipp_run lp_cancel 'udp port 5076' 5076 uac_cancel erin
LATER="1.5 say erin terminate"
sipp_run lp_reject 'udp port 5076' 5076 uac_reject erin
sipp_run lp_tcp_options 'tcp port 5074' 5074 uac_options dave -t t1
sipp_run lp_tcp_invite_bye 'tcp port 5074' 5074 uac_invite_bye dave -t t1
# linphonec listens on IPv6 too.
V6=1 sipp_run lp_ipv6_invite_bye 'udp port 5074' 5074 uac_invite_bye dave
V6=1 sipp_run lp_ipv6_options_rport 'udp port 5074' 5074 uac_options_rport dave

# --- twinkle ----------------------------------------------------------------
twinkle_start frank 5078 8000
twinkle_start gina 5080 8100
F='udp port 5078'
for sc in options foo register bye_nodialog notify_nosub message require options_odd subscribe; do
    cid "$sc"
    sipp_run "tw_$sc" "$F" 5078 "uac_$sc" frank "${CID[@]}"
done
for sc in invite_bye in_dialog invite_rr_ts; do
    LATER="1.5 say frank answer"
    sipp_run "tw_$sc" "$F" 5078 "uac_$sc" frank
done
sipp_run tw_cancel 'udp port 5080' 5080 uac_cancel gina
LATER="1.5 say gina reject"
sipp_run tw_reject 'udp port 5080' 5080 uac_reject gina
LATER="2 say gina answer"
sipp_run tw_100rel 'udp port 5080' 5080 uac_invite_100rel gina
sipp_run tw_tcp_options 'tcp port 5078' 5078 uac_options frank -t t1

# --- kamailio ---------------------------------------------------------------
F='udp port 5064'
kamailio_start -A REJECT_SHORT
sipp_run kam_register_423 "$F" 5064 uac_register_auth bob -key expires 30 -key contact_user bob -key contact_port 5070 -au bob -ap secret
kamailio_stop
kamailio_start
sipp_run kam_register_short "$F" 5064 uac_register_auth bob -key expires 30 -key contact_user bob -key contact_port 5070 -au bob -ap secret
sipp_run kam_register_auth "$F" 5064 uac_register_auth bob -key expires 300 -key contact_user bob -key contact_port 5070 -au bob -ap secret
sipp_run kam_register_carol "$F" 5064 uac_register_auth carol -key expires 300 -key contact_user carol -key contact_port 5072 -au carol -ap secret
sipp_run kam_register_multi "$F" 5064 uac_register_multi multi -au multi -ap secret
sipp_run kam_invite_404 "$F" 5064 uac_invite_unknown_user nobody
sipp_run kam_maxfwd0 "$F" 5064 uac_maxfwd0 bob
sipp_run kam_proxy_require "$F" 5064 uac_proxy_require bob
sipp_run kam_tel_uri "$F" 5064 uac_tel_uri x
sipp_run kam_options_server "$F" 5064 uac_options_server x
sipp_run kam_options_odd 'udp port 5064 or udp port 5070' 5064 uac_options_odd bob -cid_str "$ODD_CID"
sipp_run kam_foo "$F" 5064 uac_foo bob
sipp_run kam_proxied_call 'udp port 5064 or udp port 5070' 5064 uac_invite_bye_rr bob
sipp_run kam_proxied_cancel 'udp port 5064 or udp port 5072' 5064 uac_cancel carol
LATER="2 baresip_hangup 4446"
sipp_run kam_proxied_reject 'udp port 5064 or udp port 5072' 5064 uac_reject carol
# "fork" has two bindings, bob's baresip (answers) and carol's (rings):
# Kamailio forks, relays bob's 200 and cancels carol's branch.
sipp_run kam_register_fork_bob "$F" 5064 uac_register_auth fork -key expires 300 -key contact_user bob -key contact_port 5070 -au fork -ap secret
sipp_run kam_register_fork_carol "$F" 5064 uac_register_auth fork -key expires 300 -key contact_user carol -key contact_port 5072 -au fork -ap secret
sipp_run kam_forked_call 'udp port 5064 or udp port 5070 or udp port 5072' 5064 uac_invite_bye_rr fork
sipp_run kam_tcp_register_auth 'tcp port 5064' 5064 uac_register_auth bob -key expires 300 -key contact_user bob -key contact_port 5070 -au bob -ap secret -t t1
V6=1 sipp_run kam_ipv6_register_auth "$F" 5064 uac_register_auth v6 -key expires 300 -key contact_user v6 -key contact_port 5090 -au v6 -ap secret
V6=1 sipp_run kam_ipv6_options_server "$F" 5064 uac_options_server x
V6=1 sipp_run kam_ipv6_options_rport "$F" 5064 uac_options_rport bob

# --- sipsak -----------------------------------------------------------------
# -l 5095 is the port sipsak puts in its Via; it sends from another one.
cap sipsak_kam_options "$F" -- sipsak -vv -l 5095 -s sip:127.0.0.1:5064
cap sipsak_kam_register "$F" -- sipsak -vv -i -l 5095 -U -C sip:carl@127.0.0.1:5095 -x 300 \
    -s sip:carl@127.0.0.1:5064 -a secret -H 127.0.0.1
cap sipsak_kam_trace 'udp port 5064 or udp port 5070' -- sipsak -vv -l 5095 -T \
    -s sip:bob@127.0.0.1:5064 -H 127.0.0.1
cap sipsak_bs_options 'udp port 5070' -- sipsak -vv -l 5095 -s sip:bob@127.0.0.1:5070
cap sipsak_lp_options 'udp port 5074' -- sipsak -vv -l 5095 -s sip:dave@127.0.0.1:5074
cap sipsak_tw_options 'udp port 5078' -- sipsak -vv -l 5095 -s sip:frank@127.0.0.1:5078

echo "logs and SIPp screens: $W"
