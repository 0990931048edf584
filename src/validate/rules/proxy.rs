//! Spec section 7: a proxy about to forward the response (Context role
//! [`Role::Proxy`](crate::validate::Role::Proxy)).
//!
//! These rules are forwarding verdicts ([`Finding::is_verdict`](crate::validate::Finding::is_verdict)):
//! the [`Report`](crate::validate::Report) keeps them apart from the
//! response's defects. Each calls the very function
//! [`forward_upstream`](crate::forward_upstream) decides by, so the
//! validator and the forwarder cannot disagree.

use crate::forward::{is_broadcast, trying_verdict, Refusal, TopVia};
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink, Role};

use super::Facts;

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.ctx.role() != Role::Proxy {
        return;
    }
    not_forwarded_100(f, out);
    broadcast_via(f, out);
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
    let Some((next, _)) = TopVia::find(f.resp.headers()).and_then(TopVia::next_value) else {
        return;
    };
    if is_broadcast(&next) {
        out.emit(
            r::PROXY_BROADCAST_VIA,
            Some(next.span),
            Detail::new(Refusal::BroadcastNextVia.detail_text()),
        );
    }
}

/// `100-not-forwarded` — RFC 3261 §16.7 step 5: a stateful proxy MUST NOT
/// forward a 100 (Trying) response; it is hop-by-hop (§21.1.1). A verdict,
/// not a defect: receiving a 100 is normal, the proxy absorbs it. Span: the
/// status line.
fn not_forwarded_100<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
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
/// (`validate/txn.rs`) matched a 100 a proxy sent upstream with one it
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
