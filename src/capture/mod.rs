//! Reading SIP messages out of packet captures (pcap and pcapng).
//!
//! [`CaptureReader`] walks a capture file and yields, in capture order, every
//! SIP message it finds ([`CaptureEvent::Message`]) and every problem met on
//! the way ([`CaptureEvent::Problem`]): a record the file cannot describe, a
//! packet cut short, a TCP segment the capture lost. Problems never stop the
//! walk except when the file itself can no longer be followed.
//!
//! The layers, from the bottom:
//! * `file`: pcap / pcapng records to packets, read with pcap-parser's
//!   streaming readers after this module has framed each record (so that a
//!   damaged one is placed at the field at fault);
//! * `layers`: link layer, IP (with fragment reassembly) and tunnels to
//!   UDP / TCP / SCTP segments;
//! * `tcp`: TCP reassembly per direction; `sctp`: SCTP messages from
//!   DATA chunk fragments;
//! * `websocket`: SIP over WebSocket (RFC 7118) inside TCP;
//! * this module: which payloads are SIP, and framing them with the
//!   library's own parser: a UDP datagram or SCTP message is one message
//!   (datagram semantics), a TCP direction is a stream cut by
//!   Content-Length with [`MessageDecoder`].
//!
//! Which traffic is SIP is decided by content, not by port (SIP runs on
//! 5060, 5080, 6060 and whatever else a deployment picks): a datagram is SIP
//! when its first line mentions `SIP/2.0`; a TCP direction becomes SIP at
//! the first line that is a SIP start line. After a framing error or a lost
//! segment, the stream is searched again for the next start line (a stream
//! parser cannot do this, the message boundaries being lost, but a capture
//! reader looking at history can, and loses nothing else).
//!
//! Memory: the capture is read as a stream ([`CaptureReader::from_read`]:
//! a file, a pipe, stdin) through pcap-parser's circular buffer of
//! [`CaptureOptions::buffer`] octets, so the file side holds that buffer and
//! the packet in hand whatever the capture's size. What waits (IP
//! fragments, out-of-order TCP segments, a stream's search for a start
//! line, SCTP fragments) is held up to a fixed bound per layer; what is
//! followed (a pending message per TCP direction, within the parser's
//! limits) grows at most linearly with the capture, for at most
//! [`MAX_FLOWS`] TCP directions and SCTP streams at once
//! (`tests/capture_alloc.rs` measures both).

pub(crate) mod file;
mod hep;
pub(crate) mod layers;
mod sctp;
mod tcp;
mod websocket;

pub use self::file::{Format, LinkType, Timestamp, DEFAULT_BUFFER, MIN_BUFFER};
pub use self::hep::{decode_hep, Hep, HepError};
pub use self::layers::LayerErrorKind;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;

use bytes::{Buf, Bytes, BytesMut};

use crate::validate::Transport;
use crate::{Limits, MessageDecoder, OwnedMessage, ParseError, ParseOptions};

use self::file::{Packet, PacketReader};
use self::layers::{Dissector, Proto, Segment};
use self::tcp::{StreamPiece, TcpReassembler};
use self::websocket::{WsDecoder, WsEvent};

/// How many TCP directions (and SCTP streams with a message in pieces) are
/// followed at once; a new one past it is reported and ignored.
pub const MAX_FLOWS: usize = 65_536;

/// The longest line kept while searching a TCP stream for a SIP start line:
/// the parser's default start-line limit.
const MAX_HUNT_LINE: usize = 8 * 1024;

/// How a [`CaptureReader`] reads a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CaptureOptions {
    /// The read buffer, in octets: the memory the file side of the reader
    /// holds, and the largest record it reads (a larger one is skipped and
    /// reported as [`CaptureErrorKind::RecordTooLarge`]). Raised to
    /// [`MIN_BUFFER`]; [`DEFAULT_BUFFER`] by default.
    pub buffer: usize,
    /// The parser's limits for every message framed (datagrams, WebSocket
    /// and HEP messages, streams): [`Limits::DEFAULT`] by default, whose
    /// 64 KiB message size a large body can pass (the rule table's grammar
    /// notes: configurable up to about 1 MiB).
    pub limits: Limits,
}

impl Default for CaptureOptions {
    fn default() -> Self {
        CaptureOptions {
            buffer: DEFAULT_BUFFER,
            limits: Limits::DEFAULT,
        }
    }
}

impl CaptureOptions {
    /// With a read buffer of `octets`.
    pub fn buffer(mut self, octets: usize) -> Self {
        self.buffer = octets;
        self
    }

    /// With these parser limits for the messages framed (capped as
    /// [`ParseOptions::with_limits`] caps them).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

/// A problem in a capture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at file offset {offset}{}", frame.map(|f| format!(" (packet {f})")).unwrap_or_default())]
pub struct CaptureError {
    /// What is wrong.
    pub kind: CaptureErrorKind,
    /// Offset in the capture file where it was found: the field at fault
    /// in a record or block header, the end of the file when the file ends
    /// early, the header at fault inside a packet, and for stream problems
    /// the start of the packet that revealed it.
    pub offset: u64,
    /// The packet it concerns, from 1, when there is one.
    pub frame: Option<u64>,
}

impl CaptureError {
    /// True when the file cannot be read past this point.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self.kind,
            CaptureErrorKind::NotACapture
                | CaptureErrorKind::Read
                | CaptureErrorKind::Truncated
                | CaptureErrorKind::RecordPastEnd
                | CaptureErrorKind::BadBlockLength
                | CaptureErrorKind::BadByteOrderMagic
        )
    }
}

/// The kinds of [`CaptureError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureErrorKind {
    /// The file starts with neither a pcap nor a pcapng magic number.
    #[error("not a pcap or pcapng file")]
    NotACapture,
    /// Reading the capture's source failed (an I/O error); the walk ends.
    #[error("reading the capture failed")]
    Read,
    /// A record is larger than the read buffer
    /// ([`CaptureOptions::buffer`]); it was read past and dropped.
    #[error("record larger than the read buffer")]
    RecordTooLarge,
    /// The file ends inside a record header.
    #[error("file ends inside a record")]
    Truncated,
    /// A record's length runs past the end of the file.
    #[error("record length runs past the end of the file")]
    RecordPastEnd,
    /// A pcapng block length is too small, not a multiple of 4, or differs
    /// from the trailing copy.
    #[error("bad pcapng block length")]
    BadBlockLength,
    /// A pcapng section header's byte-order magic is neither order.
    #[error("bad pcapng byte-order magic")]
    BadByteOrderMagic,
    /// A pcapng packet block is too short for its own fields, or its
    /// captured length runs past the block. The block's length is sound,
    /// so only this packet is lost and the walk goes on.
    #[error("pcapng packet block damaged")]
    BadPacketBlock,
    /// More pcapng interfaces than the reader keeps (4 096 per section).
    #[error("too many pcapng interfaces")]
    TooManyInterfaces,
    /// A packet names an interface its section did not describe.
    #[error("packet names an undescribed interface")]
    UnknownInterface,
    /// A packet's link type is not one this reader decodes.
    #[error("unsupported link type {0}")]
    UnsupportedLinkType(u32),
    /// The capture kept fewer octets of a packet than it had (snapshot
    /// length), and SIP may have been in the part cut off.
    #[error("packet cut by the capture's snapshot length")]
    SnapLength,
    /// A packet's headers are damaged.
    #[error("packet headers: {0:?}")]
    Layer(LayerErrorKind),
    /// The capture lost octets of a TCP stream.
    #[error("{missing} octets of the TCP stream were not captured")]
    StreamGap {
        /// How many.
        missing: u64,
    },
    /// Octets of a SIP stream that were not framed as a message were
    /// skipped while looking for the next start line: junk between
    /// messages, or the rest of a message that failed to frame (reported
    /// itself as a message error).
    #[error("{octets} octets of the stream skipped before the next SIP message")]
    Skipped {
        /// How many.
        octets: u64,
    },
    /// A WebSocket connection broke RFC 6455 framing, or a message exceeded
    /// the size kept; the connection is no longer followed.
    #[error("WebSocket framing broken or message too large")]
    WebSocket,
    /// A compressed WebSocket message (permessage-deflate, RFC 7692) that
    /// does not inflate, most often because the capture began after the
    /// connection: its messages refer to earlier ones the capture lacks.
    /// That message is lost; the connection is still followed.
    #[error("compressed WebSocket message cannot be inflated (the capture lacks the connection's earlier messages, or it is corrupt)")]
    WebSocketInflate,
    /// An SCTP stream's waiting fragments grew too large or too many
    /// (a message of 1 MiB, 1 024 pieces); they were dropped.
    #[error("SCTP message too large")]
    SctpTooLarge,
    /// Too many flows followed at once.
    #[error("too many concurrent flows")]
    TooManyFlows,
    /// A HEP packet (recognised by its content) that cannot be read; the
    /// message it carried is lost.
    #[error("{0}")]
    Hep(HepError),
    /// A TLS connection to or from the SIPS port (5061): the SIP in it is
    /// encrypted and cannot be read from the capture (reported once, at
    /// the client's handshake).
    #[error("TLS connection on the SIPS port: its SIP is encrypted and not read")]
    Encrypted,
}

impl CaptureErrorKind {
    /// A stable kebab-case id for the kind (`"stream-gap"`), for machine
    /// output; the detail is in its `Display`.
    pub fn id(&self) -> &'static str {
        match self {
            CaptureErrorKind::Read => "read",
            CaptureErrorKind::RecordTooLarge => "record-too-large",
            CaptureErrorKind::NotACapture => "not-a-capture",
            CaptureErrorKind::Truncated => "truncated",
            CaptureErrorKind::RecordPastEnd => "record-past-end",
            CaptureErrorKind::BadBlockLength => "bad-block-length",
            CaptureErrorKind::BadByteOrderMagic => "bad-byte-order-magic",
            CaptureErrorKind::BadPacketBlock => "bad-packet-block",
            CaptureErrorKind::TooManyInterfaces => "too-many-interfaces",
            CaptureErrorKind::UnknownInterface => "unknown-interface",
            CaptureErrorKind::UnsupportedLinkType(_) => "unsupported-link-type",
            CaptureErrorKind::SnapLength => "snap-length",
            CaptureErrorKind::Layer(LayerErrorKind::Truncated) => "headers-truncated",
            CaptureErrorKind::Layer(LayerErrorKind::BadIpHeader) => "bad-ip-header",
            CaptureErrorKind::Layer(LayerErrorKind::TooDeep) => "encapsulation-too-deep",
            CaptureErrorKind::Layer(LayerErrorKind::FragmentDropped) => "fragment-dropped",
            CaptureErrorKind::StreamGap { .. } => "stream-gap",
            CaptureErrorKind::Skipped { .. } => "skipped",
            CaptureErrorKind::WebSocket => "websocket",
            CaptureErrorKind::WebSocketInflate => "websocket-inflate",
            CaptureErrorKind::SctpTooLarge => "sctp-too-large",
            CaptureErrorKind::TooManyFlows => "too-many-flows",
            CaptureErrorKind::Hep(HepError::BadChunk) => "hep-bad-chunk",
            CaptureErrorKind::Hep(HepError::Incomplete) => "hep-incomplete",
            CaptureErrorKind::Hep(HepError::Compressed) => "hep-compressed",
            CaptureErrorKind::Encrypted => "tls-encrypted",
        }
    }
}

/// One SIP message found in a capture.
#[derive(Clone, Debug)]
pub struct CapturedMessage {
    /// The packet that completed the message, from 1.
    pub frame: u64,
    /// That packet's capture time.
    pub timestamp: Timestamp,
    /// The transport it was carried on.
    pub transport: Transport,
    /// Sender.
    pub src: SocketAddr,
    /// Receiver.
    pub dst: SocketAddr,
    /// On TCP and WebSocket: the offset of the message's first octet in its
    /// direction's byte stream (TCP payload octets; on WebSocket, the first
    /// octet of the message's first frame); `None` on datagrams.
    pub stream_offset: Option<u64>,
    /// The message, or why its octets could not be framed. On a datagram
    /// error offsets are within the datagram; on a stream, within the
    /// octets from `stream_offset` on.
    pub message: Result<OwnedMessage, ParseError>,
}

/// What a [`CaptureReader`] yields.
#[derive(Clone, Debug)]
pub enum CaptureEvent {
    /// A SIP message (or a message-shaped run of octets that failed to
    /// frame). Boxed: a parsed message's spans make it large.
    Message(Box<CapturedMessage>),
    /// A problem with the capture itself.
    Problem(CaptureError),
}

/// The key of one direction of a TCP connection or one SCTP stream.
type FlowKey = (SocketAddr, SocketAddr, u16);

/// Reads SIP messages out of a pcap or pcapng file. See the module docs.
#[derive(Debug)]
pub struct CaptureReader {
    packets: PacketReader,
    dissector: Dissector,
    /// TCP directions being followed; a direction is forgotten when its
    /// connection closes (FIN or RST with nothing held out of order).
    flows: HashMap<FlowKey, TcpFlow>,
    /// The parser's limits ([`CaptureOptions::limits`]).
    limits: Limits,
    /// How many directions have been started (their order, so that the
    /// end-of-capture flush is deterministic).
    flows_started: u64,
    sctp: HashMap<FlowKey, sctp::Assembler>,
    unsupported: Vec<u32>,
    queue: VecDeque<CaptureEvent>,
    finished: bool,
}

impl CaptureReader {
    /// Starts reading a capture file held in memory.
    pub fn new(data: Bytes) -> Result<Self, CaptureError> {
        Ok(Self::with_packets(
            PacketReader::new(data)?,
            CaptureOptions::default(),
        ))
    }

    /// [`CaptureReader::new`] with `options` (their limits: the file is in
    /// memory already).
    pub fn with_options(data: Bytes, options: CaptureOptions) -> Result<Self, CaptureError> {
        Ok(Self::with_packets(PacketReader::new(data)?, options))
    }

    /// Starts reading a capture from a file, a pipe or stdin, as a stream:
    /// packets are read as they are needed, and what is held is bounded by
    /// `options`, not by the size of the capture. Reads the file header (or
    /// pcapng's first block) at once: a source that is not a capture is
    /// refused here ([`CaptureErrorKind::NotACapture`]).
    pub fn from_read<R: std::io::Read + Send + 'static>(
        source: R,
        options: CaptureOptions,
    ) -> Result<Self, CaptureError> {
        let packets = PacketReader::from_read(Box::new(source), options.buffer)?;
        Ok(Self::with_packets(packets, options))
    }

    /// The container being read.
    pub fn format(&self) -> Format {
        self.packets.format()
    }

    fn with_packets(packets: PacketReader, options: CaptureOptions) -> Self {
        CaptureReader {
            packets,
            limits: options.limits,
            dissector: Dissector::new(),
            flows: HashMap::new(),
            flows_started: 0,
            sctp: HashMap::new(),
            unsupported: Vec::new(),
            queue: VecDeque::new(),
            finished: false,
        }
    }

    fn problem(&mut self, kind: CaptureErrorKind, offset: u64, frame: Option<u64>) {
        self.queue.push_back(CaptureEvent::Problem(CaptureError {
            kind,
            offset,
            frame,
        }));
    }

    fn packet(&mut self, p: Packet) {
        // A cut packet's lengths run past what was kept: the layers go on
        // with what is there, so a datagram cut short is still parsed (and
        // its parse error says where it ends).
        let decoded = self.dissector.decode_cut(p.link, &p.data, p.is_truncated());
        if decoded.unsupported_link {
            // Once per link type, not once per packet.
            if !self.unsupported.contains(&p.link.0) && self.unsupported.len() < 64 {
                self.unsupported.push(p.link.0);
                self.problem(
                    CaptureErrorKind::UnsupportedLinkType(p.link.0),
                    p.file_offset,
                    Some(p.number),
                );
            }
            return;
        }
        for e in &decoded.errors {
            // A header cut short in a packet the snapshot length cut is the
            // snapshot length's doing.
            let kind = if p.is_truncated() && e.kind == LayerErrorKind::Truncated {
                CaptureErrorKind::SnapLength
            } else {
                CaptureErrorKind::Layer(e.kind)
            };
            self.problem(kind, p.file_offset + e.offset as u64, Some(p.number));
        }
        for seg in decoded.segments {
            self.segment(&p, seg);
        }
    }

    fn segment(&mut self, p: &Packet, seg: Segment) {
        let at = Here {
            frame: p.number,
            timestamp: p.timestamp,
            offset: p.file_offset,
            src: seg.src,
            dst: seg.dst,
            limits: self.limits,
        };
        match seg.proto {
            Proto::Udp => self.datagram(&at, Transport::Udp, seg.payload),
            Proto::Sctp {
                stream,
                tsn,
                begin,
                end,
            } => {
                let key = (seg.src, seg.dst, stream);
                let fragment = !(begin && end);
                if fragment && !self.sctp.contains_key(&key) && self.sctp.len() >= MAX_FLOWS {
                    // Drop streams with nothing waiting before refusing.
                    self.sctp.retain(|_, a| !a.is_empty());
                    if self.sctp.len() >= MAX_FLOWS {
                        return self.problem(
                            CaptureErrorKind::TooManyFlows,
                            at.offset,
                            Some(at.frame),
                        );
                    }
                }
                let assembled = if !fragment {
                    sctp::Assembled::Message(seg.payload)
                } else {
                    self.sctp
                        .entry(key)
                        .or_default()
                        .piece(tsn, begin, end, seg.payload)
                };
                match assembled {
                    sctp::Assembled::Pending => {}
                    sctp::Assembled::Message(m) => self.datagram(&at, Transport::Sctp, m),
                    sctp::Assembled::Overflow => {
                        self.problem(CaptureErrorKind::SctpTooLarge, at.offset, Some(at.frame))
                    }
                }
            }
            Proto::Tcp { seq, syn, fin, rst } => {
                let key = (seg.src, seg.dst, 0);
                if !self.flows.contains_key(&key) {
                    if seg.payload.is_empty() && !syn {
                        return; // a bare ACK of a connection not followed
                    }
                    if self.flows.len() >= MAX_FLOWS {
                        return self.problem(
                            CaptureErrorKind::TooManyFlows,
                            at.offset,
                            Some(at.frame),
                        );
                    }
                    let flow = TcpFlow::new(seg.src, seg.dst, self.flows_started);
                    self.flows_started += 1;
                    self.flows.insert(key, flow);
                }
                let Some(flow) = self.flows.get_mut(&key) else {
                    return;
                };
                if !seg.payload.is_empty() {
                    // Octets held out of order are delivered later (or at
                    // the end of the capture, after a gap): what they
                    // complete belongs to the latest packet that brought
                    // data, not to the last one that was delivered.
                    flow.last_frame = at.frame;
                    flow.last_time = at.timestamp;
                    flow.last_offset = at.offset;
                }
                let mut pieces = Vec::new();
                if syn {
                    // A new connection on the same addresses starts over.
                    flow.finish(&at, &mut self.queue);
                    flow.reasm.syn(seq);
                    flow.reasm
                        .segment(seq.wrapping_add(1), seg.payload, &mut pieces);
                } else {
                    flow.reasm.segment(seq, seg.payload, &mut pieces);
                }
                for piece in pieces {
                    flow.piece(&at, piece, &mut self.queue);
                }
                if (fin || rst) && flow.reasm.is_idle() {
                    flow.finish(&at, &mut self.queue);
                    // Closed: no longer followed, and no longer counted
                    // against MAX_FLOWS.
                    self.flows.remove(&key);
                }
            }
        }
    }

    /// A UDP datagram or SCTP message: one SIP message when it looks like
    /// one; keep-alives (CRLFs) and other traffic are passed over. (When the
    /// snapshot length cut it, the layers have said so.)
    fn datagram(&mut self, at: &Here, transport: Transport, payload: Bytes) {
        // HEP, from a capture agent to a collector: the message inside is
        // placed where the agent saw it.
        if let Some(hep) = decode_hep(&payload) {
            match hep {
                Ok(h) if h.is_sip() => {
                    let m = h.into_message_with(at.frame, at.timestamp, &at.datagram_options());
                    self.queue.push_back(CaptureEvent::Message(Box::new(m)));
                }
                Ok(_) => {} // RTCP reports, logs and the like
                Err(e) => self.problem(CaptureErrorKind::Hep(e), at.offset, Some(at.frame)),
            }
            return;
        }
        // (Keep-alives have no `SIP/2.0`: they are passed over here too.)
        if !looks_like_sip(&payload) {
            return;
        }
        let message = OwnedMessage::parse_with(payload, &at.datagram_options());
        self.queue.push_back(at.message(transport, None, message));
    }

    /// The end of the capture: every stream's pending octets are settled.
    fn finish(&mut self) {
        let limits = self.limits;
        let at_end = |f: &TcpFlow| Here {
            frame: f.last_frame,
            timestamp: f.last_time,
            offset: f.last_offset,
            src: f.src,
            dst: f.dst,
            limits,
        };
        let mut flows: Vec<TcpFlow> = self.flows.drain().map(|(_, f)| f).collect();
        flows.sort_by_key(|f| f.order);
        for flow in &mut flows {
            let at = at_end(flow);
            let mut pieces = Vec::new();
            flow.reasm.finish(&mut pieces);
            for piece in pieces {
                flow.piece(&at, piece, &mut self.queue);
            }
            flow.finish(&at, &mut self.queue);
        }
    }
}

impl Iterator for CaptureReader {
    type Item = CaptureEvent;

    fn next(&mut self) -> Option<CaptureEvent> {
        loop {
            if let Some(e) = self.queue.pop_front() {
                return Some(e);
            }
            if self.finished {
                return None;
            }
            match self.packets.next() {
                Some(Ok(p)) => self.packet(p),
                Some(Err(e)) => self.queue.push_back(CaptureEvent::Problem(e)),
                None => {
                    self.finished = true;
                    self.finish();
                }
            }
        }
    }
}

impl std::iter::FusedIterator for CaptureReader {}

/// Where an event happened.
struct Here {
    frame: u64,
    timestamp: Timestamp,
    offset: u64,
    src: SocketAddr,
    dst: SocketAddr,
    /// The parser's limits, for the messages framed here.
    limits: Limits,
}

impl Here {
    /// One message per buffer, with the reader's limits.
    fn datagram_options(&self) -> ParseOptions {
        ParseOptions::datagram().with_limits(self.limits)
    }

    fn message(
        &self,
        transport: Transport,
        stream_offset: Option<u64>,
        message: Result<OwnedMessage, ParseError>,
    ) -> CaptureEvent {
        CaptureEvent::Message(Box::new(CapturedMessage {
            frame: self.frame,
            timestamp: self.timestamp,
            transport,
            src: self.src,
            dst: self.dst,
            stream_offset,
            message,
        }))
    }

    fn problem(&self, kind: CaptureErrorKind) -> CaptureEvent {
        CaptureEvent::Problem(CaptureError {
            kind,
            offset: self.offset,
            frame: Some(self.frame),
        })
    }
}

/// Does a stream start with a TLS handshake record (RFC 8446 §5.1:
/// content type 22, legacy version 3.x with x ≤ 4, a length within the
/// record limit of 2^14 + 2048)?
fn is_tls_record(b: &[u8]) -> bool {
    match b {
        [22, 3, minor, hi, lo, ..] => {
            *minor <= 4 && (1..=16_384 + 2_048).contains(&u16::from_be_bytes([*hi, *lo]))
        }
        _ => false,
    }
}

/// Does a datagram look like SIP: does its first line (within the parser's
/// start-line limit) mention a SIP version (`SIP/2.0`, or another, in any
/// case: see [`sip_version_len`])? Catches junk before a start line, and
/// a wrong version, which the parser and the rules then report, while RTP,
/// STUN and the like pass by.
fn looks_like_sip(payload: &[u8]) -> bool {
    let head = &payload[..payload.len().min(MAX_HUNT_LINE)];
    let line = match memchr::memchr(b'\n', head) {
        Some(i) => &head[..i],
        None => head,
    };
    memchr::memchr_iter(b'/', line)
        .any(|slash| slash >= 3 && sip_version_len(&line[slash - 3..]).is_some())
}

/// The length of the SIP version at the start of `s`: `SIP/` in any case,
/// then `1*DIGIT "." 1*DIGIT` (RFC 3261 §25.1 `SIP-Version`, whose `SIP`
/// is case-insensitive). The capture reader takes a message with another
/// version than `SIP/2.0` as SIP too, so that `sip-version-not-2-0` and
/// `sip-version-not-uppercase` can report it: node's `sip` package sends
/// `SIP/3.0 200 OK` back to a request that said `SIP/3.0`.
fn sip_version_len(s: &[u8]) -> Option<usize> {
    if !s.get(..4)?.eq_ignore_ascii_case(b"SIP/") {
        return None;
    }
    let digits = |from: usize| {
        s.get(from..)
            .map_or(0, |t| t.iter().take_while(|b| b.is_ascii_digit()).count())
    };
    let major = digits(4);
    if major == 0 || s.get(4 + major) != Some(&b'.') {
        return None;
    }
    let minor = digits(5 + major);
    (minor > 0).then_some(5 + major + minor)
}

/// True when `b` holds nothing but CR and LF octets (keep-alives, or
/// nothing at all).
fn only_line_ends(b: &[u8]) -> bool {
    b.iter().all(|&c| c == b'\r' || c == b'\n')
}

/// Is `line` (without its line end) a SIP start line: a SIP version (see
/// [`sip_version_len`]) and a space, then a status, or `METHOD SP
/// Request-URI SP` and a SIP version?
fn is_start_line(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if sip_version_len(line).is_some_and(|n| line.get(n) == Some(&b' ')) {
        return true;
    }
    let Some(sp) = memchr::memrchr(b' ', line) else {
        return false;
    };
    if sip_version_len(&line[sp + 1..]) != Some(line.len() - sp - 1) {
        return false;
    }
    let rest = &line[..sp];
    let method_len = rest
        .iter()
        .position(|&b| !crate::lex::is_token(b))
        .unwrap_or(rest.len());
    method_len > 0 && rest.get(method_len) == Some(&b' ') && rest.len() > method_len + 1
}

/// What a TCP direction is carrying, as far as we know.
#[derive(Debug)]
enum Mode {
    /// Looking for a SIP start line (or a WebSocket upgrade).
    Hunting,
    /// Framing SIP messages; the decoder started at this stream offset.
    Sip(Box<MessageDecoder>, u64),
    /// Inside a WebSocket connection; the decoder started at this stream
    /// offset.
    WebSocket(WsDecoder, u64),
    /// A HEP connection (an agent sending to a collector over TCP): HEP3
    /// packets one after another, each cut by its length field.
    Hep,
    /// A TLS connection (it began with a TLS handshake record): nothing in
    /// it can be read without keys, so its octets are dropped unread.
    Encrypted,
}

/// One direction of a TCP connection.
#[derive(Debug)]
struct TcpFlow {
    src: SocketAddr,
    dst: SocketAddr,
    /// When it started, among the directions of the capture.
    order: u64,
    reasm: TcpReassembler,
    mode: Mode,
    /// Octets received and not yet consumed.
    buf: BytesMut,
    /// Stream offset of `buf[0]` (payload octets since the flow began).
    pos: u64,
    /// Has this direction carried SIP (so that skipped octets matter)?
    seen_sip: bool,
    /// Is it a WebSocket connection (so that the hunt looks for frames)?
    websocket: bool,
    /// Octets skipped and not yet reported.
    skipped: u64,
    /// The latest packet that brought this direction data: what the end of
    /// the capture settles is placed there.
    last_frame: u64,
    last_time: Timestamp,
    last_offset: u64,
}

impl TcpFlow {
    fn new(src: SocketAddr, dst: SocketAddr, order: u64) -> Self {
        TcpFlow {
            src,
            dst,
            order,
            reasm: TcpReassembler::new(),
            mode: Mode::Hunting,
            buf: BytesMut::new(),
            pos: 0,
            seen_sip: false,
            websocket: false,
            skipped: 0,
            last_frame: 0,
            last_time: Timestamp::default(),
            last_offset: 0,
        }
    }

    fn consume(&mut self, n: usize) {
        self.buf.advance(n);
        self.pos += n as u64;
    }

    fn piece(&mut self, at: &Here, piece: StreamPiece, q: &mut VecDeque<CaptureEvent>) {
        self.last_frame = at.frame;
        self.last_time = at.timestamp;
        self.last_offset = at.offset;
        match piece {
            StreamPiece::Data(d) => {
                // A segment that starts a WebSocket frame carrying SIP,
                // after octets that led nowhere (a capture begun inside a
                // frame): those octets are the end of an unseen frame, and
                // framing starts at this segment.
                if matches!(self.mode, Mode::Hunting)
                    && !self.websocket
                    && !self.buf.is_empty()
                    && websocket::sip_frame_at(&d) == Some(true)
                {
                    let n = self.buf.len();
                    self.skip(n);
                    self.report_skipped(at, q);
                }
                self.buf.extend_from_slice(&d);
                self.run(at, q);
            }
            StreamPiece::Gap { missing } => {
                if self.seen_sip {
                    q.push_back(at.problem(CaptureErrorKind::StreamGap { missing }));
                }
                self.cut(at, q);
                self.pos += missing;
            }
        }
    }

    /// The stream breaks here (a gap or its end): a message in progress is
    /// reported as cut short, and the search for a start line begins again.
    fn cut(&mut self, at: &Here, q: &mut VecDeque<CaptureEvent>) {
        match &mut self.mode {
            Mode::Sip(dec, _) => {
                // `run` took every whole message: what is held is a message
                // cut in its head or its body, which the decoder tells (or
                // only line ends, a clean end). Our offsets count from the
                // message's start.
                loop {
                    let held = self.buf.len();
                    match dec.decode_eof(&mut self.buf) {
                        // Not reached: `run` decodes after every piece.
                        Ok(Some(m)) => {
                            let len = m.bytes().len();
                            q.push_back(at.message(Transport::Tcp, Some(self.pos), Ok(m)));
                            self.pos += len as u64;
                            continue;
                        }
                        Ok(None) => {}
                        Err(e) => {
                            let e = ParseError::new(e.kind(), held);
                            q.push_back(at.message(Transport::Tcp, Some(self.pos), Err(e)));
                        }
                    }
                    // The decoder consumed what was held.
                    self.pos += held as u64;
                    break;
                }
            }
            // An incomplete line kept while hunting is lost too.
            Mode::Hunting => self.skip(self.buf.len()),
            Mode::WebSocket(..) | Mode::Hep | Mode::Encrypted => {}
        }
        self.report_skipped(at, q);
        let n = self.buf.len();
        self.consume(n);
        // WebSocket frame boundaries are lost with the octets too. A TLS
        // connection stays one.
        if !matches!(self.mode, Mode::Encrypted) {
            self.mode = Mode::Hunting;
        }
        self.websocket = false;
    }

    fn report_skipped(&mut self, at: &Here, q: &mut VecDeque<CaptureEvent>) {
        if self.skipped > 0 {
            q.push_back(at.problem(CaptureErrorKind::Skipped {
                octets: self.skipped,
            }));
            self.skipped = 0;
        }
    }

    fn finish(&mut self, at: &Here, q: &mut VecDeque<CaptureEvent>) {
        self.cut(at, q);
        self.reasm = TcpReassembler::new();
        self.pos = 0;
        // The next connection on these addresses starts afresh.
        self.mode = Mode::Hunting;
    }

    /// Frames whatever the buffered octets allow.
    fn run(&mut self, at: &Here, q: &mut VecDeque<CaptureEvent>) {
        loop {
            match &mut self.mode {
                Mode::Hunting => {
                    if !self.hunt(at, q) {
                        return;
                    }
                }
                Mode::Sip(dec, base) => {
                    match dec.decode_message(&mut self.buf) {
                        Ok(Some(m)) => {
                            // The decoder consumed any keep-alives before
                            // the message, then the message.
                            self.pos = *base + dec.stream_offset() as u64;
                            let len = m.bytes().len() as u64;
                            q.push_back(at.message(Transport::Tcp, Some(self.pos - len), Ok(m)));
                            // The next message must begin with a start
                            // line: octets that do not are skipped (and
                            // counted), not taken for a broken message.
                            self.mode = Mode::Hunting;
                        }
                        Ok(None) => return,
                        Err(e) => {
                            // The decoder leaves the failed message in the
                            // buffer; its offsets count from the decoder's
                            // start, ours from the message's.
                            self.pos = *base + dec.stream_offset() as u64;
                            let e = ParseError::new(
                                e.kind(),
                                e.offset().saturating_sub(dec.stream_offset()),
                            );
                            q.push_back(at.message(Transport::Tcp, Some(self.pos), Err(e)));
                            // Drop the start line that failed and look for
                            // the next message.
                            let skip =
                                memchr::memchr(b'\n', &self.buf).map_or(self.buf.len(), |i| i + 1);
                            self.consume(skip);
                            self.mode = Mode::Hunting;
                        }
                    }
                }
                Mode::Encrypted => {
                    let n = self.buf.len();
                    self.consume(n);
                    return;
                }
                Mode::Hep => {
                    let Some(head) = self.buf.get(..6) else {
                        return;
                    };
                    let total = usize::from(u16::from_be_bytes([head[4], head[5]]));
                    if !head.starts_with(b"HEP3") || total < 6 {
                        // Lost the packet boundaries: look for SIP again.
                        q.push_back(at.problem(CaptureErrorKind::Hep(HepError::BadChunk)));
                        self.mode = Mode::Hunting;
                        continue;
                    }
                    if self.buf.len() < total {
                        return;
                    }
                    let packet = self.buf.split_to(total).freeze();
                    self.pos += total as u64;
                    match decode_hep(&packet) {
                        Some(Ok(h)) if h.is_sip() => {
                            let m =
                                h.into_message_with(at.frame, at.timestamp, &at.datagram_options());
                            q.push_back(CaptureEvent::Message(Box::new(m)));
                        }
                        Some(Ok(_)) => {}
                        Some(Err(e)) => q.push_back(at.problem(CaptureErrorKind::Hep(e))),
                        None => q.push_back(at.problem(CaptureErrorKind::Hep(HepError::BadChunk))),
                    }
                }
                Mode::WebSocket(ws, base) => {
                    let event = ws.decode(&mut self.buf);
                    // The decoder consumes the buffer itself.
                    self.pos = *base + ws.consumed();
                    match event {
                        Some(WsEvent::Message(m)) => {
                            // WebSocket carries other protocols too (the
                            // subprotocol is only negotiated in the
                            // upgrade): the same test as for a datagram.
                            if looks_like_sip(&m) {
                                let message = OwnedMessage::parse_with(m, &at.datagram_options());
                                let offset = *base + ws.message_start();
                                q.push_back(at.message(Transport::Ws, Some(offset), message));
                            }
                        }
                        Some(WsEvent::TooLarge | WsEvent::Invalid) => {
                            q.push_back(at.problem(CaptureErrorKind::WebSocket));
                        }
                        Some(WsEvent::Undecodable) => {
                            q.push_back(at.problem(CaptureErrorKind::WebSocketInflate));
                        }
                        None => return,
                    }
                }
            }
        }
    }

    /// Looks for a SIP start line (or a WebSocket upgrade) in the buffer.
    /// Returns true when the mode changed and framing can go on.
    fn hunt(&mut self, at: &Here, q: &mut VecDeque<CaptureEvent>) -> bool {
        // A WebSocket upgrade is only looked for at the very start of the
        // direction, where HTTP puts it.
        let http = self.buf.starts_with(b"GET ") || self.buf.starts_with(b"HTTP/1.1 101");
        if self.pos == 0 && !self.websocket && http {
            match websocket::upgrade_head(&self.buf) {
                Some(n) => {
                    self.consume(n);
                    self.websocket = true;
                    self.mode = Mode::WebSocket(WsDecoder::new(), self.pos);
                    return true;
                }
                None if memchr::memmem::find(&self.buf, b"\r\n\r\n").is_none()
                    && self.buf.len() < MAX_HUNT_LINE =>
                {
                    return false; // the HTTP head is not complete yet
                }
                None => {}
            }
        }
        // HEP over TCP is recognised at the start of the direction.
        if self.pos == 0 && self.buf.starts_with(b"HEP3") {
            self.mode = Mode::Hep;
            return true;
        }
        // So is TLS. Its octets are never hunted through; a client's
        // handshake on the SIPS port (RFC 3261 §19.1.2: 5061) is reported
        // once, so that an audit of encrypted signalling does not end in
        // "0 responses" without a word.
        if self.pos == 0 && is_tls_record(&self.buf) {
            if self.buf.get(5) == Some(&1) && (self.src.port() == 5061 || self.dst.port() == 5061) {
                q.push_back(at.problem(CaptureErrorKind::Encrypted));
            }
            self.mode = Mode::Encrypted;
            return true;
        }
        // WebSocket frames without the upgrade: a capture that began after
        // it, or a stream picked up again after a gap.
        if !self.websocket {
            match websocket::sip_frame_at(&self.buf) {
                Some(true) => {
                    self.websocket = true;
                    self.mode = Mode::WebSocket(WsDecoder::late(), self.pos);
                    return true;
                }
                None => return false,
                Some(false) => {}
            }
        }
        let mut line_start = 0;
        while let Some(nl) = memchr::memchr(b'\n', &self.buf[line_start..]) {
            let line = &self.buf[line_start..line_start + nl];
            if is_start_line(line) {
                self.skip(line_start);
                self.report_skipped(at, q);
                self.seen_sip = true;
                self.mode = Mode::Sip(
                    Box::new(MessageDecoder::new(
                        ParseOptions::stream().with_limits(at.limits),
                    )),
                    self.pos,
                );
                return true;
            }
            line_start += nl + 1;
        }
        // Keep the incomplete last line, unless it is already too long to
        // be a start line.
        let keep_from = if self.buf.len() - line_start > MAX_HUNT_LINE {
            self.buf.len()
        } else {
            line_start
        };
        self.skip(keep_from);
        false
    }

    /// Drops `n` octets found outside any message; on a SIP stream they are
    /// counted (keep-alive CRLFs aside) to be reported once.
    fn skip(&mut self, n: usize) {
        if self.seen_sip && !only_line_ends(&self.buf[..n]) {
            self.skipped += n as u64;
        }
        self.consume(n);
    }
}

#[cfg(test)]
mod tests {
    use super::{is_start_line, looks_like_sip, sip_version_len};

    /// Any SIP version in any case is SIP to the capture reader (the rules
    /// report it); anything else is not.
    #[test]
    fn sip_versions_and_start_lines() {
        for (s, n) in [
            (&b"SIP/2.0 200 OK"[..], Some(7)),
            (b"sip/2.0", Some(7)),
            (b"SIP/3.0 200", Some(7)),
            (b"SIP/10.25x", Some(9)),
            (b"SIP/2", None),
            (b"SIP/.0", None),
            (b"SIP/2.", None),
            (b"SIP 2.0", None),
            (b"HTTP/1.1", None),
            (b"SI", None),
        ] {
            assert_eq!(sip_version_len(s), n, "{}", String::from_utf8_lossy(s));
        }
        for line in [
            &b"SIP/2.0 200 OK"[..],
            b"SIP/3.0 200 OK\r",
            b"sip/2.0 100 Trying",
            b"OPTIONS sip:a@b SIP/2.0",
            b"OPTIONS sip:a@b SIP/3.0\r",
            b"INVITE sip:a@b sip/2.0",
        ] {
            assert!(is_start_line(line), "{}", String::from_utf8_lossy(line));
            assert!(looks_like_sip(line), "{}", String::from_utf8_lossy(line));
        }
        for line in [
            &b"SIP/2.0"[..],
            b"HTTP/1.1 200 OK",
            b"OPTIONS SIP/2.0",
            b"OPTIONS sip:a@b SIP/2.0x",
            b" sip:a@b SIP/2.0",
            b"GET / HTTP/1.1",
        ] {
            assert!(!is_start_line(line), "{}", String::from_utf8_lossy(line));
        }
        assert!(looks_like_sip(b"junk SIP/2.0 200 OK\r\n"));
        assert!(!looks_like_sip(b"\x80\x00RTP/SIP\r\nSIP/2.0 200 OK"));
        assert!(!looks_like_sip(b"GET / HTTP/1.1\r\n"));
    }
}
