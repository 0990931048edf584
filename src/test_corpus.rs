//! The messages of `tests/data` for the unit tests that compare two readers
//! over real traffic (the one-pass head reader, the common Via path).

use std::path::PathBuf;

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
