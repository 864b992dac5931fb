//! Code lenses with backlink counts: "N backlinks" on a note's first line,
//! "N links to this heading" on each heading that links name.
//!
//! The counts are those `textDocument/references` lists on the same spot.
//! Each lens is resolved at once (counting is cheap) and its command is a
//! label only (an empty command id): a lens that ran
//! `editor.action.showReferences` would work only in VS Code, and only
//! through an extension that turns its JSON arguments into VS Code's types;
//! other clients would send the unknown command back to the server.

use lsp_types::{CodeLens, Command, Position, Range};
use vaultkit::model::LineIndex;
use vaultkit::vault::{FileId, NoteId};

use super::convert;
use super::navigate;
use super::workspace::Workspace;

/// The note's lenses: its backlinks first, then its linked headings in order.
pub fn code_lenses(workspace: &Workspace, id: NoteId) -> Vec<CodeLens> {
    let live = workspace.live();
    let (Some(note), Some(text)) = (live.note(id), workspace.text(id)) else {
        return Vec::new();
    };
    let lines = LineIndex::new(&text);
    let backlinks = live.backlinks(FileId::Note(id)).count();
    let start = Range::new(Position::new(0, 0), Position::new(0, 0));
    let mut lenses = vec![lens(start, counted(backlinks, "backlink", "backlinks"))];
    for (index, heading) in note.headings.iter().enumerate() {
        let links = navigate::anchored(live, id, index, false).len();
        if links > 0 {
            let title = counted(links, "link to this heading", "links to this heading");
            lenses.push(lens(convert::range(&lines, heading.span), title));
        }
    }
    lenses
}

fn lens(range: Range, title: String) -> CodeLens {
    CodeLens {
        range,
        command: Some(Command {
            title,
            command: String::new(),
            arguments: None,
        }),
        data: None,
    }
}

/// `1 backlink`, `2 backlinks`.
fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
