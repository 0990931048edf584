//! Header names: the known headers with their compact forms and list
//! grammar, and case-insensitive recognition (RFC 3261 §7.3.1, §7.3.3).
//!
//! One table (the `known_headers!` macro) is the source of truth: the enum, the long
//! and compact spellings, the list kind and the lookup are all generated from
//! it, and the tests loop over the same table.

use core::fmt;

/// How a header's grammar treats commas and repeated rows (RFC 3261 §7.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ListKind {
    /// `value *(COMMA value)`: rows may repeat and be merged with commas.
    List,
    /// Exactly one value; a second row (or a comma-joined second value) breaks
    /// the grammar (rule `single-value-header-repeated`).
    Single,
    /// May repeat on several rows, but a row is never split on commas,
    /// because its parameters are comma-separated (WWW-Authenticate and kin).
    NoSplit,
    /// Not a list, but not covered by the single-value rule either (rare
    /// extension headers): kept as one value per row.
    Other,
}

macro_rules! known_headers {
    ($( $(#[$doc:meta])* $variant:ident, $long:literal, $compact:expr, $kind:ident, $lower:literal; )+) => {
        /// A header the crate knows by name. Recognised case-insensitively,
        /// in long or compact form; anything else is a [`HeaderName::Other`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #[repr(u8)]
        pub enum KnownHeader {
            $( $(#[$doc])* $variant, )+
        }

        impl KnownHeader {
            /// Every known header, in table order.
            pub const ALL: &'static [KnownHeader] = &[ $( KnownHeader::$variant, )+ ];

            /// Number of known headers (the size of per-header index tables).
            pub const COUNT: usize = Self::ALL.len();

            /// The canonical long name, e.g. `"Content-Length"`.
            pub const fn as_str(self) -> &'static str {
                match self { $( KnownHeader::$variant => $long, )+ }
            }

            /// The compact form (RFC 3261 §7.3.3 and extensions), e.g. `Some('l')`.
            pub const fn compact(self) -> Option<char> {
                match self { $( KnownHeader::$variant => $compact, )+ }
            }

            /// How the header treats commas and repeated rows.
            pub const fn list_kind(self) -> ListKind {
                match self { $( KnownHeader::$variant => ListKind::$kind, )+ }
            }

            /// Position in [`KnownHeader::ALL`], for index tables.
            #[inline]
            pub const fn index(self) -> usize {
                self as usize
            }

            /// Recognises a name in any case, long or compact form.
            pub fn from_bytes(name: &[u8]) -> Option<KnownHeader> {
                if crate::lex::is_token_str(name) {
                    Self::from_token(name)
                } else {
                    None
                }
            }

            /// [`from_bytes`](Self::from_bytes) for a name already known to
            /// be a token (the scanner's case).
            ///
            /// One hash of (length, first byte, last byte) picks at most
            /// [`BUCKET`] candidates from a table built at compile time; a
            /// word-at-a-time compare confirms. No copy, no lowercasing.
            #[inline]
            pub(crate) fn from_token(name: &[u8]) -> Option<KnownHeader> {
                let n = name.len();
                if n == 1 {
                    return Self::from_compact(name[0]);
                }
                if !(2..=MAX_NAME).contains(&n) {
                    return None;
                }
                let slot = &HASHED[name_hash(n, name[0], name[n - 1])];
                for &i in slot {
                    if i == EMPTY {
                        break;
                    }
                    if eq_lower_token(name, LOWER[i as usize]) {
                        return Some(Self::ALL[i as usize]);
                    }
                }
                None
            }
        }

        /// Lower-case long names, in table order.
        const LOWER: [&[u8]; KnownHeader::COUNT] = [ $( $lower, )+ ];
    };
}

known_headers! {
    /// Accept (RFC 3261 §20.1).
    Accept, "Accept", None, List, b"accept";
    /// Accept-Contact (RFC 3841 §12), compact `a`.
    AcceptContact, "Accept-Contact", Some('a'), List, b"accept-contact";
    /// Accept-Encoding (RFC 3261 §20.2).
    AcceptEncoding, "Accept-Encoding", None, List, b"accept-encoding";
    /// Accept-Language (RFC 3261 §20.3).
    AcceptLanguage, "Accept-Language", None, List, b"accept-language";
    /// Accept-Resource-Priority (RFC 4412 §3.2).
    AcceptResourcePriority, "Accept-Resource-Priority", None, List, b"accept-resource-priority";
    /// Alert-Info (RFC 3261 §20.4).
    AlertInfo, "Alert-Info", None, List, b"alert-info";
    /// AlertMsg-Error (RFC 8876 §5.2).
    AlertMsgError, "AlertMsg-Error", None, Single, b"alertmsg-error";
    /// Allow (RFC 3261 §20.5).
    Allow, "Allow", None, List, b"allow";
    /// Allow-Events (RFC 6665 §8.2.2), compact `u`.
    AllowEvents, "Allow-Events", Some('u'), List, b"allow-events";
    /// Authentication-Info (RFC 3261 §20.6); one value per row.
    AuthenticationInfo, "Authentication-Info", None, NoSplit, b"authentication-info";
    /// Authorization (RFC 3261 §20.7); never split on commas.
    Authorization, "Authorization", None, NoSplit, b"authorization";
    /// Call-ID (RFC 3261 §20.8), compact `i`.
    CallId, "Call-ID", Some('i'), Single, b"call-id";
    /// Call-Info (RFC 3261 §20.9).
    CallInfo, "Call-Info", None, List, b"call-info";
    /// Contact (RFC 3261 §20.10), compact `m`.
    Contact, "Contact", Some('m'), List, b"contact";
    /// Content-Disposition (RFC 3261 §20.11).
    ContentDisposition, "Content-Disposition", None, Single, b"content-disposition";
    /// Content-Encoding (RFC 3261 §20.12), compact `e`.
    ContentEncoding, "Content-Encoding", Some('e'), List, b"content-encoding";
    /// Content-Language (RFC 3261 §20.13).
    ContentLanguage, "Content-Language", None, List, b"content-language";
    /// Content-Length (RFC 3261 §20.14), compact `l`.
    ContentLength, "Content-Length", Some('l'), Single, b"content-length";
    /// Content-Type (RFC 3261 §20.15), compact `c`.
    ContentType, "Content-Type", Some('c'), Single, b"content-type";
    /// CSeq (RFC 3261 §20.16).
    CSeq, "CSeq", None, Single, b"cseq";
    /// Date (RFC 3261 §20.17).
    Date, "Date", None, Single, b"date";
    /// Error-Info (RFC 3261 §20.18).
    ErrorInfo, "Error-Info", None, List, b"error-info";
    /// Event (RFC 6665 §8.2.1), compact `o`.
    Event, "Event", Some('o'), Other, b"event";
    /// Expires (RFC 3261 §20.19).
    Expires, "Expires", None, Single, b"expires";
    /// Flow-Timer (RFC 5626 §11.4).
    FlowTimer, "Flow-Timer", None, Single, b"flow-timer";
    /// From (RFC 3261 §20.20), compact `f`.
    From, "From", Some('f'), Single, b"from";
    /// Geolocation (RFC 6442 §4.1).
    Geolocation, "Geolocation", None, List, b"geolocation";
    /// Geolocation-Error (RFC 6442 §4.3).
    GeolocationError, "Geolocation-Error", None, Single, b"geolocation-error";
    /// Geolocation-Routing (RFC 6442 §4.2).
    GeolocationRouting, "Geolocation-Routing", None, Other, b"geolocation-routing";
    /// Identity (RFC 8224 §4), compact `y`.
    Identity, "Identity", Some('y'), Other, b"identity";
    /// Identity-Info (RFC 4474, removed by RFC 8224); its compact `n` is no longer assigned.
    IdentityInfo, "Identity-Info", None, Other, b"identity-info";
    /// In-Reply-To (RFC 3261 §20.21).
    InReplyTo, "In-Reply-To", None, List, b"in-reply-to";
    /// Info-Package (RFC 6086 §7.2).
    InfoPackage, "Info-Package", None, Other, b"info-package";
    /// Max-Breadth (RFC 5393 §5.8).
    MaxBreadth, "Max-Breadth", None, Other, b"max-breadth";
    /// Max-Forwards (RFC 3261 §20.22).
    MaxForwards, "Max-Forwards", None, Single, b"max-forwards";
    /// MIME-Version (RFC 3261 §20.24).
    MimeVersion, "MIME-Version", None, Single, b"mime-version";
    /// Min-Expires (RFC 3261 §20.23).
    MinExpires, "Min-Expires", None, Single, b"min-expires";
    /// Min-SE (RFC 4028 §5).
    MinSe, "Min-SE", None, Single, b"min-se";
    /// Organization (RFC 3261 §20.25).
    Organization, "Organization", None, Single, b"organization";
    /// P-Asserted-Identity (RFC 3325 §9.1).
    PAssertedIdentity, "P-Asserted-Identity", None, List, b"p-asserted-identity";
    /// P-Preferred-Identity (RFC 3325 §9.2).
    PPreferredIdentity, "P-Preferred-Identity", None, List, b"p-preferred-identity";
    /// Path (RFC 3327 §4).
    Path, "Path", None, List, b"path";
    /// Permission-Missing (RFC 5360 §5.9.3).
    PermissionMissing, "Permission-Missing", None, List, b"permission-missing";
    /// Priority (RFC 3261 §20.26).
    Priority, "Priority", None, Single, b"priority";
    /// Privacy (RFC 3323 §4.2).
    Privacy, "Privacy", None, Other, b"privacy";
    /// Proxy-Authenticate (RFC 3261 §20.27); never split on commas.
    ProxyAuthenticate, "Proxy-Authenticate", None, NoSplit, b"proxy-authenticate";
    /// Proxy-Authorization (RFC 3261 §20.28); never split on commas.
    ProxyAuthorization, "Proxy-Authorization", None, NoSplit, b"proxy-authorization";
    /// Proxy-Require (RFC 3261 §20.29).
    ProxyRequire, "Proxy-Require", None, List, b"proxy-require";
    /// RAck (RFC 3262 §7.2).
    RAck, "RAck", None, Other, b"rack";
    /// Reason (RFC 3326 §2).
    Reason, "Reason", None, List, b"reason";
    /// Record-Route (RFC 3261 §20.30).
    RecordRoute, "Record-Route", None, List, b"record-route";
    /// Recv-Info (RFC 6086 §7.3).
    RecvInfo, "Recv-Info", None, List, b"recv-info";
    /// Refer-To (RFC 3515 §2.1), compact `r`.
    ReferTo, "Refer-To", Some('r'), Other, b"refer-to";
    /// Referred-By (RFC 3892 §3), compact `b`.
    ReferredBy, "Referred-By", Some('b'), Other, b"referred-by";
    /// Reject-Contact (RFC 3841 §12), compact `j`.
    RejectContact, "Reject-Contact", Some('j'), List, b"reject-contact";
    /// Replaces (RFC 3891 §6.1).
    Replaces, "Replaces", None, Other, b"replaces";
    /// Reply-To (RFC 3261 §20.31).
    ReplyTo, "Reply-To", None, Single, b"reply-to";
    /// Request-Disposition (RFC 3841 §12), compact `d`.
    RequestDisposition, "Request-Disposition", Some('d'), List, b"request-disposition";
    /// Require (RFC 3261 §20.32).
    Require, "Require", None, List, b"require";
    /// Resource-Priority (RFC 4412 §3.1).
    ResourcePriority, "Resource-Priority", None, List, b"resource-priority";
    /// Retry-After (RFC 3261 §20.33).
    RetryAfter, "Retry-After", None, Single, b"retry-after";
    /// Route (RFC 3261 §20.34).
    Route, "Route", None, List, b"route";
    /// RSeq (RFC 3262 §7.1).
    RSeq, "RSeq", None, Single, b"rseq";
    /// Security-Client (RFC 3329 §2.2).
    SecurityClient, "Security-Client", None, List, b"security-client";
    /// Security-Server (RFC 3329 §2.2).
    SecurityServer, "Security-Server", None, List, b"security-server";
    /// Security-Verify (RFC 3329 §2.2).
    SecurityVerify, "Security-Verify", None, List, b"security-verify";
    /// Server (RFC 3261 §20.35).
    Server, "Server", None, Single, b"server";
    /// Service-Route (RFC 3608 §5).
    ServiceRoute, "Service-Route", None, List, b"service-route";
    /// Session-Expires (RFC 4028 §4), compact `x`.
    SessionExpires, "Session-Expires", Some('x'), Single, b"session-expires";
    /// SIP-ETag (RFC 3903 §11.3.1).
    SipETag, "SIP-ETag", None, Single, b"sip-etag";
    /// SIP-If-Match (RFC 3903 §11.3.2).
    SipIfMatch, "SIP-If-Match", None, Other, b"sip-if-match";
    /// Subject (RFC 3261 §20.36), compact `s`.
    Subject, "Subject", Some('s'), Single, b"subject";
    /// Subscription-State (RFC 6665 §8.2.3).
    SubscriptionState, "Subscription-State", None, Other, b"subscription-state";
    /// Supported (RFC 3261 §20.37), compact `k`.
    Supported, "Supported", Some('k'), List, b"supported";
    /// Target-Dialog (RFC 4538 §7).
    TargetDialog, "Target-Dialog", None, Other, b"target-dialog";
    /// Timestamp (RFC 3261 §20.38).
    Timestamp, "Timestamp", None, Single, b"timestamp";
    /// To (RFC 3261 §20.39), compact `t`.
    To, "To", Some('t'), Single, b"to";
    /// Transfer-Encoding (HTTP; RFC 3261 §7.4.2 forbids chunked coding in SIP).
    TransferEncoding, "Transfer-Encoding", None, List, b"transfer-encoding";
    /// Unsupported (RFC 3261 §20.40).
    Unsupported, "Unsupported", None, List, b"unsupported";
    /// User-Agent (RFC 3261 §20.41).
    UserAgent, "User-Agent", None, Single, b"user-agent";
    /// Via (RFC 3261 §20.42), compact `v`.
    Via, "Via", Some('v'), List, b"via";
    /// Warning (RFC 3261 §20.43).
    Warning, "Warning", None, List, b"warning";
    /// WWW-Authenticate (RFC 3261 §20.44); never split on commas.
    WwwAuthenticate, "WWW-Authenticate", None, NoSplit, b"www-authenticate";
}

/// Longest known long name.
const MAX_NAME: usize = 32;
/// Hash buckets (a power of two) and candidates per bucket.
const BUCKETS: usize = 256;
const BUCKET: usize = 2;
const EMPTY: u8 = u8::MAX;

/// Hash of a name by its length and first and last bytes, folded to lower case.
#[inline]
const fn name_hash(len: usize, first: u8, last: u8) -> usize {
    let f = (first | 0x20) as usize;
    let l = (last | 0x20) as usize;
    (len ^ f ^ l.wrapping_mul(15)) & (BUCKETS - 1)
}

/// Case-insensitive equality of a token with a lower-case known name.
///
/// Known names hold only lower-case letters and `-`. For a token byte `b`,
/// `b | 0x20` equals such a byte exactly when `b` is that byte or its upper
/// case (no other token byte maps onto a letter or `-`), so OR-ing eight
/// bytes at a time with `0x20` is an exact case-folding compare.
#[inline]
fn eq_lower_token(name: &[u8], lower: &[u8]) -> bool {
    if name.len() != lower.len() {
        return false;
    }
    const FOLD: u64 = 0x2020_2020_2020_2020;
    let mut a = name.chunks_exact(8);
    let mut b = lower.chunks_exact(8);
    for (x, y) in (&mut a).zip(&mut b) {
        let x = u64::from_le_bytes([x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7]]);
        let y = u64::from_le_bytes([y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7]]);
        if x | FOLD != y {
            return false;
        }
    }
    a.remainder()
        .iter()
        .zip(b.remainder())
        .all(|(&x, &y)| x | 0x20 == y)
}

/// The name hash table, built at compile time; an overfull bucket or an
/// overlong name stops the build.
static HASHED: [[u8; BUCKET]; BUCKETS] = {
    let mut t = [[EMPTY; BUCKET]; BUCKETS];
    let mut i = 0;
    while i < LOWER.len() {
        let name = LOWER[i];
        assert!(name.len() >= 2 && name.len() <= MAX_NAME);
        let mut k = 0;
        while k < name.len() {
            // `eq_lower_token` relies on this.
            assert!(name[k] == b'-' || name[k].is_ascii_lowercase());
            k += 1;
        }
        let h = name_hash(name.len(), name[0], name[name.len() - 1]);
        let mut j = 0;
        while t[h][j] != EMPTY {
            j += 1;
            assert!(
                j < BUCKET,
                "header-name hash bucket overflow: change name_hash"
            );
        }
        t[h][j] = i as u8;
        i += 1;
    }
    t
};

impl KnownHeader {
    /// The header a compact letter stands for (any case). Only the 19
    /// assigned letters are recognised; `n` (Identity-Info) was withdrawn by
    /// RFC 8224 §13.1 and is an unknown header.
    #[inline]
    pub fn from_compact(c: u8) -> Option<KnownHeader> {
        Some(match c.to_ascii_lowercase() {
            b'a' => KnownHeader::AcceptContact,
            b'b' => KnownHeader::ReferredBy,
            b'c' => KnownHeader::ContentType,
            b'd' => KnownHeader::RequestDisposition,
            b'e' => KnownHeader::ContentEncoding,
            b'f' => KnownHeader::From,
            b'i' => KnownHeader::CallId,
            b'j' => KnownHeader::RejectContact,
            b'k' => KnownHeader::Supported,
            b'l' => KnownHeader::ContentLength,
            b'm' => KnownHeader::Contact,
            b'o' => KnownHeader::Event,
            b'r' => KnownHeader::ReferTo,
            b's' => KnownHeader::Subject,
            b't' => KnownHeader::To,
            b'u' => KnownHeader::AllowEvents,
            b'v' => KnownHeader::Via,
            b'x' => KnownHeader::SessionExpires,
            b'y' => KnownHeader::Identity,
            _ => return None,
        })
    }
}

impl fmt::Display for KnownHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A header name as it appeared on the wire: known (any spelling) or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeaderName<'a> {
    /// A known header, in long or compact form.
    Known(KnownHeader),
    /// Any other (extension) header, with the bytes as sent.
    Other(&'a str),
}

impl<'a> HeaderName<'a> {
    /// Recognises `name` (a token, so ASCII). Non-token bytes give `None`.
    pub fn from_bytes(name: &'a [u8]) -> Option<HeaderName<'a>> {
        if !crate::lex::is_token_str(name) {
            return None;
        }
        Some(match KnownHeader::from_token(name) {
            Some(k) => HeaderName::Known(k),
            // Token bytes are ASCII, so this cannot fail.
            None => HeaderName::Other(core::str::from_utf8(name).ok()?),
        })
    }

    /// The known header, if this is one.
    pub const fn known(&self) -> Option<KnownHeader> {
        match self {
            HeaderName::Known(k) => Some(*k),
            HeaderName::Other(_) => None,
        }
    }

    /// Case-insensitive comparison with a name given as text (long or compact).
    pub fn matches(&self, name: &str) -> bool {
        match (self, KnownHeader::from_bytes(name.as_bytes())) {
            (HeaderName::Known(k), Some(other)) => *k == other,
            (HeaderName::Other(s), None) => s.eq_ignore_ascii_case(name),
            _ => false,
        }
    }
}

impl fmt::Display for HeaderName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeaderName::Known(k) => f.write_str(k.as_str()),
            HeaderName::Other(s) => f.write_str(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_header_round_trips_in_any_case() {
        for &k in KnownHeader::ALL {
            let long = k.as_str();
            assert_eq!(KnownHeader::from_bytes(long.as_bytes()), Some(k), "{long}");
            assert_eq!(
                KnownHeader::from_bytes(long.to_ascii_lowercase().as_bytes()),
                Some(k)
            );
            assert_eq!(
                KnownHeader::from_bytes(long.to_ascii_uppercase().as_bytes()),
                Some(k)
            );
            if let Some(c) = k.compact() {
                assert_eq!(KnownHeader::from_compact(c as u8), Some(k));
                assert_eq!(
                    KnownHeader::from_compact(c.to_ascii_uppercase() as u8),
                    Some(k)
                );
            }
            assert_eq!(KnownHeader::ALL[k.index()], k);
        }
    }

    #[test]
    fn exactly_nineteen_compact_forms() {
        let compact: Vec<char> = KnownHeader::ALL
            .iter()
            .filter_map(|k| k.compact())
            .collect();
        assert_eq!(compact.len(), 19);
        let mut letters = compact;
        letters.sort_unstable();
        assert_eq!(letters.iter().collect::<String>(), "abcdefijklmorstuvxy");
        for c in b'a'..=b'z' {
            let assigned = letters.contains(&(c as char));
            assert_eq!(
                KnownHeader::from_compact(c).is_some(),
                assigned,
                "{}",
                c as char
            );
        }
    }

    #[test]
    fn near_misses_are_not_known() {
        for near in [
            &b"Content\rLength"[..],
            b"Content_Length",
            b"Content-Lengt",
            b"Content-Lengthh",
            b"Contenr-Length",
            b"Via ",
            b"V1a",
            b"\x16ia",
            b"",
        ] {
            assert_eq!(KnownHeader::from_bytes(near), None, "{near:?}");
        }
        // Mixed case in every position still matches.
        assert_eq!(
            KnownHeader::from_bytes(b"pRoXy-AuThEnTiCaTe"),
            Some(KnownHeader::ProxyAuthenticate)
        );
    }

    #[test]
    fn other_names_and_non_tokens() {
        assert_eq!(
            HeaderName::from_bytes(b"X-Foo"),
            Some(HeaderName::Other("X-Foo"))
        );
        assert_eq!(HeaderName::from_bytes(b"n"), Some(HeaderName::Other("n")));
        assert_eq!(HeaderName::from_bytes(b"Bad Name"), None);
        assert_eq!(HeaderName::from_bytes(b""), None);
        assert!(HeaderName::from_bytes(b"v").unwrap().matches("VIA"));
        assert!(HeaderName::from_bytes(b"X-Foo").unwrap().matches("x-foo"));
    }
}
