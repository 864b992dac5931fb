//! The vault: every note parsed, every link resolved.
//!
//! [`Vault::load`] reads a folder (the only I/O here, in [`read`] and [`scan`]);
//! [`Vault::from_sources`] builds the same thing from strings, for tests and
//! embedding.

mod aliases;
pub mod backlinks;
pub mod change;
pub mod ids;
pub mod live;
mod names;
pub mod notes;
pub mod read;
pub mod resolve;
pub mod scan;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::error::Result;
use crate::model::{Diagnostic, Link, Note};
use crate::parse::{self, ParsedNote};
use notes::Notes;
use resolve::{AnchorMatch, FileNames, Resolver};

/// Index of a note in [`Vault::notes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NoteId(pub u32);

impl NoteId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A file a link can point at: a note or an attachment (by index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileId {
    /// A Markdown note.
    Note(NoteId),
    /// Any other file, by index in [`Vault::attachments`].
    Attachment(u32),
}

/// What a link resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The file, or `None` when the link is unresolved.
    pub target: Option<FileId>,
    /// When the choice was a tie, every tied file (the chosen one first).
    pub candidates: Vec<FileId>,
    /// Whether the file name's case matched exactly.
    pub exact_case: bool,
    /// The heading or block part, when the link has one and its target is a note.
    pub anchor: Option<AnchorMatch>,
}

impl Resolution {
    /// Whether several files tied for this link.
    pub fn is_ambiguous(&self) -> bool {
        self.candidates.len() > 1
    }
}

/// Link resolutions kept from an earlier load of a vault with exactly the
/// same files (the same paths, in the same order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownResolutions {
    /// Every note's resolutions then, in note order.
    pub resolutions: Vec<Vec<Resolution>>,
    /// For each note, whether its content is the same now as then.
    pub unchanged: Vec<bool>,
}

/// A loaded vault.
pub struct Vault {
    root: Option<PathBuf>,
    notes: Notes,
    attachments: Vec<String>,
    resolutions: Vec<Vec<Resolution>>,
    /// Problems of the scan, not of any one note.
    problems: Vec<Diagnostic>,
    /// The scan's problems and the notes', sorted, gathered when first asked for.
    diagnostics: OnceLock<Vec<Diagnostic>>,
    /// Built when first needed: resolutions taken from the index need none.
    resolver: OnceLock<Resolver>,
    /// Whether any link was resolved while assembling (rather than taken
    /// from [`KnownResolutions`]).
    resolved_anew: bool,
    /// Built when first needed (see [`alias_table`]).
    aliases: OnceLock<AliasTable>,
}

/// Folded aliases, sorted, each beside the note that claims it: a note per
/// claim, in path order for one alias.
struct AliasTable {
    names: Vec<String>,
    notes: Vec<NoteId>,
}

impl Vault {
    /// Scans, reads and parses the vault at `root` (in parallel), then resolves
    /// every link. Unreadable or malformed files become diagnostics.
    pub fn load(root: &Path, config: &Config) -> Result<Self> {
        let read::Scanned {
            notes,
            attachments,
            problems,
        } = read::read(root, config)?;
        let mut vault = Self::from_parsed(notes, attachments, problems, None);
        vault.root = Some(root.to_owned());
        Ok(vault)
    }

    /// Builds a vault from `(path, text)` pairs and attachment paths, without I/O.
    pub fn from_sources<P, T, A>(
        notes: impl IntoIterator<Item = (P, T)>,
        attachments: impl IntoIterator<Item = A>,
    ) -> Self
    where
        P: AsRef<str>,
        T: AsRef<str>,
        A: Into<String>,
    {
        let mut notes: Vec<(String, T)> = notes
            .into_iter()
            .map(|(p, t)| (p.as_ref().to_owned(), t))
            .collect();
        notes.sort_by(|a, b| a.0.cmp(&b.0));
        let parsed = notes
            .iter()
            .map(|(path, text)| parse::parse_note(path, text.as_ref()))
            .collect();
        let mut attachments: Vec<String> = attachments.into_iter().map(Into::into).collect();
        attachments.sort();
        Self::from_parsed(parsed, attachments, Vec::new(), None)
    }

    /// Builds a vault from notes parsed earlier, e.g. the index's, decoded
    /// when needed (see [`Notes`]), and attachment paths (sorted). `known` are resolutions
    /// the index kept for the same files: those of unchanged notes are taken
    /// back (their anchors into changed notes looked up again), the links of
    /// changed notes resolved anew; if the result does not fit these notes
    /// (one per link, every file and anchor there), every link is resolved
    /// again.
    pub fn assemble(
        root: &Path,
        notes: Notes,
        attachments: Vec<String>,
        problems: Vec<Diagnostic>,
        known: Option<KnownResolutions>,
    ) -> Self {
        let mut vault = Self::from_notes(notes, attachments, problems, known);
        vault.root = Some(root.to_owned());
        vault
    }

    fn from_parsed(
        parsed: Vec<ParsedNote>,
        attachments: Vec<String>,
        problems: Vec<Diagnostic>,
        known: Option<KnownResolutions>,
    ) -> Self {
        Self::from_notes(Notes::parsed(parsed), attachments, problems, known)
    }

    fn from_notes(
        notes: Notes,
        attachments: Vec<String>,
        problems: Vec<Diagnostic>,
        known: Option<KnownResolutions>,
    ) -> Self {
        let (resolver, resolutions, resolved_anew) = known
            .and_then(|k| take_back(k, &notes, &attachments))
            .unwrap_or_else(|| {
                let resolver = resolver_of(&notes, &attachments);
                notes.decode_all();
                let resolutions = (0..notes.len())
                    .into_par_iter()
                    .map(|i| {
                        let source = NoteId(to_u32(i));
                        (notes.get(i).note.links.iter())
                            .map(|link| resolve_in_notes(&resolver, &notes, source, link))
                            .collect()
                    })
                    .collect();
                (OnceLock::from(resolver), resolutions, true)
            });
        Self {
            root: None,
            notes,
            attachments,
            resolutions,
            problems,
            diagnostics: OnceLock::new(),
            resolver,
            resolved_anew,
            aliases: OnceLock::new(),
        }
    }

    /// Whether assembling the vault resolved any link (rather than take
    /// them all back from [`KnownResolutions`]).
    pub fn resolved_anew(&self) -> bool {
        self.resolved_anew
    }

    /// The vault folder, when loaded from disk.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// All notes, in path order (decoding, on all cores, those not decoded yet).
    pub fn notes(&self) -> impl ExactSizeIterator<Item = &Note> {
        self.notes.all().map(|parsed| &parsed.note)
    }

    /// How many notes the vault has.
    pub fn note_count(&self) -> usize {
        self.notes.len()
    }

    /// Note ids in path order. Iterating decodes nothing: a loop that reads
    /// every note goes faster after [`Vault::decode_all`].
    pub fn note_ids(&self) -> impl Iterator<Item = NoteId> + '_ {
        (0..self.notes.len()).map(|i| NoteId(to_u32(i)))
    }

    /// Decodes every note not decoded yet, on all cores.
    pub fn decode_all(&self) {
        self.notes.decode_all();
    }

    /// One note.
    pub fn note(&self, id: NoteId) -> &Note {
        &self.notes.get(id.index()).note
    }

    /// A note's properties and tags, without decoding the rest of it when
    /// it is not decoded yet (see [`Front`](notes::Front)).
    pub fn front(&self, id: NoteId) -> notes::Front<'_> {
        self.notes.front(id.index())
    }

    /// What a note holds, counted, without decoding it.
    pub fn counts(&self, id: NoteId) -> notes::Counts {
        self.notes.counts(id.index())
    }

    /// Attachment paths, in path order.
    pub fn attachments(&self) -> &[String] {
        &self.attachments
    }

    /// The vault-relative path of a file.
    pub fn file_path(&self, file: FileId) -> &str {
        match file {
            FileId::Note(id) => &self.notes.paths()[id.index()],
            FileId::Attachment(i) => &self.attachments[i as usize],
        }
    }

    /// How each of a note's links resolved, index for index with `Note::links`.
    pub fn resolutions(&self, id: NoteId) -> &[Resolution] {
        &self.resolutions[id.index()]
    }

    /// Every note's resolutions, in note order (what [`Vault::assemble`] takes back).
    pub fn all_resolutions(&self) -> &[Vec<Resolution>] {
        &self.resolutions
    }

    /// A note's links paired with their resolutions.
    pub fn links_of(&self, id: NoteId) -> impl Iterator<Item = (&Link, &Resolution)> {
        self.note(id).links.iter().zip(self.resolutions(id))
    }

    /// Every link that resolves to no file, with the path of its note, in
    /// path order (decoding every note first).
    pub fn unresolved_links(&self) -> impl Iterator<Item = (&str, &Link)> {
        self.decode_all();
        (self.note_ids()).flat_map(move |id| {
            let path = self.note(id).path.as_str();
            (self.links_of(id))
                .filter(|(_, resolution)| resolution.target.is_none())
                .map(move |(link, _)| (path, link))
        })
    }

    /// Problems found while scanning and parsing, sorted by path and position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        if let Some(diagnostics) = self.diagnostics.get() {
            return diagnostics;
        }
        let with_problems: Vec<usize> = (0..self.notes.len())
            .filter(|&i| self.notes.counts(i).diagnostics > 0)
            .collect();
        // Decoded on all cores before, not inside, the initialiser.
        self.notes.decode(&with_problems);
        self.diagnostics.get_or_init(|| {
            let mut diagnostics = self.problems.clone();
            for i in with_problems {
                diagnostics.extend_from_slice(&self.notes.get(i).diagnostics);
            }
            diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            diagnostics
        })
    }

    /// Problems of the scan, not of any one note (unreadable files and
    /// folders, skipped links), in the order found.
    pub fn problems(&self) -> &[Diagnostic] {
        &self.problems
    }

    /// The problems found while parsing one note.
    pub fn parse_diagnostics(&self, id: NoteId) -> &[Diagnostic] {
        if self.notes.counts(id.index()).diagnostics == 0 {
            return &[];
        }
        &self.notes.get(id.index()).diagnostics
    }

    /// Notes that list `name` among their aliases (case-insensitive). Aliases
    /// never resolve links; this is for hints such as "write `[[Note|alias]]`".
    pub fn notes_with_alias(&self, name: &str) -> &[NoteId] {
        if self.aliases.get().is_none() {
            // On all cores before, not inside, the initialiser.
            self.decode_all();
        }
        let table = self.aliases.get_or_init(|| alias_table(self));
        let folded = resolve::fold(name.trim());
        let first = table.names.partition_point(|a| *a < folded);
        let count = table.names[first..].partition_point(|a| *a == folded);
        &table.notes[first..first + count]
    }

    /// The note at this vault path (exact).
    pub fn note_by_path(&self, path: &str) -> Option<NoteId> {
        self.notes
            .paths()
            .binary_search_by(|p| p.as_str().cmp(path))
            .ok()
            .map(|i| NoteId(to_u32(i)))
    }

    /// Whether another file of the vault has the file name of the one at
    /// `path` (in any case), so that a link by name alone could lead elsewhere.
    pub fn shares_file_name(&self, path: &str) -> bool {
        self.resolver()
            .count_named(path.rsplit('/').next().unwrap_or(path))
            > 1
    }

    /// The file a link path written in the note at `source` leads to,
    /// resolved as every link of the vault is.
    pub fn resolve(&self, link_path: &str, source: &str) -> Option<FileId> {
        self.resolver().resolve(link_path, source).target
    }

    /// The resolver, built on first use when links were not resolved now.
    fn resolver(&self) -> &Resolver {
        self.resolver
            .get_or_init(|| resolver_of(&self.notes, &self.attachments))
    }

    /// Finds a note the way a user names it on the command line: a vault path,
    /// a name resolved like a wikilink from the vault root, or, failing those,
    /// an alias (as Obsidian's quick switcher does).
    pub fn find_note(&self, query: &str) -> Result<(NoteId, Resolution), NoteNotFound> {
        let query = query.trim();
        let query = query
            .strip_prefix("[[")
            .and_then(|q| q.strip_suffix("]]"))
            .unwrap_or(query);
        let found = self.resolver().resolve(query, "");
        match found.target {
            Some(FileId::Note(id)) => {
                return Ok((
                    id,
                    Resolution {
                        target: found.target,
                        candidates: found.candidates,
                        exact_case: found.exact_case,
                        anchor: None,
                    },
                ));
            }
            Some(FileId::Attachment(_)) => return Err(NoteNotFound::NotANote(query.to_owned())),
            None => {}
        }
        if let [id] = self.notes_with_alias(query) {
            return Ok((
                *id,
                Resolution {
                    target: Some(FileId::Note(*id)),
                    candidates: Vec::new(),
                    exact_case: true,
                    anchor: None,
                },
            ));
        }
        let folded = resolve::fold(query);
        let mut suggestions: Vec<String> = self
            .notes()
            .filter(|n| {
                resolve::fold(&n.title).contains(&folded)
                    || n.aliases.iter().any(|a| resolve::fold(a) == folded)
            })
            .map(|n| n.path.clone())
            .collect();
        suggestions.truncate(5);
        Err(NoteNotFound::Missing {
            query: query.to_owned(),
            suggestions,
        })
    }
}

/// Every note's aliases, folded and sorted (stable: the notes of one alias
/// stay in path order), beside the note that claims each.
fn alias_table(vault: &Vault) -> AliasTable {
    let mut aliases: Vec<(String, NoteId)> = vault
        .notes()
        .enumerate()
        .flat_map(|(i, note)| {
            let id = NoteId(to_u32(i));
            note.aliases.iter().map(move |a| (resolve::fold(a), id))
        })
        .collect();
    aliases.sort_by(|a, b| a.0.cmp(&b.0));
    let (names, notes) = aliases.into_iter().unzip();
    AliasTable { names, notes }
}

/// Why [`Vault::find_note`] found nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteNotFound {
    /// No note by that path, name or alias.
    #[error("no note matches `{query}`{}", suggest(.suggestions))]
    Missing {
        /// What was asked for.
        query: String,
        /// Notes with similar names.
        suggestions: Vec<String>,
    },
    /// The name is an attachment.
    #[error("`{0}` is an attachment, not a note")]
    NotANote(String),
}

fn suggest(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}?", suggestions.join(", "))
    }
}

/// The resolver for these notes and attachments.
fn resolver_of(notes: &Notes, attachments: &[String]) -> Resolver {
    let notes = (notes.paths().iter().enumerate())
        .map(|(i, path)| (FileId::Note(NoteId(to_u32(i))), path.as_str()));
    let attachments =
        (attachments.iter().enumerate()).map(|(i, p)| (FileId::Attachment(to_u32(i)), p.as_str()));
    Resolver::new(notes.chain(attachments))
}

/// The resolutions `known` gives `notes`: an unchanged note's as kept, with
/// its anchors into changed notes looked up again; a changed note's resolved
/// now. With the resolver if one was built, and whether any note changed;
/// `None` if they do not fit the notes.
fn take_back(
    known: KnownResolutions,
    notes: &Notes,
    attachments: &[String],
) -> Option<(OnceLock<Resolver>, Vec<Vec<Resolution>>, bool)> {
    let KnownResolutions {
        resolutions,
        unchanged,
    } = known;
    if resolutions.len() != notes.len() || unchanged.len() != notes.len() {
        return None;
    }
    let changed = |id: NoteId| !unchanged.get(id.index()).copied().unwrap_or(false);
    let resolver = unchanged
        .contains(&false)
        .then(|| resolver_of(notes, attachments));
    let resolutions: Vec<Vec<Resolution>> = resolutions
        .into_par_iter()
        .enumerate()
        .map(|(i, kept)| {
            let source = NoteId(to_u32(i));
            if let Some(resolver) = resolver.as_ref().filter(|_| changed(source)) {
                return (notes.get(i).note.links.iter())
                    .map(|link| resolve_in_notes(resolver, notes, source, link))
                    .collect();
            }
            // Only a link into a changed note is looked at (and only then
            // is this note decoded).
            kept.into_iter()
                .enumerate()
                .map(|(k, mut resolution)| {
                    if let Some(FileId::Note(target)) = resolution.target
                        && resolution.anchor.is_some()
                        && changed(target)
                        && target.index() < notes.len()
                        && let Some(link) = notes.get(i).note.links.get(k)
                    {
                        resolution.anchor = anchor_in(&notes.get(target.index()).note, link);
                    }
                    resolution
                })
                .collect()
        })
        .collect();
    let any_changed = resolver.is_some();
    fits(&resolutions, notes, attachments.len()).then(|| {
        (
            resolver.map_or_else(OnceLock::new, OnceLock::from),
            resolutions,
            any_changed,
        )
    })
}

/// Whether `known` can be the resolutions of `notes`' links: one per link,
/// every file among the notes and `attachments` attachments, every anchor
/// among its target's headings or blocks. Checked on the notes' counts, so
/// that no note is decoded for it.
fn fits(known: &[Vec<Resolution>], notes: &Notes, attachments: usize) -> bool {
    let file_exists = |file: &FileId| match *file {
        FileId::Note(id) => id.index() < notes.len(),
        FileId::Attachment(i) => (i as usize) < attachments,
    };
    let fits_link = |resolution: &Resolution| {
        let anchor_exists = match (resolution.anchor, resolution.target) {
            (None | Some(AnchorMatch::Missing), _) => true,
            (Some(AnchorMatch::Found { index, .. }), Some(FileId::Note(id))) => {
                id.index() < notes.len() && {
                    let counts = notes.counts(id.index());
                    index < counts.headings.max(counts.blocks) as usize
                }
            }
            (Some(AnchorMatch::Found { .. }), _) => false,
        };
        resolution.target.iter().all(file_exists)
            && resolution.candidates.iter().all(file_exists)
            && anchor_exists
    };
    known.len() == notes.len()
        && known.iter().enumerate().all(|(i, resolutions)| {
            resolutions.len() == notes.counts(i).links as usize && resolutions.iter().all(fits_link)
        })
}

/// How `link`, written in the note `source` at `source_path`, resolves among
/// `files`; `note` gives the target note, for the link's anchor.
fn resolve_link<'n>(
    files: &impl FileNames,
    source: NoteId,
    source_path: &str,
    link: &Link,
    note: impl FnOnce(NoteId) -> Option<&'n Note>,
) -> Resolution {
    let found = if link.is_self() {
        resolve::PathMatch {
            target: Some(FileId::Note(source)),
            candidates: Vec::new(),
            exact_case: true,
        }
    } else {
        resolve::resolve_in(files, &link.target, source_path)
    };
    let anchor = match found.target {
        Some(FileId::Note(id)) => note(id).and_then(|target| anchor_in(target, link)),
        _ => None,
    };
    Resolution {
        target: found.target,
        candidates: found.candidates,
        exact_case: found.exact_case,
        anchor,
    }
}

/// How a link of the note `source` resolves among the vault's `notes`.
fn resolve_in_notes(resolver: &Resolver, notes: &Notes, source: NoteId, link: &Link) -> Resolution {
    let source_path = &notes.paths()[source.index()];
    resolve_link(resolver, source, source_path, link, |id| {
        Some(&notes.get(id.index()).note)
    })
}

/// Where in `note` the heading or block part of `link` leads, if it has one.
fn anchor_in(note: &Note, link: &Link) -> Option<AnchorMatch> {
    match (&link.heading, &link.block) {
        (_, Some(block)) => Some(resolve::find_block(&note.blocks, block)),
        (Some(heading), None) => resolve::find_heading(&note.headings, heading),
        (None, None) => None,
    }
}

/// A file count or position as an id. Ids are `u32` to keep tables small; a
/// vault of 4 billion files could not be held in memory to get here.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("fewer than 4 billion files")
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "# One\n\n[[b#Two]] [[b#^x]] ![[pic.png]] [[c]]\n";
    const B: &str = "## Two\n\nText ^x\n";

    /// A vault of notes `a.md` and `b.md` with these texts, assembled with
    /// `known` resolutions for notes that did not change (`unchanged`).
    fn assembled_from(
        texts: [&str; 2],
        known: Vec<Vec<Resolution>>,
        unchanged: [bool; 2],
    ) -> Vault {
        let parsed = vec![
            parse::parse_note("a.md", texts[0]),
            parse::parse_note("b.md", texts[1]),
        ];
        let known = KnownResolutions {
            resolutions: known,
            unchanged: unchanged.to_vec(),
        };
        Vault::assemble(
            Path::new("/v"),
            Notes::parsed(parsed),
            vec!["pic.png".to_owned()],
            Vec::new(),
            Some(known),
        )
    }

    fn assembled(known: Vec<Vec<Resolution>>) -> Vault {
        assembled_from([A, B], known, [true, true])
    }

    #[test]
    fn only_changed_notes_are_resolved_again() {
        let computed = |a: &str, b: &str| {
            Vault::from_sources([("a.md", a), ("b.md", b)], ["pic.png"])
                .all_resolutions()
                .to_vec()
        };
        let before = computed(A, B);
        let taken = assembled_from([A, B], before.clone(), [true, true]);
        assert!(!taken.resolved_anew());
        assert_eq!(taken.all_resolutions(), &before[..]);

        // b lost its heading: a, unchanged, finds its anchor missing now.
        let b = "Text ^x\n";
        let after = assembled_from([A, b], before.clone(), [true, false]);
        assert!(after.resolved_anew());
        assert_eq!(after.all_resolutions(), &computed(A, b)[..]);
        assert_eq!(
            after.all_resolutions()[0][0].anchor,
            Some(AnchorMatch::Missing)
        );

        // a changed: its links are resolved again, whatever was kept.
        let a = "[[c]] [[b#Two]]\n";
        let mut stale = before.clone();
        stale[0].truncate(2);
        let after = assembled_from([a, B], stale, [false, true]);
        assert_eq!(after.all_resolutions(), &computed(a, B)[..]);
    }

    #[test]
    fn known_resolutions_are_used_only_if_they_fit_the_notes() {
        let computed = Vault::from_sources(
            [
                ("a.md", "# One\n\n[[b#Two]] [[b#^x]] ![[pic.png]] [[c]]\n"),
                ("b.md", "## Two\n\nText ^x\n"),
            ],
            ["pic.png"],
        );
        let right = computed.all_resolutions().to_vec();
        assert_eq!(right[0][0].target, Some(FileId::Note(NoteId(1))));
        assert_eq!(right[0][3].target, None);

        // Different but fitting: taken as they are (the index vouches for them).
        let mut fitting = right.clone();
        fitting[0][3].target = Some(FileId::Note(NoteId(0)));
        assert_eq!(assembled(fitting.clone()).all_resolutions(), &fitting[..]);

        let altered = |change: &dyn Fn(&mut Vec<Vec<Resolution>>)| {
            let mut resolutions = right.clone();
            change(&mut resolutions);
            resolutions
        };
        let found = |index| {
            Some(AnchorMatch::Found {
                index,
                exact_case: true,
            })
        };
        let misfits = [
            right[..1].to_vec(),
            altered(&|r| drop(r[0].pop())),
            // No such note, no such attachment.
            altered(&|r| r[0][3].target = Some(FileId::Note(NoteId(2)))),
            altered(&|r| r[0][2].candidates = vec![FileId::Attachment(0), FileId::Attachment(1)]),
            // No such heading, no such block, an anchor in an attachment.
            altered(&|r| r[0][0].anchor = found(1)),
            altered(&|r| r[0][1].anchor = found(1)),
            altered(&|r| r[0][2].anchor = found(0)),
        ];
        for (i, misfit) in misfits.into_iter().enumerate() {
            assert_eq!(
                assembled(misfit).all_resolutions(),
                &right[..],
                "misfit {i}"
            );
        }
    }
}
