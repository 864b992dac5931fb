//! `vaultkit lsp`: the views of a note (document links, folding ranges,
//! code lenses), pulled diagnostics, workspace symbols found by search,
//! configuration reloads, and the robustness of the session.

use std::path::Path;

use serde_json::{Value, json};

use super::{
    Server, at, diagnostics, edit, home_findings, location, range, uri, vault, watched,
    watching_client,
};
use crate::util::fixture_copy;

/// `{ "textDocument": { "uri": … } }` for a note of the fixture vault.
fn document(path: &str) -> Value {
    json!({ "textDocument": { "uri": uri(&vault().join(path)) } })
}

fn link(from: (u32, u32), to: (u32, u32), target: &str, fragment: &str) -> Value {
    json!({
        "range": range(from, to),
        "target": format!("{}{fragment}", uri(&vault().join(target))),
        "tooltip": target,
    })
}

#[test]
fn document_links_lead_to_targets_and_anchor_lines() {
    let mut server = Server::start(&vault());
    let links = server.result("textDocument/documentLink", document("Home.md"));
    // Front matter first, then the body; `[[Nowhere]]` resolves to nothing
    // and has no link; `[[Twin]]` leads where Obsidian's rules pick.
    assert_eq!(
        links,
        json!([
            link((2, 10), (2, 17), "Topics/Git.md", ""),
            link((6, 11), (6, 18), "Topics/Git.md", ""),
            link((6, 25), (6, 41), "Topics/Git.md", "#L10"),
            link((6, 46), (6, 60), "Topics/Git.md", "#L8"),
            link((7, 4), (7, 30), "Topics/Git.md", ""),
            link((7, 35), (7, 51), "attachments/diagram.png", ""),
            link((8, 24), (8, 32), "A/Twin.md", ""),
            link((9, 11), (9, 20), "Topics/Agile.md", ""),
        ])
    );
    let none = server.result("textDocument/documentLink", document("A/Twin.md"));
    assert_eq!(none, json!([]));
}

fn fold(from: u32, to: u32, kind: Option<&str>) -> Value {
    let mut fold = json!({ "startLine": from, "endLine": to });
    if let Some(kind) = kind {
        fold["kind"] = json!(kind);
    }
    fold
}

#[test]
fn folding_ranges_are_front_matter_sections_and_code_fences() {
    let mut server = Server::start(&vault());
    let git = server.result("textDocument/foldingRange", document("Topics/Git.md"));
    assert_eq!(
        git,
        json!([
            fold(0, 4, Some("region")),
            fold(5, 11, None),
            fold(9, 11, None)
        ])
    );
    // A note being written: the buffer's sections and fences, a section
    // ending before the blank lines ahead of the next peer.
    let text = "# Plan\n\n## Steps\n```sh\nmake\n```\n\n\n# Done\nyes\n";
    let item = json!({ "uri": uri(&vault().join("Plan.md")), "languageId": "markdown", "version": 1, "text": text });
    server.notify("textDocument/didOpen", json!({ "textDocument": item }));
    let plan = server.result("textDocument/foldingRange", document("Plan.md"));
    assert_eq!(
        plan,
        json!([
            fold(0, 5, None),
            fold(2, 5, None),
            fold(3, 5, None),
            fold(8, 9, None)
        ])
    );
}

fn lens(from: (u32, u32), to: (u32, u32), title: &str) -> Value {
    json!({ "range": range(from, to), "command": { "title": title, "command": "" } })
}

#[test]
fn code_lenses_count_backlinks_and_links_to_each_heading() {
    let mut server = Server::start(&vault());
    let git = server.result("textDocument/codeLens", document("Topics/Git.md"));
    // The same counts as references on the same spots.
    assert_eq!(
        git,
        json!([
            lens((0, 0), (0, 0), "5 backlinks"),
            lens((9, 0), (9, 11), "1 link to this heading"),
        ])
    );
    let home = server.result("textDocument/codeLens", document("Home.md"));
    assert_eq!(home, json!([lens((0, 0), (0, 0), "1 backlink")]));
    let twin = server.result("textDocument/codeLens", document("B/Twin.md"));
    assert_eq!(twin, json!([lens((0, 0), (0, 0), "0 backlinks")]));
}

/// The related information of Home.md's ambiguous `[[Twin]]`.
fn twin_candidates() -> Value {
    json!([
        { "location": location("A/Twin.md", (0, 0), (0, 0)), "message": "candidate `A/Twin.md`, the one Obsidian picks" },
        { "location": location("B/Twin.md", (0, 0), (0, 0)), "message": "candidate `B/Twin.md`" },
    ])
}

#[test]
fn an_ambiguous_link_names_every_candidate_as_related_information() {
    let mut server = Server::start(&vault());
    server.open(&vault(), "Home.md");
    let published = server.diagnostics_of(&vault().join("Home.md"));
    let found = published["diagnostics"].as_array().expect("a list");
    let related: Vec<(&Value, &Value)> = (found.iter())
        .map(|d| (&d["code"], &d["relatedInformation"]))
        .collect();
    assert_eq!(
        related,
        [
            (&json!("broken-link"), &Value::Null),
            (&json!("ambiguous-link"), &twin_candidates())
        ]
    );
}

/// A client that pulls diagnostics and pulls again when asked.
fn pulling() -> Value {
    json!({
        "textDocument": { "diagnostic": { "dynamicRegistration": false } },
        "workspace": { "diagnostics": { "refreshSupport": true } },
    })
}

fn pull(server: &mut Server, path: &str, previous: Option<&str>) -> Value {
    let mut params = document(path);
    if let Some(previous) = previous {
        params["previousResultId"] = json!(previous);
    }
    server.result("textDocument/diagnostic", params)
}

#[test]
fn a_client_that_pulls_gets_open_notes_diagnostics_only_by_pulling() {
    let mut server = Server::spawn_for(&vault(), &[]);
    let folder = json!([{ "uri": uri(&vault()), "name": "vault" }]);
    let initialized = server.result(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": pulling(), "workspaceFolders": folder }),
    );
    assert_eq!(
        initialized["capabilities"]["diagnosticProvider"],
        json!({ "identifier": "vaultkit", "interFileDependencies": true, "workspaceDiagnostics": false })
    );
    server.notify("initialized", json!({}));
    server.open(&vault(), "Home.md");
    // Opened, its pushed diagnostics are cleared: they are pulled now.
    let cleared = server.notification("textDocument/publishDiagnostics");
    assert_eq!(
        cleared,
        json!({ "uri": uri(&vault().join("Home.md")), "diagnostics": [] })
    );
    let full = pull(&mut server, "Home.md", None);
    assert_eq!(full["kind"], "full");
    let items = json!({ "diagnostics": full["items"] });
    assert_eq!(diagnostics(&items), home_findings());
    assert_eq!(full["items"][1]["relatedInformation"], twin_candidates());
    let result_id = full["resultId"].as_str().expect("a result id").to_owned();
    assert_eq!(
        pull(&mut server, "Home.md", Some(&result_id)),
        json!({ "kind": "unchanged", "resultId": result_id })
    );
    // An edit pushes nothing for the open note; the next pull has it.
    server.notify(
        "textDocument/didChange",
        edit("Home.md", 2, (9, 18), (9, 18), "2"),
    );
    let changed = pull(&mut server, "Home.md", Some(&result_id));
    assert_eq!(changed["kind"], "full");
    assert_eq!(changed["items"].as_array().map(Vec::len), Some(3));
    assert_eq!(server.unread(), Vec::<Value>::new());
    // Git.md's heading renamed breaks Home.md's `[[Git#Branches]]`: the
    // client is asked to pull again.
    server.open(&vault(), "Topics/Git.md");
    server.notification("textDocument/publishDiagnostics");
    server.notify(
        "textDocument/didChange",
        edit("Topics/Git.md", 2, (9, 3), (9, 11), "Branching"),
    );
    server.notification("workspace/diagnostic/refresh");
    let broken = pull(&mut server, "Home.md", None);
    assert_eq!(broken["items"][0]["code"], "broken-heading");
    // Closed, a note's diagnostics are pushed again.
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri(&vault().join("Home.md")) } }),
    );
    let pushed = server.diagnostics_of(&vault().join("Home.md"));
    assert_eq!(diagnostics(&pushed)[0].2, "broken-heading");
    // A document the server does not know has no findings.
    let outside = pull(&mut server, "Templates/Note.md", None);
    assert_eq!(outside["items"], json!([]));
}

fn symbols_of(found: &Value) -> Vec<(String, String, u64)> {
    (found.as_array().expect("a list").iter())
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_owned(),
                s["containerName"].as_str().unwrap_or_default().to_owned(),
                s["location"]["range"]["start"]["line"]
                    .as_u64()
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn workspace_symbols_with_search_operators_are_the_search_hits() {
    let copy = fixture_copy("lsp");
    let root = copy.path();
    let mut server = Server::start(root);
    server.indexed();
    let mut query = |query: &str| {
        let found = server.result("workspace/symbol", json!({ "query": query }));
        symbols_of(&found)
    };
    let hit = |name: &str, path: &str, line: u64| (name.to_owned(), path.to_owned(), line);
    assert_eq!(query("tag:dev"), [hit("Git", "Topics/Git.md", 0)]);
    assert_eq!(
        query("[status:done] path:Twin"),
        [hit("Twin", "A/Twin.md", 0), hit("Twin", "B/Twin.md", 0)]
    );
    // At the line that shows the match (`Iterate in short cycles.`).
    assert_eq!(
        query("\"short cycles\""),
        [hit("Agile", "Topics/Agile.md", 5)]
    );
    assert_eq!(
        query("twin -other"),
        [hit("Twin", "A/Twin.md", 3), hit("Home", "Home.md", 8)]
    );
    let either = query("file:agile OR file:draft");
    assert_eq!(either.len(), 2, "{either:?}");
    // A plain word still matches names: headings too, which a search would not list.
    assert_eq!(query("branches"), [hit("Branches", "Topics/Git.md", 9)]);
    // A query being typed that does not parse yet matches names.
    assert_eq!(query("tag:"), []);
    // A note written by another program is found once the server saw it
    // (its missing `status` is published); a tag alone ranks none above
    // another, so they come in path order.
    std::fs::write(root.join("Review.md"), "# Review\n\n#dev\n").expect("write");
    server.diagnostics_of(&root.join("Review.md"));
    server.indexed();
    let found = server.result("workspace/symbol", json!({ "query": "tag:dev" }));
    assert_eq!(
        symbols_of(&found),
        [
            hit("Review", "Review.md", 0),
            hit("Git", "Topics/Git.md", 0)
        ]
    );
}

/// Sends a change of the files at `paths` as the editor's watcher would.
fn report(server: &mut Server, paths: &[&Path]) {
    let changes: Vec<Value> = (paths.iter())
        .map(|path| json!({ "uri": uri(path), "type": 2 }))
        .collect();
    server.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": changes }),
    );
}

#[test]
fn an_edited_vaultkit_toml_relints_and_a_broken_one_is_refused() {
    let copy = fixture_copy("lsp");
    let root = copy.path();
    let mut server = Server::start_with(root, watching_client());
    let config = root.join("vaultkit.toml");
    let text = std::fs::read_to_string(&config).expect("the config");
    // `case-mismatch` becomes an error, and Templates/ is ignored no more.
    let stricter = text
        .replace("case-mismatch = \"warning\"", "case-mismatch = \"error\"")
        .replace("ignore = [\"Templates/**\"]", "ignore = []");
    std::fs::write(&config, &stricter).expect("write");
    report(&mut server, &[&config]);
    let draft = server.diagnostics_of(&root.join("Draft.md"));
    let severities: Vec<(String, i64)> = (diagnostics(&draft).into_iter())
        .map(|(_, severity, code, _)| (code, severity))
        .collect();
    assert_eq!(
        severities,
        [
            ("invalid-value".to_owned(), 1),
            ("case-mismatch".to_owned(), 1)
        ]
    );
    let template = server.diagnostics_of(&root.join("Templates/Note.md"));
    let codes: Vec<String> = (diagnostics(&template).into_iter())
        .map(|(_, _, code, _)| code)
        .collect();
    assert!(codes.contains(&"broken-link".to_owned()), "{codes:?}");
    // A config that does not parse: an error message, and the last one stays.
    std::fs::write(&config, "[lint.rules\n").expect("write");
    report(&mut server, &[&config]);
    let message = server.notification("window/showMessage");
    assert_eq!(message["type"], 1);
    let said = message["message"].as_str().unwrap_or_default();
    assert!(
        said.contains("vaultkit.toml")
            && said.ends_with("the previous configuration stays in force"),
        "{said}"
    );
    server.open(root, "Draft.md");
    let draft = server.diagnostics_of(&root.join("Draft.md"));
    assert_eq!(diagnostics(&draft)[1].1, 1, "still an error");
}

#[test]
fn the_watcher_sees_an_edited_vaultkit_toml() {
    let copy = fixture_copy("lsp");
    let root = copy.path();
    let mut server = Server::start(root);
    let config = root.join("vaultkit.toml");
    let text = std::fs::read_to_string(&config).expect("the config");
    std::fs::write(&config, text.replace("\"warning\"", "\"off\"")).expect("write");
    let draft = server.diagnostics_of(&root.join("Draft.md"));
    let codes: Vec<String> = (diagnostics(&draft).into_iter())
        .map(|(_, _, code, _)| code)
        .collect();
    assert_eq!(codes, ["invalid-value"]);
}

#[test]
fn malformed_headers_get_error_responses_and_the_session_goes_on() {
    let mut server = Server::start(&vault());
    server.send_raw(b"Content-Length: twelve\r\n\r\n");
    let response = server.response(&Value::Null);
    assert_eq!(response["error"]["code"], -32700, "{response}");
    server.send_raw(b"no colon here\r\nContent-Length: 2\r\n\r\n{}");
    let response = server.response(&Value::Null);
    assert_eq!(response["error"]["code"], -32700, "{response}");
    let found = server.result("textDocument/definition", at("Home.md", 6, 12));
    assert_eq!(found, location("Topics/Git.md", (0, 0), (0, 0)));
}

#[test]
fn views_of_documents_outside_the_vault_are_empty() {
    let mut server = Server::start(&vault());
    for method in [
        "textDocument/documentLink",
        "textDocument/foldingRange",
        "textDocument/codeLens",
    ] {
        let found = server.result(method, document("Templates/Note.md"));
        assert_eq!(found, Value::Null, "{method}");
    }
}

#[test]
fn a_note_deleted_while_open_lives_on_in_its_buffer_until_closed() {
    let copy = fixture_copy("lsp");
    let root = copy.path();
    let mut server = Server::start_with(root, watching_client());
    server.open(root, "Topics/Agile.md");
    server.diagnostics_of(&root.join("Topics/Agile.md"));
    std::fs::remove_file(root.join("Topics/Agile.md")).expect("delete");
    server.notify(
        "workspace/didChangeWatchedFiles",
        watched(&root.join("Topics/Agile.md"), 3),
    );
    // The buffer still answers: `[[Agile]]` still leads to it.
    let position = json!({
        "textDocument": { "uri": uri(&root.join("Home.md")) },
        "position": { "line": 9, "character": 12 },
    });
    let found = server.result("textDocument/definition", position.clone());
    assert_eq!(found["uri"], uri(&root.join("Topics/Agile.md")));
    assert_eq!(server.unread(), Vec::<Value>::new());
    // Closed, with no file: its findings go, and `[[Agile]]` breaks.
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri(&root.join("Topics/Agile.md")) } }),
    );
    let gone = server.diagnostics_of(&root.join("Topics/Agile.md"));
    assert_eq!(gone["diagnostics"], json!([]));
    let home = server.diagnostics_of(&root.join("Home.md"));
    assert!(
        diagnostics(&home)
            .iter()
            .any(|(range_, _, code, _)| code == "broken-link" && *range_ == range((9, 11), (9, 20))),
        "{home}"
    );
    assert_eq!(
        server.result("textDocument/definition", position),
        Value::Null
    );
}

#[test]
fn a_20_mb_note_is_opened_edited_and_answered() {
    let mut server = Server::start(&vault());
    let mut text = String::from("# Big\n\nSee [[Git]].\n");
    let paragraph = "Iterate in short cycles, and review what each one taught the team.\n";
    let mut section = 0;
    while text.len() < 20 << 20 {
        section += 1;
        text.push_str(&format!("\n## Part {section}\n\n"));
        for _ in 0..100 {
            text.push_str(paragraph);
        }
    }
    text.push_str("End: [[Nowhere]]\n");
    let lines = u32::try_from(text.lines().count()).expect("lines");
    let item = json!({ "uri": uri(&vault().join("Big.md")), "languageId": "markdown", "version": 1, "text": text });
    server.notify("textDocument/didOpen", json!({ "textDocument": item }));
    let opened = server.diagnostics_of(&vault().join("Big.md"));
    let codes: Vec<String> = (diagnostics(&opened).into_iter())
        .map(|(_, _, code, _)| code)
        .collect();
    assert!(codes.contains(&"broken-link".to_owned()), "{codes:?}");
    // The last line's broken link is mended by an edit at the very end.
    let big = |line, character| json!({ "textDocument": { "uri": uri(&vault().join("Big.md")) }, "position": { "line": line, "character": character } });
    let change = edit("Big.md", 2, (lines - 1, 7), (lines - 1, 14), "Git");
    server.notify("textDocument/didChange", change);
    let edited = server.diagnostics_of(&vault().join("Big.md"));
    let codes: Vec<String> = (diagnostics(&edited).into_iter())
        .map(|(_, _, code, _)| code)
        .collect();
    assert!(!codes.contains(&"broken-link".to_owned()), "{codes:?}");
    let found = server.result("textDocument/definition", big(lines - 1, 8));
    assert_eq!(found, location("Topics/Git.md", (0, 0), (0, 0)));
    let symbols = server.result("textDocument/documentSymbol", document("Big.md"));
    let parts = symbols[0]["children"].as_array().map(Vec::len);
    assert_eq!(parts, Some(section));
    let folds = server.result("textDocument/foldingRange", document("Big.md"));
    assert_eq!(folds.as_array().map(Vec::len), Some(section + 1));
}
