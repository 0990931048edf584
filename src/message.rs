//! Parsed messages: the borrowed views [`Response`], [`Request`] and
//! [`Message`], the owned-but-zero-copy [`OwnedResponse`] / [`OwnedMessage`],
//! and the entry points.

use core::num::NonZeroUsize;

use bytes::Bytes;

use crate::code::StatusCode;
use crate::error::{ParseError, ParseErrorKind};
use crate::framing::{parse_layout, parse_layout_scanned, whole_head, Deviations, Layout, Meta};
use crate::header::{HeaderIndex, Headers};
use crate::options::{Framing, ParseOptions};
use crate::start_line::{RequestLine, StartLine, StatusLine};
use crate::Span;

/// Parses `buf` as one SIP response with datagram semantics and default
/// limits: the whole buffer is the message, and without Content-Length the
/// body runs to its end (RFC 3261 §18.3).
///
/// An `Err` means the bytes could not be framed as a response; anything that
/// framed but is not conformant is left to the validator.
pub fn parse_response(buf: &[u8]) -> Result<Response<'_>, ParseError> {
    ParseOptions::datagram().parse_response(buf)
}

/// Parses `buf` as one SIP request or response, datagram semantics.
pub fn parse_message(buf: &[u8]) -> Result<Message<'_>, ParseError> {
    ParseOptions::datagram().parse_message(buf)
}

/// Parses the response at the start of `buf` with stream framing, saying
/// "need more" instead of failing when the input stops early. Leading CRLF
/// keep-alives are skipped; `consumed` counts them too.
pub fn parse_response_partial<'b>(
    buf: &'b [u8],
    opts: &ParseOptions,
) -> Result<Progress<Response<'b>>, ParseError> {
    match opts.parse_message_partial(buf)? {
        Progress::Complete { msg, consumed } => Ok(Progress::Complete {
            msg: msg.into_response()?,
            consumed,
        }),
        Progress::Incomplete { needed } => Ok(Progress::Incomplete { needed }),
    }
}

/// The result of a partial (stream) parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress<T> {
    /// A whole message, and how many bytes of the input it (and any
    /// keep-alives before it) took.
    Complete {
        /// The message.
        msg: T,
        /// Bytes consumed from the start of the input.
        consumed: usize,
    },
    /// The input ends inside a message. `needed` is the number of bytes
    /// still missing when the framing knows it (the body's rest), else `None`.
    Incomplete {
        /// Bytes still missing, when known.
        needed: Option<NonZeroUsize>,
    },
}

impl ParseOptions {
    /// Parses `buf` as one response with these options (one-shot: with
    /// stream framing the message must be complete, or the error is
    /// [`Truncated`](ParseErrorKind::Truncated) inside the head and
    /// [`BodyTruncated`](ParseErrorKind::BodyTruncated) inside the body).
    pub fn parse_response<'b>(&self, buf: &'b [u8]) -> Result<Response<'b>, ParseError> {
        // Built straight from the layout, not through `Message`: each
        // `Result` or enum wrapped around the view (some hundreds of bytes,
        // most of it the header index) costs one more copy of it. For the
        // same reason the common head's one-pass reading is taken here
        // first, not inside `parse_layout`'s nested `Result`.
        let mut index = HeaderIndex::new(0);
        if let Some(head) = whole_head(buf, self, &mut index) {
            let (head, meta) = head?;
            // The same checks in the same order as below.
            if meta.msg.end > buf.len() {
                return Err(ParseError::new(ParseErrorKind::BodyTruncated, buf.len()));
            }
            return match meta.start {
                StartLine::Status(_) => Ok(Response {
                    headers: Headers::new(buf, head.with(index)),
                    meta,
                }),
                StartLine::Request(_) => Err(meta.start.not_a_response()),
            };
        }
        match parse_layout_scanned(buf, self, true)? {
            Ok(layout) => match layout.meta.start {
                StartLine::Status(_) => Ok(Response::from_layout(buf, layout)),
                StartLine::Request(_) => Err(layout.meta.start.not_a_response()),
            },
            Err(_) => Err(ParseError::new(ParseErrorKind::Truncated, buf.len())),
        }
    }

    /// Parses `buf` as one request or response with these options (one-shot).
    pub fn parse_message<'b>(&self, buf: &'b [u8]) -> Result<Message<'b>, ParseError> {
        match parse_layout(buf, self, true)? {
            Ok(layout) => Ok(Message::from_layout(buf, layout)),
            Err(_) => Err(ParseError::new(ParseErrorKind::Truncated, buf.len())),
        }
    }

    /// Parses the message at the start of `buf` with stream framing.
    pub fn parse_message_partial<'b>(
        &self,
        buf: &'b [u8],
    ) -> Result<Progress<Message<'b>>, ParseError> {
        let opts = self.with_framing(Framing::Stream);
        match parse_layout(buf, &opts, false)? {
            Ok(layout) => Ok(Progress::Complete {
                consumed: layout.meta.msg.end,
                msg: Message::from_layout(buf, layout),
            }),
            Err(missing) => Ok(Progress::Incomplete {
                needed: if missing > 1 {
                    NonZeroUsize::new(missing)
                } else {
                    None
                },
            }),
        }
    }
}

/// A request or a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message<'a> {
    /// A request (captures interleave them with responses).
    Request(Request<'a>),
    /// A response.
    Response(Response<'a>),
}

impl<'a> Message<'a> {
    pub(crate) fn from_layout(src: &'a [u8], layout: Layout) -> Self {
        match layout.meta.start {
            StartLine::Status(_) => Message::Response(Response::from_layout(src, layout)),
            StartLine::Request(_) => Message::Request(Request {
                headers: Headers::new(src, layout.head),
                meta: layout.meta,
            }),
        }
    }

    /// The response, or a [`NotAResponse`](ParseErrorKind::NotAResponse) error
    /// located at the start line.
    pub fn into_response(self) -> Result<Response<'a>, ParseError> {
        match self {
            Message::Response(r) => Ok(r),
            Message::Request(r) => Err(r.meta.start.not_a_response()),
        }
    }

    /// True for a response.
    pub fn is_response(&self) -> bool {
        matches!(self, Message::Response(_))
    }

    /// The header section.
    pub fn headers(&self) -> &Headers<'a> {
        match self {
            Message::Request(r) => r.headers(),
            Message::Response(r) => r.headers(),
        }
    }

    /// Span of the whole message.
    pub fn span(&self) -> Span {
        match self {
            Message::Request(r) => r.span(),
            Message::Response(r) => r.span(),
        }
    }
}

/// Accessors shared by requests and responses.
macro_rules! common_accessors {
    () => {
        /// The header section.
        pub fn headers(&self) -> &Headers<'a> {
            &self.headers
        }

        fn src(&self) -> &'a [u8] {
            self.headers.src()
        }

        /// The body: what Content-Length delimits (in a datagram without
        /// Content-Length, the rest of the datagram).
        pub fn body(&self) -> &'a [u8] {
            &self.src()[self.meta.body.range()]
        }

        /// The body as UTF-8 text, if it is.
        pub fn body_str(&self) -> Option<&'a str> {
            core::str::from_utf8(self.body()).ok()
        }

        /// Span of the body.
        pub fn body_span(&self) -> Span {
            self.meta.body
        }

        /// Span of the whole message (start line through body; keep-alives
        /// before it and octets after a datagram's Content-Length excluded).
        pub fn span(&self) -> Span {
            self.meta.msg
        }

        /// The message's bytes.
        pub fn as_bytes(&self) -> &'a [u8] {
            &self.src()[self.meta.msg.range()]
        }

        /// The buffer the message was parsed from; every span indexes it.
        pub fn source(&self) -> &'a [u8] {
            self.src()
        }

        /// The header section's bytes (first row through the last row's line
        /// ending, without the empty line).
        pub fn head_span(&self) -> Span {
            self.headers.span()
        }

        /// The Content-Length value, when there is exactly one valid one.
        pub fn content_length(&self) -> Option<u64> {
            self.meta.content_length
        }

        /// What the lenient parser accepted (bare LF, unterminated header
        /// section, Content-Length defects in a datagram, ...).
        pub fn deviations(&self) -> &Deviations {
            &self.meta.deviations
        }

        /// The first bare CR (a CR not followed by LF) in the start line or
        /// header section, if any (`line-ending-not-crlf`). Computed on
        /// demand, off the parse path.
        pub fn find_bare_cr(&self) -> Option<Span> {
            let head = Span::new(self.meta.msg.start, self.headers.span().end);
            let bytes = &self.src()[head.range()];
            if !crate::lex::has_bare_cr(bytes) {
                return None;
            }
            memchr::memchr_iter(b'\r', bytes)
                .find(|&i| bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| Span::new(head.start + i, head.start + i + 1))
        }

        /// Span of the start line (without its line ending).
        pub fn start_line_span(&self) -> Span {
            self.meta.start.line()
        }
    };
}

/// A borrowed, zero-copy view of a SIP response.
#[derive(Clone, PartialEq, Eq)]
pub struct Response<'a> {
    headers: Headers<'a>,
    meta: Meta,
}

impl core::fmt::Debug for Response<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status())
            .field("reason", &String::from_utf8_lossy(self.reason()))
            .field("headers", &self.headers().len())
            .field("body_len", &self.body().len())
            .finish()
    }
}

impl<'a> Response<'a> {
    pub(crate) fn layout(&self) -> Layout {
        Layout {
            head: self.headers.layout(),
            meta: self.meta,
        }
    }

    /// The view of `src` as `layout` (a status-line layout) describes it:
    /// the one place a `Response` is assembled.
    #[inline]
    pub(crate) fn from_layout(src: &'a [u8], layout: Layout) -> Self {
        Response {
            headers: Headers::new(src, layout.head),
            meta: layout.meta,
        }
    }

    fn line(&self) -> &StatusLine {
        match &self.meta.start {
            StartLine::Status(s) => s,
            // A `Response` is only built from a status-line layout.
            StartLine::Request(_) => unreachable!("response built from a request line"),
        }
    }

    /// The Status-Code.
    pub fn status(&self) -> StatusCode {
        self.line().code
    }

    /// The Reason-Phrase bytes (may be empty, may be UTF-8 or not).
    pub fn reason(&self) -> &'a [u8] {
        &self.src()[self.line().reason.range()]
    }

    /// The Reason-Phrase as UTF-8 text, if it is.
    pub fn reason_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.reason()).ok()
    }

    /// The SIP-Version as sent (`SIP/2.0`, `sip/2.0`, `SIP/3.0`, ...).
    pub fn version(&self) -> &'a [u8] {
        &self.src()[self.line().version.range()]
    }

    /// True when the version is exactly `SIP/2.0` (upper case).
    pub fn is_sip_2_0(&self) -> bool {
        self.version() == b"SIP/2.0"
    }

    /// Span of the version.
    pub fn version_span(&self) -> Span {
        self.line().version
    }

    /// Span of the three code digits.
    pub fn code_span(&self) -> Span {
        self.line().code_span
    }

    /// Span of the reason phrase (empty when there is none).
    pub fn reason_span(&self) -> Span {
        self.line().reason
    }

    /// Span of the status line (without its line ending).
    pub fn status_line_span(&self) -> Span {
        self.line().line
    }

    /// Whitespace before the version, if any (`status-line-syntax`).
    pub fn status_line_leading_ws(&self) -> Option<Span> {
        self.line().leading_ws
    }

    /// Separator other than one SP between version and code, or HTAB after
    /// the code (`status-line-syntax`).
    pub fn status_line_odd_ws(&self) -> Option<Span> {
        self.line().odd_ws
    }

    /// The code is followed directly by the line end, without the SP the
    /// grammar requires (`status-line-missing-reason-sp`).
    pub fn status_line_missing_reason_sp(&self) -> bool {
        self.line().missing_reason_sp
    }

    /// Copies the referenced bytes into an owned response (one copy).
    pub fn to_owned_response(&self) -> OwnedResponse {
        OwnedResponse {
            bytes: Bytes::copy_from_slice(self.src()),
            layout: self.layout(),
        }
    }

    common_accessors!();
}

/// A borrowed, zero-copy view of a SIP request.
#[derive(Clone, PartialEq, Eq)]
pub struct Request<'a> {
    headers: Headers<'a>,
    meta: Meta,
}

impl core::fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Request")
            .field("method", &String::from_utf8_lossy(self.method()))
            .field("uri", &String::from_utf8_lossy(self.uri()))
            .field("headers", &self.headers().len())
            .field("body_len", &self.body().len())
            .finish()
    }
}

impl<'a> Request<'a> {
    fn line(&self) -> &RequestLine {
        match &self.meta.start {
            StartLine::Request(r) => r,
            StartLine::Status(_) => unreachable!("request built from a status line"),
        }
    }

    /// The method token as sent (methods are case-sensitive).
    pub fn method(&self) -> &'a [u8] {
        &self.src()[self.line().method.range()]
    }

    /// The Request-URI as sent.
    pub fn uri(&self) -> &'a [u8] {
        &self.src()[self.line().uri.range()]
    }

    /// The SIP-Version as sent.
    pub fn version(&self) -> &'a [u8] {
        &self.src()[self.line().version.range()]
    }

    /// Span of the method.
    pub fn method_span(&self) -> Span {
        self.line().method
    }

    /// Span of the Request-URI.
    pub fn uri_span(&self) -> Span {
        self.line().uri
    }

    /// Whitespace other than single SPs in the request line (RFC 4475
    /// `lwsstart`, `trws`).
    pub fn request_line_odd_ws(&self) -> Option<Span> {
        self.line().odd_ws
    }

    common_accessors!();
}

/// A response that owns its bytes as a [`Bytes`] and keeps only spans into
/// them: the same view as [`Response`], no copy, no self-reference.
#[derive(Clone, PartialEq, Eq)]
pub struct OwnedResponse {
    bytes: Bytes,
    layout: Layout,
}

impl core::fmt::Debug for OwnedResponse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.view().fmt(f)
    }
}

impl OwnedResponse {
    /// Parses `bytes` as one response, datagram semantics.
    pub fn parse(bytes: Bytes) -> Result<Self, ParseError> {
        Self::parse_with(bytes, &ParseOptions::datagram())
    }

    /// Parses `bytes` as one response with `opts` (one-shot).
    pub fn parse_with(bytes: Bytes, opts: &ParseOptions) -> Result<Self, ParseError> {
        let layout = opts.parse_response(&bytes)?.layout();
        Ok(OwnedResponse { bytes, layout })
    }

    pub(crate) fn from_parts(bytes: Bytes, layout: Layout) -> Self {
        OwnedResponse { bytes, layout }
    }

    /// The borrowed view.
    pub fn view(&self) -> Response<'_> {
        Response::from_layout(&self.bytes, self.layout)
    }

    /// The buffer (every span of [`view`](Self::view) indexes it).
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The bytes of `span` as a `Bytes` sharing this buffer (no copy).
    /// Panics if `span` is out of bounds, like slicing.
    pub fn slice(&self, span: Span) -> Bytes {
        self.bytes.slice(span.range())
    }

    /// `part` (a slice borrowed from [`view`](Self::view)) as a `Bytes`
    /// sharing this buffer, via `Bytes::slice_ref` (no copy).
    pub fn slice_ref(&self, part: &[u8]) -> Bytes {
        self.bytes.slice_ref(part)
    }

    /// Gives back the buffer.
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }
}

/// A request or response owning its bytes (see [`OwnedResponse`]).
#[derive(Clone, PartialEq, Eq)]
pub struct OwnedMessage {
    bytes: Bytes,
    layout: Layout,
}

impl core::fmt::Debug for OwnedMessage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.view().fmt(f)
    }
}

impl OwnedMessage {
    /// Parses `bytes` as one request or response, datagram semantics.
    pub fn parse(bytes: Bytes) -> Result<Self, ParseError> {
        Self::parse_with(bytes, &ParseOptions::datagram())
    }

    /// Parses `bytes` as one request or response with `opts` (one-shot).
    pub fn parse_with(bytes: Bytes, opts: &ParseOptions) -> Result<Self, ParseError> {
        // `parse_message` without building the borrowed view: each move of
        // a view is a copy of some hundreds of bytes.
        match parse_layout(&bytes, opts, true)? {
            Ok(layout) => Ok(OwnedMessage { bytes, layout }),
            Err(_) => Err(ParseError::new(ParseErrorKind::Truncated, bytes.len())),
        }
    }

    pub(crate) fn from_parts(bytes: Bytes, layout: Layout) -> Self {
        OwnedMessage { bytes, layout }
    }

    /// The borrowed view.
    pub fn view(&self) -> Message<'_> {
        Message::from_layout(&self.bytes, self.layout)
    }

    /// True for a response.
    pub fn is_response(&self) -> bool {
        matches!(self.layout.meta.start, StartLine::Status(_))
    }

    /// The response, or a `NotAResponse` error.
    pub fn into_response(self) -> Result<OwnedResponse, ParseError> {
        match self.layout.meta.start {
            StartLine::Status(_) => Ok(OwnedResponse::from_parts(self.bytes, self.layout)),
            StartLine::Request(_) => Err(self.layout.meta.start.not_a_response()),
        }
    }

    /// The buffer.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }
}

#[cfg(test)]
mod tests {
    /// Every move of a view copies it (out of the parser, through a
    /// `Result`, into a caller's `?`), so its size is part of the parse's
    /// cost: `benches/README.md`, "One pass over a whole head".
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn the_view_stays_small() {
        assert!(size_of::<super::Response<'_>>() <= 680);
        assert!(size_of::<crate::header::HeaderIndex>() <= 264);
    }
}
