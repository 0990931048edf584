//! Transaction state for auditing a stream of messages (a capture, a HEP
//! feed, a proxy's own traffic): the rules one response cannot decide
//! because they compare it with the other messages of its transaction.
//!
//! A [`TxnTracker`] is fed every message in capture order with where and
//! when it was seen ([`Sighting`]). It groups them into server transactions
//! and reports, on the message that breaks it:
//!
//! * `final-response-multiple`: a second, different final response;
//! * `provisional-after-final`: a new provisional after a final;
//! * `to-tag-inconsistent`: one UAS (one source and Contact) changing its
//!   To tag within a transaction;
//! * `100-non-invite-udp-early`: a 100 to a non-INVITE over UDP before the
//!   client's Timer E reached T2 (RFC 4320 §4.1);
//! * `invite-provisional-refresh`: an INVITE left over a minute without a
//!   non-100 provisional (RFC 3261 §13.3.1.1);
//! * `rseq-sequence` and the transaction half of `rseq-range`: reliable
//!   provisionals must count up by one from at most 2^31−1 (RFC 3262 §3);
//! * `2xx-invite-sdp`: a 2xx to INVITE without a session description when
//!   no reliable provisional of its UAS carried one (RFC 3261 §13.3.1.4:
//!   it owes either the answer or an offer);
//! * `500-reinvite-retry-after`: a 500 to an INVITE that arrived while an
//!   earlier INVITE of its dialog (Call-ID and tags) had no final response
//!   yet, without a Retry-After of 0 to 10 s (RFC 3261 §14.2).
//!
//! **Proxy hops.** A response received on an address and the same
//! response sent from that address with one Via less (its top Via, the
//! proxy's, removed; Call-ID and CSeq equal) is a proxy forwarding it. The
//! capture tells the proxy by that address; [`TxnTracker::with_proxy`]
//! names it when it receives and sends on different ones. On the copy
//! sent upstream the tracker reports (RFC 3261 §16.7):
//!
//! * `proxy-no-body-change`: same code and To tag, but another body, or a
//!   header value of the received response missing (added values are
//!   allowed; Record-Route is left out, as the proxy may rewrite its own
//!   entry, step 8; only the first 24 values received are kept);
//! * `proxy-to-tag-immutable`: a 1xx or 2xx equal to one received but for
//!   an added or changed To tag;
//! * `100-not-forwarded`: a copy of a 100 received (one with a header of
//!   its sender's own, a Server or the like, so that the proxy's own 100
//!   is not mistaken for it);
//! * `proxy-503-forward`: a 503 sent while a 503 was received;
//! * `proxy-forward-timing`, its after-a-final half: a copy forwarded after
//!   the proxy's server transaction sent a final response, other than a 2xx
//!   to INVITE (reported instead of `final-response-multiple` or
//!   `provisional-after-final`; a forwarded 2xx to INVITE after a non-2xx
//!   final is what §16.7 step 5 asks, not a second final). The before-a-final
//!   half (a final held while other branches are pending) needs the
//!   branches, which a capture rarely shows all of;
//! * `proxy-best-response`, over the branches the capture shows: a final
//!   sent while a 6xx was received must be the 6xx (error); it should be of
//!   the lowest class received, 3xx aside (the proxy may recurse on them),
//!   and among 4xx prefer 401, 407, 415, 420 or 484 (warnings). Unseen
//!   branches can only hide a finding. "No final received, so 408" needs
//!   every branch;
//! * `proxy-auth-aggregation`: a 401 or 407 sent that lacks a challenge
//!   (WWW- or Proxy-Authenticate value) of a 401 or 407 received (the
//!   reordering half is not checked);
//! * `proxy-424-unchanged` (a 424's Geolocation, Geolocation-Error or body
//!   changed), `proxy-path-service-route-unaltered` (a 2xx to REGISTER's
//!   Path or Service-Route changed) and `proxy-allow-events-insert` (an
//!   Allow-Events added): these name the difference, instead of
//!   `proxy-no-body-change`.
//!
//! **Matching** follows RFC 3261 §17.1.3 and §17.2.3: a top Via branch with
//! the magic cookie `z9hG4bK`, plus the Via sent-by and the CSeq method
//! (ACK counts as INVITE, CANCEL is its own transaction). Without the
//! cookie (RFC 2543 elements) the key is Call-ID, CSeq, From tag and the
//! whole top Via; the To tag is left out, since the request has none (or
//! the dialog's) while each UAS adds its own to its responses. Keys are
//! scoped to an observation point: the two addresses a message travelled
//! between, in either direction, so the two legs of a proxy are two
//! transactions, as they are on the wire.
//!
//! **Same response.** A retransmission is the same message again, but a
//! server that regenerates its response (a stateless one, or a UAS core
//! re-sending a 2xx) may stamp a new `Date` or `Timestamp`; those two
//! header fields are all that is ignored. Everything else — status code,
//! reason phrase, every other header field (name, value, order) and the
//! body — must be equal.
//!
//! **Bounded.** Keys and contents are kept as 128-, 64- and 32-bit hashes,
//! and each transaction, proxy hop (the responses received with one Via
//! more than a given stack) and dialog is a fixed-size record (about 420,
//! 730 and 60 octets; no allocation per message once the tables have
//! grown). An entry is forgotten on capture time [`TxnConfig::expiry`]
//! after its last message (64·T1, like Timers B, F and H), or
//! [`TxnConfig::invite_pending`] for an INVITE still waiting for its final
//! response; past [`TxnConfig::max_transactions`] entries in a table the
//! one due to expire first is evicted, and counted ([`TxnStats::evicted`])
//! so a report can say that state was lost. `tests/txn_alloc.rs` holds the
//! heap to a flat peak on an endless stream of new transactions.
//!
//! Rules that need the request (its capture time, or proof that a response
//! was the transaction's first) stay silent when the request was not seen;
//! [`Observation::skipped`] names them, so a report can say "skipped:
//! request not seen" once per rule rather than per message.

use std::cmp::Reverse;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{Hash, Hasher};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::catalogue::Rule;
use super::finding::{Detail, DetailArg, Severity};
use super::policy::Policy;
use super::table::r;
use super::{Emitter, FindingSink};
use crate::header::typed::{
    CSeq, CallId, ContentType, FromHeader, RSeq, RetryAfter, ToHeader, Via,
};
use crate::header::KnownHeader;
use crate::message::{Message, Response};
use crate::span::Span;
use crate::transport::Transport;

/// Timers and limits of a [`TxnTracker`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxnConfig {
    /// A transaction is forgotten this long (capture time) after its last
    /// message: 64·T1 by default (32 s), RFC 3261 Timers B, F and H.
    pub expiry: Duration,
    /// An INVITE transaction without a final response is kept this long
    /// after its last message instead (default 200 s: past the three
    /// minutes after which a proxy's Timer C cancels it, RFC 3261 §16.8),
    /// so that a missing provisional refresh can be measured.
    pub invite_pending: Duration,
    /// At most this many transactions (and as many proxy hops and dialogs)
    /// are kept; past it the one due to expire first is evicted (and
    /// counted).
    pub max_transactions: usize,
    /// RFC 3261 T1, the round-trip estimate (default 500 ms).
    pub t1: Duration,
    /// RFC 3261 T2, the cap of non-INVITE retransmission intervals
    /// (default 4 s).
    pub t2: Duration,
}

impl Default for TxnConfig {
    fn default() -> Self {
        TxnConfig {
            expiry: Duration::from_millis(64 * 500),
            invite_pending: Duration::from_secs(200),
            max_transactions: 100_000,
            t1: Duration::from_millis(500),
            t2: Duration::from_secs(4),
        }
    }
}

impl TxnConfig {
    /// How long after the request a client transaction's Timer E is first
    /// reset to T2: the sum of its doubling intervals below T2 (3.5 s with
    /// the default timers). RFC 4320 §4.1 forbids a 100 to a non-INVITE over
    /// an unreliable transport before then.
    pub fn timer_e_reaches_t2(&self) -> Duration {
        let (mut at, mut interval) = (Duration::ZERO, self.t1);
        // Bounded: the interval doubles (a zero T1 ends at once).
        while interval < self.t2 && !interval.is_zero() {
            at += interval;
            interval = interval.saturating_mul(2);
        }
        at
    }
}

/// Where and when a message was seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sighting {
    /// Capture time (any epoch; only differences matter).
    pub at: Duration,
    /// The sender's address.
    pub src: SocketAddr,
    /// The receiver's address.
    pub dst: SocketAddr,
    /// The transport it travelled on.
    pub transport: Transport,
}

/// What the tracker made of one message, besides its findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Observation {
    matched: bool,
    request_seen: bool,
    skipped: u8,
}

/// The rules an [`Observation`] may report as skipped, by bit.
const SKIPPABLE: [Rule; 5] = [
    r::R_100_NON_INVITE_UDP_EARLY,
    r::INVITE_PROVISIONAL_REFRESH,
    crate::validate::rules::RSEQ_RANGE,
    r::R_2XX_INVITE_SDP,
    r::R_500_REINVITE_RETRY_AFTER,
];

impl Observation {
    /// True when the message belongs to a transaction the tracker keeps
    /// (false for ACKs, and for messages without a usable Via or CSeq).
    pub fn is_tracked(&self) -> bool {
        self.matched
    }

    /// For a response: true when its request was seen at the same
    /// observation point (and not forgotten since).
    pub fn request_seen(&self) -> bool {
        self.request_seen
    }

    /// The rules that applied to this response but were not checked
    /// because the request was not seen.
    pub fn skipped(&self) -> impl Iterator<Item = Rule> + '_ {
        SKIPPABLE
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.skipped & (1 << i) != 0)
            .map(|(_, r)| *r)
    }

    fn skip(&mut self, rule: Rule) {
        if let Some(i) = SKIPPABLE.iter().position(|r| *r == rule) {
            self.skipped |= 1 << i;
        }
    }
}

/// How much state a [`TxnTracker`] holds and has dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TxnStats {
    /// Transactions kept now.
    pub live: usize,
    /// The most kept at once.
    pub peak: usize,
    /// Transactions forgotten because they expired (the normal end).
    pub expired: u64,
    /// Transactions evicted by the [`TxnConfig::max_transactions`] cap
    /// before they expired: state lost, so later messages of theirs are
    /// judged without it.
    pub evicted: u64,
    /// The cap.
    pub capacity: usize,
}

/// The last few values of a kind, oldest overwritten first: enough to tell
/// a retransmission from a new message without growing.
#[derive(Clone, Copy, Debug)]
struct Recent<T: Copy + Default, const N: usize> {
    items: [T; N],
    len: u8,
    next: u8,
}

impl<T: Copy + Default, const N: usize> Default for Recent<T, N> {
    fn default() -> Self {
        Recent {
            items: [T::default(); N],
            len: 0,
            next: 0,
        }
    }
}

impl<T: Copy + Default + PartialEq, const N: usize> Recent<T, N> {
    fn iter(&self) -> impl Iterator<Item = &T> {
        self.items[..self.len as usize].iter()
    }

    fn contains(&self, t: &T) -> bool {
        self.iter().any(|x| x == t)
    }

    fn push(&mut self, t: T) {
        self.items[self.next as usize] = t;
        self.next = ((self.next as usize + 1) % N) as u8;
        self.len = (self.len as usize + 1).min(N) as u8;
    }
}

/// A final response already sent: its content hash, To tag hash (0 for
/// none) and code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct FinalSeen {
    content: u64,
    to_tag: u64,
    code: u16,
}

/// One server transaction: a fixed-size record.
#[derive(Clone, Debug, Default)]
struct Txn {
    invite: bool,
    /// Capture time of the request's first copy, when it was seen.
    request_at: Option<Duration>,
    /// Capture time of the last message.
    last: Duration,
    /// The finals sent (the first, then different ones already reported,
    /// so their retransmissions are not reported again).
    finals: Recent<FinalSeen, 4>,
    /// Content hashes of the provisionals sent, to recognise their
    /// retransmissions after the final.
    provisionals: Recent<u64, 8>,
    /// Since when an INVITE has been pending without a non-100
    /// provisional: the request's time, then each such provisional's.
    refresh_from: Option<Duration>,
    /// Per UAS identity (source and Contact hash): its To tag hash.
    uas_tags: Recent<(u64, u64), 4>,
    /// Per To tag hash: the last RSeq of its reliable provisionals.
    rseq: Recent<(u64, u32), 4>,
    /// The To tags (hashes) of reliable provisionals that carried a
    /// session description (an offer or answer, RFC 3262).
    sdp_tags: Recent<u64, 4>,
    /// An INVITE inside a dialog that arrived while an earlier INVITE of
    /// that dialog had no final response yet (RFC 3261 §14.2).
    overlaps_invite: bool,
}

impl Txn {
    /// When this transaction may be forgotten.
    fn expires_at(&self, config: &TxnConfig) -> Duration {
        let keep = if self.invite && self.finals.len == 0 {
            config.invite_pending.max(config.expiry)
        } else {
            config.expiry
        };
        self.last.saturating_add(keep)
    }
}

/// Something a [`Table`] keeps until it expires.
trait Expiring {
    fn expires_at(&self, config: &TxnConfig) -> Duration;
}

impl Expiring for Txn {
    fn expires_at(&self, config: &TxnConfig) -> Duration {
        Txn::expires_at(self, config)
    }
}

/// The INVITEs of a dialog still waiting for their final response, by
/// CSeq number (RFC 3261 §14.2 asks for a 500 to an INVITE that overlaps
/// one).
#[derive(Clone, Copy, Debug, Default)]
struct Dialog {
    last: Duration,
    pending: Recent<Option<u32>, 4>,
}

impl Expiring for Dialog {
    fn expires_at(&self, config: &TxnConfig) -> Duration {
        self.last
            .saturating_add(config.invite_pending.max(config.expiry))
    }
}

/// The dialog key of an in-dialog message (Call-ID and both tags, per
/// observation point) and its CSeq number; `None` without a To tag.
fn dialog_key(msg: &Message<'_>, seen: &Sighting) -> Option<(u128, u32)> {
    let h = msg.headers();
    let to_tag = h.typed_lax_all::<ToHeader<'_>>().next()?.tag()?;
    let from_tag = h
        .typed_lax_all::<FromHeader<'_>>()
        .next()
        .and_then(|f| f.tag());
    let call_id = h.get(KnownHeader::CallId)?.value().trim_ascii();
    let cseq = h.typed::<CSeq<'_>>()?.ok()?.number();
    let (a, b) = if seen.src <= seen.dst {
        (seen.src, seen.dst)
    } else {
        (seen.dst, seen.src)
    };
    let mut parts = [hasher(13), hasher(14)];
    for p in &mut parts {
        (a, b, call_id, from_tag, to_tag).hash(p);
    }
    let key = (u128::from(parts[0].finish()) << 64) | u128::from(parts[1].finish());
    Some((key, cseq))
}

/// A map bounded in time (entries expire on capture time) and in size (a
/// cap past which the entry due first is evicted, and counted).
#[derive(Debug)]
struct Table<V> {
    open: HashMap<u128, V>,
    /// One entry per open key: when to look at it again. An entry whose
    /// value was seen since is pushed back with its new time when it comes
    /// up, so the heap never holds more than `open`.
    due: BinaryHeap<Reverse<(Duration, u128)>>,
    expired: u64,
    evicted: u64,
    peak: usize,
}

impl<V: Expiring + Default> Table<V> {
    fn new() -> Self {
        Table {
            open: HashMap::new(),
            due: BinaryHeap::new(),
            expired: 0,
            evicted: 0,
            peak: 0,
        }
    }

    /// The value of `key`, made (evicting past `cap`) if new.
    fn entry(&mut self, key: u128, now: Duration, cap: usize) -> &mut V {
        if !self.open.contains_key(&key) {
            while self.open.len() >= cap.max(1) {
                let Some(Reverse((_, old))) = self.due.pop() else {
                    break;
                };
                if self.open.remove(&old).is_some() {
                    self.evicted += 1;
                }
            }
            self.due.push(Reverse((now, key)));
            self.peak = self.peak.max(self.open.len() + 1);
        }
        self.open.entry(key).or_default()
    }

    /// Forgets what expired by `now`.
    fn tick(&mut self, now: Duration, config: &TxnConfig) {
        while let Some(Reverse((due, key))) = self.due.peek().copied() {
            if due > now {
                break;
            }
            self.due.pop();
            let Some(v) = self.open.get(&key) else {
                continue;
            };
            let expires = v.expires_at(config);
            if expires > now {
                self.due.push(Reverse((expires, key)));
            } else {
                self.open.remove(&key);
                self.expired += 1;
            }
        }
    }
}

/// Groups messages into server transactions and checks the rules that
/// compare a response with the rest of its transaction, and with the same
/// response on the other side of a proxy (see the module docs). Memory is
/// bounded by [`TxnConfig::max_transactions`].
#[derive(Debug)]
pub struct TxnTracker {
    config: TxnConfig,
    txns: Table<Txn>,
    hops: Table<Hop>,
    dialogs: Table<Dialog>,
    /// Addresses named as proxies ([`TxnTracker::with_proxy`]).
    proxies: Vec<IpAddr>,
    /// The latest capture time seen (captures are not always in order).
    now: Duration,
}

impl TxnTracker {
    /// Every rule the tracker reports: they run in capture mode whatever
    /// the validating role (a capture shows the proxy's hops as they were).
    pub const RULES: [Rule; 19] = [
        r::FINAL_RESPONSE_MULTIPLE,
        r::PROVISIONAL_AFTER_FINAL,
        r::TO_TAG_INCONSISTENT,
        r::R_100_NON_INVITE_UDP_EARLY,
        r::INVITE_PROVISIONAL_REFRESH,
        r::RSEQ_SEQUENCE,
        crate::validate::rules::RSEQ_RANGE,
        crate::validate::rules::R_100_NOT_FORWARDED,
        r::PROXY_TO_TAG_IMMUTABLE,
        r::PROXY_NO_BODY_CHANGE,
        r::PROXY_503_FORWARD,
        r::PROXY_424_UNCHANGED,
        r::PROXY_PATH_SERVICE_ROUTE_UNALTERED,
        r::PROXY_ALLOW_EVENTS_INSERT,
        r::R_2XX_INVITE_SDP,
        r::R_500_REINVITE_RETRY_AFTER,
        r::PROXY_FORWARD_TIMING,
        r::PROXY_BEST_RESPONSE,
        r::PROXY_AUTH_AGGREGATION,
    ];

    /// An empty tracker.
    pub fn new(config: TxnConfig) -> Self {
        TxnTracker {
            config,
            txns: Table::new(),
            hops: Table::new(),
            dialogs: Table::new(),
            proxies: Vec::new(),
            now: Duration::ZERO,
        }
    }

    /// Treats `addr` as a proxy's address even when the capture cannot
    /// tell (a proxy that receives on one address and sends from another):
    /// a response received on one of these addresses and sent from one of
    /// them with one Via less is a forwarded response.
    pub fn with_proxy(mut self, addr: IpAddr) -> Self {
        self.proxies.push(addr);
        self
    }

    /// The configuration.
    pub fn config(&self) -> &TxnConfig {
        &self.config
    }

    /// How much state is held, and how much was dropped (transactions and
    /// proxy hops together).
    pub fn stats(&self) -> TxnStats {
        TxnStats {
            live: self.txns.open.len() + self.hops.open.len() + self.dialogs.open.len(),
            peak: self.txns.peak.max(self.hops.peak).max(self.dialogs.peak),
            expired: self.txns.expired + self.hops.expired + self.dialogs.expired,
            evicted: self.txns.evicted + self.hops.evicted + self.dialogs.evicted,
            capacity: self.config.max_transactions,
        }
    }

    /// Takes one message seen at `seen`, and reports to `sink` (through
    /// `policy`) the transaction and proxy-hop rules it breaks. Requests
    /// only open or refresh their transaction.
    pub fn observe(
        &mut self,
        msg: &Message<'_>,
        seen: Sighting,
        policy: &Policy,
        sink: &mut impl FindingSink,
    ) -> Observation {
        self.now = self.now.max(seen.at);
        self.txns.tick(self.now, &self.config);
        self.hops.tick(self.now, &self.config);
        self.dialogs.tick(self.now, &self.config);
        let mut obs = Observation::default();
        let Some((key, method)) = transaction_key(msg, &seen) else {
            return obs;
        };
        if method == Method::Ack {
            return obs;
        }
        obs.matched = true;
        // For a response: what the hop checks compare, and whether it is a
        // proxy's copy of one it received.
        let shape = match msg {
            Message::Response(resp) => Shape::of(resp),
            Message::Request(_) => None,
        };
        let forwarded = shape.as_ref().is_some_and(|s| self.is_copy(s, &seen));
        let config = self.config;
        let txn = self.txns.entry(key, self.now, config.max_transactions);
        txn.invite = method == Method::Invite;
        txn.last = txn.last.max(seen.at);
        match msg {
            Message::Request(_) => {
                let first = txn.request_at.is_none();
                if txn.request_at.map_or(true, |t| seen.at < t) {
                    txn.request_at = Some(seen.at);
                    if txn.invite && txn.refresh_from.is_none() {
                        txn.refresh_from = Some(seen.at);
                    }
                }
                let invite = txn.invite;
                if first && invite {
                    if let Some((dkey, cseq)) = dialog_key(msg, &seen) {
                        let dialog = self.dialogs.entry(dkey, self.now, config.max_transactions);
                        dialog.last = dialog.last.max(seen.at);
                        let overlaps = dialog.pending.iter().any(|p| p.is_some_and(|c| c != cseq));
                        if !dialog.pending.contains(&Some(cseq)) {
                            dialog.pending.push(Some(cseq));
                        }
                        if let Some(txn) = self.txns.open.get_mut(&key) {
                            txn.overlaps_invite = overlaps;
                        }
                    }
                }
            }
            Message::Response(resp) => {
                obs.request_seen = txn.request_at.is_some();
                let invite = txn.invite;
                let mut out = Emitter::new(policy, sink);
                let retransmission =
                    check_response(&config, txn, resp, &seen, forwarded, &mut obs, &mut out);
                // A final response ends its INVITE's wait in the dialog.
                if invite && resp.status().as_u16() >= 200 {
                    if let Some((dkey, cseq)) = dialog_key(msg, &seen) {
                        if let Some(d) = self.dialogs.open.get_mut(&dkey) {
                            for p in &mut d.pending.items {
                                if *p == Some(cseq) {
                                    *p = None;
                                }
                            }
                        }
                    }
                }
                if let Some(shape) = shape {
                    self.hop(resp, shape, &seen, retransmission, &mut out);
                }
            }
        }
        obs
    }

    /// The responses a proxy received that `shape`, sent as `seen`, may be
    /// a copy of: one Via more, received before on the address it is sent
    /// from (or on one of the named proxy's).
    fn received<'s>(
        &'s self,
        shape: &Shape,
        seen: &'s Sighting,
    ) -> impl Iterator<Item = &'s Inbound> + 's {
        let proxy = move |received_on: IpAddr| {
            received_on == seen.src.ip()
                || (self.proxies.contains(&received_on) && self.proxies.contains(&seen.src.ip()))
        };
        self.hops
            .open
            .get(&shape.full)
            .into_iter()
            .flat_map(|hop| hop.inbound.iter())
            .filter(move |i| proxy(i.received_on) && i.at <= seen.at)
    }

    /// Whether `shape` is a proxy's copy of a response it received: same
    /// code and To tag, one Via less.
    fn is_copy(&self, shape: &Shape, seen: &Sighting) -> bool {
        self.received(shape, seen)
            .any(|i| i.code == shape.code && i.to_tag == shape.to_tag)
    }

    /// The proxy-hop checks: `resp` as forwarded (matched against the
    /// responses received with one Via more), then kept as one a proxy may
    /// forward.
    fn hop<S: FindingSink + ?Sized>(
        &mut self,
        resp: &Response<'_>,
        shape: Shape,
        seen: &Sighting,
        retransmission: bool,
        out: &mut Emitter<'_, S>,
    ) {
        if !retransmission {
            check_forwarded(&shape, self.received(&shape, seen), resp, out);
        }
        if let Some(minus_top) = shape.minus_top {
            let now = self.now;
            let hop = self
                .hops
                .entry(minus_top, now, self.config.max_transactions);
            hop.last = hop.last.max(seen.at);
            let inbound = shape.inbound(seen);
            if !hop.inbound.contains(&inbound) {
                hop.inbound.push(inbound);
            }
        }
    }
}

/// The CSeq method, as far as transactions care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Method {
    Invite,
    Ack,
    Other,
}

fn hasher(domain: u8) -> DefaultHasher {
    let mut h = DefaultHasher::new();
    domain.hash(&mut h);
    h
}

/// The transaction key (RFC 3261 §17.1.3, §17.2.3, with the RFC 2543
/// fallback) scoped to the observation point, and the method.
fn transaction_key(msg: &Message<'_>, seen: &Sighting) -> Option<(u128, Method)> {
    let h = msg.headers();
    let cseq = h.typed::<CSeq<'_>>()?.ok()?;
    let via = h.typed_lax_all::<Via<'_>>().next()?;
    let method = match cseq.method() {
        "INVITE" => Method::Invite,
        "ACK" => Method::Ack,
        _ => Method::Other,
    };
    // ACK belongs to the INVITE's transaction (a non-2xx ACK shares its
    // branch); it is matched, then ignored.
    let key_method = if method == Method::Ack {
        "INVITE"
    } else {
        cseq.method()
    };
    let (a, b) = if seen.src <= seen.dst {
        (seen.src, seen.dst)
    } else {
        (seen.dst, seen.src)
    };
    let mut parts = [hasher(1), hasher(2)];
    for p in &mut parts {
        (a, b).hash(p);
        key_method.hash(p);
        match via.branch().filter(|_| via.has_magic_cookie()) {
            Some(branch) => {
                b"3261".hash(p);
                branch.hash(p);
                if let Some(sb) = via.sent_by() {
                    hash_lowercase(sb.host().as_bytes(), p);
                    sb.port().hash(p);
                }
            }
            None => {
                b"2543".hash(p);
                h.typed::<CallId<'_>>()
                    .and_then(Result::ok)
                    .map(|c| c.as_bytes())
                    .hash(p);
                cseq.number().hash(p);
                h.typed_lax_all::<FromHeader<'_>>()
                    .next()
                    .and_then(|f| f.tag())
                    .hash(p);
                h.get(KnownHeader::Via).map(|v| v.value()).hash(p);
            }
        }
    }
    let key = (u128::from(parts[0].finish()) << 64) | u128::from(parts[1].finish());
    Some((key, method))
}

/// The content of a response as far as "the same response" goes: all of
/// it but the Date and Timestamp header fields (see the module docs).
fn content_hash(resp: &Response<'_>) -> u64 {
    let mut h = hasher(3);
    resp.status().as_u16().hash(&mut h);
    resp.reason().hash(&mut h);
    for row in resp.headers().iter() {
        if matches!(
            row.known(),
            Some(KnownHeader::Date | KnownHeader::Timestamp)
        ) {
            continue;
        }
        hash_lowercase(row.name_bytes(), &mut h);
        row.value().hash(&mut h);
    }
    resp.body().hash(&mut h);
    h.finish()
}

/// Hashes `bytes` as if ASCII-lowercased, through a small stack buffer
/// (no allocation; one hasher write per 64 octets, not per octet).
fn hash_lowercase(bytes: &[u8], h: &mut impl Hasher) {
    h.write_usize(bytes.len());
    let mut buf = [0u8; 64];
    for chunk in bytes.chunks(buf.len()) {
        let lower = &mut buf[..chunk.len()];
        lower.copy_from_slice(chunk);
        lower.make_ascii_lowercase();
        h.write(lower);
    }
}

fn small_hash(domain: u8, t: impl Hash) -> u64 {
    let mut h = hasher(domain);
    t.hash(&mut h);
    // 0 stands for "none".
    h.finish().max(1)
}

/// The response-side checks, in the order of the module docs. Returns
/// whether the response is a retransmission of one the transaction sent.
/// `forwarded`: the response is a proxy's copy of one it received, so
/// what follows a final is the proxy's forwarding decision
/// (`proxy-forward-timing`, RFC 3261 §16.7 step 5: after a final response
/// only 2xx to INVITE are forwarded) rather than the server transaction's.
fn check_response<S: FindingSink + ?Sized>(
    config: &TxnConfig,
    txn: &mut Txn,
    resp: &Response<'_>,
    seen: &Sighting,
    forwarded: bool,
    obs: &mut Observation,
    out: &mut Emitter<'_, S>,
) -> bool {
    let code = resp.status().as_u16();
    let code_span = Some(resp.code_span());
    let content = content_hash(resp);
    let to = resp.headers().typed_lax_all::<ToHeader<'_>>().next();
    let to_tag = to
        .as_ref()
        .and_then(|t| t.tag())
        .map_or(0, |t| small_hash(4, t));
    let tag_span = to.as_ref().and_then(|t| t.tag_span());
    let is_final = code >= 200;
    let had_final = txn.finals.len > 0;
    let retransmission = if is_final {
        txn.finals.iter().any(|f| f.content == content)
    } else {
        txn.provisionals.contains(&content)
    };

    // One UAS, one To tag (RFC 3261 §8.2.6.2, §13.3.1.1). The UAS is
    // known by its source and Contact; without a Contact, nothing is
    // compared (a proxy's own responses and forwarded ones look alike).
    if code != 100 && to_tag != 0 && !retransmission {
        if let Some(contact) = resp.headers().get(KnownHeader::Contact) {
            let uas = small_hash(5, (seen.src, contact.value()));
            let earlier = txn.uas_tags.iter().find(|(u, _)| *u == uas).copied();
            match earlier {
                Some((_, tag)) if tag != to_tag => out.emit(
                    r::TO_TAG_INCONSISTENT,
                    tag_span.or(code_span),
                    Detail::new("the same UAS (source and Contact) answered this request with another To tag before"),
                ),
                Some(_) => {}
                None => txn.uas_tags.push((uas, to_tag)),
            }
        }
    }

    if is_final {
        if !retransmission {
            match txn.finals.iter().next().copied() {
                None => {}
                Some(first) => {
                    // Forking: each UAS may send its own 2xx to an INVITE,
                    // as long as every final so far was a 2xx.
                    let forked_2xx = txn.invite
                        && (200..300).contains(&code)
                        && txn.finals.iter().all(|f| (200..300).contains(&f.code))
                        && !txn.finals.iter().any(|f| f.to_tag == to_tag);
                    if forwarded {
                        if !(txn.invite && (200..300).contains(&code)) {
                            out.emit(
                                r::PROXY_FORWARD_TIMING,
                                code_span,
                                Detail::new("the proxy forwarded a final response after its transaction's final one (only 2xx to INVITE may follow)"),
                            );
                        }
                    } else if !forked_2xx {
                        out.emit(
                            r::FINAL_RESPONSE_MULTIPLE,
                            code_span,
                            Detail::with(
                                "a different final response after an earlier final one of the same transaction, first with code",
                                DetailArg::Number(first.code.into()),
                            ),
                        );
                    }
                }
            }
            txn.finals.push(FinalSeen {
                content,
                to_tag,
                code,
            });
        }
    } else {
        if had_final && !retransmission {
            if forwarded {
                out.emit(
                    r::PROXY_FORWARD_TIMING,
                    code_span,
                    Detail::new("the proxy forwarded a provisional response after its transaction's final one"),
                );
            } else {
                out.emit(
                    r::PROVISIONAL_AFTER_FINAL,
                    code_span,
                    Detail::new("a new provisional response after the transaction's final one"),
                );
            }
        }
        if !retransmission {
            txn.provisionals.push(content);
        }
    }

    // RFC 4320 §4.1: no 100 to a non-INVITE over UDP before Timer E has
    // reached T2.
    if code == 100 && !txn.invite && seen.transport == Transport::Udp {
        match txn.request_at {
            Some(t) => {
                let after = seen.at.saturating_sub(t);
                if after < config.timer_e_reaches_t2() {
                    out.emit(
                        r::R_100_NON_INVITE_UDP_EARLY,
                        code_span,
                        Detail::with(
                            "100 sent this many milliseconds after the request, before Timer E reached T2",
                            DetailArg::Number(after.as_millis().try_into().unwrap_or(u64::MAX)),
                        ),
                    );
                }
            }
            None => obs.skip(r::R_100_NON_INVITE_UDP_EARLY),
        }
    }

    // RFC 3261 §13.3.1.1: a non-100 provisional at least every minute
    // while the INVITE is pending (measured up to each such provisional,
    // and up to the final response).
    if txn.invite && code != 100 && !had_final {
        match txn.refresh_from {
            Some(from) => {
                let gap = seen.at.saturating_sub(from);
                if gap > Duration::from_secs(60) {
                    out.emit(
                        r::INVITE_PROVISIONAL_REFRESH,
                        code_span,
                        Detail::with(
                            "the INVITE went this many seconds without a non-100 provisional response",
                            DetailArg::Number(gap.as_secs()),
                        ),
                    );
                }
            }
            None => obs.skip(r::INVITE_PROVISIONAL_REFRESH),
        }
        if !is_final {
            txn.refresh_from = Some(txn.refresh_from.map_or(seen.at, |t| t.max(seen.at)));
        }
    }

    // RFC 3262 §3: reliable provisionals count up by one, from at most
    // 2^31-1, per UAS (To tag).
    if (101..200).contains(&code) && !retransmission {
        if let Some(Ok(rseq)) = resp.headers().typed::<RSeq>() {
            check_rseq(txn, rseq, to_tag, obs, out);
        }
    }

    // RFC 3261 §13.3.1.4: a 2xx to INVITE carries the answer to the
    // INVITE's offer, or an offer, unless its UAS already sent it in a
    // reliable provisional (RFC 3262). Either way: a session description,
    // unless a reliable provisional with one went first.
    if txn.invite && !retransmission {
        if let Some(has_sdp) = session_description(resp) {
            if (101..200).contains(&code)
                && has_sdp
                && resp.headers().contains(KnownHeader::RSeq)
                && !txn.sdp_tags.contains(&to_tag)
            {
                txn.sdp_tags.push(to_tag);
            }
            if (200..300).contains(&code) && !has_sdp {
                if txn.request_at.is_none() {
                    // An earlier reliable provisional may have had it.
                    obs.skip(r::R_2XX_INVITE_SDP);
                } else if !txn.sdp_tags.contains(&to_tag) {
                    out.emit(
                        r::R_2XX_INVITE_SDP,
                        code_span,
                        Detail::new("a 2xx to INVITE without a session description, and no reliable provisional of its UAS carried one"),
                    );
                }
            }
        }
    }

    // RFC 3261 §14.2: a 500 to an INVITE that came while an earlier INVITE
    // of its dialog was pending has a Retry-After of 0 to 10 seconds.
    if txn.invite && code == 500 && !retransmission {
        if txn.request_at.is_none() {
            obs.skip(r::R_500_REINVITE_RETRY_AFTER);
        } else if txn.overlaps_invite {
            let retry = resp.headers().typed::<RetryAfter<'_>>();
            let ok = matches!(&retry, Some(Ok(r)) if r.value() <= 10);
            // An unreadable Retry-After is its syntax rule's.
            if !ok && !matches!(retry, Some(Err(_))) {
                out.emit(
                    r::R_500_REINVITE_RETRY_AFTER,
                    code_span,
                    Detail::new("a 500 to an INVITE that overlapped a pending one needs a Retry-After of 0 to 10 seconds"),
                );
            }
        }
    }
    retransmission
}

/// Whether `resp` carries a session description: `None` when its
/// Content-Type does not parse (that rule's finding; silent here). A body
/// without a Content-Type, or a multipart one, counts as one.
fn session_description(resp: &Response<'_>) -> Option<bool> {
    if resp.body().is_empty() {
        return Some(false);
    }
    match resp.headers().typed::<ContentType<'_>>() {
        None => Some(true),
        Some(Err(_)) => None,
        Some(Ok(ct)) => Some(ct.is_sdp() || ct.media_type().eq_ignore_ascii_case("multipart")),
    }
}

/// How many header values of a received response are kept, to tell
/// whether its forwarded copy removed or changed one.
const KEPT_VALUES: usize = 24;
/// How many header values of a response are looked at; past it the
/// no-change comparison is skipped rather than guessed.
const MAX_VALUES: usize = 64;

/// A response received by a possible proxy, as far as comparing it with
/// the copy the proxy forwards goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Inbound {
    at: Duration,
    received_on: IpAddr,
    code: u16,
    to_tag: u64,
    to_value: u64,
    body: u64,
    /// Hashes of its header values (name and value), Via, To and
    /// Record-Route aside; the first [`KEPT_VALUES`]. 32 bits each: a
    /// collision can only hide a change, never invent one.
    values: [u32; KEPT_VALUES],
    n_values: u8,
    /// Whether it has a header value not copied from the request (a
    /// Server, a Contact...): a 100 without one cannot be told from the
    /// proxy's own.
    own_values: bool,
    /// Hash of its Geolocation and Geolocation-Error values, in order.
    geo: u64,
    /// Hash of its Path and Service-Route values, in order.
    routes: u64,
    allow_events: bool,
    /// Which of `values` are challenges (WWW- or Proxy-Authenticate), by
    /// bit.
    challenges: u32,
}

impl Default for Inbound {
    fn default() -> Self {
        Inbound {
            at: Duration::ZERO,
            received_on: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            code: 0,
            to_tag: 0,
            to_value: 0,
            body: 0,
            values: [0; KEPT_VALUES],
            n_values: 0,
            own_values: false,
            geo: 0,
            routes: 0,
            allow_events: false,
            challenges: 0,
        }
    }
}

/// The responses received with one Via more than a given Via stack: what a
/// proxy may forward as a response with that stack.
#[derive(Clone, Copy, Debug, Default)]
struct Hop {
    last: Duration,
    inbound: Recent<Inbound, 4>,
}

impl Expiring for Hop {
    fn expires_at(&self, config: &TxnConfig) -> Duration {
        self.last.saturating_add(config.expiry)
    }
}

/// What the hop checks compare of a response.
struct Shape {
    /// Call-ID, CSeq and every Via value.
    full: u128,
    /// The same without the top Via (when there are two or more).
    minus_top: Option<u128>,
    code: u16,
    to_tag: u64,
    to_value: u64,
    body: u64,
    values: [u32; MAX_VALUES],
    n_values: usize,
    /// More than [`MAX_VALUES`] header values.
    overflow: bool,
    own_values: bool,
    geo: u64,
    routes: u64,
    allow_events: bool,
    /// Which of the first [`KEPT_VALUES`] values are challenges, by bit.
    challenges: u32,
    /// A response to REGISTER.
    register: bool,
}

impl Shape {
    fn of(resp: &Response<'_>) -> Option<Shape> {
        let h = resp.headers();
        let call_id = h.get(KnownHeader::CallId)?.value();
        let cseq = h.get(KnownHeader::CSeq)?.value();
        let mut full = [hasher(6), hasher(7)];
        let mut minus = [hasher(6), hasher(7)];
        for p in full.iter_mut().chain(minus.iter_mut()) {
            call_id.trim_ascii().hash(p);
            cseq.trim_ascii().hash(p);
        }
        let mut vias = 0usize;
        for via in h.elements(KnownHeader::Via) {
            for p in &mut full {
                via.bytes.hash(p);
            }
            if vias > 0 {
                for p in &mut minus {
                    via.bytes.hash(p);
                }
            }
            vias += 1;
        }
        let key =
            |p: &[DefaultHasher; 2]| (u128::from(p[0].finish()) << 64) | u128::from(p[1].finish());
        let to = h.typed_lax_all::<ToHeader<'_>>().next();
        let mut shape = Shape {
            full: key(&full),
            minus_top: (vias >= 2).then(|| key(&minus)),
            code: resp.status().as_u16(),
            to_tag: to
                .as_ref()
                .and_then(|t| t.tag())
                .map_or(0, |t| small_hash(4, t)),
            to_value: h
                .get(KnownHeader::To)
                .map_or(0, |t| small_hash(8, t.value().trim_ascii())),
            body: small_hash(9, resp.body()),
            values: [0; MAX_VALUES],
            n_values: 0,
            overflow: false,
            own_values: false,
            geo: 0,
            routes: 0,
            allow_events: h.contains(KnownHeader::AllowEvents),
            challenges: 0,
            register: h
                .typed::<CSeq<'_>>()
                .and_then(Result::ok)
                .is_some_and(|c| c.method() == "REGISTER"),
        };
        let mut geo = hasher(11);
        let mut routes = hasher(12);
        for row in h.iter() {
            let known = row.known();
            if matches!(
                known,
                Some(KnownHeader::Via | KnownHeader::To | KnownHeader::RecordRoute)
            ) {
                continue;
            }
            if shape.n_values == MAX_VALUES {
                shape.overflow = true;
                break;
            }
            let mut v = hasher(10);
            match known {
                Some(k) => hash_lowercase(k.as_str().as_bytes(), &mut v),
                None => hash_lowercase(row.name_bytes(), &mut v),
            }
            row.value().trim_ascii().hash(&mut v);
            shape.values[shape.n_values] = v.finish() as u32;
            shape.n_values += 1;
            // What a response copies from its request (RFC 3261 §8.2.6.2),
            // or a 100 from the request it answers (§8.2.6.1).
            let copied = matches!(
                known,
                Some(
                    KnownHeader::From
                        | KnownHeader::CallId
                        | KnownHeader::CSeq
                        | KnownHeader::ContentLength
                        | KnownHeader::Timestamp
                )
            );
            shape.own_values |= !copied;
            if matches!(
                known,
                Some(KnownHeader::WwwAuthenticate | KnownHeader::ProxyAuthenticate)
            ) && shape.n_values <= KEPT_VALUES
            {
                shape.challenges |= 1 << (shape.n_values - 1);
            }
            match known {
                Some(KnownHeader::Geolocation | KnownHeader::GeolocationError) => {
                    shape.values[shape.n_values - 1].hash(&mut geo)
                }
                Some(KnownHeader::Path | KnownHeader::ServiceRoute) => {
                    shape.values[shape.n_values - 1].hash(&mut routes)
                }
                _ => {}
            }
        }
        shape.geo = geo.finish();
        shape.routes = routes.finish();
        Some(shape)
    }

    fn inbound(&self, seen: &Sighting) -> Inbound {
        let n = self.n_values.min(KEPT_VALUES);
        let mut values = [0; KEPT_VALUES];
        values[..n].copy_from_slice(&self.values[..n]);
        Inbound {
            at: seen.at,
            received_on: seen.dst.ip(),
            code: self.code,
            to_tag: self.to_tag,
            to_value: self.to_value,
            body: self.body,
            values,
            n_values: n as u8,
            own_values: self.own_values,
            geo: self.geo,
            routes: self.routes,
            allow_events: self.allow_events,
            challenges: self.challenges,
        }
    }

    /// True when every header value `i` kept is in this response.
    fn keeps_values_of(&self, i: &Inbound) -> bool {
        !self.overflow
            && i.values[..i.n_values as usize]
                .iter()
                .all(|v| self.values[..self.n_values].contains(v))
    }
}

/// The checks on a response a proxy forwarded, given the responses it
/// received with one Via more (RFC 3261 §16.7).
fn check_forwarded<'i, S: FindingSink + ?Sized>(
    shape: &Shape,
    inbound: impl Iterator<Item = &'i Inbound>,
    resp: &Response<'_>,
    out: &mut Emitter<'_, S>,
) {
    let mut slots = [None; 4];
    for (slot, i) in slots.iter_mut().zip(inbound) {
        *slot = Some(i);
    }
    let cands = || slots.iter().flatten().copied();
    if cands().next().is_none() {
        return;
    }
    let code_span = Some(resp.code_span());
    let unchanged = |i: &Inbound| {
        i.body == shape.body && i.to_value == shape.to_value && shape.keeps_values_of(i)
    };
    let same = || cands().filter(|i| i.code == shape.code && i.to_tag == shape.to_tag);
    // §16.7 step 5: a 100 is never forwarded. Only a copy of a 100 that
    // carries something of its sender's own is told from the proxy's own.
    if shape.code == 100 {
        if same().any(|i| i.own_values && unchanged(i)) {
            crate::validate::rules::forwarded_100_seen(out, code_span);
        }
        return;
    }
    if same().next().is_some() {
        // The received copy it differs least from.
        let differences = |i: &Inbound| {
            [
                i.body != shape.body,
                i.to_value != shape.to_value,
                !shape.keeps_values_of(i),
                i.geo != shape.geo,
                i.routes != shape.routes,
                shape.allow_events && !i.allow_events,
            ]
        };
        let Some(best) = same().min_by_key(|i| differences(i).iter().filter(|d| **d).count())
        else {
            return;
        };
        let [body, to, removed, geo, routes, allow_events] = differences(best);
        let mut named = false;
        // RFC 6442 §4.3: location data of a 424 stays as received.
        if shape.code == 424 && (geo || body) {
            out.emit(
                r::PROXY_424_UNCHANGED,
                code_span,
                Detail::new("the forwarded 424 has other Geolocation, Geolocation-Error or body than the one received"),
            );
            named = true;
        }
        // RFC 3327 §5.2, RFC 3608 §6: Path and Service-Route of a 2xx to
        // REGISTER stay as received.
        if shape.register && (200..300).contains(&shape.code) && routes {
            out.emit(
                r::PROXY_PATH_SERVICE_ROUTE_UNALTERED,
                code_span,
                Detail::new("the forwarded 2xx to REGISTER has other Path or Service-Route values than the one received"),
            );
            named = true;
        }
        // RFC 6665 §4.4.4: no Allow-Events inserted.
        if allow_events {
            out.emit(
                r::PROXY_ALLOW_EVENTS_INSERT,
                code_span,
                Detail::new("the proxy inserted an Allow-Events header"),
            );
        }
        // §16.7 step 9: only the top Via goes.
        if !named && !shape.overflow && (body || to || removed) {
            out.emit(
                r::PROXY_NO_BODY_CHANGE,
                code_span,
                Detail::new(if body {
                    "the forwarded copy has another body than the response received"
                } else {
                    "the forwarded copy removed or changed a header value other than the top Via"
                }),
            );
        }
    } else if (101..300).contains(&shape.code) {
        // §16.7 step 6: the same response with another To tag.
        let retagged = cands()
            .find(|i| i.code == shape.code && i.body == shape.body && shape.keeps_values_of(i));
        if let Some(i) = retagged {
            let span = resp
                .headers()
                .typed_lax_all::<ToHeader<'_>>()
                .next()
                .and_then(|t| t.tag_span())
                .or(code_span);
            out.emit(
                r::PROXY_TO_TAG_IMMUTABLE,
                span,
                Detail::new(if i.to_tag == 0 {
                    "the proxy added a To tag the response it received lacked"
                } else {
                    "the proxy changed the To tag of the response it received"
                }),
            );
        }
    }
    // §16.7 step 6: a 503 received is forwarded as 500.
    if shape.code == 503 && cands().any(|i| i.code == 503) {
        out.emit(
            r::PROXY_503_FORWARD,
            code_span,
            Detail::new(
                "the proxy forwarded a 503 it received (send 500 unless every branch would fail)",
            ),
        );
    }
    if shape.code >= 300 {
        check_best_response(shape.code, cands(), code_span, out);
    }
    // §16.7 step 7: a 401 or 407 sent carries every challenge of the 401s
    // and 407s received.
    if matches!(shape.code, 401 | 407) && !shape.overflow {
        let lost = cands().filter(|i| matches!(i.code, 401 | 407)).any(|i| {
            (0..i.n_values as usize)
                .filter(|k| i.challenges & (1 << k) != 0)
                .any(|k| !shape.values[..shape.n_values].contains(&i.values[k]))
        });
        if lost {
            out.emit(
                r::PROXY_AUTH_AGGREGATION,
                code_span,
                Detail::new("the 401/407 sent lacks a WWW-Authenticate or Proxy-Authenticate value of one the proxy received"),
            );
        }
    }
}

/// The 4xx a proxy should prefer among 4xx (RFC 3261 §16.7 step 6).
const PREFERRED_4XX: [u16; 5] = [401, 407, 415, 420, 484];

/// §16.7 step 6, over the branches the capture shows: the final a proxy
/// sends (`sent`, 300–699) must be a 6xx when it received one, should be
/// of the lowest class received (3xx aside: the proxy may have recursed on
/// them), and among 4xx should be 401, 407, 415, 420 or 484 when one came.
/// Branches the capture lacks can only hide a finding: none of them makes
/// another choice right.
fn check_best_response<'i, S: FindingSink + ?Sized>(
    sent: u16,
    received: impl Iterator<Item = &'i Inbound> + Clone,
    code_span: Option<Span>,
    out: &mut Emitter<'_, S>,
) {
    let finals = || received.clone().filter(|i| i.code >= 300).map(|i| i.code);
    if sent >= 600 {
        return;
    }
    if let Some(six) = finals().find(|c| *c >= 600) {
        out.emit_at(
            r::PROXY_BEST_RESPONSE,
            Severity::Error,
            code_span,
            Detail::with(
                "the proxy received a 6xx but sent another final response; the 6xx was",
                DetailArg::Number(six.into()),
            ),
        );
        return;
    }
    let lowest = finals().filter(|c| c / 100 != 3).map(|c| c / 100).min();
    if let Some(class) = lowest {
        if sent / 100 != 3 && sent / 100 > class {
            out.emit_at(
                r::PROXY_BEST_RESPONSE,
                Severity::Warning,
                code_span,
                Detail::with("the proxy sent a final response of a higher class than one it received, of class", DetailArg::Number(class.into())),
            );
            return;
        }
    }
    if sent / 100 == 4 && !PREFERRED_4XX.contains(&sent) {
        if let Some(better) = finals().find(|c| PREFERRED_4XX.contains(c)) {
            out.emit_at(
                r::PROXY_BEST_RESPONSE,
                Severity::Warning,
                code_span,
                Detail::with(
                    "the proxy did not prefer the 4xx that asks the UAC for something, received as",
                    DetailArg::Number(better.into()),
                ),
            );
        }
    }
}

fn check_rseq<S: FindingSink + ?Sized>(
    txn: &mut Txn,
    rseq: RSeq,
    to_tag: u64,
    obs: &mut Observation,
    out: &mut Emitter<'_, S>,
) {
    let span: Option<Span> = Some(rseq.span());
    let value = rseq.value();
    let slot = txn
        .rseq
        .items
        .iter_mut()
        .take(txn.rseq.len as usize)
        .find(|(tag, _)| *tag == to_tag);
    match slot {
        Some((_, last)) => {
            if value != *last {
                let expected = last.wrapping_add(1);
                if value != expected {
                    out.emit(
                        r::RSEQ_SEQUENCE,
                        span,
                        Detail::with(
                            "RSeq is not the previous reliable provisional's plus one, which is",
                            DetailArg::Number(expected.into()),
                        ),
                    );
                }
                *last = value;
            }
        }
        None => {
            if txn.request_at.is_some() {
                crate::validate::rules::first_rseq_range(out, span, &rseq);
            } else {
                // Without the request, this may not be the first one.
                obs.skip(crate::validate::rules::RSEQ_RANGE);
            }
            txn.rseq.push((to_tag, value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::parse_message;
    use crate::validate::Finding;

    const UAC: &str = "192.0.2.1:5060";
    const UAS: &str = "192.0.2.2:5060";

    /// A message of one call: `first` is the start line, `extra` more
    /// header rows (CRLF-terminated), `body` the body.
    fn msg(first: &str, method: &str, branch: &str, extra: &str, body: &str) -> Vec<u8> {
        format!(
            "{first}\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch={branch}\r\nFrom: <sip:a@example.com>;tag=f1\r\nTo: <sip:b@example.com>\r\nCall-ID: call-1\r\nCSeq: 1 {method}\r\n{extra}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    }

    /// One tracker between the UAC and the UAS; `at` feeds it a message
    /// and returns its findings' ids and the observation.
    struct Run {
        tracker: TxnTracker,
        transport: Transport,
    }

    impl Run {
        fn new() -> Self {
            Run {
                tracker: TxnTracker::new(TxnConfig::default()),
                transport: Transport::Udp,
            }
        }

        fn at(
            &mut self,
            ms: u64,
            from_uac: bool,
            bytes: &[u8],
        ) -> (Vec<&'static str>, Observation) {
            self.at_policy(ms, from_uac, bytes, &Policy::new())
        }

        fn at_policy(
            &mut self,
            ms: u64,
            from_uac: bool,
            bytes: &[u8],
            policy: &Policy,
        ) -> (Vec<&'static str>, Observation) {
            let m = parse_message(bytes).unwrap();
            let (src, dst) = if from_uac { (UAC, UAS) } else { (UAS, UAC) };
            let seen = Sighting {
                at: Duration::from_millis(ms),
                src: src.parse().unwrap(),
                dst: dst.parse().unwrap(),
                transport: self.transport,
            };
            let mut out: Vec<Finding> = Vec::new();
            let obs = self.tracker.observe(&m, seen, policy, &mut out);
            (out.iter().map(Finding::rule).collect(), obs)
        }
    }

    const BR: &str = "z9hG4bK-1";

    fn invite() -> Vec<u8> {
        msg("INVITE sip:b@example.com SIP/2.0", "INVITE", BR, "", "")
    }

    /// A response of the call; a 2xx to INVITE carries a session
    /// description (as `2xx-invite-sdp` asks; [`resp_body`] for others).
    fn resp(code: &str, method: &str, tag: &str, extra: &str) -> Vec<u8> {
        if code.starts_with('2') && method == "INVITE" {
            let extra = format!("{extra}Content-Type: application/sdp\r\n");
            return resp_body(code, method, tag, &extra, "v=0\r\n");
        }
        resp_body(code, method, tag, extra, "")
    }

    fn resp_body(code: &str, method: &str, tag: &str, extra: &str, body: &str) -> Vec<u8> {
        let s =
            String::from_utf8(msg(&format!("SIP/2.0 {code}"), method, BR, extra, body)).unwrap();
        s.replacen(
            "To: <sip:b@example.com>",
            &format!("To: <sip:b@example.com>{tag}"),
            1,
        )
        .into_bytes()
    }

    #[test]
    fn two_different_finals_to_one_invite() {
        // The Kamailio case: two 477s with different To tags.
        let mut run = Run::new();
        assert!(run.at(0, true, &invite()).0.is_empty());
        let a = resp("477 Unfortunately", "INVITE", ";tag=a", "");
        let b = resp("477 Unfortunately", "INVITE", ";tag=b", "");
        assert!(run.at(10, false, &a).0.is_empty());
        // A retransmission of the first is fine.
        assert!(run.at(510, false, &a).0.is_empty());
        assert_eq!(run.at(20, false, &b).0, ["final-response-multiple"]);
        // The second one's retransmissions are not reported again.
        assert!(run.at(520, false, &b).0.is_empty());
    }

    #[test]
    fn same_final_regenerated_with_a_new_date_is_not_a_second_final() {
        let mut run = Run::new();
        let a = resp(
            "404 Not Found",
            "OPTIONS",
            ";tag=a",
            "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n",
        );
        let b = resp(
            "404 Not Found",
            "OPTIONS",
            ";tag=a",
            "Date: Sat, 13 Nov 2010 23:29:01 GMT\r\n",
        );
        let c = resp("404 Not found", "OPTIONS", ";tag=a", "");
        assert!(run.at(0, false, &a).0.is_empty());
        assert!(run.at(500, false, &b).0.is_empty());
        // Another reason phrase is another response.
        assert_eq!(run.at(1500, false, &c).0, ["final-response-multiple"]);
    }

    #[test]
    fn forked_2xx_to_invite_are_fine_but_not_after_a_non_2xx() {
        let mut run = Run::new();
        run.at(0, true, &invite());
        let ok_a = resp(
            "200 OK",
            "INVITE",
            ";tag=a",
            "Contact: <sip:a@192.0.2.5>\r\n",
        );
        let ok_b = resp(
            "200 OK",
            "INVITE",
            ";tag=b",
            "Contact: <sip:b@192.0.2.6>\r\n",
        );
        assert!(run.at(10, false, &ok_a).0.is_empty());
        assert!(run.at(20, false, &ok_b).0.is_empty());
        assert!(run.at(30, false, &ok_a).0.is_empty());
        let busy = resp("486 Busy Here", "INVITE", ";tag=c", "");
        assert_eq!(run.at(40, false, &busy).0, ["final-response-multiple"]);
        // The same To tag with other content is not a fork.
        let ok_a2 = resp(
            "200 OK",
            "INVITE",
            ";tag=a",
            "Contact: <sip:a@192.0.2.5>\r\nServer: x\r\n",
        );
        assert_eq!(run.at(50, false, &ok_a2).0, ["final-response-multiple"]);
    }

    #[test]
    fn two_different_finals_to_a_non_invite() {
        let mut run = Run::new();
        let a = resp("200 OK", "MESSAGE", ";tag=a", "");
        let b = resp("200 OK", "MESSAGE", ";tag=b", "");
        assert!(run.at(0, false, &a).0.is_empty());
        assert_eq!(run.at(5, false, &b).0, ["final-response-multiple"]);
    }

    #[test]
    fn provisional_after_final() {
        let mut run = Run::new();
        run.at(0, true, &invite());
        let ringing = resp(
            "180 Ringing",
            "INVITE",
            ";tag=a",
            "Contact: <sip:a@192.0.2.5>\r\n",
        );
        let ok = resp(
            "200 OK",
            "INVITE",
            ";tag=a",
            "Contact: <sip:a@192.0.2.5>\r\n",
        );
        let progress = resp(
            "183 Session Progress",
            "INVITE",
            ";tag=a",
            "Contact: <sip:a@192.0.2.5>\r\n",
        );
        assert!(run.at(10, false, &ringing).0.is_empty());
        assert!(run.at(20, false, &ok).0.is_empty());
        // A late copy of the 180 sent before the final is a retransmission.
        assert!(run.at(30, false, &ringing).0.is_empty());
        assert_eq!(run.at(40, false, &progress).0, ["provisional-after-final"]);
    }

    #[test]
    fn to_tag_inconsistent_needs_one_uas() {
        let mut run = Run::new();
        run.at(0, true, &invite());
        let c5 = "Contact: <sip:a@192.0.2.5>\r\n";
        let c6 = "Contact: <sip:b@192.0.2.6>\r\n";
        assert!(run
            .at(10, false, &resp("180 Ringing", "INVITE", ";tag=a", c5))
            .0
            .is_empty());
        // Another UAS (forking): another Contact, another tag.
        assert!(run
            .at(20, false, &resp("180 Ringing", "INVITE", ";tag=b", c6))
            .0
            .is_empty());
        // No Contact: nothing to compare.
        assert!(run
            .at(25, false, &resp("181 Forwarded", "INVITE", ";tag=z", ""))
            .0
            .is_empty());
        // The first UAS changes its dialog ID.
        assert_eq!(
            run.at(30, false, &resp("183 Progress", "INVITE", ";tag=x", c5))
                .0,
            ["to-tag-inconsistent"]
        );
        // A 100 may have no tag or another one.
        assert!(run
            .at(40, false, &resp("100 Trying", "INVITE", ";tag=y", c5))
            .0
            .is_empty());
    }

    fn options() -> Vec<u8> {
        msg("OPTIONS sip:b@example.com SIP/2.0", "OPTIONS", BR, "", "")
    }

    #[test]
    fn early_100_to_non_invite_over_udp() {
        let trying = resp("100 Trying", "OPTIONS", "", "");
        let mut run = Run::new();
        assert_eq!(
            TxnConfig::default().timer_e_reaches_t2(),
            Duration::from_millis(3500)
        );
        run.at(0, true, &options());
        run.at(500, true, &options()); // a retransmission: the first copy counts
        assert_eq!(run.at(3499, false, &trying).0, ["100-non-invite-udp-early"]);
        let mut run = Run::new();
        run.at(0, true, &options());
        assert!(run.at(3500, false, &trying).0.is_empty());
        // Over TCP a 100 may come at once.
        let mut run = Run::new();
        run.transport = Transport::Tcp;
        run.at(0, true, &options());
        assert!(run.at(1, false, &trying).0.is_empty());
        // A 100 to INVITE may come at once.
        let mut run = Run::new();
        run.at(0, true, &invite());
        assert!(run
            .at(1, false, &resp("100 Trying", "INVITE", "", ""))
            .0
            .is_empty());
        // Without the request: skipped, and said so.
        let mut run = Run::new();
        let (f, obs) = run.at(1, false, &trying);
        assert!(f.is_empty() && !obs.request_seen());
        assert_eq!(
            obs.skipped().collect::<Vec<_>>(),
            [r::R_100_NON_INVITE_UDP_EARLY]
        );
    }

    #[test]
    fn invite_provisional_refresh() {
        let c5 = "Contact: <sip:a@192.0.2.5>\r\n";
        let ringing = resp("180 Ringing", "INVITE", ";tag=a", c5);
        let ok = resp("200 OK", "INVITE", ";tag=a", c5);
        let mut run = Run::new();
        run.at(0, true, &invite());
        assert!(run.at(1_000, false, &ringing).0.is_empty());
        assert!(run.at(60_000, false, &ringing).0.is_empty());
        assert_eq!(
            run.at(120_001, false, &ok).0,
            ["invite-provisional-refresh"]
        );
        // Refreshed every minute: fine. A 100 is no refresh.
        let mut run = Run::new();
        run.at(0, true, &invite());
        run.at(100, false, &resp("100 Trying", "INVITE", "", ""));
        assert!(run.at(59_000, false, &ringing).0.is_empty());
        assert!(run.at(118_000, false, &ringing).0.is_empty());
        assert!(run.at(170_000, false, &ok).0.is_empty());
        // A 100 alone does not reset the clock.
        let mut run = Run::new();
        run.at(0, true, &invite());
        run.at(100, false, &resp("100 Trying", "INVITE", "", ""));
        assert_eq!(run.at(61_000, false, &ok).0, ["invite-provisional-refresh"]);
        // Neither request nor provisional seen: skipped.
        let mut run = Run::new();
        let (f, obs) = run.at(61_000, false, &ok);
        assert!(f.is_empty());
        assert_eq!(
            obs.skipped().collect::<Vec<_>>(),
            [r::INVITE_PROVISIONAL_REFRESH]
        );
    }

    fn reliable(rseq: u32) -> Vec<u8> {
        resp(
            "183 Session Progress",
            "INVITE",
            ";tag=a",
            &format!("Contact: <sip:a@192.0.2.5>\r\nRequire: 100rel\r\nRSeq: {rseq}\r\n"),
        )
    }

    #[test]
    fn rseq_counts_up_by_one() {
        let mut run = Run::new();
        run.at(0, true, &invite());
        assert!(run.at(10, false, &reliable(7)).0.is_empty());
        assert!(run.at(510, false, &reliable(7)).0.is_empty()); // retransmission
        assert!(run.at(600, false, &reliable(8)).0.is_empty());
        assert_eq!(run.at(700, false, &reliable(10)).0, ["rseq-sequence"]);
        assert!(run.at(800, false, &reliable(11)).0.is_empty());
    }

    #[test]
    fn first_rseq_at_most_2_pow_31_minus_1() {
        let mut run = Run::new();
        run.at(0, true, &invite());
        assert_eq!(run.at(10, false, &reliable(1 << 31)).0, ["rseq-range"]);
        let mut run = Run::new();
        run.at(0, true, &invite());
        assert!(run.at(10, false, &reliable((1 << 31) - 1)).0.is_empty());
        // Counting up past it later is fine.
        assert!(run.at(20, false, &reliable(1 << 31)).0.is_empty());
        // Without the request the first one seen may not be the first.
        let mut run = Run::new();
        let (f, obs) = run.at(10, false, &reliable(1 << 31));
        assert!(f.is_empty());
        // (Nor is the INVITE's start known, for the refresh.)
        assert_eq!(
            obs.skipped().collect::<Vec<_>>(),
            [
                r::INVITE_PROVISIONAL_REFRESH,
                crate::validate::rules::RSEQ_RANGE
            ]
        );
    }

    #[test]
    fn rfc_2543_fallback_and_observation_points() {
        let old = |code: &str, tag: &str| {
            String::from_utf8(resp(code, "INVITE", tag, ""))
                .unwrap()
                .replace(BR, "old-style-7")
                .into_bytes()
        };
        let mut run = Run::new();
        assert!(run
            .at(0, false, &old("404 Not Found", ";tag=a"))
            .0
            .is_empty());
        assert_eq!(
            run.at(1, false, &old("480 Gone", ";tag=a")).0,
            ["final-response-multiple"]
        );
        // Another Call-ID: another transaction.
        let other = String::from_utf8(old("480 Gone", ";tag=a"))
            .unwrap()
            .replace("call-1", "call-2");
        assert!(run.at(2, false, other.as_bytes()).0.is_empty());
        // The same response on another pair of addresses: another hop.
        let seen = Sighting {
            at: Duration::from_millis(3),
            src: "198.51.100.1:5060".parse().unwrap(),
            dst: UAC.parse().unwrap(),
            transport: Transport::Udp,
        };
        let m = old("486 Busy Here", ";tag=a");
        let m = parse_message(&m).unwrap();
        let mut out: Vec<Finding> = Vec::new();
        run.tracker.observe(&m, seen, &Policy::new(), &mut out);
        assert!(out.is_empty());
        // CANCEL is its own transaction; ACK is ignored.
        let cancel = resp("200 OK", "CANCEL", ";tag=a", "");
        assert!(run.at(4, false, &cancel).0.is_empty());
        let (_, obs) = run.at(
            5,
            true,
            &msg("ACK sip:b SIP/2.0", "ACK", "z9hG4bK-9", "", ""),
        );
        assert!(!obs.is_tracked());
    }

    #[test]
    fn policy_applies() {
        let mut policy = Policy::new();
        policy.disable("final-response-multiple").unwrap();
        let mut run = Run::new();
        run.at_policy(0, false, &resp("404 A", "OPTIONS", "", ""), &policy);
        let (f, _) = run.at_policy(1, false, &resp("404 B", "OPTIONS", "", ""), &policy);
        assert!(f.is_empty());
    }

    #[test]
    fn state_expires_on_capture_time_and_is_capped() {
        let mut run = Run::new();
        run.at(0, true, &options());
        let (_, obs) = run.at(31_000, false, &resp("200 OK", "OPTIONS", ";tag=a", ""));
        assert!(obs.request_seen());
        // Forgotten 32 s after its last message: the next copy is new.
        let (f, obs) = run.at(63_001, false, &resp("200 OK", "OPTIONS", ";tag=b", ""));
        assert!(f.is_empty() && !obs.request_seen());
        assert_eq!(run.tracker.stats().expired, 1);

        let config = TxnConfig {
            max_transactions: 50,
            ..TxnConfig::default()
        };
        let mut tracker = TxnTracker::new(config);
        let mut out: Vec<Finding> = Vec::new();
        for i in 0..10_000u32 {
            let m = msg(
                "OPTIONS sip:b SIP/2.0",
                "OPTIONS",
                &format!("z9hG4bK{i}"),
                "",
                "",
            );
            let m = parse_message(&m).unwrap();
            let seen = Sighting {
                at: Duration::ZERO,
                src: UAC.parse().unwrap(),
                dst: UAS.parse().unwrap(),
                transport: Transport::Udp,
            };
            tracker.observe(&m, seen, &Policy::new(), &mut out);
            assert!(tracker.txns.open.len() <= 50 && tracker.txns.due.len() <= 50);
        }
        let stats = tracker.stats();
        assert_eq!((stats.live, stats.peak, stats.capacity), (50, 50, 50));
        assert_eq!(stats.evicted, 10_000 - 50);
        assert!(out.is_empty());
    }
    /// A response of the call through proxy 192.0.2.9: `vias` the Via
    /// rows, `extra` more rows, `body` the body.
    fn hop_resp(start: &str, vias: &str, tag: &str, extra: &str, body: &str) -> Vec<u8> {
        format!(
            "{start}\r\n{vias}From: <sip:a@example.com>;tag=f1\r\nTo: <sip:b@example.com>{tag}\r\nCall-ID: hop-1\r\nCSeq: 1 INVITE\r\n{extra}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    }

    const DOWN: &str = "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-p1\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-u1\r\n";
    const UP: &str = "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-u1\r\n";

    /// Feeds `(ms, src, dst, bytes)` to `tracker`; the rule ids per message.
    fn feed(
        tracker: &mut TxnTracker,
        steps: &[(u64, &str, &str, Vec<u8>)],
    ) -> Vec<Vec<&'static str>> {
        steps
            .iter()
            .map(|(ms, src, dst, bytes)| {
                let m = parse_message(bytes).unwrap();
                let seen = Sighting {
                    at: Duration::from_millis(*ms),
                    src: src.parse().unwrap(),
                    dst: dst.parse().unwrap(),
                    transport: Transport::Udp,
                };
                let mut out: Vec<Finding> = Vec::new();
                tracker.observe(&m, seen, &Policy::new(), &mut out);
                out.iter().map(Finding::rule).collect()
            })
            .collect()
    }

    const UAS_A: &str = "192.0.2.5:5060";
    const PROXY: &str = "192.0.2.9:5060";

    /// The response received from the UAS and its forwarded copy.
    fn through_proxy(inbound: Vec<u8>, outbound: Vec<u8>) -> Vec<&'static str> {
        let mut t = TxnTracker::new(TxnConfig::default());
        let got = feed(
            &mut t,
            &[(0, UAS_A, PROXY, inbound), (5, PROXY, UAC, outbound)],
        );
        assert!(got[0].is_empty(), "{got:?}");
        got[1].clone()
    }

    #[test]
    fn forwarded_unchanged_is_fine() {
        let c = "Contact: <sip:b@192.0.2.5>\r\nServer: uas\r\n";
        for code in ["180 Ringing", "200 OK", "486 Busy Here"] {
            let got = through_proxy(
                hop_resp(&format!("SIP/2.0 {code}"), DOWN, ";tag=a", c, "v=0\r\n"),
                // A header added is not a change.
                hop_resp(
                    &format!("SIP/2.0 {code}"),
                    UP,
                    ";tag=a",
                    &format!("{c}X-Proxy: 1\r\n"),
                    "v=0\r\n",
                ),
            );
            assert!(got.is_empty(), "{code}: {got:?}");
        }
    }

    #[test]
    fn proxy_changes_or_adds_the_to_tag() {
        let c = "Contact: <sip:b@192.0.2.5>\r\n";
        let changed = through_proxy(
            hop_resp("SIP/2.0 180 Ringing", DOWN, ";tag=a", c, ""),
            hop_resp("SIP/2.0 180 Ringing", UP, ";tag=p", c, ""),
        );
        assert_eq!(changed, ["proxy-to-tag-immutable"]);
        let added = through_proxy(
            hop_resp("SIP/2.0 200 OK", DOWN, "", c, ""),
            hop_resp("SIP/2.0 200 OK", UP, ";tag=p", c, ""),
        );
        assert_eq!(added, ["proxy-to-tag-immutable"]);
        // For a 4xx the row is silent (SHOULD keep, not checked).
        let final_4xx = through_proxy(
            hop_resp("SIP/2.0 486 Busy Here", DOWN, ";tag=a", c, ""),
            hop_resp("SIP/2.0 486 Busy Here", UP, ";tag=p", c, ""),
        );
        assert!(final_4xx.is_empty(), "{final_4xx:?}");
    }

    #[test]
    fn proxy_changes_the_body_or_removes_a_header_value() {
        let c = "Contact: <sip:b@192.0.2.5>\r\nServer: uas\r\n";
        let body = through_proxy(
            hop_resp("SIP/2.0 200 OK", DOWN, ";tag=a", c, "v=0\r\n"),
            hop_resp("SIP/2.0 200 OK", UP, ";tag=a", c, "v=1\r\n"),
        );
        assert_eq!(body, ["proxy-no-body-change"]);
        let removed = through_proxy(
            hop_resp("SIP/2.0 200 OK", DOWN, ";tag=a", c, ""),
            hop_resp(
                "SIP/2.0 200 OK",
                UP,
                ";tag=a",
                "Contact: <sip:b@192.0.2.5>\r\n",
                "",
            ),
        );
        assert_eq!(removed, ["proxy-no-body-change"]);
        // Record-Route may be rewritten by the proxy (§16.7 step 8).
        let rr = through_proxy(
            hop_resp(
                "SIP/2.0 200 OK",
                DOWN,
                ";tag=a",
                &format!("Record-Route: <sip:192.0.2.9;lr>\r\n{c}"),
                "",
            ),
            hop_resp(
                "SIP/2.0 200 OK",
                UP,
                ";tag=a",
                &format!("Record-Route: <sips:192.0.2.9;lr>\r\n{c}"),
                "",
            ),
        );
        assert!(rr.is_empty(), "{rr:?}");
    }

    #[test]
    fn a_forwarded_100_and_a_forwarded_503() {
        let forwarded = through_proxy(
            hop_resp("SIP/2.0 100 Trying", DOWN, "", "Server: uas\r\n", ""),
            hop_resp("SIP/2.0 100 Trying", UP, "", "Server: uas\r\n", ""),
        );
        assert_eq!(forwarded, ["100-not-forwarded"]);
        // A 100 with nothing of its sender's own may be the proxy's own.
        let own = through_proxy(
            hop_resp("SIP/2.0 100 Trying", DOWN, "", "", ""),
            hop_resp("SIP/2.0 100 Trying", UP, "", "", ""),
        );
        assert!(own.is_empty(), "{own:?}");
        let f503 = through_proxy(
            hop_resp("SIP/2.0 503 Service Unavailable", DOWN, ";tag=a", "", ""),
            hop_resp("SIP/2.0 503 Service Unavailable", UP, ";tag=a", "", ""),
        );
        assert_eq!(f503, ["proxy-503-forward"]);
        let as_500 = through_proxy(
            hop_resp("SIP/2.0 503 Service Unavailable", DOWN, ";tag=a", "", ""),
            hop_resp("SIP/2.0 500 Server Internal Error", UP, ";tag=a", "", ""),
        );
        assert!(as_500.is_empty(), "{as_500:?}");
    }

    #[test]
    fn a_proxy_on_two_addresses_is_named() {
        let c = "Contact: <sip:b@192.0.2.5>\r\n";
        let steps = [
            (
                0,
                UAS_A,
                PROXY,
                hop_resp("SIP/2.0 180 Ringing", DOWN, ";tag=a", c, ""),
            ),
            (
                5,
                "198.51.100.9:5060",
                UAC,
                hop_resp("SIP/2.0 180 Ringing", UP, ";tag=p", c, ""),
            ),
        ];
        let mut t = TxnTracker::new(TxnConfig::default());
        assert_eq!(feed(&mut t, &steps)[1], Vec::<&str>::new());
        let mut t = TxnTracker::new(TxnConfig::default())
            .with_proxy("192.0.2.9".parse().unwrap())
            .with_proxy("198.51.100.9".parse().unwrap());
        assert_eq!(feed(&mut t, &steps)[1], ["proxy-to-tag-immutable"]);
        // A response sent before the one received is no copy of it.
        let mut t = TxnTracker::new(TxnConfig::default());
        let early = [
            (
                5,
                PROXY,
                UAC,
                hop_resp("SIP/2.0 180 Ringing", UP, ";tag=p", c, ""),
            ),
            (
                9,
                UAS_A,
                PROXY,
                hop_resp("SIP/2.0 180 Ringing", DOWN, ";tag=a", c, ""),
            ),
        ];
        assert!(feed(&mut t, &early).iter().all(Vec::is_empty));
    }
    #[test]
    fn proxy_rules_that_name_what_changed() {
        let geo = "Geolocation: <cid:target@example.com>\r\nGeolocation-Error: 100\r\n";
        let changed_424 = through_proxy(
            hop_resp(
                "SIP/2.0 424 Bad Location Information",
                DOWN,
                ";tag=a",
                geo,
                "",
            ),
            hop_resp(
                "SIP/2.0 424 Bad Location Information",
                UP,
                ";tag=a",
                "Geolocation-Error: 100\r\n",
                "",
            ),
        );
        assert_eq!(changed_424, ["proxy-424-unchanged"]);
        let kept_424 = through_proxy(
            hop_resp(
                "SIP/2.0 424 Bad Location Information",
                DOWN,
                ";tag=a",
                geo,
                "",
            ),
            hop_resp(
                "SIP/2.0 424 Bad Location Information",
                UP,
                ";tag=a",
                geo,
                "",
            ),
        );
        assert!(kept_424.is_empty(), "{kept_424:?}");

        let register = |vias: &str, extra: &str| {
            String::from_utf8(hop_resp("SIP/2.0 200 OK", vias, ";tag=a", extra, ""))
                .unwrap()
                .replace("CSeq: 1 INVITE", "CSeq: 1 REGISTER")
                .into_bytes()
        };
        let sr = "Service-Route: <sip:orig@scscf.example.com;lr>\r\n";
        let reordered = "Path: <sip:p2@example.com;lr>\r\nPath: <sip:p1@example.com;lr>\r\n";
        let order = "Path: <sip:p1@example.com;lr>\r\nPath: <sip:p2@example.com;lr>\r\n";
        assert_eq!(
            through_proxy(
                register(DOWN, &format!("{order}{sr}")),
                register(UP, &format!("{reordered}{sr}"))
            ),
            ["proxy-path-service-route-unaltered"]
        );
        assert_eq!(
            through_proxy(register(DOWN, sr), register(UP, "")),
            ["proxy-path-service-route-unaltered"]
        );
        assert!(through_proxy(register(DOWN, sr), register(UP, sr)).is_empty());

        let c = "Contact: <sip:b@192.0.2.5>\r\n";
        assert_eq!(
            through_proxy(
                hop_resp("SIP/2.0 200 OK", DOWN, ";tag=a", c, ""),
                hop_resp(
                    "SIP/2.0 200 OK",
                    UP,
                    ";tag=a",
                    &format!("{c}Allow-Events: presence\r\n"),
                    ""
                ),
            ),
            ["proxy-allow-events-insert"]
        );
        let with = format!("{c}Allow-Events: presence\r\n");
        assert!(through_proxy(
            hop_resp("SIP/2.0 200 OK", DOWN, ";tag=a", &with, ""),
            hop_resp("SIP/2.0 200 OK", UP, ";tag=a", &with, ""),
        )
        .is_empty());
    }
    #[test]
    fn a_2xx_to_invite_owes_a_session_description() {
        let c = "Contact: <sip:a@192.0.2.5>\r\n";
        let bare = resp_body("200 OK", "INVITE", ";tag=a", c, "");
        let mut run = Run::new();
        run.at(0, true, &invite());
        assert_eq!(run.at(10, false, &bare).0, ["2xx-invite-sdp"]);
        // Its retransmission is not reported again.
        assert!(run.at(510, false, &bare).0.is_empty());
        // After a reliable provisional with SDP (the answer or the offer).
        let sdp = format!("{c}Require: 100rel\r\nRSeq: 1\r\nContent-Type: application/sdp\r\n");
        let mut run = Run::new();
        run.at(0, true, &invite());
        assert!(run
            .at(
                5,
                false,
                &resp_body("183 Progress", "INVITE", ";tag=a", &sdp, "v=0\r\n")
            )
            .0
            .is_empty());
        assert!(run.at(10, false, &bare).0.is_empty());
        // An unreliable one does not count; another UAS's does not either.
        let mut run = Run::new();
        run.at(0, true, &invite());
        let unreliable = format!("{c}Content-Type: application/sdp\r\n");
        run.at(
            5,
            false,
            &resp_body("183 Progress", "INVITE", ";tag=a", &unreliable, "v=0\r\n"),
        );
        run.at(
            6,
            false,
            &resp_body(
                "183 Progress",
                "INVITE",
                ";tag=b",
                &sdp.replace("sip:a@", "sip:b@"),
                "v=0\r\n",
            ),
        );
        assert_eq!(run.at(10, false, &bare).0, ["2xx-invite-sdp"]);
        // Without the request the capture may have missed the provisional.
        let mut run = Run::new();
        let (f, obs) = run.at(10, false, &bare);
        assert!(f.is_empty());
        assert!(obs.skipped().any(|r| r == r::R_2XX_INVITE_SDP));
        // An unreadable Content-Type is its own rule's.
        let mut run = Run::new();
        run.at(0, true, &invite());
        let odd = resp_body(
            "200 OK",
            "INVITE",
            ";tag=a",
            &format!("{c}Content-Type: nonsense\r\n"),
            "x",
        );
        assert!(run.at(10, false, &odd).0.is_empty());
    }

    #[test]
    fn a_500_to_an_overlapping_reinvite_needs_retry_after() {
        let reinvite = |cseq: u32, branch: &str| {
            String::from_utf8(msg(
                "INVITE sip:b@192.0.2.5 SIP/2.0",
                "INVITE",
                branch,
                "",
                "",
            ))
            .unwrap()
            .replace("To: <sip:b@example.com>", "To: <sip:b@example.com>;tag=d")
            .replace("CSeq: 1 INVITE", &format!("CSeq: {cseq} INVITE"))
            .into_bytes()
        };
        let answer = |code: &str, cseq: u32, branch: &str, extra: &str| {
            String::from_utf8(resp_body(code, "INVITE", ";tag=d", extra, ""))
                .unwrap()
                .replace(BR, branch)
                .replace("CSeq: 1 INVITE", &format!("CSeq: {cseq} INVITE"))
                .into_bytes()
        };
        let mut run = Run::new();
        run.at(0, true, &reinvite(2, "z9hG4bK-r2"));
        // A second re-INVITE before the first one's final response.
        run.at(100, true, &reinvite(3, "z9hG4bK-r3"));
        assert_eq!(
            run.at(
                110,
                false,
                &answer("500 Server Internal Error", 3, "z9hG4bK-r3", "")
            )
            .0,
            ["500-reinvite-retry-after"]
        );
        let mut run = Run::new();
        run.at(0, true, &reinvite(2, "z9hG4bK-r2"));
        run.at(100, true, &reinvite(3, "z9hG4bK-r3"));
        let with = answer(
            "500 Server Internal Error",
            3,
            "z9hG4bK-r3",
            "Retry-After: 5\r\n",
        );
        assert!(run.at(110, false, &with).0.is_empty());
        let too_long = answer(
            "500 Server Internal Error",
            3,
            "z9hG4bK-r3",
            "Retry-After: 30\r\n",
        );
        let mut run = Run::new();
        run.at(0, true, &reinvite(2, "z9hG4bK-r2"));
        run.at(100, true, &reinvite(3, "z9hG4bK-r3"));
        assert_eq!(
            run.at(110, false, &too_long).0,
            ["500-reinvite-retry-after"]
        );
        // Once the first had its final response, a 500 needs none.
        let mut run = Run::new();
        run.at(0, true, &reinvite(2, "z9hG4bK-r2"));
        run.at(50, false, &answer("486 Busy Here", 2, "z9hG4bK-r2", ""));
        run.at(100, true, &reinvite(3, "z9hG4bK-r3"));
        assert!(run
            .at(110, false, &answer("500 Oops", 3, "z9hG4bK-r3", ""))
            .0
            .is_empty());
    }
    #[test]
    fn what_a_proxy_forwards_after_its_final_response() {
        let uas_b = "192.0.2.6:5060";
        let ca = "Contact: <sip:b@192.0.2.5>\r\n";
        let cb = "Contact: <sip:b@192.0.2.6>\r\nContent-Type: application/sdp\r\n";
        let down_b = DOWN.replace("z9hG4bK-p1", "z9hG4bK-p2");
        let down_c = DOWN.replace("z9hG4bK-p1", "z9hG4bK-p3");
        let cc = "Contact: <sip:b@192.0.2.7>\r\n";
        // A 486 from one branch forwarded, then a 2xx from another: the
        // 2xx goes upstream too (§16.7 step 5), not a second final.
        let mut t = TxnTracker::new(TxnConfig::default());
        let got = feed(
            &mut t,
            &[
                (
                    0,
                    UAS_A,
                    PROXY,
                    hop_resp("SIP/2.0 486 Busy Here", DOWN, ";tag=a", ca, ""),
                ),
                (
                    1,
                    PROXY,
                    UAC,
                    hop_resp("SIP/2.0 486 Busy Here", UP, ";tag=a", ca, ""),
                ),
                (
                    2,
                    uas_b,
                    PROXY,
                    hop_resp("SIP/2.0 200 OK", &down_b, ";tag=b", cb, "v=0\r\n"),
                ),
                (
                    3,
                    PROXY,
                    UAC,
                    hop_resp("SIP/2.0 200 OK", UP, ";tag=b", cb, "v=0\r\n"),
                ),
                // A provisional of a third branch after it is not
                // forwarded.
                (
                    4,
                    "192.0.2.7:5060",
                    PROXY,
                    hop_resp("SIP/2.0 180 Ringing", &down_c, ";tag=c", cc, ""),
                ),
                (
                    5,
                    PROXY,
                    UAC,
                    hop_resp("SIP/2.0 180 Ringing", UP, ";tag=c", cc, ""),
                ),
            ],
        );
        assert_eq!(
            got,
            [
                vec![],
                vec![],
                vec![],
                vec![],
                vec![],
                vec!["proxy-forward-timing"]
            ]
        );
        // A UAS sending a 2xx after its 486 is a second final, though.
        let mut run = Run::new();
        run.at(0, true, &invite());
        run.at(1, false, &resp("486 Busy Here", "INVITE", ";tag=a", ""));
        assert_eq!(
            run.at(2, false, &resp("200 OK", "INVITE", ";tag=a", "")).0,
            ["final-response-multiple"]
        );
        // To a non-INVITE, nothing follows the final.
        let message = |m: Vec<u8>| {
            String::from_utf8(m)
                .unwrap()
                .replace("CSeq: 1 INVITE", "CSeq: 1 MESSAGE")
                .into_bytes()
        };
        let mut t = TxnTracker::new(TxnConfig::default());
        let got = feed(
            &mut t,
            &[
                (
                    0,
                    UAS_A,
                    PROXY,
                    message(hop_resp("SIP/2.0 404 Not Found", DOWN, ";tag=a", "", "")),
                ),
                (
                    1,
                    PROXY,
                    UAC,
                    message(hop_resp("SIP/2.0 404 Not Found", UP, ";tag=a", "", "")),
                ),
                (
                    2,
                    uas_b,
                    PROXY,
                    message(hop_resp("SIP/2.0 200 OK", &down_b, ";tag=b", "", "")),
                ),
                (
                    3,
                    PROXY,
                    UAC,
                    message(hop_resp("SIP/2.0 200 OK", UP, ";tag=b", "", "")),
                ),
            ],
        );
        assert_eq!(got[3], ["proxy-forward-timing"]);
    }
    #[test]
    fn the_proxys_best_response_over_the_branches_seen() {
        let down_b = DOWN.replace("z9hG4bK-p1", "z9hG4bK-p2");
        // (received on branch A, on branch B, sent upstream): the findings
        // (with their severity) on what was sent.
        let case = |a: &str, b: &str, sent: &str| -> Vec<(&'static str, Severity)> {
            let mut t = TxnTracker::new(TxnConfig::default());
            let steps = [
                (
                    0,
                    UAS_A,
                    PROXY,
                    hop_resp(&format!("SIP/2.0 {a}"), DOWN, ";tag=a", "", ""),
                ),
                (
                    1,
                    "192.0.2.6:5060",
                    PROXY,
                    hop_resp(&format!("SIP/2.0 {b}"), &down_b, ";tag=b", "", ""),
                ),
            ];
            feed(&mut t, &steps);
            let m = hop_resp(&format!("SIP/2.0 {sent}"), UP, ";tag=a", "", "");
            let m = parse_message(&m).unwrap();
            let seen = Sighting {
                at: Duration::from_millis(2),
                src: PROXY.parse().unwrap(),
                dst: UAC.parse().unwrap(),
                transport: Transport::Udp,
            };
            let mut out: Vec<Finding> = Vec::new();
            t.observe(&m, seen, &Policy::new(), &mut out);
            out.iter().map(|f| (f.rule(), f.severity())).collect()
        };
        let best = "proxy-best-response";
        assert_eq!(
            case("486 Busy Here", "603 Decline", "486 Busy Here"),
            [(best, Severity::Error)]
        );
        assert!(case("486 Busy Here", "603 Decline", "603 Decline").is_empty());
        assert_eq!(
            case("486 Busy Here", "503 Unavailable", "500 Oops"),
            [(best, Severity::Warning)]
        );
        assert_eq!(
            case("486 Busy Here", "401 Unauthorized", "486 Busy Here"),
            [(best, Severity::Warning)]
        );
        assert!(case("486 Busy Here", "480 Unavailable", "480 Unavailable").is_empty());
        // A 3xx may have been recursed on.
        assert!(case("302 Moved", "486 Busy Here", "486 Busy Here").is_empty());
    }
    #[test]
    fn a_proxys_401_carries_every_challenge_received() {
        let down_b = DOWN.replace("z9hG4bK-p1", "z9hG4bK-p2");
        let wa = "WWW-Authenticate: Digest realm=\"a.example\", nonce=\"1\", qop=\"auth\"\r\n";
        let wb = "WWW-Authenticate: Digest realm=\"b.example\", nonce=\"2\", qop=\"auth\"\r\n";
        let sent = |extra: &str| {
            let mut t = TxnTracker::new(TxnConfig::default());
            let got = feed(
                &mut t,
                &[
                    (
                        0,
                        UAS_A,
                        PROXY,
                        hop_resp("SIP/2.0 401 Unauthorized", DOWN, ";tag=a", wa, ""),
                    ),
                    (
                        1,
                        "192.0.2.6:5060",
                        PROXY,
                        hop_resp("SIP/2.0 401 Unauthorized", &down_b, ";tag=b", wb, ""),
                    ),
                    (
                        2,
                        PROXY,
                        UAC,
                        hop_resp("SIP/2.0 401 Unauthorized", UP, ";tag=a", extra, ""),
                    ),
                ],
            );
            got[2].clone()
        };
        assert!(sent(&format!("{wa}{wb}")).is_empty());
        assert_eq!(sent(wa), ["proxy-auth-aggregation"]);
    }
}
