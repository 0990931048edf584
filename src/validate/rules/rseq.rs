//! RSeq and Require: 100rel (RFC 3262): the reliable-provisional sequence number, and which provisional responses are (or must not be) sent reliably.

use crate::header::KnownHeader;
use crate::validate::finding::{Detail, Severity};
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

/// `rseq-range`, as the transaction tracker names it (the rule it skips
/// when the request was not seen): the rule is emitted from this file only.
pub(crate) const RSEQ_RANGE: crate::validate::catalogue::Rule = r::RSEQ_RANGE;

/// `rseq-range`, transaction half — RFC 3262 §3: the first reliable
/// provisional of a transaction carries an RSeq of at most 2^31−1. The
/// transaction tracker (`validate/txn/`) knows which one is first and
/// calls this. Span: the response's RSeq, as the tracker gives it.
pub(crate) fn first_rseq_range<S: FindingSink + ?Sized>(
    out: &mut Emitter<'_, S>,
    span: Option<crate::span::Span>,
    rseq: &RSeq,
) {
    if rseq.exceeds_i32() {
        out.emit(
            r::RSEQ_RANGE,
            span,
            Detail::new(
                "the first reliable provisional of the transaction has an RSeq above 2^31-1",
            ),
        );
    }
}

/// `1xx-100rel-consistency` — RFC 3262 §3: a reliable provisional response
/// MUST carry Require: 100rel and MUST include RSeq, so Require 100rel
/// without RSeq is an error. RSeq without Require 100rel makes the
/// response unreliable and its RSeq meaningless (§7.1), but no sentence
/// forbids it: warning (the spec's split severity); silent when a Require
/// entry does not read (it may be the `100rel`: `option-tag-syntax`'s).
/// Span: the status line.
pub(super) fn rel_consistency<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if !(101..200).contains(&f.code) {
        return;
    }
    let rel = f.has_token(KnownHeader::Require, b"100rel");
    let rseq = f.has(KnownHeader::RSeq);
    if rel && !rseq {
        out.emit_at(
            r::R_1XX_100REL_CONSISTENCY,
            Severity::Error,
            Some(f.status_line),
            Detail::new("Require 100rel without RSeq"),
        );
    } else if rseq && f.lacks_token(KnownHeader::Require, b"100rel") {
        out.emit_at(
            r::R_1XX_100REL_CONSISTENCY,
            Severity::Warning,
            Some(f.status_line),
            Detail::new("RSeq without Require 100rel"),
        );
    }
}

/// `100-not-reliable` — RFC 3262 §3: the UAS MUST NOT attempt to send a
/// 100 (Trying) reliably; RSeq or Require 100rel in a 100 is that attempt.
/// Span: the status line.
pub(super) fn not_reliable_100<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 100 && (f.has(KnownHeader::RSeq) || f.has_token(KnownHeader::Require, b"100rel")) {
        out.emit(
            r::R_100_NOT_RELIABLE,
            Some(f.status_line),
            Detail::new("100 sent reliably"),
        );
    }
}
