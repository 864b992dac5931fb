//! Document links: every link of a note that resolves (wikilinks, embeds,
//! Markdown links and front-matter links), with the URI of its target.
//!
//! A link to a heading or block carries its line as a `#L<n>` fragment
//! (1-based), which VS Code and its kin open at that line; a link to the
//! note itself has none. Links that resolve to nothing are left out rather
//! than given a made-up target: opening a path the vault does not hold
//! would create a note where Obsidian would not, and the broken-link
//! diagnostic already marks them.

use lsp_types::{DocumentLink, Uri};
use vaultkit::model::LineIndex;
use vaultkit::vault::resolve::AnchorMatch;
use vaultkit::vault::{FileId, NoteId};

use super::convert;
use super::workspace::Workspace;

/// The note's resolved links in file order (front matter first).
pub fn document_links(workspace: &Workspace, id: NoteId) -> Vec<DocumentLink> {
    let live = workspace.live();
    let Some(text) = workspace.text(id) else {
        return Vec::new();
    };
    let lines = LineIndex::new(&text);
    let mut found = Vec::new();
    for (link, resolution) in live.links_of(id) {
        let Some(target) = resolution.target else {
            continue;
        };
        let Some(uri) = workspace.uri(target) else {
            continue;
        };
        let line = match (target, resolution.anchor) {
            (FileId::Note(note), Some(AnchorMatch::Found { index, .. })) => {
                anchor_line(workspace, note, link.block.is_some(), index)
            }
            _ => None,
        };
        let path = live.file_path(target).unwrap_or_default();
        found.push(DocumentLink {
            range: convert::range(&lines, link.span),
            target: Some(at_line(uri, line)),
            tooltip: Some(path.to_owned()),
            data: None,
        });
    }
    found
}

/// The 0-based line of a heading or block id in the note `id`.
fn anchor_line(workspace: &Workspace, id: NoteId, block: bool, index: usize) -> Option<u32> {
    let note = workspace.live().note(id)?;
    let span = if block {
        note.blocks.get(index)?.span
    } else {
        note.headings.get(index)?.span
    };
    let text = workspace.text(id)?;
    Some(convert::position(&LineIndex::new(&text), span.start as usize).line)
}

/// `uri` with the fragment `#L<n>` for the 0-based `line`, when there is one.
fn at_line(uri: Uri, line: Option<u32>) -> Uri {
    let Some(line) = line else { return uri };
    format!("{}#L{}", uri.as_str(), line + 1)
        .parse()
        .unwrap_or(uri)
}
