//! Where a position in a note leads: what sits under the cursor, the
//! definition of a link, and the references to a note, heading, block or tag.

use std::collections::BTreeMap;

use lsp_types::{Location, Range};
use vaultkit::model::{LineIndex, Note, Span, Tag};
use vaultkit::vault::backlinks::LinkAt;
use vaultkit::vault::live::LiveVault;
use vaultkit::vault::resolve::{AnchorMatch, fold};
use vaultkit::vault::{FileId, NoteId, Resolution};

use super::convert;
use super::workspace::Workspace;

/// What the cursor is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    /// A link, by index in `Note::links`.
    Link(usize),
    /// A heading, by index in `Note::headings`.
    Heading(usize),
    /// A block id, by index in `Note::blocks`.
    Block(usize),
    /// A tag, in the body or the front matter, by index in `Note::tags`.
    Tag(usize),
    /// Anywhere else in the note.
    Note,
}

/// What is at byte `offset` of a note.
pub fn spot(note: &Note, offset: usize) -> Spot {
    let covers = |start: u32, end: u32| (start as usize..end as usize).contains(&offset);
    if let Some(i) = note
        .links
        .iter()
        .position(|l| covers(l.span.start, l.span.end))
    {
        Spot::Link(i)
    } else if let Some(i) = note
        .blocks
        .iter()
        .position(|b| covers(b.span.start, b.span.end))
    {
        Spot::Block(i)
    } else if let Some(i) = (note.tags.iter()).position(|t| covers(t.span.start, t.span.end)) {
        Spot::Tag(i)
    } else if let Some(i) = (note.headings.iter()).position(|h| covers(h.span.start, h.span.end)) {
        Spot::Heading(i)
    } else {
        Spot::Note
    }
}

/// A position in a note: the note and what is under it.
pub struct Cursor<'a> {
    /// The note.
    pub id: NoteId,
    /// Its parsed form.
    pub note: &'a Note,
    /// What the cursor is on.
    pub spot: Spot,
}

impl<'a> Cursor<'a> {
    /// The cursor at `position` in the note at `path`; `None` when the
    /// vault has no such note or the position is past its end.
    pub fn at(workspace: &'a Workspace, path: &str, position: lsp_types::Position) -> Option<Self> {
        let live = workspace.live();
        let id = live.note_id(path)?;
        let note = live.note(id)?;
        let text = workspace.text(id)?;
        let offset = convert::offset(&LineIndex::new(&text), position)?;
        Some(Self {
            id,
            note,
            spot: spot(note, offset),
        })
    }

    /// The link under the cursor with its resolution.
    pub fn link(&self, live: &'a LiveVault) -> Option<(usize, &'a Resolution)> {
        match self.spot {
            Spot::Link(i) => Some((i, live.resolutions(self.id).get(i)?)),
            _ => None,
        }
    }
}

/// Where the link under the cursor leads: the note (its start), the
/// heading's line, the block's line, or the attachment.
pub fn definition(workspace: &Workspace, cursor: &Cursor<'_>) -> Option<Location> {
    let live = workspace.live();
    let (i, resolution) = cursor.link(live)?;
    let target = resolution.target?;
    let uri = workspace.uri(target)?;
    let range = match (target, resolution.anchor) {
        (FileId::Note(note), Some(AnchorMatch::Found { index, .. })) => {
            anchor_range(workspace, note, cursor.note.links[i].block.is_some(), index)?
        }
        _ => Range::default(),
    };
    Some(Location { uri, range })
}

/// The range of a heading (its line) or of a block id's line up to the
/// end of the id, in the note `id`.
fn anchor_range(workspace: &Workspace, id: NoteId, block: bool, index: usize) -> Option<Range> {
    let note = workspace.live().note(id)?;
    let text = workspace.text(id)?;
    let lines = LineIndex::new(&text);
    if block {
        let span = note.blocks.get(index)?.span;
        let mut range = convert::range(&lines, span);
        range.start.character = 0;
        Some(range)
    } else {
        Some(convert::range(&lines, note.headings.get(index)?.span))
    }
}

/// What refers to the cursor's spot: on a link, the links to its target;
/// on a heading or block id, the links to it; on a tag, every use of the
/// tag (case aside, as Obsidian groups tags; nested tags are others);
/// elsewhere, the links to the note. In path order, then position.
pub fn references(workspace: &Workspace, cursor: &Cursor<'_>) -> Vec<Location> {
    let live = workspace.live();
    let links: Vec<LinkAt> = match cursor.spot {
        Spot::Link(_) => match cursor.link(live).and_then(|(_, r)| r.target) {
            Some(target) => live.backlinks(target).collect(),
            None => Vec::new(),
        },
        Spot::Heading(index) => anchored(live, cursor.id, index, false),
        Spot::Block(index) => anchored(live, cursor.id, index, true),
        Spot::Tag(index) => return locations(workspace, tag_uses(live, &cursor.note.tags[index])),
        Spot::Note => live.backlinks(FileId::Note(cursor.id)).collect(),
    };
    let spans = (links.into_iter())
        .filter_map(|at| Some((at.source, live.link(at)?.span)))
        .collect();
    locations(workspace, spans)
}

/// Where every note of the vault uses `tag`, case aside.
fn tag_uses(live: &LiveVault, tag: &Tag) -> Vec<(NoteId, Span)> {
    let name = fold(&tag.name);
    live.decode_all();
    (live.note_ids())
        .filter_map(|id| Some((id, live.note(id)?)))
        .flat_map(|(id, note)| {
            (note.tags.iter())
                .filter(|used| fold(&used.name) == name)
                .map(move |used| (id, used.span))
        })
        .collect()
}

/// The links into the note `id` whose heading (or block) anchor is the one at `index`.
pub fn anchored(live: &LiveVault, id: NoteId, index: usize, block: bool) -> Vec<LinkAt> {
    live.backlinks(FileId::Note(id))
        .filter(|&at| {
            let Some(link) = live.link(at) else {
                return false;
            };
            let kind_matches = if block {
                link.block.is_some()
            } else {
                link.heading.is_some() && link.block.is_none()
            };
            let anchor = (live.resolutions(at.source).get(at.link as usize))
                .and_then(|resolution| resolution.anchor);
            kind_matches
                && matches!(anchor, Some(AnchorMatch::Found { index: found, .. }) if found == index)
        })
        .collect()
}

/// Each span's location, in path order then position. Only a note with
/// astral characters is read, to count its columns in UTF-16.
fn locations(workspace: &Workspace, spans: Vec<(NoteId, Span)>) -> Vec<Location> {
    let live = workspace.live();
    let mut by_note: BTreeMap<&str, (NoteId, Vec<Span>)> = BTreeMap::new();
    for (id, span) in spans {
        if let Some(note) = live.note(id) {
            by_note
                .entry(&note.path)
                .or_insert((id, Vec::new()))
                .1
                .push(span);
        }
    }
    let mut found = Vec::new();
    for (id, mut spans) in by_note.into_values() {
        let (Some(note), Some(uri)) = (live.note(id), workspace.uri(FileId::Note(id))) else {
            continue;
        };
        spans.sort_by_key(|span| span.start);
        let ranges: Vec<Range> = if note.has_astral {
            let Some(text) = workspace.text(id) else {
                continue;
            };
            let lines = LineIndex::new(&text);
            spans
                .iter()
                .map(|&span| convert::range(&lines, span))
                .collect()
        } else {
            spans.iter().map(|&span| convert::bmp_range(span)).collect()
        };
        found.extend(ranges.into_iter().map(|range| Location {
            uri: uri.clone(),
            range,
        }));
    }
    found
}
