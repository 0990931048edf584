//! WebSocket (RFC 6455) framing, enough to follow SIP over WebSocket
//! (RFC 7118) in a capture: the HTTP upgrade is recognised, frames are cut
//! and unmasked, fragmented messages are joined, and compressed messages
//! (permessage-deflate, RFC 7692, which browsers offer by default) are
//! inflated. Each text or binary message is one SIP message (RFC 7118 §5).

use bytes::{Buf, Bytes, BytesMut};
use flate2::{Decompress, FlushDecompress, Status};

/// The largest WebSocket message kept; a longer one is reported and
/// skipped. Far above any SIP message (the parser's own default limit on a
/// message is 64 KiB).
pub(super) const MAX_MESSAGE: usize = 1024 * 1024;

/// Is `head` (the start of a TCP direction) an HTTP request or response
/// that upgrades the connection to WebSocket? Returns the length of the
/// HTTP head (through its blank line) when it is.
pub(super) fn upgrade_head(head: &[u8]) -> Option<usize> {
    let end = memchr::memmem::find(head, b"\r\n\r\n")? + 4;
    let h = &head[..end];
    let first_line_end = memchr::memchr(b'\n', h)?;
    let first = &h[..first_line_end];
    let is_get = first.starts_with(b"GET ") && first.ends_with(b"HTTP/1.1\r");
    let is_101 = first.starts_with(b"HTTP/1.1 101");
    if !(is_get || is_101) {
        return None;
    }
    let lower: Vec<u8> = h.to_ascii_lowercase();
    memchr::memmem::find(&lower, b"upgrade: websocket")
        .or_else(|| memchr::memmem::find(&lower, b"upgrade:websocket"))?;
    Some(end)
}

/// Does `buf` begin with a WebSocket frame that opens an uncompressed text
/// or binary message whose payload starts with a SIP start line? How a
/// direction is recognised as SIP over WebSocket when the capture began
/// after its upgrade (long-lived connections, as browsers keep, often are
/// older than the capture), or picks up again after a gap: a segment
/// starts at a frame boundary there more often than not. `None` while the
/// frame looks like one but its first line is not in `buf` yet. A plain SIP
/// or HTTP stream never matches: its first octet is a letter or digit,
/// which sets a reserved bit or names a reserved opcode.
pub(super) fn sip_frame_at(buf: &[u8]) -> Option<bool> {
    /// How much of the payload is unmasked to find its first line.
    const LOOK: usize = 512;
    let Some(h) = parse_header(buf) else {
        // Too short for a header: wait only if what is there could start one.
        return match buf.first() {
            Some(&b0) if !matches!(b0 & 0x7f, 0x01 | 0x02) => Some(false),
            _ => None,
        };
    };
    let reserved = buf[0] & 0x70 != 0;
    if reserved || !matches!(h.opcode, 0x1 | 0x2) || h.len == 0 || h.len > MAX_MESSAGE {
        return Some(false);
    }
    let want = h.len.min(LOOK);
    let payload = buf.get(h.header..h.header + want)?;
    let mut head = [0u8; LOOK];
    let head = &mut head[..want];
    head.copy_from_slice(payload);
    if let Some(key) = h.mask {
        for (i, b) in head.iter_mut().enumerate() {
            *b ^= key[i % 4];
        }
    }
    // A first line longer than what is looked at is not a start line.
    Some(first_line_is_sip(head))
}

/// What [`WsDecoder::decode`] found.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum WsEvent {
    /// A complete text or binary message.
    Message(Bytes),
    /// A message over [`MAX_MESSAGE`] was dropped.
    TooLarge,
    /// A frame that breaks RFC 6455 (reserved opcode, continuation with no
    /// message to continue): the connection cannot be followed further.
    Invalid,
    /// A compressed message that does not inflate: the capture lacks the
    /// earlier messages whose window it refers to (it began after the
    /// connection did), or the message is corrupt. Only this message is
    /// lost.
    Undecodable,
}

/// The four octets RFC 7692 §7.2.1 has the sender remove from the end of
/// each compressed message (an empty stored block's tail); the receiver
/// appends them before inflating (§7.2.2).
const DEFLATE_TAIL: [u8; 4] = [0x00, 0x00, 0xff, 0xff];

/// Cuts WebSocket frames out of one direction of a connection.
#[derive(Debug, Default)]
pub(super) struct WsDecoder {
    /// The message being assembled from fragments.
    message: BytesMut,
    in_message: bool,
    /// Dropping the rest of a message that grew too large.
    dropping: bool,
    failed: bool,
    /// Octets taken from the buffers handed to `decode`, over the decoder's
    /// life.
    consumed: u64,
    /// Where, in those octets, the first frame of the current (or last)
    /// message began.
    message_start: u64,
    /// The current message's first frame had RSV1 set: permessage-deflate
    /// compressed it (RFC 7692 §6: the bit marks a compressed message, on
    /// its first frame only).
    compressed: bool,
    /// The direction's inflater, made at its first compressed message and
    /// kept: unless the peers agreed on no context takeover, each message
    /// refers to the window of the ones before (RFC 7692 §7.2.3.2). About
    /// 40 KiB, one per compressing direction the flow table holds.
    inflater: Option<Box<Decompress>>,
    /// The decoder joined the connection after its upgrade
    /// ([`WsDecoder::late`]): the window of earlier messages is missing.
    late: bool,
}

impl WsDecoder {
    /// A decoder at a frame boundary.
    pub(super) fn new() -> Self {
        Self::default()
    }

    /// A decoder for a connection whose upgrade the capture does not hold
    /// (found by [`sip_frame_at`]): its compressed messages may refer to
    /// earlier ones it never saw.
    pub(super) fn late() -> Self {
        WsDecoder {
            late: true,
            ..Self::default()
        }
    }

    /// How many octets `decode` has taken from its buffers so far.
    pub(super) fn consumed(&self) -> u64 {
        self.consumed
    }

    /// Where the first frame of the message last returned (or being
    /// assembled) began, counted in the octets `decode` has taken.
    pub(super) fn message_start(&self) -> u64 {
        self.message_start
    }

    /// Takes the frames complete in `buf` (consuming them); returns the
    /// first event, or `None` when more octets are needed.
    pub(super) fn decode(&mut self, buf: &mut BytesMut) -> Option<WsEvent> {
        loop {
            if self.failed {
                self.consumed += buf.len() as u64;
                buf.clear();
                return None;
            }
            let FrameHeader {
                header,
                len,
                fin,
                rsv1,
                opcode,
                mask,
            } = parse_header(buf)?;
            if len > MAX_MESSAGE {
                // Oversized frame: do not wait for it (the buffer would
                // grow without bound); stop following the connection.
                self.failed = true;
                return Some(WsEvent::TooLarge);
            }
            if buf.len() < header + len {
                return None;
            }
            let frame_start = self.consumed;
            self.consumed += (header + len) as u64;
            buf.advance(header);
            let mut payload = buf.split_to(len);
            if let Some(key) = mask {
                for (i, b) in payload.iter_mut().enumerate() {
                    *b ^= key[i % 4];
                }
            }
            match opcode {
                // Control frames (close, ping, pong) may come between
                // fragments; they carry no SIP.
                0x8..=0xA => continue,
                0x1 | 0x2 => {
                    if self.in_message {
                        self.failed = true;
                        return Some(WsEvent::Invalid);
                    }
                    self.in_message = true;
                    self.dropping = false;
                    self.compressed = rsv1;
                    self.message.clear();
                    self.message_start = frame_start;
                }
                0x0 if self.in_message => {}
                _ => {
                    self.failed = true;
                    return Some(WsEvent::Invalid);
                }
            }
            if !self.dropping {
                if self.message.len() + payload.len() > MAX_MESSAGE {
                    self.dropping = true;
                    self.message.clear();
                } else {
                    self.message.extend_from_slice(&payload);
                }
            }
            if fin {
                self.in_message = false;
                if self.dropping {
                    self.dropping = false;
                    return Some(WsEvent::TooLarge);
                }
                if self.compressed {
                    return Some(self.inflate());
                }
                return Some(WsEvent::Message(self.message.split().freeze()));
            }
        }
    }

    /// Inflates the compressed message held in `message` (RFC 7692
    /// §7.2.2): its octets and [`DEFLATE_TAIL`], through the direction's
    /// inflater, into at most [`MAX_MESSAGE`] octets.
    fn inflate(&mut self) -> WsEvent {
        self.message.extend_from_slice(&DEFLATE_TAIL);
        let input = self.message.split();
        let d = self
            .inflater
            .get_or_insert_with(|| Box::new(Decompress::new(false)));
        let mut out: Vec<u8> = Vec::with_capacity(input.len().saturating_mul(4).min(MAX_MESSAGE));
        let mut rest: &[u8] = &input;
        loop {
            if out.len() >= MAX_MESSAGE {
                // Its window is now out of step: start afresh.
                d.reset(false);
                return WsEvent::TooLarge;
            }
            if out.len() == out.capacity() {
                out.reserve_exact(out.len().clamp(1024, MAX_MESSAGE - out.len()));
            }
            let (taken, made) = (d.total_in(), out.len());
            let Ok(status) = d.decompress_vec(rest, &mut out, FlushDecompress::Sync) else {
                d.reset(false);
                return WsEvent::Undecodable;
            };
            let used = usize::try_from(d.total_in() - taken).unwrap_or(rest.len());
            rest = &rest[used.min(rest.len())..];
            if status == Status::StreamEnd {
                // A sender may end a message with a final block (§7.2.3.4
                // leaves it free to): what follows starts a new stream.
                d.reset(false);
                break;
            }
            let room = out.len() < out.capacity();
            if rest.is_empty() && room {
                break;
            }
            if used == 0 && out.len() == made && room {
                // No progress with room to write: the input is spent in
                // the middle of a block, or broken.
                d.reset(false);
                return WsEvent::Undecodable;
            }
        }
        // The inflater cannot tell a reference into a window it never saw
        // (it reads zeros there): a decoder that joined the connection late
        // trusts only what reads as SIP, as its first message did, with no
        // NUL in its head (no SIP header holds one).
        if self.late && (!first_line_is_sip(&out) || head_of(&out).contains(&0)) {
            return WsEvent::Undecodable;
        }
        WsEvent::Message(Bytes::from(out))
    }
}

/// The header section of message `m` (through its empty line, else all
/// of it).
fn head_of(m: &[u8]) -> &[u8] {
    memchr::memmem::find(m, b"\r\n\r\n").map_or(m, |i| &m[..i])
}

/// True when `m` begins with a SIP start line.
fn first_line_is_sip(m: &[u8]) -> bool {
    let head = &m[..m.len().min(super::MAX_HUNT_LINE)];
    memchr::memchr(b'\n', head).is_some_and(|nl| super::is_start_line(&head[..nl]))
}

/// A WebSocket frame header.
struct FrameHeader {
    /// Its own length.
    header: usize,
    /// The payload's length.
    len: usize,
    fin: bool,
    /// The first reserved bit: permessage-deflate's "compressed" mark.
    rsv1: bool,
    opcode: u8,
    mask: Option<[u8; 4]>,
}

/// Reads a frame header; `None` until it is complete.
fn parse_header(b: &[u8]) -> Option<FrameHeader> {
    let b0 = *b.first()?;
    let b1 = *b.get(1)?;
    let fin = b0 & 0x80 != 0;
    let rsv1 = b0 & 0x40 != 0;
    let opcode = b0 & 0x0f;
    let masked = b1 & 0x80 != 0;
    let (len, mut at) = match b1 & 0x7f {
        126 => (u64::from(u16::from_be_bytes([*b.get(2)?, *b.get(3)?])), 4),
        127 => {
            let x = b.get(2..10)?;
            (
                u64::from_be_bytes([x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]]),
                10,
            )
        }
        n => (u64::from(n), 2),
    };
    let mask = if masked {
        let k = b.get(at..at + 4)?;
        at += 4;
        Some([k[0], k[1], k[2], k[3]])
    } else {
        None
    };
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    Some(FrameHeader {
        header: at,
        len,
        fin,
        rsv1,
        opcode,
        mask,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(fin: bool, opcode: u8, mask: Option<[u8; 4]>, payload: &[u8]) -> Vec<u8> {
        let mut v = vec![(u8::from(fin) << 7) | opcode];
        let m = if mask.is_some() { 0x80 } else { 0 };
        match payload.len() {
            n if n < 126 => v.push(m | n as u8),
            n if n < 65536 => {
                v.push(m | 126);
                v.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                v.push(m | 127);
                v.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        match mask {
            Some(k) => {
                v.extend_from_slice(&k);
                v.extend(payload.iter().enumerate().map(|(i, b)| b ^ k[i % 4]));
            }
            None => v.extend_from_slice(payload),
        }
        v
    }

    #[test]
    fn masked_fragmented_message_with_a_ping_between() {
        let mut buf = BytesMut::new();
        buf.extend_from_slice(&frame(false, 1, Some([1, 2, 3, 4]), b"SIP/2.0 "));
        buf.extend_from_slice(&frame(true, 9, None, b"hi"));
        buf.extend_from_slice(&frame(true, 0, Some([9, 8, 7, 6]), b"200 OK\r\n\r\n"));
        let mut d = WsDecoder::new();
        let all = buf.split();
        // Byte by byte: nothing until the last frame is complete.
        let mut events = Vec::new();
        for b in all.iter() {
            buf.extend_from_slice(&[*b]);
            while let Some(e) = d.decode(&mut buf) {
                events.push(e);
            }
        }
        assert_eq!(
            events,
            vec![WsEvent::Message(Bytes::from_static(
                b"SIP/2.0 200 OK\r\n\r\n"
            ))]
        );
        assert!(buf.is_empty());
    }

    #[test]
    fn offsets_of_messages_in_the_octets_taken() {
        let mut buf = BytesMut::new();
        let one = frame(true, 1, None, b"one");
        let ping = frame(true, 9, None, b"p");
        let two_a = frame(false, 2, Some([1, 1, 1, 1]), b"tw");
        let two_b = frame(true, 0, None, b"o");
        buf.extend_from_slice(&one);
        buf.extend_from_slice(&ping);
        buf.extend_from_slice(&two_a);
        let mut d = WsDecoder::new();
        assert_eq!(
            d.decode(&mut buf),
            Some(WsEvent::Message(Bytes::from_static(b"one")))
        );
        assert_eq!(d.message_start(), 0);
        assert_eq!(d.consumed(), one.len() as u64);
        // The second message's first fragment is taken, then more is needed.
        assert_eq!(d.decode(&mut buf), None);
        let two_at = (one.len() + ping.len()) as u64;
        assert_eq!(d.consumed(), two_at + two_a.len() as u64);
        buf.extend_from_slice(&two_b);
        assert_eq!(
            d.decode(&mut buf),
            Some(WsEvent::Message(Bytes::from_static(b"two")))
        );
        assert_eq!(d.message_start(), two_at);
        assert_eq!(d.consumed(), two_at + (two_a.len() + two_b.len()) as u64);
        // After a broken frame, what is dropped counts as taken.
        buf.extend_from_slice(&frame(true, 3, None, b"bad"));
        buf.extend_from_slice(b"rest");
        let before = d.consumed();
        assert_eq!(d.decode(&mut buf), Some(WsEvent::Invalid));
        assert_eq!(d.decode(&mut buf), None);
        assert_eq!(d.consumed(), before + 5 + 4);
    }

    #[test]
    fn oversized_frame_is_refused_without_buffering() {
        let mut buf = BytesMut::from(&frame(true, 2, None, b"x")[..]);
        buf[1] = 127;
        buf.truncate(2);
        buf.extend_from_slice(&(u64::MAX).to_be_bytes());
        let mut d = WsDecoder::new();
        assert_eq!(d.decode(&mut buf), Some(WsEvent::TooLarge));
        assert_eq!(d.decode(&mut buf), None);
        assert!(buf.is_empty());
    }

    #[test]
    fn sip_frames_found_without_the_upgrade() {
        let resp = frame(true, 1, None, b"SIP/2.0 200 OK\r\nVia: x\r\n\r\n");
        assert_eq!(sip_frame_at(&resp), Some(true));
        let req = frame(
            true,
            1,
            Some([7, 1, 2, 3]),
            b"OPTIONS sip:a@b SIP/2.0\r\n\r\n",
        );
        assert_eq!(sip_frame_at(&req), Some(true));
        // Part of the first line only: wait for the rest.
        assert_eq!(sip_frame_at(&req[..12]), None);
        assert_eq!(sip_frame_at(&req[..1]), None);
        // Another protocol, a control frame, a compressed message, a
        // continuation, and plain SIP or HTTP over TCP: no.
        assert_eq!(
            sip_frame_at(&frame(true, 1, None, b"{\"a\":1}\n")),
            Some(false)
        );
        assert_eq!(sip_frame_at(&frame(true, 9, None, b"ping")), Some(false));
        let mut deflated = resp;
        deflated[0] |= 0x40;
        assert_eq!(sip_frame_at(&deflated), Some(false));
        assert_eq!(
            sip_frame_at(&frame(true, 0, None, b"SIP/2.0 200 OK\r\n")),
            Some(false)
        );
        for plain in [
            &b"SIP/2.0 200 OK\r\n"[..],
            b"INVITE sip:a SIP/2.0\r\n",
            b"GET / HTTP/1.1\r\n",
            b"\r\n",
        ] {
            assert_eq!(sip_frame_at(plain), Some(false), "{plain:?}");
        }
    }

    #[test]
    fn compressed_messages_are_inflated_with_the_window_kept() {
        use flate2::{Compress, Compression, FlushCompress};
        // What a permessage-deflate sender does (RFC 7692 §7.2.1): one raw
        // deflate stream per direction, each message flushed with a sync
        // flush and its last four octets (00 00 ff ff) removed.
        let mut c = Compress::new(Compression::default(), false);
        let mut wire = BytesMut::new();
        let msgs: [&[u8]; 3] = [
            b"SIP/2.0 200 OK\r\nVia: SIP/2.0/WS a.invalid;branch=z9hG4bK1\r\n\r\n",
            // The same again: the second refers to the first's window.
            b"SIP/2.0 200 OK\r\nVia: SIP/2.0/WS a.invalid;branch=z9hG4bK1\r\n\r\n",
            b"SIP/2.0 180 Ringing\r\n\r\n",
        ];
        for m in msgs {
            let mut out = Vec::with_capacity(m.len() + 64);
            c.compress_vec(m, &mut out, FlushCompress::Sync).unwrap();
            assert!(out.ends_with(&DEFLATE_TAIL));
            out.truncate(out.len() - 4);
            let mut f = frame(true, 1, None, &out);
            f[0] |= 0x40;
            wire.extend_from_slice(&f);
        }
        let mut d = WsDecoder::new();
        for m in msgs {
            assert_eq!(
                d.decode(&mut wire),
                Some(WsEvent::Message(Bytes::from_static(m)))
            );
        }
        // A decoder that joined late, after the first message, cannot
        // inflate the second (it refers to the first): reported, not made
        // up.
        let mut c = Compress::new(Compression::default(), false);
        let mut frames = Vec::new();
        for m in msgs {
            let mut out = Vec::with_capacity(m.len() + 64);
            c.compress_vec(m, &mut out, FlushCompress::Sync).unwrap();
            out.truncate(out.len() - 4);
            let mut f = frame(true, 1, None, &out);
            f[0] |= 0x40;
            frames.push(f);
        }
        let mut late = WsDecoder::late();
        let mut buf = BytesMut::from(&frames[1][..]);
        assert_eq!(late.decode(&mut buf), Some(WsEvent::Undecodable));
        // Garbage marked compressed: reported, not a message.
        let mut junk = frame(true, 1, None, &[0xff; 40]);
        junk[0] |= 0x40;
        let mut buf = BytesMut::from(&junk[..]);
        assert_eq!(
            WsDecoder::new().decode(&mut buf),
            Some(WsEvent::Undecodable)
        );
    }

    #[test]
    fn a_deflate_bomb_stops_at_the_message_limit() {
        use flate2::{Compress, Compression, FlushCompress};
        let big = vec![b'a'; MAX_MESSAGE + 10];
        let mut c = Compress::new(Compression::best(), false);
        let mut out = Vec::with_capacity(64 * 1024);
        c.compress_vec(&big, &mut out, FlushCompress::Sync).unwrap();
        out.truncate(out.len() - 4);
        assert!(out.len() < 8 * 1024, "{}", out.len());
        let mut f = frame(true, 1, None, &out);
        f[0] |= 0x40;
        let mut buf = BytesMut::from(&f[..]);
        assert_eq!(WsDecoder::new().decode(&mut buf), Some(WsEvent::TooLarge));
    }

    #[test]
    fn upgrade_heads() {
        let get = b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Protocol: sip\r\n\r\n\x81";
        assert_eq!(upgrade_head(get), Some(get.len() - 1));
        assert_eq!(
            upgrade_head(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\n\r\n"),
            Some(56)
        );
        assert_eq!(upgrade_head(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"), None);
        assert_eq!(upgrade_head(b"INVITE sip:a SIP/2.0\r\n\r\n"), None);
    }
}
