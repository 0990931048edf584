//! Spec section 8 (the UAC consuming the response) and the sent-by check
//! shared with proxies.

use crate::header::KnownHeader;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink, Role};

use super::Facts;

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    match f.ctx.role() {
        Role::Uac => {
            via_count(f, out);
            at_endpoint_430(f, out);
            via_top_not_ours(f, out);
        }
        Role::Proxy => via_top_not_ours(f, out),
        Role::Observer => {}
    }
}

/// `via-count-at-uac` — RFC 3261 §8.1.3.3: if more than one Via value is
/// present in a response reaching the UAC, it SHOULD discard the message.
/// Only values that read cleanly count: a Via broken into pieces by a
/// stray comma (`SIP/2.0/UDP,192.0.2.10`) is one corrupted value, which
/// the Via syntax rules report. Span: the second Via value.
fn via_count<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.elements(KnownHeader::Via).nth(1).is_none() {
        return;
    }
    let second = f
        .elements(KnownHeader::Via)
        .filter(|e| f.sheet.via_lax(e.bytes, e.span.start).defects().is_empty())
        .nth(1);
    if let Some(second) = second {
        out.emit(
            r::VIA_COUNT_AT_UAC,
            Some(second.span),
            Detail::new("more than one Via at the UAC"),
        );
    }
}

/// `430-at-endpoint` — RFC 5626 §11.5: 430 (Flow Failed) is meant for an
/// edge proxy; a UA should never receive it and treats it as 400 (info).
fn at_endpoint_430<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 430 {
        out.emit(
            r::R_430_AT_ENDPOINT,
            Some(f.status_line),
            Detail::new("430 reached a user agent"),
        );
    }
}

/// `via-top-not-ours` — RFC 3261 §18.1.2: the client transport MUST
/// silently discard a response whose top Via sent-by does not match the
/// value it inserted in its requests; §16.11 says the same for a stateless
/// proxy. Needs the Context's own sent-by values (silent without them).
/// Hosts and ports compare through [`SentBy::matches`](crate::validate::SentBy::matches)
/// (addresses as addresses, names case-insensitively, a missing port being
/// [`SentBy::default_port`](crate::validate::SentBy::default_port) of the
/// Via transport), exactly as the forwarder judges them. A top Via value
/// that does not parse (RFC 3261 §20.42, `via-parm`) cannot be shown to be
/// ours either: it is reported too, as the forwarder refuses it with this
/// rule (and `proxy-stray-response`). Span: the top Via value.
fn via_top_not_ours<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.ctx.own_sent_by().is_empty() {
        return;
    }
    let Some(tv) = f.top_via() else {
        return;
    };
    let text = if !tv.parsed {
        "top Via does not parse, so it is not shown to be ours"
    } else if !tv.ours {
        "top Via sent-by is not one of ours"
    } else {
        return;
    };
    out.emit(r::VIA_TOP_NOT_OURS, Some(tv.top.span), Detail::new(text));
}
