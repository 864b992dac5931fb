//! The live vault's notes by alias ([`AliasIndex`]) and by title
//! ([`TitleIndex`]), for the lint rules that compare them: duplicate
//! aliases, and the hint on a link written to an alias. Keys are folded as
//! [`super::Vault::notes_with_alias`] folds them. Two indexes, so that a
//! question about aliases does not fold every note's title.

use rustc_hash::{FxHashMap, FxHashSet};

use super::NoteId;
use super::resolve::fold;
use crate::model::Note;

/// Notes by the aliases they claim.
#[derive(Default)]
pub struct AliasIndex {
    /// By folded alias: the notes that claim it, once per claim.
    claimed: FxHashMap<String, Vec<NoteId>>,
    /// By folded, trimmed alias: the notes that look up who else claims it.
    asked: FxHashMap<String, Vec<NoteId>>,
}

/// Notes by folded title.
#[derive(Default)]
pub struct TitleIndex {
    titles: FxHashMap<String, Vec<NoteId>>,
}

/// The keys of an [`AliasIndex`] and a [`TitleIndex`] whose notes changed.
#[derive(Default)]
pub struct Touched {
    /// Folded aliases that gained or lost a claim.
    pub claimed: FxHashSet<String>,
    /// Folded titles that gained or lost a note.
    pub titles: FxHashSet<String>,
}

impl AliasIndex {
    /// Adds a note's aliases.
    pub fn insert(&mut self, id: NoteId, note: &Note, touched: &mut Touched) {
        for alias in &note.aliases {
            let key = fold(alias);
            self.claimed.entry(key.clone()).or_default().push(id);
            touched.claimed.insert(key);
            let asked = self.asked.entry(fold(alias.trim())).or_default();
            if !asked.contains(&id) {
                asked.push(id);
            }
        }
    }

    /// Forgets what [`AliasIndex::insert`] added for this note (unchanged since).
    pub fn remove(&mut self, id: NoteId, note: &Note, touched: &mut Touched) {
        for alias in &note.aliases {
            let key = fold(alias);
            forget(&mut self.claimed, &key, id);
            touched.claimed.insert(key);
            forget(&mut self.asked, &fold(alias.trim()), id);
        }
    }

    /// The notes that claim the folded alias `key`, once per claim, in no order.
    pub fn claiming(&self, key: &str) -> &[NoteId] {
        self.claimed.get(key).map_or(&[], Vec::as_slice)
    }

    /// The notes whose aliases read what changed: those that look up who
    /// claims a touched alias, and those with an alias that is a touched title.
    pub fn readers<'a>(&'a self, touched: &'a Touched) -> impl Iterator<Item = NoteId> + 'a {
        let asking = (touched.claimed.iter()).flat_map(|key| self.asked.get(key));
        let shadowed = (touched.titles.iter()).flat_map(|key| self.claimed.get(key));
        asking.chain(shadowed).flatten().copied()
    }
}

impl TitleIndex {
    /// Adds a note's title.
    pub fn insert(&mut self, id: NoteId, note: &Note, touched: &mut Touched) {
        let title = fold(&note.title);
        self.titles.entry(title.clone()).or_default().push(id);
        touched.titles.insert(title);
    }

    /// Forgets what [`TitleIndex::insert`] added for this note (unchanged since).
    pub fn remove(&mut self, id: NoteId, note: &Note, touched: &mut Touched) {
        let title = fold(&note.title);
        forget(&mut self.titles, &title, id);
        touched.titles.insert(title);
    }

    /// The notes whose folded title is `key`, in no order.
    pub fn titled(&self, key: &str) -> &[NoteId] {
        self.titles.get(key).map_or(&[], Vec::as_slice)
    }
}

/// Takes `id` out of the list at `key`, dropping the list once empty.
fn forget(map: &mut FxHashMap<String, Vec<NoteId>>, key: &str, id: NoteId) {
    if let Some(ids) = map.get_mut(key) {
        ids.retain(|&other| other != id);
        if ids.is_empty() {
            map.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_note;

    #[test]
    fn aliases_and_titles_come_and_go() {
        let mut index = AliasIndex::default();
        let mut titles = TitleIndex::default();
        let mut touched = Touched::default();
        let a = parse_note("a.md", "---\naliases: [Shared, b, shared]\n---\n").note;
        let b = parse_note("x/B.md", "---\naliases: [shared]\n---\n").note;
        for (id, note) in [(NoteId(0), &a), (NoteId(1), &b)] {
            index.insert(id, note, &mut touched);
            titles.insert(id, note, &mut touched);
        }
        assert_eq!(index.claiming("shared"), [NoteId(0), NoteId(0), NoteId(1)]);
        assert_eq!(titles.titled("b"), [NoteId(1)]);
        // `a` claims `b`, which is the title of `x/B.md`.
        let mut touched = Touched::default();
        touched.titles.insert("b".into());
        assert_eq!(index.readers(&touched).collect::<Vec<_>>(), [NoteId(0)]);
        for (id, note) in [(NoteId(0), &a), (NoteId(1), &b)] {
            index.remove(id, note, &mut touched);
            titles.remove(id, note, &mut touched);
        }
        assert!(index.claimed.is_empty() && index.asked.is_empty() && titles.titles.is_empty());
        assert!(touched.claimed.contains("shared") && touched.titles.contains("a"));
    }
}
