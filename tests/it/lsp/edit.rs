//! `vaultkit lsp` edits: rename and prepareRename, code actions, and the
//! commands, on the fixture vault `tests/fixtures/lsp-edit/` (copied, so
//! that a file written by mistake would be seen). The server writes no
//! note: every change comes back as a workspace edit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{Server, range, uri};
use crate::util::{fixture_copy, vaultkit};

/// A client that applies text edits and file operations in order.
fn full_client() -> Value {
    json!({ "workspace": { "workspaceEdit": {
        "documentChanges": true,
        "resourceOperations": ["create", "rename", "delete"],
    } } })
}

/// Every file of a vault and its bytes, but the index the server keeps
/// (the one thing it writes).
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|entry| entry.file_name() != ".vaultkit")
        .map(|entry| entry.expect("an entry"))
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let bytes = std::fs::read(entry.path()).expect("readable");
            (entry.path().to_owned(), bytes)
        })
        .collect()
}

/// A position in the note at `path` of `root`.
fn at(root: &Path, path: &str, line: u32, character: u32) -> Value {
    json!({
        "textDocument": { "uri": uri(&root.join(path)) },
        "position": { "line": line, "character": character },
    })
}

/// Renames what is at a position to `new_name`: the whole response.
fn rename(
    server: &mut Server,
    root: &Path,
    path: &str,
    line: u32,
    character: u32,
    new_name: &str,
) -> Value {
    let mut params = at(root, path, line, character);
    params["newName"] = json!(new_name);
    server.request("textDocument/rename", params)
}

fn text_edit(from: (u32, u32), to: (u32, u32), new_text: &str) -> Value {
    json!({ "range": range(from, to), "newText": new_text })
}

/// The text edits of one document, as `documentChanges` holds them: of
/// its file (no version).
fn document(root: &Path, path: &str, edits: &[Value]) -> Value {
    json!({ "textDocument": { "uri": uri(&root.join(path)), "version": null }, "edits": edits })
}

/// The text edits of an open document's buffer at `version`.
fn buffer(root: &Path, path: &str, version: i32, edits: &[Value]) -> Value {
    json!({ "textDocument": { "uri": uri(&root.join(path)), "version": version }, "edits": edits })
}

/// A file renamed, as `documentChanges` holds it.
fn renamed(root: &Path, from: &str, to: &str) -> Value {
    json!({ "kind": "rename", "oldUri": uri(&root.join(from)), "newUri": uri(&root.join(to)) })
}

/// A prepareRename answer.
fn prepared(from: (u32, u32), to: (u32, u32), placeholder: &str) -> Value {
    json!({ "range": range(from, to), "placeholder": placeholder })
}

/// A failed response's code and message.
fn failure(response: &Value) -> (i64, &str) {
    let error = &response["error"];
    let code = error["code"].as_i64().expect("an error response");
    (code, error["message"].as_str().expect("a message"))
}

/// The code `RequestFailed`.
const FAILED: i64 = -32803;

#[test]
fn a_rename_from_a_link_renames_the_note_and_rewrites_every_link_to_it() {
    let vault = fixture_copy("lsp-edit");
    let root = vault.path();
    let before = files(root);
    let mut server = Server::start_with(root, full_client());
    // On `[[Rust]]`, and on `[[rust]]` after an emoji (two UTF-16 units).
    for (line, character, from, to) in [(2, 8, (2, 7), (2, 11)), (3, 13, (3, 11), (3, 15))] {
        let answer = server.result(
            "textDocument/prepareRename",
            at(root, "Home.md", line, character),
        );
        assert_eq!(answer, prepared(from, to, "Rust"));
    }
    let response = rename(&mut server, root, "Home.md", 3, 12, "Rustlang");
    let expected = json!({ "documentChanges": [
        document(root, "Home.md", &[
            text_edit((2, 7), (2, 11), "Rustlang"),
            text_edit((2, 20), (2, 31), "Topics/Rustlang"),
            text_edit((2, 58), (2, 62), "Rustlang"),
            text_edit((3, 11), (3, 15), "Rustlang"),
        ]),
        document(root, "Notes/Other.md", &[
            text_edit((0, 6), (0, 17), "Topics/Rustlang"),
            text_edit((0, 25), (0, 42), "../Topics/Rustlang.md"),
            text_edit((0, 61), (0, 65), "Rustlang"),
        ]),
        renamed(root, "Topics/Rust.md", "Topics/Rustlang.md"),
    ] });
    assert_eq!(response["result"], expected, "{response}");
    // The editor applies the edit: the server wrote nothing.
    assert_eq!(files(root), before);
}

/// Changes an open note's buffer (unsaved): `text` replaces the range.
fn change(
    server: &mut Server,
    root: &Path,
    path: &str,
    from: (u32, u32),
    to: (u32, u32),
    text: &str,
) {
    let change = json!({ "range": range(from, to), "text": text });
    server.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri(&root.join(path)), "version": 2 },
            "contentChanges": [change],
        }),
    );
}

#[test]
fn a_rename_from_the_notes_title_heading_moves_it_and_reads_unsaved_buffers() {
    let vault = fixture_copy("lsp-edit");
    let root = vault.path();
    let before = files(root);
    let mut server = Server::start_with(root, full_client());
    server.open(root, "Notes/Other.md");
    change(
        &mut server,
        root,
        "Notes/Other.md",
        (0, 0),
        (0, 0),
        "Also [[Rust]].\n",
    );
    // `# Rust` says the note's title: renaming it renames the note.
    let answer = server.result(
        "textDocument/prepareRename",
        at(root, "Topics/Rust.md", 4, 0),
    );
    assert_eq!(answer, prepared((4, 2), (4, 6), "Rust"));
    let response = rename(&mut server, root, "Topics/Rust.md", 4, 3, "Lang/Oxide");
    let expected = json!({ "documentChanges": [
        document(root, "Home.md", &[
            text_edit((2, 7), (2, 11), "Oxide"),
            text_edit((2, 20), (2, 31), "Lang/Oxide"),
            text_edit((2, 58), (2, 62), "Oxide"),
            text_edit((3, 11), (3, 15), "Oxide"),
        ]),
        // The buffer as the editor has it (version 2), with its new first line.
        buffer(root, "Notes/Other.md", 2, &[
            text_edit((0, 7), (0, 11), "Oxide"),
            text_edit((1, 6), (1, 17), "Lang/Oxide"),
            text_edit((1, 25), (1, 42), "../Lang/Oxide.md"),
            text_edit((1, 61), (1, 65), "Oxide"),
        ]),
        renamed(root, "Topics/Rust.md", "Lang/Oxide.md"),
    ] });
    assert_eq!(response["result"], expected, "{response}");
    assert_eq!(files(root), before);
}

#[test]
fn a_heading_rename_rewrites_the_heading_and_every_link_to_it() {
    let vault = fixture_copy("lsp-edit");
    let root = vault.path();
    let before = files(root);
    let mut server = Server::start_with(root, full_client());
    // On the heading, and on `#Ownership` in `[[Topics/Rust#Ownership|owning]]`.
    let on_heading = at(root, "Topics/Rust.md", 6, 5);
    let answer = server.result("textDocument/prepareRename", on_heading);
    assert_eq!(answer, prepared((6, 3), (6, 12), "Ownership"));
    let answer = server.result("textDocument/prepareRename", at(root, "Home.md", 2, 31));
    assert_eq!(answer, prepared((2, 32), (2, 41), "Ownership"));
    // `[[#Ownership]]` leads into its own note: all of it is the heading.
    let answer = server.result(
        "textDocument/prepareRename",
        at(root, "Topics/Rust.md", 10, 22),
    );
    assert_eq!(answer, prepared((10, 24), (10, 33), "Ownership"));
    let expected = json!({ "documentChanges": [
        document(root, "Home.md", &[text_edit((2, 32), (2, 41), "Borrowing")]),
        document(root, "Notes/Other.md", &[text_edit((0, 43), (0, 52), "Borrowing")]),
        document(root, "Topics/Rust.md", &[
            text_edit((6, 3), (6, 12), "Borrowing"),
            text_edit((10, 24), (10, 33), "Borrowing"),
        ]),
    ] });
    for (path, line, character) in [("Home.md", 2, 35), ("Topics/Rust.md", 6, 5)] {
        let response = rename(&mut server, root, path, line, character, "Borrowing");
        assert_eq!(response["result"], expected, "{response}");
    }
    assert_eq!(files(root), before);
}

#[test]
fn a_block_id_rename_rewrites_the_id_and_every_link_to_it() {
    let vault = fixture_copy("lsp-edit");
    let root = vault.path();
    let before = files(root);
    let mut server = Server::start_with(root, full_client());
    let answer = server.result(
        "textDocument/prepareRename",
        at(root, "Topics/Rust.md", 8, 19),
    );
    assert_eq!(answer, prepared((8, 20), (8, 28), "key-idea"));
    let answer = server.result("textDocument/prepareRename", at(root, "Home.md", 2, 63));
    assert_eq!(answer, prepared((2, 64), (2, 72), "key-idea"));
    let expected = json!({ "documentChanges": [
        document(root, "Home.md", &[text_edit((2, 64), (2, 72), "core")]),
        document(root, "Notes/Other.md", &[text_edit((0, 67), (0, 75), "core")]),
        document(root, "Topics/Rust.md", &[text_edit((8, 20), (8, 28), "core")]),
    ] });
    for (path, line, character) in [("Home.md", 2, 66), ("Topics/Rust.md", 8, 25)] {
        let response = rename(&mut server, root, path, line, character, "^core");
        assert_eq!(response["result"], expected, "{response}");
    }
    assert_eq!(files(root), before);
}

#[test]
fn what_cannot_be_renamed_is_refused_with_the_reason() {
    let vault = fixture_copy("lsp-edit");
    let root = vault.path();
    let mut server = Server::start_with(root, full_client());
    let plain = server.request("textDocument/prepareRename", at(root, "Home.md", 2, 1));
    assert_eq!(
        failure(&plain),
        (
            FAILED,
            "nothing to rename here: put the cursor on a link, a heading or a block id"
        )
    );
    let broken = server.request("textDocument/prepareRename", at(root, "Home.md", 4, 3));
    assert_eq!(
        failure(&broken),
        (
            FAILED,
            "`[[Nowhere]]` leads nowhere: there is nothing to rename"
        )
    );
    let bad_id = rename(&mut server, root, "Topics/Rust.md", 8, 25, "two words");
    assert_eq!(
        failure(&bad_id),
        (
            FAILED,
            "Topics/Rust.md: a block id is made of letters, digits and `-` only"
        )
    );
    // `#Rust` would lead to the first heading, not to the one renamed.
    let captured = rename(&mut server, root, "Topics/Rust.md", 6, 5, "Rust");
    let why = "it would no longer lead to the heading `Rust` (another heading has its words)";
    let expected = format!(
        "renaming would change where links lead: \
         Home.md:3:19: [[Topics/Rust#Ownership|owning]]: {why}; \
         Notes/Other.md:1:22: [x](../Topics/Rust.md#Ownership): {why}; \
         Topics/Rust.md:11:22: [[#Ownership]]: {why}"
    );
    assert_eq!(failure(&captured), (FAILED, expected.as_str()));
    let taken = rename(&mut server, root, "Home.md", 2, 8, "/Home");
    assert_eq!(
        failure(&taken),
        (
            FAILED,
            "Home.md: a file or folder of the vault is already there"
        )
    );
}

#[test]
fn a_client_without_file_operations_gets_text_edits_or_a_refusal() {
    let vault = fixture_copy("lsp-edit");
    let root = vault.path();
    let mut server = Server::start_with(root, json!({}));
    let note = server.request("textDocument/prepareRename", at(root, "Home.md", 2, 8));
    let reason = "the editor cannot rename files in a workspace edit (it lacks \
                  workspace.workspaceEdit.documentChanges with the `rename` resource operation)";
    assert_eq!(failure(&note), (FAILED, reason));
    assert_eq!(
        failure(&rename(&mut server, root, "Home.md", 2, 8, "New")),
        (FAILED, reason)
    );
    // A heading's rename changes only text: it comes as edits by URI.
    let response = rename(&mut server, root, "Topics/Rust.md", 8, 25, "core");
    let expected = json!({ "changes": {
        uri(&root.join("Home.md")): [text_edit((2, 64), (2, 72), "core")],
        uri(&root.join("Notes/Other.md")): [text_edit((0, 67), (0, 75), "core")],
        uri(&root.join("Topics/Rust.md")): [text_edit((8, 20), (8, 28), "core")],
    } });
    assert_eq!(response["result"], expected, "{response}");
}

/// The code actions for a range of a note, each without its diagnostics,
/// which are returned beside: (their codes and ranges, the action).
fn code_actions(
    server: &mut Server,
    root: &Path,
    path: &str,
    from: (u32, u32),
    to: (u32, u32),
) -> Vec<(Vec<(String, Value)>, Value)> {
    let params = json!({
        "textDocument": { "uri": uri(&root.join(path)) },
        "range": range(from, to),
        "context": { "diagnostics": [] },
    });
    let result = server.result("textDocument/codeAction", params);
    (result.as_array().expect("a list").iter())
        .map(|action| {
            let mut action = action.clone();
            let diagnostics = action["diagnostics"].take();
            action
                .as_object_mut()
                .expect("an object")
                .remove("diagnostics");
            let found = (diagnostics.as_array().expect("diagnostics").iter())
                .map(|d| {
                    (
                        d["code"].as_str().expect("a code").to_owned(),
                        d["range"].clone(),
                    )
                })
                .collect();
            (found, action)
        })
        .collect()
}

/// A quick fix editing one document.
fn quick_fix(title: &str, document_change: Value) -> Value {
    json!({
        "title": title,
        "kind": "quickfix",
        "edit": { "documentChanges": [document_change] },
        "isPreferred": true,
    })
}

/// "Create note" at `path`.
fn create_note(root: &Path, path: &str) -> Value {
    json!({
        "title": format!("Create note `{path}`"),
        "kind": "quickfix",
        "edit": { "documentChanges": [{
            "kind": "create",
            "uri": uri(&root.join(path)),
            "options": { "overwrite": false, "ignoreIfExists": true },
        }] },
    })
}

fn finding(code: &str, from: (u32, u32), to: (u32, u32)) -> Vec<(String, Value)> {
    vec![(code.to_owned(), range(from, to))]
}

#[test]
fn code_actions_are_the_lint_fixes_and_notes_to_create() {
    let vault = fixture_copy("lsp-edit");
    let root = vault.path();
    let before = files(root);
    let mut server = Server::start_with(root, full_client());
    // The line `😀 emoji [[rust]] here 🎉 [[Ideas]]`, counted in UTF-16 units.
    assert_eq!(
        code_actions(&mut server, root, "Home.md", (3, 0), (3, 35)),
        [
            (
                finding("case-mismatch", (3, 9), (3, 17)),
                quick_fix(
                    "Replace `rust` with `Rust` (case-mismatch)",
                    document(root, "Home.md", &[text_edit((3, 11), (3, 15), "Rust")]),
                ),
            ),
            (
                finding("broken-link", (3, 26), (3, 35)),
                create_note(root, "Ideas.md")
            ),
        ]
    );
    // The cursor on `[[Crab]]`, an alias of `Rust`; then on a link with a folder.
    assert_eq!(
        code_actions(&mut server, root, "Home.md", (4, 40), (4, 40)),
        [
            (
                finding("broken-link", (4, 38), (4, 46)),
                quick_fix(
                    "Replace `[[Crab]]` with `[[Rust|Crab]]` (broken-link)",
                    document(
                        root,
                        "Home.md",
                        &[text_edit((4, 38), (4, 46), "[[Rust|Crab]]")]
                    ),
                ),
            ),
            (
                finding("broken-link", (4, 38), (4, 46)),
                create_note(root, "Crab.md")
            ),
        ]
    );
    assert_eq!(
        code_actions(&mut server, root, "Home.md", (4, 20), (4, 20)),
        [(
            finding("broken-link", (4, 16), (4, 33)),
            create_note(root, "Plans/Roadmap.md")
        )]
    );
    // `tags: lang, systems` becomes a list, as `lint --fix` writes it.
    assert_eq!(
        code_actions(&mut server, root, "Topics/Rust.md", (2, 3), (2, 3)),
        [(
            finding("invalid-tag", (2, 0), (2, 4)),
            quick_fix(
                "Fix `invalid-tag` as `vaultkit lint --fix` does",
                document(
                    root,
                    "Topics/Rust.md",
                    &[text_edit((2, 0), (2, 19), "tags:\n  - lang\n  - systems")]
                ),
            ),
        )]
    );
    // Nothing is asked of other kinds, nor found in plain text.
    let refactors = json!({
        "textDocument": { "uri": uri(&root.join("Home.md")) },
        "range": range((3, 0), (3, 35)),
        "context": { "diagnostics": [], "only": ["refactor"] },
    });
    assert_eq!(
        server.result("textDocument/codeAction", refactors),
        json!([])
    );
    assert_eq!(
        code_actions(&mut server, root, "Home.md", (2, 0), (2, 4)),
        []
    );
    assert_eq!(files(root), before);
}

#[test]
fn a_fix_applies_to_the_unsaved_buffer() {
    let vault = fixture_copy("lsp-edit");
    let root = vault.path();
    let mut server = Server::start_with(root, full_client());
    server.open(root, "Home.md");
    change(&mut server, root, "Home.md", (3, 0), (3, 0), "🎉🎉 ");
    assert_eq!(
        code_actions(&mut server, root, "Home.md", (3, 16), (3, 16)),
        [(
            finding("case-mismatch", (3, 14), (3, 22)),
            quick_fix(
                "Replace `rust` with `Rust` (case-mismatch)",
                buffer(root, "Home.md", 2, &[text_edit((3, 16), (3, 20), "Rust")]),
            ),
        )]
    );
}

#[test]
fn the_commands_print_what_outline_and_search_print() {
    let vault = fixture_copy("lsp-edit");
    let root = vault.path();
    let mut server = Server::spawn(&[]);
    let folder = json!([{ "uri": uri(root), "name": "vault" }]);
    let initialized = server.result(
        "initialize",
        json!({ "processId": null, "capabilities": {}, "workspaceFolders": folder }),
    );
    assert_eq!(
        initialized["capabilities"]["executeCommandProvider"]["commands"],
        json!(["vaultkit.outline", "vaultkit.search"])
    );
    server.notify("initialized", json!({}));
    let command = |name: &str, arguments: Value| json!({ "command": name, "arguments": arguments });
    let home = uri(&root.join("Home.md"));
    let outline = server.result(
        "workspace/executeCommand",
        command("vaultkit.outline", json!([home])),
    );
    let printed = vaultkit(root, &["outline", "Home"])
        .output()
        .expect("outline runs");
    assert!(printed.status.success());
    assert_eq!(
        outline,
        json!(String::from_utf8(printed.stdout).expect("UTF-8"))
    );
    assert!(
        outline
            .as_str()
            .expect("Markdown")
            .contains("\n- [[Rust]] · 1 min — Moves are checked. ^key-idea\n"),
        "{outline}"
    );
    server.indexed();
    let hits = server.result(
        "workspace/executeCommand",
        command("vaultkit.search", json!(["ownership"])),
    );
    let printed = vaultkit(root, &["-q", "search", "ownership", "--format", "json"])
        .output()
        .expect("search runs");
    assert_eq!(
        hits,
        serde_json::from_slice::<Value>(&printed.stdout).expect("JSON")
    );
    let paths: Vec<&str> = (hits["hits"].as_array().expect("hits").iter())
        .map(|hit| hit["path"].as_str().expect("a path"))
        .collect();
    assert_eq!(paths, ["Topics/Rust.md", "Notes/Other.md", "Home.md"]);
    // An unsaved buffer is the note's text: its first paragraph leads the outline.
    server.open(root, "Home.md");
    change(&mut server, root, "Home.md", (2, 0), (2, 4), "Skim");
    let outline = server.result(
        "workspace/executeCommand",
        command("vaultkit.outline", json!([home])),
    );
    assert!(
        outline
            .as_str()
            .expect("Markdown")
            .contains("\nSkim Rust and owning then Rust."),
        "{outline}"
    );
    // A note only in a buffer, which Home's `[[Nowhere]]` now reaches, is a lesson.
    let text = "# Nowhere\n\nA place found at last.\n";
    let document = json!({ "uri": uri(&root.join("Nowhere.md")), "languageId": "markdown", "version": 1, "text": text });
    server.notify("textDocument/didOpen", json!({ "textDocument": document }));
    let outline = server.result(
        "workspace/executeCommand",
        command("vaultkit.outline", json!([home])),
    );
    assert!(
        (outline.as_str().expect("Markdown"))
            .contains("[[Nowhere]] · 1 min — A place found at last."),
        "{outline}"
    );
    let unknown = server.request(
        "workspace/executeCommand",
        command("vaultkit.nothing", json!([])),
    );
    assert_eq!(
        failure(&unknown),
        (
            FAILED,
            "unknown command `vaultkit.nothing`; the commands are vaultkit.outline, vaultkit.search"
        )
    );
    let bad = server.request(
        "workspace/executeCommand",
        command("vaultkit.search", json!(["(unclosed"])),
    );
    assert_eq!(failure(&bad).0, FAILED);
}
