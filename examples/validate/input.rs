//! Reading inputs: files, directories (recursively) and stdin, each turned
//! into SIP messages. Raw message files are framed as their transport
//! implies; capture files (pcap/pcapng, recognised by their magic number,
//! not their name) go through [`sip_response::capture`], which knows each
//! message's own transport and addresses. The reporting side only sees
//! [`Item`]s.

use std::io::Read;
use std::path::{Path, PathBuf};

use std::collections::{HashMap, VecDeque};

use bytes::{Bytes, BytesMut};
use sip_response::capture::file::Format;
use sip_response::capture::{CaptureError, CaptureEvent, CaptureReader};
use sip_response::header::typed::{CSeq, CallId, Via};
use sip_response::validate::Transport;
use sip_response::{Message, MessageDecoder, OwnedMessage, ParseError, ParseOptions};

/// One message (or one framing failure) found in a source.
pub(crate) struct Item {
    /// The file path, or `-` for stdin.
    pub(crate) source: String,
    /// Packet number in a capture; `None` for raw message files.
    pub(crate) frame: Option<u64>,
    /// Message number within the source, from 1.
    pub(crate) index: usize,
    /// Byte offset of the message in its source (0 unless it came from a
    /// stream). Finding spans are shifted by it so that, like the offsets of
    /// framing errors (which the decoder gives relative to the stream), they
    /// index the source as a whole.
    pub(crate) offset: usize,
    pub(crate) transport: Transport,
    pub(crate) src: Option<String>,
    pub(crate) dst: Option<String>,
    /// In a capture: the message's offset in its TCP direction's stream.
    pub(crate) stream_offset: Option<u64>,
    pub(crate) content: Content,
    /// In a capture: the request this response answers, when the capture
    /// holds it (same Call-ID, CSeq and top Via branch), so the rules that
    /// compare the two can run.
    pub(crate) request: Option<OwnedMessage>,
}

/// What an [`Item`] holds.
pub(crate) enum Content {
    /// A framed message.
    Message(Box<OwnedMessage>),
    /// Octets that could not be framed as a message.
    ParseError(ParseError),
    /// A problem with the capture file itself (a damaged record, a lost TCP
    /// segment); the messages around it are still reported.
    CaptureProblem(CaptureError),
}

impl From<Result<OwnedMessage, ParseError>> for Content {
    fn from(r: Result<OwnedMessage, ParseError>) -> Self {
        match r {
            Ok(m) => Content::Message(Box::new(m)),
            Err(e) => Content::ParseError(e),
        }
    }
}

/// An input that could not be read at all.
pub(crate) struct ReadFailure {
    pub(crate) source: String,
    pub(crate) error: std::io::Error,
}

/// Expands the command-line inputs: directories are walked recursively (in
/// name order, so runs are reproducible), `-` is stdin.
pub(crate) fn expand(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<ReadFailure>) {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            files.push(input.clone());
        } else {
            walk(input, &mut files, &mut failures);
        }
    }
    (files, failures)
}

fn walk(path: &Path, files: &mut Vec<PathBuf>, failures: &mut Vec<ReadFailure>) {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut children: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                children.sort();
                for c in children {
                    // Skip hidden files and our own notes next to the data.
                    let name = c
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if name.starts_with('.') || name.ends_with(".md") || name.ends_with(".expect") {
                        continue;
                    }
                    walk(&c, files, failures);
                }
            }
            Err(error) => failures.push(ReadFailure {
                source: path.display().to_string(),
                error,
            }),
        },
        Ok(_) => files.push(path.to_path_buf()),
        Err(error) => failures.push(ReadFailure {
            source: path.display().to_string(),
            error,
        }),
    }
}

/// Reads one source and frames its messages.
pub(crate) fn read_source(path: &Path, transport: Transport) -> Result<Vec<Item>, ReadFailure> {
    let source = path.display().to_string();
    let bytes = if path.as_os_str() == "-" {
        let mut v = Vec::new();
        std::io::stdin()
            .read_to_end(&mut v)
            .map_err(|error| ReadFailure {
                source: source.clone(),
                error,
            })?;
        v
    } else {
        std::fs::read(path).map_err(|error| ReadFailure {
            source: source.clone(),
            error,
        })?
    };
    let bytes = Bytes::from(bytes);
    if Format::detect(&bytes).is_some() {
        return Ok(capture(&source, bytes));
    }
    Ok(frame(&source, bytes, transport))
}

/// How many requests a capture remembers for matching responses to them;
/// past it the oldest is forgotten (a response that late goes unmatched).
const MAX_REMEMBERED_REQUESTS: usize = 100_000;

/// The transaction a message belongs to, as far as matching a response to
/// its request needs (RFC 3261 §17.1.3: top Via branch and CSeq method;
/// Call-ID and CSeq number as well, since branches are not always unique
/// in practice, e.g. from pre-RFC 3261 elements without the magic cookie).
fn transaction_key(m: &Message<'_>) -> Option<(Vec<u8>, u32, String, Vec<u8>)> {
    let h = m.headers();
    let call_id = h.typed::<CallId<'_>>()?.ok()?;
    let cseq = h.typed::<CSeq<'_>>()?.ok()?;
    let branch = h
        .typed::<Via<'_>>()
        .and_then(Result::ok)
        .and_then(|v| v.branch().map(<[u8]>::to_vec))
        .unwrap_or_default();
    Some((
        call_id.as_bytes().to_vec(),
        cseq.number(),
        cseq.method().to_string(),
        branch,
    ))
}

/// An item reporting a problem with the capture file. It has no transport
/// (the report prints none); `Udp` fills the field.
fn problem_item(source: &str, index: usize, e: CaptureError) -> Item {
    Item {
        source: source.to_string(),
        frame: e.frame,
        index,
        offset: 0,
        transport: Transport::Udp,
        src: None,
        dst: None,
        stream_offset: None,
        content: Content::CaptureProblem(e),
        request: None,
    }
}

/// Reads the SIP messages of a capture file, matching each response to the
/// request it answers when the capture holds that request.
fn capture(source: &str, bytes: Bytes) -> Vec<Item> {
    let reader = match CaptureReader::new(bytes) {
        Ok(r) => r,
        Err(e) => {
            return vec![problem_item(source, 1, e)];
        }
    };
    let mut requests: HashMap<_, OwnedMessage> = HashMap::new();
    let mut order = VecDeque::new();
    let mut out = Vec::new();
    for event in reader {
        let index = out.len() + 1;
        let item = match event {
            CaptureEvent::Problem(e) => problem_item(source, index, e),
            CaptureEvent::Message(m) => {
                let mut request = None;
                if let Ok(msg) = &m.message {
                    let view = msg.view();
                    if let Some(key) = transaction_key(&view) {
                        if view.is_response() {
                            request = requests.get(&key).cloned();
                        } else if !requests.contains_key(&key) {
                            // The first copy: a retransmission is the same.
                            if order.len() == MAX_REMEMBERED_REQUESTS {
                                if let Some(old) = order.pop_front() {
                                    requests.remove(&old);
                                }
                            }
                            order.push_back(key.clone());
                            requests.insert(key, msg.clone());
                        }
                    }
                }
                Item {
                    source: source.to_string(),
                    frame: Some(m.frame),
                    index,
                    offset: 0,
                    transport: m.transport,
                    src: Some(m.src.to_string()),
                    dst: Some(m.dst.to_string()),
                    stream_offset: m.stream_offset,
                    content: m.message.into(),
                    request,
                }
            }
        };
        out.push(item);
    }
    out
}

/// Frames `bytes`: one message per file on datagram transports (and
/// WebSocket, where each message is one SIP message), a stream of messages
/// on TCP/TLS. A stream stops at its first framing error: after it the
/// boundaries are unknown (RFC 3261 §18.3).
pub(crate) fn frame(source: &str, bytes: Bytes, transport: Transport) -> Vec<Item> {
    let item = |index, offset, message| Item {
        source: source.to_string(),
        frame: None,
        index,
        offset,
        transport,
        src: None,
        dst: None,
        stream_offset: None,
        content: Content::from(message),
        request: None,
    };
    if !transport.is_stream() {
        return vec![item(1, 0, OwnedMessage::parse(bytes))];
    }
    let mut out = Vec::new();
    let mut dec = MessageDecoder::new(ParseOptions::stream());
    let mut buf = BytesMut::from(&bytes[..]);
    loop {
        match dec.decode_message(&mut buf) {
            Ok(Some(m)) => {
                let start = dec.stream_offset() - m.bytes().len();
                out.push(item(out.len() + 1, start, Ok(m)));
            }
            Ok(None) => {
                // Only keep-alives (or nothing) left is a clean end; anything
                // else is a message the stream cut short.
                if buf.iter().any(|&b| b != b'\r' && b != b'\n') {
                    let offset = dec.stream_offset() + buf.len();
                    let e = ParseError::new(sip_response::ParseErrorKind::Truncated, offset);
                    out.push(item(out.len() + 1, dec.stream_offset(), Err(e)));
                }
                break;
            }
            Err(e) => {
                out.push(item(out.len() + 1, dec.stream_offset(), Err(e)));
                break;
            }
        }
    }
    out
}
