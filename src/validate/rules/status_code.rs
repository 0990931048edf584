//! The status code itself, where a rule has nothing to check but the code:
//! codes that are reserved or not recommended, and codes whose meaning is
//! only worth a note (info). The codes tied to a method are `method.rs`'s;
//! the start line's syntax and registry are `common.rs`'s.

use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// `402-reserved` — RFC 3261 §21.4.3: 402 is reserved for future use
/// (info). Span: the status line.
pub(super) fn reserved_402<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 402 {
        out.emit(
            r::R_402_RESERVED,
            Some(f.status_line),
            Detail::new("402 is reserved"),
        );
    }
}

/// `421-not-recommended` — RFC 3261 §8.2.4: use of 421 is NOT RECOMMENDED
/// (info). Span: the status line.
pub(super) fn not_recommended_421<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 421 {
        out.emit(
            r::R_421_NOT_RECOMMENDED,
            Some(f.status_line),
            Detail::new("421 is not recommended"),
        );
    }
}

/// `identity-4xx-info` — RFC 8224 §6.2: 428, 436, 437 and 438 report an
/// identity verification failure (a note, info). Span: the status line.
pub(super) fn identity_4xx<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if matches!(f.code, 428 | 436 | 437 | 438) {
        out.emit(
            r::IDENTITY_4XX_INFO,
            Some(f.status_line),
            Detail::with(
                "identity verification failure",
                DetailArg::Number(f.code.into()),
            ),
        );
    }
}

/// `429-info` — RFC 3892 §5: a 429 asks for a valid referrer identity (a
/// note, info). Span: the status line.
pub(super) fn referrer_429<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code == 429 {
        out.emit(
            r::R_429_INFO,
            Some(f.status_line),
            Detail::new("referrer identity requested"),
        );
    }
}
