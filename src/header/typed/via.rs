//! One Via element (RFC 3261 §20.42, §25.1; RFC 3581 `rport`):
//!
//! ```text
//! via-parm          = sent-protocol LWS sent-by *( SEMI via-params )
//! via-params        = via-ttl / via-maddr / via-received / via-branch
//!                     / via-extension
//! sent-protocol     = protocol-name SLASH protocol-version SLASH transport
//! SLASH             = SWS "/" SWS
//! sent-by           = host [ COLON port ]      ; COLON = SWS ":" SWS
//! via-ttl           = "ttl" EQUAL ttl          ; ttl = 1*3DIGIT (0-255)
//! via-received      = "received" EQUAL (IPv4address / IPv6address)
//! via-branch        = "branch" EQUAL token
//! response-port     = "rport" [EQUAL 1*DIGIT]  ; RFC 3581 §3
//! ```
//!
//! Choices:
//! - LWS (folds included) around `/` and `:` is accepted, as the grammar
//!   allows (RFC 4475 §3.1.1.1 `wsinv`); any transport token is accepted
//!   (RFC 4475 §3.1.1.10 `transports`); `SIP/2.0` is not enforced here
//!   (rule `via-sent-protocol` reports it).
//! - `received`, `ttl` and `maddr` are kept raw so a bad value is a
//!   validator finding (`via-received-syntax`, `via-ttl-range`) rather than a
//!   lost Via: the Via is what routes the response.
//! - `branch` without a value and `rport` with a value that is not a port do
//!   not match their ABNF and fail (`BadParam`, `BadPort`), because their
//!   values are used for transaction matching and response routing.
//! - Empty parameters (`;;`, RFC 4475 §3.1.2.1 `badinv01`) fail with
//!   `BadParam`; an empty element (from `,,`) fails with `Empty`.
//!
//! ```
//! use sip_response::header::typed::{TypedHeader, Via};
//!
//! // One element of a folded Via row (RFC 4475 `wsinv`), at offset 100.
//! let v = Via::parse(b"SIP  / 2.0  / TCP spindle.example.com ;\r\n branch = z9hG4bK9ikj8", 100)?;
//! assert_eq!(v.transport(), b"TCP");
//! assert_eq!(v.sent_by().host().as_str(), "spindle.example.com");
//! assert_eq!(v.branch(), Some(&b"z9hG4bK9ikj8"[..]));
//! assert!(v.has_magic_cookie());
//! assert_eq!(v.branch_span().map(|s| s.start), Some(100 + 51));
//! # Ok::<(), sip_response::HeaderValueError>(())
//! ```

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar::Cursor;
use crate::grammar::{self, Defect, Defects, Part};
use crate::header::param::{
    read_common_params, scan_params_lax_noting, KnownParam, LaxParams, Param, Params,
};
use crate::header::typed::host::{is_ip_address, scan_hostport, HostPort};
use crate::header::typed::scan::{self, digit_param};
use crate::header::typed::{LaxHeader, LaxReading, TypedHeader};
use crate::header::KnownHeader;
use crate::lex;
use crate::Span;

/// The RFC 3261 branch prefix (§8.1.1.7), compared case-sensitively.
pub const MAGIC_COOKIE: &[u8] = b"z9hG4bK";

/// One Via element: the hop a request took, which the response retraces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Via<'a> {
    raw: &'a [u8],
    base: usize,
    name: (usize, usize),
    version: (usize, usize),
    transport: (usize, usize),
    sent_by: HostPort<'a>,
    params: Params<'a>,
    branch: Option<Param<'a>>,
    rport: Option<(Param<'a>, Option<u16>)>,
}

impl<'a> Via<'a> {
    fn part(&self, r: (usize, usize)) -> &'a [u8] {
        self.raw.get(r.0..r.1).unwrap_or(&[])
    }

    fn span_of(&self, r: (usize, usize)) -> Span {
        Span::new(self.base + r.0, self.base + r.1)
    }

    /// The protocol name as sent (`SIP`).
    pub fn protocol_name(&self) -> &'a [u8] {
        self.part(self.name)
    }

    /// Absolute span of the protocol name.
    pub fn protocol_name_span(&self) -> Span {
        self.span_of(self.name)
    }

    /// The protocol version as sent (`2.0`).
    pub fn protocol_version(&self) -> &'a [u8] {
        self.part(self.version)
    }

    /// Absolute span of the protocol version.
    pub fn protocol_version_span(&self) -> Span {
        self.span_of(self.version)
    }

    /// The transport token as sent (`UDP`, `TCP`, ... or any token).
    pub fn transport(&self) -> &'a [u8] {
        self.part(self.transport)
    }

    /// Absolute span of the transport.
    pub fn transport_span(&self) -> Span {
        self.span_of(self.transport)
    }

    /// True when sent-protocol is `SIP/2.0/...` (names compared
    /// case-insensitively, RFC 3261 §7.1 and §20.42).
    pub fn is_sip_2_0(&self) -> bool {
        self.protocol_name().eq_ignore_ascii_case(b"SIP") && self.protocol_version() == b"2.0"
    }

    /// The `sent-by` host and port.
    pub fn sent_by(&self) -> HostPort<'a> {
        self.sent_by
    }

    /// All via-params, in order.
    pub fn params(&self) -> Params<'a> {
        self.params
    }

    /// The first parameter named `name` (case-insensitive).
    pub fn param(&self, name: &str) -> Option<Param<'a>> {
        self.params.get(name)
    }

    /// The `branch` value (RFC 3261 §8.1.1.7), if present.
    pub fn branch(&self) -> Option<&'a [u8]> {
        self.branch.and_then(|p| p.value())
    }

    /// Absolute span of the `branch` value.
    pub fn branch_span(&self) -> Option<Span> {
        self.branch.and_then(|p| p.value_span())
    }

    /// True when the branch starts with `z9hG4bK`, case-sensitively
    /// (RFC 3261 §8.1.1.7).
    pub fn has_magic_cookie(&self) -> bool {
        self.branch().is_some_and(|b| b.starts_with(MAGIC_COOKIE))
    }

    fn value(&self, name: &str) -> Option<(&'a [u8], Span)> {
        let p = self.params.get(name)?;
        Some((p.value()?, p.value_span()?))
    }

    /// The `received` value as sent (RFC 3261 §18.2.1).
    pub fn received(&self) -> Option<&'a [u8]> {
        self.value("received").map(|v| v.0)
    }

    /// Absolute span of the `received` value.
    pub fn received_span(&self) -> Option<Span> {
        self.value("received").map(|v| v.1)
    }

    /// Whether `received` is a bare IPv4 or IPv6 address; a bracketed IPv6
    /// value is `false` (rule `via-received-syntax`, RFC 5118 §4.5). `None`
    /// when there is no `received` value.
    pub fn received_is_ip(&self) -> Option<bool> {
        self.received().map(is_ip_address)
    }

    /// The `rport` parameter (RFC 3581): `None` when absent, `Some(None)`
    /// when present without a value (as a client sends it), `Some(Some(p))`
    /// when a server filled in the source port.
    pub fn rport(&self) -> Option<Option<u16>> {
        self.rport.map(|(_, v)| v)
    }

    /// Absolute span of the `rport` name (the parameter may have no value).
    pub fn rport_span(&self) -> Option<Span> {
        self.rport.map(|(p, _)| p.span())
    }

    /// The `maddr` value as sent (RFC 3261 §18.2.2).
    pub fn maddr(&self) -> Option<&'a [u8]> {
        self.value("maddr").map(|v| v.0)
    }

    /// Absolute span of the `maddr` value.
    pub fn maddr_span(&self) -> Option<Span> {
        self.value("maddr").map(|v| v.1)
    }

    /// The `ttl` value as sent.
    pub fn ttl_raw(&self) -> Option<&'a [u8]> {
        self.value("ttl").map(|v| v.0)
    }

    /// The `ttl` parameter as 0..=255 (RFC 3261 §25.1 `ttl = 1*3DIGIT`):
    /// `None` when absent, a located error otherwise (rule `via-ttl-range`).
    pub fn ttl(&self) -> Option<Result<u8, HeaderValueError>> {
        let p = self.params.get("ttl")?;
        // `1*3DIGIT`: a fourth digit is out of range even when it is a
        // leading zero.
        let width_ok = p.value().is_some_and(|v| v.len() <= 3);
        Some(digit_param(&p, |t| u8::try_from(t).ok().filter(|_| width_ok)).map(|(t, _)| t))
    }

    /// Absolute span of the whole element.
    pub fn span(&self) -> Span {
        Span::new(self.base, self.base + self.raw.len())
    }
}

/// Reads `sent-protocol` at the cursor with the grammar's production
/// ([`sent_protocol`]): the name, version and transport as ranges of the
/// value. The strict parser and the lax reading both read it here, and a
/// failure is told the same way to both (see [`sent_protocol_error`]).
fn read_sent_protocol(
    cur: &mut Cursor<'_>,
) -> Result<[(usize, usize); 3], nom::Err<nom::error::Error<usize>>> {
    let pstart = cur.pos;
    let i = cur.rest();
    match sent_protocol(i) {
        Ok((rest, ranges)) => {
            cur.pos = pstart + grammar::offset(i, rest);
            Ok(ranges.map(|(a, b)| (pstart + a, pstart + b)))
        }
        Err(e) => {
            Err(e.map(|x| nom::error::Error::new(pstart + grammar::offset(i, x.input), x.code)))
        }
    }
}

/// What a failed sent-protocol is, and where (relative to `value`): a
/// missing piece at the end is `Missing`, a missing `/` is
/// `UnexpectedChar`, a piece that is not a token `ExpectedToken`.
fn sent_protocol_error(
    value: &[u8],
    e: &nom::Err<nom::error::Error<usize>>,
) -> (HeaderValueErrorKind, usize, bool) {
    use HeaderValueErrorKind as K;
    let (at, slash_missing) = match e {
        nom::Err::Error(x) | nom::Err::Failure(x) => {
            (x.input, x.code == nom::error::ErrorKind::Char)
        }
        nom::Err::Incomplete(_) => (value.len(), false),
    };
    let kind = if at >= value.len() {
        K::Missing
    } else if slash_missing {
        K::UnexpectedChar
    } else {
        K::ExpectedToken
    };
    (kind, at, slash_missing)
}

impl<'a> TypedHeader<'a> for Via<'a> {
    const NAME: KnownHeader = KnownHeader::Via;

    fn parse(value: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        use HeaderValueErrorKind as K;
        let mut cur = Cursor::new(value, base);
        cur.skip_lws();
        if cur.at_end() {
            return Err(cur.err(K::Empty));
        }
        let [name, version, transport] = read_sent_protocol(&mut cur).map_err(|e| {
            let (kind, at, _) = sent_protocol_error(value, &e);
            HeaderValueError::new(kind, base + at)
        })?;
        let before = cur.pos;
        cur.skip_lws();
        if cur.at_end() {
            return Err(cur.err(K::Missing));
        }
        if cur.pos == before {
            return Err(cur.err(K::UnexpectedChar));
        }
        let sent_by = scan_hostport(&mut cur, true)?;
        let mut notes = [None; 2];
        let params =
            crate::header::param::scan_params_noting(&mut cur, &["branch", "rport"], &mut notes)?;
        cur.skip_lws();
        if !cur.at_end() {
            return Err(cur.err(K::Trailing));
        }
        let [branch, rport] = notes;
        let branch = match branch {
            Some(p) if p.value().is_some_and(lex::is_token_str) => Some(p),
            Some(p) => return Err(HeaderValueError::new(K::BadParam, p.name_span().start)),
            None => None,
        };
        let rport = match rport {
            None => None,
            Some(p) => match (p.value(), p.value_span()) {
                (Some(v), Some(sp)) => {
                    let port = scan::port(v).ok_or(HeaderValueError::new(K::BadPort, sp.start))?;
                    Some((p, Some(port)))
                }
                _ => Some((p, None)),
            },
        };
        Ok(Via {
            raw: value,
            base,
            name,
            version,
            transport,
            sent_by,
            params,
            branch,
            rport,
        })
    }
}

/// The parameters of a Via with a production of their own, and the part
/// a defect of each is filed under. The lax reading notes the first of
/// each in [`ViaLax`]'s `known`, in this order.
const VIA_KNOWN: &[(&str, Part)] = &[
    ("branch", Part::Branch),
    ("received", Part::Received),
    ("rport", Part::Rport),
    ("ttl", Part::Ttl),
    ("maddr", Part::Maddr),
];

/// A lax reading of one Via element ([`Via::parse_lax`]): every part that
/// reads, and the located [`Defects`] of the others. A `branch` that is not
/// a token leaves sent-protocol, sent-by and the other parameters readable,
/// and is one [`Part::Branch`] defect with the span of its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ViaLax<'a> {
    raw: &'a [u8],
    base: usize,
    /// name, version, transport (relative ranges), when sent-protocol reads.
    protocol: Option<[(usize, usize); 3]>,
    sent_by: Option<HostPort<'a>>,
    params: LaxParams<'a>,
    /// The first branch, received, rport, ttl, maddr ([`VIA_KNOWN`]'s
    /// order), noted by the one scan of the parameters so the accessors do
    /// not read them again.
    known: [KnownParam; VIA_KNOWN.len()],
    /// The first parameter a later one repeats, found by the one scan.
    repeated: Option<Span>,
    defects: Defects,
}

/// Indexes into [`ViaLax`]'s `known` (the order of [`VIA_KNOWN`]).
const BRANCH: usize = 0;
const RECEIVED: usize = 1;
const RPORT: usize = 2;
const TTL: usize = 3;
const MADDR: usize = 4;

impl<'a> ViaLax<'a> {
    /// The value span of the known parameter `k` when it is present and
    /// valid (`Some(None)`: present without a value).
    fn known_span(&self, k: usize) -> Option<Option<Span>> {
        self.known[k].valid_value()
    }

    /// The bytes of the known parameter `k`'s valid value.
    fn known_value(&self, k: usize) -> Option<&'a [u8]> {
        let sp = self.known_span(k)??;
        self.raw.get(sp.start - self.base..sp.end - self.base)
    }

    fn part(&self, k: usize) -> Option<&'a [u8]> {
        self.protocol.and_then(|p| self.raw.get(p[k].0..p[k].1))
    }

    fn span_of(&self, k: usize) -> Option<Span> {
        self.protocol
            .map(|p| Span::new(self.base + p[k].0, self.base + p[k].1))
    }

    /// The defects found, in the order of the value (empty for a valid Via).
    pub fn defects(&self) -> &Defects {
        &self.defects
    }

    /// The protocol name (`SIP`), when sent-protocol reads.
    pub fn protocol_name(&self) -> Option<&'a [u8]> {
        self.part(0)
    }

    /// The protocol version (`2.0`), when sent-protocol reads.
    pub fn protocol_version(&self) -> Option<&'a [u8]> {
        self.part(1)
    }

    /// The transport, when sent-protocol reads.
    pub fn transport(&self) -> Option<&'a [u8]> {
        self.part(2)
    }

    /// Absolute span of the transport.
    pub fn transport_span(&self) -> Option<Span> {
        self.span_of(2)
    }

    /// Absolute span of the whole sent-protocol (`SIP/2.0/UDP`), when it reads.
    pub fn sent_protocol_span(&self) -> Option<Span> {
        Some(Span::new(self.span_of(0)?.start, self.span_of(2)?.end))
    }

    /// `Some(true)` when sent-protocol is `SIP/2.0/...` (see
    /// [`Via::is_sip_2_0`]); `None` when it does not read.
    pub fn is_sip_2_0(&self) -> Option<bool> {
        Some(
            self.protocol_name()?.eq_ignore_ascii_case(b"SIP")
                && self.protocol_version()? == b"2.0",
        )
    }

    /// The sent-by host and port, when they read.
    pub fn sent_by(&self) -> Option<HostPort<'a>> {
        self.sent_by
    }

    /// The well-formed parameters (malformed ones are defects).
    pub fn params(&self) -> LaxParams<'a> {
        self.params
    }

    /// The span of the first well-formed parameter whose name a later one
    /// repeats (case-insensitive), noted while reading, so that
    /// `header-param-repeated` walks nothing again.
    pub(crate) fn repeated_param(&self) -> Option<Span> {
        self.repeated
    }

    /// The `branch` value, when present and a token.
    pub fn branch(&self) -> Option<&'a [u8]> {
        self.known_value(BRANCH)
    }

    /// Absolute span of the valid `branch` value.
    pub fn branch_span(&self) -> Option<Span> {
        self.known_span(BRANCH)?
    }

    /// True when the valid branch starts with `z9hG4bK` (case-sensitive).
    pub fn has_magic_cookie(&self) -> bool {
        self.branch().is_some_and(|b| b.starts_with(MAGIC_COOKIE))
    }

    /// The `received` value when it is a bare IP address.
    pub fn received(&self) -> Option<&'a [u8]> {
        self.known_value(RECEIVED)
    }

    /// Absolute span of the valid `received` value.
    pub fn received_span(&self) -> Option<Span> {
        self.known_span(RECEIVED)?
    }

    /// The `rport` parameter: `None` absent (or invalid, a defect),
    /// `Some(None)` without a value, `Some(Some(port))` with one.
    pub fn rport(&self) -> Option<Option<u16>> {
        self.known_span(RPORT)?;
        Some(self.known_value(RPORT).and_then(scan::port))
    }

    /// The `ttl` value (0..=255) when present and valid.
    pub fn ttl(&self) -> Option<u8> {
        let v = self.known_value(TTL)?;
        lex::parse_u64(v).and_then(|t| u8::try_from(t).ok())
    }

    /// The `maddr` value when present and a host.
    pub fn maddr(&self) -> Option<&'a [u8]> {
        self.known_value(MADDR)
    }

    /// Absolute span of the whole element.
    pub fn span(&self) -> Span {
        Span::new(self.base, self.base + self.raw.len())
    }

    /// The whole element as given.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }
}

/// `sent-protocol = protocol-name SLASH protocol-version SLASH transport`
/// with the grammar's productions: the three tokens as ranges relative to
/// `i`.
fn sent_protocol(i: &[u8]) -> grammar::PResult<'_, [(usize, usize); 3]> {
    use grammar::text::token;
    // Nearly every Via starts `SIP/2.0/`: no LWS around the slashes, so the
    // productions below would read exactly these pieces.
    const SIP_2_0: &[u8] = b"SIP/2.0/";
    if i.len() > SIP_2_0.len() && i[..SIP_2_0.len()].eq_ignore_ascii_case(SIP_2_0) {
        if let Ok((rest, transport)) = token(&i[SIP_2_0.len()..]) {
            let t = SIP_2_0.len();
            return Ok((rest, [(0, 3), (4, 7), (t, t + transport.len())]));
        }
    }
    sent_protocol_productions(i)
}

/// [`sent_protocol`] by its productions alone.
fn sent_protocol_productions(i: &[u8]) -> grammar::PResult<'_, [(usize, usize); 3]> {
    use grammar::text::{slash, token};
    let at = |rest: &[u8], t: &[u8]| {
        let start = grammar::offset(i, rest);
        (start, start + t.len())
    };
    let (r1, name) = token(i)?;
    let (r2, _) = slash(r1)?;
    let (r3, version) = token(r2)?;
    let (r4, _) = slash(r3)?;
    let (r5, transport) = token(r4)?;
    Ok((r5, [at(i, name), at(r2, version), at(r4, transport)]))
}

impl LaxReading for ViaLax<'_> {
    fn defects(&self) -> &Defects {
        &self.defects
    }
}

impl<'a> LaxHeader<'a> for Via<'a> {
    type Lax = ViaLax<'a>;
    fn parse_lax(value: &'a [u8], base: usize) -> ViaLax<'a> {
        Via::parse_lax(value, base)
    }
}

/// The Via value nearly every element sends, read in one pass without the
/// general lax reader's combinators: `SIP/2.0/` and a transport token, one
/// SP, a sent-by, then parameters `;name` or `;name=value` with unquoted
/// values and no white space, each known one valid, no name repeated, and
/// nothing after them. Its result is then the general reader's, which finds
/// no defect in such a value; anything else (white space, quotes, a
/// bracketed value, a defect, more than eight parameters) is `None`, and
/// the general reader takes it. The sent-by and each known parameter's
/// value are checked by the very functions the general reader calls
/// (`scan_hostport`, and `known_param` through
/// [`read_common_params`]). A property test and the
/// `typed_headers` fuzz target compare the two readers.
///
/// Why: the validator reads every Via value, and the general reader costs
/// some 2 900 instructions on a three-parameter Via (the `validate` bench).
fn read_common(value: &[u8], base: usize) -> Option<ViaLax<'_>> {
    if !value.starts_with(b"SIP/2.0/") {
        return None;
    }
    let transport_end = lex::token_end(value, 8);
    if transport_end == 8 || value.get(transport_end) != Some(&b' ') {
        return None;
    }
    let host_at = transport_end + 1;
    if value.get(host_at).is_none_or(|&b| lex::is_lws(b)) {
        return None;
    }
    let mut cur = Cursor::new(value, base);
    cur.pos = host_at;
    let sent_by = scan_hostport(&mut cur, true).ok()?;
    let mut known = [KnownParam::default(); VIA_KNOWN.len()];
    let params = read_common_params(value, cur.pos, base, VIA_KNOWN, None, &mut known)?;
    Some(ViaLax {
        raw: value,
        base,
        protocol: Some([(0, 3), (4, 7), (8, transport_end)]),
        sent_by: Some(sent_by),
        params,
        known,
        repeated: None,
        defects: Defects::new(),
    })
}

impl<'a> Via<'a> {
    /// The strict reading of a value whose lax reading `lax` found no
    /// defect, built from that reading rather than by parsing the bytes
    /// again: the validator reads every Via laxly for its syntax rules, and
    /// the rules that need the strict value (the proxy and UAC verdicts,
    /// the comparison with the request) then read none again. `None` when
    /// the lax reading has a defect (the strict parse fails on such a
    /// value, or defers the check to an accessor). The `typed_headers`
    /// fuzz target checks that this equals [`Via::parse`] of the same bytes.
    pub(crate) fn from_lax(lax: &ViaLax<'a>) -> Option<Via<'a>> {
        if !lax.defects.is_empty() {
            return None;
        }
        let [name, version, transport] = lax.protocol?;
        let branch = match lax.known[BRANCH].present {
            true => Some(lax.known[BRANCH].param(lax.raw, lax.base, "branch")?),
            false => None,
        };
        let rport = match lax.known[RPORT].present {
            true => Some((
                lax.known[RPORT].param(lax.raw, lax.base, "rport")?,
                lax.rport()?,
            )),
            false => None,
        };
        Some(Via {
            raw: lax.raw,
            base: lax.base,
            name,
            version,
            transport,
            sent_by: lax.sent_by?,
            params: lax.params.as_params(),
            branch,
            rport,
        })
    }
}

/// Compares [`read_common`] with the general lax reader on `value` (for the
/// tests and the fuzz targets): where the common path reads a value, the
/// general reader must give the same reading and find no defect. True when
/// the common path read it.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn check_read_common(value: &[u8], base: usize) -> bool {
    let Some(common) = read_common(value, base) else {
        return false;
    };
    let general = Via::parse_lax_general(value, base);
    assert_eq!(
        common,
        general,
        "the common Via path disagrees with the general reader on {:?}",
        String::from_utf8_lossy(value)
    );
    assert!(general.defects().is_empty());
    true
}

/// Skips to the next LWS or `;` (a lax reader's resynchronisation after a
/// part that does not read).
fn skip_to_lws_or_semi(cur: &mut Cursor<'_>) {
    while cur.peek().is_some_and(|b| !lex::is_lws(b) && b != b';') {
        cur.pos += 1;
    }
}

/// Skips to the next `;` or the end.
fn skip_to_semi(cur: &mut Cursor<'_>) {
    while cur.peek().is_some_and(|b| b != b';') {
        cur.pos += 1;
    }
}

impl<'a> Via<'a> {
    /// Reads one Via element laxly: sent-protocol, sent-by and each
    /// parameter are read on their own, so a defect in one does not hide
    /// the others. Every part that fails its production is one
    /// [`Defect`] (see [`Part`]): `SentProtocol`,
    /// `SentBy`, `Param` (not a generic-param), `Branch`, `Received`,
    /// `Rport`, `Ttl`, `Maddr`, or `Value` (empty, or trailing bytes).
    /// Never allocates.
    ///
    /// ```
    /// use sip_response::grammar::Part;
    /// use sip_response::header::typed::Via;
    ///
    /// let v = Via::parse_lax(b"SIP/2.0/UDP h:5060;branch=z9hG4bKD+ta/L50=;rport", 10);
    /// assert_eq!(v.transport(), Some(&b"UDP"[..]));
    /// assert_eq!(v.sent_by().unwrap().port(), Some(5060));
    /// assert_eq!(v.rport(), Some(None));
    /// assert_eq!(v.branch(), None);
    /// let d = v.defects().first().unwrap();
    /// assert_eq!((d.part, d.span.start, d.span.end), (Part::Branch, 10 + 26, 10 + 42));
    /// ```
    pub fn parse_lax(value: &'a [u8], base: usize) -> ViaLax<'a> {
        if let Some(read) = read_common(value, base) {
            return read;
        }
        Self::parse_lax_general(value, base)
    }

    /// [`Via::parse_lax`] for any value: the authority, which
    /// [`read_common`] must agree with.
    fn parse_lax_general(value: &'a [u8], base: usize) -> ViaLax<'a> {
        use HeaderValueErrorKind as K;
        let mut defects = Defects::new();
        let mut cur = Cursor::new(value, base);
        cur.skip_lws();
        let mut lax = ViaLax {
            raw: value,
            base,
            protocol: None,
            sent_by: None,
            params: LaxParams::default(),
            known: [KnownParam::default(); VIA_KNOWN.len()],
            repeated: None,
            defects,
        };
        if cur.at_end() {
            lax.defects
                .push(Defect::new(Part::Value, cur.span_from(cur.pos), K::Empty));
            return lax;
        }
        // sent-protocol = protocol-name SLASH protocol-version SLASH transport
        let pstart = cur.pos;
        match read_sent_protocol(&mut cur) {
            Ok(ranges) => lax.protocol = Some(ranges),
            Err(e) => {
                let (kind, at, slash_missing) = sent_protocol_error(value, &e);
                // A sent-protocol cut short (`SIP/2.0 host`): it ends before
                // the LWS, and sent-by is read from there. Otherwise skip the
                // whole word.
                let mut end = at;
                while end > pstart && lex::is_lws(value[end - 1]) {
                    end -= 1;
                }
                if slash_missing && end < at {
                    cur.pos = end;
                } else {
                    cur.pos = at;
                    skip_to_lws_or_semi(&mut cur);
                    end = cur.pos;
                }
                defects.push(
                    Defect::new(
                        Part::SentProtocol,
                        Span::new(base + pstart, base + end),
                        kind,
                    )
                    .at(base + at),
                );
            }
        }
        // LWS sent-by
        let before = cur.pos;
        cur.skip_lws();
        if cur.at_end() || cur.peek() == Some(b';') {
            defects.push(Defect::new(
                Part::SentBy,
                cur.span_from(cur.pos),
                K::Missing,
            ));
        } else if cur.pos == before {
            defects.push(Defect::new(
                Part::SentBy,
                cur.span_from(cur.pos),
                K::UnexpectedChar,
            ));
            skip_to_semi(&mut cur);
        } else {
            let sstart = cur.pos;
            let mut probe = cur;
            match scan_hostport(&mut probe, true) {
                Ok(hp) => {
                    cur = probe;
                    lax.sent_by = Some(hp);
                }
                Err(e) => {
                    skip_to_semi(&mut cur);
                    let mut end = cur.pos;
                    while end > sstart && lex::is_lws(value[end - 1]) {
                        end -= 1;
                    }
                    defects.push(
                        Defect::new(Part::SentBy, Span::new(base + sstart, base + end), e.kind())
                            .at(e.offset()),
                    );
                }
            }
        }
        lax.params = scan_params_lax_noting(
            &mut cur,
            VIA_KNOWN,
            &mut defects,
            None,
            &mut lax.known,
            &mut lax.repeated,
            false,
        );
        cur.skip_lws();
        if !cur.at_end() {
            defects.push(Defect::new(
                Part::Value,
                Span::new(base + cur.pos, base + value.len()),
                K::Trailing,
            ));
        }
        lax.defects = defects;
        lax
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HeaderValueErrorKind as K;

    /// Pieces of Via values: the common path's shapes and what must send a
    /// value to the general reader (case, white space, quotes, IPv6 forms,
    /// defects in every known parameter, repeats, trailing bytes).
    mod common_props {
        use super::super::check_read_common;
        use proptest::prelude::*;

        const PROTOCOL: &[&[u8]] = &[
            b"SIP/2.0/UDP ",
            b"SIP/2.0/TCP ",
            b"SIP/2.0/TLS-SCTP ",
            b"SIP/2.0/WSS ",
            b"sip/2.0/udp ",
            b"SIP/2.0 /UDP ",
            b"SIP/2.0/ ",
            b"SIP/2.0/UDP",
            b"SIP/2.0/UDP  ",
            b"SIP/2.0/UDP\t",
            b"SIP/2.0/U\xc3\xa9 ",
            b" SIP/2.0/UDP ",
            b"SIP/3.0/UDP ",
        ];
        const SENT_BY: &[&[u8]] = &[
            b"pc33.atlanta.com",
            b"192.0.2.1",
            b"192.0.2.1:5060",
            b"[2001:db8::1]",
            b"[2001:db8::1]:5061",
            b"host:",
            b"host:99999",
            b"host : 5060",
            b"host:5060 ",
            b"1.2.3.4.5",
            b"a..b",
            b"-a.com",
            b"h",
            b"",
            b"300.1.1.1",
            b"example.com.",
        ];
        const PARAM: &[&[u8]] = &[
            b";branch=z9hG4bK776asdhds",
            b";branch=z9hG4bK-.!%66*_+`'~",
            b";branch",
            b";branch=",
            b";Branch=z9hG4bKx",
            b";BRANCH=a",
            b";branch=a/b",
            b";received=192.0.2.1",
            b";received=2001:db8::1",
            b";received=[2001:db8::1]",
            b";received=host.com",
            b";received",
            b";rport",
            b";rport=5060",
            b";rport=x",
            b";rport=99999",
            b";ttl=16",
            b";ttl=300",
            b";ttl",
            b";maddr=224.0.0.1",
            b";maddr=a..b",
            b";maddr=[::1]",
            b";x=[D4909701-00e9d478",
            b";received=[2001:db8::1",
            b";x=a[b",
            b";x=\"q\"",
            b";x=\"q",
            b";X",
            b";lr",
            b";keep",
            b";alias",
            b"; branch=z",
            b";branch =z",
            b";branch= z",
            b";a=b c",
            b";a=b,c",
            b";a=b:c",
            b";=x",
            b";",
            b";;",
            b";a\xc3=b",
            b";a=\xc3",
        ];
        const END: &[&[u8]] = &[b"", b"", b" ", b",", b";", b"\r\n"];

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(4096))]
            #[test]
            fn common_path_agrees_with_the_general_reader(
                p in 0..PROTOCOL.len(),
                h in 0..SENT_BY.len(),
                params in proptest::collection::vec(0..PARAM.len(), 0..10),
                e in 0..END.len(),
                base in 0usize..100_000,
            ) {
                let mut v = PROTOCOL[p].to_vec();
                v.extend_from_slice(SENT_BY[h]);
                for &i in &params {
                    v.extend_from_slice(PARAM[i]);
                }
                v.extend_from_slice(END[e]);
                check_read_common(&v, base);
            }
        }

        #[test]
        fn common_path_reads_the_usual_values() {
            for v in [
                &b"SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1"[..],
                b"SIP/2.0/TCP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111;rport=5060",
                b"SIP/2.0/UDP h",
                b"SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK;rport;alias",
            ] {
                assert!(check_read_common(v, 10), "{:?}", String::from_utf8_lossy(v));
            }
            for v in [
                &b"SIP/2.0/UDP h;branch=a;branch=b"[..],
                b"SIP/2.0/UDP h;branch",
                b"SIP/2.0/UDP h;received=[2001:db8::1]",
                b"SIP/2.0/UDP h ;branch=a",
                b"sip/2.0/udp h",
            ] {
                assert!(
                    !check_read_common(v, 10),
                    "{:?}",
                    String::from_utf8_lossy(v)
                );
            }
        }

        /// Every Via value of the test messages: the two readers agree, and
        /// the common path reads most of them.
        #[test]
        fn common_path_agrees_on_the_corpus() {
            let (vias, common) =
                crate::test_corpus::each_element(&[crate::KnownHeader::Via], |_, v, at| {
                    check_read_common(v, at)
                });
            assert!(vias > 500 && common * 2 > vias, "{common} of {vias}");
        }
    }

    const BASE: usize = 64;

    fn at(s: &[u8], part: &[u8]) -> Span {
        let i = s.windows(part.len()).position(|w| w == part).unwrap();
        Span::new(BASE + i, BASE + i + part.len())
    }

    #[test]
    fn vias_from_corpus() {
        // (value, transport, host, port, branch)
        type Row<'a> = (&'a [u8], &'a [u8], &'a [u8], Option<u16>, Option<&'a [u8]>);
        let table: &[Row<'_>] = &[
            // wsinv
            (
                b"SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw",
                b"UDP",
                b"192.0.2.2",
                None,
                Some(b"390skdjuw"),
            ),
            (
                b"SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8",
                b"TCP",
                b"spindle.example.com",
                None,
                Some(b"z9hG4bK9ikj8"),
            ),
            (
                b"SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239",
                b"UDP",
                b"192.168.255.111",
                None,
                Some(b"z9hG4bK30239"),
            ),
            // intmeth
            (
                b"SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~",
                b"TCP",
                b"host1.example.com",
                None,
                Some(b"z9hG4bK-.!%66*_+`'~"),
            ),
            // transports
            (
                b"SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf",
                b"SCTP",
                b"t2.example.com",
                None,
                Some(b"z9hG4bKklasjdhf"),
            ),
            (
                b"SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en",
                b"UNKNOWN",
                b"t4.example.com",
                None,
                Some(b"z9hG4bKasd0f3en"),
            ),
            // unksm2, bcast
            (
                b"SIP/2.0/UDP 192.0.2.21:5060;branch=z9hG4bKkdjuw",
                b"UDP",
                b"192.0.2.21",
                Some(5060),
                Some(b"z9hG4bKkdjuw"),
            ),
            (
                b"SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23",
                b"UDP",
                b"255.255.255.255",
                None,
                Some(b"z9hG4bK1saber23"),
            ),
            // RFC 5118
            (
                b"SIP/2.0/UDP [::ffff:192.0.2.10]:19823;branch=z9hG4bKbh19",
                b"UDP",
                b"[::ffff:192.0.2.10]",
                Some(19823),
                Some(b"z9hG4bKbh19"),
            ),
            (
                b"SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111",
                b"UDP",
                b"[2001:db8::9:1]",
                Some(6050),
                Some(b"z9hG4bKas3-111"),
            ),
            (
                b"SIP/2.0/TCP [2001:db8::9:255];branch=z9hG4bK451jj;received=192.0.2.200",
                b"TCP",
                b"[2001:db8::9:255]",
                None,
                Some(b"z9hG4bK451jj"),
            ),
            (
                b"SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3",
                b"UDP",
                b"[2001:db8::9:1]",
                None,
                Some(b"z9hG4bKas3"),
            ),
            (
                b"SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3-111",
                b"UDP",
                b"[2001:db8::9:1]",
                None,
                Some(b"z9hG4bKas3-111"),
            ),
            // Real responses (fixtures/pcap-extract, fixtures/kamailio)
            (
                b"SIP/2.0/TCP [fd00:183:1:1:1886:9040:8605:32b8]:5060;branch=z9hG4bKVT3F3PbXtxKWEdp;rport=5060;received=fd00:183:1:1:1886:9040:8605:32b8",
                b"TCP",
                b"[fd00:183:1:1:1886:9040:8605:32b8]",
                Some(5060),
                Some(b"z9hG4bKVT3F3PbXtxKWEdp"),
            ),
            (
                b"SIP/2.0/SCTP server10.biloxi.com;branch=z9hG4bKnashds8;rport;received=192.0.2.1",
                b"SCTP",
                b"server10.biloxi.com",
                None,
                Some(b"z9hG4bKnashds8"),
            ),
            (
                b"SIP/2.0/UDP 195.37.77.100;branch=902932441872fa3682b9de564b113050.e1.0",
                b"UDP",
                b"195.37.77.100",
                None,
                Some(b"902932441872fa3682b9de564b113050.e1.0"),
            ),
            // LWS around the sent-by colon, no branch (RFC 2543 peer)
            (
                b"SIP/2.0/UDP h.example.com \r\n : 5060",
                b"UDP",
                b"h.example.com",
                Some(5060),
                None,
            ),
            (
                b"sip/2.0/ws df7jal23ls0d.invalid;rport;branch=z9hG4bKhjhs8ass877",
                b"ws",
                b"df7jal23ls0d.invalid",
                None,
                Some(b"z9hG4bKhjhs8ass877"),
            ),
        ];
        for &(s, transport, host, port, branch) in table {
            let v = Via::parse(s, BASE)
                .unwrap_or_else(|e| panic!("{}: {e}", String::from_utf8_lossy(s)));
            assert!(v.is_sip_2_0());
            assert_eq!(v.protocol_version(), b"2.0");
            assert_eq!(v.transport(), transport);
            assert_eq!(v.transport_span(), at(s, transport));
            assert_eq!(v.protocol_name_span(), Span::new(BASE, BASE + 3));
            assert_eq!(v.sent_by().host().as_bytes(), host);
            assert_eq!(v.sent_by().host().span(), at(s, host));
            assert_eq!(v.sent_by().port(), port);
            if let Some(p) = port {
                assert_eq!(
                    v.sent_by().port_span(),
                    Some(at(s, p.to_string().as_bytes()))
                );
            }
            assert_eq!(v.branch(), branch);
            if let Some(b) = branch {
                assert_eq!(v.branch_span(), Some(at(s, b)));
                assert_eq!(v.has_magic_cookie(), b.starts_with(b"z9hG4bK"));
            }
            assert_eq!(v.span(), Span::new(BASE, BASE + s.len()));
        }
    }

    #[test]
    fn params_received_rport_ttl_maddr() {
        let s = b"SIP/2.0/UDP 192.0.2.1;received=2001:db8::9:255;rport=5070;maddr=224.2.0.1;ttl=16;branch=z9hG4bK";
        let v = Via::parse(s, BASE).unwrap();
        assert_eq!(v.received(), Some(&b"2001:db8::9:255"[..]));
        assert_eq!(v.received_span(), Some(at(s, b"2001:db8::9:255")));
        assert_eq!(v.received_is_ip(), Some(true));
        assert_eq!(v.rport(), Some(Some(5070)));
        assert_eq!(v.rport_span(), Some(at(s, b"rport=5070")));
        assert_eq!(v.maddr(), Some(&b"224.2.0.1"[..]));
        assert_eq!(v.maddr_span(), Some(at(s, b"224.2.0.1")));
        assert_eq!(v.ttl_raw(), Some(&b"16"[..]));
        assert_eq!(v.ttl(), Some(Ok(16)));
        assert!(v.has_magic_cookie());
        assert_eq!(v.params().len(), 5);
        assert_eq!(v.param("TTL").unwrap().value(), Some(&b"16"[..]));

        let s = b"SIP/2.0/TCP 10.186.205.131:6060;branch=z9hG4bK044e6256592e8114b15b37b77600;rport=16933";
        let v = Via::parse(s, BASE).unwrap();
        assert_eq!(v.rport(), Some(Some(16933)));
        assert_eq!(v.rport_span(), Some(at(s, b"rport=16933")));
        assert_eq!(v.sent_by().port_span(), Some(at(s, b"6060")));
        let s = b"SIP/2.0/UDP [fd00:183:1:1:1886:9040:8605:32b8]:5060;rport=5060;received=fd00:183:1:1:1886:9040:8605:32b8";
        let v = Via::parse(s, BASE).unwrap();
        assert_eq!(v.received_is_ip(), Some(true));
        assert_eq!(
            v.received(),
            v.sent_by().host().ipv6_address(),
            "received equals the bracket-less sent-by"
        );
        let v = Via::parse(b"SIP/2.0/UDP h;rport;received=[2001:db8::9:255]", BASE).unwrap();
        assert_eq!(v.rport(), Some(None));
        assert_eq!(v.received_is_ip(), Some(false));
        assert_eq!((v.branch(), v.has_magic_cookie()), (None, false));
        assert_eq!(
            (v.ttl(), v.maddr(), v.received_span().is_some()),
            (None, None, true)
        );

        let v = Via::parse(b"SIP/2.0/UDP h;branch=Z9HG4BK1", BASE).unwrap();
        assert!(!v.has_magic_cookie(), "the cookie is case-sensitive");
        for (s, kind, off) in [
            (&b"SIP/2.0/UDP h;ttl=256"[..], K::NumberOutOfRange, 18),
            (b"SIP/2.0/UDP h;ttl=0255", K::NumberOutOfRange, 18),
            (b"SIP/2.0/UDP h;ttl=1x", K::ExpectedDigits, 19),
            (b"SIP/2.0/UDP h;ttl", K::BadParam, 17),
        ] {
            let e = Via::parse(s, BASE).unwrap().ttl().unwrap().unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + off));
        }
        assert_eq!(
            Via::parse(b"SIP/2.0/UDP h;ttl=255", 0).unwrap().ttl(),
            Some(Ok(255))
        );
        assert_eq!(Via::NAME, KnownHeader::Via);
    }

    #[test]
    fn invalid_vias() {
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::Empty, 0),
            // badinv01 elements after splitting `192.0.2.15;;,;,,`
            (b"SIP/2.0/UDP 192.0.2.15;;", K::BadParam, 23),
            (b";", K::ExpectedToken, 0),
            (b"SIP/2.0/UDP", K::Missing, 11),
            (b"SIP/2.0/UDP ", K::Missing, 12),
            (b"SIP/2.0 h", K::UnexpectedChar, 8),
            (b"SIP/2.0", K::Missing, 7),
            (b"SIP//UDP h", K::ExpectedToken, 4),
            (b"SIP/2.0/UDP;branch=x", K::UnexpectedChar, 11),
            (b"SIP/2.0/UDP 2001:db8::1", K::BadHost, 12),
            (b"SIP/2.0/UDP h:70000", K::BadPort, 14),
            (b"SIP/2.0/UDP h;branch", K::BadParam, 14),
            (b"SIP/2.0/UDP h;branch=\"x\"", K::BadParam, 14),
            (b"SIP/2.0/UDP h;rport=x", K::BadPort, 20),
            (b"SIP/2.0/UDP h;rport=65536", K::BadPort, 20),
            (b"SIP/2.0/UDP h x", K::Trailing, 14),
            (b"SIP/2.0/UDP h (comment)", K::Trailing, 14),
        ];
        for &(s, kind, off) in table {
            let e = Via::parse(s, BASE).unwrap_err();
            assert_eq!(
                (e.kind(), e.offset()),
                (kind, BASE + off),
                "{}",
                String::from_utf8_lossy(s)
            );
        }
    }

    /// The accessors read what the scan noted; walking the parameters
    /// again (`params().get_valid`) must give the same answers, also for
    /// repeated, invalid and glued parameters.
    #[test]
    fn lax_noted_params_agree_with_a_walk() {
        assert_eq!(
            [
                VIA_KNOWN[BRANCH].0,
                VIA_KNOWN[RECEIVED].0,
                VIA_KNOWN[RPORT].0
            ],
            ["branch", "received", "rport"]
        );
        assert_eq!([VIA_KNOWN[TTL].0, VIA_KNOWN[MADDR].0], ["ttl", "maddr"]);
        let cases: &[&[u8]] = &[
            b"SIP/2.0/UDP h;branch=z9hG4bK1;received=192.0.2.1;rport=5060;ttl=16;maddr=m.x",
            b"SIP/2.0/UDP h;BRANCH=a;branch=b;rport;RPORT=7",
            b"SIP/2.0/UDP h;branch=a+b=;branch=c;received=h.x;received=192.0.2.9",
            b"SIP/2.0/UDP h;branch=\"q\";ttl=256;ttl=1;maddr=;maddr=m;rport=70000",
            b"SIP/2.0/UDP h;branch;received;ttl;maddr;rport=",
            b"SIP/2.0/UDP h ; branch = z9hG4bKx ; rport = 1 ; ;=;x",
            b"SIP/2.0 h;branch=x",
            b"",
        ];
        for &c in cases {
            for base in [0, 1000] {
                let v = Via::parse_lax(c, base);
                let p = v.params();
                let val = |n: &str| p.get_valid(n).and_then(|q| q.value());
                let ctx = String::from_utf8_lossy(c);
                assert_eq!(v.branch(), val("branch"), "{ctx}");
                assert_eq!(
                    v.branch_span(),
                    p.get_valid("branch").and_then(|q| q.value_span()),
                    "{ctx}"
                );
                assert_eq!(v.received(), val("received"), "{ctx}");
                assert_eq!(
                    v.rport(),
                    p.get_valid("rport").map(|q| q.value().and_then(scan::port)),
                    "{ctx}"
                );
                assert_eq!(
                    v.ttl(),
                    val("ttl").and_then(|t| lex::parse_u64(t).and_then(|t| u8::try_from(t).ok())),
                    "{ctx}"
                );
                assert_eq!(v.maddr(), val("maddr"), "{ctx}");
                assert_eq!(
                    v.repeated_param(),
                    crate::header::typed::name_addr::tests::walk_repeated(p.iter()),
                    "{ctx}"
                );
            }
        }
    }

    #[test]
    fn sent_protocol_shortcut_reads_as_the_productions() {
        for v in [
            &b"SIP/2.0/UDP h"[..],
            b"sip/2.0/tcp",
            b"SIP/2.0/ UDP h",
            b"SIP/2.0/",
            b"SIP/2.0/;x",
            b"SIP/2.0/UDP\r\n h",
            b"SIP/2.0/TLS-SCTP;x",
            b"SIP / 2.0 / UDP h",
            b"SIP/2.0x/UDP",
        ] {
            assert_eq!(
                sent_protocol(v),
                sent_protocol_productions(v),
                "{}",
                String::from_utf8_lossy(v)
            );
        }
    }

    #[test]
    fn lax_reading_keeps_every_readable_part() {
        use crate::grammar::Part as P;
        // (value, transport, host, branch, [(part, kind, defect text)])
        type Row<'a> = (
            &'a [u8],
            Option<&'a [u8]>,
            Option<&'a [u8]>,
            Option<&'a [u8]>,
            &'a [(P, K, &'a [u8])],
        );
        let table: &[Row<'_>] = &[
            (
                b"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKD+ta2mJ+C+VV/L50aPO1lFJnrag=;rport",
                Some(b"UDP"),
                Some(b"192.0.2.1"),
                None,
                &[(
                    P::Branch,
                    K::BadParam,
                    b"z9hG4bKD+ta2mJ+C+VV/L50aPO1lFJnrag=",
                )],
            ),
            (
                b"SIP/2.0/UDP h;branch=z9hG4bKD+ta2mJ+C+VV/L50aPO1lFJnrag=",
                Some(b"UDP"),
                Some(b"h"),
                None,
                &[(
                    P::Branch,
                    K::BadParam,
                    b"z9hG4bKD+ta2mJ+C+VV/L50aPO1lFJnrag=",
                )],
            ),
            (
                b"SIP/2.0/UDP h;branch=z9hG4bK1",
                Some(b"UDP"),
                Some(b"h"),
                Some(b"z9hG4bK1"),
                &[],
            ),
            (
                b"SIP/2.0/UDP h;branch",
                Some(b"UDP"),
                Some(b"h"),
                None,
                &[(P::Branch, K::BadParam, b"branch")],
            ),
            (
                b"SIP/2.0/UDP h;branch=",
                Some(b"UDP"),
                Some(b"h"),
                None,
                &[(P::Branch, K::BadParam, b"branch=")],
            ),
            (
                b"SIP/2.0/UDP h;received=[2001:db8::1];ttl=300;branch=z9hG4bK2",
                Some(b"UDP"),
                Some(b"h"),
                Some(b"z9hG4bK2"),
                &[
                    (P::Received, K::BadHost, b"[2001:db8::1]"),
                    (P::Ttl, K::NumberOutOfRange, b"300"),
                ],
            ),
            (
                b"SIP/2.0/UDP h:70000;branch=z9hG4bK3",
                Some(b"UDP"),
                None,
                Some(b"z9hG4bK3"),
                &[(P::SentBy, K::BadPort, b"h:70000")],
            ),
            (
                b"SIP/2.0 h;branch=z9hG4bK4",
                None,
                Some(b"h"),
                Some(b"z9hG4bK4"),
                &[(P::SentProtocol, K::UnexpectedChar, b"SIP/2.0")],
            ),
            (
                b"SIP//UDP h;branch=z9hG4bK5",
                None,
                Some(b"h"),
                Some(b"z9hG4bK5"),
                &[(P::SentProtocol, K::ExpectedToken, b"SIP//UDP")],
            ),
            (
                b"SIP/2.0/UDP h;;x=\"open;rport=x",
                Some(b"UDP"),
                Some(b"h"),
                None,
                &[
                    (P::Param, K::BadParam, b""),
                    (P::Param, K::UnterminatedQuote, b"x=\"open;rport=x"),
                ],
            ),
            (
                b"SIP/2.0/UDP h x",
                Some(b"UDP"),
                Some(b"h"),
                None,
                &[(P::Value, K::Trailing, b"x")],
            ),
            (b"", None, None, None, &[(P::Value, K::Empty, b"")]),
            (
                b"SIP/2.0/UDP",
                Some(b"UDP"),
                None,
                None,
                &[(P::SentBy, K::Missing, b"")],
            ),
        ];
        for &(s, transport, host, branch, want) in table {
            let name = String::from_utf8_lossy(s);
            let v = Via::parse_lax(s, BASE);
            assert_eq!(v.transport(), transport, "{name}");
            assert_eq!(v.sent_by().map(|h| h.host().as_bytes()), host, "{name}");
            assert_eq!(v.branch(), branch, "{name}");
            let got: Vec<(P, K, &[u8])> = v
                .defects()
                .iter()
                .map(|d| (d.part, d.kind, &s[d.span.start - BASE..d.span.end - BASE]))
                .collect();
            assert_eq!(got, want, "{name}");
            for d in v.defects() {
                assert!(
                    d.at >= d.span.start && d.at <= BASE + s.len(),
                    "{name}: {d:?}"
                );
            }
            // A value the strict parser takes has no defect that would make
            // it fail; one with no defect at all is taken.
            if v.defects().is_empty() {
                assert!(Via::parse(s, BASE).is_ok(), "{name}");
            }
        }
        let v = Via::parse_lax(
            b"SIP/2.0/TCP [2001:db8::1]:5061;rport=5062;ttl=1;maddr=224.0.0.1",
            0,
        );
        assert_eq!(v.is_sip_2_0(), Some(true));
        assert_eq!(v.sent_protocol_span(), Some(Span::new(0, 11)));
        assert_eq!(v.rport(), Some(Some(5062)));
        assert_eq!((v.ttl(), v.maddr()), (Some(1), Some(&b"224.0.0.1"[..])));
        assert_eq!(v.params().len(), 3);
        assert!(v.defects().is_empty());
    }

    mod props {
        use super::*;
        use crate::header::typed::addr_gen::*;
        use proptest::prelude::*;

        #[derive(Clone, Debug)]
        struct ViaCase {
            text: String,
            name: String,
            transport: String,
            host: String,
            port: Option<u16>,
            branch: Option<String>,
            received: Option<String>,
            rport: Option<Option<u16>>,
            ttl: Option<u8>,
            maddr: Option<String>,
            generic: usize,
        }

        fn via_case() -> impl Strategy<Value = ViaCase> {
            let protocol = (
                random_case("sip"),
                prop_oneof![
                    random_case("udp"),
                    random_case("tcp"),
                    random_case("tls"),
                    random_case("sctp"),
                    token()
                ],
                proptest::collection::vec(lws(), 4),
                lws1(),
            );
            let sent_by = (host(), proptest::option::of((any::<u16>(), lws(), lws())));
            let params = (
                proptest::option::of(prop_oneof![
                    token().prop_map(|t| format!("z9hG4bK{t}")),
                    token()
                ]),
                proptest::option::of(prop_oneof![ipv4(), ipv6()]),
                proptest::option::of(proptest::option::of(any::<u16>())),
                proptest::option::of(any::<u8>()),
                proptest::option::of(prop_oneof![ipv4(), hostname()]),
                header_params(&["branch", "received", "rport", "ttl", "maddr"]),
                lws(),
            );
            (protocol, sent_by, params).prop_map(
                |(
                    (name, transport, w, gap),
                    (host, port),
                    (branch, received, rport, ttl, maddr, (gtext, gpairs), pw),
                )| {
                    let mut text = format!(
                        "{name}{}/{}2.0{}/{}{transport}{gap}{host}",
                        w[0], w[1], w[2], w[3]
                    );
                    if let Some((p, a, b)) = &port {
                        text.push_str(&format!("{a}:{b}{p}"));
                    }
                    let mut push = |n: &str, v: Option<String>| {
                        text.push_str(&format!("{pw};{pw}{n}"));
                        if let Some(v) = v {
                            text.push_str(&format!("{pw}={pw}{v}"));
                        }
                    };
                    if let Some(r) = &received {
                        push("Received", Some(r.clone()));
                    }
                    if let Some(r) = &rport {
                        push("RPORT", r.map(|p| p.to_string()));
                    }
                    if let Some(t) = ttl {
                        push("ttl", Some(t.to_string()));
                    }
                    if let Some(m) = &maddr {
                        push("mAddr", Some(m.clone()));
                    }
                    if let Some(b) = &branch {
                        push("branch", Some(b.clone()));
                    }
                    text.push_str(&gtext);
                    ViaCase {
                        text,
                        name,
                        transport,
                        host,
                        port: port.map(|p| p.0),
                        branch,
                        received,
                        rport,
                        ttl,
                        maddr,
                        generic: gpairs.len(),
                    }
                },
            )
        }

        fn part(s: &[u8], base: usize, sp: Span) -> &[u8] {
            &s[sp.start - base..sp.end - base]
        }

        proptest! {
            #[test]
            fn generated_vias_round_trip(c in via_case(), base in 0usize..10_000) {
                let s = c.text.as_bytes();
                let v = Via::parse(s, base).unwrap();
                prop_assert_eq!(v.protocol_name(), c.name.as_bytes());
                prop_assert!(v.is_sip_2_0());
                prop_assert_eq!(v.transport(), c.transport.as_bytes());
                prop_assert_eq!(part(s, base, v.transport_span()), c.transport.as_bytes());
                prop_assert_eq!(part(s, base, v.protocol_version_span()), b"2.0");
                prop_assert_eq!(v.sent_by().host().as_bytes(), c.host.as_bytes());
                prop_assert_eq!(part(s, base, v.sent_by().host().span()), c.host.as_bytes());
                prop_assert_eq!(v.sent_by().port(), c.port);
                if let (Some(p), Some(sp)) = (c.port, v.sent_by().port_span()) {
                    let digits = p.to_string();
                    prop_assert_eq!(part(s, base, sp), digits.as_bytes());
                }
                prop_assert_eq!(v.branch(), c.branch.as_deref().map(str::as_bytes));
                if let Some(sp) = v.branch_span() {
                    prop_assert_eq!(part(s, base, sp), v.branch().unwrap());
                }
                prop_assert_eq!(
                    v.has_magic_cookie(),
                    c.branch.as_deref().is_some_and(|b| b.starts_with("z9hG4bK"))
                );
                prop_assert_eq!(v.received(), c.received.as_deref().map(str::as_bytes));
                prop_assert_eq!(v.received_is_ip(), c.received.as_ref().map(|_| true));
                if let Some(sp) = v.received_span() {
                    prop_assert_eq!(part(s, base, sp), v.received().unwrap());
                }
                prop_assert_eq!(v.rport(), c.rport);
                prop_assert_eq!(v.ttl().map(Result::unwrap), c.ttl);
                prop_assert_eq!(v.maddr(), c.maddr.as_deref().map(str::as_bytes));
                let fixed = [
                    c.branch.is_some(),
                    c.received.is_some(),
                    c.rport.is_some(),
                    c.ttl.is_some(),
                    c.maddr.is_some(),
                ]
                .iter()
                .filter(|&&b| b)
                .count();
                prop_assert_eq!(v.params().len(), fixed + c.generic);
                prop_assert_eq!(v.span(), Span::new(base, base + s.len()));
            }

            #[test]
            fn arbitrary_bytes_never_panic(s in addrish_bytes(), base in 0usize..1000) {
                let n = s.len();
                match Via::parse(&s, base) {
                    Ok(v) => {
                        for sp in [
                            v.span(),
                            v.protocol_name_span(),
                            v.protocol_version_span(),
                            v.transport_span(),
                            v.sent_by().span(),
                            v.params().span(),
                        ] {
                            prop_assert!(in_bounds(sp, base, n));
                        }
                        for sp in [v.branch_span(), v.received_span(), v.rport_span(), v.maddr_span()]
                            .into_iter()
                            .flatten()
                        {
                            prop_assert!(in_bounds(sp, base, n));
                        }
                        if let Some(Err(e)) = v.ttl() {
                            prop_assert!(e.offset() >= base && e.offset() <= base + n);
                        }
                    }
                    Err(e) => prop_assert!(e.offset() >= base && e.offset() <= base + n),
                }
            }

            #[test]
            fn lax_agrees_with_strict(c in via_case(), base in 0usize..10_000) {
                let s = c.text.as_bytes();
                let v = Via::parse_lax(s, base);
                prop_assert!(v.defects().is_empty(), "{:?}", v.defects());
                let strict = Via::parse(s, base).unwrap();
                prop_assert_eq!(v.transport(), Some(strict.transport()));
                prop_assert_eq!(v.transport_span(), Some(strict.transport_span()));
                prop_assert_eq!(v.sent_by(), Some(strict.sent_by()));
                prop_assert_eq!(v.branch(), strict.branch());
                prop_assert_eq!(v.branch_span(), strict.branch_span());
                prop_assert_eq!(v.rport(), strict.rport());
                prop_assert_eq!(v.params().len(), strict.params().len());
            }

            #[test]
            fn lax_never_panics_and_stays_in_bounds(s in addrish_bytes(), base in 0usize..1000) {
                let v = Via::parse_lax(&s, base);
                let n = s.len();
                for d in v.defects() {
                    prop_assert!(in_bounds(d.span, base, n));
                    prop_assert!(d.at >= base && d.at <= base + n);
                }
                if v.defects().is_empty() {
                    prop_assert!(Via::parse(&s, base).is_ok());
                }
                if let Ok(strict) = Via::parse(&s, base) {
                    prop_assert_eq!(v.sent_by(), Some(strict.sent_by()));
                    prop_assert_eq!(v.transport(), Some(strict.transport()));
                }
            }

            #[test]
            fn sip_shaped_bytes_never_panic(
                tail in "[a-zA-Z0-9:;=\\[\\]. \r\n\t\"/,@<>]{0,40}",
                base in 0usize..1000,
            ) {
                let s = format!("SIP/2.0/UDP {tail}");
                if let Ok(v) = Via::parse(s.as_bytes(), base) {
                    prop_assert!(in_bounds(v.sent_by().span(), base, s.len()));
                }
            }
        }
    }
}
