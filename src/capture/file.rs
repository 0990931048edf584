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

use std::io::Read as _;

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
    /// PPP: a protocol field, optionally after `FF 03` (RFC 1661).
    pub const PPP: LinkType = LinkType(9);
    /// PPP in HDLC-like framing (RFC 1662).
    pub const PPP_HDLC: LinkType = LinkType(50);
    /// PPPoE without its Ethernet header (RFC 2516).
    pub const PPP_ETHER: LinkType = LinkType(51);
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
    /// Later by `micros` microseconds (carrying whole seconds over).
    pub(crate) fn plus_micros(self, micros: u32) -> Timestamp {
        let nanos = u64::from(self.nanos) + u64::from(micros) * 1_000;
        Timestamp {
            secs: self.secs.saturating_add(nanos / 1_000_000_000),
            nanos: (nanos % 1_000_000_000) as u32,
        }
    }

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
pub(crate) struct Packet {
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
    pub(crate) fn is_truncated(&self) -> bool {
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
    /// (pcap in either byte order, micro- or nanosecond, or "modified";
    /// pcapng); `None` for anything else.
    pub fn detect(bytes: &[u8]) -> Option<Format> {
        magic(bytes).map(|m| m.format)
    }
}

/// What a magic number says of the file: the container, the byte order,
/// (pcap) nanosecond timestamps, and the length of a pcap record header.
#[derive(Clone, Copy)]
struct Magic {
    format: Format,
    endian: Endian,
    nanos: bool,
    /// 16 octets, or 24 in the "modified" pcap format of Alexey
    /// Kuznetsov's patched libpcap (magic `0xa1b2cd34`), whose records add
    /// an interface index, a protocol and a packet type that nothing here
    /// needs. Old Linux tools wrote it; TShark and pcap-parser read it
    /// (little-endian only, as here).
    record_head: usize,
}

/// What the magic number at the start of `bytes` says. A pcapng section's
/// byte order is read later, from its header.
fn magic(bytes: &[u8]) -> Option<Magic> {
    let pcap = |endian, nanos, record_head| {
        Some(Magic {
            format: Format::Pcap,
            endian,
            nanos,
            record_head,
        })
    };
    match bytes.get(..4)? {
        [0xd4, 0xc3, 0xb2, 0xa1] => pcap(Endian::Little, false, 16),
        [0xa1, 0xb2, 0xc3, 0xd4] => pcap(Endian::Big, false, 16),
        [0x4d, 0x3c, 0xb2, 0xa1] => pcap(Endian::Little, true, 16),
        [0xa1, 0xb2, 0x3c, 0x4d] => pcap(Endian::Big, true, 16),
        [0x34, 0xcd, 0xb2, 0xa1] => pcap(Endian::Little, false, 24),
        [0x0a, 0x0d, 0x0d, 0x0a] => Some(Magic {
            format: Format::Pcapng,
            endian: Endian::Little,
            nanos: false,
            record_head: 0,
        }),
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

/// The read buffer a capture is streamed through unless told otherwise: it
/// holds at least one whole record, so it also bounds the largest record
/// read (a larger one is skipped and reported).
pub const DEFAULT_BUFFER: usize = 1024 * 1024;

/// The smallest read buffer accepted (a smaller request is raised to it).
pub const MIN_BUFFER: usize = 4096;

const PCAPNG_SHB: u32 = 0x0A0D_0D0A;
const PCAPNG_BOM: u32 = 0x1A2B_3C4D;

/// A byte source the reader streams from.
pub(crate) type Source = Box<dyn std::io::Read + Send>;

/// pcap-parser's streaming reader, whichever the container.
type Inner = Box<dyn pcap_parser::traits::PcapReaderIterator + Send>;

/// What the head of the buffered octets holds.
enum Head {
    /// Not even a whole record header yet.
    More,
    /// A record header that cannot be trusted: its offset from the head.
    Bad(CaptureErrorKind, usize),
    /// A record of this many octets, of this pcapng block type (0 for pcap).
    Record { len: usize, btype: u32 },
}

/// Iterates over the packets of a pcap or pcapng capture, read as a stream
/// from any [`std::io::Read`] through pcap-parser's circular buffer: memory
/// is the buffer (fixed when the reader is made) and the packet being
/// handed out, whatever the size of the capture.
///
/// This reader frames every record itself before pcap-parser decodes it,
/// so that a damaged record is placed at the field at fault: an error
/// after which the next record cannot be found
/// ([`CaptureError::is_fatal`]) is yielded once, and the walk stops there.
/// A pcapng packet that cannot be used inside a sound block (an undescribed
/// interface, a damaged packet block) is yielded as an error and the walk
/// goes on. Records of pcapng block types it does not know are skipped, as
/// the format asks; a record larger than the buffer is skipped and
/// reported.
pub(crate) struct PacketReader {
    /// `None` after a fatal error met while starting (yielded first).
    inner: Option<Inner>,
    capacity: usize,
    format: Format,
    endian: Endian,
    /// Classic pcap: the one link type and timestamp unit of the file.
    pcap_iface: Interface,
    /// pcapng: the interfaces of the current section.
    interfaces: Vec<Interface>,
    /// Classic pcap: the length of a record header ([`Magic::record_head`]).
    record_head: usize,
    next_number: u64,
    /// An error to yield before anything else (a broken first block).
    pending: Option<CaptureError>,
    done: bool,
}

impl std::fmt::Debug for PacketReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PacketReader")
            .field("format", &self.format)
            .field("capacity", &self.capacity)
            .field("next_number", &self.next_number)
            .finish_non_exhaustive()
    }
}

/// Reads until `buf` holds `want` octets or the source ends; read errors
/// other than interruptions end it too (returned).
fn read_up_to(r: &mut Source, buf: &mut Vec<u8>, want: usize) -> std::io::Result<()> {
    while buf.len() < want {
        let at = buf.len();
        buf.resize(want, 0);
        match r.read(&mut buf[at..]) {
            Ok(0) => {
                buf.truncate(at);
                return Ok(());
            }
            Ok(n) => buf.truncate(at + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => buf.truncate(at),
            Err(e) => {
                buf.truncate(at);
                return Err(e);
            }
        }
    }
    Ok(())
}

/// A source that retries interrupted reads, since pcap-parser takes any
/// read error as the end.
struct Retrying(Source);

impl std::io::Read for Retrying {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            match self.0.read(buf) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => return other,
            }
        }
    }
}

impl PacketReader {
    /// Starts reading a capture held in memory.
    pub(crate) fn new(data: Bytes) -> Result<Self, CaptureError> {
        let capacity = data.len().clamp(MIN_BUFFER, DEFAULT_BUFFER);
        Self::from_read(Box::new(std::io::Cursor::new(data)), capacity)
    }

    /// Starts reading a capture from `source` through a buffer of
    /// `capacity` octets (at least [`MIN_BUFFER`]). Reads the file header
    /// (pcap) or the first block (pcapng) at once; a source that is not a
    /// capture is refused here.
    pub(crate) fn from_read(mut source: Source, capacity: usize) -> Result<Self, CaptureError> {
        let capacity = capacity.max(MIN_BUFFER);
        let start_err = |kind, offset: usize| CaptureError {
            kind,
            offset: offset as u64,
            frame: None,
        };
        let mut head = Vec::new();
        read_up_to(&mut source, &mut head, 4).map_err(|_| start_err(CaptureErrorKind::Read, 0))?;
        let Some(Magic {
            format,
            endian,
            nanos,
            record_head,
        }) = magic(&head)
        else {
            return Err(start_err(CaptureErrorKind::NotACapture, 0));
        };
        let mut reader = PacketReader {
            inner: None,
            capacity,
            format,
            endian,
            pcap_iface: Interface {
                link: LinkType::ETHERNET,
                units: TsUnits::Pow10(if nanos { 9 } else { 6 }),
                snaplen: 0,
                ts_offset: 0,
            },
            interfaces: Vec::new(),
            record_head,
            next_number: 1,
            pending: None,
            done: false,
        };
        let read_err = |head: &Vec<u8>| start_err(CaptureErrorKind::Read, head.len());
        match format {
            Format::Pcap => {
                read_up_to(&mut source, &mut head, 24).map_err(|_| read_err(&head))?;
                if head.len() < 24 {
                    return Err(start_err(CaptureErrorKind::Truncated, head.len()));
                }
                // Bytes 20..24 hold the link type in their low 16 bits; the
                // upper half carries the FCS length and its presence flag
                // (bit 26) in newer files, which we do not need (libpcap's
                // LT_LINKTYPE).
                reader.pcap_iface.link = LinkType(endian.u32(&head[20..24]) & 0xffff);
            }
            Format::Pcapng => {
                // The first block whole, so that pcap-parser's reader
                // starts on a sound section header; a broken one is
                // yielded by the first `next`, like any later one.
                read_up_to(&mut source, &mut head, 12).map_err(|_| read_err(&head))?;
                let mut endian = reader.endian;
                let problem = match frame_pcapng(&head, &mut endian) {
                    Head::More => Some((CaptureErrorKind::Truncated, head.len())),
                    Head::Bad(kind, at) => Some((kind, at)),
                    Head::Record { len, .. } if len > capacity => {
                        Some((CaptureErrorKind::RecordTooLarge, 4))
                    }
                    Head::Record { len, .. } => {
                        read_up_to(&mut source, &mut head, len).map_err(|_| read_err(&head))?;
                        if head.len() < len {
                            Some((CaptureErrorKind::RecordPastEnd, 4))
                        } else if endian.u32(&head[len - 4..len]) as usize != len {
                            Some((CaptureErrorKind::BadBlockLength, len - 4))
                        } else {
                            None
                        }
                    }
                };
                reader.endian = endian;
                if let Some((kind, at)) = problem {
                    reader.pending = Some(CaptureError {
                        kind,
                        offset: at as u64,
                        frame: Some(1),
                    });
                    return Ok(reader);
                }
            }
        }
        let stream = Retrying(Box::new(std::io::Cursor::new(head).chain(source)));
        let inner: Result<Inner, _> = match format {
            Format::Pcap => {
                pcap_parser::LegacyPcapReader::new(capacity, stream).map(|r| Box::new(r) as Inner)
            }
            Format::Pcapng => {
                pcap_parser::PcapNGReader::new(capacity, stream).map(|r| Box::new(r) as Inner)
            }
        };
        match inner {
            Ok(mut inner) => {
                if format == Format::Pcap {
                    // pcap-parser hands out the file header first.
                    if let Ok((n, _)) = inner.next() {
                        inner.consume(n);
                    }
                }
                reader.inner = Some(inner);
            }
            Err(_) => {
                // A section header pcap-parser cannot read although its
                // framing is sound (a body too short for its fields).
                reader.pending = Some(CaptureError {
                    kind: CaptureErrorKind::BadBlockLength,
                    offset: 4,
                    frame: Some(1),
                });
            }
        }
        Ok(reader)
    }

    /// The container format.
    pub(crate) fn format(&self) -> Format {
        self.format
    }

    fn fail(
        &mut self,
        kind: CaptureErrorKind,
        offset: u64,
    ) -> Option<Result<Packet, CaptureError>> {
        self.done = true;
        Some(Err(CaptureError {
            kind,
            offset,
            frame: Some(self.next_number),
        }))
    }

    /// The next packet (or problem), reading more of the source as needed.
    fn next_record(&mut self) -> Option<Result<Packet, CaptureError>> {
        let mut inner = self.inner.take()?;
        let r = self.next_record_in(&mut inner);
        if !self.done {
            self.inner = Some(inner);
        }
        r
    }

    fn next_record_in(&mut self, inner: &mut Inner) -> Option<Result<Packet, CaptureError>> {
        loop {
            let data = inner.data();
            let base = inner.consumed() as u64;
            let head = match self.format {
                Format::Pcap => frame_pcap(data, self.endian, self.record_head),
                Format::Pcapng => frame_pcapng(data, &mut self.endian),
            };
            let (len, btype) = match head {
                Head::More if inner.reader_exhausted() => {
                    if data.is_empty() {
                        self.done = true;
                        return None;
                    }
                    let end = base + data.len() as u64;
                    return self.fail(CaptureErrorKind::Truncated, end);
                }
                Head::More => {
                    if inner.refill().is_err() {
                        let end = base + inner.data().len() as u64;
                        return self.fail(CaptureErrorKind::Read, end);
                    }
                    continue;
                }
                Head::Bad(kind, at) => return self.fail(kind, base + at as u64),
                Head::Record { len, btype } => (len, btype),
            };
            // The record's length field, where a record running past the
            // end is placed.
            let length_field = base + if self.format == Format::Pcap { 8 } else { 4 };
            if len > data.len() {
                if inner.reader_exhausted() {
                    return self.fail(CaptureErrorKind::RecordPastEnd, length_field);
                }
                if len > self.capacity {
                    return self.skip_record(inner, len, btype, length_field);
                }
                if inner.refill().is_err() {
                    let end = base + inner.data().len() as u64;
                    return self.fail(CaptureErrorKind::Read, end);
                }
                continue;
            }
            if self.format == Format::Pcapng && self.endian.u32(&data[len - 4..len]) as usize != len
            {
                return self.fail(CaptureErrorKind::BadBlockLength, base + len as u64 - 4);
            }
            let result = match self.format {
                Format::Pcap => Some(self.pcap_record(inner, base)),
                Format::Pcapng => self.pcapng_block(inner, base, len, btype),
            };
            if self.done {
                return result;
            }
            inner.consume(len);
            if result.is_some() {
                return result;
            }
        }
    }

    /// A record larger than the buffer: its octets are read and dropped
    /// (reported), or the end of the source is a record past the end.
    fn skip_record(
        &mut self,
        inner: &mut Inner,
        len: usize,
        btype: u32,
        length_field: u64,
    ) -> Option<Result<Packet, CaptureError>> {
        let mut left = len;
        loop {
            let n = inner.data().len().min(left);
            inner.consume(n);
            left -= n;
            if left == 0 {
                break;
            }
            if inner.refill().is_err() {
                return self.fail(CaptureErrorKind::Read, length_field);
            }
            if inner.data().is_empty() && inner.reader_exhausted() {
                return self.fail(CaptureErrorKind::RecordPastEnd, length_field);
            }
        }
        let frame = self.next_number;
        if self.format == Format::Pcap || matches!(btype, 2 | 3 | 6) {
            self.next_number += 1;
        }
        Some(Err(CaptureError {
            kind: CaptureErrorKind::RecordTooLarge,
            offset: length_field,
            frame: Some(frame),
        }))
    }

    fn pcap_record(&mut self, inner: &mut Inner, base: u64) -> Result<Packet, CaptureError> {
        let number = self.next_number;
        self.next_number += 1;
        let iface = self.pcap_iface;
        match inner.next() {
            Ok((_, pcap_parser::PcapBlockOwned::Legacy(b))) => {
                let ticks = u64::from(b.ts_sec) * per_second(iface.units) + u64::from(b.ts_usec);
                let data_at = base + self.record_head as u64;
                Ok(packet(number, data_at, iface, ticks, b.origlen, b.data))
            }
            // Framed above, so pcap-parser reads it; should it not, the
            // record is lost, not the walk.
            _ => Err(CaptureError {
                kind: CaptureErrorKind::BadPacketBlock,
                offset: base + 8,
                frame: Some(number),
            }),
        }
    }

    /// One whole, soundly framed pcapng block at the head of the buffer.
    /// `None` when it holds no packet (the walk goes on).
    fn pcapng_block(
        &mut self,
        inner: &mut Inner,
        base: u64,
        len: usize,
        btype: u32,
    ) -> Option<Result<Packet, CaptureError>> {
        use pcap_parser::{Block, PcapBlockOwned};
        let e = self.endian;
        let body_at = base + 8;
        let body_len = len - 12;
        let n = self.next_number;
        let err = |kind, offset: u64| CaptureError {
            kind,
            offset,
            frame: Some(n),
        };
        match btype {
            PCAPNG_SHB => {
                // pcap-parser learns the section's byte order from it.
                self.interfaces.clear();
                if inner.next().is_err() {
                    return self.fail(CaptureErrorKind::BadBlockLength, base + 4);
                }
                None
            }
            1 => {
                if body_len < 8 {
                    return self.fail(CaptureErrorKind::Truncated, body_at);
                }
                if self.interfaces.len() >= MAX_INTERFACES {
                    // Interfaces past the cap are not kept, and numbering
                    // stays right for those before it: packets naming one
                    // are reported (UnknownInterface) and the walk goes on.
                    return Some(Err(CaptureError {
                        kind: CaptureErrorKind::TooManyInterfaces,
                        offset: body_at,
                        frame: None,
                    }));
                }
                let iface = match inner.next() {
                    Ok((_, PcapBlockOwned::NG(Block::InterfaceDescription(idb)))) => Interface {
                        link: LinkType(idb.linktype.0 as u32 & 0xffff),
                        units: TsUnits::from_option(idb.if_tsresol).unwrap_or(TsUnits::Pow10(6)),
                        snaplen: idb.snaplen,
                        // Read here: one 64-bit value in the section's
                        // byte order (pcap-parser swaps the halves of a
                        // big-endian one).
                        ts_offset: idb
                            .options
                            .iter()
                            .find(|o| o.code == pcap_parser::OptionCode::IfTsoffset)
                            .and_then(|o| o.as_bytes().ok())
                            .and_then(|v| <[u8; 8]>::try_from(v).ok())
                            .map_or(0, |v| match e {
                                Endian::Little => i64::from_le_bytes(v),
                                Endian::Big => i64::from_be_bytes(v),
                            }),
                    },
                    // Options pcap-parser cannot follow: the fixed fields
                    // are enough.
                    _ => {
                        let b = &inner.data()[8..16];
                        Interface {
                            link: LinkType(u32::from(e.u16(&b[0..2]))),
                            units: TsUnits::Pow10(6),
                            snaplen: e.u32(&b[4..8]),
                            ts_offset: 0,
                        }
                    }
                };
                self.interfaces.push(iface);
                None
            }
            6 | 2 => {
                // Enhanced (6) and the obsolete Packet Block (2): interface
                // (32 or 16 bits), 64-bit timestamp, lengths, data.
                self.next_number += 1;
                let b = &inner.data()[8..len - 4];
                if b.len() < 20 {
                    return Some(Err(err(CaptureErrorKind::BadPacketBlock, body_at)));
                }
                let id = if btype == 6 {
                    e.u32(&b[0..4])
                } else {
                    u32::from(e.u16(&b[0..2]))
                };
                let iface = match self.iface(id) {
                    Ok(i) => i,
                    Err(k) => return Some(Err(err(k, body_at))),
                };
                let ticks = (u64::from(e.u32(&b[4..8])) << 32) | u64::from(e.u32(&b[8..12]));
                let cap = e.u32(&b[12..16]) as usize;
                let orig = e.u32(&b[16..20]);
                if cap > b.len() - 20 {
                    return Some(Err(err(CaptureErrorKind::BadPacketBlock, body_at + 12)));
                }
                if btype == 2 {
                    // pcap-parser has no decoder for the obsolete block.
                    let data = &b[20..20 + cap];
                    return Some(Ok(packet(n, body_at + 20, iface, ticks, orig, data)));
                }
                match inner.next() {
                    Ok((_, PcapBlockOwned::NG(Block::EnhancedPacket(epb)))) => {
                        let data = &epb.data[..(epb.caplen as usize).min(epb.data.len())];
                        Some(Ok(packet(n, body_at + 20, iface, ticks, orig, data)))
                    }
                    _ => Some(Err(err(CaptureErrorKind::BadPacketBlock, body_at))),
                }
            }
            3 => {
                // Simple Packet Block: interface 0, no timestamp; the
                // captured length is the original length, cut to the
                // interface's snap length (the block pads the data to 4
                // octets, so what it holds may be longer).
                self.next_number += 1;
                if body_len < 4 {
                    return Some(Err(err(CaptureErrorKind::BadPacketBlock, body_at)));
                }
                let iface = match self.iface(0) {
                    Ok(i) => i,
                    Err(k) => return Some(Err(err(k, body_at))),
                };
                match inner.next() {
                    Ok((_, PcapBlockOwned::NG(Block::SimplePacket(spb)))) => {
                        let mut len = (spb.origlen as usize).min(spb.data.len());
                        if iface.snaplen != 0 {
                            len = len.min(iface.snaplen as usize);
                        }
                        let mut p = packet(n, body_at + 4, iface, 0, spb.origlen, &spb.data[..len]);
                        p.timestamp = Timestamp::default();
                        Some(Ok(p))
                    }
                    _ => Some(Err(err(CaptureErrorKind::BadPacketBlock, body_at))),
                }
            }
            _ => None,
        }
    }

    fn iface(&self, id: u32) -> Result<Interface, CaptureErrorKind> {
        self.interfaces
            .get(id as usize)
            .copied()
            .ok_or(CaptureErrorKind::UnknownInterface)
    }
}

/// A packet copied out of the read buffer.
fn packet(
    number: u64,
    file_offset: u64,
    iface: Interface,
    ticks: u64,
    orig: u32,
    data: &[u8],
) -> Packet {
    Packet {
        number,
        file_offset,
        timestamp: iface.units.split(ticks).offset_by(iface.ts_offset),
        link: iface.link,
        data: Bytes::copy_from_slice(data),
        orig_len: orig.max(data.len().min(u32::MAX as usize) as u32),
    }
}

/// Frames the pcap record at the head of `data`.
fn frame_pcap(data: &[u8], e: Endian, record_head: usize) -> Head {
    let Some(rec) = data.get(..record_head) else {
        return Head::More;
    };
    let incl = e.u32(&rec[8..12]) as usize;
    Head::Record {
        len: record_head.saturating_add(incl),
        btype: 0,
    }
}

/// Frames the pcapng block at the head of `data`; a section header sets
/// `endian` (its type reads the same both ways).
fn frame_pcapng(data: &[u8], endian: &mut Endian) -> Head {
    let Some(head) = data.get(..12) else {
        return Head::More;
    };
    let raw_type = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    if raw_type == PCAPNG_SHB {
        *endian = match Endian::Little.u32(&head[8..12]) {
            PCAPNG_BOM => Endian::Little,
            v if v.swap_bytes() == PCAPNG_BOM => Endian::Big,
            _ => return Head::Bad(CaptureErrorKind::BadByteOrderMagic, 8),
        };
    }
    let e = *endian;
    let btype = e.u32(&head[0..4]);
    let blen = e.u32(&head[4..8]) as usize;
    if blen < 12 || !blen.is_multiple_of(4) {
        return Head::Bad(CaptureErrorKind::BadBlockLength, 4);
    }
    Head::Record { len: blen, btype }
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
        if let Some(e) = self.pending.take() {
            self.done = true;
            return Some(Err(e));
        }
        if self.done {
            return None;
        }
        self.next_record()
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

    /// The "modified" pcap format (magic `0xa1b2cd34`): each record
    /// header carries 8 more octets (interface index, protocol, packet
    /// type, padding), skipped; the packets are those of the same file in
    /// the standard format. Found in a public capture TShark reads.
    #[test]
    fn pcap_modified_format_records() {
        let mut f = pcap_header(false, false, 1);
        f[..4].copy_from_slice(&0xa1b2_cd34u32.to_le_bytes());
        for (secs, data) in [(5u32, &b"first"[..]), (6, b"second packet")] {
            let mut rec = Vec::new();
            pcap_record(&mut rec, false, secs, 250, data, data.len() as u32 + 4);
            // The extra fields go after the standard 16 octets.
            let extra = [2, 0, 0, 0, 0x00, 0x08, 4, 0];
            rec.splice(16..16, extra);
            f.extend_from_slice(&rec);
        }
        assert_eq!(Format::detect(&f), Some(Format::Pcap));
        let got = all(&f);
        assert_eq!(got.len(), 2, "{got:?}");
        let (a, b) = (ok(&got[0]), ok(&got[1]));
        assert_eq!((&a.data[..], a.timestamp), (&b"first"[..], ts(5, 250_000)));
        assert_eq!(&b.data[..], b"second packet");
        assert!(b.is_truncated());
        assert_eq!(a.link, LinkType::ETHERNET);
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
