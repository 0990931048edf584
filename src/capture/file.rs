//! Capture file formats: classic pcap (both byte orders, micro- and
//! nanosecond timestamps) and pcapng (sections of either byte order,
//! interfaces with their own link type and timestamp resolution, Enhanced,
//! Simple and the obsolete Packet blocks).
//!
//! The reader walks records in file order and hands out each packet's bytes
//! as a slice of the file's [`Bytes`]: nothing is copied. A record whose
//! header cannot be trusted (a length past the end of the file, a block
//! length that is not a multiple of 4) ends the walk with an error: after it
//! the next record boundary is unknown, like a framing error on a stream.

use bytes::Bytes;

use super::{CaptureError, CaptureErrorKind};

/// The link-layer type of a packet (the LINKTYPE_* registry of tcpdump.org,
/// shared by pcap and pcapng).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LinkType(pub u32);

impl LinkType {
    /// BSD loopback: a 4-octet address family in the capturing host's order.
    pub const NULL: LinkType = LinkType(0);
    /// Ethernet II / 802.3.
    pub const ETHERNET: LinkType = LinkType(1);
    /// Raw IP on some BSDs (DLT_RAW's old number).
    pub const RAW_BSD: LinkType = LinkType(12);
    /// Raw IP on OpenBSD's numbering.
    pub const RAW_OPENBSD: LinkType = LinkType(14);
    /// Raw IPv4 or IPv6, told apart by the version nibble.
    pub const RAW: LinkType = LinkType(101);
    /// OpenBSD loopback: a 4-octet address family, network order.
    pub const LOOP: LinkType = LinkType(108);
    /// Linux cooked capture v1 (16-octet header).
    pub const LINUX_SLL: LinkType = LinkType(113);
    /// Raw IPv4.
    pub const IPV4: LinkType = LinkType(228);
    /// Raw IPv6.
    pub const IPV6: LinkType = LinkType(229);
    /// Linux cooked capture v2 (20-octet header).
    pub const LINUX_SLL2: LinkType = LinkType(276);
}

/// When a packet was captured, as seconds and nanoseconds since the Unix
/// epoch (pcapng's other resolutions are converted, rounding down).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    pub secs: u64,
    /// Nanoseconds within the second (< 1 000 000 000).
    pub nanos: u32,
}

impl Timestamp {
    /// Shifted by `secs` seconds (pcapng `if_tsoffset`), saturating at the
    /// ends of the range.
    fn offset_by(self, secs: i64) -> Timestamp {
        Timestamp {
            secs: self.secs.saturating_add_signed(secs),
            nanos: self.nanos,
        }
    }
}

/// One captured packet, as stored in the file.
#[derive(Clone, Debug)]
pub struct Packet {
    /// Packet number in the file, from 1 (what Wireshark calls the frame).
    pub number: u64,
    /// Offset of the packet's first octet in the file.
    pub file_offset: u64,
    /// Capture time.
    pub timestamp: Timestamp,
    /// Link-layer type of `data`.
    pub link: LinkType,
    /// The captured octets (a slice of the file, not a copy).
    pub data: Bytes,
    /// The packet's length on the wire; more than `data.len()` when the
    /// capture's snapshot length cut it.
    pub orig_len: u32,
}

impl Packet {
    /// True when the capture kept fewer octets than the wire carried.
    pub fn is_truncated(&self) -> bool {
        (self.orig_len as usize) > self.data.len()
    }
}

/// Which container the file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Classic libpcap format.
    Pcap,
    /// pcap next generation.
    Pcapng,
}

impl Format {
    /// The container `bytes` start with, read from its magic number
    /// (pcap in either byte order, micro- or nanosecond; pcapng); `None`
    /// for anything else.
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        magic(bytes).map(|(format, _, _)| format)
    }
}

/// The container, byte order and (pcap) nanosecond flag a magic number
/// gives. A pcapng section's byte order is read later, from its header.
fn magic(bytes: &[u8]) -> Option<(Format, Endian, bool)> {
    let pcap = |endian, nanos| Some((Format::Pcap, endian, nanos));
    match bytes.get(..4)? {
        [0xd4, 0xc3, 0xb2, 0xa1] => pcap(Endian::Little, false),
        [0xa1, 0xb2, 0xc3, 0xd4] => pcap(Endian::Big, false),
        [0x4d, 0x3c, 0xb2, 0xa1] => pcap(Endian::Little, true),
        [0xa1, 0xb2, 0x3c, 0x4d] => pcap(Endian::Big, true),
        [0x0a, 0x0d, 0x0d, 0x0a] => Some((Format::Pcapng, Endian::Little, false)),
        _ => None,
    }
}

/// A pcapng interface: its link type and timestamp unit.
#[derive(Clone, Copy, Debug)]
struct Interface {
    link: LinkType,
    /// Timestamp units per second.
    units: TsUnits,
    /// pcapng: the most octets of a packet kept (0: no limit).
    snaplen: u32,
    /// pcapng `if_tsoffset`: seconds to add to every timestamp.
    ts_offset: i64,
}

/// Timestamp resolution: `10^-n` or `2^-n` seconds.
#[derive(Clone, Copy, Debug)]
enum TsUnits {
    Pow10(u8),
    Pow2(u8),
}

impl TsUnits {
    fn split(self, ticks: u64) -> Timestamp {
        match self {
            TsUnits::Pow10(n) => {
                let per_sec = 10u64.pow(u32::from(n));
                let frac = ticks % per_sec;
                let nanos = if n <= 9 {
                    frac * 10u64.pow(9 - u32::from(n))
                } else {
                    frac / 10u64.pow(u32::from(n) - 9)
                };
                Timestamp {
                    secs: ticks / per_sec,
                    nanos: nanos as u32,
                }
            }
            TsUnits::Pow2(n) => {
                let secs = ticks >> n;
                let frac = ticks & ((1u64 << n) - 1);
                let nanos = ((u128::from(frac) * 1_000_000_000) >> n) as u64;
                Timestamp {
                    secs,
                    nanos: nanos as u32,
                }
            }
        }
    }

    /// Reads an `if_tsresol` option octet; `None` for a resolution finer
    /// than the arithmetic supports (treated as the default).
    fn from_option(v: u8) -> Option<TsUnits> {
        let n = v & 0x7f;
        if v & 0x80 == 0 {
            // 10^19 overflows u64.
            (n <= 19).then_some(TsUnits::Pow10(n))
        } else {
            (n <= 63).then_some(TsUnits::Pow2(n))
        }
    }
}

/// Byte order of a pcap file or a pcapng section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endian {
    Little,
    Big,
}

impl Endian {
    fn u16(self, b: &[u8]) -> u16 {
        let a = [b[0], b[1]];
        match self {
            Endian::Little => u16::from_le_bytes(a),
            Endian::Big => u16::from_be_bytes(a),
        }
    }

    fn u32(self, b: &[u8]) -> u32 {
        let a = [b[0], b[1], b[2], b[3]];
        match self {
            Endian::Little => u32::from_le_bytes(a),
            Endian::Big => u32::from_be_bytes(a),
        }
    }
}

/// pcapng's upper bound on interfaces per section we keep track of. An
/// Interface Description Block is at least 20 octets, so the list is bounded
/// by the file anyway; the cap keeps a hostile file from holding more state
/// than any real capture needs.
const MAX_INTERFACES: usize = 4096;

/// Iterates over the packets of a pcap or pcapng file.
///
/// An error after which the next record cannot be found
/// ([`CaptureError::is_fatal`]) is yielded once, and the walk stops there. A
/// pcapng packet that cannot be used inside a sound block (an undescribed
/// interface, a damaged packet block) is yielded as an error and the walk
/// goes on. Records of pcapng block types it does not know are skipped, as
/// the format asks.
#[derive(Debug)]
pub struct PacketReader {
    data: Bytes,
    pos: usize,
    format: Format,
    endian: Endian,
    /// Classic pcap: the one link type and timestamp unit of the file.
    pcap_iface: Interface,
    /// pcapng: the interfaces of the current section.
    interfaces: Vec<Interface>,
    next_number: u64,
    done: bool,
}

const PCAPNG_SHB: u32 = 0x0A0D_0D0A;
const PCAPNG_BOM: u32 = 0x1A2B_3C4D;

impl PacketReader {
    /// Starts reading `data`, which must begin with a pcap or pcapng magic
    /// number.
    pub fn new(data: Bytes) -> Result<Self, CaptureError> {
        let Some((format, endian, nanos)) = magic(&data) else {
            return Err(CaptureError {
                kind: CaptureErrorKind::NotACapture,
                offset: 0,
                frame: None,
            });
        };
        let mut reader = PacketReader {
            data,
            pos: 0,
            format,
            endian,
            pcap_iface: Interface {
                link: LinkType::ETHERNET,
                units: TsUnits::Pow10(if nanos { 9 } else { 6 }),
                snaplen: 0,
                ts_offset: 0,
            },
            interfaces: Vec::new(),
            next_number: 1,
            done: false,
        };
        if format == Format::Pcap {
            let header = reader.data.get(..24).ok_or(CaptureError {
                kind: CaptureErrorKind::Truncated,
                offset: reader.data.len() as u64,
                frame: None,
            })?;
            // Bytes 20..24 hold the link type in their low 16 bits; the
            // upper half carries the FCS length and its presence flag (bit
            // 26) in newer files, which we do not need (libpcap's
            // LT_LINKTYPE).
            reader.pcap_iface.link = LinkType(endian.u32(&header[20..24]) & 0xffff);
            reader.pos = 24;
        }
        Ok(reader)
    }

    /// The container format.
    pub fn format(&self) -> Format {
        self.format
    }

    fn fail(
        &mut self,
        kind: CaptureErrorKind,
        offset: usize,
    ) -> Option<Result<Packet, CaptureError>> {
        self.done = true;
        Some(Err(CaptureError {
            kind,
            offset: offset as u64,
            frame: Some(self.next_number),
        }))
    }

    fn next_pcap(&mut self) -> Option<Result<Packet, CaptureError>> {
        let start = self.pos;
        if start == self.data.len() {
            return None;
        }
        let Some(rec) = self.data.get(start..start + 16) else {
            return self.fail(CaptureErrorKind::Truncated, self.data.len());
        };
        let e = self.endian;
        let secs = e.u32(&rec[0..4]);
        let frac = e.u32(&rec[4..8]);
        let incl = e.u32(&rec[8..12]) as usize;
        let orig = e.u32(&rec[12..16]);
        let body = start + 16;
        let Some(end) = body.checked_add(incl).filter(|&end| end <= self.data.len()) else {
            return self.fail(CaptureErrorKind::RecordPastEnd, start + 8);
        };
        self.pos = end;
        let ticks = u64::from(secs) * per_second(self.pcap_iface.units) + u64::from(frac);
        Some(Ok(self.packet(body, end, self.pcap_iface, ticks, orig)))
    }

    fn packet(
        &mut self,
        body: usize,
        end: usize,
        iface: Interface,
        ticks: u64,
        orig: u32,
    ) -> Packet {
        let number = self.next_number;
        self.next_number += 1;
        Packet {
            number,
            file_offset: body as u64,
            timestamp: iface.units.split(ticks).offset_by(iface.ts_offset),
            link: iface.link,
            data: self.data.slice(body..end),
            orig_len: orig.max((end - body).min(u32::MAX as usize) as u32),
        }
    }

    fn next_pcapng(&mut self) -> Option<Result<Packet, CaptureError>> {
        loop {
            let start = self.pos;
            if start == self.data.len() {
                return None;
            }
            let Some(head) = self.data.get(start..start + 12) else {
                return self.fail(CaptureErrorKind::Truncated, self.data.len());
            };
            let mut e = self.endian;
            let raw_type = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
            if raw_type == PCAPNG_SHB {
                // A new section sets its own byte order (the type reads the
                // same both ways); interfaces start over.
                e = match Endian::Little.u32(&head[8..12]) {
                    PCAPNG_BOM => Endian::Little,
                    v if v.swap_bytes() == PCAPNG_BOM => Endian::Big,
                    _ => return self.fail(CaptureErrorKind::BadByteOrderMagic, start + 8),
                };
                self.endian = e;
                self.interfaces.clear();
            }
            let btype = e.u32(&head[0..4]);
            let blen = e.u32(&head[4..8]) as usize;
            if blen < 12 || blen % 4 != 0 {
                return self.fail(CaptureErrorKind::BadBlockLength, start + 4);
            }
            let Some(end) = start
                .checked_add(blen)
                .filter(|&end| end <= self.data.len())
            else {
                return self.fail(CaptureErrorKind::RecordPastEnd, start + 4);
            };
            if e.u32(&self.data[end - 4..end]) as usize != blen {
                return self.fail(CaptureErrorKind::BadBlockLength, end - 4);
            }
            self.pos = end;
            let body = start + 8..end - 4;
            match btype {
                PCAPNG_SHB => {}
                1 => match self.interface(body.clone()) {
                    Ok(()) => {}
                    // Interfaces past the cap are not kept, and numbering
                    // stays right for those before it: packets naming one
                    // are reported (UnknownInterface) and the walk goes on.
                    Err(CaptureErrorKind::TooManyInterfaces) => {
                        return Some(Err(CaptureError {
                            kind: CaptureErrorKind::TooManyInterfaces,
                            offset: body.start as u64,
                            frame: None,
                        }))
                    }
                    Err(k) => return self.fail(k, body.start),
                },
                6 => return Some(self.enhanced(body)),
                3 => return Some(self.simple(body)),
                2 => return Some(self.obsolete(body)),
                _ => {}
            }
        }
    }

    /// Interface Description Block: link type, snap length, options.
    fn interface(&mut self, body: std::ops::Range<usize>) -> Result<(), CaptureErrorKind> {
        let e = self.endian;
        let b = &self.data[body];
        if b.len() < 8 {
            return Err(CaptureErrorKind::Truncated);
        }
        if self.interfaces.len() >= MAX_INTERFACES {
            return Err(CaptureErrorKind::TooManyInterfaces);
        }
        let link = LinkType(u32::from(e.u16(&b[0..2])));
        let snaplen = e.u32(&b[4..8]);
        let mut units = TsUnits::Pow10(6);
        let mut ts_offset = 0i64;
        // Options: code (2), length (2), value padded to 4.
        let mut o = 8;
        while o + 4 <= b.len() {
            let code = e.u16(&b[o..o + 2]);
            let len = usize::from(e.u16(&b[o + 2..o + 4]));
            let v = o + 4;
            if code == 0 || v + len > b.len() {
                break;
            }
            if code == 9 && len >= 1 {
                if let Some(u) = TsUnits::from_option(b[v]) {
                    units = u;
                }
            }
            if code == 14 && len == 8 {
                let hi = u64::from(e.u32(&b[v..v + 4]));
                let lo = u64::from(e.u32(&b[v + 4..v + 8]));
                // Written as one 64-bit value in the section's byte order.
                let raw = match e {
                    Endian::Little => (lo << 32) | hi,
                    Endian::Big => (hi << 32) | lo,
                };
                ts_offset = raw as i64;
            }
            o = v + ((len + 3) & !3);
        }
        self.interfaces.push(Interface {
            link,
            units,
            snaplen,
            ts_offset,
        });
        Ok(())
    }

    fn iface(&self, id: u32) -> Result<Interface, CaptureErrorKind> {
        self.interfaces
            .get(id as usize)
            .copied()
            .ok_or(CaptureErrorKind::UnknownInterface)
    }

    /// Enhanced Packet Block: interface, 64-bit timestamp, lengths, data.
    fn enhanced(&mut self, body: std::ops::Range<usize>) -> Result<Packet, CaptureError> {
        let e = self.endian;
        let b = &self.data[body.clone()];
        let err = |kind, offset: usize, n| CaptureError {
            kind,
            offset: offset as u64,
            frame: Some(n),
        };
        let n = self.next_number;
        if b.len() < 20 {
            self.next_number += 1;
            return Err(err(CaptureErrorKind::BadPacketBlock, body.start, n));
        }
        let ticks = (u64::from(e.u32(&b[4..8])) << 32) | u64::from(e.u32(&b[8..12]));
        let cap = e.u32(&b[12..16]) as usize;
        let orig = e.u32(&b[16..20]);
        let iface = match self.iface(e.u32(&b[0..4])) {
            Ok(i) => i,
            Err(k) => {
                self.next_number += 1;
                return Err(err(k, body.start, n));
            }
        };
        let data = body.start + 20;
        if cap > b.len() - 20 {
            self.next_number += 1;
            return Err(err(CaptureErrorKind::BadPacketBlock, body.start + 12, n));
        }
        Ok(self.packet(data, data + cap, iface, ticks, orig))
    }

    /// Simple Packet Block: interface 0, no timestamp; the captured length is
    /// the original length, cut to the interface's snap length (the block
    /// pads the data to 4 octets, so what it holds may be longer).
    fn simple(&mut self, body: std::ops::Range<usize>) -> Result<Packet, CaptureError> {
        let e = self.endian;
        let n = self.next_number;
        let b = &self.data[body.clone()];
        let fail = |kind| CaptureError {
            kind,
            offset: body.start as u64,
            frame: Some(n),
        };
        if b.len() < 4 {
            self.next_number += 1;
            return Err(fail(CaptureErrorKind::BadPacketBlock));
        }
        let orig = e.u32(&b[0..4]);
        let iface = match self.iface(0) {
            Ok(i) => i,
            Err(k) => {
                self.next_number += 1;
                return Err(fail(k));
            }
        };
        let data = body.start + 4;
        let mut len = (orig as usize).min(b.len() - 4);
        if iface.snaplen != 0 {
            len = len.min(iface.snaplen as usize);
        }
        let mut p = self.packet(data, data + len, iface, 0, orig);
        p.timestamp = Timestamp::default();
        Ok(p)
    }

    /// Obsolete Packet Block (type 2): like the Enhanced one with a 16-bit
    /// interface id and a drops counter.
    fn obsolete(&mut self, body: std::ops::Range<usize>) -> Result<Packet, CaptureError> {
        let e = self.endian;
        let n = self.next_number;
        let b = &self.data[body.clone()];
        let err = |kind, offset: usize| CaptureError {
            kind,
            offset: offset as u64,
            frame: Some(n),
        };
        if b.len() < 20 {
            self.next_number += 1;
            return Err(err(CaptureErrorKind::BadPacketBlock, body.start));
        }
        let iface = match self.iface(u32::from(e.u16(&b[0..2]))) {
            Ok(i) => i,
            Err(k) => {
                self.next_number += 1;
                return Err(err(k, body.start));
            }
        };
        let ticks = (u64::from(e.u32(&b[4..8])) << 32) | u64::from(e.u32(&b[8..12]));
        let cap = e.u32(&b[12..16]) as usize;
        let orig = e.u32(&b[16..20]);
        if cap > b.len() - 20 {
            self.next_number += 1;
            return Err(err(CaptureErrorKind::BadPacketBlock, body.start + 12));
        }
        let data = body.start + 20;
        Ok(self.packet(data, data + cap, iface, ticks, orig))
    }
}

fn per_second(u: TsUnits) -> u64 {
    match u {
        TsUnits::Pow10(n) => 10u64.pow(u32::from(n)),
        TsUnits::Pow2(n) => 1u64 << n,
    }
}

impl Iterator for PacketReader {
    type Item = Result<Packet, CaptureError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.format {
            Format::Pcap => self.next_pcap(),
            Format::Pcapng => self.next_pcapng(),
        }
    }
}

impl std::iter::FusedIterator for PacketReader {}

#[cfg(test)]
mod tests {
    use super::*;

    // ---- builders ----

    fn u16b(be: bool, v: u16) -> [u8; 2] {
        if be {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }

    fn u32b(be: bool, v: u32) -> [u8; 4] {
        if be {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }

    /// A pcap global header.
    fn pcap_header(be: bool, nanos: bool, link: u32) -> Vec<u8> {
        let magic: u32 = if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
        let mut v = Vec::new();
        v.extend_from_slice(&u32b(be, magic));
        v.extend_from_slice(&u16b(be, 2));
        v.extend_from_slice(&u16b(be, 4));
        v.extend_from_slice(&u32b(be, 0)); // thiszone
        v.extend_from_slice(&u32b(be, 0)); // sigfigs
        v.extend_from_slice(&u32b(be, 65535)); // snaplen
        v.extend_from_slice(&u32b(be, link));
        v
    }

    fn pcap_record(v: &mut Vec<u8>, be: bool, secs: u32, frac: u32, data: &[u8], orig: u32) {
        v.extend_from_slice(&u32b(be, secs));
        v.extend_from_slice(&u32b(be, frac));
        v.extend_from_slice(&u32b(be, data.len() as u32));
        v.extend_from_slice(&u32b(be, orig));
        v.extend_from_slice(data);
    }

    /// A pcapng block: type, total length, body padded to 4, length again.
    fn block(be: bool, btype: u32, body: &[u8]) -> Vec<u8> {
        let padded = (body.len() + 3) & !3;
        let total = (12 + padded) as u32;
        let mut v = Vec::new();
        v.extend_from_slice(&u32b(be, btype));
        v.extend_from_slice(&u32b(be, total));
        v.extend_from_slice(body);
        v.resize(8 + padded, 0);
        v.extend_from_slice(&u32b(be, total));
        v
    }

    fn shb(be: bool) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(&u32b(be, PCAPNG_BOM));
        body.extend_from_slice(&u16b(be, 1));
        body.extend_from_slice(&u16b(be, 0));
        body.extend_from_slice(&u32b(be, u32::MAX)); // section length: unknown
        body.extend_from_slice(&u32b(be, u32::MAX));
        block(be, PCAPNG_SHB, &body)
    }

    /// An IDB; `options` are (code, value) pairs, ended by opt_endofopt.
    fn idb(be: bool, link: u16, snaplen: u32, options: &[(u16, &[u8])]) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(&u16b(be, link));
        body.extend_from_slice(&u16b(be, 0));
        body.extend_from_slice(&u32b(be, snaplen));
        for (code, value) in options {
            body.extend_from_slice(&u16b(be, *code));
            body.extend_from_slice(&u16b(be, value.len() as u16));
            body.extend_from_slice(value);
            body.resize((body.len() + 3) & !3, 0);
        }
        if !options.is_empty() {
            body.extend_from_slice(&[0; 4]);
        }
        block(be, 1, &body)
    }

    fn epb(be: bool, iface: u32, ticks: u64, data: &[u8], orig: u32) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(&u32b(be, iface));
        body.extend_from_slice(&u32b(be, (ticks >> 32) as u32));
        body.extend_from_slice(&u32b(be, ticks as u32));
        body.extend_from_slice(&u32b(be, data.len() as u32));
        body.extend_from_slice(&u32b(be, orig));
        body.extend_from_slice(data);
        block(be, 6, &body)
    }

    fn spb(be: bool, orig: u32, data: &[u8]) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(&u32b(be, orig));
        body.extend_from_slice(data);
        block(be, 3, &body)
    }

    fn opb(be: bool, iface: u16, ticks: u64, data: &[u8], orig: u32) -> Vec<u8> {
        let mut body = Vec::new();
        body.extend_from_slice(&u16b(be, iface));
        body.extend_from_slice(&u16b(be, 0)); // drops
        body.extend_from_slice(&u32b(be, (ticks >> 32) as u32));
        body.extend_from_slice(&u32b(be, ticks as u32));
        body.extend_from_slice(&u32b(be, data.len() as u32));
        body.extend_from_slice(&u32b(be, orig));
        body.extend_from_slice(data);
        block(be, 2, &body)
    }

    fn reader(file: &[u8]) -> PacketReader {
        PacketReader::new(Bytes::copy_from_slice(file)).expect("a capture")
    }

    fn all(file: &[u8]) -> Vec<Result<Packet, CaptureError>> {
        reader(file).collect()
    }

    fn ok(r: &Result<Packet, CaptureError>) -> &Packet {
        r.as_ref().expect("a packet")
    }

    fn err(r: &Result<Packet, CaptureError>) -> CaptureError {
        *r.as_ref().expect_err("an error")
    }

    fn ts(secs: u64, nanos: u32) -> Timestamp {
        Timestamp { secs, nanos }
    }

    fn new_err(file: &[u8]) -> CaptureError {
        PacketReader::new(Bytes::copy_from_slice(file)).expect_err("not a capture")
    }

    /// Asserts the walk yields exactly one error, after `packets` good
    /// packets, and that it ends there even though octets remain.
    fn fatal_after(file: &[u8], packets: usize) -> CaptureError {
        let mut r = reader(file);
        for _ in 0..packets {
            ok(&r.next().expect("a packet"));
        }
        let e = err(&r.next().expect("an error"));
        assert!(
            e.is_fatal(),
            "{e:?} ends the walk, so it must say it is fatal"
        );
        assert!(r.next().is_none(), "the walk ends after {e:?}");
        assert!(r.next().is_none());
        e
    }

    // ---- classic pcap ----

    #[test]
    fn pcap_big_endian_microseconds() {
        let mut f = pcap_header(true, false, 1);
        pcap_record(&mut f, true, 1_600_000_000, 250_000, b"abc", 3);
        pcap_record(&mut f, true, 1_600_000_001, 999_999, b"defg", 60);
        let r = reader(&f);
        assert_eq!(r.format(), Format::Pcap);
        let got = all(&f);
        assert_eq!(got.len(), 2);
        let (a, b) = (ok(&got[0]), ok(&got[1]));
        assert_eq!(a.number, 1);
        assert_eq!(a.file_offset, 40);
        assert_eq!(a.timestamp, ts(1_600_000_000, 250_000_000));
        assert_eq!(a.link, LinkType::ETHERNET);
        assert_eq!(&a.data[..], b"abc");
        assert!(!a.is_truncated());
        assert_eq!(b.number, 2);
        assert_eq!(b.file_offset, 40 + 3 + 16);
        assert_eq!(b.timestamp, ts(1_600_000_001, 999_999_000));
        assert_eq!(&b.data[..], b"defg");
        assert_eq!(b.orig_len, 60);
        assert!(b.is_truncated());
    }

    #[test]
    fn pcap_nanosecond_magic_in_both_orders() {
        for be in [false, true] {
            let mut f = pcap_header(be, true, 101);
            pcap_record(&mut f, be, 7, 123_456_789, b"x", 1);
            let got = all(&f);
            let p = ok(&got[0]);
            assert_eq!(p.timestamp, ts(7, 123_456_789), "big endian: {be}");
            assert_eq!(p.link, LinkType::RAW);
        }
    }

    #[test]
    fn pcap_little_endian_microseconds() {
        let mut f = pcap_header(false, false, 113);
        pcap_record(&mut f, false, 3, 1, b"x", 1);
        let got = all(&f);
        assert_eq!(ok(&got[0]).timestamp, ts(3, 1_000));
        assert_eq!(ok(&got[0]).link, LinkType::LINUX_SLL);
    }

    #[test]
    fn pcap_link_type_ignores_the_fcs_bits() {
        // libpcap's LT_FCS_DATALINK_EXT: FCS length (in 16-bit words) in
        // the top 4 bits, a presence flag at bit 26; the link type is the
        // low 16 bits (LT_LINKTYPE).
        let mut f = pcap_header(false, false, 0x2400_0001);
        pcap_record(&mut f, false, 0, 0, b"x", 1);
        assert_eq!(ok(&all(&f)[0]).link, LinkType::ETHERNET);
    }

    #[test]
    fn pcap_header_only_yields_nothing() {
        let f = pcap_header(false, false, 1);
        assert_eq!(f.len(), 24);
        let mut r = reader(&f);
        assert!(r.next().is_none());
        assert!(r.next().is_none());
    }

    #[test]
    fn not_a_capture() {
        for f in [
            &b""[..],
            b"\xd4\xc3",
            b"\x00\x01\x02\x03 and more",
            b"GIF89a",
        ] {
            let e = new_err(f);
            assert_eq!(e.kind, CaptureErrorKind::NotACapture, "{f:?}");
            assert_eq!(e.offset, 0);
            assert_eq!(e.frame, None);
            assert!(e.is_fatal());
        }
    }

    #[test]
    fn pcap_truncated_global_header() {
        let f = &pcap_header(true, false, 1)[..14];
        let e = new_err(f);
        assert_eq!(e.kind, CaptureErrorKind::Truncated);
        assert_eq!(e.offset, 14);
        assert!(e.is_fatal());
    }

    #[test]
    fn pcap_truncated_record_header() {
        let mut f = pcap_header(false, false, 1);
        pcap_record(&mut f, false, 0, 0, b"ab", 2);
        let full = f.len();
        pcap_record(&mut f, false, 0, 0, b"cd", 2);
        f.truncate(full + 10);
        let e = fatal_after(&f, 1);
        assert_eq!(e.kind, CaptureErrorKind::Truncated);
        assert_eq!(e.offset, f.len() as u64);
        assert_eq!(e.frame, Some(2));
    }

    #[test]
    fn pcap_record_past_end() {
        let mut f = pcap_header(false, false, 1);
        pcap_record(&mut f, false, 0, 0, b"ab", 2);
        let second = f.len();
        pcap_record(&mut f, false, 0, 0, b"cdef", 4);
        f.truncate(f.len() - 1);
        let e = fatal_after(&f, 1);
        assert_eq!(e.kind, CaptureErrorKind::RecordPastEnd);
        // The record's captured-length field.
        assert_eq!(e.offset, second as u64 + 8);
        assert_eq!(e.frame, Some(2));

        // A length that overflows when added to the offset.
        let mut f = pcap_header(false, false, 1);
        f.extend_from_slice(&[0; 8]);
        f.extend_from_slice(&u32::MAX.to_le_bytes());
        f.extend_from_slice(&u32::MAX.to_le_bytes());
        let e = fatal_after(&f, 0);
        assert_eq!(
            (e.kind, e.offset),
            (CaptureErrorKind::RecordPastEnd, 24 + 8)
        );
    }

    // ---- pcapng ----

    #[test]
    fn pcapng_big_endian_section_with_nanosecond_resolution() {
        let mut f = shb(true);
        f.extend(idb(true, 101, 0, &[(9, &[9])]));
        let at = f.len();
        f.extend(epb(true, 0, 1_600_000_000_123_456_789, b"hello", 5));
        let r = reader(&f);
        assert_eq!(r.format(), Format::Pcapng);
        let got = all(&f);
        assert_eq!(got.len(), 1);
        let p = ok(&got[0]);
        assert_eq!(p.number, 1);
        assert_eq!(p.link, LinkType::RAW);
        assert_eq!(p.timestamp, ts(1_600_000_000, 123_456_789));
        assert_eq!(p.file_offset, (at + 28) as u64);
        assert_eq!(&p.data[..], b"hello");
        assert!(!p.is_truncated());
    }

    #[test]
    fn pcapng_default_resolution_is_microseconds() {
        let mut f = shb(false);
        f.extend(idb(false, 1, 0, &[]));
        f.extend(epb(false, 0, 5_000_001, b"x", 1));
        assert_eq!(ok(&all(&f)[0]).timestamp, ts(5, 1_000));
    }

    #[test]
    fn pcapng_power_of_two_resolution_after_another_option() {
        // if_name "eth" (3 octets, padded to 4), then if_tsresol 2^-10.
        let mut f = shb(false);
        f.extend(idb(false, 1, 0, &[(2, b"eth"), (9, &[0x80 | 10])]));
        f.extend(epb(false, 0, 7 * 1024 + 256, b"x", 1));
        assert_eq!(ok(&all(&f)[0]).timestamp, ts(7, 250_000_000));
    }

    #[test]
    fn pcapng_timestamp_offset_in_either_byte_order() {
        for be in [false, true] {
            let off: i64 = 1_000_000_000;
            let v = if be {
                off.to_be_bytes()
            } else {
                off.to_le_bytes()
            };
            let mut f = shb(be);
            f.extend(idb(be, 1, 0, &[(14, &v)]));
            f.extend(epb(be, 0, 5_000_001, b"x", 1));
            assert_eq!(
                ok(&all(&f)[0]).timestamp,
                ts(1_000_000_005, 1_000),
                "be={be}"
            );
        }
        // A negative offset saturates at the epoch.
        let mut f = shb(false);
        f.extend(idb(false, 1, 0, &[(14, &(-10i64).to_le_bytes())]));
        f.extend(epb(false, 0, 5_000_001, b"x", 1));
        assert_eq!(ok(&all(&f)[0]).timestamp, ts(0, 1_000));
    }

    #[test]
    fn pcapng_coarse_and_fine_decimal_resolutions() {
        let mut f = shb(false);
        f.extend(idb(false, 1, 0, &[(9, &[3])])); // milliseconds
        f.extend(idb(false, 1, 0, &[(9, &[12])])); // picoseconds
        f.extend(epb(false, 0, 2_500, b"x", 1));
        f.extend(epb(false, 1, 3_000_000_000_007, b"y", 1));
        let got = all(&f);
        assert_eq!(ok(&got[0]).timestamp, ts(2, 500_000_000));
        assert_eq!(ok(&got[1]).timestamp, ts(3, 0));
    }

    #[test]
    fn pcapng_second_section_resets_interfaces() {
        let mut f = shb(false);
        f.extend(idb(false, 1, 0, &[]));
        f.extend(idb(false, 101, 0, &[]));
        f.extend(epb(false, 1, 0, b"a", 1));
        f.extend(shb(true));
        f.extend(idb(true, 0, 0, &[]));
        let stale = f.len();
        f.extend(epb(true, 1, 0, b"b", 1));
        f.extend(epb(true, 0, 0, b"c", 1));
        let got = all(&f);
        assert_eq!(got.len(), 3);
        let a = ok(&got[0]);
        assert_eq!((a.number, a.link), (1, LinkType::RAW));
        let e = err(&got[1]);
        assert_eq!(e.kind, CaptureErrorKind::UnknownInterface);
        assert_eq!(e.offset, (stale + 8) as u64);
        assert_eq!(e.frame, Some(2));
        assert!(!e.is_fatal());
        let c = ok(&got[2]);
        assert_eq!((c.number, c.link), (3, LinkType::NULL));
        assert_eq!(&c.data[..], b"c");
    }

    #[test]
    fn pcapng_simple_packet_block() {
        let mut f = shb(false);
        f.extend(idb(false, 1, 0, &[]));
        let at = f.len();
        f.extend(spb(false, 5, b"abcde")); // padded to 8 in the block
        let got = all(&f);
        let p = ok(&got[0]);
        assert_eq!(&p.data[..], b"abcde");
        assert_eq!(p.file_offset, (at + 12) as u64);
        assert_eq!(p.timestamp, Timestamp::default());
        assert!(!p.is_truncated());
    }

    #[test]
    fn pcapng_simple_packet_block_cut_by_the_snap_length() {
        // Captured length = min(original length, the interface's snap
        // length): the block's padding is not packet data.
        let mut f = shb(false);
        f.extend(idb(false, 1, 6, &[]));
        f.extend(spb(false, 100, b"abcdef")); // padded to 8
        let got = all(&f);
        let p = ok(&got[0]);
        assert_eq!(&p.data[..], b"abcdef");
        assert_eq!(p.orig_len, 100);
        assert!(p.is_truncated());
    }

    #[test]
    fn pcapng_simple_packet_block_without_an_interface() {
        let mut f = shb(false);
        f.extend(spb(false, 1, b"a"));
        let got = all(&f);
        assert_eq!(got.len(), 1);
        assert_eq!(err(&got[0]).kind, CaptureErrorKind::UnknownInterface);
    }

    #[test]
    fn pcapng_obsolete_packet_block() {
        let mut f = shb(true);
        f.extend(idb(true, 1, 0, &[]));
        f.extend(idb(true, 228, 0, &[(9, &[9])]));
        let at = f.len();
        f.extend(opb(true, 1, 4_000_000_005, b"xyz", 9));
        let got = all(&f);
        let p = ok(&got[0]);
        assert_eq!(p.link, LinkType::IPV4);
        assert_eq!(p.timestamp, ts(4, 5));
        assert_eq!(&p.data[..], b"xyz");
        assert_eq!(p.orig_len, 9);
        assert_eq!(p.file_offset, (at + 28) as u64);
    }

    #[test]
    fn pcapng_unknown_blocks_are_skipped() {
        let mut f = shb(false);
        f.extend(block(false, 0x0000_0BAD, b"whatever"));
        f.extend(idb(false, 1, 0, &[]));
        f.extend(block(false, 5, &[0; 12])); // interface statistics
        f.extend(block(false, 0x8000_0001, b"")); // custom, empty body
        f.extend(epb(false, 0, 0, b"a", 1));
        f.extend(block(false, 4, &[0; 8])); // name resolution
        let got = all(&f);
        assert_eq!(got.len(), 1);
        assert_eq!(ok(&got[0]).number, 1);
    }

    #[test]
    fn pcapng_section_header_only_yields_nothing() {
        assert!(all(&shb(false)).is_empty());
        assert!(all(&shb(true)).is_empty());
    }

    #[test]
    fn pcapng_truncated_block_header() {
        let mut f = shb(false);
        f.extend_from_slice(&[6, 0, 0, 0, 32, 0]);
        let e = fatal_after(&f, 0);
        assert_eq!(e.kind, CaptureErrorKind::Truncated);
        assert_eq!(e.offset, f.len() as u64);
        // The magic alone.
        let e = fatal_after(&[0x0a, 0x0d, 0x0d, 0x0a], 0);
        assert_eq!((e.kind, e.offset), (CaptureErrorKind::Truncated, 4));
    }

    #[test]
    fn pcapng_bad_block_lengths() {
        for bad in [0u32, 8, 13, 30] {
            let mut f = shb(false);
            f.extend(idb(false, 1, 0, &[]));
            f.extend(epb(false, 0, 0, b"a", 1));
            let at = f.len();
            f.extend(epb(false, 0, 0, b"b", 1));
            f[at + 4..at + 8].copy_from_slice(&bad.to_le_bytes());
            f.extend(epb(false, 0, 0, b"c", 1));
            let e = fatal_after(&f, 1);
            assert_eq!(e.kind, CaptureErrorKind::BadBlockLength, "length {bad}");
            assert_eq!(e.offset, (at + 4) as u64, "length {bad}");
        }
    }

    #[test]
    fn pcapng_trailing_length_mismatch() {
        let mut f = shb(false);
        f.extend(idb(false, 1, 0, &[]));
        let at = f.len();
        f.extend(epb(false, 0, 0, b"b", 1));
        let end = f.len();
        f[end - 4..end].copy_from_slice(&40u32.to_le_bytes());
        f.extend(epb(false, 0, 0, b"c", 1));
        let e = fatal_after(&f, 0);
        assert_eq!(e.kind, CaptureErrorKind::BadBlockLength);
        assert_eq!(e.offset, (end - 4) as u64);
        assert!(e.offset > at as u64);
    }

    #[test]
    fn pcapng_block_past_end() {
        let mut f = shb(false);
        f.extend(idb(false, 1, 0, &[]));
        let at = f.len();
        f.extend(epb(false, 0, 0, b"b", 1));
        f.truncate(f.len() - 4);
        let e = fatal_after(&f, 0);
        assert_eq!(e.kind, CaptureErrorKind::RecordPastEnd);
        assert_eq!(e.offset, (at + 4) as u64);
        // A length near usize::MAX does not wrap around.
        let mut f = shb(false);
        let at = f.len();
        f.extend_from_slice(&6u32.to_le_bytes());
        f.extend_from_slice(&0xffff_fffcu32.to_le_bytes());
        f.extend_from_slice(&[0; 8]);
        let e = fatal_after(&f, 0);
        assert_eq!(
            (e.kind, e.offset),
            (CaptureErrorKind::RecordPastEnd, (at + 4) as u64)
        );
    }

    #[test]
    fn pcapng_bad_byte_order_magic() {
        let mut f = shb(false);
        f[8..12].copy_from_slice(&[1, 2, 3, 4]);
        let e = fatal_after(&f, 0);
        assert_eq!((e.kind, e.offset), (CaptureErrorKind::BadByteOrderMagic, 8));

        let mut f = shb(false);
        f.extend(idb(false, 1, 0, &[]));
        f.extend(epb(false, 0, 0, b"a", 1));
        let at = f.len();
        f.extend(shb(true));
        f[at + 8..at + 12].copy_from_slice(&[0x4d, 0x3c, 0x2b, 0x00]);
        f.extend(idb(true, 1, 0, &[]));
        f.extend(epb(true, 0, 0, b"b", 1));
        let e = fatal_after(&f, 1);
        assert_eq!(e.kind, CaptureErrorKind::BadByteOrderMagic);
        assert_eq!(e.offset, (at + 8) as u64);
    }

    #[test]
    fn pcapng_truncated_interface_block_is_fatal() {
        let mut f = shb(false);
        let at = f.len();
        f.extend(block(false, 1, &[1, 0, 0, 0]));
        f.extend(idb(false, 1, 0, &[]));
        f.extend(epb(false, 0, 0, b"a", 1));
        let e = fatal_after(&f, 0);
        assert_eq!(
            (e.kind, e.offset),
            (CaptureErrorKind::Truncated, (at + 8) as u64)
        );
    }

    /// A packet block whose own fields do not fit in it: the block length
    /// is sound, so the next block is found and the walk goes on; the
    /// error must then not claim to be fatal.
    #[test]
    fn pcapng_damaged_packet_blocks_are_skipped() {
        let mut f = shb(false);
        f.extend(idb(false, 1, 0, &[]));
        // EPB whose captured length runs past its block.
        let a = f.len();
        let mut bad = epb(false, 0, 0, b"abcd", 4);
        bad[20..24].copy_from_slice(&5u32.to_le_bytes());
        f.extend(bad);
        // EPB too short for its fixed fields.
        let b = f.len();
        f.extend(block(false, 6, &[0; 16]));
        // Obsolete packet block whose captured length runs past it.
        let c = f.len();
        let mut bad = opb(false, 0, 0, b"abcd", 4);
        bad[20..24].copy_from_slice(&100u32.to_le_bytes());
        f.extend(bad);
        // SPB too short for its original length field.
        let d = f.len();
        f.extend(block(false, 3, &[]));
        f.extend(epb(false, 0, 0, b"ok", 2));
        let got = all(&f);
        assert_eq!(got.len(), 5);
        let offsets = [a + 8 + 12, b + 8, c + 8 + 12, d + 8];
        for (i, at) in offsets.into_iter().enumerate() {
            let e = err(&got[i]);
            assert!(!e.is_fatal(), "{e:?}: the walk goes on after it");
            assert_eq!(e.offset, at as u64, "{e:?}");
            assert_eq!(e.frame, Some(i as u64 + 1));
        }
        let p = ok(&got[4]);
        assert_eq!((p.number, &p.data[..]), (5, &b"ok"[..]));
    }

    #[test]
    fn pcapng_too_many_interfaces() {
        let mut f = shb(false);
        for _ in 0..MAX_INTERFACES {
            f.extend(idb(false, 1, 0, &[]));
        }
        let at = f.len();
        f.extend(idb(false, 101, 0, &[]));
        f.extend(epb(false, MAX_INTERFACES as u32, 0, b"lost", 4));
        f.extend(epb(false, MAX_INTERFACES as u32 - 1, 0, b"a", 1));
        let got = all(&f);
        assert_eq!(got.len(), 3);
        let e = err(&got[0]);
        assert_eq!(e.kind, CaptureErrorKind::TooManyInterfaces);
        assert_eq!(e.offset, (at + 8) as u64);
        assert!(!e.is_fatal());
        assert_eq!(err(&got[1]).kind, CaptureErrorKind::UnknownInterface);
        let p = ok(&got[2]);
        assert_eq!(
            (p.number, p.link, &p.data[..]),
            (2, LinkType::ETHERNET, &b"a"[..])
        );
    }

    #[test]
    fn timestamp_units_at_the_extremes() {
        assert_eq!(TsUnits::Pow10(0).split(5), ts(5, 0));
        assert_eq!(TsUnits::Pow10(19).split(u64::MAX), ts(1, 844_674_407));
        assert_eq!(TsUnits::Pow2(0).split(5), ts(5, 0));
        assert_eq!(TsUnits::Pow2(63).split(3 << 62), ts(1, 500_000_000));
        assert_eq!(TsUnits::Pow2(30).split((1 << 30) - 1), ts(0, 999_999_999));
        assert!(TsUnits::from_option(20).is_none());
        assert!(TsUnits::from_option(0x80 | 64).is_none());
    }
}
