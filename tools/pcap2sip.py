#!/usr/bin/env python3
"""Extract SIP responses from pcap/pcapng files (review aid, not project code).

Usage: pcap2sip.py OUTDIR FILE...
Writes OUTDIR/<capture>__<n>_<code>.sip per response found (UDP datagrams,
SCTP DATA chunks, TCP streams split by Content-Length).
"""
import os
import re
import struct
import sys


def packets(path):
    data = open(path, "rb").read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    elif magic == b"\x0a\x0d\x0d\x0a":
        yield from pcapng(data)
        return
    else:
        return
    linktype = struct.unpack(e + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        yield linktype, data[off:off + incl]
        off += incl


def pcapng(data):
    off = 0
    links = []
    e = "<"
    while off + 12 <= len(data):
        btype = struct.unpack(e + "I", data[off:off + 4])[0]
        if btype == 0x0A0D0D0A:
            bom = data[off + 8:off + 12]
            e = "<" if bom == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        blen = struct.unpack(e + "I", data[off + 4:off + 8])[0]
        body = data[off + 8:off + blen - 4]
        if btype == 1:
            links.append(struct.unpack(e + "H", body[:2])[0])
        elif btype == 6:
            iface, _, _, cap, _ = struct.unpack(e + "IIIII", body[:20])
            yield links[iface], body[20:20 + cap]
        elif btype == 3:
            orig = struct.unpack(e + "I", body[:4])[0]
            yield links[0], body[4:4 + orig]
        if blen < 12:
            break
        off += blen


def l2(linktype, p):
    if linktype == 1:
        return ether(p)
    if linktype == 113:
        return l3(struct.unpack(">H", p[14:16])[0], p[16:])
    if linktype == 276:
        return l3(struct.unpack(">H", p[0:2])[0], p[20:])
    if linktype in (101, 228, 229, 12, 14):
        v = p[0] >> 4 if p else 0
        return l3(0x0800 if v == 4 else 0x86DD, p)
    if linktype == 0:
        fam = struct.unpack("<I", p[:4])[0]
        return l3(0x0800 if fam == 2 else 0x86DD, p[4:])
    return []


def ether(p):
    et = struct.unpack(">H", p[12:14])[0]
    p = p[14:]
    while et in (0x8100, 0x88A8):
        et = struct.unpack(">H", p[2:4])[0]
        p = p[4:]
    return l3(et, p)


def l3(et, p):
    if et == 0x0800 and len(p) >= 20:
        ihl = (p[0] & 15) * 4
        total = struct.unpack(">H", p[2:4])[0]
        proto = p[9]
        src, dst = p[12:16], p[16:20]
        frag = struct.unpack(">H", p[6:8])[0]
        body = p[ihl:total] if total else p[ihl:]
        if frag & 0x3FFF:
            key = (src, dst, p[4:6], proto)
            FRAGS.setdefault(key, {})[(frag & 0x1FFF) * 8] = body
            if frag & 0x2000:
                return []
            parts = FRAGS.pop(key)
            body = b"".join(parts[k] for k in sorted(parts))
        return l4(proto, src, dst, body, 0)
    if et == 0x86DD and len(p) >= 40:
        nxt = p[6]
        src, dst = p[8:24], p[24:40]
        plen = struct.unpack(">H", p[4:6])[0]
        q = p[40:40 + plen]
        while nxt in (0, 43, 60, 44):
            if nxt == 44:
                fo = struct.unpack(">H", q[2:4])[0]
                key = (src, dst, q[4:8])
                d = FRAGS.setdefault(key, {"parts": {}})
                if fo >> 3 == 0:
                    d["nxt"] = q[0]
                d["parts"][fo & 0xFFF8] = q[8:]
                if fo & 1:
                    return []
                FRAGS.pop(key)
                nxt = d.get("nxt", q[0])
                q = b"".join(d["parts"][k] for k in sorted(d["parts"]))
                continue
            nxt, q = q[0], q[(q[1] + 1) * 8:]
        return l4(nxt, src, dst, q, 0)
    return []


def l4(proto, src, dst, p, frag):
    if frag:
        return []
    if proto == 17 and len(p) >= 8:
        sp, dp = struct.unpack(">HH", p[:4])
        if 2152 in (sp, dp) and len(p) >= 16:  # GTP-U
            g = p[8:]
            off = 8 + (4 if g[0] & 7 else 0)
            inner = g[off:]
            v = inner[0] >> 4 if inner else 0
            return l3(0x0800 if v == 4 else 0x86DD, inner)
        return [("udp", (src, sp, dst, dp), None, p[8:])]
    if proto == 6 and len(p) >= 20:
        sp, dp, seq = struct.unpack(">HHI", p[:8])
        doff = (p[12] >> 4) * 4
        return [("tcp", (src, sp, dst, dp), seq, p[doff:])]
    if proto == 132 and len(p) >= 12:
        out = []
        q = p[12:]
        while len(q) >= 4:
            ctype, _, clen = struct.unpack(">BBH", q[:4])
            if clen < 4:
                break
            if ctype == 0:
                out.append(("sctp", None, None, q[16:clen]))
            q = q[(clen + 3) & ~3:]
        return out
    if proto == 4:
        return l3(0x0800, p)
    if proto == 41:
        return l3(0x86DD, p)
    if proto == 47 and len(p) >= 4:
        flags, et = struct.unpack(">HH", p[:4])
        off = 4 + (4 if flags & 0x8000 else 0) + (4 if flags & 0x2000 else 0) + (4 if flags & 0x1000 else 0)
        if et == 0x88BE:  # ERSPAN II
            return ether(p[off + 8:])
        if et == 0x22EB:  # ERSPAN III
            return ether(p[off + 12:])
        if et == 0x6558:
            return ether(p[off:])
        return l3(et, p[off:])
    return []


FRAGS = {}

START = re.compile(rb"SIP/2\.0 \d{3}[ \r\n]|[A-Z]+ \S+ SIP/2\.0\r?\n")


def split_stream(buf):
    """Split a byte stream into SIP messages using Content-Length."""
    msgs = []
    i = 0
    while True:
        m = START.search(buf, i)
        if not m:
            break
        s = m.start()
        end = buf.find(b"\r\n\r\n", s)
        if end < 0:
            break
        head = buf[s:end + 4]
        cl = re.search(rb"\r\n(?:Content-Length|l)[ \t]*:[ \t]*(\d+)", head, re.I)
        n = int(cl.group(1)) if cl else 0
        msgs.append(buf[s:end + 4 + n])
        i = end + 4 + n
    return msgs


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    total = 0
    for path in sys.argv[2:]:
        name = os.path.basename(path).rsplit(".", 1)[0]
        msgs = []
        streams = {}
        for lt, p in packets(path):
            try:
                segs = l2(lt, p)
            except (struct.error, IndexError):
                continue
            for kind, flow, seq, payload in segs:
                if not payload:
                    continue
                if kind == "tcp":
                    streams.setdefault(flow, {}).setdefault(seq, payload)
                else:
                    msgs.extend(split_stream(payload) if kind == "sctp" else [payload])
        for segs in streams.values():
            buf = b""
            nxt = None
            for seq in sorted(segs):
                data = segs[seq]
                if nxt is not None and seq < nxt:
                    data = data[nxt - seq:]
                buf += data
                nxt = seq + len(segs[seq]) if nxt is None else max(nxt, seq + len(segs[seq]))
            msgs.extend(split_stream(buf))
        n = 0
        for m in msgs:
            mm = re.match(rb"SIP/2\.0 (\d{3})", m)
            if not mm:
                continue
            n += 1
            with open(os.path.join(out, f"{name}__p{n:04d}_{mm.group(1).decode()}.sip"), "wb") as f:
                f.write(m)
        total += n
        print(f"{name}: {n} responses", file=sys.stderr)
    print(f"total {total}", file=sys.stderr)


main()
