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

/// A pcapng interface: its link type and timestamp unit.
#[derive(Clone, Copy, Debug)]
struct Interface {
    link: LinkType,
    /// Timestamp units per second.
    units: TsUnits,
    /// pcapng: the most octets of a packet kept (0: no limit).
    snaplen: u32,
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
        let magic = data.get(..4).ok_or(CaptureError {
            kind: CaptureErrorKind::NotACapture,
            offset: 0,
            frame: None,
        })?;
        let magic = [magic[0], magic[1], magic[2], magic[3]];
        let pcap = |endian, nanos| (Format::Pcap, endian, nanos);
        let (format, endian, nanos) = match magic {
            [0xd4, 0xc3, 0xb2, 0xa1] => pcap(Endian::Little, false),
            [0xa1, 0xb2, 0xc3, 0xd4] => pcap(Endian::Big, false),
            [0x4d, 0x3c, 0xb2, 0xa1] => pcap(Endian::Little, true),
            [0xa1, 0xb2, 0x3c, 0x4d] => pcap(Endian::Big, true),
            [0x0a, 0x0d, 0x0d, 0x0a] => (Format::Pcapng, Endian::Little, false),
            _ => {
                return Err(CaptureError {
                    kind: CaptureErrorKind::NotACapture,
                    offset: 0,
                    frame: None,
                })
            }
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
            return self.fail(CaptureErrorKind::RecordPastEnd, start);
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
            timestamp: iface.units.split(ticks),
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
            o = v + ((len + 3) & !3);
        }
        self.interfaces.push(Interface {
            link,
            units,
            snaplen,
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
        let iface = self.iface(0).map_err(|k| fail(k));
        let iface = match iface {
            Ok(i) => i,
            Err(x) => {
                self.next_number += 1;
                return Err(x);
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
