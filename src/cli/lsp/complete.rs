//! Completion inside a wikilink being typed: after `[[`, the notes by the
//! link text Obsidian would write (the file name when no other file has
//! it, else the path) and their aliases as `Target|alias`; after
//! `[[Note#`, that note's headings.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionResponse, CompletionTextEdit, Range, TextEdit,
};
use rustc_hash::FxHashMap;
use vaultkit::model::{LineIndex, LinkOrigin, Span};
use vaultkit::vault::resolve::fold;
use vaultkit::vault::{FileId, NoteId};

use super::workspace::Workspace;
use super::{convert, fuzzy};

/// The most items one answer holds; past it the list is marked incomplete
/// so the editor asks again as more is typed.
const MOST_ITEMS: usize = 200;

/// The completions at `position` of the note `id`: `None` outside a wikilink.
pub fn complete(
    workspace: &Workspace,
    id: NoteId,
    position: lsp_types::Position,
) -> Option<CompletionResponse> {
    let text = workspace.text(id)?;
    let lines = LineIndex::new(&text);
    let cursor = convert::offset(&lines, position)?;
    let line_start = text[..cursor].rfind('\n').map_or(0, |i| i + 1);
    let open = line_start + text[line_start..cursor].rfind("[[")? + 2;
    let typed = &text[open..cursor];
    if typed.contains("]]") || typed.contains('|') {
        return None;
    }
    let closed = text[cursor..].starts_with("]]");
    let edit = |from: usize, insert: String| {
        let range = Range {
            start: convert::position(&lines, from),
            end: position,
        };
        let new_text = if closed {
            insert
        } else {
            format!("{insert}]]")
        };
        Some(CompletionTextEdit::Edit(TextEdit { range, new_text }))
    };
    let mut items = match typed.split_once('#') {
        Some((note, heading)) => headings(workspace, id, note, heading, |insert| {
            edit(open + note.len() + 1, insert)
        }),
        None => notes(workspace, typed, |insert| edit(open, insert)),
    };
    let incomplete = items.len() > MOST_ITEMS;
    items.truncate(MOST_ITEMS);
    Some(CompletionResponse::List(lsp_types::CompletionList {
        is_incomplete: incomplete,
        items,
    }))
}

/// Every note (and alias) whose link text matches `typed`, in path order.
fn notes(
    workspace: &Workspace,
    typed: &str,
    edit: impl Fn(String) -> Option<CompletionTextEdit>,
) -> Vec<CompletionItem> {
    let live = workspace.live();
    let pattern = fuzzy::Pattern::new(typed);
    let mut sharing: FxHashMap<String, usize> = FxHashMap::default();
    for (path, _) in live.files() {
        *sharing.entry(fold(file_name(path))).or_default() += 1;
    }
    let mut items = Vec::new();
    for id in live.note_ids() {
        let Some(note) = live.note(id) else { continue };
        let unique = sharing.get(&fold(file_name(&note.path))) == Some(&1);
        let target = if unique {
            note.title.clone()
        } else {
            note.path
                .strip_suffix(".md")
                .unwrap_or(&note.path)
                .to_owned()
        };
        if pattern.rank(&target).is_some() {
            items.push(item(
                &target,
                &note.path,
                CompletionItemKind::FILE,
                edit(target.clone()),
            ));
        }
        for alias in &note.aliases {
            if pattern.rank(alias).is_some() {
                let insert = format!("{target}|{alias}");
                let detail = format!("alias of {}", note.path);
                items.push(item(
                    alias,
                    &detail,
                    CompletionItemKind::REFERENCE,
                    edit(insert),
                ));
            }
        }
    }
    items
}

/// The headings matching `typed` of the note a link to `note` (written
/// in the note `source`) leads to.
fn headings(
    workspace: &Workspace,
    source: NoteId,
    note: &str,
    typed: &str,
    edit: impl Fn(String) -> Option<CompletionTextEdit>,
) -> Vec<CompletionItem> {
    let live = workspace.live();
    let raw = format!("[[{note}]]");
    let link =
        vaultkit::parse::wikilink::link(note, false, &raw, LinkOrigin::Body, Span::default());
    let Some(FileId::Note(target)) = live.resolve(source, &link).target else {
        return Vec::new();
    };
    let Some(target) = live.note(target) else {
        return Vec::new();
    };
    let pattern = fuzzy::Pattern::new(typed);
    (target.headings.iter())
        .filter(|heading| pattern.rank(&heading.text).is_some())
        .map(|heading| {
            let detail = format!("{} {}", "#".repeat(usize::from(heading.level)), target.path);
            let text = heading.text.to_string();
            item(
                &text,
                &detail,
                CompletionItemKind::REFERENCE,
                edit(text.clone()),
            )
        })
        .collect()
}

fn item(
    label: &str,
    detail: &str,
    kind: CompletionItemKind,
    text_edit: Option<CompletionTextEdit>,
) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail: Some(detail.to_owned()),
        filter_text: Some(label.to_owned()),
        text_edit,
        ..CompletionItem::default()
    }
}

fn file_name(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}
