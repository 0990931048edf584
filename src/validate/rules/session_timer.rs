//! Session-Expires and Min-SE (RFC 4028): the session timer a 2xx to
//! INVITE or UPDATE sets, and the 422 that asks for a longer one. (Their
//! syntax rule, `session-expires-syntax`, is `syntax.rs`'s; the rule that
//! compares with the request is `request.rs`'s.)

use crate::header::typed::{MinSe, Refresher, TypedHeader};
use crate::header::KnownHeader;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::single::comma_joined;
use super::syntax::session_expires as read_session_expires;
use super::Facts;

/// True for a 2xx to INVITE or UPDATE: where the session timer lives (RFC
/// 4028 §4).
fn invite_or_update_2xx(f: &Facts<'_, '_>) -> bool {
    (200..300).contains(&f.code) && (f.method_is("INVITE") || f.method_is("UPDATE"))
}

/// `422-min-se-required` — RFC 4028 §6: the 422 MUST contain a Min-SE
/// header. Span: the status line.
pub(super) fn min_se_required_422<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 422 {
        super::presence::require_header(f, out, r::R_422_MIN_SE_REQUIRED, KnownHeader::MinSe);
    }
}

/// `min-se-value` — RFC 4028 §5: in a 422, Min-SE is delta-seconds and
/// MUST NOT be below 90 (a comma-joined row is
/// `single-value-header-repeated`'s). Span: the value.
pub(super) fn min_se_value<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code != 422 {
        return;
    }
    for h in f.rows(KnownHeader::MinSe) {
        let (v, base) = (h.value(), h.value_span().start);
        let ok = MinSe::parse(v, base).is_ok_and(|m| m.value() >= 90);
        if !ok && !comma_joined(KnownHeader::MinSe, v, base) {
            out.emit(
                r::MIN_SE_VALUE,
                Some(h.value_span()),
                Detail::new("Min-SE is not delta-seconds of at least 90"),
            );
        }
    }
}

/// Session timer rules on a 2xx to INVITE or UPDATE carrying
/// Session-Expires (`x`):
///
/// * `2xx-session-expires-refresher` — RFC 4028 §9: the UAS MUST set the
///   `refresher` parameter (`uac` or `uas`) in the 2xx. Span: the value.
/// * `2xx-session-expires-min` — RFC 4028 §4 (the interval MUST NOT be
///   below 90 seconds) and §9. The bounds from the request need `req`.
///   Span: the value.
pub(super) fn session_expires_2xx<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if !invite_or_update_2xx(f) {
        return;
    }
    let Some(h) = f.first(KnownHeader::SessionExpires) else {
        return;
    };
    // A value that does not parse is `session-expires-syntax`'s.
    let Some(se) = read_session_expires(h.value(), h.value_span().start) else {
        return;
    };
    if se.refresher().is_none() {
        out.emit(
            r::R_2XX_SESSION_EXPIRES_REFRESHER,
            Some(h.value_span()),
            Detail::new("Session-Expires in 2xx without refresher=uac/uas"),
        );
    }
    if se.value() < 90 {
        out.emit(
            r::R_2XX_SESSION_EXPIRES_MIN,
            Some(h.value_span()),
            Detail::with("Session-Expires below 90", DetailArg::Number(se.value())),
        );
    }
}

/// `2xx-refresher-uac-require-timer` — RFC 4028 §9: with `refresher=uac`
/// in the 2xx the UAS MUST add `timer` to Require (and a proxy inserting
/// it must too, §8.2). Only for 2xx to INVITE or UPDATE (§4: the session
/// timer lives in those; elsewhere the header is
/// `session-expires-placement` alone), and silent about a Session-Expires
/// that does not parse, or a Require with an entry that is not an option
/// tag (`option-tag-syntax`'s: `ti<NUL>mer` may be the `timer` asked for;
/// [`Facts::lacks_token`](super::Facts::lacks_token)).
/// Span: the Session-Expires value.
pub(super) fn refresher_uac_require_timer<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if !invite_or_update_2xx(f) {
        return;
    }
    let Some(h) = f.first(KnownHeader::SessionExpires) else {
        return;
    };
    let uac = read_session_expires(h.value(), h.value_span().start)
        .is_some_and(|se| se.refresher() == Some(Refresher::Uac));
    if uac && f.lacks_token(KnownHeader::Require, b"timer") {
        out.emit(
            r::R_2XX_REFRESHER_UAC_REQUIRE_TIMER,
            Some(h.value_span()),
            Detail::new("refresher=uac without Require: timer"),
        );
    }
}
