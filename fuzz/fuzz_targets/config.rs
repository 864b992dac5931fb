//! The config parser on arbitrary text (see `checks::config`).
#![no_main]

#[allow(dead_code)] // each target uses part of the shared checks
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|text: &str| checks::config(text));
