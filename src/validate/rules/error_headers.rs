//! The headers that explain a failure: Geolocation-Error in a 424 (RFC
//! 6442), AlertMsg-Error in a 425 (RFC 8876), Permission-Missing in a 470
//! (RFC 5360).

use crate::header::KnownHeader;
use crate::lex;
use crate::message::Request;
use crate::span::Span;
use crate::validate::catalogue::Rule;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::{body_has_type, Facts};

/// `424-geolocation-error` — RFC 6442 §4.3: the 424 MUST carry a
/// Geolocation-Error header with exactly one value (see [`exactly_one`]).
pub(super) fn geolocation_error_424<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 424 {
        exactly_one(
            f,
            out,
            r::R_424_GEOLOCATION_ERROR,
            KnownHeader::GeolocationError,
        );
    }
}

/// `424-geolocation-error` (request part) — RFC 6442 §4.3: a 424 MUST NOT
/// answer a request that carried no Geolocation. Span: the status line.
/// Called by [`super::request`] when the Context holds the request.
pub(super) fn geolocation_vs_request_424<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 424 && !req.headers().contains(KnownHeader::Geolocation) {
        out.emit(
            r::R_424_GEOLOCATION_ERROR,
            Some(f.status_line),
            Detail::new("424 to a request without Geolocation"),
        );
    }
}

/// `425-alertmsg-error` — RFC 8876 §5.2: the 425 MUST carry an
/// AlertMsg-Error header with exactly one value (see [`exactly_one`]).
pub(super) fn alertmsg_error_425<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 425 {
        exactly_one(f, out, r::R_425_ALERTMSG_ERROR, KnownHeader::AlertMsgError);
    }
}

/// The media type of a CAP alert (OASIS CAP 1.2), as RFC 8876 carries it
/// in SIP (and registers it in its IANA considerations), lower case for
/// [`body_has_type`]. A multipart body with a CAP part counts.
const CAP: &[u8] = b"application/common-alerting-protocol+xml";

/// `425-alertmsg-error` (request part) — RFC 8876 §5.1: a 425 answers a
/// request whose alert (CAP) payload could not be processed, so a request
/// without one is reported. Span: the status line. Called by
/// [`super::request`] when the Context holds the request.
pub(super) fn alertmsg_vs_request_425<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 425 && body_has_type(req.headers(), req.body(), CAP) == Some(false) {
        out.emit(
            r::R_425_ALERTMSG_ERROR,
            Some(f.status_line),
            Detail::new("425 to a request without a CAP payload"),
        );
    }
}

/// `470-permission-missing` — RFC 5360 §5.9.2: the 470 SHOULD carry
/// Permission-Missing. Span: the status line.
pub(super) fn permission_missing_470<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 470 && !f.has(KnownHeader::PermissionMissing) {
        out.emit(
            r::R_470_PERMISSION_MISSING,
            Some(f.status_line),
            Detail::new("470 without Permission-Missing"),
        );
    }
}

/// `rule` (`424-geolocation-error`, `425-alertmsg-error`: RFC 6442 §4.3,
/// RFC 8876 §5.2, the header MUST be present with exactly one value) when
/// header `k` is missing (span: the status line) or holds more
/// than one value (span: the extra row, or the comma-joined row).
fn exactly_one<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
    rule: Rule,
    k: KnownHeader,
) {
    if !f.has(k) {
        out.emit(
            rule,
            Some(f.status_line),
            Detail::with("required header missing", DetailArg::Header(k)),
        );
    } else if let Some(span) = several_values(f, k) {
        out.emit(
            rule,
            Some(span),
            Detail::with("more than one value", DetailArg::Header(k)),
        );
    }
}

/// True when the single-value header `k` has more than one value (rows or
/// comma-joined).
fn several_values(f: &Facts<'_, '_>, k: KnownHeader) -> Option<Span> {
    let mut rows = f.rows(k);
    let first = rows.next()?;
    if let Some(second) = rows.next() {
        return Some(second.span());
    }
    lex::ListSplit::new(first.value())
        .nth(1)
        .map(|_| first.span())
}
