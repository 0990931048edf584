//! URI comparison (RFC 3261 §19.1.4), for the rules that ask whether a
//! value was copied: two URIs that differ only in parameter order, in the
//! case of the host or of a parameter, or in an escape of an unreserved
//! character, are one URI.

use super::uri::{Uri, UriKind};

/// Parameters compared at most (the typed parsers' cap): past it the
/// comparison gives up and says "different".
const MAX_PARAMS: usize = 64;

impl Uri<'_> {
    /// True when `self` and `other` are equivalent under RFC 3261 §19.1.4:
    ///
    /// * SIP and SIPS URIs: the same scheme; the user and password equal
    ///   byte for byte once escapes of unreserved characters are read (the
    ///   userinfo is case-sensitive); the host and every other part equal
    ///   ignoring ASCII case; the same port, a given port never matching an
    ///   omitted one; every URI parameter present in both equal, a `user`,
    ///   `ttl`, `method` or `maddr` present in only one never matching, any
    ///   other present in only one ignored; the same headers (`?h=v`), in
    ///   any order.
    /// * Other schemes (`tel:` and absolute URIs): the same bytes ignoring
    ///   ASCII case.
    ///
    /// No name is resolved: a host name never matches an address.
    pub fn matches(&self, other: &Uri<'_>) -> bool {
        self.compare(other, Mode::Match)
    }

    /// [`Uri::matches`], and the same set of URI parameters on both sides:
    /// what a copy of the URI must keep (RFC 3261 §12.1.1 has a UAS copy
    /// Record-Route values "including the URIs, URI parameters"; a copy
    /// without `;lr` routes otherwise). Order and case still do not count.
    pub fn is_copy_of(&self, other: &Uri<'_>) -> bool {
        self.compare(other, Mode::Copy)
    }

    /// [`Uri::matches`] once the parts that RFC 3261 §19.1.1 Table 1 does
    /// not allow in a From or To URI are set aside on both sides: the
    /// port, the `transport`, `maddr`, `ttl`, `lr` and `method`
    /// parameters, and the headers. True when two From (or To) URIs that
    /// do not match differ only there: a UAS that drops the port of a From
    /// URI (PJSIP does, citing the table) still breaks §8.2.6.2's copy,
    /// and the finding can say where.
    pub(crate) fn matches_but_table1(&self, other: &Uri<'_>) -> bool {
        self.compare(other, Mode::FromToParts)
    }

    fn compare(&self, other: &Uri<'_>, mode: Mode) -> bool {
        let sip = |k| matches!(k, UriKind::Sip | UriKind::Sips);
        if self.kind() != other.kind() || !sip(self.kind()) {
            return self.kind() == other.kind()
                && self.as_bytes().eq_ignore_ascii_case(other.as_bytes());
        }
        let from_to = mode == Mode::FromToParts;
        same_unescaped(self.user(), other.user(), false)
            && same_unescaped(self.password(), other.password(), false)
            && match (
                self.host().map(|h| h.as_bytes()),
                other.host().map(|h| h.as_bytes()),
            ) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                (a, b) => a == b,
            }
            && (from_to || self.port() == other.port())
            && same_uri_params(self, other, mode)
            && (from_to || same_uri_headers(self.headers(), other.headers()))
    }
}

/// How [`Uri::compare`] compares.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// §19.1.4 ([`Uri::matches`]).
    Match,
    /// §19.1.4 and the same parameter names ([`Uri::is_copy_of`]).
    Copy,
    /// §19.1.4 without the parts Table 1 keeps out of From and To
    /// ([`Uri::matches_but_table1`]).
    FromToParts,
}

/// The URI parameters of `a` and `b` match (see [`Uri::matches`]); with
/// [`Mode::Copy`] each side's names must also be the other's, with
/// [`Mode::FromToParts`] the parameters Table 1 keeps out of From and To
/// are not looked at.
fn same_uri_params(a: &Uri<'_>, b: &Uri<'_>, mode: Mode) -> bool {
    /// Never ignored when present in only one URI.
    const STRICT: [&str; 4] = ["user", "ttl", "method", "maddr"];
    fn named(list: &[&str], name: &[u8]) -> bool {
        list.iter().any(|s| name.eq_ignore_ascii_case(s.as_bytes()))
    }
    fn pairs<'x>(
        u: &Uri<'x>,
        skip: bool,
    ) -> impl Iterator<Item = (&'x [u8], Option<&'x [u8]>)> + Clone {
        /// Not allowed in a From or To URI (§19.1.1 Table 1).
        const NOT_IN_FROM_TO: [&str; 5] = ["transport", "maddr", "ttl", "lr", "method"];
        u.params()
            .iter()
            .filter(move |p| !(skip && named(&NOT_IN_FROM_TO, p.name())))
            .map(|p| (p.name(), p.value()))
    }
    let skip = mode == Mode::FromToParts;
    params_match(
        pairs(a, skip),
        pairs(b, skip),
        |name| mode == Mode::Copy || named(&STRICT, name),
        |x, y| same_unescaped(x, y, true),
    )
}

/// Two parameter lists match as RFC 3261 compares them (§19.1.4 for a
/// URI's, §20.20 for a From's or To's): a parameter present in both has
/// the same value on both sides (`same_value`), and one present in only
/// one side is ignored, unless `required` says its name must be on both.
/// Names compare ignoring ASCII case, the order does not count. More than
/// [`MAX_PARAMS`] on a side (beyond the typed parsers' cap): no match, so
/// the quadratic comparison stays bounded.
pub(crate) fn params_match<'x, I>(
    a: I,
    b: I,
    required: impl Fn(&[u8]) -> bool,
    same_value: impl Fn(Option<&[u8]>, Option<&[u8]>) -> bool,
) -> bool
where
    I: Iterator<Item = (&'x [u8], Option<&'x [u8]>)> + Clone,
{
    if a.clone().nth(MAX_PARAMS).is_some() || b.clone().nth(MAX_PARAMS).is_some() {
        return false;
    }
    let one_way = |x: &I, y: &I| {
        x.clone().all(
            |(name, value)| match y.clone().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
                Some((_, v)) => same_value(value, v),
                None => !required(name),
            },
        )
    };
    one_way(&a, &b) && one_way(&b, &a)
}

/// The `headers` parts of two URIs hold the same `hname=hvalue` pairs, in
/// any order, ignoring ASCII case.
fn same_uri_headers(a: Option<&[u8]>, b: Option<&[u8]>) -> bool {
    fn pairs(h: Option<&[u8]>) -> impl Iterator<Item = &[u8]> + Clone {
        h.unwrap_or_default()
            .split(|&c| c == b'&')
            .filter(|p| !p.is_empty())
    }
    let (a, b) = (pairs(a), pairs(b));
    if a.clone().nth(MAX_PARAMS).is_some() || b.clone().nth(MAX_PARAMS).is_some() {
        return false;
    }
    fn within<'x>(x: &[u8], mut ys: impl Iterator<Item = &'x [u8]>) -> bool {
        ys.any(|y| same_unescaped(Some(x), Some(y), true))
    }
    a.clone().all(|x| within(x, b.clone())) && b.clone().all(|y| within(y, a.clone()))
}

/// `a` and `b` are the same once `%HH` escapes of characters outside the
/// reserved set are read as those characters (§19.1.4: such an escape is
/// equivalent to the character); `fold`: ignoring ASCII case.
fn same_unescaped(a: Option<&[u8]>, b: Option<&[u8]>, fold: bool) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            let (mut x, mut y) = (Unescaped::new(a), Unescaped::new(b));
            loop {
                match (x.next(), y.next()) {
                    (None, None) => return true,
                    (Some(c), Some(d)) if c == d || (fold && c.eq_ignore_ascii_case(&d)) => {}
                    _ => return false,
                }
            }
        }
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// The bytes of a URI part with each `%HH` escape of a character outside
/// the reserved set (RFC 3261 §25.1 `reserved`) read as that character.
/// An escape of a reserved character stays an escape, its hex digits
/// upper-cased (their case carries nothing).
struct Unescaped<'a> {
    rest: &'a [u8],
    /// The upper-cased hex digits of a kept escape, still to hand out.
    digits: [u8; 2],
    pending: usize,
}

impl<'a> Unescaped<'a> {
    fn new(rest: &'a [u8]) -> Self {
        Unescaped {
            rest,
            digits: [0; 2],
            pending: 0,
        }
    }
}

impl Iterator for Unescaped<'_> {
    type Item = u8;
    fn next(&mut self) -> Option<u8> {
        if self.pending > 0 {
            self.pending -= 1;
            return Some(self.digits[1 - self.pending]);
        }
        if let [b'%', h, l, ..] = *self.rest {
            if let (Some(hi), Some(lo)) = (hex(h), hex(l)) {
                self.rest = &self.rest[3..];
                let ch = hi << 4 | lo;
                if !b";/?:@&=+$,".contains(&ch) {
                    return Some(ch);
                }
                self.digits = [h.to_ascii_uppercase(), l.to_ascii_uppercase()];
                self.pending = 2;
                return Some(b'%');
            }
        }
        let (&c, rest) = self.rest.split_first()?;
        self.rest = rest;
        Some(c)
    }
}

/// The value of a hex digit.
fn hex(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri<'_> {
        Uri::parse(s.as_bytes(), 0).unwrap()
    }

    /// RFC 3261 §19.1.4's examples, both lists, and the cases of the rules
    /// that use the comparison.
    #[test]
    fn rfc_3261_examples() {
        let equal = [
            (
                "sip:%61lice@atlanta.com;transport=TCP",
                "sip:alice@AtLanTa.CoM;Transport=tcp",
            ),
            ("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"),
            ("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"),
            (
                "sip:carol@chicago.com;newparam=5",
                "sip:carol@chicago.com;security=on",
            ),
            (
                "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com",
            ),
            (
                "sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                "sip:alice@atlanta.com?priority=urgent&subject=project%20x",
            ),
            (
                "sip:p1.example.com;lr;ftag=1",
                "sip:P1.EXAMPLE.COM;ftag=1;LR",
            ),
        ];
        for (a, b) in equal {
            assert!(uri(a).matches(&uri(b)), "{a} = {b}");
            assert!(uri(b).matches(&uri(a)), "{b} = {a}");
        }
        let different = [
            (
                "SIP:ALICE@AtLanTa.CoM;Transport=udp",
                "sip:alice@AtLanTa.CoM;Transport=UDP",
            ),
            ("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"),
            (
                "sip:bob@biloxi.com",
                "sip:bob@biloxi.com;transport=udp;user=phone",
            ),
            (
                "sip:bob@biloxi.com",
                "sip:bob@biloxi.com;maddr=239.255.255.1",
            ),
            (
                "sip:carol@chicago.com",
                "sip:carol@chicago.com?Subject=next%20meeting",
            ),
            ("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"),
            (
                "sip:carol@chicago.com;security=on",
                "sip:carol@chicago.com;security=off",
            ),
            ("sip:alice@atlanta.com", "sips:alice@atlanta.com"),
            ("sip:alice:pw@atlanta.com", "sip:alice:PW@atlanta.com"),
            ("sip:a%3bb@x.com", "sip:a;b@x.com"),
        ];
        for (a, b) in different {
            assert!(!uri(a).matches(&uri(b)), "{a} != {b}");
            assert!(!uri(b).matches(&uri(a)), "{b} != {a}");
        }
        // The first list's "SIP:ALICE" pair differs only in the user's case:
        assert!(!uri("sip:ALICE@x.com").matches(&uri("sip:alice@x.com")));
        assert!(uri("sip:a%3Bb@x.com").matches(&uri("sip:a%3bb@x.com")));
        assert!(uri("tel:+1-201-555-0123").matches(&uri("TEL:+1-201-555-0123")));
    }

    /// A copy keeps every parameter: dropping `lr` is no copy, reordering
    /// or changing case is.
    #[test]
    fn copies_keep_every_parameter() {
        let rr = uri("sip:p1.example.com;lr;ftag=1");
        assert!(uri("sip:P1.example.com;ftag=1;lr").is_copy_of(&rr));
        assert!(!uri("sip:p1.example.com;ftag=1").is_copy_of(&rr));
        assert!(!rr.is_copy_of(&uri("sip:p1.example.com;ftag=1")));
        assert!(uri("sip:p1.example.com;ftag=1").matches(&rr));
    }

    /// From and To URIs that differ only in what Table 1 keeps out of them
    /// (a port, `transport`, `maddr`, `ttl`, `lr`, `method`, headers), as
    /// when PJSIP drops the port of a From it copies; any other difference
    /// still counts.
    #[test]
    fn table1_parts_set_aside() {
        let req = uri("sip:alice@127.0.0.1:5090;transport=udp;user=phone");
        let resp = uri("sip:alice@127.0.0.1;user=phone");
        assert!(!resp.matches(&req));
        assert!(resp.matches_but_table1(&req));
        assert!(req.matches_but_table1(&resp));
        assert!(uri("sip:alice@127.0.0.1?subject=x")
            .matches_but_table1(&uri("sip:alice@127.0.0.1;lr;ttl=1")));
        for other in [
            "sip:bob@127.0.0.1",
            "sip:alice@127.0.0.2:5090",
            "sip:alice@127.0.0.1;user=ip",
            "sips:alice@127.0.0.1:5090",
        ] {
            assert!(!uri(other).matches_but_table1(&req), "{other}");
        }
    }
}
