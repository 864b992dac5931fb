//! The command line itself: vault discovery, exit codes, formats, help.

use predicates::prelude::*;

use crate::util::{fixture, fixture_copy, json, sample_vault, vaultkit};

#[test]
fn graph_stats_on_the_sample_vault_finds_no_broken_links() {
    let stats = json(&sample_vault(), &["graph", "stats", "--format", "json"]);
    assert!(stats["notes"].as_u64().expect("notes") >= 25);
    assert_eq!(stats["unresolved_links"], 0);
    assert_eq!(stats["ambiguous_links"], 0);
    assert_eq!(stats["broken_anchors"], 0);
    assert_eq!(
        stats["top_hubs"][0]["path"],
        "Becoming a Technical Product Manager.md"
    );
}

#[test]
fn the_seed_note_is_shown_with_its_migration_fields_and_course_link() {
    let report = json(
        &sample_vault(),
        &[
            "show",
            "Becoming a Technical Product Manager",
            "--format",
            "json",
        ],
    );
    assert_eq!(report["properties"]["migrated_from"], "notion");
    assert_eq!(
        report["tags"],
        serde_json::json!(["career", "product-management"])
    );
    let link = &report["links"][0];
    assert_eq!(link["origin"], "property:related");
    assert_eq!(link["line"], 9);
    assert_eq!(
        link["resolved"],
        "Create a course to become a Technical Product Manager.md"
    );
    assert_eq!(
        report["headings"][0]["text"],
        "Becoming a Technical Product Manager"
    );
    assert!(report["backlinks"].as_array().expect("backlinks").len() > 10);
}

#[test]
fn a_missing_vault_is_an_error_with_exit_code_2() {
    vaultkit(&fixture("does-not-exist"), &["graph", "stats"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such folder"));
}

#[test]
fn an_unknown_note_names_close_matches() {
    vaultkit(&sample_vault(), &["show", "Agil"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no note matches `Agil`"))
        .stderr(predicate::str::contains("Topics/Process/Agile.md"));
}

#[test]
fn without_vault_flag_the_nearest_obsidian_folder_is_used() {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("vaultkit");
    command
        .env_remove("VAULTKIT_VAULT")
        .current_dir(sample_vault().join("Topics/Process"))
        .args(["show", "Agile", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "\"path\": \"Topics/Process/Agile.md\"",
        ));
}

#[test]
fn without_any_vault_the_error_says_how_to_point_at_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("vaultkit");
    command
        .env_remove("VAULTKIT_VAULT")
        .current_dir(dir.path())
        .args(["graph", "stats"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--vault DIR"));
}

#[test]
fn the_vault_can_come_from_the_environment() {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("vaultkit");
    command
        .env("VAULTKIT_VAULT", sample_vault())
        .current_dir(std::env::temp_dir())
        .args(["backlinks", "Agile", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Topics/Process/Scrum.md"));
}

/// `VAULTKIT_VAULT=` (set but empty) counts as unset: the vault is found
/// from the working directory, as with no variable at all.
#[test]
fn an_empty_vault_variable_counts_as_unset() {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("vaultkit");
    command
        .env("VAULTKIT_VAULT", "")
        .env("VAULTKIT_INDEX_DIR", "")
        .current_dir(sample_vault().join("Topics/Process"))
        .args(["show", "Agile", "--format", "json"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "\"path\": \"Topics/Process/Agile.md\"",
        ));
}

/// Every command refuses a `[search] language` it cannot stem, with the
/// same message, whether or not it uses the index.
#[test]
fn every_command_refuses_an_unknown_language_alike() {
    let vault = fixture_copy("lint-fix");
    let config = vault.path().join("vaultkit.toml");
    std::fs::write(&config, "[search]\nlanguage = \"klingon\"\n").expect("write");
    let message = format!(
        "error: {}: [search] language = \"klingon\" is not a stemming language",
        config.display()
    );
    for args in [
        &["lint"][..],
        &["show", "Home"],
        &["search", "topic"],
        &["index"],
    ] {
        vaultkit(vault.path(), args)
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with(message.as_str()));
    }
}

/// A TOML error on a very long line shows a bounded part of it.
#[test]
fn a_config_error_on_a_long_line_is_short() {
    let vault = fixture_copy("lint-fix");
    let long = format!("ignore = [\"{}\"] x\n", "a".repeat(200_000));
    std::fs::write(vault.path().join("vaultkit.toml"), long).expect("write");
    let output = vaultkit(vault.path(), &["lint"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.len() < 1000, "{} bytes: {stderr}", stderr.len());
    assert!(stderr.contains("line 1, column 200015"), "{stderr}");
}

/// An error's cause is said once, not once by the error and again as its
/// source.
#[cfg(unix)]
#[test]
fn an_error_says_its_cause_once() {
    let vault = fixture_copy("lint-fix");
    let not_a_folder = vault.path().join("Home.md").join("index");
    let output = vaultkit(vault.path(), &["search", "topic"])
        .env("VAULTKIT_INDEX_DIR", &not_a_folder)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: cannot index the vault"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("Not a directory").count(), 1, "{stderr}");
}

#[test]
fn help_shows_an_example_per_command() {
    for command in ["show", "links", "backlinks", "tags", "graph", "completions"] {
        vaultkit(&sample_vault(), &[command, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Example"));
    }
}

#[test]
fn completions_are_generated() {
    vaultkit(&sample_vault(), &["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("_vaultkit()"));
}

#[test]
fn colour_is_off_on_a_pipe_and_on_when_forced() {
    let plain = vaultkit(&sample_vault(), &["tags"]).output().expect("runs");
    assert!(!plain.stdout.contains(&0x1b));
    let mut forced = assert_cmd::cargo::cargo_bin_cmd!("vaultkit");
    let forced = forced
        .args(["--vault"])
        .arg(sample_vault())
        .args(["--color", "always", "tags"])
        .output()
        .expect("runs");
    assert!(forced.stdout.contains(&0x1b));
}

#[test]
fn tags_nest_and_count_notes() {
    let tags = json(&sample_vault(), &["tags", "--format", "json"]);
    let development = tags["tags"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|t| t["name"] == "development")
        .expect("a development tag");
    let children: Vec<&str> = development["children"]
        .as_array()
        .expect("children")
        .iter()
        .map(|c| c["name"].as_str().expect("name"))
        .collect();
    assert!(children.contains(&"development/web"), "{children:?}");
    let child_sum: u64 = development["children"]
        .as_array()
        .expect("children")
        .iter()
        .map(|c| c["count"].as_u64().expect("count"))
        .sum();
    assert!(development["count"].as_u64().expect("count") <= child_sum + 1);
}

#[test]
fn graph_exports_in_every_format() {
    let export = json(&sample_vault(), &["graph", "--from", "Git", "--depth", "1"]);
    let ids: Vec<&str> = export["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&"Topics/Process/Git.md"));
    assert!(ids.contains(&"Topics/Process/Code Review.md"));
    assert!(!ids.contains(&"Topics/Engineering/Mobile/iOS Development.md"));
    vaultkit(&sample_vault(), &["graph", "--format", "dot"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("digraph vault {"))
        .stdout(predicate::str::contains(
            "\"Topics/Process/Scrum.md\" -> \"Topics/Process/Agile.md\"",
        ));
    vaultkit(&sample_vault(), &["graph", "--format", "mermaid"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("flowchart LR"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_vaultkit"))
        .arg("--vault")
        .arg(sample_vault())
        .args(["graph", "--format", "dot"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawns");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("finishes");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
