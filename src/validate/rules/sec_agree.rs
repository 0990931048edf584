//! Security agreement (RFC 3329): the Security-Server header and the
//! `sec-agree` option tag a 421 or 494 carries. (`security-server-syntax`
//! is `syntax.rs`'s, its placement `presence.rs`'s.)

use crate::header::KnownHeader;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// `494-security-server` — RFC 3329 §2.3.1: the 494 MUST carry a
/// Security-Server header, even with no common mechanism; a row with no
/// mechanism counts as absent. Span: the status line.
pub(super) fn security_server_494<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 494 {
        super::presence::require_header(
            f,
            out,
            r::R_494_SECURITY_SERVER,
            KnownHeader::SecurityServer,
        );
    }
}

/// `sec-agree-policy-require` — RFC 3329 §2.3.2: a 421 or 494 sent because
/// of security-agreement policy MUST carry Security-Server and list
/// `sec-agree` in Require. A 494 is always such a response (§2.3.1); a 421
/// is one when its Require lists `sec-agree`. Without the request nothing
/// more is known. For 494 a missing Security-Server is left to
/// `494-security-server`. Span: the status line.
pub(super) fn policy_require<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if f.code != 421 && f.code != 494 {
        return;
    }
    let sec_agree = f.has_token(KnownHeader::Require, b"sec-agree");
    if f.code == 494 && !sec_agree {
        out.emit(
            r::SEC_AGREE_POLICY_REQUIRE,
            Some(f.status_line),
            Detail::new("494 without Require: sec-agree"),
        );
    } else if f.code == 421 && sec_agree && !f.has_value(KnownHeader::SecurityServer) {
        out.emit(
            r::SEC_AGREE_POLICY_REQUIRE,
            Some(f.status_line),
            Detail::new("sec-agree 421 without Security-Server"),
        );
    }
}
