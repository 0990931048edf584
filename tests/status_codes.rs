//! The status-code table in `src/code.rs` against the registry data, and the
//! behaviour of every value 000..=999.
//!
//! `tests/data/status-codes.tsv` is a byte-exact copy of
//! `shared/spec/status-codes.tsv` (the project's registry extract: IANA SIP
//! Response Codes plus the legacy 409). Refresh it by copying that file.

use proptest::prelude::*;
use sip_response::code::StatusClass;
use sip_response::StatusCode;

const TSV: &str = include_str!("data/status-codes.tsv");

struct Row<'a> {
    code: u16,
    reason: &'a str,
    class: &'a str,
    registered: bool,
    rfc: &'a str,
}

fn rows() -> Vec<Row<'static>> {
    let mut lines = TSV.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(
        &header[..5],
        &[
            "code",
            "reason_phrase",
            "class",
            "iana_registered",
            "defining_rfc"
        ]
    );
    lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), header.len(), "{l}");
            Row {
                code: f[0].parse().unwrap(),
                reason: f[1],
                class: f[2],
                registered: match f[3] {
                    "yes" => true,
                    "no" => false,
                    other => panic!("iana_registered {other:?}"),
                },
                rfc: f[4],
            }
        })
        .collect()
}

fn class_of(n: u16) -> Option<StatusClass> {
    match n / 100 {
        1 => Some(StatusClass::Provisional),
        2 => Some(StatusClass::Success),
        3 => Some(StatusClass::Redirection),
        4 => Some(StatusClass::ClientError),
        5 => Some(StatusClass::ServerError),
        6 => Some(StatusClass::GlobalFailure),
        _ => None,
    }
}

#[test]
fn every_tsv_row_matches_the_table() {
    let rows = rows();
    assert_eq!(rows.len(), 76, "75 IANA codes plus the legacy 409");
    for r in &rows {
        let c = StatusCode::from_u16(r.code).unwrap();
        assert_eq!(c.table_reason(), Some(r.reason), "{}", r.code);
        assert_eq!(c.defining_rfc(), Some(r.rfc), "{}", r.code);
        assert_eq!(c.is_registered(), r.registered, "{}", r.code);
        let expected = if r.registered { Some(r.reason) } else { None };
        assert_eq!(c.registry_reason(), expected, "{}", r.code);
        // The wire phrase is the registry text without its annotation.
        let wire = expected.map(|t| t.strip_suffix(" (Deprecated)").unwrap_or(t));
        assert_eq!(c.canonical_reason(), wire, "{}", r.code);
        assert!(!wire.is_some_and(|w| w.contains('(')), "{}", r.code);
        assert_eq!(
            r.class.as_bytes()[0] - b'0',
            (r.code / 100) as u8,
            "class column of {}",
            r.code
        );
    }
    // 409 is the only unregistered row; it is legacy RFC 2543.
    let unregistered: Vec<u16> = rows
        .iter()
        .filter(|r| !r.registered)
        .map(|r| r.code)
        .collect();
    assert_eq!(unregistered, vec![409]);
    // The table holds no code the TSV lacks.
    for n in 0..=999u16 {
        let in_tsv = rows.iter().any(|r| r.code == n);
        let c = StatusCode::from_u16(n).unwrap();
        assert_eq!(c.table_reason().is_some(), in_tsv, "{n}");
        assert_eq!(c.defining_rfc().is_some(), in_tsv, "{n}");
    }
}

#[test]
fn every_value_000_to_999() {
    let rows = rows();
    for n in 0..=999u16 {
        let c = StatusCode::from_u16(n).unwrap();
        assert_eq!(StatusCode::try_from(n).unwrap(), c);
        assert_eq!(c.as_u16(), n);
        let text = format!("{c:#}");
        assert_eq!(text, format!("{n:03}"));
        assert_eq!(format!("{c:?}"), text);
        // Display as `http` does: the phrase when there is one.
        match c.canonical_reason() {
            Some(r) => assert_eq!(c.to_string(), format!("{n:03} {r}")),
            None => assert_eq!(c.to_string(), text),
        }
        assert_eq!(text.parse::<StatusCode>().unwrap(), c);
        assert_eq!(StatusCode::from_digits(text.as_bytes()), Some(c));

        let class = class_of(n);
        assert_eq!(c.class(), class, "{n}");
        assert_eq!(c.is_provisional(), class == Some(StatusClass::Provisional));
        assert_eq!(c.is_success(), class == Some(StatusClass::Success));
        assert_eq!(c.is_redirection(), class == Some(StatusClass::Redirection));
        assert_eq!(c.is_client_error(), class == Some(StatusClass::ClientError));
        assert_eq!(c.is_server_error(), class == Some(StatusClass::ServerError));
        assert_eq!(
            c.is_global_failure(),
            class == Some(StatusClass::GlobalFailure)
        );
        assert_eq!(
            c.is_final(),
            class.is_some() && class != Some(StatusClass::Provisional)
        );

        let row = rows.iter().find(|r| r.code == n);
        let registered = row.is_some_and(|r| r.registered);
        assert_eq!(c.is_registered(), registered, "{n}");
        assert_eq!(
            c.registry_reason(),
            row.filter(|r| r.registered).map(|r| r.reason),
            "{n}"
        );

        // RFC 3261 §8.1.3.2 fallback.
        let expected = if registered {
            n // known: itself
        } else {
            match class {
                None => n,                             // invalid class: itself
                Some(StatusClass::Provisional) => 183, // unknown 1xx
                Some(k) => k.digit() * 100,            // unknown final: x00
            }
        };
        assert_eq!(c.effective().as_u16(), expected, "{n}");
        // The fallback target is always registered (or the code has no class).
        assert!(c.effective().is_registered() || class.is_none(), "{n}");
    }
    assert!(StatusCode::from_u16(1000).is_err());
    assert!(StatusCode::try_from(u16::MAX).is_err());
}

proptest! {
    #[test]
    fn three_digits_round_trip(s in "[0-9]{3}") {
        let c: StatusCode = s.parse().unwrap();
        prop_assert_eq!(format!("{c:#}"), s);
    }

    #[test]
    fn wrong_length_fails(s in "\\PC{0,8}") {
        prop_assume!(s.len() != 3);
        prop_assert!(s.parse::<StatusCode>().is_err());
    }

    #[test]
    fn non_digit_fails(s in "[0-9]{0,2}[^0-9][0-9]{0,2}") {
        let parsed = s.parse::<StatusCode>();
        prop_assert!(parsed.is_err(), "{:?} parsed", s);
    }

    #[test]
    fn any_bytes_of_length_3(b in proptest::array::uniform3(any::<u8>())) {
        let all_digits = b.iter().all(u8::is_ascii_digit);
        prop_assert_eq!(StatusCode::from_digits(&b).is_some(), all_digits);
    }
}
