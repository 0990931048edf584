//! Hosts and `hostport` (RFC 3261 §19.1.1, §25.1; RFC 5118):
//!
//! ```text
//! hostport      = host [ ":" port ]
//! host          = hostname / IPv4address / IPv6reference
//! hostname      = *( domainlabel "." ) toplabel [ "." ]
//! domainlabel   = alphanum / alphanum *( alphanum / "-" ) alphanum
//! toplabel      = ALPHA / ALPHA *( alphanum / "-" ) alphanum
//! IPv4address   = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT
//! IPv6reference = "[" IPv6address "]"
//! IPv6address   = hexpart [ ":" IPv4address ]
//! hexpart       = hexseq / hexseq "::" [ hexseq ] / "::" [ hexseq ]
//! port          = 1*DIGIT
//! ```
//!
//! Choices, each following the RFCs:
//! - RFC 3261's `IPv6address` rule has a known bug: `hexpart ":" IPv4address`
//!   lets `2001:db8:::192.0.2.1` (three colons) through. RFC 5118 §4.10 asks
//!   receivers to tolerate it, so it is accepted. IPv4-mapped forms
//!   (`::ffff:192.0.2.10`, RFC 5118 §4.9) are plain IPv6 here.
//! - The group count follows RFC 4291 §2.2 (eight 16-bit groups, an IPv4 tail
//!   counting for two, `::` standing for at least one).
//! - An IPv6 address in a `host` must be bracketed (RFC 5118 §4.2
//!   `ipv6-bad`): `sip:2001:db8::10` is rejected with `BadHost`.
//! - An IPv4 octet above 255 is not an address and, being all digits, not a
//!   hostname either (the top label starts with a letter): `BadHost`.
//! - A port is `1*DIGIT` no greater than 65535, else `BadPort`.

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::grammar;
use crate::grammar::Cursor;
use crate::header::typed::scan::ascii;
use crate::lex;
use crate::Span;

/// What kind of host a [`Host`] is (RFC 3261 §25.1 `host`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HostKind {
    /// A DNS name (`hostname`).
    Name,
    /// A dotted-quad `IPv4address`.
    Ipv4,
    /// A bracketed `IPv6reference`.
    Ipv6,
}

/// A `host`: hostname, IPv4 address or bracketed IPv6 reference
/// (RFC 3261 §25.1, RFC 5118). Borrowed from the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Host<'a> {
    raw: &'a [u8],
    span: Span,
    kind: HostKind,
}

impl<'a> Host<'a> {
    /// Parses `s` as exactly one `host`; `base` is the absolute offset of
    /// `s[0]`. Used for URI hosts and Via `sent-by` (RFC 3261 §25.1).
    pub fn parse(s: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let mut cur = Cursor::new(s, base);
        let h = scan_host(&mut cur)?;
        if !cur.at_end() {
            return Err(cur.err(HeaderValueErrorKind::BadHost));
        }
        Ok(h)
    }

    /// The host as sent (brackets kept for IPv6 references).
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }

    /// The host as text (hosts are ASCII by grammar, so this never loses data).
    pub fn as_str(&self) -> &'a str {
        ascii(self.raw)
    }

    /// Absolute span of the host (brackets included for IPv6).
    pub fn span(&self) -> Span {
        self.span
    }

    /// Which of the three `host` alternatives this is.
    pub fn kind(&self) -> HostKind {
        self.kind
    }

    /// True for a dotted-quad IPv4 address.
    pub fn is_ipv4(&self) -> bool {
        self.kind == HostKind::Ipv4
    }

    /// True for a bracketed IPv6 reference (RFC 5118).
    pub fn is_ipv6(&self) -> bool {
        self.kind == HostKind::Ipv6
    }

    /// True for a DNS name.
    pub fn is_name(&self) -> bool {
        self.kind == HostKind::Name
    }

    /// The IPv6 address without its brackets, for comparisons with the
    /// unbracketed form of Via `received` (RFC 5118 §4.5).
    pub fn ipv6_address(&self) -> Option<&'a [u8]> {
        match self.kind {
            HostKind::Ipv6 => self.raw.get(1..self.raw.len().saturating_sub(1)),
            _ => None,
        }
    }

    /// True when the host is the IPv4 limited broadcast address
    /// `255.255.255.255`, which RFC 4475 §3.3.10 (`bcast`) shows in a Via
    /// sent-by: a response must not be sent there blindly (RFC 3261 §18.2.2).
    pub fn is_ipv4_broadcast(&self) -> bool {
        self.kind == HostKind::Ipv4 && is_ipv4_broadcast(self.raw)
    }
}

/// True when `s` is exactly `255.255.255.255` (RFC 4475 `bcast`).
pub fn is_ipv4_broadcast(s: &[u8]) -> bool {
    s == b"255.255.255.255"
}

/// A `hostport`: host with optional port (RFC 3261 §25.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HostPort<'a> {
    host: Host<'a>,
    port: Option<u16>,
    port_span: Option<Span>,
}

impl<'a> HostPort<'a> {
    /// Parses `s` as exactly one `hostport` (no LWS); `base` is the absolute
    /// offset of `s[0]`.
    pub fn parse(s: &'a [u8], base: usize) -> Result<Self, HeaderValueError> {
        let mut cur = Cursor::new(s, base);
        let hp = scan_hostport(&mut cur, false)?;
        if !cur.at_end() {
            return Err(cur.err(HeaderValueErrorKind::UnexpectedChar));
        }
        Ok(hp)
    }

    /// The host.
    pub fn host(&self) -> Host<'a> {
        self.host
    }

    /// The port, when one was given.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// Absolute span of the port digits, when a port was given.
    pub fn port_span(&self) -> Option<Span> {
        self.port_span
    }

    /// Absolute span from the host through the port.
    pub fn span(&self) -> Span {
        Span::new(
            self.host.span.start,
            self.port_span.map_or(self.host.span.end, |p| p.end),
        )
    }
}

/// True when `s` is a bare IP address: an `IPv4address` or an unbracketed
/// `IPv6address`, the grammar of Via `received` (RFC 3261 §18.2.1, §25.1;
/// RFC 5118 §4.5 says senders must not bracket it).
pub fn is_ip_address(s: &[u8]) -> bool {
    is_ipv4(s) || is_ipv6(s)
}

/// True when `s` is a dotted-quad IPv4 address, each octet ≤ 255.
pub fn is_ipv4(s: &[u8]) -> bool {
    // One pass: up to three digits an octet, a dot between octets. Every
    // Via `received` and numeric host is checked with this.
    let mut i = 0;
    for octet in 0..4 {
        let start = i;
        let mut v = 0u32;
        while i < s.len() && i - start < 3 && lex::is_digit(s[i]) {
            v = v * 10 + u32::from(s[i] - b'0');
            i += 1;
        }
        if i == start || v > 255 {
            return false;
        }
        if octet < 3 {
            if s.get(i) != Some(&b'.') {
                return false;
            }
            i += 1;
        }
    }
    i == s.len()
}

/// Validates `hexseq` (`hex4 *( ":" hex4 )`); returns the group count.
fn hexseq_groups(s: &[u8]) -> Option<usize> {
    let mut n = 0;
    for g in s.split(|&b| b == b':') {
        if g.is_empty() || g.len() > 4 || !g.iter().all(|&b| lex::is_hex(b)) {
            return None;
        }
        n += 1;
    }
    Some(n)
}

/// Validates `hexpart`; returns (groups, has "::").
fn hexpart(s: &[u8]) -> Option<(usize, bool)> {
    match s.windows(2).position(|w| w == b"::") {
        None => Some((hexseq_groups(s)?, false)),
        Some(i) => {
            let (l, r) = (&s[..i], &s[i + 2..]);
            let nl = if l.is_empty() { 0 } else { hexseq_groups(l)? };
            let nr = if r.is_empty() { 0 } else { hexseq_groups(r)? };
            Some((nl + nr, true))
        }
    }
}

/// True when `s` is an unbracketed `IPv6address`, including RFC 3261's
/// three-colon bug form tolerated by RFC 5118 §4.10.
pub fn is_ipv6(s: &[u8]) -> bool {
    if s.is_empty() || !s.contains(&b':') {
        return false;
    }
    let count_ok = |(groups, compressed): (usize, bool)| {
        if compressed {
            groups <= 7
        } else {
            groups == 8
        }
    };
    if s.contains(&b'.') {
        let Some(i) = s.iter().rposition(|&b| b == b':') else {
            return false;
        };
        if !is_ipv4(&s[i + 1..]) {
            return false;
        }
        // `hexpart ":" IPv4address`: the head before the last colon, or
        // (for the `::` form) the head including it.
        let head = &s[..i];
        let with_colon = &s[..i + 1];
        [head, with_colon]
            .iter()
            .filter_map(|h| hexpart(h))
            .any(|(g, c)| count_ok((g + 2, c)))
    } else {
        hexpart(s).is_some_and(count_ok)
    }
}

/// True when `s` is a `hostname` (RFC 3261 §25.1), trailing dot allowed.
#[cfg(test)]
pub(crate) fn is_hostname(s: &[u8]) -> bool {
    let s = s.strip_suffix(b".").unwrap_or(s);
    if s.is_empty() {
        return false;
    }
    let mut last: &[u8] = &[];
    for label in s.split(|&b| b == b'.') {
        let ok = !label.is_empty()
            && label.first().is_some_and(u8::is_ascii_alphanumeric)
            && label.last().is_some_and(u8::is_ascii_alphanumeric)
            && label
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok {
            return false;
        }
        last = label;
    }
    last.first().is_some_and(u8::is_ascii_alphabetic)
}

/// Scans one `host` at the cursor (the grammar's [`host`](grammar::host::host)
/// production); stops at the first byte that cannot be part of it. A bad
/// host is `BadHost` at its first byte.
pub(crate) fn scan_host<'a>(cur: &mut Cursor<'a>) -> Result<Host<'a>, HeaderValueError> {
    let start = cur.pos;
    let i = cur.rest();
    let (rest, (kind, raw)) =
        grammar::host::host(i).map_err(|_| cur.err_at(HeaderValueErrorKind::BadHost, start))?;
    cur.pos = start + grammar::offset(i, rest);
    Ok(Host {
        raw,
        span: cur.span_from(start),
        kind,
    })
}

/// Scans `host [ ":" port ]` (the grammar's
/// [`hostport`](grammar::host::hostport)). With `lws`, LWS is allowed
/// around the colon (Via `sent-by` uses `COLON = SWS ":" SWS`, RFC 3261
/// §25.1); a URI allows none. A bad port is `BadPort` at its first byte.
pub(crate) fn scan_hostport<'a>(
    cur: &mut Cursor<'a>,
    lws: bool,
) -> Result<HostPort<'a>, HeaderValueError> {
    let start = cur.pos;
    let i = cur.rest();
    let (rest, ((kind, raw), port)) = match grammar::host::hostport(lws)(i) {
        Ok(r) => r,
        Err(e) => {
            // The host is read first: an error at the start is the host's.
            let at = grammar::error_offset(i, &e);
            let kind = if at == 0 {
                HeaderValueErrorKind::BadHost
            } else {
                HeaderValueErrorKind::BadPort
            };
            return Err(cur.err_at(kind, start + at));
        }
    };
    let host = Host {
        raw,
        span: Span::new(cur.base + start, cur.base + start + raw.len()),
        kind,
    };
    cur.pos = start + grammar::offset(i, rest);
    Ok(HostPort {
        host,
        port: port.map(|p| p.0),
        port_span: port.map(|(_, d)| Span::new(cur.base + cur.pos - d.len(), cur.base + cur.pos)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use HeaderValueErrorKind as K;

    const BASE: usize = 1000;

    #[test]
    fn hosts_valid() {
        let table: &[(&[u8], HostKind)] = &[
            (b"example.com", HostKind::Name),
            (b"example.com.", HostKind::Name),
            (b"t1.example.com", HostKind::Name),
            (b"a", HostKind::Name),
            (b"chair-dnrc.example.com", HostKind::Name),
            (b"1x.example.com", HostKind::Name),
            (b"192.0.2.1", HostKind::Ipv4),
            (b"255.255.255.255", HostKind::Ipv4),
            (b"[2001:db8::10]", HostKind::Ipv6),
            (b"[::ffff:192.0.2.10]", HostKind::Ipv6),
            (b"[2001:db8::192.0.2.1]", HostKind::Ipv6),
            // RFC 5118 §4.10: RFC 3261 ABNF bug form, tolerated.
            (b"[2001:db8:::192.0.2.1]", HostKind::Ipv6),
            (b"[::1]", HostKind::Ipv6),
            (b"[::]", HostKind::Ipv6),
            (b"[1:2:3:4:5:6:7:8]", HostKind::Ipv6),
            (b"[1:2:3:4:5:6:192.0.2.1]", HostKind::Ipv6),
        ];
        for &(s, kind) in table {
            let h = Host::parse(s, BASE).unwrap_or_else(|e| panic!("{:?}: {e}", s));
            assert_eq!(h.kind(), kind, "{:?}", s);
            assert_eq!(h.as_bytes(), s);
            assert_eq!(h.span(), Span::new(BASE, BASE + s.len()));
        }
        assert!(Host::parse(b"255.255.255.255", 0)
            .unwrap()
            .is_ipv4_broadcast());
        assert!(!Host::parse(b"192.0.2.255", 0).unwrap().is_ipv4_broadcast());
        assert_eq!(
            Host::parse(b"[::1]", 0).unwrap().ipv6_address(),
            Some(&b"::1"[..])
        );
    }

    #[test]
    fn hosts_invalid() {
        let table: &[(&[u8], K, usize)] = &[
            (b"", K::BadHost, 0),
            (b"2001:db8::10", K::BadHost, 0),
            (b"192.0.2.256", K::BadHost, 0),
            (b"1.2.3", K::BadHost, 0),
            (b"-a.com", K::BadHost, 0),
            (b"a-.com", K::BadHost, 0),
            (b"a..com", K::BadHost, 0),
            (b"example.123", K::BadHost, 0),
            (b"[2001:db8::10", K::BadHost, 0),
            (b"[2001:db8::10:5070:1:2:3:4]", K::BadHost, 0),
            (b"[1:2:3:4:5:6:7]", K::BadHost, 0),
            (b"[1::2::3]", K::BadHost, 0),
            (b"[12345::]", K::BadHost, 0),
            (b"[192.0.2.1]", K::BadHost, 0),
            (b"exa_mple.com", K::BadHost, 3),
        ];
        for &(s, kind, at) in table {
            let e = Host::parse(s, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (kind, BASE + at), "{:?}", s);
        }
    }

    #[test]
    fn hostports() {
        let hp = HostPort::parse(b"[2001:db8::9:1]:6050", BASE).unwrap();
        assert!(hp.host().is_ipv6());
        assert_eq!(hp.port(), Some(6050));
        assert_eq!(hp.port_span(), Some(Span::new(BASE + 16, BASE + 20)));
        assert_eq!(hp.span(), Span::new(BASE, BASE + 20));
        let hp = HostPort::parse(b"host4.example.com", BASE).unwrap();
        assert_eq!((hp.port(), hp.port_span()), (None, None));
        assert_eq!(HostPort::parse(b"h:0", 0).unwrap().port(), Some(0));
        assert_eq!(HostPort::parse(b"h:65535", 0).unwrap().port(), Some(65535));
        assert_eq!(HostPort::parse(b"h:0005060", 0).unwrap().port(), Some(5060));
        for (s, at) in [
            (&b"h:65536"[..], 2),
            (b"h:", 2),
            (b"h:x", 2),
            (b"[::1]:50a", 6),
            (b"h:99999999999999999999999", 2),
        ] {
            let e = HostPort::parse(s, BASE).unwrap_err();
            assert_eq!((e.kind(), e.offset()), (K::BadPort, BASE + at), "{:?}", s);
        }
        // RFC 5118 §4.2 ipv6-bad: unbracketed IPv6 is not a hostport.
        assert_eq!(
            HostPort::parse(b"2001:db8::10", 0).unwrap_err().kind(),
            K::BadHost
        );
        // LWS around the colon only where allowed (Via sent-by).
        let mut c = Cursor::new(b"h \r\n : 5060", BASE);
        assert_eq!(scan_hostport(&mut c, true).unwrap().port(), Some(5060));
        let mut c = Cursor::new(b"h : 5060", BASE);
        let hp = scan_hostport(&mut c, false).unwrap();
        assert_eq!((hp.port(), c.pos), (None, 1));
    }

    #[test]
    fn bare_ip_addresses() {
        for s in [
            &b"192.0.2.200"[..],
            b"2001:db8::9:255",
            b"::ffff:192.0.2.2",
            b"2001:db8:::192.0.2.1",
            b"::",
        ] {
            assert!(is_ip_address(s), "{:?}", s);
        }
        for s in [
            &b"[2001:db8::9:255]"[..],
            b"example.com",
            b"",
            b"1.2.3.4.5",
            b"01234.1.1.1",
            b":::",
            b"1:2",
        ] {
            assert!(!is_ip_address(s), "{:?}", s);
        }
    }

    mod props {
        use super::*;
        use crate::header::typed::addr_gen::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn generated_hostports_round_trip(
                h in host(),
                port in proptest::option::of(any::<u16>()),
                base in 0usize..10_000,
            ) {
                let s = match port {
                    Some(p) => format!("{h}:{p}"),
                    None => h.clone(),
                };
                let hp = HostPort::parse(s.as_bytes(), base).unwrap();
                prop_assert_eq!(hp.host().as_bytes(), h.as_bytes());
                prop_assert_eq!(hp.host().span(), Span::new(base, base + h.len()));
                prop_assert_eq!(hp.port(), port);
                prop_assert_eq!(hp.span(), Span::new(base, base + s.len()));
                prop_assert_eq!(hp.host().is_ipv6(), h.starts_with('['));
            }

            #[test]
            fn generated_addresses_classify(v4 in ipv4(), v6 in ipv6(), name in hostname()) {
                prop_assert!(is_ipv4(v4.as_bytes()) && is_ip_address(v4.as_bytes()));
                prop_assert!(is_ipv6(v6.as_bytes()) && !is_ipv4(v6.as_bytes()));
                prop_assert!(!is_ip_address(name.as_bytes()));
                prop_assert!(Host::parse(name.as_bytes(), 0).unwrap().is_name());
                let br = format!("[{v6}]");
                prop_assert!(!is_ip_address(br.as_bytes()));
            }

            /// The one-pass `is_ipv4` against the grammar read literally
            /// (`1*3DIGIT` four times with dots between, each at most 255),
            /// on dotted digit strings near the edges.
            #[test]
            fn ipv4_matches_the_grammar(s in "[0-9.]{0,18}|[0-9]{1,4}(\\.[0-9]{1,4}){2,4}[.x]?") {
                let parts: Vec<&str> = s.split('.').collect();
                let want = parts.len() == 4
                    && parts.iter().all(|p| {
                        (1..=3).contains(&p.len())
                            && p.bytes().all(|b| b.is_ascii_digit())
                            && p.parse::<u32>().is_ok_and(|v| v <= 255)
                    });
                prop_assert_eq!(is_ipv4(s.as_bytes()), want, "{:?}", s);
            }

            #[test]
            fn arbitrary_bytes_never_panic(s in addrish_bytes(), base in 0usize..1000) {
                if let Ok(hp) = HostPort::parse(&s, base) {
                    prop_assert!(in_bounds(hp.span(), base, s.len()));
                    prop_assert!(in_bounds(hp.host().span(), base, s.len()));
                    let sp = hp.host().span();
                    prop_assert_eq!(&s[sp.start - base..sp.end - base], hp.host().as_bytes());
                }
                if let Err(e) = Host::parse(&s, base) {
                    prop_assert!(e.offset() >= base && e.offset() <= base + s.len());
                }
                let _ = is_ip_address(&s);
            }
        }
    }
}
