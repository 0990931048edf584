//! Character classes and small scanners shared by every grammar piece
//! (RFC 3261 §25.1). Table-driven so the hot loops are one load per byte.
//!
//! Inside a header value a CR or LF can only be part of a fold (the message
//! parser checked that every line break in a row is followed by SP/HTAB), so
//! value scanners treat CR and LF as linear white space.

const TOKEN: u8 = 1;
const WS: u8 = 2; // SP, HTAB
const LWS: u8 = 4; // SP, HTAB, CR, LF
const DIGIT: u8 = 8;
const HEX: u8 = 16;
const WORD: u8 = 32; // RFC 3261 `word` (Call-ID)
const PARAM_VALUE: u8 = 64; // bytes that may appear in an unquoted parameter value

const fn build_table() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let alnum = b.is_ascii_alphanumeric();
        let mut c = 0;
        // token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
        if alnum
            || matches!(
                b,
                b'-' | b'.' | b'!' | b'%' | b'*' | b'_' | b'+' | b'`' | b'\'' | b'~'
            )
        {
            c |= TOKEN;
        }
        if b == b' ' || b == b'\t' {
            c |= WS | LWS;
        }
        if b == b'\r' || b == b'\n' {
            c |= LWS;
        }
        if b.is_ascii_digit() {
            c |= DIGIT;
        }
        if b.is_ascii_hexdigit() {
            c |= HEX;
        }
        // word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" /
        //        "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}")
        if (c & TOKEN) != 0
            || matches!(
                b,
                b'(' | b')'
                    | b'<'
                    | b'>'
                    | b':'
                    | b'\\'
                    | b'"'
                    | b'/'
                    | b'['
                    | b']'
                    | b'?'
                    | b'{'
                    | b'}'
            )
        {
            c |= WORD;
        }
        // Unquoted parameter values: token, host (IPv4, IPv6 with or without
        // brackets, names) and the odd real-world byte; the delimiters of the
        // surrounding grammar are excluded.
        if b > 0x20
            && b != 0x7f
            && !matches!(
                b,
                b';' | b',' | b'?' | b'&' | b'<' | b'>' | b'"' | b'=' | b'(' | b')'
            )
        {
            c |= PARAM_VALUE;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static CLASS: [u8; 256] = build_table();

/// `token` character (RFC 3261 §25.1).
#[inline]
pub(crate) fn is_token(b: u8) -> bool {
    CLASS[b as usize] & TOKEN != 0
}

/// SP or HTAB.
#[inline]
pub(crate) fn is_ws(b: u8) -> bool {
    CLASS[b as usize] & WS != 0
}

/// SP, HTAB, CR or LF: white space inside an (possibly folded) header value.
#[inline]
pub(crate) fn is_lws(b: u8) -> bool {
    CLASS[b as usize] & LWS != 0
}

/// ASCII digit.
#[inline]
pub(crate) fn is_digit(b: u8) -> bool {
    CLASS[b as usize] & DIGIT != 0
}

/// ASCII hex digit.
#[inline]
#[allow(dead_code)] // used by the typed header parsers
pub(crate) fn is_hex(b: u8) -> bool {
    CLASS[b as usize] & HEX != 0
}

/// `word` character (Call-ID, RFC 3261 §25.1).
#[inline]
#[allow(dead_code)] // used by the typed header parsers
pub(crate) fn is_word(b: u8) -> bool {
    CLASS[b as usize] & WORD != 0
}

/// A byte allowed in an unquoted generic parameter value.
#[inline]
pub(crate) fn is_param_value(b: u8) -> bool {
    CLASS[b as usize] & PARAM_VALUE != 0
}

/// True when `v` is a comma-separated list of tokens: `token *(*LWS ","
/// *LWS token)`, LWS allowed around it, no entry empty. What nearly every
/// Allow row holds; each entry then reads as its typed token, so a rule
/// that reads the entries one by one has nothing to report, and one pass
/// tells it so (instead of a list split and a parse per entry).
pub(crate) fn is_token_list(v: &[u8]) -> bool {
    // 0: before an entry, 1: in one, 2: in the LWS after one.
    let mut state = 0u8;
    for &b in v {
        let c = CLASS[b as usize];
        state = if c & TOKEN != 0 {
            if state == 2 {
                return false;
            }
            1
        } else if c & LWS != 0 {
            if state == 1 {
                2
            } else {
                state
            }
        } else if b == b',' && state != 0 {
            0
        } else {
            return false;
        };
    }
    state != 0
}

/// The unquoted parameter value starting at `v` (the bytes
/// [`is_param_value`] allows, `gen_value`'s unquoted run): where it ends,
/// and whether every byte of it is a token byte (then the value is a
/// strict `gen-value`). One pass for both.
#[inline]
pub(crate) fn param_value_run(s: &[u8], v: usize) -> (usize, bool) {
    let mut end = v;
    let mut all = TOKEN;
    while let Some(&b) = s.get(end) {
        let c = CLASS[b as usize];
        if c & PARAM_VALUE == 0 {
            break;
        }
        all &= c;
        end += 1;
    }
    (end, all & TOKEN != 0)
}

/// True when every byte is a token character and there is at least one.
#[inline]
pub(crate) fn is_token_str(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_token(b))
}

/// [`token_end`] tuned for header names, which are nearly always letters
/// and `-` only: a block at a time ([`letters_end`]) it finds the first
/// byte that is not an ASCII letter or `-`, then [`token_end`] carries on
/// from there (one step when that byte is the colon; further when it is a
/// digit or another token byte). Same result as `token_end(s, i)`.
#[inline]
pub(crate) fn name_end(s: &[u8], i: usize) -> usize {
    token_end(s, letters_end(s, i))
}

/// Index of the first byte at or after `i` that is not an ASCII letter or
/// `-` (or `s.len()`): [`name_end`]'s block part. Sixteen bytes at a time
/// with SSE2 ([`crate::simd::not_letter_or_dash`]), then eight at a time
/// with word arithmetic, then byte by byte to the end of `s`.
#[inline(always)]
pub(crate) fn letters_end(s: &[u8], mut i: usize) -> usize {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    while let Some(piece) = s.get(i..).and_then(<[u8]>::first_chunk::<16>) {
        let stop = crate::simd::not_letter_or_dash(piece);
        if stop != 0 {
            return i + stop.trailing_zeros() as usize;
        }
        i += 16;
    }
    while let Some(w) = s.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let stop = not_letter_or_dash(u64::from_le_bytes(*w));
        if stop != 0 {
            // Little-endian: the lowest flagged byte is the first one.
            return i + (stop.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < s.len() && (s[i].is_ascii_alphabetic() || s[i] == b'-') {
        i += 1;
    }
    i
}

/// The high bit of each byte of `w` that is NOT an ASCII letter or `-`.
///
/// Exact per byte, with no carries between bytes: every sum below adds at
/// most 0x7f to a byte of at most 0x7f (or 0x1f/0x05 to one of at most
/// 0x7f), so it stays below 0x100. With `b` a byte and `low = b & 0x7f`:
/// * letter: `low | 0x20` (case folded) lies in `a..=z`, tested as
///   `low' + (0x80 - 0x61)` having its high bit set and `low' + (0x80 - 0x7b)`
///   not; only `A..=Z` and `a..=z` fold into that range;
/// * dash: `low ^ 0x2d` is zero, tested as `(x + 0x7f) | x` having its high
///   bit clear (the unfolded byte: CR would fold onto `-`);
/// * and `b` itself below 0x80 (a byte from 0x80 up has the same `low` as an
///   ASCII one).
#[inline]
const fn not_letter_or_dash(w: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let low = w & LOW7;
    let folded = low | (LO * 0x20);
    let ge_a = folded + LO * (0x80 - b'a' as u64);
    let gt_z = folded + LO * (0x80 - (b'z' as u64 + 1));
    let letter = ge_a & !gt_z;
    let x = low ^ (LO * b'-' as u64);
    let dash = !((x + LOW7) | x);
    !((letter | dash) & !w) & HI
}

/// Index of the first `needle` in `hay`: `memchr` tuned for the short
/// haystacks of the parse path (header lines and values of a few dozen
/// bytes), where the per-call cost matters more than the per-byte cost.
///
/// On x86_64 it calls `memchr`'s SSE2 searcher directly: SSE2 is part of the
/// x86_64 baseline, so `One::new` always succeeds and the search inlines,
/// skipping the generic `memchr`'s runtime CPU dispatch (an indirect call)
/// and the AVX2 set-up that pays off only on long haystacks (measured: about
/// 15 instructions less per call). Elsewhere it is the generic `memchr`.
#[inline]
pub(crate) fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        if let Some(one) = memchr::arch::x86_64::sse2::memchr::One::new(needle) {
            return one.find(hay);
        }
    }
    memchr::memchr(needle, hay)
}

/// Index of the first byte at or after `i` that is not LWS.
#[inline]
pub(crate) fn skip_lws(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && is_lws(s[i]) {
        i += 1;
    }
    i
}

/// `s` without leading and trailing LWS.
#[inline]
pub(crate) fn trim_lws(s: &[u8]) -> &[u8] {
    let start = skip_lws(s, 0);
    let mut end = s.len();
    while end > start && is_lws(s[end - 1]) {
        end -= 1;
    }
    &s[start..end]
}

/// True when `name` equals `lower` ignoring ASCII case, for a `lower`
/// made of lowercase letters, digits and `-` (the names of the parameters
/// and headers the crate knows). Setting bit 5 of each byte lowercases a
/// letter and leaves a digit or `-` as it is. The only other bytes it maps
/// onto a lowercase letter are the upper-case ones, so against a `lower` of
/// letters alone any `name` compares exactly; onto a digit or `-` it maps
/// control bytes 0x0D and 0x10..=0x19 too, none of which is in a `token`,
/// so against other names `name` must be a token (a parameter name is). Cheaper than `eq_ignore_ascii_case`, which lowercases
/// both sides byte by byte: every parameter of every Via and address is
/// matched against a few known names.
#[inline]
pub(crate) fn eq_name(name: &[u8], lower: &[u8]) -> bool {
    debug_assert!(lower
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-'));
    name.len() == lower.len() && name.iter().zip(lower).all(|(&a, &b)| a | 0x20 == b)
}

/// Index one past the token that starts at `i` (== `i` when there is none).
#[inline]
pub(crate) fn token_end(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && is_token(s[i]) {
        i += 1;
    }
    i
}

/// Index one past the closing quote of the quoted string whose opening quote
/// is at `i`, honouring `quoted-pair`. `Err(i)` if it is unterminated or a
/// quoted-pair escapes CR/LF (RFC 3261 §25.1).
pub(crate) fn quoted_string_end(s: &[u8], i: usize) -> Result<usize, usize> {
    debug_assert_eq!(s.get(i), Some(&b'"'));
    let mut j = i + 1;
    while j < s.len() {
        match s[j] {
            b'"' => return Ok(j + 1),
            b'\\' => {
                match s.get(j + 1) {
                    Some(b'\r') | Some(b'\n') | None => return Err(j),
                    Some(_) => {}
                }
                j += 2;
            }
            _ => j += 1,
        }
    }
    Err(i)
}

/// Maximum nesting depth of `comment` (grammar notes: bound the recursion).
pub(crate) const MAX_COMMENT_DEPTH: usize = 8;

/// Index one past the comment whose `(` is at `i`. Comments nest (RFC 3261
/// §25.1 `comment`); depth beyond [`MAX_COMMENT_DEPTH`] or no closing `)` is
/// `Err(offset)`. Iterative, so hostile nesting cannot blow the stack.
pub(crate) fn comment_end(s: &[u8], i: usize) -> Result<usize, usize> {
    debug_assert_eq!(s.get(i), Some(&b'('));
    let mut depth = 0usize;
    let mut j = i;
    while j < s.len() {
        match s[j] {
            b'(' => {
                depth += 1;
                if depth > MAX_COMMENT_DEPTH {
                    return Err(j);
                }
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(j + 1);
                }
            }
            b'\\' => j += 1,
            _ => {}
        }
        j += 1;
    }
    Err(i)
}

/// The bytes [`ListSplit`] stops at outside a plain value: the quote, the
/// comment and angle-bracket delimiters, and the comma.
static LIST_STOP: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'(' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b',' as usize] = true;
    t
};

/// The first byte at or after `j` that [`ListSplit`] stops at outside a
/// plain value ([`LIST_STOP`]), or `s.len()`. Most bytes are none of the
/// five: skipped 16 at a time where SSE2 is, then with one table load each
/// instead of a `match`.
#[inline(always)]
fn list_stop(s: &[u8], mut j: usize) -> usize {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    while let Some(piece) = s.get(j..).and_then(<[u8]>::first_chunk::<16>) {
        let hits = crate::simd::list_stops(piece);
        if hits != 0 {
            return j + hits.trailing_zeros() as usize;
        }
        j += 16;
    }
    while j < s.len() && !LIST_STOP[usize::from(s[j])] {
        j += 1;
    }
    j
}

/// Splits a list header value on the commas that separate its elements:
/// never inside a quoted string, `<...>` or a comment (RFC 3261 §7.3.1).
/// Yields each element trimmed of LWS, as `(start, end)` offsets into the
/// value; empty elements are yielded too (so `a,,b` shows the empty one).
#[derive(Clone, Debug)]
pub(crate) struct ListSplit<'a> {
    s: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> ListSplit<'a> {
    pub(crate) fn new(s: &'a [u8]) -> Self {
        ListSplit {
            s,
            pos: 0,
            done: s.is_empty(),
        }
    }
}

impl Iterator for ListSplit<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        if self.done {
            return None;
        }
        let s = self.s;
        let start = self.pos;
        let mut j = start;
        let mut angle = false;
        // The stop-byte search is vectorised, so a value with no quote,
        // comment or angle bracket (every comma separates) needs no path
        // of its own (one had a search for those three first).
        let end = loop {
            j = list_stop(s, j);
            if j >= s.len() {
                self.done = true;
                break s.len();
            }
            match s[j] {
                b'"' => match quoted_string_end(s, j) {
                    Ok(e) => j = e,
                    // Unterminated: the rest is one element; its own parser reports it.
                    Err(_) => j = s.len(),
                },
                b'(' if !angle => match comment_end(s, j) {
                    Ok(e) => j = e,
                    // Unterminated (the search reached the end): like an
                    // unterminated quote, the rest is one element. Resuming
                    // at `j + 1` instead would rescan the rest from every
                    // later `(`, quadratic in the row (`(\(\(\(...`).
                    Err(at) if at == j => j = s.len(),
                    // Nested too deep: that search stopped at the offending
                    // `(`, so resuming after this one stays linear.
                    Err(_) => j += 1,
                },
                b'<' => {
                    angle = true;
                    j += 1;
                }
                b'>' => {
                    angle = false;
                    j += 1;
                }
                b',' if !angle => {
                    self.pos = j + 1;
                    break j;
                }
                _ => j += 1,
            }
        };
        // Trim LWS on both sides.
        let mut a = start;
        while a < end && is_lws(s[a]) {
            a += 1;
        }
        let mut b = end;
        while b > a && is_lws(s[b - 1]) {
            b -= 1;
        }
        Some((a, b))
    }
}

/// Parses `1*DIGIT` as u64; `None` when empty, not all digits, or overflowing.
pub(crate) fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &b in s {
        if !is_digit(b) {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some(v)
}

/// [`parse_u64`] of `s` trimmed of LWS, in one pass: LWS, `1*DIGIT`, LWS
/// and nothing else (the Content-Length row value, RFC 3261 §20.14).
pub(crate) fn parse_u64_lws(s: &[u8]) -> Option<u64> {
    let mut i = skip_lws(s, 0);
    let start = i;
    let mut v: u64 = 0;
    while let Some(&b) = s.get(i).filter(|&&b| is_digit(b)) {
        v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
        i += 1;
    }
    (i > start && skip_lws(s, i) == s.len()).then_some(v)
}

/// ASCII case-insensitive equality.
#[inline]
#[allow(dead_code)] // used by the typed header parsers
pub(crate) fn eq_ic(a: &[u8], b: &[u8]) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// True when `s` holds a CR that is not followed by LF.
///
/// Every line of a head ends in CR LF, so a search for CR stops at every
/// line (a `memchr` call per line, about 1 600 instructions on a 650-byte
/// head). This tests each byte and its successor in fixed blocks with an
/// OR-reduction the compiler vectorises (a few hundred instructions), and
/// the caller locates the CR only when there is one.
pub(crate) fn has_bare_cr(s: &[u8]) -> bool {
    const BLOCK: usize = 32;
    let Some((&last, _)) = s.split_last() else {
        return false;
    };
    let (here, next) = (&s[..s.len() - 1], &s[1..]);
    let block = |h: &[u8], n: &[u8]| {
        h.iter().zip(n).fold(0u8, |acc, (&a, &b)| {
            acc | (u8::from(a == b'\r') & u8::from(b != b'\n'))
        })
    };
    let mut hs = here.chunks_exact(BLOCK);
    let mut ns = next.chunks_exact(BLOCK);
    for (h, n) in hs.by_ref().zip(ns.by_ref()) {
        let (Ok(h), Ok(n)) = (<&[u8; BLOCK]>::try_from(h), <&[u8; BLOCK]>::try_from(n)) else {
            continue;
        };
        if block(h, n) != 0 {
            return true;
        }
    }
    block(hs.remainder(), ns.remainder()) != 0 || last == b'\r'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_bare_cr_agrees_with_the_definition() {
        let naive = |s: &[u8]| (0..s.len()).any(|i| s[i] == b'\r' && s.get(i + 1) != Some(&b'\n'));
        let mut cases: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"\r".to_vec(),
            b"\r\n".to_vec(),
            b"a\rb".to_vec(),
        ];
        // A CR, bare or not, at every position around the 32-byte block
        // edges (and the remainders after them).
        for len in [63usize, 64, 65, 127, 128, 129, 200] {
            for at in 0..len {
                for next in [b'\n', b'x'] {
                    let mut v = vec![b'a'; len];
                    v[at] = b'\r';
                    if at + 1 < len {
                        v[at + 1] = next;
                    }
                    cases.push(v);
                }
            }
        }
        for c in &cases {
            assert_eq!(has_bare_cr(c), naive(c), "{c:?}");
        }
    }

    #[test]
    fn token_class() {
        for b in b"abcXYZ019-.!%*_+`'~" {
            assert!(is_token(*b), "{}", *b as char);
        }
        for b in b" \t:;,/\"<>()[]{}@=?\\\r\n\x00\x7f\x80" {
            assert!(!is_token(*b), "{:?}", *b as char);
        }
    }

    #[test]
    fn quoted() {
        assert_eq!(quoted_string_end(b"\"a\\\"b\" x", 0), Ok(6));
        assert_eq!(quoted_string_end(b"\"abc", 0), Err(0));
        assert_eq!(quoted_string_end(b"\"a\\\r\n\"", 0), Err(2));
    }

    #[test]
    fn comments_nest_and_are_bounded() {
        assert_eq!(comment_end(b"(a(b)c) x", 0), Ok(7));
        assert_eq!(comment_end(b"(a(b)c", 0), Err(0));
        let deep = [b'('; 100];
        assert!(comment_end(&deep, 0).is_err());
    }

    #[test]
    fn list_stop_is_the_first_stop_byte() {
        use proptest::prelude::*;
        proptest!(|(s in proptest::collection::vec(
            prop_oneof![
                6 => any::<u8>(),
                1 => prop::sample::select(b"\"(<>,".to_vec()),
            ],
            0..70,
        ), j in 0usize..80)| {
            let want = s
                .iter()
                .enumerate()
                .skip(j)
                .find(|(_, b)| b"\"(<>,".contains(b))
                .map_or(s.len().max(j), |(i, _)| i);
            prop_assert_eq!(list_stop(&s, j), want);
        });
    }

    #[test]
    fn list_split_respects_quotes_angles_comments() {
        let v = b"\"a,b\" <sip:x;a=1,2>;p , c (x,y) ,, d";
        let parts: Vec<&[u8]> = ListSplit::new(v).map(|(a, b)| &v[a..b]).collect();
        assert_eq!(
            parts,
            vec![&b"\"a,b\" <sip:x;a=1,2>;p"[..], b"c (x,y)", b"", b"d"]
        );
        assert_eq!(ListSplit::new(b"").count(), 0);
        assert_eq!(ListSplit::new(b" , ").count(), 2);
    }

    /// The scanner's line search: the grammar's streaming line taker from
    /// `from`.
    fn find_lf(s: &[u8], from: usize) -> Option<usize> {
        let rest = crate::grammar::line::until_lf(s.get(from..)?).ok()?.0;
        Some(s.len() - rest.len() - 1)
    }

    #[test]
    fn find_lf_finds_the_first_line_feed_at_or_after_from() {
        // Long enough that the vector loop, its unaligned head and its
        // scalar tail all take part.
        let mut long = vec![b'a'; 200];
        long[37] = b'\n';
        long[150] = b'\n';
        long[199] = b'\n';
        let cases: &[(&[u8], usize, Option<usize>)] = &[
            (b"", 0, None),
            (b"", 1, None),
            (b"\n", 0, Some(0)),
            (b"\n", 1, None),
            (b"abc", 0, None),
            (b"abc", 9, None),
            (b"ab\r\ncd\n", 0, Some(3)),
            (b"ab\r\ncd\n", 3, Some(3)),
            (b"ab\r\ncd\n", 4, Some(6)),
            (b"ab\r\ncd\n", 7, None),
            (&long, 0, Some(37)),
            (&long, 38, Some(150)),
            (&long, 151, Some(199)),
            (&long[..199], 151, None),
        ];
        for &(s, from, want) in cases {
            assert_eq!(
                find_lf(s, from),
                want,
                "{:?} from {from}",
                String::from_utf8_lossy(s)
            );
        }
        // Against the obvious search, from every offset.
        for from in 0..=long.len() {
            let want = long[from..]
                .iter()
                .position(|&b| b == b'\n')
                .map(|p| p + from);
            assert_eq!(find_lf(&long, from), want, "{from}");
        }
    }

    #[test]
    fn name_end_agrees_with_token_end() {
        // Every byte value at every position of a 33-byte name, so each
        // lane of the 16-byte and 8-byte compares and the byte-wise tail
        // see it.
        for b in 0..=255u8 {
            for at in 0..33 {
                let mut s = *b"Content-Length-Or-A-Longer-Name-X: 1";
                s[at] = b;
                for from in [0, 1, 5, 17] {
                    assert_eq!(
                        name_end(&s, from),
                        token_end(&s, from),
                        "byte {b:#04x} at {at} from {from}"
                    );
                    let letters = (from..s.len())
                        .find(|&i| !(s[i].is_ascii_alphabetic() || s[i] == b'-'))
                        .unwrap_or(s.len());
                    assert_eq!(letters_end(&s, from), letters, "byte {b:#04x} at {at}");
                    if from <= at + 1 {
                        assert_eq!(letters_end(&s[..at + 1], from), letters.min(at + 1));
                    }
                }
            }
            let lane = not_letter_or_dash(u64::from(b) << 24) >> 24 & 0x80 != 0;
            let expected = !(b.is_ascii_alphabetic() || b == b'-');
            assert_eq!(lane, expected, "{b:#04x}");
            #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
            for at in 0..16 {
                let mut piece = *b"abcdefghijklmnop";
                piece[at] = b;
                let stop = crate::simd::not_letter_or_dash(&piece);
                assert_eq!(stop, u32::from(expected) << at, "{b:#04x} at {at}");
            }
        }
        let cases: &[(&[u8], usize, usize)] = &[
            (b"", 0, 0),
            (b"Via", 0, 3),
            (b"Via: x", 0, 3),
            (b"X-Custom-Header-9.1!: v", 0, 20),
            (b"To :", 0, 2),
            (b"abcdefghijklmnop", 0, 16),
            (b"abcdefghijklmnop", 9, 16),
            (b"\r\n", 0, 0),
        ];
        for &(s, from, want) in cases {
            assert_eq!(name_end(s, from), want, "{:?}", String::from_utf8_lossy(s));
            assert_eq!(token_end(s, from), want);
        }
    }

    #[test]
    fn u64_parse_with_lws_agrees_with_trim_then_parse() {
        let cases: &[&[u8]] = &[
            b"0",
            b" 0",
            b"0 ",
            b" \t146\r\n ",
            b"",
            b" ",
            b"\r\n",
            b"+5",
            b"1 2",
            b"0x10",
            b"-1",
            b"007",
            b"18446744073709551615",
            b" 18446744073709551616",
            b"12a",
            b"a12",
            b" 1\r\n 2",
        ];
        for &s in cases {
            assert_eq!(
                parse_u64_lws(s),
                parse_u64(trim_lws(s)),
                "{:?}",
                String::from_utf8_lossy(s)
            );
        }
        assert_eq!(parse_u64_lws(b" \t146\r\n "), Some(146));
    }

    #[test]
    fn list_split_unclosed_and_too_deep_comments() {
        let split = |v: &'static [u8]| -> Vec<&'static [u8]> {
            ListSplit::new(v).map(|(a, b)| &v[a..b]).collect()
        };
        // An unclosed comment runs to the end of the value, like an
        // unclosed quote: one element, which its own parser rejects.
        assert_eq!(split(b"a, (x, b"), [&b"a"[..], b"(x, b"]);
        assert_eq!(split(b"(\\(\\(, x"), [&b"(\\(\\(, x"[..]]);
        // Nested too deep from the first `(`, unclosed from the second.
        assert_eq!(split(b"(((((((((x, y"), [&b"(((((((((x, y"[..]]);
        // Too deep but closed further on: the split resumes after the
        // first `(` and the inner comment hides its comma.
        assert_eq!(
            split(b"((((((((((x,y)))))))) , z"),
            [&b"((((((((((x,y))))))))"[..], b"z"]
        );
    }

    #[test]
    fn u64_parse() {
        assert_eq!(parse_u64(b"0042"), Some(42));
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None);
        assert_eq!(parse_u64(b""), None);
        assert_eq!(parse_u64(b"+5"), None);
        assert_eq!(parse_u64(b"1 2"), None);
    }
}
