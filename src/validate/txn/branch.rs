//! Request branches across a proxy: the response context of RFC 3261
//! §16.7 as a capture shows it.
//!
//! A request with two Via values or more was sent by a proxy: its top Via
//! is the proxy's own (one per branch), the next one is the element's it
//! received the request from. So the requests sent with one same next Via
//! (same Call-ID and CSeq number) are the branches of one response
//! context, whatever their Request-URIs (fork and recursion targets); the
//! responses received with the branch's Via on top answer that branch, and
//! the responses sent with the next Via on top are the proxy's, upstream.
//! A CANCEL the proxy sends carries its branch's single Via (§9.1), so it
//! is known by the branch too; a CANCEL received with the context's Via is
//! the UAC's.
//!
//! Via values are matched by transaction identity (the branch parameter
//! and sent-by, with Call-ID and CSeq number), not by their octets: the
//! next hop adds `received` and `rport` to the Via it receives (§18.2.1),
//! so the same Via reads differently on the two legs.
//!
//! Only a request sent with a second Via opens a context, so a capture
//! without proxies costs one hash per message and no state; the
//! Request-URI scheme of each request is remembered in a small
//! direct-mapped table for the one check that needs the request the proxy
//! received (`416-proxy-recurse`: did the proxy change a sip or sips URI
//! into another scheme?).
//!
//! On the proxy's first final response upstream, the context is judged
//! (each verdict's rule is emitted from `rules/proxy.rs`; a proxy named
//! stateless, [`TxnTracker::with_stateless_proxy`], gets no context):
//!
//! * `proxy-6xx-handling`: a branch opened at least T1 after a 6xx came on
//!   another (MUST NOT, error; a branch is taken as opened when first
//!   seen, so a UDP branch counts only when the capture saw the request
//!   the proxy received and no context had been evicted: otherwise it may
//!   be a retransmission, Timer A, of a copy sent before the capture began.
//!   A first copy lost by the capture itself stays a blind spot); an INVITE branch that was pending when the
//!   6xx came, had a provisional (so a CANCEL was allowed, §9.1), stayed
//!   pending at least T1 after both and got no CANCEL (SHOULD, warning);
//!   the 6xx sent while a branch was still pending (warning: §16.7 step 5
//!   says it is not forwarded at once, step 6 sends the final when every
//!   client transaction has ended);
//! * `proxy-forward-timing`, its before-a-final half: a 3xx–5xx received
//!   forwarded while a branch was pending (unless the UAC cancelled);
//! * `proxy-3xx-recursion`: the 3xx sent lists a contact of a 3xx received
//!   on which the proxy opened a branch after it and none before (one it
//!   targeted already is no recursion; MUST remove, error); the
//!   proxy recursed on every contact of a 3xx and sent that 3xx without
//!   contacts (SHOULD NOT, warning);
//! * `416-proxy-recurse`: a branch whose Request-URI the proxy turned from
//!   sip or sips (the request it received) into another scheme got a 416,
//!   and no branch with a sip or sips URI followed it (unless the UAC
//!   cancelled, a 6xx came or a 2xx was sent: no retry was due), or one
//!   for the same number did and the 416 was still sent;
//! * `proxy-199-forward`: a 199 received at least T1 before the final
//!   with no 199 of its dialog (To tag) sent upstream: neither forwarded
//!   nor one of the proxy's own, which would allow discarding it.
//!
//! And on each 199 the proxy sends upstream, `199-proxy-no-contact-rr`: a
//! 199 is known as the proxy's own (RFC 6228 §6) when the branch of its
//! early dialog (the To tag of a provisional received) is in the capture,
//! ended with a 3xx–6xx, and no 199 came on it; then it should carry no
//! Contact or Record-Route.
//!
//! A judged context is forgotten but for a small mark, kept
//! [`TxnConfig::invite_pending`] after its last message, that keeps later
//! messages of it (retransmitted or cancelled branches, late answers) from
//! opening another. A context not judged (its final upstream not sent yet,
//! or not in the capture) is kept 64·T1 after its last message, or
//! [`TxnConfig::invite_pending`] while a branch of its INVITE has no final
//! response (it may ring for minutes); a branch's mark lasts as long.
//!
//! A branch is pending while it has no final response, a provisional
//! came on it, and its latest provisional or its CANCEL is within the last
//! 64·T1 (an INVITE's Timer C lasts longer; 64·T1 errs on the silent
//! side). A branch that never answered is not pending: real proxies give
//! up on a silent branch after a few seconds (a Kamailio `fr_timer`), and
//! one answering on an interface the capture misses looks the same; a
//! provisional shows it in Proceeding, its answers travelling where the
//! capture sees. T1 is also the grace for the proxy to act on a response:
//! a proxy does not cancel or stop forking at the instant a 6xx arrives on
//! the wire.
//!
//! **What it cannot see:** branches on another interface than the capture
//! (a branch is judged pending only on what the capture shows of it, and
//! one never heard from is not pending, above); branches past
//! [`MAX_BRANCHES`] (the context is judged on those kept, and a check that
//! needs to know a branch was not opened stays silent); conclusions the end of a
//! capture would give (a 199 never forwarded because no final was ever
//! sent), since findings belong to a message; the 408 that every branch
//! timing out asks for (`proxy-best-response`), since a capture never shows
//! that it holds every branch.

use std::hash::{Hash, Hasher};
use std::net::IpAddr;
use std::time::Duration;

use super::{
    hash_lowercase, hasher, same_proxy, to_tag_hash, Expiring, Head, Observation, Recent, Sighting,
    TxnConfig, TxnTracker,
};
use crate::header::typed::{Contact, ToHeader, Uri, ViaLax};
use crate::header::KnownHeader;
use crate::message::{Request, Response};
use crate::transport::Transport;
use crate::validate::rules::observed::{Verdict, R_416_PROXY_RECURSE};
use crate::validate::{Emitter, FindingSink};

/// Branches kept per context; past it the context is judged on these.
pub(super) const MAX_BRANCHES: usize = 8;
/// Contacts kept per 3xx received.
const MAX_CONTACTS: usize = 8;
/// Slots of the direct-mapped table of Request-URI schemes.
pub(super) const SCHEME_SLOTS: usize = 4096;

/// A capture time within a context: milliseconds after its first branch
/// (4 octets where a `Duration` takes 16: a context keeps a dozen). Two
/// events in one millisecond compare as simultaneous: a branch opened in
/// the millisecond a 3xx or 416 arrived counts as a recursion on it (a
/// proxy can be that fast), one opened in the millisecond of a 6xx as
/// opened before it, and a branch is pending only from the millisecond
/// after its request.
type Ms = u32;

/// One request the proxy sent for a context.
#[derive(Clone, Copy, Debug, Default)]
struct Branch {
    /// Its transaction identity (top Via).
    key: u64,
    opened: Ms,
    /// The Request-URI's target (see [`uri_key`]).
    uri: u64,
    /// Its Request-URI scheme is sip or sips.
    sip: bool,
    /// Sent over UDP with the context's start unseen: it may be a
    /// retransmission (Timer A) of a copy the capture missed.
    maybe_resent: bool,
    /// The telephone number it targets (see [`number_key`]; 0: none).
    number: u32,
    /// Its first provisional response.
    provisional_at: Option<Ms>,
    /// Its latest provisional response or CANCEL (0 before either).
    heard_at: Ms,
    final_at: Option<Ms>,
    /// The code of its final response.
    final_code: u16,
    cancel_at: Option<Ms>,
}

impl Branch {
    /// Pending at `at`: no final response, a provisional received (see
    /// the module docs: a branch never heard from may have been given up
    /// on, or answer on another interface), and a provisional or its
    /// CANCEL within the last 64·T1.
    fn pending(&self, at: Ms, t1: Ms) -> bool {
        self.opened < at
            && self.final_at.is_none()
            && self.provisional_at.is_some()
            && at < self.heard_at.saturating_add(t1.saturating_mul(64))
    }
}

/// A 3xx received on a branch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Redirect {
    at: Ms,
    code: u16,
    to_tag: u64,
    contacts: [u64; MAX_CONTACTS],
    n: u8,
    /// More contacts than kept.
    overflow: bool,
}

impl Redirect {
    fn contacts(&self) -> &[u64] {
        &self.contacts[..self.n as usize]
    }
}

/// A request a proxy forwarded and the branches it opened for it (a
/// fixed-size record).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Context {
    last: Duration,
    /// The capture time of its first branch: the context's times are
    /// kept as [`Ms`] after it.
    base: Duration,
    /// The proxy's address: where its branches were sent from.
    proxy: Option<IpAddr>,
    invite: bool,
    /// The request received had a sip or sips Request-URI (`None`: not
    /// seen, or forgotten: then a 416 is reported as skipped, "request not
    /// seen").
    sip_in: Option<bool>,
    /// The UAC cancelled it.
    cancelled_upstream: bool,
    /// The request the proxy received was seen before its first branch,
    /// and no context had been evicted by then (see `BranchAfter6xx`).
    start_seen: bool,
    branches: [Branch; MAX_BRANCHES],
    n: u8,
    /// More branches than kept (a check that needs to know that a branch
    /// was not opened stays silent).
    overflow: bool,
    /// When the first 6xx was received.
    six_at: Option<Ms>,
    redirects: Recent<Redirect, 2>,
    /// When a 416 came to a branch whose sip/sips URI the proxy had turned
    /// into another scheme, and that branch's number.
    got_416_at: Option<Ms>,
    number_416: u32,
    /// 199s received: To tag hash, when, and whether a 199 of that dialog
    /// went upstream (before or after).
    held_199: Recent<(u64, Ms, bool), 4>,
    /// To tag hashes of the 199s sent upstream.
    sent_199: Recent<u64, 4>,
    /// A 199 list or the early dialogs overwrote an entry: which 199s came
    /// and went is no longer known, so the 199 checks stay silent.
    lost_199: bool,
    /// Early dialogs: the To tag hash of a provisional received, and the
    /// branch (index) it came on.
    early: Recent<(u64, u8), 4>,
}

impl Context {
    /// `at` as milliseconds after the first branch (saturating: a context
    /// lasts minutes, not the 49 days a `u32` holds).
    fn ms(&self, at: Duration) -> Ms {
        Ms::try_from(at.saturating_sub(self.base).as_millis()).unwrap_or(Ms::MAX)
    }

    /// Whether `addr` is this context's proxy (see [`same_proxy`]).
    fn is_proxy(&self, proxies: &[IpAddr], addr: IpAddr) -> bool {
        self.proxy.is_some_and(|p| same_proxy(proxies, p, addr))
    }

    fn branches(&self) -> &[Branch] {
        &self.branches[..self.n as usize]
    }

    fn branch_mut(&mut self, key: u64) -> Option<&mut Branch> {
        self.branches[..self.n as usize]
            .iter_mut()
            .find(|b| b.key == key)
    }
}

impl Expiring for Context {
    fn expires_at(&self, config: &TxnConfig) -> Duration {
        // An INVITE branch may ring for minutes (Timer C).
        let ringing = self.invite && self.branches().iter().any(|b| b.final_at.is_none());
        let keep = if ringing {
            config.longest_wait()
        } else {
            config.expiry
        };
        self.last.saturating_add(keep)
    }
}

/// A context already judged: its record is gone (the proxy's final
/// response upstream ends what a context is kept for), this mark stays so
/// that what follows (retransmissions, CANCELs, late answers) opens no new
/// one.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Judged {
    last: Duration,
}

impl Expiring for Judged {
    fn expires_at(&self, config: &TxnConfig) -> Duration {
        self.last.saturating_add(config.longest_wait())
    }
}

/// Which context a branch belongs to (found by the branch's Via alone: a
/// CANCEL carries no other). Its `last` is the branch's last message
/// (request, response or CANCEL), as a context's is its latest, so that
/// it lasts while its context does.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct BranchOf {
    last: Duration,
    context: u128,
}

impl Expiring for BranchOf {
    fn expires_at(&self, config: &TxnConfig) -> Duration {
        self.last.saturating_add(config.longest_wait())
    }
}

/// The Request-URI schemes of recent requests, by transaction identity:
/// a direct-mapped table (a newer request takes an older one's slot), so
/// that it never grows. A slot holds the identity's hash with its low bit
/// set to "sip or sips"; 0 is empty.
#[derive(Debug)]
pub(super) struct Schemes(Box<[u64]>);

impl Schemes {
    pub(super) fn new() -> Self {
        Schemes(vec![0; SCHEME_SLOTS].into_boxed_slice())
    }

    /// The slot: the hash's top bits (a [`via_key`] is a 64-bit hash).
    fn slot(key: u128) -> usize {
        ((key as u64) >> 52) as usize % SCHEME_SLOTS
    }

    /// What tells a slot's key: the hash, its low bit left for the scheme
    /// and the next one set so that it is never 0.
    fn tag(key: u128) -> u64 {
        (key as u64 & !1) | 2
    }

    fn put(&mut self, key: u128, sip: bool) {
        self.0[Self::slot(key)] = Self::tag(key) | u64::from(sip);
    }

    fn get(&self, key: u128) -> Option<bool> {
        let v = self.0[Self::slot(key)];
        (v != 0 && v & !1 == Self::tag(key)).then_some(v & 1 == 1)
    }
}

/// A Via's transaction identity within its call: Call-ID, CSeq number,
/// branch and sent-by (RFC 3261 §17.2.3 without the method, which a
/// CANCEL does not share with its INVITE). One 64-bit hash (in the low
/// half: the tables take 128-bit keys) is plenty for tables of at most
/// [`TxnConfig::max_transactions`] entries, and costs half of two.
fn via_key(call_id: &[u8], cseq: u32, via: &ViaLax<'_>) -> u128 {
    let mut h = hasher(20);
    call_id.hash(&mut h);
    cseq.hash(&mut h);
    via.branch().hash(&mut h);
    if let Some(sb) = via.sent_by() {
        hash_lowercase(sb.host().as_bytes(), &mut h);
        sb.port().hash(&mut h);
    }
    u128::from(h.finish())
}

/// The target a URI names, as far as recursion goes: scheme, user, host
/// and port of a SIP URI (its parameters and headers aside: a proxy
/// recursing on a contact drops the headers, which a Request-URI cannot
/// carry, §19.1.5, and may adjust parameters), the part before any
/// parameter otherwise; and whether it is sip or sips.
fn uri_key(bytes: &[u8]) -> (u64, bool) {
    let mut h = hasher(22);
    let sip = match Uri::parse(bytes, 0) {
        Ok(u) if u.is_sip() || u.is_sips() => {
            hash_lowercase(u.scheme().as_bytes(), &mut h);
            u.user().hash(&mut h);
            if let Some(host) = u.host() {
                hash_lowercase(host.as_bytes(), &mut h);
            }
            u.port().hash(&mut h);
            true
        }
        _ => {
            let end = bytes
                .iter()
                .position(|b| matches!(b, b';' | b'?'))
                .unwrap_or(bytes.len());
            hash_lowercase(&bytes[..end], &mut h);
            false
        }
    };
    (h.finish().max(1), sip)
}

/// The telephone number a URI targets, as a 32-bit hash (0: none): a tel
/// URI's number, a sip or sips URI's user part (RFC 3261 §19.1.6: the SIP
/// form of a tel URI puts the number there), each up to its first
/// parameter and without visual separators (RFC 3966 §5.1.1), so that a
/// proxy's retry of a tel URI as SIP (§16.7 step 4) is told from another
/// target.
fn number_key(uri: &[u8]) -> u32 {
    let number = match uri.iter().position(|b| *b == b':') {
        Some(i) if uri[..i].eq_ignore_ascii_case(b"tel") => &uri[i + 1..],
        Some(_) if sip_scheme(uri) => match Uri::parse(uri, 0).ok().and_then(|u| u.user()) {
            Some(user) => user,
            None => return 0,
        },
        _ => return 0,
    };
    let end = number
        .iter()
        .position(|b| *b == b';')
        .unwrap_or(number.len());
    let mut h = hasher(23);
    let mut any = false;
    for b in &number[..end] {
        if !matches!(b, b'-' | b'.' | b'(' | b')') {
            h.write_u8(b.to_ascii_lowercase());
            any = true;
        }
    }
    if !any {
        return 0;
    }
    (h.finish() as u32).max(1)
}

/// Whether a URI's scheme is sip or sips (ASCII case-insensitive), read
/// without parsing the rest: every request's is remembered.
fn sip_scheme(uri: &[u8]) -> bool {
    let scheme = uri.split(|b| *b == b':').next().unwrap_or_default();
    scheme.eq_ignore_ascii_case(b"sip") || scheme.eq_ignore_ascii_case(b"sips")
}

impl Head<'_> {
    /// The transaction identity of `via` in this call (`None` without a
    /// Call-ID).
    fn key(&self, via: &ViaLax<'_>) -> Option<u128> {
        Some(via_key(self.call_id?, self.cseq.number(), via))
    }
}

impl TxnTracker {
    /// A request: remembers its Request-URI scheme, and when it was sent
    /// with a second Via, records it as a branch of that Via's context (a
    /// CANCEL: marks the branch or the context cancelled).
    pub(super) fn branch_request(&mut self, head: &Head<'_>, req: &Request<'_>, seen: &Sighting) {
        let Some(key) = head.key(&head.top) else {
            return;
        };
        let now = self.now;
        let cap = self.config.max_transactions;
        if head.method == b"CANCEL" {
            // The proxy cancelling a branch, and (the same message, when
            // proxies are chained) the UAC side cancelling a context.
            let proxies = &self.proxies;
            let of = self.branch_of.open.get_mut(&key).map(|b| {
                b.last = b.last.max(seen.at);
                b.context
            });
            if let Some(ctx) = of.and_then(|c| self.contexts.open.get_mut(&c)) {
                if ctx.is_proxy(proxies, seen.src.ip()) {
                    let at = ctx.ms(seen.at);
                    if let Some(b) = ctx.branch_mut(small(key)) {
                        b.cancel_at = b.cancel_at.or(Some(at));
                        b.heard_at = b.heard_at.max(at);
                    }
                }
            }
            if let Some(ctx) = self.contexts.open.get_mut(&key) {
                if ctx.is_proxy(proxies, seen.dst.ip()) {
                    ctx.cancelled_upstream = true;
                }
            }
            return;
        }
        self.schemes.put(key, sip_scheme(req.uri()));
        // A stateless proxy keeps no response context (RFC 3261 §16.11):
        // nothing of §16.7 is asked of it, so none is opened.
        if self.sent_by_stateless(seen) {
            return;
        }
        let Some(ctx_key) = head.next.as_ref().and_then(|next| head.key(next)) else {
            return;
        };
        if let Some(judged) = self.judged.open.get_mut(&ctx_key) {
            judged.last = judged.last.max(seen.at);
            return;
        }
        let (uri, sip) = uri_key(req.uri());
        let sip_in = self.schemes.get(ctx_key);
        let start_seen = sip_in.is_some() && self.contexts.evicted == 0;
        let ctx = self.contexts.entry(ctx_key, now, cap);
        let proxy = *ctx.proxy.get_or_insert_with(|| {
            ctx.base = seen.at;
            ctx.start_seen = start_seen;
            seen.src.ip()
        });
        if !same_proxy(&self.proxies, proxy, seen.src.ip()) {
            return;
        }
        ctx.last = ctx.last.max(seen.at);
        ctx.invite = head.method == b"INVITE";
        ctx.sip_in = ctx.sip_in.or(sip_in);
        if ctx.branch_mut(small(key)).is_some() {
            // A retransmission: the branch is still heard of.
            if let Some(of) = self.branch_of.open.get_mut(&key) {
                of.last = of.last.max(seen.at);
            }
            return;
        }
        if ctx.n as usize == MAX_BRANCHES {
            ctx.overflow = true;
            return;
        }
        ctx.branches[ctx.n as usize] = Branch {
            key: small(key),
            opened: ctx.ms(seen.at),
            uri,
            sip,
            number: number_key(req.uri()),
            maybe_resent: seen.transport == Transport::Udp && !ctx.start_seen,
            ..Branch::default()
        };
        ctx.n += 1;
        let of = self.branch_of.entry(key, now, cap);
        of.context = ctx_key;
        of.last = of.last.max(seen.at);
    }

    /// A response: received on a branch, it updates the branch; sent
    /// upstream by the proxy, its first final has the context judged.
    /// `forwarded`: it is a copy of one the proxy received.
    pub(super) fn branch_response<S: FindingSink + ?Sized>(
        &mut self,
        head: &Head<'_>,
        resp: &Response<'_>,
        seen: &Sighting,
        forwarded: bool,
        obs: &mut Observation,
        out: &mut Emitter<'_, S>,
    ) {
        if self.contexts.open.is_empty() || head.method == b"CANCEL" {
            return;
        }
        let Some(key) = head.key(&head.top) else {
            return;
        };
        let code = resp.status().as_u16();
        // Provisionals (early dialogs) and the 3xx–6xx are told apart by To
        // tag here.
        let to_tag = if (101..200).contains(&code) || code >= 300 {
            to_tag_hash(
                resp.headers()
                    .typed_lax_all::<ToHeader<'_>>()
                    .next()
                    .as_ref(),
            )
        } else {
            0
        };
        let t1 = Ms::try_from(self.config.t1.as_millis()).unwrap_or(Ms::MAX);
        let proxies = &self.proxies;
        // Sent upstream by the proxy (and, when proxies are chained, the
        // same message is received on a branch of the next one up).
        if let Some(ctx) = self.contexts.open.get_mut(&key) {
            if ctx.is_proxy(proxies, seen.src.ip()) {
                ctx.last = ctx.last.max(seen.at);
                if code == 199 && !ctx.sent_199.contains(&to_tag) {
                    ctx.lost_199 |= ctx.sent_199.is_full();
                    ctx.sent_199.push(to_tag);
                    for held in ctx.held_199.items.iter_mut() {
                        held.2 |= held.0 == to_tag;
                    }
                    if generated_199(ctx, to_tag) {
                        check_own_199(resp, out);
                    }
                }
                if code >= 200 {
                    judge(ctx, resp, to_tag, ctx.ms(seen.at), t1, forwarded, |v| {
                        v.emit(out, Some(resp.code_span()))
                    });
                    self.contexts.remove(key);
                    let now = self.now;
                    let judged = self.judged.entry(key, now, self.config.max_transactions);
                    judged.last = judged.last.max(seen.at);
                }
            }
        }
        // Received on a branch (which keeps it known as long as its
        // context: an INVITE branch may ring for minutes, Timer C being
        // reset by its provisionals, §16.7 step 2).
        let Some(ctx_key) = self.branch_of.open.get_mut(&key).map(|b| {
            b.last = b.last.max(seen.at);
            b.context
        }) else {
            return;
        };
        let Some(ctx) = self.contexts.open.get_mut(&ctx_key) else {
            return;
        };
        if !ctx.is_proxy(proxies, seen.dst.ip()) {
            return;
        }
        ctx.last = ctx.last.max(seen.at);
        let sip_in = ctx.sip_in;
        let at = ctx.ms(seen.at);
        let Some(branch) = ctx.branch_mut(small(key)) else {
            return;
        };
        if code < 200 {
            branch.provisional_at = branch.provisional_at.or(Some(at));
            branch.heard_at = branch.heard_at.max(at);
            let index = ctx.branches().iter().position(|b| b.key == small(key));
            if let Some(i) = index.filter(|_| to_tag != 0) {
                if !ctx.early.iter().any(|(t, _)| *t == to_tag) {
                    ctx.lost_199 |= ctx.early.is_full();
                    ctx.early.push((to_tag, i as u8));
                }
            }
            if code == 199 && !ctx.held_199.iter().any(|(t, _, _)| *t == to_tag) {
                ctx.lost_199 |= ctx.held_199.is_full();
                let sent = ctx.sent_199.contains(&to_tag);
                ctx.held_199.push((to_tag, at, sent));
            }
            return;
        }
        if branch.final_at.is_some() {
            return;
        }
        branch.final_at = Some(at);
        branch.final_code = code;
        let non_sip = !branch.sip;
        let number = branch.number;
        if code >= 600 {
            ctx.six_at = ctx.six_at.or(Some(at));
        } else if code == 416 && non_sip {
            match sip_in {
                Some(true) if ctx.got_416_at.is_none() => {
                    ctx.got_416_at = Some(at);
                    ctx.number_416 = number;
                }
                Some(true) => {}
                Some(false) => {}
                // Whether the proxy changed the scheme is not known.
                None => obs.skip(R_416_PROXY_RECURSE),
            }
        } else if (300..400).contains(&code) {
            let mut r = Redirect {
                at,
                code,
                to_tag,
                ..Redirect::default()
            };
            for c in resp.headers().typed_lax_all::<Contact<'_>>() {
                let Some(uri) = c.uri() else { continue };
                if r.n as usize == MAX_CONTACTS {
                    r.overflow = true;
                    break;
                }
                r.contacts[r.n as usize] = uri_key(uri.as_bytes()).0;
                r.n += 1;
            }
            ctx.redirects.push(r);
        }
    }
}

/// Whether a 199 the proxy sends for the early dialog `to_tag` is its
/// own (RFC 6228 §6: a forking proxy makes one when a branch with an early
/// dialog gets a non-2xx final): that dialog's branch is in the capture,
/// ended with a 3xx–6xx, and no 199 for it came on it (its UAS, or a proxy
/// below, would have sent it there).
fn generated_199(ctx: &Context, to_tag: u64) -> bool {
    to_tag != 0
        && !ctx.lost_199
        && !ctx.held_199.iter().any(|(t, _, _)| *t == to_tag)
        && ctx.early.iter().any(|(t, i)| {
            *t == to_tag
                && ctx
                    .branches()
                    .get(*i as usize)
                    .is_some_and(|b| b.final_at.is_some() && b.final_code >= 300)
        })
}

/// `199-proxy-no-contact-rr` on a 199 the proxy made: it has no Contact
/// or Record-Route (RFC 6228 §6).
fn check_own_199<S: FindingSink + ?Sized>(resp: &Response<'_>, out: &mut Emitter<'_, S>) {
    let h = resp.headers();
    let row = h
        .get(KnownHeader::Contact)
        .or_else(|| h.get(KnownHeader::RecordRoute));
    if let Some(row) = row {
        Verdict::Own199ContactOrRecordRoute.emit(out, Some(row.span()));
    }
}

/// A key as kept per branch (a [`via_key`] fits in 64 bits).
fn small(key: u128) -> u64 {
    key as u64
}

/// The verdicts on the proxy's first final response upstream, `resp` (its
/// To tag hashed as `to_tag`), sent at `at` (see the module docs), each
/// given to `verdict` once.
fn judge(
    ctx: &Context,
    resp: &Response<'_>,
    to_tag: u64,
    at: Ms,
    t1: Ms,
    forwarded: bool,
    mut verdict: impl FnMut(Verdict),
) {
    let code = resp.status().as_u16();
    let pending = || ctx.branches().iter().any(|b| b.pending(at, t1));
    if let Some(six) = ctx.six_at {
        // A branch first seen after the 6xx was opened then, unless it
        // may be a retransmission of a copy the capture missed.
        if ctx
            .branches()
            .iter()
            .any(|b| b.opened >= six.saturating_add(t1) && !b.maybe_resent)
        {
            verdict(Verdict::BranchAfter6xx);
        }
        let uncancelled = ctx.invite
            && ctx.branches().iter().any(|b| {
                let was_pending = b.opened < six && b.final_at.is_none_or(|f| f > six);
                let end = b.final_at.unwrap_or(at).min(at);
                let cancellable = b.provisional_at.map(|p| p.max(six));
                was_pending
                    && cancellable.is_some_and(|from| end >= from.saturating_add(t1))
                    && b.cancel_at.is_none_or(|c| c > end)
            });
        if uncancelled {
            verdict(Verdict::PendingNotCancelled);
        }
        if code >= 600 && pending() {
            verdict(Verdict::SixxBeforeBranchesEnded);
        }
    } else if (300..600).contains(&code) && forwarded && !ctx.cancelled_upstream && pending() {
        verdict(Verdict::FinalWhileBranchPending);
    }
    if (300..400).contains(&code) {
        // A recursion on a contact: a branch to it after the 3xx, and none
        // before (then it was a target already, e.g. of a serial fork).
        let recursed = |uri: u64| {
            ctx.redirects.iter().any(|r| {
                let mut to_it = ctx.branches().iter().filter(|b| b.uri == uri);
                r.contacts().contains(&uri)
                    && to_it.clone().any(|b| b.opened >= r.at)
                    && !to_it.any(|b| b.opened < r.at)
            })
        };
        let mut sent = resp
            .headers()
            .typed_lax_all::<Contact<'_>>()
            .filter_map(|c| c.uri())
            .map(|u| uri_key(u.as_bytes()).0)
            .peekable();
        let contactless = sent.peek().is_none();
        if sent.any(recursed) {
            verdict(Verdict::RecursedContactListed);
        } else if contactless {
            let all_recursed = ctx.redirects.iter().any(|r| {
                r.code == code
                    && r.to_tag == to_tag
                    && r.n > 0
                    && !r.overflow
                    && r.contacts().iter().all(|c| recursed(*c))
            });
            if all_recursed {
                verdict(Verdict::ContactlessRedirect);
            }
        }
    }
    if let Some(t416) = ctx.got_416_at {
        // A SIP branch after the 416 may be the retry; it is one when it
        // targets the same number (§16.7 step 4), and not otherwise only
        // when the numbers can be read (another may be a serial fork).
        let sip_after = |b: &&Branch| b.sip && b.opened >= t416;
        let retried = ctx
            .branches()
            .iter()
            .filter(sip_after)
            .any(|b| ctx.number_416 != 0 && b.number == ctx.number_416);
        let maybe_retried = ctx.branches().iter().any(|b| sip_after(&b));
        // No retry was due: the UAC cancelled (§16.10), a 6xx ended the
        // forking (§16.7 step 5), or a 2xx answered the call anyway.
        let retry_due = !ctx.cancelled_upstream && ctx.six_at.is_none() && code >= 300;
        if retried {
            if code == 416 {
                verdict(Verdict::Forwarded416AfterRetry);
            }
        } else if !maybe_retried && retry_due && !ctx.overflow {
            // (A retry may be among the branches not kept.)
            verdict(Verdict::No416Retry);
        }
    }
    if ctx.invite
        && ctx
            .held_199
            .iter()
            .any(|(_, t, sent)| !sent && t.saturating_add(t1) <= at)
        && !ctx.lost_199
    {
        verdict(Verdict::Dropped199);
    }
}
