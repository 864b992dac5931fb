//! Where a position in a note leads: what sits under the cursor, the
//! definition of a link, and the references to a note, heading or block.

use std::collections::BTreeMap;

use lsp_types::{Location, Range};
use vaultkit::model::LineIndex;
use vaultkit::model::Note;
use vaultkit::vault::backlinks::LinkAt;
use vaultkit::vault::live::LiveVault;
use vaultkit::vault::resolve::AnchorMatch;
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

/// The links the cursor's spot is referred to by: on a link, those to its
/// target; on a heading or block id, those to it; elsewhere, those to the
/// note. In path order, then position.
pub fn references(workspace: &Workspace, cursor: &Cursor<'_>) -> Vec<Location> {
    let live = workspace.live();
    let links: Vec<LinkAt> = match cursor.spot {
        Spot::Link(_) => match cursor.link(live).and_then(|(_, r)| r.target) {
            Some(target) => live.backlinks(target).collect(),
            None => Vec::new(),
        },
        Spot::Heading(index) => anchored(live, cursor.id, index, false),
        Spot::Block(index) => anchored(live, cursor.id, index, true),
        Spot::Note => live.backlinks(FileId::Note(cursor.id)).collect(),
    };
    locations(workspace, links)
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

/// Each link's location, in path order then position; each source note's
/// text read once.
fn locations(workspace: &Workspace, links: Vec<LinkAt>) -> Vec<Location> {
    let live = workspace.live();
    let mut by_source: BTreeMap<&str, (NoteId, Vec<LinkAt>)> = BTreeMap::new();
    for at in links {
        if let Some(note) = live.note(at.source) {
            by_source
                .entry(&note.path)
                .or_insert((at.source, Vec::new()))
                .1
                .push(at);
        }
    }
    let mut found = Vec::new();
    for (source, mut links) in by_source.into_values() {
        let (Some(uri), Some(text)) = (workspace.uri(FileId::Note(source)), workspace.text(source))
        else {
            continue;
        };
        let lines = LineIndex::new(&text);
        links.sort_by_key(|at| live.link(*at).map(|link| link.span.start));
        for at in links {
            if let Some(link) = live.link(at) {
                let range = convert::range(&lines, link.span);
                found.push(Location {
                    uri: uri.clone(),
                    range,
                });
            }
        }
    }
    found
}
