//! Call-ID (RFC 3261 §20.8): `callid = word [ "@" word ]`.

use crate::header::KnownHeader;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::header::typed::{CallId, TypedHeader};

use super::single::comma_joined;
use super::{value_or_row, Facts};

/// `call-id-empty-or-ws` — RFC 3261 §25.1: `callid = word [ "@" word ]`, so
/// Call-ID is never empty and holds no white space or control character.
/// `call-id-chars` — the same production: at most one `@`, and only `word`
/// characters around it (lowered to warning: base64 `=` is common).
/// Read by the typed [`CallId`] (liberal parse, then the strict `word`
/// check). Span: the value (the row when it is empty).
pub(super) fn call_id<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let Some(h) = f.first(KnownHeader::CallId) else {
        return;
    };
    let (v, base) = (h.value(), h.value_span().start);
    if comma_joined(KnownHeader::CallId, v, base) {
        return;
    }
    match CallId::parse(v, base) {
        // The typed parse also refuses bytes that are not UTF-8; those are
        // outside `word`, so `call-id-chars`, not white space.
        Err(e)
            if v.get(e.offset() - base)
                .is_some_and(|b| *b > 0x20 && *b != 0x7f) =>
        {
            out.emit(
                r::CALL_ID_CHARS,
                Some(h.value_span()),
                Detail::new("Call-ID is not word [\"@\" word]"),
            )
        }
        Err(_) => out.emit(
            r::CALL_ID_EMPTY_OR_WS,
            Some(value_or_row(&h)),
            Detail::new("Call-ID is empty or holds white space"),
        ),
        Ok(c) if !c.is_strict_word() => out.emit(
            r::CALL_ID_CHARS,
            Some(h.value_span()),
            Detail::new("Call-ID is not word [\"@\" word]"),
        ),
        Ok(_) => {}
    }
}
