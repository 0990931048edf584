//! Spec section 7: a proxy about to forward the response (Context role
//! [`Role::Proxy`](crate::validate::Role::Proxy)).
//!
//! These rules are forwarding verdicts ([`Finding::is_verdict`](crate::validate::Finding::is_verdict)):
//! the [`Report`](crate::validate::Report) keeps them apart from the
//! response's defects. Each calls the very function
//! [`forward_upstream`](crate::forward_upstream) decides by, so the
//! validator and the forwarder cannot disagree.

use crate::forward::{is_broadcast_via, trying_verdict, Refusal};
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink, Role};

use super::Facts;

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.ctx.role() != Role::Proxy {
        return;
    }
    not_forwarded_100(f, out);
    top_via(f, out);
    broadcast_via(f, out);
}

/// The forwarder's decisions on the top Via
/// ([`forward_upstream`](crate::forward_upstream) steps 3 and 4), made on
/// the Via rules' strict reading of it through the same `via_is_ours`
/// ([`Facts::top_via`], judged once for every role verdict), so the
/// validator and the forwarder cannot disagree. Needs the Context's own
/// sent-by values. A 100 that the stateful proxy absorbs gets neither
/// verdict, as the forwarder refuses it before looking at its Via.
///
/// * `proxy-stray-response` — RFC 3261 §16.11, RFC 6026 §8.2: a top Via
///   that is not this proxy's (or does not parse) marks a response that
///   belongs to no transaction of it; drop it. Reported beside
///   `via-top-not-ours` (`uac.rs`), as the forwarder reports both.
/// * `proxy-remove-top-via` — RFC 3261 §16.7 step 3: when this proxy's Via
///   is the only one, the response was meant for the proxy itself (a
///   request it sent on its own: an OPTIONS keep-alive, its own CANCEL)
///   and MUST NOT be forwarded.
///
/// Span: the top Via value.
fn top_via<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.ctx.own_sent_by().is_empty()
        || (!f.ctx.is_stateless_proxy() && trying_verdict(f.resp).is_some())
    {
        return;
    }
    let Some(tv) = f.top_via() else {
        return; // no Via at all: `via-required`
    };
    if !tv.ours {
        out.emit(
            r::PROXY_STRAY_RESPONSE,
            Some(tv.top.span),
            Detail::new(Refusal::NotOurs.detail_text()),
        );
    } else if tv.next.is_none() {
        out.emit(
            r::PROXY_REMOVE_TOP_VIA,
            Some(tv.top.span),
            Detail::new(Refusal::MeantForUs.detail_text()),
        );
    }
}

/// `proxy-broadcast-via` — RFC 4475 §3.3.10 (`bcast`): when the Via left
/// after the proxy removes its own names a broadcast address, forwarding
/// would flood it; the proxy should drop the response. Checked on the Via
/// value after the top one (the one the proxy would send to, empty elements
/// skipped) for the limited broadcast address 255.255.255.255, in its host
/// or `received`; a directed broadcast needs the subnet, which is not known
/// here. Span: that Via value.
fn broadcast_via<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !out.wants(r::PROXY_BROADCAST_VIA) {
        return;
    }
    let Some(next) = f.top_via().and_then(|tv| tv.next) else {
        return;
    };
    // The verdict of `forward_upstream`, on the value's one strict
    // reading (the Via rules, which run first, made it).
    let broadcast = f
        .sheet
        .via(next.bytes, next.span.start)
        .is_ok_and(|via| is_broadcast_via(&via));
    if broadcast {
        out.emit(
            r::PROXY_BROADCAST_VIA,
            Some(next.span),
            Detail::new(Refusal::BroadcastNextVia.detail_text()),
        );
    }
}

/// `100-not-forwarded` — RFC 3261 §16.7 step 5: a stateful proxy MUST NOT
/// forward a 100 (Trying) response; it is hop-by-hop (§21.1.1). A verdict,
/// not a defect: receiving a 100 is normal, the proxy absorbs it. A
/// stateless proxy forwards it (§16.11: §16.7 does not apply), so the
/// verdict is not reached there. Span: the status line.
fn not_forwarded_100<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.ctx.is_stateless_proxy() {
        return;
    }
    if let Some(span) = trying_verdict(f.resp) {
        out.emit(
            r::R_100_NOT_FORWARDED,
            Some(span),
            Detail::new(Refusal::Trying.detail_text()),
        );
    }
}

/// `100-not-forwarded`, as the transaction tracker names it (its rule
/// list): the rule is emitted from this file only.
pub(crate) const R_100_NOT_FORWARDED: crate::validate::catalogue::Rule = r::R_100_NOT_FORWARDED;

/// `100-not-forwarded` seen in a capture: the transaction tracker
/// (`validate/txn/`) matched a 100 a proxy sent upstream with one it
/// received. The same rule as [`not_forwarded_100`]'s verdict, judged
/// after the fact. Span: the forwarded copy's status code, as the tracker
/// gives it.
pub(crate) fn forwarded_100_seen<S: FindingSink + ?Sized>(
    out: &mut Emitter<'_, S>,
    span: Option<crate::span::Span>,
) {
    out.emit(
        r::R_100_NOT_FORWARDED,
        span,
        Detail::new("this 100 is the copy of one the proxy received: a proxy absorbs a 100"),
    );
}

/// What a proxy did, judged after the fact from a capture: the verdicts
/// the transaction tracker (`validate/txn/`) reaches by matching the
/// requests and responses a proxy received with the ones it sent (RFC 3261
/// §16.7, RFC 4320 §4.2, RFC 6228 §6). Each rule is emitted from here only;
/// the tracker says which verdict it reached, and where.
pub(crate) mod observed {
    use crate::span::Span;
    use crate::validate::catalogue::Rule;
    use crate::validate::finding::{Detail, Severity};
    use crate::validate::table::r;
    use crate::validate::{Emitter, FindingSink};

    /// The rules of these verdicts, for the tracker's rule list.
    pub(crate) const RULES: [Rule; 7] = [
        r::PROXY_FORWARD_TIMING,
        r::PROXY_LATE_NON_INVITE,
        r::PROXY_6XX_HANDLING,
        r::PROXY_3XX_RECURSION,
        r::R_416_PROXY_RECURSE,
        r::PROXY_199_FORWARD,
        r::R_199_PROXY_NO_CONTACT_RR,
    ];

    /// `416-proxy-recurse`, as the tracker names it when the request the
    /// proxy received was not seen (its rule list of skippable rules).
    pub(crate) const R_416_PROXY_RECURSE: Rule = r::R_416_PROXY_RECURSE;

    /// One verdict on a response a proxy sent upstream.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub(crate) enum Verdict {
        /// `proxy-forward-timing`: a final forwarded after the server
        /// transaction's final (only a 2xx to INVITE may follow).
        FinalAfterFinal,
        /// `proxy-forward-timing`: a provisional forwarded after the final.
        ProvisionalAfterFinal,
        /// `proxy-forward-timing`: a 3xx–5xx received forwarded at once
        /// while a branch the proxy opened was still pending.
        FinalWhileBranchPending,
        /// `proxy-late-non-invite`: a response to a non-INVITE forwarded
        /// when the server transaction had terminated (Timer J ran out:
        /// at once on a reliable transport, 64·T1 on UDP).
        LateNonInvite,
        /// `proxy-6xx-handling` (MUST NOT): a branch opened after a 6xx.
        BranchAfter6xx,
        /// `proxy-6xx-handling` (SHOULD): a branch pending when the 6xx
        /// came was not cancelled.
        PendingNotCancelled,
        /// `proxy-6xx-handling`: the 6xx forwarded while a branch was still
        /// pending (it is not forwarded at once, step 5; the final goes
        /// when every client transaction has ended, step 6).
        SixxBeforeBranchesEnded,
        /// `proxy-3xx-recursion` (MUST): the 3xx sent still lists a contact
        /// the proxy recursed on.
        RecursedContactListed,
        /// `proxy-3xx-recursion` (SHOULD NOT): the proxy recursed on every
        /// contact of a 3xx and still sent it, contactless.
        ContactlessRedirect,
        /// `416-proxy-recurse`: a 416 to a Request-URI the proxy had turned
        /// from sip/sips into another scheme, and no retry with a SIP URI.
        No416Retry,
        /// `416-proxy-recurse`: the proxy retried with a SIP URI but still
        /// sent the 416.
        Forwarded416AfterRetry,
        /// `proxy-199-forward`: a 199 received was neither forwarded nor
        /// matched by a 199 of the proxy's own for its dialog.
        Dropped199,
        /// `199-proxy-no-contact-rr`: a 199 the proxy made itself has a
        /// Contact or Record-Route.
        Own199ContactOrRecordRoute,
    }

    impl Verdict {
        fn parts(self) -> (Rule, Severity, &'static str) {
            use Verdict::*;
            match self {
                FinalAfterFinal => (r::PROXY_FORWARD_TIMING, Severity::Error, "the proxy forwarded a final response after its transaction's final one (only 2xx to INVITE may follow)"),
                ProvisionalAfterFinal => (r::PROXY_FORWARD_TIMING, Severity::Error, "the proxy forwarded a provisional response after its transaction's final one"),
                FinalWhileBranchPending => (r::PROXY_FORWARD_TIMING, Severity::Error, "the proxy forwarded a 3xx-5xx at once while a branch it opened was still pending (it belongs in the response context)"),
                LateNonInvite => (r::PROXY_LATE_NON_INVITE, Severity::Error, "the proxy forwarded a response to a non-INVITE after its server transaction had terminated"),
                BranchAfter6xx => (r::PROXY_6XX_HANDLING, Severity::Error, "the proxy opened a new branch after a 6xx was received on another"),
                PendingNotCancelled => (r::PROXY_6XX_HANDLING, Severity::Warning, "a branch pending when the 6xx was received (with a provisional, so cancellable) got no CANCEL"),
                SixxBeforeBranchesEnded => (r::PROXY_6XX_HANDLING, Severity::Warning, "the proxy sent the 6xx while a branch it opened was still pending (a 6xx is not forwarded at once)"),
                RecursedContactListed => (r::PROXY_3XX_RECURSION, Severity::Error, "the 3xx sent still lists a contact the proxy recursed on (it must be removed)"),
                ContactlessRedirect => (r::PROXY_3XX_RECURSION, Severity::Warning, "the proxy recursed on every contact of a 3xx and still sent the contactless 3xx"),
                No416Retry => (r::R_416_PROXY_RECURSE, Severity::Info, "a 416 to a Request-URI the proxy had turned from sip/sips into another scheme, and no retry with a SIP URI"),
                Forwarded416AfterRetry => (r::R_416_PROXY_RECURSE, Severity::Info, "the proxy retried the 416 with a SIP URI but still sent the 416"),
                Own199ContactOrRecordRoute => (r::R_199_PROXY_NO_CONTACT_RR, Severity::Warning, "the proxy's own 199 (its branch's early dialog ended with a non-2xx, and no 199 came on it) has a Contact or Record-Route"),
                Dropped199 => (r::PROXY_199_FORWARD, Severity::Error, "a 199 the proxy received before its final response was not forwarded (nor one of its own sent for that dialog)"),
            }
        }

        /// Reports this verdict on the response at `span`.
        pub(crate) fn emit<S: FindingSink + ?Sized>(
            self,
            out: &mut Emitter<'_, S>,
            span: Option<Span>,
        ) {
            let (rule, severity, text) = self.parts();
            out.emit_at(rule, severity, span, Detail::new(text));
        }
    }
}
