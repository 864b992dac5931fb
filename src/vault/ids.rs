//! Stable ids for the files of a live vault.
//!
//! A file keeps its id from the moment it is added until it is removed, a
//! rename included: no id depends on scan order or on other files. A removed
//! file's slot is freed and may be given to a file added later, so holders of
//! ids drop those a change reports removed.

use std::collections::BTreeMap;

use super::{FileId, NoteId};

/// Items in numbered slots that never move.
#[derive(Debug, Clone)]
pub struct Slots<T> {
    slots: Vec<Option<T>>,
    free: Vec<u32>,
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Self {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<T> Slots<T> {
    /// Puts `item` in a free slot (or a new one) and returns its number.
    pub fn insert(&mut self, item: T) -> u32 {
        match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(item);
                slot
            }
            None => {
                self.slots.push(Some(item));
                super::to_u32(self.slots.len() - 1)
            }
        }
    }

    /// Takes the item out of `slot`, freeing it.
    pub fn remove(&mut self, slot: u32) -> Option<T> {
        let item = self.slots.get_mut(slot as usize)?.take()?;
        self.free.push(slot);
        Some(item)
    }

    /// How many slots hold an item.
    pub fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Whether no slot holds an item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item in `slot`.
    pub fn get(&self, slot: u32) -> Option<&T> {
        self.slots.get(slot as usize)?.as_ref()
    }

    /// The item in `slot`, to change.
    pub fn get_mut(&mut self, slot: u32) -> Option<&mut T> {
        self.slots.get_mut(slot as usize)?.as_mut()
    }
}

/// A vault's files by id and by path: notes (each with its data `N`) and
/// attachments (by path alone).
#[derive(Debug, Clone)]
pub struct Files<N> {
    by_path: BTreeMap<String, FileId>,
    notes: Slots<N>,
    attachments: Slots<String>,
}

impl<N> Default for Files<N> {
    fn default() -> Self {
        Self {
            by_path: BTreeMap::new(),
            notes: Slots::default(),
            attachments: Slots::default(),
        }
    }
}

impl<N> Files<N> {
    /// Files given at once, each list in path order with no path twice:
    /// notes (with their data) take the first note ids in the order given,
    /// attachments the first attachment slots.
    pub fn from_sorted(
        notes: impl IntoIterator<Item = (String, N)>,
        attachments: Vec<String>,
    ) -> Self {
        let mut files = Self::default();
        let mut by_path = Vec::new();
        for (path, note) in notes {
            by_path.push((path, FileId::Note(NoteId(files.notes.insert(note)))));
        }
        for path in attachments {
            let slot = files.attachments.insert(path.clone());
            by_path.push((path, FileId::Attachment(slot)));
        }
        // Two sorted runs: built in one pass rather than by one insert each.
        files.by_path = by_path.into_iter().collect();
        files
    }

    /// The file at this exact path.
    pub fn id(&self, path: &str) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// Adds a note at `path`, which no file may have yet.
    pub fn insert_note(&mut self, path: &str, note: N) -> NoteId {
        let id = NoteId(self.notes.insert(note));
        self.attach(path, FileId::Note(id));
        id
    }

    /// Adds an attachment at `path`, which no file may have yet.
    pub fn insert_attachment(&mut self, path: &str) -> FileId {
        let id = FileId::Attachment(self.attachments.insert(path.to_owned()));
        self.attach(path, id);
        id
    }

    /// Takes `path` from its file, which keeps its id and slot until it is
    /// attached again or [`Files::remove`]d.
    pub fn detach(&mut self, path: &str) -> Option<FileId> {
        self.by_path.remove(path)
    }

    /// Gives the file `id` the path `path` (free).
    pub fn attach(&mut self, path: &str, id: FileId) {
        if let FileId::Attachment(slot) = id
            && let Some(stored) = self.attachments.get_mut(slot)
        {
            path.clone_into(stored);
        }
        self.by_path.insert(path.to_owned(), id);
    }

    /// Removes a detached file, freeing its slot; a note's data is returned.
    pub fn remove(&mut self, id: FileId) -> Option<N> {
        match id {
            FileId::Note(note) => self.notes.remove(note.0),
            FileId::Attachment(slot) => self.attachments.remove(slot).and(None),
        }
    }

    /// How many notes.
    pub fn note_count(&self) -> usize {
        self.notes.len()
    }

    /// How many attachments.
    pub fn attachment_count(&self) -> usize {
        self.attachments.len()
    }

    /// A note's data.
    pub fn note(&self, id: NoteId) -> Option<&N> {
        self.notes.get(id.0)
    }

    /// A note's data, to change.
    pub fn note_mut(&mut self, id: NoteId) -> Option<&mut N> {
        self.notes.get_mut(id.0)
    }

    /// An attachment's path.
    pub fn attachment_path(&self, slot: u32) -> Option<&str> {
        self.attachments.get(slot).map(String::as_str)
    }

    /// Every file with its path, in path order.
    pub fn in_path_order(&self) -> impl Iterator<Item = (&str, FileId)> {
        self.by_path.iter().map(|(path, &id)| (path.as_str(), id))
    }

    /// Every file under `folder` (at any depth), in path order.
    pub fn under<'a>(&'a self, folder: &str) -> impl Iterator<Item = (&'a str, FileId)> {
        let prefix = format!("{}/", folder.trim_end_matches('/'));
        (self.by_path.range(prefix.clone()..))
            .take_while(move |(path, _)| path.starts_with(&prefix))
            .map(|(path, &id)| (path.as_str(), id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_survive_other_files_and_renames() {
        let mut files: Files<&str> = Files::default();
        let b = files.insert_note("b.md", "b");
        let pic = files.insert_attachment("pic.png");
        let a = files.insert_note("a.md", "a");
        assert_eq!(files.id("b.md"), Some(FileId::Note(b)));
        // A rename keeps the id.
        assert_eq!(files.detach("b.md"), Some(FileId::Note(b)));
        files.attach("c/b.md", FileId::Note(b));
        assert_eq!(files.id("c/b.md"), Some(FileId::Note(b)));
        assert_eq!(files.note(b), Some(&"b"));
        files.detach("pic.png");
        files.attach("img/pic.png", pic);
        assert_eq!(files.attachment_path(0), Some("img/pic.png"));
        let paths: Vec<&str> = files.in_path_order().map(|(p, _)| p).collect();
        assert_eq!(paths, ["a.md", "c/b.md", "img/pic.png"]);
        // A removed slot is freed and given to the next note.
        files.detach("a.md");
        assert_eq!(files.remove(FileId::Note(a)), Some("a"));
        assert_eq!(files.note(a), None);
        assert_eq!(files.insert_note("d.md", "d"), a);
        assert_eq!(files.id("c/b.md"), Some(FileId::Note(b)));
    }

    #[test]
    fn files_given_at_once_are_numbered_in_the_order_given() {
        let notes = [("a.md", 'a'), ("b/c.md", 'c')].map(|(p, n)| (p.to_owned(), n));
        let mut files = Files::from_sorted(notes, vec!["a.png".to_owned()]);
        assert_eq!(files.id("a.md"), Some(FileId::Note(NoteId(0))));
        assert_eq!(files.id("b/c.md"), Some(FileId::Note(NoteId(1))));
        assert_eq!(files.id("a.png"), Some(FileId::Attachment(0)));
        assert_eq!((files.note_count(), files.attachment_count()), (2, 1));
        let paths: Vec<&str> = files.in_path_order().map(|(p, _)| p).collect();
        assert_eq!(paths, ["a.md", "a.png", "b/c.md"]);
        assert_eq!(files.insert_note("d.md", 'd'), NoteId(2));
    }

    #[test]
    fn files_under_a_folder_and_not_beside_it() {
        let mut files: Files<()> = Files::default();
        for path in ["a/x.md", "a/b/y.md", "ab/z.md", "a.md", "b/a/w.md"] {
            files.insert_note(path, ());
        }
        let under: Vec<&str> = files.under("a").map(|(p, _)| p).collect();
        assert_eq!(under, ["a/b/y.md", "a/x.md"]);
        assert_eq!(files.under("a/").count(), 2);
    }
}
