//! The real public vaults in `../shared/corpora/`, when present: `graph stats`
//! must run on each without error, and `lint` must report exactly the broken
//! links Obsidian's help vault is known to have. Skipped, with a printed
//! reason, when absent.

use std::path::PathBuf;

use serde_json::Value;

use crate::util::{skip, vaultkit};

/// Runs vaultkit on a corpus with its index in a temporary folder (the corpora
/// are shared and must stay as they are) and parses the JSON it prints.
fn json(vault: &std::path::Path, args: &[&str]) -> Value {
    let index = tempfile::tempdir().expect("tempdir");
    let output = vaultkit(vault, args)
        .env("VAULTKIT_INDEX_DIR", index.path())
        .output()
        .expect("vaultkit runs");
    assert!(
        output.status.success(),
        "vaultkit {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

fn corpus(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpora")
        .join(name);
    if path.is_dir() {
        Some(path)
    } else {
        skip(&format!("corpus {} is absent", path.display()));
        None
    }
}

#[test]
fn obsidian_help_has_exactly_the_six_documented_unresolved_links() {
    let Some(vault) = corpus("obsidian-help/en") else {
        return;
    };
    let stats = json(&vault, &["graph", "stats", "--format", "json"]);
    // Section 10 of obsidian-semantics.md: six demo links to a note `Example`
    // that exists nowhere, and no broken heading or block link.
    assert_eq!(stats["unresolved_links"], 6);
    assert_eq!(stats["unresolved_targets"], 1);
    assert_eq!(stats["broken_anchors"], 0);
    assert_eq!(stats["ambiguous_links"], 0);
}

#[test]
fn every_corpus_loads() {
    for name in ["obsidian-help", "obsidian-hub", "kepano", "dataview-test"] {
        let Some(vault) = corpus(name) else { continue };
        let stats = json(&vault, &["-q", "graph", "stats", "--format", "json"]);
        assert!(stats["notes"].as_u64().expect("notes") > 10, "{name}");
        assert!(stats["links"].as_u64().expect("links") > 10, "{name}");
    }
}

#[test]
fn lint_reports_only_the_six_documented_broken_links_in_obsidian_help() {
    let Some(vault) = corpus("obsidian-help/en") else {
        return;
    };
    let index = tempfile::tempdir().expect("tempdir");
    let output = vaultkit(&vault, &["lint", "--format", "json"])
        .env("VAULTKIT_INDEX_DIR", index.path())
        .output()
        .expect("vaultkit runs");
    assert_eq!(output.status.code(), Some(1), "the six links are errors");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let errors: Vec<(String, String, u64)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_owned(),
                d["path"].as_str().expect("path").to_owned(),
                d["line"].as_u64().expect("line"),
            )
        })
        .collect();
    let page = "Linking notes and files/Internal links.md";
    let expected: Vec<(String, String, u64)> = [154, 155, 162, 163, 168, 169]
        .into_iter()
        .map(|line| ("broken-link".to_owned(), page.to_owned(), line))
        .collect();
    assert_eq!(errors, expected);
}
