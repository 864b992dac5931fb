//! The vault's names folded once (see [`fold`]) for the fuzzy matching of
//! completion and workspace symbols, which rank every name of the vault on
//! each request: each note's title, aliases and headings, and each file's
//! link text. They are kept in step with the vault's changes: a note's
//! names are folded again when it changes, and the link texts (which
//! depend on which other files share a name) are worked out again, when
//! next asked for, after files come, go or move. The vault's tags, which
//! completion after `#` counts, are kept in step the same way.

use std::sync::OnceLock;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use vaultkit::model::{Note, Tag, tag_names};
use vaultkit::vault::change::Changes;
use vaultkit::vault::live::LiveVault;
use vaultkit::vault::resolve::fold;
use vaultkit::vault::{FileId, NoteId};

use super::fuzzy::Name;

/// The folded names of a vault, each part built when first asked for.
#[derive(Default)]
pub struct Names {
    notes: OnceLock<FxHashMap<NoteId, NoteNames>>,
    links: OnceLock<Vec<LinkText>>,
    tags: OnceLock<Tags>,
}

/// The vault's tags, case aside: how each note spells them, and how many
/// notes spell each one each way.
#[derive(Default)]
pub struct Tags {
    /// Each note's tags, once each (as [`tag_names`] gives them).
    of_note: FxHashMap<NoteId, Vec<String>>,
    /// By lowercased tag: how many notes use each spelling.
    spellings: FxHashMap<String, FxHashMap<String, usize>>,
}

/// A note's names, ready to match.
pub struct NoteNames {
    pub title: Name,
    /// In the order of the note's aliases.
    pub aliases: Vec<Name>,
    /// In the order of the note's headings.
    pub headings: Vec<Name>,
}

/// What a link to a file is written as, and the names it is matched by.
pub struct LinkText {
    pub file: FileId,
    /// The file name, or the path when another file has that name, with
    /// `.md` left out for notes and the extension kept for attachments.
    pub text: String,
    /// `text`, ready to match.
    pub name: Name,
    /// The file's vault path, ready to match.
    pub path: Name,
}

impl NoteNames {
    fn of(note: &Note) -> Self {
        Self {
            title: Name::new(&note.title),
            aliases: note.aliases.iter().map(|alias| Name::new(alias)).collect(),
            headings: (note.headings.iter())
                .map(|heading| Name::new(&heading.text))
                .collect(),
        }
    }
}

impl Names {
    /// Every note's folded names, of the vault `live` these names follow.
    pub fn notes(&self, live: &LiveVault) -> &FxHashMap<NoteId, NoteNames> {
        if let Some(notes) = self.notes.get() {
            return notes;
        }
        // Decoded and folded on all cores, outside the cell's initialiser
        // (see `Notes::decode_all`).
        let ids: Vec<NoteId> = live.note_ids().collect();
        let names: Vec<(NoteId, NoteNames)> = (ids.into_par_iter())
            .filter_map(|id| Some((id, NoteNames::of(live.note(id)?))))
            .collect();
        self.notes.get_or_init(|| names.into_iter().collect())
    }

    /// Every file's link text, in path order, of the vault `live` these
    /// names follow.
    pub fn links(&self, live: &LiveVault) -> &[LinkText] {
        self.links.get_or_init(|| link_texts(live))
    }

    /// The vault's tags, of the vault `live` these names follow.
    pub fn tags(&self, live: &LiveVault) -> &Tags {
        self.tags.get_or_init(|| {
            let mut tags = Tags::default();
            for id in live.note_ids() {
                tags.set(id, tags_of(live, id));
            }
            tags
        })
    }

    /// Takes in a change of the vault these names follow, now `live`.
    pub fn update(&mut self, live: &LiveVault, changes: &Changes) {
        if !(changes.added.is_empty() && changes.removed.is_empty() && changes.moved.is_empty()) {
            self.links.take();
        }
        let removed = (changes.removed.iter()).filter_map(|file| match file {
            FileId::Note(id) => Some(*id),
            FileId::Attachment(_) => None,
        });
        let given: Vec<NoteId> = (changes.added.iter().chain(&changes.moved))
            .filter_map(|file| match file {
                FileId::Note(id) => Some(*id),
                FileId::Attachment(_) => None,
            })
            .chain(changes.edited.iter().copied())
            .collect();
        if let Some(tags) = self.tags.get_mut() {
            for id in removed.clone() {
                tags.set(id, Vec::new());
            }
            for &id in &given {
                tags.set(id, tags_of(live, id));
            }
        }
        let Some(notes) = self.notes.get_mut() else {
            return;
        };
        for id in removed {
            notes.remove(&id);
        }
        for id in given {
            match live.note(id) {
                Some(note) => notes.insert(id, NoteNames::of(note)),
                None => notes.remove(&id),
            };
        }
    }
}

impl Tags {
    /// Makes `names` the tags of the note `id` (none: it has no tags).
    pub fn set(&mut self, id: NoteId, names: Vec<String>) {
        for name in self.of_note.remove(&id).unwrap_or_default() {
            let key = name.to_lowercase();
            if let Some(spellings) = self.spellings.get_mut(&key) {
                if let Some(count) = spellings.get_mut(&name) {
                    *count -= 1;
                    if *count == 0 {
                        spellings.remove(&name);
                    }
                }
                if spellings.is_empty() {
                    self.spellings.remove(&key);
                }
            }
        }
        for name in &names {
            let spellings = self.spellings.entry(name.to_lowercase()).or_default();
            *spellings.entry(name.clone()).or_default() += 1;
        }
        if !names.is_empty() {
            self.of_note.insert(id, names);
        }
    }

    /// Gives `visit` every tag, spelled as most notes spell it (of
    /// spellings as common, the first in byte order), with how many notes
    /// use it, counting the note `id` as if its tags were `tags`.
    pub fn each_counting(&self, id: NoteId, tags: &[String], mut visit: impl FnMut(&str, usize)) {
        // The tags the note's count changes, recounted.
        let mut recounted: FxHashMap<String, FxHashMap<String, usize>> = FxHashMap::default();
        let mut votes = |name: &String, change: fn(usize) -> usize| {
            let spellings = (recounted.entry(name.to_lowercase()))
                .or_insert_with_key(|key| self.spellings.get(key).cloned().unwrap_or_default());
            let count = spellings.entry(name.clone()).or_default();
            *count = change(*count);
        };
        for name in self.of_note.get(&id).into_iter().flatten() {
            votes(name, |count| count.saturating_sub(1));
        }
        for name in tags {
            votes(name, |count| count + 1);
        }
        let unchanged = (self.spellings.iter()).filter(|(key, _)| !recounted.contains_key(*key));
        for (_, spellings) in unchanged.chain(&recounted) {
            let notes = spellings.values().sum();
            let spelled = (spellings.iter())
                .filter(|(_, count)| **count > 0)
                .max_by(|(a, x), (b, y)| x.cmp(y).then_with(|| b.cmp(a)));
            if let Some((spelled, _)) = spelled {
                visit(spelled, notes);
            }
        }
    }
}

/// The tags of the note `id` in `live`, once each.
fn tags_of(live: &LiveVault, id: NoteId) -> Vec<String> {
    (live.front(id)).map_or_else(Vec::new, |front| owned(tag_names(&front.tags)))
}

/// The tags of the note `id` in `live` but the one at byte `at`, once each.
pub fn tags_but(live: &LiveVault, id: NoteId, at: usize) -> Vec<String> {
    (live.front(id)).map_or_else(Vec::new, |front| {
        let kept: Vec<Tag> = (front.tags.iter())
            .filter(|tag| tag.span.start as usize != at)
            .cloned()
            .collect();
        owned(tag_names(&kept))
    })
}

fn owned(names: Vec<&str>) -> Vec<String> {
    names.into_iter().map(str::to_owned).collect()
}

/// Every file's link text, in path order.
fn link_texts(live: &LiveVault) -> Vec<LinkText> {
    let mut sharing: FxHashMap<String, usize> = FxHashMap::default();
    for (path, _) in live.files() {
        *sharing.entry(fold(link_name(path))).or_default() += 1;
    }
    (live.files())
        .map(|(path, file)| {
            let name = link_name(path);
            let text = if sharing.get(&fold(name)) == Some(&1) {
                name
            } else {
                path.strip_suffix(".md").unwrap_or(path)
            };
            LinkText {
                file,
                text: text.to_owned(),
                name: Name::new(text),
                path: Name::new(path),
            }
        })
        .collect()
}

/// The name a link gives a file by: its file name, `.md` left out.
fn link_name(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::super::fuzzy::{Pattern, Rank};
    use super::*;

    fn live(paths: &[&str]) -> LiveVault {
        let notes = (paths.iter())
            .filter(|path| path.ends_with(".md"))
            .map(|path| (path.to_string(), format!("# {path}\n")));
        let attachments = (paths.iter())
            .filter(|path| !path.ends_with(".md"))
            .map(|path| path.to_string());
        LiveVault::from_sources(notes, attachments)
    }

    fn texts(names: &Names, live: &LiveVault) -> Vec<String> {
        (names.links(live).iter())
            .map(|link| link.text.clone())
            .collect()
    }

    /// Whether `typed` is the whole of `name`, case aside.
    fn is(name: &Name, typed: &str) -> bool {
        Pattern::new(typed).rank_name(name) == Some(Rank::Exact)
    }

    #[test]
    fn link_texts_need_the_path_only_where_names_are_shared() {
        let live = live(&[
            "A/Twin.md",
            "B/twin.md",
            "Topics/Git.md",
            "img/Twin",
            "x.png",
        ]);
        let names = Names::default();
        assert_eq!(
            texts(&names, &live),
            ["A/Twin", "B/twin", "Git", "img/Twin", "x.png"]
        );
        let git = &names.links(&live)[2];
        assert!(is(&git.name, "GIT") && is(&git.path, "topics/git.md"));
    }

    #[test]
    fn changes_keep_the_names_in_step_with_the_vault() {
        let mut live = live(&["A/Twin.md", "Topics/Git.md"]);
        let mut names = Names::default();
        let of = |names: &Names, live: &LiveVault, path: &str| {
            let id = live.note_id(path).expect("a note");
            let names = &names.notes(live)[&id];
            (names.aliases.len(), names.headings.len())
        };
        assert_eq!(texts(&names, &live)[0], "Twin");
        assert_eq!(of(&names, &live, "Topics/Git.md"), (0, 1));

        let changes = live.upsert_note("Topics/Git.md", "---\naliases: [VC]\n---\n# Branches\n");
        names.update(&live, &changes.expect("changed"));
        let id = live.note_id("Topics/Git.md").expect("a note");
        let git = &names.notes(&live)[&id];
        assert!(is(&git.aliases[0], "vc") && is(&git.headings[0], "branches"));
        assert_eq!(of(&names, &live, "Topics/Git.md"), (1, 1));

        let changes = live.upsert_note("B/TWIN.md", "");
        names.update(&live, &changes.expect("changed"));
        assert_eq!(texts(&names, &live)[0], "A/Twin");

        let changes = live.rename("Topics/Git.md", "Topics/Svn.md");
        names.update(&live, &changes.expect("changed"));
        let id = live.note_id("Topics/Svn.md").expect("a note");
        assert!(is(&names.notes(&live)[&id].title, "svn"));

        let changes = live.remove("A/Twin.md");
        names.update(&live, &changes.expect("changed"));
        assert_eq!(texts(&names, &live)[0], "TWIN");
        let all: Vec<NoteId> = names.notes(&live).keys().copied().collect();
        assert_eq!(all.len(), 2, "{all:?}");
    }

    #[test]
    fn tags_are_counted_by_note_and_spelled_as_most_notes_spell_them() {
        let mut live = LiveVault::from_sources(
            [("A.md", "#Dev #x #dev"), ("B.md", "#dev"), ("C.md", "#dev")],
            Vec::<String>::new(),
        );
        let mut names = Names::default();
        let counted = |names: &Names, live: &LiveVault, id: NoteId, tags: &[&str]| {
            let tags: Vec<String> = tags.iter().map(|t| (*t).to_owned()).collect();
            let mut all = Vec::new();
            (names.tags(live)).each_counting(id, &tags, |name, notes| {
                all.push((name.to_owned(), notes));
            });
            all.sort();
            all
        };
        let tags = |pairs: &[(&str, usize)]| -> Vec<(String, usize)> {
            pairs.iter().map(|(n, c)| ((*n).to_owned(), *c)).collect()
        };
        let (a, b) = (
            live.note_id("A.md").expect("A"),
            live.note_id("B.md").expect("B"),
        );
        // A note counts once per tag, case aside; `dev` is spelled so by two notes of three.
        let as_they_are = names.tags(&live).of_note[&a].clone();
        let same = as_they_are.iter().map(String::as_str).collect::<Vec<_>>();
        assert_eq!(
            counted(&names, &live, a, &same),
            tags(&[("dev", 3), ("x", 1)])
        );
        // Counted as if B had no tags, or another.
        assert_eq!(
            counted(&names, &live, b, &[]),
            tags(&[("Dev", 2), ("x", 1)])
        );
        assert_eq!(
            counted(&names, &live, b, &["y"]),
            tags(&[("Dev", 2), ("x", 1), ("y", 1)])
        );

        let changes = live.upsert_note("C.md", "#Dev");
        names.update(&live, &changes.expect("changed"));
        assert_eq!(
            counted(&names, &live, b, &["dev"]),
            tags(&[("Dev", 3), ("x", 1)])
        );
        let changes = live.remove("A.md");
        names.update(&live, &changes.expect("changed"));
        // As many notes spell it each way: the first spelling in byte order.
        assert_eq!(counted(&names, &live, b, &["dev"]), tags(&[("Dev", 2)]));
        let changes = live.rename("B.md", "Z.md");
        names.update(&live, &changes.expect("changed"));
        assert_eq!(counted(&names, &live, b, &["dev"]), tags(&[("Dev", 2)]));
        assert!(
            !names.tags(&live).of_note.contains_key(&a),
            "A's tags are gone"
        );
    }
}
