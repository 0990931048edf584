//! Byte searches over blocks of the head, with SSE2 where the target has it.
//!
//! The one-pass head reader ([`crate::framing`]'s `whole_head`) needs every
//! LF of the head, in order, and the end of each header name.
//!
//! * [`LineFeeds`]: one `memchr` call a line costs about 50 instructions
//!   whatever the line's length: most of it is the set-up of the search, and
//!   the bytes after each LF are searched again by the next call. Here one
//!   pass compares a 64-byte block with LF (four SSE2 compares and masks),
//!   keeps the block's hits as a bit set, and hands them out one by one, so
//!   each byte is compared once and each line costs a few instructions.
//! * [`not_letter_or_dash`]: the letters-and-dash test of
//!   [`crate::lex::letters_end`], 16 bytes at a time (the word-at-a-time
//!   version in `lex` does 8 with twice the operations).
//!
//! The SSE2 calls go through `safe_arch`, which exposes the intrinsics as
//! safe functions where the target enables the feature (SSE2 is part of the
//! x86_64 baseline), so this crate keeps `#![forbid(unsafe_code)]`. Elsewhere
//! [`LineFeeds`] searches line by line with `memchr` and `letters_end` keeps
//! its word-at-a-time loop. Measured in `benches/README.md`.

/// A cursor over the line feeds of `buf[..limit]`: each `next` gives the
/// next LF after the previous one. SSE2 blocks where the target has them,
/// else [`LineByLine`].
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub(crate) type LineFeeds = Blocks;
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
pub(crate) type LineFeeds = LineByLine;

/// [`LineFeeds`] by SSE2 blocks of 64 bytes.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub(crate) struct Blocks {
    /// Start of the block the hits belong to.
    at: usize,
    /// One bit per byte of the block at `at`, set for each LF not handed out
    /// yet.
    hits: u64,
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
impl Blocks {
    /// Line feeds from `at` on.
    #[inline(always)]
    pub(crate) fn new(buf: &[u8], at: usize) -> Self {
        Blocks {
            at,
            hits: block_hits(buf, at),
        }
    }

    /// The next line feed before `limit` (at most `buf.len()`), or `None`
    /// when there is none.
    #[inline(always)]
    pub(crate) fn next(&mut self, buf: &[u8], limit: usize) -> Option<usize> {
        loop {
            if self.hits != 0 {
                let i = self.at + self.hits.trailing_zeros() as usize;
                self.hits &= self.hits - 1;
                return (i < limit).then_some(i);
            }
            self.at += 64;
            if self.at >= limit {
                return None;
            }
            self.hits = block_hits(buf, self.at);
        }
    }
}

/// The LFs of `buf[at..at + 64]` (fewer at the end of `buf`) as bits.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn block_hits(buf: &[u8], at: usize) -> u64 {
    match buf.get(at..).and_then(<[u8]>::first_chunk::<64>) {
        Some(block) => {
            // (Always `Some`: the block has 64 bytes.)
            let bits = |k: usize| block[k * 16..].first_chunk::<16>().map_or(0, lf_bits);
            bits(0) | bits(1) << 16 | bits(2) << 32 | bits(3) << 48
        }
        None => tail_hits(buf, at),
    }
}

/// [`block_hits`] for the last, short block: whole 16-byte pieces, then
/// the last 16 bytes of `buf` (overlapping what was read) with the bits
/// already counted shifted out; byte by byte when `buf` is shorter than 16.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(never)]
fn tail_hits(buf: &[u8], at: usize) -> u64 {
    let len = buf.len();
    let Some(rest) = buf.get(at..) else {
        return 0;
    };
    if len < 16 {
        return rest
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .fold(0, |m, (k, _)| m | 1 << k);
    }
    let mut hits = 0;
    let mut s = at;
    while let Some(piece) = buf.get(s..).and_then(<[u8]>::first_chunk::<16>) {
        hits |= lf_bits(piece) << (s - at);
        s += 16;
    }
    // `len >= 16`, so the last 16 bytes exist.
    if let Some(last) = buf[len - 16..].first_chunk::<16>().filter(|_| s < len) {
        hits |= (lf_bits(last) >> (s + 16 - len)) << (s - at);
    }
    hits
}

/// One bit per byte of `piece`, set where it is LF: SSE2 compare and mask.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn lf_bits(piece: &[u8; 16]) -> u64 {
    use safe_arch::{cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i};
    let lf = safe_arch::set_splat_i8_m128i(b'\n' as i8);
    let mask = move_mask_i8_m128i(cmp_eq_mask_i8_m128i(load_unaligned_m128i(piece), lf));
    // The mask has 16 bits, the high ones zero.
    u64::from(mask as u16)
}

/// One bit per byte of `piece`, set where it is NOT an ASCII letter or `-`.
///
/// With `b` a byte: `(b | 0x20) - b'a'` (wrapping) is at most 25 exactly for
/// `A..=Z` and `a..=z` (the fold maps no other byte into `a..=z`, and bytes
/// from 0x80 up stay above it); a saturating subtraction of 25 leaves zero
/// for those alone.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
pub(crate) fn not_letter_or_dash(piece: &[u8; 16]) -> u32 {
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i,
        set_splat_i8_m128i, sub_i8_m128i, sub_saturating_u8_m128i, zeroed_m128i,
    };
    let b = load_unaligned_m128i(piece);
    let rel = sub_i8_m128i(
        bitor_m128i(b, set_splat_i8_m128i(0x20)),
        set_splat_i8_m128i(b'a' as i8),
    );
    let letter = cmp_eq_mask_i8_m128i(
        sub_saturating_u8_m128i(rel, set_splat_i8_m128i(25)),
        zeroed_m128i(),
    );
    let dash = cmp_eq_mask_i8_m128i(b, set_splat_i8_m128i(b'-' as i8));
    let ok = move_mask_i8_m128i(bitor_m128i(letter, dash)) as u32;
    !ok & 0xffff
}

/// One bit per byte of `piece`, set where it is one of the bytes a list
/// split stops at outside a plain value (`lex::ListSplit`): `"`, `(`,
/// `<`, `>`, `,`.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
pub(crate) fn list_stops(piece: &[u8; 16]) -> u32 {
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i,
        set_splat_i8_m128i,
    };
    let b = load_unaligned_m128i(piece);
    let eq = |c: u8| cmp_eq_mask_i8_m128i(b, set_splat_i8_m128i(c as i8));
    let hit = bitor_m128i(
        bitor_m128i(eq(b'"'), eq(b'(')),
        bitor_m128i(bitor_m128i(eq(b'<'), eq(b'>')), eq(b',')),
    );
    move_mask_i8_m128i(hit) as u32 & 0xffff
}

/// The host bytes (letters, digits, `-`, `.`) at the start of `i`, as bit
/// sets over the run, one bit a byte from `i[0]`: the run's length, its
/// letters, its hyphens and its dots (the rest of the run is digits).
/// `None` when the run is 64 bytes or longer. 16 bytes a step; the last
/// piece of a short input is copied into a zeroed block (zero ends a run).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
pub(crate) fn host_bits(i: &[u8]) -> Option<(usize, u64, u64, u64)> {
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i,
        set_splat_i8_m128i, sub_i8_m128i, sub_saturating_u8_m128i, zeroed_m128i,
    };
    let (mut letters, mut dashes, mut dots) = (0u64, 0u64, 0u64);
    for k in 0..4 {
        let at = 16 * k;
        let mut pad = [0u8; 16];
        let piece = match i.get(at..).and_then(<[u8]>::first_chunk::<16>) {
            Some(p) => p,
            None => {
                let rest = i.get(at..).unwrap_or_default();
                pad[..rest.len()].copy_from_slice(rest);
                &pad
            }
        };
        let b = load_unaligned_m128i(piece);
        // As in `not_letter_or_dash`: `(b | 0x20) - 'a'` saturating-minus
        // 25 is zero for letters only; `b - '0'` minus 9 for digits only.
        let folded = sub_i8_m128i(
            bitor_m128i(b, set_splat_i8_m128i(0x20)),
            set_splat_i8_m128i(b'a' as i8),
        );
        let zero = zeroed_m128i();
        let letter = cmp_eq_mask_i8_m128i(
            sub_saturating_u8_m128i(folded, set_splat_i8_m128i(25)),
            zero,
        );
        let digit = cmp_eq_mask_i8_m128i(
            sub_saturating_u8_m128i(
                sub_i8_m128i(b, set_splat_i8_m128i(b'0' as i8)),
                set_splat_i8_m128i(9),
            ),
            zero,
        );
        let dash = cmp_eq_mask_i8_m128i(b, set_splat_i8_m128i(b'-' as i8));
        let dot = cmp_eq_mask_i8_m128i(b, set_splat_i8_m128i(b'.' as i8));
        let host = bitor_m128i(bitor_m128i(letter, digit), bitor_m128i(dash, dot));
        let bits = |m| u64::from(move_mask_i8_m128i(m) as u16) << at;
        letters |= bits(letter);
        dashes |= bits(dash);
        dots |= bits(dot);
        let stop = !(move_mask_i8_m128i(host) as u32) & 0xffff;
        if stop != 0 {
            let n = at + stop.trailing_zeros() as usize;
            let run = (1u64 << n) - 1;
            return Some((n, letters & run, dashes & run, dots & run));
        }
    }
    None
}

/// [`LineFeeds`] by one `memchr` search a line: the portable fallback
/// (compiled and tested on every target).
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
pub(crate) struct LineByLine {
    /// Where the next search starts.
    at: usize,
}

#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
impl LineByLine {
    /// Line feeds from `at` on.
    #[inline(always)]
    pub(crate) fn new(_buf: &[u8], at: usize) -> Self {
        LineByLine { at }
    }

    /// The next line feed before `limit` (at most `buf.len()`), or `None`
    /// when there is none.
    #[inline(always)]
    pub(crate) fn next(&mut self, buf: &[u8], limit: usize) -> Option<usize> {
        let i = self.at + crate::lex::find_byte(b'\n', buf.get(self.at..limit)?)?;
        self.at = i + 1;
        Some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every LF of `buf[at..limit]` by [`LineFeeds`], checked against the
    /// portable [`LineByLine`] (the same type on targets without SSE2).
    fn all(buf: &[u8], at: usize, limit: usize) -> Vec<usize> {
        let mut lf = LineFeeds::new(buf, at);
        let found: Vec<usize> = std::iter::from_fn(|| lf.next(buf, limit)).collect();
        let mut by_line = LineByLine::new(buf, at);
        let portable: Vec<usize> = std::iter::from_fn(|| by_line.next(buf, limit)).collect();
        assert_eq!(found, portable);
        found
    }

    fn naive(buf: &[u8], at: usize, limit: usize) -> Vec<usize> {
        (at..limit).filter(|&i| buf[i] == b'\n').collect()
    }

    #[test]
    fn every_line_feed_once_in_order() {
        for len in 0usize..200 {
            let buf: Vec<u8> = (0..len)
                .map(|i| {
                    if i % 7 == 3 || i % 13 == 0 {
                        b'\n'
                    } else {
                        b'a'
                    }
                })
                .collect();
            for at in 0..len.min(70) {
                for limit in [at, at + 1, len.saturating_sub(1).max(at), len] {
                    let limit = limit.min(len);
                    assert_eq!(
                        all(&buf, at, limit),
                        naive(&buf, at, limit),
                        "{len} {at} {limit}"
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn same_as_a_byte_loop(
            buf in proptest::collection::vec(prop_oneof![Just(b'\n'), Just(b'\r'), any::<u8>()], 0..300),
            at in 0usize..300,
            cut in 0usize..300,
        ) {
            let at = at.min(buf.len());
            let limit = (at + cut).min(buf.len());
            prop_assert_eq!(all(&buf, at, limit), naive(&buf, at, limit));
        }
    }
}
