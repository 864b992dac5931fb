//! `vaultkit base` and `vaultkit query` on the `bases` fixture vault: every
//! base in `Bases/` (one per function family and per view feature) against
//! its exact expected JSON in `bases-expected/`, every base in `Invalid/`
//! against its error with line and column.

use serde_json::Value;

use crate::util::{fixture, vaultkit};

fn expected(name: &str) -> std::path::PathBuf {
    fixture("bases-expected").join(name)
}

/// Each `Bases/X.base` against `bases-expected/X.json`: an object of view
/// name to the JSON of that view.
#[test]
fn every_base_gives_its_expected_json() {
    let vault = fixture("bases");
    let mut bases: Vec<_> = std::fs::read_dir(vault.join("Bases"))
        .expect("Bases/")
        .map(|e| e.expect("entry").file_name().into_string().expect("UTF-8"))
        .collect();
    bases.sort();
    assert!(bases.len() >= 18, "{bases:?}");
    for base in bases {
        let stem = base.trim_end_matches(".base");
        let text = std::fs::read_to_string(expected(&format!("{stem}.json")))
            .unwrap_or_else(|e| panic!("{stem}.json: {e}"));
        let views: serde_json::Map<String, Value> = serde_json::from_str(&text).expect("JSON");
        for (view, want) in views {
            let output = vaultkit(
                &vault,
                &[
                    "base",
                    &format!("Bases/{base}"),
                    "--view",
                    &view,
                    "--format",
                    "json",
                ],
            )
            .output()
            .expect("runs");
            assert_eq!(
                output.status.code(),
                Some(0),
                "{base} {view}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let got: Value = serde_json::from_slice(&output.stdout).expect("JSON");
            assert_eq!(got, want, "{base}, view {view}");
        }
    }
}

/// Each file in `Invalid/` fails with exit 2 and the error in `bases-expected/X.err`.
#[test]
fn invalid_bases_name_line_and_column() {
    let vault = fixture("bases");
    let mut count = 0;
    for entry in std::fs::read_dir(vault.join("Invalid")).expect("Invalid/") {
        let name = entry
            .expect("entry")
            .file_name()
            .into_string()
            .expect("UTF-8");
        let stem = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(stem, _)| stem);
        let want = std::fs::read_to_string(expected(&format!("{stem}.err"))).expect(".err");
        vaultkit(&vault, &["base", &format!("Invalid/{name}")])
            .assert()
            .code(2)
            .stdout("")
            .stderr(want);
        count += 1;
    }
    assert_eq!(count, 6);
}

#[test]
fn a_block_in_a_note_is_chosen_by_number_and_sees_its_note_as_this() {
    let vault = fixture("bases");
    vaultkit(&vault, &["base", "Index.md", "--format", "paths"])
        .assert()
        .success()
        .stdout("Lessons/Agile.md\n");
    vaultkit(
        &vault,
        &["base", "Index.md", "--block", "2", "--format", "paths"],
    )
    .assert()
    .success()
    .stdout("Index.md\n");
    vaultkit(&vault, &["base", "Index.md", "--block", "3"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "has 2 ```base block(s); there is no block 3",
        ));
}

#[test]
fn markdown_csv_and_table_render_the_same_rows() {
    let vault = fixture("bases");
    vaultkit(&vault, &["base", "Bases/group.base", "--format", "md"])
        .assert()
        .success()
        .stdout("### draft\n\n| file name | level |\n| --- | --- |\n| Scrum.md | 3 |\n| Git basics.md | 1 |\n\n### done\n\n| file name | level |\n| --- | --- |\n| Agile.md | 2 |\n");
    vaultkit(&vault, &["base", "Bases/link.base", "--format", "md"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "| Agile.md | [[Ada]] | [[Ada]], [[Nobody]] | [[Ada]] | author |",
        ));
    vaultkit(&vault, &["base", "Bases/views.base", "--format", "csv"])
        .assert()
        .success()
        .stdout("Lesson,Status\nGit basics.md,draft\nScrum.md,draft\n");
    vaultkit(
        &vault,
        &["base", "Bases/summaries.base", "--format", "table"],
    )
    .assert()
    .success()
    .stdout(predicates::str::contains("note.price: 14.5\n"));
}

#[test]
fn an_unknown_view_is_an_error_and_an_empty_view_exits_1() {
    let vault = fixture("bases");
    vaultkit(&vault, &["base", "Bases/views.base", "--view", "Nope"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no view named `Nope`; the views are: Drafts, Cards",
        ));
    vaultkit(
        &vault,
        &["query", "status == \"archived\"", "--format", "paths"],
    )
    .assert()
    .code(1)
    .stdout("");
}

#[test]
fn a_query_refuses_formulas_but_not_properties_no_note_has() {
    let vault = fixture("bases");
    for args in [
        &["query", "status", "--fields", "file.name, formula.age"][..],
        &["query", "status", "--fields", "formula.age + 1"],
        &["query", "status", "--sort", "formula[\"age\"]:desc"],
        &["query", "formula.age > 1"],
    ] {
        vaultkit(&vault, args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains("unknown formula `age` in `"))
            .stderr(predicates::str::contains(
                "a query has no formulas (a .base file defines them under `formulas`)",
            ));
    }
    // A property is open-ended: one that no note has is an empty column.
    vaultkit(
        &vault,
        &["query", "status", "--fields", "nosuch", "--format", "csv"],
    )
    .assert()
    .success()
    .stderr("")
    .stdout(predicates::str::starts_with("nosuch\n\"\"\n"));
}

#[test]
fn query_filters_with_fields_and_sort() {
    let vault = fixture("bases");
    let got = crate::util::json(
        &vault,
        &[
            "query",
            "file.hasTag(\"lesson\") && created < date(\"2024-02-01\")",
            "--fields",
            "status, if(price, price * 2, \"none\")",
            "--sort",
            "created:desc",
            "--format",
            "json",
        ],
    );
    let rows: Vec<(&str, &Value)> = got["groups"][0]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            (
                r["path"].as_str().expect("path"),
                &r["values"]["if(price, price * 2, \"none\")"],
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("Lessons/Git basics.md", &Value::from(9)),
            ("Lessons/Scrum.md", &Value::from("none"))
        ]
    );
    assert_eq!(got["columns"][0]["id"], "note.status");
    vaultkit(&vault, &["query", "status ==\n  (1"])
        .assert()
        .code(2)
        .stderr("error: invalid expression: 2:5: expected `)` to close the parenthesis, found the end of the expression\n");
}
