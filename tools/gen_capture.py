#!/usr/bin/env python3
"""Writes a large signalling capture (classic pcap, Ethernet/IPv4/UDP) for
measuring the `validate` tool: CALLS calls of seven messages each (INVITE,
100, 180, 200 with SDP, ACK, BYE, 200), interleaved in time as on a busy
trunk (a new call every 2 ms, each lasting a minute), between a few hundred
user agents and one proxy.

    tools/gen_capture.py CALLS OUT.pcap

100 000 calls make about 700 000 messages and 318 MB. The output is data
for a bench (tools/bench_capture.sh), never committed. Deterministic: the
same CALLS give the same file.
"""

import heapq
import struct
import sys

PROXY = (bytes([10, 1, 0, 1]), 5060)
ETH = bytes.fromhex("020000000001" "020000000002" "0800")

SDP = (
    "v=0\r\n"
    "o=- {n} {n} IN IP4 {ip}\r\n"
    "s=-\r\n"
    "c=IN IP4 {ip}\r\n"
    "t=0 0\r\n"
    "m=audio {port} RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n"
)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(src, dst, payload, ident):
    udp = struct.pack("!HHHH", src[1], dst[1], 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), ident & 0xFFFF, 0, 64, 17, 0, src[0], dst[0])
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ETH + ip + udp


def ua(i):
    n = i % 400
    return (bytes([10, 2, n // 250, n % 250 + 1]), 5060)


def host(ep):
    return "%d.%d.%d.%d" % tuple(ep[0])


def call_messages(i):
    """The seven messages of call `i`: (offset in seconds, src, dst, text)."""
    caller, callee = ua(i), ua(i * 7 + 13)
    a, b, p = host(caller), host(callee), host(PROXY)
    call_id = "%08x-%04x@%s" % (i * 2654435761 & 0xFFFFFFFF, i & 0xFFFF, a)
    ftag, ttag = "f%07d" % i, "t%07d" % i
    br_inv, br_bye = "z9hG4bK-inv-%d" % i, "z9hG4bK-bye-%d" % i
    frm = "\"Caller %d\" <sip:+4930%07d@%s>;tag=%s" % (i, i, a, ftag)
    to = "<sip:+4940%07d@%s>" % (i, p)
    common = "Max-Forwards: 70\r\nUser-Agent: gen_capture/1.0\r\n"

    def req(method, cseq, branch, to_hdr, extra="", body=""):
        return (
            "%s sip:+4940%07d@%s:5060 SIP/2.0\r\n" % (method, i, p)
            + "Via: SIP/2.0/UDP %s:5060;branch=%s;rport\r\n" % (a, branch)
            + "From: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %d %s\r\n" % (frm, to_hdr, call_id, cseq, method)
            + "Contact: <sip:+4930%07d@%s:5060>\r\n" % (i, a)
            + common
            + extra
            + "Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )

    def resp(code, reason, cseq, method, branch, to_hdr, extra="", body=""):
        return (
            "SIP/2.0 %d %s\r\n" % (code, reason)
            + "Via: SIP/2.0/UDP %s:5060;branch=%s;rport=5060;received=%s\r\n" % (a, branch, a)
            + "From: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %d %s\r\n" % (frm, to_hdr, call_id, cseq, method)
            + extra
            + "Server: gen_capture/1.0\r\n"
            + "Content-Length: %d\r\n\r\n%s" % (len(body), body)
        )

    to_t = to + ";tag=" + ttag
    offer = SDP.format(n=i, ip=a, port=10000 + 2 * (i % 20000))
    answer = SDP.format(n=i + 1, ip=b, port=20000 + 2 * (i % 20000))
    sdp_type = "Content-Type: application/sdp\r\n"
    contact_b = "Contact: <sip:+4940%07d@%s:5060>\r\n" % (i, b)
    return [
        (0.000, caller, PROXY, req("INVITE", 1, br_inv, to, sdp_type + "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS\r\n", offer)),
        (0.010, PROXY, caller, resp(100, "Trying", 1, "INVITE", br_inv, to)),
        (0.150, PROXY, caller, resp(180, "Ringing", 1, "INVITE", br_inv, to_t, contact_b)),
        (2.000, PROXY, caller, resp(200, "OK", 1, "INVITE", br_inv, to_t, contact_b + sdp_type, answer)),
        (2.050, caller, PROXY, req("ACK", 1, "z9hG4bK-ack-%d" % i, to_t)),
        (60.00, caller, PROXY, req("BYE", 2, br_bye, to_t)),
        (60.02, PROXY, caller, resp(200, "OK", 2, "BYE", br_bye, to_t)),
    ]


def main():
    calls, out = int(sys.argv[1]), sys.argv[2]
    start = 1_700_000_000.0
    pending = []  # (time, seq, src, dst, text)
    seq = 0
    ident = 0
    with open(out, "wb", buffering=1 << 20) as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))

        def flush(until):
            nonlocal ident
            while pending and pending[0][0] <= until:
                t, _, src, dst, text = heapq.heappop(pending)
                ident += 1
                data = frame(src, dst, text.encode(), ident)
                secs = int(t)
                f.write(struct.pack("<IIII", secs, int(round((t - secs) * 1e6)) % 1_000_000, len(data), len(data)))
                f.write(data)

        for i in range(calls):
            t0 = start + i * 0.002
            flush(t0)
            for off, src, dst, text in call_messages(i):
                seq += 1
                heapq.heappush(pending, (t0 + off, seq, src, dst, text))
        flush(float("inf"))


if __name__ == "__main__":
    main()
