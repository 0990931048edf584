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
//!   allowed; Record-Route values are only counted, as the proxy may
//!   rewrite its own entry, step 8; only the first 24 values received are
//!   kept);
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
//!   final is what §16.7 step 5 asks, not a second final); for a
//!   non-INVITE whose server transaction had terminated by then (Timer J)
//!   it is `proxy-late-non-invite` (RFC 4320 §4.2). The before-a-final half
//!   is judged over the proxy's branches (below);
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
//! **Proxy branches** (`branch.rs`). A request sent with two Via values
//! or more is a proxy's branch of the request it received; the requests
//! sent with one same next Via are one response context (§16.7), with the
//! responses received on each branch, the CANCELs sent to them and the
//! responses sent upstream. On the proxy's first final response upstream
//! the context is judged: `proxy-6xx-handling`, the before-a-final half of
//! `proxy-forward-timing`, `proxy-3xx-recursion`, `416-proxy-recurse` and
//! `proxy-199-forward`; a 199 the proxy made itself is held to
//! `199-proxy-no-contact-rr` (see that file for what each concludes from,
//! and what a capture cannot show).
//!
//! **Matching** follows RFC 3261 §17.1.3 and §17.2.3: a top Via branch with
//! the magic cookie `z9hG4bK`, plus the Via sent-by and the method (a
//! request's own, from its request line; a response's CSeq method; ACK
//! counts as INVITE, CANCEL is its own transaction). Without the
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
//! more than a given stack), dialog and proxy response context is a
//! fixed-size record (about 430, 760, 60 and 870 octets; no allocation
//! per message once the tables have grown; a context only exists for a
//! request a proxy sent on, and the Request-URI schemes of recent requests
//! take a fixed 32 KiB). An entry is forgotten on capture time [`TxnConfig::expiry`]
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

use siphasher::sip128::{Hasher128, SipHasher13};
use std::collections::{BinaryHeap, HashMap};
use std::hash::{Hash, Hasher};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use super::catalogue::Rule;
use super::finding::{Detail, DetailArg};
use super::policy::Policy;
use super::table::r;
use super::{Emitter, FindingSink};
use crate::header::typed::{
    CSeq, ContentType, FromHeader, RSeq, RetryAfter, ToHeader, Via, ViaLax,
};
use crate::header::KnownHeader;
use crate::message::{Message, Response};
use crate::span::Span;
use crate::transport::Transport;
use crate::validate::rules::observed::Verdict;

mod branch;
mod hop;

use branch::{BranchOf, Context, Judged, Schemes};
use hop::{Hop, Shape};

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
    /// At most this many transactions (and as many proxy hops, dialogs,
    /// proxy response contexts and branches) are kept; past it the one due to expire first is evicted (and
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
    /// The longest wait: how long after its last message a record that
    /// may belong to a ringing INVITE is kept.
    fn longest_wait(&self) -> Duration {
        self.invite_pending.max(self.expiry)
    }

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
    retransmission: bool,
    skipped: u8,
    exchange: Option<u128>,
}

/// The rules an [`Observation`] may report as skipped, by bit.
const SKIPPABLE: [Rule; 6] = [
    r::R_100_NON_INVITE_UDP_EARLY,
    r::INVITE_PROVISIONAL_REFRESH,
    crate::validate::rules::RSEQ_RANGE,
    r::R_2XX_INVITE_SDP,
    r::R_500_REINVITE_RETRY_AFTER,
    crate::validate::rules::observed::R_416_PROXY_RECURSE,
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

    /// For a response: true when its transaction already sent this same
    /// response (status, To tag, body and header fields but Date and
    /// Timestamp) at this observation point: a retransmission (RFC 3261
    /// §17.2.1, §17.2.2), whose findings are those of the first copy. A
    /// report can mark it, so that one defect retransmitted five times is
    /// not read as five.
    pub fn is_retransmission(&self) -> bool {
        self.retransmission
    }

    /// The key a request shares with the responses to it (see
    /// [`TxnTracker::exchange_of`]), read from what the tracker read of the
    /// message anyway; `None` when it is not tracked (an ACK, or no usable
    /// Via or CSeq) or has no Call-ID.
    pub fn exchange(&self) -> Option<u128> {
        self.exchange
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
    /// Records kept now, over every table: transactions, proxy hops,
    /// dialogs, proxy response contexts, branch-to-context marks and
    /// judged-context marks (the fixed-size table of Request-URI schemes
    /// is not counted).
    pub live: usize,
    /// The most kept at once in one table.
    pub peak: usize,
    /// Records forgotten because they expired (the normal end).
    pub expired: u64,
    /// Records evicted by the [`TxnConfig::max_transactions`] cap
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

    /// Whether the next push overwrites the oldest.
    fn is_full(&self) -> bool {
        self.len as usize == N
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
    /// Capture time of the first final response.
    final_at: Option<Duration>,
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
        self.last.saturating_add(config.longest_wait())
    }
}

/// The dialog key of an in-dialog message (Call-ID and both tags, per
/// observation point) and its CSeq number; `None` without a To tag.
/// `head` is what the tracker already read of the message (its Call-ID
/// and CSeq).
fn dialog_key(msg: &Message<'_>, head: &Head<'_>, seen: &Sighting) -> Option<(u128, u32)> {
    let call_id = head.call_id?;
    let cseq = head.cseq.number();
    let h = msg.headers();
    let to_tag = h.typed_lax_all::<ToHeader<'_>>().next()?.tag()?;
    let from_tag = h
        .typed_lax_all::<FromHeader<'_>>()
        .next()
        .and_then(|f| f.tag());
    let (a, b) = if seen.src <= seen.dst {
        (seen.src, seen.dst)
    } else {
        (seen.dst, seen.src)
    };
    let mut h = hasher128(13);
    (a, b, call_id, from_tag, to_tag).hash(&mut h);
    Some((key128(&h), cseq))
}

/// A map bounded in time (entries expire on capture time) and in size (a
/// cap past which the entry due first is evicted, and counted).
#[derive(Debug)]
struct Table<V> {
    open: HashMap<u128, V>,
    /// An entry per open key: when to look at it again. An entry whose
    /// value was seen since is pushed back with its new time when it comes
    /// up; a removed key's entry stays until due, and [`Table::remove`]
    /// compacts the heap when those outnumber the open keys.
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

    /// Forgets `key` before it expires (not counted: its purpose is
    /// served). Its expiry entry stays until due, then finds nothing; but
    /// a stream of keys removed before they are due (all at one capture
    /// time, say) would pile such entries up, so once the stale ones
    /// outnumber the open keys (and a few), the heap is compacted.
    fn remove(&mut self, key: u128) {
        if self.open.remove(&key).is_some() && self.due.len() > 2 * self.open.len() + 64 {
            self.compact();
        }
    }

    /// Keeps one expiry entry per open key (its earliest: `tick` pushes an
    /// entry back when its value is not due yet), in the heap's own
    /// buffer (no allocation).
    fn compact(&mut self) {
        let mut due = std::mem::take(&mut self.due).into_vec();
        due.retain(|Reverse((_, k))| self.open.contains_key(k));
        due.sort_unstable_by_key(|Reverse((at, k))| (*k, *at));
        due.dedup_by_key(|Reverse((_, k))| *k);
        self.due = BinaryHeap::from(due);
    }

    /// This table's share of [`TxnStats`] (without the cap).
    fn stats(&self) -> TxnStats {
        TxnStats {
            live: self.open.len(),
            peak: self.peak,
            expired: self.expired,
            evicted: self.evicted,
            capacity: 0,
        }
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

/// The rules of the transaction itself (this file).
const TXN_RULES: [Rule; 9] = [
    r::FINAL_RESPONSE_MULTIPLE,
    r::PROVISIONAL_AFTER_FINAL,
    r::TO_TAG_INCONSISTENT,
    r::R_100_NON_INVITE_UDP_EARLY,
    r::INVITE_PROVISIONAL_REFRESH,
    r::RSEQ_SEQUENCE,
    crate::validate::rules::RSEQ_RANGE,
    r::R_2XX_INVITE_SDP,
    r::R_500_REINVITE_RETRY_AFTER,
];

/// `a` then `b` as one array of `N` (their lengths' sum, checked when the
/// constant is evaluated): the tracker's rule list from each file's own.
const fn chain<const A: usize, const B: usize, const N: usize>(
    a: [Rule; A],
    b: [Rule; B],
) -> [Rule; N] {
    assert!(A + B == N);
    let mut out = [Rule::from_index(0); N];
    let mut i = 0;
    while i < N {
        out[i] = if i < A { a[i] } else { b[i - A] };
        i += 1;
    }
    out
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
    /// Proxies' response contexts (`branch.rs`), and which context each
    /// branch belongs to.
    contexts: Table<Context>,
    branch_of: Table<BranchOf>,
    /// The contexts already judged (their records gone).
    judged: Table<Judged>,
    /// The Request-URI schemes of recent requests.
    schemes: Schemes,
    /// Addresses named as proxies ([`TxnTracker::with_proxy`]).
    proxies: Vec<IpAddr>,
    /// Addresses of stateless proxies
    /// ([`TxnTracker::with_stateless_proxy`]).
    stateless: Vec<IpAddr>,
    /// The latest capture time seen (captures are not always in order).
    now: Duration,
}

impl TxnTracker {
    /// Every rule the tracker reports: they run in capture mode whatever
    /// the validating role (a capture shows the proxy's hops as they were).
    pub const RULES: [Rule; 25] = chain(
        chain::<9, 9, 18>(TXN_RULES, hop::RULES),
        crate::validate::rules::observed::RULES,
    );

    /// An empty tracker.
    pub fn new(config: TxnConfig) -> Self {
        TxnTracker {
            config,
            txns: Table::new(),
            hops: Table::new(),
            dialogs: Table::new(),
            contexts: Table::new(),
            branch_of: Table::new(),
            judged: Table::new(),
            schemes: Schemes::new(),
            proxies: Vec::new(),
            stateless: Vec::new(),
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

    /// Treats the proxy that sends from `addr` as stateless (RFC 3261
    /// §16.11): it forwards each response as it comes, so the choices of a
    /// stateful proxy's response processing (§16.7 steps 5–7: absorbing a
    /// 100, sending a 503 as 500, picking the best final response, joining
    /// the challenges, forwarding nothing but a 2xx to INVITE after a final,
    /// keeping the To tag) and RFC 4320 §4.2 (a transaction-stateful
    /// proxy's) are not asked of what it forwards. The content checks
    /// (`proxy-no-body-change`: §16.11 itself forbids touching the body or
    /// removing header values; the RFC 6442, 3327 and 6665 rules) stay.
    /// The capture counterpart of
    /// [`Context::with_stateless_proxy`](crate::validate::Context::with_stateless_proxy).
    pub fn with_stateless_proxy(mut self, addr: IpAddr) -> Self {
        self.stateless.push(addr);
        self
    }

    /// Whether the message `seen` was sent by a proxy named stateless
    /// ([`TxnTracker::with_stateless_proxy`]).
    pub(super) fn sent_by_stateless(&self, seen: &Sighting) -> bool {
        self.stateless.contains(&seen.src.ip())
    }

    /// The configuration.
    pub fn config(&self) -> &TxnConfig {
        &self.config
    }

    /// How much state is held, and how much was dropped (all tables
    /// together).
    pub fn stats(&self) -> TxnStats {
        [
            self.txns.stats(),
            self.hops.stats(),
            self.dialogs.stats(),
            self.contexts.stats(),
            self.branch_of.stats(),
            self.judged.stats(),
        ]
        .into_iter()
        .fold(
            TxnStats {
                capacity: self.config.max_transactions,
                ..TxnStats::default()
            },
            |all, t| TxnStats {
                live: all.live + t.live,
                peak: all.peak.max(t.peak),
                expired: all.expired + t.expired,
                evicted: all.evicted + t.evicted,
                capacity: all.capacity,
            },
        )
    }

    /// Takes one message seen at `seen`, and reports to `sink` (through
    /// `policy`) the transaction and proxy rules it breaks. Requests open
    /// or refresh their transaction, and a proxy's branches; what they show
    /// is reported on a later response (the proxy's final, for branches).
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
        self.contexts.tick(self.now, &self.config);
        self.branch_of.tick(self.now, &self.config);
        self.judged.tick(self.now, &self.config);
        let mut obs = Observation::default();
        let Some(head) = Head::of(msg) else {
            return obs;
        };
        let (key, method) = transaction_key(msg, &head, &seen);
        if method == Method::Ack {
            return obs;
        }
        obs.matched = true;
        obs.exchange = head.exchange();
        // For a response: what the hop checks compare, and whether it is a
        // proxy's copy of one it received.
        let (shape, digest) = match msg {
            Message::Response(resp) => match Shape::of(resp, &head) {
                Some((shape, digest)) => (Some(shape), Some(digest)),
                None => (None, Some(Digest::of(resp))),
            },
            Message::Request(_) => (None, None),
        };
        let forwarded = shape.as_ref().is_some_and(|s| self.is_copy(s, &seen));
        let stateless = forwarded && self.sent_by_stateless(&seen);
        let config = self.config;
        let txn = self.txns.entry(key, self.now, config.max_transactions);
        txn.invite = method == Method::Invite;
        txn.last = txn.last.max(seen.at);
        match msg {
            Message::Request(req) => {
                let first = txn.request_at.is_none();
                if txn.request_at.is_none_or(|t| seen.at < t) {
                    txn.request_at = Some(seen.at);
                    if txn.invite && txn.refresh_from.is_none() {
                        txn.refresh_from = Some(seen.at);
                    }
                }
                let invite = txn.invite;
                if first && invite {
                    if let Some((dkey, cseq)) = dialog_key(msg, &head, &seen) {
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
                self.branch_request(&head, req, &seen);
            }
            Message::Response(resp) => {
                obs.request_seen = txn.request_at.is_some();
                let invite = txn.invite;
                let mut out = Emitter::new(policy, sink, resp.headers().src());
                let digest = digest.unwrap_or_else(|| Digest::of(resp));
                let incoming = Incoming {
                    resp,
                    digest: &digest,
                    forwarded,
                    stateless,
                };
                let retransmission =
                    check_response(&config, txn, incoming, &seen, &mut obs, &mut out);
                obs.retransmission = retransmission;
                // A final response ends its INVITE's wait in the dialog.
                if invite && resp.status().as_u16() >= 200 {
                    if let Some((dkey, cseq)) = dialog_key(msg, &head, &seen) {
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
                self.branch_response(&head, resp, &seen, forwarded, &mut obs, &mut out);
            }
        }
        obs
    }
}

/// Whether `a` and `b` are one proxy: the same address, or both named.
fn same_proxy(named: &[IpAddr], a: IpAddr, b: IpAddr) -> bool {
    a == b || (named.contains(&a) && named.contains(&b))
}

/// The transaction's method (a request's own, a response's CSeq
/// method), as far as transactions care.
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

/// A 64-bit fingerprint hasher, for what the tracker compares rather than
/// what it keys its tables by: header rows, a response's content, To
/// values and tags, bodies. foldhash's quality hasher with a fixed seed per
/// `domain`, so runs agree. Every row of every response is hashed, and
/// SipHash cost some 650 instructions a row (the capture audit's largest
/// single cost after validation). The tables' keys stay SipHash
/// ([`hasher128`]): a crafted collision there would merge transactions,
/// while one here can at most make two different values compare equal,
/// which fixed-key SipHash (these hashes had `DefaultHasher::new()`'s
/// zero keys) never prevented either.
fn fingerprint(domain: u8) -> foldhash::quality::FoldHasher<'static> {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(u64::from(domain)).build_hasher()
}

/// A 128-bit key hasher: SipHash-1-3 with a 128-bit output, one pass (two
/// 64-bit passes under two domains cost twice as much). Fixed keys, one per
/// `domain`, so a capture's keys, hence its eviction order, are the same on
/// every run. (foldhash was tried and dropped: its short-input step lets a
/// crafted Call-ID give unrelated messages one key under any seed.)
pub(super) fn hasher128(domain: u8) -> SipHasher13 {
    SipHasher13::new_with_keys(0x7369_702d_7265_7370, u64::from(domain))
}

/// The 128-bit key a [`hasher128`] has read.
pub(super) fn key128(h: &SipHasher13) -> u128 {
    h.finish128().as_u128()
}

/// What places a message, read once: its CSeq and top Via (without them it
/// is not tracked), its Call-ID, and for a request its second Via (a
/// proxy's branch names its context by it).
pub(super) struct Head<'a> {
    cseq: CSeq<'a>,
    /// The transaction's method: a request's own (its request line), a
    /// response's CSeq method. RFC 3261 §17.1.3 matches a response by "the
    /// method of the request that created the transaction", so a request
    /// whose CSeq names another method (it breaks §8.1.1.5) still finds
    /// the responses to it.
    method: &'a [u8],
    top: ViaLax<'a>,
    next: Option<ViaLax<'a>>,
    call_id: Option<&'a [u8]>,
}

impl<'a> Head<'a> {
    fn of(msg: &Message<'a>) -> Option<Self> {
        let h = msg.headers();
        let mut vias = h.typed_lax_all::<Via<'_>>();
        let cseq = h.typed::<CSeq<'_>>()?.ok()?;
        Some(Head {
            method: match msg {
                Message::Request(req) => req.method(),
                Message::Response(_) => cseq.method().as_bytes(),
            },
            cseq,
            top: vias.next()?,
            next: if msg.is_response() { None } else { vias.next() },
            call_id: h.get(KnownHeader::CallId).map(|c| c.value().trim_ascii()),
        })
    }

    /// The transaction's method, as far as transactions care.
    fn method(&self) -> Method {
        match self.method {
            b"INVITE" => Method::Invite,
            b"ACK" => Method::Ack,
            _ => Method::Other,
        }
    }

    /// See [`TxnTracker::exchange_of`].
    fn exchange(&self) -> Option<u128> {
        let p = &mut hasher128(14);
        self.call_id?.hash(p);
        self.cseq.number().hash(p);
        self.method.hash(p);
        self.top.branch().hash(p);
        Some(key128(p))
    }
}

impl TxnTracker {
    /// The key a request shares with the responses to it, wherever in a
    /// capture each was seen: a 128-bit hash of Call-ID, CSeq number,
    /// method (a request's own, a response's CSeq method), and the top
    /// Via's branch. A reader that keeps requests to hand to the validator
    /// with their responses
    /// ([`Context::with_observed_request`](crate::validate::Context::with_observed_request))
    /// keys them by it. It is looser than the transaction key the tracker
    /// matches by (RFC 3261 §17.1.3 scoped to the observation point: a
    /// response sent to a port the request did not come from still finds
    /// its request this way) and stricter about reused branches (Call-ID
    /// and CSeq number count too). `None` for an ACK (no response answers
    /// it) and for a message without a Call-ID or a usable top Via or CSeq.
    /// [`Observation::exchange`] gives the same key for a message the
    /// tracker has observed, without reading it again.
    pub fn exchange_of(msg: &Message<'_>) -> Option<u128> {
        let head = Head::of(msg)?;
        (head.method() != Method::Ack).then(|| head.exchange())?
    }
}

/// The transaction key (RFC 3261 §17.1.3, §17.2.3, with the RFC 2543
/// fallback) scoped to the observation point, and the method.
fn transaction_key(msg: &Message<'_>, head: &Head<'_>, seen: &Sighting) -> (u128, Method) {
    let h = msg.headers();
    let (cseq, via) = (&head.cseq, &head.top);
    let method = head.method();
    // ACK belongs to the INVITE's transaction (a non-2xx ACK shares its
    // branch); it is matched, then ignored.
    let key_method: &[u8] = if method == Method::Ack {
        b"INVITE"
    } else {
        head.method
    };
    let (a, b) = if seen.src <= seen.dst {
        (seen.src, seen.dst)
    } else {
        (seen.dst, seen.src)
    };
    let p = &mut hasher128(1);
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
            head.call_id.hash(p);
            cseq.number().hash(p);
            h.typed_lax_all::<FromHeader<'_>>()
                .next()
                .and_then(|f| f.tag())
                .hash(p);
            h.get(KnownHeader::Via).map(|v| v.value()).hash(p);
        }
    }
    (key128(p), method)
}

/// What the response checks compare of a response, read once: its content
/// hash, its To tag (hashed) and where that tag is. [`Shape::of`] reads it
/// in the walk over the rows it makes anyway; [`Digest::of`] reads it alone.
pub(super) struct Digest {
    /// The content as far as "the same response" goes: all of it but the
    /// Date and Timestamp header fields (see the module docs).
    pub(super) content: u64,
    /// [`to_tag_hash`] of the first To.
    pub(super) to_tag: u64,
    pub(super) tag_span: Option<Span>,
}

impl Digest {
    pub(super) fn of(resp: &Response<'_>) -> Digest {
        let mut content = ContentHash::start(resp);
        for row in resp.headers().rows() {
            content.row(&row);
        }
        Digest::with(resp, content)
    }

    /// The digest of `resp` whose rows `content` has read.
    pub(super) fn with(resp: &Response<'_>, content: ContentHash) -> Digest {
        let to = resp.headers().typed_lax_all::<ToHeader<'_>>().next();
        Digest {
            content: content.finish(resp),
            to_tag: to_tag_hash(to.as_ref()),
            tag_span: to.as_ref().and_then(|t| t.tag_span()),
        }
    }
}

/// The content hash of a response, fed its rows one by one.
pub(super) struct ContentHash(foldhash::quality::FoldHasher<'static>);

impl ContentHash {
    pub(super) fn start(resp: &Response<'_>) -> ContentHash {
        let mut h = fingerprint(3);
        resp.status().as_u16().hash(&mut h);
        resp.reason().hash(&mut h);
        ContentHash(h)
    }

    /// Feeds one header row (Date and Timestamp are not content).
    pub(super) fn row(&mut self, row: &crate::header::Header<'_>) {
        if !Self::is_content(row) {
            return;
        }
        self.row_hashed(row, row_hash(row));
    }

    fn is_content(row: &crate::header::Header<'_>) -> bool {
        !matches!(
            row.known(),
            Some(KnownHeader::Date | KnownHeader::Timestamp)
        )
    }

    /// [`ContentHash::row`] for a row whose [`row_hash`] the caller has
    /// (it keeps it too). The row hash names a known header by its long
    /// form; whether the row used the compact one is content as well.
    pub(super) fn row_hashed(&mut self, row: &crate::header::Header<'_>, row_hash: u64) {
        if !Self::is_content(row) {
            return;
        }
        row_hash.hash(&mut self.0);
        // Compact forms are one letter; long names are longer.
        (row.name_bytes().len() == 1).hash(&mut self.0);
    }

    fn finish(mut self, resp: &Response<'_>) -> u64 {
        resp.body().hash(&mut self.0);
        self.0.finish()
    }
}

/// One header row hashed: its name (a known header by its index, so the
/// compact and long forms agree; any other name lowercased) and its value.
/// The kept values of a response compare by it, and its content hash is
/// made of it.
pub(super) fn row_hash(row: &crate::header::Header<'_>) -> u64 {
    let mut v = fingerprint(10);
    match row.known() {
        // A name that reads as a known header, in any case or form, is
        // known: the two arms never see the same name.
        Some(k) => v.write_u16(k.index() as u16),
        None => {
            v.write_u16(u16::MAX);
            hash_lowercase(row.name_bytes(), &mut v)
        }
    }
    row.value().trim_ascii().hash(&mut v);
    v.finish()
}

/// The header of a row in 8 bits: a known header by its index (so the
/// compact and long forms agree), any other name by 7 bits of a hash of
/// its lowercase form with the top bit set. Two unknown names may share a
/// key, which only blurs whose rows are counted when a forwarded copy is
/// checked for removed values (`Shape::removes_values_of`).
pub(super) fn name_key(row: &crate::header::Header<'_>) -> u8 {
    const _: () = assert!(KnownHeader::COUNT <= 0x80);
    match row.known() {
        Some(k) => k.index() as u8,
        None => {
            let mut h = fingerprint(15);
            hash_lowercase(row.name_bytes(), &mut h);
            h.finish() as u8 | 0x80
        }
    }
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

/// A response's To tag as kept (0 for none): its early dialog or UAS.
fn to_tag_hash(to: Option<&crate::header::typed::NameAddrLax<'_>>) -> u64 {
    to.and_then(|t| t.tag()).map_or(0, |t| small_hash(4, t))
}

fn small_hash(domain: u8, t: impl Hash) -> u64 {
    let mut h = fingerprint(domain);
    t.hash(&mut h);
    // 0 stands for "none".
    h.finish().max(1)
}

/// The response a transaction receives, as [`check_response`] reads it.
struct Incoming<'r, 'a> {
    resp: &'r Response<'a>,
    /// Its content and To tag, read once.
    digest: &'r Digest,
    /// The response is a proxy's copy of one it received, so what follows
    /// a final is the proxy's forwarding decision (`proxy-forward-timing`,
    /// RFC 3261 §16.7 step 5: after a final response only 2xx to INVITE
    /// are forwarded) rather than the server transaction's.
    forwarded: bool,
    /// Forwarded by a stateless proxy (RFC 3261 §16.11: §16.7 does not
    /// apply, and RFC 4320 §4.2 binds transaction-stateful proxies only):
    /// what follows a final is the UAS's, already judged on its own leg.
    stateless: bool,
}

/// The response-side checks, in the order of the module docs. Returns
/// whether the response is a retransmission of one the transaction sent.
fn check_response<S: FindingSink + ?Sized>(
    config: &TxnConfig,
    txn: &mut Txn,
    incoming: Incoming<'_, '_>,
    seen: &Sighting,
    obs: &mut Observation,
    out: &mut Emitter<'_, S>,
) -> bool {
    let Incoming {
        resp,
        digest,
        forwarded,
        stateless,
    } = incoming;
    let code = resp.status().as_u16();
    let code_span = Some(resp.code_span());
    let (content, to_tag, tag_span) = (digest.content, digest.to_tag, digest.tag_span);
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
                        let allowed = txn.invite && (200..300).contains(&code);
                        if !(stateless || allowed) {
                            late_or(config, txn, seen, Verdict::FinalAfterFinal)
                                .emit(out, code_span);
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
            txn.final_at = txn.final_at.or(Some(seen.at));
        }
    } else {
        if had_final && !retransmission {
            if forwarded {
                if !stateless {
                    late_or(config, txn, seen, Verdict::ProvisionalAfterFinal).emit(out, code_span);
                }
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

/// What a proxy forwarding a response after its server transaction's
/// final one did wrong: for a non-INVITE whose transaction had already
/// terminated (Timer J: 64·T1 on UDP, none on a reliable transport;
/// RFC 3261 §17.2.2) the response is late (RFC 4320 §4.2); otherwise it
/// is `verdict` (§16.7 step 5).
fn late_or(config: &TxnConfig, txn: &Txn, seen: &Sighting, verdict: Verdict) -> Verdict {
    let timer_j = if seen.transport == Transport::Udp {
        config.t1.saturating_mul(64)
    } else {
        Duration::ZERO
    };
    match txn.final_at {
        Some(f) if !txn.invite && seen.at.saturating_sub(f) >= timer_j => Verdict::LateNonInvite,
        _ => verdict,
    }
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

// Not `#[cfg(test)] mod tests;`: the file carries `#![cfg(test)]` itself,
// so that every build reads it and a change to it makes the `validate`
// example newer too (tests/common::example_exe compares their times).
mod tests;
