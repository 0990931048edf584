//! The fact sheet of one message: what the rules read, located and parsed
//! at most once.
//!
//! The parsed [`Headers`] keep where each row starts and which known
//! header it is, not the rows: every `get`/`get_all`/`elements` call reads
//! the row's extent, name and value from the bytes again, and every typed
//! parse reads the value again. The rules ask for the same few headers
//! (From, To, Contact, Via, CSeq, Record-Route) many times each, so a
//! [`Sheet`] memoises:
//!
//! * the first row of each header asked for, read once. Headers with
//!   several rows are read from the parser's index each time; the parser
//!   already counted the malformed rows, so `header-line-malformed` walks
//!   nothing on a clean message. (A table of every row, built by a walk of
//!   the head when the sheet is made, measured slower twice: 34 252 →
//!   35 073 instructions a validation at 1df5b0a, with the parser's own
//!   line-feed blocks. Finding the rows is the parser's work, and its
//!   index now keeps their starts.)
//! * the typed reading of each address and Via value, keyed by where the
//!   value starts in the buffer (one value has one reading).
//!
//! Everything is filled lazily, on first use, into fixed-size slots
//! ([`Memo`]): no heap allocation. When the slots are full (a message
//! with more distinct values than a slot array holds), the value is parsed
//! again rather than stored: the answer is the same, only slower.

use core::cell::{Cell, OnceCell};

use crate::error::HeaderValueError;
use crate::header::typed::{Contact, FromHeader, NameAddr, RecordRoute, ToHeader, Via, ViaLax};
use crate::header::{Element, Header, HeaderIter, Headers, KnownHeader};

/// A small write-once map from a key (a header index, a value's start) to
/// a `Copy` value, in `N` slots. Lookups scan the keys only (`N` is
/// small); the values, some hundreds of bytes each, are copied once on a
/// hit and never moved while scanning.
pub(crate) struct Memo<T: Copy, const N: usize> {
    len: Cell<usize>,
    keys: [Cell<u64>; N],
    vals: [OnceCell<T>; N],
}

impl<T: Copy, const N: usize> Memo<T, N> {
    #[inline]
    pub(crate) fn new() -> Self {
        Memo {
            len: Cell::new(0),
            keys: core::array::from_fn(|_| Cell::new(0)),
            vals: core::array::from_fn(|_| OnceCell::new()),
        }
    }

    /// The value stored under `key` (a value's start and length, or a
    /// header index and 0), else `make()`, stored when a slot is free.
    #[inline]
    pub(crate) fn get_or(&self, key: (usize, usize), make: impl FnOnce() -> T) -> T {
        let len = self.len.get();
        let (Ok(a), Ok(b)) = (u32::try_from(key.0), u32::try_from(key.1)) else {
            return make();
        };
        let key = u64::from(a) << 32 | u64::from(b);
        for (k, v) in self.keys[..len].iter().zip(&self.vals) {
            if k.get() == key {
                if let Some(v) = v.get() {
                    return *v;
                }
            }
        }
        let v = make();
        if len < N {
            self.keys[len].set(key);
            if self.vals[len].set(v).is_ok() {
                self.len.set(len + 1);
            }
        }
        v
    }
}

/// Distinct headers whose first row is remembered.
const ROW_SLOTS: usize = 16;
/// Distinct address values (name-addr, Contact, Record-Route elements)
/// remembered per reading.
const ADDR_SLOTS: usize = 4;
/// Distinct Via values remembered.
const VIA_SLOTS: usize = 4;

type Parsed<T> = Result<T, HeaderValueError>;

/// The memoised facts of one header section (a response's, or the
/// matching request's). See the module docs.
pub(crate) struct Sheet<'a> {
    headers: Headers<'a>,
    /// The parser found no malformed row (see [`Sheet::malformed`]).
    clean: bool,
    /// For each known header, 1 + the slot of `rows` holding its first
    /// row once located (0: not yet): a lookup is one load, not a scan.
    row_slot: [Cell<u8>; KnownHeader::COUNT],
    /// The first rows located so far, in the order asked for.
    first_rows: [Cell<Option<Header<'a>>>; ROW_SLOTS],
    /// How many of `first_rows` are filled.
    first_len: Cell<u8>,
    contact: Memo<Parsed<Contact<'a>>, ADDR_SLOTS>,
    record_route: Memo<Parsed<RecordRoute<'a>>, ADDR_SLOTS>,
    from: Memo<Parsed<FromHeader<'a>>, 1>,
    to: Memo<Parsed<ToHeader<'a>>, 1>,
    /// Where the first From and To values start and how long they are:
    /// [`Sheet::name_addr`] asks for every address value it reads.
    from_to_at: OnceCell<[Option<(usize, usize)>; 2]>,
    via: Memo<Parsed<Via<'a>>, VIA_SLOTS>,
    /// A lax Via reading found a defect (see [`Sheet::read_a_broken_via`]).
    broken_via: Cell<bool>,
    /// Some rule will ask for the strict Via readings ([`Sheet::via`]):
    /// [`Sheet::via_lax`] keeps them as it goes.
    keep_via: bool,
}

/// The rows of one known header: the remembered single row, or a walk
/// from the first one.
pub(crate) enum Rows<'a> {
    /// The header has at most one row.
    One(Option<Header<'a>>),
    /// Several rows: walked from the first one.
    Many(HeaderIter<'a>),
}

impl<'a> Iterator for Rows<'a> {
    type Item = Header<'a>;
    #[inline]
    fn next(&mut self) -> Option<Header<'a>> {
        match self {
            Rows::One(h) => h.take(),
            Rows::Many(it) => it.next(),
        }
    }
}

/// True when row `h` has nothing in its value (`Via:`, or only folds): a
/// list header's row then yields no element ([`Header::elements`]).
pub(crate) fn is_empty_row(h: &Header<'_>) -> bool {
    crate::lex::trim_lws(h.value()).is_empty()
}

impl<'a> Sheet<'a> {
    /// An empty sheet over `headers`: nothing is read until asked for.
    /// `malformed_rows` is the parser's count of rows that are not
    /// `header-name HCOLON value` ([`crate::Deviations::malformed_lines`]).
    /// `keep_via`: some rule will ask for the strict Via readings
    /// ([`Sheet::via`]), so [`Sheet::via_lax`] keeps them as it goes.
    pub(crate) fn new(headers: Headers<'a>, malformed_rows: u32, keep_via: bool) -> Self {
        Sheet {
            headers,
            clean: malformed_rows == 0,
            row_slot: [const { Cell::new(0) }; KnownHeader::COUNT],
            first_rows: [const { Cell::new(None) }; ROW_SLOTS],
            first_len: Cell::new(0),
            contact: Memo::new(),
            record_route: Memo::new(),
            from: Memo::new(),
            to: Memo::new(),
            from_to_at: OnceCell::new(),
            via: Memo::new(),
            broken_via: Cell::new(false),
            keep_via,
        }
    }

    /// True when at least one row of `k` is present.
    #[inline]
    pub(crate) fn has(&self, k: KnownHeader) -> bool {
        self.headers.contains(k)
    }

    /// The rows that are not `header-name HCOLON value` (see
    /// [`Headers::malformed`]); skipped without a walk when the parser
    /// counted none.
    pub(crate) fn malformed(&self) -> impl Iterator<Item = crate::Span> + 'a {
        let clean = self.clean;
        let headers = self.headers;
        (!clean)
            .then(move || headers.malformed())
            .into_iter()
            .flatten()
    }

    /// The first row of `k`, located once.
    pub(crate) fn first(&self, k: KnownHeader) -> Option<Header<'a>> {
        if !self.headers.contains(k) {
            return None;
        }
        let slot = self.row_slot[k.index()].get();
        if slot != 0 {
            return self.first_rows[usize::from(slot - 1)].get();
        }
        let row = self.headers.get(k);
        let len = self.first_len.get();
        if usize::from(len) < ROW_SLOTS {
            self.first_rows[usize::from(len)].set(row);
            self.first_len.set(len + 1);
            self.row_slot[k.index()].set(len + 1);
        }
        row
    }

    /// Every row of `k`, in order.
    pub(crate) fn rows(&self, k: KnownHeader) -> Rows<'a> {
        match self.headers.count(k) {
            0 => Rows::One(None),
            1 => Rows::One(self.first(k)),
            _ => Rows::Many(self.headers.get_all(k)),
        }
    }

    /// Every element of every row of `k` (see [`Header::elements`]).
    pub(crate) fn elements(&self, k: KnownHeader) -> impl Iterator<Item = Element<'a>> + '_ {
        self.rows(k).flat_map(|h| h.elements())
    }

    /// The rows of `k` with nothing in their value (`Via:`). A list header's
    /// row yields no element then, so the rules that walk
    /// [`elements`](Self::elements) never see it: each syntax rule whose
    /// grammar needs an item asks for these rows (spec "General
    /// conventions": such a row counts as absent, and is a finding).
    pub(crate) fn empty_rows(&self, k: KnownHeader) -> impl Iterator<Item = Header<'a>> + '_ {
        self.rows(k).filter(is_empty_row)
    }

    /// True when `k` has at least one non-empty element.
    pub(crate) fn has_value(&self, k: KnownHeader) -> bool {
        self.elements(k).any(|e| !e.bytes.is_empty())
    }

    /// `v` (at absolute offset `base`) read as `name-addr / addr-spec`
    /// followed by header parameters.
    ///
    /// One reading serves every header: the From or To reading when `v` is
    /// that row's value and it parses, else the Contact reading (for any
    /// value but `*`, `Contact::parse` is exactly this parse).
    pub(crate) fn name_addr(&self, v: &'a [u8], base: usize) -> Parsed<NameAddr<'a>> {
        let at = self.from_to_at.get_or_init(|| {
            [KnownHeader::From, KnownHeader::To].map(|k| {
                self.first(k)
                    .map(|h| (h.value_span().start, h.value().len()))
            })
        });
        for (k, at) in [KnownHeader::From, KnownHeader::To].into_iter().zip(at) {
            if *at != Some((base, v.len())) {
                continue;
            }
            let read = if k == KnownHeader::From {
                self.read_from(v, base).map(|x| *x.name_addr())
            } else {
                self.read_to(v, base).map(|x| *x.name_addr())
            };
            if read.is_ok() {
                return read;
            }
        }
        match self.contact(v, base) {
            Ok(c) => match c.name_addr() {
                Some(n) => Ok(*n),
                None => NameAddr::parse(v, base),
            },
            Err(e) => Err(e),
        }
    }

    /// `v` read as one Contact value.
    pub(crate) fn contact(&self, v: &'a [u8], base: usize) -> Parsed<Contact<'a>> {
        use crate::header::typed::TypedHeader;
        self.contact
            .get_or((base, v.len()), || Contact::parse(v, base))
    }

    /// `v` read as one Record-Route value.
    pub(crate) fn record_route(&self, v: &'a [u8], base: usize) -> Parsed<RecordRoute<'a>> {
        use crate::header::typed::TypedHeader;
        self.record_route
            .get_or((base, v.len()), || RecordRoute::parse(v, base))
    }

    /// `v` read as a From value.
    pub(crate) fn read_from(&self, v: &'a [u8], base: usize) -> Parsed<FromHeader<'a>> {
        use crate::header::typed::TypedHeader;
        self.from
            .get_or((base, v.len()), || FromHeader::parse(v, base))
    }

    /// `v` read as a To value.
    pub(crate) fn read_to(&self, v: &'a [u8], base: usize) -> Parsed<ToHeader<'a>> {
        use crate::header::typed::TypedHeader;
        self.to.get_or((base, v.len()), || ToHeader::parse(v, base))
    }

    /// `v` read laxly as one Via value: every part, and a located defect
    /// for each part that fails. Only the Via syntax rules read it, once
    /// per value, so it is not kept (copying the reading out of a slot
    /// measured slower than the one reading).
    pub(crate) fn via_lax(&self, v: &'a [u8], base: usize) -> ViaLax<'a> {
        let read = Via::parse_lax(v, base);
        if !read.defects().is_empty() {
            self.broken_via.set(true);
        } else if self.keep_via {
            // A rule will ask for the strict reading too: kept now, built
            // from this one ([`Sheet::via`] then parses nothing).
            if let Some(strict) = Via::from_lax(&read) {
                let _ = self.via.get_or((base, v.len()), || Ok(strict));
            }
        }
        read
    }

    /// True when a Via value read through [`Sheet::via_lax`] had a defect.
    /// The Via syntax rules read every Via value first, so the rules after
    /// them know whether a Via is broken without reading it again.
    pub(crate) fn read_a_broken_via(&self) -> bool {
        self.broken_via.get()
    }

    /// `v` read as one Via value.
    pub(crate) fn via(&self, v: &'a [u8], base: usize) -> Parsed<Via<'a>> {
        use crate::header::typed::TypedHeader;
        self.via.get_or((base, v.len()), || Via::parse(v, base))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memo_stores_once_and_falls_back_when_full() {
        let m: Memo<u32, 2> = Memo::new();
        let calls = Cell::new(0);
        let make = |v| {
            calls.set(calls.get() + 1);
            v
        };
        assert_eq!(m.get_or((10, 1), || make(1)), 1);
        assert_eq!(m.get_or((10, 1), || make(99)), 1);
        assert_eq!(m.get_or((20, 1), || make(2)), 2);
        assert_eq!(calls.get(), 2);
        // Full: computed every time, still right.
        assert_eq!(m.get_or((30, 1), || make(3)), 3);
        assert_eq!(m.get_or((30, 1), || make(3)), 3);
        assert_eq!(calls.get(), 4);
        assert_eq!(m.get_or((20, 1), || make(99)), 2);
        // Same start, another length: another value.
        assert_eq!(m.get_or((10, 2), || make(5)), 5);
    }

    #[test]
    fn sheet_rows_match_headers() {
        let msg = b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nTo: <sip:b@x>;tag=1\r\nVia: SIP/2.0/UDP b;branch=z9hG4bK2, SIP/2.0/UDP c\r\nContent-Length: 0\r\n\r\n";
        let r = crate::parse_response(msg).unwrap();
        let s = Sheet::new(*r.headers(), r.deviations().malformed_lines(), false);
        for k in [KnownHeader::Via, KnownHeader::To, KnownHeader::From] {
            let a: Vec<_> = s.rows(k).collect();
            let b: Vec<_> = r.headers().get_all(k).collect();
            assert_eq!(a, b);
            let a: Vec<_> = s.elements(k).collect();
            let b: Vec<_> = r.headers().elements(k).collect();
            assert_eq!(a, b);
            assert_eq!(s.first(k), r.headers().get(k));
        }
        assert_eq!(s.malformed().count(), 0);
        // A malformed row, a folded row, and many rows:
        // the same answers as the walks.
        let big = b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a\r\nbad row\r\nTo: <sip:b@x>\r\n ;tag=1\r\nVia: SIP/2.0/UDP b\r\n".to_vec();
        for n in [0, 20] {
            let mut m = big.clone();
            for i in 0..n {
                m.extend_from_slice(format!("X-{i}: y\r\nVia: SIP/2.0/UDP c{i}\r\n").as_bytes());
            }
            m.extend_from_slice(b"Content-Length: 0\r\n\r\n");
            let r = crate::parse_response(&m).unwrap();
            let s = Sheet::new(*r.headers(), r.deviations().malformed_lines(), false);
            for k in [
                KnownHeader::Via,
                KnownHeader::To,
                KnownHeader::ContentLength,
            ] {
                let a: Vec<_> = s.rows(k).collect();
                let b: Vec<_> = r.headers().get_all(k).collect();
                assert_eq!(a, b);
                assert_eq!(s.first(k), r.headers().get(k));
            }
            let a: Vec<_> = s.malformed().collect();
            let b: Vec<_> = r.headers().malformed().collect();
            assert_eq!(a, b);
            assert_eq!(a.len(), 1);
        }
        let to = s.first(KnownHeader::To).unwrap();
        let (v, base) = (to.value(), to.value_span().start);
        assert_eq!(s.read_to(v, base), s.read_to(v, base));
        assert!(s.read_to(v, base).unwrap().tag().is_some());
        // The name-addr reading of a From/To value or a Contact is the
        // typed NameAddr's.
        for (v, base) in [
            (v, base),
            (&b"<sip:c@d>;x"[..], 3),
            (&b"*"[..], 0),
            (&b"<sip:"[..], 0),
        ] {
            assert_eq!(s.name_addr(v, base), NameAddr::parse(v, base));
        }
    }

    /// `empty_rows` is exactly "a list header's row that yields no
    /// element", the rows the element walks (and `forward_upstream`'s
    /// `NoVia`) never see, over crafted rows (folds, a lone comma) and
    /// every message of `tests/data`.
    #[test]
    fn empty_rows_are_the_rows_without_elements() {
        let lists = [
            KnownHeader::Via,
            KnownHeader::RecordRoute,
            KnownHeader::Warning,
            KnownHeader::Reason,
            KnownHeader::Contact,
            KnownHeader::Allow,
        ];
        let crafted: &[&[u8]] = &[
            b"SIP/2.0 200 OK\r\nVia:\r\nVia: \r\n \r\nVia: ,\r\nWarning:\t\r\nReason: x\r\nAllow:\r\nContent-Length: 0\r\n\r\n",
        ];
        let mut messages: Vec<Vec<u8>> = crafted.iter().map(|m| m.to_vec()).collect();
        messages.extend(crate::test_corpus::messages());
        let (mut empty, mut rows) = (0, 0);
        for buf in &messages {
            let Ok(r) = crate::parse_response(buf) else {
                continue;
            };
            let s = Sheet::new(*r.headers(), r.deviations().malformed_lines(), false);
            for k in lists {
                for h in s.rows(k) {
                    rows += 1;
                    let listed = s.empty_rows(k).any(|e| e == h);
                    assert_eq!(listed, h.elements().next().is_none(), "{h:?}");
                    empty += usize::from(listed);
                }
            }
        }
        assert!(empty >= 4 && rows > 1000, "{empty} of {rows}");
    }
}
