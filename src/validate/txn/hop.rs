//! Proxy hops: a response received by a proxy and the copy it sends
//! upstream with one Via less (RFC 3261 §16.7), and the checks between them.

use std::hash::{Hash, Hasher};
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use super::{
    fingerprint, hasher128, key128, name_key, same_proxy, small_hash, ContentHash, Digest,
    Expiring, Head, Recent, Sighting, TxnConfig, TxnTracker,
};

/// A kept header value: its header ([`name_key`]) in the top 8 bits, 24
/// bits of its row's hash below, so that the rows of one header can be
/// counted ([`Shape::removes_values_of`]) without more memory per value.
/// A collision can only hide a change, never invent one.
fn kept_value(row: &crate::header::Header<'_>, row_hash: u64) -> u32 {
    u32::from(name_key(row)) << 24 | (row_hash as u32 & 0x00ff_ffff)
}
use crate::header::typed::ToHeader;
use crate::header::KnownHeader;
use crate::message::Response;
use crate::span::Span;
use crate::validate::catalogue::Rule;
use crate::validate::finding::{Detail, DetailArg, Severity};
use crate::validate::table::r;
use crate::validate::{Emitter, FindingSink};

impl TxnTracker {
    /// The responses a proxy received that `shape`, sent as `seen`, may be
    /// a copy of: one Via more, received before on the address it is sent
    /// from (or on one of the named proxy's).
    pub(super) fn received<'s>(
        &'s self,
        shape: &Shape,
        seen: &'s Sighting,
    ) -> impl Iterator<Item = &'s Inbound> + 's {
        let proxy =
            move |received_on: IpAddr| same_proxy(&self.proxies, received_on, seen.src.ip());
        self.hops
            .open
            .get(&shape.full)
            .into_iter()
            .flat_map(|hop| hop.inbound.iter())
            .filter(move |i| proxy(i.received_on) && i.at <= seen.at)
    }

    /// Whether `shape` is a proxy's copy of a response it received: same
    /// code and To tag, one Via less.
    pub(super) fn is_copy(&self, shape: &Shape, seen: &Sighting) -> bool {
        self.received(shape, seen)
            .any(|i| i.code == shape.code && i.to_tag == shape.to_tag)
    }

    /// The proxy-hop checks: `resp` as forwarded (matched against the
    /// responses received with one Via more), then kept as one a proxy may
    /// forward.
    pub(super) fn hop<S: FindingSink + ?Sized>(
        &mut self,
        resp: &Response<'_>,
        shape: Shape,
        seen: &Sighting,
        retransmission: bool,
        out: &mut Emitter<'_, S>,
    ) {
        if !retransmission {
            let stateless = self.sent_by_stateless(seen);
            check_forwarded(&shape, self.received(&shape, seen), stateless, resp, out);
        }
        if let Some(minus_top) = shape.minus_top {
            let now = self.now;
            let hop = self
                .hops
                .entry(minus_top, now, self.config.max_transactions);
            hop.last = hop.last.max(seen.at);
            let inbound = shape.inbound(seen);
            if !hop.inbound.contains(&inbound) {
                hop.inbound.push(inbound);
            }
        }
    }
}

/// The rules checked on a proxy hop (this file).
pub(super) const RULES: [Rule; 9] = [
    crate::validate::rules::R_100_NOT_FORWARDED,
    r::PROXY_TO_TAG_IMMUTABLE,
    r::PROXY_NO_BODY_CHANGE,
    r::PROXY_503_FORWARD,
    r::PROXY_424_UNCHANGED,
    r::PROXY_PATH_SERVICE_ROUTE_UNALTERED,
    r::PROXY_ALLOW_EVENTS_INSERT,
    r::PROXY_BEST_RESPONSE,
    r::PROXY_AUTH_AGGREGATION,
];

/// How many header values of a received response are kept, to tell
/// whether its forwarded copy removed or changed one.
const KEPT_VALUES: usize = 24;
/// How many header values of a response are looked at; past it the
/// no-change comparison is skipped rather than guessed.
const MAX_VALUES: usize = 64;

/// A response received by a possible proxy, as far as comparing it with
/// the copy the proxy forwards goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Inbound {
    at: Duration,
    received_on: IpAddr,
    code: u16,
    to_tag: u64,
    to_value: u64,
    body: u64,
    /// Its header values (name and value, [`kept_value`]), Via, To and
    /// Record-Route aside; the first [`KEPT_VALUES`].
    values: [u32; KEPT_VALUES],
    n_values: u8,
    /// How many Record-Route values it has (saturating).
    record_routes: u8,
    /// Whether it has a header value not copied from the request (a
    /// Server, a Contact...): a 100 without one cannot be told from the
    /// proxy's own.
    own_values: bool,
    /// Hash of its Geolocation and Geolocation-Error values, in order.
    geo: u64,
    /// Hash of its Path and Service-Route values, in order.
    routes: u64,
    allow_events: bool,
    /// Which of `values` are challenges (WWW- or Proxy-Authenticate), by
    /// bit.
    challenges: u32,
}

impl Default for Inbound {
    fn default() -> Self {
        Inbound {
            at: Duration::ZERO,
            received_on: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            code: 0,
            to_tag: 0,
            to_value: 0,
            body: 0,
            values: [0; KEPT_VALUES],
            n_values: 0,
            record_routes: 0,
            own_values: false,
            geo: 0,
            routes: 0,
            allow_events: false,
            challenges: 0,
        }
    }
}

/// The responses received with one Via more than a given Via stack: what a
/// proxy may forward as a response with that stack.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Hop {
    last: Duration,
    inbound: Recent<Inbound, 4>,
}

impl Expiring for Hop {
    fn expires_at(&self, config: &TxnConfig) -> Duration {
        self.last.saturating_add(config.expiry)
    }
}

/// What the hop checks compare of a response.
pub(super) struct Shape {
    /// Call-ID, CSeq and every Via value.
    full: u128,
    /// The same without the top Via (when there are two or more).
    minus_top: Option<u128>,
    code: u16,
    to_tag: u64,
    to_value: u64,
    body: u64,
    values: [u32; MAX_VALUES],
    n_values: usize,
    /// More than [`MAX_VALUES`] header values.
    overflow: bool,
    /// How many Record-Route values it has (saturating): they are not
    /// among the kept values, since the proxy may rewrite its own (§16.7
    /// step 8), but none may go (step 9).
    record_routes: u8,
    own_values: bool,
    geo: u64,
    routes: u64,
    allow_events: bool,
    /// Which of the first [`KEPT_VALUES`] values are challenges, by bit.
    challenges: u32,
    /// A response to REGISTER.
    register: bool,
}

impl Shape {
    /// The shape of `resp`, and its [`Digest`], read in the same walk over
    /// its rows; `head` is what the tracker already read of it (Call-ID,
    /// CSeq).
    pub(super) fn of(resp: &Response<'_>, head: &Head<'_>) -> Option<(Shape, Digest)> {
        let h = resp.headers();
        let call_id = head.call_id?;
        let cseq = h.get(KnownHeader::CSeq)?.value();
        let mut full = hasher128(6);
        let mut minus = hasher128(6);
        for p in [&mut full, &mut minus] {
            call_id.hash(p);
            cseq.trim_ascii().hash(p);
        }
        let mut vias = 0usize;
        for via in h.elements(KnownHeader::Via) {
            via.bytes.hash(&mut full);
            if vias > 0 {
                via.bytes.hash(&mut minus);
            }
            vias += 1;
        }
        let mut content = ContentHash::start(resp);
        let mut shape = Shape {
            full: key128(&full),
            minus_top: (vias >= 2).then(|| key128(&minus)),
            code: resp.status().as_u16(),
            to_tag: 0,
            to_value: h
                .get(KnownHeader::To)
                .map_or(0, |t| small_hash(8, t.value().trim_ascii())),
            body: small_hash(9, resp.body()),
            values: [0; MAX_VALUES],
            n_values: 0,
            overflow: false,
            record_routes: 0,
            own_values: false,
            geo: 0,
            routes: 0,
            allow_events: h.contains(KnownHeader::AllowEvents),
            challenges: 0,
            register: head.method == b"REGISTER",
        };
        let mut geo = fingerprint(11);
        let mut routes = fingerprint(12);
        // A proxy removes from a 3xx the contacts it recursed on (§16.7
        // step 4): a 3xx's Contact values are not compared.
        let redirect = (300..400).contains(&shape.code);
        for row in h.rows() {
            // One hash of the row serves the content hash and the kept
            // values.
            let row_hash = super::row_hash(&row);
            content.row_hashed(&row, row_hash);
            let known = row.known();
            if known == Some(KnownHeader::RecordRoute) {
                // Values, not rows: a proxy may join rows into one list
                // (§7.3.1).
                let n = row.elements().count();
                shape.record_routes = shape.record_routes.saturating_add(n.min(255) as u8);
                continue;
            }
            if matches!(known, Some(KnownHeader::Via | KnownHeader::To))
                || (redirect && known == Some(KnownHeader::Contact))
            {
                continue;
            }
            if shape.n_values == MAX_VALUES {
                // Past the kept values only the content hash reads on.
                shape.overflow = true;
                continue;
            }
            shape.values[shape.n_values] = kept_value(&row, row_hash);
            shape.n_values += 1;
            // What a response copies from its request (RFC 3261 §8.2.6.2),
            // or a 100 from the request it answers (§8.2.6.1).
            let copied = matches!(
                known,
                Some(
                    KnownHeader::From
                        | KnownHeader::CallId
                        | KnownHeader::CSeq
                        | KnownHeader::ContentLength
                        | KnownHeader::Timestamp
                )
            );
            shape.own_values |= !copied;
            if matches!(
                known,
                Some(KnownHeader::WwwAuthenticate | KnownHeader::ProxyAuthenticate)
            ) && shape.n_values <= KEPT_VALUES
            {
                shape.challenges |= 1 << (shape.n_values - 1);
            }
            match known {
                Some(KnownHeader::Geolocation | KnownHeader::GeolocationError) => {
                    shape.values[shape.n_values - 1].hash(&mut geo)
                }
                Some(KnownHeader::Path | KnownHeader::ServiceRoute) => {
                    shape.values[shape.n_values - 1].hash(&mut routes)
                }
                _ => {}
            }
        }
        shape.geo = geo.finish();
        shape.routes = routes.finish();
        let digest = Digest::with(resp, content);
        shape.to_tag = digest.to_tag;
        Some((shape, digest))
    }

    pub(super) fn inbound(&self, seen: &Sighting) -> Inbound {
        let n = self.n_values.min(KEPT_VALUES);
        let mut values = [0; KEPT_VALUES];
        values[..n].copy_from_slice(&self.values[..n]);
        Inbound {
            at: seen.at,
            received_on: seen.dst.ip(),
            code: self.code,
            to_tag: self.to_tag,
            to_value: self.to_value,
            body: self.body,
            values,
            n_values: n as u8,
            record_routes: self.record_routes,
            own_values: self.own_values,
            geo: self.geo,
            routes: self.routes,
            allow_events: self.allow_events,
            challenges: self.challenges,
        }
    }

    /// True when a header value `i` kept is missing here and its header
    /// has fewer rows here than in `i`: the value was removed (§16.7 step
    /// 9: "MUST NOT remove any header field values other than the Via").
    /// A value that another of the same header replaced is a rewrite,
    /// which step 9 leaves to the proxy ("any feature-specific
    /// manipulations": a NAT fix-up of Contact); only the count of the
    /// header's rows tells the two apart. Past [`MAX_VALUES`] nothing is
    /// compared. Record-Route values are counted instead: fewer than
    /// received is a value removed.
    fn removes_values_of(&self, i: &Inbound) -> bool {
        let (here, kept) = (
            &self.values[..self.n_values],
            &i.values[..i.n_values as usize],
        );
        let rows = |values: &[u32], v: u32| values.iter().filter(|&&w| w >> 24 == v >> 24).count();
        self.record_routes < i.record_routes
            || !self.overflow
                && kept
                    .iter()
                    .any(|&v| !here.contains(&v) && rows(here, v) < rows(kept, v))
    }

    /// True when every header value `i` kept is in this response.
    fn keeps_values_of(&self, i: &Inbound) -> bool {
        !self.overflow
            && i.values[..i.n_values as usize]
                .iter()
                .all(|v| self.values[..self.n_values].contains(v))
    }
}

/// The checks on a response a proxy forwarded, given the responses it
/// received with one Via more (RFC 3261 §16.7). A `stateless` proxy
/// (§16.11, which lifts §16.7) is held to the content checks only.
fn check_forwarded<'i, S: FindingSink + ?Sized>(
    shape: &Shape,
    inbound: impl Iterator<Item = &'i Inbound>,
    stateless: bool,
    resp: &Response<'_>,
    out: &mut Emitter<'_, S>,
) {
    let mut slots = [None; 4];
    for (slot, i) in slots.iter_mut().zip(inbound) {
        *slot = Some(i);
    }
    let cands = || slots.iter().flatten().copied();
    if cands().next().is_none() {
        return;
    }
    let code_span = Some(resp.code_span());
    let unchanged = |i: &Inbound| {
        i.body == shape.body && i.to_value == shape.to_value && shape.keeps_values_of(i)
    };
    let same = || cands().filter(|i| i.code == shape.code && i.to_tag == shape.to_tag);
    // §16.7 step 5: a 100 is never forwarded. Only a copy of a 100 that
    // carries something of its sender's own is told from the proxy's own.
    if shape.code == 100 {
        if !stateless && same().any(|i| i.own_values && unchanged(i)) {
            crate::validate::rules::forwarded_100_seen(out, code_span);
        }
        return;
    }
    if same().next().is_some() {
        // The received copy it differs least from.
        let differences = |i: &Inbound| {
            [
                i.body != shape.body,
                i.to_value != shape.to_value,
                shape.removes_values_of(i),
                i.geo != shape.geo,
                i.routes != shape.routes,
                shape.allow_events && !i.allow_events,
            ]
        };
        let Some(best) = same().min_by_key(|i| differences(i).iter().filter(|d| **d).count())
        else {
            return;
        };
        // A To value rewritten only picks the closest received copy: it is
        // the proxy's to change (below).
        let [body, _to, removed, geo, routes, allow_events] = differences(best);
        let mut named = false;
        // RFC 6442 §4.3: location data of a 424 stays as received.
        if shape.code == 424 && (geo || body) {
            out.emit(
                r::PROXY_424_UNCHANGED,
                code_span,
                Detail::new("the forwarded 424 has other Geolocation, Geolocation-Error or body than the one received"),
            );
            named = true;
        }
        // RFC 3327 §5.2, RFC 3608 §6: Path and Service-Route of a 2xx to
        // REGISTER stay as received.
        if shape.register && (200..300).contains(&shape.code) && routes {
            out.emit(
                r::PROXY_PATH_SERVICE_ROUTE_UNALTERED,
                code_span,
                Detail::new("the forwarded 2xx to REGISTER has other Path or Service-Route values than the one received"),
            );
            named = true;
        }
        // RFC 6665 §4.4.4: no Allow-Events inserted.
        if allow_events {
            out.emit(
                r::PROXY_ALLOW_EVENTS_INSERT,
                code_span,
                Detail::new("the proxy inserted an Allow-Events header"),
            );
        }
        // §16.7 step 9: the body stays, and no header value but the top
        // Via goes; a value rewritten (To's URI, Contact) is the proxy's
        // to change.
        if !named && !shape.overflow && (body || removed) {
            out.emit(
                r::PROXY_NO_BODY_CHANGE,
                code_span,
                Detail::new(if body {
                    "the forwarded copy has another body than the response received"
                } else {
                    "the forwarded copy removed a header value other than the top Via"
                }),
            );
        }
    } else if !stateless && (101..300).contains(&shape.code) {
        // §16.7 step 6: the same response with another To tag (a rule of
        // the stateful proxy's response processing).
        let retagged = cands()
            .find(|i| i.code == shape.code && i.body == shape.body && shape.keeps_values_of(i));
        if let Some(i) = retagged {
            let span = resp
                .headers()
                .typed_lax_all::<ToHeader<'_>>()
                .next()
                .and_then(|t| t.tag_span())
                .or(code_span);
            out.emit(
                r::PROXY_TO_TAG_IMMUTABLE,
                span,
                Detail::new(if i.to_tag == 0 {
                    "the proxy added a To tag the response it received lacked"
                } else {
                    "the proxy changed the To tag of the response it received"
                }),
            );
        }
    }
    if stateless {
        return;
    }
    // §16.7 step 6: a 503 received is forwarded as 500.
    if shape.code == 503 && cands().any(|i| i.code == 503) {
        out.emit(
            r::PROXY_503_FORWARD,
            code_span,
            Detail::new(
                "the proxy forwarded a 503 it received (send 500 unless every branch would fail)",
            ),
        );
    }
    if shape.code >= 300 {
        check_best_response(shape.code, cands(), code_span, out);
    }
    // §16.7 step 7: a 401 or 407 sent carries every challenge of the 401s
    // and 407s received.
    if matches!(shape.code, 401 | 407) && !shape.overflow {
        let lost = cands().filter(|i| matches!(i.code, 401 | 407)).any(|i| {
            (0..i.n_values as usize)
                .filter(|k| i.challenges & (1 << k) != 0)
                .any(|k| !shape.values[..shape.n_values].contains(&i.values[k]))
        });
        if lost {
            out.emit(
                r::PROXY_AUTH_AGGREGATION,
                code_span,
                Detail::new("the 401/407 sent lacks a WWW-Authenticate or Proxy-Authenticate value of one the proxy received"),
            );
        }
    }
}

/// The 4xx a proxy should prefer among 4xx (RFC 3261 §16.7 step 6).
const PREFERRED_4XX: [u16; 5] = [401, 407, 415, 420, 484];

/// §16.7 step 6, over the branches the capture shows: the final a proxy
/// sends (`sent`, 300–699) must be a 6xx when it received one, should be
/// of the lowest class received (3xx aside: the proxy may have recursed on
/// them), and among 4xx should be 401, 407, 415, 420 or 484 when one came.
/// Branches the capture lacks can only hide a finding: none of them makes
/// another choice right.
fn check_best_response<'i, S: FindingSink + ?Sized>(
    sent: u16,
    received: impl Iterator<Item = &'i Inbound> + Clone,
    code_span: Option<Span>,
    out: &mut Emitter<'_, S>,
) {
    let finals = || received.clone().filter(|i| i.code >= 300).map(|i| i.code);
    if sent >= 600 {
        return;
    }
    if let Some(six) = finals().find(|c| *c >= 600) {
        out.emit_at(
            r::PROXY_BEST_RESPONSE,
            Severity::Error,
            code_span,
            Detail::with(
                "the proxy received a 6xx but sent another final response; the 6xx was",
                DetailArg::Number(six.into()),
            ),
        );
        return;
    }
    let lowest = finals().filter(|c| c / 100 != 3).map(|c| c / 100).min();
    if let Some(class) = lowest {
        if sent / 100 != 3 && sent / 100 > class {
            out.emit_at(
                r::PROXY_BEST_RESPONSE,
                Severity::Warning,
                code_span,
                Detail::with("the proxy sent a final response of a higher class than one it received, of class", DetailArg::Number(class.into())),
            );
            return;
        }
    }
    if sent / 100 == 4 && !PREFERRED_4XX.contains(&sent) {
        if let Some(better) = finals().find(|c| PREFERRED_4XX.contains(c)) {
            out.emit_at(
                r::PROXY_BEST_RESPONSE,
                Severity::Warning,
                code_span,
                Detail::with(
                    "the proxy did not prefer the 4xx that asks the UAC for something, received as",
                    DetailArg::Number(better.into()),
                ),
            );
        }
    }
}
