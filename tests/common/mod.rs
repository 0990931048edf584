//! Helpers shared by the integration tests: the in-repository corpus and its manifest.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};

/// `tests/data` in this repository.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// Reads a corpus file by its manifest path (`rfc4475/wsinv.dat`).
pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(data_dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// One row of a MANIFEST.md table: the path and its cells.
pub struct ManifestRow {
    pub path: String,
    pub cells: Vec<String>,
}

/// Every table row of `tests/data/MANIFEST.md` whose first cell is a corpus path.
pub fn manifest() -> Vec<ManifestRow> {
    let text = std::fs::read_to_string(data_dir().join("MANIFEST.md")).unwrap();
    text.lines()
        .filter(|l| {
            l.starts_with("| rfc4475/")
                || l.starts_with("| rfc5118/")
                || l.starts_with("| fixtures/")
                || l.starts_with("| pcap/")
        })
        .map(|l| {
            let cells: Vec<String> = l
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect();
            ManifestRow {
                path: cells[0].clone(),
                cells,
            }
        })
        .collect()
}

/// The SHA-256 the manifest gives for a row (the last backquoted 64-hex cell).
pub fn manifest_sha256(row: &ManifestRow) -> Option<String> {
    row.cells.iter().rev().find_map(|c| {
        let c = c.trim_matches('`');
        (c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit())).then(|| c.to_string())
    })
}

/// Every file below `tests/data/<dir>`, sorted, as manifest-style relative paths.
pub fn files_under(dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let root = data_dir();
    let mut stack = vec![root.join(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(
                    p.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}

/// RFC 4475 §3.1.1: the messages every element must accept (archive names).
pub const RFC4475_VALID: &[&str] = &[
    "wsinv",
    "intmeth",
    "esc01",
    "escnull",
    "esc02",
    "lwsdisp",
    "longreq",
    "dblreq",
    "semiuri",
    "transports",
    "mpart01",
    "unreason",
    "noreason",
];

/// The example binary `name` that cargo built beside this test binary:
/// `target/<profile>/examples/<name>[.exe]`, the test running as
/// `target/<profile>/deps/<test>-HASH`. A whole `cargo test` builds the
/// examples before the integration tests; a filtered run does not, so a
/// missing binary, or one older than a file under `src/` or `sources`
/// (paths from the crate root, directories or files), fails with the
/// `cargo build` command to run (`features`: the example's required
/// features, as `--features` takes them).
pub fn example_exe(name: &str, sources: &[&str], features: &str) -> PathBuf {
    let me = std::env::current_exe().expect("current_exe");
    let bin = me
        .parent()
        .and_then(Path::parent)
        .expect("test binary is not in target/<profile>/deps")
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let build = format!("cargo build --example {name} --features {features}");
    assert!(
        bin.is_file(),
        "the `{name}` example binary is missing at {}: run the whole `cargo test \
         --all-features` (which builds examples) or `{build}` first",
        bin.display()
    );
    let built = std::fs::metadata(&bin).and_then(|m| m.modified()).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for source in std::iter::once("src").chain(sources.iter().copied()) {
        if let Some((path, t)) = newest(&root.join(source)) {
            assert!(
                t <= built,
                "the `{name}` example binary is older than {}: run `{build}`",
                path.display()
            );
        }
    }
    bin
}

/// The most recently modified file at or below `path`.
fn newest(path: &Path) -> Option<(PathBuf, std::time::SystemTime)> {
    if !path.is_dir() {
        let t = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
        return Some((path.to_path_buf(), t));
    }
    let mut best: Option<(PathBuf, std::time::SystemTime)> = None;
    for e in std::fs::read_dir(path).ok()? {
        if let Some(c) = newest(&e.ok()?.path()) {
            if best.as_ref().is_none_or(|b| c.1 > b.1) {
                best = Some(c);
            }
        }
    }
    best
}

/// Every message of the rule corpus (`tests/rules/<rule-id>/*.sip`), as
/// its path and bytes, sorted by path.
pub fn rule_messages() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rules");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(root).unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "sip") {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
