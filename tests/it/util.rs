//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The folder of a fixture vault.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The bundled sample vault.
pub fn sample_vault() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vault")
}

/// `vaultkit --vault <vault> --color never <args>`, with no vault from the environment.
pub fn vaultkit(vault: &Path, args: &[&str]) -> Command {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("vaultkit");
    command
        .env_remove("VAULTKIT_VAULT")
        .env("NO_COLOR", "1")
        .arg("--vault")
        .arg(vault)
        .args(["--color", "never"])
        .args(args);
    command
}

/// Runs `vaultkit` successfully and parses its stdout as JSON.
pub fn json(vault: &Path, args: &[&str]) -> Value {
    let output = vaultkit(vault, args).output().expect("vaultkit runs");
    assert!(
        output.status.success(),
        "vaultkit {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

/// The `resolved` path of each link `show NOTE --format json` reports, by raw text.
pub fn resolved_links(vault: &Path, note: &str) -> Vec<(String, Option<String>)> {
    let report = json(vault, &["show", note, "--format", "json"]);
    report["links"]
        .as_array()
        .expect("links is a list")
        .iter()
        .map(|link| {
            (
                link["raw"].as_str().expect("raw").to_owned(),
                link["resolved"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// A fresh copy of a fixture vault in a temporary folder (for tests that change it).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = fixture(name);
    for entry in walkdir::WalkDir::new(&source) {
        let entry = entry.expect("fixture entry");
        let relative = entry.path().strip_prefix(&source).expect("inside fixture");
        if relative.starts_with(".vaultkit") {
            continue;
        }
        let target = dir.path().join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
    dir
}
