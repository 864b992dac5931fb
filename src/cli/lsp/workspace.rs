//! One vault the server answers for: its live model and its notes' lint
//! findings, the documents the editor has open in it, and the mapping
//! between editor URIs and vault paths.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result};
use globset::GlobSet;
use lsp_types::{TextDocumentContentChangeEvent, Uri};
use rustc_hash::FxHashMap;
use vaultkit::config::{self, Config, Schema};
use vaultkit::index::{self, Decode, Index};
use vaultkit::lint::cache;
use vaultkit::lint::live::Findings;
use vaultkit::model::Diagnostic;
use vaultkit::model::LineIndex;
use vaultkit::parse;
use vaultkit::refactor::mv;
use vaultkit::search::{self, Query, Sort};
use vaultkit::vault::change::{ChangeError, Changes};
use vaultkit::vault::live::LiveVault;
use vaultkit::vault::resolve::nfc;
use vaultkit::vault::scan::{self, Listed};
use vaultkit::vault::{FileId, NoteId};

use super::convert;
use super::indexer;
use super::names::{LinkText, Names, NoteNames, Tags};

/// The notes whose lint findings a change changed.
pub type Relinted = BTreeSet<NoteId>;

/// A vault folder and its live model.
pub struct Workspace {
    root: PathBuf,
    /// Where its index is kept instead of `<root>/.vaultkit` (`--index-dir`).
    index_dir: Option<PathBuf>,
    ignore: GlobSet,
    live: LiveVault,
    /// The index that searches answer from, as its last refresh left it
    /// (see [`super::indexer`]).
    index: Searchable,
    /// The front-matter schema of its `vaultkit.toml`.
    schema: Schema,
    /// Its `vaultkit.toml`.
    config: Config,
    /// Every note's findings, kept current from the first time they are
    /// asked for or the model changes: a server answers names and links
    /// before it has linted every note.
    findings: OnceLock<Findings>,
    /// Open notes, by vault path.
    open: BTreeMap<String, Opened>,
    /// Its names folded for matching, kept in step with every change.
    names: Names,
}

/// The vault of `root` as its index has it, brought up to date with the
/// files (in steps, as the indexer refreshes); `None` when there is no
/// index to read, which is then left for the indexer to build.
fn from_index(
    root: &Path,
    config: &Config,
    data_dir: Option<PathBuf>,
) -> Option<(LiveVault, Index)> {
    let options = index::Options {
        data_dir,
        step: Some(indexer::STEP),
        only_existing: true,
        ..index::Options::default()
    };
    let (index, refresh) = Index::open(root, config, &options).ok()?;
    let vault = index
        .vault(root, refresh.problems, Decode::WhenNeeded)
        .ok()?;
    Some((vault.into_live(), index))
}

impl Workspace {
    /// Reads the vault at `root` with its `vaultkit.toml`, as `lint` would:
    /// from its index (kept in `index_dir` when given) when it has one,
    /// the files changed since read again, as a warm command does; else
    /// every note.
    pub fn load(root: &Path, index_dir: Option<PathBuf>) -> Result<Self> {
        let config = Config::load(root)?;
        let ignore = config.ignore_set(&root.join(config::FILE_NAME))?;
        let (live, index) = match from_index(root, &config, index_dir.clone()) {
            Some((live, index)) => (live, Searchable::Ready(Box::new(index))),
            None => (LiveVault::load(root, &config)?, Searchable::Pending),
        };
        let schema = config.schema.clone();
        Ok(Self {
            root: root.to_owned(),
            index_dir,
            ignore,
            live,
            index,
            schema,
            config,
            findings: OnceLock::new(),
            open: BTreeMap::new(),
            names: Names::default(),
        })
    }

    /// The editor range of a span of the note `id`: from the span alone
    /// when the note holds no astral character, else counted in its text.
    pub fn range_of(&self, id: NoteId, span: vaultkit::model::Span) -> Option<lsp_types::Range> {
        if self.live.note(id)?.has_astral {
            let text = self.text(id)?;
            Some(convert::range(&LineIndex::new(&text), span))
        } else {
            Some(convert::bmp_range(span))
        }
    }

    /// The live model.
    pub fn live(&self) -> &LiveVault {
        &self.live
    }

    /// Every note's names, folded for matching.
    pub fn note_names(&self) -> &FxHashMap<NoteId, NoteNames> {
        self.names.notes(&self.live)
    }

    /// Every file's link text, in path order, folded for matching too.
    pub fn link_texts(&self) -> &[LinkText] {
        self.names.links(&self.live)
    }

    /// The vault's tags, counted.
    pub fn tags(&self) -> &Tags {
        self.names.tags(&self.live)
    }

    /// The front-matter schema of the vault's `vaultkit.toml`.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Runs a search with Obsidian's syntax, best hits first: on the index
    /// as its last refresh left it (behind the files by the changes of the
    /// last moments), with the open notes' buffers for what is checked on a
    /// note's text (lines, sections, tasks, snippets). `None` while the
    /// index is opened for the first time (built, for a vault without one).
    pub fn search(&self, query: &Query, limit: usize) -> Result<Option<search::Results>> {
        let index = match &self.index {
            Searchable::Pending => return Ok(None),
            Searchable::Ready(index) => index,
            Searchable::Failed(reason) => anyhow::bail!("{reason}"),
        };
        let results = search::search(index, &self.root, &self.live, query, Sort::Relevance, limit)?;
        Ok(Some(results))
    }

    /// Whether the index is still being opened for the first time.
    pub fn is_indexing(&self) -> bool {
        matches!(self.index, Searchable::Pending)
    }

    /// Takes the index a refresh opened, or its failure: searches go on
    /// with the last index that opened.
    pub fn indexed(&mut self, opened: Result<Index, String>) {
        match opened {
            Ok(index) => self.index = Searchable::Ready(Box::new(index)),
            Err(reason) if !matches!(self.index, Searchable::Ready(_)) => {
                self.index = Searchable::Failed(reason);
            }
            Err(_) => {}
        }
    }

    /// The vault's folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The vault's `vaultkit.toml`.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Plans a refactoring with `vaultkit mv`'s planner, on the notes as
    /// the editor has them (open buffers before files), leaving the vault
    /// as it is: nothing is written.
    pub fn preview(&mut self, request: &mv::Request) -> vaultkit::error::Result<mv::Planned> {
        // Copied out, as the planner changes the vault while it reads.
        let buffers: BTreeMap<String, String> = (self.open.keys())
            .filter_map(|path| {
                let buffer = self.live.buffer(self.live.note_id(path)?)?;
                Some((path.clone(), buffer.to_owned()))
            })
            .collect();
        // The planner changes the vault and puts it back without saying
        // what changed: the names are folded again when next asked for.
        self.names = Names::default();
        let root = &self.root;
        let read = |path: &str| -> vaultkit::error::Result<Vec<u8>> {
            match buffers.get(path) {
                Some(text) => Ok(text.clone().into_bytes()),
                None => {
                    std::fs::read(root.join(path)).map_err(|source| vaultkit::error::Error::Io {
                        path: path.into(),
                        source,
                    })
                }
            }
        };
        mv::preview(&mut self.live, request, &read)
    }

    /// A note's lint findings, sorted by line and column.
    pub fn findings(&self, id: NoteId) -> &[Diagnostic] {
        self.all_findings().of(id)
    }

    fn all_findings(&self) -> &Findings {
        (self.findings)
            .get_or_init(|| Findings::new(&self.live, self.config.clone(), cache::today()))
    }

    /// The model, to change: every change goes through here, so that the
    /// findings it is compared with are those from before it.
    fn live_mut(&mut self) -> &mut LiveVault {
        self.all_findings();
        &mut self.live
    }

    /// Takes a change of the model into the findings (linting as on the
    /// day it is now, which may have turned since the last change).
    fn relint(&mut self, changes: Result<Changes, ChangeError>) -> Result<Relinted> {
        let changes = changes?;
        self.names.update(&self.live, &changes);
        self.all_findings();
        let Some(findings) = self.findings.get_mut() else {
            return Ok(Relinted::default());
        };
        let mut relinted = findings.set_today(&self.live, cache::today());
        relinted.extend(findings.update(&self.live, &changes));
        Ok(relinted)
    }

    /// The vault path of the note a URI names: `None` for anything that is
    /// not a note of this vault (another folder, a hidden or ignored file,
    /// not Markdown).
    pub fn note_path(&self, uri: &Uri) -> Option<String> {
        let path = self.vault_path(&convert::file_path(uri)?)?;
        scan::is_markdown(&path).then_some(path)
    }

    /// Whether a change to a file or folder on disk changes the index: one
    /// of the vault, or its `vaultkit.toml`, but not the index's own files.
    pub fn indexes(&self, file: &Path) -> bool {
        self.is_config(file) || self.is_root(file) || self.vault_path(file).is_some()
    }

    /// The vault path of a file or folder on disk: `None` for anything
    /// outside the vault, hidden, ignored, or the configuration file.
    fn vault_path(&self, file: &Path) -> Option<String> {
        let inside = file.strip_prefix(&self.root).ok()?;
        let mut parts = Vec::new();
        for part in inside.components() {
            let part = part.as_os_str().to_str()?;
            if part.starts_with('.') {
                return None;
            }
            parts.push(nfc(part).into_owned());
        }
        let path = parts.join("/");
        let ignored = !self.ignore.is_empty() && self.ignore.is_match(&path);
        (!path.is_empty() && !ignored && path != config::FILE_NAME).then_some(path)
    }

    /// Whether a file or folder on disk is in this vault's folder.
    pub fn holds(&self, file: &Path) -> bool {
        file.starts_with(&self.root)
    }

    /// The URI of a file: the editor's own for an open note.
    pub fn uri(&self, file: FileId) -> Option<Uri> {
        self.path_uri(self.live.file_path(file)?)
    }

    /// The URI of a vault path, whether a file is there or not: the
    /// editor's own for an open note.
    pub fn path_uri(&self, path: &str) -> Option<Uri> {
        if let Some(opened) = self.open.get(path) {
            return Some(opened.uri.clone());
        }
        convert::file_uri(&self.root.join(path))
    }

    /// A note's text as the model read it: the editor's buffer for an open
    /// note, else the file.
    pub fn text(&self, id: NoteId) -> Option<Cow<'_, str>> {
        if let Some(buffer) = self.live.buffer(id) {
            return Some(Cow::Borrowed(buffer));
        }
        let path = self.live.note(id)?.path.as_str();
        let bytes = std::fs::read(self.root.join(path)).ok()?;
        Some(Cow::Owned(parse::decode(path, &bytes).0.into_owned()))
    }

    /// The editor opened a note (`version` of its buffer): the buffer
    /// overrides the file.
    pub fn open(&mut self, path: &str, uri: Uri, version: i32, text: &str) -> Result<Relinted> {
        let changes = self.live_mut().upsert_note(path, text);
        self.open.insert(path.to_owned(), Opened { uri, version });
        self.relint(changes)
    }

    /// The editor changed an open note's buffer, now at `version`; `None`
    /// when the note is not open.
    pub fn edit(
        &mut self,
        path: &str,
        version: i32,
        edits: Vec<TextDocumentContentChangeEvent>,
    ) -> Option<Result<Relinted>> {
        self.open.get_mut(path)?.version = version;
        let mut text = self.live.buffer(self.live.note_id(path)?)?.to_owned();
        for edit in edits {
            apply(&mut text, edit);
        }
        let changes = self.live_mut().upsert_note(path, &text);
        Some(self.relint(changes))
    }

    /// The version of an open note's buffer, which an edit of it names so
    /// that the editor applies it to that text only; `None` for a closed note.
    pub fn version(&self, path: &str) -> Option<i32> {
        self.open.get(path).map(|opened| opened.version)
    }

    /// The editor closed a note: the file counts again, or, when there is
    /// none (a note never saved), the note leaves the vault.
    pub fn close(&mut self, path: &str) -> Result<Relinted> {
        self.open.remove(path);
        let changes = match std::fs::read(self.root.join(path)) {
            Ok(bytes) => {
                let text = parse::decode(path, &bytes).0;
                self.live_mut().upsert_note(path, &text)
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => self.live_mut().remove(path),
            Err(err) => return Err(err).with_context(|| format!("cannot read {path}")),
        };
        self.relint(changes)
    }

    /// Makes the model agree with the disk at `file` (a file or folder,
    /// whatever happened to it): a file is read again or added, a folder's
    /// files too, and what is gone leaves the vault. Notes open in the
    /// editor keep their buffer.
    pub fn reread(&mut self, file: &Path) -> Reread {
        let mut reread = Reread::default();
        let Some(path) = self.vault_path(file) else {
            return reread;
        };
        match std::fs::symlink_metadata(file) {
            Ok(meta) if meta.is_file() => self.reread_file(&path, file, &mut reread),
            Ok(meta) if meta.is_dir() => {
                let found: Vec<_> = scan::list(&self.root, &self.ignore, file, true)
                    .filter_map(|listed| match listed {
                        Ok(Listed::File(found)) => Some(found),
                        Ok(Listed::Folder { .. }) | Err(_) => None,
                    })
                    .collect();
                for found in found {
                    self.reread_file(&found.path, &found.absolute, &mut reread);
                }
            }
            // Gone, or something the vault skips (a symbolic link).
            _ => self.forget(&path, &mut reread),
        }
        reread
    }

    /// Reads the file at `path` again, or adds it.
    fn reread_file(&mut self, path: &str, file: &Path, reread: &mut Reread) {
        if self.is_open(path) {
            return;
        }
        if !scan::is_markdown(path) {
            if self.live.file_id(path).is_none() {
                let changes = self.live.insert_attachment(path);
                reread.record(self.relint(changes));
            }
            return;
        }
        match std::fs::read(file) {
            Ok(bytes) => {
                let text = parse::decode(path, &bytes).0;
                let unchanged = (self.live.note_id(path))
                    .and_then(|id| self.live.buffer(id))
                    .is_some_and(|buffer| buffer == text);
                if !unchanged {
                    let changes = self.live_mut().upsert_note(path, &text);
                    reread.record(self.relint(changes));
                }
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => self.forget(path, reread),
            Err(err) => reread
                .errors
                .push(anyhow::Error::new(err).context(format!("cannot read {path}"))),
        }
    }

    /// Removes the file at `path`, or every file of the folder at `path`,
    /// but the notes open in the editor.
    fn forget(&mut self, path: &str, reread: &mut Reread) {
        let gone: Vec<String> = match self.live.file_id(path) {
            Some(_) => vec![path.to_owned()],
            None => {
                let folder = format!("{path}/");
                (self.live.files())
                    .filter(|(file, _)| file.starts_with(&folder))
                    .map(|(file, _)| file.to_owned())
                    .collect()
            }
        };
        for path in &gone {
            if self.is_open(path) {
                continue;
            }
            if let Some(FileId::Note(id)) = self.live.file_id(path) {
                reread.gone.extend(self.uri(FileId::Note(id)));
            }
            let changes = self.live_mut().remove(path);
            reread.record(self.relint(changes));
        }
    }

    /// Whether a file on disk is this vault's `vaultkit.toml`.
    pub fn is_config(&self, file: &Path) -> bool {
        file == self.root.join(config::FILE_NAME)
    }

    /// Whether `file` is the vault's folder itself, which the watcher
    /// reports when it lost track of changes (and an editor may report).
    pub fn is_root(&self, file: &Path) -> bool {
        file == self.root
    }

    /// Reads the vault again with its `vaultkit.toml` as it is now (which
    /// may ignore other files, or lint with other rules and schema), the
    /// open notes keeping their buffers. A configuration that does not
    /// load leaves everything as it was.
    pub fn reload(&mut self) -> Result<Reread> {
        let mut fresh = Self::load(&self.root, self.index_dir.clone())?;
        for (path, opened) in &self.open {
            let buffer = (self.live.note_id(path)).and_then(|id| self.live.buffer(id));
            if let Some(text) = buffer
                && fresh.note_path(&opened.uri).is_some()
            {
                fresh.open(path, opened.uri.clone(), opened.version, text)?;
            }
        }
        let mut reread = Reread::default();
        for id in fresh.live.note_ids() {
            let Some(note) = fresh.live.note(id) else {
                continue;
            };
            let before = (self.live.note_id(&note.path)).map(|old| self.findings(old));
            if before != Some(fresh.findings(id)) {
                reread.relinted.insert(id);
            }
        }
        for (path, file) in self.live.files() {
            if matches!(file, FileId::Note(_)) && fresh.live.note_id(path).is_none() {
                reread.gone.extend(self.uri(file));
            }
        }
        // Searched until the index of the new configuration comes.
        fresh.index = std::mem::replace(&mut self.index, Searchable::Pending);
        *self = fresh;
        Ok(reread)
    }

    /// Whether the editor has this note open.
    pub fn is_open(&self, path: &str) -> bool {
        self.open.contains_key(path)
    }
}

/// A note open in the editor.
struct Opened {
    /// The URI the editor names it by.
    uri: Uri,
    /// The version of its buffer, as the editor last said.
    version: i32,
}

/// The index a vault's searches answer from.
enum Searchable {
    /// Its first refresh is running.
    Pending,
    Ready(Box<Index>),
    /// No refresh opened it yet, for this reason.
    Failed(String),
}

/// What rereading files from disk did.
#[derive(Default)]
pub struct Reread {
    /// The notes whose findings changed.
    pub relinted: Relinted,
    /// The notes that left the vault.
    pub gone: Vec<Uri>,
    /// The files that could not be read or taken in.
    pub errors: Vec<anyhow::Error>,
}

impl Reread {
    fn record(&mut self, relinted: Result<Relinted>) {
        match relinted {
            Ok(relinted) => self.relinted.extend(relinted),
            Err(err) => self.errors.push(err),
        }
    }
}

/// Applies one change to a text: a range replaced, or (without a range)
/// the whole text. Positions past the end mean the end.
fn apply(text: &mut String, change: TextDocumentContentChangeEvent) {
    let Some(range) = change.range else {
        *text = change.text;
        return;
    };
    let lines = LineIndex::new(text);
    let offset = |position| convert::offset(&lines, position).unwrap_or(text.len());
    let (start, end) = (offset(range.start), offset(range.end));
    text.replace_range(start.min(end)..end, &change.text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp_types::{Position, Range};

    fn change(from: (u32, u32), to: (u32, u32), text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range {
                start: Position::new(from.0, from.1),
                end: Position::new(to.0, to.1),
            }),
            range_length: None,
            text: text.to_owned(),
        }
    }

    #[test]
    fn changes_count_utf16_units() {
        // "😀" is two UTF-16 units, "漢" one.
        let mut text = "a😀b\n漢字\n".to_owned();
        apply(&mut text, change((0, 3), (0, 4), "B"));
        assert_eq!(text, "a😀B\n漢字\n");
        apply(&mut text, change((1, 1), (2, 0), "!\nnew"));
        assert_eq!(text, "a😀B\n漢!\nnew");
        apply(&mut text, change((9, 0), (9, 0), "\nend"));
        assert_eq!(text, "a😀B\n漢!\nnew\nend");
        let whole = TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: "x".to_owned(),
        };
        apply(&mut text, whole);
        assert_eq!(text, "x");
    }
}
