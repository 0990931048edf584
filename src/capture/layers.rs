//! From link-layer frames to transport payloads: Ethernet (with 802.1Q/QinQ
//! tags), Linux cooked v1/v2, BSD loopback, raw IP; IPv4 (options,
//! fragments) and IPv6 (extension headers, fragments); the tunnels SIP
//! captures are made through (IP-in-IP, GRE with ERSPAN II/III, transparent
//! Ethernet bridging and PPP, GTP-U); then UDP, TCP and SCTP.
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
pub const MAX_DEPTH: usize = 16;

/// How many fragmented IP datagrams may be awaiting their missing pieces at
/// once; past it the oldest is dropped (and reported).
pub const MAX_PENDING_FRAGMENTS: usize = 256;

/// Why a packet's layers could not be read. The offset is from the start of
/// the packet's link-layer data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerError {
    /// What was wrong.
    pub kind: LayerErrorKind,
    /// Offset in the packet where it was found.
    pub offset: usize,
}

/// The kinds of [`LayerError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LayerErrorKind {
    /// A header is cut short, or a length field points past the packet.
    Truncated,
    /// An IP header's length fields contradict each other.
    BadIpHeader,
    /// Encapsulation nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A fragmented datagram was dropped: too many others were pending, or
    /// its pieces overlap inconsistently or exceed 64 KiB.
    FragmentDropped,
}

/// A transport-layer segment found in a packet.
#[derive(Clone, Debug)]
pub struct Segment {
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
pub enum Proto {
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
        /// B (first fragment) flag.
        begin: bool,
        /// E (last fragment) flag.
        end: bool,
    },
}

/// What one packet held.
#[derive(Debug, Default)]
pub struct Decoded {
    /// Transport segments, in packet order (SCTP may bundle several).
    pub segments: Vec<Segment>,
    /// Problems met on the way (the packet may still have given segments).
    pub errors: Vec<LayerError>,
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
pub struct Dissector {
    pending: HashMap<FragKey, Pending>,
    clock: u64,
}

struct Walk<'a> {
    out: &'a mut Decoded,
    /// The packet as captured: errors in a buffer sliced from it are placed
    /// by where that slice starts.
    packet: &'a Bytes,
}

impl Walk<'_> {
    /// Records an error at offset `at` of `buf`. `buf` is the packet or a
    /// slice of it (a `Bytes::slice` shares the packet's memory, so the
    /// distance between the two starts is the slice's offset); inside a
    /// reassembled datagram, whose octets come from several packets, the
    /// offset is within that datagram.
    fn err(&mut self, kind: LayerErrorKind, buf: &Bytes, at: usize) {
        let outer = self.packet.as_ptr() as usize;
        let inner = buf.as_ptr() as usize;
        let base = if inner >= outer && inner <= outer + self.packet.len() {
            inner - outer
        } else {
            0
        };
        self.out.errors.push(LayerError {
            kind,
            offset: base + at,
        });
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

impl Dissector {
    /// A dissector with no pending fragments.
    pub fn new() -> Self {
        Self::default()
    }

    /// Decodes one packet of link type `link`.
    pub fn decode(&mut self, link: LinkType, data: &Bytes) -> Decoded {
        let mut out = Decoded::default();
        let mut w = Walk {
            out: &mut out,
            packet: data,
        };
        self.link(&mut w, link, data.clone());
        out
    }

    fn link(&mut self, w: &mut Walk<'_>, link: LinkType, p: Bytes) {
        match link {
            LinkType::ETHERNET => self.ether(w, p, 0),
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
            _ => {}
        }
    }

    fn raw_ip(&mut self, w: &mut Walk<'_>, p: Bytes, at: usize, depth: usize) {
        match p.get(at).map(|b| b >> 4) {
            Some(4) => self.ethertype(w, ETH_IPV4, p, at, depth),
            Some(6) => self.ethertype(w, ETH_IPV6, p, at, depth),
            _ => {}
        }
    }

    fn ether(&mut self, w: &mut Walk<'_>, p: Bytes, at: usize) {
        if p.len() < at + 14 {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        }
        let et = be16(&p[at + 12..at + 14]);
        // 802.3 frames carry a length here, not a type: no IP inside.
        if et >= 0x0600 {
            self.ethertype(w, et, p, at + 14, 0);
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
            ETH_BRIDGING => {
                if p.len() < at + 14 {
                    return w.err(LayerErrorKind::Truncated, &p, p.len());
                }
                let inner = be16(&p[at + 12..at + 14]);
                if inner >= 0x0600 {
                    self.ethertype(w, inner, p, at + 14, depth + 1);
                }
            }
            ETH_PPP => self.ppp(w, p, at, depth + 1),
            _ => {}
        }
    }

    /// PPP (in GRE): optional `FF 03` address/control, then a 1- or 2-octet
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
        let end = if total == 0 { p.len() } else { at + total };
        if end > p.len() || at + ihl > end {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        }
        // Trailing octets past `total` are link padding.
        let body = p.slice(at + ihl..end);
        let offset = usize::from(frag & 0x1fff) * 8;
        let more = frag & 0x2000 != 0;
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
        let end = if plen == 0 { p.len() } else { at + 40 + plen };
        if end > p.len() {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
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
        // A retransmitted piece (same offset) keeps the first copy.
        if !entry.pieces.iter().any(|(o, _)| *o == offset) {
            entry.pieces.push((offset, body));
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
            _ => {}
        }
    }

    fn udp(&mut self, w: &mut Walk<'_>, src: IpAddr, dst: IpAddr, p: Bytes, depth: usize) {
        let Some(h) = p.get(..8) else {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        };
        let sport = be16(&h[0..2]);
        let dport = be16(&h[2..4]);
        let len = usize::from(be16(&h[4..6]));
        // Zero is a jumbogram's (or offload's) length: take what is there.
        let end = if len == 0 { p.len() } else { len };
        if end < 8 || end > p.len() {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        }
        const GTP_U: u16 = 2152;
        if sport == GTP_U || dport == GTP_U {
            return self.gtp(w, p.slice(8..end), depth + 1);
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
            ETH_ERSPAN2 if flags & 0x1000 != 0 => self.ether_at(w, p, i + 8, depth),
            ETH_ERSPAN2 => self.ether_at(w, p, i, depth),
            ETH_ERSPAN3 => {
                let Some(e) = p.get(i..i + 12) else {
                    return w.err(LayerErrorKind::Truncated, &p, p.len());
                };
                let sub = if e[11] & 1 == 1 { 8 } else { 0 };
                self.ether_at(w, p, i + 12 + sub, depth)
            }
            _ => self.ethertype(w, et, p, i, depth),
        }
    }

    fn ether_at(&mut self, w: &mut Walk<'_>, p: Bytes, at: usize, depth: usize) {
        if p.len() < at + 14 {
            return w.err(LayerErrorKind::Truncated, &p, p.len());
        }
        let et = be16(&p[at + 12..at + 14]);
        if et >= 0x0600 {
            self.ethertype(w, et, p, at + 14, depth + 1);
        }
    }
}

fn tcp(w: &mut Walk<'_>, src: IpAddr, dst: IpAddr, p: Bytes) {
    let Some(h) = p.get(..20) else {
        return w.err(LayerErrorKind::Truncated, &p, p.len());
    };
    let sport = be16(&h[0..2]);
    let dport = be16(&h[2..4]);
    let seq = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
    let off = usize::from(h[12] >> 4) * 4;
    let flags = h[13];
    if off < 20 || off > p.len() {
        return w.err(LayerErrorKind::Truncated, &p, p.len());
    }
    w.out.segments.push(Segment {
        src: SocketAddr::new(src, sport),
        dst: SocketAddr::new(dst, dport),
        proto: Proto::Tcp {
            seq,
            syn: flags & 0x02 != 0,
            fin: flags & 0x01 != 0,
            rst: flags & 0x04 != 0,
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
                    begin: cflags & 0x02 != 0,
                    end: cflags & 0x01 != 0,
                },
                payload: p.slice(i + 16..i + clen),
            });
        }
        i += (clen + 3) & !3;
    }
}

fn be16(b: &[u8]) -> u16 {
    u16::from_be_bytes([b[0], b[1]])
}
