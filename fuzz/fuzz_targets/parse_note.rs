//! The note parser on arbitrary bytes, front matter included (see `checks::note`).
#![no_main]

#[allow(dead_code)] // each target uses part of the shared checks
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| checks::note(bytes));
