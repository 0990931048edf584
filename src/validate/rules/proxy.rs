//! Spec section 7: a proxy about to forward the response (Context role
//! [`Role::Proxy`](crate::validate::Role::Proxy)).

use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink, Role};

use super::Facts;

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.ctx.role() != Role::Proxy {
        return;
    }
    not_forwarded_100(f, out);
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
