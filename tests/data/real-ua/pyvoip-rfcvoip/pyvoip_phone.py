#!/usr/bin/env python3
"""pyVoIP 1.6.8 VoIPPhone as a UAS on 127.0.0.1:PORT for the realscan.
pyVoIP sends every response to its configured server (server, port), so the
server is set to SIPp's address (127.0.0.1:17090). Registration is skipped
(SIPClient.register patched to return True): there is no registrar.
Callee by Request-URI/To user: bob answers after pyVoIP's 1 s callback delay,
busy denies (486), anything else (carol) keeps ringing."""
import sys, time
import pyVoIP
from pyVoIP.VoIP import VoIPPhone
from pyVoIP.SIP import SIPClient
pyVoIP.DEBUG = True
SIPClient.register = lambda self: True   # no registrar
port = int(sys.argv[1])

def on_call(call):
    user = call.request.headers['To']['number']
    print('call for', user, flush=True)
    if user == 'bob':
        call.answer()
    elif user == 'busy':
        call.deny()
    # carol: keep ringing

phone = VoIPPhone('127.0.0.1', 17090, 'pyvoip', 'x', myIP='127.0.0.1', callCallback=on_call,
                  sipPort=port, rtpPortLow=17500, rtpPortHigh=17599)
phone.start()
print('started', flush=True)
while True:
    time.sleep(1)
