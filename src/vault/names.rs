//! The live vault's name indexes: files by folded file name
//! ([`NameIndex`]), and unresolved links by the file names they consult
//! ([`Unresolved`]).
//!
//! A link can only lead to a file whose folded file name is one of the names
//! [`resolve::names_consulted`] gives for it (an exact path, a relative path
//! and a path suffix all end in that name), and among those its source
//! note's folder decides the rest. So when a file with name `foo.md` comes,
//! goes or moves, the links to look at again are those that consult
//! `foo.md`: the links into files named `foo.md` (or `foo`), found by their
//! backlinks, and the unresolved links that consult it, found here.

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

/// Links that lead nowhere, by the folded file names they consult: what
/// a file that comes may give a target.
#[derive(Default)]
pub struct Unresolved {
    links: FxHashMap<String, FxHashSet<LinkAt>>,
    /// The names each link was recorded under, to forget it by.
    names: FxHashMap<LinkAt, Vec<String>>,
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

impl Unresolved {
    /// Records that `link` leads nowhere and consults `names` (replacing
    /// what was recorded for it).
    pub fn insert(&mut self, link: LinkAt, names: Vec<String>) {
        self.remove(link);
        for name in &names {
            self.links.entry(name.clone()).or_default().insert(link);
        }
        self.names.insert(link, names);
    }

    /// Forgets `link`, if it was recorded.
    pub fn remove(&mut self, link: LinkAt) {
        for name in self.names.remove(&link).unwrap_or_default() {
            if let Some(links) = self.links.get_mut(&name) {
                links.remove(&link);
                if links.is_empty() {
                    self.links.remove(&name);
                }
            }
        }
    }

    /// The unresolved links that consult the folded file name `name`, in no order.
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
    fn unresolved_links_are_found_by_every_name_they_consult() {
        let mut unresolved = Unresolved::default();
        let link = LinkAt::new(NoteId(2), 0);
        unresolved.insert(link, resolve::names_consulted("Sub/Foo", "a/src.md"));
        assert_eq!(unresolved.consulting("foo").collect::<Vec<_>>(), [link]);
        assert_eq!(unresolved.consulting("foo.md").collect::<Vec<_>>(), [link]);
        // A relative path consults the name it lands on.
        let relative = LinkAt::new(NoteId(2), 1);
        unresolved.insert(relative, resolve::names_consulted("../Bar.md", "a/src.md"));
        assert_eq!(
            unresolved.consulting("bar.md").collect::<Vec<_>>(),
            [relative]
        );
        // Recorded again under other names, it is found by those only.
        unresolved.insert(link, resolve::names_consulted("Baz", "a/src.md"));
        assert_eq!(unresolved.consulting("foo").count(), 0);
        assert_eq!(unresolved.consulting("baz.md").collect::<Vec<_>>(), [link]);
        unresolved.remove(link);
        unresolved.remove(relative);
        assert!(unresolved.links.is_empty() && unresolved.names.is_empty());
    }
}
