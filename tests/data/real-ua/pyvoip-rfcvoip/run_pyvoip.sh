#!/bin/bash
# pyVoIP 1.6.8 VoIPPhone (pyvoip/phone.py) on 127.0.0.1:17062 (UDP only); its
# "server" (where it sends every response) is SIPp's 127.0.0.1:17090.
set -u
cd /work/s18/realscan; . ./lib.sh
venv/bin/python pyvoip/phone.py 17062 > $LOG/pyvoip_phone.log 2>&1 &
PH=$!
trap 'kill $PH' EXIT
until ss -lun | grep -q ':17062 '; do sleep 0.2; done
F='udp port 17062'
for sc in options foo register bye_nodialog require invite_bye in_dialog invite_rr_ts options_odd invite_100rel; do
    sipp_run "pyvoip_$sc" "$F" 17062 "uac_$sc" bob
done
sipp_run pyvoip_cancel "$F" 17062 uac_cancel carol
sipp_run pyvoip_reject "$F" 17062 uac_reject busy
for r in invite_via_params invite_require_100rel invite_timestamp_rr invite_sipversion invite_to_display; do
    cap "pyvoip_raw_$r" "$F" -- python3 rawsend.py 127.0.0.1 17062 $r
done
