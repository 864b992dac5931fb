//! `mv`: every kind of move keeps every link leading where it led (the
//! link → target map after the move is the map before with the moved paths
//! substituted, anchors included), breaks or makes ambiguous no link, and
//! changes no byte outside the rewritten links.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{copy_folder, fixture_copy, json, skip, vaultkit};

/// Every file of a vault (its index aside) and its bytes.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".vaultkit" && e.file_name() != ".git")
    {
        let entry = entry.expect("entry");
        if entry.file_type().is_file() {
            let path = entry.path().strip_prefix(root).expect("inside");
            let path = path.to_string_lossy().replace('\\', "/");
            out.insert(path, std::fs::read(entry.path()).expect("read"));
        }
    }
    out
}

/// A path after the moves (`from` a file or a folder).
fn moved_path(path: &str, moves: &[(&str, &str)]) -> String {
    for (from, to) in moves {
        if path == *from {
            return (*to).to_owned();
        }
        if let Some(rest) = path.strip_prefix(&format!("{from}/")) {
            return format!("{to}/{rest}");
        }
    }
    path.to_owned()
}

/// Every link of the vault, by note, line and order: where it leads and
/// whether its heading or block is found (`show --format json` of each note).
type LinkMap = BTreeMap<(String, u32, usize), (Option<String>, Option<String>)>;

fn link_map(root: &Path) -> LinkMap {
    let mut map = BTreeMap::new();
    for path in files(root).keys().filter(|p| p.ends_with(".md")) {
        let report = json(root, &["-q", "show", path, "--format", "json"]);
        for (i, link) in report["links"]
            .as_array()
            .expect("links")
            .iter()
            .enumerate()
        {
            let text = |key: &str| link[key].as_str().map(str::to_owned);
            let line = u32::try_from(link["line"].as_u64().expect("line")).expect("small");
            map.insert((path.clone(), line, i), (text("resolved"), text("anchor")));
        }
    }
    map
}

fn substituted(map: LinkMap, moves: &[(&str, &str)]) -> LinkMap {
    map.into_iter()
        .map(|((path, line, i), (target, anchor))| {
            let target = target.map(|t| moved_path(&t, moves));
            ((moved_path(&path, moves), line, i), (target, anchor))
        })
        .collect()
}

/// The counts of links that lead nowhere, to several files, or to a missing heading.
fn problems(root: &Path) -> (Value, Value, Value) {
    let stats = json(root, &["-q", "graph", "stats", "--format", "json"]);
    (
        stats["unresolved_links"].clone(),
        stats["ambiguous_links"].clone(),
        stats["broken_anchors"].clone(),
    )
}

/// `before` with the plan's edits made: each `old` replaced by `new` at its
/// line and column (a byte-order mark kept).
fn edited(before: &[u8], path: &str, plan: &Value) -> Vec<u8> {
    let mut edits: Vec<&Value> = (plan["edits"].as_array().expect("edits").iter())
        .filter(|e| e["path"] == path)
        .collect();
    if edits.is_empty() {
        return before.to_vec();
    }
    let (bom, text) = match before.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (&before[..3], rest),
        None => (&before[..0], before),
    };
    let mut text = String::from_utf8(text.to_vec()).expect("utf-8");
    edits.reverse();
    for edit in edits {
        let line = edit["line"].as_u64().expect("line") as usize;
        let column = edit["column"].as_u64().expect("column") as usize;
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        let at = line_start
            + text[line_start..]
                .chars()
                .take(column - 1)
                .map(char::len_utf8)
                .sum::<usize>();
        let (old, new) = (
            edit["old"].as_str().expect("old"),
            edit["new"].as_str().expect("new"),
        );
        assert!(text[at..].starts_with(old), "{path}:{line}:{column}: {old}");
        text.replace_range(at..at + old.len(), new);
    }
    [bom, text.as_bytes()].concat()
}

/// Runs `mv ARGS` on a copy of the `mv` fixture and checks what every move
/// must keep; returns the copy.
fn moves_keeping_links(args: &[&str], moves: &[(&str, &str)]) -> tempfile::TempDir {
    let vault = fixture_copy("mv");
    let root = vault.path();
    let (links, problems_before, bytes) = (link_map(root), problems(root), files(root));
    let mut dry_run = vec!["mv"];
    dry_run.extend(args);
    dry_run.extend(["--dry-run", "--format", "json"]);
    let plan = json(root, &dry_run);
    assert_eq!(files(root), bytes, "a dry run writes nothing");
    let mut apply = vec!["mv"];
    apply.extend(args);
    vaultkit(root, &apply).assert().success();
    assert_eq!(link_map(root), substituted(links, moves));
    assert_eq!(problems(root), problems_before);
    let after = files(root);
    let expected: BTreeMap<String, Vec<u8>> = (bytes.iter())
        .map(|(path, before)| (moved_path(path, moves), edited(before, path, &plan)))
        .collect();
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &expected {
        assert_eq!(
            String::from_utf8_lossy(&after[path]),
            String::from_utf8_lossy(bytes),
            "{path}: only the planned edits"
        );
    }
    vault
}

fn text(root: &Path, path: &str) -> String {
    String::from_utf8(std::fs::read(root.join(path)).expect("read")).expect("utf-8")
}

#[test]
fn a_note_moved_to_another_folder() {
    let vault = moves_keeping_links(
        &["Projects/Launch/Roadmap.md", "Archive"],
        &[("Projects/Launch/Roadmap.md", "Archive/Roadmap.md")],
    );
    let plan = text(vault.path(), "Projects/Launch/Plan.md");
    assert!(plan.contains("[[../../Archive/Roadmap]]"), "{plan}");
}

#[test]
fn a_rename_to_a_name_another_note_has() {
    let vault = moves_keeping_links(
        &["Roadmap", "Projects/Launch/Meeting"],
        &[("Projects/Launch/Roadmap.md", "Projects/Launch/Meeting.md")],
    );
    let root = vault.path();
    assert!(text(root, "Home.md").contains("[[Launch/Meeting|road]]"));
    assert!(text(root, "Projects/Launch/Plan.md").contains("[[Meeting#Goals]]"));
    // The moved note's own `[[Meeting]]` would now lead to itself.
    assert!(text(root, "Projects/Launch/Meeting.md").contains("See [[Archive/Meeting]]."));
}

#[test]
fn a_folder_renamed() {
    let vault = moves_keeping_links(&["Projects", "Work"], &[("Projects", "Work")]);
    let root = vault.path();
    assert!(text(root, "Home.md").contains("[[Work/Launch/Plan]]"));
    assert!(text(root, "Work/Launch/Roadmap.md").contains("'[[Work/Launch/Plan#Risks]]'"));
    // CRLF kept, the Markdown link's encoding too.
    assert!(
        text(root, "Work/Budget.md").contains("[Plan](Work/Launch/Plan.md#Setup%20steps).\r\n")
    );
}

#[test]
fn an_attachment_moved() {
    let vault = moves_keeping_links(
        &["assets/diagram.png", "media/diagram v2.png"],
        &[("assets/diagram.png", "media/diagram v2.png")],
    );
    let roadmap = text(vault.path(), "Projects/Launch/Roadmap.md");
    assert!(
        roadmap.contains("![[diagram v2.png|300]] and ![chart](media/diagram%20v2.png)"),
        "{roadmap}"
    );
}

#[test]
fn a_move_that_would_capture_links_meant_for_another_note() {
    let vault = moves_keeping_links(
        &["Drafts/deep/Meeting.md", "Inbox/"],
        &[("Drafts/deep/Meeting.md", "Inbox/Meeting.md")],
    );
    assert_eq!(
        text(vault.path(), "Inbox/today.md"),
        "# Today\n\nMet, see [[Archive/Meeting]]; drafts in [[Meeting]].\n"
    );
}

#[test]
fn a_heading_renamed() {
    let vault = fixture_copy("mv");
    let root = vault.path();
    let links = link_map(root);
    vaultkit(root, &["mv", "Guide#Setup steps", "Getting started"])
        .assert()
        .success();
    assert_eq!(link_map(root), links);
    assert_eq!(
        text(root, "Guide.md"),
        "# Guide\n\n## Getting started\n\nDo this first. ^first\n\n## Later\n\nSee [[#Getting started]] and [[Guide#Later]].\n"
    );
    let home = text(root, "Home.md");
    assert!(home.contains("- [[Guide#Getting started]]\n- [[Guide#Getting started|how]]"));
    assert!(home.starts_with('\u{feff}'), "the byte-order mark is kept");
}

#[test]
fn a_block_id_renamed() {
    let vault = fixture_copy("mv");
    let root = vault.path();
    std::fs::write(
        root.join("Inbox/steps.md"),
        "[[Guide#^first|the first step]]\n",
    )
    .expect("a note");
    let links = link_map(root);
    vaultkit(root, &["mv", "Guide#^first", "step-1"])
        .assert()
        .success();
    assert_eq!(link_map(root), links);
    assert_eq!(
        text(root, "Guide.md"),
        "# Guide\n\n## Setup steps\n\nDo this first. ^step-1\n\n## Later\n\nSee [[#Setup steps]] and [[Guide#Later]].\n"
    );
    assert_eq!(
        text(root, "Inbox/steps.md"),
        "[[Guide#^step-1|the first step]]\n"
    );
}

#[test]
fn several_sources_go_into_a_folder() {
    moves_keeping_links(
        &["Guide", "Inbox/today.md", "Archive"],
        &[
            ("Guide.md", "Archive/Guide.md"),
            ("Inbox/today.md", "Archive/today.md"),
        ],
    );
}

#[test]
fn a_taken_destination_or_a_path_outside_is_refused_untouched() {
    let vault = fixture_copy("mv");
    let root = vault.path();
    let before = files(root);
    for args in [
        ["mv", "Guide", "Home.md"],
        ["mv", "Guide", "../Guide.md"],
        ["mv", "Nowhere", "x.md"],
        ["mv", "Guide", "Projects/Budget.md"],
    ] {
        let output = vaultkit(root, &args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(!output.stderr.is_empty());
    }
    assert_eq!(files(root), before);
}

#[test]
fn a_link_that_would_lead_elsewhere_is_refused_by_name() {
    let vault = fixture_copy("mv");
    let root = vault.path();
    let before = files(root);
    // `## Later` renamed `Setup steps`: `[[Guide#Later]]` would read
    // `[[Guide#Setup steps]]`, which leads to the first heading of that name.
    let output = vaultkit(root, &["mv", "Guide#Later", "Setup steps"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Guide.md:9:"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(files(root), before);
}

#[test]
fn the_index_follows_the_move() {
    let vault = fixture_copy("mv");
    let root = vault.path();
    vaultkit(root, &["index"]).assert().success();
    let backlinks = |note: &str| json(root, &["backlinks", note, "--format", "json"]);
    assert!(backlinks("Guide").to_string().contains("Home.md"));
    vaultkit(root, &["mv", "Guide", "Docs/Handbook"])
        .assert()
        .success();
    let show = json(root, &["show", "Handbook", "--format", "json"]);
    assert_eq!(show["path"], "Docs/Handbook.md");
    assert!(backlinks("Handbook").to_string().contains("Home.md"));
    let search = vaultkit(root, &["search", "first", "--format", "paths"])
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&search.stdout),
        "Docs/Handbook.md\n"
    );
}

#[test]
fn git_moves_with_git_mv() {
    let vault = fixture_copy("mv");
    let root = vault.path();
    let git = |args: &[&str]| {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["-c", "user.name=t", "-c", "user.email=t@t"])
            .args(args)
            .output();
        match output {
            Ok(output) if output.status.success() => {
                Some(String::from_utf8_lossy(&output.stdout).into_owned())
            }
            _ => None,
        }
    };
    if git(&["init", "-q"]).is_none() {
        skip("git is not available");
        return;
    }
    git(&["add", "."]).expect("add");
    git(&["commit", "-qm", "fixture"]).expect("commit");
    vaultkit(root, &["mv", "Guide", "Docs/Guide.md", "--git"])
        .assert()
        .success();
    let status = git(&["status", "--porcelain"]).expect("status");
    assert!(status.contains("R  Guide.md -> Docs/Guide.md"), "{status}");
}

#[test]
fn git_outside_a_work_tree_is_refused() {
    let vault = fixture_copy("mv");
    let outside_git = std::process::Command::new("git")
        .arg("-C")
        .arg(vault.path())
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| !o.status.success());
    if !outside_git {
        skip("git is absent, or the temporary folder is inside a work tree");
        return;
    }
    let before = files(vault.path());
    vaultkit(vault.path(), &["mv", "Guide", "Docs/Guide.md", "--git"])
        .assert()
        .code(2);
    assert_eq!(files(vault.path()), before);
}

/// Every link of a vault as `graph --format json` lists them: (source,
/// line, kind, origin, target), sorted.
fn edges(
    root: &Path,
    index: &Path,
    moves: &[(&str, &str)],
) -> Vec<(String, Value, Value, Value, String)> {
    let output = vaultkit(root, &["-q", "graph", "--format", "json"])
        .env("VAULTKIT_INDEX_DIR", index)
        .output()
        .expect("runs");
    let graph: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let mut edges: Vec<_> = (graph["edges"].as_array().expect("edges").iter())
        .map(|e| {
            let path = |key: &str| moved_path(e[key].as_str().expect("path"), moves);
            (
                path("source"),
                e["line"].clone(),
                e["kind"].clone(),
                e["origin"].clone(),
                path("target"),
            )
        })
        .collect();
    edges.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    edges
}

#[test]
fn a_shared_corpus_note_moved_keeps_every_link() {
    let corpus =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/obsidian-help/en");
    if !corpus.is_dir() {
        skip(&format!("corpus {} is absent", corpus.display()));
        return;
    }
    let copy = tempfile::tempdir().expect("tempdir");
    let root = copy.path().join("en");
    copy_folder(&corpus, &root);
    let index = tempfile::tempdir().expect("tempdir");
    // The note most linked to, moved and renamed.
    let before = edges(&root, index.path(), &[]);
    let mut incoming: BTreeMap<&str, usize> = BTreeMap::new();
    for edge in &before {
        if edge.4.ends_with(".md") && edge.0 != edge.4 {
            *incoming.entry(edge.4.as_str()).or_default() += 1;
        }
    }
    let (note, _) = incoming
        .iter()
        .max_by_key(|(_, n)| **n)
        .expect("a linked note");
    let note = (*note).to_owned();
    // Renamed, so that every link to it is rewritten.
    let name = note.rsplit('/').next().expect("name");
    let dest = format!("Moved/{} (moved).md", name.trim_end_matches(".md"));
    let problems_before = problems(&root);
    let output = vaultkit(&root, &["mv", &note, &dest])
        .env("VAULTKIT_INDEX_DIR", index.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("rewrote 0 notes"), "{note}: {stderr}");
    let moves = [(note.as_str(), dest.as_str())];
    let mut expected = before.clone();
    for edge in &mut expected {
        edge.0 = moved_path(&edge.0, &moves);
        edge.4 = moved_path(&edge.4, &moves);
    }
    expected.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    assert_eq!(edges(&root, index.path(), &[]), expected);
    assert_eq!(problems(&root), problems_before);
}
