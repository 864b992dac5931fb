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

use super::fuzzy::Name;

/// The folded names of a vault, each part built when first asked for.
#[derive(Default)]
pub struct Names {
    notes: OnceLock<FxHashMap<NoteId, NoteNames>>,
    links: OnceLock<Vec<LinkText>>,
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
}
