//! `vaultkit outline`: selection, structure, order, gaps, cycles, formats,
//! and keeping an outline in the vault (`--write`, `--check`).

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{fixture, json, sample_vault, vaultkit, written_as};

/// `(module title, [lesson titles])` of the top-level modules.
fn modules(outline: &Value) -> Vec<(String, Vec<String>)> {
    outline["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .map(|m| (text(&m["title"]), titles(&m["lessons"])))
        .collect()
}

fn titles(lessons: &Value) -> Vec<String> {
    lessons
        .as_array()
        .expect("a list")
        .iter()
        .map(|l| text(&l["title"]))
        .collect()
}

fn text(value: &Value) -> String {
    value.as_str().expect("a string").to_owned()
}

fn outline_json(vault: &str, args: &[&str]) -> Value {
    let mut all = vec!["outline", "--format", "json"];
    all.extend_from_slice(args);
    json(&fixture(vault), &all)
}

fn stdout(vault: &Path, args: &[&str]) -> String {
    let output = vaultkit(vault, args).output().expect("runs");
    assert!(
        output.status.success(),
        "vaultkit {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// A copy of a fixture vault in a temporary folder, for tests that write.
fn scratch(name: &str) -> (tempfile::TempDir, PathBuf) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("list") {
            let entry = entry.expect("entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("type").is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("copy");
            }
        }
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let vault = dir.path().join("vault");
    copy(&fixture(name), &vault);
    (dir, vault)
}

#[test]
fn a_structured_root_gives_its_headings_as_modules_with_lessons_under_them() {
    let outline = outline_json("outline-headings", &["Course"]);
    assert_eq!(outline["title"], "Course");
    assert_eq!(outline["root"], "Course.md");
    assert_eq!(outline["description"], "Learn to bake bread at home.");
    assert_eq!(
        modules(&outline),
        [
            // Linked under the heading, or `up: "[[Course#Basics]]"`; `order` first.
            (
                "Basics".into(),
                vec!["Water".into(), "Flour".into(), "Salt".into()]
            ),
            ("Dough".into(), vec![]),
            // Scoring has no heading of its own but its `up` parent is here.
            ("Baking".into(), vec!["Oven".into(), "Scoring".into()]),
        ]
    );
    let dough = &outline["modules"][1]["modules"];
    let subs: Vec<(String, Vec<String>, bool)> = dough
        .as_array()
        .expect("sub-modules")
        .iter()
        .map(|m| {
            (
                text(&m["title"]),
                titles(&m["lessons"]),
                m["to_write"].as_bool().expect("bool"),
            )
        })
        .collect();
    assert_eq!(
        subs,
        [
            ("Kneading".into(), vec!["Kneading".into()], false),
            ("Proofing".into(), vec!["Proofing".into()], false),
            ("Shaping".into(), vec![], true),
        ]
    );
    let kneading = &dough[0]["lessons"][0];
    assert_eq!(kneading["path"], "Lessons/Kneading.md");
    assert_eq!(kneading["status"], "draft");
    assert_eq!(
        kneading["sections"],
        serde_json::json!(["By hand", "By machine"])
    );
    assert_eq!(
        kneading["prerequisites"],
        serde_json::json!([
            {"title": "Flour", "path": "Lessons/Flour.md"},
            {"title": "Water", "path": "Lessons/Water.md"}
        ])
    );
    assert_eq!(outline["lessons"], 7);
    assert_eq!(outline["attachments"], serde_json::json!(["temps.csv"]));
}

#[test]
fn first_paragraphs_are_kept_by_note_content() {
    let (_dir, vault) = scratch("outline-headings");
    vaultkit(&vault, &["index"]).assert().success();
    let flour = |vault: &Path| -> String {
        let outline: Value =
            serde_json::from_str(&stdout(vault, &["outline", "Course", "--format", "json"]))
                .expect("JSON");
        let basics = &outline["modules"][0]["lessons"];
        let flour = basics
            .as_array()
            .expect("lessons")
            .iter()
            .find(|lesson| lesson["title"] == "Flour")
            .expect("Flour");
        text(&flour["description"])
    };
    assert_eq!(
        flour(&vault),
        "Flour is milled grain. Strong flour has more protein."
    );
    let kept = vault.join(".vaultkit/leads.bin");
    let written = || written_as(&kept).expect("kept");
    let at = written();
    assert_eq!(
        flour(&vault),
        "Flour is milled grain. Strong flour has more protein."
    );
    assert_eq!(written(), at, "nothing new to keep");

    let note = vault.join("Lessons/Flour.md");
    let old = std::fs::read_to_string(&note).expect("read");
    std::fs::write(
        &note,
        old.replace("Flour is milled grain.", "Flour is ground grain."),
    )
    .expect("edit");
    assert_eq!(
        flour(&vault),
        "Flour is ground grain. Strong flour has more protein."
    );
    std::fs::write(&note, &old).expect("restore");
    assert_eq!(
        flour(&vault),
        "Flour is milled grain. Strong flour has more protein."
    );
}

#[test]
fn empty_headings_empty_notes_and_missing_lessons_are_gaps() {
    let outline = outline_json("outline-headings", &["Course"]);
    assert_eq!(
        outline["gaps"],
        serde_json::json!([
            {"kind": "empty-heading", "title": "Shaping", "path": "Course.md", "line": 20},
            {"kind": "empty-note", "title": "Oven", "path": "Lessons/Oven.md", "line": 1},
            {"kind": "unresolved", "title": "Missing Lesson", "path": "Course.md", "line": 24}
        ])
    );
}

#[test]
fn minutes_follow_the_reading_speed_and_add_up() {
    let outline = outline_json("outline-headings", &["Course", "--wpm", "5"]);
    // Flour: "Flour" + 9 words of prose + "Types" + 4 words.
    let flour = &outline["modules"][0]["lessons"][1];
    assert_eq!(flour["title"], "Flour");
    let words = flour["words"].as_u64().expect("words");
    assert_eq!(flour["minutes"].as_u64(), Some(words.div_ceil(5)));
    let module_sum: u64 = outline["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .map(|m| m["minutes"].as_u64().expect("minutes"))
        .sum();
    assert_eq!(outline["minutes"].as_u64(), Some(module_sum));
    let basics: u64 = outline["modules"][0]["lessons"]
        .as_array()
        .expect("lessons")
        .iter()
        .map(|l| l["minutes"].as_u64().expect("minutes"))
        .sum();
    assert_eq!(outline["modules"][0]["minutes"].as_u64(), Some(basics));
}

#[test]
fn prerequisites_come_first_and_ties_go_to_order_then_foundations_then_title() {
    let outline = outline_json("outline-order", &["Root"]);
    // D has `order: 1`; B is needed by A and C; A, C, E tie and go by title.
    assert_eq!(
        modules(&outline),
        [(
            "topic".into(),
            vec!["D".into(), "B".into(), "A".into(), "C".into(), "E".into()]
        )]
    );
    assert_eq!(outline["cycles"], serde_json::json!([]));
}

#[test]
fn a_graph_only_root_groups_lessons_by_parent_tag_folder_and_links() {
    let outline = outline_json("outline-graph", &["Cooking"]);
    let kinds: Vec<(String, String)> = outline["modules"]
        .as_array()
        .expect("modules")
        .iter()
        .map(|m| (text(&m["title"]), text(&m["kind"])))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Sauces".into(), "up".into()),
            ("Around Salt".into(), "community".into()),
            ("baking".into(), "tag".into()),
            ("Tools".into(), "folder".into()),
            ("Other notes".into(), "other".into()),
        ]
    );
    assert_eq!(
        modules(&outline)[0].1,
        ["Sauces", "Bechamel", "Hollandaise"]
    );
}

#[test]
fn a_prerequisite_cycle_is_reported_with_its_path_and_broken_at_its_first_note() {
    let outline = outline_json("outline-cycle", &["Root"]);
    let path: Vec<String> = outline["cycles"][0]["path"]
        .as_array()
        .expect("path")
        .iter()
        .map(|n| text(&n["title"]))
        .collect();
    assert_eq!(path, ["A", "B", "C", "A"]);
    assert_eq!(
        outline["cycles"][0]["ignored"],
        serde_json::json!({"before": "C.md", "after": "A.md"})
    );
    assert_eq!(outline["cycles"].as_array().map(Vec::len), Some(1));
    assert_eq!(modules(&outline)[0].1, ["A", "B", "C"]);
}

#[test]
fn known_notes_and_what_they_require_are_left_out() {
    let outline = outline_json("outline-order", &["Root", "--known", "A"]);
    assert_eq!(modules(&outline)[0].1, ["D", "C", "E"]);
    let known: Vec<String> = outline["known"]
        .as_array()
        .expect("known")
        .iter()
        .map(|n| text(&n["title"]))
        .collect();
    assert_eq!(known, ["B", "A"]);
    let md = stdout(
        &fixture("outline-order"),
        &["outline", "Root", "--known", "A"],
    );
    assert!(md.contains("  - Needs: [[B]] (known)\n"), "{md}");

    let by_tag = outline_json(
        "outline-headings",
        &["Course", "--known-tag", "nothing-has-it"],
    );
    assert_eq!(by_tag["known"], serde_json::json!([]));
}

#[test]
fn depth_limits_how_far_the_selection_goes() {
    let lessons = |depth: &str| {
        let outline = outline_json("outline-depth", &["Root", "--depth", depth]);
        modules(&outline)
            .into_iter()
            .flat_map(|(_, lessons)| lessons)
            .collect::<Vec<_>>()
    };
    assert_eq!(lessons("1"), ["One"]);
    assert_eq!(lessons("2"), ["One", "Two"]);
    assert_eq!(lessons("3"), ["One", "Three", "Two"]);
    assert_eq!(lessons("0"), Vec::<String>::new());
}

#[test]
fn follow_chooses_the_edge_kinds() {
    // `down` includes the notes whose `up` names the course: Salt and Proofing.
    let outline = outline_json("outline-headings", &["Course", "--follow", "down"]);
    assert_eq!(outline["lessons"], 2);
    let outline = outline_json("outline-headings", &["Course", "--follow", "up,related"]);
    assert_eq!(outline["lessons"], 0);
    let output = vaultkit(
        &fixture("outline-headings"),
        &["outline", "Course", "--follow", "sideways"],
    )
    .output()
    .expect("runs");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_tag_selects_the_notes_instead_of_a_root() {
    let outline = outline_json("outline-graph", &["--tag", "baking"]);
    assert_eq!(outline["title"], "Notes tagged baking");
    assert_eq!(outline["root"], Value::Null);
    assert_eq!(
        modules(&outline),
        [("baking".into(), vec!["Bread".into(), "Cake".into()])]
    );
}

#[test]
fn the_same_vault_gives_byte_identical_output() {
    for format in ["md", "json", "opml", "mermaid"] {
        let args = ["outline", "Course", "--format", format];
        let first = stdout(&fixture("outline-headings"), &args);
        assert_eq!(
            first,
            stdout(&fixture("outline-headings"), &args),
            "{format}"
        );
    }
}

#[test]
fn opml_is_well_formed_xml_with_modules_and_lessons() {
    let opml = stdout(
        &fixture("outline-headings"),
        &["outline", "Course", "--format", "opml"],
    );
    let mut reader = quick_xml::Reader::from_str(&opml);
    let mut depth = 0usize;
    let mut outlines = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                depth += 1;
                if e.name().as_ref() == b"outline" {
                    outlines.push(attribute(&e, "text"));
                }
            }
            quick_xml::events::Event::Empty(e) if e.name().as_ref() == b"outline" => {
                outlines.push(attribute(&e, "text"));
            }
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    assert_eq!(outlines[0], "1. Basics (3 min)");
    assert_eq!(outlines[1], "Water (1 min)");
    assert!(outlines.contains(&"Gaps to write".to_owned()));
}

fn attribute(element: &quick_xml::events::BytesStart<'_>, name: &str) -> String {
    element
        .try_get_attribute(name)
        .expect("attributes parse")
        .expect("attribute present")
        .unescape_value()
        .expect("unescapes")
        .into_owned()
}

#[test]
fn mermaid_is_a_flowchart_with_balanced_subgraphs_and_known_nodes() {
    let mermaid = stdout(
        &fixture("outline-headings"),
        &["outline", "Course", "--format", "mermaid"],
    );
    let mut lines = mermaid.lines();
    assert_eq!(lines.next(), Some("flowchart TD"));
    let mut open = 0i32;
    let mut nodes = std::collections::HashSet::new();
    let mut edges = Vec::new();
    for line in lines {
        let line = line.trim();
        if line.starts_with("subgraph ") {
            open += 1;
            assert!(line.ends_with("\"]"), "{line}");
        } else if line == "end" {
            open -= 1;
            assert!(open >= 0);
        } else if let Some((from, to)) = line.split_once(" --> ") {
            edges.push((from.to_owned(), to.to_owned()));
        } else {
            let (id, label) = line.split_once('[').expect("a node");
            assert!(label.starts_with('"') && label.ends_with("\"]"), "{line}");
            assert!(!label[1..label.len() - 2].contains('"'), "{line}");
            nodes.insert(id.to_owned());
        }
    }
    assert_eq!(open, 0);
    // Kneading needs Flour and Water.
    assert_eq!(edges.len(), 2);
    for (from, to) in edges {
        assert!(nodes.contains(&from) && nodes.contains(&to));
    }
}

#[test]
fn the_markdown_outline_written_into_the_vault_lints_without_broken_links() {
    let (_dir, vault) = scratch("outline-headings");
    let status = vaultkit(
        &vault,
        &["outline", "Course", "--write", "Course outline.md"],
    )
    .output()
    .expect("runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let output = vaultkit(&vault, &["lint", "--format", "json", "Course outline.md"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let rules: Vec<String> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| text(&d["rule"]))
        .collect();
    assert!(
        rules
            .iter()
            .all(|r| !r.starts_with("broken") && r != "unresolved-link"),
        "{rules:?}"
    );
    assert_eq!(report["summary"]["errors"], 0);
    let written = std::fs::read_to_string(vault.join("Course outline.md")).expect("written");
    assert!(written.starts_with("---\ntype: course-outline\ngenerated_from: \"[[Course]]\"\n"));
    assert!(written.contains("- [[Kneading]] · 1 min · draft"));
}

#[test]
fn writing_twice_changes_nothing_and_text_outside_the_markers_survives() {
    let (_dir, vault) = scratch("outline-headings");
    let note = vault.join("Plan.md");
    std::fs::write(
        &note,
        "---\ntags: [plan]\n---\nWritten by hand.\n\n<!-- vaultkit:outline:start -->\nstale\n<!-- vaultkit:outline:end -->\n\nAlso by hand.\n",
    )
    .expect("write");
    let write = || {
        let output = vaultkit(&vault, &["outline", "Course", "--write", "Plan.md"])
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::read_to_string(&note).expect("read")
    };
    let once = write();
    assert!(
        once.starts_with("---\ntags: [plan]\ntype: course-outline\n"),
        "{once}"
    );
    assert!(once.contains("---\nWritten by hand.\n\n<!-- vaultkit:outline:start -->\n# Course\n"));
    assert!(
        once.ends_with("<!-- vaultkit:outline:end -->\n\nAlso by hand.\n"),
        "{once}"
    );
    assert!(!once.contains("stale"));
    let modified = written_as(&note).expect("written");
    assert_eq!(write(), once);
    assert_eq!(written_as(&note).expect("written"), modified);
}

#[test]
fn check_passes_when_current_and_fails_with_a_diff_when_stale() {
    let (_dir, vault) = scratch("outline-headings");
    let check = || {
        vaultkit(&vault, &["outline", "Course", "--check", "Plan.md"])
            .output()
            .expect("runs")
    };
    let missing = check();
    assert_eq!(missing.status.code(), Some(1));
    vaultkit(&vault, &["outline", "Course", "--write", "Plan.md"])
        .assert()
        .success();
    let current = check();
    assert_eq!(current.status.code(), Some(0));
    assert!(current.stdout.is_empty());
    // A new lesson under "Shaping" makes the outline stale.
    std::fs::write(
        vault.join("Lessons/Shaping.md"),
        "---\nup: \"[[Course#Shaping]]\"\n---\nRound or long.\n",
    )
    .expect("write");
    let stale = check();
    assert_eq!(stale.status.code(), Some(1));
    let diff = String::from_utf8(stale.stdout).expect("UTF-8");
    assert!(diff.starts_with("--- a/Plan.md\n+++ b/Plan.md\n"), "{diff}");
    assert!(
        diff.contains("\n+- [[Shaping]] · 1 min — Round or long.\n"),
        "{diff}"
    );
    assert!(diff.contains("\n-*To write.*\n"), "{diff}");
}

#[test]
fn a_path_outside_the_vault_is_refused() {
    let (dir, vault) = scratch("outline-headings");
    let outside = dir.path().join("outside.md");
    for path in [
        "../outside.md",
        outside.to_str().expect("UTF-8"),
        "Course.txt",
    ] {
        let output = vaultkit(&vault, &["outline", "Course", "--write", path])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{path}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("error:"));
    }
    assert!(!outside.exists());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path(), vault.join("escape")).expect("symlink");
        let output = vaultkit(
            &vault,
            &["outline", "Course", "--write", "escape/outside.md"],
        )
        .output()
        .expect("runs");
        assert_eq!(output.status.code(), Some(2));
        assert!(!outside.exists());
    }
}

#[test]
fn the_bundled_vault_gives_the_seed_headings_as_modules() {
    let outline = json(
        &sample_vault(),
        &[
            "outline",
            "Create a course to become a Technical Product Manager",
            "--format",
            "json",
        ],
    );
    assert_eq!(outline["title"], "Becoming a Technical Product Manager");
    let titles: Vec<String> = modules(&outline).into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        titles[..8],
        [
            "What is a Product Manager",
            "Working with Software Engineers",
            "Stakeholders Management as a Technical Product Manager",
            "Understanding and Organizing Data",
            "Development Workflows",
            "Development",
            "Assessing and Estimating Projects, Products, Features",
            "Writing User Stories",
        ]
    );
}

#[test]
fn the_note_written_to_is_never_a_lesson_of_its_own_outline() {
    let (_dir, vault) = scratch("outline-depth");
    let write = || {
        vaultkit(
            &vault,
            &["outline", "Root", "--depth", "3", "--write", "Two.md"],
        )
        .assert()
        .success();
        std::fs::read_to_string(vault.join("Two.md")).expect("read")
    };
    let once = write();
    // Two is the outline now: not a lesson, and Three is only reached through it.
    let (author, generated) = once
        .split_once("<!-- vaultkit:outline:start -->\n")
        .expect("markers");
    assert!(author.starts_with("---\ntype: course-outline\n"));
    assert!(author.ends_with("---\nThen [[Three]].\n\n"), "{author}");
    assert!(generated.contains("- [[One]] · 1 min"), "{generated}");
    assert!(!generated.contains("[[Two]]") && !generated.contains("[[Three]]"));
    assert_eq!(write(), once);
}

#[test]
fn unpaired_markers_are_refused_and_the_note_is_left_alone() {
    let (_dir, vault) = scratch("outline-depth");
    let text = "Mine.\n<!-- vaultkit:outline:end -->\n";
    std::fs::write(vault.join("Plan.md"), text).expect("write");
    let output = vaultkit(&vault, &["outline", "Root", "--write", "Plan.md"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("markers"));
    assert_eq!(
        std::fs::read_to_string(vault.join("Plan.md")).expect("read"),
        text
    );
}

#[test]
fn a_query_selects_the_notes_it_matches_instead_of_a_root() {
    // `Beginner outline.md` matches too, but a generated outline is never a lesson.
    let outline = outline_json(
        "outline-query",
        &["--query", "[level:beginner] -[status:draft]"],
    );
    assert_eq!(
        outline["title"],
        "Notes matching [level:beginner] -[status:draft]"
    );
    assert_eq!(outline["root"], Value::Null);
    assert_eq!(
        modules(&outline),
        [("Basics".into(), vec!["Knife skills".into(), "Stock".into()])]
    );

    let words = outline_json("outline-query", &["--query", "simmer"]);
    assert_eq!(
        modules(&words),
        [
            ("Basics".into(), vec!["Knife skills".into(), "Stock".into()]),
            (
                "Other notes".into(),
                vec!["Broth".into(), "Consomme".into()]
            ),
        ]
    );

    let markdown = stdout(
        &fixture("outline-query"),
        &["outline", "--query", "path:Advanced"],
    );
    assert!(
        markdown.contains("generated_from: \"search: path:Advanced\"\n")
            && markdown.contains("[[Consomme]]"),
        "{markdown}"
    );
}

#[test]
fn a_bad_query_or_a_query_beside_a_root_is_a_usage_error() {
    let bad = vaultkit(&fixture("outline-query"), &["outline", "--query", "(stock"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid query `(stock`"));

    for extra in [&["Kitchen"][..], &["--tag", "x"]] {
        let mut args = vec!["outline", "--query", "stock"];
        args.extend_from_slice(extra);
        let both = vaultkit(&fixture("outline-query"), &args)
            .output()
            .expect("runs");
        assert_eq!(both.status.code(), Some(2), "{extra:?}");
    }
}

#[test]
fn a_lesson_whose_file_name_another_note_shares_is_linked_by_its_path() {
    let outline = stdout(&fixture("outline-names"), &["outline", "Course"]);
    let links: Vec<&str> = outline
        .lines()
        .filter_map(|line| line.strip_prefix("- [[")?.split("]]").next())
        .collect();
    // `a/Setup.md` and `b/setup.md` share a name in Obsidian's eyes (any
    // case): a link by title alone could lead to either, so they are linked
    // by path, shown by title.
    assert_eq!(
        links,
        ["Intro", "a/Setup|Setup", "b/setup|setup"],
        "{outline}"
    );
}
