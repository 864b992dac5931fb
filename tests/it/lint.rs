//! `vaultkit lint`: rules firing and staying quiet, formats, exit codes, config.

use predicates::prelude::*;
use serde_json::Value;

use crate::util::{
    copy_of, fixture, fixture_copy, indexed_copy, sample_vault, vaultkit, written_as,
};

/// `lint --format json <args>` on `vault`: the parsed report, the exit code and stderr.
fn lint_report(vault: &std::path::Path, args: &[&str]) -> (Vec<Value>, i32, String) {
    let mut all = vec!["lint", "--format", "json"];
    all.extend_from_slice(args);
    let output = vaultkit(vault, &all).output().expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let findings = report["diagnostics"].as_array().expect("a list").clone();
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    (findings, output.status.code().expect("exit code"), stderr)
}

/// `(rule, path, line)` of every finding in the fixture `vault`, and the exit code.
fn lint(vault: &str, args: &[&str]) -> (Vec<(String, String, Option<u64>)>, i32) {
    let (findings, code, _) = lint_report(&fixture(vault), args);
    let findings = findings
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_owned(),
                d["path"].as_str().expect("path").to_owned(),
                d["line"].as_u64(),
            )
        })
        .collect();
    (findings, code)
}

fn finding(rule: &str, path: &str, line: Option<u64>) -> (String, String, Option<u64>) {
    (rule.to_owned(), path.to_owned(), line)
}

#[test]
fn the_bundled_vault_lints_clean() {
    let output = vaultkit(&sample_vault(), &["lint", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["warnings"], 0);
    // The seed's empty headings are listed for the author, as information.
    let rules: Vec<&str> = report["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule"))
        .collect();
    assert!(
        !rules.is_empty() && rules.iter().all(|r| *r == "empty-section"),
        "{rules:?}"
    );
}

#[test]
fn every_rule_fires_where_it_should_and_nowhere_else() {
    let (findings, code) = lint("lint-rules", &[]);
    assert_eq!(
        findings,
        [
            finding("invalid-date", "Home.md", Some(2)),
            finding("migration-incomplete", "Home.md", Some(3)),
            finding("broken-link", "Home.md", Some(5)),
            finding("broken-heading", "Home.md", Some(9)),
            finding("broken-block", "Home.md", Some(9)),
            finding("case-mismatch", "Home.md", Some(10)),
            finding("broken-link", "Home.md", Some(10)),
            finding("broken-embed", "Home.md", Some(10)),
            finding("empty-section", "Home.md", Some(12)),
            finding("empty-note", "Notes/Empty.md", None),
            finding("migration-before-created", "Notes/Topic.md", Some(6)),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn human_output_frames_each_finding_with_its_help() {
    vaultkit(&fixture("lint-rules"), &["lint"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("Home.md\n"))
        .stdout(predicate::str::contains(
            "\
error[broken-link]: `[[AI]]` leads nowhere: no note or file is named `AI`
  --> Home.md:10:17
   |
10 | Also [[topic]], [[AI]] and ![[diagram.png]].
   |                 ^^^^^^
   |
   = help: `AI` is an alias of `Topic`, and Obsidian does not resolve aliases: write `[[Topic|AI]]`
",
        ))
        .stdout(predicate::str::contains(
            "warning[empty-note]: the note is empty\n --> Notes/Empty.md\n",
        ))
        .stdout(predicate::str::contains(
            "8 errors, 1 warnings, 2 infos in 3 notes",
        ));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = vaultkit(&fixture("lint-rules"), &["lint"])
        .output()
        .expect("runs");
    assert!(!plain.stdout.contains(&0x1b), "no escape codes off a TTY");
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("vaultkit");
    let coloured = command
        .env_remove("NO_COLOR")
        .arg("--vault")
        .arg(fixture("lint-rules"))
        .args(["--color", "always", "lint"])
        .output()
        .expect("runs");
    assert!(coloured.stdout.contains(&0x1b), "escape codes when asked");
}

#[test]
fn warnings_fail_only_when_asked() {
    let (findings, code) = lint("lint-warnings-only", &[]);
    assert_eq!(findings, [finding("invalid-tag", "a.md", Some(2))]);
    assert_eq!(code, 0);
    assert_eq!(lint("lint-warnings-only", &["--deny", "warnings"]).1, 1);
    assert_eq!(lint("lint-warnings-only", &["--fail-on", "warning"]).1, 1);
}

#[test]
fn the_config_sets_severities_and_migration_sources() {
    let (findings, code) = lint("lint-config", &[]);
    assert_eq!(
        findings,
        [
            finding("orphan-note", "a.md", None),
            finding("unknown-migration-source", "a.md", Some(2)),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn a_warm_lint_takes_back_the_findings_of_an_unchanged_vault_only() {
    let copy = indexed_copy("lint-config");
    let vault = copy.path();
    let rules = || -> Vec<(String, String)> {
        let (findings, _, stderr) = lint_report(vault, &[]);
        assert_eq!(stderr, "");
        findings
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().expect("rule").to_owned(),
                    d["path"].as_str().expect("path").to_owned(),
                )
            })
            .collect()
    };
    let pair = |rule: &str, path: &str| (rule.to_owned(), path.to_owned());
    let kept = vault.join(".vaultkit/lint.bin");
    let written = || written_as(&kept).expect("kept");
    let first = rules();
    assert_eq!(
        first,
        [
            pair("orphan-note", "a.md"),
            pair("unknown-migration-source", "a.md")
        ]
    );
    let at = written();
    assert_eq!(rules(), first);
    assert_eq!(written(), at, "an unchanged vault was linted again");

    // A note changed: linted again.
    std::fs::write(vault.join("a.md"), "Links to [[a]] and [[b]] now.\n").expect("edit");
    assert_eq!(rules(), Vec::<(String, String)>::new());
    // The configuration changed: linted again.
    std::fs::write(
        vault.join("vaultkit.toml"),
        "[lint.rules]\nempty-note = \"off\"\n",
    )
    .expect("edit");
    assert_eq!(rules(), [pair("broken-link", "b.md")]);
    // A deleted note named on the command line: the links into it come from the vault.
    std::fs::remove_file(vault.join("b.md")).expect("remove");
    let (findings, _, _) = lint_report(vault, &["b.md"]);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["path"], "a.md");
    assert_eq!(findings[0]["rule"], "broken-link");
}

#[test]
fn every_format_and_exit_code_is_the_same_from_kept_findings() {
    let copy = indexed_copy("lint-rules");
    let vault = copy.path();
    let kept = vault.join(".vaultkit/lint.bin");
    let written = || written_as(&kept);
    for format in ["human", "json", "sarif", "github", "junit"] {
        for scope in [&[][..], &["Notes"][..]] {
            let run = || {
                let mut args = vec!["lint", "--format", format];
                args.extend_from_slice(scope);
                let output = vaultkit(vault, &args).output().expect("runs");
                (output.status.code(), output.stdout, output.stderr)
            };
            let _ = std::fs::remove_file(&kept);
            let linted = run();
            let at = written();
            assert!(at.is_some(), "{format} {scope:?}: findings kept");
            let taken_back = run();
            assert_eq!(written(), at, "{format} {scope:?}: linted again");
            assert_eq!(linted.0, Some(1), "{format} {scope:?}: findings exit 1");
            assert_eq!(taken_back, linted, "{format} {scope:?}");
        }
    }
}

#[test]
fn paths_narrow_what_is_reported() {
    let (findings, _) = lint("lint-rules", &["Notes"]);
    let paths: Vec<&str> = findings.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(paths, ["Notes/Empty.md", "Notes/Topic.md"]);
    let on_disk = fixture("lint-rules").join("Notes/Topic.md");
    let (findings, _) = lint("lint-rules", &[on_disk.to_str().expect("utf-8 path")]);
    assert_eq!(
        findings,
        [finding(
            "migration-before-created",
            "Notes/Topic.md",
            Some(6)
        )]
    );
}

#[test]
fn an_unknown_rule_in_the_config_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("vaultkit.toml"),
        "[lint.rules]\nbroken-lnk = \"off\"\n",
    )
    .expect("write");
    std::fs::write(dir.path().join("a.md"), "text").expect("write");
    vaultkit(dir.path(), &["lint"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rules: broken-lnk"));
}

#[test]
fn explain_prints_a_rules_documentation_without_a_vault() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("vaultkit");
    command
        .env_remove("VAULTKIT_VAULT")
        .current_dir(dir.path())
        .args(["lint", "--explain", "broken-link"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "broken-link\n\nDefault: error.",
        ));
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("vaultkit");
    command
        .current_dir(dir.path())
        .args(["lint", "--explain", "no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rule `no-such-rule`"));
}

#[test]
fn schema_rules_fire_through_the_binary() {
    let (findings, code) = lint("lint-schema", &[]);
    assert_eq!(
        findings,
        [
            finding("missing-field", "other.md", None),
            finding("invalid-value", "other.md", Some(4)),
            finding("invalid-type", "other.md", Some(5)),
            finding("duplicate-alias", "other.md", Some(6)),
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn ci_formats_name_the_repository_path_and_count_findings() {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("vaultkit");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["--vault", "tests/fixtures/lint-schema", "lint", "--format", "github"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "::error file=tests/fixtures/lint-schema/other.md,line=4,col=1,endLine=4,endColumn=7,title=invalid-value::",
        ))
        .stdout(predicate::str::contains("::warning file=tests/fixtures/lint-schema/other.md,line=6"));
    vaultkit(&fixture("lint-schema"), &["lint", "--format", "junit"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            r#"<testsuites name="vaultkit lint" tests="4" failures="4">"#,
        ));
}

/// `(rule, line)` of each finding `lint --format json <args>` reports in `vault`, the exit code and stderr.
fn lint_at(vault: &std::path::Path, args: &[&str]) -> (Vec<(String, u64)>, i32, String) {
    let (findings, code, stderr) = lint_report(vault, args);
    let findings = findings
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().expect("rule").to_owned(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    (findings, code, stderr)
}

#[test]
fn a_baseline_hides_known_findings_through_unrelated_edits() {
    let vault = fixture_copy("lint-rules");
    let outside = tempfile::tempdir().expect("tempdir");
    let baseline = outside.path().join("baseline.json");
    let baseline = baseline.to_str().expect("utf-8 path");
    vaultkit(vault.path(), &["lint", "--write-baseline", baseline])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("wrote 11 findings"));
    let home = vault.path().join("Home.md");
    let original = std::fs::read_to_string(&home).expect("read");

    // Lines added above every finding move them all; none is new.
    let moved = original.replace("# Home\n", "# Home\n\nA new first paragraph.\n\n");
    std::fs::write(&home, &moved).expect("write");
    let (findings, code, stderr) = lint_at(vault.path(), &["--baseline", baseline]);
    assert_eq!((findings, code), (vec![], 0));
    assert_eq!(stderr, "");

    // A new broken link is reported; the same text twice is one new finding.
    let added = moved.replace("Text.", "Text with [[Brand new]] and [[AI]].");
    std::fs::write(&home, &added).expect("write");
    let (findings, code, _) = lint_at(vault.path(), &["--baseline", baseline]);
    assert_eq!(
        findings,
        [
            ("broken-link".to_owned(), 18),
            ("broken-link".to_owned(), 18)
        ]
    );
    assert_eq!(code, 1);

    // A fixed finding is listed as no longer occurring.
    let fixed = moved.replace(", [[AI]] and", " and");
    std::fs::write(&home, &fixed).expect("write");
    let (findings, code, stderr) = lint_at(vault.path(), &["--baseline", baseline]);
    assert_eq!((findings, code), (vec![], 0));
    assert!(
        stderr.contains("1 entries of the baseline")
            && stderr.contains("Home.md: broken-link: `[[AI]]` leads nowhere"),
        "{stderr}"
    );

    // PATHS narrows the list of fixed entries too.
    let (_, _, stderr) = lint_at(vault.path(), &["--baseline", baseline, "Notes"]);
    assert_eq!(stderr, "");
}

#[test]
fn a_missing_or_malformed_baseline_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "[]").expect("write");
    for (file, message) in [
        (dir.path().join("none.json"), "cannot read the baseline"),
        (bad, "not a vaultkit baseline"),
    ] {
        vaultkit(
            &fixture("lint-rules"),
            &["lint", "--baseline", file.to_str().expect("utf-8")],
        )
        .assert()
        .code(2)
        .stderr(predicate::str::contains(message));
    }
}

#[test]
fn fix_dry_run_prints_a_diff_and_writes_nothing() {
    let vault = fixture_copy("lint-fix");
    let before = std::fs::read(vault.path().join("Home.md")).expect("read");
    vaultkit(vault.path(), &["lint", "--fix", "--dry-run"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "--- a/Home.md\n+++ b/Home.md\n@@ -1,9 +1,11 @@\n ---\n-tags: draft, idea\n+tags:\n+  - draft\n+  - idea\n",
        ))
        .stdout(predicate::str::contains(
            "-See [[topic]] and [[AI]].\n+See [[Topic]] and [[Topic|AI]].\n",
        ))
        .stdout(predicate::str::contains("-Back to [[notes/TOPIC]].\r\n+Back to [[Notes/Topic]].\r\n"));
    assert_eq!(
        std::fs::read(vault.path().join("Home.md")).expect("read"),
        before
    );
}

/// A note with old Mac line endings (a lone CR) gets a diff whose lines end
/// in line feeds, so the next file's header starts on a line of its own.
#[test]
fn fix_dry_run_ends_every_line_of_a_cr_only_note() {
    let vault = fixture_copy("lint-fix");
    std::fs::write(vault.path().join("Classic.md"), "Old Mac\rSee [[topic]]\r").expect("write");
    let output = vaultkit(vault.path(), &["lint", "--fix", "--dry-run"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        stdout.contains(
            "--- a/Classic.md\n+++ b/Classic.md\n@@ -1,2 +1,2 @@\n Old Mac\r\n-See [[topic]]\r\n+See [[Topic]]\r\n--- a/Home.md\n"
        ),
        "{stdout:?}"
    );
}

#[test]
fn fix_rewrites_atomically_keeping_bom_crlf_and_permissions_and_is_idempotent() {
    let vault = fixture_copy("lint-fix");
    let legacy = vault.path().join("Legacy.md");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&legacy, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    // The link in the table is left (a `|` would end the cell), so exit 1.
    vaultkit(vault.path(), &["lint", "--fix"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "fixed Home.md: 1 broken-link, 1 case-mismatch, 1 invalid-tag",
        ))
        .stderr(predicate::str::contains(
            "fixed Legacy.md: 1 case-mismatch, 1 invalid-tag",
        ));
    assert_eq!(
        std::fs::read_to_string(vault.path().join("Home.md")).expect("read"),
        "---\ntags:\n  - draft\n  - idea\n---\n# Home\n\nSee [[Topic]] and [[Topic|AI]].\n\n| table | [[AI]] |\n|---|---|\n"
    );
    assert_eq!(
        std::fs::read(&legacy).expect("read"),
        b"\xEF\xBB\xBF---\r\ntags:\r\n  - old\r\n---\r\nBack to [[Notes/Topic]].\r\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&legacy)
            .expect("stat")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let leftovers: Vec<_> = std::fs::read_dir(vault.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .filter(|name| name != ".vaultkit")
        .collect();
    assert_eq!(leftovers.len(), 3, "no temporary files left: {leftovers:?}");
    let (findings, code, _) = lint_at(vault.path(), &[]);
    assert_eq!((findings, code), (vec![("broken-link".to_owned(), 10)], 1));

    // A second run finds nothing more to fix.
    let fixed = std::fs::read(vault.path().join("Home.md")).expect("read");
    vaultkit(vault.path(), &["lint", "--fix", "--dry-run"])
        .assert()
        .success()
        .stdout("");
    vaultkit(vault.path(), &["lint", "--fix"])
        .assert()
        .stderr(predicate::str::contains("fixed").not());
    assert_eq!(
        std::fs::read(vault.path().join("Home.md")).expect("read"),
        fixed
    );
}

/// What `lint --fix` reports after fixing is what a lint of the fixed
/// files reports, whether the vault was read from its folder or its index.
#[test]
fn fix_reports_the_findings_of_the_fixed_files() {
    for indexed in [false, true] {
        let vault = fixture_copy("lint-fix");
        if indexed {
            vaultkit(vault.path(), &["index"]).assert().success();
        }
        let fixing = vaultkit(vault.path(), &["lint", "--fix", "--format", "json"])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&fixing.stderr);
        assert!(stderr.contains("fixed Home.md"), "{stderr}");
        let fresh = vaultkit(vault.path(), &["lint", "--format", "json"])
            .output()
            .expect("run");
        assert_eq!(
            String::from_utf8_lossy(&fixing.stdout),
            String::from_utf8_lossy(&fresh.stdout),
            "indexed: {indexed}"
        );
        assert_eq!(fixing.status.code(), Some(1));
    }
}

/// Runs git in `dir`; `None` when git is not installed.
fn git(dir: &std::path::Path, args: &[&str]) -> Option<()> {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org"])
        .args(args)
        .output()
        .ok()?
        .status;
    assert!(status.success(), "git {args:?}");
    Some(())
}

fn paths_and_lines(findings: &[(String, String, Option<u64>)]) -> Vec<(&str, Option<u64>)> {
    findings.iter().map(|f| (f.1.as_str(), f.2)).collect()
}

#[test]
fn changed_since_reports_changed_files_and_links_into_deleted_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let vault = dir.path();
    let write = |name: &str, text: &str| std::fs::write(vault.join(name), text).expect("write");
    write("a.md", "Unchanged, but links to [[Old]] and [[Kept]].\n");
    write("c.md", "An old problem: [[Nope]].\n");
    write("b.md", "text\n");
    write("Old.md", "# Old\n");
    write("Kept.md", "# Kept\n");
    if git(vault, &["init", "-q"]).is_none() {
        crate::util::skip("git is not installed");
        return;
    }
    git(vault, &["add", "."]);
    git(vault, &["commit", "-q", "-m", "start"]);
    write("b.md", "text and [[Missing]]\n");
    write("d.md", "new and untracked: [[Also missing]]\n");
    std::fs::remove_file(vault.join("Old.md")).expect("delete");

    let json = |args: &[&str]| {
        let mut all = vec!["lint", "--format", "json"];
        all.extend_from_slice(args);
        let output = vaultkit(vault, &all).output().expect("runs");
        let report: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
        report["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .map(|d| {
                (
                    d["rule"].as_str().expect("rule").to_owned(),
                    d["path"].as_str().expect("path").to_owned(),
                    d["line"].as_u64(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        paths_and_lines(&json(&["--changed-since", "HEAD"])),
        [("a.md", Some(1)), ("b.md", Some(1)), ("d.md", Some(1))]
    );
    // Naming the deleted note reports the links it breaks, and only those.
    let findings = json(&["Old.md"]);
    assert_eq!(paths_and_lines(&findings), [("a.md", Some(1))]);
    assert_eq!(findings[0].0, "broken-link");
    assert_eq!(paths_and_lines(&json(&["Old"])), [("a.md", Some(1))]);
    // Everything, for comparison: the old problem is there too.
    assert_eq!(json(&[]).len(), 4);

    vaultkit(vault, &["lint", "--changed-since", "no-such-rev"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--changed-since: `git diff"));
}

/// The rules `lint` reports that a config inferred from the vault itself must never cause.
fn schema_errors(vault: &std::path::Path) -> Vec<(String, String)> {
    let output = vaultkit(vault, &["lint", "--format", "json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stderr)));
    report["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|d| {
            [
                "missing-field",
                "invalid-value",
                "invalid-type",
                "unknown-migration-source",
            ]
            .contains(&d["rule"].as_str().expect("rule"))
        })
        .map(|d| (d["path"].to_string(), d["message"].to_string()))
        .collect()
}

#[test]
fn init_infers_a_config_the_vault_passes_and_never_overwrites_by_accident() {
    let vault = copy_of(&sample_vault());
    let config = vault.path().join("vaultkit.toml");
    let handwritten = std::fs::read_to_string(&config).expect("read");
    vaultkit(vault.path(), &["init"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists; pass --force"));
    assert_eq!(std::fs::read_to_string(&config).expect("read"), handwritten);

    vaultkit(vault.path(), &["init", "--force"])
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote"));
    let inferred = std::fs::read_to_string(&config).expect("read");
    assert_ne!(inferred, handwritten);
    // The inferred schema says what the hand-written one says about the seed.
    for line in [
        "required = [\"created\", \"status\", \"tags\", \"type\"]",
        "status = { type = \"enum\", values = [\"active\", \"archived\", \"draft\"] }",
        "created = { type = \"date\" }",
        "related = { type = \"links\" }",
        "[schema.types.topic]",
        "sources = [\"notion\"]",
    ] {
        assert!(inferred.contains(line), "{line} in\n{inferred}");
    }
    assert_eq!(schema_errors(vault.path()), []);
    vaultkit(vault.path(), &["lint"]).assert().success();
}

#[test]
fn init_on_a_vault_without_config_writes_one_that_loads() {
    let vault = fixture_copy("lint-schema");
    std::fs::remove_file(vault.path().join("vaultkit.toml")).expect("rm");
    vaultkit(vault.path(), &["init"]).assert().success();
    assert!(vault.path().join("vaultkit.toml").is_file());
    assert_eq!(schema_errors(vault.path()), []);
    vaultkit(vault.path(), &["init"]).assert().code(2);
}

#[test]
fn init_infers_a_passing_config_for_every_corpus() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    let Ok(entries) = std::fs::read_dir(&root) else {
        crate::util::skip(&format!("no corpora at {}", root.display()));
        return;
    };
    for entry in entries {
        let path = entry.expect("entry").path();
        if !path.is_dir() {
            continue;
        }
        let output = vaultkit(&path, &["init", "--print"])
            .output()
            .expect("runs");
        assert!(output.status.success(), "{}", path.display());
        let copy = copy_of(&path);
        std::fs::write(copy.path().join("vaultkit.toml"), &output.stdout).expect("write");
        assert_eq!(schema_errors(copy.path()), [], "{}", path.display());
    }
}

/// `pre-commit` in `dir`, or `None` when it is not installed.
fn pre_commit(dir: &std::path::Path, args: &[&str]) -> Option<std::process::Output> {
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_vaultkit"))
        .parent()
        .expect("bin folder")
        .to_owned();
    let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .expect("PATH");
    std::process::Command::new("pre-commit")
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .ok()
}

/// The hook in `.pre-commit-hooks.yaml`, run by pre-commit itself: the manifest
/// must validate, and the hook as declared (entry, file types, file names
/// passed) must report the findings of the staged notes. It runs as a
/// `local` hook with the freshly built binary on the PATH, because
/// `language: rust` would have pre-commit build vaultkit in release mode
/// on every change of this repository.
#[test]
fn the_pre_commit_hook_lints_the_files_it_is_given() {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let vault = fixture_copy("lint-rules");
    // pre-commit runs at the repository root, which `.obsidian/` marks as the vault.
    std::fs::create_dir(vault.path().join(".obsidian")).expect("mkdir");
    let Some(validated) = pre_commit(
        vault.path(),
        &["validate-manifest", manifest.to_str().expect("utf-8")],
    ) else {
        crate::util::skip("pre-commit is not installed");
        return;
    };
    assert!(
        validated.status.success(),
        "{}",
        String::from_utf8_lossy(&validated.stdout)
    );
    let hooks: String = std::fs::read_to_string(&manifest)
        .expect("manifest")
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| {
            format!(
                "      {}\n",
                line.replace("language: rust", "language: system")
            )
        })
        .collect();
    assert!(hooks.contains("id: vaultkit-lint") && hooks.contains("entry: vaultkit lint"));
    std::fs::write(
        vault.path().join(".pre-commit-config.yaml"),
        format!("repos:\n  - repo: local\n    hooks:\n{hooks}"),
    )
    .expect("write config");
    if git(vault.path(), &["init", "-q"]).is_none() {
        crate::util::skip("git is not installed");
        return;
    }
    git(vault.path(), &["add", "."]);

    let all = pre_commit(vault.path(), &["run", "--all-files"]).expect("runs");
    let text = String::from_utf8_lossy(&all.stdout);
    assert_eq!(all.status.code(), Some(1), "{text}");
    assert!(
        text.contains("error[broken-link]: `[[AI]]` leads nowhere"),
        "{text}"
    );
    assert!(
        text.contains("8 errors, 1 warnings, 2 infos in 3 notes"),
        "{text}"
    );

    let one = pre_commit(vault.path(), &["run", "--files", "Notes/Topic.md"]).expect("runs");
    let text = String::from_utf8_lossy(&one.stdout);
    assert_eq!(one.status.code(), Some(1), "{text}");
    assert!(
        text.contains("1 errors, 0 warnings, 0 infos in 1 notes"),
        "{text}"
    );
    assert!(!text.contains("broken-link"), "{text}");
}

/// `(rule, path, line, column)` of every finding in `findings`.
fn positions(findings: &[Value]) -> Vec<(String, String, u64, u64)> {
    findings
        .iter()
        .map(|d| {
            let text = |key: &str| d[key].as_str().expect(key).to_owned();
            let number = |key: &str| d[key].as_u64().expect(key);
            (text("rule"), text("path"), number("line"), number("column"))
        })
        .collect()
}

#[test]
fn invalid_bases_and_mistyped_comparisons_are_found_at_their_line_and_column() {
    let (findings, code, _) = lint_report(&fixture("lint-bases"), &[]);
    let at =
        |rule: &str, path: &str, line, column| (rule.to_owned(), path.to_owned(), line, column);
    assert_eq!(
        positions(&findings),
        [
            at("invalid-base", "Bases/Arity.base", 2, 16),
            at("invalid-base", "Bases/Broken.base", 3, 17),
            at("invalid-base", "Bases/Unknown.base", 2, 16),
            at("base-type-mismatch", "Bases/Wrong.base", 1, 20),
            at("base-type-mismatch", "Lesson.md", 14, 16),
            at("invalid-base", "Lesson.md", 25, 38),
        ]
    );
    assert_eq!(code, 1);
    let message = |i: usize| findings[i]["message"].as_str().expect("message");
    assert_eq!(message(0), "`slice` takes 1 to 2 arguments, not 0");
    assert_eq!(message(2), "unknown function `upperCase`");
    assert_eq!(
        message(3),
        "`status` is never `done`: its allowed values are draft, published"
    );
    assert_eq!(findings[3]["severity"], "warning");
    // A base that only warns passes unless warnings fail.
    let (_, code, _) = lint_report(&fixture("lint-bases"), &["Bases/Wrong.base"]);
    assert_eq!(code, 0);

    let output = vaultkit(&fixture("lint-bases"), &["lint", "--format", "sarif"])
        .output()
        .expect("runs");
    let log: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    let in_block = results
        .iter()
        .find(|r| {
            r["ruleId"] == "base-type-mismatch"
                && r["message"]["text"]
                    .as_str()
                    .is_some_and(|t| t.contains("level"))
        })
        .expect("the block's finding");
    let location = &in_block["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "Lesson.md");
    assert_eq!(
        location["region"],
        serde_json::json!({"startLine": 14, "startColumn": 16, "endLine": 14, "endColumn": 17})
    );
}

#[test]
fn the_base_rules_are_explained() {
    for rule in ["invalid-base", "base-type-mismatch"] {
        vaultkit(&fixture("lint-bases"), &["lint", "--explain", rule])
            .assert()
            .success()
            .stdout(predicate::str::starts_with(format!("{rule}\n\nDefault: ")))
            .stdout(
                predicate::str::contains("line and column")
                    .or(predicate::str::contains("[schema.fields]")),
            );
    }
}

#[test]
fn an_edited_base_file_is_linted_again_on_a_warm_index() {
    let copy = indexed_copy("lint-bases");
    let vault = copy.path();
    let broken = || {
        let (findings, _, stderr) = lint_report(vault, &["Bases/Broken.base"]);
        assert_eq!(stderr, "");
        positions(&findings).len()
    };
    assert_eq!(broken(), 1);
    assert_eq!(broken(), 1, "taken back from the index");
    std::fs::write(vault.join("Bases/Broken.base"), "views:\n  - type: table\n").expect("edit");
    assert_eq!(broken(), 0);
}
