//! Front matter rich in YAML anchors and aliases, within the parser's time
//! and memory bounds (see `checks::front_matter`).
#![no_main]

#[allow(dead_code)] // each target uses part of the shared checks
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| checks::front_matter(bytes));
