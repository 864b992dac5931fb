//! The vault's names folded once (see [`fold`]) for the fuzzy matching of
//! completion and workspace symbols, which rank every name of the vault on
//! each request: each note's title, aliases and headings, and each file's
//! link text. They are kept in step with the vault's changes: a note's
//! names are folded again when it changes, and the link texts (which
//! depend on which other files share a name) are worked out again, when
//! next asked for, after files come, go or move.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;
use vaultkit::model::Note;
use vaultkit::vault::change::Changes;
use vaultkit::vault::live::LiveVault;
use vaultkit::vault::resolve::fold;
use vaultkit::vault::{FileId, NoteId};

/// The folded names of a vault, each part built when first asked for.
#[derive(Default)]
pub struct Names {
    notes: OnceLock<FxHashMap<NoteId, NoteNames>>,
    links: OnceLock<Vec<LinkText>>,
}

/// A note's names, folded.
pub struct NoteNames {
    pub title: String,
    /// In the order of the note's aliases.
    pub aliases: Vec<String>,
    /// In the order of the note's headings.
    pub headings: Vec<String>,
}

/// What a link to a file is written as, and its folded forms.
pub struct LinkText {
    pub file: FileId,
    /// The file name, or the path when another file has that name, with
    /// `.md` left out for notes and the extension kept for attachments.
    pub text: String,
    /// `text`, folded.
    pub folded: String,
    /// The file's vault path, folded.
    pub folded_path: String,
}

impl NoteNames {
    fn of(note: &Note) -> Self {
        Self {
            title: fold(&note.title),
            aliases: note.aliases.iter().map(|alias| fold(alias)).collect(),
            headings: (note.headings.iter())
                .map(|heading| fold(&heading.text))
                .collect(),
        }
    }
}

impl Names {
    /// Every note's folded names, of the vault `live` these names follow.
    pub fn notes(&self, live: &LiveVault) -> &FxHashMap<NoteId, NoteNames> {
        self.notes.get_or_init(|| {
            (live.note_ids())
                .filter_map(|id| Some((id, NoteNames::of(live.note(id)?))))
                .collect()
        })
    }

    /// Every file's link text, in path order, of the vault `live` these
    /// names follow.
    pub fn links(&self, live: &LiveVault) -> &[LinkText] {
        self.links.get_or_init(|| link_texts(live))
    }

    /// Takes in a change of the vault these names follow, now `live`.
    pub fn update(&mut self, live: &LiveVault, changes: &Changes) {
        if !(changes.added.is_empty() && changes.removed.is_empty() && changes.moved.is_empty()) {
            self.links.take();
        }
        let Some(notes) = self.notes.get_mut() else {
            return;
        };
        for file in &changes.removed {
            if let FileId::Note(id) = file {
                notes.remove(id);
            }
        }
        let given = (changes.added.iter().chain(&changes.moved))
            .filter_map(|file| match file {
                FileId::Note(id) => Some(id),
                FileId::Attachment(_) => None,
            })
            .chain(&changes.edited);
        for &id in given {
            match live.note(id) {
                Some(note) => notes.insert(id, NoteNames::of(note)),
                None => notes.remove(&id),
            };
        }
    }
}

/// Every file's link text, in path order.
fn link_texts(live: &LiveVault) -> Vec<LinkText> {
    let mut sharing: FxHashMap<String, usize> = FxHashMap::default();
    let files: Vec<(&str, FileId, String)> = (live.files())
        .map(|(path, file)| (path, file, fold(link_name(path))))
        .collect();
    for (_, _, folded) in &files {
        *sharing.entry(folded.clone()).or_default() += 1;
    }
    (files.into_iter())
        .map(|(path, file, folded)| {
            let (text, folded) = if sharing.get(&folded) == Some(&1) {
                (link_name(path).to_owned(), folded)
            } else {
                let text = path.strip_suffix(".md").unwrap_or(path);
                (text.to_owned(), fold(text))
            };
            LinkText {
                file,
                text,
                folded,
                folded_path: fold(path),
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

    fn texts(names: &Names, live: &LiveVault) -> Vec<(String, String)> {
        (names.links(live).iter())
            .map(|link| (link.text.clone(), link.folded.clone()))
            .collect()
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
        let pairs = |list: &[(&str, &str)]| {
            (list.iter())
                .map(|(text, folded)| (text.to_string(), folded.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            texts(&Names::default(), &live),
            pairs(&[
                ("A/Twin", "a/twin"),
                ("B/twin", "b/twin"),
                ("Git", "git"),
                ("img/Twin", "img/twin"),
                ("x.png", "x.png"),
            ])
        );
    }

    #[test]
    fn changes_keep_the_names_in_step_with_the_vault() {
        let mut live = live(&["A/Twin.md", "Topics/Git.md"]);
        let mut names = Names::default();
        let headings = |names: &Names, live: &LiveVault, path: &str| {
            let id = live.note_id(path).expect("a note");
            names.notes(live)[&id].headings.clone()
        };
        assert_eq!(texts(&names, &live)[0].0, "Twin");
        assert_eq!(headings(&names, &live, "Topics/Git.md"), ["topics/git.md"]);

        let changes = live.upsert_note("Topics/Git.md", "---\naliases: [VC]\n---\n# Branches\n");
        names.update(&live, &changes.expect("changed"));
        assert_eq!(headings(&names, &live, "Topics/Git.md"), ["branches"]);
        let id = live.note_id("Topics/Git.md").expect("a note");
        assert_eq!(names.notes(&live)[&id].aliases, ["vc"]);

        let changes = live.upsert_note("B/TWIN.md", "");
        names.update(&live, &changes.expect("changed"));
        assert_eq!(texts(&names, &live)[0].0, "A/Twin");

        let changes = live.rename("Topics/Git.md", "Topics/Svn.md");
        names.update(&live, &changes.expect("changed"));
        let id = live.note_id("Topics/Svn.md").expect("a note");
        assert_eq!(names.notes(&live)[&id].title, "svn");

        let changes = live.remove("A/Twin.md");
        names.update(&live, &changes.expect("changed"));
        assert_eq!(texts(&names, &live)[0].0, "TWIN");
        let all: Vec<NoteId> = names.notes(&live).keys().copied().collect();
        assert_eq!(all.len(), 2, "{all:?}");
    }
}
