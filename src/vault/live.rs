//! A vault that changes in place: notes and attachments come, go, move and
//! change text, and only the links a change can affect are resolved again.
//!
//! Every mutation goes the same way: it updates the files ([`Files`]) and the
//! name indexes, noting which folded file names gained or lost a file and
//! which notes need all their links resolved again (new, edited or moved
//! notes); then `LiveVault::settle` resolves again the links of those notes,
//! the links that consult those names, and the anchored links into edited
//! notes, updates the backlinks, and reports what changed, with the notes
//! whose lint findings may have changed (which `crate::lint::live` lints
//! again). The rules of resolution are [`super::resolve`]'s. A [`Vault`] is
//! a live vault never changed.
//!
//! [`Vault`]: super::Vault

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::aliases::{AliasIndex, TitleIndex, Touched};
use super::backlinks::{Backlinks, LinkAt};
use super::change::{ChangeError, Changes};
use super::ids::Files;
use super::names::{NameIndex, Unresolved};
use super::notes::{Counts, Front, Notes};
use super::read::{self, Scanned};
use super::resolve::{self, AnchorMatch, FileNames, fold};
use super::scan::is_markdown;
use super::{FileId, KnownResolutions, NoteId, Resolution, anchor_in, resolve_link, to_u32};
use crate::config::Config;
use crate::model::{Diagnostic, Link, Note};
use crate::parse::{self, ParsedNote};

/// A vault held in memory and changed in place, with stable file ids.
///
/// What only some questions need is built when first asked for: the notes
/// the vault was built with are decoded one by one (from the index's note
/// table), and the name, alias and backlink indexes and each note's lint
/// findings are built on first use. A mutation builds them all first.
pub struct LiveVault {
    files: Files<LiveNote>,
    /// The notes the vault was built with, each decoded when first read.
    built: Notes,
    /// Files by folded file name.
    names: OnceLock<NameIndex>,
    /// Links that lead nowhere, by the file names they consult.
    unresolved: OnceLock<Unresolved>,
    backlinks: OnceLock<Backlinks>,
    aliases: OnceLock<AliasIndex>,
    titles: OnceLock<TitleIndex>,
    /// Problems of the scan the vault was built from, not of any one note
    /// (unreadable files and folders, skipped links), as found then.
    problems: Vec<Diagnostic>,
}

/// A note and how its links resolve.
struct LiveNote {
    parsed: Parsed,
    /// Index for index with the note's links.
    resolutions: Vec<Resolution>,
    /// The text last given to [`LiveVault::upsert_note`]; `None` while the
    /// note is as the vault was built (its text is its file's).
    buffer: Option<String>,
}

/// Where a note's parsed form is.
enum Parsed {
    /// Among the notes the vault was built with, at this position.
    Built(usize),
    /// Given since (edited, added or moved).
    Given(Box<ParsedNote>),
}

impl LiveNote {
    fn new(parsed: Parsed) -> Self {
        Self {
            parsed,
            resolutions: Vec::new(),
            buffer: None,
        }
    }
}

/// What a mutation leaves for [`LiveVault::settle`].
#[derive(Default)]
struct Pending {
    /// Folded file names that gained or lost a file.
    names: FxHashSet<String>,
    /// Notes whose every link must be resolved again.
    sources: BTreeSet<NoteId>,
    /// Aliases and titles that gained or lost a note.
    touched: Touched,
    changes: Changes,
}

impl LiveVault {
    /// Builds a live vault from `(path, text)` pairs and attachment paths.
    pub fn from_sources<P, T, A>(
        notes: impl IntoIterator<Item = (P, T)>,
        attachments: impl IntoIterator<Item = A>,
    ) -> Self
    where
        P: AsRef<str>,
        T: AsRef<str>,
        A: Into<String>,
    {
        let parsed = (notes.into_iter())
            .map(|(path, text)| parse::parse_note(path.as_ref(), text.as_ref()))
            .collect();
        let attachments = attachments.into_iter().map(Into::into).collect();
        Self::from_parsed(parsed, attachments)
    }

    /// Builds a live vault from parsed notes and attachment paths. Ids are
    /// given in path order, notes first (of two notes with one path, the
    /// first is kept).
    pub fn from_parsed(parsed: Vec<ParsedNote>, mut attachments: Vec<String>) -> Self {
        attachments.sort_unstable();
        let (vault, _) = Self::assemble(Notes::parsed(parsed), attachments, Vec::new(), None);
        vault
    }

    /// Builds a live vault from notes (e.g. the index's, decoded when first
    /// read) and attachment paths (sorted), with the
    /// scan's `problems`. Ids
    /// are given in path order, notes first, so that the `n`th note has id
    /// `n` and the `n`th attachment slot `n`, as `known` numbers them.
    ///
    /// `known` are resolutions kept for the same files: those of unchanged
    /// notes are taken back (their anchors into changed notes looked up
    /// again) and the links of changed notes resolved anew; if they do not
    /// fit these notes (one per link, every file and anchor there), every
    /// link is resolved again. Also says whether any link was resolved
    /// (rather than taken back).
    pub fn assemble(
        built: Notes,
        attachments: Vec<String>,
        problems: Vec<Diagnostic>,
        known: Option<KnownResolutions>,
    ) -> (Self, bool) {
        let mut attachments = attachments;
        attachments.dedup();
        let notes = (built.paths().iter().enumerate())
            .map(|(position, path)| (path.clone(), LiveNote::new(Parsed::Built(position))));
        let files = Files::from_sorted(notes, attachments);
        let mut vault = Self {
            files,
            built,
            names: OnceLock::new(),
            unresolved: OnceLock::new(),
            backlinks: OnceLock::new(),
            aliases: OnceLock::new(),
            titles: OnceLock::new(),
            problems,
        };
        let ids: Vec<NoteId> = vault.note_ids().collect();
        let taken = known.and_then(|known| vault.take_back(known));
        let (resolutions, resolved_anew) = taken.unwrap_or_else(|| {
            vault.names();
            vault.decode_all();
            let resolved = ids.par_iter().map(|&id| vault.resolve_all(id)).collect();
            (resolved, true)
        });
        for (&id, resolutions) in ids.iter().zip(resolutions) {
            if let Some(note) = vault.files.note_mut(id) {
                note.resolutions = resolutions;
            }
        }
        (vault, resolved_anew)
    }

    /// Reads the vault folder at `root` (its files as `config` says) and
    /// builds the live vault of them; the scan's problems are kept (see
    /// [`LiveVault::problems`]).
    pub fn load(root: &Path, config: &Config) -> crate::error::Result<Self> {
        let Scanned {
            notes,
            attachments,
            problems,
        } = read::read(root, config)?;
        let mut vault = Self::from_parsed(notes, attachments);
        vault.problems = problems;
        Ok(vault)
    }

    /// The resolutions `known` gives the vault's notes (numbered as
    /// `known` numbers them): an unchanged note's as kept, with its anchors
    /// into changed notes looked up again; a changed note's resolved now.
    /// With whether any note changed; `None` if they do not fit the notes.
    fn take_back(&self, known: KnownResolutions) -> Option<(Vec<Vec<Resolution>>, bool)> {
        let KnownResolutions {
            resolutions,
            unchanged,
        } = known;
        let count = self.built.len();
        if resolutions.len() != count || unchanged.len() != count {
            return None;
        }
        let changed = |id: NoteId| !unchanged.get(id.index()).copied().unwrap_or(false);
        let any_changed = unchanged.contains(&false);
        if any_changed {
            // Built here, not inside the parallel loop below.
            self.names();
        }
        let resolutions: Vec<Vec<Resolution>> = (resolutions.into_par_iter().enumerate())
            .map(|(i, kept)| {
                let source = NoteId(to_u32(i));
                if changed(source) {
                    return self.resolve_all(source);
                }
                // Only a link into a changed note is looked at (and only then
                // is this note decoded).
                (kept.into_iter().enumerate())
                    .map(|(k, mut resolution)| {
                        if let Some(FileId::Note(target)) = resolution.target
                            && resolution.anchor.is_some()
                            && changed(target)
                            && let Some(target) = self.note(target)
                            && let Some(link) = self.note(source).and_then(|n| n.links.get(k))
                        {
                            resolution.anchor = anchor_in(target, link);
                        }
                        resolution
                    })
                    .collect()
            })
            .collect();
        self.fits(&resolutions)
            .then_some((resolutions, any_changed))
    }

    /// Whether `known` can be the resolutions of the notes' links (note
    /// `n` having id `n`): one per link, every file in the vault, every
    /// anchor among its target's headings or blocks. Checked on the notes'
    /// counts, so that no note is decoded for it.
    fn fits(&self, known: &[Vec<Resolution>]) -> bool {
        let file_exists = |file: &FileId| match *file {
            FileId::Note(id) => self.files.note(id).is_some(),
            FileId::Attachment(slot) => self.files.attachment_path(slot).is_some(),
        };
        let fits_link = |resolution: &Resolution| {
            let anchor_exists = match (resolution.anchor, resolution.target) {
                (None | Some(AnchorMatch::Missing), _) => true,
                (Some(AnchorMatch::Found { index, .. }), Some(FileId::Note(id))) => self
                    .counts(id)
                    .is_some_and(|counts| index < counts.headings.max(counts.blocks) as usize),
                (Some(AnchorMatch::Found { .. }), _) => false,
            };
            resolution.target.iter().all(file_exists)
                && resolution.candidates.iter().all(file_exists)
                && anchor_exists
        };
        known.iter().enumerate().all(|(i, resolutions)| {
            let links = self
                .counts(NoteId(to_u32(i)))
                .map_or(0, |c| c.links as usize);
            resolutions.len() == links && resolutions.iter().all(fits_link)
        })
    }

    /// Problems of the scan the vault was built from, not of any one note
    /// (unreadable files and folders, skipped links), in the order found.
    /// Changes to the vault leave them as they were.
    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }

    /// Decodes every note and builds the name, alias and backlink indexes
    /// now, on this thread: before reading the vault from several threads,
    /// which would otherwise wait on one another to build them.
    pub fn build_indexes(&self) {
        self.decode_all();
        self.names();
        self.aliases();
        self.titles();
        self.backlinks_index();
    }

    /// Decodes every note not decoded yet, on all cores.
    pub fn decode_all(&self) {
        self.built.decode_all();
    }

    /// The file at this vault path (exact).
    pub fn file_id(&self, path: &str) -> Option<FileId> {
        self.files.id(path)
    }

    /// The note at this vault path (exact).
    pub fn note_id(&self, path: &str) -> Option<NoteId> {
        match self.files.id(path)? {
            FileId::Note(id) => Some(id),
            FileId::Attachment(_) => None,
        }
    }

    /// A file's vault path.
    pub fn file_path(&self, file: FileId) -> Option<&str> {
        match file {
            FileId::Note(id) => self.note_path(id),
            FileId::Attachment(slot) => self.files.attachment_path(slot),
        }
    }

    /// A note's vault path, without decoding it.
    fn note_path(&self, id: NoteId) -> Option<&str> {
        match &self.files.note(id)?.parsed {
            Parsed::Built(position) => self.built.paths().get(*position).map(String::as_str),
            Parsed::Given(parsed) => Some(&parsed.note.path),
        }
    }

    /// Every file with its id, in path order.
    pub fn files(&self) -> impl Iterator<Item = (&str, FileId)> {
        self.files.in_path_order()
    }

    /// Every note's id, in path order.
    pub fn note_ids(&self) -> impl Iterator<Item = NoteId> + '_ {
        self.files().filter_map(|(_, file)| match file {
            FileId::Note(id) => Some(id),
            FileId::Attachment(_) => None,
        })
    }

    /// How many notes the vault has.
    pub fn note_count(&self) -> usize {
        self.files.note_count()
    }

    /// How many attachments the vault has.
    pub fn attachment_count(&self) -> usize {
        self.files.attachment_count()
    }

    /// Every attachment's path, in path order.
    pub fn attachment_paths(&self) -> impl Iterator<Item = &str> {
        (self.files())
            .filter(|(_, file)| matches!(file, FileId::Attachment(_)))
            .map(|(path, _)| path)
    }

    /// A note, or an empty one for an id not of this vault (decoded now
    /// if it was not yet).
    pub fn note_or_empty(&self, id: NoteId) -> &Note {
        self.note(id).unwrap_or_else(|| super::no_note())
    }

    /// Whether another file of the vault has the file name of the one at
    /// `path` (in any case), so that a link by name alone could lead elsewhere.
    pub fn shares_file_name(&self, path: &str) -> bool {
        self.count_named(path.rsplit('/').next().unwrap_or(path)) > 1
    }

    /// A note (decoded now if it was not yet).
    pub fn note(&self, id: NoteId) -> Option<&Note> {
        self.parsed(id).map(|parsed| &parsed.note)
    }

    /// A note with its parse problems (decoded now if it was not yet).
    fn parsed(&self, id: NoteId) -> Option<&ParsedNote> {
        parsed_in(&self.files, &self.built, id)
    }

    /// A note's properties and tags, without decoding the rest of it when
    /// it is not decoded yet (see [`Front`]).
    pub fn front(&self, id: NoteId) -> Option<Front<'_>> {
        match &self.files.note(id)?.parsed {
            Parsed::Built(position) => self.built.front(*position),
            Parsed::Given(parsed) => Some(Front::of(&parsed.note)),
        }
    }

    /// What a note holds, counted, without decoding it.
    pub fn counts(&self, id: NoteId) -> Option<Counts> {
        match &self.files.note(id)?.parsed {
            Parsed::Built(position) => self.built.counts(*position),
            Parsed::Given(parsed) => Some(Counts::of(parsed)),
        }
    }

    /// The problems found while parsing a note.
    pub fn parse_diagnostics(&self, id: NoteId) -> &[Diagnostic] {
        if self.counts(id).is_none_or(|counts| counts.diagnostics == 0) {
            return &[];
        }
        self.parsed(id).map_or(&[], |parsed| &parsed.diagnostics)
    }

    /// How each of a note's links resolves, index for index with `Note::links`.
    pub fn resolutions(&self, id: NoteId) -> &[Resolution] {
        self.files.note(id).map_or(&[], |live| &live.resolutions)
    }

    /// A note's links paired with their resolutions.
    pub fn links_of(&self, id: NoteId) -> impl Iterator<Item = (&Link, &Resolution)> {
        (self.note(id).into_iter())
            .flat_map(|note| &note.links)
            .zip(self.resolutions(id))
    }

    /// Every link that resolves to no file, with the path of its note, in
    /// path order.
    pub fn unresolved_links(&self) -> impl Iterator<Item = (&str, &Link)> {
        self.decode_all();
        (self.note_ids()).flat_map(move |id| {
            let path = self.note_path(id).unwrap_or_default();
            (self.links_of(id))
                .filter(|(_, resolution)| resolution.target.is_none())
                .map(move |(link, _)| (path, link))
        })
    }

    /// A note's current text when it was given by [`LiveVault::upsert_note`]
    /// (an editor's buffer, or a file read anew): it overrides the file on
    /// disk. `None` when the note is as the vault was built from its file.
    pub fn buffer(&self, id: NoteId) -> Option<&str> {
        self.files.note(id)?.buffer.as_deref()
    }

    /// The link at `at`, if its note has it.
    pub fn link(&self, at: LinkAt) -> Option<&Link> {
        self.note(at.source)?.links.get(at.link as usize)
    }

    /// The links that lead to a file (from other notes and its own), by
    /// source id and link index.
    pub fn backlinks(&self, file: FileId) -> impl Iterator<Item = LinkAt> + '_ {
        self.backlinks_index().of(file)
    }

    /// The notes that claim the alias `alias` (compared as Obsidian
    /// compares names), once per claim, in no order.
    pub fn notes_with_alias(&self, alias: &str) -> &[NoteId] {
        self.aliases().claiming(&fold(alias.trim()))
    }

    /// The notes whose folded title is `folded`, in no order.
    pub fn notes_titled(&self, folded: &str) -> &[NoteId] {
        self.titles().titled(folded)
    }

    /// Files by folded file name, built on first use.
    fn names(&self) -> &NameIndex {
        self.names
            .get_or_init(|| NameIndex::new(self.files().map(|(path, id)| (id, path)).collect()))
    }

    /// Links that lead nowhere by the names they consult, built on first
    /// use (only the notes with such links are decoded).
    fn unresolved(&self) -> &Unresolved {
        if let Some(built) = self.unresolved.get() {
            return built;
        }
        // Built outside the cell's initialiser, on all cores (see `Notes::decode_all`).
        let ids: Vec<NoteId> = (self.note_ids())
            .filter(|&id| self.resolutions(id).iter().any(|r| r.target.is_none()))
            .collect();
        let links: Vec<(LinkAt, Vec<String>)> = (ids.into_par_iter())
            .flat_map_iter(|id| {
                let unresolved = (self.resolutions(id).iter().enumerate())
                    .filter(|(_, resolution)| resolution.target.is_none())
                    .map(move |(i, _)| LinkAt::new(id, i));
                unresolved.filter_map(|at| Some((at, self.names_consulted(at)?)))
            })
            .collect();
        self.unresolved.get_or_init(|| {
            let mut unresolved = Unresolved::default();
            for (at, names) in links {
                unresolved.insert(at, names);
            }
            unresolved
        })
    }

    /// The folded file names the link at `at` consults (see
    /// [`resolve::names_consulted`]); `None` if its note has no such link.
    fn names_consulted(&self, at: LinkAt) -> Option<Vec<String>> {
        let note = self.note(at.source)?;
        let link = note.links.get(at.link as usize)?;
        Some(resolve::names_consulted(&link.target, &note.path))
    }

    /// The links whose resolution depends on the files with the folded
    /// file name `name`: the unresolved links that consult it, and the
    /// links into files with a name they consult, which are files named
    /// `name`, `name` with `.md` added or taken off, or one of `left`
    /// (files that have just lost their name, whose backlinks are still
    /// theirs).
    fn consulting(&self, name: &str, left: &[FileId]) -> Vec<LinkAt> {
        let with_md = (!name.ends_with(".md")).then(|| format!("{name}.md"));
        let related = [Some(name), with_md.as_deref(), name.strip_suffix(".md")];
        let files = (related.into_iter().flatten())
            .flat_map(|related| self.names().named(related))
            .map(|entry| entry.id)
            .chain(left.iter().copied());
        let consults = |at: &LinkAt| {
            (self.names_consulted(*at)).is_some_and(|names| names.iter().any(|n| n == name))
        };
        (files.flat_map(|file| self.backlinks(file)))
            .filter(consults)
            .chain(self.unresolved().consulting(name))
            .collect()
    }

    /// Notes by alias, built on first use.
    fn aliases(&self) -> &AliasIndex {
        self.of_every_note(&self.aliases, |aliases, id, note| {
            aliases.insert(id, note, &mut Touched::default());
        })
    }

    /// Notes by title, built on first use.
    fn titles(&self) -> &TitleIndex {
        self.of_every_note(&self.titles, |titles, id, note| {
            titles.insert(id, note, &mut Touched::default());
        })
    }

    /// The index in `cell`, built on first use with `add` from every note
    /// (decoded first, on all cores).
    fn of_every_note<'a, T: Default>(
        &'a self,
        cell: &'a OnceLock<T>,
        add: impl Fn(&mut T, NoteId, &Note),
    ) -> &'a T {
        if cell.get().is_none() {
            self.decode_all();
        }
        cell.get_or_init(|| {
            let mut index = T::default();
            for id in self.note_ids() {
                if let Some(note) = self.note(id) {
                    add(&mut index, id, note);
                }
            }
            index
        })
    }

    /// Every resolved link by the file it leads to, built on first use.
    fn backlinks_index(&self) -> &Backlinks {
        self.backlinks.get_or_init(|| {
            let mut backlinks = Backlinks::default();
            for id in self.note_ids() {
                for (i, resolution) in self.resolutions(id).iter().enumerate() {
                    if let Some(target) = resolution.target {
                        backlinks.insert(target, LinkAt::new(id, i));
                    }
                }
            }
            backlinks
        })
    }

    /// Builds the indexes a mutation needs: files by name, backlinks,
    /// unresolved links by the names they consult. The alias and title indexes are
    /// updated only once built: until something asks for them (the lint
    /// rules do) no one has read them, and they are built as the vault is
    /// then.
    fn make_ready(&mut self) {
        self.names();
        self.backlinks_index();
        self.unresolved();
    }

    /// Sets the text of the note at `path` (kept as its [`LiveVault::buffer`]),
    /// adding the note if it is new.
    pub fn upsert_note(&mut self, path: &str, text: &str) -> Result<Changes, ChangeError> {
        check_path(path)?;
        if !is_markdown(path) {
            return Err(ChangeError::WrongKind(path.to_owned()));
        }
        if let Some(FileId::Attachment(_)) = self.files.id(path) {
            return Err(ChangeError::WrongKind(path.to_owned()));
        }
        self.make_ready();
        let parsed = Parsed::Given(Box::new(parse::parse_note(path, text)));
        let mut pending = Pending::default();
        let id = match self.files.id(path) {
            Some(FileId::Note(id)) => {
                self.unindex_note(id, &mut pending.touched);
                if let Some(note) = self.files.note_mut(id) {
                    note.parsed = parsed;
                    note.buffer = Some(text.to_owned());
                }
                id
            }
            _ => {
                let note = LiveNote {
                    buffer: Some(text.to_owned()),
                    ..LiveNote::new(parsed)
                };
                let id = self.files.insert_note(path, note);
                if let Some(names) = self.names.get_mut() {
                    pending
                        .names
                        .insert(names.insert_file(FileId::Note(id), path));
                }
                pending.changes.added.insert(FileId::Note(id));
                id
            }
        };
        self.index_note(id, &mut pending.touched);
        pending.sources.insert(id);
        pending.changes.edited.insert(id);
        Ok(self.settle(pending))
    }

    /// Adds an attachment (any file but a note) at `path`.
    pub fn insert_attachment(&mut self, path: &str) -> Result<Changes, ChangeError> {
        check_path(path)?;
        if is_markdown(path) {
            return Err(ChangeError::WrongKind(path.to_owned()));
        }
        if self.files.id(path).is_some() {
            return Err(ChangeError::Exists(path.to_owned()));
        }
        self.make_ready();
        let id = self.files.insert_attachment(path);
        let mut pending = Pending::default();
        if let Some(names) = self.names.get_mut() {
            pending.names.insert(names.insert_file(id, path));
        }
        pending.changes.added.insert(id);
        Ok(self.settle(pending))
    }

    /// Removes the note or attachment at `path`.
    pub fn remove(&mut self, path: &str) -> Result<Changes, ChangeError> {
        let id = (self.files.id(path)).ok_or_else(|| ChangeError::Missing(path.to_owned()))?;
        self.make_ready();
        let mut pending = Pending::default();
        if let FileId::Note(note) = id {
            self.unindex_note(note, &mut pending.touched);
        }
        self.files.detach(path);
        if let Some(names) = self.names.get_mut() {
            pending.names.insert(names.remove_file(id, path));
        }
        if let Some(removed) = self.files.remove(id)
            && let FileId::Note(note) = id
        {
            for (i, resolution) in removed.resolutions.iter().enumerate() {
                if let Some(unresolved) = self.unresolved.get_mut() {
                    unresolved.remove(LinkAt::new(note, i));
                }
                if let Some(target) = resolution.target {
                    if let Some(backlinks) = self.backlinks.get_mut() {
                        backlinks.remove(target, LinkAt::new(note, i));
                    }
                    pending.changes.backlinks.insert(target);
                }
            }
        }
        pending.changes.removed.insert(id);
        Ok(self.settle(pending))
    }

    /// Moves the note or attachment at `from` to `to` (a free path of the
    /// same kind); it keeps its id.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<Changes, ChangeError> {
        self.move_files(vec![(from.to_owned(), to.to_owned())])
    }

    /// Moves every file under the folder `from` to the folder `to`, as one
    /// change. No file may be at a destination path already.
    pub fn rename_folder(&mut self, from: &str, to: &str) -> Result<Changes, ChangeError> {
        let (from, to) = (from.trim_matches('/'), to.trim_matches('/'));
        check_path(from)?;
        check_path(to)?;
        if to
            .strip_prefix(from)
            .is_some_and(|rest| rest.starts_with('/'))
        {
            return Err(ChangeError::IntoItself {
                from: from.to_owned(),
                to: to.to_owned(),
            });
        }
        let moves: Vec<(String, String)> = (self.files.under(from))
            .map(|(path, _)| (path.to_owned(), format!("{to}{}", &path[from.len()..])))
            .collect();
        if moves.is_empty() {
            return Err(ChangeError::Missing(from.to_owned()));
        }
        self.move_files(moves)
    }

    /// Moves files (`from`, `to`) all at once: a destination may be a path
    /// another of them leaves.
    fn move_files(&mut self, moves: Vec<(String, String)>) -> Result<Changes, ChangeError> {
        let leaving: FxHashSet<&str> = moves.iter().map(|(from, _)| from.as_str()).collect();
        let mut arriving = FxHashSet::default();
        for (from, to) in &moves {
            check_path(to)?;
            if self.files.id(from).is_none() {
                return Err(ChangeError::Missing(from.clone()));
            }
            if is_markdown(from) != is_markdown(to) {
                return Err(ChangeError::WrongKind(to.clone()));
            }
            let taken = self.files.id(to).is_some() && !leaving.contains(to.as_str());
            if taken || !arriving.insert(to.as_str()) {
                return Err(ChangeError::Exists(to.clone()));
            }
        }
        self.make_ready();
        let mut pending = Pending::default();
        let mut moved = Vec::with_capacity(moves.len());
        for (from, to) in moves {
            if from == to {
                continue;
            }
            let Some(id) = self.files.detach(&from) else {
                continue;
            };
            if let FileId::Note(note) = id {
                self.unindex_note(note, &mut pending.touched);
            }
            if let Some(names) = self.names.get_mut() {
                pending.names.insert(names.remove_file(id, &from));
            }
            moved.push((id, to));
        }
        for (id, to) in moved {
            self.files.attach(&to, id);
            if let Some(names) = self.names.get_mut() {
                pending.names.insert(names.insert_file(id, &to));
            }
            if let FileId::Note(note) = id {
                let mut parsed = match parsed_in(&self.files, &self.built, note) {
                    Some(parsed) => parsed.clone(),
                    None => continue,
                };
                parsed.move_to(&to);
                if let Some(live) = self.files.note_mut(note) {
                    live.parsed = Parsed::Given(Box::new(parsed));
                }
                self.index_note(note, &mut pending.touched);
                pending.sources.insert(note);
            }
            pending.changes.moved.insert(id);
        }
        Ok(self.settle(pending))
    }

    /// Records the note's aliases and title.
    fn index_note(&mut self, id: NoteId, touched: &mut Touched) {
        if let Some(parsed) = parsed_in(&self.files, &self.built, id) {
            let note = &parsed.note;
            if let Some(aliases) = self.aliases.get_mut() {
                aliases.insert(id, note, touched);
            }
            if let Some(titles) = self.titles.get_mut() {
                titles.insert(id, note, touched);
            }
        }
    }

    /// Forgets what [`LiveVault::index_note`] recorded (with the note's
    /// path, links and aliases unchanged since).
    fn unindex_note(&mut self, id: NoteId, touched: &mut Touched) {
        if let Some(parsed) = parsed_in(&self.files, &self.built, id) {
            let note = &parsed.note;
            if let Some(aliases) = self.aliases.get_mut() {
                aliases.remove(id, note, touched);
            }
            if let Some(titles) = self.titles.get_mut() {
                titles.remove(id, note, touched);
            }
        }
    }

    /// The notes with a link written as the folded alias `key`: those
    /// whose hint "`key` is an alias of …" reads who claims it.
    fn links_spelled(&self, key: &str) -> BTreeSet<NoteId> {
        let spelled = |at: &LinkAt| {
            self.link(*at)
                .is_some_and(|link| fold(link.target.trim()) == key)
        };
        // Such a link consults the key's file name, unless the key reads
        // as a relative, rooted or backslashed path: then all are looked at.
        let by_name = !key.is_empty()
            && !key.contains('\\')
            && !key.starts_with('/')
            && !key.starts_with("./")
            && !key.starts_with("../");
        if by_name {
            (self.consulting(resolve::file_name(key), &[]).iter())
                .filter(|at| spelled(at))
                .map(|at| at.source)
                .collect()
        } else {
            (self.note_ids())
                .filter(|&id| {
                    let links = self.note(id).map_or(0, |note| note.links.len());
                    (0..links).any(|i| spelled(&LinkAt::new(id, i)))
                })
                .collect()
        }
    }

    /// The file a link path written in the note at `source` (a vault
    /// path) leads to now, with any tied files.
    pub fn resolve_path(&self, link_path: &str, source: &str) -> resolve::PathMatch {
        resolve::resolve_in(self.names(), link_path, source)
    }

    /// How many files have this file name, compared as Obsidian compares
    /// names (NFC, any case).
    pub fn count_named(&self, name: &str) -> usize {
        self.names().count_named(resolve::file_name(&fold(name)))
    }

    /// How a link written in the note `source` resolves now (it need not
    /// be one of the note's links: an editor asks about one being typed).
    pub fn resolve(&self, source: NoteId, link: &Link) -> Resolution {
        let path = self.note(source).map_or("", |note| note.path.as_str());
        resolve_link(self.names(), source, path, link, |id| self.note(id))
    }

    /// How every link of a note resolves now.
    fn resolve_all(&self, id: NoteId) -> Vec<Resolution> {
        (self.note(id).into_iter())
            .flat_map(|note| &note.links)
            .map(|link| self.resolve(id, link))
            .collect()
    }

    /// Records in the index of unresolved links (once built) whether the
    /// link at `at` leads nowhere now, and the names it consults.
    fn track_unresolved(&mut self, at: LinkAt) {
        if self.unresolved.get().is_none() {
            return;
        }
        let nowhere = (self.resolutions(at.source).get(at.link as usize))
            .is_some_and(|resolution| resolution.target.is_none());
        let names = nowhere.then(|| self.names_consulted(at)).flatten();
        if let Some(unresolved) = self.unresolved.get_mut() {
            match names {
                Some(names) => unresolved.insert(at, names),
                None => unresolved.remove(at),
            }
        }
    }

    /// Resolves again what a mutation may have changed, updates the
    /// backlinks, and says what changed.
    fn settle(&mut self, pending: Pending) -> Changes {
        let Pending {
            names,
            sources,
            touched,
            mut changes,
        } = pending;
        // Single links to look at again: those that consult a name that
        // changed, and those with an anchor into an edited note.
        let left: Vec<FileId> = (changes.moved.iter())
            .chain(&changes.removed)
            .copied()
            .collect();
        let mut links: BTreeSet<LinkAt> = (names.iter())
            .flat_map(|name| self.consulting(name, &left))
            .collect();
        for &edited in &changes.edited {
            links.extend(self.backlinks(FileId::Note(edited)).filter(|&at| {
                self.link(at)
                    .is_some_and(|link| link.heading.is_some() || link.block.is_some())
            }));
        }
        links.retain(|at| !sources.contains(&at.source));
        // Notes whose findings may change: those whose links were resolved
        // again, those with backlinks that changed (orphans), and those that
        // read an alias or title that changed.
        let mut relint: BTreeSet<NoteId> = sources.iter().copied().collect();
        relint.extend(links.iter().map(|at| at.source));
        if let Some(aliases) = self.aliases.get() {
            relint.extend(aliases.readers(&touched));
        }
        for key in &touched.claimed {
            relint.extend(self.links_spelled(key));
        }

        for source in sources {
            let resolved = self.resolve_all(source);
            let Some(live) = self.files.note_mut(source) else {
                continue;
            };
            let old = std::mem::replace(&mut live.resolutions, resolved);
            let new = &live.resolutions;
            if old != *new {
                changes.resolutions.insert(source);
            }
            for i in 0..old.len().max(new.len()) {
                let before = old.get(i).and_then(|r| r.target);
                let after = new.get(i).and_then(|r| r.target);
                let at = LinkAt::new(source, i);
                if before != after {
                    update_backlink(&mut self.backlinks, &mut changes, at, before, after);
                }
            }
            // Their text may have changed, and with it the names they consult.
            for i in 0..old.len().max(new.len()) {
                self.track_unresolved(LinkAt::new(source, i));
            }
        }
        for at in links {
            let Some(link) = self.link(at) else {
                continue;
            };
            let resolved = self.resolve(at.source, link);
            let Some(old) = (self.files.note_mut(at.source))
                .and_then(|live| live.resolutions.get_mut(at.link as usize))
            else {
                continue;
            };
            if *old != resolved {
                let (before, after) = (old.target, resolved.target);
                *old = resolved;
                changes.resolutions.insert(at.source);
                if before != after {
                    update_backlink(&mut self.backlinks, &mut changes, at, before, after);
                }
                if before.is_none() != after.is_none() {
                    self.track_unresolved(at);
                }
            }
        }
        changes
            .backlinks
            .retain(|file| !changes.removed.contains(file));
        relint.extend(changes.backlinks.iter().filter_map(|file| match file {
            FileId::Note(id) => Some(*id),
            FileId::Attachment(_) => None,
        }));
        relint.retain(|&id| self.files.note(id).is_some());
        changes.lint = relint;
        changes
    }
}

/// A note of `files` with its parse problems, from `built` if it is as
/// the vault was built (decoded now if it was not yet).
fn parsed_in<'a>(
    files: &'a Files<LiveNote>,
    built: &'a Notes,
    id: NoteId,
) -> Option<&'a ParsedNote> {
    match &files.note(id)?.parsed {
        Parsed::Built(position) => built.get(*position),
        Parsed::Given(parsed) => Some(parsed),
    }
}

/// Refuses what cannot be a vault path: an empty path, or one with an
/// empty, `.` or `..` part.
fn check_path(path: &str) -> Result<(), ChangeError> {
    if path.split('/').any(|part| matches!(part, "" | "." | "..")) {
        return Err(ChangeError::InvalidPath(path.to_owned()));
    }
    Ok(())
}

/// Moves the backlink of `link` from the file it led to (`before`) to the
/// one it leads to now (`after`), noting both as changed.
fn update_backlink(
    backlinks: &mut OnceLock<Backlinks>,
    changes: &mut Changes,
    link: LinkAt,
    before: Option<FileId>,
    after: Option<FileId>,
) {
    let mut backlinks = backlinks.get_mut();
    if let Some(before) = before {
        if let Some(backlinks) = backlinks.as_deref_mut() {
            backlinks.remove(before, link);
        }
        changes.backlinks.insert(before);
    }
    if let Some(after) = after {
        if let Some(backlinks) = backlinks {
            backlinks.insert(after, link);
        }
        changes.backlinks.insert(after);
    }
}

#[cfg(test)]
mod tests;
