//! Located defects of a lax header reading.
//!
//! A strict typed parse stops at the first error. The lax readings
//! (`parse_lax` on Via, From, To, Contact, CSeq, Allow-Events) read every
//! part they can and record each part that fails its production as a
//! [`Defect`]: which part, where, and why. So a Via whose `branch` is not a
//! token still yields its sent-protocol, sent-by and other parameters, and
//! the one defect names the branch with the span of its value.
//!
//! [`Defects`] holds up to [`Defects::CAPACITY`] defects inline (no heap);
//! further ones are counted, not kept.

use crate::error::{HeaderValueError, HeaderValueErrorKind};
use crate::Span;

/// The part of a header value a defect is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Part {
    /// The value as a whole: empty, bytes after its end, or (for the
    /// headers read as one part: Call-ID, Reason, Warning, Accept, ...) the
    /// whole value failing its grammar.
    Value,
    /// Via `sent-protocol` (`SIP/2.0/UDP`).
    SentProtocol,
    /// Via `sent-by` (host and port).
    SentBy,
    /// A parameter that is not a `generic-param` (`;`, `;=x`, `;a="x`), or
    /// an `auth-param` of a challenge that is not `name EQUAL (token /
    /// quoted-string)`.
    Param,
    /// The Via `branch` parameter (`"branch" EQUAL token`).
    Branch,
    /// The Via `received` parameter (`IPv4address / IPv6address`).
    Received,
    /// The Via `rport` parameter (`[EQUAL 1*DIGIT]`, a port).
    Rport,
    /// The Via `ttl` parameter (`1*3DIGIT`, 0..=255).
    Ttl,
    /// The Via `maddr` parameter (`host`).
    Maddr,
    /// A display name (`*(token LWS) / quoted-string`).
    DisplayName,
    /// The address of a name-addr or addr-spec (the URI, or its brackets).
    Uri,
    /// The `tag` parameter (`"tag" EQUAL token`; `;tag` and `;tag=` mean no tag).
    Tag,
    /// The Contact `q` parameter (`qvalue`).
    Q,
    /// The Contact `expires` parameter (`delta-seconds`).
    Expires,
    /// A number: the CSeq sequence number (`1*DIGIT`, 32 bits), the
    /// `delta-seconds` of Expires or Session-Expires, the value of
    /// Content-Length, Max-Forwards or RSeq.
    Number,
    /// The CSeq method (`Method`, a token).
    Method,
    /// One element of a list (an empty element, or one that is not a token).
    Item,
    /// A Content-Type `m-type SLASH m-subtype`.
    MediaType,
    /// The Session-Expires `refresher` parameter (`"uac" / "uas"`).
    Refresher,
    /// A `SIP-date` (Date).
    Date,
    /// The auth-scheme of a challenge (WWW-Authenticate, Proxy-Authenticate).
    Scheme,
}

/// One located defect: `part` failed its production with `kind`; `span` is
/// the part's bytes as far as they can be told apart (absolute offsets in
/// the message), and `at` is the offending byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Defect {
    /// Which part of the value.
    pub part: Part,
    /// Absolute span of that part.
    pub span: Span,
    /// What is wrong with it.
    pub kind: HeaderValueErrorKind,
    /// Absolute offset of the offending byte (inside `span`, or its end).
    pub at: usize,
}

impl Defect {
    /// A defect of `part` over `span`, at the start of the span.
    pub const fn new(part: Part, span: Span, kind: HeaderValueErrorKind) -> Self {
        Defect {
            part,
            span,
            kind,
            at: span.start,
        }
    }

    /// The same defect with the offending byte at `at`.
    pub const fn at(self, at: usize) -> Self {
        Defect { at, ..self }
    }

    /// The defect as the strict parser's error (kind at the offending byte).
    pub fn to_error(&self) -> HeaderValueError {
        HeaderValueError::new(self.kind, self.at)
    }
}

/// The defects of one lax reading, in the order of the value: a fixed
/// inline array, so a lax reading never allocates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Defects {
    items: [Defect; Defects::CAPACITY],
    len: u8,
    dropped: u16,
}

impl Default for Defects {
    fn default() -> Self {
        Defects::new()
    }
}

impl Defects {
    /// How many defects are kept; further ones are only counted.
    pub const CAPACITY: usize = 6;

    /// No defect.
    pub const fn new() -> Self {
        const NONE: Defect = Defect::new(Part::Value, Span::empty(0), HeaderValueErrorKind::Empty);
        Defects {
            items: [NONE; Defects::CAPACITY],
            len: 0,
            dropped: 0,
        }
    }

    /// Records `d` (counted only when the array is full).
    pub fn push(&mut self, d: Defect) {
        if usize::from(self.len) < Self::CAPACITY {
            self.items[usize::from(self.len)] = d;
            self.len += 1;
        } else {
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    /// The defects kept, in order.
    pub fn as_slice(&self) -> &[Defect] {
        &self.items[..usize::from(self.len)]
    }

    /// Iterates the defects kept.
    pub fn iter(&self) -> core::slice::Iter<'_, Defect> {
        self.as_slice().iter()
    }

    /// True when the value had no defect.
    pub fn is_empty(&self) -> bool {
        self.len == 0 && self.dropped == 0
    }

    /// Number of defects, including those not kept.
    pub fn len(&self) -> usize {
        usize::from(self.len) + usize::from(self.dropped)
    }

    /// The first defect, if any.
    pub fn first(&self) -> Option<&Defect> {
        self.as_slice().first()
    }

    /// The first defect of `part`, if any.
    pub fn of(&self, part: Part) -> Option<&Defect> {
        self.iter().find(|d| d.part == part)
    }
}

impl<'d> IntoIterator for &'d Defects {
    type Item = &'d Defect;
    type IntoIter = core::slice::Iter<'d, Defect>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HeaderValueErrorKind as K;

    #[test]
    fn defects_keep_order_and_count_overflow() {
        let mut d = Defects::new();
        assert!(d.is_empty() && d.first().is_none());
        for i in 0..Defects::CAPACITY + 3 {
            d.push(Defect::new(Part::Param, Span::new(i, i + 1), K::BadParam).at(i));
        }
        assert_eq!(d.len(), Defects::CAPACITY + 3);
        assert_eq!(d.as_slice().len(), Defects::CAPACITY);
        assert_eq!(d.first().unwrap().span, Span::new(0, 1));
        assert_eq!(
            d.iter().map(|x| x.at).collect::<Vec<_>>(),
            (0..Defects::CAPACITY).collect::<Vec<_>>()
        );
        assert!(d.of(Part::Branch).is_none());
        let e = d.of(Part::Param).unwrap().to_error();
        assert_eq!((e.kind(), e.offset()), (K::BadParam, 0));
    }
}
