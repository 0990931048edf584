//! Reading inputs: files, directories (recursively) and stdin, each turned
//! into SIP messages by the framing its transport implies. Capture files
//! (pcap/pcapng) will slot in here as another kind of source; the reporting
//! side only sees [`Item`]s.

use std::io::Read;
use std::path::{Path, PathBuf};

use bytes::{Bytes, BytesMut};
use sip_response::validate::Transport;
use sip_response::{MessageDecoder, OwnedMessage, ParseError, ParseOptions};

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
    pub(crate) message: Result<OwnedMessage, ParseError>,
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
    Ok(frame(&source, Bytes::from(bytes), transport))
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
        message,
    };
    if !transport.is_stream() {
        return vec![item(1, 0, OwnedMessage::parse(bytes))];
    }
    let mut out = Vec::new();
    let mut dec = MessageDecoder::new(ParseOptions::stream());
    let mut buf = BytesMut::from(&bytes[..]);
    loop {
        match dec.decode(&mut buf) {
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
