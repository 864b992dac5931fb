//! `vaultkit lsp`: a language server on stdio, answering from the live
//! vault model (`vaultkit::vault::live`). Protocol types live only here:
//! the library knows nothing of LSP.
//!
//! The protocol's types come from `lsp-types` and the JSON-RPC messages
//! from `lsp-server`, driven by a synchronous loop on the main thread:
//! every answer comes from memory in well under a millisecond, so the CLI
//! needs no async runtime (tower-lsp-server would bring tokio) nor threads
//! to serve one editor. The framing is read here ([`transport`]) rather
//! than by `lsp_server::Connection`, whose reader thread stops at the first
//! malformed message: here such a message gets an error response and the
//! session goes on.
//!
//! The loop waits on one channel that merges the editor's messages (read
//! by a thread of their own) with the changes the vault watcher reports
//! and the refreshes of each vault's index (made by a thread of their own,
//! see [`indexer`]), so an idle server sleeps instead of polling.

mod actions;
mod commands;
mod complete;
mod convert;
mod diagnostics;
mod edit;
mod folding;
mod fuzzy;
mod hover;
mod indexer;
mod lens;
mod links;
mod names;
mod navigate;
mod rename;
mod symbols;
mod transport;
mod watch;
mod workspace;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{Sender, channel};

use anyhow::Result;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    Initialized, LogMessage, Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{
    CodeActionRequest, CodeLensRequest, Completion, DocumentDiagnosticRequest, DocumentLinkRequest,
    DocumentSymbolRequest, ExecuteCommand, FoldingRangeRequest, GotoDefinition, HoverRequest,
    Initialize, PrepareRenameRequest, References, RegisterCapability, Rename, Request as _,
    Shutdown, WorkspaceDiagnosticRefresh, WorkspaceSymbolRequest,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CodeLensOptions,
    CompletionOptions, DiagnosticOptions, DiagnosticServerCapabilities,
    DidChangeWatchedFilesRegistrationOptions, DocumentLinkOptions, DocumentSymbolResponse,
    ExecuteCommandOptions, FileSystemWatcher, FoldingRangeProviderCapability, GlobPattern,
    GotoDefinitionResponse, HoverProviderCapability, InitializeParams, InitializeResult,
    LogMessageParams, MessageType, OneOf, PositionEncodingKind, PublishDiagnosticsParams,
    Registration, RegistrationParams, RenameOptions, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    Uri, WorkspaceSymbolResponse,
};
use vaultkit::model::LineIndex;
use vaultkit::vault::{FileId, NoteId};

use indexer::{Indexed, Indexer};
use navigate::Cursor;
use transport::Incoming;
use workspace::{Relinted, Workspace};

/// Serves one editor on stdin and stdout until it says `exit` or closes
/// the stream. The vault is `vault` (from `--vault`) when given, else each
/// workspace folder the editor names (or its root), else `discovered`. Its
/// index is kept in `index_dir` (from `--index-dir`) when given, if the
/// server has only one vault.
pub fn run(
    vault: Option<PathBuf>,
    discovered: Option<PathBuf>,
    index_dir: Option<PathBuf>,
) -> Result<ExitCode> {
    let (sender, inputs) = channel();
    let editor = sender.clone();
    std::thread::spawn(move || {
        let mut input = std::io::stdin().lock();
        loop {
            let read = transport::read(&mut input);
            let last = !matches!(read, Ok(Incoming::Message(_) | Incoming::Malformed(_)));
            if editor.send(Input::Editor(read)).is_err() || last {
                break;
            }
        }
    });
    let mut output = std::io::stdout().lock();
    let mut server = Server {
        vault,
        discovered,
        index_dir,
        workspaces: Vec::new(),
        indexers: Vec::new(),
        notices: Vec::new(),
        told_indexing: false,
        state: State::Starting,
        editor_watches: false,
        edits: edit::Support::default(),
        inputs: sender,
        watches: Vec::new(),
        pull: Pull::default(),
    };
    while let Ok(input) = inputs.recv() {
        let sent = match input {
            Input::Editor(read) => match read? {
                Incoming::End => break,
                Incoming::Malformed(error) => {
                    transport::write(&mut output, &error)?;
                    continue;
                }
                Incoming::Message(Message::Request(request)) => {
                    let response = Message::Response(server.request(request));
                    std::iter::once(response)
                        .chain(server.notices.drain(..))
                        .collect()
                }
                Incoming::Message(Message::Notification(notification)) => {
                    if notification.method == "exit" {
                        break;
                    }
                    server.notification(notification)
                }
                // The only request the server sends, to register for
                // watched files, needs nothing done with its answer.
                Incoming::Message(Message::Response(_)) => Vec::new(),
            },
            Input::Disk(files) => server.files_changed(files),
            Input::Indexed(indexed) => server.indexed(indexed),
        };
        for message in sent {
            transport::write(&mut output, &message)?;
        }
    }
    output.flush()?;
    // As the protocol says: 0 after a shutdown request, 1 without one.
    Ok(match server.state {
        State::ShutDown => ExitCode::SUCCESS,
        State::Starting | State::Running => ExitCode::from(1),
    })
}

/// What the server loop waits for.
enum Input {
    /// A message from the editor, or the end of its stream.
    Editor(std::io::Result<Incoming>),
    /// Files or folders of a vault that changed on disk.
    Disk(Vec<PathBuf>),
    /// A refresh of a vault's index is done.
    Indexed(Box<Indexed>),
}

/// Where the session is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before `initialize`.
    Starting,
    /// Answering.
    Running,
    /// After `shutdown`: only `exit` is left.
    ShutDown,
}

struct Server {
    vault: Option<PathBuf>,
    discovered: Option<PathBuf>,
    index_dir: Option<PathBuf>,
    workspaces: Vec<Workspace>,
    /// What keeps each vault's index up to date, in the order of `workspaces`.
    indexers: Vec<Indexer>,
    /// Messages to send after the answer at hand.
    notices: Vec<Message>,
    /// Whether the editor was told that searches match names only until the
    /// index is open, and so is to be told when it is.
    told_indexing: bool,
    state: State,
    /// Whether the editor reports changes on disk when asked to.
    editor_watches: bool,
    /// What the editor applies in a workspace edit.
    edits: edit::Support,
    /// Where the vault watchers send what changed.
    inputs: Sender<Input>,
    /// The vault watchers, when the editor does not report changes.
    watches: Vec<watch::Watch>,
    /// Whether the editor pulls diagnostics (see [`diagnostics`]).
    pull: Pull,
}

/// What the editor does with pulled diagnostics.
#[derive(Default)]
struct Pull {
    /// It pulls them, for open documents.
    pulls: bool,
    /// It pulls again when asked to (`workspace/diagnostic/refresh`).
    refreshes: bool,
    /// How many times it was asked: each request needs an id of its own.
    asked: u64,
}

impl Server {
    fn request(&mut self, request: Request) -> Response {
        let refused = match (self.state, request.method.as_str()) {
            (State::Starting, Initialize::METHOD) | (State::Running, _) => None,
            (State::Starting, _) => Some((
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet",
            )),
            (State::ShutDown, _) => Some((ErrorCode::InvalidRequest, "the server is shut down")),
        };
        if let Some((code, message)) = refused {
            return Response::new_err(request.id, code as i32, message.to_owned());
        }
        match request.method.as_str() {
            Initialize::METHOD if self.state == State::Starting => {
                self.pull.refreshes = diagnostics::client_refreshes(&request.params);
                answer::<Initialize>(request, |params| self.initialize(params))
            }
            Initialize::METHOD => {
                let message = "the server is initialized already".to_owned();
                Response::new_err(request.id, ErrorCode::InvalidRequest as i32, message)
            }
            Shutdown::METHOD => {
                self.state = State::ShutDown;
                Response::new_ok(request.id, ())
            }
            GotoDefinition::METHOD => answer::<GotoDefinition>(request, |params| {
                let at = params.text_document_position_params;
                let (workspace, cursor) = self.cursor(&at.text_document.uri, at.position)?;
                navigate::definition(workspace, &cursor).map(GotoDefinitionResponse::Scalar)
            }),
            References::METHOD => answer::<References>(request, |params| {
                let at = params.text_document_position;
                Some(match self.cursor(&at.text_document.uri, at.position) {
                    Some((workspace, cursor)) => navigate::references(workspace, &cursor),
                    None => Vec::new(),
                })
            }),
            DocumentSymbolRequest::METHOD => answer::<DocumentSymbolRequest>(request, |params| {
                let symbols = self
                    .note(&params.text_document.uri)
                    .and_then(|(workspace, id)| {
                        let note = workspace.live().note(id)?;
                        let text = workspace.text(id)?;
                        Some(symbols::document_symbols(note, &LineIndex::new(&text)))
                    });
                Some(DocumentSymbolResponse::Nested(symbols.unwrap_or_default()))
            }),
            HoverRequest::METHOD => answer::<HoverRequest>(request, |params| {
                let at = params.text_document_position_params;
                let (workspace, cursor) = self.cursor(&at.text_document.uri, at.position)?;
                hover::hover(workspace, &cursor)
            }),
            Completion::METHOD => answer::<Completion>(request, |params| {
                let at = params.text_document_position;
                let (workspace, id) = self.note(&at.text_document.uri)?;
                complete::complete(workspace, id, at.position)
            }),
            DocumentLinkRequest::METHOD => answer::<DocumentLinkRequest>(request, |params| {
                let (workspace, id) = self.note(&params.text_document.uri)?;
                Some(links::document_links(workspace, id))
            }),
            FoldingRangeRequest::METHOD => answer::<FoldingRangeRequest>(request, |params| {
                let (workspace, id) = self.note(&params.text_document.uri)?;
                let (note, text) = (workspace.live().note(id)?, workspace.text(id)?);
                Some(folding::folding_ranges(note, &LineIndex::new(&text)))
            }),
            CodeLensRequest::METHOD => answer::<CodeLensRequest>(request, |params| {
                let (workspace, id) = self.note(&params.text_document.uri)?;
                Some(lens::code_lenses(workspace, id))
            }),
            DocumentDiagnosticRequest::METHOD => {
                answer::<DocumentDiagnosticRequest>(request, |params| {
                    let note = self.note(&params.text_document.uri);
                    diagnostics::pulled(note, params.previous_result_id.as_deref())
                })
            }
            WorkspaceSymbolRequest::METHOD => answer::<WorkspaceSymbolRequest>(request, |params| {
                if symbols::runs_search(&params.query) {
                    self.tell_indexing();
                }
                let found = symbols::workspace_symbols(&self.workspaces, &params.query);
                Some(WorkspaceSymbolResponse::Nested(found))
            }),
            CodeActionRequest::METHOD => answer::<CodeActionRequest>(request, |params| {
                let (workspace, id) = self.note(&params.text_document.uri)?;
                Some(actions::quick_fixes(workspace, id, &params, self.edits))
            }),
            ExecuteCommand::METHOD => answer_or_fail::<ExecuteCommand>(request, |params| {
                commands::execute(&self.workspaces, &params).map(Some)
            }),
            PrepareRenameRequest::METHOD => answer_or_fail::<PrepareRenameRequest>(request, |at| {
                let (index, path) = self.locate_note(&at.text_document.uri)?;
                rename::prepare(&self.workspaces[index], &path, at.position, self.edits).map(Some)
            }),
            Rename::METHOD => answer_or_fail::<Rename>(request, |params| {
                let at = params.text_document_position;
                let (index, path) = self.locate_note(&at.text_document.uri)?;
                let workspace = &mut self.workspaces[index];
                rename::rename(workspace, &path, at.position, &params.new_name, self.edits)
                    .map(Some)
            }),
            _ => {
                let message = format!("unknown method `{}`", request.method);
                Response::new_err(request.id, ErrorCode::MethodNotFound as i32, message)
            }
        }
    }

    /// Loads the vaults and says what the server can do.
    fn initialize(&mut self, params: InitializeParams) -> InitializeResult {
        let named: Vec<PathBuf> = match (&self.vault, params.workspace_folders) {
            (Some(vault), _) => vec![vault.clone()],
            (None, Some(folders)) if !folders.is_empty() => folders
                .iter()
                .filter_map(|folder| convert::file_path(&folder.uri))
                .collect(),
            #[allow(deprecated)] // older clients send only the root
            (None, _) => (params.root_uri.as_ref().and_then(convert::file_path))
                .or_else(|| params.root_path.map(PathBuf::from))
                .or_else(|| self.discovered.clone())
                .into_iter()
                .collect(),
        };
        self.pull.pulls = (params.capabilities.text_document.as_ref())
            .is_some_and(|document| document.diagnostic.is_some());
        self.edits = edit::Support::of(&params.capabilities);
        self.editor_watches = (params.capabilities.workspace)
            .and_then(|workspace| workspace.did_change_watched_files)
            .and_then(|watched| watched.dynamic_registration)
            == Some(true);
        if self.index_dir.is_some() && named.len() > 1 {
            eprintln!(
                "vaultkit lsp: --index-dir names the index of one vault; each of these keeps its own"
            );
            self.index_dir = None;
        }
        for root in named {
            match Workspace::load(&root, self.index_dir.clone()) {
                Ok(workspace) => {
                    self.indexers.push(Indexer::start(
                        &root,
                        workspace.config().clone(),
                        self.index_dir.clone(),
                        !workspace.is_indexing(),
                        self.inputs.clone(),
                        Input::Indexed,
                    ));
                    self.workspaces.push(workspace);
                }
                Err(err) => {
                    eprintln!(
                        "vaultkit lsp: cannot read the vault at {}: {err:#}",
                        root.display()
                    );
                    continue;
                }
            }
            // Started before the answer, so that no change after it is missed.
            if !self.editor_watches {
                match watch::start(&root, self.inputs.clone(), Input::Disk) {
                    Ok(watch) => self.watches.push(watch),
                    Err(err) => eprintln!(
                        "vaultkit lsp: cannot watch the vault at {}: {err}",
                        root.display()
                    ),
                }
            }
        }
        self.state = State::Running;
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(PositionEncodingKind::UTF16),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                        ..CodeActionOptions::default()
                    },
                )),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: commands::COMMANDS.map(str::to_owned).to_vec(),
                    ..ExecuteCommandOptions::default()
                }),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(["[", "#", "^", "(", " "].map(str::to_owned).to_vec()),
                    ..CompletionOptions::default()
                }),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                diagnostic_provider: self.pull.pulls.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("vaultkit".to_owned()),
                        inter_file_dependencies: true,
                        workspace_diagnostics: false,
                        work_done_progress_options: Default::default(),
                    })
                }),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "vaultkit".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        }
    }

    /// What to send after a notification: the diagnostics it changed, or
    /// the request to register for watched files.
    fn notification(&mut self, notification: Notification) -> Vec<Message> {
        if self.state != State::Running {
            return Vec::new();
        }
        match notification.method.as_str() {
            Initialized::METHOD if self.editor_watches => vec![watch_files()],
            DidChangeWatchedFiles::METHOD => {
                let Ok(params) = notification.extract::<lsp_types::DidChangeWatchedFilesParams>(
                    DidChangeWatchedFiles::METHOD,
                ) else {
                    return Vec::new();
                };
                let files = params.changes.iter();
                self.files_changed(
                    files
                        .filter_map(|event| convert::file_path(&event.uri))
                        .collect(),
                )
            }
            DidOpenTextDocument::METHOD => {
                let Ok(params) = notification
                    .extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                let document = params.text_document;
                let mut sent = self.change(&document.uri, |workspace, path| {
                    Some(workspace.open(
                        path,
                        document.uri.clone(),
                        document.version,
                        &document.text,
                    ))
                });
                if self.pull.pulls && self.note(&document.uri).is_some() {
                    // What was pushed while the note was closed goes.
                    let cleared = diagnostics_of(document.uri, Vec::new());
                    sent.insert(0, Message::Notification(cleared));
                }
                sent
            }
            DidChangeTextDocument::METHOD => {
                let Ok(params) = notification.extract::<lsp_types::DidChangeTextDocumentParams>(
                    DidChangeTextDocument::METHOD,
                ) else {
                    return Vec::new();
                };
                let (edits, version) = (params.content_changes, params.text_document.version);
                self.change(&params.text_document.uri, |workspace, path| {
                    workspace.edit(path, version, edits)
                })
            }
            DidCloseTextDocument::METHOD => {
                let Ok(params) = notification
                    .extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return Vec::new();
                };
                self.change(&params.text_document.uri, |workspace, path| {
                    workspace.is_open(path).then(|| workspace.close(path))
                })
            }
            // Saves, settings, cancellations, traces: nothing to do.
            _ => Vec::new(),
        }
    }

    /// Makes every vault agree with the disk at `files` (files or folders
    /// changed by other programs) and publishes the diagnostics that
    /// changed: for the notes whose findings changed, and empty ones for
    /// the notes that left the vault.
    fn files_changed(&mut self, files: Vec<PathBuf>) -> Vec<Message> {
        let mut published = Vec::new();
        for index in 0..self.workspaces.len() {
            let workspace = &mut self.workspaces[index];
            let mut gone = Vec::new();
            let mut changed = BTreeSet::new();
            let mut reread = |reread: workspace::Reread| {
                for err in reread.errors {
                    eprintln!("vaultkit lsp: {err:#}");
                }
                gone.extend(reread.gone);
                changed.extend(reread.relinted);
            };
            if (files.iter()).any(|file| workspace.is_config(file) || workspace.is_root(file)) {
                // Everything is read again: with the new configuration, or
                // because the watcher lost track of changes.
                match workspace.reload() {
                    Ok(reloaded) => reread(reloaded),
                    Err(err) => published.push(config_error(&err)),
                }
            } else {
                for file in &files {
                    if workspace.holds(file) {
                        reread(workspace.reread(file));
                    }
                }
            }
            if files.iter().any(|file| workspace.indexes(file)) {
                self.indexers[index].changed(workspace.config());
            }
            let now = self.announce(index, changed);
            let back: BTreeSet<&str> = (now.iter())
                .filter_map(|sent| match sent {
                    Message::Notification(sent) => sent.params["uri"].as_str(),
                    _ => None,
                })
                .collect();
            gone.retain(|uri| !back.contains(uri.as_str()));
            gone.dedup();
            published.extend(
                (gone.into_iter())
                    .map(|uri| Message::Notification(diagnostics_of(uri, Vec::new()))),
            );
            published.extend(now);
        }
        published
    }

    /// Takes a refresh of a vault's index: what to tell the editor of it.
    /// Searches answer from it from now on.
    fn indexed(&mut self, indexed: Box<Indexed>) -> Vec<Message> {
        let Some(workspace) = (self.workspaces.iter_mut()).find(|w| w.root() == indexed.root)
        else {
            return Vec::new();
        };
        let root = indexed.root.display();
        let (typ, logged) = match &indexed.opened {
            Ok((_, refresh)) => (
                MessageType::LOG,
                format!(
                    "vaultkit: the index of {root} is up to date: {} notes, {} other files; {} files read in {} commits, {} ms",
                    refresh.notes,
                    refresh.attachments,
                    refresh.added + refresh.changed,
                    refresh.commits,
                    refresh.elapsed.as_millis()
                ),
            ),
            Err(reason) => {
                eprintln!("vaultkit lsp: the index of {root}: {reason}");
                (
                    MessageType::ERROR,
                    format!("vaultkit: the index of {root}: {reason}"),
                )
            }
        };
        workspace.indexed(indexed.opened.map(|(index, _)| index));
        let params = LogMessageParams {
            typ,
            message: logged,
        };
        let mut sent = vec![Message::Notification(Notification::new(
            LogMessage::METHOD.to_owned(),
            params,
        ))];
        if self.told_indexing && !self.workspaces.iter().any(Workspace::is_indexing) {
            self.told_indexing = false;
            sent.push(show_message(
                MessageType::INFO,
                "vaultkit: the search index is ready: searches find words in the notes again"
                    .to_owned(),
            ));
        }
        sent
    }

    /// Tells the editor, once, that searches match names only while the
    /// index of a vault is opened for the first time (built, for a vault
    /// without one).
    fn tell_indexing(&mut self) {
        let Some(workspace) = self.workspaces.iter().find(|w| w.is_indexing()) else {
            return;
        };
        if self.told_indexing {
            return;
        }
        self.told_indexing = true;
        self.notices.push(show_message(
            MessageType::INFO,
            format!(
                "vaultkit: the search index of {} is being built; until it is ready, searches match the names of notes, aliases and headings",
                workspace.root().display()
            ),
        ));
    }

    /// What tells the editor of the new findings of the notes `ids` of the
    /// workspace `index`: each note's diagnostics pushed, but for open notes
    /// when the editor pulls, which it is asked to pull again instead.
    fn announce(&mut self, index: usize, ids: impl IntoIterator<Item = NoteId>) -> Vec<Message> {
        let workspace = &self.workspaces[index];
        let mut sent = Vec::new();
        let mut pull_again = false;
        for id in ids {
            let Some(note) = workspace.live().note(id) else {
                continue;
            };
            if self.pull.pulls && workspace.is_open(&note.path) {
                pull_again = true;
            } else {
                sent.extend(publish(workspace, id).map(Message::Notification));
            }
        }
        if pull_again && self.pull.refreshes {
            self.pull.asked += 1;
            let id = RequestId::from(format!("vaultkit-diagnostic-refresh-{}", self.pull.asked));
            let method = WorkspaceDiagnosticRefresh::METHOD.to_owned();
            sent.push(Message::Request(Request::new(id, method, ())));
        }
        sent
    }

    /// Applies a change to the note at `uri` and publishes the diagnostics
    /// of the note and of every note whose findings it changed.
    fn change(
        &mut self,
        uri: &Uri,
        apply: impl FnOnce(&mut Workspace, &str) -> Option<Result<Relinted>>,
    ) -> Vec<Message> {
        let Some((index, path)) = self.locate(uri) else {
            return Vec::new();
        };
        let workspace = &mut self.workspaces[index];
        let relinted = match apply(workspace, &path) {
            Some(Ok(relinted)) => relinted,
            Some(Err(err)) => {
                eprintln!("vaultkit lsp: {path}: {err:#}");
                return Vec::new();
            }
            None => return Vec::new(),
        };
        let mut published = Vec::new();
        match workspace.live().note_id(&path) {
            // An editor that pulls asks for the changed note's diagnostics itself.
            Some(_) if self.pull.pulls && workspace.is_open(&path) => {}
            Some(id) => published.extend(publish(workspace, id).map(Message::Notification)),
            // The note left the vault (closed, never saved): so do its findings.
            None => published.push(Message::Notification(diagnostics_of(
                uri.clone(),
                Vec::new(),
            ))),
        }
        let others: Vec<NoteId> = (relinted.into_iter())
            .filter(|&id| (workspace.live().note(id)).is_some_and(|note| note.path != path))
            .collect();
        published.extend(self.announce(index, others));
        published
    }

    /// The vault holding the note at `uri`, and the note's vault path.
    fn locate(&self, uri: &Uri) -> Option<(usize, String)> {
        (self.workspaces.iter().enumerate())
            .find_map(|(index, workspace)| Some((index, workspace.note_path(uri)?)))
    }

    /// [`Server::locate`], or why the document is not a note of a vault.
    fn locate_note(&self, uri: &Uri) -> Result<(usize, String), String> {
        (self.locate(uri)).ok_or_else(|| format!("{} is not a note of the vault", uri.as_str()))
    }

    /// The note at `uri` and its vault.
    fn note(&self, uri: &Uri) -> Option<(&Workspace, NoteId)> {
        let (index, path) = self.locate(uri)?;
        let workspace = &self.workspaces[index];
        Some((workspace, workspace.live().note_id(&path)?))
    }

    /// The position `position` of the note at `uri`.
    fn cursor(&self, uri: &Uri, position: lsp_types::Position) -> Option<(&Workspace, Cursor<'_>)> {
        let (index, path) = self.locate(uri)?;
        let workspace = &self.workspaces[index];
        Some((workspace, Cursor::at(workspace, &path, position)?))
    }
}

/// Answers a request of type `R` with `respond`, or with an error when
/// its parameters do not fit.
fn answer<R: lsp_types::request::Request>(
    request: Request,
    respond: impl FnOnce(R::Params) -> R::Result,
) -> Response {
    answer_or_fail::<R>(request, |params| Ok(respond(params)))
}

/// [`answer`], for a request that may fail: with a failure whose message
/// says why.
fn answer_or_fail<R: lsp_types::request::Request>(
    request: Request,
    respond: impl FnOnce(R::Params) -> Result<R::Result, String>,
) -> Response {
    match serde_json::from_value::<R::Params>(request.params) {
        Ok(params) => match respond(params) {
            Ok(result) => Response::new_ok(request.id, result),
            Err(message) => Response::new_err(request.id, ErrorCode::RequestFailed as i32, message),
        },
        Err(err) => {
            let message = format!("invalid parameters for `{}`: {err}", R::METHOD);
            Response::new_err(request.id, ErrorCode::InvalidParams as i32, message)
        }
    }
}

/// The notification of a note's current findings.
fn publish(workspace: &Workspace, id: NoteId) -> Option<Notification> {
    let uri = workspace.uri(FileId::Note(id))?;
    Some(diagnostics_of(uri, diagnostics::of_note(workspace, id)))
}

/// The message saying why an edited `vaultkit.toml` is not taken.
fn config_error(err: &anyhow::Error) -> Message {
    show_message(
        MessageType::ERROR,
        format!("vaultkit: {err:#}; the previous configuration stays in force"),
    )
}

/// A message for the editor to show.
fn show_message(typ: MessageType, message: String) -> Message {
    let params = ShowMessageParams { typ, message };
    Message::Notification(Notification::new(ShowMessage::METHOD.to_owned(), params))
}

/// The request asking the editor to report every change to the files of
/// its workspace folders.
fn watch_files() -> Message {
    let options = DidChangeWatchedFilesRegistrationOptions {
        watchers: vec![FileSystemWatcher {
            glob_pattern: GlobPattern::String("**/*".to_owned()),
            kind: None,
        }],
    };
    let params = RegistrationParams {
        registrations: vec![Registration {
            id: "vaultkit-watched-files".to_owned(),
            method: DidChangeWatchedFiles::METHOD.to_owned(),
            register_options: serde_json::to_value(options).ok(),
        }],
    };
    let id = RequestId::from("vaultkit-watched-files".to_owned());
    Message::Request(Request::new(
        id,
        RegisterCapability::METHOD.to_owned(),
        params,
    ))
}

fn diagnostics_of(uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>) -> Notification {
    let params = PublishDiagnosticsParams {
        uri,
        diagnostics,
        version: None,
    };
    Notification::new(PublishDiagnostics::METHOD.to_owned(), params)
}
