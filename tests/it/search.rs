//! `search` and `index`: every operator of the query language on the
//! `search` fixture vault, ranking, formats, and the incremental index.

use std::path::Path;

use crate::util::{
    fixture, fixture_copy, indexed_copy, json, resolved_links, vaultkit, written_as,
};

/// The paths `search QUERY` returns, in order.
fn hits(vault: &Path, query: &str) -> Vec<String> {
    let output = vaultkit(
        vault,
        &["search", "--format", "paths", "--limit", "100", "--", query],
    )
    .output()
    .expect("vaultkit runs");
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "search {query:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The same paths, sorted, for operators whose order is not the point.
fn hit_set(vault: &Path, query: &str) -> Vec<String> {
    let mut paths = hits(vault, query);
    paths.sort();
    paths
}

#[test]
fn words_must_all_match_and_match_the_words_they_begin() {
    let vault = fixture("search");
    // `manag` begins management and manager; stemming makes `management` find `Manager` too.
    for query in ["manag", "management"] {
        assert_eq!(
            hit_set(&vault, query),
            ["Alpha.md", "Archive/Gamma.md", "Beta.md", "Delta.md"],
            "{query}"
        );
    }
    assert_eq!(hit_set(&vault, "alpha gamma"), ["Beta.md"]);
    assert_eq!(hit_set(&vault, "zebra"), ["Lonely.md"]);
    assert!(hits(&vault, "zebras-nowhere").is_empty());
    // Punctuation has no words to index: the text answers, as a substring.
    assert_eq!(hit_set(&vault, "++"), ["Lonely.md"]);
    assert_eq!(hit_set(&vault, "\"C++ !!\""), ["Lonely.md"]);
    assert!(hits(&vault, "!!!").is_empty());
}

#[test]
fn phrases_or_negation_and_groups() {
    let vault = fixture("search");
    assert_eq!(
        hit_set(&vault, "\"product manager\""),
        ["Archive/Gamma.md", "Delta.md"]
    );
    assert_eq!(
        hit_set(&vault, "product manager"),
        ["Alpha.md", "Archive/Gamma.md", "Delta.md"]
    );
    // A phrase's words must be next to each other, in order (checked on the text).
    assert_eq!(hit_set(&vault, "\"manager role\""), ["Delta.md"]);
    assert!(hits(&vault, "\"role manager\"").is_empty());
    assert!(hits(&vault, "\"manager product\"").is_empty());
    // Aliases are searched too, phrases included.
    assert_eq!(hit_set(&vault, "\"first steps\""), ["Alpha.md"]);
    assert_eq!(
        hit_set(&vault, "alpha OR zebra"),
        ["Alpha.md", "Beta.md", "Delta.md", "Lonely.md"]
    );
    assert_eq!(hit_set(&vault, "sprint -retro"), Vec::<String>::new());
    assert_eq!(hit_set(&vault, "planning -retro"), ["Delta.md"]);
    assert_eq!(
        hit_set(&vault, "-(alpha OR beta OR gamma OR delta)"),
        ["Lonely.md"]
    );
}

#[test]
fn file_path_and_content_scopes() {
    let vault = fixture("search");
    assert_eq!(hit_set(&vault, "file:gamma"), ["Archive/Gamma.md"]);
    assert_eq!(hit_set(&vault, "path:archive"), ["Archive/Gamma.md"]);
    // Like Obsidian, file: and path: find attachments too.
    assert_eq!(hit_set(&vault, "file:diagram"), ["attachments/diagram.png"]);
    // content: does not look at the file name: Alpha matches through its body heading.
    assert_eq!(
        hit_set(&vault, "content:alpha"),
        ["Alpha.md", "Beta.md", "Delta.md"]
    );
    assert_eq!(hit_set(&vault, "content:first"), Vec::<String>::new());
    assert_eq!(
        hit_set(&vault, "first"),
        ["Alpha.md"],
        "aliases are searched"
    );
}

#[test]
fn tags_include_nested_children() {
    let vault = fixture("search");
    assert_eq!(hit_set(&vault, "tag:#project"), ["Alpha.md", "Beta.md"]);
    assert_eq!(hit_set(&vault, "tag:project/alpha"), ["Alpha.md"]);
    assert_eq!(hit_set(&vault, "tag:#urgent"), ["Beta.md"]);
    assert_eq!(
        hit_set(&vault, "tag:#proj"),
        Vec::<String>::new(),
        "no prefix match on tags"
    );
}

#[test]
fn line_and_section_look_within_one_line_or_section() {
    let vault = fixture("search");
    assert_eq!(hit_set(&vault, "line:(alpha gamma)"), ["Beta.md"]);
    assert_eq!(hit_set(&vault, "line:(old sprint)"), Vec::<String>::new());
    assert_eq!(
        hit_set(&vault, "section:(retro sprint)"),
        ["Alpha.md", "Archive/Gamma.md"]
    );
    assert_eq!(
        hit_set(&vault, "section:(old sprint)"),
        Vec::<String>::new()
    );
    assert_eq!(hit_set(&vault, "old sprint"), ["Archive/Gamma.md"]);
}

#[test]
fn match_case_and_regex_check_the_text() {
    let vault = fixture("search");
    assert_eq!(hit_set(&vault, "match-case:API"), ["Archive/Gamma.md"]);
    assert_eq!(hit_set(&vault, "match-case:Api"), Vec::<String>::new());
    assert_eq!(
        hit_set(&vault, "match-case:(Sprint planning)"),
        ["Alpha.md"]
    );
    // Front matter is not content: Alpha's `created: 2024-01-05` does not match.
    assert_eq!(hit_set(&vault, r"/\d{4}-\d{2}\b/"), ["Delta.md"]);
    assert_eq!(hit_set(&vault, r"path:/^Archive\//"), ["Archive/Gamma.md"]);
}

#[test]
fn properties_exist_match_values_or_are_empty() {
    let vault = fixture("search");
    assert_eq!(
        hit_set(&vault, "[status]"),
        ["Alpha.md", "Archive/Gamma.md", "Beta.md", "Delta.md"]
    );
    assert_eq!(hit_set(&vault, "[Status:active]"), ["Alpha.md", "Delta.md"]);
    assert_eq!(
        hit_set(&vault, "[status:draft OR active]"),
        ["Alpha.md", "Beta.md", "Delta.md"]
    );
    assert_eq!(hit_set(&vault, "[status:null]"), ["Archive/Gamma.md"]);
    assert_eq!(
        hit_set(&vault, "[created] -[status:active]"),
        ["Archive/Gamma.md", "Beta.md"]
    );
}

#[test]
fn graph_filters_resolve_note_names_like_wikilinks() {
    let vault = fixture("search");
    assert_eq!(hit_set(&vault, "links-to:Alpha"), ["Delta.md"]);
    assert_eq!(hit_set(&vault, "links-to:\"diagram.png\""), ["Alpha.md"]);
    assert_eq!(hit_set(&vault, "linked-from:[[Alpha]]"), ["Beta.md"]);
    assert_eq!(
        hit_set(&vault, "orphan:true"),
        ["Archive/Gamma.md", "Lonely.md"]
    );
    assert_eq!(
        hit_set(&vault, "orphan:false"),
        ["Alpha.md", "Beta.md", "Delta.md"]
    );
    vaultkit(&vault, &["search", "links-to:Nowhere"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no note matches `Nowhere`"));
}

#[test]
fn title_and_alias_matches_rank_above_body_matches() {
    let vault = fixture("search");
    assert_eq!(hits(&vault, "alpha")[0], "Alpha.md");
    assert_eq!(hits(&vault, "steps")[0], "Alpha.md");
    let delta_first = hits(&vault, "delta");
    assert_eq!(delta_first, ["Delta.md"]);
}

#[test]
fn sorting_by_title_path_and_created() {
    let vault = fixture("search");
    let sorted = |sort: &str| -> Vec<String> {
        let output = vaultkit(
            &vault,
            &["search", "[status]", "--format", "paths", "--sort", sort],
        )
        .output()
        .expect("runs");
        String::from_utf8(output.stdout)
            .expect("utf-8")
            .lines()
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        sorted("path"),
        ["Alpha.md", "Archive/Gamma.md", "Beta.md", "Delta.md"]
    );
    assert_eq!(
        sorted("title"),
        ["Alpha.md", "Beta.md", "Delta.md", "Archive/Gamma.md"]
    );
    // Newest first; notes without `created` last.
    assert_eq!(
        sorted("created"),
        ["Beta.md", "Alpha.md", "Archive/Gamma.md", "Delta.md"]
    );
}

#[test]
fn an_empty_query_with_only_filters_lists_the_matching_notes() {
    let vault = fixture("search");
    let report = json(
        &vault,
        &[
            "search",
            "tag:#project",
            "--format",
            "json",
            "--sort",
            "path",
        ],
    );
    assert_eq!(report["query"], "tag:#project");
    assert_eq!(report["total"], 2);
    assert_eq!(report["hits"][0]["path"], "Alpha.md");
    assert_eq!(report["hits"][0]["score"], 0.0);
    assert_eq!(report["hits"][0]["line"], serde_json::Value::Null);
}

#[test]
fn json_hits_carry_the_best_line_and_tags() {
    let vault = fixture("search");
    let report = json(&vault, &["search", "handbook", "--format", "json"]);
    assert_eq!(report["total"], 1);
    let hit = &report["hits"][0];
    assert_eq!(hit["path"], "Beta.md");
    assert_eq!(hit["title"], "Beta");
    assert_eq!(hit["line"], 8);
    assert_eq!(hit["snippet"], "Manager handbook. #urgent");
    assert_eq!(hit["tags"], serde_json::json!(["project", "urgent"]));
    assert!(hit["score"].as_f64().expect("score") > 0.0);
}

#[test]
fn pretty_output_shows_path_title_and_numbered_line() {
    let vault = fixture("search");
    vaultkit(&vault, &["search", "zebra"])
        .assert()
        .success()
        .stdout("Lonely.md  Lonely\n1:Nothing links here. A unique zebra word.\n");
}

#[test]
fn table_and_csv_show_properties_like_dataview() {
    let vault = fixture("search");
    vaultkit(&vault, &["search", "[status]", "--sort", "path", "--format", "csv", "--fields", "status,created"])
        .assert()
        .success()
        .stdout(
            "path,title,status,created\nAlpha.md,Alpha,active,2024-01-05\nArchive/Gamma.md,Gamma,,2023-12-01\nBeta.md,Beta,draft,2024-03-01\nDelta.md,Delta,active,\n",
        );
    vaultkit(
        &vault,
        &[
            "search",
            "[status:draft]",
            "--format",
            "table",
            "--fields",
            "status",
        ],
    )
    .assert()
    .success()
    .stdout("path     title  status\nBeta.md  Beta   draft\n");
}

#[test]
fn no_hits_exits_1_and_a_bad_query_exits_2_naming_the_column() {
    let vault = fixture("search");
    vaultkit(&vault, &["search", "nothing-like-this"])
        .assert()
        .code(1)
        .stdout("");
    vaultkit(&vault, &["search", "(alpha beta"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "at column 12: expected `)` to close the group opened at column 1",
        ));
    vaultkit(&vault, &["search", "/[unclosed/"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("invalid regular expression"));
}

/// `index --stats`'s refresh line: (parsed, added, changed, removed).
fn refresh_counts(vault: &Path) -> [u64; 4] {
    let output = vaultkit(vault, &["index", "--stats"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).expect("utf-8");
    let line = text
        .lines()
        .find(|l| l.starts_with("refresh"))
        .expect("refresh line");
    let number = |name: &str| -> u64 {
        let after = line.split(&format!("{name} ")).nth(1).expect(name);
        after
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .expect("n")
            .parse()
            .expect("number")
    };
    ["parsed", "added", "changed", "removed"].map(number)
}

#[test]
fn an_unchanged_refresh_parses_nothing() {
    let vault = fixture_copy("search");
    assert_eq!(refresh_counts(vault.path()), [5, 6, 0, 0]);
    assert_eq!(refresh_counts(vault.path()), [0, 0, 0, 0]);
    // Touching a file without changing it re-parses nothing either.
    let alpha = vault.path().join("Alpha.md");
    let text = std::fs::read(&alpha).expect("read");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&alpha, &text).expect("write");
    assert_eq!(refresh_counts(vault.path())[0], 0);
    assert_eq!(refresh_counts(vault.path()), [0, 0, 0, 0]);
    assert_eq!(hit_set(vault.path(), "alpha").len(), 3);
}

/// `index --stats`'s folder counts: (listed, all).
fn folder_counts(vault: &Path) -> (u64, u64) {
    let output = vaultkit(vault, &["index", "--stats"])
        .output()
        .expect("runs");
    let text = String::from_utf8(output.stdout).expect("utf-8");
    let counts = text
        .split("; listed ")
        .nth(1)
        .and_then(|rest| rest.strip_suffix(" folders\n"))
        .expect("folder counts");
    let (listed, all) = counts.split_once(" of ").expect("n of m");
    (listed.parse().expect("n"), all.parse().expect("m"))
}

/// Sets every folder's time to an hour ago, as if nothing had been added
/// or removed for a while.
fn age_folders(root: &Path) {
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.expect("walk");
        if entry.file_type().is_dir() && !entry.path().ends_with(".vaultkit") {
            std::fs::File::open(entry.path())
                .and_then(|folder| folder.set_modified(past))
                .expect("set the folder's time");
        }
    }
}

#[test]
fn a_refresh_lists_only_the_folders_that_changed() {
    let vault = fixture_copy("search");
    let root = vault.path();
    assert_eq!(
        folder_counts(root),
        (3, 3),
        "the vault, Archive, attachments"
    );
    // Folders changed just now are listed again: their times could still
    // change within the same tick.
    assert_eq!(folder_counts(root), (3, 3));
    age_folders(root);
    assert_eq!(folder_counts(root), (3, 3));
    assert_eq!(folder_counts(root), (0, 3));
    // An edit in place changes no folder, and is still seen.
    std::fs::write(root.join("Archive/Gamma.md"), "Now about okapis.\n").expect("write");
    assert_eq!(hit_set(root, "okapis"), ["Archive/Gamma.md"]);
    assert_eq!(folder_counts(root), (0, 3));
    // A new note changes its folder, which is listed again.
    std::fs::write(root.join("Archive/Okapi.md"), "More okapis.\n").expect("write");
    assert_eq!(
        hit_set(root, "okapis"),
        ["Archive/Gamma.md", "Archive/Okapi.md"]
    );
    // A new folder is listed whole.
    std::fs::create_dir_all(root.join("New/Deeper")).expect("mkdir");
    std::fs::write(root.join("New/Deeper/Third.md"), "Okapis again.\n").expect("write");
    assert_eq!(hit_set(root, "okapis").len(), 3);
    assert_eq!(folder_counts(root).1, 5);
}

#[test]
fn folder_times_can_be_distrusted() {
    let vault = fixture_copy("search");
    let root = vault.path();
    std::fs::write(
        root.join("vaultkit.toml"),
        "[index]\nfolder_times = false\n",
    )
    .expect("write");
    assert_eq!(folder_counts(root), (3, 3));
    age_folders(root);
    assert_eq!(folder_counts(root), (3, 3));
    assert_eq!(folder_counts(root), (3, 3));
}

#[test]
fn edits_additions_deletions_and_renames_show_in_the_next_search() {
    let vault = fixture_copy("search");
    let root = vault.path();
    assert_eq!(hit_set(root, "zebra"), ["Lonely.md"]);

    // Edit.
    std::fs::write(root.join("Lonely.md"), "Now about giraffes.\n").expect("write");
    assert!(hit_set(root, "zebra").is_empty());
    assert_eq!(hit_set(root, "giraffes"), ["Lonely.md"]);
    assert_eq!(refresh_counts(root), [0, 0, 0, 0]);

    // Add a note that links to Lonely: it is no longer an orphan.
    std::fs::write(root.join("New.md"), "A zebra visits [[Lonely]].\n").expect("write");
    assert_eq!(hit_set(root, "zebra"), ["New.md"]);
    assert_eq!(hit_set(root, "links-to:Lonely"), ["New.md"]);
    assert_eq!(hit_set(root, "orphan:true"), ["Archive/Gamma.md"]);

    // Delete.
    std::fs::remove_file(root.join("Beta.md")).expect("remove");
    assert!(hit_set(root, "handbook").is_empty());
    assert_eq!(hit_set(root, "linked-from:Alpha"), Vec::<String>::new());

    // A new note takes the name a link was missing: Alpha's [[Beta]] resolves again.
    std::fs::rename(root.join("New.md"), root.join("Beta.md")).expect("rename");
    assert_eq!(hit_set(root, "linked-from:Alpha"), ["Beta.md"]);
    assert_eq!(hit_set(root, "zebra"), ["Beta.md"]);
    // Counts are of live documents, not of those replaced along the way.
    vaultkit(root, &["index", "--stats"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "notes        5\nother files  1\n",
        ));
}

#[test]
fn kept_link_resolutions_are_used_only_while_the_vault_is_unchanged() {
    let vault = indexed_copy("search");
    let root = vault.path();
    let kept = root.join(".vaultkit/links.bin");
    let alpha = || resolved_links(root, "Alpha");
    let resolved = |target: &str| Some(target.to_owned());
    let first = alpha();
    assert_eq!(
        first,
        [
            ("[[Beta]]".to_owned(), resolved("Beta.md")),
            (
                "![[diagram.png]]".to_owned(),
                resolved("attachments/diagram.png")
            ),
        ]
    );
    let written = written_as(&kept).expect("kept");
    assert_eq!(alpha(), first);
    let taken_back = written_as(&kept).expect("kept");
    assert_eq!(taken_back, written, "an unchanged vault rewrote them");

    // The vault changed: its links are resolved again, even where the kept
    // resolutions would fit (as many notes and links as before).
    let text = std::fs::read_to_string(root.join("Alpha.md")).expect("read");
    std::fs::write(root.join("Alpha.md"), text.replace("[[Beta]]", "[[Delta]]")).expect("edit");
    assert_eq!(alpha()[0], ("[[Delta]]".to_owned(), resolved("Delta.md")));
    std::fs::write(root.join("Alpha.md"), &text).expect("edit");
    assert_eq!(alpha(), first);
    std::fs::rename(root.join("Beta.md"), root.join("Zeta.md")).expect("rename");
    assert_eq!(alpha()[0].1, None);
    std::fs::rename(root.join("Zeta.md"), root.join("Beta.md")).expect("rename");
    assert_eq!(alpha(), first);

    // Damaged: ignored, and written anew.
    std::fs::write(&kept, b"vaultkit-kept 1\ngarbage").expect("damage");
    assert_eq!(alpha(), first);
    assert_eq!(alpha(), first);
    assert!(std::fs::read(&kept).expect("kept").len() > 30);
}

#[test]
fn a_corrupted_index_is_rebuilt_with_a_notice() {
    let vault = fixture_copy("search");
    let root = vault.path();
    assert_eq!(hit_set(root, "zebra"), ["Lonely.md"]);
    let meta = root.join(".vaultkit/index/meta.json");
    std::fs::write(&meta, "{ not json").expect("corrupt");
    vaultkit(root, &["search", "zebra", "--format", "paths"])
        .assert()
        .success()
        .stdout("Lonely.md\n")
        .stderr(predicates::str::contains(
            "note: rebuilding the index: the index could not be opened",
        ));
    // Segment files damaged as well.
    for entry in std::fs::read_dir(root.join(".vaultkit/index")).expect("dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "idx" || e == "store") {
            std::fs::write(&path, b"garbage").expect("damage");
        }
    }
    vaultkit(root, &["search", "zebra", "--format", "paths"])
        .assert()
        .success()
        .stdout("Lonely.md\n");
}

#[test]
fn two_processes_at_once_both_succeed() {
    let vault = fixture_copy("search");
    let root = vault.path();
    let program = vaultkit(root, &[]).get_program().to_owned();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let program = program.clone();
            let root = root.to_owned();
            std::thread::spawn(move || {
                std::process::Command::new(program)
                    .arg("--vault")
                    .arg(root)
                    .args(["search", "zebra", "--format", "paths"])
                    .output()
                    .expect("runs")
            })
        })
        .collect();
    for handle in handles {
        let output = handle.join().expect("thread");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&output.stdout), "Lonely.md\n");
    }
}

#[test]
fn index_dir_keeps_the_index_out_of_the_vault() {
    let vault = fixture_copy("search");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    vaultkit(vault.path(), &["search", "zebra", "--format", "paths"])
        .env("VAULTKIT_INDEX_DIR", elsewhere.path())
        .assert()
        .success()
        .stdout("Lonely.md\n");
    assert!(!vault.path().join(".vaultkit").exists());
    assert!(elsewhere.path().join("index/meta.json").is_file());
    vaultkit(vault.path(), &["--index-dir"])
        .arg(elsewhere.path())
        .args(["index", "--stats"])
        .assert()
        .success()
        .stdout(predicates::str::contains("parsed 0, added 0"));
}

#[test]
fn an_index_dir_shared_by_two_vaults_is_never_taken_for_the_other_vaults() {
    let first = fixture_copy("search");
    let second = fixture_copy("lint-config");
    let shared = tempfile::tempdir().expect("tempdir");
    let lint_paths = |vault: &Path| -> Vec<String> {
        let output = vaultkit(vault, &["--index-dir"])
            .arg(shared.path())
            .args(["lint", "--format", "json"])
            .output()
            .expect("runs");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        let mut paths: Vec<String> = report["diagnostics"]
            .as_array()
            .expect("list")
            .iter()
            .map(|d| d["path"].as_str().expect("path").to_owned())
            .collect();
        paths.dedup();
        paths
    };
    vaultkit(first.path(), &["--index-dir"])
        .arg(shared.path())
        .arg("index")
        .assert()
        .success();
    let first_findings = lint_paths(first.path());
    vaultkit(second.path(), &["--index-dir"])
        .arg(shared.path())
        .args(["search", "lone", "--format", "paths"])
        .assert()
        .success()
        .stdout("a.md\n")
        .stderr(predicates::str::contains(
            "rebuilding the index: the index was made for the vault in another folder",
        ));
    assert_eq!(lint_paths(second.path()), ["a.md"]);
    vaultkit(first.path(), &["--index-dir"])
        .arg(shared.path())
        .arg("index")
        .assert()
        .success();
    assert_eq!(lint_paths(first.path()), first_findings);
}

#[test]
fn other_commands_use_an_index_when_there_is_one_and_never_build_it() {
    let vault = fixture_copy("search");
    vaultkit(vault.path(), &["lint"]).assert().success();
    assert!(
        !vault.path().join(".vaultkit").exists(),
        "lint built an index"
    );
    vaultkit(vault.path(), &["index"]).assert().success();
    std::fs::write(
        vault.path().join("Lonely.md"),
        "Now it links to [[Delta]].\n",
    )
    .expect("write");
    // `show` refreshes the index (one note parsed) and answers from it.
    vaultkit(vault.path(), &["-v", "show", "Lonely", "--format", "json"])
        .assert()
        .success()
        .stdout(predicates::str::contains("\"Delta.md\""))
        .stderr(predicates::str::contains(
            "parsed 1, added 0, changed 1, removed 0",
        ));
}

#[test]
fn task_operators_look_within_tasks_by_status() {
    let vault = fixture("search-tasks");
    let errands = ["Errands.md"];
    let none: [&str; 0] = [];
    assert_eq!(hit_set(&vault, "call"), ["Errands.md", "Journal.md"]);
    // Neither the prose, nor a plain list item, nor a task in a code block.
    assert_eq!(hits(&vault, "task:call"), errands);
    assert_eq!(hits(&vault, "task:nobody"), none);
    assert_eq!(hits(&vault, "task:(ann budget)"), errands);
    assert_eq!(hits(&vault, "task:(ann report)"), none, "two tasks");
    // `[ ]` is to do; `[x]`, `[-]` and any other status are done.
    assert_eq!(hits(&vault, "task-todo:bob"), none);
    assert_eq!(hits(&vault, "task-done:bob"), errands);
    assert_eq!(hits(&vault, "task-done:bank"), errands);
    assert_eq!(hits(&vault, "task-todo:bank"), none);
    // Nested tasks and tasks in a callout are tasks of their own.
    assert_eq!(hits(&vault, "task-todo:(email ann)"), errands);
    assert_eq!(hits(&vault, "task-todo:garden"), errands);
    assert_eq!(hits(&vault, "task-todo:(garden later)"), none);
    assert_eq!(hit_set(&vault, "-task-todo:ann"), ["Journal.md"]);
}

#[test]
fn block_looks_within_one_paragraph_or_list_item() {
    let vault = fixture("search-tasks");
    assert_eq!(hit_set(&vault, "dog cat"), ["Errands.md", "Journal.md"]);
    // One paragraph over two lines is one block; two paragraphs are two.
    assert_eq!(hits(&vault, "block:(dog cat)"), ["Errands.md"]);
    assert_eq!(hits(&vault, "line:(dog cat)"), Vec::<String>::new());
    assert_eq!(hits(&vault, "block:(ann bank)"), ["Journal.md"]);
    assert_eq!(
        hits(&vault, "block:(garden later)"),
        ["Errands.md"],
        "a callout is one block"
    );
}

#[test]
fn a_query_beyond_the_limits_is_refused_before_it_runs() {
    let vault = fixture("search");
    let refused = |query: &str, message: &str| {
        let output = vaultkit(&vault, &["search", "--", query])
            .output()
            .expect("vaultkit runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
        assert!(
            stderr.len() < 300,
            "only the start of the query is quoted: {stderr}"
        );
    };
    // Each of these once overflowed the stack or ran for minutes.
    refused(
        &format!("{}agile", "-".repeat(8800)),
        "at column 2001: the query has 8805 characters, more than the 2000 allowed",
    );
    refused(&"(".repeat(60_000), "more than the 2000 allowed");
    refused(
        &format!("{}agile", "-".repeat(1000)),
        "at column 21: nested more than 20 deep (groups, `-` and operators)",
    );
    refused(
        &format!("{}a", "line:(".repeat(100)),
        "nested more than 20 deep",
    );
    refused(
        &vec!["manag"; 101].join(" OR "),
        "at column 901: more than 100 terms: split the search into smaller ones",
    );
    // At the limits, a query runs.
    assert_eq!(
        hit_set(&vault, &vec!["manag"; 100].join(" ")),
        ["Alpha.md", "Archive/Gamma.md", "Beta.md", "Delta.md"]
    );
    let deep = format!("{}zebra{}", "(".repeat(19), ")".repeat(19));
    assert_eq!(hits(&vault, &deep), ["Lonely.md"]);
}

#[test]
fn an_empty_query_or_phrase_is_a_usage_error_like_no_query_at_all() {
    let vault = fixture("search");
    vaultkit(&vault, &["search", "--"]).assert().code(2);
    for query in ["", "   "] {
        vaultkit(&vault, &["search", "--", query])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains(
                "the query is empty: give a word, a phrase or an operator",
            ));
    }
    vaultkit(&vault, &["search", "alpha \"\""])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "at column 7: empty phrase `\"\"`",
        ));
    // A lone `-` or `#` is punctuation, found as written (`#` in headings).
    assert_eq!(hit_set(&vault, "-"), ["Delta.md"]);
    assert_eq!(
        hit_set(&vault, "#"),
        ["Alpha.md", "Archive/Gamma.md", "Beta.md", "Delta.md"]
    );
}

#[test]
fn a_phrase_of_any_length_is_found_in_order() {
    let vault = fixture("search-long-phrase");
    // 30 words over a line break: once a regex beyond its size limit.
    let phrase = "the team will review every pull request within two working days, and \
                  that nobody merges their own change without a second pair of eyes on it";
    assert_eq!(hits(&vault, &format!("\"{phrase}\"")), ["Minutes.md"]);
    let changed = phrase.replace("second", "third");
    assert!(hits(&vault, &format!("\"{changed}\"")).is_empty());
}

#[test]
fn a_regex_too_large_is_refused_with_what_to_do() {
    let vault = fixture("search-long-phrase");
    vaultkit(&vault, &["search", r"/\w{100}\s/"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "the regular expression /\\w{100}\\s/ is too large once compiled (the limit is 1 MiB): \
             repeat less, or use an ASCII class such as `[a-z0-9_]` or `(?-u:\\w)` in place of `\\w`",
        ));
    // What the message suggests works.
    assert!(hits(&vault, r"/(?-u:\w){100}\s/").is_empty());
    assert_eq!(hits(&vault, r"/(?-u:\w){7}\s+days/"), ["Minutes.md"]);
}

#[test]
fn property_comparisons_are_numeric_between_numbers_and_textual_otherwise() {
    let vault = fixture("search-property-comparisons");
    // 4 < 10 as numbers (as text, "4" sorts after "10"); one item of a list is enough.
    assert_eq!(hit_set(&vault, "[duration:<10]"), ["Menu.md", "Soup.md"]);
    assert_eq!(hit_set(&vault, "[Duration:>5]"), ["Menu.md", "Stew.md"]);
    assert_eq!(hit_set(&vault, "soup [duration:<5]"), ["Soup.md"]);
    assert_eq!(hit_set(&vault, "-[duration:<5]"), ["Plain.md", "Stew.md"]);
    // Dates written YYYY-MM-DD compare as text, which orders them as dates.
    assert_eq!(hit_set(&vault, "[created:<2024]"), ["Soup.md"]);
    assert_eq!(
        hit_set(&vault, "[created:>\"2024-01-31\"]"),
        ["Menu.md", "Stew.md"]
    );
    assert_eq!(hit_set(&vault, "[status:<b]"), ["Soup.md"]);
    vaultkit(&vault, &["search", "[duration:<5 OR >8]"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "expected `]`: a comparison takes one value, e.g. `[duration:<5]`",
        ));
}
