//! SIP status codes (RFC 3261 §7.2, §21) and the IANA "Response Codes"
//! registry of the Session Initiation Protocol (SIP) Parameters.
//!
//! One macro table (`status_codes!` in this file) is the single source of truth: it
//! generates every named constant, the reason-phrase and RFC lookups, and
//! the registered-ness flag. `tests/status_codes.rs` checks the table row by
//! row against a byte-exact copy of `spec/status-codes.tsv`.
//!
//! # 409 Conflict
//!
//! 409 is in the table because deployed equipment (the Lync/Mitel KB list)
//! still sends it, but it is *not* in the IANA registry: it is an RFC 2543
//! code (§7.4.10) that RFC 3261 dropped, and RFC 3261 §21 says HTTP codes it
//! does not list SHOULD NOT be used. So [`StatusCode::canonical_reason`],
//! whose contract is "IANA's phrase for registered codes", returns `None` for
//! it, [`StatusCode::is_registered`] is false and [`StatusCode::effective`]
//! maps it to 400 like any other unknown 4xx (RFC 3261 §8.1.3.2). The legacy
//! phrase is still available from [`StatusCode::table_reason`].

use core::fmt;
use core::str::FromStr;

/// A SIP Status-Code: any three ASCII digits (`extension-code = 3DIGIT`).
/// Any transport and role.
///
/// Like `http::StatusCode`, a `Copy` newtype over the numeric value. Codes
/// outside the six classes (000–099, 700–999) are representable, so the
/// validator can report them (`status-code-class-invalid`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusCode(u16);

/// The class of a status code: its first digit (RFC 3261 §7.2, §21).
///
/// Codes whose first digit is 0, 7, 8 or 9 have no class: the Status-Code
/// ABNF (`extension-code = 3DIGIT`, RFC 3261 §25.1) lets them through, but
/// §7.2 defines only 1xx to 6xx.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusClass {
    /// 1xx: request received, continuing to process it (RFC 3261 §21.1).
    Provisional,
    /// 2xx: the action was successfully received and accepted (§21.2).
    Success,
    /// 3xx: further action is needed to complete the request (§21.3).
    Redirection,
    /// 4xx: the request is bad or cannot be fulfilled at this server (§21.4).
    ClientError,
    /// 5xx: the server failed to fulfil an apparently valid request (§21.5).
    ServerError,
    /// 6xx: the request cannot be fulfilled at any server (§21.6).
    GlobalFailure,
}

impl StatusClass {
    /// The class's first digit (1..=6).
    pub const fn digit(self) -> u16 {
        match self {
            StatusClass::Provisional => 1,
            StatusClass::Success => 2,
            StatusClass::Redirection => 3,
            StatusClass::ClientError => 4,
            StatusClass::ServerError => 5,
            StatusClass::GlobalFailure => 6,
        }
    }
}

/// A value that is not a status code: a number above 999, or a string that
/// is not exactly three ASCII digits (RFC 3261 §25.1 `Status-Code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("invalid status code: not three ASCII digits (000-999)")]
pub struct InvalidStatusCode {
    _priv: (),
}

/// One row of the registry table.
struct Entry {
    reason: &'static str,
    rfc: &'static str,
    registered: bool,
}

/// The registry table: `code => CONST_NAME, "IANA reason phrase", "defining
/// RFC section", registered-with-IANA;`. Generates the named constants (each
/// documented from its own row) and [`lookup`].
macro_rules! status_codes {
    ($( $code:literal => $name:ident, $reason:literal, $rfc:literal, $reg:literal; )+) => {
        impl StatusCode {
            $(
                #[doc = concat!("`", stringify!($code), " ", $reason, "`, defined in ", $rfc, ".")]
                #[doc = ""]
                #[doc = concat!("Registered with IANA: ", stringify!($reg), ".")]
                pub const $name: StatusCode = StatusCode($code);
            )+
        }

        /// The table row of `code`, if the table has one.
        const fn lookup(code: u16) -> Option<Entry> {
            match code {
                $( $code => Some(Entry { reason: $reason, rfc: $rfc, registered: $reg }), )+
                _ => None,
            }
        }

        #[cfg(test)]
        const TABLE_CODES: &[u16] = &[ $( $code, )+ ];
    };
}

status_codes! {
100 => TRYING, "Trying", "RFC 3261 §21.1.1", true;
180 => RINGING, "Ringing", "RFC 3261 §21.1.2", true;
181 => CALL_IS_BEING_FORWARDED, "Call Is Being Forwarded", "RFC 3261 §21.1.3", true;
182 => QUEUED, "Queued", "RFC 3261 §21.1.4", true;
183 => SESSION_PROGRESS, "Session Progress", "RFC 3261 §21.1.5", true;
199 => EARLY_DIALOG_TERMINATED, "Early Dialog Terminated", "RFC 6228 §5-§6 (registered §11.1)", true;
200 => OK, "OK", "RFC 3261 §21.2.1", true;
202 => ACCEPTED, "Accepted (Deprecated)", "RFC 3265 §7.3.1", true;
204 => NO_NOTIFICATION, "No Notification", "RFC 5839 §7.1", true;
300 => MULTIPLE_CHOICES, "Multiple Choices", "RFC 3261 §21.3.1", true;
301 => MOVED_PERMANENTLY, "Moved Permanently", "RFC 3261 §21.3.2", true;
302 => MOVED_TEMPORARILY, "Moved Temporarily", "RFC 3261 §21.3.3", true;
305 => USE_PROXY, "Use Proxy", "RFC 3261 §21.3.4", true;
380 => ALTERNATIVE_SERVICE, "Alternative Service", "RFC 3261 §21.3.5", true;
400 => BAD_REQUEST, "Bad Request", "RFC 3261 §21.4.1", true;
401 => UNAUTHORIZED, "Unauthorized", "RFC 3261 §21.4.2", true;
402 => PAYMENT_REQUIRED, "Payment Required", "RFC 3261 §21.4.3", true;
403 => FORBIDDEN, "Forbidden", "RFC 3261 §21.4.4", true;
404 => NOT_FOUND, "Not Found", "RFC 3261 §21.4.5", true;
405 => METHOD_NOT_ALLOWED, "Method Not Allowed", "RFC 3261 §21.4.6", true;
406 => NOT_ACCEPTABLE, "Not Acceptable", "RFC 3261 §21.4.7", true;
407 => PROXY_AUTHENTICATION_REQUIRED, "Proxy Authentication Required", "RFC 3261 §21.4.8", true;
408 => REQUEST_TIMEOUT, "Request Timeout", "RFC 3261 §21.4.9", true;
409 => CONFLICT, "Conflict", "RFC 2543 §7.4.10", false;
410 => GONE, "Gone", "RFC 3261 §21.4.10", true;
412 => CONDITIONAL_REQUEST_FAILED, "Conditional Request Failed", "RFC 3903 §11.2.1", true;
413 => REQUEST_ENTITY_TOO_LARGE, "Request Entity Too Large", "RFC 3261 §21.4.11", true;
414 => REQUEST_URI_TOO_LONG, "Request-URI Too Long", "RFC 3261 §21.4.12", true;
415 => UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", "RFC 3261 §21.4.13", true;
416 => UNSUPPORTED_URI_SCHEME, "Unsupported URI Scheme", "RFC 3261 §21.4.14", true;
417 => UNKNOWN_RESOURCE_PRIORITY, "Unknown Resource-Priority", "RFC 4412 §4.6.2 (registered §12.4)", true;
420 => BAD_EXTENSION, "Bad Extension", "RFC 3261 §21.4.15", true;
421 => EXTENSION_REQUIRED, "Extension Required", "RFC 3261 §21.4.16", true;
422 => SESSION_INTERVAL_TOO_SMALL, "Session Interval Too Small", "RFC 4028 §6", true;
423 => INTERVAL_TOO_BRIEF, "Interval Too Brief", "RFC 3261 §21.4.17", true;
424 => BAD_LOCATION_INFORMATION, "Bad Location Information", "RFC 6442 §4.3 (registered §8.4)", true;
425 => BAD_ALERT_MESSAGE, "Bad Alert Message", "RFC 8876 §5.1", true;
428 => USE_IDENTITY_HEADER, "Use Identity Header", "RFC 4474 §14.2", true;
429 => PROVIDE_REFERRER_IDENTITY, "Provide Referrer Identity", "RFC 3892 §5", true;
430 => FLOW_FAILED, "Flow Failed", "RFC 5626 §11.5", true;
433 => ANONYMITY_DISALLOWED, "Anonymity Disallowed", "RFC 5079 §5", true;
436 => BAD_IDENTITY_INFO, "Bad Identity Info", "RFC 4474 §14.3 (as 'Bad Identity-Info')", true;
437 => UNSUPPORTED_CREDENTIAL, "Unsupported Credential", "RFC 4474 §14.4 (as 'Unsupported Certificate')", true;
438 => INVALID_IDENTITY_HEADER, "Invalid Identity Header", "RFC 4474 §14.5", true;
439 => FIRST_HOP_LACKS_OUTBOUND_SUPPORT, "First Hop Lacks Outbound Support", "RFC 5626 §11.6", true;
440 => MAX_BREADTH_EXCEEDED, "Max-Breadth Exceeded", "RFC 5393 §5.3.3 (registered §6.2)", true;
469 => BAD_INFO_PACKAGE, "Bad Info Package", "RFC 6086 §4.2.2 (registered §11.6)", true;
470 => CONSENT_NEEDED, "Consent Needed", "RFC 5360 §5.9.2", true;
480 => TEMPORARILY_UNAVAILABLE, "Temporarily Unavailable", "RFC 3261 §21.4.18", true;
481 => CALL_TRANSACTION_DOES_NOT_EXIST, "Call/Transaction Does Not Exist", "RFC 3261 §21.4.19", true;
482 => LOOP_DETECTED, "Loop Detected", "RFC 3261 §21.4.20", true;
483 => TOO_MANY_HOPS, "Too Many Hops", "RFC 3261 §21.4.21", true;
484 => ADDRESS_INCOMPLETE, "Address Incomplete", "RFC 3261 §21.4.22", true;
485 => AMBIGUOUS, "Ambiguous", "RFC 3261 §21.4.23", true;
486 => BUSY_HERE, "Busy Here", "RFC 3261 §21.4.24", true;
487 => REQUEST_TERMINATED, "Request Terminated", "RFC 3261 §21.4.25", true;
488 => NOT_ACCEPTABLE_HERE, "Not Acceptable Here", "RFC 3261 §21.4.26", true;
489 => BAD_EVENT, "Bad Event", "RFC 3265 §7.3.2", true;
491 => REQUEST_PENDING, "Request Pending", "RFC 3261 §21.4.27", true;
493 => UNDECIPHERABLE, "Undecipherable", "RFC 3261 §21.4.28", true;
494 => SECURITY_AGREEMENT_REQUIRED, "Security Agreement Required", "RFC 3329 §2.3.1 (registered §6.4)", true;
500 => SERVER_INTERNAL_ERROR, "Server Internal Error", "RFC 3261 §21.5.1", true;
501 => NOT_IMPLEMENTED, "Not Implemented", "RFC 3261 §21.5.2", true;
502 => BAD_GATEWAY, "Bad Gateway", "RFC 3261 §21.5.3", true;
503 => SERVICE_UNAVAILABLE, "Service Unavailable", "RFC 3261 §21.5.4", true;
504 => SERVER_TIMEOUT, "Server Time-out", "RFC 3261 §21.5.5", true;
505 => VERSION_NOT_SUPPORTED, "Version Not Supported", "RFC 3261 §21.5.6", true;
513 => MESSAGE_TOO_LARGE, "Message Too Large", "RFC 3261 §21.5.7", true;
555 => PUSH_NOTIFICATION_SERVICE_NOT_SUPPORTED, "Push Notification Service Not Supported", "RFC 8599 §8.1 (registered §14.2.1)", true;
580 => PRECONDITION_FAILURE, "Precondition Failure", "RFC 3312 §8", true;
600 => BUSY_EVERYWHERE, "Busy Everywhere", "RFC 3261 §21.6.1", true;
603 => DECLINE, "Decline", "RFC 3261 §21.6.2", true;
604 => DOES_NOT_EXIST_ANYWHERE, "Does Not Exist Anywhere", "RFC 3261 §21.6.3", true;
606 => NOT_ACCEPTABLE_ANYWHERE, "Not Acceptable", "RFC 3261 §21.6.4", true;
607 => UNWANTED, "Unwanted", "RFC 8197 §4 (registered §5.1)", true;
608 => REJECTED, "Rejected", "RFC 8688 §3.1 (registered §5.1)", true;}

impl StatusCode {
    /// The code from three ASCII digits; `None` unless exactly three digits.
    #[inline]
    pub const fn from_digits(d: &[u8]) -> Option<StatusCode> {
        if d.len() != 3
            || !d[0].is_ascii_digit()
            || !d[1].is_ascii_digit()
            || !d[2].is_ascii_digit()
        {
            return None;
        }
        Some(StatusCode(
            (d[0] - b'0') as u16 * 100 + (d[1] - b'0') as u16 * 10 + (d[2] - b'0') as u16,
        ))
    }

    /// The numeric value (0..=999).
    #[inline]
    pub const fn as_u16(self) -> u16 {
        self.0
    }

    /// The code for `n`, which must be 0..=999: the Status-Code is `3DIGIT`
    /// (RFC 3261 §25.1), so larger numbers cannot be sent.
    pub const fn from_u16(n: u16) -> Result<StatusCode, InvalidStatusCode> {
        if n <= 999 {
            Ok(StatusCode(n))
        } else {
            Err(InvalidStatusCode { _priv: () })
        }
    }

    /// The reason phrase to put on the wire for a registered code: IANA's
    /// phrase without the registry's annotations (202 gives `"Accepted"`,
    /// which the registry lists as `"Accepted (Deprecated)"`: see
    /// [`registry_reason`](Self::registry_reason)); `None` for any code the
    /// registry does not hold, including the legacy 409 (see the module docs).
    ///
    /// The phrase is only a suggestion: RFC 3261 §21 lets a sender use any
    /// phrase, and receivers act on the code alone.
    pub const fn canonical_reason(self) -> Option<&'static str> {
        match self.registry_reason() {
            Some(r) => Some(wire_phrase(r)),
            None => None,
        }
    }

    /// IANA's text for a registered code, exactly as the registry lists it,
    /// annotations included (202 gives `"Accepted (Deprecated)"`); `None`
    /// for codes the registry does not hold.
    pub const fn registry_reason(self) -> Option<&'static str> {
        match lookup(self.0) {
            Some(e) if e.registered => Some(e.reason),
            _ => None,
        }
    }

    /// The reason phrase of any code in this crate's table: IANA's phrase for
    /// registered codes, and the RFC 2543 phrase for the legacy 409
    /// (`"Conflict"`). `None` for codes the table does not hold.
    pub const fn table_reason(self) -> Option<&'static str> {
        match lookup(self.0) {
            Some(e) => Some(e.reason),
            None => None,
        }
    }

    /// The section that defines the code (`"RFC 3261 §21.1.1"`), including
    /// the legacy 409 (`"RFC 2543 §7.4.10"`); `None` for codes not in the table.
    pub const fn defining_rfc(self) -> Option<&'static str> {
        match lookup(self.0) {
            Some(e) => Some(e.rfc),
            None => None,
        }
    }

    /// True when the code is in the IANA SIP Response Codes registry
    /// (RFC 3261 §27.4 created it). False for 409 and every unassigned code.
    pub const fn is_registered(self) -> bool {
        matches!(
            lookup(self.0),
            Some(Entry {
                registered: true,
                ..
            })
        )
    }

    /// The class given by the first digit (RFC 3261 §7.2), `None` for 0xx and
    /// 7xx–9xx, which match `extension-code` but belong to no class.
    pub const fn class(self) -> Option<StatusClass> {
        Some(match self.0 / 100 {
            1 => StatusClass::Provisional,
            2 => StatusClass::Success,
            3 => StatusClass::Redirection,
            4 => StatusClass::ClientError,
            5 => StatusClass::ServerError,
            6 => StatusClass::GlobalFailure,
            _ => return None,
        })
    }

    /// 1xx (RFC 3261 §7.2): the transaction is still going on.
    pub const fn is_provisional(self) -> bool {
        matches!(self.class(), Some(StatusClass::Provisional))
    }

    /// 2xx (RFC 3261 §21.2).
    pub const fn is_success(self) -> bool {
        matches!(self.class(), Some(StatusClass::Success))
    }

    /// 3xx (RFC 3261 §21.3).
    pub const fn is_redirection(self) -> bool {
        matches!(self.class(), Some(StatusClass::Redirection))
    }

    /// 4xx (RFC 3261 §21.4).
    pub const fn is_client_error(self) -> bool {
        matches!(self.class(), Some(StatusClass::ClientError))
    }

    /// 5xx (RFC 3261 §21.5).
    pub const fn is_server_error(self) -> bool {
        matches!(self.class(), Some(StatusClass::ServerError))
    }

    /// 6xx (RFC 3261 §21.6).
    pub const fn is_global_failure(self) -> bool {
        matches!(self.class(), Some(StatusClass::GlobalFailure))
    }

    /// A final response (2xx–6xx, RFC 3261 §7.2): it terminates the
    /// transaction. Codes without a class are neither final nor provisional.
    pub const fn is_final(self) -> bool {
        matches!(self.0 / 100, 2..=6)
    }

    /// The code a UAC acts on (RFC 3261 §8.1.3.2): "an unrecognized final
    /// response [is treated] as being equivalent to the x00 response code of
    /// that class", and an unrecognized provisional response other than 100
    /// as 183.
    ///
    /// "Recognized" here means registered with IANA ([`is_registered`]), so
    /// the legacy 409 maps to 400, as the registry notes say receivers do.
    /// Registered codes map to themselves. Codes with no class (0xx, 7xx–9xx)
    /// have no x00 to fall back to and also map to themselves; the validator
    /// reports them instead (`status-code-class-invalid`).
    ///
    /// [`is_registered`]: StatusCode::is_registered
    pub const fn effective(self) -> StatusCode {
        if self.is_registered() {
            return self;
        }
        match self.0 / 100 {
            1 => StatusCode::SESSION_PROGRESS,
            c @ 2..=6 => StatusCode(c * 100),
            _ => self,
        }
    }
}

/// `reason` without a trailing registry annotation `" (...)"` such as
/// `" (Deprecated)"`: no reason phrase of the table ends in `)` otherwise.
const fn wire_phrase(reason: &'static str) -> &'static str {
    let b = reason.as_bytes();
    if b.is_empty() || b[b.len() - 1] != b')' {
        return reason;
    }
    let mut i = b.len() - 1;
    while i > 0 {
        i -= 1;
        if b[i] == b'(' {
            let cut = if i > 0 && b[i - 1] == b' ' { i - 1 } else { i };
            let (head, _) = b.split_at(cut);
            return match core::str::from_utf8(head) {
                Ok(s) => s,
                Err(_) => reason,
            };
        }
    }
    reason
}

impl TryFrom<u16> for StatusCode {
    type Error = InvalidStatusCode;

    fn try_from(n: u16) -> Result<Self, Self::Error> {
        StatusCode::from_u16(n)
    }
}

impl From<StatusCode> for u16 {
    fn from(c: StatusCode) -> u16 {
        c.0
    }
}

impl FromStr for StatusCode {
    type Err = InvalidStatusCode;

    /// Exactly three ASCII digits, as on the wire (`Status-Code`, RFC 3261
    /// §25.1): no sign, no white space, no fewer or more digits.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StatusCode::from_digits(s.as_bytes()).ok_or(InvalidStatusCode { _priv: () })
    }
}

impl PartialEq<u16> for StatusCode {
    fn eq(&self, other: &u16) -> bool {
        self.0 == *other
    }
}

impl PartialEq<StatusCode> for u16 {
    fn eq(&self, other: &StatusCode) -> bool {
        *self == other.0
    }
}

impl fmt::Debug for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

impl fmt::Display for StatusCode {
    /// Like `http::StatusCode`: the three digits and the
    /// [`canonical_reason`](StatusCode::canonical_reason) (`200 OK`,
    /// `202 Accepted`), or the digits alone when the code has none (`299`,
    /// the legacy `409`). `{:#}` prints the digits alone for any code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.canonical_reason() {
            Some(r) if !f.alternate() => write!(f, "{:03} {r}", self.0),
            _ => write!(f, "{:03}", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_constants() {
        let cases: &[(StatusCode, u16, Option<&str>)] = &[
            (StatusCode::TRYING, 100, Some("Trying")),
            (StatusCode::RINGING, 180, Some("Ringing")),
            (StatusCode::OK, 200, Some("OK")),
            (StatusCode::ACCEPTED, 202, Some("Accepted")),
            (StatusCode::NO_NOTIFICATION, 204, Some("No Notification")),
            (StatusCode::CONFLICT, 409, None),
            (StatusCode::NOT_ACCEPTABLE, 406, Some("Not Acceptable")),
            (
                StatusCode::NOT_ACCEPTABLE_ANYWHERE,
                606,
                Some("Not Acceptable"),
            ),
            (StatusCode::SERVER_TIMEOUT, 504, Some("Server Time-out")),
            (StatusCode::BUSY_EVERYWHERE, 600, Some("Busy Everywhere")),
            (StatusCode::DECLINE, 603, Some("Decline")),
            (StatusCode::UNWANTED, 607, Some("Unwanted")),
            (StatusCode::REJECTED, 608, Some("Rejected")),
        ];
        for &(c, n, r) in cases {
            assert_eq!(c.as_u16(), n);
            assert_eq!(c.canonical_reason(), r, "{n}");
        }
        assert_eq!(StatusCode::CONFLICT.table_reason(), Some("Conflict"));
        assert_eq!(
            StatusCode::CONFLICT.defining_rfc(),
            Some("RFC 2543 §7.4.10")
        );
        assert_eq!(StatusCode::TRYING.defining_rfc(), Some("RFC 3261 §21.1.1"));
    }

    #[test]
    fn table_is_sorted_and_unique() {
        assert_eq!(TABLE_CODES.len(), 76);
        assert!(TABLE_CODES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn effective_fallback() {
        let cases: &[(u16, u16)] = &[
            (100, 100),
            (101, 183),
            (150, 183),
            (183, 183),
            (199, 199),
            (201, 200),
            (202, 202),
            (299, 200),
            (409, 400),
            (499, 400),
            (555, 555),
            (599, 500),
            (699, 600),
            (0, 0),
            (99, 99),
            (700, 700),
            (999, 999),
        ];
        for &(from, to) in cases {
            assert_eq!(StatusCode(from).effective().as_u16(), to, "{from}");
        }
    }

    #[test]
    fn classes() {
        assert_eq!(StatusCode(99).class(), None);
        assert_eq!(StatusCode(100).class(), Some(StatusClass::Provisional));
        assert_eq!(StatusCode(699).class(), Some(StatusClass::GlobalFailure));
        assert_eq!(StatusCode(700).class(), None);
        assert!(!StatusCode(700).is_final() && !StatusCode(700).is_provisional());
        assert!(StatusCode(200).is_final() && StatusCode(699).is_final());
        assert!(!StatusCode(199).is_final());
    }

    #[test]
    fn parsing_and_display() {
        assert_eq!("007".parse::<StatusCode>().unwrap().as_u16(), 7);
        assert_eq!(StatusCode(7).to_string(), "007");
        assert_eq!(StatusCode::OK.to_string(), "200 OK");
        assert_eq!(StatusCode::ACCEPTED.to_string(), "202 Accepted");
        assert_eq!(format!("{:#}", StatusCode::OK), "200");
        assert_eq!(StatusCode::CONFLICT.to_string(), "409");
        assert_eq!(StatusCode(299).to_string(), "299");
        assert_eq!(
            StatusCode::ACCEPTED.registry_reason(),
            Some("Accepted (Deprecated)")
        );
        assert_eq!(wire_phrase("x (y)"), "x");
        assert_eq!(wire_phrase("x"), "x");
        assert_eq!(wire_phrase("(y)"), "");
        for bad in ["", "1", "20", "2000", " 200", "+20", "2a0", "-10", "２００"] {
            assert!(bad.parse::<StatusCode>().is_err(), "{bad:?}");
        }
        assert!(StatusCode::from_u16(1000).is_err());
        assert_eq!(StatusCode::try_from(999).unwrap().as_u16(), 999);
        assert_eq!(format!("{:?}", StatusCode::OK), "200");
    }
}
