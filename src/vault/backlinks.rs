//! Which links lead to each file, kept up to date as links resolve anew.

use rustc_hash::FxHashMap;

use super::{FileId, NoteId};

/// One link of a note: the note and the link's index in `Note::links`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LinkAt {
    /// The note the link is written in.
    pub source: NoteId,
    /// Its index among the note's links.
    pub link: u32,
}

impl LinkAt {
    /// The `link`th link of `source`.
    pub fn new(source: NoteId, link: usize) -> Self {
        Self {
            source,
            link: u32::try_from(link).unwrap_or(u32::MAX),
        }
    }
}

/// Every resolved link, by the file it leads to.
#[derive(Debug, Clone, Default)]
pub struct Backlinks {
    /// Each file's links, sorted (inserted in order, as when built from
    /// every note in id order, each is a push).
    into: FxHashMap<FileId, Vec<LinkAt>>,
}

impl Backlinks {
    /// Records that `link` leads to `target`.
    pub fn insert(&mut self, target: FileId, link: LinkAt) {
        let links = self.into.entry(target).or_default();
        if links.last().is_none_or(|last| *last < link) {
            links.push(link);
        } else if let Err(at) = links.binary_search(&link) {
            links.insert(at, link);
        }
    }

    /// Forgets that `link` leads to `target`.
    pub fn remove(&mut self, target: FileId, link: LinkAt) {
        if let Some(links) = self.into.get_mut(&target) {
            if let Ok(at) = links.binary_search(&link) {
                links.remove(at);
            }
            if links.is_empty() {
                self.into.remove(&target);
            }
        }
    }

    /// The links that lead to `target`, by source id and link index, in
    /// that order.
    pub fn of(&self, target: FileId) -> impl Iterator<Item = LinkAt> + '_ {
        self.into.get(&target).into_iter().flatten().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_come_and_go() {
        let mut backlinks = Backlinks::default();
        let target = FileId::Note(NoteId(3));
        let (first, second) = (LinkAt::new(NoteId(1), 0), LinkAt::new(NoteId(0), 2));
        backlinks.insert(target, first);
        backlinks.insert(target, second);
        assert_eq!(backlinks.of(target).collect::<Vec<_>>(), [second, first]);
        backlinks.remove(target, first);
        backlinks.remove(target, second);
        assert_eq!(backlinks.of(target).count(), 0);
        assert!(backlinks.into.is_empty());
    }
}
