//! The messages of `tests/data` for the unit tests that compare two readers
//! over real traffic (the one-pass head reader, the common Via and address
//! paths).

use std::path::PathBuf;

use crate::KnownHeader;

/// The bytes of every `.sip`, `.dat` and `.msg` file under `tests/data`.
pub(crate) fn messages() -> Vec<Vec<u8>> {
    let mut stack = vec![PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data"
    ))];
    let mut out = Vec::new();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("sip" | "dat" | "msg")
        ) {
            out.push(std::fs::read(&p).unwrap());
        }
    }
    out
}

/// Calls `f` with each element (header, bytes, absolute offset) of each
/// header of `headers` in every message of [`messages`] that parses: how
/// many elements there were, and for how many `f` said true.
pub(crate) fn each_element(
    headers: &[KnownHeader],
    mut f: impl FnMut(KnownHeader, &[u8], usize) -> bool,
) -> (usize, usize) {
    let (mut elements, mut yes) = (0, 0);
    for buf in messages() {
        let Ok(m) = crate::parse_message(&buf) else {
            continue;
        };
        for &h in headers {
            for e in m.headers().elements(h) {
                elements += 1;
                yes += usize::from(f(h, e.bytes, e.span.start));
            }
        }
    }
    (elements, yes)
}
