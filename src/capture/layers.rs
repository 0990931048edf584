//! From link-layer frames to transport payloads: Ethernet (with 802.1Q/QinQ
//! tags), Linux cooked v1/v2, BSD loopback, raw IP; IPv4 (options,
//! fragments) and IPv6 (extension headers, fragments); the tunnels SIP
//! captures are made through (IP-in-IP, GRE with ERSPAN II/III, transparent
//! Ethernet bridging and PPP, GTP-U, IPsec ESP with NULL encryption); then
//! UDP, TCP and SCTP.
//!
//! Every length field is checked against the octets present, and tunnels
//! nest at most [`MAX_DEPTH`] deep, so a hostile packet cannot recurse
//! without bound. Fragment reassembly keeps at most [`MAX_PENDING_FRAGMENTS`]
//! datagrams in flight, each at most 64 KiB.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use bytes::{Bytes, BytesMut};

use super::file::LinkType;

/// How many encapsulations (IP in IP, GRE, GTP-U, VLAN tags count
/// separately) one packet may nest. Real captures nest three or four.
pub(crate) const MAX_DEPTH: usize = 16;

/// How many fragmented IP datagrams may be awaiting their missing pieces at
/// once; past it the oldest is dropped (and reported).
pub(crate) const MAX_PENDING_FRAGMENTS: usize = 256;

/// Why a packet's layers could not be read. The offset is from the start of
/// the packet's link-layer data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct LayerError {
    /// What was wrong.
    pub kind: LayerErrorKind,
    /// Offset in the packet where it was found.
    pub offset: usize,
}

/// What was wrong with a packet's headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LayerErrorKind {
    /// A header is cut short, or a length field points past the packet.
    Truncated,
    /// An IP header's length fields contradict each other.
    BadIpHeader,
    /// Encapsulation nested deeper than 16 levels.
    TooDeep,
    /// A fragmented datagram was dropped: too many others were pending, or
    /// its pieces overlap inconsistently or exceed 64 KiB.
    FragmentDropped,
}

/// A transport-layer segment found in a packet.
#[derive(Clone, Debug)]
pub(crate) struct Segment {
    /// Source address and port.
    pub src: SocketAddr,
    /// Destination address and port.
    pub dst: SocketAddr,
    /// The transport and what it says about the payload.
    pub proto: Proto,
    /// The transport payload.
    pub payload: Bytes,
}

/// The transport of a [`Segment`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Proto {
    /// A UDP datagram.
    Udp,
    /// A TCP segment: its sequence number and flags.
    Tcp {
        /// Sequence number of the payload's first octet.
        seq: u32,
        /// SYN flag.
        syn: bool,
        /// FIN flag.
        fin: bool,
        /// RST flag.
        rst: bool,
    },
    /// One SCTP DATA chunk's user data.
    Sctp {
        /// Stream identifier.
        stream: u16,
        /// Transmission sequence number: orders the fragments of a message.
        tsn: u32,
        /// B (first fragment) flag.
        begin: bool,
        /// E (last fragment) flag.
        end: bool,
    },
}

/// What one packet held.
#[derive(Debug, Default)]
pub(crate) struct Decoded {
    /// Transport segments, in packet order (SCTP may bundle several).
    pub segments: Vec<Segment>,
    /// Problems met on the way (the packet may still have given segments).
    pub errors: Vec<LayerError>,
    /// The packet's link type is not one this dissector reads: nothing was
    /// looked at.
    pub unsupported_link: bool,
}

/// Key of a fragmented IP datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct FragKey {
    src: IpAddr,
    dst: IpAddr,
    id: u32,
    proto: u8,
}

#[derive(Debug, Default)]
struct Pending {
    /// (offset, bytes) in arrival order.
    pieces: Vec<(usize, Bytes)>,
    /// Total length, known once the last piece arrived.
    total: Option<usize>,
    /// Upper-layer protocol (IPv6: from the first fragment).
    proto: Option<u8>,
    /// Arrival order, for eviction.
    age: u64,
}

/// Decodes packets, keeping the IP fragment reassembly state between them.
#[derive(Debug, Default)]
pub(crate) struct Dissector {
    pending: HashMap<FragKey, Pending>,
    clock: u64,
}

struct Walk<'a> {
    out: &'a mut Decoded,
    /// The packet as captured: errors in a buffer sliced from it are placed
    /// by where that slice starts.
    packet: &'a Bytes,
    /// The capture kept only the start of the packet (snapshot length).
    cut: bool,
    /// The cut has been reported.
    cut_reported: bool,
    /// Where, in the packet, the payload of the fragment that completed the
    /// reassembled datagram being read starts.
    reassembled_at: usize,
}

impl Walk<'_> {
    /// Where `buf` starts in the packet, when it is a slice of it (a
    /// `Bytes::slice` shares the packet's memory, so the distance between
    /// the two starts is the slice's offset).
    fn place(&self, buf: &Bytes) -> Option<usize> {
        let outer = self.packet.as_ptr() as usize;
        let inner = buf.as_ptr() as usize;
        (inner >= outer && inner <= outer + self.packet.len()).then(|| inner - outer)
    }

    /// Records an error at offset `at` of `buf`, placed in the packet. `buf`
    /// is the packet or a slice of it; inside a reassembled datagram, whose
    /// octets come from several packets, the error is placed at the start
    /// of the payload of the fragment (in this packet) that completed it.
    fn err(&mut self, kind: LayerErrorKind, buf: &Bytes, at: usize) {
        // In a cut packet every truncation is the cut's doing: said once.
        if self.cut && kind == LayerErrorKind::Truncated {
            if self.cut_reported {
                return;
            }
            self.cut_reported = true;
        }
        let offset = match self.place(buf) {
            Some(base) => base + at,
            None => self.reassembled_at,
        };
        self.out.errors.push(LayerError { kind, offset });
    }

    /// A length field of `buf` runs past the octets present: reported
    /// (`Truncated` at the end of the octets kept). In a packet the snapshot
    /// length cut that is expected, and the caller goes on with what is
    /// there (true); otherwise the packet is damaged and the caller stops
    /// (false).
    fn past_end(&mut self, buf: &Bytes) -> bool {
        self.err(LayerErrorKind::Truncated, buf, buf.len());
        self.cut
    }
}

const ETH_IPV4: u16 = 0x0800;
const ETH_IPV6: u16 = 0x86DD;
const ETH_VLAN: u16 = 0x8100;
const ETH_QINQ: u16 = 0x88A8;
const ETH_QINQ_OLD: u16 = 0x9100;
const ETH_BRIDGING: u16 = 0x6558;
const ETH_PPP: u16 = 0x880B;
const ETH_ERSPAN2: u16 = 0x88BE;
const ETH_ERSPAN3: u16 = 0x22EB;
const ETH_MPLS: u16 = 0x8847;
const ETH_PPPOE_SESSION: u16 = 0x8864;

impl Dissector {
    /// A dissector with no pending fragments.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Decodes one packet of link type `link` (the tests' shorthand for an
    /// uncut packet; the reader calls `decode_cut`).
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn decode(&mut self, link: LinkType, data: &Bytes) -> Decoded {
        self.decode_cut(link, data, false)
    }

    /// Decodes one packet of which the capture may have kept only the start
    /// (`cut`: the snapshot length cut it). In a cut packet, IP and UDP
    /// lengths running past the octets kept are expected: the layers are
    /// read as far as they go, one `Truncated` error at the end of the
    /// octets says the packet was cut, and the transport payload is what was
    /// kept (a fragment of a cut datagram is not filed for reassembly: where
    /// it ends is unknown). Headers themselves cut short are errors as in
    /// [`decode`](Self::decode).
    pub(crate) fn decode_cut(&mut self, link: LinkType, data: &Bytes, cut: bool) -> Decoded {
        let mut out = Decoded::default();
        let mut w = Walk {
            out: &mut out,
            packet: data,
            cut,
            cut_reported: false,
            reassembled_at: 0,
        };
        self.link(&mut w, link, data.clone());
        out
    }

    fn link(&mut self, w: &mut Walk<'_>, link: LinkType, p: Bytes) {
        match link {
            LinkType::ETHERNET => self.ether(w, p, 0, 0),
            LinkType::LINUX_SLL => {
                if p.len() < 16 {
                    return w.err(LayerErrorKind::Truncated, &p, p.len());
                }
                let et = be16(&p[14..16]);
                self.ethertype(w, et, p, 16, 0);
            }
            LinkType::LINUX_SLL2 => {
                if p.len() < 20 {
                    return w.err(LayerErrorKind::Truncated, &p, p.len());
                }
                let et = be16(&p[0..2]);
                self.ethertype(w, et, p, 20, 0);
            }
            LinkType::NULL | LinkType::LOOP => {
                if p.len() < 4 {
                    return w.err(LayerErrorKind::Truncated, &p, p.len());
                }
                // The family is in the capturing host's byte order (NULL) or
                // network order (LOOP); the values never collide, so read
                // whichever order gives a known one.
                let le = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
                let be = u32::from_be_bytes([p[0], p[1], p[2], p[3]]);
                let fam = if le < 256 { le } else { be };
                match fam {
                    2 => self.ethertype(w, ETH_IPV4, p, 4, 0),
                    10 | 24 | 28 | 30 => self.ethertype(w, ETH_IPV6, p, 4, 0),
                    _ => {}
                }
            }
            LinkType::RAW | LinkType::RAW_BSD | LinkType::RAW_OPENBSD => self.raw_ip(w, p, 0, 0),
            LinkType::IPV4 => self.ethertype(w, ETH_IPV4, p, 0, 0),
            LinkType::IPV6 => self.ethertype(w, ETH_IPV6, p, 0, 0),
            LinkType::PPP | LinkType::PPP_HDLC => self.ppp(w, p, 0, 0),
            LinkType::PPP_ETHER => self.ethertype(w, ETH_PPPOE_SESSION, p, 0, 0),
            _ => w.out.unsupported_link = true,
        }
    }

    fn raw_ip(&mut self, w: &mut Walk<'_>, p: Bytes, at: usize, depth: usize) {
        match p.get(at).map(|b| b >> 4) {
            Some(4) => self.ethertype(w, ETH_IPV4, p, at, depth),
            Some(6) => self.ethertype(w, ETH_IPV6, p, at, depth),
            _ => {}
        }
    }

    /// An Ethernet header at `at` (the link layer, bridged Ethernet in GRE,
    /// ERSPAN's mirrored frame); its payload is dispatched at `depth`.
    fn ether(&mut self, w: &mut Walk<'_>, p: Bytes, at: usize, depth: usize) {
        if p.len() < at + 14 {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        }
        let et = be16(&p[at + 12..at + 14]);
        // 802.3 frames carry a length here, not a type: no IP inside.
        if et >= 0x0600 {
            self.ethertype(w, et, p, at + 14, depth);
        }
    }

    /// Dispatches on an EtherType; `at` is where its payload starts.
    fn ethertype(&mut self, w: &mut Walk<'_>, et: u16, p: Bytes, at: usize, depth: usize) {
        if depth >= MAX_DEPTH {
            return w.err(LayerErrorKind::TooDeep, &p, at);
        }
        match et {
            ETH_IPV4 => self.ipv4(w, p, at, depth),
            ETH_IPV6 => self.ipv6(w, p, at, depth),
            ETH_VLAN | ETH_QINQ | ETH_QINQ_OLD => {
                if p.len() < at + 4 {
                    return w.err(LayerErrorKind::Truncated, &p, p.len());
                }
                let inner = be16(&p[at + 2..at + 4]);
                self.ethertype(w, inner, p, at + 4, depth + 1);
            }
            ETH_MPLS => {
                // Label stack entries of 4 octets until the bottom-of-stack
                // bit; the payload's first nibble tells IPv4 from IPv6.
                let mut i = at;
                loop {
                    if p.len() < i + 4 {
                        return w.err(LayerErrorKind::Truncated, &p, p.len());
                    }
                    let bottom = p[i + 2] & 1 == 1;
                    i += 4;
                    if bottom {
                        break;
                    }
                }
                self.raw_ip(w, p, i, depth + 1);
            }
            ETH_BRIDGING => self.ether(w, p, at, depth + 1),
            ETH_PPP => self.ppp(w, p, at, depth + 1),
            ETH_PPPOE_SESSION => {
                // RFC 2516 §4: version/type, code (0 in session), session
                // id, payload length; then the PPP protocol field (DSL
                // access links carry SIP this way).
                if p.len() < at + 6 {
                    return w.err(LayerErrorKind::Truncated, &p, p.len());
                }
                self.ppp(w, p, at + 6, depth + 1);
            }
            _ => {}
        }
    }

    /// PPP (in GRE, PPPoE, or as the link): optional `FF 03` address/control, then a 1- or 2-octet
    /// protocol field.
    fn ppp(&mut self, w: &mut Walk<'_>, p: Bytes, mut at: usize, depth: usize) {
        if p.get(at..at + 2) == Some(&[0xff, 0x03]) {
            at += 2;
        }
        let Some(&first) = p.get(at) else {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        };
        let (proto, len) = if first & 1 == 1 {
            (u16::from(first), 1)
        } else {
            match p.get(at..at + 2) {
                Some(b) => (be16(b), 2),
                None => return w.err(LayerErrorKind::Truncated, &p, p.len()),
            }
        };
        match proto {
            0x21 => self.ethertype(w, ETH_IPV4, p, at + len, depth),
            0x57 => self.ethertype(w, ETH_IPV6, p, at + len, depth),
            _ => {}
        }
    }

    fn ipv4(&mut self, w: &mut Walk<'_>, p: Bytes, at: usize, depth: usize) {
        let Some(h) = p.get(at..at + 20) else {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        };
        if h[0] >> 4 != 4 {
            return w.err(LayerErrorKind::BadIpHeader, &p, at);
        }
        let ihl = usize::from(h[0] & 0x0f) * 4;
        let total = usize::from(be16(&h[2..4]));
        let id = u32::from(be16(&h[4..6]));
        let frag = be16(&h[6..8]);
        let proto = h[9];
        let src = IpAddr::V4(Ipv4Addr::new(h[12], h[13], h[14], h[15]));
        let dst = IpAddr::V4(Ipv4Addr::new(h[16], h[17], h[18], h[19]));
        if ihl < 20 || total < ihl {
            // total == 0 is what TCP segmentation offload leaves in captures
            // taken on the sending host: trust the frame's length then.
            if !(total == 0 && ihl >= 20) {
                return w.err(LayerErrorKind::BadIpHeader, &p, at);
            }
        }
        let mut end = if total == 0 { p.len() } else { at + total };
        let offset = usize::from(frag & 0x1fff) * 8;
        let more = frag & 0x2000 != 0;
        if at + ihl > p.len().min(end) {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        }
        if end > p.len() {
            if !w.past_end(&p) || offset != 0 || more {
                return;
            }
            end = p.len();
        }
        // Trailing octets past `total` are link padding.
        let body = p.slice(at + ihl..end);
        if offset == 0 && !more {
            return self.ip_payload(w, proto, src, dst, body, depth);
        }
        let key = FragKey {
            src,
            dst,
            id,
            proto,
        };
        if let Some((whole, proto)) = self.fragment(w, key, offset, more, Some(proto), body) {
            self.ip_payload(w, proto, src, dst, whole, depth);
        }
    }

    fn ipv6(&mut self, w: &mut Walk<'_>, p: Bytes, at: usize, depth: usize) {
        let Some(h) = p.get(at..at + 40) else {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        };
        if h[0] >> 4 != 6 {
            return w.err(LayerErrorKind::BadIpHeader, &p, at);
        }
        let plen = usize::from(be16(&h[4..6]));
        let mut next = h[6];
        let src = IpAddr::V6(Ipv6Addr::from(
            <[u8; 16]>::try_from(&h[8..24]).unwrap_or_default(),
        ));
        let dst = IpAddr::V6(Ipv6Addr::from(
            <[u8; 16]>::try_from(&h[24..40]).unwrap_or_default(),
        ));
        // A zero payload length means a jumbogram (or offload): take the frame.
        let mut end = if plen == 0 { p.len() } else { at + 40 + plen };
        let cut = end > p.len();
        if cut {
            if !w.past_end(&p) {
                return;
            }
            end = p.len();
        }
        let mut i = at + 40;
        // Extension headers: hop-by-hop, routing, destination options
        // (8-octet units), fragment (8 octets), authentication (4-octet
        // units). Each consumes at least 8 octets, so the loop is bounded by
        // the packet.
        loop {
            match next {
                0 | 43 | 60 | 51 => {
                    let Some(e) = p.get(i..i + 2).filter(|_| i + 8 <= end) else {
                        return w.err(LayerErrorKind::Truncated, &p, end);
                    };
                    let len = if next == 51 {
                        (usize::from(e[1]) + 2) * 4
                    } else {
                        (usize::from(e[1]) + 1) * 8
                    };
                    next = e[0];
                    i += len;
                    if i > end {
                        return w.err(LayerErrorKind::Truncated, &p, end);
                    }
                }
                44 => {
                    let Some(f) = p.get(i..i + 8).filter(|_| i + 8 <= end) else {
                        return w.err(LayerErrorKind::Truncated, &p, end);
                    };
                    let nh = f[0];
                    let fo = be16(&f[2..4]);
                    let id = u32::from_be_bytes([f[4], f[5], f[6], f[7]]);
                    let offset = usize::from(fo & 0xfff8);
                    let more = fo & 1 == 1;
                    let body = p.slice(i + 8..end);
                    if offset == 0 && !more {
                        // An atomic fragment: nothing to reassemble.
                        next = nh;
                        i += 8;
                        continue;
                    }
                    if cut {
                        return; // a cut fragment cannot be placed
                    }
                    let key = FragKey {
                        src,
                        dst,
                        id,
                        proto: 0,
                    };
                    let first = (offset == 0).then_some(nh);
                    if let Some((whole, proto)) = self.fragment(w, key, offset, more, first, body) {
                        self.ip_payload(w, proto, src, dst, whole, depth);
                    }
                    return;
                }
                _ => break,
            }
        }
        self.ip_payload(w, next, src, dst, p.slice(i..end), depth);
    }
}

impl Dissector {
    /// Files one fragment; returns the whole datagram and its protocol once
    /// every piece from 0 to the last is present.
    fn fragment(
        &mut self,
        w: &mut Walk<'_>,
        key: FragKey,
        offset: usize,
        more: bool,
        proto: Option<u8>,
        body: Bytes,
    ) -> Option<(Bytes, u8)> {
        const MAX_DATAGRAM: usize = 65_535;
        let here = w.place(&body);
        if offset + body.len() > MAX_DATAGRAM || (more && body.is_empty()) {
            self.pending.remove(&key);
            w.err(LayerErrorKind::FragmentDropped, &body, 0);
            return None;
        }
        if !self.pending.contains_key(&key) && self.pending.len() >= MAX_PENDING_FRAGMENTS {
            // Evict the oldest datagram still waiting for a piece.
            if let Some(old) = self
                .pending
                .iter()
                .min_by_key(|(_, p)| p.age)
                .map(|(k, _)| *k)
            {
                self.pending.remove(&old);
                w.err(LayerErrorKind::FragmentDropped, &body, 0);
            }
        }
        self.clock += 1;
        let clock = self.clock;
        let entry = self.pending.entry(key).or_default();
        entry.age = clock;
        if entry.proto.is_none() {
            entry.proto = proto;
        }
        if !more {
            let total = offset + body.len();
            if entry.total.is_some_and(|t| t != total) {
                self.pending.remove(&key);
                w.err(LayerErrorKind::FragmentDropped, &body, 0);
                return None;
            }
            entry.total = Some(total);
        }
        // A piece at an offset already held: a retransmitted copy is
        // dropped, but a longer one (a sender that re-fragmented
        // differently) replaces it, or the datagram could never complete.
        match entry.pieces.iter_mut().find(|(o, _)| *o == offset) {
            None => entry.pieces.push((offset, body)),
            Some((_, held)) if body.len() > held.len() => *held = body,
            Some(_) => {}
        }
        let total = entry.total?;
        let proto = entry.proto?;
        // Complete when the pieces, sorted, cover 0..total without a hole.
        entry.pieces.sort_by_key(|(o, _)| *o);
        let mut covered = 0;
        for (o, b) in &entry.pieces {
            if *o > covered {
                return None;
            }
            covered = covered.max(o + b.len());
        }
        if covered < total {
            return None;
        }
        let entry = self.pending.remove(&key)?;
        if let Some(at) = here {
            w.reassembled_at = at;
        }
        let mut whole = BytesMut::with_capacity(total);
        for (o, b) in &entry.pieces {
            let have = whole.len();
            if o + b.len() > have && *o <= have {
                whole.extend_from_slice(&b[have - o..]);
            }
        }
        whole.truncate(total);
        Some((whole.freeze(), proto))
    }

    /// An IP payload of protocol `proto`.
    fn ip_payload(
        &mut self,
        w: &mut Walk<'_>,
        proto: u8,
        src: IpAddr,
        dst: IpAddr,
        p: Bytes,
        depth: usize,
    ) {
        match proto {
            17 => self.udp(w, src, dst, p, depth),
            6 => tcp(w, src, dst, p),
            132 => sctp(w, src, dst, p),
            4 => self.ethertype(w, ETH_IPV4, p, 0, depth + 1),
            41 => self.ethertype(w, ETH_IPV6, p, 0, depth + 1),
            47 => self.gre(w, p, depth + 1),
            50 => {
                self.esp(w, src, dst, p, depth + 1);
            }
            _ => {}
        }
    }

    /// ESP (RFC 4303) with NULL encryption (RFC 2410), as IMS access
    /// security uses it between a UE and its P-CSCF (3GPP TS 33.203): the
    /// payload is in clear between the 8-octet header (SPI, sequence
    /// number) and the trailer (padding, pad length, next header, ICV).
    /// The ICV's length belongs to the security association, not to the
    /// packet, so the usual lengths are tried (as Wireshark's optional
    /// heuristic does), and a reading is taken only when the padding is
    /// RFC 4303 §2.4's default (1, 2, 3, ...), the next header is one this
    /// reader follows, and the inner header's own length field agrees with
    /// what is left. An encrypted payload fails these checks and is left
    /// alone, like any other traffic that is not SIP (nothing is reported:
    /// ESP carries media and VPN traffic too). True when it was read.
    fn esp(&mut self, w: &mut Walk<'_>, src: IpAddr, dst: IpAddr, p: Bytes, depth: usize) -> bool {
        // HMAC-SHA1-96 and HMAC-MD5-96 (12), HMAC-SHA-256-128 and GMAC (16),
        // none, and the rarer lengths.
        const ICV: [usize; 7] = [12, 16, 0, 8, 20, 24, 32];
        for icv in ICV {
            let Some(t) = p.len().checked_sub(icv + 2) else {
                continue;
            };
            let (pad, next) = (usize::from(p[t]), p[t + 1]);
            let Some(end) = t.checked_sub(pad).filter(|&e| e >= 8) else {
                continue;
            };
            let default_padding = p[end..t].iter().zip(1u8..).all(|(&b, n)| b == n);
            if default_padding && esp_inner_fits(next, &p[8..end]) {
                // ESP in UDP in ESP ... never passes an IP header's depth
                // check: it has its own.
                if depth >= MAX_DEPTH {
                    w.err(LayerErrorKind::TooDeep, &p, 8);
                } else {
                    self.ip_payload(w, next, src, dst, p.slice(8..end), depth);
                }
                return true;
            }
        }
        false
    }

    fn udp(&mut self, w: &mut Walk<'_>, src: IpAddr, dst: IpAddr, p: Bytes, depth: usize) {
        // etherparse reads the header; what its length field means for a
        // capture (zero, past the packet) is decided here.
        let Ok(h) = etherparse::UdpHeaderSlice::from_slice(&p) else {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        };
        let (sport, dport) = (h.source_port(), h.destination_port());
        let len = usize::from(h.length());
        // Zero is a jumbogram's (or offload's) length: take what is there.
        let mut end = if len == 0 { p.len() } else { len };
        if end < 8 {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        }
        if end > p.len() {
            if !w.past_end(&p) {
                return;
            }
            end = p.len();
        }
        const GTP_U: u16 = 2152;
        // Only a G-PDU (version 1, message type 255) is taken for GTP-U: any
        // other datagram on the port (SIP sent from port 2152, GTP echo) is
        // an ordinary UDP payload.
        let g_pdu = p.get(8..10).is_some_and(|h| h[0] >> 5 == 1 && h[1] == 0xff);
        if (sport == GTP_U || dport == GTP_U) && g_pdu {
            return self.gtp(w, p.slice(8..end), depth + 1);
        }
        // ESP in UDP (RFC 3948) on the NAT-traversal port: a non-zero SPI
        // where IKE has its four-zero "non-ESP marker". Read when it is
        // NULL-encrypted; anything else stays an ordinary UDP payload.
        const NAT_T: u16 = 4500;
        if (sport == NAT_T || dport == NAT_T)
            && p.get(8..12).is_some_and(|spi| spi != [0; 4])
            && self.esp(w, src, dst, p.slice(8..end), depth + 1)
        {
            return;
        }
        w.out.segments.push(Segment {
            src: SocketAddr::new(src, sport),
            dst: SocketAddr::new(dst, dport),
            proto: Proto::Udp,
            payload: p.slice(8..end),
        });
    }

    /// GTP-U (3GPP TS 29.281): an 8-octet header, 4 more when any of the
    /// E/S/PN flags is set, then extension headers when E is; a G-PDU
    /// (message type 255) carries an IP packet.
    fn gtp(&mut self, w: &mut Walk<'_>, p: Bytes, depth: usize) {
        let Some(h) = p.get(..8) else {
            return;
        };
        if h[0] >> 5 != 1 || h[1] != 0xff {
            return;
        }
        let mut i = 8;
        if h[0] & 0x07 != 0 {
            let Some(opt) = p.get(8..12) else {
                return w.err(LayerErrorKind::Truncated, &p, p.len());
            };
            let mut next_ext = opt[3];
            i = 12;
            if h[0] & 0x04 != 0 {
                // Extension headers: length in 4-octet units, last octet is
                // the next type. Each is at least 4 octets: bounded.
                while next_ext != 0 {
                    let Some(&units) = p.get(i) else {
                        return w.err(LayerErrorKind::Truncated, &p, p.len());
                    };
                    let len = usize::from(units) * 4;
                    if len == 0 || p.len() < i + len {
                        return w.err(LayerErrorKind::Truncated, &p, p.len());
                    }
                    next_ext = p[i + len - 1];
                    i += len;
                }
            }
        }
        self.raw_ip(w, p, i, depth);
    }

    /// GRE (RFC 2784/2890, and the PPTP variant of RFC 2637 with version 1).
    fn gre(&mut self, w: &mut Walk<'_>, p: Bytes, depth: usize) {
        let Some(h) = p.get(..4) else {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        };
        let flags = be16(&h[0..2]);
        let et = be16(&h[2..4]);
        let version = flags & 0x7;
        let mut i = 4;
        if flags & 0x8000 != 0 {
            i += 4; // checksum + reserved
        }
        if flags & 0x2000 != 0 {
            i += 4; // key (version 1: payload length + call id)
        }
        if flags & 0x1000 != 0 {
            i += 4; // sequence number
        }
        if version == 1 && flags & 0x0080 != 0 {
            i += 4; // acknowledgment number
        }
        if p.len() < i {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        }
        match et {
            // ERSPAN type II: an 8-octet header; type III: 12, plus an
            // 8-octet platform subheader when its O flag is set.
            ETH_ERSPAN2 if flags & 0x1000 != 0 => self.ether(w, p, i + 8, depth + 1),
            ETH_ERSPAN2 => self.ether(w, p, i, depth + 1),
            ETH_ERSPAN3 => {
                let Some(e) = p.get(i..i + 12) else {
                    return w.err(LayerErrorKind::Truncated, &p, p.len());
                };
                let sub = if e[11] & 1 == 1 { 8 } else { 0 };
                self.ether(w, p, i + 12 + sub, depth + 1)
            }
            _ => self.ethertype(w, et, p, i, depth),
        }
    }
}

fn tcp(w: &mut Walk<'_>, src: IpAddr, dst: IpAddr, p: Bytes) {
    // etherparse reads the header, options included; a header cut short or
    // a data offset under five words is a header we cannot use.
    let Ok(h) = etherparse::TcpHeaderSlice::from_slice(&p) else {
        return w.err(LayerErrorKind::Truncated, &p, p.len());
    };
    let off = usize::from(h.data_offset()) * 4;
    w.out.segments.push(Segment {
        src: SocketAddr::new(src, h.source_port()),
        dst: SocketAddr::new(dst, h.destination_port()),
        proto: Proto::Tcp {
            seq: h.sequence_number(),
            syn: h.syn(),
            fin: h.fin(),
            rst: h.rst(),
        },
        payload: p.slice(off..),
    });
}

/// SCTP (RFC 9260): a 12-octet common header, then chunks padded to 4
/// octets; DATA chunks (type 0) carry user data after a 16-octet header.
fn sctp(w: &mut Walk<'_>, src: IpAddr, dst: IpAddr, p: Bytes) {
    let Some(h) = p.get(..12) else {
        return w.err(LayerErrorKind::Truncated, &p, p.len());
    };
    let sport = be16(&h[0..2]);
    let dport = be16(&h[2..4]);
    let mut i = 12;
    while i + 4 <= p.len() {
        let ctype = p[i];
        let cflags = p[i + 1];
        let clen = usize::from(be16(&p[i + 2..i + 4]));
        if clen < 4 || i + clen > p.len() {
            return w.err(LayerErrorKind::Truncated, &p, i + 2);
        }
        if ctype == 0 {
            if clen < 16 {
                return w.err(LayerErrorKind::Truncated, &p, i + 2);
            }
            w.out.segments.push(Segment {
                src: SocketAddr::new(src, sport),
                dst: SocketAddr::new(dst, dport),
                proto: Proto::Sctp {
                    stream: be16(&p[i + 8..i + 10]),
                    tsn: u32::from_be_bytes([p[i + 4], p[i + 5], p[i + 6], p[i + 7]]),
                    begin: cflags & 0x02 != 0,
                    end: cflags & 0x01 != 0,
                },
                payload: p.slice(i + 16..i + clen),
            });
        }
        i += (clen + 3) & !3;
    }
}

/// True when `inner`, the payload an ESP trailer names `next`, is one
/// whole header of that protocol by its own length field (UDP, IPv4,
/// IPv6) or structure (TCP's data offset, SCTP's common header).
fn esp_inner_fits(next: u8, inner: &[u8]) -> bool {
    let len = inner.len();
    match next {
        17 => len >= 8 && usize::from(be16(&inner[4..6])) == len,
        6 => len >= 20 && (20..=len.min(60)).contains(&(usize::from(inner[12] >> 4) * 4)),
        132 => len >= 12 && len.is_multiple_of(4),
        4 => len >= 20 && inner[0] >> 4 == 4 && usize::from(be16(&inner[2..4])) == len,
        41 => len >= 40 && inner[0] >> 4 == 6 && usize::from(be16(&inner[4..6])) + 40 == len,
        _ => false,
    }
}

fn be16(b: &[u8]) -> u16 {
    u16::from_be_bytes([b[0], b[1]])
}

#[cfg(test)]
mod tests {
    use super::*;

    // ---- builders (checksums left at zero) ----

    const A4: [u8; 4] = [10, 0, 0, 1];
    const B4: [u8; 4] = [10, 0, 0, 2];

    fn a6() -> [u8; 16] {
        let mut a = [0; 16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[15] = 1;
        a
    }

    fn b6() -> [u8; 16] {
        let mut a = a6();
        a[15] = 2;
        a
    }

    fn eth(et: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];
        v.extend_from_slice(&et.to_be_bytes());
        v.extend_from_slice(payload);
        v
    }

    /// An IPv4 header (with `options`, a multiple of 4) and payload.
    fn ipv4_full(proto: u8, id: u16, frag: u16, options: &[u8], payload: &[u8]) -> Vec<u8> {
        assert_eq!(options.len() % 4, 0);
        let ihl = 20 + options.len();
        let total = (ihl + payload.len()) as u16;
        let mut v = vec![0x40 | (ihl / 4) as u8, 0];
        v.extend_from_slice(&total.to_be_bytes());
        v.extend_from_slice(&id.to_be_bytes());
        v.extend_from_slice(&frag.to_be_bytes());
        v.extend_from_slice(&[64, proto, 0, 0]);
        v.extend_from_slice(&A4);
        v.extend_from_slice(&B4);
        v.extend_from_slice(options);
        v.extend_from_slice(payload);
        v
    }

    fn ipv4(proto: u8, payload: &[u8]) -> Vec<u8> {
        ipv4_full(proto, 1, 0, &[], payload)
    }

    /// An IPv6 header; `rest` is extension headers and payload.
    fn ipv6(next: u8, rest: &[u8]) -> Vec<u8> {
        let mut v = vec![0x60, 0, 0, 0];
        v.extend_from_slice(&(rest.len() as u16).to_be_bytes());
        v.extend_from_slice(&[next, 64]);
        v.extend_from_slice(&a6());
        v.extend_from_slice(&b6());
        v.extend_from_slice(rest);
        v
    }

    fn udp(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&sport.to_be_bytes());
        v.extend_from_slice(&dport.to_be_bytes());
        v.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        v.extend_from_slice(&[0, 0]);
        v.extend_from_slice(payload);
        v
    }

    fn tcp(seq: u32, flags: u8, options: &[u8], payload: &[u8]) -> Vec<u8> {
        assert_eq!(options.len() % 4, 0);
        let mut v = Vec::new();
        v.extend_from_slice(&5060u16.to_be_bytes());
        v.extend_from_slice(&40000u16.to_be_bytes());
        v.extend_from_slice(&seq.to_be_bytes());
        v.extend_from_slice(&[0; 4]);
        v.push((((20 + options.len()) / 4) << 4) as u8);
        v.push(flags);
        v.extend_from_slice(&[0xff, 0xff, 0, 0, 0, 0]);
        v.extend_from_slice(options);
        v.extend_from_slice(payload);
        v
    }

    /// An SCTP DATA chunk (padded).
    fn data_chunk(flags: u8, stream: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![0, flags];
        v.extend_from_slice(&((16 + payload.len()) as u16).to_be_bytes());
        v.extend_from_slice(&[0, 0, 0, 1]); // TSN
        v.extend_from_slice(&stream.to_be_bytes());
        v.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // SSN, PPID
        v.extend_from_slice(payload);
        v.resize((v.len() + 3) & !3, 0);
        v
    }

    fn sctp(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&5060u16.to_be_bytes());
        v.extend_from_slice(&5061u16.to_be_bytes());
        v.extend_from_slice(&[0; 8]);
        for c in chunks {
            v.extend_from_slice(c);
        }
        v
    }

    fn sip_udp() -> Vec<u8> {
        udp(5060, 5062, b"SIP/2.0 200 OK")
    }

    fn decode(link: LinkType, p: &[u8]) -> Decoded {
        Dissector::new().decode(link, &Bytes::copy_from_slice(p))
    }

    /// Exactly one UDP segment 10.0.0.1:5060 -> 10.0.0.2:5062 with
    /// `SIP/2.0 200 OK`, and no error.
    fn assert_sip_v4(d: &Decoded) {
        assert_eq!(d.errors, vec![], "{d:?}");
        assert_eq!(d.segments.len(), 1, "{d:?}");
        let s = &d.segments[0];
        assert_eq!(s.src, "10.0.0.1:5060".parse().unwrap());
        assert_eq!(s.dst, "10.0.0.2:5062".parse().unwrap());
        assert_eq!(s.proto, Proto::Udp);
        assert_eq!(&s.payload[..], b"SIP/2.0 200 OK");
    }

    fn assert_sip_v6(d: &Decoded) {
        assert_eq!(d.errors, vec![], "{d:?}");
        assert_eq!(d.segments.len(), 1, "{d:?}");
        let s = &d.segments[0];
        assert_eq!(s.src, "[2001::1]:5060".parse().unwrap());
        assert_eq!(s.dst, "[2001::2]:5062".parse().unwrap());
        assert_eq!(&s.payload[..], b"SIP/2.0 200 OK");
    }

    fn only_error(d: &Decoded) -> LayerError {
        assert!(d.segments.is_empty(), "{d:?}");
        assert_eq!(d.errors.len(), 1, "{d:?}");
        d.errors[0]
    }

    fn truncated_at(d: &Decoded, offset: usize) {
        assert_eq!(
            only_error(d),
            LayerError {
                kind: LayerErrorKind::Truncated,
                offset
            }
        );
    }

    // ---- link layers ----

    #[test]
    fn ethernet_ipv4_udp() {
        assert_sip_v4(&decode(
            LinkType::ETHERNET,
            &eth(0x0800, &ipv4(17, &sip_udp())),
        ));
        // An 802.3 length, not a type: nothing inside, no error.
        let d = decode(LinkType::ETHERNET, &eth(0x0040, &ipv4(17, &sip_udp())));
        assert!(d.segments.is_empty() && d.errors.is_empty());
    }

    #[test]
    fn vlan_and_qinq() {
        let ip = ipv4(17, &sip_udp());
        let mut tag = vec![0x00, 0x64, 0x08, 0x00];
        tag.extend_from_slice(&ip);
        assert_sip_v4(&decode(LinkType::ETHERNET, &eth(0x8100, &tag)));
        for outer in [0x88A8u16, 0x9100] {
            let mut tags = vec![0x00, 0x0a, 0x81, 0x00, 0x00, 0x64, 0x86, 0xdd];
            tags.extend_from_slice(&ipv6(17, &sip_udp()));
            assert_sip_v6(&decode(LinkType::ETHERNET, &eth(outer, &tags)));
        }
    }

    #[test]
    fn mpls_label_stack() {
        // Two labels, the second with the bottom-of-stack bit.
        let mut v = vec![0x00, 0x01, 0x00, 0x40, 0x00, 0x02, 0x01, 0x40];
        v.extend_from_slice(&ipv4(17, &sip_udp()));
        assert_sip_v4(&decode(LinkType::ETHERNET, &eth(0x8847, &v)));
        let mut v = vec![0x00, 0x01, 0x01, 0x40];
        v.extend_from_slice(&ipv6(17, &sip_udp()));
        assert_sip_v6(&decode(LinkType::ETHERNET, &eth(0x8847, &v)));
        // No bottom of stack before the end.
        let p = eth(0x8847, &[0, 1, 0, 0, 0, 2, 0, 0, 0]);
        truncated_at(&decode(LinkType::ETHERNET, &p), p.len());
    }

    #[test]
    fn linux_cooked_v1_and_v2() {
        let mut sll = vec![0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00];
        sll.extend_from_slice(&ipv4(17, &sip_udp()));
        assert_sip_v4(&decode(LinkType::LINUX_SLL, &sll));
        let mut sll2 = vec![0x86, 0xdd, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6];
        sll2.extend_from_slice(&[2, 0, 0, 0, 0, 1, 0, 0]);
        assert_eq!(sll2.len(), 20);
        sll2.extend_from_slice(&ipv6(17, &sip_udp()));
        assert_sip_v6(&decode(LinkType::LINUX_SLL2, &sll2));
        truncated_at(&decode(LinkType::LINUX_SLL, &sll[..15]), 15);
        truncated_at(&decode(LinkType::LINUX_SLL2, &sll2[..19]), 19);
    }

    #[test]
    fn null_and_loop_in_both_byte_orders() {
        let v4 = ipv4(17, &sip_udp());
        let v6 = ipv6(17, &sip_udp());
        for (link, fam, ip) in [
            (LinkType::NULL, [2, 0, 0, 0], &v4),
            (LinkType::NULL, [0, 0, 0, 2], &v4),
            (LinkType::LOOP, [0, 0, 0, 2], &v4),
            (LinkType::NULL, [30, 0, 0, 0], &v6),
            (LinkType::NULL, [0, 0, 0, 24], &v6),
            (LinkType::NULL, [28, 0, 0, 0], &v6),
            (LinkType::NULL, [10, 0, 0, 0], &v6),
        ] {
            let mut p = fam.to_vec();
            p.extend_from_slice(ip);
            let d = decode(link, &p);
            assert_eq!(d.segments.len(), 1, "{link:?} {fam:?}");
            assert_eq!(&d.segments[0].payload[..], b"SIP/2.0 200 OK");
        }
        // An unknown family: nothing, quietly.
        let mut p = vec![7, 0, 0, 0];
        p.extend_from_slice(&v4);
        let d = decode(LinkType::NULL, &p);
        assert!(d.segments.is_empty() && d.errors.is_empty());
        truncated_at(&decode(LinkType::NULL, &[2, 0, 0]), 3);
    }

    #[test]
    fn raw_ip_link_types() {
        for link in [
            LinkType::RAW,
            LinkType::RAW_BSD,
            LinkType::RAW_OPENBSD,
            LinkType::IPV4,
        ] {
            assert_sip_v4(&decode(link, &ipv4(17, &sip_udp())));
        }
        for link in [LinkType::RAW, LinkType::IPV6] {
            assert_sip_v6(&decode(link, &ipv6(17, &sip_udp())));
        }
        // Neither version: nothing.
        let d = decode(LinkType::RAW, &[0x50; 40]);
        assert!(d.segments.is_empty() && d.errors.is_empty());
    }

    // ---- IPv4 ----

    #[test]
    fn ipv4_with_options() {
        let p = ipv4_full(17, 1, 0, &[1, 1, 1, 0, 0x44, 4, 5, 0], &sip_udp());
        assert_eq!(p[0], 0x47);
        assert_sip_v4(&decode(LinkType::RAW, &p));
    }

    #[test]
    fn ipv4_padding_after_the_total_length_is_ignored() {
        // UDP length 0 takes what the IP layer hands over: the Ethernet
        // padding must not be part of it.
        let mut u = udp(5060, 5062, b"SIP/2.0 200 OK");
        u[4] = 0;
        u[5] = 0;
        let mut f = eth(0x0800, &ipv4(17, &u));
        f.extend_from_slice(&[0; 6]);
        assert_sip_v4(&decode(LinkType::ETHERNET, &f));
    }

    #[test]
    fn ipv4_total_length_zero_takes_the_frame() {
        // What TCP segmentation offload leaves on the sending host.
        let mut p = ipv4(17, &sip_udp());
        p[2] = 0;
        p[3] = 0;
        assert_sip_v4(&decode(LinkType::RAW, &p));
    }

    #[test]
    fn ipv4_bad_headers() {
        let good = eth(0x0800, &ipv4(17, &sip_udp()));
        // Version 5 behind the IPv4 EtherType.
        let mut p = good.clone();
        p[14] = 0x55;
        assert_eq!(
            only_error(&decode(LinkType::ETHERNET, &p)),
            LayerError {
                kind: LayerErrorKind::BadIpHeader,
                offset: 14
            }
        );
        // IHL below 5.
        let mut p = good.clone();
        p[14] = 0x44;
        assert_eq!(
            only_error(&decode(LinkType::ETHERNET, &p)).kind,
            LayerErrorKind::BadIpHeader
        );
        // Total length below the header length.
        let mut p = good.clone();
        p[17] = 10;
        assert_eq!(
            only_error(&decode(LinkType::ETHERNET, &p)).kind,
            LayerErrorKind::BadIpHeader
        );
        // IHL past the total length (15 * 4 = 60 > 42).
        let mut p = good;
        p[14] = 0x4f;
        assert_eq!(
            only_error(&decode(LinkType::ETHERNET, &p)).kind,
            LayerErrorKind::BadIpHeader
        );
    }

    /// A 48-octet UDP datagram in three 16-octet IPv4 fragments.
    fn v4_fragments(id: u16) -> (Vec<u8>, [Vec<u8>; 3]) {
        let payload: Vec<u8> = b"SIP/2.0 200 OK\r\n".repeat(3)[..40].to_vec();
        let dgram = udp(5060, 5062, &payload);
        assert_eq!(dgram.len(), 48);
        let piece = |i: usize, more: bool| {
            let frag = ((i * 16 / 8) as u16) | if more { 0x2000 } else { 0 };
            eth(
                0x0800,
                &ipv4_full(17, id, frag, &[], &dgram[i * 16..i * 16 + 16]),
            )
        };
        (payload, [piece(0, true), piece(1, true), piece(2, false)])
    }

    #[test]
    fn ipv4_fragments_out_of_order_with_a_duplicate() {
        let (payload, [a, b, c]) = v4_fragments(7);
        let mut d = Dissector::new();
        let mut run = |p: &Vec<u8>| d.decode(LinkType::ETHERNET, &Bytes::copy_from_slice(p));
        for p in [&b, &c, &b] {
            let out = run(p);
            assert!(out.segments.is_empty() && out.errors.is_empty(), "{out:?}");
        }
        let out = run(&a);
        assert_eq!(out.errors, vec![]);
        assert_eq!(out.segments.len(), 1);
        assert_eq!(&out.segments[0].payload[..], &payload[..]);
        assert_eq!(out.segments[0].dst, "10.0.0.2:5062".parse().unwrap());
        assert!(d.pending.is_empty());
    }

    #[test]
    fn longer_refragmented_piece_replaces_a_shorter_one() {
        let (payload, [a, _, c]) = v4_fragments(9);
        let dgram = udp(5060, 5062, &payload);
        // The first 32 octets again, as one piece at offset 0.
        let ab = eth(0x0800, &ipv4_full(17, 9, 0x2000, &[], &dgram[..32]));
        let mut d = Dissector::new();
        let mut run = |p: &Vec<u8>| d.decode(LinkType::ETHERNET, &Bytes::copy_from_slice(p));
        assert!(run(&a).segments.is_empty());
        assert!(run(&c).segments.is_empty());
        let out = run(&ab);
        assert_eq!(out.segments.len(), 1, "{out:?}");
        assert_eq!(&out.segments[0].payload[..], &payload[..]);
    }

    #[test]
    fn ipv4_fragments_of_different_datagrams_do_not_mix() {
        let (payload, [a, b, c]) = v4_fragments(1);
        let (_, [x, y, _]) = v4_fragments(2);
        let mut d = Dissector::new();
        let mut segs = Vec::new();
        for p in [&a, &x, &b, &y, &c] {
            segs.extend(
                d.decode(LinkType::ETHERNET, &Bytes::copy_from_slice(p))
                    .segments,
            );
        }
        assert_eq!(segs.len(), 1);
        assert_eq!(&segs[0].payload[..], &payload[..]);
        assert_eq!(d.pending.len(), 1);
    }

    #[test]
    fn inconsistent_last_fragment_is_dropped() {
        let (_, [a, b, c]) = v4_fragments(9);
        // A second "last" piece that ends elsewhere (offset 40, 16 octets).
        let mut other = c.clone();
        other[14 + 7] = 5; // fragment offset 5 * 8 = 40
        let mut d = Dissector::new();
        let mut run = |p: &Vec<u8>| d.decode(LinkType::ETHERNET, &Bytes::copy_from_slice(p));
        assert!(run(&c).errors.is_empty());
        let out = run(&other);
        assert_eq!(
            only_error(&out),
            LayerError {
                kind: LayerErrorKind::FragmentDropped,
                offset: 34
            }
        );
        // The datagram is gone: the other pieces no longer complete it.
        assert!(run(&a).segments.is_empty());
        assert!(run(&b).segments.is_empty());
    }

    #[test]
    fn errors_in_a_reassembled_datagram_are_placed_in_the_last_piece() {
        // The reassembled UDP datagram claims 8 octets more than it has.
        let (_, [a, b, mut c]) = v4_fragments(11);
        let udp_at = 14 + 20;
        let mut a = a;
        a[udp_at + 5] += 8; // the UDP length's low octet
        c.extend_from_slice(&[0; 6]); // padding: the piece is not at the end
        let mut d = Dissector::new();
        for p in [&a, &b] {
            d.decode(LinkType::ETHERNET, &Bytes::copy_from_slice(p));
        }
        let out = d.decode(LinkType::ETHERNET, &Bytes::copy_from_slice(&c));
        assert_eq!(
            only_error(&out),
            LayerError {
                kind: LayerErrorKind::Truncated,
                offset: 34
            }
        );
    }

    #[test]
    fn empty_middle_fragment_and_oversized_datagram_are_dropped() {
        let mut d = Dissector::new();
        let p = eth(0x0800, &ipv4_full(17, 3, 0x2000 | 1, &[], &[]));
        let out = d.decode(LinkType::ETHERNET, &Bytes::from(p));
        assert_eq!(only_error(&out).kind, LayerErrorKind::FragmentDropped);
        // The last piece at offset 8191 * 8 with 16 octets: past 64 KiB.
        let p = eth(0x0800, &ipv4_full(17, 4, 0x1fff, &[], &[0; 16]));
        let out = d.decode(LinkType::ETHERNET, &Bytes::from(p));
        assert_eq!(only_error(&out).kind, LayerErrorKind::FragmentDropped);
        assert!(d.pending.is_empty());
    }

    #[test]
    fn pending_fragments_are_bounded_and_the_oldest_is_evicted() {
        let mut d = Dissector::new();
        let firsts: Vec<_> = (0..=MAX_PENDING_FRAGMENTS as u16)
            .map(|id| v4_fragments(id).1)
            .collect();
        for (id, [a, _, _]) in firsts.iter().enumerate() {
            let out = d.decode(LinkType::ETHERNET, &Bytes::copy_from_slice(a));
            assert!(out.segments.is_empty());
            if id < MAX_PENDING_FRAGMENTS {
                assert!(out.errors.is_empty(), "{id}: {out:?}");
            } else {
                assert_eq!(
                    only_error(&out),
                    LayerError {
                        kind: LayerErrorKind::FragmentDropped,
                        offset: 34
                    }
                );
            }
            assert!(d.pending.len() <= MAX_PENDING_FRAGMENTS);
        }
        assert_eq!(d.pending.len(), MAX_PENDING_FRAGMENTS);
        // Datagram 0 was the oldest: its first piece is gone, so its other
        // pieces start over (evicting datagram 1) and do not complete.
        let [_, b0, c0] = &firsts[0];
        let mut segs = Vec::new();
        let mut errs = Vec::new();
        for p in [b0, c0] {
            let out = d.decode(LinkType::ETHERNET, &Bytes::copy_from_slice(p));
            segs.extend(out.segments);
            errs.extend(out.errors);
        }
        assert!(segs.is_empty());
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].kind, LayerErrorKind::FragmentDropped);
        // Datagram 2 is still whole.
        let [_, b2, c2] = &firsts[2];
        d.decode(LinkType::ETHERNET, &Bytes::copy_from_slice(b2));
        let out = d.decode(LinkType::ETHERNET, &Bytes::copy_from_slice(c2));
        assert_eq!(out.segments.len(), 1);
        assert_eq!(d.pending.len(), MAX_PENDING_FRAGMENTS - 1);
    }

    // ---- IPv6 ----

    #[test]
    fn ipv6_extension_headers() {
        // Hop-by-hop (8), routing (16), destination options (8), AH (12).
        let mut rest = vec![43, 0, 1, 4, 0, 0, 0, 0];
        rest.extend_from_slice(&[60, 1, 0, 0, 0, 0, 0, 0]);
        rest.extend_from_slice(&[0; 8]);
        rest.extend_from_slice(&[51, 0, 1, 4, 0, 0, 0, 0]);
        rest.extend_from_slice(&[17, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        rest.extend_from_slice(&sip_udp());
        assert_sip_v6(&decode(LinkType::RAW, &ipv6(0, &rest)));
        // Hop-by-hop alone.
        let mut rest = vec![17, 0, 1, 4, 0, 0, 0, 0];
        rest.extend_from_slice(&sip_udp());
        assert_sip_v6(&decode(LinkType::ETHERNET, &eth(0x86dd, &ipv6(0, &rest))));
    }

    #[test]
    fn ipv6_extension_header_past_the_payload() {
        // A hop-by-hop header claiming 16 octets where 8 remain.
        let p = ipv6(0, &[17, 1, 0, 0, 0, 0, 0, 0]);
        truncated_at(&decode(LinkType::RAW, &p), 48);
        // Not even its first 8 octets.
        let p = ipv6(0, &[17, 0, 0, 0]);
        truncated_at(&decode(LinkType::RAW, &p), 44);
    }

    #[test]
    fn ipv6_fragments() {
        let payload = b"SIP/2.0 200 OK\r\nVia: x\r\n\r\n";
        let dgram = udp(5060, 5062, payload);
        let frag = |off: usize, more: bool, part: &[u8]| {
            // Hop-by-hop first, then the fragment header.
            let mut rest = vec![44, 0, 1, 4, 0, 0, 0, 0];
            let fo = off as u16 | u16::from(more);
            rest.extend_from_slice(&[17, 0]);
            rest.extend_from_slice(&fo.to_be_bytes());
            rest.extend_from_slice(&0xdead_beefu32.to_be_bytes());
            rest.extend_from_slice(part);
            ipv6(0, &rest)
        };
        let first = frag(0, true, &dgram[..16]);
        let last = frag(16, false, &dgram[16..]);
        let mut d = Dissector::new();
        let out = d.decode(LinkType::RAW, &Bytes::from(last));
        assert!(out.segments.is_empty() && out.errors.is_empty());
        let out = d.decode(LinkType::RAW, &Bytes::from(first));
        assert_eq!(out.errors, vec![]);
        assert_eq!(out.segments.len(), 1);
        assert_eq!(&out.segments[0].payload[..], payload);
        assert_eq!(out.segments[0].src, "[2001::1]:5060".parse().unwrap());
        // An atomic fragment (offset 0, no more) is just a header.
        let mut rest = vec![17, 0, 0, 0, 0, 0, 0, 1];
        rest.extend_from_slice(&sip_udp());
        assert_sip_v6(&decode(LinkType::RAW, &ipv6(44, &rest)));
    }

    #[test]
    fn ipv6_payload_length_zero_takes_the_frame() {
        let mut p = ipv6(17, &sip_udp());
        p[4] = 0;
        p[5] = 0;
        assert_sip_v6(&decode(LinkType::RAW, &p));
        // A wrong version behind the IPv6 EtherType.
        let mut p = eth(0x86dd, &ipv6(17, &sip_udp()));
        p[14] = 0x45;
        assert_eq!(
            only_error(&decode(LinkType::ETHERNET, &p)),
            LayerError {
                kind: LayerErrorKind::BadIpHeader,
                offset: 14
            }
        );
    }

    // ---- tunnels ----

    #[test]
    fn ip_in_ip() {
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(4, &ipv4(17, &sip_udp()))));
        assert_sip_v6(&decode(LinkType::RAW, &ipv4(41, &ipv6(17, &sip_udp()))));
        assert_sip_v4(&decode(LinkType::RAW, &ipv6(4, &ipv4(17, &sip_udp()))));
    }

    /// ESP with NULL encryption around `inner`: SPI, sequence number, the
    /// payload, RFC 4303's default padding to a 4-octet boundary, pad
    /// length, next header, and an ICV of `icv` octets.
    fn esp_null(next: u8, inner: &[u8], icv: usize) -> Vec<u8> {
        let mut v = vec![0, 0, 0xa7, 0x1a, 0, 0, 5, 0xff];
        v.extend_from_slice(inner);
        let pad = (4 - (inner.len() + 2) % 4) % 4;
        v.extend((1..=pad as u8).collect::<Vec<_>>());
        v.extend_from_slice(&[pad as u8, next]);
        v.extend((0..icv).map(|i| 0x80 | i as u8));
        v
    }

    #[test]
    fn esp_null_is_read_and_encrypted_esp_left_alone() {
        // Transport mode with each usual ICV length, over IPv4 and IPv6.
        for icv in [12, 16, 0, 32] {
            let esp = esp_null(17, &sip_udp(), icv);
            assert_sip_v4(&decode(LinkType::RAW, &ipv4(50, &esp)));
            assert_sip_v6(&decode(LinkType::RAW, &ipv6(50, &esp)));
        }
        // Tunnel mode: an inner IP packet.
        let tunnel = esp_null(4, &ipv4(17, &sip_udp()), 12);
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(50, &tunnel)));
        // In UDP on the NAT-traversal port (RFC 3948).
        let nat_t = udp(4500, 4500, &esp_null(17, &sip_udp(), 12));
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(17, &nat_t)));
        // Encrypted (the trailer does not read as NULL's), too short, or
        // with a payload whose length does not fit: nothing, and no error.
        let mut enc = esp_null(17, &sip_udp(), 12);
        for (i, b) in enc[8..].iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(151).wrapping_add(7);
        }
        for esp in [
            enc,
            vec![0, 0, 0, 1, 0, 0, 0, 1, 0],
            esp_null(17, &udp(1, 2, b""), 12)[..19].to_vec(),
        ] {
            let d = decode(LinkType::RAW, &ipv4(50, &esp));
            assert!(d.segments.is_empty() && d.errors.is_empty(), "{d:?}");
        }
        // ESP in UDP in ESP, 3000 deep: refused past MAX_DEPTH, without
        // recursing that deep.
        let mut nested = sip_udp();
        for _ in 0..3000 {
            nested = udp(4500, 4500, &esp_null(17, &nested, 0));
        }
        let d = decode(LinkType::RAW, &ipv4(17, &nested));
        assert!(d.segments.is_empty(), "{d:?}");
        assert_eq!(d.errors.len(), 1, "{d:?}");
        assert_eq!(d.errors[0].kind, LayerErrorKind::TooDeep);
        // Port 4500 with IKE's non-ESP marker, or ESP that is not NULL, is
        // an ordinary UDP payload.
        let ike = udp(4500, 4500, &[0, 0, 0, 0, 1, 2, 3]);
        let d = decode(LinkType::RAW, &ipv4(17, &ike));
        assert_eq!(d.segments.len(), 1, "{d:?}");
        assert_eq!(&d.segments[0].payload[..], &[0, 0, 0, 0, 1, 2, 3]);
    }

    fn gre(flags: u16, proto: u16, fields: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&flags.to_be_bytes());
        v.extend_from_slice(&proto.to_be_bytes());
        v.extend_from_slice(fields);
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn gre_with_key_and_sequence() {
        let inner = ipv4(17, &sip_udp());
        let g = gre(0x3000, 0x0800, &[0, 0, 0, 42, 0, 0, 0, 1], &inner);
        assert_sip_v4(&decode(LinkType::ETHERNET, &eth(0x0800, &ipv4(47, &g))));
        // With the checksum too.
        let g = gre(0xb000, 0x86dd, &[0; 12], &ipv6(17, &sip_udp()));
        assert_sip_v6(&decode(LinkType::RAW, &ipv4(47, &g)));
        // Plain, carrying bridged Ethernet.
        let g = gre(0, 0x6558, &[], &eth(0x0800, &inner));
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(47, &g)));
        // Flags promise 12 octets of fields; 6 are there.
        let p = ipv4(47, &gre(0xb000, 0x0800, &[0; 2], &[]));
        truncated_at(&decode(LinkType::RAW, &p), p.len());
    }

    #[test]
    fn pppoe_session_and_ppp_links() {
        // Ethernet, PPPoE session (RFC 2516), PPP protocol 0x0021.
        let v4 = ipv4(17, &sip_udp());
        let mut pppoe = vec![0x11, 0x00, 0x12, 0x34];
        pppoe.extend_from_slice(&((v4.len() + 2) as u16).to_be_bytes());
        pppoe.extend_from_slice(&[0x00, 0x21]);
        pppoe.extend_from_slice(&v4);
        assert_sip_v4(&decode(LinkType::ETHERNET, &eth(0x8864, &pppoe)));
        // Behind a VLAN tag, and without the Ethernet header (link 51).
        let mut tag = vec![0, 7, 0x88, 0x64];
        tag.extend_from_slice(&pppoe);
        assert_sip_v4(&decode(LinkType::ETHERNET, &eth(0x8100, &tag)));
        assert_sip_v4(&decode(LinkType::PPP_ETHER, &pppoe));
        // IPv6 (0x0057).
        let v6 = ipv6(17, &sip_udp());
        let mut pppoe6 = vec![0x11, 0x00, 0x12, 0x34, 0, 0, 0x00, 0x57];
        pppoe6.extend_from_slice(&v6);
        assert_sip_v6(&decode(LinkType::ETHERNET, &eth(0x8864, &pppoe6)));
        // A header cut short is a truncated packet, not silence.
        let frame = eth(0x8864, &pppoe[..4]);
        truncated_at(&decode(LinkType::ETHERNET, &frame), frame.len());
        // PPP as the link, with and without HDLC address/control.
        let mut ppp = vec![0xff, 0x03, 0x00, 0x21];
        ppp.extend_from_slice(&v4);
        assert_sip_v4(&decode(LinkType::PPP_HDLC, &ppp));
        assert_sip_v4(&decode(LinkType::PPP, &ppp[2..]));
    }

    #[test]
    fn gre_version_1_ppp() {
        // PPTP: K (payload length + call id), S, A, version 1.
        let mut ppp = vec![0xff, 0x03, 0x00, 0x21];
        ppp.extend_from_slice(&ipv4(17, &sip_udp()));
        let fields = [0, ppp.len() as u8, 0, 7, 0, 0, 0, 5, 0, 0, 0, 4];
        let g = gre(0x3081, 0x880b, &fields, &ppp);
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(47, &g)));
        // Without S and address/control, with a compressed protocol field.
        let mut ppp = vec![0x21];
        ppp.extend_from_slice(&ipv4(17, &sip_udp()));
        let g = gre(0x2001, 0x880b, &[0, 0, 0, 7], &ppp);
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(47, &g)));
        // PPP protocol 0x0057: IPv6.
        let mut ppp = vec![0xff, 0x03, 0x00, 0x57];
        ppp.extend_from_slice(&ipv6(17, &sip_udp()));
        let g = gre(0x2001, 0x880b, &[0, 0, 0, 7], &ppp);
        assert_sip_v6(&decode(LinkType::RAW, &ipv4(47, &g)));
    }

    #[test]
    fn erspan_type_2_and_3() {
        let frame = eth(0x0800, &ipv4(17, &sip_udp()));
        // Type II: GRE with S, 8-octet ERSPAN header.
        let mut payload = vec![0x10, 0x64, 0, 1, 0, 0, 0, 0];
        payload.extend_from_slice(&frame);
        let g = gre(0x1000, 0x88be, &[0, 0, 0, 9], &payload);
        assert_sip_v4(&decode(LinkType::ETHERNET, &eth(0x0800, &ipv4(47, &g))));
        // Type I: no sequence number, no ERSPAN header.
        let g = gre(0, 0x88be, &[], &frame);
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(47, &g)));
        // Type III with the platform subheader (O flag).
        let mut payload = vec![0x20, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1];
        payload.extend_from_slice(&[0; 8]);
        payload.extend_from_slice(&frame);
        let g = gre(0x1000, 0x22eb, &[0, 0, 0, 9], &payload);
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(47, &g)));
        // Type III without it.
        let mut payload = vec![0x20, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        payload.extend_from_slice(&frame);
        let g = gre(0x1000, 0x22eb, &[0, 0, 0, 9], &payload);
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(47, &g)));
    }

    fn gtp(flags: u8, extra: &[u8], inner: &[u8]) -> Vec<u8> {
        let mut v = vec![flags, 0xff];
        v.extend_from_slice(&((extra.len() + inner.len()) as u16).to_be_bytes());
        v.extend_from_slice(&[0, 0, 0, 1]); // TEID
        v.extend_from_slice(extra);
        v.extend_from_slice(inner);
        v
    }

    #[test]
    fn gtp_u() {
        let inner = ipv4(17, &sip_udp());
        // Plain G-PDU.
        let g = gtp(0x30, &[], &inner);
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(17, &udp(2152, 2152, &g))));
        // With a sequence number only.
        let g = gtp(0x32, &[0, 1, 0, 0], &inner);
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(17, &udp(40000, 2152, &g))));
        // With two extension headers (PDU session container, then one of
        // 8 octets).
        let mut extra = vec![0, 1, 0, 0x85];
        extra.extend_from_slice(&[1, 0x10, 0x09, 0x40]);
        extra.extend_from_slice(&[2, 1, 2, 3, 4, 5, 6, 0]);
        let g = gtp(0x34, &extra, &ipv6(17, &sip_udp()));
        assert_sip_v6(&decode(LinkType::RAW, &ipv4(17, &udp(2152, 40000, &g))));
        // An extension header running past the packet.
        let g = gtp(0x34, &[0, 1, 0, 0x85, 3, 0, 0, 0], &[]);
        let p = ipv4(17, &udp(2152, 2152, &g));
        truncated_at(&decode(LinkType::RAW, &p), p.len());
        // An extension header of length 0 (would never advance).
        let g = gtp(0x34, &[0, 1, 0, 0x85, 0, 0, 0, 0], &inner);
        let p = ipv4(17, &udp(2152, 2152, &g));
        truncated_at(&decode(LinkType::RAW, &p), p.len());
        // Not a G-PDU (echo request): an ordinary UDP datagram.
        let mut g = gtp(0x32, &[0, 1, 0, 0], &[]);
        g[1] = 1;
        let d = decode(LinkType::RAW, &ipv4(17, &udp(2152, 2152, &g)));
        assert_eq!(d.segments.len(), 1);
        assert!(d.errors.is_empty());
        // SIP sent from port 2152 is SIP, not GTP.
        let d = decode(
            LinkType::RAW,
            &ipv4(17, &udp(2152, 5060, b"SIP/2.0 200 OK\r\n\r\n")),
        );
        assert_eq!(&d.segments[0].payload[..], b"SIP/2.0 200 OK\r\n\r\n");
    }

    #[test]
    fn nesting_past_max_depth_is_refused() {
        // IPv4 in IPv4, 3000 deep (60 kB): far past MAX_DEPTH, and deep
        // enough to overflow the stack were the depth not bounded.
        let mut p = sip_udp();
        p = ipv4(17, &p);
        for _ in 0..3000 {
            p = ipv4(4, &p);
        }
        let d = decode(LinkType::RAW, &p);
        assert_eq!(
            only_error(&d),
            LayerError {
                kind: LayerErrorKind::TooDeep,
                offset: 20 * MAX_DEPTH
            }
        );
        // Exactly MAX_DEPTH encapsulations still decode.
        let mut p = ipv4(17, &sip_udp());
        for _ in 0..MAX_DEPTH {
            p = ipv4(4, &p);
        }
        assert_eq!(
            only_error(&decode(LinkType::RAW, &p)).kind,
            LayerErrorKind::TooDeep
        );
        let mut p = ipv4(17, &sip_udp());
        for _ in 0..MAX_DEPTH - 1 {
            p = ipv4(4, &p);
        }
        assert_sip_v4(&decode(LinkType::RAW, &p));
        // VLAN tags count too.
        let mut tags = Vec::new();
        for _ in 0..1000 {
            tags.extend_from_slice(&[0, 1, 0x81, 0x00]);
        }
        let d = decode(LinkType::ETHERNET, &eth(0x8100, &tags));
        assert_eq!(
            only_error(&d),
            LayerError {
                kind: LayerErrorKind::TooDeep,
                offset: 14 + 4 * MAX_DEPTH
            }
        );
        // GRE in GRE.
        let mut p = ipv4(17, &sip_udp());
        for _ in 0..100 {
            p = ipv4(47, &gre(0, 0x0800, &[], &p));
        }
        assert_eq!(
            only_error(&decode(LinkType::RAW, &p)).kind,
            LayerErrorKind::TooDeep
        );
        // GTP-U in GTP-U.
        let mut p = ipv4(17, &sip_udp());
        for _ in 0..100 {
            p = ipv4(17, &udp(2152, 2152, &gtp(0x30, &[], &p)));
        }
        assert_eq!(
            only_error(&decode(LinkType::RAW, &p)).kind,
            LayerErrorKind::TooDeep
        );
    }

    // ---- truncation at each layer ----

    #[test]
    fn truncated_headers_at_each_layer() {
        let full = eth(0x0800, &ipv4(17, &sip_udp()));
        // Ethernet header.
        truncated_at(&decode(LinkType::ETHERNET, &full[..10]), 10);
        // VLAN tag.
        truncated_at(&decode(LinkType::ETHERNET, &eth(0x8100, &[0, 1])), 16);
        // IPv4 header.
        truncated_at(&decode(LinkType::ETHERNET, &full[..24]), 24);
        // IPv4 total length past the frame.
        truncated_at(&decode(LinkType::ETHERNET, &full[..40]), 40);
        // IPv6 header.
        let v6 = eth(0x86dd, &ipv6(17, &sip_udp()));
        truncated_at(&decode(LinkType::ETHERNET, &v6[..50]), 50);
        // IPv6 payload length past the frame.
        truncated_at(
            &decode(LinkType::ETHERNET, &v6[..v6.len() - 1]),
            v6.len() - 1,
        );
        // UDP header (IP consistent, 4 octets of UDP).
        let p = eth(0x0800, &ipv4(17, &[0x13, 0xc4, 0x13, 0xc6]));
        truncated_at(&decode(LinkType::ETHERNET, &p), 38);
        // UDP length past the IP payload.
        let mut u = sip_udp();
        u[5] += 1;
        let p = eth(0x0800, &ipv4(17, &u));
        truncated_at(&decode(LinkType::ETHERNET, &p), p.len());
        // UDP length below its own header.
        let mut u = sip_udp();
        u[5] = 7;
        let p = eth(0x0800, &ipv4(17, &u));
        truncated_at(&decode(LinkType::ETHERNET, &p), p.len());
        // TCP header.
        let p = eth(0x0800, &ipv4(6, &[0; 12]));
        truncated_at(&decode(LinkType::ETHERNET, &p), 46);
        // TCP data offset past the segment.
        let mut t = tcp(1, 0x18, &[], b"");
        t[12] = 0xf0;
        let p = eth(0x0800, &ipv4(6, &t));
        truncated_at(&decode(LinkType::ETHERNET, &p), p.len());
        // SCTP common header.
        let p = eth(0x0800, &ipv4(132, &[0; 8]));
        truncated_at(&decode(LinkType::ETHERNET, &p), 42);
        // SCTP chunk length past the packet: the chunk's length field.
        let mut c = data_chunk(3, 0, b"SIP/2.0 200 OK");
        c[3] += 8;
        let p = eth(0x0800, &ipv4(132, &sctp(&[c])));
        truncated_at(&decode(LinkType::ETHERNET, &p), 34 + 12 + 2);
        // SCTP DATA chunk shorter than its header.
        let c = vec![0, 3, 0, 8, 0, 0, 0, 0];
        let p = eth(0x0800, &ipv4(132, &sctp(&[c])));
        truncated_at(&decode(LinkType::ETHERNET, &p), 34 + 12 + 2);
        // GRE header.
        let p = ipv4(47, &[0, 0]);
        truncated_at(&decode(LinkType::RAW, &p), 22);
        // ERSPAN III header.
        let p = ipv4(47, &gre(0, 0x22eb, &[], &[0; 6]));
        truncated_at(&decode(LinkType::RAW, &p), p.len());
        // Ethernet inside ERSPAN.
        let p = ipv4(47, &gre(0, 0x88be, &[], &[0; 6]));
        truncated_at(&decode(LinkType::RAW, &p), p.len());
        // PPP protocol field.
        let p = ipv4(47, &gre(0x2001, 0x880b, &[0, 0, 0, 7], &[0xff, 0x03, 0x00]));
        truncated_at(&decode(LinkType::RAW, &p), p.len());
        // GTP-U optional fields.
        let p = ipv4(17, &udp(2152, 2152, &gtp(0x32, &[0, 1], &[])));
        truncated_at(&decode(LinkType::RAW, &p), p.len());
    }

    #[test]
    fn errors_in_tunnels_are_placed_in_the_outer_packet() {
        // A truncated UDP header inside IP-in-IP inside Ethernet: the
        // offset counts from the frame's first octet.
        let p = eth(0x0800, &ipv4(4, &ipv4(17, &[0, 1, 2])));
        truncated_at(&decode(LinkType::ETHERNET, &p), p.len());
    }

    // ---- packets cut by the snapshot length ----

    fn decode_cut(link: LinkType, p: &[u8]) -> Decoded {
        Dissector::new().decode_cut(link, &Bytes::copy_from_slice(p), true)
    }

    #[test]
    fn cut_datagrams_give_what_was_kept_and_one_error() {
        let full = eth(0x0800, &ipv4(17, &sip_udp()));
        let kept = &full[..full.len() - 4];
        let d = decode_cut(LinkType::ETHERNET, kept);
        assert_eq!(
            d.errors,
            vec![LayerError {
                kind: LayerErrorKind::Truncated,
                offset: kept.len()
            }]
        );
        assert_eq!(d.segments.len(), 1);
        assert_eq!(&d.segments[0].payload[..], b"SIP/2.0 20");
        // Not known to be cut: a damaged packet, nothing comes out.
        truncated_at(&decode(LinkType::ETHERNET, kept), kept.len());
        // IPv6.
        let full = ipv6(17, &sip_udp());
        let d = decode_cut(LinkType::RAW, &full[..full.len() - 1]);
        assert_eq!(d.errors.len(), 1);
        assert_eq!(&d.segments[0].payload[..], b"SIP/2.0 200 O");
        // TCP.
        let full = ipv4(6, &tcp(9, 0x18, &[], b"SIP/2.0 200 OK"));
        let d = decode_cut(LinkType::RAW, &full[..full.len() - 3]);
        assert_eq!(d.errors.len(), 1);
        assert_eq!(&d.segments[0].payload[..], b"SIP/2.0 200");
        // Inside GTP-U: four lengths run past the end, one error.
        let full = ipv4(17, &udp(2152, 2152, &gtp(0x30, &[], &ipv4(17, &sip_udp()))));
        let d = decode_cut(LinkType::RAW, &full[..full.len() - 2]);
        assert_eq!(d.errors.len(), 1);
        assert_eq!(&d.segments[0].payload[..], b"SIP/2.0 200 ");
    }

    #[test]
    fn cut_headers_are_still_errors() {
        let full = eth(0x0800, &ipv4(17, &sip_udp()));
        // Inside the IPv4 header.
        truncated_at(&decode_cut(LinkType::ETHERNET, &full[..30]), 30);
        // Inside the UDP header.
        truncated_at(&decode_cut(LinkType::ETHERNET, &full[..38]), 38);
        // Only link padding cut, the datagram whole: no error at all.
        assert_sip_v4(&decode_cut(LinkType::ETHERNET, &full));
    }

    #[test]
    fn cut_fragments_are_not_filed() {
        let (_, [a, _, c]) = v4_fragments(5);
        let mut d = Dissector::new();
        let out = d.decode_cut(
            LinkType::ETHERNET,
            &Bytes::copy_from_slice(&a[..a.len() - 4]),
            true,
        );
        assert_eq!(only_error(&out).kind, LayerErrorKind::Truncated);
        let out = d.decode_cut(
            LinkType::ETHERNET,
            &Bytes::copy_from_slice(&c[..c.len() - 4]),
            true,
        );
        assert_eq!(only_error(&out).kind, LayerErrorKind::Truncated);
        assert!(d.pending.is_empty());
        // IPv6.
        let mut rest = vec![17, 0, 0, 1, 0, 0, 0, 9];
        rest.extend_from_slice(&[0; 16]);
        let p = ipv6(44, &rest);
        let out = d.decode_cut(
            LinkType::RAW,
            &Bytes::copy_from_slice(&p[..p.len() - 4]),
            true,
        );
        assert_eq!(only_error(&out).kind, LayerErrorKind::Truncated);
        assert!(d.pending.is_empty());
    }

    // ---- transports ----

    #[test]
    fn udp_length_zero_and_shorter_than_the_payload() {
        let mut u = sip_udp();
        u[4] = 0;
        u[5] = 0;
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(17, &u)));
        // A UDP length shorter than the IP payload: the rest is not data.
        let mut u = sip_udp();
        u.extend_from_slice(b"junk");
        assert_sip_v4(&decode(LinkType::RAW, &ipv4(17, &u)));
        // An empty datagram.
        let d = decode(LinkType::RAW, &ipv4(17, &udp(1, 2, b"")));
        assert_eq!(d.segments.len(), 1);
        assert!(d.segments[0].payload.is_empty());
    }

    #[test]
    fn tcp_segment_with_options_and_flags() {
        let t = tcp(
            0xfffffff0,
            0x03,
            &[1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0],
            b"abc",
        );
        let d = decode(LinkType::RAW, &ipv4(6, &t));
        assert_eq!(d.errors, vec![]);
        let s = &d.segments[0];
        assert_eq!(
            s.proto,
            Proto::Tcp {
                seq: 0xfffffff0,
                syn: true,
                fin: true,
                rst: false
            }
        );
        assert_eq!(&s.payload[..], b"abc");
        assert_eq!(s.src, "10.0.0.1:5060".parse().unwrap());
        assert_eq!(s.dst, "10.0.0.2:40000".parse().unwrap());
        let d = decode(LinkType::RAW, &ipv4(6, &tcp(5, 0x04, &[], b"")));
        assert!(matches!(d.segments[0].proto, Proto::Tcp { rst: true, .. }));
    }

    #[test]
    fn sctp_bundled_chunks() {
        let sack = vec![3, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let chunks = [
            data_chunk(0x02, 1, b"SIP/2.0 "),
            sack,
            data_chunk(0x01, 1, b"200 OK"),
            data_chunk(0x03, 7, b"whole"),
        ];
        let d = decode(LinkType::RAW, &ipv6(132, &sctp(&chunks)));
        assert_eq!(d.errors, vec![]);
        let got: Vec<_> = d
            .segments
            .iter()
            .map(|s| (s.proto, &s.payload[..]))
            .collect();
        // Every test chunk carries TSN 1.
        let p = |stream, begin, end| Proto::Sctp {
            stream,
            tsn: 1,
            begin,
            end,
        };
        assert_eq!(
            got,
            vec![
                (p(1, true, false), &b"SIP/2.0 "[..]),
                (p(1, false, true), &b"200 OK"[..]),
                (p(7, true, true), &b"whole"[..]),
            ]
        );
        assert_eq!(d.segments[0].src, "[2001::1]:5060".parse().unwrap());
        assert_eq!(d.segments[0].dst, "[2001::2]:5061".parse().unwrap());
    }
}
