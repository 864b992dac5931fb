//! The config parser on arbitrary text (see `checks::config`).
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|text: &str| checks::config(text));
