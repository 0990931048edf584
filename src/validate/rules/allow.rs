//! Allow (RFC 3261 §20.5): a list of methods; the 405 that must carry it.

use crate::header::KnownHeader;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::header::typed::Allow;

use super::Facts;

/// `allow-syntax` — RFC 3261 §25.1: `Allow = "Allow" HCOLON [Method
/// *(COMMA Method)]`, `Method` being a token. An empty Allow is legal.
/// Span: the offending entry (the row when the entry is empty).
pub(super) fn allow_syntax<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for h in f.rows(KnownHeader::Allow) {
        for e in h.elements() {
            if e.parse::<Allow<'_>>().is_err() {
                let span = if e.bytes.is_empty() { h.span() } else { e.span };
                out.emit(
                    r::ALLOW_SYNTAX,
                    Some(span),
                    Detail::new("Allow entry is not a method token"),
                );
            }
        }
    }
}

/// `405-allow-required` — RFC 3261 §8.2.1, §21.4.6: the 405 MUST include
/// an Allow header listing the valid methods. An empty Allow counts (it is
/// legal). Span: the status line.
pub(super) fn allow_required_405<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 405 {
        super::presence::require_header(f, out, r::R_405_ALLOW_REQUIRED, KnownHeader::Allow);
    }
}
