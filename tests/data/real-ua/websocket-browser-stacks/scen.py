#!/usr/bin/env python3
"""UDP SIP sender (stands in for SIPp): sends requests to a WS-registered UA through Kamailio
(127.0.0.1:5560) and prints the responses.  usage: scen.py USER SCENARIO"""
import random, socket, sys, time

KAM = ("127.0.0.1", 5560)
ME = ("127.0.0.1", 5570)
user, scen = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(ME)
s.settimeout(0.3)
SDP = ("v=0\r\no=- 1234 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio 5580 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
       "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n")

def rnd(n=8): return "%0*x" % (n, random.getrandbits(4 * n))

class Req:
    def __init__(self, method, cseq=1, callid=None, ftag=None, ttag=None, extra=(), body="", ctype=None,
                 mf=70, to_uri=None, ruri=None):
        self.method, self.cseq = method, cseq
        self.callid = callid or rnd(16) + "@127.0.0.1"
        self.ftag = ftag or rnd()
        self.ttag, self.extra, self.body, self.ctype, self.mf = ttag, list(extra), body, ctype, mf
        self.branch = "z9hG4bK" + rnd(12)
        self.ruri = ruri or f"sip:{user}@127.0.0.1:5560"
        self.to_uri = to_uri or f"sip:{user}@127.0.0.1"
    def to(self):
        return f"<{self.to_uri}>" + (f";tag={self.ttag}" if self.ttag else "")
    def text(self, method=None, branch=None, to=None, body=None, extra=None):
        method = method or self.method
        body = self.body if body is None else body
        h = [f"{method} {self.ruri} SIP/2.0",
             f"Via: SIP/2.0/UDP 127.0.0.1:5570;branch={branch or self.branch};rport",
             f"Max-Forwards: {self.mf}", f"From: \"Tester\" <sip:tester@127.0.0.1>;tag={self.ftag}",
             f"To: {to or self.to()}", f"Call-ID: {self.callid}", f"CSeq: {self.cseq} {method}",
             "Contact: <sip:tester@127.0.0.1:5570>", "User-Agent: jsscan-scen"]
        h += (self.extra if extra is None else extra)
        if body:
            h.append(f"Content-Type: {self.ctype}")
        h.append(f"Content-Length: {len(body.encode())}")
        return "\r\n".join(h) + "\r\n\r\n" + body
    def send(self, **kw):
        t = self.text(**kw); s.sendto(t.encode(), KAM)
        print(">>>", t.split("\r\n")[0], "|", kw.get("branch", self.branch))

def recv_until(req, timeout=5.0, final=True):
    """collect responses; ACK non-2xx finals of INVITE; answer stray requests with 200/481"""
    end = time.time() + timeout; got = []
    while time.time() < end:
        try:
            data, addr = s.recvfrom(70000)
        except socket.timeout:
            continue
        txt = data.decode(errors="replace")
        first = txt.split("\r\n")[0]
        hdr = {}
        for l in txt.split("\r\n\r\n")[0].split("\r\n")[1:]:
            if ":" in l:
                k, v = l.split(":", 1); hdr.setdefault(k.strip().lower(), v.strip())
        if not first.startswith("SIP/2.0"):
            print("<<< request", first)
            continue
        code = int(first.split()[1]); cseq = hdr.get("cseq", "")
        print("<<<", first, "|", cseq)
        got.append((code, cseq, txt))
        if cseq.endswith("INVITE") and code >= 300:
            # hop-by-hop ACK for a non-2xx final, built from the response itself (RFC 3261 17.1.1.3)
            vb = hdr.get("via", "").split("branch=")[1].split(";")[0]
            ack = (f"ACK sip:{user}@127.0.0.1:5560 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5570;branch={vb};rport\r\n"
                   f"Max-Forwards: 70\r\nFrom: {hdr['from']}\r\nTo: {hdr['to']}\r\nCall-ID: {hdr['call-id']}\r\n"
                   f"CSeq: {cseq.split()[0]} ACK\r\nContent-Length: 0\r\n\r\n")
            s.sendto(ack.encode(), KAM); print(">>> ACK |", vb)
        if final and code >= 200 and req is not None and cseq.endswith(req.method):
            end = min(end, time.time() + 0.7)
    return got

def simple(method, **kw):
    r = Req(method, **kw); r.send(); recv_until(r); return r

if scen == "options":
    simple("OPTIONS", extra=["Accept: application/sdp"])
elif scen == "message":
    simple("MESSAGE", body="hello from jsscan", ctype="text/plain")
elif scen == "info":
    simple("INFO", body="Signal=1\r\nDuration=100\r\n", ctype="application/dtmf-relay")
elif scen == "subscribe":
    simple("SUBSCRIBE", extra=["Event: presence", "Expires: 60", "Accept: application/pidf+xml"])
elif scen == "notify":
    simple("NOTIFY", extra=["Event: presence", "Subscription-State: active;expires=60"],
           body="<presence/>", ctype="application/pidf+xml")
    simple("NOTIFY", ttag=rnd(), extra=["Event: presence", "Subscription-State: active;expires=60"],
           body="<presence/>", ctype="application/pidf+xml")
elif scen == "foo":
    simple("FOO")
elif scen == "bye":
    simple("BYE")               # no To tag
    simple("BYE", ttag=rnd())   # To tag of no dialog
elif scen == "cancel":
    simple("CANCEL")            # CANCEL matching no INVITE
elif scen == "refer":
    simple("REFER", extra=["Refer-To: <sip:carol@127.0.0.1>"])
elif scen == "require":
    simple("OPTIONS", extra=["Require: foo"])
    simple("MESSAGE", extra=["Require: foo"], body="hi", ctype="text/plain")
elif scen == "maxfwd":
    simple("OPTIONS", mf=1)     # the UA receives Max-Forwards: 0
    simple("MESSAGE", mf=1, body="hi", ctype="text/plain")
    simple("OPTIONS", mf=0)     # Kamailio answers 483
elif scen == "update":
    simple("UPDATE", body=SDP, ctype="application/sdp")
elif scen == "prack":
    simple("PRACK", ttag=rnd(), extra=["RAck: 1 1 INVITE"])
    simple("PRACK", extra=["RAck: 1 1 INVITE"])
elif scen == "invite":
    r = Req("INVITE", body=SDP, ctype="application/sdp", extra=["Supported: 100rel, timer", "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS"])
    r.send(); got = recv_until(r, timeout=3.0)
    if not any(c >= 200 and cs.endswith("INVITE") for c, cs, _ in got):
        r.send(method="CANCEL", body="", extra=[], to=r.to()); recv_until(r, timeout=4.0, final=False)
elif scen == "sanity":
    simple("OPTIONS", to_uri="tel:+15551234")        # To with non-sip scheme (JsSIP: 416)
    cid = rnd(16); ft = rnd()                          # two MESSAGEs, same From tag/Call-ID/CSeq: merged request
    a = Req("MESSAGE", callid=cid, ftag=ft, body="one", ctype="text/plain")
    b = Req("MESSAGE", callid=cid, ftag=ft, body="one", ctype="text/plain")
    a.send(); b.send(); recv_until(None, timeout=3.0)
elif scen == "loop":
    jid = open("/work/jsscan/run/jssip_id").read().strip()
    simple("OPTIONS", callid=jid + rnd(15))                   # Call-ID with JsSIP's own prefix: JsSIP answers 482
    simple("OPTIONS", to_uri="sips:%s@127.0.0.1" % user)       # To with sips scheme: JsSIP answers 416
elif scen == "keepalive":
    recv_until(None, timeout=float(sys.argv[3]) if len(sys.argv) > 3 else 35.0)
elif scen == "register":
    pass
else:
    sys.exit("unknown scenario")

import os
if os.environ.get("WAIT"):
    recv_until(None, timeout=float(os.environ["WAIT"]))
