//! Replays the fuzz corpus and every recorded regression through the same
//! target functions the fuzzer runs (`sip_response::__fuzz`), on stable,
//! without libFuzzer. Every failure is collected and reported at once.
//!
//! - `fuzz/corpus/<target>/*` is replayed through `<target>`;
//! - `fuzz/regressions/<target>/*` (inputs that once crashed, hung or broke
//!   an invariant) likewise.
//!
//! The test fails if either folder is missing or holds no input, so the
//! replay cannot silently become a no-op.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use sip_response::__fuzz::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Every file below `dir`, sorted (README files excluded).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display()));
        for e in entries {
            let Ok(e) = e else { continue };
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("README"))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Runs every input under `root/<target>/` through its target; returns the
/// number of inputs run and pushes one line per failure.
fn replay(root: &Path, failures: &mut Vec<String>) -> usize {
    assert!(root.is_dir(), "{} is missing", root.display());
    let mut n = 0;
    for path in files(root) {
        let rel = path.strip_prefix(root).unwrap();
        let target = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        if target == "capture" && !cfg!(feature = "capture") {
            continue; // built without the capture reader
        }
        let Some((_, run)) = TARGETS.iter().find(|(name, _)| *name == target) else {
            failures.push(format!("{}: no target named {target}", path.display()));
            continue;
        };
        // A fuzzer running meanwhile may remove files it has reduced.
        let Ok(data) = std::fs::read(&path) else {
            continue;
        };
        n += 1;
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| run(&data))) {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("{}: {msg}", path.display()));
        }
    }
    n
}

#[test]
fn corpus_and_regressions_pass_every_target() {
    let mut failures = Vec::new();
    for dir in ["corpus", "regressions"] {
        let d = fuzz_dir().join(dir);
        assert!(d.is_dir(), "{} is missing", d.display());
    }
    let (corpus, regressions) = {
        // Failures are collected with their messages; keep the output
        // readable while replaying, and restore the hook however it ends.
        struct RestoreHook;
        impl Drop for RestoreHook {
            fn drop(&mut self) {
                let _ = std::panic::take_hook();
            }
        }
        std::panic::set_hook(Box::new(|_| {}));
        let _restore = RestoreHook;
        (
            replay(&fuzz_dir().join("corpus"), &mut failures),
            replay(&fuzz_dir().join("regressions"), &mut failures),
        )
    };
    assert!(
        failures.is_empty(),
        "{} of {} inputs failed:\n{}",
        failures.len(),
        corpus + regressions,
        failures.join("\n")
    );
    assert!(corpus > 0, "fuzz/corpus holds no input");
    assert!(regressions > 0, "fuzz/regressions holds no input");
}

#[test]
fn every_target_has_seeds_a_binary_and_calls_its_function() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for (name, _) in TARGETS {
        let dir = fuzz_dir().join("corpus").join(name);
        assert!(
            dir.is_dir() && !files(&dir).is_empty(),
            "no seed corpus for target {name}"
        );
        let target = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        let body = std::fs::read_to_string(&target)
            .unwrap_or_else(|e| panic!("no fuzz target file for {name}: {e}"));
        assert!(
            body.contains(&format!("sip_response::__fuzz::{name}(data)")),
            "fuzz_targets/{name}.rs does not call __fuzz::{name}"
        );
        assert!(
            manifest.contains(&format!(
                "name = \"{name}\"\npath = \"fuzz_targets/{name}.rs\""
            )),
            "fuzz/Cargo.toml has no [[bin]] for {name}"
        );
    }
}
