//! Structure: the modules of a course and which lessons each one holds.
//!
//! A structured note's headings are the modules, in document order; lessons
//! join the heading they are linked under (in its body) or point `up` to
//! (`up: "[[Note#Heading]]"`), or follow their `up` parent. Lessons with no
//! place are grouped by what they share: an `up` parent, a tag, a folder, or
//! links among themselves.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use petgraph::unionfind::UnionFind;
use serde::Serialize;

use super::lesson::is_title;
use super::relation::Relation;
use crate::model::{LinkOrigin, Note};
use crate::vault::live::LiveVault;
use crate::vault::resolve::{AnchorMatch, fold};
use crate::vault::{FileId, NoteId};

/// Where a module comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModuleKind {
    /// A heading of the structured note.
    Heading,
    /// Lessons with a common `up` parent.
    Up,
    /// Lessons sharing a tag.
    Tag,
    /// Lessons in one folder.
    Folder,
    /// Lessons linked among themselves.
    Community,
    /// Everything left over.
    Other,
}

/// A module before ordering: its lessons as indices into the lesson list.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// Heading text or group name.
    pub title: String,
    /// Where it comes from.
    pub kind: ModuleKind,
    /// For a heading module: the heading's index in the structured note.
    pub heading: Option<usize>,
    /// Lessons, unordered.
    pub lessons: Vec<usize>,
    /// Sub-modules, in document order.
    pub modules: Vec<Draft>,
}

/// The note whose headings are the modules: ROOT, or a note ROOT names in
/// `related`. Notes pointing `up` to a heading are the strongest sign of
/// structure, links under a heading in the note's own body the next (and
/// only ROOT's own body counts). The candidate with the most wins, ROOT
/// first on a tie; `None` when no heading of them holds a lesson.
pub fn structured_note(vault: &LiveVault, root: NoteId, lessons: &[NoteId]) -> Option<NoteId> {
    let mut candidates = vec![root];
    for (link, resolution) in vault.links_of(root) {
        if let (Relation::Related, Some(FileId::Note(id))) = (Relation::of(link), resolution.target)
            && !candidates.contains(&id)
        {
            candidates.push(id);
        }
    }
    let mut best = None;
    let mut best_score = (0, 0);
    for candidate in candidates {
        let placed = placed_under_headings(vault, candidate, lessons);
        let mut score = (0, 0);
        for (id, placement) in placed {
            if id == root || id == candidate {
                continue;
            }
            match placement.how {
                Placement::Up => score.0 += 1,
                Placement::Body if candidate == root => score.1 += 1,
                Placement::Body => {}
            }
        }
        if score > best_score {
            best = Some(candidate);
            best_score = score;
        }
    }
    best
}

/// How a lesson was placed under a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// Linked in the note's body under the heading.
    Body,
    /// Its `up` names the heading.
    Up,
}

/// A heading that places a lesson, and how.
#[derive(Debug, Clone, Copy)]
struct Placed {
    heading: usize,
    how: Placement,
}

/// The lessons the structured note `note` places under one of its headings,
/// with that heading's index: links in its body under the heading first,
/// then lessons whose `up` names the heading.
fn placed_under_headings(
    vault: &LiveVault,
    note: NoteId,
    lessons: &[NoteId],
) -> HashMap<NoteId, Placed> {
    let structured = vault.note_or_empty(note);
    let mut placed = HashMap::new();
    for (link, resolution) in vault.links_of(note) {
        if link.origin != LinkOrigin::Body || link.is_embed() {
            continue;
        }
        if let (Some(FileId::Note(target)), Some(heading)) =
            (resolution.target, section_of(structured, link.span.start))
        {
            placed.entry(target).or_insert(Placed {
                heading,
                how: Placement::Body,
            });
        }
    }
    for &lesson in lessons {
        if placed.contains_key(&lesson) {
            continue;
        }
        for (link, resolution) in vault.links_of(lesson) {
            if let (
                Relation::Up,
                Some(FileId::Note(target)),
                Some(AnchorMatch::Found { index, .. }),
                None,
            ) = (
                Relation::of(link),
                resolution.target,
                &resolution.anchor,
                &link.block,
            ) && target == note
                && (structured.headings.get(*index))
                    .is_some_and(|heading| !is_title(structured, *index, heading))
            {
                placed.insert(
                    lesson,
                    Placed {
                        heading: *index,
                        how: Placement::Up,
                    },
                );
                break;
            }
        }
    }
    placed
}

/// The index of the module heading a byte offset falls under, if any.
fn section_of(note: &Note, offset: u32) -> Option<usize> {
    let index = note.headings.iter().rposition(|h| h.span.start <= offset)?;
    (!is_title(note, index, &note.headings[index])).then_some(index)
}

/// Modules from the headings of `structured`, and the lessons that found no
/// heading. A lesson goes under the heading that places it, or else where
/// its `up` parent went.
pub fn from_headings(
    vault: &LiveVault,
    structured: NoteId,
    lessons: &[NoteId],
) -> (Vec<Draft>, Vec<usize>) {
    let placed = placed_under_headings(vault, structured, lessons);
    let index_of: HashMap<NoteId, usize> =
        lessons.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let mut heading_of: Vec<Option<usize>> = lessons
        .iter()
        .map(|id| placed.get(id).map(|p| p.heading))
        .collect();
    // Lessons follow their `up` parent, however long the chain.
    for start in 0..lessons.len() {
        let mut chain = vec![start];
        let mut at = start;
        let mut found = heading_of[start];
        while found.is_none() {
            let Some(parent) = up_parent(vault, lessons[at]).and_then(|p| index_of.get(&p)) else {
                break;
            };
            if chain.contains(parent) {
                break;
            }
            chain.push(*parent);
            at = *parent;
            found = heading_of[at];
        }
        if let Some(heading) = found {
            for i in chain {
                heading_of[i].get_or_insert(heading);
            }
        }
    }
    let note = vault.note_or_empty(structured);
    let mut by_heading: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for (i, heading) in heading_of.iter().enumerate() {
        match heading {
            Some(h) => by_heading.entry(*h).or_default().push(i),
            None => unplaced.push(i),
        }
    }
    let headings: Vec<usize> = (0..note.headings.len())
        .filter(|&i| !is_title(note, i, &note.headings[i]))
        .collect();
    let mut drafts = nest(note, &headings);
    fill(&mut drafts, &mut by_heading);
    (drafts, unplaced)
}

/// Turns a run of headings into a tree by level.
fn nest(note: &Note, headings: &[usize]) -> Vec<Draft> {
    let mut drafts = Vec::new();
    let mut rest = headings;
    while let Some((&first, tail)) = rest.split_first() {
        let level = note.headings[first].level;
        let end = tail
            .iter()
            .position(|&h| note.headings[h].level <= level)
            .unwrap_or(tail.len());
        drafts.push(Draft {
            title: note.headings[first].text.trim().to_owned(),
            kind: ModuleKind::Heading,
            heading: Some(first),
            lessons: Vec::new(),
            modules: nest(note, &tail[..end]),
        });
        rest = &tail[end..];
    }
    drafts
}

fn fill(drafts: &mut [Draft], by_heading: &mut BTreeMap<usize, Vec<usize>>) {
    for draft in drafts {
        if let Some(lessons) = draft.heading.and_then(|h| by_heading.remove(&h)) {
            draft.lessons = lessons;
        }
        fill(&mut draft.modules, by_heading);
    }
}

/// A note's first `up` link that leads to a note.
fn up_parent(vault: &LiveVault, id: NoteId) -> Option<NoteId> {
    up_link(vault, id).map(|(parent, _)| parent)
}

/// A note's first `up` link that leads to a note, with the heading it names.
fn up_link(vault: &LiveVault, id: NoteId) -> Option<(NoteId, Option<usize>)> {
    vault
        .links_of(id)
        .find_map(|(link, resolution)| match resolution.target {
            Some(FileId::Note(target)) if Relation::of(link) == Relation::Up && target != id => {
                let heading = match (&resolution.anchor, &link.block) {
                    (Some(AnchorMatch::Found { index, .. }), None) => Some(*index),
                    _ => None,
                };
                Some((target, heading))
            }
            _ => None,
        })
}

/// Groups `members` (indices into `lessons`) by their strongest shared
/// structure: a common `up` parent (not one of `not_parents`), then a tag,
/// then a folder, then links among them; the rest go to "Other notes".
/// Within a kind, bigger groups are formed first (ties by name).
pub fn from_graph(
    vault: &LiveVault,
    lessons: &[NoteId],
    members: &[usize],
    not_parents: &[NoteId],
) -> Vec<Draft> {
    let index_of: HashMap<NoteId, usize> =
        lessons.iter().enumerate().map(|(i, &id)| (id, i)).collect();
    let mut free = Free::new(lessons.len(), members);
    let mut drafts = Vec::new();

    // Keyed by parent and heading: `up: "[[Map#Part]]"` groups under "Part".
    let mut by_parent: BTreeMap<(String, String, Option<usize>), Candidate> = BTreeMap::new();
    for &m in members {
        let Some((parent, heading)) =
            up_link(vault, lessons[m]).filter(|(p, _)| !not_parents.contains(p))
        else {
            continue;
        };
        let note = vault.note_or_empty(parent);
        // An index kept by the index is known only to be in range of the
        // note's headings or blocks.
        let heading = heading.filter(|&h| h < note.headings.len());
        let entry = by_parent
            .entry((fold(&note.title), note.path.clone(), heading))
            .or_insert_with(|| match heading {
                Some(h) => (note.headings[h].text.trim().to_owned(), Vec::new()),
                None => {
                    let own = index_of.get(&parent).filter(|&&i| free.contains(i));
                    (note.title.clone(), own.copied().into_iter().collect())
                }
            });
        entry.1.push(m);
    }
    drafts.extend(greedy(ModuleKind::Up, by_parent.into_values(), &mut free));

    let mut by_tag: BTreeMap<String, Candidate> = BTreeMap::new();
    for &m in members {
        for tag in vault.note_or_empty(lessons[m]).tag_names() {
            by_tag
                .entry(tag.to_lowercase())
                .or_insert_with(|| (tag.to_owned(), Vec::new()))
                .1
                .push(m);
        }
    }
    drafts.extend(greedy(ModuleKind::Tag, by_tag.into_values(), &mut free));

    let mut by_folder: BTreeMap<String, Candidate> = BTreeMap::new();
    for &m in members {
        let path = &vault.note_or_empty(lessons[m]).path;
        let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let name = if folder.is_empty() {
            "Vault root"
        } else {
            folder
        };
        by_folder
            .entry(folder.to_owned())
            .or_insert_with(|| (name.to_owned(), Vec::new()))
            .1
            .push(m);
    }
    drafts.extend(greedy(
        ModuleKind::Folder,
        by_folder.into_values(),
        &mut free,
    ));

    drafts.extend(communities(vault, lessons, members, &index_of, &mut free));

    let rest: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&m| free.contains(m))
        .collect();
    if !rest.is_empty() {
        drafts.push(draft("Other notes", ModuleKind::Other, rest));
    }
    drafts
}

fn draft(title: &str, kind: ModuleKind, lessons: Vec<usize>) -> Draft {
    Draft {
        title: title.to_owned(),
        kind,
        heading: None,
        lessons,
        modules: Vec::new(),
    }
}

/// A possible group: its name and members.
type Candidate = (String, Vec<usize>);

/// Lessons not in a group yet, by index in `lessons`.
struct Free(Vec<bool>);

impl Free {
    fn new(lessons: usize, members: &[usize]) -> Self {
        let mut free = vec![false; lessons];
        for &m in members {
            free[m] = true;
        }
        Self(free)
    }

    fn contains(&self, m: usize) -> bool {
        self.0[m]
    }

    /// Takes `m` out; whether it was free.
    fn remove(&mut self, m: usize) -> bool {
        std::mem::replace(&mut self.0[m], false)
    }

    fn count(&self, members: &[usize]) -> usize {
        members.iter().filter(|&&m| self.contains(m)).count()
    }
}

/// Forms groups from `candidates` (name, members; in name order), biggest
/// first by members still free, until none has two.
fn greedy(
    kind: ModuleKind,
    candidates: impl IntoIterator<Item = Candidate>,
    free: &mut Free,
) -> Vec<Draft> {
    let mut candidates: Vec<Option<Candidate>> = candidates.into_iter().map(Some).collect();
    // Biggest first; on a tie the earlier name (candidates are in name
    // order). Counts only fall as groups form, so a count in the heap is at
    // most stale-high: the top is the best once its count is current.
    let mut best: BinaryHeap<(usize, Reverse<usize>)> = (candidates.iter().enumerate())
        .filter_map(|(i, c)| Some((free.count(&c.as_ref()?.1), Reverse(i))))
        .filter(|&(count, _)| count >= 2)
        .collect();
    let mut drafts = Vec::new();
    while let Some((counted, Reverse(i))) = best.pop() {
        let Some((name, members)) = candidates[i].take() else {
            continue;
        };
        let count = free.count(&members);
        if count < counted {
            if count >= 2 {
                best.push((count, Reverse(i)));
            }
            candidates[i] = Some((name, members));
            continue;
        }
        let taken: Vec<usize> = members.into_iter().filter(|&m| free.remove(m)).collect();
        drafts.push(draft(&name, kind, taken));
    }
    drafts
}

/// Groups of free members linked among themselves (either direction), each
/// named after its most linked member.
fn communities(
    vault: &LiveVault,
    lessons: &[NoteId],
    members: &[usize],
    index_of: &HashMap<NoteId, usize>,
    free: &mut Free,
) -> Vec<Draft> {
    let mut sets = UnionFind::new(lessons.len());
    let mut degree = vec![0usize; lessons.len()];
    for &m in members.iter().filter(|&&m| free.contains(m)) {
        for (_, resolution) in vault.links_of(lessons[m]) {
            if let Some(FileId::Note(target)) = resolution.target
                && let Some(&t) = index_of.get(&target)
                && t != m
                && free.contains(t)
            {
                sets.union(m, t);
                degree[m] += 1;
                degree[t] += 1;
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &m in members.iter().filter(|&&m| free.contains(m)) {
        groups.entry(sets.find(m)).or_default().push(m);
    }
    let mut drafts: Vec<Draft> = groups
        .into_values()
        .filter(|group| group.len() >= 2)
        .filter_map(|group| {
            let hub = *group.iter().min_by(|&&a, &&b| {
                degree[b].cmp(&degree[a]).then_with(|| {
                    let (a, b) = (
                        vault.note_or_empty(lessons[a]),
                        vault.note_or_empty(lessons[b]),
                    );
                    fold(&a.title)
                        .cmp(&fold(&b.title))
                        .then(a.path.cmp(&b.path))
                })
            })?;
            for &m in &group {
                free.remove(m);
            }
            Some(draft(
                &format!("Around {}", vault.note_or_empty(lessons[hub]).title),
                ModuleKind::Community,
                group,
            ))
        })
        .collect();
    drafts.sort_by(|a, b| {
        fold(&a.title)
            .cmp(&fold(&b.title))
            .then(a.title.cmp(&b.title))
    });
    drafts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(vault: &LiveVault, paths: &[&str]) -> Vec<NoteId> {
        paths
            .iter()
            .map(|p| vault.note_id(p).expect("note"))
            .collect()
    }

    #[test]
    fn notes_pointing_up_at_headings_outweigh_links_under_headings() {
        let vault = LiveVault::from_sources(
            [
                (
                    "root.md",
                    "---\nrelated: \"[[map]]\"\n---\n# Plan\n[[a]] [[b]] [[c]]\n",
                ),
                ("map.md", "# Map\n## Part\n## Other\n[[c]]\n"),
                ("a.md", "---\nup: \"[[map#Part]]\"\n---\n"),
                ("b.md", ""),
                ("c.md", ""),
            ],
            Vec::<String>::new(),
        );
        let lessons = ids(&vault, &["a.md", "b.md", "c.md"]);
        let [root, map] = ids(&vault, &["root.md", "map.md"])[..] else {
            unreachable!()
        };
        assert_eq!(structured_note(&vault, root, &lessons), Some(map));
        // Links under a related note's headings do not make it the structure.
        let vault = LiveVault::from_sources(
            [
                ("root.md", "---\nrelated: \"[[map]]\"\n---\n# Plan\n[[a]]\n"),
                ("map.md", "# Map\n## Part\n[[a]] [[b]]\n"),
                ("a.md", ""),
                ("b.md", ""),
            ],
            Vec::<String>::new(),
        );
        let lessons = ids(&vault, &["a.md", "b.md"]);
        let root = ids(&vault, &["root.md"])[0];
        assert_eq!(structured_note(&vault, root, &lessons), Some(root));
    }

    #[test]
    fn leftover_lessons_group_by_parent_heading_before_tags() {
        let vault = LiveVault::from_sources(
            [
                ("map.md", "# Map\n## Part\n"),
                ("a.md", "---\nup: \"[[map#Part]]\"\ntags: [x]\n---\n"),
                ("b.md", "---\nup: \"[[map#Part]]\"\n---\n"),
                ("c.md", "#x"),
                ("d.md", "#x"),
            ],
            Vec::<String>::new(),
        );
        let lessons = ids(&vault, &["a.md", "b.md", "c.md", "d.md"]);
        let drafts = from_graph(&vault, &lessons, &[0, 1, 2, 3], &[]);
        let groups: Vec<(&str, ModuleKind, &[usize])> = drafts
            .iter()
            .map(|d| (d.title.as_str(), d.kind, d.lessons.as_slice()))
            .collect();
        assert_eq!(
            groups,
            [
                ("Part", ModuleKind::Up, &[0, 1][..]),
                ("x", ModuleKind::Tag, &[2, 3][..]),
            ]
        );
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// What `greedy` must choose, found the plain way: every round,
        /// count every candidate's free members again.
        fn greedy_by_recounting(candidates: &[Candidate], free: &mut Free) -> Vec<Vec<usize>> {
            let mut left: Vec<&Candidate> = candidates.iter().collect();
            let mut groups = Vec::new();
            loop {
                let best = (left.iter().enumerate())
                    .map(|(i, (_, members))| (free.count(members), i))
                    .filter(|&(count, _)| count >= 2)
                    .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
                let Some((_, i)) = best else {
                    return groups;
                };
                let (_, members) = left.remove(i);
                groups.push(
                    members
                        .iter()
                        .copied()
                        .filter(|&m| free.remove(m))
                        .collect(),
                );
            }
        }

        proptest! {
            #[test]
            fn greedy_grouping_takes_the_biggest_group_left_each_time(
                candidates in prop::collection::vec(
                    prop::collection::btree_set(0..12usize, 0..7),
                    0..10,
                ),
            ) {
                let candidates: Vec<Candidate> = (candidates.into_iter().enumerate())
                    .map(|(i, members)| (format!("c{i:02}"), members.into_iter().collect()))
                    .collect();
                let all: Vec<usize> = (0..12).collect();
                let expected = greedy_by_recounting(&candidates, &mut Free::new(12, &all));
                let got: Vec<Vec<usize>> =
                    greedy(ModuleKind::Tag, candidates, &mut Free::new(12, &all))
                        .into_iter()
                        .map(|d| d.lessons)
                        .collect();
                prop_assert_eq!(got, expected);
            }
        }
    }
}
