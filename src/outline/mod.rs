//! Course outlines: a note and what it links to, turned into ordered modules
//! of lessons, with the gaps still to write.
//!
//! Pure: [`build`] reads nothing but the vault it is given and the note
//! texts its caller hands over (for descriptions). The stages are separate
//! modules: [`select`] (which notes), [`structure`] (which modules),
//! [`order`] (in what order, and which prerequisite cycles), [`lesson`]
//! (what each lesson says) and [`managed`] (keeping an outline inside a note).

pub mod lesson;
pub mod managed;
pub mod order;
pub mod relation;
pub mod select;
pub mod structure;

use std::collections::{HashMap, HashSet, VecDeque};

use rayon::prelude::*;
use serde::Serialize;

use crate::model::Note;
use crate::vault::live::LiveVault;
use crate::vault::resolve::fold;
use crate::vault::{FileId, NoteId};
use lesson::{Lesson, LinkNames, NoteRef};
use order::{Constraints, TieKey};
use relation::Relation;
use structure::{Draft, ModuleKind};

/// The `type` of a generated outline note; such notes are never part of a course.
pub const OUTLINE_TYPE: &str = "course-outline";

/// What a course is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A root note and what it links to.
    Root(NoteId),
    /// Every note with this tag (or one nested under it).
    Tag(String),
    /// The notes a search query matched (found by the caller, e.g. with
    /// `search::search`), and the query's text.
    Query {
        /// The query as the user wrote it.
        text: String,
        /// The matching notes.
        notes: Vec<NoteId>,
    },
}

/// How to build an outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Edge kinds the selection follows from the root.
    pub follow: Vec<Relation>,
    /// How many links away from the root to go.
    pub depth: usize,
    /// Reading speed, in words a minute.
    pub wpm: u32,
    /// Notes the learner knows (with their prerequisites): left out.
    pub known: Vec<NoteId>,
    /// Tags whose notes the learner knows.
    pub known_tags: Vec<String>,
    /// Notes never part of the course (the outline's own note).
    pub exclude: Vec<NoteId>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            follow: Relation::default_follow(),
            depth: 2,
            wpm: 200,
            known: Vec::new(),
            known_tags: Vec::new(),
            exclude: Vec::new(),
        }
    }
}

/// A course outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outline {
    /// The course title.
    pub title: String,
    /// Vault path of the root note; `null` for a tag or a query.
    pub root: Option<String>,
    /// The root's description.
    pub description: Option<String>,
    /// Lessons in the course.
    pub lessons: usize,
    /// Reading minutes of all lessons.
    pub minutes: u32,
    /// Words of all lessons.
    pub words: usize,
    /// Modules in teaching order.
    pub modules: Vec<Module>,
    /// What is still to write.
    pub gaps: Vec<Gap>,
    /// Prerequisite cycles, and how each was broken.
    pub cycles: Vec<Cycle>,
    /// Lessons left out because the learner knows them.
    pub known: Vec<NoteRef>,
    /// Attachments the selection links to.
    pub attachments: Vec<String>,
    /// What the outline was made from: a wikilink (`[[Root]]`), `#tag` or
    /// `search: QUERY`.
    #[serde(skip)]
    pub generated_from: String,
}

/// A module: lessons and sub-modules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Module {
    /// Heading text or group name.
    pub title: String,
    /// Where the module comes from.
    pub kind: ModuleKind,
    /// Reading minutes, sub-modules included.
    pub minutes: u32,
    /// Lessons in teaching order.
    pub lessons: Vec<Lesson>,
    /// Sub-modules, in document order.
    pub modules: Vec<Module>,
    /// An empty heading: the module is still to write.
    pub to_write: bool,
}

/// Something the course still needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// What kind of gap.
    pub kind: GapKind,
    /// Heading text, note title, or the missing link's target.
    pub title: String,
    /// The note it is in (the heading's note, the empty note, the linking note).
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// A wikilink target for where to act, when there is one: the heading
    /// (`Note#Heading`), the empty note, or the note with the missing link.
    #[serde(skip)]
    pub link: Option<String>,
}

/// Kinds of [`Gap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GapKind {
    /// A module heading with no text and no lessons.
    EmptyHeading,
    /// A lesson note with no prose.
    EmptyNote,
    /// A link to a note that does not exist.
    Unresolved,
}

/// A prerequisite cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cycle {
    /// The notes in the order the constraints want, the first repeated last.
    pub path: Vec<NoteRef>,
    /// The constraint that was ignored: `before` was to come before `after`,
    /// and `after` is taught first.
    pub ignored: Ignored,
}

/// An ignored "teach `before` before `after`" constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ignored {
    /// Vault path of the note that was to come first.
    pub before: String,
    /// Vault path of the note taught first instead.
    pub after: String,
}

/// Builds the outline. `lead` returns a note's first paragraph when it can
/// (see [`lesson::first_paragraph`]), for descriptions; `None` is fine.
pub fn build(
    vault: &LiveVault,
    source: &Source,
    options: &Options,
    lead: &(dyn Fn(&Note) -> Option<String> + Sync),
) -> Outline {
    let names = LinkNames::new(vault);
    let excluded: HashSet<&str> = options
        .exclude
        .iter()
        .map(|&id| vault.note_or_empty(id).path.as_str())
        .collect();
    let is_outline = |note: &Note| {
        excluded.contains(note.path.as_str())
            || lesson::text_property(note, "type").as_deref() == Some(OUTLINE_TYPE)
    };
    let (selection, root) = match source {
        Source::Root(id) => (
            select::from_root(vault, *id, &options.follow, options.depth, is_outline),
            Some(*id),
        ),
        Source::Tag(tag) => (select::by_tag(vault, tag, is_outline), None),
        Source::Query { notes, .. } => (select::listed(vault, notes, is_outline), None),
    };
    let structured = root.and_then(|r| structure::structured_note(vault, r, &selection.notes));
    let lessons: Vec<NoteId> = selection
        .notes
        .iter()
        .copied()
        .filter(|&id| Some(id) != root && Some(id) != structured)
        .collect();
    let index_of: HashMap<NoteId, usize> =
        lessons.iter().enumerate().map(|(i, &id)| (id, i)).collect();

    let mut constraints =
        Constraints::new(lessons.len(), teaching_edges(vault, &lessons, &index_of));
    let dependents = constraints.dependents();
    let keys: Vec<TieKey> = lessons
        .iter()
        .zip(&dependents)
        .map(|(&id, &dependents)| {
            let note = vault.note_or_empty(id);
            TieKey {
                order: lesson::order(note),
                dependents,
                title: fold(&note.title),
                path: note.path.clone(),
            }
        })
        .collect();
    let rank = order::ranks(&keys);
    let cycles = constraints
        .break_cycles(&rank)
        .into_iter()
        .map(|cycle| {
            let path: Vec<NoteRef> = cycle
                .iter()
                .map(|&i| names.note_ref(vault, lessons[i]))
                .collect();
            let ignored = Ignored {
                before: path[path.len() - 2].path.clone(),
                after: path[0].path.clone(),
            };
            Cycle { path, ignored }
        })
        .collect();
    let dag: Vec<(usize, usize)> = constraints.edges().collect();

    let (mut drafts, unplaced) = match structured {
        Some(s) => structure::from_headings(vault, s, &lessons),
        None => (Vec::new(), (0..lessons.len()).collect()),
    };
    let not_parents: Vec<NoteId> = root.into_iter().chain(structured).collect();
    let groups = structure::from_graph(vault, &lessons, &unplaced, &not_parents);
    drafts.extend(order_groups(groups, &keys, &dag));

    let known = known_notes(vault, options);
    // Descriptions may read files: in parallel, before the modules are built.
    let descriptions: Vec<Option<String>> = lessons
        .par_iter()
        .map(|&id| {
            let note = vault.note_or_empty(id);
            (!known.contains(&id)).then(|| lesson::description(note, || lead(note)))?
        })
        .collect();
    let mut later = vec![Vec::new(); lessons.len()];
    for &(before, after) in &dag {
        later[before].push(after);
    }
    let builder = Builder {
        vault,
        names: &names,
        lessons: &lessons,
        rank: &rank,
        later: &later,
        known: &known,
        wpm: options.wpm,
        descriptions: &descriptions,
        structured: structured.map(|s| vault.note_or_empty(s)),
    };
    let mut left_out = Vec::new();
    let modules: Vec<Module> = drafts
        .iter()
        .filter_map(|d| builder.module(d, &mut left_out))
        .collect();

    let mut gaps = Vec::new();
    if let Some(note) = builder.structured {
        empty_headings(note, &names, &drafts, &mut gaps);
    }
    for module in &modules {
        empty_notes(module, &mut gaps);
    }
    for &(source, index) in &selection.unresolved {
        let note = vault.note_or_empty(source);
        let link = &note.links[index];
        gaps.push(Gap {
            kind: GapKind::Unresolved,
            title: link.target.to_string(),
            path: note.path.clone(),
            line: link.span.line,
            link: Some(names.link(note)),
        });
    }

    let (title, generated_from, description) = match source {
        Source::Root(r) => {
            let r = *r;
            let shown = structured.unwrap_or(r);
            let note = vault.note_or_empty(shown);
            let title = note
                .headings
                .first()
                .filter(|h| lesson::is_title(note, 0, h))
                .map_or_else(|| note.title.clone(), |h| h.text.trim().to_owned());
            let root_note = vault.note_or_empty(r);
            (
                title,
                format!("[[{}]]", names.link(root_note)),
                lesson::description(root_note, || lead(root_note)),
            )
        }
        Source::Tag(tag) => {
            let tag = tag.trim_start_matches('#');
            (format!("Notes tagged {tag}"), format!("#{tag}"), None)
        }
        Source::Query { text, .. } => (
            format!("Notes matching {text}"),
            format!("search: {text}"),
            None,
        ),
    };
    Outline {
        title,
        root: root.map(|r| vault.note_or_empty(r).path.clone()),
        description,
        lessons: modules.iter().map(count_lessons).sum(),
        minutes: modules.iter().map(|m| m.minutes).sum(),
        words: modules.iter().map(count_words).sum(),
        modules,
        gaps,
        cycles,
        known: left_out,
        attachments: selection
            .attachments
            .iter()
            .map(|&file| vault.file_path(file).unwrap_or_default().to_owned())
            .collect(),
        generated_from,
    }
}

/// "Teach this first" constraints between lessons, as (before, after).
fn teaching_edges(
    vault: &LiveVault,
    lessons: &[NoteId],
    index_of: &HashMap<NoteId, usize>,
) -> Vec<(usize, usize)> {
    let mut edges = Vec::new();
    for (i, &id) in lessons.iter().enumerate() {
        for (link, resolution) in vault.links_of(id) {
            let (Some(FileId::Note(target)), Some(target_first)) =
                (resolution.target, Relation::of(link).target_first())
            else {
                continue;
            };
            if let Some(&t) = index_of.get(&target) {
                edges.push(if target_first { (t, i) } else { (i, t) });
            }
        }
    }
    edges
}

/// Orders grouped modules: by the constraints between their lessons, ties
/// by the smallest `order`, the most foundational lesson, then name; the
/// leftover group last.
fn order_groups(groups: Vec<Draft>, keys: &[TieKey], dag: &[(usize, usize)]) -> Vec<Draft> {
    let (mut groups, other): (Vec<Draft>, Vec<Draft>) = groups
        .into_iter()
        .partition(|g| g.kind != ModuleKind::Other);
    let mut group_of = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        for &lesson in &group.lessons {
            group_of.insert(lesson, g);
        }
    }
    let group_keys: Vec<TieKey> = groups
        .iter()
        .map(|group| TieKey {
            order: group
                .lessons
                .iter()
                .filter_map(|&l| keys[l].order)
                .min_by(f64::total_cmp),
            dependents: group
                .lessons
                .iter()
                .map(|&l| keys[l].dependents)
                .max()
                .unwrap_or(0),
            title: fold(&group.title),
            path: group.title.clone(),
        })
        .collect();
    let edges: Vec<(usize, usize)> = dag
        .iter()
        .filter_map(|(a, b)| Some((*group_of.get(a)?, *group_of.get(b)?)))
        .filter(|(a, b)| a != b)
        .collect();
    let order = order::sequence(&order::ranks(&group_keys), &edges);
    let mut slots: Vec<Option<Draft>> = groups.drain(..).map(Some).collect();
    order
        .into_iter()
        .filter_map(|g| slots[g].take())
        .chain(other)
        .collect()
}

/// Notes the learner knows: those named, those tagged, and everything they
/// require, transitively.
fn known_notes(vault: &LiveVault, options: &Options) -> HashSet<NoteId> {
    let mut known: HashSet<NoteId> = options.known.iter().copied().collect();
    if !options.known_tags.is_empty() {
        vault.decode_all();
    }
    for tag in &options.known_tags {
        known.extend(
            vault
                .note_ids()
                .filter(|&id| select::has_tag(vault.note_or_empty(id), tag)),
        );
    }
    let mut queue: VecDeque<NoteId> = known.iter().copied().collect();
    while let Some(id) = queue.pop_front() {
        for (link, resolution) in vault.links_of(id) {
            if let (Relation::Prerequisites, Some(FileId::Note(target))) =
                (Relation::of(link), resolution.target)
                && known.insert(target)
            {
                queue.push_back(target);
            }
        }
    }
    known
}

/// Turns drafts into modules.
struct Builder<'a> {
    vault: &'a LiveVault,
    names: &'a LinkNames<'a>,
    lessons: &'a [NoteId],
    rank: &'a [usize],
    /// For each lesson (by index in `lessons`), the lessons the constraints
    /// put after it.
    later: &'a [Vec<usize>],
    known: &'a HashSet<NoteId>,
    wpm: u32,
    /// Each lesson's description, by its index in `lessons`.
    descriptions: &'a [Option<String>],
    structured: Option<&'a Note>,
}

impl Builder<'_> {
    /// The module for a draft, or `None` when nothing is left in it.
    fn module(&self, draft: &Draft, left_out: &mut Vec<NoteRef>) -> Option<Module> {
        let local: HashMap<usize, usize> = draft
            .lessons
            .iter()
            .enumerate()
            .map(|(local, &lesson)| (lesson, local))
            .collect();
        let rank: Vec<usize> = draft.lessons.iter().map(|&l| self.rank[l]).collect();
        // The constraints among this module's lessons: only their own
        // edges are looked at, not the whole course's.
        let local = &local;
        let edges: Vec<(usize, usize)> = (draft.lessons.iter().enumerate())
            .flat_map(|(before, &lesson)| {
                (self.later[lesson].iter()).filter_map(move |b| Some((before, *local.get(b)?)))
            })
            .collect();
        let mut lessons = Vec::new();
        for position in order::sequence(&rank, &edges) {
            let index = draft.lessons[position];
            let id = self.lessons[index];
            if self.known.contains(&id) {
                left_out.push(self.names.note_ref(self.vault, id));
            } else {
                lessons.push(self.lesson(index));
            }
        }
        let modules: Vec<Module> = draft
            .modules
            .iter()
            .filter_map(|d| self.module(d, left_out))
            .collect();
        let to_write = self
            .structured
            .is_some_and(|note| is_empty_heading(note, draft));
        if lessons.is_empty() && modules.is_empty() && !to_write {
            return None;
        }
        let minutes = lessons.iter().map(|l| l.minutes).sum::<u32>()
            + modules.iter().map(|m| m.minutes).sum::<u32>();
        Some(Module {
            title: draft.title.clone(),
            kind: draft.kind,
            minutes,
            lessons,
            modules,
            to_write,
        })
    }

    /// The lesson at an index in `lessons`.
    fn lesson(&self, index: usize) -> Lesson {
        let id = self.lessons[index];
        let note = self.vault.note_or_empty(id);
        let mut prerequisites: Vec<NoteRef> = Vec::new();
        for (link, resolution) in self.vault.links_of(id) {
            if let (Relation::Prerequisites, Some(FileId::Note(target))) =
                (Relation::of(link), resolution.target)
                && target != id
                && !prerequisites
                    .iter()
                    .any(|p| p.path == self.vault.note_or_empty(target).path)
            {
                prerequisites.push(self.names.note_ref(self.vault, target));
            }
        }
        Lesson {
            title: note.title.clone(),
            path: note.path.clone(),
            description: self.descriptions[index].clone(),
            minutes: lesson::minutes(note.word_count, self.wpm),
            words: note.word_count,
            status: lesson::text_property(note, "status"),
            sections: lesson::sections(note),
            prerequisites,
            link: self.names.link(note),
        }
    }
}

/// Whether a heading module has no text, no lessons and no sub-headings.
fn is_empty_heading(note: &Note, draft: &Draft) -> bool {
    draft.heading.is_some_and(|h| {
        !note.headings[h].has_content && draft.lessons.is_empty() && draft.modules.is_empty()
    })
}

/// Gaps for empty module headings, in document order.
fn empty_headings(note: &Note, names: &LinkNames<'_>, drafts: &[Draft], gaps: &mut Vec<Gap>) {
    for draft in drafts {
        if let Some(h) = draft.heading {
            let heading = &note.headings[h];
            if is_empty_heading(note, draft) {
                let text = heading.text.trim();
                let linkable = !text.contains(['#', '|', '^', '[', ']']);
                gaps.push(Gap {
                    kind: GapKind::EmptyHeading,
                    title: text.to_owned(),
                    path: note.path.clone(),
                    line: heading.span.line,
                    link: linkable.then(|| format!("{}#{text}", names.link(note))),
                });
            }
        }
        empty_headings(note, names, &draft.modules, gaps);
    }
}

/// Gaps for lessons with no prose, in course order.
fn empty_notes(module: &Module, gaps: &mut Vec<Gap>) {
    for lesson in module.lessons.iter().filter(|l| l.words == 0) {
        gaps.push(Gap {
            kind: GapKind::EmptyNote,
            title: lesson.title.clone(),
            path: lesson.path.clone(),
            line: 1,
            link: Some(lesson.link.clone()),
        });
    }
    for sub in &module.modules {
        empty_notes(sub, gaps);
    }
}

fn count_lessons(module: &Module) -> usize {
    module.lessons.len() + module.modules.iter().map(count_lessons).sum::<usize>()
}

fn count_words(module: &Module) -> usize {
    module.lessons.iter().map(|l| l.words).sum::<usize>()
        + module.modules.iter().map(count_words).sum::<usize>()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A vault of `n` notes, `n0` the root; each link is (kind, from, to).
    fn vault(n: usize, links: &[(u8, usize, usize)]) -> LiveVault {
        LiveVault::from_sources(sources(n, links), Vec::<String>::new())
    }

    /// The notes of [`vault`], as (path, text).
    fn sources(n: usize, links: &[(u8, usize, usize)]) -> Vec<(String, String)> {
        let mut notes: Vec<(Vec<String>, String)> = (0..n)
            .map(|i| (Vec::new(), format!("Note {i}.\n")))
            .collect();
        for &(kind, from, to) in links {
            let (front, body) = &mut notes[from];
            let mut property = |key: &str, value: String| {
                // A key twice would be invalid YAML: the first one stays.
                if !front.iter().any(|l| l.starts_with(&format!("{key}:"))) {
                    front.push(format!("{key}: {value}"));
                }
            };
            match kind % 6 {
                0 => property("prerequisites", format!("\"[[n{to}]]\"")),
                1 => property("up", format!("\"[[n{to}]]\"")),
                2 => property("next", format!("\"[[n{to}]]\"")),
                3 => property("order", to.to_string()),
                4 => body.push_str(&format!("# Part {to}\n[[n{to}]]\n")),
                _ => body.push_str(&format!("See [[n{to}]].\n")),
            }
        }
        notes
            .into_iter()
            .enumerate()
            .map(|(i, (front, body))| {
                let text = if front.is_empty() {
                    body
                } else {
                    format!("---\n{}\n---\n{body}", front.join("\n"))
                };
                (format!("n{i}.md"), text)
            })
            .collect()
    }

    fn lesson_paths(modules: &[Module], out: &mut Vec<String>) {
        for module in modules {
            out.extend(module.lessons.iter().map(|l| l.path.clone()));
            lesson_paths(&module.modules, out);
        }
    }

    /// Within each module, every prerequisite in it comes first.
    fn prerequisites_first(modules: &[Module]) -> Result<(), TestCaseError> {
        for module in modules {
            let at: HashMap<&str, usize> = module
                .lessons
                .iter()
                .enumerate()
                .map(|(i, l)| (l.path.as_str(), i))
                .collect();
            for (i, lesson) in module.lessons.iter().enumerate() {
                for p in &lesson.prerequisites {
                    if let Some(&j) = at.get(p.path.as_str()) {
                        prop_assert!(j < i, "{} before {}", p.path, lesson.path);
                    }
                }
            }
            prerequisites_first(&module.modules)?;
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn every_selected_note_is_taught_once_in_order_and_the_output_is_stable(
            n in 2usize..12,
            links in proptest::collection::vec((any::<u8>(), 0usize..12, 0usize..12), 0..30),
        ) {
            let links: Vec<_> = links.into_iter().map(|(k, a, b)| (k, a % n, b % n)).collect();
            let vault = vault(n, &links);
            let root = vault.note_id("n0.md").expect("root");
            let options = Options { depth: 12, ..Options::default() };
            let outline = build(&vault, &Source::Root(root), &options, &|_| None);
            prop_assert_eq!(&outline, &build(&vault, &Source::Root(root), &options, &|_| None));
            // Nor does it depend on the order the notes were found in.
            let reversed = LiveVault::from_sources(
                sources(n, &links).into_iter().rev(),
                Vec::<String>::new(),
            );
            let reversed_root = reversed.note_id("n0.md").expect("root");
            prop_assert_eq!(
                &outline,
                &build(&reversed, &Source::Root(reversed_root), &options, &|_| None)
            );

            let mut taught = Vec::new();
            lesson_paths(&outline.modules, &mut taught);
            let distinct: HashSet<&String> = taught.iter().collect();
            prop_assert_eq!(distinct.len(), taught.len());
            prop_assert_eq!(outline.lessons, taught.len());
            prop_assert!(!taught.contains(&"n0.md".to_owned()));
            if outline.cycles.is_empty() {
                prerequisites_first(&outline.modules)?;
            }
        }
    }
}
