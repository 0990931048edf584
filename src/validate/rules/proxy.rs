//! Spec section 7: a proxy about to forward the response (Context role
//! [`Role::Proxy`](crate::validate::Role::Proxy)).

use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink, Role};

use super::via::parse_via;
use super::Facts;
use crate::header::typed::host::is_ipv4_broadcast;
use crate::header::KnownHeader;

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.ctx.role() != Role::Proxy {
        return;
    }
    not_forwarded_100(f, out);
    broadcast_via(f, out);
}

/// `proxy-broadcast-via` — RFC 4475 §3.3.10 (`bcast`): when the Via left
/// after the proxy removes its own names a broadcast address, forwarding
/// would flood it; the proxy should drop the response. Checked on the
/// second Via value (the one the proxy would send to) for the limited
/// broadcast address 255.255.255.255, in its host or `received`; a
/// directed broadcast needs the subnet, which is not known here.
/// Span: that Via value.
fn broadcast_via<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let Some(next) = f.resp.headers().elements(KnownHeader::Via).nth(1) else {
        return;
    };
    let Ok(via) = parse_via(next.bytes, next.span.start) else {
        return;
    };
    let received = via.params.get("received").and_then(|p| p.value());
    if is_ipv4_broadcast(via.host) || received.is_some_and(is_ipv4_broadcast) {
        out.emit(
            r::PROXY_BROADCAST_VIA,
            Some(next.span),
            Detail::new("next Via is a broadcast address"),
        );
    }
}

/// `100-not-forwarded` — RFC 3261 §16.7 step 5: a stateful proxy MUST NOT
/// forward a 100 (Trying) response; it is hop-by-hop (§21.1.1). Reported
/// whenever a proxy validates a 100 it is about to forward. Span: the
/// status line.
fn not_forwarded_100<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 100 {
        out.emit(
            r::R_100_NOT_FORWARDED,
            Some(f.status_line),
            Detail::new("a 100 is never forwarded upstream"),
        );
    }
}
