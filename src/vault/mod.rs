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
pub mod new_note;
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
use crate::parse;
use live::LiveVault;
use notes::Notes;
use resolve::{AnchorMatch, FileNames};

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

/// A loaded vault, as the commands read it: the [`LiveVault`] it was built
/// as, never changed. So its ids are positions: note `n` is the `n`th in path
/// order, attachment slot `n` the `n`th attachment.
pub struct Vault {
    root: Option<PathBuf>,
    live: LiveVault,
    /// Whether any link was resolved while building it (rather than taken
    /// from [`KnownResolutions`]).
    resolved_anew: bool,
    /// The scan's problems and the notes', sorted, gathered when first asked for.
    diagnostics: OnceLock<Vec<Diagnostic>>,
}

impl Vault {
    /// Scans, reads and parses the vault at `root` (in parallel), then resolves
    /// every link. Unreadable or malformed files become diagnostics.
    pub fn load(root: &Path, config: &Config) -> Result<Self> {
        let live = LiveVault::load(root, config)?;
        Ok(Self::of(Some(root), live, true))
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
        let live = LiveVault::from_sources(notes, attachments);
        Self::of(None, live, true)
    }

    /// Builds a vault from notes parsed earlier, e.g. the index's, decoded
    /// when needed (see [`Notes`]), and attachment paths (sorted), with
    /// the resolutions `known` kept for the same files (see
    /// [`LiveVault::assemble`]).
    pub fn assemble(
        root: &Path,
        notes: Notes,
        attachments: Vec<String>,
        problems: Vec<Diagnostic>,
        known: Option<KnownResolutions>,
    ) -> Self {
        let (live, resolved_anew) = LiveVault::assemble(notes, attachments, problems, known);
        Self::of(Some(root), live, resolved_anew)
    }

    fn of(root: Option<&Path>, live: LiveVault, resolved_anew: bool) -> Self {
        Self {
            root: root.map(Path::to_owned),
            live,
            resolved_anew,
            diagnostics: OnceLock::new(),
        }
    }

    /// The live vault this is, to change in place.
    pub fn into_live(self) -> LiveVault {
        self.live
    }

    /// The live vault this is.
    pub fn live(&self) -> &LiveVault {
        &self.live
    }

    /// Whether building the vault resolved any link (rather than take
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
        self.decode_all();
        (0..self.note_count()).map(|i| self.note(NoteId(to_u32(i))))
    }

    /// How many notes the vault has.
    pub fn note_count(&self) -> usize {
        self.live.note_count()
    }

    /// Note ids in path order. Iterating decodes nothing: a loop that reads
    /// every note goes faster after [`Vault::decode_all`].
    pub fn note_ids(&self) -> impl Iterator<Item = NoteId> + '_ {
        (0..self.note_count()).map(|i| NoteId(to_u32(i)))
    }

    /// Decodes every note not decoded yet, on all cores.
    pub fn decode_all(&self) {
        self.live.decode_all();
    }

    /// One note (an empty one for an id not of this vault).
    pub fn note(&self, id: NoteId) -> &Note {
        self.live.note_or_empty(id)
    }

    /// A note's properties and tags, without decoding the rest of it when
    /// it is not decoded yet (see [`Front`](notes::Front)).
    pub fn front(&self, id: NoteId) -> notes::Front<'_> {
        (self.live.front(id)).unwrap_or_else(|| notes::Front::of(no_note()))
    }

    /// What a note holds, counted, without decoding it.
    pub fn counts(&self, id: NoteId) -> notes::Counts {
        self.live.counts(id).unwrap_or_default()
    }

    /// How many attachments the vault has.
    pub fn attachment_count(&self) -> usize {
        self.live.attachment_count()
    }

    /// Every file's id: notes, then attachments, each in path order.
    pub fn file_ids(&self) -> impl Iterator<Item = FileId> + '_ {
        let attachments = (0..self.attachment_count()).map(|i| FileId::Attachment(to_u32(i)));
        self.note_ids().map(FileId::Note).chain(attachments)
    }

    /// Attachment paths, in path order.
    pub fn attachment_paths(&self) -> impl Iterator<Item = &str> {
        self.live.attachment_paths()
    }

    /// The attachment at this exact vault path.
    pub fn attachment(&self, path: &str) -> Option<FileId> {
        (self.live.file_id(path)).filter(|file| matches!(file, FileId::Attachment(_)))
    }

    /// The vault-relative path of a file.
    pub fn file_path(&self, file: FileId) -> &str {
        self.live.file_path(file).unwrap_or_default()
    }

    /// How each of a note's links resolved, index for index with `Note::links`.
    pub fn resolutions(&self, id: NoteId) -> &[Resolution] {
        self.live.resolutions(id)
    }

    /// Every note's resolutions, in note order (what [`Vault::assemble`] takes back).
    pub fn all_resolutions(&self) -> Vec<&[Resolution]> {
        self.note_ids().map(|id| self.resolutions(id)).collect()
    }

    /// A note's links paired with their resolutions.
    pub fn links_of(&self, id: NoteId) -> impl Iterator<Item = (&Link, &Resolution)> {
        self.live.links_of(id)
    }

    /// The links that lead to a file (from other notes and its own), with
    /// their notes, sorted by note and position: from the vault's backlink
    /// index, built on first use.
    pub fn backlinks(&self, file: FileId) -> Vec<(NoteId, &Link)> {
        let mut links: Vec<(NoteId, &Link)> = (self.live.backlinks(file))
            .filter_map(|at| Some((at.source, self.live.link(at)?)))
            .collect();
        links.sort_by_key(|(source, link)| (*source, link.span.start));
        links
    }

    /// Every link that resolves to no file, with the path of its note, in
    /// path order (decoding every note first).
    pub fn unresolved_links(&self) -> impl Iterator<Item = (&str, &Link)> {
        self.live.unresolved_links()
    }

    /// Problems found while scanning and parsing, sorted by path and position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        if let Some(diagnostics) = self.diagnostics.get() {
            return diagnostics;
        }
        let with_problems: Vec<NoteId> = (self.note_ids())
            .filter(|&id| self.counts(id).diagnostics > 0)
            .collect();
        // Decoded on all cores before, not inside, the initialiser.
        with_problems.par_iter().for_each(|&id| {
            self.live.note(id);
        });
        self.diagnostics.get_or_init(|| {
            let mut diagnostics = self.problems().to_vec();
            for id in with_problems {
                diagnostics.extend_from_slice(self.parse_diagnostics(id));
            }
            diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            diagnostics
        })
    }

    /// Problems of the scan, not of any one note (unreadable files and
    /// folders, skipped links), in the order found.
    pub fn problems(&self) -> &[Diagnostic] {
        self.live.problems()
    }

    /// The problems found while parsing one note.
    pub fn parse_diagnostics(&self, id: NoteId) -> &[Diagnostic] {
        self.live.parse_diagnostics(id)
    }

    /// Notes that list `name` among their aliases (case-insensitive), in
    /// path order, once per claim. Aliases never resolve links; this is for
    /// hints such as "write `[[Note|alias]]`".
    pub fn notes_with_alias(&self, name: &str) -> &[NoteId] {
        self.live.notes_with_alias(name)
    }

    /// The note at this vault path (exact).
    pub fn note_by_path(&self, path: &str) -> Option<NoteId> {
        self.live.note_id(path)
    }

    /// Whether another file of the vault has the file name of the one at
    /// `path` (in any case), so that a link by name alone could lead elsewhere.
    pub fn shares_file_name(&self, path: &str) -> bool {
        self.live.shares_file_name(path)
    }

    /// The file a link path written in the note at `source` leads to,
    /// resolved as every link of the vault is.
    pub fn resolve(&self, link_path: &str, source: &str) -> Option<FileId> {
        self.live.resolve_path(link_path, source).target
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
        let found = self.live.resolve_path(query, "");
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

/// The note [`Vault::note`] gives for an id not of the vault: empty.
pub(crate) fn no_note() -> &'static Note {
    static EMPTY: OnceLock<Note> = OnceLock::new();
    EMPTY.get_or_init(|| parse::parse_note("", "").note)
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

    /// Every note's resolutions, owned.
    fn owned(vault: &Vault) -> Vec<Vec<Resolution>> {
        vault
            .all_resolutions()
            .into_iter()
            .map(<[_]>::to_vec)
            .collect()
    }

    fn assembled(known: Vec<Vec<Resolution>>) -> Vault {
        assembled_from([A, B], known, [true, true])
    }

    #[test]
    fn only_changed_notes_are_resolved_again() {
        let computed = |a: &str, b: &str| {
            owned(&Vault::from_sources(
                [("a.md", a), ("b.md", b)],
                ["pic.png"],
            ))
        };
        let before = computed(A, B);
        let taken = assembled_from([A, B], before.clone(), [true, true]);
        assert!(!taken.resolved_anew());
        assert_eq!(owned(&taken), before);

        // b lost its heading: a, unchanged, finds its anchor missing now.
        let b = "Text ^x\n";
        let after = assembled_from([A, b], before.clone(), [true, false]);
        assert!(after.resolved_anew());
        assert_eq!(owned(&after), computed(A, b));
        assert_eq!(owned(&after)[0][0].anchor, Some(AnchorMatch::Missing));

        // a changed: its links are resolved again, whatever was kept.
        let a = "[[c]] [[b#Two]]\n";
        let mut stale = before.clone();
        stale[0].truncate(2);
        let after = assembled_from([a, B], stale, [false, true]);
        assert_eq!(owned(&after), computed(a, B));
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
        let right = owned(&computed);
        assert_eq!(right[0][0].target, Some(FileId::Note(NoteId(1))));
        assert_eq!(right[0][3].target, None);

        // Different but fitting: taken as they are (the index vouches for them).
        let mut fitting = right.clone();
        fitting[0][3].target = Some(FileId::Note(NoteId(0)));
        assert_eq!(owned(&assembled(fitting.clone())), fitting);

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
            assert_eq!(owned(&assembled(misfit)), right, "misfit {i}");
        }
    }
}
