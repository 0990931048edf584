#!/usr/bin/env python3
"""rfcvoip 2.10.3 VoIPPhone as a UAS on 127.0.0.1:PORT for the realscan.
The phone's server is set to SIPp's address (127.0.0.1:17090), as for pyVoIP
(rfcvoip itself answers to the Via address). Registration is skipped
(SIPClient.register patched to return True): there is no registrar.
Callee by Request-URI/To user: bob answers after the library's callback delay,
busy denies (486), anything else (carol) keeps ringing."""
import sys, time
import rfcvoip
from rfcvoip.VoIP import VoIPPhone
from rfcvoip.SIP import SIPClient
rfcvoip.DEBUG = True
SIPClient.register = lambda self: True   # no registrar
# rfcvoip answers 404 to an INVITE for another user than its account
# (captures/rfcvoip_invite_wrong_user.pcap); accept every user here.
VoIPPhone._invite_targets_local_account = lambda self, request: True
port = int(sys.argv[1])

def on_call(call):
    user = call.request.headers['To']['number']
    print('call for', user, flush=True)
    if user == 'bob':
        call.answer()
    elif user == 'busy':
        call.deny()
    # carol: keep ringing

phone = VoIPPhone('127.0.0.1', 17090, 'rfcvoip', 'x', myIP='127.0.0.1', callCallback=on_call,
                  sipPort=port, rtpPortLow=17700, rtpPortHigh=17799)
phone.start()
print('started', flush=True)
while True:
    time.sleep(1)
