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

            /// The length of the long name and whether a compact form
            /// exists, from tables rather than the matches of
            /// [`as_str`](Self::as_str) and [`compact`](Self::compact): the
            /// row lookups ask for them on every header row they read.
            #[inline]
            pub(crate) fn name_shape(self) -> (usize, bool) {
                const LONG: [u8; KnownHeader::COUNT] = [ $( $long.len() as u8, )+ ];
                const COMPACT: [bool; KnownHeader::COUNT] = [ $( Option::<char>::is_some(&$compact), )+ ];
                (usize::from(LONG[self.index()]), COMPACT[self.index()])
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
            /// The name's case-folded [`fingerprint`] (two loads) picks the
            /// one candidate from a perfect hash table built at compile time,
            /// and comparing fingerprints and lengths confirms it. No loop
            /// over bytes, no copy, no lowercasing.
            #[inline]
            pub(crate) fn from_token(name: &[u8]) -> Option<KnownHeader> {
                Self::from_token_inline(name)
            }

            /// [`from_token`](Self::from_token) inlined into its caller:
            /// for the one-pass head reader's loop, where the call's set-up
            /// costs a fifth of the lookup (measured).
            #[inline(always)]
            pub(crate) fn from_token_inline(name: &[u8]) -> Option<KnownHeader> {
                let n = name.len();
                if n == 1 {
                    return Self::from_compact(name[0]);
                }
                let fp = fingerprint(name)?;
                let k = SLOTS[slot(fp)]?;
                if FINGERPRINTS[k.index()] != fp {
                    return None;
                }
                // Names longer than 16 bytes need their middle compared too
                // (bytes 8..16 and n-16..n-8; with n <= 32 the four words
                // cover the whole name).
                let lower = LOWER[k.index()];
                if n <= 16
                    || (fold8(name, 8) == fold8(lower, 8)
                        && fold8(name, n - 16) == fold8(lower, n - 16))
                {
                    Some(k)
                } else {
                    None
                }
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

/// Longest known long name: [`fingerprint`] plus the middle words of
/// `from_token` cover at most 32 bytes.
const MAX_NAME: usize = 32;

/// ASCII case folding for token bytes, a word at a time.
///
/// Known names hold only lower-case letters and `-`. Setting bit 5 maps a
/// byte onto a lower-case letter exactly when it is that letter or its upper
/// case, and onto `-` (0x2D) exactly when it is `-` or CR (0x0D), which is
/// not a token byte. So for a token, OR-ing every byte with `0x20` and
/// comparing with the lower-case name is an exact case-insensitive compare
/// (the scanner and `from_bytes` only pass tokens).
const FOLD: u64 = 0x2020_2020_2020_2020;

/// The eight bytes at `at`, little-endian, case-folded (0 if out of range,
/// which the callers' length checks rule out).
#[inline]
const fn fold8(s: &[u8], at: usize) -> u64 {
    let (_, tail) = s.split_at(if at <= s.len() { at } else { s.len() });
    match tail.first_chunk::<8>() {
        Some(w) => u64::from_le_bytes(*w) | FOLD,
        None => 0,
    }
}

/// A name's identity for lookup: its length and two case-folded loads that
/// together cover its first 16 bytes. The loads overlap for names shorter
/// than twice their width: 2..=3 bytes use two `u16` (at 0 and n-2), 4..=7
/// two `u32` (at 0 and n-4), 8 and more two `u64` (at 0 and n-8). So for
/// names of at most 16 bytes, equal fingerprints mean equal names (up to
/// case); longer names also compare their middle (see `from_token`).
/// `None` for lengths outside 2..=[`MAX_NAME`], which no long name has.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Fingerprint {
    len: usize,
    head: u64,
    tail: u64,
}

#[inline]
const fn fingerprint(name: &[u8]) -> Option<Fingerprint> {
    let n = name.len();
    let (head, tail) = if n > MAX_NAME {
        return None;
    } else if n >= 8 {
        (fold8(name, 0), fold8(name, n - 8))
    } else if n >= 4 {
        match (name.first_chunk::<4>(), name.last_chunk::<4>()) {
            (Some(a), Some(b)) => (
                (u32::from_le_bytes(*a) | FOLD as u32) as u64,
                (u32::from_le_bytes(*b) | FOLD as u32) as u64,
            ),
            _ => return None,
        }
    } else {
        match (name.first_chunk::<2>(), name.last_chunk::<2>()) {
            (Some(a), Some(b)) => (
                (u16::from_le_bytes(*a) | FOLD as u16) as u64,
                (u16::from_le_bytes(*b) | FOLD as u16) as u64,
            ),
            _ => return None,
        }
    };
    Some(Fingerprint { len: n, head, tail })
}

/// Slots of the perfect hash table (a power of two). With 83 names in 1024
/// slots a collision-free multiplier turns up after a few dozen tries.
const SLOT_BITS: u32 = 10;

/// Multiplicative hash of a fingerprint into `0..1 << SLOT_BITS`.
#[inline]
const fn slot_with(fp: Fingerprint, mul: u64) -> usize {
    let x = fp.head ^ fp.tail.rotate_left(23) ^ fp.len as u64;
    (x.wrapping_mul(mul) >> (64 - SLOT_BITS)) as usize
}

#[inline]
fn slot(fp: Fingerprint) -> usize {
    slot_with(fp, TABLE.1)
}

/// Fingerprints of the long names, in table order.
static FINGERPRINTS: [Fingerprint; KnownHeader::COUNT] = TABLE.2;

/// Slot -> the known header hashed there.
static SLOTS: [Option<KnownHeader>; 1 << SLOT_BITS] = TABLE.0;

/// The perfect hash table, its multiplier and the fingerprints, built at
/// compile time: multipliers are tried (odd numbers from the golden-ratio
/// constant up) until every long name has a slot of its own. A table change
/// that no multiplier can place, or a name that breaks the fingerprint's
/// assumptions, stops the build.
#[allow(clippy::type_complexity)] // a compile-time triple, used only above
const TABLE: (
    [Option<KnownHeader>; 1 << SLOT_BITS],
    u64,
    [Fingerprint; KnownHeader::COUNT],
) = {
    let mut fps = [Fingerprint {
        len: 0,
        head: 0,
        tail: 0,
    }; KnownHeader::COUNT];
    let mut i = 0;
    while i < KnownHeader::COUNT {
        let name = LOWER[i];
        assert!(name.len() >= 2 && name.len() <= MAX_NAME);
        let mut k = 0;
        while k < name.len() {
            // The case folding relies on this.
            assert!(name[k] == b'-' || name[k].is_ascii_lowercase());
            k += 1;
        }
        fps[i] = match fingerprint(name) {
            Some(fp) => fp,
            None => panic!("unreachable: the length was checked"),
        };
        i += 1;
    }
    let mut mul: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut tries = 0;
    loop {
        assert!(tries < 10_000, "no perfect hash for the header names");
        let mut slots = [None; 1 << SLOT_BITS];
        let mut i = 0;
        let mut clash = false;
        while i < KnownHeader::COUNT {
            let h = slot_with(fps[i], mul);
            if slots[h].is_some() {
                clash = true;
                break;
            }
            slots[h] = Some(KnownHeader::ALL[i]);
            i += 1;
        }
        if !clash {
            break (slots, mul, fps);
        }
        mul = mul.wrapping_add(2);
        tries += 1;
    }
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

    /// [`from_bytes`](Self::from_bytes) for bytes already read as a
    /// non-empty token (a row's name, as the scanner found it): classified
    /// without checking every byte again.
    pub(crate) fn from_token(name: &'a [u8]) -> Option<HeaderName<'a>> {
        if name.is_empty() {
            return None;
        }
        Some(match KnownHeader::from_token(name) {
            Some(k) => HeaderName::Known(k),
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

    /// The straightforward lookup the hashed one must agree with.
    fn reference(name: &[u8]) -> Option<KnownHeader> {
        if name.len() == 1 {
            return KnownHeader::from_compact(name[0]);
        }
        KnownHeader::ALL
            .iter()
            .copied()
            .find(|k| k.as_str().as_bytes().eq_ignore_ascii_case(name))
    }

    #[test]
    fn hashed_lookup_agrees_with_a_linear_scan_on_near_misses() {
        // Every known name with each byte replaced, dropped or doubled, and
        // with a byte added at either end: whatever the hash picks, only an
        // exact case-insensitive match may come back. Replacing a byte in
        // the middle of a long name checks the words past the fingerprint.
        let mut checked = 0;
        for &k in KnownHeader::ALL {
            let name = k.as_str().as_bytes();
            let mut variants: Vec<Vec<u8>> = Vec::new();
            for i in 0..name.len() {
                for sub in [b'x', b'Q', b'0', b'-', b'.', b'_'] {
                    let mut v = name.to_vec();
                    v[i] = sub;
                    variants.push(v);
                }
                let mut v = name.to_vec();
                v.remove(i);
                variants.push(v);
                let mut v = name.to_vec();
                v.insert(i, name[i]);
                variants.push(v);
            }
            variants.push([name, b"s"].concat());
            variants.push([b"x", name].concat());
            for v in variants {
                assert_eq!(
                    KnownHeader::from_bytes(&v),
                    reference(&v),
                    "{}",
                    String::from_utf8_lossy(&v)
                );
                checked += 1;
            }
        }
        assert!(checked > 5_000);
        // Lengths around the fingerprint's load widths and the 32-byte cap.
        for n in 0..=40 {
            let v = vec![b'a'; n];
            assert_eq!(KnownHeader::from_bytes(&v), reference(&v), "{n}");
        }
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
