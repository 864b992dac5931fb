//! Obsidian's link resolution, in one place.
//!
//! Given a link's path part and the note it is written in, the order is:
//! 1. an empty path is the note itself;
//! 2. `./` and `../` paths are taken relative to the source note's folder;
//! 3. an exact vault path wins (case-insensitive, `.md` optional);
//! 4. otherwise every file whose path ends with the link's path is a
//!    candidate: one in the source note's own folder wins, then the shortest
//!    path string, then the lexicographically first (a tie after the folder
//!    and length rules is *ambiguous*, and the candidates are reported).
//!
//! Aliases never resolve a link. A non-Markdown target needs its extension.
//! Names are compared NFC-normalised and case-insensitively; whether the case
//! matched exactly is recorded. Headings match after Obsidian's normalisation
//! (punctuation to spaces, runs of spaces collapsed, case ignored), `#`-chains
//! descend the heading tree, and block ids match exactly.

use std::borrow::Cow;
use std::hash::BuildHasher;

use hashbrown::HashTable;
use rayon::prelude::*;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::FileId;
use crate::model::{BlockId, Heading};

/// Where a link's path part leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatch {
    /// The chosen file, if any.
    pub target: Option<FileId>,
    /// When several files tie, all of them (the chosen one first).
    pub candidates: Vec<FileId>,
    /// Whether the link's spelling matched the file's case exactly.
    pub exact_case: bool,
}

impl PathMatch {
    fn unresolved() -> Self {
        Self {
            target: None,
            candidates: Vec::new(),
            exact_case: true,
        }
    }
}

/// A file as the resolver sees it: its id, its path and its folded path.
pub(crate) struct Entry {
    pub(crate) id: FileId,
    pub(crate) path: String,
    pub(crate) lower: String,
}

impl Entry {
    /// The entry of the file at `path`.
    pub(crate) fn new(id: FileId, path: &str) -> Self {
        Self {
            id,
            path: path.to_owned(),
            lower: fold(path),
        }
    }
}

/// Where link resolution looks files up. The [`Resolver`] (of a fixed set
/// of files) and the live vault's name index both answer it, so that both rank candidates by the
/// same rules ([`resolve_in`]).
pub(crate) trait FileNames {
    /// The files whose folded path is `lower`.
    fn at_path(&self, lower: &str) -> Vec<&Entry>;
    /// The files whose folded file name is `name`.
    fn named(&self, name: &str) -> Vec<&Entry>;
}

/// Precomputed lookup keys for every file in the vault.
pub struct Resolver {
    /// Sorted by folded path (then path).
    entries: Vec<Entry>,
    /// `entries` by folded path.
    by_path: HashIndex,
    /// `entries` by folded file name.
    by_name: HashIndex,
}

/// Indexes of a list, found by a key of each item: a hash table of bare
/// indexes (no allocation per item).
struct HashIndex(HashTable<u32>);

impl HashIndex {
    /// Indexes items `0..count` by `key(i)`.
    fn new<'a>(count: usize, key: impl Fn(usize) -> &'a str) -> Self {
        let mut table = HashTable::with_capacity(count);
        for i in 0..count {
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            table.insert_unique(hash(key(i)), index, |&j| hash(key(j as usize)));
        }
        Self(table)
    }

    /// The items whose key may be `key` (callers compare the keys themselves).
    fn get(&self, key: &str) -> impl Iterator<Item = usize> {
        self.0.iter_hash(hash(key)).map(|&i| i as usize)
    }
}

/// The hash of a lookup key (folded paths and names are short: Fx is quick).
fn hash(key: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(key)
}

impl Resolver {
    /// Indexes files by full path and by file name.
    pub fn new<'a>(files: impl IntoIterator<Item = (FileId, &'a str)>) -> Self {
        let files: Vec<(FileId, &str)> = files.into_iter().collect();
        // Folding every path is most of the work: on all cores.
        let mut entries: Vec<Entry> = files
            .into_par_iter()
            .map(|(id, path)| Entry::new(id, path))
            .collect();
        entries
            .par_sort_unstable_by(|a, b| a.lower.cmp(&b.lower).then_with(|| a.path.cmp(&b.path)));
        let by_path = HashIndex::new(entries.len(), |i| &entries[i].lower);
        let by_name = HashIndex::new(entries.len(), |i| file_name(&entries[i].lower));
        Self {
            entries,
            by_path,
            by_name,
        }
    }

    /// Resolves a non-empty link path written in the note at `source`.
    pub fn resolve(&self, link_path: &str, source: &str) -> PathMatch {
        resolve_in(self, link_path, source)
    }

    /// How many files have this file name, compared as Obsidian compares
    /// names (NFC, any case).
    pub fn count_named(&self, name: &str) -> usize {
        let lower = fold(name);
        self.named(file_name(&lower)).len()
    }
}

impl FileNames for Resolver {
    fn at_path(&self, lower: &str) -> Vec<&Entry> {
        (self.by_path.get(lower).map(|i| &self.entries[i]))
            .filter(|entry| entry.lower == lower)
            .collect()
    }

    fn named(&self, name: &str) -> Vec<&Entry> {
        (self.by_name.get(name).map(|i| &self.entries[i]))
            .filter(|entry| file_name(&entry.lower) == name)
            .collect()
    }
}

/// What a link path asks the vault for, once trimmed and normalised.
enum Wanted {
    /// A `./` or `../` path, joined to the source note's folder: only that
    /// exact vault path.
    Relative(String),
    /// An exact vault path, or else any path ending with this one.
    Anywhere(String),
}

/// Reads a link path written in the note at `source`; `None` when it can
/// name no file (empty, or climbing above the vault root).
fn wanted(link_path: &str, source: &str) -> Option<Wanted> {
    let trimmed = link_path.trim();
    let slashed = if trimmed.contains('\\') {
        Cow::Owned(trimmed.replace('\\', "/"))
    } else {
        Cow::Borrowed(trimmed)
    };
    let wanted = nfc(&slashed);
    let wanted = wanted.trim_start_matches('/');
    if wanted.is_empty() {
        None
    } else if wanted.starts_with("./") || wanted.starts_with("../") {
        join(folder(source), wanted).map(Wanted::Relative)
    } else {
        Some(Wanted::Anywhere(wanted.to_owned()))
    }
}

/// Resolves a non-empty link path written in the note at `source` among `files`.
pub(crate) fn resolve_in(files: &impl FileNames, link_path: &str, source: &str) -> PathMatch {
    match wanted(link_path, source) {
        None => PathMatch::unresolved(),
        Some(Wanted::Relative(joined)) => spellings(&joined)
            .find_map(|lower| exact(files, &lower, &joined))
            .unwrap_or_else(PathMatch::unresolved),
        Some(Wanted::Anywhere(wanted)) => {
            let mut spelled = spellings(&wanted);
            spelled
                .clone()
                .find_map(|lower| exact(files, &lower, &wanted))
                .or_else(|| spelled.find_map(|lower| by_suffix(files, &lower, &wanted, source)))
                .unwrap_or_else(PathMatch::unresolved)
        }
    }
}

/// The folded file names whose files decide where a link path written in
/// the note at `source` leads: every file it can match has one of them, so
/// only a change among those files can change its resolution.
pub(crate) fn names_consulted(link_path: &str, source: &str) -> Vec<String> {
    // Folding keeps every `/` and makes none, so the folded path's file
    // name is the folded file name: only the name is folded.
    match wanted(link_path, source) {
        None => Vec::new(),
        Some(Wanted::Relative(path) | Wanted::Anywhere(path)) => {
            spellings(file_name(&path)).collect()
        }
    }
}

/// The files at exactly this (folded) vault path.
fn exact(files: &impl FileNames, lower: &str, wanted: &str) -> Option<PathMatch> {
    let found = files.at_path(lower);
    (!found.is_empty()).then(|| choose(found, wanted))
}

/// Files whose (folded) path ends with `lower`, ranked by Obsidian's tie-breaks:
/// the source note's folder, then the shortest path, then path order.
fn by_suffix(files: &impl FileNames, lower: &str, wanted: &str, source: &str) -> Option<PathMatch> {
    // Ending with the path means having its file name too.
    let mut candidates = files.named(file_name(lower));
    candidates.retain(|entry| ends_with_path(&entry.lower, lower));
    if candidates.len() <= 1 {
        return candidates.first().map(|&entry| choose(vec![entry], wanted));
    }
    let source_folder = fold(folder(source));
    let same_folder: Vec<&Entry> = candidates
        .iter()
        .copied()
        .filter(|entry| folder(&entry.lower) == source_folder)
        .collect();
    if !same_folder.is_empty() {
        return Some(choose(same_folder, wanted));
    }
    let length = |entry: &Entry| entry.path.chars().count();
    let shortest = candidates.iter().map(|entry| length(entry)).min()?;
    let tied = candidates
        .into_iter()
        .filter(|entry| length(entry) == shortest)
        .collect();
    Some(choose(tied, wanted))
}

/// Picks among equally good files (at least one): the first in
/// (case-insensitive) path order; among files whose paths differ only in
/// case, the one spelled exactly as the link.
fn choose(mut entries: Vec<&Entry>, wanted: &str) -> PathMatch {
    let exact = |entry: &Entry| spelled_exactly(&entry.path, wanted);
    if entries.len() > 1 {
        entries.sort_by(|x, y| {
            x.lower
                .cmp(&y.lower)
                .then_with(|| exact(y).cmp(&exact(x)))
                .then_with(|| x.path.cmp(&y.path))
        });
    }
    let chosen = entries[0];
    PathMatch {
        target: Some(chosen.id),
        candidates: if entries.len() > 1 {
            entries.iter().map(|entry| entry.id).collect()
        } else {
            Vec::new()
        },
        exact_case: exact(chosen),
    }
}

/// The folded forms a link path may name a file by: as written, then with
/// `.md` added (unless it already ends in `.md`).
fn spellings(wanted: &str) -> impl Iterator<Item = String> + Clone {
    let lower = fold(wanted);
    let with_md = (!lower.ends_with(".md")).then(|| [lower.as_str(), ".md"].concat());
    std::iter::once(lower).chain(with_md)
}

/// Whether `path` names `wanted` with the same case (`.md` may be left out).
fn spelled_exactly(path: &str, wanted: &str) -> bool {
    let path = nfc(path);
    ends_with_path(&path, wanted)
        || path
            .strip_suffix(".md")
            .is_some_and(|stem| ends_with_path(stem, wanted))
}

/// `a/b/c` ends with the path `b/c` or `c`, but not with `/c`-less `bc`.
fn ends_with_path(path: &str, suffix: &str) -> bool {
    path.strip_suffix(suffix)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('/'))
}

/// A heading or block anchor's match in the target note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorMatch {
    /// Found, at this index of the note's headings or blocks.
    Found {
        /// Index into `Note::headings` or `Note::blocks`. One taken back
        /// from the index (see `Vault::assemble`) is only known to be below
        /// the longer of the two: read it with `get`.
        index: usize,
        /// Whether the case matched exactly.
        exact_case: bool,
    },
    /// Not in the note.
    Missing,
}

/// Finds a heading chain (`H1#H2`) in `headings`. `None` when the chain is empty.
pub fn find_heading(headings: &[Heading], chain: &str) -> Option<AnchorMatch> {
    let segments: Vec<String> = chain
        .split('#')
        .map(normalize_heading)
        .filter(|s| !s.is_empty())
        .collect();
    if segments.is_empty() {
        return None;
    }
    let mut scope = 0..headings.len();
    let mut found = None;
    let mut exact_case = true;
    for segment in &segments {
        let Some((index, exact)) = scope
            .clone()
            .find_map(|i| heading_match(&headings[i].text, segment).map(|exact| (i, exact)))
        else {
            return Some(AnchorMatch::Missing);
        };
        exact_case &= exact;
        let level = headings[index].level;
        let subtree_end = headings[index + 1..]
            .iter()
            .position(|h| h.level <= level)
            .map_or(headings.len(), |p| index + 1 + p);
        scope = index + 1..subtree_end;
        found = Some(index);
    }
    found.map(|index| AnchorMatch::Found { index, exact_case })
}

/// Whether a heading's text normalises to `wanted` (already normalised),
/// ignoring case; `Some(true)` when the case matches too. Allocates only for
/// headings that are not ASCII.
fn heading_match(text: &str, wanted: &str) -> Option<bool> {
    let text = nfc(text);
    let mut words = text
        .split(separates_heading_words)
        .filter(|w| !w.is_empty());
    let mut exact = true;
    for want in wanted.split(' ') {
        let word = words.next()?;
        if word != want {
            exact = false;
            let same = if word.is_ascii() && want.is_ascii() {
                word.eq_ignore_ascii_case(want)
            } else {
                word.to_lowercase() == want.to_lowercase()
            };
            if !same {
                return None;
            }
        }
    }
    words.next().is_none().then_some(exact)
}

/// Whitespace and the characters Obsidian turns into spaces when matching
/// heading links: ASCII punctuation except `-` and `_`.
fn separates_heading_words(c: char) -> bool {
    c.is_whitespace() || (c.is_ascii_punctuation() && c != '-' && c != '_')
}

/// Finds a block id (exact match).
pub fn find_block(blocks: &[BlockId], id: &str) -> AnchorMatch {
    blocks
        .iter()
        .position(|b| b.id == id)
        .map_or(AnchorMatch::Missing, |index| AnchorMatch::Found {
            index,
            exact_case: true,
        })
}

/// Obsidian's heading normalisation for link matching: punctuation and `%%`
/// become spaces, runs of whitespace collapse, ends are trimmed.
pub fn normalize_heading(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in nfc(text)
        .split(separates_heading_words)
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// NFC and lowercase: the form names are compared in.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        nfc(text).to_lowercase()
    }
}

/// `text` in Unicode normal form C, borrowed when it already is (the common case).
pub fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

pub(crate) fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn folder(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// `folder` + a `./` or `../` path; `None` when it climbs above the vault root.
fn join(folder: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::NoteId;

    /// Resolves `link` from `source` in a vault of `files`; returns the chosen path.
    fn resolve(files: &[&str], source: &str, link: &str) -> Option<String> {
        let resolver = Resolver::new(
            files
                .iter()
                .enumerate()
                .map(|(i, p)| (FileId::Note(NoteId(i as u32)), *p)),
        );
        let found = resolver.resolve(link, source);
        found.target.map(|t| match t {
            FileId::Note(NoteId(i)) | FileId::Attachment(i) => files[i as usize].to_owned(),
        })
    }

    #[test]
    fn files_are_counted_by_name_in_any_case_and_normal_form() {
        let resolver = Resolver::new(
            [
                "a/Setup.md",
                "b/SETUP.md",
                "c/Setup.txt",
                "Caf\u{e9}.md",
                "x/Cafe\u{301}.md",
            ]
            .into_iter()
            .enumerate()
            .map(|(i, p)| (FileId::Note(NoteId(i as u32)), p)),
        );
        assert_eq!(resolver.count_named("setup.md"), 2);
        assert_eq!(resolver.count_named("Setup.txt"), 1);
        assert_eq!(resolver.count_named("CAF\u{c9}.md"), 2);
        assert_eq!(resolver.count_named("Setup"), 0);
    }

    #[test]
    fn obsidian_resolution_order() {
        // Edge cases 1-8 of obsidian-semantics.md, section 8.
        let cases: &[(&[&str], &str, &str, Option<&str>)] = &[
            (
                &["Note.md", "a/Note.md", "a/src.md"],
                "a/src.md",
                "Note",
                Some("Note.md"),
            ),
            (
                &["a/Note.md", "b/c/Note.md", "a/src.md"],
                "a/src.md",
                "Note",
                Some("a/Note.md"),
            ),
            (
                &["zzzz/Note.md", "a/b/Note.md", "src.md"],
                "src.md",
                "Note",
                Some("a/b/Note.md"),
            ),
            (
                &["zzzz/Note.md", "b/Note.md", "zzzz/deep/src.md"],
                "zzzz/deep/src.md",
                "Note",
                Some("b/Note.md"),
            ),
            (&["Log.md"], "src.md", "log", Some("Log.md")),
            (&["Log.md"], "src.md", "LOG", Some("Log.md")),
            (&["Ext.md"], "src.md", "Ext.MD", Some("Ext.md")),
            (&["x/y/note.md"], "src.md", "y/note", Some("x/y/note.md")),
            (
                &["a/c/note.md", "a/b/src.md"],
                "a/b/src.md",
                "../c/note",
                Some("a/c/note.md"),
            ),
            (
                &["a/b/note.md", "a/b/src.md"],
                "a/b/src.md",
                "./note",
                Some("a/b/note.md"),
            ),
            (&["note.md"], "src.md", "../note", None),
            (&["Figure 1.png"], "src.md", "Figure 1", None),
            (
                &["Figure 1.png"],
                "src.md",
                "Figure 1.png",
                Some("Figure 1.png"),
            ),
            (&["Note.1.md"], "src.md", "Note.1", Some("Note.1.md")),
            (
                &["Note.md", "Note.canvas"],
                "src.md",
                "Note",
                Some("Note.md"),
            ),
            (
                &["Sub/My Note.md"],
                "src.md",
                "My Note.md",
                Some("Sub/My Note.md"),
            ),
            (
                &["Sub/My Note.md", "Sub/x.md"],
                "Sub/x.md",
                "Sub/My Note.md",
                Some("Sub/My Note.md"),
            ),
            (&["Note.md"], "src.md", "Note.md", Some("Note.md")),
            (&["Note.md"], "src.md", "/Note", Some("Note.md")),
            (&["Note.md"], "src.md", "https://example.com", None),
        ];
        for (files, source, link, expected) in cases {
            assert_eq!(
                resolve(files, source, link).as_deref(),
                *expected,
                "[[{link}]] from {source} in {files:?}"
            );
        }
    }

    #[test]
    fn nfc_and_nfd_spellings_meet() {
        let nfd_file = "Cafe\u{301}.md";
        assert_eq!(
            resolve(&[nfd_file], "src.md", "Café").as_deref(),
            Some(nfd_file)
        );
    }

    #[test]
    fn ties_after_folder_and_length_are_ambiguous() {
        let files = ["aa/Note.md", "bb/Note.md", "src.md"];
        let resolver = Resolver::new(
            files
                .iter()
                .enumerate()
                .map(|(i, p)| (FileId::Note(NoteId(i as u32)), *p)),
        );
        let found = resolver.resolve("Note", "src.md");
        assert_eq!(found.target, Some(FileId::Note(NoteId(0))));
        assert_eq!(
            found.candidates,
            [FileId::Note(NoteId(0)), FileId::Note(NoteId(1))]
        );
    }

    #[test]
    fn ties_go_to_path_order_not_to_the_exact_case() {
        // Seen in obsidian-help: the tie between two translations is broken by
        // path order even though only the later one matches the link's case.
        let files = ["ro/Sync Headless.md", "it/Sync headless.md"];
        assert_eq!(
            resolve(&files, "x.md", "Sync Headless").as_deref(),
            Some("it/Sync headless.md")
        );
        // Files that differ only in case: the exact spelling wins.
        let files = ["a/note.md", "a/Note.md"];
        assert_eq!(
            resolve(&files, "x.md", "Note").as_deref(),
            Some("a/Note.md")
        );
        assert_eq!(
            resolve(&files, "x.md", "note").as_deref(),
            Some("a/note.md")
        );
    }

    #[test]
    fn case_mismatch_is_recorded() {
        let resolver = Resolver::new([(FileId::Note(NoteId(0)), "Log.md")]);
        assert!(!resolver.resolve("log", "x.md").exact_case);
        assert!(resolver.resolve("Log", "x.md").exact_case);
    }

    fn heading(level: u8, text: &str) -> Heading {
        Heading {
            level,
            text: text.into(),
            span: crate::model::Span::default(),
            has_content: true,
        }
    }

    #[test]
    fn headings_match_after_normalisation() {
        // Edge cases 20-23.
        let headings = [
            heading(1, "Minecraft: The Video Game"),
            heading(2, "wifi 2.4 vs 5.0"),
            heading(2, "Parent"),
            heading(3, "Child"),
            heading(2, "Other"),
            heading(3, "Only here"),
        ];
        let found = |chain| find_heading(&headings, chain);
        assert!(matches!(
            found("Minecraft The Video Game"),
            Some(AnchorMatch::Found { index: 0, .. })
        ));
        assert!(matches!(
            found("wifi 2 4 vs 5 0"),
            Some(AnchorMatch::Found { index: 1, .. })
        ));
        assert!(matches!(
            found("Parent#Child"),
            Some(AnchorMatch::Found { index: 3, .. })
        ));
        assert_eq!(found("Parent#Only here"), Some(AnchorMatch::Missing));
        assert_eq!(found("Missing heading"), Some(AnchorMatch::Missing));
        assert_eq!(found(""), None);
        assert_eq!(
            found("parent"),
            Some(AnchorMatch::Found {
                index: 2,
                exact_case: false
            })
        );
    }

    #[test]
    fn block_ids_match_exactly() {
        let blocks = [BlockId {
            id: "my-id".into(),
            span: crate::model::Span::default(),
        }];
        assert!(matches!(
            find_block(&blocks, "my-id"),
            AnchorMatch::Found { .. }
        ));
        assert_eq!(find_block(&blocks, "other"), AnchorMatch::Missing);
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// Paths from a small alphabet, so that names, folders and case
        /// variants collide often.
        fn paths() -> impl Strategy<Value = Vec<String>> {
            let folder = prop::sample::select(vec!["", "a/", "A/", "b/", "a/c/", "b/a/"]);
            let name = prop::sample::select(vec!["x", "X", "y", "note", "Note", "z z"]);
            let ext = prop::sample::select(vec![".md", ".MD", ".png", ".md.md"]);
            prop::collection::btree_set(
                (folder, name, ext).prop_map(|(f, n, e)| format!("{f}{n}{e}")),
                1..12,
            )
            .prop_map(|set| set.into_iter().collect())
        }

        /// The chosen path and the candidate paths, with files listed in `order`.
        fn resolved(
            files: &[String],
            order: &[usize],
            link: &str,
            source: &str,
        ) -> (Option<String>, Vec<String>) {
            let resolver = Resolver::new(order.iter().map(|&i| {
                let id = u32::try_from(i).expect("few files");
                (FileId::Note(NoteId(id)), files[i].as_str())
            }));
            let path = |id: FileId| match id {
                FileId::Note(NoteId(i)) | FileId::Attachment(i) => files[i as usize].clone(),
            };
            let found = resolver.resolve(link, source);
            (
                found.target.map(path),
                found.candidates.into_iter().map(path).collect(),
            )
        }

        proptest! {
            #[test]
            fn resolution_does_not_depend_on_scan_order(
                files in paths(),
                shuffle in Just(()).prop_perturb(|(), mut rng| rng.random::<u64>()),
                link in prop::sample::select(vec![
                    "x", "X", "note", "a/x", "A/Note", "c/x.md", "./x", "../x", "z z", "y.png", "b/a/note",
                ]),
                source_pick in any::<prop::sample::Index>(),
            ) {
                let source = source_pick.get(&files).clone();
                let forward: Vec<usize> = (0..files.len()).collect();
                let mut shuffled = forward.clone();
                // A Fisher-Yates shuffle driven by the generated seed.
                let mut seed = shuffle;
                for i in (1..shuffled.len()).rev() {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let j = usize::try_from(seed >> 33).expect("fits") % (i + 1);
                    shuffled.swap(i, j);
                }
                let reversed: Vec<usize> = forward.iter().rev().copied().collect();
                let expected = resolved(&files, &forward, link, &source);
                prop_assert_eq!(&resolved(&files, &shuffled, link, &source), &expected);
                prop_assert_eq!(&resolved(&files, &reversed, link, &source), &expected);
            }

            #[test]
            fn a_unique_basename_always_resolves(
                files in paths(),
                pick in any::<prop::sample::Index>(),
                source_pick in any::<prop::sample::Index>(),
            ) {
                // The name a wikilink uses: the file name, without `.md` for
                // notes (kept when the rest ends in `.md` too, as `[[x.md]]` means `x.md`).
                let name = |path: &str| {
                    let file = path.rsplit('/').next().unwrap_or(path).to_owned();
                    let lower = file.to_lowercase();
                    match lower.strip_suffix(".md") {
                        Some(stem) if !stem.ends_with(".md") => file[..stem.len()].to_owned(),
                        _ => file,
                    }
                };
                let target = pick.get(&files);
                let wanted = name(target);
                // Unique: no other file has that name in any case, with or without `.md`.
                let unique = files
                    .iter()
                    .filter(|f| {
                        let file = f.rsplit('/').next().unwrap_or(f).to_lowercase();
                        let lower = wanted.to_lowercase();
                        file == lower || file == format!("{lower}.md")
                    })
                    .count()
                    == 1;
                prop_assume!(unique);
                let source = source_pick.get(&files);
                let order: Vec<usize> = (0..files.len()).collect();
                let (chosen, _) = resolved(&files, &order, &wanted, source);
                prop_assert_eq!(chosen.as_deref(), Some(target.as_str()));
            }
        }
    }
}
