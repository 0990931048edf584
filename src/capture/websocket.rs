//! WebSocket (RFC 6455) framing, enough to follow SIP over WebSocket
//! (RFC 7118) in a capture: the HTTP upgrade is recognised, frames are cut
//! and unmasked, and fragmented messages are joined. Each text or binary
//! message is one SIP message (RFC 7118 §5).

use bytes::{Buf, Bytes, BytesMut};

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
}

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
}

impl WsDecoder {
    /// A decoder at a frame boundary.
    pub(super) fn new() -> Self {
        Self::default()
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
                return Some(WsEvent::Message(self.message.split().freeze()));
            }
        }
    }
}

/// A WebSocket frame header.
struct FrameHeader {
    /// Its own length.
    header: usize,
    /// The payload's length.
    len: usize,
    fin: bool,
    opcode: u8,
    mask: Option<[u8; 4]>,
}

/// Reads a frame header; `None` until it is complete.
fn parse_header(b: &[u8]) -> Option<FrameHeader> {
    let b0 = *b.first()?;
    let b1 = *b.get(1)?;
    let fin = b0 & 0x80 != 0;
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
