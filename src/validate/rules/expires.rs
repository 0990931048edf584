//! Expires and Min-Expires (RFC 3261 §20.19, §20.23): delta-seconds and their bounds.

use crate::header::KnownHeader;
use crate::validate::finding::{Detail, DetailArg, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::header::typed::{Expires, MinExpires, TypedHeader};

use super::single::comma_joined;
use super::{value_or_row, Facts};

/// `expires-syntax` — RFC 3261 §25.1: `Expires` and `Min-Expires` are
/// `delta-seconds = 1*DIGIT` (error). §20.19, §20.23 and §10.2 bound the
/// value by 2^32−1 (receivers may clamp larger ones): a larger value is the
/// spec's warning case. Span: the value (the row when empty).
pub(super) fn expires_syntax<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for k in [KnownHeader::Expires, KnownHeader::MinExpires] {
        for h in f.rows(k) {
            let (v, base) = (h.value(), h.value_span().start);
            if comma_joined(k, v, base) {
                continue;
            }
            let parsed = if k == KnownHeader::Expires {
                Expires::parse(v, base).map(|e| e.delta())
            } else {
                MinExpires::parse(v, base).map(|e| e.delta())
            };
            match parsed {
                Err(_) => out.emit(
                    r::EXPIRES_SYNTAX,
                    Some(value_or_row(&h)),
                    Detail::with("not delta-seconds", DetailArg::Header(k)),
                ),
                Ok(d) if d.exceeds_u32() => out.emit_at(
                    r::EXPIRES_SYNTAX,
                    Severity::Warning,
                    Some(h.value_span()),
                    Detail::with("larger than 2^32-1", DetailArg::Header(k)),
                ),
                Ok(_) => {}
            }
        }
    }
}
