//! Drives the real `vaultkit lsp` over stdio as an editor would, on a vault
//! folder, and times what an editor waits for: the first answer after
//! start, definition, references, completion and workspace/symbol, the
//! diagnostics after an edit in a buffer, after an edit on disk by another
//! program, and after a "checkout" rewriting 2,000 notes; then the
//! server's peak RSS and the CPU it uses while idle. Each figure is printed
//! against its target (issue 17) with PASS or FAIL, as a Markdown table.
//!
//! ```sh
//! cargo run --release --example lsp_bench -- VAULT_DIR MUCH_LINKED_NOTE [SAMPLES]
//! ```
//!
//! `MUCH_LINKED_NOTE` is the vault path of a note with many backlinks
//! (where references are asked); `SAMPLES` (default 200) is the number of
//! each request. The server is `$VAULTKIT_BIN`, else `target/release/vaultkit`.
//! The vault's notes are rewritten on disk: run it on a copy. It exits 1 when
//! a target is missed, 2 when the run fails.

use std::collections::{HashSet, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use lsp_types::notification::{
    DidChangeTextDocument, DidOpenTextDocument, Exit, Initialized, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    Completion, ExecuteCommand, GotoDefinition, Initialize, References, Request as _, Shutdown,
    WorkspaceSymbolRequest,
};
use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
use serde_json::{Value, json};

/// How many times the server is started to time it becoming ready.
const READY_RUNS: usize = 5;
/// How many course outlines are asked for.
const OUTLINES: usize = 5;
/// How many edits in a buffer are timed until their diagnostics.
const BUFFER_EDITS: usize = 100;
/// How many notes are opened in the editor (definitions are asked in them).
const OPENED: usize = 50;
/// How many notes another program rewrites, one at a time.
const DISK_EDITS: usize = 30;
/// How many notes the "checkout" rewrites at once.
const CHECKOUT: usize = 2000;
/// How long the server may stay busy after the checkout's first index refresh.
const QUIET_WAIT: Duration = Duration::from_secs(30);

/// How long idle CPU is watched after the server settled.
const IDLE: Duration = Duration::from_secs(3);
/// The longest wait for any one answer or notification.
const WAIT: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(much_linked)) = (args.next(), args.next()) else {
        eprintln!("usage: lsp_bench VAULT_DIR MUCH_LINKED_NOTE [SAMPLES]");
        return ExitCode::from(2);
    };
    let samples = args.next().and_then(|n| n.parse().ok()).unwrap_or(200);
    let server = std::env::var_os("VAULTKIT_BIN")
        .map_or_else(|| PathBuf::from("target/release/vaultkit"), PathBuf::from);
    match run(&server, Path::new(&root), &much_linked, samples) {
        Ok(rows) => {
            print_table(&rows);
            if rows.iter().all(Row::passes) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(err) => {
            eprintln!("lsp_bench: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// One measured figure and its target.
struct Row {
    what: String,
    /// The samples, in the row's unit.
    values: Vec<f64>,
    unit: &'static str,
    /// Which statistic the target applies to, and its limit (none: the
    /// row is reported only).
    statistic: Statistic,
    limit: Option<f64>,
}

#[derive(Clone, Copy)]
enum Statistic {
    Median,
    P95,
    Max,
}

impl Row {
    fn new(what: impl Into<String>, values: Vec<f64>, unit: &'static str) -> Self {
        Self {
            what: what.into(),
            values,
            unit,
            statistic: Statistic::P95,
            limit: None,
        }
    }

    fn target(mut self, statistic: Statistic, limit: f64) -> Self {
        self.statistic = statistic;
        self.limit = Some(limit);
        self
    }

    fn millis(what: impl Into<String>, times: &[Duration]) -> Self {
        let values = times.iter().map(|t| t.as_secs_f64() * 1000.0).collect();
        Self::new(what, values, "ms")
    }

    fn judged(&self) -> f64 {
        match self.statistic {
            Statistic::Median => percentile(&self.values, 0.5),
            Statistic::P95 => percentile(&self.values, 0.95),
            Statistic::Max => percentile(&self.values, 1.0),
        }
    }

    fn passes(&self) -> bool {
        self.limit.is_none_or(|limit| self.judged() <= limit)
    }
}

/// The nearest-rank percentile `q` (0 to 1) of `values`.
fn percentile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len().max(1));
    sorted.get(rank - 1).copied().unwrap_or(f64::NAN)
}

fn print_table(rows: &[Row]) {
    println!("| measure | n | p50 | p95 | max | target | |");
    println!("|---|---:|---:|---:|---:|---|---|");
    for row in rows {
        let show = |v: f64| match row.unit {
            "ms" if v < 10.0 => format!("{v:.2} ms"),
            unit => format!("{v:.0} {unit}"),
        };
        let statistic = match row.statistic {
            Statistic::Median => "p50",
            Statistic::P95 => "p95",
            Statistic::Max => "max",
        };
        let (target, verdict) = match row.limit {
            Some(limit) => (
                format!("{statistic} ≤ {}", show(limit)),
                if row.passes() { "PASS" } else { "FAIL" },
            ),
            None => ("none".to_owned(), ""),
        };
        println!(
            "| {} | {} | {} | {} | {} | {target} | {verdict} |",
            row.what,
            row.values.len(),
            show(percentile(&row.values, 0.5)),
            show(percentile(&row.values, 0.95)),
            show(percentile(&row.values, 1.0)),
        );
    }
}

/// Every measurement, in the order an editor session meets them.
fn run(server: &Path, root: &Path, much_linked: &str, samples: usize) -> Result<Vec<Row>> {
    let root = root
        .canonicalize()
        .with_context(|| format!("no vault at {}", root.display()))?;
    let notes = list_notes(&root)?;
    println!(
        "{}: {} notes; server {}",
        root.display(),
        notes.len(),
        server.display()
    );
    let mut rows = Vec::new();

    let mut ready = Vec::new();
    let mut session = None;
    for run in 0..READY_RUNS {
        let (client, took) = Client::ready(server, &root)?;
        ready.push(took);
        if run + 1 < READY_RUNS {
            client.stop()?;
        } else {
            session = Some(client);
        }
    }
    let mut client = session.context("no session")?;
    rows.push(
        Row::millis(
            "ready: spawn → initialize → initialized → first workspace/symbol answer",
            &ready,
        )
        .target(Statistic::Median, 300.0),
    );

    // Notes with links, opened in the editor; the rest stay closed.
    let linking: Vec<&String> = (notes.iter())
        .filter(|path| *path != much_linked)
        .filter(|path| {
            read(&root, path).is_ok_and(|text| text.contains("[[") && ends_in_prose(&text))
        })
        .collect();
    let mut docs = Vec::new();
    for path in spread(&linking, OPENED) {
        docs.push(client.open(&root, path)?);
    }
    let opened: HashSet<String> = docs.iter().map(|doc| doc.path.clone()).collect();

    let links: Vec<(usize, Position)> = (docs.iter().enumerate())
        .flat_map(|(i, doc)| {
            (doc.text.match_indices("[[")).map(move |(at, _)| (i, position(&doc.text, at + 2)))
        })
        .collect();
    let mut times = Vec::new();
    let mut answered = 0;
    for (i, at) in spread(&links, samples).into_iter().cycle().take(samples) {
        let params = json!({"textDocument": {"uri": docs[i].uri}, "position": at});
        let (answer, took) = client.request(GotoDefinition::METHOD, params)?;
        answered += usize::from(!answer.is_null());
        times.push(took);
    }
    println!("definition: {answered} of {samples} requests found a target");
    rows.push(Row::millis("definition, on a link", &times).target(Statistic::P95, 5.0));

    let target = client.open(&root, much_linked)?;
    let plain = plain_line(&target.text);
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..samples {
        let params = json!({
            "textDocument": {"uri": target.uri},
            "position": plain,
            "context": {"includeDeclaration": false},
        });
        let (answer, took) = client.request(References::METHOD, params)?;
        found = answer.as_array().map_or(0, Vec::len);
        times.push(took);
    }
    println!("references: {found} locations for {much_linked}");
    rows.push(Row::millis("references, in a much-linked note", &times).target(Statistic::P95, 5.0));

    // Completion in the first opened note, on a line of its own at its end.
    let names: Vec<String> = (spread(&notes, samples).iter())
        .map(|path| note_name(path).to_owned())
        .collect();
    let doc = &mut docs[0];
    client.edit(doc, doc.text.len(), "\n[[")?;
    client.diagnostics_of(&doc.uri)?;
    let typing_from = doc.text.len();
    let mut times = Vec::new();
    let mut items = 0;
    for _ in 0..samples {
        let (answer, took) = client.complete(doc)?;
        items = answer["items"].as_array().map_or(0, Vec::len);
        times.push(took);
    }
    println!("completion after `[[`: {items} items");
    rows.push(Row::millis("completion after `[[`", &times).target(Statistic::P95, 5.0));
    let mut times = Vec::new();
    for name in &names {
        let typed: String = name.chars().take(3).collect();
        client.replace(doc, typing_from, &typed)?;
        client.diagnostics_of(&doc.uri)?;
        times.push(client.complete(doc)?.1);
    }
    rows.push(
        Row::millis("completion after `[[` and 3 letters of a name", &times)
            .target(Statistic::P95, 5.0),
    );

    // Tags: the `[[` typed over with `#` and a letter.
    let mut times = Vec::new();
    let mut tags = 0;
    for name in &names {
        let letter: String = name.chars().take(1).flat_map(char::to_lowercase).collect();
        client.replace(doc, typing_from - 2, &format!("#{letter}"))?;
        client.diagnostics_of(&doc.uri)?;
        let (answer, took) = client.complete(doc)?;
        tags = tags.max(answer["items"].as_array().map_or(0, Vec::len));
        times.push(took);
    }
    println!("completion after `#` and a letter: up to {tags} tags");
    rows.push(Row::millis("completion after `#` and a letter", &times).target(Statistic::P95, 5.0));

    let mut times = Vec::new();
    for name in &names {
        let query: String = name.chars().take(4).collect();
        let (_, took) = client.request(WorkspaceSymbolRequest::METHOD, json!({"query": query}))?;
        times.push(took);
    }
    rows.push(
        Row::millis("workspace/symbol, 4 letters of a name", &times).target(Statistic::P95, 10.0),
    );

    let mut times = Vec::new();
    for _ in 0..OUTLINES {
        let params = json!({"command": "vaultkit.outline", "arguments": [target.uri]});
        let (answer, took) = client.request(ExecuteCommand::METHOD, params)?;
        if answer.as_str().is_none() {
            bail!("vaultkit.outline answered {answer}");
        }
        times.push(took);
    }
    rows.push(Row::millis(
        "executeCommand vaultkit.outline, from the much-linked note",
        &times,
    ));

    // Each edit adds or changes a last line holding a link to nowhere, which
    // the diagnostics must name.
    let mut times = Vec::new();
    // Where each note's added line starts, once it has one; the first
    // note keeps its line being typed.
    let mut added: Vec<Option<usize>> = vec![None; docs.len()];
    for edit in 0..BUFFER_EDITS {
        let k = if docs.len() > 1 {
            1 + edit % (docs.len() - 1)
        } else {
            0
        };
        let doc = &mut docs[k];
        let marker = format!("[[lsp-bench-change-{edit}]]");
        let start = Instant::now();
        match added[k] {
            Some(from) => client.replace(doc, from, &marker)?,
            None => {
                added[k] = Some(doc.text.len() + 1);
                client.edit(doc, doc.text.len(), &format!("\n{marker}"))?;
            }
        }
        let seen = client.wait_for(|message| names_marker(message, &marker))?;
        times.push(seen - start);
    }
    rows.push(Row::millis("didChange → publishDiagnostics", &times).target(Statistic::P95, 50.0));

    let closed: Vec<&String> = (notes.iter())
        .filter(|path| *path != much_linked && !opened.contains(*path))
        .filter(|path| read(&root, path).is_ok_and(|text| ends_in_prose(&text)))
        .collect();
    let (rewritten, edited): (Vec<&String>, Vec<&String>) = {
        let edited = spread(&closed, DISK_EDITS);
        let picked: HashSet<&String> = edited.iter().copied().collect();
        let rest: Vec<&String> = closed.into_iter().filter(|p| !picked.contains(p)).collect();
        (spread(&rest, CHECKOUT), edited)
    };
    let mut times = Vec::new();
    for (edit, path) in edited.iter().enumerate() {
        let marker = format!("[[lsp-bench-disk-{edit}]]");
        let text = format!("{}\n{marker}\n", read(&root, path)?);
        let start = Instant::now();
        save_by_rename(&root.join(path), &text)?;
        let seen = client.wait_for(|message| names_marker(message, &marker))?;
        times.push(seen - start);
    }
    rows.push(
        Row::millis(
            "a note saved by another program (atomic rename) → its publishDiagnostics",
            &times,
        )
        .target(Statistic::P95, 200.0),
    );

    // The checkout: as git does, every file truncated and written in place.
    let texts: Vec<(PathBuf, String)> = (rewritten.iter().enumerate())
        .map(|(i, path)| {
            let text = read(&root, path)?;
            Ok((
                root.join(path),
                format!("{text}\n[[lsp-bench-checkout-{i}]]\n"),
            ))
        })
        .collect::<Result<_>>()?;
    let start = Instant::now();
    for (file, text) in &texts {
        std::fs::write(file, text).with_context(|| format!("cannot write {}", file.display()))?;
    }
    let written = start.elapsed();
    let mut waiting: HashSet<usize> = (0..texts.len()).collect();
    let settled = client.wait_for(|message| {
        for diagnostic in diagnostics(message) {
            let message = diagnostic["message"].as_str().unwrap_or_default();
            if let Some(n) = numbered(message, "[[lsp-bench-checkout-") {
                waiting.remove(&n);
            }
        }
        waiting.is_empty()
    });
    let settled = settled.with_context(|| {
        let missing: Vec<&String> = waiting.iter().map(|&i| rewritten[i]).collect();
        format!(
            "no new diagnostics for {} notes of the checkout: {missing:?}",
            missing.len()
        )
    })? - start;
    let (_, after) = client.request(WorkspaceSymbolRequest::METHOD, json!({"query": "lsp"}))?;
    println!(
        "checkout: {} notes written in {} ms; every one's new diagnostics published after {} ms; \
         a workspace/symbol then answered in {:.2} ms",
        texts.len(),
        written.as_millis(),
        settled.as_millis(),
        after.as_secs_f64() * 1000.0
    );
    rows.push(
        Row::millis(
            format!("checkout of {} notes → all their diagnostics", texts.len()),
            &[settled],
        )
        .target(Statistic::Max, 2000.0),
    );

    // Idle is once the server has nothing left to do: the checkout's
    // diagnostics are out, and the index refresh that follows the changes'
    // pause (in the background) is done.
    let indexed = client.wait_for(|message| {
        message["method"] == "window/logMessage"
            && message["params"]["message"]
                .as_str()
                .is_some_and(|text| text.contains("is up to date"))
    });
    indexed.context("no index refresh after the checkout")?;
    // Changes reach the indexer as the loop takes them in, so a refresh may
    // start before the last batch and another follow it: idle starts once
    // a whole second passes without a tick (at most half a minute on).
    let quiet_from = Instant::now();
    while quiet_from.elapsed() < QUIET_WAIT {
        let before = client.cpu_ticks()?;
        std::thread::sleep(Duration::from_secs(1));
        if client.cpu_ticks()? == before {
            break;
        }
    }
    println!(
        "idle: the server went quiet {} ms after the first index refresh",
        quiet_from.elapsed().as_millis()
    );
    let before = client.cpu_ticks()?;
    std::thread::sleep(IDLE);
    let idle = client.cpu_ticks()? - before;
    rows.push(
        Row::new(
            format!("CPU ticks (1/100 s) while idle for {} s", IDLE.as_secs()),
            vec![idle as f64],
            "ticks",
        )
        .target(Statistic::Max, 2.0),
    );
    let peak = client.status_kb("VmHWM")?;
    rows.push(
        Row::new("peak RSS (VmHWM)", vec![peak as f64 / 1024.0], "MB")
            .target(Statistic::Max, 250.0),
    );
    client.stop()?;
    Ok(rows)
}

/// A running `vaultkit lsp` and the notifications it sent that were not
/// read yet.
struct Client {
    child: Child,
    stdin: ChildStdin,
    /// Each message with when it was read whole.
    messages: Receiver<(Instant, Value)>,
    pending: VecDeque<(Instant, Value)>,
    next_id: i64,
    /// The last message sent, for the error when no answer comes.
    last_sent: String,
}

/// A note open in the editor: its buffer as the server has it.
struct Doc {
    path: String,
    uri: String,
    text: String,
    version: i32,
}

impl Client {
    /// Starts the server on the vault at `root` until its first answer to
    /// workspace/symbol, and how long that took. The editor reports no
    /// changes on disk, so the server watches the vault itself.
    fn ready(server: &Path, root: &Path) -> Result<(Self, Duration)> {
        let start = Instant::now();
        let mut child = Command::new(server)
            .arg("lsp")
            .env_remove("VAULTKIT_VAULT")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start {}", server.display()))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let stdin = child.stdin.take().context("no stdin")?;
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            while let Some(message) = read_message(&mut stdout) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Self {
            child,
            stdin,
            messages,
            pending: VecDeque::new(),
            next_id: 1,
            last_sent: String::new(),
        };
        let folder = uri(&root.join(""))?;
        client.request(
            Initialize::METHOD,
            json!({
                "processId": std::process::id(),
                "rootUri": folder,
                "workspaceFolders": [{"uri": folder, "name": "vault"}],
                "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
            }),
        )?;
        client.notify(Initialized::METHOD, json!({}))?;
        client.request(WorkspaceSymbolRequest::METHOD, json!({"query": "a"}))?;
        Ok((client, start.elapsed()))
    }

    fn send(&mut self, message: &Value) -> Result<()> {
        let body = serde_json::to_string(message)?;
        self.last_sent = body.chars().take(300).collect();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len())?;
        self.stdin.flush()?;
        Ok(())
    }

    fn notify(&mut self, method: &str, params: Value) -> Result<()> {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}))
    }

    /// Asks `method` and waits for the answer: its result, and the time
    /// from sending to reading it whole.
    fn request(&mut self, method: &str, params: Value) -> Result<(Value, Duration)> {
        let id = self.next_id;
        self.next_id += 1;
        let start = Instant::now();
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))?;
        loop {
            let (at, message) = self.next()?;
            if message["id"] == json!(id) && message.get("method").is_none() {
                if let Some(error) = message.get("error") {
                    bail!("{method} failed: {error}");
                }
                return Ok((message["result"].clone(), at - start));
            }
            if message.get("method").is_some() && message.get("id").is_none() {
                self.pending.push_back((at, message));
            }
        }
    }

    /// The next message, waiting at most [`WAIT`].
    fn next(&mut self) -> Result<(Instant, Value)> {
        match self.messages.recv_timeout(WAIT) {
            Ok(message) => Ok(message),
            Err(RecvTimeoutError::Timeout) => bail!(
                "the server sent nothing for {WAIT:?} (its state: {}) after {}",
                self.state().unwrap_or_else(|err| err.to_string()),
                self.last_sent
            ),
            Err(RecvTimeoutError::Disconnected) => bail!("the server closed its output"),
        }
    }

    /// Waits for the notification `accept` takes (reading first those
    /// already read) and says when it was read; the ones before it are
    /// dropped.
    fn wait_for(&mut self, mut accept: impl FnMut(&Value) -> bool) -> Result<Instant> {
        while let Some((at, message)) = self.pending.pop_front() {
            if accept(&message) {
                return Ok(at);
            }
        }
        let mut skipped = 0;
        let mut last = Value::Null;
        loop {
            let (at, message) = self.next().with_context(|| {
                let last: String = last.to_string().chars().take(1000).collect();
                format!(
                    "waiting, {skipped} notifications read before did not fit, the last: {last}"
                )
            })?;
            if message.get("id").is_none() && accept(&message) {
                return Ok(at);
            }
            skipped += 1;
            last = message;
        }
    }

    /// Waits for the diagnostics of `uri`.
    fn diagnostics_of(&mut self, uri: &str) -> Result<Instant> {
        self.wait_for(|message| {
            message["method"] == PublishDiagnostics::METHOD && message["params"]["uri"] == uri
        })
    }

    /// Opens the note at `path` and waits for its diagnostics.
    fn open(&mut self, root: &Path, path: &str) -> Result<Doc> {
        let doc = Doc {
            path: path.to_owned(),
            uri: uri(&root.join(path))?,
            text: read(root, path)?,
            version: 1,
        };
        self.notify(
            DidOpenTextDocument::METHOD,
            json!({"textDocument": {
                "uri": doc.uri, "languageId": "markdown", "version": doc.version, "text": doc.text,
            }}),
        )?;
        self.diagnostics_of(&doc.uri)?;
        Ok(doc)
    }

    /// Inserts `text` at byte `at` of an open note.
    fn edit(&mut self, doc: &mut Doc, at: usize, text: &str) -> Result<()> {
        let range = Range::new(position(&doc.text, at), position(&doc.text, at));
        doc.text.insert_str(at, text);
        self.changed(doc, range, text)
    }

    /// Replaces an open note's text from byte `from` to its end by `text`.
    fn replace(&mut self, doc: &mut Doc, from: usize, text: &str) -> Result<()> {
        let range = Range::new(
            position(&doc.text, from),
            position(&doc.text, doc.text.len()),
        );
        doc.text.replace_range(from.., text);
        self.changed(doc, range, text)
    }

    fn changed(&mut self, doc: &mut Doc, range: Range, text: &str) -> Result<()> {
        doc.version += 1;
        let change = TextDocumentContentChangeEvent {
            range: Some(range),
            range_length: None,
            text: text.to_owned(),
        };
        self.notify(
            DidChangeTextDocument::METHOD,
            json!({
                "textDocument": {"uri": doc.uri, "version": doc.version},
                "contentChanges": [change],
            }),
        )
    }

    /// Asks for completion at the end of an open note.
    fn complete(&mut self, doc: &Doc) -> Result<(Value, Duration)> {
        let at = position(&doc.text, doc.text.len());
        let params = json!({"textDocument": {"uri": doc.uri}, "position": at});
        self.request(Completion::METHOD, params)
    }

    /// The server's scheduling state and CPU ticks, to tell a busy server
    /// from a waiting one.
    fn state(&self) -> Result<String> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))?;
        let state = (stat.rsplit_once(')').map(|(_, rest)| rest.trim()))
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or("?")
            .to_owned();
        Ok(format!("{state}, {} CPU ticks", self.cpu_ticks()?))
    }

    /// The CPU time the server used so far, user and system, in clock ticks.
    fn cpu_ticks(&self) -> Result<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))?;
        // The fields after the command name (which may hold spaces), from the third.
        let fields: Vec<&str> = (stat.rsplit_once(')'))
            .context("unreadable stat")?
            .1
            .split_whitespace()
            .collect();
        let field =
            |n: usize| -> Result<u64> { Ok(fields.get(n - 3).context("short stat")?.parse()?) };
        Ok(field(14)? + field(15)?)
    }

    /// A `kB` figure of the server's `/proc/PID/status`.
    fn status_kb(&self, key: &str) -> Result<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let line = (status.lines())
            .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
            .with_context(|| format!("no {key} in the server's status"))?;
        Ok(line.trim().trim_end_matches("kB").trim().parse()?)
    }

    /// Shuts the server down and waits for it to exit.
    fn stop(mut self) -> Result<()> {
        self.request(Shutdown::METHOD, Value::Null)?;
        self.notify(Exit::METHOD, Value::Null)?;
        let status = self.child.wait()?;
        if !status.success() {
            return Err(anyhow!("the server exited with {status}"));
        }
        Ok(())
    }
}

/// One framed message of `input` and when it was read; `None` at the end.
fn read_message(input: &mut impl BufRead) -> Option<(Instant, Value)> {
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
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse().ok();
        }
    }
    let mut body = vec![0; length?];
    input.read_exact(&mut body).ok()?;
    let at = Instant::now();
    Some((at, serde_json::from_slice(&body).ok()?))
}

/// The diagnostics a message publishes, if it publishes any.
fn diagnostics(message: &Value) -> &[Value] {
    if message["method"] != PublishDiagnostics::METHOD {
        return &[];
    }
    message["params"]["diagnostics"]
        .as_array()
        .map_or(&[], Vec::as_slice)
}

/// Whether a message publishes a diagnostic naming `marker`.
fn names_marker(message: &Value, marker: &str) -> bool {
    diagnostics(message)
        .iter()
        .any(|d| d["message"].as_str().is_some_and(|m| m.contains(marker)))
}

/// Whether a link added at the end of `text` would be a link: no code
/// block, comment or math block is left open (some notes end inside one),
/// by a cautious count.
fn ends_in_prose(text: &str) -> bool {
    let fences = (text.lines())
        .filter(|line| {
            ["```", "~~~"]
                .iter()
                .any(|f| line.trim_start().starts_with(f))
        })
        .count();
    fences % 2 == 0 && !text.contains("%%") && !text.contains("<!--") && !text.contains("$$")
}

/// The number after `prefix` in `text`, if `prefix` is there.
fn numbered(text: &str, prefix: &str) -> Option<usize> {
    let after = &text[text.find(prefix)? + prefix.len()..];
    let digits = after
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(after.len());
    after[..digits].parse().ok()
}

/// Every note's vault path, sorted, as the vault sees them (hidden files
/// and folders left out).
fn list_notes(root: &Path) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    let mut folders = vec![root.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') {
                continue;
            }
            let kind = entry.file_type()?;
            if kind.is_dir() {
                folders.push(entry.path());
            } else if kind.is_file() && name.ends_with(".md") {
                let path = entry.path();
                let inside = path
                    .strip_prefix(root)?
                    .to_str()
                    .context("non-UTF-8 path")?;
                notes.push(inside.replace('\\', "/"));
            }
        }
    }
    notes.sort();
    Ok(notes)
}

fn read(root: &Path, path: &str) -> Result<String> {
    std::fs::read_to_string(root.join(path)).with_context(|| format!("cannot read {path}"))
}

/// Writes `text` to a file beside `file`, then renames it over `file`, as
/// editors save.
fn save_by_rename(file: &Path, text: &str) -> Result<()> {
    let name = file.file_name().context("no file name")?.to_string_lossy();
    let temporary = file.with_file_name(format!(".{name}.lsp-bench.tmp"));
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, file)?;
    Ok(())
}

/// The `file:` URI of a path.
fn uri(path: &Path) -> Result<String> {
    url::Url::from_file_path(path)
        .map(String::from)
        .map_err(|()| anyhow!("no URI for {}", path.display()))
}

/// `count` items spread evenly over `items` (all of them when fewer).
fn spread<T: Clone>(items: &[T], count: usize) -> Vec<T> {
    let step = (items.len() / count.max(1)).max(1);
    items.iter().step_by(step).take(count).cloned().collect()
}

/// A note's name: its file name without `.md`.
fn note_name(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

/// The editor position (UTF-16) of byte `offset` of `text`.
fn position(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let character = before[start..].encode_utf16().count();
    Position::new(line as u32, character as u32)
}

/// The start of the first line of prose after the front matter (no link,
/// heading, tag or block id on it), where references mean the note's
/// backlinks; the end of the note when there is none.
fn plain_line(text: &str) -> Position {
    let mut offset = 0;
    let mut in_front_matter = text.starts_with("---");
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        if n > 0 && in_front_matter && trimmed == "---" {
            in_front_matter = false;
        } else if !in_front_matter
            && trimmed.len() > 1
            && !trimmed.contains(['[', '#', '^', '`', '|', '>', '-'])
        {
            return position(text, offset);
        }
        offset += line.len();
    }
    position(text, text.len())
}
