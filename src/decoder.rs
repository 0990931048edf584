//! Stream decoders (TCP, TLS): frame messages out of a growing `BytesMut`;
//! and the datagram counterpart [`parse_datagram`] (UDP, SCTP, WebSocket
//! messages). Both tell a keep-alive (RFC 5626 §3.5.1, §4.4.1: a CRLFCRLF
//! "ping", a CRLF "pong") apart from a message: [`Frame::KeepAlive`], an
//! `Ok` outcome like a message, never an error.
//!
//! The decoder owns no buffer. The caller appends what it reads and calls
//! [`ResponseDecoder::decode_frame`] (keep-alives reported) or
//! [`ResponseDecoder::decode_message`] (keep-alives skipped) in a loop;
//! each complete message is split off the front of the buffer as a frozen
//! `Bytes` (no copy) with its spans. With the `tokio-codec` feature both
//! decoders are `tokio_util::codec::Decoder`s (items: [`Frame`]s) and
//! `Encoder`s (of [`Forwarded`](crate::Forwarded), responses and
//! keep-alives), so a `Framed` connection reads and writes. The decoder remembers
//! how far it has scanned, so input arriving one byte at a time is still
//! scanned once: the work is linear in the input. After an error the
//! stream's framing is lost (RFC 3261 §18.3): close the connection.
//!
//! ```
//! use bytes::BytesMut;
//! use sip_response::decoder::{Frame, KeepAlive};
//! use sip_response::{ParseOptions, ResponseDecoder};
//!
//! let mut dec = ResponseDecoder::new(ParseOptions::stream());
//! let mut buf = BytesMut::new();
//! let wire = b"\r\n\r\nSIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\nSIP/2.0 180 Ringing\r\nl: 0\r\n\r\n";
//! let mut codes = Vec::new();
//! for chunk in wire.chunks(7) {
//!     buf.extend_from_slice(chunk); // what a socket read would do
//!     while let Some(frame) = dec.decode_frame(&mut buf).unwrap() {
//!         match frame {
//!             Frame::Message(resp) => codes.push(resp.view().status().as_u16()),
//!             Frame::KeepAlive(ka) => {
//!                 // A ping asks for a pong on the same connection.
//!                 assert_eq!(ka, KeepAlive::Ping);
//!                 assert_eq!(ka.reply(), Some(KeepAlive::Pong));
//!             }
//!         }
//!     }
//! }
//! assert_eq!(codes, [100, 180]);
//! ```

use bytes::{Buf, Bytes, BytesMut};

use crate::error::ParseError;
use crate::framing::{whole_layout, Layout, Scan, Scanner};
use crate::message::{OwnedMessage, OwnedResponse};
use crate::options::{Framing, ParseOptions};

/// What a read yields: a message, or a keep-alive between messages.
///
/// For every transport: [`parse_datagram`] gives one per datagram, the
/// stream decoders one per call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame<T> {
    /// A SIP message.
    Message(T),
    /// A keep-alive (RFC 5626 §3.5.1, §4.4.1), not a message.
    KeepAlive(KeepAlive),
}

impl<T> Frame<T> {
    /// The message, if this is one.
    pub fn into_message(self) -> Option<T> {
        match self {
            Frame::Message(m) => Some(m),
            Frame::KeepAlive(_) => None,
        }
    }

    /// The message, by reference, if this is one.
    pub fn message(&self) -> Option<&T> {
        match self {
            Frame::Message(m) => Some(m),
            Frame::KeepAlive(_) => None,
        }
    }

    /// The keep-alive, if this is one.
    pub fn keep_alive(&self) -> Option<KeepAlive> {
        match self {
            Frame::Message(_) => None,
            Frame::KeepAlive(k) => Some(*k),
        }
    }
}

/// The CRLF keep-alive of RFC 5626 §3.5.1 (for any transport that carries
/// it: streams always, and the UDP peers that send it instead of STUN).
///
/// The client pings with a double CRLF; the server answers with a single
/// CRLF. A line end is CRLF or, leniently, a bare LF (RFC 3261 §7.5 lets
/// receivers ignore CRLFs before a start line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeepAlive {
    /// `CRLF CRLF`: expects a [`Pong`](KeepAlive::Pong) back.
    Ping,
    /// `CRLF`: the answer to a ping.
    Pong,
}

impl KeepAlive {
    /// The canonical bytes (`"\r\n\r\n"` or `"\r\n"`).
    pub const fn as_bytes(self) -> &'static [u8] {
        match self {
            KeepAlive::Ping => b"\r\n\r\n",
            KeepAlive::Pong => b"\r\n",
        }
    }

    /// What to send back: a pong for a ping (RFC 5626 §4.4.1), nothing for
    /// a pong.
    pub const fn reply(self) -> Option<KeepAlive> {
        match self {
            KeepAlive::Ping => Some(KeepAlive::Pong),
            KeepAlive::Pong => None,
        }
    }
}

/// Length of the line end (CRLF or bare LF) at `buf[i..]`, if there is one.
fn line_end_at(buf: &[u8], i: usize) -> Option<usize> {
    match buf.get(i..i + 2) {
        Some(b"\r\n") => Some(2),
        _ if buf.get(i) == Some(&b'\n') => Some(1),
        _ => None,
    }
}

/// A datagram made only of line ends (one: a pong; more: a ping), or `None`.
fn datagram_keepalive(buf: &[u8]) -> Option<KeepAlive> {
    let (mut i, mut n) = (0, 0usize);
    while i < buf.len() {
        i += line_end_at(buf, i)?;
        n += 1;
    }
    match n {
        0 => None,
        1 => Some(KeepAlive::Pong),
        _ => Some(KeepAlive::Ping),
    }
}

/// Parses one datagram (UDP, SCTP, a WebSocket message) received by a
/// proxy or UAC: a response, or a keep-alive (a datagram of line ends only:
/// one for a pong, more for a ping), never `Err(Empty)` for a keep-alive.
/// An empty datagram is still [`ParseErrorKind::Empty`](crate::ParseErrorKind::Empty). Zero-copy: the
/// response keeps `bytes`.
pub fn parse_datagram(bytes: Bytes) -> Result<Frame<OwnedResponse>, ParseError> {
    parse_datagram_with(bytes, &ParseOptions::datagram())
}

/// [`parse_datagram`] with `opts` (the framing mode is forced to datagram).
pub fn parse_datagram_with(
    bytes: Bytes,
    opts: &ParseOptions,
) -> Result<Frame<OwnedResponse>, ParseError> {
    if let Some(k) = datagram_keepalive(&bytes) {
        return Ok(Frame::KeepAlive(k));
    }
    let opts = opts.with_framing(Framing::Datagram);
    OwnedResponse::parse_with(bytes, &opts).map(Frame::Message)
}

/// Where the decoder is within the current message. One per connection, so
/// the large `Body` variant costs nothing worth boxing.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)]
enum State {
    /// Between messages (keep-alives may come).
    Idle,
    /// Reading the head.
    Head(Scanner),
    /// Head done; waiting for `total` bytes.
    Body { layout: Layout, total: usize },
}

/// Frames requests and responses from a stream.
///
/// For stream transports (TCP, TLS; a WebSocket message is a datagram, see
/// [`parse_datagram`]), in any role: a proxy or UAS reading requests, a
/// capture tool following a TCP stream.
#[derive(Clone, Debug)]
pub struct MessageDecoder {
    opts: ParseOptions,
    state: State,
    /// Bytes examined by line searches since creation (linear-time evidence).
    scanned: usize,
    /// Offset of the current buffer's start in the whole stream, for errors.
    stream_offset: usize,
}

impl MessageDecoder {
    /// A decoder with `opts` (the framing mode is forced to stream).
    pub fn new(opts: ParseOptions) -> Self {
        MessageDecoder {
            opts: opts.with_framing(Framing::Stream),
            state: State::Idle,
            scanned: 0,
            stream_offset: 0,
        }
    }

    /// Bytes the line search has examined so far, over the decoder's life.
    /// Bounded by the bytes fed in (plus a small constant per message): the
    /// decoder never rescans. (At a message start, when the buffer holds
    /// the whole head, the one-pass reader tries it first; a head it
    /// declines is read again by the scanner, once, and only the scanner's
    /// reading is counted here.)
    pub fn bytes_scanned(&self) -> usize {
        self.scanned
            + match &self.state {
                State::Head(sc) => sc.scanned(),
                _ => 0,
            }
    }

    /// How many bytes of the stream have been consumed (messages and
    /// keep-alives); error offsets are relative to the whole stream.
    pub fn stream_offset(&self) -> usize {
        self.stream_offset
    }

    /// Decodes the next frame from the front of `buf`, removing it from the
    /// buffer: a message, or a keep-alive between messages (two line ends
    /// are a [`KeepAlive::Ping`], one followed by anything else, or by
    /// nothing yet, a [`KeepAlive::Pong`]; so a ping split after its first
    /// CRLF reads as two pongs). `Ok(None)`: more bytes needed. Between calls
    /// the caller must only append to `buf`.
    pub fn decode_frame(
        &mut self,
        buf: &mut BytesMut,
    ) -> Result<Option<Frame<OwnedMessage>>, ParseError> {
        if self.more_without_line_end(buf) {
            return Ok(None);
        }
        Ok(match self.step(buf)? {
            None => None,
            Some(Ready::KeepAlive(k)) => Some(Frame::KeepAlive(k)),
            Some(Ready::Message) => Some(Frame::Message(self.take_message(buf))),
        })
    }

    /// Decodes the next message, skipping (consuming) keep-alives: the
    /// frames of [`decode_frame`](Self::decode_frame) that are messages.
    #[inline(always)]
    pub fn decode_message(
        &mut self,
        buf: &mut BytesMut,
    ) -> Result<Option<OwnedMessage>, ParseError> {
        if self.more_without_line_end(buf) || !self.message_ready(buf)? {
            return Ok(None);
        }
        Ok(Some(self.take_message(buf)))
    }

    /// Decodes the next message of a stream that has ended (the peer
    /// closed the connection, a capture's stream stops): like
    /// [`decode_message`](Self::decode_message) while whole messages are
    /// left, then `Ok(None)` when nothing but line ends remain (keep-alives,
    /// RFC 5626 §4.4.1), else the message the end cut short:
    /// [`BodyTruncated`](crate::ParseErrorKind::BodyTruncated) when its
    /// head was whole (`content-length-exceeds-body`), else
    /// [`Truncated`](crate::ParseErrorKind::Truncated)
    /// (`header-block-unterminated`), at the stream offset where the bytes
    /// ran out. Either way the rest of `buf` is consumed and the decoder
    /// starts afresh, so the next call is `Ok(None)`. What the `tokio-codec`
    /// `decode_eof` answers, for callers that read the stream themselves.
    pub fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<OwnedMessage>, ParseError> {
        match self.decode_message(buf)? {
            Some(m) => Ok(Some(m)),
            None => self.end_of_stream(buf).map(|()| None),
        }
    }

    /// The stream ended with `buf` left over, after a decode asked for more
    /// bytes: `Ok` when only line ends are left, else the cut message's
    /// error (see [`MessageDecoder::decode_eof`]). Consumes `buf` and
    /// resets the decoder.
    fn end_of_stream(&mut self, buf: &mut BytesMut) -> Result<(), ParseError> {
        use crate::ParseErrorKind as K;
        let kind = match &self.state {
            // The head was read whole: the body is short.
            State::Body { .. } => Some(K::BodyTruncated),
            _ if buf.iter().all(|&b| b == b'\r' || b == b'\n') => None,
            _ => Some(K::Truncated),
        };
        if let State::Head(sc) = &self.state {
            self.scanned += sc.scanned();
        }
        self.state = State::Idle;
        self.stream_offset += buf.len();
        buf.clear();
        match kind {
            Some(k) => Err(ParseError::new(k, self.stream_offset)),
            None => Ok(()),
        }
    }

    /// Steps past keep-alives until a message is ready (true; then
    /// [`Self::take_message`]) or more bytes are needed: both decoders'
    /// `decode_message` past the quick "more bytes needed".
    #[inline(never)]
    fn message_ready(&mut self, buf: &mut BytesMut) -> Result<bool, ParseError> {
        loop {
            match self.step(buf)? {
                None => return Ok(false),
                Some(Ready::KeepAlive(_)) => {}
                Some(Ready::Message) => return Ok(true),
            }
        }
    }

    /// True when the message being read needs more bytes and the ones that
    /// arrived since the last call change nothing else: in the head, no
    /// line end and no limit near (see `Scanner::more_without_line_end`);
    /// in the body, not all of it yet. A stream fed in small pieces answers
    /// most calls here, inline, without the decoder's full step.
    #[inline(always)]
    fn more_without_line_end(&mut self, buf: &BytesMut) -> bool {
        match &mut self.state {
            State::Head(sc) => sc.more_without_line_end(buf),
            State::Body { total, .. } => buf.len() < *total,
            State::Idle => false,
        }
    }

    /// One step of the decoder: what is ready, if anything. The message
    /// itself (some hundreds of bytes of layout) stays in the state until
    /// [`Self::take_message`] builds it, so the common answer of a stream
    /// fed in small pieces, "more bytes needed", is a few bytes to return,
    /// not a copy of an empty message-sized result per call.
    #[inline]
    fn step(&mut self, buf: &mut BytesMut) -> Result<Option<Ready>, ParseError> {
        self.decode_inner(buf).map_err(|e| {
            // Keep the work done on the failed head in `bytes_scanned`.
            if let State::Head(sc) = &self.state {
                self.scanned += sc.scanned();
            }
            self.state = State::Idle;
            e.shifted(self.stream_offset)
        })
    }

    /// After [`Ready::Message`]: the message, split off `buf`.
    fn take_message(&mut self, buf: &mut BytesMut) -> OwnedMessage {
        let State::Body { layout, total } = core::mem::replace(&mut self.state, State::Idle) else {
            unreachable!("Ready::Message leaves the decoder in State::Body");
        };
        let bytes = buf.split_to(total).freeze();
        self.stream_offset += total;
        OwnedMessage::from_parts(bytes, layout)
    }

    fn decode_inner(&mut self, buf: &mut BytesMut) -> Result<Option<Ready>, ParseError> {
        loop {
            match &mut self.state {
                State::Idle => {
                    if let Some(first) = line_end_at(buf, 0) {
                        let (len, kind) = match line_end_at(buf, first) {
                            Some(second) => (first + second, KeepAlive::Ping),
                            // `\r\n\r`: the second CRLF may be coming.
                            None if buf.len() == first + 1 && buf[first] == b'\r' => {
                                return Ok(None)
                            }
                            None => (first, KeepAlive::Pong),
                        };
                        buf.advance(len);
                        self.stream_offset += len;
                        return Ok(Some(Ready::KeepAlive(kind)));
                    }
                    if buf.is_empty() || buf[..] == b"\r"[..] {
                        return Ok(None);
                    }
                    // A whole common head already here (a read of a busy
                    // connection holds several messages): the one-pass
                    // reader, as `parse_response` takes it. Anything else,
                    // an error included, goes to the resumable scanner.
                    if let Some(Ok(layout)) = whole_layout(buf, &self.opts) {
                        // Searched up to the end of the head, as the
                        // scanner counts it.
                        self.scanned += layout.meta.body.start;
                        let total = layout.meta.msg.end;
                        self.state = State::Body { layout, total };
                        continue;
                    }
                    self.state = State::Head(Scanner::new(self.opts, 0));
                }
                State::Head(sc) => match sc.scan(buf, false)? {
                    Scan::More => return Ok(None),
                    Scan::Head => {
                        // On error `decode` adds the scanner's count.
                        let layout = sc.finish(buf)?;
                        self.scanned += sc.scanned();
                        let total = layout.meta.msg.end;
                        self.state = State::Body { layout, total };
                    }
                },
                State::Body { total, .. } => {
                    return Ok((buf.len() >= *total).then_some(Ready::Message));
                }
            }
        }
    }
}

/// What one decoder step has ready (the message stays in the state).
#[derive(Clone, Copy)]
enum Ready {
    KeepAlive(KeepAlive),
    Message,
}

/// Frames responses from a stream: a [`MessageDecoder`] that refuses
/// requests with [`NotAResponse`](crate::ParseErrorKind::NotAResponse).
///
/// For stream transports (TCP, TLS), on the side that receives responses:
/// a proxy's or UAC's connection towards the UAS. With `tokio-codec` it is
/// also the `Encoder` that writes [`Forwarded`](crate::Forwarded) responses
/// upstream.
#[derive(Clone, Debug)]
pub struct ResponseDecoder {
    inner: MessageDecoder,
}

impl ResponseDecoder {
    /// A decoder with `opts` (the framing mode is forced to stream).
    pub fn new(opts: ParseOptions) -> Self {
        ResponseDecoder {
            inner: MessageDecoder::new(opts),
        }
    }

    /// Decodes the next response or keep-alive; see
    /// [`MessageDecoder::decode_frame`]. A request is
    /// [`NotAResponse`](crate::ParseErrorKind::NotAResponse).
    pub fn decode_frame(
        &mut self,
        buf: &mut BytesMut,
    ) -> Result<Option<Frame<OwnedResponse>>, ParseError> {
        if self.inner.more_without_line_end(buf) {
            return Ok(None);
        }
        Ok(match self.inner.step(buf)? {
            None => None,
            Some(Ready::KeepAlive(k)) => Some(Frame::KeepAlive(k)),
            Some(Ready::Message) => Some(Frame::Message(self.take_response(buf)?)),
        })
    }

    /// After [`Ready::Message`]: the response, or `NotAResponse`.
    fn take_response(&mut self, buf: &mut BytesMut) -> Result<OwnedResponse, ParseError> {
        let offset = self.inner.stream_offset();
        self.inner
            .take_message(buf)
            .into_response()
            .map_err(|e| e.shifted(offset))
    }

    /// Decodes the next response, skipping keep-alives; see
    /// [`MessageDecoder::decode_message`].
    #[inline(always)]
    pub fn decode_message(
        &mut self,
        buf: &mut BytesMut,
    ) -> Result<Option<OwnedResponse>, ParseError> {
        if self.inner.more_without_line_end(buf) || !self.inner.message_ready(buf)? {
            return Ok(None);
        }
        self.take_response(buf).map(Some)
    }

    /// Decodes the next response of a stream that has ended; see
    /// [`MessageDecoder::decode_eof`].
    pub fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<OwnedResponse>, ParseError> {
        match self.decode_message(buf)? {
            Some(r) => Ok(Some(r)),
            None => self.inner.end_of_stream(buf).map(|()| None),
        }
    }

    /// See [`MessageDecoder::stream_offset`].
    pub fn stream_offset(&self) -> usize {
        self.inner.stream_offset()
    }

    /// See [`MessageDecoder::bytes_scanned`].
    pub fn bytes_scanned(&self) -> usize {
        self.inner.bytes_scanned()
    }
}

impl Default for ResponseDecoder {
    fn default() -> Self {
        ResponseDecoder::new(ParseOptions::stream())
    }
}

impl Default for MessageDecoder {
    fn default() -> Self {
        MessageDecoder::new(ParseOptions::stream())
    }
}

/// Error of the `tokio_util` codec: a framing error or an I/O error from the
/// transport. Stream transports (TCP, TLS), any role.
#[cfg(feature = "tokio-codec")]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The stream's bytes could not be framed.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// Reading or writing the transport failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

#[cfg(feature = "tokio-codec")]
mod codec {
    //! `tokio_util::codec` for both stream decoders: reading yields
    //! [`Frame`]s; writing takes a [`Forwarded`], a response (or message),
    //! or a [`KeepAlive`].
    //!
    //! `Encoder` writes into the `BytesMut` that `FramedWrite` then sends, so
    //! each piece is copied once, straight from the received buffer into the
    //! write buffer (no intermediate message is assembled). To send without
    //! even that copy, write [`Forwarded::into_buf`] with
    //! `AsyncWriteExt::write_all_buf` (vectored).

    use bytes::BytesMut;
    use tokio_util::codec::{Decoder, Encoder};

    use super::{DecodeError, Frame, KeepAlive, MessageDecoder, ResponseDecoder};
    use crate::forward::Forwarded;
    use crate::message::{OwnedMessage, OwnedResponse};

    impl Decoder for ResponseDecoder {
        type Item = Frame<OwnedResponse>;
        type Error = DecodeError;

        fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, DecodeError> {
            Ok(self.decode_frame(src)?)
        }

        /// The connection closed: the frames left, then a message cut
        /// short as its [`ParseError`](crate::ParseError) (see
        /// [`MessageDecoder::decode_eof`]) rather than the default's
        /// "bytes remaining on stream".
        fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, DecodeError> {
            match self.decode_frame(src)? {
                Some(f) => Ok(Some(f)),
                None => Ok(self.inner.end_of_stream(src).map(|()| None)?),
            }
        }
    }

    impl Decoder for MessageDecoder {
        type Item = Frame<OwnedMessage>;
        type Error = DecodeError;

        fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, DecodeError> {
            Ok(self.decode_frame(src)?)
        }

        /// See `ResponseDecoder`'s.
        fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, DecodeError> {
            match self.decode_frame(src)? {
                Some(f) => Ok(Some(f)),
                None => Ok(self.end_of_stream(src).map(|()| None)?),
            }
        }
    }

    fn put_all(dst: &mut BytesMut, parts: &[&[u8]]) {
        dst.reserve(parts.iter().map(|p| p.len()).sum());
        for p in parts {
            dst.extend_from_slice(p);
        }
    }

    /// The message of `bytes` without what framing left around it
    /// (keep-alives before, octets after a datagram's Content-Length).
    fn message_bytes(bytes: &[u8], span: crate::Span) -> &[u8] {
        span.slice(bytes).unwrap_or(bytes)
    }

    macro_rules! encoders {
        ($($codec:ty),+) => {$(
            impl Encoder<Forwarded> for $codec {
                type Error = DecodeError;
                fn encode(&mut self, item: Forwarded, dst: &mut BytesMut) -> Result<(), DecodeError> {
                    self.encode(&item, dst)
                }
            }

            impl Encoder<&Forwarded> for $codec {
                type Error = DecodeError;
                fn encode(&mut self, item: &Forwarded, dst: &mut BytesMut) -> Result<(), DecodeError> {
                    let mut parts: [&[u8]; 2] = [&[], &[]];
                    for (slot, chunk) in parts.iter_mut().zip(item.chunks()) {
                        *slot = chunk;
                    }
                    put_all(dst, &parts);
                    Ok(())
                }
            }

            impl Encoder<OwnedResponse> for $codec {
                type Error = DecodeError;
                fn encode(&mut self, item: OwnedResponse, dst: &mut BytesMut) -> Result<(), DecodeError> {
                    self.encode(&item, dst)
                }
            }

            impl Encoder<&OwnedResponse> for $codec {
                type Error = DecodeError;
                fn encode(&mut self, item: &OwnedResponse, dst: &mut BytesMut) -> Result<(), DecodeError> {
                    put_all(dst, &[message_bytes(item.bytes(), item.view().span())]);
                    Ok(())
                }
            }

            impl Encoder<KeepAlive> for $codec {
                type Error = DecodeError;
                fn encode(&mut self, item: KeepAlive, dst: &mut BytesMut) -> Result<(), DecodeError> {
                    put_all(dst, &[item.as_bytes()]);
                    Ok(())
                }
            }
        )+};
    }

    encoders!(ResponseDecoder, MessageDecoder);

    impl Encoder<OwnedMessage> for MessageDecoder {
        type Error = DecodeError;
        fn encode(&mut self, item: OwnedMessage, dst: &mut BytesMut) -> Result<(), DecodeError> {
            let span = item.view().span();
            put_all(dst, &[message_bytes(item.bytes(), span)]);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ParseErrorKind;

    fn frames(dec: &mut ResponseDecoder, wire: &[u8]) -> Vec<Frame<u16>> {
        let mut buf = BytesMut::from(wire);
        let mut out = Vec::new();
        while let Some(f) = dec.decode_frame(&mut buf).unwrap() {
            out.push(match f {
                Frame::Message(r) => Frame::Message(r.view().status().as_u16()),
                Frame::KeepAlive(k) => Frame::KeepAlive(k),
            });
        }
        out
    }

    #[test]
    fn stream_keepalives_are_frames() {
        use Frame::{KeepAlive as K, Message as M};
        use KeepAlive::{Ping, Pong};
        let msg = "SIP/2.0 180 Ringing\r\nl: 0\r\n\r\n";
        let cases: &[(String, Vec<Frame<u16>>)] = &[
            ("\r\n\r\n".into(), vec![K(Ping)]),
            ("\r\n".into(), vec![K(Pong)]),
            ("\n".into(), vec![K(Pong)]),
            ("\n\n".into(), vec![K(Ping)]),
            ("\r\n\r".into(), vec![]),
            ("\r".into(), vec![]),
            ("\r\n\r\n\r\n".into(), vec![K(Ping), K(Pong)]),
            (format!("\r\n\r\n{msg}\r\n"), vec![K(Ping), M(180), K(Pong)]),
            (format!("\r\n{msg}{msg}"), vec![K(Pong), M(180), M(180)]),
        ];
        for (wire, want) in cases {
            let mut dec = ResponseDecoder::default();
            assert_eq!(&frames(&mut dec, wire.as_bytes()), want, "{wire:?}");
        }
        // Byte by byte: a ping still reads as a ping when its second CRLF
        // arrives in the same read as the first's LF.
        let mut dec = ResponseDecoder::default();
        let mut buf = BytesMut::new();
        let mut got = Vec::new();
        for b in b"\r\n\r\n" {
            buf.extend_from_slice(&[*b]);
            while let Some(f) = dec.decode_frame(&mut buf).unwrap() {
                got.push(f.keep_alive().unwrap());
            }
        }
        assert_eq!(got, [Pong, Pong]);
        assert_eq!(dec.stream_offset(), 4);
        // decode_message skips them.
        let mut buf = BytesMut::from(format!("\r\n\r\n{msg}\r\n").as_bytes());
        let mut dec = ResponseDecoder::default();
        assert!(dec.decode_message(&mut buf).unwrap().is_some());
        assert!(dec.decode_message(&mut buf).unwrap().is_none());
        assert!(buf.is_empty());
    }

    #[test]
    fn datagram_keepalives_are_frames() {
        for (d, want) in [
            (&b"\r\n\r\n"[..], Some(KeepAlive::Ping)),
            (b"\r\n", Some(KeepAlive::Pong)),
            (b"\r\n\r\n\r\n", Some(KeepAlive::Ping)),
            (b"\n", Some(KeepAlive::Pong)),
        ] {
            let f = parse_datagram(Bytes::from_static(d)).unwrap();
            assert_eq!(f.keep_alive(), want, "{d:?}");
            assert!(f.message().is_none());
        }
        let e = parse_datagram(Bytes::new()).unwrap_err();
        assert_eq!(e.kind(), ParseErrorKind::Empty);
        // Not only line ends: not a keep-alive, and not a response either.
        for d in [&b"\r"[..], b"\r\n\r", b" \r\n", b"\r\nxyz"] {
            assert!(parse_datagram(Bytes::from_static(d)).is_err(), "{d:?}");
        }
        let r = parse_datagram(Bytes::from_static(
            b"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        ))
        .unwrap()
        .into_message()
        .unwrap();
        assert_eq!(r.view().status().as_u16(), 200);
        assert_eq!(KeepAlive::Ping.as_bytes(), b"\r\n\r\n");
        assert_eq!(KeepAlive::Pong.reply(), None);
    }
}
