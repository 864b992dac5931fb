//! `props`: bulk front-matter edits that keep every other byte, chosen by a
//! search or by path, planned in full and applied all or nothing.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::util::{fixture_copy, json, vaultkit};

/// Every file of a vault (its index aside) and its bytes.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".vaultkit")
    {
        let entry = entry.expect("entry");
        if entry.file_type().is_file() {
            let path = entry
                .path()
                .strip_prefix(root)
                .expect("inside")
                .display()
                .to_string();
            out.insert(path, std::fs::read(entry.path()).expect("read"));
        }
    }
    out
}

fn edited_paths(plan: &Value) -> Vec<String> {
    let mut paths: Vec<String> = plan["edits"]
        .as_array()
        .expect("edits")
        .iter()
        .map(|edit| edit["path"].as_str().expect("path").to_owned())
        .collect();
    paths.dedup();
    paths
}

#[test]
fn where_selects_exactly_the_notes_search_finds() {
    let vault = fixture_copy("props");
    for query in [
        "[status:draft]",
        "planning -path:Projects",
        "tag:#planning OR Bare",
    ] {
        let found = vaultkit(
            vault.path(),
            &["search", query, "--format", "paths", "--limit", "1000"],
        )
        .output()
        .expect("search runs");
        let mut hits: Vec<String> = String::from_utf8(found.stdout)
            .expect("utf-8")
            .lines()
            .map(str::to_owned)
            .collect();
        hits.sort();
        assert!(!hits.is_empty(), "{query} finds notes");
        let plan = json(
            vault.path(),
            &[
                "props",
                "set",
                "reviewed",
                "true",
                "--where",
                query,
                "--dry-run",
                "--format",
                "json",
            ],
        );
        assert_eq!(edited_paths(&plan), hits, "{query}");
    }
}

#[test]
fn a_dry_run_prints_the_diff_and_writes_nothing() {
    let vault = fixture_copy("props");
    let before = files(vault.path());
    let output = vaultkit(
        vault.path(),
        &[
            "props",
            "set",
            "status",
            "active",
            "--where",
            "[status:draft]",
            "--dry-run",
        ],
    )
    .output()
    .expect("runs");
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        stdout.contains("--- a/Draft.md\n+++ b/Draft.md\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("-status: 'draft'\n+status: active\n"),
        "{stdout}"
    );
    assert!(stdout.contains("--- a/Projects/Windows.md"), "{stdout}");
    assert!(!stdout.contains("Active.md"), "{stdout}");
    assert_eq!(files(vault.path()), before);
}

#[test]
fn the_json_plan_has_moves_and_positioned_edits() {
    let vault = fixture_copy("props");
    let plan = json(
        vault.path(),
        &[
            "props",
            "add",
            "tags",
            "[[Roadmap]]",
            "Draft.md",
            "Bare.md",
            "--format",
            "json",
            "--dry-run",
        ],
    );
    assert_eq!(
        plan,
        serde_json::json!({
            "moves": [],
            "edits": [
                {"path": "Bare.md", "line": 1, "column": 1, "old": "", "new": "---\ntags:\n  - \"[[Roadmap]]\"\n---\n"},
                {"path": "Draft.md", "line": 9, "column": 31, "old": "", "new": "\n  - \"[[Roadmap]]\""},
            ]
        })
    );
}

#[test]
fn edits_keep_every_other_byte_crlf_and_the_byte_order_mark() {
    let vault = fixture_copy("props");
    let before = files(vault.path());
    let run = |args: &[&str]| vaultkit(vault.path(), args).assert().success();
    run(&[
        "props",
        "set",
        "status",
        "archived",
        "Draft.md",
        "Projects/Windows.md",
    ]);
    run(&[
        "props",
        "add",
        "tags",
        "archive",
        "Draft.md",
        "Projects/Windows.md",
    ]);
    run(&["props", "rename", "type", "kind", "Draft.md"]);
    let after = files(vault.path());
    let text = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).expect("utf-8");
    assert_eq!(
        text(&after["Draft.md"]),
        text(&before["Draft.md"])
            .replace("type: resource", "kind: resource")
            .replace("status: 'draft'", "status: archived")
            .replace(
                "# quoted on purpose\n",
                "# quoted on purpose\n  - archive\n"
            )
    );
    assert_eq!(
        after["Projects/Windows.md"],
        "\u{feff}---\r\nstatus: archived\r\ntags: [windows, crlf, archive]\r\n---\r\n# Windows note\r\n\r\nWritten on Windows.\r\n"
            .as_bytes()
    );
    for untouched in ["Bare.md", "Projects/Active.md", "vaultkit.toml"] {
        assert_eq!(after[untouched], before[untouched], "{untouched}");
    }
}

#[test]
fn a_value_the_schema_rejects_is_refused_with_the_lint_message() {
    let vault = fixture_copy("props");
    let before = files(vault.path());
    let output = vaultkit(
        vault.path(),
        &["props", "set", "status", "done", "--where", "[status]"],
    )
    .output()
    .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert!(
        stderr.contains("error: Draft.md: the edit would break the rules of vaultkit.toml: `status: done` is not an allowed value (allowed values: draft, active, archived) [invalid-value]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nothing was written: 3 of 3 notes"),
        "{stderr}"
    );
    assert_eq!(files(vault.path()), before);
}

#[test]
fn no_chosen_note_exits_1_and_a_path_outside_the_vault_is_refused() {
    let vault = fixture_copy("props");
    vaultkit(
        vault.path(),
        &["props", "unset", "status", "--where", "nowhere-to-be-found"],
    )
    .assert()
    .code(1);
    let outside = tempfile::NamedTempFile::with_suffix(".md").expect("temp note");
    let outside = outside.path().to_str().expect("utf-8 path");
    vaultkit(vault.path(), &["props", "unset", "status", outside])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is not a note of the vault"));
}

/// A note edited after `props` read it, while it writes the notes before it,
/// stops the whole edit: the notes already written get their bytes back.
#[test]
fn a_note_changed_since_planning_stops_everything_untouched() {
    let vault = fixture_copy("props");
    let before = files(vault.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_vaultkit"))
        .arg("--vault")
        .arg(vault.path())
        .args([
            "props",
            "set",
            "status",
            "archived",
            "Draft.md",
            "Projects/Windows.md",
        ])
        .env("VAULTKIT_TEST_PAUSE_WRITE_MS", "1500")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    loop {
        line.clear();
        assert_ne!(stderr.read_line(&mut line).expect("read"), 0, "no pause");
        if line.starts_with("paused before writing") && line.trim_end().ends_with("Draft.md") {
            break;
        }
    }
    // Draft.md is about to be written; Windows.md changes meanwhile.
    let windows = vault.path().join("Projects/Windows.md");
    std::fs::write(&windows, "edited meanwhile\n").expect("edit");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).expect("read");
    let status = child.wait().expect("exits");
    assert_eq!(status.code(), Some(2), "{rest}");
    assert!(
        rest.contains("changed since it was read, so nothing was written"),
        "{rest}"
    );
    let after = files(vault.path());
    assert_eq!(after["Draft.md"], before["Draft.md"]);
    assert_eq!(after["Projects/Windows.md"], b"edited meanwhile\n");
}
