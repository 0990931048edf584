#!/bin/bash
# rfcvoip 2.10.3 VoIPPhone (rfcvoip/phone.py) on 127.0.0.1:17064 (UDP); its
# "server" is SIPp's 127.0.0.1:17090.
set -u
cd /work/s18/realscan; . ./lib.sh
venv/bin/python rfcvoip/phone.py 17064 > $LOG/rfcvoip_phone.log 2>&1 &
PH=$!
trap 'kill $PH' EXIT
until ss -lun | grep -q ':17064 '; do sleep 0.2; done
F='udp port 17064'
for sc in options foo register bye_nodialog notify_nosub message require invite_bye in_dialog invite_rr_ts options_odd options_rport subscribe invite_100rel dialog_odd; do
    sipp_run "rfcvoip_$sc" "$F" 17064 "uac_$sc" bob
done
sipp_run rfcvoip_cancel "$F" 17064 uac_cancel carol
sipp_run rfcvoip_reject "$F" 17064 uac_reject busy
for r in invite_via_params invite_require_100rel invite_timestamp_rr invite_sipversion invite_to_display cancel_nomatch cseq_huge no_from_tag bad_via garbage_header bad_content_length accept_encoding_gzip prack_nomatch info_nodialog update_nodialog publish refer_nodialog; do
    cap "rfcvoip_raw_$r" "$F" -- python3 rawsend.py 127.0.0.1 17064 $r
done
# captures/rfcvoip_invite_wrong_user.pcap was made by the first run of this script, before
# phone.py accepted every user (rfcvoip's 404 to an INVITE for another account).
