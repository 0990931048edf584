//! Errors: a message that cannot be framed ([`ParseError`]) and a header
//! value that does not match its grammar ([`HeaderValueError`]).
//!
//! Two tiers, as in x509-parser: a `ParseError` means the bytes could not be
//! turned into a message at all (drop it, count it). Everything that parsed
//! but is not conformant is a validator finding, never an error here. A
//! malformed typed header value fails locally with a `HeaderValueError` and
//! leaves the rest of the message usable.

use thiserror::Error;

/// Why a message could not be framed or parsed.
///
/// Each kind says which limit or grammar rule was broken. Where the rule table
/// (`spec/response-rules.md`) names the same defect, [`ParseErrorKind::rule`]
/// returns that rule id, so a tool can report parse errors and findings under
/// one vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The input holds no message: it is empty or only CRLF keep-alives.
    #[error("no message: the input is empty")]
    Empty,
    /// The input ended inside the head (one-shot parse in stream mode): no
    /// empty line yet.
    #[error("truncated: the input ends inside the message")]
    Truncated,
    /// The head is complete but the input ended before the body did: the
    /// Content-Length promises more octets than follow (one-shot parse in
    /// stream mode, or a stream that ends).
    #[error("truncated: the body is shorter than Content-Length")]
    BodyTruncated,
    /// The first line is neither a status line nor a request line.
    #[error("the start line is neither a SIP status line nor a request line")]
    StartLineMalformed,
    /// The SIP-Version of a status line (or of a line read as a status
    /// line gone wrong, `SIP 200 OK`) is not `SIP/<digits>.<digits>`; a
    /// request line's is [`ParseErrorKind::RequestLineMalformed`].
    #[error("the SIP-Version is not SIP/<major>.<minor>")]
    VersionSyntax,
    /// The start line begins as a request line (`Method SP`) but is not
    /// `Method SP Request-URI SP SIP-Version`: no Request-URI, no version,
    /// or a version that is not `SIP/<digits>.<digits>`. A request's
    /// defect, which no response rule names.
    #[error("the request line is not Method SP Request-URI SP SIP-Version")]
    RequestLineMalformed,
    /// The Status-Code is not exactly three ASCII digits.
    #[error("the status code is not exactly three digits")]
    StatusCodeNot3Digits,
    /// A request was found where only a response is accepted.
    #[error("expected a response, found a request")]
    NotAResponse,
    /// The start line is longer than [`Limits::max_start_line`](crate::Limits).
    #[error("the start line is longer than the limit")]
    StartLineTooLong,
    /// The header section is larger than [`Limits::max_head`](crate::Limits).
    #[error("the header section is larger than the limit")]
    HeadTooLarge,
    /// The message is larger than [`Limits::max_message`](crate::Limits).
    #[error("the message is larger than the limit")]
    MessageTooLarge,
    /// More header rows than [`Limits::max_headers`](crate::Limits).
    #[error("more header rows than the limit")]
    TooManyHeaders,
    /// A header line, after unfolding, is longer than [`Limits::max_line`](crate::Limits).
    #[error("a header line is longer than the limit")]
    LineTooLong,
    /// A header has more continuation lines than [`Limits::max_continuations`](crate::Limits).
    #[error("a header has more continuation lines than the limit")]
    TooManyContinuations,
    /// A header name is longer than [`Limits::max_header_name`](crate::Limits).
    #[error("a header name is longer than the limit")]
    HeaderNameTooLong,
    /// More Via values than [`Limits::max_via_values`](crate::Limits).
    #[error("more Via values than the limit")]
    TooManyViaValues,
    /// Content-Length is not `1*DIGIT` or does not fit in 64 bits (stream mode).
    #[error("Content-Length is not 1*DIGIT")]
    ContentLengthSyntax,
    /// More than one Content-Length value (stream mode).
    #[error("more than one Content-Length value")]
    ContentLengthMultiple,
    /// No Content-Length on a stream transport, where it decides framing.
    #[error("no Content-Length on a stream transport")]
    ContentLengthMissing,
}

impl ParseErrorKind {
    /// The rule id of `spec/response-rules.md` that names the same defect, if any.
    pub const fn rule(self) -> Option<&'static str> {
        Some(match self {
            ParseErrorKind::StatusCodeNot3Digits => "status-code-not-3-digits",
            ParseErrorKind::Truncated => "header-block-unterminated",
            ParseErrorKind::BodyTruncated => "content-length-exceeds-body",
            ParseErrorKind::StartLineMalformed | ParseErrorKind::VersionSyntax => {
                "status-line-syntax"
            }
            ParseErrorKind::ContentLengthSyntax => "content-length-syntax",
            ParseErrorKind::ContentLengthMultiple => "content-length-multiple",
            ParseErrorKind::ContentLengthMissing => "content-length-missing-stream",
            _ => return None,
        })
    }

    /// A short machine-friendly name (`"status-code-not-3-digits"` style) for
    /// tools that print error kinds.
    pub const fn as_str(self) -> &'static str {
        match self {
            ParseErrorKind::Empty => "empty",
            ParseErrorKind::Truncated => "truncated",
            ParseErrorKind::BodyTruncated => "body-truncated",
            ParseErrorKind::StartLineMalformed => "start-line-malformed",
            ParseErrorKind::VersionSyntax => "version-syntax",
            ParseErrorKind::RequestLineMalformed => "request-line-malformed",
            ParseErrorKind::StatusCodeNot3Digits => "status-code-not-3-digits",
            ParseErrorKind::NotAResponse => "not-a-response",
            ParseErrorKind::StartLineTooLong => "start-line-too-long",
            ParseErrorKind::HeadTooLarge => "head-too-large",
            ParseErrorKind::MessageTooLarge => "message-too-large",
            ParseErrorKind::TooManyHeaders => "too-many-headers",
            ParseErrorKind::LineTooLong => "line-too-long",
            ParseErrorKind::TooManyContinuations => "too-many-continuations",
            ParseErrorKind::HeaderNameTooLong => "header-name-too-long",
            ParseErrorKind::TooManyViaValues => "too-many-via-values",
            ParseErrorKind::ContentLengthSyntax => "content-length-syntax",
            ParseErrorKind::ContentLengthMultiple => "content-length-multiple",
            ParseErrorKind::ContentLengthMissing => "content-length-missing",
        }
    }
}

/// A message could not be framed: what went wrong and the byte offset where.
///
/// The offset indexes the buffer handed to the parser (for the stream
/// decoder: the start of the message being decoded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Error)]
#[error("{kind} at byte {offset}")]
pub struct ParseError {
    kind: ParseErrorKind,
    offset: usize,
}

impl ParseError {
    /// An error of `kind` at `offset`.
    pub const fn new(kind: ParseErrorKind, offset: usize) -> Self {
        ParseError { kind, offset }
    }

    /// What went wrong.
    pub const fn kind(&self) -> ParseErrorKind {
        self.kind
    }

    /// Byte offset of the defect in the parsed buffer.
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The rule id of the spec naming this defect, if there is one.
    pub const fn rule(&self) -> Option<&'static str> {
        self.kind.rule()
    }

    /// The same error with its offset moved `by` bytes (used when a decoder
    /// reports offsets relative to a larger stream).
    pub const fn shifted(self, by: usize) -> Self {
        ParseError {
            kind: self.kind,
            offset: self.offset + by,
        }
    }
}

/// Why a typed header value did not parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub enum HeaderValueErrorKind {
    /// The value is empty where the grammar needs one.
    #[error("empty value")]
    Empty,
    /// A byte that the grammar does not allow here.
    #[error("unexpected character")]
    UnexpectedChar,
    /// A token (name, method, transport, ...) was expected.
    #[error("expected a token")]
    ExpectedToken,
    /// Digits were expected.
    #[error("expected digits")]
    ExpectedDigits,
    /// A number is larger than its field allows.
    #[error("number out of range")]
    NumberOutOfRange,
    /// A quoted string has no closing quote.
    #[error("unterminated quoted string")]
    UnterminatedQuote,
    /// A `<` has no matching `>`.
    #[error("unterminated angle bracket")]
    UnterminatedAngle,
    /// A comment has no closing parenthesis, or nests too deep.
    #[error("unterminated or too deeply nested comment")]
    BadComment,
    /// A URI does not match its scheme's grammar.
    #[error("malformed URI")]
    BadUri,
    /// A host is neither a hostname, an IPv4 address nor a bracketed IPv6 reference.
    #[error("malformed host")]
    BadHost,
    /// A port is not 1*DIGIT within 0..=65535.
    #[error("malformed port")]
    BadPort,
    /// A parameter is malformed (`;` with no name, `=` with no value, ...).
    #[error("malformed parameter")]
    BadParam,
    /// More parameters than the limit (64 per value).
    #[error("too many parameters")]
    TooManyParams,
    /// Bytes left over after a complete value.
    #[error("trailing characters after the value")]
    Trailing,
    /// A required part is missing (CSeq method, Via sent-by, ...).
    #[error("a required part is missing")]
    Missing,
    /// A date is not an RFC 1123 date in GMT.
    #[error("malformed date")]
    BadDate,
}

/// A typed header value failed to parse: what and where.
///
/// The offset indexes the message buffer (not the value), so it points at
/// the offending byte in the original input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Error)]
#[error("{kind} at byte {offset}")]
pub struct HeaderValueError {
    kind: HeaderValueErrorKind,
    offset: usize,
}

impl HeaderValueError {
    /// An error of `kind` at absolute `offset`.
    pub const fn new(kind: HeaderValueErrorKind, offset: usize) -> Self {
        HeaderValueError { kind, offset }
    }

    /// What went wrong.
    pub const fn kind(&self) -> HeaderValueErrorKind {
        self.kind
    }

    /// Absolute byte offset of the defect in the message buffer.
    pub const fn offset(&self) -> usize {
        self.offset
    }
}
