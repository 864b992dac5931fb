//! Every `--format json` output is validated against its published schema in
//! `docs/schemas/`. The schemas let consumers accept fields added later; the
//! tests do not: every field vaultkit prints must be in its schema, so the
//! schema (and `docs/json.md`) is updated with the output.

use std::path::Path;

use serde_json::Value;

use crate::util::{fixture, json, sample_vault, vaultkit};

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schemas")
        .join(format!("{name}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// The schema with every object that lists its properties closed to others.
fn strict(mut schema: Value) -> Value {
    fn close(value: &mut Value) {
        match value {
            Value::Object(map) => {
                if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                    map.insert("additionalProperties".into(), false.into());
                }
                map.values_mut().for_each(close);
            }
            Value::Array(items) => items.iter_mut().for_each(close),
            _ => {}
        }
    }
    close(&mut schema);
    schema
}

/// Asserts that `output` is valid under the strict form of the named schema.
fn assert_valid(name: &str, output: &Value) {
    let validator = jsonschema::validator_for(&strict(schema(name))).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(output)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}");
}

/// Runs vaultkit whatever its exit code (lint exits 1 on findings) and parses stdout.
fn json_any_code(vault: &Path, args: &[&str]) -> Value {
    let output = vaultkit(vault, args).output().expect("vaultkit runs");
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

const COURSE: &str = "Create a course to become a Technical Product Manager";

#[test]
fn note_reports_match_their_schemas() {
    let vault = sample_vault();
    assert_valid(
        "show",
        &json(&vault, &["show", "Scrum", "--format", "json"]),
    );
    assert_valid(
        "links",
        &json(&vault, &["links", COURSE, "--format", "json"]),
    );
    assert_valid(
        "backlinks",
        &json(&vault, &["backlinks", "Agile", "--format", "json"]),
    );
    // Ties, aliases and missing anchors add optional fields.
    for (fixture_name, note) in [
        ("ambiguous-tie", "src"),
        ("alias-does-not-resolve", "src"),
        ("lint-rules", "Home"),
    ] {
        let report = json(&fixture(fixture_name), &["show", note, "--format", "json"]);
        assert_valid("show", &report);
        assert_valid("links", &report["links"]);
    }
}

#[test]
fn graph_and_tag_outputs_match_their_schemas() {
    let vault = sample_vault();
    assert_valid("tags", &json(&vault, &["tags", "--format", "json"]));
    assert_valid("graph", &json(&vault, &["graph", "--format", "json"]));
    assert_valid(
        "graph-stats",
        &json(&vault, &["graph", "stats", "--format", "json"]),
    );
    // Unresolved targets are nodes too.
    assert_valid(
        "graph",
        &json(&fixture("lint-rules"), &["graph", "--format", "json"]),
    );
}

#[test]
fn search_output_matches_its_schema() {
    let vault = sample_vault();
    let args = [
        "search",
        "agile",
        "--format",
        "json",
        "--fields",
        "status,created,nothing",
    ];
    assert_valid("search", &json(&vault, &args));
    assert_valid(
        "search",
        &json(&vault, &["search", "tag:#process", "--format", "json"]),
    );
}

#[test]
fn lint_outputs_match_their_schemas() {
    assert_valid(
        "lint",
        &json(&sample_vault(), &["lint", "--format", "json"]),
    );
    let fixture = crate::util::fixture_copy("lint-rules");
    assert_valid(
        "lint",
        &json_any_code(fixture.path(), &["lint", "--format", "json"]),
    );
    let baseline = fixture.path().join("baseline.json");
    vaultkit(
        fixture.path(),
        &[
            "lint",
            "--write-baseline",
            baseline.to_str().expect("UTF-8"),
        ],
    )
    .assert()
    .success();
    let written = std::fs::read_to_string(&baseline).expect("the baseline is written");
    assert_valid("baseline", &serde_json::from_str(&written).expect("JSON"));
}

#[test]
fn outlines_match_their_schema() {
    assert_valid(
        "outline",
        &json(&sample_vault(), &["outline", COURSE, "--format", "json"]),
    );
    // Cycles and gaps.
    assert_valid(
        "outline",
        &json(
            &fixture("outline-cycle"),
            &["outline", "Root", "--format", "json"],
        ),
    );
    assert_valid(
        "outline",
        &json(
            &fixture("outline-headings"),
            &["outline", "Course", "--format", "json"],
        ),
    );
}

#[test]
fn base_and_query_outputs_match_their_schema() {
    let bases = fixture("bases");
    // Groups with their keys, summaries, a block of a note, a list layout.
    for args in [
        ["base", "Bases/group.base", "--format", "json"],
        ["base", "Bases/summaries.base", "--format", "json"],
        ["base", "Bases/list.base", "--format", "json"],
        ["base", "Index.md", "--format", "json"],
    ] {
        assert_valid("base", &json(&bases, &args));
    }
    let query = [
        "query",
        "file.inFolder(\"Topics/Process\")",
        "--fields",
        "status,created,file.tags,file.links",
        "--format",
        "json",
    ];
    assert_valid("base", &json(&sample_vault(), &query));
}

#[test]
fn the_schemas_have_teeth() {
    let mut report = json(&sample_vault(), &["graph", "stats", "--format", "json"]);
    report["unexpected"] = 1.into();
    let validator = jsonschema::validator_for(&strict(schema("graph-stats"))).expect("compiles");
    assert!(
        !validator.is_valid(&report),
        "an undocumented field is refused"
    );
    let published = jsonschema::validator_for(&schema("graph-stats")).expect("compiles");
    assert!(published.is_valid(&report), "consumers accept added fields");
    report["notes"] = "many".into();
    assert!(!published.is_valid(&report), "a wrong type is refused");
}

#[test]
fn every_schema_is_listed_in_the_json_page() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let page = std::fs::read_to_string(folder.join("json.md")).expect("docs/json.md");
    for entry in std::fs::read_dir(folder.join("schemas")).expect("docs/schemas") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            page.contains(&format!("(schemas/{name})")),
            "docs/json.md links {name}"
        );
        let schema = schema(name.trim_end_matches(".schema.json"));
        jsonschema::meta::validate(&schema).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn a_refactoring_plan_matches_its_schema() {
    let vault = sample_vault();
    let plan = json_any_code(
        &vault,
        &[
            "props",
            "set",
            "status",
            "active",
            "--where",
            "[status:draft]",
            "--dry-run",
            "--format",
            "json",
        ],
    );
    assert!(!plan["edits"].as_array().expect("edits").is_empty());
    assert_valid("plan", &plan);
}
