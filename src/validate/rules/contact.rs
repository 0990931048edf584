//! Contact parameters (RFC 3261 §20.10): `expires` and `q`.

use crate::header::KnownHeader;
use crate::validate::finding::Detail;
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::{delta, Facts};

/// Contact value rules, per value:
///
/// * `contact-star` — RFC 3261 §10.2.2, §20.10: `*` exists only for
///   REGISTER requests with Expires 0; in a response it satisfies nothing
///   (warning). Span: the value.
/// * `contact-q-invalid` — §25.1: `q` must be a qvalue. Span: the parameter.
/// * `contact-expires-param-invalid` — §8.3, §10.2: `expires` must be
///   delta-seconds (receivers SHOULD treat a bad one as 3600). Span: the
///   parameter.
/// * `contact-params-outside-register-3xx` — §20.10: `q` and `expires` have
///   a meaning only in REGISTER responses and 3xx (info). Silent when the
///   method is unknown.
pub(super) fn contact<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let meaningful = (300..400).contains(&f.code) || f.method.is_none() || f.method_is("REGISTER");
    let values = f.elements(KnownHeader::Contact).count();
    for e in f.elements(KnownHeader::Contact) {
        let Ok(c) = f.sheet.contact(e.bytes, e.span.start) else {
            // `contact-syntax` (or the q / expires rule) reports it.
            continue;
        };
        if c.is_star() && values > 1 {
            // STAR stands alone: `contact-syntax` reports it.
            continue;
        }
        if c.is_star() {
            out.emit(
                r::CONTACT_STAR,
                Some(e.span),
                Detail::new("wildcard Contact in a response"),
            );
            continue;
        }
        for p in c.params().iter() {
            let is_q = p.is("q");
            let is_expires = p.is("expires");
            if !is_q && !is_expires {
                continue;
            }
            if !meaningful {
                out.emit(
                    r::CONTACT_PARAMS_OUTSIDE_REGISTER_3XX,
                    Some(p.span()),
                    Detail::new("q/expires have no meaning here"),
                );
            }
        }
        if let Some(Err(_)) = c.q() {
            out.emit(
                r::CONTACT_Q_INVALID,
                c.q_raw().map(|p| p.span()),
                Detail::new("q is not a qvalue"),
            );
        }
        if let Some(p) = c.expires_raw() {
            if p.value().and_then(delta).is_none() {
                out.emit(
                    r::CONTACT_EXPIRES_PARAM_INVALID,
                    Some(p.span()),
                    Detail::new("expires is not delta-seconds"),
                );
            }
        }
    }
}
