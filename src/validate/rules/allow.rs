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
        // The common row, method tokens and commas: every entry parses.
        if crate::lex::is_token_list(h.value()) {
            continue;
        }
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

#[cfg(test)]
mod tests {
    use crate::header::typed::{Allow, Require, Supported, Unsupported};
    use crate::header::KnownHeader;
    use proptest::prelude::*;

    proptest! {
        /// `is_token_list`, the one-pass answer `allow_syntax` takes for a
        /// row, is exactly "the row has entries and every entry parses as
        /// a typed Allow token" (the per-entry walk it replaces).
        #[test]
        fn token_list_is_every_entry_parsing(
            parts in proptest::collection::vec(
                prop::sample::select(vec![
                    "INVITE", "ACK", "x", "-", ".", ",", " ", "\t", "\r\n ", "\"", "<", ">",
                    "(", ")", "@", ";", "=", "\u{e9}",
                ]),
                0..12,
            )
        ) {
            let v = parts.concat();
            let msg = format!("SIP/2.0 200 OK\r\nAllow: {v}\r\nContent-Length: 0\r\n\r\n");
            let Ok(r) = crate::parse_response(msg.as_bytes()) else {
                return Ok(());
            };
            let Some(h) = r.headers().get(KnownHeader::Allow) else {
                return Ok(());
            };
            let walk = h.elements().next().is_some()
                && h.elements().all(|e| !e.bytes.is_empty() && e.parse::<Allow<'_>>().is_ok());
            prop_assert_eq!(crate::lex::is_token_list(h.value()), walk, "{:?}", v);
            // Supported, Require and Unsupported entries are the same
            // token (`option_tag_syntax` takes the same answer).
            let tags = h.elements().all(|e| {
                e.parse::<Supported<'_>>().is_ok() == e.parse::<Allow<'_>>().is_ok()
                    && e.parse::<Require<'_>>().is_ok() == e.parse::<Allow<'_>>().is_ok()
                    && e.parse::<Unsupported<'_>>().is_ok() == e.parse::<Allow<'_>>().is_ok()
            });
            prop_assert!(tags, "{:?}", v);
        }
    }
}
