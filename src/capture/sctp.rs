//! SCTP user messages from DATA chunk fragments (RFC 9260 §6.9).
//!
//! A message larger than a packet is sent as fragments with consecutive
//! TSNs, the first flagged B and the last E. Chunks may arrive out of order
//! or twice (retransmissions), so fragments are filed by TSN and a message
//! is delivered when every TSN from a B to the next E is present. Memory is
//! bounded: at most [`MAX_MESSAGE`] octets and [`MAX_PIECES`] fragments wait
//! per stream; past either the stream's pieces are dropped.

use std::collections::HashMap;

use bytes::{Bytes, BytesMut};

/// The largest message assembled from fragments.
pub(super) const MAX_MESSAGE: usize = 1024 * 1024;

/// Fragments one stream may hold while waiting for the rest of a message.
pub(super) const MAX_PIECES: usize = 1024;

/// One DATA chunk's fragment.
#[derive(Debug)]
struct Piece {
    begin: bool,
    end: bool,
    data: Bytes,
}

/// What [`Assembler::piece`] found.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Assembled {
    /// Nothing complete yet.
    Pending,
    /// A whole message.
    Message(Bytes),
    /// The stream held too much; what it held was dropped.
    Overflow,
}

/// The fragments of one SCTP stream (one direction of an association).
#[derive(Debug, Default)]
pub(super) struct Assembler {
    pieces: HashMap<u32, Piece>,
    octets: usize,
}

impl Assembler {
    #[cfg(test)]
    /// An empty assembler.
    pub(super) fn new() -> Self {
        Self::default()
    }

    /// True when no fragment waits.
    pub(super) fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Files one fragment (`begin` and `end` are the chunk's B and E flags;
    /// both set is an unfragmented message and is returned as is).
    pub(super) fn piece(&mut self, tsn: u32, begin: bool, end: bool, data: Bytes) -> Assembled {
        if begin && end {
            return Assembled::Message(data);
        }
        if self.pieces.contains_key(&tsn) {
            return Assembled::Pending; // a retransmission
        }
        if self.octets + data.len() > MAX_MESSAGE || self.pieces.len() >= MAX_PIECES {
            self.pieces.clear();
            self.octets = 0;
            return Assembled::Overflow;
        }
        self.octets += data.len();
        self.pieces.insert(tsn, Piece { begin, end, data });
        // The new piece can complete only the message it belongs to: walk
        // back to its B, then forward to its E. Each step is one lookup,
        // and a message has at most MAX_PIECES fragments.
        let mut first = tsn;
        while !self.pieces[&first].begin {
            match self.pieces.get(&first.wrapping_sub(1)) {
                Some(p) if !p.end => first = first.wrapping_sub(1),
                _ => return Assembled::Pending,
            }
        }
        let mut last = first;
        while !self.pieces[&last].end {
            match self.pieces.get(&last.wrapping_add(1)) {
                Some(p) if !p.begin => last = last.wrapping_add(1),
                _ => return Assembled::Pending,
            }
        }
        let mut whole = BytesMut::new();
        let mut t = first;
        loop {
            if let Some(p) = self.pieces.remove(&t) {
                self.octets -= p.data.len();
                whole.extend_from_slice(&p.data);
            }
            if t == last {
                break;
            }
            t = t.wrapping_add(1);
        }
        Assembled::Message(whole.freeze())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(chunks: &[(u32, bool, bool, &str)]) -> Vec<String> {
        let mut a = Assembler::new();
        let mut out = Vec::new();
        for (tsn, b, e, d) in chunks {
            if let Assembled::Message(m) =
                a.piece(*tsn, *b, *e, Bytes::copy_from_slice(d.as_bytes()))
            {
                out.push(String::from_utf8(m.to_vec()).unwrap());
            }
        }
        out
    }

    #[test]
    fn in_order_out_of_order_and_retransmitted() {
        assert_eq!(
            run(&[
                (1, true, false, "ab"),
                (2, false, false, "cd"),
                (3, false, true, "ef")
            ]),
            ["abcdef"]
        );
        assert_eq!(
            run(&[
                (3, false, true, "ef"),
                (1, true, false, "ab"),
                (1, true, false, "ab"),
                (2, false, false, "cd")
            ]),
            ["abcdef"]
        );
    }

    #[test]
    fn interleaved_messages_and_tsn_wrap() {
        assert_eq!(
            run(&[
                (u32::MAX, true, false, "a"),
                (5, true, false, "x"),
                (0, false, true, "b"),
                (6, false, true, "y"),
                (9, true, true, "z")
            ]),
            ["ab", "xy", "z"]
        );
    }

    #[test]
    fn a_lost_middle_never_completes_and_memory_stays_bounded() {
        let mut a = Assembler::new();
        assert_eq!(
            a.piece(1, true, false, Bytes::from_static(b"a")),
            Assembled::Pending
        );
        assert_eq!(
            a.piece(3, false, true, Bytes::from_static(b"c")),
            Assembled::Pending
        );
        let mut overflowed = false;
        for t in 10..(10 + MAX_PIECES as u32 + 1) {
            overflowed |= a.piece(t, false, false, Bytes::from_static(b"m")) == Assembled::Overflow;
            assert!(a.pieces.len() <= MAX_PIECES);
        }
        assert!(overflowed);
    }
}
