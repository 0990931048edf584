//! Reading inputs: files, directories (recursively) and stdin, each turned
//! into SIP messages. Raw message files are framed as their transport
//! implies; capture files (pcap/pcapng, recognised by their magic number,
//! not their name) go through [`sip_response::capture`], which knows each
//! message's own transport and addresses. The reporting side only sees
//! [`Item`]s.

use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use bytes::{Bytes, BytesMut};
use sip_response::capture::{
    CaptureError, CaptureEvent, CaptureOptions, CaptureReader, Format, Timestamp,
};
use sip_response::validate::{
    Finding, Observation, Policy, Sighting, Transport, TxnConfig, TxnStats, TxnTracker,
};
use sip_response::{Message, MessageDecoder, OwnedMessage, ParseError, ParseOptions};

/// One message (or one framing failure) found in a source.
pub(crate) struct Item {
    /// The file path, or `-` for stdin (shared by the items of a source).
    pub(crate) source: Arc<str>,
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
    pub(crate) src: Option<SocketAddr>,
    pub(crate) dst: Option<SocketAddr>,
    /// In a capture: the message's offset in its TCP direction's stream.
    pub(crate) stream_offset: Option<u64>,
    /// In a capture: when the packet that completed it was captured.
    pub(crate) timestamp: Option<Timestamp>,
    pub(crate) content: Content,
    /// In a capture: the octets of the request this response answers,
    /// when the capture holds it (same Call-ID, CSeq and top Via branch),
    /// so the rules that compare the two can run; parsed again where the
    /// response is validated.
    pub(crate) request: Option<Bytes>,
    /// In a capture: what the transaction tracker made of the message
    /// (whether its request was seen, the rules skipped without it).
    pub(crate) txn: Option<Observation>,
    /// In a capture: the transaction rules it breaks, at their default
    /// severities (the run's policy is applied where it is validated).
    pub(crate) txn_findings: Vec<Finding>,
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
/// name order, so runs are reproducible), `-` is stdin. A file named on the
/// command line is always read; in a directory only captures (by their
/// magic number) and message files (`.sip`, `.msg`, and `.dat`, RFC 4475's
/// torture messages) are, and the rest is listed in `skipped` (hidden
/// files aside).
pub(crate) fn expand(inputs: &[PathBuf]) -> Expanded {
    let mut out = Expanded::default();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.files.push(input.clone());
        } else {
            walk(input, true, &mut out);
        }
    }
    out
}

/// What the command line names, once directories are walked.
#[derive(Default)]
pub(crate) struct Expanded {
    pub(crate) files: Vec<PathBuf>,
    pub(crate) failures: Vec<ReadFailure>,
    pub(crate) skipped: Vec<PathBuf>,
}

/// The extensions of message files a directory walk reads.
const MESSAGE_EXTENSIONS: [&str; 3] = ["sip", "msg", "dat"];

/// Is `path` (met in a directory walk) worth reading: a message file by
/// its extension, or a capture by its magic number?
fn is_input(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if MESSAGE_EXTENSIONS
        .iter()
        .any(|m| m.eq_ignore_ascii_case(ext))
    {
        return true;
    }
    let mut head = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| Format::detect(&head).is_some())
}

fn walk(path: &Path, named: bool, out: &mut Expanded) {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => match std::fs::read_dir(path) {
            Ok(entries) => {
                let mut children: Vec<PathBuf> =
                    entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                children.sort();
                for c in children {
                    let hidden = c
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
                    if !hidden {
                        walk(&c, false, out);
                    }
                }
            }
            Err(error) => out.failures.push(ReadFailure {
                source: path.display().to_string(),
                error,
            }),
        },
        Ok(_) if named || is_input(path) => out.files.push(path.to_path_buf()),
        Ok(_) => out.skipped.push(path.to_path_buf()),
        Err(error) => out.failures.push(ReadFailure {
            source: path.display().to_string(),
            error,
        }),
    }
}

/// How long a request is remembered for matching responses to it, and how
/// many at most.
#[derive(Clone, Debug)]
pub(crate) struct Correlation {
    /// A transaction is forgotten this long (capture time) after its last
    /// message: 64·T1 (RFC 3261 Timer F for non-INVITE, Timers B and H for
    /// INVITE, all 32 s with the default T1 of 500 ms).
    pub(crate) expiry: Duration,
    /// A hard cap past which the oldest is forgotten.
    pub(crate) max: usize,
    /// The transaction tracker's timers and cap; its expiry and cap are
    /// the two above.
    pub(crate) txn: TxnConfig,
    /// Addresses named as a proxy's (`--proxy`).
    pub(crate) proxies: Arc<[std::net::IpAddr]>,
    /// Addresses of stateless proxies (`--stateless` with `--own-via` or
    /// `--proxy` addresses).
    pub(crate) stateless: Arc<[std::net::IpAddr]>,
}

impl Correlation {
    /// The tracker's configuration: this table's expiry and cap.
    fn txn_config(&self) -> TxnConfig {
        TxnConfig {
            expiry: self.expiry,
            max_transactions: self.max,
            ..self.txn
        }
    }

    /// A transaction tracker with this configuration and these proxies.
    fn tracker(&self) -> TxnTracker {
        let mut t = TxnTracker::new(self.txn_config());
        for a in self.proxies.iter() {
            t = t.with_proxy(*a);
        }
        for a in self.stateless.iter() {
            t = t.with_stateless_proxy(*a);
        }
        t
    }
}

impl Default for Correlation {
    fn default() -> Self {
        Correlation {
            expiry: Duration::from_millis(64 * 500),
            max: MAX_REMEMBERED_REQUESTS,
            txn: TxnConfig::default(),
            proxies: Arc::from(Vec::new()),
            stateless: Arc::from(Vec::new()),
        }
    }
}

/// Files smaller than this are read without a progress bar: they take
/// but a moment.
const PROGRESS_FROM: u64 = 32 * 1024 * 1024;

/// Reads one source and hands its messages to `sink` as they are framed:
/// a capture is read as a stream (so `-` on a pipe gives results as packets
/// arrive); a message file is read whole. With `progress`, a large file
/// shows a progress bar on stderr. For a capture, returns how much
/// transaction state it took.
pub(crate) fn read_source(
    path: &Path,
    transport: Transport,
    correlation: Correlation,
    progress: bool,
    sink: &mut dyn FnMut(Item),
) -> Result<Option<TxnStats>, ReadFailure> {
    let source = path.display().to_string();
    let fail = |error| ReadFailure {
        source: source.clone(),
        error,
    };
    let mut bar = None;
    let mut input: Box<dyn Read + Send> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        let file = std::fs::File::open(path).map_err(fail)?;
        match file.metadata() {
            Ok(m) if progress && m.is_file() && m.len() >= PROGRESS_FROM => {
                let pb = indicatif::ProgressBar::new(m.len()).with_style(
                    indicatif::ProgressStyle::with_template(
                        "{msg} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                pb.set_message(source.clone());
                bar = Some(pb.clone());
                Box::new(pb.wrap_read(file))
            }
            _ => Box::new(file),
        }
    };
    // The magic number says whether it is a capture.
    let mut head = Vec::with_capacity(4);
    while head.len() < 4 {
        let mut b = [0u8; 4];
        match input.read(&mut b[..4 - head.len()]) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&b[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(fail(e)),
        }
    }
    if let Some((what, advice)) = foreign_capture(&head) {
        let e = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("{what}, not pcap or pcapng: {advice}"),
        );
        return Err(fail(e));
    }
    let rest = std::io::Cursor::new(head.clone()).chain(input);
    if Format::detect(&head).is_some() {
        let stats = capture(&source, rest, correlation, sink);
        if let Some(pb) = bar {
            pb.finish_and_clear();
        }
        return Ok(Some(stats));
    }
    let mut bytes = Vec::new();
    let mut rest = rest;
    rest.read_to_end(&mut bytes).map_err(fail)?;
    for item in frame(&source, Bytes::from(bytes), transport) {
        sink(item);
    }
    Ok(None)
}

/// What a file is, by its first four octets, and what to do, when it is
/// a capture (or a compressed file) this tool does not read: said as such,
/// rather than framed as a SIP message and reported as a broken start
/// line. A message file starts with `SIP/` or a method, never with these.
fn foreign_capture(head: &[u8]) -> Option<(&'static str, &'static str)> {
    const CONVERT: &str = "convert it first: editcap -F pcapng FILE OUT.pcapng";
    Some(match head {
        [0x1f, 0x8b, ..] => (
            "gzip-compressed",
            "decompress it first: zcat FILE | validate -",
        ),
        [0x28, 0xb5, 0x2f, 0xfd] => (
            "zstd-compressed",
            "decompress it first: zstdcat FILE | validate -",
        ),
        b"GMBU" => ("a Microsoft Network Monitor 2.x capture", CONVERT),
        b"RTSS" => ("a Microsoft Network Monitor 1.x capture", CONVERT),
        b"snoo" => ("a snoop capture", CONVERT),
        b"TRSN" => ("a Sniffer capture", CONVERT),
        // The little-endian form is read (`Format::detect`); pcap-parser
        // reads no other.
        [0xa1, 0xb2, 0xcd, 0x34] => ("a big-endian \"modified\" pcap capture", CONVERT),
        _ => return None,
    })
}

/// How many requests a capture remembers for matching responses to them
/// at most; past it the oldest is forgotten (a response that late goes
/// unmatched).
const MAX_REMEMBERED_REQUESTS: usize = 100_000;

/// The key a request shares with its responses
/// ([`TxnTracker::exchange_of`]: Call-ID, CSeq number, method, top Via
/// branch), which the capture's tracker hands over with its
/// [`Observation`](sip_response::validate::Observation) so the message is
/// not read again.
type TxKey = u128;

/// Where a transaction is, as far as how long to keep it goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// No response yet: kept for the expiry (64·T1, Timers B and F).
    Calling,
    /// An INVITE that has had a provisional response and no final one yet:
    /// kept for `TxnConfig::invite_pending` after its last message, since a
    /// call may ring for minutes (RFC 3261 §16.8 Timer C) and Timer B stops
    /// once a provisional arrives (§17.1.1.2).
    Ringing,
    /// A final response seen: kept for the expiry (Timers F and H).
    Done,
}

/// The requests of a capture's open transactions, forgotten on capture
/// time as a stateful observer would (see [`Correlation`]).
struct Transactions {
    config: Correlation,
    /// The request's octets (parsed again when a response needs it: the
    /// octets are a fraction of a parsed message's size), the capture time
    /// of the transaction's last message, and its [`Phase`].
    open: rustc_hash::FxHashMap<TxKey, (Bytes, Duration, Phase)>,
    /// When each key may expire, earliest first: one entry per open key,
    /// queued when the key is opened, and one more when a ringing INVITE
    /// ends (its deadline comes earlier then). A key seen again only updates
    /// its time in `open`; its entry is queued again with the new deadline
    /// when it comes due, so the heap never holds more than two entries per
    /// open key (a capture repeating one transaction with the same
    /// timestamp cannot grow it).
    deadlines: BinaryHeap<Reverse<(Duration, TxKey)>>,
    /// The latest capture time seen (captures are not always in order).
    now: Duration,
}

impl Transactions {
    fn new(config: Correlation) -> Self {
        Transactions {
            config,
            open: rustc_hash::FxHashMap::default(),
            deadlines: BinaryHeap::new(),
            now: Duration::ZERO,
        }
    }

    /// How long a transaction is kept after its last message.
    fn keep(&self, phase: Phase) -> Duration {
        match phase {
            Phase::Ringing => self.config.expiry.max(self.config.txn.invite_pending),
            Phase::Calling | Phase::Done => self.config.expiry,
        }
    }

    fn tick(&mut self, at: Duration) {
        self.now = self.now.max(at);
        while let Some(Reverse((deadline, _))) = self.deadlines.peek() {
            if *deadline > self.now && self.open.len() <= self.config.max {
                break;
            }
            let Some(Reverse((_, key))) = self.deadlines.pop() else {
                break;
            };
            // Seen again since (or still ringing): due later, queue it
            // again; else forget it.
            match self.open.get(&key) {
                Some((_, last, phase))
                    if *last + self.keep(*phase) > self.now
                        && self.open.len() <= self.config.max =>
                {
                    let due = *last + self.keep(*phase);
                    self.deadlines.push(Reverse((due, key)));
                }
                _ => {
                    self.open.remove(&key);
                }
            }
        }
    }

    /// A message seen at `at`, of exchange `key`
    /// ([`TxnTracker::exchange_of`]): a request opens (or refreshes) its
    /// transaction; a response refreshes it and gets its request.
    fn observe(&mut self, msg: &OwnedMessage, key: Option<TxKey>, at: Duration) -> Option<Bytes> {
        self.tick(at);
        let view = msg.view();
        // An ACK gets no response: nothing to keep it for.
        if let Message::Request(r) = &view {
            if r.method() == b"ACK" {
                return None;
            }
        }
        let key = key?;
        let deadline = self.now + self.config.expiry;
        let found = match &view {
            Message::Response(r) => {
                let (req, last, phase) = self.open.get_mut(&key)?;
                *last = self.now;
                let was = *phase;
                *phase = match (was, r.status().as_u16() < 200) {
                    (Phase::Done, _) => Phase::Done,
                    (_, true) if req.starts_with(b"INVITE ") => Phase::Ringing,
                    (_, true) => was,
                    (_, false) => Phase::Done,
                };
                let req = req.clone();
                if was == Phase::Ringing && *phase == Phase::Done {
                    // Its queued deadline is the ringing one: queue the
                    // nearer one too, so it goes on time.
                    self.deadlines.push(Reverse((deadline, key)));
                }
                Some(req)
            }
            Message::Request(_) => {
                match self.open.get_mut(&key) {
                    // A retransmission: the first copy is kept.
                    Some((_, last, _)) => *last = self.now,
                    None => {
                        self.open
                            .insert(key, (msg.bytes().clone(), self.now, Phase::Calling));
                        self.deadlines.push(Reverse((deadline, key)));
                    }
                }
                None
            }
        };
        // The hard cap: the oldest deadlines go first.
        while self.open.len() > self.config.max {
            match self.deadlines.pop() {
                Some(Reverse((_, k))) => {
                    self.open.remove(&k);
                }
                None => break,
            }
        }
        found
    }
}

/// An item reporting a problem with the capture file. It has no transport
/// (the report prints none); `Udp` fills the field.
fn problem_item(source: &str, index: usize, e: CaptureError) -> Item {
    Item {
        source: source.into(),
        frame: e.frame,
        index,
        offset: 0,
        transport: Transport::Udp,
        src: None,
        dst: None,
        stream_offset: None,
        timestamp: None,
        content: Content::CaptureProblem(e),
        request: None,
        txn: None,
        txn_findings: Vec::new(),
    }
}

/// Turns a capture's events into items, matching each response to the
/// request it answers when the capture holds that request, and running the
/// transaction rules over them in capture order.
pub(crate) struct CaptureItems {
    source: Arc<str>,
    transactions: Transactions,
    tracker: TxnTracker,
    /// The tracker reports at default severities (every rule on); the
    /// run's policy is applied with the validator's.
    policy: Policy,
    index: usize,
}

impl CaptureItems {
    pub(crate) fn new(source: &str, correlation: Correlation) -> Self {
        let mut policy = Policy::new();
        for info in sip_response::validate::rules() {
            let _ = policy.enable(info.id);
        }
        CaptureItems {
            source: source.into(),
            transactions: Transactions::new(correlation.clone()),
            tracker: correlation.tracker(),
            policy,
            index: 0,
        }
    }

    /// How much transaction state the capture took so far.
    pub(crate) fn txn_stats(&self) -> TxnStats {
        self.tracker.stats()
    }

    pub(crate) fn item(&mut self, event: CaptureEvent) -> Item {
        self.index += 1;
        let index = self.index;
        match event {
            CaptureEvent::Problem(e) => problem_item(&self.source, index, e),
            CaptureEvent::Message(m) => {
                let at = Duration::new(m.timestamp.secs, m.timestamp.nanos);
                let mut txn_findings = Vec::new();
                let txn = m.message.as_ref().ok().map(|msg| {
                    let seen = Sighting {
                        at,
                        src: m.src,
                        dst: m.dst,
                        transport: m.transport,
                    };
                    self.tracker
                        .observe(&msg.view(), seen, &self.policy, &mut txn_findings)
                });
                let request = match (&m.message, txn) {
                    (Ok(msg), Some(obs)) => self.transactions.observe(msg, obs.exchange(), at),
                    _ => None,
                };
                Item {
                    source: self.source.clone(),
                    frame: Some(m.frame),
                    index,
                    offset: 0,
                    transport: m.transport,
                    src: Some(m.src),
                    dst: Some(m.dst),
                    stream_offset: m.stream_offset,
                    timestamp: Some(m.timestamp),
                    content: m.message.into(),
                    request,
                    txn,
                    txn_findings,
                }
            }
        }
    }
}

/// Reads the SIP messages of a capture as a stream; returns how much
/// transaction state it took.
fn capture(
    source: &str,
    input: impl Read + Send + 'static,
    correlation: Correlation,
    sink: &mut dyn FnMut(Item),
) -> TxnStats {
    let mut items = CaptureItems::new(source, correlation);
    let options = CaptureOptions::default().limits(crate::limits());
    let reader = match CaptureReader::from_read(input, options) {
        Ok(r) => r,
        Err(e) => {
            sink(problem_item(source, 1, e));
            return items.txn_stats();
        }
    };
    for event in reader {
        sink(items.item(event));
    }
    items.txn_stats()
}

/// Frames `bytes`: one message per file on datagram transports (and
/// WebSocket, where each message is one SIP message), a stream of messages
/// on TCP/TLS. A stream stops at its first framing error: after it the
/// boundaries are unknown (RFC 3261 §18.3).
pub(crate) fn frame(source: &str, bytes: Bytes, transport: Transport) -> Vec<Item> {
    let source: Arc<str> = source.into();
    let item = |index, offset, message| Item {
        source: source.clone(),
        frame: None,
        index,
        offset,
        transport,
        src: None,
        dst: None,
        stream_offset: None,
        timestamp: None,
        content: Content::from(message),
        request: None,
        txn: None,
        txn_findings: Vec::new(),
    };
    if !transport.is_stream() {
        return vec![item(
            1,
            0,
            OwnedMessage::parse_with(bytes, &crate::datagram_options()),
        )];
    }
    let mut out = Vec::new();
    let mut dec = MessageDecoder::new(ParseOptions::stream().with_limits(crate::limits()));
    let mut buf = BytesMut::from(&bytes[..]);
    // A stream holds a conversation: a response gets the request of its
    // transaction when the stream carried it before (the request-context
    // rules then run, as in a capture). No capture time: nothing expires.
    let mut transactions = Transactions::new(Correlation::default());
    loop {
        match dec.decode_message(&mut buf) {
            Ok(Some(m)) => {
                let start = dec.stream_offset() - m.bytes().len();
                let key = TxnTracker::exchange_of(&m.view());
                let request = transactions.observe(&m, key, Duration::ZERO);
                let mut it = item(out.len() + 1, start, Ok(m));
                it.request = request;
                out.push(it);
            }
            Ok(None) => {
                // The whole file is the stream, and it has ended: the
                // decoder tells a clean end (keep-alives at most) from a
                // message cut short in its head or its body.
                let start = dec.stream_offset();
                if let Err(e) = dec.decode_eof(&mut buf) {
                    out.push(item(out.len() + 1, start, Err(e)));
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

#[cfg(test)]
mod tests {
    use super::*;

    const INVITE: &[u8] = b"INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n\
From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
    const TRYING: &[u8] = b"SIP/2.0 100 Trying\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n\
From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";

    fn owned(b: &'static [u8]) -> OwnedMessage {
        OwnedMessage::parse(Bytes::from_static(b)).unwrap()
    }

    /// `msg` seen at `at`, keyed as a reader without a tracker keys it.
    fn see(t: &mut Transactions, msg: &OwnedMessage, at: Duration) -> Option<Bytes> {
        t.observe(msg, TxnTracker::exchange_of(&msg.view()), at)
    }

    /// A ringing INVITE keeps its request past 64·T1, until its final
    /// response (Timer B stops at the first provisional, RFC 3261
    /// §17.1.1.2; a call may ring for minutes): a 486 35 s after the 180
    /// (baresip answering busy) still gets it. Without the 180 it is gone.
    #[test]
    fn a_ringing_invite_waits_for_its_final_response() {
        const RINGING: &[u8] = b"SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n\
From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        const BUSY: &[u8] = b"SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\n\
From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=2\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        let (req, ringing, busy) = (owned(INVITE), owned(RINGING), owned(BUSY));
        let secs = Duration::from_secs;
        let mut t = Transactions::new(Correlation::default());
        see(&mut t, &req, secs(0));
        assert!(see(&mut t, &ringing, secs(1)).is_some());
        assert!(see(&mut t, &busy, secs(36)).is_some(), "kept while ringing");
        // After the final response, the usual 64·T1.
        t.tick(secs(36 + 33));
        assert!(t.open.is_empty());
        let mut t = Transactions::new(Correlation::default());
        see(&mut t, &req, secs(0));
        assert!(
            see(&mut t, &busy, secs(36)).is_none(),
            "no provisional: Timer B"
        );
    }

    /// One transaction seen again and again at one capture time keeps one
    /// deadline: the queue is bounded by the open transactions.
    #[test]
    fn repeats_do_not_grow_the_deadline_queue() {
        let mut t = Transactions::new(Correlation::default());
        let (req, resp) = (owned(INVITE), owned(TRYING));
        for _ in 0..10_000 {
            see(&mut t, &req, Duration::from_secs(5));
            assert!(see(&mut t, &resp, Duration::from_secs(5)).is_some());
        }
        assert_eq!((t.open.len(), t.deadlines.len()), (1, 1));
        // The 100 makes it a ringing INVITE: refreshed at 20 s, it outlives
        // its first deadline (5 + 32 s)...
        see(&mut t, &resp, Duration::from_secs(20));
        t.tick(Duration::from_secs(40));
        assert_eq!((t.open.len(), t.deadlines.len()), (1, 1));
        // ...and is forgotten 200 s (`invite_pending`) after it was last
        // seen, having had no final response.
        t.tick(Duration::from_secs(219));
        assert_eq!(t.open.len(), 1);
        t.tick(Duration::from_secs(221));
        assert_eq!((t.open.len(), t.deadlines.len()), (0, 0));
        // A non-INVITE: 32 s after its last message.
        let mut t = Transactions::new(Correlation::default());
        let options = owned(
            b"OPTIONS sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK2\r\n\
From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c2\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
        );
        see(&mut t, &options, Duration::from_secs(5));
        t.tick(Duration::from_secs(36));
        assert_eq!(t.open.len(), 1);
        t.tick(Duration::from_secs(38));
        assert_eq!((t.open.len(), t.deadlines.len()), (0, 0));
    }
}
