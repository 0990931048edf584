//! The checks, one file per subject: the header, or the part of the
//! message, whose content a rule judges. The axis is the subject, not the
//! status class, because a reader arrives with a finding about a header
//! ("what is wrong with this Via?") and the typed value it reads decides
//! the check; the status code is only a condition inside it. The
//! catalogue ([`crate::validate::rules`], field `file`) names the file of
//! every rule, found from the code by `tools/gen_catalogue.py`.
//!
//! * `common.rs` — the start line, reason phrase, framing and body.
//! * `presence.rs` — which headers a response carries (mandatory ones,
//!   request-only ones, placement).
//! * `cseq.rs`, `call_id.rs`, `allow.rs`, `expires.rs` (Expires,
//!   Min-Expires), `retry_after.rs`, `rseq.rs` (RSeq and Require: 100rel),
//!   `reason.rs`, `warning.rs`, `date.rs`, `record_route.rs`,
//!   `allow_events.rs`, `call_info.rs`, `sip_etag.rs` — one header each:
//!   its value, and the responses that must, should or must not carry it.
//! * `contact.rs` — Contact's `q` and `expires`, and the responses that
//!   carry Contact or must not; `dialog.rs` — the dialog a response creates
//!   or ends (its Contact, its To tag).
//! * `auth.rs` — WWW-Authenticate and Proxy-Authenticate (401, 407).
//! * `sec_agree.rs` — Security-Server and `sec-agree` (421, 494).
//! * `session_timer.rs` — Session-Expires and Min-SE (RFC 4028).
//! * `capabilities.rs` — the headers that advertise what an element
//!   supports or accepts (Allow and Supported in a 2xx, Accept*, Recv-Info).
//! * `error_headers.rs` — the headers that explain a failure
//!   (Geolocation-Error, AlertMsg-Error, Permission-Missing).
//! * `option_tags.rs` — Require, Supported, Unsupported option tags.
//! * `body.rs` — the body a response must or must not carry.
//! * `method.rs` — the status code against the request method.
//! * `status_code.rs` — codes that are only a note (reserved, not
//!   recommended, informational).
//! * `proxy.rs`, `uac.rs` — the verdicts of a role (sections 7–8).
//! * `request.rs` — the rules that compare with the request (`req`); a
//!   rule with a part on the response alone keeps its request part with
//!   its subject, and `request.rs` calls it.
//!
//! Each rule id is emitted from one file, the one the catalogue names.
//!
//! Every check is a plain function over [`Facts`] writing to an
//! [`Emitter`], testing its own status code and method; [`run`] calls them
//! in a fixed order (the order of the findings). [`Facts`] carries the fact sheet ([`facts::Sheet`]): each
//! header a rule needs is located and parsed at most once per response. None allocates.
//! Header values are read with the typed parsers of
//! [`crate::header::typed`]; when a value fails its grammar, exactly one
//! finding reports it (that header's syntax rule, at the failing part) and
//! the rules that need the value stay silent (spec "How to read"). Values
//! are read strictly first (the fast path for valid traffic); a value that
//! fails is read again laxly ([`crate::header::typed::LaxHeader`]), which
//! locates every failing part, so no rule locates one by hand.

use crate::validate::facts;

mod addr;
mod addr_params;
mod allow;
mod allow_events;
mod auth;
mod body;
mod call_id;
mod call_info;
mod capabilities;
mod common;
mod contact;
mod cseq;
mod date;
mod dialog;
mod error_headers;
mod expires;
mod method;
mod option_tags;
mod presence;
mod proxy;
pub(crate) use proxy::{forwarded_100_seen, observed, R_100_NOT_FORWARDED};
mod reason;
mod record_route;
mod request;
mod retry_after;
mod rseq;
pub(crate) use rseq::{first_rseq_range, RSEQ_RANGE};
mod sec_agree;
mod session_timer;
mod single;
mod sip_etag;
mod status_code;
mod syntax;
mod uac;
mod via;
mod warning;

use crate::header::param::Params;
use crate::header::typed::{CSeq, ContentType, NameAddr, TypedHeader};
use crate::header::{Element, Header, KnownHeader};
use crate::lex;
use crate::message::{Request, Response};
use crate::span::Span;

use super::{Context, Emitter, FindingSink};

/// What `validate_into` hands to [`run`]: the response and the context.
/// [`run`] builds the [`Facts`] from it on its own stack frame, so the fact
/// sheet (some kilobytes of memo slots) is never moved.
pub(crate) struct Seed<'r, 'a> {
    resp: &'r Response<'a>,
    ctx: &'r Context,
}

/// What the rules read: the response, the context, and the fact sheet
/// that locates and parses each header once ([`facts`]). Every rule is a
/// function over it.
pub(crate) struct Facts<'r, 'a> {
    pub(crate) resp: &'r Response<'a>,
    pub(crate) ctx: &'r Context,
    /// The three-digit code.
    pub(crate) code: u16,
    /// The first CSeq row, and its typed reading (read once: the method
    /// below and the CSeq rules both need it).
    pub(crate) cseq_row: Option<Header<'a>>,
    pub(crate) cseq: Option<Result<CSeq<'a>, crate::error::HeaderValueError>>,
    /// The request method: the Context override, else the CSeq method
    /// (spec context `msg`: "the request method is read from the
    /// response's own CSeq"). `None` when neither is available.
    pub(crate) method: Option<&'r [u8]>,
    /// Where a finding about something *missing* points: the status line,
    /// whose code is what demands the header.
    pub(crate) status_line: Span,
    /// The first bare CR of the start line or header section
    /// ([`Response::find_bare_cr`]), looked for once: the status-line and
    /// line-ending rules both ask.
    pub(crate) bare_cr: Option<Span>,
    /// The matching request, when the Context has one (spec context `req`).
    pub(crate) req: Option<Request<'r>>,
    /// The response's headers, located and parsed once ([`facts`]).
    pub(crate) sheet: &'r facts::Sheet<'a>,
    /// The matching request's headers, likewise (with [`Facts::req`]).
    pub(crate) req_sheet: Option<&'r facts::Sheet<'r>>,
    /// The top Via as the role verdicts judge it ([`Facts::top_via`]).
    top_via: core::cell::OnceCell<Option<TopViaFacts<'a>>>,
}

/// The top Via value as the forwarder walks to it, judged once for the
/// role verdicts (`via-top-not-ours` in `uac.rs`, the proxy's in
/// `proxy.rs`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct TopViaFacts<'a> {
    /// The top value.
    pub(crate) top: Element<'a>,
    /// Its strict reading succeeded.
    pub(crate) parsed: bool,
    /// It parsed and its sent-by is one of the Context's own
    /// ([`crate::forward::via_is_ours`], the forwarder's judgement).
    pub(crate) ours: bool,
    /// The value after it, where the response goes next (empty values
    /// skipped), as [`crate::forward_upstream`] finds it.
    pub(crate) next: Option<Element<'a>>,
}

impl<'r, 'a> Facts<'r, 'a> {
    /// What [`run`] needs to build the facts (`validate_into` calls this).
    #[allow(clippy::new_ret_no_self)]
    pub(crate) fn new(resp: &'r Response<'a>, ctx: &'r Context) -> Seed<'r, 'a> {
        Seed { resp, ctx }
    }

    fn build(
        resp: &'r Response<'a>,
        ctx: &'r Context,
        sheet: &'r facts::Sheet<'a>,
        req_sheet: Option<&'r facts::Sheet<'r>>,
    ) -> Self {
        let cseq_row = sheet.first(KnownHeader::CSeq);
        let cseq = cseq_row.map(|h| CSeq::parse(h.value(), h.value_span().start));
        let method = match ctx.method() {
            Some(m) => Some(m.as_bytes()),
            // Read by the typed CSeq: a CSeq that does not parse (or a
            // comma-joined one) gives no method, and the method rules stay
            // silent.
            None => match &cseq {
                Some(Ok(c)) => Some(c.method().as_bytes()),
                _ => None,
            },
        };
        Facts {
            resp,
            ctx,
            cseq_row,
            cseq,
            code: resp.status().as_u16(),
            method,
            status_line: resp.status_line_span(),
            bare_cr: resp.find_bare_cr(),
            req: ctx.request(),
            sheet,
            req_sheet,
            top_via: core::cell::OnceCell::new(),
        }
    }

    /// The top Via value, its reading, whether it is ours and the value
    /// after it, found once for every role verdict (the walk is
    /// [`crate::forward::TopVia`]'s, the reading the Via rules' strict
    /// one). `None` when there is no Via value.
    pub(crate) fn top_via(&self) -> Option<TopViaFacts<'a>> {
        *self.top_via.get_or_init(|| {
            let walk = crate::forward::TopVia::find(self.resp.headers())?;
            let top = walk.top;
            let via = self.sheet.via(top.bytes, top.span.start);
            let own = self.ctx.own_sent_by();
            Some(TopViaFacts {
                top,
                parsed: via.is_ok(),
                ours: via.is_ok_and(|v| crate::forward::via_is_ours(&v, own)),
                next: walk.next_value().map(|(e, _)| e),
            })
        })
    }

    /// True when the request method is known and equals `m` (methods are
    /// case-sensitive, RFC 3261 §20.16).
    pub(crate) fn method_is(&self, m: &str) -> bool {
        self.method == Some(m.as_bytes())
    }

    /// True when at least one row of `k` is present (an empty row counts:
    /// several headers may legally be empty, grammar notes).
    pub(crate) fn has(&self, k: KnownHeader) -> bool {
        self.sheet.has(k)
    }

    /// True when `k` has at least one non-empty element.
    pub(crate) fn has_value(&self, k: KnownHeader) -> bool {
        self.sheet.has_value(k)
    }

    /// The first row of `k` (located once per response).
    pub(crate) fn first(&self, k: KnownHeader) -> Option<Header<'a>> {
        self.sheet.first(k)
    }

    /// Every row of `k`, in order.
    pub(crate) fn rows(&self, k: KnownHeader) -> facts::Rows<'a> {
        self.sheet.rows(k)
    }

    /// True when some row of `k` has something in its value: for a list
    /// header, when it has an element at all (an empty row counts as
    /// absent, spec "General conventions"; a malformed item counts).
    pub(crate) fn has_element(&self, k: KnownHeader) -> bool {
        // `rows` takes a lone row from the located first one, and `any`
        // stops at the first full row.
        self.rows(k).any(|h| !facts::is_empty_row(&h))
    }

    /// The rows of `k` with nothing in their value (see
    /// [`Sheet::empty_rows`](facts::Sheet::empty_rows)).
    pub(crate) fn empty_rows(&self, k: KnownHeader) -> impl Iterator<Item = Header<'a>> + 'r {
        self.sheet.empty_rows(k)
    }

    /// Every element of every row of `k`.
    pub(crate) fn elements(&self, k: KnownHeader) -> impl Iterator<Item = Element<'a>> + 'r {
        self.sheet.elements(k)
    }

    /// The header parameters of an address value (see [`addr_params`]),
    /// read once.
    pub(crate) fn addr_params(&self, v: &'a [u8], base: usize) -> Option<Params<'a>> {
        self.sheet.name_addr(v, base).ok().map(|n| n.params())
    }

    /// True when some element of list header `k` is the token `tag` (option
    /// tags and event packages compare as tokens, case-insensitively, RFC
    /// 3261 §7.3.1).
    pub(crate) fn has_token(&self, k: KnownHeader, tag: &[u8]) -> bool {
        self.elements(k).any(|e| e.bytes.eq_ignore_ascii_case(tag))
    }

    /// True when option tag `tag` is known to be missing from `k`
    /// (Require, Supported or Unsupported): every entry reads as an option
    /// tag and none is `tag`. An entry that does not read (`ti<NUL>mer`)
    /// may be the tag, and is `option-tag-syntax`'s, so the rules that
    /// report a missing tag stay silent then.
    pub(crate) fn lacks_token(&self, k: KnownHeader, tag: &[u8]) -> bool {
        self.elements(k)
            .all(|e| !e.bytes.eq_ignore_ascii_case(tag) && option_tags::option_tag_parses(k, e))
    }

    /// True when the To header carries a `tag` (RFC 3261 §8.2.6.2); an
    /// empty `tag` (`tag-param-empty`) is no tag. `None` when To is absent
    /// or does not parse. Read once.
    pub(crate) fn to_has_tag(&self) -> Option<bool> {
        addr::sheet_to_tag(self.sheet)
    }
}

/// Runs every implemented rule.
pub(crate) fn run<S: FindingSink + ?Sized>(seed: &Seed<'_, '_>, out: &mut Emitter<'_, S>) {
    // The request's sheet: built (empty, nothing read yet) only when the
    // Context holds a request.
    let req = seed.ctx.request();
    // The strict Via readings are asked for by the comparison with the
    // request, by `via-top-not-ours` (own sent-by values) and by
    // `proxy-broadcast-via`.
    let sheet = facts::Sheet::new(
        *seed.resp.headers(),
        seed.resp.deviations().malformed_lines(),
        req.is_some()
            || !seed.ctx.own_sent_by().is_empty()
            || seed.ctx.role() == crate::validate::Role::Proxy,
    );
    let req_sheet = req
        .as_ref()
        .map(|r| facts::Sheet::new(*r.headers(), r.deviations().malformed_lines(), false));
    let facts = Facts::build(seed.resp, seed.ctx, &sheet, req_sheet.as_ref());
    let f = &facts;
    common::check(f, out);
    presence::mandatory(f, out);
    cseq::cseq(f, out);
    call_id::call_id(f, out);
    addr_params::check(f, out);
    presence::placement(f, out);
    contact::contact(f, out);
    option_tags::option_tag_syntax(f, out);
    option_tags::option_tag_unknown(f, out);
    allow::allow_syntax(f, out);
    expires::expires_syntax(f, out);
    retry_after::retry_after(f, out);
    rseq::rseq_range(f, out);
    reason::reason_header(f, out);
    warning::warning(f, out);
    date::date_syntax(f, out);
    single::check(f, out);
    addr::check(f, out);
    syntax::check(f, out);
    // What a response of one status code, or to one method, must carry
    // (spec sections 4-6). Each check lives with its subject and tests the
    // code and method itself; this list fixes the order of the findings.
    // 1xx.
    rseq::not_reliable_100(f, out);
    method::provisional_to_non_invite(f, out);
    dialog::early_dialog_contact(f, out);
    rseq::rel_consistency(f, out);
    reason::reason_required_199(f, out);
    dialog::to_tag_199(f, out);
    option_tags::no_199_option_tag(f, out);
    body::no_sdp_199(f, out);
    // 3xx.
    contact::contact_expected_3xx(f, out);
    contact::no_expiry_302(f, out);
    contact::contact_proxy_305(f, out);
    body::body_expected_380(f, out);
    // 4xx: the headers a code requires, then what they hold, then the
    // per-code notes and method checks.
    auth::www_authenticate_401(f, out);
    allow::allow_required_405(f, out);
    auth::proxy_authenticate_407(f, out);
    capabilities::accept_headers_415(f, out);
    option_tags::unsupported_required_420(f, out);
    option_tags::require_listing_421(f, out);
    session_timer::min_se_required_422(f, out);
    expires::min_expires_423(f, out);
    allow_events::allow_events_489(f, out);
    sec_agree::security_server_494(f, out);
    auth::challenges(f, out);
    sec_agree::policy_require(f, out);
    status_code::reserved_402(f, out);
    method::non_invite_408(f, out);
    retry_after::retry_after_413(f, out);
    capabilities::accept_resource_priority_417(f, out);
    status_code::not_recommended_421(f, out);
    method::method_422(f, out);
    session_timer::min_se_value(f, out);
    error_headers::geolocation_error_424(f, out);
    error_headers::alertmsg_error_425(f, out);
    status_code::identity_4xx(f, out);
    status_code::referrer_429(f, out);
    method::register_only_439(f, out);
    capabilities::recv_info_469(f, out);
    error_headers::permission_missing_470(f, out);
    contact::contact_list_485(f, out);
    method::not_for_cancel_487(f, out);
    warning::warning_488(f, out);
    // Responses to one method, mostly 2xx.
    record_route::register_response(f, out);
    record_route::publish_response(f, out);
    contact::contact_in_publish(f, out);
    dialog::single_sip_uri(f, out);
    method::deprecated_202(f, out);
    method::subscribe_204(f, out);
    dialog::dialog_contact_2xx(f, out);
    capabilities::invite_allow_supported(f, out);
    contact::register_contact_expires(f, out);
    date::register_date(f, out);
    expires::subscribe_expires_2xx(f, out);
    sip_etag::publish_expires_etag(f, out);
    body::message_no_body_no_contact(f, out);
    capabilities::options_capabilities(f, out);
    contact::contact_in_bye_cancel(f, out);
    session_timer::session_expires_2xx(f, out);
    session_timer::refresher_uac_require_timer(f, out);
    // 5xx and 6xx.
    retry_after::retry_after_503(f, out);
    method::register_only_555(f, out);
    body::sdp_body_580(f, out);
    warning::warning_606(f, out);
    call_info::call_info_608(f, out);
    method::from_registrar_6xx(f, out);
    via::check(f, out);
    // The role verdicts after the Via rules, which read every Via value
    // once (the verdicts take those readings); a `Report` lists verdicts
    // after the defects anyway. `via-top-not-ours` (uac.rs) comes before
    // the proxy's own verdicts on the top Via, in the forwarder's order
    // (`Refusal::rule_ids`).
    uac::check(f, out);
    proxy::check(f, out);
    request::check(f, out);
}

/// The header parameters of a `name-addr / addr-spec` value followed by
/// `*(SEMI param)` (From, To, Contact, Reply-To: RFC 3261 §20.10, §20.20,
/// §20.39), as the typed [`NameAddr`] reads them. `None` when the value
/// does not parse: its syntax rule reports it, and the rules that read the
/// parameters stay silent rather than guess.
pub(crate) fn addr_params(v: &[u8], base: usize) -> Option<Params<'_>> {
    NameAddr::parse(v, base).ok().map(|n| n.params())
}

/// The `;` just before absolute offset `at` in value `raw` (at absolute
/// offset `base`), when there is one: the span of an empty parameter
/// (`<sip:a@b>;`, `;branch=z9hG4bK1;`, `;;`), which has no bytes of its
/// own. One answer for the address and the Via syntax rules.
pub(crate) fn empty_param_semicolon(raw: &[u8], base: usize, at: usize) -> Option<Span> {
    let i = at.checked_sub(base)?.checked_sub(1)?;
    (raw.get(i) == Some(&b';')).then(|| Span::new(at - 1, at))
}

/// The whole header parameter (`name=value`) that holds `part` (its value,
/// or a piece of it), inside value `raw` at absolute offset `base`: from
/// the first byte after the last `;` before `part` (a parameter name and
/// its `=` hold no `;`, so that one starts this parameter), LWS skipped, to
/// the end of `part`. `part` itself when no `;` comes before it.
pub(crate) fn param_span(raw: &[u8], base: usize, part: Span) -> Span {
    let before = raw
        .get(..part.start.saturating_sub(base))
        .unwrap_or_default();
    match memchr::memrchr(b';', before) {
        Some(semi) => {
            let name = base + (semi + 1 + lex::skip_lws(&before[semi + 1..], 0)).min(before.len());
            Span::new(name, part.end.max(name))
        }
        None => part,
    }
}

/// The value's span, or the row's when the value is empty.
pub(crate) fn value_or_row(h: &Header<'_>) -> Span {
    if h.value().is_empty() {
        h.span()
    } else {
        h.value_span()
    }
}

/// `1*DIGIT` as a number, `None` when not all digits; `Some(u64::MAX)`
/// stands for "too large for 64 bits" so range checks still fire.
pub(crate) fn delta(v: &[u8]) -> Option<u64> {
    if v.is_empty() || !v.iter().all(|b| lex::is_digit(*b)) {
        return None;
    }
    Some(lex::parse_u64(v).unwrap_or(u64::MAX))
}

/// Whether a header section's To carries a tag (see
/// [`Facts::to_has_tag`]); used on a request's headers.
pub(crate) fn headers_to_tag(h: &crate::header::Headers<'_>) -> Option<bool> {
    addr::to_tag(h)
}

/// Whether the body is, or holds, an SDP session description (see
/// [`body_has_type`]); `None` when its Content-Type does not parse.
pub(crate) fn has_sdp_body(resp: &Response<'_>) -> Option<bool> {
    body_has_type(resp.headers(), resp.body(), b"application/sdp")
}

/// Whether a message's body is, or holds, a body of type `media`
/// (`type/subtype`, lower case): a non-empty body whose Content-Type, read
/// by the typed [`ContentType`], is `media` (media types are
/// case-insensitive, RFC 3261 §7.4.1), or a `multipart/*` body (RFC 5621
/// §3: SIP carries several bodies as MIME multipart) one of whose parts
/// says `Content-Type: <media>` (see [`multipart_has_type`]). `None` when
/// the body is not empty and its Content-Type does not parse: that is
/// `content-type-syntax`'s, and the rules reading the body's type stay
/// silent. Works on a request's headers and body too.
pub(crate) fn body_has_type(
    h: &crate::header::Headers<'_>,
    body: &[u8],
    media: &[u8],
) -> Option<bool> {
    if body.is_empty() {
        return Some(false);
    }
    let Some(h) = h.get(KnownHeader::ContentType) else {
        return Some(false);
    };
    let ct = ContentType::parse(h.value(), h.value_span().start).ok()?;
    let slash = media.iter().position(|b| *b == b'/').unwrap_or(media.len());
    let (ty, sub) = (&media[..slash], media.get(slash + 1..).unwrap_or(&[]));
    let same = |a: &str, b: &[u8]| a.as_bytes().eq_ignore_ascii_case(b);
    if same(ct.media_type(), ty) && same(ct.subtype(), sub) {
        return Some(true);
    }
    if !same(ct.media_type(), b"multipart") {
        return Some(false);
    }
    let boundary = ct
        .params()
        .get("boundary")
        .and_then(|p| p.value_unquoted())
        .filter(|b| !b.is_empty());
    Some(multipart_has_type(body, boundary, media))
}

/// Most body parts [`multipart_has_type`] looks at.
const MAX_PARTS: usize = 64;

/// Whether a multipart body (RFC 2046 §5.1.1) has a part whose header says
/// `Content-Type: <media>`. A bounded heuristic over the part
/// headers, not a MIME parser: a delimiter is a line `--boundary`
/// (any line starting with `--` when the boundary is unknown), the part's
/// header lines follow it up to the first empty line, and only a
/// `Content-Type` line there is read (MIME has no compact form). Lines end
/// in LF with an optional CR; folded part headers are not unfolded; nested
/// multiparts count through their own delimiter lines only when the
/// boundary is unknown. At most [`MAX_PARTS`] parts are looked at.
pub(crate) fn multipart_has_type(body: &[u8], boundary: Option<&[u8]>, media: &[u8]) -> bool {
    let mut in_headers = false;
    let mut parts = 0;
    for line in body.split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Some(rest) = line.strip_prefix(b"--") {
            let after = match boundary {
                Some(b) => rest.strip_prefix(b),
                None => Some(rest),
            };
            if let Some(after) = after {
                if boundary.is_some() && after.starts_with(b"--") {
                    // The close delimiter: no part follows.
                    return false;
                }
                parts += 1;
                if parts > MAX_PARTS {
                    return false;
                }
                in_headers = true;
                continue;
            }
        }
        if !in_headers {
            continue;
        }
        if line.is_empty() {
            in_headers = false;
            continue;
        }
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (name, value) = (lex::trim_lws(&line[..colon]), &line[colon + 1..]);
        if !name.eq_ignore_ascii_case(b"content-type") {
            continue;
        }
        let end = value.iter().position(|b| *b == b';').unwrap_or(value.len());
        if lex::trim_lws(&value[..end]).eq_ignore_ascii_case(media) {
            return true;
        }
    }
    false
}

/// Where an empty entry of a list header (`a,,b`, `,a`, `a,`) shows, `at`
/// being its empty span in `src`: the comma that ends it, past any white
/// space, so that each empty entry has its own one-byte span; an empty
/// last entry (nothing after the comma) stays the empty span at its place.
pub(crate) fn empty_item_span(src: &[u8], at: Span) -> Span {
    let mut end = at.end;
    while src.get(end).is_some_and(|&b| lex::is_ws(b)) {
        end += 1;
    }
    if src.get(end) == Some(&b',') {
        Span::new(end, end + 1)
    } else {
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addr_params_finds_header_params_only() {
        // (value, tag value expected, absolute span of the tag param)
        type Case = (&'static [u8], Option<&'static [u8]>, Option<(usize, usize)>);
        let cases: [Case; 6] = [
            (
                b"Bob <sip:bob@x;tag=u>;tag=a6",
                Some(b"a6"),
                Some((122, 128)),
            ),
            (
                b"\"A; tag=x\" <sip:a@x>;tag=1",
                Some(b"1"),
                Some((121, 126)),
            ),
            (b"sip:bob@x;tag=9", Some(b"9"), Some((110, 115))),
            (b"<sip:bob@x>", None, None),
            (b"sip:bob@x", None, None),
            (b"Bob <sip:bob@x>;tag=1;tag=2", Some(b"1"), Some((116, 121))),
        ];
        for (v, tag, span) in cases {
            let p = addr_params(v, 100).expect("parses");
            let got = p.get("tag");
            assert_eq!(
                got.and_then(|t| t.value()),
                tag,
                "{:?}",
                String::from_utf8_lossy(v)
            );
            assert_eq!(got.map(|t| (t.span().start, t.span().end)), span);
        }
        // Malformed values give None rather than a guess.
        for v in [
            &b"Bob <sip:bob@x"[..],
            b"\"Bob <sip:b@x>",
            b"<sip:b@x>;=x",
            b"<sip:b@x> junk",
        ] {
            assert!(
                addr_params(v, 0).is_none(),
                "{:?}",
                String::from_utf8_lossy(v)
            );
        }
    }

    #[test]
    fn multipart_sdp_table() {
        let b = Some(&b"xyz"[..]);
        for (body, boundary, want) in [
            (
                &b"--xyz\r\nContent-Type: text/plain\r\n\r\nhi\r\n--xyz\r\ncontent-type : Application/SDP ; x=1\r\n\r\nv=0\r\n--xyz--\r\n"[..],
                b,
                true,
            ),
            // LF-only lines, unknown boundary.
            (b"--a\nContent-Type: application/sdp\n\nv=0\n--a--\n", None, true),
            // Only text parts.
            (b"--xyz\r\nContent-Type: text/plain\r\n\r\nv=0\r\n--xyz--\r\n", b, false),
            // application/sdp in a part's content, not its headers.
            (b"--xyz\r\n\r\nContent-Type: application/sdp\r\n--xyz--\r\n", b, false),
            // A part after the close delimiter does not count.
            (b"--xyz--\r\n--xyz\r\nContent-Type: application/sdp\r\n\r\n", b, false),
            // Another boundary's delimiter does not start a part.
            (b"--other\r\nContent-Type: application/sdp\r\n\r\n", b, false),
            // application/sdpx is another type.
            (b"--xyz\r\nContent-Type: application/sdpx\r\n\r\n", b, false),
            (b"", b, false),
        ] {
            assert_eq!(
                multipart_has_type(body, boundary, b"application/sdp"),
                want,
                "{:?}",
                String::from_utf8_lossy(body)
            );
        }
        // Past MAX_PARTS parts nothing more is read.
        let mut many = Vec::new();
        for _ in 0..MAX_PARTS {
            many.extend_from_slice(b"--xyz\r\nContent-Type: text/plain\r\n\r\nx\r\n");
        }
        let mut last = many.clone();
        last.extend_from_slice(b"--xyz\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n");
        assert!(!multipart_has_type(&last, b, b"application/sdp"));
        many.truncate(many.len() - 38);
        many.extend_from_slice(b"--xyz\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n");
        assert!(multipart_has_type(&many, b, b"application/sdp"));
    }

    #[test]
    fn empty_param_semicolon_spans_the_semicolon_only() {
        let raw = b"<sip:a@b>;;x";
        // After the first `;` (at 9; the value starts at 100): that `;`.
        assert_eq!(
            empty_param_semicolon(raw, 100, 110),
            Some(Span::new(109, 110))
        );
        assert_eq!(
            empty_param_semicolon(raw, 100, 111),
            Some(Span::new(110, 111))
        );
        // Not after a `;`, at the value's start, before it: none.
        assert_eq!(empty_param_semicolon(raw, 100, 112), None);
        assert_eq!(empty_param_semicolon(raw, 100, 100), None);
        assert_eq!(empty_param_semicolon(raw, 100, 50), None);
    }

    #[test]
    fn delta_table() {
        assert_eq!(delta(b"0"), Some(0));
        assert_eq!(delta(b"4294967296"), Some(4_294_967_296));
        assert_eq!(delta(b"99999999999999999999999"), Some(u64::MAX));
        for bad in [&b""[..], b"-1", b"1.5", b" 1", b"1h"] {
            assert_eq!(delta(bad), None);
        }
    }
}
