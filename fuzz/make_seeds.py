#!/usr/bin/env python3
"""Rebuilds fuzz/corpus/<target>/seed-* from tests/data and the crafted
messages below. Run from the repository root: python3 fuzz/make_seeds.py

Only files named seed-* are tracked (fuzz/.gitignore); what a fuzzing run
adds to the corpus folders stays local."""
import os, glob, shutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data")
CORPUS = os.path.join(ROOT, "fuzz", "corpus")

CRAFTED = {
    "200-typed": b"SIP/2.0 200 OK\r\n"
    b"Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1;received=192.0.2.1, SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK2\r\n"
    b"v: SIP/2.0/UDP b.example.com;branch=z9hG4bK3;rport\r\n"
    b"From: \"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    b"t: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
    b"i: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    b"CSeq: 314159 INVITE\r\n"
    b"Contact: <sip:bob@192.0.2.4>;expires=3600;q=0.7, *\r\n"
    b"Warning: 399 proxy.example.com:5060 \"Incompatible \\\"codec\\\"\"\r\n"
    b"Warning: 307 [2001:db8::9] \"Session parameter 'foo' not understood\"\r\n"
    b"Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n"
    b"Reason: Q.850;cause=16;text=\"Terminated\", SIP;cause=200;text=\"Call completed elsewhere\"\r\n"
    b"Security-Server: ipsec-3gpp;q=0.1;alg=hmac-sha-1-96;spi-c=1;spi-s=2;port-c=5062;port-s=5064, digest;d-alg=md5;d-qop=auth;d-ver=\"0123456789abcdef0123456789abcdef\"\r\n"
    b"Retry-After: 18000;duration=3600 (Free for \\(maybe\\) (nested) lunch)\r\n"
    b"Server: Example/1.0 (Linux)\r\n"
    b"k: timer, 100rel\r\n"
    b"x: 1800;refresher=uac\r\n"
    b"c: application/sdp\r\n"
    b"l: 5\r\n\r\nhello",
    "401-digest": b"SIP/2.0 401 Unauthorized\r\n"
    b"Via: SIP/2.0/UDP a;branch=z9hG4bK4\r\n"
    b"WWW-Authenticate: Digest realm=\"atlanta.example.com\", qop=\"auth,auth-int\",\r\n"
    b"  nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", opaque=\"\", stale=FALSE, algorithm=MD5\r\n"
    b"WWW-Authenticate: Digest realm=\"b\", nonce=\"c\", algorithm=SHA-256, Digest realm=\"d\", nonce=\"e\"\r\n"
    b"Content-Length: 0\r\n\r\n",
    "407-proxy": b"SIP/2.0 407 Proxy Authentication Required\r\n"
    b"Proxy-Authenticate: Digest realm=\"p\",nonce=\"n\",domain=\"sip:a sip:b\"\r\n"
    b"Proxy-Authenticate: Basic realm=\"forbidden\"\r\n"
    b"l:0\r\n\r\n",
    "bare-lf-folds": b"SIP/2.0 180 Ringing\nVia : SIP/2.0/UDP a,\n SIP/2.0/UDP b\nSubject:\n\tlunch\nX-Odd\t: 1\nno colon\n: empty\nl: 0\n\n",
    "cl-conflict": b"SIP/2.0 200 OK\r\nl: 1\r\nContent-Length: 2\r\n\r\nab",
    "cl-odd": b"SIP/2.0 200 OK\r\nContent-Length: +5\r\n\r\nhello",
    "cl-leading-zeros": b"SIP/2.0 200 OK\r\nContent-Length: 007\r\n\r\n1234567",
    "no-cl": b"SIP/2.0 100 Trying\r\nVia: SIP/2.0/UDP x;branch=z9hG4bKx\r\n\r\nbody to the end",
    "unterminated": b"SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP pig",
    "status-line-odd": b"  SIP/2.0\t\t200\tOK\r\n OK\r\nl: 0\r\n\r\n",
    "noreason": b"SIP/2.0 699\r\nl:0\r\n\r\n",
    "request": b"OPTIONS sip:user@example.com SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK5\r\nMax-Forwards: 70\r\nl: 0\r\n\r\n",
    "keepalive-bare-cr": b"\r\n\r\nSIP/2.0 200 OK\r\nX: a\rb\r\nl: 0\r\n\r\n",
}

# Raw typed values for the typed_headers target: 3 bytes of base, then the value.
TYPED_VALUES = {
    "warning": b"399 host.example:5060 \"text \\\" q\"",
    "date": b"Sat, 29 Feb 2020 23:59:59 GMT",
    "reason": b"SIP ;cause=580;text=\"Precondition Failure\";x=y",
    "security": b"digest;d-alg=md5;d-ver=\"0123456789abcdef0123456789abcdef\";q=0.5",
    "challenge": b"Digest realm=\"r\",\r\n nonce=\"n\", qop=\"auth\", Basic realm=\"x\"",
    "comment": b"120 (((((((nested))))))) ;duration=1",
}


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def sample(items, n):
    """Every k-th of the sorted items, at most n of them (deterministic)."""
    items = sorted(items)
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def real_messages():
    """RFC 4475 / 5118 and the fixtures, plus a sample of the capture cuts
    (one per status code, at most 6), so each target stays near 100 seeds."""
    out = {}
    captures = {}
    for path in sorted(glob.glob(os.path.join(DATA, "**", "*"), recursive=True)):
        if not (os.path.isfile(path) and path.endswith((".dat", ".sip"))):
            continue
        rel = os.path.relpath(path, DATA).replace(os.sep, "_")
        if rel.startswith("capture-responses"):
            code = rel.rsplit("_", 1)[-1]
            captures.setdefault(code, (rel, path))
            continue
        out[rel] = open(path, "rb").read()
    for rel, path in sample(captures.values(), 6):
        out[rel] = open(path, "rb").read()
    return out


def main():
    for t in os.listdir(CORPUS) if os.path.isdir(CORPUS) else []:
        for f in glob.glob(os.path.join(CORPUS, t, "seed-*")):
            os.remove(f)
    msgs = {**real_messages(), **{"crafted-" + k: v for k, v in CRAFTED.items()}}
    for name, data in msgs.items():
        write("parse_message", name, data)
        if not data.lstrip(b"\r\n").upper().startswith(b"SIP/") and not name.startswith("rfc4475"):
            continue
        write("parse_response", name, data)
        write("roundtrip", name, data)
        write("typed_headers", name, data)
        if name.startswith("crafted-"):
            # validate: a context selector byte, then the message.
            sel = (len(name) * 37 + sum(data[:64])) & 0xFF
            write("validate", name, bytes([sel]) + data)
    # forward: byte 0 bit 0 = the proxy owns the top Via, bit 1 = forward
    # to broadcast; the rest a datagram.
    fwd = {k: v for k, v in msgs.items() if b"via" in v.lower() or b"\nv:" in v.lower()}
    for i, name in enumerate(sample(fwd, 60)):
        data = fwd[name]
        if data.lstrip(b"\r\n").upper().startswith(b"SIP/"):
            write("forward", name, bytes([(1, 3, 0, 1)[i % 4]]) + data)
    write("forward", "crafted-proxy-chain", b"\x01SIP/2.0 180 Ringing\r\n"
          b"Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1,\r\n SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK2\r\n"
          b"v: SIP/2.0/TCP [2001:db8::1];branch=z9hG4bK3;received=255.255.255.255\r\n"
          b"To: <sip:b@example.org>;tag=1\r\nl: 0\r\n\r\n")
    write("forward", "crafted-own-row", b"\x03SIP/2.0 200 OK\r\nVia: SIP/2.0/TLS P1.EXAMPLE.COM:5061;branch=z9hG4bK1\r\n"
          b"Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK2\r\nl: 0\r\n\r\n")
    # validate: every rule fixture of tests/rules, with its context.
    transports = {"udp": 1, "tcp": 2, "tls": 3, "sctp": 4, "ws": 5, "wss": 6}
    fixtures = glob.glob(os.path.join(ROOT, "tests", "rules", "*", "fail*.sip"))
    for sip in sample(fixtures, 85):
        sel = 0
        ctx = sip[:-4] + ".ctx"
        if os.path.exists(ctx):
            for line in open(ctx):
                k, _, v = line.strip().partition("=")
                if k == "transport":
                    sel |= transports.get(v.lower(), 0)
                elif k == "role":
                    sel |= {"uac": 1, "proxy": 2}.get(v.lower(), 0) << 3
        rule = os.path.basename(os.path.dirname(sip))
        write("validate", "rule-%s-%s" % (rule, os.path.basename(sip)[:-4]), bytes([sel]) + open(sip, "rb").read())
    # validate with the request first: byte 0 (bit 0: the request is
    # observed on the hop), the request, then the response.
    for ctx in sorted(glob.glob(os.path.join(ROOT, "tests", "rules", "*", "*.ctx"))):
        lines = open(ctx).read().split()
        reqs = [l.split("=", 1)[1] for l in lines if l.startswith(("request=", "observed-request="))]
        sip = ctx[:-4] + ".sip"
        if not reqs or not os.path.exists(sip):
            continue
        sel = 1 if any(l.startswith("observed-request=") for l in lines) else 0
        d = os.path.dirname(ctx)
        data = bytes([sel]) + open(os.path.join(d, reqs[0]), "rb").read() + open(sip, "rb").read()
        write("validate", "req-%s-%s" % (os.path.basename(d), os.path.basename(ctx)[:-4]), data)
    for name, v in TYPED_VALUES.items():
        write("typed_headers", "value-" + name, b"\x10\x00\x00" + v)
    # decoder_split: flags, cut lengths - 1, then the stream.
    crafted = [CRAFTED[k] for k in ("200-typed", "401-digest", "407-proxy", "cl-leading-zeros")]
    stream = b"\r\n".join(crafted) + b"\r\n\r\n" + CRAFTED["request"]
    write("decoder_split", "crafted-1byte", bytes([0x01, 0]) + stream)
    write("decoder_split", "crafted-mixed", bytes([0x04, 6, 40, 0, 200]) + stream)
    write("decoder_split", "crafted-whole", bytes([0x00]) + stream)
    write("decoder_split", "lenient-no-cl", bytes([0x82, 3, 17]) + CRAFTED["no-cl"] + CRAFTED["noreason"])
    write("decoder_split", "cl-conflict", bytes([0x01, 9]) + CRAFTED["200-typed"] + CRAFTED["cl-conflict"])
    write("decoder_split", "bare-lf", bytes([0x02, 1, 2]) + CRAFTED["bare-lf-folds"] * 2)
    # Bit 6: tight limits (fuzz_support::TIGHT), reached by small inputs.
    write("decoder_split", "tight-1byte", bytes([0x41, 0]) + CRAFTED["cl-leading-zeros"] + CRAFTED["401-digest"])
    write("decoder_split", "tight-mixed", bytes([0x43, 2, 30, 5]) + CRAFTED["noreason"] + CRAFTED["200-typed"])
    write("decoder_split", "tight-folds", bytes([0xC1, 4]) + b"SIP/2.0 200 OK\r\nX: a\r\n b\r\n c\r\n d\r\n e\r\nl: 0\r\n\r\n")
    reals = real_messages()
    for i, name in enumerate(k for k in sorted(reals) if k.startswith("fixtures")):
        data = reals[name]
        write("decoder_split", "fixture-" + name, bytes([0x81 if i % 2 else 0x03, i % 7, 13, 255]) + data + data)
    for name, data in capture_seeds():
        write("capture", name, data)


def capture_cut(data, limit):
    """The capture's first records, whole, up to about `limit` octets."""
    import struct
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        e = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
        off = 0
        while off + 12 <= len(data):
            blen = struct.unpack(e + "I", data[off + 4:off + 8])[0]
            if off + blen > limit and off > 0:
                break
            off += blen
        return data[:off]
    e = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        if off + 16 + incl > limit and off > 24:
            break
        off += 16 + incl
    return data[:off]


def capture_seeds():
    """Every corpus capture, cut to its first records within 12 KiB (the
    target runs with -max_len=16384)."""
    for path in sorted(glob.glob(os.path.join(DATA, "pcap", "*"))):
        name = os.path.basename(path).rsplit(".", 1)[0]
        yield "pcap-" + name, capture_cut(open(path, "rb").read(), 12 * 1024)
    # SIP over WebSocket the corpus lacks: deflated (RFC 7692), and begun
    # after the upgrade.
    for path in sorted(glob.glob(os.path.join(ROOT, "tests", "data", "captures", "ws-*.pcap"))):
        name = os.path.basename(path).rsplit(".", 1)[0]
        yield name, capture_cut(open(path, "rb").read(), 12 * 1024)
    # SIP in NULL-encrypted ESP (a VoLTE trace, some of it in GTP-U too),
    # kept gzipped as found.
    import gzip
    esp = os.path.join(ROOT, "tests", "data", "captures", "nokia__51_esp_sip.pcapng.gz")
    yield "esp-null-volte", capture_cut(gzip.decompress(open(esp, "rb").read()), 12 * 1024)


if __name__ == "__main__":
    main()
