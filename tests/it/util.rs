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

/// `vaultkit --vault <vault> --color never <args>`, with no vault from the
/// environment. Vaults that are part of the repository (fixtures, the sample
/// vault) are never written: their index goes under the target folder.
pub fn vaultkit(vault: &Path, args: &[&str]) -> Command {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("vaultkit");
    if let Ok(inside) = vault.strip_prefix(env!("CARGO_MANIFEST_DIR")) {
        let name = inside.to_string_lossy().replace(['/', '\\'], "-");
        command.env(
            "VAULTKIT_INDEX_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("indexes")
                .join(name),
        );
    }
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

/// Says why a test did not run its check: written to stderr directly, so the
/// reason shows even though the harness captures the output of passing tests.
pub fn skip(reason: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipped: {reason}");
}

/// A copy of a fixture vault in a fresh temporary folder, for tests that edit it.
pub fn fixture_copy(name: &str) -> tempfile::TempDir {
    copy_of(&fixture(name))
}

/// A copy of the folder `from` in a fresh temporary folder.
pub fn copy_of(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_folder(from, dir.path());
    dir
}

/// Copies the folder `from` to `to`, without the index of earlier runs.
pub fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_name() == ".vaultkit" {
            continue; // an index left by earlier runs is not part of the fixture
        }
        if entry.file_type().expect("file type").is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// When and as which file `path` was last written, if it exists: vaultkit
/// replaces a file by renaming a new one over it, which gives it a new
/// inode (on Unix), so a rewrite shows even within the time granularity of
/// the file system.
pub fn written_as(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((inode, meta.modified().ok()?))
}

/// A copy of a fixture vault with its index built, for tests of what the
/// index keeps.
pub fn indexed_copy(name: &str) -> tempfile::TempDir {
    let copy = fixture_copy(name);
    vaultkit(copy.path(), &["index"]).assert().success();
    // The index trusts a folder's time only once it is a few seconds old, and
    // writes its records again when they settle: on a slow machine that would
    // fall between two runs of a test. Folders a minute old settle at once.
    age_folders(copy.path());
    vaultkit(copy.path(), &["index"]).assert().success();
    copy
}

/// Sets the modification time of every folder under `root` (itself
/// included) a minute back.
fn age_folders(root: &Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.expect("walks the copy");
        if entry.file_type().is_dir() {
            let folder = std::fs::File::open(entry.path()).expect("opens a folder");
            folder.set_modified(then).expect("sets a folder's time");
        }
    }
}
