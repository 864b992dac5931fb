//! The search query parser on arbitrary text, and each query that parses run
//! on the index of the `search` test fixture (see `checks::SearchFixture`).
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

#[allow(dead_code)] // each target uses part of the shared checks
#[path = "../checks.rs"]
mod checks;

fn fixture() -> &'static checks::SearchFixture {
    static FIXTURE: OnceLock<checks::SearchFixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/search");
        checks::SearchFixture::new(root)
    })
}

libfuzzer_sys::fuzz_target!(|text: &str| fixture().query(text));
