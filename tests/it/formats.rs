//! `lint --format …`: SARIF checked against the SARIF 2.1.0 schema, and a
//! snapshot of every format on one fixture vault.

use std::path::PathBuf;

use serde_json::Value;

/// `vaultkit --vault tests/fixtures/<vault> lint <args>` run from the crate
/// root, so paths in the output are the same on every machine.
fn lint_output(vault: &str, args: &[&str]) -> (String, i32) {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("vaultkit");
    let output = command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("VAULTKIT_VAULT")
        .env("NO_COLOR", "1")
        .args(["--color", "never", "--vault"])
        .arg(format!("tests/fixtures/{vault}"))
        .arg("lint")
        .args(args)
        .output()
        .expect("vaultkit runs");
    (
        String::from_utf8(output.stdout).expect("utf-8"),
        output.status.code().expect("exit code"),
    )
}

/// The official SARIF 2.1.0 JSON schema: `$SARIF_SCHEMA`, else the copy the
/// `serde-sarif` dev-dependency ships (its types are generated from it).
fn sarif_schema() -> Option<Value> {
    let path = std::env::var_os("SARIF_SCHEMA")
        .map(PathBuf::from)
        .or_else(serde_sarif_schema)?;
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

fn serde_sarif_schema() -> Option<PathBuf> {
    let run = |program: std::ffi::OsString, args: &[&str]| {
        std::process::Command::new(program)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| o.stdout)
    };
    let tool = |name: &str| std::env::var_os(name.to_uppercase()).unwrap_or_else(|| name.into());
    // Only this platform's packages: the others may not be downloaded.
    let version = String::from_utf8(run(tool("rustc"), &["-vV"])?).ok()?;
    let host = version.lines().find_map(|l| l.strip_prefix("host: "))?;
    let metadata = run(
        tool("cargo"),
        &[
            "metadata",
            "--format-version",
            "1",
            "--offline",
            "--filter-platform",
            host,
        ],
    )?;
    let metadata: Value = serde_json::from_slice(&metadata).ok()?;
    let manifest = metadata["packages"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == "serde-sarif")?["manifest_path"]
        .as_str()?;
    let schema = PathBuf::from(manifest).parent()?.join("src/schema.json");
    schema.is_file().then_some(schema)
}

/// Rewrites `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`; returns how many.
fn fix_language_patterns(schema: &mut Value) -> usize {
    match schema {
        Value::Object(map) => map
            .iter_mut()
            .map(|(key, value)| {
                if key == "pattern" && value == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" {
                    *value = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
                    1
                } else {
                    fix_language_patterns(value)
                }
            })
            .sum(),
        Value::Array(items) => items.iter_mut().map(fix_language_patterns).sum(),
        _ => 0,
    }
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0_with_rule_metadata() {
    let (text, code) = lint_output("lint-rules", &["--format", "sarif"]);
    assert_eq!(code, 1);
    let value: Value = serde_json::from_str(&text).expect("JSON");

    // The typed model generated from the 2.1.0 schema reads it back.
    let log: serde_sarif::sarif::Sarif = serde_json::from_value(value.clone()).expect("SARIF");
    assert_eq!(log.runs.len(), 1);

    let run = &value["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let broken = rules
        .iter()
        .find(|r| r["id"] == "broken-link")
        .expect("broken-link metadata");
    assert_eq!(broken["defaultConfiguration"]["level"], "error");
    assert!(
        broken["fullDescription"]["text"]
            .as_str()
            .expect("text")
            .starts_with("A wikilink or Markdown link whose target is no note or file")
    );
    assert!(
        broken["help"]["text"]
            .as_str()
            .expect("help")
            .contains("[[Real name|AI]]")
    );
    let orphan = rules
        .iter()
        .find(|r| r["id"] == "orphan-note")
        .expect("orphan-note");
    assert_eq!(orphan["defaultConfiguration"]["enabled"], false);

    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 11);
    let alias = results
        .iter()
        .find(|r| {
            r["message"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("[[AI]]"))
        })
        .expect("the alias link");
    assert_eq!(alias["ruleId"], "broken-link");
    assert_eq!(alias["level"], "error");
    assert_eq!(
        rules[alias["ruleIndex"].as_u64().expect("index") as usize]["id"],
        "broken-link"
    );
    let fingerprint = alias["partialFingerprints"]["vaultkit/v1"]
        .as_str()
        .expect("fingerprint");
    assert!(fingerprint.len() == 16 && fingerprint.chars().all(|c| c.is_ascii_hexdigit()));
    let location = &alias["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "Home.md");
    assert_eq!(location["artifactLocation"]["uriBaseId"], "VAULTROOT");
    assert_eq!(
        location["region"],
        serde_json::json!({"startLine": 10, "startColumn": 17, "endLine": 10, "endColumn": 23})
    );
    assert_eq!(
        run["originalUriBaseIds"]["VAULTROOT"]["uri"],
        "tests/fixtures/lint-rules/"
    );
    let info = results
        .iter()
        .find(|r| r["ruleId"] == "empty-section")
        .expect("info");
    assert_eq!(info["level"], "note");

    let Some(schema) = sarif_schema() else {
        crate::util::skip("no copy of the SARIF 2.1.0 schema (set SARIF_SCHEMA)");
        return;
    };
    // The official schema's `language` patterns have a stray `]` that a
    // strict regex check refuses, so the schema would fail its own
    // meta-schema; vaultkit never writes `language`, so those patterns are
    // made the one they mean.
    let mut schema = schema;
    assert!(
        fix_language_patterns(&mut schema) > 0,
        "the schema has moved on"
    );
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The check has teeth: a level SARIF does not know is refused.
    let mut wrong = value.clone();
    wrong["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&wrong));
}

/// Every format on the `lint-rules` fixture, compared with the committed
/// snapshot in `tests/it/snapshots/` (review changes with `cargo insta review`,
/// or rerun with `INSTA_UPDATE=always` and read the diff).
#[test]
fn each_format_matches_its_snapshot() {
    for format in ["human", "json", "sarif", "github", "junit"] {
        let (text, code) = lint_output("lint-rules", &["--format", format]);
        assert_eq!(code, 1, "{format}");
        // The SARIF log names vaultkit's version; a release must not churn this.
        let text = text.replace(env!("CARGO_PKG_VERSION"), "[version]");
        insta::assert_snapshot!(format!("lint-rules.{format}"), text);
    }
}
