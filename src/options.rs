//! Parse options: framing mode and resource limits.

/// How the end of a message is found (RFC 3261 §18.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Framing {
    /// One message per buffer (UDP, SCTP, a WebSocket message, a file):
    /// without Content-Length the body runs to the end of the buffer, and
    /// octets beyond Content-Length are discarded (and reported).
    Datagram,
    /// A byte stream (TCP, TLS): Content-Length decides where the message
    /// ends, CRLF keep-alives between messages are skipped, and input may
    /// arrive in pieces.
    Stream,
}

/// Resource limits. Every one is checked while scanning, before anything is
/// buffered or allocated, so hostile input ends in its own error kind after
/// a bounded amount of work. Defaults follow the grammar notes of
/// `spec/response-rules.md` (RFC 3261 sets no such limits; §18.1.1 requires
/// accepting 65,535-byte UDP messages, so the size defaults allow that).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limits {
    /// Whole message (head and body), in bytes. Default 65,536.
    pub max_message: usize,
    /// Start line plus header section, in bytes. Default 65,536.
    pub max_head: usize,
    /// Header rows (physical rows, continuation lines not counted). Default 256.
    pub max_headers: usize,
    /// One header row after unfolding, in bytes. Default 8,192 (RFC 4475
    /// `longreq` needs long values to work; do not go below about 4 KiB).
    pub max_line: usize,
    /// Continuation lines of one header row. Default 64.
    pub max_continuations: usize,
    /// Header name length. Default 128.
    pub max_header_name: usize,
    /// Start line length. Default 1,024.
    pub max_start_line: usize,
    /// Via values across all Via rows. Default 70 (the recommended initial
    /// Max-Forwards, RFC 3261 §8.1.1.6: a response cannot have crossed more hops).
    pub max_via_values: usize,
}

impl Limits {
    /// The default limits (see each field).
    pub const DEFAULT: Limits = Limits {
        max_message: 65_536,
        max_head: 65_536,
        max_headers: 256,
        max_line: 8_192,
        max_continuations: 64,
        max_header_name: 128,
        max_start_line: 1_024,
        max_via_values: 70,
    };
}

impl Limits {
    /// Largest `max_message`/`max_head` honoured (1 GiB); see
    /// [`ParseOptions::with_limits`].
    pub const MAX_SIZE: usize = 1 << 30;

    /// These limits within what the header index can represent.
    pub const fn capped(mut self) -> Limits {
        const fn min(a: usize, b: usize) -> usize {
            if a < b {
                a
            } else {
                b
            }
        }
        self.max_message = min(self.max_message, Self::MAX_SIZE);
        self.max_head = min(self.max_head, Self::MAX_SIZE);
        self.max_line = min(self.max_line, Self::MAX_SIZE);
        self.max_start_line = min(self.max_start_line, Self::MAX_SIZE);
        self.max_headers = min(self.max_headers, u16::MAX as usize);
        self
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Options for one parse: framing mode, limits and the one leniency that
/// changes framing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ParseOptions {
    pub(crate) framing: Framing,
    pub(crate) limits: Limits,
    pub(crate) stream_missing_length_is_zero: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions::datagram()
    }
}

impl ParseOptions {
    /// Datagram framing with default limits (what [`parse_response`](crate::parse_response) uses).
    pub const fn datagram() -> Self {
        ParseOptions {
            framing: Framing::Datagram,
            limits: Limits::DEFAULT,
            stream_missing_length_is_zero: false,
        }
    }

    /// Stream framing with default limits.
    pub const fn stream() -> Self {
        ParseOptions {
            framing: Framing::Stream,
            limits: Limits::DEFAULT,
            stream_missing_length_is_zero: false,
        }
    }

    /// These options with other limits.
    ///
    /// Sizes are capped at [`Limits::MAX_SIZE`] (1 GiB) and the header-row
    /// count at `u16::MAX`: the header index keeps 32-bit row offsets and
    /// 16-bit counts to stay small (it is copied with every parsed message),
    /// and no SIP message comes near either bound.
    pub const fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits.capped();
        self
    }

    /// These options with another framing mode.
    pub const fn with_framing(mut self, framing: Framing) -> Self {
        self.framing = framing;
        self
    }

    /// On a stream, treat a message without Content-Length as having an
    /// empty body instead of failing with
    /// [`ContentLengthMissing`](crate::ParseErrorKind::ContentLengthMissing).
    ///
    /// Background: RFC 3261 §18.3 says Content-Length MUST be used on stream
    /// transports, and without it the end of the message is a guess. Some
    /// equipment omits it on bodiless responses. With this set, such a
    /// message frames with an empty body and the omission is still recorded
    /// (`content-length-missing-stream`); if a body did follow, it will be
    /// read as the next message and fail there. Off by default (Kamailio,
    /// for one, also refuses such messages unless told otherwise).
    pub const fn stream_missing_length_is_zero(mut self, yes: bool) -> Self {
        self.stream_missing_length_is_zero = yes;
        self
    }

    /// The framing mode.
    pub const fn framing(&self) -> Framing {
        self.framing
    }

    /// The limits.
    pub const fn limits(&self) -> &Limits {
        &self.limits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_limits_are_capped_to_what_the_index_represents() {
        let huge = Limits {
            max_message: usize::MAX,
            max_head: usize::MAX,
            max_headers: usize::MAX,
            max_line: usize::MAX,
            ..Limits::DEFAULT
        };
        let l = *ParseOptions::stream().with_limits(huge).limits();
        assert_eq!(l.max_message, Limits::MAX_SIZE);
        assert_eq!(l.max_head, Limits::MAX_SIZE);
        assert_eq!(l.max_line, Limits::MAX_SIZE);
        assert_eq!(l.max_headers, usize::from(u16::MAX));
        assert_eq!(Limits::DEFAULT.capped(), Limits::DEFAULT);
    }
}
