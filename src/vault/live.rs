//! A vault that changes in place: notes and attachments come, go, move and
//! change text, and only the links a change can affect are resolved again.
//!
//! Every mutation goes the same way: it updates the files ([`Files`]) and the
//! name index (`NameIndex`), noting which folded file names gained or lost
//! a file and which notes need all their links resolved again (new, edited
//! or moved notes); then `LiveVault::settle` resolves again the links of
//! those notes, the links that consult those names, and the anchored links
//! into edited notes, updates the backlinks, lints again every note whose
//! findings may have changed, and reports what changed. The rules of
//! resolution are [`super::resolve`]'s and the lint rules are
//! [`crate::lint`]'s, the same as for the batch [`Vault`].
//!
//! [`Vault`]: super::Vault

use std::collections::BTreeSet;
use std::path::Path;

use jiff::civil::Date;
use rayon::prelude::*;
use rustc_hash::FxHashSet;

use super::aliases::{AliasIndex, Touched};
use super::backlinks::{Backlinks, LinkAt};
use super::change::{ChangeError, Changes};
use super::ids::Files;
use super::names::NameIndex;
use super::read::{self, Scanned};
use super::resolve::{self, fold};
use super::scan::is_markdown;
use super::{FileId, NoteId, Resolution, resolve_link};
use crate::config::Config;
use crate::lint::fix::FixLookup;
use crate::lint::{self, Lookup};
use crate::model::{Diagnostic, Link, Note};
use crate::parse::{self, ParsedNote};

/// A vault held in memory and changed in place, with stable file ids.
pub struct LiveVault {
    files: Files<LiveNote>,
    names: NameIndex,
    backlinks: Backlinks,
    aliases: AliasIndex,
    /// Problems of the scan the vault was built from, not of any one note
    /// (unreadable files and folders, skipped links), as found then.
    problems: Vec<Diagnostic>,
    /// What the lint rules are told: the vault's configuration and the day.
    config: Config,
    today: Date,
}

/// A note, how its links resolve, and what the lint rules find in it.
struct LiveNote {
    parsed: ParsedNote,
    /// Index for index with the note's links (once settled).
    resolutions: Vec<Resolution>,
    /// Every enabled rule's findings, parse problems included (once settled).
    diagnostics: Vec<Diagnostic>,
    /// The text last given to [`LiveVault::upsert_note`]; `None` while the
    /// note is as the vault was built (its text is its file's).
    buffer: Option<String>,
}

impl LiveNote {
    fn new(parsed: ParsedNote) -> Self {
        Self {
            parsed,
            resolutions: Vec::new(),
            diagnostics: Vec::new(),
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
    /// Builds a live vault from `(path, text)` pairs and attachment paths,
    /// linted with `config` as on the day `today`.
    pub fn from_sources<P, T, A>(
        notes: impl IntoIterator<Item = (P, T)>,
        attachments: impl IntoIterator<Item = A>,
        config: Config,
        today: Date,
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
        Self::from_parsed(parsed, attachments, config, today)
    }

    /// Builds a live vault from parsed notes and attachment paths, linted
    /// with `config` as on the day `today`. Ids are given in path order,
    /// notes first (a later path already taken is skipped).
    pub fn from_parsed(
        mut parsed: Vec<ParsedNote>,
        mut attachments: Vec<String>,
        config: Config,
        today: Date,
    ) -> Self {
        parsed.sort_by(|a, b| a.note.path.cmp(&b.note.path));
        attachments.sort_unstable();
        let mut vault = Self {
            files: Files::default(),
            names: NameIndex::default(),
            backlinks: Backlinks::default(),
            aliases: AliasIndex::default(),
            problems: Vec::new(),
            config,
            today,
        };
        let mut ids = Vec::with_capacity(parsed.len());
        let mut touched = Touched::default();
        for parsed in parsed {
            let path = parsed.note.path.clone();
            if vault.files.id(&path).is_none() {
                let id = vault.files.insert_note(&path, LiveNote::new(parsed));
                vault.names.insert_file(FileId::Note(id), &path);
                vault.index_note(id, &mut touched);
                ids.push(id);
            }
        }
        for path in attachments {
            if vault.files.id(&path).is_none() {
                let id = vault.files.insert_attachment(&path);
                vault.names.insert_file(id, &path);
            }
        }
        let resolved: Vec<Vec<Resolution>> =
            ids.par_iter().map(|&id| vault.resolve_all(id)).collect();
        for (&id, resolutions) in ids.iter().zip(resolved) {
            for (i, resolution) in resolutions.iter().enumerate() {
                if let Some(target) = resolution.target {
                    vault.backlinks.insert(target, LinkAt::new(id, i));
                }
            }
            if let Some(note) = vault.files.note_mut(id) {
                note.resolutions = resolutions;
            }
        }
        let found = vault.lint(&ids);
        for (id, diagnostics) in ids.into_iter().zip(found) {
            if let Some(note) = vault.files.note_mut(id) {
                note.diagnostics = diagnostics;
            }
        }
        vault
    }

    /// Reads the vault folder at `root` and builds the live vault of its
    /// files, linted with `config` as on the day `today`; the scan's
    /// problems are kept (see [`LiveVault::problems`]).
    pub fn load(root: &Path, config: Config, today: Date) -> crate::error::Result<Self> {
        let Scanned {
            notes,
            attachments,
            problems,
        } = read::read(root, &config)?;
        let mut vault = Self::from_parsed(notes, attachments, config, today);
        vault.problems = problems;
        Ok(vault)
    }

    /// Problems of the scan the vault was built from, not of any one note
    /// (unreadable files and folders, skipped links), in the order found.
    /// Changes to the vault leave them as they were.
    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }

    /// Every finding of the vault, as the batch `lint::run` gives them: the
    /// scan's problems with their configured severities and every note's
    /// [`LiveVault::diagnostics`], sorted by path, line and column.
    pub fn findings(&self) -> Vec<Diagnostic> {
        let per_note = (self.note_ids()).flat_map(|id| self.diagnostics(id).iter().cloned());
        lint::with_problems(&self.problems, per_note, &self.config)
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
            FileId::Note(id) => self.note(id).map(|note| note.path.as_str()),
            FileId::Attachment(slot) => self.files.attachment_path(slot),
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

    /// A note.
    pub fn note(&self, id: NoteId) -> Option<&Note> {
        self.files.note(id).map(|live| &live.parsed.note)
    }

    /// The problems found while parsing a note.
    pub fn parse_diagnostics(&self, id: NoteId) -> &[Diagnostic] {
        self.files
            .note(id)
            .map_or(&[], |live| &live.parsed.diagnostics)
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
        (self.note_ids()).flat_map(move |id| {
            let path = self.note(id).map_or("", |note| note.path.as_str());
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

    /// What the enabled lint rules find in a note (its parse problems
    /// included), sorted by line and column: the batch lint's findings
    /// for it.
    pub fn diagnostics(&self, id: NoteId) -> &[Diagnostic] {
        self.files.note(id).map_or(&[], |live| &live.diagnostics)
    }

    /// The link at `at`, if its note has it.
    pub fn link(&self, at: LinkAt) -> Option<&Link> {
        self.note(at.source)?.links.get(at.link as usize)
    }

    /// The links that lead to a file (from other notes and its own), by
    /// source id and link index.
    pub fn backlinks(&self, file: FileId) -> impl Iterator<Item = LinkAt> + '_ {
        self.backlinks.of(file)
    }

    /// Sets the text of the note at `path` (kept as its [`LiveVault::buffer`]),
    /// adding the note if it is new.
    pub fn upsert_note(&mut self, path: &str, text: &str) -> Result<Changes, ChangeError> {
        check_path(path)?;
        if !is_markdown(path) {
            return Err(ChangeError::WrongKind(path.to_owned()));
        }
        let parsed = parse::parse_note(path, text);
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
            Some(FileId::Attachment(_)) => return Err(ChangeError::WrongKind(path.to_owned())),
            None => {
                let note = LiveNote {
                    buffer: Some(text.to_owned()),
                    ..LiveNote::new(parsed)
                };
                let id = self.files.insert_note(path, note);
                let name = self.names.insert_file(FileId::Note(id), path);
                pending.names.insert(name);
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
        let id = self.files.insert_attachment(path);
        let mut pending = Pending::default();
        pending.names.insert(self.names.insert_file(id, path));
        pending.changes.added.insert(id);
        Ok(self.settle(pending))
    }

    /// Removes the note or attachment at `path`.
    pub fn remove(&mut self, path: &str) -> Result<Changes, ChangeError> {
        let id = (self.files.id(path)).ok_or_else(|| ChangeError::Missing(path.to_owned()))?;
        let mut pending = Pending::default();
        if let FileId::Note(note) = id {
            self.unindex_note(note, &mut pending.touched);
        }
        self.files.detach(path);
        pending.names.insert(self.names.remove_file(id, path));
        if let Some(removed) = self.files.remove(id)
            && let FileId::Note(note) = id
        {
            for (i, resolution) in removed.resolutions.iter().enumerate() {
                if let Some(target) = resolution.target {
                    self.backlinks.remove(target, LinkAt::new(note, i));
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
            pending.names.insert(self.names.remove_file(id, &from));
            moved.push((id, to));
        }
        for (id, to) in moved {
            self.files.attach(&to, id);
            pending.names.insert(self.names.insert_file(id, &to));
            if let FileId::Note(note) = id {
                if let Some(live) = self.files.note_mut(note) {
                    live.parsed.move_to(&to);
                }
                self.index_note(note, &mut pending.touched);
                pending.sources.insert(note);
            }
            pending.changes.moved.insert(id);
        }
        Ok(self.settle(pending))
    }

    /// Records the names every link of a note consults, and the note's
    /// aliases and title.
    fn index_note(&mut self, id: NoteId, touched: &mut Touched) {
        if let Some(live) = self.files.note(id) {
            let note = &live.parsed.note;
            for (i, link) in note.links.iter().enumerate() {
                (self.names).insert_link(LinkAt::new(id, i), &link.target, &note.path);
            }
            self.aliases.insert(id, note, touched);
        }
    }

    /// Forgets what [`LiveVault::index_note`] recorded (with the note's
    /// path, links and aliases unchanged since).
    fn unindex_note(&mut self, id: NoteId, touched: &mut Touched) {
        if let Some(live) = self.files.note(id) {
            let note = &live.parsed.note;
            for (i, link) in note.links.iter().enumerate() {
                (self.names).remove_link(LinkAt::new(id, i), &link.target, &note.path);
            }
            self.aliases.remove(id, note, touched);
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
            (self.names.consulting(resolve::file_name(key)))
                .filter(spelled)
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

    /// Runs the lint rules on these notes.
    fn lint(&self, ids: &[NoteId]) -> Vec<Vec<Diagnostic>> {
        ids.par_iter()
            .map(|&id| lint::check_note(self, id, &self.config, self.today))
            .collect()
    }

    /// How a link written in the note `source` resolves now (it need not
    /// be one of the note's links: an editor asks about one being typed).
    pub fn resolve(&self, source: NoteId, link: &Link) -> Resolution {
        let path = self.note(source).map_or("", |note| note.path.as_str());
        resolve_link(&self.names, source, path, link, |id| self.note(id))
    }

    /// How every link of a note resolves now.
    fn resolve_all(&self, id: NoteId) -> Vec<Resolution> {
        (self.note(id).into_iter())
            .flat_map(|note| &note.links)
            .map(|link| self.resolve(id, link))
            .collect()
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
        let mut links: BTreeSet<LinkAt> = (names.iter())
            .flat_map(|name| self.names.consulting(name))
            .collect();
        for &edited in &changes.edited {
            links.extend(self.backlinks(FileId::Note(edited)).filter(|&at| {
                self.link(at)
                    .is_some_and(|link| link.heading.is_some() || link.block.is_some())
            }));
        }
        links.retain(|at| !sources.contains(&at.source));
        // Notes to lint again: those whose links were resolved again, those
        // with backlinks that changed (orphans), and those that read an
        // alias or title that changed.
        let mut relint: BTreeSet<NoteId> = sources.iter().copied().collect();
        relint.extend(links.iter().map(|at| at.source));
        relint.extend(self.aliases.readers(&touched));
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
                if before != after {
                    let at = LinkAt::new(source, i);
                    update_backlink(&mut self.backlinks, &mut changes, at, before, after);
                }
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
            }
        }
        changes
            .backlinks
            .retain(|file| !changes.removed.contains(file));
        relint.extend(changes.backlinks.iter().filter_map(|file| match file {
            FileId::Note(id) => Some(*id),
            FileId::Attachment(_) => None,
        }));
        let relint: Vec<NoteId> = (relint.into_iter())
            .filter(|&id| self.files.note(id).is_some())
            .collect();
        let found = self.lint(&relint);
        for (id, diagnostics) in relint.into_iter().zip(found) {
            if let Some(live) = self.files.note_mut(id)
                && live.diagnostics != diagnostics
            {
                live.diagnostics = diagnostics;
                changes.diagnostics.insert(id);
            }
        }
        changes
    }
}

impl Lookup for LiveVault {
    fn note(&self, id: NoteId) -> Option<&Note> {
        LiveVault::note(self, id)
    }

    fn resolutions(&self, id: NoteId) -> &[Resolution] {
        LiveVault::resolutions(self, id)
    }

    fn parse_diagnostics(&self, id: NoteId) -> &[Diagnostic] {
        LiveVault::parse_diagnostics(self, id)
    }

    fn file_path(&self, file: FileId) -> &str {
        LiveVault::file_path(self, file).unwrap_or_default()
    }

    fn alias_owners(&self, alias: &str) -> Vec<&str> {
        let mut owners: Vec<&str> = (self.aliases.claiming(&fold(alias.trim())).iter())
            .filter_map(|&id| Some(self.note(id)?.path.as_str()))
            .collect();
        owners.sort();
        owners
    }

    fn titled(&self, folded: &str) -> Option<&str> {
        (self.aliases.titled(folded).iter())
            .filter_map(|&id| Some(self.note(id)?.path.as_str()))
            .max()
    }

    fn linked_from_others(&self, id: NoteId) -> bool {
        self.backlinks(FileId::Note(id)).any(|at| at.source != id)
    }
}

impl FixLookup for LiveVault {
    fn note_ids(&self) -> Vec<NoteId> {
        LiveVault::note_ids(self).collect()
    }

    fn resolve_from_root(&self, link_path: &str) -> Option<FileId> {
        resolve::resolve_in(&self.names, link_path, "").target
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
    backlinks: &mut Backlinks,
    changes: &mut Changes,
    link: LinkAt,
    before: Option<FileId>,
    after: Option<FileId>,
) {
    if let Some(before) = before {
        backlinks.remove(before, link);
        changes.backlinks.insert(before);
    }
    if let Some(after) = after {
        backlinks.insert(after, link);
        changes.backlinks.insert(after);
    }
}

#[cfg(test)]
mod tests;
