//! Rules that compare the response with the request it answers (spec
//! context `req`). All are skipped when the Context holds no request.
//! A rule that also has a part checked on the response alone (`415-accept-
//! headers`, `424-geolocation-error`, `425-alertmsg-error`,
//! `439-register-only`, `2xx-dialog-contact`, `204-subscribe-in-dialog`)
//! keeps its request part in the file of its subject, beside the other
//! part; [`check`] calls it from here, so the order of findings stays the
//! same.

use crate::error::HeaderValueError;
use crate::header::typed::params_match;
use crate::header::typed::{
    AcceptEncoding, CSeq, CallId, ContentEncoding, Expires, MinExpires, NameAddr, Supported,
    Timestamp, TypedHeader, Uri, Via,
};
use crate::header::{Element, Headers, KnownHeader};
use crate::lex;
use crate::message::Request;
use crate::validate::finding::{Detail, DetailArg};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

use super::addr::sheet_to_tag;
use super::{addr_params, delta, headers_to_tag, Facts};

pub(super) fn check<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    let Some(req) = &f.req else {
        return;
    };
    copied_headers(f, out);
    timestamp_100(f, req, out);
    require_not_offered(f, req, out);
    recv_info(f, req, out);
    reliable_1xx_support(f, req, out);
    unreliable_1xx_required(f, req, out);
    supported_199(f, req, out);
    refresher_uas_timer(f, req, out);
    content_encoding(f, req, out);
    dialog_creating(f, req, out);
    match f.code {
        300..=399 => redirect_to_self(f, req, out),
        420 => unsupported_matches(f, req, out),
        423 => min_expires_vs_request(f, req, out),
        // The request parts of rules whose message part is checked with
        // their subject: they live there too.
        424 => super::error_headers::geolocation_vs_request_424(f, req, out),
        415 => super::capabilities::accept_415(f, req, out),
        425 => super::error_headers::alertmsg_vs_request_425(f, req, out),
        439 => super::method::outbound_439(f, req, out),
        607 if headers_to_tag(req.headers()) == Some(true) => out.emit(
            r::R_607_OUT_OF_DIALOG,
            Some(f.status_line),
            Detail::new("607 to an in-dialog request"),
        ),
        200..=299 if f.method_is("SUBSCRIBE") => subscribe_2xx(f, req, out),
        200..=299 if f.method_is("REGISTER") => {
            register_contact_missing(f, req, out);
            register_expires_longer(f, req, out);
        }
        _ => {}
    }
}

/// The value of an Expires row, read by the typed [`Expires`]; `None` when
/// there is none or it does not parse (`expires-syntax` reports the
/// response's; a request's is skipped, as without `req`).
fn expires(h: Option<crate::header::Header<'_>>) -> Option<u64> {
    let h = h?;
    Expires::parse(h.value(), h.value_span().start)
        .ok()
        .map(|e| e.value())
}

/// Compares two header values with every run of LWS (folds included) taken
/// as one SP, as RFC 3261 §7.3.1 reads them.
fn eq_lws(a: &[u8], b: &[u8]) -> bool {
    // The usual copy is the same bytes.
    if a == b {
        return true;
    }
    let mut x = a.split(|c| lex::is_lws(*c)).filter(|w| !w.is_empty());
    let mut y = b.split(|c| lex::is_lws(*c)).filter(|w| !w.is_empty());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q => {}
            _ => return false,
        }
    }
}

/// The URI of a `name-addr / addr-spec` value, as the typed [`NameAddr`]
/// reads it; `None` when the value does not parse (its syntax rule, or for
/// a request nobody, speaks for it, and the comparing rules stay silent).
fn addr_uri(v: &[u8]) -> Option<&[u8]> {
    NameAddr::parse(v, 0).ok().map(|n| n.uri().as_bytes())
}

/// True when the parameters of `a` and `b`, leaving out those `skip`
/// picks, are the same set: names case-insensitive, values exact, order
/// not significant (RFC 3261 §20.20 compares From "parameters", not their
/// order; parameter order carries no meaning anywhere in SIP). At most 64
/// parameters each (the typed parsers' cap), so the quadratic walk is
/// bounded.
fn same_params<'a>(
    a: impl Iterator<Item = crate::header::Param<'a>> + Clone,
    b: impl Iterator<Item = crate::header::Param<'a>> + Clone,
    skip: impl Fn(&crate::header::Param<'a>) -> bool,
) -> bool {
    // Each list read once into a small array (the lists are lazily parsed:
    // walking them inside the quadratic comparison re-reads them per
    // parameter); longer lists take the walks.
    type Pair<'a> = (&'a str, Option<&'a [u8]>);
    fn snapshot<'a>(
        it: impl Iterator<Item = crate::header::Param<'a>>,
        skip: &impl Fn(&crate::header::Param<'a>) -> bool,
        into: &mut [Pair<'a>; SNAPSHOT],
    ) -> Option<usize> {
        let mut n = 0;
        for p in it.filter(|p| !skip(p)) {
            *into.get_mut(n)? = (p.name(), p.value());
            n += 1;
        }
        Some(n)
    }
    let same = |p: &Pair<'a>, q: &Pair<'a>| q.0.eq_ignore_ascii_case(p.0) && q.1 == p.1;
    let (mut xa, mut xb) = ([("", None); SNAPSHOT], [("", None); SNAPSHOT]);
    if let (Some(na), Some(nb)) = (
        snapshot(a.clone(), &skip, &mut xa),
        snapshot(b.clone(), &skip, &mut xb),
    ) {
        let (xa, xb) = (&xa[..na], &xb[..nb]);
        return na == nb
            && xa.iter().all(|p| xb.iter().any(|q| same(p, q)))
            && xb.iter().all(|q| xa.iter().any(|p| same(p, q)));
    }
    let kept_a = a.filter(|p| !skip(p));
    let kept_b = b.filter(|p| !skip(p));
    let same = |p: &crate::header::Param<'a>, q: &crate::header::Param<'a>| {
        q.name().eq_ignore_ascii_case(p.name()) && q.value() == p.value()
    };
    kept_a.clone().count() == kept_b.clone().count()
        && kept_a.clone().all(|p| kept_b.clone().any(|q| same(&p, &q)))
        && kept_b.clone().all(|q| kept_a.clone().any(|p| same(&p, &q)))
}

/// Parameters [`same_params`] compares from arrays; more take the walks.
const SNAPSHOT: usize = 16;

/// The Via parameters the server transport adds to, or fills in on, the
/// top Via of a request it receives (RFC 3261 §18.2.1, RFC 3581 §4): a copy
/// of the top value is compared without them ([`same_via`],
/// [`plain_top_copy`]).
const ADDED_BY_SERVER: [&str; 2] = ["received", "rport"];

/// True when two Via values are the same copy: equal sent-protocol and
/// sent-by, and the same parameters, except, for the `top` value only,
/// `received` and `rport`, which the server transport adds to the top Via
/// of the request it receives (RFC 3261 §18.2.1, RFC 3581 §4) before the
/// UAS copies it, so a request captured on the way in lacks them. A lower
/// value gains nothing on the way (a proxy added them before it forwarded
/// the request, so the request on this hop has them). Read with the typed [`Via`];
/// a value that does not parse counts as the same (the Via syntax rules
/// report the response's, and a request's is skipped, as without `req`).
///
/// `b` is the response's value as the fact sheet read it.
fn same_via(
    a: Result<Via<'_>, HeaderValueError>,
    b: Result<Via<'_>, HeaderValueError>,
    top: bool,
) -> bool {
    let (Ok(x), Ok(y)) = (a, b) else {
        return true;
    };
    let added = |p: &crate::header::Param<'_>| top && ADDED_BY_SERVER.iter().any(|n| p.is(n));
    let (hx, hy) = (x.sent_by(), y.sent_by());
    x.protocol_name().eq_ignore_ascii_case(y.protocol_name())
        && x.protocol_version() == y.protocol_version()
        && x.transport().eq_ignore_ascii_case(y.transport())
        && hx
            .host()
            .as_bytes()
            .eq_ignore_ascii_case(hy.host().as_bytes())
        && hx.port() == hy.port()
        && same_params(x.params().iter(), y.params().iter(), added)
}

/// The usual copy of a top Via, told without reading either value: with
/// nothing quoted in them, the same bytes once the [`ADDED_BY_SERVER`]
/// parameters are left out of both. Parameters cannot hold an unquoted `;`, so splitting
/// at each one parts them as the grammar does. True only where
/// [`same_via`] is true; anything else (white space, another order, case)
/// is left to it.
fn plain_top_copy(a: &[u8], b: &[u8]) -> bool {
    // Sent-protocol and sent-by first: for another element's Via (a proxy
    // judging a response with its own Via on top) this is as far as it goes.
    let head = |v: &[u8]| memchr::memchr(b';', v).unwrap_or(v.len());
    let (ha, hb) = (head(a), head(b));
    if a[..ha] != b[..hb] || memchr::memchr(b'"', a).is_some() || memchr::memchr(b'"', b).is_some()
    {
        return false;
    }
    /// The parameters of `v` (each without its `;`; `v` starts at the
    /// first `;`), the [`ADDED_BY_SERVER`] ones left out.
    fn kept(v: &[u8]) -> impl Iterator<Item = &[u8]> {
        let mut rest = v.get(1..).unwrap_or_default();
        let mut done = v.is_empty();
        core::iter::from_fn(move || loop {
            if done {
                return None;
            }
            let end = memchr::memchr(b';', rest).unwrap_or_else(|| {
                done = true;
                rest.len()
            });
            let seg = &rest[..end];
            rest = rest.get(end + 1..).unwrap_or_default();
            let named = |n: &str| {
                seg.len() >= n.len()
                    && lex::eq_name(&seg[..n.len()], n.as_bytes())
                    && matches!(seg.get(n.len()), None | Some(b'='))
            };
            if !ADDED_BY_SERVER.iter().any(|n| named(n)) {
                return Some(seg);
            }
        })
    }
    kept(&a[ha..]).eq(kept(&b[hb..]))
}

/// True when two From (or To) values are equivalent (RFC 3261 §20.20,
/// §20.39): their URIs match (§19.1.4, [`Uri::matches`]) and their
/// parameters match, "extension parameters in one header field, not
/// present in the other" ignored. The `tag` is not an extension: a tag in
/// one and not the other, or another tag, is another value. The display
/// name and the angle brackets do not count. A value that does not parse
/// counts as the same: its syntax rule reports it.
///
/// `a` and `b` are the request's and the response's values as their fact
/// sheets read them.
///
/// [`Uri::matches`]: crate::header::typed::Uri::matches
fn same_addr(
    a: Result<NameAddr<'_>, HeaderValueError>,
    b: Result<NameAddr<'_>, HeaderValueError>,
) -> bool {
    same_addr_by(&a, &b, true, |x, y| x.matches(y))
}

/// True when the URIs of two address values match (RFC 3261 §19.1.4); a
/// value that does not parse counts as the same.
fn same_addr_uri(
    a: Result<NameAddr<'_>, HeaderValueError>,
    b: Result<NameAddr<'_>, HeaderValueError>,
) -> bool {
    same_addr_by(&a, &b, false, |x, y| x.matches(y))
}

/// [`same_addr`] (`with_params`) or [`same_addr_uri`], with the URIs
/// compared by `same_uri`.
fn same_addr_by(
    a: &Result<NameAddr<'_>, HeaderValueError>,
    b: &Result<NameAddr<'_>, HeaderValueError>,
    with_params: bool,
    same_uri: fn(&Uri<'_>, &Uri<'_>) -> bool,
) -> bool {
    let (Ok(x), Ok(y)) = (a, b) else {
        // `name-addr-syntax` reports the response's; a request value that
        // does not parse is skipped, as without `req`.
        return true;
    };
    fn pairs<'x>(n: &NameAddr<'x>) -> impl Iterator<Item = (&'x [u8], Option<&'x [u8]>)> + Clone {
        n.params().iter().map(|p| (p.name().as_bytes(), p.value()))
    }
    same_uri(&x.uri(), &y.uri())
        && (!with_params
            || params_match(
                pairs(x),
                pairs(y),
                |name| name.eq_ignore_ascii_case(b"tag"),
                |a, b| a == b,
            ))
}

/// What `copied-headers-mismatch` says of a From or To that differs: when
/// the two values would be the same but for URI parts that RFC 3261
/// §19.1.1 Table 1 does not allow in From and To (a port, `transport`,
/// `maddr`, `ttl`, `lr`, `method`, headers), it says so. The copy is
/// still broken (§8.2.6.2; §19.1.4 never matches a port with none), but a
/// UAS that strips them (PJSIP, and so Asterisk, drop the port of every
/// From and To it answers, citing the table) then reads as what it is,
/// and the request that carried them is the first thing to look at.
fn addr_detail(
    k: KnownHeader,
    a: Result<NameAddr<'_>, HeaderValueError>,
    b: Result<NameAddr<'_>, HeaderValueError>,
    params_count: bool,
) -> Detail {
    // Called on values that differ, so both parse.
    let table1 = same_addr_by(&a, &b, params_count, |x, y| x.matches_but_table1(y));
    let text = if table1 {
        "differs from the request only in a URI part Table 1 of RFC 3261 §19.1.1 keeps out of From and To (port, transport, maddr, ttl, lr, method, headers)"
    } else {
        "differs from the request"
    };
    Detail::with(text, DetailArg::Header(k))
}

/// `copied-headers-mismatch` — RFC 3261 §8.2.6.2: From, Call-ID and CSeq of
/// the response MUST equal the request's, the Via values MUST be equal and
/// in the same order, and To MUST equal the request's To when that had a
/// tag (otherwise its URI MUST). From and To compare as §20.20 defines
/// (URI and parameters, see `same_addr`); CSeq with LWS runs normalised
/// (§7.3.1); Call-ID byte-wise; Via values ignoring the `received` and
/// `rport` the UAS side adds and the order of parameters (see `same_via`).
/// A copy missing altogether is its header's `*-required` finding, not
/// this one; a response value that fails its own grammar (a Via that does
/// not read, a Call-ID outside `word`) is that grammar rule's, and with a
/// broken Via the Via lists are not judged. Span: the response's differing
/// value (or its status line when the response has fewer Via values).
fn copied_headers<S: FindingSink + ?Sized>(f: &Facts<'_, '_>, out: &mut Emitter<'_, S>) {
    if !out.wants(r::COPIED_HEADERS_MISMATCH) {
        return;
    }
    let Some(rs) = f.req_sheet else {
        return;
    };
    for k in [KnownHeader::From, KnownHeader::CallId, KnownHeader::CSeq] {
        if let (Some(a), Some(b)) = (rs.first(k), f.first(k)) {
            // A value that does not parse is its syntax rule's (or, in the
            // request, skipped): not compared. The response's Call-ID must
            // also be a strict `word` (outside it, `call-id-chars`'s); a
            // request's is compared anyway (`=` is common).
            let parses = |h: &crate::header::Header<'_>, response: bool| {
                let (v, base) = (h.value(), h.value_span().start);
                match k {
                    KnownHeader::CallId => {
                        CallId::parse(v, base).is_ok_and(|c| !response || c.is_strict_word())
                    }
                    KnownHeader::CSeq => CSeq::parse(v, base).is_ok(),
                    _ => true,
                }
            };
            // Equal values are the same whether or not they parse, so the
            // usual case reads neither; From compares as an address only
            // when its bytes differ.
            let equal = match k {
                KnownHeader::CSeq => eq_lws(a.value(), b.value()),
                _ => a.value() == b.value(),
            };
            let addrs = || {
                (
                    rs.name_addr(a.value(), a.value_span().start),
                    f.sheet.name_addr(b.value(), b.value_span().start),
                )
            };
            let same = equal
                || !parses(&a, false)
                || !parses(&b, true)
                || (k == KnownHeader::From && {
                    let (x, y) = addrs();
                    same_addr(x, y)
                });
            if !same {
                let detail = match k {
                    KnownHeader::From => {
                        let (x, y) = addrs();
                        addr_detail(k, x, y, true)
                    }
                    _ => Detail::with("differs from the request", DetailArg::Header(k)),
                };
                out.emit(r::COPIED_HEADERS_MISMATCH, Some(b.value_span()), detail);
            }
        }
    }
    if let (Some(a), Some(b)) = (rs.first(KnownHeader::To), f.first(KnownHeader::To)) {
        let req_to = rs.name_addr(a.value(), a.value_span().start);
        let resp_to = f.sheet.name_addr(b.value(), b.value_span().start);
        let tagged = sheet_to_tag(rs) == Some(true);
        let same = if tagged {
            same_addr(req_to, resp_to)
        } else {
            same_addr_uri(req_to, resp_to)
        };
        if !same {
            out.emit(
                r::COPIED_HEADERS_MISMATCH,
                Some(b.value_span()),
                addr_detail(KnownHeader::To, req_to, resp_to, tagged),
            );
        }
    }
    // A response without any Via (or with empty Via rows only) is
    // `via-required`'s, as a missing From, Call-ID or CSeq is its own
    // rule's above.
    if !f.has_element(KnownHeader::Via) {
        return;
    }
    let mut rv = rs.elements(KnownHeader::Via);
    let mut sv = f.elements(KnownHeader::Via);
    let mut top = true;
    loop {
        let pair = (rv.next(), sv.next());
        let is_top = core::mem::replace(&mut top, false);
        match pair {
            (None, None) => break,
            (Some(a), Some(b))
                if a.bytes == b.bytes
                    || (is_top && plain_top_copy(a.bytes, b.bytes))
                    || same_via(
                        rs.via(a.bytes, a.span.start),
                        f.sheet.via(b.bytes, b.span.start),
                        is_top,
                    ) => {}
            (_, b) => {
                // A response Via that does not read (a stray comma that
                // split one, an empty one) is the Via syntax rules': with
                // one, the lists cannot be lined up, so they are not judged.
                if f.sheet.read_a_broken_via() {
                    break;
                }
                let span = b.map_or(f.status_line, |b| b.span);
                out.emit(
                    r::COPIED_HEADERS_MISMATCH,
                    Some(span),
                    Detail::with(
                        "Via values differ from the request's",
                        DetailArg::Header(KnownHeader::Via),
                    ),
                );
                break;
            }
        }
    }
}

/// `100-timestamp-copied` — RFC 3261 §8.2.6.1: if the request had a
/// Timestamp, the 100 MUST copy it (a delay may be appended). Reported when
/// the 100 has no Timestamp or a different time value (the typed
/// [`Timestamp`]; silent when either does not parse). Span: the status
/// line or the Timestamp value.
fn timestamp_100<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code != 100 {
        return;
    }
    let Some(rt) = req.headers().get(KnownHeader::Timestamp) else {
        return;
    };
    // A request Timestamp that does not parse: skipped, as without `req`.
    let Ok(asked) = Timestamp::parse(rt.value(), rt.value_span().start) else {
        return;
    };
    match f.first(KnownHeader::Timestamp) {
        None => out.emit(
            r::R_100_TIMESTAMP_COPIED,
            Some(f.status_line),
            Detail::new("the request's Timestamp is not copied"),
        ),
        Some(st) => {
            // One that does not parse is `timestamp-syntax`'s.
            let Ok(got) = Timestamp::parse(st.value(), st.value_span().start) else {
                return;
            };
            if asked.time() != got.time() {
                out.emit(
                    r::R_100_TIMESTAMP_COPIED,
                    Some(st.value_span()),
                    Detail::new("Timestamp differs from the request's"),
                );
            }
        }
    }
}

/// True when option tag `tag` is listed in `k` of `h` (case-insensitive):
/// an element that is an `option-tag` (a token, as the typed
/// [`Supported`] reads one) equal to `tag`.
pub(super) fn lists(h: &Headers<'_>, k: KnownHeader, tag: &[u8]) -> bool {
    h.elements(k)
        .any(|e| e.parse::<Supported<'_>>().is_ok() && e.bytes.eq_ignore_ascii_case(tag))
}

/// `require-tag-not-supported-by-uac` — RFC 3261 §8.2.4: the UAS MUST NOT
/// apply (and so list in Require) an extension the request did not offer
/// in Supported or Require. Not for 421, nor 494 (RFC 3329 lists
/// `sec-agree` there by design). An entry that is not an option tag is
/// `option-tag-syntax`'s. Span: the tag.
fn require_not_offered<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 421 || f.code == 494 {
        return;
    }
    let rh = req.headers();
    for e in f.elements(KnownHeader::Require) {
        if !super::option_tags::option_tag_parses(KnownHeader::Require, e) {
            continue;
        }
        if !lists(rh, KnownHeader::Supported, e.bytes) && !lists(rh, KnownHeader::Require, e.bytes)
        {
            out.emit(
                r::REQUIRE_TAG_NOT_SUPPORTED_BY_UAC,
                Some(e.span),
                Detail::new("Require lists an extension the request did not offer"),
            );
        }
    }
}

/// `420-unsupported-matches-request` — RFC 3261 §8.2.2.3: the 420 MUST list
/// in Unsupported the extensions of the request's Require (or, from a
/// proxy, Proxy-Require, §16.3) it does not support; an empty Unsupported or
/// a tag the request never required breaks that. Span: the tag or the row.
fn unsupported_matches<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    let rh = req.headers();
    for h in f.rows(KnownHeader::Unsupported) {
        if h.value().is_empty() {
            out.emit(
                r::R_420_UNSUPPORTED_MATCHES_REQUEST,
                Some(h.span()),
                Detail::new("empty Unsupported"),
            );
        }
        for e in h.elements() {
            if !e.bytes.is_empty()
                && !lists(rh, KnownHeader::Require, e.bytes)
                && !lists(rh, KnownHeader::ProxyRequire, e.bytes)
            {
                out.emit(
                    r::R_420_UNSUPPORTED_MATCHES_REQUEST,
                    Some(e.span),
                    Detail::new("tag the request did not require"),
                );
            }
        }
    }
}

/// `recv-info-without-request` — RFC 6086 §5.2.3: a 1xx or 2xx MUST NOT
/// carry Recv-Info when the request had none (469 is the exception, and
/// outside this range). Span: the first row (once per header, RFC 3261 §7.3.1).
/// `recv-info-in-18x-2xx` — §5.2.3: when the request carried Recv-Info, a
/// reliable 18x and the 2xx MUST carry one (empty allowed). Span: the
/// status line.
fn recv_info<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    if !(100..300).contains(&f.code) {
        return;
    }
    let asked = req.headers().contains(KnownHeader::RecvInfo);
    if !asked {
        super::presence::present(
            f,
            out,
            r::RECV_INFO_WITHOUT_REQUEST,
            KnownHeader::RecvInfo,
            Detail::new("Recv-Info although the request had none"),
        );
        return;
    }
    let reliable_18x = (180..190).contains(&f.code) && f.has_token(KnownHeader::Require, b"100rel");
    if (reliable_18x || f.code >= 200) && !f.has(KnownHeader::RecvInfo) {
        out.emit(
            r::RECV_INFO_IN_18X_2XX,
            Some(f.status_line),
            Detail::new("no Recv-Info although the request had one"),
        );
    }
}

/// `reliable-1xx-without-request-support` — RFC 3262 §3: a UAS MUST NOT
/// send a provisional response reliably unless the request listed `100rel`
/// in Supported or Require. Span: the status line.
fn reliable_1xx_support<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    if !(101..200).contains(&f.code) || !f.has_token(KnownHeader::Require, b"100rel") {
        return;
    }
    let rh = req.headers();
    if !lists(rh, KnownHeader::Supported, b"100rel") && !lists(rh, KnownHeader::Require, b"100rel")
    {
        out.emit(
            r::RELIABLE_1XX_WITHOUT_REQUEST_SUPPORT,
            Some(f.status_line),
            Detail::new("reliable 1xx although the request did not offer 100rel"),
        );
    }
}

/// `1xx-unreliable-when-required` — RFC 3262 §3: the UAS MUST send every
/// non-100 provisional response reliably when the initial request's
/// Require listed `100rel`; one that will not, rejects the request with
/// 420. Initial: an INVITE outside a dialog (its To has no tag; a To that
/// does not read tells nothing). Unreliable: neither Require `100rel` nor
/// RSeq; a response with one of the two tried, and is
/// `1xx-100rel-consistency`'s. A 199 is left to `199-requires-uac-support`,
/// whose proxy half is this same case. Span: the status line.
fn unreliable_1xx_required<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    if !(101..199).contains(&f.code)
        || req.method() != b"INVITE"
        || f.has(KnownHeader::RSeq)
        || f.has_token(KnownHeader::Require, b"100rel")
    {
        return;
    }
    let rh = req.headers();
    // The To is read only when the Require asks (reading it costs more).
    if lists(rh, KnownHeader::Require, b"100rel") && headers_to_tag(rh) == Some(false) {
        out.emit(
            r::R_1XX_UNRELIABLE_WHEN_REQUIRED,
            Some(f.status_line),
            Detail::new("unreliable 1xx although the INVITE required 100rel"),
        );
    }
}

/// `199-requires-uac-support` — RFC 6228 §5 (a UAS) and §6 (a proxy): a 199
/// MUST NOT be sent unless the request's Supported listed the option tag
/// `199` (the RFC says "the UAC", meaning the one the 199 is sent to).
/// Checked against the matched request, whoever generated the 199. The
/// rule's other half (a proxy must not generate a 199 for a request that
/// required `100rel`) needs to know that a proxy generated it, which one
/// response and its request cannot tell. Span: the status line.
fn supported_199<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    if f.code == 199 && !lists(req.headers(), KnownHeader::Supported, b"199") {
        out.emit(
            r::R_199_REQUIRES_UAC_SUPPORT,
            Some(f.status_line),
            Detail::new("199 although the request's Supported lacked 199"),
        );
    }
}

/// `2xx-refresher-uas-require-timer` — RFC 4028 §9: with `refresher=uas`
/// and a request whose Supported listed `timer`, the UAS SHOULD put `timer`
/// in the 2xx's Require. Scoped like `2xx-refresher-uac-require-timer`
/// (2xx to INVITE or UPDATE), and silent about a Session-Expires that does
/// not parse or a Require entry that does not read (it may be the `timer`).
/// Span: the Session-Expires value.
fn refresher_uas_timer<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    if !(200..300).contains(&f.code) || !(f.method_is("INVITE") || f.method_is("UPDATE")) {
        return;
    }
    let Some(h) = f.first(KnownHeader::SessionExpires) else {
        return;
    };
    let uas = super::syntax::session_expires(h.value(), h.value_span().start)
        .is_some_and(|se| se.refresher() == Some(crate::header::typed::Refresher::Uas));
    if uas
        && lists(req.headers(), KnownHeader::Supported, b"timer")
        && f.lacks_token(KnownHeader::Require, b"timer")
    {
        out.emit(
            r::R_2XX_REFRESHER_UAS_REQUIRE_TIMER,
            Some(h.value_span()),
            Detail::new("refresher=uas without Require: timer"),
        );
    }
}

/// `content-encoding-not-accepted` — RFC 3261 §20.12, §20.2: a response's
/// content-coding MUST be one the request's Accept-Encoding lists (`*`
/// accepts any); with no Accept-Encoding, only `identity`. Span: the coding.
fn content_encoding<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    let rh = req.headers();
    // A request Accept-Encoding that does not parse: skipped, as without
    // `req`.
    if rh
        .elements(KnownHeader::AcceptEncoding)
        .any(|e| e.parse::<AcceptEncoding<'_>>().is_err())
    {
        return;
    }
    let accepted = |coding: &[u8]| {
        if !rh.contains(KnownHeader::AcceptEncoding) {
            return coding.eq_ignore_ascii_case(b"identity");
        }
        rh.typed_all::<AcceptEncoding<'_>>()
            .flatten()
            .any(|a| a.is_wildcard() || a.coding().as_bytes().eq_ignore_ascii_case(coding))
    };
    for e in f.elements(KnownHeader::ContentEncoding) {
        // An entry that does not parse is `content-encoding-syntax`'s.
        let Ok(coding) = e.parse::<ContentEncoding<'_>>() else {
            continue;
        };
        if !accepted(coding.as_bytes()) {
            out.emit(
                r::CONTENT_ENCODING_NOT_ACCEPTED,
                Some(e.span),
                Detail::new("content-coding the request did not accept"),
            );
        }
    }
}

/// `423-min-expires-vs-request` — RFC 3261 §10.3 step 7, RFC 6665 §4.2.1.1
/// and RFC 3903 §6 step 4: a 423 is allowed only when the requested
/// interval is above zero and below the server's minimum (Min-Expires),
/// and, for REGISTER and SUBSCRIBE, under one hour. The requested interval
/// is the request's Expires (for REGISTER, else the first Contact
/// `expires`). Silent when either number is unknown. Span: the status line.
fn min_expires_vs_request<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    let rh = req.headers();
    let Some(min) = f
        .first(KnownHeader::MinExpires)
        .and_then(|h| MinExpires::parse(h.value(), h.value_span().start).ok())
        .map(|m| m.value())
    else {
        return;
    };
    let asked = expires(rh.get(KnownHeader::Expires)).or_else(|| {
        rh.elements(KnownHeader::Contact).find_map(|e| {
            addr_params(e.bytes, e.span.start)?
                .get("expires")?
                .value()
                .and_then(delta)
        })
    });
    let Some(asked) = asked else {
        return;
    };
    let capped = !req.method().eq(b"PUBLISH");
    let allowed = asked > 0 && asked < min && (!capped || asked < 3600);
    if !allowed {
        out.emit(
            r::R_423_MIN_EXPIRES_VS_REQUEST,
            Some(f.status_line),
            Detail::with("423 for a requested interval of", DetailArg::Number(asked)),
        );
    }
}

/// SUBSCRIBE 2xx rules that need the request:
///
/// * `2xx-subscribe-expires-longer` — RFC 6665 §3.1.1, §4.2.1.1: the 2xx's
///   Expires MUST NOT be greater than the SUBSCRIBE's. Span: the value.
/// * then the request parts of `2xx-dialog-contact` (in `dialog.rs`) and
///   `204-subscribe-in-dialog` (in `method.rs`).
fn subscribe_2xx<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    let asked = expires(req.headers().get(KnownHeader::Expires));
    if let (Some(asked), Some(h)) = (asked, f.first(KnownHeader::Expires)) {
        if expires(Some(h)).is_some_and(|got| got > asked) {
            out.emit(
                r::R_2XX_SUBSCRIBE_EXPIRES_LONGER,
                Some(h.value_span()),
                Detail::with("Expires above the requested", DetailArg::Number(asked)),
            );
        }
    }
    super::dialog::subscribe_dialog_contact(f, req, out);
    super::method::subscribe_204_out_of_dialog(f, req, out);
}

/// True when the response's Record-Route value `b` is a copy of the
/// request's `a` (RFC 3261 §12.1.1: "including the URIs, URI parameters,
/// and any Record-Route header field parameters"): the same URI with the
/// same parameters ([`Uri::is_copy_of`]) and the same header parameters,
/// in any order, names and the URI's host and parameters in any case (the
/// order and case of parameters carry nothing, §19.1.4). A value that does
/// not parse, on either side, is not compared: the response's is
/// `name-addr-syntax`'s, the request's is skipped.
///
/// [`Uri::is_copy_of`]: crate::header::typed::Uri::is_copy_of
fn rr_copy(
    a: Result<crate::header::typed::RecordRoute<'_>, HeaderValueError>,
    b: Result<crate::header::typed::RecordRoute<'_>, HeaderValueError>,
) -> bool {
    let (Ok(x), Ok(y)) = (a, b) else {
        return true;
    };
    let (x, y) = (x.name_addr(), y.name_addr());
    y.uri().is_copy_of(&x.uri()) && same_params(x.params().iter(), y.params().iter(), |_| false)
}

/// Rules on a response that creates a dialog: a 101–199 (with To tag) or
/// 2xx to an INVITE, SUBSCRIBE or REFER that had no To tag (RFC 3261 §12.1;
/// RFC 6665 §4.1.2.1; RFC 3515 §2.4.1):
///
/// * `dialog-record-route-copy` — RFC 3261 §12.1.1: the UAS MUST copy all
///   Record-Route values from the request into the response, in order and
///   with all parameters. Compared value by value: the same bytes (LWS
///   normalised), or the same URI and parameters in another order or case
///   (see `rr_copy`).
///   Span: the first differing value (the status line if one is missing).
///   With a request observed on an upstream hop
///   ([`Context::with_observed_request`](crate::validate::Context::with_observed_request)),
///   the request's values must be the response's last ones.
/// * `dialog-contact-sips` — RFC 3261 §12.1.1: if the Request-URI, or the
///   top Record-Route value, or (with no Record-Route) the Contact of the
///   request was a SIPS URI, the response's Contact MUST be a SIPS URI.
///   Values are read with the typed [`NameAddr`]: a request value that does
///   not parse is not taken as SIPS, and a response Contact that does not
///   parse is skipped (its syntax is not this rule's matter). Span: the
///   Contact value.
fn dialog_creating<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    let creating_method = matches!(req.method(), b"INVITE" | b"SUBSCRIBE" | b"REFER");
    let code_ok = (200..300).contains(&f.code)
        || ((101..200).contains(&f.code) && f.to_has_tag() == Some(true));
    let Some(rs) = f.req_sheet else {
        return;
    };
    if !creating_method || !code_ok || sheet_to_tag(rs) != Some(false) {
        return;
    }
    let rh = req.headers();
    let mut rr = rs.elements(KnownHeader::RecordRoute);
    let mut sr = f.elements(KnownHeader::RecordRoute);
    if f.ctx.request_is_observed() {
        // Seen on an upstream hop: proxies further on may have added
        // values on top. The request's must be the response's last ones.
        let resp_rr = f.elements(KnownHeader::RecordRoute).count();
        let extra = resp_rr.checked_sub(rh.elements(KnownHeader::RecordRoute).count());
        match extra {
            Some(n) => {
                for _ in 0..n {
                    sr.next();
                }
            }
            None => {
                return out.emit(
                    r::DIALOG_RECORD_ROUTE_COPY,
                    Some(f.status_line),
                    Detail::new("Record-Route lacks values the request had"),
                )
            }
        }
    }
    // A value that does not parse, on either side, is not compared: the
    // response's is `name-addr-syntax`'s, the request's is skipped.
    loop {
        match (rr.next(), sr.next()) {
            (None, None) => break,
            (Some(a), Some(b))
                if eq_lws(a.bytes, b.bytes)
                    || rr_copy(
                        rs.record_route(a.bytes, a.span.start),
                        f.sheet.record_route(b.bytes, b.span.start),
                    ) => {}
            (_, b) => {
                out.emit(
                    r::DIALOG_RECORD_ROUTE_COPY,
                    Some(b.map_or(f.status_line, |b| b.span)),
                    Detail::new("Record-Route is not the request's, in order"),
                );
                break;
            }
        }
    }
    // A request value that does not parse is not known to be SIPS.
    // Without `sips:` in its bytes no value holds a SIPS URI: read only
    // the ones that might.
    let is_sips = |e: Element<'_>| {
        memchr::memchr_iter(b':', e.bytes)
            .any(|i| i >= 4 && e.bytes[i - 4..i].eq_ignore_ascii_case(b"sips"))
            && NameAddr::parse(e.bytes, e.span.start).is_ok_and(|n| n.uri().is_sips())
    };
    let uri_sips = req
        .uri()
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case(b"sips:"));
    let route_sips = match rs.elements(KnownHeader::RecordRoute).next() {
        Some(top) => is_sips(top),
        None => rs
            .elements(KnownHeader::Contact)
            .next()
            .is_some_and(is_sips),
    };
    if uri_sips || route_sips {
        for e in f.elements(KnownHeader::Contact) {
            if e.bytes.is_empty() || e.bytes == b"*" {
                continue;
            }
            // A malformed Contact is a syntax matter, not this rule's.
            let Ok(contact) = f.sheet.name_addr(e.bytes, e.span.start) else {
                continue;
            };
            if !contact.uri().is_sips() {
                out.emit(
                    r::DIALOG_CONTACT_SIPS,
                    Some(e.span),
                    Detail::new("Contact is not SIPS although the request was"),
                );
            }
        }
    }
}

/// `3xx-redirect-to-self` — RFC 3261 §8.3: a redirect server MUST NOT
/// redirect a request to a URI equal to its Request-URI. Compared byte for
/// byte (a conservative reading of §19.1.4 equality: differences the RFC
/// would ignore, such as host case, are not reported). Span: the Contact.
fn redirect_to_self<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    for e in f.elements(KnownHeader::Contact) {
        if !e.bytes.is_empty() && addr_uri(e.bytes) == Some(req.uri()) {
            out.emit(
                r::R_3XX_REDIRECT_TO_SELF,
                Some(e.span),
                Detail::new("redirect to the Request-URI itself"),
            );
        }
    }
}

/// `2xx-register-contact-missing` — RFC 3261 §10.3 step 8: a 2xx to
/// REGISTER MUST list every current binding. Without the request, a 2xx
/// with no Contact is a valid answer (no bindings: a query, or a removal);
/// with it, a REGISTER that added or refreshed a binding leaves at least
/// that one, and the 2xx then has to list something. Whether the listed
/// bindings include the requested URI is not asked: a registrar behind a
/// NAT fix-up stores the rewritten address, and lists that one. A request
/// Contact counts when its expiry is known to be above zero: its `expires`
/// parameter, else the request's Expires, else the registrar's default
/// (§10.2.1.1: a Contact without either asks for the default, which is not
/// zero). An expiry that does not parse, or a Contact that does not, tells
/// nothing and is skipped; so is `*` (a removal, §10.2.2). A Contact of the
/// 2xx that does not parse is `contact-syntax`'s, and counts as listed.
/// Span: the status line (what is missing has no bytes).
fn register_contact_missing<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    if f.has_value(KnownHeader::Contact) {
        return;
    }
    let rh = req.headers();
    // The expiry of a Contact without its own: the request's Expires, or
    // the registrar's default (not zero) without one; `None` when the
    // request's Expires does not parse.
    let fallback = match rh.get(KnownHeader::Expires) {
        None => Some(u64::MAX),
        h => expires(h),
    };
    let adds = rh.elements(KnownHeader::Contact).any(|asked| {
        if asked.bytes.is_empty() || asked.bytes == b"*" {
            return false;
        }
        let Some(params) = addr_params(asked.bytes, asked.span.start) else {
            return false;
        };
        let expiry = match params.get("expires") {
            Some(p) => p.value().and_then(delta),
            None => fallback,
        };
        expiry.is_some_and(|e| e > 0)
    });
    if adds {
        out.emit(
            r::R_2XX_REGISTER_CONTACT_MISSING,
            Some(f.status_line),
            Detail::new("the REGISTER added a binding; the 2xx lists none"),
        );
    }
}

/// `2xx-register-expires-longer` — RFC 3261 §10.3 step 7: the registrar
/// may shorten a requested expiry but has no leave to lengthen it (no
/// keyword: info). For each Contact of the REGISTER, the binding with the
/// same URI in the 2xx is compared with the requested interval (its
/// `expires` parameter, else the request's Expires). A binding of another
/// UA instance is another binding even at the same URI: RFC 5626 §6
/// identifies a binding by `+sip.instance` and `reg-id`, so a Contact
/// whose instance or reg-id differs from the requested one's is not its
/// binding (a de-REGISTER of one instance leaves the other's listed with
/// its own expiry). Span: the binding.
fn register_expires_longer<S: FindingSink + ?Sized>(
    f: &Facts<'_, '_>,
    req: &Request<'_>,
    out: &mut Emitter<'_, S>,
) {
    let rh = req.headers();
    let default = expires(rh.get(KnownHeader::Expires));
    let expires_of = |bytes: &[u8], base: usize| {
        addr_params(bytes, base)?
            .get("expires")?
            .value()
            .and_then(delta)
    };
    for asked in rh.elements(KnownHeader::Contact) {
        let Some(want) = expires_of(asked.bytes, asked.span.start).or(default) else {
            continue;
        };
        let Some(uri) = addr_uri(asked.bytes) else {
            continue;
        };
        for got in f.elements(KnownHeader::Contact) {
            if addr_uri(got.bytes) != Some(uri) || !same_instance(&asked, &got) {
                continue;
            }
            if expires_of(got.bytes, got.span.start).is_some_and(|g| g > want) {
                out.emit(
                    r::R_2XX_REGISTER_EXPIRES_LONGER,
                    Some(got.span),
                    Detail::with("binding longer than requested", DetailArg::Number(want)),
                );
            }
        }
    }
}

/// False when Contact values `a` and `b` name different UA instances or
/// flows: both carry `+sip.instance` (RFC 5626 §4.1, RFC 5627 §3.1) with
/// different values, or both carry `reg-id` with different values. A value
/// whose parameters do not parse, or that lacks either, does not tell them
/// apart.
fn same_instance(a: &Element<'_>, b: &Element<'_>) -> bool {
    let (Some(pa), Some(pb)) = (
        addr_params(a.bytes, a.span.start),
        addr_params(b.bytes, b.span.start),
    ) else {
        return true;
    };
    ["+sip.instance", "reg-id"].iter().all(|name| {
        match (
            pa.get(name).map(|p| p.value()),
            pb.get(name).map(|p| p.value()),
        ) {
            (Some(Some(x)), Some(Some(y))) => x.eq_ignore_ascii_case(y),
            _ => true,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::typed::TypedHeader;
    use proptest::prelude::*;

    /// A top Via as a request sends it and as a UAS copies it: parameters
    /// picked from a few (`received` and `rport` in any case, quoted values
    /// with `;` inside, white space), in any order.
    fn via() -> impl Strategy<Value = String> {
        let param = prop::sample::select(vec![
            ";branch=z9hG4bK1",
            ";branch=z9hG4bK2",
            ";received=192.0.2.1",
            ";RECEIVED=192.0.2.9",
            ";rport",
            ";rport=5060",
            ";Rport=5062",
            ";x=\"a;received=1\"",
            ";x=\"a;received=2\"",
            ";lr",
            " ;ttl=1",
        ]);
        (
            prop::sample::select(vec![
                "SIP/2.0/UDP a.example.com",
                "SIP/2.0/udp a.example.com:5060",
            ]),
            prop::collection::vec(param, 0..5),
        )
            .prop_map(|(head, params)| format!("{head}{}", params.concat()))
    }

    proptest! {
        /// The shortcut never calls two Vias the same copy that the full
        /// comparison tells apart.
        #[test]
        fn plain_top_copy_implies_same_via(a in via(), b in via()) {
            if plain_top_copy(a.as_bytes(), b.as_bytes()) {
                prop_assert!(
                    same_via(Via::parse(a.as_bytes(), 0), Via::parse(b.as_bytes(), 0), true),
                    "{} / {}", a, b
                );
            }
        }
    }

    /// A UAS that drops the port of the request's From and To URIs (PJSIP)
    /// still breaks the copy, and the finding says where.
    #[test]
    fn from_to_without_their_port_are_named() {
        use crate::validate::{validate, Context};
        let req = crate::OwnedMessage::parse_with(
            bytes::Bytes::from_static(
                b"OPTIONS sip:b@127.0.0.1:5310 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5390;branch=z9hG4bK1\r\n\
From: <sip:a@127.0.0.1:5390>;tag=1\r\nTo: <sip:b@127.0.0.1:5310>\r\nCall-ID: c@x\r\nCSeq: 1 OPTIONS\r\n\
Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n",
            ),
            &crate::ParseOptions::datagram(),
        )
        .unwrap();
        let resp = crate::parse_response(
            b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5390;branch=z9hG4bK1\r\n\
From: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:b@127.0.0.2>;tag=2\r\nCall-ID: c@x\r\nCSeq: 1 OPTIONS\r\n\
Content-Length: 0\r\n\r\n",
        )
        .unwrap();
        let ctx = Context::new().with_request(req).unwrap();
        let texts: Vec<_> = validate(&resp, &ctx)
            .by_rule("copied-headers-mismatch")
            .map(|f| f.detail().to_string())
            .collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].contains("Table 1"), "{texts:?}");
        // The To's host differs too: no Table 1 note there.
        assert!(!texts[1].contains("Table 1"), "{texts:?}");
    }

    #[test]
    fn plain_top_copy_takes_the_usual_copy() {
        let req = b"SIP/2.0/UDP a.example.com:5060;branch=z9hG4bK1;rport";
        let resp = b"SIP/2.0/UDP a.example.com:5060;branch=z9hG4bK1;rport=5060;received=192.0.2.1";
        assert!(plain_top_copy(req, resp));
        assert!(!plain_top_copy(
            req,
            b"SIP/2.0/UDP a.example.com:5060;branch=z9hG4bK2;rport"
        ));
        assert!(!plain_top_copy(
            req,
            b"SIP/2.0/UDP b.example.com:5060;branch=z9hG4bK1"
        ));
        // Quoted values go to the full comparison.
        assert!(!plain_top_copy(
            b"SIP/2.0/UDP a;x=\"a;b\"",
            b"SIP/2.0/UDP a;x=\"a;b\""
        ));
    }
}
