//! Properties of the parser: no panic and spans in bounds on any input,
//! generated responses parse back to their fields, and the stream decoder
//! is split-invariant. Case counts are modest for CI; raise them with
//! `PROPTEST_CASES`.

use bytes::BytesMut;
use proptest::prelude::*;
use sip_response::{
    parse_message, parse_response, KnownHeader, Message, MessageDecoder, ParseOptions, Span,
};

fn in_bounds(s: Span, len: usize) -> bool {
    s.start <= s.end && s.end <= len
}

/// Every span a parsed message hands out indexes the buffer.
fn check_spans(buf: &[u8], m: &Message<'_>) {
    let len = buf.len();
    assert!(in_bounds(m.span(), len));
    let h = m.headers();
    assert!(in_bounds(h.span(), len));
    for row in h.iter() {
        assert!(in_bounds(row.span(), len));
        assert!(in_bounds(row.name_span(), len));
        assert!(in_bounds(row.value_span(), len));
        assert_eq!(&buf[row.value_span().range()], row.value());
        for e in row.elements() {
            assert!(in_bounds(e.span, len));
            assert_eq!(&buf[e.span.range()], e.bytes);
        }
        let _ = row.unfolded();
    }
    for s in h.malformed() {
        assert!(in_bounds(s, len));
    }
    if let Message::Response(r) = m {
        for s in [
            r.status_line_span(),
            r.code_span(),
            r.reason_span(),
            r.version_span(),
            r.body_span(),
        ] {
            assert!(in_bounds(s, len));
        }
        let _ = r.find_bare_cr();
    }
}

const NAMES: &[(&str, Option<&str>)] = &[
    ("Via", Some("v")),
    ("From", Some("f")),
    ("To", Some("t")),
    ("Call-ID", Some("i")),
    ("Contact", Some("m")),
    ("Supported", Some("k")),
    ("Subject", Some("s")),
    ("CSeq", None),
    ("Allow", None),
    ("Warning", None),
    ("X-Extension", None),
];

#[derive(Debug, Clone)]
struct GenHeader {
    name: String,
    long: &'static str,
    value: String,
    folded_at: Option<usize>,
}

fn random_case(s: &str, mask: u64) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask >> (i % 64) & 1 == 1 {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

fn header() -> impl Strategy<Value = GenHeader> {
    (
        0..NAMES.len(),
        any::<bool>(),
        any::<u64>(),
        "[a-zA-Z0-9.;=@:<>/-]{1,12}( [a-zA-Z0-9.;=@:<>/-]{1,12}){0,3}",
        any::<bool>(),
    )
        .prop_map(|(i, compact, mask, value, fold)| {
            let (long, short) = NAMES[i];
            let name = match (compact, short) {
                (true, Some(c)) => random_case(c, mask),
                _ => random_case(long, mask),
            };
            let folded_at = if fold { value.find(' ') } else { None };
            GenHeader {
                name,
                long,
                value,
                folded_at,
            }
        })
}

#[derive(Debug, Clone)]
struct GenResponse {
    code: u16,
    reason: String,
    headers: Vec<GenHeader>,
    body: Vec<u8>,
    compact_length: bool,
}

fn response() -> impl Strategy<Value = GenResponse> {
    (
        100u16..700,
        "[ -~&&[^%]]{0,20}",
        prop::collection::vec(header(), 0..12),
        prop::collection::vec(any::<u8>(), 0..64),
        any::<bool>(),
    )
        .prop_map(
            |(code, reason, headers, body, compact_length)| GenResponse {
                code,
                reason,
                headers,
                body,
                compact_length,
            },
        )
}

impl GenResponse {
    fn render(&self) -> Vec<u8> {
        let mut out = format!("SIP/2.0 {} {}\r\n", self.code, self.reason).into_bytes();
        for h in &self.headers {
            let value = match h.folded_at {
                Some(i) => format!("{}\r\n {}", &h.value[..i], &h.value[i + 1..]),
                None => h.value.clone(),
            };
            out.extend_from_slice(format!("{}: {}\r\n", h.name, value).as_bytes());
        }
        let cl = if self.compact_length {
            "l"
        } else {
            "Content-Length"
        };
        out.extend_from_slice(format!("{cl}: {}\r\n\r\n", self.body.len()).as_bytes());
        out.extend_from_slice(&self.body);
        out
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(buf in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(m) = parse_message(&buf) {
            check_spans(&buf, &m);
        }
        if let Ok(m) = ParseOptions::stream().parse_message(&buf) {
            check_spans(&buf, &m);
        }
        let _ = ParseOptions::stream().parse_message_partial(&buf);
    }

    #[test]
    fn mutated_valid_messages_never_panic(
        r in response(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..4), 1..8),
    ) {
        let mut buf = r.render();
        for (at, byte, op) in edits {
            if buf.is_empty() { break; }
            let i = at.index(buf.len());
            match op {
                0 => buf[i] = byte,
                1 => buf.insert(i, byte),
                2 => { buf.remove(i); }
                _ => {
                    // Duplicate the line around `i`.
                    let start = buf[..i].iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
                    let end = buf[i..].iter().position(|&b| b == b'\n').map_or(buf.len(), |p| i + p + 1);
                    let line = buf[start..end].to_vec();
                    buf.splice(end..end, line);
                }
            }
        }
        if let Ok(m) = parse_message(&buf) {
            check_spans(&buf, &m);
        }
        let mut dec = MessageDecoder::default();
        let mut b = BytesMut::from(&buf[..]);
        while let Ok(Some(m)) = dec.decode_message(&mut b) {
            check_spans(m.bytes(), &m.view());
        }
    }

    #[test]
    fn generated_responses_parse_back(r in response()) {
        let wire = r.render();
        let p = parse_response(&wire).unwrap();
        prop_assert_eq!(p.status().as_u16(), r.code);
        prop_assert_eq!(p.reason(), r.reason.as_bytes());
        prop_assert_eq!(p.body(), &r.body[..]);
        prop_assert_eq!(p.content_length(), Some(r.body.len() as u64));
        prop_assert_eq!(p.headers().len(), r.headers.len() + 1);
        for (row, g) in p.headers().iter().zip(&r.headers) {
            prop_assert_eq!(row.name_bytes(), g.name.as_bytes());
            prop_assert!(row.name().matches(g.long));
            prop_assert_eq!(&*row.unfolded(), g.value.as_bytes());
            prop_assert_eq!(row.is_folded(), g.folded_at.is_some());
        }
        for (long, _) in NAMES {
            let k = KnownHeader::from_bytes(long.as_bytes());
            if let Some(k) = k {
                let want = r.headers.iter().filter(|g| g.long == *long).count();
                prop_assert_eq!(p.headers().count(k), want);
                prop_assert_eq!(p.headers().get_all(k).count(), want);
            }
        }
        prop_assert!(p.deviations().bare_lf().is_none());
        prop_assert_eq!(p.headers().malformed().count(), 0);
    }

    #[test]
    fn decoder_is_split_invariant(
        msgs in prop::collection::vec(response(), 1..5),
        keepalive in prop::collection::vec(any::<bool>(), 5),
        cuts in prop::collection::vec(1usize..40, 1..64),
    ) {
        let mut wire = Vec::new();
        let mut expected = Vec::new();
        for (i, m) in msgs.iter().enumerate() {
            if keepalive[i] { wire.extend_from_slice(b"\r\n"); }
            let bytes = m.render();
            let one_shot = ParseOptions::stream().parse_response(&bytes).unwrap();
            expected.push((one_shot.status(), one_shot.headers().len(), one_shot.body().to_vec(), bytes.clone()));
            wire.extend_from_slice(&bytes);
        }
        let mut dec = MessageDecoder::default();
        let mut buf = BytesMut::new();
        let mut got = Vec::new();
        let mut pos = 0;
        let mut k = 0;
        while pos < wire.len() {
            let n = cuts[k % cuts.len()].min(wire.len() - pos);
            k += 1;
            buf.extend_from_slice(&wire[pos..pos + n]);
            pos += n;
            while let Some(m) = dec.decode_message(&mut buf).unwrap() {
                let Message::Response(r) = m.view() else { panic!("request") };
                got.push((r.status(), r.headers().len(), r.body().to_vec(), m.bytes().to_vec()));
            }
        }
        prop_assert_eq!(got, expected);
        prop_assert!(dec.bytes_scanned() <= wire.len());
    }
}
