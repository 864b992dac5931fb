//! The live vault's name indexes: files by folded file name
//! ([`NameIndex`]), and links by the file names they consult ([`Consulted`]).
//!
//! A link can only lead to a file whose folded file name is one of the names
//! [`resolve::names_consulted`] gives for it (an exact path, a relative path
//! and a path suffix all end in that name), and among those its source
//! note's folder decides the rest. So when a file with name `foo.md` comes,
//! goes or moves, the links to look at again are exactly those that consult
//! `foo.md`: [`NameIndex::consulting`].

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::FileId;
use super::backlinks::LinkAt;
use super::resolve::{self, Entry, FileNames};

/// Files by folded file name: what resolution looks up.
#[derive(Default)]
pub struct NameIndex {
    files: FxHashMap<String, Vec<Entry>>,
}

/// Links by the folded file names they consult: what a file that comes,
/// goes or moves may change.
#[derive(Default)]
pub struct Consulted {
    links: FxHashMap<String, FxHashSet<LinkAt>>,
}

impl NameIndex {
    /// Indexes these files (`id`, path); folding the paths, most of the
    /// work, on all cores.
    pub fn new(files: Vec<(FileId, &str)>) -> Self {
        let entries: Vec<Entry> = (files.into_par_iter())
            .map(|(id, path)| Entry::new(id, path))
            .collect();
        let mut index = Self::default();
        for entry in entries {
            let name = resolve::file_name(&entry.lower).to_owned();
            index.files.entry(name).or_default().push(entry);
        }
        index
    }

    /// Adds the file `id` at `path`; returns its folded file name.
    pub fn insert_file(&mut self, id: FileId, path: &str) -> String {
        let entry = Entry::new(id, path);
        let name = resolve::file_name(&entry.lower).to_owned();
        self.files.entry(name.clone()).or_default().push(entry);
        name
    }

    /// Removes the file `id`, which was at `path`; returns its folded file name.
    pub fn remove_file(&mut self, id: FileId, path: &str) -> String {
        let lower = resolve::fold(path);
        let name = resolve::file_name(&lower).to_owned();
        if let Some(entries) = self.files.get_mut(&name) {
            entries.retain(|entry| entry.id != id);
            if entries.is_empty() {
                self.files.remove(&name);
            }
        }
        name
    }

    /// How many files have the folded file name `name`.
    pub fn count_named(&self, name: &str) -> usize {
        self.files.get(name).map_or(0, Vec::len)
    }
}

impl Consulted {
    /// Indexes links by names they consult, given as (name, link) pairs.
    pub fn from_names(names: Vec<(String, LinkAt)>) -> Self {
        let mut consulted = Self::default();
        for (name, link) in names {
            consulted.add(name, link);
        }
        consulted
    }

    /// Records the names a link with this path, written in the note at
    /// `source_path`, consults.
    pub fn insert_link(&mut self, link: LinkAt, link_path: &str, source_path: &str) {
        for name in resolve::names_consulted(link_path, source_path) {
            self.add(name, link);
        }
    }

    fn add(&mut self, name: String, link: LinkAt) {
        self.links.entry(name).or_default().insert(link);
    }

    /// Forgets a link recorded by [`Consulted::insert_link`] with the same paths.
    pub fn remove_link(&mut self, link: LinkAt, link_path: &str, source_path: &str) {
        for name in resolve::names_consulted(link_path, source_path) {
            if let Some(links) = self.links.get_mut(&name) {
                links.remove(&link);
                if links.is_empty() {
                    self.links.remove(&name);
                }
            }
        }
    }

    /// The links that consult the folded file name `name`, in no order.
    pub fn consulting(&self, name: &str) -> impl Iterator<Item = LinkAt> + '_ {
        self.links.get(name).into_iter().flatten().copied()
    }
}

impl FileNames for NameIndex {
    fn at_path(&self, lower: &str) -> Vec<&Entry> {
        let mut found = self.named(resolve::file_name(lower));
        found.retain(|entry| entry.lower == lower);
        found
    }

    fn named(&self, name: &str) -> Vec<&Entry> {
        self.files
            .get(name)
            .map_or_else(Vec::new, |e| e.iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::NoteId;

    #[test]
    fn files_come_and_go_by_folded_name() {
        let mut names = NameIndex::default();
        let (a, b) = (FileId::Note(NoteId(0)), FileId::Note(NoteId(1)));
        assert_eq!(names.insert_file(a, "x/Foo.md"), "foo.md");
        names.insert_file(b, "FOO.md");
        let ids = |found: Vec<&Entry>| found.iter().map(|e| e.id).collect::<Vec<_>>();
        assert_eq!(ids(names.named("foo.md")), [a, b]);
        assert_eq!(names.count_named("foo.md"), 2);
        assert_eq!(ids(names.at_path("x/foo.md")), [a]);
        names.remove_file(a, "x/Foo.md");
        assert_eq!(ids(names.named("foo.md")), [b]);
        names.remove_file(b, "FOO.md");
        assert!(names.files.is_empty());
    }

    #[test]
    fn links_are_found_by_every_name_they_consult() {
        let mut names = Consulted::default();
        let link = LinkAt::new(NoteId(2), 0);
        names.insert_link(link, "Sub/Foo", "a/src.md");
        assert_eq!(names.consulting("foo").collect::<Vec<_>>(), [link]);
        assert_eq!(names.consulting("foo.md").collect::<Vec<_>>(), [link]);
        // A relative path consults the name it lands on.
        let relative = LinkAt::new(NoteId(2), 1);
        names.insert_link(relative, "../Bar.md", "a/src.md");
        assert_eq!(names.consulting("bar.md").collect::<Vec<_>>(), [relative]);
        names.remove_link(link, "Sub/Foo", "a/src.md");
        names.remove_link(relative, "../Bar.md", "a/src.md");
        assert!(names.links.is_empty());
    }
}
