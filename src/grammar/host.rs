//! Hosts and ports (RFC 3261 §25.1, RFC 5118):
//!
//! ```text
//! hostport      = host [ ":" port ]
//! host          = hostname / IPv4address / IPv6reference
//! hostname      = *( domainlabel "." ) toplabel [ "." ]
//! IPv4address   = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT
//! IPv6reference = "[" IPv6address "]"
//! ```
//!
//! The host takes the longest run of host bytes and then decides what it
//! is (so `1.2.3.4.example.com` is a name, not an address followed by
//! garbage). IPv4 octets must be at most 255; RFC 3261's three-colon IPv6
//! form tolerated by RFC 5118 §4.10 is accepted.

use nom::error::ErrorKind;

use super::number::port;
use super::text::sws;
use super::{fail, PResult};
use crate::header::typed::host::is_ipv6;
use crate::header::typed::HostKind;

/// `host`: the bytes and what they are. A bad host fails at its first byte.
pub fn host(i: &[u8]) -> PResult<'_, (HostKind, &[u8])> {
    if i.first() == Some(&b'[') {
        return match i.iter().position(|&b| b == b']') {
            Some(close) if is_ipv6(&i[1..close]) => {
                Ok((&i[close + 1..], (HostKind::Ipv6, &i[..close + 1])))
            }
            _ => fail(i, ErrorKind::Verify),
        };
    }
    match classify(i) {
        (n, Some(kind)) => Ok((&i[n..], (kind, &i[..n]))),
        (_, None) => fail(i, ErrorKind::Verify),
    }
}

/// Byte classes of [`classify`]: a digit, a letter, `-`, `.`; 0 ends the
/// host.
const DIGIT: u8 = 1;
const ALPHA: u8 = 2;
const HYPHEN: u8 = 4;
const DOT: u8 = 8;
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c.is_ascii_digit() {
            DIGIT
        } else if c.is_ascii_alphabetic() {
            ALPHA
        } else if c == b'-' {
            HYPHEN
        } else if c == b'.' {
            DOT
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The longest run of host bytes (letters, digits, `-`, `.`) at the start
/// of `i`, and what it is: an `IPv4address` (four dot-separated decimal
/// octets of at most three digits, each at most 255), else a `hostname`
/// (labels of letters, digits and inner hyphens, the last one starting
/// with a letter, an optional final dot), else nothing.
///
/// This runs for every URI and Via the validator reads, so it is two
/// tight passes rather than one with a state machine per byte: the run is
/// found while noting which byte classes it holds, and only then checked
/// against the production its classes allow.
fn classify(i: &[u8]) -> (usize, Option<HostKind>) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if let Some(read) = classify_blocks(i) {
        return read;
    }
    classify_scalar(i)
}

/// [`classify`] by SSE2 blocks: the run's letters, hyphens and dots as bit
/// sets (one bit a byte, from `i[0]`), then every check of the scalar
/// version as a few operations on them (a doubled dot is `dot & dot >> 1`,
/// the top label's start the highest dot). `None` for a run of 64 bytes or
/// more, which [`classify_scalar`] takes. The `host` tests and a property
/// test hold the two to the same answers.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn classify_blocks(i: &[u8]) -> Option<(usize, Option<HostKind>)> {
    let (n, letter, dash, dot) = crate::simd::host_bits(i)?;
    if n == 0 {
        return Some((0, None));
    }
    if letter | dash == 0 {
        // Digits and dots: an address, or nothing.
        return Some((n, is_ipv4_run(&i[..n]).then_some(HostKind::Ipv4)));
    }
    // The one final dot a name may end with is not part of a label.
    let len = n - usize::from(dot >> (n - 1) & 1 == 1);
    if len == 0 {
        return Some((n, None));
    }
    let name = if len == 64 { !0 } else { (1u64 << len) - 1 };
    let (dot, dash) = (dot & name, dash & name);
    let ends = dot | dash;
    // No label empty or starting or ending with a hyphen: the name's ends,
    // then `..`, `.-` and `-.` (bit `k` is byte `k`).
    let bad = ends & 1 != 0
        || ends >> (len - 1) & 1 != 0
        || dot & (dot >> 1) != 0
        || dot & (dash >> 1) != 0
        || dash & (dot >> 1) != 0;
    // The top label starts after the last dot, with a letter.
    let top = 64 - dot.leading_zeros() as usize;
    let ok = !bad && letter >> top & 1 == 1;
    Some((n, ok.then_some(HostKind::Name)))
}

/// [`classify`] a byte at a time: for any target, and for runs too long
/// for [`classify_blocks`].
fn classify_scalar(i: &[u8]) -> (usize, Option<HostKind>) {
    let mut n = 0;
    let mut seen = 0u8;
    while let Some(&b) = i.get(n) {
        let c = CLASS[usize::from(b)];
        if c == 0 {
            break;
        }
        seen |= c;
        n += 1;
    }
    let raw = &i[..n];
    if n == 0 {
        return (0, None);
    }
    if seen & (ALPHA | HYPHEN) == 0 {
        // Digits and dots: an address, or nothing (a name's last label
        // starts with a letter).
        return (n, is_ipv4_run(raw).then_some(HostKind::Ipv4));
    }
    let name = raw.strip_suffix(b".").unwrap_or(raw);
    let (Some(&first), Some(&last)) = (name.first(), name.last()) else {
        return (n, None);
    };
    // No empty label (no leading, trailing beyond the one allowed final
    // dot, or doubled dot) and no label starting or ending with a hyphen:
    // the name's ends, then the bytes beside each inner dot (a name has a
    // few dots, so this visits a few bytes rather than every pair).
    if matches!(first, b'.' | b'-') || matches!(last, b'.' | b'-') {
        return (n, None);
    }
    let mut ok = true;
    // Where the top label starts.
    let mut top = 0;
    // `0 < d < name.len() - 1` for a dot at `d`: the name neither starts
    // nor ends with one.
    for d in 1..name.len().saturating_sub(1) {
        if name[d] == b'.' {
            let (before, after) = (name[d - 1], name[d + 1]);
            ok &= before != b'-' && after != b'.' && after != b'-';
            top = d + 1;
        }
    }
    // The top label starts with a letter.
    ok &= name.get(top).is_some_and(u8::is_ascii_alphabetic);
    (n, ok.then_some(HostKind::Name))
}

/// `IPv4address` on a run of digits and dots: exactly four octets of one
/// to three digits, each at most 255.
fn is_ipv4_run(raw: &[u8]) -> bool {
    let (mut dots, mut len, mut octet) = (0, 0, 0u32);
    for &b in raw {
        if b == b'.' {
            if len == 0 || octet > 255 {
                return false;
            }
            dots += 1;
            len = 0;
            octet = 0;
        } else {
            len += 1;
            if len > 3 {
                return false;
            }
            octet = octet * 10 + u32::from(b - b'0');
        }
    }
    dots == 3 && len > 0 && octet <= 255
}

/// `IPv4address`.
pub fn ipv4address(i: &[u8]) -> PResult<'_, &[u8]> {
    match host(i) {
        Ok((rest, (HostKind::Ipv4, raw))) => Ok((rest, raw)),
        _ => fail(i, ErrorKind::Verify),
    }
}

/// `IPv6reference` (brackets included).
pub fn ipv6reference(i: &[u8]) -> PResult<'_, &[u8]> {
    match host(i) {
        Ok((rest, (HostKind::Ipv6, raw))) => Ok((rest, raw)),
        _ => fail(i, ErrorKind::Verify),
    }
}

/// `hostname`.
pub fn hostname(i: &[u8]) -> PResult<'_, &[u8]> {
    match host(i) {
        Ok((rest, (HostKind::Name, raw))) => Ok((rest, raw)),
        _ => fail(i, ErrorKind::Verify),
    }
}

/// A host and, when a colon follows, its port. `lws` allows LWS around the
/// colon (Via `sent-by`: `COLON = SWS ":" SWS`); a URI allows none. A colon
/// not followed by a valid port fails at the first byte after the colon
/// (and its LWS).
#[allow(clippy::type_complexity)]
pub fn hostport(
    lws: bool,
) -> impl Fn(&[u8]) -> PResult<'_, ((HostKind, &[u8]), Option<(u16, &[u8])>)> {
    move |i: &[u8]| {
        let (after_host, h) = host(i)?;
        let (j, _) = if lws {
            sws(after_host)?
        } else {
            (after_host, &[][..])
        };
        if j.first() != Some(&b':') {
            return Ok((after_host, (h, None)));
        }
        let (k, _) = if lws {
            sws(&j[1..])?
        } else {
            (&j[1..], &[][..])
        };
        match port(k) {
            // A port followed by more host-ish bytes (`[::1]:50a`) is not a port.
            Ok((rest, _)) if rest.first().is_some_and(u8::is_ascii_alphanumeric) => {
                fail(k, ErrorKind::Digit)
            }
            Ok((rest, p)) => Ok((rest, (h, Some(p)))),
            Err(_) => fail(k, ErrorKind::Digit),
        }
    }
}

#[cfg(test)]
#[allow(clippy::type_complexity)] // test tables
mod tests {
    use super::*;
    use crate::grammar::error_offset;

    #[test]
    fn hosts() {
        use HostKind::*;
        let table: &[(&[u8], Option<(HostKind, &[u8], &[u8])>)] = &[
            (b"example.com;x", Some((Name, b"example.com", b";x"))),
            (b"example.com.", Some((Name, b"example.com.", b""))),
            (b"192.0.2.1:5060", Some((Ipv4, b"192.0.2.1", b":5060"))),
            (
                b"[2001:db8::1]:5060",
                Some((Ipv6, b"[2001:db8::1]", b":5060")),
            ),
            (
                b"[::ffff:192.0.2.10]",
                Some((Ipv6, b"[::ffff:192.0.2.10]", b"")),
            ),
            (
                b"1.2.3.4.example.com",
                Some((Name, b"1.2.3.4.example.com", b"")),
            ),
            (b"256.0.0.1", None),
            (b"1.2.3", None),
            (b"-a.com", None),
            (b"[2001:db8::1", None),
            (b"[zz]", None),
            (b"", None),
            (b"2001:db8::1", None),
        ];
        for &(i, want) in table {
            let got = host(i).ok().map(|(r, (k, h))| (k, h, r));
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(i));
        }
        assert_eq!(ipv4address(b"10.0.0.1;").map(|r| r.1), Ok(&b"10.0.0.1"[..]));
        assert!(ipv4address(b"a.b").is_err());
        assert!(ipv6reference(b"[::1]").is_ok());
        assert!(hostname(b"[::1]").is_err());
    }

    /// Every run of up to six bytes over `a`, `1`, `-`, `.` reads as the
    /// productions say (the one-pass classifier against `is_hostname`).
    #[test]
    fn short_runs_agree_with_the_productions() {
        use crate::header::typed::host::{is_hostname, is_ipv4};
        let mut runs = vec![Vec::new()];
        for _ in 0..6 {
            let last: Vec<Vec<u8>> = runs
                .iter()
                .filter(|r| r.len() == runs.last().map_or(0, Vec::len))
                .cloned()
                .collect();
            for r in last {
                for b in [b'a', b'1', b'-', b'.'] {
                    let mut x = r.clone();
                    x.push(b);
                    runs.push(x);
                }
            }
        }
        assert_eq!(runs.len(), (0..=6).map(|k| 4usize.pow(k)).sum::<usize>());
        for raw in runs {
            let want = if raw.is_empty() {
                None
            } else if is_ipv4(&raw) {
                Some(HostKind::Ipv4)
            } else if is_hostname(&raw) {
                Some(HostKind::Name)
            } else {
                None
            };
            assert_eq!(
                classify(&raw).1,
                want,
                "{:?}",
                String::from_utf8_lossy(&raw)
            );
        }
    }

    #[test]
    fn hostports() {
        let (rest, (h, p)) = hostport(true)(b"h.example.com \r\n : 5060;x").unwrap();
        assert_eq!(
            (h.1, p.map(|p| p.0), rest),
            (&b"h.example.com"[..], Some(5060), &b";x"[..])
        );
        // Without LWS leave the white space alone.
        let (rest, (_, p)) = hostport(false)(b"h :5060").unwrap();
        assert_eq!((p, rest), (None, &b" :5060"[..]));
        let s = b"h:70000";
        let e = hostport(false)(s).unwrap_err();
        assert_eq!(error_offset(s, &e), 2);
        let s = b"[::1]:50a";
        assert_eq!(error_offset(s, &hostport(false)(s).unwrap_err()), 6);
        let s = b"h: x";
        assert_eq!(error_offset(s, &hostport(true)(s).unwrap_err()), 3);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn ipv4_round_trips(a in any::<[u8; 4]>(), tail in "[;:>, ]?") {
                let s = format!("{}.{}.{}.{}{tail}", a[0], a[1], a[2], a[3]);
                let (rest, (k, h)) = host(s.as_bytes()).unwrap();
                prop_assert_eq!(k, HostKind::Ipv4);
                prop_assert_eq!(h.len() + rest.len(), s.len());
                prop_assert_eq!(rest, tail.as_bytes());
            }

            #[test]
            fn ipv6_round_trips(a in any::<[u16; 8]>()) {
                let addr = std::net::Ipv6Addr::from(a);
                let s = format!("[{addr}]:1");
                let (rest, (h, p)) = hostport(false)(s.as_bytes()).unwrap();
                prop_assert_eq!(h.0, HostKind::Ipv6);
                prop_assert_eq!(p.map(|p| p.0), Some(1));
                prop_assert!(rest.is_empty());
            }

            /// The block classifier answers as the scalar one on any
            /// bytes: runs across block ends, over 64 bytes, non-ASCII.
            #[test]
            fn blocks_agree_with_the_scalar_classifier(
                s in proptest::collection::vec(
                    prop_oneof![
                        4 => prop::sample::select(b"aZ09-.".to_vec()),
                        1 => any::<u8>(),
                    ],
                    0..90,
                )
            ) {
                prop_assert_eq!(classify(&s), classify_scalar(&s), "{:?}", String::from_utf8_lossy(&s));
            }

            #[test]
            fn one_pass_agrees_with_the_productions(s in prop_oneof!["[a-z0-9.-]{0,12}[;:]?", "[0-9.]{1,16}", "[0-9]{1,4}(\\.[0-9]{0,4}){0,4}\\.?", "[a-zA-Z0-9-]{1,4}(\\.[a-z0-9-]{0,4}){0,4}\\.?"]) {
                use crate::header::typed::host::{is_hostname, is_ipv4};
                let b = s.as_bytes();
                let n = b.iter().position(|c| !(c.is_ascii_alphanumeric() || *c == b'-' || *c == b'.')).unwrap_or(b.len());
                let raw = &b[..n];
                let want = if raw.is_empty() { None } else if is_ipv4(raw) { Some(HostKind::Ipv4) } else if is_hostname(raw) { Some(HostKind::Name) } else { None };
                let (m, got) = classify(b);
                prop_assert_eq!(got, want, "{:?}", s);
                prop_assert_eq!(classify_scalar(b), (m, got), "{:?}", s);
                if got.is_some() { prop_assert_eq!(m, n); }
            }

            #[test]
            fn never_panics(s in proptest::collection::vec(any::<u8>(), 0..30)) {
                if let Ok((rest, (_, h))) = host(&s) {
                    prop_assert_eq!(h.len() + rest.len(), s.len());
                }
            }
        }
    }
}
