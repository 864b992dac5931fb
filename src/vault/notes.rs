//! A vault's notes, each decoded when first asked for.
//!
//! A command that reads a few thousand notes of a 20,000-note vault (an
//! outline, say) should not decode the other 17,000 from the index. [`Notes`]
//! holds every note's path and [`Counts`] from the start, and the rest of a
//! note from its [`NoteSource`] once something asks for it. A vault parsed
//! from files has every note from the start.

use std::borrow::Cow;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::model::{Diagnostic, LinkOrigin, Note, Property, Severity, Tag};
use crate::parse::{self, ParsedNote};

/// What a note holds, counted: enough to check kept link resolutions against
/// it and to tell which notes a question needs, without decoding any.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Links of every kind (`Note::links`).
    pub links: u32,
    /// Those of them written in front-matter properties.
    pub property_links: u32,
    /// Headings.
    pub headings: u32,
    /// Block ids.
    pub blocks: u32,
    /// Problems found while parsing it.
    pub diagnostics: u32,
}

impl Counts {
    /// The counts of a parsed note.
    pub fn of(parsed: &ParsedNote) -> Self {
        let note = &parsed.note;
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            links: count(note.links.len()),
            property_links: count(
                (note.links.iter())
                    .filter(|l| matches!(l.origin, LinkOrigin::Property(_)))
                    .count(),
            ),
            headings: count(note.headings.len()),
            blocks: count(note.blocks.len()),
            diagnostics: count(parsed.diagnostics.len()),
        }
    }
}

/// A note's front-matter properties and its tags: what a base reads of
/// most rows. Borrowed from the note when it is decoded; otherwise decoded
/// alone, without the note's headings, links and the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Front<'a> {
    /// Front-matter properties in file order.
    pub properties: Cow<'a, [Property]>,
    /// Tags from front matter and body, in file order.
    pub tags: Cow<'a, [Tag]>,
}

impl<'a> Front<'a> {
    /// The front of a decoded note.
    pub fn of(note: &'a Note) -> Self {
        Self {
            properties: Cow::Borrowed(&note.properties),
            tags: Cow::Borrowed(&note.tags),
        }
    }
}

/// Where the notes not decoded yet come from (the index's note table).
pub trait NoteSource: Send + Sync {
    /// The note at this position in path order; `None` if what is stored
    /// for it cannot be decoded.
    fn parsed(&self, position: usize) -> Option<ParsedNote>;

    /// The front of the note at this position, which must be at `path`;
    /// `None` if it cannot be decoded alone (the whole note is then).
    fn front(&self, position: usize, path: &str) -> Option<Front<'static>> {
        let _ = (position, path);
        None
    }
}

/// Every note of a vault, in path order, decoded on first use.
pub struct Notes {
    paths: Vec<String>,
    counts: Vec<Counts>,
    cells: Vec<OnceLock<ParsedNote>>,
    source: Option<Box<dyn NoteSource>>,
    /// Set once every cell is filled.
    all_decoded: OnceLock<()>,
}

impl Notes {
    /// Notes parsed already (sorted by path here; of two with one path,
    /// the first is kept).
    pub fn parsed(mut parsed: Vec<ParsedNote>) -> Self {
        parsed.sort_by(|a, b| a.note.path.cmp(&b.note.path));
        parsed.dedup_by(|later, first| later.note.path == first.note.path);
        let paths = parsed.iter().map(|p| p.note.path.clone()).collect();
        let counts = parsed.iter().map(Counts::of).collect();
        Self {
            paths,
            counts,
            cells: parsed.into_iter().map(OnceLock::from).collect(),
            source: None,
            all_decoded: OnceLock::from(()),
        }
    }

    /// Notes known by path (sorted, each once: the index's) and counts,
    /// each decoded from `source` when first needed.
    pub fn lazy(notes: Vec<(String, Counts)>, source: Box<dyn NoteSource>) -> Self {
        let (paths, counts): (Vec<String>, Vec<Counts>) = notes.into_iter().unzip();
        let cells = paths.iter().map(|_| OnceLock::new()).collect();
        Self {
            paths,
            counts,
            cells,
            source: Some(source),
            all_decoded: OnceLock::new(),
        }
    }

    /// How many notes.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Every note's vault path, in order.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// A note's counts.
    pub fn counts(&self, position: usize) -> Option<Counts> {
        self.counts.get(position).copied()
    }

    /// A note, decoded now if it was not yet.
    pub fn get(&self, position: usize) -> Option<&ParsedNote> {
        let cell = self.cells.get(position)?;
        Some(cell.get_or_init(|| self.decode_one(position)))
    }

    /// A note's front: from the note if it is decoded, else decoded alone
    /// (and not kept: a caller reading it more than once keeps it).
    pub fn front(&self, position: usize) -> Option<Front<'_>> {
        if let Some(parsed) = self.cells.get(position)?.get() {
            return Some(Front::of(&parsed.note));
        }
        (self.source.as_ref())
            .and_then(|source| source.front(position, self.paths.get(position)?))
            .or_else(|| Some(Front::of(&self.get(position)?.note)))
    }

    /// Decodes every note not decoded yet, on all cores.
    pub fn decode_all(&self) {
        if self.all_decoded.get().is_none() {
            (0..self.len()).into_par_iter().for_each(|i| {
                self.get(i);
            });
            // Set after the parallel work, not inside an initialiser: a
            // rayon thread waiting there could steal a job that waits on it.
            let _ = self.all_decoded.set(());
        }
    }

    /// Decodes these notes (positions) now, on all cores.
    pub fn decode(&self, positions: &[usize]) {
        positions.par_iter().for_each(|&i| {
            self.get(i);
        });
    }

    fn decode_one(&self, position: usize) -> ParsedNote {
        let path = &self.paths[position];
        (self.source.as_ref())
            .and_then(|source| source.parsed(position))
            .filter(|parsed| parsed.note.path == *path)
            .unwrap_or_else(|| damaged(path))
    }
}

/// An empty note and an error, for a note whose stored form cannot be
/// decoded. The table's checksums cover every stored byte, so only a bug can
/// lead here. The error is among the note's own diagnostics only: the
/// vault's [`Counts`] said nothing of it, so the vault's diagnostics (which
/// gather the notes whose counts list problems) do not show it.
fn damaged(path: &str) -> ParsedNote {
    let mut parsed = parse::parse_note(path, "");
    parsed.diagnostics.push(Diagnostic::new(
        "unreadable-note",
        Severity::Error,
        path,
        "the index's copy of this note is damaged; `vaultkit index --rebuild` reads it again",
    ));
    parsed
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::vault::{FileId, KnownResolutions, NoteId, Vault};

    const TEXTS: [(&str, &str); 4] = [
        ("a.md", "---\nup: \"[[b]]\"\n---\n# A\n[[b#B]] [[c]]\n"),
        ("b.md", "---\ntags: a, b\n---\n# B\n\ntext ^x\n"),
        ("c.md", "---\ntags: [x\n---\n[[a]]\n"),
        ("d.md", "plain\n"),
    ];

    /// Parses `texts` on demand, counting what it was asked for; `None` for `broken`.
    struct Counting {
        asked: Arc<AtomicUsize>,
        texts: [(&'static str, &'static str); 4],
        broken: Option<usize>,
    }

    impl NoteSource for Counting {
        fn parsed(&self, position: usize) -> Option<ParsedNote> {
            self.asked.fetch_add(1, Ordering::SeqCst);
            let (path, text) = (self.texts)
                .get(position)
                .filter(|_| self.broken != Some(position))?;
            Some(parse::parse_note(path, text))
        }
    }

    /// A vault of `TEXTS` whose notes come from a counting source, with the
    /// resolutions of an eager load kept; the eager vault; the counter.
    fn lazy_vault(broken: Option<usize>) -> (Vault, Vault, Arc<AtomicUsize>) {
        lazy_vault_after(broken, TEXTS, [true; 4])
    }

    /// The same once the notes became `texts`: the kept resolutions are
    /// those of `TEXTS`, and `unchanged` says which notes kept their text.
    fn lazy_vault_after(
        broken: Option<usize>,
        texts: [(&'static str, &'static str); 4],
        unchanged: [bool; 4],
    ) -> (Vault, Vault, Arc<AtomicUsize>) {
        let before = Vault::from_sources(TEXTS, Vec::<String>::new());
        let eager = Vault::from_sources(texts, Vec::<String>::new());
        let parsed: Vec<ParsedNote> = texts.map(|(p, t)| parse::parse_note(p, t)).to_vec();
        let asked = Arc::new(AtomicUsize::new(0));
        let notes = Notes::lazy(
            (texts.iter().zip(&parsed))
                .map(|((path, _), parsed)| ((*path).to_owned(), Counts::of(parsed)))
                .collect(),
            Box::new(Counting {
                asked: Arc::clone(&asked),
                texts,
                broken,
            }),
        );
        let known = KnownResolutions {
            resolutions: (before.all_resolutions().into_iter())
                .map(<[_]>::to_vec)
                .collect(),
            unchanged: unchanged.to_vec(),
        };
        let root = std::path::Path::new("/v");
        let lazy = Vault::assemble(root, notes, Vec::new(), Vec::new(), Some(known));
        (eager, lazy, asked)
    }

    #[test]
    fn notes_are_decoded_only_when_read() {
        let (eager, lazy, asked) = lazy_vault(None);
        assert!(!lazy.resolved_anew());
        assert_eq!(lazy.all_resolutions(), eager.all_resolutions());
        // Paths, counts and finding a note by name or path decode nothing.
        assert_eq!(lazy.note_by_path("c.md"), Some(NoteId(2)));
        assert_eq!(lazy.file_path(FileId::Note(NoteId(1))), "b.md");
        assert_eq!(lazy.find_note("B").map(|(id, _)| id), Ok(NoteId(1)));
        assert_eq!(lazy.counts(NoteId(0)).property_links, 1);
        assert_eq!(asked.load(Ordering::SeqCst), 0);
        // One note, once.
        assert_eq!(lazy.note(NoteId(3)).word_count, 1);
        assert_eq!(lazy.note(NoteId(3)), eager.note(NoteId(3)));
        assert_eq!(asked.load(Ordering::SeqCst), 1);
        // The diagnostics need only the notes that have some (b and c).
        assert_eq!(lazy.diagnostics(), eager.diagnostics());
        assert!(lazy.diagnostics().len() >= 2);
        assert_eq!(asked.load(Ordering::SeqCst), 3);
        // Every note, each decoded once in all.
        assert!(lazy.notes().eq(eager.notes()));
        assert_eq!(asked.load(Ordering::SeqCst), TEXTS.len());
        assert_eq!(lazy.notes_with_alias("x"), eager.notes_with_alias("x"));
    }

    #[test]
    fn a_front_is_borrowed_from_a_decoded_note_else_the_source_has_to_decode_it() {
        let (eager, lazy, asked) = lazy_vault(None);
        // This source cannot decode fronts alone: the note is decoded and kept.
        assert_eq!(lazy.front(NoteId(1)), Front::of(eager.note(NoteId(1))));
        assert_eq!(lazy.front(NoteId(1)).tags.len(), 2);
        assert_eq!(asked.load(Ordering::SeqCst), 1);
        assert!(matches!(lazy.front(NoteId(1)).tags, Cow::Borrowed(_)));
        assert_eq!(asked.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_note_that_cannot_be_decoded_is_empty_with_an_error() {
        let (_, lazy, _) = lazy_vault(Some(1));
        let note = lazy.note(NoteId(1));
        assert_eq!((note.path.as_str(), note.headings.len()), ("b.md", 0));
        let notes = Notes::lazy(
            vec![
                ("a.md".to_owned(), Counts::default()),
                ("elsewhere.md".to_owned(), Counts::default()),
            ],
            Box::new(Counting {
                asked: Arc::default(),
                texts: TEXTS,
                broken: None,
            }),
        );
        // The source's second note is `b.md`: not the one asked for.
        for (i, path) in [(0, "a.md"), (1, "elsewhere.md")] {
            let parsed = notes.get(i).expect("a note there");
            assert_eq!(parsed.note.path, path);
            let damaged = parsed
                .diagnostics
                .iter()
                .any(|d| d.rule == "unreadable-note");
            assert_eq!(damaged, i == 1, "{path}");
        }
    }

    #[test]
    fn after_an_edit_only_what_it_touches_is_decoded_and_resolved_again() {
        // b lost its heading `B`, which a links to; c and d did not change
        // and link to nothing that did.
        let mut texts = TEXTS;
        texts[1].1 = "text ^x\n";
        let (eager, lazy, asked) = lazy_vault_after(None, texts, [true, false, true, true]);
        assert!(lazy.resolved_anew());
        assert_eq!(lazy.all_resolutions(), eager.all_resolutions());
        assert_eq!(
            lazy.all_resolutions()[0][1].anchor,
            Some(crate::vault::resolve::AnchorMatch::Missing)
        );
        // b (changed) and a (its anchor into b looked up again); not c or d.
        assert_eq!(asked.load(Ordering::SeqCst), 2);
        assert!(lazy.notes().eq(eager.notes()));
    }
}
