//! `single-value-header-repeated` (spec section 3; RFC 3261 §7.3, §7.3.1,
//! §25.1), and the test the syntax rules share to stay silent about a
//! comma-joined row.
//!
//! A row of a single-value header is "comma-joined" only when, split at
//! the commas outside quoted strings, comments and `<...>`, it has several
//! parts and every part on its own is a valid value of that header, as the
//! header's typed parser reads it. A value that fails its grammar for any
//! other reason (`Expires: Thu, 25 Mar 2004 15:49:29 GMT`, an RFC 2543
//! date) is one malformed value, which its syntax rule reports.

use crate::grammar::Cursor;
use crate::header::param::scan_params;
use crate::header::typed::number::{Expires, MinExpires, MinSe, RSeq};
use crate::header::typed::{
    CSeq, CallId, ContentLength, ContentType, FromHeader, MaxForwards, NameAddr, RetryAfter,
    SessionExpires, Timestamp, ToHeader, TypedHeader,
};
use crate::header::{KnownHeader, ListKind};
use crate::lex;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::Facts;

/// Single-value headers whose grammar itself contains commas (a date, free
/// text, comments), so a comma there is never a second value (RFC 3261
/// §25.1 `rfc1123-date`, `TEXT-UTF8`, `comment`).
const COMMA_IN_GRAMMAR: [KnownHeader; 5] = [
    KnownHeader::Date,
    KnownHeader::Subject,
    KnownHeader::Organization,
    KnownHeader::Server,
    KnownHeader::UserAgent,
];

/// True when `part` is, on its own, a valid value of single-value header
/// `k`: its typed parser accepts it. Headers with no typed parser here
/// (Content-Disposition, MIME-Version, Priority, SIP-ETag, Flow-Timer,
/// Geolocation-Error, AlertMsg-Error) are all `token *(SEMI
/// generic-param)` in shape, or narrower, and are read so.
/// The single-value headers ([`ListKind::Single`]), in table order, and
/// how many there are: the headers [`check`] looks at, found once at
/// compile time rather than by the list kind of every known header.
const SINGLE: ([KnownHeader; KnownHeader::COUNT], usize) = {
    let mut out = [KnownHeader::Via; KnownHeader::COUNT];
    let (mut i, mut n) = (0, 0);
    while i < KnownHeader::COUNT {
        let k = KnownHeader::ALL[i];
        if matches!(k.list_kind(), ListKind::Single) {
            out[n] = k;
            n += 1;
        }
        i += 1;
    }
    (out, n)
};

fn valid_value(k: KnownHeader, part: &[u8], base: usize) -> bool {
    use KnownHeader as H;
    match k {
        H::CallId => CallId::parse(part, base).is_ok(),
        H::ContentLength => ContentLength::parse(part, base).is_ok(),
        H::ContentType => ContentType::parse(part, base).is_ok(),
        H::CSeq => CSeq::parse(part, base).is_ok(),
        H::Expires => Expires::parse(part, base).is_ok(),
        H::MinExpires => MinExpires::parse(part, base).is_ok(),
        H::MaxForwards => MaxForwards::parse(part, base).is_ok(),
        H::RetryAfter => RetryAfter::parse(part, base).is_ok(),
        H::From => FromHeader::parse(part, base).is_ok(),
        H::To => ToHeader::parse(part, base).is_ok(),
        H::ReplyTo => NameAddr::parse(part, base).is_ok(),
        H::RSeq => RSeq::parse(part, base).is_ok(),
        H::SessionExpires => SessionExpires::parse(part, base).is_ok(),
        H::MinSe => MinSe::parse(part, base).is_ok(),
        H::Timestamp => Timestamp::parse(part, base).is_ok(),
        _ => token_params(part, base),
    }
}

/// `token *(SEMI generic-param)`, built from the typed layer's scanners.
fn token_params(v: &[u8], base: usize) -> bool {
    let mut cur = Cursor::new(v, base);
    if cur.expect_token().is_err() || scan_params(&mut cur).is_err() {
        return false;
    }
    cur.skip_lws();
    cur.at_end()
}

/// True when a row of single-value header `k` holds several comma-joined
/// values, each valid on its own (see the module documentation). Always
/// false for the headers whose grammar has commas of its own. `base` is
/// the absolute offset of `v`.
pub(crate) fn comma_joined(k: KnownHeader, v: &[u8], base: usize) -> bool {
    // Most rows hold no comma at all: one vectorised search decides them.
    if COMMA_IN_GRAMMAR.contains(&k) || lex::find_byte(b',', v).is_none() {
        return false;
    }
    let split = lex::ListSplit::new(v);
    if split.clone().nth(1).is_none() {
        // One part: nothing is joined (and nothing needs parsing here).
        return false;
    }
    let mut parts = 0;
    for (a, b) in split {
        if !valid_value(k, &v[a..b], base + a) {
            return false;
        }
        parts += 1;
    }
    parts > 1
}

/// True when another rule already reports a second value of `k` in this
/// response (spec: `content-length-multiple`, `2xx-publish-expires-etag`,
/// `424-geolocation-error`, `425-alertmsg-error`).
fn deferred(f: &Facts<'_, '_>, k: KnownHeader) -> bool {
    match k {
        KnownHeader::ContentLength => true,
        KnownHeader::SipETag => (200..300).contains(&f.code) && f.method_is("PUBLISH"),
        KnownHeader::GeolocationError => f.code == 424,
        KnownHeader::AlertMsgError => f.code == 425,
        _ => false,
    }
}

/// `single-value-header-repeated` — RFC 3261 §7.3.1: several rows of one
/// header are allowed if and only if its grammar is a comma-separated list;
/// the single-value headers ([`ListKind::Single`]) may not repeat, nor hold
/// comma-joined values (RFC 4475 §3.3.8; see [`comma_joined`]). The
/// header's own syntax rule stays silent about a comma-joined row. Span:
/// each extra row, or the row holding several values.
pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let rule = r::SINGLE_VALUE_HEADER_REPEATED;
    if !out.wants(rule) {
        return;
    }
    let headers = f.resp.headers();
    for &k in &SINGLE.0[..SINGLE.1] {
        if !headers.contains(k) || deferred(f, k) {
            continue;
        }
        for (i, h) in f.rows(k).enumerate() {
            if i > 0 {
                out.emit(
                    rule,
                    Some(h.span()),
                    Detail::with("single-value header repeated", DetailArg::Header(k)),
                );
            } else if comma_joined(k, h.value(), h.value_span().start) {
                out.emit(
                    rule,
                    Some(h.span()),
                    Detail::with(
                        "comma-joined values in a single-value header",
                        DetailArg::Header(k),
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_joined_means_every_part_is_valid() {
        use KnownHeader as H;
        for (k, v, want) in [
            (H::Expires, &b"60, 3600"[..], true),
            (H::Expires, b"Thu, 25 Mar 2004 15:49:29 GMT", false),
            (H::Expires, b"60", false),
            (H::CSeq, b"1 INVITE, 2 INVITE", true),
            (H::From, b"<sip:a@b>, <sip:c@d>", true),
            (H::From, b"\"a, b\" <sip:a@b>", false),
            (H::RetryAfter, b"Fri, 31 Dec 1999 23:59:59 GMT", false),
            (H::RetryAfter, b"5, 10", true),
            (H::Date, b"Sun, 08 Oct 2017 03:28:54 GMT", false),
            (H::CallId, b"a@b, c@d", true),
            (H::Priority, b"urgent, normal", true),
            (H::RetryAfter, b"120 (back soon, really)", false),
            (H::To, b"\"Doe, John\" <sip:j@x>;tag=1", false),
        ] {
            assert_eq!(
                comma_joined(k, v, 0),
                want,
                "{k:?} {:?}",
                String::from_utf8_lossy(v)
            );
        }
    }
}
