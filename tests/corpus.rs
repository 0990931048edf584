//! Corpus tests: every RFC 4475 message frames or is rejected as its verdict
//! in `tests/data/MANIFEST.md` says, every response fixture parses with the
//! code the manifest gives, and every copied file is byte-exact.

mod common;

use common::{files_under, manifest, manifest_sha256, read};
use sha2::{Digest, Sha256};
use sip_response::{parse_message, Message, ParseErrorKind, ParseOptions, Progress};

/// What the parser must do with one RFC 4475 file, and why.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// §3.1.1 (valid): frames cleanly, every header row recognised.
    Clean,
    /// Frames; the listed deviation is recorded for the validator.
    Frames(Dev),
    /// Frames; the defect lies beyond framing (URI, header values,
    /// semantics) and is the validator's or the application's to judge.
    FramesSemantic,
    /// Rejected with this error kind.
    Rejected(ParseErrorKind),
}

#[derive(Debug, Clone, Copy)]
enum Dev {
    BodyTruncated,
    ContentLengthSyntax,
    ContentLengthMultiple,
    ContentLengthMissing,
    TrailingOctets,
    HeadUnterminated,
    VersionNot20,
    RequestLineWhitespace,
}

use Expect::*;

/// One row per file of RFC 4475's archive, with the reason from the manifest.
const RFC4475: &[(&str, Expect, &str)] = &[
    // §3.1.1: valid messages.
    (
        "wsinv",
        Clean,
        "folding, LWS around ':' and ';', compact and long names",
    ),
    ("intmeth", Clean, "unusual token characters"),
    ("esc01", Clean, "% escapes"),
    ("escnull", Clean, "%00 in URIs"),
    ("esc02", Clean, "% in the method"),
    ("lwsdisp", Clean, "no LWS before '<'"),
    ("longreq", Clean, "long values, many values"),
    (
        "dblreq",
        Frames(Dev::TrailingOctets),
        "450 octets after Content-Length 0 must be ignored",
    ),
    ("semiuri", Clean, "';' in the user part"),
    ("transports", Clean, "unknown transports"),
    ("mpart01", Clean, "binary multipart body"),
    ("unreason", Clean, "UTF-8 reason phrase"),
    ("noreason", Clean, "empty reason phrase"),
    // §3.1.2: invalid messages.
    (
        "badinv01",
        FramesSemantic,
        "empty separators inside Via/Contact values",
    ),
    (
        "clerr",
        Frames(Dev::BodyTruncated),
        "Content-Length 9999, 154 body octets",
    ),
    (
        "ncl",
        Frames(Dev::ContentLengthSyntax),
        "Content-Length -999",
    ),
    (
        "scalar02",
        FramesSemantic,
        "overlarge CSeq/Max-Forwards/Expires values",
    ),
    (
        "scalarlg",
        FramesSemantic,
        "overlarge CSeq, Retry-After, 4-digit warn-code",
    ),
    (
        "quotbal",
        FramesSemantic,
        "unterminated quote in a display name",
    ),
    ("ltgtruri", FramesSemantic, "<> around the Request-URI"),
    (
        "lwsruri",
        FramesSemantic,
        "LWS inside the Request-URI (kept in the URI span)",
    ),
    (
        "lwsstart",
        Frames(Dev::RequestLineWhitespace),
        "double SP in the request line",
    ),
    (
        "trws",
        Frames(Dev::RequestLineWhitespace),
        "trailing SP on the request line",
    ),
    (
        "escruri",
        FramesSemantic,
        "escaped headers in the Request-URI",
    ),
    ("baddate", FramesSemantic, "non-GMT Date"),
    (
        "regbadct",
        FramesSemantic,
        "Contact URI with escaped header not in <>",
    ),
    ("badaspec", FramesSemantic, "spaces inside <addr-spec>"),
    (
        "baddn",
        Frames(Dev::HeadUnterminated),
        "archive copy has no empty line after the headers",
    ),
    ("badvers", Frames(Dev::VersionNot20), "SIP/7.0"),
    (
        "mismatch01",
        FramesSemantic,
        "CSeq method differs from the request method",
    ),
    (
        "mismatch02",
        FramesSemantic,
        "CSeq method differs from the request method",
    ),
    (
        "bigcode",
        Rejected(ParseErrorKind::StatusCodeNot3Digits),
        "status code 4294967301",
    ),
    // §3.2 to §3.4 and the archive's extra member.
    (
        "badbranch",
        FramesSemantic,
        "branch=z9hG4bK with no identifier",
    ),
    ("insuf", FramesSemantic, "no Call-ID, From, To"),
    ("unkscm", FramesSemantic, "unknown Request-URI scheme"),
    ("novelsc", FramesSemantic, "soap.beep: Request-URI"),
    ("unksm2", FramesSemantic, "unknown URI schemes in headers"),
    ("bext01", FramesSemantic, "unsupported option tags"),
    ("invut", FramesSemantic, "unknown Content-Type"),
    ("regaut01", FramesSemantic, "unknown Authorization scheme"),
    (
        "multi01",
        FramesSemantic,
        "several values of single-value headers",
    ),
    (
        "mcl01",
        Frames(Dev::ContentLengthMultiple),
        "two Content-Length headers",
    ),
    (
        "bcast",
        FramesSemantic,
        "broadcast Via; a proxy must not forward",
    ),
    ("zeromf", FramesSemantic, "Max-Forwards 0"),
    ("cparam01", FramesSemantic, "Contact params"),
    ("cparam02", FramesSemantic, "Contact params"),
    (
        "regescrt",
        FramesSemantic,
        "compact M:/L:, escaped Route in Contact",
    ),
    ("sdp01", FramesSemantic, "Accept without application/sdp"),
    (
        "inv2543",
        Frames(Dev::ContentLengthMissing),
        "RFC 2543 syntax, no Content-Length (legal over UDP)",
    ),
    (
        "test",
        Rejected(ParseErrorKind::RequestLineMalformed),
        "request line without SIP-Version",
    ),
];

#[test]
fn copied_files_are_byte_exact() {
    let rows = manifest();
    let mut checked = 0;
    for dir in ["rfc4475", "rfc5118", "fixtures", "pcap"] {
        for rel in files_under(dir) {
            let row = rows
                .iter()
                .find(|r| r.path == rel)
                .unwrap_or_else(|| panic!("{rel} is not in MANIFEST.md"));
            let want =
                manifest_sha256(row).unwrap_or_else(|| panic!("{rel}: no sha256 in MANIFEST.md"));
            let got = format!("{:x}", Sha256::digest(read(&rel)));
            assert_eq!(got, want, "{rel} differs from the corpus");
            checked += 1;
        }
    }
    assert_eq!(checked, 50 + 12 + 29 + 30);
}

#[test]
fn rfc4475_table_covers_the_archive() {
    let files = files_under("rfc4475");
    assert_eq!(files.len(), RFC4475.len());
    for f in &files {
        let name = f.trim_start_matches("rfc4475/").trim_end_matches(".dat");
        assert!(
            RFC4475.iter().any(|(n, ..)| *n == name),
            "{name} has no verdict"
        );
    }
}

#[test]
fn rfc4475_messages_frame_or_are_rejected() {
    let mut failures = Vec::new();
    for &(name, expect, why) in RFC4475 {
        let bytes = read(&format!("rfc4475/{name}.dat"));
        let result = parse_message(&bytes);
        let ok = match (expect, &result) {
            (Rejected(kind), Err(e)) => e.kind() == kind,
            (Rejected(_), Ok(_)) => false,
            (_, Err(_)) => false,
            (Clean, Ok(m)) => {
                let d = match m {
                    Message::Request(r) => *r.deviations(),
                    Message::Response(r) => *r.deviations(),
                };
                let all_rows_recognised = m.headers().iter().count() == m.headers().len();
                d == Default::default()
                    && all_rows_recognised
                    && m.headers().malformed().count() == 0
            }
            (FramesSemantic, Ok(m)) => m.headers().malformed().count() == 0,
            (Frames(dev), Ok(m)) => {
                let (d, version_20, odd_ws) = match m {
                    Message::Request(r) => (
                        *r.deviations(),
                        r.version() == b"SIP/2.0",
                        r.request_line_odd_ws().is_some(),
                    ),
                    Message::Response(r) => (*r.deviations(), r.is_sip_2_0(), false),
                };
                match dev {
                    Dev::BodyTruncated => d.body_truncated() == Some((9999, 154)),
                    Dev::ContentLengthSyntax => d.content_length_syntax().is_some(),
                    Dev::ContentLengthMultiple => d.content_length_multiple().is_some(),
                    Dev::ContentLengthMissing => d.content_length_missing(),
                    Dev::TrailingOctets => d.trailing_octets().map(|s| s.len()) == Some(450),
                    Dev::HeadUnterminated => d.head_unterminated().is_some(),
                    Dev::VersionNot20 => !version_20,
                    Dev::RequestLineWhitespace => odd_ws,
                }
            }
        };
        if !ok {
            failures.push(format!(
                "{name} ({why}): expected {expect:?}, got {result:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rfc4475_framing_defects_fail_on_a_stream() {
    let stream = ParseOptions::stream();
    let cases = [
        ("ncl", Some(ParseErrorKind::ContentLengthSyntax)),
        ("mcl01", Some(ParseErrorKind::ContentLengthMultiple)),
        ("inv2543", Some(ParseErrorKind::ContentLengthMissing)),
        // clerr: the body never completes on a stream.
        ("clerr", None),
    ];
    for (name, kind) in cases {
        let bytes = read(&format!("rfc4475/{name}.dat"));
        match (kind, stream.parse_message_partial(&bytes)) {
            (Some(k), Err(e)) => assert_eq!(e.kind(), k, "{name}"),
            (None, Ok(Progress::Incomplete { needed })) => {
                assert_eq!(needed.map(|n| n.get()), Some(9999 - 154), "{name}")
            }
            (_, other) => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn rfc4475_responses() {
    let resp = |n: &str| {
        let b = read(&format!("rfc4475/{n}.dat"));
        let r =
            sip_response::parse_response(&b).map(|r| (r.status().as_u16(), r.reason().to_vec()));
        r
    };
    let (code, reason) = resp("unreason").unwrap();
    assert_eq!(code, 200);
    assert_eq!(
        reason,
        "= 2**3 * 5**2 но сто девяносто девять - простое".as_bytes()
    );
    assert_eq!(resp("noreason").unwrap(), (100, vec![]));
    assert_eq!(resp("scalarlg").unwrap().0, 503);
    assert_eq!(resp("bcast").unwrap().0, 200);
    let e = resp("bigcode").unwrap_err();
    assert_eq!(
        (e.kind(), e.rule()),
        (
            ParseErrorKind::StatusCodeNot3Digits,
            Some("status-code-not-3-digits")
        )
    );
}

#[test]
fn every_response_fixture_parses_with_its_code() {
    let rows = manifest();
    let mut seen = 0;
    for row in rows.iter().filter(|r| r.path.starts_with("fixtures/")) {
        let code: u16 = row.cells[3]
            .parse()
            .unwrap_or_else(|_| panic!("{}: code cell {:?}", row.path, row.cells[3]));
        let bytes = read(&row.path);
        let r =
            sip_response::parse_response(&bytes).unwrap_or_else(|e| panic!("{}: {e}", row.path));
        assert_eq!(r.status().as_u16(), code, "{}", row.path);
        // Every row of a real response is a recognised header row.
        assert_eq!(r.headers().malformed().count(), 0, "{}", row.path);
        seen += 1;
    }
    assert_eq!(seen, 29);
}

#[test]
fn rfc5118_messages_frame() {
    // Archive bytes use bare LF and two lack the empty line: all still frame
    // as datagrams, with the deviations recorded.
    for rel in files_under("rfc5118") {
        let bytes = read(&rel);
        let m = parse_message(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let Message::Request(r) = m else {
            panic!("{rel}: not a request")
        };
        assert!(r.deviations().bare_lf().is_some(), "{rel}");
        assert_eq!(r.headers().malformed().count(), 0, "{rel}");
    }
}
