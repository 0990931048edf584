//! Stream decoders (TCP, TLS): frame messages out of a growing `BytesMut`.
//!
//! The decoder owns no buffer. The caller appends what it reads and calls
//! `decode` in a loop; each complete message is split off the front of the
//! buffer as a frozen `Bytes` (no copy) with its spans. The decoder remembers
//! how far it has scanned, so input arriving one byte at a time is still
//! scanned once: the work is linear in the input. After an error the
//! stream's framing is lost (RFC 3261 §18.3): close the connection.
//!
//! ```
//! use bytes::BytesMut;
//! use sip_response::{ParseOptions, ResponseDecoder};
//!
//! let mut dec = ResponseDecoder::new(ParseOptions::stream());
//! let mut buf = BytesMut::new();
//! let wire = b"\r\n\r\nSIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\nSIP/2.0 180 Ringing\r\nl: 0\r\n\r\n";
//! let mut codes = Vec::new();
//! for chunk in wire.chunks(7) {
//!     buf.extend_from_slice(chunk); // what a socket read would do
//!     while let Some(resp) = dec.decode(&mut buf).unwrap() {
//!         codes.push(resp.view().status().as_u16());
//!     }
//! }
//! assert_eq!(codes, [100, 180]);
//! ```

use bytes::{Buf, BytesMut};

use crate::error::ParseError;
use crate::framing::{skip_keepalives, Layout, Scan, Scanner};
use crate::message::{OwnedMessage, OwnedResponse};
use crate::options::{Framing, ParseOptions};

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
    /// decoder never rescans.
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

    /// Decodes the next message from the front of `buf`, removing it (and any
    /// keep-alives before it) from the buffer. `Ok(None)`: more bytes needed.
    /// Between calls the caller must only append to `buf`.
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<OwnedMessage>, ParseError> {
        self.decode_inner(buf).map_err(|e| {
            // Keep the work done on the failed head in `bytes_scanned`.
            if let State::Head(sc) = &self.state {
                self.scanned += sc.scanned();
            }
            self.state = State::Idle;
            e.shifted(self.stream_offset)
        })
    }

    fn decode_inner(&mut self, buf: &mut BytesMut) -> Result<Option<OwnedMessage>, ParseError> {
        loop {
            match &mut self.state {
                State::Idle => {
                    let skip = skip_keepalives(buf, 0);
                    if skip > 0 {
                        buf.advance(skip);
                        self.stream_offset += skip;
                    }
                    if buf.is_empty() || buf[..] == b"\r"[..] {
                        return Ok(None);
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
                State::Body { layout, total } => {
                    if buf.len() < *total {
                        return Ok(None);
                    }
                    let total = *total;
                    let layout = *layout;
                    let bytes = buf.split_to(total).freeze();
                    self.stream_offset += total;
                    self.state = State::Idle;
                    return Ok(Some(OwnedMessage::from_parts(bytes, layout)));
                }
            }
        }
    }
}

/// Frames responses from a stream: a [`MessageDecoder`] that refuses
/// requests with [`NotAResponse`](crate::ParseErrorKind::NotAResponse).
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

    /// Decodes the next response; see [`MessageDecoder::decode`].
    pub fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<OwnedResponse>, ParseError> {
        let offset = self.inner.stream_offset();
        match self.inner.decode(buf)? {
            None => Ok(None),
            Some(m) => m.into_response().map(Some).map_err(|e| e.shifted(offset)),
        }
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
/// transport.
#[cfg(feature = "tokio-codec")]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The stream's bytes could not be framed.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// Reading the transport failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

#[cfg(feature = "tokio-codec")]
impl tokio_util::codec::Decoder for ResponseDecoder {
    type Item = OwnedResponse;
    type Error = DecodeError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<OwnedResponse>, DecodeError> {
        Ok(ResponseDecoder::decode(self, src)?)
    }
}

#[cfg(feature = "tokio-codec")]
impl tokio_util::codec::Decoder for MessageDecoder {
    type Item = OwnedMessage;
    type Error = DecodeError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<OwnedMessage>, DecodeError> {
        Ok(MessageDecoder::decode(self, src)?)
    }
}
