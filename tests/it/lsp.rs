//! `vaultkit lsp`: the real binary driven over stdio with JSON-RPC framing,
//! on the fixture vault `tests/fixtures/lsp/`. Every wait reads messages
//! with a timeout, so a server that hangs fails the test instead of
//! blocking it.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::util::{fixture, fixture_copy};

mod edit;
mod index;
mod view;

/// How long any one message may take to come.
const WAIT: Duration = Duration::from_secs(20);

/// A running `vaultkit lsp` and the messages it sent that no one read yet.
pub struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Notifications read while waiting for a response.
    pending: VecDeque<Value>,
    next_id: i64,
    /// Where the index of a vault of the repository goes instead of into it.
    _index_dir: Option<tempfile::TempDir>,
}

impl Server {
    /// Starts the server, not yet initialized, with `args` after `lsp`.
    pub fn spawn(args: &[&str]) -> Self {
        Self::spawn_for(Path::new(""), args)
    }

    /// [`Server::spawn`] for the vault `root`: a vault of the repository
    /// (a fixture, not a copy) is never written, its index goes elsewhere.
    pub fn spawn_for(root: &Path, args: &[&str]) -> Self {
        let index_dir = root
            .starts_with(env!("CARGO_MANIFEST_DIR"))
            .then(|| tempfile::tempdir().expect("a temporary folder"));
        let mut command = Command::new(assert_cmd::cargo::cargo_bin!("vaultkit"));
        command.env_remove("VAULTKIT_INDEX_DIR");
        if let Some(dir) = &index_dir {
            command.env("VAULTKIT_INDEX_DIR", dir.path());
        }
        let mut child = command
            .arg("lsp")
            .args(args)
            .env_remove("VAULTKIT_VAULT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("vaultkit lsp starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            while let Some(message) = read_message(&mut stdout) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Self {
            stdin: child.stdin.take(),
            child,
            messages,
            pending: VecDeque::new(),
            next_id: 1,
            _index_dir: index_dir,
        }
    }

    /// Starts the server on the vault `root` (its workspace folder) and initializes it.
    pub fn start(root: &Path) -> Self {
        Self::start_with(root, json!({}))
    }

    /// Starts the server on the vault `root` for a client with these
    /// capabilities, and initializes it.
    pub fn start_with(root: &Path, capabilities: Value) -> Self {
        let mut server = Self::spawn_for(root, &[]);
        let folder = json!([{ "uri": uri(root), "name": "vault" }]);
        let result = server.result(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": capabilities, "workspaceFolders": folder }),
        );
        assert_eq!(result["serverInfo"]["name"], "vaultkit");
        server.notify("initialized", json!({}));
        server
    }

    /// Sends raw bytes.
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("the server reads");
        stdin.flush().expect("the server reads");
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_vec(message).expect("JSON");
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend(body);
        self.send_raw(&framed);
    }

    /// Sends a notification.
    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response (the whole message).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.response(&json!(id))
    }

    /// The response with this id; notifications before it are kept.
    pub fn response(&mut self, id: &Value) -> Value {
        loop {
            let message = self.next();
            if message.get("method").is_none() && message["id"] == *id {
                return message;
            }
            self.pending.push_back(message);
        }
    }

    /// A request's result, which must not be an error.
    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    /// The next message, read with a timeout.
    fn next(&mut self) -> Value {
        match self.messages.recv_timeout(WAIT) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in {WAIT:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// The next notification of `method` (others before it are dropped).
    pub fn notification(&mut self, method: &str) -> Value {
        while let Some(message) = self.pending.pop_front() {
            if message["method"] == method {
                return message["params"].clone();
            }
        }
        loop {
            let message = self.next();
            if message["method"] == method {
                return message["params"].clone();
            }
        }
    }

    /// The report of the next refresh of the index done (notifications before
    /// it are dropped): the message of its `window/logMessage`.
    pub fn indexed(&mut self) -> String {
        loop {
            let params = self.notification("window/logMessage");
            let message = params["message"].as_str().unwrap_or_default();
            if message.contains("is up to date") {
                return message.to_owned();
            }
        }
    }

    /// The next diagnostics published for the file `file` (those of other
    /// notes before them are dropped).
    pub fn diagnostics_of(&mut self, file: &Path) -> Value {
        loop {
            let params = self.notification("textDocument/publishDiagnostics");
            if params["uri"] == uri(file) {
                return params;
            }
        }
    }

    /// The notifications received while waiting for responses and not read
    /// yet: after a request, all that the server sent before answering it.
    pub fn unread(&mut self) -> Vec<Value> {
        self.pending.drain(..).collect()
    }

    /// Opens a note of `root` with its text on disk.
    pub fn open(&mut self, root: &Path, path: &str) {
        let text = std::fs::read_to_string(root.join(path)).expect("the note");
        let document = json!({ "uri": uri(&root.join(path)), "languageId": "markdown", "version": 1, "text": text });
        self.notify("textDocument/didOpen", json!({ "textDocument": document }));
    }

    /// Waits for the process to end after its input closes.
    pub fn wait(mut self) -> ExitStatus {
        drop(self.stdin.take());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("the server") {
                return status;
            }
            assert!(start.elapsed() < WAIT, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads one framed message; `None` at the end of the stream.
fn read_message(input: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    input.read_exact(&mut body).ok()?;
    let message: Value = serde_json::from_slice(&body).expect("the server sends JSON");
    assert_eq!(message["jsonrpc"], "2.0", "{message}");
    Some(message)
}

/// What a client that watches files for its servers says of it: the
/// server then asks it for file events instead of watching the vault itself.
pub fn watching_client() -> Value {
    json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } })
}

/// The `file:` URI of a path.
pub fn uri(path: &Path) -> String {
    url::Url::from_file_path(path)
        .expect("an absolute path")
        .to_string()
}

fn vault() -> std::path::PathBuf {
    fixture("lsp")
}

/// A text document and position.
fn at(path: &str, line: u32, character: u32) -> Value {
    json!({
        "textDocument": { "uri": uri(&vault().join(path)) },
        "position": { "line": line, "character": character },
    })
}

/// A location: `path` in the vault, and its range.
fn location(path: &str, from: (u32, u32), to: (u32, u32)) -> Value {
    json!({ "uri": uri(&vault().join(path)), "range": range(from, to) })
}

fn range(from: (u32, u32), to: (u32, u32)) -> Value {
    json!({
        "start": { "line": from.0, "character": from.1 },
        "end": { "line": to.0, "character": to.1 },
    })
}

/// A published diagnostic as (range, severity, code, message).
fn diagnostics(params: &Value) -> Vec<(Value, i64, String, String)> {
    (params["diagnostics"].as_array().expect("a list").iter())
        .map(|d| {
            assert_eq!(d["source"], "vaultkit");
            (
                d["range"].clone(),
                d["severity"].as_i64().expect("a severity"),
                d["code"].as_str().expect("a code").to_owned(),
                d["message"].as_str().expect("a message").to_owned(),
            )
        })
        .collect()
}

#[test]
fn opening_a_note_publishes_its_findings_as_the_vault_configures_them() {
    let mut server = Server::start(&vault());
    server.open(&vault(), "Draft.md");
    let params = server.notification("textDocument/publishDiagnostics");
    assert_eq!(params["uri"], uri(&vault().join("Draft.md")));
    // `case-mismatch` is an info by default, a warning in this vault.
    assert_eq!(
        diagnostics(&params),
        [
            (
                range((1, 0), (1, 6)),
                1,
                "invalid-value".to_owned(),
                "`status: wip` is not an allowed value\nhelp: allowed values: draft, done".to_owned()
            ),
            (
                range((3, 8), (3, 16)),
                2,
                "case-mismatch".to_owned(),
                "`[[home]]` matches `Home.md` only when case is ignored\nhelp: write `Home` as the file is named".to_owned()
            ),
        ]
    );
}

/// Home.md's findings as on disk.
fn home_findings() -> Vec<(Value, i64, String, String)> {
    vec![
        (
            range((8, 8), (8, 19)),
            1,
            "broken-link".to_owned(),
            "`[[Nowhere]]` leads nowhere: no note or file is named `Nowhere`\nhelp: create `Nowhere.md`, or fix the name; a link to a non-Markdown file needs its extension".to_owned(),
        ),
        (
            range((8, 24), (8, 32)),
            2,
            "ambiguous-link".to_owned(),
            "`[[Twin]]` matches 2 files equally well; Obsidian's rules pick `A/Twin.md`\nhelp: write the path to choose one: A/Twin.md, B/Twin.md".to_owned(),
        ),
    ]
}

fn edit(path: &str, version: i64, from: (u32, u32), to: (u32, u32), text: &str) -> Value {
    json!({
        "textDocument": { "uri": uri(&vault().join(path)), "version": version },
        "contentChanges": [{ "range": range(from, to), "text": text }],
    })
}

#[test]
fn edits_count_utf16_units_and_republish_the_note() {
    let mut server = Server::start(&vault());
    server.open(&vault(), "Home.md");
    let opened = server.notification("textDocument/publishDiagnostics");
    assert_eq!(diagnostics(&opened), home_findings());
    // Line 9 is `Café 😀 漢字 [[Agile]] end`: the emoji counts two UTF-16
    // units, each ideograph one, so `Agile` ends at character 18.
    server.notify(
        "textDocument/didChange",
        edit("Home.md", 2, (9, 18), (9, 18), "2"),
    );
    let changed = server.notification("textDocument/publishDiagnostics");
    assert_eq!(changed["uri"], uri(&vault().join("Home.md")));
    let mut expected = home_findings();
    expected.push((
        range((9, 11), (9, 21)),
        1,
        "broken-link".to_owned(),
        "`[[Agile2]]` leads nowhere: no note or file is named `Agile2`\nhelp: create `Agile2.md`, or fix the name; a link to a non-Markdown file needs its extension".to_owned(),
    ));
    assert_eq!(diagnostics(&changed), expected);
    // The buffer, not the file, is what answers now.
    let definition = server.result("textDocument/definition", at("Home.md", 9, 12));
    assert_eq!(definition, Value::Null);
    server.notify(
        "textDocument/didChange",
        edit("Home.md", 3, (9, 18), (9, 19), ""),
    );
    let mended = server.notification("textDocument/publishDiagnostics");
    assert_eq!(diagnostics(&mended), home_findings());
    let definition = server.result("textDocument/definition", at("Home.md", 9, 12));
    assert_eq!(definition, location("Topics/Agile.md", (0, 0), (0, 0)));
}

#[test]
fn a_change_republishes_the_closed_notes_whose_links_it_breaks_or_mends() {
    let mut server = Server::start(&vault());
    server.open(&vault(), "Topics/Git.md");
    let opened = server.notification("textDocument/publishDiagnostics");
    assert_eq!(opened["uri"], uri(&vault().join("Topics/Git.md")));
    assert_eq!(diagnostics(&opened), []);
    // `## Branches` becomes `## Branching`: Home.md's `[[Git#Branches]]` breaks.
    server.notify(
        "textDocument/didChange",
        edit("Topics/Git.md", 2, (9, 3), (9, 11), "Branching"),
    );
    let own = server.notification("textDocument/publishDiagnostics");
    assert_eq!(own["uri"], uri(&vault().join("Topics/Git.md")));
    let home = server.notification("textDocument/publishDiagnostics");
    assert_eq!(home["uri"], uri(&vault().join("Home.md")));
    let mut broken = home_findings();
    broken.insert(
        0,
        (
            range((6, 25), (6, 41)),
            1,
            "broken-heading".to_owned(),
            "`[[Git#Branches]]`: `Topics/Git.md` has no heading `Branches`\nhelp: `vaultkit show \"Topics/Git.md\"` lists its headings".to_owned(),
        ),
    );
    assert_eq!(diagnostics(&home), broken);
    // Closing the note without saving: the file counts again, and mends the link.
    server.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri(&vault().join("Topics/Git.md")) } }),
    );
    let closed = server.notification("textDocument/publishDiagnostics");
    assert_eq!(closed["uri"], uri(&vault().join("Topics/Git.md")));
    let home = server.notification("textDocument/publishDiagnostics");
    assert_eq!(home["uri"], uri(&vault().join("Home.md")));
    assert_eq!(diagnostics(&home), home_findings());
}

#[test]
fn definition_leads_to_the_note_heading_block_or_attachment() {
    let mut server = Server::start(&vault());
    let git = location("Topics/Git.md", (0, 0), (0, 0));
    let agile = location("Topics/Agile.md", (0, 0), (0, 0));
    let cases = [
        ("a wikilink", at("Home.md", 6, 12), git.clone()),
        (
            "a heading link",
            at("Home.md", 6, 30),
            location("Topics/Git.md", (9, 0), (9, 11)),
        ),
        (
            "a block link",
            at("Home.md", 6, 50),
            location("Topics/Git.md", (7, 0), (7, 26)),
        ),
        ("a Markdown link", at("Home.md", 7, 10), git.clone()),
        (
            "an embed",
            at("Home.md", 7, 40),
            location("attachments/diagram.png", (0, 0), (0, 0)),
        ),
        ("a front-matter link", at("Home.md", 2, 12), git),
        (
            "the first character after an emoji and CJK",
            at("Home.md", 9, 11),
            agile.clone(),
        ),
        ("the link's last character", at("Home.md", 9, 19), agile),
        ("just after the link", at("Home.md", 9, 20), Value::Null),
        ("just before the link", at("Home.md", 9, 10), Value::Null),
        ("a broken link", at("Home.md", 8, 10), Value::Null),
        (
            "an ambiguous link (the first in path order)",
            at("Home.md", 8, 26),
            location("A/Twin.md", (0, 0), (0, 0)),
        ),
        (
            "a self link's note",
            at("Draft.md", 3, 10),
            location("Home.md", (0, 0), (0, 0)),
        ),
        ("past the last line", at("Home.md", 99, 0), Value::Null),
    ];
    for (what, position, expected) in cases {
        let found = server.result("textDocument/definition", position);
        assert_eq!(found, expected, "{what}");
    }
}

#[test]
fn references_are_the_backlinks_of_a_note_heading_or_block() {
    let mut server = Server::start(&vault());
    let home = |from, to| location("Home.md", from, to);
    let cases = [
        (
            "on a link: its target's backlinks",
            at("Home.md", 6, 12),
            json!([
                home((2, 10), (2, 17)),
                home((6, 11), (6, 18)),
                home((6, 25), (6, 41)),
                home((6, 46), (6, 60)),
                home((7, 4), (7, 30)),
            ]),
        ),
        (
            "on a heading",
            at("Topics/Git.md", 9, 3),
            json!([home((6, 25), (6, 41))]),
        ),
        (
            "on a block id",
            at("Topics/Git.md", 7, 22),
            json!([home((6, 46), (6, 60))]),
        ),
        (
            "in a note",
            at("Topics/Agile.md", 5, 3),
            json!([home((9, 11), (9, 20))]),
        ),
        (
            "on a heading no link names",
            at("Topics/Agile.md", 3, 9),
            json!([]),
        ),
        (
            "in a linked note",
            at("Home.md", 5, 0),
            json!([location("Draft.md", (3, 8), (3, 16))]),
        ),
        ("on a broken link", at("Home.md", 8, 10), json!([])),
    ];
    for (what, position, expected) in cases {
        let mut params = position;
        params["context"] = json!({ "includeDeclaration": true });
        let found = server.result("textDocument/references", params);
        assert_eq!(found, expected, "{what}");
    }
}

#[test]
fn references_on_a_tag_are_its_uses_in_bodies_and_front_matter() {
    let mut server = Server::start(&vault());
    let text = "# Review #Dev\n\nSee #dev, #devops and #dev/sub.\n";
    let document = json!({ "uri": uri(&vault().join("Review.md")), "languageId": "markdown", "version": 1, "text": text });
    server.notify("textDocument/didOpen", json!({ "textDocument": document }));
    server.notification("textDocument/publishDiagnostics");
    // Case aside, as Obsidian groups tags; `#devops` and `#dev/sub` are
    // other tags. Git.md has `tags: [dev]` in its front matter.
    let uses = json!([
        location("Review.md", (0, 9), (0, 13)),
        location("Review.md", (2, 4), (2, 8)),
        location("Topics/Git.md", (3, 7), (3, 10)),
    ]);
    for (what, line, character) in [("in a heading", 0, 10), ("in the body", 2, 5)] {
        let mut params = at("Review.md", line, character);
        params["context"] = json!({ "includeDeclaration": true });
        let found = server.result("textDocument/references", params);
        assert_eq!(found, uses, "{what}");
    }
    let mut params = at("Topics/Git.md", 3, 8);
    params["context"] = json!({ "includeDeclaration": true });
    assert_eq!(
        server.result("textDocument/references", params),
        uses,
        "in front matter"
    );
}

fn symbol(name: &str, range_: Value, selection: Value, children: Option<Value>) -> Value {
    let mut symbol =
        json!({ "name": name, "kind": 15, "range": range_, "selectionRange": selection });
    if let Some(children) = children {
        symbol["children"] = children;
    }
    symbol
}

#[test]
fn document_symbols_are_the_heading_tree() {
    let mut server = Server::start(&vault());
    let document = |path| json!({ "textDocument": { "uri": uri(&vault().join(path)) } });
    let agile = server.result("textDocument/documentSymbol", document("Topics/Agile.md"));
    // `# Agile 🏃 敏捷`: 13 UTF-16 units.
    let sprints = symbol(
        "Sprints",
        range((7, 0), (8, 0)),
        range((7, 0), (7, 10)),
        None,
    );
    let expected = symbol(
        "Agile 🏃 敏捷",
        range((3, 0), (8, 0)),
        range((3, 0), (3, 13)),
        Some(json!([sprints])),
    );
    assert_eq!(agile, json!([expected]));
    let git = server.result("textDocument/documentSymbol", document("Topics/Git.md"));
    let branches = symbol(
        "Branches",
        range((9, 0), (12, 0)),
        range((9, 0), (9, 11)),
        None,
    );
    let expected = symbol(
        "Git",
        range((5, 0), (12, 0)),
        range((5, 0), (5, 5)),
        Some(json!([branches])),
    );
    assert_eq!(git, json!([expected]));
}

fn hover_at(server: &mut Server, path: &str, line: u32, character: u32) -> Value {
    server.result("textDocument/hover", at(path, line, character))
}

fn markdown(value: &str, from: (u32, u32), to: (u32, u32)) -> Value {
    json!({ "contents": { "kind": "markdown", "value": value }, "range": range(from, to) })
}

#[test]
fn hover_previews_the_target_or_says_why_a_link_fails() {
    let mut server = Server::start(&vault());
    let git = "- status: done\n- aliases: Version control\n- tags: dev";
    assert_eq!(
        hover_at(&mut server, "Home.md", 6, 12),
        markdown(
            &format!("**Git** — `Topics/Git.md`\n\n{git}\n\nGit tracks changes. ^intro"),
            (6, 11),
            (6, 18)
        )
    );
    assert_eq!(
        hover_at(&mut server, "Home.md", 6, 26),
        markdown(
            &format!("**Git** › Branches — `Topics/Git.md`\n\n{git}\n\nBranches diverge."),
            (6, 25),
            (6, 41)
        )
    );
    assert_eq!(
        hover_at(&mut server, "Home.md", 8, 9),
        markdown(
            "**broken-link** (error): `[[Nowhere]]` leads nowhere: no note or file is named `Nowhere`\n\nhelp: create `Nowhere.md`, or fix the name; a link to a non-Markdown file needs its extension",
            (8, 8),
            (8, 19)
        )
    );
    assert_eq!(
        hover_at(&mut server, "Home.md", 8, 30),
        markdown(
            "**ambiguous-link** (warning): `[[Twin]]` matches 2 files equally well; Obsidian's rules pick `A/Twin.md`\n\nhelp: write the path to choose one: A/Twin.md, B/Twin.md\n\nCandidates (tied after the same-folder and shortest-path rules; the first in path order wins):\n\n- `A/Twin.md`\n- `B/Twin.md`\n\n**Twin** — `A/Twin.md`\n\n- status: done\n\nOne twin.",
            (8, 24),
            (8, 32)
        )
    );
    assert_eq!(
        hover_at(&mut server, "Home.md", 7, 36),
        markdown("attachment `attachments/diagram.png`", (7, 35), (7, 51))
    );
    assert_eq!(
        hover_at(&mut server, "Home.md", 4, 2),
        Value::Null,
        "not on a link"
    );
}

#[test]
fn documents_outside_the_vault_get_empty_answers() {
    let outside = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(
        outside.path().join("Elsewhere.md"),
        "# Elsewhere\n[[Git]]\n",
    )
    .expect("written");
    let mut server = Server::start(&vault());
    let documents = [
        vault().join("Templates/Note.md"),
        outside.path().join("Elsewhere.md"),
    ];
    for document in documents {
        let uri = uri(&document);
        let text = std::fs::read_to_string(&document).expect("the file");
        let item = json!({ "uri": uri, "languageId": "markdown", "version": 1, "text": text });
        server.notify("textDocument/didOpen", json!({ "textDocument": item }));
        let position =
            json!({ "textDocument": { "uri": uri }, "position": { "line": 2, "character": 3 } });
        assert_eq!(
            server.result("textDocument/definition", position.clone()),
            Value::Null
        );
        assert_eq!(
            server.result("textDocument/hover", position.clone()),
            Value::Null
        );
        let mut references = position;
        references["context"] = json!({ "includeDeclaration": false });
        assert_eq!(
            server.result("textDocument/references", references),
            json!([])
        );
        let document = json!({ "textDocument": { "uri": uri } });
        assert_eq!(
            server.result("textDocument/documentSymbol", document),
            json!([])
        );
        // Answers come in order: diagnostics for the open would be read by now.
        assert_eq!(server.unread(), Vec::<Value>::new(), "{uri}");
    }
}

fn error_code(response: &Value) -> i64 {
    response["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("an error: {response}"))
}

#[test]
fn protocol_errors_get_error_responses_and_the_session_goes_on() {
    let mut server = Server::spawn_for(&vault(), &["--vault", &vault().to_string_lossy()]);
    let early = server.request("textDocument/hover", at("Home.md", 6, 12));
    assert_eq!(error_code(&early), -32002, "before initialize");
    server.result(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    server.notify("initialized", json!({}));
    server.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let malformed = server.response(&Value::Null);
    assert_eq!(error_code(&malformed), -32700, "not JSON");
    server.send_raw(b"Content-Length: 29\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":\"q\"}   ");
    assert_eq!(
        error_code(&server.response(&json!("q"))),
        -32600,
        "neither request nor response"
    );
    let unknown = server.request("vaultkit/nothing", json!({}));
    assert_eq!(error_code(&unknown), -32601, "unknown method");
    let invalid = server.request("textDocument/definition", json!({ "x": 1 }));
    assert_eq!(error_code(&invalid), -32602, "invalid parameters");
    let again = server.request(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    assert_eq!(error_code(&again), -32600, "a second initialize");
    // Still answering, from the vault given with --vault.
    let found = server.result("textDocument/definition", at("Home.md", 6, 12));
    assert_eq!(found, location("Topics/Git.md", (0, 0), (0, 0)));
    assert_eq!(server.result("shutdown", Value::Null), Value::Null);
    let late = server.request("textDocument/hover", at("Home.md", 6, 12));
    assert_eq!(error_code(&late), -32600, "after shutdown");
    server.notify("exit", Value::Null);
    assert_eq!(server.wait().code(), Some(0));
}

#[test]
fn exit_without_shutdown_or_a_closed_input_ends_with_code_1() {
    let mut server = Server::start(&vault());
    server.notify("exit", Value::Null);
    assert_eq!(server.wait().code(), Some(1));
    let server = Server::start(&vault());
    assert_eq!(server.wait().code(), Some(1));
}

#[test]
fn neovim_jumps_to_a_definition_and_reads_the_diagnostics() {
    if Command::new("nvim").arg("--version").output().is_err() {
        crate::util::skip("nvim is not installed: the Neovim test needs `nvim` on PATH");
        return;
    }
    let vault = crate::util::copy_of(&crate::util::sample_vault());
    let note = vault.path().join("Topics/Process/Agile.md");
    // The bundled vault lints clean: one broken link makes one diagnostic.
    let mut text = std::fs::read_to_string(&note).expect("the note");
    text.push_str("\nSee [[No such note]].\n");
    std::fs::write(&note, text).expect("written");
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let out = scratch.path().join("out.txt");
    // Neovim starts with the setup docs/lsp.md gives, found as `vaultkit`
    // on the PATH, as a user has it.
    let init = scratch.path().join("init.lua");
    std::fs::write(&init, neovim_setup_of_the_docs()).expect("init.lua written");
    let bin = assert_cmd::cargo::cargo_bin!("vaultkit");
    let path = std::env::join_paths(
        std::iter::once(bin.parent().expect("a folder").to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ),
    )
    .expect("a PATH");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/lsp/neovim.lua");
    let mut nvim = Command::new("nvim")
        .args(["--headless", "-i", "NONE", "-u"])
        .arg(&init)
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .arg(&note)
        .env("PATH", path)
        .env("VAULTKIT_OUT", &out)
        .env_remove("VAULTKIT_VAULT")
        .env("XDG_CONFIG_HOME", scratch.path())
        .env("XDG_CACHE_HOME", scratch.path())
        .env("XDG_STATE_HOME", scratch.path())
        .env("XDG_DATA_HOME", scratch.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("nvim starts");
    let start = Instant::now();
    while nvim.try_wait().expect("nvim").is_none() {
        if start.elapsed() > Duration::from_secs(90) {
            let _ = nvim.kill();
            panic!("nvim did not finish");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let written = std::fs::read_to_string(&out).expect("the script wrote its findings");
    let target = vault.path().join("Becoming a Technical Product Manager.md");
    // Line 9 is `up: "[[Becoming a Technical Product Manager#Agile]]"`: the
    // heading `## Agile` is on line 51. Ten links of the vault lead to the
    // note (`vaultkit backlinks Topics/Process/Agile.md`).
    assert_eq!(written, format!("{}\n51\n1\n10\n", target.display()));
}

/// The Lua block of docs/lsp.md that sets vaultkit up in Neovim 0.7 to 0.10.
fn neovim_setup_of_the_docs() -> String {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/lsp.md"))
        .expect("docs/lsp.md");
    let start = docs
        .find("```lua\n-- vaultkit: one server per vault")
        .expect("docs/lsp.md has the Neovim 0.7 setup block");
    let block = &docs[start + "```lua\n".len()..];
    block[..block.find("```").expect("the block ends")].to_owned()
}

fn completion(
    label: &str,
    kind: i64,
    detail: &str,
    from: (u32, u32),
    to: (u32, u32),
    text: &str,
) -> Value {
    json!({
        "label": label,
        "kind": kind,
        "detail": detail,
        "filterText": label,
        "textEdit": { "range": range(from, to), "newText": text },
    })
}

#[test]
fn completion_offers_link_text_aliases_and_headings_inside_a_wikilink() {
    let mut server = Server::start(&vault());
    server.open(&vault(), "Draft.md");
    server.notification("textDocument/publishDiagnostics");
    let complete = |server: &mut Server, line, character| {
        server.result("textDocument/completion", at("Draft.md", line, character))
    };
    server.notify(
        "textDocument/didChange",
        edit("Draft.md", 2, (4, 0), (4, 0), "See [[Tw"),
    );
    // Two notes are named `Twin`: their links need the path.
    assert_eq!(
        complete(&mut server, 4, 8),
        json!({ "isIncomplete": false, "items": [
            completion("A/Twin", 17, "A/Twin.md", (4, 6), (4, 8), "A/Twin]]"),
            completion("B/Twin", 17, "B/Twin.md", (4, 6), (4, 8), "B/Twin]]"),
        ]})
    );
    server.notify(
        "textDocument/didChange",
        edit("Draft.md", 3, (4, 6), (4, 8), "vers"),
    );
    assert_eq!(
        complete(&mut server, 4, 10),
        json!({ "isIncomplete": false, "items": [
            completion("Version control", 18, "alias of Topics/Git.md", (4, 6), (4, 10), "Git|Version control]]"),
        ]})
    );
    // After `#`, the headings; a `]]` already there is kept, not doubled.
    server.notify(
        "textDocument/didChange",
        edit("Draft.md", 4, (4, 6), (4, 10), "Git#Br]]"),
    );
    assert_eq!(
        complete(&mut server, 4, 12),
        json!({ "isIncomplete": false, "items": [
            completion("Branches", 18, "## Topics/Git.md", (4, 10), (4, 12), "Branches"),
        ]})
    );
    assert_eq!(complete(&mut server, 3, 2), Value::Null, "outside a link");
}

/// A server on the fixture vault with `Draft.md` open, and its completions
/// there once line 4 (empty) reads `line`, with the cursor at `character`.
struct Drafting {
    server: Server,
    version: i64,
    line: String,
}

impl Drafting {
    fn start() -> Self {
        let mut server = Server::start(&vault());
        server.open(&vault(), "Draft.md");
        server.notification("textDocument/publishDiagnostics");
        Self {
            server,
            version: 1,
            line: String::new(),
        }
    }

    /// Opens a note that is on no disk, with its text.
    fn open_new(&mut self, path: &str, text: &str) {
        let document = json!({ "uri": uri(&vault().join(path)), "languageId": "markdown", "version": 1, "text": text });
        self.server
            .notify("textDocument/didOpen", json!({ "textDocument": document }));
    }

    /// Replaces the text between two positions of Draft.md.
    fn change(&mut self, from: (u32, u32), to: (u32, u32), text: &str) {
        self.version += 1;
        let change = edit("Draft.md", self.version, from, to, text);
        self.server.notify("textDocument/didChange", change);
    }

    /// The completions after line 4 becomes `line`, at `character`.
    fn complete(&mut self, line: &str, character: u32) -> Value {
        let end = u32::try_from(self.line.encode_utf16().count()).expect("a short line");
        self.change((4, 0), (4, end), line);
        self.line = line.to_owned();
        self.at(4, character)
    }

    fn at(&mut self, line: u32, character: u32) -> Value {
        self.server
            .result("textDocument/completion", at("Draft.md", line, character))
    }
}

fn items(items: Vec<Value>) -> Value {
    json!({ "isIncomplete": false, "items": items })
}

#[test]
fn completion_after_an_embed_offers_notes_and_attachments_by_link_text() {
    let mut draft = Drafting::start();
    // An attachment keeps its extension.
    assert_eq!(
        draft.complete("See ![[dia", 10),
        items(vec![completion(
            "diagram.png",
            17,
            "attachments/diagram.png",
            (4, 7),
            (4, 10),
            "diagram.png]]"
        )]),
    );
    // A note leaves `.md` out; a `]]` already there is kept.
    assert_eq!(
        draft.complete("![[agi]]", 6),
        items(vec![completion(
            "Agile",
            17,
            "Topics/Agile.md",
            (4, 3),
            (4, 6),
            "Agile"
        )]),
    );
}

#[test]
fn completion_after_a_hash_in_a_wikilink_offers_headings_then_block_ids() {
    let mut draft = Drafting::start();
    assert_eq!(
        draft.complete("[[Agile#", 8),
        items(vec![
            completion(
                "Agile 🏃 敏捷",
                18,
                "# Topics/Agile.md",
                (4, 8),
                (4, 8),
                "Agile 🏃 敏捷]]"
            ),
            completion(
                "Sprints",
                18,
                "## Topics/Agile.md",
                (4, 8),
                (4, 8),
                "Sprints]]"
            ),
        ]),
    );
    assert_eq!(
        draft.complete("[[Git#^in", 9),
        items(vec![completion(
            "intro",
            18,
            "^ Topics/Git.md",
            (4, 7),
            (4, 9),
            "intro]]"
        )]),
    );
    assert_eq!(
        draft.complete("[[Agile#^", 9),
        items(vec![]),
        "no block ids"
    );
}

#[test]
fn completion_after_a_hash_in_text_offers_the_vaults_tags() {
    let mut draft = Drafting::start();
    draft.open_new("Review.md", "# Review\n\n#devops #review #Dev\n");
    let tag =
        |label: &str, detail: &str, to: u32| completion(label, 14, detail, (4, 5), (4, to), label);
    // Best match first: the whole name, then its start, then in order. Case
    // aside, `#Dev` and `dev` are one tag, spelled as met first in path
    // order; the tag being typed counts for no note.
    assert_eq!(
        draft.complete("See #dev", 8),
        items(vec![tag("Dev", "2 notes", 8), tag("devops", "1 note", 8)]),
    );
    assert_eq!(
        draft.complete("See #rv", 7),
        items(vec![tag("review", "1 note", 7)]),
    );
    assert_eq!(draft.complete("# ", 2), Value::Null, "a heading");
    assert_eq!(draft.complete("See `#d", 7), Value::Null, "code");
    assert_eq!(draft.complete("a#d", 3), Value::Null, "not after a space");
}

#[test]
fn completion_in_front_matter_offers_schema_keys_and_enum_values() {
    let mut draft = Drafting::start();
    let key = |label: &str, detail: &str, to: u32| {
        completion(label, 10, detail, (2, 0), (2, to), &format!("{label}: "))
    };
    // Line 2 is a new front-matter line; `status` is in the note already.
    draft.change((2, 0), (2, 0), "\n");
    assert_eq!(
        draft.at(2, 0),
        items(vec![key("due", "date", 0), key("priority", "enum", 0)])
    );
    draft.change((2, 0), (2, 0), "pr");
    assert_eq!(draft.at(2, 2), items(vec![key("priority", "enum", 2)]));
    // After `status: `, the enum's values.
    draft.change((1, 8), (1, 11), "d");
    let value = |label: &str| {
        completion(
            label,
            20,
            "status: one of draft, done",
            (1, 8),
            (1, 9),
            label,
        )
    };
    assert_eq!(draft.at(1, 9), items(vec![value("draft"), value("done")]));
    draft.change((2, 0), (2, 2), "due: 2");
    assert_eq!(draft.at(2, 6), items(vec![]), "not an enum");
}

#[test]
fn completion_in_a_markdown_link_offers_encoded_vault_paths() {
    let mut draft = Drafting::start();
    draft.open_new("Topics/Code review.md", "# Code review\n");
    let path = "Topics/Code review.md";
    let offer = |to: u32| {
        json!({
            "label": path,
            "kind": 17,
            "detail": path,
            "filterText": "Topics/Code%20review.md",
            "textEdit": { "range": range((4, 8), (4, to)), "newText": "Topics/Code%20review.md" },
        })
    };
    assert_eq!(draft.complete("See [x](code", 12), items(vec![offer(12)]));
    assert_eq!(
        draft.complete("See [x](Topics/Code%20r", 23),
        items(vec![offer(23)])
    );
    assert_eq!(draft.complete("See [x](Code) and", 17), Value::Null);
}

/// A vault of 250 notes `A/Note 000.md`… (each with a heading `Part
/// 000`…) and an empty `Draft.md`, served with Draft.md open, whose first
/// line (version 1) is set to `line`.
struct ManyNotes {
    vault: tempfile::TempDir,
    server: Server,
    version: i64,
}

impl ManyNotes {
    fn start() -> Self {
        let vault = tempfile::tempdir().expect("a folder");
        let root = vault.path();
        std::fs::create_dir(root.join("A")).expect("a folder");
        for i in 0..250 {
            let text = format!("# Part {i:03}\n");
            std::fs::write(root.join(format!("A/Note {i:03}.md")), text).expect("written");
        }
        std::fs::write(root.join("Draft.md"), "\n").expect("written");
        let mut server = Server::start(root);
        server.open(root, "Draft.md");
        server.diagnostics_of(&root.join("Draft.md"));
        Self {
            vault,
            server,
            version: 1,
        }
    }

    fn uri(&self, path: &str) -> String {
        uri(&self.vault.path().join(path))
    }

    /// Sets Draft.md's first line.
    fn type_line(&mut self, from: u32, to: u32, text: &str) {
        self.version += 1;
        let change = json!({
            "textDocument": { "uri": self.uri("Draft.md"), "version": self.version },
            "contentChanges": [{ "range": range((0, from), (0, to)), "text": text }],
        });
        self.server.notify("textDocument/didChange", change);
    }

    /// The labels offered at a position of Draft.md, and whether the list
    /// is incomplete.
    fn complete(&mut self, line: u32, character: u32) -> (Vec<String>, bool) {
        let params = json!({
            "textDocument": { "uri": self.uri("Draft.md") },
            "position": { "line": line, "character": character },
        });
        let answer = self.server.result("textDocument/completion", params);
        let labels = (answer["items"].as_array().expect("items").iter())
            .map(|item| item["label"].as_str().unwrap_or_default().to_owned())
            .collect();
        (labels, answer["isIncomplete"] == true)
    }

    /// The workspace symbols of `query`, as (name, container).
    fn symbols(&mut self, query: &str) -> Vec<(String, String)> {
        let found = self
            .server
            .result("workspace/symbol", json!({ "query": query }));
        (found.as_array().expect("a list").iter())
            .map(|s| {
                let name = s["name"].as_str().unwrap_or_default().to_owned();
                (
                    name,
                    s["containerName"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    }

    /// Writes a note as another program would, and waits until the server
    /// took it in (its link to nowhere is reported).
    fn write(&mut self, path: &str, text: &str) {
        let file = self.vault.path().join(path);
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("a folder");
        std::fs::write(&file, format!("{text}\n[[Nowhere at all]]\n")).expect("written");
        self.server.diagnostics_of(&file);
    }
}

#[test]
fn completion_offers_the_first_200_files_in_path_order_and_follows_the_vault() {
    let mut many = ManyNotes::start();
    many.type_line(0, 0, "[[");
    let (labels, incomplete) = many.complete(0, 2);
    let first: Vec<String> = (0..200).map(|i| format!("Note {i:03}")).collect();
    assert_eq!((labels, incomplete), (first, true));
    // A second note of one name makes both links need their paths.
    many.write("B/Note 007.md", "# Elsewhere");
    many.type_line(2, 2, "Note 007");
    assert_eq!(
        many.complete(0, 10),
        (
            vec!["A/Note 007".to_owned(), "B/Note 007".to_owned()],
            false
        )
    );
    // An alias given in a buffer is offered at once.
    many.version += 1;
    let change = json!({
        "textDocument": { "uri": many.uri("Draft.md"), "version": many.version },
        "contentChanges": [{ "text": "---\naliases: [Sketch]\n---\n[[sket" }],
    });
    many.server.notify("textDocument/didChange", change);
    assert_eq!(many.complete(3, 6), (vec!["Sketch".to_owned()], false));
}

#[test]
fn workspace_symbols_follow_edits_moves_and_deletions() {
    let mut many = ManyNotes::start();
    let part = |path: &str| vec![("Part 042".to_owned(), path.to_owned())];
    assert_eq!(many.symbols("part 042"), part("A/Note 042.md"));
    many.type_line(0, 0, "## Part 042");
    assert_eq!(
        many.symbols("part 042"),
        [part("A/Note 042.md"), part("Draft.md")].concat()
    );
    // Moved by another program: the old path is gone, the new one found.
    let root = many.vault.path().to_owned();
    std::fs::create_dir(root.join("C")).expect("a folder");
    std::fs::rename(root.join("A/Note 042.md"), root.join("C/Moved.md")).expect("moved");
    many.write("Sentinel.md", "");
    assert_eq!(
        many.symbols("part 042"),
        [part("C/Moved.md"), part("Draft.md")].concat()
    );
    assert_eq!(
        many.symbols("moved"),
        [("Moved".to_owned(), "C/Moved.md".to_owned())]
    );
    std::fs::remove_file(root.join("C/Moved.md")).expect("deleted");
    many.write("Sentinel.md", "# Again");
    assert_eq!(many.symbols("part 042"), part("Draft.md"));
}

/// Home.md's findings once `[[Agile]]` is broken too.
fn home_findings_without_agile() -> Vec<(Value, i64, String, String)> {
    let mut findings = home_findings();
    findings.push((
        range((9, 11), (9, 20)),
        1,
        "broken-link".to_owned(),
        "`[[Agile]]` leads nowhere: no note or file is named `Agile`\nhelp: create `Agile.md`, or fix the name; a link to a non-Markdown file needs its extension".to_owned(),
    ));
    findings
}

/// The next diagnostics published for each of these notes (others are
/// passed over), in the order of `paths`.
fn published_to(server: &mut Server, root: &Path, paths: &[&str]) -> Vec<Value> {
    let uris: Vec<String> = paths.iter().map(|path| uri(&root.join(path))).collect();
    let mut published: Vec<Option<Value>> = vec![None; uris.len()];
    while published.iter().any(Option::is_none) {
        let params = server.notification("textDocument/publishDiagnostics");
        let at = uris.iter().position(|uri| params["uri"] == json!(uri));
        if let Some(at) = at {
            published[at].get_or_insert(params);
        }
    }
    published.into_iter().flatten().collect()
}

fn watched(file: &Path, kind: u8) -> Value {
    json!({ "changes": [{ "uri": uri(file), "type": kind }] })
}

#[test]
fn changes_the_editor_reports_on_disk_break_and_mend_links_in_closed_notes() {
    let copy = fixture_copy("lsp");
    let root = copy.path();
    let mut server = Server::start_with(root, watching_client());
    let registration = server.notification("client/registerCapability");
    assert_eq!(
        registration["registrations"][0]["method"],
        "workspace/didChangeWatchedFiles"
    );
    assert_eq!(
        registration["registrations"][0]["registerOptions"],
        json!({ "watchers": [{ "globPattern": "**/*" }] })
    );
    // Another program creates Nowhere.md: Home.md's `[[Nowhere]]` is mended.
    std::fs::write(
        root.join("Nowhere.md"),
        "---\nstatus: done\n---\n# Nowhere\n",
    )
    .expect("write");
    server.notify(
        "workspace/didChangeWatchedFiles",
        watched(&root.join("Nowhere.md"), 1),
    );
    let home = server.diagnostics_of(&root.join("Home.md"));
    assert_eq!(diagnostics(&home), home_findings()[1..]);
    // It deletes Topics/Agile.md: `[[Agile]]` breaks, and Agile's own findings go.
    std::fs::remove_file(root.join("Topics/Agile.md")).expect("delete");
    server.notify(
        "workspace/didChangeWatchedFiles",
        watched(&root.join("Topics/Agile.md"), 3),
    );
    let published = published_to(&mut server, root, &["Home.md", "Topics/Agile.md"]);
    let mut expected = home_findings_without_agile();
    expected.remove(0);
    assert_eq!(diagnostics(&published[0]), expected);
    assert_eq!(diagnostics(&published[1]), []);
    // An open note's buffer wins over its file: a change on disk republishes nothing.
    server.open(root, "Home.md");
    let opened = server.diagnostics_of(&root.join("Home.md"));
    assert_eq!(diagnostics(&opened), expected);
    std::fs::write(root.join("Home.md"), "# Home\n").expect("write");
    server.notify(
        "workspace/didChangeWatchedFiles",
        watched(&root.join("Home.md"), 2),
    );
    let symbols = server.result(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri(&root.join("Home.md")) } }),
    );
    assert_eq!(symbols[0]["name"], "Home");
    assert_eq!(server.unread(), Vec::<Value>::new());
}

#[test]
fn a_change_reported_on_the_vault_folder_itself_reads_everything_again() {
    // What the server's own watcher reports when the system dropped
    // events: the files that changed are not known, only that some did.
    let copy = fixture_copy("lsp");
    let root = copy.path();
    let mut server = Server::start_with(root, watching_client());
    server.notification("client/registerCapability");
    std::fs::write(
        root.join("Nowhere.md"),
        "---\nstatus: done\n---\n# Nowhere\n",
    )
    .expect("write");
    std::fs::remove_file(root.join("Topics/Agile.md")).expect("delete");
    server.notify("workspace/didChangeWatchedFiles", watched(root, 2));
    let published = published_to(&mut server, root, &["Home.md", "Topics/Agile.md"]);
    let mut expected = home_findings_without_agile();
    expected.remove(0);
    assert_eq!(diagnostics(&published[0]), expected);
    assert_eq!(diagnostics(&published[1]), []);
}

#[test]
fn the_server_watches_the_vault_for_editors_that_report_no_changes() {
    let copy = fixture_copy("lsp");
    let root = copy.path();
    let mut server = Server::start(root);
    std::fs::write(
        root.join("Nowhere.md"),
        "---\nstatus: done\n---\n# Nowhere\n",
    )
    .expect("write");
    let home = server.diagnostics_of(&root.join("Home.md"));
    assert_eq!(diagnostics(&home), home_findings()[1..]);
    std::fs::remove_file(root.join("Nowhere.md")).expect("delete");
    let home = server.diagnostics_of(&root.join("Home.md"));
    assert_eq!(diagnostics(&home), home_findings());
    // A folder moved away takes its notes along: `[[Agile]]` breaks.
    std::fs::rename(root.join("Topics"), root.join(".archive")).expect("move");
    let home = server.diagnostics_of(&root.join("Home.md"));
    let broken: Vec<String> = diagnostics(&home)
        .into_iter()
        .map(|(_, _, code, _)| code)
        .collect();
    assert!(
        broken.iter().filter(|code| *code == "broken-link").count() >= 2,
        "{broken:?}"
    );
    // Moved back, it brings them back.
    std::fs::rename(root.join(".archive"), root.join("Topics")).expect("move");
    let home = server.diagnostics_of(&root.join("Home.md"));
    assert_eq!(diagnostics(&home), home_findings());
}

/// What a server says of every note `paths` names: where each of its links
/// leads (document links) and what links to it (references).
fn link_state(server: &mut Server, root: &Path, paths: &[String]) -> Vec<(String, Value, Value)> {
    paths
        .iter()
        .map(|path| {
            let document = json!({ "textDocument": { "uri": uri(&root.join(path)) } });
            let links = server.result("textDocument/documentLink", document.clone());
            let mut params = document;
            params["position"] = json!({ "line": 0, "character": 0 });
            params["context"] = json!({ "includeDeclaration": true });
            let references = server.result("textDocument/references", params);
            (path.clone(), links, references)
        })
        .collect()
}

#[test]
fn a_storm_of_changes_on_disk_ends_as_a_fresh_start_would() {
    let vault = tempfile::tempdir().expect("a folder");
    let root = vault.path();
    let note = |i: usize| format!("Note {i}");
    std::fs::create_dir(root.join("A")).expect("a folder");
    for i in 0..300 {
        let text = format!(
            "Up to [[Hub]], next [[{}]], and [[Gone {i}]].\n",
            note(i + 1)
        );
        std::fs::write(root.join(format!("A/{}.md", note(i))), text).expect("written");
    }
    std::fs::write(root.join("Hub.md"), "The hub.\n").expect("written");
    let mut server = Server::start(root);
    // As a checkout does it: a folder renamed, notes deleted, rewritten
    // and created, as fast as the file system takes them.
    std::fs::rename(root.join("A"), root.join("B")).expect("renamed");
    for i in (0..300).step_by(3) {
        std::fs::remove_file(root.join(format!("B/{}.md", note(i)))).expect("deleted");
    }
    for i in (1..300).step_by(3) {
        let text = format!("Now [[{}]] and [[Hub#Nowhere]].\n", note(i + 2));
        std::fs::write(root.join(format!("B/{}.md", note(i))), text).expect("rewritten");
    }
    std::fs::create_dir(root.join("C")).expect("a folder");
    for i in 0..100 {
        let text = format!("New, to [[{}]].\n", note(i * 3));
        std::fs::write(root.join(format!("C/Gone {i}.md")), text).expect("created");
    }
    // Written last: once its finding is published, every change before it
    // has been read (the server takes file events in order).
    let sentinel = root.join("Sentinel.md");
    std::fs::write(&sentinel, "[[Nothing by this name]]\n").expect("written");
    server.diagnostics_of(&sentinel);

    let mut paths: Vec<String> = ["A", "B", "C"]
        .iter()
        .flat_map(|folder| (0..300).map(move |i| format!("{folder}/{}.md", note(i))))
        .chain((0..100).map(|i| format!("C/Gone {i}.md")))
        .chain(["Hub.md".to_owned(), "Sentinel.md".to_owned()])
        .collect();
    paths.sort();
    let after_the_storm = link_state(&mut server, root, &paths);
    let mut fresh = Server::start(root);
    let fresh_state = link_state(&mut fresh, root, &paths);
    assert_eq!(after_the_storm.len(), fresh_state.len());
    for (stormed, started) in after_the_storm.iter().zip(&fresh_state) {
        assert_eq!(stormed, started);
    }
    // And the state is not empty: the hub has its backlinks.
    let hub = fresh_state
        .iter()
        .find(|(path, ..)| path == "Hub.md")
        .expect("the hub");
    assert!(
        hub.2.as_array().is_some_and(|links| links.len() > 150),
        "{}",
        hub.2
    );
}

fn workspace_symbol(name: &str, kind: i64, path: &str, from: (u32, u32), to: (u32, u32)) -> Value {
    json!({ "name": name, "kind": kind, "containerName": path, "location": location(path, from, to) })
}

#[test]
fn workspace_symbols_are_notes_aliases_and_headings_best_match_first() {
    const FILE: i64 = 1;
    const STRING: i64 = 15;
    const KEY: i64 = 20;
    let mut server = Server::start(&vault());
    let mut query = |query: &str| server.result("workspace/symbol", json!({ "query": query }));
    assert_eq!(
        query("git"),
        json!([
            workspace_symbol("Git", FILE, "Topics/Git.md", (0, 0), (0, 0)),
            workspace_symbol("Git", STRING, "Topics/Git.md", (5, 0), (5, 5)),
        ])
    );
    // Positions in UTF-16 units: `# Agile 🏃 敏捷` is 13.
    assert_eq!(
        query("敏捷"),
        json!([workspace_symbol(
            "Agile 🏃 敏捷",
            STRING,
            "Topics/Agile.md",
            (3, 0),
            (3, 13)
        )])
    );
    assert_eq!(
        query("vc"),
        json!([workspace_symbol(
            "Version control",
            KEY,
            "Topics/Git.md",
            (0, 0),
            (0, 0)
        )])
    );
    // Prefixes before runs inside names; notes before headings; hidden
    // and ignored notes (Templates/) never.
    let names: Vec<(String, String)> = (query("A").as_array().expect("a list").iter())
        .map(|s| {
            (
                s["name"].as_str().unwrap_or_default().to_owned(),
                s["containerName"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("Agile", "Topics/Agile.md"),
        ("Agile 🏃 敏捷", "Topics/Agile.md"),
        ("Draft", "Draft.md"),
        ("Branches", "Topics/Git.md"),
    ];
    assert_eq!(
        names,
        expected.map(|(name, path)| (name.to_owned(), path.to_owned()))
    );
}
