//! Replays every input kept in `tests/fuzz_regressions/<target>/` (crashers
//! the fuzzers found, minimised) through the same checks as the fuzz targets.

use std::path::{Path, PathBuf};

#[path = "../../fuzz/checks.rs"]
mod checks;

/// The kept inputs of one fuzz target, by file.
fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .map(|path| {
            let bytes = std::fs::read(&path).expect("read");
            (path, bytes)
        })
        .collect();
    inputs.sort();
    inputs
}

/// Runs `check` on each input, naming the input that fails.
fn replay(target: &str, check: impl Fn(&[u8])) {
    for (path, bytes) in inputs(target) {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&bytes)));
        assert!(outcome.is_ok(), "{} fails again", path.display());
    }
}

/// libFuzzer hands `&str` targets only valid UTF-8; so does this.
fn as_text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("a text input")
}

#[test]
fn note_parser_crashers() {
    replay("parse_note", checks::note);
}

#[test]
fn front_matter_crashers() {
    replay("front_matter", checks::front_matter);
}

#[test]
fn query_crashers() {
    let fixture = checks::SearchFixture::new(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search"),
    );
    replay("query", |bytes| fixture.query(as_text(bytes)));
}

#[test]
fn config_crashers() {
    replay("config", |bytes| checks::config(as_text(bytes)));
}
