//! RSeq (RFC 3262 §7.1): the reliable-provisional sequence number.

use crate::header::KnownHeader;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use crate::header::typed::{RSeq, TypedHeader};

use super::single::comma_joined;
use super::{value_or_row, Facts};

/// `rseq-range` — RFC 3262 §7.1: `RSeq = "RSeq" HCOLON response-num`,
/// `response-num = 1*DIGIT`, and §3: the value is between 1 and 2^32−1.
/// (The "first reliable response at most 2^31−1" half needs the
/// transaction.) Span: the value.
pub(super) fn rseq_range<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    for h in f.rows(KnownHeader::RSeq) {
        let (v, base) = (h.value(), h.value_span().start);
        if RSeq::parse(v, base).is_err() && !comma_joined(KnownHeader::RSeq, v, base) {
            out.emit(
                r::RSEQ_RANGE,
                Some(value_or_row(&h)),
                Detail::new("RSeq is not 1..2^32-1"),
            );
        }
    }
}
