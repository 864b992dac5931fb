//! The persistent index under `<vault>/.vaultkit/`: a tantivy full-text index
//! with one document per vault file (`index/`), and beside it the note table
//! (`notes.bin`, see [`table`]) with every file's size, modification time and
//! content hash and every note's parsed form. That makes it the vault's cache
//! as well: [`Index::open`] refreshes it (one stat pass, listing only the
//! folders that changed, see [`listing`]; then re-parsing only added or
//! changed notes) and [`Index::vault`] rebuilds the [`Vault`] from
//! the table without parsing anything.
//!
//! Only one process writes at a time (a lock file); readers never wait for a
//! writer, because tantivy's commits and the table's replacement are atomic,
//! and a table that does not match the commit is never used.

pub mod codec;
pub mod kept;
pub mod listing;
pub mod resolved;
pub mod schema;
mod stem;
pub mod table;

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tantivy::columnar::StrColumn;
use tantivy::schema::{OwnedValue, TantivyDocument};
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, Searcher, Term};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Diagnostic, Note, Severity};
use crate::parse::{self, ParsedNote};
use crate::vault::notes::{Counts, Front, NoteSource, Notes};
use crate::vault::resolve::Resolver;
use crate::vault::{FileId, KnownResolutions, NoteId, Vault, scan};
use listing::{Current, Listing};
pub use schema::Fields;
use table::{Entry, Folders, Table};

/// The folder, inside the vault, that holds vaultkit's data.
pub const DATA_DIR: &str = ".vaultkit";
/// Names the vault's folder in the commit payload, after the settings.
const VAULT: &str = "vault=";
/// Written in every commit: an index without it (older, newer, foreign) is rebuilt.
const FORMAT: &str = "vaultkit-index 3";
/// How long a process waits for another one to finish writing.
const LOCK_WAIT: Duration = Duration::from_secs(10);
/// How often a process waiting for the write lock tries to take it.
const LOCK_RETRY: Duration = Duration::from_millis(25);
/// Memory tantivy may buffer before it writes a segment.
const WRITER_MEMORY: usize = 48 << 20;
/// The same for a refresh in steps, which reads little at a time and runs
/// beside a resident process's own memory: one thread with tantivy's least.
const STEP_WRITER_MEMORY: usize = 16 << 20;
/// Refreshes that write at most this many files build the next note table
/// while tantivy writes its segment.
const OVERLAP_UP_TO: usize = 1000;
/// Builds that parse at least this many notes show a progress bar on a terminal.
const PROGRESS_FROM: usize = 2000;
/// How many files a stepped refresh (see [`Options::step`]) reads at a time
/// before it looks at the clock.
const STEP_FILES: usize = 64;

/// How to open the index.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where to keep the index instead of `<vault>/.vaultkit` (for vaults
    /// that are read-only or not yours to write to).
    pub data_dir: Option<PathBuf>,
    /// Build from scratch even if the index is current.
    pub rebuild: bool,
    /// Show a progress bar on a terminal for long builds.
    pub progress: bool,
    /// Refresh only an index there is: when none can be opened (missing,
    /// damaged, or of another version or language), fail rather than build
    /// one.
    pub only_existing: bool,
    /// Commit a refresh in steps, each reading files for about this long
    /// and holding the write lock for that step only: another process
    /// waits at most one step, and may take the lock between two and
    /// finish the refresh itself. Every step's commit is a whole index of
    /// the files it has read so far. `None`: one commit.
    pub step: Option<Duration>,
}

/// What a refresh did.
#[derive(Debug, Clone, Default)]
pub struct Refresh {
    /// Notes in the vault now.
    pub notes: usize,
    /// Other files in the vault now.
    pub attachments: usize,
    /// Bytes of all notes.
    pub note_bytes: u64,
    /// Notes read and parsed in this run (0 when nothing changed).
    pub parsed: usize,
    /// Files new since the last run.
    pub added: usize,
    /// Files whose content changed.
    pub changed: usize,
    /// Files gone since the last run.
    pub removed: usize,
    /// Notes re-indexed because their links now resolve differently.
    pub relinked: usize,
    /// Why the index was built from scratch, if it was.
    pub rebuilt: Option<String>,
    /// Whether there was an index before this run.
    pub had_index: bool,
    /// Set when another process held the index and it was used as it was.
    pub stale: bool,
    /// Entries the scan could not read, and skipped symlinks.
    pub problems: Vec<Diagnostic>,
    /// Folders in the vault now.
    pub folders: usize,
    /// Folders the scan listed; the others were known unchanged.
    pub listed: usize,
    /// Where the index is kept instead of `<vault>/.vaultkit` when the vault
    /// cannot be written (a folder in the user's cache).
    pub relocated: Option<PathBuf>,
    /// Why the index could not be brought up to date (such as a full disk);
    /// it was then used as of its last commit.
    pub failed: Option<String>,
    /// Wall time of the refresh.
    pub elapsed: Duration,
    /// Commits made: more than one for a refresh made in steps.
    pub commits: usize,
}

/// Size figures of the index.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Documents for notes.
    pub notes: u64,
    /// Documents for other files.
    pub attachments: u64,
    /// Distinct words in note bodies (summed over segments).
    pub terms: u64,
    /// Bytes on disk.
    pub bytes: u64,
    /// Segments.
    pub segments: usize,
}

/// An open, current index.
pub struct Index {
    dir: PathBuf,
    index: tantivy::Index,
    reader: IndexReader,
    fields: Fields,
    table: Table,
}

impl Index {
    /// Whether the vault at `root` has an index (whole or not) where `options` say.
    pub fn exists(root: &Path, options: &Options) -> bool {
        let has_index = |data: &Path| data.join("index/meta.json").is_file();
        match &options.data_dir {
            Some(data) => has_index(data),
            None => {
                has_index(&root.join(DATA_DIR))
                    || cache_location(root).is_some_and(|d| has_index(&d))
            }
        }
    }

    /// Opens the index of the vault at `root`, creating or refreshing it first.
    pub fn open(root: &Path, config: &Config, options: &Options) -> Result<(Self, Refresh)> {
        let started = Instant::now();
        let language = &config.search.language;
        let config_file = root.join(crate::config::FILE_NAME);
        let analyzer = schema::analyzer(language, &config_file)?;
        // The vault's folder too: an index shared through `--index-dir` is
        // never taken for another vault's.
        let folder = root.canonicalize().unwrap_or_else(|_| root.to_owned());
        let payload = format!("{FORMAT}; language={language}; {VAULT}{}", folder.display());
        let ignore = config.ignore_set(&config_file)?;
        let ignore_key = xxh3(config.ignore.join("\n").as_bytes());
        // Nothing is created for a vault that does not exist.
        scan::check_root(root)?;
        let (data, relocated) = data_dir(root, options)?;

        // Even for --rebuild: a whole index is rebuilt in place, in one
        // commit, so that readers keep answering from the old one meanwhile.
        let mut opened = Self::existing(&data, &payload, &analyzer);
        if options.only_existing
            && let Err(reason) = &opened
        {
            return Err(index_error(&data, format!("no index to open: {reason}")));
        }
        let Listing {
            current,
            problems,
            folders,
            listed,
            settled,
        } = listing::scan(
            root,
            &ignore,
            ignore_key,
            // --rebuild walks the whole vault, whatever the records say; so
            // does every refresh where folder times are not to be trusted.
            opened
                .as_ref()
                .ok()
                .filter(|_| !options.rebuild && config.index.folder_times)
                .map(|index| &index.table),
        )?;
        let mut refresh = Refresh {
            had_index: data.join("index/meta.json").is_file(),
            problems,
            relocated,
            folders: folders.list.len(),
            listed,
            ..Refresh::default()
        };
        // The table is written again when its folder records changed, or
        // would now be trusted, even if no file changed: the next scan then
        // skips those folders.
        let mut up_to_date = match &opened {
            Ok(index) => {
                !options.rebuild
                    && Diff::new(&index.table, &current).is_empty()
                    && same_folders(&index.table.folders, &folders)
                    && !settled
            }
            Err(_) => false,
        };
        // Whether the table's links were resolved against the files of this
        // scan, by an earlier step: then no note needs relinking.
        let mut linked = false;
        while !up_to_date {
            if refresh.commits > 0 {
                // Between two steps, the lock stays free long enough for a
                // process waiting for it to take it: a lock taken again at
                // once would almost never let it in.
                std::thread::sleep(2 * LOCK_RETRY);
            }
            let _lock = match WriteLock::acquire(&data)? {
                Some(lock) => lock,
                None => {
                    let index = opened.map_err(|_| {
                        index_error(
                            &data,
                            "another vaultkit process is building the index; try again when it is done",
                        )
                    })?;
                    refresh.stale = true;
                    refresh.elapsed = started.elapsed();
                    return Ok((index, refresh));
                }
            };
            // Another process may have refreshed it while we waited.
            if !opened.as_ref().is_ok_and(Self::is_current) {
                opened = Self::existing(&data, &payload, &analyzer);
                linked = false;
            }
            let (mut index, created) = match opened {
                Ok(index) => (index, false),
                Err(reason) => {
                    refresh.rebuilt = Some(reason);
                    (Self::create(&data, &analyzer)?, true)
                }
            };
            let first = refresh.commits == 0;
            if options.rebuild {
                refresh.rebuilt = Some("--rebuild was given".to_owned());
            }
            let pass = Pass {
                rebuild: options.rebuild && first,
                created,
                linked,
            };
            up_to_date =
                match index.update(&current, &folders, &payload, options, pass, &mut refresh) {
                    // The last commit is whole: answer from it rather than fail.
                    Err(error) if !created => {
                        index = Self::existing(&data, &payload, &analyzer)
                            .map_err(|reason| index_error(&data, reason))?;
                        refresh.failed = Some(error.to_string());
                        true
                    }
                    result => result?,
                };
            opened = Ok(index);
            linked = true;
        }
        let index = opened.map_err(|reason| index_error(&data, reason))?;
        refresh.notes = current.iter().filter(|c| c.file.is_note).count();
        refresh.attachments = current.len() - refresh.notes;
        refresh.note_bytes = current
            .iter()
            .filter(|c| c.file.is_note)
            .map(|c| c.size)
            .sum();
        refresh.elapsed = started.elapsed();
        Ok((index, refresh))
    }

    /// Opens the index and note table in `data` if they are whole, of this
    /// version and of the same commit; otherwise says why not. Damaged files
    /// can make tantivy panic while it opens them; that counts as damage.
    fn existing(
        data: &Path,
        payload: &str,
        analyzer: &tantivy::tokenizer::TextAnalyzer,
    ) -> Result<Self, String> {
        let previous_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Self::open_existing(data, payload, analyzer)
        }));
        std::panic::set_hook(previous_hook);
        opened.unwrap_or_else(|_| Err("the index files are damaged".to_owned()))
    }

    fn open_existing(
        data: &Path,
        payload: &str,
        analyzer: &tantivy::tokenizer::TextAnalyzer,
    ) -> Result<Self, String> {
        let dir = data.join("index");
        if !dir.join("meta.json").is_file() {
            return Err("there was no index yet".to_owned());
        }
        // The table first: it is written after the commit it describes, so a
        // commit made meanwhile shows up as a mismatch below.
        let table = Table::load(&data.join(table::FILE_NAME))?;
        let index = tantivy::Index::open_in_dir(&dir)
            .map_err(|e| format!("the index could not be opened ({e})"))?;
        let metas = |index: &tantivy::Index| {
            index
                .load_metas()
                .map_err(|e| format!("the index could not be read ({e})"))
        };
        let before = metas(&index)?;
        if before.payload.as_deref() != Some(payload) {
            let settings = |payload: &str| payload.split(VAULT).next().map(str::to_owned);
            return Err(
                if before.payload.as_deref().and_then(settings) == settings(payload) {
                    "the index was made for the vault in another folder"
                } else {
                    "the index was written by another version or language"
                }
                .to_owned(),
            );
        }
        let (schema, fields) = Fields::schema();
        if index.schema() != schema {
            return Err("the index has another layout".to_owned());
        }
        // Every segment file ends with a checksum, which tantivy checks only
        // when asked: a missing or damaged file would otherwise fail every
        // search, or answer from garbled data.
        match index.validate_checksum() {
            Ok(damaged) if damaged.is_empty() => {}
            Ok(damaged) => {
                let mut names: Vec<String> = (damaged.iter())
                    .map(|path| path.display().to_string())
                    .collect();
                names.sort();
                return Err(format!(
                    "the index files are damaged ({})",
                    names.join(", ")
                ));
            }
            Err(_) => return Err("the index files are damaged (one cannot be read)".to_owned()),
        }
        let opened = Self::with(&dir, index, fields, analyzer, table).map_err(|e| e.to_string())?;
        if opened.table.opstamp != before.opstamp || metas(&opened.index)?.opstamp != before.opstamp
        {
            return Err("the note table does not match the index".to_owned());
        }
        Ok(opened)
    }

    /// Whether the index and note table on disk are still those this was
    /// opened from: no other process committed or wrote a table since.
    fn is_current(&self) -> bool {
        self.table
            .is_stored_at(&self.dir.with_file_name(table::FILE_NAME))
            && self
                .index
                .load_metas()
                .is_ok_and(|metas| metas.opstamp == self.table.opstamp)
    }

    /// A new, empty index in `data`, replacing whatever was there.
    fn create(data: &Path, analyzer: &tantivy::tokenizer::TextAnalyzer) -> Result<Self> {
        let dir = data.join("index");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let (schema, fields) = Fields::schema();
        let index =
            tantivy::Index::create_in_dir(&dir, schema).map_err(|e| index_error(&dir, e))?;
        Self::with(&dir, index, fields, analyzer, Table::empty())
    }

    fn with(
        dir: &Path,
        index: tantivy::Index,
        fields: Fields,
        analyzer: &tantivy::tokenizer::TextAnalyzer,
        table: Table,
    ) -> Result<Self> {
        index.tokenizers().register(schema::WORDS, analyzer.clone());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| index_error(dir, e))?;
        // Validate every segment now, so damage shows up as a rebuild, not a
        // failed search.
        let searcher: Searcher = reader.searcher();
        for segment in searcher.segment_readers() {
            segment
                .fast_fields()
                .str("path")
                .map_err(|e| index_error(dir, e))?;
        }
        Ok(Self {
            dir: dir.to_owned(),
            index,
            reader,
            fields,
            table,
        })
    }

    /// The fields of the index's documents.
    pub fn fields(&self) -> Fields {
        self.fields
    }

    /// A searcher over the current commit.
    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The analyzer that turns text into indexed words.
    pub(crate) fn analyzer(&self) -> Result<tantivy::tokenizer::TextAnalyzer> {
        self.index
            .tokenizers()
            .get(schema::WORDS)
            .ok_or_else(|| index_error(&self.dir, "the word analyzer is missing"))
    }

    /// The vault, from the parsed notes of the note table: all decoded now,
    /// on all cores, or (for a command that reads a part of the vault) each
    /// when first needed, with their counts read now (see [`Notes`]).
    pub fn vault(&self, root: &Path, problems: Vec<Diagnostic>, decode: Decode) -> Result<Vault> {
        let notes = match decode {
            Decode::Now => Notes::parsed(
                (self.table.decode_notes(codec::decode)).map_err(|e| index_error(&self.dir, e))?,
            ),
            Decode::WhenNeeded => {
                let bytes = self.table.note_bytes();
                let counts = (0..bytes.len())
                    .into_par_iter()
                    .map(|i| bytes.get(i).ok_or(codec::Corrupt).and_then(codec::counts))
                    .collect::<Result<Vec<Counts>, codec::Corrupt>>()
                    .map_err(|e| index_error(&self.dir, e))?;
                let paths = (self.table.entries.iter())
                    .filter(|e| e.note.is_some())
                    .map(|e| e.path.clone());
                let notes = paths.zip(counts).collect();
                Notes::lazy(notes, Box::new(TableNotes(bytes)))
            }
        };
        let attachments = self
            .table
            .entries
            .iter()
            .filter(|e| e.note.is_none())
            .map(|e| e.path.clone())
            .collect();
        // Resolutions depend on every file's path and each note's content:
        // they are kept for these paths, with the content they were made from.
        let mut paths = codec::Writer::new(Vec::with_capacity(self.table.entries.len() * 48));
        for entry in &self.table.entries {
            paths.str(&entry.path);
        }
        let stamp = kept::stamp(&[&paths.0]);
        let contents: Vec<u64> = (self.table.entries.iter())
            .filter(|e| e.note.is_some())
            .map(|e| e.hash)
            .collect();
        let known = (stamp.as_ref())
            .and_then(|stamp| kept::load(&self.dir.with_file_name(kept::LINKS), stamp))
            .and_then(|bytes| resolved::decode(&bytes).ok())
            .filter(|(then, _)| then.len() == contents.len())
            .map(|(then, resolutions)| KnownResolutions {
                resolutions,
                unchanged: then.iter().zip(&contents).map(|(a, b)| a == b).collect(),
            });
        let vault = Vault::assemble(root, notes, attachments, problems, known);
        if let Some(stamp) = stamp.filter(|_| vault.resolved_anew()) {
            let body = resolved::encode(&contents, &vault.all_resolutions());
            // Only a cache: a vault in a read-only place still loads.
            let _ = kept::save(&self.dir.with_file_name(kept::LINKS), &stamp, &body);
        }
        Ok(vault)
    }

    /// What was kept as `name` for this note table, this binary and `key`
    /// (see [`kept`]), if anything.
    pub fn kept(&self, name: &str, key: &[u8]) -> Option<Vec<u8>> {
        let stamp = kept::stamp(&[self.table.stored_header()?, key])?;
        kept::load(&self.dir.with_file_name(name), &stamp)
    }

    /// The content hash the note table records for the file at `path`.
    pub fn file_hash(&self, path: &str) -> Option<u64> {
        self.table.get(path).map(|entry| entry.hash)
    }

    /// The texts kept as `name` by note content (see [`kept::ByContent`]);
    /// empty if there are none.
    pub fn kept_by_content(&self, name: &str) -> kept::ByContent {
        kept::stamp(&[name.as_bytes()])
            .and_then(|stamp| kept::load(&self.dir.with_file_name(name), &stamp))
            .and_then(|bytes| kept::decode_by_content(&bytes).ok())
            .unwrap_or_default()
    }

    /// Keeps `texts` as `name` by note content, without those of contents
    /// no file of the vault has any more. A failure to write is ignored.
    pub fn keep_by_content(&self, name: &str, mut texts: kept::ByContent) {
        let current: HashSet<u64> = self.table.entries.iter().map(|e| e.hash).collect();
        texts.retain(|hash, _| current.contains(hash));
        if let Some(stamp) = kept::stamp(&[name.as_bytes()]) {
            let body = kept::encode_by_content(&texts);
            let _ = kept::save(&self.dir.with_file_name(name), &stamp, &body);
        }
    }

    /// Keeps `body` as `name` for this note table, this binary and `key`. A
    /// failure to write is ignored: it is a cache, and a vault in a
    /// read-only place must still work.
    pub fn keep(&self, name: &str, key: &[u8], body: &[u8]) {
        let stamp = (self.table.stored_header()).and_then(|table| kept::stamp(&[table, key]));
        if let Some(stamp) = stamp {
            let _ = kept::save(&self.dir.with_file_name(name), &stamp, body);
        }
    }

    /// The parsed note at a vault path, from the note table.
    pub fn note(&self, path: &str) -> Result<Option<Note>> {
        match self.table.get(path) {
            Some(entry) if entry.note.is_some() => Ok(Some(self.parsed(entry)?.note)),
            _ => Ok(None),
        }
    }

    fn parsed(&self, entry: &Entry) -> Result<ParsedNote> {
        decode(&self.table, entry).map_err(|e| index_error(&self.dir, e))
    }

    /// Size figures.
    pub fn stats(&self) -> Result<Stats> {
        let searcher = self.searcher();
        let mut stats = Stats {
            segments: searcher.segment_readers().len(),
            ..Stats::default()
        };
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(self.fields.body)
                .map_err(|e| index_error(&self.dir, e))?;
            stats.terms += inverted.terms().num_terms() as u64;
        }
        stats.notes = self
            .table
            .entries
            .iter()
            .filter(|e| e.note.is_some())
            .count() as u64;
        stats.attachments = self.table.entries.len() as u64 - stats.notes;
        let table = self.dir.with_file_name(table::FILE_NAME);
        stats.bytes = walkdir::WalkDir::new(&self.dir)
            .into_iter()
            .chain(walkdir::WalkDir::new(table))
            .filter_map(|e| e.ok()?.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum();
        Ok(stats)
    }

    /// The vault path of every document of `searcher`, by segment and doc id
    /// (empty for deleted documents). Reads the path column's dictionary in
    /// order, which is much faster than looking each path up.
    pub fn doc_paths(&self, searcher: &Searcher) -> Result<Vec<Vec<String>>> {
        let err = |e: &dyn std::fmt::Display| index_error(&self.dir, e);
        searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let column: StrColumn = segment
                    .fast_fields()
                    .str("path")
                    .map_err(|e| err(&e))?
                    .ok_or_else(|| err(&"the path column is missing"))?;
                let mut by_ord = Vec::with_capacity(column.num_terms());
                let mut terms = column.dictionary().stream().map_err(|e| err(&e))?;
                while terms.advance() {
                    by_ord.push(String::from_utf8_lossy(terms.key()).into_owned());
                }
                let mut paths = vec![String::new(); segment.max_doc() as usize];
                for doc in segment.doc_ids_alive() {
                    if let Some(path) = column
                        .term_ords(doc)
                        .next()
                        .and_then(|ord| by_ord.get_mut(ord as usize))
                    {
                        paths[doc as usize] = std::mem::take(path);
                    }
                }
                Ok(paths)
            })
            .collect()
    }

    /// Brings the index and the note table in line with `current`, commits
    /// and saves the table; or, when [`Options::step`] cuts it short, with
    /// the files read in this step only. Whether the index is now in line.
    fn update(
        &mut self,
        current: &[Current],
        folders: &Folders,
        payload: &str,
        options: &Options,
        pass: Pass,
        refresh: &mut Refresh,
    ) -> Result<bool> {
        let err = |e: tantivy::TantivyError| index_error(&self.dir, e);
        let old = if pass.rebuild {
            Table::empty()
        } else {
            std::mem::replace(&mut self.table, Table::empty())
        };
        let diff = Diff::new(&old, current);
        let resolver = Resolver::new(current.iter().enumerate().map(|(i, c)| {
            let id = u32::try_from(i).unwrap_or(u32::MAX);
            (FileId::Attachment(id), c.file.path.as_str())
        }));
        let path_of = |id: FileId| match id {
            FileId::Note(NoteId(i)) | FileId::Attachment(i) => {
                current[i as usize].file.path.as_str()
            }
        };
        let targets = |note: &Note| -> Vec<&str> {
            let mut targets: Vec<&str> = note
                .links
                .iter()
                .filter(|l| !l.is_self())
                .filter_map(|l| resolver.resolve(&l.target, &note.path).target)
                .map(path_of)
                .filter(|p| *p != note.path)
                .collect();
            targets.sort_unstable();
            targets.dedup();
            targets
        };

        // Files whose size or time changed: re-parse those whose content did;
        // the others only get their new size and time in the table.
        let mut fresh: Vec<&Current> = diff.added.clone();
        for (file, entry) in &diff.changed {
            match std::fs::read(&file.file.absolute) {
                Ok(bytes) if xxh3(&bytes) == entry.hash => {}
                _ => fresh.push(file),
            }
        }
        refresh.removed += diff.removed.len();
        let path_set_changed = !diff.added.is_empty() || !diff.removed.is_empty();
        if fresh.is_empty() && !path_set_changed && !pass.rebuild && !pass.created {
            let (written, relinked, deferred) = (Vec::new(), HashMap::new(), HashSet::new());
            self.table = next_table(old, current, folders.clone(), written, &relinked, &deferred)
                .map_err(|e| index_error(&self.dir, e))?;
            self.table
                .save(&self.dir.with_file_name(table::FILE_NAME))?;
            return Ok(true);
        }

        let mut writer: IndexWriter = match options.step {
            Some(_) => self.index.writer_with_num_threads(1, STEP_WRITER_MEMORY),
            None => self.index.writer(WRITER_MEMORY),
        }
        .map_err(err)?;
        if pass.rebuild {
            writer.delete_all_documents().map_err(err)?;
        }
        for entry in &diff.removed {
            writer.delete_term(Term::from_field_text(self.fields.path, &entry.path));
        }
        // An index built from nothing has no older document to replace.
        let replaces = !old.entries.is_empty();
        let progress = progress_bar(options.progress, fresh.len());
        let read = |file: &&Current| -> Result<_> {
            if replaces {
                writer.delete_term(Term::from_field_text(self.fields.path, &file.file.path));
            }
            let (entry, encoded) = if file.file.is_note {
                let (parsed, text, hash) = read_and_parse(file);
                let targets = targets(&parsed.note);
                writer
                    .add_document(self.document(file, Some((&parsed, &text)), &targets))
                    .map_err(err)?;
                (
                    entry(file, hash, links_hash(&targets)),
                    Some(codec::encode(&parsed)),
                )
            } else {
                let hash = std::fs::read(&file.file.absolute).map_or(0, |b| xxh3(&b));
                writer
                    .add_document(self.document(file, None, &[]))
                    .map_err(err)?;
                (entry(file, hash, 0), None)
            };
            if let Some(bar) = &progress {
                bar.inc(1);
            }
            Ok((file.position, entry, encoded))
        };
        let mut written: Vec<(usize, Entry, Option<Vec<u8>>)> = Vec::with_capacity(fresh.len());
        let began = Instant::now();
        let chunk = if options.step.is_some() {
            STEP_FILES
        } else {
            fresh.len().max(1)
        };
        for files in fresh.chunks(chunk) {
            if !written.is_empty() && options.step.is_some_and(|step| began.elapsed() >= step) {
                break;
            }
            let read: Vec<_> = files.par_iter().map(read).collect::<Result<_>>()?;
            written.extend(read);
        }
        if let Some(bar) = progress {
            bar.finish_and_clear();
        }
        // Files left for the next step: added ones stay out of the table,
        // changed ones keep their old entry (and document), so that the
        // next scan still sees them to read.
        let deferred: HashSet<usize> = (fresh[written.len()..].iter())
            .map(|file| file.position)
            .collect();
        let added_now = written.len().min(diff.added.len());
        refresh.added += added_now;
        refresh.changed += written.len() - added_now;
        refresh.parsed += written.iter().filter(|(_, _, e)| e.is_some()).count();

        // Unchanged notes: when files came or went, re-index those whose
        // links now resolve elsewhere (a new note can take a missing name).
        let mut relinked = HashMap::new();
        if path_set_changed && !pass.linked {
            old.preload().map_err(|e| index_error(&self.dir, e))?;
            let redone: HashSet<usize> = (written.iter().map(|(at, _, _)| *at))
                .chain(deferred.iter().copied())
                .collect();
            relinked = current
                .par_iter()
                .filter(|file| file.file.is_note && !redone.contains(&file.position))
                .filter_map(|file| {
                    let entry = old.get(&file.file.path)?;
                    Some((file, entry))
                })
                .map(|(file, entry)| -> Result<Option<_>> {
                    let parsed = decode(&old, entry).map_err(|e| index_error(&self.dir, e))?;
                    let targets = targets(&parsed.note);
                    let hash = links_hash(&targets);
                    if hash == entry.links_hash {
                        return Ok(None);
                    }
                    let bytes = std::fs::read(&file.file.absolute).unwrap_or_default();
                    let (text, _) = parse::decode(&file.file.path, &bytes);
                    writer.delete_term(Term::from_field_text(self.fields.path, &file.file.path));
                    writer
                        .add_document(self.document(file, Some((&parsed, &text)), &targets))
                        .map_err(err)?;
                    Ok(Some((file.position, hash)))
                })
                .filter_map(Result::transpose)
                .collect::<Result<HashMap<_, _>>>()?;
            refresh.relinked += relinked.len();
        }

        // After a small change, the next table is built and encoded while
        // tantivy writes the segment; after a big one, one after the other,
        // so that their memory peaks do not add up. It is written once the
        // commit it names is made.
        let small = written.len() + relinked.len() <= OVERLAP_UP_TO;
        let finished = deferred.is_empty();
        if options.step.is_some() {
            // Segments merge by levels of their own sizes. Tantivy's default
            // counts every segment under 10,000 documents as one level: the
            // small segments of steps would all be merged together, again
            // and again, rewriting the index while the lock is held.
            let mut policy = tantivy::indexer::LogMergePolicy::default();
            policy.set_min_layer_size(1);
            writer.set_merge_policy(Box::new(policy));
        }
        // A step's table records no folder: a folder known unchanged would
        // have the next scan take the table's files of it, without those
        // not read yet.
        let folders = if finished {
            folders.clone()
        } else {
            Folders::default()
        };
        let build_next = || {
            let table = next_table(old, current, folders, written, &relinked, &deferred)?;
            let encoded = table.encode();
            Ok::<_, String>((table, encoded))
        };
        let (prepared, next) = if small {
            rayon::join(|| writer.prepare_commit(), build_next)
        } else {
            let prepared = writer.prepare_commit();
            (prepared, build_next())
        };
        let mut commit = prepared.map_err(err)?;
        // No commit without its table: the next run would have to rebuild.
        let (mut table, encoded) = next.map_err(|e| index_error(&self.dir, e))?;
        commit.set_payload(payload);
        let opstamp = commit.commit().map_err(err)?;
        writer.wait_merging_threads().map_err(err)?;
        self.reader.reload().map_err(err)?;
        table.opstamp = opstamp;
        table.write(&self.dir.with_file_name(table::FILE_NAME), &encoded)?;
        self.table = table;
        refresh.commits += 1;
        Ok(finished)
    }

    /// The document for one file; `note` is the parsed note and its text.
    fn document(
        &self,
        file: &Current,
        note: Option<(&ParsedNote, &str)>,
        targets: &[&str],
    ) -> TantivyDocument {
        let f = &self.fields;
        let path = &file.file.path;
        let mut doc = TantivyDocument::new();
        doc.add_text(f.path, path);
        doc.add_text(f.path_words, path);
        doc.add_text(f.file, path.rsplit('/').next().unwrap_or(path));
        let Some((parsed, text)) = note else {
            doc.add_text(f.kind, "file");
            return doc;
        };
        let note = &parsed.note;
        doc.add_text(f.kind, "note");
        doc.add_text(f.title, &note.title);
        for alias in &note.aliases {
            doc.add_text(f.aliases, alias);
        }
        for heading in &note.headings {
            doc.add_text(f.headings, &heading.text);
        }
        doc.add_text(f.body, &text[parse::body_start(text).min(text.len())..]);
        let mut tags = HashSet::new();
        for tag in &note.tags {
            let lower = tag.name.as_str().to_lowercase();
            for (i, _) in lower.match_indices('/') {
                tags.insert(lower[..i].to_owned());
            }
            tags.insert(lower);
        }
        for tag in tags {
            doc.add_text(f.tags, tag);
        }
        let mut props = Vec::new();
        for property in &note.properties {
            let key = property.key.as_str().to_lowercase();
            doc.add_text(f.prop_keys, &key);
            if is_empty_value(&property.value) {
                doc.add_text(f.prop_null, &key);
            }
            props.push((key, OwnedValue::from(property.value.clone())));
        }
        if !props.is_empty() {
            doc.add_field_value(f.props, &OwnedValue::Object(props));
        }
        for target in targets {
            doc.add_text(f.links, target);
        }
        doc.add_u64(f.links_hash, links_hash(targets));
        if let Some(created) = note.property("created").and_then(date_seconds) {
            doc.add_i64(f.created, created);
        }
        doc
    }
}

/// The table entry for a file read now.
fn entry(file: &Current, hash: u64, links_hash: u64) -> Entry {
    Entry {
        path: file.file.path.clone(),
        size: file.size,
        modified: file.modified,
        hash,
        links_hash,
        note: None,
    }
}

/// When [`Index::vault`] decodes the notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// All of them, now: for a command that reads the whole vault.
    Now,
    /// Each when first read.
    WhenNeeded,
}

/// The note table's notes, as a vault's source of notes not decoded yet.
struct TableNotes(table::NoteBytes);

impl NoteSource for TableNotes {
    fn parsed(&self, position: usize) -> Option<ParsedNote> {
        codec::decode(self.0.get(position)?).ok()
    }

    fn front(&self, position: usize, path: &str) -> Option<Front<'static>> {
        codec::decode_front(self.0.get(position)?, path).ok()
    }
}

/// The parsed note of a table entry.
fn decode(table: &Table, entry: &Entry) -> Result<ParsedNote, codec::Corrupt> {
    codec::decode(table.encoded(entry).ok_or(codec::Corrupt)?)
}

/// Whether two sets of folder records are the same but for when they were
/// made: a scan that found nothing new needs no new table.
fn same_folders(old: &Folders, new: &Folders) -> bool {
    old.ignore == new.ignore && old.list == new.list
}

/// The table after a refresh: for each file of `current`, its entry from
/// `written` (the files read now, by position), else its old entry with its
/// new size and time (and the new link hash `relinked` has for it), or as
/// it was for a file `deferred` to the next step. It names the old table's
/// commit until the caller sets the new one.
fn next_table(
    mut old: Table,
    current: &[Current],
    folders: Folders,
    mut written: Vec<(usize, Entry, Option<Vec<u8>>)>,
    relinked: &HashMap<usize, u64>,
    deferred: &HashSet<usize>,
) -> Result<Table, String> {
    let opstamp = old.opstamp;
    written.sort_unstable_by_key(|(at, _, _)| *at);
    let mut written = written.into_iter().peekable();
    let mut old_entries = old.take_entries().into_iter().peekable();
    let mut builder = table::Builder::new(Some(&old), current.len());
    for (at, file) in current.iter().enumerate() {
        // Both are in path order: entries before this file were removed.
        while old_entries.next_if(|e| e.path < file.file.path).is_some() {}
        let kept = old_entries.next_if(|e| e.path == file.file.path);
        if let Some((_, entry, encoded)) = written.next_if(|(i, _, _)| *i == at) {
            builder.push(entry, encoded);
        } else if let Some(mut entry) = kept {
            if !deferred.contains(&at) {
                entry.size = file.size;
                entry.modified = file.modified;
                if let Some(hash) = relinked.get(&at) {
                    entry.links_hash = *hash;
                }
            }
            builder.push_kept(entry);
        }
    }
    builder.finish(opstamp, folders)
}

/// Files added, changed (size or time) and removed since the table was written.
#[derive(Default)]
struct Diff<'a> {
    added: Vec<&'a Current>,
    changed: Vec<(&'a Current, &'a Entry)>,
    removed: Vec<&'a Entry>,
}

impl<'a> Diff<'a> {
    /// Compares the table with the scan; both are in path order.
    fn new(table: &'a Table, current: &'a [Current]) -> Self {
        let mut diff = Self::default();
        let (mut known, mut now) = (table.entries.iter().peekable(), current.iter().peekable());
        loop {
            match (known.peek(), now.peek()) {
                (Some(k), Some(c)) if k.path == c.file.path => {
                    if k.size != c.size || k.modified != c.modified {
                        diff.changed.push((c, k));
                    }
                    known.next();
                    now.next();
                }
                (Some(k), Some(c)) if k.path < c.file.path => {
                    diff.removed.push(k);
                    known.next();
                }
                (Some(k), None) => {
                    diff.removed.push(k);
                    known.next();
                }
                (_, Some(c)) => {
                    diff.added.push(c);
                    now.next();
                }
                (None, None) => return diff,
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// What one commit of a refresh starts from.
#[derive(Debug, Clone, Copy)]
struct Pass {
    /// Every document goes first (`--rebuild`, in the first step).
    rebuild: bool,
    /// The index was created empty for it: it is committed even with
    /// nothing in it, since only a commit records the payload that the next
    /// run checks.
    created: bool,
    /// The table's links were resolved against the files of this scan (by
    /// an earlier step): no note needs relinking.
    linked: bool,
}

/// An exclusive lock on writing the index, held until dropped (or the process ends).
struct WriteLock {
    _file: File,
}

impl WriteLock {
    /// Waits up to [`LOCK_WAIT`] for the lock; `None` if another process keeps it.
    fn acquire(data: &Path) -> Result<Option<Self>> {
        let path = data.join("write.lock");
        let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Some(Self { _file: file })),
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(LOCK_RETRY);
                }
                Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
                Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
            }
        }
    }
}

/// The folder that holds the index and its lock, created if need be:
/// `options.data_dir`, else `<vault>/.vaultkit`, else, when the vault cannot
/// be written, `<user cache>/vaultkit/<hash of the vault's real path>`
/// (returned a second time, for the notice).
fn data_dir(root: &Path, options: &Options) -> Result<(PathBuf, Option<PathBuf>)> {
    if let Some(data) = &options.data_dir {
        create_writable(data)?;
        return Ok((data.clone(), None));
    }
    let data = root.join(DATA_DIR);
    let error = match create_writable(&data) {
        Ok(()) => return Ok((data, None)),
        Err(Error::Io { source, .. })
            if matches!(
                source.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            Error::io(&data, source)
        }
        Err(error) => return Err(error),
    };
    root.canonicalize().map_err(|e| Error::io(root, e))?;
    let Some(data) = cache_location(root) else {
        return Err(error);
    };
    create_writable(&data)?;
    Ok((data.clone(), Some(data)))
}

/// Where the index of a vault that cannot hold one goes: the user's cache
/// folder, under a hash of the vault's real path.
fn cache_location(root: &Path) -> Option<PathBuf> {
    let real = root.canonicalize().ok()?;
    Some(dirs::cache_dir()?.join("vaultkit").join(format!(
        "{:016x}",
        xxh3(real.as_os_str().as_encoded_bytes())
    )))
}

/// Creates `data/index` and checks that `data` takes a new file (the lock).
fn create_writable(data: &Path) -> Result<()> {
    let dir = data.join("index");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let lock = data.join("write.lock");
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&lock)
        .map(drop)
        .map_err(|e| Error::io(&lock, e))
}

/// Lists the vault's files with their size and modification time: one
/// walk, then the files are looked at in parallel.
/// Reads and parses a note (or hashes an attachment): the parsed note, its text and its hash.
fn read_and_parse(file: &Current) -> (ParsedNote, String, u64) {
    let path = &file.file.path;
    match std::fs::read(&file.file.absolute) {
        Ok(bytes) => {
            let hash = xxh3(&bytes);
            let (text, problem) = parse::decode(path, &bytes);
            let mut parsed = parse::parse_note(path, &text);
            parsed.diagnostics.extend(problem);
            (parsed, text.into_owned(), hash)
        }
        Err(e) => {
            let mut parsed = parse::parse_note(path, "");
            parsed.diagnostics.push(Diagnostic::new(
                "unreadable-file",
                Severity::Error,
                path.as_str(),
                format!("cannot read this note: {e}"),
            ));
            (parsed, String::new(), 0)
        }
    }
}

/// The hash the note table records of a file's bytes.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxh3(bytes)
}

fn xxh3(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Hash of a note's sorted link targets.
pub fn links_hash(targets: &[&str]) -> u64 {
    xxh3(targets.join("\n").as_bytes())
}

/// Whether a property value counts as empty for `[key:null]`.
fn is_empty_value(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Null => true,
        serde_json::Value::String(s) => s.trim().is_empty(),
        serde_json::Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// A `created`-style value (a date or a timestamp) as seconds since the epoch.
fn date_seconds(value: &serde_json::Value) -> Option<i64> {
    let text = value.as_str()?.trim();
    if let Ok(stamp) = text.parse::<jiff::Timestamp>() {
        return Some(stamp.as_second());
    }
    let datetime = match text.parse::<jiff::civil::DateTime>() {
        Ok(datetime) => datetime,
        Err(_) => text.parse::<jiff::civil::Date>().ok()?.at(0, 0, 0, 0),
    };
    jiff::tz::TimeZone::UTC
        .to_timestamp(datetime)
        .ok()
        .map(|stamp| stamp.as_second())
}

fn progress_bar(enabled: bool, len: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    (enabled && len >= PROGRESS_FROM && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(len as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "indexing {bar:30} {pos}/{len} notes {elapsed}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    })
}

fn index_error(dir: &Path, error: impl std::fmt::Display) -> Error {
    Error::Index {
        path: dir.to_owned(),
        message: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_in_steps_commits_each_step_and_ends_as_one_commit_would() {
        let dir = tempfile::tempdir().expect("a folder");
        let root = dir.path();
        std::fs::create_dir(root.join(".obsidian")).expect("a vault");
        // Three steps of reading, since each step reads at least once.
        let notes = STEP_FILES * 2 + 1;
        let write = |text: &str| {
            for i in 0..notes {
                let next = (i + 1) % notes;
                let body = format!("# N{i}\n\n{text}{i} [[n{next:03}]]\n");
                std::fs::write(root.join(format!("n{i:03}.md")), body).expect("a note");
            }
        };
        let config = Config::default();
        let stepped = Options {
            step: Some(Duration::ZERO),
            ..Options::default()
        };
        let counts = |refresh: &Refresh| {
            let done = (refresh.added, refresh.changed, refresh.parsed);
            (refresh.commits, done, refresh.relinked)
        };
        write("first");
        let (_, built) = Index::open(root, &config, &stepped).expect("built");
        assert_eq!(counts(&built), (3, (notes, 0, notes), 0));
        // Files not read yet keep their old entry until their step.
        write("second");
        let (_, changed) = Index::open(root, &config, &stepped).expect("refreshed");
        assert_eq!(counts(&changed), (3, (0, notes, notes), 0));
        let (index, warm) = Index::open(root, &config, &Options::default()).expect("opened");
        assert_eq!(counts(&warm), (0, (0, 0, 0), 0));
        let found = |word: &str| {
            let query = crate::search::Query::parse(word).expect("a query");
            crate::search::matching_paths(&index, root, &query).expect("a search")
        };
        assert_eq!(found("second128"), ["n128.md"]);
        assert!(found("first0").is_empty());
    }

    #[test]
    fn created_dates_become_seconds_whatever_their_form() {
        let seconds = |v: &str| date_seconds(&serde_json::json!(v));
        assert_eq!(seconds("1970-01-02"), Some(86_400));
        assert_eq!(seconds("1970-01-02T00:00:10"), Some(86_410));
        assert_eq!(seconds("1970-01-02T00:00:10Z"), Some(86_410));
        assert_eq!(seconds("2026-02-30"), None);
        assert_eq!(seconds("soon"), None);
        assert_eq!(date_seconds(&serde_json::json!(2024)), None);
    }

    #[test]
    fn empty_values_count_as_null() {
        for value in [
            serde_json::json!(null),
            serde_json::json!(" "),
            serde_json::json!([]),
        ] {
            assert!(is_empty_value(&value), "{value}");
        }
        assert!(!is_empty_value(&serde_json::json!(0)));
        assert!(!is_empty_value(&serde_json::json!("x")));
    }
}
