//! TCP stream reassembly for one direction of a connection: in-order
//! delivery, retransmissions and overlaps trimmed, out-of-order segments
//! held until the hole before them fills, and a gap declared when it does
//! not fill in time (the capture lost the segment).
//!
//! Sequence numbers are compared modulo 2^32 (RFC 9293 §3.4), so streams
//! that wrap are followed. Memory is bounded: at most
//! [`MAX_OUT_OF_ORDER`] octets in at most [`MAX_OUT_OF_ORDER_SEGMENTS`]
//! segments wait per direction.

use bytes::Bytes;

/// Octets of out-of-order data one direction may hold before the oldest
/// hole is given up as lost.
pub(super) const MAX_OUT_OF_ORDER: usize = 256 * 1024;

/// Segments one direction may hold out of order (so that the linear scans
/// over them stay cheap however small the segments are).
pub(super) const MAX_OUT_OF_ORDER_SEGMENTS: usize = 512;

/// What the reassembler delivers, in stream order.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum StreamPiece {
    /// The next octets of the stream.
    Data(Bytes),
    /// `missing` octets were never captured; the next `Data` follows them.
    Gap {
        /// How many octets were lost.
        missing: u64,
    },
}

/// One direction of a TCP connection.
#[derive(Debug, Default)]
pub(super) struct TcpReassembler {
    /// Sequence number of the next octet to deliver; `None` before the
    /// first segment.
    next: Option<u32>,
    /// Segments beyond `next`, in arrival order (few: bounded by octets).
    ahead: Vec<(u32, Bytes)>,
    ahead_octets: usize,
}

/// Signed distance from `a` to `b` in sequence space.
fn dist(a: u32, b: u32) -> i64 {
    i64::from(b.wrapping_sub(a) as i32)
}

impl TcpReassembler {
    /// A reassembler that has seen nothing.
    pub(super) fn new() -> Self {
        Self::default()
    }

    /// True when no segment is waiting for a hole to fill.
    pub(super) fn is_idle(&self) -> bool {
        self.ahead.is_empty()
    }

    /// Sees a SYN with sequence number `seq`: data starts at `seq + 1`.
    pub(super) fn syn(&mut self, seq: u32) {
        self.next = Some(seq.wrapping_add(1));
        self.ahead.clear();
        self.ahead_octets = 0;
    }

    /// Takes one segment's payload; appends what can now be delivered to
    /// `out`.
    pub(super) fn segment(&mut self, seq: u32, payload: Bytes, out: &mut Vec<StreamPiece>) {
        if payload.is_empty() {
            return;
        }
        let next = *self.next.get_or_insert(seq);
        let d = dist(next, seq);
        if d > 0 {
            // A hole before this segment.
            self.ahead_octets += payload.len();
            self.ahead.push((seq, payload));
            while self.ahead_octets > MAX_OUT_OF_ORDER
                || self.ahead.len() > MAX_OUT_OF_ORDER_SEGMENTS
            {
                self.skip_hole(out);
            }
            return;
        }
        self.deliver(seq, payload, out);
        self.drain(out);
    }

    /// Gives up on the hole at `next`: jumps to the nearest waiting segment.
    fn skip_hole(&mut self, out: &mut Vec<StreamPiece>) {
        let Some(next) = self.next else { return };
        let Some(nearest) = self.ahead.iter().map(|(s, _)| dist(next, *s)).min() else {
            return;
        };
        if nearest > 0 {
            out.push(StreamPiece::Gap {
                missing: nearest as u64,
            });
            self.next = Some(next.wrapping_add(nearest as u32));
        }
        self.drain(out);
    }

    /// Delivers the part of a segment starting at or before `next` that is
    /// new.
    fn deliver(&mut self, seq: u32, payload: Bytes, out: &mut Vec<StreamPiece>) {
        let Some(next) = self.next else { return };
        let behind = (-dist(next, seq)) as usize;
        if behind >= payload.len() {
            return; // a retransmission of what was delivered
        }
        let fresh = payload.slice(behind..);
        self.next = Some(next.wrapping_add(fresh.len() as u32));
        out.push(StreamPiece::Data(fresh));
    }

    /// Delivers waiting segments that the stream has reached.
    fn drain(&mut self, out: &mut Vec<StreamPiece>) {
        loop {
            let Some(next) = self.next else { return };
            let Some(i) = self.ahead.iter().position(|(s, _)| dist(next, *s) <= 0) else {
                return;
            };
            let (seq, payload) = self.ahead.swap_remove(i);
            self.ahead_octets -= payload.len();
            self.deliver(seq, payload, out);
        }
    }

    /// The connection ended (FIN, RST or the end of the capture): whatever
    /// waits is delivered, with the gaps before it.
    pub(super) fn finish(&mut self, out: &mut Vec<StreamPiece>) {
        while !self.ahead.is_empty() {
            self.skip_hole(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(segments: &[(u32, &str)]) -> (String, Vec<u64>) {
        let mut r = TcpReassembler::new();
        let mut out = Vec::new();
        for (seq, data) in segments {
            r.segment(*seq, Bytes::copy_from_slice(data.as_bytes()), &mut out);
        }
        r.finish(&mut out);
        let mut text = String::new();
        let mut gaps = Vec::new();
        for p in out {
            match p {
                StreamPiece::Data(b) => text.push_str(std::str::from_utf8(&b).unwrap()),
                StreamPiece::Gap { missing } => {
                    gaps.push(missing);
                    text.push('#');
                }
            }
        }
        (text, gaps)
    }

    #[test]
    fn in_order_retransmitted_and_overlapping() {
        assert_eq!(
            run(&[(10, "abc"), (13, "def"), (10, "abc"), (12, "cdefgh")]).0,
            "abcdefgh"
        );
    }

    #[test]
    fn out_of_order_waits_for_the_hole() {
        assert_eq!(
            run(&[(0, "ab"), (4, "ef"), (2, "cd")]),
            ("abcdef".into(), vec![])
        );
    }

    #[test]
    fn lost_segment_becomes_a_gap_at_the_end() {
        assert_eq!(run(&[(0, "ab"), (5, "fg")]), ("ab#fg".into(), vec![3]));
    }

    #[test]
    fn sequence_numbers_wrap() {
        assert_eq!(run(&[(u32::MAX - 1, "ab"), (0, "cd")]).0, "abcd");
    }

    #[test]
    fn out_of_order_octets_are_bounded() {
        let mut r = TcpReassembler::new();
        let mut out = Vec::new();
        r.segment(0, Bytes::from_static(b"x"), &mut out);
        let chunk = Bytes::from(vec![b'y'; 1000]);
        // Every segment leaves a one-octet hole: none can be delivered.
        for i in 0..1000u32 {
            r.segment(2 + i * 1001, chunk.clone(), &mut out);
            assert!(r.ahead_octets <= MAX_OUT_OF_ORDER);
            assert!(r.ahead.len() <= MAX_OUT_OF_ORDER_SEGMENTS);
        }
        assert!(out
            .iter()
            .any(|p| matches!(p, StreamPiece::Gap { missing: 1 })));
    }

    #[test]
    fn syn_sets_the_start() {
        let mut r = TcpReassembler::new();
        let mut out = Vec::new();
        r.syn(99);
        r.segment(101, Bytes::from_static(b"b"), &mut out);
        r.segment(100, Bytes::from_static(b"a"), &mut out);
        assert_eq!(
            out,
            vec![
                StreamPiece::Data(Bytes::from_static(b"a")),
                StreamPiece::Data(Bytes::from_static(b"b"))
            ]
        );
    }
}
