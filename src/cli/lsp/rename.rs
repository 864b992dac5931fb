//! Rename and prepareRename: a note's (or attachment's) file, a heading or
//! a block id, with every link to it rewritten. The change is planned by
//! `vaultkit mv`'s planner on the notes as the editor has them, and sent as
//! one workspace edit for the editor to apply: the server writes nothing.
//!
//! What the cursor is on decides what is renamed. On a link: its path
//! renames the file it leads to, its `#Heading` that heading, its `#^id`
//! that block id. On a heading: that heading, but for the heading that
//! says the note's title (as Obsidian's inline title does), which renames
//! the note. On a `^id`: that block id. Anywhere else, nothing.

use lsp_types::{Position, PrepareRenameResponse, Range, WorkspaceEdit};
use vaultkit::error::Error;
use vaultkit::model::LineIndex;
use vaultkit::refactor::link_text;
use vaultkit::refactor::mv::Request;
use vaultkit::vault::resolve::{AnchorMatch, fold};
use vaultkit::vault::{FileId, NoteId};

use super::convert;
use super::edit::{self, Support};
use super::navigate::{Spot, spot};
use super::workspace::Workspace;

/// Something that can be renamed from a position: what it is, where its
/// name is written there, and its name.
struct Renamable {
    target: Target,
    range: Range,
    name: String,
}

/// What a rename renames.
enum Target {
    /// A note's or an attachment's file.
    File(FileId),
    /// A heading, by index in its note's headings.
    Heading { note: NoteId, index: usize },
    /// A block id, by index in its note's blocks.
    Block { note: NoteId, index: usize },
}

/// The range and current name of what a rename at `position` of the note
/// at `path` would rename, or why nothing can be.
pub fn prepare(
    workspace: &Workspace,
    path: &str,
    position: Position,
    support: Support,
) -> Result<PrepareRenameResponse, String> {
    let renamable = renamable(workspace, path, position)?;
    if matches!(renamable.target, Target::File(_)) && !support.rename {
        return Err(no_file_renames());
    }
    Ok(PrepareRenameResponse::RangeWithPlaceholder {
        range: renamable.range,
        placeholder: renamable.name,
    })
}

/// The workspace edit that renames what is at `position` of the note at
/// `path` to `new_name` (a file's new name, or a vault path when it holds
/// a `/`; a heading's new text; a block's new id), or why it cannot.
pub fn rename(
    workspace: &mut Workspace,
    path: &str,
    position: Position,
    new_name: &str,
    support: Support,
) -> Result<WorkspaceEdit, String> {
    let renamable = renamable(workspace, path, position)?;
    let live = workspace.live();
    let note_path = |id| (live.file_path(FileId::Note(id)).unwrap_or_default()).to_owned();
    let request = match renamable.target {
        Target::File(file) => {
            if !support.rename {
                return Err(no_file_renames());
            }
            let from = live.file_path(file).unwrap_or_default().to_owned();
            let to = new_path(&from, new_name, matches!(file, FileId::Note(_)))?;
            let request = Request::new(live, &[from], &to, false).map_err(|err| message(&err))?;
            if matches!(&request, Request::Paths(moves) if moves.iter().all(|m| m.from == m.to)) {
                return Ok(WorkspaceEdit::default());
            }
            request
        }
        Target::Heading { note, index } => Request::Heading {
            note: note_path(note),
            index,
            text: new_name.to_owned(),
        },
        Target::Block { note, index } => Request::Block {
            note: note_path(note),
            index,
            id: new_name.to_owned(),
        },
    };
    let planned = workspace.preview(&request).map_err(|err| message(&err))?;
    if !planned.refusals.is_empty() {
        let refusals: Vec<String> = planned.refusals.iter().map(ToString::to_string).collect();
        return Err(format!(
            "renaming would change where links lead: {}",
            refusals.join("; ")
        ));
    }
    let changes = edit::of_plan(workspace, &planned.plan)
        .ok_or_else(|| "a file to change has no file URI".to_owned())?;
    Ok(edit::workspace_edit(support, changes))
}

fn no_file_renames() -> String {
    "the editor cannot rename files in a workspace edit \
     (it lacks workspace.workspaceEdit.documentChanges with the `rename` resource operation)"
        .to_owned()
}

/// A library error as the user reads it.
fn message(err: &Error) -> String {
    match err {
        Error::Refused { path, reason } if path.as_os_str().is_empty() => reason.clone(),
        Error::Refused { path, reason } => format!("{}: {reason}", path.display()),
        other => other.to_string(),
    }
}

/// The vault path a file at `from` gets when renamed to `name`: a path
/// from the vault's root when `name` holds a `/`, else a name in the same
/// folder; an attachment keeps its extension when `name` gives none (a
/// note gets `.md` from the planner).
fn new_path(from: &str, name: &str, is_note: bool) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("the new name is empty".to_owned());
    }
    let extension = match from.rsplit_once('.') {
        Some((_, extension)) if !is_note && !name.contains('.') => format!(".{extension}"),
        _ => String::new(),
    };
    if name.contains('/') {
        return Ok(format!("{}{extension}", name.trim_start_matches('/')));
    }
    Ok(match from.rsplit_once('/') {
        Some((folder, _)) => format!("{folder}/{name}{extension}"),
        None => format!("{name}{extension}"),
    })
}

/// What a rename at `position` of the note at `path` renames.
fn renamable(workspace: &Workspace, path: &str, position: Position) -> Result<Renamable, String> {
    let live = workspace.live();
    let (id, note) = (live.note_id(path))
        .and_then(|id| Some((id, live.note(id)?)))
        .ok_or_else(|| format!("{path} is not a note of the vault"))?;
    let text = (workspace.text(id)).ok_or_else(|| format!("{path} cannot be read"))?;
    let lines = LineIndex::new(&text);
    let offset = (convert::offset(&lines, position))
        .ok_or_else(|| "the position is past the end of the note".to_owned())?;
    let range = |start: usize, end: usize| Range {
        start: convert::position(&lines, start),
        end: convert::position(&lines, end),
    };
    match spot(note, offset) {
        Spot::Link(i) => {
            let link = &note.links[i];
            let resolution = (live.resolutions(id).get(i))
                .ok_or_else(|| "the link is not resolved yet".to_owned())?;
            let target = (resolution.target).ok_or_else(|| {
                format!("`{}` leads nowhere: there is nothing to rename", link.raw)
            })?;
            let located = link_text::locate(&text, link).ok_or_else(|| {
                format!(
                    "`{}` is written with escapes or in reference style: it cannot be renamed in place",
                    link.raw
                )
            })?;
            // From the `#` on, the cursor is on the anchor; a link into its
            // own note (`[[#Heading]]`) has nothing else.
            let anchor = (located.subpath.as_ref())
                .filter(|subpath| link.is_self() || offset + 1 >= subpath.start);
            match (anchor, target) {
                (Some(subpath), FileId::Note(into)) => {
                    let Some(AnchorMatch::Found { index, .. }) = resolution.anchor else {
                        return Err(format!("`{}` leads to no heading or block", link.raw));
                    };
                    let into_note = live.note(into);
                    let gone = || format!("`{}` leads to no heading or block", link.raw);
                    if link.block.is_some() {
                        let block =
                            (into_note.and_then(|n| n.blocks.get(index))).ok_or_else(gone)?;
                        let caret = (text.get(subpath.clone()))
                            .and_then(link_text::caret_len)
                            .unwrap_or(0);
                        Ok(Renamable {
                            target: Target::Block { note: into, index },
                            range: range(subpath.start + caret, subpath.end),
                            name: block.id.to_string(),
                        })
                    } else {
                        let heading =
                            (into_note.and_then(|n| n.headings.get(index))).ok_or_else(gone)?;
                        Ok(Renamable {
                            target: Target::Heading { note: into, index },
                            range: range(subpath.start, subpath.end),
                            name: heading.text.to_string(),
                        })
                    }
                }
                _ => Ok(Renamable {
                    target: Target::File(target),
                    range: range(located.path.start, located.path.end),
                    name: file_name(live.file_path(target).unwrap_or_default(), target),
                }),
            }
        }
        Spot::Heading(index) => {
            let heading = &note.headings[index];
            let start = heading.span.start as usize;
            let line = text
                .get(start..heading.span.end as usize)
                .unwrap_or_default();
            let markers = line.len() - line.trim_start().trim_start_matches('#').len();
            let at = (line[markers..].find(heading.text.as_str()))
                .map(|at| start + markers + at)
                .ok_or_else(|| "the heading's text is not where it was read".to_owned())?;
            let range = range(at, at + heading.text.len());
            if fold(heading.text.trim()) == fold(&note.title) {
                return Ok(Renamable {
                    target: Target::File(FileId::Note(id)),
                    range,
                    name: note.title.clone(),
                });
            }
            Ok(Renamable {
                target: Target::Heading { note: id, index },
                range,
                name: heading.text.to_string(),
            })
        }
        Spot::Block(index) => {
            let block = &note.blocks[index];
            Ok(Renamable {
                target: Target::Block { note: id, index },
                range: range(block.span.start as usize + 1, block.span.end as usize),
                name: block.id.to_string(),
            })
        }
        Spot::Tag(_) | Spot::Note => Err(
            "nothing to rename here: put the cursor on a link, a heading or a block id".to_owned(),
        ),
    }
}

/// A file's name as a rename shows it: a note's without `.md`.
fn file_name(path: &str, file: FileId) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    match file {
        FileId::Note(_) => name.get(..name.len().saturating_sub(3)).unwrap_or(name),
        FileId::Attachment(_) => name,
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_name_stays_in_the_folder_unless_it_is_a_path() {
        assert_eq!(new_path("a/Old.md", "New", true), Ok("a/New".to_owned()));
        assert_eq!(new_path("Old.md", " New ", true), Ok("New".to_owned()));
        assert_eq!(new_path("a/Old.md", "b/New", true), Ok("b/New".to_owned()));
        assert_eq!(new_path("a/Old.md", "/New", true), Ok("New".to_owned()));
        assert_eq!(
            new_path("a/pic.png", "img", false),
            Ok("a/img.png".to_owned())
        );
        assert_eq!(
            new_path("a/pic.png", "img.jpg", false),
            Ok("a/img.jpg".to_owned())
        );
        assert!(new_path("a/Old.md", "  ", true).is_err());
    }
}
