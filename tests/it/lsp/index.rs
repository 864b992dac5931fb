//! `vaultkit lsp` keeps the vault's index under `.vaultkit/` up to date for
//! the next `vaultkit` command, off its main loop. "Warm" is what
//! `vaultkit -v` reports of its own refresh: nothing read, added or changed.

use std::fs::File;
use std::path::Path;

use serde_json::{Value, json};

use super::{Server, uri, watching_client};
use crate::util::{fixture_copy, vaultkit};

/// What `vaultkit -v search QUERY` prints (stdout, stderr); it must succeed.
fn search(root: &Path, query: &str) -> (String, String) {
    let output = vaultkit(root, &["-v", "search", query])
        .output()
        .expect("vaultkit runs");
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    );
    assert!(output.status.success(), "search {query}: {out}{err}");
    (out, err)
}

/// Whether the command found the index as the vault is: its refresh read
/// nothing.
fn found_warm(stderr: &str) -> bool {
    stderr.contains("parsed 0, added 0, changed 0, removed 0")
}

#[test]
fn the_server_builds_the_index_that_the_next_command_finds_warm() {
    let copy = fixture_copy("lsp");
    let root = copy.path();
    assert!(!root.join(".vaultkit").exists());
    let mut server = Server::start(root);
    let report = server.indexed();
    assert!(report.contains("6 notes, 1 other files"), "{report}");
    let (out, err) = search(root, "cycles");
    assert!(out.contains("Topics/Agile.md"), "{out}");
    assert!(found_warm(&err), "{err}");
}

#[test]
fn a_note_edited_on_disk_is_indexed_by_the_server_for_the_next_command() {
    let copy = fixture_copy("lsp");
    let root = copy.path();
    let mut server = Server::start(root);
    server.indexed();
    let note = root.join("Topics/Agile.md");
    let text = std::fs::read_to_string(&note).expect("the note");
    std::fs::write(&note, text.replace("short cycles", "short zeppelin cycles")).expect("written");
    let report = server.indexed();
    assert!(report.contains("1 files read"), "{report}");
    let (out, err) = search(root, "zeppelin");
    assert!(out.contains("Topics/Agile.md"), "{out}");
    assert!(found_warm(&err), "{err}");
}

#[test]
fn changes_the_editor_reports_are_indexed_too() {
    let copy = fixture_copy("lsp");
    let root = copy.path();
    let mut server = Server::start_with(root, watching_client());
    server.indexed();
    let note = root.join("Review.md");
    std::fs::write(&note, "# Review\n\nA zeppelin.\n").expect("written");
    let change = json!({ "uri": uri(&note), "type": 1 });
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [change] }),
    );
    server.indexed();
    let (out, err) = search(root, "zeppelin");
    assert!(out.contains("Review.md"), "{out}");
    assert!(found_warm(&err), "{err}");
}

/// The symbols' names and paths.
fn names(found: &Value) -> Vec<(String, String)> {
    (found.as_array().expect("a list").iter())
        .map(|s| {
            let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
            (text(&s["name"]), text(&s["containerName"]))
        })
        .collect()
}

#[test]
fn the_server_answers_while_the_index_is_built_and_searches_names_meanwhile() {
    let copy = fixture_copy("lsp");
    let root = copy.path();
    // Another process holds the index's write lock: the server's first
    // build waits for it in the background.
    std::fs::create_dir_all(root.join(".vaultkit")).expect("mkdir");
    let lock = File::create(root.join(".vaultkit/write.lock")).expect("the lock file");
    lock.lock().expect("the write lock");
    let mut server = Server::start(root);
    let definition = server.result(
        "textDocument/definition",
        json!({
            "textDocument": { "uri": uri(&root.join("Home.md")) },
            "position": { "line": 6, "character": 12 },
        }),
    );
    assert_eq!(definition["uri"], uri(&root.join("Topics/Git.md")));
    // A search finds names by its words meanwhile, and the editor is told why.
    let found = server.result("workspace/symbol", json!({ "query": "file:agile" }));
    let agile = |name: &str| (name.to_owned(), "Topics/Agile.md".to_owned());
    assert_eq!(names(&found), [agile("Agile"), agile("Agile 🏃 敏捷")]);
    let told = server.notification("window/showMessage");
    let said = told["message"].as_str().unwrap_or_default();
    assert!(
        said.contains("search index") && said.contains("being built"),
        "{said}"
    );
    let command = json!({ "command": "vaultkit.search", "arguments": ["cycles"] });
    let refused = server.request("workspace/executeCommand", command.clone());
    let message = refused["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("being built"), "{refused}");
    drop(lock);
    server.indexed();
    let ready = server.notification("window/showMessage");
    assert!(
        ready["message"]
            .as_str()
            .unwrap_or_default()
            .contains("ready"),
        "{ready}"
    );
    let found = server.result("workspace/symbol", json!({ "query": "tag:dev" }));
    assert_eq!(
        names(&found),
        [("Git".to_owned(), "Topics/Git.md".to_owned())]
    );
    let hits = server.result("workspace/executeCommand", command);
    assert_eq!(hits["hits"][0]["path"], "Topics/Agile.md");
}

#[test]
fn a_server_starts_from_the_index_with_the_files_changed_since_read_again() {
    let copy = fixture_copy("lsp");
    let root = copy.path();
    vaultkit(root, &["index"]).assert().success();
    // Changed after the index was written: a new link to Git.
    let agile = root.join("Topics/Agile.md");
    let text = std::fs::read_to_string(&agile).expect("the note");
    std::fs::write(&agile, format!("{text}\nSee [[Git]].\n")).expect("written");
    let mut server = Server::start(root);
    let references = server.result(
        "textDocument/references",
        json!({
            "textDocument": { "uri": uri(&root.join("Topics/Git.md")) },
            "position": { "line": 0, "character": 0 },
            "context": { "includeDeclaration": true },
        }),
    );
    let from_agile = (references.as_array().expect("a list").iter())
        .filter(|at| at["uri"] == uri(&agile))
        .count();
    assert_eq!(from_agile, 1, "{references}");
    drop(server);
    // With the index current and its write lock held by another process,
    // the indexer waits: a search answers at once from the index the
    // server started from.
    let lock = File::create(root.join(".vaultkit/write.lock")).expect("the lock file");
    lock.lock().expect("the write lock");
    let mut server = Server::start(root);
    let command = json!({ "command": "vaultkit.search", "arguments": ["cycles"] });
    let hits = server.result("workspace/executeCommand", command);
    assert_eq!(hits["hits"][0]["path"], "Topics/Agile.md", "{hits}");
}
