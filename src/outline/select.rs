//! Selection: which notes a course is made of. From a root, a breadth-first
//! walk over the chosen edge kinds up to a depth; or every note with a tag;
//! or the notes a search matched.

use std::collections::{HashMap, HashSet, VecDeque};

use super::relation::Relation;
use crate::graph::unresolved_key;
use crate::model::Note;
use crate::vault::live::LiveVault;
use crate::vault::{FileId, NoteId};

/// The notes a course draws on, and what the walk met that is not a note.
#[derive(Debug, Default)]
pub struct Selection {
    /// Notes in the order the walk reached them (the root first), each once.
    pub notes: Vec<NoteId>,
    /// Links to nothing, as (note, index into its links), one per target.
    pub unresolved: Vec<(NoteId, usize)>,
    /// Attachments linked from the selection, in the order reached.
    pub attachments: Vec<FileId>,
}

/// Walks from `root` over links of the `follow` kinds, `depth` links at most.
/// Hierarchy and sequence links count in both directions (a note whose `up`
/// is X is X's `down`). Notes for which `skip` holds are never entered.
pub fn from_root(
    vault: &LiveVault,
    root: NoteId,
    follow: &[Relation],
    depth: usize,
    skip: impl Fn(&Note) -> bool,
) -> Selection {
    let implied = implied_links(vault);
    let mut selection = Selection::default();
    let mut seen = HashSet::from([root]);
    let mut seen_targets = HashSet::new();
    let mut queue = VecDeque::from([(root, 0)]);
    while let Some((id, distance)) = queue.pop_front() {
        selection.notes.push(id);
        if distance == depth {
            continue;
        }
        let mut next = Vec::new();
        for (index, (link, resolution)) in vault.links_of(id).enumerate() {
            if !follow.contains(&Relation::of(link)) || link.is_self() {
                continue;
            }
            match resolution.target {
                Some(FileId::Note(target)) => next.push(target),
                Some(file) => {
                    if !selection.attachments.contains(&file) {
                        selection.attachments.push(file);
                    }
                }
                None => {
                    if seen_targets.insert(unresolved_key(&link.target)) {
                        selection.unresolved.push((id, index));
                    }
                }
            }
        }
        next.extend(
            implied
                .get(&id)
                .into_iter()
                .flatten()
                .filter(|(_, relation)| follow.contains(relation))
                .map(|(source, _)| *source),
        );
        for target in next {
            if !skip(vault.note_or_empty(target)) && seen.insert(target) {
                queue.push_back((target, distance + 1));
            }
        }
    }
    selection
}

/// Every note carrying `tag` or a tag nested under it, in path order.
pub fn by_tag(vault: &LiveVault, tag: &str, skip: impl Fn(&Note) -> bool) -> Selection {
    vault.decode_all();
    let notes = vault
        .note_ids()
        .filter(|&id| has_tag(vault.note_or_empty(id), tag) && !skip(vault.note_or_empty(id)))
        .collect();
    Selection {
        notes,
        ..Selection::default()
    }
}

/// The given notes (say, a search's matches), each once, in path order.
pub fn listed(vault: &LiveVault, notes: &[NoteId], skip: impl Fn(&Note) -> bool) -> Selection {
    let mut notes = notes.to_vec();
    notes.sort_unstable_by(|&a, &b| {
        vault
            .file_path(FileId::Note(a))
            .cmp(&vault.file_path(FileId::Note(b)))
    });
    notes.dedup();
    notes.retain(|&id| !skip(vault.note_or_empty(id)));
    Selection {
        notes,
        ..Selection::default()
    }
}

/// Whether a note has `tag` or a tag nested under it (case-insensitive).
pub fn has_tag(note: &Note, tag: &str) -> bool {
    let wanted = tag.trim_start_matches('#').to_lowercase();
    note.tags.iter().any(|t| {
        let name = t.name.to_lowercase();
        name == wanted
            || name
                .strip_prefix(&wanted)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// For each note, the notes that point at it with a hierarchy or sequence
/// link, with the relation the note has to them (its implied edge), in path
/// order. Only front-matter links are such links: only notes with some are
/// decoded.
fn implied_links(vault: &LiveVault) -> HashMap<NoteId, Vec<(NoteId, Relation)>> {
    let mut implied: HashMap<NoteId, Vec<(NoteId, Relation)>> = HashMap::new();
    let sources = vault
        .note_ids()
        .filter(|&id| vault.counts(id).unwrap_or_default().property_links > 0);
    for source in sources {
        for (link, resolution) in vault.links_of(source) {
            if let (Some(FileId::Note(target)), Some(inverse)) =
                (resolution.target, Relation::of(link).implied())
                && target != source
            {
                let edges = implied.entry(target).or_default();
                if !edges.contains(&(source, inverse)) {
                    edges.push((source, inverse));
                }
            }
        }
    }
    implied
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(vault: &LiveVault, ids: &[NoteId]) -> Vec<String> {
        ids.iter()
            .map(|&id| vault.note_or_empty(id).path.clone())
            .collect()
    }

    #[test]
    fn walks_both_ways_along_up_links_within_the_depth() {
        let vault = LiveVault::from_sources(
            [
                ("root.md", "[[a]] [[missing]] [[Missing]]"),
                ("a.md", "[[b]]"),
                ("b.md", "[[c]]"),
                ("c.md", ""),
                ("child.md", "---\nup: \"[[root]]\"\n---\n"),
            ],
            Vec::<String>::new(),
        );
        let root = vault.note_id("root.md").expect("root");
        let selection = from_root(&vault, root, &Relation::default_follow(), 2, |_| false);
        assert_eq!(
            paths(&vault, &selection.notes),
            ["root.md", "a.md", "child.md", "b.md"]
        );
        assert_eq!(selection.unresolved.len(), 1);
        let only_body = from_root(&vault, root, &[Relation::Body], 5, |_| false);
        assert_eq!(
            paths(&vault, &only_body.notes),
            ["root.md", "a.md", "b.md", "c.md"]
        );
    }

    #[test]
    fn nested_tags_belong_to_their_parent() {
        let vault = LiveVault::from_sources(
            [
                ("a.md", "#cooking/bread"),
                ("b.md", "#cookingx"),
                ("c.md", "#Cooking"),
            ],
            Vec::<String>::new(),
        );
        let selection = by_tag(&vault, "#cooking", |_| false);
        assert_eq!(paths(&vault, &selection.notes), ["a.md", "c.md"]);
    }

    #[test]
    fn listed_notes_come_once_in_path_order_without_skipped_ones() {
        let vault = LiveVault::from_sources(
            [("a.md", ""), ("b.md", ""), ("c.md", "")],
            Vec::<String>::new(),
        );
        let id = |path| vault.note_id(path).expect("note");
        let selection = listed(
            &vault,
            &[id("c.md"), id("a.md"), id("c.md"), id("b.md")],
            |n| n.path == "b.md",
        );
        assert_eq!(paths(&vault, &selection.notes), ["a.md", "c.md"]);
    }
}
